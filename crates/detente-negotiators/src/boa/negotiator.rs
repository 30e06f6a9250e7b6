//! The BOA negotiator: an offering strategy, opponent models, an opponent-model strategy and
//! an acceptance condition, run together as GENIUS's `BoaParty` runs them.

use detente_core::registry::Spec;
use detente_core::{
    Action, Negotiator, NegotiatorError, OpponentEstimate, Outcome, SessionInfo, State,
};

use super::acceptance::{AcceptanceStrategy, Decision};
use super::context::{Bid, Context, History, Setup};
use super::java_random::Seeds;
use super::models::{ModelKinds, Models};
use super::offering::{Offering, OfferingStrategy};
use super::oms::OpponentModelStrategy;
use super::space::OwnSpace;
use crate::common::NOT_INITIALISED;

/// A negotiator composed of BOA components (Baarslag et al., "Decoupling negotiating agents
/// to explore the space of negotiation strategies", 2014).
///
/// On its turn it first asks the offering strategy for its bid (the opening bid on its first
/// turn); when an offer of another party is on the table, the acceptance condition then
/// decides on it, given that bid: accept, walk away, or make the bid. Each bid another party
/// makes goes into its history and updates the model of that party, as long as the
/// opponent-model strategy lets the models learn.
pub struct Boa {
    offering: Box<dyn OfferingStrategy>,
    strategy: Box<dyn OpponentModelStrategy>,
    acceptance: Box<dyn AcceptanceStrategy>,
    model_kinds: ModelKinds,
    model: Spec,
    state: Option<Running>,
}

/// What a BOA negotiator holds during a session.
struct Running {
    space: OwnSpace,
    history: History,
    models: Models,
    party: usize,
    deadline: u32,
    values: Vec<u32>,
}

impl std::fmt::Debug for Boa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Boa")
            .field("model", &self.model.to_string())
            .finish_non_exhaustive()
    }
}

impl Boa {
    /// A BOA negotiator of these components; its opponent models (one per other party) are
    /// made of kind `model` from `model_kinds` when the session starts.
    pub fn new(
        offering: Box<dyn OfferingStrategy>,
        model_kinds: ModelKinds,
        model: Spec,
        strategy: Box<dyn OpponentModelStrategy>,
        acceptance: Box<dyn AcceptanceStrategy>,
    ) -> Self {
        Boa {
            offering,
            strategy,
            acceptance,
            model_kinds,
            model,
            state: None,
        }
    }

    /// The opponent models, once the session started.
    pub fn models(&self) -> Option<&Models> {
        self.state.as_ref().map(|s| &s.models)
    }

    /// The bids so far, once the session started.
    pub fn history(&self) -> Option<&History> {
        self.state.as_ref().map(|s| &s.history)
    }
}

impl Negotiator for Boa {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        let space = OwnSpace::new(info)?;
        let models = Models::new(&self.model_kinds, &self.model, info, &space)?;
        let seeds = Seeds::new(info.seed);
        let setup = Setup {
            info,
            space: &space,
            seeds: &seeds,
        };
        // GENIUS's order: the opponent-model strategy, the offering strategy, the acceptance
        // condition (the order in which they create their random generators).
        self.strategy.init(&setup)?;
        self.offering.init(&setup)?;
        self.acceptance.init(&setup)?;
        self.state = Some(Running {
            values: vec![0; space.n_issues()],
            space,
            history: History::default(),
            models,
            party: info.party,
            deadline: info.deadline,
        });
        Ok(())
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        let run = self.state.as_mut().expect(NOT_INITIALISED);
        let mut cx = Context {
            time: state.time,
            space: &run.space,
            history: &run.history,
            models: &run.models,
            party: run.party,
            round: state.round,
            deadline: run.deadline,
            shared: None,
        };
        let offering = if run.history.sent().is_empty() {
            self.offering.opening_bid(&cx, self.strategy.as_mut())
        } else {
            self.offering.next_bid(&cx, self.strategy.as_mut())
        };
        let id = match offering {
            Offering::Bid(id) => id,
            Offering::End => return Action::End,
            // GENIUS's BOA agent accepts when its offering strategy gives no bid.
            Offering::Accept if state.standing.is_some() => return Action::Accept,
            Offering::Accept => run.space.id_at(0),
        };
        let next = Bid {
            id,
            utility: run.space.utility(id),
            time: state.time,
            party: run.party,
        };
        if let Some(standing) = state.standing {
            let offered_id = run.space.id(&standing.outcome.0);
            let offered = match run.history.last_received() {
                Some(b) if b.id == offered_id => *b,
                _ => Bid {
                    id: offered_id,
                    utility: run.space.utility(offered_id),
                    time: state.time,
                    party: standing.by.party().unwrap_or(usize::MAX),
                },
            };
            // A condition that asks for the bid again gets a second one, the offering
            // strategy's side effects included (GENIUS's AC_TheFawkes); the first is made.
            let again = if self.acceptance.asks_next_bid() {
                match self.offering.next_bid_again(&cx, self.strategy.as_mut()) {
                    Some(Offering::Bid(id)) => Bid {
                        id,
                        utility: run.space.utility(id),
                        ..next
                    },
                    _ => next,
                }
            } else {
                next
            };
            cx.shared = self.offering.shared();
            match self.acceptance.decide(&cx, &offered, &again) {
                Decision::Accept => return Action::Accept,
                Decision::End => return Action::End,
                Decision::Reject => {}
            }
        }
        run.history.push_sent(next);
        Action::Offer(run.space.outcome(id))
    }

    fn observe(&mut self, party: usize, action: &Action, state: &State<'_>) {
        let Action::Offer(outcome) = action else {
            return;
        };
        let Some(run) = self.state.as_mut() else {
            return;
        };
        let id = run.space.id(&outcome.0);
        run.history.push_received(Bid {
            id,
            utility: run.space.utility(id),
            time: state.time,
            party,
        });
        if self.strategy.can_update(state.time) {
            run.values.copy_from_slice(&outcome.0);
            run.models.update(party, &run.values, state.time);
        }
    }

    fn compare(&mut self, candidate: &Outcome, incumbent: &Outcome) -> Option<std::cmp::Ordering> {
        let run = self.state.as_ref()?;
        let u = |o: &Outcome| run.space.utility(run.space.id(&o.0));
        u(candidate).partial_cmp(&u(incumbent))
    }

    fn opponent_estimate(&self, opponent: usize) -> Option<&dyn OpponentEstimate> {
        let m = self.state.as_ref()?.models.of(opponent)?;
        m.is_model().then_some(m as &dyn OpponentEstimate)
    }
}
