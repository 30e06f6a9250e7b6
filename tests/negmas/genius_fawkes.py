#!/usr/bin/env python3
"""TheFawkes (ANAC 2013 winner) as GENIUS 10.4 runs it, transcribed in plain Python from the
Java (agents.anac.y2013.TheFawkes.TheFawkes composing negotiator.boaframework
offeringstrategy.anac2013.Fawkes_Offering with anac2013.TheFawkes.* (JWave's Daubechies
transform, SSJ's SmoothingCubicSpline and SmoothingPolynomial, Fawkews_Math),
opponentmodel.TheFawkes_OM, omstrategy.TheFawkes_OMS and acceptanceconditions.anac2013.
AC_TheFawkes, run by genius.core.boaframework.BOAagentBilateral), independently of detente's
Rust code, and the checks that use it:

    python genius_fawkes.py SHARED_DIR BOA_CHECK_BIN [--full]   (in the test venv)

scripts/test.sh runs `check` (without --full) from compare_agents.py, whose process has
negmas-genius-agents imported already; --full runs two seeds per line-up and 8 NegMAS seeds
per domain (the numbers in docs/negotiators.md).

1. Replay: every action of detente's `the-fawkes` in bilateral negotiations (against
   time-dependent opponents and itself, both parties replayed) is recomputed by the
   transcription from the same history; any difference fails.
2. negmas-genius-agents 0.3.0's `TheFawkes` (another strategy: a Boulware curve with a
   frequency model, see docs/negotiators.md) against the same Boulware opponent: distributions
   over seeds reported, and its rules checked on its own runs.

What the transcription keeps of GENIUS, as the Java does it (docs/negotiators.md says why):
the opponent bid history sorted newest first *in place* by the model (so the acceptance
condition's "last opponent bid" is the first one); BidDetails objects of the outcome space
shared, their time overwritten by each call that returns them (the previous bid's time is
the last time its outcome was returned); the acceptance condition's second call of
determineNextBid (its side effects on the opponent-model strategy); GENIUS's
getBidsinRange binary search; Double.MIN_VALUE as the smallest positive double. Two choices
are detente's and shared by both sides: outcomes of equal utility in the sorted outcome
space are ordered by outcome id (GENIUS: by Bid.hashCode), and times are detente's (the
trace's), the timeline factor being the deadline in rounds (GENIUS's rounds branch).
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import genius_agents  # noqa: E402

JAVA_MIN_VALUE = 5e-324
JAVA_MAX_VALUE = sys.float_info.max

# ---------------------------------------------------------------------------------------------
# JWave_Daubechie, JWave_Wavelet.forward, JWave_DiscreteWaveletTransform.forwardWavelet.

_SCALES = [0.32580343, 1.01094572, 0.8922014, -0.03967503, -0.2645071, 0.0436163, 0.0465036,
           -0.01498699]


def daubechie():
    scales = [s / 1.4142135623730951 for s in _SCALES]
    coeffs = [scales[7], -scales[6], scales[5], -scales[4], scales[3], -scales[2], scales[1],
              -scales[0]]
    return scales, coeffs


def wavelet_forward(arr):
    scales, coeffs = daubechie()
    n = len(arr)
    out = [0.0] * n
    h = n >> 1
    for i in range(h):
        for j in range(8):
            k = (i << 1) + j
            while k >= n:
                k -= n
            out[i] += arr[k] * scales[j]
            out[i + h] += arr[k] * coeffs[j]
    return out


def dwt_forward(arr):
    hilb = list(arr)
    h = len(arr)
    while h >= 8:
        hilb[:h] = wavelet_forward(hilb[:h])
        h >>= 1
    return hilb


# ---------------------------------------------------------------------------------------------
# SmoothingPolynomial and SmoothingCubicSpline (SSJ, after Pollock 1993), unit weights.

def poly_eval(c, x):
    res = c[-1]
    for i in range(len(c) - 2, -1, -1):
        res = c[i] + x * res
    return res


def poly_derivative(c, x):
    def coeff_der(i):
        d = c[i]
        for j in range(i, i - 1, -1):
            d *= j
        return d
    res = coeff_der(len(c) - 1)
    for i in range(len(c) - 2, 0, -1):
        res = coeff_der(i) + x * res
    return res


def quincunx(u, v, w, q):
    u[0] = 0.0
    v[1] /= u[1] if u[1] != 0.0 else _java_div_zero(v[1])
    w[1] /= u[1] if u[1] != 0.0 else _java_div_zero(w[1])
    for j in range(2, len(u) - 1):
        u[j] = u[j] - (u[j - 2] * w[j - 2] * w[j - 2]) - (u[j - 1] * v[j - 1] * v[j - 1])
        v[j] = (v[j] - (u[j - 1] * v[j - 1] * w[j - 1])) / u[j]
        w[j] /= u[j]
    q[1] -= v[0] * q[0]
    for j in range(2, len(u) - 1):
        q[j] = q[j] - (v[j - 1] * q[j - 1]) - (w[j - 2] * q[j - 2])
    for j in range(1, len(u) - 1):
        q[j] /= u[j]
    q[len(u) - 1] = 0.0
    for j in range(len(u) - 3, 0, -1):
        q[j] = q[j] - (v[j] * q[j + 1]) - (w[j] * q[j + 2])
    return q


class _JavaDivZero(Exception):
    pass


def _java_div_zero(x):
    # Only reached by a spline of two points (never in these runs): Java gives NaN or an
    # infinity where Python raises; the replay reports it instead of guessing.
    raise _JavaDivZero("a spline of two points")


class SmoothingCubicSpline:
    def __init__(self, x, y, rho):
        self.x, self.y = list(x), list(y)
        n = len(x)
        h, r, u, v, w = [0.0] * n, [0.0] * n, [0.0] * n, [0.0] * n, [0.0] * n
        q = [0.0] * (n + 1)
        sigma = [1.0] * n
        mu = 1.0e100 if rho <= 0 else (2 * (1 - rho)) / (3 * rho)
        n = len(x) - 1
        y = self.y
        h[0] = x[1] - x[0]
        r[0] = 3 / h[0]
        for i in range(1, n):
            h[i] = x[i + 1] - x[i]
            r[i] = 3 / h[i]
            q[i] = (3 * (y[i + 1] - y[i]) / h[i]) - (3 * (y[i] - y[i - 1]) / h[i - 1])
        for i in range(1, n):
            u[i] = ((r[i - 1] * r[i - 1] * sigma[i - 1])
                    + ((r[i - 1] + r[i]) * (r[i - 1] + r[i]) * sigma[i])
                    + (r[i] * r[i] * sigma[i + 1]))
            u[i] = mu * u[i] + 2 * (x[i + 1] - x[i - 1])
            v[i] = (-(r[i - 1] + r[i]) * r[i] * sigma[i]) - (r[i] * (r[i] + r[i + 1]) * sigma[i + 1])
            v[i] = (mu * v[i]) + h[i]
            w[i] = mu * r[i] * r[i + 1] * sigma[i + 1]
        q = quincunx(u, v, w, q)
        self.pieces = []
        p = [0.0] * 4
        p[0] = y[0] - (mu * r[0] * q[1] * sigma[0])
        dd1 = y[1] - (mu * ((-r[0] - r[1]) * q[1] + r[1] * q[2]) * sigma[1])
        p[1] = (dd1 - p[0]) / h[0] - (q[1] * h[0] / 3)
        self.pieces.append(list(p))
        p[0] = y[0] - (mu * r[0] * q[1] * sigma[0])
        dd2 = y[1] - (mu * ((-r[0] - r[1]) * q[1] + r[1] * q[2]) * sigma[1])
        p[3] = q[1] / (3 * h[0])
        p[2] = 0.0
        p[1] = ((dd2 - p[0]) / h[0]) - (q[1] * h[0] / 3)
        self.pieces.append(list(p))
        for j in range(1, n):
            p[3] = (q[j + 1] - q[j]) / (3 * h[j])
            p[2] = q[j]
            p[1] = ((q[j] + q[j - 1]) * h[j - 1]) + self.pieces[j][1]
            p[0] = (r[j - 1] * q[j - 1]) + ((-r[j - 1] - r[j]) * q[j]) + (r[j] * q[j + 1])
            p[0] = y[j] - (mu * p[0] * sigma[j])
            self.pieces.append(list(p))
        j = n
        p[3] = 0.0
        p[2] = 0.0
        p[1] = poly_derivative(self.pieces[j], x[n] - x[n - 1])
        p[0] = poly_eval(self.pieces[j], x[n] - x[n - 1])
        self.pieces.append(list(p))

    def fit_index(self, z):
        x = self.x
        j = len(x) - 1
        if z > x[j]:
            return j + 1
        tmp = i = 0
        while i + 1 != j:
            if z > x[tmp]:
                i = tmp
                tmp = i + int((j - i) / 2)
            else:
                j = tmp
                tmp = i + int((j - i) / 2)
            if j == 0:
                i -= 1
        return i + 1

    def evaluate(self, z):
        i = self.fit_index(z)
        if i == 0:
            res = poly_eval(self.pieces[i], z - self.x[0])
        else:
            res = poly_eval(self.pieces[i], z - self.x[i - 1])
        if math.isnan(res) or res < 0:
            return 0.0
        if math.isinf(res) or res > 1:
            return 1.0
        return res


def standard_deviation(values):
    dev = 0.0
    if values is not None and len(values) > 1:
        mean = 0.0
        for v in values:
            mean += v
        mean /= len(values)
        for v in values:
            d = v - mean
            dev += d * d
        dev = math.sqrt(dev / len(values))
    return dev


def java_div(a, b):
    """a / b with Java's IEEE results for a zero divisor."""
    if b != 0.0:
        return a / b
    if a == 0.0 or math.isnan(a):
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


# ---------------------------------------------------------------------------------------------
# TheFawkes_OM.

class BidDetails:
    def __init__(self, bid, util, time):
        self.bid, self.util, self.time = bid, util, time


class FawkesOM:
    def __init__(self, cards, total_rounds, learn=0.8):
        self.cards, self.n = cards, len(cards)
        self.time_index_factor = float(total_rounds)  # Timeline.Type.Rounds: getTotalTime()
        self.learn_coef, self.learn_value_addition = learn, 1
        self.weights = [1.0 / self.n] * self.n
        self.evals = [[1] * c for c in cards]
        self.max_gap = 0.0
        self.alpha = self.ratio = self.chi = None
        self.values = {}

    def evaluation(self, bid):
        values = self.values.get(bid)
        if values is None:
            values = self.values[bid] = genius_agents.values_of(bid, self.cards)
        u = 0.0
        for i in range(self.n):
            e = self.evals[i]
            u += self.weights[i] * (e[values[i]] / max(e))
        return min(1.0, u)

    def get_max_gap(self):
        return min(0.1, self.max_gap)

    def update(self, bid, history):
        """updateModel(bid): `history` is GENIUS's opponent bid history, sorted in place."""
        history.sort(key=lambda b: -b.time)  # sortToTime: newest first, in place (stable)
        if len(history) < 2:
            return
        values = genius_agents.values_of(bid, self.cards)
        previous = genius_agents.values_of(history[1].bid, self.cards)
        diff = [0 if values[i] == previous[i] else 1 for i in range(self.n)]
        unchanged = sum(1 for d in diff if d == 0)
        golden = self.learn_coef / self.n
        total = 1 + golden * unchanged
        maximum = 1 - ((self.n * golden) / total)
        for i in range(self.n):
            if diff[i] == 0 and self.weights[i] < maximum:
                self.weights[i] = (self.weights[i] + golden) / total
            else:
                self.weights[i] = self.weights[i] / total
        for i in range(self.n):
            self.evals[i][values[i]] = self.learn_value_addition + self.evals[i][values[i]]
        chi_map, maxtime = {}, -1
        prev_time = history[-1].time
        for b in history:
            d = prev_time - b.time
            if d > self.max_gap:
                self.max_gap = d
            prev_time = b.time
            t = int(math.floor(b.time * self.time_index_factor))
            chi_map[t] = b.util
            maxtime = max(maxtime, t)
        self.chi = [0.0] * (maxtime + 1)
        for k, v in chi_map.items():
            self.chi[k] = v
        dec = dwt_forward(self.chi)
        n = len(dec)
        x, y = [0.0] * (n + 1), [0.0] * (n + 1)
        for i in range(n):
            x[i], y[i] = float(i), dec[i]
        self.alpha = SmoothingCubicSpline(x, y, 1e-16)
        self.ratio = []
        for i in range(maxtime + 1):
            r = java_div(self.alpha.evaluate(i), self.chi[i])
            if math.isinf(r):
                r = 0.0
            elif math.isnan(r):
                r = 1.0
            self.ratio.append(r)
        # Fawkes_Offering recomputes this on every estimate; the same value, computed once.
        self.ratio_sd = standard_deviation(self.ratio)


# ---------------------------------------------------------------------------------------------
# TheFawkes_OMS, SortedOutcomeSpace.getBidsinRange, Fawkes_Offering, AC_TheFawkes.

class FawkesOMS:
    def __init__(self, model, utility):
        self.model, self.utility = model, utility
        self.last_ten, self.second_best = [], 1

    def get_bid(self, lst):
        evaluation = self.model.evaluation
        lst = sorted(lst, key=lambda b: -evaluation(b))  # stable, best first
        best = lst[0]
        if all(u == self.utility[best] for u in self.last_ten):
            self.second_best += 1
            if len(lst) > 1:
                best = lst[1]
        self.last_ten.append(self.utility[best])
        if len(self.last_ten) > 10:
            self.last_ten.pop(0)
        return best


def search_index_with(utils, value):
    middle, low, high, last = -1, 0, len(utils) - 1, 0
    while last != middle:
        last = middle
        middle = (low + high) // 2
        if utils[middle] == value:
            return middle
        if utils[middle] < value:
            high = middle
        if utils[middle] > value:
            low = middle
    return middle


def bids_in_range(all_bids, utils, low, high):
    """getBidsinRange(new Range(low, high)) over all_bids, sorted best first (their
    utilities `utils`)."""
    upper = search_index_with(utils, high)
    lower = search_index_with(utils, low)
    if utils[upper] <= high and upper > 0:
        upper -= 1
    if utils[lower] >= low and lower < len(utils):
        lower += 1
    if lower == upper:
        return [all_bids[lower]]
    return all_bids[upper:lower]


class TheFawkes:
    """BOAagentBilateral with TheFawkes's components; `first`: the acceptance condition reads
    GENIUS's sorted history (True) or the offer on the table (False, detente's `first=0`)."""

    def __init__(self, utility, cards, reservation, discount, total_rounds, first=True):
        self.utility, self.rv = utility, reservation
        self.all_bids = sorted(range(len(utility)), key=lambda b: (-utility[b], b))
        self.sorted_utils = [utility[b] for b in self.all_bids]
        self.stamp = {}  # the shared BidDetails' times
        self.model = FawkesOM(cards, total_rounds)
        self.oms = FawkesOMS(self.model, utility)
        self.beta, self.rho, self.nu = 0.002, 0.8, 0.2
        self.discount = 1.0 if discount == 0 else discount
        total = 0.0
        for b in self.all_bids:
            total += utility[b]
        self.minimum_acceptable = total / len(self.all_bids)
        self.opp_history, self.own_history = [], []
        self.first, self.time = first, 0.0

    # Fawkes_Offering
    def opening_bid(self):
        b = self.all_bids[0]
        self.stamp[b] = self.time
        return b

    def next_bid(self):
        if len(self.opp_history) > 1:
            b = self.response(self.target_utility())
        else:
            b = self.opening_bid()
        self.stamp[b] = self.time
        return b

    def response(self, target):
        time_correction = 1 - (self.time / 10.0)
        inertia = self.oms.second_best / (len(self.own_history) * 10.0)
        lower = (time_correction - inertia) * target
        possible = bids_in_range(self.all_bids, self.sorted_utils, lower, JAVA_MAX_VALUE)
        if not possible:
            return self.own_history[-1]
        return self.oms.get_bid(possible)

    def reserved(self, t):
        best = self.utility[self.all_bids[0]]
        return self.rv + (1 - math.pow(t, 1 / self.beta)) * (
            (best * math.pow(self.discount, self.nu)) - self.rv)

    def estimated(self, t):
        index = int(math.floor(t * self.model.time_index_factor))
        return self.model.alpha.evaluate(index) * (1 + self.model.ratio_sd)

    def disc(self, u, t):
        return u * math.pow(self.discount, t)

    def target_utility(self):
        now = self.time
        max_diff, min_diff = JAVA_MIN_VALUE, JAVA_MAX_VALUE
        opt_t = opt_u = pes_t = pes_u = 0.0
        gap = self.model.get_max_gap()
        t = now
        while t < min(now + (gap * 10), 1):
            dr = self.disc(self.reserved(t), t)
            e = self.estimated(t)
            de = self.disc(e, t)
            diff = de - dr
            if de >= dr and diff > max_diff:
                max_diff, opt_t, opt_u = diff, t, e
            if max_diff == JAVA_MIN_VALUE:
                if abs(diff) < min_diff:
                    min_diff, pes_t, pes_u = abs(diff), t, e
            t += gap
        if max_diff == JAVA_MIN_VALUE:
            xsi = java_div(math.pow(self.rho, -1) * self.disc(pes_u, pes_t),
                           self.disc(self.reserved(pes_t), pes_t))
            est_t, est_u = (pes_t, pes_u) if xsi > 1 else (-1, -1)
        else:
            est_t, est_u = opt_t, opt_u
        if est_u == -1:
            return self.reserved(now)
        prev = self.own_history[-1]
        factor = java_div(now - est_t, self.stamp[prev] - est_t)
        return est_u + (self.utility[prev] - est_u) * factor

    # AC_TheFawkes
    def acceptability(self):
        last = self.opp_history[-1] if self.first else self.standing
        last_u = last.util
        next_u = self.utility[self.next_bid()]
        if last_u < self.minimum_acceptable:
            return False
        if last_u >= next_u:
            return True
        gap = self.model.get_max_gap()
        if self.time >= 1 - gap:
            t = self.time
            window = [b for b in self.opp_history
                      if 0 < b.util <= 1.1 and t - gap * 10 < b.time <= t]
            if not window:
                return None  # GENIUS: NullPointerException
            best = None
            for b in window:
                if best is None or b.util >= best:
                    best = b.util
            return last_u >= best
        return False

    # BOAagentBilateral
    def receive(self, bid, time):
        self.time = time
        self.standing = BidDetails(bid, self.utility[bid], time)
        self.opp_history.append(self.standing)
        self.model.update(bid, self.opp_history)

    def choose(self, time):
        """('offer', bid), ('accept', None) or ('fault', why)."""
        self.time = time
        bid = self.opening_bid() if not self.own_history else self.next_bid()
        if self.opp_history:
            decision = self.acceptability()
            if decision is None:
                return ("fault", "no offer in the acceptance window")
            if decision:
                return ("accept", None)
        self.own_history.append(bid)
        return ("offer", bid)


def replay(det: dict, party: int, rounds: int, cards, first=True) -> str | None:
    """Replays party `party` of detente negotiation `det` through the transcription; None when
    every action matches, else the first difference."""
    agent = TheFawkes(det["utilities"][party], cards, det["reservation"][party],
                      det["discount"][party], rounds, first)
    standing = None
    for i, a in enumerate(det["actions"]):
        if a["party"] != party:
            if a["kind"] == "offer":
                agent.receive(a["outcome"], a["time"])
                standing = a["outcome"]
            continue
        try:
            kind, bid = agent.choose(a["time"])
        except _JavaDivZero as e:
            return f"action {i}: the transcription stops at {e}"
        expected = (kind, bid if kind == "offer" else standing)
        actual = (a["kind"], a["outcome"] if a["kind"] == "offer"
                  else standing if a["kind"] == "accept" else None)
        if actual != expected:
            return f"action {i}: detente {actual}, GENIUS rule {expected}"
    return None


# ---------------------------------------------------------------------------------------------
# The checks.

ROUNDS = 100
# (detente spec of party 0, of party 1 or None for a time-dependent opponent of exponent e,
# e, parties replayed, the acceptance condition reads GENIUS's sorted history)
LINEUPS = [
    ("the-fawkes", None, 0.5, [0], True),
    ("the-fawkes", None, 0.1, [0], True),
    ("the-fawkes", None, 2.0, [0], True),
    ("the-fawkes", "the-fawkes", None, [0, 1], True),
    ("the-fawkes:accept=ac-the-fawkes(first=0)", None, 0.5, [0], False),
    ("the-fawkes:accept=ac-the-fawkes(first=0)", "the-fawkes:accept=ac-the-fawkes(first=0)",
     None, [0, 1], False),
]
# Seeds of each line-up (TheFawkes draws nothing: the script checks that the seed changes
# nothing) and of NegMAS's port per domain: `--full` runs more (the numbers in the docs).
FULL = "--full" in sys.argv
SEEDS = [1, 2] if FULL else [1]
NEGMAS_SEEDS = 8 if FULL else 1


def replays(shared: Path, detente, domains) -> tuple[list, int, dict]:
    """Every line-up on every domain, each seed: detente's actions replayed through the
    transcription. Also checks that the seed changes nothing (TheFawkes draws nothing)."""
    from compare_boa import worst_rational
    from negmas.inout import Scenario
    failures, count, outcomes = [], 0, {}
    for domain in domains:
        folder = shared / domain
        s = Scenario.load(folder, ignore_discount=True)
        cards = [len(list(i.all)) for i in s.outcome_space.issues]
        from compare_boa import genius_normalised
        pmin = worst_rational(genius_normalised(s)[1], list(s.outcome_space.enumerate_or_sample()))
        jobs, keys = [], []
        for spec, other, e, parties, first in LINEUPS:
            opp = other or f"boa:offer=time-dependent(e={e!r},min={pmin!r}),model=none"
            for seed in SEEDS:
                jobs.append({"negotiate": {"domain": str(folder), "rounds": ROUNDS, "seed": seed,
                                           "specs": [spec, opp], "time": "per-round"}})
                keys.append((spec, other, e, parties, first, seed))
        for (spec, other, e, parties, first, seed), det in zip(keys, detente.run(jobs)):
            count += 1
            label = f"{domain}: {spec} against {other or f'time-dependent(e={e})'} (seed {seed})"
            for party in parties:
                problem = replay(det, party, ROUNDS, cards, first)
                if problem is not None:
                    failures.append(f"{label}, party {party}: {problem}")
            trace = [(a["party"], a["kind"], a["outcome"]) for a in det["actions"]]
            first_trace = outcomes.setdefault((domain, spec, other, e), trace)
            if trace != first_trace:
                failures.append(f"{label}: the seed changed detente's actions")
            outcomes[domain, spec, other, e, "agreement"] = det["agreement"]
    return failures, count, outcomes


def negmas_rules(m, ufun, agent) -> list:
    """negmas-genius-agents' TheFawkes on its own run: every offer at or above its documented
    Boulware threshold (e = 0.2 between its best and worst utilities), as its code says."""
    problems = []
    utils = [float(ufun(o)) for o in m.outcome_space.enumerate_or_sample()]
    hi, lo = max(utils), min(utils)
    for t in m.full_trace:
        if t.negotiator == agent and t.offer is not None:
            time = (t.step + 1) / (ROUNDS + 1)
            bar = max(hi - (hi - lo) * math.pow(time, 1 / 0.2), lo)
            if float(ufun(t.offer)) < bar - 1e-9:
                problems.append(f"offer below its threshold at step {t.step}")
    return problems


def distributions(shared: Path, detente, domains) -> tuple[list, list]:
    """detente's the-fawkes and negmas-genius-agents' TheFawkes, each against the Boulware
    opponent of compare_agents.py (e = 0.2, AC_next): agreement rate, utilities, concession by
    fifth of the time. detente's runs are deterministic (one per domain: the independent
    draws are the domains); NegMAS's port draws at random (NEGMAS_SEEDS seeds per domain)."""
    import random
    import negmas_genius_agents as nga
    from compare_agents import OPPONENT_E, Sample, mean_se, td_factory
    from compare_agents import td_spec
    from compare_boa import genius_normalised, worst_rational
    from negmas.inout import Scenario
    from negmas.sao import SAOMechanism
    ours, theirs, problems = Sample(), Sample(), []
    for domain in domains:
        folder = shared / domain
        s = Scenario.load(folder, ignore_discount=True)
        ufuns = genius_normalised(s)
        cards = [len(list(i.all)) for i in s.outcome_space.issues]
        pmin = worst_rational(ufuns[1], list(s.outcome_space.enumerate_or_sample()))
        job = {"negotiate": {"domain": str(folder), "rounds": ROUNDS, "seed": 0, "time": "per-round",
                             "specs": ["the-fawkes", td_spec(OPPONENT_E, 0.0, pmin)]}}
        det = detente.run([job])[0]
        problem = replay(det, 0, ROUNDS, cards, True)
        if problem is not None:
            problems.append(f"{domain}: against the Boulware opponent: {problem}")
        u, rv, a = det["utilities"], det["reservation"], det["agreement"]
        ours.add(u[0][a] if a is not None else rv[0], u[1][a] if a is not None else rv[1],
                 a is not None, [(x["round"], u[0][x["outcome"]]) for x in det["actions"]
                                 if x["party"] == 0 and x["kind"] == "offer"])
        for seed in range(NEGMAS_SEEDS):
            random.seed(seed)
            fresh = genius_normalised(s)
            m = SAOMechanism(outcome_space=s.outcome_space, n_steps=ROUNDS)
            m.add(nga.TheFawkes(name="p0"), ufun=fresh[0])
            m.add(td_factory(OPPONENT_E)("p1")[0], ufun=fresh[1])
            m.run()
            agent = m.negotiators[0].id
            problems += [f"{domain} (NegMAS, seed {seed}): {p}"
                         for p in negmas_rules(m, fresh[0], agent)]
            b = m.state.agreement
            theirs.add(float(fresh[0](b)) if b is not None else fresh[0].reserved_value,
                       float(fresh[1](b)) if b is not None else fresh[1].reserved_value,
                       b is not None, [(t.step, float(fresh[0](t.offer))) for t in m.full_trace
                                       if t.negotiator == agent and t.offer is not None])
    row = []
    for what, x, y in [("agreement rate", ours.agreed, theirs.agreed),
                       ("agent utility", ours.mine, theirs.mine),
                       ("opponent utility", ours.theirs, theirs.theirs)]:
        (mx, sx), (my, sy) = mean_se(x), mean_se(y)
        row.append(f"{what} {mx:.3f}±{sx:.3f} vs {my:.3f}±{sy:.3f}")
    gaps = [mean_se(ours.curve[k])[0] - mean_se(theirs.curve[k])[0]
            for k in range(len(ours.curve)) if ours.curve[k] and theirs.curve[k]]
    row.append("offer utility by fifth of the time, detente minus NegMAS: "
               + " ".join(f"{g:+.3f}" for g in gaps))
    return problems, row


def check(shared: Path, detente) -> tuple[list, list]:
    """Both checks (compare_agents.py runs them in its process, which has negmas-genius-agents
    imported already): the failures, and the lines to print."""
    from compare_boa import DOMAINS
    domains = DOMAINS[:8]
    failures, count, outcomes = replays(shared, detente, domains)
    agreements = sum(1 for k, v in outcomes.items() if k[-1] == "agreement" and v is not None)
    problems, row = distributions(shared, detente, domains)
    lines = ["TheFawkes, detente vs negmas-genius-agents (another strategy; reported): "
             + "; ".join(row)]
    lines += [f"MISMATCH: {f}" for f in failures + problems]
    lines.append(f"TheFawkes: {count} negotiations on {len(domains)} domains replayed action by "
                 f"action through the GENIUS transcription ({len(failures)} mismatches; "
                 f"{agreements} of {len(outcomes) // 2} line-ups agreed); {len(problems)} rule "
                 f"violations (detente's Boulware runs replayed, NegMAS's port against its "
                 f"own threshold)")
    return failures + problems, lines


def main() -> int:
    from compare_boa import DOMAINS, Detente
    shared, binary = Path(sys.argv[1]), sys.argv[2]
    missing = [d for d in DOMAINS[:8] if not (shared / d).is_dir()]
    if missing:
        print(f"missing shared domains: {missing}", file=sys.stderr)
        return 2
    failures, lines = check(shared, Detente(binary))
    for line in lines:
        print(line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
