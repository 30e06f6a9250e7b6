"""Scenarios from Python: loading every format, what they hold, the utility array (checked
against each outcome's utility one by one), outcome conversions, writing back, and bad input
with the command line's messages."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import detente
from conftest import BUYER_SELLER, PIE


def test_load_formats(genius):
    pie = detente.load(PIE)
    assert (pie.name, pie.format, pie.deadline, pie.protocol) == ("pie", "toml", 20, "saop")
    assert [i.name for i in pie.issues] == ["share"]
    assert pie.issues[0].kind == "real" and pie.issues[0].cardinality == 101
    assert pie.issues[0].values[:3] == [0.0, 0.01, 0.02]
    assert pie.party_names == ["Alice", "Bob"]
    assert pie.parties[0].negotiator == "boulware"
    assert pie.parties[1].discount == 0.9
    assert pie.description.startswith("Two parties split a pie")
    assert pie.diagnostics == []
    travel = detente.load(genius("Travel"))
    assert travel.format == "genius"
    laptop = detente.load(genius("Laptop"))
    assert any("weights sum to" in d for d in laptop.diagnostics)
    assert travel.n_outcomes == 188_160
    flights = detente.load(genius("GW_FlightBooking"))
    assert flights.format == "geniusweb"
    files = sorted(genius("Travel").iterdir())
    assert detente.load(files).n_outcomes == travel.n_outcomes
    assert detente.Scenario.load(PIE).name == "pie"


def test_builtin():
    s = detente.builtin()
    assert s.name == "ukraine-2025" and s.protocol == "mediated"
    assert "United States" in s.party_names and len(s.events) > 0
    assert s.constraints
    assert "ukraine-2025" in repr(s)


def test_utility_array_is_every_outcome_utility(genius):
    s = detente.load(genius("Amsterdam"))
    u = s.utilities()
    assert u.shape == (2, s.n_outcomes) and u.dtype == np.float64
    values = [range(i.cardinality) for i in s.issues]
    for k, outcome in enumerate(itertools.product(*values)):
        assert s.outcome(k) == outcome
        assert s.outcome_id(outcome) == k
        for p in range(2):
            assert u[p, k] == s.utility(p, outcome) == s.parties[p].utility(outcome)
    # writable, and not shared with the engine
    u[0, 0] = -1.0
    assert s.utilities()[0, 0] != -1.0


def test_utility_array_limit():
    s = detente.load(BUYER_SELLER)
    with pytest.raises(detente.InputError, match="above the limit 10|limit="):
        s.utilities(limit=10)
    assert s.utilities(limit=s.n_outcomes).shape[1] == s.n_outcomes


def test_feasible_mask_follows_constraints():
    s = detente.builtin()
    mask = s.feasible()
    assert mask.dtype == bool and mask.shape == (s.n_outcomes,)
    assert 0 < mask.sum() < s.n_outcomes
    for k in range(0, s.n_outcomes, 97):
        assert mask[k] == s.is_feasible(s.outcome(k))


def test_outcome_conversions():
    s = detente.load(BUYER_SELLER)
    o = s.outcome(5)
    d = s.outcome_dict(o)
    assert list(d) == [i.name for i in s.issues]
    assert s.outcome_indices(d) == o
    assert s.utility(s.party_names[1], d) == s.utility(1, o)
    issue = s.issues[0]
    assert issue.index(issue.value(1)) == 1
    with pytest.raises(ValueError, match="not a value of issue"):
        s.outcome_indices({**d, issue.name: "no-such-value" if issue.kind == "discrete" else 1e9})
    with pytest.raises(ValueError, match="one value index per issue"):
        s.utility(0, (0,) * (len(s.issues) + 1))
    with pytest.raises(TypeError, match="not a str"):
        s.utility(0, "nope")
    with pytest.raises(detente.InputError, match="there is no party `Nobody`"):
        s.utility("Nobody", o)


def test_linear_preferences_describe_the_utility(genius):
    s = detente.load(genius("Amsterdam"))
    lin = s.parties[1].linear()
    assert lin is not None and lin["cap"] == 1.0
    for k in range(0, s.n_outcomes, 37):
        o = s.outcome(k)
        total = 0.0
        for i, v in enumerate(o):
            assert lin["weighted"][i][v] == lin["weights"][i] * lin["scores"][i][v]
            total += lin["weighted"][i][v]
        assert min(total, lin["cap"]) == s.utility(1, o)
    assert detente.builtin().parties[1].utility_kind == "interacting"
    assert detente.builtin().parties[1].linear() is None


def test_toml_round_trip_and_other_formats(tmp_path, genius):
    s = detente.load(genius("Amsterdam"))
    back = detente.Scenario.from_toml(s.to_toml())
    assert np.array_equal(back.utilities(), s.utilities())
    written = s.save(tmp_path / "a.toml")
    assert [str(p) for p in written] == [str(tmp_path / "a.toml")]
    assert np.array_equal(detente.load(tmp_path / "a.toml").utilities(), s.utilities())
    files = s.save(tmp_path / "gw", format="geniusweb")
    assert len(files) == 3
    assert np.array_equal(detente.load(tmp_path / "gw").utilities(), s.utilities())
    with pytest.raises(detente.InputError, match="cannot tell the output format"):
        s.save(tmp_path / "out")


def test_bad_input_gives_the_command_line_message(tmp_path, cli):
    with pytest.raises(detente.MissingFileError) as e:
        detente.load(tmp_path / "nope.toml")
    assert str(e.value) == cli.error("scenario", "check", tmp_path / "nope.toml")
    assert isinstance(e.value, FileNotFoundError) and isinstance(e.value, ValueError)
    bad = tmp_path / "bad.toml"
    bad.write_text('format = 1\nname = "x"\ncolour = 3\n')
    with pytest.raises(detente.InputError) as e:
        detente.load(bad)
    assert str(e.value) == cli.error("scenario", "check", bad)
    assert f"{bad}:3:1" in str(e.value)
    with pytest.raises(detente.InputError, match="<string>:1:"):
        detente.Scenario.from_toml("format = 2")
    with pytest.raises(TypeError):
        detente.load(42)
