//! Integration tests of detente-report (one test binary, modules below).

mod raster;
mod reports;
