//! The evidence of one party's reading: its concession curve, the shape of its steps, the
//! reciprocity of its concessions, and the stalling test with the concession its fitted pace
//! predicts over the test's window.

use detente_analysis::stats::{pearson, variance};
use detente_core::{ActionKind, Outcome, TraceEntry};

use super::{CurvePoint, Evidence, MIN_RECIPROCITY_PAIRS, Talks, pairwise, turn_time};
use crate::fit::{InForce, TacticFit, level_at_least};

/// Party `i`'s offers in order.
pub(super) fn curve(entries: &[TraceEntry], i: usize) -> Vec<CurvePoint> {
    offers(entries, i)
        .map(|e| CurvePoint {
            round: e.round,
            time: e.time,
            utilities: e.utilities.clone(),
        })
        .collect()
}

/// Party `i`'s own utility of each offer, carried into the bounds in force at its last offer:
/// an offer `x` of the way from `Pmax` to `Pmin` as they stood at its round is `Pmax_end - x
/// (Pmax_end - Pmin_end)`. So a step measures a concession, not the setting moving under an
/// unchanged offer (a belief, an event, a settlement); with bounds that stay put it is the own
/// utility itself.
fn in_frame_of_the_end(curve: &[CurvePoint], bounds: &[InForce<'_>], i: usize) -> Vec<f64> {
    let Some(end) = bounds.last() else {
        return Vec::new();
    };
    curve
        .iter()
        .zip(bounds)
        .map(|(c, b)| {
            let u = c.utilities[i];
            let range = b.pmax - b.pmin;
            if b == end || range <= 1e-12 {
                return u;
            }
            end.pmax - (b.pmax - u) / range * (end.pmax - end.pmin)
        })
        .collect()
}

/// Party `i`'s offer actions.
fn offers(entries: &[TraceEntry], i: usize) -> impl Iterator<Item = &TraceEntry> {
    entries
        .iter()
        .filter(move |e| e.actor.is_party(i) && e.kind == ActionKind::Offer)
}

/// The evidence about party `i`, whose offers are `curve` (each made within `bounds`, the
/// bounds in force at its round), whose fitted tactic is `fit`, whose utility levels are
/// `levels` (best first) and whose `Pmax - Pmin` is `range`.
pub(super) fn gather(
    talks: &Talks<'_>,
    i: usize,
    curve: &[CurvePoint],
    bounds: &[InForce<'_>],
    fit: Option<&TacticFit>,
    levels: &[f64],
) -> Evidence {
    let own = in_frame_of_the_end(curve, bounds, i);
    let mut distinct: Vec<&Outcome> = offers(talks.entries, i)
        .filter_map(|e| e.outcome.as_ref())
        .collect();
    distinct.sort();
    distinct.dedup();
    let steps: Vec<f64> = own.windows(2).map(|w| w[1] - w[0]).collect();
    let monotone_share = (!steps.is_empty())
        .then(|| steps.iter().filter(|&&d| d <= 1e-9).count() as f64 / steps.len() as f64);
    let conceded_share = match (own.first(), own.last(), bounds.last()) {
        (Some(a), Some(b), Some(end)) if end.pmax - end.pmin > 1e-12 => {
            (a - b) / (end.pmax - end.pmin)
        }
        _ => 0.0,
    };
    let (mine, theirs) = concession_pairs(talks, i);
    let reciprocity = (mine.len() >= MIN_RECIPROCITY_PAIRS)
        .then(|| pearson(&mine, &theirs))
        .flatten();
    let (window_concession, window_predicted) = window_concessions(talks, i, curve, fit, levels);
    let n = talks.scenario.parties.len();
    Evidence {
        offers: curve.len(),
        distinct_offers: distinct.len(),
        conceded_share,
        monotone_share,
        step_variance: variance(&steps),
        reciprocity,
        reciprocity_pairs: mine.len(),
        stalling_round: talks.last_round,
        stalling: pairwise::is_stalling_pairwise(talks.entries, i, n, talks.last_round, talks.rule),
        stalling_toward: pairwise::stalling_toward(
            talks.entries,
            i,
            n,
            talks.last_round,
            talks.rule,
        ),
        votes: pairwise::votes(talks.entries, i),
        window_concession,
        window_predicted,
    }
}

/// For reciprocity: party `i`'s concession at each of its offers, and the others' mean
/// concession since its previous offer, both in its own utility (offers with no earlier offer
/// of its own, or no move of another party to compare, are left out).
fn concession_pairs(talks: &Talks<'_>, i: usize) -> (Vec<f64>, Vec<f64>) {
    let n = talks.scenario.parties.len();
    let mut mine = Vec::new();
    let mut theirs = Vec::new();
    let mut latest: Vec<Option<f64>> = vec![None; n];
    let mut at_my_last: Option<(f64, Vec<Option<f64>>)> = None;
    for e in talks.entries.iter().filter(|e| e.kind == ActionKind::Offer) {
        let Some(by) = e.actor.party() else { continue };
        if by != i {
            latest[by] = Some(e.utilities[i]);
            continue;
        }
        let u = e.utilities[i];
        if let Some((prev_u, prev_latest)) = &at_my_last {
            let moves: Vec<f64> = (0..n)
                .filter(|&j| j != i)
                .filter_map(|j| Some(latest[j]? - prev_latest[j]?))
                .collect();
            if !moves.is_empty() {
                mine.push(prev_u - u);
                theirs.push(moves.iter().sum::<f64>() / moves.len() as f64);
            }
        }
        at_my_last = Some((u, latest.clone()));
    }
    (mine, theirs)
}

/// Party `i`'s own-utility concession over the stalling window, observed and as the fit
/// predicts it: from its latest offer at the window's start to its last offer (`None` when
/// the window starts before round 0 or it made no offer in it).
fn window_concessions(
    talks: &Talks<'_>,
    i: usize,
    curve: &[CurvePoint],
    fit: Option<&TacticFit>,
    levels: &[f64],
) -> (Option<f64>, Option<f64>) {
    let window = talks.rule.window.max(1);
    let Some(start) = talks.last_round.checked_sub(window) else {
        return (None, None);
    };
    let own_at = |r: u32| {
        curve
            .iter()
            .rev()
            .find(|c| c.round <= r)
            .map(|c| c.utilities[i])
    };
    // Up to its last offer: a party that accepts instead of offering is not stalling.
    let last_offer = curve.last().filter(|c| c.round > start);
    let observed = match (own_at(start), last_offer) {
        (Some(a), Some(b)) => Some(a - b.utilities[i]),
        _ => None,
    };
    let predicted = match (fit, last_offer) {
        (Some(f), Some(b)) => {
            let n = talks.scenario.parties.len();
            let t0 = turn_time(start, i, n, talks.deadline);
            Some(level_at_least(levels, f.target(t0)) - level_at_least(levels, f.target(b.time)))
        }
        _ => None,
    };
    (observed, predicted)
}
