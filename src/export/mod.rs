//! Exporters: report values in, bytes out. One module per format; none computes a number.
//!
//! Every exporter renders the same [`Report`], so totals agree across
//! formats by construction; amounts are rounded to cents here and nowhere else.

pub mod budget;
pub mod charts;
pub mod compare;
pub mod compare_ec2;
mod compare_json;
pub mod compare_text;
pub mod csv;
pub mod deploy;
pub mod diff;
mod grid;
pub mod html;
pub mod json;
pub mod markdown;
pub mod prices;
pub mod recommend;
pub mod recommend_cfn;
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

/// Renders a report in a format; `width` (terminal columns, read by the CLI) fits the table format.
pub fn render(
    report: &Report,
    format: ReportFormat,
    width: Option<usize>,
) -> Result<Vec<u8>, ExportError> {
    match format {
        ReportFormat::Table => Ok(table::render(report, width).into_bytes()),
        ReportFormat::Json => json::render(report),
        ReportFormat::Csv => csv::render(report),
        ReportFormat::Markdown => Ok(markdown::render(report).into_bytes()),
        ReportFormat::Html => Ok(html::render(report)?.into_bytes()),
    }
}

/// Fits a terminal table to `width` columns (comfy-table's dynamic arrangement wraps cells);
/// without a width (no terminal, no `COLUMNS`) the table is never wrapped.
pub(crate) fn fit(t: &mut comfy_table::Table, width: Option<usize>) {
    use comfy_table::{ColumnConstraint, ContentArrangement, Width};
    match width {
        Some(w) => {
            // A column is never narrower than its longest word: cells wrap at spaces only.
            let mut longest: Vec<usize> = Vec::new();
            let header = t.header().map(|h| h.cell_iter().collect::<Vec<_>>());
            let rows = t.row_iter().map(|r| r.cell_iter().collect::<Vec<_>>());
            for cells in header.into_iter().chain(rows) {
                for (i, c) in cells.iter().enumerate() {
                    let word = c
                        .content()
                        .split_whitespace()
                        .map(|w| w.chars().count())
                        .max()
                        .unwrap_or(0);
                    if longest.len() <= i {
                        longest.resize(i + 1, 0);
                    }
                    longest[i] = longest[i].max(word);
                }
            }
            // Only when the longest words fit side by side (with borders); else words split too.
            let needed: usize = longest.iter().map(|n| n + 3).sum::<usize>() + 1;
            if needed > w {
                longest.clear();
            }
            for (col, n) in t.column_iter_mut().zip(longest) {
                // comfy-table counts the padding (one space each side) in a lower boundary.
                let n = u16::try_from(n + 2).unwrap_or(u16::MAX);
                col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(n)));
            }
            t.set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(u16::try_from(w).unwrap_or(u16::MAX));
        }
        None => {
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
}

/// Wraps every text line longer than `width` characters at spaces (a table line, drawn with box
/// characters, is left to [`fit`]); continuation lines keep the line's indent plus two spaces, or
/// line up after a `[n] ` source number. Without a width, the text is returned as it is.
pub fn fit_lines(text: &str, width: Option<usize>) -> String {
    let Some(width) = width else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let trimmed = body.trim_start();
        let is_table = trimmed.starts_with(['│', '┌', '└', '╞', '├', '╭', '╰', '|']);
        if body.chars().count() <= width || is_table {
            out.push_str(line);
            continue;
        }
        let lead = body.len() - trimmed.len();
        let hang = match trimmed.split_once("] ") {
            Some((n, _)) if n.starts_with('[') && n[1..].chars().all(|c| c.is_ascii_digit()) => {
                lead + n.len() + 2
            }
            _ => lead + 2,
        };
        wrap_words(body, width, hang, &mut out);
        out.push_str(nl);
    }
    out
}

fn wrap_words(body: &str, width: usize, hang: usize, out: &mut String) {
    let hang = hang.min(width / 2);
    let mut col = 0usize;
    let mut first = true;
    let lead: String = body.chars().take_while(|c| *c == ' ').collect();
    out.push_str(&lead);
    col += lead.len();
    for word in body.trim_start().split(' ') {
        let len = word.chars().count();
        let room = if first { 0 } else { 1 };
        if !first && col + room + len > width {
            out.push('\n');
            out.push_str(&" ".repeat(hang));
            col = hang;
        } else if !first {
            out.push(' ');
            col += 1;
        }
        // A word longer than a whole line is cut where the line ends.
        let mut rest: Vec<char> = word.chars().collect();
        while col + rest.len() > width && width > col {
            let take = width - col;
            out.extend(rest.drain(..take));
            out.push('\n');
            out.push_str(&" ".repeat(hang));
            col = hang;
        }
        out.extend(rest.iter());
        col += rest.len();
        first = false;
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
    let mut out = String::new();
    write_saving(p, &mut out);
    out
}

/// Appends [`saving`] to `out`.
pub(crate) fn write_saving(p: &Priced, out: &mut String) {
    use std::fmt::Write as _;
    match p.vs_x86_on_demand_percent {
        _ if p.vs_x86_on_demand == Usd::ZERO => out.push('—'),
        Some(pct) => {
            write_signed(p.vs_x86_on_demand, out);
            let _ = write!(out, " ({pct}%)");
        }
        None => write_signed(p.vs_x86_on_demand, out),
    }
}

/// A change in dollars with its sign: `+$1.00`, `-$1.00`, `$0.00`.
pub(crate) fn signed(u: Usd) -> String {
    let mut out = String::new();
    write_signed(u, &mut out);
    out
}

/// Appends [`signed`] to `out`.
pub(crate) fn write_signed(u: Usd, out: &mut String) {
    if u.0.is_sign_positive() && !u.cents().is_zero() {
        out.push('+');
    }
    u.write_cents(out);
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

#[cfg(test)]
mod fit_tests {
    use super::fit_lines;

    #[test]
    fn long_text_lines_wrap_at_spaces_and_tables_are_left_alone() {
        let text = "[12] https://example.com/a/very/long/source and then some more words\n\
                    │ a table line that is far too long for twenty columns │\n  short\n";
        let out = fit_lines(text, Some(30));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "[12]");
        assert!(lines[1].starts_with("     https://"), "{out}");
        assert!(out.contains("│ a table line that is far too long for twenty columns │"));
        for l in out.lines().filter(|l| !l.starts_with('│')) {
            assert!(l.chars().count() <= 30, "{l}");
        }
        assert_eq!(fit_lines(text, None), text);
    }
}
