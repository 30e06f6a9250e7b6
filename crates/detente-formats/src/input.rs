//! The one place input files are read: every reader of this crate (scenarios, traces and
//! records, sweeps, plans, the files of a tournament output folder) gets its bytes from here,
//! so every input obeys the same rules:
//!
//! - only regular files are read (after following symbolic links): a FIFO, a socket or a
//!   device such as `/dev/zero` is refused before it is opened, so reading never blocks on a
//!   pipe nor runs forever;
//! - a file read whole is at most [`max_input_bytes`] long (default
//!   [`DEFAULT_MAX_INPUT_BYTES`], 256 MiB; the command line takes another limit from the
//!   environment variable [`MAX_INPUT_BYTES_VAR`]); the size is checked before reading, and
//!   the read itself stops one byte past the limit, so a file that grows while it is read
//!   cannot get past it either;
//! - a file streamed line by line ([`open_lines`], the results of a tournament, which may
//!   legitimately be many gigabytes) has no size limit but no line may be longer than the
//!   limit;
//! - text must be UTF-8: the error names the line and column of the first byte that is not.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{FormatError, Result, line_column};

/// The default limit on the size of a file read whole: 256 MiB.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// The environment variable the command line reads the limit from (a number of bytes, with an
/// optional `K`, `M` or `G` suffix for KiB, MiB and GiB; see [`parse_size`]).
pub const MAX_INPUT_BYTES_VAR: &str = "DETENTE_MAX_INPUT_BYTES";

static MAX_INPUT_BYTES: AtomicU64 = AtomicU64::new(DEFAULT_MAX_INPUT_BYTES);

/// The limit in force on the size of a file read whole, in bytes.
pub fn max_input_bytes() -> u64 {
    MAX_INPUT_BYTES.load(Ordering::Relaxed)
}

/// Sets the limit on the size of a file read whole, for the whole process (at least 1 byte).
pub fn set_max_input_bytes(bytes: u64) {
    MAX_INPUT_BYTES.store(bytes.max(1), Ordering::Relaxed);
}

/// Reads a size written as a number of bytes with an optional `K`, `M` or `G` suffix (powers
/// of 1024), such as `512M`.
///
/// ```
/// use detente_formats::input::parse_size;
///
/// assert_eq!(parse_size("1024"), Some(1024));
/// assert_eq!(parse_size("512M"), Some(512 << 20));
/// assert_eq!(parse_size("2g"), Some(2 << 30));
/// assert_eq!(parse_size("0"), None);
/// assert_eq!(parse_size("lots"), None);
/// ```
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let (digits, shift) = match text.char_indices().last()? {
        (i, 'k' | 'K') => (&text[..i], 10),
        (i, 'm' | 'M') => (&text[..i], 20),
        (i, 'g' | 'G') => (&text[..i], 30),
        _ => (text, 0),
    };
    let n: u64 = digits.trim().parse().ok()?;
    n.checked_mul(1 << shift).filter(|&n| n > 0)
}

/// A byte count for people: `256 MiB`, `1.5 GiB`, `900 bytes`.
pub fn describe_size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (unit, name) in UNITS {
        if bytes >= unit {
            let x = bytes as f64 / unit as f64;
            return if bytes.is_multiple_of(unit) {
                format!("{} {name}", bytes / unit)
            } else {
                format!("{x:.1} {name}")
            };
        }
    }
    format!("{bytes} bytes")
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> FormatError + '_ {
    move |source| FormatError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What a file that is not a regular file is, in words.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    "not a regular file"
}

/// Opens `path` for reading if it is a regular file; returns it with its size.
fn open_regular(path: &Path) -> Result<(File, u64)> {
    // `metadata` follows symbolic links and never blocks, unlike opening a FIFO.
    let meta = std::fs::metadata(path).map_err(io_error(path))?;
    let refuse = |meta: &std::fs::Metadata| FormatError::Unrecognised {
        path: path.to_path_buf(),
        message: format!("is {}; detente reads only regular files", kind_of(meta)),
    };
    if !meta.is_file() {
        return Err(refuse(&meta));
    }
    let file = File::open(path).map_err(io_error(path))?;
    // The file may have been replaced between the two looks: check what was opened.
    let meta = file.metadata().map_err(io_error(path))?;
    if !meta.is_file() {
        return Err(refuse(&meta));
    }
    Ok((file, meta.len()))
}

fn too_large(path: &Path, what: &str, limit: u64) -> FormatError {
    FormatError::Unrecognised {
        path: path.to_path_buf(),
        message: format!(
            "{what} more than the limit of {} on input files; raise it with the environment \
             variable {MAX_INPUT_BYTES_VAR} (e.g. {MAX_INPUT_BYTES_VAR}=1G)",
            describe_size(limit)
        ),
    }
}

/// Reads a regular file whole, refusing one over [`max_input_bytes`].
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    read_capped(path, max_input_bytes())
}

/// Reads the first `n` bytes of a regular file (all of a shorter one), and whether they are
/// the whole file: enough to tell what a file is without reading a large one twice.
pub fn read_head(path: &Path, n: usize) -> Result<(Vec<u8>, bool)> {
    let (file, len) = open_regular(path)?;
    let mut head = Vec::with_capacity(n.min(len as usize));
    file.take(n as u64)
        .read_to_end(&mut head)
        .map_err(io_error(path))?;
    Ok((head, len <= n as u64))
}

/// Reads a regular file whole, refusing one over `limit` bytes.
fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let (file, len) = open_regular(path)?;
    if len > limit {
        let what = format!("holds {},", describe_size(len));
        return Err(too_large(path, &what, limit));
    }
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(len as usize)
        .map_err(|_| too_large(path, "cannot be held in memory, though it holds no", limit))?;
    // One byte past the limit tells a file that grew while it was read.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_error(path))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(path, "grew while it was read, to", limit));
    }
    Ok(bytes)
}

/// Turns bytes read from `path` into text, or an error at the line and column of the first
/// byte that is not UTF-8.
pub fn text_from_bytes(bytes: Vec<u8>, path: &Path) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let valid = e.utf8_error().valid_up_to();
        let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let (line, column) = line_column(prefix, valid);
        FormatError::At {
            path: path.to_path_buf(),
            line,
            column,
            message: format!("not valid UTF-8 (byte 0x{:02X})", bytes[valid]),
        }
    })
}

/// Reads a regular file whole as UTF-8 text (at most [`max_input_bytes`]), without a leading
/// byte-order mark.
pub fn read_text(path: &Path) -> Result<String> {
    let mut text = text_from_bytes(read_bytes(path)?, path)?;
    if text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    Ok(text)
}

/// Opens a regular file to be read as a stream of lines, none longer than
/// [`max_input_bytes`] (the file itself may be longer).
pub fn open_lines(path: &Path) -> Result<LineCapped<BufReader<File>>> {
    let (file, _) = open_regular(path)?;
    Ok(LineCapped {
        inner: BufReader::with_capacity(1 << 16, file),
        line: 0,
        limit: max_input_bytes(),
    })
}

/// A reader that fails when a line (bytes between two newlines) is longer than a limit, so
/// that whoever reads lines into a buffer holds at most that much.
#[derive(Debug)]
pub struct LineCapped<R> {
    inner: R,
    /// Bytes since the last newline.
    line: u64,
    limit: u64,
}

impl<R: BufRead> Read for LineCapped<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(out)?;
        for &b in &out[..n] {
            if b == b'\n' {
                self.line = 0;
            } else {
                self.line += 1;
                if self.line > self.limit {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "a line is longer than the limit of {} on input files (raise it \
                             with {MAX_INPUT_BYTES_VAR})",
                            describe_size(self.limit)
                        ),
                    ));
                }
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use detente_testkit::TempDir;

    #[test]
    fn sizes_read_and_print() {
        assert_eq!(parse_size(" 12k "), Some(12 << 10));
        assert_eq!(parse_size("18446744073709551615G"), None);
        assert_eq!(parse_size(""), None);
        assert_eq!(describe_size(256 << 20), "256 MiB");
        assert_eq!(describe_size(1536 << 20), "1.5 GiB");
        assert_eq!(describe_size(12), "12 bytes");
    }

    #[test]
    fn text_errors_name_the_first_bad_byte() {
        let e = text_from_bytes(b"a = 1\nb = \"\xFF\"\n".to_vec(), Path::new("p.toml"))
            .unwrap_err()
            .to_string();
        assert_eq!(e, "p.toml:2:6: not valid UTF-8 (byte 0xFF)");
        let dir = TempDir::new("input-text");
        let p = dir.join("bom.json");
        std::fs::write(&p, b"\xEF\xBB\xBF{}").unwrap();
        assert_eq!(read_text(&p).unwrap(), "{}");
    }

    #[test]
    fn files_over_the_limit_are_refused_before_they_are_read() {
        let dir = TempDir::new("input-cap");
        let p = dir.join("big.toml");
        std::fs::write(&p, [b'x'; 2048]).unwrap();
        assert_eq!(read_capped(&p, 2048).unwrap().len(), 2048);
        let e = read_capped(&p, 1024).unwrap_err().to_string();
        assert!(
            e.ends_with(
                "big.toml: holds 2 KiB, more than the limit of 1 KiB on input files; raise it \
                 with the environment variable DETENTE_MAX_INPUT_BYTES (e.g. \
                 DETENTE_MAX_INPUT_BYTES=1G)"
            ),
            "{e}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_folders_are_refused() {
        let e = read_bytes(Path::new("/dev/zero")).unwrap_err().to_string();
        assert_eq!(
            e,
            "/dev/zero: is a device; detente reads only regular files"
        );
        let dir = TempDir::new("input-dir");
        let e = read_bytes(&dir).unwrap_err().to_string();
        assert!(
            e.ends_with("is a folder; detente reads only regular files"),
            "{e}"
        );
    }

    #[test]
    fn long_lines_are_refused_when_streamed() {
        let mut r = LineCapped {
            inner: &b"short\nmuch too long\n"[..],
            line: 0,
            limit: 8,
        };
        let mut out = Vec::new();
        let e = r.read_to_end(&mut out).unwrap_err();
        assert!(
            e.to_string().contains("longer than the limit of 8 bytes"),
            "{e}"
        );
        let mut r = LineCapped {
            inner: &b"short\nshort\n"[..],
            line: 0,
            limit: 8,
        };
        assert!(r.read_to_end(&mut out).is_ok());
    }
}
