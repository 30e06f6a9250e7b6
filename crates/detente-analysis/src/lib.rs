//! Outcome-space analysis for detente: the Pareto frontier of any number of parties, the
//! Nash, Kalai-Smorodinsky, maximum-welfare and egalitarian points (all ties), scenario
//! statistics, and the quality of an agreement; and [`stats`], the statistics tournaments and
//! sweeps summarise their results with. A library: no I/O, no printing.
//!
//! # Definitions (full text in `docs/analysis.md`)
//! Utilities are undiscounted; the disagreement point `d` is the parties' reservation values
//! and `M_i` is party `i`'s maximum utility over all outcomes.
//! - **Dominance** with the absolute tolerance `eps` ([`AnalysisConfig::tolerance`], 1e-12):
//!   `y` dominates `x` when `y_i >= x_i - eps` for every party and `y_j > x_j + eps` for some.
//!   Utilities within `eps` count as equal, so the float noise of summing decimal weights
//!   neither creates nor hides a dominance; on the shared ANAC domains this reproduces the
//!   frontier that exact rational arithmetic gives.
//! - **Frontier**: every outcome nothing dominates; outcomes with equal utility vectors are
//!   all kept.
//! - **Points**, each with every frontier outcome within [`AnalysisConfig::tie_tolerance`] of
//!   the optimum: Nash maximises `prod (u_i - d_i)` and Kalai-Smorodinsky maximises
//!   `min (u_i - d_i) / (M_i - d_i)`, both over outcomes with `u_i >= d_i` for all `i`
//!   (neither exists when there is no such outcome); max welfare maximises `sum u_i`, the
//!   egalitarian point maximises `min u_i`.
//!
//! # Algorithms
//! The frontier of two parties is found by one sort and a sweep (`O(N log N)`); for more it
//! is a parallel window skyline followed by an exact tolerance filter. When every party's
//! utility is linear additive (GENIUS and GeniusWeb profiles), [`Method::Auto`] builds the
//! frontier issue by issue, merging partial sums and pruning dominated partial outcomes, so
//! a space of 10^12 outcomes is solved without enumerating it. Results do not depend on the
//! number of threads.
//!
//! ```
//! use detente_analysis::{AnalysisConfig, analyze};
//! use detente_core::*;
//!
//! let space = OutcomeSpace::new(vec![Issue::integer("share", 0, 10)]).unwrap();
//! let lin = |slope: f64, intercept: f64| {
//!     LinearAdditive::new(&space, vec![1.0], vec![Evaluator::Linear { slope, intercept, origin: 0.0, clamp: true }], None).unwrap()
//! };
//! let party = |name: &str, u| Party { name: name.into(), preferences: Preferences::new(Utility::LinearAdditive(u)), negotiator: None };
//! let scenario = Scenario {
//!     compliance: Default::default(),
//!     name: "pie".into(), description: String::new(), space: space.clone(),
//!     parties: vec![party("me", lin(0.1, 0.0)), party("you", lin(-0.1, 1.0))],
//!     protocol: ProtocolSettings::default(),
//!     events: Vec::new(),
//! };
//! let a = analyze(&scenario, &AnalysisConfig::default()).unwrap();
//! assert_eq!(a.frontier.len(), 11); // every split is Pareto-optimal
//! assert_eq!(a.nash.points.len(), 1);
//! assert_eq!(space.display(&a.nash.points[0].outcome).to_string(), "share=5");
//! ```

mod analysis;
mod dominance;
mod error;
mod frontier;
pub mod model_accuracy;
mod points;
pub mod setting;
pub mod stats;

pub use analysis::{
    AgreementQuality, Analysis, ScenarioStats, agreement_quality, analyze, quality_of_utilities,
};
pub use error::{AnalysisError, Result};
pub use frontier::{Frontier, Point, pareto_frontier, pareto_indices};
pub use points::{
    IndexPoints, Points, SpecialIndices, egalitarian, kalai_smorodinsky, max_welfare, nash,
    special_indices,
};
pub use setting::{
    DEAL_ZONE_HISTORY_LIMIT, DealOutcome, DealZone, END_DEAL_ZONE_LIMIT, EndQuality,
    SettingAnalysis, analyze_setting, deal_zone, deal_zone_by_round, quality_at_end, welfare,
};

/// How the frontier is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// Issue by issue when every party's utility is linear additive (falling back to
    /// enumeration when the partial frontiers grow past the candidate limit and the space is
    /// enumerable); by enumeration otherwise.
    #[default]
    Auto,
    /// Enumerate every outcome (up to the enumeration limit).
    Enumerate,
    /// Issue by issue; an error unless every party's utility is linear additive.
    IssueByIssue,
}

/// Settings of an analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisConfig {
    /// Largest outcome space that is enumerated. Default:
    /// [`detente_core::tables::DEFAULT_ENUMERATION_LIMIT`] (20 million).
    pub enumeration_limit: u64,
    /// Absolute tolerance within which utilities count as equal in dominance and individual
    /// rationality tests. Default 1e-12, suited to utilities of order 1.
    pub tolerance: f64,
    /// Absolute tolerance within which a point's objective ties with the optimum. Default
    /// 1e-12.
    pub tie_tolerance: f64,
    /// How the frontier is computed. Default [`Method::Auto`].
    pub method: Method,
    /// Largest number of partial outcomes the issue-by-issue construction may hold while
    /// merging one issue (bounds its memory). Default 20 million.
    pub candidate_limit: usize,
}

impl Default for AnalysisConfig {
    fn default() -> Self {
        AnalysisConfig {
            enumeration_limit: detente_core::tables::DEFAULT_ENUMERATION_LIMIT,
            tolerance: 1e-12,
            tie_tolerance: 1e-12,
            method: Method::Auto,
            candidate_limit: 20_000_000,
        }
    }
}
