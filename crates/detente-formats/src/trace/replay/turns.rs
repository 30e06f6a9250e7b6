//! The replay of alternating offers, turn by turn: rounds count from 0, every action names a
//! party of the scenario and is `offer`, `accept` or `end`, an offer gives a value for every
//! issue, and the actions of a round come in the scenario's turn order (a party may skip a
//! round). An agreement is reached when every party other than the one that made the
//! standing offer has accepted it, with no new offer in between.

use detente_core::{
    ActionKind, Actor, NegotiationResult, Outcome, Scenario, Termination, Trace, TraceEntry,
};

use super::outcome::{parse_outcome, party_list};
use super::{RecordedTrace, Step, TraceSource, no_such_party, record_trace};
use crate::trace::doc::TraceDoc;

/// A trace built action by action, each checked against the scenario and the protocol.
pub(super) struct Turns<'s> {
    scenario: &'s Scenario,
    deadline: u32,
    entries: Vec<TraceEntry>,
    notes: Vec<Option<String>>,
    /// The standing offer and who made it.
    standing: Option<(Outcome, usize)>,
    /// Who has accepted the standing offer.
    accepted: Vec<bool>,
    /// How the talks ended, and when.
    ended: Option<(Termination, f64)>,
    /// The round and party of the last action.
    last: Option<(u32, usize)>,
}

impl<'s> Turns<'s> {
    pub(super) fn new(scenario: &'s Scenario, deadline: u32) -> Self {
        Turns {
            scenario,
            deadline,
            entries: Vec::new(),
            notes: Vec::new(),
            standing: None,
            accepted: vec![false; scenario.parties.len()],
            ended: None,
            last: None,
        }
    }

    fn n(&self) -> usize {
        self.scenario.parties.len()
    }

    /// The normalised time of party `party`'s turn in round `round`.
    fn turn_time(&self, round: u32, party: usize) -> f64 {
        let n = self.n() as f64;
        (f64::from(round) * n + party as f64) / (f64::from(self.deadline) * n)
    }

    /// The index of the party called `name`, or why there is none.
    pub(super) fn party_index(&self, name: &str) -> Result<usize, String> {
        self.scenario
            .party_index(name)
            .ok_or_else(|| no_such_party(self.scenario, name))
    }

    /// The agreement the actions led to, if they led to one.
    pub(super) fn agreement(&self) -> Option<Outcome> {
        match &self.ended {
            Some((Termination::Agreement, _)) => self.standing.as_ref().map(|(o, _)| o.clone()),
            _ => None,
        }
    }

    /// Adds an action, checked against the scenario and the protocol.
    pub(super) fn push(&mut self, step: &Step) -> Result<(), String> {
        let party = self.party_index(&step.party)?;
        let offer = step
            .offer
            .as_ref()
            .map(|pairs| {
                parse_outcome(
                    self.scenario,
                    pairs.iter().map(|(k, v)| (k.as_str(), v.clone())),
                )
            })
            .transpose()?;
        self.check_turn(step.round, party)?;
        let time = step
            .time
            .unwrap_or_else(|| self.turn_time(step.round, party));
        let outcome = self.act(party, step.kind, offer, time)?;
        let utilities = outcome
            .as_ref()
            .map(|o| self.scenario.utilities(o))
            .unwrap_or_default();
        self.entries.push(TraceEntry {
            round: step.round,
            actor: Actor::Party(party),
            time,
            kind: step.kind,
            outcome,
            utilities,
        });
        self.notes.push(step.note.clone());
        self.last = Some((step.round, party));
        Ok(())
    }

    /// Whether `party` may act in `round` (from 0): the talks go on, the deadline has not
    /// passed, and the actions come in round and turn order.
    fn check_turn(&self, round: u32, party: usize) -> Result<(), String> {
        let name = &self.scenario.parties[party].name;
        if let Some((t, _)) = &self.ended {
            return Err(format!(
                "{name} acts after the talks ended ({})",
                match t {
                    Termination::Agreement => "in an agreement",
                    _ => "in a walk-out",
                }
            ));
        }
        if round >= self.deadline {
            return Err(format!(
                "round {} is past the deadline of {} rounds",
                u64::from(round) + 1,
                self.deadline
            ));
        }
        let Some((lr, lp)) = self.last else {
            return Ok(());
        };
        if round < lr {
            return Err(format!(
                "round {} comes after round {}: list the actions in order",
                round + 1,
                lr + 1
            ));
        }
        if round == lr && party <= lp {
            return Err(format!(
                "{name} acts in round {} after {}, but each party has one turn per round, \
                 in the order {}: list a round's actions in that order",
                round + 1,
                self.scenario.parties[lp].name,
                party_list(self.scenario)
            ));
        }
        Ok(())
    }

    /// What an action does to the talks; the outcome it is about.
    fn act(
        &mut self,
        party: usize,
        kind: ActionKind,
        offer: Option<Outcome>,
        time: f64,
    ) -> Result<Option<Outcome>, String> {
        let name = &self.scenario.parties[party].name;
        match kind {
            ActionKind::Offer => {
                let o = offer.ok_or_else(|| format!("{name} makes an offer without an outcome"))?;
                self.standing = Some((o.clone(), party));
                self.accepted.iter_mut().for_each(|a| *a = false);
                Ok(Some(o))
            }
            ActionKind::Propose => Err(format!(
                "{name} proposes a mediator's text: records of mediated talks cannot be read yet, only alternating offers"
            )),
            ActionKind::Accept => self.accept(party, offer, time).map(Some),
            ActionKind::End => {
                if offer.is_some() {
                    return Err(format!("{name} walks out but the record gives an offer"));
                }
                self.ended = Some((Termination::Ended { party }, time));
                Ok(None)
            }
        }
    }

    /// `party` accepts the standing offer (which must be `offer`, when given).
    fn accept(
        &mut self,
        party: usize,
        offer: Option<Outcome>,
        time: f64,
    ) -> Result<Outcome, String> {
        let name = &self.scenario.parties[party].name;
        let Some((standing, by)) = &self.standing else {
            return Err(format!("{name} accepts, but no offer is standing"));
        };
        if *by == party {
            return Err(format!("{name} accepts its own offer"));
        }
        if let Some(o) = &offer
            && o != standing
        {
            return Err(format!(
                "{name} accepts {}, but the standing offer is {}",
                self.scenario.space.display(o),
                self.scenario.space.display(standing)
            ));
        }
        let (standing, by) = (standing.clone(), *by);
        self.accepted[party] = true;
        if (0..self.n()).all(|j| j == by || self.accepted[j]) {
            self.ended = Some((Termination::Agreement, time));
        }
        Ok(standing)
    }

    fn trace(self, seed: u64, result: NegotiationResult) -> (Trace, Vec<Option<String>>) {
        let trace = Trace {
            compliance: Vec::new(),
            parties: self
                .scenario
                .parties
                .iter()
                .map(|p| p.name.clone())
                .collect(),
            seed,
            deadline: self.deadline,
            entries: self.entries,
            events: Vec::new(),
            result,
        };
        (trace, self.notes)
    }

    /// The trace of a hand-written record, with the result the actions imply.
    pub(super) fn finish_record(self, source: TraceSource) -> RecordedTrace {
        let last_round = self.last.map_or(0, |(r, _)| r);
        let end = (self.ended.clone(), self.agreement(), last_round);
        let (scenario, deadline) = (self.scenario, self.deadline);
        record_trace(scenario, deadline, (self.entries, self.notes), end, source)
    }

    /// The trace of a JSON document, with the result it states (checked by the caller).
    pub(super) fn finish_json(self, doc: &TraceDoc, result: NegotiationResult) -> RecordedTrace {
        let (trace, notes) = self.trace(doc.seed, result);
        RecordedTrace {
            trace,
            finished: true,
            negotiators: doc.parties.iter().map(|p| p.negotiator.clone()).collect(),
            notes,
            source: TraceSource::Json,
        }
    }
}
