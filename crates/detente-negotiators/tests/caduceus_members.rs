//! Property tests of ParsAgent (`pars-agent`) and RandomDance (`random-dance`), the ANAC 2015
//! members of Caduceus: on random linear scenarios, bilaterally and in three-party talks,
//! against random built-in opponents, each other and themselves, they offer only feasible
//! outcomes and play the same trace for the same seed; the only fault they end talks with is
//! their originals' own failure (after an accept seen before any offer).

use detente_core::*;
use proptest::prelude::*;

use crate::saop_properties::{any_spec, any_terms, run};
use crate::synthetic::{Terms, linear_scenario};

fn any_pars() -> impl Strategy<Value = NegotiatorSpec> {
    prop_oneof![
        Just(NegotiatorSpec::new("pars-agent")),
        (1.0..20.0f64).prop_map(|d| NegotiatorSpec::new("pars-agent").with("draws", d.floor())),
        Just(NegotiatorSpec::new("random-dance")),
    ]
}

/// Feasible offers only; a fault only where the original fails (`pars` marks the seats of
/// either agent).
fn check(s: &Scenario, t: &Trace, pars: &[bool]) -> Result<(), TestCaseError> {
    for e in &t.entries {
        if e.kind == ActionKind::Offer {
            let o = e.outcome.as_ref().unwrap();
            prop_assert!(s.space.contains(o), "{:?} offered {:?}", e.actor, o);
        }
    }
    if let Termination::NegotiatorFault { party, fault } = &t.result.termination {
        let original = matches!(
            fault,
            NegotiatorFault::Panic(m) if m.contains("fails as the original does")
        );
        prop_assert!(pars[*party] && original, "{:?}", t.result.termination);
        // The original fails only in talks of more than two parties.
        prop_assert!(s.parties.len() > 2);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// Bilaterally, in either seat, against a random built-in opponent or itself.
    #[test]
    fn members_play_bilaterally(
        me in any_pars(),
        cards in proptest::collection::vec(1u32..=5, 1..=4),
        terms in proptest::collection::vec(any_terms(), 2),
        opponent in any_spec(),
        mirror: bool,
        first: bool,
        conflict in 0.0..=1.0f64,
        scenario_seed: u64,
        seed: u64,
        deadline in 1u32..=40,
    ) {
        let s = linear_scenario(&cards, &terms, conflict, scenario_seed);
        let other = if mirror { me.clone() } else { opponent };
        let (specs, pars) = if first {
            (vec![me, other], [true, mirror])
        } else {
            (vec![other, me], [mirror, true])
        };
        let t = run(&s, &specs, deadline, seed);
        check(&s, &t, &pars)?;
        prop_assert_eq!(&t, &run(&s, &specs, deadline, seed));
    }

    /// Three parties: one of them in a random seat, the others random built-in kinds,
    /// ParsAgents or RandomDances.
    #[test]
    fn members_play_with_three_parties(
        me in any_pars(),
        cards in proptest::collection::vec(1u32..=5, 1..=4),
        terms in proptest::collection::vec(any_terms(), 3),
        others in proptest::collection::vec(prop_oneof![any_spec(), any_pars()], 2),
        seat in 0usize..3,
        conflict in 0.0..=1.0f64,
        scenario_seed: u64,
        seed: u64,
        deadline in 1u32..=30,
    ) {
        let s = linear_scenario(&cards, &terms, conflict, scenario_seed);
        let mut specs = others;
        specs.insert(seat, me);
        let pars: Vec<bool> = specs
            .iter()
            .map(|sp| sp.kind == "pars-agent" || sp.kind == "random-dance")
            .collect();
        let t = run(&s, &specs, deadline, seed);
        check(&s, &t, &pars)?;
        prop_assert_eq!(&t, &run(&s, &specs, deadline, seed));
    }
}

/// Three-party negotiations of a ParsAgent, a RandomDance and a ParsAgent on a small domain,
/// deterministic per seed, some playing to an agreement or the deadline (not every one can:
/// the originals' failure).
#[test]
fn three_members_negotiate() {
    let s = linear_scenario(&[4, 3, 5], &[Terms::default(); 3], 0.5, 11);
    let specs = vec![
        NegotiatorSpec::new("pars-agent"),
        NegotiatorSpec::new("random-dance"),
        NegotiatorSpec::new("pars-agent"),
    ];
    let mut ended = 0;
    for seed in 0..8 {
        let t = run(&s, &specs, 60, seed);
        check(&s, &t, &[true; 3]).unwrap();
        assert_eq!(t, run(&s, &specs, 60, seed));
        ended += matches!(
            t.result.termination,
            Termination::Agreement | Termination::Deadline
        ) as u32;
    }
    assert!(ended > 0);
}
