//! The quality of each run's outcome, measured as `detente run` measures one
//! ([`detente_analysis::quality_at_end`]: against the setting the run's events left, its
//! fallbacks in force), with the analysis of each setting made once and shared by the runs
//! that end in it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use detente_analysis::{Analysis, AnalysisConfig, analyze, quality_of_utilities};
use detente_core::dynamics::Setting;
use detente_core::{ComplianceRecord, Scenario, Trace};

/// Largest outcome space whose runs' quality an ensemble measures: every distinct end setting
/// is analysed (its Pareto frontier found), which a larger space makes too slow to do for
/// each of many runs.
pub const QUALITY_LIMIT: u128 = 100_000;

/// One run's outcome against the setting at its end (undiscounted utilities; without
/// agreement, the reservation point in force).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunQuality {
    /// Whether the outcome is Pareto-optimal there.
    pub pareto_optimal: bool,
    /// Its distance to the Pareto frontier.
    pub distance_to_frontier: f64,
    /// Its distance to the nearest Nash point (`None` when there is none).
    pub distance_to_nash: Option<f64>,
}

/// An end setting's scenario and its analysis (`None`: it could not be analysed).
type Analysed = Option<Arc<(Scenario, Analysis)>>;

/// The end settings analysed so far, shared by the runs of an ensemble (any thread).
pub struct QualityCache<'a> {
    base: &'a Scenario,
    measured: bool,
    settings: Mutex<HashMap<String, Analysed>>,
}

impl<'a> QualityCache<'a> {
    /// A cache for runs of `base`; measures nothing when its space has more than
    /// [`QUALITY_LIMIT`] outcomes.
    pub fn new(base: &'a Scenario) -> Self {
        QualityCache {
            base,
            measured: base.space.count().is_some_and(|c| c <= QUALITY_LIMIT),
            settings: Mutex::new(HashMap::new()),
        }
    }

    /// The quality of the outcome of `trace` (a run of the base scenario), or `None` when it
    /// cannot be measured (a space above [`QUALITY_LIMIT`], events that cannot be replayed,
    /// a setting that cannot be analysed).
    pub fn measure(&self, trace: &Trace) -> Option<RunQuality> {
        if !self.measured {
            return None;
        }
        // The setting at the end is a function of the events that changed it, whatever the
        // rounds they happened in, and of the beliefs the utilities were valued under (the
        // last of each before the talks ended; replay reads them the same way).
        let last = trace
            .result
            .agreement
            .is_some()
            .then(|| trace.result.rounds_used.saturating_sub(1));
        let mut beliefs = std::collections::BTreeMap::new();
        for r in &trace.compliance {
            if let ComplianceRecord::Belief {
                round,
                holder,
                about,
                belief,
            } = *r
                && last.is_none_or(|l| round <= l)
            {
                beliefs.insert((holder, about), belief.to_bits());
            }
        }
        let key = format!(
            "{:?} {beliefs:?}",
            trace
                .events
                .iter()
                .filter(|e| e.changed)
                .map(|e| (&e.cause, &e.effect))
                .collect::<Vec<_>>()
        );
        let cached = self.settings.lock().ok()?.get(&key).cloned();
        let entry = match cached {
            Some(entry) => entry,
            None => {
                let entry = self.analyse(trace);
                self.settings.lock().ok()?.insert(key, entry.clone());
                entry
            }
        }?;
        let (scenario, analysis) = &*entry;
        let utilities = trace
            .result
            .agreement
            .as_ref()
            .map(|o| scenario.utilities(o));
        let q = quality_of_utilities(analysis, utilities.as_deref());
        Some(RunQuality {
            pareto_optimal: q.pareto_optimal,
            distance_to_frontier: q.distance_to_frontier,
            distance_to_nash: q.distance_to_nash,
        })
    }

    /// The setting at the end of `trace` and its analysis.
    fn analyse(&self, trace: &Trace) -> Analysed {
        let setting = Setting::replay(self.base, trace, None).ok()?;
        let analysis = analyze(&setting.scenario, &AnalysisConfig::default()).ok()?;
        Some(Arc::new((setting.scenario, analysis)))
    }
}
