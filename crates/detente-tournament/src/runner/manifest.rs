//! What a run records about its plan in the output folder (the manifest and the scenario
//! table), and the check that a folder being resumed holds this plan's shard.

use std::path::Path;

use detente_formats::tournament::{MANIFEST_FORMAT_VERSION, ManifestDoc, ScenarioRow, ShardDoc};

use detente_negotiators::Registry;

use crate::error::{Result, TournamentError};
use crate::plan::{Plan, Schedule};
use crate::runner::Shard;

/// The manifest of `plan`'s shard `shard`.
pub(crate) fn manifest(
    plan: &Plan,
    schedule: &Schedule,
    shard: Shard,
    registry: &Registry,
) -> ManifestDoc {
    ManifestDoc {
        format: MANIFEST_FORMAT_VERSION,
        tournament: plan.name.clone(),
        fingerprint: plan.fingerprint(registry),
        inputs: plan.inputs(registry),
        negotiations: schedule.total(),
        shard: shard.into(),
        width: plan.max_parties(),
        negotiators: plan.negotiators.iter().map(|n| n.name.clone()).collect(),
        scenarios: plan
            .scenarios
            .iter()
            .map(|s| s.scenario.name.clone())
            .collect(),
    }
}

/// The scenario table of `plan`: every scenario's parties in role order.
pub(crate) fn scenario_rows(plan: &Plan) -> Vec<ScenarioRow> {
    let mut rows = Vec::new();
    for (i, sc) in plan.scenarios.iter().enumerate() {
        for (role, p) in sc.scenario.parties.iter().enumerate() {
            rows.push(ScenarioRow {
                scenario: sc.scenario.name.clone(),
                source: sc.source.clone(),
                rounds: plan.rounds_for(i),
                outcomes: sc.scenario.space.count_display(),
                role,
                party: p.name.clone(),
                reservation: p.preferences.reservation,
                discount: p.preferences.discount,
            });
        }
    }
    rows
}

/// Checks that the folder `dir`, whose manifest is `old`, holds the results of the plan and
/// shard of `new`.
pub(crate) fn check_resumable(dir: &Path, old: &ManifestDoc, new: &ManifestDoc) -> Result<()> {
    let fail = |message: String| TournamentError::Output {
        path: dir.to_path_buf(),
        message,
    };
    if old.fingerprint != new.fingerprint || old.negotiations != new.negotiations {
        let changes = old.input_changes(new);
        let what = if changes.is_empty() {
            String::new()
        } else {
            format!(": {}", changes.join("; "))
        };
        return Err(fail(format!(
            "holds results of another plan or other inputs (`{}`, fingerprint {}); this plan \
             is `{}`, fingerprint {}{what}. Resume only with the inputs the results came from, \
             or run into a new folder",
            old.tournament, old.fingerprint, new.tournament, new.fingerprint
        )));
    }
    if old.shard != new.shard {
        return Err(fail(format!(
            "holds shard {} of the plan, not shard {}",
            old.shard, new.shard
        )));
    }
    Ok(())
}

/// The manifest of the whole plan, made from the manifest of one of its shards.
pub(crate) fn unsharded(shard: &ManifestDoc) -> ManifestDoc {
    ManifestDoc {
        shard: ShardDoc::from(Shard::default()),
        ..shard.clone()
    }
}
