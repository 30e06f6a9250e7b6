//! Traces as JSON, with stable field names (documented in `docs/trace-format.md`).
//!
//! Outcomes are written as objects from issue name to value (a string for discrete issues, a
//! number for integer and real issues), and utilities as objects from party name to number, so
//! the output reads well and loads directly into pandas or polars.

use serde::Serialize;
use serde_json::{Map, Value as Json};

use detente_core::{ActionKind, Outcome, OutcomeSpace, ProtocolKind, Scenario, Termination, Trace};

/// The value of `format` in every trace this build writes.
pub const TRACE_FORMAT: &str = "detente-trace/1";

#[derive(Serialize)]
struct TraceDoc<'a> {
    format: &'static str,
    scenario: &'a str,
    issues: Vec<&'a str>,
    parties: Vec<PartyDoc<'a>>,
    protocol: Json,
    seed: u64,
    deadline: u32,
    actions: Vec<ActionDoc<'a>>,
    events: Vec<EventDoc<'a>>,
    result: ResultDoc<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    analysis: Option<Json>,
}

#[derive(Serialize)]
struct PartyDoc<'a> {
    name: &'a str,
    negotiator: &'a str,
    reservation: f64,
    discount: f64,
}

#[derive(Serialize)]
struct ActionDoc<'a> {
    round: u32,
    time: f64,
    party: &'a str,
    action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    offer: Option<Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    utilities: Option<Json>,
}

#[derive(Serialize)]
struct EventDoc<'a> {
    round: u32,
    name: &'a str,
    description: &'a str,
}

#[derive(Serialize)]
struct ResultDoc<'a> {
    termination: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    ended_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    agreement: Option<Json>,
    rounds: u32,
    time: f64,
    utilities: Json,
}

/// An outcome as a JSON object from issue name to value.
pub fn outcome_json(space: &OutcomeSpace, outcome: &Outcome) -> Json {
    let mut m = Map::new();
    for (i, issue) in space.issues().iter().enumerate() {
        let v = match space.value(outcome, i) {
            Some(detente_core::Value::Discrete(s)) => Json::from(s),
            Some(detente_core::Value::Integer(x)) => Json::from(x),
            Some(detente_core::Value::Real(x)) => Json::from(x),
            None => Json::Null,
        };
        m.insert(issue.name.clone(), v);
    }
    Json::Object(m)
}

/// Numbers per party as a JSON object from party name to number.
pub fn per_party_json(scenario: &Scenario, values: &[f64]) -> Json {
    Json::Object(
        scenario
            .parties
            .iter()
            .zip(values)
            .map(|(p, &v)| (p.name.clone(), Json::from(v)))
            .collect(),
    )
}

/// The protocol a scenario runs under, as a JSON object: `kind` (`saop` or `mediated`),
/// for mediated talks `strategy` and `mediator` (a party name, or null when neutral), and
/// `partial_agreements`.
pub fn protocol_json(scenario: &Scenario) -> Json {
    let mut m = Map::new();
    match &scenario.protocol.kind {
        ProtocolKind::Saop => {
            m.insert("kind".into(), Json::from("saop"));
        }
        ProtocolKind::Mediated { strategy, mediator } => {
            m.insert("kind".into(), Json::from("mediated"));
            m.insert("strategy".into(), Json::from(strategy.to_string()));
            m.insert(
                "mediator".into(),
                mediator.map_or(Json::Null, |p| {
                    Json::from(scenario.parties[p].name.as_str())
                }),
            );
        }
    }
    m.insert(
        "partial_agreements".into(),
        Json::from(scenario.protocol.partial_agreements),
    );
    Json::Object(m)
}

/// The trace as a JSON value. `negotiators` describes who played each party (e.g.
/// `boulware:e=0.2`); `analysis` is an optional extra object (agreement quality) put under the
/// key `analysis`.
pub fn trace_json(
    scenario: &Scenario,
    trace: &Trace,
    negotiators: &[String],
    analysis: Option<Json>,
) -> Json {
    // A neutral mediator's texts are recorded as made by party `n`.
    let party = |i: usize| trace.parties.get(i).map_or("mediator", String::as_str);
    let actions = trace
        .entries
        .iter()
        .map(|e| ActionDoc {
            round: e.round,
            time: e.time,
            party: e.actor.name(&trace.parties),
            action: e.kind.as_str(),
            offer: match e.kind {
                ActionKind::Offer | ActionKind::Propose => {
                    e.outcome.as_ref().map(|o| outcome_json(&scenario.space, o))
                }
                _ => None,
            },
            utilities: (!e.utilities.is_empty()).then(|| per_party_json(scenario, &e.utilities)),
        })
        .collect();
    let r = &trace.result;
    let (ended_by, error) = match &r.termination {
        Termination::Ended { party: p } => (Some(party(*p)), None),
        Termination::NegotiatorFault { party: p, fault } => {
            (Some(party(*p)), Some(fault.to_string()))
        }
        _ => (None, None),
    };
    let doc = TraceDoc {
        format: TRACE_FORMAT,
        scenario: &scenario.name,
        issues: scenario
            .space
            .issues()
            .iter()
            .map(|i| i.name.as_str())
            .collect(),
        parties: scenario
            .parties
            .iter()
            .enumerate()
            .map(|(i, p)| PartyDoc {
                name: &p.name,
                negotiator: negotiators.get(i).map_or("", String::as_str),
                reservation: p.preferences.reservation,
                discount: p.preferences.discount,
            })
            .collect(),
        protocol: protocol_json(scenario),
        seed: trace.seed,
        deadline: trace.deadline,
        actions,
        events: trace
            .events
            .iter()
            .map(|e| EventDoc {
                round: e.round,
                name: &e.name,
                description: &e.description,
            })
            .collect(),
        result: ResultDoc {
            termination: r.termination.as_str(),
            ended_by,
            error,
            agreement: r
                .agreement
                .as_ref()
                .map(|o| outcome_json(&scenario.space, o)),
            rounds: r.rounds_used,
            time: r.time,
            utilities: per_party_json(scenario, &r.utilities),
        },
        analysis,
    };
    serde_json::to_value(doc).expect("a trace document always serialises")
}
