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
    ((id, utility) in order) and when they were received, its utilities by outcome id, the
    issue cardinalities, its discount factor and reservation value."""

    def __init__(self, time, sent, received, utility, cards, discount, times=(), reservation=0.0):
        self.time, self.sent, self.received = time, sent, received
        self.utility, self.cards, self.discount = utility, cards, discount
        self.times, self.reservation = times, reservation


def values_of(bid, cards):
    """An outcome id's values (detente's ids: the first issue varies slowest)."""
    out = []
    for c in reversed(cards):
        out.append(bid % c)
        bid //= c
    return out[::-1]


def genius_values(cards):
    """Every outcome's values (a tuple per outcome) in GENIUS's BidIterator order: the first
    issue varies fastest."""
    values = [0] * len(cards)
    while True:
        yield tuple(values)
        i = 0
        while True:
            if i == len(cards):
                return
            values[i] += 1
            if values[i] < cards[i]:
                break
            values[i] = 0
            i += 1


def enumeration_rank(bid, cards):
    """An outcome's place in GENIUS's BidIterator (the first issue varies fastest)."""
    place = 0
    for v, c in reversed(list(zip(values_of(bid, cards), cards))):
        place = place * c + v
    return place


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
    """HardHeaded, without an opponent model or with one (its group of bids then queued five
    at a time by BestBid: the highest estimate, the lowest key among equals, each removed from
    the group once queued, as the original agent KLH does), with its own acceptance
    condition."""

    def __init__(self, gens: Generators, cards, utility, discount, model=None):
        self.cards = cards
        self.model = model(cards) if model else None
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
                    best = group.last() if self.model is None else self.best_rated(group)
                    self.queue.append(best)
                    group.remove(best[0])
            if self.best_entry is not None and self.queue[0][0] < self.best_entry[0]:
                self.queue.insert(0, self.best_entry)
        offer = self.queue.pop(0)
        if offer[0] < self.lowest_yet:
            self.lowest_yet = turn.utility[offer[1]]
        self.next_key = offer
        return offer[1]

    def observe(self, bid):
        if self.model is not None:
            self.model.update(values_of(bid, self.cards))

    def best_rated(self, group):
        est = self.model.estimator()
        best, best_e = None, None
        for k in group.keys():
            e = est(values_of(group.map[k], self.cards))
            if best is None or e > best_e:
                best, best_e = (k, group.map[k]), e
        if best_e <= 0.0001:
            raise RuntimeError("BestBid would draw at random (not replayable)")
        return best

    def accepts(self, turn: Turn, offered: int, next_bid: int) -> bool:
        if self.lowest != self.prev:
            self.prev = self.lowest
        self.lowest = self.lowest_yet
        u = turn.utility[offered]
        return u > self.prev or self.next_key[0] <= u


# ---------------------------------------------------------------------------------------------
# Nice Tit for Tat: NiceTitForTat_Offering with NiceTitForTatSAS, BestBid, AC_NiceTitForTat.

def pareto_frontier(points):
    """genius.core.analysis.ParetoFrontier: mergeIntoFrontier point by point, then sorted by
    own utility (stable)."""
    def dominated(a, b):  # a strictly dominated by b
        return b[0] >= a[0] and b[1] >= a[1] and (b[0] > a[0] or b[1] > a[1])
    frontier = []
    for p in points:
        placed = False
        for f in frontier:
            if dominated(p, f):
                placed = True
                break
            if dominated(f, p):
                frontier = [g for g in frontier if not dominated(g, p)] + [p]
                placed = True
                break
        if not placed:
            frontier.append(p)
    frontier.sort(key=lambda q: q[0])
    return frontier


def pareto_nash(points, reservation):
    """genius.core.analysis.BidSpace.getNash over (own utility, model utility) points: the
    first on the frontier of largest product (u - reservation) * v above -1 (the model
    space's reservation is 0)."""
    best, maxp = None, -1.0
    for q in pareto_frontier(points):
        prod = (q[0] - reservation) * q[1]
        if prod > maxp:
            best, maxp = q, prod
    return best


class NiceTitForTat:
    """Nice Tit for Tat with an opponent model (BestBid), with its own acceptance condition."""

    def __init__(self, gens: Generators, cards, utility, discount, model):
        gens.next()  # random100 (used only in GENIUS's equivalence test mode)
        self.cards, self.utility, self.model = cards, utility, model(cards) if model else None
        self.size = len(utility)
        self.order = sorted(range(self.size), key=lambda b: enumeration_rank(b, cards))
        self.values = [values_of(b, cards) for b in range(self.size)]
        self.nash, self.initial_gap = 0.0, 0.0

    def observe(self, bid):
        if self.model is not None:
            self.model.update(self.values[bid])

    def first_bids_min(self, turn):
        first = [u for (b, u), t in zip(turn.received, turn.times)
                 if 0 < u <= 1 and 0 < t <= 0.01]
        return min(first) if first else turn.received[0][1]

    def bid(self, turn: Turn) -> int:
        u = turn.utility
        if not turn.sent:
            top = max(u)
            return min(b for b in range(self.size) if u[b] == top)
        if self.model is not None:
            est = self.model.estimator()
            nash = 0.7
            if self.size < 200000:
                point = pareto_nash([(u[b], est(self.values[b])) for b in range(self.size)],
                                    turn.reservation)
                if point is not None:
                    nash = point[0]
            nash *= max(0.0, 1.4 - 0.6 * self.initial_gap)
            self.nash = min(1.0, max(0.5, nash))
        best = None
        for b, x in turn.received:
            if best is None or x >= u[best]:
                best = b
        first_min = self.first_bids_min(turn)
        concession = u[best] - first_min
        denom = self.nash - first_min
        factor = concession / denom if denom != 0 else (
            math.nan if concession == 0 else math.copysign(math.inf, concession) * math.copysign(1, denom))
        if not math.isnan(factor):
            factor = min(1.0, factor)
        target = 1 - factor * (1 - self.nash)
        self.initial_gap = 1 - first_min
        gap = max(0.0, target - self.nash) if not math.isnan(target) else math.nan
        d = turn.discount if 0 < turn.discount < 1 else 1.0
        min_time = 0.85 if self.size > 3000 else 0.91
        time_bonus = min(1.0, 20 * (turn.time - min_time)) if turn.time > min_time else 0.0
        bonus = min(1.0, max(0.0, max(0.5 - 0.4 * d, time_bonus)))
        target -= bonus * gap
        bids = self.bids_of_utility(turn, target)
        if self.model is None:
            top = bids[0]
            for b in bids:
                if u[b] > u[top]:
                    top = b
            return top
        if len(bids) == 1:
            planned = bids[0]
        else:
            est = self.model.estimator()
            planned, best_e, all_zero = bids[0], -1.0, True
            for b in bids:
                e = est(self.values[b])
                if e > 0.0001:
                    all_zero = False
                if e > best_e:
                    planned, best_e = b, e
            if all_zero:
                raise RuntimeError("BestBid would draw at random (not replayable)")
        disc = d ** turn.time if 0 < turn.discount < 1 else 1.0
        return best if u[best] * disc >= u[planned] * disc else planned

    def bids_of_utility(self, turn, target):
        u = turn.utility
        if target > 1:
            target = 1
        lo, hi = target * 0.98, target + 0.04
        while True:
            hi += 0.01
            bids = [b for b in self.order if lo <= u[b] <= hi]
            if self.size > 10000:
                bids = bids[:2]
            if len(bids) > 1 or (hi >= 1 and bids):
                return bids
            if not hi <= 1:
                top = max(u)
                return [min(b for b in range(self.size) if u[b] == top)]

    def accepts(self, turn: Turn, offered: int, next_bid: int) -> bool:
        u, now = turn.utility, turn.time
        left = 1 - now
        mine = u[offered]
        recent = [x for (b, x), t in zip(turn.received, turn.times) if now - left < t <= now]
        ok = mine >= u[next_bid]
        if not ok and now >= 0.98:
            if len([x for x in recent if 0 < x <= 1]) <= (40 if self.size > 10000 else 10):
                better = [x for x in recent if mine < x <= 1]
                n = len(better)
                p = left / left if left != 0 else math.nan
                if p > 1:
                    p = 1
                miss = 1.0 if n == 0 else (1 - p) ** n
                avg = sum(better) / n if n else 0.0
                ok = mine > (1 - miss) * avg
        if not ok:
            return False
        expected = len([x for x in recent if 0 < x <= 1.1])
        best = max(x for _, x in turn.received)
        return not (expected > 1 and best > mine)


# ---------------------------------------------------------------------------------------------
# IAMhaggler2011: IAMhaggler2011_Offering with gp4j's GaussianProcessRegressionBMC (Matern3 +
# noise covariance, BasicPriors), iamhaggler2011.RandomBidCreator, AC_IAMHaggler2011. The
# linear algebra is numpy's (LU solves where Jama's Matrix.solve uses LU), the error function
# scipy's (commons-math's in GENIUS, libm's in detente).

def _linspace(lo, hi, n):
    """gp4j ArrayUtils.linspace (by repeated addition)."""
    out = [lo] * n
    inc = (hi - lo) / (n - 1)
    for i in range(1, n - 1):
        out[i] = out[i - 1] + inc
    out[-1] = hi
    return out


def _prior(count, mean, sd):
    """BasicPrior: its log samples and kernel width."""
    log_mean = math.log(mean)
    samples = [log_mean] if count == 1 else _linspace(log_mean - 2 * sd, log_mean + 2 * sd, count)
    width = 0.25 if count == 1 else 0.25 * (max(samples) - min(samples)) / (count - 1)
    return samples, width, log_mean, sd


def _ksinv_ns_ksinv(prior):
    import numpy as np
    samples, width, mean, sd = prior
    s = np.array(samples)
    ks = np.exp(-((s[:, None] - s[None, :]) / width) ** 2 / 2) / (math.sqrt(2 * math.pi) * width)
    var = sd * sd
    lam = var + width * width
    prec_x = lam - var * var / lam
    prec_y = 1 / (var - lam * lam / var)
    c = 1 / math.sqrt((2 * math.pi) ** 2 * lam * prec_x)
    dx, dy = s[:, None] - mean, s[None, :] - mean
    ns = c * np.exp(-0.5 / prec_x * (dx * dx + dy * dy) - prec_y * dx * dy)
    inv = np.linalg.inv(ks)
    return inv @ ns @ inv


class IAMhagglerGP:
    """GaussianProcessRegressionBMC with IAMhaggler2011's priors."""

    def __init__(self):
        import numpy as np
        priors = [_prior(11, 0.252, 0.5), _prior(11, 0.166, 0.5), _prior(1, 0.01, 1.0)]
        self.hypers = [(a, b, c) for a in priors[0][0] for b in priors[1][0] for c in priors[2][0]]
        m = np.ones((1, 1))
        for p in priors:
            m = np.kron(m, _ksinv_ns_ksinv(p))
        self.bmc = m

    @staticmethod
    def _matern(h, a, b):
        import numpy as np
        ell, sf2 = math.exp(h[0]), math.exp(2 * h[1])
        r = np.sqrt(3 * (a[:, None] / ell - b[None, :] / ell) ** 2)
        return sf2 * np.exp(-r) * (1 + r)

    def predict(self, x, y, test):
        import numpy as np
        x, y, test = np.array(x), np.array(y), np.array(test)
        lls, means, variances = [], [], []
        for h in self.hypers:
            noise = math.exp(2 * h[2])
            k = self._matern(h, x, x) + noise * np.eye(len(x))
            L = np.linalg.cholesky(k)
            alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
            ll = (-0.5 * float(y @ alpha) - 0.5 * float(np.sum(2 * np.log(np.diag(L))))
                  - 0.5 * len(x) * math.log(2 * math.pi))
            ks = self._matern(h, x, test)
            v = np.linalg.solve(L, ks)
            lls.append(ll)
            means.append(ks.T @ alpha)
            variances.append(math.exp(2 * h[1]) + noise - np.sum(v * v, axis=0))
        lls = np.array(lls)
        r = np.exp(lls - lls.max())
        num = self.bmc @ r
        w = num / num.sum()
        mean = sum(wi * m for wi, m in zip(w, means))
        var = sum(wi * (v + m * m) for wi, m, v in zip(w, means, variances)) - mean * mean
        return mean, var


_GP = None


class IAMhaggler2011:
    """IAMhaggler2011 without an opponent model, with its own acceptance condition."""

    def __init__(self, gens: Generators, cards, utility, discount):
        global _GP
        if _GP is None:
            _GP = IAMhagglerGP()
        self.gp = _GP
        self.rng = gens.next()  # RandomBidCreator's
        d = discount if discount != 0 else 1.0
        self.levels = [1.0 - (i + 0.5) / 101.0 for i in range(100)]
        self.times = [i / 100.0 for i in range(101)]
        self.gain = [[(u ** 3.0 - 0.0 ** 3.0) / (1.0 ** 3.0 - 0.0 ** 3.0) * d ** t
                      for t in self.times] for u in self.levels]
        self.slot_times, self.slot_max_list = [], []
        self.slot_max, self.last_slot = 0.0, -1
        self.means = self.variances = None
        self.last_u, self.last_t = 1.0, 0.0
        self.max_u, self.best, self.prev_target = 0.0, None, 1.0

    def target(self, offered, time):
        slot = math.floor(time * 36)
        update = self.last_slot == -1
        if slot != self.last_slot:
            if self.last_slot != -1:
                self.slot_times.append((self.last_slot + 0.5) / 36.0)
                self.slot_max_list.append(self.slot_max)
                update = True
            self.last_slot, self.slot_max = slot, 0.0
        self.slot_max = max(self.slot_max, offered)
        if slot == 0:
            return 1.0 - time / 2.0
        if update:
            icpt = self.slot_max_list[0]
            grad = 0.9 - icpt
            y = [u - (icpt + grad * t) for u, t in zip(self.slot_max_list, self.slot_times)]
            # Only the times after now are ever read: predicted there alone.
            future = [t for t in self.times if t > time]
            mean, var = self.gp.predict(self.slot_times, y, future)
            pad = [math.nan] * (101 - len(future))
            self.means = pad + [m + (icpt + grad * t) for m, t in zip(mean, future)]
            self.variances = pad + list(var)
        start = next((i for i, t in enumerate(self.times) if t > time), len(self.times))
        iv = 1.0 / 100
        import numpy as np
        from scipy.special import erf
        levels = np.array(self.levels)

        def above(u, m, s):
            x = (u - m) / s
            e = np.clip(np.where(x > 6, 1.0, np.where(x < -6, -1.0, erf(x))), -1.0, 1.0)
            return 1.0 - 0.5 * (1 + e)
        best_col, best_sum, cum = 0, 0.0, None
        for x, k in enumerate(range(start, 101)):
            s, m = math.sqrt(2 * self.variances[k]), self.means[k]
            lo = above(self.levels[0] + iv / 2.0, m, s)
            hi = above(self.levels[-1] - iv / 2.0, m, s)
            gain = np.array([g[k] for g in self.gain])
            prob = (above(levels - iv / 2.0, m, s) - above(levels + iv / 2.0, m, s)) / (hi - lo) * gain
            total = 0.0
            for v in prob.tolist():
                total += v
            if total >= best_sum:
                best_col, best_sum = x, total
                cum = ((above(levels, m, s) - lo) / (hi - lo) * gain).tolist()
        if cum is None:
            k = start
            s, m = math.sqrt(2 * self.variances[k]), self.means[k]
            lo = above(self.levels[0] + iv / 2.0, m, s)
            hi = above(self.levels[-1] - iv / 2.0, m, s)
            gain = np.array([g[k] for g in self.gain])
            cum = ((above(levels, m, s) - lo) / (hi - lo) * gain).tolist()
        best_row, best_val = 0, 0.0
        for j, v in enumerate(cum):
            if v > best_val:
                best_row, best_val = j, v
        bt, bu = self.times[best_col + start], self.levels[best_row]
        t = self.last_u + ((time - self.last_t) * (bu - self.last_u) / (bt - self.last_t))
        self.last_u, self.last_t = t, time
        return t

    def random_bid(self, turn, lo, hi):
        i = 0
        while True:
            if hi >= 1:
                break
            bid = 0
            for c in turn.cards:
                bid = bid * c + self.rng.next_int(c)
            if lo <= turn.utility[bid] <= hi:
                return bid
            i += 1
            if i == 500:
                hi += 0.01
                i = 0
        i = 0
        while True:
            bid = 0
            for c in turn.cards:
                bid = bid * c + self.rng.next_int(c)
            if turn.utility[bid] >= lo:
                return bid
            i += 1
            if i == 500:
                lo -= 0.01
                i = 0

    def bid(self, turn: Turn) -> int:
        u = turn.utility
        if not turn.sent:
            top = max(u)
            return min(b for b in range(len(u)) if u[b] == top)
        last, offered = turn.received[-1]
        if offered > self.max_u:
            self.best, self.max_u = last, offered
        target = self.target(offered, turn.time)
        if self.best is not None and target <= self.max_u and self.prev_target > self.max_u:
            return self.best
        self.prev_target = target
        return self.random_bid(turn, target - 0.025, target + 0.025)

    def accepts(self, turn: Turn, offered: int, next_bid: int) -> bool:
        if not turn.sent:
            return False
        x = turn.utility[offered] * 1.02
        return x > turn.utility[turn.sent[-1]] or x > turn.utility[next_bid] or x > 0.9


# ---------------------------------------------------------------------------------------------
# AgentLG: AgentLG_Offering with AgentLGSAS and the original agent's OpponentBids/BidStatistic,
# AC_AgentLG (which shares the offering's AgentLGSAS: both are named "AgentLR").

class AgentLG:
    """AgentLG without an opponent model, with its own acceptance condition."""

    def __init__(self, cards, utility, discount, reservation):
        self.cards, self.u, self.res = cards, utility, reservation
        self.d = discount if 0 < discount < 1 else 1.0
        self.opp, self.stats, self.max_for_me = [], [dict() for _ in cards], None
        self.all, self.num, self.index, self.last_left = None, 0, 0, 0.0
        self.max_last_opp, self.bid_last = None, False

    def disc(self, x, t):
        return x * self.d ** t if self.d < 1 else x

    def add(self, bid):
        self.opp.append(bid)
        for st, v in zip(self.stats, values_of(bid, self.cards)):
            st[v] = st.get(v, 0) + 1
        if len(self.opp) == 1 or self.u[self.max_for_me] < self.u[bid]:
            self.max_for_me = bid

    def opp_util(self, bid):
        total = 0.0
        for st, v in zip(self.stats, values_of(bid, self.cards)):
            if v in st:
                total += st[v] / max(st.values())
        return total

    def init_bids(self):
        best = max(self.u)
        opp_best = self.u[self.opp[0]]
        bids, frac = list(range(len(self.u))), 0.75
        while True:
            bound = best - (best - opp_best) * frac
            bids = [b for b in bids if not (self.u[b] < bound or self.u[b] < self.res)]
            if len(bids) < 160000:
                break
            frac *= 0.85
        self.all = sorted(bids, key=lambda b: -self.u[b])  # stable

    def optimal(self, t):
        if self.all is None:
            self.init_bids()
        cur = self.all[self.index]
        self.index += 1
        best = self.disc(max(self.u), t)
        ob = self.disc(self.u[self.opp[0]], t)
        down = best - (best - ob) / 4
        if (t - self.last_left > 0.1 and self.num < len(self.all) - 1
                and down <= self.disc(self.u[self.all[self.num + 1]], t)):
            fut = self.disc(self.u[self.all[self.num]], t + 0.1)
            while self.disc(self.u[self.all[self.num]], t) >= fut and self.num < len(self.all) - 1:
                self.num += 1
            self.last_left = t
        if self.index > self.num:
            self.index = 0
        self.max_last_opp = self.max_for_me
        return cur

    def late(self, t):
        if self.all is None:
            return None
        cur = self.all[self.index]
        self.index += 1
        if self.index > self.num:
            if t >= 0.9:
                if t - self.last_left > 0.008:
                    avg = (max(self.u) + self.u[self.opp[0]]) / 2
                    if self.index >= len(self.all):
                        self.index = len(self.all) - 1
                    elif self.u[self.all[self.index]] < avg:
                        self.index -= 1
                        mx, at = 0.0, self.num
                        for i in range(self.num, self.index + 1):
                            x = self.opp_util(self.all[i])
                            if x > mx:
                                mx, at = x, i
                        self.num = at
                    else:
                        self.index -= 1
                else:
                    self.index = 0
            else:
                self.index = 0
                if t - self.last_left > 0.05 and self.max_last_opp is not None:
                    if (self.u[self.max_for_me] > self.u[self.max_last_opp]
                            or (self.d < 1 and t - self.last_left > 0.1)):
                        mx = 0.0
                        for i in range(0, self.num + 1):
                            mx = max(mx, self.opp_util(self.all[i]))
                        for i in range(self.num + 1, len(self.all)):
                            if self.opp_util(self.all[i]) >= mx:
                                self.num = i
                                break
                        self.max_last_opp = self.max_for_me
                        self.last_left = t
        return cur

    def bid(self, turn: Turn):
        t = turn.time
        if not turn.sent:
            if turn.received:
                self.add(turn.received[-1][0])
            top = max(self.u)
            return min(b for b in range(len(self.u)) if self.u[b] == top)
        self.add(turn.received[-1][0])
        if self.bid_last:
            cur = turn.sent[-1]
        elif t < 0.6:
            cur = self.optimal(t)
        elif t >= 0.9995:
            best = None
            for b, x in turn.received:
                if best is None or x >= self.u[best]:
                    best = b
            cur = best
            if self.disc(self.u[cur], t) < self.disc(self.res, t):
                if self.all is None:
                    self.init_bids()
                cur = self.all[self.num]
        else:
            cur = self.late(t)
        if cur is None:
            return None  # GENIUS fails and its BOA agent accepts
        if cur in self.opp:
            self.bid_last = True
        return cur

    def accepts(self, turn: Turn, offered: int, next_bid) -> bool:
        if not turn.sent:
            return False
        t = turn.time
        mine = self.disc(self.u[turn.sent[-1]], t)
        theirs = self.disc(self.u[offered], t)
        if self.all is None:
            self.init_bids()
        lowest = self.disc(self.u[self.all[self.num]], t)
        return theirs >= mine * 0.99 or (t > 0.999 and theirs >= mine * 0.9) or lowest <= theirs


# ---------------------------------------------------------------------------------------------
# TheNegotiatorReloaded: TheNegotiatorReloaded_Offering with TimeManager, DomainAnalyzer
# (BidSpace.getKalaiSmorodinsky), BSPredictor, TimeDependentFunction; AC_TheNegotiatorReloaded
# with its default parameters. The bid near a target follows detente's documented
# opponent-model-strategy rule (docs/negotiators.md, "Opponent-model strategies": GENIUS's
# window, BestBid) with a model, and the nearest outcome without one.

def kalai(points):
    best, asym = None, 2.0
    for q in pareto_frontier(points):
        a = abs(q[0] - q[1])
        if a < asym:
            best, asym = q, a
    return best


def table_order(utility):
    return sorted(range(len(utility)), key=lambda b: (-utility[b], b))


def pick_near(utility, order, est, target):
    """The window rule: [target, upper], upper from target + 0.01 up by 0.01 until it holds
    100 outcomes or passes the best utility by 0.01; the best-rated in table order."""
    limit = utility[order[0]] + 0.01
    upper = target + 0.01
    while sum(1 for b in order if target <= utility[b] <= upper) < 100 and upper < limit:
        upper += 0.01
    band = [b for b in order if target <= utility[b] <= upper]
    if not band:
        return order[0]
    if len(band) == 1:
        return band[0]
    scores = [est(b) for b in band]
    if all(x <= 0.0001 for x in scores):
        raise RuntimeError("BestBid would draw at random (not replayable)")
    return band[scores.index(max(scores))]


def nearest(utility, order, target):
    """The outcome nearest the target (the better of two equally near; the first in table
    order among equal utilities)."""
    above = [b for b in order if utility[b] > target]
    below = [b for b in order if utility[b] <= target]
    pick = below[0] if below else above[-1]
    if above and below and abs(utility[above[-1]] - target) <= abs(utility[below[0]] - target):
        pick = above[-1]
    return next(b for b in order if utility[b] == utility[pick])


class NegotiatorReloaded:
    def __init__(self, cards, utility, discount, reservation, model):
        self.cards, self.u, self.res = cards, utility, reservation
        self.order = table_order(utility)
        self.values = [values_of(b, cards) for b in range(len(utility))]
        self.model = model(cards) if model else None
        d = discount
        self.d = d
        if d > 0.001:
            self.min_t, self.opp = max(0.4, d * 0.7), "hardliner"
        else:
            self.min_t, self.opp = 0.7, "conceder"
        if d < 0.0001 or d >= 0.85:
            self.dtype = "low"
        elif d <= 0.4:
            self.dtype = "high"
        else:
            self.dtype = "medium"
        self.max_t, self.kalai, self.window = 1.0, 0.7, 0
        self.begin, self.prev_best = 0.0, None

    def observe(self, bid):
        if self.model is not None:
            self.model.update(self.values[bid])

    def disc(self, x, t):
        return x * self.d ** t if 0 < self.d < 1 else x

    def strategy(self, turn):
        end = turn.times[-1]
        inside = [x for (b, x), t in zip(turn.received, turn.times)
                  if self.begin < t <= end and 0 < x <= 1.1]
        if not inside:
            return "hardliner"
        best = max(inside)
        conc = 1.0 - best if self.prev_best is None else best - self.prev_best
        self.prev_best, self.begin = best, end
        return "hardliner" if conc <= 1.0 / 60 / 2.0 else "conceder"

    def bid(self, turn: Turn) -> int:
        t = turn.time
        if not turn.sent:
            return self.order[0]
        if math.floor((t * 180) / 3.0) != self.window:
            k = 0.7
            if self.model is not None:
                est = self.model.estimator()
                point = kalai([(self.u[b], est(self.values[b])) for b in range(len(self.u))])
                if point is not None:
                    k = point[0]
            self.kalai = k
            self.opp = self.strategy(turn)
            self.window += 1
            if self.d > 0.0001:
                self.kalai = self.d * self.kalai
            self.min_t = max(self.res, self.kalai)
            self.max_t = 1.0
            if self.max_t < self.min_t:
                self.max_t = self.min_t + 0.05
        e = {("conceder", "high"): 1.7, ("conceder", "medium"): 0.8,
             ("hardliner", "high"): 1.9, ("hardliner", "medium"): 1.2}.get(
            (self.opp, self.dtype), 0.05)
        goal = self.min_t + (self.max_t - self.min_t) * (1 - (0 + (1 - 0) * t ** (1.0 / e)))
        if self.model is None:
            return nearest(self.u, self.order, goal)
        est = self.model.estimator()
        return pick_near(self.u, self.order, lambda b: est(self.values[b]), goal)

    def accepts(self, turn: Turn, offered: int, next_bid: int):
        a, b, ad, bd, c, tt = 1.0, 0.0, 1.05, 0.0, 0.98, 0.99
        now = turn.time
        disc_mode = 0.001 < self.d < 0.95
        high = disc_mode and self.d <= 0.4
        rv = self.disc(self.res, now)
        if self.disc(self.u[next_bid], now) <= rv:
            return "end"
        x = self.u[offered]
        if x >= c:
            return True
        if not disc_mode:
            if a * x + b >= self.u[next_bid]:
                return True
        else:
            if high and rv > 0.85:
                return "end"
            if ad * x + bd >= self.u[next_bid]:
                return True
        if disc_mode and now > tt:
            w = 1 - now
            recent = [y for (_, y), t in zip(turn.received, turn.times)
                      if now - w < t <= now and 0 < y <= 1.1]
            if x >= (max(recent) if recent else 0.5):
                return True
        return False


# ---------------------------------------------------------------------------------------------
# BRAMAgent: BRAMAgent_Offering with BRAMAgentSAS, AC_BRAMAgent.

class BRAMAgent:
    """BRAMAgent without an opponent model, with its own acceptance condition (reading the
    threshold BRAMAgentSAS last computed). GENIUS's fillBidsArray draws random bids for
    2 seconds; here DRAWS times (detente's `draws` parameter). The value counts are walked in
    each issue's value order (GENIUS walks a HashMap's key set)."""

    DRAWS = 10000

    def __init__(self, gens: Generators, cards, utility, discount):
        self.random100, self.random200, self.random300 = gens.next(), gens.next(), gens.next()
        self.cards, self.u, self.discount = cards, utility, discount
        top = max(utility)
        self.best_bid = min(b for b in range(len(utility)) if utility[b] == top)
        self.our_bids = [self.best_bid]
        self.opponent_bids = []
        self.statistics = [[0] * c for c in cards]
        self.last_position, self.proposals, self.proposed = 0, 0, None
        self.random_interval, self.random_offset = 8, 4
        self.previous = self.best_bid
        self.threshold = self.disc(top, 0.0)

    def disc(self, x, t):
        return x * self.discount ** t if 0 < self.discount < 1 else x

    def new_threshold(self, t, min_bid, max_bid):
        lo, hi = self.disc(self.u[min_bid], t), self.disc(self.u[max_bid], t)
        if t < 60.0 / 180.0:
            return hi - (hi - lo) * 0.07
        if t < 150.0 / 180.0:
            return hi - (hi - lo) * 0.15
        if t < 175.0 / 180.0:
            return hi - (hi - lo) * 0.3
        return hi - (hi - lo) * 0.8

    def update_statistics(self, bid, remove):
        for issue, v in enumerate(values_of(bid, self.cards)):
            self.statistics[issue][v] += -1 if remove else 1

    def bid(self, turn: Turn) -> int:
        t = turn.time
        self.threshold = self.new_threshold(t, self.our_bids[-1], self.best_bid)
        if not turn.received:
            return self.best_bid
        opponent_bid = turn.received[-1][0]
        if len(self.opponent_bids) < 10:
            self.opponent_bids.append(opponent_bid)
            self.update_statistics(opponent_bid, False)
            return self.best_bid
        self.update_statistics(self.opponent_bids.pop(0), True)
        self.opponent_bids.append(opponent_bid)
        self.update_statistics(opponent_bid, False)
        return self.bid_to_offer(t)

    def bid_to_offer(self, t):
        max_ut, chosen = self.threshold, None
        for _ in range(10):
            current = self.by_opponent_modeling()
            x = self.disc(self.u[current], t)
            if x > max_ut:
                max_ut, chosen = x, current
        return self.from_bids_array(t) if chosen is None else chosen

    def by_opponent_modeling(self):
        chosen = []
        for issue in range(len(self.cards)):
            index = self.random100.next_int(10)
            first = last = 0
            for v, count in enumerate(self.statistics[issue]):
                first, last = last, last + count
                if first <= index < last:
                    chosen.append(v)
        bid = 0
        for v, c in zip(chosen, self.cards):
            bid = bid * c + v
        return bid

    def from_bids_array(self, t):
        if len(self.our_bids) == 1:
            max_amount = math.prod(self.cards)
            new, seen = 0, set(self.our_bids)
            for _ in range(self.DRAWS):
                if new >= max_amount:
                    break
                bid = 0
                for c in self.cards:
                    bid = bid * c + self.random200.next_int(c)
                if bid not in seen:
                    seen.add(bid)
                    new += 1
                    self.our_bids.append(bid)
            if len(self.our_bids) <= 50:
                self.random_interval, self.random_offset = 3, 1
            self.proposed = [0] * len(self.our_bids)
            self.our_bids.sort(key=lambda b: -self.u[b])
        self.proposals += 1
        step = self.random300.next_int(self.random_interval) - self.random_offset
        size = len(self.our_bids)
        index = min(max(self.last_position + step, 0), size - 1)
        while self.proposed[index] // self.proposals > 0.2:
            index += 1
        to_send = self.our_bids[index]
        if self.disc(self.u[to_send], t) < self.threshold:
            to_send = self.previous
            self.proposed[self.last_position] += 1
        else:
            self.previous = to_send
            self.last_position = index
            self.proposed[index] += 1
        return to_send

    def accepts(self, turn: Turn, offered: int, next_bid: int) -> bool:
        x = self.disc(self.u[offered], turn.time)
        return x >= self.threshold or x >= self.disc(self.u[next_bid], turn.time)


# ---------------------------------------------------------------------------------------------
# Gahboninho: Gahboninho_Offering with GahboninhoSAS (IssueManager, GahboninhoOM), AC_Gahboninho.

class JavaTreeMap:
    """The few operations of java.util.TreeMap<Double, Bid> Gahboninho uses."""

    def __init__(self):
        self.map = {}
        self._keys = None

    def put(self, key, value):
        if key not in self.map:
            self._keys = None
        self.map[key] = value

    def keys(self):
        if self._keys is None:
            self._keys = sorted(self.map)
        return self._keys

    def ceiling(self, key):
        import bisect
        ks = self.keys()
        i = bisect.bisect_left(ks, key)
        return self.map[ks[i]] if i < len(ks) else None

    def __len__(self):
        return len(self.map)


def java_rem(a, b):
    """Java's int remainder (the sign of the dividend)."""
    r = abs(a) % abs(b)
    return -r if a < 0 else r


def f32(x):
    """A value rounded to single precision (Java's float)."""
    import struct
    return struct.unpack("f", struct.pack("f", x))[0]


class GahboninhoOM:
    """GahboninhoOM for discrete issues."""

    def __init__(self, cards):
        self.cards = cards
        n = len(cards)
        self.counts = [[0] * c for c in cards]
        self.updates = [0] * n
        self.first = [-1] * n
        self.most = [1] * n
        self.variance = [0.0] * n
        self.weight = [0.0] * n
        self.seen = set()

    def importance(self, i, o):
        bonus = self.updates[i] // len(self.counts[i])
        return self.counts[i][o] + bonus if self.first[i] == o else self.counts[i][o]

    def update_issue(self, i, v):
        self.updates[i] += 1
        if self.first[i] == -1:
            self.first[i] = v
        self.counts[i][v] += 1
        by_importance = {}
        self.most[i], total = 0, 0
        for o in range(len(self.counts[i])):
            imp = self.importance(i, o)
            self.most[i] = max(self.most[i], imp)
            by_importance[imp] = o
            total += imp
        ranked = [by_importance[k] for k in sorted(by_importance)]
        average = 0.0
        for rank, o in enumerate(ranked):
            average += rank * float(self.importance(i, o))
        average /= total
        var = 0.0
        for rank, o in enumerate(ranked):
            dist = (average - rank) / len(self.counts[i])
            var += self.counts[i][o] * (dist * dist)
        self.variance[i] = var / total

    def update(self, bid):
        if bid in self.seen:
            return
        self.seen.add(bid)
        total, minimal, zeros = 0.0, sys_float_max, 0
        for i, v in enumerate(values_of(bid, self.cards)):
            self.update_issue(i, v)
            total += self.variance[i]
            if self.variance[i] == 0:
                zeros += 1
            else:
                minimal = min(self.variance[i], minimal)
        total /= minimal * (1.0 / 3)
        total += zeros
        count = 0.0
        if total != zeros:
            unit = minimal / 3
            for i in reversed(range(len(self.cards))):
                self.weight[i] = 1.0 if self.variance[i] == 0 else unit / self.variance[i]
                count += self.weight[i]
        for i in reversed(range(len(self.cards))):
            if total == zeros:
                self.weight[i] = 1.0 / len(self.cards)
            else:
                self.weight[i] /= count

    def evaluate(self, bid):
        total = 0.0
        for i, v in enumerate(values_of(bid, self.cards)):
            total += self.weight[i] * (self.importance(i, v) / self.most[i])
        return total


sys_float_max = 1.7976931348623157e308


class Gahboninho:
    """Gahboninho without a BOA opponent model, with its own acceptance condition. GENIUS's
    time-limited steps run whole (no time passes within a turn); HashMap/TreeMap<String>
    orders are taken as issue and value order."""

    def __init__(self, gens: Generators, cards, utility, discount):
        gens.next(), gens.next()  # the model's random500, random600
        gens.next()  # random100 (GetMaxBidWithNoCost's draws, overwritten)
        self.random200 = gens.next()
        gens.next()  # random300 (buildIssueValues's draw, overwritten)
        self.random400 = gens.next()
        self.cards, self.u = cards, utility
        self.strides = [1] * len(cards)
        for i in range(len(cards) - 2, -1, -1):
            self.strides[i] = self.strides[i + 1] * cards[i + 1]
        self.d = 1.0 if discount <= 0.001 or discount > 1 else discount
        self.om = GahboninhoOM(cards)
        self.noise = 0.4 * self.d
        self.next_offer, self.first_offer_given = 1.0, False
        self.bids = JavaTreeMap()
        self.in_frenzy = False
        self.incoming = [dict() for _ in cards]
        self.outgoing = [dict() for _ in cards]
        self.countdown, self.prev_avg_distance = 20, 0.2
        self.prev_countdown_best, self.best_ever_util = 1.0, 0.0
        self.worst_eval, self.prev_worst, self.prev_round_worst = 1.0, 1.0, 1.0
        self.best_ever_bid, self.outgoing_count = None, 0
        self.effective, self.noise_rate = 1.0, 0.01
        self.collisions_left = 200000
        self.compromising = 0.95
        self.tds, self.tde, self.rcbp = -1.0, -1.0, 1.0
        self.prev_recommendation, self.max_decrease = 1.0, 0.0009
        self.min_accept = 0.0
        self.first_actions = 40
        self.filtered, self.round_count = False, 0
        self.max_bid = self.max_bid_no_cost()

    def put(self, bid, issue, v):
        vals = values_of(bid, self.cards)
        return bid + (v - vals[issue]) * self.strides[issue]

    def max_bid_no_cost(self):
        top = max(self.u)
        ref = min(b for b in range(len(self.u)) if self.u[b] == top)
        bid = 0
        for i, c in enumerate(self.cards):
            best_v, best_u = 0, 0.0
            for v in range(c):
                x = self.u[self.put(ref, i, v)]
                if x > best_u:
                    best_v, best_u = v, x
            bid += best_v * self.strides[i]
        return ref if self.u[bid] == 0 else bid

    def learn_bids(self, first):
        relevant = []
        for i, c in enumerate(self.cards):
            theirs = self.u[first]
            lst, added = [], 0
            for v in range(c):
                if self.u[self.put(first, i, v)] >= theirs:
                    idx = 0
                    if lst:
                        idx = java_rem(abs(self.random200._next(32)), len(lst))
                    lst.insert(idx, v)
                    added += 1
            self.effective *= added
            relevant.append(lst)

        def build(prefix, i):
            if i < len(relevant):
                for v in relevant[i]:
                    build(prefix + v * self.strides[i], i + 1)
                return
            key = self.u[prefix]
            while self.collisions_left > 0 and key in self.bids.map:
                self.collisions_left -= 1
                r = java_rem(self.random400._next(32), 9999999)
                key -= 0.002 / r if r != 0 else math.inf
            self.bids.put(key, prefix)
        build(0, 0)
        self.noise_rate = max(0.003, min(0.015, 0.01 * self.effective / 400))

    def recommended(self, t):
        if not self.first_offer_given:
            self.first_offer_given = True
            return 1.0
        d, best, pc = self.d, self.best_ever_util, 8
        mn = d ** (2 * t)
        mx = mn * (1 + 6 * self.noise * d ** 5)
        if t < 0.85 * d:
            mn *= max(best, 0.9125)
        elif t <= 0.92 * d:
            self.compromising = 0.94
            mn *= max(best, 0.84)
            mx /= mn
        elif t <= 0.94 * d:
            self.compromising = 0.93
            mn *= max(best, 0.775)
            mx /= mn
        elif t <= 0.985 * mn and (best <= 2 * (1.0 / pc)
                                  or t <= 1 - 3 * (self.tde - self.tds) / self.rcbp):
            self.compromising = 0.91
            self.max_decrease = 0.001
            mn *= max(best, 0.7)
            mx /= mn
            self.tde = self.tds = t
        elif t <= 0.9996 and (best <= 2 * (1.0 / pc)
                              or t <= 1 - 3 * (self.tde - self.tds) / self.rcbp):
            self.tde = t
            self.rcbp += 1
            self.max_decrease = 0.001 + 0.01 * (t - 0.985) / 0.015
            if 3 * (1.0 / pc) > best:
                mn *= 3.5 * (1.0 / pc)
                self.compromising = 0.8
            else:
                mn *= best
                self.compromising = 0.95
            mx /= mn
        else:
            self.compromising = 0.92
            if best < 2 * (1.0 / pc):
                mn, mx = 2 * (1.0 / pc), 1.0
            else:
                mx = mn = best
                self.in_frenzy = True
            self.max_decrease = 1.0
        mx = max(mx, mn)
        nxt = min(1.0, mx - (mx - mn) * t)
        if nxt + self.max_decrease < self.prev_recommendation:
            nxt = self.prev_recommendation - self.max_decrease
        elif nxt - 0.005 > self.prev_recommendation:
            nxt = self.prev_recommendation + 0.005
        self.prev_recommendation = nxt
        return nxt

    def add_my_bid(self, bid):
        self.outgoing_count += 1
        for i, v in enumerate(values_of(bid, self.cards)):
            self.outgoing[i][v] = self.outgoing[i].get(v, 0) + 1

    def process(self, bid):
        if self.countdown > 0:
            x = self.u[bid]
            if x > self.best_ever_util:
                self.best_ever_util, self.best_ever_bid = x, bid
                self.bids.put(x, bid)
            op = self.om.evaluate(bid)
            if self.prev_round_worst < op:
                self.prev_round_worst = op
            if self.worst_eval > op:
                self.worst_eval = op
            self.countdown -= 1
            for i, v in enumerate(values_of(bid, self.cards)):
                self.incoming[i][v] = self.incoming[i].get(v, 0) + 1
            return
        sim = 0.0
        n = len(self.cards)
        for i in range(n):
            for v in sorted(self.outgoing[i]):
                if v in self.incoming[i]:
                    out = f32(f32(float(self.outgoing[i][v])) / f32(float(self.outgoing_count)))
                    inc = f32(f32(float(self.incoming[i][v])) / f32(20.0))
                    diff = f32(out - inc)
                    sq = f32(diff * diff)
                    sim += (1.0 / n) * (1.0 / self.cards[i]) * f32(1 - sq)
        if sim > self.prev_avg_distance:
            self.noise += 0.05
        elif self.best_ever_util < self.prev_countdown_best or self.worst_eval < self.prev_worst:
            self.noise += self.noise_rate
        else:
            self.noise -= self.noise_rate
            if self.prev_round_worst > self.worst_eval * 1.2:
                self.noise -= self.noise_rate
            if sim * 1.1 < self.prev_avg_distance:
                self.noise -= self.noise_rate
        self.noise = min(max(self.noise, 0), 1)
        self.prev_avg_distance = sim
        self.countdown = 20
        self.prev_countdown_best = self.best_ever_util
        self.prev_round_worst = 1
        self.prev_worst = self.worst_eval
        self.incoming = [dict() for _ in self.cards]

    def at_least(self, x):
        b = self.bids.ceiling(x)
        return self.max_bid if b is None else b

    def filter_bids(self, desired, t):
        keys = self.bids.keys()
        result = JavaTreeMap()
        best_key = keys[-1]
        best_opp = self.om.evaluate(self.bids.map[best_key])
        result.put(best_key, self.bids.map[best_key])
        for k in reversed(keys[:-1]):
            if not t < 0.94:
                break
            b = self.bids.map[k]
            op = self.om.evaluate(b)
            if op >= best_opp * 0.84:
                result.put(self.u[b], b)
                if op > best_opp:
                    best_opp = op
        if len(result) < int(desired / 10) or len(result) < 20:
            return
        self.bids = result

    def bid(self, turn: Turn) -> int:
        t = turn.time
        hist = len(turn.received)
        if hist:
            opp = turn.received[-1][0]
            if hist >= 2:
                self.process(opp)
                self.om.update(opp)
            else:
                self.learn_bids(opp)
            c = self.compromising
            self.min_accept = c * self.recommended(t)
        self.round_count += 1
        if not self.filtered and (t > self.d * 0.9 or t + 3 * 0.0 > 1):
            self.filtered = True
            desired = int(self.round_count * (1 - t))
            if len(self.bids) > 200:
                self.filter_bids(desired, t)
        if hist < 2:
            self.add_my_bid(self.max_bid)
            return self.max_bid
        if self.first_actions >= 0 and t < 0.15:
            dec = (1 - 0.925) / 40
            my = self.at_least(0.925 + dec * self.first_actions)
            self.first_actions -= 1
        else:
            my = self.at_least(self.recommended(t))
            if self.in_frenzy:
                my = self.best_ever_bid
        self.add_my_bid(my)
        return my

    def accepts(self, turn: Turn, offered: int, next_bid: int) -> bool:
        x = self.u[offered]
        return (self.first_actions > 0 and x > 0.95) or x >= self.min_accept


AGENTS = {
    "agent-k": lambda gens, cards, utility, discount, model, **_: AgentK(False, gens),
    "agent-k2": lambda gens, cards, utility, discount, model, **_: AgentK(True, gens),
    "hardheaded(model=none)": lambda gens, cards, utility, discount, model, **_: HardHeaded(
        gens, cards, utility, discount),
    "hardheaded": lambda gens, cards, utility, discount, model, **_: HardHeaded(
        gens, cards, utility, discount, model),
    "nice-tit-for-tat": lambda gens, cards, utility, discount, model, **_: NiceTitForTat(
        gens, cards, utility, discount, model),
    "iam-haggler2011": lambda gens, cards, utility, discount, model, **_: IAMhaggler2011(
        gens, cards, utility, discount),
    "agent-lg": lambda gens, cards, utility, discount, model, reservation: AgentLG(
        cards, utility, discount, reservation),
    "negotiator-reloaded": lambda gens, cards, utility, discount, model, reservation:
        NegotiatorReloaded(cards, utility, discount, reservation, model),
    "negotiator-reloaded(model=none)": lambda gens, cards, utility, discount, model, reservation:
        NegotiatorReloaded(cards, utility, discount, reservation, None),
    "bram-agent": lambda gens, cards, utility, discount, model, **_: BRAMAgent(
        gens, cards, utility, discount),
    "gahboninho": lambda gens, cards, utility, discount, model, **_: Gahboninho(
        gens, cards, utility, discount),
}


def replay(name: str, det: dict, party: int, seed: int, cards, model=None) -> str | None:
    """Replays party `party` of detente negotiation `det` through the GENIUS rule of agent
    `name` (with opponent model class `model`, for the agents that take one); None when every
    action matches, else a description of the first difference."""
    utility = det["utilities"][party]
    agent = AGENTS[name](Generators(derive_seed(seed, party)), cards, utility,
                         det["discount"][party], model, reservation=det["reservation"][party])
    sent, received, times, standing = [], [], [], None
    for i, a in enumerate(det["actions"]):
        if a["party"] != party:
            if a["kind"] == "offer":
                received.append((a["outcome"], utility[a["outcome"]]))
                times.append(a["time"])
                standing = a["outcome"]
                if hasattr(agent, "observe"):
                    agent.observe(a["outcome"])
            continue
        turn = Turn(a["time"], sent, received, utility, cards, det["discount"][party], times,
                    det["reservation"][party])
        bid = agent.bid(turn)
        expected = ("offer", bid)
        if bid is None:  # no bid: GENIUS's BOA agent accepts (detente bids its best first)
            top = max(utility)
            expected = (("accept", standing) if standing is not None
                        else ("offer", min(b for b in range(len(utility)) if utility[b] == top)))
        elif standing is not None:
            decision = agent.accepts(turn, standing, bid)
            if decision == "end":
                expected = ("end", None)
            elif decision:
                expected = ("accept", standing)
        actual = (a["kind"], a["outcome"] if a["kind"] == "offer"
                  else standing if a["kind"] == "accept" else None)
        if actual != expected:
            return f"action {i}: detente {actual}, GENIUS rule {expected}"
        if a["kind"] == "offer":
            sent.append(a["outcome"])
    return None
