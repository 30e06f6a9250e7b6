//! RandomDance (Shinji Kakimoto), ANAC 2015 (multilateral SAOP, GENIUS
//! `agents.anac.y2015.RandomDance.RandomDance`), a member of Caduceus (ANAC 2016).
//!
//! Split by phase: this file holds the negotiator (what it remembers of the others' actions
//! and its decision); [`model`] its models of the parties; [`search`] its bid search.

mod model;
mod search;

use detente_core::{Action, Negotiator, NegotiatorError, Outcome, SessionInfo, State};

use crate::boa::{JavaRandom, Seeds};
use crate::common::{NOT_INITIALISED, Own};
use crate::registry::KindEntry;

use model::{PlayerData, PlayerLib, java_order};

/// How many opponents that most approached the others it remembers.
const NASH_COUNT_MAX: usize = 200;
/// It accepts anything once fewer than this many of its turns are left.
const ACCEPT_SAFETY: f64 = 5.0;
/// How many random draws of the opponents' models its target takes the best of.
const TARGET_CHECKS: usize = 3;

/// RandomDance: it models every opponent three ways (counting the values of its distinct
/// bids, later bids weighing the same, more or less), draws one of the three at random each
/// turn, and searches the bid maximising a weighted sum of the parties' modelled utilities,
/// raising its own weight until the bid beats its target.
///
/// - **target** at time `t`: `1 - (1 - m) t^3` without discounting (`df > 0.99`), else
///   `1 - (1 - m) t^df`, `m` the best own utility of three searches weighing everyone alike.
/// - **weights** of the opponents, one of three at random: the number of times each was the
///   one whose last bid the others (as modelled) liked most; all equal; alternately 1 and
///   0.01.
/// - **bid**: per issue the value of greatest weighted sum of modelled scores, for its own
///   weight `w / (1 - w)`, `w = 0, 0.01, ...`, until the bid is worth more than the target
///   (else its best outcome).
/// - **accept** the last offer when worth more than the target, or whatever is offered once
///   `t + 5 (t - t_prev)` passes 1 (`t_prev` its previous turn's time); **end** when the
///   target falls below its reservation value.
///
/// Its random choices come from two `java.util.Random`s ([`Seeds`] of the negotiator's seed):
/// the party's `rand` (the random bid each search starts from) and one standing for
/// `Math.random()` (models and weights). Parties are named by the scenario's party names (the
/// original keys its maps by GENIUS's agent ids).
#[derive(Debug, Clone, Default)]
pub struct RandomDance {
    state: Option<DanceState>,
}

#[derive(Debug, Clone)]
struct DanceState {
    own: Own,
    space: detente_core::OutcomeSpace,
    party: usize,
    rv: f64,
    df: f64,
    cards: Vec<usize>,
    /// GENIUS's `getMaxUtilityBid` (the first best outcome, the first issue varying fastest).
    best: Outcome,
    names: Vec<String>,
    rand: JavaRandom,
    math: JavaRandom,
    my: PlayerData,
    /// Opponents in the order first heard from, with their models and last bid seen.
    players: Vec<(usize, PlayerLib, Option<Outcome>)>,
    /// `players` in the original's `HashMap` order, without and with its own key `"my"`
    /// (`None` stands for itself).
    order: Vec<usize>,
    order_my: Vec<Option<usize>>,
    nash: std::collections::VecDeque<usize>,
    older_bid: Option<Outcome>,
    older_time: f64,
}

impl RandomDance {
    /// A RandomDance.
    pub fn new() -> Self {
        Self::default()
    }

    /// Its registry entry, `random-dance`.
    pub fn entry() -> KindEntry {
        KindEntry::new(
            "random-dance",
            "RandomDance (ANAC 2015, Caduceus member): three frequency models per opponent \
             drawn at random; the bid maximising a weighted sum of modelled utilities, its \
             own weight raised until the bid beats a target 1 - (1 - m) t^3",
            |_| Box::new(RandomDance::new()),
        )
        .source("Kakimoto, RandomDance, ANAC 2015 (GENIUS agents.anac.y2015.RandomDance)")
    }
}

impl DanceState {
    /// The models of this turn: one drawn per opponent, in the original's key order.
    fn draw_models(&mut self) -> Vec<usize> {
        let mut pick = vec![0; self.players.len()];
        for &k in &self.order {
            pick[k] = (self.math.next_double() * 3.0) as usize;
        }
        pick
    }

    fn model<'a>(&'a self, pick: &[usize], who: Option<usize>) -> &'a model::PlayerData {
        match who {
            None => &self.my,
            Some(k) => &self.players[k].1.datas[pick[k]],
        }
    }

    /// Remembers the opponent whose last bid the others (as modelled) like most.
    fn note_nash(&mut self, pick: &[usize]) {
        let (mut max, mut at) = (-999.0, None);
        for &k in &self.order {
            let bid = self.players[k].2.clone().unwrap_or_else(|| {
                panic!(
                    "RandomDance fails as the original does: the last bid it saw from a party \
                     is null (an accept before any offer), whose utility throws"
                )
            });
            let mut u = 1.0;
            for &p in &self.order_my {
                if p != Some(k) {
                    u *= self.model(pick, p).utility(&bid.0);
                }
            }
            if u > max {
                max = u;
                at = Some(k);
            }
        }
        if let Some(k) = at {
            self.nash.push_back(k);
        }
        while self.nash.len() > NASH_COUNT_MAX {
            self.nash.pop_front();
        }
    }

    /// The original's `IsAccept` (which also moves its previous turn's time).
    fn accepts(&mut self, t: f64, target: f64) -> bool {
        let d = t - self.older_time;
        self.older_time = t;
        if t + d * ACCEPT_SAFETY > 1.0 {
            return true;
        }
        match &self.older_bid {
            None => false,
            Some(b) => self.own.utility(b) > target,
        }
    }

    fn decide(&mut self, t: f64) -> Action {
        let pick = self.draw_models();
        self.note_nash(&pick);
        let weights = self.weights();
        let target = self.target(t);
        let bid = self.search_bid(target, &pick, &weights);
        let mut action = Action::Offer(bid);
        // The original accepts its last offer received, or nothing when it has none; detente
        // keeps the bid then (module docs).
        if self.accepts(t, target) && self.older_bid.is_some() {
            action = Action::Accept;
        }
        if target < self.rv {
            action = Action::End;
        }
        action
    }

    fn observe_action(&mut self, party: usize, action: &Action) {
        let k = match self.players.iter().position(|p| p.0 == party) {
            Some(k) => k,
            None => {
                self.players
                    .push((party, PlayerLib::new(&self.cards), None));
                let keys: Vec<String> = self
                    .players
                    .iter()
                    .map(|p| self.names[p.0].clone())
                    .collect();
                self.order = java_order(&keys);
                let mut with_my: Vec<String> =
                    self.order.iter().map(|&k| keys[k].clone()).collect();
                with_my.push("my".into());
                let order = self.order.clone();
                self.order_my = java_order(&with_my)
                    .into_iter()
                    .map(|j| order.get(j).copied())
                    .collect();
                self.players.len() - 1
            }
        };
        if let Action::Offer(o) = action {
            self.older_bid = Some(o.clone());
        }
        self.players[k].2 = self.older_bid.clone();
        if let Some(b) = &self.older_bid {
            self.players[k].1.add_bid(&b.0);
        }
    }
}

impl Negotiator for RandomDance {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        let mut own = Own::new(info, "RandomDance")?;
        let space = info.space();
        let cards: Vec<usize> = space
            .issues()
            .iter()
            .map(|i| i.cardinality() as usize)
            .collect();
        let best = crate::agents::pars_agent::genius_best(&mut own, space);
        let worst = search::genius_worst(&own, space, &cards);
        let my = PlayerData::own(&cards, &worst.0, |o| own.utility(&Outcome(o.to_vec())));
        let prefs = info.preferences();
        let seeds = Seeds::new(info.seed);
        self.state = Some(DanceState {
            party: info.party,
            rv: prefs.reservation,
            df: prefs.discount,
            names: info
                .scenario
                .parties
                .iter()
                .map(|p| p.name.clone())
                .collect(),
            rand: seeds.next_random(),
            math: seeds.next_random(),
            my,
            players: Vec::new(),
            order: Vec::new(),
            order_my: vec![None],
            nash: Default::default(),
            older_bid: None,
            older_time: 0.0,
            cards,
            best,
            own,
            space: space.clone(),
        });
        Ok(())
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        let s = self.state.as_mut().expect(NOT_INITIALISED);
        s.decide(state.time)
    }

    fn observe(&mut self, party: usize, action: &Action, _state: &State<'_>) {
        let Some(s) = self.state.as_mut() else {
            return;
        };
        if party != s.party {
            s.observe_action(party, action);
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
    use crate::testutil::{info, single_issue, state};
    use detente_core::ScenarioTables;

    /// By hand, one issue valued 0, 0.5, 1 by party 0 (its worst is value 0: its own scores
    /// are 0, 0.5, 1 with issue weight 1). The opponent offered value 0: each of its three
    /// models scores it 1 (the others 0), issue weight 1, so which model is drawn does not
    /// matter, and one opponent's scaled weight is 1 whatever the weights drawn. The target's
    /// searches weigh both 1: values 0 and 2 tie at 1, the first (value 0, worth 0) wins, so
    /// `m = 0` and the target is `1 - t^3`. At time 0.1 (0.999) the search keeps value 0
    /// until its own weight `w / (1 - w)` passes 1 (`w` about 0.51), then offers value 2.
    /// At time 0.5, `0.5 + 5 (0.5 - 0.1) > 1`: it accepts the offer on the table.
    #[test]
    fn a_hand_computed_turn() {
        let s = single_issue(&[0.0, 0.5, 1.0]);
        let tables = ScenarioTables::for_scenario(&s);
        let mut d = RandomDance::new();
        d.init(&info(0, &s, &tables, 10, 3)).unwrap();
        d.observe(1, &Action::Offer(Outcome(vec![0])), &state(0.05, None));
        assert_eq!(d.act(&state(0.1, None)), Action::Offer(Outcome(vec![2])));
        assert_eq!(d.act(&state(0.5, None)), Action::Accept);
    }

    /// The example above with a reservation value of 0.95: at time 0.5 the target `1 - 0.5^3
    /// = 0.875` is below it, and it ends the talks (ending outranks its acceptance).
    #[test]
    fn it_ends_when_the_target_falls_below_its_reservation_value() {
        let mut s = single_issue(&[0.0, 0.5, 1.0]);
        s.parties[0].preferences.reservation = 0.95;
        let tables = ScenarioTables::for_scenario(&s);
        let mut d = RandomDance::new();
        d.init(&info(0, &s, &tables, 10, 3)).unwrap();
        d.observe(1, &Action::Offer(Outcome(vec![0])), &state(0.05, None));
        assert_eq!(d.act(&state(0.1, None)), Action::Offer(Outcome(vec![2])));
        assert_eq!(d.act(&state(0.5, None)), Action::End);
    }

    /// On its first turn, `t + 5 t > 1` once `t > 1/6`: it accepts whatever is offered.
    #[test]
    fn a_late_first_turn_accepts() {
        let s = single_issue(&[0.0, 0.5, 1.0]);
        let tables = ScenarioTables::for_scenario(&s);
        let mut d = RandomDance::new();
        d.init(&info(0, &s, &tables, 10, 3)).unwrap();
        d.observe(1, &Action::Offer(Outcome(vec![0])), &state(0.1, None));
        assert_eq!(d.act(&state(0.2, None)), Action::Accept);
    }
}
