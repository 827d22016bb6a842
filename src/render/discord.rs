//! Reply models → serenity builders. Always through [`Reply::fit_to_discord`], so nothing
//! sent can break a Discord limit.

use serenity::all::{
    CreateActionRow, CreateButton, CreateEmbed, CreateEmbedFooter, CreateInteractionResponse,
    CreateInteractionResponseFollowup, CreateInteractionResponseMessage, EditInteractionResponse,
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

/// An immediate interaction answer (type 4).
pub fn response(reply: Reply) -> CreateInteractionResponse {
    let reply = reply.fit_to_discord();
    let mut message = CreateInteractionResponseMessage::new()
        .ephemeral(reply.ephemeral)
        .components(rows(&reply.links));
    if let Some(content) = &reply.content {
        message = message.content(content);
    }
    if let Some(card) = &reply.embed {
        message = message.embed(embed(card));
    }
    CreateInteractionResponse::Message(message)
}

/// The edit that fills in a deferred answer (`PATCH …/messages/@original`).
pub fn edit(reply: Reply) -> EditInteractionResponse {
    let reply = reply.fit_to_discord();
    let mut message = EditInteractionResponse::new().components(rows(&reply.links));
    if let Some(content) = &reply.content {
        message = message.content(content);
    }
    if let Some(card) = &reply.embed {
        message = message.embed(embed(card));
    }
    message
}

/// A follow-up message; used for private errors after a public deferral.
pub fn followup(reply: Reply) -> CreateInteractionResponseFollowup {
    let reply = reply.fit_to_discord();
    let mut message = CreateInteractionResponseFollowup::new()
        .ephemeral(reply.ephemeral)
        .components(rows(&reply.links));
    if let Some(content) = &reply.content {
        message = message.content(content);
    }
    if let Some(card) = &reply.embed {
        message = message.embed(embed(card));
    }
    message
}
