//! `detente negotiators`: the registry's negotiator kinds, BOA components and mediator
//! strategies, with their parameters and sources.

use detente_formats::columns::{column_width, pad};
use std::fmt::Write as _;

use anyhow::Result;
use detente_core::registry::Entry;
use detente_negotiators::Registry;

/// The width kind names are padded to.
const NAME_WIDTH: usize = 20;

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
pub fn run(registry: &Registry) -> Result<()> {
    let mut out =
        String::from("Built-in negotiators (use as --negotiator PARTY=KIND[:NAME=VALUE,...]):\n\n");
    for k in registry.list() {
        kind(&mut out, k);
    }
    let boa = registry.boa();
    section(
        &mut out,
        "Offering strategies (boa:offer=KIND(NAME=VALUE,...))",
        &boa.offering,
    );
    section(
        &mut out,
        "Opponent models (boa:model=KIND, and the time-based kinds' model=KIND)",
        &boa.models,
    );
    section(
        &mut out,
        "Opponent-model strategies (boa:oms=KIND)",
        &boa.strategies,
    );
    section(
        &mut out,
        "Acceptance conditions (boa:accept=KIND)",
        &boa.acceptance,
    );
    section(
        &mut out,
        "Mediator strategies (in a scenario file: kind = \"mediated\" and \
         strategy = \"KIND[:NAME=VALUE,...]\" under [protocol])",
        registry.mediators(),
    );
    out.push_str(
        "\nExamples: detente run --negotiator Russia=time-based:e=0.1 --negotiator Ukraine=tit-for-tat\n          \
         detente run --negotiator Russia=boa:offer=boulware(e=0.1),model=smith-frequency,accept=ac-combi-max-w\n",
    );
    crate::emit(&out)
}
