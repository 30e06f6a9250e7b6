#!/usr/bin/env bash
# The README's picture, docs/img/peace-talks.svg: the utility space of the built-in peace
# talks, Ukraine against Russia (every outcome, the Pareto frontier, the Nash and
# Kalai-Smorodinsky points, each side's offers and the result), drawn from a fresh run.
#
#   bash scripts/readme-picture.sh              # rewrites docs/img/peace-talks.svg
#   bash scripts/readme-picture.sh OUT.svg      # writes it elsewhere
#
# DETENTE names the binary to use (default: `cargo run -q --release -p detente-cli --`). The
# test suite runs this script with its own binary and checks that the committed picture is
# what it draws (crates/detente-cli/tests/readme.rs).
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-docs/img/peace-talks.svg}
if [[ -n ${DETENTE:-} ]]; then
  detente=("$DETENTE")
else
  detente=(cargo run -q --release -p detente-cli --)
fi
trace=$(mktemp "${TMPDIR:-/tmp}/peace-talks.XXXXXX.json")
trap 'rm -f "$trace"' EXIT

"${detente[@]}" -q run --ensemble 0 --json -o "$trace"
"${detente[@]}" -q plot utility-space "$trace" --parties Ukraine,Russia \
  --title "Peace talks 2025 (illustrative model): Ukraine and Russia" -o "$out"
