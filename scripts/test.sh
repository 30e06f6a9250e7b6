#!/usr/bin/env bash
# The whole test suite, on a fresh machine: the Rust tests (unit, integration, property,
# doc and bench smoke tests, with every feature, the `parquet` one included), the Dask cluster
# test, the headless-browser test of the HTML report, and the Parquet results read back by
# pandas and polars. It installs what those need (a Python virtual environment with Dask,
# pandas, pyarrow and polars from PyPI, cached in target/venv; Debian's chromium) when they
# are missing.
#
# One build: `cargo test --workspace --all-features` builds every crate once (in the test
# profile) and the `detente` binary the other steps run (target/debug/detente); nothing is
# built again with other features or in another profile.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

target=${CARGO_TARGET_DIR:-target}
[[ $target == /* ]] || target="$PWD/$target"
detente="$target/debug/detente"

step "Rust tests (every feature, one build)"
cargo test --workspace --all-targets --all-features
cargo test --workspace --doc --all-features

step "Python environment (target/venv, python/requirements-test.txt)"
py=$(bash scripts/python-env.sh)

step "Dask tests (python/detente_dask)"
DETENTE_BIN="$detente" PYTHONPATH="$PWD/python/detente_dask" \
  "$py" -m pytest -q python/detente_dask/tests

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
