use super::*;
use crate::testutil::{info, pie, state};
use detente_core::{Actor, Offer, ScenarioTables};

fn started(s: &detente_core::Scenario, tables: &ScenarioTables) -> Kawaii {
    let mut k = Kawaii::new();
    k.init(&info(0, s, tables, 100, 7)).unwrap();
    k
}

/// The threshold by hand: `1 - 0.2 t²`, at least 0.8; the accepts heard since the last
/// computation pull it towards 0.8 by their share of the other parties, once.
#[test]
fn threshold_by_hand() {
    let s = pie(0.0);
    let tables = ScenarioTables::for_scenario(&s);
    let mut k = started(&s, &tables);
    let st = k.state.as_mut().unwrap();
    assert_eq!(st.threshold(0.0), 1.0);
    assert!((st.threshold(0.5) - 0.95).abs() < 1e-15);
    assert_eq!(st.threshold(1.0), 0.8);
    // Three parties, one of the two others accepted: 0.95 - 0.15 / 2.
    st.parties = 3;
    st.accepted = vec![None; 3];
    st.opponents = vec![1, 2];
    st.accepted[1] = Some(true);
    st.accepted[2] = Some(false);
    assert!((st.threshold(0.5) - 0.875).abs() < 1e-15);
    // Forgotten once computed.
    assert!((st.threshold(0.5) - 0.95).abs() < 1e-15);
    // Discounted, floored at 0.8.
    st.df = 0.5;
    assert_eq!(st.threshold(0.5), 0.8);
}

/// It accepts the last offer heard at or above its threshold, and offers an outcome at or
/// above the threshold otherwise (the pie's best is 10, worth 1).
#[test]
fn accepts_at_the_threshold_and_offers_above_it() {
    let s = pie(0.0);
    let tables = ScenarioTables::for_scenario(&s);
    let mut k = started(&s, &tables);
    assert_eq!(k.state.as_ref().unwrap().max_bid, vec![10]);
    let good = Offer {
        outcome: Outcome(vec![9]),
        by: Actor::Party(1),
    };
    k.observe(1, &Action::Offer(Outcome(vec![9])), &state(0.5, None));
    // 0.9 < 0.95 at t = 0.5: an offer worth at least 0.95, i.e. 10.
    assert_eq!(
        k.act(&state(0.5, Some(&good))),
        Action::Offer(Outcome(vec![10]))
    );
    // At t = 0.8 the threshold is 1 - 0.2 * 0.64 = 0.872: 0.9 is accepted.
    assert_eq!(k.act(&state(0.8, Some(&good))), Action::Accept);
}

/// The same seed gives the same offers; the start's annealing finds the best outcome.
#[test]
fn deterministic_for_a_seed() {
    let s = crate::testutil::one_issue(&[0.1, 0.5, 0.9, 1.0, 0.7], 4);
    let tables = ScenarioTables::for_scenario(&s);
    let offers = |seed| {
        let mut k = Kawaii::new();
        k.init(&info(0, &s, &tables, 100, seed)).unwrap();
        (0..20)
            .map(|i| k.act(&state(f64::from(i) / 20.0, None)))
            .collect::<Vec<_>>()
    };
    assert_eq!(offers(3), offers(3));
    for a in offers(3) {
        let Action::Offer(o) = a else { panic!("{a:?}") };
        assert!(s.parties[0].preferences.utility(&o) >= MIN_THRESHOLD);
    }
}
