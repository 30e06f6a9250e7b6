"""Tournaments: a plan file run from Python writes the folder `detente tournament run` writes
(results and summary identical), the DataFrame holds its rows, plans can be built from Python
objects, progress is reported, and bad plans give the command line's messages."""

from __future__ import annotations

import pytest

import detente
from conftest import BUYER_SELLER, PIE, REPO

SMALL = REPO / "examples" / "tournaments" / "small.toml"


def test_plan_file_equals_the_command_line(cli, tmp_path):
    cli.run("tournament", "run", SMALL, "-o", tmp_path / "cli", "-q")
    df = detente.tournament(SMALL, out=tmp_path / "py", progress=False)
    for name in ("results.csv", "summary.csv", "summary.json", "scenarios.csv"):
        assert (tmp_path / "py" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name
    out = detente.read_tournament(tmp_path / "cli")
    assert out.name == "small" and str(out.folder) == str(tmp_path / "cli")
    assert out.results.equals(df)
    assert len(df) == 360
    assert list(df.columns[:6]) == ["index", "scenario", "repetition", "seed", "n0", "n1"]
    assert df["seed"].dtype.name == "uint64" and df["u0"].dtype.name == "float64"
    assert str(df["pareto_optimal"].dtype) == "boolean"
    summary = out.summary
    assert list(summary["negotiator"]) == [n["name"] for n in out.summary_dict()["negotiators"]]
    assert out.summary_text.startswith("small: 360 negotiations")
    text = cli.stdout("tournament", "run", SMALL, "-o", tmp_path / "again")
    assert out.summary_text.strip() == text.strip()


def test_rows_are_the_engines_negotiations():
    df = detente.tournament(negotiators={"B": "boulware", "C": "conceder:e=3"},
                            scenarios=[PIE, detente.load(BUYER_SELLER)], repetitions=2, seed=9,
                            rounds=30, progress=False)
    assert len(df) == 2 * 4 * 2
    assert set(df.scenario) == {"pie", "buyer-seller"}
    for row in df.itertuples():
        specs = ["boulware" if n == "B" else "conceder:e=3" for n in (row.n0, row.n1)]
        path = PIE if row.scenario == "pie" else BUYER_SELLER
        t = detente.run(path, specs, seed=row.seed, rounds=30)
        assert t.termination == row.termination and t.rounds == row.rounds
        assert [t.utilities[p] for p in t.parties] == [row.u0, row.u1]
        assert row.seed == detente.derive_seed(9, row.index)


def test_progress_callback():
    calls = []
    detente.tournament(negotiators=["boulware", "linear"], scenarios=[PIE], repetitions=3,
                       progress=lambda done, total: calls.append((done, total)), batch=4)
    assert calls[0] == (0, 12) and calls[-1] == (12, 12)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_bad_plans(cli, tmp_path):
    with pytest.raises(detente.MissingFileError) as e:
        detente.tournament(tmp_path / "nope.toml")
    assert str(e.value) == cli.error("tournament", "run", tmp_path / "nope.toml")
    plan = tmp_path / "p.toml"
    plan.write_text(f'format = 1\nseed = 1\nscenarios = ["{PIE}"]\n'
                    '[[negotiators]]\nkind = "boulwar"\n')
    with pytest.raises(detente.InputError) as e:
        detente.tournament(plan, progress=False)
    assert str(e.value) == cli.error("tournament", "run", plan, "-o", tmp_path / "o")
    with pytest.raises(detente.InputError, match="unknown negotiator kind `boulwar`"):
        detente.tournament(negotiators={"X": "boulwar"}, scenarios=[PIE])
    with pytest.raises(detente.InputError, match="either a plan file or negotiators"):
        detente.tournament(SMALL, negotiators={"X": "linear"}, scenarios=[PIE])
    with pytest.raises(detente.InputError, match="a plan file, or both"):
        detente.tournament(negotiators={"X": "linear"})
    with pytest.raises(detente.InputError, match="named `pie`, like"):
        detente.tournament(negotiators=["linear"], scenarios=[PIE, PIE])
    with pytest.raises(detente.InputError, match="threads must be at least 1"):
        detente.tournament(negotiators=["linear"], scenarios=[PIE], threads=0)


def test_resume_continues_a_folder(tmp_path):
    out = tmp_path / "r"
    first = detente.tournament(SMALL, out=out, progress=False)
    again = detente.tournament(SMALL, out=out, resume=True, progress=False)
    assert again.equals(first)
    with pytest.raises(detente.InputError, match="resume|already"):
        detente.tournament(SMALL, out=out, progress=False)


def test_a_raising_progress_callback_stops_the_run(tmp_path):
    def stop(done, total):
        if done >= 8:
            raise KeyboardInterrupt

    out = tmp_path / "r"
    with pytest.raises(KeyboardInterrupt):
        detente.tournament(SMALL, out=out, batch=8, threads=1, progress=stop)
    rows = (out / "results.csv").read_text().splitlines()
    assert 1 + 8 <= len(rows) < 1 + 360
    resumed = detente.tournament(SMALL, out=out, resume=True, progress=False)
    assert resumed.equals(detente.tournament(SMALL, progress=False))


def test_ctrl_c_stops_a_tournament_between_batches(tmp_path):
    import signal
    import subprocess
    import sys

    text = SMALL.read_text().replace("repetitions = 5", "repetitions = 5000")
    text = text.replace('"../../scenarios/', f'"{REPO / "scenarios"}/')
    plan = tmp_path / "big.toml"
    plan.write_text(text)
    out = tmp_path / "big"
    script = f"import detente; detente.tournament({str(plan)!r}, out={str(out)!r}, batch=256)"
    p = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True)
    seen = ""
    while "negotiations" not in seen:
        c = p.stderr.read(1)
        assert c, f"the tournament ended before it reported progress: {seen}"
        seen += c
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=300)
    assert p.returncode != 0 and "KeyboardInterrupt" in err, err
    done = len((out / "results.csv").read_text().splitlines()) - 1
    assert 0 <= done < 360_000
    assert done % 256 == 0, "whole batches only"


def test_native_tournaments_release_the_interpreter(tmp_path):
    """While the engine runs a native tournament, other Python threads run: this thread counts
    between the run's first and last progress report (one batch in between)."""
    import threading

    text = SMALL.read_text().replace("repetitions = 5", "repetitions = 20")
    text = text.replace('"../../scenarios/', f'"{REPO / "scenarios"}/')
    plan = tmp_path / "p.toml"
    plan.write_text(text)
    started, finished = threading.Event(), threading.Event()

    def progress(done, total):
        (finished if done == total else started).set()

    worker = threading.Thread(target=detente.tournament, args=(plan,),
                              kwargs=dict(progress=progress, batch=10**6))
    worker.start()
    assert started.wait(60)
    count = 0
    while not finished.is_set():
        count += 1
    worker.join()
    assert count > 10_000, count
