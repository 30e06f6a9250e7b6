//! Negotiators that panic, stall past the step budget or cheat end only their own
//! negotiations; the tournament completes and the summary counts their errors.

use std::cell::Cell;
use std::time::Duration;

use detente_core::protocol::Clock;
use detente_core::{Action, Negotiator, NegotiatorError, Outcome, SessionInfo, State};
use detente_negotiators::{KindEntry, Registry};
use detente_tournament::{Hooks, RunConfig, Silent, TournamentError, run};

use crate::common::{code_plan, line_scenario, with_threads};
use detente_testkit::TempDir;

thread_local! {
    /// A fake clock per thread, in milliseconds: a negotiation runs on one thread, so the
    /// staller's jumps are seen by its own negotiation only.
    static NOW_MS: Cell<u64> = const { Cell::new(0) };
}

struct FakeClock(u64);

impl Clock for FakeClock {
    fn elapsed(&self) -> Duration {
        Duration::from_millis(NOW_MS.with(Cell::get) - self.0)
    }
}

fn fake_clock() -> Box<dyn Clock> {
    Box::new(FakeClock(NOW_MS.with(Cell::get)))
}

/// Offers its best outcome (x = 0 or 2 by role) and accepts from round 3; the faulty kinds
/// misbehave in round 2.
struct Scripted {
    fault: &'static str,
    party: usize,
}

impl Negotiator for Scripted {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        self.party = info.party;
        Ok(())
    }
    fn act(&mut self, state: &State<'_>) -> Action {
        if state.round == 2 {
            match self.fault {
                "panic" => panic!("deliberate panic in round 2"),
                "stall" => NOW_MS.with(|n| n.set(n.get() + 1000)),
                "cheat" => return Action::Offer(Outcome(vec![7])),
                _ => {}
            }
        }
        if state.round >= 3 && state.standing.is_some() {
            Action::Accept
        } else {
            Action::Offer(Outcome(vec![if self.party == 0 { 2 } else { 0 }]))
        }
    }
}

/// The built-in kinds and the scripted ones: `fine`, and `panic`, `stall`, `cheat`, which
/// misbehave that way.
fn scripted() -> Registry {
    let mut registry = Registry::builtin();
    for (kind, fault) in [
        ("panic", "panic"),
        ("stall", "stall"),
        ("cheat", "cheat"),
        ("fine", ""),
    ] {
        let entry = KindEntry::new(kind, "scripted", move |_| {
            Box::new(Scripted { fault, party: 0 })
        });
        registry.register(entry).unwrap();
    }
    registry
}

#[test]
fn faulty_negotiators_end_only_their_own_negotiations() {
    let mut plan = code_plan(
        &[
            ("fine", "fine"),
            ("panic", "panic"),
            ("stall", "stall"),
            ("cheat", "cheat"),
            ("linear", "linear"),
        ],
        vec![line_scenario("line")],
        3,
    );
    plan.step_budget = Some(Duration::from_millis(100));
    let dir = TempDir::new("tournament-faults");
    let hooks = Hooks {
        registry: scripted(),
        clock: &fake_clock,
        observer: &Silent,
    };
    let report = with_threads(2, || run(&plan, &RunConfig::new(&dir), &hooks)).unwrap();
    assert_eq!(report.ran, 25 * 3);
    let summary = report.summary.unwrap();
    let rows: Vec<_> = detente_formats::tournament::RowReader::open(&report.results)
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    assert_eq!(rows.len(), 75);
    let faulty = |n: &str| ["panic", "stall", "cheat"].contains(&n);
    let mut errors = std::collections::BTreeMap::<&str, u64>::new();
    for r in &rows {
        if r.negotiators.iter().any(|n| faulty(n)) {
            // Party 0 acts first in round 2, so it is the one that fails when both are faulty.
            let culprit = if faulty(&r.negotiators[0]) { 0 } else { 1 };
            assert_eq!(r.termination, "negotiator-fault", "{r:?}");
            assert_eq!(r.error_party, Some(culprit));
            let name = r.negotiators[culprit].as_str();
            let expect = match name {
                "panic" => "panicked: deliberate panic in round 2",
                "stall" => "took 1000 ms for one step, over its budget",
                _ => "invalid action: offered [7], which is not an outcome of the space",
            };
            assert_eq!(r.error, expect);
            assert_eq!(r.rounds, 3);
            *errors
                .entry(
                    ["panic", "stall", "cheat"]
                        .into_iter()
                        .find(|k| *k == name)
                        .unwrap(),
                )
                .or_default() += 1;
        } else {
            assert_eq!(r.error_party, None);
            assert_ne!(r.termination, "negotiator-fault");
        }
    }
    // Each faulty kind is party 0 in 5 of 25 assignments and party 1 (behind a non-faulty
    // party 0) in 2 more: 7 per repetition.
    for n in &summary.negotiators {
        let expect = if faulty(&n.name) { 7 * 3 } else { 0 };
        assert_eq!(n.errors, expect, "{}", n.name);
        assert_eq!(errors.get(n.name.as_str()).copied().unwrap_or(0), expect);
    }
    assert_eq!(summary.negotiator_faults, 75 - 4 * 3);
    assert_eq!(summary.negotiations, 75);
}

#[test]
fn a_negotiator_the_registry_cannot_make_stops_the_plan_before_it_runs() {
    let plan = code_plan(
        &[("ok", "linear"), ("nope", "no-such-kind")],
        vec![line_scenario("line")],
        1,
    );
    let dir = TempDir::new("tournament-unknown-kind");
    let e = run(&plan, &RunConfig::new(dir.join("out")), &Hooks::default()).unwrap_err();
    assert!(matches!(e, TournamentError::InvalidPlan(_)), "{e}");
    assert!(
        e.to_string()
            .contains("negotiator `nope`: unknown negotiator kind `no-such-kind`"),
        "{e}"
    );
    assert!(!dir.join("out").exists());
}
