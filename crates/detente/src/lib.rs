//! detente: a fast, exact engine for multi-party negotiations.
//!
//! This facade re-exports the public crates, so one dependency gives the whole API:
//! the engine ([`detente_core`], re-exported at the root), built-in [`negotiators`], file
//! [`formats`] and outcome [`analysis`].
//!
//! ```
//! use detente::protocol::{Saop, ProtocolConfig};
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

/// Built-in negotiation strategies and their registry.
pub use detente_negotiators as negotiators;

/// Reading and writing scenarios and traces.
pub use detente_formats as formats;

/// Pareto frontier, bargaining solutions and scenario statistics.
pub use detente_analysis as analysis;
