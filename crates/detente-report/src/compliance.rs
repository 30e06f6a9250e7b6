//! The compliance timeline of a negotiation, as the report shows it: per round and per bound
//! party, the true act (when the trace holds it) and every published claim about it, each
//! weighed against the truth; the beliefs over time; and the events that started and ended the
//! obligations. Derived from a trace document's `compliance` list and `events`
//! (`docs/trace-format.md`) by [`ComplianceTimeline::from_doc`].

use detente_core::Reporter;
use detente_formats::trace::TraceDoc;
use detente_formats::trace::{ActDoc, ComplianceDoc};

/// Who published a claim: a party (its index in the trace's parties) or the monitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ClaimBy {
    /// A party, by index (its colour in the plots).
    Party(usize),
    /// The third-party monitor.
    Monitor,
}

/// A claim weighed against the truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The claim is what the party truly did.
    True,
    /// The claim is not what the party did: a false accusation or a false denial.
    False,
    /// The trace does not hold the truth (a hand-written record).
    Unknown,
}

/// One published claim about a bound party in a round.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Who claims.
    pub by: ClaimBy,
    /// What it claims the party did.
    pub claim: ActDoc,
    /// Whether that is true.
    pub verdict: Verdict,
}

/// One bound party under one obligation in one round: what it did and what was said of it.
#[derive(Debug, Clone, PartialEq)]
pub struct ComplianceRow {
    /// The round, from 0 (the report shows it from 1).
    pub round: u32,
    /// The obligation's issue.
    pub issue: String,
    /// The bound party, by index.
    pub party: usize,
    /// What it truly did; `None` when the trace does not say.
    pub act: Option<ActDoc>,
    /// Every claim about it, parties in turn order then the monitor.
    pub claims: Vec<Claim>,
}

/// One party's belief that a counterpart complies, round by round.
#[derive(Debug, Clone, PartialEq)]
pub struct BeliefSeries {
    /// Who believes, by index (the line's colour).
    pub holder: usize,
    /// About whom, by index.
    pub about: usize,
    /// `(round, belief)`: rounds from 0, in order.
    pub points: Vec<(u32, f64)>,
}

/// An event that started or ended an obligation (a settlement of its issue, its expiry or
/// lapse).
#[derive(Debug, Clone, PartialEq)]
pub struct Milestone {
    /// The round, from 0.
    pub round: u32,
    /// The event's name.
    pub name: String,
    /// What happened.
    pub description: String,
}

/// Everything the compliance section of a report shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ComplianceTimeline {
    /// Party names, in turn order (indices above point here).
    pub parties: Vec<String>,
    /// One row per round, issue and bound party, in that order.
    pub rows: Vec<ComplianceRow>,
    /// Who published claims: parties in turn order, then the monitor when it did.
    pub reporters: Vec<ClaimBy>,
    /// The beliefs, one series per holder and counterpart (holders in turn order).
    pub beliefs: Vec<BeliefSeries>,
    /// The events that started or ended an obligation, in order.
    pub milestones: Vec<Milestone>,
    /// Whether the trace holds the true acts (a simulation) or claims alone (a record).
    pub truth_known: bool,
}

impl ComplianceTimeline {
    /// The timeline of a trace document; `None` when it has no compliance records. Records
    /// naming a party the trace does not have are left out.
    pub fn from_doc(doc: &TraceDoc) -> Option<Self> {
        if doc.compliance.is_empty() {
            return None;
        }
        let party = |name: &str| doc.party_index(name);
        let mut rows: Vec<ComplianceRow> = Vec::new();
        let mut beliefs: Vec<BeliefSeries> = Vec::new();
        for record in &doc.compliance {
            match record {
                ComplianceDoc::Act {
                    round,
                    issue,
                    party: p,
                    act,
                } => {
                    if let Some(p) = party(p) {
                        row_of(&mut rows, *round, issue, p).act = Some(*act);
                    }
                }
                ComplianceDoc::Report {
                    round,
                    issue,
                    by,
                    about,
                    claim,
                } => {
                    let by = if by == Reporter::MONITOR_NAME {
                        Some(ClaimBy::Monitor)
                    } else {
                        party(by).map(ClaimBy::Party)
                    };
                    if let (Some(by), Some(about)) = (by, party(about)) {
                        row_of(&mut rows, *round, issue, about).claims.push(Claim {
                            by,
                            claim: *claim,
                            verdict: Verdict::Unknown,
                        });
                    }
                }
                ComplianceDoc::Belief {
                    round,
                    holder,
                    about,
                    belief,
                } => {
                    if let (Some(h), Some(a)) = (party(holder), party(about)) {
                        belief_of(&mut beliefs, h, a).points.push((*round, *belief));
                    }
                }
                ComplianceDoc::Observed { .. } => {}
            }
        }
        Some(finish(doc, rows, beliefs))
    }

    /// Claims of a breach that are false (the party complied), over every row.
    pub fn false_accusations(&self) -> usize {
        self.count(|c| c.claim == ActDoc::Breach && c.verdict == Verdict::False)
    }

    /// Claims of a breach that are true.
    pub fn true_accusations(&self) -> usize {
        self.count(|c| c.claim == ActDoc::Breach && c.verdict == Verdict::True)
    }

    /// Claims of compliance that are false (the party breached): denials and cover-ups.
    pub fn false_denials(&self) -> usize {
        self.count(|c| c.claim == ActDoc::Comply && c.verdict == Verdict::False)
    }

    /// How many claims satisfy `f`.
    fn count(&self, f: impl Fn(&Claim) -> bool) -> usize {
        self.rows
            .iter()
            .flat_map(|r| &r.claims)
            .filter(|c| f(c))
            .count()
    }
}

/// The row of `(round, issue, party)`, made when missing.
fn row_of<'a>(
    rows: &'a mut Vec<ComplianceRow>,
    round: u32,
    issue: &str,
    party: usize,
) -> &'a mut ComplianceRow {
    let k = rows
        .iter()
        .position(|r| r.round == round && r.issue == issue && r.party == party)
        .unwrap_or_else(|| {
            rows.push(ComplianceRow {
                round,
                issue: issue.to_string(),
                party,
                act: None,
                claims: Vec::new(),
            });
            rows.len() - 1
        });
    &mut rows[k]
}

/// The belief series of `(holder, about)`, made when missing.
fn belief_of(beliefs: &mut Vec<BeliefSeries>, holder: usize, about: usize) -> &mut BeliefSeries {
    let k = beliefs
        .iter()
        .position(|b| b.holder == holder && b.about == about)
        .unwrap_or_else(|| {
            beliefs.push(BeliefSeries {
                holder,
                about,
                points: Vec::new(),
            });
            beliefs.len() - 1
        });
    &mut beliefs[k]
}

/// Orders the rows and claims, weighs each claim against the act, and finds the milestones.
fn finish(
    doc: &TraceDoc,
    mut rows: Vec<ComplianceRow>,
    mut beliefs: Vec<BeliefSeries>,
) -> ComplianceTimeline {
    let issues: Vec<String> = {
        let mut v: Vec<String> = rows.iter().map(|r| r.issue.clone()).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let issue_rank = |name: &str| doc.issues.iter().position(|i| i == name);
    rows.sort_by(|a, b| {
        (a.round, issue_rank(&a.issue), a.party).cmp(&(b.round, issue_rank(&b.issue), b.party))
    });
    for row in &mut rows {
        row.claims.sort_by_key(|c| c.by);
        for c in &mut row.claims {
            c.verdict = match row.act {
                None => Verdict::Unknown,
                Some(a) if a == c.claim => Verdict::True,
                Some(_) => Verdict::False,
            };
        }
    }
    let mut reporters: Vec<ClaimBy> = rows
        .iter()
        .flat_map(|r| r.claims.iter().map(|c| c.by))
        .collect();
    reporters.sort_unstable();
    reporters.dedup();
    beliefs.sort_by_key(|b| (b.holder, b.about));
    let milestones = doc
        .events
        .iter()
        .filter(|e| issues.iter().any(|i| concerns(&e.description, i)))
        .map(|e| Milestone {
            round: e.round,
            name: e.name.clone(),
            description: e.description.clone(),
        })
        .collect();
    ComplianceTimeline {
        parties: doc.parties.iter().map(|p| p.name.clone()).collect(),
        truth_known: rows.iter().any(|r| r.act.is_some()),
        rows,
        reporters,
        beliefs,
        milestones,
    }
}

/// Whether an event's description is about the obligation on `issue`: a settlement of the
/// issue (`issue=value is agreed…`), its lapse (`the settlement issue=value lapses`) or the
/// obligation's end (`the obligation on issue …`), as the engine words them.
fn concerns(description: &str, issue: &str) -> bool {
    description.starts_with(&format!("{issue}="))
        || description.contains(&format!("the settlement {issue}="))
        || description.contains(&format!("the obligation on {issue} "))
}
