//! Merging shard outputs into one tournament: the shards' results read as one stream in index
//! order (`detente_formats::tournament::SortedMerge`), checked to hold every negotiation
//! exactly once, written whole, then the summary of the whole.

use std::path::{Path, PathBuf};

use detente_formats::tournament::{ManifestDoc, ResultRow, ResultsFolder, SortedMerge, files};

use crate::error::{Result, TournamentError};
use crate::runner::unsharded;
use crate::summary::{Summary, SummaryBuilder};

/// What a merge did.
#[derive(Debug, Clone)]
pub struct MergeReport {
    /// Result rows written to the merged results file (one per negotiation of the plan).
    pub rows: u64,
    /// The summary of the merged results.
    pub summary: Summary,
}

fn fail(message: String) -> TournamentError {
    TournamentError::Merge(message)
}

/// Checks that the manifests of the folders `inputs` are those of shards of one plan.
fn check_same_plan(inputs: &[PathBuf], manifests: &[ManifestDoc]) -> Result<()> {
    let first = &manifests[0];
    for (dir, m) in inputs.iter().zip(manifests).skip(1) {
        if m.fingerprint != first.fingerprint
            || m.negotiations != first.negotiations
            || m.negotiators != first.negotiators
            || m.width != first.width
        {
            let changes = first.input_changes(m);
            let what = if changes.is_empty() {
                String::new()
            } else {
                format!(" ({})", changes.join("; "))
            };
            return Err(fail(format!(
                "{} holds `{}` (fingerprint {}), but {} holds `{}` (fingerprint {}): not shards \
                 of one plan run on the same inputs{what}",
                dir.display(),
                m.tournament,
                m.fingerprint,
                inputs[0].display(),
                first.tournament,
                first.fingerprint
            )));
        }
    }
    Ok(())
}

/// Checks the merged stream as it comes: each shard sorted, every negotiation once, and
/// folds the summary.
struct Tally<'a> {
    inputs: &'a [PathBuf],
    total: u64,
    last: Vec<Option<u64>>,
    expected: u64,
    builder: SummaryBuilder,
}

impl Tally<'_> {
    /// Accepts row `row` of input `i`, or says why it cannot be the next row.
    fn add(&mut self, i: usize, row: &ResultRow) -> Result<()> {
        let index = row.index;
        if let Some(l) = self.last[i].filter(|&l| index <= l) {
            return Err(fail(format!(
                "{}: row {index} follows row {l}; shard results must be sorted by index (as \
                 `tournament run` writes them)",
                self.inputs[i].join(files::RESULTS).display(),
            )));
        }
        self.last[i] = Some(index);
        if index < self.expected {
            return Err(fail(format!(
                "negotiation {index} appears twice (again in {})",
                self.inputs[i].display()
            )));
        }
        if index > self.expected {
            return Err(fail(format!(
                "negotiation {} is missing (the shards hold {} negotiations in all); finish \
                 every shard with `tournament run --resume` first",
                self.expected, self.total
            )));
        }
        self.builder
            .add(row)
            .map_err(|m| fail(format!("{}: {m}", self.inputs[i].display())))?;
        self.expected += 1;
        Ok(())
    }

    /// Checks that no negotiation is missing at the end.
    fn complete(&self) -> Result<()> {
        if self.expected != self.total {
            return Err(fail(format!(
                "negotiations {} to {} are missing; finish every shard with `tournament run \
                 --resume` first",
                self.expected,
                self.total - 1
            )));
        }
        Ok(())
    }
}

/// Merges the output folders `inputs` (shards of one plan, each run to completion) into
/// `out`. The result is byte for byte what an unsharded run writes; a merge that fails leaves
/// no results file in `out`.
pub fn merge(inputs: &[PathBuf], out: &Path) -> Result<MergeReport> {
    if inputs.is_empty() {
        return Err(fail("no input folders given".into()));
    }
    let folders: Vec<ResultsFolder> = inputs.iter().map(ResultsFolder::new).collect();
    let manifests = folders
        .iter()
        .map(ResultsFolder::read_manifest)
        .collect::<std::result::Result<Vec<_>, _>>()?;
    check_same_plan(inputs, &manifests)?;
    let first = &manifests[0];
    let scenarios = folders[0].read_scenarios()?;
    let out = ResultsFolder::new(out);
    if out.has_results() {
        return Err(TournamentError::Output {
            path: out.dir().to_path_buf(),
            message: "already holds results; merge into a new folder".into(),
        });
    }
    out.create()?;
    let mut tally = Tally {
        inputs,
        total: first.negotiations,
        last: vec![None; inputs.len()],
        expected: 0,
        builder: SummaryBuilder::new(&first.tournament, &first.negotiators),
    };
    let mut rows = SortedMerge::open(&folders)?;
    let mut writer = out.write_results(first.width)?;
    while let Some((i, row)) = rows.next_row()? {
        tally.add(i, &row)?;
        writer.write(&row)?;
    }
    tally.complete()?;
    writer.commit()?;
    out.write_manifest(&unsharded(first))?;
    out.write_scenarios(&scenarios)?;
    let summary = tally.builder.finish();
    out.write_summary(&summary)?;
    Ok(MergeReport {
        rows: tally.expected,
        summary,
    })
}
