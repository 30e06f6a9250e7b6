//! The tournament summary: per-negotiator means with 95% confidence intervals, a ranking and
//! pairwise Welch t-tests, folded row by row (in index order) so memory stays flat. The
//! statistics are `detente_analysis::stats`; the summary document and its files are
//! `detente_formats::tournament::Summary`.
//!
//! A negotiator's observations are its roles: a negotiation contributes one observation per
//! role the negotiator plays (two in self-play of a bilateral scenario).

use std::collections::BTreeMap;
use std::path::Path;

use detente_analysis::stats::{Running, Welch, holm, welch, wilson95};
use detente_formats::tournament::{ResultRow, RowReader};

use crate::error::{Result, TournamentError};

pub use detente_formats::tournament::{ALPHA, NegotiatorSummary, PairwiseTest, Summary};

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
    /// Per pairing (scenario, assignment): its first result and whether every later
    /// repetition repeated it.
    pairings: BTreeMap<(String, Vec<String>), Pairing>,
    copies: u64,
}

/// What a pairing's repetitions gave so far.
#[derive(Debug, Clone)]
struct Pairing {
    first: ResultKey,
    repetitions: u64,
    all_copies: bool,
}

/// The result of a row, bit for bit.
type ResultKey = (String, String, u32, Vec<u64>);

fn result_key(row: &ResultRow) -> ResultKey {
    (
        row.termination.clone(),
        row.agreement.clone(),
        row.rounds,
        row.utilities.iter().map(|u| u.to_bits()).collect(),
    )
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
            pairings: BTreeMap::new(),
            copies: 0,
        }
    }

    /// Whether `row` repeats its pairing's first result exactly (a copy, not a draw).
    fn is_copy(&mut self, row: &ResultRow) -> bool {
        let key = result_key(row);
        let group = (row.scenario.clone(), row.negotiators.clone());
        match self.pairings.get_mut(&group) {
            None => {
                self.pairings.insert(
                    group,
                    Pairing {
                        first: key,
                        repetitions: 1,
                        all_copies: true,
                    },
                );
                false
            }
            Some(p) => {
                p.repetitions += 1;
                let copy = p.first == key;
                p.all_copies &= copy;
                self.copies += u64::from(copy);
                copy
            }
        }
    }

    /// Adds a row. Rows must be added in index order for the figures to be bit-identical
    /// between runs (floating-point sums depend on order).
    pub fn add(&mut self, row: &ResultRow) -> std::result::Result<(), String> {
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
        if self.is_copy(row) {
            return Ok(());
        }
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
        Summary {
            tournament: self.tournament.clone(),
            negotiations: self.negotiations,
            agreements: self.agreements,
            negotiator_faults: self.negotiator_faults,
            terminations: self.terminations.clone(),
            negotiators: order
                .iter()
                .enumerate()
                .map(|(rank, &i)| self.negotiator(rank + 1, i))
                .collect(),
            pairwise: self.pairwise(&order),
            copies: self.copies,
            identical_pairings: self
                .pairings
                .values()
                .filter(|p| p.repetitions > 1 && p.all_copies)
                .count() as u64,
        }
    }

    /// The figures of negotiator `i`, ranked `rank`.
    fn negotiator(&self, rank: usize, i: usize) -> NegotiatorSummary {
        let a = &self.accs[i];
        let n = a.utility.n;
        NegotiatorSummary {
            rank,
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
    }

    /// Welch's test for every pair of negotiators, in the ranking `order` (better first).
    fn pairwise(&self, order: &[usize]) -> Vec<PairwiseTest> {
        let mut pairwise = Vec::new();
        for (x, &i) in order.iter().enumerate() {
            for &j in &order[x + 1..] {
                let Some(Welch {
                    difference,
                    t,
                    df,
                    p,
                }) = welch(&self.accs[i].utility, &self.accs[j].utility)
                else {
                    continue;
                };
                pairwise.push(PairwiseTest {
                    a: self.names[i].clone(),
                    b: self.names[j].clone(),
                    difference,
                    t,
                    df,
                    p_value: p,
                    p_holm: p,
                    significant: false,
                });
            }
        }
        let adjusted = holm(&pairwise.iter().map(|t| t.p_value).collect::<Vec<_>>());
        for (t, a) in pairwise.iter_mut().zip(adjusted) {
            t.p_holm = a;
            t.significant = a < ALPHA;
        }
        pairwise
    }
}

/// Folds the rows of a results file, which must be sorted by index (as runs and merges write
/// them), into a summary; `keep` sees every row after it is added.
pub(crate) fn fold_rows(
    mut reader: RowReader,
    tournament: &str,
    names: &[String],
    mut keep: impl FnMut(ResultRow),
) -> Result<Summary> {
    let mut b = SummaryBuilder::new(tournament, names);
    let path = reader.path().to_path_buf();
    let mut last: Option<u64> = None;
    let mut line = 1usize;
    while let Some(row) = reader.next_row()? {
        line += 1;
        let at = |message: String| TournamentError::At {
            path: path.clone(),
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
        keep(row);
    }
    Ok(b.finish())
}

/// Summarises a results file, which must be sorted by index (as runs and merges write them).
pub fn summarize_file(path: &Path, tournament: &str, names: &[String]) -> Result<Summary> {
    fold_rows(RowReader::open(path)?, tournament, names, drop)
}
