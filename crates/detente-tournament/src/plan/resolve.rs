//! From a plan document to a [`Plan`]: the negotiators' specs, checked; the scenarios, loaded;
//! names unique; the whole enumerable. Problems are reported at the entry's place in the file.

use std::path::{Path, PathBuf};

use detente_core::{NegotiatorSpec, ProtocolKind, Scenario};
use detente_formats::tournament::{NegotiatorEntry, Place, PlanDoc, ScenarioEntry};
use detente_negotiators::{Registry, SpecError};

use crate::error::{Result, TournamentError};
use crate::plan::{Plan, PlanNegotiator, PlanScenario, Schedule};

/// Makes errors at places of one plan file.
struct At<'a>(&'a Path);

impl At<'_> {
    fn error(&self, place: Place, message: String) -> TournamentError {
        TournamentError::At {
            path: self.0.to_path_buf(),
            line: place.line,
            column: place.column,
            message,
        }
    }
}

impl Plan {
    /// Turns a plan document into a plan: parses and checks each negotiator's spec against
    /// `registry`, loads each scenario (paths relative to `base`, normally the plan's folder)
    /// and checks its mediator strategy against `registry`, checks that names are unique and
    /// that the plan can be enumerated.
    pub fn from_doc(doc: PlanDoc, base: &Path, registry: &Registry) -> Result<Plan> {
        let at = At(&doc.path);
        let negotiators = negotiators(&doc.negotiators, &at, registry)?;
        let scenarios = scenarios(&doc.scenarios, base, &at, registry)?;
        let name = doc.name.unwrap_or_else(|| {
            doc.path
                .file_stem()
                .map_or_else(|| "tournament".into(), |s| s.to_string_lossy().into_owned())
        });
        let plan = Plan {
            name,
            seed: doc.seed,
            repetitions: doc.repetitions,
            rounds: doc.rounds,
            step_budget: doc.step_budget,
            self_play: doc.self_play,
            negotiators,
            scenarios,
        };
        // Catch plans that cannot be enumerated (too few negotiators, overflow) now.
        Schedule::new(&plan)?;
        Ok(plan)
    }
}

/// The spec of a plan's negotiator entry: its `kind` (a kind or a spec with parameters) plus
/// its `params`, checked against `registry`.
fn negotiator_spec(
    entry: &NegotiatorEntry,
    at: &At<'_>,
    registry: &Registry,
) -> Result<NegotiatorSpec> {
    let mut spec = registry
        .parse_spec(&entry.kind)
        .map_err(|e| at.error(entry.kind_at, e.to_string()))?;
    let given_twice = |k: &String| {
        at.error(
            entry.at,
            format!("parameter `{k}` is given both in `kind` and in `params`"),
        )
    };
    for (k, v) in &entry.params {
        if spec.components.contains_key(k) || spec.params.insert(k.clone(), *v).is_some() {
            return Err(given_twice(k));
        }
    }
    for (k, c) in &entry.components {
        if spec.params.contains_key(k) || spec.components.insert(k.clone(), c.clone()).is_some() {
            return Err(given_twice(k));
        }
    }
    registry
        .validate(&spec)
        .map_err(|e| at.error(entry.at, e.to_string()))?;
    Ok(spec)
}

fn negotiators(
    entries: &[NegotiatorEntry],
    at: &At<'_>,
    registry: &Registry,
) -> Result<Vec<PlanNegotiator>> {
    let mut negotiators: Vec<PlanNegotiator> = Vec::with_capacity(entries.len());
    for entry in entries {
        let spec = negotiator_spec(entry, at, registry)?;
        let name = entry.name.clone().unwrap_or_else(|| spec.to_string());
        if negotiators.iter().any(|o| o.name == name) {
            return Err(at.error(
                entry.at,
                format!("two negotiators are named `{name}`; give each a distinct `name`"),
            ));
        }
        negotiators.push(PlanNegotiator { name, spec });
    }
    Ok(negotiators)
}

fn scenarios(
    entries: &[ScenarioEntry],
    base: &Path,
    at: &At<'_>,
    registry: &Registry,
) -> Result<Vec<PlanScenario>> {
    let mut scenarios: Vec<PlanScenario> = Vec::with_capacity(entries.len());
    for entry in entries {
        let loaded = entry
            .load(base)
            .map_err(|source| TournamentError::Scenario {
                plan: PathBuf::from(at.0),
                line: entry.at.line,
                column: entry.at.column,
                entry: entry.source.clone(),
                source: Box::new(source),
            })?;
        let source = &entry.source;
        if let Err(e) = loaded.scenario.validate() {
            return Err(at.error(entry.at, format!("scenario `{source}`: {e}")));
        }
        if let Err(e) = check_mediator(&loaded.scenario, registry) {
            return Err(at.error(entry.at, format!("scenario `{source}`: {e}")));
        }
        let name = &loaded.scenario.name;
        if let Some(other) = scenarios.iter().find(|s| &s.scenario.name == name) {
            return Err(at.error(
                entry.at,
                format!(
                    "scenario `{source}` is named `{name}`, like `{}`; scenario names must be \
                     unique within a plan",
                    other.source
                ),
            ));
        }
        scenarios.push(PlanScenario {
            source: source.clone(),
            scenario: loaded.scenario,
            diagnostics: loaded.diagnostics,
            digest: Some(loaded.digest),
        });
    }
    Ok(scenarios)
}

/// Checks a scenario's mediator strategy (of mediated talks) against `registry`.
pub(crate) fn check_mediator(
    scenario: &Scenario,
    registry: &Registry,
) -> std::result::Result<(), SpecError> {
    match &scenario.protocol.kind {
        ProtocolKind::Mediated { strategy, .. } => registry.mediators().validate(strategy),
        ProtocolKind::Saop => Ok(()),
    }
}
