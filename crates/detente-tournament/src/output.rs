//! Reading a finished tournament back from its output folder, for reports and plots: the
//! manifest, every row, and the summary recomputed from the rows (so a folder of merged
//! shards, or one whose summary files are missing, reads the same).

use std::path::Path;

use detente_formats::tournament::{ManifestDoc, ResultRow, ResultsFolder};

use crate::error::{Result, TournamentError};
use crate::summary::{Summary, fold_rows};

/// A tournament output folder, read.
#[derive(Debug, Clone, PartialEq)]
pub struct TournamentOutput {
    /// What the folder holds (names of the tournament, negotiators and scenarios).
    pub manifest: ManifestDoc,
    /// The results, in index order.
    pub rows: Vec<ResultRow>,
    /// The summary of the rows, computed from them (not read from `summary.json`).
    pub summary: Summary,
}

/// Reads the output folder `dir`: `manifest.json` and `results.csv` (which must be sorted by
/// index, as runs and merges write it).
pub fn read_output(dir: &Path) -> Result<TournamentOutput> {
    let folder = ResultsFolder::new(dir);
    let manifest = folder.read_manifest()?;
    if !folder.has_results() {
        return Err(TournamentError::Output {
            path: folder.results_path(),
            message: "missing: the tournament has no results yet".into(),
        });
    }
    let mut rows = Vec::new();
    let summary = fold_rows(
        folder.read_results()?,
        &manifest.tournament,
        &manifest.negotiators,
        |row| rows.push(row),
    )?;
    Ok(TournamentOutput {
        manifest,
        rows,
        summary,
    })
}
