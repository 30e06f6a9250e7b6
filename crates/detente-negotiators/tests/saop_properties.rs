//! Property tests: random scenarios (2-4 parties, random linear additive utilities on small
//! random spaces, random reservation values and discount factors), random mixes of the built-in
//! negotiators, random seeds and deadlines. Every trace must obey the SAOP rules.

use detente_core::protocol::{Protocol, ProtocolConfig, Saop};
use detente_core::*;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use crate::create;
use crate::synthetic::{Terms, linear_scenario};

/// A random built-in negotiator spec with random parameters in range.
pub fn any_spec() -> impl Strategy<Value = NegotiatorSpec> {
    prop_oneof![
        (0.0..5.0f64).prop_map(|e| NegotiatorSpec::new("time-based").with("e", e)),
        (0.0..=1.0f64).prop_map(|e| NegotiatorSpec::new("boulware").with("e", e)),
        Just(NegotiatorSpec::new("boulware")),
        Just(NegotiatorSpec::new("linear")),
        (1.0..5.0f64).prop_map(|e| NegotiatorSpec::new("conceder").with("e", e)),
        Just(NegotiatorSpec::new("hardliner")),
        Just(NegotiatorSpec::new("random")),
        (0.0..2.0f64).prop_map(|f| NegotiatorSpec::new("tit-for-tat").with("factor", f)),
    ]
}

/// A party's reservation value and discount factor (undiscounted half the time).
pub fn any_terms() -> impl Strategy<Value = Terms> {
    (0.0..0.7f64, prop_oneof![Just(1.0), 0.3..1.0f64]).prop_map(|(reservation, discount)| Terms {
        reservation,
        discount,
    })
}

/// Everything a random negotiation is made of.
#[derive(Debug, Clone)]
struct Case {
    cards: Vec<u32>,
    terms: Vec<Terms>,
    specs: Vec<NegotiatorSpec>,
    conflict: f64,
    scenario_seed: u64,
    seed: u64,
    deadline: u32,
}

fn any_case() -> impl Strategy<Value = Case> {
    (2usize..=4)
        .prop_flat_map(|n| {
            (
                proptest::collection::vec(1u32..=5, 1..=4),
                proptest::collection::vec(any_terms(), n),
                proptest::collection::vec(any_spec(), n),
                0.0..=1.0f64,
                any::<u64>(),
                any::<u64>(),
                1u32..=30,
            )
        })
        .prop_map(
            |(cards, terms, specs, conflict, scenario_seed, seed, deadline)| Case {
                cards,
                terms,
                specs,
                conflict,
                scenario_seed,
                seed,
                deadline,
            },
        )
}

/// A negotiation of built-in kinds under SAOP (shared by the property tests of this crate).
pub fn run(s: &Scenario, specs: &[NegotiatorSpec], deadline: u32, seed: u64) -> Trace {
    let tables = ScenarioTables::for_scenario(s);
    let negotiators = specs.iter().map(|sp| create(sp).unwrap()).collect();
    Saop::new(s, &tables, negotiators, ProtocolConfig::new(deadline), seed).run()
}

/// Checks a trace against the SAOP rules, from its entries alone.
pub fn check(s: &Scenario, t: &Trace, deadline: u32) -> Result<(), TestCaseError> {
    check_ends(s, t, deadline, false)
}

/// [`check`], letting a party walk away when `may_end` (some BOA acceptance conditions end
/// the talks by definition, e.g. TheNegotiatorReloaded's below its reservation value): the
/// walk-away is then the last entry and ends the talks without agreement.
pub fn check_ends(
    s: &Scenario,
    t: &Trace,
    deadline: u32,
    may_end: bool,
) -> Result<(), TestCaseError> {
    let n = s.parties.len();
    let r = &t.result;
    prop_assert!(!t.entries.is_empty());
    prop_assert_eq!(
        t.entries[0].kind,
        ActionKind::Offer,
        "the first move is an offer"
    );
    let mut standing: Option<&Outcome> = None;
    let mut accepts = 0;
    for (k, e) in t.entries.iter().enumerate() {
        // Turn order and rounds.
        prop_assert_eq!(e.actor, detente_core::Actor::Party(k % n), "entry {}", k);
        prop_assert_eq!(e.round as usize, k / n, "entry {}", k);
        prop_assert!(
            e.round < deadline,
            "entry {} at round {} >= deadline",
            k,
            e.round
        );
        prop_assert_eq!(e.time, k as f64 / (f64::from(deadline) * n as f64));
        let outcome = e.outcome.as_ref();
        match e.kind {
            ActionKind::Offer => {
                let o = outcome.expect("an offer has an outcome");
                prop_assert!(s.space.contains(o), "offer {:?} outside the space", o);
                standing = Some(o);
                accepts = 0;
            }
            ActionKind::Accept => {
                prop_assert!(standing.is_some());
                prop_assert_eq!(outcome, standing, "entry {} accepts another outcome", k);
                accepts += 1;
                if accepts == n - 1 {
                    prop_assert_eq!(k + 1, t.entries.len(), "no stop after everyone accepted");
                }
            }
            ActionKind::End => {
                prop_assert!(may_end, "built-in negotiators never walk away");
                prop_assert_eq!(k + 1, t.entries.len(), "no stop after a walk-away");
                let party = e.actor.party().expect("a party walked away");
                prop_assert_eq!(&r.termination, &Termination::Ended { party });
                prop_assert_eq!(r.agreement.as_ref(), None);
            }
            ActionKind::Propose => prop_assert!(false, "SAOP records no mediator texts"),
        }
        if let Some(o) = outcome {
            prop_assert_eq!(&e.utilities, &s.utilities(o));
        }
    }
    match r.termination {
        Termination::Agreement => {
            let last = t.entries.last().unwrap();
            prop_assert_eq!(last.kind, ActionKind::Accept);
            prop_assert_eq!(
                accepts,
                n - 1,
                "agreement without every other party accepting"
            );
            let agreed = r.agreement.as_ref().expect("an agreement has an outcome");
            prop_assert_eq!(Some(agreed), standing);
            prop_assert!(s.space.contains(agreed));
            prop_assert_eq!(r.time, last.time);
            prop_assert_eq!(r.rounds_used, last.round + 1);
            for (i, p) in s.parties.iter().enumerate() {
                let prefs = &p.preferences;
                prop_assert_eq!(
                    r.utilities[i],
                    prefs.discounted(prefs.utility(agreed), r.time)
                );
            }
        }
        Termination::Deadline => {
            prop_assert_eq!(t.entries.len(), n * deadline as usize);
            prop_assert!(accepts < n - 1);
            prop_assert_eq!(r.agreement.as_ref(), None);
            prop_assert_eq!(r.time, 1.0);
            prop_assert_eq!(r.rounds_used, deadline);
            for (i, p) in s.parties.iter().enumerate() {
                let prefs = &p.preferences;
                prop_assert_eq!(r.utilities[i], prefs.discounted(prefs.reservation, 1.0));
            }
        }
        Termination::Ended { .. } if may_end => {}
        ref other => prop_assert!(false, "unexpected termination {:?}", other),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn traces_obey_saop(case in any_case()) {
        let s = linear_scenario(&case.cards, &case.terms, case.conflict, case.scenario_seed);
        let t = run(&s, &case.specs, case.deadline, case.seed);
        check(&s, &t, case.deadline)?;
        // Same seed, same everything: an identical trace.
        let again = run(&s, &case.specs, case.deadline, case.seed);
        prop_assert_eq!(&t, &again);
    }
}

/// The checker itself rejects broken traces (so the property above can fail).
#[test]
fn checker_catches_violations() {
    let s = linear_scenario(&[3, 3], &[Terms::default(); 2], 1.0, 5);
    let specs = [
        NegotiatorSpec::new("conceder"),
        NegotiatorSpec::new("linear"),
    ];
    let t = run(&s, &specs, 10, 1);
    assert_eq!(t.result.termination, Termination::Agreement);
    check(&s, &t, 10).unwrap();
    let mut bad = t.clone();
    bad.entries.swap(0, 1);
    assert!(check(&s, &bad, 10).is_err());
    let mut bad = t.clone();
    bad.result.utilities[0] += 1e-9;
    assert!(check(&s, &bad, 10).is_err());
    let mut bad = t.clone();
    bad.entries.pop();
    assert!(check(&s, &bad, 10).is_err());
    assert!(check(&s, &t, (t.result.rounds_used).saturating_sub(1).max(1)).is_err());
}

/// A space too large to tabulate ends the negotiation with a clear start-up error.
#[test]
fn too_large_spaces_are_an_init_error() {
    let s = linear_scenario(&[5, 5, 5], &[Terms::default(); 2], 0.5, 1);
    let tables = ScenarioTables::new(2, 100);
    for kind in ["linear", "hardliner", "random", "tit-for-tat"] {
        let negotiators = vec![
            create(&NegotiatorSpec::new(kind)).unwrap(),
            create(&NegotiatorSpec::new(kind)).unwrap(),
        ];
        let t = Saop::new(&s, &tables, negotiators, ProtocolConfig::new(10), 1).run();
        match t.result.termination {
            Termination::NegotiatorFault {
                party: 0,
                fault: NegotiatorFault::Init(msg),
            } => {
                assert!(
                    msg.contains("cannot be built") && msg.contains("enumeration limit of 100"),
                    "{msg}"
                );
            }
            other => panic!("{kind}: {other:?}"),
        }
    }
}
