//! What `/whatsapp`, `pulso whatsapp`, `/alerts status` and the digest show of a
//! workspace's WhatsApp health: the stored readings only, never a call to Gupshup (the
//! monitor's polls are the only callers, so nobody can spend the API's limits from chat).

use crate::config::Workspace;
use crate::domain::{RuleState, StoredSignal, WhatsappSignal};
use crate::store::{Store, StoreError, StoredReading};

/// The workspace's WhatsApp health as stored: every signal read so far and the latest
/// wallet reading.
#[derive(Debug, Clone, PartialEq)]
pub struct WhatsappView {
    /// Each signal ever claimed, in [`WhatsappSignal::ALL`]'s order.
    pub signals: Vec<StoredSignal>,
    /// The latest balance reading.
    pub balance: Option<StoredReading>,
}

/// Reads the [`WhatsappView`] of `workspace`.
///
/// # Errors
/// [`StoreError`].
pub async fn whatsapp_view(
    store: &Store,
    workspace: &Workspace,
) -> Result<WhatsappView, StoreError> {
    Ok(WhatsappView {
        signals: store.whatsapp_signals(&workspace.id).await?,
        balance: store.latest_balance(&workspace.id).await?,
    })
}

/// Every health signal with its rule's stored state (`None`: never evaluated), in
/// [`WhatsappSignal::ALL`]'s order, for `/alerts status` and `pulso alerts status`.
///
/// # Errors
/// [`StoreError`].
pub async fn health_rules_with_state(
    store: &Store,
    workspace: &Workspace,
) -> Result<Vec<(WhatsappSignal, Option<RuleState>)>, StoreError> {
    let stored = store.rule_states(&workspace.id).await?;
    Ok(WhatsappSignal::ALL
        .into_iter()
        .map(|signal| {
            let state = stored
                .iter()
                .find(|s| s.rule == signal.rule())
                .map(|s| s.state.clone());
            (signal, state)
        })
        .collect())
}
