//! Partial agreements: at the end of a round, an open issue on which every active party's
//! current position agrees is settled for the rest of the talks (its other values become
//! unavailable).

use super::Dynamics;
use crate::space::Outcome;
use crate::trace::FiredEvent;

/// What settling did at the end of a round.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settled {
    /// One `partial agreement` event per issue settled.
    pub events: Vec<FiredEvent>,
    /// The full agreement, when every issue is now settled.
    pub agreement: Option<Outcome>,
}

impl Settled {
    /// Whether the scenario changed (some issue was settled, and the talks go on).
    pub fn changed(&self) -> bool {
        !self.events.is_empty() && self.agreement.is_none()
    }
}

/// The name partial agreements are recorded under.
pub const PARTIAL_AGREEMENT: &str = "partial agreement";

impl Dynamics<'_> {
    /// Settles every open issue on which all active parties' positions agree (with partial
    /// agreements on; otherwise nothing happens). Returns the events and, when every issue is
    /// settled, the full agreement.
    pub fn settle_agreed(&mut self, round: u32) -> Settled {
        let mut settled = Settled::default();
        if !self.base.protocol.partial_agreements {
            return settled;
        }
        self.ensure_blocked();
        for (i, v) in self.agreed_issues() {
            let saved = self.blocked[i].clone();
            for (w, b) in self.blocked[i].iter_mut().enumerate() {
                *b = w as u32 != v;
            }
            if !self.apply_blocked() {
                self.blocked[i] = saved;
                continue;
            }
            self.settled[i] = Some(v);
            settled.events.push(FiredEvent {
                round,
                name: PARTIAL_AGREEMENT.into(),
                description: format!(
                    "{} is agreed by every party and fixed for the rest of the talks",
                    self.value_label(i, v)
                ),
            });
        }
        if settled.events.is_empty() {
            return settled;
        }
        if let Some(values) = self.settled.iter().copied().collect::<Option<Vec<u32>>>() {
            settled.agreement = Some(Outcome(values));
        } else {
            self.bump();
        }
        settled
    }

    /// The open issues (and values) on which every active party's position agrees; none while
    /// some active party has no position yet.
    fn agreed_issues(&self) -> Vec<(usize, u32)> {
        let active: Vec<&Outcome> = match (0..self.positions.len())
            .filter(|&p| self.active[p])
            .map(|p| self.positions[p].as_ref())
            .collect::<Option<Vec<_>>>()
        {
            Some(positions) if !positions.is_empty() => positions,
            _ => return Vec::new(),
        };
        (0..self.settled.len())
            .filter(|&i| self.settled[i].is_none() && !self.blocked[i].is_empty())
            .filter_map(|i| {
                let v = active[0].0[i];
                active.iter().all(|o| o.0[i] == v).then_some((i, v))
            })
            .collect()
    }
}
