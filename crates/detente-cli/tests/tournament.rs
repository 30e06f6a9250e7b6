//! `detente tournament`: a run killed at several points and resumed gives the results of an
//! uninterrupted run; shards merge into the same; errors exit with code 2.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use detente_testkit::TempDir;

fn detente() -> Command {
    Command::new(env!("CARGO_BIN_EXE_detente"))
}

/// A plan over the shipped scenarios, written into `dir`.
fn write_plan(dir: &Path) -> PathBuf {
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let text = format!(
        r#"format = 1
name = "kill-test"
seed = 11
repetitions = 12
rounds = 40
scenarios = [{:?}, {:?}]
[[negotiators]]
kind = "boulware"
[[negotiators]]
kind = "conceder"
[[negotiators]]
kind = "random"
[[negotiators]]
kind = "tit-for-tat"
"#,
        scenarios.join("pie/pie.toml").display().to_string(),
        scenarios
            .join("buyer-seller/buyer-seller.toml")
            .display()
            .to_string(),
    );
    let path = dir.join("plan.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn run_ok(args: &[&str]) {
    let out = detente().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn killed_runs_resume_to_the_uninterrupted_results() {
    let dir = TempDir::new("cli-tournament-kill");
    let plan = write_plan(&dir);
    let plan = plan.to_str().unwrap();
    let full = dir.join("full");
    run_ok(&[
        "tournament",
        "run",
        plan,
        "--out",
        full.to_str().unwrap(),
        "-q",
    ]);
    let expected = std::fs::read(full.join("results.csv")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&expected).lines().count(),
        2 * 16 * 12 + 1
    );
    check_killed_and_resumed(&dir, plan, &full, &expected);
    check_shards_merge(&dir, plan, &expected);
    check_shard_auto_reads_slurm(&dir, plan);
}

/// A run killed once its results pass 10%, 37% and 71% of the full file, and resumed each
/// time, ends with the results and summary of the uninterrupted run in `full`.
fn check_killed_and_resumed(dir: &Path, plan: &str, full: &Path, expected: &[u8]) {
    let out = dir.join("killed");
    let out_s = out.to_str().unwrap();
    let results = out.join("results.csv");
    let mut kills = 0;
    for fraction in [0.1, 0.37, 0.71] {
        let threshold = (expected.len() as f64 * fraction) as u64;
        if run_and_kill(plan, out_s, &results, threshold) {
            kills += 1;
        }
    }
    assert!(
        kills > 0,
        "no run was killed: the plan ran too fast to interrupt"
    );
    run_ok(&["tournament", "run", plan, "--out", out_s, "--resume", "-q"]);
    assert!(
        std::fs::read(&results).unwrap() == expected,
        "resumed results differ"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("summary.json")).unwrap(),
        std::fs::read_to_string(full.join("summary.json")).unwrap()
    );
}

/// Starts a resumed run of `plan` into `out` (small batches, two threads) and kills it once
/// `results` holds `threshold` bytes. Whether it was killed (it may finish first).
fn run_and_kill(plan: &str, out: &str, results: &Path, threshold: u64) -> bool {
    let mut child = detente()
        .args([
            "tournament",
            "run",
            plan,
            "--out",
            out,
            "--batch",
            "3",
            "--threads",
            "2",
            "-q",
            "--resume",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let killed = loop {
        let len = std::fs::metadata(results).map(|m| m.len()).unwrap_or(0);
        if len >= threshold {
            child.kill().unwrap();
            break true;
        }
        if child.try_wait().unwrap().is_some() {
            break false;
        }
        std::thread::yield_now();
    };
    child.wait().unwrap();
    killed
}

/// Two shards (into `shard-0` and `shard-1`), merged, give the uninterrupted results.
fn check_shards_merge(dir: &Path, plan: &str, expected: &[u8]) {
    for i in 0..2 {
        let shard = format!("{i}/2");
        let o = dir.join(format!("shard-{i}"));
        run_ok(&[
            "tournament",
            "run",
            plan,
            "--shard",
            &shard,
            "--out",
            o.to_str().unwrap(),
            "-q",
        ]);
    }
    let merged = dir.join("merged");
    run_ok(&[
        "tournament",
        "merge",
        dir.join("shard-0").to_str().unwrap(),
        dir.join("shard-1").to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
        "-q",
    ]);
    assert!(
        std::fs::read(merged.join("results.csv")).unwrap() == expected,
        "merged results differ"
    );
}

/// `--shard auto` reads Slurm's variables: task 1 of 2 runs what `--shard 1/2` ran (in
/// `shard-1`, by [`check_shards_merge`]).
fn check_shard_auto_reads_slurm(dir: &Path, plan: &str) {
    let o = dir.join("slurm");
    let status = detente()
        .args([
            "tournament",
            "run",
            plan,
            "--shard",
            "auto",
            "--out",
            o.to_str().unwrap(),
            "-q",
        ])
        .env("SLURM_ARRAY_TASK_ID", "1")
        .env("SLURM_ARRAY_TASK_COUNT", "2")
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        std::fs::read(o.join("results.csv")).unwrap(),
        std::fs::read(dir.join("shard-1").join("results.csv")).unwrap()
    );
}

#[test]
fn input_errors_exit_with_code_2() {
    let dir = TempDir::new("cli-tournament-errors");
    let plan = write_plan(&dir);
    let plan_s = plan.to_str().unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "format = 1\nseed = 1\nscenarios = []\nnegotiators = []\ncolour = 1\n",
    )
    .unwrap();
    let out_dir = dir.join("o");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["tournament", "run", bad.to_str().unwrap()],
            "bad.toml:5:1: unknown field `colour`",
        ),
        (
            vec!["tournament", "run", "no-such-plan.toml"],
            "no-such-plan.toml: no such file",
        ),
        (
            vec!["tournament", "run", plan_s, "--shard", "2/2"],
            "invalid shard `2/2`",
        ),
        (
            vec![
                "tournament",
                "merge",
                dir.to_str().unwrap(),
                "--out",
                out_dir.to_str().unwrap(),
            ],
            "not a tournament output folder: it has no manifest.json",
        ),
    ];
    for (args, expect) in cases {
        let out = detente().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(expect), "{args:?}: {err}");
    }
    // A second run into the same folder without --resume is refused.
    let o = dir.join("twice");
    run_ok(&[
        "tournament",
        "run",
        plan_s,
        "--out",
        o.to_str().unwrap(),
        "-q",
    ]);
    let out = detente()
        .args(["tournament", "run", plan_s, "--out", o.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already holds results"));
    // `info --json` counts the negotiations.
    let out = detente()
        .args(["tournament", "info", plan_s, "--json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["negotiations"], 2 * 16 * 12);
}
