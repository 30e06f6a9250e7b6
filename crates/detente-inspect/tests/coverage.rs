//! Coverage of the fitted exponent's 95% interval on the built-in peace talks (each offer read
//! within the bounds in force at its round, `detente_inspect::in_force`), under the
//! protocol the scenario states (mediated single text, with its events and settlements) and
//! under plain stacked alternating offers, measured separately (issue 14, observation 6: the
//! documented coverage came from SAOP alone). The thresholds are those `docs/inspect.md`
//! states; the measured figures are printed (`-- --nocapture`).

use detente_core::dynamics::Setting;
use detente_core::protocol::{self, ProtocolConfig};
use detente_core::{Negotiator, ProtocolKind, Scenario, ScenarioTables, Trace};
use detente_inspect::{DEFAULT_STALLING, in_force, read_in_force};
use detente_negotiators::{Registry, TimeBased};

use crate::support::{EXPONENTS, shipped};

/// Runs `s` under its own protocol, each party time-based at its exponent.
fn run(s: &Scenario, es: &[f64], seed: u64) -> Trace {
    let tables = ScenarioTables::for_scenario(s);
    let negs: Vec<Box<dyn Negotiator>> = es
        .iter()
        .map(|&e| Box::new(TimeBased::new(e)) as Box<dyn Negotiator>)
        .collect();
    let registry = Registry::builtin();
    let config = ProtocolConfig::from_scenario(s);
    protocol::run(s, &tables, negs, config, seed, None, registry.mediators()).unwrap()
}

/// (parties counted, true exponents inside the interval) over the exponent rotations.
fn coverage(s: &Scenario) -> (usize, usize) {
    let tables = ScenarioTables::for_scenario(s);
    let mediator = match s.protocol.kind {
        ProtocolKind::Mediated { mediator, .. } => mediator,
        ProtocolKind::Saop => None,
    };
    let (mut cases, mut inside) = (0, 0);
    for j in 0..EXPONENTS.len() {
        let es: Vec<f64> = (0..s.parties.len())
            .map(|i| EXPONENTS[(i + j) % EXPONENTS.len()])
            .collect();
        let trace = run(s, &es, j as u64);
        let last = trace.entries.last().map_or(0, |e| e.round);
        let fallbacks = Setting::replay(s, &trace, Some(last))
            .unwrap()
            .reservations();
        let settings = in_force(s, &trace, last).unwrap();
        let reading = read_in_force(
            s,
            &tables,
            &trace.entries,
            trace.deadline,
            DEFAULT_STALLING,
            Some(&fallbacks),
            Some(&settings),
        )
        .unwrap();
        for (p, &e) in reading.parties.iter().zip(&es) {
            let Some(fit) = &p.fit else { continue };
            if Some(p.party) == mediator || p.evidence.distinct_offers < 3 {
                continue;
            }
            cases += 1;
            inside += usize::from(fit.ci[0] <= e && e <= fit.ci[1]);
        }
    }
    (cases, inside)
}

#[test]
fn interval_coverage_on_the_peace_talks_under_both_protocols() {
    let mediated = shipped("ukraine-2025");
    let mut saop = mediated.clone();
    saop.protocol.kind = ProtocolKind::Saop;
    let (m_cases, m_inside) = coverage(&mediated);
    let (s_cases, s_inside) = coverage(&saop);
    let share = |k: usize, n: usize| k as f64 / n.max(1) as f64;
    println!(
        "coverage of the 95% interval on ukraine-2025: mediated {m_inside}/{m_cases} ({:.0}%), SAOP {s_inside}/{s_cases} ({:.0}%)",
        100.0 * share(m_inside, m_cases),
        100.0 * share(s_inside, s_cases)
    );
    assert!(m_cases >= 12 && s_cases >= 12, "enough parties are read");
    // The threshold docs/inspect.md states (measured: mediated 18/18, SAOP 21/21, each offer
    // predicted within the bounds in force at its round; 0/18 and 1/21 against fixed bounds).
    assert!(share(s_inside, s_cases) >= 0.9, "SAOP coverage");
    assert!(share(m_inside, m_cases) >= 0.9, "mediated coverage");
}
