#!/usr/bin/env python3
"""Writes the seeded synthetic GENIUS XML scenarios the benchmarks share (bench/scenarios/).

Each scenario has k issues of 10 values (10^k outcomes) and two linear additive profiles with
opposed preferences: on every issue, party b's evaluations fall where party a's rise. Every
issue's largest evaluation is exactly 1, so GENIUS semantics (detente divides each evaluation
by the issue's largest) and NegMAS's raw evaluations give the same utilities. Weights are
written with six decimals summing to exactly 1; reservation values are 0, no discounting.

Standard library only (Python's Mersenne Twister is stable across versions for a given seed),
so `bench/compare --quick` needs no virtual environment.

    python3 bench/gen_scenarios.py            # (re)write the files
    python3 bench/gen_scenarios.py --check    # exit 1 when a committed file differs
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 42
N_VALUES = 10
SIZES = (4, 5, 6)  # issues: 10^4, 10^5 and 10^6 outcomes


def evaluations(rng: random.Random) -> tuple[list[str], list[str]]:
    """One issue's evaluations for parties a and b, as six-decimal strings, each with max 1."""
    raw = [rng.random() for _ in range(N_VALUES)]
    top = max(raw)
    a = [x / top for x in raw]
    b_raw = [1.0 - x for x in a]
    b_top = max(b_raw)
    b = [x / b_top for x in b_raw]

    def fmt(xs: list[float]) -> list[str]:
        out = [f"{x:.6f}" for x in xs]
        # The largest must read back as exactly 1.
        out[max(range(len(xs)), key=lambda j: xs[j])] = "1"
        return out

    return fmt(a), fmt(b)


def weights(rng: random.Random, k: int) -> list[str]:
    """k positive weights in millionths, summing to exactly 1."""
    raw = [rng.randint(1, 1000) for _ in range(k)]
    total = sum(raw)
    micro = [r * 1_000_000 // total for r in raw]
    micro[-1] += 1_000_000 - sum(micro)
    return [f"{m / 1_000_000:.6f}" for m in micro]


def scenario(k: int) -> dict[str, str]:
    """The files of the k-issue scenario: name -> contents."""
    rng = random.Random(SEED * 1000 + k)
    name = f"syn{k}x{N_VALUES}"
    evals = [evaluations(rng) for _ in range(k)]
    wa, wb = weights(rng, k), weights(rng, k)
    issues = []
    for i in range(k):
        items = "".join(
            f'      <item index="{j + 1}" value="v{j}"></item>\n' for j in range(N_VALUES)
        )
        issues.append(
            f'    <issue index="{i + 1}" etype="discrete" type="discrete" vtype="discrete" '
            f'name="i{i}">\n{items}    </issue>\n'
        )
    domain = (
        "<negotiation_template>\n"
        f'  <utility_space number_of_issues="{k}">\n'
        f'  <objective index="0" etype="objective" type="objective" name="{name}">\n'
        + "".join(issues)
        + "  </objective>\n  </utility_space>\n</negotiation_template>\n"
    )
    files = {f"{name}_domain.xml": domain}
    for party, w, side in (("a", wa, 0), ("b", wb, 1)):
        body = []
        for i in range(k):
            items = "".join(
                f'      <item index="{j + 1}" value="v{j}" evaluation="{evals[i][side][j]}"></item>\n'
                for j in range(N_VALUES)
            )
            body.append(
                f'    <issue index="{i + 1}" etype="discrete" type="discrete" vtype="discrete" '
                f'name="i{i}">\n{items}    </issue>\n'
            )
        body += [f'    <weight index="{i + 1}" value="{w[i]}"></weight>\n' for i in range(k)]
        files[f"{name}_{party}.xml"] = (
            "<utility_space>\n"
            '  <reservation value="0"></reservation>\n'
            '  <discount_factor value="1"></discount_factor>\n'
            f'  <objective index="0" etype="objective" type="objective" name="{name}">\n'
            + "".join(body)
            + "  </objective>\n</utility_space>\n"
        )
    return files


def main() -> int:
    check = "--check" in sys.argv[1:]
    stale = []
    for k in SIZES:
        folder = HERE / "scenarios" / f"syn-{k}x{N_VALUES}"
        for fname, text in scenario(k).items():
            path = folder / fname
            if check:
                if not path.exists() or path.read_text() != text:
                    stale.append(str(path.relative_to(HERE)))
            else:
                folder.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
    if stale:
        print("out of date (run python3 bench/gen_scenarios.py):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
