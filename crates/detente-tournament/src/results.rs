//! The results file: one CSV row per negotiation, written as negotiations complete, read
//! back for resuming, merging and summarising.
//!
//! Rows never contain line breaks (text fields have them replaced by spaces), so a file cut
//! short by a crash is repaired by dropping the bytes after its last newline. Numbers are
//! written in Rust's shortest round-trip form, so reading a row back gives the same values
//! bit for bit and the summary of a file equals the summary of the run that wrote it.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::error::{Result, TournamentError};

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

/// One negotiation's result, as a results row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
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
    /// What the failing negotiator did (empty unless a negotiator fault).
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
}

impl Row {
    /// Whether the negotiation ended in agreement.
    pub fn agreed(&self) -> bool {
        self.termination == "agreement"
    }
}

/// The header of a results file whose scenarios have at most `k` parties.
pub fn header(k: usize) -> Vec<String> {
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

/// Appends `field` to `out`, quoted when it holds a comma, quote or line break (line breaks
/// become spaces).
pub(crate) fn push_csv_field(out: &mut String, field: &str) {
    let field: std::borrow::Cow<'_, str> = if field.contains(['\n', '\r']) {
        one_line(field).into()
    } else {
        field.into()
    };
    if field.contains([',', '"']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&field);
    }
}

/// Makes a text fit on one line.
pub(crate) fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Appends `row` as one CSV line (with its newline) for a file of width `k`.
pub fn write_row(out: &mut String, row: &Row, k: usize) {
    let mut fields: Vec<String> = Vec::with_capacity(4 + 2 * k + 12);
    fields.push(row.index.to_string());
    fields.push(row.scenario.clone());
    fields.push(row.repetition.to_string());
    fields.push(row.seed.to_string());
    for i in 0..k {
        fields.push(row.negotiators.get(i).cloned().unwrap_or_default());
    }
    fields.push(row.termination.clone());
    fields.push(opt(row.error_party));
    fields.push(row.error.clone());
    fields.push(row.rounds.to_string());
    fields.push(row.time.to_string());
    fields.push(row.agreement.clone());
    for i in 0..k {
        fields.push(opt(row.utilities.get(i)));
    }
    fields.push(row.welfare.to_string());
    match &row.quality {
        Some(q) => {
            fields.push(q.pareto_optimal.to_string());
            fields.push(q.dist_frontier.to_string());
            fields.push(opt(q.dist_nash));
            fields.push(opt(q.dist_ks));
            fields.push(q.dist_max_welfare.to_string());
        }
        None => fields.extend(std::iter::repeat_n(String::new(), 5)),
    }
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_csv_field(out, f);
    }
    out.push('\n');
}

/// Reads the rows of a results file in file order, checking its header.
pub struct RowReader {
    path: PathBuf,
    reader: csv::Reader<BufReader<File>>,
    record: csv::StringRecord,
    k: usize,
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
        let file = File::open(path).map_err(|e| TournamentError::io(path, e))?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(BufReader::with_capacity(1 << 16, file));
        let bad = |message: String| TournamentError::At {
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
        if h.iter().ne(expect.iter().map(String::as_str)) {
            return Err(bad(format!(
                "not a detente results file: expected the header `{}`",
                expect.join(",")
            )));
        }
        Ok(RowReader {
            path: path.to_path_buf(),
            reader,
            record: csv::StringRecord::new(),
            k,
            header: expect,
        })
    }

    /// The number of per-role columns.
    pub fn width(&self) -> usize {
        self.k
    }

    /// The next row, `None` at the end.
    pub fn next_row(&mut self) -> Result<Option<Row>> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => Ok(None),
            Ok(true) => {
                let line = self.record.position().map_or(0, |p| p.line() as usize);
                parse_record(&self.record, self.k, &self.header)
                    .map(Some)
                    .map_err(|message| TournamentError::At {
                        path: self.path.clone(),
                        line,
                        column: 1,
                        message,
                    })
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                Err(TournamentError::At {
                    path: self.path.clone(),
                    line,
                    column: 1,
                    message: e.to_string(),
                })
            }
        }
    }
}

impl Iterator for RowReader {
    type Item = Result<Row>;
    fn next(&mut self) -> Option<Result<Row>> {
        self.next_row().transpose()
    }
}

fn parse_record(
    r: &csv::StringRecord,
    k: usize,
    header: &[String],
) -> std::result::Result<Row, String> {
    let mut it = r.iter();
    let mut col = 0usize;
    let mut next = || {
        let v = it.next().unwrap_or("");
        col += 1;
        (v, header[col - 1].as_str())
    };
    fn num<T: std::str::FromStr>((v, name): (&str, &str)) -> std::result::Result<T, String> {
        v.parse()
            .map_err(|_| format!("column `{name}`: `{v}` is not a valid number"))
    }
    fn opt_num<T: std::str::FromStr>(
        (v, name): (&str, &str),
    ) -> std::result::Result<Option<T>, String> {
        if v.is_empty() {
            Ok(None)
        } else {
            num((v, name)).map(Some)
        }
    }
    let index = num(next())?;
    let scenario = next().0.to_string();
    let repetition = num(next())?;
    let seed = num(next())?;
    let mut negotiators = Vec::with_capacity(k);
    for _ in 0..k {
        let v = next().0;
        if !v.is_empty() {
            negotiators.push(v.to_string());
        }
    }
    let termination = next().0.to_string();
    let error_party = opt_num(next())?;
    let error = next().0.to_string();
    let rounds = num(next())?;
    let time = num(next())?;
    let agreement = next().0.to_string();
    let mut utilities = Vec::with_capacity(k);
    for _ in 0..k {
        if let Some(u) = opt_num(next())? {
            utilities.push(u);
        }
    }
    let welfare = num(next())?;
    let po = next();
    let quality = if po.0.is_empty() {
        for _ in 0..4 {
            next();
        }
        None
    } else {
        Some(QualityColumns {
            pareto_optimal: po
                .0
                .parse()
                .map_err(|_| format!("column `pareto_optimal`: `{}` is not true or false", po.0))?,
            dist_frontier: num(next())?,
            dist_nash: opt_num(next())?,
            dist_ks: opt_num(next())?,
            dist_max_welfare: num(next())?,
        })
    };
    if negotiators.len() != utilities.len() || negotiators.is_empty() {
        return Err("the negotiator and utility columns do not match".into());
    }
    Ok(Row {
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
    })
}

/// Cuts a results file after its last newline, dropping a row torn by a crash. Returns the
/// number of bytes dropped.
pub fn drop_torn_tail(path: &Path) -> Result<u64> {
    let io = |e| TournamentError::io(path, e);
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
    use proptest::prelude::*;

    fn row(k: usize) -> Row {
        Row {
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
        }
    }

    fn roundtrip(rows: &[Row], k: usize) -> Vec<Row> {
        // Tests run in parallel: every call gets a folder of its own.
        static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "detente-results-test-{}-{call}-{k}-{}",
            std::process::id(),
            rows.len()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r.csv");
        let mut s = header_line(k);
        for r in rows {
            write_row(&mut s, r, k);
        }
        std::fs::write(&path, &s).unwrap();
        let back: Vec<Row> = RowReader::open(&path)
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
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
    fn torn_tail_is_dropped() {
        let dir = std::env::temp_dir().join(format!("detente-torn-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("r.csv");
        std::fs::write(&p, "a,b\n1,2\n3,").unwrap();
        assert_eq!(drop_torn_tail(&p).unwrap(), 2);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "a,b\n1,2\n");
        assert_eq!(drop_torn_tail(&p).unwrap(), 0);
        std::fs::write(&p, "abc").unwrap();
        assert_eq!(drop_torn_tail(&p).unwrap(), 3);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
