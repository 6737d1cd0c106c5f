#!/usr/bin/env bash
# Responsiveness benchmark of `wasmscope browse` in a real terminal (tmux).
#
#   benches/browse.sh [MODULE.wasm...]     (env: RUNS=5, PEER_RUNS=3, POLL_MS=5)
#
# Without modules it uses wasmscope's own wasm32-wasip1 builds, as
# benches/bench.sh does (target/bench/wasmscope-{debug,nodwarf}.wasm), and
# builds them if they are missing. For each module it starts the browser RUNS
# times in a detached 120x40 tmux pane on a private socket and, by polling
# `tmux capture-pane`, measures:
#
#   - first frame: launch until the Overview is on screen;
#   - analysis:    launch until the status line stops showing "working…";
#   - key latency: the slowest key press until the screen shows its effect
#                  (view switches during the analysis, sorting, moving);
#   - function text: Enter on a function in the Functions view until its
#                  "(func" header line is on screen, for the last function by
#                  index (the end of the code section) and the largest one;
#   - source pane: for a module with line tables, Enter on the largest
#                  function until the Code view's source pane shows a line of
#                  the file (or says why it cannot be read);
#   - peak memory: VmHWM of the process after the first frame, after the
#                  analysis and after opening the functions.
#
# For comparison it times what users do today before paging the text in less:
# printing the whole module with `wasm-tools print` / `wasm2wat` to /dev/null,
# and `wasmscope info` (reads and indexes the module, then exits) as a
# reference for the cost of the index alone. Targets: first frame <= 500 ms,
# function text <= 100 ms, source pane <= 100 ms, no freeze, peak RSS <= 3x
# the module's size.
#
# All times come from bash's $EPOCHREALTIME around tmux commands. Each poll
# runs a tmux client (a few ms) and polls are POLL_MS apart, so every screen
# time is late by up to one poll (~5-10 ms); keys are sent with send-keys,
# which adds ~1-3 ms. Medians over RUNS sessions; the result table is printed
# on stdout (progress goes to stderr).
set -euo pipefail
export LC_ALL=C # '.' as decimal separator in $EPOCHREALTIME and awk

CALLER_DIR=$PWD # module paths given by the user are relative to this
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
RUNS=${RUNS:-5}
PEER_RUNS=${PEER_RUNS:-3}
POLL_MS=${POLL_MS:-5}
TIMEOUT_MS=${TIMEOUT_MS:-20000} # give up waiting for a screen after this
WORK=$ROOT/target/bench
OURS=$ROOT/target/release/wasmscope
SOCKET=wsbench-$$
COLS=120 ROWS=40
WASM_TOOLS=""

log() { echo "browse-bench: $*" >&2; }
die() { log "error: $*"; exit 1; }

tm() { tmux -L "$SOCKET" "$@"; }
cleanup() {
  tmux -L "$SOCKET" kill-server >/dev/null 2>&1 || true
  rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCKET" # the socket can outlive the server
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A sleep without a fork: read from a pipe nobody writes to.
exec {SLEEP_FD}<> <(:)
POLL_S=$(awk -v ms="$POLL_MS" 'BEGIN { printf "%.3f", ms / 1000 }')
nap() { read -r -t "$POLL_S" -u "$SLEEP_FD" || true; }

# µs since the epoch in NOW (no subshell: this runs in the polling loop).
NOW=0
now_us() { NOW=${EPOCHREALTIME/./}; }
ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; } # µs -> ms text

# --- setup -------------------------------------------------------------------

setup() {
  command -v tmux >/dev/null || {
    log "installing tmux"
    local sudo=()
    [[ $(id -u) == 0 ]] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq tmux >&2
  } || die "tmux is required"
  WASM_TOOLS=$(command -v wasm-tools || true)
  [[ -z $WASM_TOOLS && -x $HOME/.cargo/bin/wasm-tools ]] && WASM_TOOLS=$HOME/.cargo/bin/wasm-tools
  [[ -n $WASM_TOOLS ]] || log "notice: wasm-tools not found (cargo install wasm-tools --locked); skipped"
  command -v wasm2wat >/dev/null || log "notice: wasm2wat not found (apt install wabt); skipped"
}

# The native CLI under test and, unless modules were given and unless they
# exist already, wasmscope itself for wasm32-wasip1 as large real modules (the
# same builds as benches/bench.sh: debug with DWARF, and debug without it).
build() {
  log "building target/release/wasmscope"
  cargo build --release --quiet
  [[ -x $OURS ]] || die "$OURS was not built"
  mkdir -p "$WORK"
  (($# > 0)) && return
  if [[ ! -f $WORK/wasmscope-debug.wasm || ! -f $WORK/wasmscope-nodwarf.wasm ]]; then
    rustup target list --installed | grep -qx wasm32-wasip1 || rustup target add wasm32-wasip1
  fi
  if [[ ! -f $WORK/wasmscope-debug.wasm ]]; then
    log "building wasmscope for wasm32-wasip1 (debug)"
    if cargo build --quiet --target wasm32-wasip1 --bin wasmscope; then
      cp target/wasm32-wasip1/debug/wasmscope.wasm "$WORK/wasmscope-debug.wasm"
    else
      log "notice: wasm32-wasip1 debug build failed; module skipped"
    fi
  fi
  if [[ ! -f $WORK/wasmscope-nodwarf.wasm ]]; then
    log "building wasmscope for wasm32-wasip1 (debug, no debug info)"
    if CARGO_PROFILE_DEV_DEBUG=0 cargo build --quiet --target wasm32-wasip1 --bin wasmscope \
      --target-dir "$WORK/nodwarf-target"; then
      cp "$WORK/nodwarf-target/wasm32-wasip1/debug/wasmscope.wasm" "$WORK/wasmscope-nodwarf.wasm"
    else
      log "notice: wasm32-wasip1 no-debug-info build failed; module skipped"
    fi
  fi
}

# --- the terminal ------------------------------------------------------------

SCREEN=""   # the last capture
STARTED=0   # µs when the browser was launched
BROWSER_PID=""

TOP=""      # its first line (the view tabs)
TITLE=""    # its second line (the current view's title)
STATUS=""   # its last non-empty line (the status line)
capture() {
  SCREEN=$(tm capture-pane -p -t bench 2>/dev/null) || SCREEN=""
  TOP=${SCREEN%%$'\n'*}
  TITLE=${SCREEN#*$'\n'}; TITLE=${TITLE%%$'\n'*}
  STATUS=${SCREEN##*$'\n'}
}

# Poll until the function named by $1 (given the screen in SCREEN) succeeds;
# sets WAITED to µs since $2. Returns 1 on timeout or if the browser died.
# While waiting, SIDE_TEST (if set) is checked too: SIDE_AT gets the µs since
# $2 at which it first held (0 while it has not).
WAITED=0
SIDE_TEST="" SIDE_AT=0
wait_for() {
  local test=$1 since=$2
  while :; do
    capture
    now_us
    if [[ -n $SIDE_TEST ]] && ((SIDE_AT == 0)) && "$SIDE_TEST"; then SIDE_AT=$((NOW - since)); fi
    if "$test"; then WAITED=$((NOW - since)); return 0; fi
    if ((NOW - since > TIMEOUT_MS * 1000)); then
      log "timeout waiting for: $test; the screen:"; echo "$SCREEN" >&2
      return 1
    fi
    # remain-on-exit writes this into the pane when the browser exits.
    if [[ $SCREEN == *"Pane is dead"* ]]; then
      log "the browser exited; its last screen:"; echo "$SCREEN" >&2
      return 1
    fi
    nap
  done
}

# Screen conditions.
# Whether the capture holds a whole frame: tmux may be caught half-way
# through the bytes of one, and the status line on the last row comes last.
full_frame() {
  local newlines=${SCREEN//[!$'\n']/}
  ((${#newlines} == ROWS - 1)) && [[ $STATUS == " "*[![:space:]]* ]]
}
is_overview() { [[ $TOP == *"1 Overview"* && $TITLE == *"┌ Overview:"* && $SCREEN == *kind* ]] && full_frame; }
is_functions() { [[ $TITLE == *"┌ Functions:"* ]]; }
not_working() { [[ $STATUS != *"working…"* ]] && full_frame; }
by_index() { [[ $TITLE == *"┌ Functions:"*", by index"* ]]; }
by_name() { [[ $TITLE == *"┌ Functions:"*", by name"* ]]; }
by_size() { [[ $TITLE == *"┌ Functions:"*", by size"* ]]; }
by_source() { [[ $TITLE == *"┌ Functions:"*", by source"* ]]; }
size_or_source() { by_size || by_source; }
# The status line shows "Functions SELECTED/ROWS".
at_last_row() { [[ $STATUS =~ Functions\ ([0-9]+)/([0-9]+) ]] && [[ ${BASH_REMATCH[1]} == "${BASH_REMATCH[2]}" ]]; }
at_first_row() { [[ $STATUS =~ Functions\ 1/[0-9]+ ]]; }

# The index of the function on the first or last row of the Functions table
# on screen (the selected one after g or G), in WANT_FUNC.
WANT_FUNC=""
row_func() {
  local lines=() i
  mapfile -t lines <<<"$SCREEN"
  WANT_FUNC=""
  if [[ $1 == first ]]; then
    for ((i = 0; i < ${#lines[@]}; i++)); do
      [[ ${lines[i]} == "│index"* ]] && { [[ ${lines[i + 1]:-} =~ ^│([0-9]+)\  ]] && WANT_FUNC=${BASH_REMATCH[1]}; break; }
    done
  else
    for ((i = ${#lines[@]} - 1; i > 0; i--)); do
      [[ ${lines[i]} == "└"* ]] && { [[ ${lines[i - 1]} =~ ^│([0-9]+)\  ]] && WANT_FUNC=${BASH_REMATCH[1]}; break; }
    done
  fi
  [[ -n $WANT_FUNC ]] || { log "no function row on screen:"; echo "$SCREEN" >&2; return 1; }
}
is_code() { [[ $TITLE == *"┌ Code:"* ]]; }
# The source pane with a line of its file (marked ▶), or why it has none.
source_pane() {
  [[ $SCREEN == *"┌ Source:"* ]] || return 1
  [[ $SCREEN == *"│▶"* || $SCREEN == *"cannot be read"* || $SCREEN == *"no source line"* ]]
}
# The Code view shows "printing…" until the text arrives; then the function's
# header line "(func $name (;N;) ..." is on screen. A long name can push
# "(;N;)" past the pane's edge: then a header with no "(;" at all counts, if
# the title (when not cut short either) names function N.
code_shown() {
  [[ $TITLE == *"┌ Code:"* ]] || return 1
  [[ $TITLE =~ \(func\ ([0-9]+)[^0-9] && ${BASH_REMATCH[1]} != "$WANT_FUNC" ]] && return 1
  local line
  while IFS= read -r line; do
    [[ $line == *"(func"*"(;$WANT_FUNC;)"* ]] && return 0
    [[ $line == "│"*"(func \$"* && $line != *"(func"*"(;"* ]] && return 0
  done <<<"$SCREEN"
  return 1
}

# Send a key and wait until the screen passes TEST (its first visible
# effect); the latency goes to KEY_LATENCIES (µs) and WAITED, the time the key
# was sent to KEY_SENT.
KEY_LATENCIES=()
KEY_SENT=0
key() {
  local k=$1 test=$2
  now_us; KEY_SENT=$NOW
  tm send-keys -t bench "$k"
  wait_for "$test" "$KEY_SENT" || return 1
  KEY_LATENCIES+=("$WAITED")
}

hwm_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$BROWSER_PID/status" 2>/dev/null || echo 0; }

# The browser's pid: the pane runs it directly (no shell), else its child.
find_pid() {
  local pid child
  pid=$(tm display -p -t bench '#{pane_pid}')
  if [[ $(cat "/proc/$pid/comm" 2>/dev/null) != wasmscope ]]; then
    for child in $(pgrep -P "$pid" || true); do
      [[ $(cat "/proc/$child/comm" 2>/dev/null) == wasmscope ]] && { pid=$child; break; }
    done
  fi
  BROWSER_PID=$pid
}

start_server() {
  cleanup
  tm new-session -d -s bench -x "$COLS" -y "$ROWS" sleep 1000000
  tm set-option -w -g remain-on-exit on # keep a crashed browser's screen
  local size; size=$(tm display -p -t bench '#{window_width}x#{window_height}')
  [[ $size == "${COLS}x${ROWS}" ]] || die "tmux window is $size, not ${COLS}x${ROWS}"
}

# --- one session -------------------------------------------------------------

# One browser session on module $1; appends one line to the samples file $2:
#   first_frame_us analysis_us fn_last_us fn_largest_us max_key_us
#   hwm_first_kib hwm_analysis_kib hwm_end_kib exit_status code_view_us
#   source_pane_us (- without line tables)
session() {
  local m=$1 out=$2 ff an fl fb cv sp=- hw1 hw2 hw3 status
  KEY_LATENCIES=()
  # respawn-pane -k clears the screen; the tmux server is already running.
  now_us; STARTED=$NOW
  tm respawn-pane -k -t bench -- "$OURS" browse "$m"
  wait_for is_overview "$STARTED" || return 1
  ff=$WAITED
  find_pid
  hw1=$(hwm_kib)
  # Key presses while the analysis runs: the UI must keep answering.
  local i=0
  while ! not_working && ((i < 20)); do
    key 2 is_functions || return 1
    key 1 is_overview || return 1
    i=$((i + 1))
  done
  wait_for not_working "$STARTED" || return 1
  an=$WAITED
  hw2=$(hwm_kib)
  # Functions view (by size), sort by index (size -> name -> index), last row.
  key 2 is_functions || return 1
  key s by_name || return 1
  key s by_index || return 1
  key G at_last_row || return 1
  row_func last || return 1
  # Enter: the Code view at once ("printing…"), the text when it is printed.
  key Enter is_code || return 1
  cv=$WAITED
  wait_for code_shown "$KEY_SENT" || return 1
  fl=$WAITED
  log "  last function by index: func $WANT_FUNC, $(ms "$fl") ms"
  key BSpace is_functions || return 1
  # Back to size order, first row: the largest function.
  # s cycles size -> name -> index (-> source, with line tables) -> size.
  key s size_or_source || return 1
  if by_source; then key s by_size || return 1; fi
  key g at_first_row || return 1
  row_func first || return 1
  SIDE_TEST=source_pane SIDE_AT=0
  key Enter is_code || return 1
  ((WAITED > cv)) && cv=$WAITED
  wait_for code_shown "$KEY_SENT" || return 1
  fb=$WAITED
  log "  largest function: func $WANT_FUNC, $(ms "$fb") ms"
  # With line tables the pane is under the code: when it was first there.
  if ((SIDE_AT == 0)) && [[ $SCREEN == *"┌ Source:"* ]]; then
    wait_for source_pane "$KEY_SENT" || return 1
    SIDE_AT=$WAITED
  fi
  ((SIDE_AT > 0)) && { sp=$SIDE_AT; log "  source pane: $(ms "$sp") ms"; }
  SIDE_TEST=""
  key BSpace is_functions || return 1
  now_us; wait_for not_working "$NOW" || return 1
  hw3=$(hwm_kib)
  # Quit; the exit status tells whether the browser left cleanly.
  tm send-keys -t bench q
  local t0; now_us; t0=$NOW
  # pane_dead comes with the pty's end of file; the status once tmux has
  # reaped the process, which can be a moment later.
  local dead code signal
  status=""
  until [[ -n $status ]]; do
    read -r dead code signal < <(tm display -p -t bench '#{pane_dead} #{pane_dead_status}. #{pane_dead_signal}.')
    code=${code%.} signal=${signal%.}
    if [[ $dead == 1 && -n $signal ]]; then status=signal-$signal
    elif [[ $dead == 1 && -n $code ]]; then status=$code
    else
      now_us
      # tmux 3.3 sometimes leaves the exited browser a zombie for seconds
      # without marking the pane dead: it has exited, with an unknown status.
      local state
      state=$(awk '{ print $3 }' "/proc/$BROWSER_PID/stat" 2>/dev/null || echo gone)
      if [[ $state == Z || $state == gone ]] && ((NOW - t0 > 2000000)); then
        status=exited; break
      fi
      if ((NOW - t0 > 5000000)); then
        log "the browser did not exit on q (process state $state); its screen:"
        tm capture-pane -p -t bench >&2 || true
        status=alive; break
      fi
      nap
    fi
  done
  local max=0 l
  for l in "${KEY_LATENCIES[@]}"; do ((l > max)) && max=$l; done
  echo "$ff $an $fl $fb $max $hw1 $hw2 $hw3 ${status:-?} $cv $sp" >>"$out"
  log "  first frame $(ms "$ff") ms, analysis done $(ms "$an") ms, slowest key $(ms "$max") ms (${#KEY_LATENCIES[@]} keys), VmHWM $((hw3 / 1024)) MiB, exit ${status:-?}"
}

# --- timing of whole commands ----------------------------------------------

# Median wall µs of a command (stdout to /dev/null by redirection), N runs
# after one warm-up; empty if it fails.
time_cmd() {
  local n=$1 i t0 t1 samples=(); shift
  "$@" >/dev/null 2>&1 || return 0
  for ((i = 0; i < n; i++)); do
    now_us; t0=$NOW
    "$@" >/dev/null 2>&1 || return 0
    now_us; t1=$NOW
    samples+=($((t1 - t0)))
  done
  printf '%s\n' "${samples[@]}" | median_col 1
}

# Median of column $1 of stdin (integers); for an even count the lower middle.
median_col() {
  awk -v c="$1" '{ print $c }' | sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}
minmax_col() {
  awk -v c="$1" 'NR == 1 { lo = hi = $c } { if ($c < lo) lo = $c; if ($c > hi) hi = $c } END { printf "%.0f–%.0f", lo / 1000, hi / 1000 }'
}

# --- report ------------------------------------------------------------------

ROWS_OUT=()
NOTES=()

bench_module() {
  local m=$1 name size samples r ok=0
  name=$(basename "$m")
  size=$(stat -c %s "$m")
  samples=$WORK/browse-$name.samples
  : >"$samples"
  log "$name ($size bytes): $RUNS browser sessions"
  cat "$m" >/dev/null # page cache, as for the peers' warm-up
  for ((r = 1; r <= RUNS; r++)); do
    log " run $r/$RUNS"
    if session "$m" "$samples"; then ok=$((ok + 1)); else NOTES+=("$name: run $r failed (see stderr)"); fi
  done
  ((ok > 0)) || { ROWS_OUT+=("| $name | $(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1e6 }') | failed | | | | | | | | | | | |"); return; }

  log "$name: timing wasmscope info and the peers' full print"
  local info wt w2w
  info=$(time_cmd "$RUNS" "$OURS" info "$m")
  wt="" w2w=""
  [[ -n $WASM_TOOLS ]] && wt=$(time_cmd "$PEER_RUNS" "$WASM_TOOLS" print "$m")
  command -v wasm2wat >/dev/null && w2w=$(time_cmd "$PEER_RUNS" wasm2wat --enable-all "$m")

  local ff an fl fb cv sp key hw1 hw2 hw3 statuses
  ff=$(median_col 1 <"$samples"); an=$(median_col 2 <"$samples")
  fl=$(median_col 3 <"$samples"); fb=$(median_col 4 <"$samples"); cv=$(median_col 10 <"$samples")
  sp=$(awk '$11 != "-"' "$samples" | median_col 11)
  key=$(awk '{ print $5 }' "$samples" | sort -g | tail -n 1) # worst over all runs
  hw1=$(median_col 6 <"$samples"); hw2=$(median_col 7 <"$samples")
  hw3=$(awk '{ print $8 }' "$samples" | sort -g | tail -n 1) # worst over all runs
  statuses=$(awk '{ print $9 }' "$samples" | sort -u | tr '\n' ' ')
  # "exited": tmux did not report the status (see session).
  [[ $statuses =~ ^((0|exited)\ )+$ ]] || NOTES+=("$name: browser exit status(es) on q: $statuses")

  ROWS_OUT+=("$(awk -v name="$name" -v size="$size" -v ff="$ff" -v ffr="$(minmax_col 1 <"$samples")" \
    -v an="$an" -v cv="$cv" -v fl="$fl" -v fb="$fb" -v sp="$sp" -v key="$key" -v h1="$hw1" -v h2="$hw2" -v h3="$hw3" \
    -v info="$info" -v wt="$wt" -v w2w="$w2w" -v n="$ok" 'BEGIN {
      mb = size / 1e6
      peer = (wt != "" && (w2w == "" || wt + 0 < w2w + 0)) ? wt : w2w # the faster peer
      ours = ff + fl
      printf "| %s | %.1f | %.0f (%s) | %.0f | %.0f | %.0f | %.0f | %s | %.0f | %.0f / %.0f / %.0f (%.2fx) | %.0f | %s | %s | %s |",
        name, mb, ff / 1000, ffr, an / 1000, cv / 1000, fl / 1000, fb / 1000,
        (sp != "" ? sprintf("%.0f", sp / 1000) : "–"), key / 1000,
        h1 / 1024, h2 / 1024, h3 / 1024, h3 * 1024 / size, info / 1000,
        (wt != "" ? sprintf("%.2f s", wt / 1e6) : "–"), (w2w != "" ? sprintf("%.2f s", w2w / 1e6) : "–"),
        (peer != "" && ours > 0 ? sprintf("%.0fx", peer / ours) : "–")
    }')")

  # Verdicts against the targets.
  awk -v name="$name" -v size="$size" -v ff="$ff" -v fl="$fl" -v fb="$fb" -v sp="$sp" -v key="$key" -v h3="$hw3" 'BEGIN {
    printf "- %s: first frame %s (%.0f ms, target 500); function text %s (%.0f / %.0f ms, target 100);", name,
      (ff <= 500000 ? "ok" : "SLOW"), ff / 1000, (fl <= 100000 && fb <= 100000 ? "ok" : "SLOW"), fl / 1000, fb / 1000
    if (sp != "") printf " source pane %s (%.0f ms, target 100);", (sp <= 100000 ? "ok" : "SLOW"), sp / 1000
    printf " slowest key %s (%.0f ms); peak RSS %s (%.2fx, target 3x)\n",
      (key <= 100000 ? "ok" : "SLOW"), key / 1000, (h3 * 1024 <= 3 * size ? "ok" : "HIGH"), h3 * 1024 / size
  }' >>"$WORK/browse-verdicts.txt"
}

report() {
  echo "# wasmscope browse: responsiveness"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), nproc $(nproc); load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- wasmscope: $("$OURS" --version 2>&1 | head -n 1); tmux $(tmux -V | cut -d' ' -f2), pane ${COLS}x${ROWS}"
  echo "- $RUNS browser sessions per module (medians; first frame also min–max), peers $PEER_RUNS runs after a warm-up"
  echo "- screen times are polled every ${POLL_MS} ms with \`tmux capture-pane\` (each poll takes a few ms more), so they"
  echo "  are late by up to ~5-10 ms; key times include \`tmux send-keys\` (~1-3 ms)"
  echo
  echo "| module | MB | first frame ms (min–max) | analysis done ms | Enter → Code view ms | fn text: last by index ms | fn text: largest ms | source pane ms | slowest key ms | VmHWM MiB: first frame / analysed / end (end ÷ size) | \`wasmscope info\` ms | wasm-tools print | wasm2wat | peer ÷ (first frame + fn text) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${ROWS_OUT[@]}"
  echo
  echo "Targets (first frame <= 500 ms, function text and source pane <= 100 ms, no key slower than 100 ms, peak <= 3x size):"
  echo
  cat "$WORK/browse-verdicts.txt"
  if ((${#NOTES[@]})); then echo; printf -- '- note: %s\n' "${NOTES[@]}"; fi
  echo
  echo "Columns: analysis done = launch until the status line stops showing \"working…\"; Enter → Code view = Enter until"
  echo "the Code view is on screen (showing \"printing…\" or the text; the slower of the two functions); fn text = Enter"
  echo "until the function's \"(func\" header line is on screen; source pane = Enter on the largest function until the"
  echo "Code view's source pane shows a line of its file (modules with line tables); slowest key = worst key-to-first-visible-effect latency"
  echo "over all sessions (view switches while analysing, sort, last/first row, Enter, Backspace); VmHWM end is the"
  echo "worst over all sessions; peers print the whole module to /dev/null (what users page in less); the last column"
  echo "is the faster peer's time over wasmscope's first frame + the last function's text."
}

main() {
  local modules=("$@")
  setup
  build "${modules[@]}"
  if ((${#modules[@]} == 0)); then
    for m in "$WORK"/wasmscope-{debug,nodwarf}.wasm; do [[ -f $m ]] && modules+=("$m"); done
  fi
  ((${#modules[@]})) || die "no modules to benchmark"
  local m abs=()
  for m in "${modules[@]}"; do
    [[ $m == /* ]] || m=$CALLER_DIR/$m
    [[ -f $m ]] || die "no such module: $m"
    abs+=("$(realpath "$m")")
  done
  : >"$WORK/browse-verdicts.txt"
  start_server
  for m in "${abs[@]}"; do bench_module "$m"; done
  cleanup
  report
}

main "$@"
