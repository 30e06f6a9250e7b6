#!/usr/bin/env bash
# The whole test suite, on a fresh machine: the Rust tests (unit, integration, property,
# doc and bench smoke tests with every feature, the `parquet` one included, and the bounded
# fuzz run of the readers), the hostile inputs of issue 18 under a memory limit, the Dask
# cluster test, the BOA components against NegMAS, the Python package (crates/detente-py,
# built by maturin into the test environment; its pytest suite checks it against the command
# line and NegMAS, and runs examples/python), the headless-browser test of the HTML report,
# and the Parquet results read back by pandas and polars. It installs what those need (a
# Python virtual environment with Dask, pandas, pyarrow, polars, maturin and NegMAS from
# PyPI, cached in target/venv; Debian's chromium) when they are missing.
#
# One build: `cargo test --workspace --all-targets --all-features` builds every crate once
# (in the test profile), the `detente` binary the other steps run (target/debug/detente) and
# the examples (target/debug/examples); nothing is built again with other features or in
# another profile (maturin builds the Python extension module, which is a different artefact).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s (%d s in)\n' "$*" "$SECONDS"; }

target=${CARGO_TARGET_DIR:-target}
[[ $target == /* ]] || target="$PWD/$target"
detente="$target/debug/detente"

step "Rust tests (every feature, one build)"
cargo test --workspace --all-targets --all-features
cargo test --workspace --doc --all-features

step "the peace-talks README's five answers are current (scripts/peace-talks-answers.sh)"
DETENTE="$detente" bash scripts/peace-talks-answers.sh --check

step "hostile inputs under a 4 GiB memory limit (scripts/hostile-inputs.sh)"
DETENTE_BIN="$detente" bash scripts/hostile-inputs.sh

step "Python environment (target/venv, python/requirements-test.txt)"
py=$(bash scripts/python-env.sh)

step "Dask tests (python/detente_dask)"
DETENTE_BIN="$detente" PYTHONPATH="$PWD/python/detente_dask" \
  "$py" -m pytest -q python/detente_dask/tests

step "BOA components and named agents against NegMAS 0.16.0, negmas-genius-agents 0.3.0 and transcriptions of GENIUS's Java (tests/negmas: compare_boa.py; compare_agents.py with compare_pars.py and genius_fawkes.py; genius_caduceus.py), side by side"
# `cargo test --all-targets` builds examples as tests; the comparisons need the example
# program itself: the same profile and features, so only the examples are compiled and linked.
cargo build --workspace --examples --all-features -q
shared="${DETENTE_SHARED_DIR:-../shared}"
check_bin="$target/debug/examples/boa_check"
if [[ -d "$shared/scenarios/genius" ]]; then
  # Each script is one Python process (and its `boa_check` runs): the two longer ones run in
  # the background beside compare_boa.py, each into a log printed when it is done.
  logs="$target/negmas-checks"
  rm -rf "$logs" && mkdir -p "$logs"
  "$py" tests/negmas/compare_agents.py "$shared/scenarios/genius" "$check_bin" \
    >"$logs/compare_agents.log" 2>&1 &
  agents=$!
  "$py" tests/negmas/genius_caduceus.py "$shared/scenarios/genius" "$check_bin" \
    >"$logs/genius_caduceus.log" 2>&1 &
  caduceus=$!
  failed=0
  "$py" tests/negmas/compare_boa.py "$shared/scenarios/genius" "$check_bin" || failed=1
  for job in "compare_agents:$agents" "genius_caduceus:$caduceus"; do
    name=${job%%:*}
    echo "-- tests/negmas/$name.py"
    wait "${job##*:}" || failed=1
    cat "$logs/$name.log"
  done
  [[ $failed == 0 ]]
elif [[ "${DETENTE_REQUIRE_SHARED:-0}" == 1 ]]; then
  echo "the shared GENIUS domains are missing ($shared/scenarios/genius)" >&2
  exit 1
else
  echo "no shared GENIUS domains at $shared/scenarios/genius: skipping the NegMAS comparisons"
fi

step "Python package (crates/detente-py: maturin develop, pytest)"
# A debug build, like the tests above: the suite's work is small, and it reuses their build.
venv=$(dirname "$(dirname "$py")")
VIRTUAL_ENV="$venv" "$venv/bin/maturin" develop --quiet -m crates/detente-py/Cargo.toml
DETENTE_BIN="$detente" "$py" -m pytest -q crates/detente-py/tests

step "browser test (headless chromium)"
if ! command -v chromium >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && apt-get install -y -qq chromium
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq chromium
  fi
fi
DETENTE_BIN="$detente" node tests/browser/report.test.mjs

step "Parquet results (feature \`parquet\`; read back by pandas and polars)"
pq="$target/parquet-check"
rm -rf "$pq"
"$detente" -q tournament run examples/tournaments/small.toml -o "$pq/analysed" --parquet
"$detente" -q tournament run examples/tournaments/small.toml -o "$pq/plain" --no-analysis
"$detente" -q tournament export "$pq/plain"
"$py" scripts/check_parquet.py "$pq/analysed" "$pq/plain"

step "tournament evidence: the ANAC agents' plan parses; its table script on a tiny run"
# The full run is `python3 scripts/negotiators_table.py --run` (docs/negotiators.md,
# "Tournament evidence"); here four of its negotiators on two small domains.
if [[ -d "$shared/scenarios/genius" ]]; then
  "$detente" tournament info examples/tournaments/anac-agents.toml >/dev/null 2>&1
  ev="$target/anac-agents-check"
  rm -rf "$ev" "$ev.plan.toml"
  DETENTE_BIN="$detente" python3 scripts/negotiators_table.py --quick --run --output "$ev" \
    --only MiCRO,Linear,HardHeaded,NiceTitForTat 2>/dev/null >"$ev.md"
  grep -q '^| 4 | ' "$ev.md" && ! grep -q '^| 5 | ' "$ev.md"
else
  echo "no shared GENIUS domains at $shared/scenarios/genius: skipping the tournament evidence check"
fi
