//! Small scenarios and states for the unit tests.

use detente_core::*;

fn party(name: &str, utility: Utility, reservation: f64) -> Party {
    Party {
        name: name.into(),
        preferences: Preferences {
            reservation,
            ..Preferences::new(utility)
        },
        negotiator: None,
    }
}

fn split(max: i64, reservation: f64) -> Scenario {
    let space = OutcomeSpace::new(vec![Issue::integer("share", 0, max)]).unwrap();
    let slope = 1.0 / max as f64;
    let lin = |slope: f64, intercept: f64| {
        let ev = Evaluator::Linear {
            slope,
            intercept,
            origin: 0.0,
            clamp: true,
        };
        Utility::LinearAdditive(LinearAdditive::new(&space, vec![1.0], vec![ev], None).unwrap())
    };
    let s = Scenario {
        compliance: Default::default(),
        name: "pie".into(),
        description: String::new(),
        parties: vec![
            party("a", lin(slope, 0.0), reservation),
            party("b", lin(-slope, 1.0), 0.0),
        ],
        space,
        protocol: ProtocolSettings::default(),
        events: Vec::new(),
    };
    s.validate().unwrap();
    s
}

/// Splitting 10 units: party 0's utility of value `v` is `v / 10` (reservation `r`),
/// party 1's `1 - v / 10`.
pub fn pie(r: f64) -> Scenario {
    split(10, r)
}

/// Splitting 64 units: party 0's utility of value `v` is `v / 64`, exact in binary.
pub fn pie_fine(r: f64) -> Scenario {
    split(64, r)
}

/// Issue `a` scored by `scores` for party 0 (reversed for party 1), and an issue `b` with
/// `extra` values that nobody cares about.
pub fn one_issue(scores: &[f64], extra: u32) -> Scenario {
    let space = OutcomeSpace::new(vec![
        Issue::discrete("a", (0..scores.len()).map(|i| format!("a{i}"))),
        Issue::discrete("b", (0..extra).map(|i| format!("b{i}"))),
    ])
    .unwrap();
    let zeros = vec![0.0; extra as usize];
    let u = |s: Vec<f64>| {
        let evs = vec![Evaluator::Table(s), Evaluator::Table(zeros.clone())];
        Utility::LinearAdditive(LinearAdditive::new(&space, vec![1.0, 1.0], evs, None).unwrap())
    };
    let rev: Vec<f64> = scores.iter().rev().copied().collect();
    Scenario {
        compliance: Default::default(),
        name: "tie".into(),
        description: String::new(),
        parties: vec![party("a", u(scores.to_vec()), 0.0), party("b", u(rev), 0.0)],
        space,
        protocol: ProtocolSettings::default(),
        events: Vec::new(),
    }
}

/// Party 0's turn at time `t` with `standing` on the table.
pub fn state(t: f64, standing: Option<&Offer>) -> State<'_> {
    State {
        round: 0,
        time: t,
        turn: 0,
        standing,
        accepts: 0,
        active: &[],
    }
}

/// One discrete issue scored by `scores` for party 0 (reversed for party 1).
pub fn single_issue(scores: &[f64]) -> Scenario {
    let space = OutcomeSpace::new(vec![Issue::discrete(
        "a",
        (0..scores.len()).map(|i| format!("a{i}")),
    )])
    .unwrap();
    let u = |s: Vec<f64>| {
        Utility::LinearAdditive(
            LinearAdditive::new(&space, vec![1.0], vec![Evaluator::Table(s)], None).unwrap(),
        )
    };
    let rev: Vec<f64> = scores.iter().rev().copied().collect();
    Scenario {
        compliance: Default::default(),
        name: "single".into(),
        description: String::new(),
        parties: vec![party("a", u(scores.to_vec()), 0.0), party("b", u(rev), 0.0)],
        space,
        protocol: ProtocolSettings::default(),
        events: Vec::new(),
    }
}

/// A scenario `name` over `issues`, one linear additive party per entry of `parties`: its
/// name and its evaluation table of each issue, all with the issue `weights` and no
/// reservation value.
pub fn linear(
    name: &str,
    issues: Vec<Issue>,
    weights: &[f64],
    parties: &[(&str, Vec<Vec<f64>>)],
) -> Scenario {
    let space = OutcomeSpace::new(issues).unwrap();
    let parties = parties
        .iter()
        .map(|(who, tables)| {
            let evs = tables.iter().cloned().map(Evaluator::Table).collect();
            let lin = LinearAdditive::new(&space, weights.to_vec(), evs, None).unwrap();
            party(who, Utility::LinearAdditive(lin), 0.0)
        })
        .collect();
    Scenario {
        compliance: Default::default(),
        name: name.into(),
        description: String::new(),
        parties,
        space,
        protocol: ProtocolSettings::default(),
        events: Vec::new(),
    }
}

/// What party `party` is told when a negotiation on `scenario` starts.
pub fn info<'a>(
    party: usize,
    scenario: &'a Scenario,
    tables: &'a ScenarioTables,
    deadline: u32,
    seed: u64,
) -> SessionInfo<'a> {
    SessionInfo {
        party,
        scenario,
        tables,
        deadline,
        seed,
    }
}
