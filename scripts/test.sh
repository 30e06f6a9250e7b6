#!/usr/bin/env bash
# The whole test suite, on a fresh machine: the Rust tests (unit, integration, property,
# doc and bench smoke tests, and the bounded fuzz run of the readers), the hostile inputs of
# issue 18 under a memory limit, the Dask cluster test, the headless-browser test of the
# HTML report, and the Parquet results (the `parquet` feature, read back by pandas and
# polars). It installs what those need (a Python virtual environment with Dask, pandas,
# pyarrow and polars from PyPI, Debian's chromium) when they are missing.
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
