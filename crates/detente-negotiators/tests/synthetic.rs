//! Seeded synthetic scenarios with linear additive utilities, shared by the integration tests
//! and the benchmark (which includes this file with `#[path]`).

use detente_core::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A party's reservation value and discount factor.
#[derive(Debug, Clone, Copy)]
pub struct Terms {
    pub reservation: f64,
    pub discount: f64,
}

impl Default for Terms {
    fn default() -> Self {
        Terms {
            reservation: 0.0,
            discount: 1.0,
        }
    }
}

/// A scenario over discrete issues with `cards[i]` values each and one party per entry of
/// `terms`. Every party's utility is linear additive with weights summing to 1 and value scores
/// in `[0, 1]`, all drawn from `seed`. Party 0's scores are uniform; every other party's score of
/// a value is `conflict * (1 - party 0's score) + (1 - conflict) * uniform`, so `conflict = 1`
/// gives fully opposed interests on every issue and `conflict = 0` independent ones.
pub fn linear_scenario(cards: &[u32], terms: &[Terms], conflict: f64, seed: u64) -> Scenario {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let space = OutcomeSpace::new(
        cards
            .iter()
            .enumerate()
            .map(|(i, &c)| Issue::discrete(format!("i{i}"), (0..c).map(|v| format!("v{v}"))))
            .collect(),
    )
    .expect("valid synthetic space");
    let base: Vec<Vec<f64>> = cards
        .iter()
        .map(|&c| (0..c).map(|_| rng.random::<f64>()).collect())
        .collect();
    let parties = terms
        .iter()
        .enumerate()
        .map(|(p, t)| {
            let raw: Vec<f64> = cards.iter().map(|_| rng.random_range(0.1..1.0)).collect();
            let total: f64 = raw.iter().sum();
            let weights = raw.iter().map(|w| w / total).collect();
            let evaluators = base
                .iter()
                .map(|scores| {
                    Evaluator::Table(
                        scores
                            .iter()
                            .map(|&s| {
                                if p == 0 {
                                    s
                                } else {
                                    conflict * (1.0 - s) + (1.0 - conflict) * rng.random::<f64>()
                                }
                            })
                            .collect(),
                    )
                })
                .collect();
            let lin = LinearAdditive::new(&space, weights, evaluators, None)
                .expect("valid synthetic utility");
            Party {
                name: format!("p{p}"),
                preferences: Preferences {
                    utility: Utility::LinearAdditive(lin),
                    reservation: t.reservation,
                    discount: t.discount,
                },
                negotiator: None,
            }
        })
        .collect();
    let scenario = Scenario {
        compliance: Default::default(),
        name: format!("synthetic-{seed}"),
        description: "seeded synthetic linear additive scenario".into(),
        space,
        parties,
        protocol: ProtocolSettings::default(),
        events: Vec::new(),
    };
    scenario.validate().expect("valid synthetic scenario");
    scenario
}
