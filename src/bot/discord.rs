//! The Discord side shared by the gateway and HTTP transports: the REST client, reading an
//! interaction into an [`Invocation`], and registering the command list.

use secrecy::ExposeSecret;
use serenity::all::{
    ApplicationId, AutocompleteChoice, Command, CommandDataOption, CommandDataOptionValue,
    CommandInteraction, CommandOptionType, ComponentInteraction, CreateAutocompleteResponse,
    CreateCommand, CreateCommandOption, CreateInteractionResponse, GuildId, Http, HttpBuilder,
    Member, User,
};

use super::commands::{Action, COMMANDS, CommandSpec, subcommand_name_key};
use super::options::{OptionKind, OptionSpec};
use super::{Invocation, Press, PressAnswer};
use crate::config::{DiscordSettings, Locale};
use crate::render::catalogue::message;

/// The language of the default names and descriptions (Discord requires one); every other
/// locale's texts go in as localizations.
const DEFAULT: Locale = Locale::En;

/// Why talking to Discord failed.
#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    /// A setting the call needs is missing.
    #[error("{0}")]
    Setup(String),
    /// Discord (or the fake) refused or could not be reached. Boxed: serenity's error is
    /// large and this travels through every `Result` of the transports.
    #[error("Discord API error: {0}")]
    Api(Box<serenity::Error>),
}

impl From<serenity::Error> for DiscordError {
    fn from(error: serenity::Error) -> DiscordError {
        DiscordError::Api(Box::new(error))
    }
}

/// The REST client. With `api_base` set, every call goes there instead of discord.com and
/// serenity's own rate limiter is off (it would ignore the base URL otherwise), so the
/// caller handles 429s.
pub fn http_client(settings: &DiscordSettings) -> Http {
    let token = settings
        .token
        .as_ref()
        .map(|token| token.expose_secret().to_string())
        .unwrap_or_default();
    let mut builder = HttpBuilder::new(token);
    if let Some(id) = settings.application_id {
        builder = builder.application_id(ApplicationId::new(id));
    }
    if let Some(base) = &settings.api_base {
        builder = builder.proxy(base.clone()).ratelimiter_disabled(true);
    }
    builder.build()
}

/// Reads a slash-command interaction into the transport-free [`Invocation`].
pub fn invocation(interaction: &CommandInteraction) -> Invocation {
    let mut subcommand = None;
    let mut options = Vec::new();
    for option in &interaction.data.options {
        match &option.value {
            CommandDataOptionValue::SubCommand(inner) => {
                subcommand = Some(option.name.clone());
                options.extend(inner.iter().filter_map(option_text));
            }
            _ => options.extend(option_text(option)),
        }
    }
    Invocation {
        command: interaction.data.name.clone(),
        subcommand,
        options,
        locale: Some(interaction.locale.clone()),
        guild_id: interaction.guild_id.map(GuildId::get),
        workspace: None,
        can_manage_guild: interaction
            .member
            .as_ref()
            .and_then(|member| member.permissions)
            .is_some_and(|permissions| permissions.manage_guild()),
        roles: member_roles(interaction.member.as_deref()),
        direct_message: interaction.guild_id.is_none(),
        user: Some(display_name(interaction)),
    }
}

/// The member's server nickname, else their display name, else their username.
fn display_name(interaction: &CommandInteraction) -> String {
    name_of(interaction.member.as_deref(), &interaction.user)
}

fn member_roles(member: Option<&Member>) -> Vec<u64> {
    member.map_or_else(Vec::new, |member| {
        member.roles.iter().map(|role| role.get()).collect()
    })
}

fn name_of(member: Option<&Member>, user: &User) -> String {
    member
        .and_then(|member| member.nick.clone())
        .or_else(|| user.global_name.clone())
        .unwrap_or_else(|| user.name.clone())
}

/// Reads a button press into the transport-free [`Press`]; the message it is on comes back
/// as the reply model, so the answer can edit it.
pub fn press(interaction: &ComponentInteraction) -> Press {
    let message = serde_json::to_value(&*interaction.message)
        .map(|body| crate::render::discord::reply_from_message_payload(&body))
        .unwrap_or_default();
    Press {
        custom_id: interaction.data.custom_id.clone(),
        guild_id: interaction.guild_id.map(GuildId::get),
        locale: Some(interaction.locale.clone()),
        can_manage_guild: interaction
            .member
            .as_ref()
            .and_then(|member| member.permissions)
            .is_some_and(|permissions| permissions.manage_guild()),
        roles: member_roles(interaction.member.as_ref()),
        user: name_of(interaction.member.as_ref(), &interaction.user),
        message,
    }
}

/// The interaction response for a press: the edited message, or a private reply.
pub fn press_response(answer: PressAnswer) -> CreateInteractionResponse {
    match answer {
        PressAnswer::Update(reply) => crate::render::discord::update(reply),
        PressAnswer::Private(reply) => crate::render::discord::response(reply),
    }
}

fn option_text(option: &CommandDataOption) -> Option<(String, String)> {
    let value = match &option.value {
        CommandDataOptionValue::String(text) => text.clone(),
        CommandDataOptionValue::Integer(number) => number.to_string(),
        CommandDataOptionValue::Number(number) => number.to_string(),
        CommandDataOptionValue::Boolean(flag) => flag.to_string(),
        _ => return None,
    };
    Some((option.name.clone(), value))
}

/// The answer to an autocomplete interaction (type 4): the suggestions for its focused
/// option as a type 8 response, `name` = `value` = a value seen lately. Both transports
/// answer through this one function, so they send the same body.
pub async fn autocomplete(
    ctx: &super::BotContext,
    interaction: &CommandInteraction,
) -> CreateInteractionResponse {
    let values = match interaction.data.autocomplete() {
        Some(focused) => {
            let invocation = invocation(interaction);
            super::suggestions(ctx, &invocation, focused.name, focused.value).await
        }
        None => Vec::new(),
    };
    let choices = values
        .into_iter()
        .map(|value| AutocompleteChoice::new(value.clone(), value))
        .collect();
    CreateInteractionResponse::Autocomplete(CreateAutocompleteResponse::new().set_choices(choices))
}

/// The command list as Discord wants it: English defaults, and each other locale's names
/// and descriptions under its Discord locales (`es-ES`, `es-419`, `pt-BR`).
pub fn command_definitions() -> Vec<CreateCommand> {
    COMMANDS.iter().map(|spec| definition(spec)).collect()
}

/// `key` in each non-default locale, once per Discord locale of it.
fn localized(key: &str) -> Vec<(&'static str, String)> {
    Locale::ALL
        .into_iter()
        .filter(|locale| *locale != DEFAULT)
        .flat_map(|locale| {
            let text = message(locale, key, &[]);
            let codes = locale.format().discord.iter();
            codes.map(move |code| (*code, text.clone()))
        })
        .collect()
}

fn definition(spec: &CommandSpec) -> CreateCommand {
    let mut command = CreateCommand::new(spec.name)
        .description(message(DEFAULT, spec.description, &[]))
        // Guild contexts only: a workspace's figures are never offered in DMs (pulso
        // refuses an invocation without a server anyway).
        .dm_permission(false);
    for (locale, name) in localized(spec.localized_name) {
        command = command.name_localized(locale, name);
    }
    for (locale, text) in localized(spec.description) {
        command = command.description_localized(locale, text);
    }
    if spec.manage_guild_only {
        command = command.default_member_permissions(serenity::all::Permissions::MANAGE_GUILD);
    }
    match &spec.action {
        Action::Run { options, .. } => {
            for option in *options {
                command = command.add_option(string_option(option));
            }
        }
        Action::Subcommands(subcommands) => {
            for sub in *subcommands {
                let description = message(DEFAULT, sub.description, &[]);
                let mut built =
                    CreateCommandOption::new(CommandOptionType::SubCommand, sub.name, description);
                for (locale, name) in localized(&subcommand_name_key(spec.name, sub.name)) {
                    built = built.name_localized(locale, name);
                }
                for (locale, text) in localized(sub.description) {
                    built = built.description_localized(locale, text);
                }
                for option in sub.options {
                    built = built.add_sub_option(string_option(option));
                }
                command = command.add_option(built);
            }
        }
    }
    command
}

fn string_option(option: &OptionSpec) -> CreateCommandOption {
    let description = message(DEFAULT, option.description, &[]);
    let kind = match option.kind {
        OptionKind::Integer { .. } => CommandOptionType::Integer,
        OptionKind::Text | OptionKind::Suggested => CommandOptionType::String,
    };
    let mut built = CreateCommandOption::new(kind, option.name, description)
        .required(option.required)
        .set_autocomplete(option.kind == OptionKind::Suggested);
    if let OptionKind::Integer { min, max } = option.kind {
        built = built.min_int_value(min as u64).max_int_value(max as u64);
    }
    for (locale, name) in localized(&option.name_key()) {
        built = built.name_localized(locale, name);
    }
    for (locale, text) in localized(option.description) {
        built = built.description_localized(locale, text);
    }
    for choice in option.choices {
        built = built.add_string_choice_localized(
            message(DEFAULT, choice.label, &[]),
            choice.value,
            localized(choice.label),
        );
    }
    built
}

/// Replaces the registered commands with one bulk PUT: in `guild` (instant) or globally.
///
/// # Errors
/// [`DiscordError`] when the token or application id is missing, or Discord refuses.
pub async fn register_commands(
    settings: &DiscordSettings,
    guild: Option<u64>,
) -> Result<usize, DiscordError> {
    if settings.token.is_none() {
        return Err(DiscordError::Setup(format!(
            "registering commands needs the bot token in {}",
            crate::config::DISCORD_TOKEN_ENV
        )));
    }
    if settings.application_id.is_none() {
        return Err(DiscordError::Setup(
            "registering commands needs discord.application_id in the config file".into(),
        ));
    }
    let http = http_client(settings);
    let commands = command_definitions();
    let registered = match guild {
        Some(guild) => GuildId::new(guild).set_commands(&http, commands).await?,
        None => Command::set_global_commands(&http, commands).await?,
    };
    Ok(registered.len())
}
