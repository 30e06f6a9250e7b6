//! `traces.jsonl.gz`: the per-round traces of a tournament's negotiations (`tournament run
//! --traces`), one [`TraceDoc`] per line (JSON lines, each the trace format of
//! `docs/trace-format.md` on one line), gzip-compressed.
//!
//! Runs append one gzip member per batch, flushed with the batch's rows, so the file is a
//! valid gzip stream after every batch (gzip readers read concatenated members as one
//! stream). A negotiation's trace is joined to its results row by the `seed`, which is unique
//! to each negotiation of a plan. A resumed run first keeps only the traces of negotiations
//! whose rows are in the results file ([`TracesFile::keep`]), dropping what a crash left
//! half-written.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write as _};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;

use crate::error::{FormatError, Result};
use crate::trace::TraceDoc;

/// The file name of the traces in an output folder.
pub const TRACES: &str = "traces.jsonl.gz";

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> FormatError + '_ {
    move |source| FormatError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The traces file of an output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TracesFile {
    path: PathBuf,
}

impl TracesFile {
    /// The traces file in the output folder `dir`.
    pub fn in_folder(dir: &Path) -> Self {
        TracesFile {
            path: dir.join(TRACES),
        }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one batch of traces as a gzip member, and flushes it to disk.
    pub fn append(&self, traces: &[TraceDoc]) -> Result<()> {
        if traces.is_empty() {
            return Ok(());
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(io(&self.path))?;
        let mut gz = GzEncoder::new(BufWriter::new(file), Compression::default());
        for t in traces {
            let line = serde_json::to_string(t).map_err(|e| FormatError::Unrecognised {
                path: self.path.clone(),
                message: format!("a trace could not be written: {e}"),
            })?;
            gz.write_all(line.as_bytes()).map_err(io(&self.path))?;
            gz.write_all(b"\n").map_err(io(&self.path))?;
        }
        let file = gz
            .finish()
            .and_then(|w| w.into_inner().map_err(|e| e.into_error()))
            .map_err(io(&self.path))?;
        file.sync_data().map_err(io(&self.path))
    }

    /// Keeps the traces whose `seed` is in `seeds` (each once), dropping the rest and
    /// whatever a crash left unfinished at the end; returns how many it kept. A missing file
    /// keeps nothing.
    pub fn keep(&self, seeds: &HashSet<u64>) -> Result<u64> {
        if !self.path.exists() {
            return Ok(0);
        }
        let lines = self.read_lines()?;
        let mut seen = HashSet::new();
        let kept: Vec<String> = lines
            .into_iter()
            .filter(|line| seed_of(line).is_some_and(|s| seeds.contains(&s) && seen.insert(s)))
            .collect();
        let tmp = self.path.with_extension("gz.tmp");
        {
            let file = File::create(&tmp).map_err(io(&tmp))?;
            let mut gz = GzEncoder::new(BufWriter::new(file), Compression::default());
            for line in &kept {
                gz.write_all(line.as_bytes()).map_err(io(&tmp))?;
                gz.write_all(b"\n").map_err(io(&tmp))?;
            }
            let file = gz
                .finish()
                .and_then(|w| w.into_inner().map_err(|e| e.into_error()))
                .map_err(io(&tmp))?;
            file.sync_data().map_err(io(&tmp))?;
        }
        std::fs::rename(&tmp, &self.path).map_err(io(&self.path))?;
        Ok(kept.len() as u64)
    }

    /// The complete lines of the file, in order; reading stops quietly at a truncated member
    /// or a line cut short (what a crash leaves).
    fn read_lines(&self) -> Result<Vec<String>> {
        let file = File::open(&self.path).map_err(io(&self.path))?;
        let reader = BufReader::new(MultiGzDecoder::new(BufReader::new(file)));
        let mut lines = Vec::new();
        for line in reader.split(b'\n') {
            let Ok(bytes) = line else { break };
            let Ok(text) = String::from_utf8(bytes) else {
                break;
            };
            lines.push(text);
        }
        Ok(lines)
    }

    /// Every trace in the file, in order (for tests and tools).
    pub fn read_all(&self) -> Result<Vec<TraceDoc>> {
        self.read_lines()?
            .iter()
            .map(|l| TraceDoc::from_json_str(l, &self.path))
            .collect()
    }
}

/// The `seed` of a trace line, when it is a complete JSON object with one.
fn seed_of(line: &str) -> Option<u64> {
    #[derive(serde::Deserialize)]
    struct Seed {
        seed: u64,
    }
    serde_json::from_str::<Seed>(line).ok().map(|s| s.seed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(seed: u64) -> TraceDoc {
        let mut d: TraceDoc = serde_json::from_value(serde_json::json!({
            "format": "detente-trace/1", "scenario": "s", "seed": seed, "deadline": 3,
            "issues": ["x"], "parties": [{"name": "A", "negotiator": "linear", "reservation": 0.0, "discount": 1.0},
                                          {"name": "B", "negotiator": "linear", "reservation": 0.0, "discount": 1.0}],
            "actions": [], "result": {"termination": "deadline", "rounds": 3, "time": 1.0,
                                      "utilities": {"A": 0.0, "B": 0.0}}
        }))
        .unwrap();
        d.seed = seed;
        d
    }

    #[test]
    fn batches_append_and_a_resume_keeps_what_is_done() {
        let dir = detente_testkit::TempDir::new("traces-file");
        let f = TracesFile::in_folder(dir.path());
        f.append(&[doc(1), doc(2)]).unwrap();
        f.append(&[doc(3)]).unwrap();
        let seeds: Vec<u64> = f.read_all().unwrap().iter().map(|d| d.seed).collect();
        assert_eq!(seeds, [1, 2, 3]);
        // A crash halfway through the next member.
        let full = std::fs::read(f.path()).unwrap();
        f.append(&[doc(4), doc(5)]).unwrap();
        let grown = std::fs::read(f.path()).unwrap();
        std::fs::write(
            f.path(),
            &grown[..full.len() + (grown.len() - full.len()) / 2],
        )
        .unwrap();
        let kept = f.keep(&HashSet::from([1, 3, 4])).unwrap();
        assert_eq!(kept, 2);
        let seeds: Vec<u64> = f.read_all().unwrap().iter().map(|d| d.seed).collect();
        assert_eq!(seeds, [1, 3]);
    }
}
