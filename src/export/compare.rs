//! The architecture comparison in every format: a terminal table, Markdown, JSON (the document of
//! `compare_json.rs`, exact amounts as strings) and CSV (the cost series across request rates, for
//! a chart).
//!
//! Like the other exporters, this computes nothing: it rounds amounts to cents and rates for
//! reading, phrases the core's values with [`super::compare_text`], and lays out what
//! [`Comparison`] holds.

use super::compare_text::{
    assumption, cost_item, disqualifier, duration, not_priced, note, option_label,
};
use super::{ExportError, Format, signed};
use crate::core::compare::{CompareRow, Comparison, PriceRef, ServiceComparison};
use crate::core::vocab::money::{Usd, group_digits};
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};
use rust_decimal::Decimal;

/// Renders a comparison in a format; `width` (terminal columns, read by the CLI) fits the table
/// format.
pub fn render(
    c: &Comparison,
    format: Format,
    width: Option<usize>,
) -> Result<Vec<u8>, ExportError> {
    match format {
        Format::Table => Ok(table(c, width).into_bytes()),
        Format::Markdown => Ok(markdown(c).into_bytes()),
        Format::Json => Ok(super::compare_json::json(c)?),
        Format::Csv => csv(c),
    }
}

/// A request rate for reading: `3.67`, `19.2`, `1,250`.
pub fn rate(d: Decimal) -> String {
    let r = if d >= Decimal::from(100) {
        d.round_dp(0)
    } else if d >= Decimal::TEN {
        d.round_dp(1)
    } else if d >= Decimal::new(1, 2) || d.is_zero() {
        d.round_dp(2)
    } else {
        d.round_dp(4)
    };
    let text = r.normalize().to_string();
    match text.split_once('.') {
        Some((whole, frac)) => format!("{}.{frac}", group_digits(whole)),
        None => group_digits(&text),
    }
}

fn count(d: Decimal) -> String {
    group_digits(&d.round_dp(0).normalize().to_string())
}

fn monthly(r: &CompareRow) -> String {
    r.monthly
        .map_or_else(|| "n/a".to_string(), Usd::display_cents)
}

fn saving(r: &CompareRow) -> String {
    match (r.vs_x86_on_demand, r.vs_x86_on_demand_percent) {
        (None, _) => String::new(),
        (Some(v), _) if v == Usd::ZERO => "—".to_string(),
        (Some(v), Some(p)) => format!(
            "{} ({}{p}%)",
            signed(v),
            if p.is_sign_positive() { "+" } else { "" }
        ),
        (Some(v), None) => signed(v),
    }
}

fn label(r: &CompareRow) -> String {
    if r.current {
        format!("{} (as planned)", option_label(&r.option))
    } else {
        option_label(&r.option)
    }
}

fn break_even(r: &CompareRow) -> String {
    match r.paired_break_even() {
        Some(b) => match b.requests_per_second {
            Some(rps) => format!("{} req/s (Lambda {})", rate(rps), arch(b.lambda)),
            None => "never".to_string(),
        },
        None => String::new(),
    }
}

fn arch(a: crate::core::vocab::platform::CpuArch) -> &'static str {
    match a {
        crate::core::vocab::platform::CpuArch::X86_64 => "x86",
        crate::core::vocab::platform::CpuArch::Arm64 => "ARM",
    }
}

/// The reasons rows are ruled out or unpriced, numbered in row order.
fn reasons(s: &ServiceComparison) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for r in &s.rows {
        for d in &r.disqualifiers {
            out.push((
                option_label(&r.option),
                format!("ruled out: {}", disqualifier(d)),
            ));
        }
        if let Some(n) = &r.not_priced {
            out.push((
                option_label(&r.option),
                format!("not priced: {}", not_priced(n)),
            ));
        }
    }
    out
}

fn status(s: &ServiceComparison, r: &CompareRow) -> String {
    let all = reasons(s);
    let numbers: Vec<String> = all
        .iter()
        .enumerate()
        .filter(|(_, (l, _))| *l == option_label(&r.option))
        .map(|(i, _)| format!("[{}]", i + 1))
        .collect();
    if r.is_ruled_out() {
        format!("ruled out {}", numbers.join(""))
    } else if r.not_priced.is_some() {
        format!("not priced {}", numbers.join(""))
    } else {
        String::new()
    }
}

/// `web — 0.5 vCPU / 1 GB, LINUX/X86_64, us-east-1, always on, 1 task; strategy: FARGATE weight 1`.
fn heading(s: &ServiceComparison) -> String {
    let tasks = if s.desired_count == 1 {
        "1 task".to_string()
    } else {
        format!("{} tasks", s.desired_count)
    };
    format!(
        "{} — {}, {}/{}, {}, {}, {tasks}; strategy: {}",
        s.name,
        s.size,
        s.operating_system_family,
        s.cpu_architecture,
        s.region,
        s.uptime,
        s.strategy
    )
}

fn workload_line(s: &ServiceComparison) -> String {
    let Some(w) = &s.workload else {
        return "workload: none given; add [service.workload] with requests_per_second and duration_ms to compare with Lambda".to_string();
    };
    let rate_part = match (w.requests_per_second, w.requests_per_month) {
        (Some(rps), Some(n)) => format!(
            "{} req/s while up ({} requests a month)",
            rate(rps),
            count(n)
        ),
        _ => "no stated request rate".to_string(),
    };
    format!(
        "workload: {rate_part}, {} per request, Lambda memory {} MB{}, free tier {}",
        duration(w.duration_ms),
        group_digits(&w.lambda_memory_mib.to_string()),
        if w.lambda_memory_is_task_memory {
            " (the task's)"
        } else {
            ""
        },
        if w.lambda_free_tier { "on" } else { "off" }
    )
}

/// One sentence on the plan's own row against Lambda of its architecture.
fn verdict(s: &ServiceComparison) -> Option<String> {
    let plan = s.rows.iter().find(|r| r.current)?;
    let be = plan.paired_break_even()?;
    let lambda = s
        .rows
        .iter()
        .find(|r| matches!(r.option, crate::core::compare::OptionId::Lambda { arch } if arch == be.lambda))?;
    let plan_monthly = plan.monthly?;
    let Some(rps) = be.requests_per_second else {
        return Some(format!(
            "Lambda {} never costs as much as {}.",
            arch(be.lambda),
            option_label(&plan.option)
        ));
    };
    let mut text = format!(
        "Break-even: Lambda {} costs as much as {} ({}) at {} requests a second ({} a month).",
        arch(be.lambda),
        option_label(&plan.option),
        plan_monthly.display_cents(),
        rate(rps),
        be.requests_per_month.map(count).unwrap_or_default()
    );
    if let (Some(w), Some(lm)) = (&s.workload, lambda.monthly)
        && let Some(stated) = w.requests_per_second
    {
        let cheaper = if lm < plan_monthly {
            format!("Lambda {} is cheaper", arch(be.lambda))
        } else if lm > plan_monthly {
            format!("{} is cheaper", option_label(&plan.option))
        } else {
            "they cost the same".to_string()
        };
        text.push_str(&format!(
            " At the stated {} req/s Lambda {} costs {}: {cheaper}.",
            rate(stated),
            arch(be.lambda),
            lm.display_cents()
        ));
    }
    Some(text)
}

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

/// The prices over a year old on the comparison date, with the command that refreshes them.
fn refresh_line(c: &Comparison) -> Option<String> {
    let stale = c.prices.iter().filter(|p| p.stale);
    super::prices::refresh_line("price(s)", stale.map(|p| p.region.as_str()), c.generated_on)
}

fn numbered_sources(prices: &[PriceRef]) -> Vec<&str> {
    super::prices::numbered_sources(prices.iter().map(|p| p.source.as_str()))
}

fn as_of(p: &PriceRef) -> String {
    if p.stale {
        format!("{} ⚠ over a year old", p.as_of)
    } else {
        p.as_of.to_string()
    }
}

/// The terminal comparison, its tables fitted to `width` columns when given.
fn table(c: &Comparison, width: Option<usize>) -> String {
    let mut out = String::new();
    for s in &c.services {
        out.push_str(&heading(s));
        out.push('\n');
        out.push_str(&workload_line(s));
        out.push('\n');
        let mut t = new_table(&[
            "option",
            "per month",
            "vs x86 on-demand",
            "Lambda breaks even at",
            "status",
        ]);
        for r in &s.rows {
            t.add_row(vec![
                Cell::new(label(r)),
                right(monthly(r)),
                right(saving(r)),
                right(break_even(r)),
                Cell::new(status(s, r)),
            ]);
        }
        super::fit(&mut t, width);
        out.push_str(&t.to_string());
        out.push('\n');
        for (i, (l, reason)) in reasons(s).iter().enumerate() {
            out.push_str(&format!("  [{}] {l}: {reason}\n", i + 1));
        }
        if let Some(v) = verdict(s) {
            out.push_str(&v);
            out.push('\n');
        }
        out.push_str("Costs and assumptions\n");
        for r in &s.rows {
            if r.lines.is_empty() && r.assumptions.is_empty() {
                continue;
            }
            out.push_str(&format!("  {}:\n", option_label(&r.option)));
            for l in &r.lines {
                out.push_str(&format!(
                    "    {:>10}  {}\n",
                    l.monthly.display_cents(),
                    cost_item(&l.item)
                ));
            }
            for a in &r.assumptions {
                out.push_str(&format!("    - {}\n", assumption(a)));
            }
        }
        if !s.series.points.is_empty() {
            out.push_str(&format!(
                "  (`--format csv` gives every option's cost at {} request rates from 0 to {} req/s)\n",
                s.series.points.len(),
                s.series.points.last().map(|p| rate(p.requests_per_second)).unwrap_or_default()
            ));
        }
        out.push('\n');
    }

    if !c.clusters.is_empty() {
        out.push_str("Shared EC2 cluster per region (every Linux service's peak tasks together)\n");
        for cl in &c.clusters {
            out.push_str(&format!("  {}\n", super::compare_ec2::cluster_line(cl)));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "Prices used (comparison date {})\n",
        c.generated_on
    ));
    let sources = numbered_sources(&c.prices);
    let mut t = new_table(&[
        "service",
        "region",
        "item",
        "USD per unit",
        "as of",
        "source",
    ]);
    for p in &c.prices {
        let n = sources
            .iter()
            .position(|s| *s == p.source)
            .map_or(0, |i| i + 1);
        t.add_row(vec![
            Cell::new(p.service_code),
            Cell::new(&p.region),
            Cell::new(&p.item),
            right(format!("{} per {}", p.usd_per_unit.normalize(), p.unit)),
            Cell::new(as_of(p)),
            Cell::new(format!("[{n}]")),
        ]);
    }
    super::fit(&mut t, width);
    out.push_str(&t.to_string());
    out.push('\n');
    for (i, s) in sources.iter().enumerate() {
        out.push_str(&format!("[{}] {s}\n", i + 1));
    }
    if let Some(line) = refresh_line(c) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');
    for n in &c.notes {
        out.push_str("note: ");
        out.push_str(&note(n));
        out.push('\n');
    }
    super::fit_lines(&out, width)
}

fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn markdown(c: &Comparison) -> String {
    let mut out = format!(
        "# Architecture comparison: {}\n\nGenerated {}, {} hours per month, prices in USD.\n\n",
        md(c.plan_name.as_deref().unwrap_or("plan")),
        c.generated_on,
        c.hours_per_month.normalize()
    );
    for s in &c.services {
        out.push_str(&format!(
            "## {}\n\n{}\n\n",
            md(&heading(s)),
            md(&workload_line(s))
        ));
        out.push_str("| option | per month | vs x86 on-demand | Lambda breaks even at | status |\n|---|---:|---:|---:|---|\n");
        for r in &s.rows {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                md(&label(r)),
                monthly(r),
                saving(r),
                break_even(r),
                status(s, r)
            ));
        }
        out.push('\n');
        for (i, (l, reason)) in reasons(s).iter().enumerate() {
            out.push_str(&format!("{}. {}: {}\n", i + 1, md(l), md(reason)));
        }
        if let Some(v) = verdict(s) {
            out.push_str(&format!("\n{v}\n"));
        }
        out.push_str("\n### Costs and assumptions\n\n");
        for r in &s.rows {
            if r.lines.is_empty() && r.assumptions.is_empty() {
                continue;
            }
            out.push_str(&format!("- **{}**\n", md(&option_label(&r.option))));
            for l in &r.lines {
                out.push_str(&format!(
                    "  - {}: {}\n",
                    l.monthly.display_cents(),
                    md(&cost_item(&l.item))
                ));
            }
            for a in &r.assumptions {
                out.push_str(&format!("  - {}\n", md(&assumption(a))));
            }
        }
        if !s.series.points.is_empty() {
            out.push_str("\n### Cost across request rates\n\n| req/s | requests a month |");
            let labels: Vec<String> = s
                .series
                .columns
                .iter()
                .map(|id| {
                    s.row(id)
                        .map_or_else(|| id.clone(), |r| option_label(&r.option))
                })
                .collect();
            for l in &labels {
                out.push_str(&format!(" {} |", md(l)));
            }
            out.push_str("\n|---:|---:|");
            for _ in &labels {
                out.push_str("---:|");
            }
            out.push('\n');
            for p in &s.series.points {
                out.push_str(&format!(
                    "| {} | {} |",
                    rate(p.requests_per_second),
                    count(p.requests_per_month)
                ));
                for m in &p.monthly {
                    out.push_str(&format!(
                        " {} |",
                        m.map_or_else(|| "n/a".to_string(), Usd::display_cents)
                    ));
                }
                out.push('\n');
            }
        }
        out.push('\n');
    }
    if !c.clusters.is_empty() {
        out.push_str("## Shared EC2 cluster per region\n\n");
        for cl in &c.clusters {
            out.push_str(&format!(
                "- {}\n",
                md(&super::compare_ec2::cluster_line(cl))
            ));
        }
        out.push('\n');
    }
    out.push_str("## Prices used\n\n| service | region | item | USD per unit | as of | source |\n|---|---|---|---:|---|---|\n");
    for p in &c.prices {
        out.push_str(&format!(
            "| {} | {} | {} | {} per {} | {} | {} |\n",
            p.service_code,
            p.region,
            md(&p.item),
            p.usd_per_unit.normalize(),
            p.unit,
            as_of(p),
            md(&p.source)
        ));
    }
    if let Some(line) = refresh_line(c) {
        out.push_str(&format!("\n{line}\n"));
    }
    out.push_str("\n## Notes\n\n");
    for n in &c.notes {
        out.push_str(&format!("- {}\n", md(&note(n))));
    }
    out
}

/// The cost series, one row per service and rate, one column per option (cents; empty where an
/// option is ruled out or not priced).
fn csv(c: &Comparison) -> Result<Vec<u8>, ExportError> {
    let mut columns: Vec<&str> = Vec::new();
    for s in &c.services {
        for id in &s.series.columns {
            if !columns.contains(&id.as_str()) {
                columns.push(id);
            }
        }
    }
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "service".to_string(),
        "requests_per_second".to_string(),
        "requests_per_month".to_string(),
    ];
    header.extend(columns.iter().map(|id| format!("{id}_monthly_usd")));
    w.write_record(&header)?;
    for s in &c.services {
        for p in &s.series.points {
            let mut row = vec![
                s.name.clone(),
                p.requests_per_second.normalize().to_string(),
                p.requests_per_month.round_dp(0).normalize().to_string(),
            ];
            for id in &columns {
                let cell = s
                    .series
                    .columns
                    .iter()
                    .position(|c| c == id)
                    .and_then(|i| p.monthly.get(i).copied().flatten())
                    .map(|u| format!("{:.2}", u.cents()))
                    .unwrap_or_default();
                row.push(cell);
            }
            w.write_record(&row)?;
        }
    }
    w.flush()?;
    w.into_inner()
        .map_err(|e| ExportError::CsvFlush(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::compare::tests::compare;

    /// The seed web server with a workload, plus a Spot mix and a service Lambda cannot run.
    const PLAN: &str = r#"
[plan]
name = "fixture"
region = "us-east-1"

[[service]]
name = "web"
cpu = "0.5 vCPU"
memory = "1 GB"
[service.workload]
requests_per_second = 5
duration_ms = 100
[[service.container_definitions]]
name = "web"
image = "nginx"

[[service]]
name = "batch"
cpu = 4096
memory = 30720
desired_count = 3
capacity_provider_strategy = [
  { capacity_provider = "FARGATE", base = 1, weight = 1 },
  { capacity_provider = "FARGATE_SPOT", weight = 1 },
]
[service.workload]
requests_per_second = "0.02"
duration_ms = 45000
max_duration_ms = 1200000
[[service.container_definitions]]
name = "batch"
image = "batch"
"#;

    fn text(format: Format) -> String {
        String::from_utf8(render(&compare(PLAN), format, None).unwrap()).unwrap()
    }

    #[test]
    fn table_snapshot() {
        insta::assert_snapshot!(text(Format::Table));
    }

    #[test]
    fn markdown_snapshot() {
        insta::assert_snapshot!(text(Format::Markdown));
    }

    #[test]
    fn csv_snapshot() {
        insta::assert_snapshot!(text(Format::Csv));
    }

    #[test]
    fn json_keeps_exact_amounts_as_strings() {
        let v: serde_json::Value = serde_json::from_str(&text(Format::Json)).unwrap();
        assert_eq!(v["schema_version"], 3);
        let rows = v["services"][0]["rows"].as_array().unwrap();
        assert_eq!(rows[0]["id"], "fargate_x86_on_demand");
        assert_eq!(rows[0]["monthly"], "18.02005");
        assert_eq!(rows[4]["monthly"], "24.5280438");
        let batch = &v["services"][1]["rows"];
        let lambda = batch
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "lambda_x86")
            .unwrap();
        assert!(lambda["monthly"].is_null());
        let reasons = lambda["disqualifiers"].as_array().unwrap();
        assert!(
            reasons
                .iter()
                .any(|r| r.as_str().unwrap().contains("15 min")),
            "{reasons:?}"
        );
    }

    #[test]
    fn csv_rows_have_the_header_width() {
        let t = text(Format::Csv);
        let mut r = ::csv::Reader::from_reader(t.as_bytes());
        let width = r.headers().unwrap().len();
        let rows: Vec<::csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        assert_eq!(rows.len(), 21, "only `web` has a Lambda to chart");
        assert!(rows.iter().all(|row| row.len() == width));
    }

    #[test]
    fn rates_read_well() {
        assert_eq!(rate(Decimal::new(367331, 5)), "3.67");
        assert_eq!(rate(Decimal::new(19234, 3)), "19.2");
        assert_eq!(rate(Decimal::new(1250, 0)), "1,250");
        assert_eq!(rate(Decimal::new(12, 4)), "0.0012");
        assert_eq!(rate(Decimal::ZERO), "0");
    }
}
