//! `detente.run`: one negotiation under the protocol the scenario names, between built-in,
//! registered or Python negotiators, through `detente_core::protocol::run` with the
//! registry's kinds; the same result as `detente run` for the same scenario, negotiators and
//! seed.

use std::time::Duration;

use detente_core::protocol::{self, Clock, ProtocolConfig};
use detente_core::{Negotiator, NegotiatorSpec, Scenario};
use detente_formats::WallClock;
use detente_formats::trace::trace_doc;
use detente_negotiators::Registry;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyType};

use crate::convert::type_name;
use crate::errors::{OrInput, guard, input_error};
use crate::negotiator::{python_negotiator, take_interrupt};
use crate::registry::{PyRegistry, registry_arg};
use crate::scenario::{PyScenario, party_names, scenario_arg};
use crate::trace::PyTrace;

/// The negotiator a party plays when neither the scenario nor the caller names one (as on the
/// command line).
pub const FALLBACK_NEGOTIATOR: &str = "linear";

/// Who plays a party: a spec of the registry, or a Python object.
pub enum Player {
    /// A kind and parameters.
    Spec(NegotiatorSpec),
    /// A Python negotiator (an instance with `init` and `act`), and the name it goes by.
    Python(Py<PyAny>, String),
}

impl Player {
    /// How the trace names it.
    pub fn name(&self) -> String {
        match self {
            Player::Spec(s) => s.to_string(),
            Player::Python(_, name) => name.clone(),
        }
    }
}

/// The name a Python negotiator goes by: its `name` attribute if it is a string, else its
/// class name.
fn python_name(obj: &Bound<'_, PyAny>) -> String {
    match obj.getattr("name") {
        Ok(n) if n.is_instance_of::<PyString>() => n.extract().unwrap_or_default(),
        _ => type_name(obj),
    }
}

/// One player from Python: a spec text, or a negotiator object (a class is instantiated with
/// no arguments).
fn player(
    registry: &Registry,
    scenario: &Scenario,
    party: usize,
    obj: &Bound<'_, PyAny>,
) -> PyResult<Player> {
    let name = &scenario.parties[party].name;
    if let Ok(text) = obj.extract::<String>() {
        let spec = registry
            .parse_spec(&text)
            .map_err(|e| input_error(format!("negotiator for party `{name}` (`{text}`): {e}")))?;
        return Ok(Player::Spec(spec));
    }
    let obj = if obj.is_instance_of::<PyType>() {
        obj.call0()?
    } else {
        obj.clone()
    };
    if !obj.hasattr("act")? {
        return Err(PyTypeError::new_err(format!(
            "negotiator for party `{name}`: expected a spec such as \"boulware:e=0.2\" or a \
             negotiator object (with init and act), not {}",
            type_name(&obj)
        )));
    }
    let label = python_name(&obj);
    Ok(Player::Python(obj.unbind(), label))
}

/// Resolves every party's player: the caller's (a dict from party name to player, or a list in
/// party order), then the scenario's default, then [`FALLBACK_NEGOTIATOR`].
pub fn players(
    registry: &Registry,
    scenario: &Scenario,
    negotiators: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<Player>> {
    let mut out: Vec<Player> = scenario
        .parties
        .iter()
        .map(|p| {
            Player::Spec(
                p.negotiator
                    .clone()
                    .unwrap_or_else(|| NegotiatorSpec::new(FALLBACK_NEGOTIATOR)),
            )
        })
        .collect();
    let Some(given) = negotiators.filter(|n| !n.is_none()) else {
        return Ok(out);
    };
    if let Ok(d) = given.cast::<PyDict>() {
        for (k, v) in d.iter() {
            let party: String = k
                .extract()
                .map_err(|_| PyTypeError::new_err("negotiators: the keys are party names (str)"))?;
            let i = scenario.party_index(&party).ok_or_else(|| {
                input_error(format!(
                    "negotiators: there is no party `{party}` (parties: {})",
                    party_names(scenario).join(", ")
                ))
            })?;
            out[i] = player(registry, scenario, i, &v)?;
        }
        return Ok(out);
    }
    if given.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "negotiators: give a dict from party name to negotiator, or a list in party order",
        ));
    }
    let list: Vec<Bound<'_, PyAny>> = given.extract().map_err(|_| {
        PyTypeError::new_err(format!(
            "negotiators: give a dict from party name to negotiator, or a list in party order, \
             not {}",
            type_name(given)
        ))
    })?;
    if list.len() != scenario.parties.len() {
        return Err(input_error(format!(
            "negotiators: {} given for {} parties ({})",
            list.len(),
            scenario.parties.len(),
            party_names(scenario).join(", ")
        )));
    }
    for (i, v) in list.iter().enumerate() {
        out[i] = player(registry, scenario, i, v)?;
    }
    Ok(out)
}

/// The negotiators of a run, made from the players.
pub fn make_negotiators(
    py: Python<'_>,
    registry: &Registry,
    scenario: &Scenario,
    players: &[Player],
) -> PyResult<Vec<Box<dyn Negotiator>>> {
    players
        .iter()
        .zip(&scenario.parties)
        .map(|(pl, party)| match pl {
            Player::Spec(spec) => registry.create(spec).map_err(|e| {
                input_error(format!(
                    "negotiator for party `{}` (`{spec}`): {e}",
                    party.name
                ))
            }),
            Player::Python(obj, _) => python_negotiator(obj.bind(py)),
        })
        .collect()
}

/// Applies the `rounds` and `time_limit` overrides, with the command line's checks.
pub fn with_overrides(
    scenario: &Scenario,
    rounds: Option<u32>,
    time_limit: Option<f64>,
) -> PyResult<Option<Scenario>> {
    if rounds.is_none() && time_limit.is_none() {
        return Ok(None);
    }
    let mut s = scenario.clone();
    if let Some(r) = rounds {
        if r == 0 {
            return Err(input_error("rounds must be at least 1"));
        }
        s.protocol.deadline = r;
    }
    if let Some(t) = time_limit {
        if !(t.is_finite() && t > 0.0 && t < 1e9) {
            return Err(input_error(
                "time_limit must be a positive number of seconds",
            ));
        }
        s.protocol.time_limit = Some(Duration::from_secs_f64(t));
    }
    Ok(Some(s))
}

/// Runs one negotiation and returns its trace.
///
/// `scenario` is a `Scenario`, a path (or list of paths), or `None` for the built-in one.
/// `negotiators` maps party names to a spec (`"boulware:e=0.2"`) or a negotiator object (an
/// instance of a `detente.Negotiator` subclass, or any object with `init` and `act`); a list
/// in party order works too. Parties not given play the scenario's negotiator, or `linear`.
/// `rounds` and `time_limit` (seconds) override the scenario's. With `ensemble = N` (0 by
/// default), N more runs are summarised in the trace's `ensemble` (agreement probability, most
/// frequent agreements, mean utilities with 95% intervals), each with a seed of its own,
/// exponents jittered by `jitter` and preferences perturbed by `noise`, as `detente run`
/// prints below its transcript (the command line runs 200 by default; a library call runs
/// none unless asked). The same scenario, negotiators, seed and ensemble settings give the same
/// trace as `detente run --json --ensemble N` (see `Trace.to_json`).
#[pyfunction]
#[pyo3(signature = (scenario = None, negotiators = None, *, rounds = None, time_limit = None, seed = 42, ensemble = 0, jitter = 0.5, noise = 0.05, registry = None))]
#[allow(clippy::too_many_arguments)]
pub fn run(
    py: Python<'_>,
    scenario: Option<&Bound<'_, PyAny>>,
    negotiators: Option<&Bound<'_, PyAny>>,
    rounds: Option<u32>,
    time_limit: Option<f64>,
    seed: u64,
    ensemble: usize,
    jitter: f64,
    noise: f64,
    registry: Option<&Bound<'_, PyRegistry>>,
) -> PyResult<PyTrace> {
    guard(|| {
        let shared = scenario_arg(scenario)?;
        let kinds = registry_arg(py, registry)?;
        let registry = &kinds.registry;
        let base = &shared.get().scenario;
        let changed = with_overrides(base, rounds, time_limit)?;
        let scenario: &Scenario = changed.as_ref().unwrap_or(base);
        let players = players(registry, scenario, negotiators)?;
        let negotiators = make_negotiators(py, registry, scenario, &players)?;
        let tables = match &changed {
            Some(s) => std::sync::Arc::new(detente_core::ScenarioTables::for_scenario(s)),
            None => shared.get().tables(),
        };
        let python = players.iter().any(|p| match p {
            Player::Python(..) => true,
            Player::Spec(s) => kinds.is_python(&s.kind),
        });
        let draws = Draws {
            runs: ensemble,
            seed,
            jitter,
            noise,
        };
        let specs = draws.specs(&players, python)?;
        let engine = || {
            let clock = WallClock::start();
            let clock: Option<&dyn Clock> = scenario
                .protocol
                .time_limit
                .is_some()
                .then_some(&clock as &dyn Clock);
            let (trace, negotiators) = protocol::run_keeping(
                scenario,
                &tables,
                negotiators,
                ProtocolConfig::from_scenario(scenario),
                seed,
                clock,
                registry.mediators(),
            )
            .or_input()?;
            let quality = detente::documents::quality(scenario, &trace);
            let models = detente::documents::opponent_models(scenario, &tables, &negotiators);
            let ensemble = draws.ensemble(scenario, &specs, registry)?;
            Ok::<_, PyErr>((trace, quality, (models, ensemble)))
        };
        // Python negotiators call back into the interpreter: keep it attached for them.
        let (trace, quality, (models, ensemble)) = if python {
            engine()?
        } else {
            py.detach(engine)?
        };
        take_interrupt()?;
        let names: Vec<String> = players.iter().map(Player::name).collect();
        let mut doc = trace_doc(scenario, &trace, &names, quality);
        doc.result.opponent_models = models;
        doc.ensemble = ensemble;
        let scenario_obj = match changed {
            Some(s) => Py::new(py, PyScenario::new(s, shared.get().format_of(), Vec::new()))?,
            None => shared,
        };
        Ok(PyTrace {
            doc,
            scenario: Some(scenario_obj),
        })
    })
}

/// The ensemble a `run` call asked for (see [`run`]).
struct Draws {
    runs: usize,
    seed: u64,
    jitter: f64,
    noise: f64,
}

impl Draws {
    /// The specs the ensemble plays: every player's, which must be built-in or registered
    /// native kinds (Python negotiators cannot be drawn anew for each run).
    fn specs(&self, players: &[Player], python: bool) -> PyResult<Vec<NegotiatorSpec>> {
        if self.runs == 0 {
            return Ok(Vec::new());
        }
        detente_inspect::ensemble::check(self.runs, self.jitter)
            .and_then(|()| detente_inspect::ensemble::check_noise(self.noise))
            .map_err(|e| input_error(format!("ensemble: {e}")))?;
        if python {
            return Err(input_error(
                "ensemble: the runs of an ensemble are played by native negotiators only; \
                 give Python negotiators' parties a built-in kind or use ensemble = 0",
            ));
        }
        Ok(players
            .iter()
            .map(|p| match p {
                Player::Spec(s) => s.clone(),
                Player::Python(..) => unreachable!("refused above"),
            })
            .collect())
    }

    /// Runs the ensemble (none for 0 runs) and summarises it as `detente run --json` does.
    fn ensemble(
        &self,
        scenario: &Scenario,
        specs: &[NegotiatorSpec],
        registry: &Registry,
    ) -> PyResult<Option<detente_formats::ensemble_json::EnsembleDoc>> {
        if self.runs == 0 {
            return Ok(None);
        }
        let config = detente_inspect::ensemble::EnsembleConfig {
            runs: self.runs,
            seed: self.seed,
            jitter: self.jitter,
            noise: self.noise,
        };
        let e = detente_inspect::ensemble::of_negotiation(scenario, specs, registry, config)
            .map_err(|e| input_error(format!("ensemble: {e}")))?;
        Ok(Some(detente::documents::ensemble_doc(
            scenario,
            &e,
            Some(self.seed),
            (Some(self.jitter), Some(self.noise)),
        )))
    }
}
