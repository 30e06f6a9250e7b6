//! Fuzz target `genius`: arbitrary bytes fed to `targets::genius_files` (see that module for the
//! input layout and what an accepted input goes through).
#![no_main]

#[path = "../../tests/fuzz/targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::genius_files(data));
