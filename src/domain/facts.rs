//! The facts of a window in a form that adds up across days.
//!
//! [`WindowFacts`] is what the indicators are computed from. Counts, sums and score
//! histograms add exactly. Durations are kept one by one (exact percentiles) while they are
//! few: every duration read live, a stored day's durations of one kind up to
//! [`EXACT_DAY_LIMIT`], and stored days' durations in a window up to [`EXACT_WINDOW_LIMIT`].
//! Past those they go into a [`LogHistogram`] (percentiles within
//! [`MAX_RELATIVE_ERROR`](super::MAX_RELATIVE_ERROR)). So a small team's month is exact and
//! a large platform's year is read in milliseconds. The same type is a day's stored
//! aggregate, encoded with [`WindowFacts::encode`].

use super::histogram::{DecodeError, LogHistogram, get_varint, put_varint};
use super::{ResolvedSample, WindowSamples};

/// Durations (whole seconds) of one kind: attention, resolution or both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DurationFacts {
    /// How many durations, exact.
    pub count: u64,
    /// Their sum, exact: the mean is computed from it.
    pub sum_secs: i128,
    /// Durations read live, one by one.
    pub exact: Vec<i64>,
    /// Durations that come from stored aggregates, as bucket counts.
    pub histogram: LogHistogram,
}

/// A stored day keeps its durations of one kind one by one up to this many (a few hundred
/// bytes); a busier day stores a histogram.
pub const EXACT_DAY_LIMIT: u64 = 128;

/// Durations from stored days stay one by one in a window up to this many (64 KB of
/// seconds); past it they all go into the histogram, which bounds the memory and time of a
/// long window of a busy workspace.
pub const EXACT_WINDOW_LIMIT: usize = 8192;

/// How a stored day holds the durations of one kind.
const STORED_EXACT: u64 = 0;
const STORED_HISTOGRAM: u64 = 1;

impl DurationFacts {
    /// Adds one duration read live.
    pub fn push(&mut self, seconds: i64) {
        self.count += 1;
        self.sum_secs += i128::from(seconds);
        self.exact.push(seconds);
    }

    /// Adds every duration of `other`, keeping what was exact exact.
    pub fn merge(&mut self, other: &DurationFacts) {
        self.count += other.count;
        self.sum_secs += other.sum_secs;
        self.exact.extend_from_slice(&other.exact);
        self.histogram.merge(&other.histogram);
    }

    fn encode(&self, out: &mut Vec<u8>) {
        put_varint(out, self.count);
        put_i128(out, self.sum_secs);
        let all_exact = self.histogram.is_empty() && self.exact.len() as u64 == self.count;
        if all_exact && self.count <= EXACT_DAY_LIMIT {
            put_varint(out, STORED_EXACT);
            for &seconds in &self.exact {
                put_i128(out, i128::from(seconds));
            }
            return;
        }
        put_varint(out, STORED_HISTOGRAM);
        let mut histogram = self.histogram.clone();
        for &seconds in &self.exact {
            histogram.add(seconds);
        }
        histogram.encode(out);
    }

    /// Adds a stored day's durations; once the window holds more than
    /// [`EXACT_WINDOW_LIMIT`] exact ones, moves them all into the histogram. Whether a window
    /// ends up exact therefore depends only on its stored days, not on their order.
    fn add_encoded(&mut self, bytes: &[u8], at: &mut usize) -> Result<(), DecodeError> {
        let count = get_varint(bytes, at)?;
        self.count += count;
        self.sum_secs += get_i128(bytes, at)?;
        match get_varint(bytes, at)? {
            STORED_EXACT if count <= EXACT_DAY_LIMIT => {
                // Grown once per day, not once per duration: a breakdown adds up thousands
                // of quiet group days and reallocating per push was its largest cost.
                self.exact.reserve(count as usize);
                for _ in 0..count {
                    let seconds = i64::try_from(get_i128(bytes, at)?).map_err(|_| DecodeError)?;
                    self.exact.push(seconds);
                }
            }
            STORED_HISTOGRAM => {
                let before = self.histogram.total();
                self.histogram.add_encoded(bytes, at)?;
                if self.histogram.total() - before != count {
                    return Err(DecodeError);
                }
            }
            _ => return Err(DecodeError),
        }
        if self.exact.len() > EXACT_WINDOW_LIMIT {
            self.bin_exact();
        }
        Ok(())
    }

    /// Moves the durations kept one by one into the histogram (for answers that must
    /// agree to the last digit with the histogram of a day rebuilt while answering).
    pub fn bin_exact(&mut self) {
        for seconds in self.exact.drain(..) {
            self.histogram.add(seconds);
        }
    }
}

/// Everything the windowed indicators need, for one window or one stored day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WindowFacts {
    /// Pending inquiries requested in the window.
    pub pending: u64,
    /// Inquiries expired in the window.
    pub expired: u64,
    /// Inquiries resolved in the window.
    pub resolved: u64,
    /// `attended_at − requested_at` of inquiries attended in the window.
    pub attention: DurationFacts,
    /// `resolved_at − attended_at` of inquiries resolved in the window (with `attended_at`).
    pub resolution: DurationFacts,
    /// `resolved_at − requested_at` of inquiries resolved in the window.
    pub attention_resolution: DurationFacts,
    /// NPS answers per score 0..=10.
    pub nps_histogram: [u64; 11],
    /// CSAT answers per score 1..=5.
    pub csat_histogram: [u64; 5],
}

/// Format tag of [`WindowFacts::encode`]; a stored row with another tag is rebuilt.
const ENCODING_VERSION: u64 = 2;

impl WindowFacts {
    /// Adds one inquiry resolved in the window.
    pub fn push_resolved(&mut self, sample: ResolvedSample) {
        self.resolved += 1;
        if let Some(seconds) = sample.resolution_secs {
            self.resolution.push(seconds);
        }
        self.attention_resolution
            .push(sample.attention_resolution_secs);
    }

    /// Adds the facts of a disjoint window (the windows' union is what remains).
    pub fn merge(&mut self, other: &WindowFacts) {
        self.pending += other.pending;
        self.expired += other.expired;
        self.resolved += other.resolved;
        self.attention.merge(&other.attention);
        self.resolution.merge(&other.resolution);
        self.attention_resolution.merge(&other.attention_resolution);
        for (mine, theirs) in self.nps_histogram.iter_mut().zip(other.nps_histogram) {
            *mine += theirs;
        }
        for (mine, theirs) in self.csat_histogram.iter_mut().zip(other.csat_histogram) {
            *mine += theirs;
        }
    }

    /// The compact form stored for one day: a kind with more than [`EXACT_DAY_LIMIT`]
    /// durations stores them as a histogram.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        put_varint(&mut out, ENCODING_VERSION);
        for count in [self.pending, self.expired, self.resolved] {
            put_varint(&mut out, count);
        }
        for durations in [
            &self.attention,
            &self.resolution,
            &self.attention_resolution,
        ] {
            durations.encode(&mut out);
        }
        for count in self.nps_histogram.iter().chain(&self.csat_histogram) {
            put_varint(&mut out, *count);
        }
        out
    }

    /// Adds a stored day made by [`WindowFacts::encode`].
    ///
    /// # Errors
    /// A corrupt or unknown encoding; `self` is then partly updated and must be discarded.
    pub fn add_encoded(&mut self, bytes: &[u8]) -> Result<(), DecodeError> {
        let at = &mut 0;
        if get_varint(bytes, at)? != ENCODING_VERSION {
            return Err(DecodeError);
        }
        self.pending += get_varint(bytes, at)?;
        self.expired += get_varint(bytes, at)?;
        self.resolved += get_varint(bytes, at)?;
        self.attention.add_encoded(bytes, at)?;
        self.resolution.add_encoded(bytes, at)?;
        self.attention_resolution.add_encoded(bytes, at)?;
        for count in self.nps_histogram.iter_mut() {
            *count += get_varint(bytes, at)?;
        }
        for count in self.csat_histogram.iter_mut() {
            *count += get_varint(bytes, at)?;
        }
        if *at != bytes.len() {
            return Err(DecodeError);
        }
        Ok(())
    }
}

impl From<WindowSamples> for WindowFacts {
    fn from(samples: WindowSamples) -> WindowFacts {
        let mut facts = WindowFacts {
            pending: samples.pending,
            expired: samples.expired,
            nps_histogram: samples.nps_histogram,
            csat_histogram: samples.csat_histogram,
            ..WindowFacts::default()
        };
        for seconds in samples.attention_secs {
            facts.attention.push(seconds);
        }
        for sample in samples.resolved {
            facts.push_resolved(sample);
        }
        facts
    }
}

fn put_i128(out: &mut Vec<u8>, value: i128) {
    let mut zigzag = ((value << 1) ^ (value >> 127)) as u128;
    while zigzag >= 0x80 {
        out.push((zigzag as u8) | 0x80);
        zigzag >>= 7;
    }
    out.push(zigzag as u8);
}

fn get_i128(bytes: &[u8], at: &mut usize) -> Result<i128, DecodeError> {
    let mut zigzag = 0u128;
    for shift in (0..128).step_by(7) {
        let byte = *bytes.get(*at).ok_or(DecodeError)?;
        *at += 1;
        zigzag |= u128::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok((zigzag >> 1) as i128 ^ -((zigzag & 1) as i128));
        }
    }
    Err(DecodeError)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_round_trips_and_days_add_up() {
        let mut day = WindowFacts {
            pending: 3,
            expired: 1,
            ..WindowFacts::default()
        };
        day.attention.push(420);
        day.attention.push(-5);
        day.push_resolved(ResolvedSample {
            resolution_secs: None,
            attention_resolution_secs: 90_000,
        });
        day.nps_histogram[10] = 2;
        day.csat_histogram[0] = 1;
        day.attention_resolution.sum_secs = i128::from(i64::MAX) * 4;
        let bytes = day.encode();
        let mut two = WindowFacts::default();
        two.add_encoded(&bytes).unwrap();
        two.add_encoded(&bytes).unwrap();
        assert_eq!(two.pending, 6);
        assert_eq!(two.resolved, 2);
        assert_eq!(two.attention.count, 4);
        assert_eq!(two.attention.sum_secs, 830);
        assert_eq!(
            two.attention.exact.len(),
            4,
            "a quiet day is stored exactly"
        );
        assert!(two.attention.histogram.is_empty());
        assert_eq!(two.resolution.count, 0);
        assert_eq!(two.attention_resolution.sum_secs, i128::from(i64::MAX) * 8);
        assert_eq!(two.nps_histogram[10], 4);
        assert_eq!(two.csat_histogram[0], 2);
        assert!(WindowFacts::default().add_encoded(&bytes[..5]).is_err());
    }

    #[test]
    fn busy_days_and_long_windows_go_into_the_histogram() {
        let day_of = |durations: u64| {
            let mut day = WindowFacts::default();
            for seconds in 0..durations {
                day.attention.push(1000 + seconds as i64);
            }
            day.encode()
        };
        let mut busy = WindowFacts::default();
        busy.add_encoded(&day_of(EXACT_DAY_LIMIT + 1)).unwrap();
        assert_eq!(busy.attention.histogram.total(), EXACT_DAY_LIMIT + 1);
        assert!(busy.attention.exact.is_empty());

        let quiet = day_of(EXACT_DAY_LIMIT);
        let days = EXACT_WINDOW_LIMIT / EXACT_DAY_LIMIT as usize;
        let mut window = WindowFacts::default();
        for _ in 0..days {
            window.add_encoded(&quiet).unwrap();
        }
        assert_eq!(window.attention.exact.len(), EXACT_WINDOW_LIMIT);
        assert!(
            window.attention.histogram.is_empty(),
            "still exact at the limit"
        );
        window.add_encoded(&quiet).unwrap();
        assert!(window.attention.exact.is_empty());
        let total = (days as u64 + 1) * EXACT_DAY_LIMIT;
        assert_eq!(window.attention.histogram.total(), total);
        assert_eq!(window.attention.count, total);
    }
}
