//! A negotiator written outside detente-negotiators, as a researcher would write one:
//! registered under a kind name of its own, it is named in a tournament plan given as TOML
//! text and plays there like a built-in kind.

use std::path::Path;
use std::sync::Arc;

use detente_core::{
    Action, Negotiator, NegotiatorError, Outcome, OutcomeSpace, PartyTable, SessionInfo, State,
};
use detente_formats::tournament::RowReader;
use detente_negotiators::{KindEntry, ParamInfo, Registry};
use detente_tournament::{Hooks, Plan, RunConfig, TournamentError, run};

use crate::common::scenarios_dir;
use detente_testkit::TempDir;

/// Demands a fixed utility: offers its worst outcome worth at least `demand` to it, every
/// turn, and accepts any offer worth at least as much.
struct FixedDemand {
    demand: f64,
    own: Option<(OutcomeSpace, Arc<PartyTable>, Outcome)>,
}

impl Negotiator for FixedDemand {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        let table = info
            .own_table()
            .map_err(|e| NegotiatorError(e.to_string()))?;
        let space = info.scenario.space.clone();
        let offer = space.outcome(table.at_least(self.demand)).ok_or_else(|| {
            NegotiatorError("the table names an outcome outside the space".into())
        })?;
        self.own = Some((space, table, offer));
        Ok(())
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        let Some((space, table, offer)) = &self.own else {
            return Action::End;
        };
        let worth = |o: &Outcome| space.id_of(o).map(|id| table.utilities[id as usize]);
        match state.standing.and_then(|s| worth(&s.outcome)) {
            Some(u) if u >= self.demand => Action::Accept,
            _ => Action::Offer(offer.clone()),
        }
    }
}

/// The entry a user writes for the kind: name, summary, parameter, constructor.
fn fixed_demand() -> KindEntry {
    KindEntry::new(
        "fixed-demand",
        "offers and accepts nothing below a fixed utility",
        |p| {
            Box::new(FixedDemand {
                demand: p.get("demand"),
                own: None,
            })
        },
    )
    .param(ParamInfo::new(
        "demand",
        0.5,
        0.0,
        1.0,
        "the utility it insists on",
    ))
}

const PLAN: &str = r#"
format = 1
name = "own kinds"
seed = 11
rounds = 20
scenarios = ["pie/pie.toml"]

[[negotiators]]
name = "greedy"
kind = "fixed-demand"
params = { demand = 0.6 }

[[negotiators]]
name = "modest"
kind = "fixed-demand:demand=0.3"

[[negotiators]]
kind = "conceder"
"#;

/// Alice's share in an agreement of the pie (`share=0.6`).
fn share(agreement: &str) -> f64 {
    agreement.strip_prefix("share=").unwrap().parse().unwrap()
}

#[test]
fn a_registered_kind_plays_in_a_plan_like_a_built_in_one() {
    let mut registry = Registry::builtin();
    registry.register(fixed_demand()).unwrap();
    let plan = Plan::parse(PLAN, Path::new("own.toml"), &scenarios_dir(), &registry).unwrap();
    assert_eq!(
        plan.negotiators[0].spec.to_string(),
        "fixed-demand:demand=0.6"
    );
    assert_eq!(plan.negotiators[1].name, "modest");
    let dir = TempDir::new("tournament-user-kind");
    let hooks = Hooks {
        registry,
        ..Hooks::default()
    };
    let report = run(&plan, &RunConfig::new(&dir), &hooks).unwrap();
    assert_eq!(report.ran, 9);
    let rows: Vec<_> = RowReader::open(&report.results)
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    assert_eq!(rows.len(), 9);
    let demand = |name: &str| match name {
        "greedy" => Some(0.6),
        "modest" => Some(0.3),
        _ => None,
    };
    for r in &rows {
        assert_ne!(r.termination, "negotiator-fault", "{r:?}");
        let (alice, bob) = (r.negotiators[0].as_str(), r.negotiators[1].as_str());
        if let (Some(a), Some(b)) = (demand(alice), demand(bob)) {
            // Two fixed demands agree exactly when they are compatible, at once: Alice
            // opens with her demand, and Bob accepts it when it leaves him enough.
            assert_eq!(r.agreed(), a + b <= 1.0, "{r:?}");
            if r.agreed() {
                assert_eq!(r.rounds, 1, "{r:?}");
                assert!((share(&r.agreement) - a).abs() < 0.011, "{r:?}");
            }
        }
        if r.agreed() {
            // Whoever demands a utility gets at least that much (before discounting).
            let s = share(&r.agreement);
            if let Some(a) = demand(alice) {
                assert!(s >= a - 1e-9, "{r:?}");
            }
            if let Some(b) = demand(bob) {
                assert!(1.0 - s >= b - 1e-9, "{r:?}");
            }
        }
    }
    let greedy_vs_greedy = rows
        .iter()
        .find(|r| r.negotiators == ["greedy", "greedy"])
        .unwrap();
    assert_eq!(greedy_vs_greedy.termination, "deadline");
    let summary = report.summary.unwrap();
    let names: Vec<&str> = summary
        .negotiators
        .iter()
        .map(|n| n.name.as_str())
        .collect();
    assert!(
        names.contains(&"greedy") && names.contains(&"modest"),
        "{names:?}"
    );
}

#[test]
fn a_plan_naming_an_unregistered_kind_is_refused_where_it_names_it() {
    let e = Plan::parse(
        PLAN,
        Path::new("own.toml"),
        &scenarios_dir(),
        &Registry::builtin(),
    )
    .unwrap_err();
    let TournamentError::At { line, message, .. } = &e else {
        panic!("{e:?}");
    };
    assert_eq!(*line, 10);
    assert!(
        message.starts_with(
            "unknown negotiator kind `fixed-demand`; known kinds: time-based, boulware"
        ),
        "{message}"
    );
    let mut registry = Registry::builtin();
    registry.register(fixed_demand()).unwrap();
    let e = Plan::parse(
        &PLAN.replace("demand = 0.6", "demand = 1.5"),
        Path::new("own.toml"),
        &scenarios_dir(),
        &registry,
    )
    .unwrap_err();
    assert!(
        e.to_string().contains(
            "parameter `demand` of negotiator `fixed-demand` must be a number in [0, 1], not 1.5"
        ),
        "{e}"
    );
}
