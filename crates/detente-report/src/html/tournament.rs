//! The report of a tournament: the counts, the ranking, the interval plot and the heat map,
//! the terminations and the pairwise tests.

use std::fmt::Write as _;

use detente_formats::xml::escape;
use detente_tournament::Summary;

use super::table::{
    self, Column, cell, fixed3, num_cell, party_cell, percent, sort_key, sorted_cell,
};
use super::{figure, page};
use crate::plot::tournament::{self, TournamentData};

/// The HTML report of a tournament: counts, sortable ranking and pairwise tables, the
/// interval plot and the heat map.
pub fn tournament_report(t: &TournamentData) -> String {
    let s = &t.summary;
    let mut w = facts(t);
    w.push_str(&ranking(s));
    w.push_str(&figures(t));
    w.push_str(&terminations(s));
    w.push_str(&pairwise(s));
    page(&format!("Tournament {} — detente report", s.tournament), &w)
}

/// The title and one sentence of counts: negotiations, scenarios, agreements, faults.
fn facts(t: &TournamentData) -> String {
    let s = &t.summary;
    let mut w = String::new();
    let _ = writeln!(w, "<h1>Tournament {}</h1>", escape(&s.tournament));
    let pct = if s.negotiations > 0 {
        100.0 * s.agreements as f64 / s.negotiations as f64
    } else {
        0.0
    };
    let _ = writeln!(
        w,
        "<p class=\"facts\">{} negotiations on {} scenario{} ({}), {} agreements ({pct:.1}%), {} negotiator faults.</p>",
        s.negotiations,
        t.scenarios.len(),
        if t.scenarios.len() == 1 { "" } else { "s" },
        escape(&t.scenarios.join(", ")),
        s.agreements,
        s.negotiator_faults
    );
    w
}

/// The ranking: one sortable row per negotiator, in rank order.
fn ranking(s: &Summary) -> String {
    let mut w = String::from("<h2>Ranking</h2>\n");
    let columns = [
        Column::num("rank"),
        Column::text("negotiator"),
        Column::num("observations"),
        Column::num("mean utility"),
        Column::num("95% CI"),
        Column::num("agreement rate"),
        Column::num("mean welfare"),
        Column::num("Pareto-optimal"),
        Column::num("d(frontier)"),
        Column::num("errors"),
    ];
    let _ = writeln!(w, "{}", table::open("ranking sortable", &columns));
    for (i, n) in s.negotiators.iter().enumerate() {
        let ci = n
            .utility_ci
            .map_or("-".into(), |[a, b]| format!("[{a:.3}, {b:.3}]"));
        let ci_key = n.utility_ci.map_or(String::new(), |c| c[0].to_string());
        let _ = writeln!(
            w,
            "<tr class=\"negotiator\">{}{}{}{}{}{}{}{}{}{}</tr>",
            num_cell(&n.rank.to_string()),
            party_cell(i, &n.name),
            num_cell(&n.observations.to_string()),
            sorted_cell(&sort_key(n.mean_utility), &fixed3(n.mean_utility)),
            sorted_cell(&ci_key, &ci),
            sorted_cell(&sort_key(n.agreement_rate), &percent(n.agreement_rate)),
            sorted_cell(&sort_key(n.mean_welfare), &fixed3(n.mean_welfare)),
            sorted_cell(
                &sort_key(n.pareto_optimal_rate),
                &percent(n.pareto_optimal_rate)
            ),
            sorted_cell(
                &sort_key(n.mean_dist_frontier),
                &fixed3(n.mean_dist_frontier)
            ),
            num_cell(&n.errors.to_string())
        );
    }
    let _ = writeln!(w, "{}", table::END);
    w
}

/// The interval plot and the heat map.
fn figures(t: &TournamentData) -> String {
    let name = &t.summary.tournament;
    let summary = figure(
        "tournament",
        &tournament::render_summary(t, &format!("{name}: negotiators")),
        "Mean final utility of each negotiator's role and its agreement rate, with 95% confidence intervals (Student t for means, Wilson score for rates).",
    );
    let heat = figure(
        "heatmap",
        &tournament::render_heatmap(&t.heat, &format!("{name}: negotiator against opponent")),
        "Mean final utility of the row negotiator in negotiations where the column negotiator played another role (hover a cell for counts and agreement rates).",
    );
    summary + &heat
}

/// How many negotiations ended each way.
fn terminations(s: &Summary) -> String {
    let mut w = String::from("<h2>Terminations</h2>");
    let head = table::open(
        "terminations sortable",
        &[Column::text("termination"), Column::num("count")],
    );
    let _ = writeln!(w, "{head}");
    for (k, v) in &s.terminations {
        let _ = writeln!(w, "<tr>{}{}</tr>", cell(k), num_cell(&v.to_string()));
    }
    let _ = writeln!(w, "{}", table::END);
    w
}

/// Welch's t-test of every pair of negotiators.
fn pairwise(s: &Summary) -> String {
    let mut w = String::from(
        "<h2>Pairwise comparisons</h2><p>Welch's t-test on final utility for every pair (uncorrected for multiple comparisons).</p>\n",
    );
    let columns = [
        Column::text("negotiator"),
        Column::text("vs"),
        Column::num("difference"),
        Column::num("t"),
        Column::num("df"),
        Column::num("p"),
        Column::text("significant"),
    ];
    let _ = writeln!(w, "{}", table::open("pairwise sortable", &columns));
    for p in &s.pairwise {
        let _ = writeln!(
            w,
            "<tr>{}{}{}{}{}{}{}</tr>",
            cell(&p.a),
            cell(&p.b),
            sorted_cell(&p.difference.to_string(), &format!("{:+.4}", p.difference)),
            sorted_cell(&sort_key(p.t), &fixed3(p.t)),
            sorted_cell(&sort_key(p.df), &fixed3(p.df)),
            sorted_cell(&p.p_value.to_string(), &format!("{:.3e}", p.p_value)),
            cell(if p.significant { "yes" } else { "no" })
        );
    }
    let _ = writeln!(w, "{}", table::END);
    w
}
