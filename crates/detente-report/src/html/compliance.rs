//! The compliance timeline of a negotiation report: the obligations' milestones, a table of
//! what each bound party truly did each round and what every side (and the monitor) claimed,
//! each claim marked true or false when the truth is known, and the beliefs over time.

use std::fmt::Write as _;

use detente_formats::trace::ActDoc;
use detente_formats::xml::escape;

use super::figure;
use super::table::{self, Column, cell, num_cell, party_cell};
use crate::compliance::{Claim, ClaimBy, ComplianceRow, ComplianceTimeline, Verdict};
use crate::plot::beliefs;
use detente_core::Reporter;

/// The compliance section (`<section class="compliance">`), or nothing without records.
pub(super) fn compliance_section(t: Option<&ComplianceTimeline>, scenario: &str) -> String {
    let Some(t) = t else {
        return String::new();
    };
    let mut w = String::from("<section class=\"compliance\">\n<h2>Compliance</h2>\n");
    w.push_str(&summary(t));
    w.push_str(&milestones(t));
    w.push_str(&claims_table(t));
    if !t.beliefs.is_empty() {
        let svg = beliefs::render(t, &format!("{scenario}: beliefs in compliance"));
        w.push_str(&figure(
            "beliefs",
            &svg,
            "After each round, the probability each party (its colour) gives that a counterpart (solid, then dashed) complies next round; dotted lines mark an obligation starting or ending.",
        ));
    }
    w.push_str("</section>\n");
    w
}

/// One sentence: how many rows, and (when the truth is known) how many claims were false.
fn summary(t: &ComplianceTimeline) -> String {
    let rounds = {
        let mut r: Vec<u32> = t.rows.iter().map(|r| r.round).collect();
        r.dedup();
        r.len()
    };
    let text = if t.truth_known {
        let breaches = t
            .rows
            .iter()
            .filter(|r| r.act == Some(ActDoc::Breach))
            .count();
        format!(
            "{rounds} rounds under obligation: {breaches} true breaches; {} accusations true, {} false; {} false denials.",
            t.true_accusations(),
            t.false_accusations(),
            t.false_denials()
        )
    } else {
        format!(
            "{rounds} rounds of claims; the record does not hold what the parties truly did, so no claim is marked true or false."
        )
    };
    format!("<p class=\"compliance-summary\">{}</p>\n", escape(&text))
}

/// The events that started and ended the obligations, as a list.
fn milestones(t: &ComplianceTimeline) -> String {
    if t.milestones.is_empty() {
        return String::new();
    }
    let mut w = String::from("<ul class=\"milestones\">\n");
    for m in &t.milestones {
        let _ = writeln!(
            w,
            "<li>Round {}: <strong>{}</strong>: {}</li>",
            m.round + 1,
            escape(&m.name),
            escape(&m.description)
        );
    }
    w.push_str("</ul>\n");
    w
}

/// The table: round, issue, bound party, the true act, then one column per reporter.
fn claims_table(t: &ComplianceTimeline) -> String {
    let mut columns = vec![
        Column::num("round"),
        Column::text("obligation"),
        Column::text("party"),
        Column::text("true act"),
    ];
    columns.extend(
        t.reporters
            .iter()
            .map(|&by| Column::text(format!("{}'s claim", reporter_name(t, by)))),
    );
    let caption = "<caption>What each bound party did each round, and what each side and the monitor claimed it did; a claim that is not what happened is marked false.</caption>";
    let mut w = table::open("compliance-ledger", &columns).replacen(
        "<thead>",
        &format!("{caption}<thead>"),
        1,
    );
    w.push('\n');
    for row in &t.rows {
        w.push_str(&row_html(t, row));
    }
    let _ = writeln!(w, "{}", table::END);
    w
}

/// One row of the table.
fn row_html(t: &ComplianceTimeline, row: &ComplianceRow) -> String {
    let act = match row.act {
        Some(a) => format!("<td class=\"act act-{}\">{}</td>", act_word(a), act_word(a)),
        None => cell("unknown"),
    };
    let claims: String = t
        .reporters
        .iter()
        .map(|&by| {
            let cs: Vec<&Claim> = row.claims.iter().filter(|c| c.by == by).collect();
            claim_cell(&cs)
        })
        .collect();
    format!(
        "<tr class=\"compliance-round\">{}{}{}{act}{claims}</tr>\n",
        num_cell(&(row.round + 1).to_string()),
        cell(&row.issue),
        party_cell(row.party, &t.parties[row.party]),
    )
}

/// A reporter's claims about the row's party (usually one; none leaves the cell empty).
fn claim_cell(claims: &[&Claim]) -> String {
    if claims.is_empty() {
        return "<td></td>".into();
    }
    let parts: Vec<String> = claims
        .iter()
        .map(|c| {
            let (class, note) = match c.verdict {
                Verdict::True => ("true", " (true)"),
                Verdict::False => ("false", " (false)"),
                Verdict::Unknown => ("unknown", ""),
            };
            format!(
                "<span class=\"claim claim-{} verdict-{class}\">{}{note}</span>",
                act_word(c.claim),
                act_word(c.claim)
            )
        })
        .collect();
    format!("<td>{}</td>", parts.join(", "))
}

/// `comply` or `breach`.
fn act_word(a: ActDoc) -> &'static str {
    match a {
        ActDoc::Comply => "comply",
        ActDoc::Breach => "breach",
    }
}

/// A reporter's name.
fn reporter_name(t: &ComplianceTimeline, by: ClaimBy) -> &str {
    match by {
        ClaimBy::Party(p) => &t.parties[p],
        ClaimBy::Monitor => Reporter::MONITOR_NAME,
    }
}
