//! Reading: the data-transfer types into a [`Scenario`], every problem reported with the
//! file, line and column it comes from.
//!
//! The checks run in file order: the header and `[protocol]` settings, the issues
//! ([`space`]), the constraints, the parties and their preferences ([`party`], [`utility`]),
//! the protocol kind (which may name a party), the events ([`dynamics`]).

mod compliance;
mod dynamics;
mod keys;
mod large;
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

/// Parses scenario text; `origin` names it in error messages. Large arrays take the fast
/// path of [`large`]; whatever goes wrong there, the text is read again the usual way.
pub fn load_str(text: &str, origin: &Path) -> Result<Loaded> {
    if let Some((blanked, arrays)) = large::extract(text) {
        let ctx = Ctx {
            text,
            path: origin,
            large: Some(&arrays),
        };
        if let Ok(scenario) = ctx.read(&blanked)
            && arrays.all_claimed()
        {
            return Ok(loaded(scenario, text, origin));
        }
    }
    let ctx = Ctx {
        text,
        path: origin,
        large: None,
    };
    ctx.read(text).map(|s| loaded(s, text, origin))
}

/// A scenario read from `origin`, with the warnings of [`crate::validate`].
fn loaded(scenario: Scenario, text: &str, origin: &Path) -> Loaded {
    let diagnostics = crate::validate::check(&scenario, &[origin], SourceFormat::Toml);
    Loaded {
        scenario,
        diagnostics,
        format: SourceFormat::Toml,
        digest: crate::digest::of_files(&[(origin, text.as_bytes())]),
    }
}

/// The text being read and its name, for messages.
pub(super) struct Ctx<'a> {
    text: &'a str,
    path: &'a Path,
    /// The large arrays read apart from the rest ([`large`]), when the fast path is taken.
    large: Option<&'a large::LargeArrays>,
}

impl Ctx<'_> {
    /// Reads the scenario from `text` (the file's text, or it with its large arrays blanked).
    fn read(&self, text: &str) -> Result<Scenario> {
        let toml_error = |e: toml::de::Error| {
            // A file of another format version fails for that reason first, whatever else
            // differs.
            self.other_version(text).unwrap_or_else(|| {
                let offset = e.span().map_or(0, |s| s.start);
                self.at(offset, e.message().trim_end().to_string())
            })
        };
        let doc = toml::de::DeTable::parse(text).map_err(toml_error)?;
        let unknown = keys::unknown_keys(doc.get_ref());
        if !unknown.is_empty() {
            if let Some(e) = self.other_version(text) {
                return Err(e);
            }
            let mut errors: Vec<FormatError> =
                unknown.into_iter().map(|(at, m)| self.at(at, m)).collect();
            return Err(if errors.len() == 1 {
                errors.remove(0)
            } else {
                FormatError::Several(errors)
            });
        }
        let dto =
            ScenarioDto::deserialize(toml::de::Deserializer::from(doc)).map_err(toml_error)?;
        self.scenario(dto)
    }

    /// The strings of an array read at byte `at`: those the fast path read there, or `got`.
    pub(super) fn claim_strings(&self, at: usize, got: Vec<String>) -> Vec<String> {
        match self.large {
            Some(l) if got.is_empty() => l.take_strings(at).unwrap_or(got),
            _ => got,
        }
    }

    /// The numbers of an array read at byte `at`: those the fast path read there, or `got`.
    pub(super) fn claim_numbers(&self, at: usize, got: Vec<f64>) -> Vec<f64> {
        match self.large {
            Some(l) if got.is_empty() => l.take_numbers(at).unwrap_or(got),
            _ => got,
        }
    }

    /// The entries of a table of numbers read at byte `at` by the fast path, when `got` (what
    /// toml read there) is empty.
    fn claim_named(&self, at: usize, got_empty: bool) -> Option<large::NamedNumbers> {
        self.large
            .filter(|_| got_empty)
            .and_then(|l| l.take_named(at))
    }

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
