//! Digests of input contents: what a tournament output folder records of the plan, the
//! scenario files and the program that wrote it, so that a resume or a merge can tell that an
//! input changed (see `docs/robustness.md`).
//!
//! The hash is FNV-1a with 128 bits: stable across platforms and versions (unlike std's
//! hashers), fast, and with a chance of two different inputs sharing a digest far below that
//! of any other failure. It detects changes; it is not meant to resist someone forging a
//! collision on purpose.

/// A digest being computed, fed with [`Digest::bytes`], [`Digest::text`] and [`Digest::file`].
///
/// ```
/// use detente_formats::digest::Digest;
///
/// let a = Digest::new().file("pie.toml", b"rounds = 20").hex();
/// let b = Digest::new().file("pie.toml", b"rounds = 21").hex();
/// assert_ne!(a, b);
/// assert_eq!(a.len(), 32);
/// // Where one part ends and the next starts counts.
/// assert_ne!(Digest::new().text("ab").text("c").hex(), Digest::new().text("a").text("bc").hex());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digest(u128);

const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

impl Default for Digest {
    fn default() -> Self {
        Digest::new()
    }
}

impl Digest {
    /// The digest of nothing.
    pub fn new() -> Self {
        Digest(OFFSET)
    }

    /// Adds raw bytes.
    pub fn bytes(mut self, bytes: &[u8]) -> Self {
        for &b in bytes {
            self.0 ^= u128::from(b);
            self.0 = self.0.wrapping_mul(PRIME);
        }
        self
    }

    /// Adds a piece of text, with its length first so that pieces cannot run into each other.
    pub fn text(self, text: &str) -> Self {
        self.sized(text.as_bytes())
    }

    /// Adds a file: its name and its bytes, each with its length first.
    pub fn file(self, name: &str, bytes: &[u8]) -> Self {
        self.sized(name.as_bytes()).sized(bytes)
    }

    fn sized(self, bytes: &[u8]) -> Self {
        self.bytes(&(bytes.len() as u64).to_le_bytes()).bytes(bytes)
    }

    /// The digest as 32 hexadecimal digits.
    pub fn hex(self) -> String {
        format!("{:032x}", self.0)
    }
}

/// The digest of files read whole, in the order of their names (the order they were given in
/// does not matter): each file's name (not its folder, so moving a scenario keeps its digest)
/// and bytes.
pub fn of_files<P: AsRef<std::path::Path>, B: AsRef<[u8]>>(files: &[(P, B)]) -> String {
    let name = |p: &P| {
        p.as_ref()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let mut named: Vec<(String, &[u8])> =
        files.iter().map(|(p, b)| (name(p), b.as_ref())).collect();
    named.sort();
    named
        .iter()
        .fold(Digest::new(), |d, (name, bytes)| d.file(name, bytes))
        .hex()
}
