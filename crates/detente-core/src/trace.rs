//! What happened in a negotiation: every action, and how it ended.

use crate::space::Outcome;

/// The kind of an action, as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionKind {
    /// A new offer.
    Offer,
    /// Acceptance of the standing offer.
    Accept,
    /// Walking away.
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
    /// Who acted.
    pub actor: Actor,
    /// Normalised time of the turn.
    pub time: f64,
    /// What it did.
    pub kind: ActionKind,
    /// The outcome offered, or the standing offer accepted; `None` for an end.
    pub outcome: Option<Outcome>,
    /// Undiscounted utility of `outcome` for every party (empty for an end).
    pub utilities: Vec<f64>,
}

/// A timeline event (or a partial agreement) as it happened.
#[derive(Debug, Clone, PartialEq)]
pub struct FiredEvent {
    /// The round at whose start it fired (partial agreements: the round they closed).
    pub round: u32,
    /// The event's name (`partial agreement` for partial agreements).
    pub name: String,
    /// What it did, in words (e.g. `United States leaves the talks`).
    pub description: String,
}

/// How a negotiator (or a mediator's strategy) misbehaved.
#[derive(Debug, Clone, PartialEq)]
pub enum NegotiatorFault {
    /// It could not start.
    Init(String),
    /// It panicked, with this message.
    Panic(String),
    /// It did something the protocol forbids (an offer outside the space, accepting nothing).
    InvalidAction(String),
    /// It took longer than the per-step budget.
    Timeout {
        /// Milliseconds it took.
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
    /// The round deadline passed.
    Deadline,
    /// The wall-clock limit passed.
    TimeLimit,
    /// A party walked away.
    Ended {
        /// Who.
        party: usize,
    },
    /// A negotiator misbehaved.
    NegotiatorFault {
        /// Who.
        party: usize,
        /// What it did.
        fault: NegotiatorFault,
    },
    /// The mediator's strategy misbehaved (panicked, or proposed a text that is not a feasible
    /// outcome).
    MediatorFault {
        /// What it did.
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
    /// How it ended.
    pub termination: Termination,
    /// The agreed outcome, if any.
    pub agreement: Option<Outcome>,
    /// Rounds started (a negotiation that ends in round 0 has used 1).
    pub rounds_used: u32,
    /// Normalised time at the end (1 when the deadline passed).
    pub time: f64,
    /// Each party's final utility: of the agreement, or its reservation value without one,
    /// discounted at `time`.
    pub utilities: Vec<f64>,
}

/// A whole negotiation: its actions in order and its result.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    /// Party names, in turn order.
    pub parties: Vec<String>,
    /// The seed the negotiation ran with.
    pub seed: u64,
    /// The deadline in rounds.
    pub deadline: u32,
    /// Every action (empty when the protocol was told not to record them).
    pub entries: Vec<TraceEntry>,
    /// Timeline events and partial agreements, in the order they happened.
    pub events: Vec<FiredEvent>,
    /// How it ended.
    pub result: NegotiationResult,
}
