//! `detente run`: one negotiation, printed as a transcript (text) or a trace (JSON).

use std::io::{self, Write};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow};
use clap::{Args, ValueEnum};
use detente_core::limits::{Limit, longest_deadline};
use detente_core::protocol::{self, Attachments, Clock, ProtocolConfig, Recorder};
use detente_core::{
    Negotiator, NegotiatorSpec, ProtocolKind, Scenario, ScenarioTables, Trace, TraceEntry,
};
use detente_formats::WallClock;
use detente_formats::analysis_json::AgreementQualityDoc;
use detente_formats::trace::{OpponentModelDoc, TraceDoc, TraceStream, trace_doc};
use detente_inspect::ensemble::{Ensemble, EnsembleConfig};
use detente_negotiators::Registry;
use std::fmt::Write as _;

use crate::transcript::Transcript;
use crate::ui::{Output, output_parser};
use crate::{input_error, scenarios};

/// The negotiator a party plays when neither the scenario nor the command line names one.
pub const FALLBACK_NEGOTIATOR: &str = "linear";

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Scenario: a TOML file, a GENIUS or GeniusWeb domain folder, or a domain file and its
    /// profiles. Without it, the built-in spring-2025 peace-talks scenario runs.
    pub scenario: Vec<PathBuf>,
    /// Who plays a party: PARTY=KIND[:NAME=VALUE,...], e.g. Russia=boulware:e=0.1. Repeatable.
    /// Parties not named play the scenario's default negotiator (or `linear`).
    #[arg(long = "negotiator", short = 'n', value_name = "PARTY=KIND[:PARAMS]")]
    pub negotiators: Vec<String>,
    /// Deadline in rounds (overrides the scenario's).
    #[arg(long)]
    pub rounds: Option<u32>,
    /// Wall-clock limit in seconds (overrides the scenario's). Makes the run depend on timing.
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    /// Seed for every random choice; the same seed gives the same trace.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Print the whole trace as JSON (docs/trace-format.md) instead of a transcript.
    #[arg(long)]
    pub json: bool,
    /// Old spelling of --json (`--format json`; `text` is the default).
    #[arg(long, value_enum, hide = true, conflicts_with = "json")]
    pub format: Option<OutputFormat>,
    /// Where the transcript or trace goes [default: standard output].
    #[arg(short, long, value_name = "FILE", value_parser = output_parser)]
    pub output: Option<Output>,
    /// Also write a self-contained HTML report of the negotiation to FILE.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Below the transcript, summarise N more runs, each with a seed of its own, jittered
    /// concession exponents and perturbed preferences: agreement probability, most frequent agreements, mean utilities,
    /// quality, with 95% intervals. 0 turns it off. Default: 200 runs, unless the talks are
    /// too large for a quick default (over 20 million utility evaluations), then none.
    #[arg(long, value_name = "N", env = "DETENTE_ENSEMBLE")]
    pub ensemble: Option<usize>,
    /// The ensemble's jitter: each run multiplies every time-dependent party's concession
    /// exponent by exp(jitter * u), u uniform in [-1, 1]. 0: no jitter (deterministic
    /// negotiators then give copies of one run, and no interval is printed).
    #[arg(long, value_name = "X", default_value_t = detente_inspect::ensemble::DEFAULT_JITTER)]
    pub jitter: f64,
    /// The ensemble's preference noise: each run moves every party's reservation value by
    /// noise * u and multiplies each issue weight by exp(noise * u) (weights scaled back to
    /// their sum), a fresh u uniform in [-1, 1] for each. 0: the preferences as given.
    #[arg(long, value_name = "X", default_value_t = detente_inspect::ensemble::DEFAULT_NOISE)]
    pub noise: f64,
}

impl Default for RunArgs {
    /// `detente run` without arguments (what `detente` alone does).
    fn default() -> Self {
        RunArgs {
            scenario: Vec::new(),
            negotiators: Vec::new(),
            rounds: None,
            time_limit: None,
            seed: 42,
            json: false,
            format: None,
            output: None,
            report: None,
            ensemble: None,
            jitter: detente_inspect::ensemble::DEFAULT_JITTER,
            noise: detente_inspect::ensemble::DEFAULT_NOISE,
        }
    }
}

impl RunArgs {
    /// `detente run` without arguments, as the command line would give it (defaults and the
    /// environment variables of its options, such as `DETENTE_ENSEMBLE`): what `detente` alone
    /// runs.
    pub fn without_arguments() -> Self {
        use clap::{Args as _, FromArgMatches as _};
        let matches = RunArgs::augment_args(clap::Command::new("run"))
            .try_get_matches_from(["run"])
            .ok();
        matches
            .and_then(|m| RunArgs::from_arg_matches(&m).ok())
            .unwrap_or_default()
    }
}

/// The old `--format` of `detente run` (kept as a hidden alias of `--json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A transcript a person reads.
    Text,
    /// The full trace as JSON (see docs/trace-format.md).
    Json,
}

/// Resolves the negotiator of every party: command line (parsed against `registry`), then
/// scenario default, then the fallback.
pub fn resolve_negotiators(
    scenario: &Scenario,
    overrides: &[String],
    registry: &Registry,
) -> Result<Vec<NegotiatorSpec>> {
    let mut specs: Vec<NegotiatorSpec> = scenario
        .parties
        .iter()
        .map(|p| {
            p.negotiator
                .clone()
                .unwrap_or_else(|| NegotiatorSpec::new(FALLBACK_NEGOTIATOR))
        })
        .collect();
    for text in overrides {
        let (party, spec) = text.split_once('=').ok_or_else(|| {
            input_error(anyhow!(
                "--negotiator `{text}`: expected PARTY=KIND[:NAME=VALUE,...]"
            ))
        })?;
        let i = scenario.party_index(party).ok_or_else(|| {
            let names: Vec<&str> = scenario.parties.iter().map(|p| p.name.as_str()).collect();
            input_error(anyhow!(
                "--negotiator `{text}`: there is no party `{party}` (parties: {})",
                names.join(", ")
            ))
        })?;
        specs[i] = registry
            .parse_spec(spec)
            .map_err(|e| input_error(anyhow!("--negotiator `{text}`: {e}")))?;
    }
    Ok(specs)
}

/// Runs `detente run`: loads the scenario, applies the command line's overrides, plays the
/// negotiation and prints its transcript or trace as it goes (and writes the report when
/// asked).
pub fn run(args: &RunArgs, registry: &Registry) -> Result<()> {
    let loaded = scenarios::load(&args.scenario)?;
    crate::ui::diagnostics(&loaded.diagnostics)?;
    let mut scenario = loaded.scenario;
    apply_limits(&mut scenario, args)?;
    let rounds = longest_deadline(&scenario, scenario.protocol.deadline);
    Limit::Rounds
        .check(u64::from(rounds), &format!("scenario `{}`", scenario.name))
        .map_err(input_error)?;
    // The mediator strategy is checked before the transcript starts.
    if let ProtocolKind::Mediated { strategy, .. } = &scenario.protocol.kind {
        registry
            .mediators()
            .validate(strategy)
            .map_err(|e| input_error(anyhow!("mediator strategy `{strategy}`: {e}")))?;
    }
    let specs = resolve_negotiators(&scenario, &args.negotiators, registry)?;
    let negotiators = create_negotiators(&scenario, &specs, registry)?;
    detente_inspect::ensemble::check(args.runs().max(1), args.jitter)
        .map_err(|e| input_error(anyhow!("--jitter: {e}")))?;
    detente_inspect::ensemble::check_noise(args.noise)
        .map_err(|e| input_error(anyhow!("--noise: {e}")))?;
    let names: Vec<String> = specs.iter().map(ToString::to_string).collect();
    let target = args.output.clone().unwrap_or(Output::Stdout);
    let out: Box<dyn Write> = match &target {
        Output::Stdout => Box::new(io::BufWriter::new(io::stdout().lock())),
        Output::Path(p) => Box::new(io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("writing {}", p.display()))?,
        )),
    };
    let json = args.json || args.format == Some(OutputFormat::Json);
    let played = Played {
        scenario: &scenario,
        negotiators,
        seed: args.seed,
        // The report shows every action, so it needs them all; the printed trace does not.
        keep_actions: args.report.is_some(),
        registry,
    };
    let written = match json {
        true => {
            let mut stream = JsonOut {
                stream: TraceStream::new(out, &scenario),
                scenario: &scenario,
                error: None,
            };
            let (trace, models) = played.play(&mut stream)?;
            let quality = crate::quality::agreement_quality(&scenario, &trace);
            let ensemble = match too_long(&scenario, &trace, args) {
                Some(why) => {
                    crate::ui::warn(&why);
                    None
                }
                None => ensemble(&scenario, &specs, registry, args)?,
            };
            let mut doc = document(
                &scenario,
                &trace,
                &names,
                quality.map(|q| q.doc),
                models,
                args,
            )?;
            doc.ensemble = ensemble.map(|e| {
                detente::documents::ensemble_doc(
                    &scenario,
                    &e,
                    Some(args.seed),
                    (Some(args.jitter), Some(args.noise)),
                )
            });
            stream.finish(&doc)
        }
        false => {
            let mut transcript = Transcript::new(out, &scenario, &names, args.seed);
            let (trace, models) = played.play(&mut transcript)?;
            let (mut tail, quality) = match crate::quality::agreement_quality(&scenario, &trace) {
                Some(q) => (q.text, Some(q.doc)),
                None => (String::new(), None),
            };
            if let Some(why) = too_long(&scenario, &trace, args) {
                let _ = writeln!(tail, "\nEnsemble: {why}");
            } else if let Some(e) = ensemble(&scenario, &specs, registry, args)? {
                ensemble_text(&mut tail, &scenario, &e, args);
            }
            document(&scenario, &trace, &names, quality, models, args)?;
            transcript.finish(&trace, &tail).map(drop)
        }
    };
    match (written, target) {
        // A closed pipe (`detente run | head`) is not an error: the reader has what it wanted.
        (Err(e), Output::Stdout) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(e).context("writing to standard output"))
        }
        (Err(e), Output::Path(p)) => {
            Err(anyhow::Error::new(e).context(format!("writing {}", p.display())))
        }
        _ => Ok(()),
    }
}

/// The most work the default ensemble does, in utility evaluations (runs x rounds x turns
/// per round x parties, from the run just made): talks longer or larger than that get an
/// ensemble only when one is asked for (`--ensemble N`), so that the default stays quick.
pub const DEFAULT_ENSEMBLE_WORK: u64 = 20_000_000;

impl RunArgs {
    /// The number of runs of the ensemble: as asked, or the default.
    fn runs(&self) -> usize {
        self.ensemble
            .unwrap_or(detente_inspect::ensemble::DEFAULT_RUNS)
    }
}

/// Why the default ensemble is not run after `trace` (too much work, see
/// [`DEFAULT_ENSEMBLE_WORK`]), or `None` when it runs (or was asked for, or turned off).
fn too_long(scenario: &Scenario, trace: &detente_core::Trace, args: &RunArgs) -> Option<String> {
    if args.ensemble.is_some() {
        return None;
    }
    let n = scenario.parties.len() as u64;
    let runs = detente_inspect::ensemble::DEFAULT_RUNS as u64;
    let work = runs
        .saturating_mul(u64::from(trace.result.rounds_used))
        .saturating_mul(n + 1)
        .saturating_mul(n);
    (work > DEFAULT_ENSEMBLE_WORK).then(|| {
        format!(
            "not run by default for talks this large ({} rounds, {n} parties: about {work} \
             utility evaluations for {runs} runs); ask for it with `--ensemble N`",
            trace.result.rounds_used
        )
    })
}

/// The ensemble below the transcript (`--ensemble N` runs), `None` with `--ensemble 0`.
/// Its runs apply no wall-clock limit.
fn ensemble(
    scenario: &Scenario,
    specs: &[NegotiatorSpec],
    registry: &Registry,
    args: &RunArgs,
) -> Result<Option<Ensemble>> {
    if args.runs() == 0 {
        return Ok(None);
    }
    let config = EnsembleConfig {
        runs: args.runs(),
        seed: args.seed,
        jitter: args.jitter,
        noise: args.noise,
    };
    detente_inspect::ensemble::of_negotiation(scenario, specs, registry, config)
        .map(Some)
        .map_err(|e| input_error(anyhow!("the ensemble (--ensemble 0 turns it off): {e}")))
}

/// The ensemble's summary below the transcript.
fn ensemble_text(w: &mut String, scenario: &Scenario, e: &Ensemble, args: &RunArgs) {
    let _ = writeln!(
        w,
        "\nEnsemble: {} with seeds derived from {}, {} (one run can mislead; 95% intervals \
         over the runs):",
        crate::ui::plural(e.runs, "run", "runs"),
        args.seed,
        crate::ensemble::draws_text(args.jitter, args.noise)
    );
    crate::ensemble::summary_text(w, scenario, e, "  ");
}

/// A negotiation about to be played.
struct Played<'a> {
    scenario: &'a Scenario,
    negotiators: Vec<Box<dyn Negotiator>>,
    seed: u64,
    keep_actions: bool,
    registry: &'a Registry,
}

impl Played<'_> {
    /// Plays the negotiation, handing its actions and events to `recorder` as they happen;
    /// gives the trace and how well each negotiator's opponent model came to know the others.
    fn play(self, recorder: &mut dyn Recorder) -> Result<(Trace, Vec<OpponentModelDoc>)> {
        let scenario = self.scenario;
        let tables = ScenarioTables::for_scenario(scenario);
        let clock = WallClock::start();
        let clock: Option<&dyn Clock> = scenario
            .protocol
            .time_limit
            .is_some()
            .then_some(&clock as &dyn Clock);
        let config = ProtocolConfig {
            record_actions: self.keep_actions,
            ..ProtocolConfig::from_scenario(scenario)
        };
        let attached = Attachments {
            clock,
            recorder: Some(recorder),
        };
        let (trace, negotiators) = protocol::run_with(
            scenario,
            &tables,
            self.negotiators,
            config,
            self.seed,
            self.registry.mediators(),
            attached,
        )
        .map_err(|e| input_error(anyhow!("{e}")))?;
        let models = detente::documents::opponent_models(scenario, &tables, &negotiators);
        Ok((trace, models))
    }
}

/// The trace as a document, with its agreement quality; writes the report when asked (the
/// trace then holds every action).
fn document(
    scenario: &Scenario,
    trace: &Trace,
    names: &[String],
    quality: Option<AgreementQualityDoc>,
    opponent_models: Vec<OpponentModelDoc>,
    args: &RunArgs,
) -> Result<TraceDoc> {
    let mut doc = trace_doc(scenario, trace, names, quality);
    doc.result.opponent_models = opponent_models;
    if let Some(path) = &args.report {
        crate::report::write_run_report(scenario, &doc, path)?;
    }
    Ok(doc)
}

/// A JSON trace written as the negotiation goes; the first write error stops the writing.
struct JsonOut<'a, W: Write> {
    stream: TraceStream<W>,
    scenario: &'a Scenario,
    error: Option<io::Error>,
}

impl<W: Write> JsonOut<'_, W> {
    /// Writes the rest of the document, or returns the first error.
    fn finish(self, doc: &TraceDoc) -> io::Result<()> {
        if let Some(e) = self.error {
            return Err(e);
        }
        self.stream.finish(doc).map(drop)
    }
}

impl<W: Write> Recorder for JsonOut<'_, W> {
    fn action(&mut self, entry: &TraceEntry) {
        if self.error.is_none()
            && let Err(e) = self.stream.action(self.scenario, entry)
        {
            self.error = Some(e);
        }
    }
}

/// Sets the deadline and the wall-clock limit given by `--rounds` and `--time-limit`.
fn apply_limits(scenario: &mut Scenario, args: &RunArgs) -> Result<()> {
    if let Some(r) = args.rounds {
        if r == 0 {
            return Err(input_error(anyhow!("--rounds must be at least 1")));
        }
        scenario.protocol.deadline = r;
    }
    if let Some(t) = args.time_limit {
        if !(t.is_finite() && t > 0.0 && t < 1e9) {
            return Err(input_error(anyhow!(
                "--time-limit must be a positive number of seconds"
            )));
        }
        scenario.protocol.time_limit = Some(Duration::from_secs_f64(t));
    }
    Ok(())
}

/// The negotiator of every party, made from its spec by `registry`.
fn create_negotiators(
    scenario: &Scenario,
    specs: &[NegotiatorSpec],
    registry: &Registry,
) -> Result<Vec<Box<dyn Negotiator>>> {
    scenario
        .parties
        .iter()
        .zip(specs)
        .map(|(party, spec)| {
            let n = scenario.parties.len();
            if let Some(problem) = registry.parties_problem(spec, n) {
                return Err(input_error(anyhow!(
                    "negotiator for party `{}` (`{spec}`): {problem}",
                    party.name
                )));
            }
            registry.create(spec).map_err(|e| {
                input_error(anyhow!(
                    "negotiator for party `{}` (`{spec}`): {e}",
                    party.name
                ))
            })
        })
        .collect()
}
