//! The demo wallet (`gupshup.mode = "demo"`): a Gupshup wallet simulated inside pulso, so a
//! first run shows the balance line, `/balance` and the balance alerts with no account and
//! no network.
//!
//! The wallet opens with the workspace's first stored balance reading (so restarts and
//! replicas agree, and nothing else is persisted) and from then on its balance is a function
//! of the time since it opened ([`WalletModel::balance_cents`]): a WhatsApp campaign in the
//! first minutes drains it under the 50 USD threshold, then the demo chatbot's everyday
//! conversations drain it slowly; whenever it would fall under a floor it is recharged, so
//! it never reaches zero and each recharge resolves the episode. Amounts are whole cents, so
//! every reading is exact and the same on every machine.

use chrono::{DateTime, Utc};

use super::{BalanceReading, GupshupError, USD};
use crate::store::Store;

/// The shape of the demo wallet's spending; [`WalletModel::default`] is what the demo uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalletModel {
    /// Balance when the wallet opens.
    pub opening_cents: i64,
    /// Price of one WhatsApp conversation (Gupshup bills per conversation).
    pub conversation_cents: i64,
    /// How long the opening campaign lasts.
    pub campaign_secs: i64,
    /// Seconds between two campaign conversations.
    pub campaign_every_secs: i64,
    /// Seconds between two everyday conversations, after the campaign.
    pub steady_every_secs: i64,
    /// A recharge happens when the balance would fall under this.
    pub floor_cents: i64,
    /// What one recharge adds.
    pub recharge_cents: i64,
}

impl Default for WalletModel {
    /// 58.40 USD; a campaign of one 0.05 USD conversation a second for 4 minutes (under 50
    /// USD after 3 minutes, 46.40 USD at its end); then one conversation every 100 s (1.80
    /// USD an hour: critical under 10 USD about 20 hours after opening); 60 USD added
    /// whenever it would fall under 5 USD (about 23 hours after opening, then every 33
    /// hours), which is above the default `recover_at` of 60 USD, so the episode resolves.
    fn default() -> Self {
        WalletModel {
            opening_cents: 5840,
            conversation_cents: 5,
            campaign_secs: 240,
            campaign_every_secs: 1,
            steady_every_secs: 100,
            floor_cents: 500,
            recharge_cents: 6000,
        }
    }
}

impl WalletModel {
    /// Conversations paid for in the first `elapsed_secs` after the wallet opened.
    pub fn conversations(&self, elapsed_secs: i64) -> i64 {
        let elapsed = elapsed_secs.max(0);
        let campaign = elapsed.min(self.campaign_secs) / self.campaign_every_secs.max(1);
        let steady = (elapsed - self.campaign_secs).max(0) / self.steady_every_secs.max(1);
        campaign + steady
    }

    /// How many recharges happened in the first `elapsed_secs`.
    pub fn recharges(&self, elapsed_secs: i64) -> i64 {
        let left = self.opening_cents - self.conversations(elapsed_secs) * self.conversation_cents;
        if left >= self.floor_cents {
            0
        } else {
            // The fewest recharges that keep the balance at or above the floor.
            (self.floor_cents - left + self.recharge_cents - 1) / self.recharge_cents.max(1)
        }
    }

    /// The balance `elapsed_secs` after the wallet opened.
    pub fn balance_cents(&self, elapsed_secs: i64) -> i64 {
        self.opening_cents - self.conversations(elapsed_secs) * self.conversation_cents
            + self.recharges(elapsed_secs) * self.recharge_cents
    }
}

/// One workspace's demo wallet: reads when it opened from the store, the rest is the model.
#[derive(Debug, Clone)]
pub struct DemoWallet {
    store: Store,
    workspace: String,
    model: WalletModel,
}

impl DemoWallet {
    /// The demo wallet of `workspace`, on the default model.
    pub fn new(store: Store, workspace: &str) -> DemoWallet {
        DemoWallet {
            store,
            workspace: workspace.to_string(),
            model: WalletModel::default(),
        }
    }

    /// The balance at `now`, in USD. The wallet opens at the workspace's first stored reading
    /// (or at `now` when there is none yet, as for the very first poll).
    ///
    /// # Errors
    /// [`GupshupError::Unreachable`] when the database cannot say when the wallet opened.
    pub async fn balance(&self, now: DateTime<Utc>) -> Result<BalanceReading, GupshupError> {
        let opened = self.opened(now).await?;
        let cents = self.model.balance_cents((now - opened).num_seconds());
        Ok(BalanceReading {
            amount: cents as f64 / 100.0,
            currency: USD.to_string(),
            read_at: now,
        })
    }

    /// When the wallet opened: the workspace's first stored balance reading, or `now`. The
    /// demo's WhatsApp health runs on the same clock, so restarts and replicas agree.
    ///
    /// # Errors
    /// [`GupshupError::Unreachable`] when the database cannot say.
    pub(super) async fn opened(&self, now: DateTime<Utc>) -> Result<DateTime<Utc>, GupshupError> {
        Ok(self
            .store
            .first_balance_reading_at(&self.workspace)
            .await
            .map_err(|error| GupshupError::Unreachable {
                url: "the demo wallet (pulso's database)".into(),
                reason: error.to_string(),
            })?
            .unwrap_or(now))
    }
}

#[cfg(test)]
mod tests {
    use super::WalletModel;

    const MINUTE: i64 = 60;
    const HOUR: i64 = 3600;

    fn usd(cents: i64) -> f64 {
        cents as f64 / 100.0
    }

    /// The default run polls every minute from the opening: 58.40, 55.40, 52.40, then under
    /// the 50 USD threshold at the fourth reading, 3 minutes in.
    #[test]
    fn the_default_wallet_opens_near_60_and_is_low_three_minutes_later() {
        let model = WalletModel::default();
        let readings: Vec<f64> = (0..5)
            .map(|minute| usd(model.balance_cents(minute * MINUTE)))
            .collect();
        assert_eq!(readings, [58.40, 55.40, 52.40, 49.40, 46.40]);
    }

    #[test]
    fn after_the_campaign_it_drains_slowly_and_goes_critical_within_a_day() {
        let model = WalletModel::default();
        assert_eq!(model.balance_cents(4 * MINUTE + 99), 4640);
        assert_eq!(model.balance_cents(4 * MINUTE + 100), 4635);
        let critical = (0..24 * 60)
            .map(|minute| minute * MINUTE)
            .find(|at| model.balance_cents(*at) < 1000)
            .expect("critical within a day");
        assert!(
            (19 * HOUR..21 * HOUR).contains(&critical),
            "critical after {} h",
            critical / HOUR
        );
    }

    /// It never falls under the floor (never reaches zero), and a recharge takes it over the
    /// default `recover_at` (60 USD), so the episode resolves; then it drains again.
    #[test]
    fn recharges_keep_it_above_the_floor_and_resolve_the_episode() {
        let model = WalletModel::default();
        let mut previous = model.balance_cents(0);
        let mut recharges = Vec::new();
        for second in (0..10 * 24 * HOUR).step_by(10) {
            let balance = model.balance_cents(second);
            assert!(balance >= model.floor_cents, "{balance} at {second} s");
            if balance > previous {
                recharges.push((second, balance));
            }
            previous = balance;
        }
        assert!(recharges.len() >= 6, "{recharges:?}");
        assert!(recharges.iter().all(|(_, balance)| *balance >= 6000));
        let first = recharges[0].0;
        assert!((22 * HOUR..24 * HOUR).contains(&first), "{first}");
        let gaps: Vec<i64> = recharges.windows(2).map(|w| w[1].0 - w[0].0).collect();
        assert!(
            gaps.iter().all(|gap| (33 * HOUR..34 * HOUR).contains(gap)),
            "{gaps:?}"
        );
    }

    #[test]
    fn before_the_opening_is_the_opening() {
        let model = WalletModel::default();
        assert_eq!(model.balance_cents(-500), model.opening_cents);
    }
}
