//! Reading GENIUS domain and utility-space files into detente's types, with GENIUS 10.4's
//! exact semantics (see the module documentation of [`crate::genius`]): the domain
//! ([`domain`]), additive profiles ([`additive`]) and ANAC 2014 non-linear ones
//! ([`nonlinear`]). This module holds what they share: locations, Java's number syntax,
//! attributes, issue kinds, and the reservation value and discount factor of a profile.

mod additive;
mod domain;
mod nonlinear;

use std::path::Path;

use detente_core::IssueKind;

use super::dom::{Element, Outline};
use crate::{Diagnostic, FormatError, LineIndex, Result};

pub(crate) use additive::read_additive;
pub(crate) use domain::{Domain, read_domain};
pub(crate) use nonlinear::read_nonlinear;

/// Where errors and diagnostics of one file go.
pub(crate) struct Ctx<'a> {
    pub path: &'a Path,
    /// Lines of the file's text, for the line and column of every message.
    lines: LineIndex<'a>,
}

impl<'a> Ctx<'a> {
    /// The context of the file at `path` holding `text`.
    pub fn new(path: &'a Path, text: &'a str) -> Self {
        Ctx {
            path,
            lines: LineIndex::new(text),
        }
    }

    pub fn err(&self, offset: usize, location: &str, message: impl Into<String>) -> FormatError {
        let (line, column) = self.lines.line_column(offset);
        FormatError::At {
            path: self.path.to_path_buf(),
            line,
            column,
            message: format!("{location}: {}", message.into()),
        }
    }

    pub fn diag(&self, offset: usize, location: &str, message: impl Into<String>) -> Diagnostic {
        let (line, column) = self.lines.line_column(offset);
        Diagnostic {
            path: self.path.to_path_buf(),
            location: format!("line {line}, column {column}: {location}"),
            message: message.into(),
        }
    }
}

/// Parses a number the way Java's `Double.valueOf` does for the forms found in GENIUS files
/// (surrounding whitespace allowed, an `f`/`d` suffix allowed); only finite values.
fn java_double(s: &str) -> Option<f64> {
    let t = s.trim();
    let t = t.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(t);
    if t.is_empty()
        || t.chars()
            .any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Parses a Java `int` (as `Integer.valueOf`, but tolerating surrounding whitespace).
fn java_int(s: &str) -> Option<i32> {
    s.trim().parse::<i32>().ok()
}

fn attr_number(ctx: &Ctx<'_>, el: &Element, attr: &str, location: &str) -> Result<f64> {
    match el.attr(attr) {
        None => Err(ctx.err(
            el.offset,
            location,
            format!("<{}> has no `{attr}` attribute", el.name),
        )),
        Some(s) => java_double(s).ok_or_else(|| {
            ctx.err(
                el.offset,
                location,
                format!("`{attr}` is \"{s}\", which is not a finite number"),
            )
        }),
    }
}

fn attr_int(ctx: &Ctx<'_>, el: &Element, attr: &str, location: &str) -> Result<i32> {
    match el.attr(attr) {
        None => Err(ctx.err(
            el.offset,
            location,
            format!("<{}> has no `{attr}` attribute", el.name),
        )),
        Some(s) => java_int(s).ok_or_else(|| {
            ctx.err(
                el.offset,
                location,
                format!("`{attr}` is \"{s}\", which is not a whole number that fits in 32 bits"),
            )
        }),
    }
}

/// The kinds GENIUS's `type` attribute can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Discrete,
    Integer,
    Real,
    Objective,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "discrete" => Some(Kind::Discrete),
            "integer" => Some(Kind::Integer),
            "real" => Some(Kind::Real),
            "objective" => Some(Kind::Objective),
            _ => None,
        }
    }

    fn of(kind: &IssueKind) -> Kind {
        match kind {
            IssueKind::Discrete { .. } => Kind::Discrete,
            IssueKind::Integer { .. } => Kind::Integer,
            IssueKind::Real { .. } => Kind::Real,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Discrete => "discrete",
            Kind::Integer => "integer",
            Kind::Real => "real",
            Kind::Objective => "objective",
        }
    }
}

/// How messages name an issue: `issue "NAME" (index N)`.
fn issue_location(name: &str, index: i32) -> String {
    format!("issue \"{name}\" (index {index})")
}

/// The kind named by `type` (discrete when absent), with a diagnostic when `other` (vtype in
/// domains, etype in profiles) disagrees.
fn issue_kind(
    ctx: &Ctx<'_>,
    el: &Element,
    loc: &str,
    other: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<Kind> {
    match el.attr("type") {
        None => Ok(Kind::Discrete),
        Some(t) => {
            let kind = Kind::parse(t).ok_or_else(|| {
                ctx.err(
                    el.offset,
                    loc,
                    format!("type \"{t}\" is not one of discrete, integer, real"),
                )
            })?;
            if let Some(o) = el.attr(other)
                && !o.eq_ignore_ascii_case(t)
            {
                diags.push(ctx.diag(
                    el.offset,
                    loc,
                    format!(
                        "type=\"{t}\" but {other}=\"{o}\"; GENIUS uses `type`, and so does detente"
                    ),
                ));
            }
            Ok(kind)
        }
    }
}

/// What a profile file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    Domain,
    Additive,
    Nonlinear,
}

/// Tells a domain from a profile by content (the file's [`Outline`]).
pub(crate) fn classify(ctx: &Ctx<'_>, outline: &Outline) -> Result<FileKind> {
    match outline.root.as_str() {
        "negotiation_template" => Ok(FileKind::Domain),
        "utility_space" => {
            if outline
                .root_type
                .as_deref()
                .is_some_and(|t| t.eq_ignore_ascii_case("nonlinear"))
            {
                return Ok(FileKind::Nonlinear);
            }
            if outline.profile_element {
                Ok(FileKind::Additive)
            } else if outline.objective_child {
                Ok(FileKind::Domain)
            } else {
                Err(ctx.err(outline.offset, "<utility_space>", "neither a domain (no <objective>) nor a profile (no <weight>)"))
            }
        }
        other => Err(ctx.err(
            outline.offset,
            &format!("<{other}>"),
            "the root element is neither <negotiation_template> (a GENIUS domain) nor <utility_space> (a GENIUS profile)",
        )),
    }
}

/// Reservation value and discount factor of a profile, as GENIUS reads them.
pub(crate) fn read_rv_df(
    ctx: &Ctx<'_>,
    root: &Element,
    diags: &mut Vec<Diagnostic>,
) -> Result<(f64, f64)> {
    let reservation = match root.child("reservation") {
        None => {
            diags.push(ctx.diag(
                root.offset,
                "<utility_space>",
                "no <reservation>; GENIUS then uses reservation value 0",
            ));
            0.0
        }
        Some(r) => match r.attr("value") {
            None => {
                diags.push(ctx.diag(
                    r.offset,
                    "<reservation>",
                    "no `value` attribute; GENIUS then uses reservation value 0",
                ));
                0.0
            }
            Some(_) => attr_number(ctx, &r, "value", "<reservation>")?,
        },
    };
    let discount = match root.child("discount_factor") {
        None => 1.0,
        Some(d) => match d.attr("value") {
            None => {
                diags.push(ctx.diag(
                    d.offset,
                    "<discount_factor>",
                    "no `value` attribute (GENIUS reads only the attribute); discount factor 1",
                ));
                1.0
            }
            Some(_) => {
                let v = attr_number(ctx, &d, "value", "<discount_factor>")?;
                if v <= 0.0 || v > 1.0 {
                    diags.push(ctx.diag(
                        d.offset,
                        "<discount_factor>",
                        format!("discount factor {v} is outside (0, 1]; GENIUS replaces it by 1 (no discounting), and so does detente"),
                    ));
                    1.0
                } else {
                    v
                }
            }
        },
    };
    Ok((reservation, discount))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_parse_like_java() {
        assert_eq!(java_double(" 0.5 "), Some(0.5));
        assert_eq!(java_double("1e-3"), Some(0.001));
        assert_eq!(java_double("5.0d"), Some(5.0));
        assert_eq!(java_double("NaN"), None);
        assert_eq!(java_double("Infinity"), None);
        assert_eq!(java_double("1e400"), None);
        assert_eq!(java_double(""), None);
        assert_eq!(java_double("0x10"), None);
        assert_eq!(java_int("-7"), Some(-7));
        assert_eq!(java_int("3000000000"), None);
        assert_eq!(java_int("1.5"), None);
    }
}
