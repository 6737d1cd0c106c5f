#!/usr/bin/env bash
# Side-by-side benchmark of wasmscope against wasm-tools and wabt.
#
#   benches/bench.sh [MODULE.wasm...]     (env: RUNS=5, MODULES="a.wasm b.wasm")
#
# Without modules it benchmarks wasmscope's own wasm32-wasip1 build (release
# and debug), a large real-world module. The report goes to stdout and to
# benches/RESULTS.md. See benches/README.md.
set -euo pipefail
export LC_ALL=C # '.' as decimal separator in $EPOCHREALTIME, awk and sort

CALLER_DIR=$PWD # module paths given by the user are relative to this
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
RUNS=${RUNS:-5}
WORK=$ROOT/target/bench
# shellcheck source=benches/lib.sh
source "$ROOT/benches/lib.sh"
SCRATCH=$WORK
OURS=$ROOT/target/release/wasmscope
CMDLINE="RUNS=$RUNS ${MODULES:+MODULES=\"$MODULES\" }benches/bench.sh${*:+ $*}"
WASM_TOOLS="" # path of wasm-tools, if found
TWIGGY=""     # path of twiggy, if found
WASM_OPT=""   # path of wasm-opt (binaryen), if found
HAVE_WABT=0

log() { echo "bench: $*" >&2; }
die() { log "error: $*"; exit 1; }

have_wabt() { command -v wasm2wat && command -v wat2wasm && command -v wasm-validate; } >/dev/null

# GNU time is required (peak RSS); wabt and wasm-tools are optional peers.
setup_tools() {
  if [[ ! -x /usr/bin/time ]] || ! /usr/bin/time --version 2>&1 | grep -q GNU; then
    log "installing GNU time"; apt_install time || die "GNU time (apt package 'time') is required"
  fi
  if ! have_wabt; then
    log "installing wabt"; apt_install wabt || log "notice: could not install wabt; skipping wasm2wat/wat2wasm/wasm-validate"
  fi
  have_wabt && HAVE_WABT=1
  WASM_TOOLS=$(command -v wasm-tools || true)
  [[ -z $WASM_TOOLS && -x $HOME/.cargo/bin/wasm-tools ]] && WASM_TOOLS=$HOME/.cargo/bin/wasm-tools
  [[ -n $WASM_TOOLS ]] || log "notice: wasm-tools not found, skipped (install: cargo install wasm-tools --locked)"
  TWIGGY=$(command -v twiggy || true)
  [[ -z $TWIGGY && -x $HOME/.cargo/bin/twiggy ]] && TWIGGY=$HOME/.cargo/bin/twiggy
  [[ -n $TWIGGY ]] || log "notice: twiggy not found, skipped (install: cargo install twiggy --locked)"
  if ! command -v wasm-opt >/dev/null; then
    log "installing binaryen"; apt_install binaryen || log "notice: could not install binaryen; skipping wasm-opt"
  fi
  WASM_OPT=$(command -v wasm-opt || true)
}

# Build the CLI under test and, unless modules were given, wasmscope itself as
# a wasm module. Debug info makes the debug build several times larger.
build() {
  log "building target/release/wasmscope"
  cargo build --release --quiet
  [[ -x $OURS ]] || die "$OURS was not built"
  mkdir -p "$WORK/out" "$WORK/samples"
  (($# > 0)) && return
  rustup target list --installed | grep -qx wasm32-wasip1 || rustup target add wasm32-wasip1
  local profile flag
  for profile in release debug; do
    flag=(); [[ $profile == release ]] && flag=(--release)
    log "building wasmscope for wasm32-wasip1 ($profile)"
    rm -f "$WORK/wasmscope-$profile.wasm" # never benchmark a stale module
    if cargo build --quiet "${flag[@]}" --target wasm32-wasip1 --bin wasmscope; then
      cp "target/wasm32-wasip1/$profile/wasmscope.wasm" "$WORK/wasmscope-$profile.wasm"
    else
      log "notice: wasm32-wasip1 $profile build failed; module skipped"
    fi
  done
  # An unoptimised build without DWARF: a large module that is almost all
  # code, where the debug build is mostly .debug_* custom sections. Its own
  # target directory keeps the two debug builds from rebuilding each other.
  log "building wasmscope for wasm32-wasip1 (debug, no debug info)"
  rm -f "$WORK/wasmscope-nodwarf.wasm"
  if CARGO_PROFILE_DEV_DEBUG=0 cargo build --quiet --target wasm32-wasip1 --bin wasmscope \
    --target-dir "$WORK/nodwarf-target"; then
    cp "$WORK/nodwarf-target/wasm32-wasip1/debug/wasmscope.wasm" "$WORK/wasmscope-nodwarf.wasm"
  else
    log "notice: wasm32-wasip1 no-debug-info build failed; module skipped"
  fi
}

# Tools compared for an operation, wasmscope first. `parse-wabt` parses the
# text wasm2wat printed, which every peer (wat2wasm included) can read.
tools_for() {
  local op=$1 tools=(wasmscope)
  case $op in
    print | parse | parse-wabt | validate)
      [[ -n $WASM_TOOLS ]] && tools+=(wasm-tools)
      local -A wabt=([print]=wasm2wat [parse]=wat2wasm [parse-wabt]=wat2wasm [validate]=wasm-validate)
      ((HAVE_WABT)) && tools+=("${wabt[$op]}")
      ;;
    sections)
      ((HAVE_WABT)) && tools+=(wasm-objdump)
      [[ -n $WASM_TOOLS ]] && tools+=(wasm-tools)
      ;;
    stats) [[ -n $TWIGGY ]] && tools+=(twiggy) ;;
    ops) [[ -n $WASM_OPT ]] && tools+=(wasm-opt) ;;
  esac
  echo "${tools[@]}"
}

# Whether OP writes an output file (the others print a report to stdout).
writes_file() { [[ $1 == print || $1 == parse || $1 == parse-wabt ]]; }

# Set CMD to TOOL's command line for OP reading IN and writing OUT.
tool_cmd() {
  local tool=$1 op=$2 in=$3 out=$4
  local verb=$op
  [[ $op == parse-wabt ]] && verb=parse
  case $tool:$op in
    wasmscope:ops) CMD=("$OURS" stats --ops "$in") ;;
    wasmscope:*) CMD=("$OURS" "$verb" "$in") ;;
    wasm-tools:sections) CMD=("$WASM_TOOLS" objdump "$in") ;;
    wasm-tools:*) CMD=("$WASM_TOOLS" "$verb" "$in") ;;
    wasm-objdump:*) CMD=(wasm-objdump -h "$in") ;;
    twiggy:*) CMD=("$TWIGGY" top "$in") ;;
    wasm-opt:*) CMD=("$WASM_OPT" --all-features --metrics "$in") ;;
    *) CMD=("$tool" --enable-all "$in") ;; # wabt needs it for post-MVP proposals
  esac
  if writes_file "$op"; then CMD+=(-o "$out"); fi
}



# Benchmark one operation on one input and print its Markdown table.
bench_op() {
  local name=$1 op=$2 in=$3 tool round ext=wasm tools ours_s="" ours_kib=""
  local -A failed=()
  [[ $op == print ]] && ext=wat
  read -ra tools <<<"$(tools_for "$op")"
  # One untimed warm-up per tool: fills the page cache and finds tools that
  # cannot handle this input, so they are reported as failed, not aborted on.
  for tool in "${tools[@]}"; do
    rm -f "$WORK/samples/$name.$op.$tool"
    tool_cmd "$tool" "$op" "$in" "$WORK/out/$name.$tool.$ext"
    measure /dev/null "${CMD[@]}" || failed[$tool]=$(head -n 1 "$WORK/stderr.txt" | cut -c 1-200 | tr -d '`')
  done
  # Interleave the tools within each round so drift (thermal, other load)
  # hits all of them alike.
  for ((round = 1; round <= RUNS; round++)); do
    for tool in "${tools[@]}"; do
      [[ -v failed[$tool] ]] && continue
      tool_cmd "$tool" "$op" "$in" "$WORK/out/$name.$tool.$ext"
      measure "$WORK/samples/$name.$op.$tool" "${CMD[@]}" || failed[$tool]="failed in round $round"
    done
  done

  local size; size=$(stat -c %s "$in")
  echo "#### $name: $op ($(basename "$in"), $size bytes)"
  echo
  echo "| tool | median s | MB/s | median peak RSS MiB | time vs wasmscope (theirs/ours) | memory vs wasmscope (ours/theirs) | output bytes |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for tool in "${tools[@]}"; do
    if [[ -v failed[$tool] ]]; then echo "| $tool | failed | | | | | |"; continue; fi
    local f=$WORK/samples/$name.$op.$tool s kib out="–"
    s=$(median 1 "$f"); kib=$(median 2 "$f")
    # Output size shows when a peer writes different text (wasm2wat skips custom sections).
    if writes_file "$op"; then out=$(stat -c %s "$WORK/out/$name.$tool.$ext"); fi
    [[ $tool == wasmscope ]] && { ours_s=$s; ours_kib=$kib; }
    awk -v t="$tool" -v o="$out" -v s="$s" -v k="$kib" -v n="$size" -v os="$ours_s" -v ok="$ours_kib" 'BEGIN {
      tr = (os == "" || os == 0) ? "n/a" : sprintf("%.2f", s / os)
      mr = (ok == "" || k == 0) ? "n/a" : sprintf("%.2f", ok / k)
      printf "| %s | %.3f | %.3g | %.1f | %s | %s | %s |\n", t, s, (s > 0 ? n / 1e6 / s : 0), k / 1024, tr, mr, o }'
  done
  echo
  for tool in "${tools[@]}"; do [[ -v failed[$tool] ]] && echo "- $tool failed: \`${failed[$tool]}\`"; done
  ((${#failed[@]})) && echo
  return 0
}

# The capability audit of a directory of modules (fixtures in binary form,
# the demo, and copies of the large modules up to 60 in all): modules per second, and
# how many cores it kept busy (CPU time over wall time; 2.0 is both cores).
bench_caps() {
  local dir=$WORK/caps-dir m i n bytes round secs cpu kib
  rm -rf "$dir"; mkdir -p "$dir"
  for m in "$ROOT"/testdata/caps/*.wat "$ROOT"/testdata/*.wat; do
    "$OURS" parse --no-validate "$m" -o "$dir/$(basename "$m" .wat).wasm" 2>/dev/null || true
  done
  cp "$ROOT/testdata/demo.wasm" "$dir/"
  i=0
  while (($# > 0 && $(find "$dir" -name '*.wasm' | wc -l) < 60)); do
    for m in "$@"; do i=$((i + 1)); cp "$m" "$dir/$i-$(basename "$m")"; done
  done
  n=$(find "$dir" -name '*.wasm' | wc -l)
  bytes=$(find "$dir" -name '*.wasm' -printf '%s\n' | awk '{ s += $1 } END { print s }')
  : >"$WORK/samples/caps"
  "$OURS" caps "$dir" --recursive >/dev/null 2>&1 || true # warm-up
  for ((round = 1; round <= RUNS; round++)); do
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/time.txt" "$OURS" caps "$dir" --recursive >/dev/null 2>&1 || true
    tail -n 1 "$WORK/time.txt" >>"$WORK/samples/caps"
  done
  secs=$(median 1 "$WORK/samples/caps")
  cpu=$(awk '{ print ($2 + $3) / ($1 > 0 ? $1 : 1) }' "$WORK/samples/caps" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  kib=$(median 4 "$WORK/samples/caps")
  echo "### caps on a directory"
  echo
  echo "| modules | total MB | median s | modules/s | cores busy (CPU/wall) | peak RSS MiB |"
  echo "|---:|---:|---:|---:|---:|---:|"
  awk -v n="$n" -v b="$bytes" -v s="$secs" -v c="$cpu" -v k="$kib" 'BEGIN {
    printf "| %d | %.1f | %.3f | %.0f | %.2f | %.1f |\n", n, b / 1e6, s, (s > 0 ? n / s : 0), c, k / 1024 }'
  echo
}

machine_info() {
  echo "## Machine"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- command: \`$CMDLINE\` ($RUNS timed runs per tool after one warm-up; medians)"
  echo "- cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), nproc $(nproc)"
  echo "- memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r)"
  echo "- wasmscope: $("$OURS" --version 2>&1 | head -n 1)"
  echo "- wasm-tools: $([[ -n $WASM_TOOLS ]] && "$WASM_TOOLS" --version 2>&1 | head -n 1 || echo not installed)"
  echo "- wabt: $( ((HAVE_WABT)) && wasm2wat --version 2>&1 | head -n 1 || echo not installed)"
  echo "- twiggy: $([[ -n $TWIGGY ]] && "$TWIGGY" --version 2>&1 | head -n 1 || echo not installed)"
  echo "- binaryen: $([[ -n $WASM_OPT ]] && "$WASM_OPT" --version 2>&1 | head -n 1 || echo not installed)"
  echo
}

# Benchmark every module; print the whole report on stdout.
report() {
  local m name wat tool printer
  echo "# wasmscope benchmark results"
  echo
  machine_info
  echo "## Results"
  echo
  echo "Medians over runs. MB/s = input bytes / 10^6 / median wall time. Peak RSS is GNU time's %M."
  echo "Time ratio = theirs/ours (> 1: wasmscope is faster); memory ratio = ours/theirs (< 1: wasmscope uses less)."
  echo
  for m in "$@"; do
    name=$(basename "$m" .wasm); wat=$WORK/$name.wat
    # The text for the parse benchmark is printed once, by wasmscope (or by a
    # peer if wasmscope cannot, so that the peers can still be compared).
    printer=""
    for tool in $(tools_for print); do
      tool_cmd "$tool" print "$m" "$wat"
      "${CMD[@]}" >/dev/null 2>&1 && { printer=$tool; break; }
    done
    [[ -n $printer ]] || die "no tool could print $m"
    echo "### $name"
    echo
    echo "- module: \`${m#"$ROOT"/}\`, $(stat -c %s "$m") bytes; text (by $printer): $(stat -c %s "$wat") bytes"
    echo
    log "benchmarking $name"
    bench_op "$name" print "$m"
    bench_op "$name" parse "$wat"
    # wat2wasm cannot read wasmprinter's text (quoted names); wasm2wat's
    # text lets all three parsers race on the same input.
    if ((HAVE_WABT)) && wasm2wat --enable-all "$m" -o "$WORK/$name.wabt.wat" 2>/dev/null; then
      bench_op "$name" parse-wabt "$WORK/$name.wabt.wat"
    fi
    bench_op "$name" validate "$m"
    bench_op "$name" sections "$m"
    bench_op "$name" stats "$m"
    bench_op "$name" ops "$m"
  done
  log "benchmarking caps on a directory"
  bench_caps "$@"
}

main() {
  local modules=("$@")
  ((${#modules[@]})) || read -ra modules <<<"${MODULES:-}"
  setup_tools
  build "${modules[@]}"
  if ((${#modules[@]} == 0)); then
    for m in "$WORK"/wasmscope-{release,nodwarf,debug}.wasm; do [[ -f $m ]] && modules+=("$m"); done
  fi
  ((${#modules[@]})) || die "no modules to benchmark"
  local m abs=()
  for m in "${modules[@]}"; do
    [[ $m == /* ]] || m=$CALLER_DIR/$m
    [[ -f $m ]] || die "no such module: $m"
    abs+=("$(realpath "$m")")
  done
  report "${abs[@]}" | tee "$WORK/RESULTS.md"
  cp "$WORK/RESULTS.md" "$ROOT/benches/RESULTS.md"
  log "wrote benches/RESULTS.md"
}

main "$@"
