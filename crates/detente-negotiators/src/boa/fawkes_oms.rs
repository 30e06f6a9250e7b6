//! TheFawkes's opponent-model strategy (GENIUS `TheFawkes_OMS`, ANAC 2013 winner).

use std::collections::VecDeque;

use detente_core::registry::Entry;
use detente_core::{NegotiatorError, OutcomeId};

use super::context::{Context, Setup};
use super::oms::OpponentModelStrategy;

/// Among the candidates, the one the models rate highest (the first in the candidates' order
/// among equals: Java's stable sort); but when the utilities (to itself) of its last ten picks
/// all equal that one's (also before any pick), the second best instead, counting how often
/// (from 1). The offering strategy `the-fawkes` reads the count.
#[derive(Debug, Clone)]
pub struct TheFawkesOms {
    last_ten: VecDeque<f64>,
    second_best: u32,
    order: Vec<usize>,
}

impl Default for TheFawkesOms {
    fn default() -> Self {
        TheFawkesOms {
            last_ten: VecDeque::with_capacity(11),
            second_best: 1,
            order: Vec::new(),
        }
    }
}

impl TheFawkesOms {
    /// Its registry entry, `the-fawkes`.
    pub fn entry() -> Entry<dyn OpponentModelStrategy> {
        Entry::<dyn OpponentModelStrategy>::new(
            "the-fawkes",
            "offers the bid the opponent models rate highest, the second best when its last \
             ten picks were all worth the same to itself",
            |_| Box::new(TheFawkesOms::default()),
        )
        .source("TheFawkes (TU Delft), ANAC 2013 winner; GENIUS TheFawkes_OMS")
    }

    /// How many times it picked the second best, plus one (GENIUS `getSecondBestCount`).
    pub fn second_best_count(&self) -> u32 {
        self.second_best
    }
}

impl OpponentModelStrategy for TheFawkesOms {
    fn init(&mut self, _: &Setup<'_>) -> Result<(), NegotiatorError> {
        *self = TheFawkesOms::default();
        Ok(())
    }

    fn choose(&mut self, cx: &Context<'_>, candidates: &[OutcomeId], estimates: &[f64]) -> usize {
        // Best rated first; a stable sort keeps the candidates' order among equals (NaN, which
        // no model gives, is placed last to keep the order total).
        let key = |i: usize| {
            let e = estimates[i];
            if e.is_nan() { f64::NEG_INFINITY } else { e }
        };
        self.order.clear();
        self.order.extend(0..candidates.len());
        self.order
            .sort_by(|&a, &b| key(b).partial_cmp(&key(a)).expect("no NaN"));
        let mut pick = self.order[0];
        let utility = cx.space.utility(candidates[pick]);
        if self.last_ten.iter().all(|&u| u == utility) {
            self.second_best += 1;
            if self.order.len() > 1 {
                pick = self.order[1];
            }
        }
        self.last_ten.push_back(cx.space.utility(candidates[pick]));
        if self.last_ten.len() > 10 {
            self.last_ten.pop_front();
        }
        pick
    }

    fn shared(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }
}
