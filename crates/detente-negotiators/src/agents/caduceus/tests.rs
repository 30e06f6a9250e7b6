use super::*;
use crate::testutil::{info, pie, state};
use detente_core::{Actor, Offer, ScenarioTables};

/// A member that always answers the same action, and counts what it hears.
struct Fixed {
    action: Action,
    heard: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Negotiator for Fixed {
    fn init(&mut self, _: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        Ok(())
    }
    fn act(&mut self, _: &State<'_>) -> Action {
        self.action.clone()
    }
    fn observe(&mut self, _: usize, _: &Action, _: &State<'_>) {
        self.heard
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

fn fixed(action: Action, score: f64) -> (Member, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let heard = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let m: Box<dyn Negotiator> = Box::new(Fixed {
        action,
        heard: heard.clone(),
    });
    ((m, score), heard)
}

fn offer(v: u32) -> Action {
    Action::Offer(Outcome(vec![v]))
}

fn portfolio(members: Vec<Action>, scores: &[f64], seed: u64) -> Caduceus {
    let s = pie(0.0);
    let tables = ScenarioTables::for_scenario(&s);
    let members = members
        .into_iter()
        .zip(scores)
        .map(|(a, &sc)| fixed(a, sc).0)
        .collect();
    let mut c = Caduceus::new(members);
    c.init(&info(0, &s, &tables, 100, seed)).unwrap();
    c
}

fn standing() -> Offer {
    Offer {
        outcome: Outcome(vec![4]),
        by: Actor::Party(1),
    }
}

/// Before `0.83 df` it offers its best bid (the pie's 10) whatever the members say.
#[test]
fn best_bid_phase() {
    let mut c = portfolio(vec![Action::Accept], &[1.0], 1);
    let st = standing();
    assert_eq!(c.act(&state(0.82, Some(&st))), offer(10));
    assert_eq!(c.act(&state(0.83, Some(&st))), Action::Accept);
}

/// The vote: accept when the accepting scores exceed the offering ones, offer when the
/// offering ones exceed; a tie (all end) offers the best bid. With GENIUS's scores
/// (500, 10, 5, 3, 1), ParsAgent alone outweighs the rest.
#[test]
fn the_vote_by_hand() {
    let st = standing();
    let at = |c: &mut Caduceus| c.act(&state(0.9, Some(&st)));
    let scores = GENIUS_SCORES;
    // ParsAgent accepts, the others offer 3: 500 > 19.
    let mut c = portfolio(
        vec![Action::Accept, offer(3), offer(3), offer(3), offer(3)],
        &scores,
        1,
    );
    assert_eq!(at(&mut c), Action::Accept);
    // ParsAgent offers 2, the others accept: 500 > 19, and the only bid is ParsAgent's.
    let mut c = portfolio(
        vec![
            offer(2),
            Action::Accept,
            Action::Accept,
            Action::Accept,
            Action::Accept,
        ],
        &scores,
        1,
    );
    assert_eq!(at(&mut c), offer(2));
    // Without ParsAgent: RandomDance (10) accepts, the rest (5 + 3 + 1 = 9) offer.
    let mut c = portfolio(
        vec![Action::Accept, offer(3), offer(3), offer(3)],
        &scores[1..],
        1,
    );
    assert_eq!(at(&mut c), Action::Accept);
    // Kawaii (5) accepts, Atlas3 (3) and the inner agent (1) offer: accept; 5 vs 3 + 1 + 1
    // (another member of score 1 offering): a tie of 5 and 5 offers the best bid.
    let mut c = portfolio(
        vec![Action::Accept, offer(3), offer(3)],
        &[5.0, 3.0, 1.0],
        1,
    );
    assert_eq!(at(&mut c), Action::Accept);
    let mut c = portfolio(
        vec![Action::Accept, offer(3), offer(3), offer(3)],
        &[5.0, 3.0, 1.0, 1.0],
        1,
    );
    assert_eq!(at(&mut c), offer(10));
    // Everyone ends: 0 = 0, the best bid.
    let mut c = portfolio(vec![Action::End, Action::End], &[5.0, 3.0], 1);
    assert_eq!(at(&mut c), offer(10));
    // Ends count for neither side: Kawaii ends, Atlas3 (3) accepts, the inner agent (1)
    // offers: accept.
    let mut c = portfolio(
        vec![Action::End, Action::Accept, offer(3)],
        &[5.0, 3.0, 1.0],
        1,
    );
    assert_eq!(at(&mut c), Action::Accept);
}

/// The draw: one `nextDouble` of `new Random(derive_seed(seed, 1))` against the offering
/// members' cumulative normalised scores, the first whose share exceeds it.
#[test]
fn the_draw_by_hand() {
    let st = standing();
    let seeds = Seeds::new(5);
    let _ = seeds.next_random();
    let mut rng = seeds.next_random();
    let draws: Vec<f64> = (0..50).map(|_| rng.next_double()).collect();
    // Offering members of scores 5, 3 and 1 (their shares 5/9, 3/9, 1/9), bids 1, 2, 3.
    let mut c = portfolio(vec![offer(1), offer(2), offer(3)], &[5.0, 3.0, 1.0], 5);
    for d in draws {
        let expected = if d < 5.0 / 9.0 {
            1
        } else if d < 5.0 / 9.0 + 3.0 / 9.0 {
            2
        } else {
            3
        };
        assert_eq!(c.act(&state(0.9, Some(&st))), offer(expected), "draw {d}");
    }
}

/// Every member hears every other party's action, also during the best-bid phase when it is
/// not asked.
#[test]
fn members_hear_everything() {
    let s = pie(0.0);
    let tables = ScenarioTables::for_scenario(&s);
    let (a, heard_a) = fixed(Action::Accept, 1.0);
    let (b, heard_b) = fixed(offer(3), 2.0);
    let mut c = Caduceus::new(vec![a, b]);
    c.init(&info(0, &s, &tables, 100, 1)).unwrap();
    for i in 0..4 {
        c.observe(1, &offer(i), &state(0.1, None));
    }
    assert_eq!(heard_a.load(std::sync::atomic::Ordering::Relaxed), 4);
    assert_eq!(heard_b.load(std::sync::atomic::Ordering::Relaxed), 4);
}

/// `genius_best` picks, among the best outcomes, the first in GENIUS's order.
#[test]
fn genius_best_takes_the_first_of_ties_in_genius_order() {
    let s = crate::testutil::one_issue(&[0.2, 1.0, 1.0], 3);
    let tables = ScenarioTables::for_scenario(&s);
    let mut own = Own::new(&info(0, &s, &tables, 10, 1), "t").unwrap();
    // Issue b is worth nothing: (1, 0) is first in GENIUS's order (the first issue fastest).
    assert_eq!(genius_best(&mut own, &s.space), vec![1, 0]);
}

/// Real members: Kawaii (5) and a hardliner (1). At `t = 0.9` Kawaii's threshold is
/// `1 - 0.2 * 0.81 = 0.838`: it accepts an offer worth 0.9 and outvotes the hardliner; it
/// rejects one worth 0.5 and both offer, Kawaii's bid (worth at least 0.838) drawn when the
/// draw is below 5/6, the hardliner's best (10) otherwise.
#[test]
fn the_vote_and_the_draw_with_real_members() {
    let s = pie(0.0);
    let tables = ScenarioTables::for_scenario(&s);
    let make = || {
        let mut c = Caduceus::new(vec![
            (Box::new(Kawaii::new()), 5.0),
            (Box::new(crate::Hardliner::new()), 1.0),
        ]);
        c.init(&info(0, &s, &tables, 100, 9)).unwrap();
        c
    };
    let at = |v: u32| Offer {
        outcome: Outcome(vec![v]),
        by: Actor::Party(1),
    };
    let mut c = make();
    c.observe(1, &offer(9), &state(0.9, None));
    assert_eq!(c.act(&state(0.9, Some(&at(9)))), Action::Accept);
    let seeds = Seeds::new(9);
    let _ = seeds.next_random();
    let mut rng = seeds.next_random();
    let mut c = make();
    for _ in 0..20 {
        c.observe(1, &offer(5), &state(0.9, None));
        let a = c.act(&state(0.9, Some(&at(5))));
        let Action::Offer(o) = &a else {
            panic!("{a:?}")
        };
        if rng.next_double() < 5.0 / 6.0 {
            assert!(f64::from(o.0[0]) / 10.0 >= 0.838, "{o:?}");
        } else {
            assert_eq!(a, offer(10));
        }
    }
}
