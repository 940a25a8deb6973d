//! The price book as a table, for `prices show` and under every report: each price with its
//! date and origin, sources numbered below the table so the table stays narrow.

use crate::core::lambda::LambdaPrice;
use crate::core::prices::Price;
use chrono::NaiveDate;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};

/// Numbers each distinct source in order of first use.
pub(crate) fn numbered_sources<'a>(prices: &[&'a Price]) -> Vec<&'a str> {
    let mut sources: Vec<&str> = Vec::new();
    for p in prices {
        if !sources.contains(&p.source.as_str()) {
            sources.push(&p.source);
        }
    }
    sources
}

/// Lambda's request and duration prices, tier by tier, with date, origin and numbered sources.
pub fn render_lambda(prices: &[&LambdaPrice], today: NaiveDate) -> String {
    let mut sources: Vec<&str> = Vec::new();
    for p in prices {
        if !sources.contains(&p.source.as_str()) {
            sources.push(&p.source);
        }
    }
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(vec![
            "region",
            "item",
            "arch",
            "monthly tier",
            "USD per unit",
            "as of",
            "origin",
            "source",
        ]);
    for p in prices {
        let tier = match p.tier_end {
            Some(end) => format!("{} to {}", p.tier_start.normalize(), end.normalize()),
            None => format!("from {}", p.tier_start.normalize()),
        };
        let date = if p.is_stale(today) {
            format!("{} ⚠ over a year old", p.as_of)
        } else {
            p.as_of.to_string()
        };
        let n = sources
            .iter()
            .position(|s| *s == p.source)
            .map_or(0, |i| i + 1);
        t.add_row(vec![
            Cell::new(&p.region),
            Cell::new(p.item.id()),
            Cell::new(p.architecture.ecs_name()),
            Cell::new(tier).set_alignment(CellAlignment::Right),
            Cell::new(format!("{} per {}", p.usd_per_unit.normalize(), p.unit))
                .set_alignment(CellAlignment::Right),
            Cell::new(date),
            Cell::new(p.origin.to_string()),
            Cell::new(format!("[{n}]")),
        ]);
    }
    let mut out = format!("{t}\n");
    for (i, s) in sources.iter().enumerate() {
        out.push_str(&format!("[{}] {s}\n", i + 1));
    }
    out
}

pub fn render(prices: &[&Price], today: NaiveDate) -> String {
    let sources = numbered_sources(prices);
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(vec![
            "region",
            "dimension",
            "USD per unit",
            "as of",
            "origin",
            "source",
        ]);
    for p in prices {
        let date = if p.is_stale(today) {
            format!("{} ⚠ over a year old", p.as_of)
        } else {
            p.as_of.to_string()
        };
        let n = sources
            .iter()
            .position(|s| *s == p.source)
            .map_or(0, |i| i + 1);
        t.add_row(vec![
            Cell::new(&p.region),
            Cell::new(p.dimension.id()),
            Cell::new(format!("{} per {}", p.usd_per_unit.normalize(), p.unit))
                .set_alignment(CellAlignment::Right),
            Cell::new(date),
            Cell::new(p.origin.to_string()),
            Cell::new(format!("[{n}]")),
        ]);
    }
    let mut out = format!("{t}\n");
    for (i, s) in sources.iter().enumerate() {
        out.push_str(&format!("[{}] {s}\n", i + 1));
    }
    out
}
