//! Protocol tests with scripted negotiators: exact expected traces for SAOP, mediated talks,
//! timeline events and partial agreements.

use super::*;
use crate::dynamics::StallingRule;
use crate::negotiator::{Action, NegotiatorError, SessionInfo, State};
use crate::registry::Spec;
use crate::scenario::{Change, Effect, Event, Party, ProtocolKind, ProtocolSettings, Trigger};
use crate::space::{Issue, Outcome, OutcomeSpace};
use crate::trace::{ActionKind, NegotiatorFault, Termination, TraceEntry};

/// The neutral mediator, as [`who`] numbers it.
const MEDIATOR: usize = usize::MAX;

/// Runs under the scenario's protocol with the built-in mediator strategies.
fn go<'a>(
    s: &'a Scenario,
    tables: &'a ScenarioTables,
    negotiators: Vec<Box<dyn crate::Negotiator + 'a>>,
    config: ProtocolConfig,
    seed: u64,
) -> Trace {
    run(
        s,
        tables,
        negotiators,
        config,
        seed,
        None,
        &mediator::builtin(),
    )
    .expect("a known strategy")
}

/// The acting party's index, or [`MEDIATOR`].
fn who(e: &TraceEntry) -> usize {
    e.actor.party().unwrap_or(MEDIATOR)
}
use crate::utility::{Evaluator, LinearAdditive, Preferences, Utility};

/// Parties alternate between liking `x` (even) and `z` (odd) on one issue `a` of three values,
/// plus an issue `b` of two values that everyone likes at `p`.
fn scenario(n: usize) -> Scenario {
    let space = OutcomeSpace::new(vec![
        Issue::discrete("a", ["x", "y", "z"]),
        Issue::discrete("b", ["p", "q"]),
    ])
    .unwrap();
    let parties = (0..n)
        .map(|i| {
            let scores = if i % 2 == 0 {
                vec![1.0, 0.5, 0.0]
            } else {
                vec![0.0, 0.5, 1.0]
            };
            let u = LinearAdditive::new(
                &space,
                vec![0.8, 0.2],
                vec![Evaluator::Table(scores), Evaluator::Table(vec![1.0, 0.0])],
                None,
            )
            .unwrap();
            Party {
                name: format!("p{i}"),
                preferences: Preferences {
                    utility: Utility::LinearAdditive(u),
                    reservation: 0.1,
                    discount: 0.5,
                },
                negotiator: None,
            }
        })
        .collect();
    Scenario {
        compliance: Default::default(),
        name: "t".into(),
        description: String::new(),
        space,
        parties,
        protocol: ProtocolSettings::default(),
        events: Vec::new(),
    }
}

/// Plays a fixed script of actions, then repeats its last one. Counts `update` calls.
struct Script(Vec<Action>, usize);
impl Negotiator for Script {
    fn init(&mut self, _: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        Ok(())
    }
    fn act(&mut self, _: &State<'_>) -> Action {
        let a = self.0[self.1.min(self.0.len() - 1)].clone();
        self.1 += 1;
        a
    }
    fn update(&mut self, _: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        Ok(())
    }
}

/// Accepts a standing offer worth at least `threshold` to it, otherwise offers its best.
struct Threshold {
    party: usize,
    threshold: f64,
    scenario_utility: Option<Utility>,
    best: Outcome,
}
impl Threshold {
    fn new(threshold: f64) -> Self {
        Threshold {
            party: 0,
            threshold,
            scenario_utility: None,
            best: Outcome(vec![]),
        }
    }
}
impl Negotiator for Threshold {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        self.party = info.party;
        let table = info
            .own_table()
            .map_err(|e| NegotiatorError(e.to_string()))?;
        self.best = info.space().outcome(table.order[0]).unwrap();
        self.scenario_utility = Some(info.preferences().utility.clone());
        Ok(())
    }
    fn act(&mut self, state: &State<'_>) -> Action {
        let u = self.scenario_utility.as_ref().unwrap();
        match state.standing {
            Some(o) if crate::UtilityFunction::utility(u, &o.outcome) >= self.threshold => {
                Action::Accept
            }
            _ => Action::Offer(self.best.clone()),
        }
    }
    fn compare(&mut self, candidate: &Outcome, incumbent: &Outcome) -> Option<std::cmp::Ordering> {
        let u = self.scenario_utility.as_ref().unwrap();
        crate::UtilityFunction::utility(u, candidate)
            .partial_cmp(&crate::UtilityFunction::utility(u, incumbent))
    }
}

fn scripts(s: &Scenario, scripts: Vec<Vec<Action>>, rounds: u32) -> Trace {
    let tables = ScenarioTables::for_scenario(s);
    let negs: Vec<Box<dyn Negotiator>> = scripts
        .into_iter()
        .map(|a| Box::new(Script(a, 0)) as Box<dyn Negotiator>)
        .collect();
    go(s, &tables, negs, ProtocolConfig::new(rounds), 7)
}

fn offer(a: u32, b: u32) -> Action {
    Action::Offer(Outcome(vec![a, b]))
}

#[test]
fn bilateral_agreement() {
    let s = scenario(2);
    let t = scripts(&s, vec![vec![offer(1, 0)], vec![Action::Accept]], 10);
    assert_eq!(t.result.termination, Termination::Agreement);
    assert_eq!(t.result.agreement, Some(Outcome(vec![1, 0])));
    assert_eq!(t.entries.len(), 2);
    // Accepted at turn 1 of round 0: t = 1 / 20.
    assert_eq!(t.result.time, 0.05);
    assert!((t.result.utilities[0] - 0.6 * 0.5f64.powf(0.05)).abs() < 1e-15);
}

#[test]
fn per_round_time_is_shared_by_the_round_as_in_genius() {
    let s = scenario(3);
    let tables = ScenarioTables::for_scenario(&s);
    let negs: Vec<Box<dyn Negotiator>> = (0..3)
        .map(|i| Box::new(Script(vec![offer(i % 2, 0); 4], 0)) as Box<dyn Negotiator>)
        .collect();
    let config = ProtocolConfig {
        time: TimeConvention::PerRound,
        ..ProtocolConfig::new(4)
    };
    let t = go(&s, &tables, negs, config, 7);
    let times: Vec<f64> = t.entries.iter().map(|e| e.time).collect();
    // Round r of R = 4 is at (r + 1) / 5 for every party in it.
    let expect: Vec<f64> = (0..4).flat_map(|r| [f64::from(r + 1) / 5.0; 3]).collect();
    assert_eq!(times, expect);
    assert_eq!(t.result.termination, Termination::Deadline);
}

#[test]
fn multilateral_needs_every_other_party() {
    let s = scenario(3);
    let t = scripts(
        &s,
        vec![
            vec![offer(0, 0), Action::Accept],
            vec![Action::Accept],
            vec![offer(2, 0)],
        ],
        10,
    );
    assert_eq!(t.result.termination, Termination::Agreement);
    assert_eq!(t.result.agreement, Some(Outcome(vec![2, 0])));
    let kinds: Vec<_> = t.entries.iter().map(|e| (who(e), e.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            (0, ActionKind::Offer),
            (1, ActionKind::Accept),
            (2, ActionKind::Offer),
            (0, ActionKind::Accept),
            (1, ActionKind::Accept)
        ]
    );
}

#[test]
fn deadline_gives_discounted_reservation() {
    let s = scenario(2);
    let t = scripts(&s, vec![vec![offer(0, 0)], vec![offer(2, 0)]], 3);
    assert_eq!(t.result.termination, Termination::Deadline);
    assert_eq!(t.entries.len(), 6);
    assert_eq!(t.result.rounds_used, 3);
    assert_eq!(t.result.utilities, vec![0.05, 0.05]);
}

#[test]
fn faults_are_recorded() {
    let s = scenario(2);
    let t = scripts(&s, vec![vec![Action::Accept], vec![Action::Accept]], 3);
    assert!(matches!(
        t.result.termination,
        Termination::NegotiatorFault {
            party: 0,
            fault: NegotiatorFault::InvalidAction(_)
        }
    ));
    let t = scripts(&s, vec![vec![offer(0, 0)], vec![offer(9, 0)]], 3);
    assert!(matches!(
        t.result.termination,
        Termination::NegotiatorFault {
            party: 1,
            fault: NegotiatorFault::InvalidAction(_)
        }
    ));
    let t = scripts(&s, vec![vec![offer(0, 0)], vec![Action::End]], 3);
    assert_eq!(t.result.termination, Termination::Ended { party: 1 });

    struct Panicker;
    impl Negotiator for Panicker {
        fn init(&mut self, _: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
            Ok(())
        }
        fn act(&mut self, _: &State<'_>) -> Action {
            panic!("boom")
        }
    }
    let tables = ScenarioTables::for_scenario(&s);
    let negs: Vec<Box<dyn Negotiator>> =
        vec![Box::new(Script(vec![offer(0, 0)], 0)), Box::new(Panicker)];
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let t = Saop::new(&s, &tables, negs, ProtocolConfig::new(3), 1).run();
    std::panic::set_hook(prev);
    assert_eq!(
        t.result.termination,
        Termination::NegotiatorFault {
            party: 1,
            fault: NegotiatorFault::Panic("boom".into())
        }
    );
}

#[test]
fn constraints_make_offers_invalid() {
    let mut s = scenario(2);
    s.space = s
        .space
        .clone()
        .with_constraints(vec![crate::Constraint {
            name: "no y".into(),
            combination: crate::Combination {
                parts: vec![(0, vec![1])],
            },
        }])
        .unwrap();
    let t = scripts(&s, vec![vec![offer(1, 0)], vec![Action::Accept]], 3);
    match t.result.termination {
        Termination::NegotiatorFault {
            party: 0,
            fault: NegotiatorFault::InvalidAction(m),
        } => assert!(m.contains("constraints exclude"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn seeds_are_spread() {
    assert_ne!(derive_seed(1, 0), derive_seed(1, 1));
    assert_ne!(derive_seed(1, 0), derive_seed(2, 0));
    assert_eq!(derive_seed(5, 3), derive_seed(5, 3));
}

fn event(name: &str, trigger: Trigger, effects: Vec<Effect>) -> Event {
    Event {
        name: name.into(),
        trigger,
        effects,
    }
}

#[test]
fn a_party_leaves_and_the_talks_go_on_without_it() {
    let mut s = scenario(3);
    s.events = vec![event(
        "p1 walks",
        Trigger::Round(2),
        vec![Effect::Leave {
            party: 1,
            end_talks: false,
        }],
    )];
    // p1 blocks agreement in rounds 0 and 1; once it has left, p0 and p2 agree in round 2.
    let t = scripts(
        &s,
        vec![
            vec![offer(0, 0)],
            vec![offer(2, 0)],
            vec![offer(1, 0), Action::Accept],
        ],
        10,
    );
    assert_eq!(t.events.len(), 1);
    assert_eq!(t.events[0].round, 2);
    assert_eq!(
        t.events[0].description,
        "p1 leaves the talks; they go on without it"
    );
    let last_rounds: Vec<_> = t
        .entries
        .iter()
        .filter(|e| e.round == 2)
        .map(|e| (who(e), e.kind))
        .collect();
    // Round 2: p0 offers, p1 is gone, p2 accepts: agreement between the two who remain.
    assert_eq!(
        last_rounds,
        vec![(0, ActionKind::Offer), (2, ActionKind::Accept)]
    );
    assert_eq!(t.result.termination, Termination::Agreement);
    assert_eq!(t.result.agreement, Some(Outcome(vec![0, 0])));
    // The party who left still lives with the agreement.
    assert!((t.result.utilities[1] - 0.2 * 0.5f64.powf(t.result.time)).abs() < 1e-15);
}

#[test]
fn acceptances_of_a_party_that_left_do_not_count() {
    let mut s = scenario(4);
    s.events = vec![event(
        "D leaves",
        Trigger::Round(1),
        vec![Effect::Leave {
            party: 3,
            end_talks: false,
        }],
    )];
    // Round 0: C (p2) makes the standing offer and D (p3) accepts it. D then leaves, and A (p0)
    // accepts in round 1: B (p1) never accepted, so there is no agreement.
    let t = scripts(
        &s,
        vec![
            vec![offer(0, 0), Action::Accept, offer(0, 0)],
            vec![offer(1, 0)],
            vec![offer(2, 0), Action::Accept],
            vec![Action::Accept],
        ],
        3,
    );
    let first: Vec<_> = t
        .entries
        .iter()
        .take(6)
        .map(|e| (e.round, who(e), e.kind))
        .collect();
    assert_eq!(
        first,
        vec![
            (0, 0, ActionKind::Offer),
            (0, 1, ActionKind::Offer),
            (0, 2, ActionKind::Offer),
            (0, 3, ActionKind::Accept),
            (1, 0, ActionKind::Accept),
            (1, 1, ActionKind::Offer),
        ]
    );
    assert_eq!(t.result.termination, Termination::Deadline);
}

#[test]
fn leaving_can_end_the_talks_and_trigger_other_events() {
    let mut s = scenario(3);
    s.events = vec![
        event(
            "sanctions",
            Trigger::Left(0),
            vec![Effect::Reservation {
                party: 2,
                change: Change::Shift(-0.05),
            }],
        ),
        event(
            "mediator walks",
            Trigger::NoAgreementBy(1),
            vec![Effect::Leave {
                party: 0,
                end_talks: false,
            }],
        ),
    ];
    let t = scripts(
        &s,
        vec![vec![offer(0, 0)], vec![offer(2, 0)], vec![offer(1, 1)]],
        3,
    );
    let fired: Vec<_> = t
        .events
        .iter()
        .map(|e| (e.round, e.name.as_str()))
        .collect();
    // Both fire at the start of round 1: the withdrawal, then (same check) what it triggers.
    assert_eq!(fired, vec![(1, "mediator walks"), (1, "sanctions")]);
    assert_eq!(t.result.termination, Termination::Deadline);
    // Final utilities use the reservation values as they stand at the end.
    assert!((t.result.utilities[2] - 0.05 * 0.5).abs() < 1e-15);
    let mut s = scenario(2);
    s.events = vec![event(
        "walk out",
        Trigger::Round(1),
        vec![Effect::Leave {
            party: 1,
            end_talks: true,
        }],
    )];
    let t = scripts(&s, vec![vec![offer(0, 0)], vec![offer(2, 0)]], 5);
    assert_eq!(t.result.termination, Termination::Ended { party: 1 });
    assert_eq!(t.entries.len(), 2);
}

#[test]
fn deadline_moves_and_values_disappear() {
    let mut s = scenario(2);
    s.events = vec![
        event(
            "extension",
            Trigger::Round(1),
            vec![Effect::Deadline { rounds: 4 }],
        ),
        event(
            "y off the table",
            Trigger::Round(2),
            vec![Effect::Availability {
                issue: 0,
                value: 1,
                available: false,
            }],
        ),
    ];
    let t = scripts(&s, vec![vec![offer(0, 0)], vec![offer(2, 0)]], 2);
    assert_eq!(t.result.termination, Termination::Deadline);
    assert_eq!(t.deadline, 4);
    assert_eq!(t.entries.len(), 8);
    // Offering y after it became unavailable is an invalid action.
    let t = scripts(
        &s,
        vec![
            vec![offer(0, 0), offer(0, 0), offer(1, 0)],
            vec![offer(2, 0)],
        ],
        2,
    );
    assert!(matches!(
        t.result.termination,
        Termination::NegotiatorFault {
            party: 0,
            fault: NegotiatorFault::InvalidAction(_)
        }
    ));
    assert_eq!(t.result.rounds_used, 3);
}

#[test]
fn stalling_triggers_an_event() {
    let mut s = scenario(2);
    let rule = StallingRule {
        window: 2,
        min_improvement: 0.1,
    };
    s.events = vec![event(
        "pressure",
        Trigger::Stalling { party: 1, rule },
        vec![Effect::Reservation {
            party: 1,
            change: Change::Set(0.0),
        }],
    )];
    // p1 repeats its offer: after rounds 1 and 2 (two rounds of moves after its round-0
    // offer) it has not improved, so the event fires at the start of round 3.
    let t = scripts(&s, vec![vec![offer(0, 0)], vec![offer(2, 0)]], 6);
    assert_eq!(t.events.len(), 1);
    assert_eq!(t.events[0].round, 3);
    // p1 concedes to p0 every round: never stalling.
    let t = scripts(
        &s,
        vec![
            vec![offer(0, 0)],
            vec![
                offer(2, 1),
                offer(2, 0),
                offer(1, 1),
                offer(1, 0),
                offer(0, 1),
            ],
        ],
        6,
    );
    assert!(t.events.is_empty(), "{:?}", t.events);
}

#[test]
fn weights_change_and_negotiators_are_told() {
    struct Counting(std::sync::Arc<std::sync::atomic::AtomicUsize>);
    impl Negotiator for Counting {
        fn init(&mut self, _: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
            Ok(())
        }
        fn act(&mut self, _: &State<'_>) -> Action {
            offer(0, 0)
        }
        fn update(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
            let lin = info.preferences().utility.as_linear().unwrap();
            assert_eq!(lin.weights(), &[0.8, 0.9]);
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(())
        }
    }
    let mut s = scenario(2);
    s.events = vec![event(
        "b matters",
        Trigger::Round(1),
        vec![Effect::Weight {
            party: 1,
            issue: 1,
            weight: 0.9,
        }],
    )];
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let tables = ScenarioTables::for_scenario(&s);
    let negs: Vec<Box<dyn Negotiator>> = vec![
        Box::new(Script(vec![offer(0, 0)], 0)),
        Box::new(Counting(calls.clone())),
    ];
    let t = go(&s, &tables, negs, ProtocolConfig::new(3), 1);
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);
    // p1's utility of (x, p) after the change: 0.8 * 0 + 0.9 * 1.
    let after: Vec<_> = t
        .entries
        .iter()
        .filter(|e| e.round >= 1)
        .map(|e| e.utilities[1])
        .collect();
    assert!(after.iter().all(|&u| (u - 0.9).abs() < 1e-15), "{after:?}");
}

#[test]
fn partial_agreements_settle_issues_one_at_a_time() {
    let mut s = scenario(2);
    s.protocol.partial_agreements = true;
    // Round 0: both propose b=p (a differs) -> b is settled. Round 1: both propose a=y -> done.
    let t = scripts(
        &s,
        vec![
            vec![offer(0, 0), offer(1, 0)],
            vec![offer(2, 0), offer(1, 0)],
        ],
        10,
    );
    let fired: Vec<_> = t
        .events
        .iter()
        .map(|e| (e.round, e.description.as_str()))
        .collect();
    assert_eq!(
        fired,
        vec![
            (
                0,
                "b=p is agreed by every party and fixed for the rest of the talks"
            ),
            (
                1,
                "a=y is agreed by every party and fixed for the rest of the talks"
            )
        ]
    );
    assert_eq!(t.result.termination, Termination::Agreement);
    assert_eq!(t.result.agreement, Some(Outcome(vec![1, 0])));
    // Once b is settled, offering b=q is invalid.
    let t = scripts(
        &s,
        vec![vec![offer(0, 0), offer(0, 1)], vec![offer(2, 0)]],
        10,
    );
    assert!(matches!(
        t.result.termination,
        Termination::NegotiatorFault { party: 0, .. }
    ));
}

fn mediated(strategy: Spec, mediator: Option<usize>) -> Scenario {
    let mut s = scenario(3);
    s.protocol.kind = ProtocolKind::Mediated { strategy, mediator };
    s
}

#[test]
fn mediated_agreement_needs_every_vote() {
    let s = mediated(Spec::new("hill-climbing"), None);
    let t = scripts(
        &s,
        vec![
            vec![Action::Accept],
            vec![offer(2, 0), Action::Accept],
            vec![Action::Accept],
        ],
        5,
    );
    assert_eq!(t.result.termination, Termination::Agreement);
    let kinds: Vec<_> = t
        .entries
        .iter()
        .map(|e| (e.round, who(e), e.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (0, MEDIATOR, ActionKind::Propose),
            (0, 0, ActionKind::Accept),
            (0, 1, ActionKind::Offer),
            (0, 2, ActionKind::Accept),
            (1, MEDIATOR, ActionKind::Propose),
            (1, 0, ActionKind::Accept),
            (1, 1, ActionKind::Accept),
            (1, 2, ActionKind::Accept),
        ]
    );
    assert_eq!(t.result.agreement.as_ref(), t.entries[4].outcome.as_ref());
    assert!(s.space.contains(t.result.agreement.as_ref().unwrap()));
}

#[test]
fn informed_mediator_proposes_the_nash_point_first() {
    // A neutral mediator has no gain of its own; a mediating party without bias ranks by the
    // Nash product alone.
    let unbiased = Spec::new("informed").with("bias", 0.0);
    for (strategy, mediator) in [(Spec::new("informed"), None), (unbiased, Some(1))] {
        let s = mediated(strategy, mediator);
        let tables = ScenarioTables::for_scenario(&s);
        let negs: Vec<Box<dyn Negotiator>> = (0..3)
            .map(|_| Box::new(Threshold::new(0.0)) as Box<dyn Negotiator>)
            .collect();
        let t = go(&s, &tables, negs, ProtocolConfig::new(5), 3);
        // Everyone accepts anything: the first text, the Nash point, is agreed.
        assert_eq!(t.result.termination, Termination::Agreement);
        // Nash over (u - 0.1): two parties like x, one likes z; b = p for all. Brute force:
        let best = s
            .space
            .outcomes(100)
            .unwrap()
            .max_by(|a, b| {
                let p = |o: &Outcome| {
                    s.utilities(o)
                        .iter()
                        .map(|u| (u - 0.1).max(0.0))
                        .product::<f64>()
                };
                p(a).total_cmp(&p(b)).then(b.cmp(a))
            })
            .unwrap();
        assert_eq!(t.result.agreement, Some(best));
    }
}

/// Concedes linearly from its best utility to its reservation value over the talks; accepts a
/// text at or above its current demand, and otherwise counters with the least it would accept.
struct Conceding {
    utility: Option<Utility>,
    reservation: f64,
    best: f64,
    /// Outcomes sorted by its utility, best first.
    ranked: Vec<(f64, Outcome)>,
}

impl Conceding {
    fn boxed() -> Box<dyn Negotiator> {
        Box::new(Conceding {
            utility: None,
            reservation: 0.0,
            best: 1.0,
            ranked: Vec::new(),
        })
    }
}

impl Negotiator for Conceding {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        let table = info
            .own_table()
            .map_err(|e| NegotiatorError(e.to_string()))?;
        self.ranked = table
            .order
            .iter()
            .map(|&id| {
                (
                    table.utilities[id as usize],
                    info.space().outcome(id).unwrap(),
                )
            })
            .collect();
        self.best = table.best();
        self.reservation = info.preferences().reservation;
        self.utility = Some(info.preferences().utility.clone());
        Ok(())
    }
    fn act(&mut self, state: &State<'_>) -> Action {
        let demand = self.best - state.time * (self.best - self.reservation);
        let u = self.utility.as_ref().unwrap();
        match state.standing {
            Some(o) if crate::UtilityFunction::utility(u, &o.outcome) >= demand => Action::Accept,
            _ => {
                let k = self
                    .ranked
                    .iter()
                    .rposition(|(v, _)| *v >= demand)
                    .unwrap_or(0);
                Action::Offer(self.ranked[k].1.clone())
            }
        }
    }
}

/// The shape of the talks an informed mediator used to lose: demands fall as time passes, so
/// the texts worth tabling are the best-ranked ones, again and again, until one is accepted;
/// walking down the ranking (as the mediator once did) reaches only worse texts. Whenever a
/// text meets every party's demand at its last vote, the mediator must reach an agreement.
#[test]
fn an_informed_mediator_re_tables_what_becomes_acceptable() {
    const DEADLINE: u32 = 12;
    let mut with_a_deal = 0;
    for seed in 0..60u64 {
        let mut s = properties::random_scenario(seed);
        s.protocol.kind = ProtocolKind::Mediated {
            strategy: Spec::new("informed"),
            mediator: None,
        };
        let n = s.parties.len();
        // Each party's demand at its vote in the last round (time as the protocol counts it).
        let last_demand = |p: usize, table: &crate::PartyTable| {
            let t = f64::from((DEADLINE - 1) * (n as u32 + 1) + p as u32 + 1)
                / f64::from(DEADLINE * (n as u32 + 1));
            let r = s.parties[p].preferences.reservation;
            table.best() - t * (table.best() - r)
        };
        let tables = ScenarioTables::for_scenario(&s);
        let parties: Vec<_> = (0..n).map(|p| tables.party(&s, p).unwrap()).collect();
        let deal_exists = parties[0].order.iter().any(|&id| {
            (0..n).all(|p| parties[p].utilities[id as usize] >= last_demand(p, &parties[p]))
        });
        if !deal_exists {
            continue;
        }
        with_a_deal += 1;
        let negs = (0..n).map(|_| Conceding::boxed()).collect();
        let t = go(&s, &tables, negs, ProtocolConfig::new(DEADLINE), seed);
        assert_eq!(t.result.termination, Termination::Agreement, "seed {seed}");
    }
    assert!(
        with_a_deal >= 30,
        "only {with_a_deal} scenarios have a deal at the deadline"
    );
}

#[test]
fn a_fully_biased_mediator_tables_its_own_best_rational_text() {
    let s = mediated(Spec::new("informed").with("bias", 1.0), Some(1));
    let tables = ScenarioTables::for_scenario(&s);
    let negs: Vec<Box<dyn Negotiator>> = (0..3)
        .map(|_| Box::new(Threshold::new(0.0)) as Box<dyn Negotiator>)
        .collect();
    let t = go(&s, &tables, negs, ProtocolConfig::new(5), 3);
    let rational = |o: &Outcome| s.utilities(o).iter().all(|&u| u >= 0.1);
    let best_for_mediator = s
        .space
        .outcomes(100)
        .unwrap()
        .filter(rational)
        .max_by(|a, b| {
            let u = |o: &Outcome| s.utilities(o)[1];
            u(a).total_cmp(&u(b)).then(b.cmp(a))
        })
        .unwrap();
    assert_eq!(t.result.agreement, Some(best_for_mediator));
}

#[test]
fn veto_walk_never_makes_a_party_worse_off() {
    let s = mediated(Spec::new("veto"), None);
    let tables = ScenarioTables::for_scenario(&s);
    let negs: Vec<Box<dyn Negotiator>> = (0..3)
        .map(|_| Box::new(Threshold::new(2.0)) as Box<dyn Negotiator>)
        .collect();
    let t = go(&s, &tables, negs, ProtocolConfig::new(30), 5);
    assert_eq!(t.result.termination, Termination::Deadline);
    // The base text only moves to texts no party finds worse: follow accepted bases.
    let texts: Vec<&TraceEntry> = t
        .entries
        .iter()
        .filter(|e| e.kind == ActionKind::Propose)
        .collect();
    assert_eq!(texts.len(), 30);
    // Rebuild the base as the docs define it (a text replaces the base unless some party finds
    // it worse); every later text must then be the base with exactly one issue changed.
    let mut base: &TraceEntry = texts[0];
    for e in &texts[1..] {
        let (o, b) = (e.outcome.as_ref().unwrap(), base.outcome.as_ref().unwrap());
        let changed = o.0.iter().zip(&b.0).filter(|(x, y)| x != y).count();
        assert_eq!(changed, 1, "{o:?} is not one move from the base {b:?}");
        if !e.utilities.iter().zip(&base.utilities).any(|(c, b)| c < b) {
            base = e;
        }
    }
    // Everyone prefers b = p, so the walk has moved there and stays.
    assert_eq!(base.outcome.as_ref().unwrap().0[1], 0);
}

#[test]
fn a_mediating_party_does_not_vote_and_its_withdrawal_hands_over_to_a_neutral_mediator() {
    let mut s = mediated(Spec::new("hill-climbing"), Some(0));
    s.events = vec![event(
        "withdrawal",
        Trigger::NoAgreementBy(2),
        vec![Effect::Leave {
            party: 0,
            end_talks: false,
        }],
    )];
    // p0's script would reject everything, but as the mediator it is never asked.
    let t = scripts(
        &s,
        vec![vec![offer(0, 0)], vec![offer(2, 0)], vec![offer(2, 0)]],
        4,
    );
    assert!(
        t.entries
            .iter()
            .all(|e| who(e) != 0 || e.kind == ActionKind::Propose)
    );
    let proposers: Vec<_> = t
        .entries
        .iter()
        .filter(|e| e.kind == ActionKind::Propose)
        .map(|e| (e.round, who(e)))
        .collect();
    assert_eq!(
        proposers,
        vec![(0, 0), (1, 0), (2, MEDIATOR), (3, MEDIATOR)]
    );
    let fired: Vec<_> = t.events.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(fired, vec!["withdrawal", "mediation passes on"]);
    assert_eq!(t.result.termination, Termination::Deadline);
    // With the mediator's vote implied, the others accepting is an agreement.
    let s = mediated(Spec::new("hill-climbing"), Some(0));
    let t = scripts(
        &s,
        vec![
            vec![Action::End],
            vec![Action::Accept],
            vec![Action::Accept],
        ],
        4,
    );
    assert_eq!(t.result.termination, Termination::Agreement);
}

#[test]
fn same_seed_same_trace_in_both_protocols() {
    for kind in [
        ProtocolKind::Saop,
        ProtocolKind::Mediated {
            strategy: Spec::new("hill-climbing"),
            mediator: None,
        },
    ] {
        let mut s = scenario(3);
        s.protocol.kind = kind;
        let once = |seed| {
            let tables = ScenarioTables::for_scenario(&s);
            let negs: Vec<Box<dyn Negotiator>> = (0..3)
                .map(|_| Box::new(Threshold::new(0.7)) as Box<dyn Negotiator>)
                .collect();
            go(&s, &tables, negs, ProtocolConfig::new(8), seed)
        };
        assert_eq!(once(11), once(11));
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;
    use rand::{Rng, SeedableRng};

    /// A random linear additive scenario of 2-4 parties on 1-3 small issues, with a random hard
    /// constraint when one leaves something feasible.
    pub(super) fn random_scenario(seed: u64) -> Scenario {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let n_issues = rng.random_range(1..=3);
        let issues: Vec<Issue> = (0..n_issues)
            .map(|i| {
                Issue::discrete(
                    format!("i{i}"),
                    (0..rng.random_range(2..=4)).map(|v| format!("v{v}")),
                )
            })
            .collect();
        let mut space = OutcomeSpace::new(issues).unwrap();
        let forbid = crate::Constraint {
            name: "random".into(),
            combination: crate::Combination {
                parts: vec![(0, vec![rng.random_range(0..2)])],
            },
        };
        if rng.random::<bool>()
            && let Ok(s) = space.clone().with_constraints(vec![forbid])
        {
            space = s;
        }
        let n = rng.random_range(2..=4);
        let parties = (0..n)
            .map(|p| {
                let evals = space
                    .issues()
                    .iter()
                    .map(|i| Evaluator::Table((0..i.cardinality()).map(|_| rng.random()).collect()))
                    .collect();
                let weights = space.issues().iter().map(|_| rng.random()).collect();
                let u = LinearAdditive::new(&space, weights, evals, None).unwrap();
                Party {
                    name: format!("p{p}"),
                    preferences: Preferences {
                        utility: Utility::LinearAdditive(u),
                        reservation: rng.random_range(0.0..0.3),
                        discount: 1.0,
                    },
                    negotiator: None,
                }
            })
            .collect();
        Scenario {
            compliance: Default::default(),
            name: "random".into(),
            description: String::new(),
            space,
            parties,
            protocol: ProtocolSettings::default(),
            events: Vec::new(),
        }
    }

    proptest! {
        /// When some outcome is acceptable to every party throughout (fixed acceptance
        /// thresholds at or above the reservation values, all met by that outcome), an informed
        /// mediator with the true preferences reaches an agreement: every refusal rules a text
        /// out for good, and the deal that exists is never ruled out.
        #[test]
        fn an_informed_mediator_reaches_a_deal_that_exists(
            seed in any::<u64>(),
            biased in any::<bool>(),
            pick in any::<u64>(),
            shares in proptest::collection::vec(0.0f64..=1.0, 4),
        ) {
            let mut s = random_scenario(seed);
            s.protocol.kind = ProtocolKind::Mediated {
                strategy: Spec::new("informed"),
                mediator: biased.then_some(0),
            };
            let n = s.parties.len();
            let outcomes: Vec<Outcome> = s.space.outcomes(1000).unwrap().collect();
            let rational: Vec<&Outcome> = outcomes
                .iter()
                .filter(|o| {
                    s.parties.iter().all(|p| p.preferences.utility(o) >= p.preferences.reservation)
                })
                .collect();
            prop_assume!(!rational.is_empty());
            let deal = rational[(pick % rational.len() as u64) as usize];
            // Each party wants a share of the way from its reservation value to the deal.
            let thresholds: Vec<f64> = (0..n)
                .map(|p| {
                    let prefs = &s.parties[p].preferences;
                    prefs.reservation + shares[p] * (prefs.utility(deal) - prefs.reservation)
                })
                .collect();
            let tables = ScenarioTables::for_scenario(&s);
            let negs: Vec<Box<dyn Negotiator>> = thresholds
                .iter()
                .map(|&t| Box::new(Threshold::new(t)) as Box<dyn Negotiator>)
                .collect();
            let deadline = (n * outcomes.len() + 1) as u32;
            let t = go(&s, &tables, negs, ProtocolConfig::new(deadline), seed);
            prop_assert_eq!(&t.result.termination, &Termination::Agreement);
            let agreed = t.result.agreement.as_ref().unwrap();
            for (p, threshold) in thresholds.iter().enumerate() {
                if Some(p) != biased.then_some(0) {
                    prop_assert!(s.parties[p].preferences.utility(agreed) >= *threshold);
                }
            }
        }

        /// Mediated talks: every text is a feasible outcome, an agreement is reached exactly when
        /// every voting party accepted the same text (and is that text), and runs are
        /// deterministic.
        #[test]
        fn mediated_invariants(seed in any::<u64>(), strategy in 0usize..3, biased in any::<bool>(), thresholds in proptest::collection::vec(0.0f64..1.2, 4)) {
            let mut s = random_scenario(seed);
            let strategy = ["hill-climbing", "veto", "informed"].map(Spec::new)[strategy].clone();
            let mediator = biased.then_some(0);
            s.protocol.kind = ProtocolKind::Mediated { strategy, mediator };
            let n = s.parties.len();
            let once = || {
                let tables = ScenarioTables::for_scenario(&s);
                let negs: Vec<Box<dyn Negotiator>> = (0..n).map(|p| Box::new(Threshold::new(thresholds[p])) as Box<dyn Negotiator>).collect();
                go(&s, &tables, negs, ProtocolConfig::new(12), seed)
            };
            let t = once();
            prop_assert_eq!(&t, &once());
            let mut round_votes: Vec<(u32, usize, ActionKind)> = Vec::new();
            let mut text: Option<Outcome> = None;
            for e in &t.entries {
                match e.kind {
                    ActionKind::Propose => {
                        let o = e.outcome.as_ref().unwrap();
                        prop_assert!(s.space.contains(o), "text {:?} is not a feasible outcome", o);
                        text = Some(o.clone());
                        round_votes.clear();
                    }
                    kind => {
                        prop_assert!(Some(who(e)) != mediator, "the mediating party voted");
                        if kind == ActionKind::Accept {
                            prop_assert_eq!(e.outcome.as_ref(), text.as_ref());
                        }
                        round_votes.push((e.round, who(e), kind));
                    }
                }
            }
            let voters = n - usize::from(mediator.is_some());
            let all_accept = round_votes.len() == voters && round_votes.iter().all(|v| v.2 == ActionKind::Accept);
            match t.result.termination {
                Termination::Agreement => {
                    prop_assert!(all_accept, "agreement without every vote: {:?}", round_votes);
                    prop_assert_eq!(t.result.agreement.as_ref(), text.as_ref());
                }
                _ => prop_assert!(!all_accept),
            }
        }

        /// When every party accepts anything, the informed mediator's first text, the Nash
        /// point of the feasible outcomes (brute force), is agreed.
        #[test]
        fn informed_mediator_reaches_the_nash_point(seed in any::<u64>()) {
            let mut s = random_scenario(seed);
            s.protocol.kind = ProtocolKind::Mediated { strategy: Spec::new("informed"), mediator: None };
            let n = s.parties.len();
            let tables = ScenarioTables::for_scenario(&s);
            let negs: Vec<Box<dyn Negotiator>> = (0..n).map(|_| Box::new(Threshold::new(f64::NEG_INFINITY)) as Box<dyn Negotiator>).collect();
            let t = go(&s, &tables, negs, ProtocolConfig::new(5), seed);
            let key = |o: &Outcome| {
                let u = s.utilities(o);
                let rational = u.iter().zip(&s.parties).all(|(x, p)| *x >= p.preferences.reservation);
                let product: f64 = u.iter().zip(&s.parties).map(|(x, p)| (x - p.preferences.reservation).max(0.0)).product();
                (rational, product)
            };
            let best = s.space.outcomes(1000).unwrap().map(|o| key(&o)).fold((false, f64::NEG_INFINITY), |a, b| if (b.0, b.1) > (a.0, a.1) { b } else { a });
            prop_assert_eq!(t.result.termination, Termination::Agreement);
            let got = key(t.result.agreement.as_ref().unwrap());
            prop_assert_eq!(got.0, best.0);
            prop_assert!((got.1 - best.1).abs() <= 1e-12, "Nash product {} vs best {}", got.1, best.1);
        }

        /// No built-in path ever offers an infeasible outcome: the shared tables list feasible
        /// outcomes only, and exactly those.
        #[test]
        fn tables_list_exactly_the_feasible_outcomes(seed in any::<u64>()) {
            let s = random_scenario(seed);
            let tables = ScenarioTables::for_scenario(&s);
            for p in 0..s.parties.len() {
                let t = tables.party(&s, p).unwrap();
                let mut listed: Vec<u64> = t.order.clone();
                listed.sort_unstable();
                let feasible: Vec<u64> = s.space.outcomes(1000).unwrap().map(|o| s.space.id_of(&o).unwrap()).collect();
                prop_assert_eq!(listed, feasible);
            }
        }
    }
}
