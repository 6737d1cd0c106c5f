#!/usr/bin/env bash
# Side-by-side benchmark of source-level lookups on a large module with DWARF:
# `wasmscope symbolize` against `llvm-symbolizer` and `wasm-tools addr2line`,
# and `wasmscope stats --by file`.
#
#   benches/symbolize.sh [MODULE.wasm]     (env: RUNS=5, ADDRESSES=10000)
#
# Without a module it uses wasmscope's own wasm32-wasip1 build in the dev
# profile (target/bench/wasmscope-debug.wasm, mostly DWARF), building it if
# it is missing, as benches/bench.sh does. ADDRESSES offsets are spread evenly
# over the code section; every tool resolves all of them in one process, with
# inlined frames. Each tool runs once untimed, then RUNS times; the table
# shows median wall time and peak memory, and the ratio of each peer to
# wasmscope. The answers are compared too: for every address, the innermost
# frame's file and line from wasmscope against llvm-symbolizer's.
set -euo pipefail
export LC_ALL=C

CALLER_DIR=$PWD
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
RUNS=${RUNS:-5}
ADDRESSES=${ADDRESSES:-10000}
WORK=$ROOT/target/bench
# shellcheck source=benches/lib.sh disable=SC1091
source "$ROOT/benches/lib.sh"
# shellcheck disable=SC2034 # lib.sh's measure keeps its scratch files here
SCRATCH=$WORK/symbolize
mkdir -p "$SCRATCH"
OURS=${WASMSCOPE:-$ROOT/target/release/wasmscope}

log() { echo "symbolize-bench: $*" >&2; }
die() { log "error: $*"; exit 1; }

module=${1:-}
if [[ -n $module ]]; then
  [[ $module == /* ]] || module=$CALLER_DIR/$module
else
  module=$WORK/wasmscope-debug.wasm
  if [[ ! -f $module ]]; then
    log "building wasmscope for wasm32-wasip1 (dev profile, with DWARF)"
    rustup target list --installed | grep -qx wasm32-wasip1 || rustup target add wasm32-wasip1
    cargo build --quiet --target wasm32-wasip1 --no-default-features --bin wasmscope \
      --target-dir "$WORK/debug-target"
    cp "$WORK/debug-target/wasm32-wasip1/debug/wasmscope.wasm" "$module"
  fi
fi
[[ -f $module ]] || die "no module $module"
if [[ -z ${WASMSCOPE:-} ]]; then
  log "building wasmscope (release)"
  cargo build --quiet --release --bin wasmscope
fi

LLVM_SYMBOLIZER=$(command -v llvm-symbolizer || true)
WASM_TOOLS=$(command -v wasm-tools || true)
[[ -n $LLVM_SYMBOLIZER ]] || log "notice: llvm-symbolizer not found (apt-get install llvm): its column is empty"
[[ -n $WASM_TOOLS ]] || log "notice: wasm-tools not found (cargo install wasm-tools): its column is empty"

# The code section's start, from wasmscope's own section list, and the
# function bodies, from its stats: the addresses are spread evenly over the
# bytes of the bodies (a runtime never reports a body's size bytes).
read -r code_start code_end < <("$OURS" sections "$module" --json |
  python3 -c 'import json,sys
for s in json.load(sys.stdin)["sections"]:
    if s["kind"] == "code": print(s["start"], s["end"])')
code_size=$((code_end - code_start))
((code_size > 0)) || die "$module has no code"
"$OURS" stats "$module" --json --top 0 | python3 -c '
import json, sys
n, start = int(sys.argv[1]), int(sys.argv[2])
bodies = sorted((f["offset"], f["size"]) for f in json.load(sys.stdin)["functions"]["top"] if f["size"])
total = sum(size for _, size in bodies)
step = total / (n + 1)
module, code = open(sys.argv[3], "w"), open(sys.argv[4], "w")
i, seen, want = 0, 0, step
for offset, size in bodies:
    while want < seen + size and i < n:
        at = offset + int(want - seen)
        module.write(f"0x{at:x}\n")
        code.write(f"0x{at - start:x}\n")
        i, want = i + 1, want + step
    seen += size
' "$ADDRESSES" "$code_start" "$SCRATCH/module.txt" "$SCRATCH/code.txt"
mapfile -t module_addrs <"$SCRATCH/module.txt"

size=$(stat -c %s "$module")
log "$(basename "$module"): $size bytes, code $code_size bytes, $ADDRESSES addresses"

# One tool: a label and a command line; run once untimed, then RUNS times.
declare -A WALL PEAK
time_tool() {
  local label=$1
  shift
  local file="$SCRATCH/$label.times"
  : >"$file"
  "$@" >"$SCRATCH/$label.out" 2>"$SCRATCH/$label.err" </dev/null || {
    log "notice: $label failed: $(head -c 300 "$SCRATCH/$label.err")"
    return 0
  }
  for ((r = 0; r < RUNS; r++)); do
    measure "$file" "$@"
  done
  cp "$SCRATCH/stdout.txt" "$SCRATCH/$label.out"
  WALL[$label]=$(median 1 "$file")
  PEAK[$label]=$(median 2 "$file")
}

mapfile -t code_addrs <"$SCRATCH/code.txt"
time_tool wasmscope "$OURS" symbolize "$module" "${module_addrs[@]}" --json
if [[ -n $LLVM_SYMBOLIZER ]]; then
  time_tool llvm-symbolizer "$LLVM_SYMBOLIZER" --obj="$module" --inlines --output-style=LLVM "${code_addrs[@]}"
fi
if [[ -n $WASM_TOOLS ]]; then
  time_tool wasm-tools "$WASM_TOOLS" addr2line "$module" "${module_addrs[@]}"
fi
time_tool stats-by-file "$OURS" stats "$module" --by file --json

# Agreement with llvm-symbolizer: innermost frame, file and line.
agreement=""
if [[ -n $LLVM_SYMBOLIZER && -s $SCRATCH/llvm-symbolizer.out ]]; then
  agreement=$(python3 - "$SCRATCH/wasmscope.out" "$SCRATCH/llvm-symbolizer.out" <<'EOF'
import json, re, sys
ours = json.load(open(sys.argv[1]))["addresses"]
blocks = open(sys.argv[2]).read().split("\n\n")
blocks = [b for b in blocks if b.strip()]
def tidy(p):
    # The rule wasmscope follows for names with a scheme of their own, and
    # `.` parts (src/debuginfo/paths.rs).
    m = list(re.finditer(r"(?:^|(?<=/))[A-Za-z][A-Za-z0-9+.-]*://", p))
    if m:
        p = p[m[-1].start():]
    lead = p.startswith("./")
    while p.startswith("./"):
        p = p[2:]
    p = re.sub(r"/(\./)+", "/", p)
    return ("./" if lead else "") + p
same = differ = 0
examples = []
for o, b in zip(ours, blocks):
    lines = b.strip().split("\n")
    file, line = "??", 0
    if len(lines) >= 2 and ":" in lines[1]:
        parts = lines[1].rsplit(":", 2)
        file, line = tidy(parts[0]), int(parts[1]) if parts[1].isdigit() else 0
    f = o["frames"][0] if o["frames"] else {}
    mine = (f.get("file") or "??", f.get("line") or 0) if o["origin"] == "dwarf" else ("??", 0)
    theirs = (file, line)
    if mine == theirs:
        same += 1
    else:
        differ += 1
        if len(examples) < 3:
            examples.append(f"{o['input']}: ours {mine}, llvm {theirs}")
print(f"{same} of {same + differ} agree" + ("; " + " | ".join(examples) if examples else ""))
EOF
)
fi

ratio() { [[ -n ${WALL[$1]:-} && -n ${WALL[wasmscope]:-} ]] && awk -v a="${WALL[$1]}" -v b="${WALL[wasmscope]}" 'BEGIN { printf "%.1fx", a / b }' || true; }
mem_ratio() { [[ -n ${PEAK[$1]:-} && -n ${PEAK[wasmscope]:-} ]] && awk -v a="${PEAK[$1]}" -v b="${PEAK[wasmscope]}" 'BEGIN { printf "%.1fx", a / b }' || true; }
row() {
  local label=$1 what=$2
  [[ -n ${WALL[$label]:-} ]] || { echo "| $what | - | - | - | - |"; return; }
  printf '| %s | %.3f s | %.1f MiB | %s | %s |\n' "$what" "${WALL[$label]}" \
    "$(awk -v k="${PEAK[$label]}" 'BEGIN { print k / 1024 }')" "$(ratio "$label")" "$(mem_ratio "$label")"
}

{
  echo "## symbolize: $ADDRESSES addresses in $(basename "$module") ($(awk -v b="$size" 'BEGIN { printf "%.1f MiB", b / 1048576 }'))"
  echo
  echo "| tool | wall (median of $RUNS) | peak memory | time vs wasmscope | memory vs wasmscope |"
  echo "|---|---:|---:|---:|---:|"
  row wasmscope "wasmscope symbolize"
  row llvm-symbolizer "llvm-symbolizer --inlines${LLVM_SYMBOLIZER:+ ($("$LLVM_SYMBOLIZER" --version | grep -o 'version [0-9.]*' | head -1))}"
  row wasm-tools "wasm-tools addr2line${WASM_TOOLS:+ ($("$WASM_TOOLS" --version | cut -d' ' -f2))}"
  row stats-by-file "wasmscope stats --by file"
  echo
  [[ -n $agreement ]] && echo "Answers (innermost file:line) against llvm-symbolizer: $agreement."
  echo "Peak memory goal: below the module's size ($(awk -v b="$size" 'BEGIN { printf "%.1f MiB", b / 1048576 }'))."
} | tee "$SCRATCH/RESULTS.md"
