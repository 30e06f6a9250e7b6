"""RandomDance (ANAC 2015, GENIUS agents.anac.y2015.RandomDance.RandomDance), transcribed in
plain Python from GENIUS 10.4's Java, independently of detente's Rust code, for
compare_pars.py, which replays detente's negotiations through it action by action.

Where the Java depends on its machine: the party's `rand` is the negotiator's first generator,
`Math.random()` its second (genius_agents.Generators); the agent ids keying its HashMaps are
the scenario's party names, iterated as OpenJDK's HashMap<String, _> (genius_pars.JavaHashMap
order); an Accept with no offer received is replaced by its bid (docs/negotiators.md).
"""
from __future__ import annotations

from genius_agents import genius_values
from genius_pars import NPE, java_hash


def java_key_order(keys: list) -> list:
    """keySet() order of a HashMap<String, _> filled in the order of `keys`."""
    cap = 16
    while len(keys) > cap * 0.75:
        cap *= 2

    def bucket(k):
        h = java_hash(k) & 0xFFFFFFFF
        return (h ^ (h >> 16)) & (cap - 1)
    return sorted(keys, key=bucket)


class IssueData:
    def __init__(self, n_values, derta):
        self.map = {v: 0.0 for v in range(n_values)}
        self.max, self.adder, self.derta, self.weight, self.locked = 1.0, 1.0, derta, 1.0, False

    def get_value(self, v):
        return self.map[v] / self.max

    def get_value_with_weight(self, v):
        return self.get_value(v) * self.weight

    def update(self, v):
        if self.locked:
            return
        self.map[v] = self.map[v] + self.adder
        self.max = max(self.max, self.map[v])
        self.adder *= self.derta


class PlayerData:
    def __init__(self, cards, derta):
        self.map = [IssueData(k, derta) for k in cards]
        self.history = set()

    def get_utility(self, bid):
        if bid is None:
            raise NPE("GetUtility(null)")
        ret = 0.0
        for i, v in enumerate(bid):
            ret += self.get_value(i, v)
        return ret

    def get_value(self, i, v):
        return self.map[i].get_value_with_weight(v)

    def set_my_utility(self, util, min_bid):
        mn = util(min_bid)
        for i, data in enumerate(self.map):
            bid = list(min_bid)
            for v in range(len(data.map)):
                bid[i] = v
                data.map[v] = util(bid) - mn
            data.weight = 1.0 / (1.0 - mn)
            data.locked = True

    def add_bid(self, bid):
        if bid in self.history:
            return
        self.history.add(bid)
        if bid is None:
            return  # bid.getIssues() throws; PlayerDataLib catches it
        countsum = 0.0
        for i, v in enumerate(bid):
            self.map[i].update(v)
            countsum += self.map[i].max
        for i in range(len(bid)):
            self.map[i].weight = self.map[i].max / countsum


class PlayerDataLib:
    def __init__(self, cards):
        self.datas = [PlayerData(cards, 1.0), PlayerData(cards, 1.05), PlayerData(cards, 0.95)]

    def get_random_player_data(self, math):
        return self.datas[int(math.next_double() * len(self.datas))]

    def add_bid(self, bid):
        for d in self.datas:
            d.add_bid(bid)


class RandomDance:
    """One RandomDance party: `u` its utility by outcome id, `cards` the issue sizes,
    `names` the parties' names, `gens` its genius_agents.Generators."""

    def __init__(self, gens, u, cards, names, reservation, discount):
        self.rand, self.math = gens.next(), gens.next()
        self.u, self.cards, self.names = u, cards, names
        self.strides = [1] * len(cards)
        for i in range(len(cards) - 2, -1, -1):
            self.strides[i] = self.strides[i + 1] * cards[i + 1]
        self.utility_datas = {}  # name -> PlayerDataLib, insertion-ordered
        self.nash = []
        self.older_bid_map = {}
        self.older_bid = None
        self.older_time = 0.0
        self.init = False
        self.rv, self.df = reservation, discount
        self.my_data = None
        # How often each way of acting was taken (compare_pars.py reports the coverage).
        self.paths = dict.fromkeys(["offer", "best outcome", "accept", "late accept", "end"], 0)

    def util(self, bid):
        return self.u[sum(v * s for v, s in zip(bid, self.strides))]

    def _first_extreme(self, better):
        """getMax/MinUtilityBid: BidIterator order (first issue fastest), first strict win."""
        best, bu = None, None
        for idx in genius_values(self.cards):
            uu = self.util(idx)
            if bu is None or better(uu, bu):
                best, bu = idx, uu
        return best

    def keys(self):
        return java_key_order(list(self.utility_datas))

    def my_init(self):
        self.my_data = PlayerData(self.cards, 1.0)
        self.my_data.set_my_utility(self.util, self._first_extreme(lambda a, b: a < b))
        self.max_bid = self._first_extreme(lambda a, b: a > b)

    # -- receiveMessage ----------------------------------------------------------------------
    def receive_message(self, sender, kind, bid):
        name = self.names[sender]
        if name not in self.utility_datas:
            self.utility_datas[name] = PlayerDataLib(self.cards)
        if kind == "offer":
            self.older_bid = tuple(bid)
        self.older_bid_map[name] = self.older_bid
        self.utility_datas[name].add_bid(self.older_bid)

    # -- chooseAction ------------------------------------------------------------------------
    def choose_action(self, time):
        if not self.init:
            self.init = True
            self.my_init()
        utility_map = {}
        for s in self.keys():
            utility_map[s] = self.utility_datas[s].get_random_player_data(self.math)
        utility_map["my"] = self.my_data
        umap_keys = java_key_order(list(utility_map))
        maxval, max_player = -999.0, None
        for string in java_key_order(list(self.older_bid_map)):
            utility = 1.0
            for player in umap_keys:
                if string == player:
                    continue
                utility *= utility_map[player].get_utility(self.older_bid_map[string])
            if utility > maxval:
                maxval, max_player = utility, string
        if max_player is not None:
            self.nash.append(max_player)
        while len(self.nash) > 200:
            self.nash.pop(0)
        player_weight = self.get_weights()
        target = self.get_target(time)
        utility = self.util(self.older_bid) if self.older_bid is not None else 0.0
        action = ("offer", self.search_bid(target, utility_map, umap_keys, player_weight))
        path = "best outcome" if action[1] == self.max_bid else "offer"
        if self.is_accept(time, target, utility) and self.older_bid is not None:
            action = ("accept", self.older_bid)
            path = "accept" if utility > target else "late accept"
        if target < self.rv:
            action, path = ("end", None), "end"
        self.paths[path] += 1
        return action

    def get_weights(self):
        pw = {}
        r = int(self.math.next_double() * 3)
        if r == 0:
            for s in self.keys():
                pw[s] = 0.0001
            for s in self.nash:
                pw[s] = pw[s] + 1.0
        elif r == 2:
            flag = self.math.next_double() < 0.5
            for s in self.keys():
                pw[s] = 1.0 if flag else 0.01
                flag = not flag
        else:
            for s in self.keys():
                pw[s] = 1.0
        return pw

    def is_accept(self, time, target, utility):
        d = time - self.older_time
        self.older_time = time
        if time + d * 5 > 1.0:
            return True
        if self.older_bid is None:
            return False
        return utility > target

    def get_target(self, time):
        mx = 0.0
        weights = {}
        for _ in range(3):
            umap = {}
            for s in self.keys():
                umap[s] = self.utility_datas[s].get_random_player_data(self.math)
                weights[s] = 1.0
            umap["my"] = self.my_data
            weights["my"] = 1.0
            bid = self.search_with_weights(umap, java_key_order(list(umap)), weights)
            mx = max(mx, self.util(bid))
        if self.df > 0.99:
            return 1.0 - (1.0 - mx) * (time ** 3.0)
        return 1.0 - (1.0 - mx) * (time ** self.df)

    def search_with_weights(self, datas, order, weights):
        ret = [self.rand.next_int(k) for k in self.cards]  # generateRandomBid
        for i in range(len(self.cards)):
            mx, max_value = -1.0, None
            for value in range(self.cards[i]):
                v = 0.0
                for s in order:
                    v += datas[s].get_value(i, value) * weights[s]
                if v > mx:
                    mx, max_value = v, value
            ret[i] = max_value
        return tuple(ret)

    def search_bid(self, target, datas, order, weights):
        total = 0.0
        for k in java_key_order(list(weights)):
            total += weights[k]
        weightbuf = {k: weights[k] / total for k in weights}
        w = 0.0
        while w < 9.999:
            weightbuf["my"] = w / (1.0 - w)
            bid = self.search_with_weights(datas, order, weightbuf)
            if self.util(bid) > target:
                return bid
            w += 0.01
        return self.max_bid
