//! Relative tit-for-tat: concede as much as the others have conceded.

use detente_core::{Action, Negotiator, NegotiatorError, Outcome, SessionInfo, State};

use crate::common::{NOT_INITIALISED, Own, default_accept};
use crate::registry::{KindEntry, ParamInfo};

/// Relative tit-for-tat: mirrors the others' concessions, measured in its own utility.
///
/// It starts with its best utility as its target. Whenever another party makes an offer after
/// an earlier offer of its own, that party's concession is how much more the new offer is worth
/// to this negotiator than the party's previous offer (negative when it retreated). On each of
/// its turns it takes the **minimum** of the concessions made since its previous turn, over the
/// parties that made one (so in a multilateral negotiation it concedes no more than the least
/// conceding party), and lowers its target by `factor` times that amount, keeping the target
/// between `max(reservation, worst utility)` and its best utility. A retreat raises the target
/// the same way. Without any new concession the target stays put.
///
/// It offers at the target like [`crate::TimeBased`] (the lowest utility at or above it,
/// first in the table among ties) and accepts by [`default_accept`].
///
/// Two tit-for-tat negotiators facing each other never concede: each waits for the other.
#[derive(Debug, Clone)]
pub struct TitForTat {
    factor: f64,
    own: Option<Own>,
    target: f64,
    /// My utility of each party's latest offer.
    last: Vec<Option<f64>>,
    /// The concession each party made since my previous turn, if any.
    pending: Vec<Option<f64>>,
}

impl TitForTat {
    /// A tit-for-tat negotiator that concedes `factor` times what the others conceded
    /// (finite and at least 0; the registry checks this).
    pub fn new(factor: f64) -> Self {
        TitForTat {
            factor,
            own: None,
            target: f64::NAN,
            last: Vec::new(),
            pending: Vec::new(),
        }
    }

    /// Its registry entry, `tit-for-tat`, with parameter `factor` (default 1, at least 0).
    pub fn entry() -> KindEntry {
        KindEntry::new(
            "tit-for-tat",
            "relative tit-for-tat: concedes as much as the least conceding other party \
             conceded since its last turn, measured in its own utility",
            |p| Box::new(TitForTat::new(p.get("factor"))),
        )
        .param(ParamInfo::new(
            "factor",
            1.0,
            0.0,
            f64::INFINITY,
            "share of the others' concession it mirrors",
        ))
        .source(
            "relative tit-for-tat of Faratin, Sierra and Jennings, Negotiation decision \
             functions for autonomous agents, 1998",
        )
    }

    /// The concession factor.
    pub fn factor(&self) -> f64 {
        self.factor
    }

    /// The current target utility (NaN before `init`).
    pub fn target(&self) -> f64 {
        self.target
    }
}

impl Negotiator for TitForTat {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        let own = Own::new(info, "tit-for-tat")?;
        self.target = own.pmax;
        self.own = Some(own);
        self.last = vec![None; info.n_parties()];
        self.pending = vec![None; info.n_parties()];
        Ok(())
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        let own = self.own.as_mut().expect(NOT_INITIALISED);
        let mut conceded: Option<f64> = None;
        for p in &mut self.pending {
            if let Some(c) = p.take() {
                conceded = Some(conceded.map_or(c, |m: f64| m.min(c)));
            }
        }
        if let Some(c) = conceded {
            self.target = (self.target - self.factor * c).clamp(own.pmin, own.pmax);
        }
        let pos = own.position_for(self.target);
        if let Some(standing) = state.standing {
            let u = own.utility(&standing.outcome);
            if default_accept(u, own.sorted_utility(pos), self.target, own.reservation) {
                return Action::Accept;
            }
        }
        Action::Offer(own.outcome_at(pos))
    }

    fn observe(&mut self, party: usize, action: &Action, _state: &State<'_>) {
        let Action::Offer(outcome) = action else {
            return;
        };
        let Some(own) = self.own.as_ref() else {
            return;
        };
        let u = own.utility(outcome);
        if let Some(prev) = self.last[party] {
            self.pending[party] = Some(u - prev);
        }
        self.last[party] = Some(u);
    }

    fn compare(&mut self, candidate: &Outcome, incumbent: &Outcome) -> Option<std::cmp::Ordering> {
        self.own
            .as_ref()
            .and_then(|o| o.compare(candidate, incumbent))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{pie_fine, state};
    use detente_core::{Offer, Outcome, ScenarioTables};

    /// Against a scripted opponent whose offers are worth 0.0, 0.1, 0.2, ... to it (and then
    /// a retreat), its own offers fall by the same steps (scaled by `factor`).
    #[test]
    fn mirrors_a_scripted_opponent() {
        // pie_fine: one integer issue 0..=64, party 0's utility v / 64 (exact in binary).
        let s = pie_fine(0.0);
        let tables = ScenarioTables::for_scenario(&s);
        let info = crate::testutil::info(0, &s, &tables, 20, 0);
        for factor in [1.0, 0.5] {
            let mut n = TitForTat::new(factor);
            n.init(&info).unwrap();
            let script = [0u32, 8, 16, 24, 20, 30];
            let mut mine = Vec::new();
            for (k, &v) in script.iter().enumerate() {
                let o = Offer {
                    outcome: Outcome(vec![v]),
                    by: detente_core::Actor::Party(1),
                };
                let t = k as f64 / 10.0;
                n.observe(1, &Action::Offer(o.outcome.clone()), &state(t, None));
                match n.act(&state(t, Some(&o))) {
                    Action::Offer(m) => mine.push(m.0[0]),
                    a => panic!("unexpected {a:?}"),
                }
            }
            let expect: Vec<u32> = if factor == 1.0 {
                vec![64, 56, 48, 40, 44, 34]
            } else {
                vec![64, 60, 56, 52, 54, 49]
            };
            assert_eq!(mine, expect, "factor {factor}");
        }
    }

    #[test]
    fn never_below_reservation_and_accepts_at_target() {
        let s = pie_fine(0.625);
        let tables = ScenarioTables::for_scenario(&s);
        let info = crate::testutil::info(0, &s, &tables, 20, 0);
        let mut n = TitForTat::new(1.0);
        n.init(&info).unwrap();
        let see = |n: &mut TitForTat, v: u32| {
            n.observe(1, &Action::Offer(Outcome(vec![v])), &state(0.1, None));
        };
        see(&mut n, 0);
        see(&mut n, 58);
        // Conceded 58/64, but the target stops at the reservation value 40/64.
        assert_eq!(n.target(), 1.0);
        let o = Offer {
            outcome: Outcome(vec![35]),
            by: detente_core::Actor::Party(1),
        };
        let a = n.act(&state(0.2, Some(&o)));
        assert_eq!(n.target(), 0.625);
        assert_eq!(a, Action::Offer(Outcome(vec![40])));
        let o = Offer {
            outcome: Outcome(vec![40]),
            by: detente_core::Actor::Party(1),
        };
        assert_eq!(n.act(&state(0.3, Some(&o))), Action::Accept);
    }
}
