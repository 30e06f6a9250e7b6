//! TheFawkes's opponent model (GENIUS `TheFawkes_OM`, ANAC 2013 winner): as an estimate of the
//! opponent's utility, HardHeaded's frequency model with learning coefficient 0.8 (the same
//! update rule, the first bid ignored). Its concession forecast (a wavelet transform and a
//! smoothing spline over the utilities of the opponent's bids) is computed by the offering
//! strategy `the-fawkes` from the same bids
//! ([`fawkes_forecast`](crate::boa::offering::fawkes_forecast)).

use detente_core::registry::ParamInfo;

use super::ModelEntry;
use super::frequency::HardHeadedFrequency;

/// Its registry entry, `the-fawkes`, with the learning coefficient `l` (0.8).
pub(super) fn entry() -> ModelEntry {
    ModelEntry::new(
        "the-fawkes",
        "TheFawkes's frequency model: HardHeaded's update rule with learning coefficient 0.8",
        |p| Box::new(HardHeadedFrequency::new(p.get("l"))),
    )
    .param(ParamInfo::new(
        "l",
        0.8,
        0.0,
        1.0,
        "learning coefficient: the weight an unchanged issue gains, times the number of issues",
    ))
    .source("TheFawkes (TU Delft), ANAC 2013 winner; GENIUS TheFawkes_OM")
}
