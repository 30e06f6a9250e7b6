//! Tournaments for detente: many negotiations from one plan, run in parallel, deterministic,
//! resumable and sharded.
//!
//! A [`Plan`] names negotiators, scenarios, how negotiators are assigned to roles, the number
//! of repetitions and a seed. Its [`Schedule`] numbers every negotiation (scenario ×
//! assignment × repetition); negotiation `i` gets the seed `derive_seed(plan seed, i)`, so
//! [`run`] gives the same results for any thread count, batch size or [`Shard`]. Results are
//! streamed to `results.csv` in batches (one [`ResultRow`] per negotiation) and flushed, so a
//! killed run continues with [`RunConfig::resume`] without losing or duplicating a row. With
//! the `parquet` feature, [`RunConfig::parquet`] also writes the rows as `results.parquet` with
//! typed columns. [`merge`] joins shard outputs; [`Summary`] ranks the negotiators with 95%
//! confidence intervals and pairwise Welch t-tests, folded row by row in flat memory;
//! [`read_output`] reads a finished output folder back.
//!
//! This crate holds the logic; the files (the plan, the output folder's manifest, results,
//! scenario table and summary, Parquet) are read and written by
//! `detente_formats::tournament`, and the statistics are `detente_analysis::stats`. It does
//! no terminal output: progress goes to an [`Observer`].
//!
//! ```
//! use detente_negotiators::Registry;
//! use detente_tournament::{Hooks, Plan, RunConfig, run};
//! use std::path::Path;
//!
//! let plan_text = r#"
//! format = 1
//! seed = 7
//! repetitions = 2
//! scenarios = ["pie/pie.toml"]
//! [[negotiators]]
//! kind = "boulware"
//! [[negotiators]]
//! kind = "conceder"
//! "#;
//! let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
//! let registry = Registry::builtin();
//! let plan = Plan::parse(plan_text, Path::new("doc.toml"), &scenarios, &registry).unwrap();
//! let out = std::env::temp_dir().join(format!("detente-doc-{}", std::process::id()));
//! # let _ = std::fs::remove_dir_all(&out);
//! let report = run(&plan, &RunConfig::new(&out), &Hooks::default()).unwrap();
//! assert_eq!(report.ran, 8); // 2 x 2 assignments (with self-play) x 2 repetitions
//! let summary = report.summary.unwrap();
//! assert_eq!(summary.negotiations, 8);
//! assert_eq!(summary.negotiators.len(), 2);
//! # std::fs::remove_dir_all(&out).unwrap();
//! ```

mod error;
mod merge;
mod output;
pub mod plan;
mod runner;
pub mod summary;

pub use detente_formats::tournament::{ManifestDoc, QualityColumns, ResultRow, files};
pub use error::{Result, TournamentError};
pub use merge::{MergeReport, merge};
pub use output::{TournamentOutput, read_output};
pub use plan::{Negotiation, Plan, PlanNegotiator, PlanScenario, Schedule};
pub use runner::{Hooks, Observer, QuietPanics, RunConfig, RunReport, Shard, Silent, run};
pub use summary::{NegotiatorSummary, PairwiseTest, Summary, SummaryBuilder, summarize_file};
