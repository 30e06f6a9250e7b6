//! Time-based concession (Faratin, Sierra and Jennings 1998, as in GENIUS's
//! `TimeDependentAgent`): the target utility falls from the party's best utility towards
//! `max(reservation, worst)` as time passes, at a rate set by the exponent `e`; its registry
//! entries (`time-based` and the presets `boulware`, `linear`, `conceder`); and the one
//! definition of Boulware, linear and Conceder by exponent ([`Tactic`]).

use detente_core::registry::{Params, Spec};
use detente_core::{
    Action, Negotiator, NegotiatorError, OpponentEstimate, Outcome, SessionInfo, State,
};

use crate::boa::models::ModelKinds;
use crate::boa::{BoaKinds, Combined, Models, OwnSpace};
use crate::common::{NOT_INITIALISED, Own, default_accept};
use crate::registry::{Exponent, KindEntry, ParamInfo};

/// The exponent of linear concession, the boundary between [`Tactic::Boulware`] and
/// [`Tactic::Conceder`].
pub const LINEAR_EXPONENT: f64 = 1.0;

/// The classes of the time-dependent tactic by concession exponent `e` (Faratin et al.):
/// Boulware below [`LINEAR_EXPONENT`] (concedes late), linear at it, Conceder above it
/// (concedes early). The `boulware` and `conceder` presets accept the closures of their
/// classes, `[0, 1]` and `[1, inf)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tactic {
    /// `e < 1`: holds out, then concedes near the deadline.
    Boulware,
    /// `e = 1`: concedes at a constant rate.
    Linear,
    /// `e > 1`: concedes early.
    Conceder,
}

impl Tactic {
    /// The class of an exponent known exactly.
    pub fn of_exponent(e: f64) -> Tactic {
        Tactic::of_interval(e, e)
    }

    /// The class of an exponent known to lie in `[lower, upper]` (e.g. a 95% confidence
    /// interval): Boulware when the whole interval is below [`LINEAR_EXPONENT`], Conceder when
    /// it is above, linear when it contains it (linear cannot be ruled out).
    pub fn of_interval(lower: f64, upper: f64) -> Tactic {
        if upper < LINEAR_EXPONENT {
            Tactic::Boulware
        } else if lower > LINEAR_EXPONENT {
            Tactic::Conceder
        } else {
            Tactic::Linear
        }
    }
}

const E_MEANING: &str = "concession exponent: 0 never concedes, below 1 concedes late (Boulware), \
                         1 linearly, above 1 early (Conceder)";

/// The time-based concession tactic.
///
/// At normalised time `t` (the [`State::time`] of its turn) the target is
/// `Pmin + (Pmax - Pmin) * (1 - t^(1/e))`, with `Pmax` the party's best utility and
/// `Pmin = max(reservation, worst utility)` (both undiscounted, the reservation value the one
/// in force). `e = 0` never concedes (a hardliner), `e < 1` concedes late (Boulware), `e = 1`
/// linearly, `e > 1` early (Conceder). In its last round (the deadline as it stands) it counts
/// `t = 1`: no turn falls at time 1 exactly, and without this a party would never reach its
/// floor, refusing at the deadline a deal worth more to it than its fallback.
///
/// It aims at the outcomes whose utility is the lowest at or above the target, found by
/// binary search in the party's shared sorted table. Among the outcomes *near* that level
/// (utility within [`TimeBased::NEAR`] above it, at most [`TimeBased::MAX_CANDIDATES`] of
/// them) it offers the one
/// its opponent model rates highest (one model per other party, of kind `model`, combined by
/// their minimum as in [`crate::boa::Models`]); among equally rated ones, and before the
/// models have seen any bid, the first in the table (the smallest outcome id). With
/// `model=none` it always takes the first of the level, as detente's time-based negotiators
/// did before opponent models (for comparisons). It accepts by [`default_accept`]: the
/// standing offer is accepted when it is worth at least what it would offer next, or at least
/// the target, and never below the reservation value.
pub struct TimeBased {
    e: f64,
    model: Option<(ModelKinds, Spec)>,
    own: Option<Own>,
    aware: Option<Aware>,
}

/// The opponent models of a time-based negotiator and what it needs to consult them.
struct Aware {
    space: OwnSpace,
    models: Models,
    values: Vec<u32>,
}

impl std::fmt::Debug for TimeBased {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TimeBased")
            .field("e", &self.e)
            .field("model", &self.model.as_ref().map(|(_, s)| s.to_string()))
            .finish_non_exhaustive()
    }
}

impl TimeBased {
    /// How far above the target level it looks for outcomes its opponents may prefer.
    pub const NEAR: f64 = 0.01;

    /// The most outcomes it compares on a turn (the nearest to its target).
    pub const MAX_CANDIDATES: usize = 256;

    /// A time-based negotiator with concession exponent `e` (at least 0, finite; the registry
    /// checks this, and a negative or NaN `e` here behaves as 0), without opponent models
    /// (the first outcome of its target level, as `model=none`).
    pub fn new(e: f64) -> Self {
        TimeBased {
            e,
            model: None,
            own: None,
            aware: None,
        }
    }

    /// A time-based negotiator with concession exponent `e` that chooses among outcomes near
    /// its target by opponent models of kind `model` from `kinds` (`none`: by id).
    pub fn with_model(e: f64, kinds: ModelKinds, model: Spec) -> Self {
        TimeBased {
            model: Some((kinds, model)),
            ..Self::new(e)
        }
    }

    /// The concession exponent.
    pub fn e(&self) -> f64 {
        self.e
    }

    /// The share of the way from `Pmax` to `Pmin` conceded at time `t`: `t^(1/e)`, 0 for
    /// `e = 0`.
    pub fn concession(e: f64, t: f64) -> f64 {
        let t = t.clamp(0.0, 1.0);
        if e.is_nan() || e <= 0.0 {
            return 0.0;
        }
        let p = 1.0 / e;
        // The common presets (linear, Conceder e = 2, Boulware e = 1/k) without the general
        // `powf`, which dominates a turn otherwise.
        if p == 1.0 {
            t
        } else if p == 0.5 {
            t.sqrt()
        } else if p.fract() == 0.0 && p <= 64.0 {
            t.powi(p as i32)
        } else {
            t.powf(p)
        }
    }

    /// The target utility at time `t` between `pmin` and `pmax` (with `pmin <= pmax`):
    /// `Pmin + (Pmax - Pmin) * (1 - t^(1/e))`, computed as `Pmax - (Pmax - Pmin) * t^(1/e)` so
    /// that it is exactly `Pmax` before any concession and `Pmin` at `t = 1`, and kept within `[Pmin, Pmax]` against
    /// rounding.
    pub fn target_between(e: f64, t: f64, pmin: f64, pmax: f64) -> f64 {
        let f = Self::concession(e, t);
        if f >= 1.0 {
            return pmin;
        }
        (pmax - (pmax - pmin) * f).max(pmin).min(pmax)
    }

    /// The registry entries of the tactic, with the built-in opponent models
    /// ([`entries_with`](Self::entries_with)).
    pub fn entries() -> Vec<KindEntry> {
        Self::entries_with(&BoaKinds::builtin())
    }

    /// The registry entries of the tactic: `time-based` (any exponent) and its presets
    /// `boulware` (`e` in `[0, 1]`, default 0.2), `linear` (`e = 1`) and `conceder`
    /// (`e >= 1`, default 2); each takes `model`, an opponent model of `boa.models`
    /// (default `hardheaded-frequency`; `none` for the choice by id).
    pub fn entries_with(boa: &BoaKinds) -> Vec<KindEntry> {
        let e = |default, min, max| ParamInfo::new("e", default, min, max, E_MEANING);
        let kinds = boa.models.clone();
        let by_e = |kinds: ModelKinds| {
            move |p: &Params<'_>| -> Box<dyn Negotiator> {
                Box::new(TimeBased::with_model(
                    p.get("e"),
                    kinds.clone(),
                    p.component("model").clone(),
                ))
            }
        };
        let model = || {
            boa.model_param(
                "model",
                Spec::new("hardheaded-frequency"),
                "opponent model choosing among outcomes near its target (`none`: by id)",
            )
        };
        let linear = {
            let kinds = kinds.clone();
            move |p: &Params<'_>| -> Box<dyn Negotiator> {
                Box::new(TimeBased::with_model(
                    LINEAR_EXPONENT,
                    kinds.clone(),
                    p.component("model").clone(),
                ))
            }
        };
        let entries = vec![
            KindEntry::new(
                "time-based",
                "concedes from its best utility towards its reservation value as time passes \
                 (Faratin et al.), at a rate set by e",
                by_e(kinds.clone()),
            )
            .param(e(1.0, 0.0, f64::INFINITY))
            .exponent(Exponent::Param("e".into())),
            KindEntry::new(
                "boulware",
                "time-based with e below 1: holds out, then concedes near the deadline",
                by_e(kinds.clone()),
            )
            .param(e(0.2, 0.0, LINEAR_EXPONENT))
            .exponent(Exponent::Param("e".into())),
            KindEntry::new(
                "linear",
                "time-based with e = 1: concedes at a constant rate",
                linear,
            )
            .exponent(Exponent::Fixed(LINEAR_EXPONENT)),
            KindEntry::new(
                "conceder",
                "time-based with e above 1: concedes early",
                by_e(kinds.clone()),
            )
            .param(e(2.0, LINEAR_EXPONENT, f64::INFINITY))
            .exponent(Exponent::Param("e".into())),
        ];
        entries.into_iter().map(|k| k.component(model())).collect()
    }

    /// The target at time `t`, once initialised.
    pub fn target(&self, t: f64) -> Option<f64> {
        self.own
            .as_ref()
            .map(|o| Self::target_between(self.e, t, o.pmin, o.pmax))
    }
}

impl Aware {
    /// Among the positions from `pos` (the first of the target level) whose utility lies
    /// within [`TimeBased::NEAR`] above it, the one the models rate highest (the first among equals);
    /// `pos` itself before the models have seen a bid.
    fn choose(&mut self, pos: usize) -> usize {
        let table = self.space.table();
        let level = table.sorted[pos];
        let informed = self
            .models
            .iter()
            .flatten()
            .any(|m| m.is_model() && m.observed() > 0);
        if !informed {
            return pos;
        }
        // The near band ends at the first position below the level; it starts at most
        // NEAR above the level, at most MAX_CANDIDATES before `pos`'s level ends.
        let end = table.sorted.partition_point(|&u| u >= level);
        let start = table
            .sorted
            .partition_point(|&u| u > level + TimeBased::NEAR);
        let (start, end) = (
            start.max(end.saturating_sub(TimeBased::MAX_CANDIDATES)),
            end,
        );
        let mut best = pos;
        let mut best_estimate = f64::NEG_INFINITY;
        let combined = self.models.combined();
        let fast = match (&combined, self.space.outcome_values()) {
            (Combined::One(m), Some(t)) => m.additive().map(|a| (a, t)),
            _ => None,
        };
        for p in (start..end).rev() {
            let id = self.space.id_at(p);
            let e = match &fast {
                Some((a, t)) => a.estimate(t.of(id)),
                None => {
                    self.space.decode(id, &mut self.values);
                    combined.estimate(&self.values)
                }
            };
            // Scanning from the level upwards, a later position wins only when strictly
            // better; positions of the level itself are visited last to first, so among
            // equals the first of the level (the smallest id) is kept by `>=`.
            if e > best_estimate || (e == best_estimate && table.sorted[p] == level) {
                best = p;
                best_estimate = e;
            }
        }
        best
    }
}

impl Negotiator for TimeBased {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        self.own = Some(Own::new(info, "time-based")?);
        self.aware = match &self.model {
            Some((kinds, spec)) => {
                let space = OwnSpace::new(info)?;
                let models = Models::new(kinds, spec, info, &space)?;
                models.any().then(|| Aware {
                    values: vec![0; space.n_issues()],
                    space,
                    models,
                })
            }
            None => None,
        };
        Ok(())
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        let own = self.own.as_mut().expect(NOT_INITIALISED);
        let time = own.concession_time(state.round, state.time);
        let target = Self::target_between(self.e, time, own.pmin, own.pmax);
        let mut pos = own.position_for(target);
        if let Some(aware) = self.aware.as_mut() {
            pos = aware.choose(pos);
        }
        if let Some(standing) = state.standing {
            let u = own.utility(&standing.outcome);
            if default_accept(u, own.sorted_utility(pos), target, own.reservation) {
                return Action::Accept;
            }
        }
        Action::Offer(own.outcome_at(pos))
    }

    fn observe(&mut self, party: usize, action: &Action, state: &State<'_>) {
        if let (Some(aware), Action::Offer(outcome)) = (self.aware.as_mut(), action) {
            aware.values.copy_from_slice(&outcome.0);
            aware.models.update(party, &aware.values, state.time);
        }
    }

    fn opponent_estimate(&self, opponent: usize) -> Option<&dyn OpponentEstimate> {
        let m = self.aware.as_ref()?.models.of(opponent)?;
        Some(m as &dyn OpponentEstimate)
    }

    fn compare(&mut self, candidate: &Outcome, incumbent: &Outcome) -> Option<std::cmp::Ordering> {
        self.own
            .as_ref()
            .and_then(|o| o.compare(candidate, incumbent))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{one_issue, pie, state};
    use detente_core::{Offer, Outcome, ScenarioTables};

    #[test]
    fn targets_over_time() {
        // Linear: halfway at t = 0.5.
        assert_eq!(TimeBased::target_between(1.0, 0.5, 0.0, 1.0), 0.5);
        // Boulware e = 0.2: 1 - 0.5^5.
        assert!((TimeBased::target_between(0.2, 0.5, 0.0, 1.0) - (1.0 - 0.03125)).abs() < 1e-15);
        // Conceder e = 2: 1 - sqrt(0.25).
        assert!((TimeBased::target_between(2.0, 0.25, 0.0, 1.0) - 0.5).abs() < 1e-15);
        // The shortcuts for common exponents agree with powf.
        for e in [0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 3.0, 0.3, 7.5] {
            for k in 0..=20 {
                let t = f64::from(k) / 20.0;
                let c = TimeBased::concession(e, t);
                assert!((c - t.powf(1.0 / e)).abs() < 1e-14, "e={e} t={t}");
            }
        }
        // Hardliner.
        assert_eq!(TimeBased::target_between(0.0, 0.99, 0.2, 0.9), 0.9);
        // Between pmin and pmax, and pmin at t = 1.
        assert_eq!(TimeBased::target_between(1.0, 1.0, 0.2, 0.9), 0.2);
        assert_eq!(TimeBased::target_between(3.0, 0.0, 0.2, 0.9), 0.9);
        // Boulware stays above linear, which stays above conceder.
        for k in 1..100 {
            let t = f64::from(k) / 100.0;
            let b = TimeBased::target_between(0.2, t, 0.0, 1.0);
            let l = TimeBased::target_between(1.0, t, 0.0, 1.0);
            let c = TimeBased::target_between(2.0, t, 0.0, 1.0);
            assert!(b > l && l > c, "t={t}: {b} {l} {c}");
        }
    }

    /// Offers are the lowest-utility outcomes at or above the target (brute force), they never
    /// rise, and they stay at or above the reservation value.
    #[test]
    fn offers_follow_the_target_and_concede_monotonically() {
        let s = pie(0.3);
        let tables = ScenarioTables::for_scenario(&s);
        let info = crate::testutil::info(0, &s, &tables, 50, 1);
        let utilities = tables.party(&s, 0).unwrap().utilities.clone();
        for e in [0.0, 0.2, 1.0, 2.0, 10.0] {
            let mut n = TimeBased::new(e);
            n.init(&info).unwrap();
            let mut last = f64::INFINITY;
            for k in 0..100 {
                let t = f64::from(k) / 100.0;
                let Action::Offer(o) = n.act(&state(t, None)) else {
                    panic!("no standing offer, so it must offer")
                };
                let u = s.parties[0].preferences.utility(&o);
                let target = n.target(t).unwrap();
                let brute = utilities
                    .iter()
                    .copied()
                    .filter(|&v| v >= target)
                    .fold(f64::INFINITY, f64::min);
                assert_eq!(u, brute, "e={e} t={t}");
                assert!(u <= last && u >= 0.3, "e={e} t={t}: {u} after {last}");
                last = u;
            }
            if e == 0.0 {
                assert_eq!(last, 1.0, "a hardliner never concedes");
            } else {
                assert!(last < 0.5, "e={e} conceded only to {last}");
            }
        }
    }

    #[test]
    fn ties_pick_the_first_outcome_in_the_table() {
        // Two issues, the second irrelevant: every level has several outcomes.
        let s = one_issue(&[1.0, 0.5, 0.0], 3);
        let tables = ScenarioTables::for_scenario(&s);
        let info = crate::testutil::info(0, &s, &tables, 10, 0);
        let mut n = TimeBased::new(1.0);
        n.init(&info).unwrap();
        assert_eq!(n.act(&state(0.0, None)), Action::Offer(Outcome(vec![0, 0])));
        assert_eq!(n.act(&state(0.4, None)), Action::Offer(Outcome(vec![0, 0])));
        assert_eq!(n.act(&state(0.6, None)), Action::Offer(Outcome(vec![1, 0])));
        assert_eq!(
            n.act(&state(0.99, None)),
            Action::Offer(Outcome(vec![1, 0]))
        );
    }

    #[test]
    fn accepts_at_or_above_its_next_offer_only() {
        let s = pie(0.25);
        let tables = ScenarioTables::for_scenario(&s);
        let info = crate::testutil::info(0, &s, &tables, 10, 0);
        let mut n = TimeBased::new(1.0);
        n.init(&info).unwrap();
        // pie: party 0's utility of value v is v / 10; at t = 0.5 the target is 0.625.
        let offer = |v| Offer {
            outcome: Outcome(vec![v]),
            by: detente_core::Actor::Party(1),
        };
        let o6 = offer(6);
        assert_eq!(
            n.act(&state(0.5, Some(&o6))),
            Action::Offer(Outcome(vec![7]))
        );
        let o7 = offer(7);
        assert_eq!(n.act(&state(0.5, Some(&o7))), Action::Accept);
        // Never below the reservation value, even at the end.
        let o2 = offer(2);
        assert_ne!(n.act(&state(0.999, Some(&o2))), Action::Accept);
        let o3 = offer(3);
        assert_eq!(n.act(&state(0.999, Some(&o3))), Action::Accept);
    }
}
