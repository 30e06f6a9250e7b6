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

use crate::digest::Digest;
use crate::{Diagnostic, FormatError, Loaded, Result, SourceFormat};

pub use write::write;
pub(crate) use write::{max_sum, plan_files, write_all};

/// Number of points a real issue is discretised into when its file does not say.
pub const DEFAULT_REAL_STEPS: u32 = 11;

/// Reads a GENIUS domain file and its profile files, given in any order.
pub fn load_files(files: &[PathBuf]) -> Result<Loaded> {
    let inputs = files.iter().map(|f| (f.clone(), Input::File)).collect();
    load_inputs(inputs, Vec::new())
}

/// Reads every `.xml` file of a folder as a GENIUS scenario. Files that are not XML (such as
/// the ANAC 2014 `pareto.xml` frontier lists) are skipped with a diagnostic.
pub fn load_dir(dir: &Path) -> Result<Loaded> {
    let mut diags = Vec::new();
    let mut inputs = Vec::new();
    for path in list_dir(dir, "xml")? {
        let head = crate::input::read_head(&path, HEAD_BYTES)?.0;
        let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
        // A file whose first 64 KiB are blank is not XML either.
        if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'<') {
            diags.push(Diagnostic {
                path: path.clone(),
                location: "file".into(),
                message: "not XML (for example an ANAC 2014 pareto.xml list); skipped".into(),
            });
            continue;
        }
        inputs.push((path, Input::File));
    }
    if inputs.is_empty() {
        return Err(FormatError::Unrecognised {
            path: dir.to_path_buf(),
            message: "the folder holds no GENIUS .xml files".into(),
        });
    }
    load_inputs(inputs, diags)
}

/// Reads a file's bytes, naming it on failure.
fn read_file(path: &Path) -> Result<Vec<u8>> {
    crate::input::read_bytes(path)
}

/// How much of a file on disk is read to tell a domain from a profile ([`Input::kind`]).
const HEAD_BYTES: usize = 64 * 1024;

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

/// The description the GENIUS and GeniusWeb readers give a scenario read from `domain` and
/// the profiles of `parties` (names, in order).
pub(crate) fn read_description(format_name: &str, domain: &Path, parties: &[&str]) -> String {
    format!(
        "Read from {format_name} files: {} (domain), {}.",
        file_name(domain),
        parties.join(", ")
    )
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
    let names: Vec<&str> = out.iter().map(|p| p.name.as_str()).collect();
    let description = read_description(format_name, domain, &names);
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
    let inputs = files
        .iter()
        .map(|(p, b)| (p.clone(), Input::Bytes(b.clone())))
        .collect();
    load_inputs(inputs, Vec::new())
}

/// Where a file's contents are: in memory, or in the file (read when needed, so that only one
/// large file is held at a time).
enum Input {
    Bytes(Vec<u8>),
    File,
}

impl Input {
    /// The file's text; the bytes of an input in memory are taken. A file that is not UTF-8
    /// is read as ISO-8859-1, with a diagnostic.
    /// Its digest goes to `digests`.
    fn take_text(
        &mut self,
        path: &Path,
        diags: &mut Vec<Diagnostic>,
        digests: &mut Vec<(String, Digest)>,
    ) -> Result<String> {
        let bytes = match self {
            Input::Bytes(b) => std::mem::take(b),
            Input::File => read_file(path)?,
        };
        digests.push((
            file_name(path),
            Digest::new().file(&file_name(path), &bytes),
        ));
        let (text, latin1) = dom::decode(bytes);
        if latin1 {
            diags.push(Diagnostic {
                path: path.to_path_buf(),
                location: "file".into(),
                message: "not valid UTF-8; read as ISO-8859-1".into(),
            });
        }
        Ok(text)
    }

    /// What the file is, from a scan of its start ([`dom::outline`]). Of a file on disk only
    /// the first [`HEAD_BYTES`] are read, unless they do not tell (a domain with a bare
    /// `<utility_space>` root, for one, is scanned to its end).
    fn kind(&mut self, path: &Path) -> Result<read::FileKind> {
        let bytes = match self {
            Input::Bytes(b) => return classify_text(path, &dom::decode_ref(b, false)),
            Input::File => crate::input::read_head(path, HEAD_BYTES)?,
        };
        if let (head, false) = bytes {
            let text = dom::decode_ref(&head, true);
            if let Some(outline) = dom::outline_head(path, &text) {
                return read::classify(&read::Ctx::new(path, &text), &outline);
            }
        }
        classify_text(path, &dom::decode_ref(&read_file(path)?, false))
    }
}

/// What a whole file is.
fn classify_text(path: &Path, text: &str) -> Result<read::FileKind> {
    read::classify(&read::Ctx::new(path, text), &dom::outline(path, text)?)
}

/// Reads a GENIUS scenario, adding to `diags`. Each file is told apart by a scan of its start
/// ([`Input::kind`]); then the domain and each profile in turn is read into an element tree,
/// read into detente's types and dropped. Profiles are parsed on a second thread, at most one
/// ahead: at most two files' trees (and, for files on disk, texts) are held at a time.
fn load_inputs(files: Vec<(PathBuf, Input)>, mut diags: Vec<Diagnostic>) -> Result<Loaded> {
    let all: Vec<PathBuf> = files.iter().map(|f| f.0.clone()).collect();
    let mut digests = Vec::with_capacity(files.len());
    let mut classified = Vec::with_capacity(files.len());
    for (path, mut input) in files {
        let kind = input.kind(&path)?;
        classified.push((path, (input, kind)));
    }
    let (domains, mut profiles): (Vec<_>, Vec<_>) = classified
        .into_iter()
        .partition(|(_, (_, kind))| *kind == read::FileKind::Domain);
    fn paths<T>(v: &[(PathBuf, T)]) -> Vec<&Path> {
        v.iter().map(|(p, _)| p.as_path()).collect()
    }
    check_counts("GENIUS", &paths(&domains), &paths(&profiles), &all)?;
    let Some((domain_path, (input, _))) = domains.into_iter().next() else {
        return Err(FormatError::Unrecognised {
            path: all.first().cloned().unwrap_or_default(),
            message: "no GENIUS domain file among the files given".into(),
        });
    };
    sort_by_file_name(&mut profiles);
    // The profiles are read into element trees on another thread, one ahead of this one,
    // which reads the domain and then each profile's tree into preferences.
    let parties = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel(0);
        scope.spawn(move || parse_profiles(profiles, &tx));
        let (dom, space) = read_domain_file(&domain_path, input, &mut diags, &mut digests)?;
        let mut parties = Vec::new();
        for profile in rx {
            let ParsedProfile {
                path,
                kind,
                doc,
                diags: mut own,
                digests: read,
            } = profile;
            digests.extend(read);
            let prefs = read_profile(&path, &doc?, kind, &dom, &space, &mut own)?;
            parties.push((dom.rank(&path), path, prefs, own));
        }
        // The order the domain gives (written by detente), profiles it does not list last.
        parties.sort_by_key(|p| p.0);
        let parties: Vec<(PathBuf, Preferences)> = parties
            .into_iter()
            .map(|(_, path, prefs, own)| {
                diags.extend(own);
                (path, prefs)
            })
            .collect();
        Ok::<_, FormatError>((space, parties))
    });
    let (space, parties) = parties?;
    let paths: Vec<PathBuf> = parties.iter().map(|(p, _)| p.clone()).collect();
    let scenario = assemble("GENIUS", &domain_path, space, parties)?;
    let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    diags.extend(crate::validate::check(
        &scenario,
        &paths,
        SourceFormat::Genius,
    ));
    Ok(Loaded {
        scenario,
        diagnostics: diags,
        format: SourceFormat::Genius,
        digest: crate::digest::of_parts(digests),
    })
}

/// A profile read into its element tree (or the error that stopped it), with the
/// diagnostics and digest of reading it.
struct ParsedProfile {
    path: PathBuf,
    kind: read::FileKind,
    doc: Result<dom::Document>,
    diags: Vec<Diagnostic>,
    digests: Vec<(String, Digest)>,
}

/// Reads each profile into its element tree, in turn, handing each to `tx`; stops after an
/// error, or when the receiver has gone (it stopped at an error of its own).
fn parse_profiles(
    profiles: Vec<(PathBuf, (Input, read::FileKind))>,
    tx: &std::sync::mpsc::SyncSender<ParsedProfile>,
) {
    for (path, (mut input, kind)) in profiles {
        let mut diags = Vec::new();
        let mut digests = Vec::new();
        let doc = input
            .take_text(&path, &mut diags, &mut digests)
            .and_then(|text| dom::parse(&path, text));
        let failed = doc.is_err();
        let parsed = ParsedProfile {
            path,
            kind,
            doc,
            diags,
            digests,
        };
        if tx.send(parsed).is_err() || failed {
            return;
        }
    }
}

/// Reads the domain file into the issues' outcome space (and what else the domain says).
fn read_domain_file(
    path: &Path,
    mut input: Input,
    diags: &mut Vec<Diagnostic>,
    digests: &mut Vec<(String, Digest)>,
) -> Result<(read::Domain, OutcomeSpace)> {
    let doc = dom::parse(path, input.take_text(path, diags, digests)?)?;
    let mut dom = read::read_domain(&read::Ctx::new(path, &doc.text), &doc, diags)?;
    drop(doc);
    let space =
        OutcomeSpace::new(std::mem::take(&mut dom.issues)).map_err(|e| FormatError::In {
            path: path.to_path_buf(),
            location: "issues".into(),
            message: e.to_string(),
        })?;
    Ok((dom, space))
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
    let ctx = read::Ctx::new(path, &doc.text);
    let (reservation, discount) = read::read_rv_df(&ctx, &doc.root(), diags)?;
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
