#!/usr/bin/env bash
# reduce.sh — cut a program down while a predicate keeps holding.
#
#   reduce.sh [-t MAXTESTS] [-T SECONDS] FILE PREDICATE [ARGS...]
#
# PREDICATE ARGS... CANDIDATE must exit 0 while CANDIDATE is still
# interesting (for the fuzzer: rustc accepts it and mrsc still disagrees with
# rustc in the same way). FILE is rewritten in place with the smallest
# version found; the first version is kept as FILE.orig.
#
# The passes work on lines, and rely on the layout mrsgen writes: one
# statement per line, a block's `{` ending its header line and its `}` alone
# on a line at the header's indentation. A line ending in `// step` (a loop
# counter and its exit) is only removed with its block, so that a cut-down
# program still terminates.
#   1. units: at each indentation level in turn, remove runs of N units (a
#      line, or a block with its `}`), N halving down to one (ddmin);
#   2. else arms: remove an `} else {` / `} else if .. {` arm with its body;
#   3. unwrap: replace `if c {`/`loop {`/`while .. {`/`for .. {`/`{` .. `}`
#      by its body.
# The passes repeat until none of them removes anything, or the budget of
# tests or seconds is spent.
set -u
max_tests=500 max_secs=900
while [ $# -gt 0 ]; do
  case "$1" in
    -t) max_tests=$2; shift 2 ;;
    -T) max_secs=$2; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
[ $# -ge 2 ] || { echo "usage: reduce.sh [-t MAXTESTS] [-T SECONDS] FILE PREDICATE [ARGS...]" >&2; exit 2; }
file=$1; shift
pred=("$@")
[ -f "$file" ] || { echo "reduce.sh: no such file: $file" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$file" "$file.orig"
cand=$work/$(basename "$file")
tests=0 start=$SECONDS

mapfile -t lines <"$file"

budget_left() {
  [ "$tests" -lt "$max_tests" ] && [ $((SECONDS - start)) -lt "$max_secs" ]
}

# Write the lines except those whose index is in the set `drop` (an
# associative array) to the candidate, and ask the predicate.
declare -A drop
try_drop() {
  local i
  : >"$cand"
  for i in "${!lines[@]}"; do
    [ -n "${drop[$i]:-}" ] || printf '%s\n' "${lines[$i]}" >>"$cand"
  done
  tests=$((tests + 1))
  "${pred[@]}" "$cand" >/dev/null 2>&1
}

# Accept the candidate: it becomes the current program.
accept() {
  mapfile -t lines <"$cand"
  cp "$cand" "$file"
}

# The units at indentation level $1 (4 spaces a level): "FIRST LAST" line
# indices, a unit being one line, or a block from its header to its closing
# `}` (through `} else {` arms).
units_at() {
  printf '%s\n' "${lines[@]}" | awk -v L=$(( $1 * 4 )) '
    { line[NR] = $0 }
    function ind(s) { return match(s, /[^ ]/) - 1 }
    END {
      for (i = 1; i <= NR; i++) {
        s = line[i]
        if (ind(s) != L || substr(s, L + 1, 1) == "}" || s ~ /\/\/ step$/) continue
        t = s; gsub(/"([^"\\]|\\.)*"/, "", t)
        if (t ~ /\{$/) {
          for (j = i + 1; j <= NR; j++) {
            u = line[j]; v = u; gsub(/"([^"\\]|\\.)*"/, "", v)
            if (ind(u) == L && substr(u, L + 1, 1) == "}" && v !~ /\{$/) break
          }
          if (j > NR) continue
          print i - 1, j - 1
          i = j
        } else {
          print i - 1, i - 1
        }
      }
    }'
}

# Pass 1: hierarchical ddmin: at each indentation level, remove runs of
# units, the run length halving from half of them down to one.
pass_units() {
  local any=0 level=0
  while [ $level -le 8 ] && budget_left; do
    local progress=1
    while [ $progress = 1 ] && budget_left; do
      progress=0
      mapfile -t us < <(units_at $level)
      local nu=${#us[@]}
      [ $nu = 0 ] && break
      local size=$(( (nu + 1) / 2 ))
      while [ $size -ge 1 ] && budget_left; do
        local i=0
        while [ $i -lt ${#us[@]} ] && budget_left; do
          local end=$(( i + size )) k j
          [ $end -gt ${#us[@]} ] && end=${#us[@]}
          drop=()
          for ((k = i; k < end; k++)); do
            local a=${us[$k]% *} b=${us[$k]#* }
            for ((j = a; j <= b; j++)); do drop[$j]=1; done
          done
          if try_drop; then
            accept; progress=1; any=1
            mapfile -t us < <(units_at $level)
            continue
          fi
          i=$(( i + size ))
        done
        size=$(( size / 2 ))
      done
    done
    level=$(( level + 1 ))
  done
  [ $any = 1 ]
}

# Set closer to the index of the line closing the block opened at line $1:
# the next line at the same indentation that starts with `}` (-1: none).
closer_of() {
  local o=$1 j l t ind
  t=${lines[$o]%%[! ]*}; ind=${#t}
  for ((j = o + 1; j < ${#lines[@]}; j++)); do
    l=${lines[$j]}; t=${l%%[! ]*}
    if [ ${#t} = "$ind" ] && [ "${l:$ind:1}" = "}" ]; then
      closer=$j; return
    fi
  done
  closer=-1
}

# Pass 2: remove `} else {` arms.
pass_else() {
  local any=0 i=0
  while [ $i -lt ${#lines[@]} ] && budget_left; do
    local l=${lines[$i]}
    if [[ $l =~ ^\ *\}\ else.*\{$ ]]; then
      closer_of "$i"; local c=$closer
      if [ "$c" -gt "$i" ]; then
        drop=()
        for ((j = i; j < c; j++)); do drop[$j]=1; done
        if try_drop; then accept; any=1; continue; fi
      fi
    fi
    i=$(( i + 1 ))
  done
  [ $any = 1 ]
}

# Pass 3: replace a block by its body.
pass_unwrap() {
  local any=0 i=0
  while [ $i -lt ${#lines[@]} ] && budget_left; do
    local l=${lines[$i]}
    if [[ $l =~ ^\ *(\'[a-z0-9]+:\ )?(if\ .*|loop|while\ .*|for\ .*|)\{$ ]] && ! [[ $l =~ ^\ *if\ let ]]; then
      closer_of "$i"; local c=$closer
      if [ "$c" -gt "$i" ] && [[ ${lines[$c]} =~ ^\ *\}$ ]]; then
        drop=([$i]=1 [$c]=1)
        if try_drop; then accept; any=1; continue; fi
      fi
    fi
    i=$(( i + 1 ))
  done
  [ $any = 1 ]
}

"${pred[@]}" "$file" >/dev/null 2>&1 || { echo "reduce.sh: the predicate does not hold for $file" >&2; exit 1; }
before=${#lines[@]}
while budget_left; do
  changed=0
  pass_units && changed=1
  pass_else && changed=1
  pass_unwrap && changed=1
  [ $changed = 1 ] || break
done
# Blank lines left by the removals: squeeze runs, if the predicate agrees
# (a panic's line number may be part of what is compared).
printf '%s\n' "${lines[@]}" | awk 'NF { blank = 0; print; next } !blank && NR > 1 { print } { blank = 1 }' >"$cand"
if ! cmp -s "$cand" "$file" && "${pred[@]}" "$cand" >/dev/null 2>&1; then
  cp "$cand" "$file"
fi
echo "reduce.sh: $before -> $(wc -l <"$file") lines in $tests tests, $((SECONDS - start))s"
