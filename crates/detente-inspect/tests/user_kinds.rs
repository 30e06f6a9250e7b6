//! Sweeps with negotiator kinds the user registered: they are resolved in the registry the
//! sweep is given, and a kind of the time-dependent tactic keeps playing under `e.PARTY` and
//! jitter when its range allows.

use std::sync::atomic::{AtomicUsize, Ordering};

use detente_core::{Action, Negotiator, NegotiatorError, NegotiatorSpec, SessionInfo, State};
use detente_inspect::{SweepConfig, parse_axis, sweep};
use detente_negotiators::{Exponent, KindEntry, ParamInfo, Registry, TimeBased};

use crate::support::shipped;

/// Alice's share of the pie, offered every turn; accepts any offer giving her at least that.
struct FixedShare(u32);

impl Negotiator for FixedShare {
    fn init(&mut self, _: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        Ok(())
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        match state.standing {
            Some(o) if o.outcome.0[0] >= self.0 => Action::Accept,
            _ => Action::Offer(detente_core::Outcome(vec![self.0])),
        }
    }
}

/// How many `steady` negotiators were made.
static STEADY_MADE: AtomicUsize = AtomicUsize::new(0);

fn registry() -> Registry {
    let mut r = Registry::builtin();
    r.register(
        KindEntry::new("fixed-share", "asks for a fixed share of the pie", |p| {
            Box::new(FixedShare(p.get("percent") as u32))
        })
        .param(ParamInfo::new("percent", 60.0, 0.0, 100.0, "Alice's share")),
    )
    .unwrap();
    r.register(
        KindEntry::new("steady", "time-based with exponents up to 3", |p| {
            STEADY_MADE.fetch_add(1, Ordering::Relaxed);
            Box::new(TimeBased::new(p.get("pace")))
        })
        .param(ParamInfo::new("pace", 1.0, 0.0, 3.0, "concession exponent"))
        .exponent(Exponent::Param("pace".into())),
    )
    .unwrap();
    r
}

#[test]
fn a_sweep_runs_a_kind_of_ones_own() {
    let s = shipped("pie");
    let config = SweepConfig {
        axes: vec![parse_axis(&s, "reservation.Bob=0,0.5").unwrap()],
        seeds: 2,
        seed: 3,
        jitter: 0.0,
        noise: 0.0,
        negotiators: vec![
            NegotiatorSpec::new("fixed-share").with("percent", 60.0),
            NegotiatorSpec::new("conceder"),
        ],
    };
    let r = sweep(&s, &config, &registry()).unwrap();
    // Bob concedes to Alice's 60% when it leaves him at least his reservation value.
    assert_eq!(r.points[0].summary.rate, 1.0);
    assert_eq!(r.points[1].summary.rate, 0.0);
    // The built-in registry does not know the kind, and says which kinds it knows.
    let e = sweep(&s, &config, &Registry::builtin())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("unknown negotiator kind `fixed-share`; known kinds: time-based"),
        "{e}"
    );
}

#[test]
fn exponents_are_swept_and_jittered_through_the_registry() {
    let s = shipped("pie");
    let registry = registry();
    let config = |alice: &str, jitter| SweepConfig {
        axes: vec![parse_axis(&s, "e.Alice=0.5,2,5").unwrap()],
        seeds: 3,
        seed: 8,
        jitter,
        noise: 0.0,
        negotiators: vec![NegotiatorSpec::new(alice), NegotiatorSpec::new("linear")],
    };
    for jitter in [0.0, 0.5] {
        let before = STEADY_MADE.load(Ordering::Relaxed);
        let own = sweep(&s, &config("steady", jitter), &registry).unwrap();
        // `steady` plays the exponents its range allows: 0.5 and 2 (3 seeds each) without
        // jitter, and every jittered 0.5 (at most 0.5 * e^0.5) with it; `time-based` plays
        // the others.
        let made = STEADY_MADE.load(Ordering::Relaxed) - before;
        if jitter == 0.0 {
            assert_eq!(made, 6);
        } else {
            assert!((3..=6).contains(&made), "{made}");
        }
        // Both play the same tactic, so the sweep is the one `time-based` gives.
        let builtin = sweep(&s, &config("time-based", jitter), &registry).unwrap();
        assert_eq!(own, builtin);
    }
    // Without a kind whose exponent is a parameter, an exponent cannot be swept.
    let mut fixed_only = Registry::new();
    fixed_only
        .register(KindEntry::new("stubborn", "offers 90%", |_| {
            Box::new(FixedShare(90))
        }))
        .unwrap();
    let e = sweep(
        &s,
        &SweepConfig {
            negotiators: vec![NegotiatorSpec::new("stubborn"); 2],
            ..config("stubborn", 0.0)
        },
        &fixed_only,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("`e.Alice` = 0.5: no negotiator kind of the registry plays"),
        "{e}"
    );
}
