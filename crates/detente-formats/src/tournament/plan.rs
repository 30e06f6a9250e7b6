//! Tournament plan files (TOML, format 1, documented in `docs/tournaments.md`) as a
//! [`PlanDoc`]: the document, checked for what a file alone can tell (syntax, unknown keys,
//! ranges, names), with the place of every entry so that whoever resolves it (the negotiator
//! kinds, the scenario files) can point at the entry.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use detente_core::registry::Spec;
use serde::Deserialize;
use toml::Spanned;

use crate::error::{FormatError, Result, line_column};

/// The plan format version this build reads.
pub const PLAN_FORMAT_VERSION: i64 = 1;

/// A place in a plan file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

/// A plan file.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanDoc {
    /// The file it was read from (names it in messages).
    pub path: PathBuf,
    /// `name`: the tournament's name, not empty when given.
    pub name: Option<String>,
    /// `description`: free text.
    pub description: String,
    /// `seed`: every negotiation's seed derives from it.
    pub seed: u64,
    /// `repetitions` (default 1, at least 1).
    pub repetitions: u32,
    /// `rounds`: the deadline for every scenario (at least 1), `None` for each scenario's own.
    pub rounds: Option<u32>,
    /// `step_budget_ms`: the longest one step may take.
    pub step_budget: Option<Duration>,
    /// `self_play` (default true).
    pub self_play: bool,
    /// `[[negotiators]]`, at least one.
    pub negotiators: Vec<NegotiatorEntry>,
    /// `scenarios`, at least one.
    pub scenarios: Vec<ScenarioEntry>,
}

/// One `[[negotiators]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct NegotiatorEntry {
    /// `name`: the display name, trimmed; not empty, without `;` or line breaks.
    pub name: Option<String>,
    /// `kind`: a negotiator kind, or a spec such as `time-based:e=0.2`.
    pub kind: String,
    /// `params`: more numeric parameters.
    pub params: BTreeMap<String, f64>,
    /// `params` that name a component (a string in the spec text form, or a table with
    /// `kind`), e.g. `model = "smith-frequency"`.
    pub components: BTreeMap<String, Spec>,
    /// Where the entry starts.
    pub at: Place,
    /// Where its `kind` is.
    pub kind_at: Place,
}

/// One entry of `scenarios`: a scenario file or folder, relative to the plan's folder.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioEntry {
    /// The path as written.
    pub source: String,
    /// Where the entry is.
    pub at: Place,
}

impl ScenarioEntry {
    /// Reads the scenario the entry names, relative to `base` (the plan's folder), in any
    /// format [`crate::load`] reads.
    pub fn load(&self, base: &Path) -> Result<crate::Loaded> {
        let path = base.join(&self.source);
        if !path.exists() {
            return Err(FormatError::Unrecognised {
                path,
                message: "no such file or folder".into(),
            });
        }
        crate::load(std::slice::from_ref(&path))
    }
}

impl PlanDoc {
    /// Reads a plan file.
    pub fn read(path: &Path) -> Result<PlanDoc> {
        Self::parse(&crate::input::read_text(path)?, path)
    }

    /// Parses plan text; `path` names it in messages.
    pub fn parse(text: &str, path: &Path) -> Result<PlanDoc> {
        let at = Locator { text, path };
        let dto: PlanDto = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            at.error(offset, e.message().trim_end().to_string())
        })?;
        at.check_settings(&dto)?;
        at.check(
            &dto.negotiators,
            |n| !n.is_empty(),
            || "the plan needs at least one negotiator".into(),
        )?;
        let negotiators = dto
            .negotiators
            .into_inner()
            .into_iter()
            .map(|n| at.negotiator(n))
            .collect::<Result<_>>()?;
        at.check(
            &dto.scenarios,
            |s| !s.is_empty(),
            || "the plan needs at least one scenario".into(),
        )?;
        let scenarios = dto
            .scenarios
            .into_inner()
            .into_iter()
            .map(|s| ScenarioEntry {
                at: at.place(s.span().start),
                source: s.into_inner(),
            })
            .collect();
        Ok(PlanDoc {
            path: path.to_path_buf(),
            name: dto.name.map(|n| n.into_inner()),
            description: dto.description,
            seed: dto.seed.into_inner(),
            repetitions: dto.repetitions.map_or(1, Spanned::into_inner),
            rounds: dto.rounds.map(Spanned::into_inner),
            step_budget: dto
                .step_budget_ms
                .map(|b| Duration::from_secs_f64(b.get_ref() / 1000.0)),
            self_play: dto.self_play.unwrap_or(true),
            negotiators,
            scenarios,
        })
    }
}

/// Turns byte offsets of the plan text into places and errors.
struct Locator<'a> {
    text: &'a str,
    path: &'a Path,
}

impl Locator<'_> {
    fn place(&self, offset: usize) -> Place {
        let (line, column) = line_column(self.text, offset);
        Place { line, column }
    }

    fn error(&self, offset: usize, message: String) -> FormatError {
        let Place { line, column } = self.place(offset);
        FormatError::At {
            path: self.path.to_path_buf(),
            line,
            column,
            message,
        }
    }

    /// An error at `value` unless `ok` holds for it.
    fn check<T>(
        &self,
        value: &Spanned<T>,
        ok: impl FnOnce(&T) -> bool,
        message: impl FnOnce() -> String,
    ) -> Result<()> {
        if ok(value.get_ref()) {
            Ok(())
        } else {
            Err(self.error(value.span().start, message()))
        }
    }

    /// Checks the version and the plan-wide settings.
    fn check_settings(&self, dto: &PlanDto) -> Result<()> {
        self.check(
            &dto.format,
            |&f| f == PLAN_FORMAT_VERSION,
            || {
                format!(
                    "unsupported plan format version {}; this build reads version \
                 {PLAN_FORMAT_VERSION}",
                    dto.format.get_ref()
                )
            },
        )?;
        let not_empty = |n: &String| !n.trim().is_empty();
        if let Some(n) = &dto.name {
            self.check(n, not_empty, || "the name must not be empty".into())?;
        }
        let positive = |r: &u32| *r > 0;
        if let Some(r) = &dto.repetitions {
            self.check(r, positive, || "repetitions must be at least 1".into())?;
        }
        if let Some(r) = &dto.rounds {
            self.check(r, positive, || "rounds must be at least 1".into())?;
        }
        if let Some(b) = &dto.step_budget_ms {
            self.check(
                b,
                |b| b.is_finite() && *b > 0.0 && *b < 1e12,
                || "step_budget_ms must be a positive number of milliseconds".into(),
            )?;
        }
        Ok(())
    }

    fn negotiator(&self, entry: Spanned<NegotiatorDto>) -> Result<NegotiatorEntry> {
        let entry_start = entry.span().start;
        let at = self.place(entry_start);
        let n = entry.into_inner();
        let name = match n.name {
            Some(name) => {
                self.check(
                    &name,
                    |s| !s.trim().is_empty(),
                    || "the name must not be empty".into(),
                )?;
                self.check(
                    &name,
                    |s| !s.trim().contains([';', '\n', '\r']),
                    || "a negotiator name must not contain `;` or line breaks".into(),
                )?;
                Some(name.into_inner().trim().to_string())
            }
            None => None,
        };
        let mut spec = Spec::default();
        for (k, v) in n.params {
            crate::spec_toml::param(&mut spec, &k, v)
                .map_err(|e| self.error(entry_start, format!("negotiator {e}")))?;
        }
        Ok(NegotiatorEntry {
            name,
            kind_at: self.place(n.kind.span().start),
            kind: n.kind.into_inner(),
            params: spec.params,
            components: spec.components,
            at,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanDto {
    format: Spanned<i64>,
    name: Option<Spanned<String>>,
    #[serde(default)]
    description: String,
    seed: Spanned<u64>,
    repetitions: Option<Spanned<u32>>,
    rounds: Option<Spanned<u32>>,
    step_budget_ms: Option<Spanned<f64>>,
    self_play: Option<bool>,
    negotiators: Spanned<Vec<Spanned<NegotiatorDto>>>,
    scenarios: Spanned<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NegotiatorDto {
    name: Option<Spanned<String>>,
    kind: Spanned<String>,
    #[serde(default)]
    params: BTreeMap<String, toml::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<PlanDoc> {
        PlanDoc::parse(text, Path::new("plan.toml"))
    }

    #[test]
    fn parses_a_plan() {
        let p = parse(
            r#"
format = 1
name = "mini"
description = "two of them"
seed = 7
repetitions = 2
rounds = 30
step_budget_ms = 250
self_play = false
scenarios = ["pie/pie.toml", "buyer-seller"]

[[negotiators]]
name = " Boul "
kind = "boulware"
params = { e = 0.1 }

[[negotiators]]
kind = "time-based:e=3"

[[negotiators]]
kind = "boa:accept=ac-next"
params = { model = "smith-frequency", offer = { kind = "time-dependent", e = 0.2 }, x = 1 }
"#,
        )
        .unwrap();
        let boa = &p.negotiators[2];
        assert_eq!(boa.params.get("x"), Some(&1.0));
        assert_eq!(
            boa.components.get("offer"),
            Some(&Spec::new("time-dependent").with("e", 0.2))
        );
        assert_eq!(
            boa.components.get("model"),
            Some(&Spec::new("smith-frequency"))
        );
        assert_eq!(p.name.as_deref(), Some("mini"));
        assert_eq!(p.description, "two of them");
        assert_eq!((p.seed, p.repetitions, p.rounds), (7, 2, Some(30)));
        assert_eq!(p.step_budget, Some(Duration::from_millis(250)));
        assert!(!p.self_play);
        let n = &p.negotiators[0];
        assert_eq!(
            (n.name.as_deref(), n.kind.as_str()),
            (Some("Boul"), "boulware")
        );
        assert_eq!(n.params.get("e"), Some(&0.1));
        assert_eq!(
            n.at,
            Place {
                line: 12,
                column: 1
            }
        );
        assert_eq!(
            n.kind_at,
            Place {
                line: 14,
                column: 8
            }
        );
        assert_eq!(p.negotiators[1].name, None);
        assert_eq!(p.scenarios[1].source, "buyer-seller");
        assert_eq!(
            p.scenarios[1].at,
            Place {
                line: 10,
                column: 30
            }
        );
    }

    #[test]
    fn defaults() {
        let p = parse(
            "format = 1\nseed = 1\nscenarios = [\"s\"]\n[[negotiators]]\nkind = \"linear\"\n",
        )
        .unwrap();
        assert_eq!((p.name, p.repetitions, p.rounds), (None, 1, None));
        assert_eq!((p.step_budget, p.self_play), (None, true));
    }

    #[test]
    fn errors_point_at_the_place() {
        let head = "format = 1\nseed = 1\nscenarios = [\"pie/pie.toml\"]\n";
        let cases = [
            (
                format!("{head}colour = 3\n[[negotiators]]\nkind = \"linear\"\n"),
                "plan.toml:4:1: unknown field `colour`",
            ),
            (
                format!("{head}repetitions = 0\n[[negotiators]]\nkind = \"linear\"\n"),
                "plan.toml:4:15: repetitions must be at least 1",
            ),
            (
                format!("{head}rounds = 0\n[[negotiators]]\nkind = \"linear\"\n"),
                "plan.toml:4:10: rounds must be at least 1",
            ),
            (
                format!("{head}step_budget_ms = -1\n[[negotiators]]\nkind = \"linear\"\n"),
                "plan.toml:4:18: step_budget_ms must be a positive number",
            ),
            (
                format!("{head}name = \" \"\n[[negotiators]]\nkind = \"linear\"\n"),
                "plan.toml:4:8: the name must not be empty",
            ),
            (
                format!("{head}[[negotiators]]\nname = \"a;b\"\nkind = \"linear\"\n"),
                "plan.toml:5:8: a negotiator name must not contain `;`",
            ),
            (format!("{head}seed = -1\n"), "plan.toml:4:1: duplicate key"),
            (
                "format = 2\nseed = 1\nscenarios = []\nnegotiators = []\n".into(),
                "plan.toml:1:10: unsupported plan format version 2",
            ),
            (
                "format = 1\nseed = 1\nscenarios = [\"pie/pie.toml\"]\nnegotiators = []\n".into(),
                "plan.toml:4:15: the plan needs at least one negotiator",
            ),
            (
                "format = 1\nseed = 1\nscenarios = []\n[[negotiators]]\nkind = \"linear\"\n".into(),
                "plan.toml:3:13: the plan needs at least one scenario",
            ),
        ];
        for (text, expect) in cases {
            let e = parse(&text).unwrap_err().to_string();
            assert!(e.starts_with(expect), "got `{e}`, expected `{expect}...`");
        }
    }

    #[test]
    fn scenario_entries_load_relative_to_the_plan() {
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
        let entry = |source: &str| ScenarioEntry {
            source: source.into(),
            at: Place { line: 1, column: 1 },
        };
        assert_eq!(entry("pie").load(&base).unwrap().scenario.name, "pie");
        let e = entry("nope.toml").load(&base).unwrap_err().to_string();
        assert!(e.ends_with("nope.toml: no such file or folder"), "{e}");
    }
}
