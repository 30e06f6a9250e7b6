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
//! and `rounds` (the deadline). Points are the product of the axes, the first axis varying
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

/// Largest number of values on one axis.
pub const MAX_AXIS_VALUES: usize = 10_000;

/// A scenario parameter a sweep varies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    /// Reservation value of a party.
    Reservation(usize),
    /// Concession exponent of a party (see [`Registry::at_exponent`] for who plays it).
    Exponent(usize),
    /// Weight of an issue (second index) in a party's linear additive utility.
    Weight(usize, usize),
    /// Deadline in rounds.
    Rounds,
    /// The round (counted from 1, as scenario files write it) of a timeline event's `round` or
    /// `no_agreement_by` trigger: e.g. when the mediator withdraws.
    EventRound(usize),
}

/// One varied parameter and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The parameter as written, e.g. `reservation.Bob`.
    pub name: String,
    /// What it sets.
    pub param: Param,
    /// Its values, in order.
    pub values: Vec<f64>,
}

/// Parses a range: `START:END:STEP` (from START up to END inclusive, STEP > 0) or a
/// comma-separated list of numbers.
pub fn parse_range(text: &str) -> Result<Vec<f64>> {
    let bad = |m: String| InspectError::Invalid(format!("range `{text}`: {m}"));
    let num = |s: &str| -> Result<f64> {
        let x: f64 = s
            .trim()
            .parse()
            .map_err(|_| bad(format!("`{}` is not a number", s.trim())))?;
        if x.is_finite() {
            Ok(x)
        } else {
            Err(bad(format!("`{}` is not finite", s.trim())))
        }
    };
    let parts: Vec<&str> = text.split(':').collect();
    let values = match parts.as_slice() {
        [a, b, step] => {
            let (a, b, step) = (num(a)?, num(b)?, num(step)?);
            if step <= 0.0 {
                return Err(bad("the step must be positive".into()));
            }
            if b < a {
                return Err(bad("the end is below the start".into()));
            }
            let count = ((b - a) / step + 1e-9).floor() + 1.0;
            if count > MAX_AXIS_VALUES as f64 {
                return Err(bad(format!("more than {MAX_AXIS_VALUES} values")));
            }
            (0..count as usize)
                .map(|k| {
                    let x = a + k as f64 * step;
                    // Keep 0.1 * 3 printing as 0.3.
                    (x * 1e12).round() / 1e12
                })
                .collect()
        }
        [list] => {
            let v: Vec<f64> = list.split(',').map(num).collect::<Result<_>>()?;
            if v.len() > MAX_AXIS_VALUES {
                return Err(bad(format!("more than {MAX_AXIS_VALUES} values")));
            }
            v
        }
        _ => {
            return Err(bad("expected START:END:STEP or a list like 10,20,30".into()));
        }
    };
    Ok(values)
}

fn party(scenario: &Scenario, name: &str, param: &str) -> Result<usize> {
    scenario.party_index(name).ok_or_else(|| {
        InspectError::Invalid(format!(
            "`{param}`: there is no party `{name}` (parties: {})",
            scenario
                .parties
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

/// Parses `PARAM=RANGE` against a scenario.
pub fn parse_axis(scenario: &Scenario, text: &str) -> Result<Axis> {
    let (name, range) = text.split_once('=').ok_or_else(|| {
        InspectError::Invalid(format!(
            "`{text}`: expected PARAM=RANGE, e.g. reservation.Bob=0:0.5:0.1"
        ))
    })?;
    let name = name.trim();
    let param = if name == "rounds" {
        Param::Rounds
    } else if let Some(rest) = name.strip_prefix("event.") {
        let event = rest
            .strip_suffix(".round")
            .ok_or_else(|| InspectError::Invalid(format!("`{name}`: expected event.NAME.round")))?;
        let k = scenario
            .events
            .iter()
            .position(|e| e.name == event)
            .ok_or_else(|| {
                let names: Vec<&str> = scenario.events.iter().map(|e| e.name.as_str()).collect();
                InspectError::Invalid(format!(
                    "`{name}`: the scenario has no event `{event}` (events: {})",
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        names.join(", ")
                    }
                ))
            })?;
        if !matches!(
            scenario.events[k].trigger,
            Trigger::Round(_) | Trigger::NoAgreementBy(_)
        ) {
            return Err(InspectError::Invalid(format!(
                "`{name}`: the event's trigger is not a round, so it has no round to vary"
            )));
        }
        Param::EventRound(k)
    } else if let Some(p) = name.strip_prefix("reservation.") {
        Param::Reservation(party(scenario, p, name)?)
    } else if let Some(p) = name.strip_prefix("e.") {
        Param::Exponent(party(scenario, p, name)?)
    } else if let Some(rest) = name.strip_prefix("weight.") {
        // The party name may contain dots; the issue is after the last one that leaves a
        // known party.
        let (p, issue) = rest.rsplit_once('.').ok_or_else(|| {
            InspectError::Invalid(format!("`{name}`: expected weight.PARTY.ISSUE"))
        })?;
        let pi = party(scenario, p, name)?;
        let ii = scenario.space.issue_index(issue).ok_or_else(|| {
            InspectError::Invalid(format!("`{name}`: there is no issue `{issue}`"))
        })?;
        if scenario.utility(pi).as_linear().is_none() {
            return Err(InspectError::Invalid(format!(
                "`{name}`: party `{p}` does not have a linear additive utility, so it has no \
                 issue weights"
            )));
        }
        Param::Weight(pi, ii)
    } else {
        return Err(InspectError::Invalid(format!(
            "unknown parameter `{name}`: expected reservation.PARTY, e.PARTY, \
             weight.PARTY.ISSUE, event.NAME.round or rounds"
        )));
    };
    let values = parse_range(range)?;
    for &v in &values {
        let ok = match param {
            Param::Rounds | Param::EventRound(_) => {
                v >= 1.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX)
            }
            Param::Exponent(_) => v >= 0.0,
            _ => true,
        };
        if !ok {
            return Err(InspectError::Invalid(format!(
                "`{name}` = {v}: {}",
                match param {
                    Param::Rounds => "the deadline must be a whole number of rounds, at least 1",
                    Param::EventRound(_) => "an event's round must be a whole number, at least 1",
                    _ => "a concession exponent must be at least 0",
                }
            )));
        }
    }
    Ok(Axis {
        name: name.to_string(),
        param,
        values,
    })
}

/// What a sweep runs.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepConfig {
    /// One or two axes.
    pub axes: Vec<Axis>,
    /// Negotiations per point.
    pub seeds: usize,
    /// Seed.
    pub seed: u64,
    /// Exponent jitter (0 for none).
    pub jitter: f64,
    /// Who plays each party (before `e.PARTY` axes replace it).
    pub negotiators: Vec<NegotiatorSpec>,
}

/// A mean and its 95% t interval (`None` with fewer than two runs), as a tournament summary
/// computes them (`detente_analysis::stats::Running`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanCi {
    /// Mean.
    pub mean: f64,
    /// 95% interval.
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
    /// The value of each axis.
    pub values: Vec<f64>,
    /// Negotiations run.
    pub runs: usize,
    /// Negotiations that reached an agreement.
    pub agreements: usize,
    /// Their share.
    pub rate: f64,
    /// 95% Wilson interval of the rate.
    pub rate_ci: [f64; 2],
    /// Each party's final utility.
    pub utilities: Vec<MeanCi>,
    /// Sum of the final utilities.
    pub welfare: MeanCi,
    /// Mean number of rounds used.
    pub mean_rounds: f64,
}

/// A whole sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepResult {
    /// Party names.
    pub parties: Vec<String>,
    /// The axes.
    pub axes: Vec<Axis>,
    /// Points, first axis slowest.
    pub points: Vec<PointResult>,
    /// Negotiations per point.
    pub seeds: usize,
    /// Seed.
    pub seed: u64,
    /// Exponent jitter.
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

struct Run {
    agreed: bool,
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
    let grid = grid(&config.axes);
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
                rounds: t.result.rounds_used,
                utilities: t.result.utilities,
            })
        })
        .collect::<Result<_>>()?;
    let n = scenario.parties.len();
    let results = grid
        .iter()
        .zip(runs.chunks(config.seeds))
        .map(|(values, runs)| {
            let agreements = runs.iter().filter(|r| r.agreed).count();
            let utilities = (0..n)
                .map(|i| MeanCi::of(&runs.iter().map(|r| r.utilities[i]).collect::<Vec<_>>()))
                .collect();
            let welfare: Vec<f64> = runs.iter().map(|r| r.utilities.iter().sum()).collect();
            PointResult {
                values: values.clone(),
                runs: runs.len(),
                agreements,
                rate: agreements as f64 / runs.len() as f64,
                rate_ci: wilson95(agreements as u64, runs.len() as u64).expect("at least one run"),
                utilities,
                welfare: MeanCi::of(&welfare),
                mean_rounds: mean(&runs.iter().map(|r| f64::from(r.rounds)).collect::<Vec<_>>()),
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("0:0.5:0.25").unwrap(), vec![0.0, 0.25, 0.5]);
        assert_eq!(parse_range("0.1:0.3:0.1").unwrap(), vec![0.1, 0.2, 0.3]);
        assert_eq!(parse_range("10,20, 30").unwrap(), vec![10.0, 20.0, 30.0]);
        assert_eq!(parse_range("1:1:1").unwrap(), vec![1.0]);
        for bad in ["1:0:0.1", "0:1:0", "0:1", "a,b", "0:1:-1", "1:2:3:4", "nan"] {
            assert!(parse_range(bad).is_err(), "{bad}");
        }
        assert!(parse_range("0:1e9:1").is_err());
    }
}
