//! The classification of a party from its evidence: the rules of the module docs of
//! [`super`], one function each, tried in order; the first that holds gives the class and
//! the numbers behind it.

use detente_core::dynamics::StallingRule;
use detente_negotiators::{LINEAR_EXPONENT, Tactic};

use super::{
    Evidence, MAX_HARDLINER_CONCESSION, MIN_MONOTONE, MIN_OFFERS, MIN_RECIPROCITY,
    MIN_RECIPROCITY_PAIRS, MIN_STALL_PREDICTED, MIN_STALL_PRIOR_CONCESSION, Strategy,
    TIME_FIT_GOOD, TIME_FIT_USABLE, ci_text,
};
use crate::fit::TacticFit;

/// A class and the reason for it, with its numbers.
type Class = (Strategy, String);

/// Applies the rules of the module docs of [`super`]; `range` is `Pmax - Pmin`.
pub(super) fn classify(
    ev: &Evidence,
    fit: Option<&TacticFit>,
    range: f64,
    rule: StallingRule,
) -> Class {
    too_few_offers(ev)
        .or_else(|| random(ev))
        .or_else(|| hardliner(ev))
        .or_else(|| stalling(ev, range, rule))
        .or_else(|| tit_for_tat_like(ev, fit))
        .unwrap_or_else(|| time_dependent(fit))
}

/// Rule 1: fewer than [`MIN_OFFERS`] offers.
fn too_few_offers(ev: &Evidence) -> Option<Class> {
    (ev.offers < MIN_OFFERS).then(|| {
        (
            Strategy::Undetermined,
            format!("{} offers; at least {MIN_OFFERS} are needed", ev.offers),
        )
    })
}

/// Rule 2: too few of its steps keep or lower its own utility.
fn random(ev: &Evidence) -> Option<Class> {
    let m = ev.monotone_share.filter(|&m| m < MIN_MONOTONE)?;
    Some((
        Strategy::Random,
        format!(
            "only {:.0}% of its steps keep or lower its own utility (random below {:.0}%); \
             step variance {:.4}",
            m * 100.0,
            MIN_MONOTONE * 100.0,
            ev.step_variance.unwrap_or(0.0)
        ),
    ))
}

/// Rule 3: it barely conceded.
fn hardliner(ev: &Evidence) -> Option<Class> {
    (ev.conceded_share < MAX_HARDLINER_CONCESSION).then(|| {
        (
            Strategy::Hardliner,
            format!(
                "conceded {:.1}% of the way from its best utility to its reservation level \
                 over {} offers (hardliner below {:.0}%)",
                ev.conceded_share * 100.0,
                ev.offers,
                MAX_HARDLINER_CONCESSION * 100.0
            ),
        )
    })
}

/// Rule 4: the stalling test holds and it stopped against its own fitted pace, after
/// conceding some of the way.
fn stalling(ev: &Evidence, range: f64, rule: StallingRule) -> Option<Class> {
    if ev.stalling == Some(true)
        && ev.conceded_share >= MIN_STALL_PRIOR_CONCESSION
        && let (Some(obs), Some(pred)) = (ev.window_concession, ev.window_predicted)
        && range > 1e-12
        && pred >= MIN_STALL_PREDICTED * range
        && pred >= 2.0 * obs.max(0.0) + 1e-12
    {
        return Some((
            Strategy::Stalling,
            format!(
                "the stalling test holds at round {} (offer to others improved by less than {} \
                 over {} rounds); it conceded {:.3} of its own utility in that window where its \
                 fitted pace predicts {:.3}, after conceding {:.0}% of the way before",
                ev.stalling_round + 1,
                rule.min_improvement,
                rule.window,
                obs,
                pred,
                ev.conceded_share * 100.0
            ),
        ));
    }
    None
}

/// Rule 5: its concessions follow the others' better than time explains them.
fn tit_for_tat_like(ev: &Evidence, fit: Option<&TacticFit>) -> Option<Class> {
    let r2 = fit.and_then(|f| f.r2);
    let r = ev.reciprocity?;
    if r >= MIN_RECIPROCITY
        && ev.reciprocity_pairs >= MIN_RECIPROCITY_PAIRS
        && r2.is_none_or(|r2| r2 < TIME_FIT_GOOD)
    {
        return Some((
            Strategy::TitForTatLike,
            format!(
                "its concessions correlate with the others' previous concessions (r = {r:.2} \
                 over {} offers, at least {MIN_RECIPROCITY}) better than time explains them \
                 (R² {} < {TIME_FIT_GOOD})",
                ev.reciprocity_pairs,
                r2_text(r2)
            ),
        ));
    }
    None
}

/// Rules 6 and 7: undetermined without a usable fit, otherwise the class of the fitted
/// exponent's 95% interval.
fn time_dependent(fit: Option<&TacticFit>) -> Class {
    let Some(fit) = fit else {
        return (Strategy::Undetermined, "no fit".into());
    };
    let r2 = fit.r2;
    if r2.is_none_or(|r2| r2 < TIME_FIT_USABLE) {
        return (
            Strategy::Undetermined,
            format!(
                "the time-dependent fit explains too little (R² {} < {TIME_FIT_USABLE})",
                r2_text(r2)
            ),
        );
    }
    let tactic = Tactic::of_interval(fit.ci[0], fit.ci[1]);
    (
        Strategy::of_tactic(tactic),
        format!(
            "time-dependent fit e = {:.3} (95% CI {}), R² {:.3}, RMSE {:.4}; {}",
            fit.e,
            ci_text(fit),
            r2.unwrap_or(f64::NAN),
            fit.rmse,
            match tactic {
                Tactic::Boulware => format!("the interval is below {LINEAR_EXPONENT}: Boulware"),
                Tactic::Linear => format!("the interval contains {LINEAR_EXPONENT}: linear"),
                Tactic::Conceder => format!("the interval is above {LINEAR_EXPONENT}: conceder"),
            }
        ),
    )
}

/// An R² with two decimals, or `n/a`.
fn r2_text(r2: Option<f64>) -> String {
    r2.map_or("n/a".to_string(), |r| format!("{r:.2}"))
}
