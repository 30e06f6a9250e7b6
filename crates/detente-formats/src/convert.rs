//! Converting a scenario between formats without dropping anything silently.
//!
//! detente's TOML holds every scenario. GENIUS XML and GeniusWeb JSON hold issues and each
//! party's preferences, but nothing of the talks around them (deadline, protocol, mediator,
//! constraints, events, partial agreements, default negotiators), and GeniusWeb profiles have
//! no discount factor. [`losses`] lists each element of a scenario that a target format
//! cannot hold, with the reason; a conversion refuses while the list is not empty, unless
//! it is told to drop them ([`without_losses`] gives the scenario as the target holds it).
//! What a target cannot hold and cannot drop either (a party's utility table, say) is
//! refused by the writer itself.
//!
//! Party order: GENIUS has none; detente's GENIUS writer records the order in the domain file
//! (an element GENIUS ignores) and its reader follows it. GeniusWeb files have no place for
//! it: reading orders profiles by file name, so a scenario whose parties are in another order
//! lists its order as a loss.

use std::path::Path;

use detente_core::{ProtocolKind, ProtocolSettings, Scenario, Utility};

use crate::{Result, SourceFormat};

/// Something of a scenario a target format cannot hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss {
    /// The element, e.g. `event "EU sanctions package"`.
    pub element: String,
    /// Why it is lost, and what reading the converted files gives instead.
    pub reason: String,
}

impl std::fmt::Display for Loss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.element, self.reason)
    }
}

/// Every element of `scenario` that writing it as `target` into `dir` would drop, in the
/// order of the scenario file (empty when the conversion is lossless).
pub fn losses(scenario: &Scenario, target: SourceFormat, dir: &Path) -> Result<Vec<Loss>> {
    if target == SourceFormat::Toml {
        return Ok(Vec::new());
    }
    let (files, format_name, ext, suffix) = match target {
        SourceFormat::Genius => ("GENIUS files", "GENIUS", "xml", true),
        _ => ("GeniusWeb files", "GeniusWeb", "json", false),
    };
    // Reading the files back gives this description: a scenario that has it loses nothing.
    let (domain, _) = crate::genius::plan_files(scenario, dir, ext, suffix)?;
    let names: Vec<&str> = scenario.parties.iter().map(|p| p.name.as_str()).collect();
    let read_back = crate::genius::read_description(format_name, &domain, &names);
    let mut out = Vec::new();
    let mut lose = |element: String, reason: String| out.push(Loss { element, reason });
    if !scenario.description.trim().is_empty() && scenario.description != read_back {
        lose(
            "the description".into(),
            format!("{files} have no description"),
        );
    }
    talks_losses(scenario, files, &mut lose);
    for c in scenario.space.constraints() {
        lose(
            format!("hard constraint \"{}\"", c.name),
            format!("{files} hold no constraints; every outcome would be feasible"),
        );
    }
    for e in &scenario.events {
        lose(
            format!("event \"{}\"", e.name),
            format!("{files} hold no timeline events"),
        );
    }
    for p in &scenario.parties {
        party_losses(p, target, files, &mut lose);
    }
    if target == SourceFormat::GeniusWeb {
        order_loss(scenario, dir, &mut lose)?;
    }
    Ok(out)
}

/// The settings of the talks that GENIUS and GeniusWeb files cannot hold.
fn talks_losses(scenario: &Scenario, files: &str, lose: &mut dyn FnMut(String, String)) {
    let p = &scenario.protocol;
    let default = ProtocolSettings::default();
    if p.deadline != default.deadline {
        lose(
            format!("the deadline of {} rounds", p.deadline),
            format!(
                "{files} hold no deadline; read back, the talks have detente's default of {} rounds",
                default.deadline
            ),
        );
    }
    if let Some(t) = p.time_limit {
        lose(
            format!(
                "the time limit of {} s",
                crate::validate::number(t.as_secs_f64())
            ),
            format!("{files} hold no time limit"),
        );
    }
    if let ProtocolKind::Mediated { mediator, strategy } = &p.kind {
        let who = match mediator {
            Some(m) => format!(
                "mediator {}, ",
                scenario.parties.get(*m).map_or("?", |p| p.name.as_str())
            ),
            None => String::new(),
        };
        lose(
            format!("the mediated protocol ({who}strategy `{strategy}`)"),
            format!(
                "{files} hold no protocol; read back, the talks use the Stacked Alternating Offers Protocol"
            ),
        );
    }
    if p.partial_agreements {
        lose(
            "partial agreements".into(),
            format!(
                "{files} hold no protocol settings; read back, issues are not settled one at a time"
            ),
        );
    }
}

/// What of one party's settings the target cannot hold.
fn party_losses(
    p: &detente_core::Party,
    target: SourceFormat,
    files: &str,
    lose: &mut dyn FnMut(String, String),
) {
    if let Some(spec) = &p.negotiator {
        lose(
            format!("the default negotiator of party \"{}\" (`{spec}`)", p.name),
            format!("{files} name no negotiators"),
        );
    }
    if let Utility::Interacting(u) = &p.preferences.utility {
        let names: Vec<String> = u
            .interactions()
            .iter()
            .map(|t| format!("\"{}\"", t.name))
            .collect();
        lose(
            format!(
                "the interaction terms of party \"{}\" ({})",
                p.name,
                names.join(", ")
            ),
            "additive profiles add one score per issue; read back, the party's utility is its linear additive part".into(),
        );
    }
    if target == SourceFormat::GeniusWeb && p.preferences.discount != 1.0 {
        lose(
            format!(
                "the discount factor {} of party \"{}\"",
                crate::validate::number(p.preferences.discount),
                p.name
            ),
            "GeniusWeb profiles have none (time pressure comes from the deadline)".into(),
        );
    }
}

/// The parties' order, when GeniusWeb's file-name order would change it.
fn order_loss(scenario: &Scenario, dir: &Path, lose: &mut dyn FnMut(String, String)) -> Result<()> {
    let (_, files) = crate::genius::plan_files(scenario, dir, "json", false)?;
    let mut read_back: Vec<(std::path::PathBuf, &str)> = files
        .into_iter()
        .zip(scenario.parties.iter().map(|p| p.name.as_str()))
        .collect();
    crate::genius::sort_by_file_name(&mut read_back);
    let back: Vec<&str> = read_back.iter().map(|(_, n)| *n).collect();
    let given: Vec<&str> = scenario.parties.iter().map(|p| p.name.as_str()).collect();
    if back != given {
        lose(
            format!("the order of the parties ({})", given.join(", ")),
            format!(
                "GeniusWeb files have none; reading orders the profiles by file name: {}",
                back.join(", ")
            ),
        );
    }
    Ok(())
}

/// `scenario` as `target` holds it: what [`losses`] lists is dropped (interaction terms,
/// GeniusWeb's discount factors; the writers leave out the rest by themselves).
pub fn without_losses(scenario: &Scenario, target: SourceFormat) -> Scenario {
    let mut s = scenario.clone();
    if target == SourceFormat::Toml {
        return s;
    }
    for p in &mut s.parties {
        if let Utility::Interacting(u) = &p.preferences.utility {
            p.preferences.utility = Utility::LinearAdditive(u.base().clone());
        }
        if target == SourceFormat::GeniusWeb {
            p.preferences.discount = 1.0;
        }
    }
    s
}
