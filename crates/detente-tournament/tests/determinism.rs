//! The same plan gives byte-identical results with 1 or 2 threads, any batch size, and as
//! 3 shards merged.

use std::path::PathBuf;

use detente_tournament::{Hooks, RunConfig, Shard, files, merge, run};

use crate::common::{mixed_plan, with_threads};
use detente_testkit::TempDir;

fn read(dir: &std::path::Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap()
}

/// Whether every row has its agreement-quality cells filled in (every scenario can be
/// analysed): the last column of the five, before the opponent-model columns.
fn quality_filled(results: &str) -> bool {
    let header: Vec<&str> = results.lines().next().unwrap().split(',').collect();
    let last = header
        .iter()
        .position(|&c| c == "dist_max_welfare")
        .unwrap();
    results
        .lines()
        .skip(1)
        .all(|l| !l.split(',').nth(last).unwrap().is_empty())
}

#[test]
fn results_do_not_depend_on_threads_batches_or_shards() {
    let plan = mixed_plan(2);
    let root = TempDir::new("tournament-determinism");
    let one = root.join("one");
    let report = with_threads(1, || run(&plan, &RunConfig::new(&one), &Hooks::default())).unwrap();
    assert_eq!(report.ran, report.total);
    let expected = read(&one, files::RESULTS);
    let lines = expected.lines().count() as u64;
    assert_eq!(
        lines,
        report.total + 1,
        "a header and one row per negotiation"
    );
    assert!(quality_filled(&expected));

    let two = root.join("two");
    let config = RunConfig {
        batch: 7,
        ..RunConfig::new(&two)
    };
    with_threads(2, || run(&plan, &config, &Hooks::default())).unwrap();
    assert_eq!(
        read(&two, files::RESULTS),
        expected,
        "2 threads, batches of 7"
    );
    assert_eq!(
        read(&two, files::SUMMARY_JSON),
        read(&one, files::SUMMARY_JSON)
    );
    assert_eq!(
        read(&two, files::SUMMARY_CSV),
        read(&one, files::SUMMARY_CSV)
    );

    let shards: Vec<PathBuf> = (0..3).map(|i| root.join(format!("shard-{i}"))).collect();
    // Run the shards in reverse order, to make clear order does not matter.
    for (i, dir) in shards.iter().enumerate().rev() {
        let config = RunConfig {
            shard: Shard::new(i as u64, 3).unwrap(),
            batch: 5,
            ..RunConfig::new(dir)
        };
        let r = with_threads(2, || run(&plan, &config, &Hooks::default())).unwrap();
        assert_eq!(r.ran, Shard::new(i as u64, 3).unwrap().len(report.total));
    }
    let merged = root.join("merged");
    let m = merge(&shards, &merged).unwrap();
    assert_eq!(m.rows, report.total);
    assert_eq!(read(&merged, files::RESULTS), expected, "3 shards merged");
    assert_eq!(
        read(&merged, files::SUMMARY_JSON),
        read(&one, files::SUMMARY_JSON)
    );
    assert_eq!(
        read(&merged, files::SCENARIOS),
        read(&one, files::SCENARIOS)
    );
    assert_eq!(read(&merged, files::MANIFEST), read(&one, files::MANIFEST));

    // Merging an incomplete set, or the same shard twice, is refused and leaves nothing.
    let e = merge(&shards[..2], &root.join("bad1"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("is missing"), "{e}");
    assert!(!root.join("bad1").join(files::RESULTS).exists());
    let e = merge(
        &[
            shards[0].clone(),
            shards[0].clone(),
            shards[1].clone(),
            shards[2].clone(),
        ],
        &root.join("bad2"),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("appears twice"), "{e}");
    // A different plan's output does not merge with these.
    let other = root.join("other");
    let mut plan2 = mixed_plan(1);
    plan2.seed = 1;
    run(&plan2, &RunConfig::new(&other), &Hooks::default()).unwrap();
    let e = merge(&[shards[0].clone(), other], &root.join("bad3"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("not shards of one plan"), "{e}");
}

#[test]
fn a_different_seed_changes_random_negotiators_only_through_the_seed_column_and_their_play() {
    // Same plan, different seed: the seeds differ in every row, and the random negotiator's
    // results differ somewhere; deterministic negotiators' rows are unchanged apart from the seed.
    let root = TempDir::new("tournament-seed");
    let a = mixed_plan(1);
    let mut b = mixed_plan(1);
    b.seed += 1;
    run(&a, &RunConfig::new(root.join("a")), &Hooks::default()).unwrap();
    run(&b, &RunConfig::new(root.join("b")), &Hooks::default()).unwrap();
    let ra = read(&root.join("a"), files::RESULTS);
    let rb = read(&root.join("b"), files::RESULTS);
    let mut random_differs = false;
    for (la, lb) in ra.lines().zip(rb.lines()).skip(1) {
        let fa: Vec<&str> = la.split(',').collect();
        let fb: Vec<&str> = lb.split(',').collect();
        assert_ne!(fa[3], fb[3], "seed column");
        if la.contains("random") {
            random_differs |= fa[4..] != fb[4..];
        } else {
            assert_eq!(fa[4..], fb[4..]);
        }
    }
    assert!(random_differs);
}
