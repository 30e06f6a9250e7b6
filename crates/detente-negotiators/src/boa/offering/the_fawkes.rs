//! TheFawkes (ANAC 2013 winner): the offering strategy (GENIUS `Fawkes_Offering`, with the
//! concession forecast of `TheFawkes_OM`, [`super::fawkes_forecast`]).
//!
//! It opens with its best outcome (and bids it until the opponent has made two bids). Then, on
//! every call, it forecasts the opponent's concession: the utilities of the opponent's bids by
//! time index (`floor(t × rounds)`), their Daubechies wavelet transform smoothed by a cubic
//! spline (`alpha`), and the spread of the spline's ratio to the utilities. It looks ahead
//! from now in steps of the largest gap between the opponent's bids (at most 0.1), ten steps
//! (to time 1 at most), comparing the discounted forecast `alpha(index) (1 + sd(ratio))` with
//! its reserved utility `rv + (1 - t^(1/β)) (best · d^ν - rv)`, discounted alike: the time and
//! forecast of the largest surplus (optimist), else of the smallest gap when the forecast
//! divided by `ρ` beats the reserved utility (pessimist), else none. Its target is the
//! reserved utility now when there is none, else the line from that point through its
//! previous bid, read at now. It bids among all outcomes at or above
//! `(1 - t/10 - c / (10 · own bids)) × target` (`c` the opponent-model strategy's count of
//! second-best picks), choosing by the opponent-model strategy.
//!
//! Where the port follows GENIUS's code rather than its intent (each kept, see
//! docs/negotiators.md): the bid list is GENIUS's `getBidsinRange`, whose binary search may
//! leave out a few outcomes near the bound (or give the best outcome alone when the bound is
//! above it); the time of its previous bid is the time of the last turn on which that outcome
//! was returned by this strategy (GENIUS stamps the shared `BidDetails` of the outcome space,
//! and its acceptance condition asks for a second bid on every turn).

use std::collections::HashMap;

use detente_core::registry::{ParamInfo, Params};
use detente_core::{NegotiatorError, OutcomeId};

use super::fawkes_forecast::{Forecast, forecast, max_gap, standard_deviation};
use super::{Offering, OfferingEntry, OfferingStrategy};
use crate::boa::context::{Context, Setup};
use crate::boa::fawkes_oms::TheFawkesOms;
use crate::boa::oms::{OpponentModelStrategy, pick_among};

/// Java's `Double.MIN_VALUE`: the smallest positive double (GENIUS's start of the largest
/// surplus, so a surplus must be positive to count).
const JAVA_MIN_VALUE: f64 = f64::from_bits(1);

/// At most this many look-ahead steps (GENIUS's loop takes 10 or 11; the cap only stops a gap
/// too small to move the time, on which GENIUS's loop never ends).
const MAX_STEPS: usize = 64;

/// TheFawkes's offering strategy; see the module docs.
#[derive(Debug, Clone)]
pub struct TheFawkesOffering {
    beta: f64,
    rho: f64,
    nu: f64,
    /// Time indices per unit of normalised time (GENIUS's rounds: the deadline in rounds).
    factor: f64,
    discount: f64,
    /// When each outcome was last returned by this strategy (GENIUS's `BidDetails.setTime` on
    /// the outcome space's shared objects).
    stamps: HashMap<OutcomeId, f64>,
    /// The forecast and the spread of its ratios, with the number of bids it was made from.
    forecast: Option<(usize, Forecast, f64)>,
}

impl TheFawkesOffering {
    /// TheFawkes's offering strategy with concession rate `beta`, tolerance `rho` and risk
    /// factor `nu`.
    pub fn new(beta: f64, rho: f64, nu: f64) -> Self {
        TheFawkesOffering {
            beta,
            rho,
            nu,
            factor: 1.0,
            discount: 1.0,
            stamps: HashMap::new(),
            forecast: None,
        }
    }

    /// Its registry entry, `the-fawkes`.
    pub fn entry() -> OfferingEntry {
        OfferingEntry::new(
            "the-fawkes",
            "TheFawkes's: forecasts the opponent's concession with a wavelet transform of its \
             offers smoothed by a cubic spline, aims at the best forecast point above its \
             reserved-utility curve, bids what the opponent model rates highest above it",
            |p: &Params<'_>| {
                Box::new(TheFawkesOffering::new(
                    p.get("beta"),
                    p.get("rho"),
                    p.get("nu"),
                ))
            },
        )
        .param(ParamInfo::new(
            "beta",
            0.002,
            1e-9,
            1e9,
            "concession rate of the reserved utility rv + (1 - t^(1/beta)) (best d^nu - rv)",
        ))
        .param(ParamInfo::new(
            "rho",
            0.8,
            1e-9,
            1e9,
            "tolerance: a pessimistic forecast counts when forecast / rho beats the reserved \
             utility",
        ))
        .param(ParamInfo::new(
            "nu",
            0.2,
            0.0,
            1e9,
            "risk factor: the reserved utility starts at best × d^nu (d the discount factor)",
        ))
        .source(
            "TheFawkes (TU Delft), ANAC 2013 winner; GENIUS Fawkes_Offering, TheFawkes_OM \
             (JWave Daubechies transform, SSJ SmoothingCubicSpline)",
        )
    }

    /// The bid returned on this call, stamped with the time (GENIUS `setTime`).
    fn stamp(&mut self, id: OutcomeId, t: f64) -> Offering {
        self.stamps.insert(id, t);
        Offering::Bid(id)
    }

    /// The forecast from the bids received so far (recomputed when a bid came in).
    fn update_forecast(&mut self, cx: &Context<'_>) {
        let received = cx.history.received();
        if self.forecast.as_ref().map(|f| f.0) != Some(received.len()) {
            let f = forecast(received, self.factor);
            let sd = standard_deviation(&f.ratio);
            self.forecast = Some((received.len(), f, sd));
        }
    }

    /// The reserved utility at `t` (formula 7 of the agent's description).
    fn reserved(&self, cx: &Context<'_>, t: f64) -> f64 {
        let rv = cx.space.reservation();
        let best = cx.space.best();
        rv + (1.0 - t.powf(1.0 / self.beta)) * ((best * self.discount.powf(self.nu)) - rv)
    }

    /// The utility forecast for `t` (formula 8).
    fn estimated(&self, t: f64) -> f64 {
        let (_, f, sd) = self.forecast.as_ref().expect("forecast made first");
        let index = (t * self.factor).floor() as i32;
        f.alpha.evaluate(f64::from(index)) * (1.0 + sd)
    }

    fn discounted(&self, u: f64, t: f64) -> f64 {
        u * self.discount.powf(t)
    }

    /// The target utility of this turn (GENIUS `getTargetUtility`).
    // long: GENIUS's look-ahead loop and the choice after it, kept together as in the Java
    fn target(&mut self, cx: &Context<'_>) -> f64 {
        self.update_forecast(cx);
        let now = cx.time;
        let gap = max_gap(cx.history.received());
        let (mut max_diff, mut min_diff) = (JAVA_MIN_VALUE, f64::MAX);
        let (mut opt_t, mut opt_u, mut pes_t, mut pes_u) = (0.0, 0.0, 0.0, 0.0);
        let bound = (now + gap * 10.0).min(1.0);
        let mut time = now;
        let mut steps = 0;
        while time < bound && steps < MAX_STEPS {
            let reserved = self.discounted(self.reserved(cx, time), time);
            let estimated = self.estimated(time);
            let discounted = self.discounted(estimated, time);
            let diff = discounted - reserved;
            if discounted >= reserved && diff > max_diff {
                max_diff = diff;
                opt_t = time;
                opt_u = estimated;
            }
            if max_diff == JAVA_MIN_VALUE && diff.abs() < min_diff {
                min_diff = diff.abs();
                pes_t = time;
                pes_u = estimated;
            }
            let next = time + gap;
            if next == time {
                break;
            }
            time = next;
            steps += 1;
        }
        let (est_t, est_u) = if max_diff == JAVA_MIN_VALUE {
            let xsi = (self.rho.powf(-1.0) * self.discounted(pes_u, pes_t))
                / self.discounted(self.reserved(cx, pes_t), pes_t);
            if xsi > 1.0 {
                (pes_t, pes_u)
            } else {
                (-1.0, -1.0)
            }
        } else {
            (opt_t, opt_u)
        };
        if est_u == -1.0 {
            return self.reserved(cx, now);
        }
        let prev = cx.history.last_sent().expect("checked by the caller");
        let prev_time = self.stamps.get(&prev.id).copied().unwrap_or(prev.time);
        let factor = (now - est_t) / (prev_time - est_t);
        est_u + (prev.utility - est_u) * factor
    }
}

/// The positions `[0, n)` of the sorted table GENIUS's `SortedOutcomeSpace.getBidsinRange`
/// returns for the range `[low, Double.MAX_VALUE]`, its binary search transcribed.
pub(crate) fn bids_in_range(sorted: &[f64], low: f64) -> std::ops::Range<usize> {
    let upper = search_index_with(sorted, f64::MAX);
    let upper = if sorted[upper] <= f64::MAX && upper > 0 {
        upper - 1
    } else {
        upper
    };
    let mut lower = search_index_with(sorted, low);
    if sorted[lower] >= low && lower < sorted.len() {
        lower += 1;
    }
    if lower == upper {
        lower..lower + 1
    } else {
        upper..lower
    }
}

/// GENIUS's `SortedOutcomeSpace.searchIndexWith` over utilities sorted best first.
fn search_index_with(sorted: &[f64], value: f64) -> usize {
    let (mut low, mut high) = (0usize, sorted.len() - 1);
    let (mut middle, mut last): (Option<usize>, Option<usize>) = (None, Some(0));
    while last != middle {
        last = middle;
        let m = (low + high) / 2;
        middle = Some(m);
        let u = sorted[m];
        if u == value {
            return m;
        }
        if u < value {
            high = m;
        }
        if u > value {
            low = m;
        }
    }
    middle.expect("the loop runs")
}

impl OfferingStrategy for TheFawkesOffering {
    fn init(&mut self, setup: &Setup<'_>) -> Result<(), NegotiatorError> {
        self.factor = f64::from(setup.info.deadline);
        self.discount = setup.space.discount();
        if self.discount == 0.0 {
            self.discount = 1.0;
        }
        self.stamps.clear();
        self.forecast = None;
        Ok(())
    }

    fn opening_bid(&mut self, cx: &Context<'_>, _: &mut dyn OpponentModelStrategy) -> Offering {
        self.stamp(cx.space.id_at(0), cx.time)
    }

    fn next_bid(&mut self, cx: &Context<'_>, oms: &mut dyn OpponentModelStrategy) -> Offering {
        // GENIUS needs its own previous bid here (a bilateral agent always has one once the
        // opponent made two bids); without one it opens.
        if cx.history.received().len() <= 1 || cx.history.sent().is_empty() {
            return self.opening_bid(cx, oms);
        }
        let target = self.target(cx);
        let time_correction = 1.0 - (cx.time / 10.0);
        let count = oms
            .shared()
            .and_then(|s| s.downcast_ref::<TheFawkesOms>())
            .map_or(1, TheFawkesOms::second_best_count);
        let inertia = f64::from(count) / (cx.history.sent().len() as f64 * 10.0);
        let low = (time_correction - inertia) * target;
        let table = cx.space.table();
        let range = bids_in_range(&table.sorted, low);
        let id = if range.is_empty() {
            cx.history.last_sent().expect("checked above").id
        } else {
            pick_among(cx, oms, &table.order[range])
        };
        self.stamp(id, cx.time)
    }

    fn next_bid_again(
        &mut self,
        cx: &Context<'_>,
        oms: &mut dyn OpponentModelStrategy,
    ) -> Option<Offering> {
        Some(self.next_bid(cx, oms))
    }
}
