//! Starting a run in its output folder: a new folder gets its manifest and an empty results
//! file; a folder that already holds results is resumed (when asked for): checked to hold
//! this plan's shard, repaired after a crash, and read for the negotiations already done.

use std::collections::BTreeMap;

use detente_formats::tournament::{ManifestDoc, ResultsFolder};

use crate::error::{Result, TournamentError};
use crate::runner::Shard;
use crate::runner::hooks::Observer;
use crate::runner::manifest::check_resumable;

/// The shard positions done, as disjoint runs of consecutive positions (`start -> end`,
/// end excluded). Runs write rows in order, so a results file is a few runs whatever its
/// length: memory grows with the gaps in the file, never with the number of negotiations a
/// plan schedules.
#[derive(Debug, Default)]
pub(crate) struct Done {
    runs: BTreeMap<u64, u64>,
}

impl Done {
    /// The run holding position `i`, if any.
    fn run_of(&self, i: u64) -> Option<(u64, u64)> {
        self.runs
            .range(..=i)
            .next_back()
            .map(|(&s, &e)| (s, e))
            .filter(|&(_, e)| i < e)
    }

    /// Whether position `i` is done.
    pub(crate) fn get(&self, i: u64) -> bool {
        self.run_of(i).is_some()
    }

    /// Marks position `i` done, joining the runs it touches.
    pub(crate) fn set(&mut self, i: u64) {
        if self.get(i) {
            return;
        }
        let before = self
            .runs
            .range(..i)
            .next_back()
            .filter(|&(_, &e)| e == i)
            .map(|(&s, _)| s);
        let after = self.runs.remove(&(i + 1));
        let start = before.unwrap_or(i);
        self.runs.insert(start, after.unwrap_or(i + 1));
    }

    /// The first position from `p` on that is not done.
    pub(crate) fn next_missing(&self, p: u64) -> u64 {
        self.run_of(p).map_or(p, |(_, e)| e)
    }

    /// The last position done.
    pub(crate) fn last(&self) -> Option<u64> {
        self.runs.values().next_back().map(|&e| e - 1)
    }
}

/// What is in the results file when a run starts.
pub(crate) struct Start {
    /// The shard positions whose rows are there.
    pub done: Done,
    /// The number of those rows.
    pub resumed: u64,
    /// Whether they are sorted by index.
    pub sorted: bool,
}

/// Prepares `folder` for the shard `shard` of the plan `manifest` describes (see the module
/// documentation); `resume` allows continuing results already there.
pub(crate) fn start(
    folder: &ResultsFolder,
    manifest: &ManifestDoc,
    shard: Shard,
    resume: bool,
    observer: &dyn Observer,
) -> Result<Start> {
    folder.create()?;
    if !folder.has_results() {
        folder.write_manifest(manifest)?;
        folder.start_results(manifest.width)?;
        return Ok(Start {
            done: Done::default(),
            resumed: 0,
            sorted: true,
        });
    }
    if !resume {
        return Err(TournamentError::Output {
            path: folder.dir().to_path_buf(),
            message: "already holds results; resume them (--resume) or choose another \
                      output folder"
                .into(),
        });
    }
    check_resumable(folder.dir(), &folder.read_manifest()?, manifest)?;
    let dropped = folder.repair_results(manifest.width)?;
    if dropped > 0 {
        observer.warning(&format!(
            "dropped an unfinished row ({dropped} bytes) at the end of {}",
            folder.results_path().display()
        ));
    }
    read_done(folder, shard, manifest.negotiations, manifest.width)
}

/// Reads the rows already in a results file: which shard positions are done, and whether
/// the file is sorted by index.
fn read_done(folder: &ResultsFolder, shard: Shard, total: u64, width: usize) -> Result<Start> {
    let mut reader = folder.read_results()?;
    let path = reader.path().to_path_buf();
    if reader.width() != width {
        return Err(TournamentError::Output {
            path,
            message: format!(
                "has {} per-role columns but the plan needs {width}",
                reader.width()
            ),
        });
    }
    let mut start = Start {
        done: Done::default(),
        resumed: 0,
        sorted: true,
    };
    let mut last: Option<u64> = None;
    let mut line = 1usize;
    while let Some(row) = reader.next_row()? {
        line += 1;
        let at = |message: String| TournamentError::At {
            path: path.clone(),
            line,
            column: 1,
            message,
        };
        if row.index >= total || !shard.contains(row.index) {
            return Err(at(format!(
                "row {} is not a negotiation of shard {shard} of this plan",
                row.index
            )));
        }
        let pos = row.index / shard.count;
        if start.done.get(pos) {
            return Err(at(format!("row {} appears twice", row.index)));
        }
        start.done.set(pos);
        start.resumed += 1;
        if last.is_some_and(|l| row.index < l) {
            start.sorted = false;
        }
        last = Some(row.index);
    }
    Ok(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_join_and_answer_like_a_bit_set() {
        let mut done = Done::default();
        let mut bits = [false; 40];
        for i in [5u64, 7, 6, 0, 1, 30, 2, 39, 4, 3, 8, 31, 29] {
            done.set(i);
            bits[i as usize] = true;
            for (p, &b) in bits.iter().enumerate() {
                assert_eq!(done.get(p as u64), b, "position {p} after setting {i}");
            }
            let missing = |p: usize| (p..40).find(|&q| !bits[q]).unwrap_or(40) as u64;
            for p in 0..40 {
                assert_eq!(done.next_missing(p as u64), missing(p));
            }
        }
        assert_eq!(done.last(), Some(39));
        // 0..=8, 29..=31, 39: three runs.
        assert_eq!(done.runs.len(), 3);
        assert_eq!(Done::default().last(), None);
    }
}
