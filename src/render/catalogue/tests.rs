//! The catalogue cannot ship with a gap: every locale has the same keys and variables, every
//! key used in the code exists, and counted nouns read right for 1 and 2.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use fluent_syntax::parser;

use super::{message, source};
use crate::config::Locale;
use crate::render::locale::counted;

/// Message id → the variables it references, for one locale's file.
fn messages(locale: Locale) -> BTreeMap<String, BTreeSet<String>> {
    let resource = parser::parse(source(locale))
        .unwrap_or_else(|(_, errors)| panic!("{} has syntax errors: {errors:?}", locale.code()));
    let mut out = BTreeMap::new();
    for entry in resource.body {
        match entry {
            Entry::Message(message) => {
                let mut variables = BTreeSet::new();
                if let Some(pattern) = &message.value {
                    pattern_variables(pattern, &mut variables);
                }
                let id = message.id.name.to_string();
                assert!(out.insert(id.clone(), variables).is_none(), "{id} twice");
            }
            Entry::Junk { content } => panic!("unparsable text in {}: {content}", locale.code()),
            _ => {}
        }
    }
    out
}

fn pattern_variables(pattern: &Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(expression: &Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for variant in variants {
                pattern_variables(&variant.value, out);
            }
        }
        Expression::Inline(inline) => inline_variables(inline, out),
    }
}

fn inline_variables(inline: &InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_string());
        }
        InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, out);
            }
            for argument in &arguments.named {
                inline_variables(&argument.value, out);
            }
        }
        InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    }
}

#[test]
fn every_locale_has_the_same_keys_and_variables() {
    let reference = messages(Locale::Es);
    assert!(reference.len() > 100, "{} messages", reference.len());
    for locale in Locale::ALL {
        let other = messages(locale);
        let keys = |m: &BTreeMap<String, BTreeSet<String>>| m.keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&other), keys(&reference), "keys of {}", locale.code());
        for (key, variables) in &reference {
            assert_eq!(
                &other[key],
                variables,
                "variables of {key} in {}",
                locale.code()
            );
        }
    }
}

#[test]
fn locale_data_is_complete_and_codes_are_unique() {
    let codes: BTreeSet<&str> = Locale::ALL.iter().map(|l| l.code()).collect();
    assert_eq!(codes, BTreeSet::from(["en", "es", "pt"]));
    for locale in Locale::ALL {
        let format = locale.format();
        assert_ne!(format.thousands, format.decimal, "{}", format.code);
        assert!(!format.discord.is_empty(), "{}", format.code);
        assert!(format.discord.iter().all(|d| d.starts_with(format.code)));
    }
    assert_eq!(Locale::Pt.format().discord, ["pt-BR"]);
    assert_eq!(Locale::Es.format().discord, ["es-ES", "es-419"]);
}

/// Every key literal given to the `t!` macro or to `counted` in `src/` exists in the catalogue.
#[test]
fn every_key_used_in_the_code_exists() {
    let known = messages(Locale::Es);
    let mut used = BTreeSet::new();
    let mut files = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let code = std::fs::read_to_string(&path).unwrap();
            for call in ["t!(", "counted("] {
                for (start, _) in code.match_indices(call) {
                    let before = code[..start].chars().next_back();
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                        continue; // `assert!(`, `uncounted(`…
                    }
                    let rest = &code[start + call.len()..];
                    let Some(comma) = rest.find(',') else {
                        continue;
                    };
                    if rest[..comma].contains(['"', ';', '{', '(']) {
                        continue; // the first argument is not a plain locale expression
                    }
                    let after = rest[comma + 1..].trim_start();
                    let Some(literal) = after.strip_prefix('"') else {
                        continue;
                    };
                    let key = &literal[..literal.find('"').unwrap()];
                    used.insert((key.to_string(), path.display().to_string()));
                }
            }
        }
    }
    assert!(used.len() > 80, "the scan found only {} keys", used.len());
    let missing: Vec<_> = used
        .iter()
        .filter(|(key, _)| !known.contains_key(key))
        .collect();
    assert!(
        missing.is_empty(),
        "keys missing from the catalogue: {missing:?}"
    );
}

#[test]
fn counted_days_read_right_for_one_and_two() {
    for (locale, one, two) in [
        (Locale::Es, "1 día", "2 días"),
        (Locale::En, "1 day", "2 days"),
        (Locale::Pt, "1 dia", "2 dias"),
    ] {
        assert_eq!(counted(locale, "count-days", 1.0, 0), one);
        assert_eq!(counted(locale, "count-days", 2.0, 0), two);
    }
    assert_eq!(counted(Locale::En, "count-days", 1.0, 1), "1.0 days");
    assert_eq!(counted(Locale::Es, "count-days", 1234.0, 0), "1.234 días");
    assert_eq!(counted(Locale::Pt, "count-days", 2.5, 1), "2,5 dias");
}

#[test]
fn missing_keys_and_variables_show_instead_of_panicking() {
    assert_eq!(message(Locale::Pt, "no-such-key", &[]), "no-such-key");
    let text = message(Locale::En, "error-missing-option", &[]);
    assert_eq!(text, "The option `{$option}` is missing.");
}

#[test]
fn no_isolation_marks_reach_discord() {
    let text = message(
        Locale::Es,
        "error-missing-option",
        &[("option", "status".into())],
    );
    assert_eq!(text, "Falta la opción `status`.");
}

#[test]
fn the_code_read_from_the_text_is_the_parsed_one() {
    for locale in Locale::ALL {
        assert!(!locale.code().is_empty());
        assert_eq!(locale.code(), locale.format().code, "{locale:?}");
        assert_eq!(Locale::from_code(locale.code()), Some(locale));
    }
}
