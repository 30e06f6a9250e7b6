//! IAMhaggler2011 (Williams, Robu, Gerding and Jennings, ANAC 2011): the offering strategy
//! (GENIUS `IAMhaggler2011_Offering`, `iamhaggler2011.RandomBidCreator`).
//!
//! Time is cut into 36 slots; at each of its turns it notes the utility (for itself) of the
//! opponent's last offer, and keeps the best of each slot. Whenever a slot ends, a Gaussian
//! process ([`GpMixture`]) regresses those maxima (less the line from the first to 0.9 at
//! time 1) on the slots' middle times and predicts the opponent's future concession at 101
//! times. For 100 utility levels `u` and every future time, the chance that the opponent
//! offers `u` then (normal with the predicted mean and variance, renormalised over the
//! levels) times the gain `u³ d^t` (risk parameter 3, discount `d`) gives an expected
//! utility; the time whose column of expected utilities sums highest, and the level of
//! highest expected cumulative utility there, are the best agreement it expects. Its target
//! moves in a straight line from the last target towards that point; in the first slot it is
//! `1 - t/2`. It bids a random outcome within 0.025 of the target (the window widened after
//! each 500 failed draws), or with a model the opponent-model strategy's bid near it; it
//! offers the opponent's best offer once the target first falls to it.

use detente_core::registry::Params;
use detente_core::{NegotiatorError, OutcomeId};

use super::{Offering, OfferingEntry, OfferingStrategy};
use crate::boa::context::{Context, Setup};
use crate::boa::gp::GpMixture;
use crate::boa::java_random::JavaRandom;
use crate::boa::oms::{OpponentModelStrategy, pick_near};
use crate::boa::space::OwnSpace;

/// Number of time slots.
const SLOTS: f64 = 36.0;
/// Utility levels and time samples of the expected-utility grid.
const LEVELS: usize = 100;
const TIMES: usize = 101;
/// Risk parameter: the gain of a utility `u` is `u^RISK`.
const RISK: f64 = 3.0;

/// IAMhaggler2011's offering strategy; see the module docs.
#[derive(Debug, Clone)]
pub struct IamHagglerOffering {
    gp: GpMixture,
    levels: Vec<f64>,
    times: Vec<f64>,
    /// `gain[j][k]`: the gain of level `j` at time `k`.
    gain: Vec<Vec<f64>>,
    slot_times: Vec<f64>,
    slot_maxima: Vec<f64>,
    slot_max: f64,
    last_slot: i64,
    means: Vec<f64>,
    variances: Vec<f64>,
    /// The expected-gain columns computed since the last regression ([`Self::column`]).
    columns: Vec<Option<(f64, Vec<f64>)>>,
    last_target: f64,
    last_time: f64,
    max_received: f64,
    best_received: Option<OutcomeId>,
    previous_target: f64,
    rng: JavaRandom,
}

impl Default for IamHagglerOffering {
    fn default() -> Self {
        IamHagglerOffering {
            gp: GpMixture::iam_haggler(),
            levels: (0..LEVELS)
                .map(|i| 1.0 - (i as f64 + 0.5) / (LEVELS as f64 + 1.0))
                .collect(),
            times: (0..TIMES).map(|i| i as f64 / (TIMES - 1) as f64).collect(),
            gain: Vec::new(),
            slot_times: Vec::new(),
            slot_maxima: Vec::new(),
            slot_max: 0.0,
            last_slot: -1,
            means: Vec::new(),
            variances: Vec::new(),
            columns: Vec::new(),
            last_target: 1.0,
            last_time: 0.0,
            max_received: 0.0,
            best_received: None,
            previous_target: 1.0,
            rng: JavaRandom::new(0),
        }
    }
}

/// The error function as gp4j's caller clips it (`±1` beyond `±6`).
fn erf(x: f64) -> f64 {
    if x > 6.0 {
        1.0
    } else if x < -6.0 {
        -1.0
    } else {
        libm::erf(x).clamp(-1.0, 1.0)
    }
}

impl IamHagglerOffering {
    /// Its registry entry, `iam-haggler2011`.
    pub fn entry() -> OfferingEntry {
        OfferingEntry::new(
            "iam-haggler2011",
            "IAMhaggler2011's offering (ANAC 2011): a Gaussian process predicts the \
             opponent's concession; it aims at the agreement of highest expected utility",
            |_: &Params<'_>| -> Box<dyn OfferingStrategy> {
                Box::new(IamHagglerOffering::default())
            },
        )
        .source(
            "Williams, Robu, Gerding and Jennings, Using Gaussian processes to optimise \
             concession in complex negotiations against unknown opponents, IJCAI 2011; \
             IAMhaggler2011, ANAC 2011; GENIUS IAMhaggler2011_Offering",
        )
    }

    /// The first time sample after `time`.
    fn first_future(&self, time: f64) -> usize {
        self.times
            .iter()
            .position(|&s| s > time)
            .unwrap_or(self.times.len())
    }

    /// Regresses the slots' maxima (GENIUS `getTarget`'s regression step); `None` without
    /// data (GENIUS then fails and repeats its last bid).
    fn regress(&mut self, time: f64) -> Option<()> {
        let intercept = *self.slot_maxima.first()?;
        let gradient = 0.9 - intercept;
        let y: Vec<f64> = self
            .slot_maxima
            .iter()
            .zip(&self.slot_times)
            .map(|(u, t)| u - (intercept + gradient * t))
            .collect();
        // Only the times still to come are ever read (GENIUS predicts at all 101; each
        // prediction is independent of the others).
        let from = self.first_future(time);
        let p = self.gp.predict(&self.slot_times, &y, &self.times[from..])?;
        self.means = vec![f64::NAN; from];
        self.means.extend(
            p.mean
                .iter()
                .zip(&self.times[from..])
                .map(|(m, t)| m + (intercept + gradient * t)),
        );
        self.variances = vec![f64::NAN; from];
        self.variances.extend(p.variance);
        self.columns = vec![None; TIMES];
        Some(())
    }

    /// Column `k` of the expected-gain grids (GENIUS `generateProbabilityAccept` times the
    /// gains): the sum of the expected gains of agreeing at time `k` and the expected
    /// cumulative gain of each level. It depends only on the prediction at time `k`, so it
    /// is kept until the next regression.
    fn column(&mut self, k: usize) -> &(f64, Vec<f64>) {
        if self.columns[k].is_none() {
            let interval = 1.0 / LEVELS as f64;
            let above = |u: f64, m: f64, s: f64| 1.0 - 0.5 * (1.0 + erf((u - m) / s));
            let s = (2.0 * self.variances[k]).sqrt();
            let m = self.means[k];
            let min_p = above(self.levels[0] + interval / 2.0, m, s);
            let max_p = above(self.levels[LEVELS - 1] - interval / 2.0, m, s);
            let mut sum = 0.0;
            let mut cumulative = Vec::with_capacity(LEVELS);
            for j in 0..LEVELS {
                let u = self.levels[j];
                let p = above(u, m, s);
                let p1 = above(u - interval / 2.0, m, s);
                let p2 = above(u + interval / 2.0, m, s);
                sum += (p1 - p2) / (max_p - min_p) * self.gain[j][k];
                cumulative.push((p - min_p) / (max_p - min_p) * self.gain[j][k]);
            }
            self.columns[k] = Some((sum, cumulative));
        }
        self.columns[k].as_ref().expect("filled above")
    }

    /// The expected best agreement (time, utility) from the predicted concession (GENIUS
    /// `getExpectedBestAgreement`): the future time whose expected gains sum highest (the
    /// last among equals), and the level of highest expected cumulative gain then.
    fn best_agreement(&mut self, time: f64) -> (f64, f64) {
        let from = self.first_future(time);
        if self.columns.len() != TIMES {
            self.columns = vec![None; TIMES];
        }
        let (mut best_col, mut best_sum) = (from, 0.0);
        for k in from..TIMES {
            let sum = self.column(k).0;
            if sum >= best_sum {
                best_sum = sum;
                best_col = k;
            }
        }
        let mut best_row = 0;
        if best_col < TIMES {
            let mut best_value = 0.0;
            for (j, &v) in self.column(best_col).1.iter().enumerate() {
                if v > best_value {
                    best_value = v;
                    best_row = j;
                }
            }
        }
        (self.times[best_col.min(TIMES - 1)], self.levels[best_row])
    }

    /// GENIUS `getTarget`: the target at `time`, given the utility of the opponent's last
    /// offer.
    fn target(&mut self, offered: f64, time: f64) -> Option<f64> {
        let slot = (time * SLOTS).floor() as i64;
        let mut regress = self.last_slot == -1;
        if slot != self.last_slot {
            if self.last_slot != -1 {
                self.slot_times.push((self.last_slot as f64 + 0.5) / SLOTS);
                self.slot_maxima.push(self.slot_max);
                regress = true;
            }
            self.last_slot = slot;
            self.slot_max = 0.0;
        }
        self.slot_max = self.slot_max.max(offered);
        if slot == 0 {
            return Some(1.0 - time / 2.0);
        }
        if regress {
            self.regress(time)?;
        }
        let (best_time, best_utility) = self.best_agreement(time);
        let target = self.last_target
            + (time - self.last_time) * (best_utility - self.last_target)
                / (best_time - self.last_time);
        self.last_target = target;
        self.last_time = time;
        Some(target)
    }

    /// A random outcome of utility in `[min, max]` (GENIUS `RandomBidCreator`): one value per
    /// issue drawn uniformly; after every 500 failed draws `max` rises by 0.01; once it
    /// reaches 1, any outcome of at least `min` (lowered by 0.01 after every 500 failed
    /// draws). An infeasible outcome is a failed draw.
    fn random_bid(&mut self, space: &OwnSpace, mut min: f64, mut max: f64) -> OutcomeId {
        let mut draws = 0;
        let mut values = vec![0u32; space.n_issues()];
        loop {
            for (v, &c) in values.iter_mut().zip(space.cardinalities()) {
                *v = self.rng.next_int(c as i32) as u32;
            }
            let id = space.id(&values);
            let u = space.utility(id);
            if space.is_feasible(id) && u >= min && (max >= 1.0 || u <= max) {
                return id;
            }
            draws += 1;
            if draws == 500 {
                if max >= 1.0 {
                    min -= 0.01;
                } else {
                    max += 0.01;
                }
                draws = 0;
            }
        }
    }
}

impl OfferingStrategy for IamHagglerOffering {
    fn init(&mut self, setup: &Setup<'_>) -> Result<(), NegotiatorError> {
        let d = setup.space.discount();
        let d = if d == 0.0 { 1.0 } else { d };
        let mut fresh = IamHagglerOffering {
            gp: self.gp.clone(),
            ..IamHagglerOffering::default()
        };
        let (low, high) = (0f64.powf(RISK), 1f64.powf(RISK));
        fresh.gain = fresh
            .levels
            .iter()
            .map(|&u| {
                let risk = (u.powf(RISK) - low) / (high - low);
                fresh.times.iter().map(|&t| risk * d.powf(t)).collect()
            })
            .collect();
        fresh.rng = setup.random();
        *self = fresh;
        Ok(())
    }

    fn opening_bid(&mut self, cx: &Context<'_>, _: &mut dyn OpponentModelStrategy) -> Offering {
        Offering::Bid(cx.space.id_at(0))
    }

    fn next_bid(&mut self, cx: &Context<'_>, oms: &mut dyn OpponentModelStrategy) -> Offering {
        let Some(last) = cx.history.last_received() else {
            return Offering::Bid(cx.space.id_at(0));
        };
        if last.utility > self.max_received {
            self.best_received = Some(last.id);
            self.max_received = last.utility;
        }
        let Some(target) = self.target(last.utility, cx.time) else {
            let repeat = cx.history.last_sent().map_or(cx.space.id_at(0), |b| b.id);
            return Offering::Bid(repeat);
        };
        if let Some(best) = self.best_received
            && target <= self.max_received
            && self.previous_target > self.max_received
        {
            return Offering::Bid(best);
        }
        self.previous_target = target;
        let id = if cx.models.any() {
            pick_near(cx, oms, target)
        } else {
            self.random_bid(cx.space, target - 0.025, target + 0.025)
        };
        Offering::Bid(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An opponent predicted to offer 0.5 at every time, with almost no doubt, undiscounted:
    /// every future time expects the same gain (the last time wins the tie, as in GENIUS),
    /// and the cumulative gain `P(offer >= u) u³` peaks at the highest level below 0.5
    /// (level 51: `1 - 51.5/101`; level 50 is exactly 0.5, which the opponent reaches only
    /// half the time).
    #[test]
    fn best_agreement_by_hand() {
        let mut h = IamHagglerOffering::default();
        h.gain = h.levels.iter().map(|u| vec![u.powf(3.0); TIMES]).collect();
        h.means = vec![0.5; TIMES];
        h.variances = vec![1e-8; TIMES];
        let (t, u) = h.best_agreement(0.3);
        assert_eq!(t, 1.0);
        assert_eq!(u, 1.0 - 51.5 / 101.0);
    }

    /// In the first of the 36 time slots the target is `1 - t/2`; the first regression waits
    /// for the slot to end.
    #[test]
    fn first_slot_target() {
        let mut h = IamHagglerOffering {
            gain: vec![vec![1.0; TIMES]; LEVELS],
            ..IamHagglerOffering::default()
        };
        assert_eq!(h.target(0.4, 0.02), Some(0.99));
        assert!(h.slot_maxima.is_empty());
        assert!(h.target(0.3, 0.05).is_some());
        assert_eq!(h.slot_maxima, [0.4]);
        assert_eq!(h.slot_times, [0.5 / 36.0]);
    }
}
