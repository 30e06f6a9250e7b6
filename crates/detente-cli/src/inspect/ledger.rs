//! The compliance ledger as `detente inspect` prints it: accusations against the truth (when
//! known), each reporter's accuracy, the consistency of the claims and the disputes, with the
//! monitor accuracy that would decide each (definitions in docs/inspect.md).

use std::fmt::Write as _;

use detente_core::{Reporter, Scenario};
use detente_inspect::Ledger;
use detente_inspect::ledger::Dispute;

/// The ledger's section of the text.
pub(super) fn ledger_text(w: &mut String, scenario: &Scenario, l: &Ledger) {
    let names: Vec<String> = scenario.parties.iter().map(|p| p.name.clone()).collect();
    let who = |r: Reporter| r.name(&names).to_string();
    let _ = writeln!(
        w,
        "\nCompliance ledger ({}):",
        if l.truth_known {
            "a simulation: claims against what truly happened"
        } else {
            "claims only: what truly happened is not in the record"
        }
    );
    let _ = writeln!(w, "  claims (by, about: reports, claims of breach):");
    for p in &l.pairs {
        let _ = write!(
            w,
            "    {} about {}: {} reports, {} claims of breach",
            who(p.by),
            names[p.about],
            p.reports,
            p.breach_claims
        );
        if let Some(t) = p.truth {
            let _ = write!(w, "; {} true breaches in those rounds: ", t.breaches);
            let _ = if p.by == Reporter::Party(p.about) {
                write!(
                    w,
                    "{} admitted, {} denied, {} false admissions",
                    t.true_accusations, t.missed_breaches, t.false_accusations
                )
            } else {
                write!(
                    w,
                    "{} true and {} false accusations, {} missed",
                    t.true_accusations, t.false_accusations, t.missed_breaches
                )
            };
        }
        let _ = writeln!(w);
    }
    for a in &l.accuracy {
        let _ = writeln!(
            w,
            "  accuracy of {} about others: {} of {} claims true ({}); stated accuracy {}",
            who(a.by),
            a.correct,
            a.reports,
            a.accuracy
                .map_or("n/a".to_string(), |x| format!("{:.0}%", x * 100.0)),
            a.stated.map_or("none".to_string(), |x| format!("{x}"))
        );
    }
    for c in &l.consistency {
        let _ = writeln!(
            w,
            "  about {}: {} and {} agree in {} of {} rounds ({}){}",
            names[c.about],
            who(c.first),
            who(c.second),
            c.compared - c.disagreements,
            c.compared,
            c.agreement
                .map_or("n/a".to_string(), |x| format!("{:.0}%", x * 100.0)),
            if c.disputed_rounds.is_empty() {
                String::new()
            } else {
                format!("; they disagree in rounds {}", rounds(&c.disputed_rounds))
            }
        );
    }
    disputes_text(w, scenario, &names, l);
}

/// The rounds as a list counted from 1.
fn rounds(r: &[u32]) -> String {
    r.iter()
        .map(|r| (r + 1).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The disputes, one line each.
fn disputes_text(w: &mut String, scenario: &Scenario, names: &[String], l: &Ledger) {
    if l.disputes.is_empty() {
        let _ = writeln!(w, "  disputes: none (the parties' claims never disagree)");
        return;
    }
    let _ = writeln!(
        w,
        "  disputes ({}): the weight of the parties' claims under the engine's update (a claim \
         about oneself weighs nothing), and the accuracy a monitor needs for one report to \
         decide the round:",
        l.disputes.len()
    );
    for d in &l.disputes {
        dispute_line(w, scenario, names, d);
    }
}

fn dispute_line(w: &mut String, scenario: &Scenario, names: &[String], d: &Dispute) {
    let list = |v: &[Reporter]| {
        let who = v
            .iter()
            .map(|r| r.name(names).to_string())
            .collect::<Vec<_>>()
            .join(" and ");
        format!("{who} {}", if v.len() == 1 { "says" } else { "say" })
    };
    let towards = if d.log_odds > 0.0 {
        "towards compliance"
    } else if d.log_odds < 0.0 {
        "towards breach"
    } else {
        "they cancel"
    };
    let _ = write!(
        w,
        "    round {}, {}, about {}: {} breach, {} comply; weight {:+.2} ({towards}); \
         a monitor must be more accurate than {:.3}",
        d.round + 1,
        scenario.space.issues()[d.issue].name,
        names[d.about],
        list(&d.accusers),
        list(&d.defenders),
        d.log_odds,
        d.monitor_needed
    );
    if let Some(m) = d.monitor {
        let _ = write!(w, "; the monitor said {}", m.as_str());
    }
    if let Some(t) = d.truth {
        let _ = write!(w, "; truly: {}", t.as_str());
    }
    let _ = writeln!(w);
}
