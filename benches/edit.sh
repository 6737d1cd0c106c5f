#!/usr/bin/env bash
# Benchmark of wasmscope's editing commands, `strip` and `gc`, side by side
# with the tools people use for the same jobs: output size, time, peak memory.
#
#   benches/edit.sh          (env: RUNS=3 LARGE=1 FORCE=0)
#
# strip, on testdata/demo.wasm and a wasm32-wasip1 debug build of wasmscope
# with DWARF (~85 MB; bench.sh's or diff.sh's if one exists, built otherwise):
#   debug info   wasmscope strip IN -o OUT               wasm-tools strip IN -o OUT
#   everything   wasmscope strip --all IN -o OUT         wasm-strip IN -o OUT (wabt)
#                                                        wasm-tools strip --all IN -o OUT
# gc, on testdata/demo.wasm (the linker already dropped its dead code),
# testdata/edit/demo-nogc.wasm (the same program linked with --no-gc-sections)
# and a wasm32-wasip1 release build of wasmscope linked with --no-gc-sections
# (target/bench/edit-nogc.wasm, built in target/bench/edit-nogc-target when
# missing or FORCE=1; skipped if the linker flag breaks the build):
#   wasmscope gc IN -o OUT
#   wasm-opt --remove-unused-module-elements -g --all-features IN -o OUT
# wasm-opt re-encodes the whole module, so for gc the report also gives each
# output's function count and its size once wasm-strip has removed every
# custom section ("code+data bytes"), and runs the demo before and after with
# wasmtime if it is installed.
#
# Each tool runs once untimed, then RUNS times, the tools taking turns within a
# round; medians. Every output is validated (wasmscope validate, and
# wasm-tools validate if installed). LARGE=0 uses the demo modules only.
# The Markdown report goes to stdout and to target/bench/EDIT-RESULTS.md;
# outputs and samples stay in target/bench/edit/.
set -euo pipefail
export LC_ALL=C # '.' as decimal separator in $EPOCHREALTIME, awk and sort

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
RUNS=${RUNS:-3}
LARGE=${LARGE:-1}
FORCE=${FORCE:-0}
WORK=$ROOT/target/bench
OUT=$WORK/edit
# shellcheck source=benches/lib.sh
source "$ROOT/benches/lib.sh"
SCRATCH=$OUT
OURS=$ROOT/target/release/wasmscope
RESULTS=$WORK/EDIT-RESULTS.md
NOGC=$WORK/edit-nogc.wasm
CMDLINE="RUNS=$RUNS"
[[ $LARGE == 1 ]] || CMDLINE+=" LARGE=$LARGE"
[[ $FORCE == 0 ]] || CMDLINE+=" FORCE=$FORCE"
CMDLINE+=" benches/edit.sh"
WASM_TOOLS="" # path of wasm-tools, if found
WASM_OPT=""   # path of wasm-opt (binaryen), if found
WASM_STRIP="" # path of wasm-strip (wabt), if found
WASMTIME=""   # path of wasmtime, if found
STRIP_MODULES=() # "name path" pairs
GC_MODULES=()
MODULE_NOTES=() # where each module came from, for the report
CMD=()

log() { echo "edit-bench: $*" >&2; }
die() { log "error: $*"; exit 1; }

# A command on PATH or in ~/.cargo/bin, or nothing.
find_tool() {
  local p
  p=$(command -v "$1" || true)
  [[ -z $p && -x $HOME/.cargo/bin/$1 ]] && p=$HOME/.cargo/bin/$1
  echo "$p"
}

# GNU time is required (peak RSS); wabt, binaryen and wasm-tools are peers
# (the first two installed with apt when missing), wasmtime is optional.
setup_tools() {
  if [[ ! -x /usr/bin/time ]] || ! /usr/bin/time --version 2>&1 | grep -q GNU; then
    log "installing GNU time"; apt_install time || die "GNU time (apt package 'time') is required"
  fi
  if ! command -v wasm-strip >/dev/null; then
    log "installing wabt"; apt_install wabt || log "notice: could not install wabt; skipping wasm-strip"
  fi
  if ! command -v wasm-opt >/dev/null; then
    log "installing binaryen"; apt_install binaryen || log "notice: could not install binaryen; skipping wasm-opt"
  fi
  WASM_STRIP=$(command -v wasm-strip || true)
  WASM_OPT=$(command -v wasm-opt || true)
  WASM_TOOLS=$(find_tool wasm-tools)
  [[ -n $WASM_TOOLS ]] || log "notice: wasm-tools not found, skipped (install: cargo install wasm-tools --locked)"
  WASMTIME=$(find_tool wasmtime)
  [[ -n $WASMTIME || ! -x $HOME/.wasmtime/bin/wasmtime ]] || WASMTIME=$HOME/.wasmtime/bin/wasmtime
  [[ -n $WASMTIME ]] || log "notice: wasmtime not found; the gc'd modules are not run"
}

# The large module with DWARF: bench.sh's or diff.sh's build if there is one,
# otherwise built the way bench.sh builds it (dev profile, default target dir).
dwarf_module() {
  local m
  for m in "$WORK/wasmscope-debug.wasm" "$WORK/diff-new-dwarf.wasm" "$WORK/diff-old-dwarf.wasm"; do
    if [[ -f $m ]]; then
      log "reusing ${m#"$ROOT"/} ($(stat -c %s "$m") bytes)"
      echo "$m"; return
    fi
  done
  log "building wasmscope for wasm32-wasip1 (debug, with DWARF)"
  if cargo build --quiet --target wasm32-wasip1 --bin wasmscope >&2; then
    cp "target/wasm32-wasip1/debug/wasmscope.wasm" "$WORK/wasmscope-debug.wasm"
    echo "$WORK/wasmscope-debug.wasm"
  else
    log "notice: the wasm32-wasip1 debug build failed; module skipped"
  fi
}

# The large module with dead code: a release build linked without the
# linker's garbage collection, in its own target directory.
nogc_module() {
  local td=$WORK/edit-nogc-target
  if ((!FORCE)) && [[ -f $NOGC ]]; then
    log "reusing ${NOGC#"$ROOT"/} ($(stat -c %s "$NOGC") bytes); FORCE=1 rebuilds it"
    return 0
  fi
  log "building wasmscope for wasm32-wasip1 (release, -C link-arg=--no-gc-sections) in ${td#"$ROOT"/}"
  rm -f "$NOGC"
  if env -u CARGO_ENCODED_RUSTFLAGS RUSTFLAGS="-C link-arg=--no-gc-sections" \
    cargo build --quiet --release --target wasm32-wasip1 --bin wasmscope --target-dir "$td" \
    2>"$OUT/nogc-build.log"; then
    cp "$td/wasm32-wasip1/release/wasmscope.wasm" "$NOGC"
  else
    log "notice: the --no-gc-sections build failed (see ${OUT#"$ROOT"/}/nogc-build.log); module skipped"
    return 1
  fi
}

build() {
  log "building target/release/wasmscope"
  cargo build --release --quiet
  [[ -x $OURS ]] || die "$OURS was not built"
  local demo=$ROOT/testdata/demo.wasm nogc=$ROOT/testdata/edit/demo-nogc.wasm m
  [[ -f $demo ]] || die "testdata/demo.wasm is missing (testdata/build-demo.sh builds it)"
  STRIP_MODULES+=("demo $demo")
  GC_MODULES+=("demo $demo")
  MODULE_NOTES+=("demo: \`testdata/demo.wasm\`, $(stat -c %s "$demo") bytes (Rust, release, no DWARF)")
  if [[ -f $nogc ]]; then
    GC_MODULES+=("demo-nogc $nogc")
    MODULE_NOTES+=("demo-nogc: \`testdata/edit/demo-nogc.wasm\`, $(stat -c %s "$nogc") bytes (the demo linked with --no-gc-sections)")
  else
    log "notice: testdata/edit/demo-nogc.wasm is missing (testdata/build-demo.sh nogc builds it); skipped"
    MODULE_NOTES+=("demo-nogc: skipped, \`testdata/edit/demo-nogc.wasm\` is missing (\`testdata/build-demo.sh nogc\`)")
  fi
  ((LARGE)) || return 0
  rustup target list --installed | grep -qx wasm32-wasip1 || rustup target add wasm32-wasip1
  m=$(dwarf_module)
  if [[ -n $m ]]; then
    STRIP_MODULES+=("wasmscope-dwarf $m")
    MODULE_NOTES+=("wasmscope-dwarf: \`${m#"$ROOT"/}\`, $(stat -c %s "$m") bytes (wasmscope for wasm32-wasip1, dev profile, with DWARF)")
  else
    MODULE_NOTES+=("wasmscope-dwarf: skipped, its build failed")
  fi
  if nogc_module; then
    GC_MODULES+=("wasmscope-nogc $NOGC")
    MODULE_NOTES+=("wasmscope-nogc: \`${NOGC#"$ROOT"/}\`, $(stat -c %s "$NOGC") bytes (wasmscope for wasm32-wasip1, release, \`RUSTFLAGS=\"-C link-arg=--no-gc-sections\"\`)")
  else
    MODULE_NOTES+=("wasmscope-nogc: **skipped**: the release build with \`-C link-arg=--no-gc-sections\` failed: \`$(grep -m1 -i error "$OUT/nogc-build.log" | cut -c 1-160 | tr -d '`')\`")
  fi
}

# Tools compared in MODE (strip-debug, strip-all, gc), wasmscope first.
tools_for() {
  local tools=(wasmscope)
  case $1 in
    strip-debug) [[ -n $WASM_TOOLS ]] && tools+=(wasm-tools) ;;
    strip-all)
      [[ -n $WASM_STRIP ]] && tools+=(wasm-strip)
      [[ -n $WASM_TOOLS ]] && tools+=(wasm-tools)
      ;;
    gc) [[ -n $WASM_OPT ]] && tools+=(wasm-opt) ;;
  esac
  echo "${tools[@]}"
}

# Set CMD to TOOL's command line for MODE reading IN and writing OUTFILE.
tool_cmd() {
  local tool=$1 mode=$2 in=$3 out=$4
  case $tool:$mode in
    wasmscope:strip-debug) CMD=("$OURS" strip -q "$in" -o "$out") ;;
    wasmscope:strip-all) CMD=("$OURS" strip -q --all "$in" -o "$out") ;;
    wasmscope:gc) CMD=("$OURS" gc -q "$in" -o "$out") ;;
    wasm-tools:strip-debug) CMD=("$WASM_TOOLS" strip "$in" -o "$out") ;;
    wasm-tools:strip-all) CMD=("$WASM_TOOLS" strip --all "$in" -o "$out") ;;
    wasm-strip:strip-all) CMD=("$WASM_STRIP" "$in" -o "$out") ;;
    wasm-opt:gc) CMD=("$WASM_OPT" --remove-unused-module-elements -g --all-features "$in" -o "$out") ;;
    *) die "no command for $tool in $mode" ;;
  esac
}

# How the report names TOOL's command in MODE.
tool_label() {
  case $1:$2 in
    wasmscope:strip-debug) echo "wasmscope strip" ;;
    wasmscope:strip-all) echo "wasmscope strip --all" ;;
    wasmscope:gc) echo "wasmscope gc" ;;
    wasm-tools:strip-debug) echo "wasm-tools strip" ;;
    wasm-tools:strip-all) echo "wasm-tools strip --all" ;;
    wasm-strip:*) echo "wasm-strip" ;;
    wasm-opt:*) echo "wasm-opt --remove-unused-module-elements -g" ;;
  esac
}



# "yes", or "NO (validators that rejected it)".
validity() {
  local f=$1 bad=()
  "$OURS" validate "$f" >/dev/null 2>&1 || bad+=(wasmscope)
  if [[ -n $WASM_TOOLS ]]; then "$WASM_TOOLS" validate --features all "$f" >/dev/null 2>&1 || bad+=(wasm-tools); fi
  if ((${#bad[@]})); then echo "**NO** (${bad[*]})"; else echo yes; fi
}

# "FUNCTIONS (IMPORTED imp.)" from `wasmscope info --json`.
functions() {
  "$OURS" info --json "$1" 2>/dev/null | awk -F': *' '
    /"functions":/ && f == "" { f = $2; sub(/,.*/, "", f) }
    /"imported_functions":/ && i == "" { i = $2; sub(/,.*/, "", i) }
    END { if (f == "") print "?"; else printf "%s (%s imp.)\n", f, (i == "" ? 0 : i) }'
}

# The size of FILE once wasm-strip has removed every custom section (the
# stripped copy goes to SCRATCH, under target/bench/edit/).
code_data_bytes() {
  [[ -n $WASM_STRIP ]] || { echo "–"; return; }
  if "$WASM_STRIP" "$1" -o "$2" 2>/dev/null; then stat -c %s "$2"; else echo "failed"; fi
}

# Benchmark MODE on module NAME (file IN): the table rows go to
# $OUT/COMMAND.rows, remarks to $OUT/COMMAND.notes.
bench_case() {
  local name=$1 mode=$2 in=$3 cmd=${2%%-*} tool round tools ours_s="" size
  local -A failed=()
  local rows=$OUT/$cmd.rows notes=$OUT/$cmd.notes
  read -ra tools <<<"$(tools_for "$mode")"
  size=$(stat -c %s "$in")
  cat "$in" >/dev/null # page cache
  log "$mode on $name: warm-up and $RUNS rounds (${tools[*]})"
  for tool in "${tools[@]}"; do
    rm -f "$OUT/$name.$mode.$tool".{samples,wasm,wasm.nocustom}
    tool_cmd "$tool" "$mode" "$in" "$OUT/$name.$mode.$tool.wasm"
    measure /dev/null "${CMD[@]}" || failed[$tool]=$(head -n 1 "$OUT/stderr.txt" | cut -c 1-200 | tr -d '`')
  done
  for ((round = 1; round <= RUNS; round++)); do
    for tool in "${tools[@]}"; do
      [[ -v failed[$tool] ]] && continue
      tool_cmd "$tool" "$mode" "$in" "$OUT/$name.$mode.$tool.wasm"
      measure "$OUT/$name.$mode.$tool.samples" "${CMD[@]}" ||
        failed[$tool]="failed in round $round: $(head -n 1 "$OUT/stderr.txt" | cut -c 1-200 | tr -d '`')"
    done
  done

  local what=""
  case $mode in
    strip-debug) what=" | debug info" ;;
    strip-all) what=" | all custom sections" ;;
    gc) echo "| $name | (input) | $size | | | $(functions "$in") | $(code_data_bytes "$in" "$OUT/$name.input.nocustom.wasm") | | | | |" >>"$rows" ;;
  esac
  for tool in "${tools[@]}"; do
    local label out f s kib extra="" valid
    label=$(tool_label "$tool" "$mode")
    if [[ -v failed[$tool] ]]; then
      if [[ $mode == gc ]]; then extra=" | |"; fi
      echo "| $name$what | \`$label\` | failed | | |$extra | | | | |" >>"$rows"
      echo "- $name: \`$label\` failed: \`${failed[$tool]}\`" >>"$notes"
      continue
    fi
    out=$OUT/$name.$mode.$tool.wasm f=$OUT/$name.$mode.$tool.samples
    s=$(median 1 "$f"); kib=$(median 2 "$f")
    [[ $tool == wasmscope ]] && ours_s=$s
    [[ $mode == gc ]] && extra=" | $(functions "$out") | $(code_data_bytes "$out" "$out.nocustom")"
    valid=$(validity "$out")
    [[ $valid == yes ]] || echo "- $name: the output of \`$label\` does not validate: $valid" >>"$notes"
    awk -v row="| $name$what | \`$label\` |" -v n="$size" -v o="$(stat -c %s "$out")" -v x="$extra" \
      -v s="$s" -v k="$kib" -v os="$ours_s" -v v="$valid" 'BEGIN {
      tr = (os == "" || os == 0) ? "n/a" : sprintf("%.2f", s / os)
      printf "%s %d | %d | %.1f%s | %.3f | %.1f | %s | %s |\n", row, o, n - o, 100 * (n - o) / n, x, s, k / 1024, tr, v }' >>"$rows"
  done
  if [[ $mode == gc ]]; then gc_notes "$name" "$in" >>"$notes"; fi
  return 0
}

# What wasmscope gc removed from NAME (from its --json report), how its
# output and wasm-opt's differ in functions, and whether the outputs run.
gc_notes() {
  local name=$1 in=$2 ours=$OUT/$1.gc.wasmscope.wasm theirs=$OUT/$1.gc.wasm-opt.wasm line
  [[ -f $ours ]] || return 0
  line=$("$OURS" gc --dry-run --json "$in" 2>/dev/null | awk -F'"' '
    /"action":/ { a = $4 }
    /"kind":/ && a == "remove" { n[$4]++; total++ }
    END {
      if (!total) { print "nothing"; exit }
      for (k in n) s = s (s == "" ? "" : ", ") n[k] " " k (n[k] == 1 ? "" : "s")
      print s
    }') || line="?"
  echo "- $name: \`wasmscope gc\` removed $line"
  if [[ -f $theirs ]]; then
    line=$("$OURS" diff --stat --color never "$ours" "$theirs" 2>/dev/null | grep -m1 '^functions:' || true)
    echo "- $name: wasmscope's output against wasm-opt's (\`wasmscope diff --stat\`): ${line:-no function differences}"
  fi
  [[ -n $WASMTIME ]] || return 0
  local args=()
  case $name in
    demo*) args=(-s abc) ;;
    wasmscope*) args=(info --demo) ;;
    *) return 0 ;;
  esac
  log "running $name before and after gc with wasmtime"
  local want got tool same
  want=$(timeout 300 "$WASMTIME" run "$in" "${args[@]}" 2>&1) || want="(failed: exit $?) $want"
  for tool in wasmscope wasm-opt; do
    [[ -f $OUT/$name.gc.$tool.wasm ]] || continue
    got=$(timeout 300 "$WASMTIME" run "$OUT/$name.gc.$tool.wasm" "${args[@]}" 2>&1) || got="(failed: exit $?) $got"
    same=no; [[ $got == "$want" ]] && same=yes
    echo "- $name: \`wasmtime run OUT ${args[*]}\` after \`$(tool_label "$tool" gc)\`: runs the same: $same ($(head -n 1 <<<"$got" | cut -c 1-100 | tr -d '`'))"
  done
}

version_of() { [[ -n $1 ]] && "$@" --version 2>&1 | head -n 1 || echo "not installed"; }

machine_info() {
  echo "## Machine"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- command: \`$CMDLINE\` ($RUNS timed runs per tool after one warm-up, tools taking turns; medians)"
  echo "- cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), nproc $(nproc)"
  echo "- memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r); load average before the runs $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- wasmscope: $("$OURS" --version 2>&1 | head -n 1) (HEAD $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src tui Cargo.toml Cargo.lock 2>/dev/null || echo ', with uncommitted changes'))"
  echo "- wasm-tools: $(version_of "$WASM_TOOLS")"
  echo "- wabt (wasm-strip): $(version_of "$WASM_STRIP")"
  echo "- binaryen: $(version_of "$WASM_OPT")"
  echo "- wasmtime: $(version_of "$WASMTIME")"
  echo "- rustc: $(rustc --version 2>&1 | head -n 1)"
  echo
}

# The whole report, on stdout.
report() {
  echo "# wasmscope editing benchmark results (benches/edit.sh)"
  echo
  machine_info
  echo "## Modules"
  echo
  printf -- '- %s\n' "${MODULE_NOTES[@]}"
  echo
  echo "Medians over runs. Saved = input bytes - output bytes. Peak RSS is GNU time's %M."
  local also=""
  [[ -n $WASM_TOOLS ]] && also=" and \`wasm-tools validate --features all\`"
  echo "Time ratio = theirs/ours (> 1: wasmscope is faster). Valid: the output passes \`wasmscope validate\`$also."
  echo
  echo "## strip"
  echo
  echo "\"debug info\": \`wasmscope strip\` removes DWARF, source-map links and \`producers\` and keeps \`name\`;"
  echo "\`wasm-tools strip\` removes every custom section but \`name\` and a few it knows are needed."
  echo "\"all custom sections\": everything the module does not need, names included."
  echo
  echo "| module | removes | tool | output bytes | saved bytes | saved % | median s | peak RSS MiB | time theirs/ours | valid |"
  echo "|---|---|---|---:|---:|---:|---:|---:|---:|---|"
  cat "$OUT/strip.rows"
  echo
  [[ -s $OUT/strip.notes ]] && { cat "$OUT/strip.notes"; echo; }
  echo "## gc"
  echo
  echo "wasm-opt re-encodes the whole module (and may merge types or drop DWARF), so its bytes differ"
  echo "for reasons beyond dead code. Functions: the output's count (imported ones in parentheses)."
  echo "Code+data bytes: the output's size after \`wasm-strip\` (no custom sections at all)."
  echo
  echo "| module | tool | output bytes | saved bytes | saved % | functions | code+data bytes | median s | peak RSS MiB | time theirs/ours | valid |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  cat "$OUT/gc.rows"
  echo
  [[ -s $OUT/gc.notes ]] && { cat "$OUT/gc.notes"; echo; }
  return 0
}

main() {
  (($# == 0)) || die "no arguments; set RUNS, LARGE, FORCE in the environment"
  [[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
  [[ $LARGE == 0 || $LARGE == 1 ]] || die "LARGE must be 0 or 1"
  mkdir -p "$OUT"
  setup_tools
  build
  rm -f "$OUT"/{strip,gc}.{rows,notes}
  touch "$OUT"/{strip,gc}.{rows,notes}
  LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
  local entry name path
  for entry in "${STRIP_MODULES[@]}"; do
    read -r name path <<<"$entry"
    bench_case "$name" strip-debug "$path"
    bench_case "$name" strip-all "$path"
  done
  for entry in "${GC_MODULES[@]}"; do
    read -r name path <<<"$entry"
    bench_case "$name" gc "$path"
  done
  report >"$OUT/report.md"
  cat "$OUT/report.md"
  cp "$OUT/report.md" "$RESULTS"
  log "wrote ${RESULTS#"$ROOT"/}"
}

main "$@"
