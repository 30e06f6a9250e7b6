//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use detente_core::{
    Evaluator, Issue, LinearAdditive, OutcomeSpace, Party, Preferences, ProtocolSettings, Scenario,
    Utility,
};
use detente_negotiators::Registry;
use detente_tournament::{Plan, PlanNegotiator, PlanScenario};

/// The repository's `scenarios` folder.
pub fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

/// A mixed plan: the shipped scenarios plus, when the shared data is there, three small
/// bilateral ANAC domains and a three-party one; six built-in negotiators with self-play.
pub fn mixed_plan(repetitions: u32) -> Plan {
    let mut scenarios = vec![
        "\"pie/pie.toml\"".to_string(),
        "\"buyer-seller\"".to_string(),
    ];
    for d in ["Laptop", "ItexvsCypress", "FiftyFiftyC", "TriangularFight"] {
        if let Some(p) = detente_testkit::genius_domain(d) {
            scenarios.push(format!("{:?}", p.display().to_string()));
        }
    }
    let text = format!(
        r#"
format = 1
name = "mixed"
seed = 2024
repetitions = {repetitions}
rounds = 20
scenarios = [{}]

[[negotiators]]
kind = "boulware"
[[negotiators]]
kind = "conceder"
[[negotiators]]
kind = "linear"
[[negotiators]]
kind = "random"
[[negotiators]]
kind = "tit-for-tat"
[[negotiators]]
name = "hard"
kind = "hardliner"
"#,
        scenarios.join(", ")
    );
    Plan::parse(
        &text,
        Path::new("mixed.toml"),
        &scenarios_dir(),
        &Registry::builtin(),
    )
    .unwrap()
}

/// One issue `x` in {0, 1, 2}; party 0 values it [0, 0.5, 1], party 1 [1, 0.5, 0]; no
/// discount, reservation 0.
pub fn line_scenario(name: &str) -> PlanScenario {
    let space = OutcomeSpace::new(vec![Issue::integer("x", 0, 2)]).unwrap();
    let party = |n: &str, scores: Vec<f64>| {
        let u =
            LinearAdditive::new(&space, vec![1.0], vec![Evaluator::Table(scores)], None).unwrap();
        Party {
            name: n.into(),
            preferences: Preferences::new(Utility::LinearAdditive(u)),
            negotiator: None,
        }
    };
    let parties = vec![
        party("a", vec![0.0, 0.5, 1.0]),
        party("b", vec![1.0, 0.5, 0.0]),
    ];
    PlanScenario {
        source: name.into(),
        scenario: Scenario {
            compliance: Default::default(),
            name: name.into(),
            description: String::new(),
            space,
            parties,
            protocol: ProtocolSettings {
                deadline: 10,
                time_limit: None,
                ..Default::default()
            },
            events: Vec::new(),
        },
        diagnostics: vec![],
        digest: None,
    }
}

/// A plan built in code from negotiator (name, kind) pairs.
pub fn code_plan(
    negotiators: &[(&str, &str)],
    scenarios: Vec<PlanScenario>,
    repetitions: u32,
) -> Plan {
    Plan {
        name: "code".into(),
        seed: 5,
        repetitions,
        rounds: None,
        step_budget: None,
        self_play: true,
        negotiators: negotiators
            .iter()
            .map(|(n, k)| PlanNegotiator {
                name: (*n).into(),
                spec: detente_core::NegotiatorSpec::new(*k),
            })
            .collect(),
        scenarios,
    }
}

/// Runs `f` on a rayon pool of `threads` threads.
pub fn with_threads<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> R {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}
