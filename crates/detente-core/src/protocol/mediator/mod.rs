//! Mediator strategies: how the mediator of single-text talks ([`super::Mediated`]) chooses the
//! next text. Each is a [`MediatorStrategy`] created by name from a [`MediatorRegistry`]; the
//! built-in ones ([`builtin`]) are:
//!
//! - **hill-climbing** ([`Walk`]): it keeps a *base* text and proposes the base with one issue
//!   changed (changes tried in a seeded random order); a candidate becomes the new base when
//!   every party that accepted the base accepts it too;
//! - **veto** ([`Walk`]): the same walk, but a candidate becomes the new base unless some party
//!   vetoes it, that is, finds it worse than the base ([`crate::Negotiator::compare`]; a
//!   negotiator that cannot tell vetoes when it accepted the base but rejects the candidate).
//!   The base then only ever moves to texts no party finds worse;
//! - **informed** ([`Informed`]): it knows the parties' utilities and ranks the texts by the
//!   Nash product `prod_i (u_i - r_i)` over the active parties and their current reservation
//!   values (individually rational texts first; ties by outcome id); a mediating party weighs
//!   its own gain in by its `bias` (see [`Informed`]).
//!
//! Every strategy remembers what each party accepted or proposed (its vote and its
//! counter-proposal) and, as soon as some text is known to be acceptable to every party still
//! voting, tables the best such text again instead of walking on ([`Memory`]): a deal that
//! exists is not walked past. A biased mediator (one of the parties) that walks tries the
//! changes best for itself first and never proposes a text below its own reservation value. A
//! walking biased mediator's first text is its own best outcome, a walking neutral mediator's a
//! seeded random one; an informed mediator opens with the best-ranked text.
//!
//! To add a strategy: implement [`MediatorStrategy`] and register an [`Entry`] for it.

mod informed;
mod memory;
mod walk;

pub use informed::Informed;
pub use memory::Memory;
pub use walk::Walk;

use std::cmp::Ordering;

use rand::RngCore;

use crate::registry::{Entry, ParamInfo, Registry};
use crate::scenario::Scenario;
use crate::space::Outcome;
use crate::tables::ScenarioTables;

/// What a mediator strategy sees when it chooses a text or learns from the votes.
#[derive(Debug, Clone, Copy)]
pub struct MediatorView<'s> {
    /// The scenario as it stands (events and partial agreements may have changed it).
    pub scenario: &'s Scenario,
    /// Its tables (utility of every outcome per party, built on first use).
    pub tables: &'s ScenarioTables,
    /// The mediating party, or `None` for a neutral mediator.
    pub mediator: Option<usize>,
    /// Who is still at the table.
    pub active: &'s [bool],
    /// The value each issue is settled at, if it is.
    pub settled: &'s [Option<u32>],
    /// The current round, from 0.
    pub round: u32,
    /// A number that changes whenever the scenario does.
    pub version: u64,
}

impl MediatorView<'_> {
    /// `outcome` with the settled issues set to their settled values.
    pub fn settle(&self, mut outcome: Outcome) -> Outcome {
        for (slot, v) in outcome.0.iter_mut().zip(self.settled) {
            if let Some(v) = v {
                *slot = *v;
            }
        }
        outcome
    }
}

/// One party's vote on the text on the table.
#[derive(Debug, Clone, Copy)]
pub struct Vote<'a> {
    /// Who voted.
    pub party: usize,
    /// The text voted on.
    pub text: &'a Outcome,
    /// Whether it accepted the text.
    pub accepted: bool,
    /// The outcome it would prefer, when it rejected the text with a counter-proposal (a text
    /// it would itself accept).
    pub counter: Option<&'a Outcome>,
    /// How it compared the text with the strategy's [`incumbent`](MediatorStrategy::incumbent),
    /// when it was asked and could tell.
    pub verdict: Option<Ordering>,
}

/// A text to put on the table, and anything the mediator announces with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// The text (a feasible outcome of the scenario as it stands).
    pub text: Outcome,
    /// A note recorded as an event named `mediator` (e.g. a change of method).
    pub notice: Option<String>,
}

impl From<Outcome> for Proposal {
    fn from(text: Outcome) -> Self {
        Proposal { text, notice: None }
    }
}

/// How a mediator chooses its texts. The protocol calls [`next_text`](Self::next_text) at the
/// start of every round, [`observe_vote`](Self::observe_vote) after each party's vote and
/// [`observe_round`](Self::observe_round) when the round closes without agreement.
pub trait MediatorStrategy: Send {
    /// The next text. It must be a feasible outcome of `view.scenario` (the protocol ends the
    /// talks with an error otherwise). `rng` is the mediator's own seeded random stream.
    fn next_text(&mut self, view: &MediatorView<'_>, rng: &mut dyn RngCore) -> Proposal;

    /// The text voters are asked to compare the new one with ([`crate::Negotiator::compare`]),
    /// when the strategy uses vetoes.
    fn incumbent(&self) -> Option<&Outcome> {
        None
    }

    /// A party voted on the text.
    fn observe_vote(&mut self, _view: &MediatorView<'_>, _vote: &Vote<'_>) {}

    /// The round closed without agreement; `votes[p]` is whether party `p` accepted `text`
    /// (the mediating party's tabling counts as a yes; parties that left count as no).
    fn observe_round(&mut self, _view: &MediatorView<'_>, _text: &Outcome, _votes: &[bool]) {}
}

/// Named mediator strategies.
pub type MediatorRegistry = Registry<dyn MediatorStrategy>;

/// The built-in strategies: `hill-climbing`, `veto` and `informed`.
pub fn builtin() -> MediatorRegistry {
    Registry::new("mediator")
        .with_example("`informed` or `hill-climbing`")
        .with(Entry::new(
            "hill-climbing",
            "changes one issue of the current text at a time; keeps a change when every party \
             that accepted the text still accepts it",
            |_| Box::new(Walk::hill_climbing()) as Box<dyn MediatorStrategy>,
        ))
        .with(Entry::new(
            "veto",
            "changes one issue at a time; keeps a change unless some party finds it worse than \
             the current text (a Pareto-improving walk)",
            |_| Box::new(Walk::veto()) as Box<dyn MediatorStrategy>,
        ))
        .with(
            Entry::new(
                "informed",
                "knows the parties' utilities and ranks texts by the Nash product over the \
                 current reservation values (a mediating party weighs its own gain in by \
                 `bias`); re-tables the best text every party is known to accept",
                |p| Box::new(Informed::with_bias(p.get("bias"))) as Box<dyn MediatorStrategy>,
            )
            .param(ParamInfo::new(
                "bias",
                0.5,
                0.0,
                1.0,
                "weight of a mediating party's own gain against the Nash product (0: the Nash \
                 product alone, 1: its own gain alone; a neutral mediator has no gain)",
            ))
            .source(
                "the single negotiating text of Raiffa, The Art and Science of Negotiation \
                 (1982); the Nash bargaining solution (Nash 1950)",
            ),
        )
}
