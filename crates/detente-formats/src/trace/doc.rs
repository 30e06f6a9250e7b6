//! The JSON trace (`detente-trace/1`) as one typed document: plain data with public fields,
//! the field names of `docs/trace-format.md`.
//!
//! Outcomes are maps from issue name to value ([`OutcomeDoc`]) and utilities maps from party
//! name to number ([`PerParty`]), so the JSON reads well and loads directly into pandas or
//! polars. Written by [`super::trace_doc`], read by [`TraceDoc::from_json_str`].

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use detente_core::{ActionKind, Termination};

use crate::analysis_json::AgreementQualityDoc;

/// The value of `format` in every trace this build writes and the only one it reads.
pub const TRACE_FORMAT: &str = "detente-trace/1";

/// An outcome: issue name to value.
pub type OutcomeDoc = BTreeMap<String, IssueValue>;

/// A number per party: party name to number.
pub type PerParty = BTreeMap<String, f64>;

/// One negotiation, as `detente run --format json` writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceDoc {
    /// Always [`TRACE_FORMAT`].
    pub format: String,
    /// The scenario's name.
    pub scenario: String,
    /// Issue names, in issue order.
    pub issues: Vec<String>,
    /// The parties, in turn order.
    pub parties: Vec<PartyDoc>,
    /// The protocol (SAOP when a trace does not say).
    #[serde(default)]
    pub protocol: ProtocolDoc,
    /// The seed of the run (0 when a trace does not say).
    #[serde(default)]
    pub seed: u64,
    /// The deadline in rounds, as it stood at the end (events can move it).
    pub deadline: u32,
    /// Every action, in order.
    pub actions: Vec<ActionDoc>,
    /// Timeline events and partial agreements, in the order they happened.
    #[serde(default)]
    pub events: Vec<EventDoc>,
    /// The compliance phase: acts, observations, reports and beliefs, in order (absent
    /// without obligations).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compliance: Vec<super::compliance::ComplianceDoc>,
    /// How it ended.
    pub result: ResultDoc,
    /// Agreement quality against the frontier and the special points, when computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<AgreementQualityDoc>,
    /// The ensemble `detente run` ran beside this negotiation (many runs with seeds and
    /// negotiators of their own), when it ran one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ensemble: Option<crate::ensemble_json::EnsembleDoc>,
}

/// A party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyDoc {
    /// Its name.
    pub name: String,
    /// The negotiator that played it, as a spec (`boulware:e=0.2`); empty when unknown.
    #[serde(default)]
    pub negotiator: String,
    /// Its reservation value as the scenario states it, before any event.
    pub reservation: f64,
    /// Its discount factor (1 when a trace does not say).
    #[serde(default = "no_discount")]
    pub discount: f64,
}

fn no_discount() -> f64 {
    1.0
}

/// The protocol the talks ran under; `kind` in JSON names the variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ProtocolDoc {
    /// The stacked alternating offers protocol.
    Saop {
        /// Whether issues could be settled one at a time.
        #[serde(default)]
        partial_agreements: bool,
    },
    /// Single-text talks run by a mediator.
    Mediated {
        /// The mediator's strategy (`hill-climbing`, `veto`, `informed`).
        strategy: String,
        /// The mediating party, as the scenario names it; `None` for a neutral mediator.
        #[serde(default)]
        mediator: Option<String>,
        /// Whether issues could be settled one at a time.
        #[serde(default)]
        partial_agreements: bool,
    },
}

impl Default for ProtocolDoc {
    fn default() -> Self {
        ProtocolDoc::Saop {
            partial_agreements: false,
        }
    }
}

/// One action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionDoc {
    /// Round, from 0.
    pub round: u32,
    /// Normalised time of the turn, in [0, 1).
    pub time: f64,
    /// Who acted: a party's name, or [`detente_core::Actor::MEDIATOR_NAME`] for a neutral
    /// mediator's text.
    pub party: String,
    /// What it did (`offer`, `accept`, `end`, `propose`).
    #[serde(with = "ActionKindName")]
    pub action: ActionKind,
    /// The outcome offered or proposed (offers and proposals only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<OutcomeDoc>,
    /// Every party's undiscounted utility of the outcome offered, proposed or accepted, under
    /// the preferences as they stood then (absent for an end).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utilities: Option<PerParty>,
}

/// The JSON names of [`ActionKind`].
#[derive(Serialize, Deserialize)]
#[serde(remote = "ActionKind", rename_all = "lowercase")]
pub(crate) enum ActionKindName {
    Offer,
    Accept,
    End,
    Propose,
}

/// Something that changed the talks, as it happened: one effect of a timeline event, a
/// partial agreement, a hand-over of mediation, or a mediator's notice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDoc {
    /// Round, from 0: the round at whose start it fired (for a partial agreement, at whose
    /// end the issue was settled).
    pub round: u32,
    /// The event's name (`partial agreement` for a settled issue).
    pub name: String,
    /// What happened, in words.
    #[serde(default)]
    pub description: String,
    /// What caused it (absent in traces written before causes were recorded: readers infer
    /// it from the name where they can).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<CauseDoc>,
    /// The effect applied, for an effect of a timeline event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<EffectDoc>,
    /// Whether it changed the setting of the talks (`false`: nothing to do, e.g. the party
    /// had already left; a mediator's notice). Written only when `false`.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub changed: bool,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// What caused an event; `kind` in JSON names the variant. Parties, issues and values are
/// named as the scenario names them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CauseDoc {
    /// An effect of one of the scenario's timeline events.
    Timeline {
        /// The event's name.
        event: String,
        /// The event's position in the scenario's timeline, from 0 (names may repeat).
        index: usize,
        /// The effect's position among the event's effects, from 0.
        effect: usize,
    },
    /// A partial agreement settled an issue.
    PartialAgreement {
        /// The issue.
        issue: String,
        /// The value it is settled at.
        value: IssueValue,
    },
    /// The mediating party left and a neutral mediator took over.
    MediationHandover {
        /// The party that mediated until then.
        from: String,
    },
    /// A notice of the mediator's strategy (changes nothing).
    MediatorNotice,
    /// An obligation came to the end of its time.
    ObligationExpires {
        /// The obligation's issue.
        issue: String,
        /// The obligation's position among the scenario's obligations, from 0.
        index: usize,
    },
}

/// A timeline effect as applied; `kind` in JSON names the variant, with the fields of the
/// scenario format's effects (`docs/scenario-format.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum EffectDoc {
    /// A party leaves.
    Leave {
        /// The party.
        party: String,
        /// Whether the talks end with it.
        #[serde(default)]
        end_talks: bool,
    },
    /// A party's reservation value is set or shifted (exactly one of the two is given).
    Reservation {
        /// The party.
        party: String,
        /// The new value.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        set: Option<f64>,
        /// The amount added.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shift: Option<f64>,
    },
    /// A party's weight of an issue changes.
    Weight {
        /// The party.
        party: String,
        /// The issue.
        issue: String,
        /// The new weight.
        weight: f64,
    },
    /// The deadline moves.
    Deadline {
        /// The new deadline in rounds.
        rounds: u32,
    },
    /// A settlement lapses.
    Unsettle {
        /// The issue.
        issue: String,
    },
    /// The obligation on an issue ends (its settlement lapses if it was in force).
    Expire {
        /// The issue.
        issue: String,
    },
    /// An issue is settled at a value away from the table.
    Settle {
        /// The issue.
        issue: String,
        /// The value.
        value: IssueValue,
    },
    /// A value becomes available or unavailable.
    Availability {
        /// The issue.
        issue: String,
        /// The value.
        value: IssueValue,
        /// Whether it can be agreed from then on.
        available: bool,
    },
}

/// How the talks ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultDoc {
    /// How they ended.
    pub termination: TerminationKind,
    /// Who walked out or failed (for `ended` and `negotiator-fault`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_by: Option<String>,
    /// The fault, for `negotiator-fault` and `mediator-fault`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The agreed outcome (`null` without an agreement).
    #[serde(default)]
    pub agreement: Option<OutcomeDoc>,
    /// Rounds started.
    pub rounds: u32,
    /// Normalised time at the end (1 at the deadline).
    pub time: f64,
    /// Each party's final, discounted utility.
    pub utilities: PerParty,
    /// How accurate each opponent model was at the end (one entry per party that models
    /// another; absent when no negotiator models anybody, or the space was too large to
    /// measure).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opponent_models: Vec<OpponentModelDoc>,
}

/// The accuracy of one party's model of another at the end of the talks (Baarslag et al.
/// 2013; definitions in `docs/trace-format.md`), measured over every outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpponentModelDoc {
    /// The modelling party's name.
    pub party: String,
    /// The modelled party's name.
    pub opponent: String,
    /// Pearson correlation of the estimated and true utilities (`null` when either is
    /// constant).
    pub pearson: Option<f64>,
    /// Share of ordered pairs of outcomes the estimate orders differently from the truth.
    pub ranking_distance: f64,
    /// Difference of the areas under the true and the estimated Pareto frontiers.
    pub pareto_distance: f64,
}

/// How a negotiation ended, without the details [`Termination`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TerminationKind {
    /// Every party accepted.
    Agreement,
    /// The round deadline passed.
    Deadline,
    /// The wall-clock limit passed.
    TimeLimit,
    /// A party walked out (or its leaving ended the talks).
    Ended,
    /// A negotiator misbehaved (read from the older name `agent-error` too).
    #[serde(alias = "agent-error")]
    NegotiatorFault,
    /// The mediator's strategy misbehaved.
    MediatorFault,
}

impl TerminationKind {
    /// The kind of a termination.
    pub fn of(termination: &Termination) -> Self {
        match termination {
            Termination::Agreement => TerminationKind::Agreement,
            Termination::Deadline => TerminationKind::Deadline,
            Termination::TimeLimit => TerminationKind::TimeLimit,
            Termination::Ended { .. } => TerminationKind::Ended,
            Termination::NegotiatorFault { .. } => TerminationKind::NegotiatorFault,
            Termination::MediatorFault { .. } => TerminationKind::MediatorFault,
        }
    }

    /// The name written in JSON (`time-limit`, `negotiator-fault`...).
    pub fn as_str(self) -> &'static str {
        match self {
            TerminationKind::Agreement => "agreement",
            TerminationKind::Deadline => "deadline",
            TerminationKind::TimeLimit => "time-limit",
            TerminationKind::Ended => "ended",
            TerminationKind::NegotiatorFault => "negotiator-fault",
            TerminationKind::MediatorFault => "mediator-fault",
        }
    }
}

/// The value of an issue: a string for a discrete issue, a number for an integer or real one.
#[derive(Debug, Clone, PartialEq)]
pub enum IssueValue {
    /// A discrete issue's value.
    Text(String),
    /// A whole number (integer issues).
    Integer(i64),
    /// A number with a fraction (real issues).
    Real(f64),
}

impl fmt::Display for IssueValue {
    /// As detente shows outcomes: `red`, `3`, `0.5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IssueValue::Text(s) => f.write_str(s),
            IssueValue::Integer(i) => write!(f, "{i}"),
            IssueValue::Real(x) => write!(f, "{x}"),
        }
    }
}

impl Serialize for IssueValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            IssueValue::Text(v) => s.serialize_str(v),
            IssueValue::Integer(v) => s.serialize_i64(*v),
            IssueValue::Real(v) => s.serialize_f64(*v),
        }
    }
}

impl<'de> Deserialize<'de> for IssueValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(IssueValueVisitor)
    }
}

struct IssueValueVisitor;

impl Visitor<'_> for IssueValueVisitor {
    type Value = IssueValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<IssueValue, E> {
        Ok(IssueValue::Text(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<IssueValue, E> {
        Ok(IssueValue::Integer(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<IssueValue, E> {
        Ok(i64::try_from(v).map_or(IssueValue::Real(v as f64), IssueValue::Integer))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<IssueValue, E> {
        Ok(IssueValue::Real(v))
    }
}
