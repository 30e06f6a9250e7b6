//! The Stacked Alternating Offers Protocol (SAOP) for n >= 2 parties.
//!
//! Parties move in a fixed cyclic order; a round gives each one turn. On its turn a party
//! accepts the standing offer, makes a new offer (which replaces it), or ends the negotiation.
//! The very first move must be an offer or an end. An agreement is reached when every party
//! other than the offerer has accepted the standing offer in turn. With two parties this is
//! bilateral alternating offers.
//!
//! Time: the turn of party `k` in round `r` (both from 0) happens at normalised time
//! `t = (r * n + k) / (R * n)`, with `n` parties and a deadline of `R` rounds. With a
//! wall-clock limit `L`, `t` is the larger of that and `elapsed / L`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use super::{Clock, derive_seed};
use crate::negotiator::{Action, Negotiator, Offer, SessionInfo, State};
use crate::scenario::Scenario;
use crate::tables::ScenarioTables;
use crate::trace::{ActionKind, AgentFault, NegotiationResult, Termination, Trace, TraceEntry};

/// Settings of one SAOP negotiation.
#[derive(Debug, Clone, PartialEq)]
pub struct SaopConfig {
    /// Deadline in rounds.
    pub rounds: u32,
    /// Wall-clock limit for the whole negotiation (needs a [`Clock`]).
    pub time_limit: Option<Duration>,
    /// Longest a negotiator may take for one step (needs a [`Clock`]).
    pub step_limit: Option<Duration>,
    /// Record every action in the trace (off in large tournaments that keep only results).
    pub record_actions: bool,
}

impl SaopConfig {
    /// A round deadline, no wall-clock limits, every action recorded.
    pub fn rounds(rounds: u32) -> Self {
        SaopConfig {
            rounds,
            time_limit: None,
            step_limit: None,
            record_actions: true,
        }
    }

    /// The settings a scenario states.
    pub fn from_scenario(scenario: &Scenario) -> Self {
        SaopConfig {
            time_limit: scenario.protocol.time_limit,
            ..Self::rounds(scenario.protocol.rounds)
        }
    }
}

/// What one call to [`Saop::step`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A turn was taken; the negotiation goes on.
    Continue,
    /// The negotiation has ended (on this step or before).
    Ended,
}

/// A running SAOP negotiation.
pub struct Saop<'a> {
    scenario: &'a Scenario,
    tables: &'a ScenarioTables,
    negotiators: Vec<Box<dyn Negotiator + 'a>>,
    config: SaopConfig,
    clock: Option<&'a dyn Clock>,
    seed: u64,
    started: bool,
    round: u32,
    turn: usize,
    standing: Option<Offer>,
    accepts: usize,
    entries: Vec<TraceEntry>,
    result: Option<NegotiationResult>,
}

impl std::fmt::Debug for Saop<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Saop")
            .field("scenario", &self.scenario.name)
            .field("round", &self.round)
            .field("turn", &self.turn)
            .field("result", &self.result)
            .finish_non_exhaustive()
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic payload".to_string()
    }
}

impl<'a> Saop<'a> {
    /// Sets up a negotiation: one negotiator per party, in the scenario's party order.
    ///
    /// # Panics
    /// When the number of negotiators differs from the number of parties (a programming error
    /// of the caller, not an input error).
    pub fn new(
        scenario: &'a Scenario,
        tables: &'a ScenarioTables,
        negotiators: Vec<Box<dyn Negotiator + 'a>>,
        config: SaopConfig,
        seed: u64,
    ) -> Self {
        assert_eq!(
            negotiators.len(),
            scenario.parties.len(),
            "one negotiator per party"
        );
        Saop {
            scenario,
            tables,
            negotiators,
            config,
            clock: None,
            seed,
            started: false,
            round: 0,
            turn: 0,
            standing: None,
            accepts: 0,
            entries: Vec::new(),
            result: None,
        }
    }

    /// Uses `clock` for the wall-clock and per-step limits.
    pub fn with_clock(mut self, clock: &'a dyn Clock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// The result, once the negotiation has ended.
    pub fn result(&self) -> Option<&NegotiationResult> {
        self.result.as_ref()
    }

    /// The actions recorded so far.
    pub fn entries(&self) -> &[TraceEntry] {
        &self.entries
    }

    /// Current round, from 0.
    pub fn round(&self) -> u32 {
        self.round
    }

    /// The standing offer.
    pub fn standing(&self) -> Option<&Offer> {
        self.standing.as_ref()
    }

    fn n(&self) -> usize {
        self.negotiators.len()
    }

    fn time(&self) -> f64 {
        let n = self.n() as f64;
        let t =
            (f64::from(self.round) * n + self.turn as f64) / (f64::from(self.config.rounds) * n);
        match (self.config.time_limit, self.clock) {
            (Some(limit), Some(clock)) if !limit.is_zero() => {
                t.max((clock.elapsed().as_secs_f64() / limit.as_secs_f64()).min(1.0))
            }
            _ => t,
        }
    }

    fn finish(&mut self, termination: Termination, time: f64) {
        let time = time.clamp(0.0, 1.0);
        let agreement = match termination {
            Termination::Agreement => self.standing.as_ref().map(|o| o.outcome.clone()),
            _ => None,
        };
        let utilities = self
            .scenario
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
        let rounds = (self.round + 1).min(self.config.rounds);
        self.result = Some(NegotiationResult {
            termination,
            agreement,
            rounds,
            time,
            utilities,
        });
    }

    fn start(&mut self) -> bool {
        self.started = true;
        for i in 0..self.n() {
            let info = SessionInfo {
                party: i,
                scenario: self.scenario,
                tables: self.tables,
                rounds: self.config.rounds,
                seed: derive_seed(self.seed, i as u64),
            };
            let neg = &mut self.negotiators[i];
            let fault = match catch_unwind(AssertUnwindSafe(|| neg.init(&info))) {
                Ok(Ok(())) => continue,
                Ok(Err(e)) => AgentFault::Init(e.0),
                Err(p) => AgentFault::Panic(panic_message(&*p)),
            };
            self.finish(Termination::AgentError { party: i, fault }, 0.0);
            return false;
        }
        true
    }

    /// Takes one turn.
    pub fn step(&mut self) -> Step {
        if self.result.is_some() {
            return Step::Ended;
        }
        if !self.started && !self.start() {
            return Step::Ended;
        }
        let time = self.time();
        if let (Some(limit), Some(clock)) = (self.config.time_limit, self.clock)
            && clock.elapsed() >= limit
        {
            self.finish(Termination::TimeLimit, 1.0);
            return Step::Ended;
        }
        let party = self.turn;
        let state = State {
            round: self.round,
            time,
            turn: party,
            standing: self.standing.as_ref(),
            accepts: self.accepts,
        };
        let before = self.config.step_limit.and(self.clock).map(|c| c.elapsed());
        let neg = &mut self.negotiators[party];
        let action = match catch_unwind(AssertUnwindSafe(|| neg.act(&state))) {
            Ok(a) => a,
            Err(p) => {
                let fault = AgentFault::Panic(panic_message(&*p));
                self.finish(Termination::AgentError { party, fault }, time);
                return Step::Ended;
            }
        };
        if let (Some(before), Some(limit), Some(clock)) =
            (before, self.config.step_limit, self.clock)
        {
            let took = clock.elapsed().saturating_sub(before);
            if took > limit {
                let fault = AgentFault::Timeout {
                    millis: took.as_millis() as u64,
                };
                self.finish(Termination::AgentError { party, fault }, time);
                return Step::Ended;
            }
        }
        // Validate.
        let invalid = match &action {
            Action::Accept if self.standing.is_none() => {
                Some("accepted when no offer was standing".to_string())
            }
            Action::Offer(o) if !self.scenario.space.contains(o) => Some(format!(
                "offered {:?}, which is not an outcome of the space",
                o.0
            )),
            _ => None,
        };
        if let Some(msg) = invalid {
            self.finish(
                Termination::AgentError {
                    party,
                    fault: AgentFault::InvalidAction(msg),
                },
                time,
            );
            return Step::Ended;
        }
        if self.config.record_actions {
            let (kind, outcome) = match &action {
                Action::Accept => (
                    ActionKind::Accept,
                    self.standing.as_ref().map(|s| s.outcome.clone()),
                ),
                Action::Offer(o) => (ActionKind::Offer, Some(o.clone())),
                Action::End => (ActionKind::End, None),
            };
            let utilities = outcome
                .as_ref()
                .map(|o| self.scenario.utilities(o))
                .unwrap_or_default();
            self.entries.push(TraceEntry {
                round: self.round,
                party,
                time,
                kind,
                outcome,
                utilities,
            });
        }
        // Others observe the action against the state it was taken in.
        let state = State {
            standing: self.standing.as_ref(),
            ..state
        };
        for (j, other) in self.negotiators.iter_mut().enumerate() {
            if j == party {
                continue;
            }
            if let Err(p) = catch_unwind(AssertUnwindSafe(|| other.observe(party, &action, &state)))
            {
                let fault = AgentFault::Panic(panic_message(&*p));
                self.finish(Termination::AgentError { party: j, fault }, time);
                return Step::Ended;
            }
        }
        match action {
            Action::Accept => {
                self.accepts += 1;
                if self.accepts + 1 >= self.n() {
                    self.finish(Termination::Agreement, time);
                    return Step::Ended;
                }
            }
            Action::Offer(outcome) => {
                self.standing = Some(Offer { outcome, by: party });
                self.accepts = 0;
            }
            Action::End => {
                self.finish(Termination::Ended { party }, time);
                return Step::Ended;
            }
        }
        self.turn += 1;
        if self.turn == self.n() {
            self.turn = 0;
            self.round += 1;
            if self.round >= self.config.rounds {
                self.round = self.config.rounds - 1;
                self.finish(Termination::Deadline, 1.0);
                return Step::Ended;
            }
        }
        Step::Continue
    }

    /// Runs to the end and returns the trace.
    pub fn run(mut self) -> Trace {
        while self.step() == Step::Continue {}
        self.into_trace()
    }

    /// The trace so far; the result must be there (call after the negotiation has ended).
    ///
    /// # Panics
    /// When the negotiation has not ended.
    pub fn into_trace(self) -> Trace {
        Trace {
            parties: self
                .scenario
                .parties
                .iter()
                .map(|p| p.name.clone())
                .collect(),
            seed: self.seed,
            deadline: self.config.rounds,
            entries: self.entries,
            result: self
                .result
                .expect("into_trace called before the negotiation ended"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::negotiator::NegotiatorError;
    use crate::scenario::{Party, ProtocolSettings};
    use crate::space::{Issue, Outcome, OutcomeSpace};
    use crate::utility::{Evaluator, LinearAdditive, Preferences, Utility};

    fn scenario(n: usize) -> Scenario {
        let space = OutcomeSpace::new(vec![Issue::discrete("a", ["x", "y", "z"])]).unwrap();
        let parties = (0..n)
            .map(|i| {
                let scores = if i % 2 == 0 {
                    vec![1.0, 0.5, 0.0]
                } else {
                    vec![0.0, 0.5, 1.0]
                };
                let u =
                    LinearAdditive::new(&space, vec![1.0], vec![Evaluator::Table(scores)], None)
                        .unwrap();
                Party {
                    name: format!("p{i}"),
                    preferences: Preferences {
                        utility: Utility::LinearAdditive(u),
                        reservation: 0.1,
                        discount: 0.5,
                    },
                    negotiator: None,
                }
            })
            .collect();
        Scenario {
            name: "t".into(),
            description: String::new(),
            space,
            parties,
            protocol: ProtocolSettings::default(),
        }
    }

    /// Plays a fixed script of actions, then repeats its last one.
    struct Script(Vec<Action>, usize);
    impl Negotiator for Script {
        fn init(&mut self, _: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
            Ok(())
        }
        fn act(&mut self, _: &State<'_>) -> Action {
            let a = self.0[self.1.min(self.0.len() - 1)].clone();
            self.1 += 1;
            a
        }
    }

    fn run(s: &Scenario, scripts: Vec<Vec<Action>>, rounds: u32) -> Trace {
        let tables = ScenarioTables::for_scenario(s);
        let negs: Vec<Box<dyn Negotiator>> = scripts
            .into_iter()
            .map(|a| Box::new(Script(a, 0)) as Box<dyn Negotiator>)
            .collect();
        Saop::new(s, &tables, negs, SaopConfig::rounds(rounds), 7).run()
    }

    fn offer(v: u32) -> Action {
        Action::Offer(Outcome(vec![v]))
    }

    #[test]
    fn bilateral_agreement() {
        let s = scenario(2);
        let t = run(&s, vec![vec![offer(1)], vec![Action::Accept]], 10);
        assert_eq!(t.result.termination, Termination::Agreement);
        assert_eq!(t.result.agreement, Some(Outcome(vec![1])));
        assert_eq!(t.entries.len(), 2);
        // Accepted at turn 1 of round 0: t = 1 / 20.
        assert_eq!(t.result.time, 0.05);
        assert_eq!(t.result.utilities[0], 0.5 * 0.5f64.powf(0.05));
    }

    #[test]
    fn multilateral_needs_every_other_party() {
        let s = scenario(3);
        // p1 accepts, p2 counter-offers, p0 and p1 accept it.
        let t = run(
            &s,
            vec![
                vec![offer(0), Action::Accept],
                vec![Action::Accept],
                vec![offer(2)],
            ],
            10,
        );
        assert_eq!(t.result.termination, Termination::Agreement);
        assert_eq!(t.result.agreement, Some(Outcome(vec![2])));
        let kinds: Vec<_> = t.entries.iter().map(|e| (e.party, e.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                (0, ActionKind::Offer),
                (1, ActionKind::Accept),
                (2, ActionKind::Offer),
                (0, ActionKind::Accept),
                (1, ActionKind::Accept)
            ]
        );
    }

    #[test]
    fn deadline_gives_discounted_reservation() {
        let s = scenario(2);
        let t = run(&s, vec![vec![offer(0)], vec![offer(2)]], 3);
        assert_eq!(t.result.termination, Termination::Deadline);
        assert_eq!(t.entries.len(), 6);
        assert_eq!(t.result.rounds, 3);
        assert_eq!(t.result.utilities, vec![0.05, 0.05]);
    }

    #[test]
    fn faults_are_recorded() {
        let s = scenario(2);
        let t = run(&s, vec![vec![Action::Accept], vec![Action::Accept]], 3);
        assert!(matches!(
            t.result.termination,
            Termination::AgentError {
                party: 0,
                fault: AgentFault::InvalidAction(_)
            }
        ));
        let t = run(&s, vec![vec![offer(0)], vec![offer(9)]], 3);
        assert!(matches!(
            t.result.termination,
            Termination::AgentError {
                party: 1,
                fault: AgentFault::InvalidAction(_)
            }
        ));
        let t = run(&s, vec![vec![offer(0)], vec![Action::End]], 3);
        assert_eq!(t.result.termination, Termination::Ended { party: 1 });

        struct Panicker;
        impl Negotiator for Panicker {
            fn init(&mut self, _: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
                Ok(())
            }
            fn act(&mut self, _: &State<'_>) -> Action {
                panic!("boom")
            }
        }
        let tables = ScenarioTables::for_scenario(&s);
        let negs: Vec<Box<dyn Negotiator>> =
            vec![Box::new(Script(vec![offer(0)], 0)), Box::new(Panicker)];
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let t = Saop::new(&s, &tables, negs, SaopConfig::rounds(3), 1).run();
        std::panic::set_hook(prev);
        assert_eq!(
            t.result.termination,
            Termination::AgentError {
                party: 1,
                fault: AgentFault::Panic("boom".into())
            }
        );
    }

    #[test]
    fn seeds_are_spread() {
        assert_ne!(derive_seed(1, 0), derive_seed(1, 1));
        assert_ne!(derive_seed(1, 0), derive_seed(2, 0));
        assert_eq!(derive_seed(5, 3), derive_seed(5, 3));
    }
}
