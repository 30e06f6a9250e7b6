//! `detente sweep`: what-if sweeps. Vary one or two scenario parameters over a range, run
//! seeded negotiations at every point, and print agreement rates, mean utilities and welfare
//! with 95% confidence intervals.

use detente_formats::columns::{column_width, pad};
use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Result, anyhow};
use clap::Args as ClapArgs;
use detente_core::Scenario;
use detente_inspect::{Axis, SweepConfig, SweepResult, parse_axis};
use detente_negotiators::Registry;

use crate::ensemble::{mean_ci, share};

use crate::{input_error, run::resolve_negotiators, scenarios};

/// Arguments of `detente sweep`.
#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Scenario: a TOML file, or GENIUS/GeniusWeb files; the built-in peace-talks scenario when
    /// not given.
    pub scenario: Vec<PathBuf>,
    /// A parameter and its range: PARAM=START:END:STEP or PARAM=V1,V2,... Parameters:
    /// reservation.PARTY, e.PARTY (plays PARTY at that concession exponent: with its own kind
    /// when that kind allows it, otherwise with time-based), discount.PARTY,
    /// weight.PARTY.ISSUE (not renormalised), bonus.PARTY.LINKAGE (a linked deal's bonus),
    /// event.NAME.round, event.NAME.shift[.PARTY] (the size of a reservation shift),
    /// mediator=PARTY,...,neutral (who mediates), mediator.PARAM (a parameter of the
    /// mediator's strategy, e.g. mediator.bias), monitor, rounds. Give one or two.
    #[arg(long, required = true, value_name = "PARAM=RANGE")]
    pub vary: Vec<String>,
    /// Negotiations per point, each an independent draw (its own seed, jitter and noise).
    #[arg(long, default_value_t = detente_inspect::ensemble::DEFAULT_RUNS)]
    pub seeds: usize,
    /// Seed: negotiation k of point p runs with derive_seed(seed, p * seeds + k).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Multiply each time-based party's e by exp(jitter * u), u uniform in [-1, 1] per
    /// negotiation, so that seeds differ even with deterministic negotiators (as `detente
    /// run`'s ensemble does).
    #[arg(long, value_name = "X", default_value_t = detente_inspect::ensemble::DEFAULT_JITTER)]
    pub jitter: f64,
    /// Preference noise per negotiation: every reservation value moves by noise * u and each
    /// issue weight is scaled by exp(noise * u) (as `detente run`'s ensemble does). 0: the
    /// preferences as the point gives them.
    #[arg(long, value_name = "X", default_value_t = detente_inspect::ensemble::DEFAULT_NOISE)]
    pub noise: f64,
    /// Who plays a party: PARTY=KIND[:NAME=VALUE,...]. Repeatable.
    #[arg(long = "negotiator", short = 'n', value_name = "PARTY=KIND[:PARAMS]")]
    pub negotiators: Vec<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Where the table goes [default: standard output].
    #[arg(short, long, value_name = "FILE", value_parser = crate::ui::output_parser)]
    pub output: Option<crate::ui::Output>,
}

/// Runs `detente sweep`.
pub fn run(args: &Args, registry: &Registry) -> Result<()> {
    let loaded = scenarios::load(&args.scenario)?;
    scenarios::warn(&loaded)?;
    let scenario = loaded.scenario;
    if args.vary.len() > 2 {
        return Err(input_error(anyhow!(
            "--vary is given {} times; a sweep varies one or two parameters",
            args.vary.len()
        )));
    }
    let axes = args
        .vary
        .iter()
        .map(|v| parse_axis(&scenario, v).map_err(|e| input_error(anyhow!("--vary {e}"))))
        .collect::<Result<Vec<_>>>()?;
    let negotiators = resolve_negotiators(&scenario, &args.negotiators, registry)?;
    let config = SweepConfig {
        axes,
        seeds: args.seeds,
        seed: args.seed,
        jitter: args.jitter,
        noise: args.noise,
        negotiators,
    };
    let result = detente_inspect::sweep(&scenario, &config, registry).map_err(input_error)?;
    let text = if args.json {
        let mut t = detente::documents::sweep_doc(&scenario, &result).to_json();
        t.push('\n');
        t
    } else {
        to_text(&scenario, &result)
    };
    args.output
        .clone()
        .unwrap_or(crate::ui::Output::Stdout)
        .print(&text)
}

/// The sweep as a table, one row per point, under a line naming the scenario and the
/// settings; then each point's ensemble summary, as `detente run` prints its own.
fn to_text(scenario: &Scenario, r: &SweepResult) -> String {
    let name = &scenario.name;
    let mut w = String::new();
    let _ = writeln!(
        w,
        "{name}: {} x {} (seed {}, jitter {}, noise {}); final utilities are discounted, \
         the reservation value without agreement",
        crate::ui::plural(r.points.len(), "point", "points"),
        crate::ui::plural(r.seeds, "seed", "seeds"),
        r.seed,
        crate::ui::num(r.jitter),
        crate::ui::num(r.noise)
    );
    let (header, rows) = table(r);
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            column_width(
                rows.iter()
                    .map(|r| r[c].chars().count())
                    .chain([header[c].chars().count()]),
                0,
            )
        })
        .collect();
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, &wd)| pad(c, wd))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let _ = writeln!(w, "{}", line(&header));
    for row in &rows {
        let _ = writeln!(w, "{}", line(row));
    }
    let copies = r.points.iter().filter(|p| p.summary.identical()).count();
    if copies > 0 {
        let _ = writeln!(
            w,
            "note: at {copies} of {} points every seed gave the same result (the negotiators \
             are deterministic): those runs are copies of one draw, so no interval is printed \
             for them. Use --jitter, --noise or a random negotiator for variation.",
            r.points.len()
        );
    }
    for p in &r.points {
        let at: Vec<String> = r
            .axes
            .iter()
            .zip(&p.values)
            .map(|(a, &v)| format!("{} = {}", a.name, label(a, v)))
            .collect();
        let _ = writeln!(w, "\nAt {}:", at.join(", "));
        crate::ensemble::summary_text(&mut w, scenario, &p.summary, "  ");
    }
    w
}

/// A value of an axis as the table shows it: its label (a mediator's name), or the number.
fn label(axis: &Axis, v: f64) -> String {
    if axis.labels.is_empty() {
        crate::ui::num(v)
    } else {
        axis.label(v)
    }
}

/// The header and the rows of the table: the axes' values, the agreement rate, each party's
/// utility and the welfare, with their 95% intervals.
fn table(r: &SweepResult) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Vec<String> = r.axes.iter().map(|a| a.name.clone()).collect();
    header.push("agreement [95% CI]".into());
    let lasting = r.points.iter().any(|p| p.summary.lasting.is_some());
    if lasting {
        header.push("lasting deal [95% CI]".into());
    }
    header.extend(r.parties.iter().map(|p| format!("{p} [95% CI]")));
    header.push("welfare [95% CI]".into());
    let rows = r
        .points
        .iter()
        .map(|point| {
            let p = &point.summary;
            let mut row: Vec<String> = r
                .axes
                .iter()
                .zip(&point.values)
                .map(|(a, &v)| label(a, v))
                .collect();
            let identical = if p.identical() {
                " (identical runs)"
            } else {
                ""
            };
            row.push(format!(
                "{}{identical}",
                share(p.agreements, p.runs, p.rate_ci)
            ));
            if let Some(k) = p.lasting.filter(|_| lasting) {
                row.push(share(k, p.runs, p.lasting_ci));
            }
            row.extend(p.utilities.iter().map(mean_ci));
            row.push(mean_ci(&p.welfare));
            row
        })
        .collect();
    (header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use detente_core::{
        Evaluator, Issue, LinearAdditive, NegotiatorSpec, OutcomeSpace, Party, Preferences,
        ProtocolSettings, Scenario, Utility,
    };
    use detente_report::plot::sweep::SweepData;

    fn pie() -> Scenario {
        let space = OutcomeSpace::new(vec![Issue::integer("x", 0, 4)]).unwrap();
        let lin = |s: f64, c: f64| {
            LinearAdditive::new(
                &space,
                vec![1.0],
                vec![Evaluator::Linear {
                    slope: s,
                    intercept: c,
                    origin: 0.0,
                    clamp: true,
                }],
                None,
            )
            .unwrap()
        };
        let party = |name: &str, u| Party {
            name: name.into(),
            preferences: Preferences::new(Utility::LinearAdditive(u)),
            negotiator: None,
        };
        Scenario {
            compliance: Default::default(),
            name: "pie".into(),
            description: String::new(),
            space: space.clone(),
            parties: vec![party("A", lin(0.25, 0.0)), party("B", lin(-0.25, 1.0))],
            protocol: ProtocolSettings {
                deadline: 10,
                time_limit: None,
                ..Default::default()
            },
            events: Vec::new(),
        }
    }

    #[test]
    fn a_sweep_run_becomes_a_document_and_a_plot() {
        let scenario = pie();
        let axis = parse_axis(&scenario, "reservation.B=0.1,0.3").unwrap();
        let config = SweepConfig {
            axes: vec![axis],
            seeds: 3,
            seed: 1,
            jitter: 0.0,
            noise: 0.0,
            negotiators: vec![NegotiatorSpec::new("linear"); 2],
        };
        let r = detente_inspect::sweep(&scenario, &config, &Registry::builtin()).unwrap();
        let doc = detente::documents::sweep_doc(&scenario, &r);
        assert_eq!(
            doc.points[0].utilities["A"].mean,
            r.points[0].summary.utilities[0].mean
        );
        let text = doc.to_json();
        let back = detente_formats::sweep_json::SweepDoc::from_json_str(
            &text,
            std::path::Path::new("s.json"),
        )
        .unwrap();
        assert_eq!(back, doc);
        assert_eq!(back.to_json(), text);
        let d = SweepData::from_doc(&doc).unwrap();
        assert_eq!(d.points.len(), 2);
        assert_eq!(d.parties, ["A", "B"]);
        assert_eq!(d.points[0].runs, Some(3));
        assert_eq!(d.points[1].value, 0.3);
    }
}
