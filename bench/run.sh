#!/usr/bin/env bash
# bench/run.sh — time the bench/*.mrs workloads built by mrsc -O against the
# same sources built by rustc -O and against hand-written C (bench/c/NAME.c,
# where there is one), then time the front end and a full debug build on a
# generated ~15k-line program. Prints one table. See bench/README.md.
#
#   bench/run.sh [NAME...]        all workloads, or only bench/NAME.mrs
#
# Environment (all optional):
#   MRSC             the compiler to measure (default ./mrsc: run from the top
#                    of a build tree)
#   CC               the C compiler; mrsc reads it as usual, and the hand-written
#                    C is built with the same compiler and the flags mrsc -O
#                    passes to it: $CC -std=c11 -O2 -fno-math-errno -funroll-loops
#                    (and, when $CC takes it, --param=max-completely-peel-times=64)
#                    ... -lm (default cc)
#   RUSTC            rustc to compare with (default: rustc on PATH, else
#                    ~/.cargo/bin/rustc); without one the rustc columns are "-"
#   BENCH_RUNS       timed runs of each binary (default 5)
#   BENCH_BUILD_RUNS timed runs of each compiler on the big program (default 3)
#   BENCH_BIG_UNITS  units in the generated program (default 127, ~15k lines)
#   BENCH_NO_BIG     set to 1 to skip the two compile-time lines
#
# Every run's stdout must equal bench/NAME.expected (recorded with
# rustc-oracle -O); any wrong output or failed build makes the script exit 1.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
mrsc=${MRSC:-./mrsc}
runs=${BENCH_RUNS:-5}
build_runs=${BENCH_BUILD_RUNS:-3}
big_units=${BENCH_BIG_UNITS:-127}
cc=${CC:-cc}
export LC_ALL=C

if [ -z "${RUSTC:-}" ]; then
    if command -v rustc >/dev/null 2>&1; then
        RUSTC=$(command -v rustc)
    elif [ -x "$HOME/.cargo/bin/rustc" ]; then
        RUSTC=$HOME/.cargo/bin/rustc
    fi
fi
rustc=${RUSTC:-}
if [ -n "$rustc" ] && ! command -v "$rustc" >/dev/null 2>&1; then
    echo "bench: RUSTC=$rustc is not runnable: leaving the rustc columns out" >&2
    rustc=
fi

[ -x "$mrsc" ] || command -v "$mrsc" >/dev/null 2>&1 ||
    { echo "bench: no mrsc at '$mrsc' (build it, or set MRSC)" >&2; exit 2; }
case $mrsc in */*) mrsc=$(cd "$(dirname "$mrsc")" && pwd)/$(basename "$mrsc") ;; esac

have_time=false
[ -x /usr/bin/time ] && /usr/bin/time -f '%M' true >/dev/null 2>&1 && have_time=true

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ $# -gt 0 ]; then
    names=()
    for n in "$@"; do n=${n##*/}; names+=("${n%.mrs}"); done
else
    names=()
    for f in "$here"/*.mrs; do n=${f##*/}; names+=("${n%.mrs}"); done
fi

# now: wall-clock seconds with microseconds
if [ -n "${EPOCHREALTIME:-}" ]; then
    now() { t_now=${EPOCHREALTIME/,/.}; }
else
    now() { t_now=$(date +%s.%N); }
fi

# run_once BIN OUT: runs BIN with stdout to OUT; sets secs and kib (peak RSS,
# "-" without GNU time). Returns BIN's exit status.
run_once() {
    local bin=$1 out=$2 t0 rc
    now; t0=$t_now
    if $have_time; then
        /usr/bin/time -f '%M' -o "$work/rss" "$bin" >"$out" 2>"$out.err" </dev/null; rc=$?
    else
        "$bin" >"$out" 2>"$out.err" </dev/null; rc=$?
    fi
    now
    secs=$(awk -v a="$t0" -v b="$t_now" 'BEGIN { printf "%.4f", b - a }')
    kib=-
    if $have_time; then kib=$(tail -n 1 "$work/rss"); fi
    return $rc
}

# stat "min"|"med" VALUES...: the minimum, or the median (the mean of the two
# middle values for an even count)
stat() {
    local what=$1; shift
    printf '%s\n' "$@" | sort -g | awk -v w="$what" '
        { v[NR] = $1 }
        END {
            if (NR == 0) { print "-"; exit }
            if (w == "min") { print v[1]; exit }
            if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2
        }'
}

f2() { [ "$1" = - ] && echo - || awk -v x="$1" 'BEGIN { printf "%.2f", x }'; }
f3() { [ "$1" = - ] && echo - || awk -v x="$1" 'BEGIN { printf "%.3f", x }'; }
mib() { [ "$1" = - ] && echo - || awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

cc_version=$($cc --version 2>/dev/null | head -n 1)
# mrsc -O's flags (driver/main.c, cc_command), which the hand-written C gets too; gcc's
# limit on complete unrolling is raised when the compiler takes it
opt_flags="-O2 -fno-math-errno -funroll-loops"
echo 'int main(void) { return 0; }' >"$work/peel.c"
if $cc -Werror --param=max-completely-peel-times=64 -c "$work/peel.c" -o "$work/peel.o" >/dev/null 2>&1; then
    opt_flags="$opt_flags --param=max-completely-peel-times=64"
fi
echo "C compiler: $cc (${cc_version:-unknown version}); mrsc -O and the hand-written C use $cc -std=c11 $opt_flags"
if [ -n "$rustc" ]; then
    echo "rustc: $rustc ($("$rustc" --version 2>/dev/null)), -O --edition 2021"
else
    echo "rustc: missing (not on PATH, not in ~/.cargo/bin, RUSTC unset): the rustc columns are '-'"
fi
echo "runs: $runs per binary, alternating mrsc, rustc, C; times in seconds; ratios are per run pair"
echo

hdr='%-13s %6s %6s  %6s %6s  %6s %6s  %5s %5s  %5s %5s  %6s %6s %6s  %s\n'
printf '%-13s %13s  %13s  %13s  %11s  %11s  %20s\n' "" "mrsc s" "rustc s" "hand C s" \
    "mrsc/rustc" "mrsc/C" "peak RSS MiB"
printf "$hdr" workload min med min med min med min med min med mrsc rustc C output

status=0
geo_r_n=0 geo_r_min=0 geo_r_med=0 geo_c_n=0 geo_c_min=0 geo_c_med=0
for name in "${names[@]}"; do
    src=$here/$name.mrs
    if [ ! -f "$src" ]; then
        echo "bench: no such workload: $src" >&2; status=1; continue
    fi
    verdict=ok
    # fail WHY: the first thing that went wrong is what the table says
    fail() { [ "$verdict" = ok ] && verdict=$1; }
    builds=()
    # build
    if "$mrsc" -O -o "$work/$name.mrsc" "$src" 2>"$work/$name.mrsc.log"; then
        builds+=(mrsc)
    else
        fail "mrsc build failed"
        sed 's/^/    /' "$work/$name.mrsc.log" | head -n 20 >&2
    fi
    if [ -n "$rustc" ]; then
        cp "$src" "$work/$name.rs"
        if "$rustc" -O --edition 2021 -o "$work/$name.rustc" "$work/$name.rs" 2>"$work/$name.rustc.log"; then
            builds+=(rustc)
        else
            fail "rustc build failed"
            sed 's/^/    /' "$work/$name.rustc.log" | head -n 20 >&2
        fi
    fi
    has_c=false
    if [ -f "$here/c/$name.c" ]; then
        has_c=true
        # shellcheck disable=SC2086
        if $cc -std=c11 $opt_flags -o "$work/$name.c" "$here/c/$name.c" -lm 2>"$work/$name.c.log"; then
            builds+=(c)
        else
            fail "C build failed"
            sed 's/^/    /' "$work/$name.c.log" | head -n 20 >&2
        fi
    fi

    declare -A times=() rss=()
    for b in mrsc rustc c; do times[$b]=""; rss[$b]=0; done
    r_ratios=() c_ratios=()
    for ((i = 0; i < runs; i++)); do
        declare -A this=()
        for b in "${builds[@]}"; do
            run_once "$work/$name.$b" "$work/$name.$b.out"; rc=$?
            if [ $rc -ne 0 ]; then
                fail "$b build exited with status $rc"
                this[$b]=-
                continue
            fi
            if [ -f "$here/$name.expected" ] && ! cmp -s "$work/$name.$b.out" "$here/$name.expected"; then
                fail "$b output differs from $name.expected"
            fi
            this[$b]=$secs
            times[$b]+=" $secs"
            if [ "$kib" != - ] && [ "$kib" -gt "${rss[$b]}" ]; then rss[$b]=$kib; fi
            $have_time || rss[$b]=-
        done
        if [ "${this[mrsc]:--}" != - ] && [ "${this[rustc]:--}" != - ]; then
            r_ratios+=("$(awk -v a="${this[mrsc]}" -v b="${this[rustc]}" 'BEGIN { print a / b }')")
        fi
        if [ "${this[mrsc]:--}" != - ] && [ "${this[c]:--}" != - ]; then
            c_ratios+=("$(awk -v a="${this[mrsc]}" -v b="${this[c]}" 'BEGIN { print a / b }')")
        fi
        unset this
    done
    [ -f "$here/$name.expected" ] || fail "no $name.expected"

    cols=()
    for b in mrsc rustc c; do
        # shellcheck disable=SC2086
        if [ -n "${times[$b]}" ]; then
            cols+=("$(f3 "$(stat min ${times[$b]})")" "$(f3 "$(stat med ${times[$b]})")")
        else
            cols+=(- -)
        fi
    done
    rmin=- rmed=- cmin=- cmed=-
    if [ ${#r_ratios[@]} -gt 0 ]; then rmin=$(stat min "${r_ratios[@]}"); rmed=$(stat med "${r_ratios[@]}"); fi
    if [ ${#c_ratios[@]} -gt 0 ]; then cmin=$(stat min "${c_ratios[@]}"); cmed=$(stat med "${c_ratios[@]}"); fi
    rss_m=- rss_r=- rss_c=-
    [ -n "${times[mrsc]}" ] && rss_m=$(mib "${rss[mrsc]}")
    [ -n "${times[rustc]}" ] && rss_r=$(mib "${rss[rustc]}")
    [ -n "${times[c]}" ] && rss_c=$(mib "${rss[c]}")
    printf "$hdr" "$name" "${cols[@]}" "$(f2 "$rmin")" "$(f2 "$rmed")" "$(f2 "$cmin")" "$(f2 "$cmed")" \
        "$rss_m" "$rss_r" "$rss_c" "$verdict"
    if [ "$verdict" = ok ]; then
        if [ "$rmin" != - ]; then
            geo_r_n=$((geo_r_n + 1))
            geo_r_min=$(awk -v s="$geo_r_min" -v x="$rmin" 'BEGIN { print s + log(x) }')
            geo_r_med=$(awk -v s="$geo_r_med" -v x="$rmed" 'BEGIN { print s + log(x) }')
        fi
        if [ "$cmin" != - ]; then
            geo_c_n=$((geo_c_n + 1))
            geo_c_min=$(awk -v s="$geo_c_min" -v x="$cmin" 'BEGIN { print s + log(x) }')
            geo_c_med=$(awk -v s="$geo_c_med" -v x="$cmed" 'BEGIN { print s + log(x) }')
        fi
    else
        status=1
    fi
    unset times rss
done

geo() { [ "$1" -gt 0 ] && awk -v s="$2" -v n="$1" 'BEGIN { printf "%.2f", exp(s / n) }' || echo -; }
printf "$hdr" "geomean" "" "" "" "" "" "" \
    "$(geo $geo_r_n "$geo_r_min")" "$(geo $geo_r_n "$geo_r_med")" \
    "$(geo $geo_c_n "$geo_c_min")" "$(geo $geo_c_n "$geo_c_med")" "" "" "" \
    "mrsc/rustc over $geo_r_n workloads, mrsc/C over $geo_c_n"

[ "${BENCH_NO_BIG:-}" = 1 ] && exit "$status"
echo

# ---- compile time on a generated program ---------------------------------
if ! command -v python3 >/dev/null 2>&1; then
    echo "compile time: skipped (python3 is needed to run bench/gen-big.py)"
    exit "$status"
fi
big=$work/big.mrs
python3 "$here/gen-big.py" "$big_units" >"$big"
lines=$(wc -l <"$big")
cp "$big" "$work/big.rs"

# time_cmd LABEL CMD...: runs CMD in $work, appends its seconds to tm_LABEL
declare -A tm=()
time_cmd() {
    local label=$1 t0; shift
    now; t0=$t_now
    if ! (cd "$work" && "$@") >"$work/cmd.out" 2>"$work/cmd.err"; then
        echo "bench: failed: $*" >&2; sed 's/^/    /' "$work/cmd.err" | head -n 20 >&2
        status=1
    fi
    now
    tm[$label]+=" $(awk -v a="$t0" -v b="$t_now" 'BEGIN { printf "%.4f", b - a }')"
}
med() { local v=${tm[$1]:-}; [ -n "$v" ] || { echo -; return; }; stat med $v; }

for ((i = 0; i < build_runs; i++)); do
    time_cmd mcheck_alt "$mrsc" --check big.mrs
    [ -n "$rustc" ] && time_cmd rmeta "$rustc" --edition 2021 --emit=metadata -o big.rmeta big.rs
done
# mrsc --check again, each run after one of its own: on a VM that gives freed pages back
# to the host (free page reporting), the first touch of memory another process just
# freed is slow, and in the runs above mrsc always starts right after rustc freed some
# 290 MB (about half of its time is then the kernel clearing pages; rustc, started after
# mrsc, is not hit). Both figures are printed; the ratio is of these.
time_cmd warmup "$mrsc" --check big.mrs
for ((i = 0; i < build_runs; i++)); do
    time_cmd mcheck "$mrsc" --check big.mrs
done
for ((i = 0; i < build_runs; i++)); do
    time_cmd mbuild "$mrsc" big.mrs -o big.mrsc
    [ -n "$rustc" ] && time_cmd rbuild "$rustc" --edition 2021 big.rs -o big.rustc
    time_cmd memit "$mrsc" --emit=c big.mrs -o big.c
done
# the big program must run and agree with rustc's build
if [ -x "$work/big.mrsc" ]; then
    "$work/big.mrsc" >"$work/big.mrsc.out" 2>&1 || { echo "bench: big.mrsc failed" >&2; status=1; }
    if [ -x "$work/big.rustc" ]; then
        "$work/big.rustc" >"$work/big.rustc.out" 2>&1
        cmp -s "$work/big.mrsc.out" "$work/big.rustc.out" ||
            { echo "bench: the big program's mrsc and rustc builds print different output" >&2; status=1; }
    fi
fi

mc=$(med mcheck) mca=$(med mcheck_alt) rm_=$(med rmeta) mb=$(med mbuild) rb=$(med rbuild) me=$(med memit)
lps() { [ "$1" = - ] && echo - || awk -v l="$lines" -v t="$1" 'BEGIN { printf "%.0f", l / t }'; }
ratio() { { [ "$1" = - ] || [ "$2" = - ]; } && echo - || awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "front end, $lines-line program from gen-big.py $big_units (median of $build_runs):"
printf '  mrsc --check %s s = %s lines/s; rustc --emit=metadata %s s = %s lines/s; mrsc is %sx faster\n' \
    "$(f3 "$mc")" "$(lps "$mc")" "$(f3 "$rm_")" "$(lps "$rm_")" "$(ratio "$rm_" "$mc")"
printf '  (mrsc --check run right after rustc: %s s, %sx)\n' "$(f3 "$mca")" "$(ratio "$rm_" "$mca")"
echo "full debug build of that program (median of $build_runs):"
printf '  mrsc (CC=%s) %s s; rustc %s s; mrsc/rustc %s' "$cc" "$(f3 "$mb")" "$(f3 "$rb")" "$(ratio "$mb" "$rb")"
if [ "$me" != - ] && [ "$mb" != - ]; then
    # mrsc --emit=c is everything but the C compiler; the rest of the build is $CC
    printf '; of mrsc'"'"'s build: .mrs to C %s s, %s (compile and link) %s s = %s%%' "$(f3 "$me")" "$cc" \
        "$(awk -v e="$me" -v b="$mb" 'BEGIN { printf "%.3f", b - e }')" \
        "$(awk -v e="$me" -v b="$mb" 'BEGIN { printf "%.0f", 100 * (b - e) / b }')"
fi
echo
exit "$status"
