//! What happened in a negotiation: every action, and how it ended.

use crate::compliance::Act;
use crate::scenario::Effect;
use crate::space::Outcome;

/// The kind of an action, as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionKind {
    /// A new offer (in mediated talks: a party's rejection of the text, with the outcome it
    /// prefers).
    Offer,
    /// Acceptance of the standing offer (in mediated talks: a yes to the text).
    Accept,
    /// Walking away, which ends the talks.
    End,
    /// A mediator's single negotiating text.
    Propose,
}

impl ActionKind {
    /// Lower-case name, as used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Offer => "offer",
            ActionKind::Accept => "accept",
            ActionKind::End => "end",
            ActionKind::Propose => "propose",
        }
    }
}

/// Who acted: one of the parties, or the neutral mediator of mediated talks (a biased mediator
/// is one of the parties).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Actor {
    /// The party at this index (in turn order).
    Party(usize),
    /// The neutral mediator, outside the parties.
    Mediator,
}

impl Actor {
    /// How the neutral mediator is named in transcripts, traces and reports.
    pub const MEDIATOR_NAME: &'static str = "mediator";

    /// The party index, unless this is the neutral mediator.
    pub fn party(self) -> Option<usize> {
        match self {
            Actor::Party(p) => Some(p),
            Actor::Mediator => None,
        }
    }

    /// Whether this is party `p`.
    pub fn is_party(self, p: usize) -> bool {
        self == Actor::Party(p)
    }

    /// The actor's name, given the party names in turn order.
    pub fn name(self, parties: &[String]) -> &str {
        match self {
            Actor::Party(p) => parties.get(p).map_or("?", String::as_str),
            Actor::Mediator => Self::MEDIATOR_NAME,
        }
    }
}

/// One recorded action.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceEntry {
    /// Round, from 0.
    pub round: u32,
    /// A party, or the neutral mediator (whose actions are its texts).
    pub actor: Actor,
    /// Normalised time of the turn, in `[0, 1)`: the share of the deadline gone.
    pub time: f64,
    /// Offer, accept, end, or a mediator's text.
    pub kind: ActionKind,
    /// The outcome offered, or the standing offer accepted; `None` for an end.
    pub outcome: Option<Outcome>,
    /// Undiscounted utility of `outcome` for every party (empty for an end).
    pub utilities: Vec<f64>,
}

/// Why the setting of the talks changed: what caused a [`FiredEvent`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cause {
    /// Effect `effect` of the scenario's timeline event `event` (indices into
    /// [`crate::Scenario::events`] and that event's `effects`).
    Timeline {
        /// The event, by index in the scenario's timeline.
        event: usize,
        /// The effect, by index in the event's effects.
        effect: usize,
    },
    /// A partial agreement settled issue `issue` at value `value` (see
    /// [`crate::dynamics::partial`]).
    PartialAgreement {
        /// The issue (index in the outcome space).
        issue: usize,
        /// The value it is settled at (index among the issue's values).
        value: u32,
    },
    /// The mediating party `from` left the talks and a neutral mediator took over.
    MediationHandover {
        /// The party that mediated until then (index in turn order).
        from: usize,
    },
    /// A notice of the mediator's strategy: it says something, and changes nothing.
    MediatorNotice,
    /// Obligation `obligation` (index in the scenario's compliance obligations) came to the
    /// end of its time: its issue's settlement lapsed if it was in force.
    ObligationExpires {
        /// The obligation, by index.
        obligation: usize,
    },
    /// Not recorded: read from a trace that does not say (older traces, hand-made ones).
    Unknown,
}

impl Cause {
    /// Whether this cause can change the setting of the talks (a mediator's notice cannot).
    pub fn changes_setting(&self) -> bool {
        !matches!(self, Cause::MediatorNotice)
    }
}

/// Something that changed the talks while they ran, as it happened: one effect of a timeline
/// event, a partial agreement, a hand-over of mediation, or a mediator's notice. With its
/// [`Cause`] (and, for timeline events, the [`Effect`] applied) the setting of the talks at
/// any round can be rebuilt from the base scenario ([`crate::dynamics::scenario_at`]).
#[derive(Debug, Clone, PartialEq)]
pub struct FiredEvent {
    /// The round at whose start it fired (partial agreements: the round they closed).
    pub round: u32,
    /// The event's name (`partial agreement` for partial agreements).
    pub name: String,
    /// What it did, in words (e.g. `United States leaves the talks`).
    pub description: String,
    /// What caused it.
    pub cause: Cause,
    /// The effect applied, for a timeline event (`None` for the other causes).
    pub effect: Option<Effect>,
    /// Whether it changed the setting (`false`: there was nothing to do, e.g. the party had
    /// already left, or a mediator's notice).
    pub changed: bool,
}

impl FiredEvent {
    /// An event of `cause` in `round`, named `name`, that did what `description` says.
    pub fn new(
        round: u32,
        cause: Cause,
        name: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        FiredEvent {
            round,
            name: name.into(),
            description: description.into(),
            changed: cause.changes_setting(),
            cause,
            effect: None,
        }
    }
}

/// How a negotiator (or a mediator's strategy) misbehaved.
#[derive(Debug, Clone, PartialEq)]
pub enum NegotiatorFault {
    /// It could not start: the error its `init` returned.
    Init(String),
    /// It panicked: the panic's message.
    Panic(String),
    /// It did something the protocol forbids (an offer outside the space, accepting nothing).
    InvalidAction(String),
    /// It took longer than the per-step budget.
    Timeout {
        /// Wall-clock milliseconds the step took.
        millis: u64,
    },
}

impl std::fmt::Display for NegotiatorFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NegotiatorFault::Init(m) => write!(f, "could not start: {m}"),
            NegotiatorFault::Panic(m) => write!(f, "panicked: {m}"),
            NegotiatorFault::InvalidAction(m) => write!(f, "invalid action: {m}"),
            NegotiatorFault::Timeout { millis } => {
                write!(f, "took {millis} ms for one step, over its budget")
            }
        }
    }
}

/// How a negotiation ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Termination {
    /// Every party accepted the standing offer.
    Agreement,
    /// The deadline in rounds passed.
    Deadline,
    /// The wall-clock limit passed.
    TimeLimit,
    /// A party walked away, or an event made it leave and the talks ended with that (by the
    /// event, or because too few parties remained).
    Ended {
        /// The party that ended them (index in turn order).
        party: usize,
    },
    /// A negotiator misbehaved.
    NegotiatorFault {
        /// The party it played (index in turn order).
        party: usize,
        /// What went wrong.
        fault: NegotiatorFault,
    },
    /// The mediator's strategy misbehaved (panicked, or proposed a text that is not a feasible
    /// outcome).
    MediatorFault {
        /// What went wrong.
        fault: NegotiatorFault,
    },
}

impl Termination {
    /// Short name, as used in JSON and CSV output.
    pub fn as_str(&self) -> &'static str {
        match self {
            Termination::Agreement => "agreement",
            Termination::Deadline => "deadline",
            Termination::TimeLimit => "time-limit",
            Termination::Ended { .. } => "ended",
            Termination::NegotiatorFault { .. } => "negotiator-fault",
            Termination::MediatorFault { .. } => "mediator-fault",
        }
    }
}

/// The result of a negotiation.
#[derive(Debug, Clone, PartialEq)]
pub struct NegotiationResult {
    /// Agreement, or why there was none.
    pub termination: Termination,
    /// The agreed outcome; `None` without agreement (every termination but
    /// [`Termination::Agreement`]).
    pub agreement: Option<Outcome>,
    /// Rounds started (a negotiation that ends in round 0 has used 1).
    pub rounds_used: u32,
    /// Normalised time at the end (1 when the deadline passed).
    pub time: f64,
    /// Each party's final utility: of the agreement, or its reservation value without one,
    /// discounted at `time`.
    pub utilities: Vec<f64>,
}

/// Who published a compliance report: a party, or the monitor agreed on (or set by the
/// scenario).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reporter {
    /// The party at this index (in turn order).
    Party(usize),
    /// The monitor, outside the parties.
    Monitor,
}

impl Reporter {
    /// How the monitor is named in transcripts, traces and reports.
    pub const MONITOR_NAME: &'static str = "monitor";

    /// The reporter's name, given the party names in turn order.
    pub fn name(self, parties: &[String]) -> &str {
        match self {
            Reporter::Party(p) => parties.get(p).map_or("?", String::as_str),
            Reporter::Monitor => Self::MONITOR_NAME,
        }
    }
}

/// One record of the compliance phase ([`crate::compliance`]): the truth, what was seen, what
/// was said, and what was believed, kept apart.
#[derive(Debug, Clone, PartialEq)]
pub enum ComplianceRecord {
    /// What a bound party truly did under the obligation on `issue`.
    Act {
        /// The round, from 0 (post-agreement rounds continue the count).
        round: u32,
        /// The obligation's issue.
        issue: usize,
        /// The bound party.
        party: usize,
        /// Comply or breach.
        act: Act,
    },
    /// What a watcher saw a bound party do (private to the watcher; may be wrong).
    Observed {
        /// The round.
        round: u32,
        /// The obligation's issue.
        issue: usize,
        /// Who watched.
        by: Reporter,
        /// Whom it watched.
        about: usize,
        /// What it saw.
        saw: Act,
    },
    /// A published claim.
    Report {
        /// The round.
        round: u32,
        /// The obligation's issue.
        issue: usize,
        /// Who claims.
        by: Reporter,
        /// About whom (possibly itself).
        about: usize,
        /// What it claims the party did.
        claim: Act,
    },
    /// A party's belief, after the round's reports, that a counterpart complies.
    Belief {
        /// The round.
        round: u32,
        /// Who believes.
        holder: usize,
        /// About whom.
        about: usize,
        /// The probability it gives compliance next round.
        belief: f64,
    },
}

impl ComplianceRecord {
    /// The round the record belongs to.
    pub fn round(&self) -> u32 {
        match self {
            ComplianceRecord::Act { round, .. }
            | ComplianceRecord::Observed { round, .. }
            | ComplianceRecord::Report { round, .. }
            | ComplianceRecord::Belief { round, .. } => *round,
        }
    }
}

/// A whole negotiation: its actions in order and its result.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    /// Party names, in turn order (party indices in the trace count in this order).
    pub parties: Vec<String>,
    /// The seed the negotiation ran with.
    pub seed: u64,
    /// The deadline in rounds as it stood at the end (an event may have moved the scenario's).
    pub deadline: u32,
    /// Every action (empty when the protocol was told not to record them).
    pub entries: Vec<TraceEntry>,
    /// Timeline events and partial agreements, in the order they happened.
    pub events: Vec<FiredEvent>,
    /// The compliance phase, in order (empty without obligations): acts, observations,
    /// reports and beliefs, round by round, including the post-agreement phase.
    pub compliance: Vec<ComplianceRecord>,
    /// How it ended: the termination, the agreement and the final utilities.
    pub result: NegotiationResult,
}
