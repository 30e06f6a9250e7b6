"""ParsAgent (ANAC 2015, GENIUS agents.anac.y2015.ParsAgent.ParsAgent), transcribed in plain
Python from GENIUS 10.4's Java, independently of detente's Rust code, for compare_pars.py,
which replays detente's negotiations through it action by action.

What the transcription fixes where the Java depends on its machine (docs/negotiators.md,
ParsAgent): the party's `rand` is the negotiator's first generator, `Math.random()` its second
(genius_agents.Generators); getMybestBid's millisecond budget is `draws` draws; the
DiscreteTimeline offset of the target is 1 / (rounds + 1); issue numbers are positions from 1;
HashMap<Value, Integer> iterates as OpenJDK's (buckets of the String hash of the value's name,
capacity 16 doubling past 3/4 full, insertion order within a bucket).
"""
from __future__ import annotations

from genius_agents import genius_values


class NPE(Exception):
    """Java's NullPointerException, where the original throws one."""


def java_hash(s: str) -> int:
    """String.hashCode: over UTF-16 code units, as a Java int."""
    data, h = s.encode("utf-16-be"), 0
    for k in range(0, len(data), 2):
        h = (31 * h + int.from_bytes(data[k:k + 2], "big")) & 0xFFFFFFFF
    return h - (1 << 32) if h >= (1 << 31) else h


class JavaHashMap:
    """java.util.HashMap of counts: put/get and keySet().toArray() order."""

    def __init__(self, hashes):
        self.hashes, self.keys, self.vals = hashes, [], {}

    def put(self, k, v):
        if k not in self.vals:
            self.keys.append(k)
        self.vals[k] = v

    def get(self, k):
        return self.vals.get(k)

    def size(self):
        return len(self.keys)

    def key_array(self):
        cap = 16
        while len(self.keys) > cap * 0.75:
            cap *= 2

        def bucket(k):
            h = self.hashes[k] & 0xFFFFFFFF
            return (h ^ (h >> 16)) & (cap - 1)
        return sorted(self.keys, key=bucket)  # stable: insertion order within a bucket


class ParsAgent:
    """One ParsAgent party. `u` its utility by outcome id, `cards` the issue sizes, `names`
    the value names per issue, `weights` its issue weights, `kinds` per issue "integer" or
    not, `gens` its genius_agents.Generators."""

    def __init__(self, gens, u, cards, names, weights, kinds, discount, rounds, draws=200):
        self.rand, self.math = gens.next(), gens.next()
        self.u, self.cards, self.weights, self.discount = u, cards, weights, discount
        self.hashes = [[java_hash(v) for v in vs] for vs in names]
        self.offset, self.draws, self.time = 1.0 / (rounds + 1), draws, 0.0
        self.strides = [1] * len(cards)
        for i in range(len(cards) - 2, -1, -1):
            self.strides[i] = self.strides[i + 1] * cards[i + 1]
        self.max_bid = self._get_max_utility_bid()
        self.kinds = kinds
        self.last_bid, self.last_action = None, None
        self.opp_a_name = self.opp_b_name = None
        self.with_discount = None
        self.opponent_ab = []  # [bid tuple, utility] or None
        self.rep_a, self.rep_b = {}, {}  # issue index -> JavaHashMap
        # How often each way of choosing was taken (compare_pars.py reports the coverage).
        self.paths = dict.fromkeys(["first", "accept", "nn", "mutual", "best", "best again",
                                    "null entry"], 0)

    # -- helpers -----------------------------------------------------------------------------
    def util(self, bid) -> float:
        return self.u[sum(v * s for v, s in zip(bid, self.strides))]

    def _get_max_utility_bid(self):
        # BidIterator: the first issue varies fastest; the first strictly greater utility wins.
        best, maxu = None, 0.0
        for idx in genius_values(self.cards):
            uu = self.util(idx)
            if uu > maxu:
                best, maxu = idx, uu
        return best

    def get_e(self):
        if self.with_discount is None:
            raise NPE("unboxing a null Boolean")
        return 0.20 if self.with_discount else 0.15

    def get_myutility(self):
        t = max(self.time - self.offset, 0.0)
        target = 1.0 - t ** (1.0 / self.get_e())
        return 0.7 if target < 0.7 else target

    def get_random_value(self, issue):
        return self.rand.next_int(self.cards[issue])

    # -- receiveMessage ----------------------------------------------------------------------
    def receive_message(self, sender, kind, bid, time):
        self.time = time
        if kind == "offer":
            if self.with_discount is None:
                uu = self.util(bid)
                d = uu * self.discount ** min(max(time, 0.0), 1.0) if 0 < self.discount < 1 else uu
                self.with_discount = d != uu
            if self.opp_a_name is not None and self.opp_a_name == sender:
                pass  # addBidToList(oppAPreferences.getOpponentBids()): never read
            elif self.opp_b_name is not None and self.opp_b_name == sender:
                pass
            elif self.opp_a_name is None:
                self.opp_a_name = sender
            elif self.opp_b_name is None:
                self.opp_b_name = sender
            self.calculate_param(self.rep_a if self.opp_a_name == sender else self.rep_b, bid)
            self.last_bid = tuple(bid)
        elif kind == "accept":
            op = None if self.last_bid is None else [self.last_bid, self.util(self.last_bid)]
            self.add_bid_to_list(self.opponent_ab, op)
        self.last_action = kind

    def add_bid_to_list(self, mybids, newbid):
        index = len(mybids)
        for i in range(len(mybids)):
            if mybids[i] is None or newbid is None:
                raise NPE("in receiveMessage: GENIUS ends the session")
            if mybids[i][1] <= newbid[1]:
                if mybids[i][0] != newbid[0]:
                    index = i
                else:
                    return
        mybids.insert(index, newbid)

    def calculate_param(self, rep, bid):
        for i, v in enumerate(bid):
            if i in rep:
                vals = rep[i]
                vals.put(v, vals.get(v) + 1 if vals.get(v) is not None else 1)
            else:
                h = JavaHashMap(self.hashes[i])
                h.put(v, 1)
                rep[i] = h

    # -- chooseAction ------------------------------------------------------------------------
    def choose_action(self, time):
        self.time = time
        try:
            if self.last_bid is None:
                self.paths["first"] += 1
                return ("offer", self.get_mybest_bid(self.max_bid))
            if self.last_action == "accept":
                if self.util(self.last_bid) > self.get_myutility():
                    self.paths["accept"] += 1
                    return ("accept", self.last_bid)
                return ("offer", self.offer_my_new_bid())
            if self.util(self.last_bid) > self.get_myutility():
                self.paths["accept"] += 1
                return ("accept", self.last_bid)
            b = self.offer_my_new_bid()
            if self.util(b) < self.get_myutility():
                self.paths["best again"] += 1
                return ("offer", self.get_mybest_bid(self.max_bid))
            return ("offer", b)
        except NPE:
            self.paths["null entry"] += 1  # in getNNBid: "Error Occured"
        return ("offer", self.get_mybest_bid(self.max_bid))

    def my_best_value(self, i):
        if self.kinds[i] == "integer":
            return self.max_bid[i]
        # the Java loop breaks after the first value, so maxvalIndex is 0 whatever u is
        return 0

    def offer_my_new_bid(self):
        bid_nn = None
        if len(self.opponent_ab) != 0:
            bid_nn = self.get_nn_bid(self.opponent_ab)
        if bid_nn is None or self.util(bid_nn) < self.get_myutility():
            isues = self.get_mutual_issues()
            bid = tuple(isues[i] if isues[i] is not None else self.my_best_value(i)
                        for i in range(len(isues)))
            if self.util(bid) > self.get_myutility():
                self.paths["mutual"] += 1
                return bid
            self.paths["best"] += 1
            return self.get_mybest_bid(self.max_bid)
        self.paths["nn"] += 1
        return bid_nn

    def get_mutual_issues(self):
        n = len(self.cards)
        mutual = []
        twocycle = 2
        while twocycle > 0:
            mutual = []
            for i in range(n):
                self.update_mutual_list(mutual, twocycle, i)
                if self.rep_a[i].size() == 0 or self.rep_a[i].size() == 0:
                    twocycle -= 1
            if twocycle != 0:
                twocycle -= 1
                if len(self.opponent_ab) == 0:
                    nullval = sum(1 for m in mutual if m is not None)
                    if nullval / len(mutual) >= 0.5:
                        twocycle -= 1
                else:
                    twocycle -= 1
        return mutual

    @staticmethod
    def _top2(vals):
        mx, key = [0, 0], [None, None]
        for k in vals.key_array():
            temp = vals.get(k)
            if temp > mx[0]:
                mx[0], key[0] = temp, k
            elif temp > mx[1]:
                mx[1], key[1] = temp, k
        return key

    def update_mutual_list(self, mutual, twocycle, i):
        if self.rep_a.get(i) is None:
            self.rep_a[i] = JavaHashMap(self.hashes[i])
            mutual.append(None)
            return
        vals, vals_b = self.rep_a[i], self.rep_b.get(i)
        key = self._top2(vals)
        if vals_b is None:
            mutual.append(None)
            self.rep_b[i] = JavaHashMap(self.hashes[i])
            return
        key_b = self._top2(vals_b)
        if twocycle == 2:
            ok = key[0] is not None and key_b[0] is not None and key[0] == key_b[0]
            mutual.append(key[0] if ok else None)
            return
        for m in range(2):
            for z in range(2):
                if key[m] is not None and key_b[z] is not None and key[m] == key_b[z]:
                    mutual.append(key[m])
                    return
        mutual.append(None)

    def get_nn_bid(self, opp_ab):
        n = len(self.cards)
        max_bid, maxutility = None, 0.0
        for _ in range(n):
            bi = self.choose_best_issue()
            for entry in opp_ab:
                if entry is None:
                    raise NPE("in getNNBid")
                if bi - 1 < 0:
                    continue  # dissues.get(-1) throws, caught ("Exception 66")
                vals = list(entry[0])
                vals[bi - 1] = self.get_random_value(bi - 1)
                if self.util(vals) > self.get_myutility() and self.util(vals) > maxutility:
                    max_bid, maxutility = tuple(vals), self.util(vals)
        return max_bid

    def choose_best_issue(self):
        random = self.math.next_double()
        sum_weight = 0.0
        for i in range(len(self.cards), 0, -1):
            sum_weight += self.weights[i - 1]
            if sum_weight > random:
                return i
        return 0

    def choose_worst_issue(self):
        random = self.math.next_double() * 100
        sum_weight, minin, mn = 0.0, 1, 1.0
        for i in range(len(self.cards), 0, -1):
            w = self.weights[i - 1]
            sum_weight += 1.0 / w if w != 0 else float("inf")
            if w < mn:
                mn, minin = w, i
            if sum_weight > random:
                return i
        return minin

    def get_mybest_bid(self, sugest_bid):
        new_bid = tuple(sugest_bid)
        index = self.choose_worst_issue()
        for _ in range(self.draws):  # the wall-clock budget
            vals = list(sugest_bid)
            vals[index - 1] = self.get_random_value(index - 1)
            new_bid = tuple(vals)
            try:
                if self.util(new_bid) > self.get_myutility():
                    return new_bid
            except NPE:
                break  # loop = false
        return new_bid
