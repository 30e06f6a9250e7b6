//! The results file (`results.csv`): one CSV row per negotiation, written as negotiations
//! complete, read back for resuming, merging and summarising.
//!
//! Rows never contain line breaks (text fields have them replaced by spaces), so a file cut
//! short by a crash is repaired by dropping the bytes after its last newline
//! ([`drop_torn_tail`]). Numbers are written in Rust's shortest round-trip form, so reading a
//! row back gives the same values bit for bit.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::error::{FormatError, Result};
use crate::input::LineCapped;
use crate::tournament::cells::{opt, push_record, read_text_cell, text_cell};

/// The agreement-quality figures of a row (see `detente_analysis::AgreementQuality`),
/// measured on undiscounted utilities.
#[derive(Debug, Clone, PartialEq)]
pub struct QualityColumns {
    /// No outcome dominates the agreement (or the reservation point without one).
    pub pareto_optimal: bool,
    /// Euclidean distance to the nearest Pareto-frontier point.
    pub dist_frontier: f64,
    /// Distance to the nearest Nash point, if the scenario has one.
    pub dist_nash: Option<f64>,
    /// Distance to the nearest Kalai-Smorodinsky point, if the scenario has one.
    pub dist_ks: Option<f64>,
    /// Distance to the nearest maximum-welfare point.
    pub dist_max_welfare: f64,
}

/// How accurate one role's opponent models were at the end of a negotiation (the mean over
/// the other parties it models; see `detente_analysis::model_accuracy`).
#[derive(Debug, Clone, PartialEq)]
pub struct ModelColumns {
    /// Pearson correlation of estimated and true utilities (`None` when undefined).
    pub pearson: Option<f64>,
    /// Share of ordered pairs of outcomes ordered differently.
    pub ranking_distance: f64,
    /// Difference of the areas under the true and the estimated Pareto frontiers.
    pub pareto_distance: f64,
}

/// One negotiation's result, as a row of the results file.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRow {
    /// Global index of the negotiation.
    pub index: u64,
    /// Scenario name.
    pub scenario: String,
    /// Repetition, from 0.
    pub repetition: u32,
    /// The negotiation's seed.
    pub seed: u64,
    /// Display name of the negotiator in each role (party order).
    pub negotiators: Vec<String>,
    /// How it ended (`Termination::as_str`).
    pub termination: String,
    /// The role whose negotiator failed, for a negotiator fault.
    pub error_party: Option<usize>,
    /// What the failing negotiator did (empty unless a negotiator fault). Line breaks are
    /// written as spaces.
    pub error: String,
    /// Rounds started.
    pub rounds: u32,
    /// Normalised time at the end.
    pub time: f64,
    /// The agreement as `issue=value;issue=value...`, empty without one.
    pub agreement: String,
    /// Each party's final utility (discounted; the reservation value without agreement).
    pub utilities: Vec<f64>,
    /// Sum of `utilities`.
    pub welfare: f64,
    /// Agreement quality, when the scenario could be analysed.
    pub quality: Option<QualityColumns>,
    /// The accuracy of each role's opponent models (party order; `None` for a role that
    /// models nobody; empty when not measured).
    pub models: Vec<Option<ModelColumns>>,
}

/// A [`ResultRow`] encoded as one line of a results file (with its newline), ready to be
/// appended (see `ResultsAppender`). Encoding is pure, so many rows can be encoded in
/// parallel and written in one go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultLine(String);

impl ResultLine {
    /// The line, newline included.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl ResultRow {
    /// Whether the negotiation ended in agreement.
    pub fn agreed(&self) -> bool {
        self.termination == "agreement"
    }

    /// The row as a line of a results file with `k` per-role columns.
    pub fn to_line(&self, k: usize) -> ResultLine {
        let mut s = String::with_capacity(160);
        self.push_line(&mut s, k);
        ResultLine(s)
    }

    /// Appends the row as one CSV line (with its newline) for a file of width `k`.
    pub(crate) fn push_line(&self, out: &mut String, k: usize) {
        let mut fields: Vec<String> = Vec::with_capacity(4 + 2 * k + 12);
        let text = |s: &str| text_cell(s).into_owned();
        fields.push(self.index.to_string());
        fields.push(text(&self.scenario));
        fields.push(self.repetition.to_string());
        fields.push(self.seed.to_string());
        for i in 0..k {
            fields.push(self.negotiators.get(i).map(|n| text(n)).unwrap_or_default());
        }
        fields.push(text(&self.termination));
        fields.push(opt(self.error_party));
        fields.push(text(&self.error));
        fields.push(self.rounds.to_string());
        fields.push(self.time.to_string());
        fields.push(text(&self.agreement));
        for i in 0..k {
            fields.push(opt(self.utilities.get(i)));
        }
        fields.push(self.welfare.to_string());
        match &self.quality {
            Some(q) => {
                fields.push(q.pareto_optimal.to_string());
                fields.push(q.dist_frontier.to_string());
                fields.push(opt(q.dist_nash));
                fields.push(opt(q.dist_ks));
                fields.push(q.dist_max_welfare.to_string());
            }
            None => fields.extend(std::iter::repeat_n(String::new(), 5)),
        }
        let model = |i: usize| self.models.get(i).and_then(Option::as_ref);
        for i in 0..k {
            fields.push(opt(model(i).and_then(|m| m.pearson)));
        }
        for i in 0..k {
            fields.push(opt(model(i).map(|m| m.ranking_distance)));
        }
        for i in 0..k {
            fields.push(opt(model(i).map(|m| m.pareto_distance)));
        }
        push_record(out, &fields);
    }
}

/// The header of a results file whose scenarios have at most `k` parties.
pub fn header(k: usize) -> Vec<String> {
    let mut h = legacy_header(k);
    for group in ["model_pearson", "model_ranking", "model_pareto"] {
        h.extend((0..k).map(|i| format!("{group}{i}")));
    }
    h
}

/// The header of results files written before the opponent-model columns (still read; a
/// resumed run rewrites such a file with the current header first).
pub fn legacy_header(k: usize) -> Vec<String> {
    let mut h: Vec<String> = ["index", "scenario", "repetition", "seed"]
        .map(String::from)
        .to_vec();
    h.extend((0..k).map(|i| format!("n{i}")));
    h.extend(
        [
            "termination",
            "error_party",
            "error",
            "rounds",
            "time",
            "agreement",
        ]
        .map(String::from),
    );
    h.extend((0..k).map(|i| format!("u{i}")));
    h.extend(
        [
            "welfare",
            "pareto_optimal",
            "dist_frontier",
            "dist_nash",
            "dist_ks",
            "dist_max_welfare",
        ]
        .map(String::from),
    );
    h
}

/// The header line, with its newline.
pub fn header_line(k: usize) -> String {
    let mut s = header(k).join(",");
    s.push('\n');
    s
}

/// Reads the rows of a results file in file order, checking its header.
pub struct RowReader {
    path: PathBuf,
    reader: csv::Reader<LineCapped<BufReader<File>>>,
    record: csv::StringRecord,
    k: usize,
    /// Whether the file has the opponent-model columns (not in files of older builds).
    models: bool,
    /// The header, for naming columns in errors.
    header: Vec<String>,
}

impl std::fmt::Debug for RowReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowReader")
            .field("path", &self.path)
            .field("k", &self.k)
            .finish_non_exhaustive()
    }
}

impl RowReader {
    /// Opens a results file and reads its header.
    pub fn open(path: &Path) -> Result<Self> {
        let file = crate::input::open_lines(path)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(file);
        let bad = |message: String| FormatError::At {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message,
        };
        let h = reader
            .headers()
            .map_err(|e| bad(format!("unreadable header: {e}")))?
            .clone();
        let k = h
            .iter()
            .filter(|c| c.starts_with('n') && c[1..].parse::<usize>().is_ok())
            .count();
        let expect = header(k);
        let legacy = legacy_header(k);
        let models = if h.iter().eq(expect.iter().map(String::as_str)) {
            true
        } else if h.iter().eq(legacy.iter().map(String::as_str)) {
            false
        } else {
            return Err(bad(format!(
                "not a detente results file: expected the header `{}`",
                expect.join(",")
            )));
        };
        Ok(RowReader {
            path: path.to_path_buf(),
            reader,
            record: csv::StringRecord::new(),
            k,
            models,
            header: if models { expect } else { legacy },
        })
    }

    /// The file being read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The number of per-role columns.
    pub fn width(&self) -> usize {
        self.k
    }

    /// Whether the file has the current header (with the opponent-model columns).
    pub fn is_current(&self) -> bool {
        self.models
    }

    /// The next row, `None` at the end.
    pub fn next_row(&mut self) -> Result<Option<ResultRow>> {
        let at = |line: usize, message: String| FormatError::At {
            path: self.path.clone(),
            line,
            column: 1,
            message,
        };
        match self.reader.read_record(&mut self.record) {
            Ok(false) => Ok(None),
            Ok(true) => {
                let line = self.record.position().map_or(0, |p| p.line() as usize);
                parse_record(&self.record, self.k, self.models, &self.header)
                    .map(Some)
                    .map_err(|message| at(line, message))
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                Err(at(line, e.to_string()))
            }
        }
    }
}

impl Iterator for RowReader {
    type Item = Result<ResultRow>;
    fn next(&mut self) -> Option<Result<ResultRow>> {
        self.next_row().transpose()
    }
}

/// The cells of one record, taken in column order, with the column names for errors.
struct Cells<'r> {
    values: csv::StringRecordIter<'r>,
    header: &'r [String],
    column: usize,
}

impl<'r> Cells<'r> {
    /// The next cell and its column's name.
    fn next(&mut self) -> (&'r str, &'r str) {
        let v = self.values.next().unwrap_or("");
        self.column += 1;
        (v, self.header[self.column - 1].as_str())
    }

    /// A text cell, without the `'` that neutralises a formula ([`read_text_cell`]).
    fn text(&mut self) -> String {
        read_text_cell(self.next().0).to_string()
    }

    fn num<T: std::str::FromStr>(&mut self) -> std::result::Result<T, String> {
        let (v, name) = self.next();
        parse_num(v, name)
    }

    fn opt_num<T: std::str::FromStr>(&mut self) -> std::result::Result<Option<T>, String> {
        let (v, name) = self.next();
        if v.is_empty() {
            Ok(None)
        } else {
            parse_num(v, name).map(Some)
        }
    }

    /// The non-empty cells of the next `k` columns (the per-role columns of the roles a
    /// scenario has).
    fn roles<T>(
        &mut self,
        k: usize,
        mut cell: impl FnMut(&mut Self) -> std::result::Result<Option<T>, String>,
    ) -> std::result::Result<Vec<T>, String> {
        let mut out = Vec::with_capacity(k);
        for _ in 0..k {
            if let Some(v) = cell(self)? {
                out.push(v);
            }
        }
        Ok(out)
    }

    /// The five quality columns: all empty, or all there but the optional distances.
    fn quality(&mut self) -> std::result::Result<Option<QualityColumns>, String> {
        let (po, _) = self.next();
        if po.is_empty() {
            for _ in 0..4 {
                self.next();
            }
            return Ok(None);
        }
        Ok(Some(QualityColumns {
            pareto_optimal: po
                .parse()
                .map_err(|_| format!("column `pareto_optimal`: `{po}` is not true or false"))?,
            dist_frontier: self.num()?,
            dist_nash: self.opt_num()?,
            dist_ks: self.opt_num()?,
            dist_max_welfare: self.num()?,
        }))
    }
}

impl Cells<'_> {
    /// The three groups of `k` opponent-model columns: a role's accuracy when its ranking
    /// cell is filled. Trailing roles without a model are dropped.
    fn models(&mut self, k: usize) -> std::result::Result<Vec<Option<ModelColumns>>, String> {
        let group = |c: &mut Self| -> std::result::Result<Vec<Option<f64>>, String> {
            (0..k).map(|_| c.opt_num()).collect()
        };
        let pearson = group(self)?;
        let ranking = group(self)?;
        let pareto = group(self)?;
        let mut out: Vec<Option<ModelColumns>> = (0..k)
            .map(|i| {
                ranking[i].map(|r| ModelColumns {
                    pearson: pearson[i],
                    ranking_distance: r,
                    pareto_distance: pareto[i].unwrap_or(f64::NAN),
                })
            })
            .collect();
        while out.last() == Some(&None) {
            out.pop();
        }
        Ok(out)
    }
}

fn parse_num<T: std::str::FromStr>(v: &str, name: &str) -> std::result::Result<T, String> {
    v.parse()
        .map_err(|_| format!("column `{name}`: `{v}` is not a valid number"))
}

fn parse_record(
    r: &csv::StringRecord,
    k: usize,
    with_models: bool,
    header: &[String],
) -> std::result::Result<ResultRow, String> {
    let mut c = Cells {
        values: r.iter(),
        header,
        column: 0,
    };
    let index = c.num()?;
    let scenario = c.text();
    let repetition = c.num()?;
    let seed = c.num()?;
    let negotiators = c.roles(k, |c| Ok(Some(c.text()).filter(|v| !v.is_empty())))?;
    let termination = c.text();
    let error_party = c.opt_num()?;
    let error = c.text();
    let rounds = c.num()?;
    let time = c.num()?;
    let agreement = c.text();
    let utilities = c.roles(k, Cells::opt_num)?;
    let welfare = c.num()?;
    let quality = c.quality()?;
    let models = if with_models {
        c.models(k)?
    } else {
        Vec::new()
    };
    if negotiators.len() != utilities.len() || negotiators.is_empty() {
        return Err("the negotiator and utility columns do not match".into());
    }
    Ok(ResultRow {
        index,
        scenario,
        repetition,
        seed,
        negotiators,
        termination,
        error_party,
        error,
        rounds,
        time,
        agreement,
        utilities,
        welfare,
        quality,
        models,
    })
}

/// Cuts a results file after its last newline, dropping a row torn by a crash, and syncs it
/// to disk when it cut anything. Returns the number of bytes dropped.
pub fn drop_torn_tail(path: &Path) -> Result<u64> {
    let io = |source| FormatError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(io)?;
    let len = f.metadata().map_err(io)?.len();
    let mut end = len;
    let mut buf = vec![0u8; 1 << 16];
    let keep = loop {
        if end == 0 {
            break 0;
        }
        let start = end.saturating_sub(buf.len() as u64);
        let chunk = &mut buf[..(end - start) as usize];
        f.seek(SeekFrom::Start(start)).map_err(io)?;
        f.read_exact(chunk).map_err(io)?;
        if let Some(p) = chunk.iter().rposition(|&b| b == b'\n') {
            break start + p as u64 + 1;
        }
        end = start;
    };
    if keep < len {
        f.set_len(keep).map_err(io)?;
        f.sync_all().map_err(io)?;
    }
    Ok(len - keep)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tournament::cells::one_line;
    use detente_testkit::TempDir;
    use proptest::prelude::*;

    fn row(k: usize) -> ResultRow {
        ResultRow {
            index: 12,
            scenario: "a, \"quoted\" scenario".into(),
            repetition: 1,
            seed: u64::MAX,
            negotiators: (0..k).map(|i| format!("neg {i}")).collect(),
            termination: "negotiator-fault".into(),
            error_party: Some(1),
            error: "panicked: line\nbreak, \"quote\"".into(),
            rounds: 3,
            time: 0.1 + 0.2,
            agreement: String::new(),
            utilities: (0..k).map(|i| 1.0 / (i as f64 + 3.0)).collect(),
            welfare: 0.7,
            quality: Some(QualityColumns {
                pareto_optimal: false,
                dist_frontier: 0.25,
                dist_nash: None,
                dist_ks: Some(1e-17),
                dist_max_welfare: 3.0,
            }),
            models: if k > 1 {
                vec![
                    Some(ModelColumns {
                        pearson: None,
                        ranking_distance: 0.125,
                        pareto_distance: 0.5,
                    }),
                    Some(ModelColumns {
                        pearson: Some(0.75),
                        ranking_distance: 0.0,
                        pareto_distance: 1e-3,
                    }),
                ]
            } else {
                Vec::new()
            },
        }
    }

    fn roundtrip(rows: &[ResultRow], k: usize) -> Vec<ResultRow> {
        let dir = TempDir::new("results-roundtrip");
        let path = dir.join("r.csv");
        let mut s = header_line(k);
        for r in rows {
            s.push_str(r.to_line(k).as_str());
        }
        std::fs::write(&path, &s).unwrap();
        let back: Vec<ResultRow> = RowReader::open(&path)
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        back
    }

    #[test]
    fn rows_survive_a_round_trip() {
        let mut r = row(2);
        let back = roundtrip(std::slice::from_ref(&r), 3);
        r.error = one_line(&r.error);
        assert_eq!(back, vec![r.clone()]);
        let mut narrow = row(3);
        narrow.quality = None;
        narrow.error_party = None;
        let back = roundtrip(std::slice::from_ref(&narrow), 3);
        narrow.error = one_line(&narrow.error);
        assert_eq!(back, vec![narrow]);
    }

    #[test]
    fn bad_cells_are_named() {
        let dir = TempDir::new("results-bad-cells");
        let path = dir.join("r.csv");
        let good = row(2).to_line(2);
        let cases = [
            (
                good.as_str().replacen("12,", "twelve,", 1),
                "column `index`: `twelve`",
            ),
            (
                good.as_str().replace("false", "maybe"),
                "`maybe` is not true or false",
            ),
            (
                good.as_str().replace("false,0.25", "false,x"),
                "column `dist_frontier`: `x`",
            ),
        ];
        for (line, expect) in cases {
            std::fs::write(&path, format!("{}{line}", header_line(2))).unwrap();
            let e = RowReader::open(&path)
                .unwrap()
                .next_row()
                .unwrap_err()
                .to_string();
            assert!(e.contains("r.csv:2:1: ") && e.contains(expect), "{e}");
        }
        std::fs::write(&path, "index,scenario\n").unwrap();
        let e = RowReader::open(&path).unwrap_err().to_string();
        assert!(e.contains("not a detente results file"), "{e}");
    }

    proptest! {
        #[test]
        fn floats_round_trip_exactly(us in proptest::collection::vec(proptest::num::f64::NORMAL | proptest::num::f64::ZERO, 2..4)) {
            let mut r = row(us.len());
            r.utilities = us.clone();
            r.error = String::new();
            let back = roundtrip(std::slice::from_ref(&r), us.len());
            prop_assert_eq!(&back[0].utilities, &us);
        }
    }

    #[test]
    fn legacy_files_without_model_columns_are_read() {
        let dir = std::env::temp_dir().join(format!("detente-legacy-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r.csv");
        let mut r = row(2);
        r.error = String::new();
        let line = r.to_line(2);
        // The same row without its last 6 (model) cells, under the old header.
        let cells: Vec<&str> = line.as_str().trim_end().rsplitn(7, ',').collect();
        let old = format!("{}\n{}\n", legacy_header(2).join(","), cells[6]);
        std::fs::write(&path, old).unwrap();
        let mut reader = RowReader::open(&path).unwrap();
        assert!(!reader.is_current());
        r.models.clear();
        assert_eq!(reader.next_row().unwrap().unwrap(), r);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn torn_tail_is_dropped() {
        let dir = TempDir::new("results-torn");
        let p = dir.join("r.csv");
        std::fs::write(&p, "a,b\n1,2\n3,").unwrap();
        assert_eq!(drop_torn_tail(&p).unwrap(), 2);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "a,b\n1,2\n");
        assert_eq!(drop_torn_tail(&p).unwrap(), 0);
        std::fs::write(&p, "abc").unwrap();
        assert_eq!(drop_torn_tail(&p).unwrap(), 3);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "");
    }
}
