//! The data-transfer types serde reads a scenario file into: the file's shape, with the
//! spans that error messages point at, before any meaning is checked.
//!
//! Type and field names appear in serde's messages ("invalid type: ..., expected struct
//! IssueUtilityDto"), so renaming one changes what users read.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// The whole file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ScenarioDto {
    pub(super) format: Spanned<i64>,
    pub(super) name: Spanned<String>,
    #[serde(default)]
    pub(super) description: String,
    pub(super) protocol: Option<ProtocolDto>,
    pub(super) issues: Spanned<Vec<Spanned<IssueDto>>>,
    #[serde(default)]
    pub(super) constraints: Vec<Spanned<ConstraintDto>>,
    pub(super) parties: Spanned<Vec<Spanned<PartyDto>>>,
    #[serde(default)]
    pub(super) events: Vec<Spanned<EventDto>>,
    #[serde(default)]
    pub(super) obligations: Vec<Spanned<ObligationDto>>,
    pub(super) compliance: Option<Spanned<ComplianceDto>>,
}

/// `[[obligations]]`: an issue's values that bind parties once settled.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ObligationDto {
    pub(super) issue: Spanned<String>,
    pub(super) values: Spanned<Vec<toml::Value>>,
    pub(super) bound: Spanned<Vec<String>>,
    pub(super) expire_after: Option<Spanned<i64>>,
}

/// `[compliance]`: the monitor, fixed or negotiated.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ComplianceDto {
    pub(super) monitor: Option<Spanned<f64>>,
    pub(super) prior: Option<Spanned<f64>>,
    pub(super) verification: Option<Spanned<VerificationDto>>,
}

/// `[compliance.verification]`: the issue whose agreed value sets the monitor's accuracy.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct VerificationDto {
    pub(super) issue: Spanned<String>,
    pub(super) accuracy: Spanned<BTreeMap<String, Spanned<f64>>>,
}

/// `[parties.compliance]`: a party's compliance preferences.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProfileDto {
    pub(super) breach_gain: Option<Spanned<f64>>,
    pub(super) caught_cost: Option<Spanned<f64>>,
    pub(super) accuracy: Option<Spanned<f64>>,
    pub(super) bias: Option<Spanned<f64>>,
    pub(super) prior: Option<Spanned<f64>>,
    pub(super) strategy: Option<Spanned<String>>,
}

/// `[[constraints]]`: a combination of values no outcome may hold.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ConstraintDto {
    pub(super) name: Option<String>,
    pub(super) forbid: BTreeMap<String, toml::Value>,
}

/// `[[parties.interactions]]`: utility added when a combination of values holds.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct InteractionDto {
    pub(super) name: Option<String>,
    pub(super) when: BTreeMap<String, toml::Value>,
    pub(super) utility: f64,
}

/// `[[events]]`; the trigger and effects are checked by hand for clearer messages.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EventDto {
    pub(super) name: String,
    pub(super) trigger: Spanned<toml::Value>,
    pub(super) effects: Vec<Spanned<toml::Value>>,
}

/// `[protocol]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProtocolDto {
    pub(super) rounds: Option<Spanned<i64>>,
    pub(super) time_limit: Option<Spanned<f64>>,
    pub(super) kind: Option<Spanned<String>>,
    pub(super) strategy: Option<Spanned<String>>,
    pub(super) mediator: Option<Spanned<String>>,
    pub(super) partial_agreements: Option<bool>,
}

/// A number written as an integer or a float (issue bounds).
#[derive(Deserialize, Clone, Copy)]
#[serde(untagged)]
pub(super) enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    pub(super) fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

/// `[[issues]]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct IssueDto {
    pub(super) name: Spanned<String>,
    #[serde(rename = "type")]
    pub(super) kind: Option<Spanned<String>>,
    pub(super) values: Option<Spanned<Vec<String>>>,
    pub(super) min: Option<Spanned<Number>>,
    pub(super) max: Option<Spanned<Number>>,
    pub(super) steps: Option<Spanned<i64>>,
    pub(super) status_quo: Option<Spanned<toml::Value>>,
}

/// `[[parties]]`: the party and exactly one form of preferences.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PartyDto {
    pub(super) name: Spanned<String>,
    pub(super) reservation: Option<Spanned<f64>>,
    pub(super) discount: Option<Spanned<f64>>,
    pub(super) negotiator: Option<Spanned<toml::Value>>,
    pub(super) cap: Option<Spanned<f64>>,
    pub(super) issues: Option<Spanned<BTreeMap<String, Spanned<IssueUtilityDto>>>>,
    pub(super) table: Option<Spanned<TableDto>>,
    pub(super) rectangles: Option<Spanned<RectanglesDto>>,
    pub(super) interactions: Option<Vec<Spanned<InteractionDto>>>,
    pub(super) compliance: Option<Spanned<ProfileDto>>,
}

/// `[parties.issues.NAME]`: a weight and exactly one scoring form.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct IssueUtilityDto {
    pub(super) weight: Spanned<f64>,
    pub(super) values: Option<Spanned<BTreeMap<String, Spanned<f64>>>>,
    pub(super) linear: Option<Spanned<Vec<f64>>>,
    pub(super) slope: Option<Spanned<f64>>,
    pub(super) intercept: Option<f64>,
    pub(super) origin: Option<f64>,
    pub(super) clamp: Option<bool>,
    pub(super) triangular: Option<Spanned<TriangularDto>>,
    pub(super) constant: Option<Spanned<f64>>,
    pub(super) interpolate: Option<Spanned<InterpolateDto>>,
    pub(super) scores: Option<Spanned<Vec<f64>>>,
}

/// `triangular = { lower, top, upper }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TriangularDto {
    pub(super) lower: f64,
    pub(super) top: f64,
    pub(super) upper: f64,
}

/// `interpolate = { low_value, low_utility, high_value, high_utility }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct InterpolateDto {
    pub(super) low_value: f64,
    pub(super) low_utility: f64,
    pub(super) high_value: f64,
    pub(super) high_utility: f64,
}

/// `[parties.table]`: a utility per listed outcome, a default for the rest.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TableDto {
    #[serde(default)]
    pub(super) default: f64,
    pub(super) outcomes: Vec<Spanned<TableEntryDto>>,
}

/// One outcome of `[parties.table]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TableEntryDto {
    pub(super) at: BTreeMap<String, toml::Value>,
    pub(super) utility: f64,
}

/// `[parties.rectangles]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RectanglesDto {
    pub(super) scale: Option<f64>,
    pub(super) cap: Option<f64>,
    pub(super) list: Vec<Spanned<RectangleDto>>,
}

/// One hyper-rectangle: a utility and the `[lowest, highest]` bounds per issue.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RectangleDto {
    pub(super) utility: f64,
    pub(super) bounds: BTreeMap<String, Spanned<Vec<toml::Value>>>,
}
