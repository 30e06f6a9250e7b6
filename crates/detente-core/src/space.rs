//! Issues, outcomes and the outcome space they span.
//!
//! An [`Outcome`] is compact: one value index per issue. A finite space also gives every
//! outcome a single mixed-radix [`OutcomeId`] (the first issue varies slowest), which is what
//! hot paths and precomputed tables store.

use std::fmt;

use crate::error::{Error, Result};

/// The mixed-radix index of an outcome in an [`OutcomeSpace`].
pub type OutcomeId = u64;

/// What values an issue takes.
#[derive(Debug, Clone, PartialEq)]
pub enum IssueKind {
    /// A finite set of named values, in the order given.
    Discrete {
        /// The value names; each is unique within the issue.
        values: Vec<String>,
    },
    /// Every integer in `min..=max`.
    Integer {
        /// Smallest value.
        min: i64,
        /// Largest value.
        max: i64,
    },
    /// A continuous range, discretised into `steps` evenly spaced points from `min` to `max`
    /// (both included) wherever outcomes are indexed or enumerated.
    Real {
        /// Lower end of the range.
        min: f64,
        /// Upper end of the range.
        max: f64,
        /// Number of points the range is discretised into (at least 2, or 1 when `min == max`).
        steps: u32,
    },
}

/// One dimension of the negotiation: a named issue and the values it takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// Name, unique within a space.
    pub name: String,
    /// Its values.
    pub kind: IssueKind,
    /// The value that holds without any agreement on the issue (e.g. `ceasefire = none`), if
    /// the scenario says. A partial agreement on the issue is worth to each party what it
    /// gains over this value; without one, settling the issue is worth nothing by itself.
    pub status_quo: Option<u32>,
}

/// The value an issue takes in an outcome, resolved from its value index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    /// A named value of a discrete issue.
    Discrete(&'a str),
    /// An integer value.
    Integer(i64),
    /// A point of a real issue's discretisation.
    Real(f64),
}

impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Discrete(s) => f.write_str(s),
            Value::Integer(i) => write!(f, "{i}"),
            Value::Real(x) => write!(f, "{x}"),
        }
    }
}

impl Value<'_> {
    /// The numeric value of an integer or real issue's value; `None` for a discrete value.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::Discrete(_) => None,
            Value::Integer(i) => Some(i as f64),
            Value::Real(x) => Some(x),
        }
    }
}

impl Issue {
    /// A discrete issue with the given value names.
    pub fn discrete<S: Into<String>>(
        name: impl Into<String>,
        values: impl IntoIterator<Item = S>,
    ) -> Self {
        Issue {
            name: name.into(),
            kind: IssueKind::Discrete {
                values: values.into_iter().map(Into::into).collect(),
            },
            status_quo: None,
        }
    }

    /// An integer issue over `min..=max`.
    pub fn integer(name: impl Into<String>, min: i64, max: i64) -> Self {
        Issue {
            name: name.into(),
            kind: IssueKind::Integer { min, max },
            status_quo: None,
        }
    }

    /// A real issue over `[min, max]`, discretised into `steps` points.
    pub fn real(name: impl Into<String>, min: f64, max: f64, steps: u32) -> Self {
        Issue {
            name: name.into(),
            kind: IssueKind::Real { min, max, steps },
            status_quo: None,
        }
    }

    /// The same issue with a status quo (a value index).
    pub fn with_status_quo(mut self, value: u32) -> Self {
        self.status_quo = Some(value);
        self
    }

    /// Number of values (after discretisation for real issues).
    pub fn cardinality(&self) -> u64 {
        match &self.kind {
            IssueKind::Discrete { values } => values.len() as u64,
            IssueKind::Integer { min, max } => (*max as i128 - *min as i128 + 1).max(0) as u64,
            IssueKind::Real { steps, .. } => u64::from(*steps),
        }
    }

    /// The value at `index`, or `None` when out of range.
    pub fn value(&self, index: u32) -> Option<Value<'_>> {
        if u64::from(index) >= self.cardinality() {
            return None;
        }
        Some(match &self.kind {
            IssueKind::Discrete { values } => Value::Discrete(&values[index as usize]),
            IssueKind::Integer { min, .. } => Value::Integer(min + i64::from(index)),
            IssueKind::Real { min, max, steps } => {
                Value::Real(real_point(*min, *max, *steps, index))
            }
        })
    }

    /// The numeric value at `index` for integer and real issues.
    pub fn numeric_value(&self, index: u32) -> Option<f64> {
        self.value(index).and_then(|v| v.as_f64())
    }

    /// The index of a discrete value by name. It scans the values: to look many values up,
    /// use [`OutcomeSpace::value_index`].
    pub fn index_of_name(&self, name: &str) -> Option<u32> {
        match &self.kind {
            IssueKind::Discrete { values } => {
                values.iter().position(|v| v == name).map(|i| i as u32)
            }
            _ => None,
        }
    }

    /// Parses a value written as text (a name, an integer, or a real number that lies on the
    /// discretisation) into its index.
    pub fn parse_value(&self, text: &str) -> Option<u32> {
        match &self.kind {
            IssueKind::Discrete { .. } => self.index_of_name(text),
            IssueKind::Integer { min, max } => {
                let x: i64 = text.trim().parse().ok()?;
                (x >= *min && x <= *max).then(|| (x - min) as u32)
            }
            IssueKind::Real { .. } => self.nearest_index(text.trim().parse().ok()?, true),
        }
    }

    /// The index of the value nearest to `x` for a numeric issue. With `exact`, only a value
    /// within 1e-9 (relative to the range) of a discretisation point is accepted.
    pub fn nearest_index(&self, x: f64, exact: bool) -> Option<u32> {
        match &self.kind {
            IssueKind::Discrete { .. } => None,
            IssueKind::Integer { min, max } => {
                let r = x.round();
                if exact && (r - x).abs() > 1e-9 {
                    return None;
                }
                let r = r.clamp(*min as f64, *max as f64);
                Some((r as i64 - min) as u32)
            }
            IssueKind::Real { min, max, steps } => {
                if !x.is_finite() {
                    return None;
                }
                if *steps <= 1 || max == min {
                    return (!exact || (x - min).abs() <= 1e-9 * min.abs().max(1.0)).then_some(0);
                }
                let span = max - min;
                let pos = (x - min) / span * f64::from(steps - 1);
                let r = pos.round();
                if exact && ((pos - r).abs() > 1e-6 || r < 0.0 || r > f64::from(steps - 1)) {
                    return None;
                }
                Some(r.clamp(0.0, f64::from(steps - 1)) as u32)
            }
        }
    }
}

/// The first name (in list order) that occurs earlier in the list too.
fn first_duplicate<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let names: Vec<&str> = names.into_iter().collect();
    repeated_names(&names).first().map(|&i| names[i])
}

/// The positions of the names that repeat an earlier name of the list, in increasing order;
/// empty when all names differ.
///
/// The names' hashes are sorted, not the names, and only names whose hashes meet are
/// compared (sorted by name within such a group, so crafted collisions cost `n log n`, not
/// `n²`): for an issue of a million values this is several times faster than a hash set,
/// whose every insertion misses the cache.
///
/// ```
/// use detente_core::repeated_names;
///
/// assert_eq!(repeated_names(&["a", "b", "a", "c", "b", "a"]), vec![2, 4, 5]);
/// assert!(repeated_names(&["a", "b"]).is_empty());
/// ```
pub fn repeated_names(names: &[&str]) -> Vec<usize> {
    use std::hash::BuildHasher as _;
    let hasher = rustc_hash::FxBuildHasher;
    let mut keyed: Vec<(u64, usize)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (hasher.hash_one(n), i))
        .collect();
    keyed.sort_unstable();
    let mut out = Vec::new();
    for group in keyed.chunk_by_mut(|a, b| a.0 == b.0) {
        if group.len() < 2 {
            continue;
        }
        group.sort_unstable_by(|a, b| names[a.1].cmp(names[b.1]).then(a.1.cmp(&b.1)));
        for pair in group.windows(2) {
            if names[pair[0].1] == names[pair[1].1] {
                out.push(pair[1].1);
            }
        }
    }
    out.sort_unstable();
    out
}

/// A discrete issue's value indices sorted by value name; empty for a numeric issue.
fn sorted_by_name(issue: &Issue) -> Vec<u32> {
    match &issue.kind {
        IssueKind::Discrete { values } => {
            let mut order: Vec<u32> = (0..values.len() as u32).collect();
            order.sort_unstable_by(|&a, &b| values[a as usize].cmp(&values[b as usize]));
            order
        }
        _ => Vec::new(),
    }
}

fn real_point(min: f64, max: f64, steps: u32, index: u32) -> f64 {
    if steps <= 1 {
        return min;
    }
    if index == steps - 1 {
        return max;
    }
    min + (max - min) * f64::from(index) / f64::from(steps - 1)
}

/// A complete assignment: the value index of every issue, in the space's issue order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Outcome(pub Vec<u32>);

impl Outcome {
    /// The value indices.
    pub fn values(&self) -> &[u32] {
        &self.0
    }
}

impl From<Vec<u32>> for Outcome {
    fn from(v: Vec<u32>) -> Self {
        Outcome(v)
    }
}

/// The set of all outcomes: the Cartesian product of the issues' values.
#[derive(Debug, Clone)]
pub struct OutcomeSpace {
    issues: Vec<Issue>,
    /// Number of outcomes of the product; `None` when it exceeds `u128::MAX`.
    count: Option<u128>,
    /// Combinations that cannot be agreed.
    constraints: Vec<Constraint>,
    /// For each discrete issue, its value indices sorted by value name (empty for numeric
    /// issues), built the first time a value is looked up by name: a lookup is then a
    /// binary search.
    by_name: std::sync::OnceLock<Vec<Vec<u32>>>,
}

impl PartialEq for OutcomeSpace {
    /// Spaces are equal when their issues and constraints are (the name index is derived).
    fn eq(&self, other: &Self) -> bool {
        self.issues == other.issues
            && self.count == other.count
            && self.constraints == other.constraints
    }
}

/// A set of values for each of some issues; it matches an outcome whose value on every listed
/// issue is among the listed values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Combination {
    /// `(issue index, value indices)`, each value list sorted and non-empty.
    pub parts: Vec<(usize, Vec<u32>)>,
}

impl Combination {
    /// Whether the outcome with these value indices matches.
    #[inline]
    pub fn matches(&self, outcome: &[u32]) -> bool {
        self.parts
            .iter()
            .all(|(i, vs)| vs.binary_search(&outcome[*i]).is_ok())
    }

    /// Checks issue and value indices against `issues`, sorting and deduplicating value lists.
    pub fn validated(mut self, issues: &[Issue], what: &str) -> Result<Self> {
        for (i, vs) in &mut self.parts {
            let Some(issue) = issues.get(*i) else {
                return Err(Error::InvalidSpace(format!(
                    "{what} names issue #{i}, which does not exist"
                )));
            };
            vs.sort_unstable();
            vs.dedup();
            if vs.is_empty() {
                return Err(Error::InvalidSpace(format!(
                    "{what} lists no value of issue `{}`",
                    issue.name
                )));
            }
            if let Some(&v) = vs.iter().find(|&&v| u64::from(v) >= issue.cardinality()) {
                return Err(Error::InvalidSpace(format!(
                    "{what} names value #{v} of issue `{}`, which has {} values",
                    issue.name,
                    issue.cardinality()
                )));
            }
        }
        self.parts.sort_by_key(|(i, _)| *i);
        for w in self.parts.windows(2) {
            if w[0].0 == w[1].0 {
                return Err(Error::InvalidSpace(format!(
                    "{what} names issue `{}` twice",
                    issues[w[0].0].name
                )));
            }
        }
        Ok(self)
    }
}

/// A hard constraint: outcomes matching the combination are infeasible. They are not outcomes
/// of the space: never offered, never agreed, never counted by the analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    /// Name, for messages.
    pub name: String,
    /// The forbidden combination.
    pub combination: Combination,
}

impl OutcomeSpace {
    /// Builds a space, checking that it has at least one issue, that issue names are unique and
    /// non-empty, that every issue has at least one value, that discrete value names are unique
    /// within their issue, and that numeric ranges are well formed.
    pub fn new(issues: Vec<Issue>) -> Result<Self> {
        if issues.is_empty() {
            return Err(Error::InvalidSpace(
                "an outcome space needs at least one issue".into(),
            ));
        }
        for (i, issue) in issues.iter().enumerate() {
            if issue.name.trim().is_empty() {
                return Err(Error::InvalidSpace(format!(
                    "issue #{} has an empty name",
                    i + 1
                )));
            }
            if let Some(v) = issue.status_quo
                && u64::from(v) >= issue.cardinality()
            {
                return Err(Error::InvalidSpace(format!(
                    "issue `{}` has a status quo (value #{v}) outside its values",
                    issue.name
                )));
            }
            match &issue.kind {
                IssueKind::Discrete { values } => {
                    if values.is_empty() {
                        return Err(Error::InvalidSpace(format!(
                            "issue `{}` has no values",
                            issue.name
                        )));
                    }
                    if values.len() > u32::MAX as usize {
                        return Err(Error::InvalidSpace(format!(
                            "issue `{}` has too many values",
                            issue.name
                        )));
                    }
                    if values.iter().any(|v| v.trim().is_empty()) {
                        return Err(Error::InvalidSpace(format!(
                            "issue `{}` has a blank value name",
                            issue.name
                        )));
                    }
                    if let Some(v) = first_duplicate(values.iter().map(String::as_str)) {
                        return Err(Error::InvalidSpace(format!(
                            "issue `{}` lists the value `{v}` twice",
                            issue.name
                        )));
                    }
                }
                IssueKind::Integer { min, max } => {
                    if min > max {
                        return Err(Error::InvalidSpace(format!(
                            "integer issue `{}` has min {min} above max {max}",
                            issue.name
                        )));
                    }
                    let values = *max as i128 - *min as i128 + 1;
                    if values > u32::MAX as i128 {
                        return Err(Error::InvalidSpace(format!(
                            "integer issue `{}` has {values} values; an issue has at most \
                             4294967295 (2^32 - 1)",
                            issue.name
                        )));
                    }
                }
                IssueKind::Real { min, max, steps } => {
                    if !min.is_finite() || !max.is_finite() || min > max {
                        return Err(Error::InvalidSpace(format!(
                            "real issue `{}` has an invalid range [{min}, {max}]",
                            issue.name
                        )));
                    }
                    if *steps == 0 || (*steps == 1 && min != max) {
                        return Err(Error::InvalidSpace(format!(
                            "real issue `{}` needs at least 2 discretisation steps",
                            issue.name
                        )));
                    }
                }
            }
        }
        if let Some(name) = first_duplicate(issues.iter().map(|i| i.name.as_str())) {
            return Err(Error::InvalidSpace(format!(
                "issue `{name}` is defined twice"
            )));
        }
        let count = issues
            .iter()
            .try_fold(1u128, |acc, i| acc.checked_mul(u128::from(i.cardinality())));
        Ok(OutcomeSpace {
            issues,
            count,
            constraints: Vec::new(),
            by_name: std::sync::OnceLock::new(),
        })
    }

    /// Adds hard constraints, checking that they fit the issues and that at least one outcome
    /// stays feasible.
    pub fn with_constraints(mut self, constraints: Vec<Constraint>) -> Result<Self> {
        let mut checked = Vec::with_capacity(constraints.len());
        for c in constraints {
            let what = format!("constraint `{}`", c.name);
            let combination = c.combination.validated(&self.issues, &what)?;
            checked.push(Constraint {
                name: c.name,
                combination,
            });
        }
        self.constraints = checked;
        if self.find_feasible().is_none() {
            return Err(Error::InvalidSpace(
                "the constraints exclude every outcome".into(),
            ));
        }
        Ok(self)
    }

    /// The hard constraints.
    pub fn constraints(&self) -> &[Constraint] {
        &self.constraints
    }

    /// Whether an outcome (given by its value indices, all in range) satisfies every constraint.
    #[inline]
    pub fn is_feasible(&self, outcome: &[u32]) -> bool {
        self.constraints
            .iter()
            .all(|c| !c.combination.matches(outcome))
    }

    /// Some feasible outcome, found by depth-first search that prunes a partial assignment as
    /// soon as a constraint whose issues are all assigned matches it; `None` when the
    /// constraints exclude everything. The search gives up (and assumes feasibility) after
    /// 50 million steps.
    pub fn find_feasible(&self) -> Option<Outcome> {
        if self.constraints.is_empty() {
            return Some(Outcome(vec![0; self.issues.len()]));
        }
        let n = self.issues.len();
        // The constraints that become decidable once issue `k` is assigned.
        let mut decided_at: Vec<Vec<&Combination>> = vec![Vec::new(); n];
        for c in &self.constraints {
            let last = c
                .combination
                .parts
                .iter()
                .map(|(i, _)| *i)
                .max()
                .unwrap_or(0);
            decided_at[last].push(&c.combination);
        }
        fn go(
            space: &OutcomeSpace,
            decided_at: &[Vec<&Combination>],
            values: &mut [u32],
            k: usize,
            budget: &mut u64,
        ) -> Option<bool> {
            if k == values.len() {
                return Some(true);
            }
            let card = space.issues[k].cardinality().min(u64::from(u32::MAX)) as u32;
            for v in 0..card {
                *budget = budget.checked_sub(1)?;
                values[k] = v;
                if decided_at[k].iter().any(|c| c.matches(values)) {
                    continue;
                }
                if go(space, decided_at, values, k + 1, budget)? {
                    return Some(true);
                }
            }
            Some(false)
        }
        let mut values = vec![0u32; n];
        let mut budget: u64 = 50_000_000;
        match go(self, &decided_at, &mut values, 0, &mut budget) {
            Some(false) => None,
            _ => Some(Outcome(values)),
        }
    }

    /// The issues, in order.
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// Index of the issue with this name.
    pub fn issue_index(&self, name: &str) -> Option<usize> {
        self.issues.iter().position(|i| i.name == name)
    }

    /// The index of the value named `name` of discrete issue `issue`, found by binary search
    /// (unlike [`Issue::index_of_name`], which scans the values); `None` for a numeric issue
    /// or an unknown name.
    pub fn value_index(&self, issue: usize, name: &str) -> Option<u32> {
        let IssueKind::Discrete { values } = &self.issues.get(issue)?.kind else {
            return None;
        };
        let by_name = self
            .by_name
            .get_or_init(|| self.issues.iter().map(sorted_by_name).collect());
        let sorted = &by_name[issue];
        sorted
            .binary_search_by(|&k| values[k as usize].as_str().cmp(name))
            .ok()
            .map(|at| sorted[at])
    }

    /// Parses a value of issue `issue` written as text, as [`Issue::parse_value`] does, with
    /// discrete values found by [`OutcomeSpace::value_index`].
    pub fn parse_value(&self, issue: usize, text: &str) -> Option<u32> {
        let def = self.issues.get(issue)?;
        match def.kind {
            IssueKind::Discrete { .. } => self.value_index(issue, text),
            _ => def.parse_value(text),
        }
    }

    /// Number of outcomes, or `None` when it does not fit in a `u128`.
    pub fn count(&self) -> Option<u128> {
        self.count
    }

    /// Number of outcomes when it fits in a `u64` (that is, when outcomes have an [`OutcomeId`]).
    pub fn count_u64(&self) -> Option<u64> {
        self.count.and_then(|c| u64::try_from(c).ok())
    }

    /// Number of outcomes as a `usize` if it is at most `limit`; otherwise an error saying so.
    /// Every enumeration goes through this check, so a huge space is never enumerated by accident.
    pub fn enumerable(&self, limit: u64) -> Result<usize> {
        match self.count_u64() {
            Some(n) if n <= limit && usize::try_from(n).is_ok() => Ok(n as usize),
            _ => Err(Error::TooLarge {
                count: self.count_display(),
                limit,
            }),
        }
    }

    /// The outcome count as text (exact, or "more than 2^128").
    pub fn count_display(&self) -> String {
        match self.count {
            Some(c) => c.to_string(),
            None => "more than 2^128".to_string(),
        }
    }

    /// Whether `outcome` is an outcome of this space: one value in range per issue, and
    /// feasible under the constraints.
    pub fn contains(&self, outcome: &Outcome) -> bool {
        outcome.0.len() == self.issues.len()
            && outcome
                .0
                .iter()
                .zip(&self.issues)
                .all(|(&v, i)| u64::from(v) < i.cardinality())
            && self.is_feasible(&outcome.0)
    }

    /// Whether `outcome` has one value in range per issue (feasible or not).
    pub fn in_range(&self, outcome: &Outcome) -> bool {
        outcome.0.len() == self.issues.len()
            && outcome
                .0
                .iter()
                .zip(&self.issues)
                .all(|(&v, i)| u64::from(v) < i.cardinality())
    }

    /// The id of an outcome (feasible or not); `None` if its values are out of range or the
    /// space has more than `u64::MAX` outcomes.
    pub fn id_of(&self, outcome: &Outcome) -> Option<OutcomeId> {
        if !self.in_range(outcome) {
            return None;
        }
        self.count_u64()?;
        let mut id = 0u64;
        for (&v, issue) in outcome.0.iter().zip(&self.issues) {
            id = id * issue.cardinality() + u64::from(v);
        }
        Some(id)
    }

    /// The outcome with this id; `None` when `id` is out of range.
    pub fn outcome(&self, id: OutcomeId) -> Option<Outcome> {
        let mut values = vec![0u32; self.issues.len()];
        self.decode_into(id, &mut values).then_some(Outcome(values))
    }

    /// Writes the value indices of outcome `id` into `values` (one slot per issue). Returns
    /// `false` when `id` is out of range.
    pub fn decode_into(&self, mut id: OutcomeId, values: &mut [u32]) -> bool {
        match self.count_u64() {
            Some(n) if id < n => {}
            _ => return false,
        }
        for (slot, issue) in values.iter_mut().zip(&self.issues).rev() {
            let c = issue.cardinality();
            *slot = (id % c) as u32;
            id /= c;
        }
        true
    }

    /// Iterates over all feasible outcomes in id order, if the product has at most `limit`
    /// outcomes.
    pub fn outcomes(&self, limit: u64) -> Result<Outcomes<'_>> {
        let n = self.enumerable(limit)?;
        Ok(Outcomes {
            space: self,
            next: vec![0; self.issues.len()],
            remaining: n,
        })
    }

    /// The value an outcome takes on issue `issue`.
    pub fn value(&self, outcome: &Outcome, issue: usize) -> Option<Value<'_>> {
        self.issues.get(issue)?.value(*outcome.0.get(issue)?)
    }

    /// Formats an outcome as `issue=value, issue=value`.
    pub fn display<'a>(&'a self, outcome: &'a Outcome) -> DisplayOutcome<'a> {
        DisplayOutcome {
            space: self,
            outcome,
        }
    }

    /// Parses `issue=value` pairs (every issue exactly once) into an outcome.
    pub fn parse_assignment<'s>(
        &self,
        pairs: impl IntoIterator<Item = (&'s str, &'s str)>,
    ) -> Result<Outcome> {
        let mut values: Vec<Option<u32>> = vec![None; self.issues.len()];
        for (name, text) in pairs {
            let i = self
                .issue_index(name)
                .ok_or_else(|| Error::InvalidOutcome(format!("there is no issue `{name}`")))?;
            if values[i].is_some() {
                return Err(Error::InvalidOutcome(format!(
                    "issue `{name}` is given twice"
                )));
            }
            let v = self.parse_value(i, text).ok_or_else(|| {
                Error::InvalidOutcome(format!("`{text}` is not a value of issue `{name}`"))
            })?;
            values[i] = Some(v);
        }
        let mut out = Vec::with_capacity(values.len());
        for (v, issue) in values.into_iter().zip(&self.issues) {
            out.push(v.ok_or_else(|| {
                Error::InvalidOutcome(format!("issue `{}` has no value", issue.name))
            })?);
        }
        Ok(Outcome(out))
    }
}

/// Iterator over the outcomes of a space, in id order. Made by [`OutcomeSpace::outcomes`].
#[derive(Debug)]
pub struct Outcomes<'a> {
    space: &'a OutcomeSpace,
    next: Vec<u32>,
    remaining: usize,
}

impl Iterator for Outcomes<'_> {
    type Item = Outcome;

    fn next(&mut self) -> Option<Outcome> {
        loop {
            if self.remaining == 0 {
                return None;
            }
            self.remaining -= 1;
            let feasible = self.space.is_feasible(&self.next);
            let out = feasible.then(|| Outcome(self.next.clone()));
            // Advance the mixed-radix counter, last issue fastest.
            for (slot, issue) in self.next.iter_mut().zip(&self.space.issues).rev() {
                *slot += 1;
                if u64::from(*slot) < issue.cardinality() {
                    break;
                }
                *slot = 0;
            }
            if out.is_some() {
                return out;
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.space.constraints.is_empty() {
            (self.remaining, Some(self.remaining))
        } else {
            (0, Some(self.remaining))
        }
    }
}

/// Displays an outcome as `issue=value, ...`; made by [`OutcomeSpace::display`].
#[derive(Debug)]
pub struct DisplayOutcome<'a> {
    space: &'a OutcomeSpace,
    outcome: &'a Outcome,
}

impl fmt::Display for DisplayOutcome<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (issue, &v)) in self.space.issues.iter().zip(&self.outcome.0).enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            match issue.value(v) {
                Some(val) => write!(f, "{}={val}", issue.name)?,
                None => write!(f, "{}=#{v}?", issue.name)?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn space() -> OutcomeSpace {
        OutcomeSpace::new(vec![
            Issue::discrete("a", ["x", "y", "z"]),
            Issue::integer("b", -2, 1),
            Issue::real("c", 0.0, 1.0, 5),
        ])
        .unwrap()
    }

    proptest! {
        /// Against a scan with a set: the same positions, over lists with many repeats.
        #[test]
        fn repeated_names_are_those_a_set_has_seen(names in prop::collection::vec("[a-c]{0,2}", 0..60)) {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let mut seen = std::collections::HashSet::new();
            let expected: Vec<usize> = (0..names.len()).filter(|&i| !seen.insert(names[i])).collect();
            prop_assert_eq!(repeated_names(&names), expected);
        }
    }

    #[test]
    fn counts_and_ids_round_trip() {
        let s = space();
        assert_eq!(s.count(), Some(60));
        let all: Vec<_> = s.outcomes(1000).unwrap().collect();
        assert_eq!(all.len(), 60);
        for (id, o) in all.iter().enumerate() {
            assert_eq!(s.id_of(o), Some(id as u64));
            assert_eq!(s.outcome(id as u64).as_ref(), Some(o));
        }
        assert_eq!(s.outcome(60), None);
    }

    #[test]
    fn huge_space_is_counted_not_enumerated() {
        let issues = (0..15)
            .map(|i| Issue::integer(format!("i{i}"), 1, 10))
            .collect();
        let s = OutcomeSpace::new(issues).unwrap();
        assert_eq!(s.count(), Some(10u128.pow(15)));
        assert!(matches!(
            s.outcomes(10_000_000),
            Err(Error::TooLarge { .. })
        ));
        let issues = (0..38)
            .map(|i| Issue::integer(format!("i{i}"), 1, 10))
            .collect();
        let s = OutcomeSpace::new(issues).unwrap();
        assert_eq!(s.count(), Some(10u128.pow(38)));
        assert_eq!(s.count_u64(), None);
        let issues = (0..40)
            .map(|i| Issue::integer(format!("i{i}"), 1, 1000))
            .collect();
        assert_eq!(OutcomeSpace::new(issues).unwrap().count(), None);
    }

    #[test]
    fn rejects_malformed_spaces() {
        assert!(OutcomeSpace::new(vec![]).is_err());
        assert!(OutcomeSpace::new(vec![Issue::discrete("a", Vec::<String>::new())]).is_err());
        assert!(OutcomeSpace::new(vec![Issue::discrete("a", ["x", "x"])]).is_err());
        assert!(OutcomeSpace::new(vec![Issue::integer("a", 3, 2)]).is_err());
        assert!(OutcomeSpace::new(vec![Issue::real("a", 0.0, 1.0, 1)]).is_err());
        assert!(
            OutcomeSpace::new(vec![Issue::integer("a", 0, 1), Issue::integer("a", 0, 1)]).is_err()
        );
    }

    #[test]
    fn values_parse_and_display() {
        let s = space();
        let o = s
            .parse_assignment([("c", "0.25"), ("a", "y"), ("b", "-1")])
            .unwrap();
        assert_eq!(o, Outcome(vec![1, 1, 1]));
        assert_eq!(s.display(&o).to_string(), "a=y, b=-1, c=0.25");
        assert!(
            s.parse_assignment([("a", "w"), ("b", "0"), ("c", "0")])
                .is_err()
        );
        assert!(s.parse_assignment([("a", "x"), ("b", "0")]).is_err());
        assert!(
            s.parse_assignment([("a", "x"), ("b", "0"), ("c", "0.3")])
                .is_err()
        );
    }

    #[test]
    fn value_index_agrees_with_a_scan() {
        let names: Vec<String> = (0..500).map(|i| format!("v{}", (i * 37) % 500)).collect();
        let s = OutcomeSpace::new(vec![
            Issue::integer("n", 0, 3),
            Issue::discrete("d", names.clone()),
        ])
        .unwrap();
        for (k, name) in names.iter().enumerate() {
            assert_eq!(s.value_index(1, name), Some(k as u32));
            assert_eq!(s.value_index(1, name), s.issues()[1].index_of_name(name));
        }
        assert_eq!(s.value_index(1, "v500"), None);
        assert_eq!(s.value_index(0, "1"), None);
        assert_eq!(s.parse_value(0, "2"), Some(2));
        assert_eq!(s.parse_value(1, "v3"), s.issues()[1].index_of_name("v3"));
        let twice = OutcomeSpace::new(vec![Issue::discrete("d", ["a", "b", "c", "b", "a"])]);
        assert!(
            twice
                .unwrap_err()
                .to_string()
                .contains("lists the value `b` twice")
        );
        let issues = vec![Issue::integer("n", 0, 1), Issue::integer("n", 0, 2)];
        assert!(
            OutcomeSpace::new(issues)
                .unwrap_err()
                .to_string()
                .contains("`n` is defined twice")
        );
    }

    #[test]
    fn constraints_exclude_outcomes() {
        let s = space();
        let no_xz = Constraint {
            name: "x with low b".into(),
            combination: Combination {
                parts: vec![(1, vec![0, 1]), (0, vec![0])],
            },
        };
        let s = s.with_constraints(vec![no_xz]).unwrap();
        let all: Vec<_> = s.outcomes(1000).unwrap().collect();
        assert_eq!(all.len(), 60 - 2 * 5);
        assert!(all.iter().all(|o| !(o.0[0] == 0 && o.0[1] < 2)));
        assert!(!s.contains(&Outcome(vec![0, 0, 0])));
        assert!(s.contains(&Outcome(vec![0, 2, 0])));
        assert_eq!(s.id_of(&Outcome(vec![0, 0, 0])), Some(0));
        let everything = Constraint {
            name: "all".into(),
            combination: Combination {
                parts: vec![(0, vec![0, 1, 2])],
            },
        };
        assert!(space().with_constraints(vec![everything]).is_err());
        let bad = Constraint {
            name: "bad".into(),
            combination: Combination {
                parts: vec![(7, vec![0])],
            },
        };
        assert!(space().with_constraints(vec![bad]).is_err());
    }

    proptest! {
        /// The search finds a feasible outcome exactly when brute force does.
        #[test]
        fn feasibility_search_matches_brute_force(forbid in proptest::collection::vec((0u32..3, 0u32..4, 0u32..5), 0..40)) {
            let constraints: Vec<Constraint> = forbid.iter().enumerate().map(|(k, &(a, b, c))| Constraint {
                name: format!("c{k}"),
                combination: Combination { parts: vec![(0, vec![a]), (1, vec![b]), (2, vec![c])] },
            }).collect();
            let brute = space().outcomes(1000).unwrap().any(|o| constraints.iter().all(|c| !c.combination.matches(&o.0)));
            let built = space().with_constraints(constraints);
            prop_assert_eq!(built.is_ok(), brute);
        }

        #[test]
        fn decode_inverts_encode(cards in proptest::collection::vec(1u32..7, 1..6), seed in any::<u64>()) {
            let issues: Vec<_> = cards.iter().enumerate().map(|(i, &c)| Issue::integer(format!("i{i}"), 0, i64::from(c) - 1)).collect();
            let s = OutcomeSpace::new(issues).unwrap();
            let n = s.count_u64().unwrap();
            let id = seed % n;
            let o = s.outcome(id).unwrap();
            prop_assert!(s.contains(&o));
            prop_assert_eq!(s.id_of(&o), Some(id));
        }
    }
}
