//! Distinguished outcomes: Nash bargaining, Kalai-Smorodinsky, utilitarian (max welfare) and
//! egalitarian points, with every tie.

use crate::AnalysisConfig;
use crate::dominance::Rows;
use crate::error::{AnalysisError, Result};
use crate::frontier::{Frontier, Point, rows_of};

/// An optimum and every outcome that attains it (within the tie tolerance).
#[derive(Debug, Clone, PartialEq)]
pub struct Points {
    /// The optimal value; `None` when no outcome qualifies (Nash and Kalai-Smorodinsky when no
    /// outcome is individually rational for everyone).
    pub value: Option<f64>,
    /// The optimal frontier outcomes, in frontier order.
    pub points: Vec<Point>,
}

/// Like [`Points`], with positions into the vectors given instead of outcomes.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexPoints {
    /// The optimal value, if any outcome qualifies.
    pub value: Option<f64>,
    /// Positions of the optimal entries, in the order of the candidates given.
    pub indices: Vec<usize>,
}

/// The four distinguished points, as positions.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecialIndices {
    /// Nash bargaining solution (maximum `prod (u_i - d_i)` over individually rational
    /// entries).
    pub nash: IndexPoints,
    /// Kalai-Smorodinsky solution (maximum `min (u_i - d_i) / (M_i - d_i)` over individually
    /// rational entries).
    pub kalai_smorodinsky: IndexPoints,
    /// Utilitarian (maximum sum of utilities).
    pub max_welfare: IndexPoints,
    /// Egalitarian (maximum of the smallest utility).
    pub egalitarian: IndexPoints,
}

/// What the point objectives need: reservation values `d`, per-party maxima `M`, tolerances.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Objectives<'a> {
    pub reservation: &'a [f64],
    pub ideal: &'a [f64],
    pub tolerance: f64,
    pub tie_tolerance: f64,
}

impl Objectives<'_> {
    /// Individually rational for everyone: `u_i >= d_i - tolerance` for every party.
    #[inline]
    pub fn rational(&self, u: &[f64]) -> bool {
        u.iter()
            .zip(self.reservation)
            .all(|(&x, &d)| x >= d - self.tolerance)
    }

    /// `prod_i max(0, u_i - d_i)` over rational outcomes.
    pub fn nash(&self, u: &[f64]) -> Option<f64> {
        self.rational(u).then(|| {
            u.iter()
                .zip(self.reservation)
                .map(|(&x, &d)| (x - d).max(0.0))
                .product()
        })
    }

    /// `min_i (u_i - d_i) / (M_i - d_i)` over rational outcomes; a party with
    /// `M_i - d_i <= tolerance` counts as 1 (it can gain nothing).
    pub fn kalai_smorodinsky(&self, u: &[f64]) -> Option<f64> {
        self.rational(u).then(|| {
            u.iter()
                .zip(self.reservation)
                .zip(self.ideal)
                .map(|((&x, &d), &m)| {
                    if m - d > self.tolerance {
                        (x - d) / (m - d)
                    } else {
                        1.0
                    }
                })
                .fold(f64::INFINITY, f64::min)
        })
    }

    /// Sum of utilities (in party order).
    pub fn welfare(u: &[f64]) -> f64 {
        u.iter().sum()
    }

    /// Smallest utility.
    pub fn egalitarian(u: &[f64]) -> f64 {
        u.iter().copied().fold(f64::INFINITY, f64::min)
    }

    fn best(
        &self,
        rows: Rows<'_>,
        cands: &[usize],
        f: impl Fn(&[f64]) -> Option<f64>,
    ) -> IndexPoints {
        let values: Vec<Option<f64>> = cands.iter().map(|&k| f(rows.row(k))).collect();
        let value = values
            .iter()
            .flatten()
            .copied()
            .fold(None, |a: Option<f64>, v| Some(a.map_or(v, |a| a.max(v))));
        let indices = match value {
            None => Vec::new(),
            Some(best) => cands
                .iter()
                .zip(&values)
                .filter(|(_, v)| v.is_some_and(|v| v >= best - self.tie_tolerance))
                .map(|(&k, _)| k)
                .collect(),
        };
        IndexPoints { value, indices }
    }

    /// All four points among the candidate rows `cands` (normally the frontier).
    pub fn all(&self, rows: Rows<'_>, cands: &[usize]) -> SpecialIndices {
        SpecialIndices {
            nash: self.best(rows, cands, |u| self.nash(u)),
            kalai_smorodinsky: self.best(rows, cands, |u| self.kalai_smorodinsky(u)),
            max_welfare: self.best(rows, cands, |u| Some(Self::welfare(u))),
            egalitarian: self.best(rows, cands, |u| Some(Self::egalitarian(u))),
        }
    }
}

/// The four points among `candidates` (positions into `utilities`, normally the Pareto
/// frontier from [`crate::pareto_indices`]). `utilities` holds one vector per party;
/// `reservation` is the disagreement point `d` and `ideal` each party's maximum utility `M`
/// over the whole space. Since every point lies on the frontier, restricting the candidates
/// to it loses nothing and is much faster.
///
/// ```
/// use detente_analysis::{AnalysisConfig, pareto_indices, special_indices};
/// let u = [vec![1.0, 0.6, 0.0, 0.3], vec![0.0, 0.6, 1.0, 0.3]];
/// let front = pareto_indices(&u, 1e-12).unwrap();
/// let p = special_indices(&u, &front, &[0.0, 0.0], &[1.0, 1.0], &AnalysisConfig::default()).unwrap();
/// assert_eq!(p.nash.indices, vec![1]);
/// assert_eq!(p.max_welfare.value, Some(1.2));
/// ```
pub fn special_indices<C: AsRef<[f64]>>(
    utilities: &[C],
    candidates: &[usize],
    reservation: &[f64],
    ideal: &[f64],
    config: &AnalysisConfig,
) -> Result<SpecialIndices> {
    let n = utilities.len();
    let rows = rows_of(utilities)?;
    for (what, v) in [("reservation", reservation), ("ideal", ideal)] {
        if v.len() != n {
            return Err(AnalysisError::WrongArity {
                what,
                len: v.len(),
                n_parties: n,
            });
        }
    }
    let rows = Rows { n, data: &rows };
    if let Some(&bad) = candidates.iter().find(|&&k| k >= rows.len()) {
        return Err(AnalysisError::BadIndex {
            index: bad,
            len: rows.len(),
        });
    }
    Ok(Objectives {
        reservation,
        ideal,
        tolerance: config.tolerance,
        tie_tolerance: config.tie_tolerance,
    }
    .all(rows, candidates))
}

/// Maps positions into the frontier to points.
pub(crate) fn to_points(frontier: &Frontier, ip: &IndexPoints) -> Points {
    Points {
        value: ip.value,
        points: ip
            .indices
            .iter()
            .map(|&k| frontier.points[k].clone())
            .collect(),
    }
}

fn on_frontier(
    frontier: &Frontier,
    reservation: &[f64],
    ideal: &[f64],
    config: &AnalysisConfig,
) -> SpecialIndices {
    let rows = frontier.rows();
    let cands: Vec<usize> = (0..frontier.len()).collect();
    Objectives {
        reservation,
        ideal,
        tolerance: config.tolerance,
        tie_tolerance: config.tie_tolerance,
    }
    .all(
        Rows {
            n: frontier.n_parties,
            data: &rows,
        },
        &cands,
    )
}

/// Nash bargaining points of a frontier: maximise `prod_i (u_i - d_i)` over outcomes with
/// `u_i >= d_i` for every party (`d` = `reservation`).
pub fn nash(frontier: &Frontier, reservation: &[f64], config: &AnalysisConfig) -> Points {
    let ideal = vec![0.0; frontier.n_parties];
    to_points(
        frontier,
        &on_frontier(frontier, reservation, &ideal, config).nash,
    )
}

/// Kalai-Smorodinsky points of a frontier: maximise `min_i (u_i - d_i) / (M_i - d_i)` over
/// outcomes with `u_i >= d_i` for every party (`M` = `ideal`, each party's maximum utility).
pub fn kalai_smorodinsky(
    frontier: &Frontier,
    reservation: &[f64],
    ideal: &[f64],
    config: &AnalysisConfig,
) -> Points {
    to_points(
        frontier,
        &on_frontier(frontier, reservation, ideal, config).kalai_smorodinsky,
    )
}

/// Utilitarian points of a frontier: maximise the sum of utilities.
pub fn max_welfare(frontier: &Frontier, config: &AnalysisConfig) -> Points {
    let z = vec![0.0; frontier.n_parties];
    to_points(frontier, &on_frontier(frontier, &z, &z, config).max_welfare)
}

/// Egalitarian points of a frontier: maximise the smallest utility.
pub fn egalitarian(frontier: &Frontier, config: &AnalysisConfig) -> Points {
    let z = vec![0.0; frontier.n_parties];
    to_points(frontier, &on_frontier(frontier, &z, &z, config).egalitarian)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pareto_indices;
    use proptest::prelude::*;

    /// Brute force over all entries: the optimum, and every frontier entry within the tie
    /// tolerance of it.
    fn brute(
        u: &[Vec<f64>],
        front: &[usize],
        f: impl Fn(&[f64]) -> Option<f64>,
    ) -> (Option<f64>, Vec<usize>) {
        let m = u[0].len();
        let row = |k: usize| u.iter().map(|c| c[k]).collect::<Vec<f64>>();
        let best = (0..m)
            .filter_map(|k| f(&row(k)))
            .fold(None, |a: Option<f64>, v| Some(a.map_or(v, |a| a.max(v))));
        let ties = match best {
            None => vec![],
            Some(b) => front
                .iter()
                .copied()
                .filter(|&k| f(&row(k)).is_some_and(|v| v >= b - 1e-12))
                .collect(),
        };
        (best, ties)
    }

    fn grid() -> impl Strategy<Value = (Vec<Vec<f64>>, Vec<f64>)> {
        (2usize..6, 1usize..50).prop_flat_map(|(n, m)| {
            (
                proptest::collection::vec(
                    proptest::collection::vec((0u8..5).prop_map(|v| f64::from(v) / 4.0), m),
                    n,
                ),
                proptest::collection::vec((0u8..3).prop_map(|v| f64::from(v) / 4.0), n),
            )
        })
    }

    proptest! {
        #[test]
        fn points_match_brute_force((u, d) in grid()) {
            let cfg = AnalysisConfig::default();
            let n = u.len();
            let ideal: Vec<f64> = u.iter().map(|c| c.iter().copied().fold(f64::NEG_INFINITY, f64::max)).collect();
            let front = pareto_indices(&u, cfg.tolerance).unwrap();
            let got = special_indices(&u, &front, &d, &ideal, &cfg).unwrap();
            let obj = Objectives { reservation: &d, ideal: &ideal, tolerance: cfg.tolerance, tie_tolerance: cfg.tie_tolerance };
            let check = |ip: &IndexPoints, (v, ix): (Option<f64>, Vec<usize>)| {
                assert_eq!(ip.value, v);
                assert_eq!(ip.indices, ix);
            };
            check(&got.nash, brute(&u, &front, |r| obj.nash(r)));
            check(&got.kalai_smorodinsky, brute(&u, &front, |r| obj.kalai_smorodinsky(r)));
            check(&got.max_welfare, brute(&u, &front, |r| Some(r.iter().sum())));
            check(&got.egalitarian, brute(&u, &front, |r| Some(r.iter().copied().fold(f64::INFINITY, f64::min))));
            // Every optimum is attained on the frontier.
            prop_assert!(!got.max_welfare.indices.is_empty());
            if got.nash.value.is_some() { prop_assert!(!got.nash.indices.is_empty()); }
            prop_assert_eq!(n, d.len());
        }
    }

    #[test]
    fn no_rational_outcome_means_no_nash() {
        let u = [vec![0.2, 0.8], vec![0.8, 0.2]];
        let p = special_indices(
            &u,
            &[0, 1],
            &[0.5, 0.5],
            &[0.8, 0.8],
            &AnalysisConfig::default(),
        )
        .unwrap();
        assert_eq!(p.nash.value, None);
        assert!(p.nash.indices.is_empty());
        assert_eq!(p.kalai_smorodinsky.value, None);
        assert_eq!(p.max_welfare.indices, vec![0, 1]);
    }

    #[test]
    fn bad_arity_is_an_error() {
        let u = [vec![0.2], vec![0.8]];
        assert!(matches!(
            special_indices(&u, &[0], &[0.5], &[0.8, 0.8], &AnalysisConfig::default()),
            Err(AnalysisError::WrongArity { .. })
        ));
        assert!(
            special_indices(
                &u,
                &[3],
                &[0.5, 0.5],
                &[0.8, 0.8],
                &AnalysisConfig::default()
            )
            .is_err()
        );
    }
}
