//! `detente plot`: one picture as an SVG or PNG file, for papers and slides.

use std::path::PathBuf;

use anyhow::{Result, anyhow};
use clap::{Args, ValueEnum};
use detente_report::plot::{concession, sweep, tournament, utility_space};
use detente_report::{FigureConfig, ScenarioFigures, TraceView};

use crate::input_error;
use crate::report::{Input, read_input, report_error, scenario_for};
use crate::ui::Output;

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

/// The file format of a plot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PlotFormat {
    /// Scalable vector graphics (text rendered by the viewer).
    Svg,
    /// A raster image, the SVG rendered with a bundled font.
    Png,
}

impl PlotFormat {
    fn name(self) -> &'static str {
        match self {
            PlotFormat::Svg => "svg",
            PlotFormat::Png => "png",
        }
    }
}

#[derive(Args, Debug)]
pub struct PlotArgs {
    /// What to draw.
    #[arg(value_enum)]
    pub kind: PlotKind,
    /// A JSON trace, a tournament output folder or a sweep result (JSON), as the kind needs.
    pub input: PathBuf,
    /// The file to write: SVG or PNG, as its extension says (`.svg`, `.png`) or `--format`;
    /// `-` for standard output (SVG unless `--format png`).
    #[arg(short = 'o', long = "output", value_name = "FILE", value_parser = crate::ui::output_parser)]
    pub output: Output,
    /// The file type (default: from the extension of the output file).
    #[arg(long, value_enum)]
    pub format: Option<PlotFormat>,
    /// PNG pixels per SVG unit (default 2: crisp on high-density screens and slides).
    #[arg(long, value_name = "FACTOR", value_parser = parse_scale)]
    pub scale: Option<f64>,
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

/// Reads `--scale`: a positive number no larger than 16 (larger pictures are rarely meant,
/// and a typo such as 200 would ask for gigabytes).
fn parse_scale(s: &str) -> std::result::Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number"))?;
    if v.is_finite() && v > 0.0 && v <= 16.0 {
        Ok(v)
    } else {
        Err(format!("`{s}`: the scale must be above 0 and at most 16"))
    }
}

/// The format to write: `--format` if given, else the output file's extension; the two
/// must agree when both are known.
fn output_format(args: &PlotArgs) -> Result<PlotFormat> {
    let Some(path) = args.output.path() else {
        return check_scale(args, args.format.unwrap_or(PlotFormat::Svg));
    };
    let by_extension = match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("svg") => Some(PlotFormat::Svg),
        Some(e) if e.eq_ignore_ascii_case("png") => Some(PlotFormat::Png),
        _ => None,
    };
    let format = match (args.format, by_extension) {
        (Some(f), Some(e)) if f != e => {
            return Err(input_error(anyhow!(
                "-o {}: the extension says {} but --format says {}",
                path.display(),
                e.name(),
                f.name()
            )));
        }
        (Some(f), _) | (None, Some(f)) => f,
        (None, None) => {
            return Err(input_error(anyhow!(
                "-o {}: plots are written as SVG or PNG; name the file *.svg or *.png, or give --format svg|png (for PDF, print the HTML report)",
                path.display()
            )));
        }
    };
    check_scale(args, format)
}

/// Refuses `--scale` for SVG output.
fn check_scale(args: &PlotArgs, format: PlotFormat) -> Result<PlotFormat> {
    if format == PlotFormat::Svg && args.scale.is_some() {
        return Err(input_error(anyhow!(
            "--scale applies to PNG output only (an SVG scales by itself)"
        )));
    }
    Ok(format)
}

/// Runs `detente plot`: reads the input, draws the plot its kind asks for and writes it as
/// SVG or PNG.
pub fn run(args: &PlotArgs) -> Result<()> {
    let format = output_format(args)?;
    check_input(args)?;
    let svg = draw(args, read_input(&args.input)?)?;
    let bytes = match format {
        PlotFormat::Svg => svg.into_bytes(),
        PlotFormat::Png => detente_report::svg_to_png(
            &svg,
            args.scale.unwrap_or(detente_report::raster::DEFAULT_SCALE),
        )
        .map_err(report_error)?,
    };
    args.output.write(&bytes)
}

/// Checks that the input exists and that `--parties` and `--scenario` fit the plot's kind.
fn check_input(args: &PlotArgs) -> Result<()> {
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
    Ok(())
}

/// The plot as SVG, when the input is what its kind draws.
fn draw(args: &PlotArgs, input: Input) -> Result<String> {
    let title = |default: String| args.title.clone().unwrap_or(default);
    Ok(match (args.kind, input) {
        (PlotKind::UtilitySpace, Input::Trace(view)) => utility_space_plot(args, &view)?,
        (PlotKind::Concession, Input::Trace(view)) => concession::render(
            &concession::concession(&view),
            &title(format!("{}: concession curves", view.scenario)),
        ),
        (PlotKind::Tournament, Input::Tournament(t)) => {
            tournament::render_summary(&t, &title(format!("{}: negotiators", t.summary.tournament)))
        }
        (PlotKind::Heatmap, Input::Tournament(t)) => tournament::render_heatmap(
            &t.heat,
            &title(format!(
                "{}: negotiator against opponent",
                t.summary.tournament
            )),
        ),
        (PlotKind::Sweep, Input::Sweep(s)) => {
            sweep::render(&s, &title(format!("Sweep of {}", s.parameter)))
        }
        (PlotKind::UtilitySpace | PlotKind::Concession, _) => {
            return Err(wrong_input(args, "a JSON trace"));
        }
        (PlotKind::Tournament | PlotKind::Heatmap, _) => {
            return Err(wrong_input(args, "a tournament output folder"));
        }
        (PlotKind::Sweep, _) => return Err(wrong_input(args, "a sweep result")),
    })
}

/// The error for an input the plot's kind does not draw: it `needs` something else.
fn wrong_input(args: &PlotArgs, needs: &str) -> anyhow::Error {
    input_error(anyhow!(
        "a {} plot needs {needs}; {} is not one",
        args.kind
            .to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_string()),
        args.input.display()
    ))
}

/// The utility-space plot of a trace: the pair of `--parties`, or one panel per pair.
fn utility_space_plot(args: &PlotArgs, view: &TraceView) -> Result<String> {
    let scenario = scenario_for(view, &args.scenario)?;
    let config = FigureConfig::default();
    let figures = scenario
        .as_ref()
        .map(|s| ScenarioFigures::compute(s, &config));
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| format!("{}: utility space", view.scenario));
    let Some(pair) = &args.parties else {
        let pairs = utility_space::utility_space_pairs(view, figures.as_ref(), &config)
            .map_err(report_error)?;
        return Ok(utility_space::render_panels(&pairs, &title));
    };
    let (x, y) = pair.split_once(',').ok_or_else(|| {
        input_error(anyhow!(
            "--parties `{pair}`: expected X,Y (two party names)"
        ))
    })?;
    let index = |name: &str| {
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
    let d = utility_space::utility_space(view, figures.as_ref(), index(x)?, index(y)?, &config)
        .map_err(report_error)?;
    Ok(utility_space::render(&d, &title))
}
