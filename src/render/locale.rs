//! Numbers, dates and waiting times in a locale's format. The words and separators come
//! from the text catalogue ([`super::catalogue`]); the digit grouping is pulso's own, so
//! every locale formats numbers the same way, only with its own separators.

use chrono::{DateTime, Datelike, Utc};

use super::catalogue::{Arg, message, t};
use crate::config::{Locale, Workspace};

/// Formats `value` with `decimals` decimals and the locale's separators
/// (Spanish and Portuguese `1.234,5`, English `1,234.5`).
pub fn number(value: f64, decimals: usize, locale: Locale) -> String {
    let format = locale.format();
    let (thousands, decimal) = (format.thousands, format.decimal);
    let text = format!("{:.*}", decimals, value.abs());
    let (integer, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (index, digit) in integer.chars().enumerate() {
        if index > 0 && (integer.len() - index) % 3 == 0 {
            grouped.push(thousands);
        }
        grouped.push(digit);
    }
    let negative = value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0');
    let sign = if negative { "-" } else { "" };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{decimal}{fraction}")
    }
}

/// A count with thousands separators.
pub fn count(value: u64, locale: Locale) -> String {
    number(value as f64, 0, locale)
}

/// A signed change, `+3` / `-1,5` / `0`.
pub fn change(delta: f64, decimals: usize, locale: Locale) -> String {
    let text = number(delta, decimals, locale);
    if delta > 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{text}")
    } else {
        text
    }
}

/// The abbreviated month name of `date`.
fn month(date: chrono::NaiveDate, locale: Locale) -> String {
    t!(locale, "month-short", month = date.month())
}

/// A date for people: `23 nov 2026` / `Nov 23, 2026` / `23 de nov. de 2026`.
pub fn date(date: chrono::NaiveDate, locale: Locale) -> String {
    t!(
        locale,
        "date-full",
        day = date.day().to_string(),
        month = month(date, locale),
        year = date.year().to_string()
    )
}

/// A short day, `23 nov` / `Nov 23` / `23 nov.`, short enough for 14 labels on a chart axis.
pub fn day(date: chrono::NaiveDate, locale: Locale) -> String {
    t!(
        locale,
        "date-day",
        day = date.day().to_string(),
        month = month(date, locale)
    )
}

/// A waiting time in abbreviated units: `45 min`, `3 h 12 min`, `2 d 5 h`.
pub fn waiting_time(minutes: f64, locale: Locale) -> String {
    let total = minutes.max(0.0).round() as u64;
    let (days, hours, mins) = (total / 1440, total / 60 % 24, total % 60);
    let (d, h, m) = (days.to_string(), hours.to_string(), mins.to_string());
    match (days, hours) {
        (0, 0) => t!(locale, "duration-minutes", minutes = m),
        (0, _) => t!(locale, "duration-hours", hours = h, minutes = m),
        _ => t!(locale, "duration-days", days = d, hours = h),
    }
}

/// A counted noun, `1 día` / `2 días`: message `key` gets `$count` (plural form, at the
/// shown precision) and `$shown` (the number in the locale's format).
pub fn counted(locale: Locale, key: &str, value: f64, decimals: usize) -> String {
    let scale = 10f64.powi(decimals as i32);
    let rounded = (value * scale).round() / scale;
    let shown = number(rounded, decimals, locale);
    let count = Arg::Number {
        value: rounded,
        decimals,
    };
    message(
        locale,
        key,
        &[("count", count), ("shown", Arg::Text(shown))],
    )
}

/// An instant as a date and time in the workspace's zone, `2026-11-05 16:00 -03`: for
/// "read at", "since" and "muted until", where the day matters.
pub fn local_time(at: DateTime<Utc>, workspace: &Workspace) -> String {
    at.with_timezone(&workspace.timezone)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// An instant as a wall-clock time in the workspace's zone, `16:00`: for lines about today
/// (a late digest, an alert's "since", who acknowledged it when).
pub fn clock_time(at: DateTime<Utc>, workspace: &Workspace) -> String {
    at.with_timezone(&workspace.timezone)
        .format("%H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_locale() {
        assert_eq!(number(1234567.891, 1, Locale::Es), "1.234.567,9");
        assert_eq!(number(1234567.891, 1, Locale::En), "1,234,567.9");
        assert_eq!(number(-0.04, 1, Locale::En), "0.0");
        assert_eq!(change(-12.5, 1, Locale::Es), "-12,5");
        assert_eq!(change(3.0, 0, Locale::En), "+3");
        assert_eq!(count(999, Locale::Es), "999");
        assert_eq!(number(1234567.891, 1, Locale::Pt), "1.234.567,9");
    }

    #[test]
    fn dates_follow_the_locale() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(date(day, Locale::Es), "23 nov 2026");
        assert_eq!(date(day, Locale::En), "Nov 23, 2026");
        assert_eq!(date(day, Locale::Pt), "23 de nov. de 2026");
        assert_eq!(super::day(day, Locale::Pt), "23 nov.");
    }

    #[test]
    fn waiting_times_pick_units() {
        assert_eq!(waiting_time(45.2, Locale::Es), "45 min");
        assert_eq!(waiting_time(192.0, Locale::En), "3 h 12 min");
        assert_eq!(waiting_time(3180.0, Locale::Pt), "2 d 5 h");
    }
}
