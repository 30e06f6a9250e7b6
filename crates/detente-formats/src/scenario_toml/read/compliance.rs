//! The compliance phase: `[[obligations]]`, `[compliance]` (the monitor, fixed or negotiated
//! through a verification issue) and each party's `[parties.compliance]` table. Every number is
//! checked here, so that an error names the line it is on.

use detente_core::compliance::{
    self, Compliance, ComplianceProfile, DEFAULT_PRIOR, Obligation, Verification,
};
use detente_core::{OutcomeSpace, Party};
use toml::Spanned;

use super::Ctx;
use crate::Result;
use crate::scenario_toml::dto::{ComplianceDto, ObligationDto, ProfileDto, VerificationDto};

impl Ctx<'_> {
    /// Obligations, the monitor and the parties' profiles (`profiles[p]`: party `p`'s table).
    pub(super) fn compliance(
        &self,
        space: &OutcomeSpace,
        parties: &[Party],
        obligations: Vec<Spanned<ObligationDto>>,
        settings: Option<Spanned<ComplianceDto>>,
        profiles: Vec<Option<Spanned<ProfileDto>>>,
    ) -> Result<Compliance> {
        let mut out = Compliance::default();
        for o in obligations {
            let at = o.span().start;
            let o = self.obligation(space, parties, o.into_inner(), at)?;
            if out.obligation_on(o.issue).is_some() {
                let name = &space.issues()[o.issue].name;
                return Err(self.at(at, format!("a second obligation on issue `{name}`")));
            }
            out.obligations.push(o);
        }
        for (p, dto) in profiles.into_iter().enumerate() {
            let profile = match dto {
                Some(d) => Some(self.profile(&parties[p].name, d.into_inner())?),
                None => None,
            };
            out.profiles.push(profile);
        }
        if out.profiles.iter().all(Option::is_none) {
            out.profiles.clear();
        }
        if let Some(settings) = settings {
            let settings = settings.into_inner();
            if let Some(m) = settings.monitor {
                out.monitor = Some(self.probability(&m, "`[compliance]`: the monitor's accuracy")?);
            }
            if let Some(p) = settings.prior {
                let x = *p.get_ref();
                if !(x > 0.0 && x < 1.0) {
                    return Err(self.at(
                        p.span().start,
                        format!("`[compliance]`: the prior must be in (0, 1), not {x}"),
                    ));
                }
                out.prior = Some(x);
            }
            if let Some(v) = settings.verification {
                out.verification = Some(self.verification(space, v.into_inner())?);
            }
        }
        Ok(out)
    }

    fn obligation(
        &self,
        space: &OutcomeSpace,
        parties: &[Party],
        dto: ObligationDto,
        at: usize,
    ) -> Result<Obligation> {
        let name = dto.issue.get_ref();
        let issue = space.issue_index(name).ok_or_else(|| {
            self.at(
                dto.issue.span().start,
                format!("an obligation names issue `{name}`, which is not in the scenario"),
            )
        })?;
        let what = format!("the obligation on `{name}`");
        let Some(quo) = space.issues()[issue].status_quo else {
            return Err(self.at(
                at,
                format!("{what}: the issue needs a `status_quo` (what holds when it is broken)"),
            ));
        };
        let values_at = dto.values.span().start;
        let mut values = Vec::new();
        for v in dto.values.get_ref() {
            let (_, x) = self.value_index(space, &what, name, v, values_at)?;
            if x == quo {
                return Err(self.at(values_at, format!("{what}: the status quo cannot bind")));
            }
            values.push(x);
        }
        if values.is_empty() {
            return Err(self.at(values_at, format!("{what} lists no value")));
        }
        let bound_at = dto.bound.span().start;
        let mut bound = Vec::new();
        for p in dto.bound.get_ref() {
            let i = self.party_named(parties, p, &what, bound_at)?;
            if !bound.contains(&i) {
                bound.push(i);
            }
        }
        if bound.is_empty() {
            return Err(self.at(bound_at, format!("{what} binds no party")));
        }
        let expire_after = match dto.expire_after {
            None => None,
            Some(e) => match *e.get_ref() {
                r @ 1..=0xFFFF_FFFF => Some(r as u32),
                r => {
                    return Err(self.at(
                        e.span().start,
                        format!(
                            "{what}: `expire_after` must be a number of rounds from 1, not {r}"
                        ),
                    ));
                }
            },
        };
        Ok(Obligation {
            issue,
            values,
            bound,
            expire_after,
        })
    }

    fn profile(&self, party: &str, dto: ProfileDto) -> Result<ComplianceProfile> {
        let what = |key: &str| format!("party `{party}`: compliance `{key}`");
        let mut c = ComplianceProfile::default();
        if let Some(v) = &dto.accuracy {
            c.accuracy = self.probability(v, &what("accuracy"))?;
        }
        if let Some(v) = &dto.bias {
            c.bias = self.probability(v, &what("bias"))?;
        }
        if let Some(v) = &dto.prior {
            let x = *v.get_ref();
            if !(x > 0.0 && x < 1.0) {
                return Err(self.at(
                    v.span().start,
                    format!("{} must be in (0, 1), not {x}", what("prior")),
                ));
            }
            c.prior = x;
        } else {
            c.prior = DEFAULT_PRIOR;
        }
        for (key, slot, dto) in [
            ("breach_gain", &mut c.breach_gain, &dto.breach_gain),
            ("caught_cost", &mut c.caught_cost, &dto.caught_cost),
        ] {
            if let Some(v) = dto {
                let x = *v.get_ref();
                if !(x.is_finite() && x >= 0.0) {
                    return Err(self.at(
                        v.span().start,
                        format!("{} must be a finite number >= 0, not {x}", what(key)),
                    ));
                }
                *slot = x;
            }
        }
        if let Some(s) = &dto.strategy {
            c.strategy = compliance::builtin()
                .parse_spec(s.get_ref())
                .map_err(|e| self.at(s.span().start, format!("{}: {e}", what("strategy"))))?;
        }
        Ok(c)
    }

    fn verification(&self, space: &OutcomeSpace, dto: VerificationDto) -> Result<Verification> {
        let name = dto.issue.get_ref();
        let issue = space.issue_index(name).ok_or_else(|| {
            self.at(
                dto.issue.span().start,
                format!(
                    "`[compliance.verification]` names issue `{name}`, which is not in the scenario"
                ),
            )
        })?;
        let card = space.issues()[issue].cardinality().min(1 << 20) as usize;
        let mut accuracy = vec![None; card];
        for (value, a) in dto.accuracy.get_ref() {
            let what = format!("`[compliance.verification]`: the accuracy under `{value}`");
            let (_, v) = self.value_index(
                space,
                "`[compliance.verification]`",
                name,
                &toml::Value::String(value.clone()),
                a.span().start,
            )?;
            accuracy[v as usize] = Some(self.probability(a, &what)?);
        }
        Ok(Verification { issue, accuracy })
    }

    /// A probability in `[0, 1]`, or an error at it naming `what`.
    fn probability(&self, v: &Spanned<f64>, what: &str) -> Result<f64> {
        let x = *v.get_ref();
        if (0.0..=1.0).contains(&x) {
            Ok(x)
        } else {
            Err(self.at(v.span().start, format!("{what} must be in [0, 1], not {x}")))
        }
    }
}
