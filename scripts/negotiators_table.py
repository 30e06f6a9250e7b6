#!/usr/bin/env python3
"""The tournament evidence table of docs/negotiators.md, made from a tournament's results.

    python3 scripts/negotiators_table.py --run            # run the plan, rewrite the table
    python3 scripts/negotiators_table.py --run --resume   # continue a stopped run
    python3 scripts/negotiators_table.py --results DIR    # table of a finished run, to stdout
    python3 scripts/negotiators_table.py --quick --run --output DIR --no-docs
                                                          # the same on 2 small domains

The plan (default `examples/tournaments/anac-agents.toml`) holds the list of negotiators; to
add one, add its `[[negotiators]]` block there and rerun with `--run`. `--quick` derives a plan
with the same negotiators on two small domains and two repetitions (written into the output
folder's parent), for the test suite.

Per negotiator, over every role it played (a self-play negotiation counts twice):

- mean utility (the `u*` column: the agreement's utility, or the reservation value) and a
  Student-t 95% interval over the *repetitions*: repetition `r` of every pairing on every
  domain runs with seeds of its own, so the negotiator's mean over repetition `r` is one
  independent draw of its tournament mean; the interval is over those draws. When the draws
  are identical (the negotiator and its opponents are deterministic on every pairing), no
  interval is printed;
- agreement rate; mean distance of the outcome to the Pareto frontier (`dist_frontier`);
- opponent-model accuracy at the end of its negotiations (`model_pearson*`, `model_ranking*`),
  for negotiators that keep models, on domains of at most 100,000 outcomes.

Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "examples" / "tournaments" / "anac-agents.toml"
DOCS = ROOT / "docs" / "negotiators.md"
BEGIN = "<!-- tournament-table: begin (scripts/negotiators_table.py writes this part) -->"
END = "<!-- tournament-table: end -->"
# The two domains of the quick variant (small, so that a debug build runs it in seconds).
QUICK_DOMAINS = ("NiceOrDieC", "FiftyFiftyC")

# t(0.975, df) for df = 1..30; above, the normal quantile is within 0.02 of it at df = 30.
T975 = [
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
    2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
    2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
]


def t975(df: int) -> float:
    return T975[df - 1] if df <= len(T975) else 1.959964


def quick_plan(plan: Path, out: Path, only: list[str] | None) -> Path:
    """A plan with the negotiators of `plan` (those named in `only`, if given) on
    QUICK_DOMAINS, 2 repetitions."""
    text = plan.read_text()
    if only is not None:
        head, *blocks = re.split(r"(?m)^(?=\[\[negotiators\]\])", text)
        kept = [b for b in blocks if tomllib.loads(b)["negotiators"][0].get("name") in only]
        if len(kept) != len(only):
            sys.exit(f"{plan}: --only names negotiators the plan does not have")
        text = head + "".join(kept)
    doc = tomllib.loads(text)
    base = plan.parent
    scenarios = [s for s in doc["scenarios"] if Path(s).name in QUICK_DOMAINS]
    if len(scenarios) != len(QUICK_DOMAINS):
        sys.exit(f"{plan}: the quick variant needs the domains {', '.join(QUICK_DOMAINS)}")
    listed = ", ".join(f'"{(base / s).resolve().as_posix()}"' for s in scenarios)
    text = re.sub(r"(?ms)^scenarios = \[.*?^\]", f"scenarios = [{listed}]", text, count=1)
    text = re.sub(r"(?m)^repetitions = \d+", "repetitions = 2", text, count=1)
    text = re.sub(r'(?m)^name = "([^"]*)"', r'name = "\1-quick"', text, count=1)
    out.parent.mkdir(parents=True, exist_ok=True)
    path = out.parent / (out.name + ".plan.toml")
    path.write_text(text)
    return path


def run(binary: Path, plan: Path, out: Path, resume: bool) -> None:
    if not resume and out.exists() and any(out.iterdir()):
        sys.exit(f"{out} already holds results: remove it, or continue it with --resume")
    cmd = [str(binary), "-q", "tournament", "run", str(plan), "-o", str(out)]
    cmd += ["--resume"] if resume else []
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)


def number(cell: str) -> float | None:
    return float(cell) if cell != "" else None


def mean(xs: list[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None


class Agent:
    """What the table says of one negotiator, folded from the result rows."""

    def __init__(self) -> None:
        self.utilities: dict[int, list[float]] = {}  # by repetition
        self.results: dict[tuple, set] = {}  # (scenario, pairing, role) -> distinct results
        self.agreements = 0
        self.frontier: list[float] = []
        self.pearson: list[float] = []
        self.ranking: list[float] = []

    def add(self, row: dict, role: int) -> None:
        u = float(row[f"u{role}"])
        self.utilities.setdefault(int(row["repetition"]), []).append(u)
        pairing = tuple(row[k] for k in sorted(row) if re.fullmatch(r"n\d+", k))
        outcome = (row["termination"], row["agreement"], row["rounds"], u)
        self.results.setdefault((row["scenario"], pairing, role), set()).add(outcome)
        self.agreements += row["termination"] == "agreement"
        for cell, into in (
            (row.get("dist_frontier", ""), self.frontier),
            (row.get(f"model_pearson{role}", ""), self.pearson),
            (row.get(f"model_ranking{role}", ""), self.ranking),
        ):
            x = number(cell)
            if x is not None:
                into.append(x)

    def observations(self) -> int:
        return sum(len(v) for v in self.utilities.values())

    def mean_utility(self) -> float:
        return sum(sum(v) for v in self.utilities.values()) / self.observations()

    def interval(self) -> tuple[float, float] | None:
        """95% interval of the mean over the per-repetition means; None when they are equal."""
        draws = [mean(v) for _, v in sorted(self.utilities.items())]
        if len(draws) < 2 or max(draws) == min(draws):
            return None
        m = sum(draws) / len(draws)
        s = math.sqrt(sum((x - m) ** 2 for x in draws) / (len(draws) - 1))
        h = t975(len(draws) - 1) * s / math.sqrt(len(draws))
        return m - h, m + h

    def identical_repeats(self) -> bool:
        return all(len(v) == 1 for v in self.results.values())


def complete_scenarios(results: Path) -> tuple[set[str], list[str]]:
    """The scenarios all of whose negotiations are in the results, and those with only some
    (a run that was stopped: `--resume` completes it)."""
    counts: dict[str, int] = {}
    with open(results / "results.csv", newline="") as f:
        for row in csv.DictReader(f):
            counts[row["scenario"]] = counts.get(row["scenario"], 0) + 1
    full = max(counts.values(), default=0)
    done = {k for k, n in counts.items() if n == full}
    return done, sorted(k for k in counts if k not in done)


def fold(results: Path, scenarios_kept: set[str]) -> tuple[dict[str, Agent], int, int, int]:
    agents: dict[str, Agent] = {}
    negotiations, repetitions, scenarios = 0, set(), set()
    with open(results / "results.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["scenario"] not in scenarios_kept:
                continue
            negotiations += 1
            repetitions.add(row["repetition"])
            scenarios.add(row["scenario"])
            role = 0
            while f"n{role}" in row and row[f"n{role}"] not in ("", None):
                name = row[f"n{role}"].removeprefix("'")
                agents.setdefault(name, Agent()).add(row, role)
                role += 1
    return agents, negotiations, len(repetitions), len(scenarios)


def fmt(x: float | None, digits: int = 3) -> str:
    return "" if x is None else f"{x:.{digits}f}"


def table(results: Path, expected: list[str]) -> str:
    kept, partial = complete_scenarios(results)
    agents, negotiations, reps, domains = fold(results, kept)
    if sorted(agents) != sorted(expected):
        sys.exit(f"{results}: the results' negotiators {sorted(agents)} are not the plan's "
                 f"{sorted(expected)}")
    ranked = sorted(agents.items(), key=lambda kv: (-kv[1].mean_utility(), kv[0]))
    lines = [
        f"{negotiations:,} negotiations: {len(agents)} negotiators, every ordered pair "
        f"(self-play included) on {domains} domains, {reps} repetitions with seeds of their "
        "own. Interval: Student-t 95% over the per-repetition means (the independent draws); "
        "`identical` where every repetition of every pairing gave the same result."
        + (f" Left out, as their run is incomplete: {', '.join(partial)}." if partial else ""),
        "",
        "| rank | negotiator | mean utility | 95% CI (over repetitions) | agreement rate "
        "| distance to Pareto | model Pearson | model ranking distance |",
        "|---:|---|---:|---|---:|---:|---:|---:|",
    ]
    for rank, (name, a) in enumerate(ranked, 1):
        ci = a.interval()
        if ci is not None:
            cell = f"[{ci[0]:.3f}, {ci[1]:.3f}]"
        elif a.identical_repeats():
            cell = "identical"
        else:
            cell = "equal means"
        lines.append(
            f"| {rank} | {name} | {a.mean_utility():.3f} | {cell} "
            f"| {a.agreements / a.observations():.3f} | {fmt(mean(a.frontier))} "
            f"| {fmt(mean(a.pearson))} | {fmt(mean(a.ranking))} |"
        )
    return "\n".join(lines) + "\n"


def update_docs(docs: Path, text: str) -> None:
    old = docs.read_text()
    start, end = old.find(BEGIN), old.find(END)
    if start < 0 or end < start:
        sys.exit(f"{docs}: the markers {BEGIN!r} and {END!r} are missing")
    docs.write_text(old[: start + len(BEGIN)] + "\n" + text + old[end:])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--plan", type=Path, default=PLAN)
    p.add_argument("--run", action="store_true", help="run the plan first")
    p.add_argument("--resume", action="store_true",
                   help="with --run: continue a run that was stopped (same plan and folder)")
    p.add_argument("--quick", action="store_true", help="two small domains, two repetitions")
    p.add_argument("--binary", type=Path, default=None,
                   help="detente binary (default: $DETENTE_BIN or target/release/detente)")
    p.add_argument("--output", type=Path, default=None,
                   help="results folder to write with --run (default target/NAME-results)")
    p.add_argument("--only", default=None,
                   help="with --quick: comma-separated negotiator names to keep")
    p.add_argument("--results", type=Path, default=None, help="a finished run's folder")
    p.add_argument("--docs", type=Path, default=DOCS, help="the page whose table to rewrite")
    p.add_argument("--no-docs", action="store_true", help="print the table only")
    p.add_argument("--update-docs", action="store_true",
                   help="with --results: also rewrite the table in --docs")
    args = p.parse_args()

    only = args.only.split(",") if args.only else None
    if only is not None and not args.quick:
        p.error("--only goes with --quick")
    if args.run:
        name = tomllib.loads(args.plan.read_text()).get("name", args.plan.stem)
        suffix = "-quick" if args.quick else ""
        out = args.output or ROOT / "target" / f"{name}{suffix}-results"
        plan = quick_plan(args.plan, out, only) if args.quick else args.plan
        default = ROOT / "target" / "release" / "detente"
        binary = args.binary or Path(os.environ.get("DETENTE_BIN", default))
        run(binary, plan, out, args.resume)
        results = out
    elif args.results is not None:
        results = args.results
    else:
        p.error("give --run or --results DIR")
    negotiators = tomllib.loads(plan.read_text() if args.run else args.plan.read_text())
    expected = [n.get("name", n["kind"]) for n in negotiators["negotiators"]]
    text = table(results, expected)
    print(text, end="")
    if (args.run and not args.no_docs and not args.quick) or args.update_docs:
        update_docs(args.docs, text)
        print(f"wrote the table into {args.docs}", file=sys.stderr)


if __name__ == "__main__":
    main()
