//! Allocations whose size comes from the input (an outcome count, a limit the user raised):
//! asked for with `try_reserve`, so that a size the machine cannot hold is an
//! [`Error::OutOfMemory`] naming what it was for, instead of an abort.

use crate::error::{Error, Result};

/// An empty vector with room for `n` items, or [`Error::OutOfMemory`] naming `what`.
pub fn with_capacity<T>(n: usize, what: &str) -> Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(n).map_err(|_| Error::OutOfMemory {
        what: what.to_string(),
        bytes: (n as u128).saturating_mul(std::mem::size_of::<T>() as u128),
    })?;
    Ok(v)
}

/// A vector of `n` copies of `value`, or [`Error::OutOfMemory`] naming `what`.
pub fn filled<T: Clone>(n: usize, value: T, what: &str) -> Result<Vec<T>> {
    let mut v = with_capacity(n, what)?;
    v.resize(n, value);
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_sizes_are_errors() {
        let e = with_capacity::<f64>(usize::MAX / 2, "a table").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("cannot hold a table in memory: it needs"),
            "{e}"
        );
        assert_eq!(filled(3, 0.5, "x").unwrap(), vec![0.5; 3]);
    }
}
