//! pulso's integration tests: one binary, real SQLite always, real PostgreSQL whenever
//! `PULSO_TEST_POSTGRES_URL` is set (a fresh database per test).

mod fake_discord;
mod helpers;

mod aggregates;
mod bot;
mod cli;
mod config;
mod digest;
mod equivalence;
mod import;
mod indicators;
mod ops;
mod plans;
