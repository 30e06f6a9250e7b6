//! Benchmarks of the analysis: frontiers and points of seeded synthetic domains (10^6 and
//! 10^12 outcomes) and all statistics of the shared EnergyA domain (skipped without it).
#![allow(missing_docs)] // criterion_group! generates an undocumented function

use criterion::{Criterion, criterion_group, criterion_main};
use detente_analysis::{AnalysisConfig, Method, analyze, nash, pareto_frontier};
use detente_core::{
    Evaluator, Issue, LinearAdditive, OutcomeSpace, Party, Preferences, ProtocolSettings, Scenario,
    Utility,
};
use rand::{Rng, SeedableRng};

/// A seeded linear additive scenario: `n_issues` discrete issues of `card` values, `n_parties`
/// parties with random weights (summing to 1, capped at 1 as in GENIUS) and per-value scores
/// in [0, 1]. Parties are opposed: each party's score of a value is 0.7 * (1 - the previous
/// party's score) + 0.3 * noise, so the frontier is large, as in real negotiations.
fn synthetic(n_issues: usize, card: u32, n_parties: usize, seed: u64) -> Scenario {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let issues = (0..n_issues)
        .map(|i| Issue::discrete(format!("i{i}"), (0..card).map(|v| format!("v{v}"))))
        .collect();
    let space = OutcomeSpace::new(issues).unwrap();
    let mut previous: Vec<Vec<f64>> = (0..n_issues)
        .map(|_| (0..card).map(|_| rng.random::<f64>()).collect())
        .collect();
    let parties = (0..n_parties)
        .map(|p| {
            let raw: Vec<f64> = (0..n_issues).map(|_| rng.random::<f64>()).collect();
            let total: f64 = raw.iter().sum();
            let weights = raw.iter().map(|w| w / total).collect();
            let scores: Vec<Vec<f64>> = previous
                .iter()
                .map(|col| {
                    col.iter()
                        .map(|s| 0.7 * (1.0 - s) + 0.3 * rng.random::<f64>())
                        .collect()
                })
                .collect();
            previous = scores.clone();
            let evals = scores.into_iter().map(Evaluator::Table).collect();
            let lin = LinearAdditive::new(&space, weights, evals, Some(1.0)).unwrap();
            Party {
                name: format!("p{p}"),
                preferences: Preferences::new(Utility::LinearAdditive(lin)),
                negotiator: None,
            }
        })
        .collect();
    Scenario {
        compliance: Default::default(),
        name: format!("synthetic-{n_issues}x{card}-{n_parties}"),
        description: String::new(),
        space,
        parties,
        protocol: ProtocolSettings::default(),
        events: Vec::new(),
    }
}

fn config(method: Method) -> AnalysisConfig {
    AnalysisConfig {
        method,
        ..AnalysisConfig::default()
    }
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("analysis");
    g.sample_size(10);

    let sizes = |name: &str, sc: &Scenario| {
        let f = pareto_frontier(sc, &config(Method::Auto)).unwrap();
        eprintln!(
            "{name}: {} outcomes, frontier of {}",
            sc.space.count_display(),
            f.len()
        );
    };
    let two = synthetic(6, 10, 2, 1);
    sizes("2 parties", &two);
    let d = [0.0, 0.0];
    for method in [Method::Auto, Method::Enumerate] {
        let cfg = config(method);
        g.bench_function(format!("frontier+nash 2 parties 1e6 ({method:?})"), |b| {
            b.iter(|| {
                let f = pareto_frontier(&two, &cfg).unwrap();
                nash(&f, &d, &cfg)
            })
        });
    }

    let three = synthetic(6, 10, 3, 2);
    sizes("3 parties", &three);
    for method in [Method::Auto, Method::Enumerate] {
        let cfg = config(method);
        g.bench_function(format!("frontier 3 parties 1e6 ({method:?})"), |b| {
            b.iter(|| pareto_frontier(&three, &cfg).unwrap())
        });
    }

    let huge = synthetic(12, 10, 2, 3);
    sizes("2 parties, 12 issues", &huge);
    let cfg = config(Method::IssueByIssue);
    g.bench_function("frontier 2 parties 1e12 (IssueByIssue)", |b| {
        b.iter(|| pareto_frontier(&huge, &cfg).unwrap())
    });

    if let Some(dir) = detente_testkit::genius_domain("EnergyA") {
        let sc = detente_formats::load(&[dir]).unwrap().scenario;
        for method in [Method::Auto, Method::Enumerate] {
            let cfg = config(method);
            g.bench_function(format!("all statistics EnergyA ({method:?})"), |b| {
                b.iter(|| analyze(&sc, &cfg).unwrap())
            });
        }
    }
    g.finish();
}

criterion_group!(analysis, benches);
criterion_main!(analysis);
