//! Reports → text for people (terminal, later Discord) and JSON for programs.
//!
//! Renderers only format: every figure comes computed in an
//! [`IndicatorReport`](crate::indicators::IndicatorReport).

pub mod locale;
mod text;

pub use text::indicators_text;
