//! Atlas3's threshold: the expected utility of the final offer game, raised by the discount
//! still to come, as a lower limit of its concession.

/// When the final offers are made (the game's payoffs are discounted to this time).
const FINAL_TIME: f64 = 1.0;
/// The chance that, both giving in, it gives in first.
const FIRST: f64 = 0.5;

/// Atlas3's threshold at time `t`, given `c` (the estimated utility of the compromise: the
/// best offered, or the best popular, utility), its reservation value `rv` and discount
/// factor `df`.
pub fn threshold(t: f64, c: f64, rv: f64, df: f64) -> f64 {
    let a11 = rv * df;
    let a12 = df.powf(FINAL_TIME);
    let a21 = if c >= rv {
        c * df.powf(FINAL_TIME)
    } else {
        rv * df
    };
    let a22 = FIRST * a21 + (1.0 - FIRST) * a12;
    // The opponent's equilibrium probability of holding out.
    let mut q = 1.0;
    if a12 - a22 != 0.0 && 1.0 - (a11 - a21) / (a12 - a22) != 0.0 {
        q = 1.0 / (1.0 - (a11 - a21) / (a12 - a22));
    }
    if !(0.0..=1.0).contains(&q) {
        q = 1.0;
    }
    let target = (q * a21 + (1.0 - q) * a22) / df.powf(t);
    if df == 1.0 {
        target + (1.0 - target) * (1.0 - t)
    } else {
        (1.0 - t / df).max(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand() {
        // No discount, rv = 0.2, C = 0.6: A11 = 0.2, A12 = 1, A21 = 0.6, A22 = 0.8;
        // (A11 - A21) / (A12 - A22) = -0.4 / 0.2 = -2, q = 1 / 3;
        // target = 0.6 / 3 + 0.8 * 2 / 3 = 0.7333...; at t = 0.5: 0.7333 + 0.2667 * 0.5.
        let target = 0.6 / 3.0 + 0.8 * 2.0 / 3.0;
        let t = threshold(0.5, 0.6, 0.2, 1.0);
        assert!((t - (target + (1.0 - target) * 0.5)).abs() < 1e-12, "{t}");
        // C below rv: A21 = A11 = rv, so q = 1 / (1 - 0) = 1 and target = rv.
        assert!((threshold(1.0, 0.1, 0.2, 1.0) - 0.2).abs() < 1e-12);
        // Discounted (df = 0.5) at t = 0.1: max(1 - 0.2, target / 0.5^0.1).
        let t = threshold(0.1, 0.6, 0.0, 0.5);
        // A11 = 0, A12 = 0.5, A21 = 0.3, A22 = 0.4; ratio -0.3 / 0.1 = -3; q = 0.25;
        // target = (0.075 + 0.3) / 0.5^0.1.
        let target = (0.25 * 0.3 + 0.75 * 0.4) / 0.5f64.powf(0.1);
        assert!((t - 0.8f64.max(target)).abs() < 1e-12, "{t}");
    }
}
