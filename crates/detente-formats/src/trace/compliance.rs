//! The compliance phase in the JSON trace: `compliance`, a list of records each tagged by
//! `kind` (`act`: what a bound party truly did; `observed`: what a watcher saw; `report`: what
//! it claimed; `belief`: what a party believed after the round). Parties and issues by name,
//! the monitor as [`detente_core::Reporter::MONITOR_NAME`]. A hand-written document may hold
//! reports alone (the truth is then unknown).

use detente_core::compliance::Act;
use detente_core::{ComplianceRecord, Reporter, Scenario};
use serde::{Deserialize, Serialize};

/// One record of the compliance phase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ComplianceDoc {
    /// What a bound party truly did.
    Act {
        /// Round, from 0 (post-agreement rounds continue the count).
        round: u32,
        /// The obligation's issue.
        issue: String,
        /// The bound party.
        party: String,
        /// `comply` or `breach`.
        act: ActDoc,
    },
    /// What a watcher saw a bound party do.
    Observed {
        /// Round, from 0.
        round: u32,
        /// The obligation's issue.
        issue: String,
        /// The watcher (a party, or `monitor`).
        by: String,
        /// The party watched.
        about: String,
        /// What it saw.
        saw: ActDoc,
    },
    /// A published claim.
    Report {
        /// Round, from 0.
        round: u32,
        /// The obligation's issue.
        issue: String,
        /// Who claims (a party, or `monitor`).
        by: String,
        /// About whom.
        about: String,
        /// What it claims.
        claim: ActDoc,
    },
    /// A party's belief, after the round, that a counterpart complies.
    Belief {
        /// Round, from 0.
        round: u32,
        /// Who believes.
        holder: String,
        /// About whom.
        about: String,
        /// The probability it gives compliance.
        belief: f64,
    },
}

/// `comply` or `breach`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActDoc {
    /// Kept the obligation.
    Comply,
    /// Broke it.
    Breach,
}

impl From<Act> for ActDoc {
    fn from(a: Act) -> Self {
        match a {
            Act::Comply => ActDoc::Comply,
            Act::Breach => ActDoc::Breach,
        }
    }
}

impl From<ActDoc> for Act {
    fn from(a: ActDoc) -> Self {
        match a {
            ActDoc::Comply => Act::Comply,
            ActDoc::Breach => Act::Breach,
        }
    }
}

/// The documents of a trace's compliance records.
pub fn compliance_docs(scenario: &Scenario, records: &[ComplianceRecord]) -> Vec<ComplianceDoc> {
    let names: Vec<String> = scenario.parties.iter().map(|p| p.name.clone()).collect();
    let party = |p: usize| names.get(p).cloned().unwrap_or_default();
    let issue = |i: usize| {
        scenario
            .space
            .issues()
            .get(i)
            .map(|x| x.name.clone())
            .unwrap_or_default()
    };
    records
        .iter()
        .map(|r| match *r {
            ComplianceRecord::Act {
                round,
                issue: i,
                party: p,
                act,
            } => ComplianceDoc::Act {
                round,
                issue: issue(i),
                party: party(p),
                act: act.into(),
            },
            ComplianceRecord::Observed {
                round,
                issue: i,
                by,
                about,
                saw,
            } => ComplianceDoc::Observed {
                round,
                issue: issue(i),
                by: by.name(&names).to_string(),
                about: party(about),
                saw: saw.into(),
            },
            ComplianceRecord::Report {
                round,
                issue: i,
                by,
                about,
                claim,
            } => ComplianceDoc::Report {
                round,
                issue: issue(i),
                by: by.name(&names).to_string(),
                about: party(about),
                claim: claim.into(),
            },
            ComplianceRecord::Belief {
                round,
                holder,
                about,
                belief,
            } => ComplianceDoc::Belief {
                round,
                holder: party(holder),
                about: party(about),
                belief,
            },
        })
        .collect()
}

/// The records of a document's `compliance` list, checked against the scenario; the error
/// names the record (`$.compliance[k]`) and what is wrong.
pub fn compliance_records(
    scenario: &Scenario,
    docs: &[ComplianceDoc],
) -> Result<Vec<ComplianceRecord>, (String, String)> {
    let party = |name: &str| {
        scenario
            .party_index(name)
            .ok_or_else(|| format!("`{name}` is not a party of the scenario"))
    };
    let reporter = |name: &str| {
        if name == Reporter::MONITOR_NAME {
            Ok(Reporter::Monitor)
        } else {
            party(name).map(Reporter::Party)
        }
    };
    let issue = |name: &str| {
        scenario
            .space
            .issue_index(name)
            .ok_or_else(|| format!("`{name}` is not an issue of the scenario"))
    };
    docs.iter()
        .enumerate()
        .map(|(k, d)| {
            record_of(d, &party, &reporter, &issue).map_err(|m| (format!("$.compliance[{k}]"), m))
        })
        .collect()
}

/// One record of a document.
fn record_of(
    d: &ComplianceDoc,
    party: &dyn Fn(&str) -> Result<usize, String>,
    reporter: &dyn Fn(&str) -> Result<Reporter, String>,
    issue: &dyn Fn(&str) -> Result<usize, String>,
) -> Result<ComplianceRecord, String> {
    {
        {
            let record = match d {
                ComplianceDoc::Act {
                    round,
                    issue: i,
                    party: p,
                    act,
                } => ComplianceRecord::Act {
                    round: *round,
                    issue: issue(i)?,
                    party: party(p)?,
                    act: (*act).into(),
                },
                ComplianceDoc::Observed {
                    round,
                    issue: i,
                    by,
                    about,
                    saw,
                } => ComplianceRecord::Observed {
                    round: *round,
                    issue: issue(i)?,
                    by: reporter(by)?,
                    about: party(about)?,
                    saw: (*saw).into(),
                },
                ComplianceDoc::Report {
                    round,
                    issue: i,
                    by,
                    about,
                    claim,
                } => ComplianceRecord::Report {
                    round: *round,
                    issue: issue(i)?,
                    by: reporter(by)?,
                    about: party(about)?,
                    claim: (*claim).into(),
                },
                ComplianceDoc::Belief {
                    round,
                    holder,
                    about,
                    belief,
                } => {
                    if !(0.0..=1.0).contains(belief) {
                        return Err(format!("belief {belief} is outside [0, 1]"));
                    }
                    ComplianceRecord::Belief {
                        round: *round,
                        holder: party(holder)?,
                        about: party(about)?,
                        belief: *belief,
                    }
                }
            };
            Ok(record)
        }
    }
}
