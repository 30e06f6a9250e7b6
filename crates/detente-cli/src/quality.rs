//! Agreement-quality figures that `detente run` adds to its result: where the agreement lies
//! against the Pareto frontier, the Nash and Kalai-Smorodinsky points, and its welfare.

use detente_core::{Scenario, Trace};
use detente_formats::analysis_json::AgreementQualityDoc;

/// The figures, as text for the transcript and as the document of the trace's `analysis` key.
pub struct Quality {
    /// Lines appended to the transcript.
    pub text: String,
    /// The `analysis` of the JSON trace.
    pub doc: AgreementQualityDoc,
}

/// The quality of a negotiation's result, or `None` when the scenario is too large to analyse.
pub fn agreement_quality(scenario: &Scenario, trace: &Trace) -> Option<Quality> {
    crate::analyze::quality_report(scenario, trace).map(|(text, doc)| Quality { text, doc })
}
