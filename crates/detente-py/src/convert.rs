//! Conversions between detente's data and Python objects: JSON documents to dicts and lists,
//! outcomes to tuples of value indices or dicts of issue values and back, and arrays of
//! numbers to NumPy arrays without going through Python floats one by one.

use detente_core::{Issue, IssueKind, Outcome, OutcomeSpace, Value};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyDict, PyFloat, PyList, PyString, PyTuple};

/// A JSON value as plain Python objects (dict, list, str, int, float, bool, None).
pub fn json_to_py<'py>(py: Python<'py>, v: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value as J;
    Ok(match v {
        J::Null => py.None().into_bound(py),
        J::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        J::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any(),
        },
        J::String(s) => PyString::new(py, s).into_any(),
        J::Array(a) => {
            let items = a
                .iter()
                .map(|x| json_to_py(py, x))
                .collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any()
        }
        J::Object(o) => {
            let d = PyDict::new(py);
            for (k, x) in o {
                d.set_item(k, json_to_py(py, x)?)?;
            }
            d.into_any()
        }
    })
}

/// A serialisable document as plain Python objects.
pub fn doc_to_py<'py>(py: Python<'py>, doc: &impl serde::Serialize) -> PyResult<Bound<'py, PyAny>> {
    let value = serde_json::to_value(doc)
        .map_err(|e| crate::errors::detente_error(format!("internal error: {e}")))?;
    json_to_py(py, &value)
}

/// A value of an issue as a Python object: `str` for a discrete issue, `int` for an integer
/// issue, `float` for a real one.
pub fn value_to_py<'py>(py: Python<'py>, v: Value<'_>) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Discrete(s) => PyString::new(py, s).into_any(),
        Value::Integer(i) => i.into_pyobject(py)?.into_any(),
        Value::Real(x) => PyFloat::new(py, x).into_any(),
    })
}

/// An outcome as a tuple of value indices.
pub fn outcome_to_py<'py>(py: Python<'py>, o: &Outcome) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, o.0.iter().copied())
}

/// An outcome as a dict from issue name to value.
pub fn outcome_to_dict<'py>(
    py: Python<'py>,
    space: &OutcomeSpace,
    o: &Outcome,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (issue, &v) in space.issues().iter().zip(&o.0) {
        match issue.value(v) {
            Some(value) => d.set_item(&issue.name, value_to_py(py, value)?)?,
            None => d.set_item(&issue.name, py.None())?,
        }
    }
    Ok(d)
}

/// The index of `value` among `issue`'s values: a name for a discrete issue, an integer for an
/// integer issue, a discretisation point for a real issue.
pub fn value_index(issue: &Issue, value: &Bound<'_, PyAny>) -> PyResult<u32> {
    let bad = |what: String| {
        PyValueError::new_err(format!("{what} is not a value of issue `{}`", issue.name))
    };
    match &issue.kind {
        IssueKind::Discrete { .. } => {
            let name: String = value.extract().map_err(|_| {
                PyTypeError::new_err(format!(
                    "issue `{}` is discrete: give its value as a str, not {}",
                    issue.name,
                    type_name(value)
                ))
            })?;
            issue
                .index_of_name(&name)
                .ok_or_else(|| bad(format!("`{name}`")))
        }
        IssueKind::Integer { .. } | IssueKind::Real { .. } => {
            let x: f64 = value.extract().map_err(|_| {
                PyTypeError::new_err(format!(
                    "issue `{}` is numeric: give its value as a number, not {}",
                    issue.name,
                    type_name(value)
                ))
            })?;
            // `nearest_index` clamps to the range: keep only a value that is really there.
            issue
                .nearest_index(x, true)
                .filter(|&i| {
                    issue
                        .numeric_value(i)
                        .is_some_and(|v| (v - x).abs() <= 1e-9 * x.abs().max(1.0))
                })
                .ok_or_else(|| bad(format!("{x}")))
        }
    }
}

/// The name of a Python object's type, for messages.
pub fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map_or_else(|_| "?".to_string(), |n| n.to_string())
}

/// An outcome from Python: a sequence of value indices (one per issue), or a dict from issue
/// name to value (every issue once). The result has one value in range per issue; whether the
/// constraints allow it is the caller's question.
pub fn outcome_from_py(space: &OutcomeSpace, obj: &Bound<'_, PyAny>) -> PyResult<Outcome> {
    let issues = space.issues();
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut values: Vec<Option<u32>> = vec![None; issues.len()];
        for (k, v) in d.iter() {
            let name: String = k.extract()?;
            let i = space
                .issue_index(&name)
                .ok_or_else(|| PyValueError::new_err(format!("there is no issue `{name}`")))?;
            values[i] = Some(value_index(&issues[i], &v)?);
        }
        let mut out = Vec::with_capacity(issues.len());
        for (v, issue) in values.into_iter().zip(issues) {
            out.push(v.ok_or_else(|| {
                PyValueError::new_err(format!("issue `{}` has no value", issue.name))
            })?);
        }
        return Ok(Outcome(out));
    }
    if obj.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "an outcome is a sequence of value indices or a dict of issue values, not a str",
        ));
    }
    let indices: Vec<u32> = obj.extract().map_err(|_| {
        PyTypeError::new_err(format!(
            "an outcome is a sequence of value indices (one int per issue) or a dict from issue \
             name to value, not {}",
            type_name(obj)
        ))
    })?;
    if indices.len() != issues.len() {
        return Err(PyValueError::new_err(format!(
            "an outcome has one value index per issue: {} given for {} issues",
            indices.len(),
            issues.len()
        )));
    }
    for (&v, issue) in indices.iter().zip(issues) {
        if u64::from(v) >= issue.cardinality() {
            return Err(PyValueError::new_err(format!(
                "value index {v} is out of range for issue `{}` ({} values)",
                issue.name,
                issue.cardinality()
            )));
        }
    }
    Ok(Outcome(indices))
}

/// Numbers as a NumPy `float64` array (filled without creating a Python float per number),
/// reshaped to `shape`.
pub fn numpy_f64<'py>(
    py: Python<'py>,
    values: &[f64],
    shape: &[usize],
) -> PyResult<Bound<'py, PyAny>> {
    let bytes = PyByteArray::new_with(py, std::mem::size_of_val(values), |buf| {
        for (chunk, v) in buf.chunks_exact_mut(8).zip(values) {
            chunk.copy_from_slice(&v.to_ne_bytes());
        }
        Ok(())
    })?;
    let np = py.import("numpy")?;
    let array = np.call_method1("frombuffer", (bytes, "float64"))?;
    array.call_method1("reshape", (PyTuple::new(py, shape)?,))
}

/// Bytes as a NumPy array of `dtype` (e.g. `bool`), without a copy through Python objects.
pub fn numpy_bytes<'py>(py: Python<'py>, bytes: &[u8], dtype: &str) -> PyResult<Bound<'py, PyAny>> {
    let bytes = PyByteArray::new(py, bytes);
    py.import("numpy")?
        .call_method1("frombuffer", (bytes, dtype))
}

/// Integers as a NumPy array of `dtype` (`int64` or `uint64`), filled like [`numpy_f64`].
pub fn numpy_i64<'py>(py: Python<'py>, values: &[i64], dtype: &str) -> PyResult<Bound<'py, PyAny>> {
    let bytes = PyByteArray::new_with(py, std::mem::size_of_val(values), |buf| {
        for (chunk, v) in buf.chunks_exact_mut(8).zip(values) {
            chunk.copy_from_slice(&v.to_ne_bytes());
        }
        Ok(())
    })?;
    py.import("numpy")?
        .call_method1("frombuffer", (bytes, dtype))
}
