//! The Gupshup client: the wallet balance on both APIs (self-serve `apikey`, Partner app
//! token), both response shapes, typed errors, timeouts and retries; and the WhatsApp health
//! signals ([`ReadHealth`]: app health, waba/info, ratings, templates).
//!
//! Bodies are read as text first and parsed as JSON second: Gupshup answers a bad key with
//! a plain-text 401 ("Portal User Not Found With APIKey"). `status` is never required;
//! balances may be negative (overdraft), integer or float. Secrets live in
//! [`secrecy::SecretString`] and never reach a log line, an error or `Debug` output.
//!
//! `gupshup.mode = "demo"` reads no API: [`demo`] simulates the wallet and [`demo_health`]
//! the WhatsApp health, and [`Wallet`] is either kind behind [`ReadBalance`] and
//! [`ReadHealth`].

mod client;
pub mod demo;
pub mod demo_health;
mod health;
mod parse;
mod parse_health;
mod wallet;

use std::time::Duration;

use chrono::{DateTime, Utc};

pub use client::{GupshupClient, RetryPolicy};
pub use health::RATINGS_EVERY;
pub use parse::{parse_partner_balance, parse_self_serve_balance};
pub use parse_health::{
    health_refusal, parse_account, parse_app_health, parse_ratings, parse_templates,
};
pub use wallet::{ReadBalance, ReadHealth, Wallet};

/// The currency every Gupshup sample uses and the only one compared with thresholds.
pub const USD: &str = "USD";

/// One successful balance reading.
#[derive(Debug, Clone, PartialEq)]
pub struct BalanceReading {
    /// Wallet balance; negative while in overdraft.
    pub amount: f64,
    /// ISO code as Gupshup reports it; `USD` when the API does not say (self-serve).
    pub currency: String,
    /// When pulso read it.
    pub read_at: DateTime<Utc>,
}

impl BalanceReading {
    /// Whether the amount may be compared with the USD thresholds.
    pub fn is_usd(&self) -> bool {
        self.currency.eq_ignore_ascii_case(USD)
    }
}

/// Why Gupshup (the balance or a health signal) could not be read. Messages name what was
/// wrong, never a secret.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GupshupError {
    /// 401/403 (and the health endpoint's 400 "Authentication Failed"): the API key or
    /// token was refused, whatever the body said.
    #[error("API key rejected by Gupshup (HTTP {status}): {detail}")]
    Auth {
        /// HTTP status.
        status: u16,
        /// Gupshup's message, shortened.
        detail: String,
    },
    /// 429 after every retry, or pulso's own guard of the partner login limits.
    #[error("rate limited by Gupshup: {detail}")]
    RateLimited {
        /// What hit the limit.
        detail: String,
        /// Gupshup's `Retry-After`, when given.
        retry_after: Option<Duration>,
    },
    /// 5xx after every retry.
    #[error("Gupshup server error (HTTP {status}): {detail}")]
    Server {
        /// HTTP status.
        status: u16,
        /// Gupshup's message, shortened.
        detail: String,
    },
    /// Any other refusal (400, 404, …): the request or the app id is wrong; status 0 for a
    /// call pulso refuses itself (no app id, an endpoint the mode does not have).
    #[error("Gupshup refused the request (HTTP {status}): {detail}")]
    Rejected {
        /// HTTP status.
        status: u16,
        /// Gupshup's message, shortened.
        detail: String,
    },
    /// No answer within the request timeout.
    #[error("Gupshup did not answer within {0:?}")]
    Timeout(Duration),
    /// Connection refused, DNS failure, TLS failure.
    #[error("cannot reach Gupshup at {url}: {reason}")]
    Unreachable {
        /// The URL (it never carries a secret).
        url: String,
        /// What failed.
        reason: String,
    },
    /// A 2xx answer pulso could not read.
    #[error("unexpected answer from Gupshup: {0}")]
    BadBody(String),
}

impl GupshupError {
    /// Whether the key or token was refused (the warning then says "API key rejected").
    pub fn is_auth(&self) -> bool {
        matches!(self, GupshupError::Auth { .. })
    }
}
