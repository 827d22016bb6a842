//! pulso: customer-service indicators for teams whose WhatsApp chatbot hands conversations
//! off to human operators.
//!
//! # Layout
//! Data flows one way: [`store`] reads the inquiry database, [`indicators`] computes the
//! seven indicators of the Customer Service dashboard (plus medians, p90, deltas), [`render`]
//! turns a report into replies (Discord embeds, terminal text) or JSON for a locale, and
//! [`bot`] answers slash commands over the console, the Discord gateway or the HTTP
//! interactions endpoint. [`config`] validates the file and the environment; [`import`] and
//! [`demo`] are the only writers of inquiry data; [`app`] and [`cli`] wire it together for
//! `main.rs`. [`gupshup`] reads the WhatsApp provider's wallet balance and [`alerts`] turns
//! readings into low-balance alerts delivered through the [`outbox`].

pub mod alerts;
pub mod app;
pub mod bench;
pub mod bot;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod digest;
pub mod domain;
pub mod gupshup;
pub mod health;
pub mod import;
pub mod indicators;
pub mod outbox;
pub mod render;
pub mod schedule;
pub mod store;
pub mod telemetry;
