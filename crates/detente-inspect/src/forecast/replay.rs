//! Replaying a trace up to the cut: the recorded action of every party in every round before
//! it, with the turns the record skips filled in, played by a negotiator that then hands over
//! to its model.

use std::collections::HashMap;

use detente_core::{
    Action, ActionKind, Negotiator, NegotiatorError, Outcome, Scenario, ScenarioTables,
    SessionInfo, State, Trace,
};

use crate::error::{InspectError, Result};
use crate::reading::bounds;

/// Plays the recorded actions before the cut, then hands over.
pub(super) struct Replay {
    /// Its action in every round before the cut.
    pub(super) script: Vec<Action>,
    /// Who plays from the cut on.
    pub(super) inner: Box<dyn Negotiator>,
}

impl Negotiator for Replay {
    fn init(&mut self, info: &SessionInfo<'_>) -> std::result::Result<(), NegotiatorError> {
        self.inner.init(info)
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        match self.script.get(state.round as usize) {
            Some(a) => a.clone(),
            None => self.inner.act(state),
        }
    }

    fn observe(&mut self, party: usize, action: &Action, state: &State<'_>) {
        self.inner.observe(party, action, state);
    }
}

/// The action of every party in every round before `cut`, filling turns the record skips:
/// with the outcome standing at that moment, or before any offer with the party's first
/// recorded offer (its best outcome if it never offers).
pub(super) fn replay_scripts(
    scenario: &Scenario,
    tables: &ScenarioTables,
    trace: &Trace,
    cut: u32,
) -> Result<Vec<Vec<Action>>> {
    let n = scenario.parties.len();
    let (recorded, first_offer) = recorded_actions(trace, cut, n)?;
    let mut scripts = vec![Vec::with_capacity(cut as usize); n];
    let mut standing: Option<Outcome> = None;
    for r in 0..cut {
        for (k, script) in scripts.iter_mut().enumerate() {
            let a = match (recorded.get(&(r, k)), &standing, &first_offer[k]) {
                (Some(a), _, _) => a.clone(),
                (None, Some(o), _) | (None, None, Some(o)) => Action::Offer(o.clone()),
                (None, None, None) => Action::Offer(best_outcome(scenario, tables, k)?),
            };
            if let Action::Offer(o) = &a {
                standing = Some(o.clone());
            }
            script.push(a);
        }
    }
    Ok(scripts)
}

/// Recorded actions by round and party.
type Recorded = HashMap<(u32, usize), Action>;

/// The parties' recorded actions by round and party (rounds before `cut` only), and each of
/// the `n` parties' first recorded offer (over the whole trace). A mediator's texts are left
/// out: the protocol makes them again.
fn recorded_actions(trace: &Trace, cut: u32, n: usize) -> Result<(Recorded, Vec<Option<Outcome>>)> {
    let mut recorded = Recorded::new();
    let mut first_offer: Vec<Option<Outcome>> = vec![None; n];
    for e in &trace.entries {
        let Some(party) = e.actor.party() else {
            continue;
        };
        let a = match e.kind {
            ActionKind::Offer => {
                let o = e.outcome.clone().ok_or_else(|| {
                    InspectError::Invalid("an offer in the trace has no outcome".into())
                })?;
                if first_offer[party].is_none() {
                    first_offer[party] = Some(o.clone());
                }
                Action::Offer(o)
            }
            ActionKind::Accept => Action::Accept,
            ActionKind::End => Action::End,
            ActionKind::Propose => continue,
        };
        if e.round < cut {
            recorded.insert((e.round, party), a);
        }
    }
    Ok((recorded, first_offer))
}

/// Party `k`'s best outcome.
fn best_outcome(scenario: &Scenario, tables: &ScenarioTables, k: usize) -> Result<Outcome> {
    let (_, _, table) = bounds(scenario, tables, k)?;
    scenario
        .space
        .outcome(table.order[0])
        .ok_or_else(|| InspectError::Invalid("the best outcome cannot be decoded".into()))
}
