//! detente's own scenario format: TOML, documented in `docs/scenario-format.md`.
//!
//! [`load_str`] reads a scenario and reports every problem with the file, line and column;
//! [`to_string`] writes a scenario back so that reading it gives the same utility for every
//! outcome (numbers are written in Rust's shortest round-trip form).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use detente_core::dynamics::StallingRule;
use detente_core::{
    Change, Combination, Constraint, Effect, Event, Interaction, InteractionUtility,
    MediatorStrategy, ProtocolKind, Trigger,
};
use detente_core::{
    Evaluator, Hyperrectangle, HyperrectangleUtility, Issue, IssueKind, LinearAdditive,
    NegotiatorSpec, Outcome, OutcomeSpace, Party, Preferences, ProtocolSettings, Scenario,
    TableUtility, Utility,
};
use serde::Deserialize;
use toml::Spanned;

use crate::{FormatError, Loaded, Result, SourceFormat, line_column};

/// The format version this build writes and reads.
pub const FORMAT_VERSION: i64 = 1;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioDto {
    format: Spanned<i64>,
    name: Spanned<String>,
    #[serde(default)]
    description: String,
    protocol: Option<ProtocolDto>,
    issues: Spanned<Vec<Spanned<IssueDto>>>,
    #[serde(default)]
    constraints: Vec<Spanned<ConstraintDto>>,
    parties: Spanned<Vec<Spanned<PartyDto>>>,
    #[serde(default)]
    events: Vec<Spanned<EventDto>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConstraintDto {
    name: Option<String>,
    forbid: BTreeMap<String, toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InteractionDto {
    name: Option<String>,
    when: BTreeMap<String, toml::Value>,
    utility: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventDto {
    name: String,
    trigger: Spanned<toml::Value>,
    effects: Vec<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProtocolDto {
    rounds: Option<Spanned<i64>>,
    time_limit: Option<Spanned<f64>>,
    kind: Option<Spanned<String>>,
    strategy: Option<Spanned<String>>,
    mediator: Option<Spanned<String>>,
    partial_agreements: Option<bool>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(untagged)]
enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssueDto {
    name: Spanned<String>,
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    values: Option<Spanned<Vec<String>>>,
    min: Option<Spanned<Number>>,
    max: Option<Spanned<Number>>,
    steps: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartyDto {
    name: Spanned<String>,
    reservation: Option<Spanned<f64>>,
    discount: Option<Spanned<f64>>,
    negotiator: Option<Spanned<toml::Value>>,
    cap: Option<Spanned<f64>>,
    issues: Option<Spanned<BTreeMap<String, Spanned<IssueUtilityDto>>>>,
    table: Option<Spanned<TableDto>>,
    rectangles: Option<Spanned<RectanglesDto>>,
    interactions: Option<Vec<Spanned<InteractionDto>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssueUtilityDto {
    weight: Spanned<f64>,
    values: Option<Spanned<BTreeMap<String, Spanned<f64>>>>,
    linear: Option<Spanned<Vec<f64>>>,
    slope: Option<Spanned<f64>>,
    intercept: Option<f64>,
    origin: Option<f64>,
    clamp: Option<bool>,
    triangular: Option<Spanned<TriangularDto>>,
    constant: Option<Spanned<f64>>,
    interpolate: Option<Spanned<InterpolateDto>>,
    scores: Option<Spanned<Vec<f64>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TriangularDto {
    lower: f64,
    top: f64,
    upper: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InterpolateDto {
    low_value: f64,
    low_utility: f64,
    high_value: f64,
    high_utility: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableDto {
    #[serde(default)]
    default: f64,
    outcomes: Vec<Spanned<TableEntryDto>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableEntryDto {
    at: BTreeMap<String, toml::Value>,
    utility: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RectanglesDto {
    scale: Option<f64>,
    cap: Option<f64>,
    list: Vec<Spanned<RectangleDto>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RectangleDto {
    utility: f64,
    bounds: BTreeMap<String, Spanned<Vec<toml::Value>>>,
}

/// Reads a scenario file.
pub fn load(path: &Path) -> Result<Loaded> {
    let text = std::fs::read_to_string(path).map_err(|source| FormatError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    load_str(&text, path)
}

/// Parses scenario text; `origin` names it in error messages.
pub fn load_str(text: &str, origin: &Path) -> Result<Loaded> {
    let ctx = Ctx { text, path: origin };
    let dto: ScenarioDto = toml::from_str(text).map_err(|e| {
        // A file of another format version fails for that reason first, whatever else differs.
        #[derive(Deserialize)]
        struct Version {
            format: Option<Spanned<toml::Value>>,
        }
        if let Ok(Version { format: Some(v) }) = toml::from_str::<Version>(text)
            && v.get_ref().as_integer() != Some(FORMAT_VERSION)
        {
            return ctx.at(
                v.span().start,
                format!(
                    "unsupported format version {}; this build reads version {FORMAT_VERSION}",
                    v.get_ref()
                ),
            );
        }
        let offset = e.span().map_or(0, |s| s.start);
        ctx.at(offset, e.message().trim_end().to_string())
    })?;
    let scenario = ctx.scenario(dto)?;
    Ok(Loaded {
        scenario,
        diagnostics: Vec::new(),
        format: SourceFormat::Toml,
    })
}

struct Ctx<'a> {
    text: &'a str,
    path: &'a Path,
}

impl Ctx<'_> {
    fn at(&self, offset: usize, message: impl Into<String>) -> FormatError {
        let (line, column) = line_column(self.text, offset);
        FormatError::At {
            path: self.path.to_path_buf(),
            line,
            column,
            message: message.into(),
        }
    }

    fn scenario(&self, dto: ScenarioDto) -> Result<Scenario> {
        if *dto.format.get_ref() != FORMAT_VERSION {
            return Err(self.at(
                dto.format.span().start,
                format!(
                    "unsupported format version {}; this build reads version {FORMAT_VERSION}",
                    dto.format.get_ref()
                ),
            ));
        }
        if dto.name.get_ref().trim().is_empty() {
            return Err(self.at(dto.name.span().start, "the scenario name is empty"));
        }
        let mut protocol = ProtocolSettings::default();
        let mut mediation = None;
        if let Some(p) = dto.protocol {
            protocol.partial_agreements = p.partial_agreements.unwrap_or(false);
            mediation = Some((p.kind, p.strategy, p.mediator));
            if let Some(r) = p.rounds {
                let v = *r.get_ref();
                if !(1..=i64::from(u32::MAX)).contains(&v) {
                    return Err(self.at(
                        r.span().start,
                        format!("`rounds` must be between 1 and {}, not {v}", u32::MAX),
                    ));
                }
                protocol.deadline = v as u32;
            }
            if let Some(t) = p.time_limit {
                let v = *t.get_ref();
                if !(v.is_finite() && v > 0.0 && v < 1e9) {
                    return Err(self.at(
                        t.span().start,
                        format!("`time_limit` must be a positive number of seconds, not {v}"),
                    ));
                }
                protocol.time_limit = Some(Duration::from_secs_f64(v));
            }
        }
        let issues_span = dto.issues.span();
        let mut issues = Vec::new();
        for issue in dto.issues.into_inner() {
            let span = issue.span();
            let issue = self.issue(issue.into_inner(), span.start)?;
            if issues.iter().any(|i: &Issue| i.name == issue.name) {
                return Err(self.at(
                    span.start,
                    format!("issue `{}` is defined twice", issue.name),
                ));
            }
            issues.push(issue);
        }
        if issues.is_empty() {
            return Err(self.at(issues_span.start, "a scenario needs at least one issue"));
        }
        let space =
            OutcomeSpace::new(issues).map_err(|e| self.at(issues_span.start, e.to_string()))?;
        let mut constraints = Vec::new();
        let mut constraints_at = issues_span.start;
        for (k, c) in dto.constraints.into_iter().enumerate() {
            let at = c.span().start;
            constraints_at = at;
            let c = c.into_inner();
            let name = c.name.unwrap_or_else(|| format!("constraint {}", k + 1));
            let combination =
                self.combination(&space, &format!("constraint `{name}`"), &c.forbid, at)?;
            constraints.push(Constraint { name, combination });
        }
        let space = if constraints.is_empty() {
            space
        } else {
            space
                .with_constraints(constraints)
                .map_err(|e| self.at(constraints_at, e.to_string()))?
        };
        let parties_span = dto.parties.span();
        let mut parties: Vec<Party> = Vec::new();
        for party in dto.parties.into_inner() {
            let span = party.span();
            let party = self.party(&space, party.into_inner(), span.start)?;
            if parties.iter().any(|p| p.name == party.name) {
                return Err(self.at(
                    span.start,
                    format!("party `{}` is defined twice", party.name),
                ));
            }
            parties.push(party);
        }
        if let Some((kind, strategy, mediator)) = mediation {
            protocol.kind = self.protocol_kind(&parties, kind, strategy, mediator)?;
        }
        let mut events = Vec::new();
        for e in dto.events {
            let at = e.span().start;
            events.push(self.event(&space, &parties, e.into_inner(), at)?);
        }
        let scenario = Scenario {
            name: dto.name.into_inner(),
            description: dto.description,
            space,
            parties,
            protocol,
            events,
        };
        scenario
            .validate()
            .map_err(|e| self.at(parties_span.start, e.to_string()))?;
        Ok(scenario)
    }

    fn issue(&self, dto: IssueDto, start: usize) -> Result<Issue> {
        let name = dto.name.get_ref().clone();
        if name.trim().is_empty() {
            return Err(self.at(dto.name.span().start, "an issue has an empty name"));
        }
        let kind = match &dto.kind {
            Some(k) => k.get_ref().as_str(),
            None if dto.values.is_some() => "discrete",
            None => {
                return Err(self.at(
                    start,
                    format!("issue `{name}` needs `values` (discrete) or a `type`"),
                ));
            }
        };
        let kind_at = dto.kind.as_ref().map_or(start, |k| k.span().start);
        let forbid = |present: bool, key: &str, kind: &str| -> Result<()> {
            if present {
                Err(self.at(
                    start,
                    format!("issue `{name}`: `{key}` does not apply to a {kind} issue"),
                ))
            } else {
                Ok(())
            }
        };
        let need = |v: &Option<Spanned<Number>>, key: &str| -> Result<Spanned<Number>> {
            v.clone()
                .ok_or_else(|| self.at(start, format!("issue `{name}` needs `{key}`")))
        };
        match kind {
            "discrete" => {
                forbid(dto.min.is_some() || dto.max.is_some(), "min/max", "discrete")?;
                forbid(dto.steps.is_some(), "steps", "discrete")?;
                let values = dto
                    .values
                    .ok_or_else(|| self.at(start, format!("discrete issue `{name}` needs `values`")))?;
                let vspan = values.span().start;
                let values = values.into_inner();
                if values.is_empty() {
                    return Err(self.at(vspan, format!("issue `{name}` has no values")));
                }
                if values.iter().any(|v| v.trim().is_empty()) {
                    return Err(self.at(vspan, format!("issue `{name}` has a blank value name")));
                }
                for (j, v) in values.iter().enumerate() {
                    if values[..j].contains(v) {
                        return Err(self.at(vspan, format!("issue `{name}` lists the value `{v}` twice")));
                    }
                }
                Ok(Issue::discrete(name, values))
            }
            "integer" => {
                forbid(dto.values.is_some(), "values", "integer")?;
                forbid(dto.steps.is_some(), "steps", "integer")?;
                let (min, max) = (need(&dto.min, "min")?, need(&dto.max, "max")?);
                let as_int = |n: &Spanned<Number>, key: &str| match *n.get_ref() {
                    Number::Int(i) => Ok(i),
                    Number::Float(_) => Err(self.at(n.span().start, format!("issue `{name}`: `{key}` must be an integer"))),
                };
                let (lo, hi) = (as_int(&min, "min")?, as_int(&max, "max")?);
                if lo > hi {
                    return Err(self.at(min.span().start, format!("issue `{name}`: min {lo} is above max {hi}")));
                }
                if (hi as i128 - lo as i128) >= i128::from(u32::MAX) {
                    return Err(self.at(min.span().start, format!("issue `{name}` spans more than 2^32 values")));
                }
                Ok(Issue::integer(name, lo, hi))
            }
            "real" => {
                forbid(dto.values.is_some(), "values", "real")?;
                let (min, max) = (need(&dto.min, "min")?, need(&dto.max, "max")?);
                let (lo, hi) = (min.get_ref().as_f64(), max.get_ref().as_f64());
                if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
                    return Err(self.at(min.span().start, format!("issue `{name}`: the range [{lo}, {hi}] is invalid")));
                }
                let steps = dto.steps.ok_or_else(|| {
                    self.at(start, format!("real issue `{name}` needs `steps`, the number of points it is discretised into"))
                })?;
                let s = *steps.get_ref();
                let min_steps = if lo == hi { 1 } else { 2 };
                if s < min_steps || s > i64::from(u32::MAX) {
                    return Err(self.at(steps.span().start, format!("issue `{name}`: `steps` must be at least {min_steps}, not {s}")));
                }
                Ok(Issue::real(name, lo, hi, s as u32))
            }
            other => Err(self.at(
                kind_at,
                format!("issue `{name}` has unknown type `{other}`; expected `discrete`, `integer` or `real`"),
            )),
        }
    }

    fn party(&self, space: &OutcomeSpace, dto: PartyDto, start: usize) -> Result<Party> {
        let name = dto.name.get_ref().clone();
        if name.trim().is_empty() {
            return Err(self.at(dto.name.span().start, "a party has an empty name"));
        }
        let reservation = match &dto.reservation {
            Some(r) if !r.get_ref().is_finite() => {
                return Err(self.at(
                    r.span().start,
                    format!("party `{name}`: the reservation value must be a finite number"),
                ));
            }
            Some(r) => *r.get_ref(),
            None => 0.0,
        };
        let discount = match &dto.discount {
            Some(d) if !(*d.get_ref() > 0.0 && *d.get_ref() <= 1.0) => {
                return Err(self.at(
                    d.span().start,
                    format!(
                        "party `{name}`: the discount factor must be in (0, 1], not {}",
                        d.get_ref()
                    ),
                ));
            }
            Some(d) => *d.get_ref(),
            None => 1.0,
        };
        let cap = match &dto.cap {
            Some(c) if !c.get_ref().is_finite() => {
                return Err(self.at(
                    c.span().start,
                    format!("party `{name}`: `cap` must be a finite number"),
                ));
            }
            Some(c) => Some(*c.get_ref()),
            None => None,
        };
        let negotiator = dto
            .negotiator
            .map(|n| self.negotiator(&name, n))
            .transpose()?;
        let forms = usize::from(dto.issues.is_some())
            + usize::from(dto.table.is_some())
            + usize::from(dto.rectangles.is_some());
        if forms == 0 {
            return Err(self.at(
                start,
                format!("party `{name}` has no preferences: give `[parties.issues]`, `[parties.table]` or `[parties.rectangles]`"),
            ));
        }
        if forms > 1 {
            return Err(self.at(
                start,
                format!("party `{name}` gives more than one kind of preferences; give exactly one"),
            ));
        }
        if dto.interactions.is_some() && dto.issues.is_none() {
            return Err(self.at(start, format!("party `{name}`: `interactions` add to `[parties.issues]` preferences, which it lacks")));
        }
        let utility = if let Some(issues) = dto.issues {
            let base = self.linear(space, &name, issues, cap)?;
            match dto.interactions {
                None => Utility::LinearAdditive(base),
                Some(list) => {
                    let mut terms = Vec::new();
                    for (k, t) in list.into_iter().enumerate() {
                        let at = t.span().start;
                        let t = t.into_inner();
                        let tname = t.name.unwrap_or_else(|| format!("interaction {}", k + 1));
                        if !t.utility.is_finite() {
                            return Err(self.at(at, format!("party `{name}`, interaction `{tname}`: the utility must be finite")));
                        }
                        let when = self.combination(
                            space,
                            &format!("party `{name}`, interaction `{tname}`"),
                            &t.when,
                            at,
                        )?;
                        terms.push(Interaction {
                            name: tname,
                            when,
                            utility: t.utility,
                        });
                    }
                    Utility::Interacting(
                        InteractionUtility::new(space, base, terms)
                            .map_err(|e| self.at(start, format!("party `{name}`: {e}")))?,
                    )
                }
            }
        } else if let Some(table) = dto.table {
            if cap.is_some() {
                return Err(self.at(
                    start,
                    format!("party `{name}`: `cap` applies only to `[parties.issues]` preferences"),
                ));
            }
            Utility::Table(self.table(space, &name, table)?)
        } else if let Some(rects) = dto.rectangles {
            if cap.is_some() {
                return Err(self.at(
                    start,
                    format!("party `{name}`: give `cap` inside `[parties.rectangles]`"),
                ));
            }
            Utility::Hyperrectangles(self.rectangles(space, &name, rects)?)
        } else {
            unreachable!("forms == 1")
        };
        Ok(Party {
            name,
            preferences: Preferences {
                utility,
                reservation,
                discount,
            },
            negotiator,
        })
    }

    fn negotiator(&self, party: &str, value: Spanned<toml::Value>) -> Result<NegotiatorSpec> {
        let at = value.span().start;
        match value.into_inner() {
            toml::Value::String(kind) if !kind.is_empty() => Ok(NegotiatorSpec::new(kind)),
            toml::Value::Table(t) => {
                let mut spec = NegotiatorSpec::default();
                for (k, v) in t {
                    match (k.as_str(), v) {
                        ("kind", toml::Value::String(s)) => spec.kind = s,
                        (_, toml::Value::Integer(i)) if k != "kind" => {
                            spec.params.insert(k, i as f64);
                        }
                        (_, toml::Value::Float(f)) if k != "kind" => {
                            spec.params.insert(k, f);
                        }
                        (k, v) => {
                            return Err(self.at(
                                at,
                                format!("party `{party}`: negotiator parameter `{k}` must be a number (kind: a string), not {}", v.type_str()),
                            ));
                        }
                    }
                }
                if spec.kind.is_empty() {
                    return Err(self.at(at, format!("party `{party}`: the negotiator table needs a `kind`")));
                }
                Ok(spec)
            }
            other => Err(self.at(
                at,
                format!("party `{party}`: `negotiator` must be a kind name or a table with `kind`, not {}", other.type_str()),
            )),
        }
    }

    fn linear(
        &self,
        space: &OutcomeSpace,
        party: &str,
        issues: Spanned<BTreeMap<String, Spanned<IssueUtilityDto>>>,
        cap: Option<f64>,
    ) -> Result<LinearAdditive> {
        let table_at = issues.span().start;
        let mut by_name = issues.into_inner();
        let mut weights = Vec::new();
        let mut evaluators = Vec::new();
        for issue in space.issues() {
            let Some(entry) = by_name.remove(&issue.name) else {
                return Err(self.at(
                    table_at,
                    format!("party `{party}` does not score issue `{}` (every issue needs a weight, 0 is allowed)", issue.name),
                ));
            };
            let at = entry.span().start;
            let entry = entry.into_inner();
            let w = *entry.weight.get_ref();
            if !w.is_finite() {
                return Err(self.at(
                    entry.weight.span().start,
                    format!(
                        "party `{party}`, issue `{}`: the weight must be a finite number",
                        issue.name
                    ),
                ));
            }
            weights.push(w);
            evaluators.push(self.evaluator(party, issue, entry, at)?);
        }
        if let Some((extra, entry)) = by_name.into_iter().next() {
            return Err(self.at(
                entry.span().start,
                format!("party `{party}` scores `{extra}`, which is not an issue of the scenario"),
            ));
        }
        LinearAdditive::new(space, weights, evaluators, cap)
            .map_err(|e| self.at(table_at, format!("party `{party}`: {e}")))
    }

    fn evaluator(
        &self,
        party: &str,
        issue: &Issue,
        e: IssueUtilityDto,
        at: usize,
    ) -> Result<Evaluator> {
        let name = &issue.name;
        let general =
            e.slope.is_some() || e.intercept.is_some() || e.origin.is_some() || e.clamp.is_some();
        let forms = [
            e.values.is_some(),
            e.linear.is_some(),
            general,
            e.triangular.is_some(),
            e.constant.is_some(),
            e.interpolate.is_some(),
            e.scores.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if forms != 1 {
            return Err(self.at(
                at,
                format!(
                    "party `{party}`, issue `{name}`: give exactly one of `values`, `linear`, `slope`/`intercept`, `triangular`, `constant`, `interpolate` or `scores` (found {forms})"
                ),
            ));
        }
        let numeric = !matches!(issue.kind, IssueKind::Discrete { .. });
        let need_numeric = |key: &str| -> Result<()> {
            if numeric {
                Ok(())
            } else {
                Err(self.at(at, format!("party `{party}`, issue `{name}` is discrete: score each value with `values`, not `{key}`")))
            }
        };
        let finite = |x: f64, what: &str| -> Result<f64> {
            if x.is_finite() {
                Ok(x)
            } else {
                Err(self.at(
                    at,
                    format!("party `{party}`, issue `{name}`: {what} must be a finite number"),
                ))
            }
        };
        if let Some(values) = e.values {
            let IssueKind::Discrete { values: names } = &issue.kind else {
                return Err(self.at(
                    values.span().start,
                    format!("party `{party}`, issue `{name}` is numeric: use `linear`, `scores` or another function, not `values`"),
                ));
            };
            let vat = values.span().start;
            let mut map = values.into_inner();
            if let Some((extra, s)) = map.iter().find(|(k, _)| !names.contains(k)) {
                return Err(self.at(
                    s.span().start,
                    format!("party `{party}`, issue `{name}` has no value `{extra}`"),
                ));
            }
            let mut scores = Vec::with_capacity(names.len());
            for v in names {
                let Some(s) = map.remove(v) else {
                    return Err(self.at(
                        vat,
                        format!("party `{party}`, issue `{name}`: value `{v}` has no score"),
                    ));
                };
                scores.push(finite(*s.get_ref(), &format!("the score of `{v}`"))?);
            }
            return Ok(Evaluator::Table(scores));
        }
        if let Some(scores) = e.scores {
            let n = issue.cardinality();
            if scores.get_ref().len() as u64 != n {
                return Err(self.at(
                    scores.span().start,
                    format!(
                        "party `{party}`, issue `{name}`: `scores` has {} entries for {n} values",
                        scores.get_ref().len()
                    ),
                ));
            }
            for &s in scores.get_ref() {
                finite(s, "every score")?;
            }
            return Ok(Evaluator::Table(scores.into_inner()));
        }
        if let Some(lin) = e.linear {
            need_numeric("linear")?;
            let [a, b] = lin.get_ref()[..] else {
                return Err(self.at(lin.span().start, format!("party `{party}`, issue `{name}`: `linear` takes two numbers, [score at min, score at max]")));
            };
            let (a, b) = (finite(a, "`linear`")?, finite(b, "`linear`")?);
            let (lo, hi) = numeric_range(issue);
            let slope = if hi > lo { (b - a) / (hi - lo) } else { 0.0 };
            return Ok(Evaluator::Linear {
                slope,
                intercept: a,
                origin: lo,
                clamp: false,
            });
        }
        if general {
            need_numeric("slope")?;
            let slope = e.slope.map(|s| *s.get_ref()).unwrap_or(0.0);
            return Ok(Evaluator::Linear {
                slope: finite(slope, "`slope`")?,
                intercept: finite(e.intercept.unwrap_or(0.0), "`intercept`")?,
                origin: finite(e.origin.unwrap_or(0.0), "`origin`")?,
                clamp: e.clamp.unwrap_or(false),
            });
        }
        if let Some(t) = e.triangular {
            need_numeric("triangular")?;
            let t = t.into_inner();
            let (lower, top, upper) = (
                finite(t.lower, "`lower`")?,
                finite(t.top, "`top`")?,
                finite(t.upper, "`upper`")?,
            );
            if !(lower <= top && top <= upper) {
                return Err(self.at(
                    at,
                    format!(
                        "party `{party}`, issue `{name}`: `triangular` needs lower <= top <= upper"
                    ),
                ));
            }
            return Ok(Evaluator::Triangular { lower, upper, top });
        }
        if let Some(c) = e.constant {
            return Ok(Evaluator::Constant(finite(*c.get_ref(), "`constant`")?)).and_then(|ev| {
                need_numeric("constant")?;
                Ok(ev)
            });
        }
        if let Some(i) = e.interpolate {
            need_numeric("interpolate")?;
            let i = i.into_inner();
            for x in [i.low_value, i.low_utility, i.high_value, i.high_utility] {
                finite(x, "every `interpolate` number")?;
            }
            if i.low_value > i.high_value {
                return Err(self.at(at, format!("party `{party}`, issue `{name}`: `interpolate` needs low_value <= high_value")));
            }
            return Ok(Evaluator::Interpolate {
                low_value: i.low_value,
                low_utility: i.low_utility,
                high_value: i.high_value,
                high_utility: i.high_utility,
            });
        }
        unreachable!("exactly one form is present")
    }

    fn value_index(
        &self,
        space: &OutcomeSpace,
        who: &str,
        issue: &str,
        v: &toml::Value,
        at: usize,
    ) -> Result<(usize, u32)> {
        let i = space.issue_index(issue).ok_or_else(|| {
            self.at(
                at,
                format!("{who} names `{issue}`, which is not an issue of the scenario"),
            )
        })?;
        let def = &space.issues()[i];
        let idx = match (&def.kind, v) {
            (IssueKind::Discrete { .. }, toml::Value::String(s)) => def.index_of_name(s),
            (IssueKind::Integer { .. }, toml::Value::Integer(x)) => def.parse_value(&x.to_string()),
            (IssueKind::Real { .. }, toml::Value::Integer(x)) => def.nearest_index(*x as f64, true),
            (IssueKind::Real { .. }, toml::Value::Float(x)) => def.nearest_index(*x, true),
            _ => None,
        };
        idx.map(|x| (i, x))
            .ok_or_else(|| self.at(at, format!("{who}: {v} is not a value of issue `{issue}`")))
    }

    /// `{ issue = value or [values] }` into a combination.
    fn combination(
        &self,
        space: &OutcomeSpace,
        what: &str,
        map: &BTreeMap<String, toml::Value>,
        at: usize,
    ) -> Result<Combination> {
        if map.is_empty() {
            return Err(self.at(at, format!("{what} names no issue")));
        }
        let mut parts = Vec::new();
        for (issue, v) in map {
            let values: Vec<&toml::Value> = match v {
                toml::Value::Array(a) => a.iter().collect(),
                one => vec![one],
            };
            if values.is_empty() {
                return Err(self.at(at, format!("{what} lists no value of `{issue}`")));
            }
            let mut idx = Vec::new();
            let mut issue_index = 0;
            for v in values {
                let (i, x) = self.value_index(space, what, issue, v, at)?;
                issue_index = i;
                idx.push(x);
            }
            parts.push((issue_index, idx));
        }
        Combination { parts }
            .validated(space.issues(), what)
            .map_err(|e| self.at(at, e.to_string()))
    }

    fn party_named(&self, parties: &[Party], name: &str, what: &str, at: usize) -> Result<usize> {
        parties.iter().position(|p| p.name == name).ok_or_else(|| {
            let names: Vec<&str> = parties.iter().map(|p| p.name.as_str()).collect();
            self.at(
                at,
                format!(
                    "{what} names party `{name}`, which is not in the scenario (parties: {})",
                    names.join(", ")
                ),
            )
        })
    }

    fn protocol_kind(
        &self,
        parties: &[Party],
        kind: Option<Spanned<String>>,
        strategy: Option<Spanned<String>>,
        mediator: Option<Spanned<String>>,
    ) -> Result<ProtocolKind> {
        let k = kind.as_ref().map_or("saop", |k| k.get_ref().as_str());
        match k {
            "saop" => {
                if let Some(x) = strategy.as_ref().or(mediator.as_ref()) {
                    return Err(self.at(
                        x.span().start,
                        "`strategy` and `mediator` apply only to `kind = \"mediated\"`",
                    ));
                }
                Ok(ProtocolKind::Saop)
            }
            "mediated" => {
                let strategy = match strategy
                    .as_ref()
                    .map(|s| (s.get_ref().as_str(), s.span().start))
                {
                    None | Some(("hill-climbing", _)) => MediatorStrategy::HillClimbing,
                    Some(("veto", _)) => MediatorStrategy::Veto,
                    Some(("informed", _)) => MediatorStrategy::Informed,
                    Some((other, at)) => {
                        return Err(self.at(at, format!("unknown mediator strategy `{other}`; expected `hill-climbing`, `veto` or `informed`")));
                    }
                };
                let mediator = match &mediator {
                    None => None,
                    Some(m) => Some(self.party_named(
                        parties,
                        m.get_ref(),
                        "the protocol's `mediator`",
                        m.span().start,
                    )?),
                };
                Ok(ProtocolKind::Mediated { strategy, mediator })
            }
            other => Err(self.at(
                kind.as_ref().map_or(0, |k| k.span().start),
                format!("unknown protocol kind `{other}`; expected `saop` or `mediated`"),
            )),
        }
    }

    fn event(
        &self,
        space: &OutcomeSpace,
        parties: &[Party],
        e: EventDto,
        at: usize,
    ) -> Result<Event> {
        let what = format!("event `{}`", e.name);
        if e.name.trim().is_empty() {
            return Err(self.at(at, "an event has an empty name"));
        }
        let t_at = e.trigger.span().start;
        let toml::Value::Table(t) = e.trigger.get_ref() else {
            return Err(self.at(
                t_at,
                format!("{what}: `trigger` must be a table such as {{ round = 10 }}"),
            ));
        };
        let round_of = |v: &toml::Value, key: &str| -> Result<u32> {
            match v.as_integer() {
                Some(r) if (1..=i64::from(u32::MAX)).contains(&r) => Ok(r as u32),
                _ => Err(self.at(
                    t_at,
                    format!("{what}: `{key}` must be a round number from 1"),
                )),
            }
        };
        let keys: Vec<&str> = t.keys().map(String::as_str).collect();
        let trigger = match keys.as_slice() {
            ["round"] => Trigger::Round(round_of(&t["round"], "round")? - 1),
            ["no_agreement_by"] => {
                Trigger::NoAgreementBy(round_of(&t["no_agreement_by"], "no_agreement_by")?)
            }
            ["left"] => {
                let name = t["left"]
                    .as_str()
                    .ok_or_else(|| self.at(t_at, format!("{what}: `left` must be a party name")))?;
                Trigger::Left(self.party_named(parties, name, &what, t_at)?)
            }
            k if k.contains(&"stalling") => {
                for key in k {
                    if !["stalling", "window", "min_improvement"].contains(key) {
                        return Err(self.at(
                            t_at,
                            format!("{what}: unknown key `{key}` in a stalling trigger"),
                        ));
                    }
                }
                let name = t["stalling"].as_str().ok_or_else(|| {
                    self.at(t_at, format!("{what}: `stalling` must be a party name"))
                })?;
                let party = self.party_named(parties, name, &what, t_at)?;
                let window = match t.get("window").map(|w| w.as_integer()) {
                    None => 5,
                    Some(Some(w)) if (1..=i64::from(u32::MAX)).contains(&w) => w as u32,
                    _ => {
                        return Err(self.at(
                            t_at,
                            format!("{what}: `window` must be a number of rounds from 1"),
                        ));
                    }
                };
                let min_improvement = match t.get("min_improvement") {
                    None => 0.01,
                    Some(v) => v
                        .as_float()
                        .or_else(|| v.as_integer().map(|i| i as f64))
                        .filter(|x| x.is_finite())
                        .ok_or_else(|| {
                            self.at(t_at, format!("{what}: `min_improvement` must be a number"))
                        })?,
                };
                Trigger::Stalling {
                    party,
                    rule: StallingRule {
                        window,
                        min_improvement,
                    },
                }
            }
            _ => {
                return Err(self.at(
                    t_at,
                    format!("{what}: the trigger must be one of {{ round = R }}, {{ no_agreement_by = R }}, {{ stalling = \"PARTY\", window = K, min_improvement = X }}, {{ left = \"PARTY\" }}"),
                ));
            }
        };
        let mut effects = Vec::new();
        for eff in &e.effects {
            let e_at = eff.span().start;
            let toml::Value::Table(t) = eff.get_ref() else {
                return Err(self.at(
                    e_at,
                    format!("{what}: each effect must be a table such as {{ leave = \"PARTY\" }}"),
                ));
            };
            let party = |key: &str| -> Result<usize> {
                let name = t[key].as_str().ok_or_else(|| {
                    self.at(e_at, format!("{what}: `{key}` must be a party name"))
                })?;
                self.party_named(parties, name, &what, e_at)
            };
            let num = |key: &str| -> Result<f64> {
                t.get(key)
                    .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| self.at(e_at, format!("{what}: `{key}` must be a number")))
            };
            let only = |allowed: &[&str]| -> Result<()> {
                match t.keys().find(|k| !allowed.contains(&k.as_str())) {
                    Some(k) => {
                        Err(self.at(e_at, format!("{what}: unknown key `{k}` in this effect")))
                    }
                    None => Ok(()),
                }
            };
            let effect = if t.contains_key("leave") {
                only(&["leave", "end_talks"])?;
                let end_talks = match t.get("end_talks") {
                    None => false,
                    Some(v) => v.as_bool().ok_or_else(|| {
                        self.at(e_at, format!("{what}: `end_talks` must be true or false"))
                    })?,
                };
                Effect::Leave {
                    party: party("leave")?,
                    end_talks,
                }
            } else if t.contains_key("reservation") {
                only(&["reservation", "set", "shift"])?;
                let change = match (t.contains_key("set"), t.contains_key("shift")) {
                    (true, false) => Change::Set(num("set")?),
                    (false, true) => Change::Shift(num("shift")?),
                    _ => return Err(self.at(
                        e_at,
                        format!(
                            "{what}: a reservation effect needs exactly one of `set` and `shift`"
                        ),
                    )),
                };
                Effect::Reservation {
                    party: party("reservation")?,
                    change,
                }
            } else if t.contains_key("weight") {
                only(&["weight", "issue", "value"])?;
                let issue_name = t.get("issue").and_then(|v| v.as_str()).ok_or_else(|| {
                    self.at(e_at, format!("{what}: a weight effect needs `issue`"))
                })?;
                let issue = space.issue_index(issue_name).ok_or_else(|| {
                    self.at(
                        e_at,
                        format!("{what} names issue `{issue_name}`, which is not in the scenario"),
                    )
                })?;
                Effect::Weight {
                    party: party("weight")?,
                    issue,
                    weight: num("value")?,
                }
            } else if t.contains_key("deadline") {
                only(&["deadline"])?;
                let rounds = match t["deadline"].as_integer() {
                    Some(r) if (1..=i64::from(u32::MAX)).contains(&r) => r as u32,
                    _ => {
                        return Err(self.at(
                            e_at,
                            format!("{what}: `deadline` must be a number of rounds from 1"),
                        ));
                    }
                };
                Effect::Deadline { rounds }
            } else if t.contains_key("unavailable") || t.contains_key("available") {
                let (key, available) = if t.contains_key("available") {
                    ("available", true)
                } else {
                    ("unavailable", false)
                };
                only(&[key])?;
                let Some(map) = t[key].as_table() else {
                    return Err(self.at(
                        e_at,
                        format!("{what}: `{key}` must be a table such as {{ issue = \"value\" }}"),
                    ));
                };
                let map: BTreeMap<String, toml::Value> =
                    map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                let combination = self.combination(space, &what, &map, e_at)?;
                for (issue, values) in combination.parts {
                    for value in values {
                        effects.push(Effect::Availability {
                            issue,
                            value,
                            available,
                        });
                    }
                }
                continue;
            } else {
                return Err(self.at(
                    e_at,
                    format!("{what}: unknown effect; expected `leave`, `reservation`, `weight`, `deadline`, `unavailable` or `available`"),
                ));
            };
            effects.push(effect);
        }
        if effects.is_empty() {
            return Err(self.at(at, format!("{what} has no effects")));
        }
        Ok(Event {
            name: e.name,
            trigger,
            effects,
        })
    }

    fn table(
        &self,
        space: &OutcomeSpace,
        party: &str,
        table: Spanned<TableDto>,
    ) -> Result<TableUtility> {
        let table = table.into_inner();
        if !table.default.is_finite() {
            return Err(self.at(
                0,
                format!("party `{party}`: the table's default must be finite"),
            ));
        }
        let mut values = HashMap::new();
        for entry in table.outcomes {
            let at = entry.span().start;
            let entry = entry.into_inner();
            let mut o = vec![u32::MAX; space.issues().len()];
            for (issue, v) in &entry.at {
                let (i, idx) =
                    self.value_index(space, &format!("party `{party}`"), issue, v, at)?;
                o[i] = idx;
            }
            if let Some(missing) = space.issues().iter().zip(&o).find(|(_, v)| **v == u32::MAX) {
                return Err(self.at(
                    at,
                    format!(
                        "party `{party}`: a table outcome gives no value for issue `{}`",
                        missing.0.name
                    ),
                ));
            }
            if !entry.utility.is_finite() {
                return Err(self.at(
                    at,
                    format!("party `{party}`: a table utility must be finite"),
                ));
            }
            if values.insert(Outcome(o), entry.utility).is_some() {
                return Err(self.at(
                    at,
                    format!("party `{party}`: the table lists this outcome twice"),
                ));
            }
        }
        TableUtility::new(space, values, table.default)
            .map_err(|e| self.at(0, format!("party `{party}`: {e}")))
    }

    fn rectangles(
        &self,
        space: &OutcomeSpace,
        party: &str,
        r: Spanned<RectanglesDto>,
    ) -> Result<HyperrectangleUtility> {
        let r_at = r.span().start;
        let r = r.into_inner();
        let mut rects = Vec::new();
        for rect in r.list {
            let at = rect.span().start;
            let rect = rect.into_inner();
            let mut bounds = Vec::new();
            for (issue, range) in &rect.bounds {
                let bat = range.span().start;
                let [lo, hi] = &range.get_ref()[..] else {
                    return Err(self.at(
                        bat,
                        format!(
                            "party `{party}`: the bounds of `{issue}` must be [lowest, highest]"
                        ),
                    ));
                };
                let (i, lo) =
                    self.value_index(space, &format!("party `{party}`"), issue, lo, bat)?;
                let (_, hi) =
                    self.value_index(space, &format!("party `{party}`"), issue, hi, bat)?;
                if lo > hi {
                    return Err(self.at(
                        bat,
                        format!("party `{party}`: the bounds of `{issue}` are in the wrong order"),
                    ));
                }
                bounds.push((i, lo, hi));
            }
            bounds.sort_unstable();
            rects.push(Hyperrectangle {
                bounds,
                utility: rect.utility,
            });
            let _ = at;
        }
        HyperrectangleUtility::new(space, rects, r.scale.unwrap_or(1.0), r.cap)
            .map_err(|e| self.at(r_at, format!("party `{party}`: {e}")))
    }
}

fn numeric_range(issue: &Issue) -> (f64, f64) {
    match issue.kind {
        IssueKind::Integer { min, max } => (min as f64, max as f64),
        IssueKind::Real { min, max, .. } => (min, max),
        IssueKind::Discrete { .. } => (0.0, 0.0),
    }
}

// ----------------------------------------------------------------------------------------------
// Writing

/// Why a scenario cannot be written as TOML.
fn unwritable(what: String) -> FormatError {
    FormatError::Unrecognised {
        path: "<toml>".into(),
        message: what,
    }
}

fn key(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        s.to_string()
    } else {
        toml::Value::String(s.to_string()).to_string()
    }
}

fn string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn num(x: f64) -> String {
    // Debug keeps a decimal point or an exponent, so the value reads back as the same float.
    format!("{x:?}")
}

fn value_literal(issue: &Issue, v: u32) -> String {
    match issue.value(v) {
        Some(detente_core::Value::Discrete(s)) => string(s),
        Some(detente_core::Value::Integer(i)) => i.to_string(),
        Some(detente_core::Value::Real(x)) => num(x),
        None => "nan".into(),
    }
}

/// Writes a scenario as TOML. Reading the result back gives the same issues, parties and the
/// same utility for every outcome. Fails for preferences given only as code
/// ([`Utility::Custom`]).
pub fn to_string(scenario: &Scenario) -> Result<String> {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "format = {FORMAT_VERSION}");
    let _ = writeln!(w, "name = {}", string(&scenario.name));
    if !scenario.description.is_empty() {
        let _ = writeln!(w, "description = {}", string(&scenario.description));
    }
    let _ = writeln!(w, "\n[protocol]\nrounds = {}", scenario.protocol.deadline);
    if let Some(t) = scenario.protocol.time_limit {
        let _ = writeln!(w, "time_limit = {}", num(t.as_secs_f64()));
    }
    if let ProtocolKind::Mediated { strategy, mediator } = scenario.protocol.kind {
        let _ = writeln!(
            w,
            "kind = \"mediated\"\nstrategy = {}",
            string(strategy.as_str())
        );
        if let Some(m) = mediator {
            let _ = writeln!(w, "mediator = {}", string(&scenario.parties[m].name));
        }
    }
    if scenario.protocol.partial_agreements {
        let _ = writeln!(w, "partial_agreements = true");
    }
    for issue in scenario.space.issues() {
        let _ = writeln!(w, "\n[[issues]]\nname = {}", string(&issue.name));
        match &issue.kind {
            IssueKind::Discrete { values } => {
                let vs: Vec<String> = values.iter().map(|v| string(v)).collect();
                let _ = writeln!(w, "values = [{}]", vs.join(", "));
            }
            IssueKind::Integer { min, max } => {
                let _ = writeln!(w, "type = \"integer\"\nmin = {min}\nmax = {max}");
            }
            IssueKind::Real { min, max, steps } => {
                let _ = writeln!(
                    w,
                    "type = \"real\"\nmin = {}\nmax = {}\nsteps = {steps}",
                    num(*min),
                    num(*max)
                );
            }
        }
    }
    for c in scenario.space.constraints() {
        let _ = writeln!(
            w,
            "\n[[constraints]]\nname = {}\nforbid = {}",
            string(&c.name),
            combination_literal(&scenario.space, &c.combination)
        );
    }
    for party in &scenario.parties {
        let p = &party.preferences;
        let _ = writeln!(w, "\n[[parties]]\nname = {}", string(&party.name));
        let _ = writeln!(
            w,
            "reservation = {}\ndiscount = {}",
            num(p.reservation),
            num(p.discount)
        );
        if let Some(spec) = &party.negotiator {
            if spec.params.is_empty() {
                let _ = writeln!(w, "negotiator = {}", string(&spec.kind));
            } else {
                let params: Vec<String> = spec
                    .params
                    .iter()
                    .map(|(k, v)| format!("{} = {}", key(k), num(*v)))
                    .collect();
                let _ = writeln!(
                    w,
                    "negotiator = {{ kind = {}, {} }}",
                    string(&spec.kind),
                    params.join(", ")
                );
            }
        }
        match &p.utility {
            Utility::LinearAdditive(_) | Utility::Interacting(_) => {
                let (lin, terms): (&LinearAdditive, &[Interaction]) = match &p.utility {
                    Utility::Interacting(i) => (i.base(), i.interactions()),
                    Utility::LinearAdditive(l) => (l, &[]),
                    _ => unreachable!("matched above"),
                };
                if let Some(c) = lin.cap() {
                    let _ = writeln!(w, "cap = {}", num(c));
                }
                for (i, issue) in scenario.space.issues().iter().enumerate() {
                    let _ = writeln!(
                        w,
                        "\n[parties.issues.{}]\nweight = {}",
                        key(&issue.name),
                        num(lin.weights()[i])
                    );
                    match &lin.evaluators()[i] {
                        Evaluator::Table(scores) => match &issue.kind {
                            IssueKind::Discrete { values } => {
                                let _ = writeln!(w, "[parties.issues.{}.values]", key(&issue.name));
                                for (v, s) in values.iter().zip(scores) {
                                    let _ = writeln!(w, "{} = {}", key(v), num(*s));
                                }
                            }
                            _ => {
                                let ss: Vec<String> = scores.iter().map(|s| num(*s)).collect();
                                let _ = writeln!(w, "scores = [{}]", ss.join(", "));
                            }
                        },
                        Evaluator::Linear {
                            slope,
                            intercept,
                            origin,
                            clamp,
                        } => {
                            let _ = writeln!(
                                w,
                                "slope = {}\nintercept = {}\norigin = {}\nclamp = {clamp}",
                                num(*slope),
                                num(*intercept),
                                num(*origin)
                            );
                        }
                        Evaluator::Triangular { lower, upper, top } => {
                            let _ = writeln!(
                                w,
                                "triangular = {{ lower = {}, top = {}, upper = {} }}",
                                num(*lower),
                                num(*top),
                                num(*upper)
                            );
                        }
                        Evaluator::Constant(c) => {
                            let _ = writeln!(w, "constant = {}", num(*c));
                        }
                        Evaluator::Interpolate {
                            low_value,
                            low_utility,
                            high_value,
                            high_utility,
                        } => {
                            let _ = writeln!(
                                w,
                                "interpolate = {{ low_value = {}, low_utility = {}, high_value = {}, high_utility = {} }}",
                                num(*low_value),
                                num(*low_utility),
                                num(*high_value),
                                num(*high_utility)
                            );
                        }
                    }
                }
                for t in terms {
                    let _ = writeln!(
                        w,
                        "\n[[parties.interactions]]\nname = {}\nwhen = {}\nutility = {}",
                        string(&t.name),
                        combination_literal(&scenario.space, &t.when),
                        num(t.utility)
                    );
                }
            }
            Utility::Table(t) => {
                let _ = writeln!(
                    w,
                    "\n[parties.table]\ndefault = {}\noutcomes = [",
                    num(t.default)
                );
                let mut entries: Vec<_> = t.values.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                for (o, u) in entries {
                    let at: Vec<String> = scenario
                        .space
                        .issues()
                        .iter()
                        .zip(&o.0)
                        .map(|(issue, &v)| {
                            format!("{} = {}", key(&issue.name), value_literal(issue, v))
                        })
                        .collect();
                    let _ = writeln!(
                        w,
                        "  {{ at = {{ {} }}, utility = {} }},",
                        at.join(", "),
                        num(*u)
                    );
                }
                let _ = writeln!(w, "]");
            }
            Utility::Hyperrectangles(h) => {
                let _ = writeln!(w, "\n[parties.rectangles]\nscale = {}", num(h.scale));
                if let Some(c) = h.cap {
                    let _ = writeln!(w, "cap = {}", num(c));
                }
                let _ = writeln!(w, "list = [");
                for r in &h.rectangles {
                    let bounds: Vec<String> = r
                        .bounds
                        .iter()
                        .map(|&(i, lo, hi)| {
                            let issue = &scenario.space.issues()[i];
                            format!(
                                "{} = [{}, {}]",
                                key(&issue.name),
                                value_literal(issue, lo),
                                value_literal(issue, hi)
                            )
                        })
                        .collect();
                    let _ = writeln!(
                        w,
                        "  {{ utility = {}, bounds = {{ {} }} }},",
                        num(r.utility),
                        bounds.join(", ")
                    );
                }
                let _ = writeln!(w, "]");
            }
            Utility::Custom(_) => {
                return Err(unwritable(format!(
                    "party `{}` has preferences given as code, which a scenario file cannot hold",
                    party.name
                )));
            }
            _ => {
                return Err(unwritable(format!(
                    "party `{}` has a kind of preferences the TOML format cannot hold",
                    party.name
                )));
            }
        }
    }
    for e in &scenario.events {
        let party = |p: usize| string(&scenario.parties[p].name);
        let trigger = match e.trigger {
            Trigger::Round(r) => format!("{{ round = {} }}", u64::from(r) + 1),
            Trigger::NoAgreementBy(r) => format!("{{ no_agreement_by = {r} }}"),
            Trigger::Stalling { party: p, rule } => format!(
                "{{ stalling = {}, window = {}, min_improvement = {} }}",
                party(p),
                rule.window,
                num(rule.min_improvement)
            ),
            Trigger::Left(p) => format!("{{ left = {} }}", party(p)),
        };
        let effects: Vec<String> = e
            .effects
            .iter()
            .map(|eff| match *eff {
                Effect::Leave {
                    party: p,
                    end_talks,
                } => format!("{{ leave = {}, end_talks = {end_talks} }}", party(p)),
                Effect::Reservation {
                    party: p,
                    change: Change::Set(v),
                } => {
                    format!("{{ reservation = {}, set = {} }}", party(p), num(v))
                }
                Effect::Reservation {
                    party: p,
                    change: Change::Shift(v),
                } => {
                    format!("{{ reservation = {}, shift = {} }}", party(p), num(v))
                }
                Effect::Weight {
                    party: p,
                    issue,
                    weight,
                } => format!(
                    "{{ weight = {}, issue = {}, value = {} }}",
                    party(p),
                    string(&scenario.space.issues()[issue].name),
                    num(weight)
                ),
                Effect::Deadline { rounds } => format!("{{ deadline = {rounds} }}"),
                Effect::Availability {
                    issue,
                    value,
                    available,
                } => {
                    let def = &scenario.space.issues()[issue];
                    format!(
                        "{{ {} = {{ {} = {} }} }}",
                        if available {
                            "available"
                        } else {
                            "unavailable"
                        },
                        key(&def.name),
                        value_literal(def, value)
                    )
                }
            })
            .collect();
        let _ = writeln!(
            w,
            "\n[[events]]\nname = {}\ntrigger = {trigger}\neffects = [\n  {},\n]",
            string(&e.name),
            effects.join(",\n  ")
        );
    }
    Ok(out)
}

/// A combination as an inline table `{ issue = [values] }`.
fn combination_literal(space: &OutcomeSpace, c: &Combination) -> String {
    let parts: Vec<String> = c
        .parts
        .iter()
        .map(|(i, values)| {
            let issue = &space.issues()[*i];
            let vs: Vec<String> = values.iter().map(|&v| value_literal(issue, v)).collect();
            format!("{} = [{}]", key(&issue.name), vs.join(", "))
        })
        .collect();
    format!("{{ {} }}", parts.join(", "))
}

/// Writes a scenario as a TOML file.
pub fn save(scenario: &Scenario, path: &Path) -> Result<()> {
    let text = to_string(scenario).map_err(|e| match e {
        FormatError::Unrecognised { message, .. } => FormatError::Unrecognised {
            path: path.to_path_buf(),
            message,
        },
        e => e,
    })?;
    std::fs::write(path, text).map_err(|source| FormatError::Io {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use detente_core::UtilityFunction;
    use proptest::prelude::*;

    const GOOD: &str = r#"
format = 1
name = "deal"
description = "a test"

[protocol]
rounds = 20
time_limit = 2.5

[[issues]]
name = "price"
type = "integer"
min = 10
max = 20

[[issues]]
name = "colour"
values = ["red", "green", "blue"]

[[issues]]
name = "share"
type = "real"
min = 0.0
max = 1.0
steps = 5

[[parties]]
name = "buyer"
reservation = 0.2
discount = 0.9
negotiator = { kind = "time-based", e = 0.5 }
cap = 1.0
[parties.issues]
price = { weight = 0.5, linear = [1.0, 0.0] }
colour = { weight = 0.3, values = { red = 1.0, green = 0.5, blue = 0.0 } }
share = { weight = 0.2, triangular = { lower = 0.0, top = 0.5, upper = 1.0 } }

[[parties]]
name = "seller"
negotiator = "boulware"
[parties.table]
default = 0.1
outcomes = [ { at = { price = 20, colour = "red", share = 0.25 }, utility = 0.9 } ]

[[parties]]
name = "broker"
[parties.rectangles]
scale = 10.0
list = [ { utility = 5.0, bounds = { price = [10, 15], colour = ["green", "blue"] } } ]
"#;

    fn load(text: &str) -> Result<Scenario> {
        load_str(text, Path::new("test.toml")).map(|l| l.scenario)
    }

    #[test]
    fn reads_every_feature() {
        let s = load(GOOD).unwrap();
        assert_eq!(s.name, "deal");
        assert_eq!(s.protocol.deadline, 20);
        assert_eq!(s.protocol.time_limit, Some(Duration::from_secs_f64(2.5)));
        assert_eq!(s.space.count(), Some(11 * 3 * 5));
        let o = s
            .space
            .parse_assignment([("price", "12"), ("colour", "green"), ("share", "0.25")])
            .unwrap();
        let u = s.utilities(&o);
        let expect0 = 0.5 * (1.0 - 0.2) + 0.3 * 0.5 + 0.2 * 0.5;
        assert!((u[0] - expect0).abs() < 1e-12, "{u:?}");
        assert_eq!(u[1], 0.1);
        assert_eq!(u[2], 0.5);
        let top = s
            .space
            .parse_assignment([("price", "20"), ("colour", "red"), ("share", "0.25")])
            .unwrap();
        assert_eq!(s.utilities(&top)[1], 0.9);
        assert_eq!(
            s.parties[0].negotiator.as_ref().unwrap().to_string(),
            "time-based:e=0.5"
        );
        assert_eq!(s.parties[0].preferences.discount, 0.9);
    }

    /// Each bad input must fail with a message naming the file, the right line and the problem.
    #[track_caller]
    fn check_err(text: &str, line: usize, needle: &str) {
        match load(text) {
            Ok(_) => panic!("accepted a bad file, expected an error containing `{needle}`"),
            Err(e) => {
                let msg = e.to_string();
                assert!(
                    msg.starts_with(&format!("test.toml:{line}:")),
                    "wrong place: {msg}"
                );
                assert!(msg.contains(needle), "`{needle}` not in: {msg}");
            }
        }
    }

    const HEAD: &str =
        "format = 1\nname = \"x\"\n[[issues]]\nname = \"a\"\nvalues = [\"p\", \"q\"]\n";

    #[test]
    fn bad_files_give_located_errors() {
        check_err("format = 1\nname = \"x\"\n[[issues]\n", 3, "");
        check_err(&format!("{HEAD}colour = 3\n"), 6, "unknown field `colour`");
        check_err(
            "format = 2\nname = \"x\"\n",
            1,
            "unsupported format version 2",
        );
        let party = |body: &str| {
            format!(
                "{HEAD}[[parties]]\nname = \"A\"\n{body}\n[[parties]]\nname = \"B\"\nissues.a = {{ weight = 1, values = {{ p = 0, q = 1 }} }}\n"
            )
        };
        check_err(
            &party("issues.a = { weight = 1, values = { p = 0, r = 1 } }"),
            8,
            "has no value `r`",
        );
        check_err(
            &party("issues.a = { weight = 1, values = { p = 0 } }"),
            8,
            "value `q` has no score",
        );
        check_err(
            &party("issues.a = { weight = \"heavy\", values = { p = 0, q = 1 } }"),
            8,
            "invalid type",
        );
        check_err(
            &party("issues.b = { weight = 1, values = { p = 0, q = 1 } }"),
            8,
            "does not score issue `a`",
        );
        check_err(
            &party("reservation = 0.1"),
            6,
            "party `A` has no preferences",
        );
        check_err(
            &party("discount = 1.5\nissues.a = { weight = 1, values = { p = 0, q = 1 } }"),
            8,
            "discount factor",
        );
        check_err(
            &party("issues.a = { weight = 1, linear = [0, 1] }"),
            8,
            "is discrete",
        );
        let parties = "[[parties]]\nname = \"A\"\n[[parties]]\nname = \"B\"\n";
        check_err(
            &format!("{HEAD}[[issues]]\nname = \"a\"\nvalues = [\"z\"]\n{parties}"),
            6,
            "defined twice",
        );
        check_err(
            &format!(
                "{HEAD}[[issues]]\nname = \"n\"\ntype = \"integer\"\nmin = 5\nmax = 1\n{parties}"
            ),
            9,
            "above max",
        );
        check_err(
            &format!(
                "{HEAD}[[issues]]\nname = \"n\"\ntype = \"real\"\nmin = 0\nmax = 1\n{parties}"
            ),
            6,
            "needs `steps`",
        );
        check_err(
            &format!("{HEAD}[[issues]]\nname = \"n\"\ntype = \"fuzzy\"\n{parties}"),
            8,
            "unknown type `fuzzy`",
        );
        let one = format!(
            "{HEAD}[[parties]]\nname = \"A\"\nissues.a = {{ weight = 1, values = {{ p = 0, q = 1 }} }}\n"
        );
        check_err(&one, 6, "at least two parties");
    }

    const DYNAMIC: &str = r#"
format = 1
name = "talks"

[protocol]
rounds = 30
kind = "mediated"
strategy = "informed"
mediator = "US"
partial_agreements = true

[[issues]]
name = "ceasefire"
values = ["none", "energy", "full"]

[[issues]]
name = "deal"
values = ["no", "yes"]

[[constraints]]
name = "no deal without some ceasefire"
forbid = { ceasefire = "none", deal = "yes" }

[[parties]]
name = "US"
issues.ceasefire = { weight = 0.5, values = { none = 0, energy = 0.5, full = 1 } }
issues.deal = { weight = 0.5, values = { no = 0, yes = 1 } }
[[parties.interactions]]
name = "deal with a full ceasefire"
when = { ceasefire = "full", deal = ["yes"] }
utility = 0.2

[[parties]]
name = "UA"
issues.ceasefire = { weight = 1, values = { none = 0, energy = 0.3, full = 1 } }
issues.deal = { weight = 0, values = { no = 0, yes = 1 } }

[[events]]
name = "US walks"
trigger = { no_agreement_by = 10 }
effects = [ { leave = "US" }, { reservation = "UA", shift = -0.1 } ]

[[events]]
name = "pressure"
trigger = { stalling = "UA", window = 4, min_improvement = 0.05 }
effects = [ { unavailable = { ceasefire = "none" } }, { deadline = 40 }, { weight = "UA", issue = "deal", value = 0.2 } ]
"#;

    #[test]
    fn reads_dynamics() {
        let s = load(DYNAMIC).unwrap();
        assert_eq!(
            s.protocol.kind,
            ProtocolKind::Mediated {
                strategy: MediatorStrategy::Informed,
                mediator: Some(0)
            }
        );
        assert!(s.protocol.partial_agreements);
        assert_eq!(s.space.constraints().len(), 1);
        assert!(!s.space.contains(&Outcome(vec![0, 1])));
        assert_eq!(s.space.outcomes(10).unwrap().count(), 5);
        assert_eq!(s.utilities(&Outcome(vec![2, 1]))[0], 1.2);
        assert_eq!(s.events.len(), 2);
        assert_eq!(s.events[0].trigger, Trigger::NoAgreementBy(10));
        assert_eq!(
            s.events[0].effects,
            vec![
                Effect::Leave {
                    party: 0,
                    end_talks: false
                },
                Effect::Reservation {
                    party: 1,
                    change: Change::Shift(-0.1)
                }
            ]
        );
        assert_eq!(
            s.events[1].trigger,
            Trigger::Stalling {
                party: 1,
                rule: StallingRule {
                    window: 4,
                    min_improvement: 0.05
                }
            }
        );
        assert_eq!(
            s.events[1].effects[0],
            Effect::Availability {
                issue: 0,
                value: 0,
                available: false
            }
        );
        let back = load(&to_string(&s).unwrap()).unwrap();
        assert_eq!(back.events, s.events);
        assert_eq!(back.protocol, s.protocol);
        assert_eq!(back.space, s.space);
    }

    #[test]
    fn bad_dynamics_give_located_errors() {
        let bad = |from: &str, to: &str| {
            assert!(DYNAMIC.contains(from), "{from}");
            DYNAMIC.replacen(from, to, 1)
        };
        check_err(
            &bad("leave = \"US\"", "leave = \"EU\""),
            41,
            "names party `EU`, which is not in the scenario",
        );
        check_err(
            &bad("issue = \"deal\"", "issue = \"oil\""),
            46,
            "names issue `oil`",
        );
        check_err(
            &bad(
                "forbid = { ceasefire = \"none\", deal = \"yes\" }",
                "forbid = { deal = [\"no\", \"yes\"] }",
            ),
            20,
            "exclude every outcome",
        );
        check_err(
            &bad("mediator = \"US\"", "mediator = \"UN\""),
            9,
            "names party `UN`",
        );
        check_err(
            &bad("strategy = \"informed\"", "strategy = \"oracle\""),
            8,
            "unknown mediator strategy",
        );
        check_err(
            &bad("no_agreement_by = 10", "when = 10"),
            40,
            "the trigger must be one of",
        );
        check_err(
            &bad("{ deadline = 40 }", "{ deadline = 0 }"),
            46,
            "`deadline` must be",
        );
        check_err(
            &bad("ceasefire = \"full\", deal", "ceasefire = \"total\", deal"),
            28,
            "is not a value of issue `ceasefire`",
        );
    }

    #[test]
    fn never_panics_on_garbage() {
        for cut in 0..GOOD.len() {
            if GOOD.is_char_boundary(cut) {
                let _ = load(&GOOD[..cut]);
            }
        }
    }

    fn arb_scenario() -> impl Strategy<Value = Scenario> {
        let issue = prop_oneof![
            (1usize..4).prop_map(|n| IssueKind::Discrete {
                values: (0..n).map(|v| format!("v {v}")).collect()
            }),
            (-5i64..5, 0i64..4).prop_map(|(lo, d)| IssueKind::Integer {
                min: lo,
                max: lo + d
            }),
            (-2.0f64..2.0, 0.1f64..3.0, 2u32..5).prop_map(|(lo, d, s)| IssueKind::Real {
                min: lo,
                max: lo + d,
                steps: s
            }),
        ];
        (
            proptest::collection::vec(issue, 1..4),
            any::<u64>(),
            2usize..4,
        )
            .prop_map(|(kinds, seed, n)| {
                use rand::{Rng, SeedableRng};
                let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
                let issues: Vec<Issue> = kinds
                    .into_iter()
                    .enumerate()
                    .map(|(i, kind)| Issue {
                        name: format!("issue{i}"),
                        kind,
                    })
                    .collect();
                let space = OutcomeSpace::new(issues).unwrap();
                let parties = (0..n)
                    .map(|p| {
                        let utility = match rng.random_range(0..3) {
                            0 => {
                                let evals = space
                                    .issues()
                                    .iter()
                                    .map(|i| match (&i.kind, rng.random_range(0..4)) {
                                        (IssueKind::Discrete { .. }, _) | (_, 0) => {
                                            Evaluator::Table(
                                                (0..i.cardinality())
                                                    .map(|_| rng.random())
                                                    .collect(),
                                            )
                                        }
                                        (_, 1) => Evaluator::Linear {
                                            slope: rng.random_range(-1.0..1.0),
                                            intercept: rng.random(),
                                            origin: rng.random(),
                                            clamp: rng.random(),
                                        },
                                        (_, 2) => Evaluator::Triangular {
                                            lower: -1.0,
                                            top: rng.random(),
                                            upper: 3.0,
                                        },
                                        _ => Evaluator::Interpolate {
                                            low_value: -1.0,
                                            low_utility: rng.random(),
                                            high_value: 2.0,
                                            high_utility: rng.random(),
                                        },
                                    })
                                    .collect();
                                let weights = space.issues().iter().map(|_| rng.random()).collect();
                                let cap = rng.random::<bool>().then_some(1.0);
                                Utility::LinearAdditive(
                                    LinearAdditive::new(&space, weights, evals, cap).unwrap(),
                                )
                            }
                            1 => {
                                let mut values = HashMap::new();
                                for o in space.outcomes(1000).unwrap() {
                                    if rng.random::<bool>() {
                                        values.insert(o, rng.random());
                                    }
                                }
                                Utility::Table(
                                    TableUtility::new(&space, values, rng.random()).unwrap(),
                                )
                            }
                            _ => {
                                let rects = (0..3)
                                    .map(|_| Hyperrectangle {
                                        bounds: vec![(
                                            0,
                                            0,
                                            (space.issues()[0].cardinality() - 1) as u32,
                                        )],
                                        utility: rng.random_range(0.0..10.0),
                                    })
                                    .collect();
                                Utility::Hyperrectangles(
                                    HyperrectangleUtility::new(&space, rects, 7.0, Some(1.0))
                                        .unwrap(),
                                )
                            }
                        };
                        Party {
                            name: format!("party \"{p}\""),
                            preferences: Preferences {
                                utility,
                                reservation: rng.random(),
                                discount: rng.random_range(0.01..=1.0),
                            },
                            negotiator: rng
                                .random::<bool>()
                                .then(|| NegotiatorSpec::new("time-based").with("e", rng.random())),
                        }
                    })
                    .collect();
                let mut parties: Vec<Party> = parties;
                let mut space = space;
                if space.issues()[0].cardinality() > 1 && rng.random::<bool>() {
                    space = space
                        .with_constraints(vec![Constraint {
                            name: "no first value".into(),
                            combination: Combination {
                                parts: vec![(0, vec![0])],
                            },
                        }])
                        .unwrap();
                }
                for p in &mut parties {
                    if let Utility::LinearAdditive(lin) = &p.preferences.utility
                        && rng.random::<bool>()
                    {
                        let term = Interaction {
                            name: "link".into(),
                            when: Combination {
                                parts: vec![(
                                    0,
                                    vec![(space.issues()[0].cardinality() - 1) as u32],
                                )],
                            },
                            utility: rng.random_range(-0.5..0.5),
                        };
                        p.preferences.utility = Utility::Interacting(
                            InteractionUtility::new(&space, lin.clone(), vec![term]).unwrap(),
                        );
                    }
                }
                let n = parties.len();
                let protocol = ProtocolSettings {
                    partial_agreements: rng.random(),
                    kind: match rng.random_range(0..3) {
                        0 => ProtocolKind::Saop,
                        1 => ProtocolKind::Mediated {
                            strategy: MediatorStrategy::Veto,
                            mediator: None,
                        },
                        _ => ProtocolKind::Mediated {
                            strategy: MediatorStrategy::Informed,
                            mediator: Some(n - 1),
                        },
                    },
                    ..ProtocolSettings::default()
                };
                let linear_party = parties.iter().position(|p| {
                    matches!(
                        p.preferences.utility,
                        Utility::LinearAdditive(_) | Utility::Interacting(_)
                    )
                });
                let mut effects = vec![
                    Effect::Leave {
                        party: 0,
                        end_talks: rng.random(),
                    },
                    Effect::Reservation {
                        party: 1,
                        change: Change::Shift(-0.25),
                    },
                    Effect::Reservation {
                        party: 1,
                        change: Change::Set(0.5),
                    },
                    Effect::Deadline { rounds: 7 },
                    Effect::Availability {
                        issue: 0,
                        value: 0,
                        available: rng.random(),
                    },
                ];
                if let Some(lp) = linear_party {
                    effects.push(Effect::Weight {
                        party: lp,
                        issue: 0,
                        weight: 0.75,
                    });
                }
                let events = vec![
                    Event {
                        name: "at five".into(),
                        trigger: Trigger::Round(4),
                        effects: effects.clone(),
                    },
                    Event {
                        name: "late".into(),
                        trigger: Trigger::NoAgreementBy(9),
                        effects: vec![effects[1].clone()],
                    },
                    Event {
                        name: "stall".into(),
                        trigger: Trigger::Stalling {
                            party: 1,
                            rule: StallingRule {
                                window: 3,
                                min_improvement: 0.05,
                            },
                        },
                        effects: vec![effects[3].clone()],
                    },
                    Event {
                        name: "gone".into(),
                        trigger: Trigger::Left(0),
                        effects: vec![effects[2].clone()],
                    },
                ];
                Scenario {
                    name: "round trip".into(),
                    description: "line one\nline \"two\"".into(),
                    space,
                    parties,
                    protocol,
                    events,
                }
            })
    }

    proptest! {
        #[test]
        fn round_trip_keeps_every_utility(s in arb_scenario()) {
            let text = to_string(&s).unwrap();
            let back = load(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            prop_assert_eq!(&back.space, &s.space);
            prop_assert_eq!(&back.description, &s.description);
            prop_assert_eq!(&back.protocol, &s.protocol);
            prop_assert_eq!(&back.events, &s.events);
            for (a, b) in s.parties.iter().zip(&back.parties) {
                prop_assert_eq!(&a.name, &b.name);
                prop_assert_eq!(a.preferences.reservation, b.preferences.reservation);
                prop_assert_eq!(a.preferences.discount, b.preferences.discount);
                prop_assert_eq!(&a.negotiator, &b.negotiator);
            }
            for o in s.space.outcomes(1000).unwrap() {
                let (u, v) = (s.utilities(&o), back.utilities(&o));
                for (x, y) in u.iter().zip(&v) {
                    prop_assert!((x - y).abs() <= 1e-12, "{} vs {} at {:?}\n{}", x, y, o, text);
                }
            }
        }
    }

    #[test]
    fn custom_utilities_cannot_be_written() {
        #[derive(Debug)]
        struct Mine;
        impl UtilityFunction for Mine {
            fn utility(&self, _: &Outcome) -> f64 {
                0.0
            }
        }
        let mut s = load(GOOD).unwrap();
        s.parties[1].preferences.utility = Utility::Custom(std::sync::Arc::new(Mine));
        assert!(
            to_string(&s)
                .unwrap_err()
                .to_string()
                .contains("given as code")
        );
    }
}
