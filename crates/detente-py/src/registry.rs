//! The negotiator kinds a run can use, from Python: `detente.Registry` wraps
//! `detente_negotiators::Registry`, and registering a Python factory under a kind name makes
//! it usable wherever a built-in kind is (specs such as `my-kind:x=0.5` in runs, tournament
//! plans and sweeps). The process-wide default registry (`detente.registry()`) is the one every
//! function uses unless given another.

use std::collections::BTreeSet;
use std::sync::Mutex;

use detente_negotiators::{Exponent, KindEntry, ParamInfo, Registry};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyTuple};

use crate::errors::{OrInput, input_error};
use crate::negotiator::from_factory;

/// Negotiator kinds (built-in and registered from Python) and mediator strategies. A value:
/// `copy()` gives an independent one.
#[pyclass(name = "Registry", module = "detente", frozen)]
pub struct PyRegistry {
    inner: Mutex<Kinds>,
}

/// A registry's kinds, and which of them call Python.
#[derive(Clone)]
pub struct Kinds {
    /// The kinds and mediator strategies.
    pub registry: Registry,
    /// The kinds registered from Python.
    pub python: BTreeSet<String>,
}

impl Kinds {
    fn of(registry: Registry) -> Self {
        Kinds {
            registry,
            python: BTreeSet::new(),
        }
    }

    /// Whether negotiators of `kind` run Python code.
    pub fn is_python(&self, kind: &str) -> bool {
        self.python.contains(kind)
    }

    /// Registers a Python factory under `name` (see `Registry.register`).
    pub fn register_python(&mut self, entry: KindEntry) -> PyResult<()> {
        let name = entry.name.clone();
        self.registry.register(entry).or_input()?;
        self.python.insert(name);
        Ok(())
    }
}

static DEFAULT: PyOnceLock<Py<PyRegistry>> = PyOnceLock::new();

/// The process-wide default registry (the built-in kinds until something is registered).
pub fn default_registry(py: Python<'_>) -> PyResult<&Py<PyRegistry>> {
    DEFAULT.get_or_try_init(py, || {
        Py::new(
            py,
            PyRegistry {
                inner: Mutex::new(Kinds::of(Registry::builtin())),
            },
        )
    })
}

impl PyRegistry {
    /// A snapshot of the kinds.
    pub fn get(&self) -> Kinds {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn with<T>(&self, f: impl FnOnce(&mut Kinds) -> T) -> T {
        let mut g = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut g)
    }
}

/// The registry an argument names: the given one, or the default.
pub fn registry_arg(py: Python<'_>, registry: Option<&Bound<'_, PyRegistry>>) -> PyResult<Kinds> {
    Ok(match registry {
        Some(r) => r.get().get(),
        None => default_registry(py)?.get().get(),
    })
}

/// One parameter from Python: a default value; a tuple `(default, min, max[, meaning])`; or an
/// object with attributes `default`, `min`, `max`, `meaning` (`detente.Param`).
fn param_info(name: &str, spec: &Bound<'_, PyAny>) -> PyResult<ParamInfo> {
    let any = |default: f64| ParamInfo::new(name, default, f64::NEG_INFINITY, f64::INFINITY, "");
    if let Ok(default) = spec.extract::<f64>() {
        return Ok(any(default));
    }
    if let Ok(t) = spec.cast::<PyTuple>() {
        let v: Vec<Bound<'_, PyAny>> = t.iter().collect();
        if (3..=4).contains(&v.len()) {
            let meaning = match v.get(3) {
                Some(m) => m.extract::<String>()?,
                None => String::new(),
            };
            return Ok(ParamInfo::new(
                name,
                v[0].extract()?,
                v[1].extract()?,
                v[2].extract()?,
                meaning,
            ));
        }
    }
    if spec.hasattr("default")? {
        let get = |attr: &str, or: f64| -> PyResult<f64> {
            match spec.getattr(attr) {
                Ok(x) if !x.is_none() => x.extract(),
                _ => Ok(or),
            }
        };
        let meaning = match spec.getattr("meaning") {
            Ok(m) if !m.is_none() => m.extract::<String>()?,
            _ => String::new(),
        };
        return Ok(ParamInfo::new(
            name,
            get("default", 0.0)?,
            get("min", f64::NEG_INFINITY)?,
            get("max", f64::INFINITY)?,
            meaning,
        ));
    }
    Err(PyTypeError::new_err(format!(
        "parameter `{name}`: give a default value, a tuple (default, min, max[, meaning]) or a \
         detente.Param"
    )))
}

#[pymethods]
impl PyRegistry {
    /// A registry with the built-in kinds (`builtin=True`, the default) or none.
    #[new]
    #[pyo3(signature = (builtin = true))]
    fn new(builtin: bool) -> Self {
        PyRegistry {
            inner: Mutex::new(Kinds::of(if builtin {
                Registry::builtin()
            } else {
                Registry::new()
            })),
        }
    }

    /// An independent copy.
    fn copy(&self) -> Self {
        PyRegistry {
            inner: Mutex::new(self.get()),
        }
    }

    /// Registers a kind: `factory(**params)` makes a fresh negotiator (an object with `init`
    /// and `act`, e.g. a `detente.Negotiator` subclass) for each negotiation. `params` maps
    /// parameter names to a default, a tuple `(default, min, max[, meaning])` or a
    /// `detente.Param`; specs may then set them (`"my-kind:x=0.5"`). `exponent` names the
    /// parameter that is a time-based concession exponent (sweeps vary it). Returns `factory`.
    #[pyo3(signature = (name, factory, *, params = None, summary = "", source = None, exponent = None))]
    fn register<'py>(
        &self,
        name: &str,
        factory: Bound<'py, PyAny>,
        params: Option<&Bound<'py, PyDict>>,
        summary: &str,
        source: Option<&str>,
        exponent: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if !factory.is_callable() {
            return Err(PyTypeError::new_err(
                "factory must be callable: a negotiator class or a function returning a negotiator",
            ));
        }
        let mut entry = python_kind(name, summary, &factory);
        if let Some(params) = params {
            for (k, v) in params.iter() {
                let key: String = k.extract()?;
                entry = entry.param(param_info(&key, &v)?);
            }
        }
        if let Some(s) = source {
            entry = entry.source(s);
        }
        if let Some(e) = exponent {
            entry = entry.exponent(Exponent::Param(e.to_string()));
        }
        self.with(|k| k.register_python(entry))?;
        Ok(factory)
    }

    /// The kinds, in order: dicts with `name`, `summary`, `source` and `params` (each a dict
    /// with `name`, `default`, `min`, `max`, `meaning`).
    fn kinds<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let r = self.get().registry;
        let items = r
            .list()
            .iter()
            .map(|k| {
                let d = PyDict::new(py);
                d.set_item("name", &k.name)?;
                d.set_item("summary", &k.summary)?;
                d.set_item("source", k.source.as_deref())?;
                let params = k
                    .params
                    .iter()
                    .map(|p| {
                        let pd = PyDict::new(py);
                        pd.set_item("name", &p.name)?;
                        pd.set_item("default", p.default)?;
                        pd.set_item("min", p.min)?;
                        pd.set_item("max", p.max)?;
                        pd.set_item("meaning", &p.meaning)?;
                        Ok(pd)
                    })
                    .collect::<PyResult<Vec<_>>>()?;
                d.set_item("params", params)?;
                Ok(d)
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// Checks a spec (`KIND[:NAME=VALUE,...]`) and returns it in its normal form; raises
    /// `InputError` with the command line's message when it is not valid.
    fn parse(&self, spec: &str) -> PyResult<String> {
        Ok(self.get().registry.parse_spec(spec).or_input()?.to_string())
    }

    /// The mediator strategies of mediated talks.
    fn mediators(&self) -> Vec<String> {
        self.get()
            .registry
            .mediators()
            .names()
            .map(String::from)
            .collect()
    }

    fn __contains__(&self, kind: &str) -> bool {
        self.get().registry.get(kind).is_some()
    }

    fn __repr__(&self) -> String {
        let r = self.get().registry;
        let names: Vec<&str> = r.list().iter().map(|k| k.name.as_str()).collect();
        format!("<detente.Registry: {}>", names.join(", "))
    }
}

/// `detente.registry()`: the default registry, which every function uses unless given one.
#[pyfunction]
pub fn registry(py: Python<'_>) -> PyResult<Py<PyRegistry>> {
    Ok(default_registry(py)?.clone_ref(py))
}

/// Checks that `kind` is a name a spec can carry (for kinds made up from display names).
pub fn kind_name(name: &str) -> PyResult<String> {
    let kind: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if kind.is_empty() {
        return Err(input_error("a negotiator name must not be empty"));
    }
    Ok(kind)
}

/// A kind whose negotiators `factory(**params)` makes.
pub fn python_kind(name: &str, summary: &str, factory: &Bound<'_, PyAny>) -> KindEntry {
    let shared = factory.clone().unbind();
    KindEntry::new(name, summary, move |p| {
        let values: Vec<(&str, f64)> = p.iter().collect();
        from_factory(&shared, &values)
    })
}
