//! `detente inspect`: read each party's strategy from a trace (detente's JSON or a hand-written
//! CSV/TOML record of real talks), test for stalling, and forecast the rest of the talks.

mod ledger;
mod text;

use std::path::PathBuf;

use anyhow::{Result, anyhow};
use clap::Args as ClapArgs;
use detente_core::ScenarioTables;
use detente_core::dynamics::StallingRule;
use detente_formats::trace::{self, RecordedTrace};
use detente_inspect::{DEFAULT_STALLING, ForecastOptions};
use detente_negotiators::Registry;

use crate::{input_error, scenarios};

/// Arguments of `detente inspect`.
#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The trace: a JSON trace from `detente run --json`, or a hand-written record of
    /// talks in CSV or TOML (see docs/inspect.md).
    pub trace: PathBuf,
    /// The scenario the trace is of (a TOML file, or GENIUS/GeniusWeb files); the built-in
    /// peace-talks scenario when not given.
    #[arg(long, num_args = 1.., value_name = "PATH")]
    pub scenario: Vec<PathBuf>,
    /// Read only the rounds before ROUND (counting from 1) and forecast from ROUND on. Default:
    /// the round after the record's end for unfinished talks, half-way through the rounds
    /// played for finished ones.
    #[arg(long, value_name = "ROUND")]
    pub cut: Option<u32>,
    /// Number of simulated continuations in the forecast.
    #[arg(long, default_value_t = 200)]
    pub simulations: usize,
    /// Seed of the forecast.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Stalling test: number of rounds looked back over.
    #[arg(long, default_value_t = DEFAULT_STALLING.window)]
    pub stall_window: u32,
    /// Stalling test: smallest improvement of the offer to others that is not stalling.
    #[arg(long, default_value_t = DEFAULT_STALLING.min_improvement)]
    pub stall_min: f64,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Where the reading goes [default: standard output].
    #[arg(short, long, value_name = "FILE", value_parser = crate::ui::output_parser)]
    pub output: Option<crate::ui::Output>,
}

/// Runs `detente inspect`.
pub fn run(args: &Args, registry: &Registry) -> Result<()> {
    let loaded = scenarios::load(&args.scenario)?;
    scenarios::warn(&loaded)?;
    let scenario = loaded.scenario;
    if !args.trace.exists() {
        return Err(input_error(anyhow!(
            "{}: no such file",
            args.trace.display()
        )));
    }
    let record = trace::load(&args.trace, &scenario).map_err(|e| {
        // A trace of another scenario fails on its parties or issues.
        let other_scenario = [
            "the scenario's",
            "no issue",
            "no party",
            "not a value of issue",
        ]
        .iter()
        .any(|m| e.to_string().contains(m));
        if args.scenario.is_empty() && other_scenario {
            input_error(anyhow!(
                "{e}\nhint: without --scenario, the trace is read against the built-in peace-talks \
                 scenario; give the scenario it is of with --scenario PATH"
            ))
        } else {
            input_error(e)
        }
    })?;
    let rule = stalling_rule(args)?;
    if args.simulations == 0 {
        return Err(input_error(anyhow!("--simulations must be at least 1")));
    }
    let cut = cut(args.cut, &record)?;
    let tables = ScenarioTables::for_scenario(&scenario);
    let read_before = |c: Option<u32>| {
        detente::reading::read_record(&scenario, &tables, &record, c, rule).map_err(input_error)
    };
    let reading = read_before(cut)?;
    let forecast = match cut.or_else(|| default_forecast_cut(&record)) {
        Some(c) => {
            let options = ForecastOptions {
                cut: c,
                simulations: args.simulations,
                seed: args.seed,
            };
            let before = read_before(Some(c))?;
            let forecast = detente_inspect::forecast(
                &scenario,
                &tables,
                &record.trace,
                &before,
                options,
                registry,
            )
            .map_err(input_error)?;
            Some(forecast)
        }
        None => None,
    };
    let text = if args.json {
        let mut t =
            detente::documents::inspect_doc(&scenario, &record, &reading, forecast.as_ref(), cut)
                .to_json();
        t.push('\n');
        t
    } else {
        text::to_text(&scenario, &record, &reading, forecast.as_ref(), cut)
    };
    args.output
        .clone()
        .unwrap_or(crate::ui::Output::Stdout)
        .print(&text)
}

/// The stalling rule of `--stall-window` and `--stall-min`.
fn stalling_rule(args: &Args) -> Result<StallingRule> {
    if args.stall_window == 0 {
        return Err(input_error(anyhow!("--stall-window must be at least 1")));
    }
    if !(args.stall_min.is_finite() && args.stall_min >= 0.0) {
        return Err(input_error(anyhow!(
            "--stall-min must be a finite number at least 0"
        )));
    }
    Ok(StallingRule {
        window: args.stall_window,
        min_improvement: args.stall_min,
    })
}

/// The first round not read (from 0) of `--cut ROUND` (counted from 1), checked against the
/// record: the forecast must be able to start there.
fn cut(cut: Option<u32>, record: &RecordedTrace) -> Result<Option<u32>> {
    let Some(c) = cut else {
        return Ok(None);
    };
    let last_round = record.trace.entries.last().map_or(0, |e| e.round);
    let max = if record.finished {
        last_round + 1
    } else {
        last_round + 2
    };
    let max = max.min(record.trace.deadline);
    if c < 2 || c > max {
        return Err(input_error(anyhow!(
            "--cut {c}: the forecast can start in a round from 2 to {max} of this record"
        )));
    }
    Ok(Some(c - 1))
}

/// Where the forecast starts without `--cut` (from 0): half-way through the rounds played
/// for finished talks, the round after the record's end for unfinished ones; `None` when
/// there is nothing to forecast.
fn default_forecast_cut(record: &RecordedTrace) -> Option<u32> {
    let last_round = record.trace.entries.last().map_or(0, |e| e.round);
    if record.finished {
        (last_round >= 1).then(|| last_round.div_ceil(2).max(1))
    } else {
        (last_round + 1 < record.trace.deadline).then_some(last_round + 1)
    }
}
