//! Parameter sweeps: the swept parameter against the agreement rate and each party's mean
//! utility, with 95% bands. Read from a sweep result in JSON (schema in `docs/report.md`).

use serde_json::Value as Json;

use crate::error::{ReportError, Result};
use crate::layout::{LegendItem, Rect, Scale, Swatch, nice_domain};
use crate::plot::{draw_axes, draw_legend, draw_title};
use crate::svg::{Svg, colour, esc};

/// A value with an optional 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The mean or rate.
    pub mean: f64,
    /// Its 95% interval.
    pub ci: Option<[f64; 2]>,
}

/// One setting of the parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepPoint {
    /// The parameter's value.
    pub value: f64,
    /// Negotiations run at this value.
    pub runs: Option<u64>,
    /// Share of them that ended in agreement, in [0, 1].
    pub agreement_rate: Option<Estimate>,
    /// Mean final utility of each party (in `SweepData::parties` order).
    pub utilities: Vec<Option<Estimate>>,
}

/// A sweep result.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepData {
    /// Name of the swept parameter.
    pub parameter: String,
    /// Scenario name, if given.
    pub scenario: Option<String>,
    /// Parties whose utilities are reported.
    pub parties: Vec<String>,
    /// Points, by increasing value.
    pub points: Vec<SweepPoint>,
}

fn estimate(v: &Json, at: &str) -> Result<Estimate> {
    let bad = |m: &str| ReportError::Input {
        at: at.to_string(),
        message: m.to_string(),
    };
    match v {
        Json::Number(x) => Ok(Estimate {
            mean: x.as_f64().ok_or_else(|| bad("not a finite number"))?,
            ci: None,
        }),
        Json::Object(m) => {
            let mean = m
                .get("mean")
                .or_else(|| m.get("rate"))
                .or_else(|| m.get("value"))
                .and_then(Json::as_f64)
                .ok_or_else(|| bad("expected `mean` (a number)"))?;
            let ci = match m.get("ci").or_else(|| m.get("ci95")) {
                None | Some(Json::Null) => None,
                Some(c) => Some(pair(c, &format!("{at}.ci"))?),
            };
            Ok(Estimate { mean, ci })
        }
        _ => Err(bad("expected a number or an object with `mean` and `ci`")),
    }
}

fn pair(v: &Json, at: &str) -> Result<[f64; 2]> {
    match v.as_array().map(Vec::as_slice) {
        Some([a, b]) => match (a.as_f64(), b.as_f64()) {
            (Some(a), Some(b)) => Ok([a.min(b), a.max(b)]),
            _ => Err(ReportError::Input {
                at: at.into(),
                message: "expected two numbers".into(),
            }),
        },
        _ => Err(ReportError::Input {
            at: at.into(),
            message: "expected [low, high]".into(),
        }),
    }
}

impl SweepData {
    /// The result of a one-axis sweep run by `detente-inspect`.
    pub fn from_inspect(r: &detente_inspect::SweepResult) -> Result<Self> {
        let [axis] = r.axes.as_slice() else {
            return Err(ReportError::Unsupported(format!(
                "a sweep over {} axes: sweep plots draw one axis (run one sweep per axis)",
                r.axes.len()
            )));
        };
        let mut points: Vec<SweepPoint> = r
            .points
            .iter()
            .map(|p| SweepPoint {
                value: p.values.first().copied().unwrap_or(f64::NAN),
                runs: Some(p.runs as u64),
                agreement_rate: Some(Estimate {
                    mean: p.rate,
                    ci: Some(p.rate_ci),
                }),
                utilities: p
                    .utilities
                    .iter()
                    .map(|u| {
                        Some(Estimate {
                            mean: u.mean,
                            ci: u.ci,
                        })
                    })
                    .collect(),
            })
            .collect();
        points.sort_by(|a, b| a.value.total_cmp(&b.value));
        if points.is_empty() {
            return Err(ReportError::Unsupported("the sweep has no points".into()));
        }
        Ok(SweepData {
            parameter: axis.name.clone(),
            scenario: None,
            parties: r.parties.clone(),
            points,
        })
    }

    /// Reads a sweep result in JSON (see `docs/report.md`): either detente's own form
    /// (`parameter`, and `points` with `value`, `agreement_rate`, `utilities` by party name)
    /// or a serialised `detente_inspect::SweepResult` (`parties`, one entry in `axes`, and
    /// `points` with `values`, `rate`, `rate_ci`, `utilities` in party order).
    pub fn from_json(doc: &Json) -> Result<Self> {
        let bad = |at: &str, m: &str| ReportError::Input {
            at: at.to_string(),
            message: m.to_string(),
        };
        let obj = doc
            .as_object()
            .ok_or_else(|| bad("$", "expected a JSON object"))?;
        if let Some(f) = obj.get("format").and_then(Json::as_str)
            && !f.starts_with("detente-sweep/")
        {
            return Err(bad("$.format", &format!("`{f}` is not a sweep result")));
        }
        let parameter = match (obj.get("parameter"), obj.get("axes")) {
            (Some(p), _) => p
                .as_str()
                .ok_or_else(|| bad("$.parameter", "expected a string"))?
                .to_string(),
            (None, Some(axes)) => {
                let axes = axes
                    .as_array()
                    .ok_or_else(|| bad("$.axes", "expected an array"))?;
                if axes.len() != 1 {
                    return Err(bad(
                        "$.axes",
                        &format!(
                            "a sweep over {} axes: sweep plots draw one axis",
                            axes.len()
                        ),
                    ));
                }
                axes[0]
                    .get("name")
                    .or_else(|| axes[0].get("param"))
                    .and_then(Json::as_str)
                    .ok_or_else(|| bad("$.axes[0].name", "expected a string"))?
                    .to_string()
            }
            (None, None) => {
                return Err(bad(
                    "$.parameter",
                    "missing: the name of the swept parameter",
                ));
            }
        };
        let list = obj
            .get("points")
            .and_then(Json::as_array)
            .ok_or_else(|| bad("$.points", "missing: an array of points"))?;
        let mut parties: Vec<String> = obj
            .get("parties")
            .and_then(Json::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Json::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        // Parties named in any point, in order of first appearance.
        for p in list {
            if let Some(m) = p.get("utilities").and_then(Json::as_object) {
                for k in m.keys() {
                    if !parties.contains(k) {
                        parties.push(k.clone());
                    }
                }
            }
        }
        let mut points = Vec::with_capacity(list.len());
        for (i, p) in list.iter().enumerate() {
            let at = format!("$.points[{i}]");
            let value = match (p.get("value"), p.get("values")) {
                (Some(v), _) => v.as_f64(),
                (None, Some(Json::Array(a))) => a.first().and_then(Json::as_f64),
                (None, Some(Json::Object(m))) => m.get(&parameter).and_then(Json::as_f64),
                (None, Some(_)) => None,
                (None, None) => None,
            }
            .ok_or_else(|| bad(&format!("{at}.value"), "expected a number"))?;
            let rate = p.get("agreement_rate").or_else(|| p.get("rate"));
            let agreement_rate = match rate {
                None | Some(Json::Null) => None,
                Some(v) => {
                    let mut e = estimate(v, &format!("{at}.agreement_rate"))?;
                    if let Some(c) = p
                        .get("agreement_rate_ci")
                        .or_else(|| p.get("agreement_rate_ci95"))
                        .or_else(|| p.get("rate_ci"))
                    {
                        e.ci = Some(pair(c, &format!("{at}.agreement_rate_ci"))?);
                    }
                    Some(e)
                }
            };
            let mut utilities = vec![None; parties.len()];
            match p.get("utilities") {
                None | Some(Json::Null) => {}
                Some(Json::Object(m)) => {
                    for (k, v) in m {
                        let j = parties
                            .iter()
                            .position(|x| x == k)
                            .expect("collected above");
                        utilities[j] = Some(estimate(v, &format!("{at}.utilities.{k}"))?);
                    }
                }
                Some(Json::Array(a)) => {
                    if a.len() != parties.len() {
                        return Err(bad(
                            &format!("{at}.utilities"),
                            &format!("{} values for {} parties", a.len(), parties.len()),
                        ));
                    }
                    for (j, v) in a.iter().enumerate() {
                        utilities[j] = Some(estimate(v, &format!("{at}.utilities[{j}]"))?);
                    }
                }
                Some(_) => {
                    return Err(bad(
                        &format!("{at}.utilities"),
                        "expected an object from party name to estimate, or an array in party order",
                    ));
                }
            }
            points.push(SweepPoint {
                value,
                runs: p.get("runs").and_then(Json::as_u64),
                agreement_rate,
                utilities,
            });
        }
        if points.is_empty() {
            return Err(bad("$.points", "no points"));
        }
        points.sort_by(|a, b| a.value.total_cmp(&b.value));
        Ok(SweepData {
            parameter,
            scenario: obj
                .get("scenario")
                .and_then(Json::as_str)
                .map(str::to_string),
            parties,
            points,
        })
    }

    /// Range of the parameter.
    pub fn x_domain(&self) -> [f64; 2] {
        let lo = self.points.first().map_or(0.0, |p| p.value);
        let hi = self.points.last().map_or(1.0, |p| p.value);
        nice_domain(lo, hi, 5)
    }

    /// Range of the utility panel.
    pub fn utility_domain(&self) -> [f64; 2] {
        let (mut lo, mut hi) = (0.0f64, 1.0f64);
        for p in &self.points {
            for e in p.utilities.iter().flatten() {
                for v in std::iter::once(e.mean).chain(e.ci.into_iter().flatten()) {
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
            }
        }
        if lo < 0.0 || hi > 1.0 {
            nice_domain(lo, hi, 5)
        } else {
            [0.0, 1.0]
        }
    }
}

fn band(svg: &mut Svg, class: &str, pts: &[(f64, [f64; 2])], xs: &Scale, ys: &Scale, c: &str) {
    if pts.len() < 2 {
        return;
    }
    let mut poly: Vec<(f64, f64)> = pts
        .iter()
        .map(|(x, ci)| (xs.map(*x), ys.map(ci[1])))
        .collect();
    poly.extend(pts.iter().rev().map(|(x, ci)| (xs.map(*x), ys.map(ci[0]))));
    svg.polygon(
        class,
        &poly,
        &format!(r#"fill="{}" fill-opacity="0.18" stroke="none""#, esc(c)),
    );
}

/// Renders the sweep: agreement rate (top) and mean utilities (bottom) against the parameter.
pub fn render(d: &SweepData, title: &str) -> String {
    let width = 680.0;
    let (ml, mr) = (70.0, 24.0);
    let ph = 200.0;
    let top = 46.0;
    let gap = 80.0;
    let mut svg = Svg::new(width, 100.0, "plot-sweep", title);
    draw_title(&mut svg, title, width, 22.0);
    let xs_dom = d.x_domain();
    // Agreement rate.
    let a1 = Rect {
        x: ml,
        y: top,
        w: width - ml - mr,
        h: ph,
    };
    let xs = Scale::new(xs_dom, [a1.x, a1.right()]);
    let ys = Scale::new([0.0, 100.0], [a1.bottom(), a1.y]);
    svg.open_group("panel agreement-rate", None);
    draw_axes(&mut svg, a1, &xs, &ys, &d.parameter, "agreement rate (%)");
    let rate: Vec<(f64, Estimate)> = d
        .points
        .iter()
        .filter_map(|p| p.agreement_rate.map(|e| (p.value, e)))
        .collect();
    let ci: Vec<(f64, [f64; 2])> = rate
        .iter()
        .filter_map(|(x, e)| e.ci.map(|c| (*x, [c[0] * 100.0, c[1] * 100.0])))
        .collect();
    band(&mut svg, "band", &ci, &xs, &ys, colour(6));
    let line: Vec<(f64, f64)> = rate
        .iter()
        .map(|(x, e)| (xs.map(*x), ys.map(e.mean * 100.0)))
        .collect();
    svg.polyline(
        "line agreement",
        &line,
        &format!(r#"stroke="{}" stroke-width="2""#, colour(6)),
    );
    for &q in &line {
        svg.circle("point", q, 3.0, &format!(r#"fill="{}""#, colour(6)));
    }
    svg.close_group();
    // Utilities.
    let a2 = Rect {
        x: ml,
        y: top + ph + gap,
        w: width - ml - mr,
        h: ph,
    };
    let xs = Scale::new(xs_dom, [a2.x, a2.right()]);
    let ys = Scale::new(d.utility_domain(), [a2.bottom(), a2.y]);
    svg.open_group("panel utilities", None);
    draw_axes(&mut svg, a2, &xs, &ys, &d.parameter, "mean final utility");
    for (j, _) in d.parties.iter().enumerate() {
        let c = colour(j);
        let est: Vec<(f64, Estimate)> = d
            .points
            .iter()
            .filter_map(|p| p.utilities[j].map(|e| (p.value, e)))
            .collect();
        let ci: Vec<(f64, [f64; 2])> = est
            .iter()
            .filter_map(|(x, e)| e.ci.map(|c| (*x, c)))
            .collect();
        band(&mut svg, &format!("band party-{j}"), &ci, &xs, &ys, c);
        let line: Vec<(f64, f64)> = est
            .iter()
            .map(|(x, e)| (xs.map(*x), ys.map(e.mean)))
            .collect();
        svg.polyline(
            &format!("line party-{j}"),
            &line,
            &format!(r#"stroke="{c}" stroke-width="2""#),
        );
        for &q in &line {
            svg.circle("point", q, 3.0, &format!(r#"fill="{c}""#));
        }
    }
    svg.close_group();
    let mut items = vec![LegendItem {
        label: "agreement rate".into(),
        colour: colour(6).into(),
        swatch: Swatch::Line { dashed: false },
    }];
    for (j, p) in d.parties.iter().enumerate() {
        items.push(LegendItem {
            label: format!("utility of {p}"),
            colour: colour(j).into(),
            swatch: Swatch::Line { dashed: false },
        });
    }
    items.push(LegendItem {
        label: "95% band".into(),
        colour: colour(6).into(),
        swatch: Swatch::Block,
    });
    let y = a2.bottom() + 60.0;
    let h = draw_legend(&mut svg, &items, (16.0, y), width - 32.0);
    svg.set_height(y + h + 10.0);
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_points_and_parties() {
        let doc = serde_json::json!({
            "format": "detente-sweep/1",
            "parameter": "e",
            "points": [
                {"value": 0.5, "runs": 10, "agreement_rate": 0.6, "agreement_rate_ci": [0.3, 0.85],
                 "utilities": {"A": {"mean": 0.5, "ci": [0.4, 0.6]}, "B": 0.4}},
                {"value": 0.1, "agreement_rate": {"mean": 0.9, "ci": [0.7, 0.97]},
                 "utilities": {"A": 0.7}}
            ]
        });
        let d = SweepData::from_json(&doc).unwrap();
        assert_eq!(d.parties, ["A", "B"]);
        assert_eq!(d.points[0].value, 0.1);
        assert_eq!(d.points[0].utilities[1], None);
        assert_eq!(d.points[1].agreement_rate.unwrap().ci, Some([0.3, 0.85]));
        assert_eq!(d.points[1].runs, Some(10));
        let svg = render(&d, "t");
        assert_eq!(svg.matches(r#"class="line party-"#).count(), 2);
        assert_eq!(svg.matches(r#"class="band""#).count(), 1);
        assert_eq!(
            svg.matches(r#"class="band party-0""#).count(),
            0,
            "one point with a CI is no band"
        );
        assert_eq!(svg.matches(r#"class="legend-entry""#).count(), 4);
    }

    #[test]
    fn reads_the_inspect_shape_and_result() {
        let doc = serde_json::json!({
            "parties": ["A", "B"],
            "axes": [{"name": "reservation.B", "values": [0.1, 0.2]}],
            "points": [
                {"values": [0.2], "runs": 4, "rate": 0.5, "rate_ci": [0.15, 0.85],
                 "utilities": [{"mean": 0.5, "ci": [0.25, 0.75]}, {"mean": 0.25, "ci": null}]},
                {"values": [0.1], "runs": 4, "rate": 1.0, "rate_ci": [0.5, 1.0],
                 "utilities": [0.5, 0.5]}
            ]
        });
        let d = SweepData::from_json(&doc).unwrap();
        assert_eq!(d.parameter, "reservation.B");
        assert_eq!(d.points[1].utilities[0].unwrap().ci, Some([0.25, 0.75]));
        assert_eq!(d.points[0].agreement_rate.unwrap().mean, 1.0);
        let two = serde_json::json!({"axes": [{"name": "a"}, {"name": "b"}], "points": []});
        assert!(
            SweepData::from_json(&two)
                .unwrap_err()
                .to_string()
                .contains("2 axes")
        );

        let space =
            detente_core::OutcomeSpace::new(vec![detente_core::Issue::integer("x", 0, 4)]).unwrap();
        let lin = |s: f64, c: f64| {
            detente_core::LinearAdditive::new(
                &space,
                vec![1.0],
                vec![detente_core::Evaluator::Linear {
                    slope: s,
                    intercept: c,
                    origin: 0.0,
                    clamp: true,
                }],
                None,
            )
            .unwrap()
        };
        let party = |name: &str, u| detente_core::Party {
            name: name.into(),
            preferences: detente_core::Preferences::new(detente_core::Utility::LinearAdditive(u)),
            negotiator: None,
        };
        let scenario = detente_core::Scenario {
            name: "pie".into(),
            description: String::new(),
            space: space.clone(),
            parties: vec![party("A", lin(0.25, 0.0)), party("B", lin(-0.25, 1.0))],
            protocol: detente_core::ProtocolSettings {
                deadline: 10,
                time_limit: None,
                ..Default::default()
            },
            events: Vec::new(),
        };
        let axis = detente_inspect::parse_axis(&scenario, "reservation.B=0.1,0.3").unwrap();
        let config = detente_inspect::SweepConfig {
            axes: vec![axis],
            seeds: 3,
            seed: 1,
            jitter: 0.0,
            negotiators: vec![detente_core::NegotiatorSpec::new("linear"); 2],
        };
        let registry = detente_negotiators::Registry::builtin();
        let r = detente_inspect::sweep(&scenario, &config, &registry).unwrap();
        let d = SweepData::from_inspect(&r).unwrap();
        assert_eq!(d.points.len(), 2);
        assert_eq!(d.parties, ["A", "B"]);
        assert_eq!(d.points[0].runs, Some(3));
        assert_eq!(d.points[1].value, 0.3);
    }

    #[test]
    fn reads_the_sweep_command_output() {
        // The shape `detente sweep --format json` writes.
        let doc = serde_json::json!({
            "axes": [{"param": "reservation.Bob", "values": [0.1, 0.3]}],
            "seeds": 2, "seed": 1, "jitter": 0.0,
            "points": [
                {"values": {"reservation.Bob": 0.3}, "runs": 2, "agreements": 1,
                 "agreement_rate": 0.5, "agreement_rate_ci95": [0.1, 0.9], "mean_rounds": 4.0,
                 "utilities": {"Alice": {"mean": 0.5, "ci95": [0.25, 0.75]}, "Bob": {"mean": 0.25, "ci95": null}},
                 "welfare": {"mean": 0.75, "ci95": null}},
                {"values": {"reservation.Bob": 0.1}, "runs": 2, "agreements": 2,
                 "agreement_rate": 1.0, "agreement_rate_ci95": [0.3, 1.0], "mean_rounds": 3.0,
                 "utilities": {"Alice": {"mean": 0.5, "ci95": null}, "Bob": {"mean": 0.5, "ci95": null}},
                 "welfare": {"mean": 1.0, "ci95": null}}
            ]
        });
        let d = SweepData::from_json(&doc).unwrap();
        assert_eq!(d.parameter, "reservation.Bob");
        assert_eq!(d.parties, ["Alice", "Bob"]);
        assert_eq!(d.points[0].value, 0.1);
        assert_eq!(d.points[1].agreement_rate.unwrap().ci, Some([0.1, 0.9]));
        assert_eq!(d.points[1].utilities[0].unwrap().ci, Some([0.25, 0.75]));
        assert_eq!(d.points[1].utilities[1].unwrap().ci, None);
    }

    #[test]
    fn bad_input_is_located() {
        let e = SweepData::from_json(
            &serde_json::json!({"parameter": "e", "points": [{"value": "x"}]}),
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "$.points[0].value: expected a number");
        let e = SweepData::from_json(&serde_json::json!({"points": []})).unwrap_err();
        assert!(e.to_string().starts_with("$.parameter"));
        let e = SweepData::from_json(
            &serde_json::json!({"format": "detente-trace/1", "parameter": "e", "points": []}),
        )
        .unwrap_err();
        assert!(e.to_string().contains("not a sweep"));
    }
}
