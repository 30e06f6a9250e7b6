//! Helpers every test module of the binary shares.

use std::path::PathBuf;

use assert_cmd::Command;

/// The `detente` binary under test, without `detente run`'s ensemble (`DETENTE_ENSEMBLE=0`:
/// 200 more runs of every negotiation would cost each test seconds in a debug build); the tests
/// of the ensemble ask for it (`--ensemble N`, which wins over the variable).
pub fn detente() -> Command {
    let mut c = Command::cargo_bin("detente").expect("the detente binary is built");
    c.env("DETENTE_ENSEMBLE", "0");
    c
}

/// A path relative to the repository root.
pub fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

/// The built-in peace talks without their compliance phase (the energy pause's obligation,
/// the event that agrees it and the parties' compliance tables), written to `dir`: for tests
/// of the negotiators and of inspection, which the pause's moving trust would blur.
pub fn peace_talks_without_pause(dir: &std::path::Path) -> PathBuf {
    let text = std::fs::read_to_string(repo("scenarios/ukraine-2025/ukraine-2025.toml")).unwrap();
    let sections: Vec<&str> = text
        .split("\n# ---")
        .filter(|s| !s.contains("[[obligations]]"))
        .collect();
    let mut text = sections.join("\n# ---");
    let start = text
        .find("[[events]]\n# 18 March")
        .expect("the pause event");
    let end = start + text[start..].find("\n\n[[events]]").expect("a later event") + 2;
    text.replace_range(start..end, "");
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("compliance = {"))
        .map(|l| format!("{l}\n"))
        .collect();
    let path = dir.join("ukraine-2025-without-pause.toml");
    std::fs::write(&path, text).unwrap();
    path
}
