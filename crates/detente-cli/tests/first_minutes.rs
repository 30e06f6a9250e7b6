//! The first five minutes (issue 17): one test per observation a newcomer made, each showing
//! that it no longer holds. Observations 1 (the README's first command) and 8 (the README
//! picture) are in `readme.rs`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::support::{detente, repo};
use detente_testkit::TempDir;
use serde_json::Value;

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// One issue of `n` values, named in an order that is not the issue's (so that lookups by
/// name cannot all be a walk along the list), in TOML and in GENIUS XML.
fn large_issue(dir: &Path, n: usize) -> (PathBuf, PathBuf) {
    let score = |i: usize, party: usize| ((i * 7919 + party * 104_729) % 1000) as f64 / 1000.0;
    let mut toml =
        String::from("format = 1\nname = \"large\"\n[[issues]]\nname = \"x\"\nvalues = [");
    for i in 0..n {
        let _ = write!(toml, "\"v{i}\", ");
    }
    toml.push_str("]\n");
    for (p, name) in ["A", "B"].iter().enumerate() {
        let _ = write!(
            toml,
            "[[parties]]\nname = \"{name}\"\n[parties.issues.x]\nweight = 1.0\n[parties.issues.x.values]\n"
        );
        for i in (0..n).rev() {
            let _ = writeln!(toml, "v{i} = {}", score(i, p));
        }
    }
    let toml_path = dir.join("large.toml");
    std::fs::write(&toml_path, toml).unwrap();
    let folder = dir.join("large-genius");
    std::fs::create_dir_all(&folder).unwrap();
    let items: String = (0..n)
        .map(|i| format!("<item index=\"{}\" value=\"v{i}\"/>\n", i + 1))
        .collect();
    std::fs::write(
        folder.join("domain.xml"),
        format!("<negotiation_template><utility_space><objective index=\"0\" name=\"r\"><issue index=\"1\" name=\"x\" type=\"discrete\">\n{items}</issue></objective></utility_space></negotiation_template>"),
    )
    .unwrap();
    for (p, name) in ["A", "B"].iter().enumerate() {
        let evals: String = (0..n)
            .rev()
            .map(|i| format!("<item value=\"v{i}\" evaluation=\"{}\"/>\n", score(i, p)))
            .collect();
        std::fs::write(
            folder.join(format!("{name}.xml")),
            format!("<utility_space><objective index=\"0\" name=\"r\"><weight index=\"1\" value=\"1\"/><issue index=\"1\" name=\"x\" type=\"discrete\">\n{evals}</issue></objective><reservation value=\"0\"/></utility_space>"),
        )
        .unwrap();
    }
    (toml_path, folder)
}

/// Observation 2: loading grew with the square of an issue's number of values. Speed is
/// measured by `bench/loading`; this checks that an issue of 30,000 values named out of
/// order loads (it took minutes before) and is read right: the best outcome of party A is
/// the value it scores highest.
#[test]
fn o2_large_issues_load() {
    let dir = TempDir::new("o2-large-issues");
    let (toml, genius) = large_issue(dir.path(), 30_000);
    for input in [&toml, &genius] {
        let out = detente()
            .args(["scenario", "check", "--json"])
            .arg(input)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["outcomes"], 30_000);
        let best = &doc["parties"][0]["best"];
        // GENIUS divides each evaluation by the issue's largest one.
        let u = best["utility"].as_f64().unwrap();
        assert!(u == 0.999 || u == 1.0, "{input:?}: {u}");
        let v: usize = best["outcome"]["x"].as_str().unwrap()[1..].parse().unwrap();
        assert_eq!(v * 7919 % 1000, 999, "{input:?}");
    }
}

/// Runs `detente ARGS`, which must succeed.
fn ok(args: &[&str]) -> std::process::Output {
    let out = detente().args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", stderr_of(&out));
    out
}

/// A path as a command-line argument.
fn arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// Observation 3: flags differed between commands. Every command that prints a result takes
/// `--json` (and `-q`, which leaves the result alone and standard error empty).
#[test]
fn o3_json_on_every_command_that_prints_a_result() {
    let dir = TempDir::new("o3-json");
    let trace = dir.join("t.json");
    let (pie, plan) = (
        repo("scenarios/pie/pie.toml"),
        repo("examples/tournaments/small.toml"),
    );
    let (trace, pie, plan) = (arg(&trace), arg(&pie), arg(&plan));
    ok(&["-q", "run", pie, "--json", "-o", trace]);
    let commands: [&[&str]; 8] = [
        &["run", "--json"],
        &["run", "--format", "json"],
        &["scenario", "check", "--json"],
        &["negotiators", "--json"],
        &["analyze", pie, "--json"],
        &["inspect", trace, "--scenario", pie, "--json"],
        &[
            "sweep",
            pie,
            "--vary",
            "reservation.Bob=0.1,0.2",
            "--seeds",
            "2",
            "--json",
        ],
        &["tournament", "info", plan, "--json"],
    ];
    for args in commands {
        let out = ok(args);
        serde_json::from_slice::<Value>(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e})"));
        let quiet: Vec<&str> = std::iter::once("-q").chain(args.iter().copied()).collect();
        let out = ok(&quiet);
        assert!(!out.stdout.is_empty() && out.stderr.is_empty(), "{quiet:?}");
    }
}

/// Observation 3: `-o -` is standard output (never a file named `-`); a file written gets a
/// status line on standard error; `-o`, `--output` and the old `--out` name output folders; a
/// folder cannot go to standard output; `--format` is a file type.
#[test]
fn o3_outputs_and_file_types() {
    let dir = TempDir::new("o3-outputs");
    let trace = dir.join("t.json");
    let converted = dir.join("pie.toml");
    let (pie, plan) = (
        repo("scenarios/pie/pie.toml"),
        repo("examples/tournaments/small.toml"),
    );
    let (trace, pie, plan) = (arg(&trace), arg(&pie), arg(&plan));
    ok(&["-q", "run", pie, "--json", "-o", trace]);
    let to_stdout: [(&[&str], &str); 3] = [
        (&["report", trace, "-o", "-"], "<!DOCTYPE html>"),
        (&["plot", "concession", trace, "-o", "-"], "<svg"),
        (&["scenario", "convert", pie, "-o", "-"], "format = 1"),
    ];
    for (args, starts) in to_stdout {
        assert!(stdout_of(&ok(args)).starts_with(starts), "{args:?}");
        assert!(!dir.join("-").exists());
    }
    let out = ok(&["scenario", "convert", pie, "-o", arg(&converted)]);
    assert!(out.stdout.is_empty(), "data only on standard output");
    assert!(stderr_of(&out).contains("wrote "));
    for flag in ["-o", "--output", "--out"] {
        let folder = dir.join(format!("results{flag}"));
        ok(&["-q", "tournament", "run", plan, flag, arg(&folder)]);
        assert!(folder.join("results.csv").exists(), "{flag}");
    }
    let out = detente()
        .args(["tournament", "run", plan, "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = ok(&["plot", "concession", trace, "--format", "png", "-o", "-"]);
    assert!(out.stdout.starts_with(b"\x89PNG"));
}

/// A copy of the pie scenario with `from` replaced by `to`.
fn pie_with(dir: &Path, name: &str, from: &str, to: &str) -> PathBuf {
    let pie = std::fs::read_to_string(repo("scenarios/pie/pie.toml")).unwrap();
    assert!(pie.contains(from), "{from}");
    let path = dir.join(name);
    std::fs::write(&path, pie.replacen(from, to, 1)).unwrap();
    path
}

/// Observation 4: nonsense numbers passed silently, and a report contradicted itself.
#[test]
fn o4_nonsense_numbers_are_warned_about() {
    let dir = TempDir::new("o4-numbers");
    let cases = [
        (
            "weight = 1.0\nlinear = [0.0, 1.0]",
            "weight = 1.4\nlinear = [0.0, 1.0]",
            "the issue weights sum to 1.4, not 1",
        ),
        (
            "weight = 1.0\nlinear = [0.0, 1.0]",
            "weight = -0.5\nlinear = [0.0, 1.0]",
            "the weight -0.5 is negative",
        ),
        (
            "linear = [0.0, 1.0]",
            "linear = [0.0, 7.0]",
            "scores are outside [0, 1]",
        ),
        (
            "reservation = 0.0\ndiscount = 0.9\nnegotiator = \"boulware\"",
            "reservation = 1.5\ndiscount = 0.9\nnegotiator = \"boulware\"",
            "the reservation value 1.5 is outside [0, 1]",
        ),
        (
            "reservation = 0.0\ndiscount = 0.9\nnegotiator = \"boulware\"",
            "reservation = -0.2\ndiscount = 0.9\nnegotiator = \"boulware\"",
            "the reservation value -0.2 is outside [0, 1]",
        ),
    ];
    for (k, (from, to, warning)) in cases.iter().enumerate() {
        let path = pie_with(dir.path(), &format!("case-{k}.toml"), from, to);
        let out = detente()
            .args(["scenario", "check"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success());
        let err = stderr_of(&out);
        assert!(
            err.contains("warning: ") && err.contains(warning),
            "{to}: {err}"
        );
        assert_eq!(err.matches(warning).count(), 1, "said once: {err}");
        let strict = detente()
            .args(["scenario", "check", "--strict"])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(strict.status.code(), Some(2), "{to}");
        assert!(stderr_of(&strict).contains(warning));
        assert!(strict.stdout.is_empty());
    }
    // Reservation 1.5: no agreement is acceptable to Alice. Between two hardliners the talks
    // fail, and the result's quality does not call the reservation point (1.5, 0)
    // Pareto-optimal while it lies off the frontier.
    let path = pie_with(
        dir.path(),
        "high.toml",
        "reservation = 0.0\ndiscount = 0.9\nnegotiator = \"boulware\"",
        "reservation = 1.5\ndiscount = 0.9\nnegotiator = \"boulware\"",
    );
    let run = |json: bool| {
        let mut cmd = detente();
        cmd.arg("run")
            .arg(&path)
            .args(["-n", "Alice=hardliner", "-n", "Bob=hardliner"]);
        if json {
            cmd.arg("--json");
        }
        cmd.output().unwrap()
    };
    let doc: Value = serde_json::from_slice(&run(true).stdout).unwrap();
    let q = &doc["analysis"];
    assert_eq!(q["agreement"], false);
    assert!(q["distance_to_frontier"].as_f64().unwrap() > 0.0);
    assert_eq!(q["pareto_optimal"], false);
    let out = run(false);
    let text = stdout_of(&out);
    assert!(
        text.contains("Pareto-optimal: no") && !text.contains("Pareto-optimal: yes"),
        "{text}"
    );
    assert!(stderr_of(&out).contains("above the best utility"));
}

/// Observation 5: `scenario convert` dropped most of a model without a word, reordered the
/// parties and gave a wrong reason.
#[test]
fn o5_conversions_are_lossless_or_explicit() {
    let dir = TempDir::new("o5-convert");
    let talks = repo("scenarios/ukraine-2025/ukraine-2025.toml");
    let out = detente()
        .args(["scenario", "convert"])
        .arg(&talks)
        .arg("-o")
        .arg(dir.join("g"))
        .args(["--format", "genius"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    for element in [
        "the deadline of 40 rounds",
        "the mediated protocol (mediator United States",
        "partial agreements",
        "hard constraint \"a European force only after a ceasefire\"",
        "event \"EU sanctions package\"",
        "event \"US withdraws from mediation\"",
        "the default negotiator of party \"Russia\"",
        "the interaction terms of party \"United States\"",
    ] {
        assert!(
            err.contains(&format!("  - {element}")),
            "{element} missing: {err}"
        );
    }
    assert!(!err.contains("custom utility"), "{err}");
    assert!(!dir.join("g").exists(), "nothing was written");
    // With --lossy: written, each dropped element a warning, the parties in their order.
    let out = detente()
        .args(["scenario", "convert", "--lossy"])
        .arg(&talks)
        .arg("-o")
        .arg(dir.join("g"))
        .args(["--format", "genius"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("warning: dropped event \"EU sanctions package\""));
    let check = detente()
        .args(["scenario", "check", "--json"])
        .arg(dir.join("g"))
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&check.stdout).unwrap();
    let names: Vec<&str> = doc["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["United States", "Ukraine", "Russia", "European Union"]
    );
    // A lossless conversion says nothing of losses: GENIUS to TOML and back to GENIUS.
    let toml = dir.join("back.toml");
    let out = detente()
        .args(["scenario", "convert"])
        .arg(dir.join("g"))
        .arg("-o")
        .arg(&toml)
        .output()
        .unwrap();
    assert!(
        out.status.success() && !stderr_of(&out).contains("warning"),
        "{}",
        stderr_of(&out)
    );
    let out = detente()
        .args(["scenario", "convert"])
        .arg(&toml)
        .arg("-o")
        .arg(dir.join("g2"))
        .args(["--format", "genius"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
}

/// Observation 6: doubled error messages, JSON read as TOML, one unknown key of many, exit
/// codes that differed.
#[test]
fn o6_error_text() {
    let dir = TempDir::new("o6-errors");
    let binary = dir.join("binary.toml");
    std::fs::write(&binary, b"\xff\xfe\x00garbage").unwrap();
    let folder = dir.join("folder.json");
    std::fs::create_dir_all(&folder).unwrap();
    for (args, said) in [
        (
            vec!["scenario", "check", binary.to_str().unwrap()],
            "not valid UTF-8 (byte 0xFF)",
        ),
        (
            vec!["inspect", folder.to_str().unwrap()],
            "is a folder; detente reads only regular files",
        ),
        (
            vec!["tournament", "run", binary.to_str().unwrap()],
            "not valid UTF-8 (byte 0xFF)",
        ),
    ] {
        let out = detente().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr_of(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert_eq!(err.matches(said).count(), 1, "said once: {err}");
    }
    // A JSON array is JSON, not TOML.
    let array = dir.join("array.json");
    std::fs::write(&array, "[1,2,3]").unwrap();
    let err = stderr_of(&detente().arg("inspect").arg(&array).output().unwrap());
    assert!(
        err.contains("expected a JSON object, not an array"),
        "{err}"
    );
    // Every unknown key, in file order, with a suggestion.
    let keys = pie_with(
        dir.path(),
        "keys.toml",
        "[protocol]\nrounds = 20",
        "colour = 1\n[protocol]\nrouns = 20",
    );
    let keys = {
        let text =
            std::fs::read_to_string(&keys)
                .unwrap()
                .replacen("discount = 0.9", "discont = 0.9", 1);
        std::fs::write(&keys, text).unwrap();
        keys
    };
    let err = stderr_of(
        &detente()
            .args(["scenario", "check"])
            .arg(&keys)
            .output()
            .unwrap(),
    );
    let at = |k: &str| {
        err.find(&format!("unknown field `{k}`"))
            .unwrap_or_else(|| panic!("{k}: {err}"))
    };
    assert!(
        at("colour") < at("rouns") && at("rouns") < at("discont"),
        "{err}"
    );
    assert!(
        err.contains("did you mean `rounds`?") && err.contains("did you mean `discount`?"),
        "{err}"
    );
}

/// Observation 6: no suggestion where the fix is known, warnings said twice or run into an
/// error line, `-q` that did not silence them.
#[test]
fn o6_suggestions_and_warnings() {
    let dir = TempDir::new("o6-warnings");
    // A trace of another scenario without --scenario: the fix is suggested.
    let trace = dir.join("pie.json");
    detente()
        .args(["-q", "run"])
        .arg(repo("scenarios/pie/pie.toml"))
        .arg("--json")
        .arg("-o")
        .arg(&trace)
        .assert()
        .success();
    let out = detente().arg("inspect").arg(&trace).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("give the scenario it is of with --scenario"));
    // GENIUS warnings: each once, each on its own line; none with -q.
    if let Some(laptop) = detente_testkit::genius_domain("Laptop") {
        let out = detente()
            .args(["scenario", "check"])
            .arg(&laptop)
            .output()
            .unwrap();
        let err = stderr_of(&out);
        assert!(err.lines().all(|l| l.starts_with("warning: ")), "{err}");
        let mut seen = std::collections::HashSet::new();
        assert!(
            err.lines().all(|l| seen.insert(l)),
            "a warning said twice: {err}"
        );
        assert!(err.contains("sum to 1.0000518"));
        let quiet = detente()
            .args(["-q", "scenario", "check"])
            .arg(&laptop)
            .output()
            .unwrap();
        assert!(quiet.stderr.is_empty() && !quiet.stdout.is_empty());
    }
}

/// Observation 7: a progress bar among the loading warnings, `1 issues`, `from 1 folders`,
/// a default folder described wrongly, `0.9400000000000001`.
#[test]
fn o7_terminal_output() {
    let dir = TempDir::new("o7-terminal");
    let plan = repo("examples/tournaments/small.toml");
    let out = detente()
        .args(["tournament", "run"])
        .arg(&plan)
        .arg("-o")
        .arg(dir.join("r"))
        .output()
        .unwrap();
    let err = stderr_of(&out);
    // Not a terminal: no bar, and plain words.
    assert!(!err.contains("0/0") && !err.contains("[="), "{err}");
    assert!(
        err.contains(" negotiations in ") && err.contains("results in "),
        "{err}"
    );
    let merged = detente()
        .args(["tournament", "merge"])
        .arg(dir.join("r"))
        .arg("-o")
        .arg(dir.join("m"))
        .output()
        .unwrap();
    assert!(
        stderr_of(&merged).contains("from 1 folder into"),
        "{}",
        stderr_of(&merged)
    );
    let help = stdout_of(
        &detente()
            .args(["tournament", "run", "--help"])
            .output()
            .unwrap(),
    );
    assert!(
        help.contains("in the current directory") && !help.contains("next to"),
        "{help}"
    );
    let pie = repo("scenarios/pie/pie.toml");
    let analysis = stdout_of(&detente().arg("analyze").arg(&pie).output().unwrap());
    assert!(analysis.contains("(1 issue)"), "{analysis}");
    // A sweep from 0.4 by 0.1 reads 0.5, 0.6, 0.7, not 0.5000000000000001.
    let sweep = detente()
        .arg("sweep")
        .arg(&pie)
        .args(["--vary", "reservation.Bob=0.4:0.7:0.1", "--seeds", "1"])
        .output()
        .unwrap();
    let text = stdout_of(&sweep);
    assert!(text.contains("\n0.5 ") && text.contains("\n0.6 "), "{text}");
    assert!(!text.contains("00000000"), "{text}");
    let check = stdout_of(
        &detente()
            .args(["scenario", "check"])
            .arg(pie_with(
                dir.path(),
                "r.toml",
                "reservation = 0.0",
                "reservation = 0.9400000000000001",
            ))
            .output()
            .unwrap(),
    );
    assert!(check.contains("reservation 0.94,"), "{check}");
}

/// Observation 8 (the tour's plot): `plot utility-space talks.json` without `--scenario`
/// draws the outcomes, the frontier and the points of the built-in talks it comes from.
#[test]
fn o8_the_tour_plot_has_what_its_caption_promises() {
    let dir = TempDir::new("o8-plot");
    let talks = dir.join("talks.json");
    detente()
        .args(["-q", "run", "--json", "-o"])
        .arg(&talks)
        .assert()
        .success();
    let svg = stdout_of(
        &detente()
            .args(["plot", "utility-space"])
            .arg(&talks)
            .args(["-o", "-"])
            .output()
            .unwrap(),
    );
    for part in [
        "Pareto frontier",
        "Nash point",
        "Kalai-Smorodinsky point",
        "outcome",
    ] {
        assert!(svg.contains(part), "{part} missing");
    }
}

/// Observation 9: shell completions, a man page, per-round traces from a tournament, and a
/// scenario's time limit in tournaments.
#[test]
fn o9_conveniences() {
    for shell in ["bash", "zsh", "fish"] {
        let out = detente().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        let script = stdout_of(&out);
        assert!(
            script.contains("tournament") && script.contains("--json"),
            "{shell}"
        );
    }
    let man = stdout_of(&detente().arg("manual").output().unwrap());
    assert!(
        man.starts_with(".ie") || man.contains(".TH detente"),
        "{man}"
    );
    let dir = TempDir::new("o9-conveniences");
    detente()
        .args(["-q", "manual", "-o"])
        .arg(dir.join("man"))
        .assert()
        .success();
    assert!(dir.join("man/detente-tournament-run.1").exists());
    // --traces: one trace per row, joined by the seed.
    let plan = repo("examples/tournaments/small.toml");
    let out = dir.join("traced");
    detente()
        .args(["-q", "tournament", "run"])
        .arg(&plan)
        .arg("-o")
        .arg(&out)
        .args(["--traces", "--batch", "7"])
        .assert()
        .success();
    let traces = detente_formats::tournament::TracesFile::in_folder(&out)
        .read_all()
        .unwrap();
    let rows = std::fs::read_to_string(out.join("results.csv")).unwrap();
    assert_eq!(traces.len(), rows.lines().count() - 1);
    let first = &traces[0];
    assert!(!first.actions.is_empty());
    assert!(rows.contains(&format!(",{},", first.seed)));
    // time_limit: a scenario whose talks may last a microsecond ends them by the clock.
    let scenario = pie_with(
        dir.path(),
        "timed.toml",
        "rounds = 20",
        "rounds = 20\ntime_limit = 0.000001",
    );
    let plan_path = dir.join("timed-plan.toml");
    std::fs::write(
        &plan_path,
        format!(
            "format = 1\nseed = 1\nscenarios = [\"{}\"]\n[[negotiators]]\nkind = \"hardliner\"\n",
            scenario.display()
        ),
    )
    .unwrap();
    let run = detente()
        .args(["tournament", "run"])
        .arg(&plan_path)
        .arg("-o")
        .arg(dir.join("timed"))
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr_of(&run));
    assert!(stderr_of(&run).contains("wall-clock time limit"));
    let rows = std::fs::read_to_string(dir.join("timed/results.csv")).unwrap();
    assert!(
        rows.lines().skip(1).all(|r| r.contains("time-limit")),
        "{rows}"
    );
}

/// Observation 10: the test command built the workspace several times (profiles, features,
/// the bench's release build). CI and the test command now build it once per profile: every
/// cargo invocation uses `--workspace --all-features` (one feature set), none asks for
/// `--release`, and the benchmark smoke runs reuse the test suite's binary.
#[test]
fn o10_ci_builds_once() {
    for file in [".ci/run", "scripts/test.sh"] {
        let text = std::fs::read_to_string(repo(file)).unwrap();
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("cargo "))
        {
            if line.starts_with("cargo fmt")
                || line.starts_with("cargo --version")
                || line.contains("--version")
            {
                continue;
            }
            assert!(
                line.contains("--workspace") && line.contains("--all-features"),
                "{file}: `{line}`"
            );
            // The one `cargo build` allowed links the example programs of the test build (same
            // profile and features: nothing else is compiled).
            let examples_only = line.starts_with("cargo build") && line.contains("--examples");
            assert!(
                !line.contains("--release") && (examples_only || !line.contains("cargo build")),
                "{file}: `{line}`"
            );
        }
        for line in text.lines().filter(|l| l.contains("bench/")) {
            assert!(
                line.contains("--binary"),
                "{file}: `{line}` builds its own detente"
            );
        }
    }
}
