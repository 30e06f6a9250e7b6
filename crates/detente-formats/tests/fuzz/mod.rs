//! The stable-toolchain fuzzer: each reader of [`targets`] is fed its seed corpus, then
//! mutations of it, for a bounded time (`DETENTE_FUZZ_SECONDS`, default 2 seconds per
//! reader), and must never panic. `scripts/fuzz-campaign.sh` runs the same harness for longer
//! (and the `cargo fuzz` targets, which share [`targets`], where a nightly toolchain is
//! available); `docs/robustness.md` has its last figures.
//!
//! Seeds are read at run time, never copied into the repository: the shipped scenarios, the
//! examples (plans, records, and JSON traces made from the records), the crate's GENIUS
//! fixtures and, when present, the shared ANAC domains. Mutations, one to four per input:
//! flipping bits, deleting, duplicating or moving a range, inserting a token that readers find
//! hard (huge and odd numbers, deep nesting, long names, entities, NUL), replacing a number,
//! and splicing two seeds. Inputs are drawn from a ChaCha8 stream seeded by
//! `DETENTE_FUZZ_SEED` (default 18), so a run is repeatable for a given number of inputs. An
//! input that panics is saved under the test's temporary folder and its message reported; a
//! crash is unique by its panic message.

pub mod targets;

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use detente_formats::trace::{record_from_csv_str, record_from_toml_str, trace_doc};
use detente_formats::{digest::Digest, scenario_toml};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use targets::{SCENARIOS, TARGETS, Target};

/// Tokens that readers of every format find hard.
const TOKENS: [&[u8]; 28] = [
    b"1e308",
    b"-1e308",
    b"1e400",
    b"NaN",
    b"inf",
    b"-0",
    b"4294967295",
    b"4294967296",
    b"18446744073709551616",
    b"-9223372036854775809",
    b"0.1e-400",
    b"\"\"",
    b"[]",
    b"{}",
    b"[[[[[[[[[[[[[[[[",
    b"{\"a\":{\"a\":{\"a\":{\"a\":",
    b"<objective index=\"0\">",
    b"</utility_space>",
    b"<!DOCTYPE x [<!ENTITY e \"ee\">]>&e;",
    b"&#0;&#xFFFF;",
    b"\0",
    b"\xFF\xFE",
    b"\xE2\x80\xAE",
    b"=HYPERLINK(\"x\")",
    b"\n[[parties]]\nname = \"X\"\n",
    b"\n[[issues]]\nname = \"w\"\ntype = \"integer\"\nmin = 0\nmax = 4294967294\n",
    b"steps = 4294967295",
    b"rounds = 4294967295",
];

/// The time each reader is fuzzed for.
fn budget() -> Duration {
    let secs = std::env::var("DETENTE_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .unwrap_or(2.0);
    Duration::from_secs_f64(secs)
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The files of `dir` with extension `ext`, sorted, joined with NUL bytes.
fn joined(dir: &Path, ext: &str) -> Option<Vec<u8>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    (!files.is_empty()).then(|| files.iter().map(|p| read(p)).collect::<Vec<_>>().join(&0u8))
}

/// The index of a shipped scenario in [`SCENARIOS`], by file name.
fn pick(name: &str) -> u8 {
    SCENARIOS
        .iter()
        .position(|(n, _)| *n == name)
        .expect("a shipped scenario") as u8
}

/// The seed corpus of a target.
fn seeds(target: &str) -> Vec<Vec<u8>> {
    let root = detente_testkit::workspace_root();
    let examples = root.join("examples");
    match target {
        "toml_scenario" => SCENARIOS
            .iter()
            .map(|(_, t)| t.as_bytes().to_vec())
            .collect(),
        "plan" => ["small.toml", "anac.toml"]
            .iter()
            .map(|f| read(&examples.join("tournaments").join(f)))
            .collect(),
        "record" => vec![
            [
                &[pick("pie.toml"), 0][..],
                &read(&examples.join("traces/pie-talks.csv")),
            ]
            .concat(),
            [
                &[pick("ukraine-2025.toml"), 1][..],
                &read(&examples.join("traces/ukraine-2025-spring.toml")),
            ]
            .concat(),
        ],
        "trace_json" => trace_seeds(&examples),
        "genius" | "geniusweb" => domain_seeds(target),
        other => panic!("no seeds for `{other}`"),
    }
}

/// JSON traces of the example records, as `detente run --format json` would write them.
fn trace_seeds(examples: &Path) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for (file, scenario, csv) in [
        ("traces/pie-talks.csv", "pie.toml", true),
        (
            "traces/ukraine-2025-spring.toml",
            "ukraine-2025.toml",
            false,
        ),
    ] {
        let k = pick(scenario);
        let s = scenario_toml::load_str(SCENARIOS[k as usize].1, Path::new(scenario))
            .unwrap()
            .scenario;
        let text = String::from_utf8(read(&examples.join(file))).unwrap();
        let origin = Path::new(file);
        let record = if csv {
            record_from_csv_str(&text, origin, &s)
        } else {
            record_from_toml_str(&text, origin, &s)
        }
        .unwrap();
        let names = vec!["linear".to_string(); s.parties.len()];
        let json = trace_doc(&s, &record.trace, &names, None).to_json();
        out.push([&[k][..], json.as_bytes()].concat());
    }
    out
}

/// GENIUS or GeniusWeb scenarios: the crate's fixtures and the shared domains, if present.
fn domain_seeds(target: &str) -> Vec<Vec<u8>> {
    let ext = if target == "genius" { "xml" } else { "json" };
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/genius");
    let mut dirs = vec![fixtures.join("numeric"), fixtures.join("nonlinear")];
    dirs.extend(detente_testkit::genius_domains());
    dirs.iter().filter_map(|d| joined(d, ext)).collect()
}

/// A mutation of `input`, with `other` (another seed) to splice from.
fn mutate(rng: &mut ChaCha8Rng, input: &mut Vec<u8>, other: &[u8]) {
    let len = input.len();
    let at = |rng: &mut ChaCha8Rng, n: usize| if n == 0 { 0 } else { rng.random_range(0..n) };
    match rng.random_range(0..7) {
        0 if len > 0 => {
            let i = at(rng, len);
            input[i] ^= 1 << rng.random_range(0..8);
        }
        1 if len > 0 => {
            let a = at(rng, len);
            let b = (a + rng.random_range(1..=64)).min(len);
            input.drain(a..b);
        }
        2 if len > 0 => {
            let a = at(rng, len);
            let b = (a + rng.random_range(1..=256)).min(len);
            let piece = input[a..b].to_vec();
            let to = at(rng, input.len() + 1);
            input.splice(to..to, piece);
        }
        3 => {
            let token = TOKENS[rng.random_range(0..TOKENS.len())];
            let to = at(rng, len + 1);
            input.splice(to..to, token.iter().copied());
        }
        4 => replace_number(rng, input),
        5 if !other.is_empty() => {
            // Splice: a prefix of this input, a suffix of the other.
            let a = at(rng, len + 1);
            let b = at(rng, other.len());
            input.truncate(a);
            input.extend_from_slice(&other[b..]);
        }
        _ => {
            let n = rng.random_range(1..=70_000);
            let to = at(rng, len + 1);
            input.splice(to..to, std::iter::repeat_n(b'A', n));
        }
    }
}

/// Replaces one number of the input with a hard one.
fn replace_number(rng: &mut ChaCha8Rng, input: &mut Vec<u8>) {
    let starts: Vec<usize> = (0..input.len())
        .filter(|&i| input[i].is_ascii_digit() && (i == 0 || !input[i - 1].is_ascii_digit()))
        .collect();
    if starts.is_empty() {
        return;
    }
    let a = starts[rng.random_range(0..starts.len())];
    let b = (a..input.len())
        .find(|&i| !(input[i].is_ascii_digit() || input[i] == b'.'))
        .unwrap_or(input.len());
    let token = TOKENS[rng.random_range(0..11)];
    input.splice(a..b, token.iter().copied());
}

/// The message of a panic.
fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// What fuzzing one target did.
struct Campaign {
    runs: u64,
    /// Unique crashes: the panic message and where the input was saved.
    crashes: BTreeMap<String, PathBuf>,
    slowest: Duration,
}

/// Feeds `target` one input, saving it when it panics.
fn feed(target: &Target, input: &[u8], campaign: &mut Campaign) {
    let start = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| (target.run)(input)));
    campaign.slowest = campaign.slowest.max(start.elapsed());
    campaign.runs += 1;
    if let Err(payload) = outcome
        && let Entry::Vacant(slot) = campaign.crashes.entry(message(&*payload))
    {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("fuzz-crashes")
            .join(target.name);
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join(Digest::new().bytes(input).hex());
        let _ = std::fs::write(&path, input);
        slot.insert(path);
    }
}

/// Writes the seeds of `target` as files into `dir/NAME/` (for `cargo fuzz`'s corpus).
fn write_seeds(target: &str, corpus: &[Vec<u8>], dir: &Path) {
    let dir = dir.join(target);
    std::fs::create_dir_all(&dir).expect("the seed folder can be made");
    for input in corpus {
        let path = dir.join(Digest::new().bytes(input).hex());
        std::fs::write(&path, input).expect("a seed can be written");
    }
}

/// Fuzzes `target` for the budget: its seeds as they are, then mutations of them. With
/// `DETENTE_FUZZ_SEEDS_OUT` set, also writes the seeds there.
fn fuzz(target: &Target) -> Campaign {
    let seed = std::env::var("DETENTE_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(18u64);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let corpus = seeds(target.name);
    assert!(!corpus.is_empty(), "`{}` has no seeds", target.name);
    if let Some(dir) = std::env::var_os("DETENTE_FUZZ_SEEDS_OUT") {
        write_seeds(target.name, &corpus, Path::new(&dir));
    }
    let mut campaign = Campaign {
        runs: 0,
        crashes: BTreeMap::new(),
        slowest: Duration::ZERO,
    };
    for input in &corpus {
        feed(target, input, &mut campaign);
    }
    let end = Instant::now() + budget();
    while Instant::now() < end {
        let mut input = corpus[rng.random_range(0..corpus.len())].clone();
        let other = &corpus[rng.random_range(0..corpus.len())];
        for _ in 0..rng.random_range(1..=4) {
            mutate(&mut rng, &mut input, other);
        }
        feed(target, &input, &mut campaign);
    }
    campaign
}

/// Fuzzes the target `name` and fails on any crash or on an input slower than a few seconds.
fn check(name: &str) {
    let target = TARGETS.iter().find(|t| t.name == name).expect("a target");
    let c = fuzz(target);
    let line = format!(
        "fuzz {name}: {} runs, {} unique crashes, slowest input {:.3} s",
        c.runs,
        c.crashes.len(),
        c.slowest.as_secs_f64()
    );
    eprintln!("{line}");
    if let Ok(report) = std::env::var("DETENTE_FUZZ_REPORT") {
        use std::io::Write as _;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(report)
            .expect("the fuzz report file opens");
        let _ = writeln!(f, "{line}");
    }
    let crashes: Vec<String> = c
        .crashes
        .iter()
        .map(|(m, p)| format!("{m}\n  input: {}", p.display()))
        .collect();
    assert!(
        crashes.is_empty(),
        "{name} crashed:\n{}",
        crashes.join("\n")
    );
    assert!(
        c.slowest < Duration::from_secs(10),
        "{name}: an input took {:.1} s",
        c.slowest.as_secs_f64()
    );
}

#[test]
fn toml_scenario() {
    check("toml_scenario");
}

#[test]
fn genius() {
    check("genius");
}

#[test]
fn geniusweb() {
    check("geniusweb");
}

#[test]
fn trace_json() {
    check("trace_json");
}

#[test]
fn record() {
    check("record");
}

#[test]
fn plan() {
    check("plan");
}
