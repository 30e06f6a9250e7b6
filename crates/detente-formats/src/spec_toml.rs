//! Specs (a kind and its parameters, [`detente_core::registry::Spec`]) in TOML, as scenario
//! files and tournament plans write them: a kind name alone (`"boulware"`), or a table with
//! `kind` and the parameters. A parameter is a number, or a component of another registry: a
//! string in the spec text form (`"time-dependent(e=0.2)"`, `"smith-frequency"`) or a table
//! with its own `kind` (`{ kind = "time-dependent", e = 0.2 }`), nested as deep as needed.

use detente_core::registry::Spec;

/// What messages call a component named in a file (its registry is not known yet).
const COMPONENT: &str = "component";

/// Reads one parameter `name = value` of a spec table into `spec`; `Err` says what is wrong
/// (for the caller to place in the file).
pub(crate) fn param(spec: &mut Spec, name: &str, value: toml::Value) -> Result<(), String> {
    match value {
        toml::Value::Integer(i) => {
            spec.params.insert(name.to_string(), i as f64);
        }
        toml::Value::Float(f) => {
            spec.params.insert(name.to_string(), f);
        }
        toml::Value::String(text) => {
            let c =
                Spec::parse(COMPONENT, &text).map_err(|e| format!("parameter `{name}`: {e}"))?;
            spec.components.insert(name.to_string(), c);
        }
        toml::Value::Table(t) => {
            let c = table(t).map_err(|e| format!("parameter `{name}`: {e}"))?;
            spec.components.insert(name.to_string(), c);
        }
        other => {
            return Err(format!(
                "parameter `{name}` must be a number, or a component (a string or a table with \
                 `kind`), not {}",
                other.type_str()
            ));
        }
    }
    Ok(())
}

/// Reads a spec table: `kind` (a string, required) and the parameters.
pub(crate) fn table(t: toml::Table) -> Result<Spec, String> {
    let mut spec = Spec::default();
    for (k, v) in t {
        match (k.as_str(), v) {
            ("kind", toml::Value::String(s)) if !s.is_empty() => spec.kind = s,
            ("kind", other) => {
                return Err(format!(
                    "`kind` must be a kind name, not {}",
                    match other {
                        toml::Value::String(_) => "an empty string",
                        o => o.type_str(),
                    }
                ));
            }
            (name, v) => param(&mut spec, name, v)?,
        }
    }
    if spec.kind.is_empty() {
        return Err("the table needs a `kind`".into());
    }
    Ok(spec)
}

/// A TOML key: bare when TOML allows it, quoted otherwise.
fn key(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        s.to_string()
    } else {
        toml::Value::String(s.to_string()).to_string()
    }
}

/// A spec as TOML: its kind as a string when it has no parameters, otherwise an inline table
/// `{ kind = "...", NAME = VALUE, ... }` with components nested the same way. Numbers are
/// written so that they read back as the same float.
pub(crate) fn inline(spec: &Spec) -> String {
    let kind = toml::Value::String(spec.kind.clone()).to_string();
    if spec.is_bare() {
        return kind;
    }
    let mut parts = vec![format!("kind = {kind}")];
    parts.extend(
        spec.params
            .iter()
            .map(|(k, v)| format!("{} = {v:?}", key(k))),
    );
    parts.extend(
        spec.components
            .iter()
            .map(|(k, c)| format!("{} = {}", key(k), inline(c))),
    );
    format!("{{ {} }}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Spec, String> {
        let t: toml::Table = toml::from_str(&format!("n = {text}")).unwrap();
        match t.into_iter().next().unwrap().1 {
            toml::Value::Table(t) => table(t),
            toml::Value::String(s) => Ok(Spec::new(s)),
            other => Err(other.type_str().to_string()),
        }
    }

    #[test]
    fn nested_tables_and_strings_read_and_write_back() {
        let spec = read(
            r#"{ kind = "boa", offer = { kind = "time-dependent", e = 0.2 }, model = "smith-frequency", accept = "ac-next(a=1.02,b=0)" }"#,
        )
        .unwrap();
        let want = Spec::new("boa")
            .with_component("offer", Spec::new("time-dependent").with("e", 0.2))
            .with_component("model", Spec::new("smith-frequency"))
            .with_component(
                "accept",
                Spec::new("ac-next").with("a", 1.02).with("b", 0.0),
            );
        assert_eq!(spec, want);
        assert_eq!(read(&inline(&spec)).unwrap(), spec);
        assert_eq!(
            inline(&spec),
            r#"{ kind = "boa", accept = { kind = "ac-next", a = 1.02, b = 0.0 }, model = "smith-frequency", offer = { kind = "time-dependent", e = 0.2 } }"#
        );
        assert_eq!(inline(&Spec::new("boulware")), r#""boulware""#);
        assert_eq!(
            read(r#"{ kind = "boulware", e = 1 }"#).unwrap(),
            Spec::new("boulware").with("e", 1.0)
        );
    }

    #[test]
    fn bad_tables_say_what_is_wrong() {
        let e = |t: &str| read(t).unwrap_err();
        assert_eq!(e(r#"{ e = 1 }"#), "the table needs a `kind`");
        assert_eq!(
            e(r#"{ kind = 3 }"#),
            "`kind` must be a kind name, not integer"
        );
        assert_eq!(
            e(r#"{ kind = "boa", offer = true }"#),
            "parameter `offer` must be a number, or a component (a string or a table with \
             `kind`), not boolean"
        );
        assert_eq!(
            e(r#"{ kind = "boa", offer = { e = 1 } }"#),
            "parameter `offer`: the table needs a `kind`"
        );
        assert!(e(r#"{ kind = "boa", offer = "x(e=1" }"#).contains("parentheses do not match"));
    }
}
