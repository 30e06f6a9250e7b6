//! ParsAgent on hand-computed examples.

use detente_core::*;

use super::ParsAgent;
use crate::testutil::{info, state};

/// Three parties over two issues whose values are named `x`, `b`, `a` (Java hashes 120, 98,
/// 97: buckets 8, 2, 1 of a 16-slot `HashMap`, so the original counts them in the order
/// `a`, `b`, `x`, the reverse of the value order). Party 0's weights are 0.5 and 0.5, its
/// evaluations `[0, 0.5, 1]` on the first issue and `[0.6, 0, 0]` on the second.
fn three_parties() -> Scenario {
    let names = ["x", "b", "a"];
    crate::testutil::linear(
        "three",
        vec![Issue::discrete("i", names), Issue::discrete("j", names)],
        &[0.5, 0.5],
        &[
            ("p", vec![vec![0.0, 0.5, 1.0], vec![0.6, 0.0, 0.0]]),
            ("a", vec![vec![1.0, 0.5, 0.0], vec![0.0, 1.0, 0.0]]),
            ("b", vec![vec![0.5, 0.0, 1.0], vec![0.0, 0.0, 1.0]]),
        ],
    )
}

fn offer(v: [u32; 2]) -> Action {
    Action::Offer(Outcome(v.to_vec()))
}

/// The mutual-issue bid, computed by hand. Opponent A (party 1) offered `(a, b)` twice;
/// opponent B (party 2) `(x, b)` then `(a, a)`. Counted in the original's `HashMap` order:
/// on issue `i`, A's most repeated value is `a`, and B's scan meets `a` before `x` (both
/// once), so its first is `a`: they agree. On issue `j`, A's first is `b` and B's scan meets
/// `a` before `b`: no agreement in the first pass. Agreement on one issue of two is half, so
/// the first pass stands: the bid takes `a` on `i` and the issue's first value `x` on `j`,
/// worth `0.5 + 0.3 = 0.8` to party 0, above its target (the floor 0.7 at time 0.95 with a
/// deadline of 9 rounds: `1 - 0.85^(1/0.15) = 0.66`), while B's offer is worth 0.5.
/// (Counting in insertion order instead, B's first on `i` would be `x`, its first on `j`
/// would be `b`, and the bid `(x, b)`.)
#[test]
fn the_mutual_bid_follows_the_originals_counting_order() {
    let s = three_parties();
    let tables = ScenarioTables::for_scenario(&s);
    let mut p = ParsAgent::default();
    p.init(&info(0, &s, &tables, 9, 7)).unwrap();
    let st = state(0.95, None);
    p.observe(1, &offer([2, 1]), &st);
    p.observe(2, &offer([0, 1]), &st);
    p.observe(1, &offer([2, 1]), &st);
    p.observe(2, &offer([2, 2]), &st);
    assert_eq!(p.act(&st), offer([2, 0]));
    // An offer worth more than the target (0.8 > 0.7) is accepted.
    p.observe(1, &offer([2, 0]), &st);
    assert_eq!(p.act(&st), Action::Accept);
}

/// The target: `1 - (t - 1 / (deadline + 1))^(1 / 0.15)`, floored at 0.7. At time 0.6 with
/// a deadline of 9 rounds, `1 - 0.5^(20/3) = 0.99016`: an offer worth 0.99 is refused, one
/// worth 0.995 accepted.
#[test]
fn the_target_is_the_originals_boulware_curve() {
    let s = three_parties();
    let tables = ScenarioTables::for_scenario(&s);
    let target = 1.0 - 0.5f64.powf(1.0 / 0.15);
    assert!((target - 0.990_16).abs() < 1e-5);
    let mut p = ParsAgent::default();
    p.init(&info(0, &s, &tables, 9, 7)).unwrap();
    let st = state(0.6, None);
    // (a, x) is worth 0.5 + 0.3 = 0.8 to party 0: refused.
    p.observe(1, &offer([2, 0]), &st);
    assert!(matches!(p.act(&st), Action::Offer(_)));
    let s = crate::testutil::single_issue(&[0.0, 0.99, 0.995, 1.0]);
    let tables = ScenarioTables::for_scenario(&s);
    for (value, accepts) in [(1, false), (2, true)] {
        let mut p = ParsAgent::default();
        p.init(&info(0, &s, &tables, 9, 7)).unwrap();
        p.observe(1, &Action::Offer(Outcome(vec![value])), &st);
        assert_eq!(p.act(&st) == Action::Accept, accepts, "value {value}");
    }
}

/// The original inserts a bid others accepted at the last index whose entry is worth at most
/// as much (not the first): bids worth 0.7, 0.8, 0.9, accepted in that order, are listed
/// 0.8, 0.9, 0.7 (0.8 goes before 0.7; 0.9 before the last entry worth at most 0.9, 0.7).
#[test]
fn accepted_bids_are_listed_as_the_original_does() {
    let s = crate::testutil::single_issue(&[0.0, 0.7, 0.8, 0.9]);
    let tables = ScenarioTables::for_scenario(&s);
    let mut p = ParsAgent::default();
    p.init(&info(0, &s, &tables, 9, 7)).unwrap();
    let st = state(0.1, None);
    for v in [1, 2, 3] {
        p.observe(1, &Action::Offer(Outcome(vec![v])), &st);
        p.observe(2, &Action::Accept, &st);
    }
    let listed: Vec<u32> = p
        .state
        .as_ref()
        .unwrap()
        .accepted
        .iter()
        .map(|(o, _)| o.0[0])
        .collect();
    assert_eq!(listed, [2, 3, 1]);
}

/// An accept seen before any offer leaves the original a null entry: its next accept
/// throws (GENIUS ends the session with the error); detente's port panics, which the
/// protocol records as the party's fault.
#[test]
#[should_panic(expected = "null entry")]
fn an_accept_before_any_offer_fails_as_the_original_does() {
    let s = three_parties();
    let tables = ScenarioTables::for_scenario(&s);
    let mut p = ParsAgent::default();
    p.init(&info(0, &s, &tables, 9, 7)).unwrap();
    let st = state(0.2, None);
    p.observe(1, &Action::Accept, &st);
    p.observe(2, &offer([0, 1]), &st);
    // Its bid falls back to the best bid with one issue redrawn (a feasible outcome).
    assert!(matches!(p.act(&st), Action::Offer(_)));
    p.observe(1, &Action::Accept, &st);
}
