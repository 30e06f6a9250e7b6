//! One 100-round bilateral negotiation between a Boulware (e = 0.2) and a Conceder (e = 2)
//! time-based negotiator, on seeded synthetic scenarios of 3,000 and 100,000 outcomes, with the
//! per-party utility tables cold (built inside the measured code) or warm (built once, shared).

// `criterion_group!` defines an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use detente_core::protocol::{Protocol, ProtocolConfig, Saop};
use detente_core::{Negotiator, Scenario, ScenarioTables, Trace};
use detente_negotiators::TimeBased;

#[allow(dead_code)]
#[path = "../tests/synthetic.rs"]
mod synthetic;

fn negotiate(scenario: &Scenario, tables: &ScenarioTables, record_actions: bool) -> Trace {
    let negotiators: Vec<Box<dyn Negotiator>> =
        vec![Box::new(TimeBased::new(0.2)), Box::new(TimeBased::new(2.0))];
    let config = ProtocolConfig {
        record_actions,
        ..ProtocolConfig::new(100)
    };
    Saop::new(scenario, tables, negotiators, config, 1).run()
}

fn bench(c: &mut Criterion) {
    let terms = [synthetic::Terms::default(); 2];
    for (label, cards) in [
        ("3000", &[5u32, 5, 5, 4, 6][..]),
        ("100000", &[10u32, 10, 10, 10, 10][..]),
    ] {
        let scenario = synthetic::linear_scenario(cards, &terms, 0.8, 2024);
        assert_eq!(
            scenario.space.count_u64(),
            Some(label.parse().unwrap()),
            "outcome count"
        );
        let warm = ScenarioTables::for_scenario(&scenario);
        let trace = negotiate(&scenario, &warm, true);
        eprintln!(
            "{label} outcomes: {} after {} rounds ({} actions), utilities {:?}",
            trace.result.termination.as_str(),
            trace.result.rounds_used,
            trace.entries.len(),
            trace.result.utilities
        );
        let mut group = c.benchmark_group(format!("negotiation/{label}"));
        group.bench_function("warm", |b| {
            b.iter(|| negotiate(black_box(&scenario), &warm, true))
        });
        group.bench_function("warm-unrecorded", |b| {
            b.iter(|| negotiate(black_box(&scenario), &warm, false))
        });
        group.bench_function("cold", |b| {
            b.iter(|| {
                let tables = ScenarioTables::for_scenario(&scenario);
                negotiate(black_box(&scenario), &tables, true)
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
