//! pulso: customer-service indicators for teams whose WhatsApp chatbot hands conversations
//! off to human operators.
//!
//! # Layers
//! Data flows one way, from the configuration up to the command line. A module may use
//! only modules on a lower level (never one on its own level or above); the modules marked
//! *pure* may use only levels 0 and 1, so they stay plain computation that tests feed with
//! values. `tests/integration/layers.rs` reads this table and every `crate::` path in
//! `src/`, and fails naming the file and line of any import that points up.
//!
//! | level | modules |
//! |---|---|
//! | 0 | config, chars, clock, telemetry |
//! | 1 | domain |
//! | 2 | store |
//! | 3 | indicators (pure), alerting (pure), gupshup, import, demo |
//! | 4 | service |
//! | 5 | render |
//! | 6 | digest, outbox |
//! | 7 | bot, jobs, health |
//! | 8 | app, bench |
//! | 9 | cli |
//!
//! - [`config`] validates the file and the environment; [`clock`] is "now"; [`chars`] cuts
//!   text by characters; [`telemetry`] holds log setup, metric names and the scheduler's
//!   heartbeat.
//! - [`domain`]: inquiries, survey answers, periods and UTC windows, samples, alert state,
//!   destinations — plain values.
//! - [`store`] is the only SQL, on SQLite and PostgreSQL.
//! - [`indicators`] computes the seven indicators from samples; [`alerting`] decides alert
//!   episodes; [`gupshup`] reads the WhatsApp provider's wallet (or simulates one for the
//!   demo); [`import`] and [`demo`] are the only writers of inquiry data.
//! - [`service`] fetches from the store and computes with the pure layers.
//! - [`render`] turns reports into transport-neutral replies, terminal text and JSON.
//! - [`digest`] composes the daily digest; [`outbox`] delivers queued messages.
//! - [`bot`] answers slash commands (console, gateway, HTTP); [`jobs`] runs the scheduled
//!   digests, alert rules, live demo queue and balance polls; [`health`] serves `/healthz`
//!   and `/metrics`.
//! - [`app`] builds the shared [`app::Services`] once and runs `pulso run`; [`bench`] is
//!   `pulso bench`; [`cli`] is the command line `main.rs` calls.

pub mod alerting;
pub mod app;
pub mod bench;
pub mod bot;
pub mod chars;
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
pub mod jobs;
pub mod outbox;
pub mod render;
pub mod service;
pub mod store;
pub mod telemetry;
