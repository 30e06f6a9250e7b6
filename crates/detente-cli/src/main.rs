//! The `detente` command-line tool: the only place that knows about the terminal, argument
//! parsing and exit codes. Each subcommand lives in its own module.

mod analyze;
mod check_json;
mod ensemble;
mod inspect;
mod limits;
mod manual;
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
mod ui;

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use detente_negotiators::Registry;

/// detente: a fast, exact engine for multi-party negotiations.
///
/// Without a command, detente runs the built-in peace talks (as `detente run` does). Every
/// command follows one grammar (docs/cli.md): inputs are positional; `-o FILE` says where a
/// result goes (`-` for standard output); `--json` prints a result as JSON; `--format` names a
/// file type; messages go to standard error. Exit codes: 0 ok, 2 bad input or usage, 1 any
/// other failure.
#[derive(Parser, Debug)]
#[command(name = "detente", version, about, long_about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Option<Command>,
}

/// The options every command takes.
#[derive(Args, Debug, Clone, Copy)]
struct Global {
    /// Print only the result and errors: no warnings, status lines, summaries or progress.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Print every warning (not only the first ten of each file) and what was loaded.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    /// Treat warnings about the input (odd weights, scores out of range, ...) as errors
    /// (exit code 2).
    #[arg(long, global = true)]
    strict: bool,
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
    Negotiators(negotiators::Args),
    /// Run many negotiations from a plan file (parallel, resumable, sharded) and merge shards.
    #[command(subcommand)]
    Tournament(tournament::TournamentCommand),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(manual::CompletionsArgs),
    /// Print the manual page (roff), or write one page per command into a folder.
    Manual(manual::ManualArgs),
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
    emit_bytes(text.as_bytes())
}

/// Writes bytes to standard output, as [`emit`] does.
pub fn emit_bytes(bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
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

/// An error and its causes as one message, each said once: a cause whose text the message
/// already ends with (an I/O error quoted by the error that wraps it) is left out.
fn message(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = match cause.downcast_ref::<InputError>() {
            Some(input) => message(&input.0),
            None => cause.to_string(),
        };
        if text.ends_with(&part) || text.contains(&format!("{part}: ")) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

/// Whether an error is about the user's input (exit code 2): an [`InputError`] anywhere in
/// its chain.
fn is_input_error(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.is::<InputError>())
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
    ui::init(ui::Settings {
        quiet: cli.global.quiet,
        verbose: cli.global.verbose,
        strict: cli.global.strict,
    });
    // The negotiator kinds and mediator strategies every subcommand resolves specs in.
    let registry = Registry::builtin();
    let outcome = limits::from_env().and_then(|()| match cli.command {
        None => {
            ui::detail(
                "no command given: running the built-in peace talks (`detente --help` lists the commands)",
            );
            run::run(&run::RunArgs::without_arguments(), &registry)
        }
        Some(Command::Run(args)) => run::run(&args, &registry),
        Some(Command::Scenario(cmd)) => scenario::run(&cmd, &registry),
        Some(Command::Analyze(args)) => analyze::run(&args),
        Some(Command::Inspect(args)) => inspect::run(&args, &registry),
        Some(Command::Sweep(args)) => sweep::run(&args, &registry),
        Some(Command::Report(args)) => report::run(&args),
        Some(Command::Plot(args)) => plot::run(&args),
        Some(Command::Negotiators(args)) => negotiators::run(&args, &registry),
        Some(Command::Tournament(cmd)) => tournament::run(&cmd, &registry),
        Some(Command::Completions(args)) => manual::completions(&args),
        Some(Command::Manual(args)) => manual::manual(&args),
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", message(&e));
            ExitCode::from(if is_input_error(&e) { 2 } else { 1 })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_each_cause_once() {
        let io = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        );
        let e = anyhow::Error::new(io).context("bad.toml: stream did not contain valid UTF-8");
        assert_eq!(message(&e), "bad.toml: stream did not contain valid UTF-8");
        let e = input_error(anyhow::anyhow!("x.toml: no such file")).context("loading");
        assert_eq!(message(&e), "loading: x.toml: no such file");
        assert!(is_input_error(&e));
        assert!(!is_input_error(&anyhow::anyhow!("disk full")));
    }

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory as _;
        Cli::command().debug_assert();
    }
}
