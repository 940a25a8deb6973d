//! Terminal tables: one per service, then totals, the prices used with their sources, and notes.

use super::{fit, fit_lines, option_monthly, saving};
use crate::core::report::{OptionKind, Report, ServiceReport};
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};
use rayon::prelude::*;

fn new_table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.to_vec());
    t
}

fn right(s: impl Into<String>) -> Cell {
    Cell::new(s.into()).set_alignment(CellAlignment::Right)
}

/// The heading line of a service: what it is and how it runs.
pub(crate) fn service_heading(s: &ServiceReport) -> String {
    let tasks = if s.desired_count == 1 {
        "1 task".to_string()
    } else {
        format!("{} tasks", s.desired_count)
    };
    let storage = if s.ephemeral_storage_gib > 20 {
        format!(", {} GiB storage", s.ephemeral_storage_gib)
    } else {
        String::new()
    };
    format!(
        "{} — {}{storage}, {}/{}, {}, {tasks}, {}; strategy: {}",
        s.name,
        s.size,
        s.operating_system_family,
        s.cpu_architecture,
        s.region,
        s.uptime,
        s.plan.strategy
    )
}

/// The plan's own row label: `plan: 2 FARGATE + 3 FARGATE_SPOT (X86_64)`.
pub(crate) fn plan_label(s: &ServiceReport) -> String {
    let split: Vec<String> = s
        .plan
        .providers
        .iter()
        .map(|p| format!("{} {}", p.tasks, p.provider))
        .collect();
    format!("plan: {} ({})", split.join(" + "), s.plan.arch)
}

/// Why each unavailable option of a service is n/a: listed below its table, not in a cell.
fn unavailable_lines(s: &ServiceReport) -> String {
    let mut out = String::new();
    for kind in OptionKind::ALL {
        if let Some(o) = s.option(kind)
            && o.priced.is_none()
        {
            let why = o.unavailable.as_deref().unwrap_or("not available");
            out.push_str(&format!("  {} n/a: {why}\n", kind.label()));
        }
    }
    out
}

fn service_table(s: &ServiceReport) -> Table {
    let mut t = new_table(&["option", "per task-hour", "per month", "vs x86 on-demand"]);
    for kind in OptionKind::ALL {
        let Some(o) = s.option(kind) else { continue };
        match &o.priced {
            Some(p) => {
                t.add_row(vec![
                    Cell::new(kind.label()),
                    right(
                        o.per_task_hour
                            .map(|r| r.display_rate())
                            .unwrap_or_default(),
                    ),
                    right(p.monthly.display_cents()),
                    right(saving(p)),
                ]);
            }
            None => {
                t.add_row(vec![
                    Cell::new(kind.label()),
                    right("n/a"),
                    right("n/a"),
                    Cell::new("see below"),
                ]);
            }
        }
    }
    t.add_row(vec![
        Cell::new(plan_label(s)),
        right(""),
        right(s.plan.priced.monthly.display_cents()),
        right(saving(&s.plan.priced)),
    ]);
    t
}

/// One service's part of the report: heading, options table, why options are n/a, rounding.
fn service_block(s: &ServiceReport, width: Option<usize>) -> String {
    let mut out = service_heading(s);
    out.push('\n');
    let mut t = service_table(s);
    fit(&mut t, width);
    out.push_str(&t.to_string());
    out.push('\n');
    out.push_str(&unavailable_lines(s));
    if let Some(r) = &s.rounding {
        out.push_str(&format!(
            "  rounded up from {} to {} (--round-up): {} per month more\n",
            r.requested,
            r.priced,
            r.extra_monthly.display_cents()
        ));
    }
    out.push('\n');
    fit_lines(&out, width)
}

/// The terminal report, its tables fitted to `width` columns when given (never wrapped without).
/// Services are rendered in parallel and joined in plan order.
pub fn render(report: &Report, width: Option<usize>) -> String {
    let blocks: Vec<String> = report
        .services
        .par_iter()
        .map(|s| service_block(s, width))
        .collect();
    let mut out = String::with_capacity(
        blocks.iter().map(String::len).sum::<usize>() + report.services.len() * 200 + 8192,
    );
    // Each block is freed once copied: the text is never held twice.
    for b in blocks {
        out.push_str(&b);
    }
    let mut tail = String::new();
    tail.push_str("Totals per month\n");
    let mut header = vec!["service", "region", "plan"];
    header.extend(OptionKind::ALL.iter().map(|k| k.label()));
    let mut t = new_table(&header);
    for s in &report.services {
        let mut row = vec![
            Cell::new(&s.name),
            Cell::new(&s.region),
            right(s.plan.priced.monthly.display_cents()),
        ];
        row.extend(
            OptionKind::ALL
                .iter()
                .map(|k| right(option_monthly(s.option(*k)))),
        );
        t.add_row(row);
    }
    let mut total = vec![
        Cell::new("total"),
        Cell::new(""),
        right(report.totals.plan_monthly.display_cents()),
    ];
    total.extend(OptionKind::ALL.iter().map(|k| {
        right(
            report
                .totals
                .options
                .get(k)
                .map(|u| u.display_cents())
                .unwrap_or_default(),
        )
    }));
    t.add_row(total);
    fit(&mut t, width);
    tail.push_str(&t.to_string());
    tail.push_str(&format!(
        "\n  plan per year (12 months): {}\n",
        report.totals.plan_yearly.display_cents()
    ));
    tail.push_str("  (in a total, a service where an option is n/a counts at its plan cost)\n\n");

    tail.push_str(&prices_used(report, width));
    tail.push('\n');
    for n in &report.notes {
        tail.push_str("note: ");
        tail.push_str(n);
        tail.push('\n');
    }
    out.push_str(&fit_lines(&tail, width));
    out
}

/// The prices a report used, with date and origin; sources are numbered below the table.
pub(crate) fn prices_used(report: &Report, width: Option<usize>) -> String {
    let prices: Vec<&crate::core::pricing::Price> =
        report.prices.iter().map(|p| &p.price).collect();
    format!(
        "Prices used (report date {})\n{}",
        report.generated_on,
        super::prices::render_table(&prices, report.generated_on, width)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixture;

    #[test]
    fn table_snapshot() {
        insta::assert_snapshot!(render(&fixture::report(), None));
    }

    #[test]
    fn at_a_width_every_line_fits() {
        let text = render(&fixture::report(), Some(80));
        for line in text.lines() {
            assert!(
                line.chars().count() <= 80,
                "{} chars: {line}",
                line.chars().count()
            );
        }
        // Unavailable options say why below the table, not in a cell.
        assert!(text.contains("see below"), "{text}");
    }
}
