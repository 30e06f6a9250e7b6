//! Test support: locates the shared reference data (`../shared` beside the workspace root:
//! the real ANAC domains and the reference values computed for them), and makes temporary
//! folders ([`TempDir`]).
//!
//! Tests call [`shared_dir`]. When the folder is absent (a clone used elsewhere) it prints a
//! notice and returns `None`, and the test returns early; when the environment variable
//! `DETENTE_REQUIRE_SHARED` is set (as `.ci/run` does), absence is a failure instead.

mod temp;

use std::path::{Path, PathBuf};

pub use temp::{KEEP_TEMP_VAR, TempDir};

/// The environment variable that makes missing shared data a test failure.
pub const REQUIRE_VAR: &str = "DETENTE_REQUIRE_SHARED";

/// The workspace root (the folder holding the top-level `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    // This crate lives at <root>/crates/detente-testkit.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crate sits two levels below the root")
        .to_path_buf()
}

/// The shared data folder, or `None` (with a printed notice) when it is absent.
///
/// # Panics
/// When it is absent and [`REQUIRE_VAR`] is set.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("DETENTE_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("..").join("shared"));
    if dir.join("scenarios").join("genius").is_dir() {
        return Some(dir);
    }
    if std::env::var_os(REQUIRE_VAR).is_some() {
        panic!(
            "shared data not found at {} and {REQUIRE_VAR} is set",
            dir.display()
        );
    }
    eprintln!(
        "notice: shared data not found at {}; skipping this test",
        dir.display()
    );
    None
}

/// A domain folder of the shared GENIUS scenarios, e.g. `genius_domain("Camera")`.
pub fn genius_domain(name: &str) -> Option<PathBuf> {
    shared_dir().map(|d| d.join("scenarios").join("genius").join(name))
}

/// Every domain folder of the shared GENIUS scenarios, sorted by name.
pub fn genius_domains() -> Vec<PathBuf> {
    let Some(dir) = shared_dir() else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir.join("scenarios").join("genius"))
        .expect("shared scenarios folder is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

/// The reference values file (`reference/genius.json`).
pub fn reference_json() -> Option<PathBuf> {
    shared_dir().map(|d| d.join("reference").join("genius.json"))
}
