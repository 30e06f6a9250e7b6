//! Fuzz target `trace_json`: arbitrary bytes fed to `targets::trace_json` (see that module for the
//! input layout and what an accepted input goes through).
#![no_main]

#[path = "../../tests/fuzz/targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::trace_json(data));
