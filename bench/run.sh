#!/usr/bin/env bash
# bench/run.sh — time the bench/*.mrs programs built by mrsc -O against the
# same sources built by rustc -O, and print one table.
#
#   bench/run.sh [NAME...]        run all programs, or only bench/NAME.mrs
#
# Environment:
#   MRSC         the compiler to measure (default ./mrsc, i.e. run from the
#                top of a build tree); CC is passed on to it as usual
#   RUSTC        rustc to compare with (default: rustc from PATH, else
#                ~/.cargo/bin/rustc; the rustc columns are left out when none)
#   BENCH_RUNS   timed runs per binary, the median is reported (default 3)
#
# Each program prints a few result lines ending with a checksum. Both builds
# must print exactly bench/NAME.expected (recorded with rustc-oracle -O);
# a mismatch is reported in the table and makes the script exit 1.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
mrsc=${MRSC:-./mrsc}
runs=${BENCH_RUNS:-3}

if [ -z "${RUSTC:-}" ]; then
    if command -v rustc >/dev/null 2>&1; then
        RUSTC=$(command -v rustc)
    elif [ -x "$HOME/.cargo/bin/rustc" ]; then
        RUSTC=$HOME/.cargo/bin/rustc
    fi
fi
rustc=${RUSTC:-}

[ -x "$mrsc" ] || command -v "$mrsc" >/dev/null 2>&1 ||
    { echo "bench: no mrsc at '$mrsc' (build it, or set MRSC)" >&2; exit 2; }

have_time=false
[ -x /usr/bin/time ] && /usr/bin/time -f '%e' true >/dev/null 2>&1 && have_time=true

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ $# -gt 0 ]; then
    progs=()
    for n in "$@"; do progs+=("$here/${n%.mrs}.mrs"); done
else
    progs=("$here"/*.mrs)
fi

# measure BIN: runs it $runs times; sets t (median wall seconds) and rss
# (largest max-RSS in KiB, "-" when /usr/bin/time is missing).
measure() {
    local bin=$1 i times=() rss_max=0 line
    for ((i = 0; i < runs; i++)); do
        if $have_time; then
            /usr/bin/time -f '%e %M' -o "$work/time" "$bin" >/dev/null </dev/null
            read -r line <"$work/time"
            times+=("${line% *}")
            [ "${line#* }" -gt "$rss_max" ] && rss_max=${line#* }
        else
            local TIMEFORMAT=%3R
            { time "$bin" >/dev/null </dev/null 2>&1; } 2>"$work/time"
            read -r line <"$work/time"
            times+=("$line")
        fi
    done
    t=$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(((runs + 1) / 2))p")
    if $have_time; then rss=$rss_max; else rss=-; fi
}

mib() { [ "$1" = - ] && echo - || awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# check NAME BIN OUT: runs BIN into OUT and compares with the expectation
check_output() {
    local name=$1 bin=$2 out=$3
    "$bin" >"$out" </dev/null 2>"$out.err" || return 1
    [ ! -f "$here/$name.expected" ] || cmp -s "$out" "$here/$name.expected"
}

if [ -n "$rustc" ]; then
    printf '%-10s %9s %9s %9s %9s %11s  %s\n' \
        program "mrsc s" "mrsc MiB" "rustc s" "rustc MiB" "mrsc/rustc" output
else
    printf '%-10s %9s %9s  %s\n' program "mrsc s" "mrsc MiB" output
    echo "(no rustc found: the rustc columns are left out)" >&2
fi

status=0
for src in "${progs[@]}"; do
    name=$(basename "$src" .mrs)
    [ -f "$src" ] || { echo "bench: no such program: $src" >&2; status=1; continue; }
    verdict=same
    mt=- mr=- rt=- rr=- ratio=-

    if "$mrsc" -O -o "$work/$name.mrsc" "$src" 2>"$work/$name.mrsc.log"; then
        if check_output "$name" "$work/$name.mrsc" "$work/$name.mrsc.out"; then
            measure "$work/$name.mrsc"; mt=$t mr=$(mib "$rss")
        else
            verdict="mrsc output differs"
        fi
    else
        verdict="mrsc build failed"
        sed 's/^/    /' "$work/$name.mrsc.log" | head -n 20 >&2
    fi

    if [ -n "$rustc" ]; then
        cp "$src" "$work/$name.rs"
        if "$rustc" -O --edition 2021 -o "$work/$name.rustc" "$work/$name.rs" 2>"$work/$name.rustc.log"; then
            if check_output "$name" "$work/$name.rustc" "$work/$name.rustc.out"; then
                measure "$work/$name.rustc"; rt=$t rr=$(mib "$rss")
            elif [ "$verdict" = same ]; then
                verdict="rustc output differs from $name.expected"
            fi
        elif [ "$verdict" = same ]; then
            verdict="rustc build failed"
        fi
        if [ "$verdict" = same ] && ! cmp -s "$work/$name.mrsc.out" "$work/$name.rustc.out"; then
            verdict="outputs differ"
        fi
        if [ "$mt" != - ] && [ "$rt" != - ]; then
            ratio=$(awk -v a="$mt" -v b="$rt" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
        fi
        printf '%-10s %9s %9s %9s %9s %11s  %s\n' "$name" "$mt" "$mr" "$rt" "$rr" "$ratio" "$verdict"
    else
        printf '%-10s %9s %9s  %s\n' "$name" "$mt" "$mr" "$verdict"
    fi
    [ "$verdict" = same ] || status=1
done
exit "$status"
