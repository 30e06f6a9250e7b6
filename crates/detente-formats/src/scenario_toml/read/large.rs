//! Large arrays of scalars (an issue's values, a party's scores), read without toml's
//! document tree.
//!
//! `toml` builds a tree of spanned values (some 200 bytes per array element) before serde
//! reads it, so an issue of a million values would take over half a gigabyte. Arrays of at
//! least [`LARGE_ARRAY`] strings, or of as many numbers, are instead read here from
//! `toml_parser`'s tokens into compact vectors and blanked out (spaces; line breaks kept, so
//! every line and column stays where it was) in the text `toml` then parses. The reader
//! claims them back where the file's types expect such an array ([`Ctx::claim_strings`],
//! [`Ctx::claim_numbers`]). A file for which anything goes wrong on this path (an error, an
//! array nobody claims, an array of the wrong kind) is read again the usual way, so the fast
//! path never changes what a file means or which error it gets.
//!
//! [`Ctx::claim_strings`]: super::Ctx::claim_strings
//! [`Ctx::claim_numbers`]: super::Ctx::claim_numbers

use std::cell::RefCell;
use std::collections::BTreeMap;

use toml_parser::Source;
use toml_parser::decoder::ScalarKind;
use toml_parser::lexer::{Token, TokenKind};

/// The fewest elements an array needs to be read here.
pub(super) const LARGE_ARRAY: usize = 4096;

/// The elements of one large array.
#[derive(Debug)]
pub(super) enum Scalars {
    /// Strings, decoded.
    Strings(Vec<String>),
    /// Integers and floats, as TOML reads them (integers converted to `f64`).
    Numbers(Vec<f64>),
}

/// The large arrays of a file, by the byte offset of their `[`, until the reader claims them.
#[derive(Debug, Default)]
pub(super) struct LargeArrays {
    arrays: RefCell<BTreeMap<usize, Scalars>>,
    /// Set when an array was asked for as the other kind.
    mismatch: std::cell::Cell<bool>,
}

impl LargeArrays {
    /// The strings of the array at `at`, if one of strings was read there.
    pub(super) fn take_strings(&self, at: usize) -> Option<Vec<String>> {
        let mut arrays = self.arrays.borrow_mut();
        match arrays.remove(&at)? {
            Scalars::Strings(s) => Some(s),
            other => {
                arrays.insert(at, other);
                self.mismatch.set(true);
                None
            }
        }
    }

    /// The numbers of the array at `at`, if one of numbers was read there.
    pub(super) fn take_numbers(&self, at: usize) -> Option<Vec<f64>> {
        let mut arrays = self.arrays.borrow_mut();
        match arrays.remove(&at)? {
            Scalars::Numbers(n) => Some(n),
            other => {
                arrays.insert(at, other);
                self.mismatch.set(true);
                None
            }
        }
    }

    /// Whether every array was claimed, each as its own kind.
    pub(super) fn all_claimed(&self) -> bool {
        self.arrays.borrow().is_empty() && !self.mismatch.get()
    }
}

/// The large arrays of `text` and the text with them blanked out; `None` when it has none.
pub(super) fn extract(text: &str) -> Option<(String, LargeArrays)> {
    let source = Source::new(text);
    let mut tokens = source.lex();
    let mut found = BTreeMap::new();
    let mut after_equals = false;
    while let Some(token) = tokens.next() {
        match token.kind() {
            TokenKind::Whitespace | TokenKind::Newline | TokenKind::Comment => continue,
            TokenKind::LeftSquareBracket if after_equals => {
                let start = token.span().start();
                if let Some((end, scalars)) = read_array(&source, &mut tokens)
                    && len(&scalars) >= LARGE_ARRAY
                {
                    found.insert(start, (end, scalars));
                }
            }
            _ => {}
        }
        after_equals = token.kind() == TokenKind::Equals;
    }
    if found.is_empty() {
        return None;
    }
    let mut blanked = text.as_bytes().to_vec();
    for (&start, (end, _)) in &found {
        for b in &mut blanked[start + 1..*end] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    // Only bytes inside arrays became spaces (whole tokens, whole UTF-8 sequences).
    let blanked = String::from_utf8(blanked).ok()?;
    let arrays = found.into_iter().map(|(at, (_, s))| (at, s)).collect();
    Some((
        blanked,
        LargeArrays {
            arrays: RefCell::new(arrays),
            mismatch: std::cell::Cell::new(false),
        },
    ))
}

fn len(s: &Scalars) -> usize {
    match s {
        Scalars::Strings(v) => v.len(),
        Scalars::Numbers(v) => v.len(),
    }
}

/// Reads the elements of an array whose `[` was just read, up to its `]` (returned as a
/// byte offset): `None` when it is not a flat array of strings or of numbers.
fn read_array<'i>(
    source: &Source<'i>,
    tokens: &mut impl Iterator<Item = Token>,
) -> Option<(usize, Scalars)> {
    let mut strings = Vec::new();
    let mut numbers = Vec::new();
    // The Atom and Dot tokens of an unquoted scalar (`0.25` is `0`, `.`, `25`).
    let mut run: Option<(usize, usize)> = None;
    let mut need_comma = false;
    let mut buffer = String::new();
    for token in tokens.by_ref() {
        let kind = token.kind();
        let span = token.span();
        if !matches!(kind, TokenKind::Atom | TokenKind::Dot)
            && let Some((start, end)) = run.take()
        {
            numbers.push(number(source, start, end, &mut buffer)?);
            need_comma = true;
        }
        match kind {
            TokenKind::Whitespace | TokenKind::Newline | TokenKind::Comment => {}
            TokenKind::Comma if need_comma => need_comma = false,
            TokenKind::RightSquareBracket => {
                return match (strings.is_empty(), numbers.is_empty()) {
                    (false, true) => Some((span.start(), Scalars::Strings(strings))),
                    (true, false) => Some((span.start(), Scalars::Numbers(numbers))),
                    _ => None,
                };
            }
            TokenKind::Atom | TokenKind::Dot if !need_comma => {
                run = Some(match run {
                    Some((start, _)) => (start, span.end()),
                    None => (span.start(), span.end()),
                });
            }
            TokenKind::BasicString
            | TokenKind::LiteralString
            | TokenKind::MlBasicString
            | TokenKind::MlLiteralString
                if !need_comma =>
            {
                strings.push(string(source, &token)?);
                need_comma = true;
            }
            _ => return None,
        }
    }
    None
}

/// A quoted string element, decoded; `None` on any error.
fn string(source: &Source<'_>, token: &Token) -> Option<String> {
    let raw = source.get(token)?;
    let mut out = String::new();
    let mut errors: Option<toml_parser::ParseError> = None;
    let _ = raw.decode_scalar(&mut out, &mut errors);
    errors.is_none().then_some(out)
}

/// An unquoted element from byte `start` to `end`, as TOML reads a number; `None` for
/// anything else (booleans, dates, errors).
fn number(source: &Source<'_>, start: usize, end: usize, buffer: &mut String) -> Option<f64> {
    let raw = source.get(toml_parser::Span::new_unchecked(start, end))?;
    buffer.clear();
    let mut errors: Option<toml_parser::ParseError> = None;
    let kind = raw.decode_scalar(buffer, &mut errors);
    if errors.is_some() {
        return None;
    }
    match kind {
        ScalarKind::Float => {
            let x: f64 = buffer.parse().ok()?;
            // As toml reads floats: an overflow to infinity is an error.
            (!x.is_infinite() || buffer.contains("inf")).then_some(x)
        }
        ScalarKind::Integer(radix) => i64::from_str_radix(buffer, radix.value())
            .ok()
            .map(|i| i as f64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;
    use std::path::Path;

    use super::super::{Ctx, load_str};
    use super::*;

    /// A scenario with one issue of `n` values (`values` written as `v0`, `v1`, ...) and
    /// parties scoring them with `scores` arrays; `odd` puts comments, line breaks, escapes
    /// and every number syntax into the arrays.
    fn scenario(n: usize, odd: bool) -> String {
        let mut s =
            String::from("format = 1\nname = \"big\"\n\n[[issues]]\nname = \"x\"\nvalues = [");
        for i in 0..n {
            match (odd, i % 4) {
                (true, 0) => write!(s, "\"v\\u0030{i}\", # a comment\r\n"),
                (true, 1) => writeln!(s, "'v0{i}',"),
                _ => write!(s, "\"v0{i}\", "),
            }
            .unwrap();
        }
        s.push_str("]\n");
        for party in ["A", "B"] {
            write!(
                s,
                "\n[[parties]]\nname = \"{party}\"\n\n[parties.issues.x]\nweight = 1.0\nscores = ["
            )
            .unwrap();
            for i in 0..n {
                match (odd, i % 5) {
                    (true, 0) => writeln!(s, "0.{}e-1_0,", i % 7 + 1).unwrap(),
                    (true, 1) => s.push_str("+0.5, "),
                    (true, 2) => s.push_str("0x0, "),
                    (true, 3) => s.push_str("1, "),
                    _ => write!(s, "{:.6}, ", (i % 1000) as f64 / 1000.0).unwrap(),
                }
            }
            s.push_str("]\n");
        }
        s
    }

    /// Reads `text` the usual way only.
    fn slow(text: &str) -> crate::Result<detente_core::Scenario> {
        let ctx = Ctx {
            text,
            path: Path::new("big.toml"),
            large: None,
        };
        ctx.read(text)
    }

    /// Whether the fast path reads `text` by itself, and what it reads.
    fn fast(text: &str) -> Option<detente_core::Scenario> {
        let (blanked, arrays) = extract(text)?;
        assert_eq!(blanked.len(), text.len());
        assert_eq!(blanked.lines().count(), text.lines().count());
        let ctx = Ctx {
            text,
            path: Path::new("big.toml"),
            large: Some(&arrays),
        };
        let scenario = ctx.read(&blanked).ok()?;
        arrays.all_claimed().then_some(scenario)
    }

    #[test]
    fn large_arrays_read_as_toml_reads_them() {
        for odd in [false, true] {
            let text = scenario(LARGE_ARRAY + 3, odd);
            let written = |s: &detente_core::Scenario| crate::scenario_toml::to_string(s).unwrap();
            let by_fast = written(&fast(&text).expect("the fast path reads the file"));
            assert_eq!(by_fast, written(&slow(&text).unwrap()), "odd: {odd}");
            let loaded = load_str(&text, Path::new("big.toml")).unwrap().scenario;
            assert_eq!(written(&loaded), by_fast);
        }
        // Small arrays stay with toml.
        assert!(extract(&scenario(10, true)).is_none());
    }

    #[test]
    fn files_the_fast_path_cannot_read_get_the_usual_errors() {
        let good = scenario(LARGE_ARRAY, false);
        let cases = [
            // One score too few.
            good.replacen("scores = [0.000000, ", "scores = [", 1),
            // A string among the numbers, a number among the strings.
            good.replacen("scores = [0.000000, ", "scores = [\"0\", ", 1),
            good.replacen("values = [\"v00\", ", "values = [7, ", 1),
            // Numbers where strings belong.
            good.replacen("values = [\"v00\", ", "values = [", 1)
                .replacen(
                    "values = [",
                    &format!("values = [{}", "1, ".repeat(LARGE_ARRAY + 1)),
                    1,
                ),
            // A value listed twice; a score that overflows; an unknown key holding an array.
            good.replacen("\"v01\"", "\"v00\"", 1),
            good.replacen("scores = [0.000000, ", "scores = [1e999, ", 1),
            good.replacen(
                "[[parties]]",
                &format!("extra = [{}]\n\n[[parties]]", "1, ".repeat(LARGE_ARRAY)),
                1,
            ),
        ];
        for (k, text) in cases.iter().enumerate() {
            let expected = slow(text).expect_err("the case is invalid").to_string();
            let got = load_str(text, Path::new("big.toml"))
                .expect_err("the case is invalid")
                .to_string();
            assert_eq!(got, expected, "case {k}");
        }
    }
}
