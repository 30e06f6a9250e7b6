//! The limits in force, taken from the environment when the program starts (see
//! docs/robustness.md): the size of input files (`DETENTE_MAX_INPUT_BYTES`, as read by
//! `detente_formats::input`) and the work a command may ask for (`DETENTE_MAX_ROUNDS` and the
//! other variables of `detente_core::limits::Limit`). A value that does not parse is an input
//! error.

use anyhow::{Result, anyhow};
use detente_core::limits::{self, Limit};
use detente_formats::input;

use crate::input_error;

/// Sets the limits from the environment variables that are set.
pub fn from_env() -> Result<()> {
    from_vars(|name| std::env::var(name).ok())
}

/// Sets the limits from the variables `var` gives (normally the environment).
fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<()> {
    if let Some(text) = var(input::MAX_INPUT_BYTES_VAR) {
        let bytes = input::parse_size(&text).ok_or_else(|| {
            input_error(anyhow!(
                "{}=`{text}`: expected a number of bytes, such as 268435456 or 256M",
                input::MAX_INPUT_BYTES_VAR
            ))
        })?;
        input::set_max_input_bytes(bytes);
    }
    for limit in Limit::ALL {
        if let Some(text) = var(limit.env_var()) {
            let value = text
                .trim()
                .replace('_', "")
                .parse::<u64>()
                .ok()
                .filter(|&v| v > 0)
                .ok_or_else(|| {
                    input_error(anyhow!(
                        "{}=`{text}`: expected a whole number of {} of at least 1",
                        limit.env_var(),
                        limit.unit()
                    ))
                })?;
            limits::set(limit, value);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_values_are_input_errors() {
        let e = from_vars(|n| (n == "DETENTE_MAX_ROUNDS").then(|| "lots".to_string())).unwrap_err();
        assert_eq!(
            e.to_string(),
            "DETENTE_MAX_ROUNDS=`lots`: expected a whole number of rounds of at least 1"
        );
        let e =
            from_vars(|n| (n == "DETENTE_MAX_INPUT_BYTES").then(|| "-1".to_string())).unwrap_err();
        assert!(e.to_string().contains("such as 268435456 or 256M"), "{e}");
    }
}
