//! The hardliner: never concedes.

use detente_core::{Action, Negotiator, NegotiatorError, Outcome, SessionInfo, State};

use crate::common::{NOT_INITIALISED, Own, default_accept};
use crate::registry::KindEntry;

/// Always offers its best outcome (the first in its sorted table) and accepts only offers at
/// least as good as it (and never below its reservation value).
#[derive(Debug, Clone, Default)]
pub struct Hardliner {
    own: Option<Own>,
}

impl Hardliner {
    /// A hardliner.
    pub fn new() -> Self {
        Self::default()
    }

    /// Its registry entry, `hardliner`.
    pub fn entry() -> KindEntry {
        KindEntry::new(
            "hardliner",
            "always offers its best outcome and accepts nothing worse",
            |_| Box::new(Hardliner::new()),
        )
    }
}

impl Negotiator for Hardliner {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        self.own = Some(Own::new(info, "hardliner")?);
        Ok(())
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        let own = self.own.as_mut().expect(NOT_INITIALISED);
        if let Some(standing) = state.standing {
            let u = own.utility(&standing.outcome);
            if default_accept(u, own.pmax, own.pmax, own.reservation) {
                return Action::Accept;
            }
        }
        Action::Offer(own.outcome_at(0))
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
    use crate::testutil::{pie, state};
    use detente_core::{Offer, Outcome, ScenarioTables};

    #[test]
    fn never_concedes() {
        let s = pie(0.0);
        let tables = ScenarioTables::for_scenario(&s);
        for party in 0..2 {
            let info = SessionInfo {
                party,
                scenario: &s,
                tables: &tables,
                deadline: 10,
                seed: 0,
            };
            let best = Outcome(vec![if party == 0 { 10 } else { 0 }]);
            let mut n = Hardliner::new();
            n.init(&info).unwrap();
            for k in 0..100 {
                let t = f64::from(k) / 100.0;
                for v in 0..=10 {
                    let o = Offer {
                        outcome: Outcome(vec![v]),
                        by: detente_core::Actor::Party(1 - party),
                    };
                    let a = n.act(&state(t, Some(&o)));
                    if o.outcome == best {
                        assert_eq!(a, Action::Accept);
                    } else {
                        assert_eq!(a, Action::Offer(best.clone()), "t={t} v={v}");
                    }
                }
            }
        }
    }
}
