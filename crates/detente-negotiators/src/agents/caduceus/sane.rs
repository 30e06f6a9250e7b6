//! The inner Caduceus agent's "sane" utility spaces (the original's `sanity` package) and its
//! two searches: the "Nash" bid (`NashProductCalculator`) and the counter-offer near the line
//! from its best bid towards it (`CounterOfferGenerator`, `UtilFunctions`).

use detente_core::OutcomeSpace;

/// A linear additive space: issue weights and per-value utilities, both renormalised in
/// place (to sum 1) whenever the agent looks for its offer.
#[derive(Debug, Clone)]
pub(super) struct Sane {
    pub(super) weights: Vec<f64>,
    pub(super) values: Vec<Vec<f64>>,
}

impl Sane {
    /// Zero weights and values (an opponent's profile before its first offer).
    pub(super) fn zero(space: &OutcomeSpace) -> Self {
        Sane {
            weights: vec![0.0; space.issues().len()],
            values: space
                .issues()
                .iter()
                .map(|i| vec![0.0; i.cardinality() as usize])
                .collect(),
        }
    }

    /// The original's `normalize`: each issue's values divided by their sum, the weights by
    /// theirs (a zero sum gives NaN, as in Java).
    pub(super) fn normalize(&mut self) {
        let mut issue_sum = 0.0;
        for (w, values) in self.weights.iter().zip(&mut self.values) {
            let sum: f64 = values.iter().sum();
            values.iter_mut().for_each(|v| *v /= sum);
            issue_sum += *w;
        }
        self.weights.iter_mut().for_each(|w| *w /= issue_sum);
    }

    /// `Σ w_i u_i(v_i)`, in issue order.
    pub(super) fn utility(&self, outcome: &[u32]) -> f64 {
        let mut u = 0.0;
        for (i, &v) in outcome.iter().enumerate() {
            u += self.weights[i] * self.values[i][v as usize];
        }
        u
    }

    /// The original's `vectorizeBid`: the terms `w_i u_i(v_i)`, divided by their sum, times
    /// 10.
    fn point(&self, outcome: &[u32], out: &mut Vec<f64>) {
        out.clear();
        out.extend(
            outcome
                .iter()
                .enumerate()
                .map(|(i, &v)| self.weights[i] * self.values[i][v as usize]),
        );
        let sum: f64 = out.iter().sum();
        out.iter_mut().for_each(|x| *x = *x / sum * 10.0);
    }
}

/// Calls `f` with every feasible outcome in GENIUS's `BidIterator` order (the first issue
/// varies fastest); stops when `f` returns `false`.
pub(super) fn genius_order(space: &OutcomeSpace, mut f: impl FnMut(&[u32]) -> bool) {
    let cards: Vec<u32> = space
        .issues()
        .iter()
        .map(|i| i.cardinality() as u32)
        .collect();
    if cards.contains(&0) {
        return;
    }
    let mut values = vec![0u32; cards.len()];
    loop {
        if space.is_feasible(&values) && !f(&values) {
            return;
        }
        let mut i = 0;
        loop {
            if i == values.len() {
                return;
            }
            values[i] += 1;
            if values[i] < cards[i] {
                break;
            }
            values[i] = 0;
            i += 1;
        }
    }
}

/// The original's `NashProductCalculator.calculate`: its product is never reset between
/// outcomes, so it is the running product over the outcomes in GENIUS's order, and the "Nash"
/// bid is the outcome where that running product last rose (in practice the first outcome,
/// when every space gives it a positive utility). `None` when it never rises above 0. Once
/// the running product is 0 or NaN it can never rise again, so the scan stops there.
pub(super) fn nash_bid(space: &OutcomeSpace, spaces: &[&Sane]) -> Option<Vec<u32>> {
    let mut product = 1.0f64;
    let mut best = 0.0;
    let mut nash = None;
    genius_order(space, |o| {
        for s in spaces {
            product *= s.utility(o);
        }
        if product > best {
            best = product;
            nash = Some(o.to_vec());
        }
        product != 0.0 && !product.is_nan()
    });
    nash
}

/// The original's `CounterOfferGenerator(target).generateBid(t)`: in the space of the
/// vectorised outcomes (own sane space), the point `max + t (target - max) / |d|` where `|d|`
/// is the original's norm (the absolute value of the *last* component of `target - max`: its
/// loop assigns instead of adding); the outcome nearest to it (Euclidean), skipping those
/// within 0.1 of `max` in every component (signed: `x - max <= 0.1`) except the first
/// outcome, which is the starting candidate. A NaN point (target = max) gives the first
/// outcome.
pub(super) fn counter_offer(
    space: &OutcomeSpace,
    mine: &Sane,
    max: &[u32],
    target: &[u32],
    t: f64,
) -> Vec<u32> {
    let mut max_point = Vec::new();
    mine.point(max, &mut max_point);
    let mut target_point = Vec::new();
    mine.point(target, &mut target_point);
    let diff: Vec<f64> = target_point
        .iter()
        .zip(&max_point)
        .map(|(b, a)| b - a)
        .collect();
    let last = diff.last().copied().unwrap_or(0.0);
    let norm = (last * last).sqrt();
    let concession: Vec<f64> = max_point
        .iter()
        .zip(&diff)
        .map(|(m, d)| m + (d / norm) * t)
        .collect();
    let mut point = Vec::new();
    let mut chosen: Option<(Vec<u32>, f64)> = None;
    genius_order(space, |o| {
        mine.point(o, &mut point);
        let mut sq = 0.0;
        for (c, p) in concession.iter().zip(&point) {
            let d = c - p;
            sq += d * d;
        }
        let d = sq.sqrt();
        match &chosen {
            None => chosen = Some((o.to_vec(), d)),
            Some((_, min)) => {
                // Java's `distance[i] > precision` is false for NaN: NaN counts as near.
                let near_max = point
                    .iter()
                    .zip(&max_point)
                    .all(|(p, m)| (p - m).partial_cmp(&0.1) != Some(std::cmp::Ordering::Greater));
                if !near_max && d < *min {
                    chosen = Some((o.to_vec(), d));
                }
            }
        }
        true
    });
    chosen.map_or_else(|| max.to_vec(), |(o, _)| o)
}

/// The original's `getRoundValue`: `2t² - 101t + 100` rounded up to three decimals by
/// `DecimalFormat("#.###")` with `RoundingMode.CEILING`, which rounds the shortest decimal
/// form of the double (the digits `Double.toString` prints), then parsed back.
pub(super) fn round_value(t: f64) -> f64 {
    let x = 2.0 * t.powf(2.0) - 101.0 * t + 100.0;
    ceil_3(x)
}

/// Rounds `x` up to three decimals on its shortest decimal form.
fn ceil_3(x: f64) -> f64 {
    let text = format!("{x}");
    let Some((whole, fraction)) = text.split_once('.') else {
        return x;
    };
    if fraction.len() <= 3 {
        return x;
    }
    let kept: f64 = format!("{whole}.{}", &fraction[..3]).parse().unwrap_or(x);
    let rest_nonzero = fraction[3..].bytes().any(|b| b != b'0');
    if !rest_nonzero {
        return kept;
    }
    if x >= 0.0 {
        // Up by one unit in the third decimal, on the decimal digits.
        let thousandths: i64 = format!("{whole}{}", &fraction[..3]).parse().unwrap_or(0);
        format_thousandths(thousandths + 1)
    } else {
        kept
    }
}

fn format_thousandths(n: i64) -> f64 {
    let text = format!("{}.{:03}", n / 1000, n % 1000);
    text.parse().unwrap_or(n as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_value_rounds_up_the_decimal_form() {
        assert_eq!(ceil_3(17.5), 17.5);
        assert_eq!(ceil_3(17.5231), 17.524);
        assert_eq!(ceil_3(17.523), 17.523);
        assert_eq!(ceil_3(1.9999), 2.0);
        assert_eq!(ceil_3(0.1), 0.1);
        // t = 0.9: 1.62 - 90.9 + 100 = 10.72 in decimals; the double is 10.719999999999999.
        assert_eq!(round_value(0.9), 10.72);
        assert_eq!(round_value(0.0), 100.0);
    }

    #[test]
    fn the_running_product_picks_the_first_outcome_when_all_are_positive() {
        let space = OutcomeSpace::new(vec![
            detente_core::Issue::discrete("a", ["x", "y"]),
            detente_core::Issue::discrete("b", ["x", "y", "z"]),
        ])
        .unwrap();
        let mut s = Sane::zero(&space);
        s.weights = vec![1.0, 1.0];
        s.values = vec![vec![1.0, 3.0], vec![1.0, 1.0, 2.0]];
        s.normalize();
        assert_eq!(s.weights, vec![0.5, 0.5]);
        assert_eq!(nash_bid(&space, &[&s]), Some(vec![0, 0]));
        // A space that gives the first outcome 0: the product stays 0, no "Nash" bid.
        let mut o = Sane::zero(&space);
        o.weights = vec![1.0, 0.0];
        o.values = vec![vec![0.0, 1.0], vec![1.0, 0.0, 0.0]];
        o.normalize();
        assert_eq!(nash_bid(&space, &[&s, &o]), None);
        // Zero weights normalise to NaN: no "Nash" bid either.
        let mut z = Sane::zero(&space);
        z.values = vec![vec![1.0, 0.0], vec![1.0, 0.0, 0.0]];
        z.normalize();
        assert!(z.weights[0].is_nan());
        assert_eq!(nash_bid(&space, &[&s, &z]), None);
    }

    #[test]
    fn genius_order_varies_the_first_issue_fastest() {
        let space = OutcomeSpace::new(vec![
            detente_core::Issue::discrete("a", ["x", "y"]),
            detente_core::Issue::discrete("b", ["x", "y", "z"]),
        ])
        .unwrap();
        let mut seen = Vec::new();
        genius_order(&space, |o| {
            seen.push(o.to_vec());
            true
        });
        assert_eq!(seen[..3], [vec![0, 0], vec![1, 0], vec![0, 1]]);
        assert_eq!(seen.len(), 6);
    }
}
