"""Read the talks: each party's strategy, stalling, a forecast of the rest; and a what-if
sweep of a reservation value, with pictures.

    python examples/python/inspect_and_sweep.py
"""

import tempfile
from pathlib import Path

import detente

REPO = Path(__file__).resolve().parents[2]

talks = detente.run()  # the built-in peace-talks model (an illustrative model, not a prediction)
reading = detente.inspect(talks, simulations=50, cut=8)
print(reading.strategies)
forecast = reading.forecast
print(f"P(agreement) = {forecast['p_agreement']:.2f}, 95% interval {forecast['p_interval']}")

# A hand-written record of real talks reads the same way.
record = detente.inspect(REPO / "examples" / "traces" / "ukraine-2025-spring.toml", simulations=50)
print(record.outcome)

sweep = detente.sweep(REPO / "scenarios" / "pie" / "pie.toml", ["reservation.Bob=0:0.6:0.2"], seeds=5,
                      negotiators={"Bob": "random"})
print(sweep.to_pandas()[["reservation.Bob", "agreement_rate", "u:Alice", "u:Bob"]])

with tempfile.TemporaryDirectory() as tmp:
    detente.report(talks, Path(tmp) / "talks.html")
    detente.plot("utility-space", talks, Path(tmp) / "talks.png", parties=("Ukraine", "Russia"))
    detente.plot("sweep", sweep, Path(tmp) / "sweep.svg")
    print(sorted(p.name for p in Path(tmp).iterdir()))
