//! CSV cells as the tournament files write them: fields quoted only when they hold a comma or
//! a quote (RFC 4180), and never a line break, so that every record is one line.

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
    fn fields_are_quoted_only_when_needed() {
        let mut s = String::new();
        push_record(&mut s, &["plain", "a,b", "say \"hi\"", "two\nlines"]);
        assert_eq!(s, "plain,\"a,b\",\"say \"\"hi\"\"\",two lines\n");
    }
}
