//! Fuzz target: arbitrary bytes, split at NUL into files, fed to the genius reader.
#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let files: Vec<(PathBuf, Vec<u8>)> = data
        .split(|b| *b == 0)
        .take(8)
        .enumerate()
        .map(|(i, part)| (PathBuf::from(format!("f{i}.xml")), part.to_vec()))
        .collect();
    let _ = detente_formats::genius::load_bytes(&files);
});
