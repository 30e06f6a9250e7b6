//! The scenario table (`scenarios.csv`): every scenario of a plan and its parties in role
//! order, so that the results' per-role columns can be read as parties.

use std::path::Path;

use crate::error::{FormatError, Result};
use crate::tournament::cells::{push_record, read_text_cell, text_cell};

/// The header of `scenarios.csv`.
pub const SCENARIOS_HEADER: [&str; 8] = [
    "scenario",
    "source",
    "rounds",
    "outcomes",
    "role",
    "party",
    "reservation",
    "discount",
];

/// One role of one scenario: a row of `scenarios.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioRow {
    /// Scenario name.
    pub scenario: String,
    /// Where it came from, as the plan names it.
    pub source: String,
    /// Its deadline in the tournament.
    pub rounds: u32,
    /// Number of outcomes, as `OutcomeSpace::count_display` writes it.
    pub outcomes: String,
    /// The role (party index), from 0.
    pub role: usize,
    /// The party's name.
    pub party: String,
    /// The party's reservation value.
    pub reservation: f64,
    /// The party's discount factor.
    pub discount: f64,
}

/// The table as CSV, header included.
pub fn scenarios_csv(rows: &[ScenarioRow]) -> String {
    let mut s = String::new();
    push_record(&mut s, &SCENARIOS_HEADER);
    for r in rows {
        push_record(
            &mut s,
            &[
                text_cell(&r.scenario).into_owned(),
                text_cell(&r.source).into_owned(),
                r.rounds.to_string(),
                text_cell(&r.outcomes).into_owned(),
                r.role.to_string(),
                text_cell(&r.party).into_owned(),
                r.reservation.to_string(),
                r.discount.to_string(),
            ],
        );
    }
    s
}

/// Parses `scenarios.csv`; `path` names the file in errors.
pub fn parse_scenarios_csv(text: &str, path: &Path) -> Result<Vec<ScenarioRow>> {
    let at = |line: usize, message: String| FormatError::At {
        path: path.to_path_buf(),
        line,
        column: 1,
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| at(1, format!("unreadable header: {e}")))?;
    if header.iter().ne(SCENARIOS_HEADER) {
        return Err(at(
            1,
            format!(
                "not a detente scenario table: expected the header `{}`",
                SCENARIOS_HEADER.join(",")
            ),
        ));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            at(line, e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        rows.push(scenario_row(&record).map_err(|m| at(line, m))?);
    }
    Ok(rows)
}

fn scenario_row(r: &csv::StringRecord) -> std::result::Result<ScenarioRow, String> {
    let cell = |i: usize| r.get(i).unwrap_or("");
    let text = |i: usize| read_text_cell(cell(i)).to_string();
    fn num<T: std::str::FromStr>(v: &str, column: &str) -> std::result::Result<T, String> {
        v.parse()
            .map_err(|_| format!("column `{column}`: `{v}` is not a valid number"))
    }
    Ok(ScenarioRow {
        scenario: text(0),
        source: text(1),
        rounds: num(cell(2), "rounds")?,
        outcomes: text(3),
        role: num(cell(4), "role")?,
        party: text(5),
        reservation: num(cell(6), "reservation")?,
        discount: num(cell(7), "discount")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_back_to_the_same_bytes() {
        let rows = vec![
            ScenarioRow {
                scenario: "pie".into(),
                source: "a, \"b\"/pie.toml".into(),
                rounds: 20,
                outcomes: "11".into(),
                role: 0,
                party: "Alice".into(),
                reservation: 0.1 + 0.2,
                discount: 1.0,
            },
            ScenarioRow {
                scenario: "pie".into(),
                source: "pie.toml".into(),
                rounds: 20,
                outcomes: "11".into(),
                role: 1,
                party: "Bob".into(),
                reservation: 1e-7,
                discount: 0.95,
            },
        ];
        let text = scenarios_csv(&rows);
        assert!(text.starts_with(
            "scenario,source,rounds,outcomes,role,party,reservation,discount\n\
             pie,\"a, \"\"b\"\"/pie.toml\",20,11,0,Alice,0.30000000000000004,1\n"
        ));
        let back = parse_scenarios_csv(&text, Path::new("s.csv")).unwrap();
        assert_eq!(back, rows);
        assert_eq!(scenarios_csv(&back), text);
        let e = parse_scenarios_csv("a,b\n", Path::new("s.csv"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("s.csv:1:1: not a detente scenario table"),
            "{e}"
        );
    }
}
