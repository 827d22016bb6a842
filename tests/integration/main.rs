//! pulso's integration tests: one binary, real SQLite always, real PostgreSQL whenever
//! `PULSO_TEST_POSTGRES_URL` is set (a fresh database per test).

mod fake_discord;
mod fake_gateway;
mod fake_gupshup;
mod harness;
mod helpers;

mod aggregates;
mod alert_commands;
mod alert_rules;
mod alerts_cli;
mod bench_cli;
mod bot;
mod breakdowns;
mod cli;
mod config;
mod connections;
mod demo;
mod digest;
mod digest_breakdown;
mod equivalence;
mod gupshup;
mod gupshup_cli;
mod import;
mod indicators;
mod layers;
mod migrate;
mod ops;
mod outbox_upgrade;
mod plans;
mod survey_alerts;
mod survey_commands;
mod survey_sources;
mod whatsapp;
mod whatsapp_store;
mod writer;
