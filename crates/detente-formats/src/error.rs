//! Errors and diagnostics of the readers and writers.

use std::fmt;
use std::path::{Path, PathBuf};

/// An input that cannot be used, with where it is and what is wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// The file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A problem at a known line and column.
    #[error("{}:{line}:{column}: {message}", path.display())]
    At {
        /// The file.
        path: PathBuf,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A problem at a named place (an element, a key path) of a file.
    #[error("{}: {location}: {message}", path.display())]
    In {
        /// The file.
        path: PathBuf,
        /// Where in the file, e.g. `issue "price" (index 3)` or `issueUtilities.price`.
        location: String,
        /// What is wrong.
        message: String,
    },
    /// Several problems of one input, in file order (every unknown key of a file, say); shown
    /// one per line.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Several(Vec<FormatError>),
    /// The input is not in any format detente reads, or is missing parts.
    #[error("{}: {message}", path.display())]
    Unrecognised {
        /// The file or folder.
        path: PathBuf,
        /// What was expected.
        message: String,
    },
}

/// A problem inside a document held in memory (a trace, a sweep): where, as a JSON path such
/// as `$.actions[3].party`, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{at}: {message}")]
pub struct DocError {
    /// Where in the document, as a JSON path (`$` is the whole document).
    pub at: String,
    /// What is wrong.
    pub message: String,
}

impl DocError {
    /// A problem at `at`.
    pub fn new(at: impl Into<String>, message: impl Into<String>) -> Self {
        DocError {
            at: at.into(),
            message: message.into(),
        }
    }

    /// The same problem, in the file `path`.
    pub fn in_file(self, path: &Path) -> FormatError {
        FormatError::In {
            path: path.to_path_buf(),
            location: self.at,
            message: self.message,
        }
    }
}

/// Result with a [`FormatError`].
pub type Result<T, E = FormatError> = std::result::Result<T, E>;

/// Something odd in an input that detente could still use (GENIUS files are messy): said to
/// the user, never fatal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file.
    pub path: PathBuf,
    /// Where in it.
    pub location: String,
    /// What was odd and what detente did about it.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.path.display(),
            self.location,
            self.message
        )
    }
}

/// Turns a byte offset into a 1-based (line, column), counting columns in characters. It scans
/// the text up to the offset: for many offsets of one text, use a [`LineIndex`].
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// A text's line starts, to turn many byte offsets into (line, column) without scanning the
/// text from its start each time: a binary search finds the line, and the column is counted
/// from the line's start or, for offsets met in increasing order on one line, from the
/// previous offset. A reader that reports something about every value of a large file stays
/// linear in its size.
#[derive(Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset at which each line starts, found the first time an offset is resolved
    /// (a file read without a message is never indexed).
    starts: std::cell::OnceCell<Vec<usize>>,
    /// The last offset resolved and its column.
    cursor: std::cell::Cell<(usize, usize)>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Self {
        LineIndex {
            text,
            starts: std::cell::OnceCell::new(),
            cursor: std::cell::Cell::new((0, 1)),
        }
    }

    /// The 1-based (line, column) of a byte offset, as [`line_column`] gives it.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = self.text.floor_char_boundary(offset.min(self.text.len()));
        let starts = self.starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1))
                .collect()
        });
        let line = starts.partition_point(|&s| s <= offset);
        let start = starts[line - 1];
        let (last, last_column) = self.cursor.get();
        let column = if last >= start && last <= offset {
            last_column + self.text[last..offset].chars().count()
        } else {
            self.text[start..offset].chars().count() + 1
        };
        self.cursor.set((offset, column));
        (line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_index_agrees_with_a_scan_in_any_order() {
        let text = "ab\nçd é\n\n  x\u{1F600}y\nlast";
        let index = LineIndex::new(text);
        let mut offsets: Vec<usize> = (0..=text.len() + 2).collect();
        offsets.extend((0..=text.len()).rev());
        offsets.extend([7, 3, 12, 4, 20, 0]);
        for offset in offsets {
            assert_eq!(
                index.line_column(offset),
                line_column(text, offset),
                "offset {offset}"
            );
        }
    }
}
