//! The transcript `detente run` prints, section by section: the header (the scenario, its
//! protocol, the parties with their negotiators, the scheduled events), the rounds (every
//! action, with the events that fired and the issues settled between them), the result and
//! the final utilities. It is written as the negotiation goes ([`Transcript`] is a
//! [`Recorder`]), so memory does not grow with the number of rounds. Also the protocol and
//! triggers in words, which `detente scenario check` prints too.

mod compliance;

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::io::{self, Write};

use detente_core::protocol::Recorder;
use detente_core::{
    ActionKind, ComplianceRecord, FiredEvent, Outcome, ProtocolKind, Scenario, Termination, Trace,
    TraceEntry, Trigger, Utility,
};
use detente_formats::columns::{column_width, pad};

/// How the protocol reads in a transcript header.
pub fn protocol_line(scenario: &Scenario) -> String {
    let mut line = match &scenario.protocol.kind {
        ProtocolKind::Saop => "stacked alternating offers".to_string(),
        ProtocolKind::Mediated { strategy, mediator } => {
            let who = match *mediator {
                Some(m) => format!(
                    "{} mediates; its texts count as its acceptance",
                    scenario.parties[m].name
                ),
                None => "a neutral mediator".to_string(),
            };
            format!("mediated single text ({strategy} mediator; {who})")
        }
    };
    if scenario.protocol.partial_agreements {
        line.push_str("; issues can be settled one at a time");
    }
    line
}

/// A trigger in words.
pub fn trigger_text(scenario: &Scenario, trigger: &Trigger) -> String {
    let name = |p: usize| scenario.parties[p].name.as_str();
    match *trigger {
        Trigger::Round(r) => format!("at round {}", r + 1),
        Trigger::NoAgreementBy(r) => format!("if nothing is agreed by round {r}"),
        Trigger::Stalling { party, rule } => format!(
            "if {} stalls: offers others less than {} more over {} rounds",
            name(party),
            rule.min_improvement,
            rule.window
        ),
        Trigger::Left(p) => format!("once {} has left", name(p)),
        Trigger::BreachReported { by, about } => {
            let names: Vec<String> = scenario.parties.iter().map(|p| p.name.clone()).collect();
            let by = by.map_or_else(|| "anyone".to_string(), |b| b.name(&names).to_string());
            let about = about.map_or("anyone", name);
            format!("once {by} reports a breach by {about}")
        }
        Trigger::BeliefBelow {
            holder,
            about,
            threshold,
        } => format!(
            "once {}'s trust in {} falls below {threshold}",
            name(holder),
            name(about)
        ),
    }
}

/// The width party names are padded to: the longest name, at least 8 characters (and at most
/// `columns::MAX_COLUMN_WIDTH`).
fn name_width(scenario: &Scenario) -> usize {
    column_width(scenario.parties.iter().map(|p| p.name.chars().count()), 8)
}

/// The scenario's name, the first sentence of its description, its size, the deadline the
/// talks start with, the seed, the protocol and the hard constraints.
fn header(w: &mut String, scenario: &Scenario, seed: u64) {
    let _ = writeln!(w, "{}", scenario.name);
    if let Some(first) = scenario.description.lines().find(|l| !l.trim().is_empty()) {
        let first = first.trim();
        // The first sentence is enough here; the scenario's README has the rest.
        let sentence = first.find(". ").map_or(first, |i| &first[..=i]);
        let _ = writeln!(w, "{sentence}");
    }
    let _ = writeln!(
        w,
        "{} parties, {} issues, {} outcomes, deadline {} rounds, seed {}",
        scenario.parties.len(),
        scenario.space.issues().len(),
        scenario.space.count_display(),
        scenario.protocol.deadline,
        seed
    );
    let _ = writeln!(w, "Protocol: {}", protocol_line(scenario));
    for c in scenario.space.constraints() {
        let _ = writeln!(w, "Constraint: {}", c.name);
    }
}

/// Each party in turn order: who plays it, its reservation value and discount, and the
/// interaction terms of its utility.
fn parties(w: &mut String, scenario: &Scenario, negotiators: &[String], width: usize) {
    let _ = writeln!(w, "\nParties (in turn order)");
    for (p, neg) in scenario.parties.iter().zip(negotiators) {
        let prefs = &p.preferences;
        let disc = if prefs.discount < 1.0 {
            format!("  discount {}", prefs.discount)
        } else {
            String::new()
        };
        let _ = writeln!(
            w,
            "  {}  plays {:<22} reservation {:.2}{disc}",
            pad(&p.name, width),
            neg,
            prefs.reservation
        );
        if let Utility::Interacting(u) = &prefs.utility {
            for t in u.interactions() {
                let _ = writeln!(
                    w,
                    "  {}  linked: {} ({:+})",
                    pad("", width),
                    t.name,
                    t.utility
                );
            }
        }
    }
}

/// The timeline events the scenario schedules, with their triggers.
fn schedule(w: &mut String, scenario: &Scenario) {
    for e in &scenario.events {
        let _ = writeln!(
            w,
            "Scheduled: {} ({})",
            e.name,
            trigger_text(scenario, &e.trigger)
        );
    }
}

/// A transcript being written to `out` as the negotiation goes: the header when it is made,
/// each round's actions and events as they come (the recorder's calls), the result and the
/// final utilities at [`Transcript::finish`]. A write error (a closed pipe) stops the writing
/// and is returned by `finish`.
pub struct Transcript<'s, W: Write> {
    out: W,
    scenario: &'s Scenario,
    /// Party names, in turn order.
    parties: Vec<String>,
    /// The width party names are padded to.
    width: usize,
    /// The indent of an offer's utility line (below the offer).
    indent: String,
    /// Whether the talks are mediated (a party's offer is then its rejection of the text).
    mediated: bool,
    /// The round of the latest action written.
    round: Option<u32>,
    /// The fired events not yet written, in order.
    events: VecDeque<FiredEvent>,
    /// The compliance records not yet written, in order.
    compliance: VecDeque<ComplianceRecord>,
    /// The latest outcome each party offered, and the mediator's latest text at index
    /// `parties.len()`, so that repeats read as repeats.
    last_offer: Vec<Option<Outcome>>,
    /// Text not yet written.
    text: String,
    /// The first write error.
    error: Option<io::Error>,
}

impl<'s, W: Write> Transcript<'s, W> {
    /// Starts the transcript of a negotiation on `scenario` with `seed`, `negotiators` naming
    /// who plays each party: writes the header, the parties and the scheduled events.
    pub fn new(out: W, scenario: &'s Scenario, negotiators: &[String], seed: u64) -> Self {
        let width = name_width(scenario);
        let mut t = Transcript {
            out,
            scenario,
            parties: scenario.parties.iter().map(|p| p.name.clone()).collect(),
            width,
            indent: " ".repeat(width + 4 + 8),
            mediated: matches!(scenario.protocol.kind, ProtocolKind::Mediated { .. }),
            round: None,
            events: VecDeque::new(),
            compliance: VecDeque::new(),
            last_offer: vec![None; scenario.parties.len() + 1],
            text: String::new(),
            error: None,
        };
        header(&mut t.text, scenario, seed);
        parties(&mut t.text, scenario, negotiators, width);
        schedule(&mut t.text, scenario);
        compliance::header(&mut t.text, scenario);
        t.write_out();
        t
    }

    /// Writes the text gathered so far (nothing more after an error).
    fn write_out(&mut self) {
        if self.error.is_none()
            && let Err(e) = self.out.write_all(self.text.as_bytes())
        {
            self.error = Some(e);
        }
        self.text.clear();
    }

    /// Writes what is left once the negotiation of `trace` has ended: the last events, the
    /// result, the final utilities, then `tail`; returns the writer, or the first write error.
    pub fn finish(mut self, trace: &Trace, tail: &str) -> io::Result<W> {
        if let Some(r) = self.round {
            self.events_upto(r, true);
        }
        while let Some(r) = self.compliance.front().map(ComplianceRecord::round) {
            let _ = writeln!(self.text, "\nRound {} (after the talks)", r + 1);
            self.compliance_upto(r);
            self.events_upto(r, false);
        }
        self.events_upto(u32::MAX, true);
        result(&mut self.text, self.scenario, trace);
        final_utilities(&mut self.text, self.scenario, trace, self.width);
        self.text.push_str(tail);
        self.write_out();
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.out.flush()?;
        Ok(self.out)
    }

    /// Writes the events that fired up to round `upto`: in that round itself, only partial
    /// agreements (`partial`, written after the round's actions) or only the others (written
    /// before them).
    fn events_upto(&mut self, upto: u32, partial: bool) {
        while let Some(e) = self.events.front() {
            let is_partial = e.name == "partial agreement";
            if e.round > upto || (e.round == upto && is_partial != partial) {
                break;
            }
            let mark = if is_partial { "settled" } else { "event" };
            let _ = writeln!(self.text, "  >> {mark}: {} — {}", e.name, e.description);
            self.events.pop_front();
        }
    }

    /// Writes the compliance records of the rounds up to `upto`, one block per round.
    fn compliance_upto(&mut self, upto: u32) {
        while let Some(r) = self.compliance.front().map(ComplianceRecord::round) {
            if r > upto {
                break;
            }
            let n = self
                .compliance
                .iter()
                .take_while(|c| c.round() == r)
                .count();
            let block: Vec<ComplianceRecord> = self.compliance.drain(..n).collect();
            compliance::block(&mut self.text, self.scenario, &block);
        }
    }

    /// An offer or a mediator's text: in full with its utilities, or as a repeat.
    fn offer(&mut self, e: &TraceEntry, who: &str) {
        let o = e.outcome.as_ref().expect("an offer has an outcome");
        let slot = e.actor.party().unwrap_or(self.scenario.parties.len());
        if self.last_offer[slot].as_ref() == Some(o) {
            let repeat = match e.kind {
                ActionKind::Propose => "proposes the same text",
                _ if self.mediated => "rejects (position unchanged)",
                _ => "repeats its offer",
            };
            let _ = writeln!(self.text, "  {who}  {repeat}");
        } else {
            let verb = match e.kind {
                ActionKind::Propose => "proposes",
                _ if self.mediated => "rejects, prefers",
                _ => "offers",
            };
            let shown = self.scenario.space.display(o);
            let _ = writeln!(self.text, "  {who}  {verb}  {shown}");
            let utilities: Vec<String> = self
                .parties
                .iter()
                .zip(&e.utilities)
                .map(|(n, u)| format!("{n} {u:.2}"))
                .collect();
            let _ = writeln!(
                self.text,
                "{}utility: {}",
                self.indent,
                utilities.join(", ")
            );
        }
        self.last_offer[slot] = Some(o.clone());
    }
}

impl<W: Write> Recorder for Transcript<'_, W> {
    /// One action, after the round's heading and events when it opens a round.
    fn action(&mut self, e: &TraceEntry) {
        if self.round != Some(e.round) {
            if let Some(r) = self.round {
                self.events_upto(r, true);
            }
            self.round = Some(e.round);
            let _ = writeln!(self.text, "\nRound {}", e.round + 1);
            self.compliance_upto(e.round);
            self.events_upto(e.round, false);
        }
        let who = pad(e.actor.name(&self.parties), self.width);
        match e.kind {
            ActionKind::Offer | ActionKind::Propose => self.offer(e, &who),
            ActionKind::Accept => {
                let _ = writeln!(self.text, "  {who}  accepts");
            }
            ActionKind::End => {
                let _ = writeln!(self.text, "  {who}  walks out");
            }
        }
        self.write_out();
    }

    /// An event waits until the transcript reaches its place.
    fn event(&mut self, event: &FiredEvent) {
        self.events.push_back(event.clone());
    }

    /// A compliance record waits until the transcript reaches its round.
    fn compliance(&mut self, record: &ComplianceRecord) {
        self.compliance.push_back(record.clone());
    }
}

/// How the talks ended, after a blank line.
fn result(w: &mut String, scenario: &Scenario, trace: &Trace) {
    let r = &trace.result;
    let _ = writeln!(w);
    match &r.termination {
        Termination::Agreement => {
            let _ = writeln!(
                w,
                "Result: agreement in round {} (time {:.2} of the deadline)",
                r.rounds_used, r.time
            );
            if let Some(a) = &r.agreement {
                let _ = writeln!(w, "  {}", scenario.space.display(a));
            }
        }
        Termination::Deadline => {
            let _ = writeln!(
                w,
                "Result: no agreement; the deadline of {} rounds passed",
                trace.deadline
            );
        }
        Termination::TimeLimit => {
            let _ = writeln!(
                w,
                "Result: no agreement; the time limit passed in round {}",
                r.rounds_used
            );
        }
        Termination::Ended { party } => {
            let _ = writeln!(
                w,
                "Result: no agreement; {} ended the talks in round {}",
                trace.parties[*party], r.rounds_used
            );
        }
        Termination::NegotiatorFault { party, fault } => {
            let _ = writeln!(
                w,
                "Result: no agreement; the negotiator of {} failed in round {}: {fault}",
                trace.parties[*party], r.rounds_used
            );
        }
        Termination::MediatorFault { fault } => {
            let _ = writeln!(
                w,
                "Result: no agreement; the mediator failed in round {}: {fault}",
                r.rounds_used
            );
        }
    }
}

/// Each party's final utility (its reservation value without agreement) beside the
/// reservation value it started with.
fn final_utilities(w: &mut String, scenario: &Scenario, trace: &Trace, width: usize) {
    let r = &trace.result;
    let _ = writeln!(
        w,
        "Final utilities{}:",
        if r.agreement.is_some() {
            ""
        } else {
            " (reservation values)"
        }
    );
    for (p, u) in scenario.parties.iter().zip(&r.utilities) {
        let _ = writeln!(
            w,
            "  {}  {u:.3}   (reservation {:.2} at the start)",
            pad(&p.name, width),
            p.preferences.reservation
        );
    }
}
