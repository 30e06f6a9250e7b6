//! The numbering of a plan's negotiations: which scenario, assignment of negotiators to roles
//! and repetition the `i`-th negotiation is, and its seed, the same however the work is split.

use detente_core::protocol::derive_seed;

use crate::error::{Result, TournamentError};
use crate::plan::Plan;

/// One negotiation of a tournament.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Negotiation {
    /// Position among all the plan's negotiations, from 0 (the `index` column of the results).
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{PlanNegotiator, PlanScenario};
    use detente_core::{
        Evaluator, Issue, LinearAdditive, NegotiatorSpec, OutcomeSpace, Party, Preferences,
        ProtocolSettings, Scenario, Utility,
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
                compliance: Default::default(),
                name: name.into(),
                description: String::new(),
                space,
                parties,
                protocol: ProtocolSettings::default(),
                events: Vec::new(),
            },
            diagnostics: vec![],
            digest: None,
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
}
