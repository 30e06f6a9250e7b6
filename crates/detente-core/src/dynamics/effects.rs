//! One function per timeline effect ([`crate::Effect`]), each returning what it did.

use std::sync::Arc;

use super::{Applied, Dynamics};
use crate::scenario::Change;
use crate::utility::{InteractionUtility, LinearAdditive, Utility};

/// A party leaves; with `end_talks`, or when fewer than two parties remain, the talks end.
pub fn leave(d: &mut Dynamics<'_>, party: usize, end_talks: bool) -> Applied {
    let name = d.party_name(party);
    if !d.active[party] {
        return Applied::Unchanged(format!("{name} has already left"));
    }
    Arc::make_mut(&mut d.active)[party] = false;
    d.positions[party] = None;
    if end_talks {
        return Applied::EndsTalks {
            party,
            description: format!("{name} leaves, and the talks end"),
        };
    }
    if d.n_active() < 2 {
        return Applied::EndsTalks {
            party,
            description: format!("{name} leaves; too few parties remain, and the talks end"),
        };
    }
    Applied::Changed(format!("{name} leaves the talks; they go on without it"))
}

/// A party's reservation value changes. A value set replaces the fallback before partial
/// agreements: what the settled issues are worth to the party stays on top of it.
pub fn reservation(d: &mut Dynamics<'_>, party: usize, change: Change) -> Applied {
    let name = d.party_name(party);
    let bonus = d.bonus[party];
    let prefs = &mut d.live_mut().parties[party].preferences;
    let old = prefs.reservation;
    prefs.reservation = match change {
        Change::Set(v) => v + bonus,
        Change::Shift(_) => change.apply(old),
    };
    Applied::Changed(format!(
        "{name}'s reservation value moves from {old:.3} to {:.3}",
        prefs.reservation
    ))
}

/// A party's weight of an issue changes (linear additive preferences, with or without
/// interaction terms; other utility functions have no weights to change).
pub fn weight(d: &mut Dynamics<'_>, party: usize, issue: usize, weight: f64) -> Applied {
    d.restore_plain(party);
    let applied = weight_plain(d, party, issue, weight);
    d.apply_trust();
    applied
}

/// [`weight`] on the utility before trust in obligations.
fn weight_plain(d: &mut Dynamics<'_>, party: usize, issue: usize, weight: f64) -> Applied {
    let name = d.party_name(party);
    let issue_name = &d.base.space.issues()[issue].name;
    let space = d.base.space.clone();
    let prefs = &mut d.live_mut().parties[party].preferences;
    let (lin, interactions) = match &prefs.utility {
        Utility::LinearAdditive(l) => (l, None),
        Utility::Interacting(i) => (i.base(), Some(i.interactions().to_vec())),
        _ => {
            return Applied::Unchanged(format!(
                "{name}'s weight of {issue_name} cannot change (no weights)"
            ));
        }
    };
    let mut weights = lin.weights().to_vec();
    let old = weights[issue];
    weights[issue] = weight;
    let rebuilt = LinearAdditive::new(&space, weights, lin.evaluators().to_vec(), lin.cap())
        .and_then(|base| match interactions {
            Some(terms) => InteractionUtility::new(&space, base, terms).map(Utility::Interacting),
            None => Ok(Utility::LinearAdditive(base)),
        });
    match rebuilt {
        Ok(u) => {
            prefs.utility = u;
            Applied::Changed(format!(
                "{name}'s weight of {issue_name} moves from {old} to {weight}"
            ))
        }
        Err(e) => Applied::Unchanged(format!(
            "{name}'s weight of {issue_name} cannot change: {e}"
        )),
    }
}

/// The deadline moves to `rounds` rounds in total (at least one).
pub fn deadline(d: &mut Dynamics<'_>, rounds: u32) -> Applied {
    let old = d.deadline;
    d.deadline = rounds.max(1);
    Applied::Changed(format!(
        "the deadline moves from round {old} to round {}",
        d.deadline
    ))
}

/// A value of an issue becomes available or unavailable. A settled issue's values no longer
/// change, and a value stays available when no feasible outcome would remain without it.
pub fn availability(d: &mut Dynamics<'_>, issue: usize, value: u32, available: bool) -> Applied {
    if let Some(v) = d.settled[issue] {
        let issue_def = &d.base.space.issues()[issue];
        let fixed = issue_def
            .value(v)
            .map(|x| x.to_string())
            .unwrap_or_default();
        return Applied::Unchanged(format!(
            "{} is already settled at {fixed}; its values no longer change",
            issue_def.name
        ));
    }
    let label = d.value_label(issue, value);
    d.ensure_unavailable();
    let Some(was_blocked) = d.unavailable[issue].get(value as usize).copied() else {
        return Applied::Unchanged(format!(
            "{label} cannot change availability (issue too large)"
        ));
    };
    let state = |available: bool| {
        if available {
            "available"
        } else {
            "unavailable"
        }
    };
    if was_blocked != available {
        return Applied::Unchanged(format!("{label} is already {}", state(available)));
    }
    d.unavailable[issue][value as usize] = !available;
    if d.apply_blocked() {
        Applied::Changed(format!("{label} becomes {}", state(available)))
    } else {
        d.unavailable[issue][value as usize] = was_blocked;
        Applied::Unchanged(format!(
            "{label} stays available: without it no feasible outcome would remain"
        ))
    }
}

/// A partial agreement lapses: the issue is open again, and what the settlement was worth to
/// each party leaves its fallback.
pub fn unsettle(d: &mut Dynamics<'_>, issue: usize) -> Applied {
    let Some(v) = d.settled[issue] else {
        let name = &d.base.space.issues()[issue].name;
        return Applied::Unchanged(format!("{name} is not settled; nothing lapses"));
    };
    let label = d.value_label(issue, v);
    d.settled[issue] = None;
    if !d.apply_blocked() {
        d.settled[issue] = Some(v);
        return Applied::Unchanged(format!(
            "{label} stays settled: without it no feasible outcome would remain"
        ));
    }
    let moves = d.revalue_settlements();
    Applied::Changed(format!(
        "the settlement {label} lapses; the issue is open again{moves}"
    ))
}

/// An issue is settled at `value` by an agreement made away from the table: as a partial
/// agreement (its worth joins the fallbacks), without asking for consent.
pub fn settle(d: &mut Dynamics<'_>, issue: usize, value: u32) -> Applied {
    let label = d.value_label(issue, value);
    if d.settled[issue] == Some(value) {
        return Applied::Unchanged(format!("{label} is already settled"));
    }
    let before = d.settled[issue];
    d.settled[issue] = Some(value);
    if !d.apply_blocked() {
        d.settled[issue] = before;
        return Applied::Unchanged(format!(
            "{label} cannot be settled: no feasible outcome would remain"
        ));
    }
    let moves = d.revalue_settlements();
    Applied::Changed(format!(
        "{label} is agreed away from the table and fixed for the rest of the talks{moves}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Party, ProtocolSettings, Scenario};
    use crate::space::{Issue, OutcomeSpace};
    use crate::utility::{Evaluator, Preferences};

    fn three_parties() -> Scenario {
        let space = OutcomeSpace::new(vec![Issue::integer("x", 0, 2)]).unwrap();
        let lin = || {
            let ev = Evaluator::Linear {
                slope: 0.5,
                intercept: 0.0,
                origin: 0.0,
                clamp: true,
            };
            Utility::LinearAdditive(LinearAdditive::new(&space, vec![1.0], vec![ev], None).unwrap())
        };
        let party = |name: &str| Party {
            name: name.into(),
            preferences: Preferences::new(lin()),
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
    fn each_effect_says_what_it_did() {
        let s = three_parties();
        let tables = crate::ScenarioTables::for_scenario(&s);
        let mut d = Dynamics::new(&s, &tables, 10);
        assert_eq!(
            leave(&mut d, 1, false),
            Applied::Changed("B leaves the talks; they go on without it".into())
        );
        assert_eq!(
            leave(&mut d, 1, false),
            Applied::Unchanged("B has already left".into())
        );
        assert_eq!(
            leave(&mut d, 0, false),
            Applied::EndsTalks {
                party: 0,
                description: "A leaves; too few parties remain, and the talks end".into()
            }
        );
        assert_eq!(
            reservation(&mut d, 2, Change::Shift(0.25)),
            Applied::Changed("C's reservation value moves from 0.000 to 0.250".into())
        );
        assert_eq!(d.scenario().parties[2].preferences.reservation, 0.25);
        assert_eq!(
            s.parties[2].preferences.reservation, 0.0,
            "the base never changes"
        );
        assert_eq!(
            weight(&mut d, 2, 0, 0.5),
            Applied::Changed("C's weight of x moves from 1 to 0.5".into())
        );
        assert_eq!(
            deadline(&mut d, 0),
            Applied::Changed("the deadline moves from round 10 to round 1".into())
        );
        assert_eq!(
            availability(&mut d, 0, 2, false),
            Applied::Changed("x=2 becomes unavailable".into())
        );
        assert_eq!(
            availability(&mut d, 0, 2, false),
            Applied::Unchanged("x=2 is already unavailable".into())
        );
        assert!(!d.scenario().space.contains(&crate::Outcome(vec![2])));
        availability(&mut d, 0, 1, false);
        assert_eq!(
            availability(&mut d, 0, 0, false),
            Applied::Unchanged(
                "x=0 stays available: without it no feasible outcome would remain".into()
            )
        );
    }
}
