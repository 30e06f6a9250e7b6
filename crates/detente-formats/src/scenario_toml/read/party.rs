//! `[[parties]]`: names, reservation values, discount factors and default negotiators (the
//! preferences themselves are read in [`super::utility`]).

use detente_core::{NegotiatorSpec, OutcomeSpace, Party, Preferences};
use toml::Spanned;

use super::Ctx;
use crate::Result;
use crate::scenario_toml::dto::PartyDto;

impl Ctx<'_> {
    /// The parties, each checked, with no name given twice.
    pub(super) fn parties(
        &self,
        space: &OutcomeSpace,
        dto: Vec<Spanned<PartyDto>>,
    ) -> Result<Vec<Party>> {
        let mut parties: Vec<Party> = Vec::new();
        for party in dto {
            let span = party.span();
            let party = self.party(space, party.into_inner(), span.start)?;
            if parties.iter().any(|p| p.name == party.name) {
                return Err(self.at(
                    span.start,
                    format!("party `{}` is defined twice", party.name),
                ));
            }
            parties.push(party);
        }
        Ok(parties)
    }

    fn party(&self, space: &OutcomeSpace, mut dto: PartyDto, start: usize) -> Result<Party> {
        let name = dto.name.get_ref().clone();
        if name.trim().is_empty() {
            return Err(self.at(dto.name.span().start, "a party has an empty name"));
        }
        let reservation = match &dto.reservation {
            Some(r) if !r.get_ref().is_finite() => {
                return Err(self.at(
                    r.span().start,
                    format!("party `{name}`: the reservation value must be a finite number"),
                ));
            }
            Some(r) => *r.get_ref(),
            None => 0.0,
        };
        let discount = match &dto.discount {
            Some(d) if !(*d.get_ref() > 0.0 && *d.get_ref() <= 1.0) => {
                return Err(self.at(
                    d.span().start,
                    format!(
                        "party `{name}`: the discount factor must be in (0, 1], not {}",
                        d.get_ref()
                    ),
                ));
            }
            Some(d) => *d.get_ref(),
            None => 1.0,
        };
        let cap = match &dto.cap {
            Some(c) if !c.get_ref().is_finite() => {
                return Err(self.at(
                    c.span().start,
                    format!("party `{name}`: `cap` must be a finite number"),
                ));
            }
            Some(c) => Some(*c.get_ref()),
            None => None,
        };
        let negotiator = dto
            .negotiator
            .take()
            .map(|n| self.negotiator(&name, n))
            .transpose()?;
        let utility = self.utility(space, &name, dto, cap, start)?;
        Ok(Party {
            name,
            preferences: Preferences {
                utility,
                reservation,
                discount,
            },
            negotiator,
        })
    }

    /// `negotiator = "kind"` or `negotiator = { kind = "...", param = number, ... }`; a
    /// parameter may also name a component (`model = "smith-frequency"`,
    /// `offer = { kind = "time-dependent", e = 0.2 }`).
    fn negotiator(&self, party: &str, value: Spanned<toml::Value>) -> Result<NegotiatorSpec> {
        let at = value.span().start;
        match value.into_inner() {
            toml::Value::String(kind) if !kind.is_empty() => Ok(NegotiatorSpec::new(kind)),
            toml::Value::Table(t) => {
                if !t.contains_key("kind") {
                    return Err(self.at(
                        at,
                        format!("party `{party}`: the negotiator table needs a `kind`"),
                    ));
                }
                crate::spec_toml::table(t).map_err(|e| {
                    self.at(at, format!("party `{party}`: negotiator {e}"))
                })
            }
            other => Err(self.at(
                at,
                format!(
                    "party `{party}`: `negotiator` must be a kind name or a table with `kind`, not {}",
                    other.type_str()
                ),
            )),
        }
    }

    /// The index of the party called `name`; `what` names the caller in messages.
    pub(super) fn party_named(
        &self,
        parties: &[Party],
        name: &str,
        what: &str,
        at: usize,
    ) -> Result<usize> {
        parties.iter().position(|p| p.name == name).ok_or_else(|| {
            let names: Vec<&str> = parties.iter().map(|p| p.name.as_str()).collect();
            self.at(
                at,
                format!(
                    "{what} names party `{name}`, which is not in the scenario (parties: {})",
                    names.join(", ")
                ),
            )
        })
    }
}
