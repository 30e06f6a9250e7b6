//! Integration tests of detente-tournament (one binary; the modules are beside this file).

mod common;
mod determinism;
mod examples;
mod faults;
mod resume;
mod summary;
