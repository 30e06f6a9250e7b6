//! Starting a run in its output folder: a new folder gets its manifest and an empty results
//! file; a folder that already holds results is resumed (when asked for): checked to hold
//! this plan's shard, repaired after a crash, and read for the negotiations already done.

use detente_formats::tournament::{ManifestDoc, ResultsFolder};

use crate::error::{Result, TournamentError};
use crate::runner::Shard;
use crate::runner::hooks::Observer;
use crate::runner::manifest::check_resumable;

/// Bit set over a shard's positions.
pub(crate) struct Done(Vec<u64>);

impl Done {
    fn new(n: u64) -> Self {
        Done(vec![0; n.div_ceil(64) as usize])
    }
    pub(crate) fn get(&self, i: u64) -> bool {
        self.0[(i / 64) as usize] >> (i % 64) & 1 == 1
    }
    pub(crate) fn set(&mut self, i: u64) {
        self.0[(i / 64) as usize] |= 1 << (i % 64);
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
            done: Done::new(shard.len(manifest.negotiations)),
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
        done: Done::new(shard.len(total)),
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
