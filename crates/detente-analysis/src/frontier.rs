//! The Pareto frontier of a scenario, by enumerating the outcome space or, for linear additive
//! utilities, issue by issue without enumerating it.

use detente_core::tables::utility_vector;
use detente_core::{LinearAdditive, Outcome, OutcomeId, OutcomeSpace, Scenario};
use rayon::prelude::*;

use crate::dominance::{self, Relation, Rows};
use crate::error::{AnalysisError, Result};
use crate::{AnalysisConfig, Method};

/// An outcome and every party's utility of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// An outcome of the scenario's space.
    pub outcome: Outcome,
    /// Its utility for each party, in party order (undiscounted).
    pub utilities: Vec<f64>,
}

/// The Pareto frontier: every outcome no other outcome dominates (see the crate docs for the
/// tolerance), ties kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Frontier {
    /// Number of parties (the length of each point's utilities).
    pub n_parties: usize,
    /// The frontier's outcomes, sorted by utility vector in decreasing lexicographic order
    /// (party 1's utility first), then by outcome.
    pub points: Vec<Point>,
    /// How it was computed ([`Method::Enumerate`] or [`Method::IssueByIssue`]).
    pub method: Method,
}

impl Frontier {
    /// Number of outcomes on the frontier.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether the frontier is empty (never, for a valid scenario).
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Number of distinct utility vectors on the frontier: classes of points whose utilities
    /// are all within `tolerance` of each other (chained).
    pub fn distinct(&self, tolerance: f64) -> usize {
        let rows = self.rows();
        dominance::tie_classes(
            Rows {
                n: self.n_parties,
                data: &rows,
            },
            tolerance,
        )
    }

    /// Whether `outcome` is on the frontier.
    pub fn contains(&self, outcome: &Outcome) -> bool {
        self.points.iter().any(|p| &p.outcome == outcome)
    }

    /// The utilities, row-major.
    pub(crate) fn rows(&self) -> Vec<f64> {
        self.points
            .iter()
            .flat_map(|p| p.utilities.iter().copied())
            .collect()
    }

    fn from_points(n_parties: usize, mut points: Vec<Point>, method: Method) -> Self {
        points.sort_by(|a, b| {
            for (x, y) in a.utilities.iter().zip(&b.utilities) {
                let c = y.total_cmp(x);
                if c.is_ne() {
                    return c;
                }
            }
            a.outcome.cmp(&b.outcome)
        });
        Frontier {
            n_parties,
            points,
            method,
        }
    }
}

/// Indices of the Pareto-optimal entries of `utilities` (one vector per party, all of the same
/// length, indexed alike), in increasing order. Entries are compared with the absolute
/// `tolerance` described in the crate docs (`0.0` compares exactly).
///
/// ```
/// let u1 = vec![1.0, 0.5, 0.5, 0.2];
/// let u2 = vec![0.0, 0.5, 0.5, 0.4];
/// assert_eq!(detente_analysis::pareto_indices(&[u1, u2], 1e-12).unwrap(), vec![0, 1, 2]);
/// ```
pub fn pareto_indices<C: AsRef<[f64]>>(utilities: &[C], tolerance: f64) -> Result<Vec<usize>> {
    let rows = rows_of(utilities)?;
    Ok(dominance::frontier(
        Rows {
            n: utilities.len(),
            data: &rows,
        },
        tolerance,
    ))
}

/// Interleaves per-party vectors into rows, checking shapes and values.
pub(crate) fn rows_of<C: AsRef<[f64]>>(utilities: &[C]) -> Result<Vec<f64>> {
    let first = utilities.first().ok_or(AnalysisError::NoParties)?.as_ref();
    let m = first.len();
    for (p, u) in utilities.iter().enumerate() {
        let u = u.as_ref();
        if u.len() != m {
            return Err(AnalysisError::Ragged {
                party: p + 1,
                len: u.len(),
                expected: m,
            });
        }
        if let Some(k) = u.iter().position(|v| !v.is_finite()) {
            return Err(AnalysisError::NotFinite {
                party: p + 1,
                index: k as u64,
                value: u[k],
            });
        }
    }
    let n = utilities.len();
    let mut rows = vec![0.0; n * m];
    for (p, u) in utilities.iter().enumerate() {
        for (k, &v) in u.as_ref().iter().enumerate() {
            rows[k * n + p] = v;
        }
    }
    Ok(rows)
}

/// Every party's linear additive utility, when all are linear additive with every issue
/// tabulated; otherwise why not.
pub(crate) fn linear_parties(
    scenario: &Scenario,
) -> std::result::Result<Vec<&LinearAdditive>, String> {
    let n_issues = scenario.space.issues().len();
    if !scenario.space.constraints().is_empty() {
        return Err("the scenario has hard constraints, which couple issues".to_string());
    }
    scenario
        .parties
        .iter()
        .map(|p| match p.preferences.utility.as_linear() {
            Some(l) if (0..n_issues).all(|i| l.weighted_table(i).is_some()) => Ok(l),
            Some(_) => Err(format!(
                "party `{}` has an issue with too many values to tabulate",
                p.name
            )),
            None => Err(format!("party `{}` is not linear additive", p.name)),
        })
        .collect()
}

/// Every feasible outcome's utilities, row-major (`n` per outcome), enumerating at most
/// `limit`; with hard constraints, also the outcome id of each row (without them, row `k` is
/// outcome `k`).
pub(crate) fn enumerate_rows(
    scenario: &Scenario,
    limit: u64,
    why: &str,
) -> Result<(Vec<f64>, Option<Vec<OutcomeId>>)> {
    let space = &scenario.space;
    let m = space
        .enumerable(limit)
        .map_err(|_| AnalysisError::TooLarge {
            count: space.count_display(),
            limit,
            why: why.to_string(),
        })?;
    let n = scenario.parties.len();
    let columns: Vec<Vec<f64>> = scenario
        .parties
        .par_iter()
        .map(|p| utility_vector(space, &p.preferences.utility, limit))
        .collect::<std::result::Result<_, _>>()?;
    for (p, c) in columns.iter().enumerate() {
        if let Some(k) = c.iter().position(|v| !v.is_finite()) {
            return Err(AnalysisError::NotFinite {
                party: p + 1,
                index: k as u64,
                value: c[k],
            });
        }
    }
    if !space.constraints().is_empty() {
        let mut values = vec![0u32; space.issues().len()];
        let ids: Vec<OutcomeId> = (0..m as OutcomeId)
            .filter(|&id| space.decode_into(id, &mut values) && space.is_feasible(&values))
            .collect();
        let rows = ids
            .iter()
            .flat_map(|&id| columns.iter().map(move |c| c[id as usize]))
            .collect();
        return Ok((rows, Some(ids)));
    }
    let cells = n.saturating_mul(m);
    let mut rows = detente_core::alloc::filled(cells, 0.0, "the utility rows")?;
    rows.par_chunks_mut(n * 4096)
        .enumerate()
        .for_each(|(block, chunk)| {
            let base = block * 4096;
            for (k, row) in chunk.chunks_exact_mut(n).enumerate() {
                for (p, slot) in row.iter_mut().enumerate() {
                    *slot = columns[p][base + k];
                }
            }
        });
    Ok((rows, None))
}

/// Turns frontier indices (outcome ids) of an enumerated space into a [`Frontier`].
pub(crate) fn frontier_from_ids(
    space: &OutcomeSpace,
    n: usize,
    rows: &[f64],
    ids: &[usize],
    map: Option<&[OutcomeId]>,
) -> Frontier {
    let points = ids
        .iter()
        .map(|&k| Point {
            outcome: space
                .outcome(map.map_or(k as OutcomeId, |m| m[k]))
                .expect("an enumerated id is in the space"),
            utilities: rows[k * n..(k + 1) * n].to_vec(),
        })
        .collect();
    Frontier::from_points(n, points, Method::Enumerate)
}

/// The frontier by enumeration.
pub(crate) fn enumerated(
    scenario: &Scenario,
    rows: &[f64],
    map: Option<&[OutcomeId]>,
    tolerance: f64,
) -> Frontier {
    let n = scenario.parties.len();
    let ids = dominance::frontier(Rows { n, data: rows }, tolerance);
    frontier_from_ids(&scenario.space, n, rows, &ids, map)
}

/// The issue-by-issue construction for linear additive utilities.
///
/// Partial outcomes (values for issues `1..=k`) carry their partial sums, formed in issue order
/// exactly as [`LinearAdditive::sum`] forms them, so the final sums are bit-identical to the
/// enumerated utilities. After merging issue `k`, a partial outcome `P` is dropped when another
/// partial outcome `Q` has `Q_i >= P_i` for every party and, for some party `j`,
/// `Q_j > P_j + m` while `P_j + (most the remaining issues can add to j) < cap_j - m`, where
/// `m` is the tolerance plus a bound on the rounding of the remaining additions.
///
/// Why dropping `P` loses no frontier outcome: take any completion `s` of the remaining issues.
/// Float addition is monotone, so `Q_i + s_i >= P_i + s_i` for every party, and capping (a
/// monotone `min`) keeps that. For party `j`, `P_j + s_j` stays below the cap, so it is not
/// capped, while `Q_j + s_j` exceeds it by more than the tolerance (capped or not). So the
/// outcome `Q + s` S-dominates `P + s` (see `dominance`), and `P + s` is outside the
/// S-skyline, which contains the frontier. The condition on the cap is what keeps outcomes
/// that only tie after capping: two sums both above the cap become equal, and neither may
/// drop the other. The relation is transitive, so the window skyline applies. The final
/// candidates (all issues merged, capped) contain the S-skyline of the whole space; the
/// frontier of the candidates is then the frontier of the space (`dominance` docs).
pub(crate) fn issue_by_issue(
    scenario: &Scenario,
    lins: &[&LinearAdditive],
    config: &AnalysisConfig,
) -> Result<Frontier> {
    let issues = scenario.space.issues();
    let n = lins.len();
    let tables = weighted_tables(lins, issues.len())?;
    let bounds = Bounds::new(&tables, config.tolerance);
    let mut sums: Vec<f64> = vec![0.0; n];
    // links[k] = for each partial outcome after issue k: (parent index, value index).
    let mut links: Vec<Vec<(u32, u32)>> = Vec::with_capacity(issues.len());
    for (k, issue) in issues.iter().enumerate() {
        let card = issue.cardinality() as usize;
        let total = (sums.len() / n).saturating_mul(card);
        if total > config.candidate_limit.min(u32::MAX as usize) {
            return Err(AnalysisError::FrontierTooLarge {
                limit: config.candidate_limit,
                issue: issue.name.clone(),
            });
        }
        let step = MergeStep {
            lins,
            tables: &tables,
            bounds: &bounds,
            k,
            card,
            last: k + 1 == issues.len(),
        };
        let (keep, next) = step.merge(&sums);
        sums = next;
        links.push(
            keep.iter()
                .map(|&c| ((c / card) as u32, (c % card) as u32))
                .collect(),
        );
    }
    Ok(Frontier::from_points(
        n,
        rebuild(&links, &sums, n),
        Method::IssueByIssue,
    ))
}

/// Each party's weighted evaluation table per issue (`tables[p][i][v] = w_i * eval_i(v)`),
/// checked to be finite.
fn weighted_tables<'l>(lins: &[&'l LinearAdditive], ni: usize) -> Result<Vec<Vec<&'l [f64]>>> {
    let tables: Vec<Vec<&[f64]>> = lins
        .iter()
        .map(|l| {
            (0..ni)
                .map(|i| l.weighted_table(i).expect("checked by linear_parties"))
                .collect()
        })
        .collect();
    for (p, t) in tables.iter().enumerate() {
        for (i, col) in t.iter().enumerate() {
            if let Some(v) = col.iter().find(|v| !v.is_finite()) {
                return Err(AnalysisError::NotFinite {
                    party: p + 1,
                    index: i as u64,
                    value: *v,
                });
            }
        }
    }
    Ok(tables)
}

/// The allowances of the pruning rule (see [`issue_by_issue`]).
struct Bounds {
    /// The tolerance asked for.
    eps: f64,
    /// A bound on the rounding of the remaining additions.
    slack: f64,
    /// `eps + slack`.
    margin: f64,
    /// `rem[p][k]`: the most issues `k..` can add for party `p`.
    rem: Vec<Vec<f64>>,
}

impl Bounds {
    fn new(tables: &[Vec<&[f64]>], eps: f64) -> Self {
        let ni = tables.first().map_or(0, Vec::len);
        let max_of = |col: &[f64]| col.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        // Bound on |partial sums|, for the rounding allowance.
        let bound = tables
            .iter()
            .map(|t| {
                t.iter()
                    .map(|col| col.iter().fold(0.0f64, |a, v| a.max(v.abs())))
                    .sum::<f64>()
            })
            .fold(0.0f64, f64::max);
        let slack = 8.0 * (ni as f64 + 1.0) * bound.max(1.0) * f64::EPSILON;
        let rem = tables
            .iter()
            .map(|t| {
                let mut r = vec![0.0; ni + 1];
                for i in (0..ni).rev() {
                    r[i] = r[i + 1] + max_of(t[i]);
                }
                r
            })
            .collect();
        Bounds {
            eps,
            slack,
            margin: eps + slack,
            rem,
        }
    }
}

/// Merging issue `k` into the partial outcomes.
struct MergeStep<'a> {
    lins: &'a [&'a LinearAdditive],
    tables: &'a [Vec<&'a [f64]>],
    bounds: &'a Bounds,
    k: usize,
    card: usize,
    last: bool,
}

impl MergeStep<'_> {
    /// Every partial outcome in `sums` extended by every value of issue `k`, pruned: the
    /// indices kept (into the extended list) and their sums.
    fn merge(&self, sums: &[f64]) -> (Vec<usize>, Vec<f64>) {
        let n = self.lins.len();
        let (k, card, tables) = (self.k, self.card, self.tables);
        let cand: Vec<f64> = sums
            .par_chunks(n)
            .with_min_len(256)
            .flat_map_iter(|base| {
                (0..card).flat_map(move |v| (0..n).map(move |p| base[p] + tables[p][k][v]))
            })
            .collect();
        let b = self.bounds;
        let thresholds: Vec<f64> = (0..n)
            .map(|p| match self.lins[p].cap() {
                Some(c) => c - b.margin - b.rem[p][k + 1] - b.slack,
                None => f64::INFINITY,
            })
            .collect();
        let relation = Relation {
            lo: 0.0,
            margin: b.margin,
            eligible: Some(&thresholds),
        };
        let keep = dominance::skyline(Rows { n, data: &cand }, &relation);
        if !self.last {
            let kept = rows_at(&cand, &keep, n);
            return (keep, kept);
        }
        // Cap, then the exact frontier filter on the final candidates.
        let capped: Vec<f64> = cand
            .chunks_exact(n)
            .flat_map(|r| {
                r.iter()
                    .enumerate()
                    .map(|(p, &s)| self.lins[p].apply_cap(s))
            })
            .collect();
        let sub = rows_at(&capped, &keep, n);
        let fin = dominance::frontier(Rows { n, data: &sub }, b.eps);
        let idx: Vec<usize> = fin.iter().map(|&f| keep[f]).collect();
        (idx, rows_at(&sub, &fin, n))
    }
}

/// The rows of `data` (rows of `n` numbers) at `indices`, concatenated.
fn rows_at(data: &[f64], indices: &[usize], n: usize) -> Vec<f64> {
    indices
        .iter()
        .flat_map(|&c| data[c * n..(c + 1) * n].iter().copied())
        .collect()
}

/// The frontier's outcomes, rebuilt from the merge links.
fn rebuild(links: &[Vec<(u32, u32)>], sums: &[f64], n: usize) -> Vec<Point> {
    let ni = links.len();
    (0..sums.len() / n)
        .map(|e| {
            let mut values = vec![0u32; ni];
            let mut at = e;
            for k in (0..ni).rev() {
                let (parent, v) = links[k][at];
                values[k] = v;
                at = parent as usize;
            }
            Point {
                outcome: Outcome(values),
                utilities: sums[e * n..(e + 1) * n].to_vec(),
            }
        })
        .collect()
}

/// The Pareto frontier of `scenario`'s parties over its outcome space (undiscounted
/// utilities), by the method `config.method` selects.
pub fn pareto_frontier(scenario: &Scenario, config: &AnalysisConfig) -> Result<Frontier> {
    Ok(crate::analysis::compute_frontier(scenario, config)?.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze;
    use detente_core::{Evaluator, Issue, Party, Preferences, ProtocolSettings, Utility};
    use proptest::prelude::*;

    /// A random linear additive scenario. Scores and weights come from a small grid of decimals
    /// (so sums carry float noise, ties are frequent and, with a cap, weights summing above 1
    /// create ties at the cap).
    pub(crate) fn linear_scenario(
        cards: &[u32],
        scores: &[u8],
        weights: &[u8],
        caps: &[bool],
        reservation: &[u8],
    ) -> Scenario {
        let issues: Vec<Issue> = cards
            .iter()
            .enumerate()
            .map(|(i, &c)| Issue::discrete(format!("i{i}"), (0..c).map(|v| format!("v{v}"))))
            .collect();
        let space = OutcomeSpace::new(issues).unwrap();
        let mut s = scores.iter().cycle();
        let mut w = weights.iter().cycle();
        let parties = caps
            .iter()
            .zip(reservation)
            .enumerate()
            .map(|(p, (&cap, &r))| {
                let evals = cards
                    .iter()
                    .map(|&c| {
                        Evaluator::Table(
                            (0..c)
                                .map(|_| f64::from(*s.next().unwrap()) / 10.0)
                                .collect(),
                        )
                    })
                    .collect();
                let ws = cards
                    .iter()
                    .map(|_| f64::from(*w.next().unwrap()) * 0.1)
                    .collect();
                let lin = LinearAdditive::new(&space, ws, evals, cap.then_some(1.0)).unwrap();
                let mut prefs = Preferences::new(Utility::LinearAdditive(lin));
                prefs.reservation = f64::from(r) / 10.0;
                Party {
                    name: format!("p{p}"),
                    preferences: prefs,
                    negotiator: None,
                }
            })
            .collect();
        Scenario {
            compliance: Default::default(),
            name: "random".into(),
            description: String::new(),
            space,
            parties,
            protocol: ProtocolSettings::default(),
            events: Vec::new(),
        }
    }

    fn scenarios() -> impl Strategy<Value = Scenario> {
        (
            proptest::collection::vec(1u32..5, 1..6),
            proptest::collection::vec(0u8..11, 1..40),
            proptest::collection::vec(0u8..6, 1..12),
            proptest::collection::vec(any::<bool>(), 2..5),
            proptest::collection::vec(0u8..8, 4),
        )
            .prop_map(|(cards, scores, weights, caps, res)| {
                linear_scenario(&cards, &scores, &weights, &caps, &res)
            })
    }

    fn with(method: Method) -> AnalysisConfig {
        AnalysisConfig {
            method,
            ..AnalysisConfig::default()
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// The issue-by-issue path gives exactly the enumerated frontier (same outcomes, same
        /// utilities to the bit), which is the brute-force frontier of the definition.
        #[test]
        fn issue_by_issue_equals_enumeration(sc in scenarios()) {
            let by_issue = pareto_frontier(&sc, &with(Method::IssueByIssue)).unwrap();
            let enumerated = pareto_frontier(&sc, &with(Method::Enumerate)).unwrap();
            prop_assert_eq!(&by_issue.points, &enumerated.points);
            // Brute force, O(N^2), on the enumerated utilities.
            let n = sc.parties.len();
            let (rows, _) = enumerate_rows(&sc, 1 << 20, "").unwrap();
            let r = Rows { n, data: &rows };
            let d = Relation::frontier(1e-12);
            let brute: Vec<Outcome> = (0..r.len())
                .filter(|&a| !(0..r.len()).any(|b| d.dominates(r.row(b), r.row(a))))
                .map(|a| sc.space.outcome(a as u64).unwrap())
                .collect();
            let mut got: Vec<Outcome> = enumerated.points.iter().map(|p| p.outcome.clone()).collect();
            got.sort();
            prop_assert_eq!(got, brute);
            // Every frontier outcome's utilities are what the scenario says.
            for p in &by_issue.points {
                prop_assert_eq!(&p.utilities, &sc.utilities(&p.outcome));
            }
        }

        /// Both paths give the same whole analysis.
        #[test]
        fn analyses_agree(sc in scenarios()) {
            let a = analyze(&sc, &with(Method::IssueByIssue)).unwrap();
            let b = analyze(&sc, &with(Method::Enumerate)).unwrap();
            prop_assert_eq!(&a.stats, &b.stats);
            prop_assert_eq!(&a.nash, &b.nash);
            prop_assert_eq!(&a.kalai_smorodinsky, &b.kalai_smorodinsky);
            prop_assert_eq!(&a.max_welfare, &b.max_welfare);
            prop_assert_eq!(&a.egalitarian, &b.egalitarian);
        }
    }

    proptest! {
        /// With hard constraints the frontier is that of the feasible outcomes only (brute
        /// force), and Auto falls back to enumeration.
        #[test]
        fn constraints_exclude_outcomes_from_the_frontier(sc in scenarios(), a in 0u32..3, b in 0u32..3) {
            use detente_core::{Combination, Constraint};
            let mut sc = sc;
            let c0 = sc.space.issues()[0].cardinality() as u32;
            let forbid = Constraint {
                name: "forbidden".into(),
                combination: Combination { parts: vec![(0, vec![a % c0, b % c0])] },
            };
            let Ok(space) = sc.space.clone().with_constraints(vec![forbid]) else { return Ok(()) };
            sc.space = space;
            let f = pareto_frontier(&sc, &with(Method::Auto)).unwrap();
            prop_assert_eq!(f.method, Method::Enumerate);
            let feasible: Vec<Outcome> = sc.space.outcomes(1 << 20).unwrap().collect();
            let utils: Vec<Vec<f64>> = feasible.iter().map(|o| sc.utilities(o)).collect();
            let d = Relation::frontier(1e-12);
            let mut brute: Vec<Outcome> = (0..feasible.len())
                .filter(|&x| !(0..feasible.len()).any(|y| d.dominates(&utils[y], &utils[x])))
                .map(|x| feasible[x].clone())
                .collect();
            brute.sort();
            let mut got: Vec<Outcome> = f.points.iter().map(|p| p.outcome.clone()).collect();
            got.sort();
            prop_assert_eq!(got, brute);
            let stats = crate::analyze(&sc, &with(Method::Auto)).unwrap().stats;
            prop_assert_eq!(stats.n_outcomes, Some(feasible.len() as u128));
        }
    }

    #[test]
    fn ties_at_the_cap_are_kept() {
        // Party 1 weighs the issues 1.0 and 0.5 and is capped at 1, so outcomes (v0, v0) and
        // (v0, v1) both give it 1 (uncapped: 1.5 and 1.0). Party 2 is indifferent between
        // them. Pruning on uncapped sums would drop (v0, v1); it ties and must stay.
        let sc = linear_scenario(
            &[2, 2],
            &[10, 0, 10, 0, 0, 10, 5, 5],
            &[10, 5, 5, 5],
            &[true, true],
            &[0, 0],
        );
        let by_issue = pareto_frontier(&sc, &with(Method::IssueByIssue)).unwrap();
        let enumerated = pareto_frontier(&sc, &with(Method::Enumerate)).unwrap();
        assert_eq!(by_issue.points, enumerated.points);
        assert!(by_issue.contains(&Outcome(vec![0, 0])));
        assert!(by_issue.contains(&Outcome(vec![0, 1])));
        assert_eq!(by_issue.distinct(1e-12), by_issue.len() - 1);
    }

    #[test]
    fn limits_give_clear_errors() {
        let sc = linear_scenario(&[4, 4, 4], &[1, 2, 3], &[1, 2], &[false, false], &[0, 0]);
        let cfg = AnalysisConfig {
            enumeration_limit: 10,
            method: Method::Enumerate,
            ..AnalysisConfig::default()
        };
        let e = pareto_frontier(&sc, &cfg).unwrap_err();
        assert!(
            matches!(e, AnalysisError::TooLarge { limit: 10, .. }),
            "{e}"
        );
        assert!(e.to_string().contains("issue-by-issue"), "{e}");
        // A zero-sum scenario: every outcome is on the frontier.
        let sc = linear_scenario(
            &[5, 5, 5],
            &[0, 5, 10, 10, 5, 0],
            &[1],
            &[false, false],
            &[0, 0],
        );
        let cfg = AnalysisConfig {
            candidate_limit: 10,
            method: Method::IssueByIssue,
            ..AnalysisConfig::default()
        };
        assert!(matches!(
            pareto_frontier(&sc, &cfg),
            Err(AnalysisError::FrontierTooLarge { .. })
        ));
        // Auto falls back to enumeration.
        let cfg = AnalysisConfig {
            candidate_limit: 10,
            ..AnalysisConfig::default()
        };
        assert_eq!(
            pareto_frontier(&sc, &cfg).unwrap().method,
            Method::Enumerate
        );
    }

    #[test]
    fn same_result_at_any_thread_count() {
        // 3 parties, 7^6 = 117,649 outcomes: large enough for the first pass and for several
        // parallel blocks.
        let scores: Vec<u8> = (0..200u32).map(|k| ((k * 37 + 11) % 11) as u8).collect();
        let sc = linear_scenario(
            &[7; 6],
            &scores,
            &[3, 1, 4, 1, 5, 2, 5],
            &[true, false, true],
            &[0, 0, 0],
        );
        let run = |threads: usize, method: Method| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| analyze(&sc, &with(method)).unwrap())
        };
        let one = run(1, Method::Enumerate);
        assert!(one.frontier.len() > 10);
        assert_eq!(one, run(3, Method::Enumerate));
        let by_issue = run(1, Method::IssueByIssue);
        assert_eq!(by_issue, run(3, Method::IssueByIssue));
        assert_eq!(by_issue.frontier.points, one.frontier.points);
        assert_eq!(by_issue.stats, one.stats);
    }

    #[test]
    fn raw_vectors_are_checked() {
        assert!(matches!(
            pareto_indices::<Vec<f64>>(&[], 0.0),
            Err(AnalysisError::NoParties)
        ));
        assert!(matches!(
            pareto_indices(&[vec![1.0], vec![]], 0.0),
            Err(AnalysisError::Ragged { party: 2, .. })
        ));
        assert!(matches!(
            pareto_indices(&[vec![1.0], vec![f64::NAN]], 0.0),
            Err(AnalysisError::NotFinite { party: 2, .. })
        ));
    }
}
