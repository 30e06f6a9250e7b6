//! Properties of the compliance phase ([`detente_core::compliance`]), run on the watch alone.

use detente_core::compliance::{Act, Compliance, ComplianceProfile, Obligation, Watch, builtin};
use detente_core::registry::Spec;
use detente_core::{ComplianceRecord, Reporter};
use proptest::prelude::*;

/// `n` parties, the first `bound` of them bound by one obligation on issue 0, each with a
/// profile from `profiles` (cycled).
fn compliance(
    n: usize,
    bound: usize,
    profiles: &[ComplianceProfile],
    monitor: Option<f64>,
) -> Compliance {
    Compliance {
        obligations: vec![Obligation {
            issue: 0,
            values: vec![1],
            bound: (0..bound).collect(),
            expire_after: None,
        }],
        profiles: (0..n)
            .map(|p| Some(profiles[p % profiles.len()].clone()))
            .collect(),
        monitor,
        ..Compliance::default()
    }
}

/// Plays `rounds` rounds of the obligation in force from round 0; the records.
fn play(c: &Compliance, n: usize, seed: u64, rounds: u32) -> (Watch, Vec<ComplianceRecord>) {
    let mut w = Watch::new(c, n, seed, &builtin()).expect("built-in strategies");
    let settled = [Some(1)];
    let mut records = Vec::new();
    for r in 0..rounds {
        w.sync(c, &settled, None, r);
        records.extend(w.play(c, r, c.monitor).records);
    }
    (w, records)
}

fn profile() -> impl Strategy<Value = ComplianceProfile> {
    (
        0.0..0.1f64,
        0.0..0.1f64,
        0.0..=1.0f64,
        0.0..=1.0f64,
        0.05..0.95f64,
        prop::sample::select(vec![
            "always-comply",
            "tit-for-tat",
            "opportunistic",
            "grim-trigger",
        ]),
    )
        .prop_map(|(g, c, a, b, prior, s)| ComplianceProfile {
            breach_gain: g,
            caught_cost: c,
            accuracy: a,
            bias: b,
            prior,
            strategy: Spec::new(s),
        })
}

/// A profile that tells the truth and sees it: accuracy 1, bias 0.
fn honest(strategy: &str, gain: f64) -> ComplianceProfile {
    ComplianceProfile {
        breach_gain: gain,
        caught_cost: 0.01,
        accuracy: 1.0,
        bias: 0.0,
        prior: 0.5,
        strategy: Spec::new(strategy),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn reports_name_only_parties_of_the_scenario(
        n in 2usize..6,
        bound in 1usize..6,
        profiles in prop::collection::vec(profile(), 1..4),
        monitor in prop::option::of(0.0..=1.0f64),
        seed in any::<u64>(),
    ) {
        let bound = bound.min(n);
        let c = compliance(n, bound, &profiles, monitor);
        let (_, records) = play(&c, n, seed, 12);
        for r in &records {
            match *r {
                ComplianceRecord::Report { by, about, .. } | ComplianceRecord::Observed { by, about, .. } => {
                    prop_assert!(about < bound);
                    match by {
                        Reporter::Party(p) => prop_assert!(p < n),
                        Reporter::Monitor => prop_assert!(monitor.is_some()),
                    }
                }
                ComplianceRecord::Act { party, .. } => prop_assert!(party < bound),
                ComplianceRecord::Belief { holder, about, belief, .. } => {
                    prop_assert!(holder < n && about < bound && holder != about);
                    prop_assert!((0.0..=1.0).contains(&belief));
                }
            }
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_records(
        profiles in prop::collection::vec(profile(), 1..4),
        seed in any::<u64>(),
    ) {
        let c = compliance(3, 2, &profiles, Some(0.8));
        prop_assert_eq!(play(&c, 3, seed, 10).1, play(&c, 3, seed, 10).1);
    }

    #[test]
    fn without_breaches_an_honest_reporter_never_accuses(
        others in prop::collection::vec(profile(), 1..3),
        seed in any::<u64>(),
    ) {
        // Everyone bound always complies; party 0 is honest (accuracy 1, bias 0).
        let mut profiles = vec![honest("always-comply", 0.0)];
        profiles.extend(others.into_iter().map(|p| ComplianceProfile {
            strategy: Spec::new("always-comply"),
            ..p
        }));
        let n = profiles.len();
        let c = Compliance {
            profiles: profiles.into_iter().map(Some).collect(),
            ..compliance(n, n, &[honest("always-comply", 0.0)], None)
        };
        let (_, records) = play(&c, n, seed, 15);
        for r in &records {
            if let ComplianceRecord::Report { by: Reporter::Party(0), claim, .. } = *r {
                prop_assert_eq!(claim, Act::Comply);
            }
        }
    }

    #[test]
    fn perfect_monitoring_and_honest_reports_converge_to_the_truth(seed in any::<u64>()) {
        // Party 0 always complies, party 1 always breaches (its gain beats any cost), party 2
        // watches; all honest and accurate, and a perfect monitor.
        let profiles = [
            honest("always-comply", 0.0),
            honest("opportunistic", 1.0),
            honest("always-comply", 0.0),
        ];
        let c = Compliance {
            profiles: profiles.iter().cloned().map(Some).collect(),
            ..compliance(3, 2, &profiles, Some(1.0))
        };
        let (w, _) = play(&c, 3, seed, 200);
        for holder in [1, 2] {
            prop_assert!(w.belief(holder, 0) > 0.97, "{}", w.belief(holder, 0));
        }
        for holder in [0, 2] {
            prop_assert!(w.belief(holder, 1) < 0.03, "{}", w.belief(holder, 1));
        }
    }
}
