//! What every protocol shares: the setting as it stands ([`Dynamics`]), calling negotiators
//! safely, recording the trace, and ending the negotiation. A new protocol is a state machine
//! over a [`Session`] (see [`super::Protocol`]).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use super::{Clock, ProtocolConfig, Recorder, Step, TimeConvention, derive_seed};
use crate::dynamics::Dynamics;
use crate::negotiator::{Action, Negotiator, SessionInfo, State};
use crate::scenario::Scenario;
use crate::space::Outcome;
use crate::tables::ScenarioTables;
use crate::trace::{
    ActionKind, Actor, Cause, ComplianceRecord, FiredEvent, NegotiationResult, NegotiatorFault,
    Termination, Trace, TraceEntry,
};

/// The shared state of a running negotiation. Protocols drive it; every call into a
/// negotiator goes through it, so a negotiator that panics, misbehaves or runs over its budget
/// ends the negotiation with a recorded [`NegotiatorFault`] instead of harming the caller.
pub struct Session<'a> {
    dynamics: Dynamics<'a>,
    negotiators: Vec<Box<dyn Negotiator + 'a>>,
    config: ProtocolConfig,
    clock: Option<&'a dyn Clock>,
    recorder: Option<&'a mut dyn Recorder>,
    seed: u64,
    entries: Vec<TraceEntry>,
    events: Vec<FiredEvent>,
    compliance: Vec<ComplianceRecord>,
    /// A bound party whose compliance strategy could not be made, and why.
    compliance_fault: Option<(usize, String)>,
    result: Option<NegotiationResult>,
    started: bool,
    round: u32,
}

impl std::fmt::Debug for Session<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("round", &self.round)
            .field("deadline", &self.dynamics.deadline())
            .field("result", &self.result)
            .finish_non_exhaustive()
    }
}

/// What `party`'s negotiator learns of the session as it stands.
fn info<'s>(dynamics: &'s Dynamics<'_>, seed: u64, party: usize) -> SessionInfo<'s> {
    SessionInfo {
        party,
        scenario: dynamics.scenario(),
        tables: dynamics.tables(),
        deadline: dynamics.deadline(),
        seed: derive_seed(seed, party as u64),
    }
}

/// The message of a caught panic.
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
    /// A session of `scenario` between `negotiators` (one per party, in party order).
    ///
    /// # Panics
    /// When the number of negotiators differs from the number of parties (a programming error
    /// of the caller, not an input error).
    pub fn new(
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
        let mut dynamics = Dynamics::new(scenario, tables, config.deadline);
        let compliance_fault = if scenario.compliance.is_empty() {
            None
        } else {
            dynamics
                .start_compliance(seed, &crate::compliance::builtin())
                .err()
        };
        Session {
            dynamics,
            negotiators,
            config,
            clock: None,
            recorder: None,
            seed,
            entries: Vec::new(),
            events: Vec::new(),
            compliance: Vec::new(),
            compliance_fault,
            result: None,
            started: false,
            round: 0,
        }
    }

    /// Uses `clock` for the wall-clock and per-step limits.
    pub fn set_clock(&mut self, clock: &'a dyn Clock) {
        self.clock = Some(clock);
    }

    /// Hands every action and event to `recorder` as it happens.
    pub fn set_recorder(&mut self, recorder: &'a mut dyn Recorder) {
        self.recorder = Some(recorder);
    }

    /// Keeps events that fired, and tells the recorder of them.
    fn add_events(&mut self, events: Vec<FiredEvent>) {
        if let Some(r) = self.recorder.as_mut() {
            for e in &events {
                r.event(e);
            }
        }
        self.events.extend(events);
    }

    /// Keeps records of the compliance phase, and tells the recorder of them.
    fn add_compliance(&mut self, records: Vec<ComplianceRecord>) {
        if let Some(r) = self.recorder.as_mut() {
            for c in &records {
                r.compliance(c);
            }
        }
        self.compliance.extend(records);
    }

    /// The settings this session runs with.
    pub fn config(&self) -> &ProtocolConfig {
        &self.config
    }

    /// The setting as it stands (scenario, active parties, deadline, settled issues).
    pub fn dynamics(&self) -> &Dynamics<'a> {
        &self.dynamics
    }

    /// The setting, to change (e.g. a party's position for partial agreements).
    pub fn dynamics_mut(&mut self) -> &mut Dynamics<'a> {
        &mut self.dynamics
    }

    /// The scenario as it stands now.
    pub fn scenario(&self) -> &Scenario {
        self.dynamics.scenario()
    }

    /// Tables of the scenario as it stands now.
    pub fn tables(&self) -> &ScenarioTables {
        self.dynamics.tables()
    }

    /// Number of parties (active or not).
    pub fn n(&self) -> usize {
        self.negotiators.len()
    }

    /// Whether party `p` is still at the table.
    pub fn is_active(&self, p: usize) -> bool {
        self.dynamics.is_active(p)
    }

    /// Who is still at the table (cheap to clone into a [`State`]).
    pub fn active(&self) -> Arc<Vec<bool>> {
        Arc::clone(self.dynamics.active())
    }

    /// The current round, from 0.
    pub fn round(&self) -> u32 {
        self.round
    }

    /// The deadline in rounds, as it stands.
    pub fn deadline(&self) -> u32 {
        self.dynamics.deadline()
    }

    /// Whether [`start`](Self::start) has run.
    pub fn is_started(&self) -> bool {
        self.started
    }

    /// The result, once the negotiation has ended.
    pub fn result(&self) -> Option<&NegotiationResult> {
        self.result.as_ref()
    }

    /// The actions recorded so far.
    pub fn entries(&self) -> &[TraceEntry] {
        &self.entries
    }

    /// What changed the talks so far (timeline events, partial agreements, hand-overs,
    /// mediator notices), in order.
    pub fn events(&self) -> &[FiredEvent] {
        &self.events
    }

    /// Records something that changed the talks, or was said about them: an event of the
    /// protocol's own, such as a hand-over of mediation or a mediator's notice, in the current
    /// round.
    pub fn push_event(
        &mut self,
        cause: Cause,
        name: impl Into<String>,
        description: impl Into<String>,
    ) {
        let event = FiredEvent::new(self.round, cause, name, description);
        self.add_events(vec![event]);
    }

    /// Normalised time of position `k` of `per_round` in round `round` under the configured
    /// [`TimeConvention`]; with a wall-clock limit,
    /// the larger of that and the share of the limit used.
    pub fn time_at(&self, round: u32, k: usize, per_round: usize) -> f64 {
        let per = per_round.max(1) as f64;
        let t = match self.config.time {
            TimeConvention::PerTurn => {
                (f64::from(round) * per + k as f64) / (f64::from(self.deadline()) * per)
            }
            TimeConvention::PerRound => {
                (f64::from(round) + 1.0) / (f64::from(self.deadline()) + 1.0)
            }
        };
        let t = match (self.config.time_limit, self.clock) {
            (Some(limit), Some(clock)) if !limit.is_zero() => {
                t.max((clock.elapsed().as_secs_f64() / limit.as_secs_f64()).min(1.0))
            }
            _ => t,
        };
        t.min(1.0)
    }

    /// Whether the wall-clock limit has passed.
    pub fn time_limit_passed(&self) -> bool {
        matches!((self.config.time_limit, self.clock), (Some(limit), Some(clock)) if clock.elapsed() >= limit)
    }

    /// Initialises every negotiator; [`Step::Ended`] when one failed.
    pub fn start(&mut self) -> Step {
        self.started = true;
        if let Some((party, message)) = self.compliance_fault.take() {
            let message = format!("its compliance strategy: {message}");
            self.fault(party, NegotiatorFault::Init(message), 0.0);
            return Step::Ended;
        }
        for party in 0..self.n() {
            let info = info(&self.dynamics, self.seed, party);
            let negotiator = &mut self.negotiators[party];
            let fault = match catch_unwind(AssertUnwindSafe(|| negotiator.init(&info))) {
                Ok(Ok(())) => continue,
                Ok(Err(e)) => NegotiatorFault::Init(e.0),
                Err(p) => NegotiatorFault::Panic(panic_message(&*p)),
            };
            self.fault(party, fault, 0.0);
            return Step::Ended;
        }
        Step::Continue
    }

    /// Ends the negotiation with `party`'s fault.
    fn fault(&mut self, party: usize, fault: NegotiatorFault, time: f64) {
        self.finish(Termination::NegotiatorFault { party, fault }, time, None);
    }

    /// Asks `party` for its action; `None` when it misbehaved (the negotiation has ended).
    pub fn act(&mut self, party: usize, state: &State<'_>) -> Option<Action> {
        let before = self.config.step_limit.and(self.clock).map(|c| c.elapsed());
        let negotiator = &mut self.negotiators[party];
        let action = match catch_unwind(AssertUnwindSafe(|| negotiator.act(state))) {
            Ok(a) => a,
            Err(p) => {
                self.fault(
                    party,
                    NegotiatorFault::Panic(panic_message(&*p)),
                    state.time,
                );
                return None;
            }
        };
        if let (Some(before), Some(limit), Some(clock)) =
            (before, self.config.step_limit, self.clock)
        {
            let took = clock.elapsed().saturating_sub(before);
            if took > limit {
                let millis = took.as_millis() as u64;
                self.fault(party, NegotiatorFault::Timeout { millis }, state.time);
                return None;
            }
        }
        if let Some(message) = self.invalid(&action, state) {
            self.fault(party, NegotiatorFault::InvalidAction(message), state.time);
            return None;
        }
        Some(action)
    }

    /// Why an action is not allowed, if it is not.
    fn invalid(&self, action: &Action, state: &State<'_>) -> Option<String> {
        let space = &self.scenario().space;
        match action {
            Action::Accept if state.standing.is_none() => {
                Some("accepted when no offer was standing".to_string())
            }
            Action::Offer(o) if !space.contains(o) => Some(
                if space.is_feasible(&o.0) || o.0.len() != space.issues().len() {
                    format!("offered {:?}, which is not an outcome of the space", o.0)
                } else {
                    format!(
                        "offered {}, which the constraints exclude",
                        space.display(o)
                    )
                },
            ),
            _ => None,
        }
    }

    /// Lets every other active negotiator see `party`'s action; `false` when one of them
    /// panicked (the negotiation has ended).
    pub fn notify(&mut self, party: usize, action: &Action, state: &State<'_>) -> bool {
        for j in 0..self.n() {
            if j == party || !self.is_active(j) {
                continue;
            }
            let other = &mut self.negotiators[j];
            if let Err(p) = catch_unwind(AssertUnwindSafe(|| other.observe(party, action, state))) {
                self.fault(j, NegotiatorFault::Panic(panic_message(&*p)), state.time);
                return false;
            }
        }
        true
    }

    /// How `party` compares `candidate` with `incumbent` ([`Negotiator::compare`]); `None`
    /// when it cannot tell, or panicked (a comparison is advice, not an action: a panic there
    /// is not a fault).
    pub fn compare(
        &mut self,
        party: usize,
        candidate: &Outcome,
        incumbent: &Outcome,
    ) -> Option<std::cmp::Ordering> {
        let negotiator = &mut self.negotiators[party];
        catch_unwind(AssertUnwindSafe(|| {
            negotiator.compare(candidate, incumbent)
        }))
        .ok()
        .flatten()
    }

    /// Records an action: hands it to the recorder, if any, and keeps it in the trace when
    /// the configuration records actions.
    pub fn record(&mut self, actor: Actor, time: f64, kind: ActionKind, outcome: Option<&Outcome>) {
        if !self.config.record_actions
            && self.recorder.is_none()
            && !self.dynamics.watches_actions()
        {
            return;
        }
        let utilities = outcome
            .map(|o| self.scenario().utilities(o))
            .unwrap_or_default();
        let entry = TraceEntry {
            round: self.round,
            actor,
            time,
            kind,
            outcome: outcome.cloned(),
            utilities,
        };
        self.dynamics.observe(&entry);
        if let Some(r) = self.recorder.as_mut() {
            r.action(&entry);
        }
        if self.config.record_actions {
            self.entries.push(entry);
        }
    }

    /// Ends the negotiation: every party's final utility is that of the agreement, or its
    /// reservation value as it stands, discounted at `time`.
    pub fn finish(&mut self, termination: Termination, time: f64, agreement: Option<Outcome>) {
        let time = time.clamp(0.0, 1.0);
        let utilities = self
            .scenario()
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
        let rounds_used = (self.round + 1).min(self.deadline().max(1));
        if let Some(outcome) = &agreement {
            let watched = self.dynamics.after_agreement(outcome, self.round);
            self.add_compliance(watched.records);
            self.add_events(watched.events);
        }
        self.result = Some(NegotiationResult {
            termination,
            agreement,
            rounds_used,
            time,
            utilities,
        });
    }

    /// Moves to the next round; at the deadline, ends the negotiation ([`Step::Ended`]).
    pub fn next_round(&mut self) -> Step {
        self.round += 1;
        if self.round >= self.deadline() {
            self.round = self.deadline() - 1;
            self.finish(Termination::Deadline, 1.0, None);
            return Step::Ended;
        }
        Step::Continue
    }

    /// Fires the timeline events due at the start of the current round and tells negotiators
    /// when the scenario changed. [`Step::Ended`] when the negotiation has ended (a party left
    /// and ended the talks, too few parties remain, a negotiator failed, or the deadline moved
    /// to or before this round).
    pub fn fire_events(&mut self, time: f64) -> Step {
        let watched = self.dynamics.watch_round(self.round);
        self.add_compliance(watched.records);
        self.add_events(watched.events);
        let fired = self.dynamics.fire_due(self.round);
        self.add_events(fired.events);
        if let Some(party) = fired.ended_by {
            self.finish(Termination::Ended { party }, time, None);
            return Step::Ended;
        }
        if fired.deadline_passed || self.round >= self.deadline() {
            self.finish(Termination::Deadline, 1.0, None);
            return Step::Ended;
        }
        if fired.changed || watched.changed {
            return self.tell_negotiators(time);
        }
        Step::Continue
    }

    /// Settles the issues on which all active parties' positions agree (with partial agreements
    /// on). When every issue is settled, that is the agreement and the negotiation ends.
    pub fn settle_partial(&mut self, time: f64) -> Step {
        let settled = self.dynamics.settle_agreed(self.round);
        let changed = settled.changed();
        self.add_events(settled.events);
        if let Some(outcome) = settled.agreement {
            self.finish(Termination::Agreement, time, Some(outcome));
            return Step::Ended;
        }
        if changed {
            return self.tell_negotiators(time);
        }
        Step::Continue
    }

    /// After the scenario changed: every active negotiator told through
    /// [`Negotiator::update`]. [`Step::Ended`] when one failed.
    fn tell_negotiators(&mut self, time: f64) -> Step {
        for party in 0..self.n() {
            if !self.is_active(party) {
                continue;
            }
            let info = info(&self.dynamics, self.seed, party);
            let negotiator = &mut self.negotiators[party];
            let fault = match catch_unwind(AssertUnwindSafe(|| negotiator.update(&info))) {
                Ok(Ok(())) => continue,
                Ok(Err(e)) => NegotiatorFault::Init(e.0),
                Err(p) => NegotiatorFault::Panic(panic_message(&*p)),
            };
            self.fault(party, fault, time);
            return Step::Ended;
        }
        Step::Continue
    }

    /// The trace; the negotiation must have ended.
    ///
    /// # Panics
    /// When the negotiation has not ended.
    pub fn into_trace(self) -> Trace {
        self.into_parts().0
    }

    /// The trace and the negotiators as they ended (to read what they learnt, e.g. their
    /// opponent models); the negotiation must have ended.
    ///
    /// # Panics
    /// When the negotiation has not ended.
    pub fn into_parts(self) -> (Trace, Vec<Box<dyn Negotiator + 'a>>) {
        let base = self.dynamics.base();
        let trace = Trace {
            parties: base.parties.iter().map(|p| p.name.clone()).collect(),
            seed: self.seed,
            deadline: self.dynamics.deadline(),
            entries: self.entries,
            events: self.events,
            compliance: self.compliance,
            result: self
                .result
                .expect("into_trace called before the negotiation ended"),
        };
        (trace, self.negotiators)
    }
}
