//! TheNegotiatorReloaded (Dirkzwager and Hendrikx, ANAC 2012): the offering strategy (GENIUS
//! `TheNegotiatorReloaded_Offering`, `TimeManager`, `DomainAnalyzer`, `BSPredictor`,
//! `TimeDependentFunction`).
//!
//! Time is cut into 60 windows. At the end of each (checked on its turns, one window at a
//! time), it estimates the Kalai-Smorodinsky point of its utility against the opponent
//! model's estimate (0.7 without a model) and classifies the opponent: a hardliner when the
//! best offer of the window improved on the previous window's best by at most 1/120 (for the
//! first window: when it is within 1/120 of 1), else a conceder. Its bid then follows a
//! time-dependent curve from 1 down to the Kalai utility (times the discount, at least its
//! reservation value), with an exponent chosen by the opponent's class and how strongly the
//! talks are discounted: 0.05 (Boulware) undiscounted or slightly discounted; 0.8 or 1.2
//! (conceder or hardliner opponent) for a discount in `(0.4, 0.85)`; 1.7 or 1.9 below.

use detente_core::NegotiatorError;
use detente_core::registry::Params;

use super::nice_tit_for_tat::estimated_frontier;
use super::{Offering, OfferingEntry, OfferingStrategy};
use crate::boa::context::{Context, Setup};
use crate::boa::oms::{OpponentModelStrategy, pick_near};

/// Number of time windows.
const WINDOWS: f64 = 60.0;

/// The opponent's class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opponent {
    Hardliner,
    Conceder,
}

/// TheNegotiatorReloaded's offering strategy; see the module docs.
#[derive(Debug, Clone)]
pub struct NegotiatorReloadedOffering {
    discount: f64,
    reservation: f64,
    kalai: f64,
    previous_kalai: f64,
    min_target: f64,
    max_target: f64,
    opponent: Opponent,
    window: f64,
    window_start: f64,
    previous_best: Option<f64>,
}

impl Default for NegotiatorReloadedOffering {
    fn default() -> Self {
        NegotiatorReloadedOffering {
            discount: 1.0,
            reservation: 0.0,
            kalai: 0.7,
            previous_kalai: 0.0,
            min_target: 0.7,
            max_target: 1.0,
            opponent: Opponent::Hardliner,
            window: 0.0,
            window_start: 0.0,
            previous_best: None,
        }
    }
}

impl NegotiatorReloadedOffering {
    /// Its registry entry, `negotiator-reloaded`.
    pub fn entry() -> OfferingEntry {
        OfferingEntry::new(
            "negotiator-reloaded",
            "TheNegotiatorReloaded's offering (ANAC 2012): a time-dependent curve down to the \
             estimated Kalai-Smorodinsky point, its exponent set by the opponent's concessions \
             and the discount",
            |_: &Params<'_>| -> Box<dyn OfferingStrategy> {
                Box::new(NegotiatorReloadedOffering::default())
            },
        )
        .source(
            "Dirkzwager and Hendrikx, TheNegotiatorReloaded, ANAC 2012; GENIUS \
             TheNegotiatorReloaded_Offering",
        )
    }

    /// The lowest target of its curve (for tests).
    #[cfg(test)]
    pub(crate) fn min_target(&self) -> f64 {
        self.min_target
    }

    /// GENIUS `DomainAnalyzer.calculateKalaiPoint`: the own utility of the estimated
    /// frontier's point of least `|u - estimate|` (the lowest own utility among equals).
    fn kalai_point(&mut self, cx: &Context<'_>, oms: &dyn OpponentModelStrategy) -> f64 {
        if !cx.models.any() {
            return 0.7;
        }
        if !oms.can_update(cx.time) {
            return self.previous_kalai;
        }
        let mut frontier = estimated_frontier(cx);
        frontier.reverse();
        let (mut best, mut asymmetry) = (None, 2.0);
        for (u, e) in frontier {
            let a = (u - e).abs();
            if a < asymmetry {
                (best, asymmetry) = (Some(u), a);
            }
        }
        // GENIUS fails on an empty frontier and keeps the default.
        let kalai = best.unwrap_or(0.7);
        if best.is_some() {
            self.previous_kalai = kalai;
        }
        kalai
    }

    /// GENIUS `BSPredictor.calculateOpponentStrategy`.
    fn classify(&mut self, cx: &Context<'_>) -> Opponent {
        let end = cx.history.last_received().map_or(0.0, |b| b.time);
        let start = self.window_start;
        let best = cx
            .history
            .received()
            .iter()
            .filter(|b| start < b.time && b.time <= end && 0.0 < b.utility && b.utility <= 1.1)
            .map(|b| b.utility)
            .reduce(f64::max);
        let Some(best) = best else {
            return Opponent::Hardliner;
        };
        let concession = match self.previous_best {
            None => 1.0 - best,
            Some(p) => best - p,
        };
        self.previous_best = Some(best);
        self.window_start = end;
        if concession <= 1.0 / WINDOWS / 2.0 {
            Opponent::Hardliner
        } else {
            Opponent::Conceder
        }
    }

    /// The curve's exponent (GENIUS `determineNextBid`'s switch).
    fn exponent(&self) -> f64 {
        let d = self.discount;
        let low = !(0.0001..0.85).contains(&d);
        match (self.opponent, low, d <= 0.4) {
            (_, true, _) => 0.05,
            (Opponent::Conceder, false, true) => 1.7,
            (Opponent::Conceder, false, false) => 0.8,
            (Opponent::Hardliner, false, true) => 1.9,
            (Opponent::Hardliner, false, false) => 1.2,
        }
    }
}

impl OfferingStrategy for NegotiatorReloadedOffering {
    fn init(&mut self, setup: &Setup<'_>) -> Result<(), NegotiatorError> {
        let d = setup.space.discount();
        let (min_target, opponent) = if d > 0.001 {
            (f64::max(0.4, d * 0.7), Opponent::Hardliner)
        } else {
            (0.7, Opponent::Conceder)
        };
        *self = NegotiatorReloadedOffering {
            discount: d,
            reservation: setup.space.reservation(),
            min_target,
            opponent,
            ..NegotiatorReloadedOffering::default()
        };
        Ok(())
    }

    fn opening_bid(&mut self, cx: &Context<'_>, _: &mut dyn OpponentModelStrategy) -> Offering {
        Offering::Bid(cx.space.id_at(0))
    }

    fn next_bid(&mut self, cx: &Context<'_>, oms: &mut dyn OpponentModelStrategy) -> Offering {
        // GENIUS `TimeManager.checkEndOfWindow`: windows of 180 / 60 = 3 (of 180), counted
        // one per turn.
        if ((cx.time * 180.0) / 3.0).floor() != self.window {
            self.kalai = self.kalai_point(cx, oms);
            self.opponent = self.classify(cx);
            self.window += 1.0;
            if self.discount > 0.0001 {
                self.kalai *= self.discount;
            }
            self.min_target = self.reservation.max(self.kalai);
            self.max_target = 1.0;
            if self.max_target < self.min_target {
                self.max_target = self.min_target + 0.05;
            }
        }
        let e = self.exponent();
        let f = cx.time.powf(1.0 / e);
        let goal = self.min_target + (self.max_target - self.min_target) * (1.0 - f);
        let id = if cx.models.any() {
            pick_near(cx, oms, goal)
        } else {
            cx.space.id_at(cx.space.position_nearest(goal))
        };
        Offering::Bid(id)
    }
}
