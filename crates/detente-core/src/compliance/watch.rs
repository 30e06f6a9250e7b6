//! The running compliance phase: which obligations are in force, the strategies of the bound
//! parties, what each party has seen, its beliefs, and the seeded stream every draw comes
//! from (see the module docs of [`super`] for the order of the draws).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::belief::Signal;
use super::strategy::{ComplianceRegistry, ComplianceStrategy, ComplianceView, detection_power};
use super::{Act, Belief, COMPLIANCE_STREAM, Compliance};
use crate::protocol::derive_seed;
use crate::space::Outcome;
use crate::trace::{ComplianceRecord, Reporter};

/// Where an obligation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    /// Not settled at a binding value.
    Idle,
    /// In force since `since`, for `rounds` compliance rounds so far.
    InForce {
        /// The first round it was in force.
        since: u32,
        /// Compliance rounds played under it.
        rounds: u32,
    },
    /// It expired (or an `expire` effect ended it) while its value stayed settled.
    Ended,
}

/// What one compliance round produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WatchRound {
    /// Acts, observations, reports and beliefs, in order.
    pub records: Vec<ComplianceRecord>,
}

/// The state of the compliance phase of one negotiation.
pub struct Watch {
    rng: ChaCha8Rng,
    /// `beliefs[holder][about]`.
    beliefs: Vec<Vec<Belief>>,
    /// `strategies[k][p]`, for the parties obligation `k` binds.
    strategies: Vec<Vec<Option<Box<dyn ComplianceStrategy>>>>,
    terms: Vec<Term>,
    /// `saw_last[k][p]`: whether `p` saw a counterpart breach obligation `k` last round.
    saw_last: Vec<Vec<bool>>,
    saw_ever: Vec<Vec<bool>>,
    /// Every breach claimed so far, as `(by, about)`.
    accusations: Vec<(Reporter, usize)>,
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watch")
            .field("terms", &self.terms)
            .finish_non_exhaustive()
    }
}

impl Watch {
    /// The phase at the start of the talks: every belief at its holder's prior, every
    /// obligation idle.
    ///
    /// # Errors
    /// The party whose strategy the registry cannot make, and why.
    pub fn new(
        compliance: &Compliance,
        n: usize,
        seed: u64,
        registry: &ComplianceRegistry,
    ) -> Result<Watch, (usize, String)> {
        let beliefs = (0..n)
            .map(|h| vec![Belief::new(compliance.prior_of(h)); n])
            .collect();
        let mut strategies = Vec::new();
        for o in &compliance.obligations {
            let mut row: Vec<Option<Box<dyn ComplianceStrategy>>> = (0..n).map(|_| None).collect();
            for &p in &o.bound {
                let spec = compliance.profile(p).map_or_else(
                    || crate::registry::Spec::new("always-comply"),
                    |c| c.strategy.clone(),
                );
                row[p] = Some(registry.create(&spec).map_err(|e| (p, e.to_string()))?);
            }
            strategies.push(row);
        }
        let k = compliance.obligations.len();
        Ok(Watch {
            rng: ChaCha8Rng::seed_from_u64(derive_seed(seed, COMPLIANCE_STREAM)),
            beliefs,
            strategies,
            terms: vec![Term::Idle; k],
            saw_last: vec![vec![false; n]; k],
            saw_ever: vec![vec![false; n]; k],
            accusations: Vec::new(),
        })
    }

    /// Where obligation `k` stands.
    pub fn term(&self, k: usize) -> Term {
        self.terms[k]
    }

    /// Whether any obligation is in force.
    pub fn any_in_force(&self) -> bool {
        self.terms.iter().any(|t| matches!(t, Term::InForce { .. }))
    }

    /// `holder`'s belief that `about` complies (1 about itself).
    pub fn belief(&self, holder: usize, about: usize) -> f64 {
        if holder == about {
            1.0
        } else {
            self.beliefs[holder][about].mean()
        }
    }

    /// Party `p`'s trust in obligation `k`: the product of its beliefs about the other bound
    /// parties.
    pub fn trust(&self, compliance: &Compliance, p: usize, k: usize) -> f64 {
        compliance.obligations[k]
            .bound
            .iter()
            .map(|&j| self.belief(p, j))
            .product()
    }

    /// Whether a breach matching `by` and `about` (any, when `None`) has been claimed.
    pub fn accused(&self, by: Option<Reporter>, about: Option<usize>) -> bool {
        self.accusations
            .iter()
            .any(|&(b, a)| by.is_none_or(|x| x == b) && about.is_none_or(|x| x == a))
    }

    /// Brings the terms up to date with the settled issues at the start of `round` (or with
    /// the agreement, after one): an obligation settled at a binding value comes into force,
    /// one no longer settled there is idle again. Returns the obligations whose time is up
    /// (in force for `expire_after` rounds).
    pub fn sync(
        &mut self,
        compliance: &Compliance,
        settled: &[Option<u32>],
        agreement: Option<&Outcome>,
        round: u32,
    ) -> Vec<usize> {
        let mut due = Vec::new();
        for (k, o) in compliance.obligations.iter().enumerate() {
            let value = agreement.map_or(settled[o.issue], |a| Some(a.0[o.issue]));
            let binding = value.is_some_and(|v| o.values.contains(&v));
            match (self.terms[k], binding) {
                (Term::Idle, true) => {
                    self.terms[k] = Term::InForce {
                        since: round,
                        rounds: 0,
                    };
                }
                (_, false) => self.terms[k] = Term::Idle,
                _ => {}
            }
            if let Term::InForce { rounds, .. } = self.terms[k]
                && o.expire_after.is_some_and(|e| rounds >= e)
            {
                due.push(k);
            }
        }
        due
    }

    /// Ends obligation `k` (expired, or ended by an event); `false` when it was not in force.
    pub fn end(&mut self, k: usize) -> bool {
        let was = matches!(self.terms[k], Term::InForce { .. });
        if was {
            self.terms[k] = Term::Ended;
        }
        was
    }

    /// Makes obligation `k` idle again (its settlement lapsed: a new settlement starts a new
    /// term).
    pub fn reopen(&mut self, k: usize) {
        self.terms[k] = Term::Idle;
    }

    /// Makes every ended obligation idle again (a full agreement is a new commitment: the
    /// obligations it holds start new terms).
    pub fn renew_ended(&mut self) {
        for t in &mut self.terms {
            if *t == Term::Ended {
                *t = Term::Idle;
            }
        }
    }

    /// Plays one compliance round of every obligation in force; `monitor` is the monitor's
    /// accuracy as it stands.
    pub fn play(
        &mut self,
        compliance: &Compliance,
        round: u32,
        monitor: Option<f64>,
    ) -> WatchRound {
        let n = self.beliefs.len();
        let mut out = WatchRound::default();
        for k in 0..compliance.obligations.len() {
            if !matches!(self.terms[k], Term::InForce { .. }) {
                continue;
            }
            // Each obligation's round is evidence of its own (one act per bound party).
            let mut signals: Vec<Vec<Vec<Signal>>> = vec![vec![Vec::new(); n]; n];
            self.play_obligation(compliance, k, round, monitor, &mut out, &mut signals);
            for (holder, row) in signals.iter().enumerate() {
                for (about, evidence) in row.iter().enumerate() {
                    self.beliefs[holder][about].update(evidence);
                }
            }
            if let Term::InForce { since, rounds } = self.terms[k] {
                self.terms[k] = Term::InForce {
                    since,
                    rounds: rounds + 1,
                };
            }
        }
        if out.records.is_empty() {
            return out;
        }
        let bound: Vec<usize> = (0..n).filter(|&p| compliance.is_bound(p)).collect();
        for holder in 0..n {
            for &about in &bound {
                if about == holder {
                    continue;
                }
                out.records.push(ComplianceRecord::Belief {
                    round,
                    holder,
                    about,
                    belief: self.beliefs[holder][about].mean(),
                });
            }
        }
        out
    }

    /// Acts, observations and reports of obligation `k`; adds each holder's signals.
    fn play_obligation(
        &mut self,
        compliance: &Compliance,
        k: usize,
        round: u32,
        monitor: Option<f64>,
        out: &mut WatchRound,
        signals: &mut [Vec<Vec<Signal>>],
    ) {
        let o = &compliance.obligations[k];
        let n = self.beliefs.len();
        let acts = self.acts(compliance, k, round, monitor);
        for (&p, &act) in o.bound.iter().zip(&acts) {
            out.records.push(ComplianceRecord::Act {
                round,
                issue: o.issue,
                party: p,
                act,
            });
        }
        let truth = |j: usize| acts[o.bound.iter().position(|&b| b == j).expect("bound")];
        // Observations: every profiled party of every other bound party, then the monitor.
        let mut seen = vec![vec![None; n]; n];
        for (by, row) in seen.iter_mut().enumerate() {
            let Some(c) = compliance.profile(by) else {
                continue;
            };
            for &about in o.bound.iter().filter(|&&j| j != by) {
                let saw = self.observe(truth(about), c.accuracy);
                row[about] = Some(saw);
                out.records.push(ComplianceRecord::Observed {
                    round,
                    issue: o.issue,
                    by: Reporter::Party(by),
                    about,
                    saw,
                });
                signals[by][about].push(Signal {
                    claim: saw,
                    reliability: c.accuracy,
                });
            }
            let saw_breach = row.contains(&Some(Act::Breach));
            self.saw_last[k][by] = saw_breach;
            self.saw_ever[k][by] |= saw_breach;
        }
        let monitor_saw: Vec<(usize, Act)> = match monitor {
            Some(m) => o
                .bound
                .iter()
                .map(|&j| (j, self.observe(truth(j), m)))
                .collect(),
            None => Vec::new(),
        };
        for &(about, saw) in &monitor_saw {
            out.records.push(ComplianceRecord::Observed {
                round,
                issue: o.issue,
                by: Reporter::Monitor,
                about,
                saw,
            });
        }
        self.reports(compliance, k, round, &seen, &truth, out, signals);
        for (about, claim) in monitor_saw {
            self.publish(Reporter::Monitor, o.issue, about, claim, round, out);
            let m = monitor.expect("the monitor saw");
            for (holder, row) in signals.iter_mut().enumerate() {
                if holder != about {
                    row[about].push(Signal {
                        claim,
                        reliability: m,
                    });
                }
            }
        }
    }

    /// Each bound party's act this round, in the order of `bound`.
    fn acts(
        &mut self,
        compliance: &Compliance,
        k: usize,
        round: u32,
        monitor: Option<f64>,
    ) -> Vec<Act> {
        let o = &compliance.obligations[k];
        let n = self.beliefs.len();
        let rounds_in_force = match self.terms[k] {
            Term::InForce { rounds, .. } => rounds,
            _ => 0,
        };
        let mut acts = Vec::with_capacity(o.bound.len());
        for &p in &o.bound {
            let beliefs: Vec<f64> = (0..n).map(|j| self.belief(p, j)).collect();
            let profile = compliance.profile(p).cloned().unwrap_or_default();
            let detection = detection(compliance, p, monitor);
            let view = ComplianceView {
                round,
                party: p,
                issue: o.issue,
                rounds_in_force,
                saw_breach_last_round: self.saw_last[k][p],
                ever_saw_breach: self.saw_ever[k][p],
                beliefs: &beliefs,
                breach_gain: profile.breach_gain,
                caught_cost: profile.caught_cost,
                detection,
            };
            let strategy = self.strategies[k][p]
                .as_mut()
                .expect("made for every bound party");
            acts.push(strategy.act(&view, &mut self.rng));
        }
        acts
    }

    /// What a watcher of accuracy `a` sees of `act` (one draw).
    fn observe(&mut self, act: Act, a: f64) -> Act {
        if self.rng.random::<f64>() < a {
            act
        } else {
            act.flipped()
        }
    }

    /// Every profiled party's reports about every bound party of obligation `k` (one draw
    /// each), and the signals third parties take from them.
    #[allow(clippy::too_many_arguments)]
    fn reports(
        &mut self,
        compliance: &Compliance,
        k: usize,
        round: u32,
        seen: &[Vec<Option<Act>>],
        truth: &dyn Fn(usize) -> Act,
        out: &mut WatchRound,
        signals: &mut [Vec<Vec<Signal>>],
    ) {
        let o = &compliance.obligations[k];
        for (by, row) in seen.iter().enumerate() {
            let Some(c) = compliance.profile(by) else {
                continue;
            };
            for &about in &o.bound {
                let u: f64 = self.rng.random();
                let claim = if about == by {
                    // About itself: it denies a breach with probability `bias`.
                    match truth(by) {
                        Act::Breach if u < c.bias => Act::Comply,
                        act => act,
                    }
                } else {
                    // About another: it accuses one it saw comply with probability `bias`.
                    match row[about].expect("observed") {
                        Act::Comply if u < c.bias => Act::Breach,
                        saw => saw,
                    }
                };
                self.publish(Reporter::Party(by), o.issue, about, claim, round, out);
                if about == by {
                    continue; // cheap talk: no one weighs a party's claims about itself
                }
                for (holder, h) in signals.iter_mut().enumerate() {
                    if holder != by && holder != about {
                        h[about].push(Signal {
                            claim,
                            reliability: c.accuracy,
                        });
                    }
                }
            }
        }
    }

    fn publish(
        &mut self,
        by: Reporter,
        issue: usize,
        about: usize,
        claim: Act,
        round: u32,
        out: &mut WatchRound,
    ) {
        if claim == Act::Breach {
            self.accusations.push((by, about));
        }
        out.records.push(ComplianceRecord::Report {
            round,
            issue,
            by,
            about,
            claim,
        });
    }
}

/// Probability that a breach by `p` is detected (see [`ComplianceView::detection`]).
fn detection(compliance: &Compliance, p: usize, monitor: Option<f64>) -> f64 {
    let watchers = compliance
        .profiles
        .iter()
        .enumerate()
        .filter(|&(q, c)| q != p && c.is_some())
        .map(|(_, c)| c.as_ref().expect("filtered").accuracy)
        .chain(monitor);
    1.0 - watchers.map(|a| 1.0 - detection_power(a)).product::<f64>()
}
