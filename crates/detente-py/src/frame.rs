//! Tournament results as a pandas DataFrame with the columns of `results.csv`, typed: numbers
//! as NumPy arrays filled from Rust, nullable columns as pandas' masked arrays, text as NumPy
//! object arrays whose repeated values (scenario and negotiator names, terminations) share one
//! Python string each.

use std::collections::HashMap;
use std::path::Path;

use detente_formats::tournament::ResultsFolder;
use detente_tournament::{QualityColumns, ResultRow};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::convert::{numpy_bytes, numpy_f64, numpy_i64};

/// The rows of a results folder's `results.csv`, in file order, and its number of per-role
/// columns.
pub fn read_rows(dir: &Path) -> detente_formats::Result<(Vec<ResultRow>, usize)> {
    let mut reader = ResultsFolder::new(dir).read_results()?;
    let width = reader.width();
    let mut rows = Vec::new();
    while let Some(row) = reader.next_row()? {
        rows.push(row);
    }
    Ok((rows, width))
}

/// Python strings made once per distinct text.
struct Strings<'py> {
    py: Python<'py>,
    made: HashMap<String, Bound<'py, PyString>>,
}

impl<'py> Strings<'py> {
    fn get(&mut self, s: &str) -> Bound<'py, PyString> {
        if let Some(p) = self.made.get(s) {
            return p.clone();
        }
        let p = PyString::new(self.py, s);
        self.made.insert(s.to_string(), p.clone());
        p
    }

    /// A NumPy object array of texts (`None` where there is none).
    fn column(
        &mut self,
        rows: &[ResultRow],
        f: impl Fn(&ResultRow) -> Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let items: Vec<Option<Bound<'py, PyString>>> =
            rows.iter().map(|r| f(r).map(|s| self.get(s))).collect();
        let list = PyList::new(self.py, items)?;
        let kwargs = PyDict::new(self.py);
        kwargs.set_item("dtype", "object")?;
        self.py
            .import("numpy")?
            .call_method("array", (list,), Some(&kwargs))
    }
}

/// The rows as a pandas DataFrame; `width` is the number of per-role columns (`n0`, `u0`...).
pub fn results_frame<'py>(
    py: Python<'py>,
    rows: &[ResultRow],
    width: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let n = rows.len();
    let pd = py.import("pandas")?;
    let masked = pd.getattr("arrays")?;
    let mut text = Strings {
        py,
        made: HashMap::new(),
    };
    let ints = |f: &dyn Fn(&ResultRow) -> i64| -> Vec<i64> { rows.iter().map(f).collect() };
    let floats = |f: &dyn Fn(&ResultRow) -> f64| {
        numpy_f64(py, &rows.iter().map(f).collect::<Vec<f64>>(), &[n])
    };
    let quality = |f: &dyn Fn(&QualityColumns) -> Option<f64>| {
        floats(&|r| r.quality.as_ref().and_then(f).unwrap_or(f64::NAN))
    };
    let cols = PyDict::new(py);
    cols.set_item("index", numpy_i64(py, &ints(&|r| r.index as i64), "int64")?)?;
    cols.set_item("scenario", text.column(rows, |r| Some(&r.scenario))?)?;
    cols.set_item(
        "repetition",
        numpy_i64(py, &ints(&|r| i64::from(r.repetition)), "int64")?,
    )?;
    // The seed's bits, read back as unsigned.
    cols.set_item("seed", numpy_i64(py, &ints(&|r| r.seed as i64), "uint64")?)?;
    for i in 0..width {
        let col = text.column(rows, |r| r.negotiators.get(i).map(String::as_str))?;
        cols.set_item(format!("n{i}"), col)?;
    }
    cols.set_item("termination", text.column(rows, |r| Some(&r.termination))?)?;
    let missing: Vec<u8> = rows
        .iter()
        .map(|r| u8::from(r.error_party.is_none()))
        .collect();
    cols.set_item(
        "error_party",
        masked.call_method1(
            "IntegerArray",
            (
                numpy_i64(
                    py,
                    &ints(&|r| r.error_party.map_or(0, |p| p as i64)),
                    "int64",
                )?,
                numpy_bytes(py, &missing, "bool")?,
            ),
        )?,
    )?;
    cols.set_item(
        "error",
        text.column(rows, |r| Some(r.error.as_str()).filter(|e| !e.is_empty()))?,
    )?;
    cols.set_item(
        "rounds",
        numpy_i64(py, &ints(&|r| i64::from(r.rounds)), "int64")?,
    )?;
    cols.set_item("time", floats(&|r| r.time)?)?;
    cols.set_item(
        "agreement",
        text.column(rows, |r| {
            Some(r.agreement.as_str()).filter(|a| !a.is_empty())
        })?,
    )?;
    for i in 0..width {
        let u = floats(&|r| r.utilities.get(i).copied().unwrap_or(f64::NAN))?;
        cols.set_item(format!("u{i}"), u)?;
    }
    cols.set_item("welfare", floats(&|r| r.welfare)?)?;
    let pareto: Vec<u8> = rows
        .iter()
        .map(|r| u8::from(r.quality.as_ref().is_some_and(|q| q.pareto_optimal)))
        .collect();
    let unknown: Vec<u8> = rows.iter().map(|r| u8::from(r.quality.is_none())).collect();
    cols.set_item(
        "pareto_optimal",
        masked.call_method1(
            "BooleanArray",
            (
                numpy_bytes(py, &pareto, "bool")?,
                numpy_bytes(py, &unknown, "bool")?,
            ),
        )?,
    )?;
    cols.set_item("dist_frontier", quality(&|c| Some(c.dist_frontier))?)?;
    cols.set_item("dist_nash", quality(&|c| c.dist_nash)?)?;
    cols.set_item("dist_ks", quality(&|c| c.dist_ks)?)?;
    cols.set_item("dist_max_welfare", quality(&|c| Some(c.dist_max_welfare))?)?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("copy", false)?;
    pd.call_method("DataFrame", (cols,), Some(&kwargs))
}
