//! The typed documents of analyses, readings and sweeps, built from the library results: the
//! one place that turns an [`Analysis`], a [`Reading`] and its [`Forecast`], a [`SweepResult`]
//! or an agreement's quality into the documents of `detente-formats` (`detente analyze
//! --json`, `detente inspect --json`, `detente sweep --json`, the `analysis` and `ensemble` of
//! `detente run --json`, and the same documents from Python). `detente-formats` holds the documents
//! but does not depend on the crates that compute them, so the builders live here, in the
//! crate that sees them all.

use detente_analysis::model_accuracy;
use detente_analysis::stats::SampleSummary;
use detente_analysis::{
    AgreementQuality, Analysis, AnalysisConfig, Method, Point, Points, SettingAnalysis,
    deal_zone_by_round, quality_at_end,
};
use detente_core::dynamics::StallingRule;
use detente_core::{
    Negotiator, OutcomeSpace, Reporter, Scenario, ScenarioTables, Termination, Trace,
};
use detente_formats::analysis_json::{
    AgreementQualityDoc, AnalysisDoc, OutcomeCount, PointDoc, PointsDoc, SettingDoc, StatsDoc,
};
use detente_formats::ensemble_json::{EnsembleDoc, EnsembleQualityDoc};
use detente_formats::inspect_json::{
    AccusationsDoc, ConsistencyDoc, CurvePointDoc, DisputeDoc, EvidenceDoc, FitDoc, ForecastDoc,
    InspectDoc, LedgerDoc, ModelDoc, PartyReadingDoc, ReporterAccuracyDoc, StallingRuleDoc,
    SummaryDoc, TopAgreementDoc, VotesDoc,
};
use detente_formats::sweep_json::{Estimate, SWEEP_FORMAT, SweepAxis, SweepDoc, SweepPoint};
use detente_formats::trace::{OpponentModelDoc, RecordedTrace, outcome_doc, per_party};
use detente_inspect::ensemble::{Ensemble, MeanCi, QualitySummary};
use detente_inspect::forecast::Model;
use detente_inspect::{Forecast, Ledger, PartyReading, Reading, SweepResult};

/// The largest space whose opponent-model accuracy a run measures (every outcome is read).
pub const MODEL_ACCURACY_LIMIT: u64 = 1_000_000;

/// The most ordered pairs of parties whose opponent-model accuracy a run measures: a
/// multilateral run of more than 32 parties (n (n - 1) > 1,024 pairs) would otherwise add a
/// number of rows quadratic in the parties to every trace.
pub const MODEL_ACCURACY_PAIRS: usize = 1_024;

/// How accurate the negotiators' opponent models were at the end of a run (the JSON trace's
/// `result.opponent_models`); empty when no negotiator keeps a model, the space is larger
/// than [`MODEL_ACCURACY_LIMIT`] or the parties form more than [`MODEL_ACCURACY_PAIRS`]
/// ordered pairs.
pub fn opponent_models(
    scenario: &Scenario,
    tables: &ScenarioTables,
    negotiators: &[Box<dyn Negotiator + '_>],
) -> Vec<OpponentModelDoc> {
    let n = scenario.parties.len();
    if n.saturating_mul(n.saturating_sub(1)) > MODEL_ACCURACY_PAIRS {
        return Vec::new();
    }
    let pairs = model_accuracy::model_accuracy(scenario, tables, negotiators, MODEL_ACCURACY_LIMIT)
        .unwrap_or_default();
    let name = |p: usize| scenario.parties[p].name.clone();
    pairs
        .into_iter()
        .map(|p| OpponentModelDoc {
            party: name(p.party),
            opponent: name(p.opponent),
            pearson: Some(p.accuracy.pearson).filter(|x| x.is_finite()),
            ranking_distance: p.accuracy.ranking_distance,
            pareto_distance: p.accuracy.pareto_distance,
        })
        .collect()
}

/// The agreement quality a JSON trace carries, measured against the setting at the end of
/// the talks ([`quality_at_end`]), with the deal zone's size at the end and at the start of
/// every round ([`deal_zone_by_round`]); `None` when that setting cannot be analysed (a space
/// too large to enumerate with utilities that are not linear additive).
pub fn quality(scenario: &Scenario, trace: &Trace) -> Option<AgreementQualityDoc> {
    let config = AnalysisConfig::default();
    let end = quality_at_end(scenario, trace, &config).ok()?;
    let mut doc = quality_doc(&end.quality, end.deal_zone().map(|z| z.outcomes.len()));
    doc.deal_zone_by_round = deal_zone_by_round(scenario, trace, &config);
    Some(doc)
}

/// An agreement's quality as the JSON trace's `analysis` holds it, with the size of the deal
/// zone at the end (when it was found).
pub fn quality_doc(q: &AgreementQuality, deal_zone: Option<usize>) -> AgreementQualityDoc {
    AgreementQualityDoc {
        deal_zone: deal_zone.map(|n| n as u64),
        deal_zone_by_round: None,
        agreement: q.agreement,
        utilities: q.utilities.clone(),
        welfare: q.welfare,
        pareto_optimal: q.pareto_optimal,
        distance_to_frontier: q.distance_to_frontier,
        distance_to_nash: q.distance_to_nash,
        distance_to_kalai_smorodinsky: q.distance_to_kalai_smorodinsky,
        distance_to_max_welfare: q.distance_to_max_welfare,
    }
}

/// What `analyze --at-round` or `--trace` adds: the setting analysed and the first `list`
/// outcomes of its deal zone (`round` from 1; `None`: the end of the talks).
pub fn setting_doc(
    sa: &SettingAnalysis,
    round: Option<u32>,
    events_from: &str,
    list: usize,
) -> SettingDoc {
    let base = &sa.setting.scenario;
    let space = &sa.remaining.space;
    SettingDoc {
        round,
        events_from: events_from.to_string(),
        events: sa
            .setting
            .events
            .iter()
            .map(|e| format!("round {}: {}: {}", e.round + 1, e.name, e.description))
            .collect(),
        left: (0..base.parties.len())
            .filter(|&p| !sa.setting.active[p])
            .map(|p| base.parties[p].name.clone())
            .collect(),
        settled: settled_labels(base, &sa.setting.settled),
        ended: sa.setting.ended,
        deal_zone_size: sa.deal_zone.outcomes.len(),
        deal_zone: sa
            .deal_zone
            .outcomes
            .iter()
            .take(list)
            .map(|d| PointDoc {
                outcome: outcome_doc(space, &d.outcome),
                utilities: d.utilities.clone(),
            })
            .collect(),
    }
}

/// `issue=value` of every settled issue, in issue order.
pub fn settled_labels(scenario: &Scenario, settled: &[Option<u32>]) -> Vec<String> {
    let issues = scenario.space.issues();
    settled
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let v = (*v)?;
            let value = issues[i]
                .value(v)
                .map(|x| x.to_string())
                .unwrap_or_default();
            Some(format!("{}={value}", issues[i].name))
        })
        .collect()
}

fn method_name(m: Method) -> &'static str {
    match m {
        Method::IssueByIssue => "issue-by-issue",
        Method::Enumerate | Method::Auto => "enumerate",
    }
}

fn point_doc(space: &OutcomeSpace, p: &Point) -> PointDoc {
    PointDoc {
        outcome: outcome_doc(space, &p.outcome),
        utilities: p.utilities.clone(),
    }
}

fn points_doc(space: &OutcomeSpace, p: &Points) -> PointsDoc {
    PointsDoc {
        value: p.value,
        points: p.points.iter().map(|p| point_doc(space, p)).collect(),
    }
}

/// The analysis as `detente analyze --json [--frontier]` writes it.
pub fn analysis_doc(
    scenario: &Scenario,
    format: &str,
    a: &Analysis,
    frontier: bool,
) -> AnalysisDoc {
    let space = &scenario.space;
    let s = &a.stats;
    AnalysisDoc {
        scenario: scenario.name.clone(),
        format: format.to_string(),
        parties: scenario.parties.iter().map(|p| p.name.clone()).collect(),
        issues: space.issues().iter().map(|i| i.name.clone()).collect(),
        n_outcomes: match space.count_u64() {
            Some(n) => OutcomeCount::Exact(n),
            None => OutcomeCount::Beyond(space.count_display()),
        },
        method: method_name(a.frontier.method).to_string(),
        stats: StatsDoc {
            min_utility: s.min_utility.clone(),
            max_utility: s.max_utility.clone(),
            reservation: s.reservation.clone(),
            frontier_size: s.frontier_size,
            frontier_distinct: s.frontier_distinct,
            opposition: s.opposition,
            opposition_normalised: s.opposition_normalised,
            n_individually_rational: s.n_individually_rational,
            fraction_individually_rational: s.fraction_individually_rational,
        },
        nash: points_doc(space, &a.nash),
        kalai_smorodinsky: points_doc(space, &a.kalai_smorodinsky),
        max_welfare: points_doc(space, &a.max_welfare),
        egalitarian: points_doc(space, &a.egalitarian),
        frontier: frontier.then(|| {
            a.frontier
                .points
                .iter()
                .map(|p| point_doc(space, p))
                .collect()
        }),
        setting: None,
    }
}

/// How a record ended, in words (as `detente inspect` says it).
pub fn ended_text(scenario: &Scenario, record: &RecordedTrace) -> String {
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

/// A stalling rule in words.
pub fn rule_text(rule: StallingRule) -> String {
    format!(
        "a party is stalling toward another at round R when it had made an offer by round R-{w} \
         and the other's utility of its latest offer in rounds R-{w}+1..R is never at least {x} \
         above its utility of its latest offer at round R-{w}; it is stalling when it is \
         stalling toward every other party that took part and accepted no text or offer in \
         rounds R-{w}+1..R",
        w = rule.window,
        x = rule.min_improvement
    )
}

/// A forecast's model of a party in words.
pub fn model_text(m: &Model) -> String {
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

fn summary_doc(s: &SampleSummary) -> SummaryDoc {
    SummaryDoc {
        mean: s.mean,
        p10: s.p10,
        p50: s.p50,
        p90: s.p90,
    }
}

/// The reading of a trace as `detente inspect --json` writes it.
pub fn inspect_doc(
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
        compliance: compliance_ledger(scenario, record).map(|l| ledger_doc(scenario, &l)),
    }
}

/// The ledger of a record's compliance phase (`None` when it has no compliance records), each
/// reporter weighed at the accuracy the scenario states for it: its compliance profile's, and
/// for the monitor the one the agreed verification value sets (else the scenario's monitor).
pub fn compliance_ledger(scenario: &Scenario, record: &RecordedTrace) -> Option<Ledger> {
    let records = &record.trace.compliance;
    if records.is_empty() {
        return None;
    }
    let settled: Vec<Option<u32>> = record
        .trace
        .result
        .agreement
        .as_ref()
        .map_or_else(Vec::new, |a| a.0.iter().map(|&v| Some(v)).collect());
    let monitor = scenario.compliance.monitor_accuracy(&settled);
    let stated = |r: Reporter| match r {
        Reporter::Party(p) => scenario.compliance.profile(p).map(|c| c.accuracy),
        Reporter::Monitor => monitor,
    };
    Some(detente_inspect::ledger(records, &stated))
}

/// The ledger as `detente inspect --json` writes it (rounds from 1).
pub fn ledger_doc(scenario: &Scenario, l: &Ledger) -> LedgerDoc {
    let names: Vec<String> = scenario.parties.iter().map(|p| p.name.clone()).collect();
    let who = |r: Reporter| r.name(&names).to_string();
    let party = |p: usize| who(Reporter::Party(p));
    let issue = |i: usize| {
        scenario
            .space
            .issues()
            .get(i)
            .map_or_else(String::new, |x| x.name.clone())
    };
    let n = |x: usize| x as u64;
    LedgerDoc {
        truth_known: l.truth_known,
        accusations: l
            .pairs
            .iter()
            .map(|p| AccusationsDoc {
                by: who(p.by),
                about: party(p.about),
                reports: n(p.reports),
                breach_claims: n(p.breach_claims),
                breaches: p.truth.map(|t| n(t.breaches)),
                true_accusations: p.truth.map(|t| n(t.true_accusations)),
                false_accusations: p.truth.map(|t| n(t.false_accusations)),
                missed_breaches: p.truth.map(|t| n(t.missed_breaches)),
            })
            .collect(),
        accuracy: l
            .accuracy
            .iter()
            .map(|a| ReporterAccuracyDoc {
                by: who(a.by),
                reports: n(a.reports),
                correct: n(a.correct),
                accuracy: a.accuracy,
                stated: a.stated,
            })
            .collect(),
        consistency: l
            .consistency
            .iter()
            .map(|c| ConsistencyDoc {
                about: party(c.about),
                reporters: [who(c.first), who(c.second)],
                compared: n(c.compared),
                disagreements: n(c.disagreements),
                agreement: c.agreement,
                disputed_rounds: c.disputed_rounds.iter().map(|r| r + 1).collect(),
            })
            .collect(),
        disputes: l
            .disputes
            .iter()
            .map(|d| DisputeDoc {
                round: d.round + 1,
                issue: issue(d.issue),
                about: party(d.about),
                accusers: d.accusers.iter().map(|&r| who(r)).collect(),
                defenders: d.defenders.iter().map(|&r| who(r)).collect(),
                log_odds: d.log_odds,
                monitor_needed: d.monitor_needed,
                monitor: d.monitor.map(|a| a.as_str().to_string()),
                truth: d.truth.map(|a| a.as_str().to_string()),
            })
            .collect(),
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
            stalling_toward: scenario
                .parties
                .iter()
                .zip(&ev.stalling_toward)
                .filter_map(|(q, s)| s.map(|s| (q.name.clone(), s)))
                .collect(),
            votes: ev.votes.as_ref().map(|v| VotesDoc {
                accepted: v.accepted as u64,
                rejected: v.rejected as u64,
                lowest_accepted: v.lowest_accepted,
                highest_rejected: v.highest_rejected,
            }),
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
    let ensemble = ensemble_doc(scenario, &f.ensemble, None, (None, None));
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
        p_agreement: ensemble.agreement_rate,
        p_interval: ensemble.agreement_rate_ci95,
        agreement_round: f.agreement_round.as_ref().map(summary_doc),
        utilities: scenario
            .parties
            .iter()
            .zip(&f.utilities)
            .map(|(p, u)| (p.name.clone(), summary_doc(u)))
            .collect(),
        top_agreements: ensemble.top_agreements.clone(),
        ensemble,
    }
}

fn estimate(m: &MeanCi) -> Estimate {
    Estimate {
        mean: m.mean,
        ci95: m.ci,
    }
}

/// The most frequent agreements of an ensemble, with their counts and shares of its runs.
fn top_agreements_doc(space: &OutcomeSpace, e: &Ensemble) -> Vec<TopAgreementDoc> {
    e.top_agreements
        .iter()
        .map(|(o, c)| TopAgreementDoc {
            agreement: outcome_doc(space, o),
            count: *c as u64,
            share: *c as f64 / e.runs as f64,
        })
        .collect()
}

/// The quality of an ensemble's outcomes as a document.
fn ensemble_quality_doc(q: &QualitySummary) -> EnsembleQualityDoc {
    EnsembleQualityDoc {
        measured: q.measured as u64,
        pareto_optimal: q.pareto_optimal as u64,
        pareto_optimal_rate_ci95: q.pareto_optimal_ci,
        distance_to_frontier: estimate(&q.distance_to_frontier),
        distance_to_nash: q.distance_to_nash.as_ref().map(estimate),
    }
}

/// An ensemble of runs of `scenario` (the `ensemble` of `detente run --json` and of a
/// forecast); `seed`, `jitter` and `noise` are the ensemble's own, when it has them.
pub fn ensemble_doc(
    scenario: &Scenario,
    e: &Ensemble,
    seed: Option<u64>,
    (jitter, noise): (Option<f64>, Option<f64>),
) -> EnsembleDoc {
    EnsembleDoc {
        runs: e.runs as u64,
        seed,
        jitter,
        noise,
        distinct: e.distinct as u64,
        identical: e.identical(),
        agreements: e.agreements as u64,
        agreement_rate: e.rate,
        agreement_rate_ci95: e.rate_ci,
        top_agreements: top_agreements_doc(&scenario.space, e),
        distinct_agreements: e.distinct_agreements as u64,
        utilities: scenario
            .parties
            .iter()
            .map(|p| p.name.clone())
            .zip(e.utilities.iter().map(estimate))
            .collect(),
        welfare: estimate(&e.welfare),
        mean_rounds: e.mean_rounds,
        lasting: e.lasting.map(|k| k as u64),
        lasting_rate_ci95: e.lasting_ci,
        quality: e.quality.as_ref().map(ensemble_quality_doc),
    }
}

/// A sweep of `scenario` as `detente sweep --json` writes it.
pub fn sweep_doc(scenario: &Scenario, r: &SweepResult) -> SweepDoc {
    let by_party = |values: &[MeanCi]| {
        r.parties
            .iter()
            .cloned()
            .zip(values.iter().map(estimate))
            .collect()
    };
    SweepDoc {
        format: SWEEP_FORMAT.to_string(),
        scenario: None,
        parties: r.parties.clone(),
        axes: r
            .axes
            .iter()
            .map(|a| SweepAxis {
                param: a.name.clone(),
                values: a.values.clone(),
                labels: a.labels.clone(),
            })
            .collect(),
        seeds: Some(r.seeds as u64),
        seed: Some(r.seed),
        jitter: Some(r.jitter),
        noise: Some(r.noise),
        points: r
            .points
            .iter()
            .map(|p| {
                let e = &p.summary;
                SweepPoint {
                    values: r
                        .axes
                        .iter()
                        .map(|a| a.name.clone())
                        .zip(p.values.iter().copied())
                        .collect(),
                    runs: Some(e.runs as u64),
                    agreements: Some(e.agreements as u64),
                    agreement_rate: Some(e.rate),
                    agreement_rate_ci95: e.rate_ci,
                    mean_rounds: Some(e.mean_rounds),
                    lasting: e.lasting.map(|k| k as u64),
                    lasting_rate_ci95: e.lasting_ci,
                    utilities: by_party(&e.utilities),
                    welfare: Some(estimate(&e.welfare)),
                    distinct: Some(e.distinct as u64),
                    top_agreements: top_agreements_doc(&scenario.space, e),
                    distinct_agreements: Some(e.distinct_agreements as u64),
                    quality: e.quality.as_ref().map(ensemble_quality_doc),
                }
            })
            .collect(),
    }
}
