//! The text form of a spec, read and written:
//!
//! ```text
//! SPEC      = KIND [ ":" ITEMS ]          boulware, time-based:e=0.5
//! ITEMS     = ITEM { "," ITEM }
//! ITEM      = NAME "=" VALUE
//! VALUE     = NUMBER | COMPONENT          e=0.5, model=smith-frequency
//! COMPONENT = KIND [ "(" [ ITEMS ] ")" ]  offer=time-dependent(e=0.2,k=0)
//! ```
//!
//! A value that reads as a number is a number; any other value is a component (a kind of the
//! registry the parameter names, with its own parameters in parentheses). Commas inside
//! parentheses belong to the component. Spaces around the parts are ignored. A whole spec may
//! also be written in the component form (`boa(offer=...)`).

use std::fmt;

use super::Spec;
use super::entry::valid_name;
use super::error::SpecError;

/// Writes the spec syntax `KIND[:NAME=VALUE[,NAME=VALUE]...]` (components as
/// `NAME=KIND(NAME=VALUE,...)`) that [`super::Registry::parse_spec`] reads back.
impl fmt::Display for Spec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.kind)?;
        write_items(self, f, ':', "")
    }
}

/// Writes the parameters of `spec` in name order, numbers and components alike, after `open`
/// (nothing when there are none) and before `close`.
fn write_items(spec: &Spec, f: &mut fmt::Formatter<'_>, open: char, close: &str) -> fmt::Result {
    let mut numbers = spec.params.iter().peekable();
    let mut components = spec.components.iter().peekable();
    let mut first = true;
    loop {
        let take_number = match (numbers.peek(), components.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some((a, _)), Some((b, _))) => a <= b,
        };
        f.write_str(if first { "" } else { "," })?;
        if first {
            write!(f, "{open}")?;
            first = false;
        }
        if take_number {
            let (k, v) = numbers.next().expect("peeked");
            write!(f, "{k}={v}")?;
        } else {
            let (k, c) = components.next().expect("peeked");
            write!(f, "{k}={}", c.kind)?;
            if !c.params.is_empty() || !c.components.is_empty() {
                write_items(c, f, '(', ")")?;
            }
        }
    }
    if !first {
        f.write_str(close)?;
    }
    Ok(())
}

/// What a parse is about, for its messages.
#[derive(Clone, Copy)]
pub(super) struct Context<'a> {
    pub(super) noun: &'static str,
    pub(super) example: &'a str,
    /// The whole text being read.
    pub(super) text: &'a str,
}

impl Context<'_> {
    fn malformed(&self, problem: &'static str) -> SpecError {
        SpecError::Malformed {
            noun: self.noun,
            text: self.text.to_string(),
            problem,
            example: self.example.to_string(),
        }
    }
}

/// Reads a whole spec: `KIND`, `KIND:ITEMS` or `KIND(ITEMS)`.
pub(super) fn parse_spec_text(cx: Context<'_>) -> Result<Spec, SpecError> {
    let text = cx.text;
    let colon = text.find(':');
    let paren = text.find('(');
    match (colon, paren) {
        (Some(c), p) if p.is_none_or(|p| c < p) => {
            let kind = text[..c].trim();
            if kind.is_empty() {
                return Err(cx.malformed("the kind is missing"));
            }
            let mut spec = Spec::new(kind);
            parse_items(cx, &mut spec, &text[c + 1..])?;
            Ok(spec)
        }
        _ => parse_component(cx, text),
    }
}

/// Reads `KIND` or `KIND(ITEMS)`.
fn parse_component(cx: Context<'_>, text: &str) -> Result<Spec, SpecError> {
    let text = text.trim();
    let (kind, items) = match text.find('(') {
        Some(open) => {
            let Some(inner) = text[open + 1..].strip_suffix(')') else {
                return Err(cx.malformed("its parentheses do not match"));
            };
            (text[..open].trim(), Some(inner))
        }
        None => (text, None),
    };
    if kind.is_empty() {
        return Err(cx.malformed("the kind is missing"));
    }
    let mut spec = Spec::new(kind);
    if let Some(items) = items
        && !items.trim().is_empty()
    {
        parse_items(cx, &mut spec, items)?;
    }
    Ok(spec)
}

/// Reads `NAME=VALUE[,NAME=VALUE]...` into `spec`.
fn parse_items(cx: Context<'_>, spec: &mut Spec, items: &str) -> Result<(), SpecError> {
    for item in split_top(items).ok_or_else(|| cx.malformed("its parentheses do not match"))? {
        let Some((name, value)) = item.split_once('=') else {
            return Err(cx.malformed("a parameter is not written NAME=VALUE"));
        };
        let (name, value) = (name.trim(), value.trim());
        if name.is_empty() {
            return Err(cx.malformed("a parameter name is missing"));
        }
        let taken = spec.params.contains_key(name) || spec.components.contains_key(name);
        if taken {
            return Err(SpecError::Duplicate {
                noun: cx.noun,
                kind: spec.kind.clone(),
                param: name.to_string(),
            });
        }
        if let Ok(x) = value.parse::<f64>() {
            spec.params.insert(name.to_string(), x);
        } else if looks_like_component(value) {
            let component = parse_component(cx, value)?;
            spec.components.insert(name.to_string(), component);
        } else {
            return Err(SpecError::NotANumber {
                noun: cx.noun,
                kind: spec.kind.clone(),
                param: name.to_string(),
                value: value.to_string(),
            });
        }
    }
    Ok(())
}

/// Whether a value has the shape of a component: a kind name, optionally followed by
/// parenthesised parameters.
fn looks_like_component(value: &str) -> bool {
    let kind = value.split_once('(').map_or(value, |(k, _)| k).trim();
    valid_name(kind) && (!value.contains('(') || value.ends_with(')'))
}

/// Splits at the commas outside parentheses; `None` when the parentheses do not match.
fn split_top(text: &str) -> Option<Vec<&str>> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.checked_sub(1)?,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    (depth == 0).then(|| {
        parts.push(&text[start..]);
        parts
    })
}
