//! GENIUS XML scenarios: a domain file and one utility-space ("profile") file per party, read
//! and written with the exact semantics of GENIUS 10.4.
//!
//! Reading ([`load_files`], [`load_dir`], [`load_bytes`]) tells the domain from the profiles by
//! content, never by name: the domain has a `<negotiation_template>` root (or a bare
//! `<utility_space>` with issues but no weights); a profile is a `<utility_space>` with
//! `<weight>`s, or `type="nonlinear"`. Parties come in the profiles' file-name order and are
//! named after the file stems.
//!
//! What a profile means, as in GENIUS:
//! - additive profiles: `U = min(1, Σ w_i · eval_i)` over the domain's issues in GENIUS's
//!   pre-order (at each level the sub-objectives' issues first, then the level's own issues).
//!   Weights are matched to issues by index within their level and never renormalised;
//!   weights matching no issue are ignored. A discrete value scores its evaluation divided by
//!   the issue's largest evaluation (0 when that is below 1e-5; a value listed twice keeps its
//!   later evaluation). An integer issue scores `clamp01(slope·(x − lowerbound) + offset)`, a
//!   real one `clamp01(parameter1·x + parameter0)`, a constant, or a triangle.
//! - non-linear (ANAC 2014) profiles: `min(1, Σ contained rectangles' utility / maxutility)`.
//! - a missing reservation value is 0; a discount factor that is missing, ≤ 0 or > 1 is 1.
//!
//! Real issues are continuous in GENIUS; detente discretises them into
//! [`DEFAULT_REAL_STEPS`] evenly spaced points (both ends included) unless the `<issue>`
//! carries a `steps="N"` attribute (which detente writes and GENIUS ignores).
//!
//! Writing ([`write`](fn@write)) produces files that read back to the same utilities; what GENIUS cannot
//! express is refused with an error rather than approximated.

mod dom;
mod read;
mod write;

use std::path::{Path, PathBuf};

use detente_core::{OutcomeSpace, Party, Preferences, ProtocolSettings, Scenario};

use crate::{Diagnostic, FormatError, Loaded, Result, SourceFormat};

pub use write::write;
pub(crate) use write::{max_sum, plan_files, write_all};

/// Number of points a real issue is discretised into when its file does not say.
pub const DEFAULT_REAL_STEPS: u32 = 11;

/// Reads a GENIUS domain file and its profile files, given in any order.
pub fn load_files(files: &[PathBuf]) -> Result<Loaded> {
    let mut inputs = Vec::with_capacity(files.len());
    for f in files {
        let bytes = crate::input::read_bytes(f)?;
        inputs.push((f.clone(), bytes));
    }
    load_bytes(&inputs)
}

/// Reads every `.xml` file of a folder as a GENIUS scenario. Files that are not XML (such as
/// the ANAC 2014 `pareto.xml` frontier lists) are skipped with a diagnostic.
pub fn load_dir(dir: &Path) -> Result<Loaded> {
    let mut diags = Vec::new();
    let mut inputs = Vec::new();
    for path in list_dir(dir, "xml")? {
        let bytes = crate::input::read_bytes(&path)?;
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'<') {
            diags.push(Diagnostic {
                path: path.clone(),
                location: "file".into(),
                message: "not XML (for example an ANAC 2014 pareto.xml list); skipped".into(),
            });
            continue;
        }
        inputs.push((path, bytes));
    }
    if inputs.is_empty() {
        return Err(FormatError::Unrecognised {
            path: dir.to_path_buf(),
            message: "the folder holds no GENIUS .xml files".into(),
        });
    }
    let mut loaded = load_bytes(&inputs)?;
    diags.append(&mut loaded.diagnostics);
    loaded.diagnostics = diags;
    Ok(loaded)
}

/// The files of `dir` with extension `ext`, sorted.
pub(crate) fn list_dir(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|source| FormatError::Io {
            path: dir.to_path_buf(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext)))
        .collect();
    out.sort();
    Ok(out)
}

/// A file's name (not its path), for messages and descriptions.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// A file's stem: a party's name.
pub(crate) fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The scenario name a domain file gives: its stem without a `-domain`/`_domain` suffix.
pub(crate) fn scenario_name(domain: &Path) -> String {
    let stem = file_stem(domain);
    for suffix in ["-domain", "_domain", " domain"] {
        if let Some(s) = stem.strip_suffix(suffix).filter(|s| !s.is_empty()) {
            return s.to_string();
        }
    }
    stem
}

/// Orders profile files by file name (then full path), as the reference data does.
pub(crate) fn sort_by_file_name<T>(items: &mut [(PathBuf, T)]) {
    items.sort_by(|a, b| {
        file_name(&a.0)
            .cmp(&file_name(&b.0))
            .then_with(|| a.0.cmp(&b.0))
    });
}

/// Checks the counts of domains and profiles shared by both readers.
pub(crate) fn check_counts(
    format: &str,
    domains: &[&Path],
    profiles: &[&Path],
    all: &[PathBuf],
) -> Result<()> {
    let names = |ps: &[PathBuf]| {
        ps.iter()
            .map(|p| file_name(p))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let first = all.first().cloned().unwrap_or_default();
    match domains {
        [] => {
            return Err(FormatError::Unrecognised {
                path: first,
                message: format!(
                    "no {format} domain file among the files given ({})",
                    names(all)
                ),
            });
        }
        [_] => {}
        [a, b, ..] => {
            return Err(FormatError::Unrecognised {
                path: b.to_path_buf(),
                message: format!(
                    "two {format} domain files: {} and {}; give one",
                    file_name(a),
                    file_name(b)
                ),
            });
        }
    }
    match profiles {
        [] => Err(FormatError::Unrecognised {
            path: domains[0].to_path_buf(),
            message: format!("no {format} profile files: a negotiation needs a profile per party"),
        }),
        [one] => Err(FormatError::Unrecognised {
            path: one.to_path_buf(),
            message: format!(
                "only one {format} profile ({}): a negotiation needs at least two parties",
                file_name(one)
            ),
        }),
        _ => Ok(()),
    }
}

/// Builds the scenario shared by both readers, checking party names.
pub(crate) fn assemble(
    format_name: &str,
    domain: &Path,
    space: OutcomeSpace,
    parties: Vec<(PathBuf, Preferences)>,
) -> Result<Scenario> {
    let mut out: Vec<Party> = Vec::with_capacity(parties.len());
    for (path, preferences) in parties {
        let name = file_stem(&path);
        if let Some(other) = out.iter().find(|p| p.name == name) {
            return Err(FormatError::Unrecognised {
                path,
                message: format!(
                    "two profiles have the file stem \"{}\", which names the party; rename one",
                    other.name
                ),
            });
        }
        out.push(Party {
            name,
            preferences,
            negotiator: None,
        });
    }
    let description = format!(
        "Read from {format_name} files: {} (domain), {}.",
        file_name(domain),
        out.iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let scenario = Scenario {
        compliance: Default::default(),
        events: Vec::new(),
        name: scenario_name(domain),
        description,
        space,
        parties: out,
        protocol: ProtocolSettings::default(),
    };
    scenario.validate().map_err(|e| FormatError::Unrecognised {
        path: domain.to_path_buf(),
        message: e.to_string(),
    })?;
    Ok(scenario)
}

/// Reads a GENIUS scenario from file contents already in memory (`(path, bytes)` pairs; the
/// paths only name the files in messages and the parties). This is what [`load_files`] does
/// after reading the files.
pub fn load_bytes(files: &[(PathBuf, Vec<u8>)]) -> Result<Loaded> {
    let mut diags = Vec::new();
    let docs = parse_all(files, &mut diags)?;
    let all: Vec<PathBuf> = files.iter().map(|f| f.0.clone()).collect();
    let domains: Vec<&Path> = docs
        .iter()
        .filter(|d| d.2 == read::FileKind::Domain)
        .map(|d| d.0.as_path())
        .collect();
    let profiles: Vec<&Path> = docs
        .iter()
        .filter(|d| d.2 != read::FileKind::Domain)
        .map(|d| d.0.as_path())
        .collect();
    check_counts("GENIUS", &domains, &profiles, &all)?;
    let domain_path = domains[0].to_path_buf();
    let (_, domain_doc, _) = docs
        .iter()
        .find(|d| d.2 == read::FileKind::Domain)
        .expect("counted above");
    let ctx = read::Ctx {
        path: &domain_path,
        text: &domain_doc.text,
    };
    let dom = read::read_domain(&ctx, domain_doc, &mut diags)?;
    let space = OutcomeSpace::new(dom.issues.clone()).map_err(|e| FormatError::In {
        path: domain_path.clone(),
        location: "issues".into(),
        message: e.to_string(),
    })?;
    let mut profile_docs: Vec<(PathBuf, (&dom::Document, read::FileKind))> = docs
        .iter()
        .filter(|d| d.2 != read::FileKind::Domain)
        .map(|d| (d.0.clone(), (&d.1, d.2)))
        .collect();
    sort_by_file_name(&mut profile_docs);
    let mut parties = Vec::with_capacity(profile_docs.len());
    for (path, (doc, kind)) in &profile_docs {
        let prefs = read_profile(path, doc, *kind, &dom, &space, &mut diags)?;
        parties.push((path.clone(), prefs));
    }
    let scenario = assemble("GENIUS", &domain_path, space, parties)?;
    Ok(Loaded {
        scenario,
        diagnostics: diags,
        format: SourceFormat::Genius,
        digest: crate::digest::of_files(files),
    })
}

/// Decodes and parses every file and tells what each one is.
fn parse_all(
    files: &[(PathBuf, Vec<u8>)],
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<(PathBuf, dom::Document, read::FileKind)>> {
    let mut docs = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        let (text, latin1) = dom::decode(bytes);
        if latin1 {
            diags.push(Diagnostic {
                path: path.clone(),
                location: "file".into(),
                message: "not valid UTF-8; read as ISO-8859-1".into(),
            });
        }
        let doc = dom::parse(path, text)?;
        let ctx = read::Ctx {
            path,
            text: &doc.text,
        };
        let kind = read::classify(&ctx, &doc)?;
        docs.push((path.clone(), doc, kind));
    }
    Ok(docs)
}

/// One party's preferences from its profile.
fn read_profile(
    path: &Path,
    doc: &dom::Document,
    kind: read::FileKind,
    dom: &read::Domain,
    space: &OutcomeSpace,
    diags: &mut Vec<Diagnostic>,
) -> Result<Preferences> {
    let ctx = read::Ctx {
        path,
        text: &doc.text,
    };
    let (reservation, discount) = read::read_rv_df(&ctx, &doc.root, diags)?;
    let utility = match kind {
        read::FileKind::Nonlinear => read::read_nonlinear(&ctx, doc, dom, space, diags)?,
        _ => read::read_additive(&ctx, doc, dom, space, diags)?,
    };
    Ok(Preferences {
        utility,
        reservation,
        discount,
    })
}
