//! The tournament summary as a document: per-negotiator figures, the ranking and pairwise
//! tests, written as `summary.csv` (the per-negotiator table), `summary.json` (everything) and
//! a text table for people. `detente-tournament` computes it from the results.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::columns::{column_width, pad};
use crate::tournament::cells::{opt, push_field, text_cell};

/// Significance level of the pairwise tests' `significant` flag.
pub const ALPHA: f64 = 0.05;

/// One negotiator's figures. Means are over its observations (roles played); `None` where
/// there is nothing to average.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NegotiatorSummary {
    /// Rank by mean utility, from 1 (ties share nothing: broken by name).
    pub rank: usize,
    /// Display name.
    pub name: String,
    /// Number of observations (roles played).
    pub observations: u64,
    /// Observations that ended in agreement.
    pub agreements: u64,
    /// `agreements / observations`.
    pub agreement_rate: Option<f64>,
    /// Wilson score 95% interval of the agreement rate.
    pub agreement_rate_ci: Option<[f64; 2]>,
    /// Mean final utility of its role.
    pub mean_utility: Option<f64>,
    /// Sample standard deviation of that utility.
    pub sd_utility: Option<f64>,
    /// Student-t 95% interval of the mean utility.
    pub utility_ci: Option<[f64; 2]>,
    /// Mean welfare (sum of final utilities) of its negotiations.
    pub mean_welfare: Option<f64>,
    /// Student-t 95% interval of the mean welfare.
    pub welfare_ci: Option<[f64; 2]>,
    /// Share of its observations whose result is Pareto-optimal (among those with quality
    /// figures).
    pub pareto_optimal_rate: Option<f64>,
    /// Mean distance to the Pareto frontier.
    pub mean_dist_frontier: Option<f64>,
    /// Mean distance to the nearest Nash point.
    pub mean_dist_nash: Option<f64>,
    /// Mean distance to the nearest Kalai-Smorodinsky point.
    pub mean_dist_ks: Option<f64>,
    /// Mean distance to the nearest maximum-welfare point.
    pub mean_dist_max_welfare: Option<f64>,
    /// Negotiations this negotiator ended by failing (panic, invalid action, timeout,
    /// failed start).
    pub errors: u64,
}

/// Welch's t-test between two negotiators' utilities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairwiseTest {
    /// The better-ranked negotiator.
    pub a: String,
    /// The other.
    pub b: String,
    /// Mean utility of `a` minus that of `b`.
    pub difference: f64,
    /// The t statistic.
    pub t: Option<f64>,
    /// Welch-Satterthwaite degrees of freedom.
    pub df: Option<f64>,
    /// Two-sided p-value (uncorrected for multiple comparisons).
    pub p_value: f64,
    /// The p-value adjusted by Holm's method over every pair tested.
    pub p_holm: f64,
    /// `p_holm < ALPHA`: significant after the correction for the number of pairs.
    pub significant: bool,
}

/// A tournament's summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Tournament name.
    pub tournament: String,
    /// Negotiations summarised.
    pub negotiations: u64,
    /// Of which ended in agreement.
    pub agreements: u64,
    /// Of which ended with a negotiator fault.
    pub negotiator_faults: u64,
    /// Count of each termination kind.
    pub terminations: BTreeMap<String, u64>,
    /// Negotiators, best first.
    pub negotiators: Vec<NegotiatorSummary>,
    /// Welch's t-test for every pair, in ranking order.
    pub pairwise: Vec<PairwiseTest>,
    /// Repetitions left out of the intervals and tests: a repetition whose result (termination,
    /// agreement, rounds, utilities) is bit-identical to the first repetition of the same
    /// scenario and assignment is a deterministic copy, not an independent draw.
    pub copies: u64,
    /// Pairings (scenario and assignment) played more than once whose repetitions were all
    /// copies of the first.
    pub identical_pairings: u64,
}

/// The header of `summary.csv`.
const CSV_HEADER: &str = "rank,negotiator,observations,agreements,agreement_rate,\
    agreement_rate_ci_low,agreement_rate_ci_high,mean_utility,sd_utility,utility_ci_low,\
    utility_ci_high,mean_welfare,welfare_ci_low,welfare_ci_high,pareto_optimal_rate,\
    mean_dist_frontier,mean_dist_nash,mean_dist_ks,mean_dist_max_welfare,errors\n";

impl NegotiatorSummary {
    /// The cells of this negotiator's row of `summary.csv`.
    fn csv_cells(&self) -> [String; 20] {
        let low = |ci: Option<[f64; 2]>| opt(ci.map(|c| c[0]));
        let high = |ci: Option<[f64; 2]>| opt(ci.map(|c| c[1]));
        let mut name = String::new();
        push_field(&mut name, &text_cell(&self.name));
        [
            self.rank.to_string(),
            name,
            self.observations.to_string(),
            self.agreements.to_string(),
            opt(self.agreement_rate),
            low(self.agreement_rate_ci),
            high(self.agreement_rate_ci),
            opt(self.mean_utility),
            opt(self.sd_utility),
            low(self.utility_ci),
            high(self.utility_ci),
            opt(self.mean_welfare),
            low(self.welfare_ci),
            high(self.welfare_ci),
            opt(self.pareto_optimal_rate),
            opt(self.mean_dist_frontier),
            opt(self.mean_dist_nash),
            opt(self.mean_dist_ks),
            opt(self.mean_dist_max_welfare),
            self.errors.to_string(),
        ]
    }
}

impl Summary {
    /// The per-negotiator table as CSV (header included): the text of `summary.csv`.
    pub fn to_csv(&self) -> String {
        let mut s = String::from(CSV_HEADER);
        for n in &self.negotiators {
            s.push_str(&n.csv_cells().join(","));
            s.push('\n');
        }
        s
    }

    /// The whole summary as pretty JSON (with a trailing newline): the text of
    /// `summary.json`.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a summary serialises");
        s.push('\n');
        s
    }

    /// A table for people: ranking, then the significant pairwise differences.
    pub fn to_text(&self) -> String {
        let mut w = String::new();
        self.write_ranking(&mut w);
        self.write_significant(&mut w);
        if self.copies > 0 {
            use std::fmt::Write as _;
            let _ = writeln!(
                w,
                "\nwarning: {} repetitions repeated their pairing's first result exactly ({} pairings gave the same result every time: deterministic negotiators); they are copies, not draws, and are left out of the intervals and tests",
                self.copies, self.identical_pairings
            );
        }
        w
    }

    fn write_ranking(&self, w: &mut String) {
        use std::fmt::Write as _;
        let pct = |k: u64, n: u64| {
            if n == 0 {
                0.0
            } else {
                100.0 * k as f64 / n as f64
            }
        };
        let _ = writeln!(
            w,
            "{}: {} negotiations, {} agreements ({:.1}%), {} negotiator faults",
            self.tournament,
            self.negotiations,
            self.agreements,
            pct(self.agreements, self.negotiations),
            self.negotiator_faults
        );
        let width = column_width(self.negotiators.iter().map(|n| n.name.chars().count()), 10);
        let _ = writeln!(
            w,
            "\n{:>4}  {}  {:>19}  {:>9}  {:>8}  {:>10}  {:>6}",
            "rank",
            pad("negotiator", width),
            "utility (95% CI)",
            "agreed",
            "welfare",
            "d(Pareto)",
            "errors"
        );
        let f = |v: Option<f64>| v.map_or_else(|| "-".to_string(), |v| format!("{v:.3}"));
        for n in &self.negotiators {
            let ci = match n.utility_ci {
                Some([lo, hi]) => format!("{} [{lo:.3},{hi:.3}]", f(n.mean_utility)),
                None => f(n.mean_utility),
            };
            let _ = writeln!(
                w,
                "{:>4}  {}  {:>19}  {:>8.1}%  {:>8}  {:>10}  {:>6}",
                n.rank,
                pad(&n.name, width),
                ci,
                n.agreement_rate.unwrap_or(0.0) * 100.0,
                f(n.mean_welfare),
                f(n.mean_dist_frontier),
                n.errors
            );
        }
    }

    fn write_significant(&self, w: &mut String) {
        use std::fmt::Write as _;
        let sig: Vec<&PairwiseTest> = self.pairwise.iter().filter(|p| p.significant).collect();
        let _ = writeln!(
            w,
            "\nPairwise Welch t-tests on utility: {} of {} pairs differ at p < {ALPHA} (Holm-corrected)",
            sig.len(),
            self.pairwise.len()
        );
        for p in sig.iter().take(20) {
            let _ = writeln!(
                w,
                "  {} vs {}: {:+.4} (p = {:.3e}, Holm {:.3e})",
                p.a, p.b, p.difference, p.p_value, p.p_holm
            );
        }
        if sig.len() > 20 {
            let _ = writeln!(w, "  ... and {} more in summary.json", sig.len() - 20);
        }
    }
}
