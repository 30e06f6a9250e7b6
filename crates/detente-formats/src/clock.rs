//! The wall clock: the one [`Clock`] that reads real time, for wall-clock limits of a
//! negotiation (`ProtocolSettings::time_limit`) and per-step budgets of tournaments. The
//! engine never reads a clock itself; the edge of the program hands it this one.

use std::time::{Duration, Instant};

use detente_core::protocol::Clock;

/// The process's wall clock, counting from when it was started.
#[derive(Debug, Clone, Copy)]
pub struct WallClock(pub Instant);

impl WallClock {
    /// A clock counting from now.
    pub fn start() -> Self {
        WallClock(Instant::now())
    }
}

impl Clock for WallClock {
    fn elapsed(&self) -> Duration {
        self.0.elapsed()
    }
}
