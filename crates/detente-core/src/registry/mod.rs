//! Open registries: named kinds of pluggable behaviour (negotiators, mediator strategies, the
//! components of a BOA negotiator), each entry holding its parameters and its constructor, so
//! that a kind a user registers works wherever a built-in one does.
//!
//! A [`Spec`] names a kind and gives its parameters: numbers (`boulware`, `time-based:e=0.5`)
//! and components, kinds of another registry with parameters of their own
//! (`boa:offer=time-dependent(e=0.2),model=smith-frequency`; the text form is described in
//! `text.rs` and `docs/scenario-format.md`). A [`Registry`] checks a spec against the kind's
//! [`ParamInfo`]s and [`ComponentParam`]s, fills in defaults and calls the constructor. Specs
//! are plain data (scenario files and plans hold them); registries are values the caller
//! passes down (cheap to clone, shareable across threads).

mod entry;
mod error;
mod text;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

pub use entry::{ComponentParam, Constructor, Entry, ParamInfo, ParamRange, Params};
pub use error::{RegisterError, SpecError};

/// Which kind, with what parameters: plain data, resolved by a [`Registry`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Spec {
    /// The kind's name, as the registry knows it (e.g. `boulware`, `informed`).
    pub kind: String,
    /// Numeric parameters by name.
    pub params: BTreeMap<String, f64>,
    /// Parameters that name a component of another registry, by name (e.g. `model` of a BOA
    /// negotiator: `smith-frequency`).
    pub components: BTreeMap<String, Spec>,
}

impl Spec {
    /// A spec with no parameters.
    pub fn new(kind: impl Into<String>) -> Self {
        Spec {
            kind: kind.into(),
            ..Spec::default()
        }
    }

    /// Adds a numeric parameter.
    pub fn with(mut self, name: impl Into<String>, value: f64) -> Self {
        self.params.insert(name.into(), value);
        self
    }

    /// Adds a component parameter.
    pub fn with_component(mut self, name: impl Into<String>, component: Spec) -> Self {
        self.components.insert(name.into(), component);
        self
    }

    /// Whether it gives no parameter at all.
    pub fn is_bare(&self) -> bool {
        self.params.is_empty() && self.components.is_empty()
    }

    /// Reads the text form of one spec (`KIND`, `KIND:NAME=VALUE,...` or
    /// `KIND(NAME=VALUE,...)`) without a registry; `noun` names what it is in messages (the
    /// value of a component parameter in a file, read before the registry is known).
    pub fn parse(noun: &'static str, text: &str) -> Result<Spec, SpecError> {
        text::parse_spec_text(text::Context {
            noun,
            example: "`KIND` or `KIND(NAME=VALUE,...)`",
            text,
        })
    }
}

/// A registry seen from a component parameter: what it holds and whether a spec names one of
/// its kinds with valid parameters. Every [`Registry`] is one.
pub trait ComponentKinds: Send + Sync {
    /// What the registry holds, as messages name it (`opponent model`).
    fn noun(&self) -> &'static str;
    /// Checks a spec against the registry.
    fn validate(&self, spec: &Spec) -> Result<(), SpecError>;
    /// The kinds' names, in registration order.
    fn kind_names(&self) -> Vec<String>;
}

impl<T: ?Sized + 'static> ComponentKinds for Registry<T> {
    fn noun(&self) -> &'static str {
        self.noun
    }

    fn validate(&self, spec: &Spec) -> Result<(), SpecError> {
        Registry::validate(self, spec)
    }

    fn kind_names(&self) -> Vec<String> {
        self.names().map(str::to_string).collect()
    }
}

/// Named kinds of `T` (e.g. `dyn Negotiator`), in the order they were registered.
pub struct Registry<T: ?Sized> {
    noun: &'static str,
    example: Option<String>,
    entries: Arc<Vec<Entry<T>>>,
}

impl<T: ?Sized> Clone for Registry<T> {
    fn clone(&self) -> Self {
        Registry {
            noun: self.noun,
            example: self.example.clone(),
            entries: Arc::clone(&self.entries),
        }
    }
}

impl<T: ?Sized> fmt::Debug for Registry<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry")
            .field("noun", &self.noun)
            .field("kinds", &self.names().collect::<Vec<_>>())
            .finish()
    }
}

impl<T: ?Sized> Registry<T> {
    /// An empty registry of things called `noun` in messages (`negotiator`, `mediator`).
    pub fn new(noun: &'static str) -> Self {
        Registry {
            noun,
            example: None,
            entries: Arc::new(Vec::new()),
        }
    }

    /// Sets the examples a malformed spec's message gives (e.g. `` `boulware` or
    /// `time-based:e=0.5` ``); by default, the first kind and the first kind with a parameter.
    pub fn with_example(mut self, example: impl Into<String>) -> Self {
        self.example = Some(example.into());
        self
    }

    /// What the registry holds, as messages name it.
    pub fn noun(&self) -> &'static str {
        self.noun
    }

    /// Adds a kind after those already known. Refuses a name already registered, and an entry
    /// a spec could not use ([`Entry::problem`]).
    pub fn register(&mut self, entry: Entry<T>) -> Result<(), RegisterError> {
        if self.get(&entry.name).is_some() {
            return Err(RegisterError::DuplicateKind {
                noun: self.noun,
                kind: entry.name,
            });
        }
        if let Some(problem) = entry.problem() {
            return Err(RegisterError::InvalidEntry {
                noun: self.noun,
                kind: entry.name,
                problem,
            });
        }
        Arc::make_mut(&mut self.entries).push(entry);
        Ok(())
    }

    /// Puts `entry` in place of the kind of the same name (keeping its place in the order), or
    /// adds it when the name is new. Refuses an entry a spec could not use.
    pub fn replace(&mut self, entry: Entry<T>) -> Result<(), RegisterError> {
        if let Some(problem) = entry.problem() {
            return Err(RegisterError::InvalidEntry {
                noun: self.noun,
                kind: entry.name,
                problem,
            });
        }
        let entries = Arc::make_mut(&mut self.entries);
        match entries.iter().position(|e| e.name == entry.name) {
            Some(i) => entries[i] = entry,
            None => entries.push(entry),
        }
        Ok(())
    }

    /// Adds a kind, builder style.
    ///
    /// # Panics
    /// When the name is taken (for registries built in code, where that is a bug).
    pub fn with(mut self, entry: Entry<T>) -> Self {
        let name = entry.name.clone();
        if let Err(e) = self.register(entry) {
            panic!("cannot register `{name}`: {e}");
        }
        self
    }

    /// The entry of a kind.
    pub fn get(&self, kind: &str) -> Option<&Entry<T>> {
        self.entries.iter().find(|e| e.name == kind)
    }

    /// Every kind, in registration order.
    pub fn list(&self) -> &[Entry<T>] {
        &self.entries
    }

    /// The kinds' names, in registration order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.name.as_str())
    }

    /// Checks a spec and returns its entry and every parameter (given, or defaulted).
    pub fn resolve(&self, spec: &Spec) -> Result<(&Entry<T>, Params<'_>), SpecError> {
        let entry = self.get(&spec.kind).ok_or_else(|| SpecError::UnknownKind {
            noun: self.noun,
            kind: spec.kind.clone(),
            known: self.names().map(str::to_string).collect(),
        })?;
        self.check_names(entry, spec)?;
        let mut values = Vec::with_capacity(entry.params.len());
        for p in &entry.params {
            let v = spec.params.get(&p.name).copied().unwrap_or(p.default);
            if !p.allows(v) {
                return Err(SpecError::OutOfRange {
                    noun: self.noun,
                    kind: spec.kind.clone(),
                    param: p.name.clone(),
                    value: v,
                    range: p.range(),
                });
            }
            values.push(v);
        }
        let mut components = Vec::with_capacity(entry.components.len());
        for c in &entry.components {
            let given = spec.components.get(&c.name).unwrap_or(&c.default);
            c.kinds
                .validate(given)
                .map_err(|e| SpecError::InComponent {
                    noun: self.noun,
                    kind: spec.kind.clone(),
                    param: c.name.clone(),
                    source: Box::new(e),
                })?;
            components.push(given.clone());
        }
        let params = Params {
            kind: &entry.name,
            params: &entry.params,
            values,
            component_params: &entry.components,
            components,
        };
        Ok((entry, params))
    }

    /// Checks that every parameter a spec gives is one of the kind's, of the right sort (a
    /// number for a numeric parameter, a component for a component parameter).
    fn check_names(&self, entry: &Entry<T>, spec: &Spec) -> Result<(), SpecError> {
        let unknown = |name: &String| SpecError::UnknownParam {
            noun: self.noun,
            kind: spec.kind.clone(),
            param: name.clone(),
            known: entry.param_names(),
        };
        for (name, value) in &spec.params {
            if entry.param_info(name).is_some() {
                continue;
            }
            return Err(match entry.component_info(name) {
                Some(c) => SpecError::NotAComponent {
                    noun: self.noun,
                    kind: spec.kind.clone(),
                    param: name.clone(),
                    expected: c.kinds.noun(),
                    value: *value,
                },
                None => unknown(name),
            });
        }
        for (name, component) in &spec.components {
            if entry.component_info(name).is_some() {
                continue;
            }
            return Err(match entry.param_info(name) {
                Some(_) => SpecError::NotANumber {
                    noun: self.noun,
                    kind: spec.kind.clone(),
                    param: name.clone(),
                    value: component.to_string(),
                },
                None => unknown(name),
            });
        }
        Ok(())
    }

    /// Checks that a spec names a known kind with known parameters in range.
    pub fn validate(&self, spec: &Spec) -> Result<(), SpecError> {
        self.resolve(spec).map(|_| ())
    }

    /// Makes what a spec describes.
    pub fn create(&self, spec: &Spec) -> Result<Box<T>, SpecError> {
        let (entry, params) = self.resolve(spec)?;
        Ok(entry.make(&params))
    }

    /// Parses the syntax `KIND[:NAME=VALUE[,NAME=VALUE]...]` (e.g. `boulware`,
    /// `time-based:e=0.5`; a component parameter's value is `KIND[(NAME=VALUE,...)]`, as in
    /// `boa:model=smith-frequency,offer=time-dependent(e=0.2)`; spaces around the parts are
    /// ignored) and checks the result against the registry. [`Spec`]'s `Display` writes this syntax, so `parse_spec(&spec.to_string())`
    /// gives `spec` back.
    pub fn parse_spec(&self, text: &str) -> Result<Spec, SpecError> {
        let spec = self.parse_syntax(text)?;
        self.validate(&spec)?;
        Ok(spec)
    }

    /// Reads the text form of a spec without checking it against the registry's kinds (for
    /// files read before the registry a run will use is known; [`validate`](Self::validate)
    /// checks the spec then).
    pub fn parse_syntax(&self, text: &str) -> Result<Spec, SpecError> {
        text::parse_spec_text(text::Context {
            noun: self.noun,
            example: &self.example(),
            text,
        })
    }

    /// Examples of specs for messages.
    fn example(&self) -> String {
        if let Some(example) = &self.example {
            return example.clone();
        }
        let first = self.entries.first().map_or("KIND", |e| e.name.as_str());
        match self.entries.iter().find(|e| !e.params.is_empty()) {
            Some(e) => format!(
                "`{first}` or `{}:{}={}`",
                e.name, e.params[0].name, e.params[0].default
            ),
            None => format!("`{first}`"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    trait Shape: Send {
        fn area(&self) -> f64;
    }
    struct Square(f64);
    impl Shape for Square {
        fn area(&self) -> f64 {
            self.0 * self.0
        }
    }

    fn shapes() -> Registry<dyn Shape> {
        Registry::new("shape")
            .with(
                Entry::new("square", "a square", |p: &Params<'_>| {
                    Box::new(Square(p.get("side"))) as Box<dyn Shape>
                })
                .param(ParamInfo::new(
                    "side",
                    1.0,
                    0.0,
                    f64::INFINITY,
                    "its side",
                )),
            )
            .with(Entry::new("unit", "a unit square", |_: &Params<'_>| {
                Box::new(Square(1.0)) as Box<dyn Shape>
            }))
    }

    #[test]
    fn specs_resolve_with_defaults_and_round_trip() {
        let r = shapes();
        assert_eq!(r.create(&Spec::new("square")).unwrap().area(), 1.0);
        let spec = r.parse_spec(" square : side = 3 ").unwrap();
        assert_eq!(r.create(&spec).unwrap().area(), 9.0);
        assert_eq!(r.parse_spec(&spec.to_string()).unwrap(), spec);
    }

    #[test]
    fn messages_say_what_is_known() {
        let r = shapes();
        let e = |t: &str| r.parse_spec(t).unwrap_err().to_string();
        assert_eq!(
            e("circle"),
            "unknown shape kind `circle`; known kinds: square, unit"
        );
        assert_eq!(
            e("square:r=1"),
            "shape `square` has no parameter `r`; known parameters: side"
        );
        assert_eq!(
            e("unit:side=1"),
            "shape `unit` has no parameter `side`; it takes no parameters"
        );
        assert_eq!(
            e("square:side=-1"),
            "parameter `side` of shape `square` must be a finite number >= 0, not -1"
        );
        assert_eq!(
            e("square:side=x"),
            "parameter `side` of shape `square` must be a number, not `x`"
        );
        assert_eq!(
            e("square:side=1,side=2"),
            "parameter `side` of shape `square` is given twice"
        );
        assert_eq!(
            e(":side=1"),
            "invalid shape spec `:side=1`: the kind is missing; expected \
             KIND[:NAME=VALUE[,NAME=VALUE]...], e.g. `square` or `square:side=1`"
        );
    }

    #[test]
    fn registering_twice_is_refused_and_clones_are_independent() {
        let base = shapes();
        let mut more = base.clone();
        let again = Entry::new("unit", "again", |_: &Params<'_>| {
            Box::new(Square(2.0)) as Box<dyn Shape>
        });
        assert_eq!(
            more.register(again).unwrap_err().to_string(),
            "shape kind `unit` is already registered"
        );
        more.register(Entry::new("big", "a big square", |_: &Params<'_>| {
            Box::new(Square(10.0)) as Box<dyn Shape>
        }))
        .unwrap();
        assert_eq!(more.names().collect::<Vec<_>>(), ["square", "unit", "big"]);
        let bad = Entry::new("no spaces", "", |_: &Params<'_>| {
            Box::new(Square(0.0)) as Box<dyn Shape>
        });
        assert!(
            more.register(bad)
                .unwrap_err()
                .to_string()
                .contains("letters, digits")
        );
        let bad = Entry::new("x", "", |_: &Params<'_>| {
            Box::new(Square(0.0)) as Box<dyn Shape>
        })
        .param(ParamInfo::new("side", -1.0, 0.0, 1.0, "its side"));
        assert_eq!(
            more.register(bad).unwrap_err().to_string(),
            "shape kind `x`: the default -1 of parameter `side` is not a number in [0, 1]"
        );
        assert_eq!(
            Registry::<dyn Shape>::new("shape")
                .parse_spec("unit")
                .unwrap_err()
                .to_string(),
            "unknown shape kind `unit`; known kinds: none"
        );
        assert_eq!(base.names().collect::<Vec<_>>(), ["square", "unit"]);
    }

    trait Painted: Send {
        fn describe(&self) -> String;
    }
    struct Paint(String);
    impl Painted for Paint {
        fn describe(&self) -> String {
            self.0.clone()
        }
    }

    /// A registry of colours, and one of painted shapes naming a colour with parameters.
    fn painted() -> Registry<dyn Painted> {
        let colours: Registry<dyn Painted> = Registry::new("colour")
            .with(
                Entry::new("red", "red", |p: &Params<'_>| {
                    Box::new(Paint(format!("red {}", p.get("shade")))) as Box<dyn Painted>
                })
                .param(ParamInfo::new("shade", 0.5, 0.0, 1.0, "how dark")),
            )
            .with(Entry::new("blue", "blue", |_: &Params<'_>| {
                Box::new(Paint("blue".into())) as Box<dyn Painted>
            }));
        let inner = colours.clone();
        Registry::new("painting").with(
            Entry::new("square", "a painted square", move |p: &Params<'_>| {
                let c = inner.create(p.component("colour")).unwrap().describe();
                Box::new(Paint(format!("{} square of side {}", c, p.get("side"))))
                    as Box<dyn Painted>
            })
            .param(ParamInfo::new("side", 1.0, 0.0, f64::INFINITY, "its side"))
            .component(ComponentParam::new(
                "colour",
                Arc::new(colours),
                Spec::new("blue"),
                "its colour",
            )),
        )
    }

    #[test]
    fn components_resolve_with_defaults_and_round_trip() {
        let r = painted();
        let make = |t: &str| r.create(&r.parse_spec(t).unwrap()).unwrap().describe();
        assert_eq!(make("square"), "blue square of side 1");
        assert_eq!(make("square:colour=red"), "red 0.5 square of side 1");
        assert_eq!(
            make("square: side = 2 , colour = red( shade = 0.25 )"),
            "red 0.25 square of side 2"
        );
        assert_eq!(
            make("square(colour=red(shade=1),side=3)"),
            "red 1 square of side 3"
        );
        for text in [
            "square",
            "square:colour=red",
            "square:colour=red(shade=0.25),side=2",
            "square:colour=blue,side=0.1",
        ] {
            let spec = r.parse_spec(text).unwrap();
            assert_eq!(spec.to_string(), text);
            assert_eq!(r.parse_spec(&spec.to_string()).unwrap(), spec);
        }
        let spec = Spec::new("square")
            .with("side", 2.0)
            .with_component("colour", Spec::new("red").with("shade", 0.75));
        assert_eq!(spec.to_string(), "square:colour=red(shade=0.75),side=2");
        assert_eq!(
            Spec::parse("colour", "red(shade=0.75)").unwrap(),
            Spec::new("red").with("shade", 0.75)
        );
        assert_eq!(
            Spec::parse("colour", "red:shade=0.75").unwrap(),
            Spec::new("red").with("shade", 0.75)
        );
    }

    #[test]
    fn component_messages_say_where() {
        let r = painted();
        let e = |t: &str| r.parse_spec(t).unwrap_err().to_string();
        assert_eq!(
            e("square:colour=green"),
            "parameter `colour` of painting `square`: unknown colour kind `green`; known \
             kinds: red, blue"
        );
        assert_eq!(
            e("square:colour=red(shade=2)"),
            "parameter `colour` of painting `square`: parameter `shade` of colour `red` must \
             be a number in [0, 1], not 2"
        );
        assert_eq!(
            e("square:colour=blue(shade=1)"),
            "parameter `colour` of painting `square`: colour `blue` has no parameter \
             `shade`; it takes no parameters"
        );
        assert_eq!(
            e("square:colour=1"),
            "parameter `colour` of painting `square` must name a colour kind, not the number 1"
        );
        assert_eq!(
            e("square:side=red"),
            "parameter `side` of painting `square` must be a number, not `red`"
        );
        assert_eq!(
            e("square:size=1"),
            "painting `square` has no parameter `size`; known parameters: side, colour"
        );
        assert_eq!(
            e("square:colour=red(shade=1"),
            "invalid painting spec `square:colour=red(shade=1`: its parentheses do not \
             match; expected KIND[:NAME=VALUE[,NAME=VALUE]...], e.g. `square` or \
             `square:side=1`"
        );
        assert_eq!(
            e("square:colour=red,colour=blue"),
            "parameter `colour` of painting `square` is given twice"
        );
        assert_eq!(
            e("square:side=x y"),
            "parameter `side` of painting `square` must be a number, not `x y`"
        );
    }

    #[test]
    fn entries_with_bad_component_defaults_are_refused() {
        let colours: Registry<dyn Painted> = Registry::new("colour");
        let mut r: Registry<dyn Painted> = Registry::new("painting");
        let bad = Entry::new("x", "", |_: &Params<'_>| {
            Box::new(Paint(String::new())) as Box<dyn Painted>
        })
        .component(ComponentParam::new(
            "c",
            Arc::new(colours),
            Spec::new("red"),
            "a colour",
        ));
        assert_eq!(
            r.register(bad).unwrap_err().to_string(),
            "painting kind `x`: the default `red` of parameter `c` is not valid: unknown \
             colour kind `red`; known kinds: none"
        );
        let mut shapes = shapes();
        shapes
            .replace(Entry::new("unit", "bigger", |_: &Params<'_>| {
                Box::new(Square(2.0)) as Box<dyn Shape>
            }))
            .unwrap();
        assert_eq!(shapes.names().collect::<Vec<_>>(), ["square", "unit"]);
        assert_eq!(shapes.create(&Spec::new("unit")).unwrap().area(), 4.0);
    }
}
