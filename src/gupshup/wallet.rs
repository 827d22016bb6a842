//! [`Wallet`]: where a workspace's balance and WhatsApp health come from, Gupshup's API or
//! the demo wallet, behind one [`ReadBalance`] and one [`ReadHealth`] so the monitors never
//! know which they poll.

use std::future::Future;

use chrono::{DateTime, Duration, Utc};

use super::demo::DemoWallet;
use super::{BalanceReading, GupshupClient, GupshupError, RetryPolicy};
use crate::config::{GupshupMode, GupshupSettings};
use crate::domain::{AccountStatus, AppHealth, Ratings, Template};
use crate::store::Store;

/// Anything the balance monitor can read a balance from.
pub trait ReadBalance: Sync {
    /// Reads the balance; `now` stamps the reading.
    fn balance(
        &self,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<BalanceReading, GupshupError>> + Send;
}

/// Anything the WhatsApp health monitor can read the four signals from. `now` is when the
/// reading is made (the demo's signals are a function of it).
pub trait ReadHealth: Sync {
    /// Whether the app is live; an app Gupshup calls "not live" is `healthy: false`.
    fn app_health(
        &self,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<AppHealth, GupshupError>> + Send;

    /// The business account and number (waba/info).
    fn account(
        &self,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<AccountStatus, GupshupError>> + Send;

    /// The last tier event with the phone's quality; `None` when nothing changed since the
    /// last one. Call it at most every [`ReadHealth::ratings_every`].
    fn ratings(
        &self,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Option<Ratings>, GupshupError>> + Send;

    /// Every template of the app.
    fn templates(
        &self,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<Template>, GupshupError>> + Send;

    /// The shortest time between two ratings calls: Gupshup allows one a day, the demo has
    /// no limit.
    fn ratings_every(&self) -> Duration;
}

impl ReadBalance for GupshupClient {
    fn balance(
        &self,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<BalanceReading, GupshupError>> + Send {
        GupshupClient::balance(self, now)
    }
}

impl ReadBalance for DemoWallet {
    fn balance(
        &self,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<BalanceReading, GupshupError>> + Send {
        DemoWallet::balance(self, now)
    }
}

/// One workspace's wallet, as its `gupshup.mode` says.
#[derive(Debug, Clone)]
pub enum Wallet {
    /// `api_key` or `partner`: Gupshup's API.
    Gupshup(GupshupClient),
    /// `demo`: simulated by pulso.
    Demo(DemoWallet),
}

impl Wallet {
    /// The wallet of `workspace` configured by `settings`; the demo wallet reads `store`.
    ///
    /// # Errors
    /// As [`GupshupClient::new`].
    pub fn new(
        workspace: &str,
        settings: &GupshupSettings,
        policy: RetryPolicy,
        store: &Store,
    ) -> Result<Wallet, GupshupError> {
        Ok(match settings.mode {
            GupshupMode::Demo => Wallet::Demo(DemoWallet::new(store.clone(), workspace)),
            GupshupMode::ApiKey | GupshupMode::Partner => {
                Wallet::Gupshup(GupshupClient::new(settings, policy)?)
            }
        })
    }
}

impl ReadBalance for Wallet {
    async fn balance(&self, now: DateTime<Utc>) -> Result<BalanceReading, GupshupError> {
        match self {
            Wallet::Gupshup(client) => client.balance(now).await,
            Wallet::Demo(wallet) => wallet.balance(now).await,
        }
    }
}

impl ReadHealth for Wallet {
    async fn app_health(&self, now: DateTime<Utc>) -> Result<AppHealth, GupshupError> {
        match self {
            Wallet::Gupshup(client) => client.app_health(now).await,
            Wallet::Demo(wallet) => wallet.app_health(now).await,
        }
    }

    async fn account(&self, now: DateTime<Utc>) -> Result<AccountStatus, GupshupError> {
        match self {
            Wallet::Gupshup(client) => client.account(now).await,
            Wallet::Demo(wallet) => wallet.account(now).await,
        }
    }

    async fn ratings(&self, now: DateTime<Utc>) -> Result<Option<Ratings>, GupshupError> {
        match self {
            Wallet::Gupshup(client) => client.ratings(now).await,
            Wallet::Demo(wallet) => wallet.ratings(now).await,
        }
    }

    async fn templates(&self, now: DateTime<Utc>) -> Result<Vec<Template>, GupshupError> {
        match self {
            Wallet::Gupshup(client) => client.templates(now).await,
            Wallet::Demo(wallet) => wallet.templates(now).await,
        }
    }

    fn ratings_every(&self) -> Duration {
        match self {
            Wallet::Gupshup(client) => client.ratings_every(),
            Wallet::Demo(wallet) => wallet.ratings_every(),
        }
    }
}
