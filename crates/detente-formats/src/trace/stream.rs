//! Writing a JSON trace as the negotiation goes: the actions one by one, then the rest of the
//! document once the talks are over, so that memory does not grow with the number of rounds.
//!
//! The bytes are exactly those of [`TraceDoc::to_json`]: the document's keys are written in
//! alphabetical order and `actions` comes first, so the actions can be written before anything
//! that is only known at the end (the deadline as it stood, the events, the result). Each
//! action is pretty-printed on its own, straight from a view of it whose fields are declared
//! in alphabetical order (no `serde_json::Value` in between: a 1,000-party action has 1,000
//! utilities), and indented to its place in the array (JSON strings hold no raw line breaks,
//! so indenting line by line is exact).

use std::io::{self, Write};

use detente_core::{ActionKind, Scenario, TraceEntry};
use serde::Serialize;

use super::doc::{ActionDoc, ActionKindName, OutcomeDoc, PerParty, TraceDoc};
use super::write::action_doc;

/// An action as the trace writes it: [`ActionDoc`]'s fields in alphabetical order, the order
/// `TraceDoc::to_json` puts them in.
#[derive(Serialize)]
struct ActionOut<'a> {
    #[serde(with = "ActionKindName")]
    action: ActionKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    offer: &'a Option<OutcomeDoc>,
    party: &'a str,
    round: u32,
    time: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    utilities: &'a Option<PerParty>,
}

impl<'a> From<&'a ActionDoc> for ActionOut<'a> {
    fn from(a: &'a ActionDoc) -> Self {
        ActionOut {
            action: a.action,
            offer: &a.offer,
            party: &a.party,
            round: a.round,
            time: a.time,
            utilities: &a.utilities,
        }
    }
}

/// How the document written by [`TraceDoc::to_json`] starts when it has no action.
const EMPTY_HEAD: &str = "{\n  \"actions\": []";

/// A JSON trace being written to `out`: [`TraceStream::action`] for each action as it
/// happens, then [`TraceStream::finish`] with the rest of the document.
#[derive(Debug)]
pub struct TraceStream<W: Write> {
    out: W,
    parties: Vec<String>,
    actions: u64,
}

impl<W: Write> TraceStream<W> {
    /// Starts the document of a negotiation on `scenario` (whose party names the actions
    /// use).
    pub fn new(out: W, scenario: &Scenario) -> Self {
        TraceStream {
            out,
            parties: scenario.parties.iter().map(|p| p.name.clone()).collect(),
            actions: 0,
        }
    }

    /// Writes one action of a negotiation on `scenario`.
    pub fn action(&mut self, scenario: &Scenario, entry: &TraceEntry) -> io::Result<()> {
        let doc = action_doc(scenario, &self.parties, entry);
        let text = serde_json::to_vec_pretty(&ActionOut::from(&doc)).map_err(io::Error::other)?;
        let lead = if self.actions == 0 {
            "{\n  \"actions\": [\n"
        } else {
            ",\n"
        };
        self.out.write_all(lead.as_bytes())?;
        for (k, line) in text.split(|&b| b == b'\n').enumerate() {
            if k > 0 {
                self.out.write_all(b"\n")?;
            }
            self.out.write_all(b"    ")?;
            self.out.write_all(line)?;
        }
        self.actions += 1;
        Ok(())
    }

    /// Writes the rest of the document, `doc` (whose `actions` are left out: they were
    /// written already), then a newline; returns the writer.
    pub fn finish(mut self, doc: &TraceDoc) -> io::Result<W> {
        // Everything but the actions (which a report's document holds, and which may be many).
        let rest = TraceDoc {
            compliance: doc.compliance.clone(),
            format: doc.format.clone(),
            scenario: doc.scenario.clone(),
            issues: doc.issues.clone(),
            parties: doc.parties.clone(),
            protocol: doc.protocol.clone(),
            seed: doc.seed,
            deadline: doc.deadline,
            actions: Vec::new(),
            events: doc.events.clone(),
            result: doc.result.clone(),
            analysis: doc.analysis.clone(),
            ensemble: doc.ensemble.clone(),
        };
        let text = rest.to_json();
        let tail = text
            .strip_prefix(EMPTY_HEAD)
            .expect("`actions` is the first key of a trace document");
        if self.actions == 0 {
            self.out.write_all(EMPTY_HEAD.as_bytes())?;
        } else {
            self.out.write_all(b"\n  ]")?;
        }
        self.out.write_all(tail.as_bytes())?;
        self.out.write_all(b"\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}
