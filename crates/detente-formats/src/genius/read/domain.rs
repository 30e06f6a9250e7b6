//! The domain file: issues in GENIUS's order, with the indexes profiles refer to them by.

use detente_core::{Issue, IssueKind};

use super::{Ctx, Kind, attr_int, attr_number, issue_kind, issue_location, java_int};
use crate::genius::DEFAULT_REAL_STEPS;
use crate::genius::dom::{Document, Element};
use crate::{Diagnostic, Result};

/// A domain as GENIUS reads it: issues in GENIUS's pre-order (at every level the child
/// objectives' subtrees come first, then the level's own issues) with their indexes.
#[derive(Debug)]
pub(crate) struct Domain {
    /// GENIUS index of each issue, parallel to the space's issues.
    pub indexes: Vec<i32>,
    /// Indexes of the objectives (the root one included).
    pub objectives: Vec<i32>,
    /// The issues (taken by the outcome space once the domain is read).
    pub issues: Vec<Issue>,
    /// The profiles' file names in the order detente plays the parties, when the domain
    /// says (a `<parties>` element detente writes and GENIUS ignores); empty otherwise.
    pub party_order: Vec<String>,
}

impl Domain {
    /// The position of the issue with GENIUS index `index`.
    pub(super) fn issue_at(&self, index: i32) -> Option<usize> {
        self.indexes.iter().position(|&i| i == index)
    }

    /// Where the party of the profile at `path` plays: its place in [`Domain::party_order`],
    /// or after every listed party.
    pub(crate) fn rank(&self, path: &std::path::Path) -> usize {
        let name = crate::genius::file_name(path);
        self.party_order
            .iter()
            .position(|f| *f == name)
            .unwrap_or(usize::MAX)
    }
}

/// Reads the domain file (`<negotiation_template>` root, or a bare `<utility_space>`).
pub(crate) fn read_domain(
    ctx: &Ctx<'_>,
    doc: &Document,
    diags: &mut Vec<Diagnostic>,
) -> Result<Domain> {
    let root = &doc.root();
    let us = if root.name == "utility_space" {
        root
    } else {
        &root.child("utility_space").ok_or_else(|| {
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
    let root_index = attr_int(ctx, &objective, "index", "root <objective>")?;
    let mut dom = Domain {
        indexes: Vec::new(),
        objectives: vec![root_index],
        issues: Vec::new(),
        party_order: root
            .child("parties")
            .map(|p| {
                p.children_named("party")
                    .filter_map(|e| e.attr("profile").map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
    };
    let mut offsets = Vec::new();
    collect_issues(ctx, &objective, &mut dom, &mut offsets, diags)?;
    if dom.issues.is_empty() {
        return Err(ctx.err(
            objective.offset,
            "root <objective>",
            "the domain has no <issue> elements",
        ));
    }
    check_indexes_and_names(ctx, &dom, &offsets, diags)?;
    note_ignored_parts(ctx, root, us, &dom, diags);
    Ok(dom)
}

/// Refuses an index or a name used by two issues; notes an issue sharing an objective's index.
fn check_indexes_and_names(
    ctx: &Ctx<'_>,
    dom: &Domain,
    offsets: &[usize],
    diags: &mut Vec<Diagnostic>,
) -> Result<()> {
    for (k, &idx) in dom.indexes.iter().enumerate() {
        let loc = issue_location(&dom.issues[k].name, idx);
        if let Some(j) = dom.indexes[..k].iter().position(|&o| o == idx) {
            return Err(ctx.err(
                offsets[k],
                &loc,
                format!(
                    "index {idx} is also used by issue \"{}\"; profiles refer to issues by index",
                    dom.issues[j].name
                ),
            ));
        }
        if dom.objectives.contains(&idx) {
            diags.push(ctx.diag(
                offsets[k],
                &loc,
                format!("an objective uses the same index {idx}; weights with this index are matched to the issue"),
            ));
        }
        if dom.issues[..k].iter().any(|o| o.name == dom.issues[k].name) {
            return Err(ctx.err(offsets[k], &loc, "another issue has the same name"));
        }
    }
    Ok(())
}

/// Notes what GENIUS ignores in a domain file: a wrong `number_of_issues`, a reservation
/// value or discount factor.
fn note_ignored_parts(
    ctx: &Ctx<'_>,
    root: &Element,
    us: &Element,
    dom: &Domain,
    diags: &mut Vec<Diagnostic>,
) {
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
}

/// Collects the issues under `level` in GENIUS's pre-order: the child objectives' subtrees
/// first, then the level's own issues.
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
            &obj,
            "index",
            &format!("<objective name=\"{}\">", obj.attr("name").unwrap_or("")),
        )?;
        dom.objectives.push(idx);
        collect_issues(ctx, &obj, dom, offsets, diags)?;
    }
    for el in level.children_named("issue") {
        let name = el.attr("name").unwrap_or("");
        let index = attr_int(ctx, &el, "index", &format!("<issue name=\"{name}\">"))?;
        let loc = issue_location(name, index);
        if name.is_empty() {
            return Err(ctx.err(el.offset, &loc, "the issue has no name"));
        }
        let kind = match issue_kind(ctx, &el, &loc, "vtype", diags)? {
            Kind::Discrete => discrete_values(ctx, &el, &loc, diags)?,
            Kind::Integer => integer_bounds(ctx, &el, &loc, diags)?,
            Kind::Real => real_range(ctx, &el, &loc, diags)?,
            Kind::Objective => {
                return Err(ctx.err(el.offset, &loc, "an <issue> cannot have type \"objective\""));
            }
        };
        dom.indexes.push(index);
        dom.issues.push(Issue {
            name: name.to_string(),
            kind,
            // GENIUS has no status quo: a reservation value stands for the whole of no deal.
            status_quo: None,
        });
        offsets.push(el.offset);
    }
    Ok(())
}

/// The `<item value="...">`s of a discrete issue (a value listed twice is kept once).
fn discrete_values(
    ctx: &Ctx<'_>,
    el: &Element,
    loc: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<IssueKind> {
    let mut names = Vec::new();
    let mut offsets = Vec::new();
    for item in el.children_named("item") {
        let Some(v) = item.attr("value") else {
            return Err(ctx.err(item.offset, loc, "an <item> has no `value` attribute"));
        };
        names.push(v);
        offsets.push(item.offset);
    }
    let repeats = detente_core::repeated_names(&names);
    for &r in &repeats {
        diags.push(ctx.diag(
            offsets[r],
            &format!("{loc} / item \"{}\"", names[r]),
            "the value is listed twice; detente keeps one",
        ));
    }
    let mut repeats = repeats.into_iter().peekable();
    let mut values: Vec<String> = Vec::with_capacity(names.len() - repeats.len());
    for (i, v) in names.into_iter().enumerate() {
        if repeats.next_if_eq(&i).is_none() {
            values.push(v.to_string());
        }
    }
    if values.is_empty() {
        return Err(ctx.err(el.offset, loc, "the discrete issue has no <item> values"));
    }
    Ok(IssueKind::Discrete { values })
}

/// The bounds of an integer issue: attributes of the `<issue>` (as GENIUS 10.4 reads them) or
/// of a `<range>` child.
fn integer_bounds(
    ctx: &Ctx<'_>,
    el: &Element,
    loc: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<IssueKind> {
    let (lo, hi) = if el.attr("lowerbound").is_some() || el.attr("upperbound").is_some() {
        (
            attr_int(ctx, el, "lowerbound", loc)?,
            attr_int(ctx, el, "upperbound", loc)?,
        )
    } else if let Some(r) = el.child("range") {
        diags.push(ctx.diag(
            r.offset,
            loc,
            "the bounds are in a <range> child; GENIUS 10.4 reads them from the <issue> itself, detente accepts both",
        ));
        (
            attr_int(ctx, &r, "lowerbound", loc)?,
            attr_int(ctx, &r, "upperbound", loc)?,
        )
    } else {
        return Err(ctx.err(
            el.offset,
            loc,
            "the integer issue has no `lowerbound`/`upperbound` attributes",
        ));
    };
    if lo > hi {
        return Err(ctx.err(
            el.offset,
            loc,
            format!("lowerbound {lo} is above upperbound {hi}"),
        ));
    }
    Ok(IssueKind::Integer {
        min: i64::from(lo),
        max: i64::from(hi),
    })
}

/// The `<range>` of a real issue and the number of points it is discretised into.
fn real_range(
    ctx: &Ctx<'_>,
    el: &Element,
    loc: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<IssueKind> {
    let r = el
        .child("range")
        .ok_or_else(|| ctx.err(el.offset, loc, "the real issue has no <range> child"))?;
    let lo = attr_number(ctx, &r, "lowerbound", loc)?;
    let hi = attr_number(ctx, &r, "upperbound", loc)?;
    if lo > hi {
        return Err(ctx.err(
            r.offset,
            loc,
            format!("lowerbound {lo} is above upperbound {hi}"),
        ));
    }
    let steps = match el.attr("steps") {
        Some(s) => match s.trim().parse::<u32>() {
            Ok(n) if n >= 2 || (n == 1 && lo == hi) => n,
            _ => {
                return Err(ctx.err(
                    el.offset,
                    loc,
                    format!("`steps` is \"{s}\"; it must be a whole number of points, at least 2"),
                ));
            }
        },
        None if lo == hi => 1,
        None => {
            diags.push(ctx.diag(
                el.offset,
                loc,
                format!("a real issue is continuous; detente discretises it into {DEFAULT_REAL_STEPS} evenly spaced points from {lo} to {hi} (add steps=\"N\" to the <issue> to choose)"),
            ));
            DEFAULT_REAL_STEPS
        }
    };
    Ok(IssueKind::Real {
        min: lo,
        max: hi,
        steps,
    })
}
