//! Integration tests of the `detente` binary (one test binary, modules below).

mod cli;
mod ensembles;
mod events;
mod first_minutes;
mod golden;
mod hostile;
mod inspect;
mod readme;
mod report;
mod support;
mod tournament;
