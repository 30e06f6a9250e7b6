#!/usr/bin/env python3
"""detente's ParsAgent (`pars-agent`) and RandomDance (`random-dance`), ANAC 2015, checked
two ways:

1. against genius_pars.py and genius_random_dance.py, transcriptions of GENIUS's Java:
   detente's negotiations (bilateral and three-party, against time-dependent opponents, each
   other and themselves) replayed action by action through the transcriptions, which must
   take every action detente took (same seeds: genius_agents.Generators);
2. against negmas-genius-agents 0.3.0's ParsAgent and RandomDance, other strategies
   (docs/negotiators.md): the distributions over seeds are reported (agreement rate,
   utilities, concession curve), and ParsAgent's acceptance rule is checked on both systems'
   traces (the count of NegMAS's departures is reported, detente's must be 0).

    python compare_pars.py SHARED_DIR BOA_CHECK_BIN [--full]   (in the test venv)

compare_agents.py runs it (without --full: fewer domains and seeds) in its own process, which
has NegMAS loaded already (scripts/test.sh).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import compare_agents  # noqa: E402
from compare_agents import Sample, mean_se, td_factory, td_spec  # noqa: E402
from compare_boa import Detente, genius_normalised, worst_rational  # noqa: E402
from genius_agents import Generators, derive_seed  # noqa: E402
from genius_pars import NPE, ParsAgent  # noqa: E402
from genius_random_dance import RandomDance  # noqa: E402
from negmas.inout import Scenario  # noqa: E402
from negmas.sao import SAOMechanism  # noqa: E402

ROUNDS = 100
# Bilateral domains (discounted ones included: ParsAgent reads whether offers are discounted,
# RandomDance concedes by the discount factor) and three-party ones. scripts/test.sh runs the
# first ones (CI time); --full all of them, with two seeds per lineup.
BILATERAL = ["FlightBookingA", "EnglandZimbabwe", "Grocery", "Laptop", "Amsterdam",
             "RentalHouseB", "BarterC", "OutfitA", "ItexvsCypress", "Camera"]
MULTILATERAL = ["TriangularFight", "Dinner", "SmartEnergyGrid"]
FULL = "--full" in sys.argv
if not FULL:
    BILATERAL, MULTILATERAL = BILATERAL[:4], MULTILATERAL[:1]
SEEDS = 2 if FULL else 1  # per lineup, in the replay
DIST_SEEDS = 2 if FULL else 1  # per domain and agent, in the distributions
FAULTS: list = []  # negotiations where both sides fail as the original does
PATHS: dict = {}  # per agent, how often the replayed turns took each way of choosing


def lineups(parties: int, pmin: list) -> list:
    """(label, specs): ParsAgent against Boulware and conceding opponents and itself."""
    td = lambda e, i: td_spec(e, 0.0, pmin[i])  # noqa: E731
    if parties == 2:
        return [("pars vs boulware", ["pars-agent", td(0.2, 1)]),
                ("conceder vs pars", [td(2.0, 0), "pars-agent"]),
                ("pars vs linear", ["pars-agent", td(1.0, 1)]),
                ("pars vs pars", ["pars-agent", "pars-agent"]),
                ("pars(draws=5) vs conceder", ["pars-agent:draws=5", td(3.0, 1)]),
                ("dance vs boulware", ["random-dance", td(0.2, 1)]),
                ("conceder vs dance", [td(2.0, 0), "random-dance"]),
                ("dance vs pars", ["random-dance", "pars-agent"]),
                ("dance vs dance", ["random-dance", "random-dance"])]
    return [("pars, boulware, conceder", ["pars-agent", td(0.2, 1), td(2.0, 2)]),
            ("conceder, pars, linear", [td(2.0, 0), "pars-agent", td(1.0, 2)]),
            ("pars, pars, conceder", ["pars-agent", "pars-agent", td(2.0, 2)]),
            ("conceder, conceder, pars", [td(3.0, 0), td(2.0, 1), "pars-agent"]),
            ("pars x3", ["pars-agent"] * 3),
            ("dance, boulware, conceder", ["random-dance", td(0.2, 1), td(2.0, 2)]),
            ("pars, conceder, dance", ["pars-agent", td(2.0, 1), "random-dance"]),
            ("dance x3", ["random-dance"] * 3)]


def replay(det: dict, party: int, seed: int, spec: str) -> tuple[str | None, bool]:
    """Replays party `party` (ParsAgent or RandomDance, by `spec`) of detente negotiation
    `det` through the transcription: (None when every action matches, else the first
    difference; whether the transcription failed as the original does at the end)."""
    cards = [len(i["values"]) for i in det["issues"]]
    names = [i["values"] for i in det["issues"]]
    kinds = ["discrete"] * len(cards)  # the shared GENIUS domains are discrete
    gens = Generators(derive_seed(seed, party))
    if spec.startswith("random-dance"):
        agent = RandomDance(gens, det["utilities"][party], cards, det["parties"],
                            det["reservation"][party], det["discount"][party])
    else:
        draws = int(spec.split("draws=")[1]) if "draws=" in spec else 200
        agent = ParsAgent(gens, det["utilities"][party], cards, names, det["weights"][party],
                          kinds, det["discount"][party], ROUNDS, draws)
    strides = [1] * len(cards)
    for i in range(len(cards) - 2, -1, -1):
        strides[i] = strides[i + 1] * cards[i + 1]
    bid_of = lambda o: tuple((o // s) % c for s, c in zip(strides, cards))  # noqa: E731
    standing, failed = None, False
    for k, a in enumerate(det["actions"]):
        bid = bid_of(a["outcome"]) if a["outcome"] is not None else None
        if a["party"] != party:
            try:
                if isinstance(agent, RandomDance):
                    agent.receive_message(a["party"], a["kind"], bid)
                else:
                    agent.receive_message(a["party"], a["kind"], bid, a["time"])
            except NPE as e:
                # GENIUS ends the session with the party's error; detente with a negotiator
                # fault (the agent panics in observe) right after this action.
                if det["termination"] == "negotiator-fault" and k == len(det["actions"]) - 1:
                    failed = True
                    break
                return f"action {k}: the original throws ({e}); detente went on", False
            if a["kind"] == "offer":
                standing = bid
            continue
        try:
            kind, b = agent.choose_action(a["time"])
        except NPE as e:
            return f"action {k}: the original throws ({e}); detente went on", False
        expected = (kind, b if kind == "offer" else standing if kind == "accept" else None)
        actual = (a["kind"], bid if a["kind"] == "offer" else
                  standing if a["kind"] == "accept" else None)
        if actual != expected:
            return (f"action {k} (time {a['time']:.4f}): detente {actual}, GENIUS {expected}",
                    False)
        if a["kind"] == "offer":
            standing = bid
    if det["termination"] == "negotiator-fault" and not failed:
        # The next turn was this party's? RandomDance's original throws in chooseAction.
        try:
            agent.choose_action(1.0)
        except NPE:
            failed = True
    paths = PATHS.setdefault(type(agent).__name__, {})
    for key, n in agent.paths.items():
        paths[key] = paths.get(key, 0) + n
    return None, failed


def compare_replay(shared: Path, detente: Detente) -> tuple[list, int, int]:
    failures, count, agreements = [], 0, 0
    for d, domain in enumerate(BILATERAL + MULTILATERAL):
        folder = shared / domain
        s = Scenario.load(folder, ignore_discount=True)
        outcomes = list(s.outcome_space.enumerate_or_sample())
        pmin = [worst_rational(u, outcomes) for u in genius_normalised(s)]
        jobs, labels = [], []
        for label, specs in lineups(len(pmin), pmin):
            for seed in range(SEEDS):
                jobs.append({"negotiate": {"domain": str(folder), "rounds": ROUNDS,
                                           "specs": specs, "time": "per-round",
                                           "seed": 1000 * d + seed}})
                labels.append((label, specs, 1000 * d + seed))
        for (label, specs, seed), det in zip(labels, detente.run(jobs)):
            agreements += det["agreement"] is not None
            failed = False
            for p, spec in enumerate(specs):
                if not spec.startswith(("pars-agent", "random-dance")):
                    continue
                count += 1
                problem, fails = replay(det, p, seed, spec)
                failed |= fails
                if problem:
                    failures.append(f"{domain}: {label} (seed {seed}), party {p}: {problem}")
            if failed:
                FAULTS.append(seed)
            elif det["termination"] == "negotiator-fault":
                failures.append(f"{domain}: {label} (seed {seed}): detente ends with a fault "
                                f"where no original fails")
    return failures, count, agreements


# ---------------------------------------------------------------------------------------------
# negmas-genius-agents' ParsAgent: distributions and the original's acceptance rule.

def target(t: float, discounted: bool) -> float:
    """The original's getMyutility at time t (PerRound time, DiscreteTimeline offset)."""
    x = max(t - 1.0 / (ROUNDS + 1), 0.0)
    v = 1.0 - x ** (1.0 / (0.20 if discounted else 0.15))
    return 0.7 if v < 0.7 else v


def rule_departures(steps: list, discounted: bool = False) -> int:
    """Turns of the agent breaking the original's acceptance rule: it accepts the last offer
    received exactly when that offer is worth more than its target. `steps` is a list of
    (time, agent's action kind, utility of the last offer received or None); `discounted`
    whether it found the first offer it received discounted."""
    bad = 0
    for t, kind, last in steps:
        if last is not None and (kind == "accept") != (last > target(t, discounted)):
            bad += 1
    return bad


def detente_steps(det: dict) -> tuple[list, bool]:
    """The agent's (party 0's) turns for rule_departures, and whether the first offer it
    received looked discounted to it (u df^t != u, as the original tests)."""
    u, df, steps, last, discounted = det["utilities"][0], det["discount"][0], [], None, None
    for a in det["actions"]:
        if a["party"] != 0:
            if a["kind"] == "offer":
                last = u[a["outcome"]]
                if discounted is None:
                    discounted = 0 < df < 1 and last * df ** a["time"] != last
            continue
        steps.append((a["time"], a["kind"], last))
    return steps, bool(discounted)


def compare_distributions(shared: Path, detente: Detente) -> tuple[list, list]:
    import negmas_genius_agents as nga
    failures, lines = [], []
    for kind, theirs in [("pars-agent", nga.ParsAgent), ("random-dance", nga.RandomDance)]:
        f, ls = distribution(shared, detente, kind, theirs)
        failures += f
        lines += ls
    return failures, lines


def distribution(shared: Path, detente: Detente, kind: str, negmas_kind) -> tuple[list, list]:
    """detente's `kind` and negmas-genius-agents' port against the Boulware opponent of
    compare_agents.py; for ParsAgent also the original's acceptance rule on both traces."""
    import random
    ours, theirs, lines, failures = Sample(), Sample(), [], []
    departures = [0, 0]
    for domain in compare_agents.DIST_DOMAINS:
        folder = shared / domain
        s = Scenario.load(folder, ignore_discount=True)
        outcomes = list(s.outcome_space.enumerate_or_sample())
        ufuns = genius_normalised(s)
        specs = [kind, td_spec(compare_agents.OPPONENT_E, 0.0,
                                       worst_rational(ufuns[1], outcomes))]
        jobs = [{"negotiate": {"domain": str(folder), "rounds": ROUNDS, "specs": specs,
                               "time": "per-round", "seed": seed}}
                for seed in range(DIST_SEEDS)]
        for det in detente.run(jobs):
            departures[0] += rule_departures(*detente_steps(det))
            u, rv, a = det["utilities"], det["reservation"], det["agreement"]
            offers = [(x["round"], u[0][x["outcome"]]) for x in det["actions"]
                      if x["party"] == 0 and x["kind"] == "offer"]
            ours.add(u[0][a] if a is not None else rv[0], u[1][a] if a is not None else rv[1],
                     a is not None, offers)
        for seed in range(DIST_SEEDS):
            random.seed(seed)
            fresh = genius_normalised(s)
            m = SAOMechanism(outcome_space=s.outcome_space, n_steps=ROUNDS)
            m.add(negmas_kind(name="p0"), ufun=fresh[0])
            m.add(td_factory(compare_agents.OPPONENT_E)("p1")[0], ufun=fresh[1])
            m.run()
            agent = m.negotiators[0].id
            trace = m.full_trace
            offers = [(t.step, float(fresh[0](t.offer))) for t in trace
                      if t.negotiator == agent and t.offer is not None]
            steps, last = [], None
            for t in trace:
                if t.negotiator != agent:
                    last = float(fresh[0](t.offer)) if t.offer is not None else last
                else:
                    steps.append(((t.step + 1) / (ROUNDS + 1), "offer", last))
            a = m.state.agreement
            if a is not None and trace and trace[-1].negotiator != agent:
                steps.append(((trace[-1].step + 2) / (ROUNDS + 1), "accept", last))
            departures[1] += rule_departures(steps)
            theirs.add(float(fresh[0](a)) if a is not None else fresh[0].reserved_value,
                       float(fresh[1](a)) if a is not None else fresh[1].reserved_value,
                       a is not None, offers)
    row = [kind]
    for what, a, b in [("agreement rate", ours.agreed, theirs.agreed),
                       ("agent utility", ours.mine, theirs.mine),
                       ("opponent utility", ours.theirs, theirs.theirs)]:
        (ma, sa), (mb, sb) = mean_se(a), mean_se(b)
        row.append(f"{what} {ma:.3f}±{sa:.3f} vs {mb:.3f}±{sb:.3f}")
    gaps = [mean_se(ours.curve[k])[0] - mean_se(theirs.curve[k])[0]
            for k in range(compare_agents.BINS) if ours.curve[k] and theirs.curve[k]]
    row.append("offer utility by fifth of the time, detente minus NegMAS: "
               + " ".join(f"{g:+.3f}" for g in gaps))
    lines.append("; ".join(row))
    if kind != "pars-agent":
        return failures, lines
    lines.append(f"ParsAgent, the original's acceptance rule: {departures[0]} departures in "
                 f"detente's {len(ours.mine)} negotiations, {departures[1]} in NegMAS's "
                 f"{len(theirs.mine)}")
    if departures[0]:
        failures.append(f"detente's ParsAgent breaks the original's acceptance rule "
                        f"{departures[0]} times")
    return failures, lines


def run(shared: Path, detente: Detente) -> list:
    """Both checks; prints what they found and returns the failures."""
    failures, count, agreements = compare_replay(shared, detente)
    for f in failures:
        print(f"MISMATCH: {f}")
    print(f"ParsAgent and RandomDance: {count} parties of {len(BILATERAL)} bilateral and "
          f"{len(MULTILATERAL)} three-party domains replayed action by action through the "
          f"GENIUS transcriptions ({agreements} agreements, {len(FAULTS)} ended by the "
          f"original's failure on both sides; {len(failures)} mismatches)")
    for agent, paths in PATHS.items():
        print(f"{agent} turns replayed, by way of choosing: "
              + ", ".join(f"{k} {n}" for k, n in paths.items()))
    f2, lines = compare_distributions(shared, detente)
    for line in lines:
        print(f"distribution: {line}")
    for f in f2:
        print(f"RULE: {f}")
    return failures + f2


def main() -> int:
    shared, binary = Path(sys.argv[1]), sys.argv[2]  # (--full may follow)
    return 1 if run(shared, Detente(binary)) else 0


if __name__ == "__main__":
    sys.exit(main())
