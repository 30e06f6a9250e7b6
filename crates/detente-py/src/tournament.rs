//! `detente.tournament`: a tournament from a plan file or from Python objects, run by
//! `detente-tournament` (parallel, deterministic, resumable) into the usual output folder and
//! returned as a pandas DataFrame; `detente.read_tournament` reads a folder back.
//!
//! The run happens on a thread of its own with the interpreter released, so that native
//! negotiators run in parallel; the calling thread waits and checks for Ctrl-C, which stops the
//! run at the next batch boundary (the folder stays consistent and can be resumed). Python
//! negotiators take the interpreter for each call: with them, tournaments default to one
//! worker thread.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use detente_core::NegotiatorSpec;
use detente_tournament::{
    Hooks, Observer, Plan, PlanNegotiator, PlanScenario, RunConfig, TournamentError,
    TournamentOutput, read_output,
};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::convert::type_name;
use crate::errors::{OrInput, detente_error, guard, input_error, require_exists};
use crate::frame::{read_rows, results_frame};
use crate::negotiator::take_interrupt;
use crate::registry::{Kinds, PyRegistry, kind_name, python_kind, registry_arg};
use crate::scenario::{PyScenario, paths_arg};

/// A tournament error as a Python exception: input errors as `InputError`.
fn tournament_error(e: TournamentError) -> PyErr {
    if e.is_input_error() {
        input_error(e)
    } else {
        detente_error(e)
    }
}

/// Progress: a Python callback after every batch, or a line on standard error (Python's
/// `sys.stderr`, so that notebooks show it) at most twice a second. Asked to stop (Ctrl-C, or
/// the callback raised), it ends the run between batches.
struct Progress {
    callback: Option<Py<PyAny>>,
    print: bool,
    cancel: AtomicBool,
    state: Mutex<(u64, u64, Instant, Instant)>,
    /// What the callback raised: the run stops at the next batch and the caller raises it.
    raised: Mutex<Option<PyErr>>,
}

impl Progress {
    fn report(&self, done: u64, force: bool) {
        let Ok(mut g) = self.state.lock() else { return };
        let (total, resumed, start, last) = *g;
        let now = Instant::now();
        let soon = now.duration_since(last) < Duration::from_millis(500);
        if self.callback.is_none() && !force && soon && done < total {
            return;
        }
        g.3 = now;
        drop(g);
        let reported = Python::attach(|py| -> PyResult<()> {
            if let Some(cb) = &self.callback {
                cb.call1(py, (done, total))?;
            } else if self.print {
                let secs = now.duration_since(start).as_secs_f64().max(1e-9);
                let rate = (done - resumed) as f64 / secs;
                let pct = if total == 0 {
                    100.0
                } else {
                    100.0 * done as f64 / total as f64
                };
                let end = if done >= total { "\n" } else { "" };
                let line =
                    format!("\rdetente: {done}/{total} negotiations ({pct:.1}%), {rate:.0}/s{end}");
                let err = py.import("sys")?.getattr("stderr")?;
                err.call_method1("write", (line,))?;
                err.call_method0("flush")?;
            }
            Ok(())
        });
        if let Err(e) = reported
            && let Ok(mut slot) = self.raised.lock()
        {
            slot.get_or_insert(e);
            self.cancel.store(true, Ordering::SeqCst);
        }
    }
}

impl Observer for Progress {
    fn started(&self, total: u64, done: u64) {
        if let Ok(mut g) = self.state.lock() {
            let now = Instant::now();
            *g = (total, done, now, now);
        }
        self.report(done, true);
    }

    fn progress(&self, done: u64) {
        self.report(done, false);
    }

    fn stop(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    fn warning(&self, message: &str) {
        let message = message.to_string();
        let _ = Python::attach(|py| -> PyResult<()> {
            py.import("warnings")?.call_method1("warn", (message,))?;
            Ok(())
        });
    }
}

/// Runs `plan` on a thread of its own with the interpreter released, checking for Ctrl-C on
/// this one.
fn run_watched(
    py: Python<'_>,
    plan: &Plan,
    config: &RunConfig,
    registry: detente_negotiators::Registry,
    progress: &Progress,
) -> PyResult<detente_tournament::RunReport> {
    let mut interrupted: Option<PyErr> = None;
    let outcome = py.detach(|| {
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::channel();
            scope.spawn(move || {
                let hooks = Hooks {
                    registry,
                    observer: progress,
                    ..Hooks::default()
                };
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    detente_tournament::run(plan, config, &hooks)
                }));
                let _ = tx.send(r);
            });
            loop {
                match rx.recv_timeout(Duration::from_millis(100)) {
                    Ok(r) => return r,
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        if interrupted.is_none()
                            && let Err(e) = Python::attach(|py| py.check_signals())
                        {
                            interrupted = Some(e);
                            progress.cancel.store(true, Ordering::SeqCst);
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        return Err(Box::new("the tournament thread ended without a result")
                            as Box<dyn std::any::Any + Send>);
                    }
                }
            }
        })
    });
    if let Some(e) = interrupted {
        return Err(e);
    }
    if let Some(e) = progress.raised.lock().ok().and_then(|mut r| r.take()) {
        return Err(e);
    }
    take_interrupt()?;
    match outcome {
        Ok(r) => r.map_err(tournament_error),
        Err(p) => Err(detente_error(format!(
            "internal error in the tournament (a bug in detente, please report it): {}",
            p.downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_string()))
                .unwrap_or_default()
        ))),
    }
}

/// The plan's negotiators from a dict: display name to a spec text or a Python factory (a
/// negotiator class, or a function returning a negotiator), which is registered under a kind
/// of its own in `kinds`.
fn plan_negotiators(
    kinds: &mut Kinds,
    negotiators: &Bound<'_, PyAny>,
) -> PyResult<Vec<PlanNegotiator>> {
    let mut out = Vec::new();
    let items: Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>)> =
        if let Ok(d) = negotiators.cast::<PyDict>() {
            d.iter().collect()
        } else {
            let list: Vec<Bound<'_, PyAny>> = negotiators.extract().map_err(|_| {
                PyTypeError::new_err(
                    "negotiators: a dict from display name to spec or factory, or a list of specs",
                )
            })?;
            list.into_iter().map(|v| (v.clone(), v)).collect()
        };
    for (k, v) in items {
        let name: String = k.extract().map_err(|_| {
            PyTypeError::new_err("negotiators: names are str; give a dict for Python negotiators")
        })?;
        let spec = if let Ok(text) = v.extract::<String>() {
            kinds
                .registry
                .parse_spec(&text)
                .map_err(|e| input_error(format!("negotiator `{name}`: {e}")))?
        } else if v.is_callable() {
            let mut kind = kind_name(&name)?;
            while kinds.registry.get(&kind).is_some() {
                kind = format!("py.{kind}");
            }
            kinds.register_python(python_kind(
                &kind,
                &format!("Python: {}", type_name(&v)),
                &v,
            ))?;
            NegotiatorSpec::new(kind)
        } else {
            return Err(PyTypeError::new_err(format!(
                "negotiator `{name}`: expected a spec (str) or a factory (a class or function), \
                 not {}",
                type_name(&v)
            )));
        };
        if out.iter().any(|n: &PlanNegotiator| n.name == name) {
            return Err(input_error(format!("two negotiators are named `{name}`")));
        }
        out.push(PlanNegotiator { name, spec });
    }
    if out.is_empty() {
        return Err(input_error("the plan needs at least one negotiator"));
    }
    Ok(out)
}

/// The plan's scenarios from a list of `Scenario`s and paths.
fn plan_scenarios(scenarios: &Bound<'_, PyAny>) -> PyResult<Vec<PlanScenario>> {
    let items: Vec<Bound<'_, PyAny>> =
        if scenarios.is_instance_of::<PyString>() || scenarios.cast::<PyScenario>().is_ok() {
            vec![scenarios.clone()]
        } else {
            scenarios.extract()?
        };
    let mut out: Vec<PlanScenario> = Vec::new();
    for item in items {
        // A scenario object has no file behind it (its contents stand in for a digest); one
        // read here is keyed by the bytes of its files, so a resume notices an edit.
        let (source, scenario, digest) = match item.cast::<PyScenario>() {
            Ok(s) => (
                s.get().scenario.name.clone(),
                (*s.get().scenario).clone(),
                None,
            ),
            Err(_) => {
                let paths = paths_arg(&item)?;
                require_exists(&paths, "file or folder")?;
                let loaded = detente_formats::load(&paths).or_input()?;
                let source = paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(",");
                (source, loaded.scenario, Some(loaded.digest))
            }
        };
        if let Some(other) = out.iter().find(|o| o.scenario.name == scenario.name) {
            return Err(input_error(format!(
                "scenario `{source}` is named `{}`, like `{}`; scenario names must be unique",
                scenario.name, other.source
            )));
        }
        out.push(PlanScenario {
            source,
            scenario,
            diagnostics: Vec::new(),
            digest,
        });
    }
    if out.is_empty() {
        return Err(input_error("the plan needs at least one scenario"));
    }
    Ok(out)
}

/// A temporary output folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> PyResult<Self> {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = std::env::temp_dir().join(format!(
            "detente-tournament-{}-{nanos}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path)
            .map_err(|e| detente_error(format!("{}: {e}", path.display())))?;
        Ok(TempDir(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The plan a call describes: a plan file, or negotiators and scenarios given in Python.
struct PlanArgs<'a, 'py> {
    plan: Option<&'a Bound<'py, PyAny>>,
    negotiators: Option<&'a Bound<'py, PyAny>>,
    scenarios: Option<&'a Bound<'py, PyAny>>,
    name: String,
    seed: u64,
    repetitions: u32,
    rounds: Option<u32>,
    self_play: bool,
    step_budget: Option<f64>,
}

fn build_plan(args: &PlanArgs<'_, '_>, kinds: &mut Kinds) -> PyResult<Plan> {
    if let Some(p) = args.plan.filter(|p| !p.is_none()) {
        if args.negotiators.is_some() || args.scenarios.is_some() {
            return Err(input_error(
                "give either a plan file or negotiators and scenarios, not both",
            ));
        }
        let path: PathBuf = p.extract()?;
        require_exists(std::slice::from_ref(&path), "file")?;
        return Plan::load(&path, &kinds.registry).map_err(tournament_error);
    }
    let (Some(negotiators), Some(scenarios)) = (args.negotiators, args.scenarios) else {
        return Err(input_error(
            "give a plan file, or both negotiators and scenarios",
        ));
    };
    if args.repetitions == 0 {
        return Err(input_error("repetitions must be at least 1"));
    }
    if args.rounds == Some(0) {
        return Err(input_error("rounds must be at least 1"));
    }
    let step_budget = match args.step_budget {
        Some(s) if !(s.is_finite() && s > 0.0) => {
            return Err(input_error(
                "step_budget must be a positive number of seconds",
            ));
        }
        s => s.map(Duration::from_secs_f64),
    };
    Ok(Plan {
        name: args.name.clone(),
        seed: args.seed,
        repetitions: args.repetitions,
        rounds: args.rounds,
        step_budget,
        self_play: args.self_play,
        negotiators: plan_negotiators(kinds, negotiators)?,
        scenarios: plan_scenarios(scenarios)?,
    })
}

/// Runs a tournament and returns its results as a pandas DataFrame, one row per negotiation,
/// with the columns of `results.csv` (docs/tournaments.md).
///
/// Give either `plan`, a plan file (TOML), or `negotiators` (a dict from display name to a
/// spec such as `"boulware:e=0.2"` or to a factory: a negotiator class or a function returning
/// one) and `scenarios` (a list of `Scenario`s and paths), with `seed`, `repetitions`,
/// `rounds` (overrides every scenario's deadline), `self_play` and `step_budget` (seconds per
/// step, on a wall clock).
///
/// `out` keeps the usual output folder (results.csv, summary, manifest; `read_tournament`
/// reads it back); without it the folder is temporary. With `frame=False` (and `out`), nothing
/// is read back and `None` is returned: for tournaments too large to hold in memory. `resume=True` continues the results
/// in `out`. `threads` defaults to every core, or 1 when Python negotiators take part (they
/// hold the interpreter for each call). `progress` is `True` (a line on standard error),
/// `False`, or a function `progress(done, total)` (an exception it raises stops the run and
/// reaches the caller). Ctrl-C stops the run between batches; `resume=True` continues it.
#[pyfunction]
#[pyo3(signature = (plan = None, *, negotiators = None, scenarios = None, name = "tournament", seed = 42, repetitions = 1, rounds = None, self_play = true, step_budget = None, out = None, resume = false, threads = None, batch = 2048, analysis = true, progress = None, frame = true, registry = None))]
#[allow(clippy::too_many_arguments)]
pub fn tournament<'py>(
    py: Python<'py>,
    plan: Option<&Bound<'py, PyAny>>,
    negotiators: Option<&Bound<'py, PyAny>>,
    scenarios: Option<&Bound<'py, PyAny>>,
    name: &str,
    seed: u64,
    repetitions: u32,
    rounds: Option<u32>,
    self_play: bool,
    step_budget: Option<f64>,
    out: Option<PathBuf>,
    resume: bool,
    threads: Option<usize>,
    batch: usize,
    analysis: bool,
    progress: Option<&Bound<'py, PyAny>>,
    frame: bool,
    registry: Option<&Bound<'py, PyRegistry>>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    guard(|| {
        if !frame && out.is_none() {
            return Err(input_error(
                "frame=False keeps no results: give out= to keep the folder",
            ));
        }
        let mut kinds = registry_arg(py, registry)?;
        let args = PlanArgs {
            plan,
            negotiators,
            scenarios,
            name: name.to_string(),
            seed,
            repetitions,
            rounds,
            self_play,
            step_budget,
        };
        let plan = build_plan(&args, &mut kinds)?;
        if batch == 0 {
            return Err(input_error("batch must be at least 1"));
        }
        if threads == Some(0) {
            return Err(input_error("threads must be at least 1"));
        }
        let python = plan
            .negotiators
            .iter()
            .any(|n| kinds.is_python(&n.spec.kind));
        let threads = threads.unwrap_or_else(|| {
            if python {
                1
            } else {
                std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
            }
        });
        let temp = if out.is_none() {
            Some(TempDir::new()?)
        } else {
            None
        };
        let dir = out
            .clone()
            .unwrap_or_else(|| temp.as_ref().map(|t| t.0.clone()).unwrap_or_default());
        let config = RunConfig {
            resume,
            batch,
            analysis,
            threads: Some(threads),
            ..RunConfig::new(&dir)
        };
        let (callback, print) = match progress {
            None => (None, true),
            Some(p) if p.is_callable() => (Some(p.clone().unbind()), false),
            Some(p) => (None, p.is_truthy()?),
        };
        let observer = Progress {
            callback,
            print,
            cancel: AtomicBool::new(false),
            state: Mutex::new((0, 0, Instant::now(), Instant::now())),
            raised: Mutex::new(None),
        };
        run_watched(py, &plan, &config, kinds.registry.clone(), &observer)?;
        if !frame {
            return Ok(None);
        }
        let (rows, width) = py
            .detach(|| read_rows(&dir))
            .map_err(|e| tournament_error(e.into()))?;
        results_frame(py, &rows, width).map(Some)
    })
}

/// A tournament output folder, read back: `results` (a DataFrame, one row per negotiation),
/// `summary` (a DataFrame, one row per negotiator, best first, as `summary.csv`),
/// `summary_text` (as `detente tournament run` prints it) and `pairwise` (Welch's t-tests).
#[pyclass(name = "TournamentOutput", module = "detente", frozen)]
pub struct PyTournamentOutput {
    output: TournamentOutput,
    /// The folder.
    #[pyo3(get)]
    folder: PathBuf,
}

impl PyTournamentOutput {
    /// The output, for reports and plots.
    pub fn output(&self) -> &TournamentOutput {
        &self.output
    }
}

#[pymethods]
impl PyTournamentOutput {
    /// The tournament's name.
    #[getter]
    fn name(&self) -> &str {
        &self.output.manifest.tournament
    }

    /// One row per negotiation, with the columns of `results.csv`.
    #[getter]
    fn results<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let width = self.output.manifest.width;
        results_frame(py, &self.output.rows, width)
    }

    /// One row per negotiator, best first, with the columns of `summary.csv`.
    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let csv = self.output.summary.to_csv();
        let io = py.import("io")?.call_method1("StringIO", (csv,))?;
        py.import("pandas")?.call_method1("read_csv", (io,))
    }

    /// The summary as `detente tournament run` prints it.
    #[getter]
    fn summary_text(&self) -> String {
        self.output.summary.to_text()
    }

    /// The summary as plain Python objects (`summary.json`).
    fn summary_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let text = self.output.summary.to_json();
        py.import("json")?.call_method1("loads", (text,))
    }

    fn __repr__(&self) -> String {
        format!(
            "<detente.TournamentOutput {:?}: {} negotiations in {}>",
            self.output.manifest.tournament,
            self.output.rows.len(),
            self.folder.display()
        )
    }
}

/// Reads a tournament output folder (as `detente tournament run` or `detente.tournament(out=)`
/// writes it).
#[pyfunction]
pub fn read_tournament(py: Python<'_>, folder: PathBuf) -> PyResult<PyTournamentOutput> {
    guard(|| {
        if !folder.is_dir() {
            return Err(crate::errors::missing(&folder, "folder"));
        }
        let output = py.detach(|| read_output(&folder)).map_err(input_error)?;
        Ok(PyTournamentOutput { output, folder })
    })
}
