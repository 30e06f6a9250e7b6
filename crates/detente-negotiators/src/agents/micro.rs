//! MiCRO (de Jonge, "An analysis of the linear bilateral ANAC domains using the MiCRO
//! benchmark strategy", IJCAI 2022): concede one outcome at a time, and only in reply to a
//! new offer of the opponent.

use std::collections::HashSet;

use detente_core::{Action, Negotiator, NegotiatorError, Outcome, OutcomeId, SessionInfo, State};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::require_bilateral;
use crate::common::{NOT_INITIALISED, Own};
use crate::registry::KindEntry;

/// MiCRO: *Minimal Concession in Reply to new Offers*.
///
/// It walks its outcomes from best to worst (its sorted table; ties in id order), stopping at
/// its reservation value. With `m` the number of different outcomes it has proposed and `n`
/// the number of different outcomes the opponent has proposed (the offer on the table
/// included):
///
/// - **offer**: when `m <= n` and its next outcome (the `m + 1`-th) is at or above its
///   reservation value, it proposes that outcome; otherwise it repeats one of its `m`
///   proposals, drawn uniformly from its own `ChaCha8Rng` seeded with [`SessionInfo::seed`].
///   With no outcome at or above its reservation value it ends the negotiation.
/// - **accept**: an offer whose utility is at least `max(u(w_low), rv)`, where `w_low` is the
///   lowest outcome it is now willing to propose: its next outcome when it would propose it,
///   else its lowest proposal so far.
///
/// Bilateral only (as published): in a negotiation of more parties `init` fails with a
/// negotiator fault saying so. It ignores time (it needs the deadline only through the
/// protocol ending the talks).
#[derive(Debug, Clone, Default)]
pub struct Micro {
    state: Option<MicroState>,
}

#[derive(Debug, Clone)]
struct MicroState {
    own: Own,
    /// How many outcomes are at or above the reservation value: a prefix of the sorted table.
    rational: usize,
    /// `m`: the different outcomes proposed so far, which are the first `m` of the table.
    proposed: usize,
    /// The different outcomes the opponent has proposed.
    received: HashSet<OutcomeId>,
    rng: ChaCha8Rng,
}

impl MicroState {
    /// Whether its next offer is a new outcome (the `m + 1`-th of its table).
    fn concedes(&self) -> bool {
        self.proposed <= self.received.len() && self.proposed < self.rational
    }

    /// The lowest utility it accepts: that of the lowest outcome it is now willing to propose,
    /// and never below its reservation value.
    fn threshold(&self) -> f64 {
        let sorted = &self.own.table.sorted;
        let low = if self.concedes() {
            sorted[self.proposed]
        } else if self.proposed > 0 {
            sorted[self.proposed - 1]
        } else {
            self.own.reservation
        };
        low.max(self.own.reservation)
    }

    fn receive(&mut self, outcome: &Outcome) {
        self.received.insert(self.own.id(outcome));
    }
}

impl Micro {
    /// A MiCRO negotiator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Its registry entry, `micro`.
    pub fn entry() -> KindEntry {
        KindEntry::new(
            "micro",
            "MiCRO: proposes its outcomes from best to worst, a new one only when the opponent \
             has proposed as many different ones; accepts what is at least as good as the \
             lowest it would propose now (bilateral)",
            |_| Box::new(Micro::new()),
        )
        .source(
            "de Jonge, An analysis of the linear bilateral ANAC domains using the MiCRO \
             benchmark strategy, IJCAI 2022",
        )
        .bilateral()
    }
}

impl Negotiator for Micro {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        require_bilateral(info, "MiCRO")?;
        let own = Own::new(info, "MiCRO")?;
        let rational = own.table.sorted.partition_point(|&u| u >= own.reservation);
        self.state = Some(MicroState {
            own,
            rational,
            proposed: 0,
            received: HashSet::new(),
            rng: ChaCha8Rng::seed_from_u64(info.seed),
        });
        Ok(())
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        let s = self.state.as_mut().expect(NOT_INITIALISED);
        if let Some(standing) = state.standing {
            s.receive(&standing.outcome);
            if s.own.utility(&standing.outcome) >= s.threshold() {
                return Action::Accept;
            }
        }
        if s.concedes() {
            s.proposed += 1;
            return Action::Offer(s.own.outcome_at(s.proposed - 1));
        }
        if s.proposed == 0 {
            return Action::End;
        }
        let pos = s.rng.random_range(0..s.proposed);
        Action::Offer(s.own.outcome_at(pos))
    }

    fn observe(&mut self, _party: usize, action: &Action, _state: &State<'_>) {
        if let (Some(s), Action::Offer(outcome)) = (self.state.as_mut(), action) {
            s.receive(outcome);
        }
    }

    fn compare(&mut self, candidate: &Outcome, incumbent: &Outcome) -> Option<std::cmp::Ordering> {
        self.state
            .as_ref()
            .and_then(|s| s.own.compare(candidate, incumbent))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{pie, state};
    use detente_core::{Actor, Offer, ScenarioTables};

    fn offer(v: u32) -> Offer {
        Offer {
            outcome: Outcome(vec![v]),
            by: Actor::Party(1),
        }
    }

    /// Splitting 10 units with reservation 0.65 (party 0's utility of `v` is `v / 10`): its
    /// rational outcomes are 10, 9, 8, 7.
    #[test]
    fn concedes_one_step_per_new_offer_and_accepts_at_its_lowest_willing() {
        let s = pie(0.65);
        let tables = ScenarioTables::for_scenario(&s);
        let info = crate::testutil::info(0, &s, &tables, 100, 3);
        let mut n = Micro::new();
        n.init(&info).unwrap();
        // m = 0 <= n = 0: proposes its best.
        assert_eq!(n.act(&state(0.0, None)), Action::Offer(Outcome(vec![10])));
        // The opponent offers 2 (n = 1): threshold u(9) = 0.9; rejects 0.2, proposes 9.
        assert_eq!(
            n.act(&state(0.1, Some(&offer(2)))),
            Action::Offer(Outcome(vec![9]))
        );
        // The opponent repeats 2 (n = 1 < m = 2): no concession; it repeats 10 or 9, and its
        // threshold is its lowest proposal, 9.
        let a = n.act(&state(0.2, Some(&offer(2))));
        assert!(
            matches!(&a, Action::Offer(o) if o.0[0] == 10 || o.0[0] == 9),
            "{a:?}"
        );
        // New offers 3, 4 (n = 3): proposes 8, then 7 (m = 4), its last rational outcome.
        assert_eq!(
            n.act(&state(0.3, Some(&offer(3)))),
            Action::Offer(Outcome(vec![8]))
        );
        assert_eq!(
            n.act(&state(0.4, Some(&offer(4)))),
            Action::Offer(Outcome(vec![7]))
        );
        // n = 4 = m, but 6 is below 0.65: it repeats, so its threshold stays u(7) = 0.7, and
        // an offer of 6 (0.6) is rejected although it is a new one.
        let a = n.act(&state(0.5, Some(&offer(6))));
        assert!(matches!(&a, Action::Offer(o) if o.0[0] >= 7), "{a:?}");
        assert_eq!(n.act(&state(0.6, Some(&offer(7)))), Action::Accept);
    }

    #[test]
    fn accepts_the_next_outcome_it_would_propose() {
        let s = pie(0.0);
        let tables = ScenarioTables::for_scenario(&s);
        let info = crate::testutil::info(0, &s, &tables, 100, 0);
        let mut n = Micro::new();
        n.init(&info).unwrap();
        assert_eq!(n.act(&state(0.0, None)), Action::Offer(Outcome(vec![10])));
        // Ready to concede (m = 1 <= n = 1): it would propose 9 next, so 9 is accepted.
        assert_eq!(n.act(&state(0.1, Some(&offer(9)))), Action::Accept);
    }

    #[test]
    fn refuses_more_than_two_parties() {
        let mut s = pie(0.0);
        s.parties.push(s.parties[1].clone());
        let tables = ScenarioTables::for_scenario(&s);
        let info = crate::testutil::info(0, &s, &tables, 100, 0);
        let e = Micro::new().init(&info).unwrap_err();
        assert_eq!(
            e.to_string(),
            "MiCRO is a bilateral strategy (two parties); this negotiation has 3"
        );
    }
}
