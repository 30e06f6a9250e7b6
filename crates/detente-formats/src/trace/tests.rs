//! Tests of reading, writing and replaying traces.

use std::path::Path;

use super::*;
use crate::error::Result;
use detente_core::{Actor, Outcome, Scenario, Termination};
use detente_core::{
    Evaluator, Issue, LinearAdditive, OutcomeSpace, Party, Preferences, ProtocolSettings, Utility,
};

fn scenario() -> Scenario {
    let space = OutcomeSpace::new(vec![
        Issue::discrete("color", ["red", "green", "blue"]),
        Issue::integer("price", 1, 5),
    ])
    .unwrap();
    let party = |name: &str, scores: Vec<f64>, slope: f64, intercept: f64| {
        let u = LinearAdditive::new(
            &space,
            vec![0.5, 0.5],
            vec![
                Evaluator::Table(scores),
                Evaluator::Linear {
                    slope,
                    intercept,
                    origin: 1.0,
                    clamp: true,
                },
            ],
            None,
        )
        .unwrap();
        Party {
            name: name.into(),
            preferences: Preferences {
                reservation: 0.2,
                ..Preferences::new(Utility::LinearAdditive(u))
            },
            negotiator: None,
        }
    };
    Scenario {
        compliance: Default::default(),
        name: "colors".into(),
        description: String::new(),
        parties: vec![
            party("A", vec![1.0, 0.5, 0.0], 0.25, 0.0),
            party("B", vec![0.0, 0.5, 1.0], -0.25, 1.0),
            party("C", vec![0.5, 1.0, 0.5], 0.0, 0.5),
        ],
        space,
        protocol: ProtocolSettings {
            deadline: 10,
            time_limit: None,
            ..Default::default()
        },
        events: Vec::new(),
    }
}

fn csv(text: &str) -> Result<RecordedTrace> {
    record_from_csv_str(text, Path::new("talks.csv"), &scenario())
}

#[test]
fn csv_with_offer_column_reaches_agreement() {
    let r = csv("round,party,action,offer,note\n\
         # a comment\n\
         1,A,offer,color=red;price=5,\"Geneva, day 1\"\n\
         1,B,offer,color=blue; price=1,\n\
         2,A,offer,color=green;price=3,\n\
         2,B,accept,,\n\
         2,C,accept,,\n")
    .unwrap();
    assert!(r.finished);
    assert_eq!(r.trace.result.termination, Termination::Agreement);
    assert_eq!(r.trace.result.agreement, Some(Outcome(vec![1, 2])));
    assert_eq!(r.trace.entries.len(), 5);
    assert_eq!(r.notes[0].as_deref(), Some("Geneva, day 1"));
    // Utilities recomputed: A's utility of (green, 3) = 0.5*0.5 + 0.5*0.5.
    assert_eq!(r.trace.entries[2].utilities[0], 0.5);
    // Time of B's turn in round 2 (index 1): (1*3 + 1) / (10*3).
    assert!((r.trace.entries[3].time - 4.0 / 30.0).abs() < 1e-15);
}

#[test]
fn csv_with_issue_columns_and_open_record() {
    let r = csv("round,party,action,color,price\n1,A,offer,red,5\n1,C,offer,green,3\n").unwrap();
    assert!(!r.finished);
    assert_eq!(r.trace.entries[1].actor, Actor::Party(2));
    assert_eq!(r.trace.result.agreement, None);
}

fn err(r: Result<RecordedTrace>) -> String {
    r.unwrap_err().to_string()
}

#[test]
fn csv_errors_are_located() {
    let cases = [
        (
            "round,party,action,offer\n1,D,offer,color=red;price=1\n",
            "talks.csv:2:1: there is no party `D`",
        ),
        (
            "round,party,action,offer\n1,A,offer,colour=red;price=1\n",
            "talks.csv:2:1: there is no issue `colour`",
        ),
        (
            "round,party,action,offer\n1,A,offer,color=pink;price=1\n",
            "`pink` is not a value of issue `color` (values: red, green, blue)",
        ),
        (
            "round,party,action,offer\n1,A,offer,color=red;price=9\n",
            "`9` is not a value of issue `price` (an integer from 1 to 5)",
        ),
        (
            "round,party,action,offer\n1,A,offer,color=red\n",
            "talks.csv:2:1: the offer gives no value for issue `price`",
        ),
        (
            "round,party,action,offer\n\n1,A,accept,\n",
            "talks.csv:3:1: A accepts, but no offer is standing",
        ),
        (
            "round,party,action,offer\n1,B,offer,color=red;price=1\n1,A,offer,color=red;price=1\n",
            "talks.csv:3:1: A acts in round 1 after B",
        ),
        (
            "round,party,action,offer\n0,A,offer,color=red;price=1\n",
            "rounds in a record count from 1",
        ),
        (
            "round,party,action,offer\n11,A,offer,color=red;price=1\n",
            "past the deadline of 10 rounds",
        ),
        (
            "round,party,action,offer\n1,A,shout,\n",
            "unknown action `shout`",
        ),
        (
            "round,party,action,bogus\n",
            "talks.csv:1:1: unknown column `bogus`",
        ),
        (
            "round,party,action,offer\n1,A,end,\n2,B,offer,color=red;price=1\n",
            "B acts after the talks ended",
        ),
        (
            "round,party,action,offer\n1,A,offer,color=red;price=1\n1,B,accept,color=blue;price=1\n",
            "B accepts color=blue",
        ),
    ];
    for (text, expect) in cases {
        let e = err(csv(text));
        assert!(e.contains(expect), "{e}\n  does not contain\n{expect}");
    }
}

#[test]
fn toml_record_and_errors() {
    let s = scenario();
    let ok = r#"
scenario = "colors"
[[actions]]
round = 1
party = "A"
action = "offer"
offer = { color = "red", price = 4 }
note = "opening"
[[actions]]
round = 1
party = "B"
action = "accept"
[[actions]]
round = 1
party = "C"
action = "accept"
"#;
    let r = record_from_toml_str(ok, Path::new("t.toml"), &s).unwrap();
    assert_eq!(r.trace.result.termination, Termination::Agreement);
    assert_eq!(r.trace.result.agreement, Some(Outcome(vec![0, 3])));
    let bad = ok.replace("price = 4", "price = 4, size = 2");
    let e = record_from_toml_str(&bad, Path::new("t.toml"), &s)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("t.toml:3:1: there is no issue `size`"), "{e}");
    let bad = ok.replace("\"colors\"", "\"other\"");
    let e = record_from_toml_str(&bad, Path::new("t.toml"), &s)
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("t.toml:2:12: the record is of scenario `other`"),
        "{e}"
    );
    let bad = ok.replace("party = \"B\"", "party = \"Z\"");
    let e = record_from_toml_str(&bad, Path::new("t.toml"), &s)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("t.toml:9:1: there is no party `Z`"), "{e}");
}

/// A JSON trace read and replayed against `s`.
fn read(text: &str, s: &Scenario) -> Result<RecordedTrace> {
    let origin = Path::new("t.json");
    TraceDoc::from_json_str(text, origin).and_then(|doc| replay(&doc, s, origin))
}

#[test]
fn json_round_trip_of_a_written_trace() {
    use detente_core::protocol::{Protocol, ProtocolConfig, Saop};
    use detente_core::{Action, Negotiator, NegotiatorError, SessionInfo, State};
    struct Script(Vec<Action>, usize);
    impl Negotiator for Script {
        fn init(&mut self, _: &SessionInfo<'_>) -> std::result::Result<(), NegotiatorError> {
            Ok(())
        }
        fn act(&mut self, _: &State<'_>) -> Action {
            let a = self.0[self.1.min(self.0.len() - 1)].clone();
            self.1 += 1;
            a
        }
    }
    let s = scenario();
    let tables = detente_core::ScenarioTables::for_scenario(&s);
    let o = |c, p| Action::Offer(Outcome(vec![c, p]));
    let negs: Vec<Box<dyn Negotiator>> = vec![
        Box::new(Script(vec![o(0, 4), o(1, 2)], 0)),
        Box::new(Script(vec![o(2, 0), Action::Accept], 0)),
        Box::new(Script(vec![o(1, 1), Action::Accept], 0)),
    ];
    let trace = Saop::new(&s, &tables, negs, ProtocolConfig::new(10), 3).run();
    let names = vec!["x".to_string(); 3];
    let json = trace_doc(&s, &trace, &names, None).to_json();
    let back = read(&json, &s).unwrap();
    assert_eq!(back.trace, trace);
    assert!(back.finished);
    // A trace of another scenario is refused, with the place.
    let mut other = s.clone();
    other.parties[2].name = "D".into();
    let e = read(&json, &other).unwrap_err().to_string();
    assert!(
        e.starts_with("t.json: $.parties: the trace's parties (A, B, C)"),
        "{e}"
    );
    let bad = json.replace("\"color\": \"green\"", "\"color\": \"mauve\"");
    let e = read(&bad, &s).unwrap_err().to_string();
    assert!(
        e.contains("actions[2] (round 1): `mauve` is not a value of issue `color`"),
        "{e}"
    );
    let e = read("{\"format\": 3", &s).unwrap_err().to_string();
    assert!(e.starts_with("t.json:1:"), "{e}");
}

/// A small valid trace document as JSON.
fn base_json() -> serde_json::Value {
    serde_json::json!({
        "format": "detente-trace/1", "scenario": "s", "issues": ["x"],
        "parties": [{"name": "A", "reservation": 0.0}, {"name": "B", "reservation": 0.0}],
        "seed": 1, "deadline": 3,
        "actions": [{"round": 0, "time": 0.0, "party": "A", "action": "offer", "offer": {"x": 1}, "utilities": {"A": 1.0, "B": 0.0}}],
        "result": {"termination": "deadline", "agreement": null, "rounds": 3, "time": 1.0, "utilities": {"A": 0.0, "B": 0.0}}
    })
}

#[test]
fn bad_trace_documents_are_reported_with_their_place() {
    let check = |doc: serde_json::Value, expect: &str| {
        let e = TraceDoc::from_json_str(&doc.to_string(), Path::new("t.json"))
            .unwrap_err()
            .to_string();
        assert!(e.contains(expect), "{e}\n  does not contain\n{expect}");
    };
    let doc = TraceDoc::from_json_str(&base_json().to_string(), Path::new("t.json")).unwrap();
    // Defaults for what older or hand-made traces leave out.
    assert_eq!(doc.parties[0].discount, 1.0);
    assert_eq!(doc.parties[0].negotiator, "");
    assert_eq!(doc.protocol, ProtocolDoc::default());
    assert!(doc.events.is_empty());
    assert_eq!(
        doc.actions[0].offer.as_ref().unwrap()["x"],
        IssueValue::Integer(1)
    );
    let mut d = base_json();
    d["actions"][0]["party"] = "C".into();
    check(
        d,
        "t.json: $.actions[0].party: `C` is not a party of this trace",
    );
    let mut d = base_json();
    d["actions"][0]["action"] = "shout".into();
    check(d, "$.actions[0].action: unknown variant `shout`");
    let mut d = base_json();
    d["actions"][0]["utilities"] = serde_json::json!({"A": 1.0});
    check(d, "t.json: $.actions[0].utilities: no value for party `B`");
    let mut d = base_json();
    d["actions"][0]["time"] = "soon".into();
    check(d, "t.json:1:");
    let mut d = base_json();
    d["actions"][0]["time"] = "soon".into();
    check(
        d,
        "$.actions[0].time: invalid type: string \"soon\", expected f64",
    );
    let mut d = base_json();
    d["actions"][0]["offer"]["x"] = true.into();
    check(
        d,
        "$.actions[0].offer.x: invalid type: boolean `true`, expected a string or a number",
    );
    let mut d = base_json();
    d["result"].as_object_mut().unwrap().remove("rounds");
    check(d, "$.result.rounds: missing");
    let mut d = base_json();
    d["parties"][1]["name"] = "A".into();
    check(d, "$.parties[1]: party `A` is listed twice");
    let mut d = base_json();
    d["format"] = "other/1".into();
    check(d, "t.json: $.format: unsupported trace format `other/1`");
    let mut d = base_json();
    d.as_object_mut().unwrap().remove("format");
    check(d, "t.json: $.format: missing: not a detente trace");
    check(
        serde_json::json!([1, 2]),
        "t.json:1:1: $: expected a JSON object, not an array",
    );
    check(
        serde_json::json!("x"),
        "t.json:1:3: $: invalid type: string \"x\", expected a JSON object",
    );
}

#[test]
fn a_written_trace_reads_back_as_the_same_document() {
    use detente_core::protocol::{Protocol, ProtocolConfig, Saop};
    use detente_core::{Action, Negotiator, NegotiatorError, SessionInfo, State};
    struct Stubborn;
    impl Negotiator for Stubborn {
        fn init(&mut self, _: &SessionInfo<'_>) -> std::result::Result<(), NegotiatorError> {
            Ok(())
        }
        fn act(&mut self, _: &State<'_>) -> Action {
            Action::Offer(Outcome(vec![0, 4]))
        }
    }
    let s = scenario();
    let tables = detente_core::ScenarioTables::for_scenario(&s);
    let negs: Vec<Box<dyn Negotiator>> =
        vec![Box::new(Stubborn), Box::new(Stubborn), Box::new(Stubborn)];
    let trace = Saop::new(&s, &tables, negs, ProtocolConfig::new(4), 9).run();
    let doc = trace_doc(&s, &trace, &["a".into(), "b".into(), "c".into()], None);
    doc.check().unwrap();
    let text = doc.to_json();
    let back = TraceDoc::from_json_str(&text, Path::new("t.json")).unwrap();
    assert_eq!(back, doc);
    assert_eq!(back.to_json(), text);
    // Keys come in alphabetical order, as they always have.
    let keys: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  \"") && !l.starts_with("   "))
        .map(|l| l.trim().split('"').nth(1).unwrap())
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(keys, sorted);
    assert_eq!(
        back.actions[0].offer.as_ref().unwrap()["color"],
        IssueValue::Text("red".into())
    );
    assert_eq!(back.result.termination, TerminationKind::Deadline);
}

#[test]
fn faults_and_walk_outs_read_back() {
    let mut d = base_json();
    d["result"]["termination"] = "agent-error".into();
    d["result"]["ended_by"] = "B".into();
    d["result"]["error"] = "took 12 ms for one step, over its budget".into();
    let doc = TraceDoc::from_json_str(&d.to_string(), Path::new("t.json")).unwrap();
    assert_eq!(doc.result.termination, TerminationKind::NegotiatorFault);
    assert_eq!(doc.result.termination.as_str(), "negotiator-fault");
}

/// The document `to_json` writes, and the same document streamed action by action.
fn written_and_streamed(trace: &detente_core::Trace, doc: &TraceDoc) -> (String, String) {
    let s = scenario();
    let mut stream = TraceStream::new(Vec::new(), &s);
    for e in &trace.entries {
        stream.action(&s, e).unwrap();
    }
    let streamed = String::from_utf8(stream.finish(doc).unwrap()).unwrap();
    (format!("{}\n", doc.to_json()), streamed)
}

#[test]
fn a_streamed_trace_is_byte_identical_to_the_written_one() {
    let r = csv("round,party,action,offer,note\n\
         1,A,offer,color=red;price=5,\n\
         1,B,offer,color=blue;price=1,\n\
         2,A,offer,color=green;price=3,\n\
         2,B,accept,,\n\
         2,C,accept,,\n")
    .unwrap();
    let names = vec!["boulware:e=0.2".to_string(); 3];
    let mut doc = trace_doc(&scenario(), &r.trace, &names, None);
    doc.events.push(EventDoc {
        round: 1,
        name: "an event".into(),
        description: "said \"so\"\non two lines".into(),
        cause: Some(super::CauseDoc::MediatorNotice),
        effect: None,
        changed: false,
    });
    doc.events.push(EventDoc {
        round: 2,
        name: "deadline moves".into(),
        description: String::new(),
        cause: None,
        effect: Some(super::EffectDoc::Deadline { rounds: 9 }),
        changed: true,
    });
    let (written, streamed) = written_and_streamed(&r.trace, &doc);
    assert_eq!(streamed, written);
    // No action at all: `"actions": []`, as written.
    let mut empty = r.trace.clone();
    empty.entries.clear();
    let doc = trace_doc(&scenario(), &empty, &names, None);
    let (written, streamed) = written_and_streamed(&empty, &doc);
    assert!(written.contains("\"actions\": []"));
    assert_eq!(streamed, written);
}

/// The colours scenario as mediated talks, `mediator` mediating (a party's index, or `None`
/// for a neutral mediator).
fn mediated(mediator: Option<usize>) -> Scenario {
    let mut s = scenario();
    s.protocol.kind = detente_core::ProtocolKind::Mediated {
        strategy: detente_core::MediatorSpec::new("informed"),
        mediator,
    };
    s
}

fn mediated_record(actions: &str, s: &Scenario) -> Result<RecordedTrace> {
    record_from_toml_str(actions, Path::new("talks.toml"), s)
}

const TEXT_RED: &str = r#"offer = { color = "red", price = 3 }"#;
const TEXT_BLUE: &str = r#"offer = { color = "blue", price = 2 }"#;

#[test]
fn a_record_of_mediated_talks_is_read_with_its_texts_and_votes() {
    // A mediates; B and C vote. Round 1: B accepts, C counters. Round 2: both accept.
    let s = mediated(Some(0));
    let text = format!(
        "[[actions]]\nround = 1\nparty = \"A\"\naction = \"propose\"\n{TEXT_RED}\n\
         [[actions]]\nround = 1\nparty = \"B\"\naction = \"accept\"\n\
         [[actions]]\nround = 1\nparty = \"C\"\naction = \"offer\"\n{TEXT_BLUE}\n\
         [[actions]]\nround = 2\nparty = \"A\"\naction = \"propose\"\n{TEXT_BLUE}\n\
         [[actions]]\nround = 2\nparty = \"B\"\naction = \"accept\"\n\
         [[actions]]\nround = 2\nparty = \"C\"\naction = \"accept\"\n"
    );
    let r = mediated_record(&text, &s).unwrap();
    let kinds: Vec<_> = r.trace.entries.iter().map(|e| (e.actor, e.kind)).collect();
    use detente_core::ActionKind::{Accept, Offer, Propose};
    assert_eq!(
        kinds,
        [
            (Actor::Party(0), Propose),
            (Actor::Party(1), Accept),
            (Actor::Party(2), Offer),
            (Actor::Party(0), Propose),
            (Actor::Party(1), Accept),
            (Actor::Party(2), Accept),
        ]
    );
    assert!(r.finished);
    assert_eq!(r.trace.result.termination, Termination::Agreement);
    let blue = Outcome(vec![2, 1]);
    assert_eq!(r.trace.result.agreement, Some(blue.clone()));
    assert_eq!(r.trace.entries[5].outcome, Some(blue));
    assert_eq!(r.trace.result.rounds_used, 2);
}

#[test]
fn a_neutral_mediator_is_named_mediator_and_every_party_votes() {
    let s = mediated(None);
    let text = format!(
        "[[actions]]\nround = 1\nparty = \"mediator\"\naction = \"propose\"\n{TEXT_RED}\n\
         [[actions]]\nround = 1\nparty = \"A\"\naction = \"accept\"\n\
         [[actions]]\nround = 1\nparty = \"B\"\naction = \"accept\"\n"
    );
    let r = mediated_record(&text, &s).unwrap();
    assert_eq!(r.trace.entries[0].actor, Actor::Mediator);
    assert!(!r.finished, "C has not voted: no agreement yet");
    assert_eq!(r.trace.result.agreement, None);
}

#[test]
fn mediated_records_that_break_the_rules_are_located_errors() {
    let s = mediated(Some(0));
    let propose =
        format!("[[actions]]\nround = 1\nparty = \"A\"\naction = \"propose\"\n{TEXT_RED}\n");
    let cases = [
        (
            format!("{propose}[[actions]]\nround = 2\nparty = \"B\"\naction = \"accept\"\n"),
            "talks.toml:6:1: B accepts, but no text was tabled in round 2",
        ),
        (
            format!(
                "{propose}[[actions]]\nround = 1\nparty = \"B\"\naction = \"propose\"\n{TEXT_RED}\n"
            ),
            "talks.toml:6:1: B proposes a text, but only the mediator tables texts",
        ),
        (
            format!(
                "{propose}[[actions]]\nround = 2\nparty = \"A\"\naction = \"offer\"\n{TEXT_RED}\n"
            ),
            "talks.toml:6:1: A mediates: its actions are the texts it tables (`propose`), not `offer`",
        ),
        (
            format!(
                "{propose}[[actions]]\nround = 1\nparty = \"C\"\naction = \"accept\"\n[[actions]]\nround = 1\nparty = \"B\"\naction = \"accept\"\n"
            ),
            "talks.toml:10:1: B acts in round 1 out of turn",
        ),
        (
            format!(
                "{propose}[[actions]]\nround = 1\nparty = \"B\"\naction = \"accept\"\n{TEXT_BLUE}\n"
            ),
            "talks.toml:6:1: B accepts color=blue, price=2, but the text on the table is color=red, price=3",
        ),
    ];
    for (text, expected) in cases {
        let e = err(mediated_record(&text, &s));
        assert!(e.starts_with(expected), "{e}\nexpected: {expected}");
    }
}
