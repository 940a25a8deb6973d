//! The price book as a table, for `prices show` and under every report: each price with its
//! date and origin, sources numbered below the table so the table stays narrow.

use crate::core::pricing::Price;
use crate::core::pricing::lambda::LambdaPrice;
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
fn sourced_table(header: Vec<&str>, rows: Vec<Vec<Cell>>, sources: &[&str]) -> String {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header);
    for row in rows {
        t.add_row(row);
    }
    let mut out = format!("{t}\n");
    for (i, s) in sources.iter().enumerate() {
        out.push_str(&format!("[{}] {s}\n", i + 1));
    }
    out
}

/// Lambda's request and duration prices, tier by tier, with date, origin and numbered sources.
pub fn render_lambda(prices: &[&LambdaPrice], today: NaiveDate) -> String {
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
    )
}

pub fn render(prices: &[&Price], today: NaiveDate) -> String {
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
    )
}
