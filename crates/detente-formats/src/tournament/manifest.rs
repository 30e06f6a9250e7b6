//! The manifest (`manifest.json`): what a tournament output folder holds, so that resumed runs
//! and merges can check they continue the same plan and shard.

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
}
