//! Fuzz target `toml_scenario`: arbitrary bytes fed to `targets::toml_scenario` (see that module for the
//! input layout and what an accepted input goes through).
#![no_main]

#[path = "../../tests/fuzz/targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::toml_scenario(data));
