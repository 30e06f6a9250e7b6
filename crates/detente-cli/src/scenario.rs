//! `detente scenario check` and `detente scenario convert`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Subcommand};
use detente_core::{IssueKind, Outcome, ProtocolKind, Scenario, Utility, UtilityFunction};
use detente_formats::{SourceFormat, convert, genius, geniusweb, scenario_toml};
use detente_negotiators::Registry;

use crate::transcript::{protocol_line, trigger_text};
use crate::ui::{self, Output, num, output_parser, plural};
use crate::{input_error, scenarios};

#[derive(Subcommand, Debug)]
pub enum ScenarioCommand {
    /// Validate a scenario and summarise it: issues, parties, outcome count, each party's best
    /// and worst outcome.
    Check(CheckArgs),
    /// Convert a scenario between detente TOML, GENIUS XML and GeniusWeb JSON.
    Convert(ConvertArgs),
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// A TOML file, a GENIUS or GeniusWeb domain folder, or a domain file and its profiles.
    /// Without it, the built-in scenario is checked.
    pub scenario: Vec<PathBuf>,
    /// Print the summary as JSON (issues, parties, outcome count, best and worst outcomes,
    /// the warnings).
    #[arg(long)]
    pub json: bool,
    /// Where the summary goes [default: standard output].
    #[arg(short, long, value_name = "FILE", value_parser = output_parser)]
    pub output: Option<Output>,
}

#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// The input: a TOML file, a GENIUS or GeniusWeb folder, or a domain file and its profiles.
    #[arg(required = true, num_args = 1..)]
    pub input: Vec<PathBuf>,
    /// Where to write: a `.toml` file (`-` for standard output), or a folder for GENIUS and
    /// GeniusWeb files.
    #[arg(short, long, value_name = "PATH", value_parser = output_parser)]
    pub output: Output,
    /// The file type to write; by default it follows from the output path (`.toml` or `-`
    /// means TOML).
    #[arg(long, alias = "to", value_name = "FORMAT", value_parser = format_parser())]
    pub format: Option<SourceFormat>,
    /// Convert even when the target format cannot hold everything: the elements it drops
    /// are listed as warnings (without it, they are listed and nothing is written).
    #[arg(long)]
    pub lossy: bool,
}

/// Reads a format name; `--help` lists every [`SourceFormat`] with its description.
fn format_parser() -> impl TypedValueParser<Value = SourceFormat> {
    let names = SourceFormat::ALL.map(|f| PossibleValue::new(f.as_str()).help(f.description()));
    PossibleValuesParser::new(names).try_map(|name| name.parse::<SourceFormat>())
}

/// Runs `detente scenario`; `registry` holds the negotiator kinds and mediator strategies a
/// checked scenario may name.
pub fn run(cmd: &ScenarioCommand, registry: &Registry) -> Result<()> {
    match cmd {
        ScenarioCommand::Check(args) => check(args, registry),
        ScenarioCommand::Convert(args) => convert(args),
    }
}

/// `detente scenario check`: loads the scenario, checks the specs it names against
/// `registry`, and prints its summary.
fn check(args: &CheckArgs, registry: &Registry) -> Result<()> {
    let loaded = scenarios::load(&args.scenario)?;
    scenarios::warn(&loaded)?;
    check_specs(
        &loaded.scenario,
        &scenarios::source_name(&args.scenario),
        registry,
    )?;
    let out = args.output.clone().unwrap_or(Output::Stdout);
    if args.json {
        let doc = crate::check_json::check_doc(&loaded);
        return out.print(&format!("{}\n", serde_json::to_string_pretty(&doc)?));
    }
    out.print(&summary(&loaded.scenario, loaded.format.as_str()))
}

/// Checks the scenario's mediator strategy and its parties' default negotiators against
/// `registry`, as `detente run` would resolve them: an unknown kind or a bad parameter is an
/// input error naming `source`, the party and the spec, with the registry's message.
pub fn check_specs(scenario: &Scenario, source: &str, registry: &Registry) -> Result<()> {
    if let ProtocolKind::Mediated { strategy, .. } = &scenario.protocol.kind {
        registry
            .mediators()
            .validate(strategy)
            .map_err(|e| input_error(anyhow!("{source}: mediator strategy `{strategy}`: {e}")))?;
    }
    for party in &scenario.parties {
        if let Some(spec) = &party.negotiator {
            registry.validate(spec).map_err(|e| {
                input_error(anyhow!(
                    "{source}: default negotiator of party `{}` (`{spec}`): {e}",
                    party.name
                ))
            })?;
            if let Some(problem) = registry.parties_problem(spec, scenario.parties.len()) {
                return Err(input_error(anyhow!(
                    "{source}: default negotiator of party `{}` (`{spec}`): {problem}",
                    party.name
                )));
            }
        }
    }
    Ok(())
}

/// `detente scenario convert`: writes the scenario in another format, refusing (unless
/// `--lossy`) when the target cannot hold all of it.
fn convert(args: &ConvertArgs) -> Result<()> {
    let loaded = scenarios::load(&args.input)?;
    scenarios::warn(&loaded)?;
    let target = target_format(args)?;
    let dir = args.output.path().unwrap_or(Path::new("."));
    let losses = convert::losses(&loaded.scenario, target, dir).map_err(input_error)?;
    if !losses.is_empty() {
        let list: Vec<String> = losses.iter().map(|l| format!("  - {l}")).collect();
        if !args.lossy {
            return Err(input_error(anyhow!(
                "{} cannot hold all of scenario `{}`; converting would drop:\n{}\nnothing was written; give --lossy to convert without them",
                target.title(),
                loaded.scenario.name,
                list.join("\n")
            )));
        }
        for l in &losses {
            ui::warn(&format!("dropped {l}"));
        }
    }
    let scenario = convert::without_losses(&loaded.scenario, target);
    match (target, &args.output) {
        (SourceFormat::Toml, out) => {
            let text = scenario_toml::to_string(&scenario).map_err(input_error)?;
            out.write(text.as_bytes())
        }
        (_, Output::Stdout) => Err(input_error(anyhow!(
            "-o -: {} is a domain file and a file per party; give a folder",
            target.title()
        ))),
        (_, Output::Path(out)) => {
            let files = if target == SourceFormat::Genius {
                genius::write(&scenario, out)
            } else {
                geniusweb::write(&scenario, out)
            }
            .map_err(input_error)?;
            for f in files {
                ui::status(&format!("wrote {}", f.display()));
            }
            Ok(())
        }
    }
}

/// The format `convert` writes: `--format`, or `.toml` (or `-`) for TOML.
fn target_format(args: &ConvertArgs) -> Result<SourceFormat> {
    if let Some(t) = args.format {
        return Ok(t);
    }
    match &args.output {
        Output::Stdout => Ok(SourceFormat::Toml),
        Output::Path(p) if p.extension().is_some_and(|e| e == "toml") => Ok(SourceFormat::Toml),
        Output::Path(p) => Err(input_error(anyhow!(
            "{}: cannot tell the output format from the path; give --format {}",
            p.display(),
            SourceFormat::names()
        ))),
    }
}

/// Best and worst outcome of a utility: exact and without enumeration for linear additive
/// utilities (each issue's best and worst value, in closed form for numeric issues, so an
/// issue of 2^32 − 1 values costs a few dozen evaluations), by enumeration otherwise.
pub fn extremes(
    scenario: &Scenario,
    utility: &Utility,
) -> Option<((Outcome, f64), (Outcome, f64))> {
    let space = &scenario.space;
    if let Some(lin) = utility.as_linear()
        && space.constraints().is_empty()
    {
        let (best, worst): (Vec<u32>, Vec<u32>) = (0..space.issues().len())
            .map(|i| {
                let e = lin.issue_extremes(i);
                (e.best, e.worst)
            })
            .unzip();
        let (b, w) = (Outcome(best), Outcome(worst));
        let (ub, uw) = (lin.utility(&b), lin.utility(&w));
        return Some(((b, ub), (w, uw)));
    }
    let table = detente_core::PartyTable::build(
        space,
        utility,
        detente_core::tables::DEFAULT_ENUMERATION_LIMIT,
    )
    .ok()?;
    let best = space.outcome(table.order[0])?;
    let worst = space.outcome(*table.order.last()?)?;
    Some(((best, table.best()), (worst, table.worst())))
}

/// A readable summary of a scenario read from a file of `format`.
pub fn summary(scenario: &Scenario, format: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Scenario: {} ({format})", scenario.name);
    for line in scenario
        .description
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(3)
    {
        let _ = writeln!(out, "  {}", line.trim());
    }
    outcomes_summary(&mut out, scenario);
    protocol_summary(&mut out, scenario);
    issues_summary(&mut out, scenario);
    parties_summary(&mut out, scenario);
    out
}

/// The number of outcomes, and of feasible ones under the hard constraints.
fn outcomes_summary(w: &mut String, scenario: &Scenario) {
    let constraints = scenario.space.constraints();
    if constraints.is_empty() {
        let _ = writeln!(w, "Outcomes: {}", scenario.space.count_display());
        return;
    }
    let feasible = scenario
        .space
        .outcomes(detente_core::tables::DEFAULT_ENUMERATION_LIMIT)
        .map(|it| it.count().to_string())
        .unwrap_or_else(|_| "too many to count".to_string());
    let _ = writeln!(
        w,
        "Outcomes: {} feasible of {} ({})",
        feasible,
        scenario.space.count_display(),
        plural(constraints.len(), "hard constraint", "hard constraints")
    );
    for c in constraints {
        let _ = writeln!(w, "  constraint: {}", c.name);
    }
}

/// The deadline, the protocol, the timeline events and the time limit.
fn protocol_summary(w: &mut String, scenario: &Scenario) {
    let _ = writeln!(w, "Deadline: {} rounds", scenario.protocol.deadline);
    let _ = writeln!(w, "Protocol: {}", protocol_line(scenario));
    for e in &scenario.events {
        let _ = writeln!(
            w,
            "Event: {} ({})",
            e.name,
            trigger_text(scenario, &e.trigger)
        );
    }
    if let Some(t) = scenario.protocol.time_limit {
        let _ = writeln!(w, "Time limit: {} s", num(t.as_secs_f64()));
    }
}

/// Every issue with its values (the first eight of a long list) or its range.
fn issues_summary(w: &mut String, scenario: &Scenario) {
    let _ = writeln!(w, "\nIssues ({}):", scenario.space.issues().len());
    for issue in scenario.space.issues() {
        let desc = match &issue.kind {
            IssueKind::Discrete { values } => {
                let shown: Vec<&str> = values.iter().take(8).map(String::as_str).collect();
                let more = if values.len() > 8 {
                    format!(", ... ({} values)", values.len())
                } else {
                    String::new()
                };
                format!("{}{more}", shown.join(", "))
            }
            IssueKind::Integer { min, max } => format!("integer {min}..={max}"),
            IssueKind::Real { min, max, steps } => {
                format!("real [{}, {}] in {steps} steps", num(*min), num(*max))
            }
        };
        let _ = writeln!(w, "  {}: {desc}", issue.name);
    }
}

/// Every party: its kind of utility, reservation value, discount, default negotiator, and its
/// best and worst outcome.
fn parties_summary(w: &mut String, scenario: &Scenario) {
    let _ = writeln!(w, "\nParties ({}):", scenario.parties.len());
    for p in &scenario.parties {
        let prefs = &p.preferences;
        let neg = p
            .negotiator
            .as_ref()
            .map_or_else(|| "-".to_string(), ToString::to_string);
        let _ = writeln!(
            w,
            "  {}: {}; reservation {}, discount {}, default negotiator {neg}",
            p.name,
            utility_kind(&prefs.utility),
            num(prefs.reservation),
            num(prefs.discount)
        );
        match extremes(scenario, &prefs.utility) {
            Some(((b, ub), (wo, uw))) => {
                let _ = writeln!(w, "    best  {ub:.6}  {}", scenario.space.display(&b));
                let _ = writeln!(w, "    worst {uw:.6}  {}", scenario.space.display(&wo));
            }
            None => {
                let _ = writeln!(
                    w,
                    "    best and worst outcomes: not computed (the space is too large to enumerate)"
                );
            }
        }
    }
}

/// The kind of a utility function, in words.
pub fn utility_kind(utility: &Utility) -> &'static str {
    match utility {
        Utility::LinearAdditive(l) if l.cap().is_some() => "linear additive, capped",
        Utility::LinearAdditive(_) => "linear additive",
        Utility::Table(_) => "table",
        Utility::Hyperrectangles(_) => "hyper-rectangles",
        Utility::Interacting(u) if u.base().cap().is_some() => {
            "linear additive with interaction terms, capped"
        }
        Utility::Interacting(_) => "linear additive with interaction terms",
        _ => "custom",
    }
}
