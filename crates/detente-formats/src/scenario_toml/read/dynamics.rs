//! What shapes the talks beyond the preferences: `[protocol]`, hard `[[constraints]]` and
//! timeline `[[events]]` (triggers and effects).

use std::collections::BTreeMap;
use std::time::Duration;

use detente_core::dynamics::StallingRule;
use detente_core::protocol::mediator;
use detente_core::{
    Change, Constraint, Effect, Event, MediatorSpec, OutcomeSpace, Party, ProtocolKind,
    ProtocolSettings, Reporter, Trigger,
};
use toml::Spanned;

use super::Ctx;
use crate::Result;
use crate::scenario_toml::dto::{ConstraintDto, EventDto, ProtocolDto};

/// The trigger forms, for the message when none matches.
const TRIGGER_FORMS: &str = "{ round = R }, { no_agreement_by = R }, { stalling = \"PARTY\", window = K, min_improvement = X }, { left = \"PARTY\" }, { breach_reported = { by = \"PARTY\", about = \"PARTY\" } }, { belief_below = X, holder = \"PARTY\", about = \"PARTY\" }";

impl Ctx<'_> {
    /// The `[protocol]` settings that name no party (the kind is read after the parties).
    pub(super) fn protocol_settings(&self, p: &ProtocolDto) -> Result<ProtocolSettings> {
        let mut protocol = ProtocolSettings {
            partial_agreements: p.partial_agreements.unwrap_or(false),
            ..ProtocolSettings::default()
        };
        if let Some(r) = &p.rounds {
            let v = *r.get_ref();
            if !(1..=i64::from(u32::MAX)).contains(&v) {
                return Err(self.at(
                    r.span().start,
                    format!("`rounds` must be between 1 and {}, not {v}", u32::MAX),
                ));
            }
            protocol.deadline = v as u32;
        }
        if let Some(t) = &p.time_limit {
            let v = *t.get_ref();
            if !(v.is_finite() && v > 0.0 && v < 1e9) {
                return Err(self.at(
                    t.span().start,
                    format!("`time_limit` must be a positive number of seconds, not {v}"),
                ));
            }
            protocol.time_limit = Some(Duration::from_secs_f64(v));
        }
        Ok(protocol)
    }

    /// The protocol `kind`, with the mediator's strategy and the party that mediates.
    pub(super) fn protocol_kind(&self, parties: &[Party], p: ProtocolDto) -> Result<ProtocolKind> {
        let ProtocolDto {
            kind,
            strategy,
            mediator,
            ..
        } = p;
        match kind.as_ref().map_or("saop", |k| k.get_ref().as_str()) {
            "saop" => {
                if let Some(x) = strategy.as_ref().or(mediator.as_ref()) {
                    return Err(self.at(
                        x.span().start,
                        "`strategy` and `mediator` apply only to `kind = \"mediated\"`",
                    ));
                }
                Ok(ProtocolKind::Saop)
            }
            "mediated" => {
                let strategy = self.mediator_strategy(strategy.as_ref())?;
                let mediator = match &mediator {
                    None => None,
                    Some(m) => Some(self.party_named(
                        parties,
                        m.get_ref(),
                        "the protocol's `mediator`",
                        m.span().start,
                    )?),
                };
                Ok(ProtocolKind::Mediated { strategy, mediator })
            }
            other => Err(self.at(
                kind.as_ref().map_or(0, |k| k.span().start),
                format!("unknown protocol kind `{other}`; expected `saop` or `mediated`"),
            )),
        }
    }

    /// The mediator's strategy, as a spec (`informed`, `hill-climbing:...`; the default is
    /// `hill-climbing`). Only its syntax is checked here: the registry a run uses knows which
    /// strategies exist (a user can register their own).
    fn mediator_strategy(&self, strategy: Option<&Spanned<String>>) -> Result<MediatorSpec> {
        match strategy {
            None => Ok(MediatorSpec::new("hill-climbing")),
            Some(s) => mediator::builtin()
                .parse_syntax(s.get_ref())
                .map_err(|e| self.at(s.span().start, e.to_string())),
        }
    }

    /// `[[constraints]]` added to the space; `issues_at` places errors when there are none.
    pub(super) fn constraints(
        &self,
        space: OutcomeSpace,
        dto: Vec<Spanned<ConstraintDto>>,
        issues_at: usize,
    ) -> Result<OutcomeSpace> {
        let mut constraints = Vec::new();
        let mut constraints_at = issues_at;
        for (k, c) in dto.into_iter().enumerate() {
            let at = c.span().start;
            constraints_at = at;
            let c = c.into_inner();
            let name = c.name.unwrap_or_else(|| format!("constraint {}", k + 1));
            let combination =
                self.combination(&space, &format!("constraint `{name}`"), &c.forbid, at)?;
            constraints.push(Constraint { name, combination });
        }
        if constraints.is_empty() {
            return Ok(space);
        }
        space
            .with_constraints(constraints)
            .map_err(|e| self.at(constraints_at, e.to_string()))
    }

    /// One `[[events]]` entry: a trigger and at least one effect.
    pub(super) fn event(
        &self,
        space: &OutcomeSpace,
        parties: &[Party],
        e: EventDto,
        at: usize,
    ) -> Result<Event> {
        let what = format!("event `{}`", e.name);
        if e.name.trim().is_empty() {
            return Err(self.at(at, "an event has an empty name"));
        }
        let trigger = self.trigger(parties, &what, &e.trigger)?;
        let mut effects = Vec::new();
        for eff in &e.effects {
            let e_at = eff.span().start;
            let toml::Value::Table(table) = eff.get_ref() else {
                return Err(self.at(
                    e_at,
                    format!("{what}: each effect must be a table such as {{ leave = \"PARTY\" }}"),
                ));
            };
            let reading = EffectAt {
                ctx: self,
                parties,
                what: &what,
                table,
                at: e_at,
            };
            reading.effects(space, &mut effects)?;
        }
        if effects.is_empty() {
            return Err(self.at(at, format!("{what} has no effects")));
        }
        Ok(Event {
            name: e.name,
            trigger,
            effects,
        })
    }

    fn trigger(
        &self,
        parties: &[Party],
        what: &str,
        trigger: &Spanned<toml::Value>,
    ) -> Result<Trigger> {
        let t_at = trigger.span().start;
        let toml::Value::Table(t) = trigger.get_ref() else {
            return Err(self.at(
                t_at,
                format!("{what}: `trigger` must be a table such as {{ round = 10 }}"),
            ));
        };
        let round_of = |v: &toml::Value, key: &str| -> Result<u32> {
            match v.as_integer() {
                Some(r) if (1..=i64::from(u32::MAX)).contains(&r) => Ok(r as u32),
                _ => Err(self.at(
                    t_at,
                    format!("{what}: `{key}` must be a round number from 1"),
                )),
            }
        };
        let keys: Vec<&str> = t.keys().map(String::as_str).collect();
        match keys.as_slice() {
            ["round"] => Ok(Trigger::Round(round_of(&t["round"], "round")? - 1)),
            ["no_agreement_by"] => Ok(Trigger::NoAgreementBy(round_of(
                &t["no_agreement_by"],
                "no_agreement_by",
            )?)),
            ["left"] => {
                let name = t["left"]
                    .as_str()
                    .ok_or_else(|| self.at(t_at, format!("{what}: `left` must be a party name")))?;
                Ok(Trigger::Left(self.party_named(parties, name, what, t_at)?))
            }
            k if k.contains(&"stalling") => self.stalling(parties, what, t, t_at),
            ["breach_reported"] => self.breach_reported(parties, what, &t["breach_reported"], t_at),
            k if k.contains(&"belief_below") => self.belief_below(parties, what, t, t_at),
            _ => Err(self.at(
                t_at,
                format!("{what}: the trigger must be one of {TRIGGER_FORMS}"),
            )),
        }
    }

    /// `{ stalling = "PARTY", window = K, min_improvement = X }`.
    fn stalling(
        &self,
        parties: &[Party],
        what: &str,
        t: &toml::Table,
        t_at: usize,
    ) -> Result<Trigger> {
        if let Some(key) = t
            .keys()
            .find(|k| !["stalling", "window", "min_improvement"].contains(&k.as_str()))
        {
            return Err(self.at(
                t_at,
                format!("{what}: unknown key `{key}` in a stalling trigger"),
            ));
        }
        let name = t["stalling"]
            .as_str()
            .ok_or_else(|| self.at(t_at, format!("{what}: `stalling` must be a party name")))?;
        let party = self.party_named(parties, name, what, t_at)?;
        let window = match t.get("window").map(|w| w.as_integer()) {
            None => 5,
            Some(Some(w)) if (1..=i64::from(u32::MAX)).contains(&w) => w as u32,
            _ => {
                return Err(self.at(
                    t_at,
                    format!("{what}: `window` must be a number of rounds from 1"),
                ));
            }
        };
        let min_improvement = match t.get("min_improvement") {
            None => 0.01,
            Some(v) => v
                .as_float()
                .or_else(|| v.as_integer().map(|i| i as f64))
                .filter(|x| x.is_finite())
                .ok_or_else(|| {
                    self.at(t_at, format!("{what}: `min_improvement` must be a number"))
                })?,
        };
        Ok(Trigger::Stalling {
            party,
            rule: StallingRule {
                window,
                min_improvement,
            },
        })
    }
}

/// Reading one effect table of an event.
impl Ctx<'_> {
    /// `{ breach_reported = { by = "PARTY" or "monitor", about = "PARTY" } }` (both optional).
    fn breach_reported(
        &self,
        parties: &[Party],
        what: &str,
        v: &toml::Value,
        at: usize,
    ) -> Result<Trigger> {
        let Some(t) = v.as_table() else {
            return Err(self.at(
                at,
                format!(
                    "{what}: `breach_reported` must be a table such as {{ about = \"PARTY\" }}"
                ),
            ));
        };
        if let Some(key) = t.keys().find(|k| !["by", "about"].contains(&k.as_str())) {
            return Err(self.at(
                at,
                format!("{what}: unknown key `{key}` in `breach_reported`"),
            ));
        }
        let name = |key: &str| -> Result<Option<&str>> {
            match t.get(key) {
                None => Ok(None),
                Some(v) => v
                    .as_str()
                    .map(Some)
                    .ok_or_else(|| self.at(at, format!("{what}: `{key}` must be a party name"))),
            }
        };
        let by = match name("by")? {
            None => None,
            Some(Reporter::MONITOR_NAME) => Some(Reporter::Monitor),
            Some(n) => Some(Reporter::Party(self.party_named(parties, n, what, at)?)),
        };
        let about = match name("about")? {
            None => None,
            Some(n) => Some(self.party_named(parties, n, what, at)?),
        };
        Ok(Trigger::BreachReported { by, about })
    }

    /// `{ belief_below = X, holder = "PARTY", about = "PARTY" }`.
    fn belief_below(
        &self,
        parties: &[Party],
        what: &str,
        t: &toml::Table,
        at: usize,
    ) -> Result<Trigger> {
        if let Some(key) = t
            .keys()
            .find(|k| !["belief_below", "holder", "about"].contains(&k.as_str()))
        {
            return Err(self.at(
                at,
                format!("{what}: unknown key `{key}` in a belief trigger"),
            ));
        }
        let threshold = t["belief_below"]
            .as_float()
            .or_else(|| t["belief_below"].as_integer().map(|i| i as f64))
            .filter(|x| (0.0..=1.0).contains(x))
            .ok_or_else(|| {
                self.at(
                    at,
                    format!("{what}: `belief_below` must be a number in [0, 1]"),
                )
            })?;
        let party = |key: &str| -> Result<usize> {
            let name = t.get(key).and_then(toml::Value::as_str).ok_or_else(|| {
                self.at(
                    at,
                    format!("{what}: a belief trigger needs `{key}` (a party name)"),
                )
            })?;
            self.party_named(parties, name, what, at)
        };
        let (holder, about) = (party("holder")?, party("about")?);
        if holder == about {
            return Err(self.at(at, format!("{what}: a party holds no belief about itself")));
        }
        Ok(Trigger::BeliefBelow {
            holder,
            about,
            threshold,
        })
    }
}

struct EffectAt<'a> {
    ctx: &'a Ctx<'a>,
    parties: &'a [Party],
    /// "event `NAME`", for messages.
    what: &'a str,
    table: &'a toml::Table,
    at: usize,
}

impl EffectAt<'_> {
    /// The effects the table stands for (one, or one per value for availability), pushed
    /// onto `out`.
    fn effects(&self, space: &OutcomeSpace, out: &mut Vec<Effect>) -> Result<()> {
        let t = self.table;
        if t.contains_key("leave") {
            out.push(self.leave()?);
        } else if t.contains_key("reservation") {
            out.push(self.reservation()?);
        } else if t.contains_key("weight") {
            out.push(self.weight(space)?);
        } else if t.contains_key("deadline") {
            out.push(self.deadline()?);
        } else if t.contains_key("unsettle") {
            out.push(self.unsettle(space)?);
        } else if t.contains_key("expire") {
            out.push(self.expire(space)?);
        } else if t.contains_key("settle") {
            out.push(self.settle(space)?);
        } else if t.contains_key("unavailable") || t.contains_key("available") {
            self.availability(space, out)?;
        } else {
            return Err(self.err(
                "unknown effect; expected `leave`, `reservation`, `weight`, `deadline`, `unsettle`, `expire`, `settle`, `unavailable` or `available`",
            ));
        }
        Ok(())
    }

    /// `{ leave = "PARTY", end_talks = BOOL }`.
    fn leave(&self) -> Result<Effect> {
        self.only(&["leave", "end_talks"])?;
        let end_talks = match self.table.get("end_talks") {
            None => false,
            Some(v) => v
                .as_bool()
                .ok_or_else(|| self.err("`end_talks` must be true or false"))?,
        };
        Ok(Effect::Leave {
            party: self.party("leave")?,
            end_talks,
        })
    }

    /// `{ reservation = "PARTY", set = X }` or `{ reservation = "PARTY", shift = X }`.
    fn reservation(&self) -> Result<Effect> {
        self.only(&["reservation", "set", "shift"])?;
        let t = self.table;
        let change = match (t.contains_key("set"), t.contains_key("shift")) {
            (true, false) => Change::Set(self.num("set")?),
            (false, true) => Change::Shift(self.num("shift")?),
            _ => {
                return Err(self.err("a reservation effect needs exactly one of `set` and `shift`"));
            }
        };
        Ok(Effect::Reservation {
            party: self.party("reservation")?,
            change,
        })
    }

    /// `{ weight = "PARTY", issue = "ISSUE", value = X }`.
    fn weight(&self, space: &OutcomeSpace) -> Result<Effect> {
        self.only(&["weight", "issue", "value"])?;
        let issue_name = self
            .table
            .get("issue")
            .and_then(|v| v.as_str())
            .ok_or_else(|| self.err("a weight effect needs `issue`"))?;
        let issue = space.issue_index(issue_name).ok_or_else(|| {
            self.ctx.at(
                self.at,
                format!(
                    "{} names issue `{issue_name}`, which is not in the scenario",
                    self.what
                ),
            )
        })?;
        Ok(Effect::Weight {
            party: self.party("weight")?,
            issue,
            weight: self.num("value")?,
        })
    }

    /// `{ deadline = ROUNDS }`.
    fn deadline(&self) -> Result<Effect> {
        self.only(&["deadline"])?;
        match self.table["deadline"].as_integer() {
            Some(r) if (1..=i64::from(u32::MAX)).contains(&r) => {
                Ok(Effect::Deadline { rounds: r as u32 })
            }
            _ => Err(self.err("`deadline` must be a number of rounds from 1")),
        }
    }

    /// `{ unsettle = "ISSUE" }`.
    fn unsettle(&self, space: &OutcomeSpace) -> Result<Effect> {
        self.only(&["unsettle"])?;
        let name = self.table["unsettle"]
            .as_str()
            .ok_or_else(|| self.err("`unsettle` must be an issue name"))?;
        let issue = space.issue_index(name).ok_or_else(|| {
            self.err(&format!(
                "`unsettle` names `{name}`, which is not an issue of the scenario"
            ))
        })?;
        Ok(Effect::Unsettle { issue })
    }

    /// `{ expire = "ISSUE" }`: the obligation on the issue ends.
    fn expire(&self, space: &OutcomeSpace) -> Result<Effect> {
        self.only(&["expire"])?;
        let name = self.table["expire"]
            .as_str()
            .ok_or_else(|| self.err("`expire` must be an issue name"))?;
        let issue = space.issue_index(name).ok_or_else(|| {
            self.err(&format!(
                "`expire` names `{name}`, which is not an issue of the scenario"
            ))
        })?;
        Ok(Effect::Expire { issue })
    }

    /// `{ settle = "ISSUE", value = VALUE }`: settled away from the table.
    fn settle(&self, space: &OutcomeSpace) -> Result<Effect> {
        self.only(&["settle", "value"])?;
        let name = self.table["settle"]
            .as_str()
            .ok_or_else(|| self.err("`settle` must be an issue name"))?;
        let value = self
            .table
            .get("value")
            .ok_or_else(|| self.err("a settle effect needs `value`"))?;
        let (issue, value) = self
            .ctx
            .value_index(space, self.what, name, value, self.at)?;
        Ok(Effect::Settle { issue, value })
    }

    /// `{ unavailable = { ISSUE = VALUE or [VALUES] } }` or the same with `available`.
    fn availability(&self, space: &OutcomeSpace, out: &mut Vec<Effect>) -> Result<()> {
        let t = self.table;
        let (key, available) = if t.contains_key("available") {
            ("available", true)
        } else {
            ("unavailable", false)
        };
        self.only(&[key])?;
        let Some(map) = t[key].as_table() else {
            return Err(self.err(&format!(
                "`{key}` must be a table such as {{ issue = \"value\" }}"
            )));
        };
        let map: BTreeMap<String, toml::Value> =
            map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let combination = self.ctx.combination(space, self.what, &map, self.at)?;
        for (issue, values) in combination.parts {
            for value in values {
                out.push(Effect::Availability {
                    issue,
                    value,
                    available,
                });
            }
        }
        Ok(())
    }

    /// The party named under `key` (present: the caller checked).
    fn party(&self, key: &str) -> Result<usize> {
        let name = self.table[key]
            .as_str()
            .ok_or_else(|| self.err(&format!("`{key}` must be a party name")))?;
        self.ctx.party_named(self.parties, name, self.what, self.at)
    }

    /// The finite number under `key`.
    fn num(&self, key: &str) -> Result<f64> {
        self.table
            .get(key)
            .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
            .filter(|x| x.is_finite())
            .ok_or_else(|| self.err(&format!("`{key}` must be a number")))
    }

    /// Refuses keys this effect does not take.
    fn only(&self, allowed: &[&str]) -> Result<()> {
        match self.table.keys().find(|k| !allowed.contains(&k.as_str())) {
            Some(k) => Err(self.err(&format!("unknown key `{k}` in this effect"))),
            None => Ok(()),
        }
    }

    /// An error at the effect: "event `NAME`: {message}".
    fn err(&self, message: &str) -> crate::FormatError {
        self.ctx.at(self.at, format!("{}: {message}", self.what))
    }
}
