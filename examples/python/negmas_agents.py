"""NegMAS and detente, both ways: a NegMAS negotiator inside detente, a detente negotiator
inside NegMAS, and scenarios converted either way.

    python examples/python/negmas_agents.py       (needs negmas==0.16.0)
"""

import warnings
from pathlib import Path

warnings.filterwarnings("ignore")  # NegMAS is talkative

from negmas.sao import SAOMechanism  # noqa: E402
from negmas.sao.negotiators import BoulwareTBNegotiator, ConcederTBNegotiator  # noqa: E402

import detente  # noqa: E402
import detente.negmas as dn  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
scenario = detente.load(REPO / "scenarios" / "buyer-seller" / "buyer-seller.toml")

# The scenario in NegMAS: the same utility for every outcome.
ns = dn.to_negmas(scenario)
print(ns.outcome_space, [type(u).__name__ for u in ns.ufuns])

# NegMAS's own negotiators, in NegMAS...
mechanism = SAOMechanism(outcome_space=ns.outcome_space, n_steps=50)
mechanism.add(BoulwareTBNegotiator(), ufun=ns.ufuns[0])
mechanism.add(ConcederTBNegotiator(), ufun=ns.ufuns[1])
mechanism.run()
print("NegMAS: ", mechanism.state.agreement, "after", mechanism.state.step, "steps")

# ... and inside detente, through the adapter: the same agreement in the same round.
trace = detente.run(scenario, [dn.NegmasAgent(BoulwareTBNegotiator),
                               dn.NegmasAgent(ConcederTBNegotiator)], rounds=50)
print("detente:", trace.agreement, "after", trace.rounds, "rounds")

# A NegMAS negotiator as a detente kind, in a detente tournament beside native negotiators.
dn.register("negmas-boulware", BoulwareTBNegotiator)
df = detente.tournament(negotiators={"NegMAS Boulware": "negmas-boulware", "detente Boulware": "boulware",
                                     "Conceder": "conceder"}, scenarios=[scenario], progress=False)
print(df.groupby("n0")["u0"].mean())

# detente's negotiators inside a NegMAS mechanism.
mechanism = SAOMechanism(outcome_space=ns.outcome_space, n_steps=50)
mechanism.add(dn.DetenteNegotiator("tit-for-tat"), ufun=ns.ufuns[0])
mechanism.add(ConcederTBNegotiator(), ufun=ns.ufuns[1])
mechanism.run()
print("detente tit-for-tat in NegMAS:", mechanism.state.agreement)

# And a NegMAS scenario into detente, with NegMAS's utilities.
back = dn.from_negmas(ns)
print(back, (back.utilities() == scenario.utilities()).all())
