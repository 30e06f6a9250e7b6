//! The shipped example plans load, and count the negotiations their comments promise.

use std::path::Path;

use detente_negotiators::Registry;
use detente_tournament::{Plan, Schedule};

fn example(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/tournaments")
        .join(name)
}

#[test]
fn small_example_loads() {
    let plan = Plan::load(&example("small.toml"), &Registry::builtin()).unwrap();
    assert_eq!(plan.negotiators.len(), 6);
    assert_eq!(Schedule::new(&plan).unwrap().total(), 360);
}

#[test]
fn anac_example_loads() {
    if detente_testkit::shared_dir().is_none() {
        return;
    }
    let plan = Plan::load(&example("anac.toml"), &Registry::builtin()).unwrap();
    assert_eq!(plan.scenarios.len(), 18);
    assert_eq!(Schedule::new(&plan).unwrap().total(), 2880);
}
