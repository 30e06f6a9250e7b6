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

/// Reads a trace file against `scenario`: a JSON trace when its first non-blank character is
/// `{`, a CSV record when its name ends in `.csv`, otherwise a TOML record.
pub fn load(path: &Path, scenario: &Scenario) -> Result<RecordedTrace> {
    let text = crate::json::read_text(path)?;
    if text.trim_start().starts_with('{') {
        let doc = TraceDoc::from_json_str(&text, path)?;
        replay(&doc, scenario, path)
    } else if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        record_from_csv_str(&text, path, scenario)
    } else {
        record_from_toml_str(&text, path, scenario)
    }
}
