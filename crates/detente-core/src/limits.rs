//! Limits on the work one command may ask for, so that a number in an input file (a deadline
//! of 2^31 rounds, 2^32 repetitions) is refused up front with an error that names the limit
//! and how to raise it, instead of running for days or exhausting memory.
//!
//! The limits are process-wide settings, read with [`current`] and changed with [`set`]
//! (the command line sets them from the environment variables each [`Limit`] names); they
//! change what is refused, never a result. The outcomes enumerated into tables have their own
//! limit, passed explicitly ([`crate::tables::DEFAULT_ENUMERATION_LIMIT`]), and the size of
//! input files is limited where files are read (`detente_formats::input`).

use std::sync::atomic::{AtomicU64, Ordering};

/// A limit on the work a command may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    /// The most rounds one negotiation may last: its deadline, and any deadline its events
    /// move to.
    Rounds,
    /// The most negotiations one tournament plan may schedule.
    Negotiations,
    /// The most negotiations one forecast or sweep may simulate (each keeps its result until
    /// the summary, so memory grows with them).
    Simulations,
    /// The most rounds one forecast or sweep may simulate in all (simulations times the
    /// rounds each may last).
    SimulatedRounds,
}

impl Limit {
    /// Every limit.
    pub const ALL: [Limit; 4] = [
        Limit::Rounds,
        Limit::Negotiations,
        Limit::Simulations,
        Limit::SimulatedRounds,
    ];

    /// The value in force when nothing else is set.
    pub const fn default_value(self) -> u64 {
        match self {
            Limit::Rounds => 1_000_000,
            Limit::Negotiations => 1_000_000_000,
            Limit::Simulations => 1_000_000,
            Limit::SimulatedRounds => 100_000_000,
        }
    }

    /// The environment variable the command line reads the limit from.
    pub const fn env_var(self) -> &'static str {
        match self {
            Limit::Rounds => "DETENTE_MAX_ROUNDS",
            Limit::Negotiations => "DETENTE_MAX_NEGOTIATIONS",
            Limit::Simulations => "DETENTE_MAX_SIMULATIONS",
            Limit::SimulatedRounds => "DETENTE_MAX_SIMULATED_ROUNDS",
        }
    }

    /// What the limit counts, in words (`rounds`, `negotiations`, `simulated rounds`).
    pub const fn unit(self) -> &'static str {
        match self {
            Limit::Rounds => "rounds",
            Limit::Negotiations => "negotiations",
            Limit::Simulations => "simulations",
            Limit::SimulatedRounds => "simulated rounds",
        }
    }

    fn cell(self) -> &'static AtomicU64 {
        static ROUNDS: AtomicU64 = AtomicU64::new(Limit::Rounds.default_value());
        static NEGOTIATIONS: AtomicU64 = AtomicU64::new(Limit::Negotiations.default_value());
        static SIMULATIONS: AtomicU64 = AtomicU64::new(Limit::Simulations.default_value());
        static SIMULATED: AtomicU64 = AtomicU64::new(Limit::SimulatedRounds.default_value());
        match self {
            Limit::Rounds => &ROUNDS,
            Limit::Negotiations => &NEGOTIATIONS,
            Limit::Simulations => &SIMULATIONS,
            Limit::SimulatedRounds => &SIMULATED,
        }
    }

    /// Checks that `asked` is within the limit in force; `what` says what asked for it (for
    /// example `scenario \`pie\``).
    ///
    /// ```
    /// use detente_core::limits::Limit;
    ///
    /// assert!(Limit::Rounds.check(100, "the scenario").is_ok());
    /// let e = Limit::Rounds.check(2_147_483_648, "the trace's deadline").unwrap_err();
    /// assert_eq!(
    ///     e.to_string(),
    ///     "the trace's deadline: 2147483648 rounds is more than the limit of 1000000 rounds; \
    ///      raise it with the environment variable DETENTE_MAX_ROUNDS (e.g. \
    ///      DETENTE_MAX_ROUNDS=2147483648)"
    /// );
    /// ```
    pub fn check(self, asked: u64, what: &str) -> Result<(), LimitExceeded> {
        let max = current(self);
        if asked <= max {
            return Ok(());
        }
        Err(LimitExceeded {
            limit: self,
            what: what.to_string(),
            asked,
            max,
        })
    }
}

/// The value of `limit` in force.
pub fn current(limit: Limit) -> u64 {
    limit.cell().load(Ordering::Relaxed)
}

/// Sets `limit` for the whole process (at least 1).
pub fn set(limit: Limit, value: u64) {
    limit.cell().store(value.max(1), Ordering::Relaxed);
}

/// Checks the work of `simulations` negotiations of `scenario`, each lasting at most
/// `deadline` rounds (or the later deadline an event moves to): each within
/// [`Limit::Rounds`], their number within [`Limit::Simulations`] and all their rounds
/// together within [`Limit::SimulatedRounds`]. `what` says what simulates them.
pub fn check_simulations(
    scenario: &crate::Scenario,
    deadline: u32,
    simulations: u64,
    what: &str,
) -> Result<(), LimitExceeded> {
    let rounds = u64::from(longest_deadline(scenario, deadline));
    Limit::Rounds.check(rounds, what)?;
    Limit::Simulations.check(simulations, what)?;
    Limit::SimulatedRounds.check(simulations.saturating_mul(rounds), what)
}

/// Work beyond a [`Limit`]: what asked for it, how much, and the limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{what}: {asked} {unit} is more than the limit of {max} {unit}; raise it with the \
     environment variable {var} (e.g. {var}={asked})",
    unit = limit.unit(),
    var = limit.env_var()
)]
pub struct LimitExceeded {
    /// The limit.
    pub limit: Limit,
    /// What asked for the work.
    pub what: String,
    /// How much it asked for.
    pub asked: u64,
    /// The limit in force.
    pub max: u64,
}

/// The most rounds a negotiation of `scenario` can last with the deadline `deadline`: that,
/// or a later deadline one of its events moves to.
pub fn longest_deadline(scenario: &crate::Scenario, deadline: u32) -> u32 {
    scenario
        .events
        .iter()
        .flat_map(|e| &e.effects)
        .filter_map(|effect| match *effect {
            crate::Effect::Deadline { rounds } => Some(rounds),
            _ => None,
        })
        .fold(deadline, u32::max)
}
