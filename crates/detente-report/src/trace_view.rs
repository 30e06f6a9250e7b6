//! A negotiation as the plots see it: party names, every action with every party's utility,
//! the result and any scenario events. Derived from a trace document
//! ([`detente_formats::trace::TraceDoc`], `docs/trace-format.md`) by [`TraceView::from_doc`].

use detente_core::{ActionKind, Scenario};
use detente_formats::analysis_json::AgreementQualityDoc;
use detente_formats::trace::{ActionDoc, OutcomeDoc, TerminationKind, TraceDoc};

use crate::compliance::ComplianceTimeline;
use crate::error::Result;

/// One action of the transcript, with every party's utility of what was on the table.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionView {
    /// The round it was taken in, counted from 0 (the report shows it from 1).
    pub round: u32,
    /// When it was taken, as a share of the deadline: 0 at the start, 1 at the deadline
    /// (turn `k` of `n` in round `r` is at `(r + k/n) / deadline`).
    pub time: f64,
    /// Index of the acting party in [`TraceView::parties`]; a mediator's texts have the
    /// index one past the last party.
    pub party: usize,
    /// Offer, acceptance, walk-out or a mediator's proposal.
    pub kind: ActionKind,
    /// The outcome offered or proposed, as text (`issue=value, ...`, issues in the trace's
    /// order); `None` for acceptances and walk-outs.
    pub offer: Option<String>,
    /// Every party's undiscounted utility of the offer (or of the standing offer accepted);
    /// empty for an end.
    pub utilities: Vec<f64>,
}

/// A scenario event (a shock, a deadline change...), drawn as a marker on the time axis.
#[derive(Debug, Clone, PartialEq)]
pub struct EventView {
    /// When it happened, as a share of the deadline (its round divided by the deadline).
    pub time: f64,
    /// The event's name in the scenario, shown as its label.
    pub label: String,
    /// Its round, from 0.
    pub round: u32,
    /// What it changed, as the transcript says it (empty when the trace does not say).
    pub description: String,
}

/// How the negotiation ended.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultView {
    /// How it ended (the trace format's `termination`).
    pub termination: TerminationKind,
    /// The party that walked out or whose negotiator failed; `None` for other endings.
    pub ended_by: Option<String>,
    /// The fault's message, for `negotiator-fault` and `mediator-fault`.
    pub error: Option<String>,
    /// The agreed outcome as text (as [`ActionView::offer`]); `None` without an agreement.
    pub agreement: Option<String>,
    /// Every party's undiscounted utility of the agreement, as of the last acceptance (so
    /// after any event that changed the preferences); `None` without an agreement.
    pub agreement_utilities: Option<Vec<f64>>,
    /// Rounds started: the round the negotiation ended in, counted from 1.
    pub rounds: u32,
    /// When it ended, as a share of the deadline (1 at the deadline).
    pub time: f64,
    /// Each party's final utility: of the agreement, or its reservation value without one,
    /// discounted at the end; empty when the trace does not give one for every party.
    pub utilities: Vec<f64>,
}

/// A negotiation, ready to plot: per-party lists are in the trace's party order.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceView {
    /// Scenario name, used in titles.
    pub scenario: String,
    /// Issue names, in the order outcomes are written.
    pub issues: Vec<String>,
    /// Party names, in turn order; a party's index here is its colour in every plot.
    pub parties: Vec<String>,
    /// The negotiator spec that played each party (`boulware:e=0.2`); empty when the trace
    /// does not say.
    pub negotiators: Vec<String>,
    /// Each party's reservation value as the scenario states it, before any event.
    pub reservations: Vec<f64>,
    /// Each party's discount factor (1: no discount).
    pub discounts: Vec<f64>,
    /// The seed the negotiation ran with (0 when the trace does not say), shown so that a
    /// reader can run it again.
    pub seed: u64,
    /// The deadline in rounds as it stood at the end (events can move it).
    pub deadline: u32,
    /// Every action, in order.
    pub actions: Vec<ActionView>,
    /// Scenario events, in time order (empty when the trace records none).
    pub events: Vec<EventView>,
    /// How it ended.
    pub result: ResultView,
    /// The compliance phase (acts, claims, beliefs and the obligations' milestones); `None`
    /// when the trace has no compliance records.
    pub compliance: Option<ComplianceTimeline>,
    /// The outcome's quality against the setting at the end of the talks, with the deal
    /// zone's size at the end and by round (the trace's `analysis`; `None` when it has none).
    pub quality: Option<AgreementQualityDoc>,
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
                round: e.round,
                description: e.description.clone(),
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
            compliance: ComplianceTimeline::from_doc(doc),
            quality: doc.analysis.clone(),
        })
    }

    /// Number of parties (a mediator is not one).
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
        termination: r.termination,
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
