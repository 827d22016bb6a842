//! Reply models → serenity builders. Always through [`Reply::fit_to_discord`], so nothing
//! sent can break a Discord limit.

use serde_json::Value;
use serenity::all::{
    ButtonStyle, CreateActionRow, CreateAttachment, CreateButton, CreateEmbed, CreateEmbedFooter,
    CreateInteractionResponse, CreateInteractionResponseFollowup, CreateInteractionResponseMessage,
    CreateMessage, EditInteractionResponse,
};

use super::reply::{ActionButton, Embed, Field, LinkButton, Reply};

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

/// Action buttons first (they are what an alert asks of people), then links, five a row.
fn rows(reply: &Reply) -> Vec<CreateActionRow> {
    let actions = reply.actions.iter().map(|action| {
        CreateButton::new(&action.custom_id)
            .label(&action.label)
            .style(ButtonStyle::Secondary)
    });
    let links = reply
        .links
        .iter()
        .map(|link| CreateButton::new_link(&link.url).label(&link.label));
    let buttons: Vec<CreateButton> = actions.chain(links).collect();
    buttons
        .chunks(BUTTONS_PER_ROW)
        .map(|chunk| CreateActionRow::Buttons(chunk.to_vec()))
        .collect()
}

/// Puts a fitted reply's content, embed and link buttons on any of serenity's message
/// builders; they share these methods but no trait.
macro_rules! with_reply {
    ($builder:expr, $reply:expr) => {{
        let reply = &$reply;
        let mut message = $builder.components(rows(reply));
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
pub fn response(mut reply: Reply) -> CreateInteractionResponse {
    let file = reply.attachment.take();
    let reply = reply.fit_to_discord();
    let mut message = CreateInteractionResponseMessage::new().ephemeral(reply.ephemeral);
    if let Some((name, bytes)) = file {
        message = message.add_file(CreateAttachment::bytes(bytes, name));
    }
    CreateInteractionResponse::Message(with_reply!(message, reply))
}

/// The edit that fills in a deferred answer (`PATCH …/messages/@original`), with the
/// reply's file attached when it has one.
pub fn edit(mut reply: Reply) -> EditInteractionResponse {
    let file = reply.attachment.take();
    let message = with_reply!(EditInteractionResponse::new(), reply.fit_to_discord());
    match file {
        Some((name, bytes)) => message.new_attachment(CreateAttachment::bytes(bytes, name)),
        None => message,
    }
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

/// The answer to a button press that edits the message the button is on (type 7).
pub fn update(reply: Reply) -> CreateInteractionResponse {
    let reply = reply.fit_to_discord();
    let message = CreateInteractionResponseMessage::new();
    CreateInteractionResponse::UpdateMessage(with_reply!(message, reply))
}

/// Reads a Discord create-message body as the reply it was rendered from: the outbox rows
/// queued before the outbox stored replies ([`crate::store::MessageFormat::DiscordMessage`])
/// are delivered through the same path as new ones. Only what [`message_payload`] writes is
/// read: the content, the first embed and link buttons.
pub fn reply_from_message_payload(body: &Value) -> Reply {
    let text = |value: &Value| value.as_str().map(str::to_string);
    let embed = body["embeds"].get(0).map(|embed| Embed {
        title: text(&embed["title"]).unwrap_or_default(),
        description: text(&embed["description"]),
        fields: embed["fields"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|field| Field {
                name: text(&field["name"]).unwrap_or_default(),
                value: text(&field["value"]).unwrap_or_default(),
                inline: field["inline"].as_bool().unwrap_or(false),
            })
            .collect(),
        footer: text(&embed["footer"]["text"]),
        color: embed["color"].as_u64().and_then(|c| u32::try_from(c).ok()),
        image: text(&embed["image"]["url"]),
    });
    let buttons: Vec<&Value> = body["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().into_iter().flatten())
        .collect();
    let links = buttons
        .iter()
        .filter_map(|button| {
            Some(LinkButton {
                label: text(&button["label"]).unwrap_or_default(),
                url: text(&button["url"])?,
            })
        })
        .collect();
    let actions = buttons
        .iter()
        .filter_map(|button| {
            Some(ActionButton {
                label: text(&button["label"]).unwrap_or_default(),
                custom_id: text(&button["custom_id"])?,
            })
        })
        .collect();
    Reply {
        ephemeral: false,
        content: text(&body["content"]),
        embed,
        links,
        actions,
        attachment: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body written by `message_payload` (what the outbox held before it stored replies)
    /// reads back as the reply it came from.
    #[test]
    fn a_stored_discord_body_reads_back_as_its_reply() {
        let reply = Reply {
            ephemeral: false,
            content: Some("⚠️ Saldo bajo".into()),
            embed: Some(Embed {
                title: "Resumen diario".into(),
                description: Some("Ayer · 23 nov 2026".into()),
                fields: vec![
                    Field {
                        name: "Consultas resueltas".into(),
                        value: "**120**\n+4".into(),
                        inline: true,
                    },
                    Field {
                        name: "Puntaje NPS".into(),
                        value: "42".into(),
                        inline: false,
                    },
                ],
                footer: Some("pulso".into()),
                color: Some(0x2f_d0_8a),
                image: Some("attachment://digest.png".into()),
            }),
            links: (0..7)
                .map(|i| LinkButton {
                    label: format!("Ver detalles {i}"),
                    url: format!("https://example.com/{i}"),
                })
                .collect(),
            actions: vec![ActionButton {
                label: "Confirmar".into(),
                custom_id: "alert:ack:1:w:queue_waiting".into(),
            }],
            attachment: None,
        };
        let body: Value = serde_json::from_str(&message_payload(reply.clone())).unwrap();
        assert_eq!(reply_from_message_payload(&body), reply);
    }
}
