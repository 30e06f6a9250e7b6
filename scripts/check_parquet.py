"""Checks that pandas and polars read a tournament's results.parquet as the rows of its
results.csv, with the documented column types (docs/tournaments.md).

    python scripts/check_parquet.py OUT_DIR [OUT_DIR...]

Each folder must hold results.csv and results.parquet. Exits non-zero on any difference.
"""

import csv
import math
import sys
from pathlib import Path

import pandas as pd
import polars as pl

UINT64 = {"index", "seed"}
UINT32 = {"repetition", "rounds", "error_party"}
BOOL = {"pareto_optimal"}
STRING = {"scenario", "termination", "error", "agreement"}


def kind(column):
    if column in UINT64:
        return "u64"
    if column in UINT32:
        return "u32"
    if column in BOOL:
        return "bool"
    if column in STRING or (column[0] == "n" and column[1:].isdigit()):
        return "str"
    return "f64"


POLARS_TYPES = {
    "u64": pl.UInt64,
    "u32": pl.UInt32,
    "bool": pl.Boolean,
    "str": pl.String,
    "f64": pl.Float64,
}


def expected(cell, k):
    """The value a CSV cell stands for (None for an empty cell)."""
    if cell == "":
        return None
    if k in ("u64", "u32"):
        return int(cell)
    if k == "bool":
        return {"true": True, "false": False}[cell]
    if k == "f64":
        return float(cell)
    return cell


def same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


def check(folder):
    folder = Path(folder)
    with open(folder / "results.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    kinds = [kind(c) for c in header]
    problems = []

    frame = pl.read_parquet(folder / "results.parquet")
    if frame.columns != header:
        problems.append(f"polars columns {frame.columns} != CSV header {header}")
    for c, k in zip(header, kinds):
        if frame.schema.get(c) != POLARS_TYPES[k]:
            problems.append(f"polars: column {c} is {frame.schema.get(c)}, expected {POLARS_TYPES[k]}")
    if frame.height != len(rows):
        problems.append(f"polars: {frame.height} rows, the CSV has {len(rows)}")
    for i, got in enumerate(frame.iter_rows()):
        if i >= len(rows):
            break
        for c, k, cell, value in zip(header, kinds, rows[i], got):
            want = expected(cell, k)
            if not same(want, value):
                problems.append(f"polars: row {i}, column {c}: {value!r} != CSV {cell!r}")

    pdf = pd.read_parquet(folder / "results.parquet")
    if list(pdf.columns) != header:
        problems.append(f"pandas columns {list(pdf.columns)} != CSV header")
    if len(pdf) != len(rows):
        problems.append(f"pandas: {len(pdf)} rows, the CSV has {len(rows)}")
    for c, dtype in [("index", "uint64"), ("seed", "uint64"), ("rounds", "uint32"), ("time", "float64")]:
        if str(pdf[c].dtype) != dtype:
            problems.append(f"pandas: column {c} is {pdf[c].dtype}, expected {dtype}")
    for c, k in zip(header, kinds):
        j = header.index(c)
        for i, value in enumerate(pdf[c].tolist()):
            want = expected(rows[i][j], k)
            if want is None:
                if not (value is None or (isinstance(value, float) and math.isnan(value))):
                    problems.append(f"pandas: row {i}, column {c}: {value!r}, expected a null")
            elif not same(type(want)(value), want):
                problems.append(f"pandas: row {i}, column {c}: {value!r} != CSV {rows[i][j]!r}")

    for p in problems[:20]:
        print(f"{folder}: {p}", file=sys.stderr)
    print(f"{folder}: {len(rows)} rows x {len(header)} columns: "
          f"{'OK' if not problems else f'{len(problems)} problems'}")
    return not problems


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    ok = all([check(d) for d in sys.argv[1:]])
    sys.exit(0 if ok else 1)
