//! Reply models → serenity builders. Always through [`Reply::fit_to_discord`], so nothing
//! sent can break a Discord limit.

use std::fmt::Write as _;

use serde_json::Value;
use serenity::all::{
    CreateActionRow, CreateButton, CreateEmbed, CreateEmbedFooter, CreateInteractionResponse,
    CreateInteractionResponseFollowup, CreateInteractionResponseMessage, CreateMessage,
    EditInteractionResponse,
};

use super::reply::{Embed, LinkButton, Reply};

/// Buttons per action row.
const BUTTONS_PER_ROW: usize = 5;

fn embed(embed: &Embed) -> CreateEmbed {
    let mut builder = CreateEmbed::new().title(&embed.title);
    if let Some(description) = &embed.description {
        builder = builder.description(description);
    }
    for field in &embed.fields {
        builder = builder.field(&field.name, &field.value, field.inline);
    }
    if let Some(footer) = &embed.footer {
        builder = builder.footer(CreateEmbedFooter::new(footer));
    }
    if let Some(color) = embed.color {
        builder = builder.color(color);
    }
    if let Some(image) = &embed.image {
        builder = builder.image(image);
    }
    builder
}

fn rows(links: &[LinkButton]) -> Vec<CreateActionRow> {
    links
        .chunks(BUTTONS_PER_ROW)
        .map(|chunk| {
            CreateActionRow::Buttons(
                chunk
                    .iter()
                    .map(|link| CreateButton::new_link(&link.url).label(&link.label))
                    .collect(),
            )
        })
        .collect()
}

/// Puts a fitted reply's content, embed and link buttons on any of serenity's message
/// builders; they share these methods but no trait.
macro_rules! with_reply {
    ($builder:expr, $reply:expr) => {{
        let reply = &$reply;
        let mut message = $builder.components(rows(&reply.links));
        if let Some(content) = &reply.content {
            message = message.content(content);
        }
        if let Some(card) = &reply.embed {
            message = message.embed(embed(card));
        }
        message
    }};
}

/// An immediate interaction answer (type 4).
pub fn response(reply: Reply) -> CreateInteractionResponse {
    let reply = reply.fit_to_discord();
    let message = CreateInteractionResponseMessage::new().ephemeral(reply.ephemeral);
    CreateInteractionResponse::Message(with_reply!(message, reply))
}

/// The edit that fills in a deferred answer (`PATCH …/messages/@original`).
pub fn edit(reply: Reply) -> EditInteractionResponse {
    with_reply!(EditInteractionResponse::new(), reply.fit_to_discord())
}

/// A follow-up message; used for private errors after a public deferral.
pub fn followup(reply: Reply) -> CreateInteractionResponseFollowup {
    let reply = reply.fit_to_discord();
    let message = CreateInteractionResponseFollowup::new().ephemeral(reply.ephemeral);
    with_reply!(message, reply)
}

/// The JSON body of a channel message (`POST /channels/{id}/messages`), as stored in the
/// outbox. Mentions are disabled: digests and alerts never ping anyone by accident.
pub fn message_payload(reply: Reply) -> String {
    let message = with_reply!(CreateMessage::new(), reply.fit_to_discord());
    let mut json = serde_json::to_value(&message).unwrap_or(Value::Null);
    json["allowed_mentions"] = serde_json::json!({ "parse": [] });
    json.to_string()
}

/// A stored message body as terminal text (console transport).
pub fn payload_text(body: &Value) -> String {
    let mut out = String::new();
    if let Some(content) = body["content"].as_str() {
        let _ = writeln!(out, "{content}");
    }
    for embed in body["embeds"].as_array().into_iter().flatten() {
        if let Some(title) = embed["title"].as_str() {
            let _ = writeln!(out, "== {title} ==");
        }
        if let Some(description) = embed["description"].as_str() {
            let _ = writeln!(out, "{description}");
        }
        for field in embed["fields"].as_array().into_iter().flatten() {
            let value = field["value"]
                .as_str()
                .unwrap_or_default()
                .replace("**", "")
                .replace('\n', " · ");
            let _ = writeln!(
                out,
                "  {}: {value}",
                field["name"].as_str().unwrap_or_default()
            );
        }
        if let Some(footer) = embed["footer"]["text"].as_str() {
            let _ = writeln!(out, "{footer}");
        }
    }
    for row in body["components"].as_array().into_iter().flatten() {
        for button in row["components"].as_array().into_iter().flatten() {
            let _ = writeln!(
                out,
                "  [{}] {}",
                button["label"].as_str().unwrap_or_default(),
                button["url"].as_str().unwrap_or_default()
            );
        }
    }
    out
}
