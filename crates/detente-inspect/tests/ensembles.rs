//! Ensembles (`detente run`'s summary, each sweep point, a forecast) and the sweep axes an
//! analyst varies: determinism at any thread count, no interval from copies of one draw, and
//! each axis changing what it names.

use detente_core::dynamics::Setting;
use detente_core::protocol::{self, ProtocolConfig};
use detente_core::{
    Change, Effect, NegotiatorSpec, ProtocolKind, Scenario, ScenarioTables, Trace, Utility,
};
use detente_inspect::ensemble::{EnsembleConfig, Talks, ensemble, perturbed};
use detente_inspect::{Ensemble, parse_axis, point_scenario};
use detente_negotiators::Registry;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::support::{random_scenario, shipped};

fn specs(s: &Scenario) -> Vec<NegotiatorSpec> {
    s.parties
        .iter()
        .map(|p| {
            p.negotiator
                .clone()
                .unwrap_or(NegotiatorSpec::new("linear"))
        })
        .collect()
}

fn run_ensemble(s: &Scenario, runs: usize, seed: u64, jitter: f64) -> Ensemble {
    run_ensemble_with(s, runs, seed, jitter, 0.0)
}

fn run_ensemble_with(s: &Scenario, runs: usize, seed: u64, jitter: f64, noise: f64) -> Ensemble {
    let registry = Registry::builtin();
    let tables = ScenarioTables::for_scenario(s);
    let specs = specs(s);
    let talks = Talks {
        scenario: s,
        tables: &tables,
        negotiators: &specs,
        registry: &registry,
    };
    ensemble(
        &talks,
        EnsembleConfig {
            runs,
            seed,
            jitter,
            noise,
        },
    )
    .unwrap()
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
}

#[test]
fn an_ensemble_is_the_same_for_a_seed_at_any_thread_count() {
    let s = shipped("ukraine-2025");
    let one = pool(1).install(|| run_ensemble(&s, 40, 42, 0.5));
    let two = pool(2).install(|| run_ensemble(&s, 40, 42, 0.5));
    assert_eq!(one, two);
    assert_eq!(one.runs, 40);
    // The jitter makes the runs independent draws, and they differ.
    assert!(one.perturbed && !one.identical());
    assert!(one.distinct > 1, "{one:?}");
    assert!(one.rate_ci.is_some());
    assert!(one.welfare.ci.is_some_and(|[lo, hi]| lo < hi));
    let q = one.quality.as_ref().expect("a small space is analysed");
    assert_eq!(q.measured, 40);
    // Counts add up: the listed agreements are at most the agreements.
    let listed: usize = one.top_agreements.iter().map(|(_, c)| c).sum();
    assert!(listed <= one.agreements);
    assert!(
        one.top_agreements.windows(2).all(|w| w[0].1 >= w[1].1),
        "most frequent first"
    );
    // Another seed, another ensemble.
    assert_ne!(one, run_ensemble(&s, 40, 43, 0.5));
}

#[test]
fn copies_of_one_draw_get_no_interval() {
    // Linear negotiators under SAOP without jitter: every seed plays the same negotiation.
    // (The built-in talks are not such copies: their compliance phase draws what each side
    // sees from the seed, so their runs differ even without jitter.)
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let s = random_scenario(&mut rng, 3, 20, 0.3);
    let e = run_ensemble(&s, 12, 42, 0.0);
    assert!(e.identical(), "{e:?}");
    assert_eq!(e.distinct, 1);
    assert!(!e.perturbed);
    assert_eq!(e.rate_ci, None);
    assert!(e.utilities.iter().all(|u| u.ci.is_none()));
    assert_eq!(e.welfare.ci, None);
    let q = e.quality.as_ref().unwrap();
    assert_eq!(q.pareto_optimal_ci, None);
    assert_eq!(q.distance_to_frontier.ci, None);
    // The figures themselves are those of the one run.
    let registry = Registry::builtin();
    let tables = ScenarioTables::for_scenario(&s);
    let negotiators = specs(&s)
        .iter()
        .map(|spec| registry.create(spec).unwrap())
        .collect();
    let config = ProtocolConfig {
        record_actions: false,
        ..ProtocolConfig::new(s.protocol.deadline)
    };
    let t = protocol::run(
        &s,
        &tables,
        negotiators,
        config,
        7,
        None,
        registry.mediators(),
    )
    .unwrap();
    assert_eq!(
        e.agreements,
        if t.result.agreement.is_some() { 12 } else { 0 }
    );
    for (u, want) in e.utilities.iter().zip(&t.result.utilities) {
        assert!((u.mean - want).abs() < 1e-12);
    }
    // With jitter the same talks are independent draws: intervals where the results differ,
    // and the Wilson interval of the rate even where they all agree.
    let j = run_ensemble(&s, 12, 42, 0.8);
    assert!(j.perturbed && !j.identical());
    assert!(j.rate_ci.is_some());
}

/// The scenario of the point where `param` takes `value`, and one run of it with seed 1.
fn point(s: &Scenario, param: &str, value: &str) -> (Scenario, Trace) {
    let registry = Registry::builtin();
    let axis = parse_axis(s, &format!("{param}={value}")).unwrap();
    let (p, specs) = point_scenario(
        &registry,
        s,
        &specs(s),
        std::slice::from_ref(&axis),
        &[axis.values[0]],
    )
    .unwrap();
    let tables = ScenarioTables::for_scenario(&p);
    let negotiators = specs.iter().map(|x| registry.create(x).unwrap()).collect();
    let config = ProtocolConfig::new(p.protocol.deadline);
    let t = protocol::run(
        &p,
        &tables,
        negotiators,
        config,
        1,
        None,
        registry.mediators(),
    )
    .unwrap();
    (p, t)
}

/// A party's reservation value in force at the end of a trace.
fn fallback_at_end(s: &Scenario, t: &Trace, party: &str) -> f64 {
    let setting = Setting::replay(s, t, None).unwrap();
    setting.scenario.parties[s.party_index(party).unwrap()]
        .preferences
        .reservation
}

#[test]
fn a_larger_sanctions_shift_lowers_russias_fallback_in_the_trace() {
    let s = shipped("ukraine-2025");
    let param = "event.EU sanctions package.shift";
    let (small_s, small) = point(&s, param, "-0.05");
    let (large_s, large) = point(&s, param, "-0.25");
    let (a, b) = (
        fallback_at_end(&small_s, &small, "Russia"),
        fallback_at_end(&large_s, &large, "Russia"),
    );
    // The same events fire; only the shift's size differs.
    assert!((a - b - 0.20).abs() < 1e-9, "{a} {b}");
    // The recorded event says so too.
    let fired = large
        .events
        .iter()
        .find(|e| e.name == "EU sanctions package")
        .expect("the event fires");
    assert_eq!(
        fired.effect,
        Some(Effect::Reservation {
            party: 2,
            change: Change::Shift(-0.25)
        })
    );
}

#[test]
fn the_other_axes_change_what_they_name() {
    let s = shipped("ukraine-2025");
    // Who mediates.
    for (who, want) in [("European Union", Some(3)), ("neutral", None)] {
        let (p, _) = point(&s, "mediator", who);
        assert!(
            matches!(&p.protocol.kind, ProtocolKind::Mediated { mediator, .. } if *mediator == want),
            "{who}"
        );
    }
    // The mediator's bias, a parameter of its strategy.
    let (p, _) = point(&s, "mediator.bias", "0.9");
    let ProtocolKind::Mediated { strategy, .. } = &p.protocol.kind else {
        panic!("mediated")
    };
    assert_eq!(strategy.params.get("bias"), Some(&0.9));
    // A discount factor: the final utility without agreement is the fallback discounted.
    let (p, t) = point(&s, "discount.Ukraine", "0.5");
    assert_eq!(p.parties[1].preferences.discount, 0.5);
    if t.result.agreement.is_none() {
        let r = fallback_at_end(&p, &t, "Ukraine");
        assert!((t.result.utilities[1] - r * 0.5).abs() < 1e-9);
    }
    // A linkage's bonus: what the linked outcome is worth moves by the bonus's change.
    let linkage = "bonus.Ukraine.minerals deal with security guarantees";
    let (lo, _) = point(&s, linkage, "0");
    let (hi, _) = point(&s, linkage, "0.1");
    let Utility::Interacting(u) = &hi.parties[1].preferences.utility else {
        panic!("interacting")
    };
    assert_eq!(u.interactions()[0].utility, 0.1);
    let linked = s
        .space
        .outcomes(1_000_000)
        .unwrap()
        .find(|o| {
            let d = s.space.display(o).to_string();
            d.contains("minerals=signed")
                && d.contains("security=bilateral-guarantees")
                && d.contains("ceasefire=none")
        })
        .unwrap();
    let diff =
        hi.parties[1].preferences.utility(&linked) - lo.parties[1].preferences.utility(&linked);
    assert!((diff - 0.1).abs() < 1e-12, "{diff}");
}

#[test]
fn unknown_names_and_effects_without_a_magnitude_are_refused() {
    let s = shipped("ukraine-2025");
    for (param, says) in [
        ("event.nope.shift=0", "no event `nope`"),
        (
            "event.energy pause agreed.shift=0",
            "no effect with a magnitude",
        ),
        (
            "event.US withdraws from mediation.shift=0",
            "shifts several reservations",
        ),
        (
            "event.US withdraws from mediation.shift.Nobody=0",
            "no party `Nobody`",
        ),
        ("bonus.Russia.x=0", "has no linkages"),
        ("bonus.Ukraine.x=0", "no linkage `x`"),
        ("bonus.Nobody.x=0", "bonus.PARTY.LINKAGE"),
        ("mediator=Nobody", "neither a party nor `neutral`"),
        ("discount.Nobody=0.5", "no party `Nobody`"),
        ("discount.Ukraine=0", "(0, 1]"),
    ] {
        let e = parse_axis(&s, param).unwrap_err().to_string();
        assert!(e.contains(says), "{param}: {e}");
    }
    // A party's shift named when an event shifts several.
    assert!(parse_axis(&s, "event.US withdraws from mediation.shift.Russia=0,0.1").is_ok());
    // Talks without a mediator have none to vary.
    let mut saop = s.clone();
    saop.protocol.kind = ProtocolKind::Saop;
    let e = parse_axis(&saop, "mediator=neutral")
        .unwrap_err()
        .to_string();
    assert!(e.contains("not mediated"), "{e}");
}

fn weights(s: &Scenario, p: usize) -> Vec<f64> {
    match s.utility(p) {
        Utility::LinearAdditive(l) => l.weights().to_vec(),
        Utility::Interacting(u) => u.base().weights().to_vec(),
        _ => vec![],
    }
}

#[test]
fn preference_noise_moves_reservations_and_weights_within_its_bounds_and_keeps_their_sum() {
    let s = shipped("ukraine-2025");
    let t = perturbed(&s, 0.1, &mut ChaCha8Rng::seed_from_u64(7)).unwrap();
    for p in 0..s.parties.len() {
        let (r0, r1) = (
            s.parties[p].preferences.reservation,
            t.parties[p].preferences.reservation,
        );
        assert!((r1 - r0).abs() <= 0.1 + 1e-12 && r1 != r0, "{r0} -> {r1}");
        let (w0, w1) = (weights(&s, p), weights(&t, p));
        assert_eq!(w0.len(), w1.len());
        let (s0, s1): (f64, f64) = (w0.iter().sum(), w1.iter().sum());
        assert!((s0 - s1).abs() < 1e-12, "weights sum {s0} -> {s1}");
        assert_ne!(w0, w1);
        for (a, b) in w0.iter().zip(&w1) {
            // exp(±0.1) on each, then a common rescaling by at most exp(±0.1).
            assert!(*b <= a * 0.2f64.exp() + 1e-12 && *b >= a * (-0.2f64).exp() - 1e-12);
        }
    }
    let again = perturbed(&s, 0.1, &mut ChaCha8Rng::seed_from_u64(7)).unwrap();
    assert_eq!(
        format!("{t:?}"),
        format!("{again:?}"),
        "deterministic for a seed"
    );
    let none = perturbed(&s, 0.0, &mut ChaCha8Rng::seed_from_u64(1)).unwrap();
    assert_eq!(format!("{s:?}"), format!("{none:?}"), "no noise, no change");
}

#[test]
fn preference_noise_alone_makes_runs_independent_draws() {
    // Deterministic negotiators, no jitter, no compliance draws: only the noise differs.
    let s = shipped("pie");
    let quiet = run_ensemble_with(&s, 30, 5, 0.0, 0.0);
    assert!(
        quiet.identical(),
        "without noise the runs are copies of one draw"
    );
    assert!(quiet.rate_ci.is_none());
    let noisy = run_ensemble_with(&s, 30, 5, 0.0, 0.1);
    assert!(noisy.perturbed && !noisy.identical());
    assert!(
        noisy.distinct > 1,
        "with noise the runs differ: {}",
        noisy.distinct
    );
    assert!(noisy.rate_ci.is_some());
}
