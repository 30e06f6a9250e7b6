//! Reports and plots of real negotiations on every shipped scenario, checked by the structure
//! of their SVG (counts of elements by class, coordinates inside the plot area).

use std::path::{Path, PathBuf};

use detente_core::protocol::{Protocol, ProtocolConfig, Saop};
use detente_core::{ActionKind, NegotiatorSpec, Scenario, ScenarioTables, Trace};
use detente_formats::trace::{TraceDoc, trace_doc};
use detente_report::plot::utility_space::{self, CloudMarks};
use detente_report::plot::{concession, tournament};
use detente_report::{FigureConfig, ScenarioFigures, TraceView, html};

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

fn shipped() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for d in std::fs::read_dir(scenarios_dir()).unwrap() {
        let d = d.unwrap().path();
        if d.is_dir() {
            for f in std::fs::read_dir(&d).unwrap() {
                let f = f.unwrap().path();
                if f.extension().is_some_and(|e| e == "toml") {
                    out.push(f);
                }
            }
        }
    }
    out.sort();
    assert!(out.len() >= 3, "shipped scenarios not found: {out:?}");
    out
}

/// The view of a trace, as every caller makes it: through its document.
fn view_of(scenario: &Scenario, trace: &Trace, names: &[String]) -> TraceView {
    TraceView::from_doc(&trace_doc(scenario, trace, names, None)).unwrap()
}

fn run(scenario: &Scenario, kinds: &[&str], seed: u64) -> (Trace, Vec<String>) {
    let specs: Vec<NegotiatorSpec> = (0..scenario.parties.len())
        .map(|i| NegotiatorSpec::new(kinds[i % kinds.len()]))
        .collect();
    let registry = detente_negotiators::Registry::builtin();
    let negs = specs.iter().map(|s| registry.create(s).unwrap()).collect();
    let tables = ScenarioTables::for_scenario(scenario);
    let trace = Saop::new(
        scenario,
        &tables,
        negs,
        ProtocolConfig::from_scenario(scenario),
        seed,
    )
    .run();
    (trace, specs.iter().map(ToString::to_string).collect())
}

/// Values of attribute `attr` of every element whose class attribute is exactly `class`.
fn attr_of_class(svg: &str, class: &str, attr: &str) -> Vec<f64> {
    let needle = format!(r#"class="{class}""#);
    svg.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &svg[i..];
            let end = rest.find('>').unwrap();
            let tag = &rest[..end];
            let key = format!(r#" {attr}=""#);
            let at = tag
                .find(&key)
                .unwrap_or_else(|| panic!("no {attr} in {tag}"));
            let v = &tag[at + key.len()..];
            v[..v.find('"').unwrap()].parse().unwrap()
        })
        .collect()
}

#[test]
fn every_shipped_scenario_gets_a_full_report() {
    let config = FigureConfig::default();
    for path in shipped() {
        let loaded = detente_formats::scenario_toml::load(&path).unwrap();
        let scenario = loaded.scenario;
        let (trace, names) = run(&scenario, &["boulware", "conceder", "linear"], 7);
        let view = view_of(&scenario, &trace, &names);
        let figures = ScenarioFigures::compute(&scenario, &config);
        assert!(
            figures.analysis.is_some(),
            "{}: {:?}",
            path.display(),
            figures.analysis_error
        );
        let page = html::trace_report(&view, Some(&scenario), Some(&figures), &config).unwrap();
        let n = scenario.parties.len();
        assert_eq!(
            page.matches("<tr class=\"action ").count(),
            trace.entries.len(),
            "{}: transcript lists every action",
            path.display()
        );
        assert_eq!(page.matches("class=\"panel pair-").count(), n * (n - 1) / 2);
        assert_eq!(page.matches("class=\"panel proposer-").count(), n);
        assert_eq!(
            page.matches("<polyline class=\"frontier\"").count(),
            n * (n - 1) / 2
        );
        assert!(page.contains("id=\"frontier-size\""));
        // Self-contained: no external resources.
        for bad in [
            "<link",
            "src=",
            "href=\"http",
            "url(",
            "@import",
            "xmlns=\"http",
        ] {
            assert!(!page.contains(bad), "{}: contains {bad}", path.display());
        }
        // Every offer is drawn once per panel it appears in.
        let offers = trace
            .entries
            .iter()
            .filter(|e| e.kind == ActionKind::Offer)
            .count();
        assert_eq!(
            page.matches("class=\"offer\"").count(),
            offers * n * (n - 1) / 2
        );
    }
}

#[test]
fn two_party_plot_draws_frontier_points_and_stays_in_its_area() {
    let loaded = detente_formats::scenario_toml::load(
        &scenarios_dir().join("buyer-seller/buyer-seller.toml"),
    )
    .unwrap();
    let scenario = loaded.scenario;
    let (trace, names) = run(&scenario, &["boulware", "conceder"], 3);
    let view = view_of(&scenario, &trace, &names);
    let config = FigureConfig::default();
    let figures = ScenarioFigures::compute(&scenario, &config);
    let a = figures.analysis.as_ref().unwrap();
    let d = utility_space::utility_space(&view, Some(&figures), 0, 1, &config).unwrap();
    check_frontier_and_points(&d, a);
    match &d.cloud {
        CloudMarks::Points(p) => assert!(p.len() <= scenario.space.count().unwrap() as usize),
        other => panic!("small space drawn as {other:?}"),
    }
    let svg = utility_space::render(&d, "t");
    let offers = trace
        .entries
        .iter()
        .filter(|e| e.kind == ActionKind::Offer)
        .count();
    assert_eq!(svg.matches("class=\"offer\"").count(), offers);
    check_marks_match_data(&svg, &d);
    // Single panel: plot area at (70, 50), 440 x 440.
    let area = detente_report::layout::Rect {
        x: 70.0,
        y: 50.0,
        w: 440.0,
        h: 440.0,
    };
    for class in ["offer", "outcome", "frontier-point"] {
        let xs = attr_of_class(&svg, class, "cx");
        let ys = attr_of_class(&svg, class, "cy");
        assert!(!xs.is_empty(), "{class}");
        for (x, y) in xs.iter().zip(&ys) {
            assert!(
                area.contains((*x, *y)),
                "{class} at ({x}, {y}) outside {area:?}"
            );
        }
    }
}

/// The frontier drawn is the analysis frontier's distinct points, increasing in x and
/// decreasing in y; the Nash points drawn are among the analysis' ones.
fn check_frontier_and_points(d: &utility_space::UtilitySpaceData, a: &detente_analysis::Analysis) {
    assert!(!d.frontier.is_empty());
    assert!(d.frontier.len() <= a.frontier.len());
    for w in d.frontier.windows(2) {
        assert!(w[0][0] <= w[1][0] && w[0][1] >= w[1][1], "{w:?}");
    }
    for p in &a.frontier.points {
        assert!(
            d.frontier
                .iter()
                .any(|q| (q[0] - p.utilities[0]).abs() < 1e-9
                    && (q[1] - p.utilities[1]).abs() < 1e-9)
        );
    }
    assert!(!d.nash.is_empty() && d.nash.len() <= a.nash.points.len());
}

/// The SVG has one mark per special point, frontier point and legend entry of the data.
fn check_marks_match_data(svg: &str, d: &utility_space::UtilitySpaceData) {
    assert_eq!(svg.matches("class=\"nash\"").count(), d.nash.len());
    assert_eq!(
        svg.matches("class=\"ks\"").count(),
        d.kalai_smorodinsky.len()
    );
    assert_eq!(
        svg.matches("class=\"agreement\"").count(),
        usize::from(d.agreement.is_some())
    );
    assert_eq!(
        svg.matches("class=\"frontier-point\"").count(),
        d.frontier.len()
    );
    assert_eq!(
        svg.matches("class=\"legend-entry\"").count(),
        utility_space::legend_items(&[d]).len()
    );
}

#[test]
fn large_spaces_are_drawn_as_density() {
    let loaded = detente_formats::scenario_toml::load(
        &scenarios_dir().join("buyer-seller/buyer-seller.toml"),
    )
    .unwrap();
    let scenario = loaded.scenario;
    let (trace, names) = run(&scenario, &["linear"], 1);
    let view = view_of(&scenario, &trace, &names);
    let total = scenario.space.count().unwrap() as usize;
    // Force density (fewer points allowed than outcomes) and sampling (tiny enumeration limit).
    let config = FigureConfig {
        points_limit: total - 1,
        enumeration_limit: 10,
        sample: 500,
        ..FigureConfig::default()
    };
    let figures = ScenarioFigures::compute(&scenario, &config);
    let cloud = figures.cloud.as_ref().unwrap();
    assert!(cloud.sampled);
    assert_eq!(cloud.len(), 500);
    let again = ScenarioFigures::compute(&scenario, &config);
    assert_eq!(again.cloud, figures.cloud, "the sample is deterministic");
    let config = FigureConfig {
        points_limit: 100,
        ..config
    };
    let d = utility_space::utility_space(&view, Some(&figures), 0, 1, &config).unwrap();
    let CloudMarks::Density { counts, sampled } = &d.cloud else {
        panic!("{:?}", d.cloud)
    };
    assert!(sampled);
    assert_eq!(counts.iter().flatten().sum::<u64>(), 500);
    let svg = utility_space::render(&d, "t");
    let cells = counts.iter().flatten().filter(|&&c| c > 0).count();
    assert_eq!(svg.matches("class=\"density-cell\"").count(), cells);
    assert!(svg.contains("outcome density (sample)"));
}

#[test]
fn json_trace_round_trips_into_the_same_view() {
    let loaded =
        detente_formats::scenario_toml::load(&scenarios_dir().join("pie/pie.toml")).unwrap();
    let scenario = loaded.scenario;
    let (trace, names) = run(&scenario, &["boulware", "conceder"], 5);
    let doc = trace_doc(&scenario, &trace, &names, None);
    let read = TraceDoc::from_json_str(&doc.to_json(), Path::new("t.json")).unwrap();
    let from_json = TraceView::from_doc(&read).unwrap();
    let direct = view_of(&scenario, &trace, &names);
    assert_eq!(from_json.parties, direct.parties);
    assert_eq!(from_json.actions.len(), direct.actions.len());
    for (a, b) in from_json.actions.iter().zip(&direct.actions) {
        assert_eq!(
            (a.round, a.party, a.kind, &a.utilities),
            (b.round, b.party, b.kind, &b.utilities)
        );
        assert_eq!(a.time, b.time);
        assert_eq!(a.offer, b.offer);
        let entry = &trace.entries[direct.actions.iter().position(|x| x == b).unwrap()];
        assert_eq!(b.utilities, entry.utilities);
        assert_eq!(
            b.offer,
            entry
                .outcome
                .as_ref()
                .filter(|_| entry.kind == ActionKind::Offer)
                .map(|o| scenario.space.display(o).to_string())
        );
    }
    assert_eq!(from_json.result, direct.result);
    assert_eq!(from_json, direct);
    // The agreement's utilities are those of the scenario (no event changed preferences).
    let agreement = trace.result.agreement.as_ref().expect("these two agree");
    assert_eq!(
        direct.result.agreement_utilities,
        Some(scenario.utilities(agreement))
    );
    assert_eq!(
        concession::concession(&from_json),
        concession::concession(&direct)
    );
    // Without the scenario the report still has the trajectories and the transcript.
    let page = html::trace_report(&from_json, None, None, &FigureConfig::default()).unwrap();
    assert!(page.contains("--scenario"));
    assert_eq!(
        page.matches("<tr class=\"action ").count(),
        trace.entries.len()
    );
    assert_eq!(page.matches("<polyline class=\"frontier\"").count(), 0);
}

#[test]
fn bad_traces_are_reported_with_their_place() {
    // A document made in code is checked too (files are checked as they are read).
    let check = |doc: serde_json::Value, expect: &str| {
        let doc: TraceDoc = serde_json::from_value(doc).unwrap();
        let e = TraceView::from_doc(&doc).unwrap_err().to_string();
        assert!(e.contains(expect), "{e}");
    };
    let base = serde_json::json!({
        "format": "detente-trace/1", "scenario": "s", "issues": ["x"],
        "parties": [{"name": "A", "reservation": 0.0}, {"name": "B", "reservation": 0.0}],
        "seed": 1, "deadline": 3,
        "actions": [{"round": 0, "time": 0.0, "party": "A", "action": "offer", "offer": {"x": 1}, "utilities": {"A": 1.0, "B": 0.0}}],
        "result": {"termination": "deadline", "agreement": null, "rounds": 3, "time": 1.0, "utilities": {"A": 0.0, "B": 0.0}}
    });
    let view = |d: &serde_json::Value| {
        TraceView::from_doc(&serde_json::from_value::<TraceDoc>(d.clone()).unwrap())
    };
    assert!(view(&base).is_ok());
    let mut d = base.clone();
    d["actions"][0]["party"] = "C".into();
    check(d, "$.actions[0].party: `C` is not a party");
    let mut d = base.clone();
    d["actions"][0]["offer"] = serde_json::Value::Null;
    check(d, "$.actions[0].offer: missing for an offer");
    let mut d = base.clone();
    d["actions"][0]["utilities"] = serde_json::json!({"A": 1.0});
    check(d, "$.actions[0].utilities: no value for party `B`");
    let mut d = base.clone();
    d["format"] = "other/1".into();
    check(d, "$.format");
    // Events are marks at their round's share of the deadline.
    let mut d = base.clone();
    d["deadline"] = 4.into();
    d["events"] = serde_json::json!([{"round": 2, "name": "shock"}]);
    let v = view(&d).unwrap();
    assert_eq!(v.events[0].time, 0.5);
    assert_eq!(v.events[0].label, "shock");
}

#[test]
fn reads_and_reports_a_small_tournament() {
    let temp = detente_testkit::TempDir::new("report-tournament");
    let out = temp.join("out");
    let plan_text = r#"
format = 1
name = "small"
seed = 11
repetitions = 2
scenarios = ["pie/pie.toml", "buyer-seller/buyer-seller.toml"]
[[negotiators]]
kind = "boulware"
[[negotiators]]
kind = "conceder"
[[negotiators]]
kind = "hardliner"
"#;
    let plan = detente_tournament::Plan::parse(
        plan_text,
        Path::new("plan.toml"),
        &scenarios_dir(),
        &detente_negotiators::Registry::builtin(),
    )
    .unwrap();
    let report = detente_tournament::run(
        &plan,
        &detente_tournament::RunConfig::new(&out),
        &detente_tournament::Hooks::default(),
    )
    .unwrap();
    let output = detente_tournament::read_output(&out).unwrap();
    let t = tournament::TournamentData::from_output(output).unwrap();
    assert_eq!(t.summary, report.summary.unwrap());
    let k = t.summary.negotiators.len();
    let page = html::tournament_report(&t);
    assert_eq!(page.matches("<tr class=\"negotiator\"").count(), k);
    assert_eq!(page.matches("class=\"heat-cell").count(), k * k);
    assert_eq!(page.matches("class=\"mean\"").count(), 2 * k);
    assert_eq!(page.matches("table class=\"ranking sortable\"").count(), 1);
    // Every negotiator met every other one (with self-play): no empty cell.
    assert_eq!(page.matches("class=\"heat-cell empty\"").count(), 0);
    let svg = tournament::render_summary(&t, "x");
    assert_eq!(svg.matches("class=\"row-label\"").count(), k);
    // A folder that is not a tournament.
    let e = detente_tournament::read_output(&scenarios_dir())
        .unwrap_err()
        .to_string();
    assert!(e.contains("manifest.json"), "{e}");
}
