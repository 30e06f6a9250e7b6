"""CUHKAgent (ANAC 2012 winner, Jianye Hao and Ho-fung Leung), transcribed in plain Python from
GENIUS 10.4's original agent (agents.anac.y2012.CUHKAgent: CUHKAgent.java, OpponentBidHistory.java,
OwnBidHistory.java), independently of detente's Rust code, for compare_boa.py's replays.

GENIUS's decoupled AC_CUHKAgent never accepts when paired with CUHKAgent_Offering (it reads a
CUHKAgentSAS the offering strategy never creates, and its estimateTheRoundsLeft returns 0), so
detente's named agent follows the original; this transcription is of the original's chooseAction,
which decides on the offer and its own bid in one step.

Time: the original estimates the rounds left from its timeline's current time. On GENIUS's
DiscreteTimeline that is the round cRound (from 1) and the total is the deadline plus 1; the
replay recovers cRound from detente's per-round time t = cRound / (R + 1).
"""
from __future__ import annotations

import math

import genius_agents
from genius_agents import Generators, Turn, genius_values, values_of

JAVA_INT_MAX, JAVA_INT_MIN = 2**31 - 1, -2**31


def java_int(x: float) -> int:
    """Java's (int) cast of a double."""
    if math.isnan(x):
        return 0
    if x >= JAVA_INT_MAX:
        return JAVA_INT_MAX
    if x <= JAVA_INT_MIN:
        return JAVA_INT_MIN
    return int(x)


def java_div(a: float, b: float) -> float:
    """Java's double division (x / 0 is infinite or NaN)."""
    if b == 0:
        return math.nan if a == 0 else math.copysign(math.inf, a)
    return a / b


def genius_order(cards):
    """Outcome ids (detente's: first issue slowest) in GENIUS's BidIterator order (first fastest)."""
    for values in genius_values(cards):
        bid = 0
        for v, c in zip(values, cards):
            bid = bid * c + v
        yield bid


class OpponentBidHistory:
    """agents.anac.y2012.CUHKAgent.OpponentBidHistory (discrete issues)."""

    MAXIMUM_BIDS_STORED = 100

    def __init__(self, cards, utility):
        self.cards, self.u = cards, utility
        self.bid_history = []
        self.bid_counter = {}
        self.best = None
        self.statistics = [[0] * c for c in cards]

    def add_bid(self, bid):
        if bid not in self.bid_history:
            self.bid_history.append(bid)
        if len(self.bid_history) == 1:
            self.best = self.bid_history[0]
        elif self.u[bid] > self.u[self.best]:
            self.best = bid

    def update_opponent_model(self, bid):
        self.add_bid(bid)
        self.bid_counter[bid] = self.bid_counter.get(bid, 0) + 1
        if len(self.bid_history) <= self.MAXIMUM_BIDS_STORED:
            for i, v in enumerate(values_of(bid, self.cards)):
                self.statistics[i][v] += 1

    def choose_bid(self, candidates, ran):
        if len(candidates) >= 200:
            candidates = [candidates[ran.next_int(len(candidates))] for _ in range(200)]
        max_index, max_frequency = -1, 0
        for i, bid in enumerate(candidates):
            value = sum(self.statistics[j][v] for j, v in enumerate(values_of(bid, self.cards)))
            if value > max_frequency:
                max_frequency, max_index = value, i
            elif value == max_frequency:
                if ran.next_double() < 0.5:
                    max_frequency, max_index = value, i
        if max_index == -1:
            return candidates[ran.next_int(len(candidates))]
        if ran.next_double() < 0.95:
            return candidates[max_index]
        return candidates[ran.next_int(len(candidates))]

    def concession_degree(self):
        n, length = len(self.bid_history), 10
        if n - length > 0:
            distinct = sum(1 for b in self.bid_history[n - length:] if self.bid_counter[b] == 1)
            return math.pow(distinct / length, 2)
        return math.pow(n / length, 2)


class CUHKAgent:
    """agents.anac.y2012.CUHKAgent.CUHKAgent, without an opponent model of BOA's."""

    def __init__(self, gens: Generators, cards, utility, discount, reservation, rounds):
        self.gens, self.cards, self.u = gens, cards, utility
        self.random = gens.next()
        self.maximum_of_bid = math.prod(cards)
        top = max(utility)
        self.bid_maximum_utility = min(b for b in range(len(utility)) if utility[b] == top)
        self.utility_threshold = utility[self.bid_maximum_utility]
        self.maximum_utility = self.utility_threshold
        self.total_time = rounds + 1
        self.before = self.after = 0.0
        self.max_opponent = self.max_own = 0.0
        self.discount = discount
        self.discounting_factor = discount if 0 < discount <= 1 else 1.0
        self.minimum_utility_threshold = 0.0
        self.calculate_bids_between_utility()
        self.choose_concede_to_discounting_degree()
        self.history = OpponentBidHistory(cards, utility)
        self.after = 1.0  # cRound at init
        self.concede_to_opponent = self.tough_agent = False
        self.alpha1 = 2
        self.raw_reservation = reservation
        self.reservation = reservation if reservation > 0 else 0.0
        self.own_bids = []
        self.decision = False

    def disc(self, x, t):
        return x * self.discount ** t if 0 < self.discount < 1 else x

    def calculate_bids_between_utility(self):
        rounds = int((self.maximum_utility - self.minimum_utility_threshold) / 0.01)
        self.bins = [[] for _ in range(rounds)]
        self.bins[rounds - 1].append(self.bid_maximum_utility)
        if self.maximum_of_bid < 20000:
            bids = list(genius_order(self.cards))
        else:
            bids = []
            for _ in range(20001):
                b = 0
                for c in self.cards:
                    b = b * c + self.random.next_int(c)
                bids.append(b)
        for b in bids:
            for i in range(rounds):
                if (self.u[b] <= (i + 1) * 0.01 + self.minimum_utility_threshold
                        and self.u[b] >= i * 0.01 + self.minimum_utility_threshold):
                    self.bins[i].append(b)
                    break

    def choose_concede_to_discounting_degree(self):
        d = self.discounting_factor
        beta = 1.8 if d > 0.75 else 1.5 if d > 0.5 else 1.2
        alpha = math.pow(d, beta)
        self.concede = 0.08 + (1 - 0.08) * alpha
        self.concede_original = self.concede

    def update_concede_degree(self):
        degree = self.history.concession_degree()
        self.concede = self.concede_original + 0.1 * (1 - self.concede_original) * math.pow(
            degree, 10)
        if self.concede >= 1:
            self.concede = 1

    def estimate_round_left(self, opponent, now):
        if opponent:
            if self.before - self.after > self.max_opponent:
                self.max_opponent = self.before - self.after
        elif self.after - self.before > self.max_own:
            self.max_own = self.after - self.before
        return java_int(java_div(self.total_time - now, self.max_opponent + self.max_own))

    def bids_between(self, lower, upper):
        top = int((upper - self.minimum_utility_threshold) / 0.01)
        initial = int((lower - self.minimum_utility_threshold) / 0.01)
        out = []
        for i in range(initial, top):
            out.extend(self.bins[i])
        return out or [self.bid_maximum_utility]

    def bid_to_offer(self, t):
        maximum = self.maximum_utility
        if self.discounting_factor == 1 and self.maximum_of_bid > 3000:
            minimum = self.maximum_utility - 0.05
            if self.discounting_factor > 1 - 0.25 and self.maximum_of_bid > 10000 and t >= 0.98:
                minimum = self.maximum_utility - 0.25
            if self.utility_threshold > minimum:
                self.utility_threshold = minimum
        else:
            d, c = self.discounting_factor, self.concede
            if t <= c:
                min_threshold = (maximum * d) / math.pow(d, c)
                self.utility_threshold = maximum - (maximum - min_threshold) * math.pow(
                    t / c, self.alpha1)
            else:
                self.utility_threshold = (maximum * d) / math.pow(d, t)
            minimum = self.utility_threshold
        best = self.history.best
        if self.u[best] >= self.utility_threshold or self.u[best] >= minimum:
            return best
        candidates = self.bids_between(minimum, maximum)
        return self.history.choose_bid(candidates, self.gens.next())

    def accept_opponent_offer(self, offered, own, t):
        self.concede_to_opponent = False
        current, next_round = self.u[offered], self.u[own]
        if current >= self.utility_threshold or current >= next_round:
            return True
        predict = self.maximum_utility * self.discounting_factor
        best = self.history.best
        current_maximum = self.disc(self.u[best], t)
        if current_maximum > predict and t > self.concede:
            if self.u[offered] >= self.u[best] - 0.01:
                return True
            self.concede_to_opponent = True
            return False
        if current_maximum > self.utility_threshold * math.pow(self.discounting_factor, t):
            if self.u[offered] >= self.u[best] - 0.01:
                return True
            self.concede_to_opponent = True
            return False
        return False

    def terminate(self, own, t):
        self.concede_to_opponent = False
        current, next_round = self.reservation, self.u[own]
        if current >= self.utility_threshold or current >= next_round:
            return True
        predict = self.maximum_utility * self.discounting_factor
        rv = self.raw_reservation
        current_maximum = 0.0 if rv == 0 else self.disc(rv, t)
        return current_maximum > predict and t > self.concede

    def decide(self, offered, bid, t, allow_tough):
        accept = self.accept_opponent_offer(offered, bid, t)
        end = self.terminate(bid, t)
        if accept and not end:
            return True
        if end and not accept:
            return "end"
        if accept and end:
            return True if self.u[offered] > self.reservation else "end"
        if allow_tough is None:
            return False
        if allow_tough:  # the last rounds: a tough opponent's offer is accepted
            return bool(self.tough_agent)
        return False

    def choose_action(self, turn: Turn):
        t = turn.time
        now = float(round(t * self.total_time))
        self.before = now
        self.decision = False
        if not turn.received:
            bid = self.bid_maximum_utility
        else:
            offered = turn.received[-1][0]
            self.history.update_opponent_model(offered)
            self.update_concede_degree()
            if not self.own_bids:
                bid = self.bid_maximum_utility
            elif self.estimate_round_left(True, now) > 10:
                bid = self.bid_to_offer(t)
                self.decision = self.decide(offered, bid, t, None)
                if self.decision is False:
                    if self.concede_to_opponent:
                        bid = self.history.best
                        self.tough_agent, self.concede_to_opponent = True, False
                    else:
                        self.tough_agent = False
            elif t > 0.9985 and self.estimate_round_left(True, now) < 5:
                bid = self.history.best
                if self.u[bid] < 0.85:
                    candidates = self.bids_between(self.maximum_utility - 0.15,
                                                   self.maximum_utility - 0.02)
                    if self.estimate_round_left(True, now) < 2:
                        bid = self.history.best
                    else:
                        bid = self.history.choose_bid(candidates, self.gens.next())
                self.decision = self.decide(offered, bid, t, True)
            else:
                bid = self.bid_to_offer(t)
                self.decision = self.decide(offered, bid, t, False)
        if bid not in self.own_bids:
            self.own_bids.append(bid)
        self.after = now
        self.estimate_round_left(False, now)
        return bid

    # The replay's interface (genius_agents.replay): the bid, then the decision on the offer.
    def bid(self, turn: Turn) -> int:
        return self.choose_action(turn)

    def accepts(self, turn: Turn, offered: int, next_bid: int):
        return self.decision


def register(rounds: int, name: str = "cuhk-agent") -> str:
    """Adds CUHKAgent, for negotiations of `rounds` rounds, to genius_agents.AGENTS as `name`."""
    genius_agents.AGENTS[name] = (
        lambda gens, cards, utility, discount, model, reservation: CUHKAgent(
            gens, cards, utility, discount, reservation, rounds))
    return name


def agent_entry(rounds: int):
    """compare_boa.AGENTS's entry for the named agent `cuhk-agent` (the replay registered for
    negotiations of `rounds` rounds; NegMAS 0.16's GCUHKAgentOffering and GACCUHKAgent, which
    are a three-phase time curve and a threshold of their own, for the distributions)."""
    from negmas.gb.components.genius import GACCUHKAgent, GCUHKAgentOffering
    return (register(rounds), "cuhk-agent",
            lambda: (GCUHKAgentOffering(), lambda o: GACCUHKAgent(offering_policy=o)), None)


# Long negotiations, in which CUHKAgent's last rounds (after time 0.9985, fewer than 5 rounds
# left) are reached: against itself, both parties replayed.
LONG_ROUNDS = 2000
LONG_DOMAINS = ["ItexvsCypress", "Camera"]
LONG_SEEDS = [1, 2]


def compare_long(shared, detente) -> tuple[list, int]:
    """Replays `cuhk-agent` against itself in LONG_ROUNDS-round negotiations; returns the
    failures and the number of negotiations."""
    from negmas.inout import Scenario
    name = register(LONG_ROUNDS, f"cuhk-agent({LONG_ROUNDS} rounds)")
    failures, count = [], 0
    for domain in LONG_DOMAINS:
        folder = shared / domain
        s = Scenario.load(folder, ignore_discount=True)
        cards = [len(list(i.all)) for i in s.outcome_space.issues]
        jobs = [{"negotiate": {"domain": str(folder), "rounds": LONG_ROUNDS, "seed": seed,
                               "specs": ["cuhk-agent", "cuhk-agent"], "time": "per-round"}}
                for seed in LONG_SEEDS]
        for seed, det in zip(LONG_SEEDS, detente.run(jobs)):
            count += 1
            for party in (0, 1):
                problem = genius_agents.replay(name, det, party, seed, cards)
                if problem is not None:
                    failures.append(f"{domain}: cuhk-agent (party {party}) against itself, "
                                    f"{LONG_ROUNDS} rounds (seed {seed}): {problem}")
    return failures, count
