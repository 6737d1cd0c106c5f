#!/usr/bin/env bash
# Real components from the package registries, through every command, and
# `wit` timed against `wasm-tools component wit`.
#
#   benches/components.sh            (env: RUNS=5, MIN_MB=15)
#
# The components (listed in components/manifest.tsv with their registry,
# package, version and path, and checked against components/SHA256SUMS) are
# fetched into target/bench/components by components/fetch.sh, once.
#
# 1. Every command that reads a module runs on every component; each must
#    exit 0 (validate may fail in one line, and roundtrip may report a
#    difference), and
#    `wit` must print what `wasm-tools component wit` prints (if installed).
#    `wit --out-dir` must write a directory wasm-tools reads back, and
#    every part `extract --list` lists must come out valid.
# 2. `wit` on each component of MIN_MB megabytes or more, against
#    wasm-tools: median wall time of RUNS runs and peak memory, and their
#    ratios. The goal is faster.
#
# The report goes to stdout and target/bench/components/RESULTS.md.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
RUNS=${RUNS:-5}
MIN_MB=${MIN_MB:-15}
DIR=$ROOT/target/bench/components
# shellcheck disable=SC2034 # lib.sh's measure keeps its scratch files here
SCRATCH=$ROOT/target/bench/components-scratch
# shellcheck source=benches/lib.sh disable=SC1091
source "$ROOT/benches/lib.sh"
OURS=${WASMSCOPE:-$ROOT/target/release/wasmscope}
log() { echo "components-bench: $*" >&2; }

mkdir -p "$DIR" "$SCRATCH"
benches/components/fetch.sh "$DIR"
if [[ -z ${WASMSCOPE:-} ]]; then
  log "building wasmscope (release)"
  cargo build --quiet --release --bin wasmscope
fi
WASM_TOOLS=$(command -v wasm-tools || true)
[[ -n $WASM_TOOLS ]] || log "notice: wasm-tools not found (cargo install wasm-tools): no comparison, no timing of the peer"

# 1. Every command on every component.
commands=(
  "info" "info --json" "sections" "imports" "exports --json" "stats" "stats --json"
  "caps" "caps --json" "print" "print --fold --offsets" "validate" "roundtrip"
  "custom --list" "metadata" "wit" "wit --json" "wit --no-docs" "extract --list"
)
runs=0 roundtrip_differs=0 failed=() wit_same=0 wit_differ=() components=0
for f in "$DIR"/*.wasm; do
  name=$(basename "$f" .wasm)
  components=$((components + 1))
  for c in "${commands[@]}"; do
    read -ra args <<<"$c"
    runs=$((runs + 1))
    rc=0
    timeout 120 "$OURS" "${args[@]}" "$f" >"$SCRATCH/out" 2>"$SCRATCH/err" || rc=$?
    ok=0
    case "$rc:${args[0]}" in
    0:*) ok=1 ;;
    # A difference: said on stdout, nothing on stderr.
    1:roundtrip) [[ ! -s $SCRATCH/err ]] && grep -q 'changes the bytes' "$SCRATCH/out" && ok=1 && roundtrip_differs=$((roundtrip_differs + 1)) ;;
    1:validate) grep -q '^error: ' "$SCRATCH/err" && [[ $(wc -l <"$SCRATCH/err") == 1 ]] && ok=1 ;;
    esac
    ((ok)) || failed+=("$name: $c: exit $rc: $(head -c 200 "$SCRATCH/err") (stdout: $(head -c 200 "$SCRATCH/out" | tr '\n' ' '))")
  done
  # Every part comes out valid, byte for byte (the ids from --list).
  while IFS=$'\t' read -r id kind; do
    runs=$((runs + 1))
    flag=--module; [[ $kind == component ]] && flag=--component
    if ! "$OURS" extract "$f" "$flag" "$id" -o "$SCRATCH/part.wasm" 2>"$SCRATCH/err" ||
      ! "$OURS" validate "$SCRATCH/part.wasm" >/dev/null 2>>"$SCRATCH/err"; then
      failed+=("$name: extract $flag '$id': $(head -c 200 "$SCRATCH/err")")
    fi
  done < <("$OURS" extract "$f" --list --json | python3 -c 'import json, sys
for p in json.load(sys.stdin)["parts"]: print(p["id"] + "\t" + p["kind"])')
  out=$SCRATCH/out-dir
  rm -rf "$out"
  runs=$((runs + 1))
  if ! "$OURS" wit "$f" --out-dir "$out" >/dev/null 2>"$SCRATCH/err"; then
    failed+=("$name: wit --out-dir: $(head -c 200 "$SCRATCH/err")")
  elif [[ -n $WASM_TOOLS ]] && ! "$WASM_TOOLS" component wit "$out" >/dev/null 2>"$SCRATCH/err"; then
    failed+=("$name: wasm-tools cannot read back wit --out-dir: $(head -c 200 "$SCRATCH/err")")
  fi
  if [[ -n $WASM_TOOLS ]]; then
    "$OURS" wit "$f" >"$SCRATCH/ours.wit" 2>/dev/null || true
    "$WASM_TOOLS" component wit "$f" >"$SCRATCH/theirs.wit" 2>/dev/null || true
    if cmp -s "$SCRATCH/ours.wit" "$SCRATCH/theirs.wit"; then wit_same=$((wit_same + 1)); else wit_differ+=("$name"); fi
  fi
done

# 2. `wit` on the large ones, side by side.
declare -A WALL PEAK
time_tool() {
  local key=$1 file="$SCRATCH/$1.times"
  shift
  : >"$file"
  "$@" >/dev/null 2>&1 || { log "notice: $key failed"; return 0; }
  for ((r = 0; r < RUNS; r++)); do measure "$file" "$@"; done
  WALL[$key]=$(median 1 "$file")
  PEAK[$key]=$(median 2 "$file")
}
rows=()
for f in "$DIR"/*.wasm; do
  size=$(stat -c %s "$f")
  ((size >= MIN_MB * 1000000)) || continue
  name=$(basename "$f" .wasm)
  log "timing wit on $name ($size bytes)"
  time_tool "$name.ours" "$OURS" wit "$f"
  [[ -n $WASM_TOOLS ]] && time_tool "$name.theirs" "$WASM_TOOLS" component wit "$f"
  rows+=("$(awk -v n="$name" -v s="$size" -v w="${WALL[$name.ours]:-}" -v p="${PEAK[$name.ours]:-}" \
    -v tw="${WALL[$name.theirs]:-}" -v tp="${PEAK[$name.theirs]:-}" 'BEGIN {
      printf "| %s | %.1f | %.3f s | %.1f MiB | ", n, s / 1e6, w, p / 1024
      if (tw != "") printf "%.3f s | %.1f MiB | %.1fx | %.1fx |", tw, tp / 1024, tw / w, tp / p
      else printf "- | - | - | - |"
    }')")
done

{
  echo "# Real components"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); nproc $(nproc); wasmscope $("$OURS" --version | cut -d' ' -f2)${WASM_TOOLS:+; wasm-tools $("$WASM_TOOLS" --version | cut -d' ' -f2)}"
  echo "- $components components from PyPI, npm and crates.io (benches/components/manifest.tsv)"
  echo "- every command on every component: $runs runs, $((${#failed[@]})) failed"
  for f in "${failed[@]}"; do echo "  - $f"; done
  echo "- \`roundtrip\` reports that binary -> text -> binary changes the bytes of $roundtrip_differs (encodings text cannot express)"
  if [[ -n $WASM_TOOLS ]]; then
    echo "- \`wit\` prints what \`wasm-tools component wit\` prints on $wit_same of $components${wit_differ[*]:+ (not on: ${wit_differ[*]})}"
  fi
  echo
  echo "\`wit\` on components of $MIN_MB MB or more (median of $RUNS runs):"
  echo
  echo "| component | MB | wasmscope wit | peak | wasm-tools component wit | peak | time ÷ wasmscope | memory ÷ wasmscope |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
} | tee "$DIR/RESULTS.md"
((${#failed[@]} == 0 && ${#wit_differ[@]} == 0))
