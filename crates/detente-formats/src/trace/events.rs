//! Events between the engine ([`FiredEvent`], indices) and the JSON trace ([`EventDoc`],
//! names): written with their cause and effect, read back against the scenario. Traces from
//! before causes were recorded are read too: the cause is inferred from the event's name (a
//! timeline event of the scenario, `partial agreement`, `mediation passes on`, `mediator`)
//! where that is unambiguous, and left [`Cause::Unknown`] otherwise.

use detente_core::dynamics::partial::PARTIAL_AGREEMENT;
use detente_core::protocol::{MEDIATION_PASSES_ON, MEDIATOR_NOTICE};
use detente_core::{Cause, Change, Effect, FiredEvent, Issue, ProtocolKind, Scenario, Value};

use super::doc::{CauseDoc, EffectDoc, EventDoc, IssueValue};
use super::replay::outcome::as_written;

/// An issue's value as a trace writes it.
fn issue_value(issue: &Issue, v: u32) -> IssueValue {
    match issue.value(v) {
        Some(Value::Discrete(s)) => IssueValue::Text(s.to_string()),
        Some(Value::Integer(x)) => IssueValue::Integer(x),
        Some(Value::Real(x)) => IssueValue::Real(x),
        None => IssueValue::Integer(i64::from(v)),
    }
}

/// The document of an event of a negotiation on `scenario`.
pub fn event_doc(scenario: &Scenario, e: &FiredEvent) -> EventDoc {
    let party = |p: usize| {
        scenario
            .parties
            .get(p)
            .map_or_else(|| format!("#{p}"), |x| x.name.clone())
    };
    let issues = scenario.space.issues();
    let issue = |i: usize| {
        issues
            .get(i)
            .map_or_else(|| format!("#{i}"), |x| x.name.clone())
    };
    let value = |i: usize, v: u32| {
        issues
            .get(i)
            .map_or(IssueValue::Integer(i64::from(v)), |x| issue_value(x, v))
    };
    let cause = match e.cause {
        Cause::Timeline { event, effect } => Some(CauseDoc::Timeline {
            event: scenario
                .events
                .get(event)
                .map_or_else(|| e.name.clone(), |x| x.name.clone()),
            index: event,
            effect,
        }),
        Cause::PartialAgreement { issue: i, value: v } => Some(CauseDoc::PartialAgreement {
            issue: issue(i),
            value: value(i, v),
        }),
        Cause::MediationHandover { from } => {
            Some(CauseDoc::MediationHandover { from: party(from) })
        }
        Cause::MediatorNotice => Some(CauseDoc::MediatorNotice),
        Cause::ObligationExpires { obligation } => Some(CauseDoc::ObligationExpires {
            issue: scenario
                .compliance
                .obligations
                .get(obligation)
                .map_or_else(|| format!("#{obligation}"), |o| issue(o.issue)),
            index: obligation,
        }),
        Cause::Unknown => None,
    };
    let effect = e.effect.as_ref().map(|effect| match *effect {
        Effect::Leave {
            party: p,
            end_talks,
        } => EffectDoc::Leave {
            party: party(p),
            end_talks,
        },
        Effect::Reservation { party: p, change } => EffectDoc::Reservation {
            party: party(p),
            set: match change {
                Change::Set(x) => Some(x),
                Change::Shift(_) => None,
            },
            shift: match change {
                Change::Shift(x) => Some(x),
                Change::Set(_) => None,
            },
        },
        Effect::Weight {
            party: p,
            issue: i,
            weight,
        } => EffectDoc::Weight {
            party: party(p),
            issue: issue(i),
            weight,
        },
        Effect::Deadline { rounds } => EffectDoc::Deadline { rounds },
        Effect::Unsettle { issue: i } => EffectDoc::Unsettle { issue: issue(i) },
        Effect::Expire { issue: i } => EffectDoc::Expire { issue: issue(i) },
        Effect::Settle { issue: i, value: v } => EffectDoc::Settle {
            issue: issue(i),
            value: value(i, v),
        },
        Effect::Availability {
            issue: i,
            value: v,
            available,
        } => EffectDoc::Availability {
            issue: issue(i),
            value: value(i, v),
            available,
        },
    });
    EventDoc {
        round: e.round,
        name: e.name.clone(),
        description: e.description.clone(),
        cause,
        effect,
        changed: e.changed,
    }
}

/// Names resolved against a scenario, with errors that say what is wrong.
struct Names<'a>(&'a Scenario);

impl Names<'_> {
    fn party(&self, name: &str) -> Result<usize, String> {
        self.0.party_index(name).ok_or_else(|| {
            let all: Vec<&str> = self.0.parties.iter().map(|p| p.name.as_str()).collect();
            format!("there is no party `{name}` (parties: {})", all.join(", "))
        })
    }

    fn issue(&self, name: &str) -> Result<usize, String> {
        self.0
            .space
            .issue_index(name)
            .ok_or_else(|| format!("there is no issue `{name}`"))
    }

    fn value(&self, i: usize, v: &IssueValue) -> Result<u32, String> {
        let issue = &self.0.space.issues()[i];
        issue
            .parse_value(&as_written(v))
            .ok_or_else(|| format!("`{v}` is not a value of issue `{}`", issue.name))
    }

    /// The timeline event named `name`, preferring position `index`.
    fn event(&self, name: &str, index: usize) -> Result<usize, String> {
        let events = &self.0.events;
        if events.get(index).is_some_and(|e| e.name == name) {
            return Ok(index);
        }
        events
            .iter()
            .position(|e| e.name == name)
            .ok_or_else(|| format!("the scenario has no timeline event `{name}`"))
    }
}

/// The engine's event of a trace's event, against `scenario`; `earlier` are the events read
/// before it (to infer which effect of a timeline event an older trace's event is).
pub fn fired_event(
    scenario: &Scenario,
    doc: &EventDoc,
    earlier: &[FiredEvent],
) -> Result<FiredEvent, String> {
    let names = Names(scenario);
    let cause = match &doc.cause {
        Some(c) => cause(&names, c)?,
        None => infer_cause(scenario, doc, earlier),
    };
    let effect = match &doc.effect {
        Some(e) => Some(effect(&names, e)?),
        None => match cause {
            // An older trace: the scenario's effect is the one that was applied.
            Cause::Timeline { event, effect } if doc.cause.is_none() => {
                Some(scenario.events[event].effects[effect].clone())
            }
            _ => None,
        },
    };
    Ok(FiredEvent {
        round: doc.round,
        name: doc.name.clone(),
        description: doc.description.clone(),
        cause,
        effect,
        changed: doc.changed,
    })
}

fn cause(names: &Names<'_>, c: &CauseDoc) -> Result<Cause, String> {
    Ok(match c {
        CauseDoc::Timeline {
            event,
            index,
            effect,
        } => {
            let k = names.event(event, *index)?;
            Cause::Timeline {
                event: k,
                effect: *effect,
            }
        }
        CauseDoc::PartialAgreement { issue, value } => {
            let i = names.issue(issue)?;
            Cause::PartialAgreement {
                issue: i,
                value: names.value(i, value)?,
            }
        }
        CauseDoc::MediationHandover { from } => Cause::MediationHandover {
            from: names.party(from)?,
        },
        CauseDoc::MediatorNotice => Cause::MediatorNotice,
        CauseDoc::ObligationExpires { index, .. } => {
            if *index >= names.0.compliance.obligations.len() {
                return Err(format!("the scenario has no obligation {index}"));
            }
            Cause::ObligationExpires { obligation: *index }
        }
    })
}

fn effect(names: &Names<'_>, e: &EffectDoc) -> Result<Effect, String> {
    Ok(match e {
        EffectDoc::Leave { party, end_talks } => Effect::Leave {
            party: names.party(party)?,
            end_talks: *end_talks,
        },
        EffectDoc::Reservation { party, set, shift } => Effect::Reservation {
            party: names.party(party)?,
            change: match (set, shift) {
                (Some(x), None) => Change::Set(*x),
                (None, Some(x)) => Change::Shift(*x),
                _ => {
                    return Err(
                        "a reservation effect gives exactly one of `set` and `shift`".into(),
                    );
                }
            },
        },
        EffectDoc::Weight {
            party,
            issue,
            weight,
        } => Effect::Weight {
            party: names.party(party)?,
            issue: names.issue(issue)?,
            weight: *weight,
        },
        EffectDoc::Deadline { rounds } => Effect::Deadline { rounds: *rounds },
        EffectDoc::Unsettle { issue } => Effect::Unsettle {
            issue: names.issue(issue)?,
        },
        EffectDoc::Expire { issue } => Effect::Expire {
            issue: names.issue(issue)?,
        },
        EffectDoc::Settle { issue, value } => {
            let i = names.issue(issue)?;
            Effect::Settle {
                issue: i,
                value: names.value(i, value)?,
            }
        }
        EffectDoc::Availability {
            issue,
            value,
            available,
        } => {
            let i = names.issue(issue)?;
            Effect::Availability {
                issue: i,
                value: names.value(i, value)?,
                available: *available,
            }
        }
    })
}

/// The cause of an event of an older trace, from its name: the scenario's timeline event of
/// that name (the effect after the ones already read of it in the same round), a partial
/// agreement (`ISSUE=VALUE is agreed...`), a hand-over of the scenario's mediator, a
/// mediator's notice; [`Cause::Unknown`] when none fits.
fn infer_cause(scenario: &Scenario, doc: &EventDoc, earlier: &[FiredEvent]) -> Cause {
    if let Some(k) = scenario.events.iter().position(|e| e.name == doc.name) {
        let effect = earlier
            .iter()
            .rev()
            .take_while(|e| e.round == doc.round && e.name == doc.name)
            .count();
        if effect < scenario.events[k].effects.len() {
            return Cause::Timeline { event: k, effect };
        }
        return Cause::Unknown;
    }
    match doc.name.as_str() {
        PARTIAL_AGREEMENT => settled_by(scenario, &doc.description).unwrap_or(Cause::Unknown),
        MEDIATION_PASSES_ON => match scenario.protocol.kind {
            ProtocolKind::Mediated {
                mediator: Some(m), ..
            } => Cause::MediationHandover { from: m },
            _ => Cause::Unknown,
        },
        MEDIATOR_NOTICE => Cause::MediatorNotice,
        _ => Cause::Unknown,
    }
}

/// The settlement a partial agreement's description states (`ISSUE=VALUE is agreed ...`).
fn settled_by(scenario: &Scenario, description: &str) -> Option<Cause> {
    let (label, _) = description.split_once(" is agreed")?;
    let (issue, value) = label.split_once('=')?;
    let i = scenario.space.issue_index(issue)?;
    let v = scenario.space.issues()[i].parse_value(value)?;
    Some(Cause::PartialAgreement { issue: i, value: v })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Scenario {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../scenarios/ukraine-2025/ukraine-2025.toml");
        crate::scenario_toml::load(&path).unwrap().scenario
    }

    #[test]
    fn events_keep_their_cause_and_effect_through_json() {
        let s = scenario();
        let w = s
            .events
            .iter()
            .position(|e| e.name == "US withdraws from mediation")
            .unwrap();
        let events = [
            FiredEvent {
                effect: Some(s.events[w].effects[2].clone()),
                ..FiredEvent::new(
                    7,
                    Cause::Timeline {
                        event: w,
                        effect: 2,
                    },
                    &s.events[w].name,
                    "d",
                )
            },
            FiredEvent::new(
                3,
                Cause::PartialAgreement { issue: 5, value: 1 },
                PARTIAL_AGREEMENT,
                "x",
            ),
            FiredEvent::new(
                8,
                Cause::MediationHandover { from: 0 },
                MEDIATION_PASSES_ON,
                "y",
            ),
            FiredEvent {
                changed: false,
                ..FiredEvent::new(9, Cause::MediatorNotice, MEDIATOR_NOTICE, "z")
            },
            FiredEvent {
                effect: Some(Effect::Availability {
                    issue: 3,
                    value: 2,
                    available: false,
                }),
                ..FiredEvent::new(
                    2,
                    Cause::Timeline {
                        event: 0,
                        effect: 0,
                    },
                    &s.events[0].name,
                    "w",
                )
            },
        ];
        let mut read = Vec::new();
        for e in &events {
            let doc = event_doc(&s, e);
            let json = serde_json::to_string(&doc).unwrap();
            let back: EventDoc = serde_json::from_str(&json).unwrap();
            assert_eq!(back, doc);
            read.push(fired_event(&s, &back, &read).unwrap());
        }
        assert_eq!(read, events);
        let doc = event_doc(&s, &events[0]);
        assert_eq!(
            serde_json::to_string(&doc.effect).unwrap(),
            r#"{"kind":"reservation","party":"Russia","shift":0.03}"#
        );
    }

    #[test]
    fn older_traces_get_their_causes_from_the_names() {
        let s = scenario();
        let w = s
            .events
            .iter()
            .position(|e| e.name == "US withdraws from mediation")
            .unwrap();
        let old = |round, name: &str, description: &str| EventDoc {
            round,
            name: name.into(),
            description: description.into(),
            cause: None,
            effect: None,
            changed: true,
        };
        let docs = [
            old(
                1,
                PARTIAL_AGREEMENT,
                "minerals=signed is agreed by every party and fixed",
            ),
            old(7, "US withdraws from mediation", "United States leaves"),
            old(
                7,
                "US withdraws from mediation",
                "Ukraine's reservation value moves",
            ),
            old(7, MEDIATION_PASSES_ON, "United States no longer mediates"),
            old(9, "something else", ""),
        ];
        let mut read: Vec<FiredEvent> = Vec::new();
        for d in &docs {
            let e = fired_event(&s, d, &read).unwrap();
            read.push(e);
        }
        let causes: Vec<Cause> = read.iter().map(|e| e.cause.clone()).collect();
        assert_eq!(
            causes,
            [
                Cause::PartialAgreement { issue: 5, value: 1 },
                Cause::Timeline {
                    event: w,
                    effect: 0
                },
                Cause::Timeline {
                    event: w,
                    effect: 1
                },
                Cause::MediationHandover { from: 0 },
                Cause::Unknown,
            ]
        );
        assert_eq!(read[2].effect.as_ref(), Some(&s.events[w].effects[1]));
        let bad = EventDoc {
            cause: Some(CauseDoc::MediationHandover {
                from: "Nobody".into(),
            }),
            ..old(2, MEDIATION_PASSES_ON, "")
        };
        assert!(
            fired_event(&s, &bad, &[])
                .unwrap_err()
                .contains("no party `Nobody`")
        );
    }
}
