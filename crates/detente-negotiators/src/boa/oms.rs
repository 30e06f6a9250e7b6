//! Opponent-model strategies: how a BOA negotiator uses its opponent models to choose among
//! bids that are equally acceptable to itself (GENIUS `OMStrategy`), and until when it keeps
//! updating the models.
//!
//! An offering strategy that wants a bid of utility near a target asks [`pick_near`]. Without
//! a model (`model=none`) that is the outcome of lowest utility at or above the target (the
//! first in the table among equals), as detente's time-based negotiators offer. With a model,
//! GENIUS's window search: the outcomes of utility in `[target, target + 0.01]`, the upper end
//! raised by 0.01 until the window holds at least 100 outcomes or passes the best utility by
//! 0.01 (GENIUS stops at 1.01, the best utility of a normalised space); the strategy then
//! picks one of them (the best outcome when the window is empty).

use detente_core::registry::{Entry, ParamInfo, Registry};
use detente_core::{NegotiatorError, OutcomeId};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::context::{Context, Setup};
use super::models::Combined;

/// Chooses among candidate bids with the help of the opponent models.
pub trait OpponentModelStrategy: Send {
    /// Starts afresh for a session.
    fn init(&mut self, _setup: &Setup<'_>) -> Result<(), NegotiatorError> {
        Ok(())
    }

    /// Picks one of `candidates` (outcome ids in the party's table order: best for itself
    /// first), given the combined opponent estimate of each (`estimates[i]` for
    /// `candidates[i]`). Returns an index into `candidates` (never called with none).
    fn choose(&mut self, cx: &Context<'_>, candidates: &[OutcomeId], estimates: &[f64]) -> usize;

    /// Whether the models may still learn at time `t` (GENIUS `canUpdateOM`).
    fn can_update(&self, _t: f64) -> bool {
        true
    }

    /// What it shares with an offering strategy made for it (TheFawkes's reads its count of
    /// second-best picks), if anything.
    fn shared(&self) -> Option<&dyn std::any::Any> {
        None
    }
}

/// The registry of opponent-model strategies.
pub type ModelStrategyKinds = Registry<dyn OpponentModelStrategy>;

/// The built-in opponent-model strategies: `best-bid`, `offer-best-n`, `the-fawkes`.
pub fn kinds() -> ModelStrategyKinds {
    Registry::new("opponent-model strategy")
        .with_example("`best-bid` or `offer-best-n:n=3`")
        .with(BestBid::entry())
        .with(OfferBestN::entry())
        .with(super::fawkes_oms::TheFawkesOms::entry())
}

fn update_time() -> ParamInfo {
    ParamInfo::new(
        "t",
        1.1,
        0.0,
        f64::INFINITY,
        "time after which the opponent models stop learning (above 1: never)",
    )
}

/// The candidate the models rate highest (GENIUS `BestBid`); the first in table order among
/// equals. When every estimate is at most 0.0001 (the models know nothing yet) it draws one
/// at random from the negotiator's seed, as GENIUS does.
#[derive(Debug, Clone)]
pub struct BestBid {
    until: f64,
    rng: ChaCha8Rng,
}

impl BestBid {
    /// A best-bid strategy whose models stop learning after time `until`.
    pub fn new(until: f64) -> Self {
        BestBid {
            until,
            rng: ChaCha8Rng::seed_from_u64(0),
        }
    }

    /// Its registry entry, `best-bid`.
    pub fn entry() -> Entry<dyn OpponentModelStrategy> {
        Entry::<dyn OpponentModelStrategy>::new(
            "best-bid",
            "offers, among bids near its target, the one the opponent models rate highest",
            |p| Box::new(BestBid::new(p.get("t"))),
        )
        .param(update_time())
        .source("GENIUS BestBid (BOA framework, Baarslag et al.)")
    }
}

impl OpponentModelStrategy for BestBid {
    fn init(&mut self, setup: &Setup<'_>) -> Result<(), NegotiatorError> {
        self.rng = ChaCha8Rng::seed_from_u64(setup.info.seed ^ 0x0b0b);
        Ok(())
    }

    fn choose(&mut self, _: &Context<'_>, candidates: &[OutcomeId], estimates: &[f64]) -> usize {
        if candidates.len() == 1 {
            return 0;
        }
        if estimates.iter().all(|&e| e <= 0.0001) {
            return self.rng.random_range(0..candidates.len());
        }
        best_index(estimates)
    }

    fn can_update(&self, t: f64) -> bool {
        t < self.until
    }
}

/// The first index of the largest estimate.
pub(crate) fn best_index(estimates: &[f64]) -> usize {
    let mut best = 0;
    for (i, &e) in estimates.iter().enumerate() {
        if e > estimates[best] {
            best = i;
        }
    }
    best
}

/// One of the `n` candidates the models rate highest, drawn at random from the negotiator's
/// seed (GENIUS `OfferBestN`; ties keep table order, as Java's stable sort does).
#[derive(Debug, Clone)]
pub struct OfferBestN {
    n: usize,
    until: f64,
    rng: ChaCha8Rng,
}

impl OfferBestN {
    /// A strategy drawing among the `n` best, whose models stop learning after `until`.
    pub fn new(n: usize, until: f64) -> Self {
        OfferBestN {
            n: n.max(1),
            until,
            rng: ChaCha8Rng::seed_from_u64(0),
        }
    }

    /// Its registry entry, `offer-best-n`.
    pub fn entry() -> Entry<dyn OpponentModelStrategy> {
        Entry::<dyn OpponentModelStrategy>::new(
            "offer-best-n",
            "offers one of the n bids near its target that the opponent models rate highest, \
             at random",
            |p| Box::new(OfferBestN::new(p.get("n") as usize, p.get("t"))),
        )
        .param(ParamInfo::new(
            "n",
            3.0,
            1.0,
            1e9,
            "how many of the best-rated bids it draws from",
        ))
        .param(update_time())
        .source("GENIUS OfferBestN (BOA framework, Baarslag et al.)")
    }
}

impl OpponentModelStrategy for OfferBestN {
    fn init(&mut self, setup: &Setup<'_>) -> Result<(), NegotiatorError> {
        self.rng = ChaCha8Rng::seed_from_u64(setup.info.seed ^ 0xbe57);
        Ok(())
    }

    fn choose(&mut self, _: &Context<'_>, candidates: &[OutcomeId], estimates: &[f64]) -> usize {
        let mut order: Vec<usize> = (0..candidates.len()).collect();
        order.sort_by(|&a, &b| estimates[b].total_cmp(&estimates[a]));
        order[self.rng.random_range(0..self.n.min(order.len()))]
    }

    fn can_update(&self, t: f64) -> bool {
        t < self.until
    }
}

/// The window search's first width and step, and the number of candidates it looks for
/// (GENIUS `OMStrategy`: `INITIAL_WINDOW_RANGE`, `RANGE_INCREMENT`,
/// `EXPECTED_BIDS_IN_WINDOW`).
const WINDOW: f64 = 0.01;
const EXPECTED: usize = 100;

/// The bid an offering strategy makes for a target utility: without a model, the outcome of
/// lowest utility at or above `target`; with one, the strategy's choice in GENIUS's window
/// (see the module docs).
pub fn pick_near(cx: &Context<'_>, oms: &mut dyn OpponentModelStrategy, target: f64) -> OutcomeId {
    let space = cx.space;
    if !cx.models.any() {
        return space.id_at(space.position_at_least(target));
    }
    let limit = space.best() + WINDOW;
    // The window [target, upper] holds EXPECTED outcomes once `upper` reaches the utility of
    // the EXPECTED-th lowest outcome at or above the target: widen by steps until it does
    // (the same steps, and so the same rounding, as GENIUS), then take the band once.
    let sorted = &space.table().sorted;
    let at_least = space.count_at_least(target);
    // The band [target, upper]: its lower end is the count of outcomes at or above the
    // target, searched above already. With fewer than EXPECTED outcomes there, the steps go
    // on past the best utility, so the band is all of them (no need to take the steps).
    let band = match at_least.checked_sub(EXPECTED).map(|i| sorted[i]) {
        None => 0..at_least,
        Some(needed) => {
            let mut upper = target + WINDOW;
            while upper < needed && upper < limit {
                upper += WINDOW;
            }
            sorted[..at_least].partition_point(|&u| u > upper)..at_least
        }
    };
    if band.is_empty() {
        return space.id_at(0);
    }
    // The band's ids are a slice of the table's order: rated in place, not copied.
    let ids = &space.table().order[band];
    SCRATCH.with_borrow_mut(|s| choose_in(cx, oms, ids, s))
}

/// Buffers reused from turn to turn (a turn allocates nothing for its candidates).
#[derive(Default)]
struct Scratch {
    estimates: Vec<f64>,
    values: Vec<u32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// The strategy's choice among `ids` (not empty), by the combined opponent estimates.
pub fn pick_among(
    cx: &Context<'_>,
    oms: &mut dyn OpponentModelStrategy,
    ids: &[OutcomeId],
) -> OutcomeId {
    SCRATCH.with_borrow_mut(|s| choose_in(cx, oms, ids, s))
}

/// The strategy's choice among `ids` (not empty), with the scratch buffers.
fn choose_in(
    cx: &Context<'_>,
    oms: &mut dyn OpponentModelStrategy,
    ids: &[OutcomeId],
    scratch: &mut Scratch,
) -> OutcomeId {
    let Scratch { estimates, values } = scratch;
    values.resize(cx.space.n_issues(), 0);
    let combined = cx.models.combined();
    estimates.clear();
    match (&combined, cx.space.outcome_values()) {
        // One additive model and tabulated values: no decoding, no dynamic call per outcome.
        (Combined::One(m), Some(table)) if m.additive().is_some() => {
            let a = m.additive().expect("checked");
            estimates.extend(ids.iter().map(|&id| a.estimate(table.of(id))));
        }
        _ => estimates.extend(ids.iter().map(|&id| {
            cx.space.decode(id, values);
            combined.estimate(values)
        })),
    }
    ids[oms.choose(cx, ids, estimates)]
}
