"""Load a scenario, look inside it, run one negotiation and measure its result.

    python examples/python/run_and_analyze.py

Uses the shipped buyer-seller scenario; see docs/python.md for the tour.
"""

from pathlib import Path

import detente

REPO = Path(__file__).resolve().parents[2]

scenario = detente.load(REPO / "scenarios" / "buyer-seller" / "buyer-seller.toml")
print(scenario)
for issue in scenario.issues:
    print(f"  {issue.name}: {issue.kind}, {issue.cardinality} values, e.g. {issue.values[:3]}")
for party in scenario.parties:
    print(f"  {party.name}: reservation {party.reservation}, plays {party.negotiator}")

# Every party's utility of every outcome: a NumPy array of shape (parties, outcomes).
u = scenario.utilities()
best = u.sum(axis=0).argmax()
print("outcomes:", u.shape[1], "- the best for both together:",
      scenario.outcome_dict(scenario.outcome(int(best))), u[:, best])

# One negotiation: the same trace as `detente run ... --json` with these negotiators.
trace = detente.run(scenario, {"Seller": "boulware:e=0.1", "Buyer": "tit-for-tat"}, seed=7)
print(trace, trace.agreement)
print("final utilities:", trace.utilities)
print("quality:", {k: trace.analysis[k] for k in ("pareto_optimal", "distance_to_nash")})

actions = trace.to_pandas()  # one row per action
print(actions.groupby("party")[["u:Seller", "u:Buyer"]].mean())

# The exact Pareto frontier and the bargaining solutions.
analysis = detente.analyze(scenario)
print(analysis, "Nash:", analysis.nash["points"][0]["outcome"])
print("frontier (first rows):\n", analysis.frontier[:3])
