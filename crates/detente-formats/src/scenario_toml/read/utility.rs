//! A party's preferences: issue weights and evaluators (`[parties.issues]`), interaction
//! terms, utility tables and hyper-rectangles.

use std::collections::{BTreeMap, HashMap, HashSet};

use detente_core::{
    Evaluator, Hyperrectangle, HyperrectangleUtility, Interaction, InteractionUtility, Issue,
    IssueKind, LinearAdditive, Outcome, OutcomeSpace, TableUtility, Utility,
};
use toml::Spanned;

use super::Ctx;
use super::large::NamedNumbers;
use crate::Result;
use crate::names::ValueFinder;
use crate::scenario_toml::dto::{
    InteractionDto, InterpolateDto, IssueUtilityDto, PartyDto, RectanglesDto, TableDto,
    TriangularDto,
};

impl Ctx<'_> {
    /// The party's one form of preferences (its other fields are read by the caller).
    pub(super) fn utility(
        &self,
        space: &OutcomeSpace,
        name: &str,
        dto: PartyDto,
        cap: Option<f64>,
        start: usize,
    ) -> Result<Utility> {
        let lacks_issues = || {
            self.at(
                start,
                format!("party `{name}`: `interactions` add to `[parties.issues]` preferences, which it lacks"),
            )
        };
        match (dto.issues, dto.table, dto.rectangles) {
            (Some(issues), None, None) => {
                let base = self.linear(space, name, issues, cap)?;
                match dto.interactions {
                    None => Ok(Utility::LinearAdditive(base)),
                    Some(list) => self.interacting(space, name, base, list, start),
                }
            }
            (None, Some(table), None) => {
                if dto.interactions.is_some() {
                    return Err(lacks_issues());
                }
                if cap.is_some() {
                    return Err(self.at(
                        start,
                        format!("party `{name}`: `cap` applies only to `[parties.issues]` preferences"),
                    ));
                }
                Ok(Utility::Table(self.table(space, name, table)?))
            }
            (None, None, Some(rects)) => {
                if dto.interactions.is_some() {
                    return Err(lacks_issues());
                }
                if cap.is_some() {
                    return Err(self.at(
                        start,
                        format!("party `{name}`: give `cap` inside `[parties.rectangles]`"),
                    ));
                }
                Ok(Utility::Hyperrectangles(self.rectangles(space, name, rects)?))
            }
            (None, None, None) => Err(self.at(
                start,
                format!("party `{name}` has no preferences: give `[parties.issues]`, `[parties.table]` or `[parties.rectangles]`"),
            )),
            _ => Err(self.at(
                start,
                format!("party `{name}` gives more than one kind of preferences; give exactly one"),
            )),
        }
    }

    /// A linear additive utility with interaction terms added.
    fn interacting(
        &self,
        space: &OutcomeSpace,
        party: &str,
        base: LinearAdditive,
        list: Vec<Spanned<InteractionDto>>,
        start: usize,
    ) -> Result<Utility> {
        let mut terms = Vec::new();
        for (k, t) in list.into_iter().enumerate() {
            let at = t.span().start;
            let t = t.into_inner();
            let tname = t.name.unwrap_or_else(|| format!("interaction {}", k + 1));
            if !t.utility.is_finite() {
                return Err(self.at(
                    at,
                    format!("party `{party}`, interaction `{tname}`: the utility must be finite"),
                ));
            }
            let what = format!("party `{party}`, interaction `{tname}`");
            let when = self.combination(space, &what, &t.when, at)?;
            terms.push(Interaction {
                name: tname,
                when,
                utility: t.utility,
            });
        }
        let utility = InteractionUtility::new(space, base, terms)
            .map_err(|e| self.at(start, format!("party `{party}`: {e}")))?;
        Ok(Utility::Interacting(utility))
    }

    /// `[parties.issues]`: a weight and an evaluator for every issue of the space.
    fn linear(
        &self,
        space: &OutcomeSpace,
        party: &str,
        issues: Spanned<BTreeMap<String, Spanned<IssueUtilityDto>>>,
        cap: Option<f64>,
    ) -> Result<LinearAdditive> {
        let table_at = issues.span().start;
        let mut by_name = issues.into_inner();
        let mut weights = Vec::new();
        let mut evaluators = Vec::new();
        for issue in space.issues() {
            let Some(entry) = by_name.remove(&issue.name) else {
                return Err(self.at(
                    table_at,
                    format!("party `{party}` does not score issue `{}` (every issue needs a weight, 0 is allowed)", issue.name),
                ));
            };
            let at = entry.span().start;
            let entry = entry.into_inner();
            let w = *entry.weight.get_ref();
            if !w.is_finite() {
                return Err(self.at(
                    entry.weight.span().start,
                    format!(
                        "party `{party}`, issue `{}`: the weight must be a finite number",
                        issue.name
                    ),
                ));
            }
            weights.push(w);
            let scoring = Scoring {
                ctx: self,
                party,
                issue,
                at,
            };
            evaluators.push(scoring.evaluator(entry)?);
        }
        if let Some((extra, entry)) = by_name.into_iter().next() {
            return Err(self.at(
                entry.span().start,
                format!("party `{party}` scores `{extra}`, which is not an issue of the scenario"),
            ));
        }
        LinearAdditive::new(space, weights, evaluators, cap)
            .map_err(|e| self.at(table_at, format!("party `{party}`: {e}")))
    }

    /// `[parties.table]`: a utility per listed outcome.
    fn table(
        &self,
        space: &OutcomeSpace,
        party: &str,
        table: Spanned<TableDto>,
    ) -> Result<TableUtility> {
        let table = table.into_inner();
        if !table.default.is_finite() {
            return Err(self.at(
                0,
                format!("party `{party}`: the table's default must be finite"),
            ));
        }
        let who = format!("party `{party}`");
        let mut values = HashMap::new();
        for entry in table.outcomes {
            let at = entry.span().start;
            let entry = entry.into_inner();
            let mut o = vec![u32::MAX; space.issues().len()];
            for (issue, v) in &entry.at {
                let (i, idx) = self.value_index(space, &who, issue, v, at)?;
                o[i] = idx;
            }
            if let Some(missing) = space.issues().iter().zip(&o).find(|(_, v)| **v == u32::MAX) {
                return Err(self.at(
                    at,
                    format!(
                        "party `{party}`: a table outcome gives no value for issue `{}`",
                        missing.0.name
                    ),
                ));
            }
            if !entry.utility.is_finite() {
                return Err(self.at(
                    at,
                    format!("party `{party}`: a table utility must be finite"),
                ));
            }
            if values.insert(Outcome(o), entry.utility).is_some() {
                return Err(self.at(
                    at,
                    format!("party `{party}`: the table lists this outcome twice"),
                ));
            }
        }
        TableUtility::new(space, values, table.default)
            .map_err(|e| self.at(0, format!("party `{party}`: {e}")))
    }

    /// `[parties.rectangles]`: utilities of hyper-rectangles of outcomes.
    fn rectangles(
        &self,
        space: &OutcomeSpace,
        party: &str,
        r: Spanned<RectanglesDto>,
    ) -> Result<HyperrectangleUtility> {
        let r_at = r.span().start;
        let r = r.into_inner();
        let who = format!("party `{party}`");
        let mut rects = Vec::new();
        for rect in r.list {
            let rect = rect.into_inner();
            let mut bounds = Vec::new();
            for (issue, range) in &rect.bounds {
                let bat = range.span().start;
                let [lo, hi] = &range.get_ref()[..] else {
                    return Err(self.at(
                        bat,
                        format!(
                            "party `{party}`: the bounds of `{issue}` must be [lowest, highest]"
                        ),
                    ));
                };
                let (i, lo) = self.value_index(space, &who, issue, lo, bat)?;
                let (_, hi) = self.value_index(space, &who, issue, hi, bat)?;
                if lo > hi {
                    return Err(self.at(
                        bat,
                        format!("party `{party}`: the bounds of `{issue}` are in the wrong order"),
                    ));
                }
                bounds.push((i, lo, hi));
            }
            bounds.sort_unstable();
            rects.push(Hyperrectangle {
                bounds,
                utility: rect.utility,
            });
        }
        HyperrectangleUtility::new(space, rects, r.scale.unwrap_or(1.0), r.cap)
            .map_err(|e| self.at(r_at, format!("party `{party}`: {e}")))
    }
}

/// Reading one party's evaluator of one issue (`[parties.issues.NAME]`).
struct Scoring<'a> {
    ctx: &'a Ctx<'a>,
    party: &'a str,
    issue: &'a Issue,
    /// Where the issue's entry starts.
    at: usize,
}

impl Scoring<'_> {
    /// Checks that exactly one scoring form is given and reads it.
    fn evaluator(&self, e: IssueUtilityDto) -> Result<Evaluator> {
        let general =
            e.slope.is_some() || e.intercept.is_some() || e.origin.is_some() || e.clamp.is_some();
        let forms = [
            e.values.is_some(),
            e.linear.is_some(),
            general,
            e.triangular.is_some(),
            e.constant.is_some(),
            e.interpolate.is_some(),
            e.scores.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if forms != 1 {
            return Err(self.err(format!(
                "give exactly one of `values`, `linear`, `slope`/`intercept`, `triangular`, `constant`, `interpolate` or `scores` (found {forms})"
            )));
        }
        if let Some(values) = e.values {
            return self.values(values);
        }
        if let Some(scores) = e.scores {
            return self.scores(scores);
        }
        if let Some(lin) = e.linear {
            return self.linear(lin);
        }
        if let Some(t) = e.triangular {
            return self.triangular(t.into_inner());
        }
        if let Some(c) = e.constant {
            let c = self.finite(*c.get_ref(), "`constant`")?;
            self.need_numeric("constant")?;
            return Ok(Evaluator::Constant(c));
        }
        if let Some(i) = e.interpolate {
            return self.interpolate(i.into_inner());
        }
        self.general(e)
    }

    /// `values = { value = score, ... }`: a score for every value of a discrete issue.
    fn values(&self, values: Spanned<BTreeMap<String, Spanned<f64>>>) -> Result<Evaluator> {
        let (party, name) = (self.party, &self.issue.name);
        let IssueKind::Discrete { values: names } = &self.issue.kind else {
            return Err(self.ctx.at(
                values.span().start,
                format!("party `{party}`, issue `{name}` is numeric: use `linear`, `scores` or another function, not `values`"),
            ));
        };
        let vat = values.span().start;
        if let Some(named) = self.ctx.claim_named(vat, values.get_ref().is_empty()) {
            return self.named(vat, &named, names);
        }
        let mut map = values.into_inner();
        let known: HashSet<&str> = names.iter().map(String::as_str).collect();
        if let Some((extra, s)) = map.iter().find(|(k, _)| !known.contains(k.as_str())) {
            return Err(self.ctx.at(
                s.span().start,
                format!("party `{party}`, issue `{name}` has no value `{extra}`"),
            ));
        }
        let mut scores = Vec::with_capacity(names.len());
        for v in names {
            let Some(s) = map.remove(v) else {
                return Err(self.ctx.at(
                    vat,
                    format!("party `{party}`, issue `{name}`: value `{v}` has no score"),
                ));
            };
            scores.push(self.finite(*s.get_ref(), &format!("the score of `{v}`"))?);
        }
        Ok(Evaluator::Table(scores))
    }

    /// `values` read by the fast path ([`super::large`]): a score for every value, each value
    /// named once. Whatever is wrong is an error here, and the file is then read again the
    /// usual way, whose error names the problem.
    fn named(&self, at: usize, named: &NamedNumbers, names: &[String]) -> Result<Evaluator> {
        let wrong = || {
            self.ctx.at(
                at,
                format!(
                    "party `{}`, issue `{}`: the scores by name do not match the values",
                    self.party, self.issue.name
                ),
            )
        };
        if named.len() != names.len() {
            return Err(wrong());
        }
        let mut finder = ValueFinder::new(names);
        let mut scores = vec![f64::NAN; names.len()];
        let mut scored = vec![false; names.len()];
        for (name, x) in named.iter() {
            let i = finder.find(name).ok_or_else(wrong)? as usize;
            if std::mem::replace(&mut scored[i], true) {
                return Err(wrong());
            }
            scores[i] = if x.is_finite() {
                x
            } else {
                self.finite(x, &format!("the score of `{name}`"))?
            };
        }
        Ok(Evaluator::Table(scores))
    }

    /// `scores = [...]`: a score for every value, in order.
    fn scores(&self, scores: Spanned<Vec<f64>>) -> Result<Evaluator> {
        let n = self.issue.cardinality();
        let at = scores.span().start;
        let scores = self.ctx.claim_numbers(at, scores.into_inner());
        if scores.len() as u64 != n {
            return Err(self.ctx.at(
                at,
                format!(
                    "party `{}`, issue `{}`: `scores` has {} entries for {n} values",
                    self.party,
                    self.issue.name,
                    scores.len()
                ),
            ));
        }
        for &s in &scores {
            self.finite(s, "every score")?;
        }
        Ok(Evaluator::Table(scores))
    }

    /// `linear = [score at min, score at max]`.
    fn linear(&self, lin: Spanned<Vec<f64>>) -> Result<Evaluator> {
        self.need_numeric("linear")?;
        let [a, b] = lin.get_ref()[..] else {
            return Err(self.ctx.at(
                lin.span().start,
                format!(
                    "party `{}`, issue `{}`: `linear` takes two numbers, [score at min, score at max]",
                    self.party, self.issue.name
                ),
            ));
        };
        let (a, b) = (self.finite(a, "`linear`")?, self.finite(b, "`linear`")?);
        let (lo, hi) = numeric_range(self.issue);
        let slope = if hi > lo { (b - a) / (hi - lo) } else { 0.0 };
        Ok(Evaluator::Linear {
            slope,
            intercept: a,
            origin: lo,
            clamp: false,
        })
    }

    /// `slope`, `intercept`, `origin` and `clamp`, each optional.
    fn general(&self, e: IssueUtilityDto) -> Result<Evaluator> {
        self.need_numeric("slope")?;
        let slope = e.slope.map(|s| *s.get_ref()).unwrap_or(0.0);
        Ok(Evaluator::Linear {
            slope: self.finite(slope, "`slope`")?,
            intercept: self.finite(e.intercept.unwrap_or(0.0), "`intercept`")?,
            origin: self.finite(e.origin.unwrap_or(0.0), "`origin`")?,
            clamp: e.clamp.unwrap_or(false),
        })
    }

    fn triangular(&self, t: TriangularDto) -> Result<Evaluator> {
        self.need_numeric("triangular")?;
        let (lower, top, upper) = (
            self.finite(t.lower, "`lower`")?,
            self.finite(t.top, "`top`")?,
            self.finite(t.upper, "`upper`")?,
        );
        if !(lower <= top && top <= upper) {
            return Err(self.err("`triangular` needs lower <= top <= upper".to_string()));
        }
        Ok(Evaluator::Triangular { lower, upper, top })
    }

    fn interpolate(&self, i: InterpolateDto) -> Result<Evaluator> {
        self.need_numeric("interpolate")?;
        for x in [i.low_value, i.low_utility, i.high_value, i.high_utility] {
            self.finite(x, "every `interpolate` number")?;
        }
        if i.low_value > i.high_value {
            return Err(self.err("`interpolate` needs low_value <= high_value".to_string()));
        }
        Ok(Evaluator::Interpolate {
            low_value: i.low_value,
            low_utility: i.low_utility,
            high_value: i.high_value,
            high_utility: i.high_utility,
        })
    }

    /// An error at the issue's entry: "party `P`, issue `I`: {message}".
    fn err(&self, message: String) -> crate::FormatError {
        self.ctx.at(
            self.at,
            format!(
                "party `{}`, issue `{}`: {message}",
                self.party, self.issue.name
            ),
        )
    }

    /// Refuses a function form for a discrete issue.
    fn need_numeric(&self, key: &str) -> Result<()> {
        if matches!(self.issue.kind, IssueKind::Discrete { .. }) {
            Err(self.ctx.at(
                self.at,
                format!(
                    "party `{}`, issue `{}` is discrete: score each value with `values`, not `{key}`",
                    self.party, self.issue.name
                ),
            ))
        } else {
            Ok(())
        }
    }

    fn finite(&self, x: f64, what: &str) -> Result<f64> {
        if x.is_finite() {
            Ok(x)
        } else {
            Err(self.err(format!("{what} must be a finite number")))
        }
    }
}

/// The range of a numeric issue ((0, 0) for a discrete one).
fn numeric_range(issue: &Issue) -> (f64, f64) {
    match issue.kind {
        IssueKind::Integer { min, max } => (min as f64, max as f64),
        IssueKind::Real { min, max, .. } => (min, max),
        IssueKind::Discrete { .. } => (0.0, 0.0),
    }
}
