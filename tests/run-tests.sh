#!/usr/bin/env bash
# run-tests.sh — the .mrs test suites of mrsc, reported as TAP on stdout.
#
#   tests/run-tests.sh [SUITE...]      SUITE: run-pass run-fail compile-fail emit-c examples (default all)
#
# Environment (the Makefile sets these; the defaults suit a run by hand from the build dir):
#   MRSC            the mrsc binary           (default: ./mrsc, ./driver/mrsc, then mrsc on PATH)
#   MRS_RT_INC      directory of mrs_rt.h     (default: $srcdir/runtime)
#   MRS_RT_LIB      path of libmrsrt.a        (default: ./runtime/libmrsrt.a, then ./libmrsrt.a)
#   CC              C compiler, may hold flags (default: cc)
#   srcdir          the directory holding tests/ (default: the parent of this script's dir)
#   TMPDIR          where the scratch directory goes (default: /tmp)
#   MRSC_VALGRIND=1 run the run-pass binaries under valgrind
#   MRS_TEST_CFLAGS extra flags for compiling the generated C (e.g. -fsanitize=address,undefined)
#   MRSC_KEEP_TMP=1 keep the scratch directory and print its path
#
# What each suite checks (see MINI-RUST.md section 1):
#   run-pass, run-fail  NAME.mrs -> C -> binary; its stdout, stderr and status rendered as
#                       rustc-oracle renders them must equal NAME.expected byte for byte.
#                       `// compile-flags: -O` near the top selects release semantics.
#   compile-fail        `mrsc --check --error-format=short` must exit 1 and report exactly the
#                       set of (CODE, LINE) given by `//~ ERROR CODE` annotations (`syntax` for
#                       an error without a code; `//~^ ERROR` points one line up per `^`;
#                       `//~ UNSUPPORTED` marks a "not supported by mrsc" error, which
#                       check-oracle ignores since rustc accepts the construct), and
#                       must leave no file behind.
#   emit-c              `mrsc --emit=c -o -` (`--emit=cfg` when `// emit: cfg` is near the
#                       top, `--explain-captures` for `// emit: captures`, `--explain-borrows`
#                       for `// emit: borrows`, which may also reject the program) must succeed and
#                       its output must contain every
#                       `// CHECK: text` in order; `// CHECK-NOT: text` must not occur between
#                       the neighbouring CHECK matches (or before the end after the last one).
#
# Exit status: 0 whether or not tests failed (the TAP driver counts); 1 on a harness error.
set -u

me=${0##*/}
die() {
  echo "Bail out! $me: $*"
  echo "$me: $*" >&2
  exit 1
}

# --- locations -------------------------------------------------------------------------

script_dir=$(cd "$(dirname "$0")" && pwd) || die "cannot locate the script directory"
srcdir=${srcdir:-$script_dir/..}
if [ -d "$srcdir/tests/run-pass" ] || [ -d "$srcdir/tests/compile-fail" ]; then
  testdir=$srcdir/tests
elif [ -d "$srcdir/run-pass" ] || [ -d "$srcdir/compile-fail" ]; then
  testdir=$srcdir # srcdir already names tests/
else
  die "no tests/ under srcdir=$srcdir"
fi
testdir=$(cd "$testdir" && pwd) || die "cannot enter $testdir"

# where a suite's programs are: tests/SUITE, and the README's examples/ (run like run-pass)
suite_dir() {
  if [ "$1" = examples ]; then printf '%s\n' "$testdir/../examples"; else printf '%s\n' "$testdir/$1"; fi
}

# make a path absolute against the current directory (we cd into the test directories)
absolute() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    */*) printf '%s\n' "$PWD/$1" ;;
    *) command -v "$1" 2>/dev/null || printf '%s\n' "$PWD/$1" ;;
  esac
}

if [ -z "${MRSC:-}" ]; then
  for cand in ./mrsc ./driver/mrsc; do
    [ -x "$cand" ] && { MRSC=$cand; break; }
  done
  MRSC=${MRSC:-mrsc}
fi
MRSC=$(absolute "$MRSC")
MRS_RT_INC=$(absolute "${MRS_RT_INC:-$srcdir/runtime}")
if [ -z "${MRS_RT_LIB:-}" ]; then
  MRS_RT_LIB=./runtime/libmrsrt.a
  [ -f "$MRS_RT_LIB" ] || [ ! -f ./libmrsrt.a ] || MRS_RT_LIB=./libmrsrt.a
fi
MRS_RT_LIB=$(absolute "$MRS_RT_LIB")
CC=${CC:-cc}
read -r -a cc_cmd <<<"$CC"
[ ${#cc_cmd[@]} -gt 0 ] || die "CC is empty"
read -r -a extra_cflags <<<"${MRS_TEST_CFLAGS:-}"
export RUST_BACKTRACE=0 # the oracle runs programs so; a runtime may look at it

# a second opinion from clang on the generated C, unless CC already is clang
clang_check=
if command -v clang >/dev/null 2>&1; then
  case "${cc_cmd[0]##*/}" in
    clang*) ;;
    *) clang_check=clang ;;
  esac
fi

valgrind=()
run_timeout=10
if [ "${MRSC_VALGRIND:-0}" = 1 ]; then
  command -v valgrind >/dev/null 2>&1 || die "MRSC_VALGRIND=1 but valgrind is not installed"
  valgrind=(valgrind --error-exitcode=99 --leak-check=no -q)
  run_timeout=60
fi
command -v timeout >/dev/null 2>&1 || die "timeout(1) is not installed"
command -v diff >/dev/null 2>&1 || die "diff(1) is not installed"

# --- suites and the plan ---------------------------------------------------------------

all_suites=(run-pass run-fail compile-fail emit-c examples)
if [ $# -eq 0 ]; then
  suites=("${all_suites[@]}")
else
  suites=("$@")
fi
for s in "${suites[@]}"; do
  case "$s" in
    run-pass | run-fail | compile-fail | emit-c | examples) ;;
    *) die "unknown suite '$s' (expected one of: ${all_suites[*]})" ;;
  esac
done

tests=() # SUITE/NAME
for s in "${suites[@]}"; do
  [ -d "$(suite_dir "$s")" ] || continue
  for f in "$(suite_dir "$s")"/*.mrs; do
    [ -e "$f" ] || continue
    name=${f##*/}
    tests+=("$s/${name%.mrs}")
  done
done

[ -x "$MRSC" ] || die "mrsc not found or not executable: $MRSC (set MRSC)"
for s in "${suites[@]}"; do
  case "$s" in
    run-pass | run-fail | examples)
      [ -f "$MRS_RT_INC/mrs_rt.h" ] || die "no mrs_rt.h in MRS_RT_INC=$MRS_RT_INC"
      [ -f "$MRS_RT_LIB" ] || die "no runtime library at MRS_RT_LIB=$MRS_RT_LIB"
      ;;
  esac
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mrs-tests.XXXXXX") || die "mktemp failed"
if [ "${MRSC_KEEP_TMP:-0}" = 1 ]; then
  echo "# scratch directory: $tmp"
else
  trap 'rm -rf "$tmp"' EXIT
fi
trap 'exit 1' INT TERM HUP

echo "1..${#tests[@]}"

# --- helpers ---------------------------------------------------------------------------

n=0
diag=$tmp/diag # diagnostic text for the current test, printed after a `not ok`

# note TEXT...: add a line to the current test's diagnostics
note() { printf '%s\n' "$*" >>"$diag"; }

# note_file FILE [MAX]: add at most MAX (default 40) lines of FILE to the diagnostics
note_file() {
  local max=${2:-40} total
  [ -s "$1" ] || return 0
  total=$(wc -l <"$1")
  head -n "$max" "$1" >>"$diag"
  [ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ] || echo >>"$diag"
  [ "$total" -le "$max" ] || note "... ($((total - max)) more lines)"
}

report() { # report ok|fail SUITE/NAME
  n=$((n + 1))
  if [ "$1" = ok ]; then
    echo "ok $n - $2"
  else
    echo "not ok $n - $2"
    [ -s "$diag" ] && sed 's/^/# /' "$diag"
  fi
  : >"$diag"
}

# release_mode FILE: true when FILE asks for `-O` in a `// compile-flags:` line
release_mode() {
  head -n 5 "$1" | grep -Eq '^[[:space:]]*//[[:space:]]*compile-flags:.*(^|[[:space:]])-O([[:space:]]|$)'
}

# annotations FILE: print "CODE LINE" for each `//~ ERROR CODE` (or `//~^^ ERROR CODE`)
annotations() {
  awk '{
    rest = $0
    while ((i = index(rest, "//~")) > 0) {
      rest = substr(rest, i + 3)
      up = 0
      while (substr(rest, 1, 1) == "^") { up++; rest = substr(rest, 2) }
      if (match(rest, /^[ \t]*ERROR[ \t]+[A-Za-z0-9_]+/)) {
        code = substr(rest, 1, RLENGTH); sub(/^[ \t]*ERROR[ \t]+/, "", code)
        print code, NR - up
      } else if (match(rest, /^[ \t]*UNSUPPORTED/)) {
        print "syntax", NR - up
      }
    }
  }' "$1"
}

# --- run-pass / run-fail ---------------------------------------------------------------

run_program() { # run_program SUITE NAME
  local suite=$1 name=$2 dir w=$tmp/$1/$2 opt=() st
  dir=$(suite_dir "$1")
  mkdir -p "$w"
  if [ ! -f "$dir/$name.expected" ]; then
    note "missing $suite/$name.expected"
    return 1
  fi
  release_mode "$dir/$name.mrs" && opt=(-O)
  # the bare file name, so that panic locations read NAME.mrs:LINE:COL
  (cd "$dir" && "$MRSC" --emit=c "${opt[@]}" -o "$w/$name.c" "$name.mrs") >"$w/mrsc.out" 2>&1
  st=$?
  if [ $st -ne 0 ]; then
    note "mrsc --emit=c${opt[*]:+ ${opt[*]}} exited with status $st:"
    note_file "$w/mrsc.out"
    return 1
  fi
  if [ ! -s "$w/$name.c" ]; then
    note "mrsc exited 0 but wrote no C to $name.c"
    return 1
  fi
  if ! "${cc_cmd[@]}" -std=c11 -Wall -Wextra -Werror "${extra_cflags[@]}" -I"$MRS_RT_INC" \
    "$w/$name.c" "$MRS_RT_LIB" -lm -lpthread -o "$w/$name" >"$w/cc.out" 2>&1; then
    note "$CC failed on the generated C:"
    note_file "$w/cc.out"
    return 1
  fi
  if [ -n "$clang_check" ] &&
    ! clang -std=c11 -Wall -Wextra -Werror -fsyntax-only -I"$MRS_RT_INC" "$w/$name.c" >"$w/clang.out" 2>&1; then
    note "clang -fsyntax-only failed on the generated C:"
    note_file "$w/clang.out"
    return 1
  fi
  (cd "$w" && timeout "$run_timeout" "${valgrind[@]}" "./$name" >"$w/stdout" 2>"$w/stderr" </dev/null)
  st=$?
  if [ $st -eq 124 ]; then
    note "the program timed out after ${run_timeout}s"
    return 1
  fi
  if [ ${#valgrind[@]} -gt 0 ] && [ $st -eq 99 ]; then
    note "valgrind reported errors:"
    note_file "$w/stderr"
    return 1
  fi
  # the oracle drops the thread id of rustc >= 1.92 (`thread 'main' (1234) panicked`)
  sed -i -E "s/^thread '([^']*)' \([0-9]+\) panicked/thread '\1' panicked/" "$w/stderr"
  # rendered exactly as rustc-oracle renders a run
  {
    echo "== stdout"
    cat "$w/stdout"
    echo "== stderr"
    cat "$w/stderr"
    echo "== status $st"
  } >"$w/actual"
  if ! cmp -s "$dir/$name.expected" "$w/actual"; then
    note "output differs from $name.expected (--- expected, +++ actual):"
    diff -u --label expected --label actual "$dir/$name.expected" "$w/actual" >"$w/diff"
    note_file "$w/diff"
    return 1
  fi
  return 0
}

# --- compile-fail ----------------------------------------------------------------------

run_compile_fail() { # run_compile_fail NAME
  local name=$1 dir=$testdir/compile-fail w=$tmp/compile-fail/$1 st
  mkdir -p "$w/cwd"
  annotations "$dir/$name.mrs" | sort -u >"$w/want"
  if [ ! -s "$w/want" ]; then
    note "no //~ ERROR annotations in $name.mrs"
    return 1
  fi
  # a private copy of the file: the bare name appears in the diagnostics, and any file
  # left behind is visible even when srcdir is read-only
  cp "$dir/$name.mrs" "$w/cwd/" || { note "cannot copy $name.mrs"; return 1; }
  (cd "$w/cwd" && timeout 10 "$MRSC" --check --error-format=short "$name.mrs") >"$w/stdout" 2>"$w/stderr"
  st=$?
  sed -nE "s/^(.*\/)?$name\.mrs:([0-9]+):[0-9]+: error(\[(E[0-9]+)\])?:.*/\4 \2/p" "$w/stderr" |
    sed 's/^ /syntax /' | sort -u >"$w/got"
  local ok=0
  if [ $st -ne 1 ]; then
    note "mrsc --check exited with status $st, expected 1"
    ok=1
  fi
  if ! cmp -s "$w/want" "$w/got"; then
    note "reported errors differ from the annotations:"
    comm -23 "$w/want" "$w/got" | sed 's/^/  missing:    /' >>"$diag"
    comm -13 "$w/want" "$w/got" | sed 's/^/  unexpected: /' >>"$diag"
    ok=1
  fi
  local f left=()
  for f in "$w/cwd"/* "$w/cwd"/.[!.]*; do
    [ -e "$f" ] && [ "${f##*/}" != "$name.mrs" ] && left+=("${f##*/}")
  done
  if [ ${#left[@]} -gt 0 ]; then
    note "mrsc --check left files behind: ${left[*]}"
    ok=1
  fi
  if [ $ok -ne 0 ]; then
    note "mrsc's stderr:"
    note_file "$w/stderr" 30
  fi
  return $ok
}

# --- emit-c ----------------------------------------------------------------------------

run_emit_c() { # run_emit_c NAME
  local name=$1 dir=$testdir/emit-c w=$tmp/emit-c/$1 opt=() st kind=c
  mkdir -p "$w"
  release_mode "$dir/$name.mrs" && opt=(-O)
  # `// emit: cfg` near the top checks the control-flow graph dump instead of the C
  head -n 5 "$dir/$name.mrs" | grep -Eq '^[[:space:]]*//[[:space:]]*emit:[[:space:]]*cfg' && kind=cfg
  head -n 5 "$dir/$name.mrs" | grep -Eq '^[[:space:]]*//[[:space:]]*emit:[[:space:]]*captures' && kind=captures
  head -n 5 "$dir/$name.mrs" | grep -Eq '^[[:space:]]*//[[:space:]]*emit:[[:space:]]*borrows' && kind=borrows
  local flag=--emit=$kind
  [ $kind = captures ] && flag=--explain-captures
  [ $kind = borrows ] && flag=--explain-borrows
  (cd "$dir" && timeout 10 "$MRSC" $flag "${opt[@]}" -o - "$name.mrs") >"$w/out.c" 2>"$w/stderr"
  st=$?
  # the borrows of a rejected program are explained too (status 1, the errors on stderr)
  [ $kind = borrows ] && [ $st -eq 1 ] && grep -q '^error\[E0' "$w/stderr" && st=0
  if [ $st -ne 0 ]; then
    note "mrsc $flag${opt[*]:+ ${opt[*]}} -o - exited with status $st:"
    note_file "$w/stderr"
    return 1
  fi
  if [ ! -s "$w/out.c" ]; then
    note "mrsc --emit=c -o - exited 0 but printed no C"
    note_file "$w/stderr"
    return 1
  fi
  local c rest kind text nots=() nchecks=0 line
  c=$(cat "$w/out.c"; echo x) # keep trailing newlines
  rest=${c%x}
  # check_nots SEGMENT: none of the pending CHECK-NOT texts may occur in SEGMENT
  check_nots() {
    local t
    for t in "${nots[@]}"; do
      if [[ $1 == *"$t"* ]]; then
        note "CHECK-NOT: $t"
        note "  found between the neighbouring CHECK matches"
        return 1
      fi
    done
    nots=()
    return 0
  }
  while IFS= read -r line; do
    if [[ $line =~ ^[[:space:]]*//[[:space:]]*CHECK(-NOT)?:[[:space:]]?(.*)$ ]]; then
      kind=${BASH_REMATCH[1]}
      text=${BASH_REMATCH[2]}
      text=${text%$'\r'}
      text=${text%"${text##*[![:space:]]}"} # trailing blanks
      [ -n "$text" ] || continue
      if [ "$kind" = -NOT ]; then
        nots+=("$text")
        continue
      fi
      nchecks=$((nchecks + 1))
      if [[ $rest != *"$text"* ]]; then
        note "CHECK: $text"
        note "  not found after the previous match; the C was:"
        note_file "$w/out.c" 30
        return 1
      fi
      check_nots "${rest%%"$text"*}" || return 1
      rest=${rest#*"$text"}
    fi
  done <"$dir/$name.mrs"
  check_nots "$rest" || return 1
  if [ $nchecks -eq 0 ]; then
    note "no // CHECK: lines in $name.mrs"
    return 1
  fi
  return 0
}

# --- main loop -------------------------------------------------------------------------

: >"$diag"
for t in "${tests[@]}"; do
  suite=${t%%/*}
  name=${t#*/}
  case "$suite" in
    run-pass | run-fail | examples) run_program "$suite" "$name" ;;
    compile-fail) run_compile_fail "$name" ;;
    emit-c) run_emit_c "$name" ;;
  esac && result=ok || result=fail
  report "$result" "$t"
done
exit 0
