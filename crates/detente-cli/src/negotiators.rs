//! `detente negotiators`: the built-in negotiators and their parameters.

use anyhow::Result;

pub fn run() -> Result<()> {
    println!("Built-in negotiators (use as --negotiator PARTY=KIND[:NAME=VALUE,...]):\n");
    for kind in detente_negotiators::catalogue() {
        println!("  {:<12} {}", kind.name, kind.summary);
        for p in kind.params {
            println!("  {:<12}   {}={} (default)  {}", "", p.name, p.default, p.meaning);
        }
    }
    println!("\nExample: detente run --negotiator Russia=time-based:e=0.1 --negotiator Ukraine=tit-for-tat");
    Ok(())
}
