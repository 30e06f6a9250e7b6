//! The text `detente inspect` prints: the record, the stalling rule, each party's reading
//! (strategy, fit, evidence, concession curve) and the forecast.

use std::fmt::Write as _;

use detente_analysis::stats::SampleSummary;
use detente_core::Scenario;
use detente_core::dynamics::StallingRule;
use detente_formats::trace::RecordedTrace;
use detente_inspect::reading::ci_text;
use detente_inspect::{Forecast, PartyReading, Reading};

use detente::documents::{ended_text, model_text, rule_text};

/// Most points of a concession curve the text shows (the JSON has all).
const CURVE_POINTS_SHOWN: usize = 12;

/// The reading and the forecast as text; `cut` is the first round not read, when the reading
/// stops early.
pub(super) fn to_text(
    scenario: &Scenario,
    record: &RecordedTrace,
    reading: &Reading,
    forecast: Option<&Forecast>,
    cut: Option<u32>,
) -> String {
    let mut w = String::new();
    let _ = writeln!(
        w,
        "{}: {} parties, deadline {} rounds; the record: {}",
        scenario.name,
        scenario.parties.len(),
        record.trace.deadline,
        ended_text(scenario, record)
    );
    if let Some(c) = cut {
        let _ = writeln!(w, "Reading rounds 1 to {} only (--cut {}).", c, c + 1);
    }
    let _ = writeln!(w, "Stalling: {}.", rule_text(reading.rule));
    for p in &reading.parties {
        party_text(&mut w, scenario, p, reading.rule);
    }
    if let Some(l) = detente::documents::compliance_ledger(scenario, record) {
        super::ledger::ledger_text(&mut w, scenario, &l);
    }
    let _ = writeln!(w);
    match forecast {
        None => {
            let _ = writeln!(
                w,
                "Forecast: none (the talks ended in their first round, or the record reaches the deadline)."
            );
        }
        Some(f) => forecast_text(&mut w, scenario, record, f),
    }
    w
}

/// One party's reading: its class and why, its evidence and its concession curve.
fn party_text(w: &mut String, scenario: &Scenario, p: &PartyReading, rule: StallingRule) {
    let ev = &p.evidence;
    let _ = writeln!(w, "\n{}: {}", p.name, p.strategy.as_str());
    let _ = writeln!(w, "  why: {}", p.reason);
    let _ = writeln!(
        w,
        "  offers: {} ({} distinct); conceded {:.1}% of the way from its best utility {:.3} to \
         its reservation level in force {:.3}",
        ev.offers,
        ev.distinct_offers,
        ev.conceded_share * 100.0,
        p.pmax,
        p.pmin
    );
    fit_text(w, p);
    let names: Vec<String> = scenario.parties.iter().map(|p| p.name.clone()).collect();
    evidence_text(w, p, rule, &names);
    curve_text(w, scenario, p);
}

/// The fit of the time-dependent tactic, or why there is none.
fn fit_text(w: &mut String, p: &PartyReading) {
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
}

/// The evidence beyond the fit: the shape of its steps, its reciprocity and the stalling test.
fn evidence_text(w: &mut String, p: &PartyReading, rule: StallingRule, names: &[String]) {
    let ev = &p.evidence;
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
    let toward: Vec<String> = ev
        .stalling_toward
        .iter()
        .enumerate()
        .filter_map(|(j, s)| {
            let s = (*s)?;
            let name = &names[j];
            Some(if s {
                format!("stalling toward {name}")
            } else {
                format!("moving toward {name}")
            })
        })
        .collect();
    if !toward.is_empty() {
        let _ = writeln!(w, "    pairwise: {}", toward.join(", "));
    }
    if let Some(v) = &ev.votes {
        let _ = writeln!(
            w,
            "  votes on the mediator's texts: accepted {}, rejected {} (with a counter-proposal); lowest own utility accepted {}, highest rejected {}",
            v.accepted,
            v.rejected,
            opt(v.lowest_accepted, &|u| format!("{u:.3}")),
            opt(v.highest_rejected, &|u| format!("{u:.3}"))
        );
    }
}

/// The concession curve: the utility of its offers to itself and to the others, at most
/// [`CURVE_POINTS_SHOWN`] of them, evenly spread.
fn curve_text(w: &mut String, scenario: &Scenario, p: &PartyReading) {
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
    let shown: Vec<usize> = if k <= CURVE_POINTS_SHOWN {
        (0..k).collect()
    } else {
        let last = CURVE_POINTS_SHOWN - 1;
        let mut v: Vec<usize> = (0..CURVE_POINTS_SHOWN)
            .map(|s| s * (k - 1) / last)
            .collect();
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

/// The forecast: the models, the chance of agreement, when and where it lands, and what
/// happened when the record goes on.
fn forecast_text(w: &mut String, scenario: &Scenario, record: &RecordedTrace, f: &Forecast) {
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
        "  the simulations as an ensemble (agreement before the deadline; 95% intervals, the \
         simulation error only, not the models'):"
    );
    crate::ensemble::summary_text(w, scenario, &f.ensemble, "  ");
    if let Some(r) = &f.agreement_round {
        let _ = writeln!(w, "  round of agreement: {}", summary_text(r, 1));
    }
    if record.finished {
        let _ = writeln!(w, "  what happened: {}", ended_text(scenario, record));
    }
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
