//! Merging shard outputs into one tournament: a streaming k-way merge by index that checks
//! every negotiation is there exactly once, then the summary of the whole.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};

use crate::error::{Result, TournamentError};
use crate::results::{Row, RowReader, header_line, write_row};
use crate::runner::{Manifest, Shard, files, write_file};
use crate::summary::{Summary, SummaryBuilder};

/// What a merge did.
#[derive(Debug, Clone)]
pub struct MergeReport {
    /// Rows written.
    pub rows: u64,
    /// The summary of the merged results.
    pub summary: Summary,
}

/// Merges the output folders `inputs` (shards of one plan, each run to completion) into
/// `out`. The result is byte for byte what an unsharded run writes.
pub fn merge(inputs: &[PathBuf], out: &Path) -> Result<MergeReport> {
    let fail = |m: String| TournamentError::Merge(m);
    if inputs.is_empty() {
        return Err(fail("no input folders given".into()));
    }
    let mut manifests = Vec::with_capacity(inputs.len());
    for dir in inputs {
        manifests.push(Manifest::read(dir)?);
    }
    let first = &manifests[0];
    for (dir, m) in inputs.iter().zip(&manifests).skip(1) {
        if m.fingerprint != first.fingerprint
            || m.negotiations != first.negotiations
            || m.negotiators != first.negotiators
            || m.width != first.width
        {
            return Err(fail(format!(
                "{} holds `{}` (fingerprint {}), but {} holds `{}` (fingerprint {}): not shards \
                 of one plan",
                dir.display(),
                m.tournament,
                m.fingerprint,
                inputs[0].display(),
                first.tournament,
                first.fingerprint
            )));
        }
    }
    let scenarios_first = std::fs::read(inputs[0].join(files::SCENARIOS))
        .map_err(|e| TournamentError::io(inputs[0].join(files::SCENARIOS), e))?;
    let out_results = out.join(files::RESULTS);
    if out_results.exists() {
        return Err(TournamentError::Output {
            path: out.to_path_buf(),
            message: "already holds results; merge into a new folder".into(),
        });
    }
    std::fs::create_dir_all(out).map_err(|e| TournamentError::io(out, e))?;

    let width = first.width;
    let total = first.negotiations;
    let mut readers = Vec::with_capacity(inputs.len());
    for dir in inputs {
        readers.push(RowReader::open(&dir.join(files::RESULTS))?);
    }
    let mut last: Vec<Option<u64>> = vec![None; readers.len()];
    let mut heads: Vec<Option<Row>> = vec![None; readers.len()];
    let mut heap = BinaryHeap::new();
    let mut advance = |i: usize,
                       readers: &mut Vec<RowReader>,
                       heads: &mut Vec<Option<Row>>,
                       heap: &mut BinaryHeap<Reverse<(u64, usize)>>|
     -> Result<()> {
        if let Some(row) = readers[i].next_row()? {
            if last[i].is_some_and(|l| row.index <= l) {
                return Err(fail(format!(
                    "{}: row {} follows row {}; shard results must be sorted by index (as \
                     `tournament run` writes them)",
                    inputs[i].join(files::RESULTS).display(),
                    row.index,
                    last[i].unwrap_or_default()
                )));
            }
            last[i] = Some(row.index);
            heap.push(Reverse((row.index, i)));
            heads[i] = Some(row);
        }
        Ok(())
    };
    for i in 0..readers.len() {
        advance(i, &mut readers, &mut heads, &mut heap)?;
    }
    // Written under a temporary name and renamed once complete, so a failed merge leaves no
    // results file behind.
    let partial = out.join("results.csv.partial");
    let file = std::fs::File::create(&partial).map_err(|e| TournamentError::io(&partial, e))?;
    let mut w = BufWriter::with_capacity(1 << 16, file);
    let io = |e| TournamentError::io(&partial, e);
    w.write_all(header_line(width).as_bytes()).map_err(io)?;
    let mut builder = SummaryBuilder::new(&first.tournament, &first.negotiators);
    let mut expected = 0u64;
    let mut line = String::with_capacity(256);
    while let Some(Reverse((index, i))) = heap.pop() {
        let row = heads[i].take().expect("a queued reader has a head row");
        if index < expected {
            return Err(fail(format!(
                "negotiation {index} appears twice (again in {})",
                inputs[i].display()
            )));
        }
        if index > expected {
            return Err(fail(format!(
                "negotiation {expected} is missing (the shards hold {} negotiations in all); \
                 finish every shard with `tournament run --resume` first",
                total
            )));
        }
        builder
            .add(&row)
            .map_err(|m| fail(format!("{}: {m}", inputs[i].display())))?;
        line.clear();
        write_row(&mut line, &row, width);
        w.write_all(line.as_bytes()).map_err(io)?;
        expected += 1;
        advance(i, &mut readers, &mut heads, &mut heap)?;
    }
    if expected != total {
        return Err(fail(format!(
            "negotiations {expected} to {} are missing; finish every shard with `tournament run \
             --resume` first",
            total - 1
        )));
    }
    w.flush().map_err(io)?;
    drop(w);
    std::fs::rename(&partial, &out_results).map_err(|e| TournamentError::io(&out_results, e))?;
    let manifest = Manifest {
        shard: Shard::default(),
        ..first.clone()
    };
    manifest.write(out)?;
    write_file(&out.join(files::SCENARIOS), &scenarios_first)?;
    let summary = builder.finish();
    write_file(&out.join(files::SUMMARY_CSV), summary.to_csv().as_bytes())?;
    write_file(&out.join(files::SUMMARY_JSON), summary.to_json().as_bytes())?;
    Ok(MergeReport {
        rows: expected,
        summary,
    })
}
