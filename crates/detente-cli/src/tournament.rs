//! `detente tournament run|merge|export|info`: many negotiations from a plan file, in
//! parallel, resumable and sharded, with results as CSV (and Parquet with the `parquet`
//! feature; see docs/tournaments.md). The engine is `detente-tournament`; this
//! module parses arguments, shows progress (a bar on a terminal, plain lines otherwise) and
//! prints the summary.

use std::fmt::Write as _;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};
use clap::{Args, Subcommand};
use detente_negotiators::Registry;
use detente_tournament::{
    Hooks, Observer, Plan, RunConfig, Schedule, Shard, TournamentError, files, merge,
};
use indicatif::{ProgressBar, ProgressStyle};

use crate::input_error;
use crate::ui::{self, Output, plural};

/// The `tournament` subcommands.
#[derive(Subcommand, Debug)]
pub enum TournamentCommand {
    /// Run a tournament plan, or one shard of it, into an output folder.
    Run(RunArgs),
    /// Merge the output folders of a plan's shards into one, as an unsharded run writes it.
    Merge(MergeArgs),
    /// Convert the results of an output folder to another format (Parquet).
    Export(ExportArgs),
    /// Show what a plan holds: its negotiations, scenarios and negotiators.
    Info(InfoArgs),
}

/// Arguments of `detente tournament run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// The plan file (TOML; see docs/tournaments.md).
    pub plan: PathBuf,
    /// Output folder [default: PLAN-NAME-results in the current directory, with /shard-I
    /// appended for a shard].
    #[arg(long = "output", short = 'o', alias = "out", value_name = "FOLDER", value_parser = folder_parser)]
    pub out: Option<PathBuf>,
    /// Worker threads [default: one per core]. Results do not depend on it.
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Run only shard I of N (the negotiations whose index modulo N is I), or `auto` to take
    /// it from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT or JOB_COMPLETION_INDEX.
    #[arg(long, value_name = "I/N|auto")]
    pub shard: Option<String>,
    /// The shard count for `--shard auto` when the scheduler does not give it (Kubernetes
    /// indexed jobs; also read from DETENTE_SHARD_COUNT).
    #[arg(long, value_name = "N")]
    pub shard_count: Option<u64>,
    /// Continue the results already in the output folder (after a crash or a kill).
    #[arg(long)]
    pub resume: bool,
    /// Negotiations per batch (each batch is written and flushed as a whole).
    #[arg(long, default_value_t = 2048)]
    pub batch: usize,
    /// Leave out the agreement-quality columns (skips the Pareto analysis of each scenario).
    #[arg(long)]
    pub no_analysis: bool,
    /// Also write results.parquet (typed columns) once the shard is complete; results.csv
    /// stays the file that runs append to and resume from. Needs a detente built with the
    /// `parquet` feature.
    #[arg(long)]
    pub parquet: bool,
    /// Also keep every negotiation's per-round trace: traces.jsonl.gz in the output folder,
    /// one JSON trace (docs/trace-format.md) per line, gzip-compressed; the `seed` joins a
    /// trace to its row of results.csv.
    #[arg(long)]
    pub traces: bool,
    /// Print the summary as JSON (as summary.json holds it) instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `detente tournament merge`.
#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The shards' output folders.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// The folder to write the merged results to (must not hold results yet).
    #[arg(long = "output", short = 'o', alias = "out", value_name = "FOLDER", value_parser = folder_parser)]
    pub out: PathBuf,
    /// Also write the merged results.parquet (needs the `parquet` feature).
    #[arg(long)]
    pub parquet: bool,
    /// Print the summary as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Formats `detente tournament export` writes.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// Apache Parquet: the columns of results.csv, typed, nulls for empty cells.
    Parquet,
}

/// Arguments of `detente tournament export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// A tournament output folder (with manifest.json and results.csv).
    pub dir: PathBuf,
    /// The file type to write.
    #[arg(long, alias = "to", value_enum, default_value = "parquet")]
    pub format: ExportFormat,
    /// The file to write [default: DIR/results.parquet].
    #[arg(long = "output", short = 'o', alias = "out", value_name = "FILE", value_parser = folder_parser)]
    pub out: Option<PathBuf>,
}

/// Arguments of `detente tournament info`.
#[derive(Args, Debug)]
pub struct InfoArgs {
    /// The plan file.
    pub plan: PathBuf,
    /// Print JSON (for schedulers and scripts) instead of text.
    #[arg(long)]
    pub json: bool,
    /// Where the description goes [default: standard output].
    #[arg(short, long, value_name = "FILE", value_parser = crate::ui::output_parser)]
    pub output: Option<Output>,
}

/// Reads `-o` of a command that writes a file or a folder it cannot stream: `-` (standard
/// output) is refused.
fn folder_parser(s: &str) -> std::result::Result<PathBuf, String> {
    match Output::parse(s)? {
        Output::Stdout => Err(
            "this command writes a folder or a binary file, which cannot go to standard output"
                .into(),
        ),
        Output::Path(p) => Ok(p),
    }
}

/// Runs a `tournament` subcommand.
pub fn run(cmd: &TournamentCommand, registry: &Registry) -> Result<()> {
    match cmd {
        TournamentCommand::Run(args) => run_plan(args, registry),
        TournamentCommand::Merge(args) => merge_dirs(args),
        TournamentCommand::Export(args) => export(args),
        TournamentCommand::Info(args) => info(args, registry),
    }
}

fn classify(e: TournamentError) -> anyhow::Error {
    if e.is_input_error() {
        input_error(e)
    } else {
        anyhow::Error::new(e)
    }
}

/// The error for a Parquet request to a build without the `parquet` feature.
fn no_parquet() -> anyhow::Error {
    input_error(anyhow!(
        "this detente was built without Parquet support; build it with `cargo build --release \
         -p detente-cli --features parquet`, or convert results.csv with any CSV reader"
    ))
}

/// Fails unless this build can write Parquet.
fn check_parquet(wanted: bool) -> Result<()> {
    if wanted && !cfg!(feature = "parquet") {
        return Err(no_parquet());
    }
    Ok(())
}

/// Writes the Parquet form of `dir`'s results to `to`; returns the number of rows.
#[cfg(feature = "parquet")]
fn write_parquet(dir: &Path, to: &Path) -> Result<u64> {
    detente_formats::tournament::parquet::export_parquet(dir, to)
        .map_err(|e| classify(TournamentError::from(e)))
}

#[cfg(not(feature = "parquet"))]
fn write_parquet(_dir: &Path, _to: &Path) -> Result<u64> {
    Err(no_parquet())
}

/// Loads a plan and says its scenarios' warnings (errors with `--strict`), each once.
fn load_plan(path: &Path, registry: &Registry) -> Result<Plan> {
    if !path.exists() {
        return Err(input_error(anyhow!("{}: no such file", path.display())));
    }
    let plan = Plan::load(path, registry).map_err(classify)?;
    for s in &plan.scenarios {
        ui::diagnostics(&s.diagnostics)?;
        // The run repeats them to its observer: said once is enough.
        for d in &s.diagnostics {
            ui::first_time(&d.to_string());
        }
    }
    Ok(plan)
}

fn shard_of(args: &RunArgs) -> Result<Shard> {
    match args.shard.as_deref() {
        None => {
            if args.shard_count.is_some() {
                return Err(input_error(anyhow!("--shard-count needs --shard auto")));
            }
            Ok(Shard::default())
        }
        Some("auto") => {
            Shard::from_env(|k| std::env::var(k).ok(), args.shard_count).map_err(classify)
        }
        Some(text) => {
            if args.shard_count.is_some() {
                return Err(input_error(anyhow!(
                    "--shard-count goes only with --shard auto"
                )));
            }
            Shard::parse(text).map_err(classify)
        }
    }
}

/// Progress on standard error: an indicatif bar on a terminal, a plain line every ten
/// seconds otherwise; nothing with `-q`. The bar appears once the run starts (after the plan
/// and its scenarios are loaded and their warnings said), never while loading.
struct Progress {
    bar: std::sync::OnceLock<ProgressBar>,
    plain: Mutex<Plain>,
    quiet: bool,
}

struct Plain {
    start: Instant,
    last: Instant,
    total: u64,
    resumed: u64,
}

const PLAIN_EVERY: Duration = Duration::from_secs(10);

impl Progress {
    fn new() -> Self {
        let now = Instant::now();
        Progress {
            bar: std::sync::OnceLock::new(),
            plain: Mutex::new(Plain {
                start: now,
                last: now,
                total: 0,
                resumed: 0,
            }),
            quiet: ui::settings().quiet,
        }
    }

    /// A bar of `total` negotiations, `done` of them resumed.
    fn make_bar(total: u64, done: u64) -> ProgressBar {
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template(
                "{elapsed_precise} [{bar:40}] {human_pos}/{human_len} {rate} ETA {eta}",
            )
            .expect("a valid progress template")
            .with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}/s", state.per_sec());
                },
            )
            .progress_chars("=> "),
        );
        bar.set_position(done);
        // Rate and ETA count only this run's work.
        bar.reset_eta();
        bar
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}

impl Observer for Progress {
    fn started(&self, total: u64, done: u64) {
        if !self.quiet && std::io::stderr().is_terminal() && total > 0 {
            let _ = self.bar.set(Self::make_bar(total, done));
            return;
        }
        if let Ok(mut p) = self.plain.lock() {
            p.total = total;
            p.resumed = done;
            p.start = Instant::now();
            p.last = p.start;
            if !self.quiet && done > 0 {
                eprintln!("resuming: {done} of {total} negotiations already done");
            }
        }
    }

    fn progress(&self, done: u64) {
        if let Some(bar) = self.bar.get() {
            bar.set_position(done);
            return;
        }
        if self.quiet {
            return;
        }
        let Ok(mut p) = self.plain.lock() else { return };
        let now = Instant::now();
        if now.duration_since(p.last) < PLAIN_EVERY && done < p.total {
            return;
        }
        p.last = now;
        let secs = now.duration_since(p.start).as_secs_f64().max(1e-9);
        let rate = (done - p.resumed) as f64 / secs;
        let left = p.total - done;
        let eta = if rate > 0.0 {
            format!("{:.0}s", left as f64 / rate)
        } else {
            "?".into()
        };
        let pct = if p.total == 0 {
            100.0
        } else {
            100.0 * done as f64 / p.total as f64
        };
        eprintln!(
            "progress: {done}/{} negotiations ({pct:.1}%), {rate:.0}/s, ETA {eta}",
            p.total
        );
    }

    /// A warning, once (`-q`: none); above the bar when there is one.
    fn warning(&self, message: &str) {
        if self.quiet || !ui::first_time(message) {
            return;
        }
        match self.bar.get() {
            Some(bar) => bar.println(format!("warning: {message}")),
            None => eprintln!("warning: {message}"),
        }
    }
}

fn default_out(plan: &Plan, shard: Shard) -> PathBuf {
    let base = PathBuf::from(format!("{}-results", plan.name.replace(['/', '\\'], "_")));
    if shard.count > 1 {
        base.join(format!("shard-{}", shard.index))
    } else {
        base
    }
}

fn run_plan(args: &RunArgs, registry: &Registry) -> Result<()> {
    let shard = shard_of(args)?;
    if args.batch == 0 {
        return Err(input_error(anyhow!("--batch must be at least 1")));
    }
    if args.threads == Some(0) {
        return Err(input_error(anyhow!("--threads must be at least 1")));
    }
    check_parquet(args.parquet)?;
    let plan = load_plan(&args.plan, registry)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&plan, shard));
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
    let config = RunConfig {
        shard,
        resume: args.resume,
        batch: args.batch,
        analysis: !args.no_analysis,
        threads: Some(threads),
        parquet: args.parquet,
        traces: args.traces,
        ..RunConfig::new(&out)
    };
    let progress = Progress::new();
    let hooks = Hooks {
        registry: registry.clone(),
        observer: &progress,
        ..Hooks::default()
    };
    let started = Instant::now();
    let report = detente_tournament::run(&plan, &config, &hooks);
    progress.finish();
    let report = report.map_err(classify)?;
    let secs = started.elapsed().as_secs_f64();
    ui::status(&format!(
        "ran {} in {secs:.1}s ({:.0}/s on {}){}; results in {}",
        plural(report.ran as usize, "negotiation", "negotiations"),
        report.ran as f64 / secs.max(1e-9),
        plural(threads, "thread", "threads"),
        if report.resumed > 0 {
            format!(", {} resumed", report.resumed)
        } else {
            String::new()
        },
        out.display()
    ));
    if let Some(summary) = &report.summary {
        if args.json {
            crate::emit(&format!("{}\n", summary.to_json().trim_end()))?;
        } else if !ui::settings().quiet {
            let mut text = String::new();
            if shard.count > 1 {
                text.push_str(&format!("shard {shard} of the tournament:\n"));
            }
            text.push_str(&summary.to_text());
            crate::emit(&text)?;
        }
    }
    Ok(())
}

fn merge_dirs(args: &MergeArgs) -> Result<()> {
    for d in &args.dirs {
        if !d.is_dir() {
            return Err(input_error(anyhow!("{}: no such folder", d.display())));
        }
    }
    check_parquet(args.parquet)?;
    let report = merge(&args.dirs, &args.out).map_err(classify)?;
    if args.parquet {
        write_parquet(&args.out, &args.out.join(files::RESULTS_PARQUET))?;
    }
    ui::status(&format!(
        "merged {} from {} into {}",
        plural(report.rows as usize, "negotiation", "negotiations"),
        plural(args.dirs.len(), "folder", "folders"),
        args.out.display()
    ));
    if args.json {
        crate::emit(&format!("{}\n", report.summary.to_json().trim_end()))
    } else if ui::settings().quiet {
        Ok(())
    } else {
        crate::emit(&report.summary.to_text())
    }
}

fn export(args: &ExportArgs) -> Result<()> {
    check_parquet(args.format == ExportFormat::Parquet)?;
    if !args.dir.is_dir() {
        return Err(input_error(anyhow!(
            "{}: no such folder",
            args.dir.display()
        )));
    }
    let to = args
        .out
        .clone()
        .unwrap_or_else(|| args.dir.join(files::RESULTS_PARQUET));
    let started = Instant::now();
    let rows = write_parquet(&args.dir, &to)?;
    ui::status(&format!(
        "wrote {} to {} in {:.1}s",
        plural(rows as usize, "row", "rows"),
        to.display(),
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

fn info(args: &InfoArgs, registry: &Registry) -> Result<()> {
    let plan = load_plan(&args.plan, registry)?;
    let schedule = Schedule::new(&plan).map_err(classify)?;
    let out = args.output.clone().unwrap_or(Output::Stdout);
    if args.json {
        let doc = serde_json::json!({
            "tournament": plan.name,
            "fingerprint": plan.fingerprint(registry),
            "negotiations": schedule.total(),
            "repetitions": plan.repetitions,
            "self_play": plan.self_play,
            "negotiators": plan.negotiators.iter().map(|n| serde_json::json!({
                "name": n.name, "spec": n.spec.to_string(),
            })).collect::<Vec<_>>(),
            "scenarios": plan.scenarios.iter().enumerate().map(|(i, s)| {
                let r = schedule.scenario_range(i);
                serde_json::json!({
                    "name": s.scenario.name,
                    "source": s.source,
                    "parties": s.scenario.parties.len(),
                    "outcomes": s.scenario.space.count_display(),
                    "rounds": plan.rounds_for(i),
                    "negotiations": r.end - r.start,
                })
            }).collect::<Vec<_>>(),
        });
        return out.print(&format!("{}\n", serde_json::to_string_pretty(&doc)?));
    }
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{}: {} ({}, self-play {}), seed {}",
        plan.name,
        plural(schedule.total() as usize, "negotiation", "negotiations"),
        plural(plan.repetitions as usize, "repetition", "repetitions"),
        if plan.self_play { "on" } else { "off" },
        plan.seed
    );
    let _ = writeln!(text, "Negotiators:");
    for n in &plan.negotiators {
        let _ = writeln!(text, "  {}  ({})", n.name, n.spec);
    }
    let _ = writeln!(text, "Scenarios:");
    for (i, s) in plan.scenarios.iter().enumerate() {
        let r = schedule.scenario_range(i);
        let _ = writeln!(
            text,
            "  {}  {} parties, {} outcomes, {} rounds: {}  ({})",
            s.scenario.name,
            s.scenario.parties.len(),
            s.scenario.space.count_display(),
            plan.rounds_for(i),
            plural((r.end - r.start) as usize, "negotiation", "negotiations"),
            s.source
        );
    }
    out.print(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(shard: Option<&str>, count: Option<u64>) -> RunArgs {
        RunArgs {
            plan: PathBuf::from("p.toml"),
            out: None,
            threads: None,
            shard: shard.map(String::from),
            shard_count: count,
            resume: false,
            batch: 1,
            no_analysis: false,
            parquet: false,
            traces: false,
            json: false,
        }
    }

    #[test]
    fn parquet_needs_the_feature() {
        assert!(check_parquet(false).is_ok());
        let wanted = check_parquet(true);
        assert_eq!(wanted.is_ok(), cfg!(feature = "parquet"));
        if let Err(e) = wanted {
            assert!(e.to_string().contains("--features parquet"), "{e}");
        }
    }

    #[test]
    fn shard_arguments() {
        assert_eq!(shard_of(&args(None, None)).unwrap(), Shard::default());
        assert_eq!(
            shard_of(&args(Some("1/3"), None)).unwrap(),
            Shard::new(1, 3).unwrap()
        );
        assert!(shard_of(&args(Some("3/3"), None)).is_err());
        assert!(shard_of(&args(None, Some(2))).is_err());
        assert!(shard_of(&args(Some("0/2"), Some(2))).is_err());
    }
}
