//! TheFawkes's acceptance condition (GENIUS `AC_TheFawkes`, ANAC 2013 winner).

use detente_core::NegotiatorError;
use detente_core::registry::{ParamInfo, Params};

use super::{AcceptanceEntry, AcceptanceStrategy, Decision};
use crate::boa::context::{Bid, Context, Setup};
use crate::boa::offering::fawkes_forecast::max_gap;

/// AC_combi as TheFawkes states it: reject an offer below its mean utility over all outcomes;
/// accept one at least as good as its next bid (the offering strategy asked a second time, as
/// GENIUS's condition calls `determineNextBid` again); from time `1 - g` (`g` the largest gap
/// between the opponent's bids, at most 0.1), accept one at least as good as the best offer
/// (above 0) received in the last `10 g` of time.
///
/// With `first = 1` (the default) the offer it judges is the opponent's **first** bid, as in
/// GENIUS: TheFawkes's model sorts GENIUS's opponent history newest first *in place*
/// (`BidHistory.sortToTime`), so the condition's "last bid" is the oldest; it still accepts
/// the offer on the table. `first = 0` judges the offer on the table, as the condition's
/// description says.
#[derive(Debug, Clone, Default)]
pub struct TheFawkesAcceptance {
    first: bool,
    minimum: f64,
}

impl TheFawkesAcceptance {
    /// The condition, judging the opponent's first bid when `first`.
    pub fn new(first: bool) -> Self {
        TheFawkesAcceptance {
            first,
            minimum: 0.0,
        }
    }
}

/// Its registry entry, `ac-the-fawkes`.
pub(super) fn entry() -> AcceptanceEntry {
    AcceptanceEntry::new(
        "ac-the-fawkes",
        "TheFawkes's: never below its mean utility; an offer at least its next bid, or near the \
         deadline at least the best received lately",
        |p: &Params<'_>| Box::new(TheFawkesAcceptance::new(p.get("first") != 0.0)),
    )
    .param(ParamInfo::new(
        "first",
        1.0,
        0.0,
        1.0,
        "1: judge the opponent's first bid, as GENIUS does (its history sorted newest first \
         in place); 0: the offer on the table",
    ))
    .source("TheFawkes (TU Delft), ANAC 2013 winner; GENIUS AC_TheFawkes")
}

impl AcceptanceStrategy for TheFawkesAcceptance {
    fn init(&mut self, setup: &Setup<'_>) -> Result<(), NegotiatorError> {
        let table = setup.space.table();
        let mut total = 0.0;
        for &u in &table.sorted {
            total += u;
        }
        self.minimum = total / table.sorted.len() as f64;
        Ok(())
    }

    fn asks_next_bid(&self) -> bool {
        true
    }

    fn decide(&mut self, cx: &Context<'_>, offered: &Bid, next: &Bid) -> Decision {
        let judged = match cx.history.received().first() {
            Some(first) if self.first => first.utility,
            _ => offered.utility,
        };
        if judged < self.minimum {
            return Decision::Reject;
        }
        if judged >= next.utility {
            return Decision::Accept;
        }
        let gap = max_gap(cx.history.received());
        if cx.time >= 1.0 - gap {
            let from = cx.time - gap * 10.0;
            let best = cx
                .history
                .received()
                .iter()
                .filter(|b| {
                    0.0 < b.utility && b.utility <= 1.1 && from < b.time && b.time <= cx.time
                })
                .map(|b| b.utility)
                .fold(None, |m: Option<f64>, u| Some(m.map_or(u, |m| m.max(u))));
            // GENIUS fails (a null best bid) when no bid is in the window; detente rejects.
            if best.is_some_and(|best| judged >= best) {
                return Decision::Accept;
            }
        }
        Decision::Reject
    }
}
