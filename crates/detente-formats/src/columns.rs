//! Columns of the text tables detente prints (transcripts, analyses, sweeps, tournament
//! summaries): widths taken from the data but never above [`MAX_COLUMN_WIDTH`], and padding
//! that does not go through `format!` width arguments (which panic above 65,535). A longer
//! cell is printed whole and pushes the rest of its line to the right.

/// The widest a column is padded to, in characters.
pub const MAX_COLUMN_WIDTH: usize = 40;

/// The width of a column whose cells are `lengths` characters long: the longest, at least
/// `min` and at most [`MAX_COLUMN_WIDTH`] (or `min`, if that is larger).
///
/// ```
/// use detente_formats::columns::{column_width, MAX_COLUMN_WIDTH};
///
/// assert_eq!(column_width([3, 7], 5), 7);
/// assert_eq!(column_width([], 5), 5);
/// assert_eq!(column_width([65_536], 5), MAX_COLUMN_WIDTH);
/// ```
pub fn column_width(lengths: impl IntoIterator<Item = usize>, min: usize) -> usize {
    lengths
        .into_iter()
        .max()
        .unwrap_or(0)
        .min(MAX_COLUMN_WIDTH)
        .max(min)
}

/// `s` followed by spaces up to `width` characters (never cut).
///
/// ```
/// use detente_formats::columns::pad;
///
/// assert_eq!(pad("ab", 4), "ab  ");
/// assert_eq!(pad("abcdef", 4), "abcdef");
/// ```
pub fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    let mut out = String::with_capacity(s.len() + width.saturating_sub(n));
    out.push_str(s);
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(n)));
    out
}
