//! Mediated single-text negotiation.
//!
//! Each round, a mediator puts one complete text (an outcome) on the table; then every active
//! party, in turn order, votes on it: a negotiator's `Accept` is a yes, an `Offer` is a no
//! (its offer is recorded as the party's counter-proposal), `End` walks out and ends the talks.
//! An agreement is reached when every active party accepts the same text. The mediator chooses
//! its texts by a pluggable strategy ([`super::mediator`]: hill-climbing, veto, informed, or
//! one a user registers).
//!
//! A mediator is either neutral (outside the parties; its texts are recorded as made by
//! [`Actor::Mediator`]) or one of the parties (a biased mediator). A mediating party does not
//! vote: putting a text on the table is its acceptance of it, as making an offer is in SAOP.
//! When a mediating party leaves without ending the talks, they go on under a neutral
//! mediator with the same strategy (recorded as the event `mediation passes on`).
//!
//! Time: round `r` of `R` spans `[r/R, (r+1)/R)`; the text comes first, then the votes, each
//! at an equal share of the round.

use std::panic::{AssertUnwindSafe, catch_unwind};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::mediator::{MediatorStrategy, MediatorView, Vote};
use super::session::{Session, panic_message};
use super::{Protocol, ProtocolConfig, Step, derive_seed};
use crate::negotiator::{Action, Negotiator, Offer, State};
use crate::scenario::{ProtocolKind, Scenario};
use crate::space::Outcome;
use crate::tables::ScenarioTables;
use crate::trace::{ActionKind, Actor, Cause, NegotiatorFault, Termination};

/// The name a hand-over of mediation is recorded under.
pub const MEDIATION_PASSES_ON: &str = "mediation passes on";

/// The name a mediator's notice is recorded under.
pub const MEDIATOR_NOTICE: &str = "mediator";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Propose,
    Vote(usize),
}

/// A running mediated negotiation.
pub struct Mediated<'a> {
    session: Session<'a>,
    strategy: Box<dyn MediatorStrategy + 'a>,
    /// The mediating party, or `None` for a neutral mediator.
    mediator: Option<usize>,
    rng: ChaCha8Rng,
    phase: Phase,
    text: Option<Outcome>,
    /// Each party's vote on the text: `Some(true)` yes, `Some(false)` no.
    votes: Vec<Option<bool>>,
}

impl std::fmt::Debug for Mediated<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mediated")
            .field("mediator", &self.mediator)
            .field("text", &self.text)
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

impl<'a> Mediated<'a> {
    /// Sets up mediated talks: one negotiator per party, and the mediator's strategy. The
    /// mediating party comes from the scenario's protocol settings (a neutral mediator when
    /// the scenario names SAOP).
    ///
    /// # Panics
    /// When the number of negotiators differs from the number of parties.
    pub fn new(
        scenario: &'a Scenario,
        tables: &'a ScenarioTables,
        negotiators: Vec<Box<dyn Negotiator + 'a>>,
        strategy: Box<dyn MediatorStrategy + 'a>,
        config: ProtocolConfig,
        seed: u64,
    ) -> Self {
        let mediator = match &scenario.protocol.kind {
            ProtocolKind::Mediated { mediator, .. } => *mediator,
            ProtocolKind::Saop => None,
        };
        Mediated {
            session: Session::new(scenario, tables, negotiators, config, seed),
            strategy,
            mediator,
            rng: ChaCha8Rng::seed_from_u64(derive_seed(seed, u64::MAX)),
            phase: Phase::Propose,
            text: None,
            votes: vec![None; scenario.parties.len()],
        }
    }

    /// The text on the table.
    pub fn text(&self) -> Option<&Outcome> {
        self.text.as_ref()
    }

    /// Who tables the texts: the mediating party, or the neutral mediator.
    fn mediator_actor(&self) -> Actor {
        self.mediator.map_or(Actor::Mediator, Actor::Party)
    }

    /// Time of position `k` in the round: the text at 0, party `p`'s vote at `p + 1`.
    fn time(&self, k: usize) -> f64 {
        let s = &self.session;
        s.time_at(s.round(), k, s.n() + 1)
    }

    fn round_start(&mut self) -> Step {
        if self.session.fire_events(self.time(0)) == Step::Ended {
            return Step::Ended;
        }
        if let Some(m) = self.mediator
            && !self.session.is_active(m)
        {
            self.mediator = None;
            let name = &self.session.scenario().parties[m].name;
            let description =
                format!("{name} no longer mediates; the talks go on under a neutral mediator");
            self.session.push_event(
                Cause::MediationHandover { from: m },
                MEDIATION_PASSES_ON,
                description,
            );
        }
        Step::Continue
    }

    /// Runs `f` with what the strategy sees; a panic in the strategy ends the talks with a
    /// mediator fault (`None`).
    fn with_view<R>(
        &mut self,
        f: impl FnOnce(&mut dyn MediatorStrategy, &MediatorView<'_>, &mut ChaCha8Rng) -> R,
    ) -> Option<R> {
        let active = self.session.active();
        let dynamics = self.session.dynamics();
        let view = MediatorView {
            scenario: dynamics.scenario(),
            tables: dynamics.tables(),
            mediator: self.mediator,
            active: &active,
            settled: dynamics.settled(),
            round: self.session.round(),
            version: dynamics.version(),
        };
        let strategy = self.strategy.as_mut();
        let rng = &mut self.rng;
        let outcome = catch_unwind(AssertUnwindSafe(|| f(strategy, &view, rng)));
        drop(active);
        match outcome {
            Ok(r) => Some(r),
            Err(p) => {
                let fault = NegotiatorFault::Panic(panic_message(&*p));
                let time = self.time(0);
                self.session
                    .finish(Termination::MediatorFault { fault }, time, None);
                None
            }
        }
    }

    /// Puts the strategy's next text on the table.
    fn propose(&mut self) -> Step {
        let Some(proposal) = self.with_view(|s, view, rng| s.next_text(view, rng)) else {
            return Step::Ended;
        };
        if let Some(notice) = proposal.notice {
            self.session
                .push_event(Cause::MediatorNotice, MEDIATOR_NOTICE, notice);
        }
        let text = proposal.text;
        let time = self.time(0);
        if !self.session.scenario().space.contains(&text) {
            let message = format!("proposed {:?}, which is not a feasible outcome", text.0);
            let fault = NegotiatorFault::InvalidAction(message);
            self.session
                .finish(Termination::MediatorFault { fault }, time, None);
            return Step::Ended;
        }
        self.session.record(
            self.mediator_actor(),
            time,
            ActionKind::Propose,
            Some(&text),
        );
        self.votes.fill(None);
        if let Some(m) = self.mediator {
            // Proposing a text is the mediating party's acceptance of it.
            self.votes[m] = Some(true);
            self.session.dynamics_mut().set_position(m, || text.clone());
        }
        self.text = Some(text);
        self.phase = Phase::Vote(0);
        Step::Continue
    }

    /// Asks `party` for its vote on the text.
    fn vote(&mut self, party: usize) -> Step {
        let time = self.time(party + 1);
        let text = self.text.clone().expect("a text was proposed");
        let offer = Offer {
            outcome: text.clone(),
            by: self.mediator_actor(),
        };
        let active = self.session.active();
        let state = State {
            round: self.session.round(),
            time,
            turn: party,
            standing: Some(&offer),
            accepts: self.votes.iter().filter(|v| **v == Some(true)).count(),
            active: &active,
        };
        let Some(action) = self.session.act(party, &state) else {
            return Step::Ended;
        };
        let (kind, recorded) = match &action {
            Action::Accept => (ActionKind::Accept, Some(&text)),
            Action::Offer(o) => (ActionKind::Offer, Some(o)),
            Action::End => (ActionKind::End, None),
        };
        self.session
            .record(Actor::Party(party), time, kind, recorded);
        if !self.session.notify(party, &action, &state) {
            return Step::Ended;
        }
        let (yes, position) = match action {
            Action::Accept => (true, text.clone()),
            Action::Offer(counter) => (false, counter),
            Action::End => {
                self.session
                    .finish(Termination::Ended { party }, time, None);
                return Step::Ended;
            }
        };
        self.votes[party] = Some(yes);
        let counter = (!yes).then_some(&position);
        if self.tell_strategy(party, yes, &text, counter) == Step::Ended {
            return Step::Ended;
        }
        self.session.dynamics_mut().set_position(party, || position);
        let n = self.session.n();
        if (0..n).all(|p| !self.session.is_active(p) || self.votes[p] == Some(true)) {
            self.session
                .finish(Termination::Agreement, time, Some(text));
            return Step::Ended;
        }
        self.phase = Phase::Vote(party + 1);
        Step::Continue
    }

    /// Tells the strategy of `party`'s vote (with its counter-proposal, and its comparison of
    /// the text and the strategy's incumbent when the strategy uses vetoes).
    fn tell_strategy(
        &mut self,
        party: usize,
        accepted: bool,
        text: &Outcome,
        counter: Option<&Outcome>,
    ) -> Step {
        let incumbent = self
            .with_view(|s, _, _| s.incumbent().filter(|b| *b != text).cloned())
            .flatten();
        let verdict = incumbent.and_then(|base| self.session.compare(party, text, &base));
        let vote = Vote {
            party,
            text,
            accepted,
            counter,
            verdict,
        };
        if self.session.result().is_some()
            || self
                .with_view(|s, view, _| s.observe_vote(view, &vote))
                .is_none()
        {
            return Step::Ended;
        }
        Step::Continue
    }

    /// Closes a round: the strategy learns the votes; partial agreements, the deadline and
    /// the next round's events.
    fn close_round(&mut self) -> Step {
        let text = self.text.clone().expect("a text was proposed");
        let yes: Vec<bool> = self.votes.iter().map(|v| *v == Some(true)).collect();
        if self
            .with_view(|s, view, _| s.observe_round(view, &text, &yes))
            .is_none()
        {
            return Step::Ended;
        }
        let time = self.time(self.session.n() + 1).min(1.0);
        if self.session.settle_partial(time) == Step::Ended
            || self.session.next_round() == Step::Ended
        {
            return Step::Ended;
        }
        self.phase = Phase::Propose;
        self.round_start()
    }
}

impl<'a> Protocol<'a> for Mediated<'a> {
    fn session(&self) -> &Session<'a> {
        &self.session
    }

    fn session_mut(&mut self) -> &mut Session<'a> {
        &mut self.session
    }

    fn into_session(self) -> Session<'a> {
        self.session
    }

    /// Puts a text on the table, or takes one party's vote, or closes the round.
    fn step(&mut self) -> Step {
        if self.session.result().is_some() {
            return Step::Ended;
        }
        if !self.session.is_started()
            && (self.session.start() == Step::Ended || self.round_start() == Step::Ended)
        {
            return Step::Ended;
        }
        if self.session.time_limit_passed() {
            self.session.finish(Termination::TimeLimit, 1.0, None);
            return Step::Ended;
        }
        match self.phase {
            Phase::Propose => self.propose(),
            Phase::Vote(k) => {
                let mediator = self.mediator;
                let next = (k..self.session.n())
                    .find(|&p| self.session.is_active(p) && Some(p) != mediator);
                match next {
                    Some(party) => self.vote(party),
                    None => self.close_round(),
                }
            }
        }
    }
}
