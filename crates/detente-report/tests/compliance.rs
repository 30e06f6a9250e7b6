//! The compliance timeline of the worked example (`examples/scenarios/pause.toml`), checked
//! against counts made here directly from the trace's records, seed by seed, and its section
//! in the HTML report.

use std::collections::BTreeMap;

use detente_core::compliance::Act;
use detente_core::protocol::{self, ProtocolConfig};
use detente_core::{ComplianceRecord, Reporter, Scenario, ScenarioTables, Trace};
use detente_formats::trace::{ActDoc, trace_doc};
use detente_negotiators::Registry;
use detente_report::compliance::{ClaimBy, ComplianceTimeline, Verdict};
use detente_report::{FigureConfig, TraceView, html};

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

/// `[true accusations, false accusations, false denials, reports, monitor reports]` and the
/// acts keyed by `(round, party)`, from the records.
fn direct(trace: &Trace) -> ([usize; 5], BTreeMap<(u32, usize), Act>, usize) {
    let mut acts = BTreeMap::new();
    let mut beliefs = 0;
    for r in &trace.compliance {
        match *r {
            ComplianceRecord::Act {
                round, party, act, ..
            } => {
                acts.insert((round, party), act);
            }
            ComplianceRecord::Belief { .. } => beliefs += 1,
            _ => {}
        }
    }
    let mut c = [0; 5];
    for r in &trace.compliance {
        if let ComplianceRecord::Report {
            round,
            by,
            about,
            claim,
            ..
        } = *r
        {
            let truth = acts[&(round, about)];
            match (claim, truth) {
                (Act::Breach, Act::Breach) => c[0] += 1,
                (Act::Breach, Act::Comply) => c[1] += 1,
                (Act::Comply, Act::Breach) => c[2] += 1,
                (Act::Comply, Act::Comply) => {}
            }
            c[3] += 1;
            c[4] += usize::from(by == Reporter::Monitor);
        }
    }
    (c, acts, beliefs)
}

#[test]
fn the_worked_example_timeline_matches_its_records() {
    let s = pause();
    let names = vec!["boulware".to_string(); 2];
    for seed in 0..8 {
        let trace = play(&s, seed);
        let doc = trace_doc(&s, &trace, &names, None);
        let t = ComplianceTimeline::from_doc(&doc).expect("the example has obligations");
        let (c, acts, beliefs) = direct(&trace);
        assert!(t.truth_known);
        assert_eq!(t.rows.len(), acts.len(), "one row per act, seed {seed}");
        for row in &t.rows {
            let truth = acts[&(row.round, row.party)];
            assert_eq!(row.act.map(Act::from), Some(truth));
            for claim in &row.claims {
                let expected = if Act::from(claim.claim) == truth {
                    Verdict::True
                } else {
                    Verdict::False
                };
                assert_eq!(claim.verdict, expected);
            }
        }
        assert_eq!(t.true_accusations(), c[0], "seed {seed}");
        assert_eq!(t.false_accusations(), c[1], "seed {seed}");
        assert_eq!(t.false_denials(), c[2], "seed {seed}");
        let claims: usize = t.rows.iter().map(|r| r.claims.len()).sum();
        assert_eq!(claims, c[3]);
        let monitor = t
            .rows
            .iter()
            .flat_map(|r| &r.claims)
            .filter(|c| c.by == ClaimBy::Monitor)
            .count();
        assert_eq!(monitor, c[4], "no monitor in the example unless verified");
        let points: usize = t.beliefs.iter().map(|b| b.points.len()).sum();
        assert_eq!(points, beliefs);
        // Every event of the example but a settlement of the prisoners is about the pause
        // (its settlements, its call-off, its expiry): those are the milestones.
        let on_pause = doc
            .events
            .iter()
            .filter(|e| !e.description.starts_with("prisoners="))
            .count();
        assert_eq!(t.milestones.len(), on_pause, "seed {seed}");
        let page = html::trace_report(
            &TraceView::from_doc(&doc).unwrap(),
            Some(&s),
            None,
            &FigureConfig::default(),
        )
        .unwrap();
        assert_eq!(
            page.matches("<tr class=\"compliance-round\">").count(),
            acts.len()
        );
        assert_eq!(
            page.matches("verdict-false\">breach").count(),
            c[1],
            "false accusations are marked, seed {seed}"
        );
        assert_eq!(
            page.matches("<polyline class=\"belief ").count(),
            t.beliefs.len()
        );
    }
}

#[test]
fn reports_alone_leave_the_truth_unknown_and_no_records_no_section() {
    let s = pause();
    let names = vec!["boulware".to_string(); 2];
    let trace = play(&s, 3);
    let mut doc = trace_doc(&s, &trace, &names, None);
    doc.compliance
        .retain(|r| matches!(r, detente_formats::trace::ComplianceDoc::Report { .. }));
    let t = ComplianceTimeline::from_doc(&doc).unwrap();
    assert!(!t.truth_known);
    assert!(t.rows.iter().all(|r| r.act.is_none()));
    assert!(t.rows.iter().flat_map(|r| &r.claims).all(
        |c| c.verdict == Verdict::Unknown && matches!(c.claim, ActDoc::Breach | ActDoc::Comply)
    ));
    assert!(t.beliefs.is_empty());
    doc.compliance.clear();
    assert!(ComplianceTimeline::from_doc(&doc).is_none());
    let page = html::trace_report(
        &TraceView::from_doc(&doc).unwrap(),
        Some(&s),
        None,
        &FigureConfig::default(),
    )
    .unwrap();
    assert!(!page.contains("class=\"compliance\""));
}
