//! Scenarios from Python: loading (TOML, GENIUS, GeniusWeb, the built-in one) through
//! `detente-formats`, what they hold (issues, parties, utilities, the NumPy array of every
//! outcome's utilities) and writing them back.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use detente_core::tables::utility_vector;
use detente_core::{
    Evaluator, IssueKind, OutcomeId, Party, ProtocolKind, Scenario, ScenarioTables, Utility,
    UtilityFunction,
};
use detente_formats::{Loaded, SourceFormat, genius, geniusweb, scenario_toml};
use pyo3::exceptions::{PyIndexError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::convert::{numpy_f64, outcome_from_py, outcome_to_dict, outcome_to_py, value_to_py};
use crate::errors::{OrInput, guard, input_error, require_exists};

/// The built-in peace-talks scenario (the command line's default), compiled in.
const BUILTIN_TOML: &str = include_str!("../../../scenarios/ukraine-2025/ukraine-2025.toml");

/// The name the built-in scenario is reported under (as on the command line).
const BUILTIN_NAME: &str = "<built-in: scenarios/ukraine-2025/ukraine-2025.toml>";

/// Default largest number of outcomes [`PyScenario::utilities`] returns.
pub const UTILITY_ARRAY_LIMIT: u64 = 10_000_000;

/// A negotiation scenario: issues, parties with their preferences, the protocol, events.
/// Immutable; load one with `detente.load(path)` or `detente.builtin()`.
#[pyclass(name = "Scenario", module = "detente", frozen)]
pub struct PyScenario {
    pub scenario: Arc<Scenario>,
    format: Option<SourceFormat>,
    diagnostics: Vec<String>,
    tables: OnceLock<Arc<ScenarioTables>>,
}

impl PyScenario {
    /// Wraps a scenario that was read with `diagnostics`.
    pub fn new(scenario: Scenario, format: Option<SourceFormat>, diagnostics: Vec<String>) -> Self {
        PyScenario {
            scenario: Arc::new(scenario),
            format,
            diagnostics,
            tables: OnceLock::new(),
        }
    }

    fn from_loaded(loaded: Loaded) -> Self {
        let diagnostics = loaded.diagnostics.iter().map(ToString::to_string).collect();
        Self::new(loaded.scenario, Some(loaded.format), diagnostics)
    }

    /// The format it was read from.
    pub fn format_of(&self) -> Option<SourceFormat> {
        self.format
    }

    /// The scenario's tables, built once.
    pub fn tables(&self) -> Arc<ScenarioTables> {
        Arc::clone(
            self.tables
                .get_or_init(|| Arc::new(ScenarioTables::for_scenario(&self.scenario))),
        )
    }

    /// The built-in scenario.
    pub fn builtin_scenario() -> PyResult<Self> {
        let loaded = scenario_toml::load_str(BUILTIN_TOML, Path::new(BUILTIN_NAME)).or_input()?;
        Ok(Self::from_loaded(loaded))
    }

    /// Loads the scenario `paths` name (as the command line does).
    pub fn load_paths(paths: &[PathBuf]) -> PyResult<Self> {
        require_exists(paths, "file or folder")?;
        Ok(Self::from_loaded(detente_formats::load(paths).or_input()?))
    }

    fn party_index(&self, party: &Bound<'_, PyAny>) -> PyResult<usize> {
        party_index(&self.scenario, party)
    }
}

/// The index of a party given by name or index.
pub fn party_index(scenario: &Scenario, party: &Bound<'_, PyAny>) -> PyResult<usize> {
    if let Ok(name) = party.extract::<String>() {
        return scenario.party_index(&name).ok_or_else(|| {
            input_error(format!(
                "there is no party `{name}` (parties: {})",
                party_names(scenario).join(", ")
            ))
        });
    }
    let i: usize = party
        .extract()
        .map_err(|_| PyTypeError::new_err("a party is given by its name (str) or index (int)"))?;
    if i >= scenario.parties.len() {
        return Err(PyIndexError::new_err(format!(
            "party index {i} is out of range ({} parties)",
            scenario.parties.len()
        )));
    }
    Ok(i)
}

/// The party names, in turn order.
pub fn party_names(scenario: &Scenario) -> Vec<&str> {
    scenario.parties.iter().map(|p| p.name.as_str()).collect()
}

/// A scenario argument: a `Scenario`, a path (str or PathLike), a list of paths (a domain file
/// and its profiles), or `None` for the built-in scenario.
pub fn scenario_arg(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyScenario>> {
    Python::attach(|py| match obj {
        None => Py::new(py, PyScenario::builtin_scenario()?),
        Some(o) if o.is_none() => Py::new(py, PyScenario::builtin_scenario()?),
        Some(o) => {
            if let Ok(s) = o.cast::<PyScenario>() {
                return Ok(s.clone().unbind());
            }
            Py::new(py, PyScenario::load_paths(&paths_arg(o)?)?)
        }
    })
}

/// One path or a list of paths.
pub fn paths_arg(obj: &Bound<'_, PyAny>) -> PyResult<Vec<PathBuf>> {
    if let Ok(p) = obj.extract::<PathBuf>() {
        return Ok(vec![p]);
    }
    obj.extract::<Vec<PathBuf>>().map_err(|_| {
        PyTypeError::new_err(format!(
            "expected a detente.Scenario, a path or a list of paths, not {}",
            crate::convert::type_name(obj)
        ))
    })
}

fn utility_kind(u: &Utility) -> &'static str {
    match u {
        Utility::LinearAdditive(_) => "linear-additive",
        Utility::Table(_) => "table",
        Utility::Hyperrectangles(_) => "hyperrectangles",
        Utility::Interacting(_) => "interacting",
        _ => "custom",
    }
}

#[pymethods]
impl PyScenario {
    /// Reads a scenario: a detente TOML file, a GENIUS or GeniusWeb domain folder, or a list
    /// of files (a domain file and one profile per party). The format is told from the
    /// contents. Raises `MissingFileError` or `InputError` with the command line's message.
    #[staticmethod]
    #[pyo3(signature = (path))]
    fn load(path: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(|| Self::load_paths(&paths_arg(path)?))
    }

    /// The built-in scenario: the spring-2025 peace talks (an illustrative model).
    #[staticmethod]
    fn builtin() -> PyResult<Self> {
        guard(Self::builtin_scenario)
    }

    /// Reads a scenario from detente TOML text; `origin` names it in error messages.
    #[staticmethod]
    #[pyo3(signature = (text, origin = "<string>"))]
    fn from_toml(text: &str, origin: &str) -> PyResult<Self> {
        guard(|| {
            Ok(Self::from_loaded(
                scenario_toml::load_str(text, Path::new(origin)).or_input()?,
            ))
        })
    }

    /// The scenario as detente TOML, which reads back to the same scenario.
    fn to_toml(&self) -> PyResult<String> {
        guard(|| scenario_toml::to_string(&self.scenario).or_input())
    }

    /// Writes the scenario: a `.toml` file, or a folder of GENIUS XML or GeniusWeb JSON files
    /// (`format="genius"` or `"geniusweb"`). Returns the paths written.
    #[pyo3(signature = (path, format = None))]
    fn save(&self, path: PathBuf, format: Option<&str>) -> PyResult<Vec<PathBuf>> {
        guard(|| {
            let format = match format {
                Some(f) => f.parse::<SourceFormat>().or_input()?,
                None if path.extension().is_some_and(|e| e == "toml") => SourceFormat::Toml,
                None => {
                    return Err(input_error(format!(
                        "{}: cannot tell the output format from the path; give format= {}",
                        path.display(),
                        SourceFormat::names()
                    )));
                }
            };
            match format {
                SourceFormat::Toml => {
                    scenario_toml::save(&self.scenario, &path).or_input()?;
                    Ok(vec![path])
                }
                SourceFormat::Genius | SourceFormat::GeniusWeb => {
                    std::fs::create_dir_all(&path)
                        .map_err(|e| input_error(format!("{}: {e}", path.display())))?;
                    if format == SourceFormat::Genius {
                        genius::write(&self.scenario, &path).or_input()
                    } else {
                        geniusweb::write(&self.scenario, &path).or_input()
                    }
                }
            }
        })
    }

    /// Short name.
    #[getter]
    fn name(&self) -> &str {
        &self.scenario.name
    }

    /// What the scenario models.
    #[getter]
    fn description(&self) -> &str {
        &self.scenario.description
    }

    /// The format it was read from (`toml`, `genius`, `geniusweb`), `None` if built in code.
    #[getter]
    fn format(&self) -> Option<&'static str> {
        self.format.map(SourceFormat::as_str)
    }

    /// Recoverable oddities the reader noticed (the command line prints them as warnings).
    #[getter]
    fn diagnostics(&self) -> Vec<String> {
        self.diagnostics.clone()
    }

    /// The issues, in order.
    #[getter]
    fn issues(&self) -> Vec<PyIssue> {
        (0..self.scenario.space.issues().len())
            .map(|index| PyIssue {
                scenario: Arc::clone(&self.scenario),
                index,
            })
            .collect()
    }

    /// The parties, in turn order.
    #[getter]
    fn parties(&self) -> Vec<PyParty> {
        (0..self.scenario.parties.len())
            .map(|index| PyParty {
                scenario: Arc::clone(&self.scenario),
                index,
            })
            .collect()
    }

    /// The party names, in turn order.
    #[getter]
    fn party_names(&self) -> Vec<String> {
        self.scenario
            .parties
            .iter()
            .map(|p| p.name.clone())
            .collect()
    }

    /// The number of outcomes (every combination of values, constraints not subtracted);
    /// `None` beyond 2^128.
    #[getter]
    fn n_outcomes(&self) -> Option<u128> {
        self.scenario.space.count()
    }

    /// The deadline in rounds.
    #[getter]
    fn deadline(&self) -> u32 {
        self.scenario.protocol.deadline
    }

    /// The protocol: `"saop"` or `"mediated"`.
    #[getter]
    fn protocol(&self) -> &'static str {
        match self.scenario.protocol.kind {
            ProtocolKind::Saop => "saop",
            ProtocolKind::Mediated { .. } => "mediated",
        }
    }

    /// The names of the timeline events, in order.
    #[getter]
    fn events(&self) -> Vec<String> {
        self.scenario
            .events
            .iter()
            .map(|e| e.name.clone())
            .collect()
    }

    /// The names of the hard constraints.
    #[getter]
    fn constraints(&self) -> Vec<String> {
        let c = self.scenario.space.constraints();
        c.iter().map(|c| c.name.clone()).collect()
    }

    /// The (undiscounted) utility of `outcome` for `party` (a name or an index). An outcome
    /// is a sequence of value indices or a dict from issue name to value.
    fn utility(&self, party: &Bound<'_, PyAny>, outcome: &Bound<'_, PyAny>) -> PyResult<f64> {
        let p = self.party_index(party)?;
        let o = outcome_from_py(&self.scenario.space, outcome)?;
        Ok(self.scenario.parties[p].preferences.utility(&o))
    }

    /// Every party's utility of every outcome as a NumPy array of shape
    /// `(n_parties, n_outcomes)`: column `id` is outcome `id` (see `outcome`), constraints
    /// not applied (see `feasible`). Raises `InputError` when the space has more than `limit`
    /// outcomes.
    #[pyo3(signature = (limit = UTILITY_ARRAY_LIMIT))]
    fn utilities<'py>(&self, py: Python<'py>, limit: u64) -> PyResult<Bound<'py, PyAny>> {
        let scenario = &self.scenario;
        let n = scenario.space.enumerable(limit).map_err(|e| {
            input_error(format!(
                "{e}; pass a larger limit= to utilities() if the array fits in memory \
                 ({} bytes per party and outcome)",
                std::mem::size_of::<f64>()
            ))
        })?;
        let rows = py.detach(|| {
            guard(|| {
                let mut all = Vec::with_capacity(n * scenario.parties.len());
                for p in &scenario.parties {
                    all.extend(
                        utility_vector(&scenario.space, &p.preferences.utility, limit)
                            .or_input()?,
                    );
                }
                Ok(all)
            })
        })?;
        numpy_f64(py, &rows, &[scenario.parties.len(), n])
    }

    /// Whether each outcome is allowed by the constraints, as a NumPy bool array of length
    /// `n_outcomes` (all `True` without constraints).
    #[pyo3(signature = (limit = UTILITY_ARRAY_LIMIT))]
    fn feasible<'py>(&self, py: Python<'py>, limit: u64) -> PyResult<Bound<'py, PyAny>> {
        let space = &self.scenario.space;
        let n = space.enumerable(limit).or_input()?;
        let mut mask = vec![0u8; n];
        let mut values = vec![0u32; space.issues().len()];
        for (id, m) in mask.iter_mut().enumerate() {
            *m = u8::from(
                space.decode_into(id as OutcomeId, &mut values) && space.is_feasible(&values),
            );
        }
        let bytes = pyo3::types::PyByteArray::new(py, &mask);
        py.import("numpy")?
            .call_method1("frombuffer", (bytes, "bool"))
    }

    /// The outcome with id `id` (ids count with the first issue varying slowest) as a tuple of
    /// value indices.
    fn outcome<'py>(&self, py: Python<'py>, id: u64) -> PyResult<Bound<'py, PyAny>> {
        let o = self.scenario.space.outcome(id).ok_or_else(|| {
            PyIndexError::new_err(format!(
                "outcome id {id} is out of range ({} outcomes)",
                self.scenario.space.count_display()
            ))
        })?;
        Ok(outcome_to_py(py, &o)?.into_any())
    }

    /// The id of an outcome (a sequence of value indices or a dict of issue values).
    fn outcome_id(&self, outcome: &Bound<'_, PyAny>) -> PyResult<u64> {
        let o = outcome_from_py(&self.scenario.space, outcome)?;
        self.scenario
            .space
            .id_of(&o)
            .ok_or_else(|| PyValueError::new_err("the space is too large for outcome ids"))
    }

    /// An outcome as a dict from issue name to value (str, int or float).
    fn outcome_dict<'py>(
        &self,
        py: Python<'py>,
        outcome: &Bound<'_, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let o = outcome_from_py(&self.scenario.space, outcome)?;
        outcome_to_dict(py, &self.scenario.space, &o)
    }

    /// An outcome (a dict of issue values or a sequence of value indices) as a tuple of value
    /// indices.
    fn outcome_indices<'py>(
        &self,
        py: Python<'py>,
        outcome: &Bound<'_, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let o = outcome_from_py(&self.scenario.space, outcome)?;
        Ok(outcome_to_py(py, &o)?.into_any())
    }

    /// Whether the constraints allow `outcome`.
    fn is_feasible(&self, outcome: &Bound<'_, PyAny>) -> PyResult<bool> {
        let o = outcome_from_py(&self.scenario.space, outcome)?;
        Ok(self.scenario.space.contains(&o))
    }

    fn __repr__(&self) -> String {
        format!(
            "<detente.Scenario {:?}: {} parties, {} issues, {} outcomes>",
            self.scenario.name,
            self.scenario.parties.len(),
            self.scenario.space.issues().len(),
            self.scenario.space.count_display()
        )
    }
}

/// An issue of a scenario.
#[pyclass(name = "Issue", module = "detente", frozen)]
pub struct PyIssue {
    scenario: Arc<Scenario>,
    index: usize,
}

impl PyIssue {
    fn issue(&self) -> &detente_core::Issue {
        &self.scenario.space.issues()[self.index]
    }
}

#[pymethods]
impl PyIssue {
    /// Its name.
    #[getter]
    fn name(&self) -> &str {
        &self.issue().name
    }

    /// `"discrete"`, `"integer"` or `"real"`.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.issue().kind {
            IssueKind::Discrete { .. } => "discrete",
            IssueKind::Integer { .. } => "integer",
            IssueKind::Real { .. } => "real",
        }
    }

    /// Its number of values (discretisation points for a real issue).
    #[getter]
    fn cardinality(&self) -> u64 {
        self.issue().cardinality()
    }

    /// Its values in order (str, int or float): value index `k` is `values[k]`. Raises
    /// `InputError` for an issue of more than a million values.
    #[getter]
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let issue = self.issue();
        let n = issue.cardinality();
        if n > 1_000_000 {
            return Err(input_error(format!(
                "issue `{}` has {n} values; list them by index with value(k)",
                issue.name
            )));
        }
        let items = (0..n as u32)
            .filter_map(|k| issue.value(k))
            .map(|v| value_to_py(py, v))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The value at index `k`.
    fn value<'py>(&self, py: Python<'py>, k: u32) -> PyResult<Bound<'py, PyAny>> {
        let issue = self.issue();
        let v = issue.value(k).ok_or_else(|| {
            PyIndexError::new_err(format!(
                "value index {k} is out of range for issue `{}`",
                issue.name
            ))
        })?;
        value_to_py(py, v)
    }

    /// The index of `value` (a name, an integer or a discretisation point).
    fn index(&self, value: &Bound<'_, PyAny>) -> PyResult<u32> {
        crate::convert::value_index(self.issue(), value)
    }

    fn __repr__(&self) -> String {
        let i = self.issue();
        format!(
            "<detente.Issue {:?}: {}, {} values>",
            i.name,
            self.kind(),
            i.cardinality()
        )
    }
}

/// A party of a scenario.
#[pyclass(name = "Party", module = "detente", frozen)]
pub struct PyParty {
    scenario: Arc<Scenario>,
    index: usize,
}

impl PyParty {
    fn party(&self) -> &Party {
        &self.scenario.parties[self.index]
    }
}

/// The score of every value of issue `i` under a linear additive utility's evaluator.
fn scores(scenario: &Scenario, evaluator: &Evaluator, i: usize) -> PyResult<Vec<f64>> {
    let issue = &scenario.space.issues()[i];
    if let Evaluator::Table(s) = evaluator {
        return Ok(s.clone());
    }
    let n = issue.cardinality();
    if n > 1_000_000 {
        return Err(input_error(format!(
            "issue `{}` has {n} values, too many to list scores for",
            issue.name
        )));
    }
    Ok((0..n as u32)
        .map(|v| {
            issue
                .numeric_value(v)
                .map_or(f64::NAN, |x| evaluator.eval_number(x))
        })
        .collect())
}

#[pymethods]
impl PyParty {
    /// Its name.
    #[getter]
    fn name(&self) -> &str {
        &self.party().name
    }

    /// Its index in the turn order.
    #[getter]
    fn index(&self) -> usize {
        self.index
    }

    /// Its reservation value (utility without agreement), undiscounted.
    #[getter]
    fn reservation(&self) -> f64 {
        self.party().preferences.reservation
    }

    /// Its discount factor `d`: a utility `u` at normalised time `t` is worth `u * d**t`.
    #[getter]
    fn discount(&self) -> f64 {
        self.party().preferences.discount
    }

    /// The negotiator the scenario names for it (a spec such as `"boulware:e=0.1"`), if any.
    #[getter]
    fn negotiator(&self) -> Option<String> {
        self.party().negotiator.as_ref().map(ToString::to_string)
    }

    /// The form of its preferences: `"linear-additive"`, `"table"`, `"hyperrectangles"`,
    /// `"interacting"` (linear additive with interaction terms) or `"custom"`.
    #[getter]
    fn utility_kind(&self) -> &'static str {
        utility_kind(&self.party().preferences.utility)
    }

    /// Its linear additive preferences as a dict, `None` for other forms: `weights` (one per
    /// issue), `scores` (per issue, the score of every value), `weighted` (per issue,
    /// `weight * score` of every value: what the value adds to the sum) and `cap` (an upper cap
    /// on the sum, GENIUS's 1, or `None`). The utility of an outcome is
    /// `min(cap, sum_i weighted[i][v_i])`, summed in issue order.
    fn linear<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Utility::LinearAdditive(lin) = &self.party().preferences.utility else {
            return Ok(None);
        };
        let d = PyDict::new(py);
        d.set_item("weights", lin.weights().to_vec())?;
        let mut all_scores = Vec::new();
        let mut weighted = Vec::new();
        for (i, ev) in lin.evaluators().iter().enumerate() {
            let s = scores(&self.scenario, ev, i)?;
            weighted.push(
                (0..s.len() as u32)
                    .map(|v| lin.weighted_score(i, v))
                    .collect::<Vec<f64>>(),
            );
            all_scores.push(s);
        }
        d.set_item("scores", all_scores)?;
        d.set_item("weighted", weighted)?;
        d.set_item("cap", lin.cap())?;
        Ok(Some(d))
    }

    /// The (undiscounted) utility of `outcome`.
    fn utility(&self, outcome: &Bound<'_, PyAny>) -> PyResult<f64> {
        let o = outcome_from_py(&self.scenario.space, outcome)?;
        Ok(self.party().preferences.utility.utility(&o))
    }

    fn __repr__(&self) -> String {
        let p = self.party();
        format!(
            "<detente.Party {:?}: {}, reservation {}, discount {}>",
            p.name,
            self.utility_kind(),
            p.preferences.reservation,
            p.preferences.discount
        )
    }
}

/// `detente.load(path)`: see `Scenario.load`.
#[pyfunction]
#[pyo3(signature = (path))]
pub fn load(path: &Bound<'_, PyAny>) -> PyResult<PyScenario> {
    guard(|| PyScenario::load_paths(&paths_arg(path)?))
}

/// `detente.builtin()`: the built-in scenario.
#[pyfunction]
pub fn builtin() -> PyResult<PyScenario> {
    guard(PyScenario::builtin_scenario)
}
