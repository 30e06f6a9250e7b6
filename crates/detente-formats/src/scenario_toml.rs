//! detente's TOML scenario format (being written).
use std::path::Path;
use crate::{FormatError, Loaded, Result};
/// Reads a TOML scenario file.
pub fn load(path: &Path) -> Result<Loaded> {
    Err(FormatError::Unrecognised { path: path.to_path_buf(), message: "TOML is not supported yet".into() })
}
