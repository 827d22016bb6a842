//! Presses on an alert message's buttons (Acknowledge, Snooze 1 h, Snooze 4 h), the same on
//! the gateway and the http transport: checked against the server's workspace and the
//! presser's permission before anything is written, then answered by editing the message
//! in place (who did what and when) or, when refused, privately.

use chrono::Duration;

use super::access::{Need, check};
use super::commands::rule_controls::rule_named;
use super::{BotContext, Invocation, UserError, resolve_workspace, user_locale};
use crate::config::Locale;
use crate::render::Reply;
use crate::render::catalogue::t;
use crate::render::locale::clock_time;
use crate::render::rule_alerts::{ButtonAction, RuleButton, pressed_card};

/// One press, independent of the transport.
#[derive(Debug, Clone)]
pub struct Press {
    /// The button's `custom_id`.
    pub custom_id: String,
    /// The server it was pressed in; `None` in DMs.
    pub guild_id: Option<u64>,
    /// The presser's Discord locale.
    pub locale: Option<String>,
    /// Whether the presser has Manage Server there.
    pub can_manage_guild: bool,
    /// The presser's role ids there.
    pub roles: Vec<u64>,
    /// The presser's display name.
    pub user: String,
    /// The message the button is on, as the reply model (from the interaction).
    pub message: Reply,
}

/// How to answer a press.
#[derive(Debug, Clone, PartialEq)]
pub enum PressAnswer {
    /// Edit the message the button is on (interaction response type 7).
    Update(Reply),
    /// A private reply to the presser only; the message stays as it is.
    Private(Reply),
}

/// Longest a press may take: Discord wants the answer within 3 s, and a press has no
/// deferred form worth the round trip (it writes one row).
pub const PRESS_DEADLINE: std::time::Duration = std::time::Duration::from_millis(2500);

/// Answers one press. Never fails: every problem is a private, localized reply.
pub async fn press(ctx: &BotContext, press: &Press) -> PressAnswer {
    let fallback = user_locale(press.locale.as_deref()).unwrap_or(Locale::En);
    let outcome = tokio::time::timeout(PRESS_DEADLINE, act(ctx, press))
        .await
        .unwrap_or(Err((UserError::Slow, None)));
    match outcome {
        Ok(answer) => answer,
        Err((error, locale)) => {
            error.log("button", "-");
            PressAnswer::Private(error.reply(locale.unwrap_or(fallback)))
        }
    }
}

type Refusal = (UserError, Option<Locale>);

async fn act(ctx: &BotContext, press: &Press) -> Result<PressAnswer, Refusal> {
    let Some(button) = RuleButton::parse(&press.custom_id) else {
        let locale = user_locale(press.locale.as_deref()).unwrap_or(Locale::En);
        return Ok(PressAnswer::Private(Reply::ephemeral_text(t!(
            locale,
            "pressed-unknown"
        ))));
    };
    if press.guild_id.is_none() {
        return Err((UserError::DirectMessage, None));
    }
    let invocation = Invocation {
        guild_id: press.guild_id,
        ..Invocation::default()
    };
    let workspace = resolve_workspace(&ctx.config, &invocation).map_err(|e| (e, None))?;
    if workspace.id != button.workspace {
        // A message of another workspace's server: never act on it from here.
        return Err((
            UserError::NoWorkspace {
                guild_id: press.guild_id,
            },
            None,
        ));
    }
    let locale = user_locale(press.locale.as_deref()).unwrap_or(workspace.locale);
    let refuse = |error: UserError| (error, Some(locale));
    check(
        workspace,
        Need::Administer,
        press.can_manage_guild,
        &press.roles,
    )
    .map_err(refuse)?;
    let rule = rule_named(workspace, &button.rule).map_err(refuse)?;
    let now = ctx.clock.now();
    let message = press.message.clone();
    match button.action {
        ButtonAction::Acknowledge { episode } => {
            let stored = ctx
                .store
                .rule_states(&workspace.id)
                .await
                .map_err(|e| refuse(e.into()))?;
            let current = stored.iter().find(|s| s.rule == rule);
            if current.is_none_or(|s| s.state.episode != episode) {
                return Ok(PressAnswer::Private(Reply::ephemeral_text(t!(
                    workspace.locale,
                    "pressed-old-episode"
                ))));
            }
            let done = ctx
                .store
                .acknowledge_rule(&workspace.id, rule, &press.user, now)
                .await
                .map_err(|e| refuse(e.into()))?;
            if !done {
                return Ok(PressAnswer::Private(Reply::ephemeral_text(t!(
                    locale,
                    "alerts-not-firing",
                    rule = rule
                ))));
            }
            let line = t!(
                workspace.locale,
                "pressed-acknowledged",
                by = &press.user,
                at = clock_time(now, workspace)
            );
            Ok(PressAnswer::Update(pressed_card(message, line, true)))
        }
        ButtonAction::Snooze { minutes } => {
            let until = now + Duration::minutes(i64::from(minutes));
            ctx.store
                .snooze_rule(&workspace.id, rule, Some(until))
                .await
                .map_err(|e| refuse(e.into()))?;
            let line = t!(
                workspace.locale,
                "pressed-snoozed",
                by = &press.user,
                until = clock_time(until, workspace)
            );
            Ok(PressAnswer::Update(pressed_card(message, line, false)))
        }
    }
}
