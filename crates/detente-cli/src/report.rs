//! `detente report`: one self-contained HTML file about a negotiation (a JSON trace), a
//! tournament (its output folder) or a parameter sweep (its JSON result).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use clap::Args;
use detente_core::Scenario;
use detente_formats::trace::TraceDoc;
use detente_formats::{Document, FormatError, read_document};
use detente_report::plot::sweep::SweepData;
use detente_report::plot::tournament::TournamentData;
use detente_report::{FigureConfig, ReportError, ScenarioFigures, TraceView, html};

use crate::input_error;

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// What to report on: a JSON trace (`detente run --json`), a tournament output
    /// folder, or a sweep result (JSON).
    pub input: PathBuf,
    /// The HTML file to write (`-` for standard output).
    #[arg(short = 'o', long = "output", value_name = "FILE", value_parser = crate::ui::output_parser)]
    pub output: crate::ui::Output,
    /// The scenario a trace was run on (a TOML file, a GENIUS or GeniusWeb folder; repeat
    /// for a domain file and its profiles). With it the report shows the outcome space, the
    /// Pareto frontier, the Nash and Kalai-Smorodinsky points and the agreement's quality.
    #[arg(long, value_name = "SCENARIO")]
    pub scenario: Vec<PathBuf>,
}

/// Turns a report-library error into an input error (exit code 2): the report reads no
/// files, so every error it gives is about what it was given.
pub fn report_error(e: ReportError) -> anyhow::Error {
    input_error(e)
}

/// What `detente report` and `detente plot` read, recognised and ready to draw.
pub enum Input {
    /// A JSON trace of one negotiation (`detente run --json`).
    Trace(Box<TraceView>),
    /// A tournament output folder (`detente tournament run`).
    Tournament(Box<TournamentData>),
    /// A sweep result (`detente sweep --json`).
    Sweep(Box<SweepData>),
}

/// Reads `path`: a folder is a tournament output folder; a file is a JSON trace or sweep,
/// told apart by its `format` ([`read_document`]). Errors name the file.
pub fn read_input(path: &Path) -> Result<Input> {
    if path.is_dir() {
        let output = detente_tournament::read_output(path).map_err(input_error)?;
        let data = TournamentData::from_output(output).map_err(report_error)?;
        return Ok(Input::Tournament(Box::new(data)));
    }
    let doc = read_document(path).map_err(|e| match e {
        FormatError::Io { .. } => anyhow::Error::new(e),
        other => input_error(other),
    })?;
    let located = |e: ReportError| match e {
        ReportError::Input { at, message } => {
            input_error(anyhow!("{}: {at}: {message}", path.display()))
        }
        ReportError::Unsupported(message) => input_error(anyhow!("{}: {message}", path.display())),
        other => report_error(other),
    };
    Ok(match doc {
        Document::Trace(doc) => Input::Trace(Box::new(TraceView::from_doc(&doc).map_err(located)?)),
        Document::Sweep(doc) => Input::Sweep(Box::new(SweepData::from_doc(&doc).map_err(located)?)),
    })
}

/// Loads the scenario named on the command line for a trace, checking that its parties are
/// the trace's.
///
/// Without `--scenario`, a trace of the built-in scenario (its name and parties) is drawn
/// against the built-in scenario; any other trace is drawn without its scenario.
pub fn scenario_for(view: &TraceView, paths: &[PathBuf]) -> Result<Option<Scenario>> {
    if paths.is_empty() {
        let builtin = crate::scenarios::load(&[])?.scenario;
        if view.scenario == builtin.name && view.matches(&builtin) {
            crate::ui::detail(
                "the trace is of the built-in scenario: drawing it with its outcome space",
            );
            return Ok(Some(builtin));
        }
        crate::ui::detail(
            "no --scenario: the outcome space, frontier and special points are left out",
        );
        return Ok(None);
    }
    let loaded = crate::scenarios::load(paths)?;
    crate::scenarios::warn(&loaded)?;
    let scenario = loaded.scenario;
    if !view.matches(&scenario) {
        let names: Vec<&str> = scenario.parties.iter().map(|p| p.name.as_str()).collect();
        return Err(input_error(anyhow!(
            "the trace's parties ({}) are not those of scenario `{}` ({})",
            view.parties.join(", "),
            scenario.name,
            names.join(", ")
        )));
    }
    Ok(Some(scenario))
}

/// The HTML report of one negotiation.
pub fn trace_html(view: &TraceView, scenario: Option<&Scenario>) -> Result<String> {
    let config = FigureConfig::default();
    let figures = scenario.map(|s| ScenarioFigures::compute(s, &config));
    if let Some(f) = &figures {
        if let Some(e) = &f.analysis_error {
            crate::ui::warn(&format!("the outcome space could not be analysed: {e}"));
        }
        if let Some(e) = &f.cloud_error {
            crate::ui::warn(&format!("the outcomes could not be evaluated: {e}"));
        }
    }
    html::trace_report(view, scenario, figures.as_ref(), &config).map_err(report_error)
}

/// Writes `text` to `path`, naming the file on failure.
pub fn write_output(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// Writes the HTML report of a negotiation just run (for `detente run --report FILE`).
pub fn write_run_report(scenario: &Scenario, doc: &TraceDoc, path: &Path) -> Result<()> {
    let view = TraceView::from_doc(doc).map_err(report_error)?;
    let page = trace_html(&view, Some(scenario))?;
    write_output(path, &page)?;
    crate::ui::status(&format!("wrote {}", path.display()));
    Ok(())
}

pub fn run(args: &ReportArgs) -> Result<()> {
    if !args.input.exists() {
        return Err(input_error(anyhow!(
            "{}: no such file or folder",
            args.input.display()
        )));
    }
    let input = read_input(&args.input)?;
    let page = match input {
        Input::Trace(view) => {
            let scenario = scenario_for(&view, &args.scenario)?;
            trace_html(&view, scenario.as_ref())?
        }
        Input::Tournament(t) => {
            if !args.scenario.is_empty() {
                return Err(input_error(anyhow!(
                    "--scenario applies to traces only; a tournament folder names its own scenarios"
                )));
            }
            html::tournament_report(&t)
        }
        Input::Sweep(s) => {
            if !args.scenario.is_empty() {
                return Err(input_error(anyhow!("--scenario applies to traces only")));
            }
            html::sweep_report(&s)
        }
    };
    args.output.write(page.as_bytes())
}
