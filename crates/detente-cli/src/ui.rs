//! What every command shares on the terminal (see docs/cli.md): the global options (`-q`,
//! `-v`, `--strict`), warnings (each said once), status messages, where a result goes
//! (`-o FILE`, `-` for standard output), and how numbers and counts read.
//!
//! Data goes to standard output, messages (errors, warnings, status, progress) to standard
//! error.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use anyhow::{Context as _, Result, anyhow};
use detente_formats::Diagnostic;

use crate::input_error;

/// The global options.
#[derive(Debug, Clone, Copy, Default)]
pub struct Settings {
    /// `-q`: only the result and errors (no warnings, status lines, summaries or progress).
    pub quiet: bool,
    /// `-v` (repeatable): every warning, however many, and what was loaded and how long it took.
    pub verbose: u8,
    /// `--strict`: warnings about the input are errors (exit code 2).
    pub strict: bool,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// Warnings said so far: each distinct one is said once.
static SAID: Mutex<Option<HashSet<String>>> = Mutex::new(None);

/// Most warnings shown for one input file without `-v`.
const WARNINGS_PER_FILE: usize = 10;

/// Sets the global options (once, from the command line).
pub fn init(settings: Settings) {
    let _ = SETTINGS.set(settings);
}

/// The global options (the defaults until [`init`]).
pub fn settings() -> Settings {
    SETTINGS.get().copied().unwrap_or_default()
}

/// Whether `message` has not been said yet (and marks it said).
pub fn first_time(message: &str) -> bool {
    let mut said = SAID.lock().unwrap_or_else(|e| e.into_inner());
    said.get_or_insert_with(HashSet::new)
        .insert(message.to_string())
}

/// Says a warning on standard error, once, unless `-q`.
pub fn warn(message: &str) {
    if !settings().quiet && first_time(message) {
        eprintln!("warning: {message}");
    }
}

/// Says what the command did (`wrote FILE`, `ran N negotiations`) on standard error, unless
/// `-q`.
pub fn status(message: &str) {
    if !settings().quiet {
        eprintln!("{message}");
    }
}

/// Says something only `-v` asks for, on standard error.
pub fn detail(message: &str) {
    if settings().verbose > 0 && !settings().quiet {
        eprintln!("{message}");
    }
}

/// Reports the diagnostics of loading an input: under `--strict` an input error listing
/// them all; otherwise warnings, at most [`WARNINGS_PER_FILE`] per file unless `-v`.
pub fn diagnostics(diagnostics: &[Diagnostic]) -> Result<()> {
    if diagnostics.is_empty() {
        return Ok(());
    }
    if settings().strict {
        let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        return Err(input_error(anyhow!(
            "{}\n({} with --strict: warnings about the input are errors)",
            lines.join("\n"),
            plural(diagnostics.len(), "problem", "problems")
        )));
    }
    let mut per_file: Vec<(&Path, usize)> = Vec::new();
    for d in diagnostics {
        let shown = match per_file.iter_mut().find(|(p, _)| *p == d.path.as_path()) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                per_file.push((&d.path, 1));
                1
            }
        };
        if shown <= WARNINGS_PER_FILE || settings().verbose > 0 {
            warn(&d.to_string());
        }
    }
    for (path, n) in per_file {
        if n > WARNINGS_PER_FILE && settings().verbose == 0 {
            warn(&format!(
                "{}: {} more (-v shows every warning)",
                path.display(),
                plural(n - WARNINGS_PER_FILE, "warning", "warnings")
            ));
        }
    }
    Ok(())
}

/// Where a command's result goes: `-o FILE`, or standard output (`-o -`, or no `-o` for a
/// command that prints its result).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Standard output.
    Stdout,
    /// A file (or, for commands that write folders, a folder).
    Path(PathBuf),
}

impl Output {
    /// Reads `-o`'s value: `-` is standard output.
    pub fn parse(s: &str) -> std::result::Result<Output, String> {
        match s {
            "" => Err("an empty path".into()),
            "-" => Ok(Output::Stdout),
            p => Ok(Output::Path(PathBuf::from(p))),
        }
    }

    /// The path, when not standard output.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Output::Stdout => None,
            Output::Path(p) => Some(p),
        }
    }

    /// Writes the result: to standard output (a closed pipe ends the command quietly), or to
    /// the file, saying `wrote FILE` unless `-q`.
    pub fn write(&self, bytes: &[u8]) -> Result<()> {
        match self {
            Output::Stdout => crate::emit_bytes(bytes),
            Output::Path(p) => {
                std::fs::write(p, bytes).with_context(|| format!("writing {}", p.display()))?;
                status(&format!("wrote {}", p.display()));
                Ok(())
            }
        }
    }

    /// Like [`Output::write`] for the result of a command that prints it: a file is written
    /// without a status line (the command was asked for its result, not for a file).
    pub fn print(&self, text: &str) -> Result<()> {
        match self {
            Output::Stdout => crate::emit(text),
            Output::Path(p) => {
                std::fs::write(p, text).with_context(|| format!("writing {}", p.display()))
            }
        }
    }
}

/// Parses `-o`'s value for clap.
pub fn output_parser(s: &str) -> std::result::Result<Output, String> {
    Output::parse(s)
}

/// A number as readable output shows it: rounded to 9 decimals (float noise such as
/// `0.9400000000000001` reads `0.94`), without trailing zeros.
pub fn num(x: f64) -> String {
    detente_formats::validate::number(x)
}

/// `n` and the singular or plural noun: `1 issue`, `2 issues`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_and_words() {
        assert_eq!(Output::parse("-"), Ok(Output::Stdout));
        assert_eq!(
            Output::parse("a.svg"),
            Ok(Output::Path(PathBuf::from("a.svg")))
        );
        assert!(Output::parse("").is_err());
        assert_eq!(plural(1, "issue", "issues"), "1 issue");
        assert_eq!(plural(0, "folder", "folders"), "0 folders");
        assert_eq!(num(0.9400000000000001), "0.94");
        assert!(first_time("x"));
        assert!(!first_time("x"));
    }
}
