//! What is known of a scenario's outcome space before any negotiation is drawn: its analysis
//! and every party's utility of its outcomes (all of them, or a fixed sample).

use detente_analysis::{Analysis, AnalysisConfig, analyze};
use detente_core::tables::utility_vector;
use detente_core::{Outcome, Scenario};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Limits on what is computed and drawn for the outcome space.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureConfig {
    /// Largest space whose outcomes are all evaluated; larger spaces are sampled.
    pub enumeration_limit: u64,
    /// Number of outcomes sampled from a larger space.
    pub sample: usize,
    /// Largest number of outcomes drawn one point each; more are drawn as a density grid.
    pub points_limit: usize,
    /// Cells per side of the density grid.
    pub density_bins: usize,
    /// Settings of the Pareto/Nash/Kalai-Smorodinsky analysis; its tolerance also decides
    /// which points of a pair's projection are Pareto-optimal.
    pub analysis: AnalysisConfig,
}

impl Default for FigureConfig {
    fn default() -> Self {
        FigureConfig {
            enumeration_limit: 2_000_000,
            sample: 20_000,
            points_limit: 20_000,
            density_bins: 40,
            analysis: AnalysisConfig::default(),
        }
    }
}

/// Every party's utility of the outcomes drawn (all of them, or a sample).
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeCloud {
    /// `utilities[party][k]`: party's utility of the `k`-th outcome.
    pub utilities: Vec<Vec<f64>>,
    /// Whether the outcomes are a random sample (the space was too large to enumerate).
    pub sampled: bool,
    /// Number of outcomes in the space; `None` when it does not fit in a `u128`.
    pub total: Option<u128>,
}

impl OutcomeCloud {
    /// Evaluates every outcome of `scenario` when there are at most
    /// `config.enumeration_limit`, otherwise `config.sample` outcomes drawn uniformly with a
    /// fixed seed (so the picture is the same every time).
    pub fn of(scenario: &Scenario, config: &FigureConfig) -> crate::Result<Self> {
        let total = scenario.space.count();
        if scenario.space.enumerable(config.enumeration_limit).is_ok() {
            let utilities = scenario
                .parties
                .iter()
                .map(|p| {
                    utility_vector(
                        &scenario.space,
                        &p.preferences.utility,
                        config.enumeration_limit,
                    )
                })
                .collect::<detente_core::Result<Vec<_>>>()?;
            return Ok(OutcomeCloud {
                utilities,
                sampled: false,
                total,
            });
        }
        let mut rng = ChaCha8Rng::seed_from_u64(0x005e_ed0f_c10d);
        let cards: Vec<u64> = scenario
            .space
            .issues()
            .iter()
            .map(|i| i.cardinality())
            .collect();
        let mut utilities = vec![Vec::with_capacity(config.sample); scenario.parties.len()];
        let mut o = Outcome(vec![0; cards.len()]);
        for _ in 0..config.sample {
            for (v, &c) in o.0.iter_mut().zip(&cards) {
                *v = rng.random_range(0..c) as u32;
            }
            for (p, u) in scenario.utilities(&o).into_iter().enumerate() {
                utilities[p].push(u);
            }
        }
        Ok(OutcomeCloud {
            utilities,
            sampled: true,
            total,
        })
    }

    /// Number of outcomes held (all of the space's, or the sample's).
    pub fn len(&self) -> usize {
        self.utilities.first().map_or(0, Vec::len)
    }

    /// Whether it holds no outcome.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What is known about a scenario's outcome space: its analysis and its outcome cloud, each
/// with the reason when it could not be computed.
#[derive(Debug, Clone)]
pub struct ScenarioFigures {
    /// Frontier, Nash and Kalai-Smorodinsky points, statistics; `None` when the analysis
    /// failed.
    pub analysis: Option<Analysis>,
    /// Why the analysis failed (the report says so); `None` when it succeeded.
    pub analysis_error: Option<String>,
    /// Every party's utility of the outcomes drawn; `None` when they could not be evaluated.
    pub cloud: Option<OutcomeCloud>,
    /// Why the outcomes could not be evaluated; `None` when they were.
    pub cloud_error: Option<String>,
}

impl ScenarioFigures {
    /// Analyses `scenario` and evaluates its outcomes. Failures are recorded, not returned:
    /// a report is still made without the part that failed.
    pub fn compute(scenario: &Scenario, config: &FigureConfig) -> Self {
        let (analysis, analysis_error) = match analyze(scenario, &config.analysis) {
            Ok(a) => (Some(a), None),
            Err(e) => (None, Some(e.to_string())),
        };
        let (cloud, cloud_error) = match OutcomeCloud::of(scenario, config) {
            Ok(c) => (Some(c), None),
            Err(e) => (None, Some(e.to_string())),
        };
        ScenarioFigures {
            analysis,
            analysis_error,
            cloud,
            cloud_error,
        }
    }
}
