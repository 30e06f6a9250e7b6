//! Property tests of the named agents (`detente_negotiators::agents`): on random scenarios,
//! against random built-in opponents, they offer only feasible outcomes, never accept below
//! their reservation value, and play the same trace for the same seed; the bilateral ones
//! refuse more parties with a recorded fault.

use detente_core::protocol::{Protocol, ProtocolConfig, Saop};
use detente_core::*;
use detente_negotiators::Registry;
use detente_negotiators::agents::{Caduceus, caduceus_members};
use proptest::prelude::*;

use crate::saop_properties::{any_spec, any_terms, run};
use crate::synthetic::linear_scenario;

/// Each named agent's kind, whether it plays in negotiations of more than two parties, and
/// whether its published rules forbid accepting below its reservation value (PonPokoAgent,
/// AgreeableAgent2018 and AgentGG accept by thresholds that ignore it, as their originals do).
const AGENTS: &[(&str, bool, bool)] = &[
    ("micro", false, true),
    ("agentm", false, false),
    ("atlas3", true, false),
    ("kawaii", true, false),
    ("caduceus-core", true, false),
    ("ponpoko", true, false),
    ("agreeable2018", true, false),
    ("agentgg", true, false),
];

/// A negotiation with the Caduceus portfolio of its five members (`caduceus_members`) in seat
/// `seat` and built-in kinds elsewhere.
fn run_caduceus(
    s: &Scenario,
    specs: &[NegotiatorSpec],
    seat: usize,
    deadline: u32,
    seed: u64,
) -> Trace {
    let registry = Registry::builtin();
    let tables = ScenarioTables::for_scenario(s);
    let negotiators = specs
        .iter()
        .enumerate()
        .map(|(i, sp)| {
            if i == seat {
                Box::new(Caduceus::new(caduceus_members())) as Box<dyn Negotiator>
            } else {
                registry.create(sp).unwrap()
            }
        })
        .collect();
    Saop::new(s, &tables, negotiators, ProtocolConfig::new(deadline), seed).run()
}

/// Feasible offers only, no fault, and no party marked in `agents` accepts below its
/// reservation value.
fn check(s: &Scenario, t: &Trace, agents: &[bool]) -> Result<(), TestCaseError> {
    for e in &t.entries {
        let p = e.actor.party().unwrap();
        match e.kind {
            ActionKind::Offer => {
                let o = e.outcome.as_ref().unwrap();
                prop_assert!(s.space.contains(o), "party {} offered {:?}", p, o);
            }
            ActionKind::Accept if agents[p] => {
                let o = e.outcome.as_ref().unwrap();
                let u = s.parties[p].preferences.utility(o);
                prop_assert!(
                    u >= s.parties[p].preferences.reservation,
                    "party {} accepted {} below its reservation value",
                    p,
                    u
                );
            }
            _ => {}
        }
    }
    prop_assert!(
        !matches!(t.result.termination, Termination::NegotiatorFault { .. }),
        "{:?}",
        t.result.termination
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

    /// Every agent, in either seat, against a random built-in opponent or itself.
    #[test]
    fn agents_play_bilaterally(
        agent in 0..AGENTS.len(),
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
        let (kind, _, rational) = AGENTS[agent];
        let me = NegotiatorSpec::new(kind);
        let other = if mirror { me.clone() } else { opponent };
        let (specs, agents) = if first {
            (vec![me, other], [rational, mirror && rational])
        } else {
            (vec![other, me], [mirror && rational, rational])
        };
        let t = run(&s, &specs, deadline, seed);
        check(&s, &t, &agents)?;
        prop_assert_eq!(&t, &run(&s, &specs, deadline, seed));
    }

    /// In three- and four-party talks: the multilateral agents play by the rules, the
    /// bilateral ones end the talks with a fault saying why.
    #[test]
    fn agents_in_multilateral_talks(
        agent in 0..AGENTS.len(),
        cards in proptest::collection::vec(1u32..=5, 1..=4),
        terms in proptest::collection::vec(any_terms(), 3..=4),
        conflict in 0.0..=1.0f64,
        scenario_seed: u64,
        seed: u64,
        deadline in 1u32..=30,
    ) {
        let s = linear_scenario(&cards, &terms, conflict, scenario_seed);
        let (kind, multilateral, rational) = AGENTS[agent];
        let specs: Vec<NegotiatorSpec> = (0..terms.len())
            .map(|i| NegotiatorSpec::new(if i == 1 { kind } else { "conceder" }))
            .collect();
        let t = run(&s, &specs, deadline, seed);
        if multilateral {
            let agents: Vec<bool> = (0..terms.len()).map(|i| i == 1 && rational).collect();
            check(&s, &t, &agents)?;
            prop_assert_eq!(&t, &run(&s, &specs, deadline, seed));
        } else {
            match &t.result.termination {
                Termination::NegotiatorFault { party: 1, fault: NegotiatorFault::Init(m) } => {
                    prop_assert!(m.contains("bilateral"), "{}", m);
                }
                other => prop_assert!(false, "{} in {} parties: {:?}", kind, terms.len(), other),
            }
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// The Caduceus portfolio (ParsAgent, RandomDance, Kawaii, Atlas3 and the inner agent) in
    /// two- to four-party talks against time-based and random opponents: feasible offers, the
    /// same trace for the same seed, and no fault but the one its members' originals have
    /// (ParsAgent and RandomDance throw, in talks of more than two, on an accept seen before
    /// any offer; GENIUS's Caduceus does not guard them).
    #[test]
    fn caduceus_portfolio_plays(
        cards in proptest::collection::vec(1u32..=5, 1..=4),
        terms in proptest::collection::vec(any_terms(), 2..=4),
        opponent in any_spec(),
        seat in 0usize..4,
        conflict in 0.0..=1.0f64,
        scenario_seed: u64,
        seed: u64,
        deadline in 1u32..=30,
    ) {
        let s = linear_scenario(&cards, &terms, conflict, scenario_seed);
        let seat = seat % terms.len();
        let specs: Vec<NegotiatorSpec> = vec![opponent; terms.len()];
        let t = run_caduceus(&s, &specs, seat, deadline, seed);
        let members_fault = match &t.result.termination {
            Termination::NegotiatorFault { party, fault: NegotiatorFault::Panic(m) } => {
                *party == seat && m.contains("fails as the original does") && terms.len() > 2
            }
            _ => false,
        };
        if !members_fault {
            check(&s, &t, &vec![false; terms.len()])?;
        }
        prop_assert_eq!(&t, &run_caduceus(&s, &specs, seat, deadline, seed));
    }
}
