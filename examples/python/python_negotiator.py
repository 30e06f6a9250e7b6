"""Write a negotiator in Python, play it against detente's own, register it as a kind and
enter it in a tournament.

    python examples/python/python_negotiator.py
"""

from pathlib import Path

import detente

REPO = Path(__file__).resolve().parents[2]
PIE = REPO / "scenarios" / "pie" / "pie.toml"


class Stubborn(detente.Negotiator):
    """Asks for `floor` until the last fifth of the talks, then meets the other side halfway;
    accepts anything at least as good as what it would offer."""

    def __init__(self, floor: float = 0.8):
        self.floor = floor

    def init(self, info):
        self.info = info  # party index, deadline, seed, scenario, utility helpers

    def aspiration(self, t):
        return self.floor if t < 0.8 else (self.floor + self.info.reservation) / 2

    def act(self, state):
        target = self.aspiration(state.time)
        if state.standing is not None and self.info.utility(state.standing) >= target:
            return detente.ACCEPT
        return self.info.outcome_at_least(target)  # a tuple of value indices

    def observe(self, party, action, state):
        if action.kind == "offer":
            self.last_seen = action.outcome


trace = detente.run(PIE, {"Alice": Stubborn(0.7), "Bob": "conceder"})
print(trace, trace.agreement, trace.negotiators)

# A kind: specs such as "stubborn:floor=0.6" now work in runs, plans and sweeps.
detente.register("stubborn", Stubborn, params={"floor": detente.Param(0.8, 0.0, 1.0, "what it asks for")})
print(detente.run(PIE, ["stubborn:floor=0.6", "boulware"]).agreement)

results = detente.tournament(
    negotiators={"Stubborn": "stubborn:floor=0.7", "Boulware": "boulware", "Conceder": "conceder"},
    scenarios=[PIE], repetitions=2, progress=False)
print(results.groupby("n0")["u0"].mean().sort_values(ascending=False))

# A negotiator that raises ends only its own negotiation, with its traceback in the trace.
class Broken(detente.Negotiator):
    def act(self, state):
        return 1 / 0


broken = detente.run(PIE, [Broken(), "conceder"])
print(broken.termination, "-", broken.error.splitlines()[0])
