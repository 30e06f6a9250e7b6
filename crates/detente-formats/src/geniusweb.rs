//! GeniusWeb JSON scenarios (being written).
use std::path::PathBuf;
use crate::{FormatError, Loaded, Result};
/// Reads a GeniusWeb domain file and its profile files.
pub fn load_files(files: &[PathBuf]) -> Result<Loaded> {
    Err(FormatError::Unrecognised { path: files[0].clone(), message: "GeniusWeb JSON is not supported yet".into() })
}
