//! The per-round traces of a run (`RunConfig::traces`): before a run starts, the traces file
//! keeps only the traces of the negotiations whose rows are in the results file, so that a
//! resumed run ends with exactly one trace per row.

use std::collections::HashSet;

use detente_formats::tournament::{ResultsFolder, TracesFile};

use crate::error::Result;
use crate::plan::Schedule;
use crate::runner::Shard;
use crate::runner::resume::Done;

/// Keeps the traces of the shard positions `done` (a new run keeps none).
pub(crate) fn keep_done(
    folder: &ResultsFolder,
    schedule: &Schedule,
    shard: Shard,
    done: &Done,
) -> Result<()> {
    let seeds: HashSet<u64> = (0..shard.len(schedule.total()))
        .filter(|&p| done.get(p))
        .filter_map(|p| schedule.get(shard.index_at(p)).map(|n| n.seed))
        .collect();
    TracesFile::in_folder(folder.dir()).keep(&seeds)?;
    Ok(())
}
