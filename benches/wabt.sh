#!/usr/bin/env bash
# wasmscope under WABT's tool names, side by side with WABT's own tools:
# the same command lines, time and peak memory, and whether the outputs are
# the same.
#
#   benches/wabt.sh [MODULE.wasm...]        (env: RUNS=3)
#
# For each module (default: testdata/demo.wasm and the largest module of
# target/bench/caps-dir, which benches/bench.sh fills, that WABT validates):
#   wasm-validate M
#   wasm2wat M -o OUT.wat
#   wat2wasm WABT-TEXT -o OUT.wasm        (WABT's own text of M, so both read the same)
#   wasm-strip M -o OUT.wasm
#   wasm-objdump -h M / -x M / -d M
# Each pair runs once untimed, then RUNS times taking turns; medians. The
# "same" column compares the two outputs byte for byte (for wasm2wat, the
# modules WABT's wat2wasm makes of the two texts). The report goes to
# stdout and target/bench/WABT-RESULTS.md.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
RUNS=${RUNS:-3}
SCRATCH=$ROOT/target/bench/wabt-scratch
# shellcheck source=benches/lib.sh disable=SC1091
source "$ROOT/benches/lib.sh"
RESULTS=$ROOT/target/bench/WABT-RESULTS.md
log() { echo "wabt-bench: $*" >&2; }

if [[ ! -x /usr/bin/time ]] || ! /usr/bin/time --version 2>&1 | grep -q GNU; then
  apt_install time || { log "GNU time (apt package 'time') is required"; exit 2; }
fi
command -v wasm-objdump >/dev/null || apt_install wabt || { log "WABT (apt package 'wabt') is required"; exit 2; }

log "building wasmscope (release)"
cargo build --quiet --release --bin wasmscope
mkdir -p "$SCRATCH"
LINKS=$SCRATCH/links
"$ROOT/target/release/wasmscope" install-links --force "$LINKS" >/dev/null

MODULES=("$@")
if ((${#MODULES[@]} == 0)); then
  MODULES=("$ROOT/testdata/demo.wasm")
  # The largest benchmark module WABT reads.
  while read -r _ path; do
    if wasm-validate "$path" 2>/dev/null; then
      MODULES+=("$path")
      break
    fi
  done < <(find "$ROOT/target/bench/caps-dir" -name '*.wasm' -printf '%s %p\n' 2>/dev/null | sort -rn)
fi

# name, then the command line with @TOOL@ for the program and @OUT@ for its
# output file; stdout goes to @OUT@ when the command has no -o.
run_pair() {
  local label=$1 tool=$2 module=$3
  shift 3
  local side out rc
  for side in wabt ours; do
    rm -f "$SCRATCH/$side.samples"
    local prog=$tool
    [[ $side == ours ]] && prog=$LINKS/$tool
    out=$SCRATCH/$side.out
    local args=("${@//@OUT@/$out}")
    # Once untimed (and to keep the output), then timed runs.
    rc=0
    "$prog" "${args[@]}" >"$SCRATCH/$side.stdout" 2>"$SCRATCH/$side.stderr" || rc=$?
    echo "$rc" >"$SCRATCH/$side.rc"
  done
  local i
  for ((i = 0; i < RUNS; i++)); do
    for side in wabt ours; do
      local prog=$tool
      [[ $side == ours ]] && prog=$LINKS/$tool
      out=$SCRATCH/$side.timed
      local args=("${@//@OUT@/$out}")
      measure "$SCRATCH/$side.samples" "$prog" "${args[@]}" || true
    done
  done
  local same=no
  if [[ -f $SCRATCH/wabt.out || -f $SCRATCH/ours.out ]]; then
    cmp -s "$SCRATCH/wabt.out" "$SCRATCH/ours.out" && same=yes
  else
    cmp -s "$SCRATCH/wabt.stdout" "$SCRATCH/ours.stdout" && same=yes
  fi
  if [[ $tool == wasm2wat ]]; then
    # Texts differ by design; the modules they read back to must not.
    same=no
    wat2wasm --enable-all --no-check "$SCRATCH/wabt.out" -o "$SCRATCH/wabt.back" 2>/dev/null &&
      wat2wasm --enable-all --no-check "$SCRATCH/ours.out" -o "$SCRATCH/ours.back" 2>/dev/null &&
      cmp -s "$SCRATCH/wabt.back" "$SCRATCH/ours.back" && same="same module"
  fi
  [[ $(cat "$SCRATCH/wabt.rc") == "$(cat "$SCRATCH/ours.rc")" ]] || same="exit differs"
  local wt wm ot om
  wt=$(median 1 "$SCRATCH/wabt.samples")
  wm=$(median 2 "$SCRATCH/wabt.samples")
  ot=$(median 1 "$SCRATCH/ours.samples")
  om=$(median 2 "$SCRATCH/ours.samples")
  awk -v l="$label" -v m="$module" -v wt="$wt" -v wm="$wm" -v ot="$ot" -v om="$om" -v s="$same" \
    'BEGIN { printf "| %s | %s | %.3f s | %.1f MiB | %.3f s | %.1f MiB | %.2fx | %s |\n", m, l, wt, wm / 1024, ot, om / 1024, wt / ot, s }' |
    tee -a "$RESULTS"
  rm -f "$SCRATCH"/*.out "$SCRATCH"/*.back "$SCRATCH"/*.timed
}

{
  echo "# wasmscope as WABT's tools"
  echo
  echo "\`RUNS=$RUNS benches/wabt.sh\`, $(nproc) cores; WABT $(wasm-objdump --version). Median wall time and peak memory; the ratio is WABT's time over wasmscope's (above 1: wasmscope is faster)."
  echo
  echo "| module | command | WABT | WABT peak | wasmscope | wasmscope peak | ratio | same output |"
  echo "|---|---|---:|---:|---:|---:|---:|---|"
} | tee "$RESULTS"

for module in "${MODULES[@]}"; do
  name=$(basename "$module")
  size=$(stat -c %s "$module")
  label="$name ($((size / 1024)) KiB)"
  wasm2wat --enable-all --no-check "$module" -o "$SCRATCH/wabt-text.wat"
  run_pair "wasm-validate" wasm-validate "$label" "$module"
  run_pair "wasm2wat" wasm2wat "$label" "$module" -o @OUT@
  run_pair "wat2wasm" wat2wasm "$label" "$SCRATCH/wabt-text.wat" -o @OUT@
  run_pair "wasm-strip -o" wasm-strip "$label" "$module" -o @OUT@
  run_pair "wasm-objdump -h" wasm-objdump "$label" -h "$module"
  run_pair "wasm-objdump -x" wasm-objdump "$label" -x "$module"
  run_pair "wasm-objdump -d" wasm-objdump "$label" -d "$module"
done
