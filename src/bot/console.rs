//! The `console` transport: slash commands typed on stdin, answers printed as text.
//!
//! Like Hubot's shell adapter: the whole bot without a Discord account. Lines look like
//! Discord's own input, `/indicators period:last-7-days` or `/inquiries status:pending`;
//! values with spaces go in quotes (`name:"two words"`).

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};
use tokio_util::sync::CancellationToken;

use super::commands::{Action, COMMANDS};
use super::options::OptionSpec;
use super::{BotContext, Invocation, handle};
use crate::config::Locale;
use crate::render::catalogue::{message, t};

/// Parses one typed line into an invocation.
///
/// # Errors
/// A short explanation when the line is not a command.
pub fn parse_line(line: &str) -> Result<Invocation, String> {
    let tokens = split(line.trim())?;
    let Some(command) = tokens.first().and_then(|first| first.strip_prefix('/')) else {
        return Err(
            "commands start with '/', e.g. /indicators period:last-7-days (type /help)".into(),
        );
    };
    if command.is_empty() {
        return Err("missing the command name after '/' (type /help)".into());
    }
    let mut invocation = Invocation {
        command: command.to_string(),
        user: Some("console".to_string()),
        ..Invocation::default()
    };
    for token in &tokens[1..] {
        match token.split_once(':') {
            Some((name, value)) if !name.is_empty() => invocation
                .options
                .push((name.to_string(), value.to_string())),
            _ if invocation.subcommand.is_none() && invocation.options.is_empty() => {
                invocation.subcommand = Some(token.clone());
            }
            _ => return Err(format!("{token:?} is not an option; write name:value")),
        }
    }
    Ok(invocation)
}

/// Splits on whitespace, keeping double-quoted parts together (quotes removed).
fn split(line: &str) -> Result<Vec<String>, String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    tokens.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if quoted {
        return Err("unclosed quote".into());
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    Ok(tokens)
}

/// The help text in `locale`: every command with its options (or subcommands), read from
/// the same declarations as registration and parsing.
pub fn help(locale: Locale) -> String {
    let mut text = format!("{}\n", t!(locale, "help-heading"));
    for spec in COMMANDS {
        let usage = match &spec.action {
            Action::Run { options, .. } => options
                .iter()
                .map(|option| usage(option))
                .collect::<Vec<_>>()
                .join(" "),
            Action::Subcommands(subcommands) => subcommands
                .iter()
                .map(|sub| sub.name)
                .collect::<Vec<_>>()
                .join("|"),
        };
        let description = message(locale, spec.description, &[]);
        text.push_str(&format!("  /{} {usage}\n      {description}\n", spec.name));
    }
    text
}

/// `name:value` (required) or `[name:value]`, with the choices as the value when fixed.
fn usage(option: &OptionSpec) -> String {
    let value = if option.choices.is_empty() {
        "…".to_string()
    } else {
        let values: Vec<&str> = option.choices.iter().map(|choice| choice.value).collect();
        values.join("|")
    };
    if option.required {
        format!("{}:{value}", option.name)
    } else {
        format!("[{}:{value}]", option.name)
    }
}

/// Answers lines from `input` on `output` until the input ends or `shutdown` is cancelled.
/// `workspace` picks the workspace when several are configured.
///
/// # Errors
/// Only I/O errors on `output`.
pub async fn run(
    ctx: &BotContext,
    workspace: Option<String>,
    input: impl AsyncBufRead + Unpin,
    mut output: impl AsyncWrite + Unpin,
    shutdown: &CancellationToken,
) -> std::io::Result<()> {
    let mut lines = input.lines();
    loop {
        let line = tokio::select! {
            () = shutdown.cancelled() => return Ok(()),
            line = lines.next_line() => line?,
        };
        let Some(line) = line else { return Ok(()) };
        if line.trim().is_empty() {
            continue;
        }
        let text = match parse_line(&line) {
            // The console's own help stays in English, the language of its command names.
            Ok(invocation) if invocation.command == "help" => help(Locale::En),
            Ok(mut invocation) => {
                invocation.workspace = workspace.clone();
                // The console is the operator's own terminal: what needs Manage Server in
                // Discord (/alerts mute, ack, snooze, /digest send) is theirs to run.
                invocation.can_manage_guild = true;
                handle(ctx, &invocation).await.to_text()
            }
            Err(problem) => format!("{problem}\n"),
        };
        output.write_all(text.as_bytes()).await?;
        output.write_all(b"\n").await?;
        output.flush().await?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_options_subcommands_and_quotes() {
        let invocation = parse_line("/alerts mute duration:\"2 h\"  ").unwrap();
        assert_eq!(invocation.command, "alerts");
        assert_eq!(invocation.subcommand.as_deref(), Some("mute"));
        assert_eq!(
            invocation.options,
            vec![("duration".to_string(), "2 h".to_string())]
        );
    }

    #[test]
    fn rejects_text_that_is_not_a_command() {
        assert!(
            parse_line("indicators")
                .unwrap_err()
                .contains("start with '/'")
        );
        assert!(
            parse_line("/indicators period:\"x")
                .unwrap_err()
                .contains("unclosed")
        );
        assert!(
            parse_line("/indicators period:today stray")
                .unwrap_err()
                .contains("\"stray\"")
        );
    }
}
