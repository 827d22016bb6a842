//! HTTP: one request at a time per workspace, a timeout on each, retries with exponential
//! backoff on 429 and 5xx (honouring `Retry-After`), and the partner token cache.

use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use reqwest::{RequestBuilder, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;

use super::parse::{self, detail};
use super::{BalanceReading, GupshupError};
use crate::config::{GupshupMode, GupshupSettings};

/// How long an obtained partner or app token is reused (Gupshup's expire after 24 h;
/// Glific reuses them for 22 h too).
pub const TOKEN_TTL: Duration = Duration::from_secs(22 * 3600);
/// Gupshup's limit on the login and app-token endpoints: 10 calls per minute.
pub const TOKEN_CALLS_PER_MINUTE: usize = 10;

/// Timeouts and retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries per request, the first included (only 429 and 5xx are retried).
    pub attempts: u32,
    /// Delay before the second try; doubles each time.
    pub base_delay: Duration,
    /// Longest delay between tries, `Retry-After` included.
    pub max_delay: Duration,
    /// Every request gives up after this long.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            timeout: Duration::from_secs(10),
        }
    }
}

#[derive(Default)]
struct TokenCache {
    partner: Option<(SecretString, Instant)>,
    app: Option<(SecretString, Instant)>,
    /// When login and app-token calls were made, for the 10-per-minute guard.
    calls: VecDeque<Instant>,
}

/// Reads one workspace's Gupshup wallet. Cheap to clone; clones share the token cache.
#[derive(Clone)]
pub struct GupshupClient {
    pub(super) http: reqwest::Client,
    pub(super) settings: Arc<GupshupSettings>,
    policy: RetryPolicy,
    tokens: Arc<Mutex<TokenCache>>,
}

/// Which failures a request may try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Retries {
    /// 429 and 5xx, as the [`RetryPolicy`] allows.
    Policy,
    /// None: every try counts against a limit (the ratings' one call a day).
    Never,
}

impl fmt::Debug for GupshupClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GupshupClient")
            .field("settings", &self.settings)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl GupshupClient {
    /// A client for `settings` (rustls, the policy's timeout on every request).
    ///
    /// # Errors
    /// [`GupshupError::Unreachable`] when the HTTP client cannot be built (TLS setup).
    pub fn new(settings: &GupshupSettings, policy: RetryPolicy) -> Result<Self, GupshupError> {
        let http = reqwest::Client::builder()
            .timeout(policy.timeout)
            .user_agent(concat!("pulso/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| GupshupError::Unreachable {
                url: settings.base_url.clone(),
                reason: format!("cannot build the HTTP client: {error}"),
            })?;
        Ok(GupshupClient {
            http,
            settings: Arc::new(settings.clone()),
            policy,
            tokens: Arc::default(),
        })
    }

    /// Reads the wallet balance; `now` stamps the reading.
    ///
    /// # Errors
    /// [`GupshupError`], after the retries the policy allows.
    pub async fn balance(&self, now: DateTime<Utc>) -> Result<BalanceReading, GupshupError> {
        let (amount, currency) = match self.settings.mode {
            GupshupMode::ApiKey => {
                let key = self.api_key()?;
                let url = format!("{}/sm/api/v2/wallet/balance", self.settings.base_url);
                let body = self
                    .send(|| self.http.get(&url).header("apikey", key.expose_secret()))
                    .await?;
                parse::parse_self_serve_balance(&body).map_err(GupshupError::BadBody)?
            }
            GupshupMode::Partner => {
                let body = match self.partner_wallet().await {
                    // A cached token may have been revoked: forget it and log in once more.
                    Err(GupshupError::Auth { .. }) if self.uses_login() => {
                        self.forget_tokens().await;
                        self.partner_wallet().await?
                    }
                    other => other?,
                };
                parse::parse_partner_balance(&body).map_err(GupshupError::BadBody)?
            }
            // `Wallet::new` reads a demo wallet without this client; nothing to call here.
            GupshupMode::Demo => {
                return Err(GupshupError::Rejected {
                    status: 0,
                    detail: "mode \"demo\" has no Gupshup API: pulso simulates its wallet".into(),
                });
            }
        };
        Ok(BalanceReading {
            amount,
            currency,
            read_at: now,
        })
    }

    /// The self-serve API key, or the refusal that there is none.
    pub(super) fn api_key(&self) -> Result<&SecretString, GupshupError> {
        self.settings
            .secret
            .as_ref()
            .ok_or_else(|| GupshupError::Auth {
                status: 0,
                detail: "no API key configured".into(),
            })
    }

    /// Whether the app token comes from the partner login (and may be cached and revoked).
    pub(super) fn uses_login(&self) -> bool {
        self.settings.secret.is_none() && self.settings.partner_login.is_some()
    }

    /// Drops the cached partner and app tokens, so the next call logs in again.
    pub(super) async fn forget_tokens(&self) {
        let mut cache = self.tokens.lock().await;
        cache.app = None;
        cache.partner = None;
    }

    async fn partner_wallet(&self) -> Result<String, GupshupError> {
        let token = self.app_token().await?;
        let url = format!(
            "{}/partner/app/{}/wallet/balance",
            self.settings.partner_base_url,
            self.settings.app_id.as_deref().unwrap_or_default()
        );
        self.send(|| {
            self.http
                .get(&url)
                .header("authorization", token.expose_secret())
        })
        .await
    }

    /// The configured app token, or a cached one, or one obtained through the partner login
    /// and app-token endpoints (within their 10-per-minute limit).
    pub(super) async fn app_token(&self) -> Result<SecretString, GupshupError> {
        if let Some(token) = &self.settings.secret {
            return Ok(token.clone());
        }
        let Some((email, password)) = &self.settings.partner_login else {
            return Err(GupshupError::Auth {
                status: 0,
                detail: "no app token or partner login configured".into(),
            });
        };
        let mut cache = self.tokens.lock().await;
        if let Some((token, at)) = &cache.app {
            if at.elapsed() < TOKEN_TTL {
                return Ok(token.clone());
            }
        }
        let base = &self.settings.partner_base_url;
        let partner = match &cache.partner {
            Some((token, at)) if at.elapsed() < TOKEN_TTL => token.clone(),
            _ => {
                guard(&mut cache.calls, "partner login")?;
                let url = format!("{base}/partner/account/login");
                let form = [
                    ("email", email.as_str()),
                    ("password", password.expose_secret()),
                ];
                let body = self.send(|| self.http.post(&url).form(&form)).await?;
                let token = parse::token(&body).map(SecretString::from).ok_or_else(|| {
                    GupshupError::BadBody("the partner login answer has no \"token\"".into())
                })?;
                cache.partner = Some((token.clone(), Instant::now()));
                token
            }
        };
        guard(&mut cache.calls, "app token")?;
        let url = format!(
            "{base}/partner/app/{}/token/",
            self.settings.app_id.as_deref().unwrap_or_default()
        );
        let body = self
            .send(|| {
                self.http
                    .get(&url)
                    .header("authorization", partner.expose_secret())
            })
            .await?;
        let token = parse::token(&body).map(SecretString::from).ok_or_else(|| {
            GupshupError::BadBody("the app-token answer has no \"token.token\"".into())
        })?;
        cache.app = Some((token.clone(), Instant::now()));
        Ok(token)
    }

    /// Sends the request `build` makes, retrying 429 and 5xx; returns the 2xx body.
    pub(super) async fn send(
        &self,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<String, GupshupError> {
        self.send_with(Retries::Policy, build).await
    }

    /// [`Self::send`], retrying only as `retries` allows.
    pub(super) async fn send_with(
        &self,
        retries: Retries,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<String, GupshupError> {
        let attempts = match retries {
            Retries::Policy => self.policy.attempts,
            Retries::Never => 1,
        };
        let mut attempt = 1;
        loop {
            let error = match build().send().await {
                Err(error) if error.is_timeout() => {
                    return Err(GupshupError::Timeout(self.policy.timeout));
                }
                Err(error) => {
                    let url = error
                        .url()
                        .map(|u| u.as_str().to_string())
                        .unwrap_or_default();
                    let reason = std::error::Error::source(&error)
                        .map(|source| source.to_string())
                        .unwrap_or_else(|| error.without_url().to_string());
                    return Err(GupshupError::Unreachable { url, reason });
                }
                Ok(response) => {
                    let status = response.status();
                    let retry_after = response
                        .headers()
                        .get("retry-after")
                        .and_then(|value| value.to_str().ok())
                        .and_then(|value| value.trim().parse::<f64>().ok())
                        .filter(|secs| secs.is_finite() && *secs >= 0.0)
                        .map(Duration::from_secs_f64);
                    let body = match response.text().await {
                        Ok(body) => body,
                        Err(error) if error.is_timeout() => {
                            return Err(GupshupError::Timeout(self.policy.timeout));
                        }
                        Err(error) => {
                            return Err(GupshupError::BadBody(format!(
                                "cannot read the body: {}",
                                error.without_url()
                            )));
                        }
                    };
                    let detail = detail(&body).unwrap_or_else(|| "empty body".into());
                    match status {
                        s if s.is_success() => return Ok(body),
                        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                            return Err(GupshupError::Auth {
                                status: status.as_u16(),
                                detail,
                            });
                        }
                        StatusCode::TOO_MANY_REQUESTS => (
                            GupshupError::RateLimited {
                                detail,
                                retry_after,
                            },
                            retry_after,
                        ),
                        s if s.is_server_error() => (
                            GupshupError::Server {
                                status: s.as_u16(),
                                detail,
                            },
                            None,
                        ),
                        s => {
                            return Err(GupshupError::Rejected {
                                status: s.as_u16(),
                                detail,
                            });
                        }
                    }
                }
            };
            let (error, retry_after) = error;
            if attempt >= attempts {
                return Err(error);
            }
            let exponential = self
                .policy
                .base_delay
                .saturating_mul(2_u32.saturating_pow(attempt - 1));
            let delay = retry_after
                .map_or(exponential, |after| after.max(exponential))
                .min(self.policy.max_delay);
            tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, %error, "retrying Gupshup");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }
}

/// Refuses a login/app-token call that would exceed 10 in the last minute.
fn guard(calls: &mut VecDeque<Instant>, what: &str) -> Result<(), GupshupError> {
    while calls
        .front()
        .is_some_and(|at| at.elapsed() >= Duration::from_secs(60))
    {
        calls.pop_front();
    }
    if calls.len() >= TOKEN_CALLS_PER_MINUTE {
        return Err(GupshupError::RateLimited {
            detail: format!(
                "{what}: pulso keeps under Gupshup's {TOKEN_CALLS_PER_MINUTE} calls per minute; try again in a minute"
            ),
            retry_after: Some(Duration::from_secs(60)),
        });
    }
    calls.push_back(Instant::now());
    Ok(())
}
