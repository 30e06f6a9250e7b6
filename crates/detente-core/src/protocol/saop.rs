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
//! `t = (r * n + k) / (R * n)`, with `n` parties and a deadline of `R` rounds. With a
//! wall-clock limit `L`, `t` is the larger of that and `elapsed / L`.

use super::session::Session;
use super::{Clock, ProtocolConfig, Step};
use crate::negotiator::{Action, Negotiator, Offer, State};
use crate::scenario::Scenario;
use crate::tables::ScenarioTables;
use crate::trace::{ActionKind, Actor, NegotiationResult, Termination, Trace, TraceEntry};

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
            .field("round", &self.session.round)
            .field("turn", &self.turn)
            .field("result", &self.session.result)
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

    /// Uses `clock` for the wall-clock and per-step limits.
    pub fn with_clock(mut self, clock: &'a dyn Clock) -> Self {
        self.session.clock = Some(clock);
        self
    }

    /// The result, once the negotiation has ended.
    pub fn result(&self) -> Option<&NegotiationResult> {
        self.session.result.as_ref()
    }

    /// The actions recorded so far.
    pub fn entries(&self) -> &[TraceEntry] {
        &self.session.entries
    }

    /// Current round, from 0.
    pub fn round(&self) -> u32 {
        self.session.round
    }

    /// The standing offer.
    pub fn standing(&self) -> Option<&Offer> {
        self.standing.as_ref()
    }

    /// The scenario as it stands (events may have changed it).
    pub fn scenario(&self) -> &Scenario {
        self.session.scenario()
    }

    /// How many active parties have accepted the standing offer.
    fn accepts(&self) -> usize {
        self.accepted
            .iter()
            .zip(self.session.active.iter())
            .filter(|(a, b)| **a && **b)
            .count()
    }

    fn time(&self) -> f64 {
        self.session
            .time_at(self.session.round, self.turn, self.session.n())
    }

    /// Moves to the next active party, closing rounds (partial agreements, the deadline,
    /// events of the next round) on the way. `false` when the negotiation ended.
    fn advance(&mut self) -> bool {
        loop {
            self.turn += 1;
            if self.turn >= self.session.n() {
                let time = self.time().min(1.0);
                let (full, ok) = self.session.settle_partial(time);
                if !ok {
                    return false;
                }
                if let Some(outcome) = full {
                    self.session
                        .finish(Termination::Agreement, time, Some(outcome));
                    return false;
                }
                self.turn = 0;
                self.session.round += 1;
                if self.session.round >= self.session.deadline {
                    self.session.round = self.session.deadline - 1;
                    self.session.finish(Termination::Deadline, 1.0, None);
                    return false;
                }
                if !self.round_start() {
                    return false;
                }
            }
            if self.session.active[self.turn] {
                return true;
            }
        }
    }

    /// Fires the events of the current round and drops a standing offer whose maker left.
    fn round_start(&mut self) -> bool {
        if self.session.static_between_rounds() {
            // Nothing can change between rounds: skip the checks below.
            return true;
        }
        let time = self
            .session
            .time_at(self.session.round, 0, self.session.n());
        if !self.session.fire_events(time) {
            return false;
        }
        if self.session.round >= self.session.deadline {
            self.session.finish(Termination::Deadline, 1.0, None);
            return false;
        }
        if let Some(s) = &self.standing
            && (s.by.party().is_some_and(|p| !self.session.active[p])
                || !self.session.scenario().space.contains(&s.outcome))
        {
            self.standing = None;
            self.accepted.fill(false);
        }
        true
    }

    /// Takes one turn.
    pub fn step(&mut self) -> Step {
        if self.session.result.is_some() {
            return Step::Ended;
        }
        if !self.session.started {
            if !self.session.start() || !self.round_start() {
                return Step::Ended;
            }
            if !self.session.active[self.turn] {
                self.turn = self.turn.wrapping_sub(1);
                if !self.advance() {
                    return Step::Ended;
                }
            }
        }
        let time = self.time();
        if self.session.time_limit_passed() {
            self.session.finish(Termination::TimeLimit, 1.0, None);
            return Step::Ended;
        }
        let party = self.turn;
        let active = std::sync::Arc::clone(&self.session.active);
        let state = State {
            round: self.session.round,
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
        match action {
            Action::Accept => {
                self.accepted[party] = true;
                let standing = self.standing.as_ref().expect("validated: an offer stands");
                self.session
                    .set_position(party, || standing.outcome.clone());
                let by = standing.by;
                let everyone = (0..self.session.n())
                    .all(|p| by.is_party(p) || !self.session.active[p] || self.accepted[p]);
                if everyone {
                    let outcome = standing.outcome.clone();
                    self.session
                        .finish(Termination::Agreement, time, Some(outcome));
                    return Step::Ended;
                }
            }
            Action::Offer(outcome) => {
                self.session.set_position(party, || outcome.clone());
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
        if self.advance() {
            Step::Continue
        } else {
            Step::Ended
        }
    }

    /// Runs to the end and returns the trace.
    pub fn run(mut self) -> Trace {
        while self.step() == Step::Continue {}
        self.into_trace()
    }

    /// The trace; the negotiation must have ended.
    ///
    /// # Panics
    /// When the negotiation has not ended.
    pub fn into_trace(self) -> Trace {
        self.session.into_trace()
    }
}
