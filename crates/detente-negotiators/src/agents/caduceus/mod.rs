//! Caduceus (Taha D. Güneş and colleagues), winner of ANAC 2016 (multilateral SAOP, GENIUS `agents.anac.y2016.caduceus.Caduceus`): a portfolio
//! of member agents whose actions are weighed by fixed scores.
//!
//! Split: this file holds the portfolio ([`Caduceus`], generic over its members) and
//! [`caduceus_members`]; [`core`] the inner agent (`caduceus-core`); [`sane`] its utility
//! spaces and searches.

mod core;
mod sane;

pub use self::core::CaduceusCore;

use detente_core::{Action, Negotiator, NegotiatorError, Outcome, SessionInfo, State};

use crate::agents::{Atlas3, Kawaii, ParsAgent, RandomDance};
use crate::boa::java_random::{JavaRandom, Seeds};
use crate::common::{NOT_INITIALISED, Own};
use crate::registry::KindEntry;

/// Before `t = BEST_BID_SHARE * df` Caduceus (and its inner agent) offers its best bid.
pub const BEST_BID_SHARE: f64 = 0.83;

/// The members' scores in GENIUS's order: ParsAgent, RandomDance, Kawaii, Atlas3, the inner
/// agent (`UtilFunctions.normalize(500, 10, 5, 3, 1)`).
pub const GENIUS_SCORES: [f64; 5] = [500.0, 10.0, 5.0, 3.0, 1.0];

/// A member of the portfolio: a negotiator and its score.
pub type Member = (Box<dyn Negotiator>, f64);

/// The Caduceus portfolio: until `t = 0.83 df` it offers its best bid and asks nobody; then
/// every turn it asks every member to act, in order, and
///
/// - **accepts** when the scores of the members that accept exceed those of the members that
///   offer (a member's accept means the standing offer, which is the one Caduceus accepts);
/// - else **offers** one of the members' bids drawn with probability proportional to their
///   scores (one `nextDouble` of a `java.util.Random`, the first member whose cumulative
///   normalised score exceeds it) when the offering scores exceed the accepting ones;
/// - else (a tie: nobody accepts nor offers, e.g. every member ends) offers its best bid.
///
/// Members that end the talks count for neither side. Every member hears every other party's
/// action (from the start, also while it is not asked); none hears what Caduceus itself did:
/// a member whose bid was not drawn, or that accepted while Caduceus offered, still believes
/// it did what it answered, as in GENIUS. The scores are normalised to sum 1 (as the
/// original's `UtilFunctions.normalize`). Every member starts with the same
/// [`SessionInfo`] (the same seed, as GENIUS gives every member the portfolio's random seed).
#[derive(Default)]
pub struct Caduceus {
    members: Vec<Box<dyn Negotiator>>,
    scores: Vec<f64>,
    state: Option<PortfolioState>,
}

struct PortfolioState {
    best: Outcome,
    best_phase: f64,
    rng: JavaRandom,
    own: Own,
}

impl std::fmt::Debug for Caduceus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Caduceus")
            .field("members", &self.members.len())
            .field("scores", &self.scores)
            .finish()
    }
}

/// `UtilFunctions.normalize`: each divided by the sum.
fn normalize(scores: &[f64]) -> Vec<f64> {
    let sum: f64 = scores.iter().sum();
    scores.iter().map(|s| s / sum).collect()
}

/// GENIUS's `getMaxUtilityBid`: the first outcome of the highest utility in GENIUS's
/// `BidIterator` order (the first issue varies fastest).
pub(crate) fn genius_best(own: &mut Own, space: &detente_core::OutcomeSpace) -> Vec<u32> {
    let top = own.pmax;
    let rank = |o: &[u32]| {
        o.iter()
            .zip(space.issues())
            .rev()
            .fold(0u128, |acc, (&v, i)| {
                acc * u128::from(i.cardinality()) + u128::from(v)
            })
    };
    let mut best = own.outcome_at(0).0;
    let mut pos = 1;
    while pos < own.table.order.len() && own.sorted_utility(pos) == top {
        let o = own.outcome_at(pos).0;
        if rank(&o) < rank(&best) {
            best = o;
        }
        pos += 1;
    }
    best
}

impl Caduceus {
    /// A portfolio of these members and scores (in order: the order they are asked in and
    /// the order of the cumulative draw).
    pub fn new(members: Vec<Member>) -> Self {
        let (members, scores): (Vec<_>, Vec<_>) = members.into_iter().unzip();
        Caduceus {
            scores: normalize(&scores),
            members,
            state: None,
        }
    }

    /// The normalised scores.
    pub fn scores(&self) -> &[f64] {
        &self.scores
    }

    /// The original's `getRandomizedAction`: the offering members' scores normalised, one
    /// `nextDouble`, the first bid whose cumulative share exceeds it (the last when rounding
    /// leaves the draw above the total, where the original would offer no bid).
    fn draw(rng: &mut JavaRandom, bids: &[(Outcome, f64)]) -> Outcome {
        let total: Vec<f64> = normalize(&bids.iter().map(|(_, s)| *s).collect::<Vec<_>>());
        let pick = rng.next_double();
        let mut acc = 0.0;
        for ((o, _), p) in bids.iter().zip(&total) {
            acc += p;
            if pick < acc {
                return o.clone();
            }
        }
        bids[bids.len() - 1].0.clone()
    }
}

impl Negotiator for Caduceus {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        let mut own = Own::new(info, "Caduceus")?;
        let best = Outcome(genius_best(&mut own, info.space()));
        // `AbstractNegotiationParty.rand` first (never drawn from), then the portfolio's own.
        let seeds = Seeds::new(info.seed);
        let _ = seeds.next_random();
        let rng = seeds.next_random();
        for (k, m) in self.members.iter_mut().enumerate() {
            m.init(info)
                .map_err(|e| NegotiatorError(format!("Caduceus's member {k}: {}", e.0)))?;
        }
        self.state = Some(PortfolioState {
            best,
            best_phase: BEST_BID_SHARE * info.preferences().discount,
            rng,
            own,
        });
        Ok(())
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        let s = self.state.as_mut().expect(NOT_INITIALISED);
        if state.time < s.best_phase {
            return Action::Offer(s.best.clone());
        }
        let mut accepts = 0.0;
        let mut offers = 0.0;
        let mut bids = Vec::new();
        for (m, &score) in self.members.iter_mut().zip(&self.scores) {
            match m.act(state) {
                Action::Accept => accepts += score,
                Action::Offer(o) => {
                    offers += score;
                    bids.push((o, score));
                }
                Action::End => {}
            }
        }
        if accepts > offers && state.standing.is_some() {
            Action::Accept
        } else if offers > accepts {
            Action::Offer(Self::draw(&mut s.rng, &bids))
        } else {
            Action::Offer(s.best.clone())
        }
    }

    fn observe(&mut self, party: usize, action: &Action, state: &State<'_>) {
        for m in &mut self.members {
            m.observe(party, action, state);
        }
    }

    fn compare(&mut self, candidate: &Outcome, incumbent: &Outcome) -> Option<std::cmp::Ordering> {
        self.state
            .as_ref()
            .and_then(|s| s.own.compare(candidate, incumbent))
    }
}

/// Caduceus's members with their GENIUS scores, in GENIUS's order: ParsAgent (500),
/// RandomDance (10), Kawaii (5), Atlas3 (3) and the inner agent (1);
/// `Caduceus::new(caduceus_members())` is the ANAC 2016 agent (kind `caduceus`).
pub fn caduceus_members() -> Vec<Member> {
    vec![
        (Box::new(ParsAgent::default()), GENIUS_SCORES[0]),
        (Box::new(RandomDance::new()), GENIUS_SCORES[1]),
        (Box::new(Kawaii::new()), GENIUS_SCORES[2]),
        (Box::new(Atlas3::new()), GENIUS_SCORES[3]),
        (Box::new(CaduceusCore::new()), GENIUS_SCORES[4]),
    ]
}

impl Caduceus {
    /// Its registry entry, `caduceus`: the portfolio of [`caduceus_members`].
    pub fn entry() -> KindEntry {
        KindEntry::new(
            "caduceus",
            "Caduceus (ANAC 2016 winner): its best bid until 0.83 df, then a weighted vote of \
             ParsAgent (500), RandomDance (10), Kawaii (5), Atlas3 (3) and its inner agent (1): \
             accepts when the accepting members outweigh the offering ones, else offers one \
             member's bid drawn by score",
            |_| Box::new(Caduceus::new(caduceus_members())),
        )
        .source(
            "Güneş, Arditi and Aydoğan, Caduceus, ANAC 2016 winner (GENIUS \
             agents.anac.y2016.caduceus.Caduceus)",
        )
    }
}

#[cfg(test)]
mod tests;
