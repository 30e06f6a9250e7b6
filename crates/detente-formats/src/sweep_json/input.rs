//! Every shape of sweep JSON detente reads, and its conversion into a [`SweepDoc`]:
//!
//! - this document's own (`axes` of `{ param, values }`, points with `values` by parameter
//!   name, `agreement_rate`, `agreement_rate_ci95`, `utilities` by party name);
//! - one `parameter` and points with a `value` each; an estimate is a number or
//!   `{ "mean", "ci" }` (`ci95` is read as `ci`), the rate's interval `agreement_rate_ci`;
//! - a plain serialisation of `detente_inspect::SweepResult`: `parties`, `axes` of
//!   `{ name, values }`, points with `values` and `utilities` as arrays, `rate`, `rate_ci`.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{Estimate, SWEEP_FORMAT, SweepAxis, SweepDoc, SweepPoint};
use crate::error::DocError;

/// A sweep in any shape detente reads.
#[derive(Deserialize)]
#[serde(expecting = "a JSON object")]
pub(super) struct SweepInput {
    format: Option<String>,
    parameter: Option<String>,
    scenario: Option<String>,
    #[serde(default)]
    parties: Vec<String>,
    axes: Option<Vec<AxisInput>>,
    seeds: Option<u64>,
    seed: Option<u64>,
    jitter: Option<f64>,
    noise: Option<f64>,
    points: Vec<PointInput>,
}

#[derive(Deserialize)]
struct AxisInput {
    #[serde(alias = "name")]
    param: String,
    #[serde(default)]
    values: Vec<f64>,
    #[serde(default)]
    labels: Vec<String>,
}

#[derive(Deserialize)]
struct PointInput {
    value: Option<f64>,
    values: Option<Either<f64>>,
    runs: Option<u64>,
    agreements: Option<u64>,
    #[serde(alias = "rate")]
    agreement_rate: Option<EstimateInput>,
    #[serde(alias = "agreement_rate_ci95", alias = "rate_ci")]
    agreement_rate_ci: Option<[f64; 2]>,
    mean_rounds: Option<f64>,
    utilities: Option<Either<EstimateInput>>,
    welfare: Option<EstimateInput>,
    lasting: Option<u64>,
    lasting_rate_ci95: Option<[f64; 2]>,
    distinct: Option<u64>,
    #[serde(default)]
    top_agreements: Vec<crate::inspect_json::TopAgreementDoc>,
    distinct_agreements: Option<u64>,
    quality: Option<crate::ensemble_json::EnsembleQualityDoc>,
}

/// Values by name (an object) or in order (an array).
enum Either<T> {
    ByName(BTreeMap<String, T>),
    InOrder(Vec<T>),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Either<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(EitherVisitor(std::marker::PhantomData))
    }
}

struct EitherVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for EitherVisitor<T> {
    type Value = Either<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object by name, or an array in order")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Either<T>, A::Error> {
        BTreeMap::deserialize(MapAccessDeserializer::new(map)).map(Either::ByName)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Either<T>, A::Error> {
        Vec::deserialize(SeqAccessDeserializer::new(seq)).map(Either::InOrder)
    }
}

/// An estimate: a number, or `{ "mean", "ci" }`.
#[derive(Clone, Copy)]
struct EstimateInput(Estimate);

/// The object form of an estimate.
#[derive(Deserialize)]
struct EstimateObject {
    #[serde(alias = "rate", alias = "value")]
    mean: f64,
    #[serde(default, alias = "ci95")]
    ci: Option<[f64; 2]>,
}

impl<'de> Deserialize<'de> for EstimateInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(EstimateVisitor)
    }
}

struct EstimateVisitor;

impl<'de> Visitor<'de> for EstimateVisitor {
    type Value = EstimateInput;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or an object with `mean` and `ci`")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<EstimateInput, E> {
        Ok(EstimateInput(Estimate {
            mean: v,
            ci95: None,
        }))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<EstimateInput, E> {
        self.visit_f64(v as f64)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<EstimateInput, E> {
        self.visit_f64(v as f64)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<EstimateInput, A::Error> {
        let o = EstimateObject::deserialize(MapAccessDeserializer::new(map))?;
        Ok(EstimateInput(Estimate {
            mean: o.mean,
            ci95: o.ci.map(ordered),
        }))
    }
}

/// An interval as `[low, high]`, whichever way round it was written.
fn ordered([a, b]: [f64; 2]) -> [f64; 2] {
    [a.min(b), a.max(b)]
}

impl TryFrom<SweepInput> for SweepDoc {
    type Error = DocError;

    fn try_from(input: SweepInput) -> Result<Self, DocError> {
        if let Some(f) = &input.format
            && !f.starts_with("detente-sweep/")
        {
            return Err(DocError::new(
                "$.format",
                format!("`{f}` is not a sweep result"),
            ));
        }
        let mut axes = match (input.parameter, input.axes) {
            (Some(param), _) => vec![SweepAxis {
                param,
                values: Vec::new(),
                labels: Vec::new(),
            }],
            (None, Some(axes)) => axes
                .into_iter()
                .map(|a| SweepAxis {
                    param: a.param,
                    values: a.values,
                    labels: a.labels,
                })
                .collect(),
            (None, None) => {
                return Err(DocError::new(
                    "$.parameter",
                    "missing: the name of the swept parameter",
                ));
            }
        };
        let one_value = axes.len() == 1 && axes[0].values.is_empty();
        let points = input
            .points
            .into_iter()
            .enumerate()
            .map(|(i, p)| point(p, &format!("$.points[{i}]"), &axes, &input.parties))
            .collect::<Result<Vec<_>, _>>()?;
        if one_value {
            // One `parameter`: its values are those of the points.
            axes[0].values = points.iter().map(|p| p.values[&axes[0].param]).collect();
        }
        Ok(SweepDoc {
            format: SWEEP_FORMAT.to_string(),
            scenario: input.scenario,
            parties: input.parties,
            axes,
            seeds: input.seeds,
            seed: input.seed,
            jitter: input.jitter,
            noise: input.noise,
            points,
        })
    }
}

/// One point, with its values by parameter name and its utilities by party name.
fn point(
    p: PointInput,
    at: &str,
    axes: &[SweepAxis],
    parties: &[String],
) -> Result<SweepPoint, DocError> {
    let values = point_values(p.value, p.values, at, axes)?;
    let utilities = match p.utilities {
        None => BTreeMap::new(),
        Some(Either::ByName(m)) => m.into_iter().map(|(k, e)| (k, e.0)).collect(),
        Some(Either::InOrder(list)) => {
            if list.len() != parties.len() {
                return Err(DocError::new(
                    format!("{at}.utilities"),
                    format!("{} values for {} parties", list.len(), parties.len()),
                ));
            }
            parties
                .iter()
                .cloned()
                .zip(list.iter().map(|e| e.0))
                .collect()
        }
    };
    let rate = p.agreement_rate.map(|e| e.0);
    Ok(SweepPoint {
        values,
        runs: p.runs,
        agreements: p.agreements,
        agreement_rate: rate.map(|e| e.mean),
        agreement_rate_ci95: p
            .agreement_rate_ci
            .map(ordered)
            .or(rate.and_then(|e| e.ci95)),
        mean_rounds: p.mean_rounds,
        lasting: p.lasting,
        lasting_rate_ci95: p.lasting_rate_ci95,
        utilities,
        welfare: p.welfare.map(|e| e.0),
        distinct: p.distinct,
        top_agreements: p.top_agreements,
        distinct_agreements: p.distinct_agreements,
        quality: p.quality,
    })
}

/// The value of every parameter at a point: a `value` for the one parameter, or `values` by
/// name or in axis order.
fn point_values(
    value: Option<f64>,
    values: Option<Either<f64>>,
    at: &str,
    axes: &[SweepAxis],
) -> Result<BTreeMap<String, f64>, DocError> {
    let names = || axes.iter().map(|a| a.param.clone());
    let values: BTreeMap<String, f64> = match (value, values) {
        (Some(v), _) => names().take(1).map(|n| (n, v)).collect(),
        (None, Some(Either::ByName(m))) => m,
        (None, Some(Either::InOrder(list))) => {
            if list.len() != axes.len() {
                return Err(DocError::new(
                    format!("{at}.values"),
                    format!("{} values for {} parameters", list.len(), axes.len()),
                ));
            }
            names().zip(list).collect()
        }
        (None, None) => {
            return Err(DocError::new(format!("{at}.value"), "expected a number"));
        }
    };
    match axes.iter().find(|a| !values.contains_key(&a.param)) {
        Some(a) => Err(DocError::new(
            format!("{at}.values"),
            format!("no value for parameter `{}`", a.param),
        )),
        None => Ok(values),
    }
}
