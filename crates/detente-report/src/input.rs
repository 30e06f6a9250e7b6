//! What `detente report` and `detente plot` read: a JSON trace, a tournament output folder
//! or a JSON sweep result, told apart by their contents. A tournament output folder is read
//! by `detente_tournament::read_output` and made into [`TournamentData`] by the caller.

use std::path::Path;

use serde_json::Value as Json;

use crate::error::{ReportError, Result};
use crate::plot::sweep::SweepData;
use crate::plot::tournament::TournamentData;
use crate::trace_view::TraceView;

/// An input, read and recognised.
#[derive(Debug, Clone)]
pub enum Input {
    /// One negotiation.
    Trace(Box<TraceView>),
    /// A tournament output folder.
    Tournament(Box<TournamentData>),
    /// A parameter sweep.
    Sweep(Box<SweepData>),
}

/// Reads the file `path`, which must be JSON holding a trace (`"format": "detente-trace/1"`) or
/// a sweep (`"format": "detente-sweep/1"`, or a `parameter` and `points`).
pub fn read_input(path: &Path) -> Result<Input> {
    let text = std::fs::read_to_string(path).map_err(|source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let doc: Json = serde_json::from_str(&text).map_err(|e| ReportError::File {
        path: path.to_path_buf(),
        message: format!(
            "line {} column {}: not valid JSON ({e}); expected a detente trace, a sweep result, or a tournament output folder",
            e.line(),
            e.column()
        ),
    })?;
    let located = |e: ReportError| match e {
        ReportError::Input { at, message } => ReportError::File {
            path: path.to_path_buf(),
            message: format!("{at}: {message}"),
        },
        other => other,
    };
    let format = doc.get("format").and_then(Json::as_str).unwrap_or("");
    if format.starts_with("detente-trace/") {
        return Ok(Input::Trace(Box::new(
            TraceView::from_json(&doc).map_err(located)?,
        )));
    }
    if format.starts_with("detente-sweep/")
        || ((doc.get("parameter").is_some() || doc.get("axes").is_some())
            && doc.get("points").is_some())
    {
        return Ok(Input::Sweep(Box::new(
            SweepData::from_json(&doc).map_err(located)?,
        )));
    }
    Err(ReportError::File {
        path: path.to_path_buf(),
        message: if format.is_empty() {
            "not a detente trace or sweep result (no `format` field); expected a trace from `detente run --format json`, a sweep result, or a tournament output folder".into()
        } else {
            format!("format `{format}` is neither a detente trace nor a sweep result")
        },
    })
}
