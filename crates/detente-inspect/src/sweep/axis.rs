//! The axes of a sweep: the parameters it can vary (`PARAM`, named against a scenario) and
//! their ranges (`START:END:STEP` or a list), as `--vary PARAM=RANGE` gives them.
//!
//! Every name in a parameter is checked against the scenario when the axis is parsed: an
//! unknown party, event, issue or linkage, an event without a round or without a magnitude
//! to vary, talks without a mediator are errors that say what is wrong and what there is.

use detente_core::{ProtocolKind, Scenario};

use crate::error::{InspectError, Result};

/// Largest number of values on one axis.
pub const MAX_AXIS_VALUES: usize = 10_000;

/// A scenario parameter a sweep varies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    /// Reservation value of a party (index in turn order).
    Reservation(usize),
    /// Concession exponent of a party (see [`detente_negotiators::Registry::at_exponent`] for who plays it).
    Exponent(usize),
    /// Weight of an issue (second index) in a party's linear additive utility.
    Weight(usize, usize),
    /// The scenario's deadline in rounds.
    Rounds,
    /// The round (counted from 1, as scenario files write it) of a timeline event's `round` or
    /// `no_agreement_by` trigger: e.g. when the mediator withdraws.
    EventRound(usize),
    /// The accuracy of a third-party monitor of the obligations (`monitor`; values at or
    /// below 0.5 mean no monitor), in a scenario with obligations and no verification issue.
    Monitor,
    /// The size of a timeline event's reservation shift (`event.NAME.shift`): the event
    /// (first index) and which of its effects (second index), a
    /// [`detente_core::Effect::Reservation`] with a [`detente_core::Change::Shift`].
    EventShift(usize, usize),
    /// Who mediates mediated talks (`mediator`): each value is a position in
    /// [`Axis::labels`], a party's name or `neutral`.
    Mediator,
    /// A numeric parameter of the mediator's strategy (`mediator.PARAM`, e.g.
    /// `mediator.bias` of the `informed` strategy); the name is the axis name's.
    MediatorParam,
    /// A party's discount factor (`discount.PARTY`), in `(0, 1]`.
    Discount(usize),
    /// The bonus of a linkage (an interaction term: a linked deal worth more, or less,
    /// together than apart) of a party's utility (`bonus.PARTY.NAME`): the party and the
    /// term's index.
    Bonus(usize, usize),
}

/// One varied parameter and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The parameter as written, e.g. `reservation.Bob`.
    pub name: String,
    /// What it sets in the scenario or the negotiators.
    pub param: Param,
    /// Its values, in the order the points run (whole numbers for rounds; positions in
    /// `labels` for the mediator).
    pub values: Vec<f64>,
    /// What each value stands for, when the values are positions in a list of names (the
    /// `mediator` axis: a party's name or `neutral`); empty otherwise.
    pub labels: Vec<String>,
}

impl Axis {
    /// The value `v` of the axis as a person reads it: its label, or the number.
    pub fn label(&self, v: f64) -> String {
        match self.labels.get(v as usize) {
            Some(l) if v >= 0.0 && v.fract() == 0.0 => l.clone(),
            _ => format!("{v}"),
        }
    }
}

/// Parses a range: `START:END:STEP` (from START up to END inclusive, STEP > 0) or a
/// comma-separated list of numbers.
pub fn parse_range(text: &str) -> Result<Vec<f64>> {
    let bad = |m: String| InspectError::Invalid(format!("range `{text}`: {m}"));
    let num = |s: &str| -> Result<f64> {
        let x: f64 = s
            .trim()
            .parse()
            .map_err(|_| bad(format!("`{}` is not a number", s.trim())))?;
        if x.is_finite() {
            Ok(x)
        } else {
            Err(bad(format!("`{}` is not finite", s.trim())))
        }
    };
    let parts: Vec<&str> = text.split(':').collect();
    let values = match parts.as_slice() {
        [a, b, step] => {
            let (a, b, step) = (num(a)?, num(b)?, num(step)?);
            if step <= 0.0 {
                return Err(bad("the step must be positive".into()));
            }
            if b < a {
                return Err(bad("the end is below the start".into()));
            }
            let count = ((b - a) / step + 1e-9).floor() + 1.0;
            if count > MAX_AXIS_VALUES as f64 {
                return Err(bad(format!("more than {MAX_AXIS_VALUES} values")));
            }
            (0..count as usize)
                .map(|k| {
                    let x = a + k as f64 * step;
                    // Keep 0.1 * 3 printing as 0.3.
                    (x * 1e12).round() / 1e12
                })
                .collect()
        }
        [list] => {
            let v: Vec<f64> = list.split(',').map(num).collect::<Result<_>>()?;
            if v.len() > MAX_AXIS_VALUES {
                return Err(bad(format!("more than {MAX_AXIS_VALUES} values")));
            }
            v
        }
        _ => {
            return Err(bad("expected START:END:STEP or a list like 10,20,30".into()));
        }
    };
    Ok(values)
}

pub(super) fn party(scenario: &Scenario, name: &str, param: &str) -> Result<usize> {
    scenario.party_index(name).ok_or_else(|| {
        InspectError::Invalid(format!(
            "`{param}`: there is no party `{name}` (parties: {})",
            party_names(scenario)
        ))
    })
}

/// Parses `PARAM=RANGE` against a scenario.
pub fn parse_axis(scenario: &Scenario, text: &str) -> Result<Axis> {
    let (name, range) = text.split_once('=').ok_or_else(|| {
        InspectError::Invalid(format!(
            "`{text}`: expected PARAM=RANGE, e.g. reservation.Bob=0:0.5:0.1"
        ))
    })?;
    let name = name.trim();
    let param = parse_param(scenario, name)?;
    if param == Param::Mediator {
        let labels = mediators(scenario, name, range)?;
        return Ok(Axis {
            name: name.to_string(),
            param,
            values: (0..labels.len()).map(|k| k as f64).collect(),
            labels,
        });
    }
    let values = parse_range(range)?;
    check_values(name, param, &values)?;
    Ok(Axis {
        name: name.to_string(),
        param,
        values,
        labels: Vec::new(),
    })
}

/// The mediators a `mediator=` axis lists: party names or `neutral`, comma-separated.
fn mediators(scenario: &Scenario, name: &str, list: &str) -> Result<Vec<String>> {
    let labels: Vec<String> = list.split(',').map(|m| m.trim().to_string()).collect();
    for m in &labels {
        if m != "neutral" && scenario.party_index(m).is_none() {
            return Err(InspectError::Invalid(format!(
                "`{name}={list}`: `{m}` is neither a party nor `neutral` (parties: {})",
                party_names(scenario)
            )));
        }
    }
    if labels.len() > MAX_AXIS_VALUES {
        return Err(InspectError::Invalid(format!(
            "`{name}`: more than {MAX_AXIS_VALUES} values"
        )));
    }
    Ok(labels)
}

pub(super) fn party_names(scenario: &Scenario) -> String {
    scenario
        .parties
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The parameter a name such as `reservation.Bob` stands for in `scenario`.
fn parse_param(scenario: &Scenario, name: &str) -> Result<Param> {
    if name == "rounds" {
        Ok(Param::Rounds)
    } else if name == "monitor" {
        if scenario.compliance.is_empty() || scenario.compliance.verification.is_some() {
            return Err(InspectError::Invalid(
                "`monitor`: the scenario has no obligations to monitor, or negotiates its \
                 monitor through a verification issue"
                    .into(),
            ));
        }
        Ok(Param::Monitor)
    } else if let Some(rest) = name.strip_prefix("event.") {
        super::named::event_param(scenario, name, rest)
    } else if let Some(p) = name.strip_prefix("reservation.") {
        Ok(Param::Reservation(party(scenario, p, name)?))
    } else if let Some(p) = name.strip_prefix("e.") {
        Ok(Param::Exponent(party(scenario, p, name)?))
    } else if let Some(rest) = name.strip_prefix("weight.") {
        weight_param(scenario, name, rest)
    } else if let Some(p) = name.strip_prefix("discount.") {
        Ok(Param::Discount(party(scenario, p, name)?))
    } else if let Some(rest) = name.strip_prefix("bonus.") {
        super::named::bonus_param(scenario, name, rest)
    } else if name == "mediator" || name.starts_with("mediator.") {
        if !matches!(scenario.protocol.kind, ProtocolKind::Mediated { .. }) {
            return Err(InspectError::Invalid(format!(
                "`{name}`: the scenario's talks are not mediated (its protocol is SAOP), so \
                 there is no mediator to vary"
            )));
        }
        Ok(match name {
            "mediator" => Param::Mediator,
            _ => Param::MediatorParam,
        })
    } else {
        Err(InspectError::Invalid(format!(
            "unknown parameter `{name}`: expected reservation.PARTY, e.PARTY, discount.PARTY, \
             weight.PARTY.ISSUE, bonus.PARTY.LINKAGE, event.NAME.round, event.NAME.shift, \
             mediator, mediator.PARAM, monitor or rounds"
        )))
    }
}

/// `weight.PARTY.ISSUE` (`rest` is what follows `weight.`): an issue weight of a party with a
/// linear additive utility.
fn weight_param(scenario: &Scenario, name: &str, rest: &str) -> Result<Param> {
    // The party name may contain dots; the issue is after the last one.
    let (p, issue) = rest
        .rsplit_once('.')
        .ok_or_else(|| InspectError::Invalid(format!("`{name}`: expected weight.PARTY.ISSUE")))?;
    let pi = party(scenario, p, name)?;
    let ii = scenario
        .space
        .issue_index(issue)
        .ok_or_else(|| InspectError::Invalid(format!("`{name}`: there is no issue `{issue}`")))?;
    if scenario.utility(pi).as_linear().is_none() {
        return Err(InspectError::Invalid(format!(
            "`{name}`: party `{p}` does not have a linear additive utility, so it has no \
             issue weights"
        )));
    }
    Ok(Param::Weight(pi, ii))
}

/// Checks that every value suits the parameter: rounds are whole numbers from 1, exponents
/// are at least 0.
fn check_values(name: &str, param: Param, values: &[f64]) -> Result<()> {
    for &v in values {
        let ok = match param {
            Param::Rounds | Param::EventRound(_) => {
                v >= 1.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX)
            }
            Param::Exponent(_) => v >= 0.0,
            Param::Monitor => (0.0..=1.0).contains(&v),
            Param::Discount(_) => v > 0.0 && v <= 1.0,
            _ => true,
        };
        if !ok {
            return Err(InspectError::Invalid(format!(
                "`{name}` = {v}: {}",
                match param {
                    Param::Rounds => "the deadline must be a whole number of rounds, at least 1",
                    Param::EventRound(_) => "an event's round must be a whole number, at least 1",
                    Param::Monitor => "a monitor's accuracy must be in [0, 1]",
                    Param::Discount(_) => "a discount factor must be in (0, 1]",
                    _ => "a concession exponent must be at least 0",
                }
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("0:0.5:0.25").unwrap(), vec![0.0, 0.25, 0.5]);
        assert_eq!(parse_range("0.1:0.3:0.1").unwrap(), vec![0.1, 0.2, 0.3]);
        assert_eq!(parse_range("10,20, 30").unwrap(), vec![10.0, 20.0, 30.0]);
        assert_eq!(parse_range("1:1:1").unwrap(), vec![1.0]);
        for bad in ["1:0:0.1", "0:1:0", "0:1", "a,b", "0:1:-1", "1:2:3:4", "nan"] {
            assert!(parse_range(bad).is_err(), "{bad}");
        }
        assert!(parse_range("0:1e9:1").is_err());
    }
}
