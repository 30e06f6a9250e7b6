//! Traces: the JSON trace as one typed document ([`TraceDoc`], `docs/trace-format.md`),
//! written from a negotiation ([`trace_doc`]) and read back ([`TraceDoc::from_json_str`]);
//! hand-written records of real talks in CSV or TOML (`docs/inspect.md`); and the replay that
//! checks a trace against its scenario and rebuilds the engine's [`detente_core::Trace`]
//! ([`replay`], [`load`]).

mod check;
mod compliance;
mod doc;
mod events;
mod read_json;
mod read_record;
mod read_reports;
mod replay;
mod stream;
mod write;

#[cfg(test)]
mod tests;

use std::path::Path;

use detente_core::Scenario;

pub use compliance::{ActDoc, ComplianceDoc, compliance_docs, compliance_records};
pub use doc::{
    ActionDoc, CauseDoc, EffectDoc, EventDoc, IssueValue, OpponentModelDoc, OutcomeDoc, PartyDoc,
    PerParty, ProtocolDoc, ResultDoc, TRACE_FORMAT, TerminationKind, TraceDoc,
};
pub use events::{event_doc, fired_event};
pub use read_record::{record_from_csv_str, record_from_toml_str};
pub use replay::{RecordedTrace, TraceSource, replay};
pub use stream::TraceStream;
pub use write::{action_doc, outcome_doc, per_party, protocol_doc, trace_doc};

use crate::error::Result;

/// Reads a trace file against `scenario`, telling its kind from its contents ([`sniff`]): a
/// JSON trace, a CSV record or a TOML record.
pub fn load(path: &Path, scenario: &Scenario) -> Result<RecordedTrace> {
    let text = crate::json::read_text(path)?;
    match sniff(&text, path) {
        Kind::Json => {
            let doc = TraceDoc::from_json_str(&text, path)?;
            replay(&doc, scenario, path)
        }
        Kind::Csv => record_from_csv_str(&text, path, scenario),
        Kind::Toml => record_from_toml_str(&text, path, scenario),
    }
}

/// What a trace file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Json,
    Csv,
    Toml,
}

/// Tells a trace file's kind from its text: JSON when it starts with `{`, or with `[` and
/// parses as JSON (a JSON array is then refused as such, not read as TOML); otherwise the
/// first line that is not blank or a `#` comment decides: a `[table]` header or a
/// `key = value` line is TOML, a line of comma-separated fields CSV. A file that says neither
/// goes by its extension (`.csv`, else TOML).
fn sniff(text: &str, path: &Path) -> Kind {
    let body = text.trim_start();
    if body.starts_with('{')
        || (body.starts_with('[') && serde_json::from_str::<serde_json::Value>(body).is_ok())
    {
        return Kind::Json;
    }
    let first = body
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'));
    if let Some(line) = first {
        let before_comma = line.split(',').next().unwrap_or(line);
        if line.starts_with('[') || before_comma.contains('=') {
            return Kind::Toml;
        }
        if line.contains(',') {
            return Kind::Csv;
        }
    }
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        Kind::Csv
    } else {
        Kind::Toml
    }
}

#[cfg(test)]
mod sniff_tests {
    use super::*;

    #[test]
    fn the_contents_decide() {
        let p = Path::new("talks.toml");
        assert_eq!(sniff("[1, 2, 3]\n", p), Kind::Json);
        assert_eq!(sniff("  {\"format\": 1}", p), Kind::Json);
        assert_eq!(
            sniff("# talks\nround,party,action\n1,A,propose\n", p),
            Kind::Csv
        );
        assert_eq!(
            sniff("[talks]\nname = \"x\"\n", Path::new("a.csv")),
            Kind::Toml
        );
        assert_eq!(sniff("deadline = 3\n", Path::new("a.csv")), Kind::Toml);
        assert_eq!(sniff("", Path::new("a.csv")), Kind::Csv);
        assert_eq!(sniff("", p), Kind::Toml);
    }
}
