//! The walking mediators: hill-climbing and veto (see the module docs of [`super`]).

use std::cmp::Ordering;

use rand::seq::SliceRandom;
use rand::{Rng, RngCore};

use super::{MediatorStrategy, MediatorView, Memory, Proposal, Vote};
use crate::space::Outcome;

/// Largest issue whose values a walking mediator tries one by one.
const MAX_MOVES_PER_ISSUE: u64 = 1000;

/// How many random texts a neutral mediator draws before taking any feasible one.
const RANDOM_START_TRIES: usize = 1000;

/// A mediator that walks from text to text one issue at a time.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    /// Keep a change unless someone vetoes it (otherwise: when all who accepted the base
    /// accept it).
    veto: bool,
    base: Option<Outcome>,
    base_accepts: Vec<bool>,
    /// The text on the table.
    current: Option<Outcome>,
    /// A veto was cast against the current text.
    vetoed: bool,
    /// Every (issue, value) change, in a seeded random order.
    moves: Vec<(usize, u32)>,
    move_pos: usize,
    /// Which texts each party is known to accept.
    memory: Memory,
}

impl Walk {
    /// Hill-climbing: a change is kept when every party that accepted the base accepts it.
    pub fn hill_climbing() -> Self {
        Walk::default()
    }

    /// Veto: a change is kept unless some party finds it worse than the base.
    pub fn veto() -> Self {
        Walk {
            veto: true,
            ..Walk::default()
        }
    }

    /// The first text: a biased mediator's best outcome, else a seeded random feasible one.
    fn start_text(&self, view: &MediatorView<'_>, rng: &mut dyn RngCore) -> Outcome {
        let scenario = view.scenario;
        if let Some(m) = view.mediator
            && let Ok(table) = view.tables.party(scenario, m)
            && let Some(o) = scenario.space.outcome(table.order[0])
        {
            return view.settle(o);
        }
        let space = &scenario.space;
        for _ in 0..RANDOM_START_TRIES {
            let values = space.issues().iter();
            let o = Outcome(
                values
                    .map(|i| rng.random_range(0..i.cardinality()) as u32)
                    .collect(),
            );
            let o = view.settle(o);
            if space.contains(&o) {
                return o;
            }
        }
        view.settle(
            space
                .find_feasible()
                .expect("a scenario's space has a feasible outcome"),
        )
    }

    /// Every change of one issue, shuffled.
    fn ensure_moves(&mut self, view: &MediatorView<'_>, rng: &mut dyn RngCore) {
        if !self.moves.is_empty() {
            return;
        }
        for (i, issue) in view.scenario.space.issues().iter().enumerate() {
            if issue.cardinality() <= MAX_MOVES_PER_ISSUE {
                self.moves
                    .extend((0..issue.cardinality() as u32).map(|v| (i, v)));
            }
        }
        self.moves.shuffle(rng);
        self.move_pos = 0;
    }

    /// The base with one issue changed, if that is feasible and the issue is open.
    fn candidate(view: &MediatorView<'_>, base: &Outcome, (i, v): (usize, u32)) -> Option<Outcome> {
        if base.0[i] == v || view.settled[i].is_some() {
            return None;
        }
        let mut c = base.clone();
        c.0[i] = v;
        view.scenario.space.contains(&c).then_some(c)
    }

    /// A biased mediator's next step: the changes it likes, best for it first, in rotation;
    /// never below its reservation value.
    fn biased_step(&mut self, view: &MediatorView<'_>, base: &Outcome, m: usize) -> Outcome {
        let prefs = &view.scenario.parties[m].preferences;
        let mut ranked: Vec<(f64, Outcome)> = self
            .moves
            .iter()
            .filter_map(|&mv| Self::candidate(view, base, mv).map(|c| (prefs.utility(&c), c)))
            .filter(|(u, _)| *u >= prefs.reservation)
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        if ranked.is_empty() {
            return base.clone();
        }
        let tried = self.move_pos;
        self.move_pos += 1;
        if tried < self.moves.len() {
            let k = tried % self.moves.len().max(1);
            if let Some((_, c)) = ranked.get(k) {
                return c.clone();
            }
        }
        self.move_pos = 0;
        ranked.swap_remove(0).1
    }

    /// A text every party still voting is known to accept, if there is one: for a biased
    /// mediator the best for itself (never below its reservation value), else the first found.
    fn retable(&mut self, view: &MediatorView<'_>) -> Option<Outcome> {
        let agreed = self.memory.agreed(view);
        match view.mediator {
            None => agreed.first().map(|o| (*o).clone()),
            Some(m) => {
                let prefs = &view.scenario.parties[m].preferences;
                agreed
                    .into_iter()
                    .map(|o| (prefs.utility(o), o))
                    .filter(|(u, _)| *u >= prefs.reservation)
                    .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
                    .map(|(_, o)| o.clone())
            }
        }
    }

    /// A neutral mediator's next step: the next feasible change in the shuffled order.
    fn neutral_step(
        &mut self,
        view: &MediatorView<'_>,
        base: &Outcome,
        rng: &mut dyn RngCore,
    ) -> Outcome {
        for _ in 0..self.moves.len() {
            let mv = self.moves[self.move_pos % self.moves.len()];
            self.move_pos += 1;
            if self.move_pos >= self.moves.len() {
                self.move_pos = 0;
                self.moves.shuffle(rng);
            }
            if let Some(c) = Self::candidate(view, base, mv) {
                return c;
            }
        }
        base.clone()
    }
}

impl MediatorStrategy for Walk {
    fn next_text(&mut self, view: &MediatorView<'_>, rng: &mut dyn RngCore) -> Proposal {
        self.vetoed = false;
        if let Some(text) = self.retable(view) {
            self.current = Some(text.clone());
            return text.into();
        }
        let text = match self.base.clone() {
            None => self.start_text(view, rng),
            Some(base) => {
                let base = view.settle(base);
                self.ensure_moves(view, rng);
                match view.mediator {
                    Some(m) => self.biased_step(view, &base, m),
                    None => self.neutral_step(view, &base, rng),
                }
            }
        };
        self.current = Some(text.clone());
        text.into()
    }

    fn incumbent(&self) -> Option<&Outcome> {
        if self.veto { self.base.as_ref() } else { None }
    }

    fn observe_vote(&mut self, view: &MediatorView<'_>, vote: &Vote<'_>) {
        self.memory.observe(view, vote);
        // Only a change of text can be vetoed.
        if !self.veto || self.base.is_none() || self.base == self.current {
            return;
        }
        let veto = match vote.verdict {
            Some(ord) => ord == Ordering::Less,
            None => self.base_accepts.get(vote.party).copied().unwrap_or(false) && !vote.accepted,
        };
        self.vetoed |= veto;
    }

    fn observe_round(&mut self, view: &MediatorView<'_>, text: &Outcome, votes: &[bool]) {
        let keeps = match (&self.base, self.veto) {
            (None, _) => true,
            (Some(_), true) => !self.vetoed,
            (Some(_), false) => {
                (0..votes.len()).all(|p| !view.active[p] || !self.base_accepts[p] || votes[p])
            }
        };
        if keeps {
            self.base = Some(text.clone());
            self.base_accepts = votes.to_vec();
        }
    }
}
