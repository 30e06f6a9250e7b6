//! Integration tests of detente-analysis (one binary).

mod golden;
mod setting;
