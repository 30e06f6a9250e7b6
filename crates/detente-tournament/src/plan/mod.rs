//! Tournament plans: which negotiators meet on which scenarios, how often, and the
//! deterministic enumeration of the negotiations a plan stands for.
//!
//! A plan file (TOML, format 1, documented in `docs/tournaments.md`) is read by
//! `detente_formats::tournament::PlanDoc`; [`Plan::load`] turns it into a [`Plan`], loading the
//! scenarios it names and checking its negotiators, with problems reported at their line and
//! column. A [`Plan`] can also be built in code. [`Schedule`] numbers every negotiation of a
//! plan (scenario, then assignment of negotiators to roles, then repetition) so that the
//! `i`-th negotiation and its seed are the same however the work is split.

mod resolve;
mod schedule;

pub(crate) use resolve::check_mediator;

use std::path::Path;
use std::time::Duration;

use detente_core::{NegotiatorSpec, Scenario};
use detente_formats::Diagnostic;
use detente_formats::tournament::PlanDoc;

use detente_negotiators::Registry;

use crate::error::Result;

pub use schedule::{Negotiation, Schedule};

/// A negotiator taking part, under its display name.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanNegotiator {
    /// Display name, unique within the plan; used in results and the summary.
    pub name: String,
    /// Kind and parameters, resolved by the run's registry.
    pub spec: NegotiatorSpec,
}

/// A scenario taking part.
#[derive(Debug, Clone)]
pub struct PlanScenario {
    /// Where it came from, as written in the plan (or any label for a plan built in code).
    pub source: String,
    /// The scenario. Its name identifies it in results and must be unique within the plan.
    pub scenario: Scenario,
    /// Oddities its loader noticed (warnings; empty for a scenario built in code).
    pub diagnostics: Vec<Diagnostic>,
}

/// A tournament plan.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Name of the tournament, recorded in the output folder's manifest and summary.
    pub name: String,
    /// Seed from which every negotiation's seed is derived.
    pub seed: u64,
    /// How many times each assignment meets on each scenario (at least 1).
    pub repetitions: u32,
    /// Deadline in rounds for every scenario; `None` keeps each scenario's own.
    pub rounds: Option<u32>,
    /// Longest a negotiator may take for one step, measured on a wall clock. Only rows where
    /// it is exceeded depend on timing.
    pub step_budget: Option<Duration>,
    /// Whether a negotiator may play several roles of one negotiation (with it, every tuple
    /// of negotiators is an assignment; without it, only tuples of distinct negotiators).
    pub self_play: bool,
    /// The negotiators, in plan order.
    pub negotiators: Vec<PlanNegotiator>,
    /// The scenarios, in plan order.
    pub scenarios: Vec<PlanScenario>,
}

impl Plan {
    /// Reads a plan file and every scenario it names (paths relative to the plan's folder);
    /// its negotiators must be kinds of `registry`, its scenarios' mediator strategies
    /// strategies of `registry`.
    pub fn load(path: &Path, registry: &Registry) -> Result<Plan> {
        let doc = PlanDoc::read(path)?;
        Self::from_doc(doc, path.parent().unwrap_or(Path::new(".")), registry)
    }

    /// Parses plan text; `origin` names it in messages and `base` is the folder scenario
    /// paths are relative to; negotiators and mediators are checked against `registry`.
    pub fn parse(text: &str, origin: &Path, base: &Path, registry: &Registry) -> Result<Plan> {
        Self::from_doc(PlanDoc::parse(text, origin)?, base, registry)
    }

    /// The deadline used for scenario `s`.
    pub fn rounds_for(&self, s: usize) -> u32 {
        self.rounds
            .unwrap_or(self.scenarios[s].scenario.protocol.deadline)
    }

    /// The largest number of parties of any scenario: the width of the per-role columns of
    /// the results.
    pub fn max_parties(&self) -> usize {
        self.scenarios
            .iter()
            .map(|s| s.scenario.parties.len())
            .max()
            .unwrap_or(0)
    }

    /// A fingerprint of everything that decides the results (names, seed, repetitions,
    /// deadlines, budget, negotiators, scenarios' names, parties and spaces). Shard outputs and
    /// resumed runs are checked against it.
    pub fn fingerprint(&self) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{}|{}|{}|{:?}|{:?}|{}",
            self.name, self.seed, self.repetitions, self.rounds, self.step_budget, self.self_play
        );
        for n in &self.negotiators {
            let _ = writeln!(s, "n|{}|{}", n.name, n.spec);
        }
        for (i, sc) in self.scenarios.iter().enumerate() {
            let scen = &sc.scenario;
            let _ = write!(
                s,
                "s|{}|{}|{}",
                scen.name,
                self.rounds_for(i),
                scen.space.count_display()
            );
            for issue in scen.space.issues() {
                let _ = write!(s, "|{}:{}", issue.name, issue.cardinality());
            }
            for p in &scen.parties {
                let _ = write!(
                    s,
                    "|{}:{}:{}",
                    p.name, p.preferences.reservation, p.preferences.discount
                );
            }
            let _ = writeln!(s);
        }
        // FNV-1a, 64 bits: stable across platforms and versions, unlike std's hasher.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in s.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        format!("{h:016x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Plan> {
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
        Plan::parse(text, Path::new("plan.toml"), &base, &Registry::builtin())
    }

    #[test]
    fn parses_a_plan() {
        let p = parse(
            r#"
format = 1
name = "mini"
seed = 7
repetitions = 2
rounds = 30
step_budget_ms = 250
self_play = false
scenarios = ["pie/pie.toml", "buyer-seller"]

[[negotiators]]
name = "Boul"
kind = "boulware"
params = { e = 0.1 }

[[negotiators]]
kind = "time-based:e=3"
"#,
        )
        .unwrap();
        assert_eq!(p.name, "mini");
        assert_eq!((p.seed, p.repetitions, p.rounds), (7, 2, Some(30)));
        assert_eq!(p.step_budget, Some(Duration::from_millis(250)));
        assert!(!p.self_play);
        assert_eq!(p.negotiators[0].name, "Boul");
        assert_eq!(p.negotiators[0].spec.to_string(), "boulware:e=0.1");
        assert_eq!(p.negotiators[1].name, "time-based:e=3");
        let names: Vec<_> = p
            .scenarios
            .iter()
            .map(|s| s.scenario.name.as_str())
            .collect();
        assert_eq!(names, ["pie", "buyer-seller"]);
        assert_eq!(Schedule::new(&p).unwrap().total(), 2 * 2 * 2);
    }

    #[test]
    fn errors_point_at_the_place() {
        let head = "format = 1\nseed = 1\nscenarios = [\"pie/pie.toml\"]\n";
        let cases = [
            (
                format!("{head}colour = 3\n[[negotiators]]\nkind = \"linear\"\n"),
                "plan.toml:4:1: unknown field `colour`",
            ),
            (
                format!("{head}[[negotiators]]\nkind = \"boulwar\"\n"),
                "plan.toml:5:8: unknown negotiator kind `boulwar`",
            ),
            (
                format!("{head}[[negotiators]]\nkind = \"boulware\"\nparams = {{ e = 5 }}\n"),
                "plan.toml:4:1: parameter `e` of negotiator `boulware` must be",
            ),
            (
                format!("{head}[[negotiators]]\nkind = \"linear\"\n[[negotiators]]\nkind = \"linear\"\n"),
                "plan.toml:6:1: two negotiators are named `linear`",
            ),
            (
                "format = 1\nseed = 1\nscenarios = [\"nope.toml\"]\n[[negotiators]]\nkind = \"linear\"\n".into(),
                "plan.toml:3:14: scenario `nope.toml`:",
            ),
            (
                "format = 1\nseed = 1\nscenarios = [\"pie/pie.toml\", \"pie\"]\n[[negotiators]]\nkind = \"linear\"\n".into(),
                "plan.toml:3:30: scenario `pie` is named `pie`, like `pie/pie.toml`",
            ),
            (
                format!("{head}repetitions = 0\n[[negotiators]]\nkind = \"linear\"\n"),
                "plan.toml:4:15: repetitions must be at least 1",
            ),
            (
                format!("{head}seed = -1\n"),
                "plan.toml:4:1: duplicate key",
            ),
            (
                "format = 2\nseed = 1\nscenarios = []\nnegotiators = []\n".into(),
                "plan.toml:1:10: unsupported plan format version 2",
            ),
            (
                "format = 1\nseed = 1\nscenarios = [\"pie/pie.toml\"]\nnegotiators = []\n".into(),
                "plan.toml:4:15: the plan needs at least one negotiator",
            ),
        ];
        for (text, expect) in cases {
            let e = parse(&text).unwrap_err().to_string();
            assert!(e.starts_with(expect), "got `{e}`, expected `{expect}...`");
        }
    }
}
