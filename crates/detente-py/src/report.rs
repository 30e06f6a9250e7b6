//! `detente.report` (a self-contained HTML file) and `detente.plot` (one SVG or PNG picture)
//! of a trace, a tournament or a sweep, through `detente-report`, as `detente report` and
//! `detente plot` draw them.

use std::path::PathBuf;

use detente_core::Scenario;
use detente_formats::{Document, read_document};
use detente_report::plot::sweep::SweepData;
use detente_report::plot::tournament::TournamentData;
use detente_report::plot::{concession, sweep, tournament, utility_space};
use detente_report::{FigureConfig, ReportError, ScenarioFigures, TraceView, html};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

use crate::convert::type_name;
use crate::errors::{OrInput, detente_error, guard, input_error, require_exists};
use crate::inspect::PySweep;
use crate::scenario::{PyScenario, scenario_arg};
use crate::tournament::PyTournamentOutput;
use crate::trace::PyTrace;

/// What a report or a plot is of.
enum Input {
    Trace(Box<TraceView>, Option<Py<PyScenario>>),
    Tournament(Box<TournamentData>),
    Sweep(Box<SweepData>),
}

/// A report-library error is about what it was given (the report reads no files).
fn report_error(e: ReportError) -> PyErr {
    input_error(e)
}

/// Reads what a report is of: a `Trace`, a `Sweep`, a `TournamentOutput`, or a path (a
/// tournament output folder, a JSON trace or a JSON sweep).
fn input_of(obj: &Bound<'_, PyAny>) -> PyResult<Input> {
    if let Ok(t) = obj.cast::<PyTrace>() {
        let t = t.get();
        let view = TraceView::from_doc(&t.doc).map_err(report_error)?;
        let scenario = t.scenario.as_ref().map(|s| s.clone_ref(obj.py()));
        return Ok(Input::Trace(Box::new(view), scenario));
    }
    if let Ok(s) = obj.cast::<PySweep>() {
        let data = SweepData::from_doc(&s.get().doc).map_err(report_error)?;
        return Ok(Input::Sweep(Box::new(data)));
    }
    if let Ok(t) = obj.cast::<PyTournamentOutput>() {
        let data = TournamentData::from_output(t.get().output().clone()).map_err(report_error)?;
        return Ok(Input::Tournament(Box::new(data)));
    }
    let path: PathBuf = obj.extract().map_err(|_| {
        PyTypeError::new_err(format!(
            "expected a detente.Trace, Sweep or TournamentOutput, or a path, not {}",
            type_name(obj)
        ))
    })?;
    require_exists(std::slice::from_ref(&path), "file or folder")?;
    if path.is_dir() {
        let output = detente_tournament::read_output(&path).or_input()?;
        let data = TournamentData::from_output(output).map_err(report_error)?;
        return Ok(Input::Tournament(Box::new(data)));
    }
    let located = |e: ReportError| match e {
        ReportError::Input { at, message } => {
            input_error(format!("{}: {at}: {message}", path.display()))
        }
        ReportError::Unsupported(message) => input_error(format!("{}: {message}", path.display())),
        other => report_error(other),
    };
    Ok(match read_document(&path).or_input()? {
        Document::Trace(doc) => {
            Input::Trace(Box::new(TraceView::from_doc(&doc).map_err(located)?), None)
        }
        Document::Sweep(doc) => Input::Sweep(Box::new(SweepData::from_doc(&doc).map_err(located)?)),
    })
}

/// The scenario of a trace: the one given, else the trace's own, else the built-in one for a
/// trace of it (its name and parties), as the command line does; checked against its parties.
fn trace_scenario(
    view: &TraceView,
    own: Option<Py<PyScenario>>,
    given: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<Py<PyScenario>>> {
    let chosen = match (given.filter(|g| !g.is_none()), own) {
        (Some(g), _) => Some(scenario_arg(Some(g))?),
        (None, Some(own)) => Some(own),
        (None, None) => builtin_for(view)?,
    };
    if let Some(s) = &chosen {
        let scenario = &s.get().scenario;
        if !view.matches(scenario) {
            let names: Vec<&str> = scenario.parties.iter().map(|p| p.name.as_str()).collect();
            return Err(input_error(format!(
                "the trace's parties ({}) are not those of scenario `{}` ({})",
                view.parties.join(", "),
                scenario.name,
                names.join(", ")
            )));
        }
    }
    Ok(chosen)
}

/// The built-in scenario, when `view` is a trace of it.
fn builtin_for(view: &TraceView) -> PyResult<Option<Py<PyScenario>>> {
    let builtin = PyScenario::builtin_scenario()?;
    if view.scenario != builtin.scenario.name || !view.matches(&builtin.scenario) {
        return Ok(None);
    }
    Python::attach(|py| Py::new(py, builtin)).map(Some)
}

fn figures(scenario: Option<&Scenario>, config: &FigureConfig) -> Option<ScenarioFigures> {
    let f = scenario.map(|s| ScenarioFigures::compute(s, config))?;
    let warn = |m: String| {
        Python::attach(|py| {
            let _ = py
                .import("warnings")
                .and_then(|w| w.call_method1("warn", (m,)));
        });
    };
    if let Some(e) = &f.analysis_error {
        warn(format!("the outcome space could not be analysed: {e}"));
    }
    if let Some(e) = &f.cloud_error {
        warn(format!("the outcomes could not be evaluated: {e}"));
    }
    Some(f)
}

/// The HTML page of a report.
fn page(input: Input, scenario: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
    match input {
        Input::Trace(view, own) => {
            let chosen = trace_scenario(&view, own, scenario)?;
            let s = chosen.as_ref().map(|s| &*s.get().scenario);
            let config = FigureConfig::default();
            let f = figures(s, &config);
            html::trace_report(&view, s, f.as_ref(), &config).map_err(report_error)
        }
        Input::Tournament(t) => {
            if scenario.is_some_and(|s| !s.is_none()) {
                return Err(input_error(
                    "scenario applies to traces only; a tournament folder names its own scenarios",
                ));
            }
            Ok(html::tournament_report(&t))
        }
        Input::Sweep(s) => {
            if scenario.is_some_and(|s| !s.is_none()) {
                return Err(input_error("scenario applies to traces only"));
            }
            Ok(html::sweep_report(&s))
        }
    }
}

/// Writes a self-contained HTML report of `of`: a `Trace` (its scenario adds the outcome space,
/// the frontier and the special points; a trace file of the built-in talks is drawn against
/// the built-in scenario, as on the command line), a `TournamentOutput` or tournament folder, a
/// `Sweep`, or the path of a JSON trace or sweep. Returns the HTML when `path` is `None`.
#[pyfunction]
#[pyo3(signature = (of, path = None, *, scenario = None))]
pub fn report(
    py: Python<'_>,
    of: &Bound<'_, PyAny>,
    path: Option<PathBuf>,
    scenario: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<String>> {
    guard(|| {
        let input = input_of(of)?;
        let html = page(input, scenario)?;
        match path {
            None => Ok(Some(html)),
            Some(p) => {
                py.detach(|| std::fs::write(&p, html))
                    .map_err(|e| detente_error(format!("writing {}: {e}", p.display())))?;
                Ok(None)
            }
        }
    })
}

/// The options of a plot.
struct PlotOptions {
    parties: Option<(String, String)>,
    title: Option<String>,
}

fn utility_space_svg(
    view: &TraceView,
    scenario: Option<&Scenario>,
    options: &PlotOptions,
) -> PyResult<String> {
    let config = FigureConfig::default();
    let f = figures(scenario, &config);
    let title = options
        .title
        .clone()
        .unwrap_or_else(|| format!("{}: utility space", view.scenario));
    match &options.parties {
        Some((x, y)) => {
            let idx = |name: &str| {
                view.parties
                    .iter()
                    .position(|p| p == name.trim())
                    .ok_or_else(|| {
                        input_error(format!(
                            "parties: there is no party `{}` (parties: {})",
                            name.trim(),
                            view.parties.join(", ")
                        ))
                    })
            };
            let d = utility_space::utility_space(view, f.as_ref(), idx(x)?, idx(y)?, &config)
                .map_err(report_error)?;
            Ok(utility_space::render(&d, &title))
        }
        None => {
            let pairs = utility_space::utility_space_pairs(view, f.as_ref(), &config)
                .map_err(report_error)?;
            Ok(utility_space::render_panels(&pairs, &title))
        }
    }
}

/// The SVG of a plot of `kind` of `input`.
fn svg_of(
    kind: &str,
    input: Input,
    scenario: Option<&Bound<'_, PyAny>>,
    options: &PlotOptions,
) -> PyResult<String> {
    let wrong = |needs: &str| input_error(format!("a {kind} plot needs {needs}"));
    if options.parties.is_some() && kind != "utility-space" {
        return Err(input_error("parties applies to utility-space plots only"));
    }
    let title = |default: String| options.title.clone().unwrap_or(default);
    Ok(match (kind, input) {
        ("utility-space", Input::Trace(view, own)) => {
            let chosen = trace_scenario(&view, own, scenario)?;
            utility_space_svg(&view, chosen.as_ref().map(|s| &*s.get().scenario), options)?
        }
        ("concession", Input::Trace(view, _)) => concession::render(
            &concession::concession(&view),
            &title(format!("{}: concession curves", view.scenario)),
        ),
        ("tournament", Input::Tournament(t)) => {
            tournament::render_summary(&t, &title(format!("{}: negotiators", t.summary.tournament)))
        }
        ("heatmap", Input::Tournament(t)) => tournament::render_heatmap(
            &t.heat,
            &title(format!(
                "{}: negotiator against opponent",
                t.summary.tournament
            )),
        ),
        ("sweep", Input::Sweep(s)) => {
            sweep::render(&s, &title(format!("Sweep of {}", s.parameter)))
        }
        ("utility-space" | "concession", _) => return Err(wrong("a trace")),
        ("tournament" | "heatmap", _) => return Err(wrong("a tournament")),
        ("sweep", _) => return Err(wrong("a sweep")),
        (other, _) => {
            return Err(input_error(format!(
                "unknown plot kind `{other}`; expected utility-space, concession, tournament, \
                 heatmap or sweep"
            )));
        }
    })
}

/// Draws one plot, as `detente plot` does: `kind` is `utility-space` or `concession` (of a
/// trace), `tournament` or `heatmap` (of a tournament), or `sweep` (of a sweep). Without
/// `path`, returns the SVG text; with one, writes SVG or PNG as its extension says (`scale`:
/// PNG pixels per SVG unit, default 2). `parties=("X", "Y")` picks the pair of a
/// utility-space plot.
#[pyfunction]
#[pyo3(signature = (kind, of, path = None, *, scenario = None, parties = None, title = None, scale = None))]
#[allow(clippy::too_many_arguments)]
pub fn plot<'py>(
    py: Python<'py>,
    kind: &str,
    of: &Bound<'py, PyAny>,
    path: Option<PathBuf>,
    scenario: Option<&Bound<'py, PyAny>>,
    parties: Option<(String, String)>,
    title: Option<String>,
    scale: Option<f64>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    guard(|| {
        let input = input_of(of)?;
        let svg = svg_of(kind, input, scenario, &PlotOptions { parties, title })?;
        let Some(path) = path else {
            if scale.is_some() {
                return Err(input_error("scale applies to PNG output only"));
            }
            return Ok(Some(svg.into_pyobject(py)?.into_any()));
        };
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let bytes = match ext.as_deref() {
            Some("svg") => {
                if scale.is_some() {
                    return Err(input_error(
                        "scale applies to PNG output only (an SVG scales by itself)",
                    ));
                }
                svg.into_bytes()
            }
            Some("png") => {
                let scale = scale.unwrap_or(detente_report::raster::DEFAULT_SCALE);
                if !(scale.is_finite() && scale > 0.0 && scale <= 16.0) {
                    return Err(input_error(format!(
                        "scale {scale}: the scale must be above 0 and at most 16"
                    )));
                }
                py.detach(|| detente_report::svg_to_png(&svg, scale))
                    .map_err(report_error)?
            }
            _ => {
                return Err(input_error(format!(
                    "{}: plots are written as SVG or PNG; name the file *.svg or *.png",
                    path.display()
                )));
            }
        };
        std::fs::write(&path, &bytes)
            .map_err(|e| detente_error(format!("writing {}: {e}", path.display())))?;
        Ok(None)
    })
}
