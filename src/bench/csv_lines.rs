//! The benchmark's rows as lines of `pulso import`'s CSV format (README "Data: the inquiry
//! database and CSV import"), written by hand: at 10M rows chrono's formatter and a CSV
//! writer would cost more than the import being measured, and no field needs quoting (ids,
//! workspace names, enums, operators and instants hold no commas or quotes).

use chrono::{DateTime, Datelike as _, Timelike as _, Utc};

use crate::domain::{Inquiry, SurveyResponse};

/// The inquiries file's header, in the README's column order.
pub const INQUIRY_HEADER: &str = "id,workspace,channel,origin,status,operator_id,requested_at,attended_at,resolved_at,expired_at\n";

/// The survey answers file's header.
pub const SURVEY_HEADER: &str = "id,workspace,inquiry_id,kind,score,answered_at\n";

/// Appends `at` as RFC 3339 in UTC with whole seconds (`2026-03-01T14:05:00Z`): the
/// generator makes whole seconds only.
pub fn push_instant(out: &mut String, at: DateTime<Utc>) {
    let two = |out: &mut String, value: u32| {
        out.push(char::from(b'0' + (value / 10) as u8));
        out.push(char::from(b'0' + (value % 10) as u8));
    };
    let year = at.year().clamp(0, 9999) as u32;
    two(out, year / 100);
    two(out, year % 100);
    out.push('-');
    two(out, at.month());
    out.push('-');
    two(out, at.day());
    out.push('T');
    two(out, at.hour());
    out.push(':');
    two(out, at.minute());
    out.push(':');
    two(out, at.second());
    out.push('Z');
}

fn push_optional_instant(out: &mut String, at: Option<DateTime<Utc>>) {
    if let Some(at) = at {
        push_instant(out, at);
    }
}

/// Replaces `out` with every field of `inquiry` after its id, with the separating comma in
/// front and a newline at the end, so one formatting serves both id variants.
pub fn inquiry_fields(out: &mut String, inquiry: &Inquiry) {
    out.clear();
    for text in [
        &inquiry.workspace,
        &inquiry.channel,
        &inquiry.origin,
        inquiry.status.as_str(),
        inquiry.operator_id.as_deref().unwrap_or_default(),
    ] {
        out.push(',');
        out.push_str(text);
    }
    out.push(',');
    push_instant(out, inquiry.requested_at);
    for at in [inquiry.attended_at, inquiry.resolved_at, inquiry.expired_at] {
        out.push(',');
        push_optional_instant(out, at);
    }
    out.push('\n');
}

/// Replaces `out` with the answer's line, naming it `id` and its inquiry `inquiry_id`.
pub fn survey_line(out: &mut String, answer: &SurveyResponse, id: &str, inquiry_id: &str) {
    out.clear();
    for text in [id, &answer.workspace, inquiry_id, answer.kind.as_str()] {
        out.push_str(text);
        out.push(',');
    }
    out.push_str(&answer.score.to_string());
    out.push(',');
    push_instant(out, answer.answered_at);
    out.push('\n');
}

/// A version-4-shaped UUID derived from `(seed, key)` alone, so the shuffled files name
/// the same rows the same way on every run and an answer can name its inquiry's UUID
/// without a lookup table (which would hold 10M entries).
pub fn uuid(seed: u64, key: u64) -> String {
    let high = splitmix(seed ^ splitmix(key));
    let low = splitmix(high ^ key);
    let high = (high & !0xF000) | 0x4000;
    let low = (low & !(0b11 << 62)) | (0b10 << 62);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        high >> 32,
        (high >> 16) & 0xFFFF,
        high & 0xFFFF,
        low >> 48,
        low & 0xFFFF_FFFF_FFFF
    )
}

/// The key of inquiry `number`'s answer in [`uuid`] (an inquiry has at most one).
pub fn answer_key(number: u64) -> u64 {
    number | 1 << 63
}

/// SplitMix64's finaliser: a bijective, well-mixed 64-bit hash.
fn splitmix(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_rfc3339_in_utc() {
        let mut out = String::new();
        let at = DateTime::parse_from_rfc3339("2026-03-01T04:05:09Z").unwrap();
        push_instant(&mut out, at.with_timezone(&Utc));
        assert_eq!(out, "2026-03-01T04:05:09Z");
    }

    #[test]
    fn uuids_are_stable_distinct_and_shaped() {
        let a = uuid(7, 1);
        assert_eq!(a, uuid(7, 1));
        assert_ne!(a, uuid(7, 2));
        assert_ne!(a, uuid(8, 1));
        assert_ne!(uuid(7, 1), uuid(7, answer_key(1)));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
    }
}
