//! Mergeable log-bucket histograms of whole-second durations, for pre-aggregated days.
//!
//! A day's durations cannot be kept one by one if a year of them must be read in a few
//! milliseconds, and medians do not compose across days. Counts per bucket do: the buckets
//! of 365 days add up to the buckets of the year, and an order statistic read from them is
//! off by at most half a bucket width. Buckets are integer-exact (no floating point), so both
//! backends and every platform put a value in the same bucket:
//!
//! - values `0..128` (and `-127..=-1`) have a bucket each: exact;
//! - above, each power of two is split into 64 equal buckets (`[m·2^s, (m+1)·2^s)` with
//!   `64 ≤ m < 128`), so a bucket is at most 1/64 of its lower bound wide and its midpoint is
//!   within [`MAX_RELATIVE_ERROR`] (1/128, under 0.79 %) of any value in it;
//! - negative values (only an inconsistent platform view can produce them) mirror that.

/// Sub-buckets per power of two, as a bit count: 64.
const SUB_BITS: u32 = 6;
/// Values below this have a bucket of their own.
const EXACT_BELOW: u64 = 1 << (SUB_BITS + 1);
/// Buckets for non-negative values: 128 exact ones, then 64 per power of two up to 2^63.
const POSITIVE_KEYS: usize = EXACT_BELOW as usize + (63 - SUB_BITS as usize) * (1 << SUB_BITS);

/// Keys added beyond the held range when it widens upwards: one power of two.
const UPWARD_SLACK: i32 = 1 << SUB_BITS;

/// The largest relative error of a median or p90 read from a histogram instead of the
/// samples: half the widest bucket relative to its lower bound, 1/128 (about 0.78 %).
///
/// For a median of an even count (the mean of two order statistics of the same sign) the
/// bound holds too. Tested in `tests` below and against the database in the equivalence tests.
pub const MAX_RELATIVE_ERROR: f64 = 1.0 / 128.0;

/// Counts of durations per log bucket. Empty until the first value is added.
///
/// Only the range of keys between the smallest and the largest value added is held: the
/// durations of a support queue span a few hundred buckets of the 7,552 possible ones, and a
/// breakdown holds six histograms per group, so a dense array of every key would cost 60 KB
/// each to allocate, merge and scan.
#[derive(Debug, Clone, Default)]
pub struct LogHistogram {
    /// Counts of the keys `first..first + counts.len()`; empty when no value was ever added.
    counts: Vec<u64>,
    /// The key of `counts[0]`.
    first: i32,
    total: u64,
}

/// Two histograms are equal when they hold the same counts, whatever range each allocated.
impl PartialEq for LogHistogram {
    fn eq(&self, other: &Self) -> bool {
        self.total == other.total && self.buckets().eq(other.buckets())
    }
}

impl Eq for LogHistogram {}

/// The bucket key of a value: monotone in the value, negative for negative values.
fn key(value: i64) -> i32 {
    let magnitude = value.unsigned_abs();
    let positive = if magnitude < EXACT_BELOW {
        magnitude as i32
    } else {
        let exponent = 63 - magnitude.leading_zeros();
        let shift = exponent - SUB_BITS;
        let mantissa = (magnitude >> shift) as i32 - (1 << SUB_BITS);
        EXACT_BELOW as i32 + (shift as i32 - 1) * (1 << SUB_BITS) + mantissa
    };
    if value < 0 { -positive - 1 } else { positive }
}

/// The inclusive range of magnitudes of a non-negative key.
fn magnitude_bounds(positive: i32) -> (u64, u64) {
    if positive < EXACT_BELOW as i32 {
        return (positive as u64, positive as u64);
    }
    let offset = positive - EXACT_BELOW as i32;
    let shift = (offset >> SUB_BITS) as u32 + 1;
    let mantissa = (offset & ((1 << SUB_BITS) - 1)) as u64 + (1 << SUB_BITS);
    let low = mantissa << shift;
    (low, low + ((1u64 << shift) - 1))
}

/// The value a bucket stands for: the midpoint of the whole seconds it holds.
fn representative(key: i32) -> f64 {
    let (positive, sign) = if key < 0 {
        (-key - 1, -1.0)
    } else {
        (key, 1.0)
    };
    let (low, high) = magnitude_bounds(positive);
    sign * (low as f64 + (high - low) as f64 / 2.0)
}

impl LogHistogram {
    /// Whether no value was added.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// How many values were added.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The non-empty buckets as (key, count), in key order.
    fn buckets(&self) -> impl Iterator<Item = (i32, u64)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, count)| **count > 0)
            .map(|(index, count)| (self.first + index as i32, *count))
    }

    /// Widens the held range to cover the keys `low..=high` (allocating on first use).
    fn cover(&mut self, low: i32, high: i32) {
        if self.counts.is_empty() {
            self.first = low;
            self.counts = vec![0; (high - low + 1) as usize];
            return;
        }
        if low < self.first {
            let mut widened = vec![0; (self.first - low) as usize];
            widened.extend_from_slice(&self.counts);
            self.counts = widened;
            self.first = low;
        }
        let needed = (high - self.first + 1) as usize;
        if needed > self.counts.len() {
            self.counts.resize(needed, 0);
        }
    }

    /// Adds `count` values that fall in bucket `key`. Keys mostly arrive in ascending
    /// order (an encoding is sorted, durations cluster), so a range widened upwards gets
    /// room for the next power of two too: a day of a few hundred buckets widens it a few
    /// times, not at every key.
    fn add_to_key(&mut self, key: i32, count: u64) {
        let offset = key - self.first;
        if offset < 0 || offset as usize >= self.counts.len() {
            self.cover(key, (key + UPWARD_SLACK).min(POSITIVE_KEYS as i32 - 1));
        }
        self.counts[(key - self.first) as usize] += count;
        self.total += count;
    }

    /// Adds one duration in whole seconds.
    pub fn add(&mut self, seconds: i64) {
        self.add_to_key(key(seconds), 1);
    }

    /// Adds every value of `other`.
    pub fn merge(&mut self, other: &LogHistogram) {
        if other.is_empty() {
            return;
        }
        self.cover(other.first, other.first + other.counts.len() as i32 - 1);
        let offset = (other.first - self.first) as usize;
        for (mine, theirs) in self.counts[offset..].iter_mut().zip(&other.counts) {
            *mine += theirs;
        }
        self.total += other.total;
    }

    /// The representative of the `rank`-th smallest value (1-based), or `None` past the end.
    pub fn value_at_rank(&self, rank: u64) -> Option<f64> {
        if rank == 0 || rank > self.total {
            return None;
        }
        let mut seen = 0;
        for (key, count) in self.buckets() {
            seen += count;
            if seen >= rank {
                return Some(representative(key));
            }
        }
        None
    }

    /// Appends a compact encoding: the non-empty buckets as (key delta, count) varints.
    pub fn encode(&self, out: &mut Vec<u8>) {
        put_varint(out, self.buckets().count() as u64);
        let mut previous = -(POSITIVE_KEYS as i32) - 1;
        for (key, count) in self.buckets() {
            put_varint(out, (key - previous) as u64);
            put_varint(out, count);
            previous = key;
        }
    }

    /// Adds the buckets of an encoding made by [`LogHistogram::encode`] starting at `bytes[*at]`.
    ///
    /// # Errors
    /// A truncated or corrupt encoding; the histogram is then partly added to and must be
    /// discarded (the store starts the period over, rebuilding every day).
    pub fn add_encoded(&mut self, bytes: &[u8], at: &mut usize) -> Result<(), DecodeError> {
        let entries = get_varint(bytes, at)?;
        let mut key = -(POSITIVE_KEYS as i64) - 1;
        for _ in 0..entries {
            let delta = get_varint(bytes, at)?;
            if delta == 0 || delta > 2 * POSITIVE_KEYS as u64 {
                return Err(DecodeError);
            }
            key += delta as i64;
            let count = get_varint(bytes, at)?;
            if key >= POSITIVE_KEYS as i64 || count == 0 {
                return Err(DecodeError);
            }
            // In range of i32: -POSITIVE_KEYS <= key < POSITIVE_KEYS since every delta is positive.
            self.add_to_key(key as i32, count);
        }
        Ok(())
    }
}

/// A stored aggregate could not be decoded (it is then rebuilt, never trusted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("corrupt aggregate encoding")]
pub struct DecodeError;

/// Appends `value` as a LEB128 varint.
pub fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Reads a LEB128 varint at `bytes[*at]` and advances `at`.
///
/// # Errors
/// Past the end, or longer than 64 bits.
pub fn get_varint(bytes: &[u8], at: &mut usize) -> Result<u64, DecodeError> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*at).ok_or(DecodeError)?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(DecodeError)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn keys_are_monotone_and_bounds_contain_their_values() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let mut values: Vec<i64> = (-300..3000).collect();
        values.extend((0..20_000).map(|_| rng.gen_range(-(1i64 << 40)..(1i64 << 40))));
        values.extend([i64::MIN, i64::MIN + 1, i64::MAX, i64::MAX - 1, 1 << 62]);
        values.sort_unstable();
        for pair in values.windows(2) {
            assert!(key(pair[0]) <= key(pair[1]), "{pair:?}");
        }
        for &value in &values {
            let k = key(value);
            assert!((k + POSITIVE_KEYS as i32) >= 0 && k < POSITIVE_KEYS as i32);
            let (low, high) = magnitude_bounds(if k < 0 { -k - 1 } else { k });
            assert!(low <= value.unsigned_abs() && value.unsigned_abs() <= high);
            let error = (representative(k) - value as f64).abs();
            assert!(
                error <= MAX_RELATIVE_ERROR * (value as f64).abs(),
                "{value}: {error}"
            );
            if value.unsigned_abs() < EXACT_BELOW {
                assert_eq!(representative(k), value as f64);
            }
        }
    }

    #[test]
    fn ranks_encode_and_merge() {
        let mut a = LogHistogram::default();
        let mut b = LogHistogram::default();
        for v in [5, 7, 1000, 1001, 86_400] {
            a.add(v);
        }
        b.add(-3);
        let mut bytes = Vec::new();
        a.encode(&mut bytes);
        b.encode(&mut bytes);
        let mut decoded = LogHistogram::default();
        let mut at = 0;
        decoded.add_encoded(&bytes, &mut at).unwrap();
        assert_eq!(decoded, a);
        decoded.add_encoded(&bytes, &mut at).unwrap();
        assert_eq!(at, bytes.len());
        a.merge(&b);
        assert_eq!(decoded, a);
        assert_eq!(a.value_at_rank(1), Some(-3.0));
        assert_eq!(a.value_at_rank(2), Some(5.0));
        assert_eq!(a.value_at_rank(7), None);
        let year = a.value_at_rank(6).unwrap();
        assert!((year - 86_400.0).abs() <= 86_400.0 * MAX_RELATIVE_ERROR);
        assert!(LogHistogram::default().add_encoded(&[1], &mut 0).is_err());
    }

    #[test]
    fn ranges_widen_either_way_and_equality_ignores_them() {
        let values = [90_000, 3, 700, -5, 86_400 * 40, 0, 129, 3];
        let mut forward = LogHistogram::default();
        for v in values {
            forward.add(v);
        }
        let mut parts = [LogHistogram::default(), LogHistogram::default()];
        for (i, v) in values.iter().rev().enumerate() {
            parts[i % 2].add(*v);
        }
        let mut merged = parts[1].clone();
        merged.merge(&parts[0]);
        assert_eq!(merged, forward);
        let mut wide = LogHistogram::default();
        wide.add(-1_000_000);
        wide.add(1_000_000);
        let mut narrow = LogHistogram::default();
        narrow.add(7);
        wide.merge(&narrow);
        let mut narrowed = narrow.clone();
        narrowed.add(-1_000_000);
        narrowed.add(1_000_000);
        assert_eq!(wide, narrowed);
        assert_ne!(wide, narrow);
        let sorted: Vec<i64> = {
            let mut v = values.to_vec();
            v.sort_unstable();
            v
        };
        for (rank, v) in sorted.iter().enumerate() {
            let got = forward.value_at_rank(rank as u64 + 1).unwrap();
            assert!((got - *v as f64).abs() <= MAX_RELATIVE_ERROR * (*v as f64).abs());
        }
    }
}
