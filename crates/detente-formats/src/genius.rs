//! GENIUS XML scenarios (being written).
use std::path::PathBuf;
use crate::{FormatError, Loaded, Result};
/// Reads a GENIUS domain file and its utility-space files.
pub fn load_files(files: &[PathBuf]) -> Result<Loaded> {
    Err(FormatError::Unrecognised { path: files[0].clone(), message: "GENIUS XML is not supported yet".into() })
}
