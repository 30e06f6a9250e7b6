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
//! Each point is an ensemble ([`crate::ensemble`]): `jitter` perturbs the time-dependent
//! parties' exponents of each negotiation as there, `noise` the parties' preferences (of the
//! point's scenario), and each point is summarised by
//! [`Ensemble::of`], as `detente run`'s ensemble and a forecast are.

mod axis;
mod named;

pub use axis::{Axis, MAX_AXIS_VALUES, Param, parse_axis, parse_range};

use detente_core::protocol::derive_seed;
use detente_core::{
    Change, Effect, InteractionUtility, LinearAdditive, NegotiatorSpec, ProtocolKind, Scenario,
    ScenarioTables, Trigger, Utility,
};
use detente_negotiators::Registry;
use rayon::prelude::*;

pub use crate::ensemble::MeanCi;
use crate::ensemble::{Ensemble, QualityCache, Run, Talks};

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
    /// Preference noise, a finite number at least 0 (0 for none; [`crate::ensemble`]).
    pub noise: f64,
    /// Who plays each party (before `e.PARTY` axes replace it).
    pub negotiators: Vec<NegotiatorSpec>,
}

/// The results at one point.
#[derive(Debug, Clone, PartialEq)]
pub struct PointResult {
    /// The value of each axis, in the order of [`SweepConfig::axes`].
    pub values: Vec<f64>,
    /// The summary of its negotiations ([`SweepConfig::seeds`] runs), as every ensemble is
    /// summarised.
    pub summary: Ensemble,
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
    /// Preference noise ([`SweepConfig::noise`]).
    pub noise: f64,
}

/// The scenario and negotiators of the point where `axes` take `values`: `base` and `specs`
/// with every axis applied, checked (the scenario valid, every negotiator and the mediator's
/// strategy known to `registry`).
pub fn point_scenario(
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
            Param::EventShift(k, j) => {
                if let Effect::Reservation { change, .. } = &mut s.events[k].effects[j] {
                    *change = Change::Shift(v);
                }
            }
            Param::Discount(p) => s.parties[p].preferences.discount = v,
            Param::Bonus(p, k) => set_bonus(&mut s, p, k, v)
                .map_err(|e| InspectError::Invalid(format!("`{}` = {v}: {e}", axis.name)))?,
            Param::Mediator => {
                let who = s.party_index(&axis.label(v));
                if let ProtocolKind::Mediated { mediator, .. } = &mut s.protocol.kind {
                    *mediator = who;
                }
            }
            Param::MediatorParam => {
                let name = axis.name.trim_start_matches("mediator.");
                if let ProtocolKind::Mediated { strategy, .. } = &mut s.protocol.kind {
                    strategy.params.insert(name.to_string(), v);
                    registry.mediators().validate(strategy).map_err(|e| {
                        InspectError::Invalid(format!("`{}` = {v}: {e}", axis.name))
                    })?;
                }
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

/// Sets the bonus of linkage `k` of party `p`'s utility to `bonus`.
fn set_bonus(s: &mut Scenario, p: usize, k: usize, bonus: f64) -> detente_core::Result<()> {
    let Utility::Interacting(u) = &s.parties[p].preferences.utility else {
        unreachable!("checked when the axis was parsed");
    };
    let mut terms = u.interactions().to_vec();
    terms[k].utility = bonus;
    let new = InteractionUtility::new(&s.space, u.base().clone(), terms)?;
    s.parties[p].preferences.utility = Utility::Interacting(new);
    Ok(())
}

fn describe(axes: &[Axis], values: &[f64]) -> String {
    axes.iter()
        .zip(values)
        .map(|(a, v)| format!("{} = {}", a.name, a.label(*v)))
        .collect::<Vec<_>>()
        .join(", ")
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
    crate::mediators_for(scenario, registry)?;
    let n_seeds = config.seeds as u64;
    let total = points.len() as u64 * n_seeds;
    let caches: Vec<QualityCache<'_>> = points
        .iter()
        .map(|(s, _, _)| QualityCache::new(s))
        .collect();
    let runs: Vec<Run> = (0..total)
        .into_par_iter()
        .map(|index| {
            let p = (index / n_seeds) as usize;
            let (s, specs, tables) = &points[p];
            let talks = Talks {
                scenario: s,
                tables,
                negotiators: specs,
                registry,
            };
            let seed = derive_seed(config.seed, index);
            talks.run_once(seed, (config.jitter, config.noise), &caches[p])
        })
        .collect::<Result<_>>()?;
    let obligations = !scenario.compliance.is_empty();
    let results = grid
        .iter()
        .zip(runs.chunks(config.seeds))
        .zip(&points)
        .map(|((values, runs), (s, specs, tables))| {
            let talks = Talks {
                scenario: s,
                tables,
                negotiators: specs,
                registry,
            };
            PointResult {
                values: values.clone(),
                summary: Ensemble::of(
                    runs,
                    obligations,
                    talks.jittered_by(config.jitter, config.noise),
                ),
            }
        })
        .collect();
    Ok(SweepResult {
        parties: scenario.parties.iter().map(|p| p.name.clone()).collect(),
        axes: config.axes.clone(),
        points: results,
        seeds: config.seeds,
        seed: config.seed,
        jitter: config.jitter,
        noise: config.noise,
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
    crate::ensemble::check(config.seeds, config.jitter)?;
    crate::ensemble::check_noise(config.noise)?;
    if config.negotiators.len() != scenario.parties.len() {
        return Err(InspectError::Invalid(format!(
            "{} negotiators for {} parties",
            config.negotiators.len(),
            scenario.parties.len()
        )));
    }
    Ok(())
}
