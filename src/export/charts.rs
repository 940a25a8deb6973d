//! SVG charts drawn in Rust (plotters' SVG backend, no fonts or scripts needed), for the HTML report;
//! each gives its legend keys for the page to draw outside the plotting area.
//!
//! Charts take plain series of numbers: they are pictures of amounts already computed exactly
//! elsewhere, so `f64` is fine here and only here.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A palette that stays readable in print and for common colour blindness (Okabe–Ito).
const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
];

/// How a legend key is drawn: the swatch matches the mark in the chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Block,
    Line,
    Dot,
    Cross,
    Ring,
}

/// One legend entry. Legends are drawn by the page outside the plotting area (never over a bar
/// or a point), so a chart gives its keys rather than drawing a legend box.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub label: String,
    /// `#rrggbb`.
    pub color: String,
    pub mark: Mark,
}

/// A drawn chart: its title, the SVG of the plotting area and axes, and its legend keys.
pub struct Drawn {
    pub title: String,
    pub svg: String,
    pub legend: Vec<Key>,
}

/// Bars per category: stacked (one bar per category) or grouped (one bar per series). A `None`
/// value is not available: a labelled gap (`n/a`), never a zero bar.
pub struct BarChart {
    pub title: String,
    pub y_label: String,
    pub categories: Vec<String>,
    pub series: Vec<(String, Vec<Option<f64>>)>,
    pub stacked: bool,
}

/// Lines over an x axis (e.g. hours of a week), labelled at `x_ticks` (position, label) when
/// given, else at plain numbers. The first series is drawn wider than the others.
pub struct LineChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub x_ticks: Vec<(f64, String)>,
    pub series: Vec<(String, Vec<(f64, f64)>)>,
}

/// Cost against availability: every frontier point, the plan as written and the choice, with
/// the target as a vertical line.
pub struct FrontierChart {
    pub title: String,
    /// (availability %, monthly USD), ascending in cost.
    pub frontier: Vec<(f64, f64)>,
    pub as_written: (f64, f64),
    pub chosen: Option<(f64, f64)>,
    pub target: f64,
}

#[derive(Debug, thiserror::Error)]
#[error("could not draw chart `{title}`: {message}")]
pub struct ChartError {
    pub title: String,
    pub message: String,
}

const WIDTH: u32 = 860;
const HEIGHT: u32 = 360;
/// Tick labels and axis descriptions, in px: at least 12 px on screen (the SVG is never scaled
/// down; a narrow screen scrolls it sideways).
const TICK_PX: f64 = 14.0;
const NOTE_PX: f64 = 13.0;
/// plotters' SVG backend writes `font-size` as the requested size / 1.24 (plotters-svg 0.3):
/// fonts are requested at `px × 1.24` to come out at `px`.
const SVG_FONT_SCALE: f64 = 1.24;

fn chart_err<E: std::fmt::Display>(title: &str) -> impl Fn(E) -> ChartError + '_ {
    move |e| ChartError {
        title: title.to_string(),
        message: e.to_string(),
    }
}

fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

fn key(label: &str, color: RGBColor, mark: Mark) -> Key {
    Key {
        label: label.to_string(),
        color: hex(color),
        mark,
    }
}

fn tick_font() -> TextStyle<'static> {
    ("sans-serif", TICK_PX * SVG_FONT_SCALE).into_font().into()
}

fn nice_max(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(v.log10().floor());
    let steps = [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0];
    steps
        .iter()
        .map(|s| s * magnitude)
        .find(|m| *m >= v * 1.05)
        .unwrap_or(10.0 * magnitude)
}

impl BarChart {
    fn max(&self) -> f64 {
        let n = self.categories.len().max(1);
        let value = |v: &Vec<Option<f64>>, i: usize| v.get(i).copied().flatten().unwrap_or(0.0);
        if self.stacked {
            (0..n)
                .map(|i| self.series.iter().map(|(_, v)| value(v, i)).sum::<f64>())
                .fold(0.0, f64::max)
        } else {
            self.series
                .iter()
                .flat_map(|(_, v)| v.iter().flatten().copied())
                .fold(0.0, f64::max)
        }
    }

    /// The x range of series `s`'s bar in category `i` (grouped), or of the stack (stacked).
    fn slot(&self, s: usize, i: usize) -> (f64, f64) {
        if self.stacked {
            return (i as f64 + 0.15, i as f64 + 0.85);
        }
        let w = 0.7 / self.series.len().max(1) as f64;
        (
            i as f64 + 0.15 + w * s as f64,
            i as f64 + 0.15 + w * (s as f64 + 1.0),
        )
    }

    pub fn draw(&self) -> Result<Drawn, ChartError> {
        let mut svg = String::new();
        let err = chart_err(&self.title);
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
            root.fill(&WHITE).map_err(&err)?;
            let n = self.categories.len().max(1);
            let categories = self.categories.clone();
            let mut chart = ChartBuilder::on(&root)
                .margin(12)
                .x_label_area_size(36)
                .y_label_area_size(84)
                .build_cartesian_2d(0f64..n as f64, 0f64..nice_max(self.max()))
                .map_err(&err)?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(n + 1)
                .x_label_formatter(&|x| {
                    let i = x.floor() as usize;
                    if (x - x.floor() - 0.5).abs() < 0.01 || x.fract() == 0.0 {
                        categories.get(i).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                })
                .x_label_offset(((WIDTH as f64 - 108.0) / n as f64 / 2.0) as i32)
                .label_style(tick_font())
                .axis_desc_style(tick_font())
                .light_line_style(TRANSPARENT)
                .y_desc(&self.y_label)
                .y_label_formatter(&|y| format!("${y:.0}"))
                .draw()
                .map_err(&err)?;
            for (s, (_, values)) in self.series.iter().enumerate() {
                let color = PALETTE[s % PALETTE.len()];
                let bars = values.iter().enumerate().filter_map(|(i, v)| {
                    let v = (*v)?;
                    let (x0, x1) = self.slot(s, i);
                    let y0 = if self.stacked {
                        self.series[..s]
                            .iter()
                            .map(|(_, vs)| vs.get(i).copied().flatten().unwrap_or(0.0))
                            .sum()
                    } else {
                        0.0
                    };
                    Some(Rectangle::new([(x0, y0), (x1, y0 + v)], color.filled()))
                });
                chart.draw_series(bars).map_err(&err)?;
                if !self.stacked {
                    // Not available: a gap with its label where the bar would stand.
                    let style =
                        TextStyle::from(("sans-serif", NOTE_PX * SVG_FONT_SCALE).into_font())
                            .color(&RGBColor(87, 96, 106))
                            .pos(Pos::new(HPos::Center, VPos::Bottom));
                    let gaps = values.iter().enumerate().filter(|(_, v)| v.is_none());
                    chart
                        .draw_series(gaps.map(|(i, _)| {
                            let (x0, x1) = self.slot(s, i);
                            Text::new("n/a", ((x0 + x1) / 2.0, 0.0), style.clone())
                        }))
                        .map_err(&err)?;
                }
            }
            root.present().map_err(&err)?;
        }
        let legend = self
            .series
            .iter()
            .enumerate()
            .map(|(s, (name, _))| key(name, PALETTE[s % PALETTE.len()], Mark::Block))
            .collect();
        Ok(Drawn {
            title: self.title.clone(),
            svg,
            legend,
        })
    }
}

impl LineChart {
    pub fn draw(&self) -> Result<Drawn, ChartError> {
        let mut svg = String::new();
        let err = chart_err(&self.title);
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
            root.fill(&WHITE).map_err(&err)?;
            let points = self.series.iter().flat_map(|(_, p)| p.iter());
            let (mut x0, mut x1, mut y1) = (f64::MAX, f64::MIN, 0f64);
            for (x, y) in points {
                x0 = x0.min(*x);
                x1 = x1.max(*x);
                y1 = y1.max(*y);
            }
            if x0 >= x1 {
                (x0, x1) = (0.0, 1.0);
            }
            let ticks: Vec<(f64, String)> = if self.x_ticks.is_empty() {
                (0..=6)
                    .map(|i| x0 + (x1 - x0) * f64::from(i) / 6.0)
                    .map(|x| (x, format!("{x:.0}")))
                    .collect()
            } else {
                self.x_ticks.clone()
            };
            let first = ticks.first().map_or(x0, |t| t.0);
            let last = ticks.last().map_or(x1, |t| t.0);
            let (x0, x1) = (x0.min(first), x1.max(last));
            let y_max = nice_max(y1);
            let mut chart = ChartBuilder::on(&root)
                .margin(12)
                .margin_right(40)
                .x_label_area_size(56)
                .y_label_area_size(60)
                .build_cartesian_2d(x0..x1, 0f64..y_max)
                .map_err(&err)?;
            // The x ticks are the given ones (plotters would pick round numbers): a grid line
            // and a label under the axis at each.
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(0)
                .y_labels(8)
                .y_label_formatter(&|y| {
                    if y.fract().abs() < 1e-9 {
                        format!("{y:.0}")
                    } else {
                        String::new()
                    }
                })
                .label_style(tick_font())
                .axis_desc_style(tick_font())
                .light_line_style(TRANSPARENT)
                .x_desc(&self.x_label)
                .y_desc(&self.y_label)
                .draw()
                .map_err(&err)?;
            let grid = RGBColor(216, 222, 228);
            chart
                .draw_series(
                    ticks
                        .iter()
                        .map(|(x, _)| PathElement::new(vec![(*x, 0.0), (*x, y_max)], grid)),
                )
                .map_err(&err)?;
            let style = tick_font().pos(Pos::new(HPos::Center, VPos::Top));
            for (x, label) in &ticks {
                let (px, py) = chart.backend_coord(&(*x, 0.0));
                root.draw(&Text::new(label.clone(), (px, py + 8), style.clone()))
                    .map_err(&err)?;
            }
            for (s, (_, pts)) in self.series.iter().enumerate() {
                let color = PALETTE[s % PALETTE.len()];
                // The first series is drawn wider: one that follows it exactly leaves it visible.
                let stroke = if s == 0 { 5 } else { 2 };
                chart
                    .draw_series(LineSeries::new(
                        pts.iter().copied(),
                        color.stroke_width(stroke),
                    ))
                    .map_err(&err)?;
            }
            root.present().map_err(&err)?;
        }
        let legend = self
            .series
            .iter()
            .enumerate()
            .map(|(s, (name, _))| key(name, PALETTE[s % PALETTE.len()], Mark::Line))
            .collect();
        Ok(Drawn {
            title: self.title.clone(),
            svg,
            legend,
        })
    }
}

impl FrontierChart {
    /// Every point at the same availability (e.g. all at 100%): an availability axis would be a
    /// single value, so the page says so in words instead of drawing a chart.
    pub fn degenerate(&self) -> bool {
        let mut xs = self
            .frontier
            .iter()
            .chain(std::iter::once(&self.as_written))
            .chain(self.chosen.iter())
            .map(|p| p.0);
        let first = xs.next().unwrap_or(0.0);
        xs.all(|x| (x - first).abs() < 1e-9)
    }

    pub fn draw(&self) -> Result<Drawn, ChartError> {
        let mut svg = String::new();
        let err = chart_err(&self.title);
        let (frontier_color, target_color) = (PALETTE[0], PALETTE[5]);
        let (written_color, chosen_color) = (PALETTE[1], PALETTE[2]);
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
            root.fill(&WHITE).map_err(&err)?;
            let all = self
                .frontier
                .iter()
                .chain(std::iter::once(&self.as_written))
                .chain(self.chosen.iter());
            let (mut x0, mut x1, mut y1) = (self.target, self.target, 0f64);
            for (x, y) in all {
                x0 = x0.min(*x);
                x1 = x1.max(*x);
                y1 = y1.max(*y);
            }
            // The availability axis spans the data and the target, padded so that points at
            // 100% and the target stay visible.
            let pad = ((x1 - x0) * 0.08).max(0.0005);
            let (x0, x1) = (x0 - pad, x1 + pad);
            let decimals = if x1 - x0 < 0.01 { 4 } else { 3 };
            let mut chart = ChartBuilder::on(&root)
                .margin(12)
                .margin_right(40)
                .x_label_area_size(56)
                .y_label_area_size(72)
                .build_cartesian_2d(x0..x1, 0f64..nice_max(y1))
                .map_err(&err)?;
            chart
                .configure_mesh()
                .x_labels(6)
                .label_style(tick_font())
                .axis_desc_style(tick_font())
                .light_line_style(TRANSPARENT)
                .x_desc("availability: share of time with healthy ≥ min_healthy, %")
                .y_desc("expected USD per month")
                .x_label_formatter(&|v| format!("{v:.decimals$}"))
                .y_label_formatter(&|y| format!("${y:.0}"))
                .draw()
                .map_err(&err)?;
            chart
                .draw_series(LineSeries::new(
                    self.frontier.iter().copied(),
                    frontier_color.stroke_width(2),
                ))
                .map_err(&err)?;
            chart
                .draw_series(
                    self.frontier
                        .iter()
                        .map(|p| Circle::new(*p, 4, frontier_color.filled())),
                )
                .map_err(&err)?;
            chart
                .draw_series(LineSeries::new(
                    [(self.target, 0.0), (self.target, nice_max(y1))],
                    target_color.stroke_width(1),
                ))
                .map_err(&err)?;
            chart
                .draw_series(std::iter::once(Cross::new(
                    self.as_written,
                    7,
                    written_color.stroke_width(3),
                )))
                .map_err(&err)?;
            if let Some(c) = self.chosen {
                chart
                    .draw_series(std::iter::once(Circle::new(
                        c,
                        8,
                        chosen_color.stroke_width(3),
                    )))
                    .map_err(&err)?;
            }
            root.present().map_err(&err)?;
        }
        let mut legend = vec![
            key("frontier", frontier_color, Mark::Dot),
            key("target", target_color, Mark::Line),
            key("as written", written_color, Mark::Cross),
        ];
        if self.chosen.is_some() {
            legend.push(key("recommended", chosen_color, Mark::Ring));
        }
        Ok(Drawn {
            title: self.title.clone(),
            svg,
            legend,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frontier(points: Vec<(f64, f64)>, written: (f64, f64)) -> FrontierChart {
        FrontierChart {
            title: "api: cost against availability".into(),
            chosen: points.get(1).copied(),
            frontier: points,
            as_written: written,
            target: 99.99,
        }
    }

    #[test]
    fn a_frontier_draws_its_points_and_gives_its_legend() {
        let c = frontier(
            vec![(99.989, 57.76), (99.992, 77.42), (100.0, 136.38)],
            (99.997, 154.14),
        );
        assert!(!c.degenerate());
        let d = c.draw().unwrap();
        assert!(d.svg.starts_with("<svg"));
        // 3 frontier dots + the recommended ring; no legend drawn inside the chart.
        assert_eq!(d.svg.matches("<circle").count(), 4, "{}", d.svg);
        let labels: Vec<&str> = d.legend.iter().map(|k| k.label.as_str()).collect();
        assert_eq!(labels, ["frontier", "target", "as written", "recommended"]);
        assert!(
            !d.svg.contains("\nfrontier\n"),
            "legend text inside the SVG"
        );
    }

    #[test]
    fn every_point_at_one_availability_is_degenerate() {
        let c = frontier(vec![(100.0, 57.76), (100.0, 77.42)], (100.0, 154.14));
        assert!(c.degenerate());
    }

    #[test]
    fn stacked_bars_draw_one_rect_per_value_and_gaps_are_labelled() {
        let mut c = BarChart {
            title: "cost".into(),
            y_label: "USD".into(),
            categories: vec!["a".into(), "b".into()],
            series: vec![
                ("FARGATE".into(), vec![Some(10.0), Some(20.0)]),
                ("FARGATE_SPOT".into(), vec![Some(5.0), None]),
            ],
            stacked: true,
        };
        let d = c.draw().unwrap();
        assert!(d.svg.starts_with("<svg"), "{}", d.svg);
        assert_eq!(d.legend[1].label, "FARGATE_SPOT");
        assert_eq!(d.legend[0].color, "#0072b2");
        // 3 bars + the background.
        assert_eq!(d.svg.matches("<rect").count(), 4, "{}", d.svg);
        c.stacked = false;
        let d = c.draw().unwrap();
        assert_eq!(d.svg.matches("<rect").count(), 4, "{}", d.svg);
        assert_eq!(d.svg.matches("\nn/a\n").count(), 1, "{}", d.svg);
    }

    #[test]
    fn tick_labels_are_at_least_12_px() {
        let c = LineChart {
            title: "week".into(),
            x_label: "day and hour".into(),
            y_label: "tasks".into(),
            x_ticks: vec![(0.0, "Mon 00:00".into()), (24.0, "Tue 00:00".into())],
            series: vec![("desired".into(), vec![(0.0, 1.0), (24.0, 3.0)])],
        };
        let svg = c.draw().unwrap().svg;
        assert!(svg.contains("\nTue 00:00\n"), "{svg}");
        for size in svg.split("font-size=\"").skip(1) {
            let px: f64 = size.split('"').next().unwrap().parse().unwrap();
            assert!(px >= 12.0, "{px} px text in {svg}");
        }
    }

    #[test]
    fn nice_axis_maxima() {
        assert_eq!(nice_max(18.02), 20.0);
        assert_eq!(nice_max(483.76), 600.0);
        assert_eq!(nice_max(0.0), 1.0);
    }
}
