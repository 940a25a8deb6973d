//! SVG charts drawn in Rust (plotters' SVG backend, no fonts or scripts needed), for the HTML report.
//!
//! Charts take plain series of numbers: they are pictures of amounts already computed exactly
//! elsewhere, so `f64` is fine here and only here.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

/// A palette that stays readable in print and for common colour blindness (Okabe–Ito).
const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
];

/// Bars per category: stacked (one bar per category) or grouped (one bar per series).
pub struct BarChart {
    pub title: String,
    pub y_label: String,
    pub categories: Vec<String>,
    pub series: Vec<(String, Vec<f64>)>,
    pub stacked: bool,
}

/// Lines over an x axis (e.g. hours of a week).
pub struct LineChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
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
const HEIGHT: u32 = 380;

fn chart_err<E: std::fmt::Display>(title: &str) -> impl Fn(E) -> ChartError + '_ {
    move |e| ChartError {
        title: title.to_string(),
        message: e.to_string(),
    }
}

/// The legend box every chart has (at `position`, else plotters' default place), then the
/// drawing written out.
fn finish<'a, 'b: 'a>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    root: &DrawingArea<SVGBackend<'b>, Shift>,
    position: Option<SeriesLabelPosition>,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let mut labels = chart.configure_series_labels();
    if let Some(p) = position {
        labels.position(p);
    }
    labels
        .border_style(BLACK)
        .background_style(WHITE.mix(0.9))
        .draw()?;
    root.present()
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
    pub fn to_svg(&self) -> Result<String, ChartError> {
        let mut svg = String::new();
        let err = chart_err(&self.title);
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
            root.fill(&WHITE).map_err(&err)?;
            let n = self.categories.len().max(1);
            let max = if self.stacked {
                (0..n)
                    .map(|i| {
                        self.series
                            .iter()
                            .map(|(_, v)| v.get(i).copied().unwrap_or(0.0))
                            .sum::<f64>()
                    })
                    .fold(0.0, f64::max)
            } else {
                self.series
                    .iter()
                    .flat_map(|(_, v)| v.iter().copied())
                    .fold(0.0, f64::max)
            };
            let categories = self.categories.clone();
            let mut chart = ChartBuilder::on(&root)
                .caption(&self.title, ("sans-serif", 18))
                .margin(12)
                .x_label_area_size(40)
                .y_label_area_size(70)
                .build_cartesian_2d(0f64..n as f64, 0f64..nice_max(max))
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
                .x_label_offset(((WIDTH as f64 - 100.0) / n as f64 / 2.0) as i32)
                .y_desc(&self.y_label)
                .y_label_formatter(&|y| format!("${y:.0}"))
                .draw()
                .map_err(&err)?;
            let groups = self.series.len().max(1) as f64;
            for (s, (name, values)) in self.series.iter().enumerate() {
                let color = PALETTE[s % PALETTE.len()];
                let bars = values.iter().enumerate().map(|(i, v)| {
                    let (x0, x1, y0) = if self.stacked {
                        let below: f64 = self.series[..s]
                            .iter()
                            .map(|(_, vs)| vs.get(i).copied().unwrap_or(0.0))
                            .sum();
                        (i as f64 + 0.15, i as f64 + 0.85, below)
                    } else {
                        let w = 0.7 / groups;
                        (
                            i as f64 + 0.15 + w * s as f64,
                            i as f64 + 0.15 + w * (s as f64 + 1.0),
                            0.0,
                        )
                    };
                    Rectangle::new([(x0, y0), (x1, y0 + v)], color.filled())
                });
                chart
                    .draw_series(bars)
                    .map_err(&err)?
                    .label(name.clone())
                    .legend(move |(x, y)| {
                        Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled())
                    });
            }
            finish(&mut chart, &root, None).map_err(&err)?;
        }
        Ok(svg)
    }
}

impl LineChart {
    pub fn to_svg(&self) -> Result<String, ChartError> {
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
            let mut chart = ChartBuilder::on(&root)
                .caption(&self.title, ("sans-serif", 18))
                .margin(12)
                .x_label_area_size(40)
                .y_label_area_size(60)
                .build_cartesian_2d(x0..x1, 0f64..nice_max(y1))
                .map_err(&err)?;
            chart
                .configure_mesh()
                .x_desc(&self.x_label)
                .y_desc(&self.y_label)
                .draw()
                .map_err(&err)?;
            for (s, (name, pts)) in self.series.iter().enumerate() {
                let color = PALETTE[s % PALETTE.len()];
                chart
                    .draw_series(LineSeries::new(pts.iter().copied(), color.stroke_width(2)))
                    .map_err(&err)?
                    .label(name.clone())
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 14, y)], color.stroke_width(2))
                    });
            }
            finish(&mut chart, &root, None).map_err(&err)?;
        }
        Ok(svg)
    }
}

impl FrontierChart {
    pub fn to_svg(&self) -> Result<String, ChartError> {
        let mut svg = String::new();
        let err = chart_err(&self.title);
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
            // Pad the availability axis so that points at 100% and the target stay visible.
            let pad = ((x1 - x0) * 0.08).max(0.0005);
            let (x0, x1) = (x0 - pad, x1 + pad);
            let mut chart = ChartBuilder::on(&root)
                .caption(&self.title, ("sans-serif", 18))
                .margin(12)
                .x_label_area_size(40)
                .y_label_area_size(60)
                .build_cartesian_2d(x0..x1, 0f64..nice_max(y1))
                .map_err(&err)?;
            chart
                .configure_mesh()
                .x_desc("availability: share of time with healthy ≥ min_healthy, %")
                .y_desc("expected USD per month")
                .x_label_formatter(&|v| format!("{v:.3}"))
                .draw()
                .map_err(&err)?;
            let frontier_color = PALETTE[0];
            chart
                .draw_series(LineSeries::new(
                    self.frontier.iter().copied(),
                    frontier_color.stroke_width(2),
                ))
                .map_err(&err)?
                .label("frontier")
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 14, y)], frontier_color.stroke_width(2))
                });
            chart
                .draw_series(
                    self.frontier
                        .iter()
                        .map(|p| Circle::new(*p, 4, frontier_color.filled())),
                )
                .map_err(&err)?;
            let target_color = PALETTE[5];
            chart
                .draw_series(LineSeries::new(
                    [(self.target, 0.0), (self.target, nice_max(y1))],
                    target_color.stroke_width(1),
                ))
                .map_err(&err)?
                .label("target")
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 14, y)], target_color.stroke_width(1))
                });
            let written_color = PALETTE[1];
            chart
                .draw_series(std::iter::once(Cross::new(
                    self.as_written,
                    7,
                    written_color.stroke_width(3),
                )))
                .map_err(&err)?
                .label("as written")
                .legend(move |(x, y)| Cross::new((x + 7, y), 5, written_color.stroke_width(3)));
            if let Some(c) = self.chosen {
                let chosen_color = PALETTE[2];
                chart
                    .draw_series(std::iter::once(Circle::new(
                        c,
                        8,
                        chosen_color.stroke_width(3),
                    )))
                    .map_err(&err)?
                    .label("recommended")
                    .legend(move |(x, y)| Circle::new((x + 7, y), 5, chosen_color.stroke_width(3)));
            }
            finish(&mut chart, &root, Some(SeriesLabelPosition::UpperLeft)).map_err(&err)?;
        }
        Ok(svg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frontier_draws_its_points_and_the_target() {
        let c = FrontierChart {
            title: "api: cost against availability".into(),
            frontier: vec![(99.989, 57.76), (99.992, 77.42), (100.0, 136.38)],
            as_written: (99.997, 154.14),
            chosen: Some((99.992, 77.42)),
            target: 99.99,
        };
        let svg = c.to_svg().unwrap();
        assert!(svg.starts_with("<svg"));
        // 3 frontier dots + the recommended ring (+ its legend swatch).
        assert!(svg.matches("<circle").count() >= 4, "{svg}");
        for label in ["frontier", "target", "as written", "recommended"] {
            assert!(svg.contains(label), "{label}");
        }
    }

    #[test]
    fn stacked_bars_draw_one_rect_per_value() {
        let c = BarChart {
            title: "cost".into(),
            y_label: "USD".into(),
            categories: vec!["a".into(), "b".into()],
            series: vec![
                ("FARGATE".into(), vec![10.0, 20.0]),
                ("FARGATE_SPOT".into(), vec![5.0, 0.0]),
            ],
            stacked: true,
        };
        let svg = c.to_svg().unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(
            svg.contains("FARGATE_SPOT") && svg.lines().any(|l| l.trim() == "cost"),
            "{svg}"
        );
        // 4 bars + 2 legend swatches + background rectangles.
        assert!(svg.matches("<rect").count() >= 6, "{svg}");
    }

    #[test]
    fn nice_axis_maxima() {
        assert_eq!(nice_max(18.02), 20.0);
        assert_eq!(nice_max(483.76), 600.0);
        assert_eq!(nice_max(0.0), 1.0);
    }
}
