//! The words for dimensions and filters, shared by the breakdown and the cards that a
//! filter can restrict (indicators, inquiries).

use crate::config::Locale;
use crate::domain::{Dimension, Filter};

use super::catalogue::t;

/// The name of a dimension inside a sentence (`operador`).
pub fn dimension_name(dimension: Dimension, locale: Locale) -> String {
    match dimension {
        Dimension::Operator => t!(locale, "dimension-operator"),
        Dimension::Origin => t!(locale, "dimension-origin"),
        Dimension::Channel => t!(locale, "dimension-channel"),
    }
}

/// `Filtro: origen = payments, refunds · canal = whatsapp`, or `None` without a filter:
/// a filtered figure must never pass for the whole workspace's.
pub fn filter_line(filter: &Filter, locale: Locale) -> Option<String> {
    let restrictions: Vec<String> = filter
        .restrictions()
        .map(|(dimension, values)| {
            format!(
                "{} = {}",
                dimension_name(dimension, locale),
                values.join(", ")
            )
        })
        .collect();
    (!restrictions.is_empty()).then(|| {
        t!(
            locale,
            "filter-line",
            restrictions = restrictions.join(" · ")
        )
    })
}
