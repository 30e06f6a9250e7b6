//! Scenario dynamics: how the setting of the talks changes while they run.
//!
//! A [`Dynamics`] holds the scenario *as it stands*: the base scenario a negotiation started
//! from (never mutated), a live copy with tables of its own once something changed it, who is
//! still at the table, the deadline as it stands, values made unavailable, issues settled by
//! partial agreements and each party's current position. Protocols own one (inside their
//! [`crate::protocol::Session`]) and ask it, at the start of every round, to fire the timeline
//! events that are due ([`Dynamics::fire_due`]) and, at the end of every round, to settle the
//! issues on which all positions agree ([`Dynamics::settle_agreed`]).
//!
//! Each effect is one function in [`effects`] returning an [`Applied`]; partial agreements are
//! in [`partial`]; the stalling test that triggers and inspection share is in [`is_stalling`].
//! Everything that changes the setting is recorded as a [`FiredEvent`] with its
//! [`crate::Cause`], so that [`replay`] can rebuild the setting at any round from the base
//! scenario and a trace ([`scenario_at`]).

pub mod effects;
pub mod obligations;
pub mod partial;
pub mod replay;
mod stalling;

pub use replay::{ReplayError, Setting, change_rounds, scenario_at};
pub use stalling::{StallingRule, StallingWatch, is_stalling, offers_to_others};

use std::sync::Arc;

use crate::compliance::Watch;
use crate::scenario::{Effect, Scenario, Trigger};
use crate::space::{Combination, Constraint, Outcome};
use crate::tables::ScenarioTables;
use crate::trace::{Cause, FiredEvent, TraceEntry};
use crate::utility::Utility;

/// What applying one effect did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// The scenario changed (negotiators are told).
    Changed(String),
    /// Nothing changed (the party had already left, the value was already unavailable...).
    Unchanged(String),
    /// The talks end here: `party` left and ended them, or too few parties remain.
    EndsTalks {
        /// The party whose leaving ended them.
        party: usize,
        /// What happened, in words.
        description: String,
    },
}

impl Applied {
    /// What happened, in words (as transcripts and traces show it).
    pub fn description(&self) -> &str {
        match self {
            Applied::Changed(d) | Applied::Unchanged(d) => d,
            Applied::EndsTalks { description, .. } => description,
        }
    }
}

/// What firing the due events did at the start of a round.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fired {
    /// Every effect applied, in order, with the event that caused it.
    pub events: Vec<FiredEvent>,
    /// Whether the scenario changed (negotiators must be told).
    pub changed: bool,
    /// The party whose leaving ended the talks.
    pub ended_by: Option<usize>,
    /// Whether an event moved the deadline to or before the current round.
    pub deadline_passed: bool,
}

/// The scenario after events changed it, with tables of its own.
#[derive(Debug)]
struct Live {
    scenario: Scenario,
    tables: ScenarioTables,
}

/// The setting of the talks as it stands (see the module docs).
#[derive(Debug)]
pub struct Dynamics<'a> {
    base: &'a Scenario,
    base_tables: &'a ScenarioTables,
    live: Option<Box<Live>>,
    /// Who is still at the table; shared cheaply with the `State` given to negotiators.
    active: Arc<Vec<bool>>,
    /// The deadline in rounds, as it stands.
    deadline: u32,
    /// Which of the base scenario's events have fired.
    fired: Vec<bool>,
    /// Values made unavailable by events: `unavailable[i][v]` (allocated on first use: most
    /// negotiations never block a value).
    unavailable: Vec<Vec<bool>>,
    /// Issues settled by partial agreements (their other values are unavailable too).
    settled: Vec<Option<u32>>,
    /// What the settled issues are worth to each party over the status quo, already added to
    /// its reservation value (see [`partial`]).
    bonus: Vec<f64>,
    /// Each party's current position (kept only with partial agreements on).
    positions: Vec<Option<Outcome>>,
    /// Bumped whenever the scenario changes.
    version: u64,
    /// The parties that stalling triggers watch, each with the offers the test needs.
    watches: Vec<StallingWatch>,
    /// The compliance phase, when the scenario has obligations ([`obligations`]).
    compliance: Option<Box<Watch>>,
    /// Each party's utility before trust in the obligations moved it (empty until it did).
    plain: Vec<Option<Utility>>,
    /// Beliefs given from outside the talks, `beliefs[holder][about]` (a replay reads them
    /// from a trace); the compliance phase's own beliefs when it runs.
    beliefs: Option<Vec<Vec<f64>>>,
}

/// Largest issue whose values can be made unavailable one by one.
pub(crate) const MAX_BLOCKABLE_VALUES: u64 = 1 << 20;

/// One watch per party a stalling trigger of `scenario` watches, over its widest window.
fn stalling_watches(scenario: &Scenario) -> Vec<StallingWatch> {
    let mut widest: Vec<(usize, u32)> = Vec::new();
    for e in &scenario.events {
        if let Trigger::Stalling { party, rule } = e.trigger {
            match widest.iter_mut().find(|(p, _)| *p == party) {
                Some((_, w)) => *w = (*w).max(rule.window),
                None => widest.push((party, rule.window)),
            }
        }
    }
    widest
        .into_iter()
        .map(|(party, window)| StallingWatch::new(party, window))
        .collect()
}

impl<'a> Dynamics<'a> {
    /// The setting at the start of the talks, with this deadline.
    pub fn new(base: &'a Scenario, base_tables: &'a ScenarioTables, deadline: u32) -> Self {
        let n = base.parties.len();
        Dynamics {
            base,
            base_tables,
            live: None,
            active: Arc::new(vec![true; n]),
            deadline,
            fired: vec![false; base.events.len()],
            unavailable: Vec::new(),
            settled: vec![None; base.space.issues().len()],
            bonus: vec![0.0; n],
            positions: vec![None; n],
            version: 0,
            watches: stalling_watches(base),
            compliance: None,
            plain: Vec::new(),
            beliefs: None,
        }
    }

    /// Whether a trigger watches the actions ([`Dynamics::observe`] needs them).
    pub fn watches_actions(&self) -> bool {
        !self.watches.is_empty()
    }

    /// Takes in an action as it is recorded, for the stalling triggers.
    pub fn observe(&mut self, entry: &TraceEntry) {
        for w in &mut self.watches {
            w.observe(entry);
        }
    }

    /// The scenario the talks started from.
    pub fn base(&self) -> &'a Scenario {
        self.base
    }

    /// The scenario as it stands now.
    pub fn scenario(&self) -> &Scenario {
        self.live.as_ref().map_or(self.base, |l| &l.scenario)
    }

    /// Tables of the scenario as it stands now.
    pub fn tables(&self) -> &ScenarioTables {
        self.live.as_ref().map_or(self.base_tables, |l| &l.tables)
    }

    /// Who is still at the table, by party index.
    pub fn active(&self) -> &Arc<Vec<bool>> {
        &self.active
    }

    /// Whether party `p` is still at the table.
    pub fn is_active(&self, p: usize) -> bool {
        self.active[p]
    }

    /// How many parties are still at the table.
    pub fn n_active(&self) -> usize {
        self.active.iter().filter(|a| **a).count()
    }

    /// The deadline in rounds, as it stands.
    pub fn deadline(&self) -> u32 {
        self.deadline
    }

    /// The value each issue is settled at, if it is.
    pub fn settled(&self) -> &[Option<u32>] {
        &self.settled
    }

    /// A number that changes whenever the scenario does.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Whether nothing can change between rounds: no timeline events and no partial
    /// agreements.
    #[inline]
    pub fn is_static(&self) -> bool {
        self.base.events.is_empty()
            && !self.base.protocol.partial_agreements
            && self.base.compliance.is_empty()
    }

    /// Records `party`'s current position, when partial agreements need it (the outcome is only
    /// built then).
    #[inline]
    pub fn set_position(&mut self, party: usize, outcome: impl FnOnce() -> Outcome) {
        if self.base.protocol.partial_agreements {
            self.positions[party] = Some(outcome());
        }
    }

    /// Fires the base scenario's events that are due at the start of `round` (in the order the
    /// scenario lists them, each at most once; an event can make another due, as a party
    /// leaving makes `left` triggers due). `entries` are the actions so far, read by stalling
    /// triggers. Stops at the first effect that ends the talks.
    pub fn fire_due(&mut self, round: u32) -> Fired {
        let mut fired = Fired::default();
        loop {
            let mut fired_any = false;
            for k in 0..self.base.events.len() {
                if self.fired[k] || !self.is_due(&self.base.events[k].trigger, round) {
                    continue;
                }
                self.fired[k] = true;
                fired_any = true;
                let event = &self.base.events[k];
                for (j, effect) in event.effects.iter().enumerate() {
                    let applied = self.apply(effect);
                    fired.events.push(FiredEvent {
                        effect: Some(effect.clone()),
                        changed: !matches!(applied, Applied::Unchanged(_)),
                        ..FiredEvent::new(
                            round,
                            Cause::Timeline {
                                event: k,
                                effect: j,
                            },
                            event.name.clone(),
                            applied.description(),
                        )
                    });
                    match applied {
                        Applied::Changed(_) => fired.changed = true,
                        Applied::Unchanged(_) => {}
                        Applied::EndsTalks { party, .. } => {
                            fired.changed = true;
                            fired.ended_by = Some(party);
                            return fired;
                        }
                    }
                }
                if round >= self.deadline {
                    fired.deadline_passed = true;
                    return fired;
                }
            }
            if !fired_any {
                break;
            }
        }
        if fired.changed {
            self.bump();
        }
        fired
    }

    fn is_due(&self, trigger: &Trigger, round: u32) -> bool {
        match *trigger {
            Trigger::Round(r) => round >= r,
            Trigger::NoAgreementBy(r) => round >= r && self.settled.iter().all(Option::is_none),
            // Tested on the rounds completed so far.
            Trigger::Stalling { party, rule } => {
                self.active[party]
                    && round > 0
                    && self
                        .watches
                        .iter()
                        .find(|w| w.party() == party)
                        .is_some_and(|w| w.is_stalling(round - 1, rule) == Some(true))
            }
            Trigger::Left(party) => !self.active[party],
            Trigger::BreachReported { by, about } => self
                .compliance
                .as_ref()
                .is_some_and(|w| w.accused(by, about)),
            Trigger::BeliefBelow {
                holder,
                about,
                threshold,
            } => self
                .compliance
                .as_ref()
                .is_some_and(|w| w.belief(holder, about) < threshold),
        }
    }

    /// Applies one effect (see [`effects`]).
    pub fn apply(&mut self, effect: &Effect) -> Applied {
        match *effect {
            Effect::Leave { party, end_talks } => effects::leave(self, party, end_talks),
            Effect::Reservation { party, change } => effects::reservation(self, party, change),
            Effect::Weight {
                party,
                issue,
                weight,
            } => effects::weight(self, party, issue, weight),
            Effect::Deadline { rounds } => effects::deadline(self, rounds),
            Effect::Unsettle { issue } => effects::unsettle(self, issue),
            Effect::Expire { issue } => match self
                .base
                .compliance
                .obligations
                .iter()
                .position(|o| o.issue == issue)
            {
                Some(k) => self.expire(k, false),
                None => Applied::Unchanged(format!(
                    "{} carries no obligation",
                    self.base.space.issues()[issue].name
                )),
            },
            Effect::Settle { issue, value } => effects::settle(self, issue, value),
            Effect::Availability {
                issue,
                value,
                available,
            } => effects::availability(self, issue, value, available),
        }
    }

    /// The scenario changed: fresh tables for the live copy and a new version.
    fn bump(&mut self) {
        self.version += 1;
        if let Some(live) = self.live.as_mut() {
            live.tables =
                ScenarioTables::new(live.scenario.parties.len(), self.base_tables.limit());
        }
    }

    fn party_name(&self, p: usize) -> &'a str {
        &self.base.parties[p].name
    }

    /// The live copy of the scenario, made on first change.
    fn live_mut(&mut self) -> &mut Scenario {
        if self.live.is_none() {
            let scenario = self.base.clone();
            let tables = ScenarioTables::new(scenario.parties.len(), self.base_tables.limit());
            self.live = Some(Box::new(Live { scenario, tables }));
        }
        &mut self.live.as_mut().expect("just made").scenario
    }

    /// Allocates the unavailable-values table on first use.
    fn ensure_unavailable(&mut self) {
        if self.unavailable.is_empty() {
            self.unavailable = self
                .base
                .space
                .issues()
                .iter()
                .map(|i| vec![false; i.cardinality().min(MAX_BLOCKABLE_VALUES) as usize])
                .collect();
        }
    }

    /// The values of issue `i` that cannot be agreed: those events made unavailable, and for a
    /// settled issue every value but the settled one.
    fn blocked_values(&self, i: usize) -> Vec<u32> {
        let card = self.base.space.issues()[i].cardinality();
        match self.settled[i] {
            Some(v) => (0..card.min(MAX_BLOCKABLE_VALUES) as u32)
                .filter(|&w| w != v)
                .collect(),
            None => self.unavailable.get(i).map_or_else(Vec::new, |u| {
                (0..u.len() as u32).filter(|&w| u[w as usize]).collect()
            }),
        }
    }

    /// Rebuilds the live space's constraints from the base constraints, the unavailable values
    /// and the settled issues; `false` (and nothing changed) when that would leave no feasible
    /// outcome.
    fn apply_blocked(&mut self) -> bool {
        let mut constraints = self.base.space.constraints().to_vec();
        for i in 0..self.settled.len() {
            let values = self.blocked_values(i);
            if !values.is_empty() {
                constraints.push(Constraint {
                    name: format!(
                        "unavailable values of `{}`",
                        self.base.space.issues()[i].name
                    ),
                    combination: Combination {
                        parts: vec![(i, values)],
                    },
                });
            }
        }
        let Ok(space) = self.base.space.clone().with_constraints(constraints) else {
            return false;
        };
        self.live_mut().space = space;
        true
    }

    /// `issue=value`, as transcripts show a value.
    fn value_label(&self, issue: usize, value: u32) -> String {
        let issue = &self.base.space.issues()[issue];
        let value = issue
            .value(value)
            .map(|v| v.to_string())
            .unwrap_or_default();
        format!("{}={value}", issue.name)
    }
}
