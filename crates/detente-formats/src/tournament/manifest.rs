//! The manifest (`manifest.json`): what a tournament output folder holds, so that resumed runs
//! and merges can check they continue the same plan and shard.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{FormatError, Result};

/// The manifest format version this build writes and reads.
pub const MANIFEST_FORMAT_VERSION: u32 = 1;

/// Which part of a plan's negotiations a folder holds: those whose index `i` has
/// `i % count == index`. Written `{"index": I, "count": N}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardDoc {
    /// The shard, from 0.
    pub index: u64,
    /// Number of shards, at least 1.
    pub count: u64,
}

impl std::fmt::Display for ShardDoc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// What an output folder holds, written as `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestDoc {
    /// Manifest format version ([`MANIFEST_FORMAT_VERSION`]).
    pub format: u32,
    /// Tournament name.
    pub tournament: String,
    /// The plan's fingerprint: a hash of everything that decides the results.
    pub fingerprint: String,
    /// Negotiations in the whole plan.
    pub negotiations: u64,
    /// The shard the folder holds.
    pub shard: ShardDoc,
    /// Per-role columns of the results.
    pub width: usize,
    /// Negotiator names in plan order.
    pub negotiators: Vec<String>,
    /// Scenario names in plan order.
    pub scenarios: Vec<String>,
    /// What decides the results, part by part (the fingerprint is their digest): `plan` (the
    /// plan's settings and negotiators), `registry` (the definitions of the negotiator kinds
    /// and mediator strategies it uses), `detente` (the program's version and formats, as
    /// text) and `scenario:NAME` for each scenario (the digest of the bytes of its files).
    /// Empty in manifests written before detente recorded it.
    #[serde(default)]
    pub inputs: BTreeMap<String, String>,
}

impl ManifestDoc {
    /// The manifest as pretty JSON, with a trailing newline (the text of `manifest.json`).
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a manifest serialises");
        text.push('\n');
        text
    }

    /// The manifest as compact JSON on one line (stored in Parquet files' metadata).
    pub fn to_compact_json(&self) -> String {
        serde_json::to_string(self).expect("a manifest serialises")
    }

    /// What changed between the inputs this manifest records and those `now` records, in
    /// words, one item per part (empty when nothing did).
    pub fn input_changes(&self, now: &ManifestDoc) -> Vec<String> {
        if self.inputs.is_empty() && !now.inputs.is_empty() {
            return vec![
                "the folder was written by an older detente, which did not record the contents \
                 of its inputs"
                    .into(),
            ];
        }
        let mut changes = Vec::new();
        for (part, value) in &now.inputs {
            match self.inputs.get(part) {
                Some(old) if old == value => {}
                Some(old) => changes.push(describe_part(part, Some(old), value)),
                None => changes.push(format!("{} was added", part_name(part))),
            }
        }
        for part in self.inputs.keys().filter(|p| !now.inputs.contains_key(*p)) {
            changes.push(format!("{} was removed", part_name(part)));
        }
        changes
    }

    /// Parses manifest JSON; `path` names the file in errors.
    pub fn from_json(text: &str, path: &Path) -> Result<Self> {
        serde_json::from_str(text).map_err(|e| FormatError::At {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })
    }
}

/// A part of [`ManifestDoc::inputs`], in words.
fn part_name(part: &str) -> String {
    match part {
        "plan" => "the plan's settings or negotiators".into(),
        "registry" => "the definitions of the negotiator kinds or mediator strategies".into(),
        "detente" => "the program".into(),
        other => match other.strip_prefix("scenario:") {
            Some(name) => format!("scenario `{name}`"),
            None => format!("`{other}`"),
        },
    }
}

/// How a part changed, in words.
fn describe_part(part: &str, old: Option<&String>, now: &str) -> String {
    match (part, old) {
        ("detente", Some(old)) => format!("the program: the results are of {old}, this is {now}"),
        (p, _) if p.starts_with("scenario:") => {
            format!("the contents of {}'s files changed", part_name(p))
        }
        (p, _) => format!("{} changed", part_name(p)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_read_back_and_keep_their_layout() {
        let m = ManifestDoc {
            format: MANIFEST_FORMAT_VERSION,
            tournament: "t".into(),
            fingerprint: "00ff".into(),
            negotiations: 8,
            shard: ShardDoc { index: 1, count: 2 },
            width: 2,
            negotiators: vec!["a".into(), "b".into()],
            scenarios: vec!["pie".into()],
            inputs: BTreeMap::from([
                ("plan".into(), "01".into()),
                ("scenario:pie".into(), "02".into()),
            ]),
        };
        let text = m.to_json();
        assert!(text.starts_with("{\n  \"format\": 1,\n  \"tournament\": \"t\",\n"));
        assert!(text.contains("\"shard\": {\n    \"index\": 1,\n    \"count\": 2\n  },"));
        assert_eq!(
            ManifestDoc::from_json(&text, Path::new("m.json")).unwrap(),
            m
        );
        assert_eq!(
            ManifestDoc::from_json(&m.to_compact_json(), Path::new("m.json")).unwrap(),
            m
        );
        assert_eq!(m.shard.to_string(), "1/2");
        let e = ManifestDoc::from_json("{\"format\": 1}", Path::new("m.json"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("m.json:1:"), "{e}");
    }

    #[test]
    fn changed_inputs_are_named() {
        let old = ManifestDoc {
            format: MANIFEST_FORMAT_VERSION,
            tournament: "t".into(),
            fingerprint: "00".into(),
            negotiations: 1,
            shard: ShardDoc { index: 0, count: 1 },
            width: 2,
            negotiators: vec![],
            scenarios: vec![],
            inputs: BTreeMap::from([
                ("plan".into(), "1".into()),
                ("detente".into(), "detente 0.1.0".into()),
                ("scenario:pie".into(), "2".into()),
                ("scenario:old".into(), "3".into()),
            ]),
        };
        let mut now = old.clone();
        assert!(old.input_changes(&now).is_empty());
        now.inputs.insert("scenario:pie".into(), "9".into());
        now.inputs.insert("detente".into(), "detente 0.2.0".into());
        now.inputs.remove("scenario:old");
        assert_eq!(
            old.input_changes(&now),
            [
                "the program: the results are of detente 0.1.0, this is detente 0.2.0",
                "the contents of scenario `pie`'s files changed",
                "scenario `old` was removed",
            ]
        );
        let older = ManifestDoc {
            inputs: BTreeMap::new(),
            ..old
        };
        assert!(older.input_changes(&now)[0].contains("older detente"));
    }
}
