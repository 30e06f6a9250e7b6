//! The single acceptance conditions: against the next bid (`ac-next`), the previous bid
//! (`ac-prev`, `ac-gap`), a constant (`ac-const`), the time (`ac-time`), and the trivial
//! `ac-true` and `ac-false`.

use detente_core::registry::ParamInfo;

use super::{AcceptanceEntry, AcceptanceStrategy, Decision, SOURCE};
use crate::boa::context::{Bid, Context};

fn accept_if(yes: bool) -> Decision {
    if yes {
        Decision::Accept
    } else {
        Decision::Reject
    }
}

/// AC_next(a, b): accept when `a * u(offered) + b >= u(next)`, the utility of the bid it
/// would make now.
#[derive(Debug, Clone, Copy)]
pub struct Next {
    /// Scale of the offer's utility.
    pub a: f64,
    /// Offset added to it.
    pub b: f64,
}

impl AcceptanceStrategy for Next {
    fn decide(&mut self, _: &Context<'_>, offered: &Bid, next: &Bid) -> Decision {
        accept_if(self.a * offered.utility + self.b >= next.utility)
    }
}

/// AC_prev(a, b): accept when `a * u(offered) + b >= u(its previous bid)`; rejects before it
/// has made a bid.
#[derive(Debug, Clone, Copy)]
pub struct Previous {
    /// Scale of the offer's utility.
    pub a: f64,
    /// Offset added to it.
    pub b: f64,
}

impl AcceptanceStrategy for Previous {
    fn decide(&mut self, cx: &Context<'_>, offered: &Bid, _: &Bid) -> Decision {
        let prev = cx.history.last_sent();
        accept_if(prev.is_some_and(|p| self.a * offered.utility + self.b >= p.utility))
    }
}

/// AC_gap(c): accept when `u(offered) + c >= u(its previous bid)`; rejects before it has made
/// a bid.
#[derive(Debug, Clone, Copy)]
pub struct Gap {
    /// The gap.
    pub c: f64,
}

impl AcceptanceStrategy for Gap {
    fn decide(&mut self, cx: &Context<'_>, offered: &Bid, _: &Bid) -> Decision {
        let prev = cx.history.last_sent();
        accept_if(prev.is_some_and(|p| offered.utility + self.c >= p.utility))
    }
}

/// AC_const(c): accept when `u(offered) > c`.
#[derive(Debug, Clone, Copy)]
pub struct Const {
    /// The threshold.
    pub c: f64,
}

impl AcceptanceStrategy for Const {
    fn decide(&mut self, _: &Context<'_>, offered: &Bid, _: &Bid) -> Decision {
        accept_if(offered.utility > self.c)
    }
}

/// AC_time(T): accept anything once the time is past `T`.
#[derive(Debug, Clone, Copy)]
pub struct Time {
    /// The time after which it accepts.
    pub t: f64,
}

impl AcceptanceStrategy for Time {
    fn decide(&mut self, cx: &Context<'_>, _: &Bid, _: &Bid) -> Decision {
        accept_if(cx.time > self.t)
    }
}

/// Always accepts (`ac-true`) or never (`ac-false`).
#[derive(Debug, Clone, Copy)]
pub struct Fixed(pub Decision);

impl AcceptanceStrategy for Fixed {
    fn decide(&mut self, _: &Context<'_>, _: &Bid, _: &Bid) -> Decision {
        self.0
    }
}

fn a() -> ParamInfo {
    ParamInfo::new("a", 1.0, 0.0, f64::INFINITY, "scale of the offer's utility")
}

fn b() -> ParamInfo {
    ParamInfo::new("b", 0.0, -1.0, 1.0, "offset added to the scaled utility")
}

pub(super) fn entries() -> Vec<AcceptanceEntry> {
    vec![
        AcceptanceEntry::new(
            "ac-next",
            "accepts when a * u(offer) + b is at least the utility of the bid it would make now",
            |p| {
                Box::new(Next {
                    a: p.get("a"),
                    b: p.get("b"),
                })
            },
        )
        .param(a())
        .param(b())
        .source(SOURCE),
        AcceptanceEntry::new(
            "ac-prev",
            "accepts when a * u(offer) + b is at least the utility of its previous bid",
            |p| {
                Box::new(Previous {
                    a: p.get("a"),
                    b: p.get("b"),
                })
            },
        )
        .param(a())
        .param(b())
        .source(SOURCE),
        AcceptanceEntry::new(
            "ac-gap",
            "accepts when u(offer) + c is at least the utility of its previous bid",
            |p| Box::new(Gap { c: p.get("c") }),
        )
        .param(ParamInfo::new("c", 0.01, -1.0, 1.0, "the gap"))
        .source(SOURCE),
        AcceptanceEntry::new("ac-const", "accepts an offer of utility above c", |p| {
            Box::new(Const { c: p.get("c") })
        })
        .param(ParamInfo::new("c", 0.9, -1e6, 1e6, "the threshold"))
        .source(SOURCE),
        AcceptanceEntry::new("ac-time", "accepts anything once the time is past t", |p| {
            Box::new(Time { t: p.get("t") })
        })
        .param(ParamInfo::new(
            "t",
            0.99,
            0.0,
            1.0,
            "the time after which it accepts",
        ))
        .source(SOURCE),
        AcceptanceEntry::new("ac-true", "accepts every offer", |_| {
            Box::new(Fixed(Decision::Accept))
        })
        .source(SOURCE),
        AcceptanceEntry::new("ac-false", "accepts nothing", |_| {
            Box::new(Fixed(Decision::Reject))
        })
        .source(SOURCE),
    ]
}
