#!/usr/bin/env bash
# `wasmscope check` against what it replaces: `caps` plus `stats`, run
# separately.
#
#   benches/check.sh [MODULE.wasm [DIR]]        (env: RUNS=5)
#
# 1. One module with every rule: the policy `check --init` writes for it,
#    with max-growth (against the module itself as --baseline), imports.deny,
#    exports.deny and custom.require added. Timed twice: with its
#    max-compressed rule (gzip -9 of the whole module) and without.
# 2. A directory of modules (the first 50 .wasm files in DIR), checked in one
#    parallel run against a policy that has every rule but compression,
#    against `caps DIR --recursive` plus `stats` on each module.
#
# The goal is that check is no slower than caps plus stats. MODULE defaults to
# the largest module in target/bench/caps-dir, and DIR to that directory
# (benches/bench.sh makes it). Median wall time of RUNS runs and peak memory;
# the report goes to stdout.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
RUNS=${RUNS:-5}
SCRATCH=$ROOT/target/bench/check-scratch
# shellcheck source=benches/lib.sh disable=SC1091
source "$ROOT/benches/lib.sh"
OURS=${WASMSCOPE:-$ROOT/target/release/wasmscope}
log() { echo "check-bench: $*" >&2; }

DIR=${2:-$ROOT/target/bench/caps-dir}
MODULE=${1:-}
if [[ -z $MODULE ]]; then
  MODULE=$(find "$DIR" -name '*.wasm' -printf '%s %p\n' 2>/dev/null | sort -n | tail -1 | cut -d' ' -f2-)
fi
[[ -n $MODULE && -f $MODULE ]] || {
  log "no module: give one, or run benches/bench.sh first (it fills $DIR)"
  exit 2
}
if [[ -z ${WASMSCOPE:-} ]]; then
  log "building wasmscope (release)"
  cargo build --quiet --release --bin wasmscope
fi
mkdir -p "$SCRATCH"
rm -f "$SCRATCH"/*.samples

# The policy check --init writes, with the rules it leaves commented out.
"$OURS" check --init "$MODULE" --policy - |
  sed -e 's/^# max-growth = /max-growth = /' \
    -e 's/^# deny = \["env\.\*"\]/deny = ["nosuch.*"]/' \
    -e 's/^# deny = \["__\*"\]/deny = ["nosuch_*"]/' \
    -e 's/^# require = \["producers"\]/require = ["*"]/' >"$SCRATCH/every.toml"
grep -v '^max-compressed' "$SCRATCH/every.toml" >"$SCRATCH/no-compression.toml"
rules=$(grep -c '^[a-z-]* = ' "$SCRATCH/every.toml")

# COMMAND..., with exit status 1 (a broken rule) counted as success.
passes_or_breaks() {
  local rc=0
  "$@" || rc=$?
  ((rc <= 1))
}

# time NAME COMMAND...: RUNS timed runs after a warm-up. A run that fails
# (exit 2 or worse) stops the benchmark.
time_runs() {
  local name=$1 i
  shift
  passes_or_breaks "$@" >/dev/null 2>&1 || {
    log "$name failed: $*"
    exit 1
  }
  for ((i = 1; i <= RUNS; i++)); do
    measure "$SCRATCH/$name.samples" bash -c 'passes_or_breaks "$@"' _ "$@"
  done
}

# stats on every module of a list, one after another.
stats_each() {
  local m
  for m in "$@"; do "$OURS" stats "$m" >/dev/null; done
}

export -f passes_or_breaks
log "one module: $MODULE ($(stat -c %s "$MODULE") bytes), $rules rules"
time_runs check-every "$OURS" check --policy "$SCRATCH/every.toml" --baseline "$MODULE" "$MODULE"
time_runs check-fast "$OURS" check --policy "$SCRATCH/no-compression.toml" --baseline "$MODULE" "$MODULE"
time_runs caps "$OURS" caps "$MODULE"
time_runs stats "$OURS" stats "$MODULE"
# What a script does for max-compressed without check: GNU gzip's size.
time_runs gzip bash -c 'gzip -9 -c "$1" | wc -c' _ "$MODULE"

mapfile -t modules < <(find "$DIR" -name '*.wasm' | sort | head -50)
log "a directory: ${#modules[@]} modules of $DIR"
mkdir -p "$SCRATCH/dir"
rm -f "$SCRATCH/dir"/*.wasm
cp "${modules[@]}" "$SCRATCH/dir/"
export -f stats_each
export OURS
time_runs dir-check "$OURS" check -r "$SCRATCH/dir" --policy "$SCRATCH/no-compression.toml"
time_runs dir-caps "$OURS" caps "$SCRATCH/dir" --recursive
time_runs dir-stats bash -c 'stats_each "$@"' _ "$SCRATCH/dir"/*.wasm

s() { median 1 "$SCRATCH/$1.samples"; }
m() { awk -v k="$(median 2 "$SCRATCH/$1.samples")" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", (a > 0 ? b / a : 0) }'; }

echo "# check against caps + stats"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); nproc $(nproc); median of $RUNS runs"
echo "- module: $(basename "$MODULE"), $(stat -c %s "$MODULE") bytes; policy: check --init's, $rules rules"
echo
echo "| run | wall s | peak MiB |"
echo "|---|---:|---:|"
for name in check-every check-fast caps stats gzip dir-check dir-caps dir-stats; do
  echo "| $name | $(s $name) | $(m $name) |"
done
echo
sum=$(awk -v a="$(s caps)" -v b="$(s stats)" 'BEGIN { print a + b }')
dsum=$(awk -v a="$(s dir-caps)" -v b="$(s dir-stats)" 'BEGIN { print a + b }')
echo "- one module, every rule but compression: caps + stats ($sum s) / check = $(ratio "$(s check-fast)" "$sum") (goal: 1x or more)"
gsum=$(awk -v a="$sum" -v b="$(s gzip)" 'BEGIN { print a + b }')
echo "- one module, every rule with gzip -9 compression: caps + stats + gzip -9 ($gsum s) / check = $(ratio "$(s check-every)" "$gsum") (goal: 1x or more)"
echo "- ${#modules[@]} modules: caps + stats ($dsum s) / check = $(ratio "$(s dir-check)" "$dsum") (goal: 1x or more)"
