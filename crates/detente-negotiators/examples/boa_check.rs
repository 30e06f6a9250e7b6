//! Runs detente's side of the NegMAS comparison (`tests/negmas/compare_boa.py`): reads jobs as
//! JSON on standard input, writes results as JSON on standard output.
//!
//! ```text
//! cargo run -p detente-negotiators --example boa_check < jobs.json
//! ```
//!
//! A job is one of
//! - `{"negotiate": {"domain": DIR, "rounds": R, "specs": [SPEC, SPEC], "seed": S,
//!   "time": "per-round" | "per-turn"}}`: a negotiation under SAOP; the result gives the
//!   parties, their reservation values, discount factors and issue weights (linear additive
//!   utilities; null otherwise), the issues and their values,
//!   every party's utility of every outcome (by outcome id: the first issue varies slowest),
//!   each party's issue weights and value evaluations when linear, and the actions (outcome
//!   ids); a spec `portfolio:KIND*SCORE+KIND*SCORE...` is the Caduceus portfolio of those
//!   members;
//! - `{"model": {"domain": DIR, "party": P, "opponent": Q, "spec": SPEC, "bids": [[V, ...],
//!   ...]}}`: party `P`'s opponent model of kind `SPEC` of party `Q`, updated with the bids
//!   (value indices, in order); the result gives its estimate of every outcome after each bid.

use std::io::Read as _;
use std::path::PathBuf;

use detente_core::protocol::{Protocol, ProtocolConfig, Saop, TimeConvention};
use detente_core::registry::Spec;
use detente_core::{ActionKind, Scenario, ScenarioTables, SessionInfo};
use detente_negotiators::Registry;
use detente_negotiators::boa::{ModelSetup, OwnSpace};
use serde_json::{Value, json};

fn load(domain: &str) -> Scenario {
    detente_formats::load(&[PathBuf::from(domain)])
        .unwrap_or_else(|e| panic!("{domain}: {e}"))
        .scenario
}

/// Every outcome's values, by id.
fn outcomes(s: &Scenario) -> Vec<Vec<u32>> {
    let n = s.space.count_u64().expect("a finite space") as usize;
    let mut values = vec![0u32; s.space.issues().len()];
    (0..n as u64)
        .map(|id| {
            s.space.decode_into(id, &mut values);
            values.clone()
        })
        .collect()
}

fn issues(s: &Scenario) -> Value {
    let issues: Vec<Value> = s
        .space
        .issues()
        .iter()
        .map(|i| {
            let values: Vec<String> = (0..i.cardinality() as u32)
                .map(|v| i.value(v).expect("in range").to_string())
                .collect();
            json!({"name": i.name, "values": values})
        })
        .collect();
    json!(issues)
}

/// Each party's issue weights and value evaluations when its utility is linear additive (what
/// the Caduceus replay reads as GENIUS's `AdditiveUtilitySpace`), else null.
fn linear(s: &Scenario) -> Value {
    let parties: Vec<Value> = s
        .parties
        .iter()
        .map(|p| match p.preferences.utility.as_linear() {
            Some(lin) => {
                let values: Vec<Vec<f64>> =
                    s.space
                        .issues()
                        .iter()
                        .zip(lin.evaluators())
                        .map(|(issue, ev)| {
                            (0..issue.cardinality() as u32)
                                .map(|v| match ev {
                                    detente_core::Evaluator::Table(t) => t[v as usize],
                                    other => other
                                        .eval_number(issue.numeric_value(v).unwrap_or(f64::NAN)),
                                })
                                .collect()
                        })
                        .collect();
                json!({"weights": lin.weights(), "values": values})
            }
            None => Value::Null,
        })
        .collect();
    json!(parties)
}

/// The Caduceus portfolio (`detente_negotiators::agents::Caduceus`) of the members
/// `KIND*SCORE+KIND*SCORE...` (e.g. `kawaii*5+atlas3*3+caduceus-core*1`).
fn portfolio(members: &str, registry: &Registry) -> Box<dyn detente_core::Negotiator> {
    let members = members
        .split('+')
        .map(|m| {
            let (kind, score) = m.rsplit_once('*').expect("KIND*SCORE");
            let spec = registry
                .parse_spec(kind)
                .unwrap_or_else(|e| panic!("{kind}: {e}"));
            let score: f64 = score.parse().expect("a score");
            (registry.create(&spec).expect("checked"), score)
        })
        .collect();
    Box::new(detente_negotiators::agents::Caduceus::new(members))
}

fn negotiate(job: &Value, registry: &Registry) -> Value {
    let s = load(job["domain"].as_str().expect("domain"));
    let tables = ScenarioTables::for_scenario(&s);
    let specs: Vec<String> = job["specs"]
        .as_array()
        .expect("specs")
        .iter()
        .map(|v| v.as_str().expect("a spec").to_string())
        .collect();
    let negotiators = specs
        .iter()
        .map(|t| {
            if let Some(members) = t.strip_prefix("portfolio:") {
                return portfolio(members, registry);
            }
            let spec = registry
                .parse_spec(t)
                .unwrap_or_else(|e| panic!("{t}: {e}"));
            registry.create(&spec).expect("checked")
        })
        .collect();
    let rounds = job["rounds"].as_u64().expect("rounds") as u32;
    let config = ProtocolConfig {
        time: match job["time"].as_str().unwrap_or("per-round") {
            "per-turn" => TimeConvention::PerTurn,
            _ => TimeConvention::PerRound,
        },
        ..ProtocolConfig::new(rounds)
    };
    let seed = job["seed"].as_u64().unwrap_or(0);
    let trace = Saop::new(&s, &tables, negotiators, config, seed).run();
    let id = |o: &detente_core::Outcome| s.space.id_of(o);
    let actions: Vec<Value> = trace
        .entries
        .iter()
        .map(|e| {
            let kind = match e.kind {
                ActionKind::Offer => "offer",
                ActionKind::Accept => "accept",
                ActionKind::End => "end",
                ActionKind::Propose => "propose",
            };
            json!({
                "round": e.round,
                "party": e.actor.party(),
                "time": e.time,
                "kind": kind,
                "outcome": e.outcome.as_ref().map(id),
            })
        })
        .collect();
    let utilities: Vec<Vec<f64>> = (0..s.parties.len())
        .map(|p| tables.party(&s, p).expect("tables").utilities.clone())
        .collect();
    json!({
        "parties": s.parties.iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
        "reservation": s.parties.iter().map(|p| p.preferences.reservation).collect::<Vec<_>>(),
        "discount": s.parties.iter().map(|p| p.preferences.discount).collect::<Vec<_>>(),
        "weights": s.parties.iter().map(|p| p.preferences.utility.as_linear().map(|l| l.weights().to_vec())).collect::<Vec<_>>(),
        "issues": issues(&s),
        "linear": linear(&s),
        "utilities": utilities,
        "actions": actions,
        "termination": trace.result.termination.as_str(),
        "agreement": trace.result.agreement.as_ref().map(id),
    })
}

fn model(job: &Value, registry: &Registry) -> Value {
    let s = load(job["domain"].as_str().expect("domain"));
    let tables = ScenarioTables::for_scenario(&s);
    let party = job["party"].as_u64().expect("party") as usize;
    let info = SessionInfo {
        party,
        scenario: &s,
        tables: &tables,
        deadline: 100,
        seed: 0,
    };
    let space = OwnSpace::new(&info).expect("a table");
    let text = job["spec"].as_str().expect("spec");
    let spec = Spec::parse("opponent model", text).expect("a spec");
    let kinds = &registry.boa().models;
    let mut m = kinds
        .create(&spec)
        .unwrap_or_else(|e| panic!("{text}: {e}"));
    m.init(&ModelSetup {
        info: &info,
        space: &space,
        opponent: job["opponent"].as_u64().expect("opponent") as usize,
    })
    .expect("the model starts");
    let all = outcomes(&s);
    let mut after = Vec::new();
    for bid in job["bids"].as_array().expect("bids") {
        let values: Vec<u32> = bid
            .as_array()
            .expect("a bid")
            .iter()
            .map(|v| v.as_u64().expect("a value index") as u32)
            .collect();
        m.update(&values, 0.0);
        after.push(all.iter().map(|o| m.estimate(o)).collect::<Vec<f64>>());
    }
    json!({"issues": issues(&s), "estimates": after})
}

fn main() {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .expect("jobs on standard input");
    let jobs: Vec<Value> = serde_json::from_str(&input).expect("a JSON list of jobs");
    let registry = Registry::builtin();
    let results: Vec<Value> = jobs
        .iter()
        .map(|job| {
            if let Some(j) = job.get("negotiate") {
                negotiate(j, &registry)
            } else if let Some(j) = job.get("model") {
                model(j, &registry)
            } else {
                panic!("unknown job {job}")
            }
        })
        .collect();
    println!("{}", Value::Array(results));
}
