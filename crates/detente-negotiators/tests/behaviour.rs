//! Behaviour: holding out pays against the usual opponents.
//!
//! The claim tested: on random bilateral scenarios (2-4 issues of 2-7 values, interests
//! conflicting to a random degree, reservation values in [0, 0.3], no discounting, deadlines of
//! 20-100 rounds), against the same opponent (conceder, linear, tit-for-tat or boulware), and
//! with the negotiator under test playing first in half the runs and second in the other half,
//! a Boulware negotiator (e = 0.2) obtains
//! - on average at least the utility a Conceder (e = 2) obtains, and
//! - at least the Conceder's utility (less 1e-9) in at least 90% of the runs against conceder,
//!   linear and boulware opponents, and in at least 60% against tit-for-tat.
//!
//! Measured when written (150 scenarios, 300 runs per opponent): means 0.71 vs 0.57 (conceder
//! opponent), 0.68 vs 0.52 (linear), 0.58 vs 0.56 (tit-for-tat), 0.56 vs 0.41 (boulware);
//! Boulware at least as good in 99%, 99%, 73% and 97% of the runs.
//!
//! It does not hold in every run, for two reasons seen in the losing runs:
//! - Interests conflict only partly (`conflict < 1`), and the built-ins choose among outcomes of
//!   equal utility to themselves without regard for the other party. An early agreement can
//!   then land on an outcome that is good for both, while the outcomes offered late, where a
//!   Boulware agrees, are good for the offerer but arbitrary for the other side.
//! - Deadline effects: a Boulware agrees only in the last rounds, where the offers move in
//!   coarse steps over small spaces, and sometimes not at all (it then gets its reservation
//!   value, as in a few Boulware-against-Boulware runs).
//!
//! Tit-for-tat mirrors whoever it faces, so against it both strategies end near a split of the
//! difference, and the late agreements of a Boulware suffer most from both effects.

use detente_core::protocol::{Protocol, ProtocolConfig, Saop};
use detente_core::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::create;
use crate::synthetic::{Terms, linear_scenario};

/// Utility the negotiator `me` obtains as party `slot` against `opponent`.
fn play(
    s: &Scenario,
    tables: &ScenarioTables,
    me: &str,
    opponent: &str,
    slot: usize,
    rounds: u32,
) -> f64 {
    let mut negotiators = vec![
        create(&NegotiatorSpec::new(opponent)).unwrap(),
        create(&NegotiatorSpec::new(opponent)).unwrap(),
    ];
    negotiators[slot] = create(&NegotiatorSpec::new(me)).unwrap();
    let t = Saop::new(s, tables, negotiators, ProtocolConfig::new(rounds), 11).run();
    assert!(matches!(
        t.result.termination,
        Termination::Agreement | Termination::Deadline
    ));
    t.result.utilities[slot]
}

#[test]
fn boulware_gets_at_least_what_a_conceder_gets() {
    let mut rng = ChaCha8Rng::seed_from_u64(77);
    let scenarios: Vec<(Scenario, u32)> = (0..150)
        .map(|k| {
            let issues = rng.random_range(2..=4);
            let cards: Vec<u32> = (0..issues).map(|_| rng.random_range(2..=7)).collect();
            let terms = [0, 1].map(|_| Terms {
                reservation: rng.random_range(0.0..0.3),
                discount: 1.0,
            });
            let conflict = rng.random_range(0.3..1.0);
            let rounds = rng.random_range(20..=100);
            (linear_scenario(&cards, &terms, conflict, k), rounds)
        })
        .collect();
    for opponent in ["conceder", "linear", "tit-for-tat", "boulware"] {
        let (mut sum_b, mut sum_c, mut wins, mut runs) = (0.0, 0.0, 0usize, 0usize);
        for (s, rounds) in &scenarios {
            let tables = ScenarioTables::for_scenario(s);
            for slot in 0..2 {
                let b = play(s, &tables, "boulware", opponent, slot, *rounds);
                let c = play(s, &tables, "conceder", opponent, slot, *rounds);
                sum_b += b;
                sum_c += c;
                wins += usize::from(b >= c - 1e-9);
                runs += 1;
            }
        }
        let share = wins as f64 / runs as f64;
        let (mean_b, mean_c) = (sum_b / runs as f64, sum_c / runs as f64);
        let summary = format!(
            "against {opponent}: boulware {mean_b:.4}, conceder {mean_c:.4} on average; \
             boulware >= conceder in {share:.3} of {runs} runs"
        );
        eprintln!("{summary}");
        assert!(mean_b >= mean_c, "{summary}");
        let least = if opponent == "tit-for-tat" { 0.6 } else { 0.9 };
        assert!(share >= least, "{summary}");
    }
}
