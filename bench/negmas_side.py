#!/usr/bin/env python3
"""The NegMAS side of the side-by-side benchmarks (bench/compare runs it; see bench/README.md).

    python negmas_side.py WORKLOAD SHARED_DIR     (inside bench/.venv, with negmas==0.16.0)

Runs one workload in this process and prints one JSON object on standard output:
`seconds` (the measured wall time of the work itself: interpreter start, imports and loading
the scenario files are not counted, except in the loading workload) and `details` (what the
fairness check compares: agreements, Pareto frontier sizes, Nash outcomes).

The negotiators are NegMAS's own time-based negotiator with the concession exponent set to
match detente's e (`PolyAspiration(1, 1/e)`: aspiration 1 - t^(1/e), the same curve as
detente's Pmin + (Pmax - Pmin)(1 - t^(1/e))), deterministic (`stochastic=False`: it offers the
worst outcome at or above its aspiration), and NaiveTitForTat for tit-for-tat.
"""
from __future__ import annotations

import contextlib
import json
import sys
import tempfile
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")

from negmas.inout import Scenario  # noqa: E402
from negmas.negotiators.helpers import PolyAspiration  # noqa: E402
from negmas.preferences import LinearAdditiveUtilityFunction  # noqa: E402
from negmas.preferences.ops import calc_scenario_stats, nash_points, pareto_frontier  # noqa: E402
from negmas.preferences.value_fun import TableFun  # noqa: E402
from negmas.sao import NaiveTitForTatNegotiator, SAOMechanism  # noqa: E402
from negmas.sao.negotiators import TimeBasedConcedingNegotiator  # noqa: E402

HERE = Path(__file__).resolve().parent
ROUNDS = 100
E = {"boulware": 0.2, "conceder": 2.0, "linear": 1.0}


def time_based(e: float, name: str) -> TimeBasedConcedingNegotiator:
    """NegMAS's time-based negotiator with detente's concession exponent e."""
    return TimeBasedConcedingNegotiator(
        name=name, offering_curve=PolyAspiration(1.0, 1.0 / e), stochastic=False
    )


def load(folder: Path) -> Scenario:
    s = Scenario.load(folder, ignore_discount=True)
    if s is None:
        raise SystemExit(f"NegMAS could not load {folder}")
    return s


def genius_normalised(s: Scenario) -> tuple:
    """The scenario's ufuns with GENIUS semantics: each discrete evaluation divided by its
    issue's largest evaluation (NegMAS keeps them raw). Only for the fairness check."""
    out = []
    for u in s.ufuns:
        values = []
        for v in u.values:
            top = max(v.mapping.values())
            values.append(TableFun({k: x / top for k, x in v.mapping.items()}))
        out.append(LinearAdditiveUtilityFunction(
            values=values, weights=list(u.weights), outcome_space=s.outcome_space,
            reserved_value=u.reserved_value, name=u.name))
    return tuple(out)


def negotiations(s: Scenario, ufuns, pairing: list[tuple[str, str]], n: int) -> dict:
    """n negotiations of each assignment in `pairing` (kinds for party 0 and 1), in order."""
    runs = []
    t0 = time.perf_counter()
    for a, b in pairing:
        for _ in range(n):
            m = SAOMechanism(outcome_space=s.outcome_space, n_steps=ROUNDS)
            m.add(time_based(E[a], "a"), ufun=ufuns[0])
            m.add(time_based(E[b], "b"), ufun=ufuns[1])
            m.run()
            runs.append((a, b, m.state.agreement, m.state.step))
    seconds = time.perf_counter() - t0
    details = {}
    for a, b, agreement, step in runs:
        d = details.setdefault(f"{a}-{b}", {"agreements": {}, "negotiations": 0})
        d["negotiations"] += 1
        key = json.dumps([list(agreement) if agreement else None, step])
        d["agreements"][key] = d["agreements"].get(key, 0) + 1
    return {"seconds": seconds, "details": details}


def bilateral(args: list[str]) -> dict:
    """`bilateral FOLDER PAIRING N [--genius]`: PAIRING is `bc` (N of boulware-conceder, then
    N of conceder-boulware) or `bb` (2N of boulware-boulware)."""
    folder, pairing, n = Path(args[0]), args[1], int(args[2])
    s = load(folder)
    ufuns = genius_normalised(s) if "--genius" in args else s.ufuns
    pairs = {"bc": [("boulware", "conceder"), ("conceder", "boulware")],
             "bb": [("boulware", "boulware")]}[pairing]
    if pairing == "bb":
        n *= 2
    return negotiations(s, ufuns, pairs, n)


def boa(args: list[str]) -> dict:
    """`boa FOLDER N`: N negotiations of BOA Boulware (e = 0.2) against BOA Conceder (e = 2),
    then N with the roles swapped: `BOANegotiator`s of NegMAS's ports of GENIUS's
    TimeDependent_Offering and AC_next (`negmas.gb.components.genius`), no opponent model, on
    GENIUS-normalised utilities (as detente reads the files). Also, untimed, one negotiation
    per assignment with GENIUS's tie order among outcomes of equal utility (`aligned`)."""
    from negmas.gb.components.genius import GACNext, GTimeDependentOffering
    from negmas.gb.negotiators.modular.boa import BOANegotiator

    folder, n = Path(args[0]), int(args[1])
    s = load(folder)
    ufuns = genius_normalised(s)

    def agent(kind: str, name: str) -> BOANegotiator:
        off = GTimeDependentOffering(e=E[kind])
        return BOANegotiator(offering=off, acceptance=GACNext(offering_policy=off), name=name)

    def negotiate(a: str, b: str, ufuns: tuple) -> tuple:
        m = SAOMechanism(outcome_space=s.outcome_space, n_steps=ROUNDS)
        m.add(agent(a, "a"), ufun=ufuns[0])
        m.add(agent(b, "b"), ufun=ufuns[1])
        m.run()
        return (a, b, m.state.agreement, m.state.step)

    assignments = [("boulware", "conceder"), ("conceder", "boulware")]
    t0 = time.perf_counter()
    runs = [negotiate(a, b, ufuns) for a, b in assignments for _ in range(n)]
    seconds = time.perf_counter() - t0
    # Not timed: one negotiation per assignment with GENIUS's tie order (stable_ties), on
    # fresh utility functions (each keeps the inverter it sorted first).
    with stable_ties():
        aligned = [negotiate(a, b, genius_normalised(s)) for a, b in assignments]
    return {"seconds": seconds, "details": agreement_counts(runs),
            "aligned": agreement_counts(aligned)}


def agreement_counts(runs: list) -> dict:
    """How often each (agreement, step) occurred, per role assignment."""
    details = {}
    for a, b, agreement, step in runs:
        d = details.setdefault(f"{a}-{b}", {"agreements": {}, "negotiations": 0})
        d["negotiations"] += 1
        key = json.dumps([list(agreement) if agreement else None, step])
        d["agreements"][key] = d["agreements"].get(key, 0) + 1
    return details


@contextlib.contextmanager
def stable_ties():
    """NegMAS's presorting inverter with a stable sort: among outcomes of equal utility it then
    offers the first in enumeration order, as GENIUS (Java's stable sort) and detente do; by
    default numpy's unstable quicksort leaves their order arbitrary."""
    import numpy as np
    from negmas.preferences.inv_ufun import presorting

    def stable_argsort(a, *args, **kwargs):
        kwargs["kind"] = "stable"
        return np.argsort(a, *args, **kwargs)

    shipped = presorting.np
    presorting.np = type("np_stable", (), {
        **{k: getattr(np, k) for k in dir(np) if not k.startswith("__")},
        "argsort": staticmethod(stable_argsort),
    })
    try:
        yield
    finally:
        presorting.np = shipped


def frontier(args: list[str]) -> dict:
    """`frontier FOLDER`: Pareto frontier and Nash point."""
    s = load(Path(args[0]))
    u0, u1 = s.ufuns
    t0 = time.perf_counter()
    pu, pidx = pareto_frontier([u0, u1])
    nash = nash_points([u0, u1], pu, outcome_space=s.outcome_space)
    seconds = time.perf_counter() - t0
    outcomes = list(s.outcome_space.enumerate_or_sample())
    nash_outcomes = [list(outcomes[pidx[i]]) for _, i in nash]
    return {"seconds": seconds, "details": {
        "frontier_size": len(pu), "nash_outcomes": nash_outcomes,
        "nash_utilities": [list(map(float, x)) for x, _ in nash]}}


def stats(args: list[str]) -> dict:
    """`stats FOLDER`: every scenario statistic NegMAS computes (calc_scenario_stats)."""
    s = load(Path(args[0]))
    t0 = time.perf_counter()
    st = calc_scenario_stats(list(s.ufuns))
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "details": {"frontier_size": len(st.pareto_utils)}}


def tournament(args: list[str]) -> dict:
    """`tournament FOLDER...`: Boulware, Conceder, Linear (time-based) and NaiveTitForTat,
    every ordered pair (self-play included) on each scenario, 2 repetitions, serial."""
    from negmas.tournaments.neg import cartesian_tournament

    scenarios = [load(Path(f)) for f in args]
    competitors = [TimeBasedConcedingNegotiator] * 3 + [NaiveTitForTatNegotiator]
    params = [dict(offering_curve=PolyAspiration(1.0, 1.0 / E[k]), stochastic=False)
              for k in ("boulware", "conceder", "linear")] + [{}]
    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter()
        results = cartesian_tournament(
            competitors=competitors, competitor_params=params,
            competitor_names=["Boulware", "Conceder", "Linear", "TitForTat"],
            scenarios=scenarios, n_repetitions=2, n_steps=ROUNDS, rotate_ufuns=False,
            self_play=True, njobs=-1, path=Path(d) / "t", verbosity=0,
            save_scenario_figs=False, plot_fraction=0.0)
        seconds = time.perf_counter() - t0
    n = len(results.details) if results.details is not None else None
    return {"seconds": seconds, "details": {"negotiations": n}}


def loading(args: list[str]) -> dict:
    """`load FOLDER...`: read every scenario."""
    t0 = time.perf_counter()
    loaded = [Scenario.load(Path(f), ignore_discount=False) for f in args]
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "details": {
        "loaded": sum(s is not None for s in loaded), "asked": len(args)}}


def main() -> None:
    work, args = sys.argv[1], sys.argv[2:]
    fn = {"bilateral": bilateral, "boa": boa, "frontier": frontier, "stats": stats,
          "tournament": tournament, "load": loading}[work]
    print(json.dumps(fn(args)))


if __name__ == "__main__":
    main()
