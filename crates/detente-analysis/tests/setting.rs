//! The analysis of the setting the events left (issue 14, observation 6): the deal zone is
//! every outcome acceptable to all parties at the table, checked by brute force over the
//! enumerated space; the quality of a result is measured with the reservation values in force
//! at the end, and its welfare is the sum of the final utilities.

use detente_analysis::{AnalysisConfig, analyze, analyze_setting, quality_at_end, welfare};
use detente_core::dynamics::Setting;
use detente_core::{NegotiationResult, Scenario, Termination, Trace};

/// The built-in talks, with the US walk-out fixed at the start of round 9 (the scenario makes
/// it conditional on nothing being agreed by round 8, and the energy pause of round 2 counts
/// as agreed).
fn builtin() -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios/ukraine-2025/ukraine-2025.toml");
    let mut s = detente_formats::scenario_toml::load(&path)
        .unwrap()
        .scenario;
    let walk_out = s
        .events
        .iter()
        .position(|e| e.name == "US withdraws from mediation")
        .unwrap();
    s.events[walk_out].trigger = detente_core::Trigger::Round(8);
    s
}

#[test]
fn the_deal_zone_is_every_outcome_all_parties_at_the_table_accept_best_first() {
    let base = builtin();
    let config = AnalysisConfig::default();
    for round in [0, 7, 8, 39] {
        let setting = Setting::by_triggers(&base, &[], round);
        let sa = analyze_setting(setting, &config).unwrap();
        let s = &sa.remaining;
        // Brute force: every feasible outcome, every party at its fallback in force or better
        // (within the analysis tolerance: sums of decimal weights such as 0.45 land 1e-17
        // below the decimal they stand for).
        let expected: Vec<_> = s
            .space
            .outcomes(1 << 20)
            .unwrap()
            .filter(|o| s.space.contains(o))
            .filter(|o| {
                s.parties
                    .iter()
                    .all(|p| p.preferences.utility(o) >= p.preferences.reservation - 1e-12)
            })
            .collect();
        let zone = &sa.deal_zone;
        assert_eq!(zone.outcomes.len(), expected.len(), "round {}", round + 1);
        assert!(expected.iter().all(|o| zone.contains(o)));
        assert!(
            zone.outcomes
                .windows(2)
                .all(|w| w[0].nash_product >= w[1].nash_product),
            "best first"
        );
        // The Nash point of the remaining talks heads the zone.
        let nash = sa.analysis.nash.value.unwrap();
        assert!((zone.outcomes[0].nash_product - nash).abs() < 1e-12);
        assert_eq!(
            sa.analysis.stats.n_individually_rational,
            Some(expected.len() as u64)
        );
    }
    // After the US walks out (round 9) only three parties are at the table, at their moved
    // fallbacks.
    let sa = analyze_setting(Setting::by_triggers(&base, &[], 8), &config).unwrap();
    assert_eq!(sa.remaining.parties.len(), 3);
    assert!(sa.setting.events.len() >= 4, "{:?}", sa.setting.events);
    let russia = sa.remaining.party_index("Russia").unwrap();
    let start = base.parties[base.party_index("Russia").unwrap()]
        .preferences
        .reservation;
    let now = sa.remaining.parties[russia].preferences.reservation;
    assert!(
        (now - start).abs() > 1e-9,
        "the events moved Russia's fallback"
    );
}

#[test]
fn quality_at_the_end_uses_the_fallbacks_in_force_and_the_final_utilities() {
    let base = builtin();
    let config = AnalysisConfig::default();
    // Talks that ran out at the deadline with nothing agreed: every event of the timeline
    // fired; each party ends with its fallback as it stands, discounted at time 1.
    let end = Setting::by_triggers(&base, &[], 39);
    let utilities: Vec<f64> = end
        .scenario
        .parties
        .iter()
        .map(|p| p.preferences.discounted(p.preferences.reservation, 1.0))
        .collect();
    let trace = Trace {
        parties: base.parties.iter().map(|p| p.name.clone()).collect(),
        seed: 1,
        deadline: 40,
        entries: Vec::new(),
        events: end.events.clone(),
        compliance: Vec::new(),
        result: NegotiationResult {
            termination: Termination::Deadline,
            agreement: None,
            rounds_used: 40,
            time: 1.0,
            utilities: utilities.clone(),
        },
    };
    let q = quality_at_end(&base, &trace, &config).unwrap();
    assert_eq!(q.quality.utilities, end.reservations());
    assert_ne!(
        q.quality.utilities,
        analyze(&base, &config).unwrap().stats.reservation
    );
    assert_eq!(q.quality.welfare, utilities.iter().sum::<f64>());
    assert_eq!(q.quality.welfare, welfare(&trace.result));
    let zone = q.deal_zone().unwrap();
    assert!(
        zone.exists(),
        "a deal all three remaining parties accept exists at the end"
    );
    assert_eq!(zone.parties.len(), 3);
}
