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

/// A fresh temporary folder for one test: `module` and `name` keep parallel tests apart.
pub fn temp(module: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("detente-{module}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
