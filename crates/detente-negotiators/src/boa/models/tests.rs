//! Each model's update rule on hand-computed examples: issue `a` of 3 values, issue `b` of 2
//! (and, for the Bayesian models, one issue of 2 values, where the posterior can be worked
//! out by hand).

use detente_core::ScenarioTables;
use detente_core::registry::Spec;

use super::*;
use crate::boa::space::OwnSpace;
use crate::testutil::{one_issue, single_issue};

/// Runs `f` with a setup of party 0 modelling party 1 on `one_issue(scores, extra)`, or on
/// `single_issue(scores)` without `extra`.
fn with_setup<R>(scores: &[f64], extra: Option<u32>, f: impl FnOnce(&ModelSetup<'_>) -> R) -> R {
    let s = match extra {
        Some(extra) => one_issue(scores, extra),
        None => single_issue(scores),
    };
    let tables = ScenarioTables::for_scenario(&s);
    let info = crate::testutil::info(0, &s, &tables, 10, 3);
    let space = OwnSpace::new(&info).unwrap();
    f(&ModelSetup {
        info: &info,
        space: &space,
        opponent: 1,
    })
}

/// A model of `spec` after the bids `bids`, and its estimates of `probes`.
fn estimates(spec: &str, bids: &[[u32; 2]], probes: &[[u32; 2]]) -> Vec<f64> {
    with_setup(&[1.0, 0.5, 0.0], Some(2), |setup| {
        let mut m = kinds().create(&kinds().parse_spec(spec).unwrap()).unwrap();
        m.init(setup).unwrap();
        for b in bids {
            m.update(b, 0.0);
        }
        probes.iter().map(|p| m.estimate(p)).collect()
    })
}

fn close(got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < 1e-12, "got {got:?}, want {want:?}");
    }
}

#[test]
fn hardheaded_frequency_learns_from_the_second_bid() {
    let probes = [[0, 1], [1, 0], [0, 0], [2, 1]];
    // Equal weights and counts: every outcome is worth 1 at first, and after the first bid.
    close(&estimates("hardheaded-frequency", &[], &probes), &[1.0; 4]);
    close(
        &estimates("hardheaded-frequency", &[[0, 0]], &probes),
        &[1.0; 4],
    );
    // Second bid (0,1): issue a unchanged gains g = 0.2 / 2 = 0.1, all divided by 1.1:
    // w = (0.6, 0.5) / 1.1; counts a = (2, 1, 1), b = (1, 2).
    let (wa, wb): (f64, f64) = (0.6 / 1.1, 0.5 / 1.1);
    close(
        &estimates("hardheaded-frequency", &[[0, 0], [0, 1]], &probes),
        &[
            (wa + wb).min(1.0),
            wa * 0.5 + wb * 0.5,
            wa + wb * 0.5,
            wa * 0.5 + wb,
        ],
    );
    // l = 1: g = 0.5, the cap 1 - 2 * 0.5 / 1.5 = 1/3 stops the unchanged issue (at 0.5).
    close(
        &estimates("hardheaded-frequency(l=1)", &[[0, 0], [0, 1]], &[[1, 0]]),
        &[0.5 / 1.5 * 0.5 + 0.5 / 1.5 * 0.5],
    );
}

#[test]
fn smith_frequency_weighs_issues_by_their_most_offered_value() {
    close(&estimates("smith-frequency", &[], &[[0, 0]]), &[0.0]);
    // Bids (0,0), (0,1), (1,1): a counts (2,1,0), b (1,2); weights 2/3, 2/3 -> 1/2, 1/2.
    close(
        &estimates(
            "smith-frequency",
            &[[0, 0], [0, 1], [1, 1]],
            &[[0, 1], [2, 0], [1, 1]],
        ),
        &[2.0 / 3.0, 0.5 / 3.0, 0.5 / 3.0 + 0.5 * 2.0 / 3.0],
    );
}

#[test]
fn cuhk_frequency_counts_while_the_bids_are_few() {
    // (0,0): a0 = 1, b0 = 1, total of maxima 2; (0,1): a0 = 2 (3), b1 = 1 (3);
    // (0,1) again: a0 = 3 (4), b1 = 2 (5).
    close(
        &estimates(
            "cuhk-frequency",
            &[[0, 0], [0, 1], [0, 1]],
            &[[0, 1], [1, 0], [2, 1]],
        ),
        &[1.0, 0.2, 0.4],
    );
    close(&estimates("cuhk-frequency", &[], &[[0, 1]]), &[0.0]);
    // With n = 1 it stops counting at the second distinct bid.
    close(
        &estimates(
            "cuhk-frequency(n=1)",
            &[[0, 0], [0, 1], [0, 0]],
            &[[0, 0], [0, 1]],
        ),
        &[1.0, 0.5],
    );
}

#[test]
fn nash_frequency_scores_values_by_their_share_of_the_largest_count() {
    close(&estimates("nash-frequency", &[], &[[0, 0]]), &[0.0]);
    // Bids (0,0), (0,1), (1,1): evaluations a (1, 1/2, 0), b (1/2, 1); weights 1/2, 1/2.
    close(
        &estimates(
            "nash-frequency",
            &[[0, 0], [0, 1], [1, 1]],
            &[[0, 1], [1, 0], [2, 0]],
        ),
        &[1.0, 0.5, 0.25],
    );
}

#[test]
fn baselines_learn_nothing() {
    // Party 0 scores a by (1, 0.5, 0), party 1 by (0, 0.5, 1); b counts for nothing.
    let probes = [[0, 0], [1, 1], [2, 0]];
    let bids = [[2, 0], [1, 1]];
    close(&estimates("perfect", &bids, &probes), &[0.0, 0.5, 1.0]);
    close(&estimates("worst", &bids, &probes), &[1.0, 0.5, 0.0]);
    close(&estimates("opposite", &bids, &probes), &[0.0, 0.5, 1.0]);
    close(&estimates("uniform", &bids, &probes), &[0.5; 3]);
    let none = kinds().create(&Spec::new("none")).unwrap();
    assert!(!none.is_model());
}

/// The likelihood of the Bayesian models, written out.
fn normal(u: f64, expected: f64) -> f64 {
    let x = (expected - u) / expected;
    (-(x * x) / (2.0 * 0.0625)).exp() / (0.25 * (2.0 * std::f64::consts::PI).sqrt())
}

/// One issue of three values.
fn one_ternary_issue<R>(f: impl FnOnce(&ModelSetup<'_>) -> R) -> R {
    with_setup(&[1.0, 0.5, 0.0], None, f)
}

/// `(e[v] - min) / (max - min)` for every value.
fn normalise(e: &[f64]) -> Vec<f64> {
    let lo = e.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = e.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    e.iter().map(|x| (x - lo) / (hi - lo)).collect()
}

/// The expected shape value of each value under beliefs `p` over `shapes`.
fn expected(shapes: &[[f64; 3]], p: &[f64]) -> Vec<f64> {
    (0..3)
        .map(|v| shapes.iter().zip(p).map(|(s, p)| p * s[v]).sum())
        .collect()
}

#[test]
fn bayesian_posterior_by_hand() {
    // Rising, falling and peaked shapes; one issue, so its weight is 1.
    let shapes = [
        [1.0 / 2001.0, 1001.0 / 2001.0, 1.0],
        [1.0, 1001.0 / 2001.0, 1.0 / 2001.0],
        [1.0 / 1001.0, 1.0, 1.0 / 1001.0],
    ];
    one_ternary_issue(|setup| {
        let mut m = Bayesian::default();
        m.init(setup).unwrap();
        let est = |m: &Bayesian| (0..3).map(|v| m.estimate(&[v])).collect::<Vec<_>>();
        close(&est(&m), &normalise(&expected(&shapes, &[1.0 / 3.0; 3])));
        // Bid of value 2, expected at 1: the likelihood of each shape's utility of it.
        m.update(&[2], 0.0);
        let l: Vec<f64> = shapes.iter().map(|s| normal(s[2], 1.0) / 3.0).collect();
        let z: f64 = l.iter().sum();
        let p: Vec<f64> = l.iter().map(|x| x / z).collect();
        close(&est(&m), &normalise(&expected(&shapes, &p)));
        // A repeated bid teaches nothing.
        m.update(&[2], 0.0);
        close(&est(&m), &normalise(&expected(&shapes, &p)));
        // Value 1 next, expected at 0.965: the peaked shape (utility 1 > 0.965) is ruled out.
        m.update(&[1], 0.0);
        let l: Vec<f64> = shapes
            .iter()
            .zip(&p)
            .map(|(s, p)| {
                if s[1] > 0.965 {
                    0.0
                } else {
                    p * normal(s[1], 0.965)
                }
            })
            .collect();
        let z: f64 = l.iter().sum();
        let p: Vec<f64> = l.iter().map(|x| x / z).collect();
        assert_eq!(p[2], 0.0);
        close(&est(&m), &normalise(&expected(&shapes, &p)));
    });
}

#[test]
fn scalable_bayesian_first_bid_updates_the_shapes_only() {
    // Rising, falling, and the peak at the middle value (GENIUS's integer arithmetic).
    let shapes = [
        [1.0 / 2001.0, 1001.0 / 2001.0, 1.0],
        [1.0, 1001.0 / 2001.0, 1.0 / 2001.0],
        [0.0, 1.0, 1.0 / 1001.0],
    ];
    one_ternary_issue(|setup| {
        let mut m = ScalableBayesian::default();
        m.init(setup).unwrap();
        let prior: Vec<f64> = (0..11)
            .map(|j| (1.0 - (j as f64 + 1.0) / 11.0).powi(3))
            .collect();
        let sum: f64 = prior.iter().sum();
        let w: f64 = prior
            .iter()
            .enumerate()
            .map(|(j, p)| p / sum * j as f64 / 10.0)
            .sum();
        m.update(&[2], 0.0);
        // One issue: nothing else contributes; the weight stays at its prior mean.
        let l: Vec<f64> = shapes.iter().map(|s| normal(w * s[2], 1.0) / 3.0).collect();
        let z: f64 = l.iter().sum();
        let p: Vec<f64> = l.iter().map(|x| x / z).collect();
        let e: Vec<f64> = expected(&shapes, &p).iter().map(|x| w * x).collect();
        // Normalised over the outcomes, the range taken within [0, 1] as GENIUS does.
        let lo = e.iter().copied().fold(1.0, f64::min);
        let hi = e.iter().copied().fold(0.0, f64::max);
        let want: Vec<f64> = e.iter().map(|x| (x - lo) / (hi - lo)).collect();
        close(&(0..3).map(|v| m.estimate(&[v])).collect::<Vec<_>>(), &want);
        assert_eq!(m.issue_weights().unwrap(), vec![1.0]);
    });
}

#[test]
fn the_full_bayesian_model_refuses_domains_too_large() {
    with_setup(&[1.0, 0.5, 0.0], Some(2), |setup| {
        let mut m = Bayesian::new(10.0);
        let e = m.init(setup).unwrap_err();
        assert!(e.0.contains("18 hypotheses for 2 issues"), "{}", e.0);
    });
}

/// Every model that offers an additive view rates every outcome through it exactly as its own
/// estimate does (bit for bit), before any bid and after each of a series of bids: offering
/// strategies rate candidates through the view.
#[test]
fn additive_views_equal_the_estimates() {
    let bids = [[0, 0], [0, 1], [1, 1], [0, 1], [2, 0], [2, 0], [0, 0]];
    let outcomes: Vec<[u32; 2]> = (0..3).flat_map(|a| (0..2).map(move |b| [a, b])).collect();
    for name in kinds().names() {
        with_setup(&[1.0, 0.5, 0.0], Some(2), |setup| {
            let mut m = kinds().create(&Spec::new(name)).unwrap();
            m.init(setup).unwrap();
            for k in 0..=bids.len() {
                if k > 0 {
                    m.update(&bids[k - 1], k as f64 / 10.0);
                }
                let Some(view) = m.additive() else { return };
                for o in &outcomes {
                    assert_eq!(
                        view.estimate(o).to_bits(),
                        m.estimate(o).to_bits(),
                        "{name} after {k} bids, outcome {o:?}"
                    );
                }
            }
        });
    }
}
