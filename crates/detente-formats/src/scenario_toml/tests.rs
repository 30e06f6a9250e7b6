//! Reading every feature, located errors for bad files, and lossless round trips.

mod arb;

use std::path::Path;
use std::time::Duration;

use detente_core::dynamics::StallingRule;
use detente_core::{
    Change, Effect, MediatorSpec, Outcome, ProtocolKind, Scenario, Trigger, Utility,
    UtilityFunction,
};
use proptest::prelude::*;

use super::{load_str, to_string};
use crate::Result;

const GOOD: &str = r#"
format = 1
name = "deal"
description = "a test"

[protocol]
rounds = 20
time_limit = 2.5

[[issues]]
name = "price"
type = "integer"
min = 10
max = 20

[[issues]]
name = "colour"
values = ["red", "green", "blue"]

[[issues]]
name = "share"
type = "real"
min = 0.0
max = 1.0
steps = 5

[[parties]]
name = "buyer"
reservation = 0.2
discount = 0.9
negotiator = { kind = "time-based", e = 0.5 }
cap = 1.0
[parties.issues]
price = { weight = 0.5, linear = [1.0, 0.0] }
colour = { weight = 0.3, values = { red = 1.0, green = 0.5, blue = 0.0 } }
share = { weight = 0.2, triangular = { lower = 0.0, top = 0.5, upper = 1.0 } }

[[parties]]
name = "seller"
negotiator = "boulware"
[parties.table]
default = 0.1
outcomes = [ { at = { price = 20, colour = "red", share = 0.25 }, utility = 0.9 } ]

[[parties]]
name = "broker"
[parties.rectangles]
scale = 10.0
list = [ { utility = 5.0, bounds = { price = [10, 15], colour = ["green", "blue"] } } ]
"#;

fn load(text: &str) -> Result<Scenario> {
    load_str(text, Path::new("test.toml")).map(|l| l.scenario)
}

#[test]
fn reads_every_feature() {
    let s = load(GOOD).unwrap();
    assert_eq!(s.name, "deal");
    assert_eq!(s.protocol.deadline, 20);
    assert_eq!(s.protocol.time_limit, Some(Duration::from_secs_f64(2.5)));
    assert_eq!(s.space.count(), Some(11 * 3 * 5));
    let o = s
        .space
        .parse_assignment([("price", "12"), ("colour", "green"), ("share", "0.25")])
        .unwrap();
    let u = s.utilities(&o);
    let expect0 = 0.5 * (1.0 - 0.2) + 0.3 * 0.5 + 0.2 * 0.5;
    assert!((u[0] - expect0).abs() < 1e-12, "{u:?}");
    assert_eq!(u[1], 0.1);
    assert_eq!(u[2], 0.5);
    let top = s
        .space
        .parse_assignment([("price", "20"), ("colour", "red"), ("share", "0.25")])
        .unwrap();
    assert_eq!(s.utilities(&top)[1], 0.9);
    assert_eq!(
        s.parties[0].negotiator.as_ref().unwrap().to_string(),
        "time-based:e=0.5"
    );
    assert_eq!(s.parties[0].preferences.discount, 0.9);
}

/// Each bad input must fail with a message naming the file, the right line and the problem.
#[track_caller]
fn check_err(text: &str, line: usize, needle: &str) {
    match load(text) {
        Ok(_) => panic!("accepted a bad file, expected an error containing `{needle}`"),
        Err(e) => {
            let msg = e.to_string();
            assert!(
                msg.starts_with(&format!("test.toml:{line}:")),
                "wrong place: {msg}"
            );
            assert!(msg.contains(needle), "`{needle}` not in: {msg}");
        }
    }
}

const HEAD: &str = "format = 1\nname = \"x\"\n[[issues]]\nname = \"a\"\nvalues = [\"p\", \"q\"]\n";

#[test]
fn bad_files_give_located_errors() {
    check_err("format = 1\nname = \"x\"\n[[issues]\n", 3, "");
    check_err(&format!("{HEAD}colour = 3\n"), 6, "unknown field `colour`");
    check_err(
        "format = 2\nname = \"x\"\n",
        1,
        "unsupported format version 2",
    );
    let party = |body: &str| {
        format!(
            "{HEAD}[[parties]]\nname = \"A\"\n{body}\n[[parties]]\nname = \"B\"\nissues.a = {{ weight = 1, values = {{ p = 0, q = 1 }} }}\n"
        )
    };
    check_err(
        &party("issues.a = { weight = 1, values = { p = 0, r = 1 } }"),
        8,
        "has no value `r`",
    );
    check_err(
        &party("issues.a = { weight = 1, values = { p = 0 } }"),
        8,
        "value `q` has no score",
    );
    check_err(
        &party("issues.a = { weight = \"heavy\", values = { p = 0, q = 1 } }"),
        8,
        "invalid type",
    );
    check_err(
        &party("issues.b = { weight = 1, values = { p = 0, q = 1 } }"),
        8,
        "does not score issue `a`",
    );
    check_err(
        &party("reservation = 0.1"),
        6,
        "party `A` has no preferences",
    );
    check_err(
        &party("discount = 1.5\nissues.a = { weight = 1, values = { p = 0, q = 1 } }"),
        8,
        "discount factor",
    );
    check_err(
        &party("issues.a = { weight = 1, linear = [0, 1] }"),
        8,
        "is discrete",
    );
    let parties = "[[parties]]\nname = \"A\"\n[[parties]]\nname = \"B\"\n";
    check_err(
        &format!("{HEAD}[[issues]]\nname = \"a\"\nvalues = [\"z\"]\n{parties}"),
        6,
        "defined twice",
    );
    check_err(
        &format!("{HEAD}[[issues]]\nname = \"n\"\ntype = \"integer\"\nmin = 5\nmax = 1\n{parties}"),
        9,
        "above max",
    );
    check_err(
        &format!("{HEAD}[[issues]]\nname = \"n\"\ntype = \"real\"\nmin = 0\nmax = 1\n{parties}"),
        6,
        "needs `steps`",
    );
    check_err(
        &format!("{HEAD}[[issues]]\nname = \"n\"\ntype = \"fuzzy\"\n{parties}"),
        8,
        "unknown type `fuzzy`",
    );
    let one = format!(
        "{HEAD}[[parties]]\nname = \"A\"\nissues.a = {{ weight = 1, values = {{ p = 0, q = 1 }} }}\n"
    );
    check_err(&one, 6, "at least two parties");
}

const DYNAMIC: &str = r#"
format = 1
name = "talks"

[protocol]
rounds = 30
kind = "mediated"
strategy = "informed"
mediator = "US"
partial_agreements = true

[[issues]]
name = "ceasefire"
values = ["none", "energy", "full"]

[[issues]]
name = "deal"
values = ["no", "yes"]

[[constraints]]
name = "no deal without some ceasefire"
forbid = { ceasefire = "none", deal = "yes" }

[[parties]]
name = "US"
issues.ceasefire = { weight = 0.5, values = { none = 0, energy = 0.5, full = 1 } }
issues.deal = { weight = 0.5, values = { no = 0, yes = 1 } }
[[parties.interactions]]
name = "deal with a full ceasefire"
when = { ceasefire = "full", deal = ["yes"] }
utility = 0.2

[[parties]]
name = "UA"
issues.ceasefire = { weight = 1, values = { none = 0, energy = 0.3, full = 1 } }
issues.deal = { weight = 0, values = { no = 0, yes = 1 } }

[[events]]
name = "US walks"
trigger = { no_agreement_by = 10 }
effects = [ { leave = "US" }, { reservation = "UA", shift = -0.1 } ]

[[events]]
name = "pressure"
trigger = { stalling = "UA", window = 4, min_improvement = 0.05 }
effects = [ { unavailable = { ceasefire = "none" } }, { deadline = 40 }, { weight = "UA", issue = "deal", value = 0.2 } ]
"#;

#[test]
fn reads_dynamics() {
    let s = load(DYNAMIC).unwrap();
    assert_eq!(
        s.protocol.kind,
        ProtocolKind::Mediated {
            strategy: MediatorSpec::new("informed"),
            mediator: Some(0)
        }
    );
    assert!(s.protocol.partial_agreements);
    assert_eq!(s.space.constraints().len(), 1);
    assert!(!s.space.contains(&Outcome(vec![0, 1])));
    assert_eq!(s.space.outcomes(10).unwrap().count(), 5);
    assert_eq!(s.utilities(&Outcome(vec![2, 1]))[0], 1.2);
    assert_eq!(s.events.len(), 2);
    assert_eq!(s.events[0].trigger, Trigger::NoAgreementBy(10));
    assert_eq!(
        s.events[0].effects,
        vec![
            Effect::Leave {
                party: 0,
                end_talks: false
            },
            Effect::Reservation {
                party: 1,
                change: Change::Shift(-0.1)
            }
        ]
    );
    assert_eq!(
        s.events[1].trigger,
        Trigger::Stalling {
            party: 1,
            rule: StallingRule {
                window: 4,
                min_improvement: 0.05
            }
        }
    );
    assert_eq!(
        s.events[1].effects[0],
        Effect::Availability {
            issue: 0,
            value: 0,
            available: false
        }
    );
    let back = load(&to_string(&s).unwrap()).unwrap();
    assert_eq!(back.events, s.events);
    assert_eq!(back.protocol, s.protocol);
    assert_eq!(back.space, s.space);
}

#[test]
fn bad_dynamics_give_located_errors() {
    let bad = |from: &str, to: &str| {
        assert!(DYNAMIC.contains(from), "{from}");
        DYNAMIC.replacen(from, to, 1)
    };
    check_err(
        &bad("leave = \"US\"", "leave = \"EU\""),
        41,
        "names party `EU`, which is not in the scenario",
    );
    check_err(
        &bad("issue = \"deal\"", "issue = \"oil\""),
        46,
        "names issue `oil`",
    );
    check_err(
        &bad(
            "forbid = { ceasefire = \"none\", deal = \"yes\" }",
            "forbid = { deal = [\"no\", \"yes\"] }",
        ),
        20,
        "exclude every outcome",
    );
    check_err(
        &bad("mediator = \"US\"", "mediator = \"UN\""),
        9,
        "names party `UN`",
    );
    check_err(
        &bad(
            "values = [\"none\", \"energy\", \"full\"]",
            "values = [\"none\", \"energy\", \"full\"]\nstatus_quo = \"partial\"",
        ),
        15,
        "issue `ceasefire`: status_quo \"partial\" is not one of its values",
    );
    check_err(
        &bad("strategy = \"informed\"", "strategy = \"informed:=1\""),
        8,
        "invalid mediator spec `informed:=1`: a parameter name is missing",
    );
    check_err(
        &bad("no_agreement_by = 10", "when = 10"),
        40,
        "the trigger must be one of",
    );
    check_err(
        &bad("{ deadline = 40 }", "{ deadline = 0 }"),
        46,
        "`deadline` must be",
    );
    check_err(
        &bad("ceasefire = \"full\", deal", "ceasefire = \"total\", deal"),
        28,
        "is not a value of issue `ceasefire`",
    );
}

#[test]
fn never_panics_on_garbage() {
    for cut in 0..GOOD.len() {
        if GOOD.is_char_boundary(cut) {
            let _ = load(&GOOD[..cut]);
        }
    }
}

proptest! {
    #[test]
    fn round_trip_keeps_every_utility(s in arb::arb_scenario()) {
        let text = to_string(&s).unwrap();
        let back = load(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&back.space, &s.space);
        prop_assert_eq!(&back.description, &s.description);
        prop_assert_eq!(&back.protocol, &s.protocol);
        prop_assert_eq!(&back.events, &s.events);
        for (a, b) in s.parties.iter().zip(&back.parties) {
            prop_assert_eq!(&a.name, &b.name);
            prop_assert_eq!(a.preferences.reservation, b.preferences.reservation);
            prop_assert_eq!(a.preferences.discount, b.preferences.discount);
            prop_assert_eq!(&a.negotiator, &b.negotiator);
        }
        for o in s.space.outcomes(1000).unwrap() {
            let (u, v) = (s.utilities(&o), back.utilities(&o));
            for (x, y) in u.iter().zip(&v) {
                prop_assert!((x - y).abs() <= 1e-12, "{} vs {} at {:?}\n{}", x, y, o, text);
            }
        }
    }
}

#[test]
fn custom_utilities_cannot_be_written() {
    #[derive(Debug)]
    struct Mine;
    impl UtilityFunction for Mine {
        fn utility(&self, _: &Outcome) -> f64 {
            0.0
        }
    }
    let mut s = load(GOOD).unwrap();
    s.parties[1].preferences.utility = Utility::Custom(std::sync::Arc::new(Mine));
    assert!(
        to_string(&s)
            .unwrap_err()
            .to_string()
            .contains("given as code")
    );
}
