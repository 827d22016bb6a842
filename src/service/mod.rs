//! The service layer: each function fetches what it needs from the [`Store`] and computes
//! with the pure layers below ([`crate::indicators`], [`crate::alerting`]).
//!
//! Commands, digests and jobs call these instead of the store and the computations
//! separately, so "how is a report made" is written once and neither the store nor the
//! indicators know about each other.
//!
//! [`Store`]: crate::store::Store

mod balance;
mod inquiries;
mod report;
mod rules;
mod whatsapp;

pub use balance::{BalanceLine, balance_line, days_left};
pub use inquiries::{InquiryList, inquiry_list};
pub use report::{
    build_breakdown, build_breakdown_and_all, build_filtered_report, build_report, daily_series,
};
pub use rules::{observe_rule, rules_with_state};
pub use whatsapp::{WhatsappView, health_rules_with_state, whatsapp_view};
