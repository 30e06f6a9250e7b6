"""Run a tournament from a plan file and from Python objects, as pandas DataFrames, and write
its report.

    python examples/python/tournament.py
"""

import tempfile
from pathlib import Path

import detente

REPO = Path(__file__).resolve().parents[2]

with tempfile.TemporaryDirectory() as tmp:
    out = Path(tmp) / "small-results"
    # The plan of `detente tournament run examples/tournaments/small.toml`: the same folder.
    results = detente.tournament(REPO / "examples" / "tournaments" / "small.toml", out=out)
    print(results.shape, "columns:", list(results.columns[:8]), "...")
    print(results.groupby("termination").size())

    folder = detente.read_tournament(out)
    print(folder.summary_text)
    detente.report(folder, Path(tmp) / "tournament.html")
    detente.plot("heatmap", folder, Path(tmp) / "heatmap.svg")

# From Python objects: negotiators by spec, scenarios by path or Scenario.
df = detente.tournament(
    negotiators={"Boulware": "boulware:e=0.1", "Linear": "linear", "TitForTat": "tit-for-tat"},
    scenarios=[REPO / "scenarios" / "pie" / "pie.toml",
               detente.load(REPO / "scenarios" / "buyer-seller" / "buyer-seller.toml")],
    repetitions=3, seed=1, progress=False)
print(df.pivot_table(index="n0", columns="n1", values="u0", aggfunc="mean").round(3))
