//! The pseudo-random generator of `java.util.Random` (a 48-bit linear congruential generator,
//! Knuth, TAOCP vol. 2 §3.2.1), which the GENIUS agents draw from.
//!
//! The ported ANAC agents make their random choices with it, call for call as the Java agents
//! do (`nextInt(n)`, `nextDouble()`, `nextBoolean()`), each generator seeded from the
//! negotiator's seed by [`Seeds`]: the same seed gives the same negotiation, and a run of the
//! Java agent whose generators get the same seeds makes the same draws. The NegMAS comparison
//! (`tests/negmas/compare_boa.py`) replays the ported agents with a Python transcription of the
//! GENIUS rules drawing from the same generators, offer by offer.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use detente_core::protocol::derive_seed;

const MULTIPLIER: u64 = 0x5_DEEC_E66D;
const INCREMENT: u64 = 0xB;
const MASK: u64 = (1 << 48) - 1;

/// `java.util.Random`: the same sequence as Java's for the same seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JavaRandom {
    state: u64,
}

impl JavaRandom {
    /// A generator as `new java.util.Random(seed)` (only the low 48 bits of the seed count).
    pub fn new(seed: i64) -> Self {
        JavaRandom {
            state: (seed as u64 ^ MULTIPLIER) & MASK,
        }
    }

    /// The next `bits` (at most 32) random bits, as Java's `next(bits)`.
    fn next(&mut self, bits: u32) -> i32 {
        self.state = self.state.wrapping_mul(MULTIPLIER).wrapping_add(INCREMENT) & MASK;
        (self.state >> (48 - bits)) as i64 as i32
    }

    /// A uniform `int` (every 32-bit value), as Java's `nextInt()`.
    pub fn next_i32(&mut self) -> i32 {
        self.next(32)
    }

    /// A uniform integer in `[0, bound)` (`bound > 0`), as Java's `nextInt(bound)`.
    pub fn next_int(&mut self, bound: i32) -> i32 {
        assert!(bound > 0, "the bound of nextInt must be positive");
        if bound & bound.wrapping_neg() == bound {
            return ((i64::from(bound) * i64::from(self.next(31))) >> 31) as i32;
        }
        loop {
            let bits = self.next(31);
            let val = bits % bound;
            if bits.wrapping_sub(val).wrapping_add(bound - 1) >= 0 {
                return val;
            }
        }
    }

    /// A uniform index in `[0, n)` (`0 < n <= i32::MAX`): `nextInt(n)`.
    pub fn index(&mut self, n: usize) -> usize {
        self.next_int(i32::try_from(n).expect("fewer than 2^31 choices")) as usize
    }

    /// A uniform double in `[0, 1)`, as Java's `nextDouble()`.
    pub fn next_double(&mut self) -> f64 {
        let high = i64::from(self.next(26)) << 27;
        let low = i64::from(self.next(27));
        (high + low) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform boolean, as Java's `nextBoolean()`.
    pub fn next_boolean(&mut self) -> bool {
        self.next(1) != 0
    }

    /// Shuffles `items` as Java's `Collections.shuffle(list, this)`: from the last place down
    /// to the second, each item swaps with one at a random place at or before it.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (2..=items.len()).rev() {
            let j = self.index(i);
            items.swap(i - 1, j);
        }
    }
}

/// The generators of one negotiator, in the order its components create them: the `k`-th
/// (from 0) is seeded with `derive_seed(seed, k)` (as a Java `long`), `seed` being the
/// negotiator's seed. A GENIUS agent creates its `java.util.Random`s in a fixed order (some
/// once, some on every call of a method); the port creates its generators in that same order,
/// so that both draw the same numbers when GENIUS's generators are seeded the same way.
/// Clones share the count, so that every component of a negotiator takes from one sequence.
#[derive(Debug, Clone)]
pub struct Seeds {
    seed: u64,
    made: Arc<AtomicU64>,
}

impl Seeds {
    /// The generators of a negotiator of this seed.
    pub fn new(seed: u64) -> Self {
        Seeds {
            seed,
            made: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The next generator.
    pub fn next_random(&self) -> JavaRandom {
        let k = self.made.fetch_add(1, Ordering::Relaxed);
        JavaRandom::new(derive_seed(self.seed, k) as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::JavaRandom;

    /// Values printed by OpenJDK 17 for `new Random(42)` and `new Random(-7)`.
    #[test]
    fn draws_as_java_does() {
        let mut r = JavaRandom::new(42);
        let ints: Vec<i32> = (0..5).map(|_| r.next_int(10)).collect();
        assert_eq!(ints, [0, 3, 8, 4, 0]);
        let mut r = JavaRandom::new(42);
        assert_eq!(r.next_double(), 0.7275636800328681);
        assert_eq!(r.next_double(), 0.6832234717598454);
        let mut r = JavaRandom::new(-7);
        let ints: Vec<i32> = (0..4).map(|_| r.next_int(1 << 20)).collect();
        assert_eq!(ints, [282_194, 945_288, 705_881, 991_790]);
        let mut r = JavaRandom::new(123_456_789);
        let bits: Vec<bool> = (0..6).map(|_| r.next_boolean()).collect();
        assert_eq!(bits, [true, true, false, false, false, false]);
        let mut r = JavaRandom::new(5);
        assert_eq!(r.next_int(1_000_000_007), 568_779_480);
    }
}
