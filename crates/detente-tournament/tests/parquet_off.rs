//! Without the `parquet` feature, a run asked for Parquet results fails before it starts,
//! with an error that says how to get them.

use detente_tournament::{Hooks, RunConfig, TournamentError, run};

use crate::common::{code_plan, line_scenario};
use detente_testkit::TempDir;

#[test]
fn parquet_needs_the_feature() {
    let plan = code_plan(&[("b", "boulware")], vec![line_scenario("line")], 1);
    let root = TempDir::new("tournament-parquet-off");
    let out = root.join("out");
    let config = RunConfig {
        parquet: true,
        ..RunConfig::new(&out)
    };
    let e = run(&plan, &config, &Hooks::default()).unwrap_err();
    assert!(matches!(e, TournamentError::Unsupported(_)), "{e:?}");
    assert!(e.is_input_error());
    assert!(e.to_string().contains("--features parquet"), "{e}");
    assert!(!out.exists(), "nothing is written");
}
