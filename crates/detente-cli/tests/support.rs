//! Helpers every test module of the binary shares.

use std::path::PathBuf;

use assert_cmd::Command;

/// The `detente` binary under test.
pub fn detente() -> Command {
    Command::cargo_bin("detente").expect("the detente binary is built")
}

/// A path relative to the repository root.
pub fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}
