//! The README holds: its first command runs the built-in talks (observation 1 of issue 17),
//! its transcript is what the talks print, and its picture is what
//! `scripts/readme-picture.sh` draws today (observation 8).

use crate::support::{detente, repo};
use detente_testkit::TempDir;

#[test]
fn the_first_command_of_the_readme_runs_the_peace_talks() {
    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    let first = readme
        .lines()
        .skip_while(|l| !l.starts_with("```sh"))
        .nth(1)
        .expect("a shell block");
    assert!(
        first.starts_with("cargo run --release -p detente-cli "),
        "the README's first command is `{first}`"
    );
    // `cargo run -p detente-cli` runs the binary without arguments.
    let out = detente().assert().success().get_output().clone();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Round 1") && text.contains("Result: "),
        "{text}"
    );
    assert_eq!(
        text,
        String::from_utf8(detente().arg("run").output().unwrap().stdout).unwrap()
    );
    // `detente` alone stays helpful: the help says what it does and lists the commands.
    let help = detente().arg("--help").output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.contains("Without a command, detente runs the built-in peace talks"));
    assert!(help.contains("tournament"));
}

/// The README's abridged transcript: each line it shows (up to a trailing `...`) starts a
/// line of `detente run`'s transcript, in the README's order.
#[test]
fn the_readme_transcript_is_current() {
    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    let excerpt: Vec<&str> = readme
        .split("A transcript reads like this")
        .nth(1)
        .and_then(|rest| rest.split("```\n").nth(1))
        .expect("the README's transcript")
        .lines()
        .collect();
    assert!(excerpt.len() > 5);
    // With the ensemble, as a user sees it.
    let out = detente()
        .arg("run")
        .env_remove("DETENTE_ENSEMBLE")
        .output()
        .unwrap();
    let transcript = String::from_utf8(out.stdout).unwrap();
    let mut lines = transcript.lines();
    for shown in excerpt {
        let prefix = shown.trim_end().trim_end_matches("...").trim_end();
        if prefix.is_empty() {
            continue;
        }
        assert!(
            lines.any(|l| l.starts_with(prefix)),
            "the README shows `{shown}`, which `detente run` does not print (there)"
        );
    }
}

#[test]
fn the_readme_picture_is_current() {
    let dir = TempDir::new("readme-picture");
    let out = dir.join("peace-talks.svg");
    let bin = assert_cmd::cargo::cargo_bin("detente");
    let status = std::process::Command::new("bash")
        .arg(repo("scripts/readme-picture.sh"))
        .arg(&out)
        .env("DETENTE", &bin)
        .status()
        .expect("bash runs");
    assert!(status.success());
    let drawn = std::fs::read(&out).unwrap();
    let committed = std::fs::read(repo("docs/img/peace-talks.svg")).unwrap();
    assert!(
        drawn == committed,
        "docs/img/peace-talks.svg is not what the current code draws: run `bash scripts/readme-picture.sh` and commit the picture"
    );
}
