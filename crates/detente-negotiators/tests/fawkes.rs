//! TheFawkes (`the-fawkes`): bilateral talks by the SAOP rules (feasible offers only), the
//! same trace for the same seed, and, as it draws nothing, for any seed; registered as
//! bilateral.

use detente_core::*;
use detente_negotiators::Registry;
use proptest::prelude::*;

use crate::saop_properties::{any_terms, check_ends, run};
use crate::synthetic::linear_scenario;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Against itself and against deterministic time-based opponents (either side first).
    #[test]
    fn the_fawkes_plays_by_the_rules_whatever_the_seed(
        cards in proptest::collection::vec(1u32..=5, 1..=4),
        terms in proptest::collection::vec(any_terms(), 2),
        opponent in prop_oneof![
            Just("the-fawkes"),
            Just("the-fawkes:accept=ac-the-fawkes(first=0)"),
            Just("boulware:model=none"),
            Just("conceder:model=none"),
            Just("boa:offer=the-fawkes,model=none,oms=best-bid,accept=ac-next"),
        ],
        first in any::<bool>(),
        conflict in 0.0..=1.0f64,
        scenario_seed: u64,
        seeds in (any::<u64>(), any::<u64>()),
        deadline in 1u32..=60,
    ) {
        let s = linear_scenario(&cards, &terms, conflict, scenario_seed);
        let fawkes = NegotiatorSpec::new("the-fawkes");
        let other = Registry::builtin().parse_spec(opponent).unwrap();
        let specs = if first { [fawkes, other] } else { [other, fawkes] };
        let t = run(&s, &specs, deadline, seeds.0);
        check_ends(&s, &t, deadline, true)?;
        prop_assert_eq!(&t, &run(&s, &specs, deadline, seeds.0));
        // Nothing draws at random here (best-bid draws only when every estimate is at most
        // 0.0001, which model=none never leaves; its candidates are then the first).
        if !opponent.contains("best-bid") {
            prop_assert_eq!(&t.entries, &run(&s, &specs, deadline, seeds.1).entries);
        }
    }
}

#[test]
fn the_fawkes_is_registered_as_bilateral() {
    let registry = Registry::builtin();
    let spec = NegotiatorSpec::new("the-fawkes");
    assert_eq!(registry.parties_problem(&spec, 2), None);
    let problem = registry.parties_problem(&spec, 3).unwrap();
    assert!(problem.contains("bilateral"), "{problem}");
    let source = registry
        .get("the-fawkes")
        .unwrap()
        .source
        .clone()
        .unwrap_or_default();
    assert!(source.contains("Fawkes_Offering"), "{source}");
}
