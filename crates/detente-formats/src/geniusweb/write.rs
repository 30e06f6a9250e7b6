//! Writing a scenario as GeniusWeb JSON files, refusing what GeniusWeb cannot express.

use std::path::{Path, PathBuf};

use detente_core::{
    Evaluator, IssueKind, LinearAdditive, OutcomeSpace, Preferences, Scenario, Utility,
    tables::utility_vector,
};

use super::json::Json;
use crate::genius::{max_sum, plan_files, write_all};
use crate::{FormatError, Result};

/// Largest space searched for an outcome whose utility is a party's reservation value.
const RESERVATION_SEARCH_LIMIT: u64 = 20_000_000;

/// Why a party cannot be written: where (its utility, an issue...) and the reason.
type Refusal = (String, String);

/// Writes `scenario` into `dir` as a GeniusWeb domain file (`<name>.json`) and one profile
/// per party (`<party>.json`), and returns the paths written (domain first).
///
/// Reading them back gives the same utility for every outcome and the same reservation
/// values. Refused, with an error naming the party and the reason, and with nothing written:
/// discount factors other than 1, utilities that are not linear additive, caps that bind
/// (GeniusWeb has none), negative weights or scores, per-value scores of number issues, and a
/// reservation value that no outcome's utility equals (GeniusWeb states it as a bid).
pub fn write(scenario: &Scenario, dir: &Path) -> Result<Vec<PathBuf>> {
    let (domain_path, party_paths) = plan_files(scenario, dir, "json", false)?;
    let domain = domain_json(scenario);
    let mut files = vec![(domain_path, pretty(&domain))];
    for (k, party) in scenario.parties.iter().enumerate() {
        let path = party_paths[k].clone();
        let v =
            profile_json(scenario, k, &domain).map_err(|(location, message)| FormatError::In {
                path: path.clone(),
                location: format!("party \"{}\" / {location}", party.name),
                message: format!("cannot be written as GeniusWeb JSON: {message}"),
            })?;
        files.push((path, pretty(&v)));
    }
    write_all(dir, &files)
}

/// A file's text: the value, indented, and a final newline.
fn pretty(v: &Json) -> String {
    let mut text = String::new();
    v.write(&mut text, 0);
    text.push('\n');
    text
}

fn domain_json(scenario: &Scenario) -> Json {
    let mut issues = Vec::new();
    for issue in scenario.space.issues() {
        let spec = match &issue.kind {
            IssueKind::Discrete { values } => Json::Obj(vec![(
                "values".into(),
                Json::Arr(values.iter().map(|v| Json::Str(v.clone())).collect()),
            )]),
            IssueKind::Integer { min, max } => Json::Obj(vec![(
                "range".into(),
                Json::Arr(vec![
                    Json::Num(*min as f64),
                    Json::Num(*max as f64),
                    Json::Num(1.0),
                ]),
            )]),
            IssueKind::Real { min, max, steps } => {
                let step = if *steps > 1 {
                    (max - min) / f64::from(steps - 1)
                } else {
                    1.0
                };
                Json::Obj(vec![(
                    "range".into(),
                    Json::Arr(vec![Json::Num(*min), Json::Num(*max), Json::Num(step)]),
                )])
            }
        };
        issues.push((issue.name.clone(), spec));
    }
    Json::Obj(vec![
        ("name".into(), Json::Str(scenario.name.clone())),
        ("issuesValues".into(), Json::Obj(issues)),
    ])
}

/// A party's `LinearAdditiveUtilitySpace` profile.
fn profile_json(
    scenario: &Scenario,
    party: usize,
    domain: &Json,
) -> std::result::Result<Json, Refusal> {
    let p = &scenario.parties[party];
    let prefs = &p.preferences;
    let space = &scenario.space;
    let lin = linear_without_discount(prefs)?;
    if let Some(c) = lin.cap() {
        check_cap(lin, c)?;
    }
    let mut weights = Vec::new();
    let mut utils = Vec::new();
    for (i, issue) in space.issues().iter().enumerate() {
        let (w, u) = issue_json(&issue.kind, lin.weights()[i], &lin.evaluators()[i])
            .map_err(|m| (format!("issue \"{}\"", issue.name), m))?;
        weights.push((issue.name.clone(), Json::Num(w)));
        utils.push((issue.name.clone(), u));
    }
    let bid = if prefs.reservation == 0.0 {
        Json::Null
    } else {
        reservation_bid(space, prefs)?
    };
    Ok(Json::Obj(vec![(
        "LinearAdditiveUtilitySpace".into(),
        Json::Obj(vec![
            ("issueUtilities".into(), Json::Obj(utils)),
            ("issueWeights".into(), Json::Obj(weights)),
            ("domain".into(), domain.clone()),
            ("name".into(), Json::Str(p.name.clone())),
            ("reservationBid".into(), bid),
        ]),
    )]))
}

/// The linear additive utility of preferences GeniusWeb can hold (no discount factor).
fn linear_without_discount(prefs: &Preferences) -> std::result::Result<&LinearAdditive, Refusal> {
    let refuse = |m: &str| Err(("utility".to_string(), m.to_string()));
    let lin = match &prefs.utility {
        Utility::LinearAdditive(l) => l,
        Utility::Table(_) => {
            return refuse("a utility table (outcome by outcome) has no GeniusWeb form");
        }
        Utility::Hyperrectangles(_) => {
            return refuse("hyper-rectangle utilities have no GeniusWeb form");
        }
        _ => return refuse("a custom utility function has no GeniusWeb form"),
    };
    if prefs.discount != 1.0 {
        return Err((
            "discount factor".into(),
            format!(
                "the discount factor is {}, but GeniusWeb profiles have none (time pressure comes from the deadline)",
                prefs.discount
            ),
        ));
    }
    Ok(lin)
}

/// Refuses a cap that binds, since GeniusWeb has none.
fn check_cap(lin: &LinearAdditive, cap: f64) -> std::result::Result<(), Refusal> {
    let m = max_sum(lin);
    if m > cap {
        return Err((
            "utility".into(),
            format!(
                "the utility is capped at {cap} and the uncapped sum reaches {m}; GeniusWeb has no cap, so the utilities would change"
            ),
        ));
    }
    Ok(())
}

/// GeniusWeb's form of one issue's weight and utilities.
fn issue_json(
    kind: &IssueKind,
    w: f64,
    ev: &Evaluator,
) -> std::result::Result<(f64, Json), String> {
    if w < 0.0 {
        return Err(format!("the weight {w} is negative"));
    }
    match (kind, ev) {
        (IssueKind::Discrete { values }, Evaluator::Table(scores)) => {
            if let Some(s) = scores.iter().find(|s| **s < 0.0) {
                return Err(format!(
                    "the score {s} is negative; GeniusWeb utilities lie in [0, 1]"
                ));
            }
            let m = scores.iter().copied().fold(0.0, f64::max);
            let (w, scores): (f64, Vec<f64>) = if m > 1.0 {
                (w * m, scores.iter().map(|s| s / m).collect())
            } else {
                (w, scores.clone())
            };
            let vu = values
                .iter()
                .zip(scores)
                .map(|(v, s)| (v.clone(), Json::Num(s)))
                .collect();
            Ok((
                w,
                Json::Obj(vec![(
                    "DiscreteValueSetUtilities".into(),
                    Json::Obj(vec![("valueUtilities".into(), Json::Obj(vu))]),
                )]),
            ))
        }
        (IssueKind::Discrete { .. }, _) => Err("a discrete issue needs a score per value".into()),
        (IssueKind::Integer { min, max }, ev) => {
            number_json(*min as f64, *max as f64, ev).map(|u| (w, u))
        }
        (IssueKind::Real { min, max, .. }, ev) => number_json(*min, *max, ev).map(|u| (w, u)),
    }
}

/// `NumberValueSetUtilities` of a number issue over `[lo, hi]`: a line between two points.
fn number_json(lo: f64, hi: f64, ev: &Evaluator) -> std::result::Result<Json, String> {
    let (lv, lu, hv, hu) = match *ev {
        Evaluator::Interpolate {
            low_value,
            low_utility,
            high_value,
            high_utility,
        } => (low_value, low_utility, high_value, high_utility),
        Evaluator::Linear {
            slope,
            intercept,
            origin,
            ..
        } => (
            lo,
            slope * (lo - origin) + intercept,
            hi,
            slope * (hi - origin) + intercept,
        ),
        Evaluator::Constant(c) => (lo, c, hi, c),
        Evaluator::Triangular { .. } => {
            return Err(
                "a triangular score cannot be written: GeniusWeb number utilities are linear"
                    .into(),
            );
        }
        Evaluator::Table(_) => {
            return Err("per-value scores of a number issue cannot be written: GeniusWeb number utilities are linear".into());
        }
    };
    let in01 = |x: f64| (0.0..=1.0).contains(&x);
    if !in01(lu) || !in01(hu) {
        return Err(format!(
            "the utilities {lu} and {hu} at the ends must lie in [0, 1] for GeniusWeb"
        ));
    }
    let nu = Json::Obj(vec![
        ("lowValue".into(), Json::Num(lv)),
        ("lowUtility".into(), Json::Num(lu)),
        ("highValue".into(), Json::Num(hv)),
        ("highUtility".into(), Json::Num(hu)),
    ]);
    Ok(Json::Obj(vec![("NumberValueSetUtilities".into(), nu)]))
}

/// The `reservationBid`: the first outcome (by id) whose utility is the reservation value.
fn reservation_bid(
    space: &OutcomeSpace,
    prefs: &Preferences,
) -> std::result::Result<Json, Refusal> {
    let us = utility_vector(space, &prefs.utility, RESERVATION_SEARCH_LIMIT).map_err(|e| {
        ("reservation value".to_string(), format!("GeniusWeb states it as a bid with that utility, but the space cannot be searched for one: {e}"))
    })?;
    let r = prefs.reservation;
    let best = us
        .iter()
        .enumerate()
        .min_by(|a, b| {
            (a.1 - r)
                .abs()
                .total_cmp(&(b.1 - r).abs())
                .then(a.0.cmp(&b.0))
        })
        .map(|(i, u)| (i, *u));
    match best {
        Some((id, u)) if (u - r).abs() <= 1e-12 => {
            let o = space.outcome(id as u64).expect("id in range");
            let mut iv = Vec::new();
            for (i, issue) in space.issues().iter().enumerate() {
                let val = match issue.value(o.0[i]).expect("value in range") {
                    detente_core::Value::Discrete(s) => Json::Str(s.to_string()),
                    other => Json::Num(other.as_f64().unwrap_or(0.0)),
                };
                iv.push((issue.name.clone(), val));
            }
            Ok(Json::Obj(vec![("issuevalues".into(), Json::Obj(iv))]))
        }
        nearest => Err((
            "reservation value".into(),
            format!(
                "GeniusWeb states a reservation value as a bid whose utility it is, and no outcome has utility {r} (the nearest has {})",
                nearest.map_or(f64::NAN, |n| n.1)
            ),
        )),
    }
}
