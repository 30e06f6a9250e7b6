//! A detente negotiator driven from Python: `detente.NativeNegotiator` makes a negotiator of
//! the registry (a built-in kind such as `boulware`, or a registered one) and passes it the
//! session and the turns Python gives it. `detente.negmas.DetenteNegotiator` uses it to let
//! detente's negotiators play inside NegMAS mechanisms.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};

use detente_core::{
    Action, Actor, Negotiator, NegotiatorSpec, Offer, Scenario, SessionInfo, State,
};
use detente_negotiators::Registry;
use pyo3::prelude::*;

use crate::convert::outcome_from_py;
use crate::errors::{OrInput, detente_error, input_error};
use crate::negotiator::{PyAction, action_from_py};
use crate::registry::{PyRegistry, registry_arg};
use crate::scenario::PyScenario;

/// A negotiator of the registry, driven turn by turn from Python.
#[pyclass(name = "NativeNegotiator", module = "detente", frozen)]
pub struct PyNativeNegotiator {
    spec: NegotiatorSpec,
    registry: Registry,
    session: Mutex<Option<Session>>,
}

struct Session {
    negotiator: Box<dyn Negotiator>,
    scenario: Arc<Scenario>,
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_string()))
        .unwrap_or_else(|| "unknown panic".into())
}

/// The turn's state, from its parts.
struct Turn {
    round: u32,
    time: f64,
    turn: usize,
    standing: Option<Offer>,
    accepts: usize,
    active: Vec<bool>,
}

impl Turn {
    #[allow(clippy::too_many_arguments)]
    fn new(
        scenario: &Scenario,
        round: u32,
        time: f64,
        turn: usize,
        standing: Option<&Bound<'_, PyAny>>,
        standing_by: Option<i64>,
        accepts: usize,
        active: Option<Vec<bool>>,
    ) -> PyResult<Self> {
        let n = scenario.parties.len();
        let standing = match standing.filter(|s| !s.is_none()) {
            Some(o) => Some(Offer {
                outcome: outcome_from_py(&scenario.space, o)?,
                by: match standing_by {
                    Some(p) if p >= 0 && (p as usize) < n => Actor::Party(p as usize),
                    Some(-1) => Actor::Mediator,
                    Some(p) => return Err(input_error(format!("standing_by {p} is not a party"))),
                    None => return Err(input_error("standing_by is needed with standing")),
                },
            }),
            None => None,
        };
        let active = active.unwrap_or_else(|| vec![true; n]);
        if active.len() != n || turn >= n {
            return Err(input_error(format!(
                "turn and active must fit the scenario's {n} parties"
            )));
        }
        Ok(Turn {
            round,
            time,
            turn,
            standing,
            accepts,
            active,
        })
    }

    fn state(&self) -> State<'_> {
        State {
            round: self.round,
            time: self.time,
            turn: self.turn,
            standing: self.standing.as_ref(),
            accepts: self.accepts,
            active: &self.active,
        }
    }
}

impl PyNativeNegotiator {
    fn with_session<T>(&self, f: impl FnOnce(&mut Session) -> PyResult<T>) -> PyResult<T> {
        let mut g = self
            .session
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let s = g
            .as_mut()
            .ok_or_else(|| detente_error("init() must be called before act() and observe()"))?;
        f(s)
    }
}

#[pymethods]
impl PyNativeNegotiator {
    /// A negotiator of `spec` (e.g. `"boulware:e=0.2"`), made by `registry` (default: the
    /// default registry) at each `init`.
    #[new]
    #[pyo3(signature = (spec, registry = None))]
    fn new(py: Python<'_>, spec: &str, registry: Option<&Bound<'_, PyRegistry>>) -> PyResult<Self> {
        let registry = registry_arg(py, registry)?.registry;
        let spec = registry.parse_spec(spec).or_input()?;
        Ok(PyNativeNegotiator {
            spec,
            registry,
            session: Mutex::new(None),
        })
    }

    /// The spec, in its normal form.
    #[getter]
    fn spec(&self) -> String {
        self.spec.to_string()
    }

    /// Starts a session: a fresh negotiator for `party` of `scenario`, with the deadline in
    /// rounds and a seed for its random choices.
    fn init(
        &self,
        scenario: &Bound<'_, PyScenario>,
        party: usize,
        deadline: u32,
        seed: u64,
    ) -> PyResult<()> {
        let s = scenario.get();
        let shared = Arc::clone(&s.scenario);
        if party >= shared.parties.len() {
            return Err(input_error(format!("party {party} is out of range")));
        }
        let tables = s.tables();
        let mut negotiator = self.registry.create(&self.spec).or_input()?;
        let info = SessionInfo {
            party,
            scenario: &shared,
            tables: &tables,
            deadline,
            seed,
        };
        match catch_unwind(AssertUnwindSafe(|| negotiator.init(&info))) {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                return Err(detente_error(format!(
                    "the negotiator could not start: {e}"
                )));
            }
            Err(p) => {
                return Err(detente_error(format!(
                    "the negotiator panicked: {}",
                    panic_text(&*p)
                )));
            }
        }
        *self
            .session
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Session {
            negotiator,
            scenario: shared,
        });
        Ok(())
    }

    /// Its action on its turn: `round` (from 0), normalised `time`, whose `turn`, the
    /// `standing` offer (value indices or issue values) and who made it (`standing_by`, -1
    /// for a neutral mediator), how many have `accepts`-ed it, and who is `active`.
    #[pyo3(signature = (round, time, turn, standing = None, standing_by = None, accepts = 0, active = None))]
    #[allow(clippy::too_many_arguments)]
    fn act(
        &self,
        py: Python<'_>,
        round: u32,
        time: f64,
        turn: usize,
        standing: Option<&Bound<'_, PyAny>>,
        standing_by: Option<i64>,
        accepts: usize,
        active: Option<Vec<bool>>,
    ) -> PyResult<Py<PyAction>> {
        self.with_session(|s| {
            let t = Turn::new(
                &s.scenario,
                round,
                time,
                turn,
                standing,
                standing_by,
                accepts,
                active,
            )?;
            let action =
                catch_unwind(AssertUnwindSafe(|| s.negotiator.act(&t.state()))).map_err(|p| {
                    detente_error(format!("the negotiator panicked: {}", panic_text(&*p)))
                })?;
            action_py(py, &action)
        })
    }

    /// Shows it another party's action (`"accept"`, `"end"`, or an outcome offered), taken on
    /// that party's turn described as for `act`.
    #[pyo3(signature = (party, action, round, time, turn, standing = None, standing_by = None, accepts = 0, active = None))]
    #[allow(clippy::too_many_arguments)]
    fn observe(
        &self,
        party: usize,
        action: &Bound<'_, PyAny>,
        round: u32,
        time: f64,
        turn: usize,
        standing: Option<&Bound<'_, PyAny>>,
        standing_by: Option<i64>,
        accepts: usize,
        active: Option<Vec<bool>>,
    ) -> PyResult<()> {
        self.with_session(|s| {
            let t = Turn::new(
                &s.scenario,
                round,
                time,
                turn,
                standing,
                standing_by,
                accepts,
                active,
            )?;
            let action = match action.extract::<String>().as_deref() {
                Ok("accept") => Action::Accept,
                Ok("end") => Action::End,
                _ => action_from_py(&s.scenario, action)?,
            };
            catch_unwind(AssertUnwindSafe(|| {
                s.negotiator.observe(party, &action, &t.state())
            }))
            .map_err(|p| detente_error(format!("the negotiator panicked: {}", panic_text(&*p))))
        })
    }

    fn __repr__(&self) -> String {
        format!("<detente.NativeNegotiator {}>", self.spec)
    }
}

fn action_py(py: Python<'_>, action: &Action) -> PyResult<Py<PyAction>> {
    Ok(match action {
        Action::Accept => Py::new(py, PyAction::accept_action())?,
        Action::End => Py::new(py, PyAction::end_action())?,
        Action::Offer(o) => Py::new(py, PyAction::offer_of(py, o)?)?,
    })
}
