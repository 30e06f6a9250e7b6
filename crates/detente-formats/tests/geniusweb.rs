//! GeniusWeb JSON reading: brute force against serde_json, and the ANL 2023 specials.

use std::path::Path;

use detente_formats::geniusweb;

use crate::common::*;
use detente_testkit::TempDir;

/// Brute force straight from the JSON (issue order from the reference's `issues` list,
/// since serde_json's map does not keep key order): every outcome's utility per profile.
fn brute_force(dir: &Path, issue_order: &[String]) -> Vec<Vec<f64>> {
    let mut out = Vec::new();
    let mut profiles: Vec<_> = files_of(dir).into_iter().collect();
    profiles.sort();
    let domain: serde_json::Value = profiles
        .iter()
        .map(|p| {
            serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(p).unwrap()).unwrap()
        })
        .find(|v| v.get("issuesValues").is_some())
        .unwrap();
    let values: Vec<Vec<String>> = issue_order
        .iter()
        .map(|i| {
            domain["issuesValues"][i]["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        })
        .collect();
    for p in profiles {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        let Some(las) = v.get("LinearAdditiveUtilitySpace") else {
            continue;
        };
        let n: usize = values.iter().map(Vec::len).product();
        let mut us = Vec::with_capacity(n);
        let mut digits = vec![0usize; values.len()];
        for _ in 0..n {
            let mut u = 0.0;
            for (k, issue) in issue_order.iter().enumerate() {
                let w = las["issueWeights"][issue].as_f64().unwrap();
                let spec = las["issueUtilities"][issue]
                    .as_object()
                    .unwrap()
                    .values()
                    .next()
                    .unwrap();
                u += w * spec["valueUtilities"][&values[k][digits[k]]]
                    .as_f64()
                    .unwrap();
            }
            us.push(u);
            for k in (0..digits.len()).rev() {
                digits[k] += 1;
                if digits[k] < values[k].len() {
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
    let Some(reference) = reference() else { return };
    for name in ["GW_FlightBooking", "ANL2023_domain09"] {
        let dir = detente_testkit::genius_domain(name).unwrap();
        let order: Vec<String> = reference[name]["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap().to_string())
            .collect();
        let loaded = load(&dir);
        let mine = all_utilities(&loaded.scenario);
        let brute = brute_force(&dir, &order);
        assert_eq!(mine.len(), 2);
        assert_eq!(mine.len(), brute.len());
        for (a, b) in mine.iter().zip(&brute) {
            for (id, (x, y)) in a.iter().zip(b).enumerate() {
                assert!((x - y).abs() <= 1e-12, "{name} outcome {id}: {x} vs {y}");
            }
        }
    }
}

#[test]
fn specials_points_have_their_utilities() {
    let Some(dir) = detente_testkit::genius_domain("ANL2023_domain09") else {
        return;
    };
    let loaded = load(&dir);
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.path.ends_with("specials.json") && d.message.contains("skipped"))
    );
    let s = &loaded.scenario;
    let specials: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("specials.json")).unwrap()).unwrap();
    assert_eq!(
        s.space.count(),
        Some(specials["size"].as_u64().unwrap() as u128)
    );
    let check = |pt: &serde_json::Value| {
        let bid = pt["bid"].as_object().unwrap();
        let o = s
            .space
            .parse_assignment(bid.iter().map(|(k, v)| (k.as_str(), v.as_str().unwrap())))
            .unwrap();
        for (u, r) in s
            .utilities(&o)
            .iter()
            .zip(pt["utility"].as_array().unwrap())
        {
            assert!(
                (u - r.as_f64().unwrap()).abs() <= 1e-9,
                "{bid:?}: {u} vs {r}"
            );
        }
    };
    for key in ["nash", "kalai", "social_welfare"] {
        check(&specials[key]);
    }
    let front = specials["pareto_front"].as_array().unwrap();
    assert!(!front.is_empty());
    front.iter().for_each(check);
}

#[test]
fn reservation_bid_gives_the_reservation_value() {
    let Some(dir) = detente_testkit::genius_domain("GW_FlightBooking") else {
        return;
    };
    let loaded = geniusweb::load_dir(&dir).unwrap();
    let p = &loaded.scenario.parties[0];
    assert_eq!(p.name, "flightbooking1");
    assert!((p.preferences.reservation - 0.70845).abs() <= 1e-12);
    assert_eq!(p.preferences.discount, 1.0);
}

#[test]
fn number_issues_read_as_integer_or_real() {
    let dir = TempDir::new("gw-number");
    std::fs::write(
        dir.join("dom.json"),
        r#"{"name": "n", "issuesValues": {"count": {"range": [1, 5, 1]}, "level": {"range": {"low": 0.0, "high": 1.0, "step": 0.25}}, "c": {"values": ["x", "y"]}}}"#,
    )
    .unwrap();
    let profile = |lu: f64, hu: f64, rb: &str| {
        format!(
            r#"{{"LinearAdditiveUtilitySpace": {{"issueWeights": {{"count": 0.5, "level": 0.3, "c": 0.2}},
            "issueUtilities": {{"count": {{"numberutils": {{"lowValue": 2, "lowUtility": {lu}, "highValue": 4, "highUtility": {hu}}}}},
            "level": {{"NumberValueSetUtilities": {{"lowValue": 0, "lowUtility": 0, "highValue": 1, "highUtility": 1}}}},
            "c": {{"discreteutils": {{"valueUtilities": {{"x": 1, "y": 0.5}}}}}}}}, "reservationBid": {rb}}}}}"#
        )
    };
    std::fs::write(
        dir.join("p1.json"),
        profile(
            0.2,
            1.0,
            r#"{"issuevalues": {"count": 3, "level": 0.5, "c": "y"}}"#,
        ),
    )
    .unwrap();
    std::fs::write(dir.join("p2.json"), profile(1.0, 0.0, "null")).unwrap();
    let loaded = geniusweb::load_dir(dir.path()).unwrap();
    let s = &loaded.scenario;
    assert!(matches!(
        s.space.issues()[0].kind,
        detente_core::IssueKind::Integer { min: 1, max: 5 }
    ));
    assert!(matches!(
        s.space.issues()[1].kind,
        detente_core::IssueKind::Real { steps: 5, .. }
    ));
    for o in s.space.outcomes(1000).unwrap() {
        let count = 1.0 + f64::from(o.0[0]);
        let level = f64::from(o.0[1]) * 0.25;
        let interp = |lu: f64, hu: f64| {
            if (2.0..=4.0).contains(&count) {
                lu + (hu - lu) * (count - 2.0) / 2.0
            } else {
                0.0
            }
        };
        let c = [1.0, 0.5][o.0[2] as usize];
        for (k, (lu, hu)) in [(0.2, 1.0), (1.0, 0.0)].into_iter().enumerate() {
            let expect = 0.5 * interp(lu, hu) + 0.3 * level + 0.2 * c;
            assert!((s.parties[k].preferences.utility(&o) - expect).abs() <= 1e-12);
        }
    }
    let rv = 0.5 * 0.6 + 0.3 * 0.5 + 0.2 * 0.5;
    assert!((s.parties[0].preferences.reservation - rv).abs() <= 1e-12);
    assert_eq!(s.parties[1].preferences.reservation, 0.0);
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.message.contains("does not repeat its domain"))
    );
}
