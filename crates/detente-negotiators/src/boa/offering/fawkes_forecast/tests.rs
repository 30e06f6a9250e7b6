//! The wavelet transform and the smoothing spline on hand-computed and limiting examples.

use super::*;

#[test]
fn one_level_of_an_impulse_reads_the_filters_backwards() {
    // x = e_0 of length 8: out[i] = scales[j] and out[i + 4] = coeffs[j] for the j with
    // 2i + j = 0 (mod 8), i.e. j = 0, 6, 4, 2; one level only (4 < 8).
    let mut x = [0.0; 8];
    x[0] = 1.0;
    let out = daubechies_forward(&x);
    let r2 = std::f64::consts::SQRT_2;
    let s = |j: usize| SCALES[j] / r2;
    // coeffs[j] = ±scales[7 - j], plus for even j.
    let c = |j: usize| {
        if j.is_multiple_of(2) {
            s(7 - j)
        } else {
            -s(7 - j)
        }
    };
    let expected = [s(0), s(6), s(4), s(2), c(0), c(6), c(4), c(2)];
    assert_eq!(out, expected);
    // Shorter than 8: unchanged.
    assert_eq!(daubechies_forward(&[0.5, 0.25, 0.0]), vec![0.5, 0.25, 0.0]);
}

#[test]
fn the_transform_keeps_the_energy_of_a_signal_of_length_16() {
    // The filters are orthonormal to the precision of JWave's coefficients (their squares sum
    // to 1 + 5e-6, shifted products to 5e-5), and the transform of a power-of-two length is a
    // product of such levels (Parseval, to that precision).
    let x: Vec<f64> = (0..16).map(|i| ((i * 7) % 5) as f64 / 4.0).collect();
    let energy = |v: &[f64]| v.iter().map(|a| a * a).sum::<f64>();
    let out = daubechies_forward(&x);
    assert!((energy(&out) - energy(&x)).abs() < 1e-3 * energy(&x));
    // An odd length leaves its last slot 0 at the first level, as JWave does.
    assert_eq!(daubechies_forward(&[1.0; 9])[8], 0.0);
}

#[test]
fn without_smoothing_the_spline_is_the_natural_interpolating_spline() {
    // rho = 1: mu = 0. Through (0, 0), (1, 0.5), (2, 0): the natural spline has second
    // derivative M1 = -1.5 at 1 (4 M1 = 6 (0 - 2 · 0.5 + 0)), so
    // S(0.5) = 0.25 + (0.5³ - 0.5)(-1.5)/6 = 0.34375, and S(1.5) the same by symmetry.
    let s = SmoothingSpline::new(&[0.0, 1.0, 2.0], &[0.0, 0.5, 0.0], 1.0);
    assert!((s.evaluate(0.5) - 0.34375).abs() < 1e-12);
    assert!((s.evaluate(1.5) - 0.34375).abs() < 1e-12);
    assert!((s.evaluate(1.0) - 0.5).abs() < 1e-12);
    // A straight line is reproduced, and extrapolated linearly on the right.
    let line = SmoothingSpline::new(&[0.0, 1.0, 2.0, 3.0, 4.0], &[0.1, 0.3, 0.5, 0.7, 0.9], 1.0);
    assert!((line.evaluate(2.5) - 0.6).abs() < 1e-12);
    assert!((line.evaluate(4.25) - 0.95).abs() < 1e-12);
    // Values are clamped to [0, 1].
    assert_eq!(line.evaluate(10.0), 1.0);
}

#[test]
fn at_rho_1e_16_the_spline_is_the_least_squares_line() {
    // As rho -> 0 the smoothing spline tends to the least-squares straight line: through
    // (0, 0.1), (1, 0.5), (2, 0.3), (3, 0.7) that is 0.16 + 0.16 x. At mu = 6.7e15 the solution
    // cancels terms of that size, so it holds to about 1e-6 (the fragility the port keeps by
    // doing GENIUS's steps in GENIUS's order).
    let s = SmoothingSpline::new(&[0.0, 1.0, 2.0, 3.0], &[0.1, 0.5, 0.3, 0.7], RHO);
    for (x, y) in [(0.0, 0.16), (1.0, 0.32), (2.0, 0.48), (3.0, 0.64)] {
        assert!((s.evaluate(x) - y).abs() < 1e-6, "{x}: {}", s.evaluate(x));
    }
}

#[test]
fn thefawkes_extra_point_sends_every_positive_index_to_the_right_extrapolation() {
    // x = [0, 1, 2, 3, 0]: any z > 0 is beyond x[4] = 0, so the last (linear) piece, taken
    // from the origin 0; z = 0 takes the left piece.
    let s = SmoothingSpline::new(&[0.0, 1.0, 2.0, 3.0, 0.0], &[0.2, 0.4, 0.3, 0.5, 0.0], RHO);
    assert_eq!(s.piece(0.0), 0);
    assert_eq!(s.piece(2.0), 5);
    let right = s.pieces[5];
    assert_eq!(right.0[2], 0.0);
    assert_eq!(right.0[3], 0.0);
    let raw = right.evaluate(2.0);
    assert_eq!(s.evaluate(2.0), raw.clamp(0.0, 1.0));
}

#[test]
fn the_forecast_maps_bids_to_time_indices_and_keeps_the_earliest() {
    let bid = |t: f64, u: f64| Bid {
        id: 0,
        utility: u,
        time: t,
        party: 1,
    };
    // 20 rounds: times 0.05 and 0.08 share index 1 (the earlier's utility is kept), indices 0
    // and 2 are empty (utility 0), 0.15 is index 3.
    let received = [bid(0.05, 0.3), bid(0.08, 0.9), bid(0.15, 0.4)];
    let f = forecast(&received, 20.0);
    assert_eq!(f.ratio.len(), 4);
    // At an empty index a positive spline over 0 is infinite (ratio 0), 0 over 0 NaN (1).
    for i in [0, 2] {
        let a = f.alpha.evaluate(i as f64);
        assert_eq!(f.ratio[i], if a > 0.0 { 0.0 } else { 1.0 });
    }
    let a1 = f.alpha.evaluate(1.0);
    assert_eq!(f.ratio[1], a1 / 0.3);
    assert!((max_gap(&received) - 0.07).abs() < 1e-12);
    assert_eq!(max_gap(&[bid(0.1, 0.5), bid(0.9, 0.5)]), 0.1);
    assert_eq!(max_gap(&received[..1]), 0.0);
    assert!((standard_deviation(&[1.0, 3.0]) - 1.0).abs() < 1e-15);
    assert_eq!(standard_deviation(&[2.0]), 0.0);
}
