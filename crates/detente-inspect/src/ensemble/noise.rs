//! Preference noise: each run of an ensemble plays a scenario whose parties want slightly
//! different things from what the file says, since the file's numbers are judgements (see the
//! module docs of [`super`]).

use detente_core::{InteractionUtility, LinearAdditive, Scenario, Utility};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::error::{InspectError, Result};

/// The preference noise of `detente run`'s ensemble by default (see [`perturbed`]).
pub const DEFAULT_NOISE: f64 = 0.05;

/// `scenario` with every party's preferences perturbed by `noise` (a finite number at least
/// 0), the draws taken from `rng`, in turn order:
///
/// - its reservation value moves by `noise * u`;
/// - each issue weight of a linear additive utility (the additive part of one with linked
///   deals) is multiplied by `exp(noise * u)`, a fresh `u` for each, and the weights are scaled
///   back to their original sum, so utilities keep their range; linked deals' bonuses stay.
///
/// Each `u` is uniform in `[-1, 1]`. Utilities of other forms (tables, hyper-rectangles, a
/// user's own) keep their values: only their reservation moves. Events, constraints and the
/// compliance model stay as given.
pub fn perturbed(scenario: &Scenario, noise: f64, rng: &mut ChaCha8Rng) -> Result<Scenario> {
    let mut s = scenario.clone();
    for p in 0..s.parties.len() {
        let prefs = &mut s.parties[p].preferences;
        prefs.reservation += noise * rng.random_range(-1.0..=1.0);
        let utility = match &prefs.utility {
            Utility::LinearAdditive(lin) => Some(Utility::LinearAdditive(reweighted(
                &s.space, lin, noise, rng,
            )?)),
            Utility::Interacting(u) => {
                let base = reweighted(&s.space, u.base(), noise, rng)?;
                let terms = u.interactions().to_vec();
                Some(Utility::Interacting(
                    InteractionUtility::new(&s.space, base, terms).map_err(invalid)?,
                ))
            }
            _ => None,
        };
        if let Some(u) = utility {
            s.parties[p].preferences.utility = u;
        }
    }
    Ok(s)
}

/// `lin` with each weight multiplied by `exp(noise * u)` and the weights scaled back to their
/// original sum.
fn reweighted(
    space: &detente_core::OutcomeSpace,
    lin: &LinearAdditive,
    noise: f64,
    rng: &mut ChaCha8Rng,
) -> Result<LinearAdditive> {
    let before: f64 = lin.weights().iter().sum();
    let mut w: Vec<f64> = lin
        .weights()
        .iter()
        .map(|&w| w * (noise * rng.random_range(-1.0..=1.0)).exp())
        .collect();
    let after: f64 = w.iter().sum();
    if after > 0.0 && after.is_finite() {
        w.iter_mut().for_each(|x| *x *= before / after);
    }
    LinearAdditive::new(space, w, lin.evaluators().to_vec(), lin.cap()).map_err(invalid)
}

fn invalid(e: detente_core::Error) -> InspectError {
    InspectError::Invalid(format!("the preference noise made an invalid utility: {e}"))
}
