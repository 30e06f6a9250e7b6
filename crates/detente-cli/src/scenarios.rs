//! Finding and loading scenarios: files named on the command line, or the built-in default.

use std::path::{Path, PathBuf};

use anyhow::Result;
use detente_formats::{Loaded, scenario_toml};

use crate::input_error;

/// The built-in peace-talks scenario, compiled into the binary so it works from any directory.
pub const BUILTIN_TOML: &str = include_str!("../../../scenarios/ukraine-2025/ukraine-2025.toml");

/// The name the built-in scenario is reported under.
pub const BUILTIN_NAME: &str = "<built-in: scenarios/ukraine-2025/ukraine-2025.toml>";

/// Loads the scenario named by `paths` (a TOML file, a GENIUS or GeniusWeb folder, or a list of
/// files), or the built-in one when `paths` is empty. Problems are input errors.
pub fn load(paths: &[PathBuf]) -> Result<Loaded> {
    if paths.is_empty() {
        return scenario_toml::load_str(BUILTIN_TOML, Path::new(BUILTIN_NAME)).map_err(input_error);
    }
    for p in paths {
        if !p.exists() {
            return Err(input_error(anyhow::anyhow!(
                "{}: no such file or folder",
                p.display()
            )));
        }
    }
    detente_formats::load(paths).map_err(input_error)
}

/// How messages name the scenario of `paths`: the paths as given, or the built-in scenario's
/// name when there are none.
pub fn source_name(paths: &[PathBuf]) -> String {
    if paths.is_empty() {
        return BUILTIN_NAME.to_string();
    }
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reports the loader's diagnostics: warnings, or with `--strict` an input error.
pub fn warn(loaded: &Loaded) -> Result<()> {
    crate::ui::diagnostics(&loaded.diagnostics)
}
