//! Finding the values of an issue by name while reading a file, in constant time per lookup.

use rustc_hash::FxHashMap;

/// Finds the index of an issue's value by its name. Files almost always name values in the
/// issue's order, so a cursor matches them one after the other; a name out of order is
/// looked up in a map built the first time one is. Reading a profile that scores a million
/// values is then linear in its size.
pub(crate) struct ValueFinder<'v> {
    values: &'v [String],
    /// The index the next name is expected at.
    next: usize,
    map: Option<FxHashMap<&'v str, u32>>,
}

impl<'v> ValueFinder<'v> {
    /// A finder over `values` (distinct names, in the order).
    pub(crate) fn new(values: &'v [String]) -> Self {
        ValueFinder {
            values,
            next: 0,
            map: None,
        }
    }

    /// The index of the value named `name`, if the issue has one.
    pub(crate) fn find(&mut self, name: &str) -> Option<u32> {
        if self.values.get(self.next).is_some_and(|v| v == name) {
            self.next += 1;
            return u32::try_from(self.next - 1).ok();
        }
        let values = self.values;
        let map = self.map.get_or_insert_with(|| {
            values
                .iter()
                .enumerate()
                .map(|(i, v)| (v.as_str(), i as u32))
                .collect()
        });
        let i = *map.get(name)?;
        self.next = i as usize + 1;
        Some(i)
    }
}

/// The first name (in order) that an earlier one repeats.
pub(crate) fn first_repeat<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let names: Vec<&str> = names.into_iter().collect();
    detente_core::repeated_names(&names)
        .first()
        .map(|&i| names[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_in_and_out_of_order() {
        let values: Vec<String> = (0..50).map(|i| format!("v{i}")).collect();
        let mut f = ValueFinder::new(&values);
        for i in (0..50).chain([7, 3, 4, 5, 49, 0, 1]) {
            assert_eq!(f.find(&format!("v{i}")), Some(i));
        }
        assert_eq!(f.find("v50"), None);
        assert_eq!(f.find("v2"), Some(2));
        assert_eq!(first_repeat(["a", "b", "c", "b", "a"]), Some("b"));
        assert_eq!(first_repeat(["a", "b"]), None);
    }
}
