//! Running a plan (or one shard of it) into an output folder: parallel over the current rayon
//! pool, in batches written in index order and flushed, resumable after a crash.
//!
//! Each negotiation's seed is `derive_seed(plan seed, index)` and nothing else about it
//! depends on which thread, batch or shard runs it, so results are identical for any thread
//! or shard count. The only exception is a row whose negotiator overran the per-step budget,
//! which a wall clock decides. The files are written through
//! `detente_formats::tournament::ResultsFolder`.

mod hooks;
mod manifest;
mod negotiation;
mod resume;
mod shard;
mod traces;

use std::path::PathBuf;

use detente_core::limits::{Limit, longest_deadline};
use detente_formats::tournament::{ResultLine, ResultsFolder, TracesFile};
use detente_formats::trace::TraceDoc;
use rayon::prelude::*;

use crate::error::{Result, TournamentError};
use crate::plan::{Plan, Schedule};
use crate::summary::{Summary, summarize_file};

pub use hooks::{Hooks, Observer, Silent};
pub(crate) use manifest::unsharded;
pub use negotiation::QuietPanics;
pub use shard::Shard;

/// How to run a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct RunConfig {
    /// The output folder (created when missing).
    pub out: PathBuf,
    /// Which shard to run (by default the whole plan: shard 0 of 1).
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
    /// Also keep every negotiation's per-round trace in `traces.jsonl.gz`
    /// (`detente_formats::tournament::TracesFile`): one trace document per line, written with
    /// each batch, joined to the results rows by the seed.
    pub traces: bool,
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
            traces: false,
        }
    }
}

/// What a run did.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// Negotiations in the shard.
    pub total: u64,
    /// Of those, how many were already in the results file (resumed).
    pub resumed: u64,
    /// Of those, how many this run played (fewer than the rest when stopped early).
    pub ran: u64,
    /// The summary of the shard's results (`None` when stopped early).
    pub summary: Option<Summary>,
    /// The results file (`results.csv` in the output folder).
    pub results: PathBuf,
    /// The Parquet results file, when one was written.
    pub parquet: Option<PathBuf>,
}

fn parquet_unsupported() -> TournamentError {
    TournamentError::Unsupported(
        "Parquet results: this build lacks the `parquet` feature of detente-tournament \
         (build detente with `--features parquet`)"
            .into(),
    )
}

/// Writes `results.parquet` from the complete `results.csv` of `folder`.
fn export_parquet(folder: &ResultsFolder) -> Result<PathBuf> {
    #[cfg(feature = "parquet")]
    {
        use detente_formats::tournament::files;
        let path = folder.file(files::RESULTS_PARQUET);
        detente_formats::tournament::parquet::export_parquet(folder.dir(), &path)?;
        Ok(path)
    }
    #[cfg(not(feature = "parquet"))]
    {
        let _ = folder;
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

/// Checks the work the plan asks for against the limits in force (`detente_core::limits`):
/// the number of negotiations, and the rounds each may last.
fn check_limits(plan: &Plan, schedule: &Schedule) -> Result<()> {
    Limit::Negotiations.check(schedule.total(), &format!("plan `{}`", plan.name))?;
    for (i, s) in plan.scenarios.iter().enumerate() {
        let rounds = longest_deadline(&s.scenario, plan.rounds_for(i));
        let what = format!("plan `{}`, scenario `{}`", plan.name, s.scenario.name);
        Limit::Rounds.check(u64::from(rounds), &what)?;
    }
    Ok(())
}

/// Checks that every negotiator of the plan can be made, before anything is written.
/// Checks the plan's negotiators and mediator strategies against the run's registry (a plan
/// built in code was not checked when it was made).
fn check_negotiators(plan: &Plan, hooks: &Hooks<'_>) -> Result<()> {
    for n in &plan.negotiators {
        hooks
            .registry
            .validate(&n.spec)
            .map_err(|e| TournamentError::InvalidPlan(format!("negotiator `{}`: {e}", n.name)))?;
    }
    for s in &plan.scenarios {
        crate::plan::check_mediator(&s.scenario, &hooks.registry).map_err(|e| {
            TournamentError::InvalidPlan(format!("scenario `{}`: {e}", s.scenario.name))
        })?;
    }
    Ok(())
}

fn run_here(plan: &Plan, config: &RunConfig, hooks: &Hooks<'_>) -> Result<RunReport> {
    if config.parquet && !cfg!(feature = "parquet") {
        return Err(parquet_unsupported());
    }
    let schedule = Schedule::new(plan)?;
    check_limits(plan, &schedule)?;
    let shard = Shard::new(config.shard.index, config.shard.count)?;
    check_negotiators(plan, hooks)?;
    let folder = ResultsFolder::new(&config.out);
    let manifest = manifest::manifest(plan, &schedule, shard, &hooks.registry);
    let start = resume::start(&folder, &manifest, shard, config.resume, hooks.observer)?;
    if config.traces {
        traces::keep_done(&folder, &schedule, shard, &start.done)?;
    }
    folder.write_scenarios(&manifest::scenario_rows(plan))?;
    for s in &plan.scenarios {
        if let Some(t) = s.scenario.protocol.time_limit {
            hooks.observer.warning(&format!(
                "scenario `{}` has a wall-clock time limit ({} s): its negotiations end when it \
                 passes, so their results depend on machine load and are not reproducible",
                s.scenario.name,
                t.as_secs_f64()
            ));
        }
    }
    for s in &plan.scenarios {
        for d in &s.diagnostics {
            hooks.observer.warning(&d.to_string());
        }
    }
    let shard_len = shard.len(schedule.total());
    let mut batches = Batches {
        plan,
        schedule: &schedule,
        shard,
        config,
        hooks,
        done: start.done,
        sorted: start.sorted,
    };
    let analysis = config.analysis && start.resumed < shard_len;
    let ran = batches.run(&folder, analysis, start.resumed)?;
    let summary = if start.resumed + ran == shard_len {
        if !batches.sorted {
            folder.sort_results()?;
        }
        let summary = summarize_file(&folder.results_path(), &plan.name, &manifest.negotiators)?;
        folder.write_summary(&summary)?;
        Some(summary)
    } else {
        None
    };
    let parquet = if config.parquet && summary.is_some() {
        Some(export_parquet(&folder)?)
    } else {
        None
    };
    Ok(RunReport {
        total: shard_len,
        resumed: start.resumed,
        ran,
        summary,
        results: folder.results_path(),
        parquet,
    })
}

/// The negotiations of a shard that are not done yet, run batch by batch.
struct Batches<'a> {
    plan: &'a Plan,
    schedule: &'a Schedule,
    shard: Shard,
    config: &'a RunConfig,
    hooks: &'a Hooks<'a>,
    /// Which shard positions are in the results file.
    done: resume::Done,
    /// Whether the results file is sorted by index.
    sorted: bool,
}

impl Batches<'_> {
    /// Runs the negotiations not done yet (up to `config.stop_after`), appending each batch's
    /// rows to `folder`'s results in index order; `analysis` asks for the quality columns and
    /// `resumed` rows are there already. Returns the number of rows added.
    fn run(&mut self, folder: &ResultsFolder, analysis: bool, resumed: u64) -> Result<u64> {
        let contexts = negotiation::contexts(self.plan, analysis, self.config.traces, self.hooks);
        let traces = TracesFile::in_folder(folder.dir());
        let _quiet = QuietPanics::install();
        let shard_len = self.shard.len(self.schedule.total());
        self.hooks.observer.started(shard_len, resumed);
        let mut appender = folder.append_results()?;
        let last_existing = self.done.last();
        let width = self.plan.max_parties();
        let mut ran = 0u64;
        let mut position = 0u64;
        loop {
            if self.hooks.observer.stop() {
                break;
            }
            let pending = self.next_batch(&mut position, ran);
            if pending.is_empty() {
                break;
            }
            if last_existing.is_some_and(|l| pending[0] < self.shard.index_at(l)) {
                self.sorted = false;
            }
            let (lines, docs): (Vec<ResultLine>, Vec<Option<TraceDoc>>) = pending
                .par_iter()
                .map(|&index| {
                    let n = self.schedule.get(index).expect("index below the total");
                    let (row, doc) =
                        negotiation::run_one(self.plan, &contexts[n.scenario], &n, self.hooks);
                    (row.to_line(width), doc)
                })
                .unzip();
            // Traces first: after a crash between the two, the rows are missing and are run
            // again, and a resumed run drops the traces of negotiations without rows.
            if self.config.traces {
                let docs: Vec<TraceDoc> = docs.into_iter().flatten().collect();
                traces.append(&docs)?;
            }
            appender.append(&lines)?;
            for &index in &pending {
                self.done.set(index / self.shard.count);
            }
            ran += pending.len() as u64;
            self.hooks.observer.progress(resumed + ran);
        }
        Ok(ran)
    }

    /// The indices of the next batch: the shard's positions from `position` on that are not
    /// done, at most `config.batch` of them, and no more than `config.stop_after` allows
    /// after `ran` rows.
    fn next_batch(&self, position: &mut u64, ran: u64) -> Vec<u64> {
        let shard_len = self.shard.len(self.schedule.total());
        let batch = self.config.batch.max(1);
        let mut pending = Vec::with_capacity(batch);
        loop {
            *position = self.done.next_missing(*position);
            if *position >= shard_len || pending.len() >= batch {
                break;
            }
            pending.push(self.shard.index_at(*position));
            *position += 1;
        }
        if let Some(limit) = self.config.stop_after {
            pending.truncate(limit.saturating_sub(ran) as usize);
        }
        pending
    }
}
