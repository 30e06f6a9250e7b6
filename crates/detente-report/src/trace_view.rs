//! A negotiation as the plots see it: party names, every action with every party's utility,
//! the result and any scenario events. Built from an engine [`Trace`] or read from a JSON
//! trace (`detente-trace/1`, see `docs/trace-format.md`).

use serde_json::Value as Json;

use detente_core::{ActionKind, Scenario, Termination, Trace};

use crate::error::{ReportError, Result};

/// One action.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionView {
    /// Round, from 0.
    pub round: u32,
    /// Normalised time of the turn.
    pub time: f64,
    /// Acting party (index).
    pub party: usize,
    /// What it did.
    pub kind: ActionKind,
    /// The offer as text (`issue=value, ...`), for offers.
    pub offer: Option<String>,
    /// Every party's undiscounted utility of the offer (or of the standing offer accepted);
    /// empty for an end.
    pub utilities: Vec<f64>,
}

/// A scenario event (a shock, a deadline change...), drawn as a marker on the time axis.
#[derive(Debug, Clone, PartialEq)]
pub struct EventView {
    /// Normalised time at which it happened.
    pub time: f64,
    /// What happened.
    pub label: String,
}

/// The result.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultView {
    /// `agreement`, `deadline`, `time-limit`, `ended` or `negotiator-fault`.
    pub termination: String,
    /// Who ended it or failed.
    pub ended_by: Option<String>,
    /// The failure, for a negotiator fault.
    pub error: Option<String>,
    /// The agreement as text.
    pub agreement: Option<String>,
    /// Undiscounted utilities of the agreement, when there is one.
    pub agreement_utilities: Option<Vec<f64>>,
    /// Rounds started.
    pub rounds: u32,
    /// Normalised time at the end.
    pub time: f64,
    /// Final (discounted) utilities.
    pub utilities: Vec<f64>,
}

/// A negotiation, ready to plot.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceView {
    /// Scenario name.
    pub scenario: String,
    /// Issue names.
    pub issues: Vec<String>,
    /// Party names, in turn order.
    pub parties: Vec<String>,
    /// Who played each party (e.g. `boulware:e=0.2`).
    pub negotiators: Vec<String>,
    /// Reservation values.
    pub reservations: Vec<f64>,
    /// Discount factors.
    pub discounts: Vec<f64>,
    /// Seed.
    pub seed: u64,
    /// Deadline in rounds.
    pub deadline: u32,
    /// Every action, in order.
    pub actions: Vec<ActionView>,
    /// Scenario events, in time order (empty when the trace records none).
    pub events: Vec<EventView>,
    /// How it ended.
    pub result: ResultView,
}

impl TraceView {
    /// The view of a trace the engine produced on `scenario`, played by `negotiators`.
    pub fn from_trace(scenario: &Scenario, trace: &Trace, negotiators: &[String]) -> Self {
        let space = &scenario.space;
        let actions = trace
            .entries
            .iter()
            .map(|e| ActionView {
                round: e.round,
                time: e.time,
                party: e.actor.party().unwrap_or(trace.parties.len()),
                kind: e.kind,
                offer: match e.kind {
                    ActionKind::Offer | ActionKind::Propose => {
                        e.outcome.as_ref().map(|o| space.display(o).to_string())
                    }
                    _ => None,
                },
                utilities: e.utilities.clone(),
            })
            .collect();
        let r = &trace.result;
        let name = |i: usize| trace.parties.get(i).cloned().unwrap_or_default();
        let (ended_by, error) = match &r.termination {
            Termination::Ended { party } => (Some(name(*party)), None),
            Termination::NegotiatorFault { party, fault } => {
                (Some(name(*party)), Some(fault.to_string()))
            }
            _ => (None, None),
        };
        TraceView {
            scenario: scenario.name.clone(),
            issues: space.issues().iter().map(|i| i.name.clone()).collect(),
            parties: trace.parties.clone(),
            negotiators: (0..trace.parties.len())
                .map(|i| negotiators.get(i).cloned().unwrap_or_default())
                .collect(),
            reservations: scenario
                .parties
                .iter()
                .map(|p| p.preferences.reservation)
                .collect(),
            discounts: scenario
                .parties
                .iter()
                .map(|p| p.preferences.discount)
                .collect(),
            seed: trace.seed,
            deadline: trace.deadline,
            actions,
            events: trace
                .events
                .iter()
                .map(|e| EventView {
                    time: f64::from(e.round) / f64::from(trace.deadline.max(1)),
                    label: e.name.clone(),
                })
                .collect(),
            result: ResultView {
                termination: r.termination.as_str().to_string(),
                ended_by,
                error,
                agreement: r.agreement.as_ref().map(|o| space.display(o).to_string()),
                agreement_utilities: r.agreement.as_ref().map(|o| scenario.utilities(o)),
                rounds: r.rounds_used,
                time: r.time,
                utilities: r.utilities.clone(),
            },
        }
    }

    /// Reads a JSON trace (`detente-trace/1`). Errors name the JSON path of the problem.
    /// An optional top-level `events` array of `{ "time": t, "label": "..." }` (or `round`
    /// instead of `time`) is read when present.
    pub fn from_json(doc: &Json) -> Result<Self> {
        let bad = |at: &str, what: &str| ReportError::Input {
            at: at.to_string(),
            message: what.to_string(),
        };
        let obj = doc
            .as_object()
            .ok_or_else(|| bad("$", "expected a JSON object"))?;
        match obj.get("format").and_then(Json::as_str) {
            Some(f) if f.starts_with("detente-trace/") => {}
            Some(f) => return Err(bad("$.format", &format!("`{f}` is not a detente trace"))),
            None => return Err(bad("$.format", "missing: not a detente trace")),
        }
        let s = |v: Option<&Json>, at: &str| -> Result<String> {
            v.and_then(Json::as_str)
                .map(str::to_string)
                .ok_or_else(|| bad(at, "expected a string"))
        };
        let num = |v: Option<&Json>, at: &str| -> Result<f64> {
            v.and_then(Json::as_f64)
                .ok_or_else(|| bad(at, "expected a number"))
        };
        let uint = |v: Option<&Json>, at: &str| -> Result<u64> {
            v.and_then(Json::as_u64)
                .ok_or_else(|| bad(at, "expected a non-negative integer"))
        };
        let arr = |v: Option<&Json>, at: &str| -> Result<Vec<Json>> {
            v.and_then(Json::as_array)
                .cloned()
                .ok_or_else(|| bad(at, "expected an array"))
        };
        let scenario = s(obj.get("scenario"), "$.scenario")?;
        let issues = arr(obj.get("issues"), "$.issues")?
            .iter()
            .enumerate()
            .map(|(i, v)| s(Some(v), &format!("$.issues[{i}]")))
            .collect::<Result<Vec<_>>>()?;
        let mut parties = Vec::new();
        let mut negotiators = Vec::new();
        let mut reservations = Vec::new();
        let mut discounts = Vec::new();
        for (i, p) in arr(obj.get("parties"), "$.parties")?.iter().enumerate() {
            let at = format!("$.parties[{i}]");
            let name = s(p.get("name"), &format!("{at}.name"))?;
            if parties.contains(&name) {
                return Err(bad(&at, &format!("party `{name}` is listed twice")));
            }
            parties.push(name);
            negotiators.push(
                p.get("negotiator")
                    .and_then(Json::as_str)
                    .unwrap_or_default()
                    .to_string(),
            );
            reservations.push(num(p.get("reservation"), &format!("{at}.reservation"))?);
            discounts.push(p.get("discount").and_then(Json::as_f64).unwrap_or(1.0));
        }
        if parties.len() < 2 {
            return Err(bad("$.parties", "a negotiation needs at least two parties"));
        }
        let index = |name: &str, at: &str| -> Result<usize> {
            parties
                .iter()
                .position(|p| p == name)
                .ok_or_else(|| bad(at, &format!("`{name}` is not a party of this trace")))
        };
        let per_party = |v: &Json, at: &str| -> Result<Vec<f64>> {
            let m = v
                .as_object()
                .ok_or_else(|| bad(at, "expected an object from party name to number"))?;
            let mut out = vec![f64::NAN; parties.len()];
            for (k, x) in m {
                let i = index(k, &format!("{at}.{k}"))?;
                out[i] = x
                    .as_f64()
                    .ok_or_else(|| bad(&format!("{at}.{k}"), "expected a number"))?;
            }
            if let Some(i) = out.iter().position(|x| x.is_nan()) {
                return Err(bad(at, &format!("no value for party `{}`", parties[i])));
            }
            Ok(out)
        };
        let outcome_text = |v: &Json, at: &str| -> Result<String> {
            let m = v
                .as_object()
                .ok_or_else(|| bad(at, "expected an object from issue name to value"))?;
            let mut parts = Vec::with_capacity(m.len());
            // Issue order, then any extra keys in file order.
            for name in &issues {
                if let Some(x) = m.get(name) {
                    parts.push(format!("{name}={}", value_text(x)));
                }
            }
            for (k, x) in m {
                if !issues.contains(k) {
                    parts.push(format!("{k}={}", value_text(x)));
                }
            }
            Ok(parts.join(", "))
        };
        let mut actions = Vec::new();
        for (i, a) in arr(obj.get("actions"), "$.actions")?.iter().enumerate() {
            let at = format!("$.actions[{i}]");
            let kind = match s(a.get("action"), &format!("{at}.action"))?.as_str() {
                "offer" => ActionKind::Offer,
                "accept" => ActionKind::Accept,
                "end" => ActionKind::End,
                "propose" => ActionKind::Propose,
                other => {
                    return Err(bad(
                        &format!("{at}.action"),
                        &format!("`{other}` is not one of offer, accept, end, propose"),
                    ));
                }
            };
            let party_name = s(a.get("party"), &format!("{at}.party"))?;
            // A neutral mediator's texts are written with the party name `mediator`.
            let party = if kind == ActionKind::Propose && !parties.contains(&party_name) {
                parties.len()
            } else {
                index(&party_name, &format!("{at}.party"))?
            };
            let utilities = match a.get("utilities") {
                Some(u) => per_party(u, &format!("{at}.utilities"))?,
                None if kind == ActionKind::End => Vec::new(),
                None => return Err(bad(&format!("{at}.utilities"), "missing")),
            };
            let offer = match (kind, a.get("offer")) {
                (ActionKind::Offer | ActionKind::Propose, Some(o)) => {
                    Some(outcome_text(o, &format!("{at}.offer"))?)
                }
                (ActionKind::Offer | ActionKind::Propose, None) => {
                    return Err(bad(&format!("{at}.offer"), "missing for an offer"));
                }
                _ => None,
            };
            let time = num(a.get("time"), &format!("{at}.time"))?;
            actions.push(ActionView {
                round: u32::try_from(uint(a.get("round"), &format!("{at}.round"))?)
                    .map_err(|_| bad(&format!("{at}.round"), "too large"))?,
                time,
                party,
                kind,
                offer,
                utilities,
            });
        }
        let deadline = u32::try_from(uint(obj.get("deadline"), "$.deadline")?)
            .map_err(|_| bad("$.deadline", "too large"))?;
        let mut events = Vec::new();
        if let Some(ev) = obj.get("events") {
            let list = ev
                .as_array()
                .ok_or_else(|| bad("$.events", "expected an array"))?;
            for (i, e) in list.iter().enumerate() {
                let at = format!("$.events[{i}]");
                let time = match (e.get("time").and_then(Json::as_f64), e.get("round")) {
                    (Some(t), _) => t,
                    (None, Some(r)) => {
                        let r = r
                            .as_f64()
                            .ok_or_else(|| bad(&format!("{at}.round"), "expected a number"))?;
                        if deadline == 0 {
                            0.0
                        } else {
                            r / f64::from(deadline)
                        }
                    }
                    (None, None) => return Err(bad(&at, "an event needs a `time` or a `round`")),
                };
                let label = e
                    .get("label")
                    .or_else(|| e.get("name"))
                    .or_else(|| e.get("description"))
                    .or_else(|| e.get("kind"))
                    .and_then(Json::as_str)
                    .unwrap_or("event")
                    .to_string();
                events.push(EventView { time, label });
            }
            events.sort_by(|a, b| a.time.total_cmp(&b.time));
        }
        let r = obj
            .get("result")
            .ok_or_else(|| bad("$.result", "missing"))?;
        let termination = s(r.get("termination"), "$.result.termination")?;
        let agreement = match r.get("agreement") {
            None | Some(Json::Null) => None,
            Some(o) => Some(outcome_text(o, "$.result.agreement")?),
        };
        let agreement_utilities = if agreement.is_some() {
            actions
                .iter()
                .rev()
                .find(|a| a.kind == ActionKind::Accept && !a.utilities.is_empty())
                .map(|a| a.utilities.clone())
        } else {
            None
        };
        let result = ResultView {
            ended_by: r.get("ended_by").and_then(Json::as_str).map(str::to_string),
            error: r.get("error").and_then(Json::as_str).map(str::to_string),
            agreement,
            agreement_utilities,
            rounds: u32::try_from(uint(r.get("rounds"), "$.result.rounds_used")?)
                .map_err(|_| bad("$.result.rounds_used", "too large"))?,
            time: num(r.get("time"), "$.result.time")?,
            utilities: per_party(
                r.get("utilities")
                    .ok_or_else(|| bad("$.result.utilities", "missing"))?,
                "$.result.utilities",
            )?,
            termination,
        };
        Ok(TraceView {
            scenario,
            issues,
            parties,
            negotiators,
            reservations,
            discounts,
            seed: obj.get("seed").and_then(Json::as_u64).unwrap_or(0),
            deadline,
            actions,
            events,
            result,
        })
    }

    /// Number of parties.
    pub fn n_parties(&self) -> usize {
        self.parties.len()
    }

    /// Whether the parties (names, in order) are those of `scenario`.
    pub fn matches(&self, scenario: &Scenario) -> bool {
        self.parties.len() == scenario.parties.len()
            && self
                .parties
                .iter()
                .zip(&scenario.parties)
                .all(|(a, b)| *a == b.name)
    }
}

fn value_text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Number(x) => match (x.as_i64(), x.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) => f.to_string(),
            _ => x.to_string(),
        },
        other => other.to_string(),
    }
}
