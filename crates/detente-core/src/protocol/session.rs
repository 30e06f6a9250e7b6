//! What every protocol shares: the scenario as it stands (timeline events and partial
//! agreements change it during the talks), calling negotiators safely, recording the trace,
//! and ending the negotiation.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::{Clock, ProtocolConfig, derive_seed};
use crate::dynamics::is_stalling;
use crate::negotiator::{Action, Negotiator, SessionInfo, State};
use crate::scenario::{Effect, Scenario, Trigger};
use crate::space::{Combination, Constraint, Outcome};
use crate::tables::ScenarioTables;
use crate::trace::{
    Actor, FiredEvent, NegotiationResult, NegotiatorFault, Termination, Trace, TraceEntry,
};
use crate::utility::Utility;

/// The scenario after events changed it, with tables of its own.
struct Live {
    scenario: Scenario,
    tables: ScenarioTables,
}

pub(crate) struct Session<'a> {
    base: &'a Scenario,
    base_tables: &'a ScenarioTables,
    live: Option<Box<Live>>,
    pub(crate) negotiators: Vec<Box<dyn Negotiator + 'a>>,
    pub(crate) config: ProtocolConfig,
    pub(crate) clock: Option<&'a dyn Clock>,
    pub(crate) seed: u64,
    /// The deadline as it stands (events can move it).
    pub(crate) deadline: u32,
    /// Who is still at the table; shared cheaply with the `State` given to negotiators.
    pub(crate) active: std::sync::Arc<Vec<bool>>,
    fired: Vec<bool>,
    /// Values made unavailable by events or fixed by partial agreements: `blocked[i][v]`.
    blocked: Vec<Vec<bool>>,
    /// Issues settled by partial agreements.
    pub(crate) settled: Vec<Option<u32>>,
    /// Each party's current position (for partial agreements).
    pub(crate) positions: Vec<Option<Outcome>>,
    pub(crate) entries: Vec<TraceEntry>,
    pub(crate) events: Vec<FiredEvent>,
    pub(crate) result: Option<NegotiationResult>,
    pub(crate) started: bool,
    pub(crate) round: u32,
    /// Bumped whenever the scenario changes.
    version: u64,
}

pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic payload".to_string()
    }
}

impl<'a> Session<'a> {
    pub(crate) fn new(
        scenario: &'a Scenario,
        tables: &'a ScenarioTables,
        negotiators: Vec<Box<dyn Negotiator + 'a>>,
        config: ProtocolConfig,
        seed: u64,
    ) -> Self {
        assert_eq!(
            negotiators.len(),
            scenario.parties.len(),
            "one negotiator per party"
        );
        let n = scenario.parties.len();
        let needs_entries = scenario
            .events
            .iter()
            .any(|e| matches!(e.trigger, Trigger::Stalling { .. }));
        let config = ProtocolConfig {
            record_actions: config.record_actions || needs_entries,
            ..config
        };
        Session {
            base: scenario,
            base_tables: tables,
            live: None,
            negotiators,
            deadline: config.deadline,
            config,
            clock: None,
            seed,
            active: std::sync::Arc::new(vec![true; n]),
            fired: vec![false; scenario.events.len()],
            // Allocated on first use: most negotiations never block a value.
            blocked: Vec::new(),
            settled: vec![None; scenario.space.issues().len()],
            positions: vec![None; n],
            entries: Vec::new(),
            events: Vec::new(),
            result: None,
            started: false,
            round: 0,
            version: 0,
        }
    }

    /// The scenario as it stands now.
    pub(crate) fn scenario(&self) -> &Scenario {
        self.live.as_ref().map_or(self.base, |l| &l.scenario)
    }

    /// Tables of the scenario as it stands now.
    pub(crate) fn tables(&self) -> &ScenarioTables {
        self.live.as_ref().map_or(self.base_tables, |l| &l.tables)
    }

    pub(crate) fn n(&self) -> usize {
        self.negotiators.len()
    }

    pub(crate) fn n_active(&self) -> usize {
        self.active.iter().filter(|a| **a).count()
    }

    /// Normalised time of position `k` of `n` in round `round`.
    pub(crate) fn time_at(&self, round: u32, k: usize, per_round: usize) -> f64 {
        let per = per_round.max(1) as f64;
        let t = (f64::from(round) * per + k as f64) / (f64::from(self.deadline) * per);
        let t = match (self.config.time_limit, self.clock) {
            (Some(limit), Some(clock)) if !limit.is_zero() => {
                t.max((clock.elapsed().as_secs_f64() / limit.as_secs_f64()).min(1.0))
            }
            _ => t,
        };
        t.min(1.0)
    }

    pub(crate) fn time_limit_passed(&self) -> bool {
        matches!((self.config.time_limit, self.clock), (Some(limit), Some(clock)) if clock.elapsed() >= limit)
    }

    /// Initialises every negotiator; `false` when one failed (the negotiation has ended).
    pub(crate) fn start(&mut self) -> bool {
        self.started = true;
        for i in 0..self.n() {
            let info = SessionInfo {
                party: i,
                scenario: self.base,
                tables: self.base_tables,
                deadline: self.deadline,
                seed: derive_seed(self.seed, i as u64),
            };
            let neg = &mut self.negotiators[i];
            let fault = match catch_unwind(AssertUnwindSafe(|| neg.init(&info))) {
                Ok(Ok(())) => continue,
                Ok(Err(e)) => NegotiatorFault::Init(e.0),
                Err(p) => NegotiatorFault::Panic(panic_message(&*p)),
            };
            self.finish(Termination::NegotiatorFault { party: i, fault }, 0.0, None);
            return false;
        }
        true
    }

    /// Asks `party` for its action; `None` when it misbehaved (the negotiation has ended).
    pub(crate) fn act(&mut self, party: usize, state: &State<'_>) -> Option<Action> {
        let before = self.config.step_limit.and(self.clock).map(|c| c.elapsed());
        let neg = &mut self.negotiators[party];
        let action = match catch_unwind(AssertUnwindSafe(|| neg.act(state))) {
            Ok(a) => a,
            Err(p) => {
                let fault = NegotiatorFault::Panic(panic_message(&*p));
                self.finish(
                    Termination::NegotiatorFault { party, fault },
                    state.time,
                    None,
                );
                return None;
            }
        };
        if let (Some(before), Some(limit), Some(clock)) =
            (before, self.config.step_limit, self.clock)
        {
            let took = clock.elapsed().saturating_sub(before);
            if took > limit {
                let fault = NegotiatorFault::Timeout {
                    millis: took.as_millis() as u64,
                };
                self.finish(
                    Termination::NegotiatorFault { party, fault },
                    state.time,
                    None,
                );
                return None;
            }
        }
        let invalid = match &action {
            Action::Accept if state.standing.is_none() => {
                Some("accepted when no offer was standing".to_string())
            }
            Action::Offer(o) if !self.scenario().space.contains(o) => Some(
                if self.scenario().space.is_feasible(&o.0)
                    || o.0.len() != self.scenario().space.issues().len()
                {
                    format!("offered {:?}, which is not an outcome of the space", o.0)
                } else {
                    format!(
                        "offered {}, which the constraints exclude",
                        self.scenario().space.display(o)
                    )
                },
            ),
            _ => None,
        };
        if let Some(msg) = invalid {
            self.finish(
                Termination::NegotiatorFault {
                    party,
                    fault: NegotiatorFault::InvalidAction(msg),
                },
                state.time,
                None,
            );
            return None;
        }
        Some(action)
    }

    /// Lets every other negotiator see `party`'s action; `false` when one of them panicked.
    pub(crate) fn notify(&mut self, party: usize, action: &Action, state: &State<'_>) -> bool {
        for (j, other) in self.negotiators.iter_mut().enumerate() {
            if j == party || !self.active[j] {
                continue;
            }
            if let Err(p) = catch_unwind(AssertUnwindSafe(|| other.observe(party, action, state))) {
                let fault = NegotiatorFault::Panic(panic_message(&*p));
                self.finish(
                    Termination::NegotiatorFault { party: j, fault },
                    state.time,
                    None,
                );
                return false;
            }
        }
        true
    }

    pub(crate) fn record(
        &mut self,
        actor: Actor,
        time: f64,
        kind: crate::trace::ActionKind,
        outcome: Option<&Outcome>,
    ) {
        if self.config.record_actions {
            let utilities = outcome
                .map(|o| self.scenario().utilities(o))
                .unwrap_or_default();
            self.entries.push(TraceEntry {
                round: self.round,
                actor,
                time,
                kind,
                outcome: outcome.cloned(),
                utilities,
            });
        }
    }

    pub(crate) fn finish(
        &mut self,
        termination: Termination,
        time: f64,
        agreement: Option<Outcome>,
    ) {
        let time = time.clamp(0.0, 1.0);
        let scenario = self.scenario();
        let utilities = scenario
            .parties
            .iter()
            .map(|p| {
                let prefs = &p.preferences;
                let u = match &agreement {
                    Some(o) => prefs.utility(o),
                    None => prefs.reservation,
                };
                prefs.discounted(u, time)
            })
            .collect();
        let rounds_used = (self.round + 1).min(self.deadline.max(1));
        self.result = Some(NegotiationResult {
            termination,
            agreement,
            rounds_used,
            time,
            utilities,
        });
    }

    fn live_mut(&mut self) -> &mut Scenario {
        if self.live.is_none() {
            let scenario = self.base.clone();
            let tables = ScenarioTables::new(scenario.parties.len(), self.base_tables.limit());
            self.live = Some(Box::new(Live { scenario, tables }));
        }
        &mut self.live.as_mut().expect("just made").scenario
    }

    /// Rebuilds the live space's constraints from the base constraints and the blocked values;
    /// `false` (and nothing changed) when that would leave no feasible outcome.
    fn apply_blocked(&mut self) -> bool {
        let mut constraints = self.base.space.constraints().to_vec();
        for (i, blocked) in self.blocked.iter().enumerate() {
            let values: Vec<u32> = blocked
                .iter()
                .enumerate()
                .filter(|(_, b)| **b)
                .map(|(v, _)| v as u32)
                .collect();
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

    /// After the scenario changed: fresh tables, and every active negotiator told. `false`
    /// when a negotiator failed (the negotiation has ended).
    /// Whether nothing can change between rounds: no timeline events and no partial
    /// agreements.
    #[inline]
    pub(crate) fn static_between_rounds(&self) -> bool {
        self.base.events.is_empty() && !self.base.protocol.partial_agreements
    }

    /// A number that changes whenever the scenario does.
    pub(crate) fn version(&self) -> u64 {
        self.version
    }

    fn changed(&mut self, time: f64) -> bool {
        self.version += 1;
        if let Some(live) = self.live.as_mut() {
            live.tables =
                ScenarioTables::new(live.scenario.parties.len(), self.base_tables.limit());
        }
        for i in 0..self.n() {
            if !self.active[i] {
                continue;
            }
            let (scenario, tables) = match self.live.as_deref() {
                Some(l) => (&l.scenario, &l.tables),
                None => (self.base, self.base_tables),
            };
            let info = SessionInfo {
                party: i,
                scenario,
                tables,
                deadline: self.deadline,
                seed: derive_seed(self.seed, i as u64),
            };
            let neg = &mut self.negotiators[i];
            let fault = match catch_unwind(AssertUnwindSafe(|| neg.update(&info))) {
                Ok(Ok(())) => continue,
                Ok(Err(e)) => NegotiatorFault::Init(e.0),
                Err(p) => NegotiatorFault::Panic(panic_message(&*p)),
            };
            self.finish(Termination::NegotiatorFault { party: i, fault }, time, None);
            return false;
        }
        true
    }

    fn party_name(&self, p: usize) -> &str {
        &self.base.parties[p].name
    }

    /// Fires the timeline events due at the start of the current round. Returns `false` when
    /// the negotiation has ended (a party left and ended the talks, too few parties remain, a
    /// negotiator failed, or the deadline moved into the past).
    pub(crate) fn fire_events(&mut self, time: f64) -> bool {
        let mut changed = false;
        loop {
            let mut fired_any = false;
            for k in 0..self.base.events.len() {
                if self.fired[k] {
                    continue;
                }
                let event = &self.base.events[k];
                let due = match event.trigger {
                    Trigger::Round(r) => self.round >= r,
                    Trigger::NoAgreementBy(r) => {
                        self.round >= r && self.settled.iter().all(Option::is_none)
                    }
                    Trigger::Stalling { party, rule } => {
                        // Tested on the rounds completed so far.
                        self.active[party]
                            && self.round > 0
                            && is_stalling(&self.entries, party, self.round - 1, rule) == Some(true)
                    }
                    Trigger::Left(party) => !self.active[party],
                };
                if !due {
                    continue;
                }
                self.fired[k] = true;
                fired_any = true;
                let name = event.name.clone();
                for effect in event.effects.clone() {
                    let (description, scenario_changed, end) = self.apply(&effect);
                    changed |= scenario_changed;
                    self.events.push(FiredEvent {
                        round: self.round,
                        name: name.clone(),
                        description,
                    });
                    if let Some(party) = end {
                        self.finish(Termination::Ended { party }, time, None);
                        return false;
                    }
                }
                if self.round >= self.deadline {
                    self.finish(Termination::Deadline, 1.0, None);
                    return false;
                }
            }
            if !fired_any {
                break;
            }
        }
        !changed || self.changed(time)
    }

    /// Allocates the blocked-values table on first use.
    fn ensure_blocked(&mut self) {
        if self.blocked.is_empty() {
            self.blocked = self
                .base
                .space
                .issues()
                .iter()
                .map(|i| vec![false; i.cardinality().min(1 << 20) as usize])
                .collect();
        }
    }

    /// Records `party`'s current position, when partial agreements need it (the outcome is
    /// only built then).
    #[inline]
    pub(crate) fn set_position(&mut self, party: usize, outcome: impl FnOnce() -> Outcome) {
        if self.base.protocol.partial_agreements {
            self.positions[party] = Some(outcome());
        }
    }

    /// Applies one effect: (what it did, whether the scenario changed, who ended the talks).
    fn apply(&mut self, effect: &Effect) -> (String, bool, Option<usize>) {
        match *effect {
            Effect::Leave { party, end_talks } => {
                let name = self.party_name(party).to_string();
                if !self.active[party] {
                    return (format!("{name} has already left"), false, None);
                }
                std::sync::Arc::make_mut(&mut self.active)[party] = false;
                self.positions[party] = None;
                if end_talks {
                    return (
                        format!("{name} leaves, and the talks end"),
                        true,
                        Some(party),
                    );
                }
                if self.n_active() < 2 {
                    return (
                        format!("{name} leaves; too few parties remain, and the talks end"),
                        true,
                        Some(party),
                    );
                }
                (
                    format!("{name} leaves the talks; they go on without it"),
                    true,
                    None,
                )
            }
            Effect::Reservation { party, change } => {
                let name = self.party_name(party).to_string();
                let prefs = &mut self.live_mut().parties[party].preferences;
                let old = prefs.reservation;
                prefs.reservation = change.apply(old);
                (
                    format!(
                        "{name}'s reservation value moves from {old:.3} to {:.3}",
                        prefs.reservation
                    ),
                    true,
                    None,
                )
            }
            Effect::Weight {
                party,
                issue,
                weight,
            } => {
                let name = self.party_name(party).to_string();
                let issue_name = self.base.space.issues()[issue].name.clone();
                let space = self.base.space.clone();
                let prefs = &mut self.live_mut().parties[party].preferences;
                let lin = match &prefs.utility {
                    Utility::LinearAdditive(l) => Some(l.clone()),
                    Utility::Interacting(i) => Some(i.base().clone()),
                    _ => None,
                };
                let Some(lin) = lin else {
                    return (
                        format!("{name}'s weight of {issue_name} cannot change (no weights)"),
                        false,
                        None,
                    );
                };
                let mut weights = lin.weights().to_vec();
                let old = weights[issue];
                weights[issue] = weight;
                let base = crate::utility::LinearAdditive::new(
                    &space,
                    weights,
                    lin.evaluators().to_vec(),
                    lin.cap(),
                );
                let rebuilt = match &prefs.utility {
                    Utility::Interacting(i) => base
                        .and_then(|b| {
                            crate::utility::InteractionUtility::new(
                                &space,
                                b,
                                i.interactions().to_vec(),
                            )
                        })
                        .map(Utility::Interacting),
                    _ => base.map(Utility::LinearAdditive),
                };
                match rebuilt {
                    Ok(u) => prefs.utility = u,
                    Err(e) => {
                        return (
                            format!("{name}'s weight of {issue_name} cannot change: {e}"),
                            false,
                            None,
                        );
                    }
                }
                (
                    format!("{name}'s weight of {issue_name} moves from {old} to {weight}"),
                    true,
                    None,
                )
            }
            Effect::Deadline { rounds } => {
                let old = self.deadline;
                self.deadline = rounds.max(1);
                (
                    format!(
                        "the deadline moves from round {old} to round {}",
                        self.deadline
                    ),
                    true,
                    None,
                )
            }
            Effect::Availability {
                issue,
                value,
                available,
            } => {
                if let Some(v) = self.settled[issue] {
                    let issue_def = &self.base.space.issues()[issue];
                    let fixed = issue_def
                        .value(v)
                        .map(|x| x.to_string())
                        .unwrap_or_default();
                    return (
                        format!(
                            "{} is already settled at {fixed}; its values no longer change",
                            issue_def.name
                        ),
                        false,
                        None,
                    );
                }
                let issue_def = &self.base.space.issues()[issue];
                let label = format!(
                    "{}={}",
                    issue_def.name,
                    issue_def
                        .value(value)
                        .map(|v| v.to_string())
                        .unwrap_or_default()
                );
                self.ensure_blocked();
                let Some(slot) = self.blocked[issue].get(value as usize).copied() else {
                    return (
                        format!("{label} cannot change availability (issue too large)"),
                        false,
                        None,
                    );
                };
                if slot != available {
                    return (
                        format!(
                            "{label} is already {}",
                            if available {
                                "available"
                            } else {
                                "unavailable"
                            }
                        ),
                        false,
                        None,
                    );
                }
                self.blocked[issue][value as usize] = !available;
                if self.apply_blocked() {
                    (
                        format!(
                            "{label} becomes {}",
                            if available {
                                "available"
                            } else {
                                "unavailable"
                            }
                        ),
                        true,
                        None,
                    )
                } else {
                    self.blocked[issue][value as usize] = slot;
                    (
                        format!(
                            "{label} stays available: without it no feasible outcome would remain"
                        ),
                        false,
                        None,
                    )
                }
            }
        }
    }

    /// Settles every open issue on which all active parties' positions agree. Returns the
    /// full agreement when every issue is settled, and `false` in `.1` when a negotiator failed.
    pub(crate) fn settle_partial(&mut self, time: f64) -> (Option<Outcome>, bool) {
        if !self.config_partial() {
            return (None, true);
        }
        self.ensure_blocked();
        let active: Vec<usize> = (0..self.n()).filter(|&p| self.active[p]).collect();
        if active.iter().any(|&p| self.positions[p].is_none()) {
            return (None, true);
        }
        let mut newly = Vec::new();
        for i in 0..self.settled.len() {
            if self.settled[i].is_some() || self.blocked[i].is_empty() {
                continue;
            }
            let v = self.positions[active[0]].as_ref().expect("checked").0[i];
            if active
                .iter()
                .all(|&p| self.positions[p].as_ref().expect("checked").0[i] == v)
            {
                newly.push((i, v));
            }
        }
        if newly.is_empty() {
            return (None, true);
        }
        for &(i, v) in &newly {
            let saved = self.blocked[i].clone();
            for (w, b) in self.blocked[i].iter_mut().enumerate() {
                *b = w as u32 != v;
            }
            if !self.apply_blocked() {
                self.blocked[i] = saved;
                continue;
            }
            self.settled[i] = Some(v);
            let issue = &self.base.space.issues()[i];
            let label = format!(
                "{}={}",
                issue.name,
                issue.value(v).map(|x| x.to_string()).unwrap_or_default()
            );
            self.events.push(FiredEvent {
                round: self.round,
                name: "partial agreement".into(),
                description: format!(
                    "{label} is agreed by every party and fixed for the rest of the talks"
                ),
            });
        }
        if self.settled.iter().all(Option::is_some) {
            let outcome = Outcome(
                self.settled
                    .iter()
                    .map(|v| v.expect("all settled"))
                    .collect(),
            );
            return (Some(outcome), true);
        }
        (None, self.changed(time))
    }

    fn config_partial(&self) -> bool {
        self.base.protocol.partial_agreements
    }

    pub(crate) fn into_trace(self) -> Trace {
        Trace {
            parties: self.base.parties.iter().map(|p| p.name.clone()).collect(),
            seed: self.seed,
            deadline: self.deadline,
            entries: self.entries,
            events: self.events,
            result: self
                .result
                .expect("into_trace called before the negotiation ended"),
        }
    }
}
