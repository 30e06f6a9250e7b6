"""NegMAS interoperability (negmas 0.16.0), both ways: scenario conversions keep every
outcome's utility exactly; a NegMAS negotiator inside detente (the adapter) plays as it does in
NegMAS's own SAOMechanism; a detente negotiator inside NegMAS plays as it does in detente; ANAC
agents of negmas-genius-agents play a tournament inside detente; a detente agent enters a NegMAS
tournament."""

from __future__ import annotations

import itertools
import math
import random
import tempfile
from pathlib import Path

import numpy as np
import pytest

negmas = pytest.importorskip("negmas")
ga = pytest.importorskip("negmas_genius_agents")

from negmas.inout import Scenario as NegmasScenario  # noqa: E402
from negmas.outcomes import make_issue, make_os  # noqa: E402
from negmas.preferences import MappingUtilityFunction  # noqa: E402
from negmas.preferences.discounted import ExpDiscountedUFun  # noqa: E402
from negmas.sao import SAOMechanism  # noqa: E402
from negmas.sao.negotiators import BoulwareTBNegotiator, ConcederTBNegotiator  # noqa: E402

import detente  # noqa: E402
import detente.negmas as dn  # noqa: E402
from conftest import BUYER_SELLER, PIE  # noqa: E402


def every_outcome(os_) -> list[tuple]:
    return list(itertools.product(*[list(i.all) for i in os_.issues]))


def assert_same_utilities(scenario: detente.Scenario, ns) -> None:
    """Every outcome's utility for every party, compared value by value (outcomes matched by
    the position of their values in each issue)."""
    u = scenario.utilities()
    values = [list(i.all) for i in ns.outcome_space.issues]
    outcomes = every_outcome(ns.outcome_space)
    assert len(outcomes) == u.shape[1]
    for outcome in outcomes:
        k = scenario.outcome_id([vals.index(v) for vals, v in zip(values, outcome)])
        for p, ufun in enumerate(ns.ufuns):
            assert float(ufun(outcome)) == u[p, k], (outcome, p)


@pytest.mark.parametrize("which", ["Amsterdam", "Travel", PIE, BUYER_SELLER])
def test_to_negmas_keeps_every_utility(genius, which):
    s = detente.load(genius(which) if isinstance(which, str) else which)
    ns = dn.to_negmas(s)
    assert ns.mechanism_params["n_steps"] == s.deadline
    if which == "Travel":
        return  # 188,160 outcomes: checked on the others, one by one
    assert_same_utilities(s, ns)
    for ufun, party in zip(ns.ufuns, s.parties):
        assert ufun.reserved_value == party.reservation


def test_to_negmas_of_other_preferences():
    text = """format = 1
name = "tables"
[[issues]]
name = "x"
values = ["a", "b", "c"]
[[issues]]
name = "n"
type = "integer"
min = 1
max = 3
[[parties]]
name = "P"
discount = 0.8
[parties.table]
default = 0.25
outcomes = [{ at = { x = "b", n = 2 }, utility = 0.9 }]
[[parties]]
name = "Q"
reservation = 0.1
[parties.rectangles]
list = [{ utility = 0.7, bounds = { n = [2, 3] } }]
"""
    s = detente.Scenario.from_toml(text)
    ns = dn.to_negmas(s)
    assert isinstance(ns.ufuns[0], ExpDiscountedUFun) and ns.ufuns[0].discount == 0.8
    assert isinstance(ns.ufuns[1], MappingUtilityFunction)
    base = type("S", (), {"outcome_space": ns.outcome_space,
                          "ufuns": (ns.ufuns[0].ufun, ns.ufuns[1])})
    assert_same_utilities(s, base)
    back = dn.from_negmas(ns)
    assert np.array_equal(back.utilities(), s.utilities())
    assert [p.discount for p in back.parties] == [0.8, 1.0]
    with pytest.raises(detente.InputError, match="hard constraints"):
        dn.to_negmas(detente.builtin())


def test_from_negmas_keeps_negmas_utilities(genius):
    ns = NegmasScenario.load(genius("Amsterdam"))
    s = dn.from_negmas(ns)
    assert_same_utilities(s, ns)
    # NegMAS keeps GENIUS evaluations as written, detente divides by the issue's largest:
    assert not np.array_equal(s.utilities(), detente.load(genius("Amsterdam")).utilities())
    assert np.array_equal(dn.from_negmas(dn.to_negmas(s)).utilities(), s.utilities())


def test_from_negmas_general_ufuns():
    issues = [make_issue(values=["lo", "hi"], name="q"), make_issue(values=(0, 4), name="k"),
              make_issue(values=[0.5, 1.5, 2.5], name="r")]
    os_ = make_os(issues)
    f = MappingUtilityFunction(lambda o: (o[1] + (o[0] == "hi")) / (o[2] + 1), outcome_space=os_)
    g = ExpDiscountedUFun(
        MappingUtilityFunction(lambda o: o[2] - o[1] / 3, outcome_space=os_, reserved_value=0.2),
        discount=0.5, factor="relative_time")
    ns = NegmasScenario(outcome_space=os_, ufuns=(f, g))
    s = dn.from_negmas(ns, party_names=["F", "G"], n_steps=30)
    assert s.deadline == 30 and s.party_names == ["F", "G"]
    assert [i.kind for i in s.issues] == ["discrete", "integer", "discrete"]
    assert_same_utilities(s, type("S", (), {"outcome_space": os_, "ufuns": (f, g.ufun)}))
    assert s.parties[0].reservation == min(f(o) for o in every_outcome(os_))  # -inf: lowest
    assert (s.parties[1].reservation, s.parties[1].discount) == (0.2, 0.5)
    with pytest.raises(detente.InputError, match="continuous"):
        dn.from_negmas(NegmasScenario(outcome_space=make_os([make_issue((0.0, 1.0), "x")]),
                                      ufuns=(f, f)))


def negmas_run(ns, a, b, n_steps):
    m = SAOMechanism(outcome_space=ns.outcome_space, n_steps=n_steps)
    m.add(a, ufun=ns.ufuns[0])
    m.add(b, ufun=ns.ufuns[1])
    m.run()
    return m


def agreement_values(scenario, trace):
    if trace.agreement is None:
        return None
    return tuple(trace.agreement[i.name] for i in scenario.issues)


@pytest.mark.parametrize("semantics", ["detente", "negmas"])
def test_boulware_against_conceder_same_as_in_negmas(genius, semantics):
    """The check of the issue: NegMAS's BoulwareTBNegotiator against its ConcederTBNegotiator
    on Amsterdam reaches the same agreement in the same round inside detente (through the
    adapter) as in NegMAS's own SAOMechanism, with either system's utilities."""
    folder = genius("Amsterdam")
    if semantics == "detente":
        s = detente.load(folder)
        ns = dn.to_negmas(s)
    else:
        ns = NegmasScenario.load(folder)
        s = dn.from_negmas(ns)
    for first, second in [(BoulwareTBNegotiator, ConcederTBNegotiator),
                          (ConcederTBNegotiator, BoulwareTBNegotiator)]:
        m = negmas_run(ns, first(), second(), 100)
        trace = detente.run(s, [dn.NegmasAgent(first), dn.NegmasAgent(second)], rounds=100)
        assert m.state.agreement is not None
        assert agreement_values(s, trace) == m.state.agreement
        # NegMAS counts the step of the agreement as done; detente counts rounds started.
        assert trace.rounds == m.state.step
        assert trace.actions[-1]["round"] == m.state.step - 1
        # every offer, in order, as NegMAS's trace has it
        offers = [tuple(a["offer"][i.name] for i in s.issues)
                  for a in trace.actions if a["action"] == "offer"]
        assert offers == [o for _, _, o in m.extended_trace]


# Agents that draw no random numbers (CUHKAgent, AgentK and others do: see NegmasAgent).
@pytest.mark.parametrize("a,b", [("HardHeaded", "TimeDependentAgentConceder"),
                                 ("TimeDependentAgentBoulware", "ValueModelAgent"),
                                 ("NiceTitForTat", "HardHeaded"),
                                 ("Gahboninho", "TimeDependentAgentConceder")])
def test_deterministic_anac_agents_same_as_in_negmas(genius, a, b):
    s = detente.load(genius("Amsterdam"))
    ns = dn.to_negmas(s)
    A, B = getattr(ga, a), getattr(ga, b)
    m = negmas_run(ns, A(), B(), 60)
    trace = detente.run(s, [dn.NegmasAgent(A), dn.NegmasAgent(B)], rounds=60)
    assert agreement_values(s, trace) == m.state.agreement
    assert trace.rounds == m.state.step


def test_anac_agents_play_a_tournament_inside_detente(genius):
    s = detente.load(genius("Amsterdam"))
    registry = detente.registry().copy()
    names = ["HardHeaded", "AgentK", "CUHKAgent"]
    for name in names:
        dn.register(name, getattr(ga, name), registry=registry)
    plan = dict(negotiators={n: n for n in names} | {"Boulware": "boulware"}, scenarios=[s],
                rounds=30, self_play=False, registry=registry, progress=False)
    df = detente.tournament(**plan)
    assert len(df) == 12
    assert (df.termination != "negotiator-fault").all(), df.error.dropna().tolist()
    assert set(df.n0) == set(names) | {"Boulware"}
    assert (df.termination == "agreement").any()
    # reproducible, stochastic agents included (their global generators are seeded)
    again = detente.tournament(**plan)
    assert again[["termination", "rounds", "u0", "u1"]].equals(df[["termination", "rounds", "u0", "u1"]])


@pytest.mark.parametrize("specs,seed", [(("boulware", "conceder"), 42), (("linear", "tit-for-tat"), 42),
                                        (("random", "conceder:e=3"), 7), (("hardliner", "linear"), 1)])
def test_detente_negotiator_inside_negmas_plays_as_in_detente(genius, specs, seed):
    s = detente.load(genius("Amsterdam"))
    ns = dn.to_negmas(s)
    a, b = (dn.DetenteNegotiator(spec, seed=seed, name=n) for spec, n in zip(specs, s.party_names))
    m = negmas_run(ns, a, b, 60)
    trace = detente.run(s, list(specs), rounds=60, seed=seed)
    assert m.state.agreement == agreement_values(s, trace)
    assert m.state.step == trace.rounds
    assert not m.state.has_error


def test_detente_negotiator_against_a_negmas_one(genius):
    ns = NegmasScenario.load(genius("Amsterdam"))
    m = negmas_run(ns, dn.DetenteNegotiator("boulware"), ConcederTBNegotiator(), 80)
    assert not m.state.has_error and not m.state.running
    assert m.state.agreement is not None or m.state.step == 80
    # the same pairing inside detente: the adapter and the native negotiator
    s = dn.from_negmas(ns)
    trace = detente.run(s, ["boulware", dn.NegmasAgent(ConcederTBNegotiator)], rounds=80)
    assert agreement_values(s, trace) == m.state.agreement


def test_detente_negotiator_in_a_negmas_tournament(genius):
    from negmas.tournaments.neg import cartesian_tournament

    ns = dn.to_negmas(detente.load(genius("Amsterdam")))
    with tempfile.TemporaryDirectory() as d:
        r = cartesian_tournament(
            competitors=[dn.DetenteNegotiator, BoulwareTBNegotiator],
            competitor_params=[{"spec": "conceder"}, {}],
            competitor_names=["detente-conceder", "negmas-boulware"], scenarios=[ns],
            n_repetitions=1, n_steps=40, self_play=True, njobs=-1, path=Path(d) / "t",
            verbosity=0, save_scenario_figs=False, plot_fraction=0.0)
    details = r.details
    assert len(details) == 8
    assert not details.has_error.any()
    assert set(r.scores.strategy) == {"detente-conceder", "negmas-boulware"}


def test_time_conventions():
    assert dn.negmas_time(0, 100) == 1 / 101
    assert dn.detente_time(3, 1, 2, 10) == (3 * 2 + 1) / 20
    assert math.isclose(dn.negmas_time(99, 100), 100 / 101)


def test_negmas_agent_seeds_python_generators(genius):
    s = detente.load(genius("Amsterdam"))
    random.seed(123)
    one = detente.run(s, [dn.NegmasAgent(ga.AgentK), "conceder"], rounds=30, seed=5)
    random.seed(456)
    two = detente.run(s, [dn.NegmasAgent(ga.AgentK), "conceder"], rounds=30, seed=5)
    assert one.to_json() == two.to_json()
