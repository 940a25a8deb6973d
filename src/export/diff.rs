//! The cost difference between two plans, as a pull-request comment (Markdown), a table or JSON.

use super::{ExportError, signed};
use crate::core::report::diff::{ReportDiff, ServiceDiff};
use crate::core::vocab::money::Usd;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};

fn change(d: &ServiceDiff) -> String {
    if d.change.cents().is_zero() && d.before.is_some() && d.after.is_some() {
        return "—".to_string();
    }
    match d.change_percent {
        Some(p) if d.before.is_some() && d.after.is_some() => format!(
            "{} ({}{p}%)",
            signed(d.change),
            if p.is_sign_positive() && !p.is_zero() {
                "+"
            } else {
                ""
            }
        ),
        _ => signed(d.change),
    }
}

fn amount(u: Option<Usd>) -> String {
    u.map_or_else(|| "—".to_string(), |u| u.display_cents())
}

fn headline(d: &ReportDiff) -> String {
    let pct = d
        .change_percent
        .map(|p| {
            format!(
                " ({}{p}%)",
                if p.is_sign_positive() && !p.is_zero() {
                    "+"
                } else {
                    ""
                }
            )
        })
        .unwrap_or_default();
    format!(
        "{} per month{pct}: {} → {}",
        signed(d.change),
        d.before_monthly.display_cents(),
        d.after_monthly.display_cents()
    )
}

pub fn markdown(d: &ReportDiff) -> String {
    let mut out = format!("### Fargate cost change: {}\n\n", headline(d));
    out.push_str(
        "| service | before | after | change | what changed |\n|---|---:|---:|---:|---|\n",
    );
    for s in &d.services {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            s.name.replace('|', "\\|"),
            amount(s.before),
            amount(s.after),
            change(s),
            s.changes.join("; ").replace('|', "\\|")
        ));
    }
    out.push_str(&format!(
        "| **total** | **{}** | **{}** | **{}** | |\n\n<details><summary>How these figures are made</summary>\n\nMonthly list prices ({} hours) of each service's desired count on its capacity provider strategy, from `fargate-planner report --compare-to` or `--diff`. Autoscaling bounds are carried along, not priced. Not included: load balancers, NAT gateways, public IPv4 addresses, CloudWatch Logs and data transfer.\n\n</details>\n",
        d.before_monthly.display_cents(),
        d.after_monthly.display_cents(),
        signed(d.change),
        d.hours_per_month.normalize()
    ));
    out
}

/// The change as a terminal table, fitted to `width` columns when given (the long "what
/// changed" cells wrap at spaces).
pub fn table(d: &ReportDiff, width: Option<usize>) -> String {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(vec!["service", "before", "after", "change", "what changed"]);
    let right = |s: String| Cell::new(s).set_alignment(CellAlignment::Right);
    for s in &d.services {
        t.add_row(vec![
            Cell::new(&s.name),
            right(amount(s.before)),
            right(amount(s.after)),
            right(change(s)),
            Cell::new(s.changes.join("; ")),
        ]);
    }
    t.add_row(vec![
        Cell::new("total"),
        right(d.before_monthly.display_cents()),
        right(d.after_monthly.display_cents()),
        right(signed(d.change)),
        Cell::new(""),
    ]);
    super::fit(&mut t, width);
    super::fit_lines(&format!("Cost change: {}\n{t}\n", headline(d)), width)
}

pub fn json(d: &ReportDiff) -> Result<Vec<u8>, ExportError> {
    let mut out = serde_json::to_vec_pretty(d)?;
    out.push(b'\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::report::diff::diff;

    use crate::core::report::{Report, build};

    fn report(text: &str) -> Report {
        let facts = crate::core::testing::facts();
        let book = crate::core::testing::book();
        let plan = crate::core::testing::plan(text);
        build(
            &plan,
            &book,
            &facts,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn markdown_diff_snapshot() {
        let before = report(
            &std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/examples/portfolio.toml"
            ))
            .unwrap(),
        );
        let after_text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/portfolio.toml"
        ))
        .unwrap()
        .replace("desired_count = 6", "desired_count = 8")
        .replace("name = \"web-eu\"", "name = \"web-emea\"");
        let after = report(&after_text);
        let d = diff(&before, &after);
        assert_eq!(
            d.change,
            d.services.iter().map(|s| s.change).sum::<Usd>(),
            "service changes add up to the total change"
        );
        insta::assert_snapshot!(markdown(&d));
    }

    #[test]
    fn the_table_fits_the_terminal_width() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/portfolio.toml"
        ))
        .unwrap();
        let after = text.replace("desired_count = 6", "desired_count = 8");
        let d = diff(&report(&text), &report(&after));
        let wide = table(&d, None);
        assert!(wide.lines().any(|l| l.chars().count() > 50), "{wide}");
        let fitted = table(&d, Some(50));
        for line in fitted.lines() {
            assert!(
                line.chars().count() <= 50,
                "{} chars: {line}",
                line.chars().count()
            );
        }
    }
}
