//! Ensembles: many runs of one negotiation, each with a seed of its own and, with `jitter`,
//! negotiators of its own, summarised as the agreement probability, the most frequent
//! agreements, each party's mean utility and the quality of the outcomes. One run can mislead
//! (a small change flips it from no deal to a deal); an ensemble says how often each happens.
//!
//! `detente run` prints one below its transcript; each point of a [`crate::sweep`] and each
//! [`crate::forecast`] is one, summarised by the same [`Ensemble::of`].
//!
//! **Seeds.** Run `k` of an ensemble with seed `s` runs with seed `derive_seed(s, k)` (a
//! sweep's point `p` with `derive_seed(s, p * runs + k)`). Runs go in parallel and are
//! collected in index order, so an ensemble is the same at any thread count.
//!
//! **Jitter.** Built-in negotiators other than `random` are deterministic, so without
//! randomness every seed gives the same negotiation. `jitter` adds some: each run multiplies
//! the concession exponent of every party whose kind plays the time-dependent tactic (the
//! registry entry says so and where its exponent is: [`detente_negotiators::KindEntry::exponent`];
//! in the built-in registry `time-based`, `boulware`, `linear`, `conceder`) by
//! `exp(jitter * u)`, `u` uniform in `[-1, 1]` drawn from the run's seed, and plays it at that
//! exponent ([`Registry::at_exponent`]). This is noise in how fast each side concedes, not in
//! what it wants: the preferences, fallbacks and events stay as the scenario gives them. The
//! default of `detente run`, [`DEFAULT_JITTER`] = 0.5, spreads each exponent over a factor of
//! `e^±0.5`, from 0.61 to 1.65 times its value: a conceder stays a conceder and a Boulware
//! negotiator a Boulware one, but how soon each gives ground is uncertain.
//!
//! **Preference noise.** The scenario's numbers are judgements, so `noise` lets each run play
//! a scenario of its own: every party's reservation value moves by `noise * u` and each issue
//! weight is multiplied by `exp(noise * u)` (a fresh `u` for each, uniform in `[-1, 1]`, drawn
//! from the run's seed), the weights scaled back to their sum ([`perturbed`]). The default of
//! `detente run` and `detente sweep`, [`DEFAULT_NOISE`] = 0.05, moves each reservation by up to
//! 0.05 (the size of the built-in talks' sanctions package) and each weight by up to 5%. Each
//! run's outcome quality is then measured against its own preferences at its end.
//!
//! **Honest intervals.** Intervals are over independent draws. When every run gave the same
//! result (jitter 0 and deterministic negotiators, mediator and protocol), the runs are copies
//! of one draw: [`Ensemble::identical`] says so and no interval is given (the interval code of
//! [`detente_analysis::stats`] refuses identical samples).

mod noise;
mod quality;
mod summary;

pub use noise::{DEFAULT_NOISE, perturbed};
pub use quality::{QualityCache, RunQuality};
pub use summary::{Ensemble, MeanCi, QualitySummary, TOP_AGREEMENTS};

use detente_core::protocol::mediator::MediatorRegistry;
use detente_core::protocol::{self, ProtocolConfig, derive_seed};
use detente_core::{Negotiator, NegotiatorSpec, Outcome, Scenario, ScenarioTables};
use detente_negotiators::Registry;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::error::{InspectError, Result};

/// Runs in the ensemble `detente run` prints by default.
pub const DEFAULT_RUNS: usize = 200;

/// The exponent jitter of `detente run`'s ensemble by default (see the module docs).
pub const DEFAULT_JITTER: f64 = 0.5;

/// How an ensemble runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EnsembleConfig {
    /// Number of runs (at least 1).
    pub runs: usize,
    /// Seed of the ensemble: run `k` runs with `derive_seed(seed, k)`.
    pub seed: u64,
    /// Exponent jitter, a finite number at least 0 (see the module docs).
    pub jitter: f64,
    /// Preference noise, a finite number at least 0 (see the module docs).
    pub noise: f64,
}

/// What one run of an ensemble ended with.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// The agreement, if any.
    pub agreement: Option<Outcome>,
    /// Whether it was a lasting deal ([`detente_core::compliance::lasting`]).
    pub lasting: bool,
    /// Rounds used ([`detente_core::NegotiationResult::rounds_used`]).
    pub rounds: u32,
    /// Each party's final utility, in turn order (discounted; the reservation value in force
    /// without agreement).
    pub utilities: Vec<f64>,
    /// The outcome's quality against the setting at the end, when it could be measured.
    pub quality: Option<RunQuality>,
}

/// One negotiation of an ensemble, ready to run: the scenario (and its tables), who plays
/// each party, and the strategies the mediator may use.
#[derive(Clone, Copy)]
pub struct Talks<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Its tables ([`ScenarioTables::for_scenario`]).
    pub tables: &'a ScenarioTables,
    /// Who plays each party, in turn order (validated against `registry`).
    pub negotiators: &'a [NegotiatorSpec],
    /// Where the negotiators (and the mediator strategies) come from.
    pub registry: &'a Registry,
}

impl Talks<'_> {
    /// Whether a jitter of `jitter` or a preference noise of `noise` draws each run anew: the
    /// noise is above 0, or the jitter is and some party plays the time-dependent tactic at an
    /// exponent above 0.
    pub fn jittered_by(&self, jitter: f64, noise: f64) -> bool {
        noise > 0.0
            || jitter > 0.0
                && self
                    .negotiators
                    .iter()
                    .any(|s| self.registry.exponent_of(s).is_some_and(|e| e > 0.0))
    }

    /// Runs the negotiation once with `seed`, each time-dependent party's exponent jittered by
    /// `jitter` and, with `noise` above 0, the preferences perturbed by it ([`perturbed`]; the
    /// draws come from `seed` too); measures the outcome's quality through `cache`, a cache of
    /// the unperturbed scenario's settings (with noise, through one of the run's own).
    pub fn run_once(
        &self,
        seed: u64,
        (jitter, noise): (f64, f64),
        cache: &QualityCache,
    ) -> Result<Run> {
        let mut rng = ChaCha8Rng::seed_from_u64(derive_seed(seed, 0x6a69_7474_6572));
        let negotiators = self
            .negotiators
            .iter()
            .map(|spec| jittered(self.registry, spec, jitter, &mut rng))
            .collect::<Result<Vec<_>>>()?;
        let mediators = self.registry.mediators();
        if noise > 0.0 {
            let mut rng = ChaCha8Rng::seed_from_u64(derive_seed(seed, 0x006e_6f69_7365));
            let s = perturbed(self.scenario, noise, &mut rng)?;
            let tables = ScenarioTables::new(s.parties.len(), self.tables.limit());
            let cache = QualityCache::new(&s);
            let deadline = s.protocol.deadline;
            return Ok(play(
                (&s, &tables, deadline),
                negotiators,
                seed,
                mediators,
                &cache,
            ));
        }
        let s = self.scenario;
        let deadline = s.protocol.deadline;
        Ok(play(
            (s, self.tables, deadline),
            negotiators,
            seed,
            mediators,
            cache,
        ))
    }
}

/// Runs `scenario` (with its `tables`) once to `deadline` with `negotiators`, `seed` and the
/// strategies of `mediators` (record of actions off), and measures the outcome through `cache`.
pub fn play(
    (scenario, tables, deadline): (&Scenario, &ScenarioTables, u32),
    negotiators: Vec<Box<dyn Negotiator + '_>>,
    seed: u64,
    mediators: &MediatorRegistry,
    cache: &QualityCache<'_>,
) -> Run {
    let config = ProtocolConfig {
        record_actions: false,
        ..ProtocolConfig::new(deadline)
    };
    let t = protocol::run(scenario, tables, negotiators, config, seed, None, mediators)
        .expect("the mediator strategy was checked before the runs");
    Run {
        quality: cache.measure(&t),
        agreement: t.result.agreement.clone(),
        lasting: detente_core::compliance::lasting(&t) == Some(true),
        rounds: t.result.rounds_used,
        utilities: t.result.utilities,
    }
}

/// Runs an ensemble of `talks` (see the module docs) and summarises it.
pub fn ensemble(talks: &Talks<'_>, config: EnsembleConfig) -> Result<Ensemble> {
    check(config.runs, config.jitter)?;
    check_noise(config.noise)?;
    crate::mediators_for(talks.scenario, talks.registry)?;
    detente_core::limits::check_simulations(
        talks.scenario,
        talks.scenario.protocol.deadline,
        config.runs as u64,
        &format!("the ensemble ({} runs)", config.runs),
    )?;
    let cache = QualityCache::new(talks.scenario);
    let runs = (0..config.runs as u64)
        .into_par_iter()
        .map(|k| {
            let seed = derive_seed(config.seed, k);
            talks.run_once(seed, (config.jitter, config.noise), &cache)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Ensemble::of(
        &runs,
        !talks.scenario.compliance.is_empty(),
        talks.jittered_by(config.jitter, config.noise),
    ))
}

/// Runs an ensemble of `scenario` played by `negotiators` (in turn order, kinds of
/// `registry`) with tables of its own: the ensemble `detente run` prints below a negotiation.
pub fn of_negotiation(
    scenario: &Scenario,
    negotiators: &[NegotiatorSpec],
    registry: &Registry,
    config: EnsembleConfig,
) -> Result<Ensemble> {
    let tables = ScenarioTables::for_scenario(scenario);
    let talks = Talks {
        scenario,
        tables: &tables,
        negotiators,
        registry,
    };
    ensemble(&talks, config)
}

/// Checks a preference noise: a finite number at least 0.
pub fn check_noise(noise: f64) -> Result<()> {
    if noise.is_finite() && noise >= 0.0 {
        Ok(())
    } else {
        Err(InspectError::Invalid(format!(
            "the preference noise must be a finite number at least 0, not {noise}"
        )))
    }
}

/// Checks an ensemble's settings: at least one run, a finite jitter of at least 0.
pub fn check(runs: usize, jitter: f64) -> Result<()> {
    if runs == 0 {
        return Err(InspectError::Invalid(
            "an ensemble needs at least one run".into(),
        ));
    }
    if !(jitter.is_finite() && jitter >= 0.0) {
        return Err(InspectError::Invalid(format!(
            "the jitter must be a finite number at least 0, not {jitter}"
        )));
    }
    Ok(())
}

/// The negotiator a spec stands for in one run: with jitter, a party of the time-dependent
/// tactic plays at its exponent times `exp(jitter * u)`.
pub fn jittered(
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
    registry
        .create(jittered.as_ref().unwrap_or(spec))
        .map_err(|e| InspectError::Invalid(format!("negotiator `{spec}`: {e}")))
}
