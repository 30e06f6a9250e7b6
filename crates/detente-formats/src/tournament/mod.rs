//! Tournament files: the plan a tournament runs ([`PlanDoc`], TOML) and the output folder it
//! writes ([`ResultsFolder`]): `manifest.json` ([`ManifestDoc`]), `results.csv` (one
//! [`ResultRow`] per negotiation), `scenarios.csv` ([`ScenarioRow`]), `summary.csv` and
//! `summary.json` ([`Summary`]), and with the `parquet` feature `results.parquet`
//! (the `parquet` module). The documents are plain data: `detente-tournament` builds and reads them;
//! this module reads and writes them, byte for byte as `docs/tournaments.md` describes.

mod cells;
mod folder;
mod manifest;
mod merge;
#[cfg(feature = "parquet")]
pub mod parquet;
mod plan;
mod results;
mod scenarios;
mod summary;
mod traces;

pub use folder::{ResultsAppender, ResultsFolder, ResultsWriter};
pub use manifest::{MANIFEST_FORMAT_VERSION, ManifestDoc, ShardDoc};
pub use merge::SortedMerge;
pub use plan::{NegotiatorEntry, PLAN_FORMAT_VERSION, Place, PlanDoc, ScenarioEntry};
pub use results::{
    ModelColumns, QualityColumns, ResultLine, ResultRow, RowReader, drop_torn_tail, header,
    header_line, legacy_header,
};
pub use scenarios::{SCENARIOS_HEADER, ScenarioRow, parse_scenarios_csv, scenarios_csv};
pub use summary::{ALPHA, NegotiatorSummary, PairwiseTest, Summary};
pub use traces::{TRACES, TracesFile};

/// The file names inside an output folder.
pub mod files {
    /// The results, one row per negotiation.
    pub const RESULTS: &str = "results.csv";
    /// The same rows with typed columns, made from [`RESULTS`] when a run or merge is
    /// complete (with the `parquet` feature, when asked for).
    pub const RESULTS_PARQUET: &str = "results.parquet";
    /// What the folder holds: plan fingerprint, shard, negotiators.
    pub const MANIFEST: &str = "manifest.json";
    /// Side table: every scenario's parties in role order.
    pub const SCENARIOS: &str = "scenarios.csv";
    /// Per-negotiator summary table.
    pub const SUMMARY_CSV: &str = "summary.csv";
    /// The whole summary.
    pub const SUMMARY_JSON: &str = "summary.json";
    /// The per-round traces, one per line, gzip-compressed (`tournament run --traces`).
    pub const TRACES: &str = super::traces::TRACES;
}
