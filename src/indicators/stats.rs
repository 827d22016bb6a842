//! Summary statistics over durations and survey scores.
//!
//! Kept apart from the store so the same arithmetic serves every backend and the tests can
//! compare it with an independent computation.

use serde::Serialize;

use crate::domain::{DurationFacts, MAX_RELATIVE_ERROR};

/// Mean, median and 90th percentile of a set of durations, in minutes.
///
/// All three are `None` when there are no samples: "no data" is never shown as 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DurationStats {
    /// How many inquiries contributed.
    pub samples: u64,
    /// Arithmetic mean, the seed's "average".
    pub mean_min: Option<f64>,
    /// The middle value (mean of the two middle values for an even count).
    pub median_min: Option<f64>,
    /// Nearest-rank 90th percentile: the smallest value with at least 90% of samples at or below it.
    pub p90_min: Option<f64>,
    /// 0 when the median and p90 are exact; otherwise their largest relative error (1/128),
    /// because part of the window was read from per-day histograms (see docs/performance.md).
    pub percentile_error_bound: f64,
}

impl DurationStats {
    /// Summarises durations given in whole seconds. Reorders the slice in place: the median
    /// and p90 are found by selection, in linear time, because a breakdown summarises
    /// thousands of durations per group and a full sort was its largest cost.
    pub fn from_seconds(seconds: &mut [i64]) -> DurationStats {
        let samples = seconds.len() as u64;
        if seconds.is_empty() {
            return DurationStats {
                samples,
                mean_min: None,
                median_min: None,
                p90_min: None,
                percentile_error_bound: 0.0,
            };
        }
        let total: i128 = seconds.iter().map(|&s| i128::from(s)).sum();
        let n = seconds.len();
        let middle = n / 2;
        let (below, &mut upper_middle, above) = seconds.select_nth_unstable(middle);
        let median_secs = if n % 2 == 1 {
            upper_middle as f64
        } else {
            let lower_middle = below.iter().copied().max().unwrap_or(upper_middle);
            (lower_middle as f64 + upper_middle as f64) / 2.0
        };
        // The p90's index is at or past the middle for every n ≥ 1 (ceil(0.9·n) − 1 ≥ n/2),
        // so it is the (index − middle − 1)-th smallest of what lies above the middle.
        let p90_index = (n * 9).div_ceil(10).max(1) - 1;
        let p90_secs = if p90_index == middle {
            upper_middle
        } else {
            *above.select_nth_unstable(p90_index - middle - 1).1
        };
        DurationStats {
            samples,
            mean_min: Some(total as f64 / n as f64 / 60.0),
            median_min: Some(median_secs / 60.0),
            p90_min: Some(p90_secs as f64 / 60.0),
            percentile_error_bound: 0.0,
        }
    }

    /// Summarises durations that may partly come from stored day aggregates: exact when all
    /// were read live, otherwise mean exact and median/p90 within [`MAX_RELATIVE_ERROR`].
    pub fn from_facts(facts: &mut DurationFacts) -> DurationStats {
        if facts.histogram.is_empty() {
            return DurationStats::from_seconds(&mut facts.exact);
        }
        facts.bin_exact();
        let histogram = &facts.histogram;
        let n = histogram.total();
        let at = |rank| histogram.value_at_rank(rank).unwrap_or_default();
        let median_secs = if n % 2 == 1 {
            at(n / 2 + 1)
        } else {
            (at(n / 2) + at(n / 2 + 1)) / 2.0
        };
        let p90_rank = (n * 9).div_ceil(10).max(1);
        DurationStats {
            samples: n,
            mean_min: Some(facts.sum_secs as f64 / n as f64 / 60.0),
            median_min: Some(median_secs / 60.0),
            p90_min: Some(at(p90_rank) / 60.0),
            percentile_error_bound: MAX_RELATIVE_ERROR,
        }
    }
}

/// Net Promoter Score over the NPS answers in a window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Nps {
    /// 100 × (promoters − detractors) / responses; `None` without responses.
    pub score: Option<f64>,
    /// Answers counted.
    pub responses: u64,
    /// Answers of 9 or 10.
    pub promoters: u64,
    /// Answers of 7 or 8.
    pub passives: u64,
    /// Answers of 0 to 6.
    pub detractors: u64,
}

impl Nps {
    /// Builds the score from the number of answers per score 0..=10.
    pub fn from_histogram(counts: &[u64; 11]) -> Nps {
        let detractors: u64 = counts[0..=6].iter().sum();
        let passives: u64 = counts[7..=8].iter().sum();
        let promoters: u64 = counts[9..=10].iter().sum();
        let responses = detractors + passives + promoters;
        let score = (responses > 0)
            .then(|| 100.0 * (promoters as f64 - detractors as f64) / responses as f64);
        Nps {
            score,
            responses,
            promoters,
            passives,
            detractors,
        }
    }
}

/// Customer satisfaction over the CSAT answers in a window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Csat {
    /// 100 × satisfied / responses; `None` without responses.
    pub score: Option<f64>,
    /// Answers counted.
    pub responses: u64,
    /// Answers of 4 or 5.
    pub satisfied: u64,
}

impl Csat {
    /// Builds the score from the number of answers per score 1..=5 (index 0 is score 1).
    pub fn from_histogram(counts: &[u64; 5]) -> Csat {
        let responses: u64 = counts.iter().sum();
        let satisfied = counts[3] + counts[4];
        let score = (responses > 0).then(|| 100.0 * satisfied as f64 / responses as f64);
        Csat {
            score,
            responses,
            satisfied,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_durations_are_no_data() {
        let stats = DurationStats::from_seconds(&mut []);
        assert_eq!(stats.samples, 0);
        assert_eq!(stats.mean_min, None);
        assert_eq!(stats.median_min, None);
        assert_eq!(stats.p90_min, None);
    }

    #[test]
    fn median_of_even_count_is_mean_of_middle_pair_and_p90_is_nearest_rank() {
        let mut seconds: Vec<i64> = (1..=10).rev().map(|m| m * 60).collect();
        let stats = DurationStats::from_seconds(&mut seconds);
        assert_eq!(stats.mean_min, Some(5.5));
        assert_eq!(stats.median_min, Some(5.5));
        assert_eq!(stats.p90_min, Some(9.0));
    }

    #[test]
    fn selection_finds_what_sorting_finds() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
        for n in (1..60).chain([999, 1000, 4097]) {
            let mut values: Vec<i64> = (0..n).map(|_| rng.gen_range(-5..400)).collect();
            let stats = DurationStats::from_seconds(&mut values.clone());
            values.sort_unstable();
            let median = if n % 2 == 1 {
                values[n / 2] as f64
            } else {
                (values[n / 2 - 1] + values[n / 2]) as f64 / 2.0
            };
            let p90 = values[(n * 9).div_ceil(10) - 1] as f64;
            assert_eq!(stats.median_min, Some(median / 60.0), "n = {n}");
            assert_eq!(stats.p90_min, Some(p90 / 60.0), "n = {n}");
        }
    }

    #[test]
    fn histogram_percentiles_stay_within_the_bound() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        for n in [1, 2, 3, 10, 101, 5000] {
            let values: Vec<i64> = (0..n).map(|_| rng.gen_range(0..200_000)).collect();
            let exact = DurationStats::from_seconds(&mut values.clone());
            let mut facts = DurationFacts::default();
            for &v in &values[..n / 2] {
                facts.push(v);
                facts.histogram.add(v);
                facts.exact.pop();
            }
            for &v in &values[n / 2..] {
                facts.push(v);
            }
            if facts.histogram.is_empty() {
                continue;
            }
            let approx = DurationStats::from_facts(&mut facts);
            assert_eq!(approx.samples, exact.samples);
            assert_eq!(approx.mean_min, exact.mean_min);
            for (a, e) in [
                (approx.median_min, exact.median_min),
                (approx.p90_min, exact.p90_min),
            ] {
                let (a, e) = (a.unwrap(), e.unwrap());
                assert!(
                    (a - e).abs() <= e.abs() * MAX_RELATIVE_ERROR,
                    "{n}: {a} vs {e}"
                );
            }
        }
    }

    #[test]
    fn nps_counts_promoters_minus_detractors() {
        let mut counts = [0u64; 11];
        counts[10] = 3;
        counts[8] = 1;
        counts[2] = 1;
        let nps = Nps::from_histogram(&counts);
        assert_eq!(nps.score, Some(40.0));
        assert_eq!((nps.promoters, nps.passives, nps.detractors), (3, 1, 1));
        assert_eq!(Nps::from_histogram(&[0; 11]).score, None);
    }

    #[test]
    fn csat_counts_fours_and_fives() {
        let csat = Csat::from_histogram(&[1, 0, 1, 1, 1]);
        assert_eq!(csat.score, Some(50.0));
        assert_eq!(csat.satisfied, 2);
    }
}
