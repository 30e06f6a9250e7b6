//! The Stacked Alternating Offers Protocol (SAOP) for n >= 2 parties.
//!
//! Parties move in a fixed cyclic order; a round gives each one turn. On its turn a party
//! accepts the standing offer, makes a new offer (which replaces it), or ends the negotiation.
//! The very first move must be an offer or an end. An agreement is reached when every active
//! party other than the offerer has accepted the standing offer in turn. With two parties this
//! is bilateral alternating offers. A party that leaves (a timeline event) no longer moves; if
//! it made the standing offer, that offer is withdrawn.
//!
//! Time: the turn of party `k` in round `r` (both from 0) happens at normalised time
//! `t = (r * n + k) / (R * n)`, with `n` parties and a deadline of `R` rounds (or, with
//! [`super::TimeConvention::PerRound`], `(r + 1) / (R + 1)` as in GENIUS and NegMAS). With a
//! wall-clock limit `L`, `t` is the larger of that and `elapsed / L`.

use super::session::Session;
use super::{Protocol, ProtocolConfig, Step};
use crate::negotiator::{Action, Negotiator, Offer, State};
use crate::scenario::Scenario;
use crate::tables::ScenarioTables;
use crate::trace::{ActionKind, Actor, Termination};

/// A running SAOP negotiation.
pub struct Saop<'a> {
    session: Session<'a>,
    turn: usize,
    standing: Option<Offer>,
    /// Who has accepted the standing offer since it was made (parties that left do not count).
    accepted: Vec<bool>,
}

impl std::fmt::Debug for Saop<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Saop")
            .field("turn", &self.turn)
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

impl<'a> Saop<'a> {
    /// Sets up a negotiation: one negotiator per party, in the scenario's party order.
    ///
    /// # Panics
    /// When the number of negotiators differs from the number of parties (a programming error
    /// of the caller, not an input error).
    pub fn new(
        scenario: &'a Scenario,
        tables: &'a ScenarioTables,
        negotiators: Vec<Box<dyn Negotiator + 'a>>,
        config: ProtocolConfig,
        seed: u64,
    ) -> Self {
        Saop {
            session: Session::new(scenario, tables, negotiators, config, seed),
            turn: 0,
            standing: None,
            accepted: vec![false; scenario.parties.len()],
        }
    }

    /// The standing offer.
    pub fn standing(&self) -> Option<&Offer> {
        self.standing.as_ref()
    }

    /// How many active parties have accepted the standing offer.
    fn accepts(&self) -> usize {
        (0..self.accepted.len())
            .filter(|&p| self.accepted[p] && self.session.is_active(p))
            .count()
    }

    fn time(&self) -> f64 {
        let s = &self.session;
        s.time_at(s.round(), self.turn, s.n())
    }

    /// Moves to the next active party, closing rounds (partial agreements, the deadline,
    /// events of the next round) on the way.
    fn advance(&mut self) -> Step {
        loop {
            self.turn += 1;
            if self.turn >= self.session.n() {
                let time = self.time().min(1.0);
                if self.session.settle_partial(time) == Step::Ended {
                    return Step::Ended;
                }
                self.turn = 0;
                if self.session.next_round() == Step::Ended || self.round_start() == Step::Ended {
                    return Step::Ended;
                }
            }
            if self.session.is_active(self.turn) {
                return Step::Continue;
            }
        }
    }

    /// Fires the events of the current round and drops a standing offer whose maker left or
    /// that is no longer feasible.
    fn round_start(&mut self) -> Step {
        if self.session.dynamics().is_static() {
            // Nothing can change between rounds: skip the checks below.
            return Step::Continue;
        }
        let s = &self.session;
        let time = s.time_at(s.round(), 0, s.n());
        if self.session.fire_events(time) == Step::Ended {
            return Step::Ended;
        }
        if let Some(o) = &self.standing
            && (o.by.party().is_some_and(|p| !self.session.is_active(p))
                || !self.session.scenario().space.contains(&o.outcome))
        {
            self.standing = None;
            self.accepted.fill(false);
        }
        Step::Continue
    }

    /// Starts the session and moves to the first active party.
    fn start(&mut self) -> Step {
        if self.session.start() == Step::Ended || self.round_start() == Step::Ended {
            return Step::Ended;
        }
        if !self.session.is_active(self.turn) {
            self.turn = self.turn.wrapping_sub(1);
            return self.advance();
        }
        Step::Continue
    }

    /// Applies `party`'s valid action; `Ended` when it ended the negotiation.
    fn apply(&mut self, party: usize, action: Action, time: f64) -> Step {
        match action {
            Action::Accept => {
                self.accepted[party] = true;
                let standing = self.standing.as_ref().expect("validated: an offer stands");
                let outcome = standing.outcome.clone();
                let by = standing.by;
                self.session
                    .dynamics_mut()
                    .set_position(party, || outcome.clone());
                let everyone = (0..self.session.n())
                    .all(|p| by.is_party(p) || !self.session.is_active(p) || self.accepted[p]);
                if everyone {
                    self.session
                        .finish(Termination::Agreement, time, Some(outcome));
                    return Step::Ended;
                }
            }
            Action::Offer(outcome) => {
                self.session
                    .dynamics_mut()
                    .set_position(party, || outcome.clone());
                self.standing = Some(Offer {
                    outcome,
                    by: Actor::Party(party),
                });
                self.accepted.fill(false);
            }
            Action::End => {
                self.session
                    .finish(Termination::Ended { party }, time, None);
                return Step::Ended;
            }
        }
        Step::Continue
    }
}

impl<'a> Protocol<'a> for Saop<'a> {
    fn session(&self) -> &Session<'a> {
        &self.session
    }

    fn session_mut(&mut self) -> &mut Session<'a> {
        &mut self.session
    }

    fn into_session(self) -> Session<'a> {
        self.session
    }

    /// Takes one turn.
    fn step(&mut self) -> Step {
        if self.session.result().is_some() {
            return Step::Ended;
        }
        if !self.session.is_started() && self.start() == Step::Ended {
            return Step::Ended;
        }
        let time = self.time();
        if self.session.time_limit_passed() {
            self.session.finish(Termination::TimeLimit, 1.0, None);
            return Step::Ended;
        }
        let party = self.turn;
        let active = self.session.active();
        let state = State {
            round: self.session.round(),
            time,
            turn: party,
            standing: self.standing.as_ref(),
            accepts: self.accepts(),
            active: &active,
        };
        let Some(action) = self.session.act(party, &state) else {
            return Step::Ended;
        };
        let (kind, outcome) = match &action {
            Action::Accept => (
                ActionKind::Accept,
                self.standing.as_ref().map(|s| &s.outcome),
            ),
            Action::Offer(o) => (ActionKind::Offer, Some(o)),
            Action::End => (ActionKind::End, None),
        };
        self.session
            .record(Actor::Party(party), time, kind, outcome);
        if !self.session.notify(party, &action, &state) {
            return Step::Ended;
        }
        if self.apply(party, action, time) == Step::Ended {
            return Step::Ended;
        }
        self.advance()
    }
}
