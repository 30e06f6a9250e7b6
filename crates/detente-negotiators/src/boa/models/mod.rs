//! Opponent models: what a BOA negotiator learns of another party's preferences from the bids
//! that party makes, one model per other party.
//!
//! Each model is an [`OpponentModel`]: it starts from the outcome space ([`ModelSetup`]), is
//! updated with every bid its opponent makes, and estimates that opponent's utility of any
//! outcome. The kinds ([`kinds`]): the frequency models of HardHeaded, AgentSmith, CUHKAgent
//! and the Nash frequency model; the Bayesian model of Hindriks and Tykhonov and its scalable
//! variant; and the baselines `perfect` (the true utility: an upper bound for experiments),
//! `uniform`, `opposite`, `worst`, and `none` (no model at all). Each kind's docs give its
//! source and where the port had to choose.
//!
//! Several opponents ([`Models`]): in multilateral talks a BOA negotiator keeps one model per
//! other party, each updated with that party's bids only. Offering and acceptance see one
//! combined estimate, the **minimum** over the opponents whose model has seen at least one
//! bid (all of them before any has): an agreement under SAOP needs every party to accept, so
//! a bid is as likely to pass as its least satisfied opponent finds it good. GENIUS's
//! `BoaParty` and NegMAS's BOA negotiator instead feed every opponent's bids into one model;
//! `detente` keeps them apart so that accuracy is measured per opponent.

mod baseline;
mod bayesian;
mod fawkes;
mod frequency;
mod scores;

use detente_core::registry::{Entry, Params, Registry};
use detente_core::{NegotiatorError, OpponentEstimate, SessionInfo};

use super::space::OwnSpace;

pub use baseline::{NoModel, Opposite, Perfect, Uniform, Worst};
pub use bayesian::{Bayesian, ScalableBayesian};
pub use frequency::{CuhkFrequency, HardHeadedFrequency, NashFrequency, SmithFrequency};
pub use scores::Scores;

/// What an opponent model learns once: the session, this party's space, and whom it models.
#[derive(Clone, Copy)]
pub struct ModelSetup<'a> {
    /// The session as the negotiator learnt it (the `perfect` and `worst` baselines read the
    /// opponent's true preferences from its scenario; learning models never do).
    pub info: &'a SessionInfo<'a>,
    /// This party's view of the outcome space (issue cardinalities, its own utilities).
    pub space: &'a OwnSpace,
    /// The party modelled.
    pub opponent: usize,
}

impl std::fmt::Debug for ModelSetup<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModelSetup")
            .field("opponent", &self.opponent)
            .finish_non_exhaustive()
    }
}

/// A model of one opponent's preferences. [`OpponentEstimate::estimate`] gives its current
/// estimate of the opponent's utility of an outcome (by its values).
pub trait OpponentModel: OpponentEstimate + Send {
    /// Starts afresh for a session.
    fn init(&mut self, setup: &ModelSetup<'_>) -> Result<(), NegotiatorError>;

    /// Learns from a bid the opponent made (its values) at normalised time `time`.
    fn update(&mut self, values: &[u32], time: f64);

    /// The estimated issue weights, if the model has them (summing to 1).
    fn issue_weights(&self) -> Option<Vec<f64>> {
        None
    }

    /// Whether this is a model at all (`false` for `none`: offering strategies then choose
    /// bids without one, as GENIUS does for its `NoModel`).
    fn is_model(&self) -> bool {
        true
    }

    /// Number of bids it has learnt from.
    fn observed(&self) -> usize;

    /// Its estimate as a sum of per-value scores, when it is one (`estimate(values)` is then
    /// `cap(Σ_i score[i][values[i]])`, summed in issue order): lets a caller rating many
    /// outcomes skip the dynamic call per outcome.
    fn additive(&self) -> Option<Additive<'_>> {
        None
    }
}

/// An additive estimate: per-issue tables of value scores, summed, then capped.
#[derive(Debug, Clone, Copy)]
pub struct Additive<'a> {
    /// `score[issue][value]`.
    pub scores: &'a Scores,
    /// What is done to the sum.
    pub cap: Cap,
}

/// What an additive estimate does to its sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    /// Nothing.
    None,
    /// At most 1.
    AtMostOne,
    /// Within `[0, 1]`.
    Unit,
    /// Divided by this total (0 when the sum is 0).
    Share(u64),
}

impl Additive<'_> {
    /// The estimate of an outcome whose values are `values`.
    #[inline]
    pub fn estimate<V: Copy + Into<u32>>(&self, values: &[V]) -> f64 {
        let u = self.scores.sum(values);
        match self.cap {
            Cap::None => u,
            Cap::AtMostOne => u.min(1.0),
            Cap::Unit => u.clamp(0.0, 1.0),
            Cap::Share(_) if u == 0.0 => 0.0,
            Cap::Share(total) => u / total as f64,
        }
    }
}

/// The registry of opponent models.
pub type ModelKinds = Registry<dyn OpponentModel>;

/// An entry of the opponent-model registry.
pub type ModelEntry = Entry<dyn OpponentModel>;

/// The built-in opponent models, in this order: `hardheaded-frequency`, `smith-frequency`,
/// `cuhk-frequency`, `nash-frequency`, `bayesian`, `scalable-bayesian`, `perfect`, `uniform`,
/// `opposite`, `worst`, `none`.
pub fn kinds() -> ModelKinds {
    let mut r = Registry::new("opponent model")
        .with_example("`smith-frequency` or `hardheaded-frequency(l=0.2)`");
    for e in [
        HardHeadedFrequency::entry(),
        SmithFrequency::entry(),
        CuhkFrequency::entry(),
        NashFrequency::entry(),
        Bayesian::entry(),
        ScalableBayesian::entry(),
        fawkes::entry(),
    ]
    .into_iter()
    .chain(baseline::entries())
    {
        r = r.with(e);
    }
    r
}

/// A constructor that ignores its parameters.
pub(crate) fn plain<M: OpponentModel + Default + 'static>()
-> impl Fn(&Params<'_>) -> Box<dyn OpponentModel> + Send + Sync + 'static {
    |_| Box::new(M::default())
}

/// The models a combined estimate reads ([`Models::combined`]).
pub enum Combined<'a> {
    /// One model (bilateral talks, or one informed opponent): its estimate.
    One(&'a dyn OpponentModel),
    /// Several: the minimum of their estimates (infinity without models).
    Many(Vec<&'a dyn OpponentModel>),
}

impl Combined<'_> {
    /// The combined estimate of an outcome.
    #[inline]
    pub fn estimate(&self, values: &[u32]) -> f64 {
        match self {
            Combined::One(m) => m.estimate(values),
            Combined::Many(ms) => ms
                .iter()
                .map(|m| m.estimate(values))
                .fold(f64::INFINITY, f64::min),
        }
    }
}

/// The opponent models of one negotiator: one per other party (none for itself).
#[derive(Default)]
pub struct Models {
    models: Vec<Option<Box<dyn OpponentModel>>>,
    any: bool,
}

impl std::fmt::Debug for Models {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Models")
            .field("parties", &self.models.len())
            .field("any", &self.any)
            .finish()
    }
}

impl Models {
    /// One model of kind `spec` per party other than `setup.info.party`.
    pub(crate) fn new(
        kinds: &ModelKinds,
        spec: &detente_core::registry::Spec,
        info: &SessionInfo<'_>,
        space: &OwnSpace,
    ) -> Result<Self, NegotiatorError> {
        let mut models = Vec::with_capacity(info.n_parties());
        let mut any = false;
        for opponent in 0..info.n_parties() {
            if opponent == info.party {
                models.push(None);
                continue;
            }
            let mut m = kinds
                .create(spec)
                .map_err(|e| NegotiatorError(e.to_string()))?;
            m.init(&ModelSetup {
                info,
                space,
                opponent,
            })?;
            any |= m.is_model();
            models.push(Some(m));
        }
        Ok(Models { models, any })
    }

    /// Whether there is a model at all (not `none`).
    pub fn any(&self) -> bool {
        self.any
    }

    /// The model of party `p`.
    pub fn of(&self, p: usize) -> Option<&dyn OpponentModel> {
        self.models.get(p).and_then(|m| m.as_deref())
    }

    /// Learns from party `p`'s bid.
    pub(crate) fn update(&mut self, p: usize, values: &[u32], time: f64) {
        if let Some(Some(m)) = self.models.get_mut(p) {
            m.update(values, time);
        }
    }

    /// The combined estimate of an outcome: the minimum over the opponents whose model has
    /// seen a bid (over all opponents before any has). To estimate many outcomes, take the
    /// [`combined`](Self::combined) view once.
    pub fn estimate(&self, values: &[u32]) -> f64 {
        self.combined().estimate(values)
    }

    /// The models the combined estimate reads as things stand: those that have seen a bid
    /// (all of them before any has).
    pub fn combined(&self) -> Combined<'_> {
        let informed = self.models.iter().flatten().any(|m| m.observed() > 0);
        let mut chosen = self
            .models
            .iter()
            .flatten()
            .filter(|m| !informed || m.observed() > 0)
            .map(|m| m.as_ref());
        match (chosen.next(), chosen.next()) {
            (Some(one), None) => Combined::One(one),
            (first, second) => {
                Combined::Many(first.into_iter().chain(second).chain(chosen).collect())
            }
        }
    }

    /// The models, by party (`None` for this negotiator's own place).
    pub fn iter(&self) -> impl Iterator<Item = Option<&dyn OpponentModel>> {
        self.models.iter().map(|m| m.as_deref())
    }
}

#[cfg(test)]
mod tests;
