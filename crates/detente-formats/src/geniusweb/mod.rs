//! GeniusWeb JSON scenarios: a domain file (`issuesValues`) and one
//! `LinearAdditiveUtilitySpace` profile per party, read and written with GeniusWeb's semantics.
//!
//! `U = Σ w_i · u_i(value)`, with no cap. Discrete utilities are listed per value (under
//! `discreteutils` or `DiscreteValueSetUtilities`); number utilities interpolate linearly
//! between `(lowValue, lowUtility)` and `(highValue, highUtility)` and are 0 outside (under
//! `numberutils` or `NumberValueSetUtilities`). A number-valued issue `{"range": [low, high,
//! step]}` (or `{"range": {"low", "high", "step"}}`) becomes an integer issue when `low` and
//! `high` are whole and `step` is 1, and a real issue with `(high − low)/step + 1` points
//! otherwise. The reservation value is the utility of the profile's `reservationBid` (0 when
//! there is none); the discount factor is 1, since GeniusWeb has none.
//!
//! Files that are neither a domain nor a profile (such as ANL 2023's `specials.json`) are
//! skipped with a diagnostic. A profile naming an issue or value the domain lacks is an error.

mod json;
mod read;
mod write;

use std::path::{Path, PathBuf};

use detente_core::OutcomeSpace;

use crate::genius::{assemble, check_counts, list_dir, sort_by_file_name};
use crate::{Diagnostic, FormatError, Loaded, Result, SourceFormat};
use json::Json;
use read::FileKind;

pub use write::write;

/// An error at a place inside a file (a JSON path such as `issuesValues."price"`).
fn err_in(path: &Path, location: impl Into<String>, message: impl Into<String>) -> FormatError {
    FormatError::In {
        path: path.to_path_buf(),
        location: location.into(),
        message: message.into(),
    }
}

/// A recoverable oddity at a place inside a file.
fn diag(path: &Path, location: impl Into<String>, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        path: path.to_path_buf(),
        location: location.into(),
        message: message.into(),
    }
}

/// A key as a JSON path shows it: quoted.
fn q(key: &str) -> String {
    format!("\"{key}\"")
}

/// Reads a GeniusWeb domain file and its profile files, given in any order.
pub fn load_files(files: &[PathBuf]) -> Result<Loaded> {
    let mut inputs = Vec::with_capacity(files.len());
    for f in files {
        let bytes = crate::input::read_bytes(f)?;
        inputs.push((f.clone(), bytes));
    }
    load_bytes(&inputs)
}

/// Reads every `.json` file of a folder as a GeniusWeb scenario.
pub fn load_dir(dir: &Path) -> Result<Loaded> {
    let files = list_dir(dir, "json")?;
    if files.is_empty() {
        return Err(FormatError::Unrecognised {
            path: dir.to_path_buf(),
            message: "the folder holds no .json files".into(),
        });
    }
    load_files(&files)
}

/// Reads a GeniusWeb scenario from file contents already in memory (`(path, bytes)` pairs;
/// the paths only name the files in messages and the parties).
pub fn load_bytes(files: &[(PathBuf, Vec<u8>)]) -> Result<Loaded> {
    let mut diags = Vec::new();
    let mut docs = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        let v = json::parse(bytes).map_err(|(line, column, message)| FormatError::At {
            path: path.clone(),
            line,
            column,
            message: format!("not valid JSON: {message}"),
        })?;
        let kind = read::classify(path, &v)?;
        if kind == FileKind::Other {
            diags.push(diag(path, "file", "neither a GeniusWeb domain (issuesValues) nor a profile (LinearAdditiveUtilitySpace); skipped"));
            continue;
        }
        docs.push((path.clone(), v, kind));
    }
    let all: Vec<PathBuf> = files.iter().map(|f| f.0.clone()).collect();
    let domains: Vec<&Path> = docs
        .iter()
        .filter(|d| d.2 == FileKind::Domain)
        .map(|d| d.0.as_path())
        .collect();
    let profiles: Vec<&Path> = docs
        .iter()
        .filter(|d| d.2 == FileKind::Profile)
        .map(|d| d.0.as_path())
        .collect();
    check_counts("GeniusWeb", &domains, &profiles, &all)?;
    let (domain_path, domain_doc, _) = docs
        .iter()
        .find(|d| d.2 == FileKind::Domain)
        .expect("counted above");
    let issues = read::read_domain(domain_path, domain_doc, "", &mut diags)?;
    let space = OutcomeSpace::new(issues.clone())
        .map_err(|e| err_in(domain_path, "issuesValues", e.to_string()))?;
    let mut profile_docs: Vec<(PathBuf, &Json)> = docs
        .iter()
        .filter(|d| d.2 == FileKind::Profile)
        .map(|d| (d.0.clone(), &d.1))
        .collect();
    sort_by_file_name(&mut profile_docs);
    let mut parties = Vec::with_capacity(profile_docs.len());
    for (path, v) in &profile_docs {
        parties.push((
            path.clone(),
            read::read_profile(path, v, &space, &issues, &mut diags)?,
        ));
    }
    let paths: Vec<PathBuf> = parties.iter().map(|(p, _)| p.clone()).collect();
    let scenario = assemble("GeniusWeb", domain_path, space, parties)?;
    let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    diags.extend(crate::validate::check(
        &scenario,
        &paths,
        SourceFormat::GeniusWeb,
    ));
    Ok(Loaded {
        scenario,
        diagnostics: diags,
        format: SourceFormat::GeniusWeb,
        digest: crate::digest::of_files(files),
    })
}
