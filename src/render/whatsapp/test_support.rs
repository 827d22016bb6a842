//! Fixtures of the WhatsApp renderers' tests: the embedded default's workspace in a chosen
//! Gupshup mode and locale, and readings shaped like Gupshup's documented answers.

use chrono::{DateTime, TimeZone, Utc};

use crate::config::{
    Config, ConfigSource, EMBEDDED_DEFAULT, GupshupMode, Locale, WhatsappProvider, Workspace,
};
use crate::domain::{
    AccountStatus, AppHealth, Quality, Ratings, StoredSignal, Template, Tier, WhatsappReading,
    WhatsappSignal,
};
use crate::render::Reply;

/// Workspace "soporte" ("Soporte", Buenos Aires, -03) reading Gupshup in `mode`.
pub(super) fn workspace(mode: GupshupMode, locale: Locale) -> Workspace {
    let mut config = Config::parse(EMBEDDED_DEFAULT, ConfigSource::Embedded, None).unwrap();
    let mut workspace = config.workspaces.remove(0);
    workspace.id = "soporte".into();
    workspace.name = "Soporte".into();
    workspace.locale = locale;
    workspace.gupshup.as_mut().unwrap().mode = mode;
    workspace
}

/// The same workspace on another WhatsApp provider.
pub(super) fn without_gupshup(locale: Locale) -> Workspace {
    let mut workspace = workspace(GupshupMode::Partner, locale);
    workspace.whatsapp_provider = WhatsappProvider::Meta;
    workspace.gupshup = None;
    workspace
}

/// 2026-11-05 at `hour`:`minute` UTC (three hours ahead of the workspace's clock).
pub(super) fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 5, hour, minute, 0).unwrap()
}

/// A template with `status`, in Spanish, UTILITY, quality GREEN.
pub(super) fn template(id: &str, name: &str, status: &str) -> Template {
    Template {
        id: id.into(),
        name: name.into(),
        language: Some("es".into()),
        category: Some("UTILITY".into()),
        status: status.into(),
        quality: Some(Quality::Green),
        reason: None,
    }
}

/// The documented LIMITED waba/info answer.
pub(super) fn limited_account() -> AccountStatus {
    AccountStatus {
        account_status: Some("ACTIVE".into()),
        docker_status: Some("CONNECTED".into()),
        can_send: Some("LIMITED".into()),
        messaging_limit: Some("TIER_1K".into()),
        phone_quality: Some("GREEN".into()),
        phone: Some("917835039205".into()),
        verified_name: Some("Tienda_Sol".into()),
        reasons: vec![
            "Your display name has not been approved yet. Your message limit will increase after the display name is approved.".into(),
        ],
    }
}

/// Ratings with `quality` and `limit`, after an UPGRADE from TIER_250.
pub(super) fn ratings(quality: Quality, limit: &str) -> Ratings {
    Ratings {
        quality: Some(quality),
        current_limit: Some(Tier(limit.into())),
        old_limit: Some(Tier("TIER_250".into())),
        event: Some("UPGRADE".into()),
        event_time: Some(at(9, 0)),
    }
}

/// A signal read at `read_at` (called then too), with no failure since.
pub(super) fn stored(reading: WhatsappReading, read_at: DateTime<Utc>) -> StoredSignal {
    StoredSignal {
        signal: reading.signal(),
        called_at: Some(read_at),
        reading: Some((read_at, reading)),
        error: None,
    }
}

/// Every signal read, all fine.
pub(super) fn all_fine() -> Vec<StoredSignal> {
    vec![
        stored(
            WhatsappReading::AppHealth(AppHealth {
                healthy: true,
                reason: None,
            }),
            at(12, 0),
        ),
        stored(
            WhatsappReading::Account(AccountStatus {
                can_send: Some("AVAILABLE".into()),
                reasons: Vec::new(),
                ..limited_account()
            }),
            at(12, 0),
        ),
        stored(
            WhatsappReading::Quality(ratings(Quality::Green, "TIER_1K")),
            at(9, 30),
        ),
        stored(
            WhatsappReading::Templates(vec![
                template("t1", "order_update", "APPROVED"),
                template("t2", "welcome", "APPROVED"),
                template("t3", "promo_nov", "PENDING"),
            ]),
            at(12, 0),
        ),
    ]
}

/// Every signal read, each with a problem: app not live, account LIMITED, quality
/// YELLOW, two templates paused and one disabled.
pub(super) fn all_wrong() -> Vec<StoredSignal> {
    vec![
        stored(
            WhatsappReading::AppHealth(AppHealth {
                healthy: false,
                reason: Some("App is not live.".into()),
            }),
            at(12, 0),
        ),
        stored(WhatsappReading::Account(limited_account()), at(12, 0)),
        stored(
            WhatsappReading::Quality(ratings(Quality::Yellow, "TIER_1K")),
            at(9, 30),
        ),
        stored(
            WhatsappReading::Templates(vec![
                template("t1", "order_update", "PAUSED"),
                template("t2", "welcome", "APPROVED"),
                template("t3", "promo_nov", "paused"),
                template("t4", "old_promo", "DISABLED"),
            ]),
            at(12, 0),
        ),
    ]
}

/// The signal of `signals` that is `signal`, to change it.
pub(super) fn signal_mut(
    signals: &mut [StoredSignal],
    signal: WhatsappSignal,
) -> &mut StoredSignal {
    signals.iter_mut().find(|s| s.signal == signal).unwrap()
}

/// The reply's embed title, description and footer, and its button ids.
pub(super) fn parts(reply: &Reply) -> (String, String, String, Vec<String>) {
    let embed = reply.embed.as_ref().expect("a card");
    (
        embed.title.clone(),
        embed.description.clone().unwrap_or_default(),
        embed.footer.clone().unwrap_or_default(),
        reply.actions.iter().map(|a| a.custom_id.clone()).collect(),
    )
}
