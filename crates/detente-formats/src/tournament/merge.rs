//! Reading the results files of several output folders (the shards of one plan) as one
//! stream in index order: a streaming k-way merge that holds one row per file.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::error::Result;
use crate::tournament::folder::ResultsFolder;
use crate::tournament::results::{ResultRow, RowReader};

/// The rows of several results files, smallest index first (ties: the earlier file first).
/// Each file is expected to be sorted by index; whether it is, and whether indices repeat or
/// are missing, is for the caller to check as the rows come.
#[derive(Debug)]
pub struct SortedMerge {
    readers: Vec<RowReader>,
    heads: Vec<Option<ResultRow>>,
    heap: BinaryHeap<Reverse<(u64, usize)>>,
}

impl SortedMerge {
    /// Opens the results files of `folders` and reads the first row of each.
    pub fn open(folders: &[ResultsFolder]) -> Result<Self> {
        let readers = folders
            .iter()
            .map(ResultsFolder::read_results)
            .collect::<Result<Vec<_>>>()?;
        let mut merge = SortedMerge {
            heads: vec![None; readers.len()],
            readers,
            heap: BinaryHeap::new(),
        };
        for i in 0..merge.readers.len() {
            merge.advance(i)?;
        }
        Ok(merge)
    }

    fn advance(&mut self, i: usize) -> Result<()> {
        if let Some(row) = self.readers[i].next_row()? {
            self.heap.push(Reverse((row.index, i)));
            self.heads[i] = Some(row);
        }
        Ok(())
    }

    /// The next row and the position of the folder it comes from; `None` when every file is
    /// exhausted.
    pub fn next_row(&mut self) -> Result<Option<(usize, ResultRow)>> {
        let Some(Reverse((_, i))) = self.heap.pop() else {
            return Ok(None);
        };
        let row = self.heads[i]
            .take()
            .expect("a queued reader has a head row");
        self.advance(i)?;
        Ok(Some((i, row)))
    }
}
