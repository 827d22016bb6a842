//! The breakdown and filter options of `/indicators` and `/inquiries` (`origin`, `channel`,
//! `operator`, `by`, `top`), their parsing into a [`Filter`] and a breakdown request, and
//! the suggestions Discord's autocomplete shows for the three filter options.
//!
//! Kept apart from [`super::options`] because autocomplete reads the database: the option
//! declarations here are still the only ones registration, `/help` and parsing read.

use std::time::Duration;

use super::access::{self, Need};
use super::commands::{Action, COMMANDS};
use super::errors::Expected;
use super::options::{Args, Choice, OptionKind, OptionSpec};
use super::{BotContext, Invocation, UserError, resolve_workspace};
use crate::domain::{Dimension, Filter, MAX_VALUE_CHARS, parse_values};

/// `operator`: keep the inquiries of these operators (comma-separated).
pub static OPERATOR: OptionSpec = OptionSpec {
    name: "operator",
    description: "opt-operator",
    required: false,
    choices: &[],
    kind: OptionKind::Suggested,
};

/// `origin`: keep the inquiries of these origins (comma-separated).
pub static ORIGIN: OptionSpec = OptionSpec {
    name: "origin",
    description: "opt-origin",
    required: false,
    choices: &[],
    kind: OptionKind::Suggested,
};

/// `channel`: keep the inquiries from these channels (comma-separated).
pub static CHANNEL: OptionSpec = OptionSpec {
    name: "channel",
    description: "opt-channel",
    required: false,
    choices: &[],
    kind: OptionKind::Suggested,
};

/// `by`: split the indicators by one dimension (a breakdown instead of the card).
pub static BY: OptionSpec = OptionSpec {
    name: "by",
    description: "opt-by",
    required: false,
    choices: &[
        Choice {
            value: "operator",
            label: "choice-by-operator",
        },
        Choice {
            value: "origin",
            label: "choice-by-origin",
        },
        Choice {
            value: "channel",
            label: "choice-by-channel",
        },
    ],
    kind: OptionKind::Text,
};

/// Most rows a breakdown shows on Discord (as many as an embed keeps readable).
pub const MAX_TOP: i64 = 25;

/// Rows a breakdown shows when `top` is not given.
pub const DEFAULT_TOP: usize = 10;

/// `top`: how many rows a breakdown shows (the rest are summed as "others").
pub static TOP: OptionSpec = OptionSpec {
    name: "top",
    description: "opt-top",
    required: false,
    choices: &[],
    kind: OptionKind::Integer {
        min: 1,
        max: MAX_TOP,
    },
};

/// The three filter options, in [`Dimension::ALL`] order.
const FILTERS: [(&OptionSpec, Dimension); 3] = [
    (&OPERATOR, Dimension::Operator),
    (&ORIGIN, Dimension::Origin),
    (&CHANNEL, Dimension::Channel),
];

impl Args {
    /// The [`Filter`] from `operator`, `origin` and `channel` (each comma-separated).
    ///
    /// # Errors
    /// [`UserError::BadOption`] naming the option whose list is empty, too long or has a
    /// value over 100 characters.
    pub fn filter(&self) -> Result<Filter, UserError> {
        let mut filter = Filter::default();
        for (option, dimension) in FILTERS {
            if let Some(text) = self.get(option) {
                let values = parse_values(text).map_err(|_| UserError::BadOption {
                    option: option.name.into(),
                    value: text.into(),
                    expected: Expected::FilterValues,
                })?;
                filter.set(dimension, values);
            }
        }
        Ok(filter)
    }

    /// The breakdown asked for with `by` (and `top`, default [`DEFAULT_TOP`]), if any.
    ///
    /// # Errors
    /// [`UserError::BadOption`] for an unknown `by`, a `top` that is not a whole number in
    /// 1..=25, or a `top` without `by` (it would silently do nothing).
    pub fn breakdown(&self) -> Result<Option<(Dimension, usize)>, UserError> {
        let top = self
            .get(&TOP)
            .map(|text| match text.parse::<i64>() {
                Ok(top) if (1..=MAX_TOP).contains(&top) => Ok(top as usize),
                _ => Err(UserError::BadOption {
                    option: TOP.name.into(),
                    value: text.into(),
                    expected: Expected::Top,
                }),
            })
            .transpose()?;
        let Some(by) = self.get(&BY) else {
            return match top {
                Some(top) => Err(UserError::BadOption {
                    option: TOP.name.into(),
                    value: top.to_string(),
                    expected: Expected::TopWithoutBy,
                }),
                None => Ok(None),
            };
        };
        let by = by.parse::<Dimension>().map_err(|_| UserError::BadOption {
            option: BY.name.into(),
            value: by.into(),
            expected: Expected::Dimension,
        })?;
        Ok(Some((by, top.unwrap_or(DEFAULT_TOP))))
    }
}

/// Most suggestions Discord shows.
pub const MAX_SUGGESTIONS: usize = 25;

/// Longest pulso waits for suggestions; Discord drops an autocomplete answer after 3 s.
const SUGGEST_TIMEOUT: Duration = Duration::from_millis(2000);

/// The suggestions for the focused `option` of `invocation`'s command, starting with
/// `prefix`: values of its dimension seen in the last 90 days in the invocation's
/// workspace. Empty (never an error, which Discord could not show) from a direct message,
/// a server without a workspace, a member the workspace's roles exclude, an option without
/// autocomplete, or when the database is slow or failing (logged).
pub async fn suggestions(
    ctx: &BotContext,
    invocation: &Invocation,
    option: &str,
    prefix: &str,
) -> Vec<String> {
    if invocation.direct_message || invocation.guild_id.is_none() {
        return Vec::new();
    }
    let Ok(workspace) = resolve_workspace(&ctx.config, invocation) else {
        return Vec::new();
    };
    let allowed = access::check(
        workspace,
        Need::View,
        invocation.can_manage_guild,
        &invocation.roles,
    );
    let Some(dimension) = suggested_dimension(&invocation.command, option) else {
        return Vec::new();
    };
    if allowed.is_err() {
        return Vec::new();
    }
    let now = ctx.clock.now();
    // Values over Discord's 100 characters cannot be offered; ask for more than shown so
    // skipping them still leaves a full list.
    let read = ctx.store.recent_values(
        &workspace.id,
        workspace.timezone,
        dimension,
        prefix,
        MAX_SUGGESTIONS * 4,
        now,
    );
    match tokio::time::timeout(SUGGEST_TIMEOUT, read).await {
        Ok(Ok(values)) => values
            .into_iter()
            .filter(|value| value.chars().count() <= MAX_VALUE_CHARS)
            .take(MAX_SUGGESTIONS)
            .collect(),
        Ok(Err(error)) => {
            tracing::warn!(workspace = %workspace.id, %error, "autocomplete could not read values");
            Vec::new()
        }
        Err(_) => {
            tracing::warn!(workspace = %workspace.id, "autocomplete timed out");
            Vec::new()
        }
    }
}

/// The dimension whose values `option` of `command` suggests, when it is an autocomplete
/// option of that command.
fn suggested_dimension(command: &str, option: &str) -> Option<Dimension> {
    let spec = COMMANDS.iter().find(|spec| spec.name == command)?;
    let Action::Run { options, .. } = &spec.action else {
        return None;
    };
    let spec = options
        .iter()
        .find(|spec| spec.name == option && spec.kind == OptionKind::Suggested)?;
    FILTERS
        .iter()
        .find(|(filter, _)| filter.name == spec.name)
        .map(|(_, dimension)| *dimension)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(pairs: &[(&str, &str)]) -> Result<Args, UserError> {
        let given: Vec<(String, String)> = pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        Args::parse(
            "indicators",
            &[&OPERATOR, &ORIGIN, &CHANNEL, &BY, &TOP],
            &given,
        )
    }

    #[test]
    fn filter_options_become_a_filter_and_bad_lists_name_the_option() {
        let filter = args(&[("origen", "payments, refunds"), ("channel", "web")])
            .unwrap()
            .filter()
            .unwrap();
        assert_eq!(filter.origin, ["payments", "refunds"]);
        assert_eq!(filter.channel, ["web"]);
        let error = args(&[("origin", " , ")]).unwrap().filter().unwrap_err();
        assert!(matches!(error, UserError::BadOption { ref option, .. } if option == "origin"));
    }

    #[test]
    fn by_and_top_are_checked() {
        let none = args(&[]).unwrap().breakdown().unwrap();
        assert_eq!(none, None);
        let by = args(&[("by", "operator")]).unwrap().breakdown().unwrap();
        assert_eq!(by, Some((Dimension::Operator, DEFAULT_TOP)));
        let top = args(&[("by", "channel"), ("top", "3")]).unwrap();
        assert_eq!(top.breakdown().unwrap(), Some((Dimension::Channel, 3)));
        for bad in ["0", "26", "x", "2.5"] {
            let error = args(&[("by", "origin"), ("top", bad)])
                .unwrap()
                .breakdown()
                .unwrap_err();
            assert!(
                matches!(error, UserError::BadOption { ref option, expected: Expected::Top, .. } if option == "top"),
                "{bad}"
            );
        }
        let alone = args(&[("top", "5")]).unwrap().breakdown().unwrap_err();
        assert!(matches!(
            alone,
            UserError::BadOption {
                expected: Expected::TopWithoutBy,
                ..
            }
        ));
        assert!(args(&[("by", "agent")]).unwrap().breakdown().is_err());
        assert_eq!(
            suggested_dimension("indicators", "origin"),
            Some(Dimension::Origin)
        );
        assert_eq!(suggested_dimension("indicators", "period"), None);
        assert_eq!(suggested_dimension("digest", "origin"), None);
    }
}
