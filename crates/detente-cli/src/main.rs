//! The `detente` command-line tool: the only place that knows about the terminal, argument
//! parsing and exit codes. Each subcommand lives in its own module.

mod analyze;
mod inspect;
mod limits;
mod negotiators;
mod plot;
mod quality;
mod report;
mod run;
mod scenario;
mod scenarios;
mod sweep;
mod tournament;
mod transcript;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use detente_negotiators::Registry;

/// detente: a fast, exact engine for multi-party negotiations.
#[derive(Parser, Debug)]
#[command(name = "detente", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run one negotiation and print its transcript and result (the built-in peace-talks
    /// scenario when no scenario is given).
    Run(run::RunArgs),
    /// Check, summarise and convert scenario files.
    #[command(subcommand)]
    Scenario(scenario::ScenarioCommand),
    /// Pareto frontier, Nash, Kalai-Smorodinsky and welfare points, and scenario statistics.
    Analyze(analyze::AnalyzeArgs),
    /// Read each party's strategy from a trace, test for stalling, and forecast the outcome.
    Inspect(inspect::Args),
    /// What-if sweeps: vary one or two parameters and compare outcomes.
    Sweep(sweep::Args),
    /// Write a self-contained HTML report of a trace, a tournament folder or a sweep.
    Report(report::ReportArgs),
    /// Draw one plot as SVG or PNG: utility-space, concession, tournament, heatmap or sweep.
    Plot(plot::PlotArgs),
    /// List the built-in negotiators and mediator strategies, with their parameters.
    Negotiators,
    /// Run many negotiations from a plan file (parallel, resumable, sharded) and merge shards.
    #[command(subcommand)]
    Tournament(tournament::TournamentCommand),
}

/// An error caused by the user's input (a bad file, a bad argument): exit code 2.
#[derive(Debug)]
pub struct InputError(pub anyhow::Error);

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:#}", self.0)
    }
}

impl std::error::Error for InputError {}

/// Writes to standard output. A closed pipe (`detente run | head`) is not an error: the
/// reader has what it wanted, so the command ends quietly.
pub fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(e).context("writing to standard output"))
        }
        _ => Ok(()),
    }
}

/// Wraps an input error so that `main` exits with code 2.
pub fn input_error(e: impl Into<anyhow::Error>) -> anyhow::Error {
    anyhow::Error::new(InputError(e.into()))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with code 0; usage errors exit with 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    // The negotiator kinds and mediator strategies every subcommand resolves specs in.
    let registry = Registry::builtin();
    let outcome = limits::from_env().and_then(|()| match cli.command {
        Command::Run(args) => run::run(&args, &registry),
        Command::Scenario(cmd) => scenario::run(&cmd, &registry),
        Command::Analyze(args) => analyze::run(&args),
        Command::Inspect(args) => inspect::run(&args, &registry),
        Command::Sweep(args) => sweep::run(&args, &registry),
        Command::Report(args) => report::run(&args),
        Command::Plot(args) => plot::run(&args),
        Command::Negotiators => negotiators::run(&registry),
        Command::Tournament(cmd) => tournament::run(&cmd, &registry),
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(input) = e.downcast_ref::<InputError>() {
                eprintln!("error: {input}");
                ExitCode::from(2)
            } else {
                eprintln!("error: {e:#}");
                ExitCode::from(1)
            }
        }
    }
}
