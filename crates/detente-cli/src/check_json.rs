//! `detente scenario check --json`: the summary of a scenario as JSON.
//!
//! Keys: `scenario`, `format`, `description`, `outcomes` (a number, or text beyond 2^64),
//! `feasible` (the outcomes the hard constraints leave; `null` when there are none or too many
//! to count), `constraints`, `deadline`, `time_limit` (seconds or `null`), `protocol`,
//! `events` (`name`, `trigger`), `issues` (`name`, `type`, `values` or `min`/`max`/`steps`,
//! `size`), `parties` (`name`, `utility`, `reservation`, `discount`, `negotiator`, `best` and
//! `worst`: `utility` and `outcome` (issue to value), or `null` when too many outcomes to
//! enumerate) and `warnings` (what loading it warned about, as text).

use detente_core::{IssueKind, Outcome, Scenario};
use detente_formats::Loaded;
use detente_formats::trace::outcome_doc;
use serde_json::{Value, json};

use crate::scenario::{extremes, utility_kind};
use crate::transcript::{protocol_line, trigger_text};

/// The document of `detente scenario check --json`.
pub fn check_doc(loaded: &Loaded) -> Value {
    let scenario = &loaded.scenario;
    let space = &scenario.space;
    let constraints = space.constraints();
    let feasible = (!constraints.is_empty())
        .then(|| {
            space
                .outcomes(detente_core::tables::DEFAULT_ENUMERATION_LIMIT)
                .ok()
                .map(|it| it.count())
        })
        .flatten();
    json!({
        "scenario": scenario.name,
        "format": loaded.format.as_str(),
        "description": scenario.description,
        "outcomes": space.count_u64().map_or_else(|| json!(space.count_display()), |n| json!(n)),
        "feasible": feasible,
        "constraints": constraints.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
        "deadline": scenario.protocol.deadline,
        "time_limit": scenario.protocol.time_limit.map(|t| t.as_secs_f64()),
        "protocol": protocol_line(scenario),
        "events": scenario.events.iter().map(|e| json!({
            "name": e.name,
            "trigger": trigger_text(scenario, &e.trigger),
        })).collect::<Vec<_>>(),
        "issues": space.issues().iter().map(|i| issue_json(&i.name, &i.kind, i.cardinality())).collect::<Vec<_>>(),
        "parties": scenario.parties.iter().map(|p| party_json(scenario, p)).collect::<Vec<_>>(),
        "warnings": loaded.diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>(),
    })
}

fn issue_json(name: &str, kind: &IssueKind, size: u64) -> Value {
    match kind {
        IssueKind::Discrete { values } => {
            json!({"name": name, "type": "discrete", "values": values, "size": size})
        }
        IssueKind::Integer { min, max } => {
            json!({"name": name, "type": "integer", "min": min, "max": max, "size": size})
        }
        IssueKind::Real { min, max, steps } => {
            json!({"name": name, "type": "real", "min": min, "max": max, "steps": steps, "size": size})
        }
    }
}

fn party_json(scenario: &Scenario, p: &detente_core::Party) -> Value {
    let prefs = &p.preferences;
    let point =
        |(o, u): (Outcome, f64)| json!({"utility": u, "outcome": outcome_doc(&scenario.space, &o)});
    let (best, worst) = match extremes(scenario, &prefs.utility) {
        Some((b, w)) => (point(b), point(w)),
        None => (Value::Null, Value::Null),
    };
    json!({
        "name": p.name,
        "utility": utility_kind(&prefs.utility),
        "reservation": prefs.reservation,
        "discount": prefs.discount,
        "negotiator": p.negotiator.as_ref().map(ToString::to_string),
        "best": best,
        "worst": worst,
    })
}
