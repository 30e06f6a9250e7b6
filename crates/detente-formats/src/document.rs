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

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &str, text: &str) -> Result<Document> {
        let dir = detente_testkit::TempDir::new("document");
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        read_document(&path)
    }

    fn err(name: &str, text: &str) -> String {
        read(name, text).unwrap_err().to_string()
    }

    #[test]
    fn traces_and_sweeps_are_told_apart_by_their_format() {
        let trace = r#"{"format": "detente-trace/1", "scenario": "s", "issues": ["x"],
            "parties": [{"name": "A", "reservation": 0.0}, {"name": "B", "reservation": 0.0}],
            "deadline": 3, "actions": [],
            "result": {"termination": "deadline", "rounds": 3, "time": 1.0,
                       "utilities": {"A": 0.0, "B": 0.0}}}"#;
        assert!(matches!(read("t.json", trace), Ok(Document::Trace(_))));
        let sweep = r#"{"format": "detente-sweep/1", "axes": [{"param": "e", "values": [1]}],
            "points": [{"values": {"e": 1}}]}"#;
        assert!(matches!(read("s.json", sweep), Ok(Document::Sweep(_))));
        // Older sweeps have no format.
        let old = r#"{"parameter": "e", "points": [{"value": 1}]}"#;
        assert!(matches!(read("o.json", old), Ok(Document::Sweep(_))));
    }

    #[test]
    fn other_files_are_refused_with_the_reason() {
        let e = err("a.json", "not json");
        assert!(e.ends_with("a.json:1:2: not valid JSON (expected ident); expected a detente trace, a sweep result, or a tournament output folder"), "{e}");
        let e = err("b.json", r#"{"format": 1}"#);
        assert!(e.ends_with("b.json: not a detente trace or sweep result (no `format` field); expected a trace from `detente run --format json`, a sweep result, or a tournament output folder"), "{e}");
        let e = err("c.json", "[1]");
        assert!(
            e.contains("c.json: not a detente trace or sweep result"),
            "{e}"
        );
        let e = err("d.json", r#"{"format": "x/1"}"#);
        assert!(
            e.ends_with("d.json: format `x/1` is neither a detente trace nor a sweep result"),
            "{e}"
        );
        let e = err(
            "e.json",
            r#"{"format": "detente-trace/1", "scenario": "s"}"#,
        );
        assert!(e.contains("e.json:1:"), "{e}");
        assert!(e.ends_with("$.issues: missing"), "{e}");
        let e = err("f.json", r#"{"format": "detente-trace/2"}"#);
        assert!(e.ends_with("f.json: $.format: unsupported trace format `detente-trace/2`; this build reads `detente-trace/1`"), "{e}");
    }
}
