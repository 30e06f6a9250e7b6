//! A generator of scenarios that use every feature the TOML format can hold: every issue
//! kind, every evaluator, tables, rectangles, interactions, a constraint, both protocols and
//! every trigger and effect.

use std::collections::HashMap;

use detente_core::dynamics::StallingRule;
use detente_core::{
    Change, Combination, Constraint, Effect, Evaluator, Event, Hyperrectangle,
    HyperrectangleUtility, Interaction, InteractionUtility, Issue, IssueKind, LinearAdditive,
    MediatorSpec, NegotiatorSpec, OutcomeSpace, Party, Preferences, ProtocolKind, ProtocolSettings,
    Scenario, TableUtility, Trigger, Utility,
};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Scenarios of 1 to 3 issues and 2 or 3 parties; everything but the issue kinds is drawn
/// from a seeded generator.
pub(super) fn arb_scenario() -> impl Strategy<Value = Scenario> {
    let issue = prop_oneof![
        (1usize..4).prop_map(|n| IssueKind::Discrete {
            values: (0..n).map(|v| format!("v {v}")).collect()
        }),
        (-5i64..5, 0i64..4).prop_map(|(lo, d)| IssueKind::Integer {
            min: lo,
            max: lo + d
        }),
        (-2.0f64..2.0, 0.1f64..3.0, 2u32..5).prop_map(|(lo, d, s)| IssueKind::Real {
            min: lo,
            max: lo + d,
            steps: s
        }),
    ];
    (
        proptest::collection::vec(issue, 1..4),
        any::<u64>(),
        2usize..4,
    )
        .prop_map(|(kinds, seed, n)| scenario(kinds, seed, n))
}

fn scenario(kinds: Vec<IssueKind>, seed: u64, n: usize) -> Scenario {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let issues: Vec<Issue> = kinds
        .into_iter()
        .enumerate()
        .map(|(i, kind)| Issue {
            name: format!("issue{i}"),
            kind,
            // One issue with a status quo, so that round trips cover it.
            status_quo: (i == 0).then_some(0),
        })
        .collect();
    let mut space = OutcomeSpace::new(issues).unwrap();
    let mut parties: Vec<Party> = (0..n).map(|p| party(&mut rng, &space, p)).collect();
    if space.issues()[0].cardinality() > 1 && rng.random::<bool>() {
        space = space
            .with_constraints(vec![Constraint {
                name: "no first value".into(),
                combination: Combination {
                    parts: vec![(0, vec![0])],
                },
            }])
            .unwrap();
    }
    for p in &mut parties {
        add_interaction(&mut rng, &space, p);
    }
    let protocol = protocol(&mut rng, parties.len());
    let events = events(&mut rng, &parties);
    Scenario {
        compliance: Default::default(),
        name: "round trip".into(),
        description: "line one\nline \"two\"".into(),
        space,
        parties,
        protocol,
        events,
    }
}

fn party(rng: &mut ChaCha8Rng, space: &OutcomeSpace, p: usize) -> Party {
    let utility = match rng.random_range(0..3) {
        0 => Utility::LinearAdditive(linear(rng, space)),
        1 => {
            let mut values = HashMap::new();
            for o in space.outcomes(1000).unwrap() {
                if rng.random::<bool>() {
                    values.insert(o, rng.random());
                }
            }
            Utility::Table(TableUtility::new(space, values, rng.random()).unwrap())
        }
        _ => {
            let rects = (0..3)
                .map(|_| Hyperrectangle {
                    bounds: vec![(0, 0, (space.issues()[0].cardinality() - 1) as u32)],
                    utility: rng.random_range(0.0..10.0),
                })
                .collect();
            Utility::Hyperrectangles(
                HyperrectangleUtility::new(space, rects, 7.0, Some(1.0)).unwrap(),
            )
        }
    };
    Party {
        name: format!("party \"{p}\""),
        preferences: Preferences {
            utility,
            reservation: rng.random(),
            discount: rng.random_range(0.01..=1.0),
        },
        negotiator: match rng.random_range(0..3) {
            0 => None,
            1 => Some(NegotiatorSpec::new("time-based").with("e", rng.random())),
            _ => Some(
                NegotiatorSpec::new("boa")
                    .with_component(
                        "offer",
                        NegotiatorSpec::new("time-dependent").with("e", rng.random()),
                    )
                    .with_component("model", NegotiatorSpec::new("smith-frequency"))
                    .with_component(
                        "accept",
                        NegotiatorSpec::new("ac-combi")
                            .with("t", rng.random())
                            .with_component("inner", NegotiatorSpec::new("x").with("y", 1.0)),
                    ),
            ),
        },
    }
}

/// A linear additive utility with a random evaluator of every form per issue.
fn linear(rng: &mut ChaCha8Rng, space: &OutcomeSpace) -> LinearAdditive {
    let evals = space
        .issues()
        .iter()
        .map(|i| match (&i.kind, rng.random_range(0..4)) {
            (IssueKind::Discrete { .. }, _) | (_, 0) => {
                Evaluator::Table((0..i.cardinality()).map(|_| rng.random()).collect())
            }
            (_, 1) => Evaluator::Linear {
                slope: rng.random_range(-1.0..1.0),
                intercept: rng.random(),
                origin: rng.random(),
                clamp: rng.random(),
            },
            (_, 2) => Evaluator::Triangular {
                lower: -1.0,
                top: rng.random(),
                upper: 3.0,
            },
            _ => Evaluator::Interpolate {
                low_value: -1.0,
                low_utility: rng.random(),
                high_value: 2.0,
                high_utility: rng.random(),
            },
        })
        .collect();
    let weights = space.issues().iter().map(|_| rng.random()).collect();
    let cap = rng.random::<bool>().then_some(1.0);
    LinearAdditive::new(space, weights, evals, cap).unwrap()
}

/// Sometimes turns a linear additive party's utility into one with an interaction term.
fn add_interaction(rng: &mut ChaCha8Rng, space: &OutcomeSpace, p: &mut Party) {
    if let Utility::LinearAdditive(lin) = &p.preferences.utility
        && rng.random::<bool>()
    {
        let term = Interaction {
            name: "link".into(),
            when: Combination {
                parts: vec![(0, vec![(space.issues()[0].cardinality() - 1) as u32])],
            },
            utility: rng.random_range(-0.5..0.5),
        };
        p.preferences.utility =
            Utility::Interacting(InteractionUtility::new(space, lin.clone(), vec![term]).unwrap());
    }
}

fn protocol(rng: &mut ChaCha8Rng, n: usize) -> ProtocolSettings {
    ProtocolSettings {
        partial_agreements: rng.random(),
        kind: match rng.random_range(0..3) {
            0 => ProtocolKind::Saop,
            1 => ProtocolKind::Mediated {
                strategy: MediatorSpec::new("veto"),
                mediator: None,
            },
            _ => ProtocolKind::Mediated {
                strategy: MediatorSpec::new("informed"),
                mediator: Some(n - 1),
            },
        },
        ..ProtocolSettings::default()
    }
}

/// One event per trigger form, together using every effect.
fn events(rng: &mut ChaCha8Rng, parties: &[Party]) -> Vec<Event> {
    let linear_party = parties.iter().position(|p| {
        matches!(
            p.preferences.utility,
            Utility::LinearAdditive(_) | Utility::Interacting(_)
        )
    });
    let mut effects = vec![
        Effect::Leave {
            party: 0,
            end_talks: rng.random(),
        },
        Effect::Reservation {
            party: 1,
            change: Change::Shift(-0.25),
        },
        Effect::Reservation {
            party: 1,
            change: Change::Set(0.5),
        },
        Effect::Deadline { rounds: 7 },
        Effect::Unsettle { issue: 0 },
        Effect::Availability {
            issue: 0,
            value: 0,
            available: rng.random(),
        },
    ];
    if let Some(lp) = linear_party {
        effects.push(Effect::Weight {
            party: lp,
            issue: 0,
            weight: 0.75,
        });
    }
    vec![
        Event {
            name: "at five".into(),
            trigger: Trigger::Round(4),
            effects: effects.clone(),
        },
        Event {
            name: "late".into(),
            trigger: Trigger::NoAgreementBy(9),
            effects: vec![effects[1].clone()],
        },
        Event {
            name: "stall".into(),
            trigger: Trigger::Stalling {
                party: 1,
                rule: StallingRule {
                    window: 3,
                    min_improvement: 0.05,
                },
            },
            effects: vec![effects[3].clone()],
        },
        Event {
            name: "gone".into(),
            trigger: Trigger::Left(0),
            effects: vec![effects[2].clone()],
        },
    ]
}
