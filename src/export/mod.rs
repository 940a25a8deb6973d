//! Exporters: report values in, bytes out. One module per format; none computes a number.
//!
//! Every exporter renders the same [`Report`], so totals agree across
//! formats by construction; amounts are rounded to cents here and nowhere else.

pub mod budget;
pub mod charts;
pub mod compare;
mod compare_json;
pub mod compare_text;
pub mod csv;
pub mod deploy;
pub mod diff;
pub mod html;
pub mod json;
pub mod markdown;
pub mod prices;
pub mod recommend;
pub mod recommend_json;
pub mod recommend_text;
pub mod scan;
pub mod simulate;
pub mod table;

use crate::core::report::{OptionCost, Priced, Report};
use crate::core::vocab::money::Usd;

/// An availability in percent with `dp` decimals, never rounded up to 100: a figure below 100
/// gets more decimals (up to four) until it shows below 100, else reads `> 99.9999%`.
pub fn availability(v: f64, dp: usize) -> String {
    if v >= 100.0 {
        return format!("{v:.dp$}%");
    }
    for d in dp..=4 {
        let shown = format!("{v:.d$}");
        if shown.parse::<f64>().is_ok_and(|x| x < 100.0) {
            return format!("{shown}%");
        }
    }
    "> 99.9999%".to_string()
}

/// Output formats of `simulate`, `compare` and `report --compare-to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    Markdown,
}

/// Output formats of `report`: the common ones plus a self-contained HTML page with charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Table,
    Json,
    Csv,
    Markdown,
    /// One self-contained HTML file with SVG charts.
    Html,
}

/// Renders a report in a format.
pub fn render(report: &Report, format: ReportFormat) -> Result<Vec<u8>, ExportError> {
    match format {
        ReportFormat::Table => Ok(table::render(report).into_bytes()),
        ReportFormat::Json => json::render(report),
        ReportFormat::Csv => csv::render(report),
        ReportFormat::Markdown => Ok(markdown::render(report).into_bytes()),
        ReportFormat::Html => Ok(html::render(report)?.into_bytes()),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("could not write JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("could not write CSV: {0}")]
    Csv(#[from] ::csv::Error),
    #[error("could not write CSV: {0}")]
    CsvFlush(#[from] std::io::Error),
    #[error("{0}")]
    Chart(#[from] charts::ChartError),
}

/// `-$3.60 (-20.0%)`, or `—` for the baseline itself.
pub(crate) fn saving(p: &Priced) -> String {
    match p.vs_x86_on_demand_percent {
        _ if p.vs_x86_on_demand == Usd::ZERO => "—".to_string(),
        Some(pct) => format!("{} ({pct}%)", signed(p.vs_x86_on_demand)),
        None => signed(p.vs_x86_on_demand),
    }
}

/// A change in dollars with its sign: `+$1.00`, `-$1.00`, `$0.00`.
pub(crate) fn signed(u: Usd) -> String {
    let s = u.display_cents();
    if u.0.is_sign_positive() && !u.cents().is_zero() {
        format!("+{s}")
    } else {
        s
    }
}

/// The monthly cell of an option: the amount, or `n/a` when it is not available.
pub(crate) fn option_monthly(o: Option<&OptionCost>) -> String {
    match o.and_then(|o| o.priced.as_ref()) {
        Some(p) => p.monthly.display_cents(),
        None => "n/a".to_string(),
    }
}

#[cfg(test)]
pub(crate) mod fixture {
    //! One shared report for every exporter's snapshot tests.

    use crate::core::report::{Report, build};
    use chrono::NaiveDate;

    pub const PLAN: &str = r#"
[plan]
name = "fixture"
region = "us-east-1"

[[service]]
name = "web"
cpu = "0.5 vCPU"
memory = "1 GB"
[[service.container_definitions]]
name = "web"
image = "nginx"

[[service]]
name = "api"
cpu = 1024
memory = 2048
desired_count = 5
capacity_provider_strategy = [
  { capacity_provider = "FARGATE", base = 1, weight = 1 },
  { capacity_provider = "FARGATE_SPOT", weight = 4 },
]
[[service.container_definitions]]
name = "api"
image = "api"

[[service]]
name = "legacy"
region = "us-east-2"
cpu = 1024
memory = 2048
ephemeral_storage = { size_in_gib = 30 }
runtime_platform = { operating_system_family = "WINDOWS_SERVER_2022_CORE" }
uptime = { time_zone = "America/Chicago", windows = [{ days = "mon-fri", start = "08:00", end = "18:00" }] }
[[service.container_definitions]]
name = "legacy"
image = "legacy"
"#;

    pub fn report() -> Report {
        let facts = crate::core::testing::facts();
        let book = crate::core::testing::book();
        let plan = crate::core::testing::plan(PLAN);
        build(
            &plan,
            &book,
            &facts,
            NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        )
        .unwrap()
    }
}

#[cfg(test)]
mod availability_tests {
    use super::availability;

    #[test]
    fn a_non_zero_unavailability_never_shows_as_100_percent() {
        assert_eq!(availability(100.0, 3), "100.000%");
        assert_eq!(availability(99.95, 3), "99.950%");
        // 99.9996 would round to 100.000 at three decimals: a fourth shows it.
        assert_eq!(availability(99.9996, 3), "99.9996%");
        assert_eq!(availability(99.99996, 3), "> 99.9999%");
        assert_eq!(availability(99.999_999_9, 3), "> 99.9999%");
        assert_eq!(availability(42.0, 1), "42.0%");
        assert_eq!(
            crate::export::recommend_text::fmt_pct(99.99999),
            "> 99.9999%"
        );
    }
}
