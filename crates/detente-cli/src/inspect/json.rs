//! The document `detente inspect --json` prints
//! ([`detente_formats::inspect_json::InspectDoc`]). It is built here because
//! `detente-formats`, which holds the document, does not depend on `detente-inspect`.

use detente_analysis::stats::SampleSummary;
use detente_core::Scenario;
use detente_formats::inspect_json::{
    CurvePointDoc, EvidenceDoc, FitDoc, ForecastDoc, InspectDoc, ModelDoc, PartyReadingDoc,
    StallingRuleDoc, SummaryDoc, TopAgreementDoc,
};
use detente_formats::trace::{RecordedTrace, outcome_doc, per_party};
use detente_inspect::{Forecast, PartyReading, Reading};

use super::{ended_text, model_text, rule_text};

fn summary_doc(s: &SampleSummary) -> SummaryDoc {
    SummaryDoc {
        mean: s.mean,
        p10: s.p10,
        p50: s.p50,
        p90: s.p90,
    }
}

/// The reading and the forecast as a document; `cut` is the first round not read, when the
/// reading stops early.
pub(super) fn inspect_doc(
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
