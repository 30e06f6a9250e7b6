//! The engine's extension points used from outside the crate: a protocol of one's own over a
//! `Session`, and a mediator strategy registered by name.

use detente_core::protocol::mediator::{self, MediatorStrategy, MediatorView, Proposal};
use detente_core::protocol::{self, Protocol, ProtocolConfig, Session, Step};
use detente_core::registry::{Entry, ParamInfo, Params, Spec};
use detente_core::*;

/// Two parties split ten units; each prefers more for itself.
fn pie(kind: ProtocolKind) -> Scenario {
    let space = OutcomeSpace::new(vec![Issue::integer("share", 0, 10)]).unwrap();
    let linear = |slope: f64, intercept: f64| {
        let ev = Evaluator::Linear {
            slope,
            intercept,
            origin: 0.0,
            clamp: true,
        };
        Utility::LinearAdditive(LinearAdditive::new(&space, vec![1.0], vec![ev], None).unwrap())
    };
    let party = |name: &str, utility| Party {
        name: name.into(),
        preferences: Preferences {
            reservation: 0.3,
            ..Preferences::new(utility)
        },
        negotiator: None,
    };
    let scenario = Scenario {
        compliance: Default::default(),
        name: "pie".into(),
        description: String::new(),
        parties: vec![party("A", linear(0.1, 0.0)), party("B", linear(-0.1, 1.0))],
        space,
        protocol: ProtocolSettings {
            deadline: 10,
            kind,
            ..ProtocolSettings::default()
        },
        events: Vec::new(),
    };
    scenario.validate().unwrap();
    scenario
}

/// Accepts any standing offer worth at least its threshold; otherwise offers `share`.
struct Threshold {
    party: usize,
    threshold: f64,
    share: u32,
    scenario: Option<Scenario>,
}

impl Threshold {
    fn boxed(threshold: f64, share: u32) -> Box<dyn Negotiator> {
        Box::new(Threshold {
            party: 0,
            threshold,
            share,
            scenario: None,
        })
    }
}

impl Negotiator for Threshold {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        self.party = info.party;
        self.scenario = Some(info.scenario.clone());
        Ok(())
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        let s = self.scenario.as_ref().expect("initialised");
        match state.standing {
            Some(o) if s.utilities(&o.outcome)[self.party] >= self.threshold => Action::Accept,
            _ => Action::Offer(Outcome(vec![self.share])),
        }
    }
}

/// Take it or leave it: party 0 makes one offer, every other party answers once.
struct Ultimatum<'a> {
    session: Session<'a>,
    offer: Option<Offer>,
    next: usize,
}

impl<'a> Protocol<'a> for Ultimatum<'a> {
    fn session(&self) -> &Session<'a> {
        &self.session
    }
    fn session_mut(&mut self) -> &mut Session<'a> {
        &mut self.session
    }
    fn into_session(self) -> Session<'a> {
        self.session
    }
    fn step(&mut self) -> Step {
        if self.session.result().is_some() {
            return Step::Ended;
        }
        if !self.session.is_started() && self.session.start() == Step::Ended {
            return Step::Ended;
        }
        let party = self.next;
        let time = self.session.time_at(0, party, self.session.n());
        let active = self.session.active();
        let state = State {
            round: 0,
            time,
            turn: party,
            standing: self.offer.as_ref(),
            accepts: party.saturating_sub(1),
            active: &active,
        };
        let Some(action) = self.session.act(party, &state) else {
            return Step::Ended;
        };
        match (party, action) {
            (0, Action::Offer(outcome)) => {
                self.session
                    .record(Actor::Party(0), time, ActionKind::Offer, Some(&outcome));
                self.offer = Some(Offer {
                    outcome,
                    by: Actor::Party(0),
                });
            }
            (_, Action::Accept) => {
                let outcome = self.offer.as_ref().map(|o| o.outcome.clone());
                self.session.record(
                    Actor::Party(party),
                    time,
                    ActionKind::Accept,
                    outcome.as_ref(),
                );
                if party + 1 == self.session.n() {
                    self.session.finish(Termination::Agreement, time, outcome);
                    return Step::Ended;
                }
            }
            _ => {
                self.session
                    .finish(Termination::Ended { party }, time, None);
                return Step::Ended;
            }
        }
        self.next += 1;
        Step::Continue
    }
}

#[test]
fn a_protocol_of_ones_own_runs_over_a_session() {
    let s = pie(ProtocolKind::Saop);
    let tables = ScenarioTables::for_scenario(&s);
    let run = |b_threshold: f64| {
        let negotiators = vec![Threshold::boxed(1.0, 6), Threshold::boxed(b_threshold, 5)];
        Ultimatum {
            session: Session::new(&s, &tables, negotiators, ProtocolConfig::new(1), 1),
            offer: None,
            next: 0,
        }
        .run()
    };
    let accepted = run(0.35);
    assert_eq!(accepted.result.termination, Termination::Agreement);
    assert_eq!(accepted.result.agreement, Some(Outcome(vec![6])));
    assert_eq!(accepted.entries.len(), 2);
    // B wants more than the 0.4 it is offered: it counters, which the ultimatum counts as walking out.
    let refused = run(0.5);
    assert_eq!(refused.result.termination, Termination::Ended { party: 1 });
    assert_eq!(refused.result.utilities, vec![0.3, 0.3]);
}

/// Always tables the same share; panics or proposes nonsense on request.
struct Fixed {
    share: u32,
}

impl MediatorStrategy for Fixed {
    fn next_text(&mut self, view: &MediatorView<'_>, _: &mut dyn rand::RngCore) -> Proposal {
        assert!(self.share != 99, "the fixed mediator was told to fail");
        let _ = view.round;
        Outcome(vec![self.share]).into()
    }
}

fn with_fixed() -> mediator::MediatorRegistry {
    let mut registry = mediator::builtin();
    let entry = Entry::new("fixed", "always the same share", |p: &Params<'_>| {
        Box::new(Fixed {
            share: p.get("share") as u32,
        }) as Box<dyn MediatorStrategy>
    })
    .param(ParamInfo::new(
        "share",
        5.0,
        0.0,
        99.0,
        "the share it tables",
    ));
    registry.register(entry).unwrap();
    registry
}

fn mediated(share: f64) -> Result<Trace, registry::SpecError> {
    let s = pie(ProtocolKind::Mediated {
        strategy: Spec::new("fixed").with("share", share),
        mediator: None,
    });
    let tables = ScenarioTables::for_scenario(&s);
    let negotiators = vec![Threshold::boxed(0.5, 9), Threshold::boxed(0.4, 1)];
    protocol::run(
        &s,
        &tables,
        negotiators,
        ProtocolConfig::new(3),
        7,
        None,
        &with_fixed(),
    )
}

#[test]
fn a_registered_mediator_strategy_runs_the_talks() {
    let t = mediated(5.0).unwrap();
    assert_eq!(t.result.termination, Termination::Agreement);
    assert_eq!(t.result.agreement, Some(Outcome(vec![5])));
    assert_eq!(t.entries[0].actor, Actor::Mediator);
    assert_eq!(t.entries[0].kind, ActionKind::Propose);
    // Unknown to the built-in registry.
    let s = pie(ProtocolKind::Mediated {
        strategy: Spec::new("fixed"),
        mediator: None,
    });
    let tables = ScenarioTables::for_scenario(&s);
    let negotiators = vec![Threshold::boxed(0.5, 9), Threshold::boxed(0.4, 1)];
    let err = protocol::run(
        &s,
        &tables,
        negotiators,
        ProtocolConfig::new(3),
        7,
        None,
        &mediator::builtin(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown mediator kind `fixed`; known kinds: hill-climbing, veto, informed"
    );
}

#[test]
fn a_misbehaving_mediator_is_a_recorded_fault() {
    let t = mediated(99.0).unwrap();
    match &t.result.termination {
        Termination::MediatorFault { fault } => {
            assert!(fault.to_string().contains("told to fail"), "{fault}");
        }
        other => panic!("expected a mediator fault, got {other:?}"),
    }
    let t = mediated(11.0).unwrap();
    assert_eq!(t.result.termination.as_str(), "mediator-fault");
    assert!(t.entries.is_empty());
}
