//! PonPokoAgent (Takaki Matsune), winner of ANAC 2017 (multilateral SAOP, GENIUS).

use detente_core::{Action, Negotiator, NegotiatorError, Outcome, SessionInfo, State};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::common::{NOT_INITIALISED, Own};
use crate::registry::{KindEntry, ParamInfo};

/// How much the original lowers its low threshold at a time while no outcome lies in range.
const STEP: f64 = 0.0001;

/// PonPokoAgent: at the start it draws one of five concession patterns; each gives, at time
/// `t`, a high and a low threshold. It accepts an offer worth *more* than the low threshold,
/// and otherwise offers an outcome drawn uniformly among those whose utility lies between the
/// two (lowering the low threshold by 0.0001 at a time while there is none).
///
/// The patterns (`t` in `[0, 1]`, `s(f) = |sin(f t)|`):
///
/// | pattern | high | low |
/// |---|---|---|
/// | 0 | `1 - 0.1 t` | `1 - 0.1 t - 0.1 s(40)` |
/// | 1 | `1` | `1 - 0.22 t` |
/// | 2 | `1 - 0.1 t` | `1 - 0.1 t - 0.15 s(20)` |
/// | 3 | `1 - 0.05 t` | `1 - 0.1 t`, `1 - 0.3 t` after `t > 0.99` |
/// | 4 | `1 - 0.15 t s(20)` | `1 - 0.21 t s(20)` |
///
/// Like the original it ignores its reservation value (its low threshold never falls below
/// 0.7) and opponents (it plays any number of parties: it answers the offer on the table).
/// Its draws (the pattern, unless fixed by `pattern`, and the offers) come from a
/// `ChaCha8Rng` seeded with [`SessionInfo::seed`].
#[derive(Debug, Clone)]
pub struct PonPoko {
    /// The fixed pattern, or `None` to draw one.
    fixed: Option<u8>,
    state: Option<(Own, u8, ChaCha8Rng)>,
}

impl PonPoko {
    /// A PonPokoAgent playing `pattern` (0 to 4), or drawing its pattern when `None`.
    pub fn new(pattern: Option<u8>) -> Self {
        PonPoko {
            fixed: pattern.map(|p| p.min(4)),
            state: None,
        }
    }

    /// Its registry entry, `ponpoko`.
    pub fn entry() -> KindEntry {
        KindEntry::new(
            "ponpoko",
            "PonPokoAgent (ANAC 2017 winner): one of five randomly drawn threshold patterns; \
             random offers between its high and low thresholds, accepts above the low one",
            |p| {
                let pattern = p.get("pattern");
                Box::new(PonPoko::new((pattern >= 0.0).then_some(pattern as u8)))
            },
        )
        .param(ParamInfo::new(
            "pattern",
            -1.0,
            -1.0,
            4.0,
            "the concession pattern, 0 to 4 (rounded down); -1 draws it from the seed, as the \
             original does",
        ))
        .source("Matsune, PonPokoAgent, ANAC 2017 (GENIUS agents.anac.y2017.ponpokoagent)")
    }

    /// The (high, low) thresholds of `pattern` at time `t`.
    pub fn thresholds(pattern: u8, t: f64) -> (f64, f64) {
        let s = |f: f64| (t * f).sin().abs();
        match pattern {
            0 => (1.0 - 0.1 * t, 1.0 - 0.1 * t - 0.1 * s(40.0)),
            1 => (1.0, 1.0 - 0.22 * t),
            2 => (1.0 - 0.1 * t, 1.0 - 0.1 * t - 0.15 * s(20.0)),
            3 => (
                1.0 - 0.05 * t,
                if t > 0.99 {
                    1.0 - 0.3 * t
                } else {
                    1.0 - 0.1 * t
                },
            ),
            _ => (1.0 - 0.15 * t * s(20.0), 1.0 - 0.21 * t * s(20.0)),
        }
    }
}

/// The positions of the sorted table (utilities non-increasing) to draw an offer from: those
/// with utility in `[low', high]`, `low'` being `low` lowered by [`STEP`] at a time until the
/// range holds an outcome. When no outcome is at or below `high` (a utility scale not topped
/// at 1), the outcomes of the lowest utility.
pub(crate) fn offer_range(sorted: &[f64], high: f64, mut low: f64) -> std::ops::Range<usize> {
    let top = sorted.partition_point(|&u| u > high);
    if top == sorted.len() {
        let worst = sorted[sorted.len() - 1];
        return sorted.partition_point(|&u| u > worst)..sorted.len();
    }
    // The best utility at or below `high`: the range is empty while it is below `low`.
    let best = sorted[top];
    while best < low {
        low -= STEP;
    }
    top..sorted.partition_point(|&u| u >= low)
}

impl Negotiator for PonPoko {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        let own = Own::new(info, "PonPokoAgent")?;
        let mut rng = ChaCha8Rng::seed_from_u64(info.seed);
        let pattern = self.fixed.unwrap_or_else(|| rng.random_range(0..5));
        self.state = Some((own, pattern, rng));
        Ok(())
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        let (own, pattern, rng) = self.state.as_mut().expect(NOT_INITIALISED);
        let (high, low) = Self::thresholds(*pattern, state.time);
        if let Some(standing) = state.standing
            && own.utility(&standing.outcome) > low
        {
            return Action::Accept;
        }
        let range = offer_range(&own.table.sorted, high, low);
        let pos = rng.random_range(range);
        Action::Offer(own.outcome_at(pos))
    }

    fn compare(&mut self, candidate: &Outcome, incumbent: &Outcome) -> Option<std::cmp::Ordering> {
        self.state
            .as_ref()
            .and_then(|s| s.0.compare(candidate, incumbent))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_by_hand() {
        // Pattern 0 at t = 0.5: high 0.95, low 0.95 - 0.1 |sin 20| = 0.95 - 0.0912945...
        let (h, l) = PonPoko::thresholds(0, 0.5);
        assert!((h - 0.95).abs() < 1e-15);
        assert!((l - (0.95 - 0.1 * 20f64.sin().abs())).abs() < 1e-15);
        assert!((l - 0.858_705_48).abs() < 1e-8);
        // Pattern 3 concedes to 1 - 0.3 t only after t = 0.99.
        assert_eq!(PonPoko::thresholds(3, 0.99).1, 1.0 - 0.1 * 0.99);
        assert_eq!(PonPoko::thresholds(3, 0.995).1, 1.0 - 0.3 * 0.995);
        // Pattern 4 at t = 0 (sin 0 = 0): both thresholds are 1.
        assert_eq!(PonPoko::thresholds(4, 0.0), (1.0, 1.0));
    }

    #[test]
    fn offer_range_lowers_the_low_threshold_until_an_outcome_fits() {
        let sorted = [1.0, 0.9, 0.8, 0.8, 0.5];
        // [0.82, 0.88]: nothing; lowered by 0.0001 steps to just below 0.8: both 0.8s.
        assert_eq!(offer_range(&sorted, 0.88, 0.82), 2..4);
        // [0.85, 0.95]: 0.9.
        assert_eq!(offer_range(&sorted, 0.95, 0.85), 1..2);
        // [0.75, 1]: 1.0, 0.9 and both 0.8s.
        assert_eq!(offer_range(&sorted, 1.0, 0.75), 0..4);
        // Nothing at or below 0.4: the worst level.
        assert_eq!(offer_range(&sorted, 0.4, 0.3), 4..5);
    }
}
