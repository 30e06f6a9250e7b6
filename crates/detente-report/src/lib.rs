//! Pictures of negotiations: utility-space plots, concession curves, tournament and sweep
//! charts as SVG (and as PNG, rasterised from that SVG by [`raster`]), and self-contained HTML
//! reports that put them together with the transcript and the analysis. A library without
//! terminal code; the `detente report` and `detente plot` commands are thin wrappers around it.
//! It parses no JSON: traces and sweeps come as typed documents from `detente-formats`, made
//! into plot data by [`TraceView::from_doc`] and [`plot::sweep::SweepData::from_doc`]
//! (a tournament output folder, read by `detente_tournament::read_output`, is made into plot
//! data by [`plot::tournament::TournamentData::from_output`]).
//!
//! Every plot is made in two steps: a function extracts the data it draws into a plain
//! struct (unit-tested: frontier points, trajectories, legend entries), and a `render`
//! function writes that struct as SVG whose elements carry stable class names (listed in
//! `docs/report.md`). The SVG is written by hand ([`svg`]): no plotting library, and full
//! control over label placement ([`layout`]).
//!
//! ```
//! use detente_core::*;
//! use detente_core::protocol::{Protocol, ProtocolConfig, Saop};
//! use detente_formats::trace::trace_doc;
//! use detente_report::{FigureConfig, ScenarioFigures, TraceView, html};
//!
//! let space = OutcomeSpace::new(vec![Issue::integer("share", 0, 10)]).unwrap();
//! let lin = |slope: f64, intercept: f64| LinearAdditive::new(&space, vec![1.0],
//!     vec![Evaluator::Linear { slope, intercept, origin: 0.0, clamp: true }], None).unwrap();
//! let party = |name: &str, u| Party { name: name.into(), preferences: Preferences::new(Utility::LinearAdditive(u)), negotiator: None };
//! let scenario = Scenario {
//!     compliance: Default::default(),
//!     name: "pie".into(), description: "Split a pie.".into(), space: space.clone(),
//!     parties: vec![party("Alice", lin(0.1, 0.0)), party("Bob", lin(-0.1, 1.0))],
//!     protocol: ProtocolSettings::default(),
//!     events: Vec::new(),
//! };
//! struct Half;
//! impl Negotiator for Half {
//!     fn init(&mut self, _: &SessionInfo<'_>) -> Result<(), NegotiatorError> { Ok(()) }
//!     fn act(&mut self, s: &State<'_>) -> Action {
//!         if s.standing.is_some() { Action::Accept } else { Action::Offer(Outcome(vec![5])) }
//!     }
//! }
//! let tables = ScenarioTables::for_scenario(&scenario);
//! let trace = Saop::new(&scenario, &tables, vec![Box::new(Half), Box::new(Half)], ProtocolConfig::new(10), 1).run();
//! let doc = trace_doc(&scenario, &trace, &["half".into(), "half".into()], None);
//! let view = TraceView::from_doc(&doc).unwrap();
//! let config = FigureConfig::default();
//! let figures = ScenarioFigures::compute(&scenario, &config);
//! let page = html::trace_report(&view, Some(&scenario), Some(&figures), &config).unwrap();
//! assert!(page.contains("<svg class=\"detente-plot plot-utility-space\""));
//! assert_eq!(page.matches("<tr class=\"action ").count(), trace.entries.len());
//! ```

pub mod compliance;
pub mod error;
pub mod html;
pub mod layout;
pub mod plot;
pub mod raster;
pub mod svg;
pub mod trace_view;

pub use error::{ReportError, Result};
pub use plot::utility_space::{FigureConfig, OutcomeCloud, ScenarioFigures};
pub use raster::svg_to_png;
pub use trace_view::{ActionView, EventView, ResultView, TraceView};
