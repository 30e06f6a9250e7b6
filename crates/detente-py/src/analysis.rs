//! `detente.analyze`: the exact Pareto frontier, the Nash, Kalai-Smorodinsky, maximum-welfare
//! and egalitarian points and the scenario statistics of `detente-analysis`, as NumPy arrays,
//! outcome dicts and the document `detente analyze --json` prints.

use detente_analysis::{Analysis, AnalysisConfig, Method, analyze as analyse_scenario};
use detente_formats::analysis_json::AnalysisDoc;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::convert::{doc_to_py, numpy_f64, outcome_to_dict, outcome_to_py};
use crate::errors::{guard, input_error};
use crate::scenario::{PyScenario, scenario_arg};

/// The analysis of a scenario. Utilities are undiscounted; definitions are in
/// `docs/analysis.md`.
#[pyclass(name = "Analysis", module = "detente", frozen)]
pub struct PyAnalysis {
    analysis: Analysis,
    doc: AnalysisDoc,
    scenario: Py<PyScenario>,
}

impl PyAnalysis {
    fn points<'py>(
        &self,
        py: Python<'py>,
        which: &detente_analysis::Points,
    ) -> PyResult<Bound<'py, PyDict>> {
        let space = &self.scenario.get().scenario.space;
        let d = PyDict::new(py);
        d.set_item("value", which.value)?;
        let points = which
            .points
            .iter()
            .map(|p| {
                let pd = PyDict::new(py);
                pd.set_item("outcome", outcome_to_dict(py, space, &p.outcome)?)?;
                pd.set_item("indices", outcome_to_py(py, &p.outcome)?)?;
                pd.set_item("utilities", p.utilities.clone())?;
                Ok(pd)
            })
            .collect::<PyResult<Vec<_>>>()?;
        d.set_item("points", points)?;
        Ok(d)
    }
}

#[pymethods]
impl PyAnalysis {
    /// The utilities of the frontier's outcomes: a NumPy array of shape
    /// `(frontier size, n_parties)`, in the frontier's order (decreasing utility vectors).
    #[getter]
    fn frontier<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let f = &self.analysis.frontier;
        let flat: Vec<f64> = f
            .points
            .iter()
            .flat_map(|p| p.utilities.iter().copied())
            .collect();
        numpy_f64(py, &flat, &[f.points.len(), f.n_parties])
    }

    /// The frontier's outcomes as dicts of issue values, in the order of `frontier`.
    #[getter]
    fn frontier_outcomes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let space = &self.scenario.get().scenario.space;
        let items = self
            .analysis
            .frontier
            .points
            .iter()
            .map(|p| outcome_to_dict(py, space, &p.outcome))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// How the frontier was computed: `issue-by-issue` (no enumeration) or `enumerate`.
    #[getter]
    fn method(&self) -> &'static str {
        match self.analysis.frontier.method {
            Method::IssueByIssue => "issue-by-issue",
            _ => "enumerate",
        }
    }

    /// The Nash point(s): `{"value": product of gains or None, "points": [{"outcome",
    /// "indices", "utilities"}, ...]}` (every tie).
    #[getter]
    fn nash<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.points(py, &self.analysis.nash)
    }

    /// The Kalai-Smorodinsky point(s), as `nash`.
    #[getter]
    fn kalai_smorodinsky<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.points(py, &self.analysis.kalai_smorodinsky)
    }

    /// The maximum-welfare point(s), as `nash`.
    #[getter]
    fn max_welfare<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.points(py, &self.analysis.max_welfare)
    }

    /// The egalitarian point(s), as `nash`.
    #[getter]
    fn egalitarian<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.points(py, &self.analysis.egalitarian)
    }

    /// The statistics (`min_utility`, `max_utility`, `reservation`, `frontier_size`,
    /// `frontier_distinct`, `opposition`, `opposition_normalised`, `n_individually_rational`,
    /// `fraction_individually_rational`) as a dict.
    #[getter]
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        doc_to_py(py, &self.doc.stats)
    }

    /// The analysis as JSON, as `detente analyze --json` prints it (`--frontier` with
    /// `frontier=True`), without the final newline.
    #[pyo3(signature = (frontier = false))]
    fn to_json(&self, frontier: bool) -> String {
        if frontier {
            self.doc.to_json()
        } else {
            AnalysisDoc {
                frontier: None,
                ..self.doc.clone()
            }
            .to_json()
        }
    }

    /// The analysis as plain Python objects (with the frontier).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        doc_to_py(py, &self.doc)
    }

    fn __repr__(&self) -> String {
        format!(
            "<detente.Analysis {:?}: frontier of {} outcomes ({})>",
            self.doc.scenario,
            self.analysis.frontier.points.len(),
            self.method()
        )
    }
}

/// Analyses a scenario (a `Scenario`, a path, or `None` for the built-in one): the exact
/// Pareto frontier and the special points, without enumerating the space when every party's
/// utility is linear additive; otherwise by enumerating at most `limit` outcomes.
#[pyfunction]
#[pyo3(signature = (scenario = None, *, limit = detente_core::tables::DEFAULT_ENUMERATION_LIMIT))]
pub fn analyze(
    py: Python<'_>,
    scenario: Option<&Bound<'_, PyAny>>,
    limit: u64,
) -> PyResult<PyAnalysis> {
    guard(|| {
        let shared = scenario_arg(scenario)?;
        let s = &shared.get().scenario;
        let config = AnalysisConfig {
            enumeration_limit: limit,
            ..AnalysisConfig::default()
        };
        let analysis = py
            .detach(|| analyse_scenario(s, &config))
            .map_err(|e| input_error(format!("analysing scenario `{}`: {e}", s.name)))?;
        let format = shared.get().format_of().map_or("toml", |f| f.as_str());
        let doc = detente::documents::analysis_doc(s, format, &analysis, true);
        Ok(PyAnalysis {
            analysis,
            doc,
            scenario: shared,
        })
    })
}
