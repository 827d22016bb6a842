//! Unit tests of `aggregates.rs`: planning, stored-day parsing, rebuild runs, marks.
use super::*;
use crate::store::AggregatePolicy;

#[test]
fn today_and_unsettled_days_are_live() {
    let date = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
    let period = Period::new(date(1), date(10), chrono_tz::Europe::Madrid).unwrap();
    let now = day_start(period.timezone, date(10)).timestamp() + 3600;
    let owned = plan(&period, AggregatePolicy::DEFAULT.cutoff(true, now, now));
    assert_eq!(owned.aggregated.len(), 9);
    assert_eq!(owned.aggregated[0].start, period.window().start.timestamp());
    assert_eq!(
        owned.live,
        Some((now - 3600, period.window().end.timestamp()))
    );
    let external = plan(&period, AggregatePolicy::DEFAULT.cutoff(false, now, now));
    assert_eq!(external.aggregated.len(), 7);
    let off = AggregatePolicy {
        enabled: false,
        ..AggregatePolicy::DEFAULT
    };
    assert!(
        plan(&period, off.cutoff(true, now, now))
            .aggregated
            .is_empty()
    );
    assert!(!AggregatePolicy::DEFAULT.fresh(false, now - 25 * 3600, now));
    assert!(AggregatePolicy::DEFAULT.fresh(true, 0, now));
}

#[test]
fn stored_days_split_by_their_lengths() {
    let bytes = [1, 0, 0xff, 2, 3];
    let stored = split_stored("7:100:3,9:101:2", &bytes).unwrap();
    assert_eq!(stored[&7], (100, &bytes[..3]));
    assert_eq!(stored[&9], (101, &bytes[3..]));
    assert!(split_stored("", &[]).unwrap().is_empty());
    for (list, bytes) in [
        ("7:100:3", &bytes[..]),
        ("7:100:9", &bytes[..]),
        ("7:100", &bytes[..3]),
        ("7:100:3:1", &bytes[..3]),
        ("x:100:3", &bytes[..3]),
        ("7:100:-1", &bytes[..0]),
    ] {
        assert!(split_stored(list, bytes).is_none(), "{list}");
    }
}

#[test]
fn missing_days_are_rebuilt_in_bounded_runs_of_consecutive_days() {
    let day = |number: i64| Day {
        number,
        start: number * 86_400,
        end: (number + 1) * 86_400,
    };
    let missing: Vec<Day> = (0..40).chain(50..52).map(day).collect();
    let lengths: Vec<usize> = consecutive_runs(missing).iter().map(Vec::len).collect();
    assert_eq!(lengths, [BUILD_CHUNK_DAYS, 40 - BUILD_CHUNK_DAYS, 2]);
}

#[test]
fn marks_overlap_by_utc_day() {
    let day = Day {
        number: 1,
        start: 86_400 + 3 * 3600,
        end: 2 * 86_400 + 3 * 3600,
    };
    assert!(overlaps(&(2, 2, 1), &day));
    assert!(overlaps(&(0, 1, 1), &day));
    assert!(!overlaps(&(3, 5, 1), &day));
    assert!(!overlaps(&(-3, 0, 1), &day));
}

#[test]
fn needed_days_are_read_in_runs() {
    assert_eq!(number_runs(&[1, 2, 3, 7, 9, 10]), [(1, 3), (7, 7), (9, 10)]);
    assert!(number_runs(&[]).is_empty());
}
