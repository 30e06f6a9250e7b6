//! `detente plot`: one picture as an SVG file, for papers and slides.

use std::path::PathBuf;

use anyhow::{Result, anyhow};
use clap::{Args, ValueEnum};
use detente_report::plot::{concession, sweep, tournament, utility_space};
use detente_report::{FigureConfig, Input, ScenarioFigures};

use crate::input_error;
use crate::report::{report_error, scenario_for, write_output};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PlotKind {
    /// Outcomes, Pareto frontier, Nash and Kalai-Smorodinsky points, offers and agreement in
    /// the utility space of two parties (one panel per pair with more parties). Input: a trace.
    UtilitySpace,
    /// Each party's offers over rounds: their utility to itself and to the others. Input: a
    /// trace.
    Concession,
    /// Mean utility and agreement rate per negotiator with 95% intervals. Input: a tournament
    /// folder.
    Tournament,
    /// Negotiator against opponent: mean utility. Input: a tournament folder.
    Heatmap,
    /// Agreement rate and utilities against the swept parameter. Input: a sweep result.
    Sweep,
}

#[derive(Args, Debug)]
pub struct PlotArgs {
    /// What to draw.
    #[arg(value_enum)]
    pub kind: PlotKind,
    /// A JSON trace, a tournament output folder or a sweep result (JSON), as the kind needs.
    pub input: PathBuf,
    /// The SVG file to write.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
    /// The scenario of a trace (adds the outcomes, the frontier and the special points to a
    /// utility-space plot).
    #[arg(long, value_name = "SCENARIO")]
    pub scenario: Vec<PathBuf>,
    /// For utility-space: the two parties to draw, as X,Y (default: every pair).
    #[arg(long, value_name = "X,Y")]
    pub parties: Option<String>,
    /// Plot title (default: derived from the input).
    #[arg(long)]
    pub title: Option<String>,
}

pub fn run(args: &PlotArgs) -> Result<()> {
    match args.output.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("svg") => {}
        _ => {
            return Err(input_error(anyhow!(
                "-o {}: plots are written as SVG; name the file *.svg (convert it to PNG or PDF with any SVG tool, or print the HTML report)",
                args.output.display()
            )));
        }
    }
    if !args.input.exists() {
        return Err(input_error(anyhow!(
            "{}: no such file or folder",
            args.input.display()
        )));
    }
    if args.parties.is_some() && args.kind != PlotKind::UtilitySpace {
        return Err(input_error(anyhow!(
            "--parties applies to utility-space plots only"
        )));
    }
    if !args.scenario.is_empty()
        && !matches!(args.kind, PlotKind::UtilitySpace | PlotKind::Concession)
    {
        return Err(input_error(anyhow!(
            "--scenario applies to trace plots only"
        )));
    }
    let input = detente_report::read_input(&args.input).map_err(report_error)?;
    let wrong = |needs: &str| {
        input_error(anyhow!(
            "a {} plot needs {needs}; {} is not one",
            args.kind
                .to_possible_value()
                .map_or_else(String::new, |v| v.get_name().to_string()),
            args.input.display()
        ))
    };
    let svg = match (args.kind, input) {
        (PlotKind::UtilitySpace, Input::Trace(view)) => {
            let scenario = scenario_for(&view, &args.scenario)?;
            let config = FigureConfig::default();
            let figures = scenario
                .as_ref()
                .map(|s| ScenarioFigures::compute(s, &config));
            let title = args
                .title
                .clone()
                .unwrap_or_else(|| format!("{}: utility space", view.scenario));
            match &args.parties {
                Some(pair) => {
                    let (x, y) = pair.split_once(',').ok_or_else(|| {
                        input_error(anyhow!(
                            "--parties `{pair}`: expected X,Y (two party names)"
                        ))
                    })?;
                    let idx = |name: &str| {
                        view.parties
                            .iter()
                            .position(|p| p == name.trim())
                            .ok_or_else(|| {
                                input_error(anyhow!(
                                    "--parties: there is no party `{}` (parties: {})",
                                    name.trim(),
                                    view.parties.join(", ")
                                ))
                            })
                    };
                    let d = utility_space::utility_space(
                        &view,
                        figures.as_ref(),
                        idx(x)?,
                        idx(y)?,
                        &config,
                    )
                    .map_err(report_error)?;
                    utility_space::render(&d, &title)
                }
                None => {
                    let pairs =
                        utility_space::utility_space_pairs(&view, figures.as_ref(), &config)
                            .map_err(report_error)?;
                    utility_space::render_panels(&pairs, &title)
                }
            }
        }
        (PlotKind::Concession, Input::Trace(view)) => {
            let title = args
                .title
                .clone()
                .unwrap_or_else(|| format!("{}: concession curves", view.scenario));
            concession::render(&concession::concession(&view), &title)
        }
        (PlotKind::Tournament, Input::Tournament(t)) => {
            let title = args
                .title
                .clone()
                .unwrap_or_else(|| format!("{}: negotiators", t.summary.tournament));
            tournament::render_summary(&t, &title)
        }
        (PlotKind::Heatmap, Input::Tournament(t)) => {
            let title = args.title.clone().unwrap_or_else(|| {
                format!("{}: negotiator against opponent", t.summary.tournament)
            });
            tournament::render_heatmap(&t.heat, &title)
        }
        (PlotKind::Sweep, Input::Sweep(s)) => {
            let title = args
                .title
                .clone()
                .unwrap_or_else(|| format!("Sweep of {}", s.parameter));
            sweep::render(&s, &title)
        }
        (PlotKind::UtilitySpace | PlotKind::Concession, _) => {
            return Err(wrong("a JSON trace"));
        }
        (PlotKind::Tournament | PlotKind::Heatmap, _) => {
            return Err(wrong("a tournament output folder"));
        }
        (PlotKind::Sweep, _) => return Err(wrong("a sweep result")),
    };
    write_output(&args.output, &svg)?;
    eprintln!("wrote {}", args.output.display());
    Ok(())
}
