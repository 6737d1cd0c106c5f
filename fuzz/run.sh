#!/usr/bin/env bash
# Runs fuzz targets one after another, each for a time budget, and prints
# what each did: executions, coverage, corpus size and the end (clean, crash,
# timeout or out of memory).
#
#   fuzz/run.sh                  every target, 30 minutes each
#   SECONDS_EACH=60 fuzz/run.sh print parse
#
# Needs a nightly toolchain and cargo-fuzz:
#   rustup toolchain install nightly --profile minimal
#   cargo install cargo-fuzz --locked
# The corpora start from `cargo run --release --features seed --bin seed`
# (done here when a target's corpus is missing). Logs go to fuzz/logs/.
set -uo pipefail
cd "$(dirname "$0")"
budget=${SECONDS_EACH:-1800}
targets=("$@")
((${#targets[@]})) || targets=(inspect print validate diff edit parse browse debuginfo wit policy glue wabt)

for target in "${targets[@]}"; do
  [[ -d corpus/$target ]] || { cargo run --release --features seed --bin seed; break; }
done
cargo +nightly fuzz build -O
mkdir -p logs
for target in "${targets[@]}"; do
  log=logs/$target.log
  # -timeout: one input over 10 s is a hang; -rss_limit_mb: over 2 GiB is
  # unbounded memory. Both count as failures. -detect_leaks=0: the leak
  # check at exit reports the thread-local records of worker threads that
  # are still alive (32 bytes each), which is not a leak of ours.
  cargo +nightly fuzz run -O "$target" -- \
    -max_total_time="$budget" -timeout=10 -rss_limit_mb=2048 -detect_leaks=0 \
    -print_final_stats=1 >"$log" 2>&1
  status=$?
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.*corp: \([0-9]*\).*/\1/p' <<<"$last")
  if ((status == 0)); then
    end=clean
  elif grep -q 'ERROR: libFuzzer: timeout' "$log"; then
    end=timeout
  elif grep -q 'out-of-memory\|malloc limit' "$log"; then
    end=out-of-memory
  else
    end="crash (see $log, artifacts/$target/)"
  fi
  printf '%-9s %5ss  execs %-9s %5s/s  cov %-6s ft %-6s corpus %-6s %s\n' \
    "$target" "$budget" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$end"
done
