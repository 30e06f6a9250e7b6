//! GENIUS XML reading: every shared domain against the reference values, brute-force
//! utilities from an independent evaluator, and the hand-written numeric and non-linear
//! fixtures.

use std::collections::HashMap;
use std::path::Path;

use detente_core::{Outcome, Scenario, Utility};
use detente_formats::{SourceFormat, genius};

use crate::common::*;
use detente_testkit::TempDir;

fn num(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap()
}

/// Checks one loaded domain against its entry in genius.json.
fn check_against_reference(dir: &Path, r: &serde_json::Value) {
    let loaded = load(dir);
    let s = &loaded.scenario;
    let what = dir.file_name().unwrap().to_string_lossy().to_string();
    let json = r["format"].as_str().unwrap() == "geniusweb-json";
    assert_eq!(
        loaded.format,
        if json {
            SourceFormat::GeniusWeb
        } else {
            SourceFormat::Genius
        },
        "{what}"
    );
    check_space(&what, s, r);
    check_profiles(&what, s, r);
    check_points(&what, s, r);
}

/// The outcome count, and the issues with their values, in order.
fn check_space(what: &str, s: &Scenario, r: &serde_json::Value) {
    assert_eq!(
        s.space.count(),
        Some(r["n_outcomes"].as_u64().unwrap() as u128),
        "{what}: outcome count"
    );
    let ref_issues = r["issues"].as_array().unwrap();
    assert_eq!(
        s.space.issues().len(),
        ref_issues.len(),
        "{what}: issue count"
    );
    for (issue, ri) in s.space.issues().iter().zip(ref_issues) {
        assert_eq!(
            issue.name,
            ri["name"].as_str().unwrap(),
            "{what}: issue order"
        );
        let values: Vec<String> = (0..issue.cardinality() as u32)
            .map(|v| issue.value(v).unwrap().to_string())
            .collect();
        let ref_values: Vec<String> = ri["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        assert_eq!(values, ref_values, "{what}: values of {}", issue.name);
    }
}

/// The parties in profile-file order, each with the reference reservation value, discount
/// factor and smallest and largest utility.
fn check_profiles(what: &str, s: &Scenario, r: &serde_json::Value) {
    let files: Vec<&str> = r["profile_files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    let names: Vec<String> = files
        .iter()
        .map(|f| {
            Path::new(f)
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .to_string()
        })
        .collect();
    let party_names: Vec<String> = s.parties.iter().map(|p| p.name.clone()).collect();
    assert_eq!(party_names, names, "{what}: parties in file-name order");
    let utilities = all_utilities(s);
    for (k, f) in files.iter().enumerate() {
        let rp = &r["profiles"][*f];
        let prefs = &s.parties[k].preferences;
        assert!(
            (prefs.reservation - num(&rp["reservation_value"])).abs() <= 1e-12,
            "{what}/{f}: reservation {}",
            prefs.reservation
        );
        assert_eq!(
            prefs.discount,
            num(&rp["discount_factor"]),
            "{what}/{f}: discount"
        );
        let min = utilities[k].iter().copied().fold(f64::INFINITY, f64::min);
        let max = utilities[k]
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        assert!(
            (min - num(&rp["min_utility"])).abs() <= 1e-12,
            "{what}/{f}: min utility {min}"
        );
        assert!(
            (max - num(&rp["max_utility"])).abs() <= 1e-12,
            "{what}/{f}: max utility {max}"
        );
    }
}

/// Every listed point (Nash and the others) has the reference utilities, and there are at
/// least three.
fn check_points(what: &str, s: &Scenario, r: &serde_json::Value) {
    let mut checked = 0;
    for kind in ["nash", "kalai_smorodinsky", "max_welfare", "egalitarian"] {
        for pt in r["analysis"][kind]["points"].as_array().unwrap() {
            let values: Vec<&str> = pt["outcome"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            let pairs = s
                .space
                .issues()
                .iter()
                .map(|i| i.name.as_str())
                .zip(values.iter().copied());
            let o = s.space.parse_assignment(pairs).unwrap();
            let us = s.utilities(&o);
            for (u, ru) in us.iter().zip(pt["utilities"].as_array().unwrap()) {
                assert!(
                    (u - num(ru)).abs() <= 1e-12,
                    "{what}: {kind} point {values:?}: {u} vs {ru}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 3, "{what}: too few reference points");
}

#[test]
fn every_shared_domain_matches_the_reference() {
    let Some(reference) = reference() else { return };
    let domains = detente_testkit::genius_domains();
    assert!(
        domains.len() >= 26,
        "expected the 26 shared domains, found {}",
        domains.len()
    );
    for dir in &domains {
        let key = dir.file_name().unwrap().to_string_lossy().to_string();
        let r = &reference[key.as_str()];
        assert!(r.is_object(), "{key} is missing from genius.json");
        check_against_reference(dir, r);
    }
}

fn track(stack: &mut Vec<String>, t: &Tag) {
    if t.closing {
        stack.pop();
    } else if !t.self_closing {
        stack.push(t.name.clone());
    }
}

/// An independent GENIUS evaluator for flat domains (issues directly under the root
/// objective, as in all the shared files): per profile in file-name order, every outcome's
/// utility in id order.
fn brute_force_genius(dir: &Path) -> Vec<Vec<f64>> {
    let mut domain = None;
    let mut profiles = Vec::new();
    for f in files_of(dir) {
        let text = std::fs::read_to_string(&f).unwrap();
        let t = tags(&text);
        if t[0].name == "negotiation_template" {
            domain = Some(t)
        } else {
            profiles.push(t)
        }
    }
    let mut issues: Vec<(String, Vec<String>)> = Vec::new();
    let mut cur: Option<(String, Vec<String>)> = None;
    // Only <item>s directly inside an <issue> count (not those of <similarity_function>s).
    let mut stack: Vec<String> = Vec::new();
    for t in domain.unwrap() {
        let parent_is_issue = stack.last().is_some_and(|p| p == "issue");
        match (t.name.as_str(), t.closing) {
            ("issue", false) => {
                let c = (t.attrs["index"].clone(), Vec::new());
                if t.self_closing {
                    issues.push(c)
                } else {
                    cur = Some(c)
                }
            }
            ("issue", true) => issues.push(cur.take().unwrap()),
            ("item", false) if parent_is_issue => {
                cur.as_mut().unwrap().1.push(t.attrs["value"].clone())
            }
            _ => {}
        }
        track(&mut stack, &t);
    }
    let mut out = Vec::new();
    for p in profiles {
        let mut evals: HashMap<String, HashMap<String, f64>> = HashMap::new();
        let mut weights: HashMap<String, f64> = HashMap::new();
        let mut idx = String::new();
        let mut stack: Vec<String> = Vec::new();
        for t in &p {
            let parent_is_issue = stack.last().is_some_and(|p| p == "issue");
            track(&mut stack, t);
            match (t.name.as_str(), t.closing) {
                ("issue", false) => idx = t.attrs["index"].clone(),
                ("item", false) if parent_is_issue => {
                    if let Some(e) = t.attrs.get("evaluation") {
                        evals
                            .entry(idx.clone())
                            .or_default()
                            .insert(t.attrs["value"].clone(), e.trim().parse().unwrap());
                    }
                }
                ("weight", false) => {
                    weights.insert(
                        t.attrs["index"].clone(),
                        t.attrs["value"].trim().parse().unwrap(),
                    );
                }
                _ => {}
            }
        }
        let n: usize = issues.iter().map(|i| i.1.len()).product();
        let mut us = Vec::with_capacity(n);
        let mut digits = vec![0usize; issues.len()];
        for _ in 0..n {
            let mut sum = 0.0;
            for (k, (index, values)) in issues.iter().enumerate() {
                let e = &evals[index];
                let max = e.values().copied().fold(f64::NEG_INFINITY, f64::max);
                let x = if max < 1e-5 {
                    0.0
                } else {
                    e[&values[digits[k]]] / max
                };
                sum += weights[index] * x;
            }
            us.push(if sum > 1.0 { 1.0 } else { sum });
            for k in (0..digits.len()).rev() {
                digits[k] += 1;
                if digits[k] < issues[k].1.len() {
                    break;
                }
                digits[k] = 0;
            }
        }
        out.push(us);
    }
    out
}

#[test]
fn utilities_equal_an_independent_brute_force() {
    let Some(_) = detente_testkit::shared_dir() else {
        return;
    };
    let mut done = Vec::new();
    for dir in detente_testkit::genius_domains() {
        if is_json(&dir) {
            continue;
        }
        let loaded = load(&dir);
        if loaded.scenario.space.count().unwrap() > 40_000 {
            continue;
        }
        let mine = all_utilities(&loaded.scenario);
        let brute = brute_force_genius(&dir);
        assert_eq!(mine.len(), brute.len());
        for (k, (a, b)) in mine.iter().zip(&brute).enumerate() {
            assert_eq!(a.len(), b.len());
            for (id, (x, y)) in a.iter().zip(b).enumerate() {
                assert!(
                    (x - y).abs() <= 1e-12,
                    "{}: party {k} outcome {id}: {x} vs {y}",
                    dir.display()
                );
            }
        }
        done.push(dir.file_name().unwrap().to_string_lossy().to_string());
    }
    for must in [
        "FitnessC",
        "Laptop",
        "FlightBookingA",
        "TriangularFight",
        "Dinner",
        "University",
    ] {
        assert!(
            done.iter().any(|d| d == must),
            "{must} was not brute-forced"
        );
    }
}

#[test]
fn fitness_quirks_are_reported() {
    let Some(dir) = detente_testkit::genius_domain("FitnessC") else {
        return;
    };
    let loaded = load(&dir);
    // Issues are indexed 2..6 and the root objective's own weight (index 1) is ignored.
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.location.contains("<weight index=\"1\">")),
        "{:#?}",
        loaded.diagnostics
    );
    let Some(dir) = detente_testkit::genius_domain("Laptop") else {
        return;
    };
    let loaded = load(&dir);
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.message.contains("sum to 1.0000518")),
        "{:#?}",
        loaded.diagnostics
    );
    assert!(loaded.scenario.description.contains("laptop_domain.xml"));
    assert!(!loaded.scenario.description.contains('/'));
}

fn numeric() -> detente_formats::Loaded {
    genius::load_dir(&data_dir().join("genius").join("numeric")).unwrap()
}

#[test]
fn numeric_fixture_follows_genius_formulas() {
    let loaded = numeric();
    let s = &loaded.scenario;
    let names: Vec<_> = s.space.issues().iter().map(|i| i.name.as_str()).collect();
    // The sub-objective's issue comes first, as GENIUS builds objectives before issues.
    assert_eq!(names, ["extra", "colour", "qty", "price"]);
    assert_eq!(s.space.count(), Some(2 * 3 * 5 * 5));
    let clamp = |x: f64| x.clamp(0.0, 1.0);
    let a = &s.parties[0].preferences;
    let b = &s.parties[1].preferences;
    assert_eq!(
        (s.parties[0].name.as_str(), s.parties[1].name.as_str()),
        ("numeric-a", "numeric-b")
    );
    assert_eq!((a.reservation, a.discount), (0.3, 1.0));
    assert_eq!((b.reservation, b.discount), (0.0, 0.8));
    for o in s.space.outcomes(1000).unwrap() {
        let [e, c, q, p] = o.0[..] else {
            unreachable!()
        };
        let qty = 10.0 + f64::from(q);
        let price = f64::from(p) * 0.25;
        let ua = 0.25 * [1.0, 0.0][e as usize]
            + 0.3 * [3.0, 4.0, 1.0][c as usize] / 4.0
            + 0.3 * clamp(0.3 * (qty - 10.0) + 0.1)
            + 0.2 * clamp(1.0 - price);
        let tri = if price < 0.5 {
            price / 0.5
        } else {
            1.0 - (price - 0.5) / 0.5
        };
        let ub = 0.5 * [3.0, 5.0][e as usize] / 5.0
            + 0.1 * 0.0
            + 0.4 * clamp(-0.2 * (qty - 12.0) + 0.5)
            + 0.5 * tri;
        assert!(
            (a.utility(&o) - ua.min(1.0)).abs() <= 1e-12,
            "{o:?}: {} vs {ua}",
            a.utility(&o)
        );
        assert!(
            (b.utility(&o) - ub.min(1.0)).abs() <= 1e-12,
            "{o:?}: {} vs {ub}",
            b.utility(&o)
        );
    }
    let said = |needle: &str| {
        loaded
            .diagnostics
            .iter()
            .any(|d| d.message.contains(needle))
    };
    assert!(said("listed twice"), "{:#?}", loaded.diagnostics);
    assert!(said("discount factor 2 is outside"));
    assert!(said("the weight is ignored"));
    assert!(said("no <reservation>"));
    assert!(said("sum to"));
}

#[test]
fn real_issues_get_a_default_discretisation_with_a_diagnostic() {
    let dir = TempDir::new("real-default");
    let domain = std::fs::read_to_string(data_dir().join("genius/numeric/numeric-domain.xml"))
        .unwrap()
        .replace(" steps=\"5\"", "");
    std::fs::write(dir.join("d.xml"), domain).unwrap();
    for p in ["numeric-a.xml", "numeric-b.xml"] {
        std::fs::copy(data_dir().join("genius/numeric").join(p), dir.join(p)).unwrap();
    }
    let loaded = genius::load_dir(dir.path()).unwrap();
    let price = &loaded.scenario.space.issues()[3];
    assert_eq!(price.cardinality(), u64::from(genius::DEFAULT_REAL_STEPS));
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.message.contains("discretises"))
    );
}

#[test]
fn nonlinear_fixture_reads_hyperrectangles() {
    let loaded = genius::load_dir(&data_dir().join("genius").join("nonlinear")).unwrap();
    let s = &loaded.scenario;
    assert_eq!(s.space.count(), Some(125));
    assert!(matches!(
        s.parties[0].preferences.utility,
        Utility::Hyperrectangles(_)
    ));
    let (p1, p2) = (&s.parties[0].preferences, &s.parties[1].preferences);
    assert_eq!(
        (p1.reservation, p1.discount, p2.reservation, p2.discount),
        (0.2, 0.9, 0.0, 1.0)
    );
    let mut capped = 0;
    for o in s.space.outcomes(1000).unwrap() {
        let [i1, i2, i3] = o.0[..] else {
            unreachable!()
        };
        let s1 = 60.0 * f64::from(u8::from(i1 <= 2 && (1..=3).contains(&i2)))
            + 50.0 * f64::from(u8::from(i3 >= 2))
            + 15.0;
        let s2 =
            40.0 * f64::from(u8::from(i2 == 0)) + 80.0 * f64::from(u8::from(i1 >= 3 && i3 <= 1));
        assert!(
            (p1.utility(&o) - (s1 / 100.0).min(1.0)).abs() <= 1e-12,
            "{o:?}"
        );
        assert!(
            (p2.utility(&o) - (s2 / 90.0).min(1.0)).abs() <= 1e-12,
            "{o:?}"
        );
        capped += usize::from(s1 > 100.0);
    }
    assert!(capped > 0);
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.message.contains("can never apply"))
    );
    let _ = Outcome(vec![]);
}

#[test]
fn load_dir_skips_non_xml_files() {
    let dir = TempDir::new("pareto");
    for f in files_of(&data_dir().join("genius/nonlinear")) {
        std::fs::copy(&f, dir.join(f.file_name().unwrap())).unwrap();
    }
    std::fs::write(dir.join("pareto.xml"), "0.5, 0.9\n1.0, 0.2\n").unwrap();
    let loaded = genius::load_dir(dir.path()).unwrap();
    assert_eq!(loaded.scenario.parties.len(), 2);
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.path.ends_with("pareto.xml"))
    );
}
