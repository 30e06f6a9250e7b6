"""Inspection, forecasts and sweeps equal `detente inspect --json` and `detente sweep --json`."""

from __future__ import annotations

import pytest

import detente
from conftest import PIE, REPO

RECORD = REPO / "examples" / "traces" / "ukraine-2025-spring.toml"


def test_inspect_a_run_equals_the_command_line(cli, tmp_path):
    path = tmp_path / "t.json"
    path.write_text(cli.stdout("run", "--json", "--seed", 4))
    expected = cli.stdout("inspect", path, "--json", "--simulations", 50)
    trace = detente.run(seed=4)
    assert detente.inspect(trace, simulations=50).to_json() + "\n" == expected
    assert detente.inspect(path, simulations=50).to_json() + "\n" == expected
    ins = detente.inspect(trace, simulations=50, cut=5, seed=3)
    assert ins.to_json() + "\n" == cli.stdout("inspect", path, "--json", "--simulations", 50,
                                              "--cut", 5, "--seed", 3)
    assert set(ins.strategies) == set(trace.parties)
    assert ins.forecast == ins.to_dict()["forecast"]
    assert detente.forecast(trace, simulations=50, cut=5, seed=3) == ins.forecast


def test_inspect_a_record_of_real_talks(cli):
    expected = cli.stdout("inspect", RECORD, "--json", "--simulations", 40)
    ins = detente.inspect(RECORD, simulations=40)
    assert ins.to_json() + "\n" == expected
    assert ins.outcome.startswith("unfinished") or ins.outcome


def test_inspect_on_another_scenario(cli, tmp_path):
    path = tmp_path / "pie.json"
    path.write_text(cli.stdout("run", PIE, "--json"))
    expected = cli.stdout("inspect", path, "--scenario", PIE, "--json")
    assert detente.inspect(path, PIE).to_json() + "\n" == expected
    assert detente.inspect(detente.run(PIE)).to_json() + "\n" == expected


def test_inspect_bad_input(cli):
    trace = detente.run(PIE)
    with pytest.raises(detente.InputError, match="cut 99: the forecast can start"):
        detente.inspect(trace, cut=99)
    with pytest.raises(detente.InputError, match="stall_window must be at least 1"):
        detente.inspect(trace, stall_window=0)
    with pytest.raises(detente.MissingFileError, match="nope.json: no such file"):
        detente.inspect("nope.json")


@pytest.mark.parametrize("args", [
    (PIE, ["reservation.Bob=0.1:0.5:0.2"], {"seeds": 3}),
    (None, ["reservation.Russia=0.4:0.6:0.1"], {"seeds": 2, "jitter": 0.3}),
    (PIE, ["rounds=10,20", "e.Alice=0.2,1"], {"seeds": 2, "negotiators": {"Bob": "random"}}),
])
def test_sweep_equals_the_command_line(cli, args):
    scenario, vary, options = args
    cmd = ["sweep", *([scenario] if scenario else []), "--json"]
    for v in vary:
        cmd += ["--vary", v]
    cmd += ["--seeds", options["seeds"]]
    if "jitter" in options:
        cmd += ["--jitter", options["jitter"]]
    for party, spec in options.get("negotiators", {}).items():
        cmd += ["--negotiator", f"{party}={spec}"]
    sweep = detente.sweep(scenario, vary, **options)
    assert sweep.to_json() + "\n" == cli.stdout(*cmd)
    df = sweep.to_pandas()
    assert len(df) == len(sweep.to_dict()["points"])
    assert "agreement_rate_low" in df.columns and "welfare_high" in df.columns


def test_sweep_bad_input(cli):
    with pytest.raises(detente.InputError) as e:
        detente.sweep(PIE, "colour.Bob=1,2")
    # The command line names its option (`--vary ...`); the cause is word for word the same.
    cause = cli.error("sweep", PIE, "--vary", "colour.Bob=1,2").split(" ", 1)[1]
    assert str(e.value) == f"vary: {cause}"
    with pytest.raises(detente.InputError, match="one or two parameters"):
        detente.sweep(PIE, ["rounds=1,2"] * 3)
