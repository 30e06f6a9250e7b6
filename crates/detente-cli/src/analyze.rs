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

use anyhow::{Context, Result, anyhow};
use detente_analysis::{
    Analysis, AnalysisConfig, Method, Points, ScenarioStats, SettingAnalysis, analyze,
    analyze_setting,
};
use detente_core::dynamics::Setting;
use detente_core::{OutcomeSpace, Scenario};
use detente_formats::trace::{self, TraceSource};

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
    /// Analyse the talks as the events left them at the start of round ROUND (from 1): the
    /// parties still at the table, with the reservation values, weights and feasible outcomes
    /// in force, and list the deal zone. Without --trace the scenario's triggers are
    /// evaluated as if nothing were agreed (stalling triggers never fire).
    #[arg(long, value_name = "ROUND")]
    pub at_round: Option<u32>,
    /// Replay the events of this trace (a JSON trace from `detente run --json`; a
    /// hand-written record's actions feed the stalling triggers) instead of the timeline
    /// alone; without --at-round, the setting at the end of the talks.
    #[arg(long, value_name = "PATH")]
    pub trace: Option<PathBuf>,
    /// How many outcomes of the deal zone to list (0: all).
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub deal_zone: usize,
    /// Where the report goes [default: standard output].
    #[arg(short, long, value_name = "FILE", value_parser = crate::ui::output_parser)]
    pub output: Option<crate::ui::Output>,
}

/// Runs `detente analyze`.
pub fn run(args: &AnalyzeArgs) -> Result<()> {
    let loaded = crate::scenarios::load(&args.scenario)?;
    crate::scenarios::warn(&loaded)?;
    let scenario = &loaded.scenario;
    let config = AnalysisConfig {
        enumeration_limit: args.limit,
        ..AnalysisConfig::default()
    };
    if args.at_round.is_some() || args.trace.is_some() {
        return run_at_setting(args, scenario, loaded.format.as_str(), &config);
    }
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
    args.output
        .clone()
        .unwrap_or(crate::ui::Output::Stdout)
        .print(&text)
}

/// `analyze --at-round` / `--trace`: the analysis of the setting the events left.
fn run_at_setting(
    args: &AnalyzeArgs,
    scenario: &Scenario,
    format: &str,
    config: &AnalysisConfig,
) -> Result<()> {
    if args.at_round == Some(0) {
        return Err(input_error(anyhow!("--at-round counts rounds from 1")));
    }
    let round = args.at_round.map(|r| r - 1);
    let (setting, events_from) = setting_of(args, scenario, round)?;
    let sa = analyze_setting(setting, config)
        .map_err(input_error)
        .with_context(|| format!("analysing scenario `{}`", scenario.name))?;
    let list = if args.deal_zone == 0 {
        usize::MAX
    } else {
        args.deal_zone
    };
    let text = if args.json {
        let mut doc =
            detente::documents::analysis_doc(&sa.remaining, format, &sa.analysis, args.frontier);
        doc.setting = Some(detente::documents::setting_doc(
            &sa,
            args.at_round,
            events_from,
            list,
        ));
        let mut s = doc.to_json();
        s.push('\n');
        s
    } else {
        let mut out = setting_text(&sa, args.at_round, events_from);
        out.push_str(&report(&sa.remaining, &sa.analysis, args.frontier));
        deal_zone_text(&mut out, &sa, list);
        out
    };
    args.output
        .clone()
        .unwrap_or(crate::ui::Output::Stdout)
        .print(&text)
}

/// The setting at the start of `round` (from 0; `None`: the end), and where its events came
/// from (`trace` or `timeline`).
fn setting_of(
    args: &AnalyzeArgs,
    scenario: &Scenario,
    round: Option<u32>,
) -> Result<(Setting, &'static str)> {
    let Some(path) = &args.trace else {
        let round = round.expect("--at-round or --trace is given");
        return Ok((Setting::by_triggers(scenario, &[], round), "timeline"));
    };
    if !path.exists() {
        return Err(input_error(anyhow!("{}: no such file", path.display())));
    }
    let record = trace::load(path, scenario).map_err(input_error)?;
    if record.source != TraceSource::Json {
        // Hand-written records do not record events: evaluate the triggers on their actions.
        let end = record.trace.entries.last().map_or(0, |e| e.round + 1);
        let round = round.unwrap_or(end);
        let setting = Setting::by_triggers(scenario, &record.trace.entries, round);
        return Ok((setting, "timeline"));
    }
    let setting = Setting::replay(scenario, &record.trace, round)
        .map_err(|e| input_error(anyhow!("{}: {e}", path.display())))?;
    Ok((setting, "trace"))
}

/// What the setting is: the round, the events that made it, who left, what is settled.
fn setting_text(sa: &SettingAnalysis, round: Option<u32>, events_from: &str) -> String {
    let mut out = String::new();
    let base = &sa.setting.scenario;
    let when = round.map_or_else(
        || "at the end of the talks".to_string(),
        |r| format!("at the start of round {r}"),
    );
    let how = if events_from == "trace" {
        "the events as the trace records them"
    } else {
        "the scenario's timeline, as if nothing were agreed"
    };
    let _ = writeln!(out, "Setting {when} ({how}):");
    if sa.setting.events.is_empty() {
        let _ = writeln!(out, "  no event had fired");
    }
    for e in &sa.setting.events {
        let _ = writeln!(
            out,
            "  round {}: {}: {}",
            e.round + 1,
            e.name,
            e.description
        );
    }
    let left: Vec<&str> = (0..base.parties.len())
        .filter(|&p| !sa.setting.active[p])
        .map(|p| base.parties[p].name.as_str())
        .collect();
    if !left.is_empty() {
        let _ = writeln!(out, "  left the talks: {}", left.join(", "));
    }
    let settled = detente::documents::settled_labels(base, &sa.setting.settled);
    if !settled.is_empty() {
        let _ = writeln!(out, "  settled: {}", settled.join(", "));
    }
    if sa.setting.ended {
        let _ = writeln!(out, "  the talks had ended by then");
    }
    let _ = writeln!(out);
    out
}

/// The deal zone: how many outcomes every party at the table could accept, and the first
/// `list` of them, best first.
fn deal_zone_text(out: &mut String, sa: &SettingAnalysis, list: usize) {
    let zone = &sa.deal_zone;
    let space = &sa.remaining.space;
    if !zone.exists() {
        let _ = writeln!(
            out,
            "Deal zone: empty (no outcome gives every party at the table its reservation value)"
        );
        return;
    }
    let shown = zone.outcomes.len().min(list);
    let _ = writeln!(
        out,
        "Deal zone: {} outcomes acceptable to every party at the table{} (best first, by the product of gains over the fallbacks):",
        zone.outcomes.len(),
        if shown < zone.outcomes.len() {
            format!("; the first {shown}")
        } else {
            String::new()
        }
    );
    for d in zone.outcomes.iter().take(list) {
        let _ = writeln!(
            out,
            "  {}  {}",
            utilities_text(&d.utilities),
            space.display(&d.outcome)
        );
    }
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
        "Outcomes: {} ({})",
        space.count_display(),
        crate::ui::plural(space.issues().len(), "issue", "issues")
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
        "Pareto frontier: {}, {} (computed {})",
        crate::ui::plural(s.frontier_size, "outcome", "outcomes"),
        crate::ui::plural(
            s.frontier_distinct,
            "distinct utility vector",
            "distinct utility vectors"
        ),
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
                "Individually rational for every party: {} ({:.1}%)",
                crate::ui::plural(k as usize, "outcome", "outcomes"),
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
