//! Parameters named by elements of the scenario other than parties and issues: a timeline
//! event's round or shift (`event.NAME.round`, `event.NAME.shift[.PARTY]`) and a linkage's
//! bonus (`bonus.PARTY.NAME`).

use detente_core::{Change, Effect, Scenario, Trigger, Utility};

use super::axis::{Param, party, party_names};
use crate::error::{InspectError, Result};

/// `event.NAME.round` or `event.NAME.shift[.PARTY]` (`rest` is what follows `event.`).
/// Event names may hold dots: the longest name that fits is taken.
pub(super) fn event_param(scenario: &Scenario, name: &str, rest: &str) -> Result<Param> {
    let found = scenario
        .events
        .iter()
        .enumerate()
        .filter_map(|(k, e)| Some((k, rest.strip_prefix(e.name.as_str())?.strip_prefix('.')?)))
        .max_by_key(|(k, _)| scenario.events[*k].name.len());
    let Some((k, what)) = found else {
        let names: Vec<&str> = scenario.events.iter().map(|e| e.name.as_str()).collect();
        let event = rest
            .rsplit_once(".shift")
            .or_else(|| rest.rsplit_once(".round"))
            .map_or(rest, |(e, _)| e);
        return Err(InspectError::Invalid(format!(
            "`{name}`: the scenario has no event `{event}` (events: {})",
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        )));
    };
    match what {
        "round" => round_param(scenario, name, k),
        "shift" => shift_param(scenario, name, k, None),
        _ => match what.strip_prefix("shift.") {
            Some(p) => shift_param(scenario, name, k, Some(party(scenario, p, name)?)),
            None => Err(InspectError::Invalid(format!(
                "`{name}`: expected event.NAME.round, event.NAME.shift or \
                 event.NAME.shift.PARTY"
            ))),
        },
    }
}

/// The round of event `k`, which must have a round trigger.
fn round_param(scenario: &Scenario, name: &str, k: usize) -> Result<Param> {
    if !matches!(
        scenario.events[k].trigger,
        Trigger::Round(_) | Trigger::NoAgreementBy(_)
    ) {
        return Err(InspectError::Invalid(format!(
            "`{name}`: the event's trigger is not a round, so it has no round to vary"
        )));
    }
    Ok(Param::EventRound(k))
}

/// The reservation shift of event `k` (of `party`'s reservation, when given): the one effect
/// with a magnitude, or the one of that party.
fn shift_param(scenario: &Scenario, name: &str, k: usize, party: Option<usize>) -> Result<Param> {
    let event = &scenario.events[k];
    let shifts: Vec<(usize, usize)> = event
        .effects
        .iter()
        .enumerate()
        .filter_map(|(j, e)| match e {
            Effect::Reservation {
                party,
                change: Change::Shift(_),
            } => Some((j, *party)),
            _ => None,
        })
        .filter(|(_, p)| party.is_none_or(|want| want == *p))
        .collect();
    let whose = |list: &[(usize, usize)]| {
        list.iter()
            .map(|&(_, p)| scenario.parties[p].name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match shifts.as_slice() {
        [(j, _)] => Ok(Param::EventShift(k, *j)),
        [] => Err(InspectError::Invalid(format!(
            "`{name}`: the event `{}` has no effect with a magnitude{} (its effects: {}); \
             `shift` varies the size of a reservation shift such as \
             `{{ reservation = \"PARTY\", shift = -0.05 }}`",
            event.name,
            party.map_or(String::new(), |p| format!(
                " on {}'s reservation",
                scenario.parties[p].name
            )),
            effects_text(scenario, &event.effects)
        ))),
        several => Err(InspectError::Invalid(format!(
            "`{name}`: the event `{}` shifts several reservations ({}); name one, e.g. \
             `event.{}.shift.{}`",
            event.name,
            whose(several),
            event.name,
            scenario.parties[several[0].1].name
        ))),
    }
}

/// The effects of an event, briefly.
fn effects_text(scenario: &Scenario, effects: &[Effect]) -> String {
    let party = |p: usize| scenario.parties.get(p).map_or("?", |x| x.name.as_str());
    let issue = |i: usize| {
        scenario
            .space
            .issues()
            .get(i)
            .map_or("?", |x| x.name.as_str())
    };
    let list: Vec<String> = effects
        .iter()
        .map(|e| match e {
            Effect::Leave { party: p, .. } => format!("{} leaves", party(*p)),
            Effect::Reservation {
                party: p,
                change: Change::Set(v),
            } => format!("{}'s reservation set to {v}", party(*p)),
            Effect::Reservation { party: p, .. } => format!("{}'s reservation shifts", party(*p)),
            Effect::Weight {
                party: p, issue: i, ..
            } => {
                format!("{}'s weight of {} set", party(*p), issue(*i))
            }
            Effect::Deadline { rounds } => format!("deadline moved to {rounds}"),
            Effect::Unsettle { issue: i } => format!("{} unsettled", issue(*i)),
            Effect::Expire { issue: i } => format!("the obligation on {} ends", issue(*i)),
            Effect::Settle { issue: i, .. } => format!("{} settled", issue(*i)),
            Effect::Availability { issue: i, .. } => {
                format!("a value of {} made (un)available", issue(*i))
            }
        })
        .collect();
    if list.is_empty() {
        "none".into()
    } else {
        list.join(", ")
    }
}

/// `bonus.PARTY.NAME` (`rest` is what follows `bonus.`): a linkage (interaction term) of a
/// party's utility. Party and linkage names may hold dots: every party whose name and a dot
/// begin `rest` is tried.
pub(super) fn bonus_param(scenario: &Scenario, name: &str, rest: &str) -> Result<Param> {
    let candidates: Vec<(usize, &str)> = scenario
        .parties
        .iter()
        .enumerate()
        .filter_map(|(p, x)| Some((p, rest.strip_prefix(x.name.as_str())?.strip_prefix('.')?)))
        .collect();
    if candidates.is_empty() {
        return Err(InspectError::Invalid(format!(
            "`{name}`: expected bonus.PARTY.LINKAGE with a party of the scenario (parties: {})",
            party_names(scenario)
        )));
    }
    for &(p, linkage) in &candidates {
        if let Utility::Interacting(u) = &scenario.parties[p].preferences.utility
            && let Some(k) = u.interactions().iter().position(|t| t.name == linkage)
        {
            return Ok(Param::Bonus(p, k));
        }
    }
    let (p, linkage) = candidates[0];
    let party = &scenario.parties[p];
    let names: Vec<&str> = match &party.preferences.utility {
        Utility::Interacting(u) => u.interactions().iter().map(|t| t.name.as_str()).collect(),
        _ => Vec::new(),
    };
    Err(InspectError::Invalid(if names.is_empty() {
        format!(
            "`{name}`: party `{}` has no linkages (interaction terms) whose bonus could vary",
            party.name
        )
    } else {
        format!(
            "`{name}`: party `{}` has no linkage `{linkage}` (its linkages: {})",
            party.name,
            names.join(", ")
        )
    }))
}
