//! What `detente run` adds below the transcript: how the talks stood at their end (the
//! fallbacks in force, the issues settled, who was still at the table, who mediated), whether
//! a deal zone existed and was not reached and why the talks ended, and the agreement's
//! quality against the setting at the end (`detente_analysis::setting`).

use std::fmt::Write as _;

use detente_analysis::{
    AgreementQuality, AnalysisConfig, DealZone, EndQuality, deal_zone_by_round, quality_at_end,
};
use detente_core::{Cause, ProtocolKind, Scenario, Termination, Trace};
use detente_formats::analysis_json::AgreementQualityDoc;

/// The figures, as text for the transcript and as the document of the trace's `analysis` key.
pub struct Quality {
    /// Lines appended to the transcript.
    pub text: String,
    /// The `analysis` of the JSON trace.
    pub doc: AgreementQualityDoc,
}

/// The end of the talks and the quality of their result, or `None` when the setting at the end
/// cannot be analysed (a space too large to enumerate with utilities that are not linear
/// additive, or events that cannot be replayed).
pub fn agreement_quality(scenario: &Scenario, trace: &Trace) -> Option<Quality> {
    let config = AnalysisConfig::default();
    let end = quality_at_end(scenario, trace, &config).ok()?;
    let mut text = String::new();
    end_of_talks(&mut text, scenario, trace, &end);
    let zone = end.deal_zone();
    let history = deal_zone_by_round(scenario, trace, &config);
    deal_zone_line(&mut text, scenario, trace, zone.as_ref());
    if trace.result.agreement.is_none()
        && let Some(history) = &history
    {
        history_line(&mut text, history);
    }
    quality_text(&mut text, &end.quality);
    let size = zone.as_ref().map(|z| z.outcomes.len());
    let mut doc = detente::documents::quality_doc(&end.quality, size);
    doc.deal_zone_by_round = history;
    Some(Quality { text, doc })
}

/// The fallbacks in force at the end (beside those at the start when they moved), the
/// settled issues, who left and the hand-over of mediation.
fn end_of_talks(w: &mut String, scenario: &Scenario, trace: &Trace, end: &EndQuality) {
    let _ = writeln!(w, "\nAt the end of the talks:");
    let fallbacks: Vec<String> = scenario
        .parties
        .iter()
        .zip(end.setting.reservations())
        .map(|(p, r)| {
            let start = p.preferences.reservation;
            if (r - start).abs() > 1e-12 {
                format!("{} {r:.3} (was {start:.3})", p.name)
            } else {
                format!("{} {r:.3}", p.name)
            }
        })
        .collect();
    let _ = writeln!(w, "  fallbacks in force: {}", fallbacks.join(", "));
    let space = &scenario.space;
    // Each issue settled at the end, with the round of its latest settlement.
    let mut latest: Vec<Option<u32>> = vec![None; space.issues().len()];
    for e in &trace.events {
        if let Cause::PartialAgreement { issue, value } = e.cause
            && end.setting.settled.get(issue) == Some(&Some(value))
        {
            latest[issue] = Some(e.round);
        }
    }
    let settled: Vec<String> = (0..latest.len())
        .filter_map(|i| {
            let round = latest[i]?;
            let x = &space.issues()[i];
            let value = end.setting.settled[i]?;
            let label = x.value(value).map(|v| v.to_string()).unwrap_or_default();
            Some(format!("{}={label} (round {})", x.name, round + 1))
        })
        .collect();
    if !settled.is_empty() {
        let _ = writeln!(w, "  settled: {}", settled.join(", "));
    }
    let left: Vec<&str> = (0..scenario.parties.len())
        .filter(|&p| !end.setting.active[p])
        .map(|p| scenario.parties[p].name.as_str())
        .collect();
    if !left.is_empty() {
        let _ = writeln!(w, "  left the talks: {}", left.join(", "));
    }
    for e in &trace.events {
        if let Cause::MediationHandover { from } = e.cause {
            let _ = writeln!(
                w,
                "  mediation: {} until round {}, a neutral mediator from round {}",
                scenario.parties[from].name,
                e.round,
                e.round + 1
            );
        }
    }
    if let ProtocolKind::Mediated { strategy, .. } = &scenario.protocol.kind {
        let _ = writeln!(w, "  mediator strategy: {strategy}");
    }
}

/// Whether a deal zone existed at the end and whether it was reached; why the talks ended.
fn deal_zone_line(w: &mut String, scenario: &Scenario, trace: &Trace, zone: Option<&DealZone>) {
    let Some(zone) = zone else {
        if trace.result.agreement.is_none() {
            let _ = writeln!(
                w,
                "No agreement; the talks ended because {}",
                why_ended(scenario, trace)
            );
        }
        return;
    };
    let n = zone.outcomes.len();
    let at_table = if zone.parties.len() < scenario.parties.len() {
        "every party still at the table"
    } else {
        "every party"
    };
    let outcomes = |n: usize| {
        if n == 1 {
            "1 outcome was".to_string()
        } else {
            format!("{n} outcomes were")
        }
    };
    match &trace.result.agreement {
        Some(a) => {
            let inside = if zone.contains(a) {
                "it is one of them"
            } else {
                "it is not one of them"
            };
            let _ = writeln!(
                w,
                "Deal zone at the end: {} acceptable to {at_table}; {inside}",
                outcomes(n)
            );
        }
        None if n > 0 => {
            let best = &zone.outcomes[0];
            let _ = writeln!(
                w,
                "No agreement although {} acceptable to {at_table} at the end (the best by the Nash product: {}); the talks ended because {}",
                outcomes(n),
                scenario.space.display(&best.outcome),
                why_ended(scenario, trace)
            );
        }
        None => {
            let _ = writeln!(
                w,
                "No agreement, and no outcome was acceptable to {at_table} at the end; the talks ended because {}",
                why_ended(scenario, trace)
            );
        }
    }
}

/// When the talks had a deal zone (`sizes[r]`: outcomes acceptable to every party at the
/// table at the start of round `r`): the rounds it was open and its largest size.
fn history_line(w: &mut String, sizes: &[u64]) {
    let open: Vec<usize> = (0..sizes.len()).filter(|&r| sizes[r] > 0).collect();
    let (Some(&first), Some(&last)) = (open.first(), open.last()) else {
        let _ = writeln!(
            w,
            "  No outcome was acceptable to every party at the table in any round of the talks."
        );
        return;
    };
    let largest = (0..sizes.len())
        .max_by_key(|&r| (sizes[r], std::cmp::Reverse(r)))
        .expect("some round is open");
    let rounds = if open.len() == last - first + 1 {
        format!("rounds {}-{}", first + 1, last + 1)
    } else {
        format!(
            "{} rounds between {} and {}",
            open.len(),
            first + 1,
            last + 1
        )
    };
    let _ = writeln!(
        w,
        "  A deal zone was open in {rounds} (largest: {} outcomes, round {}); `detente analyze --trace` at a round lists it.",
        sizes[largest],
        largest + 1
    );
}

/// Why talks without agreement ended, in words.
fn why_ended(scenario: &Scenario, trace: &Trace) -> String {
    let r = &trace.result;
    let name = |p: usize| scenario.parties.get(p).map_or("?", |x| x.name.as_str());
    match &r.termination {
        Termination::Agreement => "they agreed".into(),
        Termination::Deadline => format!("the deadline of {} rounds passed", trace.deadline),
        Termination::TimeLimit => format!("the time limit passed in round {}", r.rounds_used),
        Termination::Ended { party } => {
            format!("{} ended them in round {}", name(*party), r.rounds_used)
        }
        Termination::NegotiatorFault { party, fault } => {
            format!(
                "the negotiator of {} failed in round {}: {fault}",
                name(*party),
                r.rounds_used
            )
        }
        Termination::MediatorFault { fault } => {
            format!("the mediator failed in round {}: {fault}", r.rounds_used)
        }
    }
}

fn utilities_text(u: &[f64]) -> String {
    let parts: Vec<String> = u.iter().map(|x| format!("{x:.4}")).collect();
    format!("({})", parts.join(", "))
}

fn quality_text(w: &mut String, q: &AgreementQuality) {
    let opt = |d: Option<f64>| d.map_or_else(|| "n/a".to_string(), |d| format!("{d:.3}"));
    let what = if q.agreement {
        "the agreement"
    } else {
        "no agreement (the reservation point at the end)"
    };
    let _ = write!(
        w,
        "\nQuality of {what}, in undiscounted utilities at the end {}:\n  welfare {:.3} (the sum of the final utilities); Pareto-optimal: {}\n  distance to the Pareto frontier {:.3}, to Nash {}, to Kalai-Smorodinsky {}, to max welfare {:.3}\n",
        utilities_text(&q.utilities),
        q.welfare,
        if q.pareto_optimal { "yes" } else { "no" },
        q.distance_to_frontier,
        opt(q.distance_to_nash),
        opt(q.distance_to_kalai_smorodinsky),
        q.distance_to_max_welfare,
    );
}
