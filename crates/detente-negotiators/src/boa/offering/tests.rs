//! The ported agents' rules on hand-computed examples: one issue of three values, worth 1,
//! 0.5 and 0 to party 0.

use detente_core::ScenarioTables;

use super::agent_k::{AgentKState, Version};
use super::hardheaded::{HardHeadedOffering, HardHeadedState};
use crate::boa::acceptance::{AcceptanceStrategy, Decision, HardHeadedAcceptance};
use crate::boa::context::{Bid, Context, History};
use crate::boa::java_random::JavaRandom;
use crate::boa::models::Models;
use crate::boa::space::OwnSpace;
use crate::testutil::single_issue;

fn with_space<R>(f: impl FnOnce(&OwnSpace) -> R) -> R {
    let s = single_issue(&[1.0, 0.5, 0.0]);
    let tables = ScenarioTables::for_scenario(&s);
    let info = crate::testutil::info(0, &s, &tables, 10, 3);
    f(&OwnSpace::new(&info).unwrap())
}

fn bid(id: u64, utility: f64, time: f64, party: usize) -> Bid {
    Bid {
        id,
        utility,
        time,
        party,
    }
}

fn context<'a>(
    space: &'a OwnSpace,
    history: &'a History,
    models: &'a Models,
    t: f64,
) -> Context<'a> {
    Context {
        time: t,
        space,
        history,
        models,
        party: 0,
        round: 0,
        deadline: 10,
        shared: None,
    }
}

/// One offer of utility 0.5 at time 0.5: mean 0.5, deviation 0, so the estimated maximum is
/// 0.5; alpha = 1 + 2 + 10 * 0.5 - 2 * 2 * 0.5 = 6; the pre-target 1 - 0.5^6 * 0.5 =
/// 0.9921875 gives the ratio 0.1 / 0.0078125 = 12.8, capped at 2, so the raw target is
/// 2 * 0.9921875 - 1 = 0.984375; it lies r = 0.484375 above the estimate, and with
/// m = 400 - 300 * 0.5^3 = 362.5 and f = 1 / r^2 < m it falls by r f / m = 1 / (r m). The
/// acceptance probability is 0.5^6 / 5 + (0.5 - 0.5) + (0.5 - target).
#[test]
fn agent_k_targets_by_hand() {
    with_space(|space| {
        let mut history = History::default();
        history.push_received(bid(1, 0.5, 0.5, 1));
        let models = Models::default();
        let cx = context(space, &history, &models, 0.5);
        let mut state = AgentKState::new(Version::K, JavaRandom::new(42));
        let p = state.update(&cx);
        let r: f64 = 0.484375;
        let target = 0.984375 - 1.0 / (r * 362.5);
        assert!(
            (state.target() - target).abs() < 1e-12,
            "{}",
            state.target()
        );
        let want_p = 0.5f64.powi(6) / 5.0 + (0.5 - target);
        assert_eq!(p, 0.0, "{want_p} is below 0.1, so the probability is 0");
        assert!(want_p < 0.1);
        // beta = alpha + 0.7275636800328681 * 2 - 1 (the first draw of Random(42)).
        let beta = 6.0 + 0.727_563_680_032_868_1 * 2.0 - 1.0;
        let pre2 = 1.0 - 0.5f64.powf(beta) * 0.5;
        let raw2 = 2.0 * pre2 - 1.0;
        let r2 = raw2 - 0.5;
        let f2 = (1.0 / (r2 * r2)).min(362.5);
        assert!((state.bid_target() - (raw2 - r2 * f2 / 362.5)).abs() < 1e-12);
    });
}

/// GENIUS's bid list keys each outcome by its utility less 1e-8 per place in the pass; the
/// target starts at 0.585 + 0.95 (1 - 0.585) and, at t = 0.5 (no discount), is
/// 0.585 + (1 - 0.05 - 0.95 * 0.5^20) * 0.415.
#[test]
fn hardheaded_targets_by_hand() {
    with_space(|space| {
        let mut h = HardHeadedOffering::new(0.05, 0.05, 0.585);
        let s = single_issue(&[1.0, 0.5, 0.0]);
        let tables = ScenarioTables::for_scenario(&s);
        let info = crate::testutil::info(0, &s, &tables, 10, 3);
        let seeds = crate::boa::java_random::Seeds::new(1);
        let setup = crate::boa::context::Setup {
            info: &info,
            space,
            seeds: &seeds,
        };
        super::OfferingStrategy::init(&mut h, &setup).unwrap();
        assert!((h.target(0.0) - (0.585 + 0.95 * 0.415)).abs() < 1e-12);
        let at_half = 0.585 + (1.0 - 0.05 - 0.95 * 0.5f64.powi(20)) * 0.415;
        assert!((h.target(0.5) - at_half).abs() < 1e-12);
        // The offset accumulates as GENIUS's does (-1e-8 three times is not exactly -3e-8).
        let d1 = -0.000_000_01;
        let d2 = d1 - 0.000_000_01;
        let d3 = d2 - 0.000_000_01;
        assert_eq!(h.listed(), vec![(d3, 2), (0.5 + d2, 1), (1.0 + d1, 0)]);
    });
}

/// Paired with HardHeaded's offering, the condition compares with the lowest utility offered
/// before the previous turn (one turn late) and with the key of its next bid.
#[test]
fn hardheaded_acceptance_reads_the_lowest_bid_one_turn_late() {
    with_space(|space| {
        let history = History::default();
        let models = Models::default();
        let mut ac = HardHeadedAcceptance::default();
        let mut decide = |lowest: f64, next_key: f64, offered: f64| {
            let shared = HardHeadedState {
                lowest_yet: lowest,
                next_key,
            };
            let mut cx = context(space, &history, &models, 0.5);
            cx.shared = Some(&shared);
            ac.decide(&cx, &bid(1, offered, 0.5, 1), &bid(0, 1.0, 0.5, 0))
        };
        // Turn 1: prev stays 1; 0.9 is neither above 1 nor at least the next key 0.95.
        assert_eq!(decide(0.95, 0.95, 0.9), Decision::Reject);
        // Turn 2: prev becomes 0.95 (the lowest of the turn before), so 0.96 passes.
        assert_eq!(decide(0.8, 0.97, 0.96), Decision::Accept);
        // Turn 3: prev is 0.8; 0.79 is below it and below the next key.
        assert_eq!(decide(0.8, 0.8, 0.79), Decision::Reject);
        // An offer at least as good as the next key passes.
        assert_eq!(decide(0.8, 0.7, 0.7), Decision::Accept);
    });
}

/// Nice Tit for Tat on one issue worth 1, 0.8, 0.5, 0 to itself and the reverse to its
/// opponent, modelled perfectly. The frontier's Nash products are 0, 0.4, 0.4 and 0: the tie
/// goes to the lower own utility, 0.5 (GENIUS's frontier is sorted by it), scaled by 1.4 on
/// the first turn (no gap known yet): 0.7. The opponent opened at 0.5 and has not conceded,
/// so the target is 1 less the bonus 0.1 (undiscounted) of the gap 0.3 to the Nash utility:
/// 0.97, and only the best outcome lies in [0.9506, 1.02]. Then the opponent offers 0.8: the
/// gap is 1 - 0.5, the Nash utility 0.5 (1.4 - 0.3) = 0.55, the opponent came 0.3 / 0.05
/// (capped at 1) of the way, so the target is 0.55; the window widens until it holds the
/// outcomes worth 1 and 0.8, the model prefers the latter, which the opponent has offered.
#[test]
fn nice_tit_for_tat_targets_by_hand() {
    use super::OfferingStrategy;
    use super::nice_tit_for_tat::NiceTitForTatOffering;
    use crate::boa::oms::BestBid;
    let s = single_issue(&[1.0, 0.8, 0.5, 0.0]);
    let tables = ScenarioTables::for_scenario(&s);
    let info = crate::testutil::info(0, &s, &tables, 10, 3);
    let space = OwnSpace::new(&info).unwrap();
    let kinds = crate::boa::models::kinds();
    let spec = detente_core::registry::Spec::parse("model", "perfect").unwrap();
    let models = Models::new(&kinds, &spec, &info, &space).unwrap();
    let seeds = crate::boa::java_random::Seeds::new(1);
    let setup = crate::boa::context::Setup {
        info: &info,
        space: &space,
        seeds: &seeds,
    };
    let mut offering = NiceTitForTatOffering::default();
    offering.init(&setup).unwrap();
    let mut oms = BestBid::new(1.1);
    let mut history = History::default();
    history.push_sent(bid(0, 1.0, 0.0, 0));
    history.push_received(bid(2, 0.5, 0.005, 1));
    let cx = context(&space, &history, &models, 0.5);
    assert_eq!(offering.next_bid(&cx, &mut oms), super::Offering::Bid(0));
    assert!((offering.nash_utility() - 0.7).abs() < 1e-12);
    history.push_received(bid(1, 0.8, 0.6, 1));
    let cx = context(&space, &history, &models, 0.6);
    assert_eq!(offering.next_bid(&cx, &mut oms), super::Offering::Bid(1));
    assert!((offering.nash_utility() - 0.55).abs() < 1e-12);
}

/// AC_NiceTitForTat: before 0.98 only AC_next; after, an offer of 0.6 is turned down while a
/// better one (0.7) came in the time left (the expected best of waiting is 0.7), and taken
/// when none did; an offer at least as good as the next bid is still turned down when the
/// opponent made more than one offer in the time left and a better one among all.
#[test]
fn nice_tit_for_tat_acceptance_by_hand() {
    use crate::boa::acceptance::NiceTitForTatAcceptance;
    with_space(|space| {
        let models = Models::default();
        let mut ac = NiceTitForTatAcceptance;
        let mut decide = |received: &[(f64, f64)], t: f64, offered: f64, next: f64| {
            let mut history = History::default();
            for &(u, time) in received {
                history.push_received(bid(1, u, time, 1));
            }
            let cx = context(space, &history, &models, t);
            ac.decide(&cx, &bid(1, offered, t, 1), &bid(0, next, t, 0))
        };
        assert_eq!(decide(&[(0.6, 0.5)], 0.5, 0.6, 0.9), Decision::Reject);
        assert_eq!(
            decide(&[(0.7, 0.985), (0.6, 0.99)], 0.99, 0.6, 0.9),
            Decision::Reject
        );
        assert_eq!(
            decide(&[(0.7, 0.5), (0.6, 0.99)], 0.99, 0.6, 0.9),
            Decision::Accept
        );
        assert_eq!(decide(&[(0.6, 0.5)], 0.5, 0.6, 0.6), Decision::Accept);
        assert_eq!(
            decide(&[(0.9, 0.1), (0.5, 0.45), (0.6, 0.5)], 0.5, 0.6, 0.6),
            Decision::Reject
        );
    });
}

/// AC_IAMHaggler2011: 1.02 times the offer against its last bid, its next bid and 0.9.
#[test]
fn iam_haggler_acceptance_by_hand() {
    use crate::boa::acceptance::IamHagglerAcceptance;
    with_space(|space| {
        let models = Models::default();
        let mut ac = IamHagglerAcceptance;
        let mut decide = |last: Option<f64>, offered: f64, next: f64| {
            let mut history = History::default();
            if let Some(u) = last {
                history.push_sent(bid(0, u, 0.1, 0));
            }
            let cx = context(space, &history, &models, 0.5);
            ac.decide(&cx, &bid(1, offered, 0.5, 1), &bid(0, next, 0.5, 0))
        };
        assert_eq!(decide(None, 0.95, 0.5), Decision::Reject);
        // 0.8 * 1.02 = 0.816: above the last bid 0.81.
        assert_eq!(decide(Some(0.81), 0.8, 0.95), Decision::Accept);
        // Below 0.82 (last), 0.85 (next) and 0.9.
        assert_eq!(decide(Some(0.82), 0.8, 0.85), Decision::Reject);
        // 0.89 * 1.02 = 0.9078 > 0.9.
        assert_eq!(decide(Some(1.0), 0.89, 1.0), Decision::Accept);
    });
}

/// AgentLG on one issue worth 1, 0.8, 0.5, 0 to itself. The opponent's first bid is worth 0,
/// so it lists the outcomes above 1 - 0.75 (1 - 0) = 0.25: those worth 1, 0.8 and 0.5. At
/// 0.05 it offers the best, the range being that one alone. At 0.15 (0.1 after the start),
/// as the next listed outcome (0.8) is above a quarter of the gap (0.75), it widens the range
/// past the outcomes worth as much as its end: to the one worth 0.8, and offers the best again;
/// at 0.2 the one worth 0.8, then starts over. The acceptance condition takes an offer at
/// least as good as the range's end (0.8), or near its last bid.
#[test]
fn agent_lg_range_by_hand() {
    use super::OfferingStrategy;
    use super::agent_lg::AgentLgOffering;
    use crate::boa::acceptance::AgentLgAcceptance;
    use crate::boa::oms::BestBid;
    let s = single_issue(&[1.0, 0.8, 0.5, 0.0]);
    let tables = ScenarioTables::for_scenario(&s);
    let info = crate::testutil::info(0, &s, &tables, 10, 3);
    let space = OwnSpace::new(&info).unwrap();
    let models = Models::default();
    let seeds = crate::boa::java_random::Seeds::new(1);
    let setup = crate::boa::context::Setup {
        info: &info,
        space: &space,
        seeds: &seeds,
    };
    let mut lg = AgentLgOffering::default();
    lg.init(&setup).unwrap();
    let mut oms = BestBid::new(1.1);
    let mut history = History::default();
    history.push_sent(bid(0, 1.0, 0.0, 0));
    let mut turn = |history: &mut History, t: f64| {
        history.push_received(bid(3, 0.0, t, 1));
        let cx = context(&space, history, &models, t);
        let offer = lg.next_bid(&cx, &mut oms);
        let super::Offering::Bid(id) = offer else {
            panic!("{offer:?}")
        };
        history.push_sent(bid(id, space.utility(id), t, 0));
        let shared = *lg
            .shared()
            .unwrap()
            .downcast_ref::<super::agent_lg::AgentLgState>()
            .unwrap();
        (id, shared.min_utility)
    };
    assert_eq!(turn(&mut history, 0.05), (0, Some(1.0)));
    assert_eq!(turn(&mut history, 0.15), (0, Some(0.8)));
    assert_eq!(turn(&mut history, 0.2), (1, Some(0.8)));
    assert_eq!(turn(&mut history, 0.25), (0, Some(0.8)));
    let shared = super::agent_lg::AgentLgState {
        min_utility: Some(0.8),
    };
    let mut cx = context(&space, &history, &models, 0.3);
    cx.shared = Some(&shared);
    let mut ac = AgentLgAcceptance;
    let next = bid(0, 1.0, 0.3, 0);
    assert_eq!(
        ac.decide(&cx, &bid(1, 0.8, 0.3, 1), &next),
        Decision::Accept
    );
    assert_eq!(
        ac.decide(&cx, &bid(2, 0.5, 0.3, 1), &next),
        Decision::Reject
    );
}

/// TheNegotiatorReloaded on one issue worth 1, 0.8, 0.5, 0 to itself and the reverse to its
/// opponent, modelled perfectly: the frontier's points are (1, 0), (0.8, 0.5), (0.5, 0.8),
/// (0, 1); the least asymmetric are worth 0.8 and 0.5 to itself (both 0.3 apart), and the
/// lower wins, so at the end of the first window its curve runs down to 0.5. Undiscounted,
/// its exponent is 0.05: at time 0.02 it still bids its best.
#[test]
fn negotiator_reloaded_kalai_by_hand() {
    use super::OfferingStrategy;
    use super::negotiator_reloaded::NegotiatorReloadedOffering;
    use crate::boa::oms::BestBid;
    let s = single_issue(&[1.0, 0.8, 0.5, 0.0]);
    let tables = ScenarioTables::for_scenario(&s);
    let info = crate::testutil::info(0, &s, &tables, 10, 3);
    let space = OwnSpace::new(&info).unwrap();
    let kinds = crate::boa::models::kinds();
    let spec = detente_core::registry::Spec::parse("model", "perfect").unwrap();
    let models = Models::new(&kinds, &spec, &info, &space).unwrap();
    let seeds = crate::boa::java_random::Seeds::new(1);
    let setup = crate::boa::context::Setup {
        info: &info,
        space: &space,
        seeds: &seeds,
    };
    let mut offering = NegotiatorReloadedOffering::default();
    offering.init(&setup).unwrap();
    let mut oms = BestBid::new(1.1);
    let mut history = History::default();
    history.push_sent(bid(0, 1.0, 0.0, 0));
    history.push_received(bid(3, 0.0, 0.01, 1));
    let cx = context(&space, &history, &models, 0.02);
    assert_eq!(offering.next_bid(&cx, &mut oms), super::Offering::Bid(0));
    assert_eq!(offering.min_target(), 0.5);
    // Its acceptance condition (undiscounted, reservation 0): AC_next, or 0.98.
    let registry = crate::boa::acceptance::kinds();
    let mut ac = registry
        .create(&detente_core::registry::Spec::new("ac-negotiator-reloaded"))
        .unwrap();
    ac.init(&setup).unwrap();
    let next = bid(1, 0.8, 0.5, 0);
    assert_eq!(
        ac.decide(&cx, &bid(2, 0.5, 0.5, 1), &next),
        Decision::Reject
    );
    assert_eq!(
        ac.decide(&cx, &bid(1, 0.8, 0.5, 1), &next),
        Decision::Accept
    );
    // A next bid worth no more than the reservation value (0) ends the talks.
    let worthless = bid(3, 0.0, 0.5, 0);
    assert_eq!(
        ac.decide(&cx, &bid(2, 0.5, 0.5, 1), &worthless),
        Decision::End
    );
}

/// BRAMAgent's threshold lies 7%, 15%, 30% and 80% of the way from the best (1) to the lowest
/// listed utility (0), before times 1/3, 5/6, 35/36 and after.
#[test]
fn bram_agent_threshold_by_hand() {
    use super::bram_agent::threshold;
    with_space(|space| {
        for (t, want) in [(0.2, 0.93), (0.5, 0.85), (0.9, 0.7), (0.99, 0.2)] {
            assert!((threshold(space, t, 0.0, 1.0) - want).abs() < 1e-12, "{t}");
        }
        // Between 0.5 and 1 at time 0.5: 1 - 0.5 * 0.15.
        assert!((threshold(space, 0.5, 0.5, 1.0) - 0.925).abs() < 1e-12);
    });
}

/// With value counts 3, 7, 0 in the window, a draw `d` of `nextInt(10)` picks the first value
/// when `d < 3`, else the second: `new Random(42)` draws 0, 3, 8, 4, 0.
#[test]
fn bram_agent_draws_values_as_often_as_offered() {
    use super::bram_agent::BramAgentOffering;
    with_space(|space| {
        let mut rng = JavaRandom::new(42);
        let drawn: Vec<u64> = (0..5)
            .map(|_| {
                let id = BramAgentOffering::drawn_from(vec![vec![3, 7, 0]], rng.clone(), space);
                rng.next_int(10);
                id
            })
            .collect();
        assert_eq!(drawn, [0, 1, 1, 1, 0]);
    });
}

/// BRAMAgent on one issue worth 1, 0.8, 0.5, 0, the opponent always offering the worst: it
/// bids its best until it has 10 offers; then the bids built from them (worth 0) never beat
/// its threshold, so it draws its list (every outcome, best first; steps of -1, 0, 1 as the
/// list is short). On that turn the threshold is still its best (the list's lowest was its
/// best), so it bids its best; at time 0.5 the threshold is 0.85 (the step to 0.8 falls
/// below it: its best again); at time 0.9 it is 0.7, and a step of +1 (the step generator's
/// third draw, `nextInt(3) - 1`) bids 0.8. Its acceptance condition takes an offer at the
/// threshold (0.7) and turns down one below it and below its next bid.
#[test]
fn bram_agent_list_by_hand() {
    use super::OfferingStrategy;
    use super::bram_agent::{BramAgentOffering, BramAgentState};
    use crate::boa::acceptance::BramAgentAcceptance;
    use crate::boa::java_random::Seeds;
    use crate::boa::oms::BestBid;
    let s = single_issue(&[1.0, 0.8, 0.5, 0.0]);
    let tables = ScenarioTables::for_scenario(&s);
    let info = crate::testutil::info(0, &s, &tables, 10, 3);
    let space = OwnSpace::new(&info).unwrap();
    let models = Models::default();
    let seeds = Seeds::new(1);
    let setup = crate::boa::context::Setup {
        info: &info,
        space: &space,
        seeds: &seeds,
    };
    let mut bram = BramAgentOffering::new(1000);
    bram.init(&setup).unwrap();
    let mut oms = BestBid::new(1.1);
    let mut history = History::default();
    let mut turn = |bram: &mut BramAgentOffering, history: &mut History, t: f64| {
        history.push_received(bid(3, 0.0, t, 1));
        let cx = context(&space, history, &models, t);
        let super::Offering::Bid(id) = bram.next_bid(&cx, &mut oms) else {
            panic!("no bid")
        };
        history.push_sent(bid(id, space.utility(id), t, 0));
        let state = *bram
            .shared()
            .unwrap()
            .downcast_ref::<BramAgentState>()
            .unwrap();
        (id, state.threshold)
    };
    for k in 0..10 {
        assert_eq!(turn(&mut bram, &mut history, 0.01 * f64::from(k)), (0, 1.0));
    }
    assert_eq!(turn(&mut bram, &mut history, 0.2), (0, 1.0));
    assert_eq!(bram.listed(), [0, 1, 2, 3]);
    let (id, threshold) = turn(&mut bram, &mut history, 0.5);
    assert_eq!(id, 0);
    assert!((threshold - 0.85).abs() < 1e-12);
    // The generators in GENIUS's order: the window's, the list's, the steps'.
    let replica = Seeds::new(1);
    let (_, _, mut steps) = (
        replica.next_random(),
        replica.next_random(),
        replica.next_random(),
    );
    let (_, _, third) = (steps.next_int(3), steps.next_int(3), steps.next_int(3));
    let (id, threshold) = turn(&mut bram, &mut history, 0.9);
    assert!((threshold - 0.7).abs() < 1e-12);
    assert_eq!(id, if third == 2 { 1 } else { 0 }, "step {}", third - 1);
    let state = BramAgentState { threshold: 0.7 };
    let mut cx = context(&space, &history, &models, 0.9);
    cx.shared = Some(&state);
    let mut ac = BramAgentAcceptance;
    let best = bid(0, 1.0, 0.9, 0);
    assert_eq!(
        ac.decide(&cx, &bid(1, 0.8, 0.9, 1), &best),
        Decision::Accept
    );
    assert_eq!(
        ac.decide(&cx, &bid(2, 0.5, 0.9, 1), &best),
        Decision::Reject
    );
    assert_eq!(
        ac.decide(&cx, &bid(2, 0.5, 0.9, 1), &bid(2, 0.5, 0.9, 0)),
        Decision::Accept
    );
    // Alone, between its worst (0) and best (1) at time 0.9: 0.7.
    cx.shared = None;
    assert_eq!(
        ac.decide(&cx, &bid(2, 0.5, 0.9, 1), &best),
        Decision::Reject
    );
    assert_eq!(
        ac.decide(&cx, &bid(1, 0.8, 0.9, 1), &best),
        Decision::Accept
    );
}
