//! Golden tests: on every shared ANAC domain, the frontier, points and statistics equal the
//! independently computed reference values (`shared/reference/genius.json`), by both the
//! issue-by-issue and the enumerating path.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use detente_analysis::{
    Analysis, AnalysisConfig, Method, Point, Points, agreement_quality, analyze,
};
use detente_core::Scenario;
use serde_json::Value;

/// Tolerance for utilities and objective values (the reference reports doubles).
const TOL: f64 = 1e-9;

fn reference() -> Option<Value> {
    let path = detente_testkit::reference_json()?;
    let text = std::fs::read_to_string(&path).expect("reference file is readable");
    Some(serde_json::from_str(&text).expect("reference file is JSON"))
}

/// Loads a domain from the files the reference names (domain file, then profiles in
/// file-name order).
fn load(dir: &Path, entry: &Value) -> Scenario {
    let mut files: Vec<PathBuf> = vec![dir.join(entry["domain_file"].as_str().unwrap())];
    for p in entry["profile_files"].as_array().unwrap() {
        files.push(dir.join(p.as_str().unwrap()));
    }
    match detente_formats::load(&files) {
        Ok(l) => l.scenario,
        Err(e) => panic!("{}: {e}", dir.display()),
    }
}

/// An outcome as the reference writes it: value names in the reference's issue order.
fn names(sc: &Scenario, entry: &Value, p: &Point) -> Vec<String> {
    entry["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|issue| {
            let name = issue["name"].as_str().unwrap();
            let i = sc
                .space
                .issue_index(name)
                .unwrap_or_else(|| panic!("issue `{name}` missing"));
            sc.space.value(&p.outcome, i).unwrap().to_string()
        })
        .collect()
}

fn ref_points(v: &Value) -> BTreeMap<Vec<String>, Vec<f64>> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let o = p["outcome"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| match x {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect();
            let u = p["utilities"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect();
            (o, u)
        })
        .collect()
}

fn check_points(what: &str, sc: &Scenario, entry: &Value, got: &[Point], want: &Value) {
    let want = ref_points(want);
    let mut have = BTreeMap::new();
    for p in got {
        assert!(
            have.insert(names(sc, entry, p), p.utilities.clone())
                .is_none(),
            "{what}: outcome listed twice"
        );
    }
    let (hk, wk): (Vec<_>, Vec<_>) = (have.keys().collect(), want.keys().collect());
    assert_eq!(hk, wk, "{what}: outcomes differ");
    for (o, u) in &want {
        let h = &have[o];
        assert_eq!(h.len(), u.len(), "{what}: {o:?}");
        for (a, b) in h.iter().zip(u) {
            assert!((a - b).abs() <= TOL, "{what}: {o:?}: {h:?} vs {u:?}");
        }
    }
}

fn check_special(what: &str, sc: &Scenario, entry: &Value, got: &Points, want: &Value) {
    check_points(what, sc, entry, &got.points, &want["points"]);
    match (got.value, want["value"].as_f64()) {
        (Some(a), Some(b)) => assert!((a - b).abs() <= TOL, "{what}: value {a} vs {b}"),
        (None, None) => {}
        (a, b) => panic!("{what}: value {a:?} vs {b:?}"),
    }
}

fn close(what: &str, a: f64, b: f64) {
    assert!((a - b).abs() <= TOL, "{what}: {a} vs {b}");
}

/// Checks one domain against its reference entry, panicking on the first difference.
fn check_domain(dir: &Path, key: &str, entry: &Value) {
    let sc = load(dir, entry);
    let a = &entry["analysis"];
    let n = a["n_parties"].as_u64().unwrap() as usize;
    assert_eq!(sc.parties.len(), n, "{key}");
    for method in [Method::Auto, Method::Enumerate] {
        let cfg = AnalysisConfig {
            method,
            ..AnalysisConfig::default()
        };
        let what = |s: &str| format!("{key} ({method:?}): {s}");
        let got = analyze(&sc, &cfg).unwrap_or_else(|e| panic!("{}", what(&e.to_string())));
        if method == Method::Auto {
            assert_eq!(got.frontier.method, Method::IssueByIssue, "{key}");
        }
        check_stats(&what, &got, entry);
        check_points(
            &what("frontier"),
            &sc,
            entry,
            &got.frontier.points,
            &a["pareto_frontier"],
        );
        assert_eq!(
            got.stats.frontier_size as u64,
            a["pareto_size"].as_u64().unwrap(),
            "{key}"
        );
        assert_eq!(
            got.stats.frontier_distinct as u64,
            a["pareto_distinct_utility_vectors"].as_u64().unwrap(),
            "{}",
            what("distinct")
        );
        for (label, points, name) in [
            ("nash", &got.nash, "nash"),
            ("kalai", &got.kalai_smorodinsky, "kalai_smorodinsky"),
            ("welfare", &got.max_welfare, "max_welfare"),
            ("egalitarian", &got.egalitarian, "egalitarian"),
        ] {
            check_special(&what(label), &sc, entry, points, &a[name]);
        }
        check_quality(key, &got, &sc);
    }
}

/// The outcome counts and each party's smallest, largest and reservation utility; `what`
/// labels a message.
fn check_stats(what: &dyn Fn(&str) -> String, got: &Analysis, entry: &Value) {
    let a = &entry["analysis"];
    let st = &got.stats;
    assert_eq!(
        st.n_outcomes,
        Some(u128::from(a["n_outcomes"].as_u64().unwrap())),
        "{}",
        what("outcomes")
    );
    assert_eq!(
        st.n_individually_rational,
        a["n_individually_rational"].as_u64(),
        "{}",
        what("individually rational")
    );
    for (p, file) in entry["profile_files"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let prof = &entry["profiles"][file.as_str().unwrap()];
        close(
            &what("min"),
            st.min_utility[p],
            prof["min_utility"].as_f64().unwrap(),
        );
        close(
            &what("max"),
            st.max_utility[p],
            prof["max_utility"].as_f64().unwrap(),
        );
        close(
            &what("ideal"),
            st.max_utility[p],
            a["ideal"][p].as_f64().unwrap(),
        );
        close(
            &what("reservation"),
            st.reservation[p],
            a["disagreement"][p].as_f64().unwrap(),
        );
    }
}

/// Agreement quality at a Nash point (Pareto-optimal, at distance 0 from the frontier and
/// from Nash), and without agreement (the reservation values).
fn check_quality(key: &str, got: &Analysis, sc: &Scenario) {
    if let Some(p) = got.nash.points.first() {
        let q = agreement_quality(got, sc, Some(&p.outcome)).unwrap();
        assert!(q.pareto_optimal, "{key}");
        assert_eq!(q.distance_to_frontier, 0.0);
        assert_eq!(q.distance_to_nash, Some(0.0));
    }
    let q = agreement_quality(got, sc, None).unwrap();
    assert!(!q.agreement);
    assert_eq!(q.utilities, got.stats.reservation);
    // The report never says "Pareto-optimal" of a point off the frontier.
    assert_eq!(q.pareto_optimal, q.distance_to_frontier == 0.0, "{key}");
}

#[test]
fn every_shared_domain_matches_the_reference() {
    let Some(reference) = reference() else { return };
    let domains = detente_testkit::genius_domains();
    assert!(!domains.is_empty());
    let mut failed = Vec::new();
    for dir in &domains {
        let key = dir.file_name().unwrap().to_str().unwrap();
        let entry = reference
            .get(key)
            .unwrap_or_else(|| panic!("no reference values for {key}"));
        // Check every domain, then report all that differ.
        if std::panic::catch_unwind(|| check_domain(dir, key, entry)).is_err() {
            failed.push(key.to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "domains that differ from the reference: {failed:?}"
    );
    assert_eq!(domains.len(), reference.as_object().unwrap().len());
}
