//! detente: a fast, exact engine for multi-party negotiations.
//!
//! This facade re-exports the public crates, so one dependency gives the whole API:
//! the engine ([`detente_core`], re-exported at the root: scenarios, utilities, the
//! [`protocol`]s and their [`Session`](protocol::Session), scenario [`dynamics`], open [`registry`]s), built-in
//! [`negotiators`], file [`formats`] (the only part that reads or writes files), outcome
//! [`analysis`], [`tournament`]s, trace [`inspect`]ion (strategy reading, stalling, forecasts,
//! what-if sweeps) and [`report`]s (SVG/PNG plots, HTML).
//!
//! ```
//! use detente::protocol::{Protocol, ProtocolConfig, Saop};
//! use detente::{NegotiatorSpec, ScenarioTables};
//!
//! let text = r#"
//! format = 1
//! name = "pie"
//! [[issues]]
//! name = "share"
//! type = "integer"
//! min = 0
//! max = 10
//! [[parties]]
//! name = "A"
//! issues.share = { weight = 1.0, linear = [0.0, 1.0] }
//! [[parties]]
//! name = "B"
//! issues.share = { weight = 1.0, linear = [1.0, 0.0] }
//! "#;
//! let scenario = detente::formats::scenario_toml::load_str(text, "pie.toml".as_ref()).unwrap().scenario;
//! let registry = detente::negotiators::Registry::builtin();
//! let negotiators = vec![
//!     registry.create(&NegotiatorSpec::new("boulware")).unwrap(),
//!     registry.create(&NegotiatorSpec::new("conceder")).unwrap(),
//! ];
//! let tables = ScenarioTables::for_scenario(&scenario);
//! let trace = Saop::new(&scenario, &tables, negotiators, ProtocolConfig::new(50), 7).run();
//! assert!(trace.result.agreement.is_some());
//! ```

pub use detente_core::*;

pub mod documents;
pub mod reading;

/// Built-in negotiation strategies and their registry.
pub use detente_negotiators as negotiators;

/// Reading and writing scenarios and traces.
pub use detente_formats as formats;

/// Pareto frontier, bargaining solutions and scenario statistics.
pub use detente_analysis as analysis;

/// Tournaments: plans, deterministic parallel runs, resume, shards, summaries.
pub use detente_tournament as tournament;

/// Reading talks from a trace: strategies, stalling, forecasts, what-if sweeps.
pub use detente_inspect as inspect;

/// Plots (SVG, PNG) and self-contained HTML reports.
pub use detente_report as report;
