#!/usr/bin/env bash
# check-fuzz.sh — differential testing of mrsc against rustc on generated programs.
#
#   tests/fuzz/check-fuzz.sh [-n N] [-s SEED] [-j JOBS] [--mrsc PATH] [--keep DIR]
#                            [--unsupported | --borrows] [--no-reduce] [--no-valgrind] [--no-dedup]
#                            [--keep-work]
#
# For each seed SEED..SEED+N-1 (defaults: 100 programs from seed 1, 1 job),
# mrsgen writes a program; rustc-oracle says what rustc makes of it; mrsc
# builds it and the result runs (and runs again under valgrind). Each program
# lands in one category:
#
#   pass               same stdout, exit status and panic message as rustc
#   diverge            stdout, exit status or panic message differ
#   mrsc-reject        mrsc reported errors for a program rustc accepts
#   mrsc-crash         mrsc died on a signal, timed out, or reported an ICE
#   cc-fail            the C that mrsc wrote does not compile
#   valgrind           the mrsc build has invalid accesses or definite leaks
#   verdict            (--borrows) rustc rejects the program and mrsc does not give
#                      the same error codes on the same lines
#   generator-invalid  rustc rejects the program: a bug of mrsgen, reported only
#   skipped            no rustc (rustc-oracle exits 3)
#
# With --unsupported the programs each use one construct mrsc refuses, and a
# program passes when mrsc says "not supported by mrsc" (exit 1, no error code).
# With --borrows the programs are about borrowing (mrsgen --borrows): rustc may
# reject them; one it rejects passes when mrsc reports the same set of error
# codes and lines, one it accepts is compared as usual (a borrow error from
# mrsc there is an mrsc-reject).
#
# Each failure is cut down with reduce.sh (same category, rustc still accepts)
# and kept in DIR (default tests/fuzz/found/) as fuzz_SEED.mrs with
# fuzz_SEED.expected, the oracle's output for it; the program as generated
# goes to DIR/orig/. A cc-fail, mrsc-reject or mrsc-crash with the same message
# as an earlier one in the run is only kept in DIR/orig/, not reduced again
# (--no-dedup reduces every one). --keep-work leaves each program's working
# directory (build log, outputs). Exit status 1 when anything but pass,
# skipped and generator-invalid was seen.
#
# Environment: RUSTC_ORACLE (default ../shared/tools/rustc-oracle next to the
# source tree), MRSGEN (a built mrsgen; else it is compiled with $CC),
# FUZZ_REDUCE_TESTS / FUZZ_REDUCE_SECS (the reducer's budget per program).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
self=$here/$(basename "${BASH_SOURCE[0]}")
srcdir=$(cd "$here/../.." && pwd)

abspath() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }

# ---------------------------------------------------------------------------
# One program: classify FILE in its own directory. Prints "CATEGORY KEY|DETAIL".
# KEY is what the reducer must preserve; DETAIL is for people.

section() { # FILE NAME: the lines of one section of the oracle's format
  awk -v want="== $2" '
    /^== (stdout|stderr|status)/ { on = ($0 == want) ; next }
    on { print }' "$1"
}

panic_line() { # the panic location (file name dropped) and message
  grep -A1 -m1 'panicked at' "$1" | sed -E "s/^thread '[^']*'( \([0-9]+\))? //; s/panicked at [^:]*:/panicked at /"
}

classify() {
  local f=$1 dir name
  dir=$(dirname "$f"); name=$(basename "$f" .mrs)
  ( cd "$dir" || exit 1
    rm -f "$name.bin" build.log out err vg.log exp.txt
    timeout 120 "$MRSC" "$name.mrs" -o "$name.bin" >build.log 2>&1; brc=$?
    if [ $brc -ge 124 ] || grep -q 'internal compiler error' build.log; then
      crash=1
    else
      crash=0
    fi
    need_full=1
    if [ $crash = 1 ] || [ $brc -ne 0 ] || [ ! -x "$name.bin" ]; then need_full=0; fi
    if [ "$BORROWS" = 1 ] && [ $crash = 0 ]; then
      # rustc's verdict first: a rejected program passes when mrsc rejects it with
      # the same codes on the same lines
      timeout 300 "$ORACLE" --errors "$name.mrs" >exp.txt 2>/dev/null; orc=$?
      [ $orc = 3 ] && { echo "skipped rustc|rustc missing"; exit 0; }
      if [ "$(head -1 exp.txt)" != ok ]; then
        if grep -vqE '^(E0499|E0502|E0503|E0505|E0506|E0597|E0716|E0515|E0373|E0382|E0713|E0521|E0381|E0384) ' exp.txt; then
          echo "generator-invalid rustc|$(head -1 exp.txt)"; exit 0
        fi
        awk '/^error\[E[0-9]+\]/ { c = substr($0, 7, 5); getline; n = split($0, a, ":"); if (n >= 3) print c, a[n-1] }' \
          build.log | sort -u >got-errors.txt
        sort -u exp.txt >want-errors.txt
        if cmp -s want-errors.txt got-errors.txt; then
          echo "pass verdict|rejected as rustc: $(tr '\n' ' ' <want-errors.txt)"; exit 0
        fi
        wc=$(cut -d' ' -f1 want-errors.txt | sort -u | tr '\n' +); gc=$(cut -d' ' -f1 got-errors.txt | sort -u | tr '\n' +)
        echo "verdict rustc:${wc:-accept} mrsc:${gc:-accept}|rustc [$(tr '\n' ' ' <want-errors.txt)] mrsc [$(tr '\n' ' ' <got-errors.txt)]"
        exit 0
      fi
    fi
    # rustc's verdict: only whether it compiles, unless we must compare runs
    if [ $need_full = 0 ]; then
      timeout 300 "$ORACLE" --errors "$name.mrs" >exp.txt 2>/dev/null; orc=$?
      [ $orc = 3 ] && { echo "skipped rustc|rustc missing"; exit 0; }
      if [ "$(head -1 exp.txt)" != ok ]; then
        echo "generator-invalid rustc|$(head -1 exp.txt)"; exit 0
      fi
    else
      timeout 300 "$ORACLE" "$name.mrs" >exp.txt 2>/dev/null; orc=$?
      [ $orc = 3 ] && { echo "skipped rustc|rustc missing"; exit 0; }
      [ $orc != 0 ] && { echo "skipped oracle|oracle failed ($orc)"; exit 0; }
      if grep -q '^== compile error' exp.txt; then
        echo "generator-invalid rustc|$(grep -m1 '^error' exp.txt)"; exit 0
      fi
      if grep -qx '== status 124' exp.txt; then
        echo "generator-invalid timeout|rustc's build of it ran out of time"; exit 0
      fi
    fi
    if [ $crash = 1 ]; then
      echo "mrsc-crash crash|status $brc: $(grep -m1 -iE 'internal|error' build.log | cut -c1-160)"; exit 0
    fi
    if grep -q 'error: the C compiler' build.log; then
      echo "cc-fail cc|$(grep -m1 -E 'error:' build.log | cut -c1-160)"; exit 0
    fi
    if [ $brc -ne 0 ]; then
      first=$(grep -m1 -E '^error' build.log)
      if [ "$UNSUP" = 1 ] && grep -q 'not supported by mrsc' build.log && ! grep -q '^error\[E' build.log; then
        echo "pass unsupported|$(echo "$first" | cut -c1-120)"; exit 0
      fi
      # the key: the error code, or the message without the names in it
      key=$(echo "$first" | sed -E 's/^error\[(E[0-9]+)\].*/\1/; s/`[^`]*`/_/g')
      echo "mrsc-reject $key|$(echo "$first" | cut -c1-160)"; exit 0
    fi
    if [ ! -x "$name.bin" ]; then
      echo "mrsc-crash nobin|exit 0 but no executable"; exit 0
    fi
    [ "$UNSUP" = 1 ] && accepted=" (mrsc accepted the unsupported construct)" || accepted=""
    (RUST_BACKTRACE=0 timeout 10 "./$name.bin" >out 2>err </dev/null; exit $?) 2>/dev/null; st=$?
    { echo "== stdout"; cat out; echo "== stderr"; cat err; echo "== status $st"; } >got.txt
    est=$(sed -n 's/^== status //p' exp.txt)
    # the key says which of stdout, status and panic message differ, so the
    # reducer keeps the same disagreement
    key= why=
    if ! cmp -s <(section exp.txt stdout) <(section got.txt stdout); then
      line=$(diff <(section exp.txt stdout) <(section got.txt stdout) | sed -n '2p' | cut -c1-60)
      key=out; why="stdout differs first at [$line]"
    fi
    if [ "$st" != "$est" ]; then
      key="${key:+$key,}status$st/$est"; why="${why:+$why; }exit status $st, rustc $est"
    elif [ "$est" = 101 ]; then
      want=$(panic_line exp.txt); got=$(panic_line err)
      if [ "$want" != "$got" ]; then
        key="${key:+$key,}panic"
        why="${why:+$why; }panic: got [$(echo $got | cut -c1-80)] want [$(echo $want | cut -c1-80)]"
      fi
    fi
    if [ -n "$key" ]; then
      echo "diverge $key|$why$accepted"; exit 0
    fi
    if [ "$VALGRIND" = 1 ]; then
      timeout 300 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        --log-file=vg.log "./$name.bin" >/dev/null 2>&1 </dev/null
      if [ -s vg.log ]; then
        what=$(grep -m1 -oE 'Invalid (read|write|free)|definitely lost|uninitialised|Mismatched free|overlap' vg.log)
        echo "valgrind ${what// /_}|$(grep -m1 -E 'Invalid|definitely|uninitialised|free|overlap' vg.log | sed 's/^==[0-9]*== //' | cut -c1-120)"
        exit 0
      fi
    fi
    if [ "$UNSUP" = 1 ]; then
      echo "pass accepted|mrsc accepted the unsupported construct and agrees with rustc"; exit 0
    fi
    echo "pass ok|"
  )
}

# --interesting CATEGORY KEY FILE: the reducer's predicate
if [ "${1:-}" = --interesting ]; then
  [ "$2" = valgrind ] || VALGRIND=0
  r=$(classify "$(abspath "$4")")
  [ "${r%%|*}" = "$2 $3" ]
  exit
fi

# What makes two failures the same bug, for --dedup: the C compiler's message
# for cc-fail (numbers and the fn name before `_closure` dropped), the key for
# mrsc-reject and mrsc-crash. Divergences are never merged.
signature() { # CATEGORY KEY DETAIL
  case $1 in
    cc-fail) echo "$1 $(echo "$3" | sed -E 's#^[^ ]*\.c:[0-9]+:[0-9]+: ##; s/[a-z0-9]+_(closure|for)/X_\1/g; s/[0-9]+/#/g')" ;;
    mrsc-reject|mrsc-crash) echo "$1 $2" ;;
    *) echo "$1 $2 $seed" ;;
  esac
}

# --one SEED: generate, classify, reduce, keep; writes $RESULTS/SEED
if [ "${1:-}" = --one ]; then
  seed=$2
  d=$WORK/s$seed; mkdir -p "$d"
  f=$d/fuzz_$seed.mrs
  if [ "$UNSUP" = 1 ]; then "$MRSGEN" --unsupported "$seed" >"$f"
  elif [ "$BORROWS" = 1 ]; then "$MRSGEN" --borrows "$seed" >"$f"
  else "$MRSGEN" "$seed" >"$f"; fi
  r=$(classify "$f")
  cat=${r%% *}; rest=${r#* }; key=${rest%%|*}; detail=${rest#*|}
  case $cat in
    diverge|mrsc-reject|mrsc-crash|cc-fail|valgrind|verdict)
      mkdir -p "$KEEP/orig" "$WORK/sigs"
      cp "$f" "$KEEP/orig/fuzz_$seed.mrs"
      sig=$WORK/sigs/$(signature "$cat" "$key" "$detail" | cksum | cut -d' ' -f1)
      if [ "${DEDUP:-1}" = 1 ] && ! mkdir "$sig" 2>/dev/null; then
        detail="$detail; same as seed $(cat "$sig/seed" 2>/dev/null), not reduced ($KEEP/orig/fuzz_$seed.mrs)"
      else
        echo "$seed" >"$sig/seed" 2>/dev/null
        if [ "$REDUCE" = 1 ]; then
          "$here/reduce.sh" -t "${FUZZ_REDUCE_TESTS:-600}" -T "${FUZZ_REDUCE_SECS:-900}" "$f" \
            "$self" --interesting "$cat" "$key" >"$d/reduce.log" 2>&1
          detail="$detail; reduced $(wc -l <"$KEEP/orig/fuzz_$seed.mrs") -> $(wc -l <"$f") lines"
        fi
        cp "$f" "$KEEP/fuzz_$seed.mrs"
        if [ "$cat" = verdict ]; then # a compile-fail test: rustc's codes and lines
          (cd "$KEEP" && timeout 300 "$ORACLE" --errors "fuzz_$seed.mrs" >"fuzz_$seed.errors" 2>/dev/null)
        else
          (cd "$KEEP" && timeout 300 "$ORACLE" "fuzz_$seed.mrs" >"fuzz_$seed.expected" 2>/dev/null)
        fi
        detail="$detail  ($KEEP/fuzz_$seed.mrs)"
      fi
      ;;
    generator-invalid)
      mkdir -p "$KEEP/invalid"
      cp "$f" "$KEEP/invalid/gen_$seed.mrs"
      ;;
  esac
  echo "$cat $seed $detail" >"$RESULTS/$seed"
  [ "$KEEPWORK" = 1 ] || rm -rf "$d"
  exit 0
fi

# ---------------------------------------------------------------------------
# The driver

usage() { sed -n '2,5p' "$self" | sed 's/^# \{0,1\}//'; exit 2; }
n=100 seed=1 jobs=1 mrsc= keep=$here/found
UNSUP=0 BORROWS=0 REDUCE=1 VALGRIND=1 KEEPWORK=0 DEDUP=1
while [ $# -gt 0 ]; do
  case "$1" in
    -n) n=$2; shift 2 ;;
    -s) seed=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    --mrsc) mrsc=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --unsupported) UNSUP=1; shift ;;
    --borrows) BORROWS=1; shift ;;
    --no-reduce) REDUCE=0; shift ;;
    --no-valgrind) VALGRIND=0; shift ;;
    --keep-work) KEEPWORK=1; shift ;;
    --no-dedup) DEDUP=0; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$self"; exit 0 ;;
    *) echo "check-fuzz.sh: unknown argument $1" >&2; usage ;;
  esac
done
[ -n "$mrsc" ] || { [ -x ./mrsc ] && mrsc=./mrsc || mrsc=$srcdir/mrsc; }
MRSC=$(abspath "$mrsc")
[ -x "$MRSC" ] || { echo "check-fuzz.sh: no mrsc at $MRSC (build it, or pass --mrsc)" >&2; exit 2; }
ORACLE=$(abspath "${RUSTC_ORACLE:-$srcdir/../shared/tools/rustc-oracle}")
KEEP=$(abspath "$keep")
command -v valgrind >/dev/null || { [ $VALGRIND = 1 ] && echo "check-fuzz.sh: no valgrind; runs are not checked for memory errors" >&2; VALGRIND=0; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/check-fuzz.XXXXXX")
trap '[ "$KEEPWORK" = 1 ] && echo "check-fuzz.sh: working directories kept in $WORK" >&2 || rm -rf "$WORK"' EXIT
RESULTS=$WORK/results; mkdir -p "$RESULTS" "$KEEP"

if [ -n "${MRSGEN:-}" ]; then
  MRSGEN=$(abspath "$MRSGEN")
else
  MRSGEN=$WORK/mrsgen
  ${CC:-cc} -std=c11 -O2 -o "$MRSGEN" "$here/mrsgen.c" || { echo "check-fuzz.sh: cannot build mrsgen" >&2; exit 2; }
fi

if [ ! -x "$ORACLE" ]; then
  echo "check-fuzz.sh: no rustc-oracle at $ORACLE: every program is skipped" >&2
  echo "fuzz: $n programs, 0 pass, 0 diverge, 0 mrsc-reject, 0 mrsc-crash, 0 cc-fail, 0 valgrind, 0 generator-invalid, $n skipped"
  exit 0
fi

export MRSC ORACLE KEEP WORK RESULTS MRSGEN UNSUP BORROWS REDUCE VALGRIND KEEPWORK DEDUP
seq "$seed" $((seed + n - 1)) | xargs -P "$jobs" -n 1 "$self" --one

declare -A count
cats="pass diverge mrsc-reject mrsc-crash cc-fail valgrind generator-invalid skipped"
[ "$BORROWS" = 1 ] && cats="pass verdict diverge mrsc-reject mrsc-crash cc-fail valgrind generator-invalid skipped"
for c in $cats; do count[$c]=0; done
shown_invalid=0 rejected=0
for s in $(seq "$seed" $((seed + n - 1))); do
  [ -f "$RESULTS/$s" ] || { count[skipped]=$(( ${count[skipped]} + 1 )); continue; }
  read -r c _ detail <"$RESULTS/$s"
  count[$c]=$(( ${count[$c]:-0} + 1 ))
  [ "$c" = pass ] && [[ $detail == "rejected as rustc"* ]] && rejected=$((rejected + 1))
  case $c in
    pass|skipped) ;;
    generator-invalid)
      if [ $shown_invalid -lt 5 ]; then
        echo "generator-invalid seed $s: $detail  ($KEEP/invalid/gen_$s.mrs)"
        shown_invalid=$((shown_invalid + 1))
      fi ;;
    *) echo "$c seed $s: $detail" ;;
  esac
done
line="fuzz: $n programs"
for c in $cats; do line="$line, ${count[$c]} $c"; done
[ "$BORROWS" = 1 ] && line="$line ($rejected of the passes rejected with rustc's codes and lines)"
echo "$line"
bad=$(( ${count[diverge]} + ${count[mrsc-reject]} + ${count[mrsc-crash]} + ${count[cc-fail]} + ${count[valgrind]} + ${count[verdict]:-0} ))
[ $bad = 0 ]
