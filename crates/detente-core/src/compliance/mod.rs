//! Compliance: the phase after agreement. Some issues (or some of their values) are
//! **obligations**: once an obligation value is settled (by a partial agreement, a `settle`
//! effect or the full agreement), every bound party chooses, each round, to comply or to
//! breach; breaches are observed with noise, the parties publish reports shaped by their
//! bias, an optional monitor reports too, and every party updates its belief that each
//! counterpart complies. Negotiators value a deal at its expected worth under those beliefs
//! (see [`trust`]), so distrust shrinks the deal zone.
//!
//! The model, round by round (at the start of every round the obligation is in force, before
//! the timeline events fire; after a full agreement, in a post-agreement phase of its own):
//!
//! 1. **Acts.** Each bound party's [`ComplianceStrategy`] chooses [`Act::Comply`] or
//!    [`Act::Breach`] (always-comply, tit-for-tat, opportunistic, grim-trigger, or a kind a
//!    user registers in a [`ComplianceRegistry`]).
//! 2. **Observations.** Every party with a compliance profile sees what each *other* bound
//!    party did, correctly with probability `accuracy` (its act flipped otherwise); a monitor
//!    of accuracy `m` does the same.
//! 3. **Reports** `{by, about, claim}`. About a counterpart, a party claims a breach when it
//!    saw one, and also, with probability `bias`, when it saw compliance (over-reporting the
//!    other side). About itself, it claims compliance when it complied and also, with
//!    probability `bias`, when it breached (under-reporting itself). An honest party (`bias`
//!    0) reports what it saw and what it did. The monitor reports what it saw.
//! 4. **Beliefs** ([`Belief`]): each party's belief about each bound counterpart is a
//!    posterior over the counterpart's per-round compliance rate, updated by Bayes' rule from
//!    its own observation and the reports of third parties and the monitor, each weighted by
//!    the reporter's reliability (its accuracy). A party's claims about itself are cheap talk
//!    and carry no weight.
//!
//! Every random draw comes from one stream, `derive_seed(seed, COMPLIANCE_STREAM)`, separate
//! from the negotiators' and the mediator's, so scenarios without obligations negotiate
//! exactly as before. Draws happen in a fixed order (obligations in issue order; within one,
//! acts by bound party, observations by observer then subject, the monitor, reports by
//! reporter then subject), so a seed gives one trace.

pub mod belief;
mod strategy;
pub mod trust;
mod watch;

pub use belief::Belief;
pub use strategy::{
    ComplianceRegistry, ComplianceStrategy, ComplianceView, builtin, detection_power,
};
pub use watch::{Watch, WatchRound};

use crate::error::{Error, Result};
use crate::registry::Spec;
use crate::trace::{ComplianceRecord, Trace};

/// The random stream of the compliance phase: `derive_seed(seed, COMPLIANCE_STREAM)`.
pub const COMPLIANCE_STREAM: u64 = 0x636f_6d70_6c79; // "comply"

/// What a bound party does in one round under an obligation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Act {
    /// It keeps the obligation.
    Comply,
    /// It breaks it this round.
    Breach,
}

impl Act {
    /// Lower-case name, as traces and transcripts write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Act::Comply => "comply",
            Act::Breach => "breach",
        }
    }

    /// The other act.
    pub fn flipped(self) -> Act {
        match self {
            Act::Comply => Act::Breach,
            Act::Breach => Act::Comply,
        }
    }
}

/// An issue (or some of its values) that binds parties once settled.
#[derive(Debug, Clone, PartialEq)]
pub struct Obligation {
    /// The issue (index in the outcome space). It must have a status quo: the value that
    /// holds, in effect, when the obligation is broken.
    pub issue: usize,
    /// The values that bind (indices among the issue's values; never the status quo).
    pub values: Vec<u32>,
    /// The parties bound by it (indices in turn order).
    pub bound: Vec<usize>,
    /// How many rounds it stays in force once settled (the 30-day pause); `None`: until the
    /// talks end (after a full agreement: until the deadline).
    pub expire_after: Option<u32>,
}

/// A party's compliance preferences and how it watches and reports.
#[derive(Debug, Clone, PartialEq)]
pub struct ComplianceProfile {
    /// What one round of breaching gains it, in utility.
    pub breach_gain: f64,
    /// What being caught breaching costs it, in utility.
    pub caught_cost: f64,
    /// Probability that it sees a counterpart's act correctly, in `[0, 1]`.
    pub accuracy: f64,
    /// Probability, in `[0, 1]`, that it accuses a counterpart it saw comply, and that it
    /// denies a breach of its own.
    pub bias: f64,
    /// Its belief, before any report, that a counterpart complies, in `(0, 1)`.
    pub prior: f64,
    /// How it chooses between complying and breaching (a kind of the compliance registry).
    pub strategy: Spec,
}

impl Default for ComplianceProfile {
    fn default() -> Self {
        ComplianceProfile {
            breach_gain: 0.0,
            caught_cost: 0.0,
            accuracy: 0.5,
            bias: 0.0,
            prior: DEFAULT_PRIOR,
            strategy: Spec::new("always-comply"),
        }
    }
}

/// The prior belief in a counterpart's compliance of a party without a stated one.
pub const DEFAULT_PRIOR: f64 = 0.5;

/// An issue whose agreed value sets the monitor's accuracy: verification is negotiated over.
#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    /// The issue (index in the outcome space).
    pub issue: usize,
    /// The monitor's accuracy under each value (`None`: no monitor, as under `none`).
    pub accuracy: Vec<Option<f64>>,
}

/// Everything a scenario says about compliance (empty by default: no obligations).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Compliance {
    /// The obligations, at most one per issue.
    pub obligations: Vec<Obligation>,
    /// Each party's profile, by party index (missing or `None`: the party neither watches nor
    /// reports, holds the default prior and, when bound, always complies).
    pub profiles: Vec<Option<ComplianceProfile>>,
    /// The monitor's accuracy when no verification issue is settled (`None`: no monitor).
    pub monitor: Option<f64>,
    /// The prior of parties without a profile ([`DEFAULT_PRIOR`] when `None`).
    pub prior: Option<f64>,
    /// The verification issue, if the scenario has one.
    pub verification: Option<Verification>,
}

impl Compliance {
    /// Whether the scenario has no obligation (nothing of this module runs).
    pub fn is_empty(&self) -> bool {
        self.obligations.is_empty()
    }

    /// Party `p`'s prior belief that a counterpart complies.
    pub fn prior_of(&self, p: usize) -> f64 {
        self.profile(p)
            .map_or(self.prior.unwrap_or(DEFAULT_PRIOR), |c| c.prior)
    }

    /// Party `p`'s profile, if it has one.
    pub fn profile(&self, p: usize) -> Option<&ComplianceProfile> {
        self.profiles.get(p).and_then(Option::as_ref)
    }

    /// The obligation on issue `i`, if any.
    pub fn obligation_on(&self, issue: usize) -> Option<&Obligation> {
        self.obligations.iter().find(|o| o.issue == issue)
    }

    /// Whether party `p` is bound by some obligation.
    pub fn is_bound(&self, p: usize) -> bool {
        self.obligations.iter().any(|o| o.bound.contains(&p))
    }

    /// The monitor's accuracy given the settled issues (the verification issue's value when it
    /// is settled, otherwise [`Compliance::monitor`]).
    pub fn monitor_accuracy(&self, settled: &[Option<u32>]) -> Option<f64> {
        if let Some(v) = &self.verification
            && let Some(Some(value)) = settled.get(v.issue)
        {
            return v.accuracy.get(*value as usize).copied().flatten();
        }
        self.monitor
    }

    /// Checks the compliance settings against a scenario's parties and issues.
    ///
    /// # Errors
    /// An obligation on an issue without a status quo, naming no value or a status-quo value,
    /// binding an unknown party or fewer than one; two obligations on one issue; a
    /// probability outside `[0, 1]` (a prior outside `(0, 1)`); a negative gain or cost.
    pub fn validate(&self, scenario: &crate::Scenario) -> Result<()> {
        let bad = |m: String| Err(Error::InvalidScenario(m));
        let issues = scenario.space.issues();
        for (k, o) in self.obligations.iter().enumerate() {
            let Some(issue) = issues.get(o.issue) else {
                return bad(format!("obligation #{} names no issue of the space", k + 1));
            };
            let Some(quo) = issue.status_quo else {
                return bad(format!(
                    "the obligation on `{}` needs the issue's status_quo (what holds when it \
                     is broken)",
                    issue.name
                ));
            };
            if o.values.is_empty() || o.values.contains(&quo) {
                return bad(format!(
                    "the obligation on `{}` must name values other than its status quo",
                    issue.name
                ));
            }
            if o.bound.is_empty() || o.bound.iter().any(|&p| p >= scenario.parties.len()) {
                return bad(format!(
                    "the obligation on `{}` must bind parties of the scenario",
                    issue.name
                ));
            }
            if self.obligations[..k].iter().any(|x| x.issue == o.issue) {
                return bad(format!("two obligations on `{}`", issue.name));
            }
        }
        for (p, profile) in self.profiles.iter().enumerate() {
            let Some(c) = profile else { continue };
            let name = scenario.parties.get(p).map_or("?", |x| x.name.as_str());
            check_profile(c).map_err(|m| Error::InvalidScenario(format!("party `{name}`: {m}")))?;
        }
        if let Some(p) = self.prior
            && !(p > 0.0 && p < 1.0)
        {
            return bad(format!("the compliance prior {p} is outside (0, 1)"));
        }
        let monitors = self.monitor.into_iter().chain(
            self.verification
                .iter()
                .flat_map(|v| v.accuracy.iter().flatten().copied()),
        );
        for m in monitors {
            if !(0.0..=1.0).contains(&m) {
                return bad(format!("monitor accuracy {m} is outside [0, 1]"));
            }
        }
        Ok(())
    }
}

/// Checks one profile's numbers.
fn check_profile(c: &ComplianceProfile) -> std::result::Result<(), String> {
    for (name, v) in [("accuracy", c.accuracy), ("bias", c.bias)] {
        if !(0.0..=1.0).contains(&v) {
            return Err(format!("compliance {name} {v} is outside [0, 1]"));
        }
    }
    if !(c.prior > 0.0 && c.prior < 1.0) {
        return Err(format!("compliance prior {} is outside (0, 1)", c.prior));
    }
    for (name, v) in [
        ("breach_gain", c.breach_gain),
        ("caught_cost", c.caught_cost),
    ] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(format!(
                "compliance {name} {v} must be a finite number >= 0"
            ));
        }
    }
    Ok(())
}

/// Whether the talks produced a lasting deal: an agreement, and no bound party truly breached
/// an obligation after it (in the post-agreement phase). `None` without an agreement.
pub fn lasting(trace: &Trace) -> Option<bool> {
    let agreed_in = trace.result.agreement.as_ref()?;
    let _ = agreed_in;
    let end = trace.result.rounds_used.saturating_sub(1);
    Some(!trace.compliance.iter().any(
        |r| matches!(r, ComplianceRecord::Act { round, act: Act::Breach, .. } if *round > end),
    ))
}
