//! What the report tables share: the table head and the cells. Every function here escapes the
//! text it is given; numbers are formatted by the caller.

use detente_formats::xml::escape;

use crate::svg::colour;

/// A column of a table head.
pub(super) struct Column {
    label: String,
    numeric: bool,
}

impl Column {
    /// A column of text, left-aligned.
    pub(super) fn text(label: impl Into<String>) -> Self {
        Column {
            label: label.into(),
            numeric: false,
        }
    }

    /// A column of numbers, right-aligned (`class="num"`).
    pub(super) fn num(label: impl Into<String>) -> Self {
        Column {
            label: label.into(),
            numeric: true,
        }
    }
}

/// The opening of a table up to its body: `<table class="{class}"><thead>…</thead><tbody>`.
/// Close it with [`END`].
pub(super) fn open(class: &str, columns: &[Column]) -> String {
    let heads: String = columns
        .iter()
        .map(|c| {
            let class = if c.numeric { " class=\"num\"" } else { "" };
            format!("<th{class}>{}</th>", escape(&c.label))
        })
        .collect();
    format!(
        "<table class=\"{}\"><thead><tr>{heads}</tr></thead><tbody>",
        escape(class)
    )
}

/// The end of a table opened with [`open`].
pub(super) const END: &str = "</tbody></table>";

/// A cell of text.
pub(super) fn cell(text: &str) -> String {
    format!("<td>{}</td>", escape(text))
}

/// A right-aligned cell (`class="num"`).
pub(super) fn num_cell(text: &str) -> String {
    format!("<td class=\"num\">{}</td>", escape(text))
}

/// A right-aligned cell that a sortable table sorts by `key` (its `data-value`, see
/// [`sort_key`]) rather than by the `text` shown.
pub(super) fn sorted_cell(key: &str, text: &str) -> String {
    format!(
        "<td class=\"num\" data-value=\"{}\">{}</td>",
        escape(key),
        escape(text)
    )
}

/// The name of party (or negotiator) `i` after a swatch of its colour in the plots.
pub(super) fn party_cell(i: usize, name: &str) -> String {
    format!(
        "<td><span class=\"swatch\" style=\"background:{}\"></span>{}</td>",
        colour(i),
        escape(name)
    )
}

/// The sort key of a number that may be missing: the number in full, or empty (sorted last)
/// when it is missing or not finite.
pub(super) fn sort_key(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => v.to_string(),
        _ => String::new(),
    }
}

/// A number with three decimals, `-` when it is missing or not finite.
pub(super) fn fixed3(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), crate::plot::fmt3)
}

/// A rate in [0, 1] as a percentage with one decimal (`62.5%`), `-` when it is missing.
pub(super) fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "-".into(), |r| format!("{:.1}%", r * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_and_cells_escape_and_align() {
        let head = open(
            "t sortable",
            &[Column::text("a<b"), Column::num("u(\"x\")")],
        );
        assert_eq!(
            head,
            "<table class=\"t sortable\"><thead><tr><th>a&lt;b</th><th class=\"num\">u(&quot;x&quot;)</th></tr></thead><tbody>"
        );
        assert_eq!(cell("&"), "<td>&amp;</td>");
        assert_eq!(num_cell("1.5"), "<td class=\"num\">1.5</td>");
        assert_eq!(
            sorted_cell(&sort_key(Some(0.25)), &fixed3(Some(0.25))),
            "<td class=\"num\" data-value=\"0.25\">0.250</td>"
        );
        assert_eq!(sort_key(Some(f64::NAN)), "");
        assert_eq!(fixed3(None), "-");
        assert_eq!(percent(Some(0.625)), "62.5%");
        assert!(party_cell(0, "A").contains("background:#0072B2"));
    }
}
