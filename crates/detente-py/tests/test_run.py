"""`detente.run`: the trace equals `detente run --json` for the same inputs and seed
(both protocols, events, GENIUS files, overrides); the Trace's views; bad input."""

from __future__ import annotations

import json

import pytest

import detente
from conftest import BUYER_SELLER, PIE

CASES = [
    # (scenario paths, {party: spec}, seed, extra CLI args / run kwargs)
    ([], {}, 42, {}),
    ([], {"Russia": "time-based:e=0.3", "Ukraine": "tit-for-tat"}, 7, {}),
    ([PIE], {"Alice": "boulware:e=0.1", "Bob": "random"}, 3, {}),
    ([PIE], {}, 11, {"rounds": 7}),
    ([BUYER_SELLER], {}, 5, {}),
]


def cli_args(paths, specs, seed, extra):
    # The command line adds an ensemble of more runs below the trace; detente.run is one run.
    args = ["run", *paths, "--json", "--ensemble", 0, "--seed", seed]
    for party, spec in specs.items():
        args += ["--negotiator", f"{party}={spec}"]
    if "rounds" in extra:
        args += ["--rounds", extra["rounds"]]
    return args


@pytest.mark.parametrize("paths,specs,seed,extra", CASES)
def test_trace_equals_the_command_line(cli, paths, specs, seed, extra):
    expected = cli.stdout(*cli_args(paths, specs, seed, extra))
    scenario = paths[0] if paths else None
    trace = detente.run(scenario, specs, seed=seed, **extra)
    assert trace.to_json() + "\n" == expected
    assert trace.to_dict() == json.loads(expected)


@pytest.mark.parametrize("options", [
    {"ensemble": 30},
    {"ensemble": 12, "jitter": 0.2, "noise": 0.1, "seed": 9},
    {"ensemble": 5, "jitter": 0, "noise": 0, "specs": {"Alice": "linear", "Bob": "linear"}},
])
def test_an_ensemble_equals_the_command_lines(cli, options):
    options = dict(options)
    specs = options.pop("specs", {})
    paths = [PIE] if specs else []
    args = ["run", *paths, "--json", "--ensemble", options["ensemble"]]
    for flag in ("jitter", "noise", "seed"):
        if flag in options:
            args += [f"--{flag}", options[flag]]
    for party, spec in specs.items():
        args += ["--negotiator", f"{party}={spec}"]
    trace = detente.run(paths[0] if paths else None, specs, **options)
    assert trace.to_json() + "\n" == cli.stdout(*args)
    ensemble = trace.to_dict()["ensemble"]
    assert ensemble["runs"] == options["ensemble"]
    if options.get("noise") == 0 and options.get("jitter") == 0:
        assert ensemble["identical"] and ensemble["agreement_rate_ci95"] is None
    else:
        assert not ensemble["identical"] and ensemble["agreement_rate_ci95"] is not None


def test_an_ensemble_needs_native_negotiators_and_sane_settings():
    class Stubborn(detente.Negotiator):
        def act(self, state):
            return detente.Offer(state.best_outcome) if hasattr(state, "best_outcome") else None

    with pytest.raises(detente.InputError, match="native negotiators only"):
        detente.run(PIE, {"Alice": Stubborn()}, ensemble=3)
    with pytest.raises(detente.InputError, match="noise"):
        detente.run(PIE, ensemble=3, noise=-1)
    with pytest.raises(detente.InputError, match="jitter"):
        detente.run(PIE, ensemble=3, jitter=float("nan"))
    assert "ensemble" not in detente.run(PIE).to_dict()


def test_genius_domain_equals_the_command_line(cli, genius):
    folder = genius("Amsterdam")
    s = detente.load(folder)
    a, b = s.party_names
    expected = cli.stdout("run", folder, "--json", "--ensemble", 0,
                          "--negotiator", f"{a}=boulware", "--negotiator", f"{b}=conceder",
                          "--rounds", 50)
    trace = detente.run(s, ["boulware", "conceder"], rounds=50)
    assert trace.to_json() + "\n" == expected


def test_trace_views():
    trace = detente.run(PIE, {"Alice": "boulware", "Bob": "conceder"}, seed=7)
    d = trace.to_dict()
    assert trace.parties == ["Alice", "Bob"]
    assert trace.negotiators == ["boulware", "conceder"]
    assert trace.termination == d["result"]["termination"] == "agreement"
    assert trace.agreement == d["result"]["agreement"]
    assert trace.utilities == d["result"]["utilities"]
    assert trace.rounds == d["result"]["rounds"] and trace.seed == 7 and trace.deadline == 20
    assert trace.actions == d["actions"] and len(trace) == len(d["actions"])
    assert trace.analysis == d["analysis"] and trace.analysis["pareto_optimal"] in (True, False)
    assert trace.error is None and trace.issues == ["share"]
    assert trace.scenario.name == "pie"
    df = trace.to_pandas()
    assert list(df.columns) == ["round", "time", "party", "action", "share", "u:Alice", "u:Bob"]
    assert len(df) == len(trace)
    for row, a in zip(df.itertuples(index=False), d["actions"]):
        assert (row.round, row.time, row.party, row.action) == (a["round"], a["time"], a["party"], a["action"])
        if "offer" in a:
            assert row.share == a["offer"]["share"]
            assert getattr(row, "_5") == a["utilities"]["Alice"]


def test_trace_read_and_save(tmp_path, cli):
    path = tmp_path / "t.json"
    path.write_text(cli.stdout("run", "--json"))
    trace = detente.Trace.read(path)
    assert trace.to_json() + "\n" == path.read_text()
    trace.save(tmp_path / "u.json")
    assert (tmp_path / "u.json").read_text() == path.read_text()
    assert detente.Trace.from_json(path.read_text()).to_dict() == trace.to_dict()
    with pytest.raises(detente.InputError, match="<string>"):
        detente.Trace.from_json('{"format": "detente-trace/9"}')


def test_unknown_kind_has_the_command_line_message(cli):
    with pytest.raises(detente.InputError) as e:
        detente.run(None, {"Russia": "boulwar"})
    message = cli.error("run", "--negotiator", "Russia=boulwar")
    # The command line names its option; the cause is word for word the same.
    cause = message.split(": ", 1)[1]
    assert str(e.value).endswith(cause)
    assert "unknown negotiator kind `boulwar`; known kinds: time-based, boulware" in cause


def test_other_bad_input(cli):
    with pytest.raises(detente.InputError) as e:
        detente.run(PIE, {"Alice": "boulware:e=2"})
    assert cli.error("run", PIE, "--negotiator", "Alice=boulware:e=2").endswith(
        str(e.value).split(": ", 1)[1])
    with pytest.raises(detente.InputError, match="there is no party `Carol`"):
        detente.run(PIE, {"Carol": "linear"})
    with pytest.raises(detente.InputError, match="rounds must be at least 1"):
        detente.run(PIE, rounds=0)
    with pytest.raises(detente.InputError, match="time_limit must be a positive"):
        detente.run(PIE, time_limit=-1.0)
    with pytest.raises(detente.InputError, match="2 given for 3 parties|given for"):
        detente.run(BUYER_SELLER, ["linear"] * 3)
    with pytest.raises(TypeError):
        detente.run(PIE, seed="x")
    with pytest.raises(TypeError, match="expected a spec"):
        detente.run(PIE, {"Alice": 3.5})
    with pytest.raises(OverflowError):
        detente.run(PIE, seed=-1)
