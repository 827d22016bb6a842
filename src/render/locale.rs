//! Labels and number formats for Spanish and English.
//!
//! The Spanish labels are the seed's own wording ("Consultas pendientes", "Promedio de
//! atención", …); the English ones follow its English half.

use crate::config::Locale;

/// Every piece of fixed text a report shows.
#[derive(Debug)]
pub struct Labels {
    /// Puntaje NPS.
    pub nps: &'static str,
    /// Puntaje CSAT.
    pub csat: &'static str,
    /// Consultas pendientes.
    pub pending: &'static str,
    /// Consultas en progreso.
    pub in_progress: &'static str,
    /// Consultas resueltas.
    pub resolved: &'static str,
    /// Consultas expiradas.
    pub expired: &'static str,
    /// Promedio de atención.
    pub avg_attention: &'static str,
    /// Promedio de resolución.
    pub avg_resolution: &'static str,
    /// Promedio de atención + resolución.
    pub avg_attention_resolution: &'static str,
    /// Expired rate.
    pub expired_rate: &'static str,
    /// Oldest pending inquiry.
    pub oldest_pending: &'static str,
    /// Column heading: this period.
    pub current: &'static str,
    /// Column heading: the period before.
    pub previous: &'static str,
    /// Column heading: the change.
    pub change: &'static str,
    /// "no data".
    pub no_data: &'static str,
    /// "responses", abbreviated.
    pub responses: &'static str,
    /// "median".
    pub median: &'static str,
    /// "now", for the not-windowed in-progress count.
    pub now: &'static str,
    /// "waiting".
    pub waiting: &'static str,
    /// "none".
    pub none: &'static str,
    /// "Period".
    pub period: &'static str,
    /// Title of the indicators card.
    pub indicators_title: &'static str,
    /// "View details" (the seed's "Ver detalles").
    pub view_details: &'static str,
    /// Short status names: pending, in progress, resolved, expired.
    pub statuses: [&'static str; 4],
    /// Heading of the oldest-inquiries list.
    pub oldest_ten: &'static str,
    /// "Total".
    pub total: &'static str,
    /// "vs. previous period".
    pub versus: &'static str,
    /// "days".
    pub days: &'static str,
    /// Abbreviated month names.
    pub months: [&'static str; 12],
}

/// The labels of `locale`.
pub fn labels(locale: Locale) -> &'static Labels {
    match locale {
        Locale::Es => &SPANISH,
        Locale::En => &ENGLISH,
    }
}

static SPANISH: Labels = Labels {
    nps: "Puntaje NPS",
    csat: "Puntaje CSAT",
    pending: "Consultas pendientes",
    in_progress: "Consultas en progreso",
    resolved: "Consultas resueltas",
    expired: "Consultas expiradas",
    avg_attention: "Promedio de atención",
    avg_resolution: "Promedio de resolución",
    avg_attention_resolution: "Promedio de atención + resolución",
    expired_rate: "Tasa de expiración",
    oldest_pending: "Pendiente más antigua",
    current: "Actual",
    previous: "Anterior",
    change: "Cambio",
    no_data: "sin datos",
    responses: "resp.",
    median: "mediana",
    now: "ahora",
    waiting: "esperando",
    none: "ninguna",
    period: "Período",
    indicators_title: "Indicadores de atención",
    view_details: "Ver detalles",
    statuses: ["Pendientes", "En progreso", "Resueltas", "Expiradas"],
    oldest_ten: "Las más antiguas",
    total: "Total",
    versus: "vs. período anterior",
    days: "días",
    months: [
        "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic",
    ],
};

static ENGLISH: Labels = Labels {
    nps: "NPS score",
    csat: "CSAT score",
    pending: "Pending inquiries",
    in_progress: "Inquiries in progress",
    resolved: "Resolved inquiries",
    expired: "Expired inquiries",
    avg_attention: "Average attention",
    avg_resolution: "Average resolution",
    avg_attention_resolution: "Average attention + resolution",
    expired_rate: "Expired rate",
    oldest_pending: "Oldest pending",
    current: "Current",
    previous: "Previous",
    change: "Change",
    no_data: "no data",
    responses: "resp.",
    median: "median",
    now: "now",
    waiting: "waiting",
    none: "none",
    period: "Period",
    indicators_title: "Customer service indicators",
    view_details: "View details",
    statuses: ["Pending", "In progress", "Resolved", "Expired"],
    oldest_ten: "Oldest",
    total: "Total",
    versus: "vs. previous period",
    days: "days",
    months: [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ],
};

/// Formats `value` with `decimals` decimals and the locale's separators
/// (Spanish `1.234,5`, English `1,234.5`).
pub fn number(value: f64, decimals: usize, locale: Locale) -> String {
    let (thousands, decimal) = match locale {
        Locale::Es => ('.', ','),
        Locale::En => (',', '.'),
    };
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

/// A date for people: `23 nov 2026` / `Nov 23, 2026`.
pub fn date(date: chrono::NaiveDate, locale: Locale) -> String {
    use chrono::Datelike;
    let month = labels(locale).months[date.month0() as usize];
    match locale {
        Locale::Es => format!("{} {month} {}", date.day(), date.year()),
        Locale::En => format!("{month} {}, {}", date.day(), date.year()),
    }
}

/// A waiting time in words-free units: `45 min`, `3 h 12 min`, `2 d 5 h`.
pub fn waiting_time(minutes: f64) -> String {
    let total = minutes.max(0.0).round() as u64;
    let (days, hours, mins) = (total / 1440, total / 60 % 24, total % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, _) => format!("{hours} h {mins} min"),
        _ => format!("{days} d {hours} h"),
    }
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
    }

    #[test]
    fn dates_follow_the_locale() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(date(day, Locale::Es), "23 nov 2026");
        assert_eq!(date(day, Locale::En), "Nov 23, 2026");
    }

    #[test]
    fn waiting_times_pick_units() {
        assert_eq!(waiting_time(45.2), "45 min");
        assert_eq!(waiting_time(192.0), "3 h 12 min");
        assert_eq!(waiting_time(3180.0), "2 d 5 h");
    }
}
