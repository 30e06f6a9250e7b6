//! Running a plan (or one shard of it) into an output folder: parallel over the current rayon
//! pool, in batches written in index order and flushed, resumable after a crash.
//!
//! Each negotiation's seed is `derive_seed(plan seed, index)` and nothing else about it
//! depends on which thread, batch or shard runs it, so results are identical for any thread
//! or shard count. The only exception is a row whose negotiator overran the per-step budget,
//! which a wall clock decides.

use std::cell::Cell;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use detente_analysis::{Analysis, AnalysisConfig, analyze, quality_of_utilities};
use detente_core::protocol::mediator::MediatorRegistry;
use detente_core::protocol::{self, Clock, ProtocolConfig};
use detente_core::{
    NegotiationResult, Negotiator, NegotiatorError, ProtocolKind, Scenario, ScenarioTables,
    SessionInfo, State, Termination,
};
use detente_negotiators::Registry;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Result, TournamentError};
use crate::plan::{Negotiation, Plan, Schedule};
use crate::results::{
    QualityColumns, Row, RowReader, drop_torn_tail, header_line, one_line, write_row,
};
use crate::summary::{Summary, summarize_file};

/// The file names inside an output folder.
pub mod files {
    /// The results, one row per negotiation.
    pub const RESULTS: &str = "results.csv";
    /// The same rows with typed columns, made from [`RESULTS`] when a run or merge is
    /// complete (with the `parquet` feature, when asked for).
    pub const RESULTS_PARQUET: &str = "results.parquet";
    /// What the folder holds: plan fingerprint, shard, negotiators.
    pub const MANIFEST: &str = "manifest.json";
    /// Side table: every scenario's parties in role order.
    pub const SCENARIOS: &str = "scenarios.csv";
    /// Per-negotiator summary table.
    pub const SUMMARY_CSV: &str = "summary.csv";
    /// The whole summary.
    pub const SUMMARY_JSON: &str = "summary.json";
}

/// Which part of the negotiations to run: those whose index `i` has `i % count == index`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// This shard, from 0.
    pub index: u64,
    /// Number of shards, at least 1.
    pub count: u64,
}

impl Default for Shard {
    fn default() -> Self {
        Shard { index: 0, count: 1 }
    }
}

impl Shard {
    /// A shard, checked.
    pub fn new(index: u64, count: u64) -> Result<Self> {
        if count == 0 || index >= count {
            return Err(TournamentError::InvalidShard {
                text: format!("{index}/{count}"),
                message: "expected I/N with N >= 1 and 0 <= I < N".into(),
            });
        }
        Ok(Shard { index, count })
    }

    /// Parses `I/N`.
    pub fn parse(text: &str) -> Result<Self> {
        let bad = |message: &str| TournamentError::InvalidShard {
            text: text.to_string(),
            message: message.to_string(),
        };
        let (i, n) = text
            .split_once('/')
            .ok_or_else(|| bad("expected I/N, e.g. 0/4 (shards are numbered from 0)"))?;
        let i: u64 = i
            .trim()
            .parse()
            .map_err(|_| bad("I is not a whole number"))?;
        let n: u64 = n
            .trim()
            .parse()
            .map_err(|_| bad("N is not a whole number"))?;
        if n == 0 {
            return Err(bad("N must be at least 1"));
        }
        if i >= n {
            return Err(bad("I must be below N (shards are numbered from 0)"));
        }
        Ok(Shard { index: i, count: n })
    }

    /// The shard a job scheduler assigned, read through `var` (normally `std::env::var`):
    /// Slurm job arrays (`SLURM_ARRAY_TASK_ID` minus `SLURM_ARRAY_TASK_MIN`, out of
    /// `SLURM_ARRAY_TASK_COUNT`), or Kubernetes indexed jobs (`JOB_COMPLETION_INDEX`, out of
    /// `count` or `DETENTE_SHARD_COUNT`).
    pub fn from_env(var: impl Fn(&str) -> Option<String>, count: Option<u64>) -> Result<Self> {
        let num = |name: &str| -> Result<Option<u64>> {
            match var(name) {
                None => Ok(None),
                Some(v) => v
                    .trim()
                    .parse()
                    .map(Some)
                    .map_err(|_| TournamentError::InvalidShard {
                        text: "auto".into(),
                        message: format!("{name}=`{v}` is not a whole number"),
                    }),
            }
        };
        let fail = |message: String| TournamentError::InvalidShard {
            text: "auto".into(),
            message,
        };
        if let Some(id) = num("SLURM_ARRAY_TASK_ID")? {
            let min = num("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let n = match count {
                Some(n) => n,
                None => num("SLURM_ARRAY_TASK_COUNT")?.ok_or_else(|| {
                    fail("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; give --shard-count".into())
                })?,
            };
            let i = id.checked_sub(min).ok_or_else(|| {
                fail(format!(
                    "SLURM_ARRAY_TASK_ID {id} is below SLURM_ARRAY_TASK_MIN {min}"
                ))
            })?;
            return Shard::new(i, n).map_err(|_| {
                fail(format!(
                    "Slurm task {id} (array from {min}) is shard {i}, not below the shard count {n}; \
                     use a contiguous array such as --array=0-{}",
                    n.saturating_sub(1)
                ))
            });
        }
        if let Some(i) = num("JOB_COMPLETION_INDEX")? {
            let n = match count {
                Some(n) => n,
                None => num("DETENTE_SHARD_COUNT")?.ok_or_else(|| {
                    fail("JOB_COMPLETION_INDEX is set but the shard count is not: give --shard-count or DETENTE_SHARD_COUNT (the job's completions)".into())
                })?,
            };
            return Shard::new(i, n).map_err(|_| {
                fail(format!(
                    "JOB_COMPLETION_INDEX {i} is not below the shard count {n}"
                ))
            });
        }
        Err(fail(
            "none of SLURM_ARRAY_TASK_ID (Slurm job arrays) or JOB_COMPLETION_INDEX (Kubernetes \
             indexed jobs) is set"
                .into(),
        ))
    }

    /// Number of the `total` negotiations in this shard.
    pub fn len(&self, total: u64) -> u64 {
        if self.index >= total {
            0
        } else {
            (total - self.index).div_ceil(self.count)
        }
    }

    /// Whether this shard has no negotiations out of `total`.
    pub fn is_empty(&self, total: u64) -> bool {
        self.len(total) == 0
    }

    /// Global index of this shard's `position`-th negotiation.
    pub fn index_at(&self, position: u64) -> u64 {
        self.index + position * self.count
    }

    /// Whether the negotiation with this global index belongs to the shard.
    pub fn contains(&self, index: u64) -> bool {
        index % self.count == self.index
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Progress reports from a run. Every method has an empty default.
pub trait Observer: Sync {
    /// The run is about to start: `total` negotiations in this shard, `done` of them already
    /// in the results file (resumed).
    fn started(&self, _total: u64, _done: u64) {}
    /// `done` negotiations of the shard are now in the results file.
    fn progress(&self, _done: u64) {}
    /// Something worth telling the user that does not stop the run.
    fn warning(&self, _message: &str) {}
}

/// An observer that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Observer for Silent {}

/// The process's wall clock since a negotiation started.
#[derive(Debug, Clone, Copy)]
pub struct WallClock(pub Instant);

impl Clock for WallClock {
    fn elapsed(&self) -> Duration {
        self.0.elapsed()
    }
}

fn wall_clock() -> Box<dyn Clock> {
    Box::new(WallClock(Instant::now()))
}

/// What a run plugs in: where negotiators come from, the clock for per-step budgets, and
/// who hears about progress.
pub struct Hooks<'a> {
    /// The negotiator kinds the plan's specs are resolved in (the built-in ones by default;
    /// register kinds of your own to use them in a plan).
    pub registry: Registry,
    /// Makes a clock at the start of each negotiation (used only with a step budget).
    pub clock: &'a (dyn Fn() -> Box<dyn Clock> + Sync),
    /// Hears about progress.
    pub observer: &'a dyn Observer,
}

impl Default for Hooks<'_> {
    fn default() -> Self {
        Hooks {
            registry: Registry::builtin(),
            clock: &wall_clock,
            observer: &Silent,
        }
    }
}

impl std::fmt::Debug for Hooks<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hooks")
            .field("registry", &self.registry)
            .finish_non_exhaustive()
    }
}

/// How to run a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct RunConfig {
    /// The output folder (created when missing).
    pub out: PathBuf,
    /// Which shard to run.
    pub shard: Shard,
    /// Continue the results already in `out` instead of refusing to touch them.
    pub resume: bool,
    /// Negotiations per batch: a batch is run in parallel, then written in index order and
    /// flushed. Bounds memory and the work lost to a crash.
    pub batch: usize,
    /// Stop after this many new rows (for tests that simulate a crash); `None` runs all.
    pub stop_after: Option<u64>,
    /// Compute the agreement-quality columns (one Pareto analysis per scenario).
    pub analysis: bool,
    /// Worker threads: `None` runs on the current rayon pool (the global one unless the
    /// caller installed another); `Some(n)` on a new pool of `n` threads.
    pub threads: Option<usize>,
    /// Also write `results.parquet` once the shard is complete (needs the `parquet` feature;
    /// without it a run asked for Parquet fails before it starts).
    pub parquet: bool,
}

impl RunConfig {
    /// Runs everything into `out`, with the default batch size and analysis on.
    pub fn new(out: impl Into<PathBuf>) -> Self {
        RunConfig {
            out: out.into(),
            shard: Shard::default(),
            resume: false,
            batch: 2048,
            stop_after: None,
            analysis: true,
            threads: None,
            parquet: false,
        }
    }
}

/// What a run did.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// Negotiations in the shard.
    pub total: u64,
    /// Of which were already done (resumed).
    pub resumed: u64,
    /// Of which this run did.
    pub ran: u64,
    /// The summary of the shard's results (`None` when stopped early).
    pub summary: Option<Summary>,
    /// The results file.
    pub results: PathBuf,
    /// The Parquet results file, when one was written.
    pub parquet: Option<PathBuf>,
}

/// What an output folder holds, written as `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Manifest format version.
    pub format: u32,
    /// Tournament name.
    pub tournament: String,
    /// [`Plan::fingerprint`].
    pub fingerprint: String,
    /// Negotiations in the whole plan.
    pub negotiations: u64,
    /// The shard the folder holds.
    pub shard: Shard,
    /// Per-role columns of the results.
    pub width: usize,
    /// Negotiator names in plan order.
    pub negotiators: Vec<String>,
    /// Scenario names in plan order.
    pub scenarios: Vec<String>,
}

impl Manifest {
    /// The manifest of `plan`'s shard `shard`.
    pub fn new(plan: &Plan, schedule: &Schedule, shard: Shard) -> Self {
        Manifest {
            format: 1,
            tournament: plan.name.clone(),
            fingerprint: plan.fingerprint(),
            negotiations: schedule.total(),
            shard,
            width: plan.max_parties(),
            negotiators: plan.negotiators.iter().map(|n| n.name.clone()).collect(),
            scenarios: plan
                .scenarios
                .iter()
                .map(|s| s.scenario.name.clone())
                .collect(),
        }
    }

    /// Reads `manifest.json` from an output folder.
    pub fn read(dir: &Path) -> Result<Self> {
        let path = dir.join(files::MANIFEST);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                TournamentError::Output {
                    path: dir.to_path_buf(),
                    message: format!(
                        "not a tournament output folder: it has no {}",
                        files::MANIFEST
                    ),
                }
            } else {
                TournamentError::io(&path, e)
            }
        })?;
        serde_json::from_str(&text).map_err(|e| TournamentError::At {
            path,
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })
    }

    pub(crate) fn write(&self, dir: &Path) -> Result<()> {
        let mut text = serde_json::to_string_pretty(self).expect("a manifest serialises");
        text.push('\n');
        write_file(&dir.join(files::MANIFEST), text.as_bytes())
    }
}

pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| TournamentError::io(path, e))
}

/// Per-scenario work done once and shared by every negotiation on it.
struct ScenarioContext<'p> {
    scenario: &'p Scenario,
    tables: ScenarioTables,
    analysis: Option<Analysis>,
    config: ProtocolConfig,
    mediators: MediatorRegistry,
}

/// The result of talks whose mediator strategy could not be created: no agreement, nothing
/// said, the mediator's fault recorded.
fn unavailable_mediator(
    scenario: &Scenario,
    e: detente_core::registry::SpecError,
) -> NegotiationResult {
    NegotiationResult {
        termination: Termination::MediatorFault {
            fault: detente_core::NegotiatorFault::Init(e.to_string()),
        },
        agreement: None,
        rounds_used: 0,
        time: 0.0,
        utilities: scenario
            .parties
            .iter()
            .map(|p| p.preferences.reservation)
            .collect(),
    }
}

/// A negotiator that cannot start, standing in for one the registry could not create.
struct Unavailable(String);

impl Negotiator for Unavailable {
    fn init(&mut self, _: &SessionInfo<'_>) -> std::result::Result<(), NegotiatorError> {
        Err(NegotiatorError(self.0.clone()))
    }
    fn act(&mut self, _: &State<'_>) -> detente_core::Action {
        detente_core::Action::End
    }
}

thread_local! {
    static IN_NEGOTIATION: Cell<bool> = const { Cell::new(false) };
}

type Hook = Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Sync + Send + 'static>;

static HOOK: Mutex<(usize, Option<std::sync::Arc<Hook>>)> = Mutex::new((0, None));

/// Keeps panics inside negotiations quiet (their message is recorded in the row) while
/// alive; panics elsewhere still reach the previous hook. Nested and concurrent guards share
/// one hook; the last one dropped restores the previous hook.
#[derive(Debug)]
pub struct QuietPanics(());

impl QuietPanics {
    /// Installs the quiet hook.
    pub fn install() -> Self {
        let mut g = HOOK.lock().unwrap_or_else(|e| e.into_inner());
        if g.0 == 0 {
            let prev = std::sync::Arc::new(std::panic::take_hook());
            let p = prev.clone();
            std::panic::set_hook(Box::new(move |info| {
                if !IN_NEGOTIATION.with(Cell::get) {
                    p(info);
                }
            }));
            g.1 = Some(prev);
        }
        g.0 += 1;
        QuietPanics(())
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        let mut g = HOOK.lock().unwrap_or_else(|e| e.into_inner());
        g.0 -= 1;
        if g.0 == 0 {
            drop(std::panic::take_hook());
            if let Some(prev) = g.1.take() {
                match std::sync::Arc::try_unwrap(prev) {
                    Ok(hook) => std::panic::set_hook(hook),
                    Err(shared) => std::panic::set_hook(Box::new(move |info| shared(info))),
                }
            }
        }
    }
}

fn agreement_text(scenario: &Scenario, outcome: &detente_core::Outcome) -> String {
    let mut s = String::new();
    for (i, (issue, &v)) in scenario.space.issues().iter().zip(&outcome.0).enumerate() {
        if i > 0 {
            s.push(';');
        }
        s.push_str(&issue.name);
        s.push('=');
        match issue.value(v) {
            Some(val) => s.push_str(&val.to_string()),
            None => s.push_str(&format!("#{v}")),
        }
    }
    s
}

fn run_one(plan: &Plan, ctx: &ScenarioContext<'_>, n: &Negotiation, hooks: &Hooks<'_>) -> Row {
    let negotiators: Vec<Box<dyn Negotiator>> = n
        .assignment
        .iter()
        .map(|&a| {
            hooks
                .registry
                .create(&plan.negotiators[a].spec)
                .unwrap_or_else(|e| Box::new(Unavailable(e.to_string())))
        })
        .collect();
    IN_NEGOTIATION.with(|f| f.set(true));
    let clock = ctx.config.step_limit.map(|_| (hooks.clock)());
    let outcome = protocol::run(
        ctx.scenario,
        &ctx.tables,
        negotiators,
        ctx.config.clone(),
        n.seed,
        clock.as_deref(),
        &ctx.mediators,
    );
    IN_NEGOTIATION.with(|f| f.set(false));
    let r = match outcome {
        Ok(trace) => trace.result,
        Err(e) => unavailable_mediator(ctx.scenario, e),
    };
    let (error_party, error) = match &r.termination {
        Termination::NegotiatorFault { party, fault } => {
            (Some(*party), one_line(&fault.to_string()))
        }
        _ => (None, String::new()),
    };
    let agreement = r
        .agreement
        .as_ref()
        .map(|o| agreement_text(ctx.scenario, o))
        .unwrap_or_default();
    let quality = ctx.analysis.as_ref().map(|a| {
        let raw = r.agreement.as_ref().map(|o| ctx.scenario.utilities(o));
        let q = quality_of_utilities(a, raw.as_deref());
        QualityColumns {
            pareto_optimal: q.pareto_optimal,
            dist_frontier: q.distance_to_frontier,
            dist_nash: q.distance_to_nash,
            dist_ks: q.distance_to_kalai_smorodinsky,
            dist_max_welfare: q.distance_to_max_welfare,
        }
    });
    Row {
        index: n.index,
        scenario: ctx.scenario.name.clone(),
        repetition: n.repetition,
        seed: n.seed,
        negotiators: n
            .assignment
            .iter()
            .map(|&a| plan.negotiators[a].name.clone())
            .collect(),
        termination: r.termination.as_str().to_string(),
        error_party,
        error,
        rounds: r.rounds_used,
        time: r.time,
        agreement,
        welfare: r.utilities.iter().sum(),
        utilities: r.utilities,
        quality,
    }
}

/// The side table of scenarios and their parties, as CSV.
fn scenarios_csv(plan: &Plan) -> String {
    let mut s = String::from("scenario,source,rounds,outcomes,role,party,reservation,discount\n");
    for (i, sc) in plan.scenarios.iter().enumerate() {
        for (role, p) in sc.scenario.parties.iter().enumerate() {
            let fields = [
                sc.scenario.name.clone(),
                sc.source.clone(),
                plan.rounds_for(i).to_string(),
                sc.scenario.space.count_display(),
                role.to_string(),
                p.name.clone(),
                p.preferences.reservation.to_string(),
                p.preferences.discount.to_string(),
            ];
            for (j, f) in fields.iter().enumerate() {
                if j > 0 {
                    s.push(',');
                }
                crate::results::push_csv_field(&mut s, f);
            }
            s.push('\n');
        }
    }
    s
}

/// Bit set over a shard's positions.
struct Done(Vec<u64>);

impl Done {
    fn new(n: u64) -> Self {
        Done(vec![0; n.div_ceil(64) as usize])
    }
    fn get(&self, i: u64) -> bool {
        self.0[(i / 64) as usize] >> (i % 64) & 1 == 1
    }
    fn set(&mut self, i: u64) {
        self.0[(i / 64) as usize] |= 1 << (i % 64);
    }
}

/// Reads the rows already in a results file: which shard positions are done, and whether
/// the file is sorted by index.
fn read_done(path: &Path, shard: Shard, total: u64, width: usize) -> Result<(Done, u64, bool)> {
    let len = shard.len(total);
    let mut done = Done::new(len);
    let mut count = 0u64;
    let mut sorted = true;
    let mut last: Option<u64> = None;
    let mut reader = RowReader::open(path)?;
    if reader.width() != width {
        return Err(TournamentError::Output {
            path: path.to_path_buf(),
            message: format!(
                "has {} per-role columns but the plan needs {width}",
                reader.width()
            ),
        });
    }
    let mut line = 1usize;
    while let Some(row) = reader.next_row()? {
        line += 1;
        let at = |message: String| TournamentError::At {
            path: path.to_path_buf(),
            line,
            column: 1,
            message,
        };
        if row.index >= total || !shard.contains(row.index) {
            return Err(at(format!(
                "row {} is not a negotiation of shard {shard} of this plan",
                row.index
            )));
        }
        let pos = row.index / shard.count;
        if done.get(pos) {
            return Err(at(format!("row {} appears twice", row.index)));
        }
        done.set(pos);
        count += 1;
        if last.is_some_and(|l| row.index < l) {
            sorted = false;
        }
        last = Some(row.index);
    }
    Ok((done, count, sorted))
}

/// Rewrites a results file sorted by index (in memory: only needed for files that some other
/// writer produced out of order).
pub fn sort_results_file(path: &Path) -> Result<()> {
    let reader = RowReader::open(path)?;
    let k = reader.width();
    let mut rows: Vec<Row> = reader.collect::<Result<_>>()?;
    rows.sort_by_key(|r| r.index);
    let mut s = header_line(k);
    for r in &rows {
        write_row(&mut s, r, k);
    }
    let tmp = path.with_extension("csv.sorting");
    write_file(&tmp, s.as_bytes())?;
    std::fs::rename(&tmp, path).map_err(|e| TournamentError::io(path, e))
}

fn parquet_unsupported() -> TournamentError {
    TournamentError::Unsupported(
        "Parquet results: this build lacks the `parquet` feature of detente-tournament \
         (build detente with `--features parquet`)"
            .into(),
    )
}

/// Writes `results.parquet` from the complete `results.csv` in `out`.
fn export_parquet(out: &Path) -> Result<PathBuf> {
    #[cfg(feature = "parquet")]
    {
        let path = out.join(files::RESULTS_PARQUET);
        crate::parquet::export_parquet(out, &path)?;
        Ok(path)
    }
    #[cfg(not(feature = "parquet"))]
    {
        let _ = out;
        Err(parquet_unsupported())
    }
}

/// Runs `plan` (the shard `config.shard` of it) into `config.out`, on `config.threads`
/// threads or the current rayon pool.
pub fn run(plan: &Plan, config: &RunConfig, hooks: &Hooks<'_>) -> Result<RunReport> {
    match config.threads {
        None => run_here(plan, config, hooks),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .map_err(|e| TournamentError::io("worker threads", std::io::Error::other(e)))?
            .install(|| run_here(plan, config, hooks)),
    }
}

fn run_here(plan: &Plan, config: &RunConfig, hooks: &Hooks<'_>) -> Result<RunReport> {
    if config.parquet && !cfg!(feature = "parquet") {
        return Err(parquet_unsupported());
    }
    let schedule = Schedule::new(plan)?;
    let shard = Shard::new(config.shard.index, config.shard.count)?;
    let total = schedule.total();
    let width = plan.max_parties();
    for n in &plan.negotiators {
        hooks
            .registry
            .validate(&n.spec)
            .map_err(|e| TournamentError::InvalidPlan(format!("negotiator `{}`: {e}", n.name)))?;
    }
    for s in &plan.scenarios {
        if let ProtocolKind::Mediated { strategy, .. } = &s.scenario.protocol.kind {
            hooks.registry.mediators().validate(strategy).map_err(|e| {
                TournamentError::InvalidPlan(format!("scenario `{}`: {e}", s.scenario.name))
            })?;
        }
    }
    let out = &config.out;
    std::fs::create_dir_all(out).map_err(|e| TournamentError::io(out, e))?;
    let results_path = out.join(files::RESULTS);
    let manifest = Manifest::new(plan, &schedule, shard);
    let shard_len = shard.len(total);
    let (mut done, resumed, mut sorted) = if results_path.exists() {
        if !config.resume {
            return Err(TournamentError::Output {
                path: out.clone(),
                message: "already holds results; resume them (--resume) or choose another \
                          output folder"
                    .into(),
            });
        }
        let old = Manifest::read(out)?;
        if old.fingerprint != manifest.fingerprint || old.negotiations != total {
            return Err(TournamentError::Output {
                path: out.clone(),
                message: format!(
                    "holds results of another plan (`{}`, fingerprint {}); this plan is `{}`, \
                     fingerprint {}",
                    old.tournament, old.fingerprint, manifest.tournament, manifest.fingerprint
                ),
            });
        }
        if old.shard != shard {
            return Err(TournamentError::Output {
                path: out.clone(),
                message: format!("holds shard {} of the plan, not shard {shard}", old.shard),
            });
        }
        let dropped = drop_torn_tail(&results_path)?;
        if dropped > 0 {
            hooks.observer.warning(&format!(
                "dropped an unfinished row ({dropped} bytes) at the end of {}",
                results_path.display()
            ));
        }
        if std::fs::metadata(&results_path)
            .map_err(|e| TournamentError::io(&results_path, e))?
            .len()
            == 0
        {
            write_file(&results_path, header_line(width).as_bytes())?;
        }
        read_done(&results_path, shard, total, width)?
    } else {
        manifest.write(out)?;
        write_file(&results_path, header_line(width).as_bytes())?;
        (Done::new(shard_len), 0, true)
    };
    write_file(&out.join(files::SCENARIOS), scenarios_csv(plan).as_bytes())?;
    for s in &plan.scenarios {
        for d in &s.diagnostics {
            hooks.observer.warning(&d.to_string());
        }
    }

    // Per-scenario tables and analyses, once, in parallel over the scenarios.
    let mediators = hooks.registry.mediators();
    let contexts: Vec<ScenarioContext<'_>> = plan
        .scenarios
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            let analysis = if config.analysis && resumed < shard_len {
                match analyze(&s.scenario, &AnalysisConfig::default()) {
                    Ok(a) => Some(a),
                    Err(e) => {
                        hooks.observer.warning(&format!(
                            "scenario `{}`: no agreement-quality columns: {e}",
                            s.scenario.name
                        ));
                        None
                    }
                }
            } else {
                None
            };
            ScenarioContext {
                scenario: &s.scenario,
                tables: ScenarioTables::for_scenario(&s.scenario),
                analysis,
                config: ProtocolConfig {
                    deadline: plan.rounds_for(i),
                    time_limit: None,
                    step_limit: plan.step_budget,
                    record_actions: false,
                },
                mediators: mediators.clone(),
            }
        })
        .collect();

    let _quiet = QuietPanics::install();
    hooks.observer.started(shard_len, resumed);
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&results_path)
        .map_err(|e| TournamentError::io(&results_path, e))?;
    let last_existing = (0..shard_len).rev().find(|&p| done.get(p));
    let mut finished = resumed;
    let mut ran = 0u64;
    let mut position = 0u64;
    let batch = config.batch.max(1);
    let mut pending: Vec<u64> = Vec::with_capacity(batch);
    let mut text = String::new();
    loop {
        pending.clear();
        while position < shard_len && pending.len() < batch {
            if !done.get(position) {
                pending.push(shard.index_at(position));
            }
            position += 1;
        }
        if let Some(limit) = config.stop_after {
            let room = limit.saturating_sub(ran) as usize;
            pending.truncate(room);
        }
        if pending.is_empty() {
            break;
        }
        if last_existing.is_some_and(|l| pending[0] < shard.index_at(l)) {
            sorted = false;
        }
        let rows: Vec<String> = pending
            .par_iter()
            .map(|&index| {
                let n = schedule.get(index).expect("index below the total");
                let row = run_one(plan, &contexts[n.scenario], &n, hooks);
                let mut line = String::with_capacity(160);
                write_row(&mut line, &row, width);
                line
            })
            .collect();
        text.clear();
        for r in &rows {
            text.push_str(r);
        }
        file.write_all(text.as_bytes())
            .and_then(|()| file.flush())
            .map_err(|e| TournamentError::io(&results_path, e))?;
        for &index in &pending {
            done.set(index / shard.count);
        }
        ran += pending.len() as u64;
        finished += pending.len() as u64;
        hooks.observer.progress(finished);
    }
    drop(file);
    let summary = if finished == shard_len {
        if !sorted {
            sort_results_file(&results_path)?;
        }
        let summary = summarize_file(&results_path, &plan.name, &manifest.negotiators)?;
        write_file(&out.join(files::SUMMARY_CSV), summary.to_csv().as_bytes())?;
        write_file(&out.join(files::SUMMARY_JSON), summary.to_json().as_bytes())?;
        Some(summary)
    } else {
        None
    };
    let parquet = if config.parquet && summary.is_some() {
        Some(export_parquet(out)?)
    } else {
        None
    };
    Ok(RunReport {
        total: shard_len,
        resumed,
        ran,
        summary,
        results: results_path,
        parquet,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_partition() {
        assert_eq!(Shard::parse("2/5").unwrap(), Shard { index: 2, count: 5 });
        for bad in ["5/5", "1", "a/2", "0/0", "-1/3"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
        for total in 0..20u64 {
            for n in 1..6u64 {
                let mut all: Vec<u64> = (0..n)
                    .flat_map(|i| {
                        let s = Shard::new(i, n).unwrap();
                        (0..s.len(total)).map(move |p| s.index_at(p))
                    })
                    .collect();
                all.sort_unstable();
                assert_eq!(all, (0..total).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn shards_from_the_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let s = Shard::from_env(
            env(&[
                ("SLURM_ARRAY_TASK_ID", "3"),
                ("SLURM_ARRAY_TASK_COUNT", "4"),
            ]),
            None,
        )
        .unwrap();
        assert_eq!(s, Shard { index: 3, count: 4 });
        let s = Shard::from_env(
            env(&[
                ("SLURM_ARRAY_TASK_ID", "4"),
                ("SLURM_ARRAY_TASK_MIN", "1"),
                ("SLURM_ARRAY_TASK_COUNT", "4"),
            ]),
            None,
        )
        .unwrap();
        assert_eq!(s, Shard { index: 3, count: 4 });
        let s = Shard::from_env(env(&[("JOB_COMPLETION_INDEX", "1")]), Some(2)).unwrap();
        assert_eq!(s, Shard { index: 1, count: 2 });
        let s = Shard::from_env(
            env(&[("JOB_COMPLETION_INDEX", "0"), ("DETENTE_SHARD_COUNT", "8")]),
            None,
        )
        .unwrap();
        assert_eq!(s, Shard { index: 0, count: 8 });
        for (pairs, msg) in [
            (&[][..], "none of"),
            (&[("JOB_COMPLETION_INDEX", "1")][..], "shard count is not"),
            (&[("JOB_COMPLETION_INDEX", "x")][..], "not a whole number"),
            (
                &[
                    ("SLURM_ARRAY_TASK_ID", "4"),
                    ("SLURM_ARRAY_TASK_COUNT", "4"),
                ][..],
                "--array=0-3",
            ),
        ] {
            let e = Shard::from_env(env(pairs), None).unwrap_err().to_string();
            assert!(e.contains(msg), "{e}");
        }
    }
}
