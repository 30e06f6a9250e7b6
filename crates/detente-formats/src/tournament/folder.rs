//! A tournament output folder on disk: creating it, writing and reading its manifest, scenario
//! table and summary, and its results file, which runs append to in flushed batches, resumed
//! runs repair after a crash, and merges write whole.

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};

use crate::error::{FormatError, Result};
use crate::tournament::files;
use crate::tournament::manifest::ManifestDoc;
use crate::tournament::results::{ResultLine, ResultRow, RowReader, drop_torn_tail, header_line};
use crate::tournament::scenarios::{ScenarioRow, parse_scenarios_csv, scenarios_csv};
use crate::tournament::summary::Summary;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> FormatError + '_ {
    move |source| FormatError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(io(path))
}

/// A tournament output folder (the files are named in [`files`]). Making one does not touch
/// the disk; its methods do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultsFolder {
    dir: PathBuf,
}

impl ResultsFolder {
    /// The output folder `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        ResultsFolder { dir: dir.into() }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of the file `name` (one of [`files`]) in the folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The results file.
    pub fn results_path(&self) -> PathBuf {
        self.file(files::RESULTS)
    }

    /// Creates the folder (and its parents) when missing. A path that exists but is not a
    /// folder (a file, a device) is an input error, not a system one.
    pub fn create(&self) -> Result<()> {
        if let Ok(meta) = std::fs::metadata(&self.dir)
            && !meta.is_dir()
        {
            return Err(FormatError::Unrecognised {
                path: self.dir.clone(),
                message: "exists and is not a folder; give a folder (new or holding results) \
                          as the output"
                    .into(),
            });
        }
        std::fs::create_dir_all(&self.dir).map_err(|e| match e.kind() {
            // A parent is a file.
            std::io::ErrorKind::NotADirectory | std::io::ErrorKind::AlreadyExists => {
                FormatError::Unrecognised {
                    path: self.dir.clone(),
                    message: format!("cannot be made a folder: {e}"),
                }
            }
            _ => io(&self.dir)(e),
        })
    }

    /// Whether the folder holds a results file.
    pub fn has_results(&self) -> bool {
        self.results_path().exists()
    }

    /// Reads `manifest.json`; a folder without one is not a tournament output folder.
    pub fn read_manifest(&self) -> Result<ManifestDoc> {
        let path = self.file(files::MANIFEST);
        let text = crate::input::read_text(&path).map_err(|e| match e {
            FormatError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                FormatError::Unrecognised {
                    path: self.dir.clone(),
                    message: format!(
                        "not a tournament output folder: it has no {}",
                        files::MANIFEST
                    ),
                }
            }
            other => other,
        })?;
        ManifestDoc::from_json(&text, &path)
    }

    /// Writes `manifest.json`.
    pub fn write_manifest(&self, manifest: &ManifestDoc) -> Result<()> {
        write_file(&self.file(files::MANIFEST), manifest.to_json().as_bytes())
    }

    /// Reads `scenarios.csv`.
    pub fn read_scenarios(&self) -> Result<Vec<ScenarioRow>> {
        let path = self.file(files::SCENARIOS);
        let text = crate::input::read_text(&path)?;
        parse_scenarios_csv(&text, &path)
    }

    /// Writes `scenarios.csv`.
    pub fn write_scenarios(&self, rows: &[ScenarioRow]) -> Result<()> {
        write_file(&self.file(files::SCENARIOS), scenarios_csv(rows).as_bytes())
    }

    /// Writes `summary.csv` and `summary.json`.
    pub fn write_summary(&self, summary: &Summary) -> Result<()> {
        write_file(&self.file(files::SUMMARY_CSV), summary.to_csv().as_bytes())?;
        write_file(
            &self.file(files::SUMMARY_JSON),
            summary.to_json().as_bytes(),
        )
    }

    /// Starts an empty results file of width `k` (per-role columns): the header only.
    pub fn start_results(&self, k: usize) -> Result<()> {
        write_file(&self.results_path(), header_line(k).as_bytes())
    }

    /// Repairs the results file after a crash: drops a row torn by it, and rewrites the header
    /// (width `k`) when even that was torn. Returns the number of bytes dropped.
    ///
    /// A file written by an older build, without the opponent-model columns, is rewritten
    /// with the current header (its rows keep those columns empty), so that rows appended
    /// next fit it.
    pub fn repair_results(&self, k: usize) -> Result<u64> {
        let path = self.results_path();
        let dropped = drop_torn_tail(&path)?;
        if std::fs::metadata(&path).map_err(io(&path))?.len() == 0 {
            self.start_results(k)?;
        } else if !self.read_results()?.is_current() {
            self.sort_results()?;
        }
        Ok(dropped)
    }

    /// Reads the results file row by row.
    pub fn read_results(&self) -> Result<RowReader> {
        RowReader::open(&self.results_path())
    }

    /// Opens the results file for appending rows.
    pub fn append_results(&self) -> Result<ResultsAppender> {
        let path = self.results_path();
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(io(&path))?;
        Ok(ResultsAppender {
            path,
            file,
            text: String::new(),
        })
    }

    /// Writes a new results file of width `k` whole (see [`ResultsWriter`]).
    pub fn write_results(&self, k: usize) -> Result<ResultsWriter> {
        ResultsWriter::create(&self.results_path(), k)
    }

    /// Rewrites the results file sorted by index (in memory: only needed for files that some
    /// other writer produced out of order). The sorted file replaces the old one by a rename.
    pub fn sort_results(&self) -> Result<()> {
        let reader = self.read_results()?;
        let k = reader.width();
        let mut rows: Vec<ResultRow> = reader.collect::<Result<_>>()?;
        rows.sort_by_key(|r| r.index);
        let mut s = header_line(k);
        for r in &rows {
            r.push_line(&mut s, k);
        }
        let path = self.results_path();
        let tmp = path.with_extension("csv.sorting");
        write_file(&tmp, s.as_bytes())?;
        std::fs::rename(&tmp, &path).map_err(io(&path))
    }
}

/// Appends rows to a results file in batches: each batch is one write, then flushed, so a
/// crash leaves whole batches and at most one torn last line (which
/// [`ResultsFolder::repair_results`] drops).
#[derive(Debug)]
pub struct ResultsAppender {
    path: PathBuf,
    file: File,
    text: String,
}

impl ResultsAppender {
    /// Appends a batch of lines, in order, with one write, and flushes it.
    pub fn append(&mut self, lines: &[ResultLine]) -> Result<()> {
        self.text.clear();
        for l in lines {
            self.text.push_str(l.as_str());
        }
        self.file
            .write_all(self.text.as_bytes())
            .and_then(|()| self.file.flush())
            .map_err(io(&self.path))
    }
}

/// Writes a results file whole, under a temporary name (`results.csv.partial`) that
/// [`ResultsWriter::commit`] renames to the final one; dropped without a commit, it removes
/// the temporary file, so a failed write leaves no results file behind.
#[derive(Debug)]
pub struct ResultsWriter {
    path: PathBuf,
    partial: PathBuf,
    writer: Option<BufWriter<File>>,
    k: usize,
    line: String,
}

impl ResultsWriter {
    fn create(path: &Path, k: usize) -> Result<Self> {
        let mut partial = path.as_os_str().to_owned();
        partial.push(".partial");
        let partial = PathBuf::from(partial);
        let file = File::create(&partial).map_err(io(&partial))?;
        let mut writer = BufWriter::with_capacity(1 << 16, file);
        writer
            .write_all(header_line(k).as_bytes())
            .map_err(io(&partial))?;
        Ok(ResultsWriter {
            path: path.to_path_buf(),
            partial,
            writer: Some(writer),
            k,
            line: String::with_capacity(256),
        })
    }

    /// Writes a row.
    pub fn write(&mut self, row: &ResultRow) -> Result<()> {
        self.line.clear();
        row.push_line(&mut self.line, self.k);
        let writer = self.writer.as_mut().expect("written before the commit");
        writer
            .write_all(self.line.as_bytes())
            .map_err(io(&self.partial))
    }

    /// Flushes the file and gives it its final name.
    pub fn commit(mut self) -> Result<()> {
        let writer = self.writer.take().expect("committed once");
        writer
            .into_inner()
            .map_err(|e| io(&self.partial)(e.into_error()))?;
        std::fs::rename(&self.partial, &self.path).map_err(io(&self.path))
    }
}

impl Drop for ResultsWriter {
    fn drop(&mut self) {
        if self.writer.take().is_some() {
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}
