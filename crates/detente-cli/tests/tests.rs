//! Integration tests of the `detente` binary (one test binary, modules below).

mod cli;
mod events;
mod golden;
mod hostile;
mod inspect;
mod report;
mod support;
mod tournament;
