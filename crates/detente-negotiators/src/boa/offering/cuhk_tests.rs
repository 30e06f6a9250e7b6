//! CUHKAgent's rules on hand-computed examples: one issue of four values, worth 1, 0.565, 0.5
//! and 0 to party 0.

use detente_core::{Scenario, ScenarioTables};

use super::CuhkAgentOffering;
use crate::boa::acceptance::{AcceptanceStrategy, CuhkAgentAcceptance, Decision};
use crate::boa::context::{Bid, Context, History, Setup};
use crate::boa::java_random::Seeds;
use crate::boa::models::Models;
use crate::boa::offering::OfferingStrategy;
use crate::boa::offering::cuhk_state::{CuhkAgentState, Tracker, initial_concede};
use crate::boa::oms::BestBid;
use crate::boa::space::OwnSpace;
use crate::testutil::single_issue;

fn scenario(discount: f64, reservation: f64) -> Scenario {
    let mut s = single_issue(&[1.0, 0.565, 0.5, 0.0]);
    s.parties[0].preferences.discount = discount;
    s.parties[0].preferences.reservation = reservation;
    s
}

fn bid(id: u64, utility: f64, party: usize) -> Bid {
    Bid {
        id,
        utility,
        time: 0.5,
        party,
    }
}

/// Runs `f` with a set-up offering strategy and acceptance condition (seed 1, 10 rounds).
fn with_agent<R>(
    s: &Scenario,
    f: impl FnOnce(&OwnSpace, &mut CuhkAgentOffering, &mut CuhkAgentAcceptance, &Setup<'_>) -> R,
) -> R {
    let tables = ScenarioTables::for_scenario(s);
    let info = crate::testutil::info(0, s, &tables, 10, 1);
    let space = OwnSpace::new(&info).unwrap();
    let seeds = Seeds::new(1);
    let setup = Setup {
        info: &info,
        space: &space,
        seeds: &seeds,
    };
    let mut offering = CuhkAgentOffering::default();
    offering.init(&setup).unwrap();
    let mut acceptance = CuhkAgentAcceptance::default();
    acceptance.init(&setup).unwrap();
    f(&space, &mut offering, &mut acceptance, &setup)
}

fn context<'a>(space: &'a OwnSpace, history: &'a History, models: &'a Models) -> Context<'a> {
    Context {
        time: 0.5,
        space,
        history,
        models,
        party: 0,
        round: 5,
        deadline: 10,
        shared: None,
    }
}

/// Bins of 0.01: the best outcome goes into the top bin first and again when enumerated; a
/// bound is cut to its bin as Java's `(int)` cuts it, so `0.57 / 0.01 = 56.99...` starts at
/// bin 56 (0.565 included) and `0.58 / 0.01 = 57.99...` at bin 57.
#[test]
fn cuhk_bins_by_hand() {
    with_agent(&scenario(1.0, 0.0), |_, offering, _, _| {
        assert_eq!(offering.bins.len(), 100);
        assert_eq!(offering.bins[99], [0, 0]);
        assert_eq!(offering.bins[56], [1]);
        assert_eq!(
            offering.bins[49],
            [2],
            "0.5 lies on the boundary: the lower bin"
        );
        assert_eq!(offering.bins[0], [3]);
        assert_eq!(offering.between(0.57, 1.0), [1, 0, 0]);
        assert_eq!(offering.between(0.58, 1.0), [0, 0]);
        assert_eq!(offering.between(1.0, 1.0), [0], "none: its best");
    });
}

/// The concession time is `0.08 + 0.92 d^β`: 1 undiscounted, `0.08 + 0.92 · 0.5^1.2` for
/// `d = 0.5` (not above 0.5, so `β = 1.2`); at time 0.2 the threshold is `1 - (1 - 0.5^(1 - c)) (0.2 / c)^2`, after `c` it
/// is `0.5^(1 - t)`. Three distinct opponent bids make the toughness `0.3^2`, which moves
/// the concession time by `0.1 (1 - c) 0.09^10`.
#[test]
fn cuhk_threshold_by_hand() {
    assert_eq!(initial_concede(1.0), 1.0);
    let c = 0.08 + 0.92 * 0.5f64.powf(1.2);
    assert_eq!(initial_concede(0.6), 0.08 + 0.92 * 0.6f64.powf(1.5));
    assert_eq!(initial_concede(0.5), c);
    let s = scenario(0.5, 0.0);
    with_agent(&s, |space, _, _, setup| {
        let mut tracker = Tracker::new(setup);
        let floor = 0.5 / 0.5f64.powf(c);
        let want = 1.0 - (1.0 - floor) * (0.2 / c) * (0.2 / c);
        assert!((tracker.lowest_bid(0.2) - want).abs() < 1e-12);
        assert!((tracker.lowest_bid(0.7) - 0.5f64.powf(0.3)).abs() < 1e-12);
        for id in [3, 2, 1, 2] {
            tracker.observe(space, id);
        }
        assert_eq!(tracker.history.concession_degree(), 0.3 * 0.3);
        let moved = c + 0.1 * (1.0 - c) * (0.3f64 * 0.3).powf(10.0);
        assert_eq!(tracker.state.concede, moved);
        assert_eq!(tracker.state.best_offered, Some(1));
    });
}

/// `ChooseBid` without a model: the opponent offered value 1 twice and value 2 once, so among
/// outcomes 0, 1, 2 (sums 0, 2, 1) the first, its sum tying the start 0, is taken on a coin
/// (the call's new generator's first draw below 0.5), outcome 1 beats it, outcome 2 does not;
/// then a second draw below 0.95 keeps outcome 1, else a third picks any.
#[test]
fn cuhk_choice_by_hand() {
    with_agent(&scenario(1.0, 0.0), |space, offering, _, _| {
        let tracker = offering.tracker.as_mut().unwrap();
        for id in [1, 1, 2] {
            tracker.observe(space, id);
        }
        let history = History::default();
        let models = Models::default();
        let cx = context(space, &history, &models);
        // The replica's generators: the bins' (taken at init), then this call's.
        let replica = Seeds::new(1);
        let _bins = replica.next_random();
        let mut rng = replica.next_random();
        let _coin = rng.next_double();
        let want = if rng.next_double() < 0.95 {
            1
        } else {
            [0, 1, 2][rng.next_int(3) as usize]
        };
        let mut oms = BestBid::new(1.1);
        assert_eq!(offering.choose(&cx, &mut oms, vec![0, 1, 2]), want);
    });
}

/// The acceptance condition: an offer at its threshold or next bid; one within 0.01 of the
/// opponent's best offer when that beats the threshold; nothing before its first bid after
/// the opponent's; and with a reservation value at the threshold it walks away (accepting
/// instead an offer both accept and beat the reservation value).
#[test]
fn cuhk_acceptance_by_hand() {
    let models = Models::default();
    let mut history = History::default();
    history.push_sent(bid(0, 1.0, 0));
    let next = bid(0, 1.0, 0);
    let state = |threshold: f64| CuhkAgentState {
        threshold,
        concede: 0.9,
        max_utility: 1.0,
        best_offered: Some(1),
    };
    with_agent(&scenario(1.0, 0.0), |space, _, ac, _| {
        let mut cx = context(space, &history, &models);
        let high = state(0.9);
        cx.shared = Some(&high);
        assert_eq!(ac.decide(&cx, &bid(9, 0.9, 1), &next), Decision::Accept);
        assert_eq!(ac.decide(&cx, &bid(1, 0.565, 1), &next), Decision::Reject);
        let low = state(0.56);
        cx.shared = Some(&low);
        assert_eq!(ac.decide(&cx, &bid(9, 0.556, 1), &next), Decision::Accept);
        assert_eq!(ac.decide(&cx, &bid(9, 0.554, 1), &next), Decision::Reject);
        let empty = History::default();
        cx.history = &empty;
        assert_eq!(ac.decide(&cx, &bid(9, 0.9, 1), &next), Decision::Reject);
        // Alone, undiscounted with 4 outcomes: its own threshold stays at its best (1), so
        // only an offer at least its next bid passes.
        cx.history = &history;
        cx.shared = None;
        assert_eq!(ac.decide(&cx, &bid(1, 0.565, 1), &next), Decision::Reject);
        let lower = bid(2, 0.5, 0);
        assert_eq!(ac.decide(&cx, &bid(1, 0.565, 1), &lower), Decision::Accept);
    });
    with_agent(&scenario(1.0, 0.9), |space, _, ac, _| {
        let mut cx = context(space, &history, &models);
        let high = state(0.9);
        cx.shared = Some(&high);
        assert_eq!(ac.decide(&cx, &bid(1, 0.565, 1), &next), Decision::End);
        assert_eq!(ac.decide(&cx, &bid(9, 0.95, 1), &next), Decision::Accept);
        assert_eq!(ac.decide(&cx, &bid(9, 0.9, 1), &next), Decision::End);
    });
}
