//! Building a [`TraceDoc`] from a scenario and the trace of a negotiation on it.

use detente_core::{
    ActionKind, Outcome, OutcomeSpace, ProtocolKind, Scenario, Termination, Trace, TraceEntry,
    Value,
};

use super::doc::{
    ActionDoc, IssueValue, OutcomeDoc, PartyDoc, PerParty, ProtocolDoc, ResultDoc, TRACE_FORMAT,
    TerminationKind, TraceDoc,
};
use crate::analysis_json::AgreementQualityDoc;

/// The document of a negotiation on `scenario`. `negotiators` describes who played each party
/// (e.g. `boulware:e=0.2`); `analysis` is the agreement quality, when computed.
pub fn trace_doc(
    scenario: &Scenario,
    trace: &Trace,
    negotiators: &[String],
    analysis: Option<AgreementQualityDoc>,
) -> TraceDoc {
    TraceDoc {
        format: TRACE_FORMAT.to_string(),
        scenario: scenario.name.clone(),
        issues: scenario
            .space
            .issues()
            .iter()
            .map(|i| i.name.clone())
            .collect(),
        parties: scenario
            .parties
            .iter()
            .enumerate()
            .map(|(i, p)| PartyDoc {
                name: p.name.clone(),
                negotiator: negotiators.get(i).cloned().unwrap_or_default(),
                reservation: p.preferences.reservation,
                discount: p.preferences.discount,
            })
            .collect(),
        protocol: protocol_doc(scenario),
        seed: trace.seed,
        deadline: trace.deadline,
        actions: actions(scenario, trace),
        events: trace
            .events
            .iter()
            .map(|e| super::events::event_doc(scenario, e))
            .collect(),
        compliance: super::compliance::compliance_docs(scenario, &trace.compliance),
        result: result(scenario, trace),
        analysis,
        ensemble: None,
    }
}

fn actions(scenario: &Scenario, trace: &Trace) -> Vec<ActionDoc> {
    trace
        .entries
        .iter()
        .map(|e| action_doc(scenario, &trace.parties, e))
        .collect()
}

/// One action of a negotiation on `scenario` whose parties are named `parties`.
pub fn action_doc(scenario: &Scenario, parties: &[String], e: &TraceEntry) -> ActionDoc {
    ActionDoc {
        round: e.round,
        time: e.time,
        party: e.actor.name(parties).to_string(),
        action: e.kind,
        offer: match e.kind {
            ActionKind::Offer | ActionKind::Propose => {
                e.outcome.as_ref().map(|o| outcome_doc(&scenario.space, o))
            }
            ActionKind::Accept | ActionKind::End => None,
        },
        utilities: (!e.utilities.is_empty()).then(|| per_party(scenario, &e.utilities)),
    }
}

fn result(scenario: &Scenario, trace: &Trace) -> ResultDoc {
    let r = &trace.result;
    let name = |p: usize| {
        detente_core::Actor::Party(p)
            .name(&trace.parties)
            .to_string()
    };
    let (ended_by, error) = match &r.termination {
        Termination::Ended { party } => (Some(name(*party)), None),
        Termination::NegotiatorFault { party, fault } => {
            (Some(name(*party)), Some(fault.to_string()))
        }
        Termination::MediatorFault { fault } => (None, Some(fault.to_string())),
        _ => (None, None),
    };
    ResultDoc {
        termination: TerminationKind::of(&r.termination),
        ended_by,
        error,
        agreement: r
            .agreement
            .as_ref()
            .map(|o| outcome_doc(&scenario.space, o)),
        rounds: r.rounds_used,
        time: r.time,
        utilities: per_party(scenario, &r.utilities),
        opponent_models: Vec::new(),
    }
}

/// An outcome as a map from issue name to value. An index outside an issue's values (which
/// no valid outcome has) is left out.
pub fn outcome_doc(space: &OutcomeSpace, outcome: &Outcome) -> OutcomeDoc {
    space
        .issues()
        .iter()
        .enumerate()
        .filter_map(|(i, issue)| {
            let v = match space.value(outcome, i)? {
                Value::Discrete(s) => IssueValue::Text(s.to_string()),
                Value::Integer(x) => IssueValue::Integer(x),
                Value::Real(x) => IssueValue::Real(x),
            };
            Some((issue.name.clone(), v))
        })
        .collect()
}

/// Numbers per party (in the scenario's order) as a map from party name to number.
pub fn per_party(scenario: &Scenario, values: &[f64]) -> PerParty {
    scenario
        .parties
        .iter()
        .zip(values)
        .map(|(p, &v)| (p.name.clone(), v))
        .collect()
}

/// The protocol a scenario runs under.
pub fn protocol_doc(scenario: &Scenario) -> ProtocolDoc {
    let partial_agreements = scenario.protocol.partial_agreements;
    match &scenario.protocol.kind {
        ProtocolKind::Saop => ProtocolDoc::Saop { partial_agreements },
        ProtocolKind::Mediated { strategy, mediator } => ProtocolDoc::Mediated {
            strategy: strategy.to_string(),
            mediator: mediator.map(|p| scenario.parties[p].name.clone()),
            partial_agreements,
        },
    }
}
