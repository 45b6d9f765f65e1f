//! Seeded randomness and stable hashing for the demo data.
//!
//! The generated dataset must be identical for a given seed on every
//! platform and every release, so draws come from ChaCha8 (`rand_chacha`,
//! whose stream is part of its contract) and only its raw 64-bit output is
//! used: the ranges and picks below are computed here, not by `rand`'s
//! distributions, whose results may change between versions. FNV-1a gives
//! stable fingerprints for page tokens.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

/// A seeded generator whose whole stream is determined by its seed.
#[derive(Debug, Clone)]
pub(crate) struct DemoRng {
    stream: ChaCha8Rng,
}

impl DemoRng {
    /// Creates a generator whose whole stream is determined by `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            stream: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// Returns the next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.stream.next_u64()
    }

    /// Returns a value in `0..n` (`0` when `n` is `0`).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        // Multiply-shift keeps the bias negligible for the small ranges used here.
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Returns a value in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo).saturating_add(1))
    }

    /// Returns `true` with a probability of `percent` / 100.
    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// Picks one element of a non-empty slice.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Picks a copy of one element of a non-empty slice.
    pub(crate) fn choose<T: Copy>(&mut self, items: &[T]) -> T {
        *self.pick(items)
    }

    /// Returns `len` random characters from `alphabet` (ASCII only).
    pub(crate) fn string_from(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len).map(|_| char::from(*self.pick(alphabet))).collect()
    }
}

/// SplitMix64's finaliser: a cheap 64-bit mixing function for stable hashes.
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// An incremental FNV-1a 64-bit hasher with a stable output.
#[derive(Debug, Clone)]
pub(crate) struct Fnv64(u64);

impl Fnv64 {
    /// Starts a new hash.
    pub(crate) fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }

    /// Feeds bytes into the hash.
    pub(crate) fn write(&mut self, bytes: &[u8]) -> &mut Self {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01B3);
        }
        self
    }

    /// Feeds a length-prefixed field, so that `["ab", "c"]` and `["a", "bc"]` differ.
    pub(crate) fn field(&mut self, bytes: &[u8]) -> &mut Self {
        self.write(&(bytes.len() as u64).to_le_bytes()).write(bytes)
    }

    /// Returns the hash value.
    pub(crate) fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PINNED: [u64; 3] = [
        12_578_764_544_318_200_737,
        17_529_487_244_874_322_312,
        7_886_285_670_807_131_020,
    ];

    #[test]
    fn same_seed_same_stream() {
        let mut a = DemoRng::new(7);
        let mut b = DemoRng::new(7);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
    }

    #[test]
    fn the_stream_for_a_seed_never_changes() {
        // ChaCha8 seeded from 42: the demo data is built from this stream,
        // so a change here changes every generated dataset.
        let mut rng = DemoRng::new(42);
        let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        assert_eq!(first, PINNED);
    }

    #[test]
    fn ranges_stay_in_bounds() {
        let mut rng = DemoRng::new(1);
        for _ in 0..10_000 {
            assert!(rng.below(7) < 7);
            let v = rng.range(3, 5);
            assert!((3..=5).contains(&v));
        }
        assert_eq!(rng.below(0), 0);
    }

    #[test]
    fn fnv_fields_are_unambiguous() {
        let a = Fnv64::new().field(b"ab").field(b"c").finish();
        let b = Fnv64::new().field(b"a").field(b"bc").finish();
        assert_ne!(a, b);
    }
}
