//! The replay of a hand-written record of mediated single-text talks, turn by turn: in each
//! round the mediator (the scenario's mediating party, or `mediator` for a neutral one)
//! `propose`s a text, then the other parties vote in turn order: `accept` (the text on the
//! table), `offer` (a rejection with a counter-proposal) or `end` (a walk-out); a party may
//! skip a round. A text every voting party accepts in the round it was tabled is agreed. The
//! mediating party does not vote: tabling a text is its acceptance of it.

use detente_core::{ActionKind, Actor, Outcome, ProtocolKind, Scenario, Termination, TraceEntry};

use super::outcome::{parse_outcome, party_list};
use super::{RecordedTrace, Step, TraceSource, no_such_party, record_trace};

/// A record of mediated talks built action by action, each checked against the scenario and
/// the protocol.
pub(super) struct MediatedTurns<'s> {
    scenario: &'s Scenario,
    deadline: u32,
    /// The mediating party, if a party mediates.
    mediator: Option<usize>,
    entries: Vec<TraceEntry>,
    notes: Vec<Option<String>>,
    /// The text on the table and the round it was tabled in.
    text: Option<(Outcome, u32)>,
    /// Who accepted it.
    accepted: Vec<bool>,
    /// How the talks ended, and when.
    ended: Option<(Termination, f64)>,
    /// The round and slot (0 the mediator, 1 + p party p) of the last action.
    last: Option<(u32, usize)>,
}

impl<'s> MediatedTurns<'s> {
    /// A replay of `scenario`'s mediated talks, `None` when its protocol is not mediated.
    pub(super) fn new(scenario: &'s Scenario, deadline: u32) -> Option<Self> {
        let ProtocolKind::Mediated { mediator, .. } = &scenario.protocol.kind else {
            return None;
        };
        Some(MediatedTurns {
            scenario,
            deadline,
            mediator: *mediator,
            entries: Vec::new(),
            notes: Vec::new(),
            text: None,
            accepted: vec![false; scenario.parties.len()],
            ended: None,
            last: None,
        })
    }

    /// Who acts: the neutral mediator, or a party.
    fn actor(&self, name: &str) -> Result<Actor, String> {
        match self.scenario.party_index(name) {
            Some(p) => Ok(Actor::Party(p)),
            None if name == Actor::MEDIATOR_NAME => Ok(Actor::Mediator),
            None => Err(no_such_party(self.scenario, name)),
        }
    }

    /// The normalised time of a slot's turn in `round`: the mediator's first, then the
    /// parties'.
    fn turn_time(&self, round: u32, slot: usize) -> f64 {
        let n = self.scenario.parties.len() as f64 + 1.0;
        (f64::from(round) * n + slot as f64) / (f64::from(self.deadline) * n)
    }

    /// Adds an action, checked against the scenario and the protocol.
    pub(super) fn push(&mut self, step: &Step) -> Result<(), String> {
        let actor = self.actor(&step.party)?;
        let offer = step
            .offer
            .as_ref()
            .map(|pairs| {
                let pairs = pairs.iter().map(|(k, v)| (k.as_str(), v.clone()));
                parse_outcome(self.scenario, pairs)
            })
            .transpose()?;
        let slot = self.check_turn(step, actor)?;
        let time = step
            .time
            .unwrap_or_else(|| self.turn_time(step.round, slot));
        let outcome = match actor {
            Actor::Mediator => self.propose(&step.party, step.kind, offer, step.round)?,
            Actor::Party(p) if Some(p) == self.mediator => {
                self.propose(&step.party, step.kind, offer, step.round)?
            }
            Actor::Party(p) => self.vote(p, step.kind, offer, (step.round, time))?,
        };
        let utilities = outcome
            .as_ref()
            .map(|o| self.scenario.utilities(o))
            .unwrap_or_default();
        self.entries.push(TraceEntry {
            round: step.round,
            actor,
            time,
            kind: step.kind,
            outcome,
            utilities,
        });
        self.notes.push(step.note.clone());
        self.last = Some((step.round, slot));
        Ok(())
    }

    /// Whether the actor may act now: the talks go on, the deadline has not passed, and the
    /// actions come in round and turn order (the mediator first). Its slot in the round.
    fn check_turn(&self, step: &Step, actor: Actor) -> Result<usize, String> {
        let name = &step.party;
        if let Some((t, _)) = &self.ended {
            let how = match t {
                Termination::Agreement => "in an agreement",
                _ => "in a walk-out",
            };
            return Err(format!("{name} acts after the talks ended ({how})"));
        }
        if step.round >= self.deadline {
            return Err(format!(
                "round {} is past the deadline of {} rounds",
                u64::from(step.round) + 1,
                self.deadline
            ));
        }
        let slot = match actor {
            Actor::Mediator => 0,
            Actor::Party(p) if Some(p) == self.mediator => 0,
            Actor::Party(p) => 1 + p,
        };
        match self.last {
            Some((lr, _)) if step.round < lr => Err(format!(
                "round {} comes after round {}: list the actions in order",
                step.round + 1,
                lr + 1
            )),
            Some((lr, ls)) if step.round == lr && slot <= ls => Err(format!(
                "{name} acts in round {} out of turn: in each round the mediator tables its \
                 text first, then the parties vote once each, in the order {}",
                step.round + 1,
                party_list(self.scenario)
            )),
            _ => Ok(slot),
        }
    }

    /// The mediator tables `offer` (its only action).
    fn propose(
        &mut self,
        name: &str,
        kind: ActionKind,
        offer: Option<Outcome>,
        round: u32,
    ) -> Result<Option<Outcome>, String> {
        if kind != ActionKind::Propose {
            return Err(format!(
                "{name} mediates: its actions are the texts it tables (`propose`), not `{}`",
                kind.as_str()
            ));
        }
        let o = offer.ok_or_else(|| format!("{name} proposes a text without an outcome"))?;
        self.text = Some((o.clone(), round));
        self.accepted.iter_mut().for_each(|a| *a = false);
        Ok(Some(o))
    }

    /// Party `p` votes on the text tabled this round.
    fn vote(
        &mut self,
        p: usize,
        kind: ActionKind,
        offer: Option<Outcome>,
        (round, time): (u32, f64),
    ) -> Result<Option<Outcome>, String> {
        let name = &self.scenario.parties[p].name;
        match kind {
            ActionKind::Propose => Err(format!(
                "{name} proposes a text, but only the mediator tables texts: a party's own \
                 proposal is an `offer` (a rejection with a counter-proposal)"
            )),
            ActionKind::Offer => offer
                .ok_or_else(|| format!("{name} makes an offer without an outcome"))
                .map(Some),
            ActionKind::End => {
                if offer.is_some() {
                    return Err(format!("{name} walks out but the record gives an offer"));
                }
                self.ended = Some((Termination::Ended { party: p }, time));
                Ok(None)
            }
            ActionKind::Accept => self.accept(p, offer, (round, time)).map(Some),
        }
    }

    /// Party `p` accepts the text tabled this round (which must be `offer`, when given).
    fn accept(
        &mut self,
        p: usize,
        offer: Option<Outcome>,
        (round, time): (u32, f64),
    ) -> Result<Outcome, String> {
        let name = &self.scenario.parties[p].name;
        let text = match &self.text {
            Some((text, r)) if *r == round => text.clone(),
            _ => {
                return Err(format!(
                    "{name} accepts, but no text was tabled in round {}",
                    round + 1
                ));
            }
        };
        if let Some(o) = offer.filter(|o| *o != text) {
            return Err(format!(
                "{name} accepts {}, but the text on the table is {}",
                self.scenario.space.display(&o),
                self.scenario.space.display(&text)
            ));
        }
        self.accepted[p] = true;
        let voters = (0..self.accepted.len()).filter(|&j| Some(j) != self.mediator);
        if voters.clone().all(|j| self.accepted[j]) {
            self.ended = Some((Termination::Agreement, time));
        }
        Ok(text)
    }

    /// The trace of the record, with the result the actions imply.
    pub(super) fn finish_record(self, source: TraceSource) -> RecordedTrace {
        let agreement = match &self.ended {
            Some((Termination::Agreement, _)) => self.text.map(|(o, _)| o),
            _ => None,
        };
        let last_round = self.last.map_or(0, |(r, _)| r);
        let end = (self.ended, agreement, last_round);
        let (scenario, deadline) = (self.scenario, self.deadline);
        record_trace(scenario, deadline, (self.entries, self.notes), end, source)
    }
}
