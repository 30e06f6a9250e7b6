//! The summary's statistics against values worked out by hand on a tiny plan.

use detente_analysis::stats::t_two_sided_p;
use detente_core::{Action, Negotiator, NegotiatorError, Outcome, SessionInfo, State};
use detente_negotiators::{KindEntry, Registry};
use detente_tournament::{Hooks, RunConfig, Silent, run};

use crate::common::{code_plan, line_scenario};
use detente_testkit::TempDir;

/// Opens with `offer` and accepts anything.
struct Opener {
    offer: u32,
    party: usize,
}

impl Negotiator for Opener {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        self.party = info.party;
        Ok(())
    }
    fn act(&mut self, state: &State<'_>) -> Action {
        if state.standing.is_some() {
            Action::Accept
        } else {
            Action::Offer(Outcome(vec![self.offer]))
        }
    }
}

/// Only party 0 ever opens: "greedy" opens with its best outcome x = 2, "fair" with x = 1.
fn openers() -> Registry {
    let mut registry = Registry::new();
    for (kind, offer) in [("greedy", 2), ("fair", 1)] {
        let entry = KindEntry::new(
            kind,
            "opens with a fixed offer and accepts anything",
            move |_| Box::new(Opener { offer, party: 0 }),
        );
        registry.register(entry).unwrap();
    }
    registry
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn summary_matches_hand_computation() {
    // Party 0 opens and party 1 accepts, so the opener's offer is agreed:
    //   (greedy, greedy) -> x=2: u = (1, 0)     (greedy, fair) -> x=2: u = (1, 0)
    //   (fair, greedy)   -> x=1: u = (.5, .5)   (fair, fair)   -> x=1: u = (.5, .5)
    // Observations (one per role): greedy [1, 0, 1, .5], fair [0, .5, .5, .5].
    let plan = code_plan(
        &[("greedy", "greedy"), ("fair", "fair")],
        vec![line_scenario("line")],
        1,
    );
    let dir = TempDir::new("tournament-summary");
    let hooks = Hooks {
        registry: openers(),
        observer: &Silent,
        ..Hooks::default()
    };
    let s = run(&plan, &RunConfig::new(&dir), &hooks)
        .unwrap()
        .summary
        .unwrap();
    assert_eq!(
        (s.negotiations, s.agreements, s.negotiator_faults),
        (4, 4, 0)
    );
    assert_eq!(s.terminations.get("agreement"), Some(&4));
    let (g, f) = (&s.negotiators[0], &s.negotiators[1]);
    assert_eq!(
        (g.rank, g.name.as_str(), f.rank, f.name.as_str()),
        (1, "greedy", 2, "fair")
    );
    assert_eq!((g.observations, g.agreements, g.errors), (4, 4, 0));
    assert_eq!(g.agreement_rate, Some(1.0));
    // Wilson interval for 4 of 4: [n / (n + z^2), 1].
    let z2 = detente_analysis::stats::Z_975.powi(2);
    let [lo, hi] = g.agreement_rate_ci.unwrap();
    assert!(close(lo, 4.0 / (4.0 + z2)) && close(hi, 1.0), "{lo} {hi}");
    // Means 5/8 and 3/8; sample variances 11/48 and 1/16.
    assert!(close(g.mean_utility.unwrap(), 0.625));
    assert!(close(f.mean_utility.unwrap(), 0.375));
    assert!(close(g.sd_utility.unwrap(), (11.0f64 / 48.0).sqrt()));
    assert!(close(f.sd_utility.unwrap(), 0.25));
    // 95% CI: mean +- t(0.975, 3) s / 2, with t(0.975, 3) = 3.182446305284263.
    let half = 3.182_446_305_284_263 * (11.0f64 / 48.0).sqrt() / 2.0;
    let [lo, hi] = g.utility_ci.unwrap();
    assert!((lo - (0.625 - half)).abs() < 1e-9 && (hi - (0.625 + half)).abs() < 1e-9);
    // Welfare is always 1: identical values give no interval (stats refuses identical
    // samples rather than print a zero-width one).
    assert_eq!(g.mean_welfare, Some(1.0));
    assert_eq!(g.welfare_ci, None);
    // Every outcome is Pareto-optimal; the Nash point is x = 1, at distance sqrt(1/2) from (1, 0).
    assert_eq!(g.pareto_optimal_rate, Some(1.0));
    assert_eq!(g.mean_dist_frontier, Some(0.0));
    assert!(close(g.mean_dist_nash.unwrap(), 0.75 * 0.5f64.sqrt()));
    assert!(close(f.mean_dist_nash.unwrap(), 0.25 * 0.5f64.sqrt()));
    // Welch: se^2 = 11/192 + 3/192 = 7/96; t = (1/4) / sqrt(7/96); df = 294/65.
    let p = &s.pairwise[0];
    assert_eq!((p.a.as_str(), p.b.as_str()), ("greedy", "fair"));
    assert!(close(p.difference, 0.25));
    let t = 0.25 / (7.0f64 / 96.0).sqrt();
    assert!(close(p.t.unwrap(), t));
    assert!(close(p.df.unwrap(), 294.0 / 65.0));
    assert!(close(p.p_value, t_two_sided_p(t, 294.0 / 65.0)));
    assert!(
        !p.significant && p.p_value > 0.3 && p.p_value < 0.5,
        "{}",
        p.p_value
    );
    // The files say the same.
    let csv = std::fs::read_to_string(dir.join("summary.csv")).unwrap();
    let line: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(&line[..4], ["1", "greedy", "4", "4"]);
    assert_eq!(line[7], "0.625");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["negotiators"][1]["mean_utility"], 0.375);
    assert_eq!(json["pairwise"][0]["significant"], false);
    let results = std::fs::read_to_string(dir.join("results.csv")).unwrap();
    assert_eq!(
        results
            .lines()
            .nth(2)
            .unwrap()
            .split(',')
            .skip(4)
            .collect::<Vec<_>>()
            .join(","),
        // Every outcome has welfare 1, so (1, 0) is itself a max-welfare point. Neither
        // negotiator models the other: the six opponent-model cells are empty.
        "greedy,fair,agreement,,,1,0.05,x=2,1,0,1,true,0,0.7071067811865476,0.7071067811865476,0,,,,,,"
    );
}

#[test]
fn summary_and_sweep_give_the_same_intervals_for_the_same_numbers() {
    use detente_tournament::{ResultRow, SummaryBuilder};
    // Five observations of one negotiator, in role 0 of negotiations against "other".
    let xs = [0.61, 0.2, 0.93, 0.47, 0.555];
    let names = ["me".to_string(), "other".to_string()];
    let mut builder = SummaryBuilder::new("t", &names);
    for (i, &x) in xs.iter().enumerate() {
        builder
            .add(&ResultRow {
                index: i as u64,
                scenario: "s".into(),
                repetition: 0,
                seed: 0,
                negotiators: names.to_vec(),
                termination: "agreement".into(),
                error_party: None,
                error: String::new(),
                rounds: 1,
                time: 0.1,
                agreement: "x=1".into(),
                utilities: vec![x, 1.0 - x],
                welfare: 1.0,
                quality: None,
                models: Vec::new(),
            })
            .unwrap();
    }
    let summary = builder.finish();
    let me = summary.negotiators.iter().find(|n| n.name == "me").unwrap();
    let sweep = detente_inspect::sweep::MeanCi::of(&xs);
    assert_eq!(me.mean_utility, Some(sweep.mean));
    assert_eq!(me.utility_ci, sweep.ci, "bit for bit");
    // The exact t quantile, not a rounded table value: t(0.975, 4) = 2.7764451051977987.
    let s = me.sd_utility.unwrap();
    let [lo, hi] = sweep.ci.unwrap();
    let half = 2.776_445_105_197_798_7 * s / 5f64.sqrt();
    assert!((hi - lo - 2.0 * half).abs() < 1e-12, "{lo} {hi}");
}

#[test]
fn identical_repetitions_are_copies_not_draws() {
    // The openers are deterministic: 10 repetitions repeat each pairing's result exactly. The
    // intervals and tests must be those of one repetition, with a warning (issue 14,
    // observation 5: more identical repetitions used to narrow the intervals).
    let summary = |repetitions| {
        let plan = code_plan(
            &[("greedy", "greedy"), ("fair", "fair")],
            vec![line_scenario("line")],
            repetitions,
        );
        let dir = TempDir::new("tournament-copies");
        let hooks = Hooks {
            registry: openers(),
            observer: &Silent,
            ..Hooks::default()
        };
        run(&plan, &RunConfig::new(&dir), &hooks)
            .unwrap()
            .summary
            .unwrap()
    };
    let (one, ten) = (summary(1), summary(10));
    assert_eq!(ten.negotiations, 40);
    assert_eq!((one.copies, one.identical_pairings), (0, 0));
    assert_eq!((ten.copies, ten.identical_pairings), (36, 4));
    assert_eq!(ten.negotiators, one.negotiators);
    assert_eq!(ten.pairwise, one.pairwise);
    assert!(
        ten.to_text().contains("warning: 36 repetitions repeated"),
        "{}",
        ten.to_text()
    );
    assert!(!one.to_text().contains("warning"));
}
