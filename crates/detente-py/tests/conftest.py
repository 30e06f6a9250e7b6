"""Shared fixtures of the Python package's tests: the repository, the shared reference data
(`../shared`, required when DETENTE_REQUIRE_SHARED=1, as in CI) and the `detente` command line,
whose output the Python results must equal."""

from __future__ import annotations

import json
import os
import subprocess
import warnings
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SCENARIOS = REPO / "scenarios"
PIE = SCENARIOS / "pie" / "pie.toml"
BUYER_SELLER = SCENARIOS / "buyer-seller" / "buyer-seller.toml"

# NegMAS warns about many things detente's tests do not exercise.
warnings.filterwarnings("ignore", module="negmas")


def shared_dir() -> Path:
    return Path(os.environ.get("DETENTE_SHARED_DIR", REPO.parent / "shared")).resolve()


@pytest.fixture
def genius():
    """The path of a shared GENIUS (or GeniusWeb) domain folder, by name."""

    def find(name: str) -> Path:
        path = shared_dir() / "scenarios" / "genius" / name
        if not path.is_dir():
            if os.environ.get("DETENTE_REQUIRE_SHARED") == "1":
                pytest.fail(f"the shared reference data is missing: {path}")
            pytest.skip(f"the shared reference data is missing: {path}")
        return path

    return find


class Cli:
    """The `detente` binary (DETENTE_BIN, else target/debug/detente)."""

    def __init__(self) -> None:
        self.binary = os.environ.get("DETENTE_BIN") or str(REPO / "target" / "debug" / "detente")
        if not os.path.exists(self.binary):
            pytest.fail(f"the detente binary is not built ({self.binary}); "
                        "run cargo build -p detente-cli")

    def run(self, *args: object, ok: bool = True) -> subprocess.CompletedProcess:
        p = subprocess.run([self.binary, *map(str, args)], capture_output=True, text=True)
        if ok and p.returncode != 0:
            raise AssertionError(f"detente {' '.join(map(str, args))} failed:\n{p.stderr}")
        return p

    def stdout(self, *args: object) -> str:
        return self.run(*args).stdout

    def json(self, *args: object) -> dict:
        return json.loads(self.stdout(*args))

    def error(self, *args: object) -> str:
        """The message of a failing command (stderr without `error: `), checking exit code 2."""
        p = self.run(*args, ok=False)
        assert p.returncode == 2, (p.returncode, p.stderr)
        line = p.stderr.strip().splitlines()[-1]
        assert line.startswith("error: "), p.stderr
        return line[len("error: "):]


@pytest.fixture(scope="session")
def cli() -> Cli:
    return Cli()
