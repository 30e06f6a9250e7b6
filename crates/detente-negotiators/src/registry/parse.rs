//! The text form of a spec, `KIND[:NAME=VALUE[,NAME=VALUE]...]`, read without a registry:
//! [`crate::Registry::parse_spec`] checks the result against its kinds.

use std::collections::BTreeMap;

use detente_core::NegotiatorSpec;

use super::error::SpecError;

/// Reads the syntax of a spec (spaces around the parts are ignored). [`NegotiatorSpec`]'s
/// `Display` writes it.
pub(crate) fn spec_syntax(text: &str) -> Result<NegotiatorSpec, SpecError> {
    let malformed = |problem| SpecError::Malformed {
        text: text.to_string(),
        problem,
    };
    let (kind, rest) = match text.split_once(':') {
        Some((k, r)) => (k.trim(), Some(r)),
        None => (text.trim(), None),
    };
    if kind.is_empty() {
        return Err(malformed("the kind is missing"));
    }
    let mut params = BTreeMap::new();
    if let Some(rest) = rest {
        for item in rest.split(',') {
            let Some((name, value)) = item.split_once('=') else {
                return Err(malformed("a parameter is not written NAME=VALUE"));
            };
            let (name, value) = (name.trim(), value.trim());
            if name.is_empty() {
                return Err(malformed("a parameter name is missing"));
            }
            let x: f64 = value.parse().map_err(|_| SpecError::NotANumber {
                kind: kind.to_string(),
                param: name.to_string(),
                value: value.to_string(),
            })?;
            if params.insert(name.to_string(), x).is_some() {
                return Err(SpecError::Duplicate {
                    kind: kind.to_string(),
                    param: name.to_string(),
                });
            }
        }
    }
    Ok(NegotiatorSpec {
        kind: kind.to_string(),
        params,
    })
}
