//! Partial agreements: at the end of a round (but the last), an open issue on which every
//! active party's current position agrees, and to whose settlement every active party
//! consents, is settled for the rest of the talks (its other values become unavailable).
//!
//! When the positions agree on every open issue, that whole package is the agreement. Otherwise,
//! each issue on which they agree needs every party's consent.
//!
//! **Consent.** A party consents to settling issue `i` at value `v` (which its position `x`
//! has) when `x` is at or above the party's reservation value in force, and
//! - when the issue has a status quo `q` (the value that holds without agreement): `v != q` and
//!   the party is no worse off with `v` than with `q` (the rest of its position unchanged), so
//!   that the settlement is something it gains from, not an accident of how it broke ties;
//! - without a status quo: no other value of the issue would serve it better, the rest of its
//!   position unchanged.
//!
//! **Worth.** A settlement holds even if the talks fail, so it is worth something to each party
//! without a full agreement: its fallback (reservation value) rises by what the settled issues
//! with a status quo give it over the status quo, `u(s) - u(q)`, where `q` holds every issue at
//! its status quo (or its first value when it has none) and `s` is `q` with the settled values.
//! The final utility of talks that end without a full agreement is therefore the reservation
//! value plus the worth of what was settled. When a settlement lapses ([`super::effects::unsettle`])
//! the worth leaves the fallback again.

use super::Dynamics;
use crate::space::Outcome;
use crate::trace::{Cause, FiredEvent};

/// Tolerance when comparing a party's utilities of two values.
const EPS: f64 = 1e-12;

/// What settling did at the end of a round.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settled {
    /// One `partial agreement` event per issue settled.
    pub events: Vec<FiredEvent>,
    /// The full agreement, when every issue is now settled.
    pub agreement: Option<Outcome>,
}

impl Settled {
    /// Whether the scenario changed (some issue was settled, and the talks go on).
    pub fn changed(&self) -> bool {
        !self.events.is_empty() && self.agreement.is_none()
    }
}

/// The name partial agreements are recorded under.
pub const PARTIAL_AGREEMENT: &str = "partial agreement";

impl Dynamics<'_> {
    /// Settles every open issue on which all active parties' positions agree and to which they
    /// all consent (with partial agreements on, and before the last round; otherwise nothing
    /// happens). Returns the events and, when every issue is settled, the full agreement.
    pub fn settle_agreed(&mut self, round: u32) -> Settled {
        let mut settled = Settled::default();
        if !self.base.protocol.partial_agreements || round + 1 >= self.deadline {
            return settled;
        }
        for (i, v) in self.agreed_issues() {
            if let Some(event) = self.settle(round, i, v) {
                settled.events.push(event);
            }
        }
        if settled.events.is_empty() {
            return settled;
        }
        if let Some(values) = self.settled.iter().copied().collect::<Option<Vec<u32>>>() {
            settled.agreement = Some(Outcome(values));
        } else {
            self.bump();
        }
        settled
    }

    /// Settles issue `i` at value `v` at the end of `round` (whatever the positions: the
    /// consent rule is [`Self::settle_agreed`]'s), moving the fallbacks by what the settlement
    /// is worth; `None` (and nothing changed) when no feasible outcome would remain. The
    /// caller tells the negotiators (or, replaying, nobody needs telling).
    pub fn settle(&mut self, round: u32, i: usize, v: u32) -> Option<FiredEvent> {
        self.settled[i] = Some(v);
        if !self.apply_blocked() {
            self.settled[i] = None;
            return None;
        }
        let label = self.value_label(i, v);
        let moves = self.revalue_settlements();
        Some(FiredEvent::new(
            round,
            Cause::PartialAgreement { issue: i, value: v },
            PARTIAL_AGREEMENT,
            format!("{label} is agreed by every party and fixed for the rest of the talks{moves}"),
        ))
    }

    /// The open issues (and values) on which every active party's position agrees and to whose
    /// settlement every active party consents; none while some active party has no position.
    fn agreed_issues(&self) -> Vec<(usize, u32)> {
        let active: Vec<usize> = (0..self.positions.len())
            .filter(|&p| self.active[p])
            .collect();
        if active.is_empty() || active.iter().any(|&p| self.positions[p].is_none()) {
            return Vec::new();
        }
        let first = self.positions[active[0]].as_ref().expect("checked");
        let issues = self.base.space.issues();
        let open: Vec<usize> = (0..self.settled.len())
            .filter(|&i| self.settled[i].is_none())
            .collect();
        let agreed: Vec<(usize, u32)> = open
            .iter()
            .map(|&i| (i, first.0[i]))
            .filter(|&(i, v)| {
                active
                    .iter()
                    .all(|&p| self.positions[p].as_ref().expect("checked").0[i] == v)
            })
            .collect();
        if agreed.len() == open.len() {
            // The positions agree on the whole package: that is the agreement itself.
            return agreed;
        }
        agreed
            .into_iter()
            .filter(|&(i, _)| issues[i].cardinality() <= super::MAX_BLOCKABLE_VALUES)
            .filter(|&(i, v)| active.iter().all(|&p| self.consents(p, i, v)))
            .collect()
    }

    /// Whether party `p` consents to settling issue `i` at `v` (see the module docs).
    fn consents(&self, p: usize, i: usize, v: u32) -> bool {
        let Some(position) = self.positions[p].as_ref() else {
            return false;
        };
        let scenario = self.scenario();
        let prefs = &scenario.parties[p].preferences;
        let mine = prefs.utility(position);
        if mine < prefs.reservation {
            return false;
        }
        let with = |w: u32| {
            let mut o = position.clone();
            o.0[i] = w;
            prefs.utility(&o)
        };
        match scenario.space.issues()[i].status_quo {
            Some(q) => v != q && mine >= with(q) - EPS,
            None => (0..scenario.space.issues()[i].cardinality() as u32)
                .filter(|&w| w != v)
                .all(|w| {
                    let mut o = position.clone();
                    o.0[i] = w;
                    !scenario.space.contains(&o) || with(w) <= mine + EPS
                }),
        }
    }

    /// Sets each party's fallback to include what the settled issues are worth to it now
    /// (module docs), and says how the fallbacks moved (`; fallbacks move: A +0.045, ...`, or
    /// nothing when none did).
    pub(super) fn revalue_settlements(&mut self) -> String {
        let worth: Vec<f64> = (0..self.bonus.len()).map(|p| self.worth(p)).collect();
        let mut moves = Vec::new();
        for (p, &w) in worth.iter().enumerate() {
            let delta = w - self.bonus[p];
            if delta.abs() > EPS {
                let name = self.party_name(p);
                moves.push(format!("{name} {delta:+.3}"));
                self.live_mut().parties[p].preferences.reservation += delta;
            }
            self.bonus[p] = w;
        }
        if moves.is_empty() {
            String::new()
        } else {
            format!("; fallbacks move: {}", moves.join(", "))
        }
    }

    /// What the settled issues with a status quo are worth to party `p` over the status quo.
    fn worth(&self, p: usize) -> f64 {
        let issues = self.base.space.issues();
        if !(0..issues.len()).any(|i| self.settled[i].is_some() && issues[i].status_quo.is_some()) {
            return 0.0;
        }
        let quo = Outcome(issues.iter().map(|i| i.status_quo.unwrap_or(0)).collect());
        let mut with = quo.clone();
        for (i, issue) in issues.iter().enumerate() {
            if let (Some(v), Some(_)) = (self.settled[i], issue.status_quo) {
                with.0[i] = v;
            }
        }
        let prefs = &self.scenario().parties[p].preferences;
        prefs.utility(&with) - prefs.utility(&quo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Effect, Party, ProtocolSettings, Scenario};
    use crate::space::{Issue, OutcomeSpace};
    use crate::tables::ScenarioTables;
    use crate::utility::{Evaluator, LinearAdditive, Preferences, Utility};

    /// A ceasefire (status quo `none`) both want, and an aid issue (status quo `continues`)
    /// only B wants halted; a third issue without a status quo, on which both prefer `p`.
    fn talks() -> Scenario {
        let space = OutcomeSpace::new(vec![
            Issue::discrete("ceasefire", ["none", "pause"]).with_status_quo(0),
            Issue::discrete("aid", ["continues", "halted"]).with_status_quo(0),
            Issue::discrete("x", ["p", "q"]),
        ])
        .unwrap();
        let party = |name: &str, aid: [f64; 2], pause: f64| {
            let evals = vec![
                Evaluator::Table(vec![0.0, pause]),
                Evaluator::Table(aid.to_vec()),
                Evaluator::Table(vec![1.0, 0.0]),
            ];
            let u = LinearAdditive::new(&space, vec![0.5, 0.3, 0.2], evals, None).unwrap();
            Party {
                name: name.into(),
                preferences: Preferences {
                    reservation: 0.1,
                    ..Preferences::new(Utility::LinearAdditive(u))
                },
                negotiator: None,
            }
        };
        Scenario {
            compliance: Default::default(),
            name: "talks".into(),
            description: String::new(),
            parties: vec![party("A", [1.0, 0.0], 1.0), party("B", [0.0, 1.0], 0.6)],
            space,
            protocol: ProtocolSettings {
                partial_agreements: true,
                deadline: 10,
                ..ProtocolSettings::default()
            },
            events: Vec::new(),
        }
    }

    fn settle(d: &mut Dynamics<'_>, round: u32, positions: [[u32; 3]; 2]) -> Vec<String> {
        for (p, x) in positions.iter().enumerate() {
            d.set_position(p, || Outcome(x.to_vec()));
        }
        let settled = d.settle_agreed(round);
        settled.events.into_iter().map(|e| e.description).collect()
    }

    #[test]
    fn settlements_are_deliberate_worth_something_and_can_lapse() {
        let s = talks();
        let tables = ScenarioTables::for_scenario(&s);
        let mut d = Dynamics::new(&s, &tables, 10);
        // Both positions: pause, aid halted; x differs. The pause is a gain for both; halting
        // aid is a loss for A (no consent).
        let events = settle(&mut d, 0, [[1, 1, 1], [1, 1, 0]]);
        assert_eq!(
            events,
            [
                "ceasefire=pause is agreed by every party and fixed for the rest of the talks; \
              fallbacks move: A +0.500, B +0.300"
            ]
        );
        let reservation =
            |d: &Dynamics<'_>, p: usize| d.scenario().parties[p].preferences.reservation;
        assert!((reservation(&d, 0) - 0.6).abs() < 1e-12);
        assert!((reservation(&d, 1) - 0.4).abs() < 1e-12);
        // Keeping the status quo is not an agreement.
        let events = settle(&mut d, 1, [[1, 0, 1], [1, 0, 0]]);
        assert!(events.is_empty(), "{events:?}");
        // x = p is both parties' best value of x: settled without a status quo, worth nothing.
        let events = settle(&mut d, 2, [[1, 0, 0], [1, 1, 0]]);
        assert_eq!(
            events,
            ["x=p is agreed by every party and fixed for the rest of the talks"]
        );
        // The pause lapses: its worth leaves the fallbacks.
        let applied = d.apply(&Effect::Unsettle { issue: 0 });
        assert_eq!(
            applied.description(),
            "the settlement ceasefire=pause lapses; the issue is open again; fallbacks move: \
             A -0.500, B -0.300"
        );
        assert!((reservation(&d, 0) - 0.1).abs() < 1e-12);
        assert!(d.scenario().space.contains(&Outcome(vec![0, 0, 0])));
        assert_eq!(
            d.apply(&Effect::Unsettle { issue: 0 }).description(),
            "ceasefire is not settled; nothing lapses"
        );
        // Nothing is settled at the end of the last round: the talks end there.
        assert!(settle(&mut d, 9, [[1, 0, 0], [1, 1, 0]]).is_empty());
        // Positions agreeing on every open issue are the agreement itself, consent or not.
        let settled = {
            d.set_position(0, || Outcome(vec![1, 1, 0]));
            d.settle_agreed(3)
        };
        assert_eq!(settled.agreement, Some(Outcome(vec![1, 1, 0])));
    }
}
