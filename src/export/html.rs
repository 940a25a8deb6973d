//! A self-contained HTML report: the cost tables and SVG charts in one file, with no scripts,
//! fonts or anything else fetched from the network.

use super::charts::{BarChart, ChartError, Drawn, FrontierChart, LineChart, Mark};
use super::table::{plan_label, service_heading};
use super::{option_monthly, saving};
use crate::core::recommend::{Candidate, Recommendation};
use crate::core::report::{OptionKind, Report};
use crate::core::simulate::Timeline;
use crate::core::vocab::strategy::Provider;
use rust_decimal::prelude::ToPrimitive;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:70rem;color:#1b1f24;padding:0 1rem}\
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}table{border-collapse:collapse;margin:.5rem 0 1rem;display:block;overflow-x:auto;max-width:100%}\
th,td{border:1px solid #d0d7de;padding:.3rem .6rem}th{background:#f6f8fa;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}\
tr.total td{font-weight:600}.answer{font-size:1.15rem;background:#f6f8fa;border-left:4px solid #0072b2;padding:.6rem 1rem;margin:1rem 0}.answer p{margin:.4rem 0}.chart{margin:1rem 0}.note{color:#57606a;font-size:.9rem}\
figure.chart{margin:1.5rem 0}figure.chart figcaption{font-weight:600;margin-bottom:.4rem}\
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;font-size:14px;margin-bottom:.3rem}.key{display:inline-flex;align-items:center;gap:.4rem}\
.key i{display:inline-block;width:14px;height:14px;background:var(--c);font-style:normal}.key i.line{height:3px;width:18px}\
.key i.dot{border-radius:50%;width:9px;height:9px}.key i.ring{border-radius:50%;background:none;border:3px solid var(--c);width:9px;height:9px}\
.key i.cross{background:none;color:var(--c);font-weight:700;width:auto;height:auto;line-height:1}.plot{overflow-x:auto}.plot svg{display:block}.stale{color:#9a6700}";

/// The charts of a cost report: monthly cost per service stacked by provider, and the four
/// architecture/capacity options side by side.
pub fn report_charts(report: &Report) -> Result<Vec<Drawn>, ChartError> {
    let names: Vec<String> = report.services.iter().map(|s| s.name.clone()).collect();
    let dollars = |u: crate::core::vocab::money::Usd| u.cents().to_f64().unwrap_or(0.0);
    let by_provider = Provider::ALL
        .iter()
        .map(|p| {
            let values = report
                .services
                .iter()
                .map(|s| {
                    s.plan
                        .providers
                        .iter()
                        .filter(|l| l.provider == *p)
                        .map(|l| dollars(l.monthly))
                        .sum::<f64>()
                })
                .map(Some)
                .collect();
            (p.name().to_string(), values)
        })
        .collect();
    let stacked = BarChart {
        title: "Monthly cost per service, by capacity provider (the plan as written)".into(),
        y_label: "USD per month".into(),
        categories: names.clone(),
        series: by_provider,
        stacked: true,
    };
    let options = OptionKind::ALL
        .iter()
        .map(|k| {
            let values = report
                .services
                .iter()
                .map(|s| {
                    s.option(*k)
                        .and_then(|o| o.priced.as_ref())
                        .map(|p| dollars(p.monthly))
                })
                .collect();
            (k.label().to_string(), values)
        })
        .collect();
    let grouped = BarChart {
        title: "x86, ARM and Spot per service (n/a: not available for the service)".into(),
        y_label: "USD per month".into(),
        categories: names,
        series: options,
        stacked: false,
    };
    Ok(vec![stacked.draw()?, grouped.draw()?])
}

/// One chart per simulated service: desired tasks and healthy tasks per provider over the
/// timeline (trial 0 of a simulation).
pub fn timeline_charts(timeline: &Timeline) -> Result<Vec<Drawn>, ChartError> {
    let mut services: Vec<&str> = Vec::new();
    for row in &timeline.rows {
        if !services.contains(&row.service.as_str()) {
            services.push(&row.service);
        }
    }
    services
        .into_iter()
        .map(|name| {
            let rows: Vec<_> = timeline.rows.iter().filter(|r| r.service == name).collect();
            let hours = |t: u64| t as f64 / 3600.0;
            let mut series = vec![(
                "desired".to_string(),
                rows.iter()
                    .map(|r| (hours(r.t_s), f64::from(r.desired)))
                    .collect::<Vec<_>>(),
            )];
            for (i, p) in Provider::ALL.iter().enumerate() {
                if rows.iter().any(|r| r.providers[i].0 > 0) {
                    series.push((
                        format!("healthy on {}", p.name()),
                        rows.iter()
                            .map(|r| (hours(r.t_s), f64::from(r.providers[i].2)))
                            .collect(),
                    ));
                }
            }
            let chart = LineChart {
                title: format!("{name}: one simulated week of tasks"),
                x_label: format!("day and hour (UTC) from {} 00:00", timeline.start),
                y_label: "tasks".into(),
                x_ticks: day_ticks(timeline, &rows),
                series,
            };
            chart.draw()
        })
        .collect()
}

/// A tick at each midnight of the timeline, labelled by weekday and hour (`Tue 00:00`).
fn day_ticks(
    timeline: &Timeline,
    rows: &[&crate::core::simulate::TimelineRow],
) -> Vec<(f64, String)> {
    let last_hour = rows.iter().map(|r| r.t_s).max().unwrap_or(0) as f64 / 3600.0;
    let days = (last_hour / 24.0).ceil().max(1.0) as i64;
    (0..=days)
        .map(|d| {
            let day = timeline.start + chrono::Duration::days(d);
            (d as f64 * 24.0, format!("{} 00:00", day.format("%a")))
        })
        .collect()
}

/// One chart per recommended service: the cost-against-availability frontier, or a sentence
/// when every candidate reached the same availability (an axis of one value says nothing).
pub fn frontier_charts(rec: &Recommendation) -> Result<Vec<String>, ChartError> {
    rec.services
        .iter()
        .filter(|s| !s.frontier.is_empty())
        .map(|s| {
            let point = |c: &Candidate| (c.availability_percent, dollars(c.expected_monthly));
            let chart = FrontierChart {
                title: format!("{}: cost against availability", s.name),
                frontier: s.frontier.iter().map(point).collect(),
                as_written: point(&s.as_written),
                chosen: s.recommended.as_ref().map(point),
                target: s.target_percent,
            };
            if chart.degenerate() {
                let cheapest = s.frontier.iter().map(|c| c.expected_monthly).min();
                return Ok(format!(
                    "<p class=\"note frontier-note\"><strong>{}</strong>: every candidate reached the same availability in the trials, {} (target {}), so no chart (its availability axis would be a single value); the cheapest candidate costs {} a month, the plan as written {}.</p>\n",
                    esc(&chart.title),
                    super::availability(s.as_written.availability_percent, 3),
                    super::availability(s.target_percent, 3),
                    cheapest.map_or("n/a".to_string(), |u| u.display_cents()),
                    s.as_written.expected_monthly.display_cents()
                ));
            }
            Ok(figure(&chart.draw()?))
        })
        .collect()
}

/// A chart as a figure: its title, its legend (outside the plotting area, so it never covers a
/// bar or a point) and the SVG, which scrolls sideways on a narrow screen rather than shrinking
/// its text.
fn figure(d: &Drawn) -> String {
    let mut h = format!(
        "<figure class=\"chart\">\n<figcaption>{}</figcaption>\n<div class=\"legend\">",
        esc(&d.title)
    );
    for k in &d.legend {
        let (class, glyph) = match k.mark {
            Mark::Block => ("block", ""),
            Mark::Line => ("line", ""),
            Mark::Dot => ("dot", ""),
            Mark::Cross => ("cross", "✕"),
            Mark::Ring => ("ring", ""),
        };
        h.push_str(&format!(
            "<span class=\"key\"><i class=\"{class}\" style=\"--c:{}\">{glyph}</i>{}</span>",
            k.color,
            esc(&k.label)
        ));
    }
    h.push_str(&format!(
        "</div>\n<div class=\"plot\">{}</div>\n</figure>\n",
        d.svg
    ));
    h
}

/// The answer the page opens with: the plan's monthly total, the cheapest option over the whole
/// plan and what it saves against the plan as written.
fn answer(report: &Report) -> String {
    let t = &report.totals;
    let mut h = format!(
        "<section class=\"answer\">\n<p class=\"total\">The plan costs <strong>{}</strong> a month ({} a year).</p>\n",
        t.plan_monthly.display_cents(),
        t.plan_yearly.display_cents()
    );
    let cheapest = t.options.iter().min_by_key(|(_, u)| **u);
    match cheapest {
        Some((kind, cost)) if *cost < t.plan_monthly => {
            let saving = t.plan_monthly - *cost;
            let pct = saving
                .percent_of(t.plan_monthly)
                .map(|p| format!(" ({p}%)"))
                .unwrap_or_default();
            let partial = report
                .services
                .iter()
                .any(|s| s.option(*kind).is_none_or(|o| o.priced.is_none()));
            let spot = if kind.provider() == Provider::FargateSpot {
                " Spot tasks can be interrupted: <code>fargate-planner recommend</code> weighs cost against availability."
            } else {
                ""
            };
            h.push_str(&format!(
                "<p>Cheapest option: <strong>{}</strong>{} at <strong>{}</strong> a month, saving <strong>{}</strong> a month{pct} against the plan.{spot}</p>\n",
                kind.label(),
                if partial { " (services that cannot run it at their plan cost)" } else { " for every service" },
                cost.display_cents(),
                saving.display_cents(),
            ));
        }
        _ => h.push_str("<p>The plan is already the cheapest of the options below.</p>\n"),
    }
    h.push_str("</section>\n");
    h
}

fn dollars(u: crate::core::vocab::money::Usd) -> f64 {
    u.cents().to_f64().unwrap_or(0.0)
}

pub fn render(report: &Report) -> Result<String, ChartError> {
    render_with(report, None, None)
}

/// The report, and when given a simulation timeline, a week of desired and healthy tasks per
/// service and provider; when given a recommendation, each service's cost-against-availability
/// frontier.
pub fn render_with(
    report: &Report,
    timeline: Option<(&Timeline, &str)>,
    recommendation: Option<(&Recommendation, &str)>,
) -> Result<String, ChartError> {
    let charts = report_charts(report)?;
    let frontiers = match recommendation {
        Some((r, _)) => frontier_charts(r)?,
        None => Vec::new(),
    };
    let weeks = match timeline {
        Some((t, _)) => timeline_charts(t)?,
        None => Vec::new(),
    };
    let title = format!(
        "Fargate cost report: {}",
        report.plan_name.as_deref().unwrap_or("plan")
    );
    let mut h = String::new();
    h.push_str(&format!("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n", esc(&title)));
    h.push_str(&format!(
        "<h1>{}</h1>\n<p>Generated {}, {} hours per month, prices in USD.</p>\n",
        esc(&title),
        report.generated_on,
        report.hours_per_month.normalize()
    ));
    h.push_str(&answer(report));
    for d in &charts {
        h.push_str(&figure(d));
    }
    if let Some((_, about)) = timeline {
        h.push_str(&format!(
            "<h2>A simulated week</h2>\n<p class=\"note\">{}</p>\n",
            esc(about)
        ));
        for d in &weeks {
            h.push_str(&figure(d));
        }
    }
    if let Some((_, about)) = recommendation {
        h.push_str(&format!(
            "<h2>Cost against availability</h2>\n<p class=\"note\">{}</p>\n",
            esc(about)
        ));
        for f in &frontiers {
            h.push_str(f);
        }
    }

    h.push_str(
        "<h2>Totals per month</h2>\n<table>\n<tr><th>service</th><th>region</th><th>plan</th>",
    );
    for k in OptionKind::ALL {
        h.push_str(&format!("<th>{}</th>", k.label()));
    }
    h.push_str("</tr>\n");
    for s in &report.services {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td>",
            esc(&s.name),
            esc(&s.region),
            s.plan.priced.monthly.display_cents()
        ));
        for k in OptionKind::ALL {
            h.push_str(&format!(
                "<td class=\"n\">{}</td>",
                option_monthly(s.option(k))
            ));
        }
        h.push_str("</tr>\n");
    }
    h.push_str(&format!(
        "<tr class=\"total\"><td>total</td><td></td><td class=\"n\">{}</td>",
        report.totals.plan_monthly.display_cents()
    ));
    for k in OptionKind::ALL {
        h.push_str(&format!(
            "<td class=\"n\">{}</td>",
            report
                .totals
                .options
                .get(&k)
                .map(|u| u.display_cents())
                .unwrap_or_default()
        ));
    }
    h.push_str(&format!(
        "</tr>\n</table>\n<p class=\"note\">Plan per year (12 months): {}. In a total, a service where an option is n/a counts at its plan cost.</p>\n",
        report.totals.plan_yearly.display_cents()
    ));

    for s in &report.services {
        h.push_str(&format!("<h2>{}</h2>\n<table>\n<tr><th>option</th><th>per task-hour</th><th>per month</th><th>vs x86 on-demand</th></tr>\n", esc(&service_heading(s))));
        for k in OptionKind::ALL {
            let Some(o) = s.option(k) else { continue };
            match &o.priced {
                Some(p) => h.push_str(&format!(
                    "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                    k.label(),
                    o.per_task_hour.map(|r| r.display_rate()).unwrap_or_default(),
                    p.monthly.display_cents(),
                    esc(&saving(p))
                )),
                None => h.push_str(&format!("<tr><td>{}</td><td class=\"n\">n/a</td><td class=\"n\">n/a</td><td>{}</td></tr>\n", k.label(), esc(o.unavailable.as_deref().unwrap_or("")))),
            }
        }
        h.push_str(&format!("<tr class=\"total\"><td>{}</td><td></td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n</table>\n", esc(&plan_label(s)), s.plan.priced.monthly.display_cents(), esc(&saving(&s.plan.priced))));
        if let Some(r) = &s.rounding {
            h.push_str(&format!(
                "<p class=\"note\">Rounded up from {} to {}: {} per month more.</p>\n",
                r.requested,
                r.priced,
                r.extra_monthly.display_cents()
            ));
        }
    }

    h.push_str("<h2>Prices used</h2>\n<table>\n<tr><th>region</th><th>dimension</th><th>USD per unit</th><th>as of</th><th>origin</th><th>source</th></tr>\n");
    for p in &report.prices {
        let date = if p.stale {
            format!(
                "<span class=\"stale\">{} ⚠ over a year old</span>",
                p.price.as_of
            )
        } else {
            p.price.as_of.to_string()
        };
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{} per {}</td><td>{date}</td><td>{}</td><td>{}</td></tr>\n",
            esc(&p.price.region),
            p.price.dimension.id(),
            p.price.usd_per_unit.normalize(),
            esc(&p.price.unit),
            esc(&p.price.origin.to_string()),
            esc(&p.price.source)
        ));
    }
    h.push_str("</table>\n<ul class=\"note\">\n");
    for n in &report.notes {
        h.push_str(&format!("<li>{}</li>\n", esc(n)));
    }
    h.push_str("</ul>\n</body>\n</html>\n");
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixture;

    #[test]
    fn self_contained_with_two_drawn_charts() {
        let html = render(&fixture::report()).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert_eq!(html.matches("<svg").count(), 2);
        for forbidden in [
            "<script",
            "http://",
            "https://fonts",
            "<link",
            "@import",
            "url(",
        ] {
            // Sources are printed as text; nothing may be loaded from them.
            let loads = html.matches(forbidden).count();
            assert!(
                forbidden == "http://" || loads == 0,
                "{forbidden} in the page"
            );
        }
        assert!(!html.contains("src=\""), "nothing is loaded");
        assert!(html.contains("$147.10"), "plan total");
        // The page opens with the answer: the total, the cheapest option and the saving, before
        // any chart or table.
        let answer = html.find("class=\"answer\"").unwrap();
        assert!(answer < html.find("<svg").unwrap() && answer < html.find("<table").unwrap());
        let section = &html[answer..html.find("</section>").unwrap()];
        assert!(
            section.contains("<strong>$147.10</strong> a month"),
            "{section}"
        );
        assert!(section.contains("Cheapest option: <strong>"), "{section}");
        assert!(section.contains("saving <strong>$"), "{section}");
    }

    #[test]
    fn svg_structure_snapshot() {
        // The structure of the charts (elements and their order), not every coordinate.
        let charts = report_charts(&fixture::report()).unwrap();
        let outline: Vec<String> = charts
            .iter()
            .map(|d| {
                let svg = &d.svg;
                let mut tags: Vec<&str> = svg
                    .split('<')
                    .skip(1)
                    .filter_map(|t| t.split([' ', '>', '/']).next())
                    .filter(|t| !t.is_empty())
                    .collect();
                tags.dedup();
                let texts: Vec<&str> = svg
                    .split("<text")
                    .skip(1)
                    .filter_map(|t| t.split('>').nth(1))
                    .map(|t| t.trim_end_matches("</text"))
                    .collect();
                format!(
                    "elements: {}\nrects: {}\ntexts: {}",
                    tags.join(" "),
                    svg.matches("<rect").count(),
                    texts.join(" | ")
                )
            })
            .collect();
        insta::assert_snapshot!(outline.join("\n---\n"));
    }
}
