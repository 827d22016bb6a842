//! The chart's axes: "nice" tick steps and a plotters range whose key points are exactly
//! those ticks, so both axes share one grid.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::config::Locale;
use crate::render::locale::number;

/// Evenly spaced "nice" ticks (1, 2 or 5 × 10ⁿ) from zero to just above a maximum.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scale {
    pub(super) step: f64,
    pub(super) top: f64,
}

impl Scale {
    /// About five integer steps whose top is above `max`, so no bar touches the frame.
    pub(super) fn counts(max: f64) -> Scale {
        let max = max.max(1.0);
        let step = nice_step(max / 5.0, |step| step * 5.0 >= max).max(1.0);
        let top = ((max / step).floor() + 1.0) * step;
        Scale { step, top }
    }

    /// Exactly `intervals` steps above `max`, so the ticks fall on another scale's grid.
    pub(super) fn aligned(max: f64, intervals: f64) -> Scale {
        let max = if max > 0.0 { max } else { intervals };
        let step = nice_step(max / intervals, |step| step * intervals > max);
        let top = step * intervals;
        Scale { step, top }
    }

    pub(super) fn ticks(&self) -> Vec<f64> {
        let count = (self.top / self.step).round() as usize;
        (0..=count).map(|i| i as f64 * self.step).collect()
    }

    /// A tick label in the locale: plain below 100 000, else compact (`150 k`, `2,5 M`).
    pub(super) fn label(&self, value: f64, locale: Locale) -> String {
        let thousands = match self.top {
            top if top < 100_000.0 => 0,
            top => (top.log10() / 3.0) as i32,
        };
        let suffix = ["", " k", " M", " G", " T", " P", " E"].get(thousands as usize);
        match suffix {
            _ if value == 0.0 => "0".to_owned(),
            None => format!("{value:.1e}"),
            Some(suffix) => {
                let unit = 1000f64.powi(thousands);
                let decimals = (-(self.step / unit).log10().floor()).clamp(0.0, 3.0);
                number(value / unit, decimals as usize, locale) + suffix
            }
        }
    }
}

/// The smallest 1, 2, 5 or 10 × 10ⁿ step of the size of `raw` that satisfies `fits`.
fn nice_step(raw: f64, fits: impl Fn(f64) -> bool) -> f64 {
    let magnitude = 10f64.powf(raw.log10().floor());
    let steps = [1.0, 2.0, 5.0].map(|m| m * magnitude);
    let found = steps.into_iter().find(|s| fits(*s));
    found.unwrap_or(10.0 * magnitude)
}

/// A linear axis with exactly the given ticks: plotters' `with_key_points` cannot take a
/// custom label formatter, and its automatic ticks would give `0.5` inquiries.
pub(super) struct Ticked {
    range: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.range.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        let light = hint.weight().allow_light_points();
        if light {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.range.range()
    }
}

/// A [`Ticked`] axis over `range`.
pub(super) fn ticked(range: Range<f64>, ticks: Vec<f64>) -> Ticked {
    let range = range.into();
    Ticked { range, ticks }
}
