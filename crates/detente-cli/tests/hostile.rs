//! Hostile inputs (issue 18): each reported case, rebuilt from its description, ends with
//! exit code 0 or with a clear error and exit code 2; never a panic (101), an abort (134) or
//! a hang. Time and memory bounds are checked by `scripts/hostile-inputs.sh`, under `prlimit`.

use std::path::{Path, PathBuf};

use detente_testkit::TempDir;
use predicates::prelude::*;

use crate::support::{detente, repo};

/// A name far longer than any column (65,536 characters: one past what `format!` pads to).
fn long_name() -> String {
    "A".repeat(65_536)
}

/// The shipped pie scenario with its first party renamed `name`, written into `dir`.
fn pie_with_party(dir: &Path, name: &str) -> PathBuf {
    let text = std::fs::read_to_string(repo("scenarios/pie/pie.toml")).unwrap();
    let path = dir.join("pie-long.toml");
    std::fs::write(
        &path,
        text.replace("name = \"Alice\"", &format!("name = {name:?}")),
    )
    .unwrap();
    path
}

/// A plan over the shipped pie scenario, with `extra` appended (negotiators, settings).
fn plan(dir: &Path, head: &str, negotiators: &str) -> PathBuf {
    let pie = repo("scenarios/pie/pie.toml");
    let text = format!(
        "format = 1\nname = \"hostile\"\nseed = 1\n{head}\nscenarios = [{:?}]\n{negotiators}",
        pie.display().to_string()
    );
    let path = dir.join("plan.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn long_party_names_do_not_panic_analyze_or_sweep() {
    let dir = TempDir::new("hostile-long-party");
    let scenario = pie_with_party(&dir, &long_name());
    let out = detente().arg("analyze").arg(&scenario).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains(&long_name()), "the name is printed whole");
    detente()
        .args(["sweep", "--vary", "rounds=10,20", "--seeds", "1"])
        .arg(&scenario)
        .assert()
        .success();
    detente().arg("run").arg(&scenario).assert().success();
}

#[test]
fn long_negotiator_names_do_not_panic_tournament_run_or_merge() {
    let dir = TempDir::new("hostile-long-negotiator");
    let negotiators = format!(
        "[[negotiators]]\nname = {:?}\nkind = \"boulware\"\n[[negotiators]]\nkind = \"linear\"\n",
        long_name()
    );
    let plan = plan(&dir, "rounds = 10", &negotiators);
    for shard in ["0/2", "1/2"] {
        let out = dir.join(format!("shard-{}", &shard[..1]));
        detente()
            .args(["tournament", "run"])
            .arg(&plan)
            .args(["--shard", shard, "--out"])
            .arg(&out)
            .assert()
            .success();
    }
    detente()
        .args(["tournament", "merge"])
        .arg(dir.join("shard-0"))
        .arg(dir.join("shard-1"))
        .arg("--out")
        .arg(dir.join("merged"))
        .assert()
        .success()
        .stdout(predicate::str::contains(long_name()));
}

#[cfg(unix)]
#[test]
fn devices_are_refused_on_the_command_line_and_in_plans() {
    let dir = TempDir::new("hostile-devices");
    for device in ["/dev/zero", "/dev/urandom"] {
        detente()
            .args(["scenario", "check", device])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "is a device; detente reads only regular files",
            ));
    }
    let plan = plan(&dir, "", "[[negotiators]]\nkind = \"linear\"\n");
    let text = std::fs::read_to_string(&plan)
        .unwrap()
        .replace("scenarios = [", "scenarios = [\"/dev/zero\", ");
    std::fs::write(&plan, text).unwrap();
    detente()
        .args(["tournament", "run"])
        .arg(&plan)
        .arg("--out")
        .arg(dir.join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/dev/zero: is a device"));
    detente()
        .args(["inspect", "/dev/zero"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a device"));
}

#[cfg(unix)]
#[test]
fn fifos_are_refused_without_blocking() {
    let dir = TempDir::new("hostile-fifo");
    let fifo = dir.join("scenario.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo is not available: skipped");
        return;
    }
    detente()
        .args(["scenario", "check"])
        .arg(&fifo)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "is a FIFO (named pipe); detente reads only regular files",
        ));
}

#[test]
fn a_plan_that_is_not_utf8_is_an_input_error_with_its_place() {
    let dir = TempDir::new("hostile-plan-utf8");
    let plan = dir.join("plan.toml");
    std::fs::write(&plan, b"format = 1\nseed = 1\nname = \"caf\xE9\"\n").unwrap();
    detente()
        .args(["tournament", "run"])
        .arg(&plan)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "plan.toml:3:12: not valid UTF-8 (byte 0xE9)",
        ));
}

#[test]
fn an_output_that_is_a_file_is_an_input_error() {
    let dir = TempDir::new("hostile-out-file");
    let plan = plan(&dir, "rounds = 5", "[[negotiators]]\nkind = \"linear\"\n");
    let file = dir.join("taken");
    std::fs::write(&file, "not a folder").unwrap();
    detente()
        .args(["tournament", "run"])
        .arg(&plan)
        .arg("--out")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("exists and is not a folder"));
    detente()
        .args(["tournament", "run"])
        .arg(&plan)
        .arg("--out")
        .arg(file.join("below"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be made a folder"));
}

/// A bilateral scenario with one integer issue `min..=max`, scored linearly in opposite
/// directions.
fn integer_scenario(dir: &Path, max: u64) -> PathBuf {
    let text = format!(
        "format = 1\nname = \"wide\"\n[protocol]\nrounds = 10\n[[issues]]\nname = \"x\"\n\
         type = \"integer\"\nmin = 0\nmax = {max}\n[[parties]]\nname = \"A\"\n\
         [parties.issues.x]\nweight = 1.0\nlinear = [0.0, 1.0]\n[[parties]]\nname = \"B\"\n\
         [parties.issues.x]\nweight = 1.0\nlinear = [1.0, 0.0]\n"
    );
    let path = dir.join(format!("wide-{max}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_best_and_worst_of_huge_numeric_issues_come_in_closed_form() {
    let dir = TempDir::new("hostile-huge-issues");
    // 2^32 - 1 integer values: before, `scenario check` scanned them all for each party.
    let wide = integer_scenario(&dir, 4_294_967_294);
    detente()
        .args(["scenario", "check"])
        .arg(&wide)
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "A: linear additive; reservation 0, discount 1, default negotiator -\n    \
             best  1.000000  x=4294967294\n    worst 0.000000  x=0",
        ));
    // A real issue of 2^32 - 1 steps, likewise.
    let pie = std::fs::read_to_string(repo("scenarios/pie/pie.toml")).unwrap();
    let fine = dir.join("fine.toml");
    std::fs::write(&fine, pie.replace("steps = 101", "steps = 4294967295")).unwrap();
    detente()
        .args(["scenario", "check"])
        .arg(&fine)
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .success()
        .stdout(predicate::str::contains("best  1.000000  share=1"));
}

#[test]
fn an_integer_issue_of_2_pow_32_values_is_refused_with_the_documented_limit() {
    let dir = TempDir::new("hostile-2-pow-32");
    detente()
        .args(["scenario", "check"])
        .arg(integer_scenario(&dir, 4_294_967_295))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "issue `x` has 4294967296 values; an issue has at most 4294967295 (2^32 - 1)",
        ));
}

#[test]
fn scores_too_large_to_square_are_refused() {
    let dir = TempDir::new("hostile-huge-score");
    let pie = std::fs::read_to_string(repo("scenarios/pie/pie.toml")).unwrap();
    let huge = dir.join("huge.toml");
    std::fs::write(
        &huge,
        pie.replace("linear = [0.0, 1.0]", "linear = [0.0, 1e308]"),
    )
    .unwrap();
    detente()
        .arg("run")
        .arg(&huge)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "utilities can reach 1e308 in magnitude, more than 1e12",
        ));
}

#[test]
fn a_deadline_of_a_billion_rounds_is_refused_up_front_naming_the_limit() {
    detente()
        .arg("run")
        .arg(repo("scenarios/pie/pie.toml"))
        .args([
            "--rounds",
            "1000000000",
            "-n",
            "Alice=hardliner",
            "-n",
            "Bob=hardliner",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "scenario `pie`: 1000000000 rounds is more than the limit of 1000000 rounds; raise \
             it with the environment variable DETENTE_MAX_ROUNDS",
        ));
    // The limit is the environment's: lowered to 10 rounds, pie's 20 are refused, 10 are not.
    detente()
        .env("DETENTE_MAX_ROUNDS", "10")
        .arg("run")
        .arg(repo("scenarios/pie/pie.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "20 rounds is more than the limit of 10 rounds",
        ));
    detente()
        .env("DETENTE_MAX_ROUNDS", "10")
        .arg("run")
        .arg(repo("scenarios/pie/pie.toml"))
        .args(["--rounds", "10"])
        .assert()
        .success();
    detente()
        .env("DETENTE_MAX_ROUNDS", "many")
        .arg("negotiators")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("DETENTE_MAX_ROUNDS=`many`"));
}

#[test]
fn a_plan_of_four_billion_repetitions_is_refused_before_anything_is_allocated() {
    let dir = TempDir::new("hostile-repetitions");
    let plan = plan(
        &dir,
        "repetitions = 4294967295",
        "[[negotiators]]\nkind = \"hardliner\"\n",
    );
    detente()
        .args(["tournament", "run"])
        .arg(&plan)
        .arg("--out")
        .arg(dir.join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "plan `hostile`: 4294967295 negotiations is more than the limit of 1000000000 \
             negotiations; raise it with the environment variable DETENTE_MAX_NEGOTIATIONS",
        ));
    assert!(!dir.join("out").exists(), "nothing is written");
    // A deadline of a billion rounds in a plan, likewise.
    let plan = plan_with_rounds(&dir, 1_000_000_000);
    detente()
        .args(["tournament", "run"])
        .arg(&plan)
        .arg("--out")
        .arg(dir.join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "plan `hostile`, scenario `pie`: 1000000000 rounds is more than the limit",
        ));
}

fn plan_with_rounds(dir: &Path, rounds: u64) -> PathBuf {
    plan(
        dir,
        &format!("rounds = {rounds}"),
        "[[negotiators]]\nkind = \"hardliner\"\n",
    )
}

#[test]
fn a_trace_with_a_deadline_of_2_pow_31_is_not_simulated_to_it() {
    let dir = TempDir::new("hostile-deep-trace");
    let out = detente()
        .arg("run")
        .arg(repo("scenarios/pie/pie.toml"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    let mut doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["deadline"] = serde_json::json!(2_147_483_648u64);
    let trace = dir.join("deep.json");
    std::fs::write(&trace, doc.to_string()).unwrap();
    detente()
        .arg("inspect")
        .arg(&trace)
        .arg("--scenario")
        .arg(repo("scenarios/pie/pie.toml"))
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the forecast (its simulations run to the trace's deadline): 2147483648 rounds is \
             more than the limit of 1000000 rounds",
        ));
}

/// A plan over a copy of the pie scenario in `dir` (so that the test can edit it).
fn plan_over_copy(dir: &Path) -> (PathBuf, PathBuf) {
    let scenario = dir.join("pie.toml");
    std::fs::copy(repo("scenarios/pie/pie.toml"), &scenario).unwrap();
    let plan = dir.join("plan.toml");
    let text = "format = 1\nname = \"edited\"\nseed = 3\nrepetitions = 3\nscenarios = \
                [\"pie.toml\"]\n[[negotiators]]\nkind = \"boulware\"\n[[negotiators]]\nkind = \
                \"conceder\"\n";
    std::fs::write(&plan, text).unwrap();
    (plan, scenario)
}

/// Changes the scenario's contents the way the report did: a different reservation value.
fn edit(scenario: &Path) {
    let text = std::fs::read_to_string(scenario).unwrap();
    std::fs::write(
        scenario,
        text.replacen("reservation = 0.0", "reservation = 0.3", 1),
    )
    .unwrap();
}

#[test]
fn a_resume_after_a_scenario_edit_is_refused_saying_what_changed() {
    let dir = TempDir::new("hostile-resume-edit");
    let (plan, scenario) = plan_over_copy(&dir);
    let out = dir.join("out");
    let run = |resume: bool| {
        let mut cmd = detente();
        cmd.args(["tournament", "run"])
            .arg(&plan)
            .arg("--out")
            .arg(&out)
            .arg("-q");
        if resume {
            cmd.arg("--resume");
        }
        cmd.assert()
    };
    run(false).success();
    run(true).success();
    edit(&scenario);
    run(true).code(2).stderr(predicate::str::contains(
        "the contents of scenario `pie`'s files changed",
    ));
    // Restored, the file matches the results again.
    std::fs::copy(repo("scenarios/pie/pie.toml"), &scenario).unwrap();
    run(true).success();
}

#[test]
fn shards_run_on_different_contents_do_not_merge() {
    let dir = TempDir::new("hostile-merge-edit");
    let (plan, scenario) = plan_over_copy(&dir);
    let shard = |i: &str| {
        detente()
            .args(["tournament", "run"])
            .arg(&plan)
            .args(["--shard", &format!("{i}/2"), "-q", "--out"])
            .arg(dir.join(format!("shard-{i}")))
            .assert()
            .success();
    };
    shard("0");
    edit(&scenario);
    shard("1");
    detente()
        .args(["tournament", "merge"])
        .arg(dir.join("shard-0"))
        .arg(dir.join("shard-1"))
        .arg("--out")
        .arg(dir.join("merged"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "not shards of one plan run on the same inputs (the contents of scenario `pie`'s \
             files changed)",
        ));
}

#[test]
fn formula_names_are_neutralised_in_results_csv_and_numbers_are_not() {
    let dir = TempDir::new("hostile-csv-formula");
    let pie = std::fs::read_to_string(repo("scenarios/pie/pie.toml")).unwrap();
    let scenario = dir.join("pie.toml");
    std::fs::write(
        &scenario,
        pie.replace("reservation = 0.0", "reservation = -0.5"),
    )
    .unwrap();
    let plan = dir.join("plan.toml");
    let text = format!(
        "format = 1\nname = \"csv\"\nseed = 3\nrounds = 5\nscenarios = [\"pie.toml\"]\n\
         [[negotiators]]\nname = {:?}\nkind = \"hardliner\"\n",
        "=HYPERLINK(\"http://example.com\",\"x\")"
    );
    std::fs::write(&plan, text).unwrap();
    let out = dir.join("out");
    let run = |resume: bool| {
        let mut cmd = detente();
        cmd.args(["tournament", "run"])
            .arg(&plan)
            .arg("--out")
            .arg(&out);
        if resume {
            cmd.arg("--resume");
        }
        cmd.assert().success()
    };
    let printed = run(false);
    // The summary printed reads the name back as it was written in the plan.
    let stdout = String::from_utf8_lossy(&printed.get_output().stdout).into_owned();
    assert!(
        stdout.contains("  =HYPERLINK(\"http://example.com\""),
        "{stdout}"
    );
    let results = std::fs::read_to_string(out.join("results.csv")).unwrap();
    let row = results.lines().nth(1).unwrap();
    assert!(
        row.contains(",\"'=HYPERLINK(\"\"http://example.com\"\",\"\"x\"\")\","),
        "{row}"
    );
    // Two hardliners never agree: each gets its reservation value, discounted, as a number.
    assert!(row.contains(",-0.45,-0.45,"), "{row}");
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(summary.contains(",\"'=HYPERLINK("), "{summary}");
    // Resumed, the rows read back to the names of the plan.
    run(true);
}
