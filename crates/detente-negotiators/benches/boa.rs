//! BOA negotiators against themselves on Amsterdam (ANAC 2011, 3,024 outcomes), 100 rounds,
//! utility tables warm: time-dependent offering, AC_next, and each kind of opponent model
//! (the frequency models, the Bayesian ones, none); and the time-based negotiator with and
//! without its opponent model. Needs the shared GENIUS domains (skipped without them).

// `criterion_group!` defines an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use detente_core::protocol::{Protocol, ProtocolConfig, Saop};
use detente_core::{NegotiatorSpec, Scenario, ScenarioTables, Trace};
use detente_negotiators::Registry;

fn negotiate(
    registry: &Registry,
    scenario: &Scenario,
    tables: &ScenarioTables,
    spec: &NegotiatorSpec,
) -> Trace {
    let negotiators = vec![
        registry.create(spec).expect("a valid spec"),
        registry.create(spec).expect("a valid spec"),
    ];
    let config = ProtocolConfig {
        record_actions: false,
        ..ProtocolConfig::new(100)
    };
    Saop::new(scenario, tables, negotiators, config, 1).run()
}

fn bench(c: &mut Criterion) {
    let Some(dir) = detente_testkit::genius_domain("Amsterdam") else {
        eprintln!("no shared GENIUS domains: skipping the BOA benchmarks");
        return;
    };
    let scenario = detente_formats::load(&[dir])
        .expect("Amsterdam loads")
        .scenario;
    assert_eq!(scenario.space.count_u64(), Some(3024));
    let tables = ScenarioTables::for_scenario(&scenario);
    let registry = Registry::builtin();
    let mut group = c.benchmark_group("boa/amsterdam");
    for (label, text) in [
        (
            "hardheaded-frequency",
            "boa:offer=boulware,model=hardheaded-frequency",
        ),
        (
            "smith-frequency",
            "boa:offer=boulware,model=smith-frequency",
        ),
        ("cuhk-frequency", "boa:offer=boulware,model=cuhk-frequency"),
        ("nash-frequency", "boa:offer=boulware,model=nash-frequency"),
        (
            "scalable-bayesian",
            "boa:offer=boulware,model=scalable-bayesian",
        ),
        ("bayesian", "boa:offer=boulware,model=bayesian"),
        ("no-model", "boa:offer=boulware,model=none"),
        ("time-based", "boulware"),
        ("time-based-no-model", "boulware:model=none"),
    ] {
        let spec = registry.parse_spec(text).expect("a valid spec");
        let t = negotiate(&registry, &scenario, &tables, &spec);
        eprintln!(
            "{label}: {} after {} rounds, utilities {:?}",
            t.result.termination.as_str(),
            t.result.rounds_used,
            t.result.utilities
        );
        if label == "bayesian" {
            group.sample_size(10);
        }
        group.bench_function(label, |b| {
            b.iter(|| negotiate(&registry, black_box(&scenario), &tables, &spec))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
