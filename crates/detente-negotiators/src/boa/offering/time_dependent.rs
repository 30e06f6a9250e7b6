//! The time-dependent offering strategy (Faratin, Sierra and Jennings 1998; GENIUS
//! `TimeDependent_Offering`) and its presets.

use detente_core::NegotiatorError;
use detente_core::registry::{ParamInfo, Params};

use super::{Offering, OfferingEntry, OfferingStrategy};
use crate::TimeBased;
use crate::boa::context::{Context, Setup};
use crate::boa::oms::{OpponentModelStrategy, pick_near};

/// Concedes with time: the target at time `t` is `Pmin + (Pmax - Pmin) (1 - f(t))` with
/// `f(t) = k + (1 - k) t^(1/e)` (`f = k` for `e = 0`), and the bid is the one the
/// opponent-model strategy picks near the target.
///
/// `Pmax` is the smaller of the best utility and `max`, `Pmin` the larger of the reservation
/// value, the worst utility and `min` (never above `Pmax`). Where the port chose: GENIUS's
/// `Pmin` defaults to the worst utility, ignoring the reservation value; the port keeps to
/// the reservation value, as NegMAS's `GTimeDependentOffering` (which takes the worst rational
/// outcome) and detente's time-based negotiators do. Without a model, GENIUS offers the bid
/// *nearest* the target, possibly below it; the port offers the lowest at or above it (as
/// NegMAS does and as detente's `time-based`).
#[derive(Debug, Clone)]
pub struct TimeDependent {
    e: f64,
    k: f64,
    min: f64,
    max: f64,
    pmin: f64,
    pmax: f64,
}

impl TimeDependent {
    /// A strategy with exponent `e`, offset `k` and utility bounds `min`, `max`.
    pub fn new(e: f64, k: f64, min: f64, max: f64) -> Self {
        TimeDependent {
            e,
            k,
            min,
            max,
            pmin: 0.0,
            pmax: 1.0,
        }
    }

    /// The target at time `t`.
    pub fn target(&self, t: f64) -> f64 {
        let f = if self.e <= 0.0 {
            self.k
        } else {
            self.k + (1.0 - self.k) * TimeBased::concession(self.e, t)
        };
        self.pmin + (self.pmax - self.pmin) * (1.0 - f)
    }

    /// Its registry entries: `time-dependent` (any `e`, default 1) and the presets `boulware`
    /// (`e` in `[0, 1]`, default 0.2), `conceder` (`e >= 1`, default 2), `linear` (`e = 1`)
    /// and `hardliner` (`e = 0`).
    pub fn entries() -> Vec<OfferingEntry> {
        let source = "Faratin, Sierra and Jennings 1998; GENIUS TimeDependent_Offering";
        let e = |default, min, max| {
            ParamInfo::new(
                "e",
                default,
                min,
                max,
                "concession exponent (0: never concedes)",
            )
        };
        let with_bounds = |entry: OfferingEntry| {
            entry
                .param(ParamInfo::new("k", 0.0, 0.0, 1.0, "share conceded at once"))
                .param(ParamInfo::new(
                    "min",
                    0.0,
                    -1e6,
                    1e6,
                    "lowest target (the reservation value and worst utility also bound it)",
                ))
                .param(ParamInfo::new(
                    "max",
                    1.0,
                    -1e6,
                    1e6,
                    "highest target (the best utility also bounds it)",
                ))
                .source(source)
        };
        let by_e = |p: &Params<'_>| -> Box<dyn OfferingStrategy> {
            Box::new(TimeDependent::new(
                p.get("e"),
                p.get("k"),
                p.get("min"),
                p.get("max"),
            ))
        };
        let fixed = |e: f64| {
            move |p: &Params<'_>| -> Box<dyn OfferingStrategy> {
                Box::new(TimeDependent::new(
                    e,
                    p.get("k"),
                    p.get("min"),
                    p.get("max"),
                ))
            }
        };
        vec![
            with_bounds(
                OfferingEntry::new(
                    "time-dependent",
                    "concedes from its best utility towards its reservation value as time \
                     passes, at a rate set by e",
                    by_e,
                )
                .param(e(1.0, 0.0, f64::INFINITY)),
            ),
            with_bounds(
                OfferingEntry::new("boulware", "time-dependent with e below 1", by_e)
                    .param(e(0.2, 0.0, 1.0)),
            ),
            with_bounds(
                OfferingEntry::new("conceder", "time-dependent with e above 1", by_e).param(e(
                    2.0,
                    1.0,
                    f64::INFINITY,
                )),
            ),
            with_bounds(OfferingEntry::new(
                "linear",
                "time-dependent with e = 1",
                fixed(1.0),
            )),
            with_bounds(OfferingEntry::new(
                "hardliner",
                "time-dependent with e = 0: never concedes",
                fixed(0.0),
            )),
        ]
    }
}

impl OfferingStrategy for TimeDependent {
    fn init(&mut self, setup: &Setup<'_>) -> Result<(), NegotiatorError> {
        let space = setup.space;
        self.pmax = space.best().min(self.max);
        self.pmin = space
            .reservation()
            .max(space.worst())
            .max(self.min)
            .min(self.pmax);
        Ok(())
    }

    fn next_bid(&mut self, cx: &Context<'_>, oms: &mut dyn OpponentModelStrategy) -> Offering {
        Offering::Bid(pick_near(cx, oms, self.target(cx.time)))
    }
}
