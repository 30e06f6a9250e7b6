//! The built-ins on the real ANAC domains of the shared data: every negotiation obeys the SAOP
//! rules, whatever the domain's reservation values, discount factors and ties.

use detente_core::protocol::{Protocol, ProtocolConfig, Saop};
use detente_core::*;

use crate::create;
use crate::saop_properties::check;

const KINDS: [&str; 7] = [
    "boulware",
    "conceder",
    "linear",
    "tit-for-tat",
    "random",
    "hardliner",
    "time-based",
];
const ROUNDS: u32 = 100;

#[test]
fn built_ins_negotiate_on_every_genius_domain() {
    let domains = detente_testkit::genius_domains();
    if domains.is_empty() {
        return;
    }
    let mut ran = 0;
    for dir in &domains {
        let loaded = detente_formats::load(std::slice::from_ref(dir));
        let s = match loaded {
            Ok(l) => l.scenario,
            Err(e) => {
                eprintln!("{}: {e}", dir.display());
                continue;
            }
        };
        let n = s.parties.len();
        let tables = ScenarioTables::for_scenario(&s);
        let mut agreements = 0;
        // Seven line-ups per domain: party i plays KINDS[(i + shift) % 7].
        for shift in 0..KINDS.len() {
            let specs: Vec<NegotiatorSpec> = (0..n)
                .map(|i| NegotiatorSpec::new(KINDS[(i + shift) % KINDS.len()]))
                .collect();
            let run = || {
                let negotiators = specs.iter().map(|sp| create(sp).unwrap()).collect();
                Saop::new(
                    &s,
                    &tables,
                    negotiators,
                    ProtocolConfig::new(ROUNDS),
                    shift as u64,
                )
                .run()
            };
            let t = run();
            if let Err(e) = check(&s, &t, ROUNDS) {
                panic!("{}: {specs:?}: {e}", dir.display());
            }
            assert_eq!(t, run(), "{}: not reproducible", dir.display());
            agreements += usize::from(t.result.termination == Termination::Agreement);
        }
        eprintln!(
            "{}: {n} parties, {} outcomes, {agreements} agreements in {} line-ups",
            dir.display(),
            s.space.count_display(),
            KINDS.len()
        );
        ran += 1;
    }
    assert_eq!(ran, domains.len());
}
