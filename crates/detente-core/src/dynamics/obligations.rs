//! The compliance phase inside the talks ([`crate::compliance`]): obligations come into force
//! when settled at a binding value, are watched at the start of every round, expire, and move
//! each party's utilities to the expected worth under its beliefs ([`crate::compliance::trust`]).

use super::{Applied, Dynamics, effects};
use crate::compliance::{ComplianceRegistry, Watch, trust};
use crate::space::Outcome;
use crate::trace::{Cause, ComplianceRecord, FiredEvent};

/// The name obligations that run out are recorded under.
pub const OBLIGATION_EXPIRES: &str = "obligation expires";

/// What the compliance phase did in one round.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Watched {
    /// Acts, observations, reports and beliefs.
    pub records: Vec<ComplianceRecord>,
    /// Obligations that expired, as events.
    pub events: Vec<FiredEvent>,
    /// Whether the scenario changed (beliefs moved utilities, a settlement lapsed).
    pub changed: bool,
}

impl Dynamics<'_> {
    /// Starts the compliance phase of a scenario with obligations (nothing happens without):
    /// beliefs at their priors, the strategies made from `registry`, and utilities valued under
    /// the prior trust.
    ///
    /// # Errors
    /// The party whose compliance strategy `registry` cannot make, and why.
    pub fn start_compliance(
        &mut self,
        seed: u64,
        registry: &ComplianceRegistry,
    ) -> Result<(), (usize, String)> {
        let compliance = &self.base.compliance;
        if compliance.is_empty() {
            return Ok(());
        }
        let watch = Watch::new(compliance, self.base.parties.len(), seed, registry)?;
        self.compliance = Some(Box::new(watch));
        self.apply_trust();
        self.bump();
        Ok(())
    }

    /// The compliance phase, when the scenario has obligations.
    pub fn compliance(&self) -> Option<&Watch> {
        self.compliance.as_deref()
    }

    /// One compliance round at the start of `round`: obligations whose time is up expire, then
    /// those in force are watched, and utilities follow the new beliefs.
    pub fn watch_round(&mut self, round: u32) -> Watched {
        let mut out = Watched::default();
        let base = self.base;
        let Some(watch) = self.compliance.as_mut() else {
            return out;
        };
        let due = watch.sync(&base.compliance, &self.settled, None, round);
        for k in due {
            let applied = self.expire(k, true);
            out.changed |= matches!(applied, Applied::Changed(_));
            out.events.push(FiredEvent {
                changed: matches!(applied, Applied::Changed(_)),
                ..FiredEvent::new(
                    round,
                    Cause::ObligationExpires { obligation: k },
                    OBLIGATION_EXPIRES,
                    applied.description(),
                )
            });
        }
        let watch = self.compliance.as_mut().expect("checked");
        watch.sync(&base.compliance, &self.settled, None, round);
        let monitor = base.compliance.monitor_accuracy(&self.settled);
        out.records = watch.play(&base.compliance, round, monitor).records;
        if !out.records.is_empty() {
            self.apply_trust();
            out.changed = true;
        }
        if out.changed {
            self.bump();
        }
        out
    }

    /// The post-agreement phase: after a full agreement in `round`, the obligations it holds
    /// are watched round after round until each has been in force `expire_after` rounds (or,
    /// without one, until the deadline). Utilities no longer move: the deal is made.
    pub fn after_agreement(&mut self, agreement: &Outcome, round: u32) -> Watched {
        let mut out = Watched::default();
        let base = self.base;
        let deadline = self.deadline;
        let Some(watch) = self.compliance.as_mut() else {
            return out;
        };
        let longest = base
            .compliance
            .obligations
            .iter()
            .map(|o| o.expire_after.unwrap_or(0))
            .max()
            .unwrap_or(0);
        let last = round
            .saturating_add(longest)
            .max(deadline.saturating_sub(1));
        for r in round + 1..=last {
            for k in watch.sync(&base.compliance, &self.settled, Some(agreement), r) {
                watch.end(k);
                out.events.push(FiredEvent::new(
                    r,
                    Cause::ObligationExpires { obligation: k },
                    OBLIGATION_EXPIRES,
                    expiry_text(base, k),
                ));
            }
            for (k, o) in base.compliance.obligations.iter().enumerate() {
                if o.expire_after.is_none() && r >= deadline && watch.end(k) {
                    out.events.push(FiredEvent::new(
                        r,
                        Cause::ObligationExpires { obligation: k },
                        OBLIGATION_EXPIRES,
                        format!("{} (the deadline has come)", expiry_text(base, k)),
                    ));
                }
            }
            if !watch.any_in_force() {
                break;
            }
            let monitor = base
                .compliance
                .monitor_accuracy(&agreement.0.iter().map(|&v| Some(v)).collect::<Vec<_>>());
            out.records
                .extend(watch.play(&base.compliance, r, monitor).records);
        }
        out
    }

    /// Ends obligation `k`; with `lapse`, or when it was in force, its settlement lapses too.
    pub(super) fn expire(&mut self, k: usize, scheduled: bool) -> Applied {
        let base = self.base;
        let issue = base.compliance.obligations[k].issue;
        let was = self.compliance.as_mut().is_some_and(|w| w.end(k));
        if !was {
            let name = &base.space.issues()[issue].name;
            return Applied::Unchanged(format!("no obligation on {name} is in force"));
        }
        let lapse = effects::unsettle(self, issue);
        if matches!(lapse, Applied::Changed(_))
            && let Some(w) = self.compliance.as_mut()
        {
            w.reopen(k);
        }
        let head = if scheduled {
            expiry_text(base, k)
        } else {
            format!("the obligation on {} ends", base.space.issues()[issue].name)
        };
        match lapse {
            Applied::Changed(d) => Applied::Changed(format!("{head}: {d}")),
            other => Applied::Changed(format!("{head}; {}", other.description())),
        }
    }

    /// Puts `party`'s utility before trust back into the live scenario (an effect is about to
    /// change it); [`Dynamics::apply_trust`] values it under trust again.
    pub(super) fn restore_plain(&mut self, party: usize) {
        if let Some(u) = self.plain.get_mut(party).and_then(Option::take) {
            self.live_mut().parties[party].preferences.utility = u;
        }
    }

    /// Values every party's utility under beliefs given from outside the talks,
    /// `beliefs[holder][about]` (a replay reads them from a trace's records), as the compliance
    /// phase does under its own; a new version of the scenario. Nothing happens for a scenario
    /// without obligations.
    pub fn set_beliefs(&mut self, beliefs: Vec<Vec<f64>>) {
        if self.base.compliance.is_empty() {
            return;
        }
        self.beliefs = Some(beliefs);
        self.apply_trust();
        self.bump();
    }

    /// Each party's trust in each obligation (`[party][obligation]`): under the compliance
    /// phase's beliefs when it runs, else under the beliefs given ([`Self::set_beliefs`]).
    fn trusts(&self) -> Option<Vec<Vec<f64>>> {
        let compliance = &self.base.compliance;
        let n = self.base.parties.len();
        let trust = |p: usize, k: usize| match (self.compliance.as_deref(), &self.beliefs) {
            (Some(watch), _) => Some(watch.trust(compliance, p, k)),
            (None, Some(b)) => Some(
                compliance.obligations[k]
                    .bound
                    .iter()
                    .filter(|&&j| j != p)
                    .map(|&j| b.get(p).and_then(|row| row.get(j)).copied().unwrap_or(1.0))
                    .product(),
            ),
            (None, None) => None,
        };
        (0..n)
            .map(|p| {
                (0..compliance.obligations.len())
                    .map(|k| trust(p, k))
                    .collect()
            })
            .collect()
    }

    /// Values every party's utility under its trust in each obligation as beliefs stand, and
    /// moves the fallbacks with the settlements' worth.
    pub(super) fn apply_trust(&mut self) {
        let base = self.base;
        let Some(trusts) = self.trusts() else {
            return;
        };
        let n = base.parties.len();
        if self.plain.is_empty() {
            self.plain = vec![None; n];
        }
        for (p, row) in trusts.iter().enumerate() {
            let plain = match self.plain[p].take() {
                Some(u) => u,
                None => self.scenario().parties[p].preferences.utility.clone(),
            };
            let valued = base
                .compliance
                .obligations
                .iter()
                .zip(row)
                .fold(plain.clone(), |u, (o, &t)| {
                    trust::under_trust(&base.space, &u, o, t)
                });
            self.live_mut().parties[p].preferences.utility = valued;
            self.plain[p] = Some(plain);
        }
        self.revalue_settlements();
    }
}

/// `the obligation ceasefire ∈ {energy-infrastructure} expires after 4 rounds`.
fn expiry_text(base: &crate::Scenario, k: usize) -> String {
    let o = &base.compliance.obligations[k];
    let issue = &base.space.issues()[o.issue];
    let after = o.expire_after.map_or_else(String::new, |e| {
        format!(" after {e} round{}", if e == 1 { "" } else { "s" })
    });
    format!("the obligation on {} expires{after}", issue.name)
}
