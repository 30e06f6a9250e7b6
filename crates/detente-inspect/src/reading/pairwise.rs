//! The stalling test of trace inspection, pairwise, and the votes of mediated talks.
//!
//! The scenario's stalling *triggers* use [`detente_core::dynamics::is_stalling`]: the mean,
//! over the others, of what a party's latest offer gives them. Reading a trace asks more
//! precisely whom a party moves toward. Party `i` is **stalling toward** party `j` at round `R`
//! under a rule `(window k, min improvement x)` when it had made an offer by round `R - k` and
//! `j`'s utility of `i`'s latest offer at every round in `(R - k, R]` is less than `x` above
//! `j`'s utility of `i`'s latest offer at round `R - k`. Party `i` is **stalling** when it is
//! stalling toward every other party that offered or voted in the rounds read, **and** it
//! accepted nothing in the window: a party that says yes to the text (mediated talks) or to
//! the offer on the table has moved to an agreement, whatever its last counter-proposal was.

use detente_core::dynamics::StallingRule;
use detente_core::{ActionKind, TraceEntry};

/// Party `i`'s stalling test toward each party (`None` for itself and where the test cannot be
/// made: no offer of `i` by round `R - k`, or `R < k`).
pub fn stalling_toward(
    entries: &[TraceEntry],
    i: usize,
    n: usize,
    round: u32,
    rule: StallingRule,
) -> Vec<Option<bool>> {
    let window = rule.window.max(1);
    let Some(start) = round.checked_sub(window) else {
        return vec![None; n];
    };
    let offers: Vec<&TraceEntry> = entries
        .iter()
        .filter(|e| e.actor.is_party(i) && e.kind == ActionKind::Offer && e.round <= round)
        .collect();
    let Some(base) = offers.iter().rev().find(|e| e.round <= start) else {
        return vec![None; n];
    };
    let later: Vec<&&TraceEntry> = offers.iter().filter(|e| e.round > start).collect();
    (0..n)
        .map(|j| {
            if j == i {
                return None;
            }
            let at_start = base.utilities[j];
            let best = later
                .iter()
                .map(|e| e.utilities[j])
                .fold(at_start, f64::max);
            Some(best - at_start < rule.min_improvement)
        })
        .collect()
}

/// Whether party `i` accepted a text or an offer in rounds `(round - window, round]`.
pub fn accepted_in_window(
    entries: &[TraceEntry],
    i: usize,
    round: u32,
    rule: StallingRule,
) -> bool {
    let start = round.saturating_sub(rule.window.max(1));
    entries.iter().any(|e| {
        e.actor.is_party(i) && e.kind == ActionKind::Accept && e.round > start && e.round <= round
    })
}

/// The inspection's stalling test of party `i` at `round` (see the module docs): `None` when
/// it cannot be made toward any party that took part.
pub fn is_stalling_pairwise(
    entries: &[TraceEntry],
    i: usize,
    n: usize,
    round: u32,
    rule: StallingRule,
) -> Option<bool> {
    let toward = stalling_toward(entries, i, n, round, rule);
    let took_part = |j: usize| {
        entries
            .iter()
            .any(|e| e.actor.is_party(j) && e.round <= round)
    };
    let tests: Vec<bool> = (0..n)
        .filter(|&j| j != i && took_part(j))
        .filter_map(|j| toward[j])
        .collect();
    if tests.is_empty() {
        return None;
    }
    if accepted_in_window(entries, i, round, rule) {
        return Some(false);
    }
    Some(tests.iter().all(|&s| s))
}

/// How a party voted on the texts of mediated talks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Votes {
    /// Texts it accepted.
    pub accepted: usize,
    /// Texts it rejected (with a counter-proposal).
    pub rejected: usize,
    /// Its lowest own utility of a text it accepted (what it showed it would take).
    pub lowest_accepted: Option<f64>,
    /// Its highest own utility of a text it rejected.
    pub highest_rejected: Option<f64>,
}

/// Party `i`'s votes on the mediator's texts; `None` when the trace has no texts (not
/// mediated) or `i` proposed them (it mediated).
pub fn votes(entries: &[TraceEntry], i: usize) -> Option<Votes> {
    let mut text: Option<&TraceEntry> = None;
    let mut v = Votes::default();
    let mut any_text = false;
    for e in entries {
        if e.kind == ActionKind::Propose {
            if e.actor.is_party(i) {
                return None;
            }
            any_text = true;
            text = Some(e);
            continue;
        }
        let Some(t) = text.filter(|_| e.actor.is_party(i)) else {
            continue;
        };
        let u = t.utilities.get(i).copied();
        match e.kind {
            ActionKind::Accept => {
                v.accepted += 1;
                v.lowest_accepted = min_opt(v.lowest_accepted, u);
            }
            ActionKind::Offer => {
                v.rejected += 1;
                v.highest_rejected = max_opt(v.highest_rejected, u);
            }
            _ => {}
        }
    }
    any_text.then_some(v)
}

fn min_opt(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

fn max_opt(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use detente_core::Actor;

    fn entry(round: u32, party: usize, kind: ActionKind, utilities: &[f64]) -> TraceEntry {
        TraceEntry {
            round,
            actor: Actor::Party(party),
            time: 0.0,
            kind,
            outcome: None,
            utilities: utilities.to_vec(),
        }
    }

    const RULE: StallingRule = StallingRule {
        window: 3,
        min_improvement: 0.01,
    };

    #[test]
    fn a_party_that_moves_toward_one_party_only_is_stalling_toward_the_other() {
        // Party 0 improves what it offers party 2 and never what it offers party 1.
        let mut entries = Vec::new();
        for r in 0..6 {
            let u2 = 0.1 + 0.05 * f64::from(r);
            entries.push(entry(r, 0, ActionKind::Offer, &[0.9, 0.3, u2]));
            entries.push(entry(r, 1, ActionKind::Offer, &[0.2, 0.9, 0.2]));
            entries.push(entry(r, 2, ActionKind::Offer, &[0.2, 0.2, 0.9]));
        }
        let toward = stalling_toward(&entries, 0, 3, 5, RULE);
        assert_eq!(toward, [None, Some(true), Some(false)]);
        assert_eq!(is_stalling_pairwise(&entries, 0, 3, 5, RULE), Some(false));
        // Party 1 never moves: stalling toward both, so stalling.
        assert_eq!(is_stalling_pairwise(&entries, 1, 3, 5, RULE), Some(true));
    }

    #[test]
    fn a_party_that_accepted_in_the_window_is_not_stalling() {
        let mut entries = vec![entry(0, 1, ActionKind::Offer, &[0.5, 0.9])];
        entries.push(entry(0, 0, ActionKind::Offer, &[0.9, 0.5]));
        for r in 1..5 {
            entries.push(entry(r, 0, ActionKind::Offer, &[0.9, 0.5]));
        }
        assert_eq!(is_stalling_pairwise(&entries, 1, 2, 4, RULE), Some(true));
        entries.push(entry(4, 1, ActionKind::Accept, &[0.9, 0.5]));
        assert_eq!(is_stalling_pairwise(&entries, 1, 2, 4, RULE), Some(false));
    }

    #[test]
    fn votes_count_the_texts_accepted_and_rejected() {
        let text = |round, u: &[f64]| TraceEntry {
            actor: Actor::Mediator,
            ..entry(round, 0, ActionKind::Propose, u)
        };
        let entries = vec![
            text(0, &[0.4, 0.8]),
            entry(0, 0, ActionKind::Offer, &[0.9, 0.2]),
            entry(0, 1, ActionKind::Accept, &[]),
            text(1, &[0.6, 0.7]),
            entry(1, 0, ActionKind::Accept, &[]),
            entry(1, 1, ActionKind::Accept, &[]),
        ];
        let v = votes(&entries, 0).unwrap();
        assert_eq!((v.accepted, v.rejected), (1, 1));
        assert_eq!(
            (v.lowest_accepted, v.highest_rejected),
            (Some(0.6), Some(0.4))
        );
        assert_eq!(votes(&entries, 1).unwrap().lowest_accepted, Some(0.7));
        assert_eq!(votes(&entries[1..2], 0), None);
    }
}
