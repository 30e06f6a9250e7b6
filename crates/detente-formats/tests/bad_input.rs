//! Bad input: every error names the file, the place and what is wrong.

use std::path::PathBuf;

use detente_formats::{genius, geniusweb};

use detente_testkit::TempDir;

const DOMAIN: &str = r#"<negotiation_template><utility_space>
<objective index="0" name="root" type="objective">
  <issue index="1" name="Brand" type="discrete"><item value="Dell"/><item value="HP"/></issue>
  <issue index="2" name="Size" type="discrete"><item value="S"/><item value="L"/></issue>
</objective></utility_space></negotiation_template>"#;

const PROFILE: &str = r#"<utility_space><objective index="0" name="root" type="objective">
  <issue index="1" name="Brand" type="discrete"><item value="Dell" evaluation="1"/><item value="HP" evaluation="2"/></issue>
  <issue index="2" name="Size" type="discrete"><item value="S" evaluation="3"/><item value="L" evaluation="1"/></issue>
  <weight index="1" value="0.6"/><weight index="2" value="0.4"/>
</objective><reservation value="0.1"/></utility_space>"#;

fn xml(files: &[(&str, &str)]) -> String {
    let inputs: Vec<(PathBuf, Vec<u8>)> = files
        .iter()
        .map(|(n, t)| (PathBuf::from("bad").join(n), t.as_bytes().to_vec()))
        .collect();
    match genius::load_bytes(&inputs) {
        Ok(_) => panic!("accepted bad input {files:?}"),
        Err(e) => e.to_string(),
    }
}

fn bad_profile(profile: &str) -> String {
    xml(&[
        ("dom.xml", DOMAIN),
        ("good.xml", PROFILE),
        ("broken.xml", profile),
    ])
}

fn expect(msg: &str, parts: &[&str]) {
    for p in parts {
        assert!(msg.contains(p), "`{msg}` does not mention `{p}`");
    }
}

#[test]
fn the_base_files_are_fine() {
    let inputs: Vec<(PathBuf, Vec<u8>)> =
        [("dom.xml", DOMAIN), ("a.xml", PROFILE), ("b.xml", PROFILE)]
            .iter()
            .map(|(n, t)| (PathBuf::from(n), t.as_bytes().to_vec()))
            .collect();
    let loaded = genius::load_bytes(&inputs).unwrap();
    assert_eq!(loaded.scenario.parties.len(), 2);
}

#[test]
fn genius_profile_errors_name_file_and_place() {
    let m = bad_profile(&PROFILE.replace(r#"<weight index="2" value="0.4"/>"#, r#"<weight index="2" value="0.4"/><weight index="7" value="0.1"/><issue index="7" name="Ghost"><item value="x" evaluation="1"/></issue>"#));
    expect(&m, &["broken.xml", "index 7", "no issue with that index"]);
    let m = bad_profile(&PROFILE.replace(
        r#"value="HP" evaluation="2""#,
        r#"value="Acer" evaluation="2""#,
    ));
    expect(
        &m,
        &[
            "broken.xml",
            "issue \"Brand\" (index 1) / item \"Acer\"",
            "no such value",
        ],
    );
    let m = bad_profile(&PROFILE.replace(r#"value="0.4""#, r#"value="-0.4""#));
    expect(&m, &["broken.xml", "<weight index=\"2\">", "negative"]);
    let m = bad_profile(&PROFILE.replace(r#"value="0.4""#, r#"value="heavy""#));
    expect(
        &m,
        &[
            "broken.xml",
            "<weight index=\"2\">",
            "\"heavy\"",
            "not a finite number",
        ],
    );
    let m = bad_profile(&PROFILE.replace(r#"evaluation="3""#, r#"evaluation="3..5""#));
    expect(&m, &["broken.xml", "item \"S\"", "3..5"]);
    let m = bad_profile(&PROFILE.replace(
        r#"name="Size" type="discrete""#,
        r#"name="Size" type="integer" lowerbound="0" upperbound="3""#,
    ));
    expect(
        &m,
        &[
            "broken.xml",
            "issue \"Size\" (index 2)",
            "integer",
            "discrete",
        ],
    );
    let m = bad_profile(&PROFILE.replace(r#"<weight index="2" value="0.4"/>"#, ""));
    expect(
        &m,
        &["broken.xml", "issue \"Size\" (index 2)", "no <weight>"],
    );
    let m = bad_profile(&PROFILE.replace(
        r#"<reservation value="0.1"/>"#,
        r#"<reservation value="low"/>"#,
    ));
    expect(&m, &["broken.xml", "<reservation>", "low"]);
    let m = bad_profile(&PROFILE.replace("</issue>\n  <weight", "\n  <weight"));
    expect(&m, &["broken.xml:", "not well-formed"]);
    let m = bad_profile(&format!(
        "<!DOCTYPE u [<!ENTITY big \"lots\">]>{}",
        PROFILE.replace("Dell", "&big;")
    ));
    expect(&m, &["broken.xml:1:", "entities"]);
}

#[test]
fn genius_file_set_errors() {
    expect(
        &xml(&[("a.xml", PROFILE), ("b.xml", PROFILE)]),
        &["no GENIUS domain file", "a.xml", "b.xml"],
    );
    expect(
        &xml(&[("d1.xml", DOMAIN), ("d2.xml", DOMAIN), ("a.xml", PROFILE)]),
        &["two GENIUS domain files", "d1.xml", "d2.xml"],
    );
    expect(&xml(&[("d.xml", DOMAIN)]), &["no GENIUS profile files"]);
    expect(
        &xml(&[("d.xml", DOMAIN), ("solo.xml", PROFILE)]),
        &["only one GENIUS profile", "solo.xml"],
    );
    expect(
        &xml(&[("d.xml", "<html><body/></html>"), ("a.xml", PROFILE)]),
        &["d.xml:1:1", "<html>"],
    );
    let dom = DOMAIN.replace(r#"index="2" name="Size""#, r#"index="1" name="Size""#);
    expect(
        &xml(&[("d.xml", &dom), ("a.xml", PROFILE), ("b.xml", PROFILE)]),
        &["d.xml", "issue \"Size\" (index 1)", "also used"],
    );
    // Through real files and load_files as well.
    let dir = TempDir::new("bad-files");
    std::fs::write(dir.join("d.xml"), DOMAIN).unwrap();
    std::fs::write(dir.join("p.xml"), PROFILE.replace("0.6", "x")).unwrap();
    std::fs::write(dir.join("q.xml"), PROFILE).unwrap();
    let e = genius::load_dir(dir.path()).unwrap_err().to_string();
    expect(&e, &["p.xml:", "<weight index=\"1\">", "\"x\""]);
    let e = genius::load_files(&[dir.join("missing.xml")])
        .unwrap_err()
        .to_string();
    expect(&e, &["missing.xml"]);
}

const GW_DOMAIN: &str = r#"{"name": "d", "issuesValues": {"colour": {"values": ["red", "blue"]}, "size": {"values": ["S", "L"]}}}"#;

fn gw_profile(colour: &str, weights: &str) -> String {
    format!(
        r#"{{"LinearAdditiveUtilitySpace": {{"issueUtilities": {{"colour": {{"discreteutils": {{"valueUtilities": {colour}}}}}, "size": {{"DiscreteValueSetUtilities": {{"valueUtilities": {{"S": 1, "L": 0}}}}}}}}, "issueWeights": {weights}, "name": "p"}}}}"#
    )
}

fn gw(files: &[(&str, &str)]) -> String {
    let inputs: Vec<(PathBuf, Vec<u8>)> = files
        .iter()
        .map(|(n, t)| (PathBuf::from("bad").join(n), t.as_bytes().to_vec()))
        .collect();
    match geniusweb::load_bytes(&inputs) {
        Ok(_) => panic!("accepted bad input {files:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn geniusweb_errors_name_file_and_key() {
    let good = gw_profile(
        r#"{"red": 1, "blue": 0.5}"#,
        r#"{"colour": 0.5, "size": 0.5}"#,
    );
    let with = |p: &str| gw(&[("d.json", GW_DOMAIN), ("a.json", &good), ("z.json", p)]);
    expect(
        &with(&gw_profile(
            r#"{"red": 1, "green": 0.5}"#,
            r#"{"colour": 0.5, "size": 0.5}"#,
        )),
        &["z.json", "valueUtilities.\"green\"", "not a value"],
    );
    expect(
        &with(&gw_profile(
            r#"{"red": 1}"#,
            r#"{"colour": 0.5, "size": 0.5, "shape": 0.1}"#,
        )),
        &["z.json", "issueWeights.\"shape\"", "no such issue"],
    );
    expect(
        &with(&gw_profile(
            r#"{"red": 1}"#,
            r#"{"colour": -0.5, "size": 0.5}"#,
        )),
        &["z.json", "issueWeights.\"colour\"", "negative"],
    );
    expect(
        &with(&gw_profile(
            r#"{"red": "lots"}"#,
            r#"{"colour": 0.5, "size": 0.5}"#,
        )),
        &["z.json", "\"red\"", "expected a number"],
    );
    expect(
        &with(&gw_profile(
            r#"{"red": 1.5}"#,
            r#"{"colour": 0.5, "size": 0.5}"#,
        )),
        &["z.json", "outside [0, 1]"],
    );
    expect(
        &with(&good.replace(
            "\"discreteutils\": {\"valueUtilities\"",
            "\"numberutils\": {\"x\"",
        )),
        &["z.json", "number utilities", "discrete issue"],
    );
    expect(
        &with("{\"LinearAdditiveUtilitySpace\": {\n  \"issueWeights\": [1,}"),
        &["z.json:2:"],
    );
    expect(
        &gw(&[("a.json", &good), ("b.json", &good)]),
        &["no GeniusWeb domain file"],
    );
    expect(
        &gw(&[("d.json", GW_DOMAIN), ("a.json", &good)]),
        &["only one GeniusWeb profile", "a.json"],
    );
    let other_domain = GW_DOMAIN.replace("blue", "green");
    let wrapped = good.replace("\"name\": \"p\"", &format!("\"domain\": {other_domain}"));
    expect(
        &with(&wrapped),
        &["z.json", "LinearAdditiveUtilitySpace.domain", "differs"],
    );
    expect(
        &gw(&[
            ("d.json", r#"{"issuesValues": {"x": {"range": [3, 1, 1]}}}"#),
            ("a.json", &good),
            ("b.json", &good),
        ]),
        &["d.json", "issuesValues.\"x\".range", "low <= high"],
    );
}
