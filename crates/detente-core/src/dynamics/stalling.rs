//! Reading how a party moves during a negotiation: the stalling test shared by scenario events
//! and by trace inspection.
//!
//! A party's *offer to others* in round `r` is the mean, over every other party, of that
//! party's undiscounted utility of the last outcome the party offered up to and including round
//! `r`. A party is **stalling** at round `R` under a rule `(window k, min_improvement x)` when
//! it has offered at least once by round `R - k` and its offer to others at any round in
//! `(R - k, R]` is less than `x` above its offer to others at round `R - k`. In words: over the
//! last `k` rounds it has not improved what it offers the others by at least `x`.

use std::collections::VecDeque;

use crate::trace::{ActionKind, TraceEntry};

/// Parameters of the stalling test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StallingRule {
    /// Number of rounds looked back over (`k`, at least 1).
    pub window: u32,
    /// Smallest improvement of the offer to others that is not stalling (`x`).
    pub min_improvement: f64,
}

/// The party's offer to others (see the module docs) in each round `0..=last_round`; `None`
/// before its first offer.
pub fn offers_to_others(entries: &[TraceEntry], party: usize, last_round: u32) -> Vec<Option<f64>> {
    let mut out = vec![None; last_round as usize + 1];
    let mut current: Option<f64> = None;
    let mut it = entries
        .iter()
        .filter(|e| e.actor.is_party(party) && e.kind == ActionKind::Offer)
        .peekable();
    for (r, slot) in out.iter_mut().enumerate() {
        while let Some(e) = it.peek() {
            if e.round as usize > r {
                break;
            }
            let others: Vec<f64> = e
                .utilities
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != party)
                .map(|(_, &u)| u)
                .collect();
            if !others.is_empty() {
                current = Some(others.iter().sum::<f64>() / others.len() as f64);
            }
            it.next();
        }
        *slot = current;
    }
    out
}

/// Whether `party` is stalling at round `round` under `rule`; `None` when the test cannot be
/// made yet (the party had made no offer by round `round - window`, or `round < window`).
pub fn is_stalling(
    entries: &[TraceEntry],
    party: usize,
    round: u32,
    rule: StallingRule,
) -> Option<bool> {
    let window = rule.window.max(1);
    let start = round.checked_sub(window)?;
    let series = offers_to_others(entries, party, round);
    let base = series[start as usize]?;
    let best = series[start as usize + 1..=round as usize]
        .iter()
        .flatten()
        .fold(base, |a, &b| a.max(b));
    Some(best - base < rule.min_improvement)
}

/// A party's offer to others in `e`, if `e` is an offer of `party` (the mean of the other
/// parties' utilities).
fn offer_to_others(e: &TraceEntry, party: usize) -> Option<f64> {
    if !(e.actor.is_party(party) && e.kind == ActionKind::Offer) {
        return None;
    }
    let others: Vec<f64> = e
        .utilities
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != party)
        .map(|(_, &u)| u)
        .collect();
    (!others.is_empty()).then(|| others.iter().sum::<f64>() / others.len() as f64)
}

/// The stalling test of one party made as the talks go, without keeping the actions: the
/// party's offer to others at the end of each round it offered in, kept only as far back as
/// a window of `window` rounds needs. [`StallingWatch::is_stalling`] answers exactly as
/// [`is_stalling`] does on the actions observed so far, in time proportional to the window.
#[derive(Debug, Clone, PartialEq)]
pub struct StallingWatch {
    party: usize,
    /// The largest window the watch is asked about.
    window: u32,
    /// `(round, offer to others after the party's last offer in that round)`, rounds
    /// increasing.
    history: VecDeque<(u32, f64)>,
}

impl StallingWatch {
    /// Watches `party`, for stalling tests over windows of at most `window` rounds.
    pub fn new(party: usize, window: u32) -> Self {
        StallingWatch {
            party,
            window: window.max(1),
            history: VecDeque::new(),
        }
    }

    /// The party watched.
    pub fn party(&self) -> usize {
        self.party
    }

    /// Takes in an action (actions come in the order of the trace).
    pub fn observe(&mut self, e: &TraceEntry) {
        let Some(v) = offer_to_others(e, self.party) else {
            return;
        };
        match self.history.back_mut() {
            Some((r, last)) if *r == e.round => *last = v,
            _ => self.history.push_back((e.round, v)),
        }
        // Keep the latest offer at or before the oldest round a window can start at.
        if let Some(oldest) = e.round.checked_sub(self.window) {
            while self.history.len() > 1 && self.history[1].0 <= oldest {
                self.history.pop_front();
            }
        }
    }

    /// Whether the party is stalling at round `round` under `rule` (whose window must not
    /// exceed the watch's), from the actions observed up to that round: as [`is_stalling`].
    pub fn is_stalling(&self, round: u32, rule: StallingRule) -> Option<bool> {
        let window = rule.window.max(1);
        debug_assert!(window <= self.window, "a window wider than the watch keeps");
        let start = round.checked_sub(window)?;
        let base = self
            .history
            .iter()
            .rev()
            .find(|(r, _)| *r <= start)
            .map(|&(_, v)| v)?;
        let best = self
            .history
            .iter()
            .filter(|(r, _)| *r > start && *r <= round)
            .fold(base, |a, &(_, b)| a.max(b));
        Some(best - base < rule.min_improvement)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::space::Outcome;
    use proptest::prelude::*;

    proptest! {
        /// The watch answers as the test over every action, at every round, whatever the
        /// offers, the other parties' moves and the windows.
        #[test]
        fn the_watch_answers_as_the_whole_trace_does(
            moves in proptest::collection::vec((0u32..3, 0usize..3, 0u8..6), 0..80),
            window in 1u32..6,
            min in 0u8..4,
        ) {
            let rule = StallingRule { window, min_improvement: f64::from(min) * 0.1 };
            let mut entries: Vec<TraceEntry> = Vec::new();
            let mut watch = StallingWatch::new(0, window + 2);
            let mut round = 0;
            for (step, party, u) in moves {
                round += step;
                let e = offer(round, party, vec![0.0, f64::from(u) * 0.1, f64::from(u) * 0.05]);
                watch.observe(&e);
                entries.push(e);
                for r in round..round + 3 {
                    prop_assert_eq!(watch.is_stalling(r, rule), is_stalling(&entries, 0, r, rule));
                }
            }
        }
    }

    fn offer(round: u32, party: usize, utilities: Vec<f64>) -> TraceEntry {
        TraceEntry {
            round,
            actor: crate::Actor::Party(party),
            time: 0.0,
            kind: ActionKind::Offer,
            outcome: Some(Outcome(vec![0])),
            utilities,
        }
    }

    #[test]
    fn steady_concession_is_not_stalling_and_repetition_is() {
        let rule = StallingRule {
            window: 3,
            min_improvement: 0.05,
        };
        // Party 0 concedes 0.1 to party 1 every round.
        let conceding: Vec<_> = (0..6)
            .map(|r| offer(r, 0, vec![1.0 - 0.1 * f64::from(r), 0.1 * f64::from(r)]))
            .collect();
        assert_eq!(is_stalling(&conceding, 0, 2, rule), None);
        assert_eq!(is_stalling(&conceding, 0, 5, rule), Some(false));
        // Party 0 repeats the same offer.
        let stuck: Vec<_> = (0..6).map(|r| offer(r, 0, vec![0.9, 0.2])).collect();
        assert_eq!(is_stalling(&stuck, 0, 5, rule), Some(true));
        // Tiny moves below the threshold are still stalling.
        let creeping: Vec<_> = (0..6)
            .map(|r| offer(r, 0, vec![0.9, 0.2 + 0.01 * f64::from(r)]))
            .collect();
        assert_eq!(is_stalling(&creeping, 0, 5, rule), Some(true));
        // No offers at all: cannot tell.
        assert_eq!(is_stalling(&stuck, 1, 5, rule), None);
    }

    #[test]
    fn offers_carry_over_rounds_without_offers() {
        let entries = vec![
            offer(0, 0, vec![1.0, 0.2, 0.4]),
            offer(3, 0, vec![0.8, 0.5, 0.5]),
        ];
        let s = offers_to_others(&entries, 0, 4);
        assert_eq!(s[0], Some(0.30000000000000004));
        assert_eq!(s[2], s[0]);
        assert_eq!(s[3], Some(0.5));
        assert_eq!(s[4], Some(0.5));
    }
}
