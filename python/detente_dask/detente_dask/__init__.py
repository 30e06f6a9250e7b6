"""Run detente tournaments on a Dask cluster.

Each Dask task runs the ``detente`` binary on one shard of a plan
(``detente tournament run PLAN --shard i/N -o OUT/shard-i --resume``); failed tasks are
retried (a retried shard resumes where it stopped), and the shard outputs are merged with
``detente tournament merge``. Results do not depend on the number of shards or workers.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Union

__all__ = ["TournamentResult", "plan_info", "choose_shards", "run_shard", "run_tournament"]

PathLike = Union[str, "os.PathLike[str]"]

#: Negotiations per shard below which a task would be dominated by process start-up and
#: scenario loading. A built-in negotiation of 100 rounds takes 10-100 microseconds, so 5,000
#: negotiations are at least ~100 ms of work.
MIN_NEGOTIATIONS_PER_SHARD = 5000


@dataclass
class TournamentResult:
    """What :func:`run_tournament` produced."""

    out: Path
    """The merged output folder (``results.csv``, ``summary.csv``, ``summary.json``...)."""
    shards: int
    """How many shards the plan was split into."""
    negotiations: int
    """Negotiations in the plan."""
    summary: dict
    """The parsed ``summary.json``."""
    summary_text: str
    """The summary as ``detente tournament merge`` prints it."""


def _binary(binary: Optional[str]) -> str:
    if binary:
        return binary
    found = os.environ.get("DETENTE_BIN") or shutil.which("detente")
    if not found:
        raise FileNotFoundError(
            "the detente binary is not on PATH; pass binary= or set DETENTE_BIN"
        )
    return found


def _run(cmd: Sequence[str]) -> subprocess.CompletedProcess:
    proc = subprocess.run(list(cmd), capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} exited with {proc.returncode}:\n{proc.stderr.strip()}"
        )
    return proc


def plan_info(plan: PathLike, binary: Optional[str] = None) -> dict:
    """What ``detente tournament info PLAN --json`` says about a plan."""
    out = _run([_binary(binary), "tournament", "info", os.fspath(plan), "--json"]).stdout
    return json.loads(out)


def choose_shards(
    negotiations: int,
    workers: int,
    min_per_shard: int = MIN_NEGOTIATIONS_PER_SHARD,
    per_worker: int = 4,
) -> int:
    """Number of shards: about ``per_worker`` tasks per worker thread (so a slow or lost
    worker delays little), but no shard smaller than ``min_per_shard`` negotiations."""
    if negotiations <= 0:
        return 1
    by_size = max(1, negotiations // max(1, min_per_shard))
    return max(1, min(by_size, max(1, workers) * per_worker, negotiations))


def run_shard(
    plan: str, index: int, count: int, out: str, binary: str, threads: int = 1
) -> str:
    """Runs one shard (resuming whatever an earlier attempt left) and returns its folder.
    This is the function each Dask task executes."""
    _run(
        [
            binary,
            "tournament",
            "run",
            plan,
            "--shard",
            f"{index}/{count}",
            "--output",
            out,
            "--threads",
            str(threads),
            "--resume",
            "--quiet",
        ]
    )
    return out


def _worker_threads(client) -> int:
    try:
        return sum(client.nthreads().values()) or 1
    except Exception:  # an address that does not answer yet
        return 1


def run_tournament(
    client,
    plan: PathLike,
    out: PathLike,
    *,
    shards: Optional[int] = None,
    binary: Optional[str] = None,
    retries: int = 2,
    threads_per_task: int = 1,
    min_per_shard: int = MIN_NEGOTIATIONS_PER_SHARD,
) -> TournamentResult:
    """Runs the tournament ``plan`` on the Dask cluster behind ``client`` and merges the
    shards into ``out`` (shard outputs go to ``out/shards/shard-i``).

    ``shards`` fixes the shard count (default: :func:`choose_shards` from the plan's size and
    the cluster's threads). ``retries`` is passed to ``client.map``: a shard whose process
    fails or whose worker dies is run again and resumes its own partial results.
    ``threads_per_task`` should match the threads a worker gives each task (1 for
    ``threads_per_worker=1`` clusters, the usual choice for this CPU-bound work).
    """
    binary = _binary(binary)
    plan_path = os.path.abspath(os.fspath(plan))
    out_path = Path(os.path.abspath(os.fspath(out)))
    info = plan_info(plan_path, binary)
    total = int(info["negotiations"])
    if shards is None:
        shards = choose_shards(total, _worker_threads(client), min_per_shard)
    if shards < 1:
        raise ValueError("shards must be at least 1")
    shard_root = out_path / "shards"
    shard_root.mkdir(parents=True, exist_ok=True)
    dirs: List[str] = [str(shard_root / f"shard-{i}") for i in range(shards)]
    futures = client.map(
        run_shard,
        [plan_path] * shards,
        list(range(shards)),
        [shards] * shards,
        dirs,
        [binary] * shards,
        [threads_per_task] * shards,
        key=[f"detente-shard-{info['fingerprint']}-{i}-of-{shards}" for i in range(shards)],
        retries=retries,
        pure=False,
    )
    done = client.gather(futures)
    merged = out_path / "merged"
    if merged.exists():
        shutil.rmtree(merged)
    proc = _run([binary, "tournament", "merge", *done, "--output", str(merged)])
    summary = json.loads((merged / "summary.json").read_text())
    return TournamentResult(
        out=merged,
        shards=shards,
        negotiations=total,
        summary=summary,
        summary_text=proc.stdout,
    )
