# shellcheck shell=bash
# Shared by the benchmark scripts (sourced, not run): timing one command and
# taking medians, installing packages. The sourcing script sets SCRATCH, a directory for the
# timing and output files of each run.

# Run a command once under GNU time and append "wall-seconds peak-KiB" to FILE.
# Output never goes to a terminal. Wall time comes from $EPOCHREALTIME (µs)
# because time's %e has only 10 ms resolution; %e is the fallback.
measure() {
  local file=$1 t0 t1 secs kib rc=0
  shift
  t0=${EPOCHREALTIME:-}
  /usr/bin/time -f '%e %M' -o "$SCRATCH/time.txt" "$@" >"$SCRATCH/stdout.txt" 2>"$SCRATCH/stderr.txt" || rc=$?
  t1=${EPOCHREALTIME:-}
  ((rc == 0)) || return "$rc"
  read -r secs kib < <(tail -n 1 "$SCRATCH/time.txt") # a non-zero exit adds a line before
  [[ -n $t0 ]] && secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
  echo "$secs $kib" >>"$file"
}

# Median of column COL of FILE.
median() {
  cut -d' ' -f"$1" "$2" | sort -g |
    awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Install Debian packages as root: directly, through sudo, or not at all.
apt_install() {
  local sudo=()
  [[ $(id -u) == 0 ]] || { command -v sudo >/dev/null && sudo=(sudo); } || return 1
  command -v apt-get >/dev/null && "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq "$@" >&2
}
