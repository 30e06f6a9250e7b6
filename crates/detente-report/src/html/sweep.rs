//! The report of a parameter sweep: the plot and a sortable table of the points.

use std::fmt::Write as _;

use detente_formats::xml::escape;

use super::table::{self, Column, num_cell, percent, sort_key, sorted_cell};
use super::{figure, page};
use crate::plot::sweep::{self, SweepData, SweepPoint};

/// The HTML report of a parameter sweep: the plot and a sortable table of the points.
pub fn sweep_report(d: &SweepData) -> String {
    let title = match &d.scenario {
        Some(s) => format!("Sweep of {} on {}", d.parameter, s),
        None => format!("Sweep of {}", d.parameter),
    };
    let mut w = String::new();
    let _ = writeln!(w, "<h1>{}</h1>", escape(&title));
    w.push_str(&figure(
        "sweep",
        &sweep::render(d, &title),
        "Agreement rate and each party's mean final utility as the parameter changes; shaded bands are 95% intervals.",
    ));
    w.push_str(&points_table(d));
    page(&format!("{title} — detente report"), &w)
}

/// One row per point: the parameter's value, the runs, the agreement rate and each party's
/// mean utility.
fn points_table(d: &SweepData) -> String {
    let mut columns = vec![
        Column::num(d.parameter.as_str()),
        Column::num("runs"),
        Column::num("agreement rate"),
    ];
    columns.extend(
        d.parties
            .iter()
            .map(|p| Column::num(format!("utility of {p}"))),
    );
    let mut w = format!(
        "<h2>Points</h2>{}\n",
        table::open("sweep sortable", &columns)
    );
    for p in &d.points {
        w.push_str(&point_row(p));
    }
    let _ = writeln!(w, "{}", table::END);
    w
}

/// The row of one point.
fn point_row(p: &SweepPoint) -> String {
    let rate = p.agreement_rate.map(|e| e.mean);
    let utilities: String = p
        .utilities
        .iter()
        .map(|u| {
            let mean = u.map(|e| e.mean);
            sorted_cell(&sort_key(mean), &table::fixed3(mean))
        })
        .collect();
    format!(
        "<tr class=\"point\">{}{}{}{utilities}</tr>\n",
        num_cell(&p.value.to_string()),
        num_cell(&p.runs.map_or("-".into(), |r| r.to_string())),
        sorted_cell(&sort_key(rate), &percent(rate)),
    )
}
