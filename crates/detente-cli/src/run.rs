//! `detente run`: one negotiation, printed as a transcript (text) or a trace (JSON).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Result, anyhow};
use clap::{Args, ValueEnum};
use detente_core::protocol::{self, Clock, ProtocolConfig};
use detente_core::{
    ActionKind, FiredEvent, NegotiatorSpec, ProtocolKind, Scenario, ScenarioTables, Termination,
    Trace, Trigger, Utility,
};
use detente_formats::WallClock;
use detente_formats::trace::trace_doc;
use detente_negotiators::Registry;

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

/// Resolves the negotiator of every party: command line (parsed against `registry`), then
/// scenario default, then the fallback.
pub fn resolve_negotiators(
    scenario: &Scenario,
    overrides: &[String],
    registry: &Registry,
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
        specs[i] = registry
            .parse_spec(spec)
            .map_err(|e| input_error(anyhow!("--negotiator `{text}`: {e}")))?;
    }
    Ok(specs)
}

pub fn run(args: &RunArgs, registry: &Registry) -> Result<()> {
    let loaded = scenarios::load(&args.scenario)?;
    scenarios::warn(&loaded);
    let mut scenario = loaded.scenario;
    if let Some(r) = args.rounds {
        if r == 0 {
            return Err(input_error(anyhow!("--rounds must be at least 1")));
        }
        scenario.protocol.deadline = r;
    }
    if let Some(t) = args.time_limit {
        if !(t.is_finite() && t > 0.0 && t < 1e9) {
            return Err(input_error(anyhow!(
                "--time-limit must be a positive number of seconds"
            )));
        }
        scenario.protocol.time_limit = Some(Duration::from_secs_f64(t));
    }
    let specs = resolve_negotiators(&scenario, &args.negotiators, registry)?;
    let mut negotiators = Vec::with_capacity(specs.len());
    for (party, spec) in scenario.parties.iter().zip(&specs) {
        let n = registry.create(spec).map_err(|e| {
            input_error(anyhow!(
                "negotiator for party `{}` (`{spec}`): {e}",
                party.name
            ))
        })?;
        negotiators.push(n);
    }
    let tables = ScenarioTables::for_scenario(&scenario);
    let clock = WallClock::start();
    let clock: Option<&dyn Clock> = scenario
        .protocol
        .time_limit
        .is_some()
        .then_some(&clock as &dyn Clock);
    let (trace, negotiators) = protocol::run_keeping(
        &scenario,
        &tables,
        negotiators,
        ProtocolConfig::from_scenario(&scenario),
        args.seed,
        clock,
        registry.mediators(),
    )
    .map_err(|e| input_error(anyhow!("{e}")))?;
    let quality = crate::quality::agreement_quality(&scenario, &trace);
    let names: Vec<String> = specs.iter().map(ToString::to_string).collect();
    let mut doc = trace_doc(
        &scenario,
        &trace,
        &names,
        quality.as_ref().map(|q| q.doc.clone()),
    );
    doc.result.opponent_models = opponent_models(&scenario, &tables, &negotiators);
    if let Some(path) = &args.report {
        crate::report::write_run_report(&scenario, &doc, path)?;
    }
    match args.format {
        OutputFormat::Json => {
            let mut text = doc.to_json();
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

/// The largest space whose opponent-model accuracy a run measures (every outcome is read).
const MODEL_ACCURACY_LIMIT: u64 = 1_000_000;

/// How accurate the negotiators' opponent models were, for the JSON trace.
fn opponent_models(
    scenario: &Scenario,
    tables: &ScenarioTables,
    negotiators: &[Box<dyn detente_core::Negotiator + '_>],
) -> Vec<detente_formats::trace::OpponentModelDoc> {
    let pairs = detente_analysis::model_accuracy::model_accuracy(
        scenario,
        tables,
        negotiators,
        MODEL_ACCURACY_LIMIT,
    )
    .unwrap_or_default();
    let name = |p: usize| scenario.parties[p].name.clone();
    pairs
        .into_iter()
        .map(|p| detente_formats::trace::OpponentModelDoc {
            party: name(p.party),
            opponent: name(p.opponent),
            pearson: Some(p.accuracy.pearson).filter(|x| x.is_finite()),
            ranking_distance: p.accuracy.ranking_distance,
            pareto_distance: p.accuracy.pareto_distance,
        })
        .collect()
}

fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n >= width {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(width - n))
    }
}

/// How the protocol reads in a transcript header.
pub fn protocol_line(scenario: &Scenario) -> String {
    let mut line = match &scenario.protocol.kind {
        ProtocolKind::Saop => "stacked alternating offers".to_string(),
        ProtocolKind::Mediated { strategy, mediator } => {
            let who = match *mediator {
                Some(m) => format!(
                    "{} mediates; its texts count as its acceptance",
                    scenario.parties[m].name
                ),
                None => "a neutral mediator".to_string(),
            };
            format!("mediated single text ({strategy} mediator; {who})")
        }
    };
    if scenario.protocol.partial_agreements {
        line.push_str("; issues can be settled one at a time");
    }
    line
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
        let first = first.trim();
        // The first sentence is enough here; the scenario's README has the rest.
        let sentence = first.find(". ").map_or(first, |i| &first[..=i]);
        let _ = writeln!(w, "{sentence}");
    }
    let _ = writeln!(
        w,
        "{} parties, {} issues, {} outcomes, deadline {} rounds, seed {}",
        scenario.parties.len(),
        scenario.space.issues().len(),
        scenario.space.count_display(),
        trace.deadline,
        trace.seed
    );
    let _ = writeln!(w, "Protocol: {}", protocol_line(scenario));
    for c in scenario.space.constraints() {
        let _ = writeln!(w, "Constraint: {}", c.name);
    }
    let _ = writeln!(w, "\nParties (in turn order)");
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
        if let Utility::Interacting(u) = &prefs.utility {
            for t in u.interactions() {
                let _ = writeln!(
                    w,
                    "  {}  linked: {} ({:+})",
                    pad("", width),
                    t.name,
                    t.utility
                );
            }
        }
    }
    for e in &scenario.events {
        let _ = writeln!(
            w,
            "Scheduled: {} ({})",
            e.name,
            trigger_text(scenario, &e.trigger)
        );
    }
    let mut last_offer: Vec<Option<&detente_core::Outcome>> =
        vec![None; scenario.parties.len() + 1];
    let mut round = u32::MAX;
    let indent = " ".repeat(width + 4 + 8);
    let mut events = trace.events.iter().peekable();
    let mediated = matches!(scenario.protocol.kind, ProtocolKind::Mediated { .. });
    let print_events = |w: &mut String,
                        events: &mut std::iter::Peekable<std::slice::Iter<'_, FiredEvent>>,
                        upto: u32,
                        partial: bool| {
        while let Some(e) = events.peek() {
            let is_partial = e.name == "partial agreement";
            if e.round > upto || (e.round == upto && is_partial != partial) {
                break;
            }
            let mark = if is_partial { "settled" } else { "event" };
            let _ = writeln!(w, "  >> {mark}: {} — {}", e.name, e.description);
            events.next();
        }
    };
    for e in &trace.entries {
        if e.round != round {
            if round != u32::MAX {
                print_events(w, &mut events, round, true);
            }
            round = e.round;
            let _ = writeln!(w, "\nRound {}", round + 1);
            print_events(w, &mut events, round, false);
        }
        let who = pad(e.actor.name(&trace.parties), width);
        let utils = || -> String {
            let parts: Vec<String> = trace
                .parties
                .iter()
                .zip(&e.utilities)
                .map(|(n, u)| format!("{n} {u:.2}"))
                .collect();
            parts.join(", ")
        };
        match e.kind {
            ActionKind::Offer | ActionKind::Propose => {
                let o = e.outcome.as_ref().expect("an offer has an outcome");
                let verb = match e.kind {
                    ActionKind::Propose => "proposes",
                    _ if matches!(scenario.protocol.kind, ProtocolKind::Mediated { .. }) => {
                        "rejects, prefers"
                    }
                    _ => "offers",
                };
                if last_offer[e.actor.party().unwrap_or(scenario.parties.len())] == Some(o) {
                    let _ = writeln!(
                        w,
                        "  {who}  {}",
                        match e.kind {
                            ActionKind::Propose => "proposes the same text",
                            _ if mediated => "rejects (position unchanged)",
                            _ => "repeats its offer",
                        }
                    );
                } else {
                    let _ = writeln!(w, "  {who}  {verb}  {}", scenario.space.display(o));
                    let _ = writeln!(w, "{indent}utility: {}", utils());
                }
                last_offer[e.actor.party().unwrap_or(scenario.parties.len())] = Some(o);
            }
            ActionKind::Accept => {
                let _ = writeln!(w, "  {who}  accepts");
            }
            ActionKind::End => {
                let _ = writeln!(w, "  {who}  walks out");
            }
        }
    }
    if round != u32::MAX {
        print_events(w, &mut events, round, true);
    }
    print_events(w, &mut events, u32::MAX, true);
    let r = &trace.result;
    let _ = writeln!(w);
    match &r.termination {
        Termination::Agreement => {
            let _ = writeln!(
                w,
                "Result: agreement in round {} (time {:.2} of the deadline)",
                r.rounds_used, r.time
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
                r.rounds_used
            );
        }
        Termination::Ended { party } => {
            let _ = writeln!(
                w,
                "Result: no agreement; {} ended the talks in round {}",
                trace.parties[*party], r.rounds_used
            );
        }
        Termination::NegotiatorFault { party, fault } => {
            let _ = writeln!(
                w,
                "Result: no agreement; the negotiator of {} failed in round {}: {fault}",
                trace.parties[*party], r.rounds_used
            );
        }
        Termination::MediatorFault { fault } => {
            let _ = writeln!(
                w,
                "Result: no agreement; the mediator failed in round {}: {fault}",
                r.rounds_used
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
            "  {}  {u:.3}   (reservation {:.2} at the start)",
            pad(&p.name, width),
            p.preferences.reservation
        );
    }
    out
}

/// A trigger in words.
pub fn trigger_text(scenario: &Scenario, trigger: &Trigger) -> String {
    let name = |p: usize| scenario.parties[p].name.as_str();
    match *trigger {
        Trigger::Round(r) => format!("at round {}", r + 1),
        Trigger::NoAgreementBy(r) => format!("if nothing is agreed by round {r}"),
        Trigger::Stalling { party, rule } => format!(
            "if {} stalls: offers others less than {} more over {} rounds",
            name(party),
            rule.min_improvement,
            rule.window
        ),
        Trigger::Left(p) => format!("once {} has left", name(p)),
    }
}
