//! How well the fit recovers known exponents and the classification names time-based tactics.

use detente_core::ScenarioTables;
use detente_inspect::{DEFAULT_STALLING, Strategy, read};

use crate::support::{EXPONENTS, random_scenario, rng, run_time_based, shipped};

/// The tolerance on the fitted exponent: `|ln e_fit - ln e| < TOLERANCE`.
const TOLERANCE: f64 = 0.3;

#[derive(Default, Debug)]
struct Tally {
    cases: usize,
    within: usize,
    in_ci: usize,
    classified: usize,
    by_e: Vec<(f64, usize, usize, usize)>,
}

fn check(tally: &mut Tally, s: &detente_core::Scenario, es: &[f64], seed: u64) {
    let trace = run_time_based(s, es, seed);
    let tables = ScenarioTables::for_scenario(s);
    let reading = read(s, &tables, &trace.entries, trace.deadline, DEFAULT_STALLING).unwrap();
    for (p, &e) in reading.parties.iter().zip(es) {
        let Some(fit) = &p.fit else { continue };
        // Only offers that concede reveal the exponent: a party whose talks ended before it
        // moved (fewer than 3 distinct offers) is not counted.
        if p.evidence.distinct_offers < 3 {
            continue;
        }
        let ok_e = (fit.e.ln() - e.ln()).abs() < TOLERANCE;
        let ok_ci = fit.ci[0] <= e && e <= fit.ci[1];
        let ok_class = p.strategy == Strategy::of_exponent(e);
        tally.cases += 1;
        tally.within += usize::from(ok_e);
        tally.in_ci += usize::from(ok_ci);
        tally.classified += usize::from(ok_class);
        if !ok_class {
            println!(
                "  misread: e = {e} read as {} ({})",
                p.strategy.as_str(),
                p.reason
            );
        }
        let row = tally.by_e.iter_mut().find(|r| r.0 == e);
        match row {
            Some(r) => {
                r.1 += 1;
                r.2 += usize::from(ok_e);
                r.3 += usize::from(ok_class);
            }
            None => tally
                .by_e
                .push((e, 1, usize::from(ok_e), usize::from(ok_class))),
        }
    }
}

#[test]
fn fitted_exponents_and_classes_of_time_based_negotiators() {
    let mut tally = Tally::default();
    let mut r = rng(2026);
    for k in 0..60u64 {
        let parties = if k % 4 == 3 { 3 } else { 2 };
        let rounds = r.random_range(20..=50);
        use rand::Rng;
        let s = random_scenario(&mut r, parties, rounds, 0.6);
        let es: Vec<f64> = (0..parties)
            .map(|_| EXPONENTS[r.random_range(0..EXPONENTS.len())])
            .collect();
        check(&mut tally, &s, &es, k);
    }
    for name in ["pie", "buyer-seller", "ukraine-2025"] {
        let s = shipped(name);
        for (j, &e) in EXPONENTS.iter().enumerate() {
            let es: Vec<f64> = (0..s.parties.len())
                .map(|i| EXPONENTS[(i + j) % EXPONENTS.len()])
                .collect();
            let _ = e;
            check(&mut tally, &s, &es, j as u64);
        }
    }
    let share = |k: usize| k as f64 / tally.cases as f64;
    println!(
        "accuracy over {} parties: e within |ln e_fit - ln e| < {TOLERANCE}: {:.1}%, true e in the 95% interval: {:.1}%, class right: {:.1}%",
        tally.cases,
        100.0 * share(tally.within),
        100.0 * share(tally.in_ci),
        100.0 * share(tally.classified)
    );
    tally.by_e.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (e, n, ok_e, ok_c) in &tally.by_e {
        println!("  e = {e}: {n} parties, e within tolerance {ok_e}, class right {ok_c}");
    }
    assert!(tally.cases >= 100, "too few cases: {}", tally.cases);
    assert!(share(tally.within) >= 0.9, "{tally:?}");
    assert!(share(tally.classified) >= 0.9, "{tally:?}");
}
