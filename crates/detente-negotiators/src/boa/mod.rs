//! The BOA architecture (Baarslag, Hindriks, Hendrikx, Dirkzwager and Jonker, "Decoupling
//! negotiating agents to explore the space of negotiation strategies", 2014): a negotiator
//! composed of four components, each a trait with a registry of its own kinds.
//!
//! - an **offering strategy** ([`OfferingStrategy`], [`offering::kinds`]): which bid to make;
//! - **opponent models** ([`OpponentModel`], [`models::kinds`]): what the other parties want,
//!   learnt from their bids, one model per other party;
//! - an **opponent-model strategy** ([`OpponentModelStrategy`], [`oms::kinds`]): how the
//!   models choose among bids near the offering strategy's target, and until when they learn;
//! - an **acceptance condition** ([`AcceptanceStrategy`], [`acceptance::kinds`]): whether to
//!   accept the offer on the table.
//!
//! The negotiator kind `boa` ([`BoaKinds::entry`]) composes them from a spec such as
//! `boa:offer=time-dependent(e=0.2),model=smith-frequency,accept=ac-next`; [`Boa`] runs them.
//! Components see the talks through a [`Context`] (time, the party's [`OwnSpace`], the
//! [`History`] of bids, the [`Models`]). Named agents are compositions of these components
//! (with components of their own where an agent's published description needs them).

pub mod acceptance;
pub mod agents;
mod context;
pub mod fawkes_oms;
pub mod gp;
pub(crate) mod java_random;
pub mod models;
mod negotiator;
pub mod offering;
pub mod oms;
mod space;

use std::sync::Arc;

use detente_core::registry::{ComponentParam, Spec};

pub use acceptance::{AcceptanceStrategy, Decision};
pub use context::{Bid, Context, History, Setup};
pub use java_random::{JavaRandom, Seeds};
pub use models::{Additive, Cap, Combined, ModelSetup, Models, OpponentModel};
pub use negotiator::Boa;
pub use offering::{Offering, OfferingStrategy};
pub use oms::OpponentModelStrategy;
pub use space::OwnSpace;

use crate::registry::KindEntry;

/// The registries of BOA components a negotiator registry uses: every kind of offering
/// strategy, opponent model, opponent-model strategy and acceptance condition. Cheap to clone.
#[derive(Clone, Debug)]
pub struct BoaKinds {
    /// Offering strategies.
    pub offering: offering::OfferingKinds,
    /// Opponent models.
    pub models: models::ModelKinds,
    /// Opponent-model strategies.
    pub strategies: oms::ModelStrategyKinds,
    /// Acceptance conditions.
    pub acceptance: acceptance::AcceptanceKinds,
}

impl Default for BoaKinds {
    fn default() -> Self {
        Self::builtin()
    }
}

/// The `boa` kind's defaults.
const OFFER: &str = "time-dependent";
const MODEL: &str = "hardheaded-frequency";
const STRATEGY: &str = "best-bid";
const ACCEPT: &str = "ac-next";

impl BoaKinds {
    /// Every built-in component.
    pub fn builtin() -> Self {
        BoaKinds {
            offering: offering::kinds(),
            models: models::kinds(),
            strategies: oms::kinds(),
            acceptance: acceptance::kinds(),
        }
    }

    /// A parameter naming an opponent model, with its default.
    pub fn model_param(&self, name: &str, default: Spec, meaning: &str) -> ComponentParam {
        ComponentParam::new(name, Arc::new(self.models.clone()), default, meaning)
    }

    /// The negotiator kind `boa`, composing these components.
    pub fn entry(&self) -> KindEntry {
        self.composed(
            "boa",
            "a negotiator composed of BOA components: an offering strategy, opponent models, \
             an opponent-model strategy and an acceptance condition",
            [OFFER, MODEL, STRATEGY, ACCEPT],
        )
        .source(
            "Baarslag, Hindriks, Hendrikx, Dirkzwager and Jonker, Decoupling negotiating agents \
             to explore the space of negotiation strategies, 2014; GENIUS BoaParty",
        )
    }

    /// A negotiator kind composing these components, with the default offering strategy,
    /// opponent model, opponent-model strategy and acceptance condition `defaults` (each a
    /// spec; every one can be changed as a parameter, e.g. `hardheaded:model=smith-frequency`).
    pub fn composed(&self, name: &str, summary: &str, defaults: [&str; 4]) -> KindEntry {
        let kinds = self.clone();
        let spec = |s: &str| Spec::parse("BOA component", s).expect("a valid built-in spec");
        let [offer, model, strategy, accept] = defaults;
        KindEntry::new(name, summary, move |p| {
            let make = "the registry checked the components";
            Box::new(Boa::new(
                kinds.offering.create(p.component("offer")).expect(make),
                kinds.models.clone(),
                p.component("model").clone(),
                kinds.strategies.create(p.component("oms")).expect(make),
                kinds.acceptance.create(p.component("accept")).expect(make),
            ))
        })
        .component(ComponentParam::new(
            "offer",
            Arc::new(self.offering.clone()),
            spec(offer),
            "the offering strategy: which bid to make",
        ))
        .component(self.model_param(
            "model",
            spec(model),
            "the opponent model, one per other party",
        ))
        .component(ComponentParam::new(
            "oms",
            Arc::new(self.strategies.clone()),
            spec(strategy),
            "the opponent-model strategy: how the models choose among bids near the target",
        ))
        .component(ComponentParam::new(
            "accept",
            Arc::new(self.acceptance.clone()),
            spec(accept),
            "the acceptance condition",
        ))
    }
}
