//! Self-contained HTML reports: one file with every plot (inline SVG), the style sheet and a
//! few lines of script (sortable tables) inline. Nothing is fetched from the network.

use std::fmt::Write as _;

use detente_analysis::quality_of_utilities;
use detente_core::{ActionKind, Scenario};

use crate::plot::utility_space::{FigureConfig, ScenarioFigures};
use crate::plot::{concession, sweep, tournament, utility_space};
use crate::svg::{colour, esc};
use crate::trace_view::TraceView;

/// Transcripts longer than this many actions start collapsed.
pub const COLLAPSE_AFTER: usize = 40;

const CSS: &str = r#"
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; margin: 0; color: #222; background: #fafafa; line-height: 1.45; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 60px; background: #fff; }
h1 { font-size: 1.6em; margin: 0.2em 0 0.3em; }
h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p.lead { color: #444; max-width: 60em; }
table { border-collapse: collapse; margin: 10px 0; font-size: 0.92em; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th::after { content: " \2195"; color: #999; font-size: 0.8em; }
table.sortable th[aria-sort="ascending"]::after { content: " \2191"; color: #222; }
table.sortable th[aria-sort="descending"]::after { content: " \2193"; color: #222; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
figure { margin: 16px 0; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: #555; font-size: 0.9em; margin-top: 4px; max-width: 60em; }
.figures { display: flex; flex-wrap: wrap; gap: 12px 28px; }
.note { color: #8a5a00; background: #fff8e6; padding: 6px 10px; border-left: 3px solid #E69F00; }
details.transcript > summary { cursor: pointer; font-weight: bold; margin: 8px 0; }
tr.action td.offer-text { max-width: 34em; }
footer { color: #777; font-size: 0.85em; margin-top: 40px; }
"#;

const SCRIPT: &str = r#"
(function () {
  function key(cell) {
    var v = cell.getAttribute('data-value');
    if (v === null) { v = cell.textContent.trim(); }
    var x = parseFloat(v);
    return (v !== '' && isFinite(x) && String(x) !== 'NaN' && /^[-+0-9.eE]+$/.test(v)) ? x : v.toLowerCase();
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var heads = table.querySelectorAll('thead th');
    heads.forEach(function (th, col) {
      th.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          var c = (typeof x === typeof y) ? (x < y ? -1 : x > y ? 1 : 0) : (typeof x === 'number' ? -1 : 1);
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  document.documentElement.setAttribute('data-ready', 'yes');
})();
"#;

fn inline_svg(svg: &str) -> String {
    svg.replacen(r#" xmlns="http://www.w3.org/2000/svg""#, "", 1)
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"detente {}\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}\n<footer>Made by detente {}. Self-contained: every picture is inline SVG; nothing is loaded from elsewhere.</footer>\n</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        esc(title),
        env!("CARGO_PKG_VERSION"),
    )
}

fn f3(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.3}")
    } else {
        "-".into()
    }
}

fn figure(class: &str, svg: &str, caption: &str) -> String {
    format!(
        "<figure class=\"{}\">{}<figcaption>{}</figcaption></figure>\n",
        esc(class),
        inline_svg(svg),
        esc(caption)
    )
}

fn describe_result(v: &TraceView) -> String {
    let r = &v.result;
    match r.termination.as_str() {
        "agreement" => format!(
            "Agreement in round {} (time {:.2} of the deadline).",
            r.rounds, r.time
        ),
        "deadline" => format!(
            "No agreement: the deadline of {} rounds passed.",
            v.deadline
        ),
        "time-limit" => format!("No agreement: the time limit passed in round {}.", r.rounds),
        "ended" => format!(
            "No agreement: {} walked out in round {}.",
            r.ended_by.as_deref().unwrap_or("a party"),
            r.rounds
        ),
        "negotiator-fault" | "agent-error" => format!(
            "No agreement: the negotiator of {} failed in round {}: {}.",
            r.ended_by.as_deref().unwrap_or("a party"),
            r.rounds,
            r.error.as_deref().unwrap_or("unknown fault")
        ),
        other => format!("Ended: {other}."),
    }
}

/// The HTML report of one negotiation. With its `scenario` (and the `figures` computed from
/// it), the report adds the scenario description, the outcome space, the Pareto frontier,
/// the Nash and Kalai-Smorodinsky points and the agreement's quality.
pub fn trace_report(
    view: &TraceView,
    scenario: Option<&Scenario>,
    figures: Option<&ScenarioFigures>,
    config: &FigureConfig,
) -> crate::Result<String> {
    let mut b = String::new();
    let w = &mut b;
    let _ = writeln!(w, "<h1>{}</h1>", esc(&view.scenario));
    if let Some(s) = scenario
        && !s.description.trim().is_empty()
    {
        let _ = writeln!(w, "<p class=\"lead\">{}</p>", esc(s.description.trim()));
    }
    let outcomes = scenario.map_or_else(|| "unknown".to_string(), |s| s.space.count_display());
    let _ = writeln!(
        w,
        "<p class=\"facts\">{} parties, {} issues, {} outcomes, deadline {} rounds, seed {}.</p>",
        view.n_parties(),
        view.issues.len(),
        esc(&outcomes),
        view.deadline,
        view.seed
    );
    let _ = writeln!(
        w,
        "<p class=\"result\"><strong>{}</strong></p>",
        esc(&describe_result(view))
    );
    if let Some(a) = &view.result.agreement {
        let _ = writeln!(w, "<p class=\"agreement\">Agreed: {}</p>", esc(a));
    }
    // Parties.
    let _ = writeln!(w, "<h2>Parties</h2>");
    let _ = writeln!(
        w,
        "<table class=\"parties sortable\"><thead><tr><th>party</th><th>negotiator</th><th class=\"num\">reservation</th><th class=\"num\">discount</th><th class=\"num\">final utility</th></tr></thead><tbody>"
    );
    for i in 0..view.n_parties() {
        let _ = writeln!(
            w,
            "<tr><td><span class=\"swatch\" style=\"background:{}\"></span>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            colour(i),
            esc(&view.parties[i]),
            esc(&view.negotiators[i]),
            f3(view.reservations[i]),
            view.discounts[i],
            view.result.utilities.get(i).map_or("-".into(), |u| f3(*u))
        );
    }
    let _ = writeln!(w, "</tbody></table>");
    // Analysis.
    let _ = writeln!(w, "<h2>Analysis of the outcome space</h2>");
    match figures {
        None => {
            let _ = writeln!(
                w,
                "<p class=\"note\">The scenario was not given, so the outcome space, the Pareto frontier and the Nash and Kalai-Smorodinsky points are not shown (pass <code>--scenario</code>).</p>"
            );
        }
        Some(f) => match &f.analysis {
            None => {
                let _ = writeln!(
                    w,
                    "<p class=\"note\">The outcome space could not be analysed: {}</p>",
                    esc(f.analysis_error.as_deref().unwrap_or("unknown reason"))
                );
            }
            Some(a) => {
                let st = &a.stats;
                let _ = writeln!(w, "<table class=\"analysis\"><tbody>");
                let _ = writeln!(
                    w,
                    "<tr><th>Pareto frontier</th><td class=\"num\" id=\"frontier-size\">{}</td><td>outcomes ({} distinct utility vectors)</td></tr>",
                    st.frontier_size, st.frontier_distinct
                );
                let pts = |p: &detente_analysis::Points| -> String {
                    if p.points.is_empty() {
                        return "none (no outcome is acceptable to every party)".into();
                    }
                    let mut v: Vec<String> = p
                        .points
                        .iter()
                        .take(3)
                        .map(|q| {
                            let us: Vec<String> = q
                                .utilities
                                .iter()
                                .zip(&view.parties)
                                .map(|(u, n)| format!("{n} {u:.3}"))
                                .collect();
                            let outcome = scenario
                                .map(|s| s.space.display(&q.outcome).to_string())
                                .unwrap_or_default();
                            format!("{} ({outcome})", us.join(", "))
                        })
                        .collect();
                    if p.points.len() > 3 {
                        v.push(format!("and {} more ties", p.points.len() - 3));
                    }
                    v.join("; ")
                };
                let _ = writeln!(
                    w,
                    "<tr><th>Nash point</th><td colspan=\"2\">{}</td></tr>",
                    esc(&pts(&a.nash))
                );
                let _ = writeln!(
                    w,
                    "<tr><th>Kalai-Smorodinsky point</th><td colspan=\"2\">{}</td></tr>",
                    esc(&pts(&a.kalai_smorodinsky))
                );
                let _ = writeln!(
                    w,
                    "<tr><th>Maximum welfare</th><td colspan=\"2\">{}</td></tr>",
                    esc(&pts(&a.max_welfare))
                );
                let _ = writeln!(
                    w,
                    "<tr><th>Opposition</th><td class=\"num\">{}</td><td>distance from the ideal point to the frontier ({} normalised)</td></tr>",
                    f3(st.opposition),
                    f3(st.opposition_normalised)
                );
                if let Some(fr) = st.fraction_individually_rational {
                    let _ = writeln!(
                        w,
                        "<tr><th>Acceptable to all</th><td class=\"num\">{:.1}%</td><td>of outcomes are at or above every reservation value</td></tr>",
                        fr * 100.0
                    );
                }
                let _ = writeln!(w, "</tbody></table>");
                let q = quality_of_utilities(a, view.result.agreement_utilities.as_deref());
                let _ = writeln!(
                    w,
                    "<h3>Quality of the {}</h3>",
                    if q.agreement {
                        "agreement"
                    } else {
                        "outcome (no agreement: the reservation point)"
                    }
                );
                let _ = writeln!(w, "<table class=\"quality\"><tbody>");
                let _ = writeln!(
                    w,
                    "<tr><th>Pareto-optimal</th><td>{}</td></tr>",
                    if q.pareto_optimal { "yes" } else { "no" }
                );
                let _ = writeln!(
                    w,
                    "<tr><th>Welfare (sum of utilities)</th><td class=\"num\">{}</td></tr>",
                    f3(q.welfare)
                );
                let _ = writeln!(
                    w,
                    "<tr><th>Distance to the Pareto frontier</th><td class=\"num\">{}</td></tr>",
                    f3(q.distance_to_frontier)
                );
                let _ = writeln!(
                    w,
                    "<tr><th>Distance to the Nash point</th><td class=\"num\">{}</td></tr>",
                    q.distance_to_nash.map_or("-".into(), f3)
                );
                let _ = writeln!(
                    w,
                    "<tr><th>Distance to the Kalai-Smorodinsky point</th><td class=\"num\">{}</td></tr>",
                    q.distance_to_kalai_smorodinsky.map_or("-".into(), f3)
                );
                let _ = writeln!(
                    w,
                    "<tr><th>Distance to maximum welfare</th><td class=\"num\">{}</td></tr>",
                    f3(q.distance_to_max_welfare)
                );
                let _ = writeln!(w, "</tbody></table>");
            }
        },
    }
    // Plots.
    let _ = writeln!(w, "<h2>Utility space</h2>");
    let pairs = utility_space::utility_space_pairs(view, figures, config)?;
    let cloud_note = figures.and_then(|f| f.cloud.as_ref()).map(|c| {
        if c.sampled {
            format!(
                " Outcomes: a fixed random sample of {} of {}.",
                c.len(),
                c.total.map_or("many".into(), |t| t.to_string())
            )
        } else {
            String::new()
        }
    });
    let caption = if pairs.len() == 1 {
        format!(
            "Each party's offers in its colour, fading into the past; the star is the agreement.{}",
            cloud_note.unwrap_or_default()
        )
    } else {
        format!(
            "One panel per pair of parties. The frontier drawn is the pair's best trade-offs; Nash and Kalai-Smorodinsky points are those of all {} parties, projected.{}",
            view.n_parties(),
            cloud_note.unwrap_or_default()
        )
    };
    b.push_str(&figure(
        "utility-space",
        &utility_space::render_panels(&pairs, &format!("{}: utility space", view.scenario)),
        &caption,
    ));
    let w = &mut b;
    let _ = writeln!(w, "<h2>Concession</h2>");
    let cd = concession::concession(view);
    let cap = if view.events.is_empty() {
        "The utility of each party's offers to itself (solid) and to the others (dashed), by round."
            .to_string()
    } else {
        "The utility of each party's offers to itself (solid) and to the others (dashed), by round; dotted lines mark scenario events.".to_string()
    };
    b.push_str(&figure(
        "concession",
        &concession::render(&cd, &format!("{}: concession curves", view.scenario)),
        &cap,
    ));
    b.push_str(&transcript(view));
    Ok(page(&format!("{} — detente report", view.scenario), &b))
}

/// The transcript as a table inside `<details>` (collapsed when long).
fn transcript(view: &TraceView) -> String {
    let mut w = String::new();
    let n = view.actions.len();
    let _ = writeln!(w, "<h2>Transcript</h2>");
    let _ = writeln!(
        w,
        "<details class=\"transcript\"{}><summary>{} actions in {} rounds</summary>",
        if n > COLLAPSE_AFTER { "" } else { " open" },
        n,
        view.result.rounds
    );
    let _ = write!(
        w,
        "<table class=\"transcript\"><thead><tr><th class=\"num\">round</th><th>party</th><th>action</th><th>offer</th>"
    );
    for p in &view.parties {
        let _ = write!(w, "<th class=\"num\">u({})</th>", esc(p));
    }
    let _ = writeln!(w, "</tr></thead><tbody>");
    for a in &view.actions {
        let what = match a.kind {
            ActionKind::Offer => "offers",
            ActionKind::Accept => "accepts",
            ActionKind::End => "walks out",
            ActionKind::Propose => "proposes",
        };
        let _ = write!(
            w,
            "<tr class=\"action {}\"><td class=\"num\">{}</td><td><span class=\"swatch\" style=\"background:{}\"></span>{}</td><td>{what}</td><td class=\"offer-text\">{}</td>",
            a.kind.as_str(),
            a.round + 1,
            colour(a.party),
            esc(view
                .parties
                .get(a.party)
                .map_or(detente_core::Actor::MEDIATOR_NAME, String::as_str)),
            esc(a.offer.as_deref().unwrap_or(""))
        );
        for i in 0..view.n_parties() {
            let _ = write!(
                w,
                "<td class=\"num\">{}</td>",
                a.utilities.get(i).map_or(String::new(), |u| f3(*u))
            );
        }
        let _ = writeln!(w, "</tr>");
    }
    let _ = writeln!(w, "</tbody></table></details>");
    w
}

fn opt(v: Option<f64>) -> (String, String) {
    match v {
        Some(v) if v.is_finite() => (format!("{v}"), format!("{v:.3}")),
        _ => (String::new(), "-".into()),
    }
}

/// The HTML report of a tournament: counts, sortable ranking and pairwise tables, the
/// interval plot and the heat map.
pub fn tournament_report(t: &tournament::TournamentData) -> String {
    let s = &t.summary;
    let mut w = String::new();
    let _ = writeln!(w, "<h1>Tournament {}</h1>", esc(&s.tournament));
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
        esc(&t.scenarios.join(", ")),
        s.agreements,
        s.negotiator_faults
    );
    let _ = writeln!(w, "<h2>Ranking</h2>");
    let _ = writeln!(
        w,
        "<table class=\"ranking sortable\"><thead><tr><th class=\"num\">rank</th><th>negotiator</th><th class=\"num\">observations</th><th class=\"num\">mean utility</th><th class=\"num\">95% CI</th><th class=\"num\">agreement rate</th><th class=\"num\">mean welfare</th><th class=\"num\">Pareto-optimal</th><th class=\"num\">d(frontier)</th><th class=\"num\">errors</th></tr></thead><tbody>"
    );
    for (i, n) in s.negotiators.iter().enumerate() {
        let (mu_v, mu_t) = opt(n.mean_utility);
        let (ar_v, _) = opt(n.agreement_rate);
        let (mw_v, mw_t) = opt(n.mean_welfare);
        let (po_v, _) = opt(n.pareto_optimal_rate);
        let (df_v, df_t) = opt(n.mean_dist_frontier);
        let ci = n
            .utility_ci
            .map_or("-".into(), |[a, b]| format!("[{a:.3}, {b:.3}]"));
        let _ = writeln!(
            w,
            "<tr class=\"negotiator\"><td class=\"num\">{}</td><td><span class=\"swatch\" style=\"background:{}\"></span>{}</td><td class=\"num\">{}</td><td class=\"num\" data-value=\"{mu_v}\">{mu_t}</td><td class=\"num\" data-value=\"{}\">{ci}</td><td class=\"num\" data-value=\"{ar_v}\">{}</td><td class=\"num\" data-value=\"{mw_v}\">{mw_t}</td><td class=\"num\" data-value=\"{po_v}\">{}</td><td class=\"num\" data-value=\"{df_v}\">{df_t}</td><td class=\"num\">{}</td></tr>",
            n.rank,
            colour(i),
            esc(&n.name),
            n.observations,
            n.utility_ci.map_or(String::new(), |c| c[0].to_string()),
            n.agreement_rate
                .map_or("-".into(), |r| format!("{:.1}%", r * 100.0)),
            n.pareto_optimal_rate
                .map_or("-".into(), |r| format!("{:.1}%", r * 100.0)),
            n.errors
        );
    }
    let _ = writeln!(w, "</tbody></table>");
    w.push_str(&figure(
        "tournament",
        &tournament::render_summary(t, &format!("{}: negotiators", s.tournament)),
        "Mean final utility of each negotiator's role and its agreement rate, with 95% confidence intervals (Student t for means, Wilson score for rates).",
    ));
    w.push_str(&figure(
        "heatmap",
        &tournament::render_heatmap(&t.heat, &format!("{}: negotiator against opponent", s.tournament)),
        "Mean final utility of the row negotiator in negotiations where the column negotiator played another role (hover a cell for counts and agreement rates).",
    ));
    let _ = writeln!(
        w,
        "<h2>Terminations</h2><table class=\"terminations sortable\"><thead><tr><th>termination</th><th class=\"num\">count</th></tr></thead><tbody>"
    );
    for (k, v) in &s.terminations {
        let _ = writeln!(w, "<tr><td>{}</td><td class=\"num\">{v}</td></tr>", esc(k));
    }
    let _ = writeln!(w, "</tbody></table>");
    let _ = writeln!(
        w,
        "<h2>Pairwise comparisons</h2><p>Welch's t-test on final utility for every pair (uncorrected for multiple comparisons).</p>"
    );
    let _ = writeln!(
        w,
        "<table class=\"pairwise sortable\"><thead><tr><th>negotiator</th><th>vs</th><th class=\"num\">difference</th><th class=\"num\">t</th><th class=\"num\">df</th><th class=\"num\">p</th><th>significant</th></tr></thead><tbody>"
    );
    for p in &s.pairwise {
        let (t_v, t_t) = opt(p.t);
        let (df_v, df_t) = opt(p.df);
        let _ = writeln!(
            w,
            "<tr><td>{}</td><td>{}</td><td class=\"num\" data-value=\"{}\">{:+.4}</td><td class=\"num\" data-value=\"{t_v}\">{t_t}</td><td class=\"num\" data-value=\"{df_v}\">{df_t}</td><td class=\"num\" data-value=\"{}\">{:.3e}</td><td>{}</td></tr>",
            esc(&p.a),
            esc(&p.b),
            p.difference,
            p.difference,
            p.p_value,
            p.p_value,
            if p.significant { "yes" } else { "no" }
        );
    }
    let _ = writeln!(w, "</tbody></table>");
    page(&format!("Tournament {} — detente report", s.tournament), &w)
}

/// The HTML report of a parameter sweep: the plot and a sortable table of the points.
pub fn sweep_report(d: &sweep::SweepData) -> String {
    let mut w = String::new();
    let title = match &d.scenario {
        Some(s) => format!("Sweep of {} on {}", d.parameter, s),
        None => format!("Sweep of {}", d.parameter),
    };
    let _ = writeln!(w, "<h1>{}</h1>", esc(&title));
    w.push_str(&figure(
        "sweep",
        &sweep::render(d, &title),
        "Agreement rate and each party's mean final utility as the parameter changes; shaded bands are 95% intervals.",
    ));
    let _ = write!(
        w,
        "<h2>Points</h2><table class=\"sweep sortable\"><thead><tr><th class=\"num\">{}</th><th class=\"num\">runs</th><th class=\"num\">agreement rate</th>",
        esc(&d.parameter)
    );
    for p in &d.parties {
        let _ = write!(w, "<th class=\"num\">utility of {}</th>", esc(p));
    }
    let _ = writeln!(w, "</tr></thead><tbody>");
    for p in &d.points {
        let (ar_v, _) = opt(p.agreement_rate.map(|e| e.mean));
        let _ = write!(
            w,
            "<tr class=\"point\"><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\" data-value=\"{ar_v}\">{}</td>",
            p.value,
            p.runs.map_or("-".into(), |r| r.to_string()),
            p.agreement_rate
                .map_or("-".into(), |e| format!("{:.1}%", e.mean * 100.0))
        );
        for u in &p.utilities {
            let (v, t) = opt(u.map(|e| e.mean));
            let _ = write!(w, "<td class=\"num\" data-value=\"{v}\">{t}</td>");
        }
        let _ = writeln!(w, "</tr>");
    }
    let _ = writeln!(w, "</tbody></table>");
    page(&format!("{title} — detente report"), &w)
}
