//! Parquet results (the `parquet` feature): read back with the `parquet` crate's own record
//! reader, they hold exactly the rows of `results.csv`, with the documented types; they are
//! byte-identical for 1 and 2 threads and for 3 shards merged; resume and errors behave.

use std::fs::File;
use std::path::{Path, PathBuf};

use detente_formats::tournament::parquet::{
    MANIFEST_KEY, ParquetWriter, export_parquet, results_to_parquet,
};
use detente_formats::tournament::{
    ManifestDoc, ModelColumns, QualityColumns, ResultRow, ResultsFolder, RowReader, files,
};
use detente_tournament::{Hooks, RunConfig, Shard, merge, run};
use parquet::basic::{LogicalType, Type as PhysicalType};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;

use crate::common::{code_plan, line_scenario, mixed_plan, with_threads};
use detente_testkit::TempDir;

fn csv_rows(path: &Path) -> Vec<ResultRow> {
    RowReader::open(path)
        .unwrap()
        .collect::<detente_formats::Result<_>>()
        .unwrap()
}

/// Reads a results Parquet file with the `parquet` crate's record API, field by field, into
/// rows (a null string is an empty one, as in `ResultRow`), checking each value's type.
fn parquet_rows(path: &Path) -> Vec<ResultRow> {
    let reader = SerializedFileReader::new(File::open(path).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let k = (0..schema.num_columns())
        .filter(|&i| schema.column(i).name().starts_with('n'))
        .count();
    let mut rows = Vec::new();
    for record in reader.get_row_iter(None).unwrap() {
        let record = record.unwrap();
        let fields: Vec<(String, Field)> = record.into_columns();
        assert_eq!(fields.len(), 4 + 5 * k + 12);
        let mut it = fields.into_iter();
        let mut next = |name: &str| {
            let (n, f) = it.next().unwrap();
            assert_eq!(n, name);
            f
        };
        let u64_ = |f: Field| match f {
            Field::ULong(v) => v,
            other => panic!("expected UINT_64, got {other:?}"),
        };
        let u32_ = |f: Field| match f {
            Field::UInt(v) => Some(v),
            Field::Null => None,
            other => panic!("expected UINT_32, got {other:?}"),
        };
        let str_ = |f: Field| match f {
            Field::Str(s) => Some(s),
            Field::Null => None,
            other => panic!("expected a string, got {other:?}"),
        };
        let f64_ = |f: Field| match f {
            Field::Double(v) => Some(v),
            Field::Null => None,
            other => panic!("expected a double, got {other:?}"),
        };
        let index = u64_(next("index"));
        let scenario = str_(next("scenario")).unwrap();
        let repetition = u32_(next("repetition")).unwrap();
        let seed = u64_(next("seed"));
        let negotiators: Vec<String> = (0..k)
            .filter_map(|i| str_(next(&format!("n{i}"))))
            .collect();
        let termination = str_(next("termination")).unwrap();
        let error_party = u32_(next("error_party")).map(|p| p as usize);
        let error = str_(next("error")).unwrap_or_default();
        let rounds = u32_(next("rounds")).unwrap();
        let time = f64_(next("time")).unwrap();
        let agreement = str_(next("agreement")).unwrap_or_default();
        let utilities: Vec<f64> = (0..k)
            .filter_map(|i| f64_(next(&format!("u{i}"))))
            .collect();
        let welfare = f64_(next("welfare")).unwrap();
        let quality = match next("pareto_optimal") {
            Field::Bool(pareto_optimal) => Some(QualityColumns {
                pareto_optimal,
                dist_frontier: f64_(next("dist_frontier")).unwrap(),
                dist_nash: f64_(next("dist_nash")),
                dist_ks: f64_(next("dist_ks")),
                dist_max_welfare: f64_(next("dist_max_welfare")).unwrap(),
            }),
            Field::Null => {
                for c in ["dist_frontier", "dist_nash", "dist_ks", "dist_max_welfare"] {
                    assert_eq!(next(c), Field::Null, "{c} without pareto_optimal");
                }
                None
            }
            other => panic!("expected a boolean, got {other:?}"),
        };
        let mut group = |name: &str| -> Vec<Option<f64>> {
            (0..k).map(|i| f64_(next(&format!("{name}{i}")))).collect()
        };
        let groups = [
            group("model_pearson"),
            group("model_ranking"),
            group("model_pareto"),
        ];
        let models = model_columns(groups);
        rows.push(ResultRow {
            index,
            scenario,
            repetition,
            seed,
            negotiators,
            termination,
            error_party,
            error,
            rounds,
            time,
            agreement,
            utilities,
            welfare,
            quality,
            models,
        });
    }
    rows
}

/// The opponent-model columns of a row from its three groups (Pearson, ranking, Pareto),
/// trailing roles without a model dropped, as the CSV reader gives them.
fn model_columns([pearson, ranking, pareto]: [Vec<Option<f64>>; 3]) -> Vec<Option<ModelColumns>> {
    let mut models: Vec<Option<ModelColumns>> = (0..ranking.len())
        .map(|i| {
            ranking[i].map(|r| ModelColumns {
                pearson: pearson[i],
                ranking_distance: r,
                pareto_distance: pareto[i].unwrap(),
            })
        })
        .collect();
    while models.last() == Some(&None) {
        models.pop();
    }
    models
}

/// Checks the physical and logical type and nullability of every column.
fn check_schema(path: &Path, k: usize) {
    let reader = SerializedFileReader::new(File::open(path).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    assert_eq!(schema.num_columns(), 4 + 5 * k + 12);
    for i in 0..schema.num_columns() {
        let c = schema.column(i);
        let name = c.name();
        let (physical, logical, nullable) = match name {
            "index" | "seed" => (
                PhysicalType::INT64,
                Some(LogicalType::integer(64, false)),
                false,
            ),
            "repetition" | "rounds" => (
                PhysicalType::INT32,
                Some(LogicalType::integer(32, false)),
                false,
            ),
            "error_party" => (
                PhysicalType::INT32,
                Some(LogicalType::integer(32, false)),
                true,
            ),
            "scenario" | "termination" => {
                (PhysicalType::BYTE_ARRAY, Some(LogicalType::String), false)
            }
            "error" | "agreement" => (PhysicalType::BYTE_ARRAY, Some(LogicalType::String), true),
            "time" | "welfare" => (PhysicalType::DOUBLE, None, false),
            "pareto_optimal" => (PhysicalType::BOOLEAN, None, true),
            n if n.starts_with('n') => (PhysicalType::BYTE_ARRAY, Some(LogicalType::String), true),
            _ => (PhysicalType::DOUBLE, None, true),
        };
        assert_eq!(c.physical_type(), physical, "{name}");
        assert_eq!(c.logical_type_ref(), logical.as_ref(), "{name}");
        assert_eq!(c.self_type().is_optional(), nullable, "{name}");
    }
}

fn bytes(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join(files::RESULTS_PARQUET)).unwrap()
}

#[test]
fn parquet_holds_the_csv_rows_for_any_threads_or_shards() {
    let plan = mixed_plan(1);
    let root = TempDir::new("tournament-parquet-determinism");
    let one = root.join("one");
    let config = RunConfig {
        parquet: true,
        ..RunConfig::new(&one)
    };
    let report = with_threads(1, || run(&plan, &config, &Hooks::default())).unwrap();
    assert_eq!(report.parquet, Some(one.join(files::RESULTS_PARQUET)));
    let expected = csv_rows(&one.join(files::RESULTS));
    assert_eq!(expected.len() as u64, report.total);
    let path = one.join(files::RESULTS_PARQUET);
    check_schema(&path, plan.max_parties());
    assert_eq!(parquet_rows(&path), expected);
    assert!(!root.join("one/results.parquet.partial").exists());

    // The manifest travels in the file's metadata.
    let reader = SerializedFileReader::new(File::open(&path).unwrap()).unwrap();
    let kv = reader
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .unwrap();
    let manifest = kv.iter().find(|e| e.key == MANIFEST_KEY).unwrap();
    let parsed: ManifestDoc = serde_json::from_str(manifest.value.as_deref().unwrap()).unwrap();
    assert_eq!(parsed, ResultsFolder::new(&one).read_manifest().unwrap());

    let two = root.join("two");
    let config = RunConfig {
        parquet: true,
        batch: 7,
        ..RunConfig::new(&two)
    };
    with_threads(2, || run(&plan, &config, &Hooks::default())).unwrap();
    assert!(bytes(&two) == bytes(&one), "2 threads, batches of 7");

    // Shards, merged, then exported: the same bytes.
    let shards: Vec<PathBuf> = (0..3).map(|i| root.join(format!("shard-{i}"))).collect();
    for (i, dir) in shards.iter().enumerate() {
        let config = RunConfig {
            shard: Shard::new(i as u64, 3).unwrap(),
            parquet: true,
            ..RunConfig::new(dir)
        };
        with_threads(2, || run(&plan, &config, &Hooks::default())).unwrap();
        // Each shard's Parquet file holds that shard's rows.
        assert_eq!(
            parquet_rows(&dir.join(files::RESULTS_PARQUET)),
            csv_rows(&dir.join(files::RESULTS))
        );
    }
    let merged = root.join("merged");
    merge(&shards, &merged).unwrap();
    let to = merged.join(files::RESULTS_PARQUET);
    assert_eq!(export_parquet(&merged, &to).unwrap(), report.total);
    assert!(bytes(&merged) == bytes(&one), "3 shards merged, exported");
}

#[test]
fn parquet_is_written_when_a_resumed_run_completes() {
    let plan = code_plan(
        &[("b", "boulware"), ("c", "conceder"), ("r", "random")],
        vec![line_scenario("line")],
        3,
    );
    let root = TempDir::new("tournament-parquet-resume");
    let dir = root.join("out");
    let config = RunConfig {
        parquet: true,
        stop_after: Some(10),
        batch: 4,
        ..RunConfig::new(&dir)
    };
    let report = run(&plan, &config, &Hooks::default()).unwrap();
    assert_eq!(report.ran, 10);
    assert_eq!(report.parquet, None, "not written for an unfinished shard");
    assert!(!dir.join(files::RESULTS_PARQUET).exists());
    let config = RunConfig {
        parquet: true,
        resume: true,
        ..RunConfig::new(&dir)
    };
    let report = run(&plan, &config, &Hooks::default()).unwrap();
    assert_eq!(report.resumed, 10);
    assert!(report.parquet.is_some());
    let rows = parquet_rows(&dir.join(files::RESULTS_PARQUET));
    assert_eq!(rows.len(), 27);
    assert_eq!(rows, csv_rows(&dir.join(files::RESULTS)));

    // Without analysis the quality columns are nulls.
    let plain = root.join("plain");
    let config = RunConfig {
        parquet: true,
        analysis: false,
        ..RunConfig::new(&plain)
    };
    run(&plan, &config, &Hooks::default()).unwrap();
    let rows = parquet_rows(&plain.join(files::RESULTS_PARQUET));
    assert_eq!(rows.len(), 27);
    assert!(rows.iter().all(|r| r.quality.is_none()));
    assert_eq!(rows, csv_rows(&plain.join(files::RESULTS)));
}

fn odd_row(index: u64, k: usize) -> ResultRow {
    ResultRow {
        index,
        scenario: "a, \"quoted\" scenario ü".into(),
        repetition: u32::MAX,
        seed: u64::MAX - index,
        negotiators: (0..k).map(|i| format!("neg {i}")).collect(),
        termination: "negotiator-fault".into(),
        error_party: Some(1),
        error: "panicked: \"quote\", comma".into(),
        rounds: 3,
        time: 0.1 + 0.2,
        agreement: String::new(),
        utilities: (0..k).map(|i| 1.0 / (i as f64 + 3.0)).collect(),
        welfare: -0.0,
        quality: Some(QualityColumns {
            pareto_optimal: false,
            dist_frontier: 0.25,
            dist_nash: None,
            dist_ks: Some(1e-300),
            dist_max_welfare: f64::MAX,
        }),
        models: vec![
            None,
            Some(ModelColumns {
                pearson: None,
                ranking_distance: 0.5,
                pareto_distance: 1e-300,
            }),
        ],
    }
}

#[test]
fn rows_with_nulls_and_extreme_values_survive_in_small_row_groups() {
    let root = TempDir::new("tournament-parquet-rows");
    let k = 3;
    let mut rows = Vec::new();
    for i in 0..23u64 {
        let mut r = odd_row(i, if i % 2 == 0 { 2 } else { 3 });
        if i % 3 == 0 {
            r.quality = None;
            r.error_party = None;
            r.error = String::new();
            r.termination = "agreement".into();
            r.agreement = "x=1;y=two".into();
        }
        rows.push(r);
    }
    let path = root.join("r.parquet");
    let mut w = ParquetWriter::create(&path, k, vec![])
        .unwrap()
        .with_row_group_rows(5);
    for r in &rows {
        w.write(r).unwrap();
    }
    assert_eq!(w.finish().unwrap(), 23);
    let reader = SerializedFileReader::new(File::open(&path).unwrap()).unwrap();
    assert_eq!(
        reader.metadata().num_row_groups(),
        5,
        "23 rows in groups of 5"
    );
    let back = parquet_rows(&path);
    assert_eq!(back.len(), rows.len());
    for (a, b) in back.iter().zip(&rows) {
        assert_eq!(a, b);
        // -0.0 == 0.0: compare the bits too.
        assert_eq!(a.welfare.to_bits(), b.welfare.to_bits());
    }
    check_schema(&path, k);

    // A row wider than the file is refused.
    let mut w = ParquetWriter::create(&root.join("narrow.parquet"), 2, vec![]).unwrap();
    let e = w.write(&odd_row(0, 3)).unwrap_err().to_string();
    assert!(e.contains("3 roles"), "{e}");
}

#[test]
fn bad_input_fails_cleanly_and_leaves_no_file() {
    let root = TempDir::new("tournament-parquet-errors");
    // Not a tournament folder.
    let e = export_parquet(&root, &root.join("x.parquet"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("manifest.json"), "{e}");
    // A results file with a bad cell on its third line: an error naming the file and line,
    // and neither the Parquet file nor its partial one left behind.
    let csv = root.join("results.csv");
    let mut text = detente_formats::tournament::header_line(2);
    text.push_str(odd_row(0, 2).to_line(2).as_str());
    text.push_str(&text.lines().nth(1).unwrap().replacen("0,", "zero,", 1));
    text.push('\n');
    std::fs::write(&csv, text).unwrap();
    let out = root.join("results.parquet");
    let e = results_to_parquet(&csv, &out, vec![])
        .unwrap_err()
        .to_string();
    assert!(e.contains("results.csv:3"), "{e}");
    assert!(!out.exists());
    assert!(!root.join("results.parquet.partial").exists());
}
