//! Reading traces back: detente's own JSON traces (`detente run --format json`) and
//! hand-written records of real talks (CSV or TOML), each checked against a scenario and turned
//! into a [`detente_core::Trace`] whose utilities are recomputed from that scenario.
//!
//! The hand-written formats are described in `docs/inspect.md`. In short, rounds count from 1,
//! every action names a party of the scenario and is `offer`, `accept` or `end`, an offer gives
//! a value for every issue, and the actions of a round are listed in the scenario's turn order
//! (a party may skip a round). An agreement is reached when every party other than the one that
//! made the standing offer has accepted it, with no new offer in between.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value as Json;
use toml::Spanned;

use detente_core::{
    ActionKind, Actor, FiredEvent, IssueKind, NegotiationResult, NegotiatorFault, Outcome,
    ProtocolKind, Scenario, Termination, Trace, TraceEntry,
};

use crate::error::{FormatError, Result, line_column};
use crate::trace_json::TRACE_FORMAT;

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

/// A trace read from a file.
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

/// Reads a trace file against `scenario`: JSON when its first non-blank character is `{`,
/// CSV when its name ends in `.csv`, otherwise TOML.
pub fn load(path: &Path, scenario: &Scenario) -> Result<RecordedTrace> {
    let text = std::fs::read_to_string(path).map_err(|source| FormatError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    if text.trim_start().starts_with('{') {
        from_json_str(text, path, scenario)
    } else if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        from_csv_str(text, path, scenario)
    } else {
        from_toml_str(text, path, scenario)
    }
}

// ------------------------------------------------------------------------------------------
// Checking actions against the scenario and the protocol.

/// Builds a trace action by action, checking each against the scenario and the protocol.
struct Builder<'s> {
    scenario: &'s Scenario,
    deadline: u32,
    entries: Vec<TraceEntry>,
    notes: Vec<Option<String>>,
    standing: Option<(Outcome, usize)>,
    accepted: Vec<bool>,
    ended: Option<(Termination, f64)>,
    last: Option<(u32, usize)>,
}

impl<'s> Builder<'s> {
    fn new(scenario: &'s Scenario, deadline: u32) -> Self {
        Builder {
            scenario,
            deadline,
            entries: Vec::new(),
            notes: Vec::new(),
            standing: None,
            accepted: vec![false; scenario.parties.len()],
            ended: None,
            last: None,
        }
    }

    fn n(&self) -> usize {
        self.scenario.parties.len()
    }

    fn turn_time(&self, round: u32, party: usize) -> f64 {
        let n = self.n() as f64;
        (f64::from(round) * n + party as f64) / (f64::from(self.deadline) * n)
    }

    fn party_index(&self, name: &str) -> std::result::Result<usize, String> {
        self.scenario.party_index(name).ok_or_else(|| {
            format!(
                "there is no party `{name}` in scenario `{}` (parties: {})",
                self.scenario.name,
                party_list(self.scenario)
            )
        })
    }

    /// Adds an action (round from 0). `offer` is the outcome offered, or for an accept the
    /// outcome the record says is accepted (checked against the standing offer), if given.
    fn push(
        &mut self,
        round: u32,
        party: usize,
        kind: ActionKind,
        offer: Option<Outcome>,
        time: Option<f64>,
        note: Option<String>,
    ) -> std::result::Result<(), String> {
        let name = &self.scenario.parties[party].name;
        if let Some((t, _)) = &self.ended {
            return Err(format!(
                "{name} acts after the talks ended ({})",
                match t {
                    Termination::Agreement => "in an agreement",
                    _ => "in a walk-out",
                }
            ));
        }
        if round >= self.deadline {
            return Err(format!(
                "round {} is past the deadline of {} rounds",
                round + 1,
                self.deadline
            ));
        }
        if let Some((lr, lp)) = self.last {
            if round < lr {
                return Err(format!(
                    "round {} comes after round {}: list the actions in order",
                    round + 1,
                    lr + 1
                ));
            }
            if round == lr && party <= lp {
                return Err(format!(
                    "{name} acts in round {} after {}, but each party has one turn per round, \
                     in the order {}: list a round's actions in that order",
                    round + 1,
                    self.scenario.parties[lp].name,
                    party_list(self.scenario)
                ));
            }
        }
        let time = time.unwrap_or_else(|| self.turn_time(round, party));
        let outcome = match kind {
            ActionKind::Offer => {
                let o = offer.ok_or_else(|| format!("{name} makes an offer without an outcome"))?;
                self.standing = Some((o.clone(), party));
                self.accepted.iter_mut().for_each(|a| *a = false);
                Some(o)
            }
            ActionKind::Propose => {
                return Err(format!(
                    "{name} proposes a mediator's text: records of mediated talks cannot be read yet, only alternating offers"
                ));
            }
            ActionKind::Accept => {
                let Some((standing, by)) = &self.standing else {
                    return Err(format!("{name} accepts, but no offer is standing"));
                };
                if *by == party {
                    return Err(format!("{name} accepts its own offer"));
                }
                if let Some(o) = &offer
                    && o != standing
                {
                    return Err(format!(
                        "{name} accepts {}, but the standing offer is {}",
                        self.scenario.space.display(o),
                        self.scenario.space.display(standing)
                    ));
                }
                let standing = standing.clone();
                let by = *by;
                self.accepted[party] = true;
                if (0..self.n()).all(|j| j == by || self.accepted[j]) {
                    self.ended = Some((Termination::Agreement, time));
                }
                Some(standing)
            }
            ActionKind::End => {
                if offer.is_some() {
                    return Err(format!("{name} walks out but the record gives an offer"));
                }
                self.ended = Some((Termination::Ended { party }, time));
                None
            }
        };
        let utilities = outcome
            .as_ref()
            .map(|o| self.scenario.utilities(o))
            .unwrap_or_default();
        self.entries.push(TraceEntry {
            round,
            actor: Actor::Party(party),
            time,
            kind,
            outcome,
            utilities,
        });
        self.notes.push(note);
        self.last = Some((round, party));
        Ok(())
    }

    /// The trace of a hand-written record, with the result the actions imply.
    fn finish_record(self, source: TraceSource) -> RecordedTrace {
        let last_round = self.last.map_or(0, |(r, _)| r);
        let (termination, time, finished) = match &self.ended {
            Some((t, time)) => (t.clone(), *time, true),
            None if last_round + 1 >= self.deadline => (Termination::Deadline, 1.0, true),
            None => (
                Termination::Deadline,
                self.entries.last().map_or(0.0, |e| e.time),
                false,
            ),
        };
        let agreement = match termination {
            Termination::Agreement => self.standing.as_ref().map(|(o, _)| o.clone()),
            _ => None,
        };
        let result = result_for(self.scenario, termination, agreement, last_round + 1, time);
        RecordedTrace {
            trace: Trace {
                parties: names(self.scenario),
                seed: 0,
                deadline: self.deadline,
                entries: self.entries,
                events: Vec::new(),
                result,
            },
            finished,
            negotiators: Vec::new(),
            notes: self.notes,
            source,
        }
    }
}

fn names(scenario: &Scenario) -> Vec<String> {
    scenario.parties.iter().map(|p| p.name.clone()).collect()
}

fn party_list(scenario: &Scenario) -> String {
    scenario
        .parties
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
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

/// What the values of an issue are, for error messages.
fn describe_values(kind: &IssueKind) -> String {
    match kind {
        IssueKind::Discrete { values } => format!("values: {}", values.join(", ")),
        IssueKind::Integer { min, max } => format!("an integer from {min} to {max}"),
        IssueKind::Real { min, max, steps } => {
            format!("one of {steps} evenly spaced points from {min} to {max}")
        }
    }
}

/// An outcome from `issue = value` pairs (values as text); every issue exactly once.
fn parse_outcome<'a>(
    scenario: &Scenario,
    pairs: impl IntoIterator<Item = (&'a str, String)>,
) -> std::result::Result<Outcome, String> {
    let space = &scenario.space;
    let issues = space.issues();
    let mut values: Vec<Option<u32>> = vec![None; issues.len()];
    for (name, text) in pairs {
        let i = space.issue_index(name.trim()).ok_or_else(|| {
            format!(
                "there is no issue `{}` (issues: {})",
                name.trim(),
                issues
                    .iter()
                    .map(|i| i.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        if values[i].is_some() {
            return Err(format!("issue `{}` is given twice", issues[i].name));
        }
        let v = issues[i].parse_value(text.trim()).ok_or_else(|| {
            format!(
                "`{}` is not a value of issue `{}` ({})",
                text.trim(),
                issues[i].name,
                describe_values(&issues[i].kind)
            )
        })?;
        values[i] = Some(v);
    }
    let missing: Vec<&str> = issues
        .iter()
        .zip(&values)
        .filter(|(_, v)| v.is_none())
        .map(|(i, _)| i.name.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "the offer gives no value for issue{} {}: an offer needs a value for every issue",
            if missing.len() > 1 { "s" } else { "" },
            missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(Outcome(
        values.into_iter().map(|v| v.unwrap_or(0)).collect(),
    ))
}

fn parse_kind(text: &str) -> std::result::Result<ActionKind, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "offer" => Ok(ActionKind::Offer),
        "accept" => Ok(ActionKind::Accept),
        "end" => Ok(ActionKind::End),
        "propose" => Ok(ActionKind::Propose),
        other => Err(format!(
            "unknown action `{other}`: expected offer, accept or end (or propose, for a mediator)"
        )),
    }
}

/// A 1-based round of a hand-written record, as a 0-based round.
fn record_round(round: i64) -> std::result::Result<u32, String> {
    if round < 1 || round > i64::from(u32::MAX) {
        return Err(format!(
            "round {round} is not a round: rounds in a record count from 1"
        ));
    }
    Ok((round - 1) as u32)
}

// ------------------------------------------------------------------------------------------
// JSON traces.

fn json_err(path: &Path, location: impl Into<String>, message: impl Into<String>) -> FormatError {
    FormatError::In {
        path: path.to_path_buf(),
        location: location.into(),
        message: message.into(),
    }
}

/// The text of a JSON value given for an issue: a string as is, a number as written.
fn json_value_text(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn json_outcome(scenario: &Scenario, v: &Json) -> std::result::Result<Outcome, String> {
    let Json::Object(m) = v else {
        return Err("an offer must be an object from issue name to value".into());
    };
    let mut pairs = Vec::with_capacity(m.len());
    for (k, v) in m {
        let text = json_value_text(v).ok_or_else(|| {
            format!("the value of issue `{k}` must be a string or a number, not {v}")
        })?;
        pairs.push((k.as_str(), text));
    }
    parse_outcome(scenario, pairs)
}

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

/// Reads a JSON trace written by `detente run --format json` against `scenario`. The parties
/// and issues must be the scenario's, in its order; utilities are recomputed from the scenario.
pub fn from_json_str(text: &str, origin: &Path, scenario: &Scenario) -> Result<RecordedTrace> {
    let doc: Json = serde_json::from_str(text).map_err(|e| FormatError::At {
        path: origin.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: format!("not valid JSON: {e}"),
    })?;
    let err = |loc: &str, msg: String| json_err(origin, loc, msg);
    match doc.get("format").and_then(Json::as_str) {
        Some(TRACE_FORMAT) => {}
        Some(other) => {
            return Err(err(
                "format",
                format!("unsupported trace format `{other}`; this build reads `{TRACE_FORMAT}`"),
            ));
        }
        None => {
            return Err(err(
                "format",
                format!("missing: not a detente trace (expected \"format\": \"{TRACE_FORMAT}\")"),
            ));
        }
    }
    let parties = doc
        .get("parties")
        .and_then(Json::as_array)
        .ok_or_else(|| err("parties", "missing or not an array".into()))?;
    let file_names: Vec<&str> = parties
        .iter()
        .map(|p| p.get("name").and_then(Json::as_str).unwrap_or(""))
        .collect();
    let expected = names(scenario);
    if file_names != expected {
        return Err(err(
            "parties",
            format!(
                "the trace's parties ({}) are not the scenario's ({}), in its order",
                file_names.join(", "),
                expected.join(", ")
            ),
        ));
    }
    let negotiators = parties
        .iter()
        .map(|p| {
            p.get("negotiator")
                .and_then(Json::as_str)
                .unwrap_or("")
                .to_string()
        })
        .collect();
    if let Some(issues) = doc.get("issues").and_then(Json::as_array) {
        let file: Vec<&str> = issues.iter().map(|i| i.as_str().unwrap_or("")).collect();
        let ours: Vec<&str> = scenario
            .space
            .issues()
            .iter()
            .map(|i| i.name.as_str())
            .collect();
        if file != ours {
            return Err(err(
                "issues",
                format!(
                    "the trace's issues ({}) are not the scenario's ({})",
                    file.join(", "),
                    ours.join(", ")
                ),
            ));
        }
    }
    let deadline = doc
        .get("deadline")
        .and_then(Json::as_u64)
        .filter(|&d| d >= 1 && d <= u64::from(u32::MAX))
        .ok_or_else(|| err("deadline", "missing or not a positive integer".into()))?
        as u32;
    let seed = doc.get("seed").and_then(Json::as_u64).unwrap_or(0);
    let actions = doc
        .get("actions")
        .and_then(Json::as_array)
        .ok_or_else(|| err("actions", "missing or not an array".into()))?;
    let events = json_events(&doc).map_err(|(loc, m)| err(&loc, m))?;
    // Mediated talks and talks changed by events (a party leaving, values withdrawn) follow
    // rules the alternating-offers replay below does not check: their entries are read as
    // written (parties, offers and texts are still checked against the scenario) and the
    // result is the one the trace states.
    if matches!(scenario.protocol.kind, ProtocolKind::Mediated { .. }) || !events.is_empty() {
        return json_as_written(
            scenario,
            &doc,
            actions,
            origin,
            expected,
            seed,
            deadline,
            negotiators,
            events,
        );
    }
    let mut b = Builder::new(scenario, deadline);
    for (k, a) in actions.iter().enumerate() {
        let loc = match a.get("round").and_then(Json::as_u64) {
            Some(r) => format!("actions[{k}] (round {})", r + 1),
            None => format!("actions[{k}]"),
        };
        let e = |m: String| err(&loc, m);
        let round = a
            .get("round")
            .and_then(Json::as_u64)
            .filter(|&r| r <= u64::from(u32::MAX))
            .ok_or_else(|| e("`round` is missing or not a non-negative integer".into()))?
            as u32;
        let name = a
            .get("party")
            .and_then(Json::as_str)
            .ok_or_else(|| e("`party` is missing or not a string".into()))?;
        let party = b.party_index(name).map_err(&e)?;
        let kind = parse_kind(
            a.get("action")
                .and_then(Json::as_str)
                .ok_or_else(|| e("`action` is missing or not a string".into()))?,
        )
        .map_err(&e)?;
        let offer = match (kind, a.get("offer")) {
            (ActionKind::Offer, Some(o)) => Some(json_outcome(scenario, o).map_err(&e)?),
            (ActionKind::Offer, None) => return Err(e("an offer without `offer`".into())),
            _ => None,
        };
        let time = a.get("time").and_then(Json::as_f64);
        b.push(round, party, kind, offer, time, None).map_err(&e)?;
    }
    let result = doc
        .get("result")
        .ok_or_else(|| err("result", "missing".into()))?;
    let termination = json_termination(result, origin, |name| b.party_index(name))?;
    let agreement = match result.get("agreement") {
        None | Some(Json::Null) => None,
        Some(o) => Some(json_outcome(scenario, o).map_err(|m| err("result.agreement", m))?),
    };
    let implied = matches!(b.ended, Some((Termination::Agreement, _)));
    if (termination == Termination::Agreement) != implied
        || (implied && agreement != b.standing.as_ref().map(|(o, _)| o.clone()))
    {
        return Err(err(
            "result",
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
    let rounds = result
        .get("rounds")
        .and_then(Json::as_u64)
        .map_or(b.last.map_or(1, |(r, _)| r + 1), |r| r as u32);
    let time = result
        .get("time")
        .and_then(Json::as_f64)
        .filter(|t| t.is_finite())
        .unwrap_or(1.0);
    let result = result_for(scenario, termination, agreement, rounds, time);
    let notes = b.notes;
    Ok(RecordedTrace {
        trace: Trace {
            parties: expected,
            seed,
            deadline,
            entries: b.entries,
            events: Vec::new(),
            result,
        },
        finished: true,
        negotiators,
        notes,
        source: TraceSource::Json,
    })
}

/// The `termination` (with `ended_by` and `error`) of a JSON trace's `result`; `party` turns a
/// party name into its index or says what is wrong with it.
fn json_termination(
    result: &Json,
    origin: &Path,
    party: impl Fn(&str) -> std::result::Result<usize, String>,
) -> Result<Termination> {
    let err = |loc: &str, msg: String| json_err(origin, loc, msg);
    let term = result
        .get("termination")
        .and_then(Json::as_str)
        .ok_or_else(|| err("result.termination", "missing or not a string".into()))?;
    let ended_by = || -> Result<usize> {
        let name = result
            .get("ended_by")
            .and_then(Json::as_str)
            .ok_or_else(|| err("result.ended_by", "missing or not a string".into()))?;
        party(name).map_err(|m| err("result.ended_by", m))
    };
    Ok(match term {
        "agreement" => Termination::Agreement,
        "deadline" => Termination::Deadline,
        "time-limit" => Termination::TimeLimit,
        "ended" => Termination::Ended { party: ended_by()? },
        "negotiator-fault" | "agent-error" => Termination::NegotiatorFault {
            party: ended_by()?,
            fault: parse_fault(result.get("error").and_then(Json::as_str).unwrap_or("")),
        },
        other => {
            return Err(err(
                "result.termination",
                format!(
                    "unknown termination `{other}`: expected agreement, deadline, time-limit, \
                     ended or negotiator-fault"
                ),
            ));
        }
    })
}

/// The `events` array of a JSON trace.
fn json_events(doc: &Json) -> std::result::Result<Vec<FiredEvent>, (String, String)> {
    let Some(list) = doc.get("events") else {
        return Ok(Vec::new());
    };
    let list = list
        .as_array()
        .ok_or_else(|| ("events".to_string(), "not an array".to_string()))?;
    list.iter()
        .enumerate()
        .map(|(k, e)| {
            let at = format!("events[{k}]");
            let round = e
                .get("round")
                .and_then(Json::as_u64)
                .filter(|&r| r <= u64::from(u32::MAX))
                .ok_or_else(|| {
                    (
                        at.clone(),
                        "`round` is missing or not a non-negative integer".to_string(),
                    )
                })? as u32;
            let text = |key: &str| e.get(key).and_then(Json::as_str).map(str::to_string);
            let name = text("name")
                .ok_or_else(|| (at.clone(), "`name` is missing or not a string".to_string()))?;
            Ok(FiredEvent {
                round,
                name,
                description: text("description").unwrap_or_default(),
            })
        })
        .collect()
}

/// A JSON trace read as written (mediated talks, or talks with events).
#[allow(clippy::too_many_arguments)]
fn json_as_written(
    scenario: &Scenario,
    doc: &Json,
    actions: &[Json],
    origin: &Path,
    expected: Vec<String>,
    seed: u64,
    deadline: u32,
    negotiators: Vec<String>,
    events: Vec<FiredEvent>,
) -> Result<RecordedTrace> {
    let err = |loc: &str, msg: String| json_err(origin, loc, msg);
    let mut entries = Vec::with_capacity(actions.len());
    let mut standing: Option<Outcome> = None;
    for (k, a) in actions.iter().enumerate() {
        let loc = format!("actions[{k}]");
        let e = |m: String| err(&loc, m);
        let round = a
            .get("round")
            .and_then(Json::as_u64)
            .filter(|&r| r < u64::from(deadline.max(1)))
            .ok_or_else(|| {
                e(format!(
                    "`round` is missing or not a round before the deadline of {deadline}"
                ))
            })? as u32;
        let kind = parse_kind(
            a.get("action")
                .and_then(Json::as_str)
                .ok_or_else(|| e("`action` is missing".into()))?,
        )
        .map_err(&e)?;
        let name = a
            .get("party")
            .and_then(Json::as_str)
            .ok_or_else(|| e("`party` is missing or not a string".into()))?;
        let actor = match scenario.party_index(name) {
            Some(p) => Actor::Party(p),
            None if kind == ActionKind::Propose && name == Actor::MEDIATOR_NAME => Actor::Mediator,
            None => {
                return Err(e(format!(
                    "`{name}` is not a party of the scenario ({})",
                    party_list(scenario)
                )));
            }
        };
        let time = a
            .get("time")
            .and_then(Json::as_f64)
            .filter(|t| t.is_finite())
            .ok_or_else(|| e("`time` is missing".into()))?;
        let outcome = match kind {
            ActionKind::Offer | ActionKind::Propose => {
                let o = a
                    .get("offer")
                    .ok_or_else(|| e("`offer` is missing".into()))?;
                let o = json_outcome(scenario, o).map_err(&e)?;
                if kind == ActionKind::Propose
                    || !matches!(scenario.protocol.kind, ProtocolKind::Mediated { .. })
                {
                    standing = Some(o.clone());
                }
                Some(o)
            }
            ActionKind::Accept => Some(
                standing
                    .clone()
                    .ok_or_else(|| e(format!("{name} accepts, but nothing is on the table")))?,
            ),
            ActionKind::End => None,
        };
        let utilities = outcome
            .as_ref()
            .map(|o| scenario.utilities(o))
            .unwrap_or_default();
        entries.push(TraceEntry {
            round,
            actor,
            time,
            kind,
            outcome,
            utilities,
        });
    }
    let result = doc
        .get("result")
        .ok_or_else(|| err("result", "missing".into()))?;
    let termination = json_termination(result, origin, |name| {
        scenario
            .party_index(name)
            .ok_or_else(|| format!("`{name}` is not a party of the scenario"))
    })?;
    let agreement = match result.get("agreement") {
        None | Some(Json::Null) => None,
        Some(o) => Some(json_outcome(scenario, o).map_err(|m| err("result.agreement", m))?),
    };
    if (termination == Termination::Agreement) != agreement.is_some() {
        return Err(err(
            "result",
            "an agreement needs an agreed outcome, and only an agreement has one".into(),
        ));
    }
    let rounds = result
        .get("rounds")
        .and_then(Json::as_u64)
        .map_or(1, |r| r as u32);
    let time = result
        .get("time")
        .and_then(Json::as_f64)
        .filter(|t| t.is_finite())
        .unwrap_or(1.0);
    let mut result = result_for(scenario, termination, agreement, rounds, time);
    // Events may have moved reservation values: the final utilities are the ones recorded.
    if let Some(u) = doc
        .get("result")
        .and_then(|r| r.get("utilities"))
        .and_then(Json::as_object)
    {
        for (p, party) in scenario.parties.iter().enumerate() {
            if let Some(x) = u.get(&party.name).and_then(Json::as_f64) {
                result.utilities[p] = x;
            }
        }
    }
    let notes = vec![None; entries.len()];
    Ok(RecordedTrace {
        trace: Trace {
            parties: expected,
            seed,
            deadline,
            entries,
            events,
            result,
        },
        finished: true,
        negotiators,
        notes,
        source: TraceSource::Json,
    })
}

// ------------------------------------------------------------------------------------------
// Hand-written TOML records.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordDto {
    scenario: Option<Spanned<String>>,
    deadline: Option<Spanned<i64>>,
    #[serde(default)]
    actions: Vec<Spanned<ActionDto>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionDto {
    round: i64,
    party: String,
    action: String,
    offer: Option<toml::Table>,
    note: Option<String>,
}

fn toml_value_text(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(x) => Some(x.to_string()),
        _ => None,
    }
}

fn record_deadline(scenario: &Scenario, given: Option<i64>) -> std::result::Result<u32, String> {
    match given {
        None => Ok(scenario.protocol.deadline),
        Some(d) if d >= 1 && d <= i64::from(u32::MAX) => Ok(d as u32),
        Some(d) => Err(format!("deadline {d} must be a positive number of rounds")),
    }
}

fn check_scenario_name(scenario: &Scenario, name: &str) -> std::result::Result<(), String> {
    if name == scenario.name {
        Ok(())
    } else {
        Err(format!(
            "the record is of scenario `{name}`, but the scenario given is `{}`",
            scenario.name
        ))
    }
}

/// Reads a hand-written TOML record against `scenario` (format in `docs/inspect.md`).
pub fn from_toml_str(text: &str, origin: &Path, scenario: &Scenario) -> Result<RecordedTrace> {
    let at = |offset: usize, message: String| {
        let (line, column) = line_column(text, offset);
        FormatError::At {
            path: origin.to_path_buf(),
            line,
            column,
            message,
        }
    };
    let dto: RecordDto = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        at(offset, e.message().to_string())
    })?;
    if let Some(name) = &dto.scenario {
        check_scenario_name(scenario, name.get_ref()).map_err(|m| at(name.span().start, m))?;
    }
    let deadline = record_deadline(scenario, dto.deadline.as_ref().map(|d| *d.get_ref()))
        .map_err(|m| at(dto.deadline.as_ref().map_or(0, |d| d.span().start), m))?;
    if dto.actions.is_empty() {
        return Err(at(0, "the record has no [[actions]]".into()));
    }
    let mut b = Builder::new(scenario, deadline);
    for a in dto.actions {
        let start = a.span().start;
        let a = a.into_inner();
        let mut step = || -> std::result::Result<(), String> {
            let round = record_round(a.round)?;
            let party = b.party_index(&a.party)?;
            let kind = parse_kind(&a.action)?;
            let offer = match &a.offer {
                Some(t) => {
                    let mut pairs = Vec::with_capacity(t.len());
                    for (k, v) in t {
                        let text = toml_value_text(v).ok_or_else(|| {
                            format!("the value of issue `{k}` must be a string or a number")
                        })?;
                        pairs.push((k.as_str(), text));
                    }
                    Some(parse_outcome(scenario, pairs)?)
                }
                None if kind == ActionKind::Offer => {
                    return Err(format!(
                        "{} makes an offer without `offer = {{ ... }}`",
                        a.party
                    ));
                }
                None => None,
            };
            b.push(round, party, kind, offer, None, a.note.clone())
        };
        step().map_err(|m| at(start, m))?;
    }
    Ok(b.finish_record(TraceSource::Toml))
}

// ------------------------------------------------------------------------------------------
// Hand-written CSV records.

/// Splits one CSV line into fields: commas separate, double quotes enclose a field that holds
/// commas, and `""` inside quotes is a quote.
fn csv_fields(line: &str) -> std::result::Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    cur.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                cur.push(c);
            }
        } else if c == '"' && at_start {
            quoted = true;
            at_start = false;
        } else if c == ',' {
            fields.push(std::mem::take(&mut cur));
            at_start = true;
        } else if c.is_whitespace() && at_start {
            // Spaces before a field (and before its opening quote) are ignored.
        } else {
            cur.push(c);
            at_start = false;
        }
    }
    if quoted {
        return Err("a quoted field is not closed".into());
    }
    fields.push(cur);
    Ok(fields.into_iter().map(|f| f.trim().to_string()).collect())
}

/// Reads a hand-written CSV record against `scenario` (format in `docs/inspect.md`): a header
/// with `round`, `party`, `action`, optionally `note`, and either an `offer` column of
/// `issue=value;issue=value` pairs or one column per issue. Blank lines and lines starting
/// with `#` are skipped. The deadline is the scenario's.
pub fn from_csv_str(text: &str, origin: &Path, scenario: &Scenario) -> Result<RecordedTrace> {
    let at = |line: usize, message: String| FormatError::At {
        path: origin.to_path_buf(),
        line,
        column: 1,
        message,
    };
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let (hline, header) = lines
        .next()
        .ok_or_else(|| at(1, "the record is empty: expected a header line".into()))?;
    let header = csv_fields(header).map_err(|m| at(hline, m))?;
    #[derive(Clone, Copy, PartialEq)]
    enum Col {
        Round,
        Party,
        Action,
        Note,
        Offer,
        Issue(usize),
    }
    let mut cols = Vec::with_capacity(header.len());
    for h in &header {
        let col = match h.to_ascii_lowercase().as_str() {
            "round" => Col::Round,
            "party" => Col::Party,
            "action" => Col::Action,
            "note" => Col::Note,
            "offer" => Col::Offer,
            _ => match scenario.space.issue_index(h) {
                Some(i) => Col::Issue(i),
                None => {
                    return Err(at(
                        hline,
                        format!(
                            "unknown column `{h}`: expected round, party, action, note, offer, \
                             or an issue name ({})",
                            scenario
                                .space
                                .issues()
                                .iter()
                                .map(|i| i.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
            },
        };
        if cols.contains(&col) {
            return Err(at(hline, format!("column `{h}` appears twice")));
        }
        cols.push(col);
    }
    for (need, name) in [
        (Col::Round, "round"),
        (Col::Party, "party"),
        (Col::Action, "action"),
    ] {
        if !cols.contains(&need) {
            return Err(at(hline, format!("the header has no `{name}` column")));
        }
    }
    let has_issue_cols = cols.iter().any(|c| matches!(c, Col::Issue(_)));
    if has_issue_cols && cols.contains(&Col::Offer) {
        return Err(at(
            hline,
            "give offers either in an `offer` column or in one column per issue, not both".into(),
        ));
    }
    let mut b = Builder::new(scenario, scenario.protocol.deadline);
    let mut any = false;
    for (lineno, line) in lines {
        any = true;
        let fields = csv_fields(line).map_err(|m| at(lineno, m))?;
        if fields.len() != cols.len() {
            return Err(at(
                lineno,
                format!(
                    "{} fields, but the header has {} columns",
                    fields.len(),
                    cols.len()
                ),
            ));
        }
        let mut row = || -> std::result::Result<(), String> {
            let mut round = None;
            let mut party = None;
            let mut kind = None;
            let mut note = None;
            let mut pairs: Vec<(&str, String)> = Vec::new();
            for (col, f) in cols.iter().zip(&fields) {
                match col {
                    Col::Round => {
                        let r: i64 = f
                            .parse()
                            .map_err(|_| format!("round `{f}` is not a whole number"))?;
                        round = Some(record_round(r)?);
                    }
                    Col::Party => party = Some(b.party_index(f)?),
                    Col::Action => kind = Some(parse_kind(f)?),
                    Col::Note => note = (!f.is_empty()).then(|| f.clone()),
                    Col::Offer => {
                        for item in f.split(';').filter(|s| !s.trim().is_empty()) {
                            let (k, v) = item.split_once('=').ok_or_else(|| {
                                format!("`{}` in the offer is not written issue=value", item.trim())
                            })?;
                            pairs.push((k, v.to_string()));
                        }
                    }
                    Col::Issue(i) => {
                        if !f.is_empty() {
                            pairs.push((scenario.space.issues()[*i].name.as_str(), f.clone()));
                        }
                    }
                }
            }
            let (round, party, kind) = (
                round.unwrap_or_default(),
                party.unwrap_or_default(),
                kind.unwrap_or(ActionKind::Offer),
            );
            let offer = if pairs.is_empty() {
                if kind == ActionKind::Offer {
                    return Err(format!(
                        "{} makes an offer without giving its values",
                        scenario.parties[party].name
                    ));
                }
                None
            } else {
                Some(parse_outcome(scenario, pairs)?)
            };
            b.push(round, party, kind, offer, None, note)
        };
        row().map_err(|m| at(lineno, m))?;
    }
    if !any {
        return Err(at(hline, "the record has a header but no actions".into()));
    }
    Ok(b.finish_record(TraceSource::Csv))
}

#[cfg(test)]
mod tests {
    use super::*;
    use detente_core::{
        Evaluator, Issue, LinearAdditive, OutcomeSpace, Party, Preferences, ProtocolSettings,
        Utility,
    };

    fn scenario() -> Scenario {
        let space = OutcomeSpace::new(vec![
            Issue::discrete("color", ["red", "green", "blue"]),
            Issue::integer("price", 1, 5),
        ])
        .unwrap();
        let party = |name: &str, scores: Vec<f64>, slope: f64, intercept: f64| {
            let u = LinearAdditive::new(
                &space,
                vec![0.5, 0.5],
                vec![
                    Evaluator::Table(scores),
                    Evaluator::Linear {
                        slope,
                        intercept,
                        origin: 1.0,
                        clamp: true,
                    },
                ],
                None,
            )
            .unwrap();
            Party {
                name: name.into(),
                preferences: Preferences {
                    reservation: 0.2,
                    ..Preferences::new(Utility::LinearAdditive(u))
                },
                negotiator: None,
            }
        };
        Scenario {
            name: "colors".into(),
            description: String::new(),
            parties: vec![
                party("A", vec![1.0, 0.5, 0.0], 0.25, 0.0),
                party("B", vec![0.0, 0.5, 1.0], -0.25, 1.0),
                party("C", vec![0.5, 1.0, 0.5], 0.0, 0.5),
            ],
            space,
            protocol: ProtocolSettings {
                deadline: 10,
                time_limit: None,
                ..Default::default()
            },
            events: Vec::new(),
        }
    }

    fn csv(text: &str) -> Result<RecordedTrace> {
        from_csv_str(text, Path::new("talks.csv"), &scenario())
    }

    #[test]
    fn csv_with_offer_column_reaches_agreement() {
        let r = csv("round,party,action,offer,note\n\
             # a comment\n\
             1,A,offer,color=red;price=5,\"Geneva, day 1\"\n\
             1,B,offer,color=blue; price=1,\n\
             2,A,offer,color=green;price=3,\n\
             2,B,accept,,\n\
             2,C,accept,,\n")
        .unwrap();
        assert!(r.finished);
        assert_eq!(r.trace.result.termination, Termination::Agreement);
        assert_eq!(r.trace.result.agreement, Some(Outcome(vec![1, 2])));
        assert_eq!(r.trace.entries.len(), 5);
        assert_eq!(r.notes[0].as_deref(), Some("Geneva, day 1"));
        // Utilities recomputed: A's utility of (green, 3) = 0.5*0.5 + 0.5*0.5.
        assert_eq!(r.trace.entries[2].utilities[0], 0.5);
        // Time of B's turn in round 2 (index 1): (1*3 + 1) / (10*3).
        assert!((r.trace.entries[3].time - 4.0 / 30.0).abs() < 1e-15);
    }

    #[test]
    fn csv_with_issue_columns_and_open_record() {
        let r =
            csv("round,party,action,color,price\n1,A,offer,red,5\n1,C,offer,green,3\n").unwrap();
        assert!(!r.finished);
        assert_eq!(r.trace.entries[1].actor, Actor::Party(2));
        assert_eq!(r.trace.result.agreement, None);
    }

    fn err(r: Result<RecordedTrace>) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn csv_errors_are_located() {
        let cases = [
            (
                "round,party,action,offer\n1,D,offer,color=red;price=1\n",
                "talks.csv:2:1: there is no party `D`",
            ),
            (
                "round,party,action,offer\n1,A,offer,colour=red;price=1\n",
                "talks.csv:2:1: there is no issue `colour`",
            ),
            (
                "round,party,action,offer\n1,A,offer,color=pink;price=1\n",
                "`pink` is not a value of issue `color` (values: red, green, blue)",
            ),
            (
                "round,party,action,offer\n1,A,offer,color=red;price=9\n",
                "`9` is not a value of issue `price` (an integer from 1 to 5)",
            ),
            (
                "round,party,action,offer\n1,A,offer,color=red\n",
                "talks.csv:2:1: the offer gives no value for issue `price`",
            ),
            (
                "round,party,action,offer\n\n1,A,accept,\n",
                "talks.csv:3:1: A accepts, but no offer is standing",
            ),
            (
                "round,party,action,offer\n1,B,offer,color=red;price=1\n1,A,offer,color=red;price=1\n",
                "talks.csv:3:1: A acts in round 1 after B",
            ),
            (
                "round,party,action,offer\n0,A,offer,color=red;price=1\n",
                "rounds in a record count from 1",
            ),
            (
                "round,party,action,offer\n11,A,offer,color=red;price=1\n",
                "past the deadline of 10 rounds",
            ),
            (
                "round,party,action,offer\n1,A,shout,\n",
                "unknown action `shout`",
            ),
            (
                "round,party,action,bogus\n",
                "talks.csv:1:1: unknown column `bogus`",
            ),
            (
                "round,party,action,offer\n1,A,end,\n2,B,offer,color=red;price=1\n",
                "B acts after the talks ended",
            ),
            (
                "round,party,action,offer\n1,A,offer,color=red;price=1\n1,B,accept,color=blue;price=1\n",
                "B accepts color=blue",
            ),
        ];
        for (text, expect) in cases {
            let e = err(csv(text));
            assert!(e.contains(expect), "{e}\n  does not contain\n{expect}");
        }
    }

    #[test]
    fn toml_record_and_errors() {
        let s = scenario();
        let ok = r#"
scenario = "colors"
[[actions]]
round = 1
party = "A"
action = "offer"
offer = { color = "red", price = 4 }
note = "opening"
[[actions]]
round = 1
party = "B"
action = "accept"
[[actions]]
round = 1
party = "C"
action = "accept"
"#;
        let r = from_toml_str(ok, Path::new("t.toml"), &s).unwrap();
        assert_eq!(r.trace.result.termination, Termination::Agreement);
        assert_eq!(r.trace.result.agreement, Some(Outcome(vec![0, 3])));
        let bad = ok.replace("price = 4", "price = 4, size = 2");
        let e = from_toml_str(&bad, Path::new("t.toml"), &s)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.toml:3:1: there is no issue `size`"), "{e}");
        let bad = ok.replace("\"colors\"", "\"other\"");
        let e = from_toml_str(&bad, Path::new("t.toml"), &s)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("t.toml:2:12: the record is of scenario `other`"),
            "{e}"
        );
        let bad = ok.replace("party = \"B\"", "party = \"Z\"");
        let e = from_toml_str(&bad, Path::new("t.toml"), &s)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.toml:9:1: there is no party `Z`"), "{e}");
    }

    #[test]
    fn json_round_trip_of_a_written_trace() {
        use detente_core::protocol::{Protocol, ProtocolConfig, Saop};
        use detente_core::{Action, Negotiator, NegotiatorError, SessionInfo, State};
        struct Script(Vec<Action>, usize);
        impl Negotiator for Script {
            fn init(&mut self, _: &SessionInfo<'_>) -> std::result::Result<(), NegotiatorError> {
                Ok(())
            }
            fn act(&mut self, _: &State<'_>) -> Action {
                let a = self.0[self.1.min(self.0.len() - 1)].clone();
                self.1 += 1;
                a
            }
        }
        let s = scenario();
        let tables = detente_core::ScenarioTables::for_scenario(&s);
        let o = |c, p| Action::Offer(Outcome(vec![c, p]));
        let negs: Vec<Box<dyn Negotiator>> = vec![
            Box::new(Script(vec![o(0, 4), o(1, 2)], 0)),
            Box::new(Script(vec![o(2, 0), Action::Accept], 0)),
            Box::new(Script(vec![o(1, 1), Action::Accept], 0)),
        ];
        let trace = Saop::new(&s, &tables, negs, ProtocolConfig::new(10), 3).run();
        let names = vec!["x".to_string(); 3];
        let json = crate::trace_json::trace_json(&s, &trace, &names, None).to_string();
        let back = from_json_str(&json, Path::new("t.json"), &s).unwrap();
        assert_eq!(back.trace, trace);
        assert!(back.finished);
        // A trace of another scenario is refused, with the place.
        let mut other = s.clone();
        other.parties[2].name = "D".into();
        let e = from_json_str(&json, Path::new("t.json"), &other)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("t.json: parties: the trace's parties (A, B, C)"),
            "{e}"
        );
        let bad = json.replace("\"color\":\"green\"", "\"color\":\"mauve\"");
        let e = from_json_str(&bad, Path::new("t.json"), &s)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("actions[2] (round 1): `mauve` is not a value of issue `color`"),
            "{e}"
        );
        let e = from_json_str("{\"format\": 3", Path::new("t.json"), &s)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.json:1:"), "{e}");
    }
}
