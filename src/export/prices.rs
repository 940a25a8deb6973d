//! The price book as a table, for `prices show` and under every report: each price with its
//! date and origin, sources numbered below the table so the table stays narrow.

use crate::core::pricing::coverage::{COLUMNS, Cell as Covered, Matrix};
use crate::core::pricing::lambda::LambdaPrice;
use crate::core::pricing::{Price, refresh_command};
use chrono::NaiveDate;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};

/// Numbers each distinct source in order of first use.
pub(crate) fn numbered_sources<'a>(sources: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for s in sources {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// `[n]`: the number of `source` among `sources`.
pub(crate) fn source_ref(sources: &[&str], source: &str) -> String {
    let n = sources
        .iter()
        .position(|s| *s == source)
        .map_or(0, |i| i + 1);
    format!("[{n}]")
}

/// The as-of date, flagged when over a year old on `today`.
fn as_of(date: NaiveDate, stale: bool) -> String {
    if stale {
        format!("{date} ⚠ over a year old")
    } else {
        date.to_string()
    }
}

/// A narrow table whose last column numbers each row's source, the sources listed below it.
/// Fitted to `width` columns when given: the table by comfy-table, each source line wrapped.
fn sourced_table(
    header: Vec<&str>,
    rows: Vec<Vec<Cell>>,
    sources: &[&str],
    width: Option<usize>,
) -> String {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header);
    for row in rows {
        t.add_row(row);
    }
    super::fit(&mut t, width);
    let mut out = format!("{t}\n");
    for (i, s) in sources.iter().enumerate() {
        out.push_str(&format!("[{}] {s}\n", i + 1));
    }
    super::fit_lines(&out, width)
}

/// Lambda's request and duration prices, tier by tier, with date, origin and numbered sources.
pub fn render_lambda(prices: &[&LambdaPrice], today: NaiveDate, width: Option<usize>) -> String {
    let mut out = render_lambda_table(prices, today, width);
    let stale = prices.iter().filter(|p| p.is_stale(today));
    if let Some(line) = refresh_line("Lambda price(s)", stale.map(|p| p.region.as_str()), today) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// `⚠ N <what> over a year old on <today>; refresh them: `<command>``, for the regions of the old
/// prices; `None` when there are none.
pub(crate) fn refresh_line<'a>(
    what: &str,
    stale_regions: impl Iterator<Item = &'a str>,
    today: NaiveDate,
) -> Option<String> {
    let regions: Vec<&str> = stale_regions.collect();
    (!regions.is_empty()).then(|| {
        format!(
            "⚠ {} {what} over a year old on {today}; refresh them: `{}`",
            regions.len(),
            refresh_command(regions)
        )
    })
}

fn render_lambda_table(prices: &[&LambdaPrice], today: NaiveDate, width: Option<usize>) -> String {
    let sources = numbered_sources(prices.iter().map(|p| p.source.as_str()));
    let rows = prices
        .iter()
        .map(|p| {
            let tier = match p.tier_end {
                Some(end) => format!("{} to {}", p.tier_start.normalize(), end.normalize()),
                None => format!("from {}", p.tier_start.normalize()),
            };
            vec![
                Cell::new(&p.region),
                Cell::new(p.item.id()),
                Cell::new(p.architecture.ecs_name()),
                Cell::new(tier).set_alignment(CellAlignment::Right),
                Cell::new(format!("{} per {}", p.usd_per_unit.normalize(), p.unit))
                    .set_alignment(CellAlignment::Right),
                Cell::new(as_of(p.as_of, p.is_stale(today))),
                Cell::new(p.origin.to_string()),
                Cell::new(source_ref(&sources, &p.source)),
            ]
        })
        .collect();
    sourced_table(
        vec![
            "region",
            "item",
            "arch",
            "monthly tier",
            "USD per unit",
            "as of",
            "origin",
            "source",
        ],
        rows,
        &sources,
        width,
    )
}

/// The Fargate prices of `prices show`, fitted to `width` columns when given.
pub fn render(prices: &[&Price], today: NaiveDate, width: Option<usize>) -> String {
    let mut out = render_table(prices, today, width);
    let stale = prices.iter().filter(|p| p.is_stale(today));
    if let Some(line) = refresh_line("price(s)", stale.map(|p| p.region.as_str()), today) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The table and its numbered sources, without the refresh line (a report says it in its notes).
pub(crate) fn render_table(prices: &[&Price], today: NaiveDate, width: Option<usize>) -> String {
    let sources = numbered_sources(prices.iter().map(|p| p.source.as_str()));
    let rows = prices
        .iter()
        .map(|p| {
            vec![
                Cell::new(&p.region),
                Cell::new(p.dimension.id()),
                Cell::new(format!("{} per {}", p.usd_per_unit.normalize(), p.unit))
                    .set_alignment(CellAlignment::Right),
                Cell::new(as_of(p.as_of, p.is_stale(today))),
                Cell::new(p.origin.to_string()),
                Cell::new(source_ref(&sources, &p.source)),
            ]
        })
        .collect();
    sourced_table(
        vec![
            "region",
            "dimension",
            "USD per unit",
            "as of",
            "origin",
            "source",
        ],
        rows,
        &sources,
        width,
    )
}

/// The coverage matrix of `prices show --coverage`: one line per region, one short column per
/// book and dimension, a legend, and the counts per column (narrow: well within 100 columns).
pub fn render_coverage(m: &Matrix) -> String {
    use std::fmt::Write as _;
    let symbol = |c: Covered| match c {
        Covered::Fresh => "✓",
        Covered::Old => "old",
        Covered::Partial => "part",
        Covered::Missing => "-",
        Covered::NotSold => "n/s",
    };
    let width = |label: &str| label.chars().count().max(4) + 1;
    let region_width = m
        .rows
        .iter()
        .map(|r| r.region.len())
        .max()
        .unwrap_or(6)
        .max(6)
        + 2;
    let mut out = format!("{:<region_width$}", "region");
    for c in COLUMNS {
        let _ = write!(out, "{:>w$}", c.label, w = width(c.label));
    }
    out = out.trim_end().to_string();
    out.push('\n');
    for row in &m.rows {
        let mut line = format!("{:<region_width$}", row.region);
        for (c, cell) in COLUMNS.iter().zip(&row.cells) {
            let _ = write!(line, "{:>w$}", symbol(*cell), w = width(c.label));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "\n✓ every price at most a year old on {}   old: some over a year   part: some missing\n\
         -: none   n/s: AWS sells none there (nothing to fetch)",
        m.today
    );
    for c in COLUMNS {
        let _ = writeln!(out, "{:>5}  {}", c.label, c.meaning);
    }
    out.push_str("\nRegions per column (✓ / old / part / - / n/s):\n");
    for (i, c) in COLUMNS.iter().enumerate() {
        let counts: Vec<String> = Covered::ALL
            .iter()
            .map(|cell| m.count(i, *cell).to_string())
            .collect();
        let _ = writeln!(out, "{:>5}  {}", c.label, counts.join(" / "));
    }
    let _ = writeln!(
        out,
        "\nPrice rows: {} Fargate (incl. Spot), {} Lambda tiers, {} EKS, {} Savings Plans rates.\n\
         `fargate-planner prices fetch --region REGION` fills a gap (AWS credentials needed).",
        m.fargate_prices, m.lambda_prices, m.eks_prices, m.savings_rates
    );
    out
}
