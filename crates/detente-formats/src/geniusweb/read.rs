//! Reading GeniusWeb domain and profile objects into detente's types, with GeniusWeb's
//! semantics (see the module documentation of [`crate::geniusweb`]).

use rustc_hash::FxHashSet as HashSet;
use std::path::Path;

use detente_core::{
    Evaluator, Issue, IssueKind, LinearAdditive, Outcome, OutcomeSpace, Preferences, Utility,
};

use super::json::Json;
use super::{diag, err_in, q};
use crate::names::ValueFinder;
use crate::{Diagnostic, Result};

/// The root key of a profile.
const PROFILE: &str = "LinearAdditiveUtilitySpace";

/// What a JSON file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FileKind {
    Domain,
    Profile,
    Other,
}

/// Tells a domain from a profile by content.
pub(super) fn classify(path: &Path, v: &Json) -> Result<FileKind> {
    if v.get(PROFILE).is_some() {
        return Ok(FileKind::Profile);
    }
    if v.get("issuesValues").is_some() {
        return Ok(FileKind::Domain);
    }
    if let Some([(key, _)]) = v.as_obj()
        && key.ends_with("UtilitySpace")
    {
        return Err(err_in(
            path,
            key.as_str(),
            "only LinearAdditiveUtilitySpace profiles are supported",
        ));
    }
    Ok(FileKind::Other)
}

/// A finite number at `loc`.
fn number(path: &Path, loc: &str, v: Option<&Json>) -> Result<f64> {
    match v {
        Some(Json::Num(x)) if x.is_finite() => Ok(*x),
        Some(other) => Err(err_in(
            path,
            loc,
            format!("expected a number, found {}", other.kind()),
        )),
        None => Err(err_in(path, loc, "missing")),
    }
}

/// The members of the object at `loc`.
fn object<'a>(path: &Path, loc: &str, v: &'a Json) -> Result<&'a [(String, Json)]> {
    v.as_obj()
        .ok_or_else(|| err_in(path, loc, format!("expected an object, found {}", v.kind())))
}

/// The member `key` of `v`, which `loc` names.
fn member<'a>(path: &Path, loc: &str, v: &'a Json, key: &str) -> Result<&'a Json> {
    v.get(key).ok_or_else(|| err_in(path, loc, "missing"))
}

/// Reads the issues of a domain object; `at` is where the object sits in its file.
pub(super) fn read_domain(
    path: &Path,
    v: &Json,
    at: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<Issue>> {
    let iv = v
        .get("issuesValues")
        .ok_or_else(|| err_in(path, at, "no \"issuesValues\""))?;
    let at = if at.is_empty() {
        "issuesValues".to_string()
    } else {
        format!("{at}.issuesValues")
    };
    let members = object(path, &at, iv)?;
    if members.is_empty() {
        return Err(err_in(path, &at, "the domain has no issues"));
    }
    let mut issues = Vec::with_capacity(members.len());
    let mut seen = HashSet::default();
    for (name, spec) in members {
        let loc = format!("{at}.{}", q(name));
        if !seen.insert(name.as_str()) {
            return Err(err_in(path, &loc, "the issue is listed twice"));
        }
        let issue = if let Some(values) = spec.get("values") {
            discrete_issue(path, &loc, name, values)?
        } else if let Some(range) = spec.get("range") {
            number_issue(path, &format!("{loc}.range"), name, range, diags)?
        } else {
            return Err(err_in(
                path,
                &loc,
                "expected {\"values\": [...]} or {\"range\": [low, high, step]}",
            ));
        };
        issues.push(issue);
    }
    Ok(issues)
}

/// `{"values": [...]}`: distinct value names.
fn discrete_issue(path: &Path, loc: &str, name: &str, values: &Json) -> Result<Issue> {
    let Json::Arr(items) = values else {
        return Err(err_in(
            path,
            format!("{loc}.values"),
            format!("expected an array, found {}", values.kind()),
        ));
    };
    let mut names: Vec<String> = Vec::with_capacity(items.len());
    let mut seen = HashSet::with_capacity_and_hasher(items.len(), Default::default());
    for (k, it) in items.iter().enumerate() {
        let Json::Str(s) = it else {
            return Err(err_in(
                path,
                format!("{loc}.values[{k}]"),
                format!("expected a string, found {}", it.kind()),
            ));
        };
        if !seen.insert(s.as_str()) {
            return Err(err_in(
                path,
                format!("{loc}.values[{k}]"),
                format!("the value \"{s}\" is listed twice"),
            ));
        }
        names.push(s.clone());
    }
    if names.is_empty() {
        return Err(err_in(
            path,
            format!("{loc}.values"),
            "the issue has no values",
        ));
    }
    Ok(Issue::discrete(name.to_string(), names))
}

/// `{"range": ...}` at `rloc`: an integer issue when the bounds are whole and the step 1, a
/// real one otherwise.
fn number_issue(
    path: &Path,
    rloc: &str,
    name: &str,
    range: &Json,
    diags: &mut Vec<Diagnostic>,
) -> Result<Issue> {
    let (lo, hi, step) = range_bounds(path, rloc, range)?;
    if lo > hi || step <= 0.0 {
        return Err(err_in(
            path,
            rloc,
            format!("needs low <= high and step > 0, found low {lo}, high {hi}, step {step}"),
        ));
    }
    let ratio = (hi - lo) / step;
    let near = ratio.round();
    let intervals = if (ratio - near).abs() <= 1e-9 * near.max(1.0) {
        near
    } else {
        ratio.floor()
    };
    if intervals.is_nan() || intervals >= f64::from(u32::MAX - 1) {
        return Err(err_in(
            path,
            rloc,
            format!("the range has {ratio} steps, too many to enumerate"),
        ));
    }
    let n = intervals as u32 + 1;
    if lo.fract() == 0.0 && hi.fract() == 0.0 && step == 1.0 && lo.abs() < 9e15 && hi.abs() < 9e15 {
        return Ok(Issue::integer(name.to_string(), lo as i64, hi as i64));
    }
    let last = lo + f64::from(n - 1) * step;
    let max = if (last - hi).abs() <= 1e-9 * hi.abs().max(lo.abs()).max(1.0) {
        hi
    } else {
        diags.push(diag(
            path,
            rloc,
            format!("{hi} is not reached in steps of {step} from {lo}; the last value is {last}"),
        ));
        last
    };
    Ok(Issue::real(name.to_string(), lo, max, n))
}

/// `[low, high, step]` or `{"low", "high", "step"}`.
fn range_bounds(path: &Path, rloc: &str, range: &Json) -> Result<(f64, f64, f64)> {
    match range {
        Json::Arr(a) if a.len() == 3 => Ok((
            number(path, &format!("{rloc}[0]"), a.first())?,
            number(path, &format!("{rloc}[1]"), a.get(1))?,
            number(path, &format!("{rloc}[2]"), a.get(2))?,
        )),
        Json::Obj(_) => Ok((
            number(path, &format!("{rloc}.low"), range.get("low"))?,
            number(path, &format!("{rloc}.high"), range.get("high"))?,
            number(path, &format!("{rloc}.step"), range.get("step"))?,
        )),
        other => Err(err_in(
            path,
            rloc,
            format!(
                "expected [low, high, step] or {{\"low\", \"high\", \"step\"}}, found {}",
                other.kind()
            ),
        )),
    }
}

/// Reads one profile's utility and reservation value.
pub(super) fn read_profile(
    path: &Path,
    v: &Json,
    space: &OutcomeSpace,
    domain_issues: &[Issue],
    diags: &mut Vec<Diagnostic>,
) -> Result<Preferences> {
    let las = profile_root(path, v, domain_issues, diags)?;
    let wloc = format!("{PROFILE}.issueWeights");
    let uloc = format!("{PROFILE}.issueUtilities");
    let weights = member(path, &wloc, las, "issueWeights")?;
    let wobj = object(path, &wloc, weights)?;
    let utils = member(path, &uloc, las, "issueUtilities")?;
    let uobj = object(path, &uloc, utils)?;
    for (loc, members) in [(&wloc, wobj), (&uloc, uobj)] {
        if let Some((k, _)) = members.iter().find(|(k, _)| space.issue_index(k).is_none()) {
            return Err(err_in(
                path,
                format!("{loc}.{}", q(k)),
                "the domain has no such issue",
            ));
        }
    }
    let mut ws = Vec::new();
    let mut evs = Vec::new();
    for issue in space.issues() {
        ws.push(issue_weight(path, weights, issue)?);
        evs.push(issue_evaluator(path, utils, issue, diags)?);
    }
    let lin = LinearAdditive::new(space, ws, evs, None)
        .map_err(|e| err_in(path, PROFILE, e.to_string()))?;
    let reservation = match las.get("reservationBid") {
        None | Some(Json::Null) => 0.0,
        Some(bid) => bid_utility(path, bid, space, &lin, diags)?,
    };
    Ok(Preferences {
        utility: Utility::LinearAdditive(lin),
        reservation,
        discount: 1.0,
    })
}

/// The profile object, after checking its copy of the domain (when it has one).
fn profile_root<'a>(
    path: &Path,
    v: &'a Json,
    domain_issues: &[Issue],
    diags: &mut Vec<Diagnostic>,
) -> Result<&'a Json> {
    let las = member(path, PROFILE, v, PROFILE)?;
    object(path, PROFILE, las)?;
    let dloc = format!("{PROFILE}.domain");
    match las.get("domain") {
        None => diags.push(diag(
            path,
            dloc,
            "the profile does not repeat its domain; not checked",
        )),
        Some(d) => {
            let mut ignore = Vec::new();
            if read_domain(path, d, &dloc, &mut ignore)? != domain_issues {
                return Err(err_in(
                    path,
                    dloc,
                    "the profile's copy of the domain differs from the domain file (other issues or values)",
                ));
            }
        }
    }
    Ok(las)
}

/// The weight of an issue: present and not negative.
fn issue_weight(path: &Path, weights: &Json, issue: &Issue) -> Result<f64> {
    let wloc = format!("{PROFILE}.issueWeights.{}", q(&issue.name));
    let w = match weights.get(&issue.name) {
        None => {
            return Err(err_in(
                path,
                &wloc,
                "the profile gives this issue no weight",
            ));
        }
        Some(x) => number(path, &wloc, Some(x))?,
    };
    if w < 0.0 {
        return Err(err_in(path, &wloc, format!("the weight {w} is negative")));
    }
    Ok(w)
}

/// The utilities of an issue: `{"DiscreteValueSetUtilities": ...}` for a discrete issue,
/// `{"NumberValueSetUtilities": ...}` for a number one (or their short names).
fn issue_evaluator(
    path: &Path,
    utils: &Json,
    issue: &Issue,
    diags: &mut Vec<Diagnostic>,
) -> Result<Evaluator> {
    let uloc = format!("{PROFILE}.issueUtilities.{}", q(&issue.name));
    let spec = utils
        .get(&issue.name)
        .ok_or_else(|| err_in(path, &uloc, "the profile gives this issue no utilities"))?;
    let Some([(kind, body)]) = spec.as_obj() else {
        return Err(err_in(
            path,
            &uloc,
            "expected an object with one key (DiscreteValueSetUtilities or NumberValueSetUtilities)",
        ));
    };
    let bloc = format!("{uloc}.{kind}");
    let mismatch = |given: &str, domain: &str| {
        err_in(
            path,
            &bloc,
            format!(
                "{given} utilities for issue \"{}\", which is a {domain} issue in the domain",
                issue.name
            ),
        )
    };
    match (kind.as_str(), &issue.kind) {
        ("discreteutils" | "DiscreteValueSetUtilities", IssueKind::Discrete { values }) => {
            discrete_utilities(path, &bloc, issue, values, body, diags)
        }
        (
            "numberutils" | "NumberValueSetUtilities",
            IssueKind::Integer { .. } | IssueKind::Real { .. },
        ) => number_utilities(path, &bloc, body),
        ("discreteutils" | "DiscreteValueSetUtilities", _) => Err(mismatch("discrete", "number")),
        ("numberutils" | "NumberValueSetUtilities", _) => Err(mismatch("number", "discrete")),
        (other, _) => Err(err_in(
            path,
            &bloc,
            format!("unknown utility kind \"{other}\""),
        )),
    }
}

/// `{"valueUtilities": {value: utility, ...}}`; a value left out scores 0.
fn discrete_utilities(
    path: &Path,
    bloc: &str,
    issue: &Issue,
    values: &[String],
    body: &Json,
    diags: &mut Vec<Diagnostic>,
) -> Result<Evaluator> {
    let vloc = format!("{bloc}.valueUtilities");
    let vu = member(path, &vloc, body, "valueUtilities")?;
    let vobj = object(path, &vloc, vu)?;
    let mut scores = vec![None; values.len()];
    let mut finder = ValueFinder::new(values);
    for (val, u) in vobj {
        let loc = format!("{vloc}.{}", q(val));
        let Some(i) = finder.find(val) else {
            return Err(err_in(
                path,
                &loc,
                format!(
                    "\"{val}\" is not a value of issue \"{}\" in the domain",
                    issue.name
                ),
            ));
        };
        scores[i as usize] = Some(check01(path, &loc, number(path, &loc, Some(u))?)?);
    }
    let mut table = Vec::with_capacity(values.len());
    for (val, s) in values.iter().zip(scores) {
        table.push(s.unwrap_or_else(|| {
            diags.push(diag(
                path,
                &vloc,
                format!("no utility for value \"{val}\"; GeniusWeb scores it 0"),
            ));
            0.0
        }));
    }
    Ok(Evaluator::Table(table))
}

/// `{"lowValue", "lowUtility", "highValue", "highUtility"}`: linear between, 0 outside.
fn number_utilities(path: &Path, bloc: &str, body: &Json) -> Result<Evaluator> {
    let f = |k: &str| number(path, &format!("{bloc}.{k}"), body.get(k));
    let (lv, lu, hv, hu) = (
        f("lowValue")?,
        f("lowUtility")?,
        f("highValue")?,
        f("highUtility")?,
    );
    check01(path, &format!("{bloc}.lowUtility"), lu)?;
    check01(path, &format!("{bloc}.highUtility"), hu)?;
    if lv > hv {
        return Err(err_in(
            path,
            bloc,
            format!("lowValue {lv} is above highValue {hv}"),
        ));
    }
    Ok(Evaluator::Interpolate {
        low_value: lv,
        low_utility: lu,
        high_value: hv,
        high_utility: hu,
    })
}

/// A utility GeniusWeb requires to lie in [0, 1].
fn check01(path: &Path, loc: &str, u: f64) -> Result<f64> {
    if (0.0..=1.0).contains(&u) {
        Ok(u)
    } else {
        Err(err_in(
            path,
            loc,
            format!("the utility {u} is outside [0, 1], which GeniusWeb requires"),
        ))
    }
}

/// The utility of the profile's `reservationBid` (the reservation value); the issues a
/// partial bid leaves out add nothing.
fn bid_utility(
    path: &Path,
    bid: &Json,
    space: &OutcomeSpace,
    lin: &LinearAdditive,
    diags: &mut Vec<Diagnostic>,
) -> Result<f64> {
    let bloc = format!("{PROFILE}.reservationBid.issuevalues");
    let iv = member(path, &bloc, bid, "issuevalues")?;
    let members = object(path, &bloc, iv)?;
    let mut values: Vec<Option<u32>> = vec![None; space.issues().len()];
    for (name, val) in members {
        let (i, v) = bid_value(path, &format!("{bloc}.{}", q(name)), space, name, val)?;
        values[i] = Some(v);
    }
    if values.iter().all(Option::is_some) {
        let o = Outcome(values.into_iter().map(|v| v.unwrap_or(0)).collect());
        return Ok(detente_core::UtilityFunction::utility(lin, &o));
    }
    diags.push(diag(
        path,
        &bloc,
        "a partial bid: the missing issues add nothing to its utility",
    ));
    let mut u = 0.0;
    for (i, v) in values.iter().enumerate() {
        if let Some(v) = v {
            u += lin.weighted_score(i, *v);
        }
    }
    Ok(u)
}

/// The issue a bid names and the index of the value it gives.
fn bid_value(
    path: &Path,
    vloc: &str,
    space: &OutcomeSpace,
    name: &str,
    val: &Json,
) -> Result<(usize, u32)> {
    let i = space
        .issue_index(name)
        .ok_or_else(|| err_in(path, vloc, "the domain has no such issue"))?;
    let issue = &space.issues()[i];
    let index = match (val, &issue.kind) {
        (Json::Str(s), IssueKind::Discrete { .. }) => space.value_index(i, s),
        (Json::Num(x), IssueKind::Integer { .. } | IssueKind::Real { .. }) => {
            issue.nearest_index(*x, true)
        }
        _ => None,
    };
    let index = index.ok_or_else(|| {
        err_in(
            path,
            vloc,
            format!("{} is not a value of issue \"{}\"", show(val), issue.name),
        )
    })?;
    Ok((i, index))
}

/// A JSON value as a message shows it.
fn show(v: &Json) -> String {
    match v {
        Json::Str(s) => format!("\"{s}\""),
        Json::Num(x) => format!("{x}"),
        other => other.kind().to_string(),
    }
}
