#!/usr/bin/env python3
"""Speed of the Python package against the command line, and the cost of a Python negotiator.

    VIRTUAL_ENV=target/venv target/venv/bin/maturin develop --release -m crates/detente-py/Cargo.toml
    cargo build --release -p detente-cli
    target/venv/bin/python bench/python_api.py [--reps 5] [--quick]

Three measurements (medians of `--reps` runs; `--quick` runs each once, small, as a smoke test):

1. A tournament of about 10,000 negotiations of native negotiators: the whole `detente
   tournament run PLAN --out DIR -q` process (release build), against `detente.tournament(PLAN,
   out=DIR)` inside Python (release build; the interpreter and `import detente` not counted),
   writing the folder only (`frame=False`) and also returning the DataFrame (reading the rows
   back). Runs interleaved, medians. Plans: `examples/tournaments/small.toml`
   with 139 repetitions (10,008 short negotiations on the shipped scenarios) and, when the
   shared ANAC domains are there, `examples/tournaments/anac.toml` with 35 (10,080 negotiations
   of 100 rounds). Both on every core.
2. The cost of a call into a Python negotiator: two Python negotiators that never agree play
   100 rounds of `pie` (200 `act` and 200 `observe` calls per negotiation). From their total
   time it subtracts the time of the same Python method bodies called from a Python loop with
   the same arguments, and the time of the same negotiations between two native hardliners (the
   engine's own work); what is left, divided by the number of calls, is the overhead of a
   call: building the state Python sees, calling it, reading its answer.
3. Loading a scenario of 10^6 outcomes (bench/scenarios/syn-6x10, GENIUS XML) and getting every
   outcome's utility as a NumPy array.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import detente

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DETENTE_SHARED", ROOT.parent / "shared"))


def median_time(f, reps: int) -> float:
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def plan_with(path: Path, repetitions: int, tmp: Path) -> Path:
    text = path.read_text()
    out = []
    for line in text.splitlines():
        if line.startswith("repetitions"):
            line = f"repetitions = {repetitions}"
        elif line.strip().startswith('"../'):
            rel = line.strip().rstrip(",").strip('"')
            line = f'    "{(path.parent / rel).resolve()}",'
        out.append(line)
    plan = tmp / f"{path.stem}-{repetitions}.toml"
    plan.write_text("\n".join(out) + "\n")
    return plan


def tournament(binary: str, plan: Path, tmp: Path, reps: int) -> dict:
    """Medians of interleaved runs: the command line, Python writing the folder only
    (`frame=False`), and Python returning the DataFrame too."""

    def cli(out):
        subprocess.run([binary, "tournament", "run", str(plan), "--out", str(out), "-q"],
                       check=True, stderr=subprocess.DEVNULL)

    runs = {
        "cli": cli,
        "folder": lambda out: detente.tournament(plan, out=out, progress=False, frame=False),
        "frame": lambda out: detente.tournament(plan, out=out, progress=False),
    }
    times: dict[str, list[float]] = {k: [] for k in runs}
    for _ in range(reps):
        for name, run in runs.items():
            out = tmp / name
            shutil.rmtree(out, ignore_errors=True)
            t0 = time.perf_counter()
            run(out)
            times[name].append(time.perf_counter() - t0)
    for name in ("folder", "frame"):
        assert (tmp / name / "results.csv").read_bytes() == (tmp / "cli" / "results.csv").read_bytes()
    n = len(detente.read_tournament(tmp / "cli").results)
    return {"negotiations": n, **{k: statistics.median(v) for k, v in times.items()}}


class Never(detente.Negotiator):
    """Offers its best outcome on every turn and never accepts; hears every other action."""

    def init(self, info):
        self.offer = info.outcome_at_least(info.best_utility)

    def act(self, state):
        return self.offer

    def observe(self, party, action, state):
        pass


def call_overhead(reps: int, n: int) -> dict:
    pie = detente.load(ROOT / "scenarios" / "pie" / "pie.toml")
    rounds = 100
    calls = n * rounds * 2 * 2  # act and observe, two parties

    def python():
        for seed in range(n):
            detente.run(pie, [Never(), Never()], rounds=rounds, seed=seed)

    def native():
        for seed in range(n):
            detente.run(pie, ["hardliner", "hardliner"], rounds=rounds, seed=seed)

    probe = detente.run(pie, [Never(), Never()], rounds=rounds)
    assert probe.termination == "deadline" and len(probe) == rounds * 2
    # The same method bodies, called from Python with the same kinds of arguments.
    neg = Never()
    neg.offer = (100,)
    state = _a_state(pie)
    action = detente.Action.offer((100,))

    def bodies():
        act, observe = neg.act, neg.observe
        for _ in range(n * rounds * 2):
            act(state)
            observe(1, action, state)

    t_py, t_native, t_bodies = (median_time(f, reps) for f in (python, native, bodies))
    return {"calls": calls, "python": t_py, "native": t_native, "bodies": t_bodies,
            "per_call_us": (t_py - t_native - t_bodies) / calls * 1e6}


def _a_state(scenario):
    """A real State object, caught from a negotiation."""
    caught = []

    class Catch(Never):
        def act(self, state):
            caught.append(state)
            return super().act(state)

    detente.run(scenario, [Catch(), Never()], rounds=2)
    return caught[-1]


def utility_array(reps: int) -> dict:
    folder = ROOT / "bench" / "scenarios" / "syn-6x10"

    def work():
        u = detente.load(folder).utilities()
        assert u.shape == (2, 1_000_000)

    return {"seconds": median_time(work, reps)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="one small run of each, as a smoke test")
    ap.add_argument("--binary", default=str(ROOT / "target" / "release" / "detente"))
    args = ap.parse_args()
    reps = 1 if args.quick else args.reps
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        plans = [plan_with(ROOT / "examples" / "tournaments" / "small.toml", 3 if args.quick else 139, tmp)]
        anac = ROOT / "examples" / "tournaments" / "anac.toml"
        if (SHARED / "scenarios" / "genius" / "Amsterdam").is_dir() and not args.quick:
            plans.append(plan_with(anac, 35, tmp))
        for plan in plans:
            r = tournament(args.binary, plan, tmp, reps)
            rel = lambda k: (r[k] / r["cli"] - 1) * 100  # noqa: E731
            print(f"tournament {plan.stem}: {r['negotiations']} negotiations: command line "
                  f"{r['cli'] * 1000:.1f} ms; Python, folder only {r['folder'] * 1000:.1f} ms "
                  f"({rel('folder'):+.1f}%), with the DataFrame {r['frame'] * 1000:.1f} ms "
                  f"({rel('frame'):+.1f}%)")
    r = call_overhead(reps, 5 if args.quick else 200)
    print(f"Python negotiator: {r['calls']} calls in {r['python']:.3f} s; native engine "
          f"{r['native']:.3f} s; method bodies {r['bodies']:.3f} s; overhead "
          f"{r['per_call_us']:.2f} us per call")
    r = utility_array(reps)
    print(f"load syn-6x10 and utilities() of 10^6 outcomes: {r['seconds'] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
