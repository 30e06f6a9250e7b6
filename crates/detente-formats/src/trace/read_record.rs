//! Hand-written records of real talks, in TOML or CSV (format in `docs/inspect.md`): read
//! into the steps that [`super::replay`] checks, turn by turn, against the scenario. Rounds
//! count from 1 in a record; every error names the line (and for TOML the column).

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use detente_core::{ActionKind, ComplianceRecord, Scenario};

use super::read_reports::{ReportRow, report_record};
use super::replay::{Place, RecordedTrace, Step, TraceSource, replay_record};
use crate::error::{Result, line_column};

/// What an action is called in a record.
fn parse_kind(text: &str) -> std::result::Result<ActionKind, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "offer" => Ok(ActionKind::Offer),
        "accept" => Ok(ActionKind::Accept),
        "end" => Ok(ActionKind::End),
        "propose" => Ok(ActionKind::Propose),
        other => Err(format!(
            "unknown action `{other}`: expected offer, accept, end or report (or propose, for a mediator)"
        )),
    }
}

/// A 1-based round of a hand-written record, as a 0-based round.
pub(crate) fn record_round(round: i64) -> std::result::Result<u32, String> {
    if round < 1 || round > i64::from(u32::MAX) {
        return Err(format!(
            "round {round} is not a round: rounds in a record count from 1"
        ));
    }
    Ok((round - 1) as u32)
}

// ------------------------------------------------------------------------------------------
// TOML records.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordDto {
    scenario: Option<Spanned<String>>,
    deadline: Option<Spanned<i64>>,
    #[serde(default)]
    actions: Vec<Spanned<ActionDto>>,
    #[serde(default)]
    reports: Vec<Spanned<ReportDto>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportDto {
    round: i64,
    by: String,
    about: String,
    claim: String,
    issue: Option<String>,
    #[allow(dead_code)] // free text, like an action's note
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionDto {
    round: i64,
    party: String,
    action: String,
    offer: Option<toml::Table>,
    note: Option<String>,
}

fn toml_value_text(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(x) => Some(x.to_string()),
        _ => None,
    }
}

/// The deadline of a record: its own, or the scenario's.
fn record_deadline(scenario: &Scenario, given: Option<i64>) -> std::result::Result<u32, String> {
    match given {
        None => Ok(scenario.protocol.deadline),
        Some(d) if d >= 1 && d <= i64::from(u32::MAX) => Ok(d as u32),
        Some(d) => Err(format!("deadline {d} must be a positive number of rounds")),
    }
}

/// Reads a hand-written TOML record against `scenario` (format in `docs/inspect.md`).
pub fn record_from_toml_str(
    text: &str,
    origin: &Path,
    scenario: &Scenario,
) -> Result<RecordedTrace> {
    let at = |offset: usize, message: String| {
        let (line, column) = line_column(text, offset);
        Place::At { line, column }.error(origin, message)
    };
    let dto: RecordDto = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        at(offset, e.message().to_string())
    })?;
    if let Some(name) = &dto.scenario
        && *name.get_ref() != scenario.name
    {
        return Err(at(
            name.span().start,
            format!(
                "the record is of scenario `{}`, but the scenario given is `{}`",
                name.get_ref(),
                scenario.name
            ),
        ));
    }
    let deadline = record_deadline(scenario, dto.deadline.as_ref().map(|d| *d.get_ref()))
        .map_err(|m| at(dto.deadline.as_ref().map_or(0, |d| d.span().start), m))?;
    if dto.actions.is_empty() {
        return Err(at(0, "the record has no [[actions]]".into()));
    }
    let steps = dto.actions.iter().map(|a| {
        let (line, column) = line_column(text, a.span().start);
        let place = Place::At { line, column };
        toml_step(a.get_ref(), place.clone()).map_err(|m| place.error(origin, m))
    });
    let mut recorded = replay_record(scenario, origin, deadline, steps, TraceSource::Toml)?;
    for r in &dto.reports {
        let d = r.get_ref();
        let row = ReportRow {
            round: d.round,
            by: d.by.clone(),
            about: d.about.clone(),
            claim: d.claim.clone(),
            issue: d.issue.clone(),
        };
        let record = report_record(&row, scenario, deadline).map_err(|m| at(r.span().start, m))?;
        recorded.trace.compliance.push(record);
    }
    recorded
        .trace
        .compliance
        .sort_by_key(ComplianceRecord::round);
    Ok(recorded)
}

/// One `[[actions]]` table as a step.
fn toml_step(a: &ActionDto, place: Place) -> std::result::Result<Step, String> {
    let round = record_round(a.round)?;
    let kind = parse_kind(&a.action)?;
    let offer = match &a.offer {
        Some(t) => {
            let mut pairs = Vec::with_capacity(t.len());
            for (k, v) in t {
                let text = toml_value_text(v).ok_or_else(|| {
                    format!("the value of issue `{k}` must be a string or a number")
                })?;
                pairs.push((k.clone(), text));
            }
            Some(pairs)
        }
        None if kind == ActionKind::Offer => {
            return Err(format!(
                "{} makes an offer without `offer = {{ ... }}`",
                a.party
            ));
        }
        None => None,
    };
    Ok(Step {
        place,
        round,
        party: a.party.clone(),
        kind,
        offer,
        time: None,
        note: a.note.clone(),
    })
}

// ------------------------------------------------------------------------------------------
// CSV records.

/// Splits one CSV line into fields: commas separate, double quotes enclose a field that holds
/// commas, and `""` inside quotes is a quote.
fn csv_fields(line: &str) -> std::result::Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    cur.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                cur.push(c);
            }
        } else if c == '"' && at_start {
            quoted = true;
            at_start = false;
        } else if c == ',' {
            fields.push(std::mem::take(&mut cur));
            at_start = true;
        } else if c.is_whitespace() && at_start {
            // Spaces before a field (and before its opening quote) are ignored.
        } else {
            cur.push(c);
            at_start = false;
        }
    }
    if quoted {
        return Err("a quoted field is not closed".into());
    }
    fields.push(cur);
    Ok(fields.into_iter().map(|f| f.trim().to_string()).collect())
}

/// What a column of a CSV record holds.
#[derive(Clone, Copy, PartialEq)]
enum Col {
    Round,
    Party,
    Action,
    Note,
    Offer,
    About,
    Claim,
    Obligation,
    Issue(usize),
}

/// The columns a header names; an issue's name is a column of that issue's values.
fn csv_columns(header: &[String], scenario: &Scenario) -> std::result::Result<Vec<Col>, String> {
    let mut cols = Vec::with_capacity(header.len());
    for h in header {
        let col = match h.to_ascii_lowercase().as_str() {
            "round" => Col::Round,
            "party" => Col::Party,
            "action" => Col::Action,
            "note" => Col::Note,
            "offer" => Col::Offer,
            "about" => Col::About,
            "claim" => Col::Claim,
            "obligation" => Col::Obligation,
            _ => Col::Issue(scenario.space.issue_index(h).ok_or_else(|| {
                format!(
                    "unknown column `{h}`: expected round, party, action, note, offer, about, \
                     claim, obligation, or an issue name ({})",
                    scenario
                        .space
                        .issues()
                        .iter()
                        .map(|i| i.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?),
        };
        if cols.contains(&col) {
            return Err(format!("column `{h}` appears twice"));
        }
        cols.push(col);
    }
    for (need, name) in [
        (Col::Round, "round"),
        (Col::Party, "party"),
        (Col::Action, "action"),
    ] {
        if !cols.contains(&need) {
            return Err(format!("the header has no `{name}` column"));
        }
    }
    if cols.contains(&Col::Offer) && cols.iter().any(|c| matches!(c, Col::Issue(_))) {
        return Err(
            "give offers either in an `offer` column or in one column per issue, not both".into(),
        );
    }
    Ok(cols)
}

/// Reads a hand-written CSV record against `scenario` (format in `docs/inspect.md`): a header
/// with `round`, `party`, `action`, optionally `note`, and either an `offer` column of
/// `issue=value;issue=value` pairs or one column per issue. Blank lines and lines starting
/// with `#` are skipped. The deadline is the scenario's.
pub fn record_from_csv_str(
    text: &str,
    origin: &Path,
    scenario: &Scenario,
) -> Result<RecordedTrace> {
    let at = |line: usize, message: String| Place::At { line, column: 1 }.error(origin, message);
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let (hline, header) = lines
        .next()
        .ok_or_else(|| at(1, "the record is empty: expected a header line".into()))?;
    let cols = csv_fields(header)
        .and_then(|h| csv_columns(&h, scenario))
        .map_err(|m| at(hline, m))?;
    let rows: Vec<(usize, &str)> = lines.collect();
    if rows.is_empty() {
        return Err(at(hline, "the record has a header but no actions".into()));
    }
    let deadline = scenario.protocol.deadline;
    let mut reports = Vec::new();
    let mut actions = Vec::with_capacity(rows.len());
    for &(line, text) in &rows {
        match csv_report(text, &cols).map_err(|m| at(line, m))? {
            Some(row) => {
                reports.push(report_record(&row, scenario, deadline).map_err(|m| at(line, m))?)
            }
            None => actions.push((line, text)),
        }
    }
    let steps = actions
        .iter()
        .map(|&(line, text)| csv_step(text, line, &cols, scenario).map_err(|m| at(line, m)));
    let mut recorded = replay_record(scenario, origin, deadline, steps, TraceSource::Csv)?;
    reports.sort_by_key(ComplianceRecord::round);
    recorded.trace.compliance = reports;
    Ok(recorded)
}

/// The report of a row whose action is `report` (`party` reports, `about` and `claim` say
/// on whom and what, `obligation` names the obligation's issue); `None` for other rows.
fn csv_report(line: &str, cols: &[Col]) -> std::result::Result<Option<ReportRow>, String> {
    let fields = csv_fields(line)?;
    let field = |want: Col| {
        cols.iter()
            .zip(&fields)
            .find(|(c, _)| **c == want)
            .map(|(_, f)| f.clone())
            .filter(|f| !f.is_empty())
    };
    if !field(Col::Action).is_some_and(|a| a.eq_ignore_ascii_case("report")) {
        return Ok(None);
    }
    let need = |want: Col, name: &str| {
        field(want).ok_or_else(|| format!("a report needs a value in the `{name}` column"))
    };
    let round = need(Col::Round, "round")?;
    Ok(Some(ReportRow {
        round: round
            .parse()
            .map_err(|_| format!("round `{round}` is not a whole number"))?,
        by: need(Col::Party, "party")?,
        about: need(Col::About, "about")?,
        claim: need(Col::Claim, "claim")?,
        issue: field(Col::Obligation),
    }))
}

/// The `issue=value;issue=value` pairs of an `offer` column.
fn offer_pairs(field: &str) -> std::result::Result<Vec<(String, String)>, String> {
    field
        .split(';')
        .filter(|s| !s.trim().is_empty())
        .map(|item| {
            item.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| format!("`{}` in the offer is not written issue=value", item.trim()))
        })
        .collect()
}

/// One row of a CSV record as a step.
fn csv_step(
    line: &str,
    lineno: usize,
    cols: &[Col],
    scenario: &Scenario,
) -> std::result::Result<Step, String> {
    let fields = csv_fields(line)?;
    if fields.len() != cols.len() {
        return Err(format!(
            "{} fields, but the header has {} columns",
            fields.len(),
            cols.len()
        ));
    }
    let mut step = Step {
        place: Place::At {
            line: lineno,
            column: 1,
        },
        round: 0,
        party: String::new(),
        kind: ActionKind::Offer,
        offer: None,
        time: None,
        note: None,
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (col, f) in cols.iter().zip(&fields) {
        match col {
            Col::Round => {
                let r: i64 = f
                    .parse()
                    .map_err(|_| format!("round `{f}` is not a whole number"))?;
                step.round = record_round(r)?;
            }
            Col::Party => step.party = f.clone(),
            Col::Action => step.kind = parse_kind(f)?,
            Col::Note => step.note = (!f.is_empty()).then(|| f.clone()),
            Col::Offer => pairs.extend(offer_pairs(f)?),
            Col::Issue(i) if !f.is_empty() => {
                pairs.push((scenario.space.issues()[*i].name.clone(), f.clone()));
            }
            Col::Issue(_) | Col::About | Col::Claim | Col::Obligation => {}
        }
    }
    if pairs.is_empty() {
        if step.kind == ActionKind::Offer {
            return Err(format!(
                "{} makes an offer without giving its values",
                step.party
            ));
        }
    } else {
        step.offer = Some(pairs);
    }
    Ok(step)
}
