//! GeniusWeb JSON scenarios: a domain file (`issuesValues`) and one
//! `LinearAdditiveUtilitySpace` profile per party, read and written with GeniusWeb's semantics.
//!
//! `U = Σ w_i · u_i(value)`, with no cap. Discrete utilities are listed per value (under
//! `discreteutils` or `DiscreteValueSetUtilities`); number utilities interpolate linearly
//! between `(lowValue, lowUtility)` and `(highValue, highUtility)` and are 0 outside (under
//! `numberutils` or `NumberValueSetUtilities`). A number-valued issue `{"range": [low, high,
//! step]}` (or `{"range": {"low", "high", "step"}}`) becomes an integer issue when `low` and
//! `high` are whole and `step` is 1, and a real issue with `(high − low)/step + 1` points
//! otherwise. The reservation value is the utility of the profile's `reservationBid` (0 when
//! there is none); the discount factor is 1, since GeniusWeb has none.
//!
//! Files that are neither a domain nor a profile (such as ANL 2023's `specials.json`) are
//! skipped with a diagnostic. A profile naming an issue or value the domain lacks is an error.

mod json;

use std::path::{Path, PathBuf};

use detente_core::{
    Evaluator, Issue, IssueKind, LinearAdditive, Outcome, OutcomeSpace, Preferences, Scenario,
    Utility, tables::utility_vector,
};

use crate::genius::{assemble, check_counts, list_dir, sort_by_file_name};
use crate::{Diagnostic, FormatError, Loaded, Result, SourceFormat};
use json::Json;

/// Largest space searched for an outcome whose utility is a party's reservation value.
const RESERVATION_SEARCH_LIMIT: u64 = 20_000_000;

fn err_in(path: &Path, location: impl Into<String>, message: impl Into<String>) -> FormatError {
    FormatError::In {
        path: path.to_path_buf(),
        location: location.into(),
        message: message.into(),
    }
}

fn diag(path: &Path, location: impl Into<String>, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        path: path.to_path_buf(),
        location: location.into(),
        message: message.into(),
    }
}

fn q(key: &str) -> String {
    format!("\"{key}\"")
}

/// Reads a GeniusWeb domain file and its profile files, given in any order.
pub fn load_files(files: &[PathBuf]) -> Result<Loaded> {
    let mut inputs = Vec::with_capacity(files.len());
    for f in files {
        let bytes = std::fs::read(f).map_err(|source| FormatError::Io {
            path: f.clone(),
            source,
        })?;
        inputs.push((f.clone(), bytes));
    }
    load_bytes(&inputs)
}

/// Reads every `.json` file of a folder as a GeniusWeb scenario.
pub fn load_dir(dir: &Path) -> Result<Loaded> {
    let files = list_dir(dir, "json")?;
    if files.is_empty() {
        return Err(FormatError::Unrecognised {
            path: dir.to_path_buf(),
            message: "the folder holds no .json files".into(),
        });
    }
    load_files(&files)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Domain,
    Profile,
    Other,
}

fn classify(path: &Path, v: &Json) -> Result<FileKind> {
    if v.get("LinearAdditiveUtilitySpace").is_some() {
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

/// Reads the issues of a domain object.
fn read_domain(path: &Path, v: &Json, at: &str, diags: &mut Vec<Diagnostic>) -> Result<Vec<Issue>> {
    let iv = v
        .get("issuesValues")
        .ok_or_else(|| err_in(path, at, "no \"issuesValues\""))?;
    let at = if at.is_empty() {
        "issuesValues".to_string()
    } else {
        format!("{at}.issuesValues")
    };
    let members = iv.as_obj().ok_or_else(|| {
        err_in(
            path,
            &at,
            format!("expected an object, found {}", iv.kind()),
        )
    })?;
    if members.is_empty() {
        return Err(err_in(path, &at, "the domain has no issues"));
    }
    let mut issues = Vec::with_capacity(members.len());
    for (name, spec) in members {
        let loc = format!("{at}.{}", q(name));
        if issues.iter().any(|i: &Issue| &i.name == name) {
            return Err(err_in(path, &loc, "the issue is listed twice"));
        }
        if let Some(values) = spec.get("values") {
            let Json::Arr(items) = values else {
                return Err(err_in(
                    path,
                    format!("{loc}.values"),
                    format!("expected an array, found {}", values.kind()),
                ));
            };
            let mut names: Vec<String> = Vec::with_capacity(items.len());
            for (k, it) in items.iter().enumerate() {
                let Json::Str(s) = it else {
                    return Err(err_in(
                        path,
                        format!("{loc}.values[{k}]"),
                        format!("expected a string, found {}", it.kind()),
                    ));
                };
                if names.contains(s) {
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
            issues.push(Issue::discrete(name.clone(), names));
        } else if let Some(range) = spec.get("range") {
            let rloc = format!("{loc}.range");
            let (lo, hi, step) = match range {
                Json::Arr(a) if a.len() == 3 => (
                    number(path, &format!("{rloc}[0]"), a.first())?,
                    number(path, &format!("{rloc}[1]"), a.get(1))?,
                    number(path, &format!("{rloc}[2]"), a.get(2))?,
                ),
                Json::Obj(_) => (
                    number(path, &format!("{rloc}.low"), range.get("low"))?,
                    number(path, &format!("{rloc}.high"), range.get("high"))?,
                    number(path, &format!("{rloc}.step"), range.get("step"))?,
                ),
                other => {
                    return Err(err_in(
                        path,
                        &rloc,
                        format!(
                            "expected [low, high, step] or {{\"low\", \"high\", \"step\"}}, found {}",
                            other.kind()
                        ),
                    ));
                }
            };
            if lo > hi || step <= 0.0 {
                return Err(err_in(
                    path,
                    &rloc,
                    format!(
                        "needs low <= high and step > 0, found low {lo}, high {hi}, step {step}"
                    ),
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
                    &rloc,
                    format!("the range has {ratio} steps, too many to enumerate"),
                ));
            }
            let n = intervals as u32 + 1;
            if lo.fract() == 0.0
                && hi.fract() == 0.0
                && step == 1.0
                && lo.abs() < 9e15
                && hi.abs() < 9e15
            {
                issues.push(Issue::integer(name.clone(), lo as i64, hi as i64));
            } else {
                let last = lo + f64::from(n - 1) * step;
                let max = if (last - hi).abs() <= 1e-9 * hi.abs().max(lo.abs()).max(1.0) {
                    hi
                } else {
                    diags.push(diag(path, &rloc, format!("{hi} is not reached in steps of {step} from {lo}; the last value is {last}")));
                    last
                };
                issues.push(Issue::real(name.clone(), lo, max, n));
            }
        } else {
            return Err(err_in(
                path,
                &loc,
                "expected {\"values\": [...]} or {\"range\": [low, high, step]}",
            ));
        }
    }
    Ok(issues)
}

/// Reads one profile's utility and reservation value.
fn read_profile(
    path: &Path,
    v: &Json,
    space: &OutcomeSpace,
    domain_issues: &[Issue],
    diags: &mut Vec<Diagnostic>,
) -> Result<Preferences> {
    let root = "LinearAdditiveUtilitySpace";
    let las = v.get(root).ok_or_else(|| err_in(path, root, "missing"))?;
    if las.as_obj().is_none() {
        return Err(err_in(
            path,
            root,
            format!("expected an object, found {}", las.kind()),
        ));
    }
    match las.get("domain") {
        None => diags.push(diag(
            path,
            format!("{root}.domain"),
            "the profile does not repeat its domain; not checked",
        )),
        Some(d) => {
            let mut ignore = Vec::new();
            let theirs = read_domain(path, d, &format!("{root}.domain"), &mut ignore)?;
            if theirs != domain_issues {
                return Err(err_in(
                    path,
                    format!("{root}.domain"),
                    "the profile's copy of the domain differs from the domain file (other issues or values)",
                ));
            }
        }
    }
    let weights = las
        .get("issueWeights")
        .ok_or_else(|| err_in(path, format!("{root}.issueWeights"), "missing"))?;
    let wobj = weights.as_obj().ok_or_else(|| {
        err_in(
            path,
            format!("{root}.issueWeights"),
            format!("expected an object, found {}", weights.kind()),
        )
    })?;
    let utils = las
        .get("issueUtilities")
        .ok_or_else(|| err_in(path, format!("{root}.issueUtilities"), "missing"))?;
    let uobj = utils.as_obj().ok_or_else(|| {
        err_in(
            path,
            format!("{root}.issueUtilities"),
            format!("expected an object, found {}", utils.kind()),
        )
    })?;
    for (k, _) in wobj {
        if space.issue_index(k).is_none() {
            return Err(err_in(
                path,
                format!("{root}.issueWeights.{}", q(k)),
                "the domain has no such issue",
            ));
        }
    }
    for (k, _) in uobj {
        if space.issue_index(k).is_none() {
            return Err(err_in(
                path,
                format!("{root}.issueUtilities.{}", q(k)),
                "the domain has no such issue",
            ));
        }
    }
    let mut ws = Vec::new();
    let mut evs = Vec::new();
    for issue in space.issues() {
        let wloc = format!("{root}.issueWeights.{}", q(&issue.name));
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
        ws.push(w);
        let uloc = format!("{root}.issueUtilities.{}", q(&issue.name));
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
        let check01 = |loc: &str, u: f64| -> Result<f64> {
            if (0.0..=1.0).contains(&u) {
                Ok(u)
            } else {
                Err(err_in(
                    path,
                    loc,
                    format!("the utility {u} is outside [0, 1], which GeniusWeb requires"),
                ))
            }
        };
        let ev = match (kind.as_str(), &issue.kind) {
            ("discreteutils" | "DiscreteValueSetUtilities", IssueKind::Discrete { values }) => {
                let vu = body
                    .get("valueUtilities")
                    .ok_or_else(|| err_in(path, format!("{bloc}.valueUtilities"), "missing"))?;
                let vobj = vu.as_obj().ok_or_else(|| {
                    err_in(
                        path,
                        format!("{bloc}.valueUtilities"),
                        format!("expected an object, found {}", vu.kind()),
                    )
                })?;
                let mut scores = vec![None; values.len()];
                for (val, u) in vobj {
                    let vloc = format!("{bloc}.valueUtilities.{}", q(val));
                    let Some(i) = values.iter().position(|x| x == val) else {
                        return Err(err_in(
                            path,
                            &vloc,
                            format!(
                                "\"{val}\" is not a value of issue \"{}\" in the domain",
                                issue.name
                            ),
                        ));
                    };
                    scores[i] = Some(check01(&vloc, number(path, &vloc, Some(u))?)?);
                }
                let mut table = Vec::with_capacity(values.len());
                for (val, s) in values.iter().zip(scores) {
                    table.push(s.unwrap_or_else(|| {
                        diags.push(diag(
                            path,
                            format!("{bloc}.valueUtilities"),
                            format!("no utility for value \"{val}\"; GeniusWeb scores it 0"),
                        ));
                        0.0
                    }));
                }
                Evaluator::Table(table)
            }
            (
                "numberutils" | "NumberValueSetUtilities",
                IssueKind::Integer { .. } | IssueKind::Real { .. },
            ) => {
                let f = |k: &str| number(path, &format!("{bloc}.{k}"), body.get(k));
                let (lv, lu, hv, hu) = (
                    f("lowValue")?,
                    f("lowUtility")?,
                    f("highValue")?,
                    f("highUtility")?,
                );
                check01(&format!("{bloc}.lowUtility"), lu)?;
                check01(&format!("{bloc}.highUtility"), hu)?;
                if lv > hv {
                    return Err(err_in(
                        path,
                        &bloc,
                        format!("lowValue {lv} is above highValue {hv}"),
                    ));
                }
                Evaluator::Interpolate {
                    low_value: lv,
                    low_utility: lu,
                    high_value: hv,
                    high_utility: hu,
                }
            }
            ("discreteutils" | "DiscreteValueSetUtilities", _) => {
                return Err(err_in(
                    path,
                    &bloc,
                    format!(
                        "discrete utilities for issue \"{}\", which is a number issue in the domain",
                        issue.name
                    ),
                ));
            }
            ("numberutils" | "NumberValueSetUtilities", _) => {
                return Err(err_in(
                    path,
                    &bloc,
                    format!(
                        "number utilities for issue \"{}\", which is a discrete issue in the domain",
                        issue.name
                    ),
                ));
            }
            (other, _) => {
                return Err(err_in(
                    path,
                    &bloc,
                    format!("unknown utility kind \"{other}\""),
                ));
            }
        };
        evs.push(ev);
    }
    let sum: f64 = ws.iter().sum();
    if (sum - 1.0).abs() > 1e-9 {
        diags.push(diag(
            path,
            format!("{root}.issueWeights"),
            format!("the weights sum to {sum}, not 1 (GeniusWeb requires 1); used as they are"),
        ));
    }
    let lin =
        LinearAdditive::new(space, ws, evs, None).map_err(|e| err_in(path, root, e.to_string()))?;
    let reservation = match las.get("reservationBid") {
        None | Some(Json::Null) => 0.0,
        Some(bid) => {
            let bloc = format!("{root}.reservationBid.issuevalues");
            let iv = bid
                .get("issuevalues")
                .ok_or_else(|| err_in(path, &bloc, "missing"))?;
            let members = iv.as_obj().ok_or_else(|| {
                err_in(
                    path,
                    &bloc,
                    format!("expected an object, found {}", iv.kind()),
                )
            })?;
            let mut values: Vec<Option<u32>> = vec![None; space.issues().len()];
            for (name, val) in members {
                let vloc = format!("{bloc}.{}", q(name));
                let i = space
                    .issue_index(name)
                    .ok_or_else(|| err_in(path, &vloc, "the domain has no such issue"))?;
                let issue = &space.issues()[i];
                let index = match (val, &issue.kind) {
                    (Json::Str(s), IssueKind::Discrete { .. }) => issue.index_of_name(s),
                    (Json::Num(x), IssueKind::Integer { .. } | IssueKind::Real { .. }) => {
                        issue.nearest_index(*x, true)
                    }
                    _ => None,
                };
                values[i] = Some(index.ok_or_else(|| {
                    err_in(
                        path,
                        &vloc,
                        format!("{} is not a value of issue \"{}\"", show(val), issue.name),
                    )
                })?);
            }
            if values.iter().all(Option::is_some) {
                let o = Outcome(values.into_iter().map(|v| v.unwrap_or(0)).collect());
                detente_core::UtilityFunction::utility(&lin, &o)
            } else {
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
                u
            }
        }
    };
    Ok(Preferences {
        utility: Utility::LinearAdditive(lin),
        reservation,
        discount: 1.0,
    })
}

fn show(v: &Json) -> String {
    match v {
        Json::Str(s) => format!("\"{s}\""),
        Json::Num(x) => format!("{x}"),
        other => other.kind().to_string(),
    }
}

/// Reads a GeniusWeb scenario from file contents already in memory (`(path, bytes)` pairs;
/// the paths only name the files in messages and the parties).
pub fn load_bytes(files: &[(PathBuf, Vec<u8>)]) -> Result<Loaded> {
    let mut diags = Vec::new();
    let mut docs = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        let v = json::parse(bytes).map_err(|(line, column, message)| FormatError::At {
            path: path.clone(),
            line,
            column,
            message: format!("not valid JSON: {message}"),
        })?;
        let kind = classify(path, &v)?;
        if kind == FileKind::Other {
            diags.push(diag(path, "file", "neither a GeniusWeb domain (issuesValues) nor a profile (LinearAdditiveUtilitySpace); skipped"));
            continue;
        }
        docs.push((path.clone(), v, kind));
    }
    let all: Vec<PathBuf> = files.iter().map(|f| f.0.clone()).collect();
    let domains: Vec<&Path> = docs
        .iter()
        .filter(|d| d.2 == FileKind::Domain)
        .map(|d| d.0.as_path())
        .collect();
    let profiles: Vec<&Path> = docs
        .iter()
        .filter(|d| d.2 == FileKind::Profile)
        .map(|d| d.0.as_path())
        .collect();
    check_counts("GeniusWeb", &domains, &profiles, &all)?;
    let (domain_path, domain_doc, _) = docs
        .iter()
        .find(|d| d.2 == FileKind::Domain)
        .expect("counted above");
    let issues = read_domain(domain_path, domain_doc, "", &mut diags)?;
    let space = OutcomeSpace::new(issues.clone())
        .map_err(|e| err_in(domain_path, "issuesValues", e.to_string()))?;
    let mut profile_docs: Vec<(PathBuf, &Json)> = docs
        .iter()
        .filter(|d| d.2 == FileKind::Profile)
        .map(|d| (d.0.clone(), &d.1))
        .collect();
    sort_by_file_name(&mut profile_docs);
    let mut parties = Vec::with_capacity(profile_docs.len());
    for (path, v) in &profile_docs {
        parties.push((
            path.clone(),
            read_profile(path, v, &space, &issues, &mut diags)?,
        ));
    }
    let scenario = assemble("GeniusWeb", domain_path, space, parties)?;
    Ok(Loaded {
        scenario,
        diagnostics: diags,
        format: SourceFormat::GeniusWeb,
    })
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

/// GeniusWeb's form of one issue's weight and utilities.
fn issue_json(
    kind: &IssueKind,
    w: f64,
    ev: &Evaluator,
) -> std::result::Result<(f64, Json), String> {
    if w < 0.0 {
        return Err(format!("the weight {w} is negative"));
    }
    let in01 = |x: f64| (0.0..=1.0).contains(&x);
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
        (IssueKind::Integer { .. } | IssueKind::Real { .. }, ev) => {
            let (lo, hi) = match *kind {
                IssueKind::Integer { min, max } => (min as f64, max as f64),
                IssueKind::Real { min, max, .. } => (min, max),
                IssueKind::Discrete { .. } => unreachable!(),
            };
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
                    return Err("a triangular score cannot be written: GeniusWeb number utilities are linear".into());
                }
                Evaluator::Table(_) => {
                    return Err("per-value scores of a number issue cannot be written: GeniusWeb number utilities are linear".into());
                }
            };
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
            Ok((w, Json::Obj(vec![("NumberValueSetUtilities".into(), nu)])))
        }
    }
}

fn profile_json(
    scenario: &Scenario,
    party: usize,
    domain: &Json,
) -> std::result::Result<Json, (String, String)> {
    let p = &scenario.parties[party];
    let prefs = &p.preferences;
    let space = &scenario.space;
    let lin = match &prefs.utility {
        Utility::LinearAdditive(l) => l,
        Utility::Table(_) => {
            return Err((
                "utility".into(),
                "a utility table (outcome by outcome) has no GeniusWeb form".into(),
            ));
        }
        Utility::Hyperrectangles(_) => {
            return Err((
                "utility".into(),
                "hyper-rectangle utilities have no GeniusWeb form".into(),
            ));
        }
        _ => {
            return Err((
                "utility".into(),
                "a custom utility function has no GeniusWeb form".into(),
            ));
        }
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
    if let Some(c) = lin.cap() {
        let m = crate::genius::max_sum(space, lin).ok_or_else(|| {
            (
                "utility".to_string(),
                "an issue has too many values to check the cap".to_string(),
            )
        })?;
        if m > c {
            return Err((
                "utility".into(),
                format!(
                    "the utility is capped at {c} and the uncapped sum reaches {m}; GeniusWeb has no cap, so the utilities would change"
                ),
            ));
        }
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
                Json::Obj(vec![("issuevalues".into(), Json::Obj(iv))])
            }
            nearest => {
                return Err((
                    "reservation value".into(),
                    format!(
                        "GeniusWeb states a reservation value as a bid whose utility it is, and no outcome has utility {r} (the nearest has {})",
                        nearest.map_or(f64::NAN, |n| n.1)
                    ),
                ));
            }
        }
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

/// Writes `scenario` into `dir` as a GeniusWeb domain file (`<name>.json`) and one profile
/// per party (`<party>.json`), and returns the paths written (domain first).
///
/// Reading them back gives the same utility for every outcome and the same reservation
/// values. Refused, with an error naming the party and the reason, and with nothing written:
/// discount factors other than 1, utilities that are not linear additive, caps that bind
/// (GeniusWeb has none), negative weights or scores, per-value scores of number issues, and a
/// reservation value that no outcome's utility equals (GeniusWeb states it as a bid).
pub fn write(scenario: &Scenario, dir: &Path) -> Result<Vec<PathBuf>> {
    let (domain_path, party_paths) = crate::genius::plan_files(scenario, dir, "json", false)?;
    let domain = domain_json(scenario);
    let mut text = String::new();
    domain.write(&mut text, 0);
    text.push('\n');
    let mut files = vec![(domain_path, text)];
    for (k, party) in scenario.parties.iter().enumerate() {
        let path = party_paths[k].clone();
        let v =
            profile_json(scenario, k, &domain).map_err(|(location, message)| FormatError::In {
                path: path.clone(),
                location: format!("party \"{}\" / {location}", party.name),
                message: format!("cannot be written as GeniusWeb JSON: {message}"),
            })?;
        let mut text = String::new();
        v.write(&mut text, 0);
        text.push('\n');
        files.push((path, text));
    }
    crate::genius::write_all(dir, &files)
}
