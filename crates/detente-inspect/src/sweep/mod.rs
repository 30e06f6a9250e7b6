//! What-if sweeps: vary one or two parameters of a scenario over a range, run seeded
//! negotiations at every point, and report agreement rates, mean utilities and welfare with
//! 95% confidence intervals.
//!
//! Negotiators are resolved in a [`Registry`], so kinds registered by the user can be swept
//! like the built-in ones.
//!
//! Parameters: `event.NAME.round` (the round of a timeline event such as a withdrawal),
//! `reservation.PARTY` (its reservation value), `e.PARTY` (plays it at that concession
//! exponent, as [`Registry::at_exponent`] chooses: its own kind when that kind takes the
//! exponent as a parameter allowing the value, otherwise the registry's first kind that does,
//! `time-based` in the built-in registry), `weight.PARTY.ISSUE` (the weight of an issue in its
//! linear additive utility; the other weights are left as they are, nothing is renormalised)
//! `monitor` (the accuracy of a third-party monitor of the scenario's obligations; 0.5 or
//! less: none) and `rounds` (the deadline). With obligations, each point also counts the
//! lasting deals (an agreement no bound party truly breached afterwards). Points are the product of the axes, the first axis varying
//! slowest; negotiation `k` of point `p` runs with seed `derive_seed(seed, p * seeds + k)`.
//! Negotiations run in parallel and are collected in index order, so the result is the same at
//! any thread count. Wall-clock limits of the scenario are not applied.
//!
//! Built-in negotiators other than `random` are deterministic, so without randomness every
//! seed of a point gives the same negotiation. `jitter` adds some: each negotiation multiplies
//! the exponent of every party whose kind plays the time-dependent tactic (the registry entry
//! says so and where its exponent is: [`detente_negotiators::KindEntry::exponent`]; in the
//! built-in registry `time-based`, `boulware`, `linear`, `conceder`) by `exp(jitter * u)`, `u`
//! uniform in `[-1, 1]` drawn from the negotiation's seed, and plays it at that exponent as
//! `e.PARTY` does.

mod axis;

pub use axis::{Axis, MAX_AXIS_VALUES, Param, parse_axis, parse_range};

use detente_analysis::stats::{Running, mean, wilson95};
use detente_core::protocol::{self, ProtocolConfig, derive_seed};
use detente_core::{
    LinearAdditive, Negotiator, NegotiatorSpec, Scenario, ScenarioTables, Trigger, Utility,
};
use detente_negotiators::Registry;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::error::{InspectError, Result};

/// What a sweep runs.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepConfig {
    /// One or two axes; with two, every pair of values is a point.
    pub axes: Vec<Axis>,
    /// Negotiations per point (at least 1), each with a seed of its own.
    pub seeds: usize,
    /// Seed of the whole sweep: negotiation `k` of point `p` runs with
    /// `derive_seed(seed, p * seeds + k)`.
    pub seed: u64,
    /// Exponent jitter, a finite number at least 0 (0 for none; see the module docs).
    pub jitter: f64,
    /// Who plays each party (before `e.PARTY` axes replace it).
    pub negotiators: Vec<NegotiatorSpec>,
}

/// A mean and its 95% t interval (`None` with fewer than two runs), as a tournament summary
/// computes them (`detente_analysis::stats::Running`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanCi {
    /// Mean of the sample.
    pub mean: f64,
    /// 95% t interval of the mean, `[low, high]`; `None` with fewer than two values.
    pub ci: Option<[f64; 2]>,
}

impl MeanCi {
    /// The mean and interval of a sample (the outcomes of a point's negotiations).
    pub fn of(values: &[f64]) -> MeanCi {
        let running = Running::of(values);
        MeanCi {
            mean: running.mean,
            ci: running.ci95(),
        }
    }
}

/// The results at one point.
#[derive(Debug, Clone, PartialEq)]
pub struct PointResult {
    /// The value of each axis, in the order of [`SweepConfig::axes`].
    pub values: Vec<f64>,
    /// Negotiations run ([`SweepConfig::seeds`]).
    pub runs: usize,
    /// Negotiations that reached an agreement.
    pub agreements: usize,
    /// `agreements / runs`, in `[0, 1]`.
    pub rate: f64,
    /// 95% Wilson interval of the rate; `None` when every run gave the same result
    /// (deterministic copies of one draw, not independent samples: see [`Self::distinct`]).
    pub rate_ci: Option<[f64; 2]>,
    /// How many different results (agreement, rounds and utilities) the runs gave.
    pub distinct: usize,
    /// Each party's final utility, in turn order (discounted; the reservation value without
    /// agreement).
    pub utilities: Vec<MeanCi>,
    /// Sum of the parties' final utilities.
    pub welfare: MeanCi,
    /// Mean number of rounds used ([`detente_core::NegotiationResult::rounds_used`]).
    pub mean_rounds: f64,
    /// Negotiations that reached a lasting deal ([`detente_core::compliance::lasting`]: an
    /// agreement no bound party truly breached afterwards), when the scenario has obligations.
    pub lasting: Option<usize>,
}

/// A whole sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepResult {
    /// Party names, in turn order (the order of [`PointResult::utilities`]).
    pub parties: Vec<String>,
    /// The axes swept ([`SweepConfig::axes`]).
    pub axes: Vec<Axis>,
    /// Every point's results, first axis slowest.
    pub points: Vec<PointResult>,
    /// Negotiations per point ([`SweepConfig::seeds`]).
    pub seeds: usize,
    /// Seed of the sweep ([`SweepConfig::seed`]).
    pub seed: u64,
    /// Exponent jitter ([`SweepConfig::jitter`]).
    pub jitter: f64,
}

fn point_scenario(
    registry: &Registry,
    base: &Scenario,
    specs: &[NegotiatorSpec],
    axes: &[Axis],
    values: &[f64],
) -> Result<(Scenario, Vec<NegotiatorSpec>)> {
    let mut s = base.clone();
    let mut specs = specs.to_vec();
    for (axis, &v) in axes.iter().zip(values) {
        match axis.param {
            Param::Reservation(p) => s.parties[p].preferences.reservation = v,
            Param::Exponent(p) => {
                specs[p] = registry.at_exponent(&specs[p], v).ok_or_else(|| {
                    InspectError::Invalid(format!(
                        "`{}` = {v}: no negotiator kind of the registry plays the \
                         time-dependent tactic at that exponent",
                        axis.name
                    ))
                })?;
            }
            Param::Rounds => s.protocol.deadline = v as u32,
            Param::Monitor => s.compliance.monitor = (v > 0.5).then_some(v),
            Param::EventRound(k) => {
                let r = v as u32;
                s.events[k].trigger = match s.events[k].trigger {
                    Trigger::Round(_) => Trigger::Round(r - 1),
                    Trigger::NoAgreementBy(_) => Trigger::NoAgreementBy(r),
                    ref other => other.clone(),
                };
            }
            Param::Weight(p, i) => {
                let lin = s.parties[p]
                    .preferences
                    .utility
                    .as_linear()
                    .expect("checked when the axis was parsed");
                let mut w = lin.weights().to_vec();
                w[i] = v;
                let new = LinearAdditive::new(&s.space, w, lin.evaluators().to_vec(), lin.cap())
                    .map_err(|e| InspectError::Invalid(format!("`{}` = {v}: {e}", axis.name)))?;
                s.parties[p].preferences.utility = Utility::LinearAdditive(new);
            }
        }
    }
    s.validate()
        .map_err(|e| InspectError::Invalid(format!("at {}: {e}", describe(axes, values))))?;
    for (p, spec) in s.parties.iter().zip(&specs) {
        registry
            .validate(spec)
            .map_err(|e| InspectError::Invalid(format!("negotiator of `{}`: {e}", p.name)))?;
    }
    Ok((s, specs))
}

fn describe(axes: &[Axis], values: &[f64]) -> String {
    axes.iter()
        .zip(values)
        .map(|(a, v)| format!("{} = {v}", a.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What one negotiation of a sweep ended with.
struct Run {
    agreed: bool,
    lasting: bool,
    rounds: u32,
    utilities: Vec<f64>,
}

/// The negotiator a spec stands for in one negotiation: with jitter, a party of the
/// time-dependent tactic plays at its exponent times `exp(jitter * u)`.
fn negotiator(
    registry: &Registry,
    spec: &NegotiatorSpec,
    jitter: f64,
    rng: &mut ChaCha8Rng,
) -> Result<Box<dyn Negotiator>> {
    let jittered = match registry.exponent_of(spec) {
        Some(e) if jitter > 0.0 => {
            let u: f64 = rng.random_range(-1.0..=1.0);
            // Finite, so that a kind can take it; 0 stays 0.
            let e = if e == 0.0 {
                0.0
            } else {
                (e * (jitter * u).exp()).min(f64::MAX)
            };
            Some(registry.at_exponent(spec, e).ok_or_else(|| {
                InspectError::Invalid(format!(
                    "the jitter moves the exponent of `{spec}` to {e}, which no negotiator kind \
                     of the registry plays"
                ))
            })?)
        }
        _ => None,
    };
    Ok(registry
        .create(jittered.as_ref().unwrap_or(spec))
        .expect("specs were validated when the point was built"))
}

/// The scenario, negotiators and tables of the point at `values`.
fn point(
    registry: &Registry,
    scenario: &Scenario,
    config: &SweepConfig,
    values: &[f64],
) -> Result<(Scenario, Vec<NegotiatorSpec>, ScenarioTables)> {
    let (s, specs) = point_scenario(
        registry,
        scenario,
        &config.negotiators,
        &config.axes,
        values,
    )?;
    let tables = ScenarioTables::for_scenario(&s);
    for i in 0..s.parties.len() {
        tables.party(&s, i).map_err(|e| InspectError::Table {
            party: s.parties[i].name.clone(),
            message: e.to_string(),
        })?;
    }
    Ok((s, specs, tables))
}

/// Every point's values, first axis slowest.
fn grid(axes: &[Axis]) -> Vec<Vec<f64>> {
    let mut grid: Vec<Vec<f64>> = vec![Vec::new()];
    for axis in axes {
        grid = grid
            .into_iter()
            .flat_map(|prefix| {
                axis.values.iter().map(move |&v| {
                    let mut p = prefix.clone();
                    p.push(v);
                    p
                })
            })
            .collect();
    }
    grid
}

/// Runs a sweep, resolving the negotiators in `registry`.
pub fn sweep(
    scenario: &Scenario,
    config: &SweepConfig,
    registry: &Registry,
) -> Result<SweepResult> {
    check_config(scenario, config)?;
    let grid = grid(&config.axes);
    let n_points = grid.len() as u64;
    let negotiations = n_points.saturating_mul(config.seeds as u64);
    for values in &grid {
        let (s, _) = point_scenario(
            registry,
            scenario,
            &config.negotiators,
            &config.axes,
            values,
        )?;
        let what = format!("the sweep ({n_points} points x {} seeds)", config.seeds);
        detente_core::limits::check_simulations(&s, s.protocol.deadline, negotiations, &what)?;
    }
    let points = grid
        .iter()
        .map(|values| point(registry, scenario, config, values))
        .collect::<Result<Vec<_>>>()?;
    let mediators = crate::mediators_for(scenario, registry)?;
    let n_seeds = config.seeds as u64;
    let total = points.len() as u64 * n_seeds;
    let runs: Vec<Run> = (0..total)
        .into_par_iter()
        .map(|index| {
            let (s, specs, tables) = &points[(index / n_seeds) as usize];
            let seed = derive_seed(config.seed, index);
            let mut rng = ChaCha8Rng::seed_from_u64(derive_seed(seed, 0x6a69_7474_6572));
            let negotiators = specs
                .iter()
                .map(|spec| negotiator(registry, spec, config.jitter, &mut rng))
                .collect::<Result<Vec<_>>>()?;
            let config = ProtocolConfig {
                record_actions: false,
                ..ProtocolConfig::new(s.protocol.deadline)
            };
            let t = protocol::run(s, tables, negotiators, config, seed, None, mediators)
                .expect("the mediator strategy was checked before the runs");
            Ok(Run {
                agreed: t.result.agreement.is_some(),
                lasting: detente_core::compliance::lasting(&t) == Some(true),
                rounds: t.result.rounds_used,
                utilities: t.result.utilities,
            })
        })
        .collect::<Result<_>>()?;
    let n = scenario.parties.len();
    let results = grid
        .iter()
        .zip(runs.chunks(config.seeds))
        .map(|(values, runs)| point_result(values, runs, n, !scenario.compliance.is_empty()))
        .collect();
    Ok(SweepResult {
        parties: scenario.parties.iter().map(|p| p.name.clone()).collect(),
        axes: config.axes.clone(),
        points: results,
        seeds: config.seeds,
        seed: config.seed,
        jitter: config.jitter,
    })
}

/// Checks the sweep's settings: one or two axes, at least one seed, a finite jitter of at
/// least 0, one negotiator per party.
fn check_config(scenario: &Scenario, config: &SweepConfig) -> Result<()> {
    if config.axes.is_empty() || config.axes.len() > 2 {
        return Err(InspectError::Invalid(format!(
            "a sweep varies one or two parameters, not {}",
            config.axes.len()
        )));
    }
    if config.seeds == 0 {
        return Err(InspectError::Invalid("--seeds must be at least 1".into()));
    }
    if !(config.jitter.is_finite() && config.jitter >= 0.0) {
        return Err(InspectError::Invalid(format!(
            "the jitter must be a finite number at least 0, not {}",
            config.jitter
        )));
    }
    if config.negotiators.len() != scenario.parties.len() {
        return Err(InspectError::Invalid(format!(
            "{} negotiators for {} parties",
            config.negotiators.len(),
            scenario.parties.len()
        )));
    }
    Ok(())
}

/// The results at the point of `values` from its `runs` (at least one) among `n` parties.
fn point_result(values: &[f64], runs: &[Run], n: usize, obligations: bool) -> PointResult {
    let agreements = runs.iter().filter(|r| r.agreed).count();
    let utilities = (0..n)
        .map(|i| MeanCi::of(&runs.iter().map(|r| r.utilities[i]).collect::<Vec<_>>()))
        .collect();
    let welfare: Vec<f64> = runs.iter().map(|r| r.utilities.iter().sum()).collect();
    let mut keys: Vec<(bool, u32, Vec<u64>)> = runs
        .iter()
        .map(|r| {
            (
                r.agreed,
                r.rounds,
                r.utilities.iter().map(|u| u.to_bits()).collect(),
            )
        })
        .collect();
    keys.sort();
    keys.dedup();
    let distinct = keys.len();
    let copies = runs.len() > 1 && distinct == 1;
    PointResult {
        distinct,
        values: values.to_vec(),
        runs: runs.len(),
        agreements,
        rate: agreements as f64 / runs.len() as f64,
        rate_ci: wilson95(agreements as u64, runs.len() as u64).filter(|_| !copies),
        utilities,
        welfare: MeanCi::of(&welfare),
        mean_rounds: mean(&runs.iter().map(|r| f64::from(r.rounds)).collect::<Vec<_>>()),
        lasting: obligations.then(|| runs.iter().filter(|r| r.lasting).count()),
    }
}
