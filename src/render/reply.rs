//! The reply model: what a command answers, independent of where it is shown.
//!
//! Commands build a [`Reply`]; [`super::discord`] turns it into Discord builders and
//! [`Reply::to_text`] into terminal text. Discord's limits that serenity does not check
//! (25 fields, 256/1024 characters for field names/values, 6000 characters per message,
//! button labels and URLs) are enforced by [`Reply::fit_to_discord`], counting characters
//! as Discord does (Unicode scalar values).

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::chars::truncate;

/// Most fields in one embed.
pub const MAX_FIELDS: usize = 25;
/// Longest embed title.
pub const MAX_TITLE: usize = 256;
/// Longest embed description.
pub const MAX_DESCRIPTION: usize = 4096;
/// Longest field name.
pub const MAX_FIELD_NAME: usize = 256;
/// Longest field value.
pub const MAX_FIELD_VALUE: usize = 1024;
/// Longest footer.
pub const MAX_FOOTER: usize = 2048;
/// Most characters across title, description, fields and footer of a message's embeds.
pub const MAX_EMBED_TOTAL: usize = 6000;
/// Longest message content.
pub const MAX_CONTENT: usize = 2000;
/// Longest button label.
pub const MAX_BUTTON_LABEL: usize = 80;
/// Longest link-button URL.
pub const MAX_BUTTON_URL: usize = 512;
/// Most buttons per message (5 action rows of 5).
pub const MAX_BUTTONS: usize = 25;

/// A command's answer, and what the outbox stores for a digest or an alert (as JSON, see
/// [`Reply::to_stored`]): the same model is rendered for Discord or the terminal when it
/// is shown or delivered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Reply {
    /// Only the person who asked sees it (errors, previews).
    pub ephemeral: bool,
    /// Plain text above the embed.
    pub content: Option<String>,
    /// The main card.
    pub embed: Option<Embed>,
    /// "View details" link buttons.
    pub links: Vec<LinkButton>,
    /// Buttons that come back to pulso when pressed (Acknowledge, Snooze on an alert).
    pub actions: Vec<ActionButton>,
    /// A file sent with an answer, `(name, bytes)`: a breakdown's CSV of every group.
    /// Never stored: the outbox carries the digest chart its own way.
    #[serde(skip)]
    pub attachment: Option<(String, Vec<u8>)>,
}

/// A card: Discord shows it as an embed, the terminal as a block of lines.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Embed {
    /// Heading.
    pub title: String,
    /// Text under the heading.
    pub description: Option<String>,
    /// Name/value pairs.
    pub fields: Vec<Field>,
    /// Small text at the bottom.
    pub footer: Option<String>,
    /// Side colour, 0xRRGGBB.
    pub color: Option<u32>,
    /// Image shown in the embed, e.g. `attachment://chart.png`.
    pub image: Option<String>,
}

/// One embed field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// Label.
    pub name: String,
    /// Content; may hold several lines.
    pub value: String,
    /// Shown side by side with its neighbours.
    pub inline: bool,
}

/// A button that opens a URL (Discord style 5; sends no interaction).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkButton {
    /// Text on the button.
    pub label: String,
    /// Where it leads.
    pub url: String,
}

/// A button that sends pulso a component interaction carrying `custom_id` (Discord style
/// 2, secondary); the console offers the same actions as commands instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionButton {
    /// Text on the button.
    pub label: String,
    /// What pulso reads back from the press (at most [`MAX_CUSTOM_ID`] characters).
    pub custom_id: String,
}

/// Longest `custom_id` Discord accepts.
pub const MAX_CUSTOM_ID: usize = 100;

impl Reply {
    /// A private text answer, for errors and confirmations.
    pub fn ephemeral_text(text: impl Into<String>) -> Reply {
        Reply {
            ephemeral: true,
            content: Some(text.into()),
            ..Reply::default()
        }
    }

    /// Trims the reply to Discord's limits: truncates over-long text with "…", keeps the
    /// first 25 fields and 25 buttons, drops buttons whose URL is too long, and shortens
    /// field values from the last one backwards until the embed fits 6000 characters.
    pub fn fit_to_discord(mut self) -> Reply {
        self.content = self.content.map(|text| truncate(&text, MAX_CONTENT));
        if let Some(embed) = self.embed.as_mut() {
            embed.fit();
        }
        self.links
            .retain(|link| link.url.chars().count() <= MAX_BUTTON_URL);
        self.actions
            .retain(|action| action.custom_id.chars().count() <= MAX_CUSTOM_ID);
        self.actions.truncate(MAX_BUTTONS);
        self.links
            .truncate(MAX_BUTTONS.saturating_sub(self.actions.len()));
        for link in &mut self.links {
            link.label = truncate(&link.label, MAX_BUTTON_LABEL);
        }
        for action in &mut self.actions {
            action.label = truncate(&action.label, MAX_BUTTON_LABEL);
        }
        self
    }

    /// The reply as the outbox stores it: JSON of this model. New fields must be optional
    /// (`serde(default)`), so rows queued by an older pulso still read.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| unreachable!("a reply is plain data"))
    }

    /// Reads a reply written by [`Reply::to_stored`].
    ///
    /// # Errors
    /// The JSON error, when the text is not a stored reply.
    pub fn from_stored(text: &str) -> Result<Reply, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Renders the reply for a terminal: Discord's bold markers (`**`) are dropped, since
    /// a terminal would print them as typed.
    pub fn to_text(&self) -> String {
        let unbold = |text: &str| text.replace("**", "");
        let mut out = String::new();
        if let Some(content) = &self.content {
            let _ = writeln!(out, "{}", unbold(content));
        }
        if let Some(embed) = &self.embed {
            let _ = writeln!(out, "== {} ==", embed.title);
            if let Some(description) = &embed.description {
                let _ = writeln!(out, "{}", unbold(description));
            }
            for field in &embed.fields {
                // A table in a code block keeps its lines, so its columns stay aligned.
                if let Some(table) = field.value.strip_prefix("```\n") {
                    let _ = writeln!(out, "  {}:", field.name);
                    for line in table.trim_end_matches("```").lines() {
                        let _ = writeln!(out, "    {line}");
                    }
                    continue;
                }
                let value = unbold(&field.value).replace('\n', " · ");
                let _ = writeln!(out, "  {}: {value}", field.name);
            }
            if let Some(footer) = &embed.footer {
                let _ = writeln!(out, "{footer}");
            }
        }
        for link in &self.links {
            let _ = writeln!(out, "  [{}] {}", link.label, link.url);
        }
        if let Some((name, bytes)) = &self.attachment {
            let lines = bytes.iter().filter(|&&byte| byte == b'\n').count();
            let _ = writeln!(out, "  [file] {name} ({lines} lines)");
        }
        out
    }
}

impl Embed {
    /// Characters Discord counts toward the 6000 limit.
    pub fn total_chars(&self) -> usize {
        let len = |text: &str| text.trim().chars().count();
        len(&self.title)
            + self.description.as_deref().map_or(0, len)
            + self.footer.as_deref().map_or(0, len)
            + self
                .fields
                .iter()
                .map(|field| len(&field.name) + len(&field.value))
                .sum::<usize>()
    }

    fn fit(&mut self) {
        self.title = truncate(&self.title, MAX_TITLE);
        self.description = self
            .description
            .take()
            .map(|d| truncate(&d, MAX_DESCRIPTION));
        self.footer = self.footer.take().map(|f| truncate(&f, MAX_FOOTER));
        self.fields.truncate(MAX_FIELDS);
        for field in &mut self.fields {
            field.name = truncate(&field.name, MAX_FIELD_NAME);
            field.value = truncate(&field.value, MAX_FIELD_VALUE);
        }
        // Over the total: the footer goes first, then the description, then fields from the
        // last one (shortened, or dropped when even one character does not fit); the first
        // fields carry the figures people came for.
        let excess = self.total_chars().saturating_sub(MAX_EMBED_TOTAL);
        self.footer = shrink(self.footer.take(), excess);
        let excess = self.total_chars().saturating_sub(MAX_EMBED_TOTAL);
        self.description = shrink(self.description.take(), excess);
        while self.total_chars() > MAX_EMBED_TOTAL {
            let excess = self.total_chars() - MAX_EMBED_TOTAL;
            let Some(field) = self.fields.last_mut() else {
                break;
            };
            let length = field.value.chars().count();
            if length > excess {
                field.value = truncate(&field.value, length - excess);
            } else {
                self.fields.pop();
            }
        }
    }
}

/// Removes `excess` characters from the end of `text` (with "…"); `None` when nothing is left.
fn shrink(text: Option<String>, excess: usize) -> Option<String> {
    let text = text?;
    if excess == 0 {
        return Some(text);
    }
    let keep = text.chars().count().saturating_sub(excess);
    (keep > 1).then(|| truncate(&text, keep))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, value: &str) -> Field {
        Field {
            name: name.into(),
            value: value.into(),
            inline: true,
        }
    }

    #[test]
    fn oversized_embed_is_cut_to_every_limit() {
        let reply = Reply {
            embed: Some(Embed {
                title: "t".repeat(300),
                description: Some("d".repeat(5000)),
                fields: (0..30)
                    .map(|i| field(&"n".repeat(300), &format!("{i}{}", "v".repeat(1500))))
                    .collect(),
                footer: Some("f".repeat(3000)),
                color: None,
                image: None,
            }),
            links: vec![
                LinkButton {
                    label: "l".repeat(100),
                    url: "https://example.com/".into(),
                },
                LinkButton {
                    label: "too long".into(),
                    url: format!("https://example.com/{}", "x".repeat(600)),
                },
            ],
            ..Reply::default()
        }
        .fit_to_discord();
        let embed = reply.embed.unwrap();
        assert_eq!(embed.title.chars().count(), MAX_TITLE);
        assert!(embed.title.ends_with('…'));
        // 25 names of 256 characters alone exceed 6000: the last fields had to go.
        assert!(
            !embed.fields.is_empty() && embed.fields.len() < MAX_FIELDS,
            "{}",
            embed.fields.len()
        );
        assert!(
            embed.fields[0].value.starts_with('0'),
            "the first field is kept"
        );
        assert_eq!(embed.footer, None);
        assert_eq!(embed.description, None);
        assert!(
            embed
                .fields
                .iter()
                .all(|f| f.name.chars().count() <= MAX_FIELD_NAME)
        );
        assert!(
            embed
                .fields
                .iter()
                .all(|f| f.value.chars().count() <= MAX_FIELD_VALUE)
        );
        assert!(
            embed.total_chars() <= MAX_EMBED_TOTAL,
            "{}",
            embed.total_chars()
        );
        assert_eq!(reply.links.len(), 1);
        assert_eq!(reply.links[0].label.chars().count(), MAX_BUTTON_LABEL);
    }

    #[test]
    fn thirty_short_fields_keep_the_first_25() {
        let reply = Reply {
            embed: Some(Embed {
                title: "t".into(),
                fields: (0..30).map(|i| field(&format!("n{i}"), "v")).collect(),
                ..Embed::default()
            }),
            ..Reply::default()
        }
        .fit_to_discord();
        let fields = reply.embed.unwrap().fields;
        assert_eq!(fields.len(), MAX_FIELDS);
        assert_eq!(fields[24].name, "n24");
    }

    #[test]
    fn small_embed_is_unchanged() {
        let reply = Reply {
            embed: Some(Embed {
                title: "ñandú".into(),
                fields: vec![field("a", "b")],
                ..Embed::default()
            }),
            ..Reply::default()
        };
        assert_eq!(reply.clone().fit_to_discord(), reply);
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        assert_eq!(truncate("ñññ", 3), "ñññ");
        assert_eq!(truncate("ññññ", 3), "ññ…");
    }

    #[test]
    fn the_terminal_gets_no_bold_markers() {
        let reply = Reply {
            content: Some("**hola**".into()),
            embed: Some(Embed {
                title: "t".into(),
                description: Some("Esperando: **5 consultas**.".into()),
                fields: vec![field("Saldo", "**49,40 USD**\n< 50")],
                ..Embed::default()
            }),
            ..Reply::default()
        };
        assert_eq!(
            reply.to_text(),
            "hola\n== t ==\nEsperando: 5 consultas.\n  Saldo: 49,40 USD · < 50\n"
        );
    }
}
