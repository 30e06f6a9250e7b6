"""Every example of examples/python runs to the end (the tour of docs/python.md is made of them)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO

EXAMPLES = sorted((REPO / "examples" / "python").glob("*.py"))


def test_there_are_examples():
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(path, tmp_path):
    p = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path,
                       timeout=600)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip(), "an example prints what it shows"
    assert not list(tmp_path.iterdir()), "examples leave no files behind"
