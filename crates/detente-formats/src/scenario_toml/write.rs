//! Writing: a [`Scenario`] as TOML that reads back to the same issues, parties, events and
//! the same utility for every outcome (numbers in Rust's shortest round-trip form).

use std::fmt::Write as _;
use std::path::Path;

use detente_core::compliance::ComplianceProfile;
use detente_core::{
    Change, Combination, Effect, Evaluator, Event, HyperrectangleUtility, Interaction, Issue,
    IssueKind, LinearAdditive, NegotiatorSpec, OutcomeSpace, Party, ProtocolKind, Scenario,
    TableUtility, Trigger, Utility,
};

use super::FORMAT_VERSION;
use crate::{FormatError, Result};

/// Writes a scenario as TOML. Reading the result back gives the same issues, parties and the
/// same utility for every outcome. Fails for preferences given only as code
/// ([`Utility::Custom`]).
pub fn to_string(scenario: &Scenario) -> Result<String> {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "format = {FORMAT_VERSION}");
    let _ = writeln!(w, "name = {}", string(&scenario.name));
    if !scenario.description.is_empty() {
        let _ = writeln!(w, "description = {}", string(&scenario.description));
    }
    protocol(w, scenario);
    for i in scenario.space.issues() {
        issue(w, i);
    }
    for c in scenario.space.constraints() {
        let _ = writeln!(
            w,
            "\n[[constraints]]\nname = {}\nforbid = {}",
            string(&c.name),
            combination_literal(&scenario.space, &c.combination)
        );
    }
    for (k, p) in scenario.parties.iter().enumerate() {
        party(w, &scenario.space, p, scenario.compliance.profile(k))?;
    }
    for e in &scenario.events {
        event(w, scenario, e);
    }
    compliance(w, scenario);
    Ok(out)
}

/// Writes a scenario as a TOML file.
pub fn save(scenario: &Scenario, path: &Path) -> Result<()> {
    let text = to_string(scenario).map_err(|e| match e {
        FormatError::Unrecognised { message, .. } => FormatError::Unrecognised {
            path: path.to_path_buf(),
            message,
        },
        e => e,
    })?;
    std::fs::write(path, text).map_err(|source| FormatError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn protocol(w: &mut String, scenario: &Scenario) {
    let _ = writeln!(w, "\n[protocol]\nrounds = {}", scenario.protocol.deadline);
    if let Some(t) = scenario.protocol.time_limit {
        let _ = writeln!(w, "time_limit = {}", num(t.as_secs_f64()));
    }
    if let ProtocolKind::Mediated { strategy, mediator } = &scenario.protocol.kind {
        let _ = writeln!(
            w,
            "kind = \"mediated\"\nstrategy = {}",
            string(&strategy.to_string())
        );
        if let Some(m) = *mediator {
            let _ = writeln!(w, "mediator = {}", string(&scenario.parties[m].name));
        }
    }
    if scenario.protocol.partial_agreements {
        let _ = writeln!(w, "partial_agreements = true");
    }
}

fn issue(w: &mut String, issue: &Issue) {
    let _ = writeln!(w, "\n[[issues]]\nname = {}", string(&issue.name));
    match &issue.kind {
        IssueKind::Discrete { values } => {
            let vs: Vec<String> = values.iter().map(|v| string(v)).collect();
            let _ = writeln!(w, "values = [{}]", vs.join(", "));
        }
        IssueKind::Integer { min, max } => {
            let _ = writeln!(w, "type = \"integer\"\nmin = {min}\nmax = {max}");
        }
        IssueKind::Real { min, max, steps } => {
            let _ = writeln!(
                w,
                "type = \"real\"\nmin = {}\nmax = {}\nsteps = {steps}",
                num(*min),
                num(*max)
            );
        }
    }
    if let Some(q) = issue.status_quo {
        let _ = writeln!(w, "status_quo = {}", value_literal(issue, q));
    }
}

fn party(
    w: &mut String,
    space: &OutcomeSpace,
    party: &Party,
    profile: Option<&ComplianceProfile>,
) -> Result<()> {
    let p = &party.preferences;
    let _ = writeln!(w, "\n[[parties]]\nname = {}", string(&party.name));
    let _ = writeln!(
        w,
        "reservation = {}\ndiscount = {}",
        num(p.reservation),
        num(p.discount)
    );
    if let Some(spec) = &party.negotiator {
        negotiator(w, spec);
    }
    if let Some(c) = profile {
        let _ = writeln!(
            w,
            "compliance = {{ breach_gain = {}, caught_cost = {}, accuracy = {}, bias = {}, \
             prior = {}, strategy = {} }}",
            num(c.breach_gain),
            num(c.caught_cost),
            num(c.accuracy),
            num(c.bias),
            num(c.prior),
            string(&c.strategy.to_string())
        );
    }
    match &p.utility {
        Utility::LinearAdditive(lin) => linear(w, space, lin, &[]),
        Utility::Interacting(i) => linear(w, space, i.base(), i.interactions()),
        Utility::Table(t) => table(w, space, t),
        Utility::Hyperrectangles(h) => rectangles(w, space, h),
        Utility::Custom(_) => {
            return Err(unwritable(format!(
                "party `{}` has preferences given as code, which a scenario file cannot hold",
                party.name
            )));
        }
        _ => {
            return Err(unwritable(format!(
                "party `{}` has a kind of preferences the TOML format cannot hold",
                party.name
            )));
        }
    }
    Ok(())
}

fn negotiator(w: &mut String, spec: &NegotiatorSpec) {
    let _ = writeln!(w, "negotiator = {}", crate::spec_toml::inline(spec));
}

/// `[parties.issues]` and any `[[parties.interactions]]`.
fn linear(w: &mut String, space: &OutcomeSpace, lin: &LinearAdditive, terms: &[Interaction]) {
    if let Some(c) = lin.cap() {
        let _ = writeln!(w, "cap = {}", num(c));
    }
    for (i, issue) in space.issues().iter().enumerate() {
        let _ = writeln!(
            w,
            "\n[parties.issues.{}]\nweight = {}",
            key(&issue.name),
            num(lin.weights()[i])
        );
        evaluator(w, issue, &lin.evaluators()[i]);
    }
    for t in terms {
        let _ = writeln!(
            w,
            "\n[[parties.interactions]]\nname = {}\nwhen = {}\nutility = {}",
            string(&t.name),
            combination_literal(space, &t.when),
            num(t.utility)
        );
    }
}

fn evaluator(w: &mut String, issue: &Issue, evaluator: &Evaluator) {
    match evaluator {
        Evaluator::Table(scores) => match &issue.kind {
            IssueKind::Discrete { values } => {
                let _ = writeln!(w, "[parties.issues.{}.values]", key(&issue.name));
                for (v, s) in values.iter().zip(scores) {
                    let _ = writeln!(w, "{} = {}", key(v), num(*s));
                }
            }
            _ => {
                let ss: Vec<String> = scores.iter().map(|s| num(*s)).collect();
                let _ = writeln!(w, "scores = [{}]", ss.join(", "));
            }
        },
        Evaluator::Linear {
            slope,
            intercept,
            origin,
            clamp,
        } => {
            let _ = writeln!(
                w,
                "slope = {}\nintercept = {}\norigin = {}\nclamp = {clamp}",
                num(*slope),
                num(*intercept),
                num(*origin)
            );
        }
        Evaluator::Triangular { lower, upper, top } => {
            let _ = writeln!(
                w,
                "triangular = {{ lower = {}, top = {}, upper = {} }}",
                num(*lower),
                num(*top),
                num(*upper)
            );
        }
        Evaluator::Constant(c) => {
            let _ = writeln!(w, "constant = {}", num(*c));
        }
        Evaluator::Interpolate {
            low_value,
            low_utility,
            high_value,
            high_utility,
        } => {
            let _ = writeln!(
                w,
                "interpolate = {{ low_value = {}, low_utility = {}, high_value = {}, high_utility = {} }}",
                num(*low_value),
                num(*low_utility),
                num(*high_value),
                num(*high_utility)
            );
        }
    }
}

/// `[parties.table]`, outcomes in id order.
fn table(w: &mut String, space: &OutcomeSpace, t: &TableUtility) {
    let _ = writeln!(
        w,
        "\n[parties.table]\ndefault = {}\noutcomes = [",
        num(t.default)
    );
    let mut entries: Vec<_> = t.values.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    for (o, u) in entries {
        let at: Vec<String> = space
            .issues()
            .iter()
            .zip(&o.0)
            .map(|(issue, &v)| format!("{} = {}", key(&issue.name), value_literal(issue, v)))
            .collect();
        let _ = writeln!(
            w,
            "  {{ at = {{ {} }}, utility = {} }},",
            at.join(", "),
            num(*u)
        );
    }
    let _ = writeln!(w, "]");
}

/// `[parties.rectangles]`.
fn rectangles(w: &mut String, space: &OutcomeSpace, h: &HyperrectangleUtility) {
    let _ = writeln!(w, "\n[parties.rectangles]\nscale = {}", num(h.scale));
    if let Some(c) = h.cap {
        let _ = writeln!(w, "cap = {}", num(c));
    }
    let _ = writeln!(w, "list = [");
    for r in &h.rectangles {
        let bounds: Vec<String> = r
            .bounds
            .iter()
            .map(|&(i, lo, hi)| {
                let issue = &space.issues()[i];
                format!(
                    "{} = [{}, {}]",
                    key(&issue.name),
                    value_literal(issue, lo),
                    value_literal(issue, hi)
                )
            })
            .collect();
        let _ = writeln!(
            w,
            "  {{ utility = {}, bounds = {{ {} }} }},",
            num(r.utility),
            bounds.join(", ")
        );
    }
    let _ = writeln!(w, "]");
}

fn event(w: &mut String, scenario: &Scenario, e: &Event) {
    let effects: Vec<String> = e
        .effects
        .iter()
        .map(|eff| effect_literal(scenario, eff))
        .collect();
    let _ = writeln!(
        w,
        "\n[[events]]\nname = {}\ntrigger = {}\neffects = [\n  {},\n]",
        string(&e.name),
        trigger_literal(scenario, &e.trigger),
        effects.join(",\n  ")
    );
}

fn trigger_literal(scenario: &Scenario, trigger: &Trigger) -> String {
    let party = |p: usize| string(&scenario.parties[p].name);
    match *trigger {
        Trigger::Round(r) => format!("{{ round = {} }}", u64::from(r) + 1),
        Trigger::NoAgreementBy(r) => format!("{{ no_agreement_by = {r} }}"),
        Trigger::Stalling { party: p, rule } => format!(
            "{{ stalling = {}, window = {}, min_improvement = {} }}",
            party(p),
            rule.window,
            num(rule.min_improvement)
        ),
        Trigger::Left(p) => format!("{{ left = {} }}", party(p)),
        Trigger::BreachReported { by, about } => {
            let mut keys = Vec::new();
            if let Some(b) = by {
                keys.push(format!("by = {}", string(b.name(&names(scenario)))));
            }
            if let Some(a) = about {
                keys.push(format!("about = {}", party(a)));
            }
            format!("{{ breach_reported = {{ {} }} }}", keys.join(", "))
        }
        Trigger::BeliefBelow {
            holder,
            about,
            threshold,
        } => format!(
            "{{ belief_below = {}, holder = {}, about = {} }}",
            num(threshold),
            party(holder),
            party(about)
        ),
    }
}

fn effect_literal(scenario: &Scenario, effect: &Effect) -> String {
    let party = |p: usize| string(&scenario.parties[p].name);
    match *effect {
        Effect::Leave {
            party: p,
            end_talks,
        } => format!("{{ leave = {}, end_talks = {end_talks} }}", party(p)),
        Effect::Reservation {
            party: p,
            change: Change::Set(v),
        } => format!("{{ reservation = {}, set = {} }}", party(p), num(v)),
        Effect::Reservation {
            party: p,
            change: Change::Shift(v),
        } => format!("{{ reservation = {}, shift = {} }}", party(p), num(v)),
        Effect::Weight {
            party: p,
            issue,
            weight,
        } => format!(
            "{{ weight = {}, issue = {}, value = {} }}",
            party(p),
            string(&scenario.space.issues()[issue].name),
            num(weight)
        ),
        Effect::Deadline { rounds } => format!("{{ deadline = {rounds} }}"),
        Effect::Unsettle { issue } => format!(
            "{{ unsettle = {} }}",
            string(&scenario.space.issues()[issue].name)
        ),
        Effect::Expire { issue } => format!(
            "{{ expire = {} }}",
            string(&scenario.space.issues()[issue].name)
        ),
        Effect::Settle { issue, value } => {
            let def = &scenario.space.issues()[issue];
            format!(
                "{{ settle = {}, value = {} }}",
                string(&def.name),
                value_literal(def, value)
            )
        }
        Effect::Availability {
            issue,
            value,
            available,
        } => {
            let def = &scenario.space.issues()[issue];
            format!(
                "{{ {} = {{ {} = {} }} }}",
                if available {
                    "available"
                } else {
                    "unavailable"
                },
                key(&def.name),
                value_literal(def, value)
            )
        }
    }
}

fn names(scenario: &Scenario) -> Vec<String> {
    scenario.parties.iter().map(|p| p.name.clone()).collect()
}

/// `[[obligations]]` and `[compliance]`.
fn compliance(w: &mut String, scenario: &Scenario) {
    let c = &scenario.compliance;
    let party = |p: &usize| string(&scenario.parties[*p].name);
    for o in &c.obligations {
        let issue = &scenario.space.issues()[o.issue];
        let values: Vec<String> = o.values.iter().map(|&v| value_literal(issue, v)).collect();
        let bound: Vec<String> = o.bound.iter().map(party).collect();
        let _ = writeln!(
            w,
            "\n[[obligations]]\nissue = {}\nvalues = [{}]\nbound = [{}]",
            string(&issue.name),
            values.join(", "),
            bound.join(", ")
        );
        if let Some(e) = o.expire_after {
            let _ = writeln!(w, "expire_after = {e}");
        }
    }
    if c.monitor.is_none() && c.verification.is_none() && c.prior.is_none() {
        return;
    }
    let _ = writeln!(w, "\n[compliance]");
    if let Some(p) = c.prior {
        let _ = writeln!(w, "prior = {}", num(p));
    }
    if let Some(m) = c.monitor {
        let _ = writeln!(w, "monitor = {}", num(m));
    }
    if let Some(v) = &c.verification {
        let issue = &scenario.space.issues()[v.issue];
        let pairs: Vec<String> = v
            .accuracy
            .iter()
            .enumerate()
            .filter_map(|(k, a)| {
                let a = (*a)?;
                let value = issue.value(k as u32)?.to_string();
                Some(format!("{} = {}", key(&value), num(a)))
            })
            .collect();
        let _ = writeln!(
            w,
            "verification = {{ issue = {}, accuracy = {{ {} }} }}",
            string(&issue.name),
            pairs.join(", ")
        );
    }
}

/// Why a scenario cannot be written as TOML.
fn unwritable(what: String) -> FormatError {
    FormatError::Unrecognised {
        path: "<toml>".into(),
        message: what,
    }
}

/// A key: bare when TOML allows it, quoted otherwise.
fn key(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        s.to_string()
    } else {
        string(s)
    }
}

/// A quoted TOML string.
fn string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn num(x: f64) -> String {
    // Debug keeps a decimal point or an exponent, so the value reads back as the same float.
    format!("{x:?}")
}

/// A value of an issue as the reader expects it: a string, an integer or a float.
fn value_literal(issue: &Issue, v: u32) -> String {
    match issue.value(v) {
        Some(detente_core::Value::Discrete(s)) => string(s),
        Some(detente_core::Value::Integer(i)) => i.to_string(),
        Some(detente_core::Value::Real(x)) => num(x),
        None => "nan".into(),
    }
}

/// A combination as an inline table `{ issue = [values] }`.
fn combination_literal(space: &OutcomeSpace, c: &Combination) -> String {
    let parts: Vec<String> = c
        .parts
        .iter()
        .map(|(i, values)| {
            let issue = &space.issues()[*i];
            let vs: Vec<String> = values.iter().map(|&v| value_literal(issue, v)).collect();
            format!("{} = [{}]", key(&issue.name), vs.join(", "))
        })
        .collect();
    format!("{{ {} }}", parts.join(", "))
}
