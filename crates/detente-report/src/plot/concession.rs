//! Concession curves: for each party, the utility of its offers to itself and to every other
//! party, round by round, with the agreement and any scenario events marked.

use detente_core::ActionKind;

use detente_formats::trace::TerminationKind;
use detente_formats::xml::escape;

use crate::layout::{LegendItem, Rect, Scale, Swatch, nice_domain, text_width, truncate};
use crate::plot::{FONT_SMALL, draw_axes, draw_empty, draw_legend, draw_title};
use crate::svg::{FAINT, INK, Svg, colour};
use crate::trace_view::{ActionView, TraceView};

/// One party's offers over time.
#[derive(Debug, Clone, PartialEq)]
pub struct ConcessionSeries {
    /// Index of the party whose offers these are (in [`ConcessionData::parties`]).
    pub proposer: usize,
    /// That party's name, for its panel's title.
    pub name: String,
    /// Position of each offer in rounds (`time * deadline`: round `r`, turn `k` of `n` is at
    /// `r + k/n`).
    pub at: Vec<f64>,
    /// `utilities[k][j]`: utility of the `k`-th offer to party `j`.
    pub utilities: Vec<Vec<f64>>,
    /// Whether its points are the texts it tabled as the mediating party (its proposals in
    /// mediated talks), not counter-offers.
    pub tabled: bool,
}

/// An event marker on the time axis.
#[derive(Debug, Clone, PartialEq)]
pub struct EventMark {
    /// Position on the time axis, in rounds (as [`ConcessionSeries::at`]).
    pub at: f64,
    /// The event's name, drawn above the first panel.
    pub label: String,
}

/// Everything a concession plot draws.
#[derive(Debug, Clone, PartialEq)]
pub struct ConcessionData {
    /// Party names, in turn order: curve `j` of every panel is the utility to party `j`,
    /// in its colour.
    pub parties: Vec<String>,
    /// Each party's reservation value, drawn in its own panel.
    pub reservations: Vec<f64>,
    /// One series per party (parties that made no offer have an empty one).
    pub series: Vec<ConcessionSeries>,
    /// Scenario events, in time order, marked in every panel.
    pub events: Vec<EventMark>,
    /// Where the agreement was reached, in rounds.
    pub agreement_at: Option<f64>,
    /// Range of the x axis in rounds.
    pub x_domain: [f64; 2],
    /// Range of the y axis (utility).
    pub y_domain: [f64; 2],
}

/// Extracts the concession curves of a negotiation.
pub fn concession(view: &TraceView) -> ConcessionData {
    let np = view.n_parties();
    let deadline = f64::from(view.deadline.max(1));
    let mut series: Vec<ConcessionSeries> = (0..np)
        .map(|p| ConcessionSeries {
            proposer: p,
            name: view.parties[p].clone(),
            at: Vec::new(),
            utilities: Vec::new(),
            tabled: false,
        })
        .collect();
    for a in view.actions.iter().filter(|a| is_drawn(a, np)) {
        let s = &mut series[a.party];
        s.at.push(a.time * deadline);
        s.utilities.push(a.utilities.clone());
        s.tabled |= a.kind == ActionKind::Propose;
    }
    ConcessionData {
        parties: view.parties.clone(),
        reservations: view.reservations.clone(),
        series,
        events: view
            .events
            .iter()
            .map(|e| EventMark {
                at: e.time * deadline,
                label: e.label.clone(),
            })
            .collect(),
        agreement_at: agreement_at(view, deadline),
        x_domain: x_domain(view, deadline),
        y_domain: y_domain(view),
    }
}

/// Whether an action is on a curve: an offer by a party (of the `np`), or a text a mediating
/// party tabled (its offer in mediated talks), with every party's utility known. A neutral
/// mediator's texts are not a party's.
fn is_drawn(a: &ActionView, np: usize) -> bool {
    matches!(a.kind, ActionKind::Offer | ActionKind::Propose)
        && a.utilities.len() == np
        && a.party < np
}

/// Where the agreement was reached, in rounds: at the last acceptance (or the end).
fn agreement_at(view: &TraceView, deadline: f64) -> Option<f64> {
    (view.result.termination == TerminationKind::Agreement).then(|| {
        view.actions
            .iter()
            .rev()
            .find(|a| a.kind == ActionKind::Accept)
            .map_or(view.result.time * deadline, |a| a.time * deadline)
    })
}

/// From round 0 to a nice round at or after the end (at least 1).
fn x_domain(view: &TraceView, deadline: f64) -> [f64; 2] {
    let last_action = view.actions.last().map_or(0.0, |a| a.time * deadline);
    let end = (view.result.time * deadline)
        .max(last_action)
        .max(f64::from(view.result.rounds))
        .max(1.0);
    [0.0, nice_domain(0.0, end, 5)[1].max(1.0)]
}

/// The unit interval when every utility drawn and every reservation value fit in it,
/// otherwise a nice domain around them.
fn y_domain(view: &TraceView) -> [f64; 2] {
    let np = view.n_parties();
    let (lo, hi) = view
        .actions
        .iter()
        .filter(|a| is_drawn(a, np))
        .flat_map(|a| &a.utilities)
        .chain(&view.reservations)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &u| {
            (lo.min(u), hi.max(u))
        });
    if !(lo.is_finite() && hi.is_finite()) || (lo >= -1e-9 && hi <= 1.0 + 1e-9) {
        [0.0, 1.0]
    } else {
        nice_domain(lo, hi, 5)
    }
}

/// Legend entries of a concession plot.
pub fn legend_items(d: &ConcessionData) -> Vec<LegendItem> {
    let mut items: Vec<LegendItem> = d
        .parties
        .iter()
        .enumerate()
        .map(|(j, name)| LegendItem {
            label: format!("utility to {name}"),
            colour: colour(j).into(),
            swatch: Swatch::Line { dashed: false },
        })
        .collect();
    items.push(LegendItem {
        label: "own reservation value".into(),
        colour: FAINT.into(),
        swatch: Swatch::Line { dashed: true },
    });
    if d.agreement_at.is_some() {
        items.push(LegendItem {
            label: "agreement".into(),
            colour: INK.into(),
            swatch: Swatch::Line { dashed: false },
        });
    }
    if !d.events.is_empty() {
        items.push(LegendItem {
            label: "event".into(),
            colour: "#CC79A7".into(),
            swatch: Swatch::Line { dashed: true },
        });
    }
    items
}

/// Width of the concession plot.
const WIDTH: f64 = 720.0;
/// Space left of the panels (y tick labels and title) and right of them.
const MARGIN: (f64, f64) = (70.0, 24.0);
/// Vertical space between panels (x tick labels and title, the next panel's title).
const GAP: f64 = 72.0;

/// Renders the concession curves: one panel per party, stacked, sharing the time axis.
pub fn render(d: &ConcessionData, title: &str) -> String {
    let panel_h = if d.series.len() > 3 { 150.0 } else { 190.0 };
    // Room for the event labels above the first panel: one line per row of labels.
    let rows = event_label_rows(&d.events, d.x_domain);
    let n_rows = rows.iter().map(|r| r.row + 1).max().unwrap_or(0);
    let top = 60.0 + 18.0 * n_rows as f64;
    let mut svg = Svg::new(WIDTH, 100.0, "plot-concession", title);
    draw_title(&mut svg, title, WIDTH, 22.0);
    let mut y = top;
    for s in &d.series {
        let area = Rect {
            x: MARGIN.0,
            y,
            w: WIDTH - MARGIN.0 - MARGIN.1,
            h: panel_h,
        };
        draw_panel(&mut svg, d, s, area);
        y += panel_h + GAP;
    }
    if !d.events.is_empty() {
        draw_event_labels(&mut svg, &d.events, &rows, top);
    }
    let legend_y = y - GAP + 64.0;
    let h = draw_legend(&mut svg, &legend_items(d), (16.0, legend_y), WIDTH - 32.0);
    svg.set_height(legend_y + h + 10.0);
    svg.finish()
}

/// The panel of one proposer's offers: axes, title, time marks and one curve per party.
fn draw_panel(svg: &mut Svg, d: &ConcessionData, s: &ConcessionSeries, area: Rect) {
    let xs = Scale::new(d.x_domain, [area.x, area.right()]);
    let ys = Scale::new(d.y_domain, [area.bottom(), area.y]);
    svg.open_group(&format!("panel proposer-{}", s.proposer), None);
    draw_axes(svg, area, &xs, &ys, "round", "utility");
    let what = if s.tabled {
        format!("texts tabled by {} (mediating)", s.name)
    } else {
        format!("offers by {}", s.name)
    };
    let head = truncate(&what, area.w, FONT_SMALL + 1.0);
    svg.text(
        "panel-title",
        (area.x + 4.0, area.y - 6.0),
        "start",
        FONT_SMALL + 1.0,
        0.0,
        &head,
        Some(&s.name),
    );
    draw_marks(svg, d, s.proposer, area, &xs, &ys);
    if s.at.is_empty() {
        draw_empty(svg, area, "no offers");
    }
    for j in 0..d.parties.len() {
        draw_curve(svg, s, j, &xs, &ys);
    }
    svg.close_group();
}

/// The proposer's reservation value (horizontal), the events and the agreement (vertical).
fn draw_marks(
    svg: &mut Svg,
    d: &ConcessionData,
    proposer: usize,
    area: Rect,
    xs: &Scale,
    ys: &Scale,
) {
    let ry = ys.map(d.reservations[proposer]);
    svg.line(
        "reservation",
        (area.x, ry),
        (area.right(), ry),
        &format!(r#"stroke="{FAINT}" stroke-width="1.2" stroke-dasharray="5 3""#),
    );
    for e in &d.events {
        let x = xs.map(e.at);
        svg.line(
            "event",
            (x, area.y),
            (x, area.bottom()),
            r##"stroke="#CC79A7" stroke-width="1.2" stroke-dasharray="2 3""##,
        );
    }
    if let Some(a) = d.agreement_at {
        let x = xs.map(a);
        svg.line(
            "agreement-time",
            (x, area.y),
            (x, area.bottom()),
            &format!(r#"stroke="{INK}" stroke-width="1.2""#),
        );
    }
}

/// The utility to party `j` of the offers of series `s`: solid and thick for the proposer's
/// own, dashed for the others; with points when there are at most 60 offers.
fn draw_curve(svg: &mut Svg, s: &ConcessionSeries, j: usize, xs: &Scale, ys: &Scale) {
    let pts: Vec<(f64, f64)> =
        s.at.iter()
            .zip(&s.utilities)
            .map(|(&t, u)| (xs.map(t), ys.map(u[j])))
            .collect();
    if pts.is_empty() {
        return;
    }
    let own = j == s.proposer;
    let cls = format!("curve to-party-{j}{}", if own { " own" } else { "" });
    let c = escape(colour(j));
    svg.polyline(
        &cls,
        &pts,
        &format!(
            r#"stroke="{c}" stroke-width="{}" stroke-linejoin="round"{}"#,
            if own { 2.4 } else { 1.5 },
            if own {
                ""
            } else {
                r#" stroke-dasharray="6 3""#
            }
        ),
    );
    if pts.len() <= 60 {
        for &q in &pts {
            svg.circle(
                "curve-point",
                q,
                if own { 2.6 } else { 1.8 },
                &format!(r#"fill="{c}""#),
            );
        }
    }
}

/// Where one event's label goes: its left edge, its text, and its row above the panels (0 is
/// the lowest).
struct LabelPlace {
    left: f64,
    text: String,
    row: usize,
}

/// Every event gets a label, centred on its line where it fits; a label that would overlap one
/// already placed goes up a row.
fn event_label_rows(events: &[EventMark], x_domain: [f64; 2]) -> Vec<LabelPlace> {
    let xs = Scale::new(x_domain, [MARGIN.0, WIDTH - MARGIN.1]);
    // The right edge of the last label of each row.
    let mut rights: Vec<f64> = Vec::new();
    events
        .iter()
        .map(|e| {
            let text = truncate(&e.label, 140.0, FONT_SMALL);
            let w = text_width(&text, FONT_SMALL);
            let left = (xs.map(e.at) - w / 2.0).max(2.0).min(WIDTH - w - 2.0);
            let row = match rights.iter().position(|&r| left >= r + 6.0) {
                Some(row) => row,
                None => {
                    rights.push(f64::NEG_INFINITY);
                    rights.len() - 1
                }
            };
            rights[row] = left + w;
            LabelPlace { left, text, row }
        })
        .collect()
}

/// The event labels above the first panel (whose top is `top`), in their rows.
fn draw_event_labels(svg: &mut Svg, events: &[EventMark], places: &[LabelPlace], top: f64) {
    svg.open_group("event-labels", None);
    for (e, p) in events.iter().zip(places) {
        svg.text(
            "event-label",
            (p.left, top - 18.0 - 18.0 * p.row as f64),
            "start",
            FONT_SMALL,
            0.0,
            &p.text,
            Some(&e.label),
        );
    }
    svg.close_group();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace_view::{ActionView, EventView, ResultView};

    fn view() -> TraceView {
        let a = |round, time, party, kind, u: &[f64]| ActionView {
            round,
            time,
            party,
            kind,
            offer: (kind == ActionKind::Offer).then(|| "x=1".into()),
            utilities: u.to_vec(),
        };
        TraceView {
            scenario: "s".into(),
            issues: vec!["x".into()],
            parties: vec!["A".into(), "B".into()],
            negotiators: vec![String::new(); 2],
            reservations: vec![0.1, 0.2],
            discounts: vec![1.0; 2],
            seed: 1,
            deadline: 10,
            actions: vec![
                a(0, 0.0, 0, ActionKind::Offer, &[1.0, 0.0]),
                a(0, 0.05, 1, ActionKind::Offer, &[0.1, 0.9]),
                a(1, 0.1, 0, ActionKind::Offer, &[0.8, 0.3]),
                a(1, 0.15, 1, ActionKind::Accept, &[0.8, 0.3]),
            ],
            events: vec![EventView {
                time: 0.1,
                label: "ceasefire".into(),
                round: 1,
                description: String::new(),
            }],
            result: ResultView {
                termination: TerminationKind::Agreement,
                ended_by: None,
                error: None,
                agreement: Some("x=1".into()),
                agreement_utilities: Some(vec![0.8, 0.3]),
                rounds: 2,
                time: 0.15,
                utilities: vec![0.8, 0.3],
            },
            compliance: None,
            quality: None,
        }
    }

    #[test]
    fn series_hold_each_partys_offers_in_rounds() {
        let d = concession(&view());
        assert_eq!(d.series.len(), 2);
        assert_eq!(d.series[0].at, vec![0.0, 1.0]);
        assert_eq!(d.series[0].utilities[1], vec![0.8, 0.3]);
        assert_eq!(d.series[1].at, vec![0.5]);
        assert_eq!(d.agreement_at, Some(1.5));
        assert_eq!(
            d.events,
            vec![EventMark {
                at: 1.0,
                label: "ceasefire".into()
            }]
        );
        assert_eq!(d.y_domain, [0.0, 1.0]);
        assert!(d.x_domain[1] >= 2.0);
        let labels: Vec<String> = legend_items(&d).into_iter().map(|i| i.label).collect();
        assert_eq!(
            labels,
            [
                "utility to A",
                "utility to B",
                "own reservation value",
                "agreement",
                "event"
            ]
        );
    }

    #[test]
    fn every_event_is_labelled_and_a_mediators_texts_are_drawn() {
        let mut v = view();
        // Three events at once: each gets its label, on rows of their own.
        v.events = ["pause", "sanctions", "walk-out"]
            .iter()
            .map(|l| EventView {
                time: 0.1,
                label: (*l).into(),
                round: 1,
                description: String::new(),
            })
            .collect();
        // A tables texts (a mediating party proposes) instead of offering.
        for a in v.actions.iter_mut().filter(|a| a.party == 0) {
            a.kind = ActionKind::Propose;
        }
        let d = concession(&v);
        assert!(d.series[0].tabled && !d.series[1].tabled);
        assert_eq!(d.series[0].at, vec![0.0, 1.0]);
        let svg = render(&d, "t");
        assert_eq!(svg.matches(r#"class="event-label""#).count(), 3);
        for l in ["pause", "sanctions", "walk-out"] {
            assert!(svg.contains(&format!(">{l}<")), "{l}");
        }
        assert!(svg.contains("texts tabled by A (mediating)"));
        assert!(!svg.contains("no offers"));
    }

    #[test]
    fn svg_has_one_panel_and_curve_per_party_pair() {
        let d = concession(&view());
        let svg = render(&d, "t");
        assert_eq!(svg.matches(r#"class="panel proposer-"#).count(), 2);
        assert_eq!(
            svg.matches(r#"<polyline class="curve to-party-"#).count(),
            4
        );
        assert_eq!(svg.matches(r#"class="curve to-party-0 own""#).count(), 1);
        assert_eq!(svg.matches(r#"class="event""#).count(), 2);
        assert_eq!(svg.matches(r#"class="event-label""#).count(), 1);
        assert_eq!(svg.matches(r#"class="agreement-time""#).count(), 2);
    }
}
