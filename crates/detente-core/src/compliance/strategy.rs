//! How a bound party chooses between complying and breaching: the [`ComplianceStrategy`]
//! trait and its registry, with the built-in kinds ([`builtin`]):
//!
//! - `always-comply`: never breaches.
//! - `tit-for-tat`: breaches in a round when, in the previous round of the obligation, it saw
//!   (by its own observation, which may be wrong) some bound counterpart breach.
//! - `grim-trigger`: complies until it first sees a counterpart breach, then breaches for as
//!   long as the obligation is in force.
//! - `opportunistic`: breaches when the gain exceeds the expected cost of being caught,
//!   `breach_gain > detection · caught_cost` ([`ComplianceView::detection`]).

use rand::RngCore;

use super::Act;
use crate::registry::{Entry, Registry};

/// What a strategy sees when it chooses: its own round of one obligation.
#[derive(Debug, Clone, Copy)]
pub struct ComplianceView<'a> {
    /// The round, from 0 (post-agreement rounds continue the count).
    pub round: u32,
    /// The party choosing.
    pub party: usize,
    /// The obligation's issue.
    pub issue: usize,
    /// How many rounds the obligation has been in force before this one.
    pub rounds_in_force: u32,
    /// Whether, in the previous round of this obligation, it saw a bound counterpart breach.
    pub saw_breach_last_round: bool,
    /// Whether it has ever seen a bound counterpart breach this obligation.
    pub ever_saw_breach: bool,
    /// Its belief that each party complies (by party index; 1 for itself).
    pub beliefs: &'a [f64],
    /// What one round of breaching gains it.
    pub breach_gain: f64,
    /// What being caught costs it.
    pub caught_cost: f64,
    /// Probability that a breach of its own is detected: `1 - Π (1 - power)` over the other
    /// watchers (parties with a compliance profile and the monitor), where a watcher of
    /// accuracy `a` has power `max(0, 2a - 1)` ([`detection_power`]).
    pub detection: f64,
}

/// How much a watcher of accuracy `a` tells a breach from compliance: `max(0, 2a - 1)` (0 for
/// a coin flip, 1 for a perfect watcher).
pub fn detection_power(accuracy: f64) -> f64 {
    (2.0 * accuracy - 1.0).clamp(0.0, 1.0)
}

/// A bound party's way of choosing, one instance per party and obligation.
pub trait ComplianceStrategy: Send {
    /// Comply or breach this round. `rng` is the compliance phase's seeded stream.
    fn act(&mut self, view: &ComplianceView<'_>, rng: &mut dyn RngCore) -> Act;
}

/// Named compliance strategies.
pub type ComplianceRegistry = Registry<dyn ComplianceStrategy>;

struct AlwaysComply;
impl ComplianceStrategy for AlwaysComply {
    fn act(&mut self, _: &ComplianceView<'_>, _: &mut dyn RngCore) -> Act {
        Act::Comply
    }
}

struct TitForTat;
impl ComplianceStrategy for TitForTat {
    fn act(&mut self, view: &ComplianceView<'_>, _: &mut dyn RngCore) -> Act {
        if view.saw_breach_last_round {
            Act::Breach
        } else {
            Act::Comply
        }
    }
}

struct GrimTrigger;
impl ComplianceStrategy for GrimTrigger {
    fn act(&mut self, view: &ComplianceView<'_>, _: &mut dyn RngCore) -> Act {
        if view.ever_saw_breach {
            Act::Breach
        } else {
            Act::Comply
        }
    }
}

struct Opportunistic;
impl ComplianceStrategy for Opportunistic {
    fn act(&mut self, view: &ComplianceView<'_>, _: &mut dyn RngCore) -> Act {
        if view.breach_gain > view.detection * view.caught_cost {
            Act::Breach
        } else {
            Act::Comply
        }
    }
}

/// The built-in strategies: `always-comply`, `tit-for-tat`, `opportunistic`, `grim-trigger`.
pub fn builtin() -> ComplianceRegistry {
    let boxed = |s: Box<dyn ComplianceStrategy>| s;
    Registry::new("compliance strategy")
        .with_example("`opportunistic` or `tit-for-tat`")
        .with(Entry::new("always-comply", "never breaches", move |_| {
            boxed(Box::new(AlwaysComply))
        }))
        .with(Entry::new(
            "tit-for-tat",
            "breaches in a round when it saw a counterpart breach in the previous one",
            move |_| boxed(Box::new(TitForTat)),
        ))
        .with(Entry::new(
            "opportunistic",
            "breaches when the gain exceeds the expected cost of being caught \
             (breach_gain > detection * caught_cost)",
            move |_| boxed(Box::new(Opportunistic)),
        ))
        .with(Entry::new(
            "grim-trigger",
            "complies until it first sees a counterpart breach, then breaches for good",
            move |_| boxed(Box::new(GrimTrigger)),
        ))
}
