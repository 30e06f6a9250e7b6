//! The report of one negotiation: the facts and the result, the parties, the analysis of the
//! outcome space, the utility-space and concession plots, and the transcript.

use std::fmt::Write as _;

use detente_analysis::{Analysis, Points, quality_of_utilities};
use detente_core::{ActionKind, Actor, Scenario};
use detente_formats::trace::TerminationKind;
use detente_formats::xml::escape;

use super::table::{self, Column, cell, fixed3, num_cell, party_cell};
use super::{figure, page};
use crate::plot::fmt3;
use crate::plot::utility_space::{FigureConfig, ScenarioFigures};
use crate::plot::{concession, utility_space};
use crate::trace_view::{ActionView, TraceView};

/// Transcripts longer than this many actions start collapsed.
pub const COLLAPSE_AFTER: usize = 40;

/// The HTML report of one negotiation. With its `scenario` (and the `figures` computed from
/// it), the report adds the scenario description, the outcome space, the Pareto frontier,
/// the Nash and Kalai-Smorodinsky points and the agreement's quality.
pub fn trace_report(
    view: &TraceView,
    scenario: Option<&Scenario>,
    figures: Option<&ScenarioFigures>,
    config: &FigureConfig,
) -> crate::Result<String> {
    let mut body = header(view, scenario);
    body.push_str(&parties(view));
    body.push_str(&story(view));
    body.push_str(&analysis_section(view, scenario, figures));
    body.push_str(&utility_space_section(view, figures, config)?);
    body.push_str(&concession_section(view));
    body.push_str(&super::compliance::compliance_section(
        view.compliance.as_ref(),
        &view.scenario,
    ));
    body.push_str(&transcript(view));
    Ok(page(&format!("{} — detente report", view.scenario), &body))
}

/// The title, the scenario's description, the facts (sizes, deadline, seed) and the result.
fn header(view: &TraceView, scenario: Option<&Scenario>) -> String {
    let mut w = String::new();
    let _ = writeln!(w, "<h1>{}</h1>", escape(&view.scenario));
    if let Some(s) = scenario
        && !s.description.trim().is_empty()
    {
        let _ = writeln!(w, "<p class=\"lead\">{}</p>", escape(s.description.trim()));
    }
    let outcomes = scenario.map_or_else(|| "unknown".to_string(), |s| s.space.count_display());
    let _ = writeln!(
        w,
        "<p class=\"facts\">{} parties, {} issues, {} outcomes, deadline {} rounds, seed {}.</p>",
        view.n_parties(),
        view.issues.len(),
        escape(&outcomes),
        view.deadline,
        view.seed
    );
    let _ = writeln!(
        w,
        "<p class=\"result\"><strong>{}</strong></p>",
        escape(&describe_result(view))
    );
    if let Some(a) = &view.result.agreement {
        let _ = writeln!(w, "<p class=\"agreement\">Agreed: {}</p>", escape(a));
    }
    w
}

/// How the negotiation ended, as a sentence.
fn describe_result(v: &TraceView) -> String {
    let r = &v.result;
    match r.termination {
        TerminationKind::Agreement => format!(
            "Agreement in round {} (time {:.2} of the deadline).",
            r.rounds, r.time
        ),
        TerminationKind::Deadline => format!(
            "No agreement: the deadline of {} rounds passed.",
            v.deadline
        ),
        TerminationKind::TimeLimit => {
            format!("No agreement: the time limit passed in round {}.", r.rounds)
        }
        TerminationKind::Ended => format!(
            "No agreement: {} walked out in round {}.",
            r.ended_by.as_deref().unwrap_or("a party"),
            r.rounds
        ),
        TerminationKind::NegotiatorFault => format!(
            "No agreement: the negotiator of {} failed in round {}: {}.",
            r.ended_by.as_deref().unwrap_or("a party"),
            r.rounds,
            r.error.as_deref().unwrap_or("unknown fault")
        ),
        TerminationKind::MediatorFault => format!(
            "No agreement: the mediator failed in round {}: {}.",
            r.rounds,
            r.error.as_deref().unwrap_or("unknown fault")
        ),
    }
}

/// What changed the talks, in order: every event as it fired (timeline events, settlements
/// and their lapse, the hand-over of mediation, a mediator's notices), with what it changed;
/// then whether a deal zone existed and when.
fn story(view: &TraceView) -> String {
    let mut w = String::new();
    if !view.events.is_empty() {
        let _ = writeln!(w, "<h2>What changed the talks</h2>\n<ol class=\"events\">");
        for e in &view.events {
            let what = if e.description.is_empty() {
                String::new()
            } else {
                format!(": {}", escape(&e.description))
            };
            let _ = writeln!(
                w,
                "<li><span class=\"round\">Round {}</span> <strong>{}</strong>{what}</li>",
                e.round + 1,
                escape(&e.label)
            );
        }
        let _ = writeln!(w, "</ol>");
    }
    if let Some(line) = deal_zone_sentence(view) {
        let _ = writeln!(w, "<p class=\"deal-zone\">{}</p>", escape(&line));
    }
    w
}

/// Whether outcomes acceptable to every party at the table existed at the end, and in which
/// rounds, from the trace's analysis.
fn deal_zone_sentence(view: &TraceView) -> Option<String> {
    let quality = view.quality.as_ref()?;
    let end = quality.deal_zone?;
    let sizes = quality.deal_zone_by_round.as_deref().unwrap_or_default();
    let open: Vec<usize> = (0..sizes.len()).filter(|&r| sizes[r] > 0).collect();
    let when = match (open.first(), open.last()) {
        (Some(first), Some(last)) => format!(
            " A deal zone was open in {} of {} rounds, from round {} to round {} (largest: {} outcomes).",
            open.len(),
            sizes.len(),
            first + 1,
            last + 1,
            sizes.iter().max().copied().unwrap_or(0)
        ),
        _ if !sizes.is_empty() => " No round of the talks had one.".to_string(),
        _ => String::new(),
    };
    let reached = if view.result.agreement.is_some() {
        "The talks ended in agreement"
    } else {
        "The talks ended without agreement"
    };
    Some(format!(
        "{reached}; at the end, {end} outcome{} acceptable to every party at the table.{when}",
        if end == 1 { " was" } else { "s were" }
    ))
}

/// The parties: who played each, its reservation value, discount and final utility.
fn parties(view: &TraceView) -> String {
    let mut w = String::from("<h2>Parties</h2>\n");
    w.push_str(&table::open(
        "parties sortable",
        &[
            Column::text("party"),
            Column::text("negotiator"),
            Column::num("reservation"),
            Column::num("discount"),
            Column::num("final utility"),
        ],
    ));
    w.push('\n');
    for i in 0..view.n_parties() {
        let _ = writeln!(
            w,
            "<tr>{}{}{}{}{}</tr>",
            party_cell(i, &view.parties[i]),
            cell(&view.negotiators[i]),
            num_cell(&fmt3(view.reservations[i])),
            num_cell(&view.discounts[i].to_string()),
            num_cell(&fixed3(view.result.utilities.get(i).copied()))
        );
    }
    let _ = writeln!(w, "{}", table::END);
    w
}

/// The analysis of the outcome space and the quality of the result, or a note saying why
/// there is none.
fn analysis_section(
    view: &TraceView,
    scenario: Option<&Scenario>,
    figures: Option<&ScenarioFigures>,
) -> String {
    let mut w = String::from("<h2>Analysis of the outcome space</h2>\n");
    match figures {
        None => w.push_str(
            "<p class=\"note\">The scenario was not given, so the outcome space, the Pareto frontier and the Nash and Kalai-Smorodinsky points are not shown (pass <code>--scenario</code>).</p>\n",
        ),
        Some(f) => match &f.analysis {
            None => {
                let _ = writeln!(
                    w,
                    "<p class=\"note\">The outcome space could not be analysed: {}</p>",
                    escape(f.analysis_error.as_deref().unwrap_or("unknown reason"))
                );
            }
            Some(a) => {
                w.push_str(&analysis_table(a, view, scenario));
                w.push_str(&quality_table(a, view));
            }
        },
    }
    w
}

/// The frontier's size, the special points, the opposition and the share of outcomes every
/// party accepts.
fn analysis_table(a: &Analysis, view: &TraceView, scenario: Option<&Scenario>) -> String {
    let st = &a.stats;
    let mut w = String::from("<table class=\"analysis\"><tbody>\n");
    let _ = writeln!(
        w,
        "<tr><th>Pareto frontier</th><td class=\"num\" id=\"frontier-size\">{}</td><td>outcomes ({} distinct utility vectors)</td></tr>",
        st.frontier_size, st.frontier_distinct
    );
    for (name, points) in [
        ("Nash point", &a.nash),
        ("Kalai-Smorodinsky point", &a.kalai_smorodinsky),
        ("Maximum welfare", &a.max_welfare),
    ] {
        let _ = writeln!(
            w,
            "<tr><th>{name}</th><td colspan=\"2\">{}</td></tr>",
            escape(&points_text(points, view, scenario))
        );
    }
    let _ = writeln!(
        w,
        "<tr><th>Opposition</th><td class=\"num\">{}</td><td>distance from the ideal point to the frontier ({} normalised)</td></tr>",
        fmt3(st.opposition),
        fmt3(st.opposition_normalised)
    );
    if let Some(fr) = st.fraction_individually_rational {
        let _ = writeln!(
            w,
            "<tr><th>Acceptable to all</th><td class=\"num\">{:.1}%</td><td>of outcomes are at or above every reservation value</td></tr>",
            fr * 100.0
        );
    }
    let _ = writeln!(w, "</tbody></table>");
    w
}

/// Special points (ties included) as text: each party's utility and, with the scenario, the
/// outcome; the first three, then how many more.
fn points_text(p: &Points, view: &TraceView, scenario: Option<&Scenario>) -> String {
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
}

/// How good the agreement (or, without one, the reservation point) is against the analysis.
fn quality_table(a: &Analysis, view: &TraceView) -> String {
    let mut q = quality_of_utilities(a, view.result.agreement_utilities.as_deref());
    // The trace's own figures, against the setting at the end of the talks (the fallbacks in
    // force), are the ones `detente run` prints: prefer them.
    let against = match &view.quality {
        Some(d) => {
            q.pareto_optimal = d.pareto_optimal;
            q.welfare = d.welfare;
            q.distance_to_frontier = d.distance_to_frontier;
            q.distance_to_nash = d.distance_to_nash;
            q.distance_to_kalai_smorodinsky = d.distance_to_kalai_smorodinsky;
            q.distance_to_max_welfare = d.distance_to_max_welfare;
            "against the setting at the end of the talks (fallbacks, settlements and beliefs in force)"
        }
        None => "against the scenario as it starts",
    };
    let mut w = String::new();
    let _ = writeln!(
        w,
        "<h3>Quality of the {}</h3>\n<p class=\"note\">Measured {against}.</p>",
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
    for (name, value) in [
        ("Welfare (sum of utilities)", fmt3(q.welfare)),
        (
            "Distance to the Pareto frontier",
            fmt3(q.distance_to_frontier),
        ),
        ("Distance to the Nash point", fixed3(q.distance_to_nash)),
        (
            "Distance to the Kalai-Smorodinsky point",
            fixed3(q.distance_to_kalai_smorodinsky),
        ),
        (
            "Distance to maximum welfare",
            fmt3(q.distance_to_max_welfare),
        ),
    ] {
        let _ = writeln!(w, "<tr><th>{name}</th>{}</tr>", num_cell(&value));
    }
    let _ = writeln!(w, "</tbody></table>");
    w
}

/// The utility-space figure: one panel, or one per pair of parties.
fn utility_space_section(
    view: &TraceView,
    figures: Option<&ScenarioFigures>,
    config: &FigureConfig,
) -> crate::Result<String> {
    let pairs = utility_space::utility_space_pairs(view, figures, config)?;
    let cloud_note = figures
        .and_then(|f| f.cloud.as_ref())
        .filter(|c| c.sampled)
        .map(|c| {
            format!(
                " Outcomes: a fixed random sample of {} of {}.",
                c.len(),
                c.total.map_or("many".into(), |t| t.to_string())
            )
        })
        .unwrap_or_default();
    let caption = if pairs.len() == 1 {
        format!(
            "Each party's offers in its colour, fading into the past; the star is the agreement.{cloud_note}"
        )
    } else {
        format!(
            "One panel per pair of parties. The frontier drawn is the pair's best trade-offs; Nash and Kalai-Smorodinsky points are those of all {} parties, projected.{cloud_note}",
            view.n_parties()
        )
    };
    let svg = utility_space::render_panels(&pairs, &format!("{}: utility space", view.scenario));
    Ok(format!(
        "<h2>Utility space</h2>\n{}",
        figure("utility-space", &svg, &caption)
    ))
}

/// The concession figure.
fn concession_section(view: &TraceView) -> String {
    let caption = if view.events.is_empty() {
        "The utility of each party's offers to itself (solid) and to the others (dashed), by round."
    } else {
        "The utility of each party's offers to itself (solid) and to the others (dashed), by round; dotted lines mark scenario events."
    };
    let svg = concession::render(
        &concession::concession(view),
        &format!("{}: concession curves", view.scenario),
    );
    format!(
        "<h2>Concession</h2>\n{}",
        figure("concession", &svg, caption)
    )
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
    let mut columns = vec![
        Column::num("round"),
        Column::text("party"),
        Column::text("action"),
        Column::text("offer"),
    ];
    columns.extend(view.parties.iter().map(|p| Column::num(format!("u({p})"))));
    let _ = writeln!(w, "{}", table::open("transcript", &columns));
    for a in &view.actions {
        w.push_str(&action_row(view, a));
    }
    let _ = writeln!(w, "{}</details>", table::END);
    w
}

/// One row of the transcript: round, actor, action, offer and every party's utility of it.
fn action_row(view: &TraceView, a: &ActionView) -> String {
    let what = match a.kind {
        ActionKind::Offer => "offers",
        ActionKind::Accept => "accepts",
        ActionKind::End => "walks out",
        ActionKind::Propose => "proposes",
    };
    // A mediator's index is past the parties'.
    let actor = view
        .parties
        .get(a.party)
        .map_or(Actor::MEDIATOR_NAME, String::as_str);
    let utilities: String = (0..view.n_parties())
        .map(|i| num_cell(&a.utilities.get(i).map_or(String::new(), |u| fmt3(*u))))
        .collect();
    format!(
        "<tr class=\"action {}\">{}{}{}<td class=\"offer-text\">{}</td>{utilities}</tr>\n",
        a.kind.as_str(),
        num_cell(&(a.round + 1).to_string()),
        party_cell(a.party, actor),
        cell(what),
        escape(a.offer.as_deref().unwrap_or(""))
    )
}
