//! The random offering strategy (GENIUS `Random_Offering`).

use detente_core::NegotiatorError;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{Offering, OfferingEntry, OfferingStrategy};
use crate::boa::context::{Context, Setup};
use crate::boa::oms::OpponentModelStrategy;

/// Bids an outcome drawn uniformly from the space, from the negotiator's seed (a baseline:
/// "zero intelligence").
#[derive(Debug, Clone)]
pub struct RandomOffering {
    rng: ChaCha8Rng,
}

impl RandomOffering {
    /// Its registry entry, `random`.
    pub fn entry() -> OfferingEntry {
        OfferingEntry::new(
            "random",
            "bids an outcome drawn uniformly from the space",
            |_| {
                Box::new(RandomOffering {
                    rng: ChaCha8Rng::seed_from_u64(0),
                })
            },
        )
        .source("GENIUS Random_Offering")
    }
}

impl OfferingStrategy for RandomOffering {
    fn init(&mut self, setup: &Setup<'_>) -> Result<(), NegotiatorError> {
        self.rng = ChaCha8Rng::seed_from_u64(setup.info.seed ^ 0x0ffe);
        Ok(())
    }

    fn next_bid(&mut self, cx: &Context<'_>, _: &mut dyn OpponentModelStrategy) -> Offering {
        let pos = self.rng.random_range(0..cx.space.len());
        Offering::Bid(cx.space.id_at(pos))
    }
}
