//! The setting of the talks at any round, rebuilt from the base scenario.
//!
//! Two ways, one result type ([`Setting`]):
//!
//! - [`scenario_at`] (and [`Setting::replay`]) replays what a trace says *fired*: each
//!   recorded [`FiredEvent`] is applied again by its [`Cause`] (the timeline effect, the
//!   settlement, the hand-over of mediation). This is exact for every trigger, stalling and
//!   `no_agreement_by` included, since it does not re-evaluate triggers: it repeats what
//!   happened. A trace whose events carry no cause ([`Cause::Unknown`]) cannot be replayed.
//! - [`Setting::by_triggers`] evaluates the base scenario's triggers round by round without a
//!   negotiation: round triggers fire at their round, `no_agreement_by` triggers as if nothing
//!   had been agreed (no partial agreement is made), stalling triggers on the actions given
//!   (none: never), `left` triggers when a party has left. It answers "what will the events
//!   have done by round R if nothing is agreed", and reads hand-written records, which do not
//!   record events.
//!
//! Compliance: an obligation's expiry is replayed as the lapse of its issue's settlement, and
//! the utilities that follow the parties' beliefs (trust-valued utilities,
//! [`crate::compliance::trust`]) are valued under the beliefs the trace records
//! ([`ComplianceRecord::Belief`]), each at the start of its round, after that round's expiries
//! and before its timeline events, as the talks do; before any record, at each party's prior.
//! The acts, sightings and claims are not replayed: the beliefs they led to are read as
//! recorded. [`Setting::by_triggers`] values utilities at the priors (nothing is observed when
//! nothing is agreed).
//!
//! Rounds count from 0. The setting *at round R* is the one the parties negotiate in during
//! round R: after the events that fired at its start and the partial agreements closed at the
//! end of earlier rounds.

use super::Dynamics;
use crate::compliance::Belief;
use crate::scenario::{ProtocolKind, Scenario};
use crate::tables::ScenarioTables;
use crate::trace::{Cause, ComplianceRecord, FiredEvent, Trace, TraceEntry};

/// The setting of the talks at one moment: the scenario as the events left it, who is still
/// at the table and what is settled.
#[derive(Debug, Clone)]
pub struct Setting {
    /// The scenario as it stands: reservation values in force (with what the settlements are
    /// worth), weights, the deadline (`protocol.deadline`), the feasible outcomes (values made
    /// unavailable and settled issues appear as constraints of the space) and the mediator
    /// (none after a hand-over). Its `events` are the base timeline, unchanged: [`Self::fired`]
    /// says which have fired.
    pub scenario: Scenario,
    /// Who is still at the table, by party index.
    pub active: Vec<bool>,
    /// The value each issue is settled at, if it is.
    pub settled: Vec<Option<u32>>,
    /// Which of the base scenario's timeline events have fired (by index).
    pub fired: Vec<bool>,
    /// What was applied to get here, in order (the events that happened by then).
    pub events: Vec<FiredEvent>,
    /// Whether the talks had ended by then: an effect ended them (a party left and ended them,
    /// too few parties remained, the deadline moved to or before the round).
    pub ended: bool,
}

/// Why a trace's events cannot be replayed on a scenario.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    /// An event does not say what caused it.
    #[error(
        "event {index} (`{name}`, round {}) does not record its cause, so the setting cannot be \
         rebuilt from it (the trace predates typed events; run the negotiation again)",
        round + 1
    )]
    UnknownCause {
        /// Its position among the trace's events.
        index: usize,
        /// Its name.
        name: String,
        /// Its round, from 0.
        round: u32,
    },
    /// An event refers to something the scenario does not have.
    #[error("event {index} (`{name}`) does not fit the scenario: {message}")]
    Mismatch {
        /// Its position among the trace's events.
        index: usize,
        /// Its name.
        name: String,
        /// What does not fit.
        message: String,
    },
}

/// The setting of the talks at the start of `round` (from 0) of a negotiation on `base` whose
/// trace is `trace`, rebuilt from what fired ([`Setting::replay`]).
pub fn scenario_at(base: &Scenario, trace: &Trace, round: u32) -> Result<Setting, ReplayError> {
    Setting::replay(base, trace, Some(round))
}

/// The rounds (from 0, below `rounds`) at whose start the setting rebuilt from `trace` can
/// differ from the round before: round 0, the rounds of its events (a partial agreement counts
/// from the round after it) and of its belief records. Between two of them the setting stays
/// put, so a per-round reading rebuilds it only there.
pub fn change_rounds(trace: &Trace, rounds: u32) -> Vec<u32> {
    let mut at: Vec<u32> = std::iter::once(0)
        .chain(trace.events.iter().map(|e| match e.cause {
            Cause::PartialAgreement { .. } => e.round.saturating_add(1),
            _ => e.round,
        }))
        .chain(trace.compliance.iter().filter_map(|c| match c {
            ComplianceRecord::Belief { round, .. } => Some(*round),
            _ => None,
        }))
        .filter(|&r| r < rounds)
        .collect();
    at.sort_unstable();
    at.dedup();
    at
}

/// The beliefs of a trace's compliance records, applied round by round as a replay advances.
struct Beliefs<'t> {
    records: &'t [ComplianceRecord],
    /// The first record not yet read.
    next: usize,
    /// `now[holder][about]`.
    now: Vec<Vec<f64>>,
    /// Records of later rounds than this are not read (the post-agreement phase).
    last: Option<u32>,
}

impl<'t> Beliefs<'t> {
    /// Every party at its prior; the trust they give valued into `d`.
    fn start(d: &mut Dynamics<'_>, records: &'t [ComplianceRecord], last: Option<u32>) -> Self {
        let compliance = &d.base().compliance;
        let n = d.base().parties.len();
        let now: Vec<Vec<f64>> = (0..n)
            .map(|h| {
                let prior = Belief::new(compliance.prior_of(h)).mean();
                (0..n).map(|a| if a == h { 1.0 } else { prior }).collect()
            })
            .collect();
        d.set_beliefs(now.clone());
        Beliefs {
            records,
            next: 0,
            now,
            last,
        }
    }

    /// Reads the beliefs recorded at rounds up to `round` (all when `None`) and values them
    /// into `d` round by round, as the talks did (the fallbacks' sums come out the same).
    fn through(&mut self, d: &mut Dynamics<'_>, round: Option<u32>) {
        let mut pending: Option<u32> = None;
        while let Some(record) = self.records.get(self.next) {
            let r = record.round();
            if round.is_some_and(|x| r > x) || self.last.is_some_and(|x| r > x) {
                break;
            }
            if pending.is_some_and(|p| p != r) {
                d.set_beliefs(self.now.clone());
                pending = None;
            }
            if let ComplianceRecord::Belief {
                holder,
                about,
                belief,
                ..
            } = *record
                && let Some(slot) = self.now.get_mut(holder).and_then(|row| row.get_mut(about))
            {
                *slot = belief;
                pending = Some(r);
            }
            self.next += 1;
        }
        if pending.is_some() {
            d.set_beliefs(self.now.clone());
        }
    }
}

/// Whether a recorded event had happened by the start of `round`: a timeline event or a
/// hand-over at its start or earlier, a partial agreement closed in an earlier round.
fn happened_by(event: &FiredEvent, round: u32) -> bool {
    match event.cause {
        Cause::PartialAgreement { .. } => event.round < round,
        _ => event.round <= round,
    }
}

impl Setting {
    /// Replays the events `trace` records (in the order they happened) on `base`, and the
    /// beliefs it records (see the module docs): all of them when `round` is `None` (the
    /// setting at the end of the talks), otherwise those that had happened by the start of
    /// `round`.
    pub fn replay(
        base: &Scenario,
        trace: &Trace,
        round: Option<u32>,
    ) -> Result<Setting, ReplayError> {
        let events = &trace.events;
        let tables = ScenarioTables::for_scenario(base);
        let mut d = Dynamics::new(base, &tables, base.protocol.deadline);
        // After an agreement, the compliance phase goes on but utilities no longer move.
        let last = trace
            .result
            .agreement
            .is_some()
            .then(|| trace.result.rounds_used.saturating_sub(1));
        let mut beliefs = Beliefs::start(&mut d, &trace.compliance, last);
        let mut handed_over = false;
        let mut applied = Vec::new();
        let mut ended = false;
        for (index, event) in events.iter().enumerate() {
            if round.is_some_and(|r| !happened_by(event, r)) {
                break;
            }
            // A round's expiries come before its beliefs, everything else after them.
            let before = match event.cause {
                Cause::ObligationExpires { .. } => event.round.checked_sub(1),
                _ => Some(event.round),
            };
            if let Some(r) = before {
                beliefs.through(&mut d, Some(r));
            }
            let mismatch = |message: String| ReplayError::Mismatch {
                index,
                name: event.name.clone(),
                message,
            };
            match event.cause {
                Cause::Unknown => {
                    return Err(ReplayError::UnknownCause {
                        index,
                        name: event.name.clone(),
                        round: event.round,
                    });
                }
                Cause::MediatorNotice => {}
                Cause::ObligationExpires { obligation } => {
                    let issue = base
                        .compliance
                        .obligations
                        .get(obligation)
                        .map(|o| o.issue)
                        .ok_or_else(|| {
                            mismatch(format!("the scenario has no obligation {obligation}"))
                        })?;
                    if event.changed {
                        super::effects::unsettle(&mut d, issue);
                    }
                }
                Cause::MediationHandover { .. } => handed_over = true,
                Cause::Timeline {
                    event: k,
                    effect: j,
                } => {
                    // What was applied, as recorded; else the scenario's effect.
                    let scenario_effect = base.events.get(k).and_then(|e| e.effects.get(j));
                    let effect = event.effect.as_ref().or(scenario_effect).ok_or_else(|| {
                        mismatch(format!("the scenario has no effect {j} of event {k}"))
                    })?;
                    check_effect(base, effect).map_err(mismatch)?;
                    if let Some(fired) = d.fired.get_mut(k) {
                        *fired = true;
                    }
                    if matches!(d.apply(effect), super::Applied::EndsTalks { .. }) {
                        ended = true;
                    }
                    if d.deadline() <= event.round {
                        ended = true;
                    }
                }
                Cause::PartialAgreement { issue, value } => {
                    let card = base.space.issues().get(issue).map(|i| i.cardinality());
                    if card.is_none_or(|c| u64::from(value) >= c) {
                        return Err(mismatch(format!(
                            "the scenario has no value {value} of issue {issue}"
                        )));
                    }
                    d.settle(event.round, issue, value);
                }
            }
            applied.push(event.clone());
        }
        beliefs.through(&mut d, round);
        Ok(Self::from_dynamics(&d, handed_over, applied, ended))
    }

    /// The setting at the start of `round` (from 0) by evaluating `base`'s triggers round by
    /// round (see the module docs); `entries` are the actions stalling triggers read (empty:
    /// no party is ever stalling).
    pub fn by_triggers(base: &Scenario, entries: &[TraceEntry], round: u32) -> Setting {
        let tables = ScenarioTables::for_scenario(base);
        let mut d = Dynamics::new(base, &tables, base.protocol.deadline);
        Beliefs::start(&mut d, &[], None);
        let mediator = match &base.protocol.kind {
            ProtocolKind::Mediated { mediator, .. } => *mediator,
            ProtocolKind::Saop => None,
        };
        let mut events = Vec::new();
        let mut ended = false;
        let mut seen = 0;
        for r in 0..=round {
            // The stalling triggers read the actions of the rounds before this one.
            while let Some(e) = entries.get(seen).filter(|e| e.round < r) {
                d.observe(e);
                seen += 1;
            }
            let fired = d.fire_due(r);
            events.extend(fired.events);
            if fired.ended_by.is_some() || fired.deadline_passed || r >= d.deadline() {
                ended = true;
                break;
            }
        }
        let handed_over = mediator.is_some_and(|m| !d.is_active(m));
        Self::from_dynamics(&d, handed_over, events, ended)
    }

    fn from_dynamics(
        d: &Dynamics<'_>,
        handed_over: bool,
        events: Vec<FiredEvent>,
        ended: bool,
    ) -> Setting {
        let mut scenario = d.scenario().clone();
        scenario.protocol.deadline = d.deadline();
        if handed_over && let ProtocolKind::Mediated { mediator, .. } = &mut scenario.protocol.kind
        {
            *mediator = None;
        }
        Setting {
            scenario,
            active: d.active().to_vec(),
            settled: d.settled().to_vec(),
            fired: d.fired.clone(),
            events,
            ended,
        }
    }

    /// The parties still at the table, by index in turn order.
    pub fn active_parties(&self) -> Vec<usize> {
        (0..self.active.len()).filter(|&p| self.active[p]).collect()
    }

    /// Each party's reservation value in force (with what settlements are worth to it).
    pub fn reservations(&self) -> Vec<f64> {
        self.scenario
            .parties
            .iter()
            .map(|p| p.preferences.reservation)
            .collect()
    }

    /// The scenario of the talks that remain: the parties still at the table only (in turn
    /// order), the space and preferences as they stand, no timeline, a neutral mediator when
    /// the mediating party has left. What analyses of the remaining talks read.
    pub fn at_the_table(&self) -> Scenario {
        let keep = self.active_parties();
        let mut s = self.scenario.clone();
        s.parties = keep.iter().map(|&p| s.parties[p].clone()).collect();
        s.events.clear();
        if let ProtocolKind::Mediated { mediator, .. } = &mut s.protocol.kind {
            *mediator = mediator.and_then(|m| keep.iter().position(|&p| p == m));
        }
        s
    }
}

/// Whether the indices an effect names exist in `base`.
fn check_effect(base: &Scenario, effect: &crate::Effect) -> Result<(), String> {
    use crate::Effect;
    let n = base.parties.len();
    let issues = base.space.issues();
    let party = |p: usize| {
        (p < n)
            .then_some(())
            .ok_or_else(|| format!("the scenario has no party {p}"))
    };
    let issue = |i: usize| {
        (i < issues.len())
            .then_some(())
            .ok_or_else(|| format!("the scenario has no issue {i}"))
    };
    match *effect {
        Effect::Leave { party: p, .. } | Effect::Reservation { party: p, .. } => party(p),
        Effect::Weight {
            party: p, issue: i, ..
        } => party(p).and(issue(i)),
        Effect::Deadline { .. } => Ok(()),
        Effect::Unsettle { issue: i } | Effect::Expire { issue: i } => issue(i),
        Effect::Settle { issue: i, value } => issue(i).and_then(|()| {
            (u64::from(value) < issues[i].cardinality())
                .then_some(())
                .ok_or_else(|| format!("the scenario has no value {value} of issue {i}"))
        }),
        Effect::Availability {
            issue: i, value, ..
        } => issue(i).and_then(|()| {
            (u64::from(value) < issues[i].cardinality())
                .then_some(())
                .ok_or_else(|| format!("the scenario has no value {value} of issue {i}"))
        }),
    }
}
