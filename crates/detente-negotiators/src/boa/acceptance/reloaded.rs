//! TheNegotiatorReloaded's acceptance condition (GENIUS `AC_TheNegotiatorReloaded`, ANAC
//! 2012), with GENIUS's default parameters.

use detente_core::NegotiatorError;
use detente_core::registry::{ParamInfo, Params};

use super::{AcceptanceEntry, AcceptanceStrategy, Decision};
use crate::boa::context::{Bid, Context, Setup};

/// TheNegotiatorReloaded's acceptance condition: walks away when its next bid is worth no
/// more than its (discounted) reservation value; accepts an offer of at least `c`, or
/// AC_next(`a`, `b`) (AC_next(`ad`, `bd`) when the talks are discounted by a factor below
/// 0.95, walking away instead when the factor is at most 0.4 and the discounted reservation
/// value above 0.85); in discounted talks after time `t`, accepts an offer at least as good
/// as the best received in the time left before now (0.5 when none).
#[derive(Debug, Clone)]
pub struct NegotiatorReloadedAcceptance {
    a: f64,
    b: f64,
    ad: f64,
    bd: f64,
    c: f64,
    t: f64,
    discounted: bool,
    high_discount: bool,
}

impl AcceptanceStrategy for NegotiatorReloadedAcceptance {
    fn init(&mut self, setup: &Setup<'_>) -> Result<(), NegotiatorError> {
        let d = setup.space.discount();
        self.discounted = d > 0.001 && d < 0.95;
        self.high_discount = self.discounted && d <= 0.4;
        Ok(())
    }

    fn decide(&mut self, cx: &Context<'_>, offered: &Bid, next: &Bid) -> Decision {
        let now = cx.time;
        let reservation = cx.space.discounted(cx.space.reservation(), now);
        if cx.space.discounted(next.utility, now) <= reservation {
            return Decision::End;
        }
        let u = offered.utility;
        if u >= self.c {
            return Decision::Accept;
        }
        if !self.discounted {
            if self.a * u + self.b >= next.utility {
                return Decision::Accept;
            }
        } else {
            if self.high_discount && reservation > 0.85 {
                return Decision::End;
            }
            if self.ad * u + self.bd >= next.utility {
                return Decision::Accept;
            }
        }
        if self.discounted && now > self.t {
            let left = 1.0 - now;
            let best = cx
                .history
                .received()
                .iter()
                .filter(|b| now - left < b.time && b.time <= now)
                .filter(|b| 0.0 < b.utility && b.utility <= 1.1)
                .map(|b| b.utility)
                .reduce(f64::max)
                .unwrap_or(0.5);
            if u >= best {
                return Decision::Accept;
            }
        }
        Decision::Reject
    }
}

pub(super) fn entry() -> AcceptanceEntry {
    AcceptanceEntry::new(
        "ac-negotiator-reloaded",
        "TheNegotiatorReloaded's: walks away below its reservation value; accepts above a \
         constant, by AC_next (stricter under a discount), and near the deadline of \
         discounted talks what waiting is not expected to beat",
        |p: &Params<'_>| -> Box<dyn AcceptanceStrategy> {
            Box::new(NegotiatorReloadedAcceptance {
                a: p.get("a"),
                b: p.get("b"),
                ad: p.get("ad"),
                bd: p.get("bd"),
                c: p.get("c"),
                t: p.get("t"),
                discounted: false,
                high_discount: false,
            })
        },
    )
    .param(ParamInfo::new(
        "a",
        1.0,
        0.0,
        1e6,
        "AC_next's scale, undiscounted",
    ))
    .param(ParamInfo::new(
        "b",
        0.0,
        -1.0,
        1.0,
        "AC_next's offset, undiscounted",
    ))
    .param(ParamInfo::new(
        "ad",
        1.05,
        0.0,
        1e6,
        "AC_next's scale, discounted",
    ))
    .param(ParamInfo::new(
        "bd",
        0.0,
        -1.0,
        1.0,
        "AC_next's offset, discounted",
    ))
    .param(ParamInfo::new(
        "c",
        0.98,
        -1e6,
        1e6,
        "the utility always accepted",
    ))
    .param(ParamInfo::new(
        "t",
        0.99,
        0.0,
        1.0,
        "the time after which AC_max^W applies",
    ))
    .source("TheNegotiatorReloaded, ANAC 2012; GENIUS AC_TheNegotiatorReloaded")
}
