//! `detente negotiators`: the registry's negotiator kinds and mediator strategies, with their
//! parameters.

use std::fmt::Write as _;

use anyhow::Result;
use detente_core::registry::Entry;
use detente_negotiators::Registry;

use crate::ui::{Output, output_parser};

/// The width kind names are padded to: at least this, or the longest name of the section and
/// a space.
const NAME_WIDTH: usize = 12;

/// Arguments of `detente negotiators`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Print the list as JSON: `negotiators` and `mediators`, each an array of kinds with
    /// `name`, `summary`, `source` and `params` (`name`, `default`, `min`, `max` (null when
    /// unbounded), `meaning`).
    #[arg(long)]
    pub json: bool,
    /// Where the list goes [default: standard output].
    #[arg(short, long, value_name = "FILE", value_parser = output_parser)]
    pub output: Option<Output>,
}

/// Runs `detente negotiators`: lists the negotiator kinds, then the mediator strategies.
pub fn run(args: &Args, registry: &Registry) -> Result<()> {
    let out = args.output.clone().unwrap_or(Output::Stdout);
    if args.json {
        let doc = serde_json::json!({
            "negotiators": entries_json(registry.list()),
            "mediators": entries_json(registry.mediators().list()),
        });
        return out.print(&format!("{}\n", serde_json::to_string_pretty(&doc)?));
    }
    let mut text =
        String::from("Built-in negotiators (use as --negotiator PARTY=KIND[:NAME=VALUE,...]):\n\n");
    kinds(&mut text, registry.list());
    text.push_str(
        "\nMediator strategies (in a scenario file: kind = \"mediated\" and \
         strategy = \"KIND[:NAME=VALUE,...]\" under [protocol]):\n\n",
    );
    kinds(&mut text, registry.mediators().list());
    text.push_str("\nExample: detente run --negotiator Russia=time-based:e=0.1 --negotiator Ukraine=tit-for-tat\n");
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
            })
        })
        .collect()
}

/// One line per kind (its name and summary), then one per parameter (its default, range and
/// meaning).
fn kinds<T: ?Sized>(out: &mut String, entries: &[Entry<T>]) {
    let width = entries
        .iter()
        .map(|k| k.name.chars().count() + 1)
        .max()
        .unwrap_or(0)
        .max(NAME_WIDTH);
    for kind in entries {
        let _ = writeln!(out, "  {:<width$} {}", kind.name, kind.summary);
        for p in &kind.params {
            let _ = writeln!(
                out,
                "  {:<width$}   {}={} (default; {})  {}",
                "",
                p.name,
                p.default,
                p.range(),
                p.meaning
            );
        }
    }
}
