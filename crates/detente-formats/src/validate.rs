//! The checks of a scenario's numbers that every reader runs once the scenario is built:
//! numbers a file may hold but that are most likely mistakes. Each finding is a
//! [`Diagnostic`] (a warning; the command line's `--strict` makes warnings errors):
//!
//! - issue weights of a linear additive utility that do not sum to 1 within [`WEIGHT_SUM_TOLERANCE`],
//!   and negative weights;
//! - scores (an evaluator's value for some issue value) and table utilities outside [0, 1];
//! - reservation values outside [0, 1];
//! - utilities that are never reachable: a reservation value above the best utility the
//!   party's preferences can give (the party never agrees).
//!
//! A scenario whose numbers are all in range gets no diagnostic. Each problem is said once
//! per party and issue, with the range of the offending numbers, so a large issue never
//! floods the terminal.

use std::path::Path;

use detente_core::{Evaluator, Issue, LinearAdditive, Party, Scenario, Utility};

use crate::{Diagnostic, SourceFormat};

/// How far from 1 the issue weights may sum before a warning.
pub const WEIGHT_SUM_TOLERANCE: f64 = 1e-6;

/// Issues with more values than this have their numeric scores checked at the ends of their
/// range (and at a triangle's top) rather than value by value.
const EXHAUSTIVE_LIMIT: u64 = 1 << 20;

/// The warnings about `scenario`, read in `format`, in party order. `paths` names the file
/// of each party (GENIUS and GeniusWeb profiles), or is one file for all (TOML).
pub fn check(scenario: &Scenario, paths: &[&Path], format: SourceFormat) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (k, party) in scenario.parties.iter().enumerate() {
        let path = paths
            .get(k)
            .or(paths.first())
            .copied()
            .unwrap_or(Path::new(""));
        let mut say = |location: String, message: String| {
            out.push(Diagnostic {
                path: path.to_path_buf(),
                location,
                message,
            });
        };
        check_party(scenario, party, format, &mut say);
    }
    out
}

/// The checks of one party.
fn check_party(
    scenario: &Scenario,
    party: &Party,
    format: SourceFormat,
    say: &mut dyn FnMut(String, String),
) {
    let here = format!("party \"{}\"", party.name);
    let prefs = &party.preferences;
    if !(0.0..=1.0).contains(&prefs.reservation) {
        say(
            here.clone(),
            format!(
                "the reservation value {} is outside [0, 1]",
                number(prefs.reservation)
            ),
        );
    }
    match &prefs.utility {
        Utility::LinearAdditive(lin) => check_linear(scenario, lin, &here, format, say),
        Utility::Interacting(u) => check_linear(scenario, u.base(), &here, format, say),
        Utility::Table(t) => {
            let values = t.values.values().copied().chain([t.default]);
            if let Some(found) = Outside::of(values) {
                say(here.clone(), found.message("table utilities"));
            }
        }
        _ => {}
    }
    if let Some(best) = best_utility(&prefs.utility, scenario)
        && prefs.reservation > best + 1e-9
    {
        say(
            here,
            format!(
                "the reservation value {} is above the best utility the party can reach ({}): no agreement is acceptable to it",
                number(prefs.reservation),
                number(best)
            ),
        );
    }
}

/// Weights that do not sum to 1 or are negative, and scores outside [0, 1].
fn check_linear(
    scenario: &Scenario,
    lin: &LinearAdditive,
    here: &str,
    format: SourceFormat,
    say: &mut dyn FnMut(String, String),
) {
    let issues = scenario.space.issues();
    for (issue, &w) in issues.iter().zip(lin.weights()) {
        if w < 0.0 {
            say(
                format!("{here}, issue \"{}\"", issue.name),
                format!("the weight {} is negative", number(w)),
            );
        }
    }
    let sum: f64 = lin.weights().iter().sum();
    if (sum - 1.0).abs() > WEIGHT_SUM_TOLERANCE {
        let why = match format {
            SourceFormat::Genius => {
                "GENIUS does not renormalise them (and caps utilities at 1), and neither does detente"
            }
            SourceFormat::GeniusWeb => "GeniusWeb requires 1; used as they are",
            SourceFormat::Toml => "detente does not renormalise them",
        };
        say(
            here.to_string(),
            format!("the issue weights sum to {}, not 1; {why}", number(sum)),
        );
    }
    for (issue, ev) in issues.iter().zip(lin.evaluators()) {
        if let Some(found) = Outside::of(scores(issue, ev)) {
            say(
                format!("{here}, issue \"{}\"", issue.name),
                found.message("scores"),
            );
        }
    }
}

/// The scores an evaluator gives an issue's values: every one, or for a numeric issue of
/// more than [`EXHAUSTIVE_LIMIT`] values, those at the ends of its range and at a triangle's
/// top (where a linear, triangular, constant or interpolated score takes its extremes).
fn scores<'a>(issue: &'a Issue, ev: &'a Evaluator) -> Box<dyn Iterator<Item = f64> + 'a> {
    if let Evaluator::Table(t) = ev {
        return Box::new(t.iter().copied());
    }
    let n = issue.cardinality();
    if n <= EXHAUSTIVE_LIMIT {
        return Box::new(
            (0..n as u32).filter_map(move |v| issue.numeric_value(v).map(|x| ev.eval_number(x))),
        );
    }
    let mut points = vec![0, (n - 1) as u32];
    if let Evaluator::Triangular { top, .. } = ev
        && let Some(i) = issue.nearest_index(*top, false)
    {
        points.push(i);
    }
    Box::new(
        points
            .into_iter()
            .filter_map(move |v| issue.numeric_value(v).map(|x| ev.eval_number(x))),
    )
}

/// The numbers of a list that lie outside [0, 1]: how many, of how many, and their range.
struct Outside {
    count: usize,
    of: usize,
    min: f64,
    max: f64,
}

impl Outside {
    fn of(values: impl Iterator<Item = f64>) -> Option<Outside> {
        let mut found = Outside {
            count: 0,
            of: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        };
        for x in values {
            found.of += 1;
            if !(0.0..=1.0).contains(&x) {
                found.count += 1;
                found.min = found.min.min(x);
                found.max = found.max.max(x);
            }
        }
        (found.count > 0).then_some(found)
    }

    /// `what` (a plural) outside [0, 1], in words.
    fn message(&self, what: &str) -> String {
        if self.count == 1 {
            let one = what.strip_suffix('s').unwrap_or(what);
            return format!("a {one} of {} is outside [0, 1]", number(self.min));
        }
        let range = if self.min == self.max {
            format!("all {}", number(self.min))
        } else {
            format!("from {} to {}", number(self.min), number(self.max))
        };
        format!(
            "{} of {} {what} are outside [0, 1] ({range})",
            self.count, self.of
        )
    }
}

/// An upper bound of the utility `utility` can give (exact for linear additive utilities
/// without constraints); `None` when no cheap bound is known.
fn best_utility(utility: &Utility, scenario: &Scenario) -> Option<f64> {
    let linear_best = |lin: &LinearAdditive| -> Option<f64> {
        let mut sum = 0.0;
        for (issue, (ev, &w)) in scenario
            .space
            .issues()
            .iter()
            .zip(lin.evaluators().iter().zip(lin.weights()))
        {
            let best = scores(issue, ev).map(|s| w * s).reduce(f64::max)?;
            sum += best;
        }
        Some(sum)
    };
    match utility {
        Utility::LinearAdditive(lin) => Some(lin.apply_cap(linear_best(lin)?)),
        Utility::Interacting(u) => {
            let bonus: f64 = u.interactions().iter().map(|t| t.utility.max(0.0)).sum();
            Some(u.base().apply_cap(linear_best(u.base())? + bonus))
        }
        Utility::Table(t) => t
            .values
            .values()
            .copied()
            .chain([t.default])
            .reduce(f64::max),
        Utility::Hyperrectangles(h) => h.cap,
        _ => None,
    }
}

/// A number as messages show it: rounded to 9 decimals (so that float noise such as
/// `0.9400000000000001` reads `0.94`), without trailing zeros.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let s = format!("{x:.9}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario_toml::load_str;

    fn warnings(text: &str) -> Vec<String> {
        let loaded = load_str(text, Path::new("s.toml")).expect("the scenario reads");
        loaded
            .diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.location, d.message))
            .collect()
    }

    fn pie(a: &str, b: &str) -> String {
        format!(
            "format = 1\nname = \"t\"\n[[issues]]\nname = \"x\"\nvalues = [\"lo\", \"mid\", \"hi\"]\n\
             [[issues]]\nname = \"n\"\ntype = \"integer\"\nmin = 0\nmax = 10\n\
             [[parties]]\nname = \"A\"\n{a}\n[[parties]]\nname = \"B\"\n{b}\n"
        )
    }

    const GOOD: &str = "reservation = 0.2\n[parties.issues.x]\nweight = 0.5\nvalues = { lo = 0.0, mid = 0.5, hi = 1.0 }\n[parties.issues.n]\nweight = 0.5\nlinear = [0.0, 1.0]";

    #[test]
    fn a_sound_scenario_gets_no_warning() {
        assert_eq!(warnings(&pie(GOOD, GOOD)), Vec::<String>::new());
    }

    #[test]
    fn each_kind_of_nonsense_is_said_once() {
        let cases = [
            (
                GOOD.replace("weight = 0.5\nvalues", "weight = 0.9\nvalues"),
                vec![
                    "party \"A\": the issue weights sum to 1.4, not 1; detente does not renormalise them",
                ],
            ),
            (
                GOOD.replace("weight = 0.5\nlinear", "weight = -0.5\nlinear")
                    .replace("weight = 0.5\nvalues", "weight = 1.5\nvalues"),
                vec!["party \"A\", issue \"n\": the weight -0.5 is negative"],
            ),
            (
                GOOD.replace("hi = 1.0", "hi = 7"),
                vec!["party \"A\", issue \"x\": a score of 7 is outside [0, 1]"],
            ),
            (
                GOOD.replace("linear = [0.0, 1.0]", "linear = [-1.0, 1.0]"),
                vec![
                    "party \"A\", issue \"n\": 5 of 11 scores are outside [0, 1] (from -1 to -0.2)",
                ],
            ),
            (
                GOOD.replace("reservation = 0.2", "reservation = -0.2"),
                vec!["party \"A\": the reservation value -0.2 is outside [0, 1]"],
            ),
            (
                GOOD.replace("reservation = 0.2", "reservation = 1.5"),
                vec![
                    "party \"A\": the reservation value 1.5 is outside [0, 1]",
                    "party \"A\": the reservation value 1.5 is above the best utility the party can reach (1): no agreement is acceptable to it",
                ],
            ),
        ];
        for (a, expected) in cases {
            assert_eq!(warnings(&pie(&a, GOOD)), expected, "{a}");
        }
    }

    #[test]
    fn numbers_are_rounded() {
        assert_eq!(number(0.9400000000000001), "0.94");
        assert_eq!(number(1.0000518), "1.0000518");
        assert_eq!(number(1.0 / 3.0), "0.333333333");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(7.0), "7");
        assert_eq!(number(f64::INFINITY), "inf");
    }
}
