#!/usr/bin/env bash
# Side-by-side benchmark of wasmscope against wasm-tools and wabt.
#
#   benches/bench.sh [MODULE.wasm...]
#   env: RUNS=5, MODULES="a.wasm b.wasm", OPS=print,roundtrip (default: all),
#        REBUILD=1 (rebuild the wasm-tools module even if it exists),
#        WASMSCOPE=path (time that build of the CLI instead of building one)
#
# Without modules it benchmarks wasmscope's own wasm32-wasip1 build (release,
# debug without DWARF, debug with DWARF) and wasm-tools built from source for
# wasm32-wasip1, four large real-world modules. The report goes to stdout and
# target/bench/RESULTS.md; a full run (default modules, every operation) also
# writes benches/RESULTS.md. See benches/README.md.
set -euo pipefail
export LC_ALL=C # '.' as decimal separator in $EPOCHREALTIME, awk and sort

CALLER_DIR=$PWD # module paths given by the user are relative to this
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
RUNS=${RUNS:-5}
WORK=$ROOT/target/bench
# shellcheck source=benches/lib.sh disable=SC1091 # followed with shellcheck -x
source "$ROOT/benches/lib.sh"
# shellcheck disable=SC2034 # lib.sh's measure keeps its scratch files here
SCRATCH=$WORK
# WASMSCOPE names another build of the CLI to time (say, the one before a
# change), which is then not built.
OURS=${WASMSCOPE:-$ROOT/target/release/wasmscope}
OPS=${OPS:-}
CMDLINE="RUNS=$RUNS ${OPS:+OPS=$OPS }${MODULES:+MODULES=\"$MODULES\" }benches/bench.sh${*:+ $*}"
WASM_TOOLS="" # path of wasm-tools, if found
TWIGGY=""     # path of twiggy, if found
WASM_OPT=""   # path of wasm-opt (binaryen), if found
HAVE_WABT=0

# Every operation, in report order; OPS picks some of them.
ALL_OPS=(print parse parse-wabt validate roundtrip info sections stats ops caps)

# The second large module: the wasm-tools CLI, a real Rust program of ~15 MB
# (mostly code, with a name section), built from crates.io for wasm32-wasip1.
PEER_CRATE=wasm-tools
PEER_VERSION=1.263.0
PEER_MODULE=$WORK/$PEER_CRATE-$PEER_VERSION.wasm

log() { echo "bench: $*" >&2; }
die() { log "error: $*"; exit 1; }

have_wabt() { command -v wasm2wat && command -v wat2wasm && command -v wasm-validate; } >/dev/null

# Whether operation $1 is to be run (OPS unset, empty or "all" runs them all).
want() { [[ -z $OPS || $OPS == all || ,$OPS, == *,"$1",* ]]; }

# Normalise OPS (spaces dropped) and reject names that are not operations.
check_ops() {
  OPS=${OPS// /}
  [[ -z $OPS || $OPS == all ]] && return
  local op k known
  local -a asked
  IFS=, read -ra asked <<<"$OPS"
  for op in "${asked[@]}"; do
    [[ -z $op ]] && continue
    known=0
    for k in "${ALL_OPS[@]}"; do [[ $op == "$k" ]] && known=1; done
    ((known)) || die "unknown operation '$op' in OPS (known: ${ALL_OPS[*]})"
  done
}

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
  if [[ -z ${WASMSCOPE:-} ]]; then
    log "building target/release/wasmscope"
    cargo build --release --quiet
  fi
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
  build_peer_module
}

# wasm-tools (pinned) from crates.io for wasm32-wasip1: an optimised build
# whose DWARF is stripped at link time (strip=debuginfo), which keeps the name
# section, so the module is ~15 MB, ~3/4 code. It depends on nothing in this
# repository, so it is built only when missing (a few minutes on 2 cores) or
# with REBUILD=1. Its own target directory and install root stay under
# target/bench/.
build_peer_module() {
  if [[ -f $PEER_MODULE && ${REBUILD:-0} != 1 ]]; then
    log "using ${PEER_MODULE#"$ROOT"/} (REBUILD=1 builds it again)"
    return
  fi
  log "building $PEER_CRATE $PEER_VERSION for wasm32-wasip1 (a few minutes)"
  rm -f "$PEER_MODULE"
  local root=$WORK/$PEER_CRATE-wasip1
  if CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_RELEASE_STRIP=debuginfo \
    CARGO_TARGET_DIR="$WORK/$PEER_CRATE-target" \
    cargo install --quiet --force --locked "$PEER_CRATE" --version "$PEER_VERSION" \
    --target wasm32-wasip1 --root "$root" && [[ -f $root/bin/$PEER_CRATE.wasm ]]; then
    cp "$root/bin/$PEER_CRATE.wasm" "$PEER_MODULE"
  else
    log "notice: building $PEER_CRATE $PEER_VERSION for wasm32-wasip1 failed; module skipped"
  fi
}

# Tools compared for an operation, wasmscope first. `parse-wabt` parses the
# text wasm2wat printed, which every peer (wat2wasm included) can read. For
# `roundtrip`, `wasm-tools` and `wabt` stand for their print | parse pipelines,
# and `wasm-tools-file` for wasm-tools through a text file instead of a pipe.
tools_for() {
  local op=$1 tools=(wasmscope)
  case $op in
    print | parse | parse-wabt | validate)
      [[ -n $WASM_TOOLS ]] && tools+=(wasm-tools)
      local -A wabt=([print]=wasm2wat [parse]=wat2wasm [parse-wabt]=wat2wasm [validate]=wasm-validate)
      ((HAVE_WABT)) && tools+=("${wabt[$op]}")
      ;;
    roundtrip)
      [[ -n $WASM_TOOLS ]] && tools+=(wasm-tools wasm-tools-file)
      ((HAVE_WABT)) && tools+=(wabt)
      ;;
    sections | info)
      ((HAVE_WABT)) && tools+=(wasm-objdump)
      [[ -n $WASM_TOOLS ]] && tools+=(wasm-tools)
      ;;
    stats) [[ -n $TWIGGY ]] && tools+=(twiggy) ;;
    ops) [[ -n $WASM_OPT ]] && tools+=(wasm-opt) ;;
  esac
  echo "${tools[@]}"
}

# How TOOL is named in the tables for OP.
tool_label() {
  case $2:$1 in
    roundtrip:wasm-tools) echo 'wasm-tools print \| wasm-tools parse' ;;
    roundtrip:wasm-tools-file) echo 'wasm-tools print -o T && wasm-tools parse T' ;;
    roundtrip:wabt) echo 'wasm2wat \| wat2wasm' ;;
    *) echo "$1" ;;
  esac
}

# Whether OP writes an output file given with -o (the others print a report to stdout).
writes_file() { [[ $1 == print || $1 == parse || $1 == parse-wabt ]]; }

# Set CMD to TOOL's command line for OP reading IN and writing OUT.
tool_cmd() {
  local tool=$1 op=$2 in=$3 out=$4
  local verb=$op
  [[ $op == parse-wabt ]] && verb=parse
  # The roundtrip pipelines run under bash (for pipefail); so does
  # wasmscope's, which keeps the start-up cost alike. `wasmscope roundtrip`
  # exits 1 when the bytes change (rustc's modules have padded LEB128s that
  # text cannot keep): that still counts as done if it printed its verdict
  # (to OUT); a module it cannot read leaves OUT empty and counts as failed.
  # shellcheck disable=SC2016 # $1... expand in the inner shell
  case $tool:$op in
    wasmscope:roundtrip)
      CMD=(bash -c '"$1" roundtrip "$2" >"$3" || [[ $? == 1 && -s $3 ]]' roundtrip "$OURS" "$in" "$out") ;;
    wasm-tools:roundtrip)
      CMD=(bash -c 'set -o pipefail; "$1" print "$2" | "$1" parse -o "$3"' roundtrip "$WASM_TOOLS" "$in" "$out") ;;
    wasm-tools-file:roundtrip)
      CMD=(bash -c '"$1" print "$2" -o "$3.wat" && "$1" parse "$3.wat" -o "$3"' roundtrip "$WASM_TOOLS" "$in" "$out") ;;
    wabt:roundtrip)
      CMD=(bash -c 'set -o pipefail; wasm2wat --enable-all "$1" | wat2wasm --enable-all - -o "$2"' roundtrip "$in" "$out") ;;
    wasmscope:ops) CMD=("$OURS" stats --ops "$in") ;;
    wasmscope:*) CMD=("$OURS" "$verb" "$in") ;;
    wasm-tools:sections | wasm-tools:info) CMD=("$WASM_TOOLS" objdump "$in") ;;
    wasm-tools:*) CMD=("$WASM_TOOLS" "$verb" "$in") ;;
    wasm-objdump:*) CMD=(wasm-objdump -h "$in") ;;
    twiggy:*) CMD=("$TWIGGY" top "$in") ;;
    wasm-opt:*) CMD=("$WASM_OPT" --all-features --metrics "$in") ;;
    *) CMD=("$tool" --enable-all "$in") ;; # wabt needs it for post-MVP proposals
  esac
  if writes_file "$op"; then CMD+=(-o "$out"); fi
}

# Output file of TOOL for OP on module NAME: text for print, wasmscope's
# roundtrip verdict, a binary module otherwise.
out_file() {
  local name=$1 op=$2 tool=$3 ext=wasm
  [[ $op == print ]] && ext=wat
  [[ $op:$tool == roundtrip:wasmscope ]] && ext=txt
  echo "$WORK/out/$name.$op.$tool.$ext"
}

# Benchmark one operation on one input and print its Markdown table. The
# samples of each tool stay in $WORK/samples/NAME.OP.TOOL for the Targets
# section (removed if the tool failed).
bench_op() {
  local name=$1 op=$2 in=$3 tool round tools out ours_s="" ours_kib=""
  local -A failed=()
  read -ra tools <<<"$(tools_for "$op")"
  # One untimed warm-up per tool: fills the page cache and finds tools that
  # cannot handle this input, so they are reported as failed, not aborted on.
  for tool in "${tools[@]}"; do
    rm -f "$WORK/samples/$name.$op.$tool"
    out=$(out_file "$name" "$op" "$tool"); rm -f "$out"
    tool_cmd "$tool" "$op" "$in" "$out"
    measure /dev/null "${CMD[@]}" || failed[$tool]=$(head -n 1 "$WORK/stderr.txt" | cut -c 1-200 | tr -d '`')
  done
  # Interleave the tools within each round so drift (thermal, other load)
  # hits all of them alike.
  for ((round = 1; round <= RUNS; round++)); do
    for tool in "${tools[@]}"; do
      [[ -v failed[$tool] ]] && continue
      tool_cmd "$tool" "$op" "$in" "$(out_file "$name" "$op" "$tool")"
      measure "$WORK/samples/$name.$op.$tool" "${CMD[@]}" || failed[$tool]="failed in round $round"
    done
  done
  for tool in "${!failed[@]}"; do rm -f "$WORK/samples/$name.$op.$tool"; done

  local size; size=$(stat -c %s "$in")
  echo "#### $name: $op ($(basename "$in"), $size bytes)"
  echo
  echo "| tool | median s | MB/s | median peak RSS MiB | time vs wasmscope (theirs/ours) | memory vs wasmscope (ours/theirs) | output bytes |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for tool in "${tools[@]}"; do
    local label; label=$(tool_label "$tool" "$op")
    if [[ -v failed[$tool] ]]; then echo "| $label | failed | | | | | |"; continue; fi
    local f=$WORK/samples/$name.$op.$tool s kib bytes="–"
    s=$(median 1 "$f"); kib=$(median 2 "$f")
    # Output size shows when a peer writes different text (wasm2wat skips custom sections).
    out=$(out_file "$name" "$op" "$tool")
    [[ $out != *.txt && -f $out ]] && bytes=$(stat -c %s "$out")
    [[ $tool == wasmscope ]] && { ours_s=$s; ours_kib=$kib; }
    awk -v t="$label" -v o="$bytes" -v s="$s" -v k="$kib" -v n="$size" -v os="$ours_s" -v ok="$ours_kib" 'BEGIN {
      tr = (os == "" || os == 0) ? "n/a" : sprintf("%.2f", s / os)
      mr = (ok == "" || k == 0) ? "n/a" : sprintf("%.2f", ok / k)
      printf "| %s | %.3f | %.3g | %.1f | %s | %s | %s |\n", t, s, (s > 0 ? n / 1e6 / s : 0), k / 1024, tr, mr, o }'
  done
  echo
  for tool in "${tools[@]}"; do
    [[ -v failed[$tool] ]] && echo "- $(tool_label "$tool" "$op") failed: \`${failed[$tool]}\`"
  done
  [[ $op == roundtrip ]] && roundtrip_verdicts "$name" "$in" "${tools[@]}"
  ((${#failed[@]})) || [[ $op == roundtrip ]] && echo
  return 0
}

# After the roundtrip table: what each tool got back. wasmscope compares
# (its verdict); the peers' pipelines do not, so their output is compared
# with the input here, untimed.
roundtrip_verdicts() {
  local name=$1 in=$2 tool out; shift 2
  for tool in "$@"; do
    out=$(out_file "$name" roundtrip "$tool")
    rm -f "$out.wat" # wasm-tools-file's text
    [[ -s $out ]] || continue
    if [[ $tool == wasmscope ]]; then
      echo "- wasmscope: $(head -n 1 "$out" | sed "s|^$in: ||" | tr -d '`')"
    elif cmp -s "$in" "$out"; then
      echo "- $(tool_label "$tool" roundtrip): output identical to the input"
    else
      echo "- $(tool_label "$tool" roundtrip): output differs from the input ($(stat -c %s "$out") bytes, input $(stat -c %s "$in"))"
    fi
  done
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

# The performance targets: "OP PEER KIND LIMIT DESCRIPTION". KIND is
#   faster      theirs/ours median time >= LIMIT   (faster-than: > LIMIT)
#   memory      ours/theirs median peak RSS <= LIMIT (less-memory: < LIMIT)
#   wall        our median wall time < LIMIT seconds (PEER is -)
TARGETS=(
  "print wasm-tools faster 1.8 print ≥ 1.8x faster than \`wasm-tools print\`"
  "print wasm2wat faster 3 print ≥ 3x faster than \`wasm2wat\`"
  "print wasm-tools memory 2 print peak RSS ≤ 2x \`wasm-tools print\`'s"
  "validate wasm-tools faster 1 validate at least as fast as \`wasm-tools validate\`"
  "validate wasm-validate faster 10 validate ≥ 10x faster than \`wasm-validate\`"
  "parse wasm-tools faster 1.3 parse ≥ 1.3x faster than \`wasm-tools parse\`"
  "parse wasm-tools less-memory 1 parse peak RSS below \`wasm-tools parse\`'s"
  "parse-wabt wat2wasm faster 2 parse ≥ 2x faster than \`wat2wasm\` (on wasm2wat's text)"
  "roundtrip wasm-tools faster-than 1 roundtrip faster than \`wasm-tools print \\| wasm-tools parse\`"
  "info - wall 0.050 info under 50 ms wall"
  "sections - wall 0.050 sections under 50 ms wall"
)

# One row of the Targets table for module NAME, from this run's samples.
target_row() {
  local name=$1 op=$2 peer=$3 kind=$4 limit=$5 what=$6
  local f=$WORK/samples/$name.$op s k ps=0 pk=0
  if [[ ! -s $f.wasmscope || ($peer != - && ! -s $f.$peer) ]]; then
    echo "| $what | not measured (a tool failed or is missing) | n/a |"
    return
  fi
  s=$(median 1 "$f.wasmscope"); k=$(median 2 "$f.wasmscope")
  [[ $peer == - ]] || { ps=$(median 1 "$f.$peer"); pk=$(median 2 "$f.$peer"); }
  awk -v what="$what" -v kind="$kind" -v lim="$limit" -v s="$s" -v k="$k" -v ps="$ps" -v pk="$pk" 'BEGIN {
    if (kind ~ /^faster/) {
      r = s > 0 ? ps / s : 0
      ok = kind == "faster" ? r >= lim : r > lim
      shown = sprintf("%.2fx (%.3f s vs %.3f s)", r, s, ps)
      miss = sprintf("MISSED by %.2fx: needs %.0f%% less time", lim - r, 100 * (1 - r / lim))
    } else if (kind == "memory" || kind == "less-memory") {
      r = pk > 0 ? k / pk : 0
      ok = kind == "memory" ? r <= lim : r < lim
      shown = sprintf("%.2f (%.1f MiB vs %.1f MiB)", r, k / 1024, pk / 1024)
      miss = sprintf("MISSED by %.2f: needs %.0f%% less memory", r - lim, (r > 0 ? 100 * (1 - lim / r) : 0))
    } else {
      ok = s < lim
      shown = sprintf("%.3f s", s)
      miss = sprintf("MISSED by %.0f ms", (s - lim) * 1000)
    }
    printf "| %s | %s | %s |\n", what, shown, ok ? "met" : miss }'
}

# The Targets section: every target on every module, from the medians above.
targets() {
  local m name largest="" size max=0 t op peer kind limit what row met=0 missed=0 rows any=0
  for t in "${TARGETS[@]}"; do want "${t%% *}" && any=1; done
  ((any)) || return 0 # OPS left out every operation with a target
  for m in "$@"; do
    size=$(stat -c %s "$m")
    ((size > max)) && { max=$size; largest=$m; }
  done
  echo "## Targets"
  echo
  echo "The performance issue's targets, checked against the medians above (same machine, same run)."
  echo "Ratios as in the tables: time theirs/ours, memory ours/theirs. The roundtrip target is stated"
  echo "for the ~15 MB module ($PEER_CRATE $PEER_VERSION), info and sections for the largest; all are"
  echo "shown for every module."
  echo
  for m in "$@"; do
    name=$(basename "$m" .wasm)
    rows=()
    for t in "${TARGETS[@]}"; do
      read -r op peer kind limit what <<<"$t"
      want "$op" || continue
      row=$(target_row "$name" "$op" "$peer" "$kind" "$limit" "$what")
      rows+=("$row")
      case $row in
        *"| met |") met=$((met + 1)) ;;
        *"| MISSED"*) missed=$((missed + 1)) ;;
      esac
    done
    ((${#rows[@]})) || continue
    echo "### $name ($(awk -v b="$(stat -c %s "$m")" 'BEGIN { printf "%.1f MB", b / 1e6 }')$([[ $m == "$largest" ]] && echo ", the largest"))"
    echo
    echo "| target | measured | result |"
    echo "|---|---:|---|"
    printf '%s\n' "${rows[@]}"
    echo
  done
  echo "$met met, $missed missed."
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
  local m name wat tool printer op
  echo "# wasmscope benchmark results"
  echo
  machine_info
  echo "## Results"
  echo
  echo "Medians over runs. MB/s = input bytes / 10^6 / median wall time. Peak RSS is GNU time's %M"
  echo "(for a pipeline under \`bash -c\`: its largest single process, not their sum)."
  echo "Time ratio = theirs/ours (> 1: wasmscope is faster); memory ratio = ours/theirs (< 1: wasmscope uses less)."
  echo
  for m in "$@"; do
    name=$(basename "$m" .wasm); wat=$WORK/$name.wat
    echo "### $name"
    echo
    if want parse; then
      # The text for the parse benchmark is printed once, by wasmscope (or by
      # a peer if wasmscope cannot, so that the peers can still be compared).
      printer=""
      for tool in $(tools_for print); do
        tool_cmd "$tool" print "$m" "$wat"
        "${CMD[@]}" >/dev/null 2>&1 && { printer=$tool; break; }
      done
      [[ -n $printer ]] || die "no tool could print $m"
      echo "- module: \`${m#"$ROOT"/}\`, $(stat -c %s "$m") bytes; text (by $printer): $(stat -c %s "$wat") bytes"
    else
      echo "- module: \`${m#"$ROOT"/}\`, $(stat -c %s "$m") bytes"
    fi
    echo
    log "benchmarking $name"
    for op in "${ALL_OPS[@]}"; do
      want "$op" || continue
      case $op in
        parse) bench_op "$name" parse "$wat" ;;
        # wat2wasm cannot read wasmprinter's text (quoted names); wasm2wat's
        # text lets all three parsers race on the same input.
        parse-wabt)
          if ((HAVE_WABT)) && wasm2wat --enable-all "$m" -o "$WORK/$name.wabt.wat" 2>/dev/null; then
            bench_op "$name" parse-wabt "$WORK/$name.wabt.wat"
          fi
          ;;
        caps) ;; # once, over all modules, below
        *) bench_op "$name" "$op" "$m" ;;
      esac
    done
  done
  if want caps; then
    log "benchmarking caps on a directory"
    bench_caps "$@"
  fi
  targets "$@"
}

main() {
  local modules=("$@") default=0
  ((${#modules[@]})) || read -ra modules <<<"${MODULES:-}"
  ((${#modules[@]})) || default=1
  check_ops
  setup_tools
  build "${modules[@]}"
  # Measurements of an earlier run must not leak into this run's Targets.
  rm -f "$WORK"/samples/*
  if ((default)); then
    for m in "$WORK"/wasmscope-{release,nodwarf}.wasm "$PEER_MODULE" "$WORK"/wasmscope-debug.wasm; do
      [[ -f $m ]] && modules+=("$m")
    done
  fi
  ((${#modules[@]})) || die "no modules to benchmark"
  local m abs=()
  for m in "${modules[@]}"; do
    [[ $m == /* ]] || m=$CALLER_DIR/$m
    [[ -f $m ]] || die "no such module: $m"
    abs+=("$(realpath "$m")")
  done
  report "${abs[@]}" | tee "$WORK/RESULTS.md"
  # Only a full run replaces the committed report; a partial one stays in target/bench/.
  if ((default)) && [[ -z $OPS || $OPS == all ]]; then
    cp "$WORK/RESULTS.md" "$ROOT/benches/RESULTS.md"
    log "wrote benches/RESULTS.md"
  else
    log "wrote target/bench/RESULTS.md (benches/RESULTS.md is written by full runs only: no modules, no OPS)"
  fi
}

main "$@"
