//! The fuzz targets: one function per reader, from arbitrary bytes to `Ok` or `Err`, never a
//! panic. Shared, as source, by the stable-toolchain harness of the test suite
//! (`tests/fuzz/mod.rs`) and the `cargo fuzz` targets (`fuzz/fuzz_targets/*.rs`), so both
//! fuzz exactly the same code.
//!
//! Input layouts: a scenario of several files (GENIUS, GeniusWeb) is its files joined with NUL
//! bytes, the first named as the domain; a trace or record starts with one byte that picks the
//! shipped scenario it is read against (and, for records, a second byte that picks CSV or
//! TOML). What a reader accepts is exercised further: a scenario is validated, tabulated (at
//! most [`TABLE_LIMIT`] outcomes), its parties' best and worst values are found, and it is
//! written back to TOML, which must read back.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use detente_core::tables::ScenarioTables;
use detente_core::{Scenario, Utility};
use detente_formats::tournament::PlanDoc;
use detente_formats::trace::{TraceDoc, record_from_csv_str, record_from_toml_str, replay};
use detente_formats::{Loaded, genius, geniusweb, input, scenario_toml};

/// The most outcomes a fuzzed scenario is tabulated over.
pub const TABLE_LIMIT: u64 = 4096;

/// The shipped scenarios traces and records are read against, by the first byte of the input.
pub const SCENARIOS: [(&str, &str); 3] = [
    (
        "pie.toml",
        include_str!("../../../../scenarios/pie/pie.toml"),
    ),
    (
        "ukraine-2025.toml",
        include_str!("../../../../scenarios/ukraine-2025/ukraine-2025.toml"),
    ),
    (
        "buyer-seller.toml",
        include_str!("../../../../scenarios/buyer-seller/buyer-seller.toml"),
    ),
];

/// A reader under fuzzing.
#[derive(Clone, Copy)]
pub struct Target {
    /// Its name (the `cargo fuzz` target's).
    pub name: &'static str,
    /// Feeds it one input.
    pub run: fn(&[u8]),
}

/// Every target.
pub const TARGETS: [Target; 6] = [
    Target {
        name: "toml_scenario",
        run: toml_scenario,
    },
    Target {
        name: "genius",
        run: genius_files,
    },
    Target {
        name: "geniusweb",
        run: geniusweb_files,
    },
    Target {
        name: "trace_json",
        run: trace_json,
    },
    Target {
        name: "record",
        run: record,
    },
    Target {
        name: "plan",
        run: plan,
    },
];

/// The text of an input, or `None` (after checking that the UTF-8 error is reported) when it
/// is not UTF-8.
fn text<'a>(data: &'a [u8], name: &str) -> Option<&'a str> {
    match std::str::from_utf8(data) {
        Ok(t) => Some(t),
        Err(_) => {
            let e = input::text_from_bytes(data.to_vec(), Path::new(name));
            assert!(e.is_err(), "bytes that are not UTF-8 read as text");
            None
        }
    }
}

/// What every accepted scenario goes through.
fn exercise(loaded: &Loaded) {
    let s = &loaded.scenario;
    s.validate()
        .expect("a reader returned a scenario that does not validate");
    let tables = ScenarioTables::new(s.parties.len(), TABLE_LIMIT);
    for (i, p) in s.parties.iter().enumerate() {
        let _ = tables.party(s, i);
        if let Utility::LinearAdditive(lin) = &p.preferences.utility {
            for k in 0..s.space.issues().len() {
                let e = lin.issue_extremes(k);
                assert!(e.best_score >= e.worst_score, "best below worst");
            }
        }
        let _ = p.preferences.utility.magnitude_bound();
    }
    round_trip(s);
}

/// A scenario written as TOML reads back, with the same shape.
fn round_trip(s: &Scenario) {
    let Ok(text) = scenario_toml::to_string(s) else {
        return;
    };
    let back = scenario_toml::load_str(&text, Path::new("written.toml"))
        .unwrap_or_else(|e| panic!("a scenario detente wrote does not read back: {e}\n{text}"));
    let b = &back.scenario;
    assert_eq!(b.parties.len(), s.parties.len(), "parties lost in writing");
    assert_eq!(
        b.space.count(),
        s.space.count(),
        "outcomes changed in writing"
    );
}

/// Splits an input at NUL bytes into at most eight files, the first named as a domain.
fn files(data: &[u8], ext: &str) -> Vec<(PathBuf, Vec<u8>)> {
    data.split(|b| *b == 0)
        .take(8)
        .enumerate()
        .map(|(i, part)| {
            let name = if i == 0 {
                format!("domain.{ext}")
            } else {
                format!("party{i}.{ext}")
            };
            (PathBuf::from(name), part.to_vec())
        })
        .collect()
}

/// A detente TOML scenario.
pub fn toml_scenario(data: &[u8]) {
    if let Some(t) = text(data, "s.toml")
        && let Ok(loaded) = scenario_toml::load_str(t, Path::new("s.toml"))
    {
        exercise(&loaded);
    }
}

/// A GENIUS scenario: domain and profiles.
pub fn genius_files(data: &[u8]) {
    if let Ok(loaded) = genius::load_bytes(&files(data, "xml")) {
        exercise(&loaded);
    }
}

/// A GeniusWeb scenario: domain and profiles.
pub fn geniusweb_files(data: &[u8]) {
    if let Ok(loaded) = geniusweb::load_bytes(&files(data, "json")) {
        exercise(&loaded);
    }
}

/// The shipped scenario an input's first byte picks, and the rest of the input.
fn against(data: &[u8]) -> Option<(Scenario, &[u8])> {
    let (&pick, rest) = data.split_first()?;
    let (name, text) = SCENARIOS[usize::from(pick) % SCENARIOS.len()];
    let loaded = scenario_toml::load_str(text, Path::new(name)).expect("shipped scenarios load");
    Some((loaded.scenario, rest))
}

/// A JSON trace, replayed against a shipped scenario.
pub fn trace_json(data: &[u8]) {
    let Some((scenario, rest)) = against(data) else {
        return;
    };
    let path = Path::new("t.json");
    if let Some(t) = text(rest, "t.json")
        && let Ok(doc) = TraceDoc::from_json_str(t, path)
    {
        let _ = replay(&doc, &scenario, path);
        // What was read writes and reads back.
        let again = TraceDoc::from_json_str(&doc.to_json(), path)
            .expect("a trace document detente wrote reads back");
        assert_eq!(
            again.actions.len(),
            doc.actions.len(),
            "actions lost in writing"
        );
    }
}

/// A hand-written record of talks, in CSV or TOML, against a shipped scenario.
pub fn record(data: &[u8]) {
    let Some((scenario, rest)) = against(data) else {
        return;
    };
    let Some((&kind, rest)) = rest.split_first() else {
        return;
    };
    if let Some(t) = text(rest, "r.txt") {
        let _ = if kind % 2 == 0 {
            record_from_csv_str(t, Path::new("r.csv"), &scenario)
        } else {
            record_from_toml_str(t, Path::new("r.toml"), &scenario)
        };
    }
}

/// A tournament plan.
pub fn plan(data: &[u8]) {
    if let Some(t) = text(data, "plan.toml") {
        let _ = PlanDoc::parse(t, Path::new("plan.toml"));
    }
}
