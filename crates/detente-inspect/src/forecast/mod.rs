//! Forecasting the rest of a negotiation from a trace cut at some round.
//!
//! Method: every party is modelled by what was read of it before the cut
//! ([`crate::reading`]): a party classified random plays [`RandomNegotiator`]; every other
//! party with a fit plays [`TimeBased`] with an exponent drawn, per simulation, from a normal
//! distribution in `ln e` centred on the fitted exponent with standard deviation a quarter of
//! the width of its 95% interval (in `ln e`), clamped to that interval; a party with too few
//! offers for a fit draws `ln e` uniformly from `[ln 0.1, ln 10]`. Each simulation runs the
//! Stacked Alternating Offers Protocol from round 0 with every party wrapped in a replay
//! negotiator that plays the recorded actions for rounds before the cut and hands over to its
//! model from the cut on, so the state at the cut (standing offer, time) is the recorded one.
//! A turn the record leaves out (hand-written records may skip turns) is replayed as a repeat
//! of the outcome standing at that moment, or, before any offer, as the party's first recorded
//! offer (its best outcome if it never offers): it changes who made the standing offer but not
//! what it is. Simulation `s` draws its exponents from `derive_seed(seed, s)` and runs with
//! seed `derive_seed(derive_seed(seed, s), 1)`; simulations run in parallel and are collected in
//! order, so the forecast is the same at any thread count.

mod replay;

use detente_analysis::stats::SampleSummary;
use detente_core::protocol::derive_seed;
use detente_core::{ActionKind, Negotiator, Scenario, ScenarioTables, Termination, Trace};
use detente_negotiators::{RandomNegotiator, Registry, TimeBased};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::ensemble::{Ensemble, QualityCache, Run, play};
use crate::error::{InspectError, Result};
use crate::reading::{Reading, Strategy, bounds};
use replay::{Replay, replay_scripts};

/// Most agreements a forecast lists (as every ensemble).
pub use crate::ensemble::TOP_AGREEMENTS;

/// How a party is played in the simulations.
#[derive(Debug, Clone, PartialEq)]
pub enum Model {
    /// Time-based with `ln e ~ N(ln centre, sigma)` clamped to `[range[0], range[1]]`.
    TimeBased {
        /// The fitted exponent, around which `e` is drawn.
        centre: f64,
        /// Standard deviation in `ln e`: a quarter of the width of the fit's 95% interval in
        /// `ln e`.
        sigma: f64,
        /// The fit's 95% interval of `e`, to which draws are clamped.
        range: [f64; 2],
    },
    /// Time-based with `ln e` uniform over `[ln range[0], ln range[1]]` (no fit).
    Unknown {
        /// The smallest and largest `e` drawn (0.1 and 10).
        range: [f64; 2],
    },
    /// Plays [`RandomNegotiator`] (a party read as random).
    Random,
}

impl Model {
    /// The model of a party from what was read of it.
    pub fn of(reading: &crate::reading::PartyReading) -> Model {
        if reading.strategy == Strategy::Random {
            return Model::Random;
        }
        match &reading.fit {
            Some(f) => Model::TimeBased {
                centre: f.e,
                sigma: (f.ci[1].ln() - f.ci[0].ln()) / 4.0,
                range: f.ci,
            },
            None => Model::Unknown { range: [0.1, 10.0] },
        }
    }

    fn draw(&self, rng: &mut ChaCha8Rng) -> Box<dyn Negotiator> {
        match *self {
            Model::Random => Box::new(RandomNegotiator::new()),
            Model::Unknown { range } => {
                let x: f64 = rng.random();
                let le = range[0].ln() + x * (range[1].ln() - range[0].ln());
                Box::new(TimeBased::new(le.exp()))
            }
            Model::TimeBased {
                centre,
                sigma,
                range,
            } => {
                // Box-Muller.
                let u1: f64 = 1.0 - rng.random::<f64>();
                let u2: f64 = rng.random();
                let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
                let le = (centre.ln() + sigma * z).clamp(range[0].ln(), range[1].ln());
                Box::new(TimeBased::new(le.exp()))
            }
        }
    }
}

/// Settings of a forecast.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForecastOptions {
    /// The first round not replayed, from 0 (at least 1, at most the deadline).
    pub cut: u32,
    /// Number of simulated continuations (at least 1).
    pub simulations: usize,
    /// Seed of the draws and of the simulated talks (see the module docs for how each
    /// simulation's seeds derive from it).
    pub seed: u64,
}

/// The forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// The first round simulated, from 0 ([`ForecastOptions::cut`]).
    pub cut: u32,
    /// Simulations run ([`ForecastOptions::simulations`]).
    pub simulations: usize,
    /// Seed of the forecast ([`ForecastOptions::seed`]).
    pub seed: u64,
    /// How each party is played from the cut on, in turn order.
    pub models: Vec<Model>,
    /// The round of agreement (from 1), over the simulations that agreed; `None` when none
    /// did.
    pub agreement_round: Option<SampleSummary>,
    /// The percentiles of each party's final utility (discounted; the reservation value
    /// without agreement).
    pub utilities: Vec<SampleSummary>,
    /// The simulations summarised as every ensemble is ([`Ensemble::of`]): the chance of
    /// agreement with its 95% Wilson interval (the simulation error only, not the model's),
    /// the most frequent agreements, the mean utilities and the outcomes' quality.
    pub ensemble: Ensemble,
}

/// Forecasts the negotiation of `trace` from round `options.cut` on, with the parties modelled
/// from `reading` (which should read only the actions before the cut); mediated talks run with
/// the mediator strategies of `registry`.
pub fn forecast(
    scenario: &Scenario,
    tables: &ScenarioTables,
    trace: &Trace,
    reading: &Reading,
    options: ForecastOptions,
    registry: &Registry,
) -> Result<Forecast> {
    check_options(trace, options)?;
    detente_core::limits::check_simulations(
        scenario,
        trace.deadline,
        options.simulations as u64,
        "the forecast (its simulations run to the trace's deadline)",
    )?;
    let scripts = replay_scripts(scenario, tables, trace, options.cut)?;
    let models: Vec<Model> = reading.parties.iter().map(Model::of).collect();
    for i in 0..scenario.parties.len() {
        bounds(scenario, tables, i)?;
    }
    let mediators = crate::mediators_for(scenario, registry)?;
    let cache = QualityCache::new(scenario);
    let sims: Vec<Run> = (0..options.simulations as u64)
        .into_par_iter()
        .map(|s| {
            let sim_seed = derive_seed(options.seed, s);
            let mut rng = ChaCha8Rng::seed_from_u64(derive_seed(sim_seed, 0));
            let negotiators: Vec<Box<dyn Negotiator>> = models
                .iter()
                .zip(&scripts)
                .map(|(m, script)| {
                    Box::new(Replay {
                        script: script.clone(),
                        inner: m.draw(&mut rng),
                    }) as Box<dyn Negotiator>
                })
                .collect();
            // The scenario's own protocol (SAOP or mediated talks, with its events).
            play(
                (scenario, tables, trace.deadline),
                negotiators,
                derive_seed(sim_seed, 1),
                mediators,
                &cache,
            )
        })
        .collect();
    Ok(summarise(scenario, options, models, &sims))
}

/// Checks that the forecast can start at `options.cut`: within the deadline, after the talks
/// (as recorded) are still going, and with at least one simulation.
fn check_options(trace: &Trace, options: ForecastOptions) -> Result<()> {
    if options.cut == 0 || options.cut > trace.deadline {
        return Err(InspectError::Invalid(format!(
            "the forecast must start in a round from 2 to {} (the deadline), not {}",
            trace.deadline,
            options.cut + 1
        )));
    }
    if options.simulations == 0 {
        return Err(InspectError::Invalid(
            "a forecast needs at least one simulation".into(),
        ));
    }
    if let Some(end) = trace
        .entries
        .iter()
        .position(|e| e.kind == ActionKind::End)
        .map(|k| trace.entries[k].round)
        && end < options.cut
    {
        return Err(InspectError::Invalid(format!(
            "the talks ended in round {}, before the forecast would start",
            end + 1
        )));
    }
    if trace.result.termination == Termination::Agreement
        && trace.entries.last().is_some_and(|e| e.round < options.cut)
    {
        return Err(InspectError::Invalid(format!(
            "the talks reached an agreement in round {}, before the forecast would start",
            trace.entries.last().map_or(0, |e| e.round) + 1
        )));
    }
    Ok(())
}

/// The forecast from the simulations (at least one): the rounds of agreement, the
/// percentiles of the final utilities and the ensemble's summary.
fn summarise(
    scenario: &Scenario,
    options: ForecastOptions,
    models: Vec<Model>,
    sims: &[Run],
) -> Forecast {
    let rounds: Vec<f64> = sims
        .iter()
        .filter(|s| s.agreement.is_some())
        .map(|s| f64::from(s.rounds))
        .collect();
    let utilities = (0..scenario.parties.len())
        .map(|i| {
            let v: Vec<f64> = sims.iter().map(|s| s.utilities[i]).collect();
            SampleSummary::of(&v).expect("at least one simulation")
        })
        .collect();
    // Each simulation draws its exponents anew unless every model is fixed.
    let perturbed = models.iter().any(|m| match m {
        Model::Unknown { .. } => true,
        Model::TimeBased { sigma, range, .. } => *sigma > 0.0 && range[1] > range[0],
        Model::Random => false,
    });
    Forecast {
        cut: options.cut,
        simulations: options.simulations,
        seed: options.seed,
        models,
        agreement_round: SampleSummary::of(&rounds),
        utilities,
        ensemble: Ensemble::of(sims, !scenario.compliance.is_empty(), perturbed),
    }
}
