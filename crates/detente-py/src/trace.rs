//! A negotiation's trace from Python: the typed `detente_formats::trace::TraceDoc` (the
//! document `detente run --format json` writes) with its parts as Python dicts and lists,
//! `to_json()`, and `to_pandas()` (one row per action).

use std::path::PathBuf;

use detente_formats::trace::{IssueValue, TraceDoc};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::convert::doc_to_py;
use crate::errors::{OrInput, detente_error, guard, require_exists};
use crate::scenario::PyScenario;

/// One negotiation: every action, the events, the result and, when the scenario could be
/// analysed, the quality of the result. `detente.run` returns one; `Trace.read` reads one.
#[pyclass(name = "Trace", module = "detente", frozen)]
pub struct PyTrace {
    /// The document.
    pub doc: TraceDoc,
    /// The scenario it was run on, when known.
    pub scenario: Option<Py<PyScenario>>,
}

fn issue_value<'py>(py: Python<'py>, v: &IssueValue) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        IssueValue::Text(s) => s.into_pyobject(py)?.into_any(),
        IssueValue::Integer(i) => i.into_pyobject(py)?.into_any(),
        IssueValue::Real(x) => x.into_pyobject(py)?.into_any(),
    })
}

#[pymethods]
impl PyTrace {
    /// Reads a JSON trace from text (`detente-trace/1`); `scenario` is the scenario it is of,
    /// if known (reports and `detente.inspect` use it).
    #[staticmethod]
    #[pyo3(signature = (text, scenario = None))]
    fn from_json(text: &str, scenario: Option<Py<PyScenario>>) -> PyResult<Self> {
        guard(|| {
            let doc = TraceDoc::from_json_str(text, std::path::Path::new("<string>")).or_input()?;
            Ok(PyTrace { doc, scenario })
        })
    }

    /// Reads a JSON trace file (as `detente run --format json` writes it).
    #[staticmethod]
    #[pyo3(signature = (path, scenario = None))]
    fn read(path: PathBuf, scenario: Option<Py<PyScenario>>) -> PyResult<Self> {
        guard(|| {
            require_exists(std::slice::from_ref(&path), "file")?;
            let doc = TraceDoc::read(&path).or_input()?;
            Ok(PyTrace { doc, scenario })
        })
    }

    /// The trace as JSON, exactly as `detente run --format json` prints it for the same
    /// scenario, negotiators and seed (without the final newline).
    fn to_json(&self) -> String {
        self.doc.to_json()
    }

    /// Writes the JSON trace (with a final newline, as the command line prints it).
    fn save(&self, path: PathBuf) -> PyResult<()> {
        let mut text = self.doc.to_json();
        text.push('\n');
        std::fs::write(&path, text)
            .map_err(|e| detente_error(format!("writing {}: {e}", path.display())))
    }

    /// The whole trace as plain Python objects (what `json.loads(to_json())` gives).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        doc_to_py(py, &self.doc)
    }

    /// The scenario the trace is of, when known.
    #[getter]
    fn scenario(&self, py: Python<'_>) -> Option<Py<PyScenario>> {
        self.scenario.as_ref().map(|s| s.clone_ref(py))
    }

    /// The scenario's name.
    #[getter]
    fn scenario_name(&self) -> &str {
        &self.doc.scenario
    }

    /// Party names, in turn order.
    #[getter]
    fn parties(&self) -> Vec<String> {
        self.doc.parties.iter().map(|p| p.name.clone()).collect()
    }

    /// The negotiator of each party (specs such as `boulware:e=0.2`, or a Python
    /// negotiator's name).
    #[getter]
    fn negotiators(&self) -> Vec<String> {
        self.doc
            .parties
            .iter()
            .map(|p| p.negotiator.clone())
            .collect()
    }

    /// Issue names, in issue order.
    #[getter]
    fn issues(&self) -> Vec<String> {
        self.doc.issues.clone()
    }

    /// The seed of the run.
    #[getter]
    fn seed(&self) -> u64 {
        self.doc.seed
    }

    /// The deadline in rounds (as it stood at the end).
    #[getter]
    fn deadline(&self) -> u32 {
        self.doc.deadline
    }

    /// Every action, in order: dicts with `round`, `time`, `party`, `action` and, for offers
    /// and acceptances, `offer` and `utilities`.
    #[getter]
    fn actions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        doc_to_py(py, &self.doc.actions)
    }

    /// Timeline events and partial agreements: dicts with `round`, `name`, `description`.
    #[getter]
    fn events<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        doc_to_py(py, &self.doc.events)
    }

    /// How it ended: a dict with `termination`, `agreement`, `rounds`, `time`, `utilities`
    /// and, for faults and walk-outs, `ended_by` and `error`.
    #[getter]
    fn result<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        doc_to_py(py, &self.doc.result)
    }

    /// Agreement quality against the frontier and the special points, when computed.
    #[getter]
    fn analysis<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        doc_to_py(py, &self.doc.analysis)
    }

    /// How it ended: `agreement`, `deadline`, `time-limit`, `ended`, `negotiator-fault`,
    /// `mediator-fault`.
    #[getter]
    fn termination(&self) -> &'static str {
        self.doc.result.termination.as_str()
    }

    /// The agreement as a dict of issue values, or `None`.
    #[getter]
    fn agreement<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        doc_to_py(py, &self.doc.result.agreement)
    }

    /// Each party's final, discounted utility (the reservation value without agreement).
    #[getter]
    fn utilities<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        doc_to_py(py, &self.doc.result.utilities)
    }

    /// Rounds started.
    #[getter]
    fn rounds(&self) -> u32 {
        self.doc.result.rounds
    }

    /// The fault, for `negotiator-fault` and `mediator-fault` (with a Python negotiator's
    /// traceback), else `None`.
    #[getter]
    fn error(&self) -> Option<String> {
        self.doc.result.error.clone()
    }

    /// The actions as a pandas DataFrame, one row per action: `round`, `time`, `party`,
    /// `action`, one column per issue (the outcome offered; empty for acceptances and ends)
    /// and one column `u:PARTY` per party (everyone's undiscounted utility of the outcome
    /// offered or accepted).
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let cols = PyDict::new(py);
        let actions = &self.doc.actions;
        let list =
            |f: &dyn Fn(&detente_formats::trace::ActionDoc) -> PyResult<Bound<'py, PyAny>>| {
                let items = actions.iter().map(f).collect::<PyResult<Vec<_>>>()?;
                PyList::new(py, items)
            };
        cols.set_item(
            "round",
            list(&|a| Ok(a.round.into_pyobject(py)?.into_any()))?,
        )?;
        cols.set_item("time", list(&|a| Ok(a.time.into_pyobject(py)?.into_any()))?)?;
        cols.set_item(
            "party",
            list(&|a| Ok(a.party.as_str().into_pyobject(py)?.into_any()))?,
        )?;
        cols.set_item(
            "action",
            list(&|a| Ok(a.action.as_str().into_pyobject(py)?.into_any()))?,
        )?;
        for issue in &self.doc.issues {
            cols.set_item(
                issue,
                list(&|a| match a.offer.as_ref().and_then(|o| o.get(issue)) {
                    Some(v) => issue_value(py, v),
                    None => Ok(py.None().into_bound(py)),
                })?,
            )?;
        }
        for p in &self.doc.parties {
            cols.set_item(
                format!("u:{}", p.name),
                list(
                    &|a| match a.utilities.as_ref().and_then(|u| u.get(&p.name)) {
                        Some(u) => Ok(u.into_pyobject(py)?.into_any()),
                        None => Ok(f64::NAN.into_pyobject(py)?.into_any()),
                    },
                )?,
            )?;
        }
        py.import("pandas")?.call_method1("DataFrame", (cols,))
    }

    fn __len__(&self) -> usize {
        self.doc.actions.len()
    }

    fn __repr__(&self) -> String {
        let r = &self.doc.result;
        format!(
            "<detente.Trace {:?}: {} actions, {} in round {}>",
            self.doc.scenario,
            self.doc.actions.len(),
            r.termination.as_str(),
            r.rounds
        )
    }
}
