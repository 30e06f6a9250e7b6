//! Stopping a run at any point (leaving a torn row, as a kill can) and resuming it gives the
//! results of an uninterrupted run, with no row lost or duplicated.

use std::io::Write as _;

use detente_tournament::{Hooks, RunConfig, files, run};
use proptest::prelude::*;

use crate::common::{mixed_plan, with_threads};
use detente_testkit::TempDir;

fn results(dir: &std::path::Path) -> String {
    std::fs::read_to_string(dir.join(files::RESULTS)).unwrap()
}

#[test]
fn resume_after_stops_and_torn_rows() {
    let plan = mixed_plan(1);
    let root = TempDir::new("tournament-resume");
    let full = root.join("full");
    let total = run(&plan, &RunConfig::new(&full), &Hooks::default())
        .unwrap()
        .total;
    let expected = results(&full);

    let dir = root.join("partial");
    // Stop after 0, 13 and 50 more rows, each time tearing the last row in two.
    let mut done = 0;
    for (step, k) in [0u64, 13, 50].into_iter().enumerate() {
        let config = RunConfig {
            resume: step > 0,
            stop_after: Some(k),
            batch: 8,
            ..RunConfig::new(&dir)
        };
        let r = with_threads(2, || run(&plan, &config, &Hooks::default())).unwrap();
        assert_eq!((r.resumed, r.ran), (done, k));
        assert!(r.summary.is_none());
        done += k;
        let text = results(&dir);
        let torn = &expected[text.len()..text.len() + 9];
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(dir.join(files::RESULTS))
            .unwrap();
        f.write_all(torn.as_bytes()).unwrap();
    }
    // Without --resume the folder is not touched.
    let e = run(&plan, &RunConfig::new(&dir), &Hooks::default()).unwrap_err();
    assert!(e.to_string().contains("already holds results"), "{e}");
    let config = RunConfig {
        resume: true,
        ..RunConfig::new(&dir)
    };
    let r = run(&plan, &config, &Hooks::default()).unwrap();
    assert_eq!((r.resumed, r.ran), (done, total - done));
    assert_eq!(results(&dir), expected);
    assert!(r.summary.is_some());
    // Resuming a finished run does nothing and changes nothing.
    let r = run(&plan, &config, &Hooks::default()).unwrap();
    assert_eq!((r.resumed, r.ran), (total, 0));
    assert_eq!(results(&dir), expected);
    // Resuming with another plan is refused.
    let mut other = mixed_plan(1);
    other.seed = 99;
    let e = run(&other, &config, &Hooks::default()).unwrap_err();
    assert!(e.to_string().contains("another plan"), "{e}");
    // A header torn by a kill before the first row is repaired too.
    let torn_head = root.join("torn-head");
    run(
        &plan,
        &RunConfig {
            stop_after: Some(0),
            ..RunConfig::new(&torn_head)
        },
        &Hooks::default(),
    )
    .unwrap();
    std::fs::write(torn_head.join(files::RESULTS), "index,scen").unwrap();
    run(&plan, &config_for(&torn_head), &Hooks::default()).unwrap();
    assert_eq!(results(&torn_head), expected);
}

/// A results file of an older build (without the opponent-model columns) is resumed: it is
/// rewritten with the current header, its rows keeping those columns empty, and the new rows
/// fill them.
#[test]
fn results_of_an_older_build_are_resumed() {
    let plan = mixed_plan(1);
    let root = TempDir::new("tournament-resume-legacy");
    let full = root.join("full");
    run(&plan, &RunConfig::new(&full), &Hooks::default()).unwrap();
    let expected = results(&full);
    let width = plan.max_parties();
    let strip = |line: &str| -> String {
        let cells: Vec<&str> = line.split(',').collect();
        cells[..cells.len() - 3 * width].join(",")
    };
    let dir = root.join("old");
    let config = RunConfig {
        stop_after: Some(20),
        ..RunConfig::new(&dir)
    };
    run(&plan, &config, &Hooks::default()).unwrap();
    let old: Vec<String> = results(&dir).lines().map(strip).collect();
    std::fs::write(dir.join(files::RESULTS), old.join("\n") + "\n").unwrap();
    let r = run(&plan, &config_for(&dir), &Hooks::default()).unwrap();
    assert_eq!(r.resumed, 20);
    let got = results(&dir);
    let (want, got): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), got.lines().collect());
    assert_eq!(got.len(), want.len());
    assert_eq!(got[0], want[0], "the current header");
    for (i, (g, w)) in got.iter().zip(&want).enumerate().skip(1) {
        if i <= 20 {
            assert_eq!(strip(g), strip(w));
            assert!(g.ends_with(&",".repeat(3 * width)), "row {i}: {g}");
        } else {
            assert_eq!(g, w, "row {i}");
        }
    }
}

fn config_for(dir: &std::path::Path) -> RunConfig {
    RunConfig {
        resume: true,
        ..RunConfig::new(dir)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]
    /// Any sequence of stops, tears and resumes ends in the uninterrupted results.
    #[test]
    fn any_interruptions_end_in_the_same_results(
        stops in proptest::collection::vec((1u64..60, 0usize..40, 1usize..5), 1..4),
    ) {
        let plan = crate::common::code_plan(
            &[("b", "boulware"), ("c", "conceder"), ("r", "random")],
            vec![crate::common::line_scenario("line")],
            6,
        );
        let root = TempDir::new(&format!("tournament-resume-prop-{}", stops.len()));
        let full = root.join("full");
        run(&plan, &RunConfig::new(&full), &Hooks::default()).unwrap();
        let expected = results(&full);
        let dir = root.join("p");
        for (k, tear, batch) in stops {
            let config = RunConfig { resume: true, stop_after: Some(k), batch, ..RunConfig::new(&dir) };
            run(&plan, &config, &Hooks::default()).unwrap();
            let text = results(&dir);
            let end = (text.len() + tear).min(expected.len());
            let mut f = std::fs::OpenOptions::new().append(true).open(dir.join(files::RESULTS)).unwrap();
            f.write_all(&expected.as_bytes()[text.len()..end]).unwrap();
        }
        run(&plan, &config_for(&dir), &Hooks::default()).unwrap();
        prop_assert_eq!(results(&dir), expected);
    }
}

/// Stops when told to, after a given number of progress reports (a user's interruption).
struct StopAfter {
    reports: std::sync::atomic::AtomicU64,
    limit: u64,
}

impl detente_tournament::Observer for StopAfter {
    fn progress(&self, _done: u64) {
        self.reports
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    fn stop(&self) -> bool {
        self.reports.load(std::sync::atomic::Ordering::SeqCst) >= self.limit
    }
}

#[test]
fn an_observer_stops_between_batches_and_the_run_resumes() {
    let plan = mixed_plan(1);
    let root = TempDir::new("tournament-observer-stop");
    let full = root.join("full");
    run(&plan, &RunConfig::new(&full), &Hooks::default()).unwrap();
    let dir = root.join("stopped");
    let observer = StopAfter {
        reports: Default::default(),
        limit: 2,
    };
    let hooks = Hooks {
        observer: &observer,
        ..Hooks::default()
    };
    let config = RunConfig {
        batch: 8,
        ..RunConfig::new(&dir)
    };
    let r = run(&plan, &config, &hooks).unwrap();
    assert_eq!(r.ran, 16);
    assert!(r.summary.is_none());
    let config = RunConfig {
        resume: true,
        ..config
    };
    let r = run(&plan, &config, &Hooks::default()).unwrap();
    assert_eq!(r.resumed, 16);
    assert_eq!(results(&dir), results(&full));
}

#[test]
fn a_panic_leaving_a_run_propagates() {
    // Dropping the quiet panic hook while a panic unwinds must not abort the process.
    let caught = std::panic::catch_unwind(|| {
        let _quiet = detente_tournament::QuietPanics::install();
        std::panic::resume_unwind(Box::new("out of the run"));
    });
    assert!(caught.is_err());
    drop(detente_tournament::QuietPanics::install());
}
