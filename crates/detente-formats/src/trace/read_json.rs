//! Reading a JSON trace into a [`TraceDoc`], and writing one back.

use std::path::Path;

use serde::Deserialize;

use super::doc::{TRACE_FORMAT, TraceDoc};
use crate::error::{FormatError, Result};
use crate::json;

/// The `format` of a JSON document, read before the rest so that a document of another kind
/// is named as such rather than for its first missing field.
#[derive(Deserialize)]
#[serde(expecting = "a JSON object")]
struct Head {
    #[serde(default)]
    format: Option<serde_json::Value>,
}

impl TraceDoc {
    /// Reads a JSON trace from `text` (`origin` names the file in errors) and checks that it
    /// holds together ([`TraceDoc::check`]). Errors name the line and column, and the JSON
    /// path of a bad field (`$.actions[3].time: missing`).
    pub fn from_json_str(text: &str, origin: &Path) -> Result<Self> {
        let head: Head = json::from_str(text, origin)?;
        let place = |message: String| FormatError::In {
            path: origin.to_path_buf(),
            location: "$.format".into(),
            message,
        };
        match head.format {
            Some(serde_json::Value::String(f)) if f == TRACE_FORMAT => {}
            Some(serde_json::Value::String(other)) => {
                return Err(place(format!(
                    "unsupported trace format `{other}`; this build reads `{TRACE_FORMAT}`"
                )));
            }
            _ => {
                return Err(place(format!(
                    "missing: not a detente trace (expected \"format\": \"{TRACE_FORMAT}\")"
                )));
            }
        }
        let doc: TraceDoc = json::from_str(text, origin)?;
        doc.check().map_err(|e| e.in_file(origin))?;
        Ok(doc)
    }

    /// Reads a JSON trace file (see [`TraceDoc::from_json_str`]).
    pub fn read(path: &Path) -> Result<Self> {
        Self::from_json_str(&json::read_text(path)?, path)
    }

    /// The document as pretty-printed JSON (keys in alphabetical order, no final newline), as
    /// `detente run --format json` prints it.
    pub fn to_json(&self) -> String {
        json::to_pretty(self)
    }
}
