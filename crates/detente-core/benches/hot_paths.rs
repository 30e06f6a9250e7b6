//! Micro-benchmarks of the engine's hot paths, on a seeded synthetic linear additive scenario
//! of 5 issues x 10 values (100,000 outcomes, two opposed parties):
//!
//! - `utility/linear-additive`: one party's utility of one outcome (a sum of per-issue tables),
//!   over 1,024 varied outcomes per iteration;
//! - `offer/at-least`: `PartyTable::at_least`, the binary search that turns a target utility
//!   into the outcome to offer, over 1,024 varied targets per iteration;
//! - `saop/step`: one `Saop::step` between two simple time-based negotiators (defined here:
//!   core cannot depend on detente-negotiators), the tables warm, after a few steps;
//! - `saop/negotiation`: a whole 100-round negotiation between them, per step.
//!
//! The frontier sweep is benchmarked in `crates/detente-analysis/benches/analysis.rs`.
//!
//! Run with `cargo bench -p detente-core --bench hot_paths`.

// `criterion_group!` defines an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use detente_core::protocol::{Protocol, ProtocolConfig, Saop};
use detente_core::{
    Action, Evaluator, Issue, LinearAdditive, Negotiator, NegotiatorError, Outcome, OutcomeSpace,
    Party, PartyTable, Preferences, ProtocolSettings, Scenario, ScenarioTables, SessionInfo, State,
    Utility, UtilityFunction,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const ISSUES: usize = 5;
const VALUES: u32 = 10;
const BATCH: usize = 1024;

/// Two parties with opposed per-value scores (party 1 scores `1 - s` where party 0 scores `s`)
/// and independent random weights summing to 1.
fn scenario(seed: u64) -> Scenario {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let issues = (0..ISSUES)
        .map(|i| Issue::discrete(format!("i{i}"), (0..VALUES).map(|v| format!("v{v}"))))
        .collect();
    let space = OutcomeSpace::new(issues).expect("a valid space");
    let scores: Vec<Vec<f64>> = (0..ISSUES)
        .map(|_| (0..VALUES).map(|_| rng.random::<f64>()).collect())
        .collect();
    let parties = (0..2)
        .map(|p| {
            let raw: Vec<f64> = (0..ISSUES).map(|_| rng.random::<f64>() + 0.05).collect();
            let total: f64 = raw.iter().sum();
            let evaluators = scores
                .iter()
                .map(|col| {
                    Evaluator::Table(
                        col.iter()
                            .map(|&s| if p == 0 { s } else { 1.0 - s })
                            .collect(),
                    )
                })
                .collect();
            let lin = LinearAdditive::new(
                &space,
                raw.iter().map(|w| w / total).collect(),
                evaluators,
                Some(1.0),
            )
            .expect("a valid utility");
            Party {
                name: format!("p{p}"),
                preferences: Preferences::new(Utility::LinearAdditive(lin)),
                negotiator: None,
            }
        })
        .collect();
    let s = Scenario {
        compliance: Default::default(),
        name: "hot-paths".into(),
        description: String::new(),
        space,
        parties,
        protocol: ProtocolSettings::default(),
        events: Vec::new(),
    };
    s.validate().expect("a valid scenario");
    s
}

/// A plain time-based negotiator: target `Pmax - (Pmax - Pmin) t^(1/e)`, offers the worst
/// outcome at or above it, accepts an offer worth at least the target.
struct TimeBased {
    e: f64,
    space: Option<OutcomeSpace>,
    table: Option<Arc<PartyTable>>,
    pmin: f64,
    pmax: f64,
}

impl TimeBased {
    fn new(e: f64) -> Self {
        TimeBased {
            e,
            space: None,
            table: None,
            pmin: 0.0,
            pmax: 1.0,
        }
    }
}

impl Negotiator for TimeBased {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        let table = info
            .own_table()
            .map_err(|e| NegotiatorError(e.to_string()))?;
        self.pmax = table.best();
        self.pmin = info.preferences().reservation.max(table.worst());
        self.table = Some(table);
        self.space = Some(info.space().clone());
        Ok(())
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        let (Some(table), Some(space)) = (&self.table, &self.space) else {
            return Action::End;
        };
        let target = self.pmax - (self.pmax - self.pmin) * state.time.powf(1.0 / self.e);
        if let Some(offer) = state.standing
            && let Some(id) = space.id_of(&offer.outcome)
            && table.utilities[id as usize] >= target
        {
            return Action::Accept;
        }
        match space.outcome(table.at_least(target)) {
            Some(o) => Action::Offer(o),
            None => Action::End,
        }
    }
}

fn negotiators<'a>() -> Vec<Box<dyn Negotiator + 'a>> {
    vec![Box::new(TimeBased::new(0.2)), Box::new(TimeBased::new(2.0))]
}

fn config() -> ProtocolConfig {
    ProtocolConfig {
        record_actions: false,
        ..ProtocolConfig::new(100)
    }
}

fn bench(c: &mut Criterion) {
    let s = scenario(2024);
    let tables = ScenarioTables::for_scenario(&s);
    let table = tables.party(&s, 0).expect("a table");
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let outcomes: Vec<Outcome> = (0..BATCH)
        .map(|_| Outcome((0..ISSUES).map(|_| rng.random_range(0..VALUES)).collect()))
        .collect();
    let targets: Vec<f64> = (0..BATCH)
        .map(|_| rng.random_range(table.worst()..=table.best()))
        .collect();

    let mut g = c.benchmark_group("utility");
    g.throughput(Throughput::Elements(BATCH as u64));
    let u = s.utility(0);
    g.bench_function("linear-additive", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for o in &outcomes {
                sum += u.utility(black_box(o));
            }
            sum
        })
    });
    g.finish();

    let mut g = c.benchmark_group("offer");
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function("at-least", |b| {
        b.iter(|| {
            let mut acc = 0u64;
            for &t in &targets {
                acc ^= table.at_least(black_box(t));
            }
            acc
        })
    });
    g.finish();

    // A whole negotiation, to know how many steps it takes.
    let trace = Saop::new(&s, &tables, negotiators(), config(), 1).run();
    let steps = trace.result.rounds_used as u64 * 2;
    eprintln!(
        "saop: {} after {} rounds",
        trace.result.termination.as_str(),
        trace.result.rounds_used
    );

    let mut g = c.benchmark_group("saop");
    g.bench_function("step", |b| {
        b.iter_batched(
            || {
                let mut saop = Saop::new(&s, &tables, negotiators(), config(), 1);
                for _ in 0..10 {
                    saop.step();
                }
                saop
            },
            |mut saop| {
                saop.step();
                saop
            },
            BatchSize::SmallInput,
        )
    });
    g.throughput(Throughput::Elements(steps));
    g.bench_function("negotiation", |b| {
        b.iter(|| Saop::new(black_box(&s), &tables, negotiators(), config(), 1).run())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
