//! Breakdown cards, tables and CSV.

use super::*;
