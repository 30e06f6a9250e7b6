//! Reports in hand-written records: claims `{by, about, claim, round}` about an obligation,
//! without what truly happened (format in `docs/inspect.md`). Checked against the scenario:
//! the reporter is a party or the monitor, the party reported on is bound by the obligation,
//! the claim is `comply` or `breach`, the round is within the deadline.

use detente_core::compliance::Act;
use detente_core::{ComplianceRecord, Reporter, Scenario};

/// One report as a record writes it.
#[derive(Debug, Clone)]
pub(crate) struct ReportRow {
    /// Round, from 1, as written.
    pub round: i64,
    /// The reporter's name (a party, or `monitor`).
    pub by: String,
    /// The party reported on.
    pub about: String,
    /// `comply` or `breach`.
    pub claim: String,
    /// The obligation's issue; may be left out when the scenario has one obligation.
    pub issue: Option<String>,
}

/// The compliance record of a report, checked against `scenario` and the `deadline`.
pub(crate) fn report_record(
    row: &ReportRow,
    scenario: &Scenario,
    deadline: u32,
) -> Result<ComplianceRecord, String> {
    let round = super::read_record::record_round(row.round)?;
    if round >= deadline {
        return Err(format!(
            "round {} is past the deadline ({deadline} rounds)",
            row.round
        ));
    }
    let obligations = &scenario.compliance.obligations;
    let obligation = match &row.issue {
        Some(name) => {
            let issue = scenario
                .space
                .issue_index(name)
                .ok_or_else(|| format!("`{name}` is not an issue of the scenario"))?;
            scenario
                .compliance
                .obligation_on(issue)
                .ok_or_else(|| format!("the scenario has no obligation on `{name}`"))?
        }
        None => match obligations.as_slice() {
            [one] => one,
            [] => return Err("a report, but the scenario has no obligation".into()),
            _ => {
                return Err("the scenario has several obligations: say which with `issue`".into());
            }
        },
    };
    let by = if row.by == Reporter::MONITOR_NAME {
        Reporter::Monitor
    } else {
        Reporter::Party(scenario.party_index(&row.by).ok_or_else(|| {
            format!(
                "`{}` is not a party of the scenario (nor `monitor`)",
                row.by
            )
        })?)
    };
    let about = scenario
        .party_index(&row.about)
        .ok_or_else(|| format!("`{}` is not a party of the scenario", row.about))?;
    if !obligation.bound.contains(&about) {
        return Err(format!("`{}` is not bound by the obligation", row.about));
    }
    let claim = match row.claim.trim().to_ascii_lowercase().as_str() {
        "comply" => Act::Comply,
        "breach" => Act::Breach,
        other => return Err(format!("claim `{other}`: expected comply or breach")),
    };
    Ok(ComplianceRecord::Report {
        round,
        issue: obligation.issue,
        by,
        about,
        claim,
    })
}
