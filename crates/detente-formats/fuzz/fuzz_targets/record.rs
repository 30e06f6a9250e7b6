//! Fuzz target `record`: arbitrary bytes fed to `targets::record` (see that module for the
//! input layout and what an accepted input goes through).
#![no_main]

#[path = "../../tests/fuzz/targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::record(data));
