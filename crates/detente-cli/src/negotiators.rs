//! `detente negotiators`: the registry's negotiator kinds, BOA components and mediator
//! strategies, with their parameters and sources.

use detente_formats::columns::{column_width, pad};
use std::fmt::Write as _;

use anyhow::Result;
use detente_core::registry::Entry;
use detente_negotiators::Registry;

use crate::ui::{Output, output_parser};

/// The width kind names are padded to.
const NAME_WIDTH: usize = 20;

/// Arguments of `detente negotiators`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Print the list as JSON: `negotiators`, `offering`, `models`, `oms`, `acceptance` and
    /// `mediators`, each an array of kinds with `name`, `summary`, `source`, `params`
    /// (`name`, `default`, `min`, `max` (null when unbounded), `meaning`) and `components`
    /// (`name`, `default`, `kind` (the registry it names a kind of), `meaning`).
    #[arg(long)]
    pub json: bool,
    /// Where the list goes [default: standard output].
    #[arg(short, long, value_name = "FILE", value_parser = output_parser)]
    pub output: Option<Output>,
}

/// One kind: its name and summary, then each parameter (numbers with default and range,
/// components with their default and registry), then its source.
fn kind<T: ?Sized>(out: &mut String, kind: &Entry<T>) {
    let width = column_width([kind.name.chars().count() + 1], NAME_WIDTH);
    let indent = pad("", width);
    let _ = writeln!(out, "  {} {}", pad(&kind.name, width), kind.summary);
    for p in &kind.params {
        let _ = writeln!(
            out,
            "  {indent}   {}={} (default; {})  {}",
            p.name,
            p.default,
            p.range(),
            p.meaning
        );
    }
    for c in &kind.components {
        let _ = writeln!(
            out,
            "  {indent}   {}={} (default; any {} kind)  {}",
            c.name,
            c.default,
            c.kinds.noun(),
            c.meaning
        );
    }
    if let Some(source) = &kind.source {
        let _ = writeln!(out, "  {indent}   source: {source}");
    }
}

/// The kinds of one registry, under a heading.
fn section<T: ?Sized>(
    out: &mut String,
    heading: &str,
    kinds: &detente_core::registry::Registry<T>,
) {
    let _ = writeln!(out, "\n{heading}:\n");
    for k in kinds.list() {
        kind(out, k);
    }
}

/// Runs `detente negotiators`: the negotiator kinds, the BOA components, then the mediator
/// strategies.
pub fn run(args: &Args, registry: &Registry) -> Result<()> {
    let out = args.output.clone().unwrap_or(Output::Stdout);
    let boa = registry.boa();
    if args.json {
        let doc = serde_json::json!({
            "negotiators": entries_json(registry.list()),
            "offering": entries_json(boa.offering.list()),
            "models": entries_json(boa.models.list()),
            "oms": entries_json(boa.strategies.list()),
            "acceptance": entries_json(boa.acceptance.list()),
            "mediators": entries_json(registry.mediators().list()),
        });
        return out.print(&format!("{}\n", serde_json::to_string_pretty(&doc)?));
    }
    let mut text =
        String::from("Built-in negotiators (use as --negotiator PARTY=KIND[:NAME=VALUE,...]):\n\n");
    for k in registry.list() {
        kind(&mut text, k);
    }
    section(
        &mut text,
        "Offering strategies (boa:offer=KIND(NAME=VALUE,...))",
        &boa.offering,
    );
    section(
        &mut text,
        "Opponent models (boa:model=KIND, and the time-based kinds' model=KIND)",
        &boa.models,
    );
    section(
        &mut text,
        "Opponent-model strategies (boa:oms=KIND)",
        &boa.strategies,
    );
    section(
        &mut text,
        "Acceptance conditions (boa:accept=KIND)",
        &boa.acceptance,
    );
    section(
        &mut text,
        "Mediator strategies (in a scenario file: kind = \"mediated\" and \
         strategy = \"KIND[:NAME=VALUE,...]\" under [protocol])",
        registry.mediators(),
    );
    text.push_str(
        "\nExamples: detente run --negotiator Russia=time-based:e=0.1 --negotiator Ukraine=tit-for-tat\n          \
         detente run --negotiator Russia=boa:offer=boulware(e=0.1),model=smith-frequency,accept=ac-combi-max-w\n",
    );
    out.print(&text)
}

/// The kinds of a registry as JSON.
fn entries_json<T: ?Sized>(entries: &[Entry<T>]) -> serde_json::Value {
    entries
        .iter()
        .map(|k| {
            serde_json::json!({
                "name": k.name,
                "summary": k.summary,
                "source": k.source,
                "params": k.params.iter().map(|p| serde_json::json!({
                    "name": p.name,
                    "default": p.default,
                    "min": p.min,
                    "max": p.max.is_finite().then_some(p.max),
                    "meaning": p.meaning,
                })).collect::<Vec<_>>(),
                "components": k.components.iter().map(|c| serde_json::json!({
                    "name": c.name,
                    "default": c.default.to_string(),
                    "kind": c.kinds.noun(),
                    "meaning": c.meaning,
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}
