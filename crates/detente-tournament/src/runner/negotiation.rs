//! Running one negotiation of a plan into a results row: the per-scenario work shared by all
//! its negotiations, negotiators from the registry, panics kept quiet, the agreement written
//! out and its quality measured.

use std::cell::Cell;
use std::sync::Mutex;

use detente_analysis::model_accuracy::model_accuracy;
use detente_analysis::{
    AgreementQuality, Analysis, AnalysisConfig, analyze, quality_at_end, quality_of_utilities,
};
use detente_core::protocol::mediator::MediatorRegistry;
use detente_core::protocol::{self, ProtocolConfig};
use detente_core::registry::SpecError;
use detente_core::{
    NegotiationResult, Negotiator, NegotiatorError, NegotiatorFault, Scenario, ScenarioTables,
    SessionInfo, State, Termination, Trace,
};
use detente_formats::analysis_json::AgreementQualityDoc;
use detente_formats::tournament::{ModelColumns, QualityColumns, ResultRow};
use detente_formats::trace::{TraceDoc, trace_doc};
use rayon::prelude::*;

use crate::plan::{Negotiation, Plan};
use crate::runner::hooks::Hooks;

/// The largest space (in outcomes) whose opponent models a tournament measures: every
/// outcome is read once per model at the end of each negotiation.
pub const MODEL_ACCURACY_LIMIT: u64 = 100_000;

/// Per-scenario work done once and shared by every negotiation on it.
pub(crate) struct ScenarioContext<'p> {
    scenario: &'p Scenario,
    tables: ScenarioTables,
    analysis: Option<Analysis>,
    /// Whether to measure the negotiators' opponent models (with the analysis, on spaces of
    /// at most [`MODEL_ACCURACY_LIMIT`] outcomes).
    models: bool,
    config: ProtocolConfig,
    mediators: MediatorRegistry,
}

/// The context of every scenario of `plan`, computed in parallel over the scenarios; with
/// `analysis`, each scenario's Pareto analysis for the quality columns (a scenario that
/// cannot be analysed gets none, with a warning).
pub(crate) fn contexts<'p>(
    plan: &'p Plan,
    analysis: bool,
    traces: bool,
    hooks: &Hooks<'_>,
) -> Vec<ScenarioContext<'p>> {
    plan.scenarios
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            let analysis = if analysis {
                analyze(&s.scenario, &AnalysisConfig::default())
                    .map_err(|e| {
                        hooks.observer.warning(&format!(
                            "scenario `{}`: no agreement-quality columns: {e}",
                            s.scenario.name
                        ));
                    })
                    .ok()
            } else {
                None
            };
            let models = analysis.is_some()
                && s.scenario
                    .space
                    .count_u64()
                    .is_some_and(|n| n <= MODEL_ACCURACY_LIMIT);
            ScenarioContext {
                scenario: &s.scenario,
                tables: ScenarioTables::for_scenario(&s.scenario),
                analysis,
                models,
                config: ProtocolConfig {
                    // A scenario's wall-clock limit holds in tournaments too (its rows then
                    // depend on machine load; the run warns).
                    time_limit: s.scenario.protocol.time_limit,
                    step_limit: plan.step_budget,
                    record_actions: traces,
                    ..ProtocolConfig::new(plan.rounds_for(i))
                },
                mediators: hooks.registry.mediators().clone(),
            }
        })
        .collect()
}

/// The result of talks whose mediator strategy could not be created (the plan's checks make
/// this unreachable from files): no agreement, the mediator's fault recorded.
fn unavailable_mediator(scenario: &Scenario, e: SpecError) -> NegotiationResult {
    NegotiationResult {
        termination: Termination::MediatorFault {
            fault: NegotiatorFault::Init(e.to_string()),
        },
        agreement: None,
        rounds_used: 0,
        time: 0.0,
        utilities: scenario
            .parties
            .iter()
            .map(|p| p.preferences.reservation)
            .collect(),
    }
}

/// A negotiator that cannot start, standing in for one the registry could not create.
struct Unavailable(String);

impl Negotiator for Unavailable {
    fn init(&mut self, _: &SessionInfo<'_>) -> std::result::Result<(), NegotiatorError> {
        Err(NegotiatorError(self.0.clone()))
    }
    fn act(&mut self, _: &State<'_>) -> detente_core::Action {
        detente_core::Action::End
    }
}

thread_local! {
    static IN_NEGOTIATION: Cell<bool> = const { Cell::new(false) };
}

type Hook = Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Sync + Send + 'static>;

static HOOK: Mutex<(usize, Option<std::sync::Arc<Hook>>)> = Mutex::new((0, None));

/// Keeps panics inside negotiations quiet (their message is recorded in the row) while
/// alive; panics elsewhere still reach the previous hook. Nested and concurrent guards share
/// one hook; the last one dropped restores the previous hook.
#[derive(Debug)]
pub struct QuietPanics(());

impl QuietPanics {
    /// Installs the quiet hook.
    pub fn install() -> Self {
        let mut g = HOOK.lock().unwrap_or_else(|e| e.into_inner());
        if g.0 == 0 {
            let prev = std::sync::Arc::new(std::panic::take_hook());
            let p = prev.clone();
            std::panic::set_hook(Box::new(move |info| {
                if !IN_NEGOTIATION.with(Cell::get) {
                    p(info);
                }
            }));
            g.1 = Some(prev);
        }
        g.0 += 1;
        QuietPanics(())
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        let mut g = HOOK.lock().unwrap_or_else(|e| e.into_inner());
        g.0 -= 1;
        // While a panic unwinds through the run, the hook cannot be changed (`take_hook`
        // panics, which would abort): the quiet hook stays, passing on every panic outside a
        // negotiation to the one it replaced.
        if g.0 == 0 && std::thread::panicking() {
            g.1 = None;
            return;
        }
        if g.0 == 0 {
            drop(std::panic::take_hook());
            if let Some(prev) = g.1.take() {
                match std::sync::Arc::try_unwrap(prev) {
                    Ok(hook) => std::panic::set_hook(hook),
                    Err(shared) => std::panic::set_hook(Box::new(move |info| shared(info))),
                }
            }
        }
    }
}

fn agreement_text(scenario: &Scenario, outcome: &detente_core::Outcome) -> String {
    let mut s = String::new();
    for (i, (issue, &v)) in scenario.space.issues().iter().zip(&outcome.0).enumerate() {
        if i > 0 {
            s.push(';');
        }
        s.push_str(&issue.name);
        s.push('=');
        match issue.value(v) {
            Some(val) => s.push_str(&val.to_string()),
            None => s.push_str(&format!("#{v}")),
        }
    }
    s
}

/// Runs negotiation `n` of `plan` (on the scenario of `ctx`) into its results row and, when
/// the run keeps traces, its trace.
pub(crate) fn run_one(
    plan: &Plan,
    ctx: &ScenarioContext<'_>,
    n: &Negotiation,
    hooks: &Hooks<'_>,
) -> (ResultRow, Option<TraceDoc>) {
    let negotiators: Vec<Box<dyn Negotiator>> = n
        .assignment
        .iter()
        .map(|&a| {
            hooks
                .registry
                .create(&plan.negotiators[a].spec)
                .unwrap_or_else(|e| Box::new(Unavailable(e.to_string())))
        })
        .collect();
    IN_NEGOTIATION.with(|f| f.set(true));
    let timed = ctx.config.step_limit.is_some() || ctx.config.time_limit.is_some();
    let clock = timed.then(|| (hooks.clock)());
    let outcome = protocol::run_keeping(
        ctx.scenario,
        &ctx.tables,
        negotiators,
        ctx.config.clone(),
        n.seed,
        clock.as_deref(),
        &ctx.mediators,
    );
    IN_NEGOTIATION.with(|f| f.set(false));
    let (trace, models, played) = match outcome {
        Ok((trace, negotiators)) => {
            let models = if ctx.models {
                model_columns(ctx, &negotiators)
            } else {
                Vec::new()
            };
            (trace, models, true)
        }
        Err(e) => (
            Trace {
                parties: Vec::new(),
                seed: n.seed,
                deadline: ctx.scenario.protocol.deadline,
                entries: Vec::new(),
                events: Vec::new(),
                compliance: Vec::new(),
                result: unavailable_mediator(ctx.scenario, e),
            },
            Vec::new(),
            false,
        ),
    };
    let quality = quality(ctx, &trace);
    let doc = (played && ctx.config.record_actions).then(|| {
        let names: Vec<String> = n
            .assignment
            .iter()
            .map(|&a| plan.negotiators[a].spec.to_string())
            .collect();
        trace_doc(
            ctx.scenario,
            &trace,
            &names,
            quality.as_ref().map(quality_doc),
        )
    });
    let mut row = row(
        plan,
        ctx,
        n,
        trace.result,
        quality.as_ref().map(quality_columns),
    );
    row.models = models;
    (row, doc)
}

/// The quality of a negotiation's result: against the scenario's analysis, or, when events
/// changed the setting, against the analysis of the setting at the end
/// (`detente_analysis::quality_at_end`: the fallbacks in force, as `detente run` measures).
fn quality(ctx: &ScenarioContext<'_>, trace: &Trace) -> Option<AgreementQuality> {
    let a = ctx.analysis.as_ref()?;
    if trace.events.iter().any(|e| e.changed) {
        return Some(quality_at_end(ctx.scenario, trace, &a.config).ok()?.quality);
    }
    let raw = trace
        .result
        .agreement
        .as_ref()
        .map(|o| ctx.scenario.utilities(o));
    Some(quality_of_utilities(a, raw.as_deref()))
}

/// The quality columns of a results row.
fn quality_columns(q: &AgreementQuality) -> QualityColumns {
    QualityColumns {
        pareto_optimal: q.pareto_optimal,
        dist_frontier: q.distance_to_frontier,
        dist_nash: q.distance_to_nash,
        dist_ks: q.distance_to_kalai_smorodinsky,
        dist_max_welfare: q.distance_to_max_welfare,
    }
}

/// The same figures as a trace's `analysis`, without the size of the deal zone (finding it
/// takes an enumeration of the outcomes per negotiation).
fn quality_doc(q: &AgreementQuality) -> AgreementQualityDoc {
    AgreementQualityDoc {
        deal_zone: None,
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

/// The accuracy of each role's opponent models: the mean over the parties it models
/// (Pearson over the models where it is defined).
fn model_columns(
    ctx: &ScenarioContext<'_>,
    negotiators: &[Box<dyn Negotiator + '_>],
) -> Vec<Option<ModelColumns>> {
    let pairs = model_accuracy(ctx.scenario, &ctx.tables, negotiators, MODEL_ACCURACY_LIMIT)
        .unwrap_or_default();
    let mut out: Vec<Option<ModelColumns>> = (0..ctx.scenario.parties.len())
        .map(|p| {
            let mine: Vec<_> = pairs.iter().filter(|a| a.party == p).collect();
            if mine.is_empty() {
                return None;
            }
            let n = mine.len() as f64;
            let pearson: Vec<f64> = mine
                .iter()
                .map(|a| a.accuracy.pearson)
                .filter(|x| x.is_finite())
                .collect();
            Some(ModelColumns {
                pearson: (!pearson.is_empty())
                    .then(|| pearson.iter().sum::<f64>() / pearson.len() as f64),
                ranking_distance: mine
                    .iter()
                    .map(|a| a.accuracy.ranking_distance)
                    .sum::<f64>()
                    / n,
                pareto_distance: mine.iter().map(|a| a.accuracy.pareto_distance).sum::<f64>() / n,
            })
        })
        .collect();
    while out.last() == Some(&None) {
        out.pop();
    }
    out
}

/// The results row of negotiation `n`, which ended with `r` (of that quality).
fn row(
    plan: &Plan,
    ctx: &ScenarioContext<'_>,
    n: &Negotiation,
    r: NegotiationResult,
    quality: Option<QualityColumns>,
) -> ResultRow {
    let (error_party, error) = match &r.termination {
        Termination::NegotiatorFault { party, fault } => (Some(*party), fault.to_string()),
        Termination::MediatorFault { fault } => (None, format!("the mediator {fault}")),
        _ => (None, String::new()),
    };
    let agreement = r
        .agreement
        .as_ref()
        .map(|o| agreement_text(ctx.scenario, o))
        .unwrap_or_default();
    ResultRow {
        index: n.index,
        scenario: ctx.scenario.name.clone(),
        repetition: n.repetition,
        seed: n.seed,
        negotiators: n
            .assignment
            .iter()
            .map(|&a| plan.negotiators[a].name.clone())
            .collect(),
        termination: r.termination.as_str().to_string(),
        error_party,
        error,
        rounds: r.rounds_used,
        time: r.time,
        agreement,
        welfare: r.utilities.iter().sum(),
        utilities: r.utilities,
        quality,
        models: Vec::new(),
    }
}
