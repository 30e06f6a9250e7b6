//! Negotiators written in Python: [`PyNegotiator`] implements the engine's
//! [`Negotiator`] trait by calling a Python object's `init`, `act`, `observe`, `update` and
//! `compare`, so a Python strategy plays wherever a native one does (both protocols,
//! tournaments, sweeps). What the Python side sees: [`PySessionInfo`], [`PyState`] and
//! [`PyAction`].
//!
//! An exception raised by the Python code ends that negotiation only, as that negotiator's
//! fault, with the Python traceback in the message: from `init` and `update` as a failure to
//! start, from `act` and `observe` as a panic that the engine catches and records (raised with
//! `resume_unwind`, which skips the panic hook, so nothing is printed). A `KeyboardInterrupt`
//! (or any `BaseException` that is not an `Exception`) also stops every later call into
//! Python; the caller raises it once the engine returns ([`take_interrupt`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use detente_core::{
    Action, Actor, Negotiator, NegotiatorError, Outcome, PartyTable, Scenario, SessionInfo, State,
};
use pyo3::exceptions::{PyException, PyIndexError, PyKeyboardInterrupt, PyTypeError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::convert::{numpy_f64, outcome_from_py, outcome_to_py, type_name};
use crate::scenario::PyScenario;

/// Set when a Python negotiator was interrupted (Ctrl-C): later calls into Python negotiators
/// return at once, and the function that ran the engine raises `KeyboardInterrupt`.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Raises `KeyboardInterrupt` if a Python negotiator was interrupted during the last call into
/// the engine (and clears the mark).
pub fn take_interrupt() -> PyResult<()> {
    if INTERRUPTED.swap(false, Ordering::SeqCst) {
        return Err(PyKeyboardInterrupt::new_err(
            "interrupted inside a Python negotiator",
        ));
    }
    Ok(())
}

/// What a party does on its turn, as Python sees and returns it: `detente.ACCEPT`,
/// `detente.END`, or `Action.offer(outcome)`. `act` may also return the outcome itself (a
/// tuple of value indices or a dict of issue values) to make an offer.
#[pyclass(name = "Action", module = "detente", frozen)]
pub struct PyAction {
    kind: Kind,
}

enum Kind {
    Accept,
    End,
    Offer(Py<PyAny>),
}

#[pymethods]
impl PyAction {
    /// Accept the standing offer.
    #[staticmethod]
    fn accept() -> Self {
        PyAction { kind: Kind::Accept }
    }

    /// Walk away: the negotiation ends without agreement.
    #[staticmethod]
    fn end() -> Self {
        PyAction { kind: Kind::End }
    }

    /// Offer `outcome`: a sequence of value indices (one per issue) or a dict from issue name
    /// to value.
    #[staticmethod]
    fn offer(outcome: Bound<'_, PyAny>) -> Self {
        PyAction {
            kind: Kind::Offer(outcome.unbind()),
        }
    }

    /// `"accept"`, `"end"` or `"offer"`.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.kind {
            Kind::Accept => "accept",
            Kind::End => "end",
            Kind::Offer(_) => "offer",
        }
    }

    /// The outcome offered (as given), `None` for accept and end.
    #[getter]
    fn outcome(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        match &self.kind {
            Kind::Offer(o) => Some(o.clone_ref(py)),
            _ => None,
        }
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        let py = other.py();
        let Ok(other) = other.cast::<PyAction>() else {
            return Ok(false);
        };
        Ok(match (&self.kind, &other.get().kind) {
            (Kind::Accept, Kind::Accept) | (Kind::End, Kind::End) => true,
            (Kind::Offer(a), Kind::Offer(b)) => a.bind(py).eq(b.bind(py))?,
            _ => false,
        })
    }

    fn __hash__(&self) -> PyResult<isize> {
        match &self.kind {
            Kind::Accept => Ok(1),
            Kind::End => Ok(2),
            Kind::Offer(o) => Python::attach(|py| o.bind(py).hash()),
        }
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(match &self.kind {
            Kind::Accept => "detente.ACCEPT".into(),
            Kind::End => "detente.END".into(),
            Kind::Offer(o) => format!("detente.Action.offer({})", o.bind(py).repr()?),
        })
    }
}

impl PyAction {
    /// `detente.ACCEPT`.
    pub fn accept_action() -> Self {
        PyAction { kind: Kind::Accept }
    }

    /// `detente.END`.
    pub fn end_action() -> Self {
        PyAction { kind: Kind::End }
    }

    /// An offer of `outcome`, as a tuple of value indices.
    pub fn offer_of(py: Python<'_>, outcome: &Outcome) -> PyResult<Self> {
        Ok(PyAction {
            kind: Kind::Offer(outcome_to_py(py, outcome)?.into_any().unbind()),
        })
    }
}

/// The action as the Python object `observe` receives.
fn action_to_py(py: Python<'_>, action: &Action) -> PyResult<Py<PyAction>> {
    Py::new(
        py,
        match action {
            Action::Accept => PyAction::accept_action(),
            Action::End => PyAction::end_action(),
            Action::Offer(o) => PyAction::offer_of(py, o)?,
        },
    )
}

/// The engine's action from what Python's `act` returned.
pub fn action_from_py(scenario: &Scenario, obj: &Bound<'_, PyAny>) -> PyResult<Action> {
    if let Ok(a) = obj.cast::<PyAction>() {
        return Ok(match &a.get().kind {
            Kind::Accept => Action::Accept,
            Kind::End => Action::End,
            Kind::Offer(o) => Action::Offer(outcome_from_py(&scenario.space, o.bind(obj.py()))?),
        });
    }
    if obj.is_none() {
        return Err(PyTypeError::new_err(
            "act() returned None; return detente.ACCEPT, detente.END or an offer \
             (Action.offer(outcome), a tuple of value indices or a dict of issue values)",
        ));
    }
    outcome_from_py(&scenario.space, obj)
        .map(Action::Offer)
        .map_err(|e| {
            PyTypeError::new_err(format!(
                "act() returned {} that is not an action: {e}",
                type_name(obj)
            ))
        })
}

/// A snapshot of the negotiation on a turn, as Python's `act` and `observe` see it.
#[pyclass(name = "State", module = "detente", frozen, get_all)]
pub struct PyState {
    /// The current round, from 0.
    round: u32,
    /// Normalised time in [0, 1): the share of the deadline that has passed.
    time: f64,
    /// Whose turn it is (a party index).
    turn: usize,
    /// The standing offer as a tuple of value indices, or `None`.
    standing: Option<Py<PyTuple>>,
    /// Who made the standing offer: a party index, -1 for the neutral mediator's text, `None`
    /// when nothing stands.
    standing_by: Option<i64>,
    /// How many parties have accepted the standing offer so far.
    accepts: usize,
    /// Which parties are still at the table, by index.
    active: Py<PyTuple>,
}

#[pymethods]
impl PyState {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let standing = match &self.standing {
            Some(t) => t.bind(py).repr()?.to_string(),
            None => "None".into(),
        };
        Ok(format!(
            "<detente.State round {} time {:.4} turn {} standing {standing} by {:?}, {} accepts>",
            self.round, self.time, self.turn, self.standing_by, self.accepts
        ))
    }
}

/// What a Python negotiator learns before its first turn (and again, through `update`, when
/// an event changed the scenario).
#[pyclass(name = "SessionInfo", module = "detente", frozen)]
pub struct PySessionInfo {
    /// This negotiator's party index (its place in the turn order).
    #[pyo3(get)]
    party: usize,
    /// The deadline in rounds.
    #[pyo3(get)]
    deadline: u32,
    /// A seed for this negotiator's own random choices, derived from the negotiation's seed.
    #[pyo3(get)]
    seed: u64,
    /// The scenario as it stands (events may have changed it since the start).
    #[pyo3(get)]
    scenario: Py<PyScenario>,
    inner: Arc<Scenario>,
    table: Option<Arc<PartyTable>>,
}

impl PySessionInfo {
    fn make(py: Python<'_>, info: &SessionInfo<'_>) -> PyResult<Py<Self>> {
        let scenario = info.scenario.clone();
        let shared = PyScenario::new(scenario, None, Vec::new());
        let inner = Arc::clone(&shared.scenario);
        Py::new(
            py,
            PySessionInfo {
                party: info.party,
                deadline: info.deadline,
                seed: info.seed,
                scenario: Py::new(py, shared)?,
                inner,
                table: info.own_table().ok(),
            },
        )
    }

    fn table(&self) -> PyResult<&PartyTable> {
        self.table.as_deref().ok_or_else(|| {
            crate::errors::input_error(format!(
                "the space has {} outcomes, too many for a utility table",
                self.inner.space.count_display()
            ))
        })
    }
}

#[pymethods]
impl PySessionInfo {
    /// Number of parties.
    #[getter]
    fn n_parties(&self) -> usize {
        self.inner.parties.len()
    }

    /// This party's reservation value as it stands.
    #[getter]
    fn reservation(&self) -> f64 {
        self.inner.parties[self.party].preferences.reservation
    }

    /// This party's discount factor.
    #[getter]
    fn discount(&self) -> f64 {
        self.inner.parties[self.party].preferences.discount
    }

    /// This party's (undiscounted) utility of `outcome` (value indices or issue values).
    fn utility(&self, outcome: &Bound<'_, PyAny>) -> PyResult<f64> {
        let o = outcome_from_py(&self.inner.space, outcome)?;
        Ok(self.inner.parties[self.party].preferences.utility(&o))
    }

    /// This party's best utility over the feasible outcomes.
    #[getter]
    fn best_utility(&self) -> PyResult<f64> {
        Ok(self.table()?.best())
    }

    /// This party's worst utility over the feasible outcomes.
    #[getter]
    fn worst_utility(&self) -> PyResult<f64> {
        Ok(self.table()?.worst())
    }

    /// The feasible outcome whose utility for this party is the lowest at or above `target`
    /// (the best outcome if none reaches it; the lowest outcome id among equal utilities), as a
    /// tuple of value indices: what detente's time-based negotiators offer for the aspiration
    /// `target`. A binary search in the shared table.
    fn outcome_at_least<'py>(&self, py: Python<'py>, target: f64) -> PyResult<Bound<'py, PyTuple>> {
        let table = self.table()?;
        let level = table.sorted[table.position_at_least(target)];
        let id = table.order[table.sorted.partition_point(|&u| u > level)];
        let o = self
            .inner
            .space
            .outcome(id)
            .ok_or_else(|| PyIndexError::new_err("no feasible outcome"))?;
        outcome_to_py(py, &o)
    }

    /// This party's utility of every outcome, by outcome id, as a NumPy array.
    fn utilities<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let t = self.table()?;
        numpy_f64(py, &t.utilities, &[t.utilities.len()])
    }

    fn __repr__(&self) -> String {
        format!(
            "<detente.SessionInfo party {} of {}, deadline {}, seed {}>",
            self.party,
            self.inner.parties.len(),
            self.deadline,
            self.seed
        )
    }
}

/// The engine's side of a Python negotiator.
pub struct PyNegotiator {
    obj: Py<PyAny>,
    /// The scenario as it stands, to read offers given by issue values.
    scenario: Option<Arc<Scenario>>,
    /// Whether the object has its own `observe`, `update` and `compare`.
    observes: bool,
    updates: bool,
    compares: bool,
    /// The last `active` flags and their tuple, reused while they do not change.
    active: Option<(Vec<bool>, Py<PyTuple>)>,
}

/// Whether `obj` has a method `name` other than the one of `detente.Negotiator` (whose
/// `observe` and `compare` do nothing).
fn overrides(py: Python<'_>, obj: &Bound<'_, PyAny>, name: &str) -> PyResult<bool> {
    let Ok(mine) = obj.get_type().getattr(name) else {
        return Ok(false);
    };
    let base = py.import("detente")?.getattr("Negotiator")?;
    match base.getattr(name) {
        Ok(b) => Ok(!mine.is(&b)),
        Err(_) => Ok(true),
    }
}

impl PyNegotiator {
    /// Wraps a Python object with `init` and `act` methods (optionally `observe`, `update`,
    /// `compare`).
    pub fn new(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = obj.py();
        for required in ["init", "act"] {
            if !obj.hasattr(required)? {
                return Err(PyTypeError::new_err(format!(
                    "a negotiator needs an `{required}` method; {} has none (subclass \
                     detente.Negotiator)",
                    type_name(obj)
                )));
            }
        }
        Ok(PyNegotiator {
            obj: obj.clone().unbind(),
            scenario: None,
            observes: overrides(py, obj, "observe")?,
            updates: obj.hasattr("update")?,
            compares: overrides(py, obj, "compare")?,
            active: None,
        })
    }

    fn state<'py>(&mut self, py: Python<'py>, s: &State<'_>) -> PyResult<Bound<'py, PyState>> {
        let active = match &self.active {
            Some((flags, t)) if flags.as_slice() == s.active => t.clone_ref(py),
            _ => {
                let t = PyTuple::new(py, s.active.iter().copied())?.unbind();
                self.active = Some((s.active.to_vec(), t.clone_ref(py)));
                t
            }
        };
        let (standing, standing_by) = match s.standing {
            Some(o) => (
                Some(outcome_to_py(py, &o.outcome)?.unbind()),
                Some(match o.by {
                    Actor::Party(p) => p as i64,
                    Actor::Mediator => -1,
                }),
            ),
            None => (None, None),
        };
        Bound::new(
            py,
            PyState {
                round: s.round,
                time: s.time,
                turn: s.turn,
                standing,
                standing_by,
                accepts: s.accepts,
                active,
            },
        )
    }

    fn start(&mut self, info: &SessionInfo<'_>, method: &str) -> Result<(), NegotiatorError> {
        if INTERRUPTED.load(Ordering::Relaxed) {
            return Err(NegotiatorError("interrupted".into()));
        }
        Python::attach(|py| {
            let pyinfo = PySessionInfo::make(py, info)?;
            self.scenario = Some(Arc::clone(&pyinfo.get().inner));
            self.obj.call_method1(py, method, (pyinfo,)).map(drop)
        })
        .map_err(|e| NegotiatorError(describe(e, method)))
    }
}

/// An exception as the fault's message: the call, the exception and its traceback.
fn describe(e: PyErr, method: &str) -> String {
    Python::attach(|py| {
        if !e.is_instance_of::<PyException>(py) {
            INTERRUPTED.store(true, Ordering::SeqCst);
        }
        let head = format!("{method}() raised {}", e.value(py));
        let head = match e.get_type(py).name() {
            Ok(n) => format!("{method}() raised {n}: {}", e.value(py)),
            Err(_) => head,
        };
        let tb = py
            .import("traceback")
            .and_then(|m| {
                m.call_method1(
                    "format_exception",
                    (e.get_type(py), e.value(py), e.traceback(py)),
                )
            })
            .and_then(|lines| lines.extract::<Vec<String>>())
            .map(|lines| lines.concat())
            .unwrap_or_default();
        let tb = tb.trim_end();
        if tb.is_empty() {
            head
        } else {
            format!("{head}\n{tb}")
        }
    })
}

/// Ends the current negotiation as this negotiator's fault (a panic the engine catches;
/// `resume_unwind` does not run the panic hook, so nothing is printed).
fn fault(e: PyErr, method: &str) -> ! {
    std::panic::resume_unwind(Box::new(describe(e, method)))
}

fn stopped() -> ! {
    std::panic::resume_unwind(Box::new("interrupted".to_string()))
}

impl Negotiator for PyNegotiator {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        self.start(info, "init")
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        if INTERRUPTED.load(Ordering::Relaxed) {
            stopped();
        }
        let result = Python::attach(|py| {
            let s = self.state(py, state)?;
            let out = self.obj.bind(py).call_method1(intern!(py, "act"), (s,))?;
            let scenario = self
                .scenario
                .as_ref()
                .ok_or_else(|| PyTypeError::new_err("act() before init()"))?;
            action_from_py(scenario, &out)
        });
        result.unwrap_or_else(|e| fault(e, "act"))
    }

    fn observe(&mut self, party: usize, action: &Action, state: &State<'_>) {
        if !self.observes {
            return;
        }
        if INTERRUPTED.load(Ordering::Relaxed) {
            stopped();
        }
        let result = Python::attach(|py| {
            let s = self.state(py, state)?;
            let a = action_to_py(py, action)?;
            self.obj
                .bind(py)
                .call_method1(intern!(py, "observe"), (party, a, s))
                .map(drop)
        });
        if let Err(e) = result {
            fault(e, "observe");
        }
    }

    fn update(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        if self.updates {
            self.start(info, "update")
        } else {
            self.start(info, "init")
        }
    }

    fn compare(&mut self, candidate: &Outcome, incumbent: &Outcome) -> Option<std::cmp::Ordering> {
        if !self.compares || INTERRUPTED.load(Ordering::Relaxed) {
            return None;
        }
        Python::attach(|py| {
            let c = outcome_to_py(py, candidate).ok()?;
            let i = outcome_to_py(py, incumbent).ok()?;
            let r = self
                .obj
                .bind(py)
                .call_method1(intern!(py, "compare"), (c, i))
                .map_err(|e| {
                    // Advice, not an action: a failing comparison counts as "cannot tell".
                    if !e.is_instance_of::<PyException>(py) {
                        INTERRUPTED.store(true, Ordering::SeqCst);
                    }
                })
                .ok()?;
            if r.is_none() {
                return None;
            }
            let x: f64 = r.extract().ok()?;
            x.partial_cmp(&0.0)
        })
    }
}

/// A Python negotiator from an object (an instance with `init` and `act`).
pub fn python_negotiator(obj: &Bound<'_, PyAny>) -> PyResult<Box<dyn Negotiator>> {
    Ok(Box::new(PyNegotiator::new(obj)?))
}

/// Makes a negotiator by calling a Python factory with keyword parameters; a factory that
/// raises gives a negotiator that cannot start (its fault says why).
pub fn from_factory(factory: &Py<PyAny>, params: &[(&str, f64)]) -> Box<dyn Negotiator> {
    Python::attach(|py| {
        let made = (|| {
            let kwargs = PyDict::new(py);
            for (k, v) in params {
                kwargs.set_item(k, v)?;
            }
            let obj = factory.bind(py).call((), Some(&kwargs))?;
            PyNegotiator::new(&obj)
        })();
        match made {
            Ok(n) => Box::new(n) as Box<dyn Negotiator>,
            Err(e) => Box::new(Unavailable(describe(e, "the factory"))),
        }
    })
}

/// A negotiator that cannot start, standing in for one whose factory failed.
struct Unavailable(String);

impl Negotiator for Unavailable {
    fn init(&mut self, _: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        Err(NegotiatorError(self.0.clone()))
    }

    fn act(&mut self, _: &State<'_>) -> Action {
        Action::End
    }
}
