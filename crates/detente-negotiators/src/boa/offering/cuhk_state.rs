//! CUHKAgent's view of the talks, shared by its offering strategy and its acceptance
//! condition: the opponent's bid history (GENIUS `OpponentBidHistory`), the time from which it
//! concedes to the discount (`concedeToDiscountingFactor`), its utility threshold, and its
//! estimate of the rounds left.

use std::collections::HashMap;

use detente_core::OutcomeId;

use crate::boa::Setup;
use crate::boa::context::Context;
use crate::boa::models::{CuhkFrequency, ModelSetup, OpponentModel};
use crate::boa::space::OwnSpace;

/// The distinct bids whose values it counts (GENIUS `maximumBidsStored`).
const COUNTED: usize = 100;

/// How many of the opponent's latest distinct bids its concession degree looks at.
const RECENT: usize = 10;

/// What CUHKAgent's offering strategy shares with its acceptance condition (the fields of
/// GENIUS's `CUHKAgentSAS` the acceptance reads), as set on this turn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CuhkAgentState {
    /// The utility threshold its bids aim at (`utilitythreshold`).
    pub threshold: f64,
    /// The time from which it concedes to the discount (`concedeToDiscountingFactor`).
    pub concede: f64,
    /// Its best utility (`MaximumUtility`).
    pub max_utility: f64,
    /// The opponent's bid of highest utility to it, the first among equals.
    pub best_offered: Option<OutcomeId>,
}

/// The opponent's bids as CUHKAgent keeps them (GENIUS `OpponentBidHistory`): its distinct
/// bids in the order first made, how often each was made, its best, and the value counts,
/// which are the `cuhk-frequency` model's (counted while at most 100 bids are distinct).
#[derive(Debug, Clone)]
pub(crate) struct OpponentHistory {
    distinct: Vec<OutcomeId>,
    times: HashMap<OutcomeId, u32>,
    best: Option<OutcomeId>,
    counts: CuhkFrequency,
    values: Vec<u32>,
}

impl OpponentHistory {
    /// An empty history for a party's space.
    pub(crate) fn new(setup: &Setup<'_>) -> Self {
        let mut counts = CuhkFrequency::new(COUNTED);
        let model = ModelSetup {
            info: setup.info,
            space: setup.space,
            opponent: usize::MAX,
        };
        counts
            .init(&model)
            .expect("a frequency model starts on any space");
        OpponentHistory {
            distinct: Vec::new(),
            times: HashMap::new(),
            best: None,
            counts,
            values: vec![0; setup.space.n_issues()],
        }
    }

    /// Records a bid of the opponent (GENIUS `updateOpponentModel`).
    pub(crate) fn update(&mut self, space: &OwnSpace, id: OutcomeId) {
        let count = self.times.entry(id).or_insert(0);
        if *count == 0 {
            self.distinct.push(id);
        }
        *count += 1;
        self.best = match self.best {
            Some(b) if space.utility(id) <= space.utility(b) => Some(b),
            _ => Some(id),
        };
        space.decode(id, &mut self.values);
        self.counts.update(&self.values, 0.0);
    }

    /// The opponent's best bid so far (the first among equals).
    pub(crate) fn best(&self) -> Option<OutcomeId> {
        self.best
    }

    /// How much of the opponent's value counts an outcome collects, as the `cuhk-frequency`
    /// model estimates it (its summed counts over a constant, so it orders outcomes as the
    /// sums do).
    pub(crate) fn frequency(&mut self, space: &OwnSpace, id: OutcomeId) -> f64 {
        use detente_core::OpponentEstimate;
        space.decode(id, &mut self.values);
        self.counts.estimate(&self.values)
    }

    /// GENIUS `getConcessionDegree`: the squared share, among its last 10 distinct bids, of
    /// those it made once (with at most 10, the squared tenth of their number).
    pub(crate) fn concession_degree(&self) -> f64 {
        let n = self.distinct.len();
        let share = if n > RECENT {
            let once = self.distinct[n - RECENT..]
                .iter()
                .filter(|id| self.times[id] == 1)
                .count();
            once as f64 / RECENT as f64
        } else {
            n as f64 / RECENT as f64
        };
        share * share
    }
}

/// The discount factor CUHKAgent works with: the party's, when in `(0, 1]`; else 1.
pub(crate) fn discount_of(space: &OwnSpace) -> f64 {
    let d = space.discount();
    if d > 0.0 && d <= 1.0 { d } else { 1.0 }
}

/// GENIUS `chooseConcedeToDiscountingDegree`: `0.08 + 0.92 d^β`, `β` 1.8 for `d > 0.75`,
/// 1.5 for `d > 0.5`, 1.2 below.
pub(crate) fn initial_concede(d: f64) -> f64 {
    let beta = if d > 0.75 {
        1.8
    } else if d > 0.5 {
        1.5
    } else {
        1.2
    };
    0.08 + (1.0 - 0.08) * d.powf(beta)
}

/// The state both CUHKAgent components keep up to date: the opponent's history and, from
/// it, the concession time and the utility threshold.
#[derive(Debug, Clone)]
pub(crate) struct Tracker {
    pub(crate) history: OpponentHistory,
    pub(crate) state: CuhkAgentState,
    original_concede: f64,
    discount: f64,
    outcomes: usize,
}

impl Tracker {
    /// The tracker at the start of a session.
    pub(crate) fn new(setup: &Setup<'_>) -> Self {
        let space = setup.space;
        let discount = discount_of(space);
        let concede = initial_concede(discount);
        Tracker {
            history: OpponentHistory::new(setup),
            state: CuhkAgentState {
                threshold: space.best(),
                concede,
                max_utility: space.best(),
                best_offered: None,
            },
            original_concede: concede,
            discount,
            outcomes: space.table().utilities.len(),
        }
    }

    /// The discount factor it works with.
    pub(crate) fn discount(&self) -> f64 {
        self.discount
    }

    /// Records the opponent's bid and moves the concession time by the opponent's toughness
    /// (GENIUS `updateOpponentModel`, then `updateConcedeDegree`).
    pub(crate) fn observe(&mut self, space: &OwnSpace, id: OutcomeId) {
        self.history.update(space, id);
        self.state.best_offered = self.history.best();
        let degree = self.history.concession_degree();
        let c = self.original_concede;
        self.state.concede = (c + 0.1 * (1.0 - c) * degree.powf(10.0)).min(1.0);
    }

    /// Sets the threshold for time `t` and returns the lowest utility it bids now (the first
    /// part of GENIUS `BidToOffer`): in an undiscounted space of more than 3,000 outcomes its
    /// best less 0.05 (less 0.25 from time 0.98 above 10,000 outcomes), the threshold never
    /// rising; otherwise the threshold itself, falling from its best as `(t/c)^2` towards
    /// `max d^(1-c)` until the concession time `c`, then `max d^(1-t)`.
    pub(crate) fn lowest_bid(&mut self, t: f64) -> f64 {
        let (max, d, c) = (self.state.max_utility, self.discount, self.state.concede);
        if d == 1.0 && self.outcomes > 3000 {
            let mut lowest = max - 0.05;
            if d > 1.0 - 0.25 && self.outcomes > 10_000 && t >= 0.98 {
                lowest = max - 0.25;
            }
            if self.state.threshold > lowest {
                self.state.threshold = lowest;
            }
            return lowest;
        }
        self.state.threshold = if t <= c {
            let floor = max * d / d.powf(c);
            let x = t / c;
            max - (max - floor) * (x * x)
        } else {
            max * d / d.powf(t)
        };
        self.state.threshold
    }
}

/// CUHKAgent's estimate of the rounds left (GENIUS `estimateRoundLeft`): the time left over
/// the longest time one of the opponent's turns and one of its own took. GENIUS measures
/// these in its timeline's units; on a round-based timeline (GENIUS's `DiscreteTimeline`,
/// whose current time is the round, from 1, and whose total is the deadline plus 1) they are
/// rounds, and detente counts them so, from its rounds and deadline.
#[derive(Debug, Clone, Default)]
pub(crate) struct RoundClock {
    before: f64,
    after: f64,
    longest_opponent: f64,
    longest_own: f64,
    total: f64,
}

impl RoundClock {
    /// The clock at the start of a session of `deadline` rounds (GENIUS's current time at
    /// its start is round 1).
    pub(crate) fn new(deadline: u32) -> Self {
        RoundClock {
            after: 1.0,
            total: f64::from(deadline) + 1.0,
            ..RoundClock::default()
        }
    }

    /// GENIUS's current time on this turn: the round, from 1.
    fn now(cx: &Context<'_>) -> f64 {
        f64::from(cx.round) + 1.0
    }

    /// Marks the start of its turn.
    pub(crate) fn start(&mut self, cx: &Context<'_>) {
        self.before = Self::now(cx);
    }

    /// Marks the end of its turn and measures it.
    pub(crate) fn end(&mut self, cx: &Context<'_>) {
        self.after = Self::now(cx);
        self.rounds_left(cx, false);
    }

    /// The rounds left, after measuring the opponent's last turn (`opponent`) or its own.
    /// Java's cast: an infinite quotient (nothing measured yet) is the largest `int`, NaN 0;
    /// Rust's saturating cast does the same.
    pub(crate) fn rounds_left(&mut self, cx: &Context<'_>, opponent: bool) -> i32 {
        if opponent {
            self.longest_opponent = self.longest_opponent.max(self.before - self.after);
        } else {
            self.longest_own = self.longest_own.max(self.after - self.before);
        }
        ((self.total - Self::now(cx)) / (self.longest_opponent + self.longest_own)) as i32
    }
}
