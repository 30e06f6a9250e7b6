//! Integration tests of detente-formats' GENIUS and GeniusWeb readers and writers.

mod bad_input;
mod common;
mod compliance;
mod fuzz;
mod genius;
mod geniusweb;
mod robustness;
mod roundtrip;
