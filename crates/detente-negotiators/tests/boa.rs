//! BOA negotiators: every component composes and plays by the SAOP rules, deterministically
//! for a seed; the acceptance conditions that forbid it never accept below the reservation
//! value; one model per opponent in multilateral talks; time-based negotiators choose near
//! their target by their model.

use detente_core::registry::Spec;
use detente_core::*;
use detente_negotiators::Registry;
use detente_negotiators::boa::Boa;
use proptest::prelude::*;

use crate::saop_properties::{any_spec, any_terms, check_ends, run};
use crate::synthetic::{Terms, linear_scenario};

/// A kind's name and its numeric parameters' names and ranges.
type KindRanges = (String, Vec<(String, f64, f64)>);

/// Every kind of a component registry, with each numeric parameter drawn in its range (the
/// range's lower end plus a random share of up to 2 of it, when unbounded).
fn any_component(kinds: Vec<KindRanges>) -> impl Strategy<Value = Spec> {
    let n = kinds.len();
    (0..n, proptest::collection::vec(0.0..=1.0f64, 4)).prop_map(move |(k, shares)| {
        let (name, params) = &kinds[k];
        let mut spec = Spec::new(name);
        for ((p, lo, hi), share) in params.iter().zip(shares) {
            let hi = if hi.is_finite() { *hi } else { lo + 2.0 };
            let hi = hi.min(lo + 2.0);
            spec.params.insert(p.clone(), lo + (hi - lo) * share);
        }
        spec
    })
}

/// The kinds of a registry with their numeric parameters' ranges.
fn kinds_of<T: ?Sized>(r: &detente_core::registry::Registry<T>) -> Vec<KindRanges> {
    r.list()
        .iter()
        .map(|e| {
            // The Bayesian model's size limit refuses small domains when drawn low: keep it.
            let params = e
                .params
                .iter()
                .filter(|p| p.name != "max-hypotheses")
                .map(|p| (p.name.clone(), p.min.max(-1.0), p.max))
                .collect();
            (e.name.clone(), params)
        })
        .collect()
}

/// A random `boa` spec: any offering strategy, opponent model, opponent-model strategy and
/// acceptance condition of the built-in registries, with random parameters.
pub fn any_boa_spec() -> impl Strategy<Value = NegotiatorSpec> {
    let boa = Registry::builtin().boa().clone();
    (
        any_component(kinds_of(&boa.offering)),
        any_component(kinds_of(&boa.models)),
        any_component(kinds_of(&boa.strategies)),
        any_component(kinds_of(&boa.acceptance)),
    )
        .prop_map(|(offer, model, oms, accept)| {
            NegotiatorSpec::new("boa")
                .with_component("offer", offer)
                .with_component("model", model)
                .with_component("oms", oms)
                .with_component("accept", accept)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    /// Random BOA negotiators, against each other and the other built-ins, on random
    /// scenarios of 2 to 4 parties: valid SAOP traces (feasible offers only; a walk-away only
    /// as the last move, where an acceptance condition ends the talks by definition),
    /// identical for the same seed.
    #[test]
    fn boa_traces_obey_saop(
        cards in proptest::collection::vec(1u32..=5, 1..=4),
        terms in proptest::collection::vec(any_terms(), 2..=4),
        boa in proptest::collection::vec(any_boa_spec(), 4),
        others in proptest::collection::vec(any_spec(), 4),
        mix in proptest::collection::vec(any::<bool>(), 4),
        conflict in 0.0..=1.0f64,
        scenario_seed: u64,
        seed: u64,
        deadline in 1u32..=30,
    ) {
        let s = linear_scenario(&cards, &terms, conflict, scenario_seed);
        let specs: Vec<NegotiatorSpec> = (0..terms.len())
            .map(|i| if mix[i] || i == 0 { boa[i].clone() } else { others[i].clone() })
            .collect();
        let t = run(&s, &specs, deadline, seed);
        check_ends(&s, &t, deadline, true)?;
        prop_assert_eq!(&t, &run(&s, &specs, deadline, seed));
    }

    /// The named ANAC agents (AgentK, HardHeaded, ...), against each other and the other
    /// built-ins, on random scenarios of 2 or 3 parties: valid SAOP traces (feasible offers
    /// only; walk-aways as above), identical for the same seed.
    #[test]
    fn named_agents_obey_saop(
        cards in proptest::collection::vec(1u32..=5, 1..=4),
        terms in proptest::collection::vec(any_terms(), 2..=3),
        agents in proptest::collection::vec(0usize..64, 3),
        others in proptest::collection::vec(any_spec(), 3),
        mix in proptest::collection::vec(any::<bool>(), 3),
        conflict in 0.0..=1.0f64,
        scenario_seed: u64,
        seed: u64,
        deadline in 1u32..=30,
    ) {
        let names: Vec<&str> = detente_negotiators::boa::agents::names().collect();
        let s = linear_scenario(&cards, &terms, conflict, scenario_seed);
        let specs: Vec<NegotiatorSpec> = (0..terms.len())
            .map(|i| if mix[i] || i == 0 {
                NegotiatorSpec::new(names[agents[i] % names.len()])
            } else {
                others[i].clone()
            })
            .collect();
        let t = run(&s, &specs, deadline, seed);
        check_ends(&s, &t, deadline, true)?;
        prop_assert_eq!(&t, &run(&s, &specs, deadline, seed));
    }

    /// With a time-dependent offering strategy (which never bids below the reservation value)
    /// and AC_next or AC_prev with `a = 1, b <= 0`, a BOA negotiator never accepts an offer
    /// worth less than its reservation value; nor do the time-based negotiators.
    #[test]
    fn no_acceptance_below_reservation(
        cards in proptest::collection::vec(1u32..=5, 1..=4),
        terms in proptest::collection::vec(any_terms(), 2..=3),
        offer in prop_oneof![Just("time-dependent"), Just("boulware"), Just("conceder"), Just("linear")],
        model in prop_oneof![Just("none"), Just("smith-frequency"), Just("perfect"), Just("opposite")],
        accept in prop_oneof![Just("ac-next"), Just("ac-prev")],
        b in -0.2..=0.0f64,
        conflict in 0.0..=1.0f64,
        scenario_seed: u64,
        seed: u64,
        deadline in 1u32..=30,
    ) {
        let s = linear_scenario(&cards, &terms, conflict, scenario_seed);
        let boa = NegotiatorSpec::new("boa")
            .with_component("offer", Spec::new(offer))
            .with_component("model", Spec::new(model))
            .with_component("accept", Spec::new(accept).with("b", b));
        let specs: Vec<NegotiatorSpec> = (0..terms.len())
            .map(|i| if i % 2 == 0 { boa.clone() } else { NegotiatorSpec::new("conceder").with_component("model", Spec::new(model)) })
            .collect();
        let t = run(&s, &specs, deadline, seed);
        for e in &t.entries {
            if e.kind == ActionKind::Accept {
                let p = e.actor.party().unwrap();
                let prefs = &s.parties[p].preferences;
                prop_assert!(
                    e.utilities[p] >= prefs.reservation,
                    "party {} ({}) accepted {} below its reservation value {}",
                    p, specs[p], e.utilities[p], prefs.reservation
                );
            }
        }
    }
}

/// The registry's every component, with its defaults, plays a bilateral negotiation against
/// the default BOA negotiator.
#[test]
fn every_component_plays() {
    let s = linear_scenario(&[4, 3, 2], &[Terms::default(); 2], 0.8, 3);
    let boa = Registry::builtin().boa().clone();
    let mut specs = Vec::new();
    for (param, names) in [
        ("offer", boa.offering.names().collect::<Vec<_>>()),
        ("model", boa.models.names().collect()),
        ("oms", boa.strategies.names().collect()),
        ("accept", boa.acceptance.names().collect()),
    ] {
        for name in names {
            specs.push(NegotiatorSpec::new("boa").with_component(param, Spec::new(name)));
        }
    }
    assert_eq!(specs.len(), 17 + 12 + 3 + 21);
    for spec in &specs {
        let t = run(&s, &[spec.clone(), NegotiatorSpec::new("boa")], 30, 9);
        check_ends(&s, &t, 30, true).unwrap_or_else(|e| panic!("{spec}: {e}"));
    }
}

/// In a three-party negotiation each BOA negotiator keeps one model per other party, fed
/// with that party's offers only.
#[test]
fn one_model_per_opponent() {
    let s = linear_scenario(&[4, 3, 3], &[Terms::default(); 3], 0.5, 11);
    let tables = ScenarioTables::for_scenario(&s);
    let registry = Registry::builtin();
    let spec = registry
        .parse_spec("boa:offer=boulware,model=smith-frequency")
        .unwrap();
    let mut boa = Boa::new(
        registry
            .boa()
            .offering
            .create(spec.components.get("offer").unwrap())
            .unwrap(),
        registry.boa().models.clone(),
        Spec::new("smith-frequency"),
        registry
            .boa()
            .strategies
            .create(&Spec::new("best-bid"))
            .unwrap(),
        registry
            .boa()
            .acceptance
            .create(&Spec::new("ac-false"))
            .unwrap(),
    );
    let info = SessionInfo {
        party: 1,
        scenario: &s,
        tables: &tables,
        deadline: 10,
        seed: 1,
    };
    boa.init(&info).unwrap();
    let active = [true; 3];
    let state = |t| State {
        round: 0,
        time: t,
        turn: 0,
        standing: None,
        accepts: 0,
        active: &active,
    };
    boa.observe(0, &Action::Offer(Outcome(vec![0, 0, 0])), &state(0.0));
    boa.observe(2, &Action::Offer(Outcome(vec![3, 2, 2])), &state(0.1));
    boa.observe(2, &Action::Offer(Outcome(vec![3, 2, 1])), &state(0.2));
    let models = boa.models().unwrap();
    assert!(models.of(1).is_none(), "no model of itself");
    assert_eq!(models.of(0).unwrap().observed(), 1);
    assert_eq!(models.of(2).unwrap().observed(), 2);
    // Smith: party 0's model likes (0,0,0) fully, party 2's dislikes it; the combined estimate
    // is the minimum.
    let m0 = models.of(0).unwrap().estimate(&[0, 0, 0]);
    let m2 = models.of(2).unwrap().estimate(&[0, 0, 0]);
    assert_eq!((m0, m2), (1.0, 0.0));
    assert_eq!(models.estimate(&[0, 0, 0]), 0.0);
    assert_eq!(boa.history().unwrap().received().len(), 3);
    assert!(boa.opponent_estimate(2).is_some() && boa.opponent_estimate(1).is_none());
}

/// A time-based negotiator with a model offers, once it has seen a bid, the outcome near its
/// target that the model rates highest, never more than 0.01 above the level it aims at; with
/// `model=none` it keeps to the first outcome of the level.
#[test]
fn time_based_choose_near_their_target_by_their_model() {
    let s = linear_scenario(&[5, 5, 4, 4], &[Terms::default(); 2], 0.7, 21);
    let u0 = |o: &Outcome| s.parties[0].preferences.utility(o);
    let aware = run(
        &s,
        &[
            NegotiatorSpec::new("linear"),
            NegotiatorSpec::new("conceder"),
        ],
        40,
        3,
    );
    let plain = run(
        &s,
        &[
            NegotiatorSpec::new("linear").with_component("model", Spec::new("none")),
            NegotiatorSpec::new("conceder").with_component("model", Spec::new("none")),
        ],
        40,
        3,
    );
    let offers = |t: &Trace| -> Vec<Outcome> {
        t.entries
            .iter()
            .filter(|e| e.actor == Actor::Party(0) && e.kind == ActionKind::Offer)
            .map(|e| e.outcome.clone().unwrap())
            .collect()
    };
    let (a, p) = (offers(&aware), offers(&plain));
    assert_eq!(a[0], p[0], "the first offer comes before any bid is seen");
    let n = a.len().min(p.len());
    let mut differ = 0;
    for k in 0..n {
        let (ua, up) = (u0(&a[k]), u0(&p[k]));
        assert!(
            ua >= up - 1e-12 && ua <= up + 0.01 + 1e-12,
            "turn {k}: {ua} vs {up}"
        );
        differ += usize::from(a[k] != p[k]);
    }
    assert!(differ > 0, "the model never changed a choice");
}
