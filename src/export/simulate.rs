//! Exporters for `simulate`: the [`Simulation`] value as a terminal table, JSON, CSV or Markdown,
//! and the `--timeline` CSV. They compute nothing; amounts are rounded to cents only here.

use super::{ExportError, Format};
use crate::core::simulate::stats::Summary;
use crate::core::simulate::{ServiceSimulation, Simulation, Timeline};
use crate::core::vocab::money::Usd;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};

/// One figure of a service: a label, a unit and its four statistics, shown and exact.
struct Row {
    label: String,
    unit: &'static str,
    shown: [String; 4],
    exact: [String; 4],
}

fn cells<T: Copy>(s: &Summary<T>, f: impl Fn(T) -> String) -> [String; 4] {
    [f(s.mean), f(s.p50), f(s.p95), f(s.p99)]
}

fn usd_row(label: impl Into<String>, s: &Summary<Usd>) -> Row {
    Row {
        label: label.into(),
        unit: "usd",
        shown: cells(s, |u| u.display_cents()),
        exact: cells(s, |u| u.cents().to_string()),
    }
}

fn num_row(label: impl Into<String>, unit: &'static str, s: &Summary<f64>, dp: usize) -> Row {
    let suffix = if unit == "percent" { "%" } else { "" };
    Row {
        label: label.into(),
        unit,
        shown: cells(s, |x| format!("{x:.dp$}{suffix}")),
        exact: cells(s, |x| format!("{x:.6}")),
    }
}

/// An availability row: three decimals, more when a figure below 100% would round up to it.
fn availability_row(label: impl Into<String>, s: &Summary<f64>) -> Row {
    Row {
        label: label.into(),
        unit: "percent",
        shown: cells(s, |x| super::availability(x, 3)),
        exact: cells(s, |x| format!("{x:.6}")),
    }
}

fn rows(s: &ServiceSimulation, horizon_days: f64) -> Vec<Row> {
    let mut out = vec![usd_row("cost per month", &s.monthly_cost)];
    if s.monthly_by_provider.len() > 1 {
        for (p, sum) in &s.monthly_by_provider {
            out.push(usd_row(format!("  on {p}"), sum));
        }
    }
    for (c, sum) in &s.monthly_by_component {
        out.push(usd_row(format!("  {}", c.label()), sum));
    }
    out.push(usd_row(
        format!("cost over {horizon_days} days"),
        &s.horizon_cost,
    ));
    for (p, sum) in &s.task_hours_per_month {
        out.push(num_row(
            format!("task-hours per month on {p}"),
            "task_hours",
            sum,
            1,
        ));
    }
    out.push(availability_row(
        "availability: healthy ≥ desired",
        &s.availability_percent,
    ));
    out.push(availability_row(
        format!(
            "availability: healthy ≥ {}",
            s.assumptions.min_healthy.max(1)
        ),
        &s.min_healthy_percent,
    ));
    out.push(num_row(
        "shortfall task-minutes",
        "task_minutes",
        &s.shortfall_task_minutes,
        1,
    ));
    out.push(num_row("Spot interruptions", "count", &s.interruptions, 1));
    out.push(num_row("task failures", "count", &s.task_failures, 1));
    out.push(num_row(
        "Spot capacity outage time",
        "percent",
        &s.spot_outage_percent,
        3,
    ));
    out
}

fn heading(s: &ServiceSimulation) -> String {
    format!(
        "{} — {}, {}; {}; {}; strategy: {}",
        s.name, s.task, s.region, s.demand, s.uptime, s.strategy
    )
}

fn duration(s: u32) -> String {
    if s.is_multiple_of(60) && s >= 60 {
        format!("{} min", s / 60)
    } else {
        format!("{s} s")
    }
}

/// The assumption lines under a service.
fn assumptions(s: &ServiceSimulation) -> Vec<String> {
    let a = &s.assumptions;
    let rate = if a.interruption_rate_is_default {
        format!(
            "{} per task-hour (planner default; AWS publishes no rate)",
            a.interruption_rate_per_task_hour
        )
    } else {
        format!("{} per task-hour (plan)", a.interruption_rate_per_task_hour)
    };
    let reclaim = if a.reclaim_share > 0.0 {
        format!(
            ", each warning {}% of the running Spot tasks it covers at once",
            a.reclaim_share * 100.0
        )
    } else {
        String::new()
    };
    let outages = if a.outages_per_month > 0.0 {
        format!(
            "{} starts per 30 days without one, lasting {}{reclaim}",
            a.outages_per_month,
            duration(a.outage_duration_s),
        )
    } else {
        "none".to_string()
    };
    let zone_outages = if a.zone_outages_per_month > 0.0 {
        format!(
            "{} starts per zone per 30 days without one there, lasting {}{reclaim}; placements go to the other zones",
            a.zone_outages_per_month,
            duration(a.zone_outage_duration_s),
        )
    } else {
        "none".to_string()
    };
    let failures = if a.task_failure_rate_is_default {
        format!(
            "{} per task-hour (planner default, assumed; AWS publishes no rate)",
            a.task_failure_rate_per_task_hour
        )
    } else {
        format!("{} per task-hour (plan)", a.task_failure_rate_per_task_hour)
    };
    let mut lines = vec![
        format!(
            "static report: {} per month (desired count × uptime hours)",
            s.static_monthly.display_cents()
        ),
        format!(
            "assumptions: Spot interruptions {rate}, {} warning, stop timeout {}, replacement started at the warning when maximumPercent ({}%) allows; Spot capacity outages: region-wide {outages}; single-zone (tasks spread over {} zones) {zone_outages}; a refused Spot placement retried after {}, doubling up to {} (assumed); task failures (FARGATE and Spot) {failures}; task startup {}; min_healthy {}; billed per second, {} minimum",
            duration(a.spot_warning_s),
            duration(a.stop_timeout_s),
            a.maximum_percent,
            a.availability_zones,
            duration(a.placement_retry_first_s),
            duration(a.placement_retry_max_s),
            duration(a.startup_s),
            a.min_healthy,
            duration(a.minimum_billed_s)
        ),
    ];
    lines.push(format!("task startup: {}", a.startup_derivation));
    if a.shortage_scale_out {
        lines.push("target tracking: a shortage of healthy tasks that lasts the scale-out delay raises the survivors' metric, and the policy adds tasks (desired × metric / target), split by the strategy, until the scale-in delay after it".to_string());
    }
    if a.deployments_per_month > 0.0 {
        lines.push(format!(
            "rolling deployments: {} per 30 days (evenly spaced, assumed), minimumHealthyPercent {}%, maximumPercent {}%: overlap billed, tasks stopped early count as short",
            a.deployments_per_month, a.minimum_healthy_percent, a.maximum_percent
        ));
    }
    if let (Some(t), Some(met)) = (a.availability_target_percent, s.target_met_percent) {
        lines.push(format!(
            "availability target {t}% (healthy ≥ {}): met in {met:.1}% of trials",
            a.min_healthy.max(1)
        ));
    }
    lines
}

fn header_line(sim: &Simulation) -> String {
    format!(
        "Simulation of {}: {} trials, seed {}, {} days from {} 00:00 UTC\n\n",
        sim.plan.as_deref().unwrap_or("the plan"),
        sim.trials,
        sim.seed,
        sim.horizon_days,
        sim.start
    )
}

fn table_text(sim: &Simulation, width: Option<usize>) -> String {
    let mut out = header_line(sim);
    for s in &sim.services {
        out.push_str(&heading(s));
        out.push('\n');
        let mut t = Table::new();
        t.load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(vec!["figure", "mean", "P50", "P95", "P99"]);
        for r in rows_for(sim, s) {
            let mut row = vec![Cell::new(&r.label)];
            row.extend(
                r.shown
                    .iter()
                    .map(|c| Cell::new(c).set_alignment(CellAlignment::Right)),
            );
            t.add_row(row);
        }
        super::fit(&mut t, width);
        out.push_str(&t.to_string());
        out.push('\n');
        for l in assumptions(s) {
            out.push_str("  ");
            out.push_str(&l);
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "Plan total per month: mean {}, P50 {}, P95 {}, P99 {} (static report: {})\n",
        sim.total_monthly.mean.display_cents(),
        sim.total_monthly.p50.display_cents(),
        sim.total_monthly.p95.display_cents(),
        sim.total_monthly.p99.display_cents(),
        sim.static_total_monthly.display_cents()
    ));
    for n in &sim.notes {
        out.push_str("note: ");
        out.push_str(n);
        out.push('\n');
    }
    out
}

fn rows_for(sim: &Simulation, s: &ServiceSimulation) -> Vec<Row> {
    rows(s, sim.horizon_days)
}

fn markdown_text(sim: &Simulation) -> String {
    let mut out = format!("# {}", header_line(sim).trim_end());
    out.push_str("\n\n");
    for s in &sim.services {
        out.push_str(&format!("## {}\n\n", heading(s).replace('|', "\\|")));
        out.push_str("| figure | mean | P50 | P95 | P99 |\n|---|---:|---:|---:|---:|\n");
        for r in rows_for(sim, s) {
            out.push_str(&format!(
                "| {} | {} |\n",
                r.label.trim().replace('|', "\\|"),
                r.shown.join(" | ")
            ));
        }
        out.push('\n');
        for l in assumptions(s) {
            out.push_str(&format!("- {l}\n"));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "**Plan total per month:** mean {}, P50 {}, P95 {}, P99 {} (static report: {})\n\n",
        sim.total_monthly.mean.display_cents(),
        sim.total_monthly.p50.display_cents(),
        sim.total_monthly.p95.display_cents(),
        sim.total_monthly.p99.display_cents(),
        sim.static_total_monthly.display_cents()
    ));
    for n in &sim.notes {
        out.push_str(&format!("> note: {n}\n"));
    }
    out
}

fn csv_bytes(sim: &Simulation) -> Result<Vec<u8>, ExportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["service", "figure", "unit", "mean", "p50", "p95", "p99"])?;
    for s in &sim.services {
        for r in rows_for(sim, s) {
            let mut rec = vec![
                s.name.clone(),
                r.label.trim().to_string(),
                r.unit.to_string(),
            ];
            rec.extend(r.exact.iter().cloned());
            w.write_record(&rec)?;
        }
    }
    let t = &sim.total_monthly;
    w.write_record([
        "TOTAL".to_string(),
        "cost per month".to_string(),
        "usd".to_string(),
        t.mean.cents().to_string(),
        t.p50.cents().to_string(),
        t.p95.cents().to_string(),
        t.p99.cents().to_string(),
    ])?;
    w.into_inner()
        .map_err(|e| ExportError::CsvFlush(e.into_error()))
}

/// Renders a simulation in a format; `width` (terminal columns, read by the CLI) fits the table
/// format.
pub fn render(
    sim: &Simulation,
    format: Format,
    width: Option<usize>,
) -> Result<Vec<u8>, ExportError> {
    match format {
        Format::Table => Ok(super::fit_lines(&table_text(sim, width), width).into_bytes()),
        Format::Markdown => Ok(markdown_text(sim).into_bytes()),
        Format::Csv => csv_bytes(sim),
        Format::Json => {
            let mut out = serde_json::to_vec_pretty(sim)?;
            out.push(b'\n');
            Ok(out)
        }
    }
}

/// The timeline CSV: one row per service and sample time.
pub fn timeline_csv(t: &Timeline) -> Result<Vec<u8>, ExportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "time_utc",
        "service",
        "desired",
        "fargate_desired",
        "fargate_running",
        "fargate_healthy",
        "fargate_spot_desired",
        "fargate_spot_running",
        "fargate_spot_healthy",
    ])?;
    let start = t.start.and_hms_opt(0, 0, 0).unwrap_or_default();
    for r in &t.rows {
        let at = start + chrono::Duration::seconds(i64::try_from(r.t_s).unwrap_or(i64::MAX));
        let [(fd, fr, fh), (sd, sr, sh)] = r.providers;
        w.write_record([
            at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            r.service.clone(),
            r.desired.to_string(),
            fd.to_string(),
            fr.to_string(),
            fh.to_string(),
            sd.to_string(),
            sr.to_string(),
            sh.to_string(),
        ])?;
    }
    w.into_inner()
        .map_err(|e| ExportError::CsvFlush(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::core::simulate::{SimOptions, simulate};
    use chrono::NaiveDate;

    const PLAN: &str = r#"
[plan]
name = "fixture"
region = "us-east-1"

[[service]]
name = "api"
cpu = 1024
memory = 2048
desired_count = 4
capacity_provider_strategy = [
  { capacity_provider = "FARGATE", base = 1, weight = 1 },
  { capacity_provider = "FARGATE_SPOT", weight = 3 },
]
spot = { interruption_rate = 0.05, outages_per_month = 4, outage_duration = "1h" }
availability = { min_healthy = 2, target = "99.9%" }
[service.autoscaling]
min_capacity = 2
max_capacity = 8
metric = "requests"
target_value = 3000
[service.load]
profile = "diurnal_web"
peak = 300
[[service.container_definitions]]
name = "api"
image = "api"

[[service]]
name = "batch"
cpu = 512
memory = 1024
desired_count = 2
uptime = { windows = [{ days = "mon-fri", start = "08:00", end = "20:00" }] }
[[service.container_definitions]]
name = "batch"
image = "batch"
"#;

    fn fixture() -> (Simulation, Timeline) {
        let facts = crate::core::testing::facts();
        let book = crate::core::testing::book();
        let plan = crate::core::testing::plan(PLAN);
        let opts = SimOptions {
            trials: 50,
            seed: 7,
            horizon_minutes: 7 * 1440,
            start: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
            timeline_step_s: Some(3600),
        };
        let (sim, tl) = simulate(&plan, &[], &book, &facts, &opts, &|_| {}).unwrap();
        (sim, tl.unwrap())
    }

    fn text(format: Format) -> String {
        String::from_utf8(render(&fixture().0, format, None).unwrap()).unwrap()
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
    fn json_is_versioned_with_exact_amounts() {
        let v: serde_json::Value = serde_json::from_str(&text(Format::Json)).unwrap();
        assert_eq!(v["schema_version"], 4);
        assert!(v["services"][0]["monthly_cost"]["mean"].is_string());
        // The batch service runs on FARGATE only: its trials differ by task failures alone.
        let batch = &v["services"][1];
        assert_eq!(
            batch["assumptions"]["task_failure_rate_per_task_hour"],
            0.0005
        );
        assert_eq!(batch["assumptions"]["task_failure_rate_is_default"], true);
        assert_eq!(batch["assumptions"]["maximum_percent"], 200);
        assert_eq!(batch["assumptions"]["minimum_healthy_percent"], 100);
        assert_eq!(batch["assumptions"]["deployments_per_month"], 0.0);
        assert!(
            batch["assumptions"]["startup_derivation"]
                .as_str()
                .unwrap()
                .contains("assumed")
        );
        assert_eq!(batch["interruptions"]["p99"], 0.0);
        assert!(batch["task_failures"]["mean"].as_f64().unwrap() > 0.0);
        assert_eq!(
            v["services"][0]["assumptions"]["interruption_rate_per_task_hour"],
            0.05
        );
    }

    #[test]
    fn timeline_has_a_row_per_service_and_hour() {
        let t = fixture().1;
        let csv = String::from_utf8(timeline_csv(&t).unwrap()).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 1 + 2 * 7 * 24);
        assert_eq!(lines[1].split(',').next(), Some("2026-01-05T00:00:00Z"));
        for r in &t.rows {
            let [(fd, fr, fh), (sd, sr, sh)] = r.providers;
            assert_eq!(fd + sd, r.desired);
            assert!(fh <= fr && sh <= sr && fh <= fd && sh <= sd, "{r:?}");
        }
        // The weekday service runs 2 tasks from 08:00 to 20:00 UTC and none at night.
        let batch: Vec<&crate::core::simulate::TimelineRow> =
            t.rows.iter().filter(|r| r.service == "batch").collect();
        assert_eq!(
            (batch[7].desired, batch[8].desired, batch[20].desired),
            (0, 2, 0)
        );
    }
}
