//! Reading every shape of sweep JSON, and writing the document.

use std::path::Path;

use super::*;

fn read(doc: serde_json::Value) -> Result<SweepDoc> {
    SweepDoc::from_json_str(&doc.to_string(), Path::new("s.json"))
}

fn err(doc: serde_json::Value) -> String {
    read(doc).unwrap_err().to_string()
}

#[test]
fn reads_the_parameter_shape() {
    let d = read(serde_json::json!({
        "format": "detente-sweep/1",
        "parameter": "e",
        "points": [
            {"value": 0.5, "runs": 10, "agreement_rate": 0.6, "agreement_rate_ci": [0.85, 0.3],
             "utilities": {"A": {"mean": 0.5, "ci": [0.4, 0.6]}, "B": 0.4}},
            {"value": 0.1, "agreement_rate": {"mean": 0.9, "ci": [0.7, 0.97]},
             "utilities": {"A": 0.7}}
        ]
    }))
    .unwrap();
    assert_eq!(d.format, SWEEP_FORMAT);
    assert_eq!(d.axes[0].param, "e");
    assert_eq!(d.axes[0].values, [0.5, 0.1]);
    assert_eq!(d.points[0].values["e"], 0.5);
    assert_eq!(d.points[0].runs, Some(10));
    // Intervals are read as [low, high] whichever way round they are written.
    assert_eq!(d.points[0].agreement_rate_ci95, Some([0.3, 0.85]));
    assert_eq!(d.points[1].agreement_rate, Some(0.9));
    assert_eq!(d.points[1].agreement_rate_ci95, Some([0.7, 0.97]));
    assert_eq!(d.points[0].utilities["A"].ci95, Some([0.4, 0.6]));
    assert_eq!(
        d.points[0].utilities["B"],
        Estimate {
            mean: 0.4,
            ci95: None
        }
    );
    assert!(!d.points[1].utilities.contains_key("B"));
}

#[test]
fn reads_the_inspect_shape() {
    let d = read(serde_json::json!({
        "parties": ["A", "B"],
        "axes": [{"name": "reservation.B", "values": [0.1, 0.2]}],
        "points": [
            {"values": [0.2], "runs": 4, "rate": 0.5, "rate_ci": [0.15, 0.85],
             "utilities": [{"mean": 0.5, "ci": [0.25, 0.75]}, {"mean": 0.25, "ci": null}]},
            {"values": [0.1], "runs": 4, "rate": 1.0, "rate_ci": [0.5, 1.0],
             "utilities": [0.5, 0.5]}
        ]
    }))
    .unwrap();
    assert_eq!(d.parties, ["A", "B"]);
    assert_eq!(d.axes[0].param, "reservation.B");
    assert_eq!(d.points[0].values["reservation.B"], 0.2);
    assert_eq!(d.points[0].utilities["A"].ci95, Some([0.25, 0.75]));
    assert_eq!(d.points[0].utilities["B"].ci95, None);
    assert_eq!(d.points[1].agreement_rate, Some(1.0));
    assert_eq!(d.points[1].agreement_rate_ci95, Some([0.5, 1.0]));
}

#[test]
fn reads_the_sweep_command_output_and_writes_it_back() {
    // The shape `detente sweep --json` wrote before it named its format.
    let old = serde_json::json!({
        "axes": [{"param": "reservation.Bob", "values": [0.1, 0.3]}],
        "seeds": 2, "seed": 1, "jitter": 0.0,
        "points": [
            {"values": {"reservation.Bob": 0.1}, "runs": 2, "agreements": 2,
             "agreement_rate": 1.0, "agreement_rate_ci95": [0.3, 1.0], "mean_rounds": 3.0,
             "utilities": {"Alice": {"mean": 0.5, "ci95": null}, "Bob": {"mean": 0.5, "ci95": null}},
             "welfare": {"mean": 1.0, "ci95": null}},
            {"values": {"reservation.Bob": 0.3}, "runs": 2, "agreements": 1,
             "agreement_rate": 0.5, "agreement_rate_ci95": [0.1, 0.9], "mean_rounds": 4.0,
             "utilities": {"Alice": {"mean": 0.5, "ci95": [0.25, 0.75]}, "Bob": {"mean": 0.25, "ci95": null}},
             "welfare": {"mean": 0.75, "ci95": null}}
        ]
    });
    let d = read(old.clone()).unwrap();
    assert_eq!(d.seeds, Some(2));
    assert_eq!(d.points[1].agreements, Some(1));
    assert_eq!(d.points[1].mean_rounds, Some(4.0));
    assert_eq!(d.points[1].welfare.unwrap().mean, 0.75);
    assert_eq!(d.points[1].utilities["Alice"].ci95, Some([0.25, 0.75]));
    // Written back, it is the same JSON with its format named.
    let mut expected = old;
    expected["format"] = SWEEP_FORMAT.into();
    assert_eq!(
        d.to_json(),
        serde_json::to_string_pretty(&expected).unwrap()
    );
    assert_eq!(read(expected).unwrap(), d);
}

#[test]
fn bad_sweeps_are_located() {
    assert_eq!(
        err(serde_json::json!({"parameter": "e", "points": [{"value": "x"}]})),
        "s.json:1:39: $.points[0].value: invalid type: string \"x\", expected f64"
    );
    assert!(
        err(serde_json::json!({"parameter": "e", "points": [{"runs": 3}]}))
            .contains("$.points[0].value: expected a number")
    );
    let e = err(serde_json::json!({"points": []}));
    assert!(e.contains(": $.parameter: missing"), "{e}");
    let e = err(serde_json::json!({"format": "detente-trace/1", "parameter": "e", "points": []}));
    assert!(
        e.contains("$.format: `detente-trace/1` is not a sweep result"),
        "{e}"
    );
    let e = err(serde_json::json!({"parameter": "e"}));
    assert!(e.contains("$.points: missing"), "{e}");
    let e = err(serde_json::json!({"parameter": "e", "points": [{"value": 1, "utilities": 3}]}));
    assert!(
        e.contains("$.points[0].utilities: invalid type: integer `3`, expected an object by name, or an array in order"),
        "{e}"
    );
    let e = err(
        serde_json::json!({"parameter": "e", "points": [{"value": 1, "utilities": {"A": "x"}}]}),
    );
    assert!(
        e.contains("$.points[0].utilities.A: invalid type: string \"x\", expected a number or an object with `mean` and `ci`"),
        "{e}"
    );
    let e = err(
        serde_json::json!({"parties": ["A"], "axes": [{"name": "e"}],
        "points": [{"values": [1], "utilities": [0.5, 0.5]}]}),
    );
    assert!(
        e.contains("$.points[0].utilities: 2 values for 1 parties"),
        "{e}"
    );
    let e = err(serde_json::json!({"axes": [{"param": "e"}], "points": [{"values": {"f": 1}}]}));
    assert!(
        e.contains("$.points[0].values: no value for parameter `e`"),
        "{e}"
    );
}
