//! `detente run`: one negotiation, printed as a transcript (text) or a trace (JSON).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use clap::{Args, ValueEnum};
use detente_core::protocol::{Clock, Saop, SaopConfig};
use detente_core::{ActionKind, NegotiatorSpec, Scenario, ScenarioTables, Termination, Trace};
use detente_formats::trace_json;

use crate::{input_error, scenarios};

/// The negotiator a party plays when neither the scenario nor the command line names one.
pub const FALLBACK_NEGOTIATOR: &str = "linear";

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Scenario: a TOML file, a GENIUS or GeniusWeb domain folder, or a domain file and its
    /// profiles. Without it, the built-in spring-2025 peace-talks scenario runs.
    pub scenario: Vec<PathBuf>,
    /// Who plays a party: PARTY=KIND[:NAME=VALUE,...], e.g. Russia=boulware:e=0.1. Repeatable.
    /// Parties not named play the scenario's default negotiator (or `linear`).
    #[arg(long = "negotiator", short = 'n', value_name = "PARTY=KIND[:PARAMS]")]
    pub negotiators: Vec<String>,
    /// Deadline in rounds (overrides the scenario's).
    #[arg(long)]
    pub rounds: Option<u32>,
    /// Wall-clock limit in seconds (overrides the scenario's). Makes the run depend on timing.
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    /// Seed for every random choice; the same seed gives the same trace.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Output: a readable transcript, or the whole trace as JSON.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Also write a self-contained HTML report of the negotiation to FILE.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A transcript a person reads.
    Text,
    /// The full trace as JSON (see docs/trace-format.md).
    Json,
}

struct WallClock(Instant);

impl Clock for WallClock {
    fn elapsed(&self) -> Duration {
        self.0.elapsed()
    }
}

/// Resolves the negotiator of every party: command line, then scenario default, then the
/// fallback.
pub fn resolve_negotiators(
    scenario: &Scenario,
    overrides: &[String],
) -> Result<Vec<NegotiatorSpec>> {
    let mut specs: Vec<NegotiatorSpec> = scenario
        .parties
        .iter()
        .map(|p| {
            p.negotiator
                .clone()
                .unwrap_or_else(|| NegotiatorSpec::new(FALLBACK_NEGOTIATOR))
        })
        .collect();
    for text in overrides {
        let (party, spec) = text.split_once('=').ok_or_else(|| {
            input_error(anyhow!(
                "--negotiator `{text}`: expected PARTY=KIND[:NAME=VALUE,...]"
            ))
        })?;
        let i = scenario.party_index(party).ok_or_else(|| {
            let names: Vec<&str> = scenario.parties.iter().map(|p| p.name.as_str()).collect();
            input_error(anyhow!(
                "--negotiator `{text}`: there is no party `{party}` (parties: {})",
                names.join(", ")
            ))
        })?;
        specs[i] = detente_negotiators::parse_spec(spec)
            .map_err(|e| input_error(anyhow!("--negotiator `{text}`: {e}")))?;
    }
    Ok(specs)
}

pub fn run(args: &RunArgs) -> Result<()> {
    let loaded = scenarios::load(&args.scenario)?;
    scenarios::warn(&loaded);
    let mut scenario = loaded.scenario;
    if let Some(r) = args.rounds {
        if r == 0 {
            return Err(input_error(anyhow!("--rounds must be at least 1")));
        }
        scenario.protocol.rounds = r;
    }
    if let Some(t) = args.time_limit {
        if !(t.is_finite() && t > 0.0 && t < 1e9) {
            return Err(input_error(anyhow!(
                "--time-limit must be a positive number of seconds"
            )));
        }
        scenario.protocol.time_limit = Some(Duration::from_secs_f64(t));
    }
    let specs = resolve_negotiators(&scenario, &args.negotiators)?;
    let mut negotiators = Vec::with_capacity(specs.len());
    for (party, spec) in scenario.parties.iter().zip(&specs) {
        let n = detente_negotiators::create(spec).map_err(|e| {
            input_error(anyhow!(
                "negotiator for party `{}` (`{spec}`): {e}",
                party.name
            ))
        })?;
        negotiators.push(n);
    }
    let tables = ScenarioTables::for_scenario(&scenario);
    let clock = WallClock(Instant::now());
    let saop = Saop::new(
        &scenario,
        &tables,
        negotiators,
        SaopConfig::from_scenario(&scenario),
        args.seed,
    );
    let saop = if scenario.protocol.time_limit.is_some() {
        saop.with_clock(&clock)
    } else {
        saop
    };
    let trace = saop.run();
    let quality = crate::quality::agreement_quality(&scenario, &trace);
    let names: Vec<String> = specs.iter().map(ToString::to_string).collect();
    if let Some(path) = &args.report {
        crate::report::write_run_report(&scenario, &trace, &names, path)?;
    }
    match args.format {
        OutputFormat::Json => {
            let doc = trace_json::trace_json(
                &scenario,
                &trace,
                &names,
                quality.as_ref().map(|q| q.json.clone()),
            );
            let mut text =
                serde_json::to_string_pretty(&doc).context("writing the trace as JSON")?;
            text.push('\n');
            crate::emit(&text)?;
        }
        OutputFormat::Text => {
            let mut text = transcript(&scenario, &trace, &names);
            if let Some(q) = &quality {
                text.push_str(&q.text);
            }
            crate::emit(&text)?;
        }
    }
    Ok(())
}

fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n >= width {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(width - n))
    }
}

/// A readable transcript of a negotiation.
pub fn transcript(scenario: &Scenario, trace: &Trace, negotiators: &[String]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let w = &mut out;
    let width = scenario
        .parties
        .iter()
        .map(|p| p.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    let _ = writeln!(w, "{}", scenario.name);
    if let Some(first) = scenario.description.lines().find(|l| !l.trim().is_empty()) {
        let _ = writeln!(w, "{}", first.trim());
    }
    let _ = writeln!(
        w,
        "{} parties, {} issues, {} outcomes, deadline {} rounds, seed {}\n",
        scenario.parties.len(),
        scenario.space.issues().len(),
        scenario.space.count_display(),
        trace.deadline,
        trace.seed
    );
    let _ = writeln!(w, "Parties (in turn order)");
    for (p, neg) in scenario.parties.iter().zip(negotiators) {
        let prefs = &p.preferences;
        let disc = if prefs.discount < 1.0 {
            format!("  discount {}", prefs.discount)
        } else {
            String::new()
        };
        let _ = writeln!(
            w,
            "  {}  plays {:<22} reservation {:.2}{disc}",
            pad(&p.name, width),
            neg,
            prefs.reservation
        );
    }
    let mut last_offer: Vec<Option<&detente_core::Outcome>> = vec![None; scenario.parties.len()];
    let mut round = u32::MAX;
    let indent = " ".repeat(width + 4 + 8);
    for e in &trace.entries {
        if e.round != round {
            round = e.round;
            let _ = writeln!(w, "\nRound {}", round + 1);
        }
        let who = pad(&trace.parties[e.party], width);
        match e.kind {
            ActionKind::Offer => {
                let o = e.outcome.as_ref().expect("an offer has an outcome");
                if last_offer[e.party] == Some(o) {
                    let _ = writeln!(w, "  {who}  repeats its offer");
                } else {
                    let _ = writeln!(w, "  {who}  offers  {}", scenario.space.display(o));
                    let utils: Vec<String> = trace
                        .parties
                        .iter()
                        .zip(&e.utilities)
                        .map(|(n, u)| format!("{n} {u:.2}"))
                        .collect();
                    let _ = writeln!(w, "{indent}utility: {}", utils.join(", "));
                }
                last_offer[e.party] = Some(o);
            }
            ActionKind::Accept => {
                let _ = writeln!(w, "  {who}  accepts");
            }
            ActionKind::End => {
                let _ = writeln!(w, "  {who}  walks out");
            }
        }
    }
    let r = &trace.result;
    let _ = writeln!(w);
    match &r.termination {
        Termination::Agreement => {
            let _ = writeln!(
                w,
                "Result: agreement in round {} (time {:.2} of the deadline)",
                r.rounds, r.time
            );
            if let Some(a) = &r.agreement {
                let _ = writeln!(w, "  {}", scenario.space.display(a));
            }
        }
        Termination::Deadline => {
            let _ = writeln!(
                w,
                "Result: no agreement; the deadline of {} rounds passed",
                trace.deadline
            );
        }
        Termination::TimeLimit => {
            let _ = writeln!(
                w,
                "Result: no agreement; the time limit passed in round {}",
                r.rounds
            );
        }
        Termination::Ended { party } => {
            let _ = writeln!(
                w,
                "Result: no agreement; {} walked out in round {}",
                trace.parties[*party], r.rounds
            );
        }
        Termination::AgentError { party, fault } => {
            let _ = writeln!(
                w,
                "Result: no agreement; the negotiator of {} failed in round {}: {fault}",
                trace.parties[*party], r.rounds
            );
        }
    }
    let _ = writeln!(
        w,
        "Final utilities{}:",
        if r.agreement.is_some() {
            ""
        } else {
            " (reservation values)"
        }
    );
    for (p, u) in scenario.parties.iter().zip(&r.utilities) {
        let _ = writeln!(
            w,
            "  {}  {u:.3}   (reservation {:.2})",
            pad(&p.name, width),
            p.preferences.reservation
        );
    }
    out
}
