//! What a mediator remembers of the votes: which texts each party is known to accept.

use std::collections::{BTreeSet, HashMap};

use super::{MediatorView, Vote};
use crate::space::Outcome;

/// The texts each party is known to accept: every text it accepted and every counter-proposal
/// it made (a party would accept its own proposal), until it rejects that text again.
///
/// Mediators use it to table again a text that every party still voting is known to accept,
/// instead of walking past a deal that exists. A party's acceptances carry over rounds: the
/// built-in negotiators never raise their demands unless the scenario changes, and when a party
/// rejects a text it was thought to accept, that text is struck from its list.
#[derive(Debug, Clone, Default)]
pub struct Memory {
    /// Texts in the order they were first seen, each with who is known to accept it.
    texts: Vec<(Outcome, Vec<bool>)>,
    /// Where each text is in `texts`.
    index: HashMap<Outcome, usize>,
    /// The texts every voter is known to accept (indices into `texts`).
    agreed: BTreeSet<usize>,
    /// The voters `agreed` was computed for: active parties other than the mediating one.
    voters: Vec<bool>,
}

impl Memory {
    /// Learns from one vote.
    pub fn observe(&mut self, view: &MediatorView<'_>, vote: &Vote<'_>) {
        self.sync_voters(view);
        self.mark(vote.text, vote.party, vote.accepted);
        if let Some(counter) = vote.counter {
            self.mark(counter, vote.party, true);
        }
    }

    /// The texts every party still voting is known to accept and that are still feasible, in
    /// the order they were first seen.
    pub fn agreed<'m>(&'m mut self, view: &MediatorView<'_>) -> Vec<&'m Outcome> {
        self.sync_voters(view);
        self.agreed
            .iter()
            .map(|&k| &self.texts[k].0)
            .filter(|o| view.scenario.space.contains(o))
            .collect()
    }

    /// Recomputes the agreed set when the voters changed (a party left, mediation passed on).
    fn sync_voters(&mut self, view: &MediatorView<'_>) {
        let voters: Vec<bool> = (0..view.active.len())
            .map(|p| view.active[p] && Some(p) != view.mediator)
            .collect();
        if voters == self.voters {
            return;
        }
        self.voters = voters;
        self.agreed = (0..self.texts.len())
            .filter(|&k| self.all_accept(k))
            .collect();
    }

    fn all_accept(&self, k: usize) -> bool {
        let accepts = &self.texts[k].1;
        self.voters.iter().any(|v| *v)
            && self
                .voters
                .iter()
                .zip(accepts)
                .all(|(voter, accepts)| !voter || *accepts)
    }

    fn mark(&mut self, text: &Outcome, party: usize, accepts: bool) {
        let k = match self.index.get(text) {
            Some(&k) => k,
            None if accepts => {
                self.texts
                    .push((text.clone(), vec![false; self.voters.len()]));
                self.index.insert(text.clone(), self.texts.len() - 1);
                self.texts.len() - 1
            }
            None => return,
        };
        if let Some(slot) = self.texts[k].1.get_mut(party) {
            *slot = accepts;
        }
        if self.all_accept(k) {
            self.agreed.insert(k);
        } else {
            self.agreed.remove(&k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Party, ProtocolSettings, Scenario};
    use crate::space::{Issue, OutcomeSpace};
    use crate::tables::ScenarioTables;
    use crate::utility::{Preferences, TableUtility, Utility};

    fn scenario() -> Scenario {
        let space = OutcomeSpace::new(vec![Issue::integer("x", 0, 3)]).unwrap();
        let party = |name: &str| Party {
            name: name.into(),
            preferences: Preferences::new(Utility::Table(
                TableUtility::new(&space, HashMap::new(), 0.5).unwrap(),
            )),
            negotiator: None,
        };
        Scenario {
            compliance: Default::default(),
            name: "s".into(),
            description: String::new(),
            parties: vec![party("A"), party("B"), party("C")],
            space,
            protocol: ProtocolSettings::default(),
            events: Vec::new(),
        }
    }

    #[test]
    fn a_text_is_agreed_once_every_voter_is_known_to_accept_it() {
        let s = scenario();
        let tables = ScenarioTables::for_scenario(&s);
        let active = [true, true, true];
        let view = MediatorView {
            scenario: &s,
            tables: &tables,
            mediator: Some(2),
            active: &active,
            settled: &[None],
            round: 0,
            version: 0,
        };
        let (t1, t2) = (Outcome(vec![1]), Outcome(vec![2]));
        let vote = |party, text, accepted, counter| Vote {
            party,
            text,
            accepted,
            counter,
            verdict: None,
        };
        let mut m = Memory::default();
        m.observe(&view, &vote(0, &t1, true, None));
        assert!(m.agreed(&view).is_empty(), "B has not accepted t1");
        // B refuses t1 but counters with t2; A later accepts t2.
        m.observe(&view, &vote(1, &t1, false, Some(&t2)));
        assert!(m.agreed(&view).is_empty());
        m.observe(&view, &vote(0, &t2, true, None));
        assert_eq!(
            m.agreed(&view),
            vec![&t2],
            "the mediating party C does not vote"
        );
        // A refuses t2 after all: its acceptance is struck.
        m.observe(&view, &vote(0, &t2, false, None));
        assert!(m.agreed(&view).is_empty());
        // When A leaves, B's acceptance of t2 is enough.
        let active = [false, true, true];
        let view = MediatorView {
            active: &active,
            ..view
        };
        assert_eq!(m.agreed(&view), vec![&t2]);
    }
}
