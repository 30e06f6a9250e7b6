//! JSON traces read as written: mediated talks, and talks changed by events (a party leaving,
//! values withdrawn). Parties, offers and texts are checked against the scenario; the result
//! is the one the trace states.

use std::path::Path;

use detente_core::{
    ActionKind, Actor, FiredEvent, Outcome, ProtocolKind, Scenario, Termination, Trace, TraceEntry,
};

use super::outcome::outcome_of_doc;
use super::{Place, RecordedTrace, TraceSource, agreement, no_such_party, result_for, termination};
use crate::error::Result;
use crate::trace::doc::{ActionDoc, TraceDoc};

/// Reads the actions and result of `doc` as written.
pub(super) fn replay(
    doc: &TraceDoc,
    scenario: &Scenario,
    origin: &Path,
    events: Vec<FiredEvent>,
) -> Result<RecordedTrace> {
    let mediated = matches!(scenario.protocol.kind, ProtocolKind::Mediated { .. });
    let mut entries = Vec::with_capacity(doc.actions.len());
    let mut standing: Option<Outcome> = None;
    for (k, a) in doc.actions.iter().enumerate() {
        let place = Place::In(format!("$.actions[{k}] (round {})", u64::from(a.round) + 1));
        let entry = entry(a, doc.deadline, scenario, mediated, &mut standing)
            .map_err(|m| place.error(origin, m))?;
        entries.push(entry);
    }
    let at = |loc: &str, m: String| Place::In(loc.into()).error(origin, m);
    let termination = termination(&doc.result, |name| {
        scenario
            .party_index(name)
            .ok_or_else(|| no_such_party(scenario, name))
    })
    .map_err(|(loc, m)| at(loc, m))?;
    let agreement = agreement(doc, scenario).map_err(|m| at("$.result.agreement", m))?;
    if (termination == Termination::Agreement) != agreement.is_some() {
        return Err(at(
            "$.result",
            "an agreement needs an agreed outcome, and only an agreement has one".into(),
        ));
    }
    let mut result = result_for(
        scenario,
        termination,
        agreement,
        doc.result.rounds,
        doc.result.time,
    );
    // Events may have moved reservation values: the final utilities are the ones recorded.
    for (p, party) in scenario.parties.iter().enumerate() {
        if let Some(&x) = doc.result.utilities.get(&party.name) {
            result.utilities[p] = x;
        }
    }
    Ok(RecordedTrace {
        notes: vec![None; entries.len()],
        trace: Trace {
            compliance: Vec::new(),
            parties: scenario.parties.iter().map(|p| p.name.clone()).collect(),
            seed: doc.seed,
            deadline: doc.deadline,
            entries,
            events,
            result,
        },
        finished: true,
        negotiators: doc.parties.iter().map(|p| p.negotiator.clone()).collect(),
        source: TraceSource::Json,
    })
}

/// One action as a trace entry. In mediated talks only a proposal puts a text on the table
/// (a party's offer is its counter-proposal); otherwise every offer does.
fn entry(
    a: &ActionDoc,
    deadline: u32,
    scenario: &Scenario,
    mediated: bool,
    standing: &mut Option<Outcome>,
) -> std::result::Result<TraceEntry, String> {
    if a.round >= deadline {
        return Err(format!(
            "round {} is past the deadline of {deadline} rounds",
            u64::from(a.round) + 1
        ));
    }
    let actor = match scenario.party_index(&a.party) {
        Some(p) => Actor::Party(p),
        None if a.action == ActionKind::Propose && a.party == Actor::MEDIATOR_NAME => {
            Actor::Mediator
        }
        None => return Err(no_such_party(scenario, &a.party)),
    };
    let outcome = match a.action {
        ActionKind::Offer | ActionKind::Propose => {
            let o = a
                .offer
                .as_ref()
                .ok_or_else(|| format!("{} makes an offer without an outcome", a.party))?;
            let o = outcome_of_doc(scenario, o)?;
            if a.action == ActionKind::Propose || !mediated {
                *standing = Some(o.clone());
            }
            Some(o)
        }
        ActionKind::Accept => Some(
            standing
                .clone()
                .ok_or_else(|| format!("{} accepts, but nothing is on the table", a.party))?,
        ),
        ActionKind::End => None,
    };
    let utilities = outcome
        .as_ref()
        .map(|o| scenario.utilities(o))
        .unwrap_or_default();
    Ok(TraceEntry {
        round: a.round,
        actor,
        time: a.time,
        kind: a.action,
        outcome,
        utilities,
    })
}
