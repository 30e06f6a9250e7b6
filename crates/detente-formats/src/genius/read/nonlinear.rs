//! ANAC 2014 non-linear profiles: sums of hyper-rectangles over integer issues.

use detente_core::{
    Hyperrectangle, HyperrectangleUtility, Issue, IssueKind, OutcomeSpace, Utility,
};

use super::{Ctx, Domain, attr_int, attr_number};
use crate::genius::dom::{Document, Element};
use crate::{Diagnostic, FormatError, Result};

/// Reads an ANAC 2014 non-linear profile (`type="nonlinear"`).
pub(crate) fn read_nonlinear(
    ctx: &Ctx<'_>,
    doc: &Document,
    dom: &Domain,
    space: &OutcomeSpace,
    diags: &mut Vec<Diagnostic>,
) -> Result<Utility> {
    let root = &doc.root();
    let first = root.children().next().ok_or_else(|| {
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
    let scale = attr_number(ctx, &utility, "maxutility", "<utility>")?;
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
    let mut rects = Rects {
        ctx,
        dom,
        issues: space.issues(),
        out: Vec::new(),
        dropped: 0,
        diags,
    };
    rects.ufun(&ufun, 1.0, true)?;
    let (rects, dropped) = (rects.out, rects.dropped);
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

/// The hyper-rectangles of a `<ufun>` and of the `<ufun>`s nested in it.
struct Rects<'a, 'c> {
    ctx: &'a Ctx<'c>,
    dom: &'a Domain,
    /// The space's issues, parallel to the domain's indexes.
    issues: &'a [Issue],
    out: Vec<Hyperrectangle>,
    /// Rectangles outside the issues' ranges, which can never apply.
    dropped: usize,
    diags: &'a mut Vec<Diagnostic>,
}

impl Rects<'_, '_> {
    /// Collects the rectangles of `ufun`, whose utilities count `factor` times (nested
    /// `<ufun>`s multiply their weights; `top` is the outermost one).
    fn ufun(&mut self, ufun: &Element, factor: f64, top: bool) -> Result<()> {
        let ctx = self.ctx;
        let agg = ufun.attr("aggregation").unwrap_or("");
        if !agg.eq_ignore_ascii_case("sum") {
            return Err(ctx.err(
                ufun.offset,
                "<ufun>",
                format!("aggregation \"{agg}\" is not supported: detente reads sums of hyper-rectangles only"),
            ));
        }
        if !top && factor != 1.0 {
            self.diags.push(ctx.diag(
                ufun.offset,
                "<ufun>",
                "a nested weighted <ufun>: its rectangles are scaled by its weight (equal to GENIUS up to rounding)",
            ));
        }
        for (k, hr) in ufun.children_named("hyperRectangle").enumerate() {
            let loc = format!("<hyperRectangle> #{}", k + 1);
            match self.rectangle(&hr, &loc, factor, top)? {
                Some(rect) => self.out.push(rect),
                None => self.dropped += 1,
            }
        }
        for inner in ufun.children_named("ufun") {
            let w = match inner.attr("weight") {
                Some(_) => attr_number(ctx, &inner, "weight", "<ufun>")?,
                None => 1.0,
            };
            self.ufun(&inner, factor * w, false)?;
        }
        Ok(())
    }

    /// A `<hyperRectangle>`, its utility weighted; `None` when it lies outside the issues'
    /// ranges.
    fn rectangle(
        &self,
        hr: &Element,
        loc: &str,
        factor: f64,
        top: bool,
    ) -> Result<Option<Hyperrectangle>> {
        let ctx = self.ctx;
        if hr.child("EXCLUDES").is_some() {
            return Err(ctx.err(hr.offset, loc, "EXCLUDES rectangles are not supported"));
        }
        let u = attr_number(ctx, hr, "utility", loc)?;
        let w = match hr.attr("weight") {
            Some(_) => attr_number(ctx, hr, "weight", loc)?,
            None => 1.0,
        };
        let mut bounds = Vec::new();
        let mut empty = false;
        for inc in hr.children_named("INCLUDES") {
            match self.includes(&inc, loc)? {
                Some(b) => bounds.push(b),
                None => empty = true,
            }
        }
        if empty {
            return Ok(None);
        }
        let utility = if top { u * w } else { u * w * factor };
        Ok(Some(Hyperrectangle { bounds, utility }))
    }

    /// One `<INCLUDES index min max>`: the issue and the value indexes it spans, `None` when
    /// no value of the issue lies inside.
    fn includes(&self, inc: &Element, loc: &str) -> Result<Option<(usize, u32, u32)>> {
        let ctx = self.ctx;
        let index = attr_int(ctx, inc, "index", loc)?;
        let lo = attr_number(ctx, inc, "min", loc)?;
        let hi = attr_number(ctx, inc, "max", loc)?;
        let Some(i) = self.dom.issue_at(index) else {
            return Err(ctx.err(
                inc.offset,
                loc,
                format!("INCLUDES names issue index {index}, which the domain lacks"),
            ));
        };
        let IssueKind::Integer { min, max } = self.issues[i].kind else {
            return Err(ctx.err(
                inc.offset,
                loc,
                format!("INCLUDES names issue \"{}\", which is not an integer issue (GENIUS's rectangles need integers)", self.issues[i].name),
            ));
        };
        let lo = lo.ceil().max(min as f64);
        let hi = hi.floor().min(max as f64);
        if lo > hi {
            return Ok(None);
        }
        Ok(Some((
            i,
            (lo as i64 - min) as u32,
            (hi as i64 - min) as u32,
        )))
    }
}
