//! The vocabulary of breakdowns and filters: the dimensions an inquiry is grouped by and
//! the values a filter keeps. Here, low in the house, because configuration uses it
//! (`digest.filter`, `digest.breakdown`) as much as commands do; `crate::domain` re-exports
//! it next to the grouped facts.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// What a breakdown splits by, and what a filter can restrict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// The operator who attended the inquiry (`operator_id`).
    Operator,
    /// The inquiry's type (`origin`), e.g. "payments".
    Origin,
    /// Where the user wrote from (`channel`), e.g. "whatsapp".
    Channel,
}

impl Dimension {
    /// Every dimension, in the order options and help list them.
    pub const ALL: [Dimension; 3] = [Dimension::Operator, Dimension::Origin, Dimension::Channel];

    /// The name users type (`--by operator`, `by:operator`) and JSON shows.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Operator => "operator",
            Dimension::Origin => "origin",
            Dimension::Channel => "channel",
        }
    }

    /// The inquiry column holding this dimension's value.
    pub fn column(self) -> &'static str {
        match self {
            Dimension::Operator => "operator_id",
            Dimension::Origin => "origin",
            Dimension::Channel => "channel",
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Dimension {
    type Err = FilterError;

    fn from_str(text: &str) -> Result<Dimension, FilterError> {
        Dimension::ALL
            .into_iter()
            .find(|dimension| dimension.name() == text.trim())
            .ok_or_else(|| FilterError::UnknownDimension(text.to_string()))
    }
}

/// Most values one filter may list: as many as Discord offers choices.
pub const MAX_FILTER_VALUES: usize = 25;

/// Longest value a filter accepts, in characters (Discord's option values stop at 100).
pub const MAX_VALUE_CHARS: usize = 100;

/// What is wrong with a filter or a breakdown as typed; the caller names the option.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    /// Not `operator`, `origin` or `channel`.
    #[error("unknown dimension {0:?}: use operator, origin or channel")]
    UnknownDimension(String),
    /// Nothing but commas and spaces.
    #[error("no value given: list one or more values separated by commas")]
    Empty,
    /// More than [`MAX_FILTER_VALUES`].
    #[error("{0} values given: at most {MAX_FILTER_VALUES}")]
    TooMany(usize),
    /// Longer than [`MAX_VALUE_CHARS`].
    #[error("value {0:?}… is longer than {MAX_VALUE_CHARS} characters")]
    TooLong(String),
}

/// The inquiries an answer is restricted to: for each dimension, the values kept (empty:
/// any). Values are compared exactly, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Filter {
    /// Operators kept.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub operator: Vec<String>,
    /// Origins kept.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub origin: Vec<String>,
    /// Channels kept.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub channel: Vec<String>,
}

impl Filter {
    /// Whether it keeps everything.
    pub fn is_empty(&self) -> bool {
        self.restrictions().next().is_none()
    }

    /// The values kept for `dimension` (empty: any).
    pub fn values(&self, dimension: Dimension) -> &[String] {
        match dimension {
            Dimension::Operator => &self.operator,
            Dimension::Origin => &self.origin,
            Dimension::Channel => &self.channel,
        }
    }

    /// Sets the values kept for `dimension`.
    pub fn set(&mut self, dimension: Dimension, values: Vec<String>) {
        match dimension {
            Dimension::Operator => self.operator = values,
            Dimension::Origin => self.origin = values,
            Dimension::Channel => self.channel = values,
        }
    }

    /// The dimensions it restricts, with their values, in [`Dimension::ALL`] order.
    pub fn restrictions(&self) -> impl Iterator<Item = (Dimension, &[String])> {
        Dimension::ALL
            .into_iter()
            .map(|dimension| (dimension, self.values(dimension)))
            .filter(|(_, values)| !values.is_empty())
    }

    /// The one dimension it restricts, when it restricts exactly one: such a filter is
    /// answered from that dimension's stored groups.
    pub fn single(&self) -> Option<(Dimension, &[String])> {
        let mut restrictions = self.restrictions();
        let first = restrictions.next()?;
        restrictions.next().is_none().then_some(first)
    }

    /// Whether an inquiry with these values is kept.
    pub fn keeps(&self, operator: Option<&str>, origin: &str, channel: &str) -> bool {
        let kept = |values: &[String], value: Option<&str>| {
            values.is_empty() || value.is_some_and(|value| values.iter().any(|v| v == value))
        };
        kept(&self.operator, operator)
            && kept(&self.origin, Some(origin))
            && kept(&self.channel, Some(channel))
    }
}

/// Splits `text` at commas into values (trimmed, no empty ones, no repeats), as users type
/// them in `--origin payments,refunds` or `origin:payments, refunds`.
///
/// # Errors
/// [`FilterError`] when nothing is left, or a value or their number is over the limits.
pub fn parse_values(text: &str) -> Result<Vec<String>, FilterError> {
    let mut values: Vec<String> = Vec::new();
    for value in text.split(',').map(str::trim).filter(|v| !v.is_empty()) {
        if value.chars().count() > MAX_VALUE_CHARS {
            let head: String = value.chars().take(20).collect();
            return Err(FilterError::TooLong(head));
        }
        if !values.iter().any(|known| known == value) {
            values.push(value.to_string());
        }
    }
    match values.len() {
        0 => Err(FilterError::Empty),
        n if n > MAX_FILTER_VALUES => Err(FilterError::TooMany(n)),
        _ => Ok(values),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_split_at_commas_and_bad_lists_are_named() {
        assert_eq!(
            parse_values(" payments, refunds ,,payments").unwrap(),
            ["payments", "refunds"]
        );
        assert_eq!(parse_values(" , ").unwrap_err(), FilterError::Empty);
        let many: Vec<String> = (0..26).map(|n| format!("op{n}")).collect();
        assert_eq!(
            parse_values(&many.join(",")).unwrap_err(),
            FilterError::TooMany(26)
        );
        let long = "x".repeat(101);
        assert!(matches!(
            parse_values(&long).unwrap_err(),
            FilterError::TooLong(_)
        ));
        assert_eq!("origin".parse::<Dimension>().unwrap(), Dimension::Origin);
        let error = "operador".parse::<Dimension>().unwrap_err().to_string();
        assert!(error.contains("operator, origin or channel"), "{error}");
    }

    #[test]
    fn a_filter_keeps_inquiries_whose_values_are_listed() {
        let mut filter = Filter::default();
        assert!(filter.is_empty() && filter.keeps(None, "a", "b"));
        filter.set(Dimension::Origin, vec!["payments".into()]);
        assert_eq!(filter.single().map(|(d, _)| d), Some(Dimension::Origin));
        assert!(filter.keeps(None, "payments", "web"));
        assert!(!filter.keeps(None, "Payments", "web"));
        filter.set(Dimension::Operator, vec!["op1".into()]);
        assert!(filter.single().is_none());
        assert!(!filter.keeps(None, "payments", "web"));
        assert!(filter.keeps(Some("op1"), "payments", "web"));
    }
}
