//! The setting of the talks rebuilt from a trace (`detente_core::dynamics::scenario_at`) is
//! the live one at every round: on the built-in peace talks and on variants with every kind
//! of effect and trigger (stalling, a party leaving, the mediator leaving, weights, values,
//! the deadline, a settlement lapsing), under both protocols and several seeds.

use detente_core::dynamics::{Dynamics, Setting, StallingRule, change_rounds, scenario_at};
use detente_core::protocol::mediator::MediatorStrategy;
use detente_core::protocol::{Mediated, Protocol, ProtocolConfig, Saop, Step};
use detente_core::{
    Cause, Change, Effect, Event, Negotiator, NegotiatorSpec, Outcome, ProtocolKind, Scenario,
    ScenarioTables, Trigger, UtilityFunction,
};
use detente_negotiators::Registry;

/// The built-in talks, with their compliance phase: replay values utilities under the
/// beliefs the trace records (trust-valued utilities), so the live ones are rebuilt bit for bit.
fn builtin() -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios/ukraine-2025/ukraine-2025.toml");
    detente_formats::scenario_toml::load(&path)
        .unwrap()
        .scenario
}

/// The built-in talks with more events: Russia stalling brings a sanctions shift, the EU
/// weighs security more from round 5, `lifted` sanctions leave the table in round 12, the
/// energy pause lapses in round 20, the deadline moves in round 25.
fn eventful(mut s: Scenario) -> Scenario {
    let party = |n: &str| s.party_index(n).unwrap();
    let issue = |n: &str| s.space.issue_index(n).unwrap();
    let (russia, eu) = (party("Russia"), party("European Union"));
    let (security, sanctions, ceasefire) =
        (issue("security"), issue("sanctions"), issue("ceasefire"));
    let event = |name: &str, trigger, effects| Event {
        name: name.into(),
        trigger,
        effects,
    };
    s.events.extend([
        event(
            "stalling sanctions",
            Trigger::Stalling {
                party: russia,
                rule: StallingRule {
                    window: 3,
                    min_improvement: 0.02,
                },
            },
            vec![Effect::Reservation {
                party: russia,
                change: Change::Shift(-0.04),
            }],
        ),
        event(
            "EU security",
            Trigger::Round(5),
            vec![Effect::Weight {
                party: eu,
                issue: security,
                weight: 0.4,
            }],
        ),
        event(
            "no lifting",
            Trigger::Round(12),
            vec![Effect::Availability {
                issue: sanctions,
                value: 2,
                available: false,
            }],
        ),
        event(
            "pause lapses",
            Trigger::Round(20),
            vec![Effect::Unsettle { issue: ceasefire }],
        ),
        event(
            "longer talks",
            Trigger::Round(25),
            vec![Effect::Deadline { rounds: 45 }],
        ),
    ]);
    s
}

/// What the setting is at one moment, enough to tell two settings apart.
#[derive(Debug, PartialEq)]
struct Snapshot {
    active: Vec<bool>,
    settled: Vec<Option<u32>>,
    deadline: u32,
    feasible: Vec<bool>,
    /// Per party: the reservation value's bits, then the utility of every outcome.
    preferences: Vec<Vec<u64>>,
}

impl Snapshot {
    fn of(
        scenario: &Scenario,
        active: &[bool],
        settled: &[Option<u32>],
        deadline: u32,
        all: &[Outcome],
    ) -> Self {
        Snapshot {
            active: active.to_vec(),
            settled: settled.to_vec(),
            deadline,
            feasible: all.iter().map(|o| scenario.space.contains(o)).collect(),
            preferences: scenario
                .parties
                .iter()
                .map(|p| {
                    let prefs = &p.preferences;
                    std::iter::once(prefs.reservation.to_bits())
                        .chain(all.iter().map(|o| prefs.utility.utility(o).to_bits()))
                        .collect()
                })
                .collect(),
        }
    }

    /// The first thing two snapshots differ in (`None`: equal), short enough to read.
    fn difference(&self, other: &Snapshot) -> Option<String> {
        if self.active != other.active || self.settled != other.settled {
            return Some(format!(
                "active/settled {:?}/{:?} vs {:?}/{:?}",
                self.active, self.settled, other.active, other.settled
            ));
        }
        if self.deadline != other.deadline {
            return Some(format!("deadline {} vs {}", self.deadline, other.deadline));
        }
        if let Some(k) = (0..self.feasible.len()).find(|&k| self.feasible[k] != other.feasible[k]) {
            return Some(format!("feasibility of outcome {k}"));
        }
        for (p, (a, b)) in self.preferences.iter().zip(&other.preferences).enumerate() {
            if let Some(k) = (0..a.len()).find(|&k| a[k] != b[k]) {
                let (x, y) = (f64::from_bits(a[k]), f64::from_bits(b[k]));
                let what = if k == 0 {
                    "reservation".to_string()
                } else {
                    format!("utility of outcome {}", k - 1)
                };
                return Some(format!("party {p}: {what} {x} vs {y}"));
            }
        }
        None
    }

    fn live(d: &Dynamics<'_>, all: &[Outcome]) -> Self {
        Self::of(d.scenario(), d.active(), d.settled(), d.deadline(), all)
    }

    fn rebuilt(s: &Setting, all: &[Outcome]) -> Self {
        Self::of(
            &s.scenario,
            &s.active,
            &s.settled,
            s.scenario.protocol.deadline,
            all,
        )
    }
}

/// Steps a negotiation, keeping the live setting at the start of every round; then rebuilds
/// the setting of every round (and of the end) from the whole trace and compares. Returns the
/// causes seen.
fn check<'a>(mut protocol: impl Protocol<'a>, base: &Scenario, what: &str) -> Vec<Cause> {
    let all: Vec<Outcome> = base.space.outcomes(1 << 20).unwrap().collect();
    let mut live = Vec::new();
    while protocol.step() == Step::Continue {
        let session = protocol.session();
        if live.last().is_none_or(|(r, _)| *r != session.round()) {
            live.push((session.round(), Snapshot::live(session.dynamics(), &all)));
        }
    }
    let session = protocol.session();
    let end = Snapshot::live(session.dynamics(), &all);
    let trace = protocol.into_trace();
    for (round, snapshot) in &live {
        let rebuilt = scenario_at(base, &trace, *round).unwrap();
        let difference = Snapshot::rebuilt(&rebuilt, &all).difference(snapshot);
        assert_eq!(difference, None, "{what}, round {}", round + 1);
    }
    // Readings rebuild the setting only at the rounds where it can change: between them the
    // live setting indeed stayed put.
    let rounds = live.last().map_or(0, |(r, _)| r + 1);
    let changes = change_rounds(&trace, rounds);
    for pair in live.windows(2) {
        let ((_, before), (r, now)) = (&pair[0], &pair[1]);
        if changes.binary_search(r).is_err() {
            assert_eq!(now.difference(before), None, "{what}, round {}", r + 1);
        }
    }
    let at_end = Setting::replay(base, &trace, None).unwrap();
    let difference = Snapshot::rebuilt(&at_end, &all).difference(&end);
    assert_eq!(difference, None, "{what}, at the end");
    trace.events.iter().map(|e| e.cause.clone()).collect()
}

fn negotiators(s: &Scenario, registry: &Registry) -> Vec<Box<dyn Negotiator>> {
    s.parties
        .iter()
        .map(|p| {
            let spec = p
                .negotiator
                .clone()
                .unwrap_or(NegotiatorSpec::new("linear"));
            registry.create(&spec).unwrap()
        })
        .collect()
}

fn strategy(s: &Scenario, registry: &Registry) -> Box<dyn MediatorStrategy> {
    match &s.protocol.kind {
        ProtocolKind::Mediated { strategy, .. } => registry.mediators().create(strategy).unwrap(),
        ProtocolKind::Saop => panic!("mediated talks expected"),
    }
}

#[test]
fn the_setting_rebuilt_from_a_trace_is_the_live_one_at_every_round() {
    let registry = Registry::builtin();
    let base = builtin();
    let mut early_exit = base.clone();
    // The US leaves in round 3 whatever happens: the mediation passes on.
    let walk_out = base
        .events
        .iter()
        .position(|e| e.name == "US withdraws from mediation")
        .unwrap();
    early_exit.events[walk_out].trigger = Trigger::Round(2);
    let mut saop = eventful(base.clone());
    saop.protocol.kind = ProtocolKind::Saop;
    let variants = [
        ("built-in", base.clone()),
        ("eventful", eventful(base.clone())),
        ("early exit", eventful(early_exit)),
        ("saop", saop),
    ];
    let mut kinds = std::collections::HashSet::new();
    for (what, s) in &variants {
        let tables = ScenarioTables::for_scenario(s);
        for seed in [1, 42] {
            let config = ProtocolConfig::new(s.protocol.deadline);
            let negotiators = negotiators(s, &registry);
            let causes = match s.protocol.kind {
                ProtocolKind::Saop => {
                    check(Saop::new(s, &tables, negotiators, config, seed), s, what)
                }
                ProtocolKind::Mediated { .. } => {
                    let m = Mediated::new(
                        s,
                        &tables,
                        negotiators,
                        strategy(s, &registry),
                        config,
                        seed,
                    );
                    check(m, s, what)
                }
            };
            kinds.extend(causes.iter().map(std::mem::discriminant));
            if *what == "early exit" {
                assert!(
                    causes
                        .iter()
                        .any(|c| matches!(c, Cause::MediationHandover { .. }))
                );
            }
            if *what == "eventful" && seed == 42 {
                assert!(
                    causes
                        .iter()
                        .any(|c| matches!(c, Cause::PartialAgreement { .. })),
                    "{causes:?}"
                );
            }
        }
    }
    assert!(
        kinds.len() >= 3,
        "timeline, settlements and hand-overs are all exercised"
    );
}
