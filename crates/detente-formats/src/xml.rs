//! What every writer of XML or HTML shares: one escaper, used by the GENIUS writer here and
//! by the SVG and HTML of `detente-report`.

/// Escapes text for XML (and HTML) character data and for attribute values quoted with `"`
/// or `'`, so that a reader gets `s` back.
///
/// - `&`, `<`, `>`, `"` and `'` become `&amp;`, `&lt;`, `&gt;`, `&quot;` and `&#39;` (the
///   numeric form, which HTML 4 knows too);
/// - tab, line feed and carriage return become `&#9;`, `&#10;` and `&#13;`, which survive the
///   normalisation of attribute values (there a literal one reads back as a space);
/// - the characters XML 1.0 cannot hold at all, not even as references (the other control
///   characters below U+0020, U+FFFE and U+FFFF), become spaces, so the result is always
///   well-formed;
/// - everything else, non-ASCII included, is kept as it is.
///
/// ```
/// use detente_formats::xml::escape;
///
/// assert_eq!(escape(r#"a<b>&"c'"#), "a&lt;b&gt;&amp;&quot;c&#39;");
/// assert_eq!(escape("two\nlines"), "two&#10;lines");
/// assert_eq!(escape("x\u{1}y"), "x y");
/// ```
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use quick_xml::Reader;
    use quick_xml::events::Event;

    use super::escape;

    /// The attribute `v` and the text of `<a v="...">...</a>`, as an XML reader gives them.
    fn read_back(attr: &str, text: &str) -> (String, String) {
        let doc = format!("<a v=\"{attr}\">{text}</a>");
        let mut reader = Reader::from_str(&doc);
        let (mut value, mut body) = (String::new(), String::new());
        loop {
            match reader.read_event().expect("well-formed") {
                Event::Start(e) => {
                    let a = e.try_get_attribute("v").unwrap().unwrap();
                    value = a.unescape_value().unwrap().into_owned();
                }
                Event::Text(t) => body.push_str(&t.decode().unwrap()),
                Event::GeneralRef(r) => match r.resolve_char_ref().unwrap() {
                    Some(c) => body.push(c),
                    None => body.push_str(match r.decode().unwrap().as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        other => panic!("unexpected entity {other}"),
                    }),
                },
                Event::Eof => break,
                _ => {}
            }
        }
        (value, body)
    }

    #[test]
    fn markup_and_whitespace_read_back_unchanged() {
        let s = "Tom & Jerry's <\"best\"> deal,\ta\nb\rc, café 🕊";
        let e = escape(s);
        assert_eq!(read_back(&e, &e), (s.to_string(), s.to_string()));
        assert!(!e.contains(['<', '>', '"', '\'', '\n', '\t', '\r']), "{e}");
    }

    #[test]
    fn characters_xml_cannot_hold_become_spaces() {
        assert_eq!(
            escape("a\u{0}b\u{8}c\u{b}d\u{1f}e\u{fffe}f\u{ffff}"),
            "a b c d e f "
        );
        assert_eq!(escape("\u{7f}\u{85}\u{fffd}"), "\u{7f}\u{85}\u{fffd}");
    }
}
