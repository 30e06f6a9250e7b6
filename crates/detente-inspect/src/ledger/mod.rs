//! The ledger of a compliance phase: what each reporter claimed about each bound party,
//! checked against the truth when the trace holds it (a simulation), and against the other
//! reporters' claims always (a hand-written record holds the claims alone).
//!
//! - **Accusations** ([`PairLedger`]), per `(by, about)`: reports, claims of breach and, with
//!   the truth, the true breaches in the rounds reported on, true and false accusations and
//!   missed breaches (claims of compliance in a round of breach; about itself: a denial).
//! - **Accuracy** ([`ReporterAccuracy`]): the share of a reporter's claims about *others* that
//!   match the truth (its claims about itself are left out: no one weighs them).
//! - **Consistency** ([`Consistency`]): for each bound party and two reporters, the rounds both
//!   reported on it and those where they disagree.
//! - **Disputes** ([`Dispute`]): rounds where the parties' claims about a party disagree, the
//!   weight of those claims under the engine's update ([`log_odds`]: claims about oneself
//!   weigh nothing, others' weigh `ln(a / (1 - a))` at the reporter's accuracy `a`), and the
//!   accuracy a monitor needs for one report of its own to decide the round
//!   ([`decisive_accuracy`]).

mod consistency;

use detente_core::compliance::Act;
use detente_core::compliance::belief::{Signal, decisive_accuracy, log_odds};
use detente_core::{ComplianceRecord, Reporter};

pub use consistency::{Consistency, Dispute};

/// The claims of one reporter about one bound party.
#[derive(Debug, Clone, PartialEq)]
pub struct PairLedger {
    /// Who reported.
    pub by: Reporter,
    /// About whom (possibly itself).
    pub about: usize,
    /// Reports it made about that party.
    pub reports: usize,
    /// Those that claim a breach.
    pub breach_claims: usize,
    /// Their check against the truth, when the trace holds it.
    pub truth: Option<PairTruth>,
}

/// One reporter's claims about one party against what that party truly did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PairTruth {
    /// True breaches by the party in the rounds the reporter reported on.
    pub breaches: usize,
    /// Claims of breach in a round of breach.
    pub true_accusations: usize,
    /// Claims of breach in a round of compliance.
    pub false_accusations: usize,
    /// Claims of compliance in a round of breach (about itself: a denial).
    pub missed_breaches: usize,
}

/// How often a reporter's claims about others matched the truth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReporterAccuracy {
    /// Who reported.
    pub by: Reporter,
    /// Its reports about other parties whose truth the trace holds.
    pub reports: usize,
    /// Those that match the truth.
    pub correct: usize,
    /// `correct / reports` (`None` without reports).
    pub accuracy: Option<f64>,
    /// The accuracy the scenario states for it (its compliance profile, or the monitor's).
    pub stated: Option<f64>,
}

/// The ledger of a trace's compliance records (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct Ledger {
    /// Whether the trace holds what the bound parties truly did.
    pub truth_known: bool,
    /// Every `(by, about)` with a report, reporters in turn order then the monitor.
    pub pairs: Vec<PairLedger>,
    /// Each reporter's measured accuracy (empty without the truth).
    pub accuracy: Vec<ReporterAccuracy>,
    /// For each bound party, each two reporters that both reported on it.
    pub consistency: Vec<Consistency>,
    /// The rounds where the parties' claims about a party disagree.
    pub disputes: Vec<Dispute>,
}

/// A key of one round of one obligation about one party.
type Key = (u32, usize, usize);

/// The reports and acts of a trace, as `(round, issue, about)` keyed lists.
struct Claims {
    /// `(key, by, claim)`, in the order of the trace.
    reports: Vec<(Key, Reporter, Act)>,
    /// `(key, act)`.
    acts: Vec<(Key, Act)>,
}

impl Claims {
    fn of(records: &[ComplianceRecord]) -> Claims {
        let mut reports = Vec::new();
        let mut acts = Vec::new();
        for r in records {
            match *r {
                ComplianceRecord::Report {
                    round,
                    issue,
                    by,
                    about,
                    claim,
                } => reports.push(((round, issue, about), by, claim)),
                ComplianceRecord::Act {
                    round,
                    issue,
                    party,
                    act,
                } => acts.push(((round, issue, party), act)),
                _ => {}
            }
        }
        Claims { reports, acts }
    }

    fn truth(&self, key: Key) -> Option<Act> {
        self.acts.iter().find(|(k, _)| *k == key).map(|&(_, a)| a)
    }
}

/// Reporters in a fixed order: parties in turn order, then the monitor.
fn reporter_rank(r: Reporter) -> (usize, usize) {
    match r {
        Reporter::Party(p) => (0, p),
        Reporter::Monitor => (1, 0),
    }
}

/// The ledger of `records`; `stated` gives each reporter's stated accuracy (its compliance
/// profile's, the monitor's), the reliability the engine's update gives its claims.
pub fn ledger(records: &[ComplianceRecord], stated: &dyn Fn(Reporter) -> Option<f64>) -> Ledger {
    let claims = Claims::of(records);
    let truth_known = !claims.acts.is_empty();
    let mut keys: Vec<(Reporter, usize)> = claims
        .reports
        .iter()
        .map(|&((_, _, a), b, _)| (b, a))
        .collect();
    keys.sort_by_key(|&(b, a)| (reporter_rank(b), a));
    keys.dedup();
    let pairs = keys
        .iter()
        .map(|&(by, about)| pair_ledger(&claims, by, about, truth_known))
        .collect();
    let mut reporters: Vec<Reporter> = keys.iter().map(|&(b, _)| b).collect();
    reporters.dedup();
    let accuracy = if truth_known {
        reporters
            .iter()
            .map(|&by| reporter_accuracy(&claims, by, stated(by)))
            .collect()
    } else {
        Vec::new()
    };
    Ledger {
        truth_known,
        pairs,
        accuracy,
        consistency: consistency::consistency(&claims, &reporters),
        disputes: consistency::disputes(&claims, stated),
    }
}

fn pair_ledger(claims: &Claims, by: Reporter, about: usize, truth_known: bool) -> PairLedger {
    let mine: Vec<(Key, Act)> = claims
        .reports
        .iter()
        .filter(|&&((_, _, a), b, _)| b == by && a == about)
        .map(|&(k, _, c)| (k, c))
        .collect();
    let truth = truth_known.then(|| {
        let mut t = PairTruth::default();
        for &(k, claim) in &mine {
            let Some(act) = claims.truth(k) else { continue };
            match (claim, act) {
                (Act::Breach, Act::Breach) => t.true_accusations += 1,
                (Act::Breach, Act::Comply) => t.false_accusations += 1,
                (Act::Comply, Act::Breach) => t.missed_breaches += 1,
                (Act::Comply, Act::Comply) => {}
            }
            t.breaches += usize::from(act == Act::Breach);
        }
        t
    });
    PairLedger {
        by,
        about,
        reports: mine.len(),
        breach_claims: mine.iter().filter(|(_, c)| *c == Act::Breach).count(),
        truth,
    }
}

fn reporter_accuracy(claims: &Claims, by: Reporter, stated: Option<f64>) -> ReporterAccuracy {
    let (mut reports, mut correct) = (0, 0);
    for &(k, b, claim) in &claims.reports {
        if b != by || by == Reporter::Party(k.2) {
            continue;
        }
        if let Some(act) = claims.truth(k) {
            reports += 1;
            correct += usize::from(act == claim);
        }
    }
    ReporterAccuracy {
        by,
        reports,
        correct,
        accuracy: (reports > 0).then(|| correct as f64 / reports as f64),
        stated,
    }
}

/// The weight of the parties' claims about `about` in one round, and the accuracy a monitor
/// needs to decide it (see the module docs).
fn weigh(
    claims: &[(Reporter, Act)],
    about: usize,
    stated: &dyn Fn(Reporter) -> Option<f64>,
) -> (f64, f64) {
    let signals: Vec<Signal> = claims
        .iter()
        .filter(|&&(by, _)| by != Reporter::Party(about))
        .map(|&(by, claim)| Signal {
            claim,
            reliability: stated(by).unwrap_or(0.5),
        })
        .collect();
    let odds = log_odds(&signals);
    (odds, decisive_accuracy(odds))
}
