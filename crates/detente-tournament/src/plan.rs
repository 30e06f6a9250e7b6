//! Tournament plans: which negotiators meet on which scenarios, how often, and the
//! deterministic enumeration of the negotiations a plan stands for.
//!
//! A plan file is TOML (format 1, documented in `docs/tournaments.md`); [`Plan::load`] reads
//! it and the scenarios it names, reporting problems at their line and column. A [`Plan`] can
//! also be built in code. [`Schedule`] numbers every negotiation of a plan (scenario, then
//! assignment of negotiators to roles, then repetition) so that the `i`-th negotiation and its
//! seed are the same however the work is split.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use detente_core::protocol::derive_seed;
use detente_core::{NegotiatorSpec, Scenario};
use detente_formats::{Diagnostic, line_column};
use detente_negotiators::Registry;
use serde::Deserialize;
use toml::Spanned;

use crate::error::{Result, TournamentError};

/// The plan format version this build reads.
pub const PLAN_FORMAT_VERSION: i64 = 1;

/// A negotiator taking part, under its display name.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanNegotiator {
    /// Display name, unique within the plan; used in results and the summary.
    pub name: String,
    /// Kind and parameters, as the run's [`Registry`] resolves them.
    pub spec: NegotiatorSpec,
}

/// A scenario taking part.
#[derive(Debug, Clone)]
pub struct PlanScenario {
    /// Where it came from, as written in the plan (or any label for a plan built in code).
    pub source: String,
    /// The scenario. Its name identifies it in results and must be unique within the plan.
    pub scenario: Scenario,
    /// Oddities its loader noticed.
    pub diagnostics: Vec<Diagnostic>,
}

/// A tournament plan.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Name of the tournament.
    pub name: String,
    /// Seed from which every negotiation's seed is derived.
    pub seed: u64,
    /// How many times each assignment meets on each scenario (at least 1).
    pub repetitions: u32,
    /// Deadline in rounds for every scenario; `None` keeps each scenario's own.
    pub rounds: Option<u32>,
    /// Longest a negotiator may take for one step, measured on a wall clock. Only rows where
    /// it is exceeded depend on timing.
    pub step_budget: Option<Duration>,
    /// Whether a negotiator may play several roles of one negotiation (with it, every tuple
    /// of negotiators is an assignment; without it, only tuples of distinct negotiators).
    pub self_play: bool,
    /// The negotiators, in plan order.
    pub negotiators: Vec<PlanNegotiator>,
    /// The scenarios, in plan order.
    pub scenarios: Vec<PlanScenario>,
}

/// One negotiation of a tournament.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Negotiation {
    /// Global index, from 0.
    pub index: u64,
    /// Index into [`Plan::scenarios`].
    pub scenario: usize,
    /// For each role (party) of the scenario, an index into [`Plan::negotiators`].
    pub assignment: Vec<usize>,
    /// Repetition, from 0.
    pub repetition: u32,
    /// The negotiation's seed: `derive_seed(plan seed, index)`.
    pub seed: u64,
}

/// The numbering of a plan's negotiations: scenarios in plan order; within a scenario, the
/// assignments in lexicographic order of negotiator indices (role 0 varies slowest); within
/// an assignment, the repetitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    seed: u64,
    repetitions: u64,
    n_negotiators: usize,
    self_play: bool,
    parties: Vec<usize>,
    /// `offsets[s]`: index of scenario `s`'s first negotiation; the last entry is the total.
    offsets: Vec<u64>,
}

fn permutations(n: u64, k: u64) -> Option<u64> {
    if k > n {
        return Some(0);
    }
    (n - k + 1..=n).try_fold(1u64, u64::checked_mul)
}

impl Schedule {
    /// Numbers the negotiations of `plan`.
    pub fn new(plan: &Plan) -> Result<Self> {
        if plan.negotiators.is_empty() {
            return Err(TournamentError::InvalidPlan(
                "it names no negotiators".into(),
            ));
        }
        if plan.scenarios.is_empty() {
            return Err(TournamentError::InvalidPlan("it names no scenarios".into()));
        }
        if plan.repetitions == 0 {
            return Err(TournamentError::InvalidPlan(
                "repetitions must be at least 1".into(),
            ));
        }
        let n = plan.negotiators.len() as u64;
        let mut offsets = vec![0u64];
        let mut parties = Vec::new();
        let too_many = || TournamentError::InvalidPlan("it has more than 2^64 negotiations".into());
        for s in &plan.scenarios {
            let k = s.scenario.parties.len();
            let assignments = if plan.self_play {
                u32::try_from(k)
                    .ok()
                    .and_then(|k| n.checked_pow(k))
                    .ok_or_else(too_many)?
            } else {
                if (k as u64) > n {
                    return Err(TournamentError::InvalidPlan(format!(
                        "scenario `{}` has {k} parties but the plan has only {n} negotiators, \
                         and self-play is off",
                        s.scenario.name
                    )));
                }
                permutations(n, k as u64).ok_or_else(too_many)?
            };
            let count = assignments
                .checked_mul(u64::from(plan.repetitions))
                .ok_or_else(too_many)?;
            let last = *offsets.last().expect("offsets start with 0");
            offsets.push(last.checked_add(count).ok_or_else(too_many)?);
            parties.push(k);
        }
        Ok(Schedule {
            seed: plan.seed,
            repetitions: u64::from(plan.repetitions),
            n_negotiators: plan.negotiators.len(),
            self_play: plan.self_play,
            parties,
            offsets,
        })
    }

    /// Number of negotiations.
    pub fn total(&self) -> u64 {
        *self.offsets.last().expect("offsets start with 0")
    }

    /// Index range of scenario `s`'s negotiations.
    pub fn scenario_range(&self, s: usize) -> std::ops::Range<u64> {
        self.offsets[s]..self.offsets[s + 1]
    }

    /// The negotiation with this index, or `None` past the end.
    pub fn get(&self, index: u64) -> Option<Negotiation> {
        if index >= self.total() {
            return None;
        }
        let scenario = self.offsets.partition_point(|&o| o <= index) - 1;
        let local = index - self.offsets[scenario];
        let (mut a, repetition) = (local / self.repetitions, local % self.repetitions);
        let k = self.parties[scenario];
        let n = self.n_negotiators as u64;
        let mut assignment = Vec::with_capacity(k);
        if self.self_play {
            // Mixed radix, base n, role 0 most significant.
            let mut digits = vec![0usize; k];
            for d in digits.iter_mut().rev() {
                *d = (a % n) as usize;
                a /= n;
            }
            assignment = digits;
        } else {
            let mut unused: Vec<usize> = (0..self.n_negotiators).collect();
            for j in 0..k as u64 {
                let block = permutations(n - j - 1, k as u64 - j - 1)
                    .expect("smaller than the scenario's assignment count");
                let c = (a / block) as usize;
                a %= block;
                assignment.push(unused.remove(c));
            }
        }
        Some(Negotiation {
            index,
            scenario,
            assignment,
            repetition: repetition as u32,
            seed: derive_seed(self.seed, index),
        })
    }
}

impl Plan {
    /// Reads a plan file and every scenario it names (paths relative to the plan's folder);
    /// its negotiators must be kinds of `registry`.
    pub fn load(path: &Path, registry: &Registry) -> Result<Plan> {
        let text =
            std::fs::read_to_string(path).map_err(|source| TournamentError::io(path, source))?;
        let base = path.parent().unwrap_or(Path::new("."));
        Self::parse(&text, path, base, registry)
    }

    /// Parses plan text; `origin` names it in messages, `base` is the folder scenario paths
    /// are relative to, and the negotiators must be kinds of `registry`.
    pub fn parse(text: &str, origin: &Path, base: &Path, registry: &Registry) -> Result<Plan> {
        let at = |offset: usize, message: String| {
            let (line, column) = line_column(text, offset);
            TournamentError::At {
                path: origin.to_path_buf(),
                line,
                column,
                message,
            }
        };
        let dto: PlanDto = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            at(offset, e.message().trim_end().to_string())
        })?;
        if *dto.format.get_ref() != PLAN_FORMAT_VERSION {
            return Err(at(
                dto.format.span().start,
                format!(
                    "unsupported plan format version {}; this build reads version \
                     {PLAN_FORMAT_VERSION}",
                    dto.format.get_ref()
                ),
            ));
        }
        let name = match dto.name {
            Some(n) if n.get_ref().trim().is_empty() => {
                return Err(at(n.span().start, "the name must not be empty".into()));
            }
            Some(n) => n.into_inner(),
            None => origin
                .file_stem()
                .map_or_else(|| "tournament".into(), |s| s.to_string_lossy().into_owned()),
        };
        let repetitions = match dto.repetitions {
            Some(r) if *r.get_ref() == 0 => {
                return Err(at(r.span().start, "repetitions must be at least 1".into()));
            }
            Some(r) => r.into_inner(),
            None => 1,
        };
        let rounds = match dto.rounds {
            Some(r) if *r.get_ref() == 0 => {
                return Err(at(r.span().start, "rounds must be at least 1".into()));
            }
            r => r.map(Spanned::into_inner),
        };
        let step_budget = match dto.step_budget_ms {
            Some(b) if !(b.get_ref().is_finite() && *b.get_ref() > 0.0 && *b.get_ref() < 1e12) => {
                return Err(at(
                    b.span().start,
                    "step_budget_ms must be a positive number of milliseconds".into(),
                ));
            }
            b => b.map(|b| Duration::from_secs_f64(b.get_ref() / 1000.0)),
        };
        if dto.negotiators.get_ref().is_empty() {
            return Err(at(
                dto.negotiators.span().start,
                "the plan needs at least one negotiator".into(),
            ));
        }
        let mut negotiators: Vec<PlanNegotiator> = Vec::new();
        for entry in dto.negotiators.into_inner() {
            let start = entry.span().start;
            let n = entry.into_inner();
            let mut spec = registry
                .parse_spec(n.kind.get_ref())
                .map_err(|e| at(n.kind.span().start, e.to_string()))?;
            for (k, v) in n.params {
                if spec.params.insert(k.clone(), v).is_some() {
                    return Err(at(
                        start,
                        format!("parameter `{k}` is given both in `kind` and in `params`"),
                    ));
                }
            }
            registry
                .validate(&spec)
                .map_err(|e| at(start, e.to_string()))?;
            let name = match n.name {
                Some(name) => {
                    let s = name.get_ref().trim();
                    if s.is_empty() {
                        return Err(at(name.span().start, "the name must not be empty".into()));
                    }
                    if s.contains([';', '\n', '\r']) {
                        return Err(at(
                            name.span().start,
                            "a negotiator name must not contain `;` or line breaks".into(),
                        ));
                    }
                    s.to_string()
                }
                None => spec.to_string(),
            };
            if negotiators.iter().any(|o| o.name == name) {
                return Err(at(
                    start,
                    format!("two negotiators are named `{name}`; give each a distinct `name`"),
                ));
            }
            negotiators.push(PlanNegotiator { name, spec });
        }
        if dto.scenarios.get_ref().is_empty() {
            return Err(at(
                dto.scenarios.span().start,
                "the plan needs at least one scenario".into(),
            ));
        }
        let mut scenarios: Vec<PlanScenario> = Vec::new();
        for entry in dto.scenarios.into_inner() {
            let (line, column) = line_column(text, entry.span().start);
            let source = entry.into_inner();
            let path: PathBuf = base.join(&source);
            let fail = |source_err| TournamentError::Scenario {
                plan: origin.to_path_buf(),
                line,
                column,
                entry: source.clone(),
                source: Box::new(source_err),
            };
            if !path.exists() {
                return Err(fail(detente_formats::FormatError::Unrecognised {
                    path: path.clone(),
                    message: "no such file or folder".into(),
                }));
            }
            let loaded = detente_formats::load(std::slice::from_ref(&path)).map_err(fail)?;
            if let Err(e) = loaded.scenario.validate() {
                return Err(TournamentError::At {
                    path: origin.to_path_buf(),
                    line,
                    column,
                    message: format!("scenario `{source}`: {e}"),
                });
            }
            if let Some(other) = scenarios
                .iter()
                .find(|s| s.scenario.name == loaded.scenario.name)
            {
                return Err(TournamentError::At {
                    path: origin.to_path_buf(),
                    line,
                    column,
                    message: format!(
                        "scenario `{source}` is named `{}`, like `{}`; scenario names must be \
                         unique within a plan",
                        loaded.scenario.name, other.source
                    ),
                });
            }
            scenarios.push(PlanScenario {
                source,
                scenario: loaded.scenario,
                diagnostics: loaded.diagnostics,
            });
        }
        let plan = Plan {
            name,
            seed: dto.seed.into_inner(),
            repetitions,
            rounds,
            step_budget,
            self_play: dto.self_play.unwrap_or(true),
            negotiators,
            scenarios,
        };
        // Catch plans that cannot be enumerated (too few negotiators, overflow) now.
        Schedule::new(&plan)?;
        Ok(plan)
    }

    /// The deadline used for scenario `s`.
    pub fn rounds_for(&self, s: usize) -> u32 {
        self.rounds
            .unwrap_or(self.scenarios[s].scenario.protocol.deadline)
    }

    /// The largest number of parties of any scenario: the width of the per-role columns of
    /// the results.
    pub fn max_parties(&self) -> usize {
        self.scenarios
            .iter()
            .map(|s| s.scenario.parties.len())
            .max()
            .unwrap_or(0)
    }

    /// A fingerprint of everything that decides the results (names, seed, repetitions,
    /// deadlines, budget, negotiators, scenarios' names, parties and spaces). Shard outputs and
    /// resumed runs are checked against it.
    pub fn fingerprint(&self) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{}|{}|{}|{:?}|{:?}|{}",
            self.name, self.seed, self.repetitions, self.rounds, self.step_budget, self.self_play
        );
        for n in &self.negotiators {
            let _ = writeln!(s, "n|{}|{}", n.name, n.spec);
        }
        for (i, sc) in self.scenarios.iter().enumerate() {
            let scen = &sc.scenario;
            let _ = write!(
                s,
                "s|{}|{}|{}",
                scen.name,
                self.rounds_for(i),
                scen.space.count_display()
            );
            for issue in scen.space.issues() {
                let _ = write!(s, "|{}:{}", issue.name, issue.cardinality());
            }
            for p in &scen.parties {
                let _ = write!(
                    s,
                    "|{}:{}:{}",
                    p.name, p.preferences.reservation, p.preferences.discount
                );
            }
            let _ = writeln!(s);
        }
        // FNV-1a, 64 bits: stable across platforms and versions, unlike std's hasher.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in s.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        format!("{h:016x}")
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanDto {
    format: Spanned<i64>,
    name: Option<Spanned<String>>,
    #[serde(default)]
    #[allow(dead_code)]
    description: String,
    seed: Spanned<u64>,
    repetitions: Option<Spanned<u32>>,
    rounds: Option<Spanned<u32>>,
    step_budget_ms: Option<Spanned<f64>>,
    self_play: Option<bool>,
    negotiators: Spanned<Vec<Spanned<NegotiatorDto>>>,
    scenarios: Spanned<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NegotiatorDto {
    name: Option<Spanned<String>>,
    kind: Spanned<String>,
    #[serde(default)]
    params: BTreeMap<String, f64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use detente_core::{
        Evaluator, Issue, LinearAdditive, OutcomeSpace, Party, Preferences, ProtocolSettings,
        Utility,
    };

    fn scenario(name: &str, k: usize) -> PlanScenario {
        let space = OutcomeSpace::new(vec![Issue::integer("x", 0, 2)]).unwrap();
        let parties = (0..k)
            .map(|i| {
                let u = LinearAdditive::new(
                    &space,
                    vec![1.0],
                    vec![Evaluator::Table(vec![0.0, 0.5, 1.0])],
                    None,
                )
                .unwrap();
                Party {
                    name: format!("p{i}"),
                    preferences: Preferences::new(Utility::LinearAdditive(u)),
                    negotiator: None,
                }
            })
            .collect();
        PlanScenario {
            source: name.into(),
            scenario: Scenario {
                name: name.into(),
                description: String::new(),
                space,
                parties,
                protocol: ProtocolSettings::default(),
                events: Vec::new(),
            },
            diagnostics: vec![],
        }
    }

    fn plan(n: usize, ks: &[usize], reps: u32, self_play: bool) -> Plan {
        Plan {
            name: "t".into(),
            seed: 9,
            repetitions: reps,
            rounds: None,
            step_budget: None,
            self_play,
            negotiators: (0..n)
                .map(|i| PlanNegotiator {
                    name: format!("n{i}"),
                    spec: NegotiatorSpec::new("linear"),
                })
                .collect(),
            scenarios: ks
                .iter()
                .enumerate()
                .map(|(i, &k)| scenario(&format!("s{i}"), k))
                .collect(),
        }
    }

    /// Brute force: the enumeration in the documented order.
    fn brute(p: &Plan) -> Vec<(usize, Vec<usize>, u32)> {
        let n = p.negotiators.len();
        let mut out = Vec::new();
        for (s, sc) in p.scenarios.iter().enumerate() {
            let k = sc.scenario.parties.len();
            let mut tuples: Vec<Vec<usize>> = vec![vec![]];
            for _ in 0..k {
                tuples = tuples
                    .into_iter()
                    .flat_map(|t| {
                        (0..n).map(move |c| {
                            let mut t = t.clone();
                            t.push(c);
                            t
                        })
                    })
                    .collect();
            }
            for t in tuples {
                let distinct = (0..t.len()).all(|i| !t[..i].contains(&t[i]));
                if !p.self_play && !distinct {
                    continue;
                }
                for r in 0..p.repetitions {
                    out.push((s, t.clone(), r));
                }
            }
        }
        out
    }

    #[test]
    fn enumeration_matches_brute_force() {
        for (n, ks, reps, sp) in [
            (3, vec![2, 3], 2, true),
            (3, vec![2, 3], 2, false),
            (4, vec![3, 2, 4], 1, false),
            (1, vec![2], 3, true),
            (5, vec![2], 1, false),
        ] {
            let p = plan(n, &ks, reps, sp);
            let s = Schedule::new(&p).unwrap();
            let expect = brute(&p);
            assert_eq!(s.total(), expect.len() as u64);
            for (i, (sc, a, r)) in expect.into_iter().enumerate() {
                let g = s.get(i as u64).unwrap();
                assert_eq!(
                    (g.scenario, g.assignment, g.repetition),
                    (sc, a, r),
                    "index {i}"
                );
                assert_eq!(g.seed, derive_seed(9, i as u64));
            }
            assert_eq!(s.get(s.total()), None);
        }
    }

    #[test]
    fn impossible_plans_are_refused() {
        let e = Schedule::new(&plan(2, &[3], 1, false)).unwrap_err();
        assert!(e.to_string().contains("has 3 parties"), "{e}");
        let e = Schedule::new(&plan(1000, &[9], 1, true)).unwrap_err();
        assert!(e.to_string().contains("2^64"), "{e}");
        let e = Schedule::new(&plan(2, &[2], 0, true)).unwrap_err();
        assert!(e.to_string().contains("repetitions"), "{e}");
    }

    fn parse(text: &str) -> Result<Plan> {
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
        Plan::parse(text, Path::new("plan.toml"), &base, &Registry::builtin())
    }

    #[test]
    fn parses_a_plan() {
        let p = parse(
            r#"
format = 1
name = "mini"
seed = 7
repetitions = 2
rounds = 30
step_budget_ms = 250
self_play = false
scenarios = ["pie/pie.toml", "buyer-seller"]

[[negotiators]]
name = "Boul"
kind = "boulware"
params = { e = 0.1 }

[[negotiators]]
kind = "time-based:e=3"
"#,
        )
        .unwrap();
        assert_eq!(p.name, "mini");
        assert_eq!((p.seed, p.repetitions, p.rounds), (7, 2, Some(30)));
        assert_eq!(p.step_budget, Some(Duration::from_millis(250)));
        assert!(!p.self_play);
        assert_eq!(p.negotiators[0].name, "Boul");
        assert_eq!(p.negotiators[0].spec.to_string(), "boulware:e=0.1");
        assert_eq!(p.negotiators[1].name, "time-based:e=3");
        let names: Vec<_> = p
            .scenarios
            .iter()
            .map(|s| s.scenario.name.as_str())
            .collect();
        assert_eq!(names, ["pie", "buyer-seller"]);
        assert_eq!(Schedule::new(&p).unwrap().total(), 2 * 2 * 2);
    }

    #[test]
    fn errors_point_at_the_place() {
        let head = "format = 1\nseed = 1\nscenarios = [\"pie/pie.toml\"]\n";
        let cases = [
            (
                format!("{head}colour = 3\n[[negotiators]]\nkind = \"linear\"\n"),
                "plan.toml:4:1: unknown field `colour`",
            ),
            (
                format!("{head}[[negotiators]]\nkind = \"boulwar\"\n"),
                "plan.toml:5:8: unknown negotiator kind `boulwar`",
            ),
            (
                format!("{head}[[negotiators]]\nkind = \"boulware\"\nparams = {{ e = 5 }}\n"),
                "plan.toml:4:1: parameter `e` of negotiator `boulware` must be",
            ),
            (
                format!("{head}[[negotiators]]\nkind = \"linear\"\n[[negotiators]]\nkind = \"linear\"\n"),
                "plan.toml:6:1: two negotiators are named `linear`",
            ),
            (
                "format = 1\nseed = 1\nscenarios = [\"nope.toml\"]\n[[negotiators]]\nkind = \"linear\"\n".into(),
                "plan.toml:3:14: scenario `nope.toml`:",
            ),
            (
                "format = 1\nseed = 1\nscenarios = [\"pie/pie.toml\", \"pie\"]\n[[negotiators]]\nkind = \"linear\"\n".into(),
                "plan.toml:3:30: scenario `pie` is named `pie`, like `pie/pie.toml`",
            ),
            (
                format!("{head}repetitions = 0\n[[negotiators]]\nkind = \"linear\"\n"),
                "plan.toml:4:15: repetitions must be at least 1",
            ),
            (
                format!("{head}seed = -1\n"),
                "plan.toml:4:1: duplicate key",
            ),
            (
                "format = 2\nseed = 1\nscenarios = []\nnegotiators = []\n".into(),
                "plan.toml:1:10: unsupported plan format version 2",
            ),
            (
                "format = 1\nseed = 1\nscenarios = [\"pie/pie.toml\"]\nnegotiators = []\n".into(),
                "plan.toml:4:15: the plan needs at least one negotiator",
            ),
        ];
        for (text, expect) in cases {
            let e = parse(&text).unwrap_err().to_string();
            assert!(e.starts_with(expect), "got `{e}`, expected `{expect}...`");
        }
    }
}
