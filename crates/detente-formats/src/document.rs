//! A JSON document of any kind detente writes about talks, told apart by its `format`: a
//! trace (`detente-trace/1`) or a sweep (`detente-sweep/1`, or an older sweep without a
//! `format` but with `parameter` or `axes`, and `points`).

use std::path::Path;

use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::error::{FormatError, Result};
use crate::json;
use crate::sweep_json::SweepDoc;
use crate::trace::TraceDoc;

/// A document, read and recognised.
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    /// One negotiation.
    Trace(Box<TraceDoc>),
    /// A parameter sweep.
    Sweep(Box<SweepDoc>),
}

/// The keys that tell the kinds apart.
#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    format: Option<serde_json::Value>,
    parameter: Option<IgnoredAny>,
    axes: Option<IgnoredAny>,
    points: Option<IgnoredAny>,
}

/// Reads a JSON trace or sweep from `path`, recognised by its `format` (see the module).
pub fn read_document(path: &Path) -> Result<Document> {
    let text = json::read_text(path)?;
    let head = match serde_json::from_str::<Head>(&text) {
        Ok(head) => Some(head),
        Err(e) if json::is_syntax(&e) => {
            return Err(FormatError::At {
                path: path.to_path_buf(),
                line: e.line(),
                column: e.column(),
                message: format!(
                    "not valid JSON ({}); expected a detente trace, a sweep result, or a \
                     tournament output folder",
                    json::bare_message(&e)
                ),
            });
        }
        // Not an object, or an object with odd keys: not a document of ours.
        Err(_) => None,
    };
    let format = match head.as_ref().and_then(|h| h.format.as_ref()) {
        Some(serde_json::Value::String(f)) => f.as_str(),
        _ => "",
    };
    if format.starts_with("detente-trace/") {
        return Ok(Document::Trace(Box::new(TraceDoc::from_json_str(
            &text, path,
        )?)));
    }
    let sweep_shaped = head
        .as_ref()
        .is_some_and(|h| (h.parameter.is_some() || h.axes.is_some()) && h.points.is_some());
    if format.starts_with("detente-sweep/") || sweep_shaped {
        return Ok(Document::Sweep(Box::new(SweepDoc::from_json_str(
            &text, path,
        )?)));
    }
    Err(FormatError::Unrecognised {
        path: path.to_path_buf(),
        message: if format.is_empty() {
            "not a detente trace or sweep result (no `format` field); expected a trace from \
             `detente run --format json`, a sweep result, or a tournament output folder"
                .into()
        } else {
            format!("format `{format}` is neither a detente trace nor a sweep result")
        },
    })
}
