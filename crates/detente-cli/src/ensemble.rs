//! The summary of an ensemble as text: one formatter, so that `detente run` (below its
//! transcript), each point of `detente sweep` and the forecast of `detente inspect` say the
//! same things the same way.

use std::fmt::Write as _;

use detente_core::Scenario;
use detente_formats::columns::{column_width, pad};
use detente_inspect::ensemble::{Ensemble, MeanCi};

/// What each run of an ensemble draws anew besides its seed, as a phrase: "concession
/// exponents jittered by exp(0.5 u) and preferences perturbed by 0.05 (...)".
pub fn draws_text(jitter: f64, noise: f64) -> String {
    let num = crate::ui::num;
    let mut parts = Vec::new();
    if jitter > 0.0 {
        parts.push(format!(
            "concession exponents jittered by exp({} u)",
            num(jitter)
        ));
    }
    if noise > 0.0 {
        parts.push(format!(
            "preferences perturbed by {n} (each reservation moved by {n} u, each issue weight \
             scaled by exp({n} u))",
            n = num(noise)
        ));
    }
    match parts.len() {
        0 => "no jitter and no preference noise".to_string(),
        _ => format!("{}, u uniform in [-1, 1]", parts.join(" and ")),
    }
}

/// A mean and its interval: `0.586 [0.585, 0.586]`, or the mean alone without one.
pub fn mean_ci(m: &MeanCi) -> String {
    match m.ci {
        Some([lo, hi]) => format!("{:.3} [{lo:.3}, {hi:.3}]", m.mean),
        None => format!("{:.3}", m.mean),
    }
}

/// `k` of `n` as a share with its interval: `8% [5, 13]`, or the share alone without one.
pub fn share(k: usize, n: usize, ci: Option<[f64; 2]>) -> String {
    let p = 100.0 * k as f64 / n.max(1) as f64;
    match ci {
        Some([lo, hi]) => format!("{p:.0}% [{:.0}, {:.0}]", lo * 100.0, hi * 100.0),
        None => format!("{p:.0}%"),
    }
}

/// The summary of `e`, runs of `scenario`, indented by `indent`: the agreement rate with its
/// Wilson interval, the most frequent agreements with their counts, each party's mean final
/// utility, the welfare, lasting deals and the outcomes' quality, each with its 95% interval;
/// for identical runs, a line saying so and no interval.
pub fn summary_text(w: &mut String, scenario: &Scenario, e: &Ensemble, indent: &str) {
    let runs = crate::ui::plural(e.runs, "run", "runs");
    if e.runs > 1 && e.distinct == 1 && e.perturbed {
        let _ = writeln!(
            w,
            "{indent}every run gave the same result, although each drew its negotiators anew"
        );
    } else if e.identical() {
        let _ = writeln!(
            w,
            "{indent}every run gave the same result: the {runs} are copies of one draw (the \
             negotiators, mediator and protocol are deterministic and nothing was jittered or \
             perturbed), so no interval is printed"
        );
    }
    let _ = writeln!(
        w,
        "{indent}agreement in {} of {runs}: {}",
        e.agreements,
        share(e.agreements, e.runs, e.rate_ci)
    );
    if !e.top_agreements.is_empty() {
        let _ = writeln!(
            w,
            "{indent}most frequent agreements ({} different):",
            e.distinct_agreements
        );
        let digits = e.top_agreements[0].1.to_string().len();
        for (o, c) in &e.top_agreements {
            let _ = writeln!(w, "{indent}  {c:>digits$}x  {}", scenario.space.display(o));
        }
    }
    let width = column_width(scenario.parties.iter().map(|p| p.name.chars().count()), 0);
    let _ = writeln!(
        w,
        "{indent}mean final utility (discounted; the fallback in force without agreement):"
    );
    for (p, u) in scenario.parties.iter().zip(&e.utilities) {
        let _ = writeln!(w, "{indent}  {}  {}", pad(&p.name, width), mean_ci(u));
    }
    let _ = writeln!(
        w,
        "{indent}welfare {}; mean rounds used {:.1}",
        mean_ci(&e.welfare),
        e.mean_rounds
    );
    if let Some(k) = e.lasting {
        let _ = writeln!(
            w,
            "{indent}lasting deals (no bound party truly breached them): {k} of {runs}: {}",
            share(k, e.runs, e.lasting_ci)
        );
    }
    match &e.quality {
        Some(q) => {
            let nash = q
                .distance_to_nash
                .as_ref()
                .map_or(String::new(), |d| format!(", to Nash {}", mean_ci(d)));
            let _ = writeln!(
                w,
                "{indent}quality against each run's fallbacks at its end: Pareto-optimal in {} \
                 of {}: {}; distance to the Pareto frontier {}{nash}",
                q.pareto_optimal,
                q.measured,
                share(q.pareto_optimal, q.measured, q.pareto_optimal_ci),
                mean_ci(&q.distance_to_frontier),
            );
        }
        None => {
            let _ = writeln!(
                w,
                "{indent}quality: not measured (the space is too large to analyse each run's \
                 end, or its events cannot be replayed)"
            );
        }
    }
}
