//! Reading: the data-transfer types into a [`Scenario`], every problem reported with the
//! file, line and column it comes from.
//!
//! The checks run in file order: the header and `[protocol]` settings, the issues
//! ([`space`]), the constraints, the parties and their preferences ([`party`], [`utility`]),
//! the protocol kind (which may name a party), the events ([`dynamics`]).

mod compliance;
mod dynamics;
mod party;
mod space;
mod utility;

use std::path::Path;

use detente_core::{ProtocolSettings, Scenario};
use serde::Deserialize;
use toml::Spanned;

use super::FORMAT_VERSION;
use super::dto::ScenarioDto;
use crate::{FormatError, Loaded, Result, SourceFormat, line_column};

/// Reads a scenario file.
pub fn load(path: &Path) -> Result<Loaded> {
    load_str(&crate::input::read_text(path)?, path)
}

/// Parses scenario text; `origin` names it in error messages.
pub fn load_str(text: &str, origin: &Path) -> Result<Loaded> {
    let ctx = Ctx { text, path: origin };
    let dto: ScenarioDto = toml::from_str(text).map_err(|e| {
        // A file of another format version fails for that reason first, whatever else differs.
        ctx.other_version(text).unwrap_or_else(|| {
            let offset = e.span().map_or(0, |s| s.start);
            ctx.at(offset, e.message().trim_end().to_string())
        })
    })?;
    let scenario = ctx.scenario(dto)?;
    Ok(Loaded {
        scenario,
        diagnostics: Vec::new(),
        format: SourceFormat::Toml,
        digest: crate::digest::of_files(&[(origin, text.as_bytes())]),
    })
}

/// The text being read and its name, for messages.
pub(super) struct Ctx<'a> {
    text: &'a str,
    path: &'a Path,
}

impl Ctx<'_> {
    /// An error at a byte offset of the text.
    fn at(&self, offset: usize, message: impl Into<String>) -> FormatError {
        let (line, column) = line_column(self.text, offset);
        FormatError::At {
            path: self.path.to_path_buf(),
            line,
            column,
            message: message.into(),
        }
    }

    /// The error for a `format` other than [`FORMAT_VERSION`], if the text has one.
    fn other_version(&self, text: &str) -> Option<FormatError> {
        #[derive(Deserialize)]
        struct Version {
            format: Option<Spanned<toml::Value>>,
        }
        match toml::from_str::<Version>(text) {
            Ok(Version { format: Some(v) }) if v.get_ref().as_integer() != Some(FORMAT_VERSION) => {
                Some(self.unsupported_version(v.span().start, v.get_ref()))
            }
            _ => None,
        }
    }

    fn unsupported_version(&self, offset: usize, found: impl std::fmt::Display) -> FormatError {
        self.at(
            offset,
            format!(
                "unsupported format version {found}; this build reads version {FORMAT_VERSION}"
            ),
        )
    }

    /// Checks and assembles the whole scenario, in file order.
    fn scenario(&self, dto: ScenarioDto) -> Result<Scenario> {
        if *dto.format.get_ref() != FORMAT_VERSION {
            return Err(self.unsupported_version(dto.format.span().start, dto.format.get_ref()));
        }
        if dto.name.get_ref().trim().is_empty() {
            return Err(self.at(dto.name.span().start, "the scenario name is empty"));
        }
        let mut protocol = match &dto.protocol {
            Some(p) => self.protocol_settings(p)?,
            None => ProtocolSettings::default(),
        };
        let issues_at = dto.issues.span().start;
        let space = self.space(dto.issues)?;
        let space = self.constraints(space, dto.constraints, issues_at)?;
        let parties_at = dto.parties.span().start;
        let mut parties_dto = dto.parties.into_inner();
        let profiles: Vec<_> = parties_dto
            .iter_mut()
            .map(|p| p.get_mut().compliance.take())
            .collect();
        let parties = self.parties(&space, parties_dto)?;
        let compliance =
            self.compliance(&space, &parties, dto.obligations, dto.compliance, profiles)?;
        if let Some(p) = dto.protocol {
            protocol.kind = self.protocol_kind(&parties, p)?;
        }
        let mut events = Vec::new();
        for e in dto.events {
            let at = e.span().start;
            events.push(self.event(&space, &parties, e.into_inner(), at)?);
        }
        let scenario = Scenario {
            compliance,
            name: dto.name.into_inner(),
            description: dto.description,
            space,
            parties,
            protocol,
            events,
        };
        scenario
            .validate()
            .map_err(|e| self.at(parties_at, e.to_string()))?;
        Ok(scenario)
    }
}
