//! `detente.inspect` (each party's strategy read from a trace, stalling, and a forecast of the
//! rest of the talks) and `detente.sweep` (what-if sweeps), through `detente-inspect`, with
//! the documents `detente inspect --json` and `detente sweep --json` print.

use std::path::{Path, PathBuf};

use detente_core::dynamics::StallingRule;
use detente_core::{NegotiatorSpec, Scenario, ScenarioTables};
use detente_formats::inspect_json::InspectDoc;
use detente_formats::sweep_json::SweepDoc;
use detente_formats::trace::{self, RecordedTrace};
use detente_inspect::{DEFAULT_STALLING, ForecastOptions, SweepConfig, parse_axis};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::convert::{doc_to_py, type_name};
use crate::errors::{OrInput, guard, input_error, require_exists};
use crate::registry::{Kinds, PyRegistry, kind_name, python_kind, registry_arg};
use crate::scenario::{PyScenario, party_names, scenario_arg};
use crate::trace::PyTrace;

/// The reading of a trace: each party's strategy with its evidence, the stalling test and,
/// when the talks could go on, a forecast.
#[pyclass(name = "Inspection", module = "detente", frozen)]
pub struct PyInspection {
    doc: InspectDoc,
}

#[pymethods]
impl PyInspection {
    /// As `detente inspect --json` prints it (without the final newline).
    fn to_json(&self) -> String {
        self.doc.to_json()
    }

    /// As plain Python objects.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        doc_to_py(py, &self.doc)
    }

    /// How the record ended, in words.
    #[getter]
    fn outcome(&self) -> &str {
        &self.doc.outcome
    }

    /// Per party: dicts with `name`, `strategy`, `reason`, `fit`, `evidence`, `curve`...
    #[getter]
    fn parties<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        doc_to_py(py, &self.doc.parties)
    }

    /// Each party's strategy, by name (`time-based`, `hardliner`, `tit-for-tat`, `random`,
    /// ...).
    #[getter]
    fn strategies(&self) -> std::collections::BTreeMap<String, String> {
        self.doc
            .parties
            .iter()
            .map(|p| (p.name.clone(), p.strategy.clone()))
            .collect()
    }

    /// The forecast (`p_agreement`, its interval, the round of agreement, final utilities,
    /// the most frequent agreements), or `None`.
    #[getter]
    fn forecast<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        doc_to_py(py, &self.doc.forecast)
    }

    fn __repr__(&self) -> String {
        let strategies: Vec<String> = self
            .doc
            .parties
            .iter()
            .map(|p| format!("{} {}", p.name, p.strategy))
            .collect();
        format!(
            "<detente.Inspection {:?}: {}>",
            self.doc.scenario,
            strategies.join(", ")
        )
    }
}

/// The record to read: a `Trace` (replayed against the scenario) or a file (a JSON trace, or
/// a hand-written CSV/TOML record of real talks).
fn record_of(obj: &Bound<'_, PyAny>, scenario: &Scenario) -> PyResult<RecordedTrace> {
    if let Ok(t) = obj.cast::<PyTrace>() {
        return trace::replay(&t.get().doc, scenario, Path::new("<trace>")).or_input();
    }
    let path: PathBuf = obj.extract().map_err(|_| {
        PyTypeError::new_err(format!(
            "expected a detente.Trace or the path of a trace or record, not {}",
            type_name(obj)
        ))
    })?;
    require_exists(std::slice::from_ref(&path), "file")?;
    trace::load(&path, scenario).or_input()
}

/// The scenario of an inspection: the one given, else the trace's own, else the built-in one.
fn inspected_scenario(
    trace: &Bound<'_, PyAny>,
    scenario: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyScenario>> {
    if scenario.is_none_or(|s| s.is_none())
        && let Ok(t) = trace.cast::<PyTrace>()
        && let Some(s) = &t.get().scenario
    {
        return Ok(s.clone_ref(trace.py()));
    }
    scenario_arg(scenario)
}

/// Checks the options and works out where to cut, as `detente inspect` does.
fn cut_of(record: &RecordedTrace, cut: Option<u32>) -> PyResult<(Option<u32>, Option<u32>)> {
    let trace = &record.trace;
    let last_round = trace.entries.last().map_or(0, |e| e.round);
    let cut = match cut {
        Some(c) => {
            let max = if record.finished {
                last_round + 1
            } else {
                last_round + 2
            };
            let max = max.min(trace.deadline);
            if c < 2 || c > max {
                return Err(input_error(format!(
                    "cut {c}: the forecast can start in a round from 2 to {max} of this record"
                )));
            }
            Some(c - 1)
        }
        None => None,
    };
    let forecast_cut = cut.or(if record.finished {
        (last_round >= 1).then(|| last_round.div_ceil(2).max(1))
    } else {
        (last_round + 1 < trace.deadline).then_some(last_round + 1)
    });
    Ok((cut, forecast_cut))
}

/// Reads each party's strategy from a trace, tests for stalling, and forecasts the rest of the
/// talks, as `detente inspect` does.
///
/// `trace` is a `Trace` or a path (a JSON trace, or a hand-written CSV/TOML record); `scenario`
/// defaults to the trace's own (for a `Trace` from `detente.run`) or the built-in one. `cut`
/// reads only the rounds before it (counting from 1) and forecasts from there; `simulations`
/// continuations are drawn with `seed`; `stall_window` and `stall_min` set the stalling test.
#[pyfunction]
#[pyo3(signature = (trace, scenario = None, *, cut = None, simulations = 200, seed = 42, stall_window = DEFAULT_STALLING.window, stall_min = DEFAULT_STALLING.min_improvement, registry = None))]
#[allow(clippy::too_many_arguments)]
pub fn inspect(
    py: Python<'_>,
    trace: &Bound<'_, PyAny>,
    scenario: Option<&Bound<'_, PyAny>>,
    cut: Option<u32>,
    simulations: usize,
    seed: u64,
    stall_window: u32,
    stall_min: f64,
    registry: Option<&Bound<'_, PyRegistry>>,
) -> PyResult<PyInspection> {
    guard(|| {
        let shared = inspected_scenario(trace, scenario)?;
        let scenario = &shared.get().scenario;
        let kinds = registry_arg(py, registry)?;
        let record = record_of(trace, scenario)?;
        if stall_window == 0 {
            return Err(input_error("stall_window must be at least 1"));
        }
        if !(stall_min.is_finite() && stall_min >= 0.0) {
            return Err(input_error("stall_min must be a finite number at least 0"));
        }
        if simulations == 0 {
            return Err(input_error("simulations must be at least 1"));
        }
        let rule = StallingRule {
            window: stall_window,
            min_improvement: stall_min,
        };
        let (cut, forecast_cut) = cut_of(&record, cut)?;
        let tables = shared.get().tables();
        let doc = py.detach(|| {
            read_and_forecast(
                scenario,
                &tables,
                &record,
                rule,
                cut,
                forecast_cut,
                (simulations, seed),
                &kinds,
            )
        })?;
        Ok(PyInspection { doc })
    })
}

#[allow(clippy::too_many_arguments)]
fn read_and_forecast(
    scenario: &Scenario,
    tables: &ScenarioTables,
    record: &RecordedTrace,
    rule: StallingRule,
    cut: Option<u32>,
    forecast_cut: Option<u32>,
    (simulations, seed): (usize, u64),
    kinds: &Kinds,
) -> PyResult<InspectDoc> {
    let read = |c: Option<u32>| {
        detente::reading::read_record(scenario, tables, record, c, rule).or_input()
    };
    let reading = read(cut)?;
    let forecast = match forecast_cut {
        Some(c) => {
            let before = read(Some(c))?;
            let options = ForecastOptions {
                cut: c,
                simulations,
                seed,
            };
            Some(
                detente_inspect::forecast(
                    scenario,
                    tables,
                    &record.trace,
                    &before,
                    options,
                    &kinds.registry,
                )
                .or_input()?,
            )
        }
        None => None,
    };
    Ok(detente::documents::inspect_doc(
        scenario,
        record,
        &reading,
        forecast.as_ref(),
        cut,
    ))
}

/// A what-if sweep: agreement rates, utilities and welfare with 95% intervals at every point.
#[pyclass(name = "Sweep", module = "detente", frozen)]
pub struct PySweep {
    /// The document.
    pub doc: SweepDoc,
}

#[pymethods]
impl PySweep {
    /// As `detente sweep --json` prints it (without the final newline).
    fn to_json(&self) -> String {
        self.doc.to_json()
    }

    /// As plain Python objects.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        doc_to_py(py, &self.doc)
    }

    /// One row per point: the swept parameters, `runs`, `agreements`, `agreement_rate` with
    /// `agreement_rate_low` and `_high` (Wilson 95%), `mean_rounds`, and per party `u:PARTY`
    /// with `u:PARTY_low` and `_high` (Student-t 95%; `NaN` when every run gave the same),
    /// then `welfare` likewise.
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let rows = self
            .doc
            .points
            .iter()
            .map(|p| {
                let d = PyDict::new(py);
                for (k, v) in &p.values {
                    d.set_item(k, v)?;
                }
                d.set_item("runs", p.runs)?;
                d.set_item("agreements", p.agreements)?;
                d.set_item("agreement_rate", p.agreement_rate)?;
                let ci = p.agreement_rate_ci95;
                d.set_item("agreement_rate_low", ci.map(|c| c[0]))?;
                d.set_item("agreement_rate_high", ci.map(|c| c[1]))?;
                d.set_item("mean_rounds", p.mean_rounds)?;
                let mut estimates: Vec<(String, detente_formats::sweep_json::Estimate)> = p
                    .utilities
                    .iter()
                    .map(|(k, e)| (format!("u:{k}"), *e))
                    .collect();
                if let Some(w) = &p.welfare {
                    estimates.push(("welfare".into(), *w));
                }
                for (name, e) in estimates {
                    d.set_item(&name, e.mean)?;
                    d.set_item(format!("{name}_low"), e.ci95.map_or(f64::NAN, |c| c[0]))?;
                    d.set_item(format!("{name}_high"), e.ci95.map_or(f64::NAN, |c| c[1]))?;
                }
                Ok(d)
            })
            .collect::<PyResult<Vec<_>>>()?;
        py.import("pandas")?.call_method1("DataFrame", (rows,))
    }

    fn __repr__(&self) -> String {
        let axes: Vec<&str> = self.doc.axes.iter().map(|a| a.param.as_str()).collect();
        format!(
            "<detente.Sweep of {}: {} points>",
            axes.join(" x "),
            self.doc.points.len()
        )
    }
}

/// The specs a sweep plays with: the scenario's (or `linear`), then the caller's, a dict from
/// party name to a spec or a factory (registered as a kind of its own).
fn sweep_specs(
    kinds: &mut Kinds,
    scenario: &Scenario,
    negotiators: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<NegotiatorSpec>> {
    let mut specs: Vec<NegotiatorSpec> = scenario
        .parties
        .iter()
        .map(|p| {
            p.negotiator
                .clone()
                .unwrap_or_else(|| NegotiatorSpec::new(crate::run::FALLBACK_NEGOTIATOR))
        })
        .collect();
    let Some(given) = negotiators.filter(|n| !n.is_none()) else {
        return Ok(specs);
    };
    let d = given.cast::<PyDict>().map_err(|_| {
        PyTypeError::new_err("negotiators: a dict from party name to spec or factory")
    })?;
    for (k, v) in d.iter() {
        let party: String = k.extract()?;
        let i = scenario.party_index(&party).ok_or_else(|| {
            input_error(format!(
                "negotiators: there is no party `{party}` (parties: {})",
                party_names(scenario).join(", ")
            ))
        })?;
        specs[i] = if let Ok(text) = v.extract::<String>() {
            kinds.registry.parse_spec(&text).map_err(|e| {
                input_error(format!("negotiator for party `{party}` (`{text}`): {e}"))
            })?
        } else if v.is_callable() && !v.is_instance_of::<PyString>() {
            let mut kind = kind_name(&format!("py.{party}"))?;
            while kinds.registry.get(&kind).is_some() {
                kind.push('_');
            }
            kinds.register_python(python_kind(&kind, "Python negotiator", &v))?;
            NegotiatorSpec::new(kind)
        } else {
            return Err(PyTypeError::new_err(format!(
                "negotiator for party `{party}`: a sweep makes a fresh negotiator for every run; \
                 give a spec or a factory (a class or function), not {}",
                type_name(&v)
            )));
        };
    }
    Ok(specs)
}

/// Varies one or two parameters over ranges, runs `seeds` negotiations at every point and
/// reports agreement rates, mean utilities and welfare with 95% intervals, as `detente sweep`.
///
/// `vary` is one or two `PARAM=START:END:STEP` or `PARAM=V1,V2,...` texts, with parameters
/// `reservation.PARTY`, `e.PARTY`, `weight.PARTY.ISSUE`, `event.NAME.round` and `rounds`.
/// Negotiation `k` of point `p` runs with `derive_seed(seed, p * seeds + k)`; `jitter`
/// multiplies time-based exponents by `exp(jitter * u)` and `noise` moves every reservation by
/// `noise * u` and scales each issue weight by `exp(noise * u)`, a fresh `u` uniform in [-1, 1]
/// for each. The defaults are the command line's (200 negotiations, jitter 0.5, noise 0.05).
#[pyfunction]
#[pyo3(signature = (scenario = None, vary = None, *, seeds = 200, seed = 42, jitter = 0.5, noise = 0.05, negotiators = None, registry = None))]
#[allow(clippy::too_many_arguments)]
pub fn sweep(
    py: Python<'_>,
    scenario: Option<&Bound<'_, PyAny>>,
    vary: Option<&Bound<'_, PyAny>>,
    seeds: usize,
    seed: u64,
    jitter: f64,
    noise: f64,
    negotiators: Option<&Bound<'_, PyAny>>,
    registry: Option<&Bound<'_, PyRegistry>>,
) -> PyResult<PySweep> {
    guard(|| {
        let shared = scenario_arg(scenario)?;
        let scenario = &shared.get().scenario;
        let vary: Vec<String> = match vary {
            None => return Err(input_error("vary: give one or two PARAM=RANGE texts")),
            Some(v) => match v.extract::<String>() {
                Ok(one) => vec![one],
                Err(_) => v.extract()?,
            },
        };
        if vary.is_empty() || vary.len() > 2 {
            return Err(input_error(format!(
                "vary is given {} times; a sweep varies one or two parameters",
                vary.len()
            )));
        }
        let axes = vary
            .iter()
            .map(|v| parse_axis(scenario, v).map_err(|e| input_error(format!("vary: {e}"))))
            .collect::<PyResult<Vec<_>>>()?;
        let mut kinds = registry_arg(py, registry)?;
        let specs = sweep_specs(&mut kinds, scenario, negotiators)?;
        let python = specs.iter().any(|s| kinds.is_python(&s.kind));
        let config = SweepConfig {
            axes,
            seeds,
            seed,
            jitter,
            noise,
            negotiators: specs,
        };
        let run = || detente_inspect::sweep(scenario, &config, &kinds.registry).or_input();
        let result = if python {
            // One worker: every call into Python takes the interpreter anyway.
            py.detach(|| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(1)
                    .build()
                    .map_err(crate::errors::detente_error)
                    .and_then(|pool| pool.install(run))
            })?
        } else {
            py.detach(run)?
        };
        crate::negotiator::take_interrupt()?;
        Ok(PySweep {
            doc: detente::documents::sweep_doc(scenario, &result),
        })
    })
}
