//! Writing a scenario as GENIUS XML files, refusing what GENIUS cannot express.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use detente_core::{
    Evaluator, HyperrectangleUtility, Issue, IssueKind, LinearAdditive, Scenario, Utility,
};

use crate::xml::escape;
use crate::{FormatError, Result};

/// Formats a number so that it reads back to the same `f64` (in Rust and in Java).
pub(crate) fn num(x: f64) -> String {
    format!("{x:?}")
}

/// Turns a name into a safe file stem (path separators and reserved characters become `_`).
pub(crate) fn sanitize(name: &str, fallback: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let s = s.trim().trim_start_matches('.').to_string();
    if s.is_empty() {
        fallback.to_string()
    } else {
        s
    }
}

/// Plans the file names: one for the domain and one per party, all distinct.
pub(crate) fn plan_files(
    scenario: &Scenario,
    dir: &Path,
    ext: &str,
    domain_suffix: bool,
) -> Result<(PathBuf, Vec<PathBuf>)> {
    let base = sanitize(&scenario.name, "scenario");
    let mut parties: Vec<PathBuf> = Vec::new();
    for p in &scenario.parties {
        let f = dir.join(format!("{}.{ext}", sanitize(&p.name, "party")));
        if parties
            .iter()
            .any(|o| o.to_string_lossy().to_lowercase() == f.to_string_lossy().to_lowercase())
        {
            return Err(FormatError::In {
                path: f,
                location: format!("party \"{}\"", p.name),
                message: "two parties would be written to the same file name; rename one".into(),
            });
        }
        parties.push(f);
    }
    let mut domain = if domain_suffix {
        dir.join(format!("{base}-domain.{ext}"))
    } else {
        dir.join(format!("{base}.{ext}"))
    };
    if parties.contains(&domain) {
        domain = dir.join(format!("{base}-domain.{ext}"));
    }
    let mut k = 2;
    while parties.contains(&domain) {
        domain = dir.join(format!("{base}-domain{k}.{ext}"));
        k += 1;
    }
    Ok((domain, parties))
}

/// Writes every file, creating the folder.
pub(crate) fn write_all(dir: &Path, files: &[(PathBuf, String)]) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|source| FormatError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for (path, text) in files {
        std::fs::write(path, text).map_err(|source| FormatError::Io {
            path: path.clone(),
            source,
        })?;
    }
    Ok(files.iter().map(|f| f.0.clone()).collect())
}

/// Largest uncapped sum a linear additive utility reaches (the sum of each issue's best
/// weighted score, added in issue order, which is the largest sum in floating point too),
/// found without a scan of large numeric issues (`LinearAdditive::sum_range`).
pub(crate) fn max_sum(lin: &LinearAdditive) -> f64 {
    lin.sum_range().1
}

/// How a profile's issue is written.
enum IssueEval {
    Discrete(Vec<f64>),
    Integer { lower: i64, slope: f64, offset: f64 },
    RealLinear { p0: f64, p1: f64 },
    RealConstant(f64),
    RealTriangular { lower: f64, upper: f64, top: f64 },
}

fn in01(x: f64) -> bool {
    (0.0..=1.0).contains(&x)
}

fn fits_i32(x: i64) -> bool {
    i32::try_from(x).is_ok()
}

/// Chooses GENIUS's representation of one issue's weight and evaluator; errors say why not.
fn issue_eval(
    kind: &IssueKind,
    w: f64,
    ev: &Evaluator,
) -> std::result::Result<(f64, IssueEval), String> {
    if w < 0.0 {
        return Err(format!(
            "the weight {w} is negative, which GENIUS profiles cannot hold"
        ));
    }
    match (kind, ev) {
        (IssueKind::Discrete { .. }, Evaluator::Table(scores)) => discrete_eval(w, scores),
        (IssueKind::Discrete { .. }, _) => Err("a discrete issue needs a score per value".into()),
        (IssueKind::Integer { min, max }, ev) => integer_eval(*min, *max, w, ev),
        (IssueKind::Real { min, max, .. }, ev) => real_eval(*min, *max, ev).map(|e| (w, e)),
    }
}

/// Discrete scores as GENIUS evaluations: divided by the largest, which moves into the weight.
fn discrete_eval(w: f64, scores: &[f64]) -> std::result::Result<(f64, IssueEval), String> {
    if let Some(s) = scores.iter().find(|s| **s < 0.0) {
        return Err(format!(
            "the score {s} is negative; GENIUS evaluations are divided by the issue's largest one and cannot express it"
        ));
    }
    let m = scores.iter().copied().fold(0.0, f64::max);
    if m == 0.0 || m == 1.0 {
        Ok((w, IssueEval::Discrete(scores.to_vec())))
    } else {
        Ok((
            w * m,
            IssueEval::Discrete(scores.iter().map(|s| s / m).collect()),
        ))
    }
}

/// Refuses a score that leaves [0, 1] at an end of the range `[min, max]`, since GENIUS
/// clamps numeric scores.
fn within01(min: f64, max: f64, f: &dyn Fn(f64) -> f64) -> std::result::Result<(), String> {
    if in01(f(min)) && in01(f(max)) {
        Ok(())
    } else {
        Err(format!(
            "the score leaves [0, 1] on the issue's range ({} at {min}, {} at {max}), and GENIUS clamps scores to [0, 1]",
            f(min),
            f(max)
        ))
    }
}

/// An integer issue's score as GENIUS's `slope·(x − lower) + offset`.
fn integer_eval(
    min: i64,
    max: i64,
    w: f64,
    ev: &Evaluator,
) -> std::result::Result<(f64, IssueEval), String> {
    if !fits_i32(min) || !fits_i32(max) {
        return Err("GENIUS integer issues hold 32-bit bounds only".into());
    }
    let (lo, hi) = (min as f64, max as f64);
    // A line through (x0, y0): written from x0 when it is a 32-bit whole number, else from min.
    let line = |x0: f64, y0: f64, slope: f64| {
        if x0.fract() == 0.0 && fits_i32(x0 as i64) {
            IssueEval::Integer {
                lower: x0 as i64,
                slope,
                offset: y0,
            }
        } else {
            IssueEval::Integer {
                lower: min,
                slope,
                offset: slope * (lo - x0) + y0,
            }
        }
    };
    match *ev {
        Evaluator::Linear { slope, intercept, origin, clamp } => {
            if !clamp {
                within01(lo, hi, &|x| slope * (x - origin) + intercept)?;
            }
            Ok((w, line(origin, intercept, slope)))
        }
        Evaluator::Constant(c) => {
            within01(lo, hi, &|_| c)?;
            Ok((w, IssueEval::Integer { lower: min, slope: 0.0, offset: c }))
        }
        Evaluator::Interpolate { low_value, low_utility, high_value, high_utility } => {
            if low_value > lo || high_value < hi {
                return Err(format!(
                    "the score is 0 outside [{low_value}, {high_value}], which does not cover the issue's range; GENIUS integer scores are linear"
                ));
            }
            let slope = if high_value > low_value { (high_utility - low_utility) / (high_value - low_value) } else { 0.0 };
            within01(lo, hi, &|x| low_utility + slope * (x - low_value))?;
            Ok((w, line(low_value, low_utility, slope)))
        }
        Evaluator::Table(_) => Err("per-value scores of an integer issue cannot be written: GENIUS integer scores are linear".into()),
        Evaluator::Triangular { .. } => Err("a triangular score of an integer issue cannot be written: GENIUS integer scores are linear".into()),
    }
}

/// A real issue's score as a GENIUS linear, constant or triangular evaluator.
fn real_eval(min: f64, max: f64, ev: &Evaluator) -> std::result::Result<IssueEval, String> {
    match *ev {
        Evaluator::Linear {
            slope,
            intercept,
            origin,
            clamp,
        } => {
            if !clamp {
                within01(min, max, &|x| slope * (x - origin) + intercept)?;
            }
            let p0 = if origin == 0.0 {
                intercept
            } else {
                intercept - slope * origin
            };
            Ok(IssueEval::RealLinear { p0, p1: slope })
        }
        Evaluator::Constant(c) => Ok(IssueEval::RealConstant(c)),
        Evaluator::Triangular { lower, upper, top } => {
            Ok(IssueEval::RealTriangular { lower, upper, top })
        }
        Evaluator::Interpolate {
            low_value,
            low_utility,
            high_value,
            high_utility,
        } => {
            if low_value > min || high_value < max {
                return Err(format!(
                    "the score is 0 outside [{low_value}, {high_value}], which does not cover the issue's range; GENIUS has no such score"
                ));
            }
            let slope = if high_value > low_value {
                (high_utility - low_utility) / (high_value - low_value)
            } else {
                0.0
            };
            within01(min, max, &|x| low_utility + slope * (x - low_value))?;
            Ok(IssueEval::RealLinear {
                p0: low_utility - slope * low_value,
                p1: slope,
            })
        }
        Evaluator::Table(_) => Err(
            "per-point scores of a real issue cannot be written: GENIUS real scores are functions"
                .into(),
        ),
    }
}

fn issue_open(out: &mut String, index: usize, name: &str, kind: &IssueKind, self_close: bool) {
    let ty = match kind {
        IssueKind::Discrete { .. } => "discrete",
        IssueKind::Integer { .. } => "integer",
        IssueKind::Real { .. } => "real",
    };
    let _ = write!(
        out,
        "    <issue index=\"{index}\" name=\"{}\" type=\"{ty}\" etype=\"{ty}\" vtype=\"{ty}\"",
        escape(name)
    );
    match kind {
        IssueKind::Integer { min, max } => {
            let _ = write!(out, " lowerbound=\"{min}\" upperbound=\"{max}\"");
        }
        IssueKind::Real { steps, .. } => {
            let _ = write!(out, " steps=\"{steps}\"");
        }
        IssueKind::Discrete { .. } => {}
    }
    out.push_str(if self_close { "/>\n" } else { ">\n" });
}

fn domain_xml(scenario: &Scenario, profiles: &[PathBuf]) -> Result<String, String> {
    let mut out = String::new();
    let issues = scenario.space.issues();
    let _ = writeln!(
        out,
        "<negotiation_template>\n<utility_space number_of_issues=\"{}\">",
        issues.len()
    );
    let _ = writeln!(
        out,
        "  <objective index=\"0\" etype=\"objective\" type=\"objective\" description=\"\" name=\"{}\">",
        escape(&scenario.name)
    );
    for (i, issue) in issues.iter().enumerate() {
        match &issue.kind {
            IssueKind::Discrete { values } => {
                issue_open(&mut out, i + 1, &issue.name, &issue.kind, false);
                for (k, v) in values.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "      <item index=\"{}\" value=\"{}\"/>",
                        k + 1,
                        escape(v)
                    );
                }
                out.push_str("    </issue>\n");
            }
            IssueKind::Integer { min, max } => {
                if !fits_i32(*min) || !fits_i32(*max) {
                    return Err(format!(
                        "integer issue \"{}\" has bounds beyond 32 bits, which GENIUS cannot read",
                        issue.name
                    ));
                }
                issue_open(&mut out, i + 1, &issue.name, &issue.kind, true);
            }
            IssueKind::Real { min, max, .. } => {
                issue_open(&mut out, i + 1, &issue.name, &issue.kind, false);
                let _ = writeln!(
                    out,
                    "      <range lowerbound=\"{}\" upperbound=\"{}\"/>",
                    num(*min),
                    num(*max)
                );
                out.push_str("    </issue>\n");
            }
        }
    }
    out.push_str("  </objective>\n</utility_space>\n");
    // GENIUS has no order of parties; detente's reader plays them in this one.
    out.push_str("<!-- the order detente plays the parties in; GENIUS ignores it -->\n<parties>\n");
    for f in profiles {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let _ = writeln!(out, "  <party profile=\"{}\"/>", escape(&name));
    }
    out.push_str("</parties>\n</negotiation_template>\n");
    Ok(out)
}

fn tail(out: &mut String, discount: f64, reservation: f64) {
    let _ = writeln!(out, "  <discount_factor value=\"{}\"/>", num(discount));
    let _ = writeln!(out, "  <reservation value=\"{}\"/>", num(reservation));
    out.push_str("</utility_space>\n");
}

/// Why a party cannot be written: where (its utility, an issue...) and the reason.
type Refusal = (String, String);

fn additive_xml(
    scenario: &Scenario,
    party: usize,
    lin: &LinearAdditive,
) -> Result<String, Refusal> {
    let space = &scenario.space;
    let p = &scenario.parties[party].preferences;
    check_cap(lin)?;
    let mut body = String::new();
    let mut weights = Vec::new();
    for (i, issue) in space.issues().iter().enumerate() {
        let (w, ev) = issue_eval(&issue.kind, lin.weights()[i], &lin.evaluators()[i])
            .map_err(|m| (format!("issue \"{}\"", issue.name), m))?;
        weights.push(w);
        evaluated_issue(&mut body, i + 1, issue, ev);
    }
    let mut out = String::from("<utility_space>\n");
    let _ = writeln!(
        out,
        "  <objective index=\"0\" etype=\"objective\" type=\"objective\" description=\"\" name=\"{}\">",
        escape(&scenario.name)
    );
    out.push_str(&body);
    for (i, w) in weights.iter().enumerate() {
        let _ = writeln!(
            out,
            "    <weight index=\"{}\" value=\"{}\"/>",
            i + 1,
            num(*w)
        );
    }
    out.push_str("  </objective>\n");
    tail(&mut out, p.discount, p.reservation);
    Ok(out)
}

/// Refuses a linear additive utility that GENIUS's cap at 1 would change.
fn check_cap(lin: &LinearAdditive) -> Result<(), Refusal> {
    let cap = lin.cap();
    if cap == Some(1.0) {
        return Ok(());
    }
    let m = max_sum(lin);
    let limit = cap.map_or(1.0, |c| c.min(1.0));
    if m > limit {
        let what = match cap {
            None => "the utility is not capped".to_string(),
            Some(c) => format!("the utility is capped at {c}"),
        };
        return Err((
            "utility".into(),
            format!(
                "{what} and reaches {m}, but GENIUS caps every utility at 1, so the utilities would change"
            ),
        ));
    }
    Ok(())
}

/// One `<issue>` of an additive profile, with its evaluations or evaluator.
fn evaluated_issue(out: &mut String, index: usize, issue: &Issue, ev: IssueEval) {
    match (&issue.kind, ev) {
        (IssueKind::Discrete { values }, IssueEval::Discrete(evals)) => {
            issue_open(out, index, &issue.name, &issue.kind, false);
            for (k, (v, e)) in values.iter().zip(&evals).enumerate() {
                let _ = writeln!(
                    out,
                    "      <item index=\"{}\" value=\"{}\" evaluation=\"{}\"/>",
                    k + 1,
                    escape(v),
                    num(*e)
                );
            }
        }
        (
            IssueKind::Integer { max, .. },
            IssueEval::Integer {
                lower,
                slope,
                offset,
            },
        ) => {
            let _ = writeln!(
                out,
                "    <issue index=\"{index}\" name=\"{}\" type=\"integer\" etype=\"integer\" vtype=\"integer\" lowerbound=\"{lower}\" upperbound=\"{}\">",
                escape(&issue.name),
                (*max).max(lower)
            );
            let _ = writeln!(
                out,
                "      <evaluator ftype=\"linear\" slope=\"{}\" offset=\"{}\"/>",
                num(slope),
                num(offset)
            );
        }
        (IssueKind::Real { min, max, .. }, ev) => {
            issue_open(out, index, &issue.name, &issue.kind, false);
            let _ = writeln!(
                out,
                "      <range lowerbound=\"{}\" upperbound=\"{}\"/>",
                num(*min),
                num(*max)
            );
            real_evaluator(out, ev);
        }
        _ => unreachable!("issue_eval matches kinds"),
    }
    out.push_str("    </issue>\n");
}

/// The `<evaluator>` of a real issue.
fn real_evaluator(out: &mut String, ev: IssueEval) {
    let _ = match ev {
        IssueEval::RealLinear { p0, p1 } => writeln!(
            out,
            "      <evaluator ftype=\"linear\" parameter0=\"{}\" parameter1=\"{}\"/>",
            num(p0),
            num(p1)
        ),
        IssueEval::RealConstant(c) => writeln!(
            out,
            "      <evaluator ftype=\"constant\" parameter0=\"{}\"/>",
            num(c)
        ),
        IssueEval::RealTriangular { lower, upper, top } => writeln!(
            out,
            "      <evaluator ftype=\"triangular\" parameter0=\"{}\" parameter1=\"{}\" parameter2=\"{}\"/>",
            num(lower),
            num(upper),
            num(top)
        ),
        _ => unreachable!("real issues get real evaluators"),
    };
}

/// Refuses rectangle utilities that GENIUS's cap at 1 would change.
fn check_rectangle_cap(h: &HyperrectangleUtility) -> Result<(), Refusal> {
    if h.cap == Some(1.0) {
        return Ok(());
    }
    let bound: f64 = if h.scale > 0.0 {
        h.rectangles.iter().map(|r| r.utility.max(0.0)).sum::<f64>() / h.scale
    } else {
        h.rectangles.iter().map(|r| r.utility.min(0.0)).sum::<f64>() / h.scale
    };
    let limit = h.cap.map_or(1.0, |c| c.min(1.0));
    if bound > limit {
        return Err((
            "utility".into(),
            format!(
                "the utility can reach {bound} and is not capped at 1, but GENIUS caps every utility at 1"
            ),
        ));
    }
    Ok(())
}

fn nonlinear_xml(
    scenario: &Scenario,
    party: usize,
    h: &HyperrectangleUtility,
) -> Result<String, Refusal> {
    let space = &scenario.space;
    let p = &scenario.parties[party].preferences;
    let mut mins = Vec::new();
    for issue in space.issues() {
        match issue.kind {
            IssueKind::Integer { min, .. } => mins.push(min),
            _ => {
                return Err((
                    format!("issue \"{}\"", issue.name),
                    "GENIUS hyper-rectangle profiles need every issue to be an integer issue"
                        .into(),
                ));
            }
        }
    }
    check_rectangle_cap(h)?;
    let mut out = String::from("<utility_space type=\"nonlinear\">\n");
    let _ = writeln!(
        out,
        "  <objective index=\"0\" etype=\"objective\" type=\"objective\" description=\"\" name=\"{}\">",
        escape(&scenario.name)
    );
    for (i, issue) in space.issues().iter().enumerate() {
        issue_open(&mut out, i + 1, &issue.name, &issue.kind, true);
    }
    let _ = writeln!(out, "    <utility maxutility=\"{}\">", num(h.scale));
    out.push_str("      <ufun type=\"PlainUfun\" weight=\"1\" aggregation=\"sum\">\n");
    for r in &h.rectangles {
        let _ = writeln!(
            out,
            "        <hyperRectangle utility=\"{}\">",
            num(r.utility)
        );
        for &(i, lo, hi) in &r.bounds {
            let _ = writeln!(
                out,
                "          <INCLUDES index=\"{}\" min=\"{}\" max=\"{}\"/>",
                i + 1,
                mins[i] + i64::from(lo),
                mins[i] + i64::from(hi)
            );
        }
        out.push_str("        </hyperRectangle>\n");
    }
    out.push_str("      </ufun>\n    </utility>\n  </objective>\n");
    tail(&mut out, p.discount, p.reservation);
    Ok(out)
}

/// Writes `scenario` into `dir` as a GENIUS domain file (`<name>-domain.xml`) and one profile
/// per party (`<party>.xml`), and returns the paths written (domain first).
///
/// Reading them back gives the same utility for every outcome, the same reservation values
/// and discount factors. A scenario GENIUS cannot express is refused with an error naming the
/// party, the issue and the reason, and nothing is written: utilities given as tables or
/// custom functions, utilities that GENIUS's cap at 1 would change, negative weights or
/// scores, per-value scores of numeric issues, or rectangle utilities over non-integer
/// issues.
pub fn write(scenario: &Scenario, dir: &Path) -> Result<Vec<PathBuf>> {
    let (domain_path, party_paths) = plan_files(scenario, dir, "xml", true)?;
    let domain = domain_xml(scenario, &party_paths).map_err(|message| FormatError::In {
        path: domain_path.clone(),
        location: "domain".into(),
        message: format!("cannot be written as GENIUS XML: {message}"),
    })?;
    let mut files = vec![(domain_path, domain)];
    for (k, party) in scenario.parties.iter().enumerate() {
        let path = party_paths[k].clone();
        let text = match &party.preferences.utility {
            Utility::LinearAdditive(lin) => additive_xml(scenario, k, lin),
            Utility::Hyperrectangles(h) => nonlinear_xml(scenario, k, h),
            Utility::Table(_) => Err((
                "utility".into(),
                "a utility table (outcome by outcome) has no GENIUS form".into(),
            )),
            Utility::Interacting(_) => Err((
                "utility".into(),
                "interaction terms have no GENIUS form (GENIUS additive profiles add one score per issue)".into(),
            )),
            _ => Err((
                "utility".into(),
                "a utility function defined in code has no GENIUS form".into(),
            )),
        }
        .map_err(|(location, message)| FormatError::In {
            path: path.clone(),
            location: format!("party \"{}\" / {location}", party.name),
            message: format!("cannot be written as GENIUS XML: {message}"),
        })?;
        files.push((path, text));
    }
    write_all(dir, &files)
}
