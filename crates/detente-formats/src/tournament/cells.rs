//! CSV cells as the tournament files write them: fields quoted only when they hold a comma or
//! a quote (RFC 4180), and never a line break, so that every record is one line.
//!
//! Text cells (names, messages, agreements; never numbers) that a spreadsheet would take for a
//! formula, those starting with `=`, `+`, `-`, `@` or a tab, are written with a `'` in front
//! ([`text_cell`]), as are those starting with `'` itself, so that reading strips exactly one
//! `'` ([`read_text_cell`]) and gives the text back. Number cells are left alone: a utility of
//! `-0.5` stays a number.

use std::borrow::Cow;

/// The first characters that make a spreadsheet read a cell as a formula (a line break, the
/// other one, never reaches a cell).
const FORMULA_START: [char; 5] = ['=', '+', '-', '@', '\t'];

/// A text cell as written: with a `'` in front when it starts like a formula or with `'`.
pub(crate) fn text_cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_START) || text.starts_with('\'') {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A text cell as read: without the `'` that [`text_cell`] put in front.
pub(crate) fn read_text_cell(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// Appends `field` to `out`, quoted when it holds a comma or quote (line breaks become
/// spaces).
pub(crate) fn push_field(out: &mut String, field: &str) {
    let field: std::borrow::Cow<'_, str> = if field.contains(['\n', '\r']) {
        one_line(field).into()
    } else {
        field.into()
    };
    if field.contains([',', '"']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&field);
    }
}

/// Appends a record: the fields separated by commas, then a newline.
pub(crate) fn push_record<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, f.as_ref());
    }
    out.push('\n');
}

/// Makes a text fit on one line.
pub(crate) fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// The text of an optional value, empty for `None`.
pub(crate) fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_read_back() {
        for text in [
            "=HYPERLINK(\"x\")",
            "+1",
            "-cmd",
            "@SUM(A1)",
            "\tx",
            "'quoted",
            "plain",
            "",
        ] {
            let cell = text_cell(text);
            assert_eq!(read_text_cell(&cell), text);
            assert_eq!(cell.starts_with('\''), text != "plain" && !text.is_empty());
        }
    }

    #[test]
    fn fields_are_quoted_only_when_needed() {
        let mut s = String::new();
        push_record(&mut s, &["plain", "a,b", "say \"hi\"", "two\nlines"]);
        assert_eq!(s, "plain,\"a,b\",\"say \"\"hi\"\"\",two lines\n");
    }
}
