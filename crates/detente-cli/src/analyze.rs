//! placeholder until the analysis CLI lands
use std::path::PathBuf;
#[derive(clap::Args, Debug)]
pub struct AnalyzeArgs {
    pub scenario: Vec<PathBuf>,
}
pub fn run(_a: &AnalyzeArgs) -> anyhow::Result<()> {
    anyhow::bail!("analysis is not available yet")
}
