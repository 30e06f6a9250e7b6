//! `detente completions SHELL` and `detente manual`: shell completion scripts (clap_complete)
//! and manual pages (clap_mangen), both generated from the command line's own definition, so
//! they never drift from it.

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use clap::CommandFactory as _;
use clap_complete::Shell;

use crate::Cli;
use crate::ui::{Output, output_parser, status};

/// Arguments of `detente completions`.
#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell. Install with, for example,
    /// `detente completions bash > ~/.local/share/bash-completion/completions/detente`.
    pub shell: Shell,
    /// Where to write the script [default: standard output].
    #[arg(short, long, value_name = "FILE", value_parser = output_parser)]
    pub output: Option<Output>,
}

/// Arguments of `detente manual`.
#[derive(clap::Args, Debug)]
pub struct ManualArgs {
    /// Write one page per command (detente.1, detente-run.1, detente-scenario-check.1, ...)
    /// into this folder, for `man -M` or MANPATH; without it, the page of `detente` itself goes
    /// to standard output (`detente manual | man -l -`).
    #[arg(short, long, value_name = "FOLDER")]
    pub output: Option<PathBuf>,
}

/// Prints or writes the completion script of `args.shell`.
pub fn completions(args: &CompletionsArgs) -> Result<()> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "detente", &mut script);
    args.output.clone().unwrap_or(Output::Stdout).write(&script)
}

/// Prints the page of `detente`, or writes every command's page into a folder.
pub fn manual(args: &ManualArgs) -> Result<()> {
    let cmd = Cli::command();
    let Some(dir) = &args.output else {
        let mut page = Vec::new();
        clap_mangen::Man::new(cmd).render(&mut page)?;
        return Output::Stdout.write(&page);
    };
    if dir.as_os_str() == "-" {
        let mut page = Vec::new();
        clap_mangen::Man::new(cmd).render(&mut page)?;
        return Output::Stdout.write(&page);
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let pages = pages(cmd, "detente");
    for (name, page) in &pages {
        let path = dir.join(format!("{name}.1"));
        std::fs::write(&path, page).with_context(|| format!("writing {}", path.display()))?;
    }
    status(&format!(
        "wrote {} manual pages to {}",
        pages.len(),
        dir.display()
    ));
    Ok(())
}

/// The page of `cmd` (named `name`) and of each of its subcommands, recursively, as
/// `(name, roff)`; help and hidden commands have none.
fn pages(cmd: clap::Command, name: &str) -> Vec<(String, Vec<u8>)> {
    let cmd = cmd.name(name.to_string());
    let mut page = Vec::new();
    let rendered = clap_mangen::Man::new(cmd.clone()).render(&mut page);
    let mut out = Vec::new();
    if rendered.is_ok() {
        out.push((name.to_string(), page));
    }
    for sub in cmd.get_subcommands() {
        if sub.is_hide_set() || sub.get_name() == "help" {
            continue;
        }
        let sub_name = format!("{name}-{}", sub.get_name());
        out.extend(pages(sub.clone(), &sub_name));
    }
    out
}
