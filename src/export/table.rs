//! Terminal tables: one per service, then totals, the prices used with their sources, and notes.

use super::grid::{Align, Grid};
use super::{fit_lines, write_saving};
use crate::core::report::{OptionKind, Report, ServiceReport};
use rayon::prelude::*;
use std::fmt::Write as _;

/// Services drawn by one parallel task into one piece of text.
const SERVICES_PER_TASK: usize = 64;
/// Services drawn before their text is handed on: the report's text is never held whole.
const SERVICES_PER_BATCH: usize = 1024;

/// The heading line of a service: what it is and how it runs.
pub(crate) fn service_heading(s: &ServiceReport) -> String {
    let mut out = String::new();
    write_heading(s, &mut out);
    out
}

fn write_heading(s: &ServiceReport, out: &mut String) {
    let _ = write!(out, "{} — {}", s.name, s.size);
    if s.ephemeral_storage_gib > 20 {
        let _ = write!(out, ", {} GiB storage", s.ephemeral_storage_gib);
    }
    let _ = write!(
        out,
        ", {}/{}, {}, ",
        s.operating_system_family, s.cpu_architecture, s.region
    );
    if s.desired_count == 1 {
        out.push_str("1 task");
    } else {
        let _ = write!(out, "{} tasks", s.desired_count);
    }
    let _ = write!(out, ", {}; strategy: {}", s.uptime, s.plan.strategy);
}

/// The plan's own row label: `plan: 2 FARGATE + 3 FARGATE_SPOT (X86_64)`.
pub(crate) fn plan_label(s: &ServiceReport) -> String {
    let mut out = String::new();
    write_plan_label(s, &mut out);
    out
}

fn write_plan_label(s: &ServiceReport, out: &mut String) {
    out.push_str("plan: ");
    for (i, p) in s.plan.providers.iter().enumerate() {
        if i > 0 {
            out.push_str(" + ");
        }
        let _ = write!(out, "{} {}", p.tasks, p.provider);
    }
    let _ = write!(out, " ({})", s.plan.arch);
}

/// Why each unavailable option of a service is n/a: listed below its table, not in a cell.
fn unavailable_lines(s: &ServiceReport, out: &mut String) {
    for kind in OptionKind::ALL {
        if let Some(o) = s.option(kind)
            && o.priced.is_none()
        {
            let why = o.unavailable.as_deref().unwrap_or("not available");
            let _ = writeln!(out, "  {} n/a: {why}", kind.label());
        }
    }
}

const SERVICE_HEADER: [&str; 4] = ["option", "per task-hour", "per month", "vs x86 on-demand"];

fn service_table(s: &ServiceReport, g: &mut Grid) {
    g.reset(&SERVICE_HEADER);
    for kind in OptionKind::ALL {
        let Some(o) = s.option(kind) else { continue };
        g.cell(Align::Left, kind.label());
        match &o.priced {
            Some(p) => {
                g.cell_with(Align::Right, |out| {
                    if let Some(r) = o.per_task_hour {
                        r.write_rate(out);
                    }
                });
                g.cell_with(Align::Right, |out| p.monthly.write_cents(out));
                g.cell_with(Align::Right, |out| write_saving(p, out));
            }
            None => {
                g.cell(Align::Right, "n/a");
                g.cell(Align::Right, "n/a");
                g.cell(Align::Left, "see below");
            }
        }
    }
    g.cell_with(Align::Left, |out| write_plan_label(s, out));
    g.cell(Align::Right, "");
    g.cell_with(Align::Right, |out| s.plan.priced.monthly.write_cents(out));
    g.cell_with(Align::Right, |out| write_saving(&s.plan.priced, out));
}

/// One service's part of the report (heading, options table, why options are n/a, rounding),
/// appended to `out`.
fn service_block(s: &ServiceReport, width: Option<usize>, g: &mut Grid, out: &mut String) {
    let mut fitted = String::new();
    let text = if width.is_some() {
        &mut fitted
    } else {
        &mut *out
    };
    write_heading(s, text);
    text.push('\n');
    service_table(s, g);
    g.draw(width, text);
    text.push('\n');
    unavailable_lines(s, text);
    if let Some(r) = &s.rounding {
        let _ = write!(
            text,
            "  rounded up from {} to {} (--round-up): ",
            r.requested, r.priced
        );
        r.extra_monthly.write_cents(text);
        text.push_str(" per month more\n");
    }
    text.push('\n');
    if width.is_some() {
        out.push_str(&fit_lines(&fitted, width));
    }
}

/// The terminal report, its tables fitted to `width` columns when given (never wrapped without).
pub fn render(report: &Report, width: Option<usize>) -> String {
    let mut out = String::new();
    let _ = write(report, width, &mut |piece: &str| {
        out.push_str(piece);
        Ok(())
    });
    out
}

/// Hands the terminal report to `sink` piece by piece, in order. Services are drawn in
/// parallel a batch at a time, so only one batch's text is held at once.
pub fn write(
    report: &Report,
    width: Option<usize>,
    sink: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    for batch in report.services.chunks(SERVICES_PER_BATCH) {
        let pieces: Vec<String> = batch
            .par_chunks(SERVICES_PER_TASK)
            .map(|services| {
                let mut g = Grid::default();
                let mut out = String::with_capacity(services.len() * 2048);
                for s in services {
                    service_block(s, width, &mut g, &mut out);
                }
                out
            })
            .collect();
        for p in &pieces {
            sink(p)?;
        }
    }
    sink(&tail(report, width))
}

/// Totals, the prices used and the notes, after the services.
fn tail(report: &Report, width: Option<usize>) -> String {
    let mut tail = String::with_capacity(report.services.len() * 120 + 8192);
    tail.push_str("Totals per month\n");
    let mut header = vec!["service", "region", "plan"];
    header.extend(OptionKind::ALL.iter().map(|k| k.label()));
    let mut g = Grid::new(&header);
    for s in &report.services {
        g.cell(Align::Left, &s.name);
        g.cell(Align::Left, &s.region);
        g.cell_with(Align::Right, |out| s.plan.priced.monthly.write_cents(out));
        for k in OptionKind::ALL {
            match s.option(k).and_then(|o| o.priced.as_ref()) {
                Some(p) => g.cell_with(Align::Right, |out| p.monthly.write_cents(out)),
                None => g.cell(Align::Right, "n/a"),
            }
        }
    }
    g.cell(Align::Left, "total");
    g.cell(Align::Left, "");
    g.cell_with(Align::Right, |out| {
        report.totals.plan_monthly.write_cents(out)
    });
    for k in OptionKind::ALL {
        g.cell_with(Align::Right, |out| {
            if let Some(u) = report.totals.options.get(&k) {
                u.write_cents(out);
            }
        });
    }
    g.draw(width, &mut tail);
    drop(g);
    let _ = write!(
        tail,
        "\n  plan per year (12 months): {}\n",
        report.totals.plan_yearly.display_cents()
    );
    tail.push_str("  (in a total, a service where an option is n/a counts at its plan cost)\n\n");

    tail.push_str(&prices_used(report, width));
    tail.push('\n');
    for n in &report.notes {
        tail.push_str("note: ");
        tail.push_str(n);
        tail.push('\n');
    }
    if width.is_some() {
        fit_lines(&tail, width)
    } else {
        tail
    }
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
    fn a_large_report_is_written_in_batches_in_plan_order() {
        let mut r = fixture::report();
        let base = r.services.clone();
        r.services = (0..2_500)
            .map(|i| {
                let mut s = base[i % base.len()].clone();
                s.name = format!("svc-{i}");
                s
            })
            .collect();
        let text = render(&r, None);
        let lines = format!("\n{text}");
        let mut at = 0;
        for i in 0..2_500 {
            let heading = format!("\nsvc-{i} — ");
            let found = lines[at..].find(&heading).map(|p| at + p);
            assert!(found.is_some(), "svc-{i} missing or out of order");
            at = found.unwrap_or(at) + 1;
        }
        // Our table writer draws what comfy-table draws (with a width that fits everything).
        assert_eq!(text, render(&r, Some(100_000)));
        let mut pieces = 0;
        write(&r, None, &mut |_| {
            pieces += 1;
            Ok(())
        })
        .unwrap();
        assert!(pieces > 3, "{pieces} pieces");
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
