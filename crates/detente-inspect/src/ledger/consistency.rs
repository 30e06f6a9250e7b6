//! The claims of the reporters against each other: how often two reporters agree about a
//! party, and the rounds the parties' claims disagree (the disputes), with what a monitor
//! would need to decide them.

use detente_core::Reporter;
use detente_core::compliance::Act;

use super::{Claims, Key, reporter_rank, weigh};

/// How two reporters' claims about one party compare.
#[derive(Debug, Clone, PartialEq)]
pub struct Consistency {
    /// The party the claims are about.
    pub about: usize,
    /// One reporter (the earlier in turn order; the monitor last).
    pub first: Reporter,
    /// The other.
    pub second: Reporter,
    /// Rounds (of one obligation) both reported on the party.
    pub compared: usize,
    /// Those where their claims differ.
    pub disagreements: usize,
    /// `1 - disagreements / compared` (`None` when they never reported on the same round).
    pub agreement: Option<f64>,
    /// The rounds of the disagreements (from 0).
    pub disputed_rounds: Vec<u32>,
}

/// A round where the parties' claims about a party disagree.
#[derive(Debug, Clone, PartialEq)]
pub struct Dispute {
    /// The round, from 0.
    pub round: u32,
    /// The obligation's issue.
    pub issue: usize,
    /// The party the claims are about.
    pub about: usize,
    /// The parties that claim it breached.
    pub accusers: Vec<Reporter>,
    /// The parties that claim it complied (possibly itself).
    pub defenders: Vec<Reporter>,
    /// The weight of the parties' claims ([`detente_core::compliance::belief::log_odds`]):
    /// positive towards compliance, negative towards breach, 0 when they cancel (a party's
    /// claims about itself weigh nothing).
    pub log_odds: f64,
    /// The accuracy above which one monitor report decides the round
    /// ([`detente_core::compliance::belief::decisive_accuracy`]).
    pub monitor_needed: f64,
    /// What the monitor claimed that round, if it reported.
    pub monitor: Option<Act>,
    /// What the party truly did, when the trace holds it.
    pub truth: Option<Act>,
}

/// The claims about `key`, in the order of the trace.
fn claims_at(claims: &Claims, key: Key) -> Vec<(Reporter, Act)> {
    claims
        .reports
        .iter()
        .filter(|(k, _, _)| *k == key)
        .map(|&(_, b, c)| (b, c))
        .collect()
}

/// The keys of the trace's reports, once each, in order of round, issue and party.
fn keys(claims: &Claims) -> Vec<Key> {
    let mut keys: Vec<Key> = claims.reports.iter().map(|&(k, _, _)| k).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Every two reporters' agreement about every party both reported on.
pub(super) fn consistency(claims: &Claims, reporters: &[Reporter]) -> Vec<Consistency> {
    let mut abouts: Vec<usize> = claims.reports.iter().map(|&((_, _, a), _, _)| a).collect();
    abouts.sort_unstable();
    abouts.dedup();
    let keys = keys(claims);
    let mut out = Vec::new();
    for &about in &abouts {
        for (i, &first) in reporters.iter().enumerate() {
            for &second in &reporters[i + 1..] {
                let c = compare(claims, &keys, about, first, second);
                if c.compared > 0 {
                    out.push(c);
                }
            }
        }
    }
    out
}

fn compare(
    claims: &Claims,
    keys: &[Key],
    about: usize,
    first: Reporter,
    second: Reporter,
) -> Consistency {
    let (mut compared, mut disputed_rounds) = (0, Vec::new());
    for &key in keys.iter().filter(|k| k.2 == about) {
        let at = claims_at(claims, key);
        let of = |r: Reporter| at.iter().find(|(b, _)| *b == r).map(|&(_, c)| c);
        if let (Some(a), Some(b)) = (of(first), of(second)) {
            compared += 1;
            if a != b {
                disputed_rounds.push(key.0);
            }
        }
    }
    let disagreements = disputed_rounds.len();
    Consistency {
        about,
        first,
        second,
        compared,
        disagreements,
        agreement: (compared > 0).then(|| 1.0 - disagreements as f64 / compared as f64),
        disputed_rounds,
    }
}

/// The rounds where the parties' claims about a party disagree.
pub(super) fn disputes(claims: &Claims, stated: &dyn Fn(Reporter) -> Option<f64>) -> Vec<Dispute> {
    let mut out = Vec::new();
    for key in keys(claims) {
        let at = claims_at(claims, key);
        let parties: Vec<(Reporter, Act)> = at
            .iter()
            .copied()
            .filter(|(b, _)| matches!(b, Reporter::Party(_)))
            .collect();
        let by = |claim: Act| -> Vec<Reporter> {
            let mut v: Vec<Reporter> = parties
                .iter()
                .filter(|(_, c)| *c == claim)
                .map(|&(b, _)| b)
                .collect();
            v.sort_by_key(|&b| reporter_rank(b));
            v
        };
        let (accusers, defenders) = (by(Act::Breach), by(Act::Comply));
        if accusers.is_empty() || defenders.is_empty() {
            continue;
        }
        let (log_odds, monitor_needed) = weigh(&parties, key.2, stated);
        out.push(Dispute {
            round: key.0,
            issue: key.1,
            about: key.2,
            accusers,
            defenders,
            log_odds,
            monitor_needed,
            monitor: at
                .iter()
                .find(|(b, _)| *b == Reporter::Monitor)
                .map(|&(_, c)| c),
            truth: claims.truth(key),
        });
    }
    out
}
