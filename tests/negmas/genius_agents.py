"""The GENIUS rules of the ported ANAC agents, transcribed in plain Python from GENIUS 10.4's
Java (negotiator.boaframework.offeringstrategy.anac2010/anac2011, acceptanceconditions,
sharedagentstate), independently of detente's Rust code, drawing from java.util.Random as the
Java agents do. compare_boa.py replays each detente negotiation of these agents through them,
turn by turn, and checks that every action is the one the GENIUS rule takes.

Seeding: the k-th generator a detente negotiator creates (in the order GENIUS's components
create theirs) is new Random(derive_seed(s, k)), s being the negotiator's seed,
derive_seed(negotiation seed, party).
"""
from __future__ import annotations

import math

MASK64 = (1 << 64) - 1


def derive_seed(seed: int, stream: int) -> int:
    """detente_core::protocol::derive_seed (SplitMix64 finaliser)."""
    z = seed ^ (((stream + 1) * 0x9E3779B97F4A7C15) & MASK64)
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


class JavaRandom:
    """java.util.Random (its documented 48-bit linear congruential generator)."""

    def __init__(self, seed: int):
        self.state = (seed ^ 0x5DEECE66D) & ((1 << 48) - 1)

    def _next(self, bits: int) -> int:
        self.state = (self.state * 0x5DEECE66D + 0xB) & ((1 << 48) - 1)
        r = self.state >> (48 - bits)
        return r - (1 << 32) if r >= (1 << 31) else r  # as a Java int

    def next_int(self, bound: int) -> int:
        if bound & -bound == bound:
            return (bound * self._next(31)) >> 31
        while True:
            bits = self._next(31)
            val = bits % bound
            if bits - val + (bound - 1) < (1 << 31):
                return val

    def next_double(self) -> float:
        return ((self._next(26) << 27) + self._next(27)) * (1.0 / (1 << 53))


class Generators:
    """The generators of one negotiator, in creation order."""

    def __init__(self, seed: int):
        self.seed, self.made = seed, 0

    def next(self) -> JavaRandom:
        r = JavaRandom(derive_seed(self.seed, self.made))
        self.made += 1
        return r


class Turn:
    """What an agent sees on its turn: time, its own bids (ids), the bids received
    ((id, utility) in order), its utilities by outcome id, the issue cardinalities."""

    def __init__(self, time, sent, received, utility, cards, discount):
        self.time, self.sent, self.received = time, sent, received
        self.utility, self.cards, self.discount = utility, cards, discount


# ---------------------------------------------------------------------------------------------
# AgentK, AgentK2: AgentK_Offering / AgentK2_Offering, AgentKSAS / AgentK2SAS, AC_AgentK(2).

class AgentKSAS:
    def __init__(self, k2: bool, rng: JavaRandom):
        self.k2, self.rng = k2, rng
        self.sum = self.sum2 = 0.0
        self.rounds = 0
        self.target = self.bid_target = 1.0
        self.tremor = 2.0
        self.p = 0.0
        self.offered = {}  # in first-offered order (Python dicts keep insertion order)

    def calculate(self, turn: Turn) -> float:
        bid, offered = turn.received[-1]
        self.offered.setdefault(bid, offered)
        self.sum += offered
        self.sum2 += offered * offered
        self.rounds += 1
        mean = self.sum / self.rounds
        variance = self.sum2 / self.rounds - mean * mean
        deviation = math.sqrt(variance * 12) if variance * 12 >= 0 else float("nan")
        if math.isnan(deviation):
            deviation = 0.0
        time = turn.time
        t = time * time * time
        offered = min(offered, 1.0)
        emax = mean + (1 - mean) * deviation
        alpha = 1 + self.tremor + 10 * mean - 2 * self.tremor * mean
        beta = alpha + self.rng.next_double() * self.tremor - self.tremor / 2
        pre = 1 - time ** alpha * (1 - emax)
        pre2 = 1 - time ** beta * (1 - emax)

        def ratio(x):
            r = (deviation + 0.1) / (1 - x) if x != 1 else (math.inf if deviation + 0.1 > 0 else math.nan)
            return 2.0 if math.isnan(r) or r > 2.0 else r
        r1, r2 = ratio(pre), ratio(pre2)
        m = t * -300 + 400

        def approach(x):
            if x > emax:
                r = x - emax
                f = 1 / (r * r)
                if f > m or math.isnan(f):
                    f = m
                return x - r * f / m
            return emax
        self.target = approach(r1 * pre + 1 - r1)
        self.bid_target = approach(r2 * pre2 + 1 - r2)
        if self.k2:
            d = turn.discount
            discounted = offered * d ** time if 0 < d < 1 else offered
            scale = discounted / offered if offered != 0 else math.nan
            if not math.isnan(discounted) and not math.isnan(scale):
                self.target *= scale
                self.bid_target *= scale
        self.p = time ** alpha / 5 + (offered - emax) + (offered - self.target)
        if self.p < 0.1:
            self.p = 0.0
        return self.p


class AgentK:
    """AgentK or AgentK2 without an opponent model, with its own acceptance condition."""

    def __init__(self, k2: bool, gens: Generators):
        # Offering: the shared state's generator, random200, random300; then the acceptance
        # condition's random100 and the generator of the state it would keep on its own.
        self.sas = AgentKSAS(k2, gens.next())
        self.r200, self.r300 = gens.next(), gens.next()
        self.r100 = gens.next()
        gens.next()

    def bid(self, turn: Turn) -> int:
        if turn.received:
            self.sas.calculate(turn)
        above = [b for b, u in self.sas.offered.items() if u > self.sas.target]
        if above:
            return above[math.floor(self.r200.next_double() * len(above))]
        if self.sas.bid_target <= 0:
            return turn.sent[-1]
        loops = 0
        while True:
            if loops > 500:
                self.sas.bid_target -= 0.01
                loops = 0
            bid = 0
            for c in turn.cards:
                bid = bid * c + self.r300.next_int(c)
            loops += 1
            if turn.utility[bid] >= self.sas.bid_target:
                return bid

    def accepts(self, turn: Turn, offered: int, next_bid: int) -> bool:
        return self.sas.p > self.r100.next_double()


# ---------------------------------------------------------------------------------------------
# HardHeaded: HardHeaded_Offering with hardheaded.BidSelector and HardHeadedSAS, AC_HardHeaded.

class TreeMap:
    """The few operations of java.util.TreeMap<Double, Bid> HardHeaded uses."""

    def __init__(self):
        self.map = {}

    def put(self, key, value):
        self.map[key] = value

    def remove(self, key):
        self.map.pop(key, None)

    def keys(self):
        return sorted(self.map)

    def lower(self, key):
        below = [k for k in self.map if k < key]
        return (max(below), self.map[max(below)]) if below else None

    def last(self):
        k = max(self.map)
        return k, self.map[k]


class SortedKeys:
    """The bid list, sorted once, for fast lower-entry queries."""

    def __init__(self, tree: TreeMap):
        self.keys = tree.keys()
        self.ids = [tree.map[k] for k in self.keys]

    def lower(self, key):
        import bisect
        i = bisect.bisect_left(self.keys, key) - 1
        return (self.keys[i], self.ids[i]) if i >= 0 else None


def bid_selector(cards, utility):
    strides = [1] * len(cards)
    for i in range(len(cards) - 2, -1, -1):
        strides[i] = strides[i + 1] * cards[i + 1]
    tree = TreeMap()
    tree.put(utility[0], 0)
    for issue, card in enumerate(cards):
        nxt = TreeMap()
        d = -0.00000001
        for key in tree.keys():
            base = tree.map[key]
            for v in range(card):
                bid = base + v * strides[issue]
                nxt.put(utility[bid] + d, bid)
                d = d - 0.00000001
        tree = nxt
    return tree


class HardHeaded:
    """HardHeaded without an opponent model, with its own acceptance condition."""

    def __init__(self, gens: Generators, cards, utility, discount):
        self.ka, self.e, self.min_util = 0.05, 0.05, 0.585
        tree = bid_selector(cards, utility)
        self.key_of = {v: k for k, v in tree.map.items()}
        self.list = SortedKeys(tree)
        self.max_util = utility[self.list.ids[-1]]
        self.discount = discount if 0 < discount <= 1 else 1.0
        self.r100 = gens.next()
        gens.next()  # random200
        self.queue, self.first, self.best, self.best_entry = [], True, None, None
        self.sent = []  # (key, id) of its own bids
        self.lowest_yet = 1.0
        self.next_key = None
        self.prev, self.lowest = 1.0, 1.0  # AC_HardHeaded

    def p(self, t):
        ka, e, mn, mx, step = self.ka, self.e, self.min_util, self.max_util, self.discount
        if step >= 0.9:
            fa = ka + (1 - ka) * (t / step) ** (1 / e)
            return mn + (1 - fa) * (mx - mn)
        if t <= step:
            fa = ka + (1 - ka) * (t / step) ** (1 / (e / step))
            low = mn + abs(mx - mn) * step
            return low + (1 - fa) * (mx - low)
        fa = ka + (1 - ka) * ((t - step) / (1 - step)) ** (1 / 30)
        high = mn + abs(mx - mn) * step
        return mn + (1 - fa) * (high - mn)

    def bid(self, turn: Turn) -> int:
        if self.next_key is not None and turn.sent and turn.sent[-1] == self.next_key[1]:
            self.sent.append(self.next_key)
        p = self.p(turn.time)
        if turn.received:
            last = turn.received[-1][0]
            if self.best is None or turn.utility[last] > turn.utility[self.best]:
                self.best = last
            if self.best in self.key_of:
                self.best_entry = (self.key_of[self.best], self.best)
        if self.first:
            self.first = False
            self.queue.append((self.list.keys[-1], self.list.ids[-1]))
        elif not self.queue:
            group = TreeMap()
            potential = self.list.lower(self.sent[-1][0]) or (self.list.keys[0], self.list.ids[0])
            group.put(*potential)
            if potential[0] < p:
                k = math.floor(len(self.sent) * self.r100.next_double())
                group.remove(potential[0])
                group.put(*self.sent[k])
            add = self.list.lower(potential[0])
            while add is not None and potential[0] - add[0] < 0.01 and add[0] >= p:
                group.put(*add)
                add = self.list.lower(add[0])
            if len(group.map) <= 4:
                self.queue.extend((k, group.map[k]) for k in group.keys())
            else:
                for _ in range(5):
                    best = group.last()
                    self.queue.append(best)
                    group.remove(best[0])
            if self.best_entry is not None and self.queue[0][0] < self.best_entry[0]:
                self.queue.insert(0, self.best_entry)
        offer = self.queue.pop(0)
        if offer[0] < self.lowest_yet:
            self.lowest_yet = turn.utility[offer[1]]
        self.next_key = offer
        return offer[1]

    def accepts(self, turn: Turn, offered: int, next_bid: int) -> bool:
        if self.lowest != self.prev:
            self.prev = self.lowest
        self.lowest = self.lowest_yet
        u = turn.utility[offered]
        return u > self.prev or self.next_key[0] <= u


AGENTS = {
    "agent-k": lambda gens, cards, utility, discount: AgentK(False, gens),
    "agent-k2": lambda gens, cards, utility, discount: AgentK(True, gens),
    "hardheaded(model=none)": lambda gens, cards, utility, discount: HardHeaded(
        gens, cards, utility, discount),
}


def replay(name: str, det: dict, party: int, seed: int, cards) -> str | None:
    """Replays party `party` of detente negotiation `det` through the GENIUS rule of agent
    `name`; None when every action matches, else a description of the first difference."""
    utility = det["utilities"][party]
    agent = AGENTS[name](Generators(derive_seed(seed, party)), cards, utility,
                         det["discount"][party])
    sent, received, standing = [], [], None
    for i, a in enumerate(det["actions"]):
        if a["party"] != party:
            if a["kind"] == "offer":
                received.append((a["outcome"], utility[a["outcome"]]))
                standing = a["outcome"]
            continue
        turn = Turn(a["time"], sent, received, utility, cards, det["discount"][party])
        bid = agent.bid(turn)
        expected = ("offer", bid)
        if standing is not None and agent.accepts(turn, standing, bid):
            expected = ("accept", standing)
        actual = (a["kind"], a["outcome"] if a["kind"] == "offer" else standing)
        if actual != expected:
            return f"action {i}: detente {actual}, GENIUS rule {expected}"
        if a["kind"] == "offer":
            sent.append(a["outcome"])
    return None
