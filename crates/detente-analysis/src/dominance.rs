//! Dominance with a tolerance, and the skyline (Pareto set) algorithms every path of the crate
//! shares: an `O(m log m)` sweep for two parties and a parallel block-nested-loop for more.
//!
//! # The relations
//! Items are rows of `n` utilities. For a tolerance `eps >= 0`:
//! - **D** (the frontier's relation): `y` dominates `x` when `y_i >= x_i - eps` for every party
//!   and `y_j > x_j + eps` for some party. Utilities within `eps` count as equal, so float
//!   noise neither creates nor hides a dominance. D is not transitive.
//! - **S** (a helper): `y_i >= x_i` for every party and `y_j > x_j + eps` for some party. S is a
//!   strict partial order (irreflexive, transitive), `S ⊆ D`, and `S∘D ⊆ D` (if `z S y` and
//!   `y D x` then `z D x`).
//!
//! The frontier is the set `F` of items that no item D-dominates. Because `S ⊆ D`, `F` lies
//! inside the S-skyline `F_S`. Because S is a finite strict partial order, every item outside
//! `F_S` is S-dominated by an item of `F_S`; with `S∘D ⊆ D`, an item D-dominated by anything
//! is D-dominated by a member of `F_S`. So `F` = the members of `F_S` that no member of `F_S`
//! D-dominates, which is how [`frontier`] computes it for more than two parties. For two
//! parties the sweep decides D directly.
//!
//! A [`Relation`] may also restrict which parties can give the strict part ("eligibility"
//! thresholds), which the issue-by-issue construction needs near a utility cap.

use rayon::prelude::*;

/// Rows of `n` utilities, row-major: item `k` is `data[k * n..(k + 1) * n]`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rows<'a> {
    pub n: usize,
    pub data: &'a [f64],
}

impl<'a> Rows<'a> {
    pub fn len(&self) -> usize {
        self.data.len().checked_div(self.n).unwrap_or(0)
    }

    #[inline]
    pub fn row(&self, k: usize) -> &'a [f64] {
        &self.data[k * self.n..(k + 1) * self.n]
    }
}

/// `y` dominates `x` when `y_i >= x_i - lo` for every `i` and, for some `j` with
/// `x_j < eligible[j]`, `y_j > x_j + margin`. Requires `margin >= -lo` (true for all uses).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Relation<'a> {
    pub lo: f64,
    pub margin: f64,
    /// Per-party thresholds; `None` means every party is always eligible.
    pub eligible: Option<&'a [f64]>,
}

impl<'a> Relation<'a> {
    /// The frontier's relation D.
    pub fn frontier(eps: f64) -> Self {
        Relation {
            lo: eps,
            margin: eps,
            eligible: None,
        }
    }

    /// The transitive helper S.
    pub fn strict(eps: f64) -> Self {
        Relation {
            lo: 0.0,
            margin: eps,
            eligible: None,
        }
    }

    /// Whether S-like skylines may be computed with the window algorithm: the relation must
    /// be transitive, which holds when `lo == 0` (see the module docs).
    fn transitive(&self) -> bool {
        self.lo == 0.0
    }

    #[inline]
    fn eligible(&self, j: usize, x: f64) -> bool {
        match self.eligible {
            None => true,
            Some(t) => x < t[j],
        }
    }

    /// Whether `y` dominates `x`.
    #[inline]
    pub fn dominates(&self, y: &[f64], x: &[f64]) -> bool {
        let mut strict = false;
        for j in 0..x.len() {
            if y[j] < x[j] - self.lo {
                return false;
            }
            if !strict && y[j] > x[j] + self.margin && self.eligible(j, x[j]) {
                strict = true;
            }
        }
        strict
    }
}

/// Maps a float to a `u64` whose unsigned order is the float's descending order (`-0.0` is
/// treated as `0.0`; NaN never reaches here).
#[inline]
fn descending_key(x: f64) -> u64 {
    let bits = (x + 0.0).to_bits();
    let ascending = if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    };
    !ascending
}

/// Items no other item dominates under `rel`, for rows of exactly two utilities, in
/// increasing index order. Works for any relation (transitive or not): it decides, for each
/// item, whether *some* item dominates it.
pub(crate) fn skyline_2d(rows: Rows<'_>, rel: &Relation<'_>) -> Vec<usize> {
    debug_assert_eq!(rows.n, 2);
    let m = rows.len();
    if m == 0 {
        return Vec::new();
    }
    // Sort by the first utility, best first. Ties need no order: every set the sweep asks
    // about is {y : y_1 > t} or {y : y_1 >= t}, a prefix whatever the order within ties.
    let mut order: Vec<(u64, usize)> = (0..m)
        .map(|k| (descending_key(rows.data[2 * k]), k))
        .collect();
    order.par_sort_unstable_by_key(|p| p.0);
    let idx = |p: usize| order[p].1;
    let sorted1: Vec<f64> = (0..m).map(|p| rows.data[2 * idx(p)]).collect();
    let mut prefmax = Vec::with_capacity(m);
    let mut best = f64::NEG_INFINITY;
    for p in 0..m {
        best = best.max(rows.data[2 * idx(p) + 1]);
        prefmax.push(best);
    }
    let dominated = |k: usize| -> bool {
        let x1 = rows.data[2 * k];
        let x2 = rows.data[2 * k + 1];
        if rel.eligible(0, x1) {
            let t = x1 + rel.margin;
            let cnt = sorted1.partition_point(|&v| v > t);
            if cnt > 0 && prefmax[cnt - 1] >= x2 - rel.lo {
                return true;
            }
        }
        if rel.eligible(1, x2) {
            let t = x1 - rel.lo;
            let cnt = sorted1.partition_point(|&v| v >= t);
            if cnt > 0 && prefmax[cnt - 1] > x2 + rel.margin {
                return true;
            }
        }
        false
    };
    (0..m)
        .into_par_iter()
        .with_min_len(4096)
        .filter(|&k| !dominated(k))
        .collect()
}

/// The window (block-nested-loop) skyline of `items` (indices into `rows`) under a
/// transitive relation, in any order of output. Correct for any processing order; items are
/// processed by decreasing utility sum so that dominators tend to come first.
fn window_skyline(rows: Rows<'_>, items: &[usize], rel: &Relation<'_>) -> Vec<usize> {
    let n = rows.n;
    let mut window: Vec<usize> = Vec::new();
    let mut wdata: Vec<f64> = Vec::new();
    'next: for &k in items {
        let x = rows.row(k);
        for (p, w) in wdata.chunks_exact(n).enumerate() {
            if rel.dominates(w, x) {
                // Move the dominator to the front: dominators cluster.
                if p > 0 {
                    window.swap(0, p);
                    for j in 0..n {
                        wdata.swap(j, p * n + j);
                    }
                }
                continue 'next;
            }
        }
        // Drop window members that x dominates (rare when sorted by sum).
        let mut p = 0;
        while p < window.len() {
            if rel.dominates(x, &wdata[p * n..(p + 1) * n]) {
                window.swap_remove(p);
                let last = wdata.len() - n;
                for j in 0..n {
                    wdata[p * n + j] = wdata[last + j];
                }
                wdata.truncate(last);
            } else {
                p += 1;
            }
        }
        window.push(k);
        wdata.extend_from_slice(x);
    }
    window
}

/// The skyline under a transitive relation for any number of parties, in increasing index
/// order. Splits the items into blocks whose skylines are computed in parallel and then
/// merged (the skyline of the union of block skylines is the skyline of all items).
pub(crate) fn skyline_window(rows: Rows<'_>, rel: &Relation<'_>) -> Vec<usize> {
    assert!(
        rel.transitive(),
        "the window skyline needs a transitive relation"
    );
    let m = rows.len();
    let mut keyed: Vec<(u64, usize)> = (0..m)
        .into_par_iter()
        .map(|k| {
            let s: f64 = rows.row(k).iter().sum();
            (descending_key(s), k)
        })
        .collect();
    keyed.par_sort_unstable();
    let items: Vec<usize> = keyed.into_iter().map(|p| p.1).collect();
    const BLOCK: usize = 1 << 15;
    let mut result = if items.len() > BLOCK {
        let partial: Vec<usize> = items
            .par_chunks(BLOCK)
            .flat_map_iter(|chunk| window_skyline(rows, chunk, rel))
            .collect();
        // Keep the sum order for the merge.
        let mut keyed: Vec<(u64, usize)> = partial
            .into_iter()
            .map(|k| (descending_key(rows.row(k).iter().sum()), k))
            .collect();
        keyed.sort_unstable();
        let merged: Vec<usize> = keyed.into_iter().map(|p| p.1).collect();
        window_skyline(rows, &merged, rel)
    } else {
        window_skyline(rows, &items, rel)
    };
    result.sort_unstable();
    result
}

/// The skyline of `rows` under `rel`, whatever the number of parties: the sweep for two,
/// the window algorithm otherwise (which needs `rel` transitive).
pub(crate) fn skyline(rows: Rows<'_>, rel: &Relation<'_>) -> Vec<usize> {
    if rows.n == 2 {
        skyline_2d(rows, rel)
    } else {
        skyline_window(rows, rel)
    }
}

/// Items that survive a cheap first pass: those no *pivot* S-dominates, where the pivots are
/// the S-skyline of an evenly strided sample. Returns `None` when the input is too small to
/// bother. Whatever D-dominates a survivor is matched by a survivor: a discarded dominator
/// `y` has a pivot `p` with `p S y` (take a surviving one: S is a strict partial order), and
/// `p S y`, `y D x` give `p D x`. So the frontier of the survivors is the frontier of all.
fn prefilter(rows: Rows<'_>, eps: f64) -> Option<Vec<usize>> {
    const SAMPLE: usize = 2048;
    let m = rows.len();
    if m < 8 * SAMPLE {
        return None;
    }
    let n = rows.n;
    let stride = m / SAMPLE;
    let sample: Vec<f64> = (0..m)
        .step_by(stride)
        .flat_map(|k| rows.row(k).iter().copied())
        .collect();
    let srows = Rows { n, data: &sample };
    let s = Relation::strict(eps);
    let mut pivots: Vec<usize> = skyline(srows, &s);
    pivots.sort_by(|&a, &b| {
        let (x, y): (f64, f64) = (srows.row(a).iter().sum(), srows.row(b).iter().sum());
        y.total_cmp(&x)
    });
    let pdata: Vec<f64> = pivots
        .iter()
        .flat_map(|&k| srows.row(k).iter().copied())
        .collect();
    Some(
        (0..m)
            .into_par_iter()
            .with_min_len(4096)
            .filter(|&k| {
                let x = rows.row(k);
                !pdata.chunks_exact(n).any(|p| s.dominates(p, x))
            })
            .collect(),
    )
}

/// The Pareto frontier under D with tolerance `eps` (see the module docs): indices of the
/// items that no item D-dominates, in increasing order.
pub(crate) fn frontier(rows: Rows<'_>, eps: f64) -> Vec<usize> {
    if let Some(survivors) = prefilter(rows, eps) {
        let data: Vec<f64> = survivors
            .iter()
            .flat_map(|&k| rows.row(k).iter().copied())
            .collect();
        let sub = Rows {
            n: rows.n,
            data: &data,
        };
        return frontier_all(sub, eps)
            .into_iter()
            .map(|k| survivors[k])
            .collect();
    }
    frontier_all(rows, eps)
}

/// [`frontier`] without the first pass.
fn frontier_all(rows: Rows<'_>, eps: f64) -> Vec<usize> {
    let d = Relation::frontier(eps);
    if rows.n == 2 {
        return skyline_2d(rows, &d);
    }
    let fs = skyline_window(rows, &Relation::strict(eps));
    let fsd: Vec<f64> = fs
        .iter()
        .flat_map(|&k| rows.row(k).iter().copied())
        .collect();
    let sub = Rows {
        n: rows.n,
        data: &fsd,
    };
    (0..fs.len())
        .into_par_iter()
        .filter(|&a| {
            let x = sub.row(a);
            !(0..fs.len()).any(|b| b != a && d.dominates(sub.row(b), x))
        })
        .map(|a| fs[a])
        .collect()
}

/// Number of classes of rows that are equal within `eps` in every utility (the classes of
/// the equivalence that "within `eps` everywhere" generates).
pub(crate) fn tie_classes(rows: Rows<'_>, eps: f64) -> usize {
    let m = rows.len();
    let mut parent: Vec<usize> = (0..m).collect();
    fn find(parent: &mut [usize], mut a: usize) -> usize {
        while parent[a] != a {
            parent[a] = parent[parent[a]];
            a = parent[a];
        }
        a
    }
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_unstable_by(|&a, &b| rows.row(a)[0].total_cmp(&rows.row(b)[0]));
    let mut classes = m;
    for p in 0..m {
        let a = order[p];
        let x = rows.row(a);
        for &b in &order[p + 1..] {
            let y = rows.row(b);
            if y[0] > x[0] + eps {
                break;
            }
            if x.iter().zip(y).all(|(u, v)| (u - v).abs() <= eps) {
                let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                if ra != rb {
                    parent[ra.max(rb)] = ra.min(rb);
                    classes -= 1;
                }
            }
        }
    }
    classes
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Brute force: items no other item dominates, by the definition.
    fn brute(rows: Rows<'_>, rel: &Relation<'_>) -> Vec<usize> {
        (0..rows.len())
            .filter(|&a| {
                !(0..rows.len()).any(|b| b != a && rel.dominates(rows.row(b), rows.row(a)))
            })
            .collect()
    }

    fn grid_rows() -> impl Strategy<Value = (usize, Vec<f64>)> {
        (1usize..6, 1usize..60).prop_flat_map(|(n, m)| {
            (
                Just(n),
                proptest::collection::vec((0u8..6).prop_map(|v| f64::from(v) / 5.0), n * m),
            )
        })
    }

    proptest! {
        #[test]
        fn frontier_matches_brute_force((n, data) in grid_rows(), eps_pick in 0usize..3) {
            let eps = [0.0, 1e-12, 0.21][eps_pick];
            let rows = Rows { n, data: &data };
            let want = brute(rows, &Relation::frontier(eps));
            prop_assert_eq!(frontier(rows, eps), want);
        }

        #[test]
        fn skylines_match_brute_force((n, data) in grid_rows(), noise in proptest::collection::vec(-2i32..3, 0..400)) {
            // Perturb by a few ulps so tolerance matters.
            let data: Vec<f64> = data.iter().enumerate().map(|(k, &v)| v + f64::from(*noise.get(k).unwrap_or(&0)) * 1e-16).collect();
            let rows = Rows { n, data: &data };
            let s = Relation::strict(1e-12);
            prop_assert_eq!(skyline_window(rows, &s), brute(rows, &s));
            if n == 2 {
                prop_assert_eq!(skyline_2d(rows, &s), brute(rows, &s));
                let thresholds = [0.5, 0.9];
                let e = Relation { lo: 0.0, margin: 1e-12, eligible: Some(&thresholds) };
                prop_assert_eq!(skyline_2d(rows, &e), brute(rows, &e));
            }
            prop_assert_eq!(frontier(rows, 1e-12), brute(rows, &Relation::frontier(1e-12)));
        }
    }

    #[test]
    fn large_blocks_merge() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let m = 70_000;
        let data: Vec<f64> = (0..3 * m)
            .map(|_| f64::from(rng.random_range(0u32..40)) / 40.0)
            .collect();
        let rows = Rows { n: 3, data: &data };
        let got = frontier(rows, 1e-12);
        assert_eq!(
            got,
            frontier_all(rows, 1e-12),
            "the first pass changes nothing"
        );
        let rows2 = Rows {
            n: 2,
            data: &data[..2 * m],
        };
        assert_eq!(frontier(rows2, 1e-12), frontier_all(rows2, 1e-12));
        assert_eq!(
            frontier(rows2, 1e-12),
            skyline_window(rows2, &Relation::strict(1e-12))
                .into_iter()
                .filter(|&a| !(0..m)
                    .any(|b| Relation::frontier(1e-12).dominates(rows2.row(b), rows2.row(a))))
                .collect::<Vec<_>>()
        );
        // Check against a direct definition on the result and a sample of the rest.
        let d = Relation::frontier(1e-12);
        for &a in &got {
            assert!(!(0..m).any(|b| d.dominates(rows.row(b), rows.row(a))));
        }
        let set: std::collections::HashSet<usize> = got.iter().copied().collect();
        for a in (0..m).step_by(97).filter(|a| !set.contains(a)) {
            assert!(got.iter().any(|&b| d.dominates(rows.row(b), rows.row(a))));
        }
    }

    #[test]
    fn ties_are_classes() {
        let data = [0.5, 0.5, 0.5 + 1e-13, 0.5, 0.7, 0.1, 0.7, 0.1, 0.2, 0.9];
        assert_eq!(tie_classes(Rows { n: 2, data: &data }, 1e-12), 3);
        assert_eq!(tie_classes(Rows { n: 2, data: &data }, 0.0), 4);
    }

    #[test]
    fn descending_keys_order_floats() {
        let xs = [3.0, 1.0, 0.0, -0.0, -1.0, f64::NEG_INFINITY];
        for w in xs.windows(2) {
            assert!(descending_key(w[0]) <= descending_key(w[1]));
        }
        assert_eq!(descending_key(0.0), descending_key(-0.0));
    }
}
