//! Scenarios and traces for the tests: random small scenarios and time-based negotiations.

use detente_core::protocol::{Protocol, ProtocolConfig, Saop};
use detente_core::{
    Evaluator, Issue, LinearAdditive, Negotiator, OutcomeSpace, Party, Preferences,
    ProtocolSettings, Scenario, ScenarioTables, Trace, Utility,
};
use detente_negotiators::TimeBased;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The exponents the accuracy tests use.
pub const EXPONENTS: [f64; 6] = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0];

/// A random scenario: `parties` parties, 2 or 3 discrete issues of 3 to 6 values with random
/// scores and weights, reservation values in `[0, max_reservation]`, and `rounds` rounds.
pub fn random_scenario(
    rng: &mut ChaCha8Rng,
    parties: usize,
    rounds: u32,
    max_reservation: f64,
) -> Scenario {
    let n_issues = rng.random_range(2..=3);
    let issues: Vec<Issue> = (0..n_issues)
        .map(|i| {
            let k = rng.random_range(3..=6);
            Issue::discrete(format!("i{i}"), (0..k).map(|v| format!("v{v}")))
        })
        .collect();
    let space = OutcomeSpace::new(issues.clone()).unwrap();
    let parties = (0..parties)
        .map(|p| {
            let raw: Vec<f64> = (0..n_issues).map(|_| rng.random_range(0.1..1.0)).collect();
            let total: f64 = raw.iter().sum();
            let weights = raw.iter().map(|w| w / total).collect();
            let evaluators = issues
                .iter()
                .map(|i| {
                    Evaluator::Table(
                        (0..i.cardinality())
                            .map(|_| rng.random_range(0.0..1.0))
                            .collect(),
                    )
                })
                .collect();
            let u = LinearAdditive::new(&space, weights, evaluators, None).unwrap();
            Party {
                name: format!("P{p}"),
                preferences: Preferences {
                    reservation: rng.random_range(0.0..=max_reservation),
                    ..Preferences::new(Utility::LinearAdditive(u))
                },
                negotiator: None,
            }
        })
        .collect();
    let s = Scenario {
        compliance: Default::default(),
        name: "random".into(),
        description: String::new(),
        space,
        parties,
        protocol: ProtocolSettings {
            deadline: rounds,
            time_limit: None,
            ..Default::default()
        },
        events: Vec::new(),
    };
    s.validate().unwrap();
    s
}

/// Runs time-based negotiators with exponents `es`.
pub fn run_time_based(s: &Scenario, es: &[f64], seed: u64) -> Trace {
    let tables = ScenarioTables::for_scenario(s);
    let negs: Vec<Box<dyn Negotiator>> = es
        .iter()
        .map(|&e| Box::new(TimeBased::new(e)) as Box<dyn Negotiator>)
        .collect();
    Saop::new(
        s,
        &tables,
        negs,
        ProtocolConfig::new(s.protocol.deadline),
        seed,
    )
    .run()
}

/// A seeded generator.
pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// A shipped scenario, by its folder name under `scenarios/`.
pub fn shipped(name: &str) -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios")
        .join(name)
        .join(format!("{name}.toml"));
    detente_formats::scenario_toml::load(&path)
        .unwrap()
        .scenario
}
