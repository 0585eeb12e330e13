#!/usr/bin/env bash
# The split-build suite, as TAP: mrsc's debug build of a large program cuts the C into
# parts compiled side by side (driver/main.c, compile_c_parts). Here programs whose
# closures, generic instances and vtables cross fns are built that way on purpose
# (MRSC_SPLIT_BYTES=1, MRSC_SPLIT_PARTS=3) and must print their .expected as the whole
# build does.
set -u
srcdir=${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
MRSC=${MRSC:-$PWD/mrsc}
progs="b1_closure_move_copy call_returned_boxed_fn_once learner4_closure_capture learner_box_dyn_fn
learner_compose_let_closures box_dyn closure_capture_through_box_field generic_trait_static_fn_and_assoc_type
it_closure_capture_iter set_operations dq_bfs_grid map_set_extend utf8_errors it_values_next_back"
w=$(mktemp -d "${TMPDIR:-/tmp}/mrs-split.XXXXXX") || { echo "Bail out! no scratch directory"; exit 1; }
trap 'rm -rf "$w"' EXIT
n=0
for p in $progs; do n=$((n + 1)); done
echo "1..$n"
i=0
for p in $progs; do
  i=$((i + 1))
  src=$srcdir/tests/run-pass/$p.mrs
  cp "$src" "$w/$p.mrs"
  if ! (cd "$w" && MRSC_SPLIT_BYTES=1 MRSC_SPLIT_PARTS=3 "$MRSC" "$p.mrs" -o "$p.bin") >"$w/build.log" 2>&1; then
    echo "not ok $i - split/$p: does not build"
    sed 's/^/# /' "$w/build.log" | head -20
    continue
  fi
  (cd "$w" && timeout 10 "./$p.bin" >out 2>err </dev/null); st=$?
  { echo "== stdout"; cat "$w/out"; echo "== stderr"; cat "$w/err"; echo "== status $st"; } >"$w/got"
  if cmp -s "$w/got" "$srcdir/tests/run-pass/$p.expected"; then
    echo "ok $i - split/$p"
  else
    echo "not ok $i - split/$p: output differs"
    diff "$srcdir/tests/run-pass/$p.expected" "$w/got" | head -10 | sed 's/^/# /'
  fi
done
