//! ParsAgent's opponent model: how often each opponent offered each value, kept in the
//! iteration order of the original's `java.util.HashMap`s (which breaks its ties), and the
//! "mutual issues" read from it.

/// Java's `String.hashCode` (over UTF-16 code units, wrapping).
pub(crate) fn java_string_hash(s: &str) -> i32 {
    s.encode_utf16()
        .fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(i32::from(c)))
}

/// A `java.util.HashMap<Value, Integer>` of value counts, created empty and filled by `put`:
/// the entries in insertion order with their keys' hash codes; [`Counts::iter`] gives them in
/// the map's iteration order (by bucket, `(h ^ h >>> 16) & (capacity - 1)`, the capacity
/// doubling from 16 whenever the size passes three quarters of it; insertion order within a
/// bucket, which resizing keeps).
#[derive(Debug, Clone, Default)]
pub(super) struct Counts {
    /// (value index, key hash, count), in insertion order.
    entries: Vec<(u32, i32, u32)>,
}

impl Counts {
    /// Counts one more occurrence of `value` (whose key hashes to `hash`).
    pub(super) fn add(&mut self, value: u32, hash: i32) {
        match self.entries.iter_mut().find(|e| e.0 == value) {
            Some(e) => e.2 += 1,
            None => self.entries.push((value, hash, 1)),
        }
    }

    /// How many values it holds.
    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    /// (value, count) in the Java map's iteration order.
    pub(super) fn iter(&self) -> Vec<(u32, u32)> {
        let mut capacity = 16usize;
        while self.entries.len() * 4 > capacity * 3 {
            capacity *= 2;
        }
        let bucket = |h: i32| ((h ^ ((h as u32) >> 16) as i32) as u32 as usize) & (capacity - 1);
        let mut order: Vec<&(u32, i32, u32)> = self.entries.iter().collect();
        order.sort_by_key(|e| bucket(e.1));
        order.iter().map(|e| (e.0, e.2)).collect()
    }

    /// The original's "two most repeated" values: a scan in iteration order that replaces the
    /// first when a count beats it, else the second when it beats that (so not always the two
    /// largest counts).
    pub(super) fn top_two(&self) -> [Option<u32>; 2] {
        let (mut max, mut key) = ([0u32; 2], [None; 2]);
        for (v, c) in self.iter() {
            if c > max[0] {
                max[0] = c;
                key[0] = Some(v);
            } else if c > max[1] {
                max[1] = c;
                key[1] = Some(v);
            }
        }
        key
    }
}

/// One opponent's counts: per issue, absent until the first bid (or until the mutual-issue
/// search puts an empty map there, as the original does).
#[derive(Debug, Clone)]
pub(super) struct OpponentCounts {
    pub(super) repeated: Vec<Option<Counts>>,
}

impl OpponentCounts {
    pub(super) fn new(issues: usize) -> Self {
        OpponentCounts {
            repeated: vec![None; issues],
        }
    }

    /// The original's `calculateParamForOpponent`: counts the bid's values.
    pub(super) fn count(&mut self, bid: &[u32], hashes: &[Vec<i32>]) {
        for (i, &v) in bid.iter().enumerate() {
            self.repeated[i]
                .get_or_insert_with(Counts::default)
                .add(v, hashes[i][v as usize]);
        }
    }
}

/// The original's `getMutualIssues`: per issue, a value that is among the most repeated of
/// both opponents (A: the first that offered, B: the second), or `None`. A first pass asks
/// that both opponents' first values agree; a second pass (when the first found agreement on
/// fewer than half of the issues and nobody accepted anything yet) takes any agreement among
/// the two "top two" of each. Issues that opponent A never offered on lower the pass count as
/// in the original.
pub(super) fn mutual_issues(
    a: &mut OpponentCounts,
    b: &mut OpponentCounts,
    accepted_listed: usize,
) -> Vec<Option<u32>> {
    let n = a.repeated.len();
    let mut mutual = Vec::with_capacity(n);
    let mut twocycle = 2i32;
    while twocycle > 0 {
        mutual.clear();
        for i in 0..n {
            mutual.push(update_mutual(a, b, twocycle, i));
            if a.repeated[i].as_ref().map_or(0, Counts::len) == 0 {
                twocycle -= 1;
            }
        }
        if twocycle != 0 {
            twocycle -= 1;
            if accepted_listed == 0 {
                let found = mutual.iter().filter(|m| m.is_some()).count() as f32;
                if found / n as f32 >= 0.5 {
                    twocycle -= 1;
                }
            } else {
                twocycle -= 1;
            }
        }
    }
    mutual
}

/// The original's `updateMutualList` for issue `i`.
fn update_mutual(
    a: &mut OpponentCounts,
    b: &mut OpponentCounts,
    twocycle: i32,
    i: usize,
) -> Option<u32> {
    let Some(vals) = &a.repeated[i] else {
        a.repeated[i] = Some(Counts::default());
        return None;
    };
    let Some(vals_b) = &b.repeated[i] else {
        b.repeated[i] = Some(Counts::default());
        return None;
    };
    let (key, key_b) = (vals.top_two(), vals_b.top_two());
    if twocycle == 2 {
        return key[0].filter(|&k| key_b[0] == Some(k));
    }
    for m in key {
        for z in key_b {
            if m.is_some() && m == z {
                return m;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_hashes_and_map_order() {
        // "Aa" and "BB" collide in Java (2112); "a".hashCode() = 97.
        assert_eq!(java_string_hash("Aa"), 2112);
        assert_eq!(java_string_hash("BB"), 2112);
        assert_eq!(java_string_hash("a"), 97);
        assert_eq!(java_string_hash("hello"), 99_162_322);
        // Buckets of capacity 16: "a" -> 97 & 15 = 1, "b" -> 2, "q" (113) -> 1.
        let mut c = Counts::default();
        for (v, name) in ["b", "q", "a"].iter().enumerate() {
            c.add(v as u32, java_string_hash(name));
        }
        c.add(0, java_string_hash("b"));
        // Bucket 1 holds q then a (insertion order), bucket 2 holds b.
        assert_eq!(c.iter(), vec![(1, 1), (2, 1), (0, 2)]);
    }

    #[test]
    fn top_two_is_the_originals_scan() {
        // Counts 1, 3, 2 in iteration order: 1 becomes first, 3 replaces it (1 is not moved
        // to second), then 2 becomes second.
        let mut c = Counts::default();
        for (v, times) in [(0u32, 1), (1, 3), (2, 2)] {
            for _ in 0..times {
                c.add(v, v as i32);
            }
        }
        assert_eq!(c.top_two(), [Some(1), Some(2)]);
        // Counts 3, 1, 2: 3 first, 1 second, 2 then beats the second.
        let mut c = Counts::default();
        for (v, times) in [(0u32, 3), (1, 1), (2, 2)] {
            for _ in 0..times {
                c.add(v, v as i32);
            }
        }
        assert_eq!(c.top_two(), [Some(0), Some(2)]);
    }
}
