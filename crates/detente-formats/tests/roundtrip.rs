//! Round trips among GENIUS XML and GeniusWeb JSON: write, read back, and compare every
//! outcome's utility, the reservation values and the discount factors.

use std::collections::HashMap;

use detente_core::{
    Evaluator, Issue, LinearAdditive, OutcomeSpace, Party, Preferences, ProtocolSettings, Scenario,
    TableUtility, Utility,
};
use detente_formats::{genius, geniusweb};

use crate::common::*;
use detente_testkit::TempDir;

fn via_genius(s: &Scenario, tag: &str) -> Scenario {
    let dir = TempDir::new(tag);
    let files = genius::write(s, dir.path()).unwrap_or_else(|e| panic!("{tag}: {e}"));
    assert_eq!(files.len(), s.parties.len() + 1);
    genius::load_files(&files)
        .unwrap_or_else(|e| panic!("{tag}: {e}"))
        .scenario
}

fn via_geniusweb(s: &Scenario, tag: &str) -> Scenario {
    let dir = TempDir::new(tag);
    let files = geniusweb::write(s, dir.path()).unwrap_or_else(|e| panic!("{tag}: {e}"));
    geniusweb::load_files(&files)
        .unwrap_or_else(|e| panic!("{tag}: {e}"))
        .scenario
}

#[test]
fn genius_to_genius_for_every_xml_domain_and_fixture() {
    let mut dirs: Vec<_> = detente_testkit::genius_domains()
        .into_iter()
        .filter(|d| !is_json(d))
        .collect();
    dirs.push(data_dir().join("genius/numeric"));
    dirs.push(data_dir().join("genius/nonlinear"));
    for dir in dirs {
        let s = load(&dir).scenario;
        let tag = dir.file_name().unwrap().to_string_lossy().to_string();
        let back = via_genius(&s, &tag);
        assert_same(&s, &back, &tag);
        assert_eq!(back.name, s.name, "{tag}: name");
    }
}

#[test]
fn geniusweb_to_geniusweb_and_genius_and_back() {
    for name in ["GW_FlightBooking", "ANL2023_domain09"] {
        let Some(dir) = detente_testkit::genius_domain(name) else {
            return;
        };
        let s = load(&dir).scenario;
        let back = via_geniusweb(&s, name);
        assert_same(&s, &back, name);
        let xml = via_genius(&s, name);
        assert_same(&s, &xml, name);
        let again = via_geniusweb(&xml, name);
        assert_same(&s, &again, name);
    }
}

#[test]
fn genius_to_geniusweb_when_expressible_and_a_clear_error_otherwise() {
    let mut converted = Vec::new();
    for dir in detente_testkit::genius_domains()
        .into_iter()
        .filter(|d| !is_json(d))
    {
        let tag = dir.file_name().unwrap().to_string_lossy().to_string();
        let mut s = load(&dir).scenario;
        let out = TempDir::new("gw-refuse");
        if s.parties.iter().any(|p| p.preferences.discount != 1.0) {
            let e = geniusweb::write(&s, out.path()).unwrap_err().to_string();
            assert!(
                (e.contains("discount factor") || e.contains("reservation value"))
                    && e.contains("party"),
                "{tag}: {e}"
            );
            assert!(
                std::fs::read_dir(out.path()).unwrap().next().is_none(),
                "{tag}: wrote files despite the error"
            );
        }
        // Without discounting, and with reservation values that are outcomes' utilities.
        let n = s.space.count_u64().unwrap();
        for (k, p) in s.parties.iter_mut().enumerate() {
            p.preferences.discount = 1.0;
            let o = s.space.outcome((n / 3 + k as u64) % n).unwrap();
            p.preferences.reservation = p.preferences.utility(&o);
        }
        match geniusweb::write(&s, out.path()) {
            Ok(files) => {
                let back = geniusweb::load_files(&files).unwrap().scenario;
                assert_same(&s, &back, &tag);
                let xml = via_genius(&back, &tag);
                assert_same(&s, &xml, &tag);
                converted.push(tag);
            }
            Err(e) => {
                let e = e.to_string();
                assert!(
                    e.contains("capped at 1") && e.contains("GeniusWeb has no cap"),
                    "{tag}: {e}"
                );
            }
        }
    }
    if detente_testkit::shared_dir().is_some() {
        assert!(converted.len() >= 15, "only {converted:?} converted");
    }
}

#[test]
fn fixtures_that_geniusweb_cannot_express_are_refused() {
    let s = genius::load_dir(&data_dir().join("genius/nonlinear"))
        .unwrap()
        .scenario;
    let dir = TempDir::new("nl-gw");
    let e = geniusweb::write(&s, dir.path()).unwrap_err().to_string();
    assert!(
        e.contains("hyper-rectangle") && e.contains("profile-1"),
        "{e}"
    );
    let mut s = genius::load_dir(&data_dir().join("genius/numeric"))
        .unwrap()
        .scenario;
    for p in &mut s.parties {
        p.preferences.discount = 1.0;
        p.preferences.reservation = 0.0;
    }
    let e = geniusweb::write(&s, dir.path()).unwrap_err().to_string();
    assert!(e.contains("numeric-a") && e.contains("cap"), "{e}");
}

fn tiny(utility: Utility, space: OutcomeSpace) -> Scenario {
    let lin = LinearAdditive::new(
        &space,
        vec![1.0],
        vec![Evaluator::Table(vec![0.0, 1.0])],
        None,
    )
    .unwrap();
    let party = |name: &str, u: Utility| Party {
        name: name.into(),
        preferences: Preferences::new(u),
        negotiator: None,
    };
    Scenario {
        compliance: Default::default(),
        name: "tiny".into(),
        description: String::new(),
        space,
        parties: vec![
            party("a", utility),
            party("b", Utility::LinearAdditive(lin)),
        ],
        protocol: ProtocolSettings::default(),
        events: Vec::new(),
    }
}

#[test]
fn writers_refuse_what_they_cannot_express() {
    let space = OutcomeSpace::new(vec![Issue::discrete("x", ["p", "q"])]).unwrap();
    let dir = TempDir::new("refuse");
    let table = TableUtility::new(&space, HashMap::new(), 0.5).unwrap();
    let s = tiny(Utility::Table(table), space.clone());
    for e in [
        genius::write(&s, dir.path()).unwrap_err(),
        geniusweb::write(&s, dir.path()).unwrap_err(),
    ] {
        let e = e.to_string();
        assert!(e.contains("party \"a\"") && e.contains("table"), "{e}");
    }
    // A cap other than GENIUS's 1 that binds.
    let capped = LinearAdditive::new(
        &space,
        vec![1.0],
        vec![Evaluator::Table(vec![0.2, 0.9])],
        Some(0.5),
    )
    .unwrap();
    let e = genius::write(
        &tiny(Utility::LinearAdditive(capped), space.clone()),
        dir.path(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("capped at 0.5"), "{e}");
    // Negative scores.
    let neg = LinearAdditive::new(
        &space,
        vec![1.0],
        vec![Evaluator::Table(vec![-0.2, 0.9])],
        None,
    )
    .unwrap();
    let s = tiny(Utility::LinearAdditive(neg), space.clone());
    assert!(
        genius::write(&s, dir.path())
            .unwrap_err()
            .to_string()
            .contains("negative")
    );
    assert!(
        geniusweb::write(&s, dir.path())
            .unwrap_err()
            .to_string()
            .contains("negative")
    );
    // Uncapped sums above 1 cannot go to GENIUS; scores above 1 are rescaled for both.
    let big = LinearAdditive::new(
        &space,
        vec![0.4],
        vec![Evaluator::Table(vec![1.0, 2.5])],
        None,
    )
    .unwrap();
    let s = tiny(Utility::LinearAdditive(big), space.clone());
    assert_same(&s, &via_genius(&s, "rescaled"), "rescaled");
    assert_same(&s, &via_geniusweb(&s, "rescaled-gw"), "rescaled-gw");
    let over = LinearAdditive::new(
        &space,
        vec![0.6],
        vec![Evaluator::Table(vec![1.0, 2.5])],
        None,
    )
    .unwrap();
    let e = genius::write(
        &tiny(Utility::LinearAdditive(over), space.clone()),
        dir.path(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("not capped") && e.contains("1.5"), "{e}");
    // A reservation value no outcome reaches cannot be a GeniusWeb reservation bid.
    let mut s = tiny(
        Utility::LinearAdditive(
            LinearAdditive::new(
                &space,
                vec![1.0],
                vec![Evaluator::Table(vec![0.0, 1.0])],
                None,
            )
            .unwrap(),
        ),
        space,
    );
    s.parties[0].preferences.reservation = 0.37;
    let e = geniusweb::write(&s, dir.path()).unwrap_err().to_string();
    assert!(e.contains("reservation") && e.contains("0.37"), "{e}");
}

#[test]
fn numeric_issues_round_trip_through_both_formats() {
    let space = OutcomeSpace::new(vec![
        Issue::integer("n", -3, 4),
        Issue::real("r", 0.5, 2.0, 7),
        Issue::discrete("d", ["u", "v", "w"]),
    ])
    .unwrap();
    let a = LinearAdditive::new(
        &space,
        vec![0.3, 0.3, 0.4],
        vec![
            Evaluator::Linear {
                slope: 0.1,
                intercept: 0.2,
                origin: -3.0,
                clamp: false,
            },
            Evaluator::Interpolate {
                low_value: 0.5,
                low_utility: 1.0,
                high_value: 2.0,
                high_utility: 0.25,
            },
            Evaluator::Table(vec![0.0, 0.5, 1.0]),
        ],
        None,
    )
    .unwrap();
    let b = LinearAdditive::new(
        &space,
        vec![0.2, 0.5, 0.3],
        vec![
            Evaluator::Constant(0.7),
            Evaluator::Linear {
                slope: -0.5,
                intercept: 1.0,
                origin: 0.5,
                clamp: true,
            },
            Evaluator::Table(vec![1.0, 0.2, 0.0]),
        ],
        Some(1.0),
    )
    .unwrap();
    let party = |name: &str, u| Party {
        name: name.into(),
        preferences: Preferences::new(Utility::LinearAdditive(u)),
        negotiator: None,
    };
    let s = Scenario {
        compliance: Default::default(),
        name: "nums".into(),
        description: String::new(),
        space,
        parties: vec![party("a", a), party("b", b)],
        protocol: ProtocolSettings::default(),
        events: Vec::new(),
    };
    assert_same(&s, &via_genius(&s, "nums"), "nums via GENIUS");
    assert_same(&s, &via_geniusweb(&s, "nums-gw"), "nums via GeniusWeb");
    assert_same(
        &s,
        &via_genius(&via_geniusweb(&s, "nums-gw2"), "nums2"),
        "nums via both",
    );
}

#[test]
fn toml_round_trips_with_both_formats() {
    use detente_formats::scenario_toml;
    let mut dirs: Vec<_> = detente_testkit::genius_domains();
    dirs.push(data_dir().join("genius/numeric"));
    dirs.push(data_dir().join("genius/nonlinear"));
    for dir in dirs {
        let tag = dir.file_name().unwrap().to_string_lossy().to_string();
        let s = load(&dir).scenario;
        let text = scenario_toml::to_string(&s).unwrap_or_else(|e| panic!("{tag}: {e}"));
        let back = scenario_toml::load_str(&text, std::path::Path::new("scenario.toml"))
            .unwrap_or_else(|e| panic!("{tag}: {e}"))
            .scenario;
        assert_same(&s, &back, &format!("{tag} via TOML"));
        let again = if is_json(&dir) {
            via_geniusweb(&back, &tag)
        } else {
            via_genius(&back, &tag)
        };
        assert_same(&s, &again, &format!("{tag} via TOML and back"));
    }
}
