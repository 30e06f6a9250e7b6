//! The tournament summary: per-negotiator means with 95% confidence intervals, a ranking and
//! pairwise Welch t-tests, folded row by row (in index order) so memory stays flat.
//!
//! A negotiator's observations are its roles: a negotiation contributes one observation per
//! role the negotiator plays (two in self-play of a bilateral scenario).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::error::{Result, TournamentError};
use crate::results::{Row, RowReader};
use crate::stats::{Running, Welch, welch, wilson95};

/// Significance level of the pairwise tests' `significant` flag.
pub const ALPHA: f64 = 0.05;

#[derive(Debug, Clone, Default)]
struct Acc {
    utility: Running,
    welfare: Running,
    agreements: u64,
    pareto_optimal: u64,
    with_quality: u64,
    dist_frontier: Running,
    dist_nash: Running,
    dist_ks: Running,
    dist_max_welfare: Running,
    errors: u64,
}

/// Folds rows into a [`Summary`].
#[derive(Debug, Clone)]
pub struct SummaryBuilder {
    tournament: String,
    names: Vec<String>,
    by_name: BTreeMap<String, usize>,
    accs: Vec<Acc>,
    negotiations: u64,
    agreements: u64,
    negotiator_faults: u64,
    terminations: BTreeMap<String, u64>,
}

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
    /// `p_value < ALPHA`.
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
}

impl SummaryBuilder {
    /// A builder for the negotiators `names` (every row must use only these).
    pub fn new(tournament: &str, names: &[String]) -> Self {
        SummaryBuilder {
            tournament: tournament.to_string(),
            names: names.to_vec(),
            by_name: names
                .iter()
                .enumerate()
                .map(|(i, n)| (n.clone(), i))
                .collect(),
            accs: vec![Acc::default(); names.len()],
            negotiations: 0,
            agreements: 0,
            negotiator_faults: 0,
            terminations: BTreeMap::new(),
        }
    }

    /// Adds a row. Rows must be added in index order for the figures to be bit-identical
    /// between runs (floating-point sums depend on order).
    pub fn add(&mut self, row: &Row) -> std::result::Result<(), String> {
        self.negotiations += 1;
        let agreed = row.agreed();
        self.agreements += u64::from(agreed);
        if let Some(p) = row.error_party {
            self.negotiator_faults += 1;
            let name = row
                .negotiators
                .get(p)
                .ok_or_else(|| format!("row {}: error_party {p} has no negotiator", row.index))?;
            let &i = self
                .by_name
                .get(name)
                .ok_or_else(|| format!("row {}: unknown negotiator `{name}`", row.index))?;
            self.accs[i].errors += 1;
        }
        *self
            .terminations
            .entry(row.termination.clone())
            .or_default() += 1;
        for (role, name) in row.negotiators.iter().enumerate() {
            let &i = self
                .by_name
                .get(name)
                .ok_or_else(|| format!("row {}: unknown negotiator `{name}`", row.index))?;
            let a = &mut self.accs[i];
            a.utility.push(row.utilities[role]);
            a.welfare.push(row.welfare);
            a.agreements += u64::from(agreed);
            if let Some(q) = &row.quality {
                a.with_quality += 1;
                a.pareto_optimal += u64::from(q.pareto_optimal);
                a.dist_frontier.push(q.dist_frontier);
                if let Some(d) = q.dist_nash {
                    a.dist_nash.push(d);
                }
                if let Some(d) = q.dist_ks {
                    a.dist_ks.push(d);
                }
                a.dist_max_welfare.push(q.dist_max_welfare);
            }
        }
        Ok(())
    }

    /// The summary of the rows added so far.
    pub fn finish(&self) -> Summary {
        let mut order: Vec<usize> = (0..self.names.len()).collect();
        let key = |i: usize| self.accs[i].utility.mean().unwrap_or(f64::NEG_INFINITY);
        order.sort_by(|&x, &y| {
            key(y)
                .total_cmp(&key(x))
                .then_with(|| self.names[x].cmp(&self.names[y]))
        });
        let negotiators = order
            .iter()
            .enumerate()
            .map(|(rank, &i)| {
                let a = &self.accs[i];
                let n = a.utility.n;
                NegotiatorSummary {
                    rank: rank + 1,
                    name: self.names[i].clone(),
                    observations: n,
                    agreements: a.agreements,
                    agreement_rate: (n > 0).then(|| a.agreements as f64 / n as f64),
                    agreement_rate_ci: wilson95(a.agreements, n),
                    mean_utility: a.utility.mean(),
                    sd_utility: a.utility.variance().map(f64::sqrt),
                    utility_ci: a.utility.ci95(),
                    mean_welfare: a.welfare.mean(),
                    welfare_ci: a.welfare.ci95(),
                    pareto_optimal_rate: (a.with_quality > 0)
                        .then(|| a.pareto_optimal as f64 / a.with_quality as f64),
                    mean_dist_frontier: a.dist_frontier.mean(),
                    mean_dist_nash: a.dist_nash.mean(),
                    mean_dist_ks: a.dist_ks.mean(),
                    mean_dist_max_welfare: a.dist_max_welfare.mean(),
                    errors: a.errors,
                }
            })
            .collect();
        let mut pairwise = Vec::new();
        for (x, &i) in order.iter().enumerate() {
            for &j in &order[x + 1..] {
                if let Some(Welch {
                    difference,
                    t,
                    df,
                    p,
                }) = welch(&self.accs[i].utility, &self.accs[j].utility)
                {
                    pairwise.push(PairwiseTest {
                        a: self.names[i].clone(),
                        b: self.names[j].clone(),
                        difference,
                        t,
                        df,
                        p_value: p,
                        significant: p < ALPHA,
                    });
                }
            }
        }
        Summary {
            tournament: self.tournament.clone(),
            negotiations: self.negotiations,
            agreements: self.agreements,
            negotiator_faults: self.negotiator_faults,
            terminations: self.terminations.clone(),
            negotiators,
            pairwise,
        }
    }
}

/// Summarises a results file, which must be sorted by index (as runs and merges write them).
pub fn summarize_file(path: &Path, tournament: &str, names: &[String]) -> Result<Summary> {
    let mut b = SummaryBuilder::new(tournament, names);
    let mut reader = RowReader::open(path)?;
    let mut last: Option<u64> = None;
    let mut line = 1usize;
    while let Some(row) = reader.next_row()? {
        line += 1;
        let at = |message: String| TournamentError::At {
            path: path.to_path_buf(),
            line,
            column: 1,
            message,
        };
        if last.is_some_and(|l| row.index <= l) {
            return Err(at(format!(
                "row {} follows row {}: the file is not sorted by index",
                row.index,
                last.unwrap_or_default()
            )));
        }
        last = Some(row.index);
        b.add(&row).map_err(at)?;
    }
    Ok(b.finish())
}

fn cell(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl Summary {
    /// The per-negotiator table as CSV (header included).
    pub fn to_csv(&self) -> String {
        let mut s = String::from(
            "rank,negotiator,observations,agreements,agreement_rate,agreement_rate_ci_low,\
             agreement_rate_ci_high,mean_utility,sd_utility,utility_ci_low,utility_ci_high,\
             mean_welfare,welfare_ci_low,welfare_ci_high,pareto_optimal_rate,\
             mean_dist_frontier,mean_dist_nash,mean_dist_ks,mean_dist_max_welfare,errors\n",
        );
        for n in &self.negotiators {
            let mut name = String::new();
            crate::results::push_csv_field(&mut name, &n.name);
            let fields = [
                n.rank.to_string(),
                name,
                n.observations.to_string(),
                n.agreements.to_string(),
                cell(n.agreement_rate),
                cell(n.agreement_rate_ci.map(|c| c[0])),
                cell(n.agreement_rate_ci.map(|c| c[1])),
                cell(n.mean_utility),
                cell(n.sd_utility),
                cell(n.utility_ci.map(|c| c[0])),
                cell(n.utility_ci.map(|c| c[1])),
                cell(n.mean_welfare),
                cell(n.welfare_ci.map(|c| c[0])),
                cell(n.welfare_ci.map(|c| c[1])),
                cell(n.pareto_optimal_rate),
                cell(n.mean_dist_frontier),
                cell(n.mean_dist_nash),
                cell(n.mean_dist_ks),
                cell(n.mean_dist_max_welfare),
                n.errors.to_string(),
            ];
            s.push_str(&fields.join(","));
            s.push('\n');
        }
        s
    }

    /// The whole summary as pretty JSON (with a trailing newline).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a summary serialises");
        s.push('\n');
        s
    }

    /// A table for people: ranking, then the significant pairwise differences.
    pub fn to_text(&self) -> String {
        use std::fmt::Write as _;
        let mut w = String::new();
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
        let width = self
            .negotiators
            .iter()
            .map(|n| n.name.chars().count())
            .max()
            .unwrap_or(0)
            .max(10);
        let _ = writeln!(
            w,
            "\n{:>4}  {:<width$}  {:>19}  {:>9}  {:>8}  {:>10}  {:>6}",
            "rank", "negotiator", "utility (95% CI)", "agreed", "welfare", "d(Pareto)", "errors"
        );
        let f = |v: Option<f64>| v.map_or_else(|| "-".to_string(), |v| format!("{v:.3}"));
        for n in &self.negotiators {
            let ci = match n.utility_ci {
                Some([lo, hi]) => format!("{} [{lo:.3},{hi:.3}]", f(n.mean_utility)),
                None => f(n.mean_utility),
            };
            let _ = writeln!(
                w,
                "{:>4}  {:<width$}  {:>19}  {:>8.1}%  {:>8}  {:>10}  {:>6}",
                n.rank,
                n.name,
                ci,
                n.agreement_rate.unwrap_or(0.0) * 100.0,
                f(n.mean_welfare),
                f(n.mean_dist_frontier),
                n.errors
            );
        }
        let sig: Vec<&PairwiseTest> = self.pairwise.iter().filter(|p| p.significant).collect();
        let _ = writeln!(
            w,
            "\nPairwise Welch t-tests on utility: {} of {} pairs differ at p < {ALPHA}",
            sig.len(),
            self.pairwise.len()
        );
        for p in sig.iter().take(20) {
            let _ = writeln!(
                w,
                "  {} vs {}: {:+.4} (p = {:.3e})",
                p.a, p.b, p.difference, p.p_value
            );
        }
        if sig.len() > 20 {
            let _ = writeln!(w, "  ... and {} more in summary.json", sig.len() - 20);
        }
        w
    }
}
