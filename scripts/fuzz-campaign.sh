#!/usr/bin/env bash
# The long fuzzing campaign of the readers (docs/robustness.md):
#   1. the stable-toolchain harness (crates/detente-formats/tests/fuzz), SECONDS per reader;
#   2. when a nightly toolchain and cargo-fuzz are installed, each `cargo fuzz` target
#      (crates/detente-formats/fuzz) for SECONDS, from the same seeds (the shipped scenarios,
#      the examples and the shared domains, written to target/fuzz-corpus at run time).
# Both fuzz the same target functions. Figures go to target/fuzz-campaign.txt; copy them into
# docs/robustness.md. Inputs that crash are kept (paths in the report).
#
#   bash scripts/fuzz-campaign.sh [SECONDS_PER_READER]        (default 300)
#   FUZZ_PROFILE=release bash scripts/fuzz-campaign.sh 600    (the harness in release mode)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-300}
root=$PWD
report=$root/target/fuzz-campaign.txt
corpus=$root/target/fuzz-corpus
mkdir -p target
: >"$report"
targets=(toml_scenario genius geniusweb trace_json record plan)
profile=()
[[ ${FUZZ_PROFILE:-debug} == release ]] && profile=(--release)

echo "detente fuzz campaign, $(date -u +%Y-%m-%dT%H:%MZ), $secs s per reader, commit $(git rev-parse --short HEAD)" | tee -a "$report"
echo "== stable harness (${FUZZ_PROFILE:-debug})" | tee -a "$report"
rm -rf "$corpus"
DETENTE_FUZZ_SECONDS=$secs DETENTE_FUZZ_REPORT=$report DETENTE_FUZZ_SEEDS_OUT=$corpus \
  cargo test "${profile[@]}" -p detente-formats --test tests fuzz:: -- --test-threads=1

if cargo +nightly --version >/dev/null 2>&1 && cargo fuzz --version >/dev/null 2>&1; then
  echo "== cargo fuzz (libFuzzer, $(cargo +nightly --version))" | tee -a "$report"
  cd crates/detente-formats
  for t in "${targets[@]}"; do
    log=$root/target/fuzz-$t.log
    status=0
    cargo +nightly fuzz run "$t" "$corpus/$t" -- -max_total_time="$secs" -rss_limit_mb=4096 \
      -timeout=10 -print_final_stats=1 >"$log" 2>&1 || status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    crashes=$(find fuzz/artifacts/"$t" -type f 2>/dev/null | wc -l)
    echo "fuzz $t (libFuzzer): $runs runs, $crashes crash inputs (exit $status; log $log)" | tee -a "$report"
  done
else
  echo "== cargo fuzz: skipped (needs a nightly toolchain and cargo-fuzz)" | tee -a "$report"
fi
echo "report: $report"
