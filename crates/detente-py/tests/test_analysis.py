"""`detente.analyze`: the document equals `detente analyze --json`, and the frontier and the
Nash point agree with a brute force over the utility array (computed here in NumPy, not by
detente's analysis)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import detente
from conftest import BUYER_SELLER, PIE


@pytest.mark.parametrize("path", [PIE, BUYER_SELLER, None])
def test_equals_the_command_line(cli, path):
    args = [path] if path else []
    a = detente.analyze(path)
    assert a.to_json() + "\n" == cli.stdout("analyze", *args, "--json")
    assert a.to_json(frontier=True) + "\n" == cli.stdout("analyze", *args, "--json", "--frontier")
    assert a.to_dict() == json.loads(a.to_json(frontier=True))
    assert a.stats == a.to_dict()["stats"]


def brute_frontier(u: np.ndarray, eps: float = 1e-12) -> set[tuple]:
    """Utility vectors of the outcomes no other outcome dominates (by brute force)."""
    pts = u.T
    keep = []
    for k, p in enumerate(pts):
        dominated = np.any(np.all(pts >= p - eps, axis=1) & np.any(pts > p + eps, axis=1))
        if not dominated:
            keep.append(k)
    return {tuple(pts[k]) for k in keep}


def test_frontier_and_nash_by_brute_force(genius):
    s = detente.load(genius("Amsterdam"))
    a = detente.analyze(s)
    u = s.utilities()
    assert a.method == "issue-by-issue"
    front = a.frontier
    assert front.shape == (len(a.frontier_outcomes), 2)
    assert {tuple(r) for r in front} == brute_frontier(u)
    for row, outcome in zip(front, a.frontier_outcomes):
        assert tuple(row) == tuple(s.utility(p, outcome) for p in range(2))
    d = np.array([p.reservation for p in s.parties])
    gains = np.prod(np.clip(u.T - d[None, :], 0, None), axis=1)
    rational = np.all(u.T >= d[None, :], axis=1)
    best = gains[rational].max()
    nash = a.nash
    assert nash["value"] == pytest.approx(best, abs=1e-12)
    for p in nash["points"]:
        assert tuple(p["utilities"]) in brute_frontier(u)
        assert s.outcome_dict(p["indices"]) == p["outcome"]


def test_too_large_to_enumerate():
    s = detente.builtin()
    with pytest.raises(detente.InputError, match="analysing scenario `ukraine-2025`"):
        detente.analyze(s, limit=10)
