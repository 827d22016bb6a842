//! Reading command options: the same parsing for the console and Discord.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::UserError;
use crate::domain::InquiryStatus;
use crate::domain::{NamedPeriod, Period, PeriodRequest};

/// The options of one invocation, looked up by name.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a>(pub &'a [(String, String)]);

impl<'a> Options<'a> {
    /// The value of `name`, if given and not blank.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.0
            .iter()
            .find(|(option, _)| option == name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    }

    /// The period from `period`, or `from` + `to`; `default` when none is given.
    ///
    /// # Errors
    /// [`UserError`] naming the option at fault.
    pub fn period(
        &self,
        default: NamedPeriod,
        timezone: Tz,
        now: DateTime<Utc>,
    ) -> Result<Period, UserError> {
        let named = self
            .get("period")
            .map(|value| {
                value.parse::<NamedPeriod>().map_err(|_| UserError::BadOption {
                    option: "period".into(),
                    value: value.into(),
                    expected: (
                        "use today, yesterday, last-7-days, last-30-days, this-month or last-month",
                        "usa today, yesterday, last-7-days, last-30-days, this-month o last-month",
                    ),
                })
            })
            .transpose()?;
        let from = self
            .get("from")
            .map(|value| date("from", value))
            .transpose()?;
        let to = self.get("to").map(|value| date("to", value)).transpose()?;
        let request = match (named, from, to) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => return Err(UserError::PeriodAndDates),
            (Some(named), None, None) => PeriodRequest::Named(named),
            (None, Some(from), Some(to)) => PeriodRequest::Custom { from, to },
            (None, None, None) => PeriodRequest::Named(default),
            (None, _, _) => return Err(UserError::HalfRange),
        };
        Ok(Period::resolve(request, timezone, now)?)
    }

    /// The required `status` option.
    ///
    /// # Errors
    /// [`UserError`] when missing or unknown.
    pub fn status(&self) -> Result<InquiryStatus, UserError> {
        let value = self
            .get("status")
            .ok_or(UserError::MissingOption("status"))?;
        value.parse().map_err(|_| UserError::BadOption {
            option: "status".into(),
            value: value.into(),
            expected: (
                "use pending, in_progress, resolved or expired",
                "usa pending, in_progress, resolved o expired",
            ),
        })
    }
}

fn date(option: &str, value: &str) -> Result<NaiveDate, UserError> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| UserError::BadOption {
        option: option.into(),
        value: value.into(),
        expected: (
            "write the date as YYYY-MM-DD",
            "escribe la fecha como AAAA-MM-DD",
        ),
    })
}
