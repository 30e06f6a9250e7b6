//! Additive profiles: weights matched to the domain's issues by index, level by level, and
//! one evaluator per issue.

use std::collections::HashMap;

use detente_core::{Evaluator, Issue, IssueKind, LinearAdditive, OutcomeSpace, Utility};

use super::{Ctx, Domain, Kind, attr_int, attr_number, issue_kind, issue_location, java_double};
use crate::genius::dom::{Document, Element};
use crate::names::ValueFinder;
use crate::{Diagnostic, FormatError, Result};

/// Reads an additive profile into a capped [`LinearAdditive`].
pub(crate) fn read_additive(
    ctx: &Ctx<'_>,
    doc: &Document,
    dom: &Domain,
    space: &OutcomeSpace,
    diags: &mut Vec<Diagnostic>,
) -> Result<Utility> {
    let root = &doc.root();
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
    let mut walk = Walk {
        ctx,
        dom,
        issues: space.issues(),
        found: vec![None; space.issues().len()],
        diags,
    };
    walk.level(root)?;
    let mut weights = Vec::with_capacity(walk.found.len());
    let mut evaluators = Vec::with_capacity(walk.found.len());
    for (k, f) in walk.found.into_iter().enumerate() {
        let Some((w, ev)) = f else {
            return Err(FormatError::In {
                path: ctx.path.to_path_buf(),
                location: issue_location(&space.issues()[k].name, dom.indexes[k]),
                message: "the profile gives this domain issue no <weight> (or no evaluator); GENIUS cannot compute utilities without one".into(),
            });
        };
        weights.push(w);
        evaluators.push(ev);
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

/// The weights of one level: value and offset by index.
type LevelWeights = HashMap<i32, (f64, usize)>;

/// A walk over a profile's elements, matching each level's weights to its issues and
/// objectives by index, as GENIUS does.
struct Walk<'a, 'c> {
    ctx: &'a Ctx<'c>,
    dom: &'a Domain,
    /// The space's issues, parallel to the domain's indexes.
    issues: &'a [Issue],
    /// The weight and evaluator found for each domain issue.
    found: Vec<Option<(f64, Evaluator)>>,
    diags: &'a mut Vec<Diagnostic>,
}

impl Walk<'_, '_> {
    /// Reads the weighted issues of `el`, then walks its children.
    fn level(&mut self, el: &Element) -> Result<()> {
        let (weights, order) = self.weights(el)?;
        let mut used: Vec<i32> = Vec::new();
        let kids = el
            .children_named("issue")
            .chain(el.children_named("objective"));
        for c in kids {
            let name = c.attr("name").unwrap_or("");
            let index = attr_int(
                self.ctx,
                &c,
                "index",
                &format!("<{} name=\"{name}\">", c.name),
            )?;
            let Some(&(w, _)) = weights.get(&index) else {
                continue;
            };
            used.push(index);
            self.weighed(&c, name, index, w)?;
        }
        for index in order {
            if !used.contains(&index) {
                let (_, offset) = weights[&index];
                self.diags.push(self.ctx.diag(
                    offset,
                    &format!("<weight index=\"{index}\">"),
                    "no issue or objective at this level has this index; the weight is ignored, as in GENIUS",
                ));
            }
        }
        // An element without children (an `<item>`, a `<weight>`) is no level.
        for c in el.children().filter(Element::has_children) {
            self.level(&c)?;
        }
        Ok(())
    }

    /// The `<weight>`s of one level by index (value and offset), and their indexes in
    /// document order; a repeated index keeps the later weight.
    fn weights(&mut self, el: &Element) -> Result<(LevelWeights, Vec<i32>)> {
        let ctx = self.ctx;
        let mut weights = LevelWeights::new();
        let mut order = Vec::new();
        for w in el.children_named("weight") {
            let index = attr_int(ctx, &w, "index", "<weight>")?;
            let loc = format!("<weight index=\"{index}\">");
            let value = attr_number(ctx, &w, "value", &loc)?;
            if value < 0.0 {
                return Err(ctx.err(w.offset, &loc, format!("the weight {value} is negative")));
            }
            if weights.insert(index, (value, w.offset)).is_some() {
                self.diags.push(ctx.diag(
                    w.offset,
                    &loc,
                    "a second weight with this index; the later one wins, as in GENIUS",
                ));
            } else {
                order.push(index);
            }
        }
        Ok((weights, order))
    }

    /// An issue or objective `c` that a weight of its level names.
    fn weighed(&mut self, c: &Element, name: &str, index: i32, w: f64) -> Result<()> {
        let loc = issue_location(name, index);
        let kind = if c.name == "objective" && c.attr("type").is_none() {
            Kind::Objective
        } else {
            issue_kind(self.ctx, c, &loc, "etype", self.diags)?
        };
        match self.dom.issue_at(index) {
            None if self.dom.objectives.contains(&index) => {
                // An objective's evaluator contributes nothing in GENIUS.
                Ok(())
            }
            None => Err(self.ctx.err(
                c.offset,
                &loc,
                format!("the profile weighs {} index {index}, but the domain has no issue with that index", c.name),
            )),
            Some(k) => self.issue(c, name, kind, k, w),
        }
    }

    /// The evaluator of domain issue `k`, which `c` (named `name`, of kind `kind`) evaluates.
    fn issue(&mut self, c: &Element, name: &str, kind: Kind, k: usize, w: f64) -> Result<()> {
        let (ctx, issue) = (self.ctx, &self.issues[k]);
        let loc = issue_location(&issue.name, self.dom.indexes[k]);
        if c.name == "issue" && !name.is_empty() && name != issue.name {
            self.diags.push(ctx.diag(
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
            IssueKind::Discrete { values } => discrete_evaluator(ctx, c, &loc, values, self.diags)?,
            IssueKind::Integer { min, .. } => integer_evaluator(ctx, c, &loc, *min, self.diags)?,
            IssueKind::Real { .. } => real_evaluator(ctx, c, &loc, self.diags)?,
        };
        if self.found[k].is_some() {
            self.diags.push(ctx.diag(
                c.offset,
                &loc,
                "the issue is evaluated twice in the profile; the later one wins, as in GENIUS",
            ));
        }
        self.found[k] = Some((w, ev));
        Ok(())
    }
}

/// A discrete issue's evaluations, each divided by the largest (0 when that is below 1e-5).
fn discrete_evaluator(
    ctx: &Ctx<'_>,
    el: &Element,
    loc: &str,
    values: &[String],
    diags: &mut Vec<Diagnostic>,
) -> Result<Evaluator> {
    let evals = item_evaluations(ctx, el, loc, values, diags)?;
    let Some(max) = evals.iter().flatten().copied().reduce(f64::max) else {
        return Err(ctx.err(el.offset, loc, "no <item> has an evaluation"));
    };
    let mut scores = Vec::with_capacity(values.len());
    for (v, e) in values.iter().zip(evals) {
        let score = match e {
            Some(e) => {
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

/// The `evaluation` of each `<item>`, by value index; items without one are skipped, as in
/// GENIUS, and a value listed twice keeps its later evaluation.
fn item_evaluations(
    ctx: &Ctx<'_>,
    el: &Element,
    loc: &str,
    values: &[String],
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<Option<f64>>> {
    let mut evals: Vec<Option<f64>> = vec![None; values.len()];
    let mut finder = ValueFinder::new(values);
    for item in el.children_named("item") {
        let Some(v) = item.attr("value") else {
            return Err(ctx.err(item.offset, loc, "an <item> has no `value` attribute"));
        };
        let iloc = || format!("{loc} / item \"{v}\"");
        let Some(raw) = item.attr("evaluation").filter(|r| *r != "null") else {
            diags.push(ctx.diag(item.offset, &iloc(), "no evaluation; GENIUS skips the item"));
            continue;
        };
        let e = java_double(raw).ok_or_else(|| {
            ctx.err(
                item.offset,
                &iloc(),
                format!("evaluation \"{raw}\" is not a finite number"),
            )
        })?;
        let Some(index) = finder.find(v) else {
            return Err(ctx.err(item.offset, &iloc(), "the domain's issue has no such value"));
        };
        if evals[index as usize].replace(e).is_some() {
            diags.push(ctx.diag(
                item.offset,
                &iloc(),
                "the value is listed twice; the later evaluation wins, as in GENIUS",
            ));
        }
    }
    Ok(evals)
}

/// An integer issue's `clamp01(slope·(x − lowerbound) + offset)`.
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
            attr_number(ctx, &ev, "slope", loc)?,
            attr_number(ctx, &ev, "offset", loc)?,
        ),
    };
    Ok(Evaluator::Linear {
        slope,
        intercept: offset,
        origin: lower as f64,
        clamp: true,
    })
}

/// A real issue's linear, constant or triangular evaluator.
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
            let p0 = attr_number(ctx, &ev, "parameter0", loc)?;
            let p1 = attr_number(ctx, &ev, "parameter1", loc)?;
            Ok(Evaluator::Linear { slope: p1, intercept: p0, origin: 0.0, clamp: true })
        }
        "constant" => Ok(Evaluator::Constant(attr_number(ctx, &ev, "parameter0", loc)?)),
        "triangular" => {
            let lower = attr_number(ctx, &ev, "parameter0", loc)?;
            let upper = attr_number(ctx, &ev, "parameter1", loc)?;
            let top = attr_number(ctx, &ev, "parameter2", loc)?;
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
