//! The axes of a sweep: the parameters it can vary (`PARAM`, named against a scenario) and
//! their ranges (`START:END:STEP` or a list), as `--vary PARAM=RANGE` gives them.

use detente_core::{Scenario, Trigger};

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
}

/// One varied parameter and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The parameter as written, e.g. `reservation.Bob`.
    pub name: String,
    /// What it sets in the scenario or the negotiators.
    pub param: Param,
    /// Its values, in the order the points run (whole numbers for rounds).
    pub values: Vec<f64>,
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

fn party(scenario: &Scenario, name: &str, param: &str) -> Result<usize> {
    scenario.party_index(name).ok_or_else(|| {
        InspectError::Invalid(format!(
            "`{param}`: there is no party `{name}` (parties: {})",
            scenario
                .parties
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
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
    let values = parse_range(range)?;
    check_values(name, param, &values)?;
    Ok(Axis {
        name: name.to_string(),
        param,
        values,
    })
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
        event_param(scenario, name, rest)
    } else if let Some(p) = name.strip_prefix("reservation.") {
        Ok(Param::Reservation(party(scenario, p, name)?))
    } else if let Some(p) = name.strip_prefix("e.") {
        Ok(Param::Exponent(party(scenario, p, name)?))
    } else if let Some(rest) = name.strip_prefix("weight.") {
        weight_param(scenario, name, rest)
    } else {
        Err(InspectError::Invalid(format!(
            "unknown parameter `{name}`: expected reservation.PARTY, e.PARTY, \
             weight.PARTY.ISSUE, event.NAME.round, monitor or rounds"
        )))
    }
}

/// `event.NAME.round` (`rest` is what follows `event.`): an event with a round trigger.
fn event_param(scenario: &Scenario, name: &str, rest: &str) -> Result<Param> {
    let event = rest
        .strip_suffix(".round")
        .ok_or_else(|| InspectError::Invalid(format!("`{name}`: expected event.NAME.round")))?;
    let k = scenario
        .events
        .iter()
        .position(|e| e.name == event)
        .ok_or_else(|| {
            let names: Vec<&str> = scenario.events.iter().map(|e| e.name.as_str()).collect();
            InspectError::Invalid(format!(
                "`{name}`: the scenario has no event `{event}` (events: {})",
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            ))
        })?;
    if !matches!(
        scenario.events[k].trigger,
        Trigger::Round(_) | Trigger::NoAgreementBy(_)
    ) {
        return Err(InspectError::Invalid(format!(
            "`{name}`: the event's trigger is not a round, so it has no round to vary"
        )));
    }
    Ok(Param::EventRound(k))
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
            _ => true,
        };
        if !ok {
            return Err(InspectError::Invalid(format!(
                "`{name}` = {v}: {}",
                match param {
                    Param::Rounds => "the deadline must be a whole number of rounds, at least 1",
                    Param::EventRound(_) => "an event's round must be a whole number, at least 1",
                    Param::Monitor => "a monitor's accuracy must be in [0, 1]",
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
