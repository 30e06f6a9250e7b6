//! The combined acceptance conditions: AC_next, or, late in the talks, an offer at least as
//! good as what waiting may still bring (AC_combi; Baarslag et al. 2011 §4.2).

use detente_core::registry::ParamInfo;

use super::{AcceptanceEntry, AcceptanceStrategy, Decision, SOURCE};
use crate::boa::context::{Bid, Context};

/// AC_combi(a, b, T) as GENIUS's `AC_Combi`: AC_next(a, b), or any offer once the time is at
/// least `T`.
#[derive(Debug, Clone, Copy)]
pub struct Combi {
    /// Scale of the offer's utility.
    pub a: f64,
    /// Offset added to it.
    pub b: f64,
    /// The time from which it accepts anything.
    pub t: f64,
}

impl AcceptanceStrategy for Combi {
    fn decide(&mut self, cx: &Context<'_>, offered: &Bid, next: &Bid) -> Decision {
        if self.a * offered.utility + self.b >= next.utility || cx.time >= self.t {
            Decision::Accept
        } else {
            Decision::Reject
        }
    }
}

/// What AC_combi(T, ·^W) expects from waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// MAX^W: the best offer received in the window.
    Max,
    /// AVG^W: the average of the offers received in the window.
    Avg,
}

/// AC_combi(T, MAX^W) and AC_combi(T, AVG^W) (GENIUS `AC_CombiMaxInWindow`,
/// `AC_CombiAvg`): accept when AC_next holds; before time `T` reject otherwise; from `T` on,
/// accept an offer at least as good as the best (or average) utility of the offers received
/// in the window `(t - (1 - t), t]`, as long as the time left (0 when none was received).
///
/// Where the port chose: GENIUS's window filter also drops received offers of utility exactly
/// 0; the port keeps them, as the paper's definition does. NegMAS 0.16's `GACCombiMaxInWindow`
/// places past offers at evenly spread guessed times instead of their real ones, and its
/// `GACCombiAvg` averages every offer received, not the window's.
#[derive(Debug, Clone, Copy)]
pub struct CombiWindow {
    /// The time from which the window rule applies.
    pub t: f64,
    /// Best or average of the window.
    pub window: Window,
}

impl AcceptanceStrategy for CombiWindow {
    fn decide(&mut self, cx: &Context<'_>, offered: &Bid, next: &Bid) -> Decision {
        if offered.utility >= next.utility {
            return Decision::Accept;
        }
        let now = cx.time;
        if now < self.t {
            return Decision::Reject;
        }
        let from = now - (1.0 - now);
        let recent = cx
            .history
            .received()
            .iter()
            .filter(|b| b.time > from && b.time <= now)
            .map(|b| b.utility);
        let expected = match self.window {
            Window::Max => recent.fold(0.0, f64::max),
            Window::Avg => {
                let (sum, n) = recent.fold((0.0, 0usize), |(s, n), u| (s + u, n + 1));
                if n == 0 { 0.0 } else { sum / n as f64 }
            }
        };
        if offered.utility >= expected {
            Decision::Accept
        } else {
            Decision::Reject
        }
    }
}

fn t(default: f64) -> ParamInfo {
    ParamInfo::new(
        "t",
        default,
        0.0,
        1.0,
        "the time from which the late rule applies",
    )
}

pub(super) fn entries() -> Vec<AcceptanceEntry> {
    vec![
        AcceptanceEntry::new(
            "ac-combi",
            "AC_next(a, b), or any offer from time t on",
            |p| {
                Box::new(Combi {
                    a: p.get("a"),
                    b: p.get("b"),
                    t: p.get("t"),
                })
            },
        )
        .param(ParamInfo::new(
            "a",
            1.0,
            0.0,
            f64::INFINITY,
            "scale of the offer's utility",
        ))
        .param(ParamInfo::new(
            "b",
            0.0,
            -1.0,
            1.0,
            "offset added to the scaled utility",
        ))
        .param(t(0.99))
        .source(SOURCE),
        AcceptanceEntry::new(
            "ac-combi-max-w",
            "AC_next, or from time t on an offer at least as good as the best received in the \
             window of the time left (AC_combi(T, MAX^W))",
            |p| {
                Box::new(CombiWindow {
                    t: p.get("t"),
                    window: Window::Max,
                })
            },
        )
        .param(t(0.98))
        .source(SOURCE),
        AcceptanceEntry::new(
            "ac-combi-avg-w",
            "AC_next, or from time t on an offer at least as good as the average received in \
             the window of the time left (AC_combi(T, AVG^W))",
            |p| {
                Box::new(CombiWindow {
                    t: p.get("t"),
                    window: Window::Avg,
                })
            },
        )
        .param(t(0.98))
        .source(SOURCE),
    ]
}
