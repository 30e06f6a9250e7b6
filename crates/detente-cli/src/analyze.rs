//! `detente analyze`: the Pareto frontier, the Nash, Kalai-Smorodinsky, maximum-welfare and
//! egalitarian points and the statistics of a scenario (definitions in `docs/analysis.md`),
//! as a readable report or as JSON. Also the agreement-quality figures `detente run` prints.
//!
//! The JSON is `detente_formats::analysis_json::AnalysisDoc` (its fields are documented
//! there), built here from the analysis: `detente-formats` does not depend on
//! `detente-analysis`.

use detente_formats::columns::{column_width, pad};
use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Context, Result};
use detente_analysis::{
    AgreementQuality, Analysis, AnalysisConfig, Method, Points, ScenarioStats, agreement_quality,
    analyze,
};
use detente_core::{OutcomeSpace, Scenario, Trace};
use detente_formats::analysis_json::AgreementQualityDoc;

use crate::input_error;

/// Arguments of `detente analyze`.
#[derive(clap::Args, Debug)]
pub struct AnalyzeArgs {
    /// The scenario: a TOML file, a GENIUS or GeniusWeb folder, or its files (default: the
    /// built-in peace-talks scenario).
    pub scenario: Vec<PathBuf>,
    /// Print JSON instead of a readable report.
    #[arg(long)]
    pub json: bool,
    /// Also list every outcome on the Pareto frontier.
    #[arg(long)]
    pub frontier: bool,
    /// Largest outcome space to enumerate (linear additive scenarios need no enumeration for
    /// the frontier and points).
    #[arg(long, value_name = "OUTCOMES", default_value_t = detente_core::tables::DEFAULT_ENUMERATION_LIMIT)]
    pub limit: u64,
}

/// Runs `detente analyze`.
pub fn run(args: &AnalyzeArgs) -> Result<()> {
    let loaded = crate::scenarios::load(&args.scenario)?;
    crate::scenarios::warn(&loaded);
    let scenario = &loaded.scenario;
    let config = AnalysisConfig {
        enumeration_limit: args.limit,
        ..AnalysisConfig::default()
    };
    let analysis = analyze(scenario, &config)
        .map_err(input_error)
        .with_context(|| format!("analysing scenario `{}`", scenario.name))?;
    let text = if args.json {
        let mut s = detente::documents::analysis_doc(
            &loaded.scenario,
            loaded.format.as_str(),
            &analysis,
            args.frontier,
        )
        .to_json();
        s.push('\n');
        s
    } else {
        report(scenario, &analysis, args.frontier)
    };
    crate::emit(&text)
}

fn utilities_text(u: &[f64]) -> String {
    let parts: Vec<String> = u.iter().map(|x| format!("{x:.4}")).collect();
    format!("({})", parts.join(", "))
}

fn points_text(out: &mut String, space: &OutcomeSpace, title: &str, what: &str, p: &Points) {
    match p.value {
        None => {
            let _ = writeln!(
                out,
                "{title}: none (no outcome is individually rational for every party)"
            );
        }
        Some(v) => {
            let ties = if p.points.len() > 1 {
                format!(", {} tied outcomes", p.points.len())
            } else {
                String::new()
            };
            let _ = writeln!(out, "{title} ({what} {v:.6}{ties}):");
            for pt in &p.points {
                let _ = writeln!(
                    out,
                    "  {}  {}",
                    utilities_text(&pt.utilities),
                    space.display(&pt.outcome)
                );
            }
        }
    }
}

/// The readable report.
fn report(scenario: &Scenario, a: &Analysis, frontier: bool) -> String {
    let space = &scenario.space;
    let mut out = String::new();
    let _ = writeln!(out, "Scenario: {}", scenario.name);
    let _ = writeln!(
        out,
        "Outcomes: {} ({} issues)",
        space.count_display(),
        space.issues().len()
    );
    utility_range_table(&mut out, scenario, &a.stats);
    stats_text(&mut out, a);
    points_text(&mut out, space, "Nash", "product of gains", &a.nash);
    points_text(
        &mut out,
        space,
        "Kalai-Smorodinsky",
        "smallest relative gain",
        &a.kalai_smorodinsky,
    );
    points_text(&mut out, space, "Max welfare", "sum", &a.max_welfare);
    points_text(
        &mut out,
        space,
        "Egalitarian",
        "smallest utility",
        &a.egalitarian,
    );
    if frontier {
        let _ = writeln!(out, "Frontier:");
        for p in &a.frontier.points {
            let _ = writeln!(
                out,
                "  {}  {}",
                utilities_text(&p.utilities),
                space.display(&p.outcome)
            );
        }
    }
    out
}

/// A table of each party's smallest and largest utility and its reservation value.
fn utility_range_table(out: &mut String, scenario: &Scenario, s: &ScenarioStats) {
    let width = column_width(scenario.parties.iter().map(|p| p.name.chars().count()), 5);
    let _ = writeln!(
        out,
        "{}  {:>8}  {:>8}  {:>11}",
        pad("Party", width),
        "min",
        "max",
        "reservation"
    );
    for (i, p) in scenario.parties.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}  {:>8.4}  {:>8.4}  {:>11.4}",
            pad(&p.name, width),
            s.min_utility[i],
            s.max_utility[i],
            s.reservation[i]
        );
    }
}

/// The size of the Pareto frontier, the opposition and the individually rational outcomes.
fn stats_text(out: &mut String, a: &Analysis) {
    let s = &a.stats;
    let _ = writeln!(
        out,
        "Pareto frontier: {} outcomes, {} distinct utility vectors (computed {})",
        s.frontier_size,
        s.frontier_distinct,
        match a.frontier.method {
            Method::IssueByIssue => "issue by issue",
            _ => "by enumeration",
        }
    );
    let _ = writeln!(
        out,
        "Opposition: {:.4} (normalised {:.4})",
        s.opposition, s.opposition_normalised
    );
    match (s.n_individually_rational, s.fraction_individually_rational) {
        (Some(k), Some(f)) => {
            let _ = writeln!(
                out,
                "Individually rational for every party: {k} outcomes ({:.1}%)",
                100.0 * f
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "Individually rational for every party: not counted (space above the enumeration limit)"
            );
        }
    }
}

/// Agreement-quality figures of a finished negotiation for `detente run`: a line of text and
/// the document a JSON trace carries under `analysis`. `None` when the scenario cannot be
/// analysed (a space too large to enumerate with utilities that are not linear additive).
pub fn quality_report(scenario: &Scenario, trace: &Trace) -> Option<(String, AgreementQualityDoc)> {
    let analysis = analyze(scenario, &AnalysisConfig::default()).ok()?;
    let q = agreement_quality(&analysis, scenario, trace.result.agreement.as_ref()).ok()?;
    Some((quality_text(&q), detente::documents::quality_doc(&q)))
}

fn quality_text(q: &AgreementQuality) -> String {
    let opt = |d: Option<f64>| d.map_or_else(|| "n/a".to_string(), |d| format!("{d:.3}"));
    let what = if q.agreement {
        "the agreement"
    } else {
        "no agreement (the reservation point)"
    };
    format!(
        "\nQuality of {what}, in undiscounted utilities {}:\n  welfare {:.3}; Pareto-optimal: {}\n  distance to the Pareto frontier {:.3}, to Nash {}, to Kalai-Smorodinsky {}, to max welfare {:.3}\n",
        utilities_text(&q.utilities),
        q.welfare,
        if q.pareto_optimal { "yes" } else { "no" },
        q.distance_to_frontier,
        opt(q.distance_to_nash),
        opt(q.distance_to_kalai_smorodinsky),
        q.distance_to_max_welfare,
    )
}
