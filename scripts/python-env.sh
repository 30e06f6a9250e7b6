#!/usr/bin/env bash
# Creates (once) and updates the one Python virtual environment the test suite uses, cached
# under target/venv, from python/requirements-test.txt. Prints the environment's python.
# Re-installs only when the requirements file changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/venv
req=python/requirements-test.txt
stamp=$venv/.requirements
if [[ ! -x $venv/bin/python ]]; then
  python3 -m venv "$venv" >&2
fi
if ! cmp -s "$req" "$stamp" 2>/dev/null; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" >&2
  cp "$req" "$stamp"
fi
echo "$PWD/$venv/bin/python"
