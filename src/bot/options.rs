//! Command options: each declared once as an [`OptionSpec`] that registration, `/help`,
//! parsing and the handlers all read, and [`Args`], an invocation's options checked against
//! those declarations (the same for the console and Discord).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::UserError;
use super::errors::Expected;
use crate::config::{Locale, suggest};
use crate::domain::InquiryStatus;
use crate::domain::{NamedPeriod, Period, PeriodRequest};
use crate::render::catalogue::message;

/// A fixed choice of a string option.
#[derive(Debug, Clone, Copy)]
pub struct Choice {
    /// The value the handler receives.
    pub value: &'static str,
    /// Catalogue key of what the user sees.
    pub label: &'static str,
}

/// A string option (every pulso option is text: dates and durations are parsed by pulso,
/// so the console and Discord accept exactly the same input).
#[derive(Debug, Clone, Copy)]
pub struct OptionSpec {
    /// Its default name, which interactions always carry (localized names: [`OptionSpec::name_key`]).
    pub name: &'static str,
    /// Catalogue key of what it is for.
    pub description: &'static str,
    /// Whether it must be given.
    pub required: bool,
    /// The only accepted values, when fixed.
    pub choices: &'static [Choice],
    /// How Discord offers it: free text, text with suggestions, or a bounded number.
    pub kind: OptionKind,
}

/// How Discord shows an option. The value still reaches the handler as text (a number's
/// digits), so the console and Discord parse it the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// Free text, or one of [`OptionSpec::choices`].
    Text,
    /// Free text with autocomplete: Discord asks pulso for suggestions while the user
    /// types (values of a dimension seen lately).
    Suggested,
    /// A whole number Discord keeps within `min..=max` (pulso checks again: the console
    /// and crafted interactions are not bound by the client).
    Integer {
        /// Smallest accepted.
        min: i64,
        /// Largest accepted.
        max: i64,
    },
}

impl OptionSpec {
    /// Catalogue key of its name in each locale (`opt-period-name`: `periodo`, `período`):
    /// Discord shows the localized name, interactions still carry the default one.
    pub fn name_key(&self) -> String {
        format!("opt-{}-name", self.name)
    }

    /// Its name as `locale` shows it: in registration, and in errors that cite it.
    pub fn local_name(&self, locale: Locale) -> String {
        message(locale, &self.name_key(), &[])
    }

    /// Whether `given` names it: the default name or any locale's, so a console user may
    /// type `periodo:` as Discord shows it.
    pub fn answers_to(&self, given: &str) -> bool {
        self.name == given || Locale::ALL.into_iter().any(|l| self.local_name(l) == given)
    }
}

/// `period`, shared by `/indicators` and `/inquiries`.
/// The named periods `period` offers.
const PERIOD_CHOICES: &[Choice] = &[
    Choice {
        value: "today",
        label: "choice-today",
    },
    Choice {
        value: "yesterday",
        label: "choice-yesterday",
    },
    Choice {
        value: "last-7-days",
        label: "choice-last-7-days",
    },
    Choice {
        value: "last-30-days",
        label: "choice-last-30-days",
    },
    Choice {
        value: "this-month",
        label: "choice-this-month",
    },
    Choice {
        value: "last-month",
        label: "choice-last-month",
    },
];

/// `period` of `/indicators`.
pub static PERIOD: OptionSpec = OptionSpec {
    name: "period",
    description: "opt-period",
    required: false,
    choices: PERIOD_CHOICES,
    kind: OptionKind::Text,
};

/// `period` of `/inquiries`: the same values, described with what pending does without one
/// (the queue now). [`Args::period`] reads either, as both are named `period`.
pub static INQUIRIES_PERIOD: OptionSpec = OptionSpec {
    name: "period",
    description: "opt-inquiries-period",
    required: false,
    choices: PERIOD_CHOICES,
    kind: OptionKind::Text,
};

/// `from`: the first day of a custom period.
pub static FROM: OptionSpec = OptionSpec {
    name: "from",
    description: "opt-from",
    required: false,
    choices: &[],
    kind: OptionKind::Text,
};

/// `to`: the last day of a custom period.
pub static TO: OptionSpec = OptionSpec {
    name: "to",
    description: "opt-to",
    required: false,
    choices: &[],
    kind: OptionKind::Text,
};

/// `status`, the inquiries `/inquiries` lists.
pub static STATUS: OptionSpec = OptionSpec {
    name: "status",
    description: "opt-status",
    required: true,
    choices: &[
        Choice {
            value: "pending",
            label: "label-status-pending",
        },
        Choice {
            value: "in_progress",
            label: "label-status-in-progress",
        },
        Choice {
            value: "resolved",
            label: "label-status-resolved",
        },
        Choice {
            value: "expired",
            label: "label-status-expired",
        },
    ],
    kind: OptionKind::Text,
};

/// The options of one invocation, each one known to the command and given once, and who
/// gave them.
#[derive(Debug, Clone, Default)]
pub struct Args {
    values: Vec<(&'static str, String)>,
    caller: Option<String>,
}

impl Args {
    /// Checks `given` against `specs`: an unknown option (with the nearest known one), an
    /// option given twice or a missing required one is refused. Blank values count as not
    /// given. `command` names the command in the error, e.g. `alerts mute`.
    ///
    /// # Errors
    /// [`UserError`] naming the option at fault.
    pub fn parse(
        command: &str,
        specs: &[&'static OptionSpec],
        given: &[(String, String)],
    ) -> Result<Args, UserError> {
        let mut args = Vec::new();
        for (index, (name, value)) in given.iter().enumerate() {
            let Some(spec) = specs.iter().find(|spec| spec.answers_to(name)) else {
                let known: Vec<&'static str> = specs.iter().map(|spec| spec.name).collect();
                return Err(UserError::UnknownOption {
                    command: command.to_string(),
                    option: name.clone(),
                    suggestion: suggest::nearest(name, known.iter().copied()),
                    known,
                });
            };
            if given[..index]
                .iter()
                .any(|(earlier, _)| spec.answers_to(earlier))
            {
                return Err(UserError::DuplicateOption(spec.name.to_string()));
            }
            let value = value.trim();
            if !value.is_empty() {
                args.push((spec.name, value.to_string()));
            }
        }
        let args = Args {
            values: args,
            caller: None,
        };
        match specs
            .iter()
            .find(|spec| spec.required && args.get(spec).is_none())
        {
            Some(missing) => Err(UserError::MissingOption(missing.name)),
            None => Ok(args),
        }
    }

    /// The same options, given by `caller` (a display name), for commands that record who
    /// acted (an acknowledgement).
    pub fn called_by(self, caller: Option<String>) -> Args {
        Args { caller, ..self }
    }

    /// Who gave the options, when the transport knows.
    pub fn caller(&self) -> Option<&str> {
        self.caller.as_deref()
    }

    /// The value of `option`, if given.
    pub fn get(&self, option: &OptionSpec) -> Option<&str> {
        self.values
            .iter()
            .find(|(name, _)| *name == option.name)
            .map(|(_, value)| value.as_str())
    }

    /// The period from [`PERIOD`], or [`FROM`] + [`TO`]; `default` when none is given.
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
            .get(&PERIOD)
            .map(|value| {
                value
                    .parse::<NamedPeriod>()
                    .map_err(|_| UserError::BadOption {
                        option: PERIOD.name.into(),
                        value: value.into(),
                        expected: Expected::Period,
                    })
            })
            .transpose()?;
        let from = self.get(&FROM).map(|v| date(&FROM, v)).transpose()?;
        let to = self.get(&TO).map(|v| date(&TO, v)).transpose()?;
        let request = match (named, from, to) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => return Err(UserError::PeriodAndDates),
            (Some(named), None, None) => PeriodRequest::Named(named),
            (None, Some(from), Some(to)) => PeriodRequest::Custom { from, to },
            (None, None, None) => PeriodRequest::Named(default),
            (None, _, _) => return Err(UserError::HalfRange),
        };
        Ok(Period::resolve(request, timezone, now)?)
    }

    /// Whether a period was given (`period`, `from` or `to`), rather than left to a default.
    pub fn has_period(&self) -> bool {
        [&PERIOD, &FROM, &TO]
            .iter()
            .any(|option| self.get(option).is_some())
    }

    /// The required [`STATUS`].
    ///
    /// # Errors
    /// [`UserError`] when missing or unknown.
    pub fn status(&self) -> Result<InquiryStatus, UserError> {
        let value = self
            .get(&STATUS)
            .ok_or(UserError::MissingOption(STATUS.name))?;
        value.parse().map_err(|_| UserError::BadOption {
            option: STATUS.name.into(),
            value: value.into(),
            expected: Expected::Status,
        })
    }
}

fn date(option: &OptionSpec, value: &str) -> Result<NaiveDate, UserError> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| UserError::BadOption {
        option: option.name.into(),
        value: value.into(),
        expected: Expected::Date,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn given(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn unknown_options_name_the_nearest_and_list_the_known() {
        let specs = [&PERIOD, &FROM, &TO];
        let error = Args::parse("indicators", &specs, &given(&[("perod", "today")]));
        let Err(UserError::UnknownOption {
            option,
            suggestion,
            known,
            ..
        }) = error
        else {
            panic!("{error:?}")
        };
        assert_eq!((option.as_str(), suggestion), ("perod", Some("period")));
        assert_eq!(known, ["period", "from", "to"]);
        let far = Args::parse("indicators", &specs, &given(&[("colour", "red")]));
        assert!(matches!(
            far,
            Err(UserError::UnknownOption {
                suggestion: None,
                ..
            })
        ));
    }

    #[test]
    fn twice_given_and_missing_required_options_are_refused() {
        let twice = given(&[("period", "today"), ("period", "yesterday")]);
        let error = Args::parse("indicators", &[&PERIOD], &twice).unwrap_err();
        assert!(matches!(error, UserError::DuplicateOption(name) if name == "period"));
        let error = Args::parse("inquiries", &[&STATUS, &PERIOD], &given(&[])).unwrap_err();
        assert!(matches!(error, UserError::MissingOption("status")));
        let blank = Args::parse("indicators", &[&PERIOD], &given(&[("period", " ")])).unwrap();
        assert_eq!(blank.get(&PERIOD), None);
    }
}
