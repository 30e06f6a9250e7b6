#!/usr/bin/env python3
"""detente's BOA components checked against NegMAS 0.16.0's ports of the GENIUS components.

    python compare_boa.py SHARED_DIR BOA_CHECK_BIN      (in the test venv; scripts/test.sh runs it)

BOA_CHECK_BIN is detente's side (`cargo build -p detente-negotiators --example boa_check`): it
reads jobs as JSON and runs them (see that file). This script runs the same bilateral
negotiations in NegMAS (`SAOMechanism` with `BOANegotiator`s of the `negmas.gb.components.genius`
components) and compares them offer by offer; and feeds the same bids to the opponent models
of both and compares their estimates of every outcome.

Alignment (docs/negotiators.md, "Checked against NegMAS", says why each is needed):
- Utilities: NegMAS keeps GENIUS's raw discrete evaluations; the script divides each by its
  issue's largest, as GENIUS does, and first checks that every outcome's utility equals
  detente's (the GENIUS reader) to 1e-12.
- Time: NegMAS gives every negotiator of step s (from 0) of an n-step negotiation the relative
  time (s + 1) / (n + 1), as GENIUS's DiscreteTimeline does; detente's default gives each turn
  its own time, (r * 2 + k) / (R * 2). detente runs with its `PerRound` time convention here.
- Pmin: NegMAS's GTimeDependentOffering starts from the worst *rational* outcome (utility at
  or above the reservation value); detente from the reservation value itself. The script gives
  detente that utility as its `min` parameter.
- Ties: NegMAS's inverter sorts utilities with numpy's default (unstable) sort, so among
  outcomes of equal utility it offers whichever the sort left first. The script makes that
  sort stable, so that NegMAS, like detente and GENIUS, offers the first in enumeration order.
  Nothing else of NegMAS is changed.
- The last offer: NegMAS's trace records the offer made on the very last step as `None` (the
  negotiation timed out right after it); the script reads it from the mechanism's state.

One difference remains by design: NegMAS's inverter offers the outcome *nearest* the target
among those down to 1e-6 below it (its EPS), detente the lowest at or above it (so that it
never bids below its reservation value; GENIUS takes the nearest outcome, however far below).
When a run first differs there, the script checks that this is the reason (NegMAS's bid within
1e-6 below the target, detente's the lowest at or above) and reports it as explained.

Where NegMAS's port deviates from GENIUS (the published component), detente follows GENIUS:
those models are checked against a transcription of the GENIUS Java rules below (written from
GENIUS 10.4's source, independently of the Rust code), and NegMAS's distance from them is
reported as evidence, not as a failure. The acceptance conditions with a time window are run
and their differences reported the same way.

The ported ANAC agents (AgentK, AgentK2, HardHeaded, NiceTitForTat, IAMhaggler2011,
AgentLG, TheNegotiatorReloaded, BRAMAgent, Gahboninho, CUHKAgent (genius_cuhk_agent.py, also in
2,000-round talks)): NegMAS's classes of the same names are
target curves, not the agents (docs/negotiators.md), so every action of detente's agents is
replayed through Python transcriptions of the GENIUS rules (genius_agents.py, the same
java.util.Random draws) and must match; NegMAS's ports are run on the same domains and seeds
and their distributions (agreement rate, mean utilities) reported beside detente's.
"""
from __future__ import annotations

import json
import math
import subprocess
import sys
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
from negmas.gb.components.genius import (  # noqa: E402
    GACCombi,
    GACCombiAvg,
    GACCombiMaxInWindow,
    GACConst,
    GACFalse,
    GACGap,
    GACNext,
    GACPrevious,
    GACTime,
    GACTrue,
    GCUHKFrequencyModel,
    GHardHeadedFrequencyModel,
    GNashFrequencyModel,
    GOppositeModel,
    GPerfectModel,
    GSmithFrequencyModel,
    GTimeDependentOffering,
    GUniformModel,
    GWorstModel,
)
from negmas.gb.components.genius import (  # noqa: E402
    GACAgentK,
    GACAgentK2,
    GACBRAMAgent,
    GACGahboninho,
    GACHardHeaded,
    GAgentK2Offering,
    GAgentKOffering,
    GBRAMAgentOffering,
    GGahboninhoOffering,
    GHardHeadedOffering,
    GACAgentLG,
    GACIAMHaggler2011,
    GAgentLGOffering,
    GACTheNegotiatorReloaded,
    GTheNegotiatorReloadedOffering,
    GACNiceTitForTat,
    GIAMhaggler2011Offering,
    GNiceTitForTatOffering,
)
from negmas.gb.negotiators.modular.boa import BOANegotiator  # noqa: E402
from negmas.inout import Scenario  # noqa: E402
from negmas.preferences import LinearAdditiveUtilityFunction  # noqa: E402
from negmas.preferences.inv_ufun import presorting  # noqa: E402
from negmas.preferences.value_fun import TableFun  # noqa: E402
from negmas.sao import SAOMechanism  # noqa: E402

ROUNDS = 100
DOMAINS = [
    "FlightBookingA", "RentalHouseB", "BarterC", "OutfitA", "ItexvsCypress",
    "IS_BT_Acquisition", "EnglandZimbabwe", "Grocery", "Amsterdam", "Camera",
]


def stable_argsort(a, *args, **kwargs):
    kwargs["kind"] = "stable"
    return np.argsort(a, *args, **kwargs)


# The tie alignment (module docs): NegMAS's presorting inverter, and nothing else, sorts stably.
presorting.np = type("np_stable", (), {
    **{k: getattr(np, k) for k in dir(np) if not k.startswith("__")},
    "argsort": staticmethod(stable_argsort),
})


def genius_normalised(s: Scenario) -> list:
    """The scenario's ufuns with GENIUS semantics: each discrete evaluation over its issue's
    largest (NegMAS keeps them raw)."""
    out = []
    for u in s.ufuns:
        values = []
        for v in u.values:
            top = max(v.mapping.values())
            values.append(TableFun({k: x / top for k, x in v.mapping.items()}))
        out.append(LinearAdditiveUtilityFunction(
            values=values, weights=list(u.weights), outcome_space=s.outcome_space,
            reserved_value=u.reserved_value, name=u.name))
    return out


class Detente:
    """detente's side: one process per batch of jobs."""

    def __init__(self, binary: str):
        self.binary = binary

    def run(self, jobs: list) -> list:
        out = subprocess.run([self.binary], input=json.dumps(jobs), capture_output=True,
                             text=True, check=True)
        return json.loads(out.stdout)


# ---------------------------------------------------------------------------------------------
# Offering and acceptance: negotiations offer by offer.

# (name, detente acceptance spec, NegMAS factory given the offering policy, faithful?)
ACCEPTANCE = [
    ("ac-next", "ac-next", lambda o: GACNext(offering_policy=o), True),
    ("ac-next(a=1.02,b=-0.05)", "ac-next(a=1.02,b=-0.05)",
     lambda o: GACNext(offering_policy=o, a=1.02, b=-0.05), True),
    ("ac-prev", "ac-prev", lambda o: GACPrevious(), True),
    ("ac-gap(c=0.02)", "ac-gap(c=0.02)", lambda o: GACGap(c=0.02), True),
    ("ac-const(c=0.8)", "ac-const(c=0.8)", lambda o: GACConst(c=0.8), True),
    ("ac-time(t=0.9)", "ac-time(t=0.9)", lambda o: GACTime(t=0.9), True),
    ("ac-combi(t=0.95)", "ac-combi(t=0.95)", lambda o: GACCombi(offering_policy=o, t=0.95), True),
    ("ac-true", "ac-true", lambda o: GACTrue(), True),
    ("ac-false", "ac-false", lambda o: GACFalse(), True),
    ("ac-combi-max-w(t=0.9)", "ac-combi-max-w(t=0.9)",
     lambda o: GACCombiMaxInWindow(offering_policy=o, t=0.9), False),
    ("ac-combi-avg-w(t=0.9)", "ac-combi-avg-w(t=0.9)",
     lambda o: GACCombiAvg(offering_policy=o, t=0.9), False),
]

# (e, k) of each party's time-dependent offering strategy, with the acceptance of party 0
# varied over ACCEPTANCE and party 1 on ac-next; plus offering variants, both on ac-next.
LINEUPS = [((0.2, 0.0), (2.0, 0.0), name) for name, *_ in ACCEPTANCE] + [
    ((1.0, 0.0), (1.0, 0.0), "ac-next"),
    ((0.0, 0.0), (0.5, 0.1), "ac-next"),
    ((3.0, 0.05), (0.1, 0.0), "ac-next"),
]


def worst_rational(u, outcomes) -> float:
    """NegMAS's Pmin: the lowest utility of an outcome at or above the reservation value."""
    r = u.reserved_value
    return min(x for x in (float(u(o)) for o in outcomes) if x >= r)


def negmas_run(s: Scenario, ufuns: list, offers: list, accepts: list) -> list:
    m = SAOMechanism(outcome_space=s.outcome_space, n_steps=ROUNDS)
    for i in range(2):
        e, k = offers[i]
        off = GTimeDependentOffering(e=e, k=k)
        m.add(BOANegotiator(offering=off, acceptance=accepts[i](off), name=f"p{i}"),
              ufun=ufuns[i])
    m.run()
    ids = {n.id: i for i, n in enumerate(m.negotiators)}
    last = dict(m.state.new_offers)
    actions = []
    for t in m.full_trace:
        offer = t.offer
        if offer is None and t.state == "timedout":
            offer = last.get(t.negotiator)
        actions.append((ids[t.negotiator], "offer", offer))
    if m.state.agreement is not None:
        # The last offer was accepted by the other party.
        actions.append((1 - actions[-1][0], "accept", m.state.agreement))
    return actions


def target(e: float, k: float, t: float, pmin: float, pmax: float) -> float:
    """GENIUS's (and NegMAS's) time-dependent target."""
    f = k if e == 0 else k + (1 - k) * t ** (1 / e)
    return pmin + (pmax - pmin) * (1 - f)


def explained(first, ours, theirs, det, ufuns, offers, pmin, pmax) -> bool:
    """Whether the first difference is NegMAS's 1e-6 tolerance below the target (module docs):
    both bid for the same party at the same turn, NegMAS's bid within 1e-6 below the target,
    detente's the lowest utility at or above it."""
    if first >= min(len(ours), len(theirs)):
        return False
    (p, kind, mine), (q, kind2, other) = ours[first], theirs[first]
    if p != q or kind != "offer" or kind2 != "offer" or other is None:
        return False
    t = det["actions"][first]["time"]
    e, k = offers[p]
    goal = target(e, k, t, pmin[p], pmax[p])
    u = ufuns[p]
    above = min(x for x in det["utilities"][p] if x >= goal)
    return goal - 1e-6 <= float(u(other)) < goal and float(u(mine)) == above


def check_utilities(name, s, ufuns, det) -> list:
    """Every outcome's utility, NegMAS (GENIUS-normalised) against detente."""
    problems = []
    outcomes = list(s.outcome_space.enumerate_or_sample())
    for p in range(2):
        ours = det["utilities"][p]
        for i, o in enumerate(outcomes):
            if abs(float(ufuns[p](o)) - ours[i]) > 1e-12:
                problems.append(f"{name}: party {p} utility of {o}: NegMAS {float(ufuns[p](o))}, "
                                f"detente {ours[i]}")
                break
    return problems


def compare_negotiations(shared: Path, detente: Detente) -> tuple[list, list, int]:
    failures, notes, count = [], [], 0
    acc = {name: (spec, factory, faithful) for name, spec, factory, faithful in ACCEPTANCE}
    for domain in DOMAINS:
        folder = shared / domain
        s = Scenario.load(folder, ignore_discount=True)
        ufuns = genius_normalised(s)
        outcomes = list(s.outcome_space.enumerate_or_sample())
        pmin = [worst_rational(u, outcomes) for u in ufuns]
        pmax = [max(float(u(o)) for o in outcomes) for u in ufuns]
        jobs = []
        for (o0, o1, accept0) in LINEUPS:
            specs = []
            for i, (e, k) in enumerate([o0, o1]):
                accept = acc[accept0][0] if i == 0 else "ac-next"
                specs.append(f"boa:offer=time-dependent(e={e!r},k={k!r},min={pmin[i]!r}),"
                             f"model=none,accept={accept}")
            jobs.append({"negotiate": {"domain": str(folder), "rounds": ROUNDS, "specs": specs,
                                       "time": "per-round"}})
        results = detente.run(jobs)
        failures += check_utilities(domain, s, ufuns, results[0])
        for (o0, o1, accept0), det in zip(LINEUPS, results):
            count += 1
            _, factory, faithful = acc[accept0]
            ours = [(a["party"], a["kind"], outcomes[a["outcome"]]) for a in det["actions"]]
            theirs = negmas_run(s, ufuns, [o0, o1], [factory, acc["ac-next"][1]])
            label = f"{domain}: offer e,k = {o0} vs {o1}, party 0 accepts by {accept0}"
            if ours == theirs:
                continue
            k = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b),
                     min(len(ours), len(theirs)))
            message = (f"{label}: first difference at action {k} of {len(ours)} (detente) / "
                       f"{len(theirs)} (NegMAS): detente {ours[k] if k < len(ours) else 'end'}, "
                       f"NegMAS {theirs[k] if k < len(theirs) else 'end'}")
            if explained(k, ours, theirs, det, ufuns, [o0, o1], pmin, pmax):
                notes.append(f"{message} (NegMAS's bid lies within its 1e-6 tolerance below "
                             f"the target)")
            else:
                (failures if faithful else notes).append(message)
    return failures, notes, count


# ---------------------------------------------------------------------------------------------
# Opponent models: the GENIUS rules, transcribed from GENIUS 10.4's Java.

def genius_hardheaded(cards, bids, learn=0.2):
    """negotiator.boaframework.opponentmodel.HardHeadedFrequencyModel (its update rule;
    GENIUS's slider re-normalisation in setWeight aside, see docs)."""
    n = len(cards)
    w = [1.0 / n] * n
    counts = [[1.0] * c for c in cards]
    golden = learn / n
    out, prev = [], None
    for b in bids:
        if prev is not None:
            unchanged = sum(1 for i in range(n) if b[i] == prev[i])
            total = 1.0 + golden * unchanged
            maxw = 1.0 - n * golden / total
            w = [((w[i] + golden) / total) if (b[i] == prev[i] and w[i] < maxw) else w[i] / total
                 for i in range(n)]
            for i in range(n):
                counts[i][b[i]] += 1.0
        prev = b
        out.append(lambda o, w=list(w), c=[list(x) for x in counts]:
                   min(1.0, _sum(w[i] * (c[i][o[i]] / max(c[i])) for i in range(n))))
    return out


class GeniusHardHeadedFrequency:
    """genius_hardheaded's rule, learning one bid at a time (the replays' model interface):
    the same steps, kept between bids."""

    def __init__(self, cards, learn=0.2):
        n = len(cards)
        self.cards, self.n, self.golden = cards, n, learn / n
        self.w = [1.0 / n] * n
        self.counts = [[1.0] * c for c in cards]
        self.prev = None

    def update(self, values):
        b, n, w, golden = list(values), self.n, self.w, self.golden
        if self.prev is not None:
            prev = self.prev
            unchanged = sum(1 for i in range(n) if b[i] == prev[i])
            total = 1.0 + golden * unchanged
            maxw = 1.0 - n * golden / total
            self.w = [((w[i] + golden) / total) if (b[i] == prev[i] and w[i] < maxw)
                      else w[i] / total for i in range(n)]
            for i in range(n):
                self.counts[i][b[i]] += 1.0
        self.prev = b

    def estimator(self):
        n, w, c = self.n, list(self.w), [list(x) for x in self.counts]
        return lambda o: min(1.0, _sum(w[i] * (c[i][o[i]] / max(c[i])) for i in range(n)))


def genius_smith(cards, bids):
    """negotiator.boaframework.opponentmodel.SmithFrequencyModel (agentsmith.SmithModel)."""
    counts = [[0.0] * c for c in cards]
    out = []
    for nb, b in enumerate(bids, 1):
        for i, v in enumerate(b):
            counts[i][v] += 1.0
        raw = [max(c) / nb for c in counts]
        total = _sum(raw)
        out.append(lambda o, raw=raw, total=total, c=[list(x) for x in counts], nb=nb:
                   _sum((raw[i] / total) * (c[i][o[i]] / nb) for i in range(len(cards))))
    return out


def genius_nash(cards, bids):
    """negotiator.boaframework.opponentmodel.NashFrequencyModel (discrete issues)."""
    counts = [[0.0] * c for c in cards]
    out = []
    for b in bids:
        for i, v in enumerate(b):
            counts[i][v] += 1.0
        raw = [max(c) / _sum(c) for c in counts]
        total = _sum(raw)
        w = [r / total if total > 0 else 1.0 / len(cards) for r in raw]
        out.append(lambda o, w=w, c=[list(x) for x in counts]:
                   min(1.0, max(0.0, _sum(w[i] * (c[i][o[i]] / max(c[i]))
                                          for i in range(len(cards))))))
    return out


def genius_cuhk(cards, bids, limit=100):
    """negotiator.boaframework.opponentmodel.CUHKFrequencyModelV2."""
    counts = [[0] * c for c in cards]
    maxpref = [0] * len(cards)
    state = {"total": 0}
    history = []
    out = []
    for b in bids:
        if len(history) <= limit:
            if tuple(b) not in history:
                history.append(tuple(b))
            if len(history) <= limit:
                for i, v in enumerate(b):
                    counts[i][v] += 1
                    if counts[i][v] > maxpref[i]:
                        maxpref[i] = counts[i][v]
                        state["total"] += 1
        total = state["total"]
        out.append(lambda o, c=[list(x) for x in counts], total=total:
                   (lambda t: 0.0 if t == 0 else t / total)(sum(c[i][o[i]] for i in range(len(cards)))))
    return out


def _normalised(raw):
    """GENIUS's EvaluatorDiscrete: each evaluation over the largest (0 when that is tiny)."""
    top = max(raw)
    return [0.0 if top < 1e-5 else x / top for x in raw]


def _normal(u, expected):
    """The likelihood both Bayesian models use (sigma 0.25)."""
    x = (expected - u) / expected
    return 1.0 / (0.25 * math.sqrt(2.0 * math.pi)) * math.exp(-(x * x) / (2.0 * 0.25 * 0.25))


class GeniusScalableBayesian:
    """agents.bayesianopponentmodel.BayesianOpponentModelScalable (Java int arithmetic in
    the shapes), learning one bid at a time."""

    def __init__(self, cards):
        self.cards = cards
        n = len(cards)
        prior = [(1.0 - (j + 1.0) / 11.0) ** 3 for j in range(11)]
        self.wp = [[x / sum(prior) for x in prior] for _ in range(n)]
        self.shapes = []
        for m in cards:
            sh = [_normalised([1000 * j + 1 for j in range(m)]),
                  _normalised([1000 * (m - j - 1) + 1 for j in range(m)])]
            if m > 2:
                for k in range(1, m - 1):
                    sh.append(_normalised([1000 * j // k if j < k
                                           else 1000 * (m - j - 1) // (m - k - 1) + 1
                                           for j in range(m)]))
            self.shapes.append(sh)
        self.sp = [[1.0 / len(sh)] * len(sh) for sh in self.shapes]
        self.expected = 1.0
        self.seen = []

    def mean_w(self, i):
        return _sum(self.wp[i][j] * (j / 10.0) for j in range(11))

    def e_eval(self, i, v):
        return _sum(self.sp[i][h] * self.shapes[i][h][v] for h in range(len(self.shapes[i])))

    def partial(self, b, i):
        return _sum(self.mean_w(j) * self.e_eval(j, b[j]) for j in range(len(self.cards))
                    if j != i)

    def update(self, b):
        if tuple(b) in self.seen:
            return
        self.seen.append(tuple(b))
        n, ex = len(self.cards), self.expected
        if len(self.seen) > 1:
            new = [list(x) for x in self.wp]
            for i in range(n):
                e, rest = self.e_eval(i, b[i]), self.partial(b, i)
                ls = [_normal((j / 10.0) * e + rest, ex) for j in range(11)]
                tot = _sum(self.wp[i][j] * ls[j] for j in range(11))
                if tot > 0 and math.isfinite(tot):
                    new[i] = [self.wp[i][j] * ls[j] / tot for j in range(11)]
            self.wp[:] = new
        new = [list(x) for x in self.sp]
        for i in range(n):
            rest, w = self.partial(b, i), self.mean_w(i)
            ls = [_normal(rest + w * sh[b[i]], ex) for sh in self.shapes[i]]
            tot = _sum(self.sp[i][h] * ls[h] for h in range(len(ls)))
            if tot > 0 and math.isfinite(tot):
                new[i] = [self.sp[i][h] * ls[h] / tot for h in range(len(ls))]
        self.sp[:] = new
        self.expected = ex - 0.003

    def estimator(self):
        n, cards = len(self.cards), self.cards
        w = [self.mean_w(i) for i in range(n)]
        tables = [[w[i] * self.e_eval(i, v) for v in range(cards[i])] for i in range(n)]
        lo = min(1.0, _sum(min(t) for t in tables))
        hi = max(0.0, _sum(max(t) for t in tables))

        def est(o):
            u = _sum(tables[i][o[i]] for i in range(n))
            r = (u - lo) / (hi - lo) if hi != lo else float("nan")
            return 0.0 if math.isnan(r) else r
        return est


def genius_scalable_bayesian(cards, bids):
    """The scalable Bayesian model's estimator after each bid."""
    model, out = GeniusScalableBayesian(cards), []
    for b in bids:
        model.update(b)
        out.append(model.estimator())
    return out


def genius_bayesian(cards, bids):
    """agents.bayesianopponentmodel.BayesianOpponentModel: n! weight orders times a rising,
    falling or peaked shape per issue, updated on bids not seen before (module docs)."""
    import itertools
    n = len(cards)
    total = n * (n + 1) / 2.0
    perms = np.array([[(r + 1) / total for r in p] for p in itertools.permutations(range(n))])
    shapes = []
    for m in cards:
        half = m // 2
        shapes.append(np.array([
            _normalised([1000 * j + 1 for j in range(m)]),
            _normalised([1000 * (m - j - 1) + 1 for j in range(m)]),
            _normalised([1000 * j + 1 if j < half else 1000 * (m - j - 1) + 1 for j in range(m)]),
        ]))
    combos = np.array(list(itertools.product(range(3), repeat=n)))
    belief = np.full((len(perms), len(combos)), 1.0 / (len(perms) * len(combos)))
    expected, seen, out = 1.0, set(), []
    for b in bids:
        if tuple(b) not in seen:
            seen.add(tuple(b))
            a = np.stack([shapes[k][combos[:, k], b[k]] for k in range(n)], axis=1)
            u = perms @ a.T
            like = np.where(expected < u, 0.0,
                            np.exp(-((expected - u) / expected) ** 2 / (2 * 0.0625))
                            / (0.25 * math.sqrt(2 * math.pi)))
            nxt = belief * like
            if nxt.sum() > 0:
                belief = nxt / nxt.sum()
            expected -= 0.035
        tables = []
        for k in range(n):
            q = np.zeros(3)
            for j in range(3):
                q[j] = (belief[:, combos[:, k] == j] .sum(axis=1) * perms[:, k]).sum()
            tables.append(q @ shapes[k])
        lo = sum(t.min() for t in tables)
        hi = sum(t.max() for t in tables)
        out.append(lambda o, tables=tables, lo=lo, hi=hi:
                   0.0 if hi == lo else (sum(tables[i][o[i]] for i in range(n)) - lo) / (hi - lo))
    return out


def _sum(xs):
    """Adds in order, as Java's loops do."""
    total = 0.0
    for x in xs:
        total += x
    return total


# Where NegMAS 0.16's model ports differ from GENIUS 10.4 (the Java sources of
# negotiator.boaframework.opponentmodel and agents.bayesianopponentmodel against
# negmas/gb/components/genius/models/*.py). detente follows GENIUS; the GENIUS Bayesian models
# have no faithful NegMAS port (GBayesianModel draws ten random weight hypotheses), so they
# are checked against the transcriptions above only.
NEGMAS_DEVIATIONS = {
    "hardheaded-frequency": "it adds l per unchanged issue where GENIUS adds l / n, has no "
                            "cap on the weights, and learns from the first bid",
    "smith-frequency": "equal issue weights and (count + 1) / max (count + 1), where GENIUS "
                       "weighs issues by their top value's share and scores count / bids",
    "nash-frequency": "a HardHeaded-style model (0.1 per unchanged issue), where GENIUS scores "
                      "count / top count with top-share issue weights",
    "cuhk-frequency": "it learns in update(), which its BOA negotiator never calls, so it "
                      "stays at 0.5",
    "perfect": "it rescales the opponent's utility to [0, 1] over the outcomes, where GENIUS "
               "gives the utility itself",
    "worst": "one minus the modeller's own utility, where GENIUS takes one minus the "
             "opponent's",
    "uniform": "a random value per outcome, where GENIUS gives 0.5",
}


def negmas_models(s, ufuns) -> dict:
    """NegMAS's ports, each in a BOA negotiator of party 0 on a mechanism (they read their
    negotiator's ufun and outcome space)."""
    m = SAOMechanism(outcome_space=s.outcome_space, n_steps=ROUNDS)
    models = {
        "perfect": GPerfectModel(ufun=ufuns[1]),
        "opposite": GOppositeModel(),
        "worst": GWorstModel(),
        "uniform": GUniformModel(),
        "hardheaded-frequency": GHardHeadedFrequencyModel(),
        "smith-frequency": GSmithFrequencyModel(),
        "nash-frequency": GNashFrequencyModel(),
        "cuhk-frequency": GCUHKFrequencyModel(),
    }
    for name, model in models.items():
        off = GTimeDependentOffering(e=1.0)
        m.add(BOANegotiator(offering=off, acceptance=GACNext(offering_policy=off), model=model,
                            name=name), ufun=ufuns[0])
    return {name: (model, m.state) for name, model in models.items()}


def compare_models(shared: Path, detente: Detente) -> tuple[list, list, int]:
    failures, notes, count = [], [], 0
    for domain in DOMAINS:
        folder = shared / domain
        s = Scenario.load(folder, ignore_discount=True)
        ufuns = genius_normalised(s)
        outcomes = list(s.outcome_space.enumerate_or_sample())
        issues = s.outcome_space.issues
        cards = [len(list(i.all)) for i in issues]
        value_lists = [list(i.all) for i in issues]
        as_values = [tuple(value_lists[i].index(o[i]) for i in range(len(issues)))
                     for o in outcomes]

        def outcome_of(v):
            return tuple(value_lists[i][x] for i, x in enumerate(v))
        # The bids party 1 made against party 0 in a detente negotiation (conceder vs boulware).
        det = detente.run([{"negotiate": {
            "domain": str(folder), "rounds": 60, "time": "per-round",
            "specs": ["boa:offer=boulware,model=none", "boa:offer=conceder(e=3),model=none"]}}])[0]
        bids = [a["outcome"] for a in det["actions"] if a["party"] == 1 and a["kind"] == "offer"]
        values = [list(as_values[b]) for b in bids]
        reference = {
            "hardheaded-frequency": genius_hardheaded(cards, values),
            "smith-frequency": genius_smith(cards, values),
            "nash-frequency": genius_nash(cards, values),
            "cuhk-frequency": genius_cuhk(cards, values),
            "scalable-bayesian": genius_scalable_bayesian(cards, values),
            "perfect": [lambda v: float(ufuns[1](outcome_of(v)))] * len(values),
            "opposite": [lambda v: 1.0 - float(ufuns[0](outcome_of(v)))] * len(values),
            "worst": [lambda v: 1.0 - float(ufuns[1](outcome_of(v)))] * len(values),
            "uniform": [lambda v: 0.5] * len(values),
        }
        if len(cards) <= 5:
            # n! 3^n hypotheses: at most 29,160 here, and the reference is plain numpy.
            reference["bayesian"] = genius_bayesian(cards, values)
        theirs = negmas_models(s, ufuns)
        jobs = [{"model": {"domain": str(folder), "party": 0, "opponent": 1, "spec": name,
                           "bids": values}} for name in reference]
        for name, result in zip(reference, detente.run(jobs)):
            count += 1
            model, state = theirs.get(name, (None, None))
            worst_ref, worst_negmas = 0.0, 0.0
            for step, (est, ref) in enumerate(zip(result["estimates"], reference[name])):
                if model is not None:
                    model.on_partner_proposal(state, "p1", outcomes[bids[step]])
                for k, o in enumerate(outcomes):
                    worst_ref = max(worst_ref, abs(est[k] - ref(as_values[k])))
                    if model is not None:
                        worst_negmas = max(worst_negmas, abs(est[k] - float(model.eval(o))))
            label = f"{domain}: {name} after {len(values)} bids"
            if worst_ref > 1e-9:
                failures.append(f"{label}: detente differs from the GENIUS rule by {worst_ref:.3g}")
            if model is None:
                continue
            if name in NEGMAS_DEVIATIONS:
                if worst_negmas > 1e-9:
                    notes.append(f"{label}: NegMAS's port differs by up to {worst_negmas:.3g} "
                                 f"({NEGMAS_DEVIATIONS[name]})")
            elif worst_negmas > 1e-9:
                failures.append(f"{label}: NegMAS differs from detente by {worst_negmas:.3g}")
    return failures, notes, count


# ---------------------------------------------------------------------------------------------
# The ported ANAC agents: every detente action replayed through the GENIUS rules (Python
# transcriptions drawing from the same java.util.Random generators, genius_agents.py); NegMAS's
# ports (target curves, not the agents' algorithms; see docs) compared by their distributions.

sys.path.insert(0, str(Path(__file__).parent))
import genius_agents  # noqa: E402
import genius_cuhk_agent  # noqa: E402

AGENT_DOMAINS = DOMAINS[:8]
AGENT_SEEDS = [1, 2, 3]
# (replay name, detente spec, NegMAS offering and acceptance factory, the GENIUS opponent
# model the replay learns with)
AGENTS = [
    ("agent-k", "agent-k", lambda: (GAgentKOffering(), lambda o: GACAgentK()), None),
    ("agent-k2", "agent-k2", lambda: (GAgentK2Offering(), lambda o: GACAgentK2()), None),
    ("hardheaded(model=none)", "hardheaded:model=none",
     lambda: (GHardHeadedOffering(), lambda o: GACHardHeaded(offering_policy=o)), None),
    ("hardheaded", "hardheaded",
     lambda: (GHardHeadedOffering(), lambda o: GACHardHeaded(offering_policy=o)),
     GeniusHardHeadedFrequency),
    ("nice-tit-for-tat", "nice-tit-for-tat",
     lambda: (GNiceTitForTatOffering(), lambda o: GACNiceTitForTat(offering_policy=o)),
     GeniusScalableBayesian),
    ("iam-haggler2011", "iam-haggler2011",
     lambda: (GIAMhaggler2011Offering(), lambda o: GACIAMHaggler2011(offering_policy=o)), None),
    ("agent-lg", "agent-lg",
     lambda: (GAgentLGOffering(), lambda o: GACAgentLG()), None),
    ("negotiator-reloaded", "negotiator-reloaded",
     lambda: (GTheNegotiatorReloadedOffering(),
              lambda o: GACTheNegotiatorReloaded(offering_policy=o)), GeniusScalableBayesian),
    ("negotiator-reloaded(model=none)", "negotiator-reloaded:model=none",
     lambda: (GTheNegotiatorReloadedOffering(),
              lambda o: GACTheNegotiatorReloaded(offering_policy=o)), None),
    ("bram-agent", "bram-agent",
     lambda: (GBRAMAgentOffering(), lambda o: GACBRAMAgent(offering_policy=o)), None),
    ("gahboninho", "gahboninho",
     lambda: (GGahboninhoOffering(), lambda o: GACGahboninho()), None),
    genius_cuhk_agent.agent_entry(ROUNDS),
]
OPPONENT_E = 0.5
# Agents also replayed against a Boulware opponent (e = 0.1), whose talks run later (so that the
# late phases of their rules are reached), and against themselves (both parties replayed, so
# that their own acceptance rules decide).
BOULWARE_E = 0.1
SELF = "itself"
ALSO_AGAINST = {"bram-agent": [BOULWARE_E, SELF], "gahboninho": [BOULWARE_E, SELF],
                "hardheaded": [SELF], "cuhk-agent": [SELF]}
# Larger domains some agents also play, where rules that need many outcomes are reached
# (Gahboninho filters its bid list only when it holds more than 200).
ALSO_ON = {"gahboninho": ["Amsterdam", "Camera"]}


def negmas_agent_run(s, ufuns, factory, seed, e=OPPONENT_E) -> tuple:
    """NegMAS's port (party 0) against GTimeDependentOffering(e) with GACNext, or itself."""
    import random
    random.seed(seed)
    np.random.seed(seed)
    m = SAOMechanism(outcome_space=s.outcome_space, n_steps=ROUNDS)
    off, acc = factory()
    m.add(BOANegotiator(offering=off, acceptance=acc(off), name="agent"), ufun=ufuns[0])
    if e == SELF:
        opp, opp_acc = factory()
        opp_acc = opp_acc(opp)
    else:
        opp = GTimeDependentOffering(e=e)
        opp_acc = GACNext(offering_policy=opp)
    m.add(BOANegotiator(offering=opp, acceptance=opp_acc, name="opp"), ufun=ufuns[1])
    m.run()
    a = m.state.agreement
    return (a is not None, float(ufuns[0](a)) if a is not None else 0.0,
            float(ufuns[1](a)) if a is not None else 0.0)


def agent_runs() -> list:
    """(replay name, detente spec, NegMAS factory, GENIUS model, opponent: its e or SELF) of
    every run."""
    return [(name, spec, factory, model, e) for name, spec, factory, model in AGENTS
            for e in [OPPONENT_E] + ALSO_AGAINST.get(name, [])]


def compare_agents(shared: Path, detente: Detente) -> tuple[list, list, int]:
    failures, notes, count = [], [], 0
    runs = agent_runs()
    stats = {(name, e): {"detente": [], "negmas": []} for name, _, _, _, e in runs}
    extra = [d for d in DOMAINS if d not in AGENT_DOMAINS
             and any(d in domains for domains in ALSO_ON.values())]
    all_runs = runs
    for domain in AGENT_DOMAINS + extra:
        runs = [r for r in all_runs if domain in AGENT_DOMAINS or domain in ALSO_ON.get(r[0], [])]
        folder = shared / domain
        s = Scenario.load(folder, ignore_discount=True)
        ufuns = genius_normalised(s)
        outcomes = list(s.outcome_space.enumerate_or_sample())
        pmin = worst_rational(ufuns[1], outcomes)
        cards = [len(list(i.all)) for i in s.outcome_space.issues]

        def opponent(spec, e):
            if e == SELF:
                return spec
            return f"boa:offer=time-dependent(e={e!r},min={pmin!r}),model=none"
        jobs = [{"negotiate": {"domain": str(folder), "rounds": ROUNDS, "seed": seed,
                               "specs": [spec, opponent(spec, e)], "time": "per-round"}}
                for _, spec, _, _, e in runs for seed in AGENT_SEEDS]
        results = iter(detente.run(jobs))
        for name, spec, factory, model, e in runs:
            for seed in AGENT_SEEDS:
                det = next(results)
                count += 1
                against = "itself" if e == SELF else f"time-dependent(e={e})"
                for party in [0, 1] if e == SELF else [0]:
                    problem = genius_agents.replay(name, det, party, seed, cards, model)
                    if problem is not None:
                        failures.append(f"{domain}: {spec} (party {party}) against {against} "
                                        f"(seed {seed}) against the GENIUS rule: {problem}")
                agreed = det["agreement"] is not None
                stats[name, e]["detente"].append(
                    (agreed, det["utilities"][0][det["agreement"]] if agreed else 0.0,
                     det["utilities"][1][det["agreement"]] if agreed else 0.0))
                stats[name, e]["negmas"].append(negmas_agent_run(s, ufuns, factory, seed, e))
    for (name, e), by in stats.items():
        line = []
        for system in ("detente", "negmas"):
            runs = by[system]
            rate = sum(r[0] for r in runs) / len(runs)
            u0 = sum(r[1] for r in runs) / len(runs)
            u1 = sum(r[2] for r in runs) / len(runs)
            line.append(f"{system}: agreement rate {rate:.2f}, mean utility agent {u0:.3f}, "
                        f"opponent {u1:.3f}")
        against = "itself" if e == SELF else f"time-dependent(e={e})"
        domains = len(AGENT_DOMAINS) + len(ALSO_ON.get(name, []))
        notes.append(f"{name} against {against} over "
                     f"{domains} domains x {len(AGENT_SEEDS)} seeds: "
                     + "; ".join(line) + " (NegMAS's port is a target curve, not the agent)")
    return failures, notes, count


def main() -> int:
    shared, binary = Path(sys.argv[1]), sys.argv[2]
    detente = Detente(binary)
    missing = [d for d in DOMAINS if not (shared / d).is_dir()]
    if missing:
        print(f"missing shared domains: {missing}", file=sys.stderr)
        return 2
    f1, n1, c1 = compare_negotiations(shared, detente)
    f2, n2, c2 = compare_models(shared, detente)
    f3, n3, c3 = compare_agents(shared, detente)
    f4, c4 = genius_cuhk_agent.compare_long(shared, detente)
    f3, c3 = f3 + f4, c3 + c4
    for n in n3:
        print(f"agents: {n}")
    for n in n1 + n2:
        print(f"note (NegMAS deviates from GENIUS): {n}")
    for f in f1 + f2 + f3:
        print(f"MISMATCH: {f}")
    print(f"{c1} negotiations on {len(DOMAINS)} domains compared offer by offer "
          f"({len(f1)} mismatches, {len(n1)} expected deviations); {c2} models compared "
          f"({len(f2)} mismatches with the GENIUS rules, {len(n2)} NegMAS deviations); "
          f"{c3} negotiations of the ANAC agents replayed through the GENIUS rules "
          f"({len(f3)} mismatches)")
    return 1 if f1 or f2 or f3 else 0


if __name__ == "__main__":
    sys.exit(main())
