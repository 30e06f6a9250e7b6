//! Negotiation protocols, each a step-wise state machine: `step()` advances by one turn and
//! `run()` is a loop over it.

mod saop;

pub use saop::{Saop, SaopConfig, Step};

use std::time::Duration;

/// A source of elapsed time, injected by the caller: the engine never reads a clock itself.
/// Only needed for wall-clock limits.
pub trait Clock: Send + Sync {
    /// Time elapsed since the negotiation started.
    fn elapsed(&self) -> Duration;
}

/// Mixes a seed and a stream number into an independent seed (SplitMix64 finaliser), so that
/// every negotiation and every negotiator in it gets its own reproducible random stream.
pub fn derive_seed(seed: u64, stream: u64) -> u64 {
    let mut z = seed ^ stream.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
