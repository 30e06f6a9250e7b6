#!/usr/bin/env bash
# The whole test suite, on a fresh machine: the Rust tests (unit, integration, property,
# doc and bench smoke tests, and the bounded fuzz run of the readers), the hostile inputs of
# issue 18 under a memory limit, the Dask cluster test, the BOA components against NegMAS, the
# Python package (crates/detente-py, built by maturin into the test environment; its pytest
# suite checks it against the command line and NegMAS, and runs examples/python), the
# headless-browser test of the HTML report, and the Parquet results (the `parquet` feature,
# read back by pandas and polars). It installs what those need (a Python virtual environment
# with Dask, pandas, pyarrow, polars, maturin and NegMAS from PyPI, Debian's chromium) when
# they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "Rust tests"
cargo test --workspace --all-targets
cargo test --workspace --doc

step "hostile inputs under a 4 GiB memory limit (scripts/hostile-inputs.sh)"
bash scripts/hostile-inputs.sh

step "Python environment (target/venv, python/requirements-test.txt)"
py=$(bash scripts/python-env.sh)

step "Dask tests (python/detente_dask)"
cargo build -p detente-cli
DETENTE_BIN="$PWD/target/debug/detente" PYTHONPATH="$PWD/python/detente_dask" \
  "$py" -m pytest -q python/detente_dask/tests

step "BOA components against NegMAS 0.16.0 (tests/negmas/compare_boa.py)"
cargo build -p detente-negotiators --example boa_check
shared="${DETENTE_SHARED_DIR:-../shared}"
if [[ -d "$shared/scenarios/genius" ]]; then
  "$py" tests/negmas/compare_boa.py "$shared/scenarios/genius" "$PWD/target/debug/examples/boa_check"
elif [[ "${DETENTE_REQUIRE_SHARED:-0}" == 1 ]]; then
  echo "the shared GENIUS domains are missing ($shared/scenarios/genius)" >&2
  exit 1
else
  echo "no shared GENIUS domains at $shared/scenarios/genius: skipping the NegMAS comparison"
fi

step "Python package (crates/detente-py: maturin develop, pytest)"
# A debug build, like the tests above: the suite's work is small, and it reuses their build.
venv=$(dirname "$(dirname "$py")")
VIRTUAL_ENV="$venv" "$venv/bin/maturin" develop --quiet -m crates/detente-py/Cargo.toml
DETENTE_BIN="$PWD/target/debug/detente" "$py" -m pytest -q crates/detente-py/tests

step "browser test (headless chromium)"
if ! command -v chromium >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && apt-get install -y -qq chromium
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq chromium
  fi
fi
node tests/browser/report.test.mjs

step "Parquet results (feature \`parquet\`; read back by pandas and polars)"
cargo test -p detente-tournament --features parquet
if command -v python3 >/dev/null 2>&1; then
  cargo build -p detente-cli --features parquet
  pq=target/parquet-check
  rm -rf "$pq"
  target/debug/detente tournament run examples/tournaments/small.toml --out "$pq/analysed" --parquet -q
  target/debug/detente tournament run examples/tournaments/small.toml --out "$pq/plain" --no-analysis -q
  target/debug/detente tournament export "$pq/plain" -q
  "$py" scripts/check_parquet.py "$pq/analysed" "$pq/plain"
else
  echo "python3 not found: skipping the pandas/polars check"
fi
