//! Integration tests of detente-report (one test binary, modules below).

mod compliance;
mod raster;
mod reports;
