//! Stalling detection, forecast calibration and sweep determinism.

use detente_core::dynamics::{StallingRule, is_stalling};
use detente_core::{ActionKind, Actor, NegotiatorSpec, Outcome, ScenarioTables, TraceEntry};
use detente_inspect::{ForecastOptions, Strategy, SweepConfig, forecast, parse_axis, read, sweep};
use detente_negotiators::Registry;
use rand::Rng;

use crate::support::{EXPONENTS, random_scenario, rng, run_time_based, shipped};

const RULE: StallingRule = StallingRule {
    window: 4,
    min_improvement: 0.01,
};

/// Alice's share offers over `rounds` rounds of the pie (101 steps): her offers, then Bob's.
fn pie_entries(
    alice: impl Fn(u32) -> u32,
    bob: impl Fn(u32) -> u32,
    rounds: u32,
) -> Vec<TraceEntry> {
    let s = shipped("pie");
    let mut out = Vec::new();
    for r in 0..rounds {
        for (p, share) in [(0, alice(r)), (1, bob(r))] {
            let o = Outcome(vec![share]);
            out.push(TraceEntry {
                round: r,
                actor: Actor::Party(p),
                time: (f64::from(r) * 2.0 + p as f64) / 40.0,
                kind: ActionKind::Offer,
                utilities: s.utilities(&o),
                outcome: Some(o),
            });
        }
    }
    out
}

#[test]
fn stalling_is_detected_and_steady_concession_is_not() {
    let s = shipped("pie");
    let tables = ScenarioTables::for_scenario(&s);
    // Alice concedes 3 points a round for 8 rounds, then repeats 76 for 8 rounds; Bob concedes
    // 2 points a round throughout.
    let entries = pie_entries(|r| 100 - 3 * r.min(8), |r| 2 * r, 16);
    assert_eq!(is_stalling(&entries, 0, 15, RULE), Some(true));
    assert_eq!(is_stalling(&entries, 1, 15, RULE), Some(false));
    let reading = read(&s, &tables, &entries, 20, RULE).unwrap();
    assert_eq!(
        reading.parties[0].strategy,
        Strategy::Stalling,
        "{}",
        reading.parties[0].reason
    );
    assert_eq!(reading.parties[0].evidence.stalling, Some(true));
    assert_ne!(
        reading.parties[1].strategy,
        Strategy::Stalling,
        "{}",
        reading.parties[1].reason
    );
    assert_eq!(reading.parties[1].evidence.stalling, Some(false));
    // A hardliner is stalling by the test, but is called a hardliner.
    let entries = pie_entries(|_| 100, |r| 2 * r, 16);
    let reading = read(&s, &tables, &entries, 20, RULE).unwrap();
    assert_eq!(reading.parties[0].evidence.stalling, Some(true));
    assert_eq!(reading.parties[0].strategy, Strategy::Hardliner);
    // Time-based negotiators that concede steadily are not stalling.
    let trace = run_time_based(&s, &[1.0, 2.0], 1);
    let reading = read(&s, &tables, &trace.entries, trace.deadline, RULE).unwrap();
    for p in &reading.parties {
        assert_ne!(p.strategy, Strategy::Stalling, "{}", p.reason);
    }
}

#[test]
fn forecasts_beat_the_base_rate() {
    let mut r = rng(77);
    let mut predictions = Vec::new();
    let mut tried = 0;
    while predictions.len() < 40 && tried < 400 {
        tried += 1;
        let s = random_scenario(&mut r, 2, 20, 0.95);
        let es: Vec<f64> = (0..2)
            .map(|_| EXPONENTS[r.random_range(0..EXPONENTS.len())])
            .collect();
        let trace = run_time_based(&s, &es, tried);
        let cut = 10;
        // Only talks still going at the cut are forecast.
        if trace.entries.last().is_none_or(|e| e.round < cut) {
            continue;
        }
        let tables = ScenarioTables::for_scenario(&s);
        let before: Vec<TraceEntry> = trace
            .entries
            .iter()
            .filter(|e| e.round < cut)
            .cloned()
            .collect();
        let reading = read(&s, &tables, &before, trace.deadline, RULE).unwrap();
        let f = forecast(
            &s,
            &tables,
            &trace,
            &reading,
            ForecastOptions {
                cut,
                simulations: 20,
                seed: 5,
            },
            &detente_negotiators::Registry::builtin(),
        )
        .unwrap();
        predictions.push((f.ensemble.rate, trace.result.agreement.is_some()));
    }
    let n = predictions.len() as f64;
    let base = predictions.iter().filter(|p| p.1).count() as f64 / n;
    let brier = predictions
        .iter()
        .map(|(p, y)| (p - f64::from(u8::from(*y))).powi(2))
        .sum::<f64>()
        / n;
    let brier_base = predictions
        .iter()
        .map(|(_, y)| (base - f64::from(u8::from(*y))).powi(2))
        .sum::<f64>()
        / n;
    println!(
        "forecast calibration over {} traces cut at half time: Brier {brier:.4}, base rate {base:.2} gives {brier_base:.4}",
        predictions.len()
    );
    assert!(
        predictions.len() >= 30,
        "too few traces still open at the cut"
    );
    assert!(
        base > 0.0 && base < 1.0,
        "all outcomes alike: base rate {base}"
    );
    assert!(
        brier < brier_base,
        "Brier {brier} does not beat the base rate's {brier_base}"
    );
}

#[test]
fn sweeps_are_the_same_at_any_thread_count() {
    let s = shipped("pie");
    let config = SweepConfig {
        axes: vec![
            parse_axis(&s, "reservation.Bob=0:0.5:0.25").unwrap(),
            parse_axis(&s, "e.Alice=0.2,1").unwrap(),
        ],
        seeds: 4,
        seed: 9,
        jitter: 0.3,
        noise: 0.0,
        negotiators: vec![
            NegotiatorSpec::new("boulware"),
            NegotiatorSpec::new("random"),
        ],
    };
    let pool = |k| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(k)
            .build()
            .unwrap()
    };
    let registry = Registry::builtin();
    let one = pool(1).install(|| sweep(&s, &config, &registry)).unwrap();
    let two = pool(2).install(|| sweep(&s, &config, &registry)).unwrap();
    assert_eq!(one, two);
    assert_eq!(one.points.len(), 6);
    assert_eq!(one.points[0].values, vec![0.0, 0.2]);
    assert_eq!(one.points[1].values, vec![0.0, 1.0]);
    // Randomness makes the seeds differ, and a different seed gives a different sweep.
    assert!(
        one.points
            .iter()
            .any(|p| p.summary.welfare.ci.is_some_and(|c| c[1] > c[0]))
    );
    let other = sweep(
        &s,
        &SweepConfig {
            seed: 10,
            ..config.clone()
        },
        &registry,
    )
    .unwrap();
    assert_ne!(one, other);
    // Bad parameters are refused with a message.
    let e = parse_axis(&s, "reservation.Carol=0:1:0.5")
        .unwrap_err()
        .to_string();
    assert!(e.contains("no party `Carol`"), "{e}");
    let e = parse_axis(&s, "weight.Alice.size=1,2")
        .unwrap_err()
        .to_string();
    assert!(e.contains("no issue `size`"), "{e}");
    let e = parse_axis(&s, "rounds=0.5").unwrap_err().to_string();
    assert!(e.contains("whole number"), "{e}");
}
