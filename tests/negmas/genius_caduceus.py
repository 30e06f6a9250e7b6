#!/usr/bin/env python3
"""Kawaii (ANAC 2015), Caduceus's inner agent and the Caduceus portfolio (ANAC 2016),
transcribed in plain Python from GENIUS 10.4's Java (agents.anac.y2015.fairy.{kawaii, strategy,
bidSearch, negotiatingInfo}; agents.anac.y2016.caduceus.Caduceus and its
agents.Caduceus.{Caduceus, CounterOfferGenerator, NashProductCalculator, UtilFunctions,
sanity.*}), independently of detente's Rust code, and replayed action by action against
detente's negotiations.

    python genius_caduceus.py SHARED_GENIUS_DIR BOA_CHECK_BIN [--distributions]

Every action of the replayed party in detente's trace must be the one the transcription takes
on the same history (the others' actions as heard, the time of each action). Random draws:
the k-th java.util.Random a negotiator creates, in the order the Java creates them, is
new Random(derive_seed(s, k)) with s = derive_seed(negotiation seed, party) (genius_agents.py):
k = 0 is AbstractNegotiationParty.rand (Kawaii's random outcome each turn; unused by the
inner agent; the portfolio's own draw is k = 1), Kawaii's k = 1 is Collections.shuffle's
generator, then one new generator per random search. Portfolio members start with the
portfolio's seed, as GENIUS gives them its random seed.

With --distributions it also compares, over seeds, detente's agents with negmas-genius-agents
0.3.0's Kawaii and Caduceus (which implement other strategies: reported, not held to bars).
"""
from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import tempfile
from decimal import ROUND_CEILING, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from genius_agents import Generators, derive_seed, enumeration_rank, genius_values  # noqa: E402

ROUNDS = 100


def total(xs) -> float:
    """Left-to-right float sum (as Java's loops; Python's sum may compensate)."""
    s = 0.0
    for x in xs:
        s += x
    return s


class Space:
    """One party's view: cardinalities, utilities by detente id (first issue slowest)."""

    def __init__(self, cards, utility, discount, reservation):
        self.cards, self.utility = cards, utility
        self.discount, self.reservation = discount, reservation
        self.n = len(cards)

    def id_of(self, values) -> int:
        i = 0
        for v, c in zip(values, self.cards):
            i = i * c + v
        return i

    def u(self, values) -> float:
        return self.utility[self.id_of(values)]

    def discounted(self, values, t) -> float:
        u = self.u(values)
        return u if self.discount == 1.0 else u * self.discount ** min(max(t, 0.0), 1.0)

    def genius_order(self):
        """Every outcome in GENIUS's BidIterator order (the first issue varies fastest)."""
        return (list(v) for v in genius_values(self.cards))

    def genius_best(self):
        """getMaxUtilityBid: the first outcome of the highest utility in GENIUS's order."""
        top = max(self.utility)
        ids = [i for i, u in enumerate(self.utility) if u == top]
        best = min(ids, key=lambda i: enumeration_rank(i, self.cards))
        return self.values_of(best)

    def values_of(self, i):
        out = []
        for c in reversed(self.cards):
            out.append(i % c)
            i //= c
        return out[::-1]


def java_shuffle(items: list, rnd) -> None:
    """Collections.shuffle(list, rnd)."""
    for i in range(len(items), 1, -1):
        j = rnd.next_int(i)
        items[i - 1], items[j] = items[j], items[i - 1]


# ---------------------------------------------------------------------------------------------
# Kawaii: kawaii.java, strategy.java, bidSearch.java, negotiatingInfo.java.

class Kawaii:
    MIN = 0.8

    def __init__(self, gens: Generators, sp: Space, parties: int):
        self.sp, self.gens, self.parties = sp, gens, parties
        self.rand = gens.next()           # AbstractNegotiationParty.rand
        self.shuffle_rnd = gens.next()    # Collections.shuffle's generator
        self.issues = list(range(sp.n))   # negotiatingInfo.issues, shuffled in place
        self.offered = None
        self.opponents = []
        self.bools = {}                   # opponentsBool
        self.linear = True
        # bidSearch(): initMaxBid, then setValueRelativeUtility(maxBid).
        r = gens.next()                   # getRandomBid(null)'s new Random()
        self.max_bid = [r.next_int(c) for c in sp.cards]
        best = max(sp.utility)
        for _ in range(sp.n):
            while True:
                self.annealing(list(self.max_bid), 1.0)
                u = sp.u(self.max_bid)
                if u >= sp.reservation or u >= best:   # (the Java would loop for ever)
                    break
            if sp.u(self.max_bid) == 1.0:
                break
        top = sp.u(self.max_bid)
        self.relative = []
        for i in range(sp.n):
            row = []
            for v in range(sp.cards[i]):
                o = list(self.max_bid)
                o[i] = v
                row.append(sp.u(o) - top)
            self.relative.append(row)

    def threshold(self, t: float) -> float:
        th = 1.0 - (1.0 - self.MIN) * t ** (1.0 / 0.5)
        accepts = 0
        for p in self.opponents:
            if self.bools and self.bools[p]:
                accepts += 1
        th = th - (th - self.MIN) * accepts / (self.parties - 1)
        self.bools.clear()
        th = th * self.sp.discount ** t
        return max(th, self.MIN)

    def observe(self, party: int, kind: str, outcome) -> None:
        if kind == "end":
            return
        if party not in self.opponents:
            self.opponents.append(party)
        if kind == "accept":
            self.bools[party] = True
        else:
            self.offered = outcome
            self.bools[party] = False

    def act(self, t: float, standing: bool):
        sp = self.sp
        if standing and self.offered is not None:
            if sp.u(self.offered) >= self.threshold(t):
                return ("accept", None)
        if sp.reservation * sp.discount ** t > self.threshold(t):
            return ("end", None)
        base = [self.rand.next_int(c) for c in sp.cards]   # generateRandomBid
        th = self.threshold(t)
        bid = self.appropriate(base, th)
        if sp.u(bid) < th:
            bid = list(self.max_bid)
        return ("offer", bid)

    def appropriate(self, base, th):
        bid = list(base)
        if self.linear:
            bid = self.relative_search(th)
            if self.sp.u(bid) < th:
                self.linear = False
        if not self.linear:
            found = self.annealing(bid, th)
            u = self.sp.u(found)
            if u <= 1.0 and u >= th:
                bid = found
        return bid

    def relative_search(self, th):
        bid = list(self.max_bid)
        d = th - 1.0
        conceded = 0.0
        java_shuffle(self.issues, self.shuffle_rnd)
        for i in self.issues:
            values = list(range(self.sp.cards[i]))
            java_shuffle(values, self.shuffle_rnd)
            for v in values:
                r = self.relative[i][v]
                if d <= conceded + r:
                    bid[i] = v
                    conceded += r
                    break
        return bid

    def annealing(self, base, th):
        sp = self.sp
        rnd = self.gens.next()
        current, cu = list(base), sp.u(base)
        targets, tu = [], 0.0
        temp = 1.0
        while temp > 0.0001:
            nxt = list(current)
            issue = self.issues[rnd.next_int(len(self.issues))]
            nxt[issue] = rnd.next_int(sp.cards[issue])
            nu = sp.u(nxt)
            if nu >= sp.u(self.max_bid):
                self.max_bid = list(nxt)
            new_cost, cost = abs(th - nu), abs(th - cu)
            p = math.exp(-abs(new_cost - cost) / temp)
            if new_cost < cost or p > rnd.next_double():
                current, cu = nxt, nu
            if cu >= th:
                if not targets or cu < tu:
                    targets, tu = [list(current)], cu
                elif cu == tu:
                    targets.append(list(current))
            temp *= 0.999
        if not targets:
            return list(base)
        return targets[rnd.next_int(len(targets))]


# ---------------------------------------------------------------------------------------------
# Caduceus's inner agent: agents/Caduceus/*.java.

def round_value(t: float) -> float:
    """getRoundValue: DecimalFormat("#.###") with CEILING on the double's decimal digits."""
    x = 2 * t ** 2.0 - 101 * t + 100
    return float(Decimal(repr(x)).quantize(Decimal("0.001"), rounding=ROUND_CEILING))


class Sane:
    def __init__(self, weights, values):
        self.w, self.v = list(weights), [list(r) for r in values]

    def normalize(self):
        issue_sum = 0.0
        for i in range(len(self.w)):
            s = total(self.v[i])
            self.v[i] = [x / s if s != 0 else (math.nan if x == 0 else math.copysign(math.inf, x))
                         for x in self.v[i]]
            issue_sum += self.w[i]
        self.w = [w / issue_sum if issue_sum != 0 else math.nan for w in self.w]

    def utility(self, o) -> float:
        u = 0.0
        for i, v in enumerate(o):
            u += self.w[i] * self.v[i][v]
        return u

    def point(self, o):
        p = [self.w[i] * self.v[i][v] for i, v in enumerate(o)]
        s = total(p)
        return [(x / s if s != 0 else math.nan) * 10.0 for x in p]


class CaduceusCore:
    def __init__(self, gens: Generators, sp: Space, linear: dict, names, parties: int):
        self.sp, self.gens = sp, gens
        gens.next()  # AbstractNegotiationParty.rand, never drawn from
        self.mine = Sane(linear["weights"], linear["values"])
        self.names = [[n.lower() for n in row] for row in names]
        self.profiles = {}        # party -> [Sane, previous offer]
        self.previous = None
        self.best = sp.genius_best()
        self.self_rv = max(0.75, sp.reservation)
        self.best_phase = 0.83 * sp.discount

    def observe(self, party: int, kind: str, outcome, t: float) -> None:
        if kind != "offer":
            return
        r = round_value(t)
        if party not in self.profiles:
            zero = Sane([0.0] * self.sp.n, [[0.0] * c for c in self.sp.cards])
            self.profiles[party] = [zero, None]
        sane, last = self.profiles[party]
        for i, v in enumerate(outcome):
            sane.v[i][v] += r
            if last is not None:
                for j, pv in enumerate(last):
                    if self.names[j][pv] == self.names[i][v]:
                        sane.w[i] += r
        self.profiles[party][1] = list(outcome)
        self.previous = list(outcome)

    def nash(self):
        spaces = [self.mine] + [self.profiles[p][0] for p in sorted(self.profiles)]
        product, best, nash = 1.0, 0.0, None
        for o in self.sp.genius_order():
            for s in spaces:
                product *= s.utility(o)
            if product > best:
                best, nash = product, o
            if product == 0.0 or math.isnan(product):
                break
        return nash

    def counter_offer(self, target, t):
        mp, tp = self.mine.point(self.best), self.mine.point(target)
        diff = [b - a for a, b in zip(mp, tp)]
        norm = math.sqrt(diff[-1] * diff[-1])
        with_nan = [d / norm if norm != 0 else (math.nan if d == 0 else math.copysign(math.inf, d))
                    for d in diff]
        conc = [m + u * t for m, u in zip(mp, with_nan)]
        chosen, min_d = None, None
        for o in self.sp.genius_order():
            p = self.mine.point(o)
            sq = 0.0
            for c, x in zip(conc, p):
                sq += (c - x) * (c - x)
            d = math.sqrt(sq)
            if chosen is None:
                chosen, min_d = o, d
                continue
            near = all(not (x - m > 0.1) for x, m in zip(p, mp))
            if not near and d < min_d:
                chosen, min_d = o, d
        return chosen

    def random_bid(self):
        sp = self.sp
        if max(sp.utility) < self.self_rv:
            return list(self.best)
        rnd = self.gens.next()
        while True:
            o = [rnd.next_int(c) for c in sp.cards]
            if sp.u(o) >= self.self_rv:
                return o

    def act(self, t: float, standing: bool):
        sp = self.sp
        if t < self.best_phase:
            return ("offer", list(self.best))
        self.mine.normalize()
        for p in sorted(self.profiles):
            self.profiles[p][0].normalize()
        target = self.nash()
        bid = self.counter_offer(target if target is not None else self.best, t)
        if sp.discounted(bid, t) < self.self_rv:
            bid = self.random_bid()
        previous = sp.discounted(self.previous, t) if self.previous is not None else 0.0
        if standing and previous > sp.discounted(bid, t) + 0.2:
            return ("accept", None)
        return ("offer", bid)


# ---------------------------------------------------------------------------------------------
# The portfolio: agents.anac.y2016.caduceus.Caduceus.

class Portfolio:
    def __init__(self, gens: Generators, sp: Space, members: list):
        self.sp = sp
        gens.next()  # AbstractNegotiationParty.rand
        self.random = gens.next()
        s = total(score for _, score in members)
        self.members = [(m, score / s) for m, score in members]
        self.best = sp.genius_best()
        self.best_phase = 0.83 * sp.discount

    def observe(self, party, kind, outcome, t):
        for m, _ in self.members:
            observe(m, party, kind, outcome, t)

    def act(self, t: float, standing: bool):
        if t < self.best_phase:
            return ("offer", list(self.best))
        accepts = offers = 0.0
        bids = []
        for m, score in self.members:
            kind, o = m.act(t, standing)
            if kind == "accept":
                accepts += score
            elif kind == "offer":
                offers += score
                bids.append((o, score))
        if accepts > offers and standing:
            return ("accept", None)
        if offers > accepts:
            s = total(score for _, score in bids)
            shares = [score / s for _, score in bids]
            pick = self.random.next_double()
            acc = 0.0
            for (o, _), share in zip(bids, shares):
                acc += share
                if pick < acc:
                    return ("offer", o)
            return ("offer", bids[-1][0])
        return ("offer", list(self.best))


def observe(agent, party, kind, outcome, t):
    if isinstance(agent, Kawaii):
        agent.observe(party, kind, outcome)
    else:
        agent.observe(party, kind, outcome, t)


def make(name: str, gens, sp, det, party):
    names = [i["values"] for i in det["issues"]]
    parties = len(det["utilities"])
    if name == "kawaii":
        return Kawaii(gens, sp, parties)
    if name == "caduceus-core":
        return CaduceusCore(gens, sp, det["linear"][party], names, parties)
    if name.startswith("portfolio:"):
        members = []
        for m in name[len("portfolio:"):].split("+"):
            kind, score = m.rsplit("*", 1)
            # Every member starts with the portfolio's seed.
            members.append((make(kind, Generators(gens.seed), sp, det, party), float(score)))
        return Portfolio(gens, sp, members)
    raise ValueError(name)


def replay(name: str, det: dict, party: int, seed: int) -> str | None:
    """Replays party `party` of detente negotiation `det` through the transcription of agent
    `name`; None when every action matches, else the first difference."""
    cards = [len(i["values"]) for i in det["issues"]]
    sp = Space(cards, det["utilities"][party], det["discount"][party],
               det["reservation"][party])
    agent = make(name, Generators(derive_seed(seed, party)), sp, det, party)
    standing = False
    for i, a in enumerate(det["actions"]):
        outcome = sp.values_of(a["outcome"]) if a["outcome"] is not None else None
        if a["party"] != party:
            observe(agent, a["party"], a["kind"], outcome, a["time"])
            standing = standing or a["kind"] == "offer"
            continue
        expected = agent.act(a["time"], standing)
        actual = (a["kind"], outcome if a["kind"] == "offer" else None)
        if actual != expected:
            return f"action {i} (time {a['time']:.4f}): detente {actual}, GENIUS rule {expected}"
        standing = standing or a["kind"] == "offer"
    return None


# ---------------------------------------------------------------------------------------------
# The replays: detente's negotiations (boa_check) through the transcriptions.

DOMAINS = ["FlightBookingA", "BarterC", "FiftyFiftyC", "OutfitA", "NiceOrDieC", "RentalHouseB"]
SEEDS = [0, 1]


def boulware(e: float = 0.2) -> str:
    return f"boa:offer=time-dependent(e={e!r}),model=none,accept=ac-next"


# (label, specs, the parties replayed and the transcription each is replayed with)
LINEUPS = [
    ("kawaii vs boulware", ["kawaii", boulware()], {0: "kawaii"}),
    ("conceder vs kawaii", [boulware(2.0), "kawaii"], {1: "kawaii"}),
    ("caduceus-core vs conceder", ["caduceus-core", boulware(2.0)], {0: "caduceus-core"}),
    ("boulware vs caduceus-core", [boulware(), "caduceus-core"], {1: "caduceus-core"}),
    ("kawaii vs caduceus-core", ["kawaii", "caduceus-core"],
     {0: "kawaii", 1: "caduceus-core"}),
    ("portfolio vs conceder", ["portfolio:kawaii*5+caduceus-core*1", boulware(2.0)],
     {0: "portfolio:kawaii*5+caduceus-core*1"}),
    ("boulware vs portfolio", [boulware(), "portfolio:kawaii*5+caduceus-core*1"],
     {1: "portfolio:kawaii*5+caduceus-core*1"}),
]


# Three parties: a shared domain with its first profile twice (a copy as the third party).
THREE_PARTY_DOMAINS = ["FlightBookingA", "BarterC", "OutfitA"]
THREE_PARTY_LINEUPS = [
    ("kawaii, boulware, conceder", ["kawaii", boulware(), boulware(2.0)], {0: "kawaii"}),
    ("conceder, kawaii, caduceus-core", [boulware(2.0), "kawaii", "caduceus-core"],
     {1: "kawaii", 2: "caduceus-core"}),
    ("portfolio, boulware, kawaii",
     ["portfolio:kawaii*5+caduceus-core*1", boulware(), "kawaii"],
     {0: "portfolio:kawaii*5+caduceus-core*1", 2: "kawaii"}),
]


def three_party_domain(shared: Path, domain: str, into: Path) -> Path:
    folder = into / domain
    folder.mkdir()
    for f in (shared / domain).iterdir():
        shutil.copy(f, folder / f.name)
    first = next(f for f in sorted(folder.iterdir()) if "prof1" in f.name)
    shutil.copy(first, folder / first.name.replace("prof1", "prof3"))
    return folder


def run_detente(binary: str, jobs: list) -> list:
    """detente's side: boa_check (compare_boa.py's runner, without importing NegMAS)."""
    out = subprocess.run([binary], input=json.dumps(jobs), capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def replays(shared: Path, binary: str) -> tuple[list, dict]:
    jobs, meta = [], []
    scratch = Path(tempfile.mkdtemp(prefix="genius_caduceus_"))
    folders = [(d, shared / d, LINEUPS) for d in DOMAINS] + [
        (f"{d} (three parties)", three_party_domain(shared, d, scratch), THREE_PARTY_LINEUPS)
        for d in THREE_PARTY_DOMAINS]
    for domain, folder, lineups in folders:
        for label, specs, replayed in lineups:
            for seed in SEEDS:
                jobs.append({"negotiate": {"domain": str(folder), "rounds": ROUNDS,
                                           "specs": specs, "time": "per-round",
                                           "seed": seed}})
                meta.append((domain, label, replayed, seed))
    failures, stats = [], {"negotiations": 0, "actions": 0, "agreements": 0, "accepts": 0}
    results = run_detente(binary, jobs)
    shutil.rmtree(scratch)
    for det, (domain, label, replayed, seed) in zip(results, meta):
        stats["negotiations"] += 1
        stats["agreements"] += det["agreement"] is not None
        for party, name in replayed.items():
            mine = [a for a in det["actions"] if a["party"] == party]
            stats["actions"] += len(mine)
            stats["accepts"] += sum(a["kind"] == "accept" for a in mine)
            problem = replay(name, det, party, seed)
            if problem:
                failures.append(f"{domain}, {label}, seed {seed}, party {party}: {problem}")
    return failures, stats


# ---------------------------------------------------------------------------------------------
# Against negmas-genius-agents 0.3.0 (--distributions): its Kawaii and Caduceus are other
# strategies (a Boulware-like target from 0.3 on; five threshold "sub-strategies" voting), so
# both sides are randomised and differ by design: distributions are reported, and the GENIUS
# rules are checked on detente's traces (compare_agents.py's machinery and bars).

PORTFOLIO = "portfolio:kawaii*5+atlas3*3+caduceus-core*1"


def kawaii_rules(det: dict, df: float) -> list:
    """Bilaterally the opponent's accept ends the talks, so Kawaii's offers see no accepts:
    each offer and each accept is worth at least max(0.8, (1 - 0.2 t^2) df^t)."""
    u, df, problems = det["utilities"][0], det["discount"][0], []
    standing = None
    for a in det["actions"]:
        if a["party"] == 1:
            standing = a["outcome"] if a["kind"] == "offer" else standing
            continue
        bar = max(0.8, (1.0 - 0.2 * a["time"] ** 2.0) * df ** a["time"])
        x = u[a["outcome"]] if a["kind"] == "offer" else u[standing] if standing is not None else 1
        if x < bar - 1e-12:
            problems.append(f"Kawaii {a['kind']}s {x:.6f} below {bar:.6f} at {a['time']:.4f}")
    return problems


def best_phase_rules(label: str, floor: bool):
    """Before 0.83 df the agent offers its best outcome; after it, the inner agent's offers
    are worth at least max(0.75, rv) (`floor`)."""
    def check(det: dict, df: float) -> list:
        u, df, rv = det["utilities"][0], det["discount"][0], det["reservation"][0]
        top, problems = max(u), []
        for a in det["actions"]:
            if a["party"] != 0 or a["kind"] != "offer":
                continue
            x, t = u[a["outcome"]], a["time"]
            if t < 0.83 * df and x != top:
                problems.append(f"{label} offers {x:.6f}, not its best, at {t:.4f}")
            if floor and t >= 0.83 * df and x < max(0.75, rv) and max(u) >= max(0.75, rv):
                problems.append(f"{label} offers {x:.6f} below max(0.75, rv) at {t:.4f}")
        return problems
    return check


def distributions(shared: Path, binary: str) -> int:
    import compare_agents as ca
    import negmas_genius_agents as nga
    from compare_boa import Detente
    plain = ca.negmas_agent

    def negmas_agent(kind, variant):
        if kind == "kawaii":
            return lambda name: (nga.Kawaii(name=name), None)
        if kind in ("caduceus-core", "caduceus"):
            return lambda name: (nga.Caduceus(name=name), None)
        return plain(kind, variant)

    ca.negmas_agent = negmas_agent
    ca.RANDOMISED[:] = [("kawaii", lambda v: "kawaii", [None]),
                        ("caduceus-core", lambda v: "caduceus-core", [None]),
                        ("caduceus", lambda v: PORTFOLIO, [None])]
    ca.RULES.update({"kawaii": kawaii_rules,
                     "caduceus-core": best_phase_rules("caduceus-core", True),
                     "caduceus": best_phase_rules("Caduceus", False)})
    ca.OTHER_STRATEGY |= {"kawaii", "caduceus-core", "caduceus"}
    failures, lines = ca.compare_distributions(shared, Detente(binary))
    for line in lines:
        print(f"distribution: {line}")
    for f in failures:
        print(f"RULE VIOLATED: {f}")
    print(f"Kawaii and Caduceus against negmas-genius-agents: {len(lines)} agents over "
          f"{ca.SEEDS} seeds on {len(ca.DIST_DOMAINS)} domains ({len(failures)} rule violations)")
    return 1 if failures else 0


def main() -> int:
    shared, binary = Path(sys.argv[1]), sys.argv[2]
    missing = [d for d in DOMAINS if not (shared / d).is_dir()]
    if missing:
        print(f"missing shared domains: {missing}", file=sys.stderr)
        return 2
    failures, stats = replays(shared, binary)
    for f in failures:
        print(f"MISMATCH: {f}")
    print(f"Kawaii, Caduceus's inner agent and the portfolio: {stats['negotiations']} "
          f"negotiations on {len(DOMAINS)} domains (and {len(THREE_PARTY_DOMAINS)} of them with "
          f"three parties) replayed through the GENIUS rules, "
          f"{stats['actions']} actions ({stats['accepts']} accepts; {stats['agreements']} "
          f"agreements), {len(failures)} mismatches")
    code = 1 if failures else 0
    if "--distributions" in sys.argv:
        code |= distributions(shared, binary)
    return code


if __name__ == "__main__":
    sys.exit(main())
