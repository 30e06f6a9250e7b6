//! Checking a trace against its scenario and rebuilding the engine's [`Trace`]: the parties
//! and issues must be the scenario's, every offer an outcome of its space, every action one
//! the protocol allows; utilities are recomputed from the scenario.
//!
//! JSON traces of alternating offers and hand-written records go through one replay of the
//! turns ([`turns`]), which checks who may act and when, what may be accepted, and finds the
//! agreement. Mediated talks and talks changed by events follow rules that replay does not
//! check: their actions are read as written ([`as_written`]; parties, offers and texts are
//! still checked against the scenario) and the result is the one the trace states.

mod as_written;
mod mediated;
pub(crate) mod outcome;
mod turns;

use std::path::Path;

use detente_core::{
    ActionKind, FiredEvent, NegotiationResult, NegotiatorFault, Outcome, ProtocolKind, Scenario,
    Termination, Trace,
};

use super::doc::{ActionDoc, ResultDoc, TerminationKind, TraceDoc};
use crate::error::{FormatError, Result};

use outcome::{outcome_of_doc, party_list};
use turns::Turns;

/// Which format a trace was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceSource {
    /// detente's JSON trace (`detente-trace/1`).
    Json,
    /// A hand-written CSV record.
    Csv,
    /// A hand-written TOML record.
    Toml,
}

/// A trace read from a file and checked against its scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedTrace {
    /// The actions and result. Every entry's `utilities` are recomputed from the scenario; the
    /// `time` of a hand-written entry is that of its turn, `(r*n + k) / (R*n)`.
    pub trace: Trace,
    /// Whether the record says how the talks ended (always for JSON traces; for hand-written
    /// records when they reach an agreement, a walk-out or the deadline's last round). When
    /// not, `trace.result` only describes the state at the end of the record: no agreement,
    /// termination `Deadline`, utilities the reservation values discounted at that time.
    pub finished: bool,
    /// Who played each party, as the JSON trace names it (empty for hand-written records).
    pub negotiators: Vec<String>,
    /// The note of each entry (hand-written records may carry one, e.g. a date and a place).
    pub notes: Vec<Option<String>>,
    /// What it was read from.
    pub source: TraceSource,
}

/// Where an action is in its file, for error messages.
#[derive(Debug, Clone)]
pub(crate) enum Place {
    /// A line and column (records).
    At {
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
    },
    /// A JSON path, or another description of the place.
    In(String),
}

impl Place {
    /// The error `message` at this place of `origin`.
    pub(crate) fn error(&self, origin: &Path, message: String) -> FormatError {
        let path = origin.to_path_buf();
        match self {
            Place::At { line, column } => FormatError::At {
                path,
                line: *line,
                column: *column,
                message,
            },
            Place::In(location) => FormatError::In {
                path,
                location: location.clone(),
                message,
            },
        }
    }
}

/// One action as a record or a trace states it, before it is checked against the scenario.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    /// Where it is written.
    pub place: Place,
    /// Round, from 0.
    pub round: u32,
    /// The acting party's name, as written.
    pub party: String,
    /// What it did.
    pub kind: ActionKind,
    /// `issue = value` pairs, values as written: the outcome offered, or for an accept the
    /// outcome the record says is accepted (checked against the standing offer).
    pub offer: Option<Vec<(String, String)>>,
    /// Normalised time, when the file gives it (else that of the turn).
    pub time: Option<f64>,
    /// A note on the action.
    pub note: Option<String>,
}

/// Replays the actions of a hand-written record against `scenario`, in order, with the
/// result they lead to. `steps` are read one by one, so the first problem in the file is the
/// one reported, whether the record misspells an action or breaks a rule.
pub(crate) fn replay_record(
    scenario: &Scenario,
    origin: &Path,
    deadline: u32,
    steps: impl IntoIterator<Item = Result<Step>>,
    source: TraceSource,
) -> Result<RecordedTrace> {
    // The steps up to the first that cannot be read; that error comes after the rule errors of
    // the steps before it, in file order.
    let mut read = Vec::new();
    let mut unreadable = None;
    for step in steps {
        match step {
            Ok(s) => read.push(s),
            Err(e) => {
                unreadable = Some(e);
                break;
            }
        }
    }
    let push_all = |push: &mut dyn FnMut(&Step) -> std::result::Result<(), String>| {
        for step in &read {
            push(step).map_err(|m| step.place.error(origin, m))?;
        }
        unreadable.map_or(Ok(()), Err)
    };
    // A record with mediator's texts is of mediated talks (of a scenario whose protocol is
    // mediated); otherwise it is read as alternating offers.
    let proposes = read.iter().any(|s| s.kind == ActionKind::Propose);
    if proposes && let Some(mut turns) = mediated::MediatedTurns::new(scenario, deadline) {
        push_all(&mut |step| turns.push(step))?;
        return Ok(turns.finish_record(source));
    }
    let mut turns = Turns::new(scenario, deadline);
    push_all(&mut |step| turns.push(step))?;
    Ok(turns.finish_record(source))
}

/// Checks a JSON trace against `scenario` and rebuilds its [`Trace`] (`origin` names the file
/// in errors). The parties and issues must be the scenario's, in its order; utilities are
/// recomputed from the scenario.
pub fn replay(doc: &TraceDoc, scenario: &Scenario, origin: &Path) -> Result<RecordedTrace> {
    check_names(doc, scenario).map_err(|(at, m)| Place::In(at.into()).error(origin, m))?;
    if doc.deadline == 0 {
        return Err(Place::In("$.deadline".into())
            .error(origin, "the deadline must be at least one round".into()));
    }
    let mut events: Vec<FiredEvent> = Vec::with_capacity(doc.events.len());
    for (k, e) in doc.events.iter().enumerate() {
        let event = super::events::fired_event(scenario, e, &events)
            .map_err(|m| Place::In(format!("$.events[{k}]")).error(origin, m))?;
        events.push(event);
    }
    let compliance = super::compliance::compliance_records(scenario, &doc.compliance)
        .map_err(|(at, m)| Place::In(at).error(origin, m))?;
    let mut recorded =
        if matches!(scenario.protocol.kind, ProtocolKind::Mediated { .. }) || !events.is_empty() {
            as_written::replay(doc, scenario, origin, events)?
        } else {
            replay_turns(doc, scenario, origin)?
        };
    recorded.trace.compliance = compliance;
    Ok(recorded)
}

/// The parties and issues of a trace must be the scenario's, in its order.
fn check_names(
    doc: &TraceDoc,
    scenario: &Scenario,
) -> std::result::Result<(), (&'static str, String)> {
    let file: Vec<&str> = doc.parties.iter().map(|p| p.name.as_str()).collect();
    let ours: Vec<&str> = scenario.parties.iter().map(|p| p.name.as_str()).collect();
    if file != ours {
        return Err((
            "$.parties",
            format!(
                "the trace's parties ({}) are not the scenario's ({}), in its order",
                file.join(", "),
                ours.join(", ")
            ),
        ));
    }
    let ours: Vec<&str> = scenario
        .space
        .issues()
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    if doc.issues != ours {
        return Err((
            "$.issues",
            format!(
                "the trace's issues ({}) are not the scenario's ({})",
                doc.issues.join(", "),
                ours.join(", ")
            ),
        ));
    }
    Ok(())
}

/// A JSON trace of alternating offers, replayed turn by turn.
fn replay_turns(doc: &TraceDoc, scenario: &Scenario, origin: &Path) -> Result<RecordedTrace> {
    let mut turns = Turns::new(scenario, doc.deadline);
    for (k, a) in doc.actions.iter().enumerate() {
        let step = json_step(k, a);
        turns.push(&step).map_err(|m| step.place.error(origin, m))?;
    }
    let at = |loc: &str, m: String| Place::In(loc.into()).error(origin, m);
    let termination =
        termination(&doc.result, |name| turns.party_index(name)).map_err(|(loc, m)| at(loc, m))?;
    let agreement = agreement(doc, scenario).map_err(|m| at("$.result.agreement", m))?;
    let reached = turns.agreement();
    if (termination == Termination::Agreement) != reached.is_some()
        || (reached.is_some() && agreement != reached)
    {
        return Err(at(
            "$.result",
            format!(
                "the result says `{}`{}, which the actions do not lead to",
                termination.as_str(),
                agreement
                    .as_ref()
                    .map(|o| format!(" on {}", scenario.space.display(o)))
                    .unwrap_or_default()
            ),
        ));
    }
    let result = result_for(
        scenario,
        termination,
        agreement,
        doc.result.rounds,
        doc.result.time,
    );
    Ok(turns.finish_json(doc, result))
}

/// An action of a JSON trace as a step of the replay. Only an offer's outcome is read: the
/// replay knows what an accept accepts.
fn json_step(k: usize, a: &ActionDoc) -> Step {
    Step {
        place: Place::In(format!("$.actions[{k}] (round {})", u64::from(a.round) + 1)),
        round: a.round,
        party: a.party.clone(),
        kind: a.action,
        offer: match a.action {
            ActionKind::Offer => a.offer.as_ref().map(|o| {
                o.iter()
                    .map(|(k, v)| (k.clone(), outcome::as_written(v)))
                    .collect()
            }),
            _ => None,
        },
        time: Some(a.time),
        note: None,
    }
}

/// The agreement a trace states, as an outcome of the scenario.
fn agreement(doc: &TraceDoc, scenario: &Scenario) -> std::result::Result<Option<Outcome>, String> {
    doc.result
        .agreement
        .as_ref()
        .map(|o| outcome_of_doc(scenario, o))
        .transpose()
}

/// The termination a trace's result states (with `ended_by` and `error`): the one reader of
/// terminations and faults. `party` turns a party name into its index or says what is wrong
/// with it. Errors come with their JSON path.
fn termination(
    result: &ResultDoc,
    party: impl Fn(&str) -> std::result::Result<usize, String>,
) -> std::result::Result<Termination, (&'static str, String)> {
    let ended_by = || {
        let name = result
            .ended_by
            .as_deref()
            .ok_or(("$.result.ended_by", "missing".to_string()))?;
        party(name).map_err(|m| ("$.result.ended_by", m))
    };
    Ok(match result.termination {
        TerminationKind::Agreement => Termination::Agreement,
        TerminationKind::Deadline => Termination::Deadline,
        TerminationKind::TimeLimit => Termination::TimeLimit,
        TerminationKind::Ended => Termination::Ended { party: ended_by()? },
        TerminationKind::NegotiatorFault => Termination::NegotiatorFault {
            party: ended_by()?,
            fault: parse_fault(result.error.as_deref().unwrap_or("")),
        },
        TerminationKind::MediatorFault => Termination::MediatorFault {
            fault: parse_fault(result.error.as_deref().unwrap_or("")),
        },
    })
}

/// A negotiator's fault from the text a trace gives (what its `Display` wrote).
fn parse_fault(text: &str) -> NegotiatorFault {
    if let Some(m) = text.strip_prefix("could not start: ") {
        NegotiatorFault::Init(m.to_string())
    } else if let Some(m) = text.strip_prefix("panicked: ") {
        NegotiatorFault::Panic(m.to_string())
    } else if let Some(m) = text.strip_prefix("invalid action: ") {
        NegotiatorFault::InvalidAction(m.to_string())
    } else if let Some(ms) = text
        .strip_prefix("took ")
        .and_then(|r| r.split_once(" ms"))
        .and_then(|(ms, _)| ms.parse().ok())
    {
        NegotiatorFault::Timeout { millis: ms }
    } else {
        NegotiatorFault::InvalidAction(text.to_string())
    }
}

/// The result of talks on `scenario`: final utilities are the agreement's (or the
/// reservation values), discounted at `time`.
/// The trace of a hand-written record of `scenario` from its checked `entries`: how it ended
/// (`ended`: the termination and its time, when the actions ended the talks), the agreement,
/// and the round of its last action (from 0). A record that neither ended the talks nor reached
/// the deadline's last round is unfinished: its result describes the state at its end.
pub(super) fn record_trace(
    scenario: &Scenario,
    deadline: u32,
    (entries, notes): (Vec<detente_core::TraceEntry>, Vec<Option<String>>),
    (ended, agreement, last_round): (Option<(Termination, f64)>, Option<Outcome>, u32),
    source: TraceSource,
) -> RecordedTrace {
    let (termination, time, finished) = match ended {
        Some((t, time)) => (t, time, true),
        None if last_round + 1 >= deadline => (Termination::Deadline, 1.0, true),
        None => (
            Termination::Deadline,
            entries.last().map_or(0.0, |e| e.time),
            false,
        ),
    };
    let result = result_for(scenario, termination, agreement, last_round + 1, time);
    RecordedTrace {
        trace: Trace {
            compliance: Vec::new(),
            parties: scenario.parties.iter().map(|p| p.name.clone()).collect(),
            seed: 0,
            deadline,
            entries,
            events: Vec::new(),
            result,
        },
        finished,
        negotiators: Vec::new(),
        notes,
        source,
    }
}

fn result_for(
    scenario: &Scenario,
    termination: Termination,
    agreement: Option<Outcome>,
    rounds: u32,
    time: f64,
) -> NegotiationResult {
    let utilities = scenario
        .parties
        .iter()
        .map(|p| {
            let u = agreement
                .as_ref()
                .map_or(p.preferences.reservation, |o| p.preferences.utility(o));
            p.preferences.discounted(u, time)
        })
        .collect();
    NegotiationResult {
        termination,
        agreement,
        rounds_used: rounds,
        time,
        utilities,
    }
}

/// "there is no party `X` in scenario `s` (parties: ...)".
fn no_such_party(scenario: &Scenario, name: &str) -> String {
    format!(
        "there is no party `{name}` in scenario `{}` (parties: {})",
        scenario.name,
        party_list(scenario)
    )
}
