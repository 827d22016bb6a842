//! The text catalogue: every user-facing string, one Project Fluent file per locale
//! (`es.ftl`, `en.ftl`, `pt.ftl`, embedded at build time), with CLDR plural forms and the
//! locale's format data (number separators, date patterns, Discord locale codes).
//!
//! One catalogue per locale means a translator edits one file, and a new locale is one new
//! `.ftl` file plus its [`Locale`] variant and the line in [`source`]. Call sites ask with
//! [`t!`] (`t!(locale, "error-missing-option", option = name)`) or [`counted`] for counted
//! nouns (`render::locale::counted`); numbers are formatted by pulso (`render::locale::number`) and passed in as text,
//! so Fluent only chooses words. A key missing at runtime logs an error and shows the key
//! instead of panicking; the unit tests in `tests.rs` make sure none can be shipped.

#[cfg(test)]
mod tests;

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::types::{FluentNumber, FluentNumberOptions};
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;

use crate::config::Locale;

/// The Fluent source of `locale`: the only place that pairs a locale with its file.
fn source(locale: Locale) -> &'static str {
    match locale {
        Locale::Es => include_str!("es.ftl"),
        Locale::En => include_str!("en.ftl"),
        Locale::Pt => include_str!("pt.ftl"),
    }
}

/// Locale data that is not a sentence, read from the `locale-*` and `number-*` entries of
/// the locale's file so that adding a locale never touches Rust tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocaleFormat {
    /// The code in config files (`locale = "pt"`), also the prefix of its Discord locales.
    pub code: &'static str,
    /// The Discord locales registration localizes for (`pt-BR`, `es-ES es-419`).
    pub discord: Vec<&'static str>,
    /// Thousands separator (`.` in `1.234,5`).
    pub thousands: char,
    /// Decimal separator (`,` in `1.234,5`).
    pub decimal: char,
}

/// A locale's Fluent bundle and format data, built once per process.
struct Catalogue {
    bundle: FluentBundle<&'static FluentResource>,
    format: LocaleFormat,
}

/// Each locale's catalogue, parsed the first time it is used: a one-shot command answers in
/// one language and should not parse the others (about a third of a millisecond each).
static CATALOGUES: [OnceLock<Catalogue>; Locale::ALL.len()] =
    [const { OnceLock::new() }; Locale::ALL.len()];

fn catalogue(locale: Locale) -> &'static Catalogue {
    let index = Locale::ALL.iter().position(|l| *l == locale).unwrap_or(0);
    CATALOGUES[index].get_or_init(|| load(locale))
}

/// The value of the one-line message `id = value` read from the file's text, without
/// parsing it (for [`Locale::code`]); `tests.rs` checks it equals the parsed value.
fn source_line(locale: Locale, id: &str) -> &'static str {
    source(locale)
        .lines()
        .find_map(|line| line.strip_prefix(id)?.trim_start().strip_prefix('='))
        .map_or("", str::trim)
}

/// The plain text of message `id` straight from the syntax tree (before any bundle
/// exists: the language tag is needed to build it).
fn literal(resource: &'static FluentResource, id: &str) -> &'static str {
    resource
        .entries()
        .find_map(|entry| match entry {
            ast::Entry::Message(message) if message.id.name == id => message.value.as_ref(),
            _ => None,
        })
        .and_then(|pattern| match pattern.elements.as_slice() {
            [ast::PatternElement::TextElement { value }] => Some(*value),
            _ => None,
        })
        .unwrap_or_else(|| {
            tracing::error!(id, "locale data missing from a catalogue");
            ""
        })
}

fn load(locale: Locale) -> Catalogue {
    let resource = match FluentResource::try_new(source(locale).to_string()) {
        Ok(resource) => resource,
        Err((resource, errors)) => {
            tracing::error!(?errors, "a text catalogue has syntax errors");
            resource
        }
    };
    // Leaked once per locale (the catalogues live as long as the process anyway), so the
    // bundle and the format data borrow one parsed copy.
    let resource: &'static FluentResource = Box::leak(Box::new(resource));
    let langid: unic_langid::LanguageIdentifier = literal(resource, "locale-langid")
        .parse()
        .unwrap_or_default();
    let separator = |id: &str| literal(resource, id).chars().next().unwrap_or(' ');
    let format = LocaleFormat {
        code: literal(resource, "locale-code"),
        discord: literal(resource, "locale-discord")
            .split_whitespace()
            .collect(),
        thousands: separator("number-thousands"),
        decimal: separator("number-decimal"),
    };
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Discord shows U+2068/U+2069 isolation marks as boxes on some clients.
    bundle.set_use_isolating(false);
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(?errors, "a text catalogue has duplicate entries");
    }
    Catalogue { bundle, format }
}

impl Locale {
    /// The locale's separators, config code and Discord locales.
    pub fn format(self) -> &'static LocaleFormat {
        &catalogue(self).format
    }

    /// The code used in config files (`es`, `en`, `pt`). Read from the file's text: loading
    /// a config matches every workspace's `locale` against each code, which must not parse
    /// every catalogue.
    pub fn code(self) -> &'static str {
        source_line(self, "locale-code")
    }
}

/// A value for a message variable: text (numbers already formatted by pulso), or a number
/// that only chooses a plural form or a variant.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// Shown as is.
    Text(String),
    /// Matched against plural categories or numeric variants, with its shown decimals
    /// (`1.0` days is "other" in English).
    Number {
        /// The value, already rounded to `decimals`.
        value: f64,
        /// Fraction digits as shown.
        decimals: usize,
    },
}

impl From<&str> for Arg {
    fn from(text: &str) -> Arg {
        Arg::Text(text.to_string())
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Arg {
        Arg::Text(text)
    }
}

impl From<&String> for Arg {
    fn from(text: &String) -> Arg {
        Arg::Text(text.clone())
    }
}

impl From<u32> for Arg {
    fn from(value: u32) -> Arg {
        Arg::Number {
            value: f64::from(value),
            decimals: 0,
        }
    }
}

impl Arg {
    fn to_fluent(&self) -> FluentValue<'_> {
        match self {
            Arg::Text(text) => FluentValue::from(text.as_str()),
            Arg::Number { value, decimals } => {
                let options = FluentNumberOptions {
                    minimum_fraction_digits: (*decimals > 0).then_some(*decimals),
                    ..FluentNumberOptions::default()
                };
                FluentValue::Number(FluentNumber::new(*value, options))
            }
        }
    }
}

/// Message `key` of `locale` with `args`. A missing key or variable is logged and shows
/// the key (or `{$variable}`), so a catalogue slip never takes a reply down.
pub fn message(locale: Locale, key: &str, args: &[(&str, Arg)]) -> String {
    let bundle = &catalogue(locale).bundle;
    let Some(pattern) = bundle.get_message(key).and_then(|message| message.value()) else {
        tracing::error!(
            key,
            locale = locale.code(),
            "text missing from the catalogue"
        );
        return key.to_string();
    };
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        fluent_args.set(*name, value.to_fluent());
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
    if !errors.is_empty() {
        tracing::error!(
            key,
            locale = locale.code(),
            ?errors,
            "text could not be filled in"
        );
    }
    text.into_owned()
}

/// `t!(locale, "label-total")` or `t!(locale, "digest-late", time = text)`: the message,
/// with each `name = value` (anything that converts into an [`Arg`]) as `$name`. The key must be a literal,
/// so the catalogue tests can find every key used.
macro_rules! t {
    ($locale:expr, $key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::render::catalogue::message(
            $locale,
            $key,
            &[$((stringify!($name), $crate::render::catalogue::Arg::from($value))),*],
        )
    };
}
pub(crate) use t;
