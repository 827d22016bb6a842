//! [`Wallet`]: where a workspace's balance comes from, Gupshup's API or the demo wallet,
//! behind one [`ReadBalance`] so the balance monitor never knows which it polls.

use std::future::Future;

use chrono::{DateTime, Utc};

use super::demo::DemoWallet;
use super::{BalanceReading, GupshupClient, GupshupError, RetryPolicy};
use crate::config::{GupshupMode, GupshupSettings};
use crate::store::Store;

/// Anything the balance monitor can read a balance from.
pub trait ReadBalance: Sync {
    /// Reads the balance; `now` stamps the reading.
    fn balance(
        &self,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<BalanceReading, GupshupError>> + Send;
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
