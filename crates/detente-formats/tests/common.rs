//! Helpers shared by the tests: loading shared domains, comparing scenarios, and a tiny
//! independent XML tag scanner for brute-force evaluators.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use detente_core::Scenario;
use detente_core::tables::utility_vector;
use detente_formats::{Loaded, genius, geniusweb};

/// Enumeration limit for tests.
pub const LIMIT: u64 = 1_000_000;

/// The crate's own fixtures folder.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
}

/// Files of a folder, sorted.
pub fn files_of(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

/// Whether a shared domain folder is GeniusWeb JSON.
pub fn is_json(dir: &Path) -> bool {
    files_of(dir)
        .iter()
        .any(|p| p.extension().is_some_and(|e| e == "json"))
}

/// Loads a domain folder with the matching reader, through `load_files`.
pub fn load(dir: &Path) -> Loaded {
    let files: Vec<PathBuf> = files_of(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "xml" || e == "json"))
        .collect();
    let r = if is_json(dir) {
        geniusweb::load_files(&files)
    } else {
        genius::load_files(&files)
    };
    r.unwrap_or_else(|e| panic!("{} does not load: {e}", dir.display()))
}

/// The reference values, parsed.
pub fn reference() -> Option<serde_json::Value> {
    let p = detente_testkit::reference_json()?;
    Some(serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
}

/// Every party's utility of every outcome.
pub fn all_utilities(s: &Scenario) -> Vec<Vec<f64>> {
    s.parties
        .iter()
        .map(|p| utility_vector(&s.space, &p.preferences.utility, LIMIT).unwrap())
        .collect()
}

/// Asserts two scenarios have the same issues, parties, utilities (1e-12), reservation
/// values and discount factors.
pub fn assert_same(a: &Scenario, b: &Scenario, what: &str) {
    let ai: Vec<_> = a
        .space
        .issues()
        .iter()
        .map(|i| (i.name.clone(), i.cardinality()))
        .collect();
    let bi: Vec<_> = b
        .space
        .issues()
        .iter()
        .map(|i| (i.name.clone(), i.cardinality()))
        .collect();
    assert_eq!(ai, bi, "{what}: issues differ");
    for (x, y) in a.space.issues().iter().zip(b.space.issues()) {
        for v in 0..x.cardinality() as u32 {
            assert_eq!(
                x.value(v).map(|v| v.to_string()),
                y.value(v).map(|v| v.to_string()),
                "{what}: values of {}",
                x.name
            );
        }
    }
    let an: Vec<_> = a.parties.iter().map(|p| p.name.clone()).collect();
    let bn: Vec<_> = b.parties.iter().map(|p| p.name.clone()).collect();
    assert_eq!(an, bn, "{what}: parties differ");
    let (ua, ub) = (all_utilities(a), all_utilities(b));
    for (k, (x, y)) in ua.iter().zip(&ub).enumerate() {
        for (id, (u, v)) in x.iter().zip(y).enumerate() {
            assert!(
                (u - v).abs() <= 1e-12,
                "{what}: party {} outcome {id}: {u} vs {v}",
                an[k]
            );
        }
        let (pa, pb) = (&a.parties[k].preferences, &b.parties[k].preferences);
        assert!(
            (pa.reservation - pb.reservation).abs() <= 1e-12,
            "{what}: reservation of {}",
            an[k]
        );
        assert_eq!(pa.discount, pb.discount, "{what}: discount of {}", an[k]);
    }
}

/// One tag of an XML file, from the tiny scanner below.
#[derive(Debug, Clone)]
pub struct Tag {
    /// Tag name.
    pub name: String,
    /// Attributes, unescaped.
    pub attrs: HashMap<String, String>,
    /// `</name>`.
    pub closing: bool,
    /// `<name/>`.
    pub self_closing: bool,
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Scans the tags of a simple XML file (no CDATA, no entities beyond the predefined ones):
/// independent of the crate's own parser, for brute-force checks.
pub fn tags(text: &str) -> Vec<Tag> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = text[i..].find('<') {
        let start = i + off;
        if text[start..].starts_with("<!--") {
            i = start + text[start..].find("-->").unwrap() + 3;
            continue;
        }
        let mut j = start + 1;
        let mut quote = None;
        while j < b.len() {
            match (quote, b[j]) {
                (Some(q), c) if c == q => quote = None,
                (None, b'"') | (None, b'\'') => quote = Some(b[j]),
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        let inner = &text[start + 1..j];
        i = j + 1;
        if inner.starts_with('?') || inner.starts_with('!') {
            continue;
        }
        let closing = inner.starts_with('/');
        let self_closing = inner.ends_with('/');
        let body = inner.trim_start_matches('/').trim_end_matches('/');
        let name_end = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
        let name = body[..name_end].to_string();
        let mut attrs = HashMap::new();
        let mut rest = &body[name_end..];
        while let Some(eq) = rest.find('=') {
            let key = rest[..eq].trim().to_string();
            let after = rest[eq + 1..].trim_start();
            let q = after.chars().next().unwrap();
            let close = after[1..].find(q).unwrap() + 1;
            attrs.insert(key, unescape(&after[1..close]));
            rest = &after[close + 1..];
        }
        out.push(Tag {
            name,
            attrs,
            closing,
            self_closing,
        });
    }
    out
}
