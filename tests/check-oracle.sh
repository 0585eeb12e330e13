#!/usr/bin/env bash
# check-oracle.sh — re-run every recorded expectation through rustc-oracle and report drift.
#
#   tests/check-oracle.sh [-v] [SUITE...]   SUITE: run-pass run-fail compile-fail emit-c examples
#
#   run-pass, run-fail, examples  the oracle's output (with -O when a `// compile-flags: -O`
#                                 line says so) must equal NAME.expected byte for byte
#   compile-fail                  the oracle's `--errors` set of (CODE, LINE) must equal the
#                                 `//~ ERROR CODE` annotations
#   emit-c                        the program must compile (`--errors` says ok)
#
# Environment: ORACLE (default $srcdir/../shared/tools/rustc-oracle), srcdir (the directory
# holding tests/; default: the parent of this script's directory).
# Prints one line per drift (with -v, the diff too) and `N checked, N drifted`.
# Exit status: 0 no drift, 1 drift or a harness error, 77 (skip) when rustc or the oracle
# is absent.
set -u

verbose=0
if [ "${1:-}" = -v ]; then
  verbose=1
  shift
fi
script_dir=$(cd "$(dirname "$0")" && pwd) || exit 1
srcdir=${srcdir:-$script_dir/..}
srcdir=$(cd "$srcdir" && pwd) || exit 1
ORACLE=${ORACLE:-$srcdir/../shared/tools/rustc-oracle}
case "$ORACLE" in /*) ;; *) ORACLE=$PWD/$ORACLE ;; esac

if [ ! -x "$ORACLE" ]; then
  echo "check-oracle: no oracle at $ORACLE (set ORACLE); skipping"
  exit 77
fi
if ! PATH=$PATH:$HOME/.cargo/bin command -v rustc >/dev/null 2>&1; then
  echo "check-oracle: rustc not found; skipping"
  exit 77
fi

suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(run-pass run-fail compile-fail emit-c examples)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mrs-oracle.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

checked=0
drifted=0

drift() { # drift WHAT REASON [DIFF-FILE]
  drifted=$((drifted + 1))
  echo "DRIFT $1: $2"
  if [ $verbose -eq 1 ] && [ -n "${3:-}" ] && [ -s "$3" ]; then
    sed 's/^/    /' "$3"
  fi
}

# oracle ARGS...: run the oracle; a missing rustc (status 3) ends the whole check as a skip
oracle() {
  "$ORACLE" "$@"
  local st=$?
  if [ $st -eq 3 ]; then
    echo "check-oracle: the oracle reports that rustc is missing; skipping"
    exit 77
  fi
  return $st
}

release_mode() {
  head -n 5 "$1" | grep -Eq '^[[:space:]]*//[[:space:]]*compile-flags:.*(^|[[:space:]])-O([[:space:]]|$)'
}

# the same annotation syntax as run-tests.sh: `//~ ERROR CODE`, `//~^ ERROR CODE`
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
      }
    }
  }' "$1"
}

for suite in "${suites[@]}"; do
  case "$suite" in
    run-pass | run-fail | compile-fail | emit-c) dir=$srcdir/tests/$suite ;;
    examples) dir=$srcdir/examples ;;
    *)
      echo "check-oracle: unknown suite '$suite'" >&2
      exit 1
      ;;
  esac
  [ -d "$dir" ] || continue
  for f in "$dir"/*.mrs; do
    [ -e "$f" ] || continue
    name=${f##*/}
    name=${name%.mrs}
    what=$suite/$name
    checked=$((checked + 1))
    case "$suite" in
      run-pass | run-fail | examples)
        if [ ! -f "$dir/$name.expected" ]; then
          drift "$what" "no $name.expected"
          continue
        fi
        opt=()
        release_mode "$f" && opt=(-O)
        # from inside the directory, so that panic locations say NAME.mrs
        (cd "$dir" && oracle "${opt[@]}" "$name.mrs") >"$tmp/out" || exit $?
        if ! cmp -s "$dir/$name.expected" "$tmp/out"; then
          diff -u --label "$name.expected" --label oracle "$dir/$name.expected" "$tmp/out" >"$tmp/diff"
          drift "$what" "the oracle's output differs from $name.expected" "$tmp/diff"
        fi
        ;;
      compile-fail)
        annotations "$f" | sort -u >"$tmp/want"
        (cd "$dir" && oracle --errors "$name.mrs") >"$tmp/raw" || exit $?
        sort -u "$tmp/raw" >"$tmp/got"
        # `ok`: rustc accepts it (a file whose only marks are `//~ UNSUPPORTED`)
        [ "$(cat "$tmp/got")" != ok ] || : >"$tmp/got"
        if ! cmp -s "$tmp/want" "$tmp/got"; then
          {
            comm -23 "$tmp/want" "$tmp/got" | sed 's/^/annotated, not reported: /'
            comm -13 "$tmp/want" "$tmp/got" | sed 's/^/reported, not annotated: /'
          } >"$tmp/diff"
          drift "$what" "the oracle's errors differ from the annotations" "$tmp/diff"
        fi
        ;;
      emit-c)
        opt=()
        release_mode "$f" && opt=(-O)
        (cd "$dir" && oracle --errors "${opt[@]}" "$name.mrs") >"$tmp/got" || exit $?
        if [ "$(cat "$tmp/got")" != ok ]; then
          drift "$what" "rustc rejects the program" "$tmp/got"
        fi
        ;;
    esac
  done
done

echo "$checked checked, $drifted drifted"
[ $drifted -eq 0 ]
