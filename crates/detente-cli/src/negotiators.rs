//! `detente negotiators`: the registry's negotiators and their parameters.

use std::fmt::Write as _;

use anyhow::Result;
use detente_negotiators::Registry;

pub fn run(registry: &Registry) -> Result<()> {
    let mut out =
        String::from("Built-in negotiators (use as --negotiator PARTY=KIND[:NAME=VALUE,...]):\n\n");
    for kind in registry.list() {
        let _ = writeln!(out, "  {:<12} {}", kind.name, kind.summary);
        for p in &kind.params {
            let _ = writeln!(
                out,
                "  {:<12}   {}={} (default; {})  {}",
                "",
                p.name,
                p.default,
                p.range(),
                p.meaning
            );
        }
    }
    out.push_str("\nExample: detente run --negotiator Russia=time-based:e=0.1 --negotiator Ukraine=tit-for-tat\n");
    crate::emit(&out)
}
