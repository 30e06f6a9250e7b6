//! Outcomes as a file writes them (`issue = value` pairs), checked against the scenario.

use detente_core::{IssueKind, Outcome, Scenario};

use crate::trace::doc::{IssueValue, OutcomeDoc};

/// The parties of a scenario, comma-separated, for error messages.
pub(super) fn party_list(scenario: &Scenario) -> String {
    scenario
        .parties
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A value as a JSON file writes it: a string as is, a number as JSON spells it (`5`, `0.5`,
/// `5.0`), so that an integer issue refuses `5.0` as it always has.
pub(crate) fn as_written(v: &IssueValue) -> String {
    match v {
        IssueValue::Text(s) => s.clone(),
        IssueValue::Integer(i) => i.to_string(),
        IssueValue::Real(x) => {
            serde_json::Number::from_f64(*x).map_or_else(|| x.to_string(), |n| n.to_string())
        }
    }
}

/// An outcome of a trace document, as an outcome of `scenario`.
pub(super) fn outcome_of_doc(scenario: &Scenario, o: &OutcomeDoc) -> Result<Outcome, String> {
    parse_outcome(scenario, o.iter().map(|(k, v)| (k.as_str(), as_written(v))))
}

/// What the values of an issue are, for error messages.
fn describe_values(kind: &IssueKind) -> String {
    match kind {
        IssueKind::Discrete { values } => format!("values: {}", values.join(", ")),
        IssueKind::Integer { min, max } => format!("an integer from {min} to {max}"),
        IssueKind::Real { min, max, steps } => {
            format!("one of {steps} evenly spaced points from {min} to {max}")
        }
    }
}

/// An outcome from `issue = value` pairs (values as text); every issue exactly once.
pub(super) fn parse_outcome<'a>(
    scenario: &Scenario,
    pairs: impl IntoIterator<Item = (&'a str, String)>,
) -> Result<Outcome, String> {
    let space = &scenario.space;
    let issues = space.issues();
    let mut values: Vec<Option<u32>> = vec![None; issues.len()];
    for (name, text) in pairs {
        let i = space.issue_index(name.trim()).ok_or_else(|| {
            format!(
                "there is no issue `{}` (issues: {})",
                name.trim(),
                issues
                    .iter()
                    .map(|i| i.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        if values[i].is_some() {
            return Err(format!("issue `{}` is given twice", issues[i].name));
        }
        let v = space.parse_value(i, text.trim()).ok_or_else(|| {
            format!(
                "`{}` is not a value of issue `{}` ({})",
                text.trim(),
                issues[i].name,
                describe_values(&issues[i].kind)
            )
        })?;
        values[i] = Some(v);
    }
    let missing: Vec<String> = issues
        .iter()
        .zip(&values)
        .filter(|(_, v)| v.is_none())
        .map(|(i, _)| format!("`{}`", i.name))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "the offer gives no value for issue{} {}: an offer needs a value for every issue",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", ")
        ));
    }
    Ok(Outcome(values.into_iter().flatten().collect()))
}
