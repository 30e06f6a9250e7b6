//! The inner agent of Caduceus (the original's
//! `agents.anac.y2016.caduceus.agents.Caduceus.Caduceus`): the team's own strategy, the fifth
//! member of the portfolio, registered alone as `caduceus-core`.

use detente_core::{
    Action, Negotiator, NegotiatorError, Outcome, OutcomeSpace, Preferences, SessionInfo, State,
};

use super::sane::{Sane, counter_offer, nash_bid, round_value};
use super::{BEST_BID_SHARE, genius_best};
use crate::boa::java_random::Seeds;
use crate::common::{NOT_INITIALISED, Own};
use crate::registry::KindEntry;

/// The least it offers: `max(0.75, reservation value)`.
const SELF_RESERVATION: f64 = 0.75;
/// It accepts an offer worth more than its own next bid plus this (discounted utilities).
const ACCEPT_MARGIN: f64 = 0.2;

/// The inner agent of Caduceus (ANAC 2016, Güneş and colleagues): its best
/// bid until `0.83 df`; then a counter-offer on the line from its best bid towards the "Nash"
/// bid of its opponent models, accepting an offer worth 0.2 more than that.
///
/// - **opponent model**: per opponent, a sane space with zero weights and values; each offer
///   adds `r(t) = ceil₃(2t² - 101t + 100)` to every offered value, and to an issue's weight
///   once per value of that opponent's previous offer whose name equals (ignoring case) the
///   value now offered on the issue (any issue's value: names are compared across issues).
/// - **its bid** after `t = 0.83 df`: every sane space (its own from its preferences) is
///   renormalised in place; the "Nash" bid is where the never-reset running product of their
///   utilities over GENIUS's outcome order last rose (its best bid when it never does);
///   the counter-offer is the outcome nearest to `max + t (nash - max) / |d|` in the space
///   of normalised weighted-value vectors (see `sane::counter_offer`). When that is worth
///   less than `max(0.75, rv)` (discounted) it offers a random outcome worth at least that.
/// - **accept** when the last offer heard is worth more than its bid plus 0.2 (both
///   discounted).
///
/// Its random outcomes are `java.util.Random` draws, a new generator per draw as the
/// original makes them, from [`SessionInfo::seed`].
#[derive(Debug, Clone, Default)]
pub struct CaduceusCore {
    state: Option<CoreState>,
}

#[derive(Debug, Clone)]
struct CoreState {
    own: Own,
    space: OutcomeSpace,
    prefs: Preferences,
    party: usize,
    /// `max(0.75, rv)`.
    self_rv: f64,
    /// `0.83 df`: it offers its best bid before.
    best_phase: f64,
    /// GENIUS's `getMaxUtilityBid` (the first best outcome in GENIUS's order).
    best: Vec<u32>,
    /// Its own sane space.
    mine: Sane,
    /// Each opponent's sane space (by party) and its previous offer.
    profiles: Vec<Option<(Sane, Option<Vec<u32>>)>>,
    /// Value names by issue, lower-cased (the original compares them ignoring case).
    names: Vec<Vec<String>>,
    /// The last offer heard.
    previous: Option<Outcome>,
    seeds: Seeds,
}

impl CaduceusCore {
    /// The inner Caduceus agent.
    pub fn new() -> Self {
        Self::default()
    }

    /// Its registry entry, `caduceus-core`.
    pub fn entry() -> KindEntry {
        KindEntry::new(
            "caduceus-core",
            "The inner agent of Caduceus (ANAC 2016): its best bid until 0.83 df, then a \
             counter-offer from its best bid towards the Nash bid of its opponent models; \
             accepts an offer worth 0.2 more than its bid",
            |_| Box::new(CaduceusCore::new()),
        )
        .source(
            "Gunes et al., Caduceus, ANAC 2016 (GENIUS \
             agents.anac.y2016.caduceus.agents.Caduceus.Caduceus)",
        )
    }
}

/// The evaluator's value of each value of each issue (GENIUS's `EvaluatorDiscrete` numbers).
fn own_sane(info: &SessionInfo<'_>) -> Result<Sane, NegotiatorError> {
    let lin = info.preferences().utility.as_linear().ok_or_else(|| {
        NegotiatorError(
            "caduceus-core reads its issue weights and value evaluations (the original casts \
             to GENIUS's AdditiveUtilitySpace): it needs linear additive preferences"
                .into(),
        )
    })?;
    let space = info.space();
    let values = space
        .issues()
        .iter()
        .zip(lin.evaluators())
        .map(|(issue, ev)| {
            (0..issue.cardinality() as u32)
                .map(|v| match ev {
                    detente_core::Evaluator::Table(s) => s[v as usize],
                    other => other.eval_number(issue.numeric_value(v).unwrap_or(f64::NAN)),
                })
                .collect()
        })
        .collect();
    Ok(Sane {
        weights: lin.weights().to_vec(),
        values,
    })
}

impl CoreState {
    fn discounted(&self, o: &[u32], t: f64) -> f64 {
        self.prefs.discounted(self.own.utility_of(o), t)
    }

    /// The original's `getMyBestOfferForEveryone`.
    fn best_for_everyone(&mut self, t: f64) -> Vec<u32> {
        self.mine.normalize();
        for (sane, _) in self.profiles.iter_mut().flatten() {
            sane.normalize();
        }
        let mut spaces = vec![&self.mine];
        spaces.extend(self.profiles.iter().flatten().map(|(s, _)| s));
        let target = nash_bid(&self.space, &spaces).unwrap_or_else(|| self.best.clone());
        counter_offer(&self.space, &self.mine, &self.best, &target, t)
    }

    /// The original's `getRandomBid`: uniform outcomes (a new generator) until one is worth
    /// at least `max(0.75, rv)`; its best bid when none is (the original would search for
    /// ever).
    fn random_bid(&mut self) -> Vec<u32> {
        if self.own.pmax < self.self_rv {
            return self.best.clone();
        }
        let mut rng = self.seeds.next_random();
        let cards: Vec<usize> = self
            .space
            .issues()
            .iter()
            .map(|i| i.cardinality() as usize)
            .collect();
        loop {
            let o: Vec<u32> = cards.iter().map(|&c| rng.index(c) as u32).collect();
            if self.space.is_feasible(&o) && self.own.utility_of(&o) >= self.self_rv {
                return o;
            }
        }
    }

    fn hear_offer(&mut self, party: usize, o: &Outcome, t: f64) {
        let r = round_value(t);
        let space = &self.space;
        let (sane, last) = self.profiles[party].get_or_insert_with(|| (Sane::zero(space), None));
        for (i, &v) in o.0.iter().enumerate() {
            sane.values[i][v as usize] += r;
            if let Some(prev) = last {
                let name = &self.names[i][v as usize];
                for (j, &pv) in prev.iter().enumerate() {
                    if &self.names[j][pv as usize] == name {
                        sane.weights[i] += r;
                    }
                }
            }
        }
        *last = Some(o.0.clone());
        self.previous = Some(o.clone());
    }
}

impl Negotiator for CaduceusCore {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        let mut own = Own::new(info, "caduceus-core")?;
        let mine = own_sane(info)?;
        let prefs = info.preferences().clone();
        let seeds = Seeds::new(info.seed);
        // `AbstractNegotiationParty.rand`, created first and never drawn from.
        let _ = seeds.next_random();
        let space = info.space().clone();
        let names = space
            .issues()
            .iter()
            .map(|i| {
                (0..i.cardinality() as u32)
                    .map(|v| {
                        i.value(v)
                            .map(|x| x.to_string().to_lowercase())
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .collect();
        self.state = Some(CoreState {
            best: genius_best(&mut own, &space),
            self_rv: SELF_RESERVATION.max(prefs.reservation),
            best_phase: BEST_BID_SHARE * prefs.discount,
            party: info.party,
            profiles: vec![None; info.n_parties()],
            previous: None,
            own,
            space,
            prefs,
            mine,
            names,
            seeds,
        });
        Ok(())
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        let s = self.state.as_mut().expect(NOT_INITIALISED);
        let t = state.time;
        if t < s.best_phase {
            return Action::Offer(Outcome(s.best.clone()));
        }
        let mut bid = s.best_for_everyone(t);
        if s.discounted(&bid, t) < s.self_rv {
            bid = s.random_bid();
        }
        let previous = s.previous.as_ref().map_or(0.0, |p| s.discounted(&p.0, t));
        if state.standing.is_some() && previous > s.discounted(&bid, t) + ACCEPT_MARGIN {
            return Action::Accept;
        }
        Action::Offer(Outcome(bid))
    }

    fn observe(&mut self, party: usize, action: &Action, state: &State<'_>) {
        let Some(s) = self.state.as_mut() else {
            return;
        };
        if party == s.party {
            return;
        }
        if let Action::Offer(o) = action {
            s.hear_offer(party, o, state.time);
        }
    }

    fn compare(&mut self, candidate: &Outcome, incumbent: &Outcome) -> Option<std::cmp::Ordering> {
        self.state
            .as_ref()
            .and_then(|s| s.own.compare(candidate, incumbent))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{info, state};
    use detente_core::*;

    /// Two issues whose value names overlap ("x" in both), linear preferences.
    fn overlapping() -> Scenario {
        crate::testutil::linear(
            "overlap",
            vec![
                Issue::discrete("a", ["x", "y"]),
                Issue::discrete("b", ["X", "z", "w"]),
            ],
            &[0.6, 0.4],
            &[
                ("a", vec![vec![1.0, 0.0], vec![1.0, 0.5, 0.0]]),
                ("b", vec![vec![0.0, 1.0], vec![0.0, 0.5, 1.0]]),
            ],
        )
    }

    /// The model by hand: every offered value gains `r(t)`; an issue's weight gains `r(t)`
    /// once per value of the previous offer named like (ignoring case) the value now offered
    /// on it, whichever issue that previous value belongs to.
    #[test]
    fn the_opponent_model_by_hand() {
        let s = overlapping();
        let tables = ScenarioTables::for_scenario(&s);
        let mut c = CaduceusCore::new();
        c.init(&info(0, &s, &tables, 100, 1)).unwrap();
        // t = 0: r = 100; t = 0.5: 0.5 - 50.5 + 100 = 50.
        c.observe(1, &Action::Offer(Outcome(vec![0, 1])), &state(0.0, None));
        c.observe(1, &Action::Offer(Outcome(vec![1, 0])), &state(0.5, None));
        let st = c.state.as_ref().unwrap();
        let (sane, last) = st.profiles[1].as_ref().unwrap();
        assert_eq!(sane.values, vec![vec![100.0, 50.0], vec![50.0, 100.0, 0.0]]);
        // b's "X" matches the previous offer's "x" on a: b's weight gains 50; a's "y" matches
        // nothing.
        assert_eq!(sane.weights, vec![0.0, 50.0]);
        assert_eq!(last.as_deref(), Some(&[1, 0][..]));
    }

    /// Its best bid before 0.83. After it, an opponent that offered once has zero weights,
    /// which normalise to NaN: no "Nash" bid, so the target is its best bid, the concession
    /// point is NaN and the counter-offer is the first outcome in GENIUS's order, (x, X),
    /// worth 1 (no accept: the offer is not worth more than 1.2).
    #[test]
    fn best_bid_then_the_degenerate_counter_offer() {
        let s = overlapping();
        let tables = ScenarioTables::for_scenario(&s);
        let mut c = CaduceusCore::new();
        c.init(&info(0, &s, &tables, 100, 1)).unwrap();
        let best = Outcome(vec![0, 0]);
        assert_eq!(c.act(&state(0.5, None)), Action::Offer(best.clone()));
        let offered = Outcome(vec![1, 2]);
        let standing = Offer {
            outcome: offered.clone(),
            by: Actor::Party(1),
        };
        c.observe(1, &Action::Offer(offered), &state(0.84, None));
        assert_eq!(c.act(&state(0.85, Some(&standing))), Action::Offer(best));
        let st = c.state.as_ref().unwrap();
        assert!(st.profiles[1].as_ref().unwrap().0.weights[0].is_nan());
    }
}
