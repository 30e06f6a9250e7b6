//! The random negotiator: a baseline that offers acceptable outcomes at random.

use detente_core::{Action, Negotiator, NegotiatorError, Outcome, SessionInfo, State};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::common::{NOT_INITIALISED, Own, default_accept};
use crate::registry::KindEntry;

/// Offers an outcome drawn uniformly among those whose utility to it is at least its
/// reservation value (all of them when the reservation value is at or below its worst utility;
/// its best outcome when none reaches it). The acceptable range is a prefix of its sorted
/// table, found by binary search.
///
/// Acceptance: on each turn it first draws the offer it would make, then applies
/// [`default_accept`] with that draw as both its next offer and its target. So it accepts a
/// standing offer at or above its reservation value with the probability that a random offer
/// of its own would be no better.
///
/// Its draws come from its own `ChaCha8Rng` seeded with [`SessionInfo::seed`], so a
/// negotiation is reproducible from its seed.
#[derive(Debug, Clone, Default)]
pub struct RandomNegotiator {
    state: Option<(Own, usize, ChaCha8Rng)>,
}

impl RandomNegotiator {
    /// A random negotiator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Its registry entry, `random`.
    pub fn entry() -> KindEntry {
        KindEntry::new(
            "random",
            "offers random outcomes at or above its reservation value; accepts an offer with \
             the probability that its own random offer would be no better",
            |_| Box::new(RandomNegotiator::new()),
        )
    }
}

impl Negotiator for RandomNegotiator {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        let own = Own::new(info, "random")?;
        // Outcomes at or above the reservation value: a prefix of the sorted table.
        let acceptable = own
            .table
            .sorted
            .partition_point(|&u| u >= own.reservation)
            .max(1);
        self.state = Some((own, acceptable, ChaCha8Rng::seed_from_u64(info.seed)));
        Ok(())
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        let (own, acceptable, rng) = self.state.as_mut().expect(NOT_INITIALISED);
        let pos = rng.random_range(0..*acceptable);
        let next = own.sorted_utility(pos);
        if let Some(standing) = state.standing {
            let u = own.utility(&standing.outcome);
            if default_accept(u, next, next, own.reservation) {
                return Action::Accept;
            }
        }
        Action::Offer(own.outcome_at(pos))
    }

    fn compare(&mut self, candidate: &Outcome, incumbent: &Outcome) -> Option<std::cmp::Ordering> {
        self.state
            .as_ref()
            .map(|s| &s.0)
            .and_then(|o| o.compare(candidate, incumbent))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{pie, state};
    use detente_core::{Offer, Outcome, ScenarioTables};

    fn started(reservation: f64, seed: u64) -> (RandomNegotiator, detente_core::Scenario) {
        let s = pie(reservation);
        let tables = ScenarioTables::for_scenario(&s);
        let info = SessionInfo {
            party: 0,
            scenario: &s,
            tables: &tables,
            deadline: 10,
            seed,
        };
        let mut n = RandomNegotiator::new();
        n.init(&info).unwrap();
        (n, s)
    }

    #[test]
    fn stays_above_reservation_and_covers_the_range() {
        let (mut n, s) = started(0.45, 3);
        let mut seen = [0usize; 11];
        for _ in 0..2000 {
            let Action::Offer(o) = n.act(&state(0.5, None)) else {
                panic!("must offer")
            };
            assert!(s.parties[0].preferences.utility(&o) >= 0.45);
            seen[o.0[0] as usize] += 1;
        }
        // Values 5..=10 are acceptable (utility v / 10): each drawn about 1/6 of the time.
        assert!(seen[..5].iter().all(|&c| c == 0));
        assert!(seen[5..].iter().all(|&c| c > 250 && c < 420), "{seen:?}");
    }

    #[test]
    fn accepts_with_the_probability_a_draw_is_no_better() {
        let (mut n, _) = started(0.45, 4);
        let mut accepted = [0usize; 11];
        for v in 0..=10u32 {
            let o = Offer {
                outcome: Outcome(vec![v]),
                by: detente_core::Actor::Party(1),
            };
            for _ in 0..1200 {
                if n.act(&state(0.5, Some(&o))) == Action::Accept {
                    accepted[v as usize] += 1;
                }
            }
        }
        assert!(accepted[..5].iter().all(|&c| c == 0), "{accepted:?}");
        assert_eq!(accepted[10], 1200);
        // v in 5..10 is accepted with probability (v - 4) / 6.
        for (v, &count) in accepted.iter().enumerate().take(10).skip(5) {
            let p = (v as f64 - 4.0) / 6.0;
            let got = count as f64 / 1200.0;
            assert!((got - p).abs() < 0.06, "v={v}: {got} vs {p}");
        }
    }

    #[test]
    fn same_seed_same_draws() {
        let draw = |seed| {
            let (mut n, _) = started(0.0, seed);
            (0..50)
                .map(|_| n.act(&state(0.1, None)))
                .collect::<Vec<_>>()
        };
        assert_eq!(draw(9), draw(9));
        assert_ne!(draw(9), draw(10));
    }
}
