//! The registry: every catalogue kind can be created and plays; specs round-trip through their
//! text form; bad specs give errors that say what is known.

use detente_core::protocol::{Protocol, ProtocolConfig, Saop};
use detente_core::*;
use detente_negotiators::{SpecError, catalogue, create, kind_info, parse_spec, validate};
use proptest::prelude::*;

use crate::saop_properties::any_spec;
use crate::synthetic::{Terms, linear_scenario};

const KINDS: [&str; 7] = [
    "time-based",
    "boulware",
    "linear",
    "conceder",
    "hardliner",
    "random",
    "tit-for-tat",
];

#[test]
fn catalogue_lists_exactly_the_built_in_kinds() {
    let names: Vec<&str> = catalogue().iter().map(|k| k.name).collect();
    assert_eq!(names, KINDS);
    let params = |kind| -> Vec<(&str, f64)> {
        kind_info(kind)
            .unwrap()
            .params
            .iter()
            .map(|p| (p.name, p.default))
            .collect()
    };
    assert_eq!(params("time-based"), [("e", 1.0)]);
    assert_eq!(params("boulware"), [("e", 0.2)]);
    assert_eq!(params("linear"), []);
    assert_eq!(params("conceder"), [("e", 2.0)]);
    assert_eq!(params("hardliner"), []);
    assert_eq!(params("random"), []);
    assert_eq!(params("tit-for-tat"), [("factor", 1.0)]);
    for k in catalogue() {
        assert!(!k.summary.is_empty());
        for p in k.params {
            assert!(p.allows(p.default) && !p.meaning.is_empty());
        }
    }
}

/// Every kind, with default parameters and with each parameter at its bounds, starts and
/// negotiates without fault.
#[test]
fn every_kind_can_be_created_and_plays() {
    let s = linear_scenario(&[4, 3], &[Terms::default(); 2], 0.8, 3);
    let tables = ScenarioTables::for_scenario(&s);
    let mut specs = Vec::new();
    for k in catalogue() {
        specs.push(NegotiatorSpec::new(k.name));
        for p in k.params {
            specs.push(NegotiatorSpec::new(k.name).with(p.name, p.min));
            if p.max.is_finite() {
                specs.push(NegotiatorSpec::new(k.name).with(p.name, p.max));
            }
        }
    }
    for spec in &specs {
        for opponent in KINDS {
            let negotiators = vec![
                create(spec).unwrap(),
                create(&NegotiatorSpec::new(opponent)).unwrap(),
            ];
            let t = Saop::new(&s, &tables, negotiators, ProtocolConfig::new(20), 5).run();
            assert!(
                matches!(
                    t.result.termination,
                    Termination::Agreement | Termination::Deadline
                ),
                "{spec} vs {opponent}: {:?}",
                t.result.termination
            );
        }
    }
}

#[test]
fn parses_the_command_line_syntax() {
    let check = |text: &str, kind: &str, params: &[(&str, f64)]| {
        let mut expect = NegotiatorSpec::new(kind);
        for &(k, v) in params {
            expect = expect.with(k, v);
        }
        assert_eq!(parse_spec(text).unwrap(), expect, "{text}");
    };
    check("boulware", "boulware", &[]);
    check("time-based:e=0.5", "time-based", &[("e", 0.5)]);
    check("tit-for-tat:factor=0.8", "tit-for-tat", &[("factor", 0.8)]);
    check(" conceder : e = 3 ", "conceder", &[("e", 3.0)]);
    check("time-based:e=0", "time-based", &[("e", 0.0)]);
    check("boulware:e=1e-1", "boulware", &[("e", 0.1)]);
}

#[test]
fn bad_specs_are_errors() {
    let check = |text: &str, expect: fn(&SpecError) -> bool| {
        let err = parse_spec(text).unwrap_err();
        assert!(expect(&err), "{text}: {err:?}");
        assert!(!err.to_string().is_empty());
    };
    check("", |e| matches!(e, SpecError::Malformed { .. }));
    check(":e=1", |e| matches!(e, SpecError::Malformed { .. }));
    check("boulware:", |e| matches!(e, SpecError::Malformed { .. }));
    check("boulware:e", |e| matches!(e, SpecError::Malformed { .. }));
    check("boulware:=1", |e| matches!(e, SpecError::Malformed { .. }));
    check("boulware:e=0.1,", |e| {
        matches!(e, SpecError::Malformed { .. })
    });
    check("Boulware", |e| matches!(e, SpecError::UnknownKind { .. }));
    check("agentk", |e| matches!(e, SpecError::UnknownKind { .. }));
    check("boulware:factor=1", |e| {
        matches!(e, SpecError::UnknownParam { .. })
    });
    check("hardliner:e=1", |e| {
        matches!(e, SpecError::UnknownParam { .. })
    });
    check("time-based:e=-0.1", |e| {
        matches!(e, SpecError::OutOfRange { .. })
    });
    check("time-based:e=NaN", |e| {
        matches!(e, SpecError::OutOfRange { .. })
    });
    check("time-based:e=inf", |e| {
        matches!(e, SpecError::OutOfRange { .. })
    });
    check("conceder:e=0.5", |e| {
        matches!(e, SpecError::OutOfRange { .. })
    });
    check("tit-for-tat:factor=-1", |e| {
        matches!(e, SpecError::OutOfRange { .. })
    });
    check("time-based:e=x", |e| {
        matches!(e, SpecError::NotANumber { .. })
    });
    check("time-based:e=1,e=2", |e| {
        matches!(e, SpecError::Duplicate { .. })
    });
    // create checks the same things for specs built in code.
    let nan = NegotiatorSpec::new("time-based").with("e", f64::NAN);
    assert!(matches!(
        create(&nan).err(),
        Some(SpecError::OutOfRange { .. })
    ));
    let unknown = NegotiatorSpec::new("nice-tit-for-tat");
    let msg = create(&unknown).err().unwrap().to_string();
    for k in KINDS {
        assert!(msg.contains(k), "{msg}");
    }
}

proptest! {
    /// A spec's text form parses back to the same spec.
    #[test]
    fn specs_round_trip(spec in any_spec()) {
        validate(&spec).unwrap();
        prop_assert_eq!(parse_spec(&spec.to_string()).unwrap(), spec);
    }
}
