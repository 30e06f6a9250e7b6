//! Scenario, trace, sweep, analysis and tournament file formats for detente.
//!
//! This is the only crate that knows about files: it reads scenarios written in detente's own
//! TOML format ([`scenario_toml`]), in GENIUS XML ([`genius`]) and in GeniusWeb JSON
//! ([`geniusweb`]) and writes them back; [`load`] detects the format of a file, a folder or a
//! list of files from their contents.
//!
//! Everything detente writes about talks is a typed document, plain data with public fields
//! and stable, documented field names, that serde writes and reads: a negotiation
//! ([`trace::TraceDoc`], `detente-trace/1`, with the hand-written records of real talks and
//! the replay that checks a trace against its scenario), a what-if sweep
//! ([`sweep_json::SweepDoc`], `detente-sweep/1`), the summary of an ensemble of runs
//! ([`ensemble_json::EnsembleDoc`], in a trace and a forecast), the analysis of a scenario
//! ([`analysis_json::AnalysisDoc`]) and the reading of a trace
//! ([`inspect_json::InspectDoc`]). [`read_document`] reads a trace or a sweep, told apart
//! by its `format`. Errors name the file, the line and column and the JSON path of a bad
//! field.
//!
//! [`tournament`] reads tournament plans and reads and writes tournament output folders. It
//! also holds the one [`WallClock`] the engine is handed at the edge of the program.

pub mod analysis_json;
mod clock;
pub mod columns;
pub mod convert;
pub mod digest;
mod document;
pub mod ensemble_json;
mod error;
pub mod genius;
pub mod geniusweb;
pub mod input;
pub mod inspect_json;
mod json;
mod names;
pub mod scenario_toml;
mod spec_toml;
pub mod sweep_json;
pub mod tournament;
pub mod trace;
pub mod validate;
pub mod xml;

use std::path::{Path, PathBuf};

use detente_core::Scenario;

pub use clock::WallClock;
pub use document::{Document, read_document};
pub use error::{Diagnostic, DocError, FormatError, LineIndex, Result, line_column};

/// The formats a scenario can be read from and written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// detente's own TOML.
    Toml,
    /// GENIUS XML: a domain file and one utility-space file per party.
    Genius,
    /// GeniusWeb JSON: a domain file and one profile file per party.
    GeniusWeb,
}

impl SourceFormat {
    /// Every format, in the order help texts list them.
    ///
    /// ```
    /// use detente_formats::SourceFormat;
    ///
    /// for f in SourceFormat::ALL {
    ///     assert_eq!(f.as_str().parse::<SourceFormat>(), Ok(f));
    /// }
    /// assert_eq!(SourceFormat::names(), "toml, genius or geniusweb");
    /// let e = "xml".parse::<SourceFormat>().unwrap_err();
    /// assert_eq!(e.to_string(), "unknown scenario format `xml`; expected toml, genius or geniusweb");
    /// ```
    pub const ALL: [SourceFormat; 3] = [
        SourceFormat::Toml,
        SourceFormat::Genius,
        SourceFormat::GeniusWeb,
    ];

    /// Lower-case name, as the command line spells it; [`str::parse`] reads it back.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Toml => "toml",
            SourceFormat::Genius => "genius",
            SourceFormat::GeniusWeb => "geniusweb",
        }
    }

    /// The format's short name in messages: `detente TOML`, `GENIUS XML`, `GeniusWeb JSON`.
    pub fn title(self) -> &'static str {
        match self {
            SourceFormat::Toml => "detente TOML",
            SourceFormat::Genius => "GENIUS XML",
            SourceFormat::GeniusWeb => "GeniusWeb JSON",
        }
    }

    /// What the format's files are, for help texts.
    pub fn description(self) -> &'static str {
        match self {
            SourceFormat::Toml => "detente TOML (one file)",
            SourceFormat::Genius => {
                "GENIUS XML (a domain file and one utility-space file per party, in a folder)"
            }
            SourceFormat::GeniusWeb => {
                "GeniusWeb JSON (a domain file and one profile per party, in a folder)"
            }
        }
    }

    /// The names of all formats as a phrase: `toml, genius or geniusweb`.
    pub fn names() -> String {
        let names = SourceFormat::ALL.map(SourceFormat::as_str);
        let (last, rest) = names.split_last().unwrap_or((&"", &[]));
        format!("{} or {last}", rest.join(", "))
    }
}

impl std::fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for SourceFormat {
    type Err = UnknownFormat;

    /// Reads a name written by [`SourceFormat::as_str`].
    fn from_str(name: &str) -> std::result::Result<SourceFormat, UnknownFormat> {
        SourceFormat::ALL
            .into_iter()
            .find(|f| f.as_str() == name)
            .ok_or_else(|| UnknownFormat(name.to_string()))
    }
}

/// A name that is none of the [`SourceFormat`]s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown scenario format `{0}`; expected {names}", names = SourceFormat::names())]
pub struct UnknownFormat(pub String);

/// A scenario read from files, with the odd things noticed on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The scenario.
    pub scenario: Scenario,
    /// Recoverable oddities in the input.
    pub diagnostics: Vec<Diagnostic>,
    /// What it was read from.
    pub format: SourceFormat,
    /// The digest of the bytes it was read from ([`digest::of_files`]: every file read, by
    /// name; [`digest::of_parts`] for GENIUS files, which are read one at a time): what a
    /// tournament records to notice, on resuming, that a scenario file changed.
    pub digest: String,
}

/// What a file looks like from its first non-blank bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sniff {
    Xml,
    Json,
    Other,
}

fn sniff(path: &Path) -> Result<Sniff> {
    let bytes = input::read_bytes(path)?;
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    Ok(match text.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'<') => Sniff::Xml,
        Some(b'{') => Sniff::Json,
        _ => Sniff::Other,
    })
}

/// Reads a scenario from a TOML file, a GENIUS or GeniusWeb domain folder, or a list of files
/// (a domain file and its profiles). The format is detected from the contents, not the names.
pub fn load(paths: &[PathBuf]) -> Result<Loaded> {
    let files: Vec<PathBuf> = match paths {
        [] => {
            return Err(FormatError::Unrecognised {
                path: PathBuf::new(),
                message: "no scenario given".into(),
            });
        }
        [one] if one.is_dir() => {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(one)
                .map_err(|source| FormatError::Io {
                    path: one.clone(),
                    source,
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            entries.sort();
            let tomls: Vec<_> = entries
                .iter()
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect();
            match tomls.as_slice() {
                [single] => return scenario_toml::load(single),
                [] => {}
                _ => {
                    return Err(FormatError::Unrecognised {
                        path: one.clone(),
                        message: format!(
                            "the folder holds {} TOML files; name the scenario file itself",
                            tomls.len()
                        ),
                    });
                }
            }
            let has = |ext: &str| {
                entries
                    .iter()
                    .any(|p| p.extension().is_some_and(|e| e == ext))
            };
            if has("xml") {
                return genius::load_dir(one);
            }
            if has("json") {
                return geniusweb::load_dir(one);
            }
            return Err(FormatError::Unrecognised {
                path: one.clone(),
                message:
                    "the folder holds no scenario: no .toml, GENIUS .xml or GeniusWeb .json files"
                        .into(),
            });
        }
        many => many.to_vec(),
    };
    let mut kinds = Vec::with_capacity(files.len());
    for f in &files {
        kinds.push(sniff(f)?);
    }
    if let ([file], [Sniff::Other]) = (files.as_slice(), kinds.as_slice()) {
        return scenario_toml::load(file);
    }
    if kinds.iter().all(|k| *k == Sniff::Xml) {
        return genius::load_files(&files);
    }
    if kinds.iter().all(|k| *k == Sniff::Json) {
        return geniusweb::load_files(&files);
    }
    let odd = files
        .iter()
        .zip(&kinds)
        .find(|(_, k)| **k == Sniff::Other)
        .map(|(f, _)| f)
        .unwrap_or(&files[0]);
    Err(FormatError::Unrecognised {
        path: odd.clone(),
        message: "expected one TOML scenario file, or GENIUS XML files, or GeniusWeb JSON files (not a mix)".into(),
    })
}
