//! Results as Parquet (the `parquet` feature): the rows of `results.csv` with typed columns,
//! for pandas, polars, DuckDB or Spark.
//!
//! The CSV file stays the one that runs append to, resume from and merge: a Parquet file has
//! its index at the end, so it cannot be appended to or cut after a crash. `results.parquet`
//! is made from the finished CSV file in one streaming pass, [`ROW_GROUP_ROWS`] rows at a
//! time, so memory stays flat whatever the size of the tournament. The columns are those of
//! the CSV file in the same order; a CSV cell left empty is a Parquet null. The file is a
//! function of the CSV bytes alone, so equal CSV files give byte-identical Parquet files.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ::parquet::basic::{Compression, LogicalType, Repetition, Type as PhysicalType};
use ::parquet::data_type::{
    BoolType, ByteArray, ByteArrayType, DataType, DoubleType, Int32Type, Int64Type,
};
use ::parquet::errors::ParquetError;
use ::parquet::file::metadata::KeyValue;
use ::parquet::file::properties::WriterProperties;
use ::parquet::file::writer::{SerializedFileWriter, SerializedRowGroupWriter};
use ::parquet::schema::types::Type;

use crate::error::{FormatError, Result};
use crate::tournament::folder::ResultsFolder;
use crate::tournament::results::{ResultRow, RowReader, header};

/// Rows per row group: each group is buffered in memory (a few tens of megabytes at most),
/// then encoded and written.
pub const ROW_GROUP_ROWS: usize = 65_536;

/// The key of the Parquet key-value metadata entry that holds the folder's `manifest.json`
/// (compact JSON), when written by [`export_parquet`].
pub const MANIFEST_KEY: &str = "detente.manifest";

/// What a column holds, as Parquet physical and logical types.
#[derive(Clone, Copy)]
enum Kind {
    /// INT64, UINT_64 (`index`, `seed`).
    U64,
    /// INT32, UINT_32 (`repetition`, `rounds`, `error_party`).
    U32,
    /// DOUBLE.
    F64,
    /// BOOLEAN.
    Bool,
    /// BYTE_ARRAY, STRING (UTF-8).
    Str,
}

/// The Parquet schema of a results file of width `k`: column name, kind, nullable. The names
/// are those of [`header`], in its order.
fn columns(k: usize) -> Vec<(String, Kind, bool)> {
    let mut c: Vec<(String, Kind, bool)> = vec![
        ("index".into(), Kind::U64, false),
        ("scenario".into(), Kind::Str, false),
        ("repetition".into(), Kind::U32, false),
        ("seed".into(), Kind::U64, false),
    ];
    c.extend((0..k).map(|i| (format!("n{i}"), Kind::Str, true)));
    c.extend([
        ("termination".into(), Kind::Str, false),
        ("error_party".into(), Kind::U32, true),
        ("error".into(), Kind::Str, true),
        ("rounds".into(), Kind::U32, false),
        ("time".into(), Kind::F64, false),
        ("agreement".into(), Kind::Str, true),
    ]);
    c.extend((0..k).map(|i| (format!("u{i}"), Kind::F64, true)));
    c.extend([
        ("welfare".into(), Kind::F64, false),
        ("pareto_optimal".into(), Kind::Bool, true),
        ("dist_frontier".into(), Kind::F64, true),
        ("dist_nash".into(), Kind::F64, true),
        ("dist_ks".into(), Kind::F64, true),
        ("dist_max_welfare".into(), Kind::F64, true),
    ]);
    for group in ["model_pearson", "model_ranking", "model_pareto"] {
        c.extend((0..k).map(|i| (format!("{group}{i}"), Kind::F64, true)));
    }
    debug_assert!(c.iter().map(|c| &c.0).eq(header(k).iter()));
    c
}

fn schema(k: usize) -> std::result::Result<Type, ParquetError> {
    let fields = columns(k)
        .into_iter()
        .map(|(name, kind, nullable)| {
            let (physical, logical) = match kind {
                Kind::U64 => (PhysicalType::INT64, Some(LogicalType::integer(64, false))),
                Kind::U32 => (PhysicalType::INT32, Some(LogicalType::integer(32, false))),
                Kind::F64 => (PhysicalType::DOUBLE, None),
                Kind::Bool => (PhysicalType::BOOLEAN, None),
                Kind::Str => (PhysicalType::BYTE_ARRAY, Some(LogicalType::String)),
            };
            let repetition = if nullable {
                Repetition::OPTIONAL
            } else {
                Repetition::REQUIRED
            };
            Type::primitive_type_builder(&name, physical)
                .with_repetition(repetition)
                .with_logical_type(logical)
                .build()
                .map(Arc::new)
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Type::group_type_builder("detente_results")
        .with_fields(fields)
        .build()
}

/// One column's values for the row group being filled.
struct Column<T> {
    values: Vec<T>,
    /// Definition levels (1 present, 0 null), for a nullable column.
    levels: Option<Vec<i16>>,
}

impl<T> Column<T> {
    fn new(nullable: bool) -> Self {
        Column {
            values: Vec::new(),
            levels: nullable.then(Vec::new),
        }
    }

    fn push(&mut self, value: Option<T>) {
        if let Some(levels) = &mut self.levels {
            levels.push(i16::from(value.is_some()));
        }
        // A required column is always given a value (see `Columns::push`).
        if let Some(v) = value {
            self.values.push(v);
        }
    }

    fn write<D: DataType<T = T>, W: std::io::Write + Send>(
        &mut self,
        group: &mut SerializedRowGroupWriter<'_, W>,
    ) -> std::result::Result<(), ParquetError> {
        let mut column = group
            .next_column()?
            .ok_or_else(|| ParquetError::General("the schema has too few columns".into()))?;
        column
            .typed::<D>()
            .write_batch(&self.values, self.levels.as_deref(), None)?;
        column.close()?;
        self.values.clear();
        if let Some(levels) = &mut self.levels {
            levels.clear();
        }
        Ok(())
    }
}

fn text(s: &str) -> ByteArray {
    ByteArray::from(s.as_bytes().to_vec())
}

fn non_empty(s: &str) -> Option<ByteArray> {
    (!s.is_empty()).then(|| text(s))
}

/// The columns of a row group, in schema order. Unsigned integers are stored in Parquet's
/// signed physical types bit for bit, as the UINT logical types prescribe.
struct Columns {
    index: Column<i64>,
    scenario: Column<ByteArray>,
    repetition: Column<i32>,
    seed: Column<i64>,
    negotiators: Vec<Column<ByteArray>>,
    termination: Column<ByteArray>,
    error_party: Column<i32>,
    error: Column<ByteArray>,
    rounds: Column<i32>,
    time: Column<f64>,
    agreement: Column<ByteArray>,
    utilities: Vec<Column<f64>>,
    welfare: Column<f64>,
    pareto_optimal: Column<bool>,
    dist_frontier: Column<f64>,
    dist_nash: Column<f64>,
    dist_ks: Column<f64>,
    dist_max_welfare: Column<f64>,
    /// The opponent-model groups: Pearson, ranking distance, Pareto distance, each per role.
    models: [Vec<Column<f64>>; 3],
}

impl Columns {
    fn new(k: usize) -> Self {
        Columns {
            index: Column::new(false),
            scenario: Column::new(false),
            repetition: Column::new(false),
            seed: Column::new(false),
            negotiators: (0..k).map(|_| Column::new(true)).collect(),
            termination: Column::new(false),
            error_party: Column::new(true),
            error: Column::new(true),
            rounds: Column::new(false),
            time: Column::new(false),
            agreement: Column::new(true),
            utilities: (0..k).map(|_| Column::new(true)).collect(),
            welfare: Column::new(false),
            pareto_optimal: Column::new(true),
            dist_frontier: Column::new(true),
            dist_nash: Column::new(true),
            dist_ks: Column::new(true),
            dist_max_welfare: Column::new(true),
            models: std::array::from_fn(|_| (0..k).map(|_| Column::new(true)).collect()),
        }
    }

    fn push(&mut self, row: &ResultRow) {
        self.index.push(Some(row.index as i64));
        self.scenario.push(Some(text(&row.scenario)));
        self.repetition.push(Some(row.repetition as i32));
        self.seed.push(Some(row.seed as i64));
        for (i, c) in self.negotiators.iter_mut().enumerate() {
            c.push(row.negotiators.get(i).map(|n| text(n)));
        }
        self.termination.push(Some(text(&row.termination)));
        self.error_party
            .push(row.error_party.map(|p| p as u32 as i32));
        self.error.push(non_empty(&row.error));
        self.rounds.push(Some(row.rounds as i32));
        self.time.push(Some(row.time));
        self.agreement.push(non_empty(&row.agreement));
        for (i, c) in self.utilities.iter_mut().enumerate() {
            c.push(row.utilities.get(i).copied());
        }
        self.welfare.push(Some(row.welfare));
        let q = row.quality.as_ref();
        self.pareto_optimal.push(q.map(|q| q.pareto_optimal));
        self.dist_frontier.push(q.map(|q| q.dist_frontier));
        self.dist_nash.push(q.and_then(|q| q.dist_nash));
        self.dist_ks.push(q.and_then(|q| q.dist_ks));
        self.dist_max_welfare.push(q.map(|q| q.dist_max_welfare));
        let model = |i: usize| row.models.get(i).and_then(Option::as_ref);
        let [pearson, ranking, pareto] = &mut self.models;
        for (i, c) in pearson.iter_mut().enumerate() {
            c.push(model(i).and_then(|m| m.pearson));
        }
        for (i, c) in ranking.iter_mut().enumerate() {
            c.push(model(i).map(|m| m.ranking_distance));
        }
        for (i, c) in pareto.iter_mut().enumerate() {
            c.push(model(i).map(|m| m.pareto_distance));
        }
    }

    fn write<W: std::io::Write + Send>(
        &mut self,
        g: &mut SerializedRowGroupWriter<'_, W>,
    ) -> std::result::Result<(), ParquetError> {
        self.index.write::<Int64Type, _>(g)?;
        self.scenario.write::<ByteArrayType, _>(g)?;
        self.repetition.write::<Int32Type, _>(g)?;
        self.seed.write::<Int64Type, _>(g)?;
        for c in &mut self.negotiators {
            c.write::<ByteArrayType, _>(g)?;
        }
        self.termination.write::<ByteArrayType, _>(g)?;
        self.error_party.write::<Int32Type, _>(g)?;
        self.error.write::<ByteArrayType, _>(g)?;
        self.rounds.write::<Int32Type, _>(g)?;
        self.time.write::<DoubleType, _>(g)?;
        self.agreement.write::<ByteArrayType, _>(g)?;
        for c in &mut self.utilities {
            c.write::<DoubleType, _>(g)?;
        }
        self.welfare.write::<DoubleType, _>(g)?;
        self.pareto_optimal.write::<BoolType, _>(g)?;
        self.dist_frontier.write::<DoubleType, _>(g)?;
        self.dist_nash.write::<DoubleType, _>(g)?;
        self.dist_ks.write::<DoubleType, _>(g)?;
        self.dist_max_welfare.write::<DoubleType, _>(g)?;
        for c in self.models.iter_mut().flatten() {
            c.write::<DoubleType, _>(g)?;
        }
        Ok(())
    }
}

/// Writes results rows to a Parquet file, one row group per [`ROW_GROUP_ROWS`] rows (or the
/// number given to [`ParquetWriter::with_row_group_rows`]). The file is written under the
/// name `PATH.partial` and renamed to `PATH` by [`ParquetWriter::finish`], so an interrupted
/// export never leaves a truncated file under the final name.
pub struct ParquetWriter {
    path: PathBuf,
    partial: PathBuf,
    writer: SerializedFileWriter<BufWriter<File>>,
    columns: Columns,
    k: usize,
    buffered: usize,
    group_rows: usize,
    rows: u64,
}

impl std::fmt::Debug for ParquetWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetWriter")
            .field("path", &self.path)
            .field("k", &self.k)
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

impl ParquetWriter {
    /// Starts a Parquet results file of width `k` (per-role columns) at `path`, with
    /// `metadata` as the file's key-value metadata. Values are Snappy-compressed.
    pub fn create(path: &Path, k: usize, metadata: Vec<(String, String)>) -> Result<Self> {
        let mut partial = path.as_os_str().to_owned();
        partial.push(".partial");
        let partial = PathBuf::from(partial);
        let fail = |e: ParquetError| parquet_error(&partial, e);
        let schema = Arc::new(schema(k).map_err(fail)?);
        let metadata: Vec<KeyValue> = metadata
            .into_iter()
            .map(|(k, v)| KeyValue::new(k, v))
            .collect();
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_key_value_metadata((!metadata.is_empty()).then_some(metadata))
            .build();
        let file = File::create(&partial).map_err(|e| io_error(&partial, e))?;
        let writer = SerializedFileWriter::new(
            BufWriter::with_capacity(1 << 16, file),
            schema,
            Arc::new(properties),
        )
        .map_err(fail)?;
        Ok(ParquetWriter {
            path: path.to_path_buf(),
            partial,
            writer,
            columns: Columns::new(k),
            k,
            buffered: 0,
            group_rows: ROW_GROUP_ROWS,
            rows: 0,
        })
    }

    /// Uses row groups of `rows` rows (at least 1) instead of [`ROW_GROUP_ROWS`].
    pub fn with_row_group_rows(mut self, rows: usize) -> Self {
        self.group_rows = rows.max(1);
        self
    }

    /// Adds a row. A row with more roles than the file's width is refused.
    pub fn write(&mut self, row: &ResultRow) -> Result<()> {
        if row.negotiators.len() > self.k || row.utilities.len() > self.k {
            return Err(FormatError::In {
                path: self.path.clone(),
                location: format!("row {}", row.index),
                message: format!(
                    "it has {} roles but the file has {} per-role columns",
                    row.negotiators.len().max(row.utilities.len()),
                    self.k
                ),
            });
        }
        self.columns.push(row);
        self.buffered += 1;
        self.rows += 1;
        if self.buffered >= self.group_rows {
            self.flush_group()?;
        }
        Ok(())
    }

    fn flush_group(&mut self) -> Result<()> {
        if self.buffered == 0 {
            return Ok(());
        }
        let fail = |e: ParquetError| parquet_error(&self.partial, e);
        let mut group = self.writer.next_row_group().map_err(fail)?;
        self.columns.write(&mut group).map_err(fail)?;
        group.close().map_err(fail)?;
        self.buffered = 0;
        Ok(())
    }

    /// Writes the last row group and the footer, and gives the file its final name.
    /// Returns the number of rows.
    pub fn finish(mut self) -> Result<u64> {
        self.flush_group()?;
        let partial = self.partial.clone();
        let fail = |e: ParquetError| parquet_error(&partial, e);
        let file = self.writer.into_inner().map_err(fail)?;
        let file = file
            .into_inner()
            .map_err(|e| io_error(&partial, e.into_error()))?;
        file.sync_all().map_err(|e| io_error(&partial, e))?;
        drop(file);
        std::fs::rename(&partial, &self.path).map_err(|e| io_error(&self.path, e))?;
        Ok(self.rows)
    }
}

fn io_error(path: &Path, source: std::io::Error) -> FormatError {
    FormatError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn parquet_error(path: &Path, e: ParquetError) -> FormatError {
    match e {
        ParquetError::External(inner) => match inner.downcast::<std::io::Error>() {
            Ok(io) => io_error(path, *io),
            Err(other) => io_error(path, std::io::Error::other(other)),
        },
        other => io_error(path, std::io::Error::other(other)),
    }
}

/// Converts a results CSV file into a Parquet file in one streaming pass (see
/// [`ParquetWriter`]). Returns the number of rows.
pub fn results_to_parquet(
    csv: &Path,
    parquet: &Path,
    metadata: Vec<(String, String)>,
) -> Result<u64> {
    let mut reader = RowReader::open(csv)?;
    let mut writer = ParquetWriter::create(parquet, reader.width(), metadata)?;
    let written = (|| {
        while let Some(row) = reader.next_row()? {
            writer.write(&row)?;
        }
        Ok(())
    })();
    match written {
        Ok(()) => writer.finish(),
        Err(e) => {
            let partial = writer.partial.clone();
            drop(writer);
            let _ = std::fs::remove_file(partial);
            Err(e)
        }
    }
}

/// Converts the `results.csv` of a tournament output folder `dir` into the Parquet file
/// `to` (normally `dir/results.parquet`,
/// [`files::RESULTS_PARQUET`](crate::tournament::files::RESULTS_PARQUET)), with the folder's
/// manifest in the file's metadata (key [`MANIFEST_KEY`]). Returns the number of rows.
pub fn export_parquet(dir: &Path, to: &Path) -> Result<u64> {
    let folder = ResultsFolder::new(dir);
    let manifest = folder.read_manifest()?;
    results_to_parquet(
        &folder.results_path(),
        to,
        vec![(MANIFEST_KEY.to_string(), manifest.to_compact_json())],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_has_the_csv_columns_in_order() {
        for k in [2, 3, 5] {
            let s = schema(k).unwrap();
            let names: Vec<&str> = s.get_fields().iter().map(|f| f.name()).collect();
            assert_eq!(names, header(k));
        }
    }
}
