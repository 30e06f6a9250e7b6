//! `detente negotiators`: the registry's negotiator kinds and mediator strategies, with their
//! parameters.

use detente_formats::columns::{column_width, pad};
use std::fmt::Write as _;

use anyhow::Result;
use detente_core::registry::Entry;
use detente_negotiators::Registry;

/// The width kind names are padded to: at least this, or the longest name of the section and
/// a space.
const NAME_WIDTH: usize = 12;

/// Runs `detente negotiators`: lists the negotiator kinds, then the mediator strategies.
pub fn run(registry: &Registry) -> Result<()> {
    let mut out =
        String::from("Built-in negotiators (use as --negotiator PARTY=KIND[:NAME=VALUE,...]):\n\n");
    kinds(&mut out, registry.list());
    out.push_str(
        "\nMediator strategies (in a scenario file: kind = \"mediated\" and \
         strategy = \"KIND[:NAME=VALUE,...]\" under [protocol]):\n\n",
    );
    kinds(&mut out, registry.mediators().list());
    out.push_str("\nExample: detente run --negotiator Russia=time-based:e=0.1 --negotiator Ukraine=tit-for-tat\n");
    crate::emit(&out)
}

/// One line per kind (its name and summary), then one per parameter (its default, range and
/// meaning).
fn kinds<T: ?Sized>(out: &mut String, entries: &[Entry<T>]) {
    let width = column_width(
        entries.iter().map(|k| k.name.chars().count() + 1),
        NAME_WIDTH,
    );
    for kind in entries {
        let _ = writeln!(out, "  {} {}", pad(&kind.name, width), kind.summary);
        for p in &kind.params {
            let _ = writeln!(
                out,
                "  {}   {}={} (default; {})  {}",
                pad("", width),
                p.name,
                p.default,
                p.range(),
                p.meaning
            );
        }
    }
}
