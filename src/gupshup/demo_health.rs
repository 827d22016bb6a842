//! The demo's WhatsApp health (`gupshup.mode = "demo"`): no network, a live app, an account
//! that can send, three approved templates, and one episode to watch: the phone's quality
//! turns YELLOW from minute 8 to minute 20 after the demo wallet opened, then GREEN again.
//!
//! Everything is a function of (the wallet's opening, `now`), the opening being the one the
//! demo wallet reads from the store ([`DemoWallet`]), so restarts and replicas agree.

use chrono::{DateTime, Duration, Utc};

use super::demo::DemoWallet;
use super::{GupshupError, ReadHealth};
use crate::domain::{AccountStatus, AppHealth, Quality, Ratings, Template, Tier};

/// How often the demo's ratings may be read: its poll cadence, as it has no rate limit.
pub const DEMO_RATINGS_EVERY: Duration = Duration::minutes(1);
/// When, after the opening, the phone's quality turns YELLOW.
pub const DEMO_YELLOW_FROM: Duration = Duration::minutes(8);
/// When, after the opening, it is GREEN again.
pub const DEMO_YELLOW_UNTIL: Duration = Duration::minutes(20);

/// The demo number's messaging limit.
const LIMIT: &str = "TIER_1K";

/// The demo app: always live.
fn app_health() -> AppHealth {
    AppHealth {
        healthy: true,
        reason: None,
    }
}

/// The demo account: active, connected, sending normally.
fn account() -> AccountStatus {
    AccountStatus {
        account_status: Some("ACTIVE".into()),
        docker_status: Some("CONNECTED".into()),
        can_send: Some("AVAILABLE".into()),
        messaging_limit: Some(LIMIT.into()),
        phone_quality: Some(Quality::Green.as_str().into()),
        phone: Some("5491100000000".into()),
        verified_name: Some("pulso demo".into()),
        reasons: Vec::new(),
    }
}

/// The demo ratings at `now` for a wallet opened at `opened`: onboarded at the opening on
/// TIER_1K, YELLOW in [`DEMO_YELLOW_FROM`, `DEMO_YELLOW_UNTIL`), GREEN otherwise.
fn ratings(opened: DateTime<Utc>, now: DateTime<Utc>) -> Ratings {
    let elapsed = now - opened;
    let quality = if (DEMO_YELLOW_FROM..DEMO_YELLOW_UNTIL).contains(&elapsed) {
        Quality::Yellow
    } else {
        Quality::Green
    };
    Ratings {
        quality: Some(quality),
        current_limit: Some(Tier(LIMIT.into())),
        old_limit: Some(Tier(LIMIT.into())),
        event: Some("ONBOARDING".into()),
        event_time: Some(opened),
    }
}

/// The demo chatbot's templates, all approved and GREEN.
fn templates() -> Vec<Template> {
    [
        ("demo-order-update", "order_update", "UTILITY"),
        ("demo-welcome", "welcome", "MARKETING"),
        ("demo-survey-invite", "survey_invite", "UTILITY"),
    ]
    .into_iter()
    .map(|(id, name, category)| Template {
        id: id.into(),
        name: name.into(),
        language: Some("es".into()),
        category: Some(category.into()),
        status: "APPROVED".into(),
        quality: Some(Quality::Green),
        reason: None,
    })
    .collect()
}

/// Only the ratings read the store (the wallet's opening); the rest never fails.
impl ReadHealth for DemoWallet {
    async fn app_health(&self, _now: DateTime<Utc>) -> Result<AppHealth, GupshupError> {
        Ok(app_health())
    }

    async fn account(&self, _now: DateTime<Utc>) -> Result<AccountStatus, GupshupError> {
        Ok(account())
    }

    /// # Errors
    /// [`GupshupError::Unreachable`] when the database cannot say when the wallet opened.
    async fn ratings(&self, now: DateTime<Utc>) -> Result<Option<Ratings>, GupshupError> {
        Ok(Some(ratings(self.opened(now).await?, now)))
    }

    async fn templates(&self, _now: DateTime<Utc>) -> Result<Vec<Template>, GupshupError> {
        Ok(templates())
    }

    /// [`DEMO_RATINGS_EVERY`].
    fn ratings_every(&self) -> Duration {
        DEMO_RATINGS_EVERY
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn quality_is_yellow_from_minute_8_to_minute_20() {
        let opened = Utc.with_ymd_and_hms(2026, 11, 2, 12, 0, 0).unwrap();
        let quality = |minutes: i64, seconds: i64| {
            ratings(
                opened,
                opened + Duration::minutes(minutes) + Duration::seconds(seconds),
            )
            .quality
        };
        assert_eq!(quality(0, 0), Some(Quality::Green));
        assert_eq!(quality(7, 59), Some(Quality::Green));
        assert_eq!(quality(8, 0), Some(Quality::Yellow));
        assert_eq!(quality(19, 59), Some(Quality::Yellow));
        assert_eq!(quality(20, 0), Some(Quality::Green));
        assert_eq!(quality(24 * 60, 0), Some(Quality::Green));
        // Before the opening (a replica's clock behind) is not the episode either.
        assert_eq!(quality(-10, 0), Some(Quality::Green));
        // The same (opening, now) gives the same answer, and the limit never moves.
        let at = opened + Duration::minutes(9);
        assert_eq!(ratings(opened, at), ratings(opened, at));
        let first = ratings(opened, opened);
        assert_eq!(first.current_limit, Some(Tier("TIER_1K".into())));
        assert_eq!(first.old_limit, first.current_limit);
        assert_eq!(first.event_time, Some(opened));
        assert_eq!(ratings(opened, at).current_limit, first.current_limit);
    }

    #[test]
    fn the_app_account_and_templates_are_fine() {
        assert!(app_health().healthy);
        let account = account();
        assert_eq!(
            (
                account.account_status.as_deref(),
                account.docker_status.as_deref(),
                account.can_send.as_deref(),
                account.messaging_limit.as_deref(),
                account.phone_quality.as_deref(),
            ),
            (
                Some("ACTIVE"),
                Some("CONNECTED"),
                Some("AVAILABLE"),
                Some("TIER_1K"),
                Some("GREEN")
            )
        );
        assert!(account.reasons.is_empty());
        assert_eq!(account.phone.as_deref(), Some("5491100000000"));
        assert_eq!(account.verified_name.as_deref(), Some("pulso demo"));
        let templates = templates();
        let names: Vec<_> = templates
            .iter()
            .map(|t| (t.name.as_str(), t.category.as_deref()))
            .collect();
        assert_eq!(
            names,
            [
                ("order_update", Some("UTILITY")),
                ("welcome", Some("MARKETING")),
                ("survey_invite", Some("UTILITY")),
            ]
        );
        assert!(templates.iter().all(|t| t.status == "APPROVED"
            && t.quality == Some(Quality::Green)
            && t.language.as_deref() == Some("es")));
    }
}
