//! `detente inspect`: read each party's strategy from a trace (detente's JSON or a hand-written
//! CSV/TOML record of real talks), test for stalling, and forecast the rest of the talks.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Result, anyhow};
use clap::Args as ClapArgs;
use detente_analysis::stats::SampleSummary;
use detente_core::dynamics::StallingRule;
use detente_core::{Scenario, ScenarioTables, Termination, TraceEntry};
use detente_formats::inspect_json::{
    CurvePointDoc, EvidenceDoc, FitDoc, ForecastDoc, InspectDoc, ModelDoc, PartyReadingDoc,
    StallingRuleDoc, SummaryDoc, TopAgreementDoc,
};
use detente_formats::trace::{self, RecordedTrace, outcome_doc, per_party};
use detente_inspect::forecast::Model;
use detente_inspect::reading::ci_text;
use detente_inspect::{DEFAULT_STALLING, Forecast, ForecastOptions, PartyReading, Reading};
use detente_negotiators::Registry;

use crate::{input_error, scenarios};

/// Arguments of `detente inspect`.
#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The trace: a JSON trace from `detente run --format json`, or a hand-written record of
    /// talks in CSV or TOML (see docs/inspect.md).
    pub trace: PathBuf,
    /// The scenario the trace is of (a TOML file, or GENIUS/GeniusWeb files); the built-in
    /// peace-talks scenario when not given.
    #[arg(long, num_args = 1.., value_name = "PATH")]
    pub scenario: Vec<PathBuf>,
    /// Read only the rounds before ROUND (counting from 1) and forecast from ROUND on. Default:
    /// the round after the record's end for unfinished talks, half-way through the rounds
    /// played for finished ones.
    #[arg(long, value_name = "ROUND")]
    pub cut: Option<u32>,
    /// Number of simulated continuations in the forecast.
    #[arg(long, default_value_t = 200)]
    pub simulations: usize,
    /// Seed of the forecast.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Stalling test: number of rounds looked back over.
    #[arg(long, default_value_t = DEFAULT_STALLING.window)]
    pub stall_window: u32,
    /// Stalling test: smallest improvement of the offer to others that is not stalling.
    #[arg(long, default_value_t = DEFAULT_STALLING.min_improvement)]
    pub stall_min: f64,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `detente inspect`.
pub fn run(args: &Args, registry: &Registry) -> Result<()> {
    let loaded = scenarios::load(&args.scenario)?;
    scenarios::warn(&loaded);
    let scenario = loaded.scenario;
    if !args.trace.exists() {
        return Err(input_error(anyhow!(
            "{}: no such file",
            args.trace.display()
        )));
    }
    let record = trace::load(&args.trace, &scenario).map_err(input_error)?;
    if args.stall_window == 0 {
        return Err(input_error(anyhow!("--stall-window must be at least 1")));
    }
    if !(args.stall_min.is_finite() && args.stall_min >= 0.0) {
        return Err(input_error(anyhow!(
            "--stall-min must be a finite number at least 0"
        )));
    }
    if args.simulations == 0 {
        return Err(input_error(anyhow!("--simulations must be at least 1")));
    }
    let rule = StallingRule {
        window: args.stall_window,
        min_improvement: args.stall_min,
    };
    let trace = &record.trace;
    let last_round = trace.entries.last().map_or(0, |e| e.round);
    // The first round not read (0-based), and whether the forecast can start there.
    let cut = match args.cut {
        Some(c) => {
            let max = if record.finished {
                last_round + 1
            } else {
                last_round + 2
            };
            let max = max.min(trace.deadline);
            if c < 2 || c > max {
                return Err(input_error(anyhow!(
                    "--cut {c}: the forecast can start in a round from 2 to {max} of this record"
                )));
            }
            Some(c - 1)
        }
        None => None,
    };
    let forecast_cut = cut.or(if record.finished {
        (last_round >= 1).then(|| last_round.div_ceil(2).max(1))
    } else {
        (last_round + 1 < trace.deadline).then_some(last_round + 1)
    });
    let tables = ScenarioTables::for_scenario(&scenario);
    let read_upto = |c: Option<u32>| -> Vec<TraceEntry> {
        trace
            .entries
            .iter()
            .filter(|e| c.is_none_or(|c| e.round < c))
            .cloned()
            .collect()
    };
    let entries = read_upto(cut);
    let reading = detente_inspect::read(&scenario, &tables, &entries, trace.deadline, rule)
        .map_err(input_error)?;
    let forecast = match forecast_cut {
        Some(c) => {
            let before = read_upto(Some(c));
            let r = detente_inspect::read(&scenario, &tables, &before, trace.deadline, rule)
                .map_err(input_error)?;
            let options = ForecastOptions {
                cut: c,
                simulations: args.simulations,
                seed: args.seed,
            };
            Some(
                detente_inspect::forecast(&scenario, &tables, trace, &r, options, registry)
                    .map_err(input_error)?,
            )
        }
        None => None,
    };
    let text = if args.json {
        let mut t = inspect_doc(&scenario, &record, &reading, forecast.as_ref(), cut).to_json();
        t.push('\n');
        t
    } else {
        to_text(&scenario, &record, &reading, forecast.as_ref(), cut)
    };
    crate::emit(&text)
}

fn ended_text(scenario: &Scenario, record: &RecordedTrace) -> String {
    let r = &record.trace.result;
    if !record.finished {
        return format!(
            "unfinished: the record ends in round {}",
            record.trace.entries.last().map_or(1, |e| e.round + 1)
        );
    }
    match &r.termination {
        Termination::Agreement => format!(
            "agreement in round {} on {}",
            r.rounds_used,
            r.agreement
                .as_ref()
                .map(|a| scenario.space.display(a).to_string())
                .unwrap_or_default()
        ),
        Termination::Deadline => format!(
            "no agreement by the deadline of {} rounds",
            record.trace.deadline
        ),
        Termination::Ended { party } => format!(
            "{} walked out in round {}",
            scenario.parties[*party].name, r.rounds_used
        ),
        other => format!("{} in round {}", other.as_str(), r.rounds_used),
    }
}

fn rule_text(rule: StallingRule) -> String {
    format!(
        "a party is stalling at round R when it had made an offer by round R-{w} and none of its \
         offers to others (the mean utility of its latest offer to the other parties) in rounds \
         R-{w}+1..R is at least {x} above its offer to others at round R-{w}",
        w = rule.window,
        x = rule.min_improvement
    )
}

fn summary_text(s: &SampleSummary, digits: usize) -> String {
    format!(
        "mean {:.d$} (10th-90th percentile {:.d$} to {:.d$})",
        s.mean,
        s.p10,
        s.p90,
        d = digits
    )
}

fn model_text(m: &Model) -> String {
    match m {
        Model::TimeBased { centre, range, .. } => format!(
            "time-based, e drawn around {centre:.3} within {:.3} to {:.3}",
            range[0], range[1]
        ),
        Model::Unknown { range } => format!(
            "time-based, e unknown: drawn log-uniformly from {} to {}",
            range[0], range[1]
        ),
        Model::Random => "random".to_string(),
    }
}

fn party_text(w: &mut String, scenario: &Scenario, p: &PartyReading, rule: StallingRule) {
    let ev = &p.evidence;
    let _ = writeln!(w, "\n{}: {}", p.name, p.strategy.as_str());
    let _ = writeln!(w, "  why: {}", p.reason);
    let _ = writeln!(
        w,
        "  offers: {} ({} distinct); conceded {:.1}% of the way from its best utility {:.3} to \
         its reservation level {:.3}",
        ev.offers,
        ev.distinct_offers,
        ev.conceded_share * 100.0,
        p.pmax,
        p.pmin
    );
    match &p.fit {
        Some(f) => {
            let _ = writeln!(
                w,
                "  time-dependent fit u(t) = Pmax - (Pmax - Pmin) t^(1/e): e = {:.3} (95% CI {}), \
                 R² {}, RMSE {:.4}",
                f.e,
                ci_text(f),
                f.r2.map_or("n/a (no change)".to_string(), |r| format!("{r:.3}")),
                f.rmse
            );
        }
        None => {
            let _ = writeln!(w, "  time-dependent fit: none (fewer than 3 offers)");
        }
    }
    let opt = |x: Option<f64>, f: &dyn Fn(f64) -> String| x.map_or("n/a".to_string(), f);
    let _ = writeln!(
        w,
        "  steps that keep or lower its own utility: {}; variance of its own-utility steps: {}",
        opt(ev.monotone_share, &|m| format!("{:.0}%", m * 100.0)),
        opt(ev.step_variance, &|v| format!("{v:.5}"))
    );
    let _ = writeln!(
        w,
        "  correlation of its concessions with the others' previous ones: {} over {} offers",
        opt(ev.reciprocity, &|r| format!("r = {r:.2}")),
        ev.reciprocity_pairs
    );
    let _ = writeln!(
        w,
        "  stalling test at round {} (window {}, min improvement {}): {}",
        ev.stalling_round + 1,
        rule.window,
        rule.min_improvement,
        match ev.stalling {
            Some(true) => "stalling",
            Some(false) => "not stalling",
            None => "cannot tell yet",
        }
    );
    if p.curve.is_empty() {
        return;
    }
    let others: Vec<usize> = (0..scenario.parties.len())
        .filter(|&j| j != p.party)
        .collect();
    let _ = writeln!(
        w,
        "  concession curve (utility of its offers to itself, then to {}):",
        others
            .iter()
            .map(|&j| scenario.parties[j].name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let k = p.curve.len();
    let shown: Vec<usize> = if k <= 12 {
        (0..k).collect()
    } else {
        let mut v: Vec<usize> = (0..12).map(|s| s * (k - 1) / 11).collect();
        v.dedup();
        v
    };
    for &s in &shown {
        let c = &p.curve[s];
        let rest: Vec<String> = others
            .iter()
            .map(|&j| format!("{:.3}", c.utilities[j]))
            .collect();
        let _ = writeln!(
            w,
            "    round {:>3}  t={:.2}  own {:.3}  others {}",
            c.round + 1,
            c.time,
            c.utilities[p.party],
            rest.join(" ")
        );
    }
    if shown.len() < k {
        let _ = writeln!(
            w,
            "    ({} of {k} offers shown; --json gives all)",
            shown.len()
        );
    }
}

fn to_text(
    scenario: &Scenario,
    record: &RecordedTrace,
    reading: &Reading,
    forecast: Option<&Forecast>,
    cut: Option<u32>,
) -> String {
    let mut w = String::new();
    let trace = &record.trace;
    let _ = writeln!(
        w,
        "{}: {} parties, deadline {} rounds; the record: {}",
        scenario.name,
        scenario.parties.len(),
        trace.deadline,
        ended_text(scenario, record)
    );
    if let Some(c) = cut {
        let _ = writeln!(w, "Reading rounds 1 to {} only (--cut {}).", c, c + 1);
    }
    let _ = writeln!(w, "Stalling: {}.", rule_text(reading.rule));
    for p in &reading.parties {
        party_text(&mut w, scenario, p, reading.rule);
    }
    let _ = writeln!(w);
    match forecast {
        None => {
            let _ = writeln!(
                w,
                "Forecast: none (the talks ended in their first round, or the record reaches the deadline)."
            );
        }
        Some(f) => {
            let _ = writeln!(
                w,
                "Forecast from round {} on (rounds 1 to {} replayed as recorded; {} simulations, seed {}):",
                f.cut + 1,
                f.cut,
                f.simulations,
                f.seed
            );
            for (p, m) in scenario.parties.iter().zip(&f.models) {
                let _ = writeln!(w, "  {} plays {}", p.name, model_text(m));
            }
            let _ = writeln!(
                w,
                "  P(agreement before the deadline) = {:.2} ({} of {}; 95% interval {:.2} to {:.2})",
                f.p_agreement, f.agreements, f.simulations, f.p_interval[0], f.p_interval[1]
            );
            if let Some(r) = &f.agreement_round {
                let _ = writeln!(w, "  round of agreement: {}", summary_text(r, 1));
            }
            for (p, u) in scenario.parties.iter().zip(&f.utilities) {
                let _ = writeln!(w, "  final utility of {}: {}", p.name, summary_text(u, 3));
            }
            if !f.top_agreements.is_empty() {
                let _ = writeln!(w, "  most frequent agreements:");
                for (o, c) in &f.top_agreements {
                    let _ = writeln!(
                        w,
                        "    {:>5.1}%  {}",
                        100.0 * *c as f64 / f.simulations as f64,
                        scenario.space.display(o)
                    );
                }
            }
            if record.finished {
                let _ = writeln!(w, "  what happened: {}", ended_text(scenario, record));
            }
        }
    }
    w
}

fn summary_doc(s: &SampleSummary) -> SummaryDoc {
    SummaryDoc {
        mean: s.mean,
        p10: s.p10,
        p50: s.p50,
        p90: s.p90,
    }
}

/// The reading as a document (`detente inspect --json`). It is built here because
/// `detente-formats`, which holds the document, does not depend on `detente-inspect`.
fn inspect_doc(
    scenario: &Scenario,
    record: &RecordedTrace,
    reading: &Reading,
    forecast: Option<&Forecast>,
    cut: Option<u32>,
) -> InspectDoc {
    InspectDoc {
        scenario: scenario.name.clone(),
        deadline: record.trace.deadline,
        finished: record.finished,
        outcome: ended_text(scenario, record),
        read_until_round: cut.map_or(reading.last_round + 1, |c| c),
        stalling_rule: StallingRuleDoc {
            window: reading.rule.window,
            min_improvement: reading.rule.min_improvement,
            definition: rule_text(reading.rule),
        },
        parties: reading
            .parties
            .iter()
            .map(|p| party_doc(scenario, p))
            .collect(),
        forecast: forecast.map(|f| forecast_doc(scenario, f)),
    }
}

fn party_doc(scenario: &Scenario, p: &PartyReading) -> PartyReadingDoc {
    let ev = &p.evidence;
    PartyReadingDoc {
        name: p.name.clone(),
        strategy: p.strategy.as_str().to_string(),
        reason: p.reason.clone(),
        pmax: p.pmax,
        pmin: p.pmin,
        fit: p.fit.as_ref().map(|f| FitDoc {
            e: f.e,
            ci: (
                if f.lower_open { 0.0 } else { f.ci[0] },
                (!f.upper_open).then_some(f.ci[1]),
            ),
            r2: f.r2,
            rmse: f.rmse,
            offers: f.n as u64,
        }),
        evidence: EvidenceDoc {
            offers: ev.offers as u64,
            distinct_offers: ev.distinct_offers as u64,
            conceded_share: ev.conceded_share,
            monotone_share: ev.monotone_share,
            step_variance: ev.step_variance,
            reciprocity: ev.reciprocity,
            reciprocity_pairs: ev.reciprocity_pairs as u64,
            stalling_round: ev.stalling_round + 1,
            stalling: ev.stalling,
            window_concession: ev.window_concession,
            window_predicted: ev.window_predicted,
        },
        curve: p
            .curve
            .iter()
            .map(|c| CurvePointDoc {
                round: c.round + 1,
                time: c.time,
                utilities: per_party(scenario, &c.utilities),
            })
            .collect(),
    }
}

fn forecast_doc(scenario: &Scenario, f: &Forecast) -> ForecastDoc {
    ForecastDoc {
        from_round: f.cut + 1,
        simulations: f.simulations as u64,
        seed: f.seed,
        models: scenario
            .parties
            .iter()
            .zip(&f.models)
            .map(|(p, m)| ModelDoc {
                party: p.name.clone(),
                model: model_text(m),
            })
            .collect(),
        p_agreement: f.p_agreement,
        p_interval: f.p_interval,
        agreement_round: f.agreement_round.as_ref().map(summary_doc),
        utilities: scenario
            .parties
            .iter()
            .zip(&f.utilities)
            .map(|(p, u)| (p.name.clone(), summary_doc(u)))
            .collect(),
        top_agreements: f
            .top_agreements
            .iter()
            .map(|(o, c)| TopAgreementDoc {
                agreement: outcome_doc(&scenario.space, o),
                count: *c as u64,
                share: *c as f64 / f.simulations as f64,
            })
            .collect(),
    }
}
