//! Large arrays of scalars (an issue's values, a party's scores) and large tables of numbers
//! (a party's scores by value name), read without toml's document tree.
//!
//! `toml` builds a tree of spanned values (some 200 bytes per element) before serde reads
//! it, so an issue of a million values would take over half a gigabyte and seconds. Arrays of
//! at least [`LARGE_ARRAY`] strings, or of as many numbers, and tables of as many `name =
//! number` entries (a `[header]` table or an inline `{ ... }` one) are instead read here from
//! `toml_parser`'s tokens into compact vectors and blanked out (spaces; line breaks kept, so
//! every line and column stays where it was) in the text `toml` then parses, which sees an
//! empty array or table. The reader claims them back where the file's types expect such an
//! array or table ([`Ctx::claim_strings`], [`Ctx::claim_numbers`], [`Ctx::claim_named`]). A
//! file for which anything goes wrong on this path (an error, an array or table nobody
//! claims, one of the wrong kind, a name given twice) is read again the usual way, so the fast
//! path never changes what a file means or which error it gets.
//!
//! [`Ctx::claim_strings`]: super::Ctx::claim_strings
//! [`Ctx::claim_numbers`]: super::Ctx::claim_numbers
//! [`Ctx::claim_named`]: super::Ctx::claim_named

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::iter::Peekable;
use std::ops::Range;

use toml_parser::Source;
use toml_parser::decoder::ScalarKind;
use toml_parser::lexer::{Token, TokenKind};

/// The fewest elements an array or table needs to be read here.
pub(super) const LARGE_ARRAY: usize = 4096;

/// The elements of one large array or table.
#[derive(Debug)]
pub(super) enum Scalars {
    /// Strings, decoded.
    Strings(Vec<String>),
    /// Integers and floats, as TOML reads them (integers converted to `f64`).
    Numbers(Vec<f64>),
    /// Numbers by name: the entries of a table.
    Named(NamedNumbers),
}

/// The entries of a table of numbers, in file order.
#[derive(Debug, Default)]
pub(super) struct NamedNumbers {
    /// The names (keys, decoded), one after the other.
    names: String,
    /// Where each name ends in `names`.
    ends: Vec<usize>,
    /// The numbers, as TOML reads them.
    numbers: Vec<f64>,
}

impl NamedNumbers {
    /// The number of entries.
    pub(super) fn len(&self) -> usize {
        self.numbers.len()
    }

    /// The entries, in file order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, f64)> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .zip(&self.numbers)
            .map(|((start, &end), &x)| (&self.names[start..end], x))
    }
}

/// The large arrays and tables of a file, by the byte offset of their `[` or `{` (of a
/// table's header), until the reader claims them.
#[derive(Debug, Default)]
pub(super) struct LargeArrays {
    arrays: RefCell<BTreeMap<usize, Scalars>>,
    /// Set when an array was asked for as another kind.
    mismatch: std::cell::Cell<bool>,
}

impl LargeArrays {
    /// What `pick` takes from the array at `at`, if one was read there.
    fn take<T>(&self, at: usize, pick: impl FnOnce(Scalars) -> Result<T, Scalars>) -> Option<T> {
        let mut arrays = self.arrays.borrow_mut();
        match pick(arrays.remove(&at)?) {
            Ok(t) => Some(t),
            Err(other) => {
                arrays.insert(at, other);
                self.mismatch.set(true);
                None
            }
        }
    }

    /// The strings of the array at `at`, if one of strings was read there.
    pub(super) fn take_strings(&self, at: usize) -> Option<Vec<String>> {
        self.take(at, |s| match s {
            Scalars::Strings(v) => Ok(v),
            other => Err(other),
        })
    }

    /// The numbers of the array at `at`, if one of numbers was read there.
    pub(super) fn take_numbers(&self, at: usize) -> Option<Vec<f64>> {
        self.take(at, |s| match s {
            Scalars::Numbers(v) => Ok(v),
            other => Err(other),
        })
    }

    /// The entries of the table at `at`, if one of numbers by name was read there.
    pub(super) fn take_named(&self, at: usize) -> Option<NamedNumbers> {
        self.take(at, |s| match s {
            Scalars::Named(v) => Ok(v),
            other => Err(other),
        })
    }

    /// Whether every array was claimed, each as its own kind.
    pub(super) fn all_claimed(&self) -> bool {
        self.arrays.borrow().is_empty() && !self.mismatch.get()
    }
}

/// The large arrays and tables of `text` and the text with them blanked out; `None` when it
/// has none.
pub(super) fn extract(text: &str) -> Option<(String, LargeArrays)> {
    let source = Source::new(text);
    let mut scan = Scan {
        source: &source,
        tokens: source.lex().peekable(),
        found: BTreeMap::new(),
        buffer: String::new(),
    };
    scan.document();
    if scan.found.is_empty() {
        return None;
    }
    let mut blanked = text.as_bytes().to_vec();
    for (blank, _) in scan.found.values() {
        for b in &mut blanked[blank.clone()] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    // Only bytes inside arrays and tables became spaces (whole tokens, whole UTF-8 sequences).
    let blanked = String::from_utf8(blanked).ok()?;
    let arrays = scan.found.into_iter().map(|(at, (_, s))| (at, s)).collect();
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
        Scalars::Named(v) => v.len(),
    }
}

/// What follows a table body the scan stopped reading.
enum After {
    /// The start of a line (a header, or the end of the file).
    LineStart,
    /// A value, after its `=`.
    Value,
    /// Anything else, in the middle of a line.
    Other,
}

/// A walk over a document's tokens that finds its large arrays and tables.
struct Scan<'s, 'i, I: Iterator<Item = Token>> {
    source: &'s Source<'i>,
    tokens: Peekable<I>,
    /// What was found: the offset it is claimed by, the bytes to blank, the elements.
    found: BTreeMap<usize, (Range<usize>, Scalars)>,
    /// Room for decoding a key or a number.
    buffer: String,
}

impl<I: Iterator<Item = Token>> Scan<'_, '_, I> {
    /// Walks the document: each value after an `=` (large arrays and inline tables are
    /// read), and each table header at the start of a line outside any value (a large body
    /// is read). The brackets of other values are counted, so that nothing inside a value is
    /// taken for a header.
    fn document(&mut self) {
        // Brackets and braces open in the value being walked.
        let mut depth = 0usize;
        let mut line_start = true;
        let mut value = false;
        while let Some(token) = self.tokens.next() {
            let kind = token.kind();
            match kind {
                TokenKind::Whitespace | TokenKind::Comment => continue,
                TokenKind::Newline => {
                    line_start = true;
                    continue;
                }
                _ => {}
            }
            let at_line_start = std::mem::replace(&mut line_start, false);
            let is_value = std::mem::replace(&mut value, false);
            let start = token.span().start();
            match kind {
                TokenKind::Equals => value = true,
                TokenKind::LeftSquareBracket if is_value => depth += self.array(start),
                TokenKind::LeftCurlyBracket if is_value => depth += self.inline_table(start),
                TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket if depth > 0 => {
                    depth += 1;
                }
                TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket if depth > 0 => {
                    depth -= 1;
                }
                TokenKind::LeftSquareBracket if at_line_start => {
                    if let Some(end) = self.header() {
                        match self.table(start, end) {
                            After::LineStart => line_start = true,
                            After::Value => value = true,
                            After::Other => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Reads the array whose `[` at `start` was just read; the number of brackets left open
    /// where the reading stopped (0 when it reached the array's `]`).
    fn array(&mut self, start: usize) -> usize {
        match read_array(self.source, &mut self.tokens) {
            Ok((end, scalars)) => {
                if len(&scalars) >= LARGE_ARRAY {
                    self.found.insert(start, (start + 1..end, scalars));
                }
                0
            }
            Err(open) => open,
        }
    }

    /// Reads the inline table whose `{` at `start` was just read, as [`Scan::array`].
    fn inline_table(&mut self, start: usize) -> usize {
        match self.read_inline_table() {
            Ok((end, named)) => {
                if named.len() >= LARGE_ARRAY {
                    self.found
                        .insert(start, (start + 1..end, Scalars::Named(named)));
                }
                0
            }
            Err(open) => open,
        }
    }

    /// The next token, if it is of one of `kinds`.
    fn next_if(&mut self, kinds: &[TokenKind]) -> Option<Token> {
        self.tokens.next_if(|t| kinds.contains(&t.kind()))
    }

    fn skip_blanks(&mut self, newlines: bool) {
        use TokenKind::*;
        let kinds: &[TokenKind] = if newlines {
            &[Whitespace, Comment, Newline]
        } else {
            &[Whitespace, Comment]
        };
        while self.next_if(kinds).is_some() {}
    }

    /// Reads a standard table's header after its `[`, to the end of its line: the offset
    /// just after its `]`, or `None` for anything else (an array of tables, a malformed
    /// header; the scan goes on from where this stopped).
    fn header(&mut self) -> Option<usize> {
        use TokenKind::*;
        while self
            .next_if(&[Atom, BasicString, LiteralString, Dot, Whitespace])
            .is_some()
        {}
        let end = self.next_if(&[RightSquareBracket])?.span().end();
        self.skip_blanks(false);
        match self.tokens.peek().map(Token::kind) {
            None | Some(Eof) => Some(end),
            Some(Newline) => {
                self.tokens.next();
                Some(end)
            }
            _ => None,
        }
    }

    /// A key, decoded into `self.buffer`.
    fn key(&mut self) -> Option<()> {
        use TokenKind::*;
        let token = self.next_if(&[Atom, BasicString, LiteralString])?;
        let raw = self.source.get(token)?;
        self.buffer.clear();
        let mut errors: Option<toml_parser::ParseError> = None;
        raw.decode_key(&mut self.buffer, &mut errors);
        errors.is_none().then_some(())
    }

    /// `name = number`, with blanks (no line break) around the `=`, added to `named`: `Ok`
    /// with where it ends, or where the reading stopped (`After::Value` when the value is not
    /// a number and was not read).
    fn entry(&mut self, named: &mut NamedNumbers) -> Result<usize, After> {
        self.key().ok_or(After::Other)?;
        named.names.push_str(&self.buffer);
        self.skip_blanks(false);
        self.next_if(&[TokenKind::Equals]).ok_or(After::Other)?;
        self.skip_blanks(false);
        let first = self.next_if(&[TokenKind::Atom]).ok_or(After::Value)?;
        let mut end = first.span().end();
        while let Some(t) = self.next_if(&[TokenKind::Atom, TokenKind::Dot]) {
            end = t.span().end();
        }
        let x =
            number(self.source, first.span().start(), end, &mut self.buffer).ok_or(After::Other)?;
        named.ends.push(named.names.len());
        named.numbers.push(x);
        Ok(end)
    }

    /// Reads the body of the standard table whose header starts at `at` and ends at
    /// `header_end`: lines of `name = number`, up to the next header or the end of the file.
    /// A large one is kept; any other line stops the reading, and the scan goes on there.
    fn table(&mut self, at: usize, header_end: usize) -> After {
        let mut named = NamedNumbers::default();
        let mut end = header_end;
        loop {
            self.skip_blanks(true);
            match self.tokens.peek().map(Token::kind) {
                None | Some(TokenKind::Eof | TokenKind::LeftSquareBracket) => break,
                _ => {}
            }
            match self.entry(&mut named) {
                Ok(entry_end) => end = entry_end,
                Err(after) => return after,
            }
            self.skip_blanks(false);
            match self.tokens.peek().map(Token::kind) {
                None | Some(TokenKind::Eof | TokenKind::Newline) => {}
                _ => return After::Other,
            }
        }
        if named.len() >= LARGE_ARRAY {
            self.found
                .insert(at, (header_end..end, Scalars::Named(named)));
        }
        After::LineStart
    }

    /// Reads an inline table after its `{`, up to its `}` (returned as a byte offset), when
    /// it holds only `name = number` entries; else the number of brackets and braces left
    /// open where the reading stopped.
    fn read_inline_table(&mut self) -> Result<(usize, NamedNumbers), usize> {
        let mut named = NamedNumbers::default();
        loop {
            self.skip_blanks(true);
            if let Some(close) = self.next_if(&[TokenKind::RightCurlyBracket]) {
                return Ok((close.span().start(), named));
            }
            match self.entry(&mut named) {
                Ok(_) => {}
                Err(After::Value) => return Err(1 + self.opens_next()),
                Err(_) => return Err(1),
            }
            self.skip_blanks(true);
            if let Some(close) = self.next_if(&[TokenKind::RightCurlyBracket]) {
                return Ok((close.span().start(), named));
            }
            self.next_if(&[TokenKind::Comma]).ok_or(1usize)?;
        }
    }

    /// Reads the next token when it opens an array or inline table: 1 if it did.
    fn opens_next(&mut self) -> usize {
        use TokenKind::*;
        usize::from(
            self.next_if(&[LeftSquareBracket, LeftCurlyBracket])
                .is_some(),
        )
    }
}

/// Reads the elements of an array whose `[` was just read, up to its `]` (returned as a
/// byte offset), when it is a flat array of strings or of numbers; else the number of
/// brackets and braces left open where the reading stopped.
fn read_array<'i>(
    source: &Source<'i>,
    tokens: &mut impl Iterator<Item = Token>,
) -> Result<(usize, Scalars), usize> {
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
            numbers.push(number(source, start, end, &mut buffer).ok_or(1usize)?);
            need_comma = true;
        }
        match kind {
            TokenKind::Whitespace | TokenKind::Newline | TokenKind::Comment => {}
            TokenKind::Comma if need_comma => need_comma = false,
            TokenKind::RightSquareBracket => {
                return match (strings.is_empty(), numbers.is_empty()) {
                    (false, true) => Ok((span.start(), Scalars::Strings(strings))),
                    (true, false) => Ok((span.start(), Scalars::Numbers(numbers))),
                    _ => Err(0),
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
                strings.push(string(source, &token).ok_or(1usize)?);
                need_comma = true;
            }
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => return Err(2),
            _ => return Err(1),
        }
    }
    Err(0)
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
    pub(super) fn slow(text: &str) -> crate::Result<detente_core::Scenario> {
        let ctx = Ctx {
            text,
            path: Path::new("big.toml"),
            large: None,
        };
        ctx.read(text)
    }

    /// Whether the fast path reads `text` by itself, and what it reads.
    pub(super) fn fast(text: &str) -> Option<detente_core::Scenario> {
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

#[cfg(test)]
mod named_tests {
    use std::fmt::Write as _;
    use std::path::Path;

    use super::super::load_str;
    use super::tests::{fast, slow};
    use super::*;

    /// One issue of `n` values `v0`, `v1`, ... and two parties scoring them by name: A in a
    /// `[parties.issues.x.values]` table (`odd`: in reverse order, with quoted names, comments,
    /// blank lines and every number syntax), B in an inline table.
    fn by_name(n: usize, odd: bool) -> String {
        let mut s =
            String::from("format = 1\nname = \"big\"\n\n[[issues]]\nname = \"x\"\nvalues = [");
        for i in 0..n {
            write!(s, "\"v{i}\", ").unwrap();
        }
        s.push_str("]\n\n[[parties]]\nname = \"A\"\n\n[parties.issues.x]\nweight = 1.0\n\n[parties.issues.x.values] # by name\n");
        let order: Vec<usize> = if odd {
            (0..n).rev().collect()
        } else {
            (0..n).collect()
        };
        for i in order {
            let score = format!("{:.6}", (i % 1000) as f64 / 1000.0);
            match (odd, i % 6) {
                (true, 0) => writeln!(s, "\"v{i}\" = {score} # a comment\r"),
                (true, 1) => writeln!(s, "'v{i}'\t=\t1\n"),
                (true, 2) => writeln!(s, "v{i} = 0x0"),
                (true, 3) => writeln!(s, "\"\\u0076{i}\" = +0.5e-1_0"),
                _ => writeln!(s, "v{i} = {score}"),
            }
            .unwrap();
        }
        s.push_str("\n[[parties]]\nname = \"B\"\n\n[parties.issues.x]\nweight = 1.0\nvalues = {");
        for i in 0..n {
            write!(s, " v{i} = {:.3},", (i * 7 % 1000) as f64 / 1000.0).unwrap();
        }
        s.pop();
        s.push_str(" }\n");
        s
    }

    #[test]
    fn tables_of_scores_by_name_read_as_toml_reads_them() {
        for odd in [false, true] {
            let text = by_name(LARGE_ARRAY + 5, odd);
            let written = |s: &detente_core::Scenario| crate::scenario_toml::to_string(s).unwrap();
            let by_fast = written(&fast(&text).expect("the fast path reads the file"));
            assert_eq!(by_fast, written(&slow(&text).unwrap()), "odd: {odd}");
        }
        assert!(extract(&by_name(10, true)).is_none());
    }

    #[test]
    fn tables_the_fast_path_cannot_read_get_the_usual_errors() {
        let good = by_name(LARGE_ARRAY, false);
        let cases = [
            // A value without a score, a score for no value, a name given twice.
            good.replacen("v7 = ", "# v7 = ", 1),
            good.replacen("v7 = ", "w7 = ", 1),
            good.replacen("v7 = ", "v8 = ", 1),
            good.replacen("v7 = ", "\"v8\" = ", 1),
            // Not numbers; a dotted name; a bad number; a missing `=`; a bad bare name.
            good.replacen("v7 = 0.007000", "v7 = true", 1),
            good.replacen("v7 = 0.007000", "v7 = \"0.5\"", 1),
            good.replacen("v7 = 0.007000", "v7 = [0.5]", 1),
            good.replacen("v7 = 0.007000", "v7.a = 0.5", 1),
            good.replacen("v7 = 0.007000", "v7 = 0.5.5", 1),
            good.replacen("v7 = 0.007000", "v7 0.5", 1),
            good.replacen("v7 = 0.007000", "v7 = 0.5 0.5", 1),
            good.replacen("v7 = 0.007000", "v7 = nan", 1),
            good.replacen("v7 = 0.007000", "v#7 = 0.5", 1),
            // In the inline table: a name twice, a missing comma.
            good.replacen(" v7 = 0.049,", " v8 = 0.049,", 1),
            good.replacen(" v7 = 0.049,", " v7 = 0.049", 1),
            // The table given twice.
            good.replacen(
                "[[parties]]\nname = \"B\"",
                "[parties.issues.x.values]\n[[parties]]\nname = \"B\"",
                1,
            ),
        ];
        for (k, text) in cases.iter().enumerate() {
            assert_ne!(text, &good, "case {k} changes the file");
            let expected = slow(text).expect_err("the case is invalid").to_string();
            let got = load_str(text, Path::new("big.toml"))
                .expect_err("the case is invalid")
                .to_string();
            assert_eq!(got, expected, "case {k}");
        }
    }

    #[test]
    fn values_inside_other_values_are_never_taken_for_tables() {
        // A multi-line array of arrays whose lines start with `[`, before a large table.
        let text = by_name(LARGE_ARRAY, false).replacen(
            "[parties.issues.x]\nweight = 1.0\n\n[parties.issues.x.values]",
            "note = [\n[1, 2],\n[3]\n]\n[parties.issues.x]\nweight = 1.0\n\n[parties.issues.x.values]",
            1,
        );
        let (blanked, arrays) = extract(&text).unwrap();
        assert!(blanked.contains("note = [\n[1, 2],\n[3]\n]\n"));
        let kinds: Vec<&str> = arrays
            .arrays
            .borrow()
            .values()
            .map(|s| match s {
                Scalars::Strings(_) => "strings",
                Scalars::Numbers(_) => "numbers",
                Scalars::Named(_) => "named",
            })
            .collect();
        assert_eq!(kinds, ["strings", "named", "named"]);
    }
}
