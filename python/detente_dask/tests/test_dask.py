"""The Dask driver on a real LocalCluster: the merged results equal a single-process run
byte for byte."""

import os
import subprocess
from pathlib import Path

import pytest
from dask.distributed import Client, LocalCluster

from detente_dask import choose_shards, run_tournament

REPO = Path(__file__).resolve().parents[3]


def detente_binary() -> str:
    binary = os.environ.get("DETENTE_BIN") or str(REPO / "target" / "debug" / "detente")
    if not os.path.exists(binary):
        pytest.fail(f"the detente binary is not built ({binary}); run cargo build -p detente-cli")
    return binary


def write_plan(tmp: Path) -> Path:
    scen = REPO / "scenarios"
    plan = tmp / "plan.toml"
    plan.write_text(
        f"""format = 1
name = "dask-test"
seed = 3
repetitions = 4
rounds = 30
scenarios = ["{scen / 'pie' / 'pie.toml'}", "{scen / 'buyer-seller' / 'buyer-seller.toml'}"]
[[negotiators]]
kind = "boulware"
[[negotiators]]
kind = "conceder"
[[negotiators]]
kind = "random"
"""
    )
    return plan


def test_choose_shards():
    assert choose_shards(0, 4) == 1
    assert choose_shards(1000, 4) == 1  # too small to split
    assert choose_shards(50_000, 2) == 8  # 4 per worker thread
    assert choose_shards(50_000, 100) == 10  # no shard below 5,000
    assert choose_shards(7, 4, min_per_shard=1) == 7


def test_local_cluster_matches_single_process(tmp_path):
    binary = detente_binary()
    plan = write_plan(tmp_path)
    single = tmp_path / "single"
    subprocess.run(
        [binary, "tournament", "run", str(plan), "-o", str(single), "--threads", "1", "-q"],
        check=True,
    )
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, Client(cluster) as client:
        result = run_tournament(client, plan, tmp_path / "dask", shards=3, binary=binary)
    assert result.shards == 3
    assert result.negotiations == 2 * 9 * 4
    expected = (single / "results.csv").read_bytes()
    got = (result.out / "results.csv").read_bytes()
    # Rows are in index order in both; compare after sorting too, as the contract states.
    assert sorted(got.splitlines()[1:]) == sorted(expected.splitlines()[1:])
    assert got == expected
    assert (result.out / "summary.json").read_bytes() == (single / "summary.json").read_bytes()
    assert result.summary["negotiations"] == 72
    # Each shard holds about a third of the rows.
    for i in range(3):
        rows = (result.out.parent / "shards" / f"shard-{i}" / "results.csv").read_text().splitlines()
        assert len(rows) - 1 == 24
