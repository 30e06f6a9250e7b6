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

use std::collections::{BTreeMap, BTreeSet};

use detente_core::registry::ParamInfo;
use detente_core::{NegotiatorSpec, ProtocolKind, Scenario};
use detente_formats::Diagnostic;
use detente_formats::digest::Digest;
use detente_formats::tournament::{MANIFEST_FORMAT_VERSION, PLAN_FORMAT_VERSION, PlanDoc};

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
    /// The digest of the bytes of the files it was read from (`detente_formats::Loaded::
    /// digest`), which output folders record so that a resume or a merge notices an edited
    /// file; `None` for a scenario built in code, whose names, outcome space, parties and
    /// deadline stand in for it.
    pub digest: Option<String>,
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

    /// What decides the results, part by part, as output folders record it
    /// (`detente_formats::tournament::ManifestDoc::inputs`): `plan` (name, seed,
    /// repetitions, deadlines, budget, self-play, the negotiators' names and specs),
    /// `registry` (the definition in `registry` of every negotiator kind and mediator
    /// strategy the plan uses: parameters, defaults and ranges), `detente` (this program's
    /// version and formats) and `scenario:NAME` for each scenario (the digest of its files,
    /// or of its names, space and parties for one built in code).
    pub fn inputs(&self, registry: &Registry) -> BTreeMap<String, String> {
        let mut inputs = BTreeMap::new();
        inputs.insert("plan".to_string(), self.settings_digest());
        inputs.insert("registry".to_string(), self.registry_digest(registry));
        inputs.insert("detente".to_string(), program_version());
        for (i, sc) in self.scenarios.iter().enumerate() {
            let digest = match &sc.digest {
                Some(d) => d.clone(),
                None => described(&sc.scenario, self.rounds_for(i)),
            };
            inputs.insert(format!("scenario:{}", sc.scenario.name), digest);
        }
        inputs
    }

    /// A fingerprint of everything that decides the results: the digest of
    /// [`Plan::inputs`]. Resumed runs and shard outputs are checked against it.
    pub fn fingerprint(&self, registry: &Registry) -> String {
        self.inputs(registry)
            .iter()
            .fold(Digest::new(), |d, (k, v)| d.text(k).text(v))
            .hex()
    }

    /// The digest of the plan's settings, its negotiators, and its scenarios' order and
    /// deadlines (their contents are parts of their own).
    fn settings_digest(&self) -> String {
        let settings = format!(
            "{}|{}|{}|{:?}|{:?}|{}",
            self.name, self.seed, self.repetitions, self.rounds, self.step_budget, self.self_play
        );
        let mut d = Digest::new().text(&settings);
        for n in &self.negotiators {
            d = d.text(&n.name).text(&n.spec.to_string());
        }
        for (i, s) in self.scenarios.iter().enumerate() {
            d = d
                .text(&s.scenario.name)
                .text(&self.rounds_for(i).to_string());
        }
        d.hex()
    }

    /// The digest of the definitions the plan's negotiators and mediators resolve to.
    fn registry_digest(&self, registry: &Registry) -> String {
        let mut d = Digest::new();
        let kinds: BTreeSet<&str> = self
            .negotiators
            .iter()
            .map(|n| n.spec.kind.as_str())
            .collect();
        for kind in kinds {
            d = d.text("kind").text(kind);
            if let Some(e) = registry.list().iter().find(|e| e.name == kind) {
                d = params_digest(d, &e.params);
            }
            d = d.text(&format!("{:?}", registry.exponent(kind)));
        }
        let mediators: BTreeSet<&str> = self
            .scenarios
            .iter()
            .filter_map(|s| match &s.scenario.protocol.kind {
                ProtocolKind::Mediated { strategy, .. } => Some(strategy.kind.as_str()),
                ProtocolKind::Saop => None,
            })
            .collect();
        for kind in mediators {
            d = d.text("mediator").text(kind);
            if let Some(e) = registry.mediators().get(kind) {
                d = params_digest(d, &e.params);
            }
        }
        d.hex()
    }
}

/// This program's version and the versions of the formats it writes, as text.
pub(crate) fn program_version() -> String {
    format!(
        "detente {} (plan format {PLAN_FORMAT_VERSION}, manifest format {MANIFEST_FORMAT_VERSION})",
        env!("CARGO_PKG_VERSION")
    )
}

/// Adds parameters' names, defaults and ranges to a digest.
fn params_digest(mut d: Digest, params: &[ParamInfo]) -> Digest {
    for p in params {
        d = d
            .text(&p.name)
            .text(&format!("{:?}|{:?}|{:?}", p.default, p.min, p.max));
    }
    d
}

/// The digest of what a scenario built in code shows of itself: names, deadline, outcome
/// space and parties.
fn described(scenario: &Scenario, rounds: u32) -> String {
    let mut d = Digest::new()
        .text(&scenario.name)
        .text(&rounds.to_string())
        .text(&scenario.space.count_display());
    for issue in scenario.space.issues() {
        d = d.text(&issue.name).text(&issue.cardinality().to_string());
    }
    for p in &scenario.parties {
        let prefs = &p.preferences;
        d = d.text(&format!(
            "{}:{:?}:{:?}",
            p.name, prefs.reservation, prefs.discount
        ));
    }
    d.hex()
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
