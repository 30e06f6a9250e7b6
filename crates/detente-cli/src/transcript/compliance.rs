//! The compliance phase in a transcript: the obligations in the header, and at the start of
//! each round they are watched, what the bound parties truly did, what each watcher saw, what
//! each side claimed and what every party now believes, kept apart.

use std::fmt::Write as _;

use detente_core::{ComplianceRecord, Reporter, Scenario};

/// The obligations and the monitor, for the header (nothing without obligations).
pub fn header(w: &mut String, scenario: &Scenario) {
    let c = &scenario.compliance;
    for o in &c.obligations {
        let issue = &scenario.space.issues()[o.issue];
        let values: Vec<String> = o
            .values
            .iter()
            .filter_map(|&v| issue.value(v).map(|x| x.to_string()))
            .collect();
        let bound: Vec<&str> = o
            .bound
            .iter()
            .map(|&p| scenario.parties[p].name.as_str())
            .collect();
        let term = o.expire_after.map_or_else(
            || "until the talks end".to_string(),
            |e| format!("for {e} round{}", if e == 1 { "" } else { "s" }),
        );
        let _ = writeln!(
            w,
            "Obligation: {}={} binds {} {term} once settled",
            issue.name,
            values.join("|"),
            bound.join(" and ")
        );
    }
    if c.is_empty() {
        return;
    }
    let monitor = match (&c.verification, c.monitor) {
        (Some(v), _) => format!(
            "negotiated: its accuracy follows the agreed {}",
            scenario.space.issues()[v.issue].name
        ),
        (None, Some(m)) => format!("accuracy {m}"),
        (None, None) => "none".to_string(),
    };
    let _ = writeln!(w, "Monitor: {monitor}");
}

/// One round's records (all of the same round), as indented lines.
pub fn block(w: &mut String, scenario: &Scenario, records: &[ComplianceRecord]) {
    let names: Vec<String> = scenario.parties.iter().map(|p| p.name.clone()).collect();
    let mut issues: Vec<usize> = Vec::new();
    for r in records {
        if let ComplianceRecord::Act { issue, .. } = r
            && !issues.contains(issue)
        {
            issues.push(*issue);
        }
    }
    for issue in issues {
        let of = |r: &&ComplianceRecord| match r {
            ComplianceRecord::Act { issue: i, .. }
            | ComplianceRecord::Observed { issue: i, .. }
            | ComplianceRecord::Report { issue: i, .. } => *i == issue,
            ComplianceRecord::Belief { .. } => false,
        };
        let mut truly = Vec::new();
        let mut seen = Vec::new();
        let mut claims = Vec::new();
        for r in records.iter().filter(of) {
            match *r {
                ComplianceRecord::Act { party, act, .. } => {
                    truly.push(format!("{} {}", names[party], verb(act.as_str(), true)));
                }
                ComplianceRecord::Observed { by, about, saw, .. } => seen.push(format!(
                    "{} saw {} {}",
                    by.name(&names),
                    names[about],
                    saw.as_str()
                )),
                ComplianceRecord::Report {
                    by, about, claim, ..
                } => {
                    let who = if by == Reporter::Party(about) {
                        "itself".to_string()
                    } else {
                        names[about].clone()
                    };
                    claims.push(format!(
                        "{} says {who} {}",
                        by.name(&names),
                        verb(claim.as_str(), false)
                    ));
                }
                ComplianceRecord::Belief { .. } => {}
            }
        }
        let name = &scenario.space.issues()[issue].name;
        let _ = writeln!(w, "  ~~ {name}: truly {}", truly.join(", "));
        let pad = " ".repeat(name.chars().count() + 7);
        let _ = writeln!(w, "{pad}seen: {}", seen.join("; "));
        let _ = writeln!(w, "{pad}said: {}", claims.join("; "));
    }
    let beliefs: Vec<String> = records
        .iter()
        .filter_map(|r| match *r {
            ComplianceRecord::Belief {
                holder,
                about,
                belief,
                ..
            } => Some(format!("{} in {} {belief:.2}", names[holder], names[about])),
            _ => None,
        })
        .collect();
    if !beliefs.is_empty() {
        let _ = writeln!(w, "  ~~ trust: {}", beliefs.join("; "));
    }
}

/// `breaches` / `complies` for what was done, `breached` / `complied` for what is claimed.
fn verb(act: &str, done: bool) -> &'static str {
    match (act, done) {
        ("breach", true) => "breaches",
        ("breach", false) => "breached",
        (_, true) => "complies",
        (_, false) => "complied",
    }
}
