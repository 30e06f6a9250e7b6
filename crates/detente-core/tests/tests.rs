//! Integration tests of the engine (one test binary, modules below).

mod compliance;
mod extension;
