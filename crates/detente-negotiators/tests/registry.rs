//! The registry: every built-in kind can be created and plays; specs round-trip through their
//! text form; bad specs give errors that say what is known; kinds of one's own are registered
//! beside the built-in ones.

use detente_core::protocol::{Protocol, ProtocolConfig, Saop};
use detente_core::*;
use detente_negotiators::{
    Exponent, Hardliner, KindEntry, LINEAR_EXPONENT, ParamInfo, RegisterError, Registry, SpecError,
    Tactic, TimeBased,
};
use proptest::prelude::*;

use crate::saop_properties::any_spec;
use crate::synthetic::{Terms, linear_scenario};

/// The built-in kinds before the named agents.
const KINDS: [&str; 8] = [
    "time-based",
    "boulware",
    "linear",
    "conceder",
    "hardliner",
    "random",
    "tit-for-tat",
    "boa",
];

/// The later named agents ([`detente_negotiators::agents`]), after those composed of BOA
/// components.
const AGENTS: [&str; 11] = [
    "agentm",
    "pars-agent",
    "random-dance",
    "atlas3",
    "kawaii",
    "caduceus-core",
    "caduceus",
    "ponpoko",
    "agreeable2018",
    "agentgg",
    "micro",
];

fn parse_spec(text: &str) -> Result<NegotiatorSpec, SpecError> {
    Registry::builtin().parse_spec(text)
}

fn create(spec: &NegotiatorSpec) -> Result<Box<dyn Negotiator>, SpecError> {
    Registry::builtin().create(spec)
}

#[test]
fn the_builtin_registry_lists_exactly_the_built_in_kinds() {
    let registry = Registry::builtin();
    let names: Vec<&str> = registry.list().iter().map(|k| k.name.as_str()).collect();
    assert_eq!(names[..8], KINDS);
    let agents: Vec<&str> = detente_negotiators::boa::agents::names().collect();
    assert_eq!(names[8..8 + agents.len()], agents);
    assert_eq!(names[8 + agents.len()..], AGENTS);
    let params = |kind| -> Vec<(String, f64)> {
        registry
            .get(kind)
            .unwrap()
            .params
            .iter()
            .map(|p| (p.name.clone(), p.default))
            .collect()
    };
    let e = |v| vec![("e".to_string(), v)];
    assert_eq!(params("time-based"), e(1.0));
    assert_eq!(params("boulware"), e(0.2));
    assert_eq!(params("linear"), []);
    assert_eq!(params("conceder"), e(2.0));
    assert_eq!(params("hardliner"), []);
    assert_eq!(params("random"), []);
    assert_eq!(params("tit-for-tat"), [("factor".to_string(), 1.0)]);
    let components = |kind| -> Vec<String> {
        let k = registry.get(kind).unwrap();
        k.components
            .iter()
            .map(|c| format!("{}={}", c.name, c.default))
            .collect()
    };
    for kind in ["time-based", "boulware", "linear", "conceder"] {
        assert_eq!(components(kind), ["model=hardheaded-frequency"]);
    }
    assert_eq!(
        components("boa"),
        [
            "offer=time-dependent",
            "model=hardheaded-frequency",
            "oms=best-bid",
            "accept=ac-next"
        ]
    );
    assert!(registry.get("Boulware").is_none());
    for k in registry.list() {
        assert!(!k.summary.is_empty());
        for p in &k.params {
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
    for k in Registry::builtin().list() {
        specs.push(NegotiatorSpec::new(&k.name));
        for p in &k.params {
            specs.push(NegotiatorSpec::new(&k.name).with(&p.name, p.min));
            if p.max.is_finite() {
                specs.push(NegotiatorSpec::new(&k.name).with(&p.name, p.max));
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
    let unknown = NegotiatorSpec::new("no-such-agent");
    let msg = create(&unknown).err().unwrap().to_string();
    for k in KINDS.iter().chain(&AGENTS) {
        assert!(msg.contains(k), "{msg}");
    }
}

proptest! {
    /// A spec's text form parses back to the same spec.
    #[test]
    fn specs_round_trip(spec in any_spec()) {
        Registry::builtin().validate(&spec).unwrap();
        prop_assert_eq!(parse_spec(&spec.to_string()).unwrap(), spec);
    }
}

/// A kind that always offers its best outcome, declared here as a user would.
fn stubborn() -> KindEntry {
    KindEntry::new("stubborn", "never concedes", |_| Box::new(Hardliner::new()))
}

/// A user's time-dependent kind with a parameter range of its own.
fn patient() -> KindEntry {
    KindEntry::new("patient", "slow time-based", |p| {
        Box::new(TimeBased::new(p.get("pace") * p.get("scale")))
    })
    .param(ParamInfo::new("pace", 0.1, 0.0, 0.5, "concession exponent"))
    .param(ParamInfo::new("scale", 1.0, 1.0, 1.0, "kept at 1"))
    .exponent(Exponent::Param("pace".into()))
}

#[test]
fn kinds_of_ones_own_are_registered_after_the_built_in_ones() {
    let mut registry = Registry::builtin();
    registry.register(stubborn()).unwrap();
    let names: Vec<&str> = registry.list().iter().map(|k| k.name.as_str()).collect();
    assert_eq!(names[..8], KINDS);
    assert_eq!(names.last(), Some(&"stubborn"));
    let spec = registry.parse_spec("stubborn").unwrap();
    assert_eq!(spec, NegotiatorSpec::new("stubborn"));
    let s = linear_scenario(&[4, 3], &[Terms::default(); 2], 0.8, 3);
    let tables = ScenarioTables::for_scenario(&s);
    let negotiators = vec![
        registry.create(&spec).unwrap(),
        registry.create(&NegotiatorSpec::new("conceder")).unwrap(),
    ];
    let t = Saop::new(&s, &tables, negotiators, ProtocolConfig::new(20), 5).run();
    assert!(
        matches!(
            t.result.termination,
            Termination::Agreement | Termination::Deadline
        ),
        "{:?}",
        t.result.termination
    );
    // The error of an unknown kind lists the registry's own kinds.
    let msg = registry.parse_spec("nope").unwrap_err().to_string();
    let agents: Vec<&str> = detente_negotiators::boa::agents::names().collect();
    let tail = format!(
        "random, tit-for-tat, boa, {}, {}, stubborn",
        agents.join(", "),
        AGENTS.join(", ")
    );
    assert!(msg.ends_with(&tail), "{msg}");
    // The built-in registry is not changed by a clone's registration.
    assert!(Registry::builtin().get("stubborn").is_none());
    let clone = registry.clone();
    assert!(clone.get("stubborn").is_some());
}

#[test]
fn a_registry_refuses_a_second_kind_of_the_same_name() {
    let mut registry = Registry::new();
    registry.register(stubborn()).unwrap();
    let e = registry.register(stubborn()).unwrap_err();
    assert_eq!(
        e,
        RegisterError::DuplicateKind {
            noun: "negotiator",
            kind: "stubborn".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "negotiator kind `stubborn` is already registered"
    );
    let e = Registry::builtin()
        .register(Hardliner::entry())
        .unwrap_err();
    assert!(matches!(e, RegisterError::DuplicateKind { .. }), "{e}");
    assert_eq!(registry.list().len(), 1);
}

#[test]
fn a_registry_refuses_entries_a_spec_could_not_use() {
    let bad = |entry: KindEntry, problem: &str| {
        let e = Registry::new().register(entry).unwrap_err();
        assert!(matches!(e, RegisterError::InvalidEntry { .. }), "{e}");
        assert!(e.to_string().contains(problem), "{e}");
    };
    let named = |name: &str| KindEntry::new(name, "x", |_| Box::new(Hardliner::new()));
    bad(named(""), "a kind name must be");
    bad(named("a:b"), "a kind name must be");
    bad(named("a b"), "a kind name must be");
    bad(
        named("k").param(ParamInfo::new("x=1", 0.0, 0.0, 1.0, "")),
        "parameter `x=1`",
    );
    bad(
        named("k")
            .param(ParamInfo::new("x", 0.0, 0.0, 1.0, ""))
            .param(ParamInfo::new("x", 0.0, 0.0, 1.0, "")),
        "declared twice",
    );
    bad(
        named("k").param(ParamInfo::new("x", 2.0, 0.0, 1.0, "")),
        "the default 2 of parameter `x` is not a number in [0, 1]",
    );
    bad(
        named("k").exponent(Exponent::Param("e".into())),
        "its exponent is parameter `e`, which it does not declare",
    );
    bad(named("k").exponent(Exponent::Fixed(-1.0)), "fixed exponent");
    let mut ok = Registry::new();
    ok.register(named("my_kind.v2-b")).unwrap();
}

#[test]
fn a_kind_of_ones_own_checks_its_parameters() {
    let mut registry = Registry::builtin();
    registry.register(patient()).unwrap();
    let spec = registry.parse_spec("patient:pace=0.3").unwrap();
    assert_eq!(spec.to_string(), "patient:pace=0.3");
    assert!(registry.create(&spec).is_ok());
    let e = registry.parse_spec("patient:pace=0.6").unwrap_err();
    assert_eq!(
        e.to_string(),
        "parameter `pace` of negotiator `patient` must be a number in [0, 0.5], not 0.6"
    );
    let e = registry.parse_spec("patient:e=0.2").unwrap_err();
    assert_eq!(
        e.to_string(),
        "negotiator `patient` has no parameter `e`; known parameters: pace, scale"
    );
    let e = registry
        .create(&NegotiatorSpec::new("patient").with("scale", 2.0))
        .err()
        .unwrap();
    assert!(matches!(e, SpecError::OutOfRange { .. }), "{e}");
}

#[test]
fn the_time_dependent_family_is_known_from_the_entries() {
    let mut registry = Registry::builtin();
    registry.register(patient()).unwrap();
    let exponent = |text: &str| registry.exponent_of(&registry.parse_spec(text).unwrap());
    assert_eq!(exponent("time-based"), Some(1.0));
    assert_eq!(exponent("time-based:e=3"), Some(3.0));
    assert_eq!(exponent("boulware"), Some(0.2));
    assert_eq!(exponent("linear"), Some(1.0));
    assert_eq!(exponent("conceder:e=4"), Some(4.0));
    assert_eq!(exponent("patient"), Some(0.1));
    assert_eq!(exponent("hardliner"), None);
    assert_eq!(exponent("tit-for-tat"), None);
    let at = |text: &str, e: f64| {
        registry
            .at_exponent(&registry.parse_spec(text).unwrap(), e)
            .map(|s| s.to_string())
    };
    // A kind keeps itself when its exponent parameter allows the value.
    assert_eq!(at("boulware", 0.5).as_deref(), Some("boulware:e=0.5"));
    assert_eq!(
        at("patient:scale=1", 0.4).as_deref(),
        Some("patient:pace=0.4,scale=1")
    );
    // Otherwise the first kind that does plays it.
    assert_eq!(at("boulware", 1.5).as_deref(), Some("time-based:e=1.5"));
    assert_eq!(at("linear", 0.3).as_deref(), Some("time-based:e=0.3"));
    assert_eq!(at("hardliner", 2.0).as_deref(), Some("time-based:e=2"));
    let mut own = Registry::new();
    own.register(patient()).unwrap();
    own.register(stubborn()).unwrap();
    let stubborn_spec = NegotiatorSpec::new("stubborn");
    assert_eq!(
        own.at_exponent(&stubborn_spec, 0.2)
            .map(|s| s.to_string())
            .as_deref(),
        Some("patient:pace=0.2")
    );
    assert_eq!(own.at_exponent(&stubborn_spec, 2.0), None);
}

/// The presets' ranges are the closures of the classes the inspector reads: one definition.
#[test]
fn the_presets_agree_with_the_classes_of_the_tactic() {
    let registry = Registry::builtin();
    let e = |kind: &str| registry.get(kind).unwrap().param_info("e").unwrap().clone();
    let (boulware, conceder) = (e("boulware"), e("conceder"));
    assert_eq!((boulware.min, boulware.max), (0.0, LINEAR_EXPONENT));
    assert_eq!(
        (conceder.min, conceder.max),
        (LINEAR_EXPONENT, f64::INFINITY)
    );
    assert_eq!(Tactic::of_exponent(boulware.default), Tactic::Boulware);
    assert_eq!(Tactic::of_exponent(conceder.default), Tactic::Conceder);
    assert_eq!(
        registry.exponent_of(&NegotiatorSpec::new("linear")),
        Some(LINEAR_EXPONENT)
    );
    assert_eq!(Tactic::of_exponent(LINEAR_EXPONENT), Tactic::Linear);
    assert_eq!(Tactic::of_exponent(0.999), Tactic::Boulware);
    assert_eq!(Tactic::of_exponent(1.001), Tactic::Conceder);
    assert_eq!(Tactic::of_interval(0.3, 0.9), Tactic::Boulware);
    assert_eq!(Tactic::of_interval(0.8, 1.2), Tactic::Linear);
    assert_eq!(Tactic::of_interval(1.1, 3.0), Tactic::Conceder);
}
