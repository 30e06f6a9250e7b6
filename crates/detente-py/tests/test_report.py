"""Reports and plots from Python equal `detente report` and `detente plot` on the same inputs."""

from __future__ import annotations

import pytest

import detente
from conftest import PIE, REPO

SMALL = REPO / "examples" / "tournaments" / "small.toml"


@pytest.fixture
def files(cli, tmp_path):
    trace = tmp_path / "t.json"
    trace.write_text(cli.stdout("run", "--json"))
    sweep = tmp_path / "s.json"
    sweep.write_text(cli.stdout("sweep", PIE, "--vary", "reservation.Bob=0.1:0.3:0.1",
                                "--seeds", 2, "--json"))
    folder = tmp_path / "tour"
    cli.run("tournament", "run", SMALL, "-o", folder, "-q")
    return {"trace": trace, "sweep": sweep, "folder": folder, "tmp": tmp_path}


def test_reports_equal_the_command_line(cli, files):
    tmp = files["tmp"]
    cli.run("report", files["trace"], "-o", tmp / "t.html", "--scenario",
            REPO / "scenarios" / "ukraine-2025" / "ukraine-2025.toml")
    assert detente.report(detente.run()) == (tmp / "t.html").read_text()
    detente.report(files["trace"], tmp / "t2.html", scenario=detente.builtin())
    assert (tmp / "t2.html").read_text() == (tmp / "t.html").read_text()
    cli.run("report", files["folder"], "-o", tmp / "f.html")
    assert detente.report(files["folder"]) == (tmp / "f.html").read_text()
    assert detente.report(detente.read_tournament(files["folder"])) == (tmp / "f.html").read_text()
    cli.run("report", files["sweep"], "-o", tmp / "s.html")
    sweep = detente.sweep(PIE, "reservation.Bob=0.1:0.3:0.1", seeds=2)
    assert detente.report(sweep) == (tmp / "s.html").read_text()


@pytest.mark.parametrize("kind,source,ext", [
    ("utility-space", "trace", "svg"), ("concession", "trace", "png"),
    ("tournament", "folder", "svg"), ("heatmap", "folder", "png"), ("sweep", "sweep", "svg"),
])
def test_plots_equal_the_command_line(cli, files, kind, source, ext):
    tmp = files["tmp"]
    cli.run("plot", kind, files[source], "-o", tmp / f"cli.{ext}")
    detente.plot(kind, files[source], tmp / f"py.{ext}")
    assert (tmp / f"py.{ext}").read_bytes() == (tmp / f"cli.{ext}").read_bytes()
    if ext == "svg":
        assert detente.plot(kind, files[source]) == (tmp / "cli.svg").read_text()


def test_plot_options_and_errors(cli, files):
    tmp = files["tmp"]
    cli.run("plot", "utility-space", files["trace"], "-o", tmp / "a.svg",
            "--parties", "Ukraine,Russia", "--title", "T")
    svg = detente.plot("utility-space", files["trace"], parties=("Ukraine", "Russia"), title="T")
    assert svg == (tmp / "a.svg").read_text()
    with pytest.raises(detente.InputError, match="a sweep plot needs a sweep"):
        detente.plot("sweep", files["trace"])
    with pytest.raises(detente.InputError, match="unknown plot kind"):
        detente.plot("pie-chart", files["trace"])
    with pytest.raises(detente.InputError, match="SVG or PNG"):
        detente.plot("concession", files["trace"], tmp / "x.pdf")
    with pytest.raises(detente.InputError, match="not those of scenario `pie`"):
        detente.report(files["trace"], scenario=PIE)
