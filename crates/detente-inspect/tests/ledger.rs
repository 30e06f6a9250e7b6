//! The compliance ledger of the worked example (`examples/scenarios/pause.toml`), checked
//! against counts made here directly from the trace's records, seed by seed.

use std::collections::BTreeMap;

use detente_core::compliance::Act;
use detente_core::protocol::{self, ProtocolConfig};
use detente_core::{ComplianceRecord, Reporter, Scenario, ScenarioTables, Trace};
use detente_inspect::ledger;
use detente_negotiators::Registry;

fn pause() -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/scenarios/pause.toml");
    detente_formats::scenario_toml::load(&path)
        .unwrap()
        .scenario
}

fn play(s: &Scenario, seed: u64) -> Trace {
    let registry = Registry::builtin();
    let tables = ScenarioTables::for_scenario(s);
    let negotiators = s
        .parties
        .iter()
        .map(|p| registry.create(p.negotiator.as_ref().unwrap()).unwrap())
        .collect();
    protocol::run(
        s,
        &tables,
        negotiators,
        ProtocolConfig::from_scenario(s),
        seed,
        None,
        registry.mediators(),
    )
    .unwrap()
}

fn stated(s: &Scenario) -> impl Fn(Reporter) -> Option<f64> + '_ {
    move |r| match r {
        Reporter::Party(p) => s.compliance.profile(p).map(|c| c.accuracy),
        Reporter::Monitor => s.compliance.monitor,
    }
}

/// `[true accusations, false accusations, missed breaches, breaches, reports, breach claims]`
/// per `(by, about)`, counted from the records.
fn direct_counts(trace: &Trace) -> BTreeMap<(usize, usize), [usize; 6]> {
    let mut truth = BTreeMap::new();
    for r in &trace.compliance {
        if let ComplianceRecord::Act {
            round,
            issue,
            party,
            act,
        } = *r
        {
            truth.insert((round, issue, party), act);
        }
    }
    let mut counts: BTreeMap<(usize, usize), [usize; 6]> = BTreeMap::new();
    for r in &trace.compliance {
        let ComplianceRecord::Report {
            round,
            issue,
            by: Reporter::Party(by),
            about,
            claim,
        } = *r
        else {
            continue;
        };
        let act = truth[&(round, issue, about)];
        let c = counts.entry((by, about)).or_default();
        c[0] += usize::from(claim == Act::Breach && act == Act::Breach);
        c[1] += usize::from(claim == Act::Breach && act == Act::Comply);
        c[2] += usize::from(claim == Act::Comply && act == Act::Breach);
        c[3] += usize::from(act == Act::Breach);
        c[4] += 1;
        c[5] += usize::from(claim == Act::Breach);
    }
    counts
}

#[test]
fn the_ledger_of_the_worked_example_matches_the_records() {
    let s = pause();
    let (mut false_accusations, mut denials, mut disputes) = (0, 0, 0);
    for seed in 0..20 {
        let trace = play(&s, seed);
        let l = ledger(&trace.compliance, &stated(&s));
        let direct = direct_counts(&trace);
        assert!(l.truth_known);
        assert_eq!(l.pairs.len(), direct.len(), "seed {seed}");
        for p in &l.pairs {
            let Reporter::Party(by) = p.by else {
                panic!("no monitor in the example")
            };
            let t = p.truth.expect("the truth is known");
            let got = [
                t.true_accusations,
                t.false_accusations,
                t.missed_breaches,
                t.breaches,
                p.reports,
                p.breach_claims,
            ];
            assert_eq!(
                got,
                direct[&(by, p.about)],
                "seed {seed}, {by} about {}",
                p.about
            );
            false_accusations += t.false_accusations;
            if by == p.about {
                denials += t.missed_breaches;
            }
        }
        // Accuracy: the claims about the other side only.
        for a in &l.accuracy {
            let Reporter::Party(by) = a.by else {
                unreachable!()
            };
            let other = 1 - by;
            let c = direct[&(by, other)];
            assert_eq!(a.reports, c[4]);
            assert_eq!(a.correct, c[4] - c[1] - c[2]);
            assert_eq!(a.stated, s.compliance.profile(by).map(|c| c.accuracy));
        }
        disputes += check_disputes(&s, &trace, &l);
    }
    // The example's point: biased reports accuse falsely and deny, and the sides disagree.
    assert!(false_accusations > 0 && denials > 0 && disputes > 0);
}

/// Every round where the two sides' claims about one side differ is a dispute, and its
/// weight is the other side's claim alone (claims about oneself weigh nothing).
fn check_disputes(s: &Scenario, trace: &Trace, l: &detente_inspect::Ledger) -> usize {
    let mut claims: BTreeMap<(u32, usize, usize), Vec<(usize, Act)>> = BTreeMap::new();
    for r in &trace.compliance {
        if let ComplianceRecord::Report {
            round,
            issue,
            by: Reporter::Party(by),
            about,
            claim,
        } = *r
        {
            claims
                .entry((round, issue, about))
                .or_default()
                .push((by, claim));
        }
    }
    let expected: Vec<_> = claims
        .iter()
        .filter(|(_, v)| v.iter().any(|c| c.1 != v[0].1))
        .collect();
    assert_eq!(l.disputes.len(), expected.len());
    for (d, ((round, issue, about), v)) in l.disputes.iter().zip(&expected) {
        assert_eq!((d.round, d.issue, d.about), (*round, *issue, *about));
        let (other, claim) = *v.iter().find(|c| c.0 != *about).unwrap();
        let a = s.compliance.profile(other).unwrap().accuracy;
        let w = (a / (1.0 - a)).ln();
        let odds = if claim == Act::Comply { w } else { -w };
        assert!((d.log_odds - odds).abs() < 1e-12);
        // One monitor report outweighs one report of accuracy `a` when it is more accurate.
        assert!((d.monitor_needed - a).abs() < 1e-12);
    }
    // Agreement rates come from the same comparisons.
    for c in &l.consistency {
        let compared = claims
            .iter()
            .filter(|(k, v)| k.2 == c.about && v.len() == 2)
            .count();
        assert_eq!(c.compared, compared);
        assert_eq!(c.disagreements, c.disputed_rounds.len());
    }
    expected.len()
}

/// Two parties who both want the pause with verification `agreed`, bound by it until the
/// deadline once agreed (a monitor of 0.95 under `third-party`, 0.6 under `self-report`).
fn verified(agreed: &str) -> Scenario {
    let scores = ["none", "self-report", "third-party"]
        .map(|v| format!("{v} = {}", if v == agreed { 1.0 } else { 0.0 }))
        .join(", ");
    let text = format!(
        r#"format = 1
name = "verified"
[protocol]
rounds = 12
[[issues]]
name = "pause"
values = ["none", "on"]
status_quo = "none"
[[issues]]
name = "verification"
values = ["none", "self-report", "third-party"]
[[parties]]
name = "A"
negotiator = "boulware"
compliance = {{ accuracy = 0.8, strategy = "always-comply" }}
[parties.issues]
pause = {{ weight = 0.5, values = {{ none = 0.0, on = 1.0 }} }}
verification = {{ weight = 0.5, values = {{ {scores} }} }}
[[parties]]
name = "B"
negotiator = "boulware"
compliance = {{ accuracy = 0.8, breach_gain = 1.0, strategy = "opportunistic" }}
[parties.issues]
pause = {{ weight = 0.5, values = {{ none = 0.0, on = 1.0 }} }}
verification = {{ weight = 0.5, values = {{ {scores} }} }}
[[obligations]]
issue = "pause"
values = ["on"]
bound = ["A", "B"]
[compliance]
verification = {{ issue = "verification", accuracy = {{ self-report = 0.6, third-party = 0.95 }} }}
"#
    );
    detente_formats::scenario_toml::load_str(&text, std::path::Path::new("verified.toml"))
        .unwrap()
        .scenario
}

#[test]
fn the_negotiated_verification_sets_the_monitor() {
    for (agreed, monitor) in [
        ("third-party", Some(0.95)),
        ("self-report", Some(0.6)),
        ("none", None),
    ] {
        let s = verified(agreed);
        let (mut seen, mut right) = (0usize, 0usize);
        for seed in 0..40 {
            let trace = play(&s, seed);
            let agreement = trace.result.agreement.as_ref().expect("they agree");
            let value = s.space.issues()[1].value(agreement.0[1]);
            assert_eq!(value, Some(detente_core::Value::Discrete(agreed)));
            let truth: BTreeMap<(u32, usize), Act> = trace
                .compliance
                .iter()
                .filter_map(|r| match *r {
                    ComplianceRecord::Act {
                        round, party, act, ..
                    } => Some(((round, party), act)),
                    _ => None,
                })
                .collect();
            assert!(!truth.is_empty(), "the pause binds after the agreement");
            for r in &trace.compliance {
                match *r {
                    ComplianceRecord::Observed {
                        round,
                        by: Reporter::Monitor,
                        about,
                        saw,
                        ..
                    } => {
                        seen += 1;
                        right += usize::from(truth[&(round, about)] == saw);
                    }
                    ComplianceRecord::Report {
                        by: Reporter::Monitor,
                        ..
                    } => {
                        assert!(monitor.is_some(), "no monitor under `none`");
                    }
                    _ => {}
                }
            }
        }
        match monitor {
            None => assert_eq!(seen, 0, "no monitor under `none`"),
            Some(m) => {
                // Every bound party every post-agreement round; the share seen right within
                // 4 standard errors of the stated accuracy.
                let share = right as f64 / seen as f64;
                let se = (m * (1.0 - m) / seen as f64).sqrt();
                assert!(
                    seen >= 400 && (share - m).abs() < 4.0 * se,
                    "{agreed}: {share} of {seen}"
                );
            }
        }
    }
}
