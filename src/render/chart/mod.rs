//! The digest chart: daily resolved/expired bars and the average attention line, as PNG.
//!
//! Drawn with plotters into an in-memory RGB buffer and encoded with `image`, so the bot
//! can attach it to a Discord message without touching the disk. Fonts are the embedded
//! DejaVu Sans, so no system fonts are needed. Colours follow Discord's dark theme and
//! the Okabe–Ito colour-blind-safe palette.

use std::sync::OnceLock;

use image::{ColorType, ImageEncoder, codecs::png::PngEncoder};
use plotters::prelude::*;
use plotters::style::register_font;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::config::Locale;
use crate::indicators::DailyPoint;
use crate::render::catalogue::t;
use crate::render::locale;

mod scale;
use scale::{Scale, ticked};

/// Width of the PNG in pixels, wide enough for 14 day labels.
pub const CHART_WIDTH: u32 = 1000;
/// Height of the PNG in pixels; 2:1 shows well in a Discord embed.
pub const CHART_HEIGHT: u32 = 500;

/// Discord's dark-theme message background, so the image blends in.
const BACKGROUND: RGBColor = RGBColor(0x2B, 0x2D, 0x31);
const TEXT: RGBColor = RGBColor(0xDB, 0xDE, 0xE1);
const MUTED: RGBColor = RGBColor(0xB5, 0xBA, 0xC1);
const GRID: RGBColor = RGBColor(0x3F, 0x41, 0x47);
const AXIS: RGBColor = RGBColor(0x6D, 0x6F, 0x78);
/// Okabe–Ito sky blue, vermillion and yellow: distinct under the common colour-blindnesses.
const RESOLVED: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
const EXPIRED: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
const ATTENTION: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
const FONT: &str = "sans-serif";

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The embedded DejaVu font could not be registered with plotters.
    #[error("the embedded chart font could not be loaded")]
    Font,
    /// Plotters failed while drawing into the buffer.
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    /// The finished pixels could not be encoded as PNG.
    #[error("encoding the chart as PNG failed: {0}")]
    Encode(#[from] image::ImageError),
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(error: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Draw(error.to_string())
    }
}

/// The digest chart as PNG bytes ([`CHART_WIDTH`]×[`CHART_HEIGHT`]), so the digest can
/// show the trend of the last days at a glance.
///
/// Per day it draws resolved and expired inquiries as side-by-side bars (one baseline, so
/// both compare even when expired is small) on the left axis, and the average attention
/// minutes as a line with dots on the right axis, whose ticks share the left grid. Days
/// without attention samples (`None`, or a non-finite value) leave a gap in the line, not
/// a zero. Empty `points` still give a chart, with axes and a "sin datos"/"no data" note,
/// so the digest layout never changes.
pub fn digest_chart(
    points: &[DailyPoint],
    title: &str,
    locale: Locale,
) -> Result<Vec<u8>, ChartError> {
    register_fonts()?;
    let mut pixels = vec![0u8; (CHART_WIDTH * CHART_HEIGHT * 3) as usize];
    draw(&mut pixels, points, title, locale)?;
    let mut png = Vec::new();
    PngEncoder::new(&mut png).write_image(&pixels, CHART_WIDTH, CHART_HEIGHT, ColorType::Rgb8)?;
    Ok(png)
}

/// Registers DejaVu Sans once per process; plotters' ab_glyph backend has no fonts of its own.
fn register_fonts() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        let normal = register_font(FONT, FontStyle::Normal, dejavu::sans::regular()).is_ok();
        normal && register_font(FONT, FontStyle::Bold, dejavu::sans::bold()).is_ok()
    });
    if ok { Ok(()) } else { Err(ChartError::Font) }
}

/// The attention value to plot: `None` for missing or nonsensical samples.
fn attention(point: &DailyPoint) -> Option<f64> {
    let valid = |v: &f64| v.is_finite() && *v >= 0.0;
    point.avg_attention_min.filter(valid)
}

/// A text style in the embedded font, for the many labels that differ only in size.
fn style(size: f64, colour: &'static RGBColor) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font()).color(colour)
}

/// The title and a one-row legend above the plot, where they never cover a bar.
fn draw_header<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    title: &str,
    locale: Locale,
    attention_label: &str,
) -> Result<(), ChartError> {
    let bold = FontDesc::new(FontFamily::Name(FONT), 24.0, FontStyle::Bold);
    let title_style = TextStyle::from(bold).color(&TEXT);
    area.draw(&Text::new(title.to_owned(), (28, 14), title_style))?;
    let (legend, mut x, y) = (style(16.0, &MUTED), 28, 60);
    let anchored = legend.pos(Pos::new(HPos::Left, VPos::Center));
    let (resolved, expired) = (t!(locale, "label-resolved"), t!(locale, "label-expired"));
    let items = [(resolved.as_str(), RESOLVED), (expired.as_str(), EXPIRED)];
    for (label, colour) in items.into_iter().chain([(attention_label, ATTENTION)]) {
        if colour == ATTENTION {
            let line = PathElement::new([(x, y), (x + 24, y)], colour.stroke_width(3));
            area.draw(&line)?;
            area.draw(&Circle::new((x + 12, y), 4, colour.filled()))?;
        } else {
            let square = Rectangle::new([(x + 5, y - 7), (x + 19, y + 7)], colour.filled());
            area.draw(&square)?;
        }
        area.draw(&Text::new(label.to_owned(), (x + 32, y), anchored.clone()))?;
        x += 64 + area.estimate_text_size(label, &legend)?.0 as i32;
    }
    Ok(())
}

/// Draws the whole chart into `buf`, an RGB buffer of the chart's size.
fn draw(
    buf: &mut [u8],
    points: &[DailyPoint],
    title: &str,
    locale: Locale,
) -> Result<(), ChartError> {
    let count_axis = t!(locale, "chart-count-axis");
    let attention_label = t!(locale, "chart-attention");
    let no_data = t!(locale, "label-no-data");
    let root = BitMapBackend::with_buffer(buf, (CHART_WIDTH, CHART_HEIGHT)).into_drawing_area();
    root.fill(&BACKGROUND)?;
    let (header, body) = root.split_vertically(84);
    draw_header(&header, title, locale, &attention_label)?;

    let max_count = points.iter().map(|p| p.resolved.max(p.expired)).max();
    let counts = Scale::counts(max_count.unwrap_or(0) as f64);
    let max_minutes = points.iter().filter_map(attention).fold(0.0, f64::max);
    let minutes = Scale::aligned(max_minutes, (counts.top / counts.step).round());
    let every = points.len().div_ceil(14).max(1);
    let x_ticks = (0..points.len()).step_by(every).map(|i| i as f64).collect();
    let x_range = -0.5..(points.len().max(1) as f64 - 0.5);
    let x_axis = ticked(x_range.clone(), x_ticks);
    let mut chart = ChartBuilder::on(&body)
        .margin(12)
        .x_label_area_size(34)
        .y_label_area_size(78)
        .right_y_label_area_size(78)
        .build_cartesian_2d(x_axis, ticked(0.0..counts.top, counts.ticks()))?
        .set_secondary_coord(x_range, ticked(0.0..minutes.top, minutes.ticks()));

    let day = |x: &f64| {
        points
            .get(x.round() as usize)
            .map(|p| locale::day(p.date, locale))
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(GRID)
        .axis_style(AXIS)
        .label_style(style(14.0, &MUTED))
        .axis_desc_style(style(15.0, &MUTED))
        .y_desc(&count_axis)
        .x_label_formatter(&|x| day(x).unwrap_or_default())
        .y_label_formatter(&|v| counts.label(*v, locale))
        .draw()?;
    chart
        .configure_secondary_axes()
        .axis_style(AXIS)
        .label_style(style(14.0, &MUTED))
        .axis_desc_style(style(15.0, &MUTED))
        .y_desc(&attention_label)
        .y_label_formatter(&|v| minutes.label(*v, locale))
        .draw()?;

    // Side-by-side bars, 0.36 days wide, around each day's tick; zero days get no bar.
    let bars = points.iter().enumerate().flat_map(|(i, p)| {
        let resolved = (i as f64 - 0.38, p.resolved, RESOLVED);
        [resolved, (i as f64 + 0.02, p.expired, EXPIRED)]
    });
    let bars = bars.filter(|bar| bar.1 > 0).map(|(x, value, colour)| {
        Rectangle::new([(x, 0.0), (x + 0.36, value as f64)], colour.filled())
    });
    chart.draw_series(bars)?;

    // One line per run of consecutive days with samples, so missing days are gaps.
    let mut run: Vec<(f64, f64)> = Vec::new();
    for (i, value) in points.iter().map(attention).chain([None]).enumerate() {
        match value {
            Some(v) => run.push((i as f64, v)),
            None if !run.is_empty() => {
                let line = LineSeries::new(run.drain(..), ATTENTION.stroke_width(3));
                chart.draw_secondary_series(line)?;
            }
            None => {}
        }
    }
    let days = points.iter().enumerate();
    let dots = days.filter_map(|(i, p)| attention(p).map(|v| (i as f64, v)));
    chart.draw_secondary_series(dots.map(|at| Circle::new(at, 4, ATTENTION.filled())))?;

    if points.is_empty() {
        // Centred on the plot, on a background patch so the grid does not cross it.
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        let (cx, cy) = ((xs.start + xs.end) / 2, (ys.start + ys.end) / 2);
        let note = style(22.0, &MUTED);
        let (width, height) = root.estimate_text_size(&no_data, &note)?;
        let (dx, dy) = (width as i32 / 2 + 16, height as i32 / 2 + 10);
        let patch = [(cx - dx, cy - dy), (cx + dx, cy + dy)];
        root.draw(&Rectangle::new(patch, BACKGROUND.filled()))?;
        let note = note.pos(Pos::new(HPos::Center, VPos::Center));
        root.draw(&Text::new(no_data, (cx, cy), note))?;
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    /// `n` days from 17 Nov 2026 with varied counts and a missing attention every 4 days.
    fn days(n: u64) -> Vec<DailyPoint> {
        let start = NaiveDate::from_ymd_opt(2026, 11, 17).unwrap();
        (0..n)
            .map(|i| DailyPoint {
                date: start + chrono::Duration::days(i as i64),
                resolved: (i * 7 + 5) % 21,
                expired: (i * 5 + 2) % 6,
                avg_attention_min: (i % 4 != 1).then_some(8.0 + (i * 13 % 25) as f64),
            })
            .collect()
    }

    fn decode(png: &[u8]) -> image::RgbImage {
        let image = image::load_from_memory(png).expect("valid PNG").to_rgb8();
        assert_eq!(image.dimensions(), (CHART_WIDTH, CHART_HEIGHT));
        image
    }

    fn has(image: &image::RgbImage, c: RGBColor) -> bool {
        image.pixels().any(|p| p.0 == [c.0, c.1, c.2])
    }

    #[test]
    fn chart_is_a_dark_localized_png_with_every_series() {
        let es = decode(&digest_chart(&days(7), "Resumen", Locale::Es).unwrap());
        let colours: std::collections::HashSet<_> = es.pixels().map(|p| p.0).collect();
        assert!(colours.len() > 10, "the chart is flat");
        for (x, y) in [(0, 0), (CHART_WIDTH - 1, CHART_HEIGHT - 1)] {
            assert_eq!(es.get_pixel(x, y).0, [0x2B, 0x2D, 0x31]);
        }
        assert!([RESOLVED, EXPIRED, ATTENTION].iter().all(|c| has(&es, *c)));
        let en = decode(&digest_chart(&days(7), "Resumen", Locale::En).unwrap());
        assert_ne!(es, en, "axis, legend and day labels are localized");
        let pt = decode(&digest_chart(&days(7), "Resumen", Locale::Pt).unwrap());
        assert_ne!(es, pt, "Portuguese has its own legend and day labels");
    }

    #[test]
    fn empty_points_render_a_no_data_note() {
        let image = decode(&digest_chart(&[], "Resumen", Locale::Es).unwrap());
        let note = (440..560).flat_map(|x| (250..290).map(move |y| (x, y)));
        let bright = note.filter(|&(x, y)| image.get_pixel(x, y).0[0] > 0x80);
        assert!(bright.count() > 50, "the no-data note is missing");
    }

    #[test]
    fn missing_attention_zero_counts_and_huge_values_render() {
        let mut points = days(7);
        for p in &mut points {
            (p.resolved, p.expired, p.avg_attention_min) = (0, 0, None);
        }
        decode(&digest_chart(&points, "Digest", Locale::En).unwrap());
        points[3].avg_attention_min = Some(f64::NAN);
        points[4].avg_attention_min = Some(5.0);
        decode(&digest_chart(&points, "Digest", Locale::En).unwrap());
        (points[0].resolved, points[1].expired) = (u64::MAX, u64::MAX / 3);
        points[2].avg_attention_min = Some(1e12);
        decode(&digest_chart(&points, "Digest", Locale::Es).unwrap());
        decode(&digest_chart(&days(90), "Digest", Locale::Es).unwrap());
    }

    #[test]
    fn scales_have_nice_ticks_and_localized_labels() {
        let (small, big) = (Scale::counts(3.0), Scale::counts(2_500_000.0));
        assert_eq!(small.ticks(), [0.0, 1.0, 2.0, 3.0, 4.0]);
        for (scale, step, top) in [
            (Scale::counts(0.0), 1.0, 2.0),
            (Scale::counts(20.0), 5.0, 25.0),
            (Scale::aligned(31.0, 5.0), 10.0, 50.0),
            (Scale::aligned(1.2, 4.0), 0.5, 2.0),
        ] {
            assert_eq!((scale.step, scale.top), (step, top));
        }
        for (scale, value, locale, label) in [
            (big, 1_500_000.0, Locale::Es, "1,5 M"),
            (big, 0.0, Locale::Es, "0"),
            (Scale::counts(70_000.0), 40_000.0, Locale::En, "40,000"),
            (Scale::counts(u64::MAX as f64), 1e19, Locale::En, "10 E"),
        ] {
            assert_eq!(scale.label(value, locale), label);
        }
        let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(locale::day(date, Locale::Es), "23 nov");
        assert_eq!(locale::day(date, Locale::En), "Nov 23");
    }

    /// Writes sample PNGs to /tmp for a person to look at: `cargo test -- --ignored`.
    #[test]
    #[ignore]
    fn write_sample_pngs() {
        for (name, n, title, locale) in [
            ("es", 7, "Resumen semanal de atención", Locale::Es),
            ("en", 30, "Monthly digest", Locale::En),
            ("empty", 0, "Resumen semanal", Locale::Es),
        ] {
            let png = digest_chart(&days(n), title, locale).unwrap();
            std::fs::write(format!("/tmp/pulso-chart-{name}.png"), png).unwrap();
        }
    }
}
