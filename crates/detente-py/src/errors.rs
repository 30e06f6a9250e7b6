//! How failures reach Python: the exception classes of `detente._errors` (defined in Python so
//! that `InputError` is also a `ValueError` and `MissingFileError` also a `FileNotFoundError`),
//! raised with the command line's messages; and [`guard`], which turns a panic inside the
//! engine into a `DetenteError` instead of letting it cross into the interpreter.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

/// The exception classes, looked up once.
struct Classes {
    detente: Py<PyType>,
    input: Py<PyType>,
    missing: Py<PyType>,
}

static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();

fn classes(py: Python<'_>) -> PyResult<&Classes> {
    CLASSES.get_or_try_init(py, || {
        let m = py.import("detente._errors")?;
        let get = |name: &str| -> PyResult<Py<PyType>> {
            Ok(m.getattr(name)?.cast_into::<PyType>()?.unbind())
        };
        Ok(Classes {
            detente: get("DetenteError")?,
            input: get("InputError")?,
            missing: get("MissingFileError")?,
        })
    })
}

fn raise(py: Python<'_>, pick: fn(&Classes) -> &Py<PyType>, message: String) -> PyErr {
    match classes(py) {
        Ok(c) => PyErr::from_type(pick(c).bind(py).clone(), message),
        Err(e) => e,
    }
}

/// Bad input (exit code 2 on the command line), with the command line's message.
pub fn input_error(message: impl std::fmt::Display) -> PyErr {
    let message = message.to_string();
    Python::attach(|py| raise(py, |c| &c.input, message))
}

/// Anything else that went wrong (exit code 1 on the command line: writing a file failed).
pub fn detente_error(message: impl std::fmt::Display) -> PyErr {
    let message = message.to_string();
    Python::attach(|py| raise(py, |c| &c.detente, message))
}

/// A path that does not exist: `PATH: no such file or folder`, as the command line says it.
pub fn missing(path: &Path, what: &str) -> PyErr {
    let message = format!("{}: no such {what}", path.display());
    Python::attach(|py| raise(py, |c| &c.missing, message))
}

/// Fails with [`missing`] unless every path exists.
pub fn require_exists(paths: &[std::path::PathBuf], what: &str) -> PyResult<()> {
    match paths.iter().find(|p| !p.exists()) {
        Some(p) => Err(missing(p, what)),
        None => Ok(()),
    }
}

/// Runs `f`, turning a panic (a bug in detente, never a user's negotiator: those are recorded
/// as faults by the engine) into a `DetenteError` instead of an interpreter-level
/// `PanicException`.
pub fn guard<T>(f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(detente_error(format!(
                "internal error (a bug in detente, please report it): {message}"
            )))
        }
    }
}

/// Maps any displayable error to an [`input_error`].
pub trait OrInput<T> {
    /// The result, with its error as an `InputError`.
    fn or_input(self) -> PyResult<T>;
}

impl<T, E: std::fmt::Display> OrInput<T> for Result<T, E> {
    fn or_input(self) -> PyResult<T> {
        self.map_err(input_error)
    }
}
