//! Renders a [`Recommendation`] as a terminal report, Markdown or JSON: per service the
//! recommended shape and strategy with its reasons, the cost-against-availability frontier, the
//! strategy as ECS JSON, CloudFormation and Terraform; then Savings Plan sizing and totals.

use super::ExportError;
use super::recommend_text::{
    candidate_label, excluded, not_sized, note, plan_label, reason, skipped,
};
use crate::core::recommend::{Candidate, Recommendation, SavingsPlans, ServiceRecommendation};
use crate::core::vocab::money::Usd;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};
use rust_decimal::Decimal;

/// Output formats of `recommend`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecommendFormat {
    Table,
    Json,
    Markdown,
}

/// Renders a recommendation; `width` (terminal columns, read by the CLI) fits the table format.
pub fn render(
    r: &Recommendation,
    format: RecommendFormat,
    width: Option<usize>,
) -> Result<Vec<u8>, ExportError> {
    match format {
        RecommendFormat::Table => {
            Ok(super::fit_lines(&text(r, Style::Plain(width)), width).into_bytes())
        }
        RecommendFormat::Markdown => Ok(text(r, Style::Markdown).into_bytes()),
        RecommendFormat::Json => {
            let mut v = super::recommend_json::to_vec_pretty(r)?;
            v.push(b'\n');
            Ok(v)
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Terminal tables, fitted to the width when given.
    Plain(Option<usize>),
    Markdown,
}

/// A table in either style; columns from `right_from` on are right-aligned (numbers).
fn grid(
    style: Style,
    header: &[&str],
    rows: &[Vec<String>],
    right_from: usize,
    indent: &str,
) -> String {
    match style {
        Style::Plain(width) => {
            let mut t = Table::new();
            t.load_preset(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Disabled)
                .set_header(header.to_vec());
            for r in rows {
                t.add_row(r.iter().enumerate().map(|(i, c)| {
                    let cell = Cell::new(c);
                    if i < right_from {
                        cell
                    } else {
                        cell.set_alignment(CellAlignment::Right)
                    }
                }));
            }
            super::fit(
                &mut t,
                width.map(|w| w.saturating_sub(indent.chars().count())),
            );
            let mut out = String::new();
            for line in t.to_string().lines() {
                out.push_str(indent);
                out.push_str(line);
                out.push('\n');
            }
            out
        }
        Style::Markdown => {
            let esc = |s: &str| s.replace('|', "\\|");
            let mut out = format!(
                "| {} |\n|{}\n",
                header
                    .iter()
                    .map(|h| esc(h))
                    .collect::<Vec<_>>()
                    .join(" | "),
                header
                    .iter()
                    .enumerate()
                    .map(|(i, _)| if i < right_from { "---|" } else { "---:|" })
                    .collect::<String>()
            );
            for r in rows {
                out.push_str(&format!(
                    "| {} |\n",
                    r.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")
                ));
            }
            out
        }
    }
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// An availability to three decimals, never rounded up to 100%.
fn pct(v: f64) -> String {
    super::availability(v, 3)
}

fn pct_dec(d: Decimal) -> String {
    format!("{}%", d.round_dp(1))
}

/// `saves $40.29 a month (74.5%)` or `costs $3.10 a month more (5.2%)`.
fn signed_saving(saving: Usd, base: Usd) -> String {
    let share = saving
        .percent_of(base)
        .map_or(String::new(), |p| format!(" ({}%)", p.abs()));
    if saving.0.is_sign_negative() && !saving.cents().is_zero() {
        format!(
            "costs {} a month more{share}",
            Usd(-saving.0).display_cents()
        )
    } else {
        format!("saves {} a month{share}", saving.display_cents())
    }
}

fn candidate_row(label: &str, c: &Candidate) -> Vec<String> {
    vec![
        label.to_string(),
        c.arch.to_string(),
        c.size.to_string(),
        c.strategy.to_string(),
        c.expected_monthly.display_cents(),
        c.p95_monthly.display_cents(),
        pct(c.availability_percent),
        format!("{:.0}%", c.spot_percent),
    ]
}

const CANDIDATE_HEADER: [&str; 8] = [
    "",
    "arch",
    "size",
    "strategy",
    "expected/month",
    "P95/month",
    "availability",
    "on Spot",
];

fn header(r: &Recommendation) -> String {
    format!(
        "Recommendation for {} — {} trials per candidate over {} days from {} (seed {}), common random numbers",
        r.plan.as_deref().unwrap_or("the plan"),
        r.trials,
        r.horizon_days,
        r.start,
        r.seed
    )
}

/// The Spot-heavier mix a service without a stated target is not recommended, and why.
fn alternative_text(
    s: &ServiceRecommendation,
    md: bool,
    rows: &mut Vec<Vec<String>>,
    out: &mut String,
) {
    let Some(alt) = &s.spot_alternative else {
        return;
    };
    rows.push(candidate_row("alternative", alt));
    let line = format!(
        "{} — {} against the plan as written, but below its on-demand floor: with no [service.availability] target the recommendation keeps the plan's FARGATE tasks, and this mix rests on the assumed Spot interruption and outage rates; state a target to let it be recommended",
        candidate_label(alt),
        signed_saving(
            s.as_written.expected_monthly - alt.expected_monthly,
            s.as_written.expected_monthly
        )
    );
    if md {
        out.push_str(&format!("**Alternative:** {line}\n\n"));
    } else {
        out.push_str(&format!("  alternative: {line}\n"));
    }
}

fn service_text(s: &ServiceRecommendation, style: Style, out: &mut String) {
    let md = style == Style::Markdown;
    let target = format!(
        "target {} of service time with ≥ {} healthy task{}{}",
        if s.target_is_default {
            pct(s.target_percent)
        } else {
            format!("{}%", s.target_percent)
        },
        s.min_healthy,
        if s.min_healthy == 1 { "" } else { "s" },
        if s.target_is_default {
            " (none in the plan: the plan as written)"
        } else {
            ""
        }
    );
    let ceiling = s.p95_cost_ceiling.map_or(String::new(), |c| {
        format!(", P95 ≤ {}/month", c.display_cents())
    });
    if md {
        out.push_str(&format!(
            "## {} ({}, {})\n\n{target}{ceiling}\n\n",
            s.name, s.region, s.os
        ));
    } else {
        out.push_str(&format!(
            "{} ({}, {}) — {target}{ceiling}\n",
            s.name, s.region, s.os
        ));
    }
    let mut rows = vec![candidate_row("as written", &s.as_written)];
    match &s.recommended {
        Some(rec) => {
            rows.push(candidate_row("recommended", rec));
            let verdict = match s.saving_monthly {
                Some(sv) if sv == Usd::ZERO => "keep the plan as written".to_string(),
                Some(sv) => format!(
                    "{} against the plan as written",
                    signed_saving(sv, s.as_written.expected_monthly)
                ),
                None => String::new(),
            };
            if md {
                out.push_str(&format!(
                    "**Recommended:** {} — {verdict}\n\n",
                    candidate_label(rec)
                ));
            } else {
                out.push_str(&format!(
                    "  recommended: {} — {verdict}\n",
                    candidate_label(rec)
                ));
            }
        }
        None => {
            let line = format!(
                "INFEASIBLE: no candidate meets the target; best availability {}",
                pct(s.best_availability_percent)
            );
            if md {
                out.push_str(&format!("**{line}**\n\n"));
            } else {
                out.push_str(&format!("  {line}\n"));
            }
        }
    }
    alternative_text(s, md, &mut rows, out);
    out.push_str(&grid(style, &CANDIDATE_HEADER, &rows, 4, "  "));
    if md {
        out.push_str("\nWhy:\n\n");
    } else {
        out.push_str("  why:\n");
    }
    for l in &s.reasons {
        out.push_str(if md { "- " } else { "    - " });
        out.push_str(&reason(l));
        out.push('\n');
    }
    let frontier: Vec<Vec<String>> =
        s.frontier
            .iter()
            .map(|c| {
                let mark = if s.recommended.as_ref().is_some_and(|r| {
                    r.arch == c.arch && r.size == c.size && r.strategy == c.strategy
                }) {
                    "→"
                } else if c.feasible() {
                    "ok"
                } else {
                    "below"
                };
                candidate_row(mark, c)
            })
            .collect();
    if md {
        out.push_str(&format!(
            "\nFrontier (cost against availability; {} simulated):\n\n",
            count(s.candidates, "candidate")
        ));
    } else {
        out.push_str(&format!(
            "  frontier (cost against availability; {} simulated):\n",
            count(s.candidates, "candidate")
        ));
    }
    out.push_str(&grid(style, &CANDIDATE_HEADER, &frontier, 4, "  "));
    for l in &s.skipped {
        out.push_str(if md {
            "\n- not considered: "
        } else {
            "  not considered: "
        });
        out.push_str(&skipped(l));
        out.push('\n');
    }
    if let Some(sn) = &s.snippets {
        let block = |title: &str, lang: &str, body: &str, out: &mut String| {
            if md {
                out.push_str(&format!(
                    "\n{title}:\n\n```{lang}\n{}\n```\n",
                    body.trim_end()
                ));
            } else {
                out.push_str(&format!("  {title}:\n"));
                for l in body.trim_end().lines() {
                    out.push_str("    ");
                    out.push_str(l);
                    out.push('\n');
                }
            }
        };
        block(
            "ECS service (CreateService / UpdateService)",
            "json",
            &sn.ecs_service_json,
            out,
        );
        block(
            "ECS task definition (RegisterTaskDefinition)",
            "json",
            &sn.ecs_task_json,
            out,
        );
        block("CloudFormation", "yaml", &sn.cloudformation, out);
        block("Terraform", "hcl", &sn.terraform, out);
    }
    out.push('\n');
}

fn savings_text(sp: &SavingsPlans, style: Style, out: &mut String) {
    let md = style == Style::Markdown;
    let basis = format!(
        "sized on the recommended plan's on-demand vCPU and memory ({} a month eligible; Spot is never covered)",
        sp.eligible_monthly.display_cents()
    );
    if md {
        out.push_str(&format!("## Savings Plans\n\nSavings Plans {basis}.\n\n"));
    } else {
        out.push_str(&format!("Savings Plans — {basis}\n"));
    }
    if sp.options.is_empty() {
        out.push_str(if md { "- " } else { "  " });
        out.push_str("nothing to size: the recommended plan runs no on-demand Linux tasks with Savings Plans rates\n");
    }
    let rows: Vec<Vec<String>> = sp
        .options
        .iter()
        .map(|o| match &o.not_sized {
            Some(_) => vec![
                plan_label(&o.plan),
                "not sized (below)".to_string(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ],
            None => vec![
                plan_label(&o.plan),
                format!("${}/h", o.commitment_per_hour.0.round_dp(3)),
                o.commitment_monthly.display_cents(),
                o.upfront.map_or("—".to_string(), |u| u.display_cents()),
                pct_dec(o.coverage_percent),
                pct_dec(o.unused_percent),
                o.net_saving_monthly.display_cents(),
                format!(
                    "{} used{}",
                    pct_dec(o.break_even_utilization_percent),
                    o.rates_as_of
                        .map_or(String::new(), |d| format!(" (rates {d})"))
                ),
            ],
        })
        .collect();
    if !rows.is_empty() {
        out.push_str(&grid(
            style,
            &[
                "plan",
                "commitment",
                "per month",
                "upfront",
                "coverage",
                "unused",
                "net saving/month",
                "break-even",
            ],
            &rows,
            2,
            "  ",
        ));
    }
    for o in &sp.options {
        if let Some(missing) = &o.not_sized {
            out.push_str(if md { "- " } else { "  " });
            out.push_str(&format!(
                "{} not sized: {}\n",
                plan_label(&o.plan),
                not_sized(&o.plan, missing)
            ));
        }
    }
    let mut sources: Vec<&str> = Vec::new();
    for o in sp.options.iter().filter(|o| o.not_sized.is_none()) {
        for s in &o.rates_sources {
            if !sources.contains(&s.as_str()) {
                sources.push(s);
            }
        }
    }
    for s in sources {
        out.push_str(if md { "- rates: " } else { "  rates: " });
        out.push_str(s);
        out.push('\n');
    }
    for l in &sp.excluded {
        out.push_str(if md { "- left out: " } else { "  left out: " });
        out.push_str(&excluded(l));
        out.push('\n');
    }
    out.push('\n');
}

/// Every price behind the figures, with its date and origin; sources numbered below.
fn prices_text(r: &Recommendation, style: Style, out: &mut String) {
    let prices: Vec<&crate::core::pricing::Price> = r.prices_used.iter().collect();
    match style {
        Style::Plain(width) => {
            out.push_str(&format!("\nPrices used ({})\n", r.generated_on));
            out.push_str(&super::prices::render(&prices, r.generated_on, width));
        }
        Style::Markdown => {
            let sources = super::prices::numbered_sources(prices.iter().map(|p| p.source.as_str()));
            let rows: Vec<Vec<String>> = prices
                .iter()
                .map(|p| {
                    vec![
                        p.region.clone(),
                        p.dimension.id().to_string(),
                        format!("{} per {}", p.usd_per_unit.normalize(), p.unit),
                        p.as_of.to_string(),
                        p.origin.to_string(),
                        super::prices::source_ref(&sources, &p.source),
                    ]
                })
                .collect();
            out.push_str("\n## Prices used\n\n");
            out.push_str(&grid(
                style,
                &[
                    "region",
                    "dimension",
                    "USD per unit",
                    "as of",
                    "origin",
                    "source",
                ],
                &rows,
                2,
                "",
            ));
            out.push('\n');
            for (i, s) in sources.iter().enumerate() {
                out.push_str(&format!("{}. {s}\n", i + 1));
            }
        }
    }
    out.push('\n');
}

fn text(r: &Recommendation, style: Style) -> String {
    let md = style == Style::Markdown;
    let mut out = if md {
        format!("# {}\n\n", header(r))
    } else {
        format!("{}\n\n", header(r))
    };
    for s in &r.services {
        service_text(s, style, &mut out);
    }
    if !r.ec2.is_empty() {
        out.push_str(if md {
            "## EC2 container instances (capacity = [\"fargate\", \"ec2\"])\n\n"
        } else {
            "EC2 container instances (capacity = [\"fargate\", \"ec2\"])\n"
        });
        for p in &r.ec2 {
            out.push_str(if md { "- " } else { "  " });
            out.push_str(&super::compare_ec2::recommend_line(p));
            out.push('\n');
        }
        out.push('\n');
    }
    savings_text(&r.savings_plans, style, &mut out);
    let saving = r.total_as_written - r.total_recommended;
    let mut totals = format!(
        "Expected (simulated mean over {} days, with autoscaling, interruptions and failures): {} a month as written, {} recommended — {}",
        r.horizon_days,
        r.total_as_written.display_cents(),
        r.total_recommended.display_cents(),
        signed_saving(saving, r.total_as_written)
    );
    if r.static_as_written.display_cents() != r.total_as_written.display_cents() {
        totals.push_str(&format!(
            "; `report` shows {} for the plan as written (static: desired count × uptime hours)",
            r.static_as_written.display_cents()
        ));
    }
    if md {
        out.push_str(&format!("**{totals}**\n\n"));
    } else {
        out.push_str(&totals);
        out.push('\n');
    }
    let infeasible: Vec<&str> = r
        .services
        .iter()
        .filter(|s| !s.feasible())
        .map(|s| s.name.as_str())
        .collect();
    if !infeasible.is_empty() {
        let line = format!(
            "infeasible: {} (no candidate meets the target; counted as written)",
            infeasible.join(", ")
        );
        out.push_str(if md { "> " } else { "" });
        out.push_str(&line);
        out.push('\n');
    }
    prices_text(r, style, &mut out);
    for n in &r.notes {
        out.push_str(if md { "> note: " } else { "note: " });
        out.push_str(&note(r, n));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::core::pricing::SavingsRates;
    use crate::core::recommend::{RecommendOptions, recommend};

    fn fixture() -> Recommendation {
        let text = r#"[plan]
name = "small"
region = "us-east-1"
[[service]]
name = "web"
cpu = 512
memory = 1024
desired_count = 3
spot = { interruption_rate = 0.05, outages_per_month = 2, outage_duration = "2h" }
availability = { min_healthy = 2, target = "99.99%" }
recommend = { image_architectures = ["X86_64", "ARM64"] }
[[service.container_definitions]]
name = "web"
image = "x"
"#;
        let facts = crate::core::testing::facts();
        let book = crate::core::testing::book();
        let plan = crate::core::testing::plan(text);
        recommend(
            &plan,
            &[],
            &book,
            &SavingsRates::embedded().unwrap(),
            &facts,
            &RecommendOptions {
                trials: 50,
                seed: 3,
                horizon_minutes: 7 * 1440,
                start: chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
                today: chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            },
            &|_| {},
        )
        .unwrap()
    }

    fn rendered(format: RecommendFormat) -> String {
        String::from_utf8(render(&fixture(), format, None).unwrap()).unwrap()
    }

    #[test]
    fn table_snapshot() {
        insta::assert_snapshot!(rendered(RecommendFormat::Table));
    }

    #[test]
    fn markdown_snapshot() {
        insta::assert_snapshot!(rendered(RecommendFormat::Markdown));
    }

    #[test]
    fn json_is_versioned_with_exact_amounts() {
        let v: serde_json::Value = serde_json::from_str(&rendered(RecommendFormat::Json)).unwrap();
        assert_eq!(v["schema_version"], 3);
        let images = &v["services"][0]["image_architectures"];
        assert!(images["source"].is_string(), "{images}");
        assert!(images["architectures"].is_array(), "{images}");
        assert!(images["images"].is_array(), "{images}");
        let rec = &v["services"][0]["recommended"];
        assert!(rec["expected_monthly"].is_string());
        assert!(rec["strategy"]["items"].is_array());
        assert!(v["savings_plans"]["options"].is_array());
    }
}
