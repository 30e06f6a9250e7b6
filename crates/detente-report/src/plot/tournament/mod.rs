//! Tournament pictures: each negotiator's mean utility and agreement rate with 95% confidence
//! intervals ([`render_summary`]), and a heat map of how each negotiator fared against each
//! other one ([`render_heatmap`]). Made from a tournament output folder as
//! `detente_tournament::read_output` reads it, by [`TournamentData::from_output`].

mod heatmap;
mod summary;

use detente_tournament::{Summary, TournamentOutput, files};

pub use heatmap::{HeatMap, heat_colour, render_heatmap};
pub use summary::{IntervalRow, interval_rows, render_summary};

/// Width of the name column on the left of the interval panels and of the heat map: longer
/// names are truncated (in full as a tooltip).
const NAME_W: f64 = 150.0;

/// A tournament's figures: the summary and the pairwise heat map.
#[derive(Debug, Clone, PartialEq)]
pub struct TournamentData {
    /// The output folder's summary: ranking, confidence intervals, terminations, pairwise
    /// tests.
    pub summary: Summary,
    /// Each negotiator's mean utility against each other one, folded from the result rows.
    pub heat: HeatMap,
    /// Names of the plan's scenarios, listed in the report.
    pub scenarios: Vec<String>,
}

impl TournamentData {
    /// The figures of a tournament output folder, read by `detente_tournament::read_output`.
    pub fn from_output(output: TournamentOutput) -> crate::Result<Self> {
        let names: Vec<String> = output
            .summary
            .negotiators
            .iter()
            .map(|n| n.name.clone())
            .collect();
        let heat = HeatMap::from_rows(&names, &output.rows).map_err(|message| {
            crate::ReportError::Input {
                at: files::RESULTS.into(),
                message,
            }
        })?;
        Ok(TournamentData {
            summary: output.summary,
            heat,
            scenarios: output.manifest.scenarios,
        })
    }
}
