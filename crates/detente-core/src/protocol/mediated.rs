//! Mediated single-text negotiation.
//!
//! Each round, a mediator puts one complete text (an outcome) on the table; then every active
//! party, in turn order, votes on it: a negotiator's `Accept` is a yes, an `Offer` is a no
//! (its offer is recorded as the party's counter-proposal), `End` walks out and ends the talks.
//! An agreement is reached when every active party accepts the same text. The mediator then
//! moves the text by its strategy ([`MediatorStrategy`]):
//!
//! - **hill-climbing**: it keeps a *base* text and proposes the base with one issue changed
//!   (changes tried in a seeded random order); a candidate becomes the new base when every
//!   party that accepted the base accepts it too;
//! - **veto**: the same walk, but a candidate becomes the new base unless some party vetoes
//!   it, that is, finds it worse than the base ([`crate::Negotiator::compare`]; a negotiator
//!   that cannot tell vetoes when it accepted the base but rejects the candidate). The base
//!   then only ever moves to texts no party finds worse;
//! - **informed**: it knows the parties' utilities and proposes texts in decreasing order of
//!   the Nash product `prod_i (u_i - r_i)` over the active parties and their current
//!   reservation values, individually rational texts first (ties by outcome id).
//!
//! A mediator is either neutral (outside the parties; its texts are recorded as made by party
//! `n`) or one of the parties (a biased mediator). A mediating party does not vote: putting a
//! text on the table is its acceptance of it, as making an offer is in SAOP. A biased mediator
//! that walks tries the changes best for itself first and never proposes a text below its own
//! reservation value; a biased informed mediator counts itself in the Nash product as a party.
//! A walking biased mediator's first text is its own best outcome, a walking neutral
//! mediator's a seeded random one; an informed mediator opens with the Nash point.
//! When a mediating party leaves without ending the talks, they go on under a neutral
//! mediator with the same strategy (recorded as an event).
//!
//! Time: round `r` of `R` spans `[r/R, (r+1)/R)`; the text comes first, then the votes, each
//! at an equal share of the round.

use std::panic::{AssertUnwindSafe, catch_unwind};

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::session::Session;
use super::{Clock, ProtocolConfig, Step, derive_seed};
use crate::negotiator::{Action, Negotiator, Offer, State};
use crate::scenario::{MediatorStrategy, ProtocolKind, Scenario};
use crate::space::{Outcome, OutcomeId};
use crate::tables::ScenarioTables;
use crate::trace::{
    ActionKind, Actor, FiredEvent, NegotiationResult, Termination, Trace, TraceEntry,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Propose,
    Vote(usize),
}

/// A running mediated negotiation.
pub struct Mediated<'a> {
    session: Session<'a>,
    strategy: MediatorStrategy,
    mediator: Option<usize>,
    rng: ChaCha8Rng,
    phase: Phase,
    text: Option<Outcome>,
    votes: Vec<Option<bool>>,
    vetoed: bool,
    base: Option<Outcome>,
    base_accepts: Vec<bool>,
    moves: Vec<(usize, u32)>,
    move_pos: usize,
    informed: Option<Vec<OutcomeId>>,
    informed_pos: usize,
    informed_scenario: Option<u64>,
}

impl std::fmt::Debug for Mediated<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mediated")
            .field("strategy", &self.strategy)
            .field("round", &self.session.round)
            .field("text", &self.text)
            .field("result", &self.session.result)
            .finish_non_exhaustive()
    }
}

/// Largest issue whose values a walking mediator tries one by one.
const MAX_MOVES_PER_ISSUE: u64 = 1000;

impl<'a> Mediated<'a> {
    /// Sets up a mediated negotiation: one negotiator per party. The strategy and mediator come
    /// from the scenario's protocol settings (hill-climbing with a neutral mediator when the
    /// scenario names SAOP).
    pub fn new(
        scenario: &'a Scenario,
        tables: &'a ScenarioTables,
        negotiators: Vec<Box<dyn Negotiator + 'a>>,
        config: ProtocolConfig,
        seed: u64,
    ) -> Self {
        let (strategy, mediator) = match scenario.protocol.kind {
            ProtocolKind::Mediated { strategy, mediator } => (strategy, mediator),
            ProtocolKind::Saop => (MediatorStrategy::HillClimbing, None),
        };
        let n = scenario.parties.len();
        Mediated {
            session: Session::new(scenario, tables, negotiators, config, seed),
            strategy,
            mediator,
            rng: ChaCha8Rng::seed_from_u64(derive_seed(seed, u64::MAX)),
            phase: Phase::Propose,
            text: None,
            votes: vec![None; n],
            vetoed: false,
            base: None,
            base_accepts: vec![false; n],
            moves: Vec::new(),
            move_pos: 0,
            informed: None,
            informed_pos: 0,
            informed_scenario: None,
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

    /// The text on the table.
    pub fn text(&self) -> Option<&Outcome> {
        self.text.as_ref()
    }

    /// Who puts the texts on the table: the mediating party, or the neutral mediator.
    fn mediator_actor(&self) -> Actor {
        self.mediator.map_or(Actor::Mediator, Actor::Party)
    }

    fn time(&self, k: usize) -> f64 {
        self.session
            .time_at(self.session.round, k, self.session.n() + 1)
    }

    fn round_start(&mut self) -> bool {
        let time = self.time(0);
        if !self.session.fire_events(time) {
            return false;
        }
        if self.session.round >= self.session.deadline {
            self.session.finish(Termination::Deadline, 1.0, None);
            return false;
        }
        if let Some(m) = self.mediator
            && !self.session.active[m]
        {
            self.mediator = None;
            self.session.events.push(FiredEvent {
                round: self.session.round,
                name: "mediation passes on".into(),
                description: format!(
                    "{} no longer mediates; the talks go on under a neutral mediator",
                    self.session.scenario().parties[m].name
                ),
            });
        }
        true
    }

    /// Applies the settled issues to a text.
    fn settle(&self, mut o: Outcome) -> Outcome {
        for (i, v) in self.session.settled.iter().enumerate() {
            if let Some(v) = v {
                o.0[i] = *v;
            }
        }
        o
    }

    fn feasible(&self, o: &Outcome) -> bool {
        self.session.scenario().space.contains(o)
    }

    fn start_text(&mut self) -> Outcome {
        let scenario = self.session.scenario();
        if let Some(m) = self.mediator
            && let Ok(table) = self.session.tables().party(scenario, m)
            && let Some(o) = scenario.space.outcome(table.order[0])
        {
            return self.settle(o);
        }
        let space = &scenario.space;
        for _ in 0..1000 {
            let o = Outcome(
                space
                    .issues()
                    .iter()
                    .map(|i| self.rng.random_range(0..i.cardinality()) as u32)
                    .collect(),
            );
            let o = self.settle(o);
            if self.feasible(&o) {
                return o;
            }
        }
        self.settle(
            space
                .find_feasible()
                .expect("a scenario's space has a feasible outcome"),
        )
    }

    fn walk_candidate(&mut self, base: &Outcome) -> Outcome {
        if self.moves.is_empty() {
            let space = &self.session.scenario().space;
            for (i, issue) in space.issues().iter().enumerate() {
                if issue.cardinality() <= MAX_MOVES_PER_ISSUE {
                    for v in 0..issue.cardinality() as u32 {
                        self.moves.push((i, v));
                    }
                }
            }
            self.moves.shuffle(&mut self.rng);
            self.move_pos = 0;
        }
        let scenario = self.session.scenario();
        let candidate = |&(i, v): &(usize, u32)| -> Option<Outcome> {
            if base.0[i] == v || self.session.settled[i].is_some() {
                return None;
            }
            let mut c = base.clone();
            c.0[i] = v;
            scenario.space.contains(&c).then_some(c)
        };
        if let Some(m) = self.mediator {
            // A biased mediator tries the change best for itself first, never below its
            // reservation value.
            let prefs = &scenario.parties[m].preferences;
            let best = self
                .moves
                .iter()
                .filter_map(|mv| candidate(mv).map(|c| (prefs.utility(&c), c)))
                .filter(|(u, _)| *u >= prefs.reservation)
                .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(&a.1)));
            // Rotate through the candidates it likes by skipping the ones tried this cycle.
            if let Some((_, c)) = best {
                let tried = self.move_pos;
                self.move_pos += 1;
                if tried < self.moves.len() {
                    let mut ranked: Vec<(f64, Outcome)> = self
                        .moves
                        .iter()
                        .filter_map(|mv| candidate(mv).map(|c| (prefs.utility(&c), c)))
                        .filter(|(u, _)| *u >= prefs.reservation)
                        .collect();
                    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
                    if let Some((_, c)) = ranked.into_iter().nth(tried % self.moves.len().max(1)) {
                        return c;
                    }
                }
                self.move_pos = 0;
                return c;
            }
            return base.clone();
        }
        for _ in 0..self.moves.len() {
            let mv = self.moves[self.move_pos % self.moves.len()];
            self.move_pos += 1;
            if self.move_pos >= self.moves.len() {
                self.move_pos = 0;
                self.moves.shuffle(&mut self.rng);
            }
            if let Some(c) = candidate(&mv) {
                return c;
            }
        }
        base.clone()
    }

    /// Outcome ids in decreasing Nash product over the active parties (individually rational
    /// first), or `None` when the space is too large to enumerate.
    fn informed_order(&self) -> Option<Vec<OutcomeId>> {
        let scenario = self.session.scenario();
        let voters: Vec<usize> = (0..self.session.n())
            .filter(|&p| self.session.active[p])
            .collect();
        let mut tables = Vec::with_capacity(voters.len());
        for &p in &voters {
            tables.push(self.session.tables().party(scenario, p).ok()?);
        }
        let reservations: Vec<f64> = voters
            .iter()
            .map(|&p| scenario.parties[p].preferences.reservation)
            .collect();
        let feasible = &tables[0].order;
        let mut scored: Vec<(bool, f64, f64, OutcomeId)> = feasible
            .iter()
            .map(|&id| {
                let mut rational = true;
                let mut product = 1.0;
                let mut sum = 0.0;
                for (t, &r) in tables.iter().zip(&reservations) {
                    let u = t.utilities[id as usize];
                    rational &= u >= r;
                    product *= (u - r).max(0.0);
                    sum += u;
                }
                (rational, product, sum, id)
            })
            .collect();
        scored.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(b.1.total_cmp(&a.1))
                .then(b.2.total_cmp(&a.2))
                .then(a.3.cmp(&b.3))
        });
        Some(scored.into_iter().map(|s| s.3).collect())
    }

    fn next_text(&mut self) -> Outcome {
        if self.strategy == MediatorStrategy::Informed {
            let version = self.session.version();
            if self.informed.is_none() || self.informed_scenario != Some(version) {
                self.informed = self.informed_order();
                self.informed_scenario = Some(version);
                self.informed_pos = 0;
                if self.informed.is_none() {
                    self.strategy = MediatorStrategy::HillClimbing;
                    self.session.events.push(FiredEvent {
                        round: self.session.round,
                        name: "mediator".into(),
                        description: "the informed mediator cannot enumerate the outcomes; it walks by hill-climbing instead".into(),
                    });
                }
            }
            if let Some(list) = &self.informed
                && !list.is_empty()
            {
                let id = list[self.informed_pos % list.len()];
                self.informed_pos += 1;
                if let Some(o) = self.session.scenario().space.outcome(id) {
                    return o;
                }
            }
        }
        match self.base.clone() {
            None => self.start_text(),
            Some(base) => {
                let base = self.settle(base);
                self.walk_candidate(&base)
            }
        }
    }

    /// Closes a round: agreement, or the mediator's update, partial agreements, the deadline and
    /// the next round's events. `false` when the negotiation ended.
    fn close_round(&mut self) -> bool {
        let text = self.text.clone().expect("a text was proposed");
        let yes: Vec<bool> = self.votes.iter().map(|v| *v == Some(true)).collect();
        match self.strategy {
            MediatorStrategy::HillClimbing => {
                let keeps = self.base.is_none()
                    || (0..self.session.n())
                        .all(|p| !self.session.active[p] || !self.base_accepts[p] || yes[p]);
                if keeps {
                    self.base = Some(text);
                    self.base_accepts = yes;
                }
            }
            MediatorStrategy::Veto => {
                if self.base.is_none() || !self.vetoed {
                    self.base = Some(text);
                    self.base_accepts = yes;
                }
            }
            MediatorStrategy::Informed => {}
        }
        let time = self.time(self.session.n() + 1).min(1.0);
        let (full, ok) = self.session.settle_partial(time);
        if !ok {
            return false;
        }
        if let Some(outcome) = full {
            self.session
                .finish(Termination::Agreement, time, Some(outcome));
            return false;
        }
        self.session.round += 1;
        if self.session.round >= self.session.deadline {
            self.session.round = self.session.deadline - 1;
            self.session.finish(Termination::Deadline, 1.0, None);
            return false;
        }
        self.phase = Phase::Propose;
        self.round_start()
    }

    /// Takes one step: the mediator's text, or one party's vote.
    pub fn step(&mut self) -> Step {
        if self.session.result.is_some() {
            return Step::Ended;
        }
        if !self.session.started && (!self.session.start() || !self.round_start()) {
            return Step::Ended;
        }
        if self.session.time_limit_passed() {
            self.session.finish(Termination::TimeLimit, 1.0, None);
            return Step::Ended;
        }
        match self.phase {
            Phase::Propose => {
                let text = self.next_text();
                let time = self.time(0);
                self.session.record(
                    self.mediator_actor(),
                    time,
                    ActionKind::Propose,
                    Some(&text),
                );
                self.votes.iter_mut().for_each(|v| *v = None);
                if let Some(m) = self.mediator {
                    // Proposing a text is the mediating party's acceptance of it.
                    self.votes[m] = Some(true);
                    self.session.set_position(m, || text.clone());
                }
                self.text = Some(text);
                self.vetoed = false;
                self.phase = Phase::Vote(0);
                Step::Continue
            }
            Phase::Vote(k) => {
                let n = self.session.n();
                let mediator = self.mediator;
                let Some(party) = (k..n).find(|&p| self.session.active[p] && Some(p) != mediator)
                else {
                    return if self.close_round() {
                        Step::Continue
                    } else {
                        Step::Ended
                    };
                };
                let time = self.time(party + 1);
                let text = self.text.clone().expect("a text was proposed");
                let offer = Offer {
                    outcome: text.clone(),
                    by: self.mediator_actor(),
                };
                let accepts = self.votes.iter().filter(|v| **v == Some(true)).count();
                let active = std::sync::Arc::clone(&self.session.active);
                let state = State {
                    round: self.session.round,
                    time,
                    turn: party,
                    standing: Some(&offer),
                    accepts,
                    active: &active,
                };
                let Some(action) = self.session.act(party, &state) else {
                    return Step::Ended;
                };
                match &action {
                    Action::Accept => self.session.record(
                        Actor::Party(party),
                        time,
                        ActionKind::Accept,
                        Some(&text),
                    ),
                    Action::Offer(o) => {
                        self.session
                            .record(Actor::Party(party), time, ActionKind::Offer, Some(o))
                    }
                    Action::End => {
                        self.session
                            .record(Actor::Party(party), time, ActionKind::End, None)
                    }
                }
                if !self.session.notify(party, &action, &state) {
                    return Step::Ended;
                }
                let yes = match action {
                    Action::Accept => {
                        self.session.set_position(party, || text.clone());
                        true
                    }
                    Action::Offer(o) => {
                        self.session.set_position(party, || o);
                        false
                    }
                    Action::End => {
                        self.session
                            .finish(Termination::Ended { party }, time, None);
                        return Step::Ended;
                    }
                };
                self.votes[party] = Some(yes);
                if self.strategy == MediatorStrategy::Veto
                    && let Some(base) = self.base.clone()
                    && base != text
                {
                    let neg = &mut self.session.negotiators[party];
                    let verdict = catch_unwind(AssertUnwindSafe(|| neg.compare(&text, &base)))
                        .ok()
                        .flatten();
                    let veto = match verdict {
                        Some(ord) => ord == std::cmp::Ordering::Less,
                        None => self.base_accepts[party] && !yes,
                    };
                    self.vetoed |= veto;
                }
                let all_yes =
                    (0..n).all(|p| !self.session.active[p] || self.votes[p] == Some(true));
                if all_yes {
                    self.session
                        .finish(Termination::Agreement, time, Some(text));
                    return Step::Ended;
                }
                self.phase = Phase::Vote(party + 1);
                Step::Continue
            }
        }
    }

    /// Runs to the end and returns the trace.
    pub fn run(mut self) -> Trace {
        while self.step() == Step::Continue {}
        self.session.into_trace()
    }
}
