//! The WhatsApp health calls on [`GupshupClient`]: app health, waba/info, ratings and the
//! template list, on the partner API (the app token raw in both `Authorization` and `token`,
//! as Gupshup's pages disagree on which one each endpoint reads) and, for templates only,
//! on the self-serve API (`apikey`).
//!
//! The ratings endpoint allows one call a day, so a ratings request is never retried: a
//! retry after a 429, a 5xx or a timeout would be a second call.

use chrono::{DateTime, Duration, Utc};
use secrecy::ExposeSecret;

use super::client::Retries;
use super::parse_health::{
    health_refusal, parse_account, parse_app_health, parse_ratings, parse_templates,
};
use super::{GupshupClient, GupshupError, ReadHealth};
use crate::config::GupshupMode;
use crate::domain::{AccountStatus, AppHealth, Ratings, Template};

/// How often Gupshup lets an app read its ratings: "once every 24 hours".
pub const RATINGS_EVERY: Duration = Duration::hours(24);

/// Gupshup's answers carry their own times, so `now` is not used.
impl ReadHealth for GupshupClient {
    /// Whether the app is live: a 400 such as "App is not live." is an unhealthy app with
    /// Gupshup's words as the reason, not an error (partner mode only).
    ///
    /// # Errors
    /// [`GupshupError`]; [`GupshupError::Auth`] for the 400 "Authentication Failed" too;
    /// [`GupshupError::Rejected`] (status 0) outside partner mode.
    async fn app_health(&self, _now: DateTime<Utc>) -> Result<AppHealth, GupshupError> {
        self.partner_only("app health")?;
        self.partner_read("health", Retries::Policy, |answer| match answer {
            Ok(body) => parse_app_health(&body).map_err(GupshupError::BadBody),
            Err(error) => health_refusal(error),
        })
        .await
    }

    /// The business account and number as waba/info reports them (partner mode only).
    ///
    /// # Errors
    /// [`GupshupError`]; [`GupshupError::Rejected`] (status 0) outside partner mode.
    async fn account(&self, _now: DateTime<Utc>) -> Result<AccountStatus, GupshupError> {
        self.partner_only("waba/info")?;
        self.partner_read("waba/info", Retries::Policy, |answer| {
            parse_account(&answer?).map_err(GupshupError::BadBody)
        })
        .await
    }

    /// The last tier event and the phone's quality; `None` when Gupshup has no event since
    /// the last one. One request, never retried (partner mode only).
    ///
    /// # Errors
    /// [`GupshupError`] of the one try; [`GupshupError::Rejected`] (status 0) outside
    /// partner mode.
    async fn ratings(&self, _now: DateTime<Utc>) -> Result<Option<Ratings>, GupshupError> {
        self.partner_only("ratings")?;
        self.partner_read("ratings", Retries::Never, |answer| {
            parse_ratings(&answer?).map_err(GupshupError::BadBody)
        })
        .await
    }

    /// Every template of the app: the partner list, or the self-serve one (`apikey`, which
    /// needs `gupshup.app_id`).
    ///
    /// # Errors
    /// [`GupshupError`]; [`GupshupError::Rejected`] (status 0) without an app id or in
    /// demo mode.
    async fn templates(&self, _now: DateTime<Utc>) -> Result<Vec<Template>, GupshupError> {
        let body = match self.settings.mode {
            GupshupMode::Partner => {
                return self
                    .partner_read("templates", Retries::Policy, |answer| {
                        parse_templates(&answer?).map_err(GupshupError::BadBody)
                    })
                    .await;
            }
            GupshupMode::ApiKey => {
                let key = self.api_key()?;
                let url = format!(
                    "{}/wa/app/{}/template",
                    self.settings.base_url,
                    self.app_id("the template list")?
                );
                self.send(|| self.http.get(&url).header("apikey", key.expose_secret()))
                    .await?
            }
            GupshupMode::Demo => return Err(demo_mode()),
        };
        parse_templates(&body).map_err(GupshupError::BadBody)
    }

    /// [`RATINGS_EVERY`].
    fn ratings_every(&self) -> Duration {
        RATINGS_EVERY
    }
}

impl GupshupClient {
    /// Refuses `what` outside partner mode: the self-serve API has no such endpoint.
    fn partner_only(&self, what: &str) -> Result<(), GupshupError> {
        match self.settings.mode {
            GupshupMode::Partner => Ok(()),
            GupshupMode::ApiKey => Err(GupshupError::Rejected {
                status: 0,
                detail: format!(
                    "{what} needs partner mode (gupshup.mode = \"partner\"): Gupshup's self-serve API has no such endpoint"
                ),
            }),
            GupshupMode::Demo => Err(demo_mode()),
        }
    }

    /// The configured app id, which `what` needs.
    fn app_id(&self, what: &str) -> Result<&str, GupshupError> {
        self.settings
            .app_id
            .as_deref()
            .filter(|id| !id.trim().is_empty())
            .ok_or_else(|| GupshupError::Rejected {
                status: 0,
                detail: format!("{what} needs gupshup.app_id (the app's id in Gupshup)"),
            })
    }

    /// `GET {partner}/partner/app/{appId}/{endpoint}`, its answer read by `read`; when a
    /// token obtained through the login is refused (as `read` sees it), the tokens are
    /// forgotten and the call is made once more.
    async fn partner_read<T>(
        &self,
        endpoint: &str,
        retries: Retries,
        read: impl Fn(Result<String, GupshupError>) -> Result<T, GupshupError>,
    ) -> Result<T, GupshupError> {
        let url = format!(
            "{}/partner/app/{}/{endpoint}",
            self.settings.partner_base_url,
            self.app_id(endpoint)?
        );
        match read(self.partner_get(&url, retries).await) {
            Err(GupshupError::Auth { .. }) if self.uses_login() => {
                self.forget_tokens().await;
                read(self.partner_get(&url, retries).await)
            }
            other => other,
        }
    }

    async fn partner_get(&self, url: &str, retries: Retries) -> Result<String, GupshupError> {
        let token = self.app_token().await?;
        self.send_with(retries, || {
            self.http
                .get(url)
                .header("authorization", token.expose_secret())
                .header("token", token.expose_secret())
        })
        .await
    }
}

/// What a Gupshup call answers in demo mode, where `Wallet` reads the demo instead.
fn demo_mode() -> GupshupError {
    GupshupError::Rejected {
        status: 0,
        detail: "mode \"demo\" has no Gupshup API: pulso simulates its WhatsApp health".into(),
    }
}
