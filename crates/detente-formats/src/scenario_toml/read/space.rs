//! The outcome space: `[[issues]]`, and the lookups of issue values that constraints,
//! interactions, tables, rectangles and events share.

use std::collections::BTreeMap;

use detente_core::{Combination, Issue, IssueKind, OutcomeSpace};
use toml::Spanned;

use super::Ctx;
use crate::Result;
use crate::names::first_repeat;
use crate::scenario_toml::dto::{IssueDto, Number};

impl Ctx<'_> {
    /// The issues, each checked, with no name given twice.
    pub(super) fn space(&self, dto: Spanned<Vec<Spanned<IssueDto>>>) -> Result<OutcomeSpace> {
        let issues_at = dto.span().start;
        let mut issues: Vec<Issue> = Vec::new();
        let mut names = std::collections::HashSet::new();
        for issue in dto.into_inner() {
            let span = issue.span();
            let issue = self.issue(issue.into_inner(), span.start)?;
            if !names.insert(issue.name.clone()) {
                return Err(self.at(
                    span.start,
                    format!("issue `{}` is defined twice", issue.name),
                ));
            }
            issues.push(issue);
        }
        if issues.is_empty() {
            return Err(self.at(issues_at, "a scenario needs at least one issue"));
        }
        OutcomeSpace::new(issues).map_err(|e| self.at(issues_at, e.to_string()))
    }

    fn issue(&self, dto: IssueDto, start: usize) -> Result<Issue> {
        let name = dto.name.get_ref().clone();
        if name.trim().is_empty() {
            return Err(self.at(dto.name.span().start, "an issue has an empty name"));
        }
        let kind = match &dto.kind {
            Some(k) => k.get_ref().clone(),
            None if dto.values.is_some() => "discrete".to_string(),
            None => {
                return Err(self.at(
                    start,
                    format!("issue `{name}` needs `values` (discrete) or a `type`"),
                ));
            }
        };
        let at = IssueAt { name, start };
        let status_quo = dto.status_quo.clone();
        let issue = match kind.as_str() {
            "discrete" => self.discrete_issue(at, dto)?,
            "integer" => self.integer_issue(at, dto)?,
            "real" => self.real_issue(at, dto)?,
            other => {
                return Err(self.at(
                    dto.kind.as_ref().map_or(start, |k| k.span().start),
                    format!(
                        "issue `{}` has unknown type `{other}`; expected `discrete`, `integer` or `real`",
                        at.name
                    ),
                ));
            }
        };
        let Some(q) = status_quo else {
            return Ok(issue);
        };
        let v = value_of(&issue, q.get_ref()).ok_or_else(|| {
            self.at(
                q.span().start,
                format!(
                    "issue `{}`: status_quo {} is not one of its values",
                    issue.name,
                    q.get_ref()
                ),
            )
        })?;
        Ok(issue.with_status_quo(v))
    }

    fn discrete_issue(&self, at: IssueAt, dto: IssueDto) -> Result<Issue> {
        let name = &at.name;
        self.forbid(
            &at,
            dto.min.is_some() || dto.max.is_some(),
            "min/max",
            "discrete",
        )?;
        self.forbid(&at, dto.steps.is_some(), "steps", "discrete")?;
        let values = dto
            .values
            .ok_or_else(|| self.at(at.start, format!("discrete issue `{name}` needs `values`")))?;
        let vspan = values.span().start;
        let values = self.claim_strings(vspan, values.into_inner());
        if values.is_empty() {
            return Err(self.at(vspan, format!("issue `{name}` has no values")));
        }
        if values.iter().any(|v| v.trim().is_empty()) {
            return Err(self.at(vspan, format!("issue `{name}` has a blank value name")));
        }
        if let Some(v) = first_repeat(values.iter().map(String::as_str)) {
            return Err(self.at(vspan, format!("issue `{name}` lists the value `{v}` twice")));
        }
        Ok(Issue::discrete(at.name, values))
    }

    fn integer_issue(&self, at: IssueAt, dto: IssueDto) -> Result<Issue> {
        let name = &at.name;
        self.forbid(&at, dto.values.is_some(), "values", "integer")?;
        self.forbid(&at, dto.steps.is_some(), "steps", "integer")?;
        let (min, max) = (
            self.need(&at, &dto.min, "min")?,
            self.need(&at, &dto.max, "max")?,
        );
        let as_int = |n: &Spanned<Number>, key: &str| match *n.get_ref() {
            Number::Int(i) => Ok(i),
            Number::Float(_) => Err(self.at(
                n.span().start,
                format!("issue `{name}`: `{key}` must be an integer"),
            )),
        };
        let (lo, hi) = (as_int(&min, "min")?, as_int(&max, "max")?);
        if lo > hi {
            return Err(self.at(
                min.span().start,
                format!("issue `{name}`: min {lo} is above max {hi}"),
            ));
        }
        let values = hi as i128 - lo as i128 + 1;
        if values > i128::from(u32::MAX) {
            return Err(self.at(
                min.span().start,
                format!(
                    "issue `{name}` has {values} values; an issue has at most 4294967295 \
                     (2^32 - 1)"
                ),
            ));
        }
        Ok(Issue::integer(at.name, lo, hi))
    }

    fn real_issue(&self, at: IssueAt, dto: IssueDto) -> Result<Issue> {
        let name = &at.name;
        self.forbid(&at, dto.values.is_some(), "values", "real")?;
        let (min, max) = (
            self.need(&at, &dto.min, "min")?,
            self.need(&at, &dto.max, "max")?,
        );
        let (lo, hi) = (min.get_ref().as_f64(), max.get_ref().as_f64());
        if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
            return Err(self.at(
                min.span().start,
                format!("issue `{name}`: the range [{lo}, {hi}] is invalid"),
            ));
        }
        let steps = dto.steps.ok_or_else(|| {
            self.at(
                at.start,
                format!(
                    "real issue `{name}` needs `steps`, the number of points it is discretised into"
                ),
            )
        })?;
        let s = *steps.get_ref();
        let min_steps = if lo == hi { 1 } else { 2 };
        if s < min_steps || s > i64::from(u32::MAX) {
            return Err(self.at(
                steps.span().start,
                format!("issue `{name}`: `steps` must be at least {min_steps}, not {s}"),
            ));
        }
        Ok(Issue::real(at.name, lo, hi, s as u32))
    }

    /// Refuses a key that does not apply to this kind of issue.
    fn forbid(&self, at: &IssueAt, present: bool, key: &str, kind: &str) -> Result<()> {
        if present {
            Err(self.at(
                at.start,
                format!(
                    "issue `{}`: `{key}` does not apply to a {kind} issue",
                    at.name
                ),
            ))
        } else {
            Ok(())
        }
    }

    /// A bound this kind of issue needs.
    fn need(
        &self,
        at: &IssueAt,
        v: &Option<Spanned<Number>>,
        key: &str,
    ) -> Result<Spanned<Number>> {
        v.clone()
            .ok_or_else(|| self.at(at.start, format!("issue `{}` needs `{key}`", at.name)))
    }

    /// The issue named `issue` and the index of its value `v` (a string for a discrete
    /// issue, a number for an integer or real one); `who` names the caller in messages.
    pub(super) fn value_index(
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
        // Names are found through the space's index: constraints and interactions may name
        // values of a large issue many times.
        let idx = match (&def.kind, v) {
            (IssueKind::Discrete { .. }, toml::Value::String(s)) => space.value_index(i, s),
            _ => value_of(def, v),
        };
        idx.map(|x| (i, x))
            .ok_or_else(|| self.at(at, format!("{who}: {v} is not a value of issue `{issue}`")))
    }

    /// `{ issue = value or [values] }` into a combination.
    pub(super) fn combination(
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
}

/// The issue being read, for messages.
struct IssueAt {
    name: String,
    start: usize,
}

/// The index of value `v` of `issue`: a string for a discrete issue, a number for an integer or
/// real one.
fn value_of(issue: &Issue, v: &toml::Value) -> Option<u32> {
    match (&issue.kind, v) {
        (IssueKind::Discrete { .. }, toml::Value::String(s)) => issue.index_of_name(s),
        (IssueKind::Integer { .. }, toml::Value::Integer(x)) => issue.parse_value(&x.to_string()),
        (IssueKind::Real { .. }, toml::Value::Integer(x)) => issue.nearest_index(*x as f64, true),
        (IssueKind::Real { .. }, toml::Value::Float(x)) => issue.nearest_index(*x, true),
        _ => None,
    }
}
