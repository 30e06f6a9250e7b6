//! Reading GENIUS domain and utility-space files into detente's types, with GENIUS 10.4's
//! exact semantics (see the module documentation of [`crate::genius`]).

use std::collections::HashMap;
use std::path::Path;

use detente_core::{
    Evaluator, Hyperrectangle, HyperrectangleUtility, Issue, IssueKind, LinearAdditive,
    OutcomeSpace, Utility,
};

use super::DEFAULT_REAL_STEPS;
use super::dom::{Document, Element};
use crate::{Diagnostic, FormatError, Result, line_column};

/// Where errors and diagnostics of one file go.
pub(crate) struct Ctx<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

impl Ctx<'_> {
    pub fn err(&self, offset: usize, location: &str, message: impl Into<String>) -> FormatError {
        let (line, column) = line_column(self.text, offset);
        FormatError::At {
            path: self.path.to_path_buf(),
            line,
            column,
            message: format!("{location}: {}", message.into()),
        }
    }

    pub fn diag(&self, offset: usize, location: &str, message: impl Into<String>) -> Diagnostic {
        let (line, column) = line_column(self.text, offset);
        Diagnostic {
            path: self.path.to_path_buf(),
            location: format!("line {line}, column {column}: {location}"),
            message: message.into(),
        }
    }
}

/// Parses a number the way Java's `Double.valueOf` does for the forms found in GENIUS files
/// (surrounding whitespace allowed, an `f`/`d` suffix allowed); only finite values.
pub(crate) fn java_double(s: &str) -> Option<f64> {
    let t = s.trim();
    let t = t.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(t);
    if t.is_empty()
        || t.chars()
            .any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Parses a Java `int` (as `Integer.valueOf`, but tolerating surrounding whitespace).
pub(crate) fn java_int(s: &str) -> Option<i32> {
    s.trim().parse::<i32>().ok()
}

fn attr_number(ctx: &Ctx<'_>, el: &Element, attr: &str, location: &str) -> Result<f64> {
    match el.attr(attr) {
        None => Err(ctx.err(
            el.offset,
            location,
            format!("<{}> has no `{attr}` attribute", el.name),
        )),
        Some(s) => java_double(s).ok_or_else(|| {
            ctx.err(
                el.offset,
                location,
                format!("`{attr}` is \"{s}\", which is not a finite number"),
            )
        }),
    }
}

fn attr_int(ctx: &Ctx<'_>, el: &Element, attr: &str, location: &str) -> Result<i32> {
    match el.attr(attr) {
        None => Err(ctx.err(
            el.offset,
            location,
            format!("<{}> has no `{attr}` attribute", el.name),
        )),
        Some(s) => java_int(s).ok_or_else(|| {
            ctx.err(
                el.offset,
                location,
                format!("`{attr}` is \"{s}\", which is not a whole number that fits in 32 bits"),
            )
        }),
    }
}

/// The kinds GENIUS's `type` attribute can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Discrete,
    Integer,
    Real,
    Objective,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "discrete" => Some(Kind::Discrete),
            "integer" => Some(Kind::Integer),
            "real" => Some(Kind::Real),
            "objective" => Some(Kind::Objective),
            _ => None,
        }
    }

    fn of(kind: &IssueKind) -> Kind {
        match kind {
            IssueKind::Discrete { .. } => Kind::Discrete,
            IssueKind::Integer { .. } => Kind::Integer,
            IssueKind::Real { .. } => Kind::Real,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Discrete => "discrete",
            Kind::Integer => "integer",
            Kind::Real => "real",
            Kind::Objective => "objective",
        }
    }
}

/// A domain as GENIUS reads it: issues in GENIUS's pre-order (at every level the child
/// objectives' subtrees come first, then the level's own issues) with their indexes.
#[derive(Debug)]
pub(crate) struct Domain {
    /// GENIUS index of each issue, parallel to the space's issues.
    pub indexes: Vec<i32>,
    /// Indexes of the objectives (the root one included).
    pub objectives: Vec<i32>,
    /// The issues.
    pub issues: Vec<Issue>,
}

impl Domain {
    fn issue_at(&self, index: i32) -> Option<usize> {
        self.indexes.iter().position(|&i| i == index)
    }
}

pub(crate) fn issue_location(name: &str, index: i32) -> String {
    format!("issue \"{name}\" (index {index})")
}

/// Reads the domain file (`<negotiation_template>` root, or a bare `<utility_space>`).
pub(crate) fn read_domain(
    ctx: &Ctx<'_>,
    doc: &Document,
    diags: &mut Vec<Diagnostic>,
) -> Result<Domain> {
    let root = &doc.root;
    let us = if root.name == "utility_space" {
        root
    } else {
        root.child("utility_space").ok_or_else(|| {
            ctx.err(
                root.offset,
                &format!("<{}>", root.name),
                "the domain has no <utility_space> element",
            )
        })?
    };
    let objective = us.child("objective").ok_or_else(|| {
        ctx.err(
            us.offset,
            "<utility_space>",
            "the domain has no <objective> element",
        )
    })?;
    let root_index = attr_int(ctx, objective, "index", "root <objective>")?;
    let mut dom = Domain {
        indexes: Vec::new(),
        objectives: vec![root_index],
        issues: Vec::new(),
    };
    let mut offsets = Vec::new();
    collect_issues(ctx, objective, &mut dom, &mut offsets, diags)?;
    if dom.issues.is_empty() {
        return Err(ctx.err(
            objective.offset,
            "root <objective>",
            "the domain has no <issue> elements",
        ));
    }
    for (k, &idx) in dom.indexes.iter().enumerate() {
        if let Some(j) = dom.indexes[..k].iter().position(|&o| o == idx) {
            return Err(ctx.err(
                offsets[k],
                &issue_location(&dom.issues[k].name, idx),
                format!(
                    "index {idx} is also used by issue \"{}\"; profiles refer to issues by index",
                    dom.issues[j].name
                ),
            ));
        }
        if dom.objectives.contains(&idx) {
            diags.push(ctx.diag(
                offsets[k],
                &issue_location(&dom.issues[k].name, idx),
                format!("an objective uses the same index {idx}; weights with this index are matched to the issue"),
            ));
        }
        if let Some(j) = dom.issues[..k]
            .iter()
            .position(|o| o.name == dom.issues[k].name)
        {
            let _ = j;
            return Err(ctx.err(
                offsets[k],
                &issue_location(&dom.issues[k].name, idx),
                "another issue has the same name",
            ));
        }
    }
    if let Some(n) = us.attr("number_of_issues")
        && java_int(n).is_none_or(|n| n as usize != dom.issues.len())
    {
        diags.push(ctx.diag(
            us.offset,
            "<utility_space>",
            format!("number_of_issues says {n} but the domain has {} issues; the attribute is ignored, as GENIUS does", dom.issues.len()),
        ));
    }
    for tag in ["discount_factor", "reservation"] {
        if let Some(e) = us.child(tag).or_else(|| root.child(tag)) {
            diags.push(ctx.diag(
                e.offset,
                &format!("<{tag}>"),
                "GENIUS never reads this from a domain file; ignored",
            ));
        }
    }
    Ok(dom)
}

fn collect_issues(
    ctx: &Ctx<'_>,
    level: &Element,
    dom: &mut Domain,
    offsets: &mut Vec<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Result<()> {
    for obj in level.children_named("objective") {
        let idx = attr_int(
            ctx,
            obj,
            "index",
            &format!("<objective name=\"{}\">", obj.attr("name").unwrap_or("")),
        )?;
        dom.objectives.push(idx);
        collect_issues(ctx, obj, dom, offsets, diags)?;
    }
    for el in level.children_named("issue") {
        let name = el.attr("name").unwrap_or("");
        let pre = format!("<issue name=\"{name}\">");
        let index = attr_int(ctx, el, "index", &pre)?;
        let loc = issue_location(name, index);
        if name.is_empty() {
            return Err(ctx.err(el.offset, &loc, "the issue has no name"));
        }
        let kind = issue_kind(ctx, el, &loc, "vtype", diags)?;
        let kind = match kind {
            Kind::Discrete => {
                let mut values: Vec<String> = Vec::new();
                for item in el.children_named("item") {
                    let Some(v) = item.attr("value") else {
                        return Err(ctx.err(
                            item.offset,
                            &loc,
                            "an <item> has no `value` attribute",
                        ));
                    };
                    if values.iter().any(|x| x == v) {
                        diags.push(ctx.diag(
                            item.offset,
                            &format!("{loc} / item \"{v}\""),
                            "the value is listed twice; detente keeps one",
                        ));
                    } else {
                        values.push(v.to_string());
                    }
                }
                if values.is_empty() {
                    return Err(ctx.err(
                        el.offset,
                        &loc,
                        "the discrete issue has no <item> values",
                    ));
                }
                IssueKind::Discrete { values }
            }
            Kind::Integer => {
                let (lo, hi) = if el.attr("lowerbound").is_some() || el.attr("upperbound").is_some()
                {
                    (
                        attr_int(ctx, el, "lowerbound", &loc)?,
                        attr_int(ctx, el, "upperbound", &loc)?,
                    )
                } else if let Some(r) = el.child("range") {
                    diags.push(ctx.diag(
                        r.offset,
                        &loc,
                        "the bounds are in a <range> child; GENIUS 10.4 reads them from the <issue> itself, detente accepts both",
                    ));
                    (
                        attr_int(ctx, r, "lowerbound", &loc)?,
                        attr_int(ctx, r, "upperbound", &loc)?,
                    )
                } else {
                    return Err(ctx.err(
                        el.offset,
                        &loc,
                        "the integer issue has no `lowerbound`/`upperbound` attributes",
                    ));
                };
                if lo > hi {
                    return Err(ctx.err(
                        el.offset,
                        &loc,
                        format!("lowerbound {lo} is above upperbound {hi}"),
                    ));
                }
                IssueKind::Integer {
                    min: i64::from(lo),
                    max: i64::from(hi),
                }
            }
            Kind::Real => {
                let r = el.child("range").ok_or_else(|| {
                    ctx.err(el.offset, &loc, "the real issue has no <range> child")
                })?;
                let lo = attr_number(ctx, r, "lowerbound", &loc)?;
                let hi = attr_number(ctx, r, "upperbound", &loc)?;
                if lo > hi {
                    return Err(ctx.err(
                        r.offset,
                        &loc,
                        format!("lowerbound {lo} is above upperbound {hi}"),
                    ));
                }
                let steps = match el.attr("steps") {
                    Some(s) => match s.trim().parse::<u32>() {
                        Ok(n) if n >= 2 || (n == 1 && lo == hi) => n,
                        _ => {
                            return Err(ctx.err(
                                el.offset,
                                &loc,
                                format!("`steps` is \"{s}\"; it must be a whole number of points, at least 2"),
                            ));
                        }
                    },
                    None if lo == hi => 1,
                    None => {
                        diags.push(ctx.diag(
                            el.offset,
                            &loc,
                            format!("a real issue is continuous; detente discretises it into {DEFAULT_REAL_STEPS} evenly spaced points from {lo} to {hi} (add steps=\"N\" to the <issue> to choose)"),
                        ));
                        DEFAULT_REAL_STEPS
                    }
                };
                IssueKind::Real {
                    min: lo,
                    max: hi,
                    steps,
                }
            }
            Kind::Objective => {
                return Err(ctx.err(el.offset, &loc, "an <issue> cannot have type \"objective\""));
            }
        };
        dom.indexes.push(index);
        dom.issues.push(Issue {
            name: name.to_string(),
            kind,
        });
        offsets.push(el.offset);
    }
    Ok(())
}

/// The kind named by `type` (discrete when absent), with a diagnostic when `other` (vtype in
/// domains, etype in profiles) disagrees.
fn issue_kind(
    ctx: &Ctx<'_>,
    el: &Element,
    loc: &str,
    other: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<Kind> {
    match el.attr("type") {
        None => Ok(Kind::Discrete),
        Some(t) => {
            let kind = Kind::parse(t).ok_or_else(|| {
                ctx.err(
                    el.offset,
                    loc,
                    format!("type \"{t}\" is not one of discrete, integer, real"),
                )
            })?;
            if let Some(o) = el.attr(other)
                && !o.eq_ignore_ascii_case(t)
            {
                diags.push(ctx.diag(
                    el.offset,
                    loc,
                    format!(
                        "type=\"{t}\" but {other}=\"{o}\"; GENIUS uses `type`, and so does detente"
                    ),
                ));
            }
            Ok(kind)
        }
    }
}

/// What a profile file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    Domain,
    Additive,
    Nonlinear,
}

/// Tells a domain from a profile by content.
pub(crate) fn classify(ctx: &Ctx<'_>, doc: &Document) -> Result<FileKind> {
    let root = &doc.root;
    match root.name.as_str() {
        "negotiation_template" => Ok(FileKind::Domain),
        "utility_space" => {
            if root.attr("type").is_some_and(|t| t.eq_ignore_ascii_case("nonlinear")) {
                return Ok(FileKind::Nonlinear);
            }
            let is_profile = root.any(&|e| {
                e.name == "weight"
                    || e.name == "utility"
                    || e.name == "evaluator"
                    || (e.name == "item" && e.attr("evaluation").is_some())
            });
            if is_profile {
                Ok(FileKind::Additive)
            } else if root.child("objective").is_some() {
                Ok(FileKind::Domain)
            } else {
                Err(ctx.err(root.offset, "<utility_space>", "neither a domain (no <objective>) nor a profile (no <weight>)"))
            }
        }
        other => Err(ctx.err(
            root.offset,
            &format!("<{other}>"),
            "the root element is neither <negotiation_template> (a GENIUS domain) nor <utility_space> (a GENIUS profile)",
        )),
    }
}

/// Reservation value and discount factor of a profile, as GENIUS reads them.
pub(crate) fn read_rv_df(
    ctx: &Ctx<'_>,
    root: &Element,
    diags: &mut Vec<Diagnostic>,
) -> Result<(f64, f64)> {
    let reservation = match root.child("reservation") {
        None => {
            diags.push(ctx.diag(
                root.offset,
                "<utility_space>",
                "no <reservation>; GENIUS then uses reservation value 0",
            ));
            0.0
        }
        Some(r) => match r.attr("value") {
            None => {
                diags.push(ctx.diag(
                    r.offset,
                    "<reservation>",
                    "no `value` attribute; GENIUS then uses reservation value 0",
                ));
                0.0
            }
            Some(_) => attr_number(ctx, r, "value", "<reservation>")?,
        },
    };
    let discount = match root.child("discount_factor") {
        None => 1.0,
        Some(d) => match d.attr("value") {
            None => {
                diags.push(ctx.diag(
                    d.offset,
                    "<discount_factor>",
                    "no `value` attribute (GENIUS reads only the attribute); discount factor 1",
                ));
                1.0
            }
            Some(_) => {
                let v = attr_number(ctx, d, "value", "<discount_factor>")?;
                if v <= 0.0 || v > 1.0 {
                    diags.push(ctx.diag(
                        d.offset,
                        "<discount_factor>",
                        format!("discount factor {v} is outside (0, 1]; GENIUS replaces it by 1 (no discounting), and so does detente"),
                    ));
                    1.0
                } else {
                    v
                }
            }
        },
    };
    Ok((reservation, discount))
}

/// Reads an additive profile into a capped [`LinearAdditive`].
pub(crate) fn read_additive(
    ctx: &Ctx<'_>,
    doc: &Document,
    dom: &Domain,
    space: &OutcomeSpace,
    diags: &mut Vec<Diagnostic>,
) -> Result<Utility> {
    let root = &doc.root;
    if root
        .attr("type")
        .is_some_and(|t| t.eq_ignore_ascii_case("uncertain"))
    {
        diags.push(ctx.diag(
            root.offset,
            "<utility_space type=\"UNCERTAIN\">",
            "a preference-uncertainty profile: detente uses its full additive utility and ignores <comparisons>, <errors> and the like",
        ));
    }
    let mut found: Vec<Option<(f64, Evaluator)>> = vec![None; dom.issues.len()];
    walk(ctx, root, dom, &mut found, diags)?;
    let mut weights = Vec::with_capacity(found.len());
    let mut evaluators = Vec::with_capacity(found.len());
    for (k, f) in found.into_iter().enumerate() {
        let Some((w, ev)) = f else {
            return Err(FormatError::In {
                path: ctx.path.to_path_buf(),
                location: issue_location(&dom.issues[k].name, dom.indexes[k]),
                message: "the profile gives this domain issue no <weight> (or no evaluator); GENIUS cannot compute utilities without one".into(),
            });
        };
        weights.push(w);
        evaluators.push(ev);
    }
    let sum: f64 = weights.iter().sum();
    if (sum - 1.0).abs() > 1e-9 {
        diags.push(ctx.diag(
            root.offset,
            "weights",
            format!("the issue weights sum to {sum}, not 1; GENIUS does not renormalise them (and caps utilities at 1), and neither does detente"),
        ));
    }
    let lin = LinearAdditive::new(space, weights, evaluators, Some(1.0)).map_err(|e| {
        FormatError::In {
            path: ctx.path.to_path_buf(),
            location: "profile".into(),
            message: e.to_string(),
        }
    })?;
    Ok(Utility::LinearAdditive(lin))
}

fn walk(
    ctx: &Ctx<'_>,
    el: &Element,
    dom: &Domain,
    found: &mut [Option<(f64, Evaluator)>],
    diags: &mut Vec<Diagnostic>,
) -> Result<()> {
    let mut weights: HashMap<i32, (f64, usize)> = HashMap::new();
    let mut order = Vec::new();
    for w in el.children_named("weight") {
        let index = attr_int(ctx, w, "index", "<weight>")?;
        let loc = format!("<weight index=\"{index}\">");
        let value = attr_number(ctx, w, "value", &loc)?;
        if value < 0.0 {
            return Err(ctx.err(w.offset, &loc, format!("the weight {value} is negative")));
        }
        if weights.insert(index, (value, w.offset)).is_some() {
            diags.push(ctx.diag(
                w.offset,
                &loc,
                "a second weight with this index; the later one wins, as in GENIUS",
            ));
        } else {
            order.push(index);
        }
    }
    let mut used: Vec<i32> = Vec::new();
    let kids = el
        .children_named("issue")
        .chain(el.children_named("objective"));
    for c in kids {
        let name = c.attr("name").unwrap_or("");
        let index = attr_int(ctx, c, "index", &format!("<{} name=\"{name}\">", c.name))?;
        let loc = issue_location(name, index);
        let Some(&(w, _)) = weights.get(&index) else {
            continue;
        };
        used.push(index);
        let kind = if c.name == "objective" && c.attr("type").is_none() {
            Kind::Objective
        } else {
            issue_kind(ctx, c, &loc, "etype", diags)?
        };
        match dom.issue_at(index) {
            None if dom.objectives.contains(&index) => {
                // An objective's evaluator contributes nothing in GENIUS.
            }
            None => {
                return Err(ctx.err(
                    c.offset,
                    &loc,
                    format!("the profile weighs {} index {index}, but the domain has no issue with that index", c.name),
                ));
            }
            Some(k) => {
                let issue = &dom.issues[k];
                let loc = issue_location(&issue.name, index);
                if c.name == "issue" && !name.is_empty() && name != issue.name {
                    diags.push(ctx.diag(
                        c.offset,
                        &loc,
                        format!("the profile calls this issue \"{name}\"; GENIUS matches issues by index, so it is the domain's \"{}\"", issue.name),
                    ));
                }
                let dkind = Kind::of(&issue.kind);
                if kind != dkind {
                    return Err(ctx.err(
                        c.offset,
                        &loc,
                        format!(
                            "the profile treats the issue as {} but the domain says it is {}",
                            kind.name(),
                            dkind.name()
                        ),
                    ));
                }
                let ev = match &issue.kind {
                    IssueKind::Discrete { values } => {
                        discrete_evaluator(ctx, c, &loc, values, diags)?
                    }
                    IssueKind::Integer { min, .. } => integer_evaluator(ctx, c, &loc, *min, diags)?,
                    IssueKind::Real { .. } => real_evaluator(ctx, c, &loc, diags)?,
                };
                if found[k].is_some() {
                    diags.push(ctx.diag(c.offset, &loc, "the issue is evaluated twice in the profile; the later one wins, as in GENIUS"));
                }
                found[k] = Some((w, ev));
            }
        }
    }
    for index in order {
        if !used.contains(&index) {
            let (_, offset) = weights[&index];
            diags.push(ctx.diag(
                offset,
                &format!("<weight index=\"{index}\">"),
                "no issue or objective at this level has this index; the weight is ignored, as in GENIUS",
            ));
        }
    }
    for c in &el.children {
        walk(ctx, c, dom, found, diags)?;
    }
    Ok(())
}

fn discrete_evaluator(
    ctx: &Ctx<'_>,
    el: &Element,
    loc: &str,
    values: &[String],
    diags: &mut Vec<Diagnostic>,
) -> Result<Evaluator> {
    let mut evals: HashMap<&str, f64> = HashMap::new();
    for item in el.children_named("item") {
        let Some(v) = item.attr("value") else {
            return Err(ctx.err(item.offset, loc, "an <item> has no `value` attribute"));
        };
        let iloc = format!("{loc} / item \"{v}\"");
        let raw = item.attr("evaluation");
        let Some(raw) = raw.filter(|r| *r != "null") else {
            diags.push(ctx.diag(item.offset, &iloc, "no evaluation; GENIUS skips the item"));
            continue;
        };
        let e = java_double(raw).ok_or_else(|| {
            ctx.err(
                item.offset,
                &iloc,
                format!("evaluation \"{raw}\" is not a finite number"),
            )
        })?;
        if !values.iter().any(|x| x == v) {
            return Err(ctx.err(item.offset, &iloc, "the domain's issue has no such value"));
        }
        if e < 0.0 {
            diags.push(ctx.diag(
                item.offset,
                &iloc,
                format!(
                    "negative evaluation {e}; GENIUS divides it by the issue maximum all the same"
                ),
            ));
        }
        if evals
            .insert(
                values
                    .iter()
                    .find(|x| *x == v)
                    .map(String::as_str)
                    .unwrap_or(v),
                e,
            )
            .is_some()
        {
            diags.push(ctx.diag(
                item.offset,
                &iloc,
                "the value is listed twice; the later evaluation wins, as in GENIUS",
            ));
        }
    }
    if evals.is_empty() {
        return Err(ctx.err(el.offset, loc, "no <item> has an evaluation"));
    }
    let max = evals.values().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut scores = Vec::with_capacity(values.len());
    for v in values {
        let score = match evals.get(v.as_str()) {
            Some(&e) => {
                if max < 0.00001 {
                    0.0
                } else {
                    e / max
                }
            }
            None => {
                diags.push(ctx.diag(
                    el.offset,
                    &format!("{loc} / item \"{v}\""),
                    "the profile gives this domain value no evaluation (GENIUS would fail on bids with it); detente scores it 0",
                ));
                0.0
            }
        };
        scores.push(score);
    }
    Ok(Evaluator::Table(scores))
}

fn integer_evaluator(
    ctx: &Ctx<'_>,
    el: &Element,
    loc: &str,
    domain_min: i64,
    diags: &mut Vec<Diagnostic>,
) -> Result<Evaluator> {
    let lower = match el.attr("lowerbound") {
        Some(_) => i64::from(attr_int(ctx, el, "lowerbound", loc)?),
        None => {
            diags.push(ctx.diag(
                el.offset,
                loc,
                "the profile's integer issue has no `lowerbound`; detente uses the domain's",
            ));
            domain_min
        }
    };
    let (slope, offset) = match el.child("evaluator") {
        None => {
            diags.push(ctx.diag(
                el.offset,
                loc,
                "no <evaluator>; GENIUS then uses slope 0 and offset 0",
            ));
            (0.0, 0.0)
        }
        Some(ev) => (
            attr_number(ctx, ev, "slope", loc)?,
            attr_number(ctx, ev, "offset", loc)?,
        ),
    };
    Ok(Evaluator::Linear {
        slope,
        intercept: offset,
        origin: lower as f64,
        clamp: true,
    })
}

fn real_evaluator(
    ctx: &Ctx<'_>,
    el: &Element,
    loc: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<Evaluator> {
    let ev = el
        .child("evaluator")
        .ok_or_else(|| ctx.err(el.offset, loc, "the real issue has no <evaluator>"))?;
    let Some(ftype) = ev.attr("ftype") else {
        return Err(ctx.err(ev.offset, loc, "the <evaluator> has no `ftype`"));
    };
    match ftype.trim().to_ascii_lowercase().as_str() {
        "linear" => {
            let p0 = attr_number(ctx, ev, "parameter0", loc)?;
            let p1 = attr_number(ctx, ev, "parameter1", loc)?;
            Ok(Evaluator::Linear { slope: p1, intercept: p0, origin: 0.0, clamp: true })
        }
        "constant" => Ok(Evaluator::Constant(attr_number(ctx, ev, "parameter0", loc)?)),
        "triangular" => {
            let lower = attr_number(ctx, ev, "parameter0", loc)?;
            let upper = attr_number(ctx, ev, "parameter1", loc)?;
            let top = attr_number(ctx, ev, "parameter2", loc)?;
            if !(lower <= top && top <= upper) {
                return Err(ctx.err(
                    ev.offset,
                    loc,
                    format!("the triangle's top {top} does not lie between its ends {lower} and {upper}"),
                ));
            }
            if top == upper {
                diags.push(ctx.diag(
                    ev.offset,
                    loc,
                    "the triangle's top is its upper end: GENIUS scores that one point 0, detente scores it 1",
                ));
            }
            Ok(Evaluator::Triangular { lower, upper, top })
        }
        other => Err(ctx.err(
            ev.offset,
            loc,
            format!("ftype \"{other}\" is not usable for real issues (GENIUS 10.4 evaluates linear, constant and triangular)"),
        )),
    }
}

/// Reads an ANAC 2014 non-linear profile (`type="nonlinear"`).
pub(crate) fn read_nonlinear(
    ctx: &Ctx<'_>,
    doc: &Document,
    dom: &Domain,
    space: &OutcomeSpace,
    diags: &mut Vec<Diagnostic>,
) -> Result<Utility> {
    let root = &doc.root;
    let first = root.children.first().ok_or_else(|| {
        ctx.err(
            root.offset,
            "<utility_space type=\"nonlinear\">",
            "the profile is empty",
        )
    })?;
    let utility = first.child("utility").ok_or_else(|| {
        ctx.err(
            first.offset,
            &format!("<{}>", first.name),
            "a non-linear profile needs a <utility> element in its first child",
        )
    })?;
    let scale = attr_number(ctx, utility, "maxutility", "<utility>")?;
    if scale == 0.0 {
        return Err(ctx.err(
            utility.offset,
            "<utility>",
            "maxutility is 0; utilities are divided by it",
        ));
    }
    let ufun = utility
        .child("ufun")
        .ok_or_else(|| ctx.err(utility.offset, "<utility>", "no <ufun> element"))?;
    let mut rects = Vec::new();
    let mut dropped = 0usize;
    collect_rects(ctx, ufun, 1.0, true, dom, &mut rects, &mut dropped, diags)?;
    if dropped > 0 {
        diags.push(ctx.diag(
            ufun.offset,
            "<ufun>",
            format!("{dropped} hyper-rectangle(s) lie outside the issues' ranges and can never apply; dropped"),
        ));
    }
    let h = HyperrectangleUtility::new(space, rects, scale, Some(1.0)).map_err(|e| {
        FormatError::In {
            path: ctx.path.to_path_buf(),
            location: "<utility>".into(),
            message: e.to_string(),
        }
    })?;
    Ok(Utility::Hyperrectangles(h))
}

#[allow(clippy::too_many_arguments)]
fn collect_rects(
    ctx: &Ctx<'_>,
    ufun: &Element,
    factor: f64,
    top: bool,
    dom: &Domain,
    out: &mut Vec<Hyperrectangle>,
    dropped: &mut usize,
    diags: &mut Vec<Diagnostic>,
) -> Result<()> {
    let agg = ufun.attr("aggregation").unwrap_or("");
    if !agg.eq_ignore_ascii_case("sum") {
        return Err(ctx.err(
            ufun.offset,
            "<ufun>",
            format!("aggregation \"{agg}\" is not supported: detente reads sums of hyper-rectangles only"),
        ));
    }
    if !top && factor != 1.0 {
        diags.push(ctx.diag(
            ufun.offset,
            "<ufun>",
            "a nested weighted <ufun>: its rectangles are scaled by its weight (equal to GENIUS up to rounding)",
        ));
    }
    for (k, hr) in ufun.children_named("hyperRectangle").enumerate() {
        let loc = format!("<hyperRectangle> #{}", k + 1);
        if hr.child("EXCLUDES").is_some() {
            return Err(ctx.err(hr.offset, &loc, "EXCLUDES rectangles are not supported"));
        }
        let u = attr_number(ctx, hr, "utility", &loc)?;
        let w = match hr.attr("weight") {
            Some(_) => attr_number(ctx, hr, "weight", &loc)?,
            None => 1.0,
        };
        let mut bounds = Vec::new();
        let mut empty = false;
        for inc in hr.children_named("INCLUDES") {
            let index = attr_int(ctx, inc, "index", &loc)?;
            let lo = attr_number(ctx, inc, "min", &loc)?;
            let hi = attr_number(ctx, inc, "max", &loc)?;
            let Some(i) = dom.issue_at(index) else {
                return Err(ctx.err(
                    inc.offset,
                    &loc,
                    format!("INCLUDES names issue index {index}, which the domain lacks"),
                ));
            };
            let IssueKind::Integer { min, max } = dom.issues[i].kind else {
                return Err(ctx.err(
                    inc.offset,
                    &loc,
                    format!("INCLUDES names issue \"{}\", which is not an integer issue (GENIUS's rectangles need integers)", dom.issues[i].name),
                ));
            };
            let lo = lo.ceil().max(min as f64);
            let hi = hi.floor().min(max as f64);
            if lo > hi {
                empty = true;
            } else {
                bounds.push((i, (lo as i64 - min) as u32, (hi as i64 - min) as u32));
            }
        }
        if empty {
            *dropped += 1;
            continue;
        }
        let utility = if top { u * w } else { u * w * factor };
        out.push(Hyperrectangle { bounds, utility });
    }
    for inner in ufun.children_named("ufun") {
        let w = match inner.attr("weight") {
            Some(_) => attr_number(ctx, inner, "weight", "<ufun>")?,
            None => 1.0,
        };
        collect_rects(ctx, inner, factor * w, false, dom, out, dropped, diags)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_parse_like_java() {
        assert_eq!(java_double(" 0.5 "), Some(0.5));
        assert_eq!(java_double("1e-3"), Some(0.001));
        assert_eq!(java_double("5.0d"), Some(5.0));
        assert_eq!(java_double("NaN"), None);
        assert_eq!(java_double("Infinity"), None);
        assert_eq!(java_double("1e400"), None);
        assert_eq!(java_double(""), None);
        assert_eq!(java_double("0x10"), None);
        assert_eq!(java_int("-7"), Some(-7));
        assert_eq!(java_int("3000000000"), None);
        assert_eq!(java_int("1.5"), None);
    }
}
