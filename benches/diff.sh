#!/usr/bin/env bash
# Benchmark of `wasmscope diff` on two builds of a large real program, side by
# side with what people do today: print both modules as text and `diff` them.
#
#   benches/diff.sh          (env: RUNS=3 OLD_REV=HEAD~10 NEW_REV= VARIANTS="dwarf nodwarf"
#                                  FORCE=0 CLEAN=0 MAX_SECS=5 DIFF_PEER= PEER_STDOUT=0)
#
# The inputs are wasmscope itself compiled for wasm32-wasip1 at two revisions
# of this repository: OLD_REV (default HEAD~10, checked out in a git worktree
# at target/bench/diff-src-old) and NEW_REV (default: the working tree as it
# is; a revision is checked out in target/bench/diff-src-new). Variants:
#   dwarf    the default dev profile, with debug info (~85 MB, mostly DWARF)
#   nodwarf  the dev profile without debug info (CARGO_PROFILE_DEV_DEBUG=0, ~9 MB)
#   release  the release profile (~5 MB; LTO, so its build is the slowest)
# Every (side, variant) builds in its own CARGO_TARGET_DIR under target/bench/
# so no build clobbers another; a module is rebuilt only when missing, built
# from another revision, or FORCE=1 (edits to the working tree need FORCE=1).
#
# Measured RUNS times each (medians), the commands taking turns every round:
#   wasmscope diff OLD NEW > out            (exit 1 = "different": success)
#   wasmscope diff --stat OLD NEW > out
#   wasm-tools print OLD -o old.wat; wasm-tools print NEW -o new.wat;
#   diff old.wat new.wat > out              (time: sum of the three; RSS: max)
# (wasm2wat --enable-all replaces wasm-tools print when wasm-tools is missing.)
# The peer writes its text with -o: `wasm-tools print OLD > old.wat` gives the
# same bytes but took ~3x as long here (10.9 s, not 3.6 s); PEER_STDOUT=1
# measures that form instead.
# The Markdown report goes to stdout and is appended to
# target/bench/DIFF-RESULTS.md; outputs and samples stay in target/bench/diff/.
set -euo pipefail
export LC_ALL=C # '.' as decimal separator in $EPOCHREALTIME, awk and sort

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
# shellcheck source=benches/lib.sh
source "$ROOT/benches/lib.sh"
RUNS=${RUNS:-3}
OLD_REV=${OLD_REV:-HEAD~10}
NEW_REV=${NEW_REV:-} # empty: the working tree
VARIANTS=${VARIANTS:-dwarf nodwarf}
FORCE=${FORCE:-0}
CLEAN=${CLEAN:-0}       # 1: remove the worktrees this run created, at the end
MAX_SECS=${MAX_SECS:-5} # "completes in a few seconds"
MAX_RSS_RATIO=3         # "no more than 3x the two inputs' size in memory"
DIFF_PEER=${DIFF_PEER:-} # wasm-tools | wasm2wat; default: wasm-tools if installed
PEER_STDOUT=${PEER_STDOUT:-0} # 1: the peer prints to stdout (> file), not -o file
LARGE=15000000 # the targets are for modules of 15 MB or more
WORK=$ROOT/target/bench
OUT=$WORK/diff # outputs, samples, scratch
OURS=$ROOT/target/release/wasmscope
RESULTS=$WORK/DIFF-RESULTS.md
CMDLINE="RUNS=$RUNS OLD_REV=$OLD_REV${NEW_REV:+ NEW_REV=$NEW_REV} VARIANTS=\"$VARIANTS\"${DIFF_PEER:+ DIFF_PEER=$DIFF_PEER}"
((PEER_STDOUT)) && CMDLINE+=" PEER_STDOUT=1"
CMDLINE+=" benches/diff.sh"
PRINTER=() # the peer's "print module as text" command, input appended
PEER=""    # its name in the report
CREATED=() # worktrees this run created

log() { echo "diff-bench: $*" >&2; }
die() { log "error: $*"; exit 1; }

setup_tools() {
  if [[ ! -x /usr/bin/time ]] || ! /usr/bin/time --version 2>&1 | grep -q GNU; then
    log "installing GNU time"; apt_install time || die "GNU time (apt package 'time') is required"
  fi
  command -v diff >/dev/null || die "diff (GNU diffutils) is required"
  local wt
  wt=$(command -v wasm-tools || true)
  [[ -z $wt && -x $HOME/.cargo/bin/wasm-tools ]] && wt=$HOME/.cargo/bin/wasm-tools
  if [[ -n $wt && $DIFF_PEER != wasm2wat ]]; then
    PEER="wasm-tools print"; PRINTER=("$wt" print)
  else
    [[ $DIFF_PEER == wasm2wat ]] || log "notice: wasm-tools not found (cargo install wasm-tools --locked); the peer is wasm2wat from wabt"
    if ! command -v wasm2wat >/dev/null; then
      log "installing wabt"; apt_install wabt || die "neither wasm-tools nor wasm2wat is available"
    fi
    PEER="wasm2wat --enable-all (wasm-tools not used)"; PRINTER=(wasm2wat --enable-all)
  fi
}

# SHA of a revision, or the working tree's description when REV is empty.
describe() {
  if [[ -n $1 ]]; then git rev-parse --verify --quiet "$1^{commit}" || die "no such revision: $1"
  else echo "$(git rev-parse HEAD)+worktree"; fi
}

# A detached worktree at DIR checked out at SHA: reused when it exists,
# created (after pruning stale registrations) when it does not.
worktree_at() {
  local dir=$1 sha=$2
  if [[ -d $dir ]] && [[ $(git -C "$dir" rev-parse --show-toplevel 2>/dev/null) == "$dir" ]]; then
    log "reusing worktree ${dir#"$ROOT"/} at ${sha:0:10}"
    git -C "$dir" checkout --quiet --detach "$sha"
  else
    git worktree prune
    [[ -e $dir ]] && rm -rf -- "$dir" # a leftover directory that is no worktree
    log "creating worktree ${dir#"$ROOT"/} at ${sha:0:10}"
    git worktree add --quiet --detach "$dir" "$sha"
    CREATED+=("$dir")
  fi
}

cleanup() {
  ((CLEAN)) || return 0
  local dir
  for dir in "${CREATED[@]}"; do
    log "removing worktree ${dir#"$ROOT"/}"
    git worktree remove --force "$dir" || true
  done
  git worktree prune || true
}

# Build wasmscope for wasm32-wasip1 as the SIDE (old|new) module of VARIANT
# and copy it to target/bench/diff-SIDE-VARIANT.wasm (its revision in .rev).
build_module() {
  local side=$1 variant=$2 rev=$3 stamp=$4 src=$ROOT
  local wasm=$WORK/diff-$side-$variant.wasm td=$WORK/diff-target-$side-$variant
  local env=() flag=() dir=debug
  if ((!FORCE)) && [[ -f $wasm && -f $wasm.rev && $(<"$wasm.rev") == "$stamp" ]]; then
    log "$side $variant module exists ($(stat -c %s "$wasm") bytes, ${stamp:0:10}); FORCE=1 rebuilds it"
    return
  fi
  if [[ -n $rev ]]; then
    src=$WORK/diff-src-$side
    worktree_at "$src" "${stamp%+worktree}"
  fi
  case $variant in
    dwarf) ;;
    nodwarf) env=(CARGO_PROFILE_DEV_DEBUG=0) ;;
    release) flag=(--release); dir=release ;;
    *) die "unknown variant '$variant' (dwarf, nodwarf, release)" ;;
  esac
  log "building the $side module ($variant, ${stamp:0:10}) in ${td#"$ROOT"/}"
  rm -f "$wasm" "$wasm.rev" # never benchmark a stale module
  (cd "$src" && env "${env[@]}" CARGO_TARGET_DIR="$td" \
    cargo build --quiet "${flag[@]}" --target wasm32-wasip1 --bin wasmscope) ||
    die "the wasm32-wasip1 build of $side ($variant) failed"
  cp "$td/wasm32-wasip1/$dir/wasmscope.wasm" "$wasm"
  echo "$stamp" >"$wasm.rev"
}

build() {
  log "building target/release/wasmscope"
  cargo build --release --quiet
  [[ -x $OURS ]] || die "$OURS was not built"
  rustup target list --installed | grep -qx wasm32-wasip1 || rustup target add wasm32-wasip1
  local variant
  for variant in $VARIANTS; do
    build_module old "$variant" "$OLD_REV" "$OLD_SHA"
    build_module new "$variant" "$NEW_REV" "$NEW_SHA"
  done
}

# Run a command once under GNU time, its stdout to OUTFILE, and print
# "wall-seconds peak-KiB cpu-seconds" (CPU: user + system). OK lists the exit codes that mean success. Wall
# time comes from $EPOCHREALTIME (µs); time's %e (10 ms) is the fallback.
timed() {
  local outfile=$1 ok=$2 t0 t1 secs kib usr sys rc=0
  shift 2
  t0=${EPOCHREALTIME:-}
  /usr/bin/time -f '%e %M %U %S' -o "$OUT/time.txt" "$@" >"$outfile" 2>"$OUT/stderr.txt" || rc=$?
  t1=${EPOCHREALTIME:-}
  if [[ " $ok " != *" $rc "* ]]; then
    log "error: '$*' exited with $rc: $(head -c 400 "$OUT/stderr.txt")"
    return 1
  fi
  read -r secs kib usr sys < <(tail -n 1 "$OUT/time.txt") # a non-zero exit adds a line before
  [[ -n $t0 ]] && secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
  awk -v s="$secs" -v k="$kib" -v u="$usr" -v y="$sys" 'BEGIN { printf "%s %s %.2f\n", s, k, u + y }'
}

# The peer prints module IN as text to OUTFILE; samples go to SAMPLES.
peer_print() {
  local in=$1 outfile=$2 s
  if ((PEER_STDOUT)); then
    s=$(timed "$outfile" 0 "${PRINTER[@]}" "$in") || die "$PEER failed on $in"
  else
    s=$(timed "$OUT/stdout.txt" 0 "${PRINTER[@]}" "$in" -o "$outfile") || die "$PEER failed on $in"
  fi
  echo "$s"
}

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# Time every command on the VARIANT pair; samples go to $OUT/VARIANT.*.
bench_pair() {
  local v=$1 old=$WORK/diff-old-$1.wasm new=$WORK/diff-new-$1.wasm round s
  local a b c
  rm -f "$OUT/$v".*.samples
  cat "$old" "$new" >/dev/null # page cache
  for ((round = 1; round <= RUNS; round++)); do
    log "$v pair: round $round of $RUNS"
    s=$(timed "$OUT/$v.wasmscope.out" "0 1" "$OURS" diff --color never "$old" "$new") || die "wasmscope diff failed"
    echo "$s" >>"$OUT/$v.wasmscope.samples"
    s=$(timed "$OUT/$v.stat.out" "0 1" "$OURS" diff --stat --color never "$old" "$new") || die "wasmscope diff --stat failed"
    echo "$s" >>"$OUT/$v.stat.samples"
    a=$(peer_print "$old" "$OUT/$v.old.wat")
    b=$(peer_print "$new" "$OUT/$v.new.wat")
    c=$(timed "$OUT/$v.peer.out" "0 1" diff "$OUT/$v.old.wat" "$OUT/$v.new.wat") || die "diff failed"
    echo "$a" >>"$OUT/$v.print-old.samples"
    echo "$b" >>"$OUT/$v.print-new.samples"
    echo "$c" >>"$OUT/$v.textdiff.samples"
    # The pipeline: times add up, the memory peak is the largest step's.
    echo "$a $b $c" | awk '{ m = $2; if ($5 > m) m = $5; if ($8 > m) m = $8
      printf "%.6f %d %.2f\n", $1 + $4 + $7, m, $3 + $6 + $9 }' \
      >>"$OUT/$v.peer.samples"
  done
}

# One table row: LABEL SAMPLES INPUT-BYTES OUTPUT-LINES REFERENCE-SECONDS.
row() {
  local label=$1 f=$2 inputs=$3 lines=$4 ref=$5 s kib cpu
  s=$(median 1 "$f"); kib=$(median 2 "$f"); cpu=$(median 3 "$f")
  awk -v l="$label" -v s="$s" -v k="$kib" -v c="$cpu" -v n="$inputs" -v o="$lines" -v r="$ref" 'BEGIN {
    ratio = (r == "" || r == 0) ? "–" : sprintf("%.1fx", s / r)
    printf "| %s | %.3f | %s | %.2f | %.1f | %.2fx | %s |\n", l, s, ratio, c, k / 1024, k * 1024 / n, o }'
}

# What the changed functions in a wasmscope diff output are: how each was
# matched, how many position matches pair two differently named functions,
# and how many differ only in the values of i32/i64.const (in a debug build,
# mostly data addresses that moved because the data in front of them grew).
changed_breakdown() {
  awk '
    function flush() {
      if (!open) return
      if (m == p) constonly++
      open = 0
    }
    $0 == "functions:" { infn = 1; next }
    infn && /^[^ ]/ { flush(); infn = 0 }
    !infn { next }
    /^  ~ / {
      flush(); open = 1; m = ""; p = ""; changed++
      if (match($0, /matched by [a-z]+/)) by[substr($0, RSTART + 11, RLENGTH - 11)]++
      if ($0 ~ /matched by position/ && $0 ~ / \(was /) posrenamed++
      next
    }
    open && /^    [-+]/ {
      line = substr($0, 6); gsub(/i(32|64)\.const -?[0-9]+/, "iNN.const N", line)
      if (substr($0, 5, 1) == "-") m = m line "\n"; else p = p line "\n"
    }
    END {
      flush()
      if (!changed) { print "- changed functions: none listed"; exit }
      list = ""
      for (k in by) list = list (list == "" ? "" : ", ") by[k] " by " k
      printf "- changed functions listed: %d (matched: %s); %d (%.0f%%) differ only in i32/i64.const values; %d position matches pair functions of different names\n",
        changed, list, constonly, 100 * constonly / changed, posrenamed
    }' "$1"
}

report_pair() {
  local v=$1 old=$WORK/diff-old-$1.wasm new=$WORK/diff-new-$1.wasm
  local so sn inputs ours ours_kib peer peer_lines ours_lines stat_line
  so=$(stat -c %s "$old"); sn=$(stat -c %s "$new"); inputs=$((so + sn))
  ours=$(median 1 "$OUT/$v.wasmscope.samples"); ours_kib=$(median 2 "$OUT/$v.wasmscope.samples")
  peer=$(median 1 "$OUT/$v.peer.samples")
  ours_lines=$(wc -l <"$OUT/$v.wasmscope.out"); peer_lines=$(wc -l <"$OUT/$v.peer.out")
  stat_line=$(grep -m1 '^functions:' "$OUT/$v.stat.out" || echo "functions: (no summary line)")
  echo "### $v pair"
  echo
  echo "- old: \`diff-old-$v.wasm\` $so bytes ($(awk -v b="$so" 'BEGIN { printf "%.1f", b / 1e6 }') MB); new: \`diff-new-$v.wasm\` $sn bytes ($(awk -v b="$sn" 'BEGIN { printf "%.1f", b / 1e6 }') MB); both: $inputs bytes"
  echo "- text printed by the peer: old $(stat -c %s "$OUT/$v.old.wat") bytes / $(wc -l <"$OUT/$v.old.wat") lines, new $(stat -c %s "$OUT/$v.new.wat") bytes / $(wc -l <"$OUT/$v.new.wat") lines"
  echo "- wasmscope diff --stat: \`$stat_line\`"
  echo
  echo "| command | median wall s | wall vs wasmscope diff | median CPU s | median peak RSS MiB | RSS ÷ (old + new) | output lines |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  row "\`wasmscope diff OLD NEW\`" "$OUT/$v.wasmscope.samples" "$inputs" "$ours_lines" "$ours"
  row "\`wasmscope diff --stat OLD NEW\`" "$OUT/$v.stat.samples" "$inputs" "$(wc -l <"$OUT/$v.stat.out")" "$ours"
  row "**$PEER ×2 + \`diff\` (total)**" "$OUT/$v.peer.samples" "$inputs" "$peer_lines" "$ours"
  local to="-o"; ((PEER_STDOUT)) && to=">"
  row "↳ \`${PEER%% (*} OLD $to old.wat\`" "$OUT/$v.print-old.samples" "$inputs" "$(wc -l <"$OUT/$v.old.wat")" "$ours"
  row "↳ \`${PEER%% (*} NEW $to new.wat\`" "$OUT/$v.print-new.samples" "$inputs" "$(wc -l <"$OUT/$v.new.wat")" "$ours"
  row "↳ \`diff old.wat new.wat\`" "$OUT/$v.textdiff.samples" "$inputs" "$peer_lines" "$ours"
  echo
  awk -v s="$ours" -v p="$peer" -v k="$ours_kib" -v n="$inputs" -v ms="$MAX_SECS" -v mr="$MAX_RSS_RATIO" \
    -v ol="$ours_lines" -v pl="$peer_lines" -v large=$((so >= LARGE && sn >= LARGE)) 'BEGIN {
    printf "- peer / wasmscope time: **%.1fx**; output lines wasmscope : diff = %d : %d (diff prints %.2fx as many)\n", (s > 0 ? p / s : 0), ol, pl, (ol > 0 ? pl / ol : 0)
    tv = s <= ms ? "met" : "NOT met"; mv = k * 1024 <= mr * n ? "met" : "NOT met"
    if (!large) { tv = tv ", but the targets are for modules of 15 MB or more"; mv = mv ", ditto" }
    printf "- wasmscope diff: %.2f s (target: a few seconds, <= %s s: %s); peak RSS %.1f MiB = %.2fx the inputs (target <= %sx: %s)\n",
      s, ms, tv, k / 1024, k * 1024 / n, mr, mv }'
  changed_breakdown "$OUT/$v.wasmscope.out"
  echo
}

machine_info() {
  local commits
  commits=$(git rev-list --count "${OLD_SHA}..${NEW_SHA%+worktree}")
  local new_label=${NEW_SHA:0:10}
  [[ -n $NEW_REV ]] || new_label="working tree (HEAD ${NEW_SHA:0:10})"
  echo "## $(date -u '+%Y-%m-%d %H:%M UTC'): wasmscope diff, ${OLD_SHA:0:10} → $new_label"
  echo
  echo "- command: \`$CMDLINE\` ($RUNS timed runs per command, taking turns; medians)"
  echo "- machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), nproc $(nproc), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r); load average before the runs $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine slows wasmscope diff most: it uses every core)"
  echo "- old: \`$OLD_REV\` = $(git log -1 --format='%h %s' "$OLD_SHA" | cut -c 1-90)"
  if [[ -n $NEW_REV ]]; then
    echo "- new: \`$NEW_REV\` = $(git log -1 --format='%h %s' "$NEW_SHA" | cut -c 1-90)"
  else
    echo "- new: the working tree (with its uncommitted changes when it was built) at HEAD $(git log -1 --format='%h %s' "${NEW_SHA%+worktree}" | cut -c 1-90)"
  fi
  echo "- between them: $commits commits (\`git log --oneline old..new\`); $(git diff --shortstat "$OLD_SHA" "${NEW_SHA%+worktree}" -- src tui | sed 's/^ *//') in src/ and tui/"
  echo "- wasm32-wasip1 builds of wasmscope (\`cargo build --target wasm32-wasip1 --bin wasmscope\`); variants: $VARIANTS"
  echo "- wasmscope (native, \`cargo build --release\`): $("$OURS" --version 2>&1 | head -n 1); peer: $PEER $("${PRINTER[0]}" --version 2>&1 | head -n 1) + $(diff --version | head -n 1)"
  echo
}

main() {
  (($# == 0)) || die "no arguments; set RUNS, OLD_REV, NEW_REV, VARIANTS, FORCE, CLEAN in the environment"
  [[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
  trap cleanup EXIT
  setup_tools
  OLD_SHA=$(describe "$OLD_REV")
  NEW_SHA=$(describe "$NEW_REV")
  mkdir -p "$OUT"
  build
  LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
  local v
  for v in $VARIANTS; do bench_pair "$v"; done
  {
    machine_info
    for v in $VARIANTS; do report_pair "$v"; done
  } >"$OUT/report.md"
  cat "$OUT/report.md"
  [[ -f $RESULTS ]] || printf '# wasmscope diff benchmark results (benches/diff.sh)\n\n' >"$RESULTS"
  cat "$OUT/report.md" >>"$RESULTS"
  log "appended to ${RESULTS#"$ROOT"/}"
}

main "$@"
