//! The baselines of the BOA framework (GENIUS `PerfectModel`, `UniformModel`,
//! `OppositeModel`, `WorstModel`, `NoModel`): models that learn nothing, used as bounds and
//! controls in experiments.

use std::sync::Arc;

use detente_core::{NegotiatorError, OpponentEstimate, PartyTable};

use super::{ModelEntry, ModelSetup, OpponentModel, plain};

/// A utility table read by outcome values.
#[derive(Debug, Clone, Default)]
struct Lookup {
    table: Option<Arc<PartyTable>>,
    cardinalities: Vec<u32>,
}

impl Lookup {
    fn of(setup: &ModelSetup<'_>, party: usize) -> Result<Self, NegotiatorError> {
        let table = setup
            .info
            .tables
            .party(setup.info.scenario, party)
            .map_err(|e| NegotiatorError(format!("cannot read party {party}'s utilities: {e}")))?;
        Ok(Lookup {
            table: Some(table),
            cardinalities: setup.space.cardinalities().to_vec(),
        })
    }

    #[inline]
    fn utility(&self, values: &[u32]) -> f64 {
        let Some(t) = &self.table else { return 0.0 };
        let mut id = 0u64;
        for (&v, &c) in values.iter().zip(&self.cardinalities) {
            id = id * u64::from(c) + u64::from(v);
        }
        t.utilities[id as usize]
    }
}

/// The opponent's true utility (GENIUS `PerfectModel`): an upper bound on what a model can
/// know, for experiments. It reads the opponent's preferences from the scenario, which a real
/// negotiator cannot.
#[derive(Debug, Clone, Default)]
pub struct Perfect(Lookup);

/// One minus the opponent's true utility (GENIUS `WorstModel`): the worst possible model, for
/// experiments. NegMAS 0.16's `GWorstModel` gives one minus this party's own utility instead
/// (which is GENIUS's `OppositeModel`).
#[derive(Debug, Clone, Default)]
pub struct Worst(Lookup);

/// One minus this party's own utility (GENIUS `OppositeModel`): assumes the opponent wants
/// exactly the opposite.
#[derive(Debug, Clone, Default)]
pub struct Opposite(Lookup);

/// Every outcome worth 0.5 (GENIUS `UniformModel`): a model that knows nothing. NegMAS 0.16's
/// `GUniformModel` instead draws a random value per outcome.
#[derive(Debug, Clone, Copy, Default)]
pub struct Uniform;

/// No model at all (GENIUS `NoModel`): offering strategies choose bids without one.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoModel;

impl OpponentEstimate for Perfect {
    fn estimate(&self, values: &[u32]) -> f64 {
        self.0.utility(values)
    }
}

impl OpponentEstimate for Worst {
    fn estimate(&self, values: &[u32]) -> f64 {
        1.0 - self.0.utility(values)
    }
}

impl OpponentEstimate for Opposite {
    fn estimate(&self, values: &[u32]) -> f64 {
        1.0 - self.0.utility(values)
    }
}

impl OpponentEstimate for Uniform {
    fn estimate(&self, _: &[u32]) -> f64 {
        0.5
    }
}

impl OpponentEstimate for NoModel {
    fn estimate(&self, _: &[u32]) -> f64 {
        0.0
    }
}

macro_rules! learns_nothing {
    ($t:ty, $init:expr) => {
        impl OpponentModel for $t {
            fn init(&mut self, setup: &ModelSetup<'_>) -> Result<(), NegotiatorError> {
                #[allow(clippy::redundant_closure_call)]
                ($init)(self, setup)
            }
            fn update(&mut self, _: &[u32], _: f64) {}
            fn observed(&self) -> usize {
                0
            }
        }
    };
}

learns_nothing!(Perfect, |m: &mut Perfect, s: &ModelSetup<'_>| {
    m.0 = Lookup::of(s, s.opponent)?;
    Ok(())
});
learns_nothing!(Worst, |m: &mut Worst, s: &ModelSetup<'_>| {
    m.0 = Lookup::of(s, s.opponent)?;
    Ok(())
});
learns_nothing!(Opposite, |m: &mut Opposite, s: &ModelSetup<'_>| {
    m.0 = Lookup::of(s, s.info.party)?;
    Ok(())
});
learns_nothing!(Uniform, |_: &mut Uniform, _: &ModelSetup<'_>| Ok(()));

impl OpponentModel for NoModel {
    fn init(&mut self, _: &ModelSetup<'_>) -> Result<(), NegotiatorError> {
        Ok(())
    }
    fn update(&mut self, _: &[u32], _: f64) {}
    fn is_model(&self) -> bool {
        false
    }
    fn observed(&self) -> usize {
        0
    }
}

/// The entries of the baselines: `perfect`, `uniform`, `opposite`, `worst`, `none`.
pub(super) fn entries() -> Vec<ModelEntry> {
    let genius = |class: &str| format!("GENIUS {class} (BOA framework, Baarslag et al. 2014)");
    vec![
        ModelEntry::new(
            "perfect",
            "the opponent's true utility (reads its preferences: for experiments only)",
            plain::<Perfect>(),
        )
        .source(genius("PerfectModel")),
        ModelEntry::new("uniform", "every outcome worth 0.5", plain::<Uniform>())
            .source(genius("UniformModel")),
        ModelEntry::new(
            "opposite",
            "one minus its own utility: the opponent wants the opposite",
            plain::<Opposite>(),
        )
        .source(genius("OppositeModel")),
        ModelEntry::new(
            "worst",
            "one minus the opponent's true utility (for experiments only)",
            plain::<Worst>(),
        )
        .source(genius("WorstModel")),
        ModelEntry::new(
            "none",
            "no opponent model: bids are chosen without one",
            plain::<NoModel>(),
        )
        .source(genius("NoModel")),
    ]
}
