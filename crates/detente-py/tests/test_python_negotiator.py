"""Negotiators written in Python: a Python re-implementation of detente's `linear` negotiator
gives the native one's trace exactly (so the state, time, offers and updates Python sees are the
engine's), in both protocols; observe, update and compare are called as documented; an
exception is that negotiator's fault only, with its traceback; registered kinds work in specs,
tournaments and sweeps."""

from __future__ import annotations

import pytest

import detente
from conftest import BUYER_SELLER, PIE


class PyLinear(detente.Negotiator):
    """detente's `linear` negotiator without an opponent model (`linear:model=none`: time-based,
    e = 1, the first outcome of its level, default acceptance), in Python."""

    name = "py-linear"

    def init(self, info):
        self.info = info
        self.pmax = info.best_utility
        self.pmin = min(max(info.reservation, info.worst_utility), self.pmax)

    def act(self, state):
        # In its last round (the deadline as it stands) it counts time 1, as the native one does.
        t = 1.0 if state.round + 1 >= self.info.deadline else state.time
        if t >= 1.0:
            target = self.pmin
        else:
            target = min(max(self.pmax - (self.pmax - self.pmin) * t, self.pmin), self.pmax)
        offer = self.info.outcome_at_least(target)
        if state.standing is not None:
            u = self.info.utility(state.standing)
            if u >= self.info.reservation and (u >= self.info.utility(offer) or u >= target):
                return detente.ACCEPT
        return offer


def without_names(trace):
    d = trace.to_dict()
    for p in d["parties"]:
        p["negotiator"] = ""
    return d


@pytest.mark.parametrize("scenario,seat,other", [
    (PIE, 0, "conceder"), (PIE, 1, "boulware"), (BUYER_SELLER, 0, "tit-for-tat"),
    (BUYER_SELLER, 1, "random"), (None, 1, None), (None, 2, None),
])
def test_python_linear_plays_like_the_native_one(scenario, seat, other):
    s = detente.load(scenario) if scenario else detente.builtin()
    specs = [p.negotiator or "linear" for p in s.parties]
    if other:
        specs = [other] * len(specs)
    specs[seat] = "linear:model=none"
    native = detente.run(s, specs, seed=5)
    python = detente.run(s, specs[:seat] + [PyLinear()] + specs[seat + 1:], seed=5)
    assert python.negotiators[seat] == "py-linear"
    assert without_names(python) == without_names(native)
    if scenario is None:
        assert python.to_dict()["events"], "the built-in talks fire events (update is called)"


def test_on_a_genius_domain(genius):
    s = detente.load(genius("Amsterdam"))
    for seat in (0, 1):
        specs = ["boulware", "boulware"]
        specs[seat] = "linear:model=none"
        native = detente.run(s, specs, rounds=40)
        specs[seat] = PyLinear
        assert without_names(detente.run(s, specs, rounds=40)) == without_names(native)


class Recorder(detente.Negotiator):
    def __init__(self):
        self.seen, self.inits, self.updates = [], 0, 0

    def init(self, info):
        self.inits += 1
        self.info = info

    def update(self, info):
        self.updates += 1
        self.info = info

    def act(self, state):
        return self.info.outcome_at_least(0.0 if state.round > 3 else 1.0)

    def observe(self, party, action, state):
        self.seen.append((party, action.kind, action.outcome, state.round, state.time, state.turn))


def test_session_info_helpers():
    seen = {}

    class Look(PyLinear):
        def init(self, info):
            super().init(info)
            seen.update(n=info.n_parties, d=info.discount, party=info.party,
                        deadline=info.deadline, u=info.utilities(), s=info.scenario,
                        seed=info.seed)

    trace = detente.run(PIE, ["conceder", Look()], seed=9)
    s = seen["s"]
    assert (seen["n"], seen["d"], seen["party"], seen["deadline"]) == (2, 0.9, 1, 20)
    assert seen["seed"] == detente.derive_seed(9, 1)
    assert list(seen["u"]) == list(s.utilities()[1])
    assert trace.scenario.utilities().tolist() == s.utilities().tolist()
    assert "hill-climbing" in detente.registry().mediators()


def test_observe_sees_every_other_action():
    rec = Recorder()
    trace = detente.run(PIE, [rec, "conceder"], seed=1)
    others = [a for a in trace.actions if a["party"] == "Bob"]
    assert len(rec.seen) == len(others) > 0
    s = trace.scenario
    for (party, kind, outcome, rnd, time, turn), a in zip(rec.seen, others):
        assert (party, kind, rnd, time, turn) == (1, a["action"], a["round"], a["time"], 1)
        if kind == "offer":
            assert s.outcome_dict(outcome) == a["offer"]
    assert rec.inits == 1 and rec.updates == 0


def test_update_is_called_on_events():
    rec = Recorder()
    s = detente.builtin()
    specs = [p.negotiator or "linear" for p in s.parties]
    specs[1] = rec
    trace = detente.run(s, specs)
    assert trace.to_dict()["events"]
    assert rec.inits == 1 and rec.updates >= 1


class Veto(detente.Negotiator):
    """Accepts everything, and judges texts by its own utility."""

    calls = 0

    def init(self, info):
        self.info = info

    def act(self, state):
        return detente.ACCEPT if state.standing is not None else self.info.outcome_at_least(1.0)

    def compare(self, candidate, incumbent):
        Veto.calls += 1
        return self.info.utility(candidate) - self.info.utility(incumbent)


def test_compare_in_mediated_talks():
    text = detente.load(PIE).to_toml().replace(
        "[protocol]\n", '[protocol]\nkind = "mediated"\nstrategy = "veto"\n', 1)
    s = detente.Scenario.from_toml(text)
    assert s.protocol == "mediated"
    trace = detente.run(s, [Veto(), "hardliner"], seed=2)
    assert Veto.calls > 0
    assert trace.termination in ("agreement", "deadline")


class Boom(detente.Negotiator):
    def act(self, state):
        raise ValueError("boom at round %d" % state.round)


class BadInit(detente.Negotiator):
    def init(self, info):
        raise RuntimeError("cannot start")

    def act(self, state):
        return detente.END


class ReturnsNone(detente.Negotiator):
    def act(self, state):
        return None


def test_an_exception_is_that_negotiators_fault():
    trace = detente.run(PIE, [Boom(), "conceder"])
    assert trace.termination == "negotiator-fault"
    assert trace.result["ended_by"] == "Alice"
    err = trace.error
    assert err.startswith("panicked: act() raised ValueError: boom at round 0\n")
    assert "Traceback (most recent call last):" in err
    assert 'raise ValueError("boom at round %d" % state.round)' in err
    trace = detente.run(PIE, ["conceder", BadInit()])
    assert trace.termination == "negotiator-fault" and trace.result["ended_by"] == "Bob"
    assert trace.error.startswith("could not start: init() raised RuntimeError: cannot start")
    trace = detente.run(PIE, [ReturnsNone(), "conceder"])
    assert "act() returned None" in trace.error


def test_faults_are_isolated_in_a_tournament():
    df = detente.tournament(negotiators={"Boom": Boom, "Lin": PyLinear, "Con": "conceder"},
                            scenarios=[PIE], repetitions=2, progress=False)
    boom = (df.n0 == "Boom") | (df.n1 == "Boom")
    assert (df[boom].termination == "negotiator-fault").all()
    assert df[boom].error.str.contains("boom at round").all()
    assert (df[~boom].termination == "agreement").all()
    for row in df[~boom].itertuples():
        specs = [PyLinear() if n == "Lin" else "conceder" for n in (row.n0, row.n1)]
        trace = detente.run(PIE, specs, seed=row.seed)
        assert (trace.result["utilities"]["Alice"], trace.rounds) == (row.u0, row.rounds)


def test_registered_kinds_with_parameters():
    registry = detente.Registry()

    class Fixed(detente.Negotiator):
        def __init__(self, level=0.5):
            self.level = level

        def init(self, info):
            self.info = info

        def act(self, state):
            return self.info.outcome_at_least(self.level)

    detente.register("fixed", Fixed, registry=registry,
                     params={"level": detente.Param(0.5, 0.0, 1.0, "aspiration")})
    assert "fixed" in registry and "fixed" not in detente.registry()
    assert registry.parse("fixed:level=0.7") == "fixed:level=0.7"
    with pytest.raises(detente.InputError, match="must be a number in \\[0, 1\\], not 2"):
        registry.parse("fixed:level=2")
    trace = detente.run(PIE, ["fixed:level=0.7", "conceder"], registry=registry)
    assert trace.negotiators[0] == "fixed:level=0.7"
    assert trace.actions[0]["utilities"]["Alice"] == pytest.approx(0.7)
    with pytest.raises(detente.InputError, match="unknown negotiator kind `fixed`"):
        detente.run(PIE, ["fixed", "conceder"])
    kinds = {k["name"]: k for k in registry.kinds()}
    assert kinds["fixed"]["params"][0]["meaning"] == "aspiration"
    df = detente.tournament(negotiators={"F": "fixed:level=0.6", "C": "conceder"},
                            scenarios=[PIE], registry=registry, progress=False)
    assert len(df) == 4
    sweep = detente.sweep(PIE, "reservation.Bob=0.1,0.2", seeds=2,
                          negotiators={"Alice": "fixed:level=0.6"}, registry=registry)
    assert len(sweep.to_dict()["points"]) == 2


def test_python_factories_in_sweeps_equal_native_kinds(cli):
    # No exponent jitter: a Python factory has no exponent to jitter (the preference noise
    # applies to both alike).
    native = detente.sweep(PIE, "reservation.Bob=0.1:0.3:0.1", seeds=2, jitter=0,
                           negotiators={"Alice": "linear"})
    python = detente.sweep(PIE, "reservation.Bob=0.1:0.3:0.1", seeds=2, jitter=0,
                           negotiators={"Alice": PyLinear})
    assert python.to_json() == native.to_json()
    with pytest.raises(TypeError, match="fresh negotiator"):
        detente.sweep(PIE, "reservation.Bob=0.1,0.2", negotiators={"Alice": PyLinear()})


def test_keyboard_interrupt_reaches_the_caller():
    class Stop(detente.Negotiator):
        def act(self, state):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        detente.run(PIE, [Stop(), "conceder"])
    # and the next run is not affected
    assert detente.run(PIE, [PyLinear(), "conceder"]).termination == "agreement"
