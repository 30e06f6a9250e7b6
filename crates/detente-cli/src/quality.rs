//! Agreement-quality figures for `detente run` (being written).
use detente_core::{Scenario, Trace};
pub struct Quality {
    pub text: String,
    pub json: serde_json::Value,
}
pub fn agreement_quality(_s: &Scenario, _t: &Trace) -> Option<Quality> {
    None
}
