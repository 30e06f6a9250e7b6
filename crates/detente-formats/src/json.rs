//! What every JSON document shares: reading with serde, with errors that name the file, the
//! line and column and the JSON path of a bad field (`$.actions[3].time`); writing
//! pretty-printed with the keys of every object in alphabetical order.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::error::Category;
use serde_path_to_error::Segment;

use crate::error::{FormatError, Result};

/// The text of a file, without a byte-order mark (read by [`crate::input::read_text`]).
pub(crate) fn read_text(path: &Path) -> Result<String> {
    crate::input::read_text(path)
}

/// Reads a document from JSON text; `origin` names the file in errors.
pub(crate) fn from_str<T: DeserializeOwned>(text: &str, origin: &Path) -> Result<T> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    // serde would read an array into a struct field by field; a document is an object.
    if let Some(at) = text.find(|c: char| !c.is_whitespace())
        && text[at..].starts_with('[')
    {
        let (line, column) = crate::error::line_column(text, at);
        return Err(FormatError::At {
            path: origin.to_path_buf(),
            line,
            column,
            message: "$: expected a JSON object, not an array".into(),
        });
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let doc = serde_path_to_error::deserialize(&mut de).map_err(|e| located(&e, origin))?;
    de.end().map_err(|e| syntax_error(&e, origin))?;
    Ok(doc)
}

/// A JSON syntax error at its line and column.
fn syntax_error(e: &serde_json::Error, origin: &Path) -> FormatError {
    FormatError::At {
        path: origin.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: format!("not valid JSON: {}", bare_message(e)),
    }
}

/// Whether an error of [`from_str`] is about the syntax of the text (as opposed to its data).
pub(crate) fn is_syntax(e: &serde_json::Error) -> bool {
    matches!(e.classify(), Category::Syntax | Category::Eof)
}

fn located(e: &serde_path_to_error::Error<serde_json::Error>, origin: &Path) -> FormatError {
    let inner = e.inner();
    if is_syntax(inner) {
        return syntax_error(inner, origin);
    }
    let (at, message) = path_and_message(e.path(), &bare_message(inner));
    FormatError::At {
        path: origin.to_path_buf(),
        line: inner.line(),
        column: inner.column(),
        // A whole-document check (a conversion after reading) names its own place.
        message: if at == "$" && message.starts_with('$') {
            message
        } else {
            format!("{at}: {message}")
        },
    }
}

/// serde_json's message without its ` at line L column C` tail (the error says where).
pub(crate) fn bare_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let tail = format!(" at line {} column {}", e.line(), e.column());
    text.strip_suffix(&tail).unwrap_or(&text).to_string()
}

/// The JSON path of an error and its message; a missing field is named in the path.
fn path_and_message(path: &serde_path_to_error::Path, message: &str) -> (String, String) {
    let mut at = json_path(path);
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.strip_suffix('`'))
    {
        let _ = write!(at, ".{field}");
        return (at, "missing".into());
    }
    (at, message.to_string())
}

/// A serde path written as a JSON path: `$.actions[3].time`.
fn json_path(path: &serde_path_to_error::Path) -> String {
    let mut at = String::from("$");
    for segment in path.iter() {
        let _ = match segment {
            Segment::Seq { index } => write!(at, "[{index}]"),
            Segment::Map { key } | Segment::Enum { variant: key } => write!(at, ".{key}"),
            Segment::Unknown => write!(at, ".?"),
        };
    }
    at
}

/// A document as pretty-printed JSON, without a final newline. It goes through
/// `serde_json::Value`, whose objects hold their keys in alphabetical order: the order detente
/// has always written its documents in, whatever the order of the fields in the Rust types.
pub(crate) fn to_pretty<T: Serialize>(doc: &T) -> String {
    let value = serde_json::to_value(doc).expect("documents have string keys only");
    serde_json::to_string_pretty(&value).expect("a JSON value always prints")
}
