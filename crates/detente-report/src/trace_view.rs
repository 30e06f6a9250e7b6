//! A negotiation as the plots see it: party names, every action with every party's utility,
//! the result and any scenario events. Derived from a trace document
//! ([`detente_formats::trace::TraceDoc`], `docs/trace-format.md`) by [`TraceView::from_doc`].

use detente_core::{ActionKind, Scenario};
use detente_formats::trace::{ActionDoc, OutcomeDoc, TraceDoc};

use crate::error::Result;

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
    /// The view of a trace document: the one way a view is made, whether the trace was just
    /// run ([`detente_formats::trace::trace_doc`]) or read from a file. The document is
    /// checked first ([`TraceDoc::check`]); errors name the JSON path of the problem.
    pub fn from_doc(doc: &TraceDoc) -> Result<Self> {
        doc.check()?;
        let actions: Vec<ActionView> = doc.actions.iter().map(|a| action_view(doc, a)).collect();
        let deadline = f64::from(doc.deadline);
        let mut events: Vec<EventView> = doc
            .events
            .iter()
            .map(|e| EventView {
                time: f64::from(e.round) / deadline,
                label: e.name.clone(),
            })
            .collect();
        events.sort_by(|a, b| a.time.total_cmp(&b.time));
        let result = result_view(doc, &actions);
        Ok(TraceView {
            scenario: doc.scenario.clone(),
            issues: doc.issues.clone(),
            parties: doc.parties.iter().map(|p| p.name.clone()).collect(),
            negotiators: doc.parties.iter().map(|p| p.negotiator.clone()).collect(),
            reservations: doc.parties.iter().map(|p| p.reservation).collect(),
            discounts: doc.parties.iter().map(|p| p.discount).collect(),
            seed: doc.seed,
            deadline: doc.deadline,
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

/// One action of a checked document.
fn action_view(doc: &TraceDoc, a: &ActionDoc) -> ActionView {
    ActionView {
        round: a.round,
        time: a.time,
        // A neutral mediator's texts come after the parties.
        party: doc.party_index(&a.party).unwrap_or(doc.parties.len()),
        kind: a.action,
        offer: match a.action {
            ActionKind::Offer | ActionKind::Propose => {
                a.offer.as_ref().map(|o| outcome_text(doc, o))
            }
            ActionKind::Accept | ActionKind::End => None,
        },
        utilities: a
            .utilities
            .as_ref()
            .and_then(|u| doc.per_party_values(u))
            .unwrap_or_default(),
    }
}

/// The result of a checked document. The agreement's undiscounted utilities are those of the
/// last acceptance, as the preferences stood then.
fn result_view(doc: &TraceDoc, actions: &[ActionView]) -> ResultView {
    let r = &doc.result;
    let agreement = r.agreement.as_ref().map(|o| outcome_text(doc, o));
    let agreement_utilities = agreement.as_ref().and_then(|_| {
        actions
            .iter()
            .rev()
            .find(|a| a.kind == ActionKind::Accept && !a.utilities.is_empty())
            .map(|a| a.utilities.clone())
    });
    ResultView {
        termination: r.termination.as_str().to_string(),
        ended_by: r.ended_by.clone(),
        error: r.error.clone(),
        agreement,
        agreement_utilities,
        rounds: r.rounds,
        time: r.time,
        utilities: doc.per_party_values(&r.utilities).unwrap_or_default(),
    }
}

/// An outcome as text, `issue=value, ...`: the trace's issues in order, then any other key.
fn outcome_text(doc: &TraceDoc, o: &OutcomeDoc) -> String {
    let known = doc
        .issues
        .iter()
        .filter_map(|name| o.get(name).map(|v| (name, v)));
    let others = o.iter().filter(|(k, _)| !doc.issues.contains(k));
    known
        .chain(others)
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}
