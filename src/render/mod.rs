//! Reports and replies → text for people (terminal, Discord) and JSON for programs.
//!
//! Renderers only format: every figure comes computed in an
//! [`IndicatorReport`](crate::indicators::IndicatorReport); every command answer is a
//! [`Reply`] that [`discord`] or [`Reply::to_text`] shows.

pub mod balance;
mod breakdown;
mod cards;
pub mod catalogue;
pub mod chart;
pub mod discord;
pub mod locale;
mod reply;
pub mod rule_alerts;
pub mod survey_alerts;
mod text;
pub mod whatsapp;

pub use breakdown::breakdown_card;
pub use cards::{digest_card, indicators_card, inquiries_card};
pub use chart::{ChartError, digest_chart};
pub use reply::{ActionButton, Embed, Field, LinkButton, Reply};
pub use text::indicators_text;
