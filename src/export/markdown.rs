//! Markdown: GitHub tables for a pull request or a design document.

use super::table::{plan_label, service_heading};
use super::{option_monthly, saving};
use crate::core::report::{OptionKind, Report};

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let title = report.plan_name.as_deref().unwrap_or("plan");
    out.push_str(&format!("# Fargate cost report: {}\n\n", cell(title)));
    out.push_str(&format!(
        "Generated {}, {} hours per month, prices in USD.\n\n",
        report.generated_on,
        report.hours_per_month.normalize()
    ));

    out.push_str("## Totals per month\n\n| service | region | plan |");
    for k in OptionKind::ALL {
        out.push_str(&format!(" {} |", k.label()));
    }
    out.push_str("\n|---|---|---:|");
    for _ in OptionKind::ALL {
        out.push_str("---:|");
    }
    out.push('\n');
    for s in &report.services {
        out.push_str(&format!(
            "| {} | {} | {} |",
            cell(&s.name),
            s.region,
            s.plan.priced.monthly.display_cents()
        ));
        for k in OptionKind::ALL {
            out.push_str(&format!(" {} |", option_monthly(s.option(k))));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "| **total** | | **{}** |",
        report.totals.plan_monthly.display_cents()
    ));
    for k in OptionKind::ALL {
        out.push_str(&format!(
            " **{}** |",
            report
                .totals
                .options
                .get(&k)
                .map(|u| u.display_cents())
                .unwrap_or_default()
        ));
    }
    out.push_str(&format!("\n\nPlan per year (12 months): **{}**. In a total, a service where an option is n/a counts at its plan cost.\n\n", report.totals.plan_yearly.display_cents()));

    for s in &report.services {
        out.push_str(&format!("## {}\n\n", cell(&service_heading(s))));
        out.push_str(
            "| option | per task-hour | per month | vs x86 on-demand |\n|---|---:|---:|---:|\n",
        );
        for k in OptionKind::ALL {
            let Some(o) = s.option(k) else { continue };
            match &o.priced {
                Some(p) => out.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    k.label(),
                    o.per_task_hour
                        .map(|r| r.display_rate())
                        .unwrap_or_default(),
                    p.monthly.display_cents(),
                    saving(p)
                )),
                None => out.push_str(&format!(
                    "| {} | n/a | n/a | {} |\n",
                    k.label(),
                    cell(o.unavailable.as_deref().unwrap_or(""))
                )),
            }
        }
        out.push_str(&format!(
            "| {} | | {} | {} |\n",
            cell(&plan_label(s)),
            s.plan.priced.monthly.display_cents(),
            saving(&s.plan.priced)
        ));
        if let Some(r) = &s.rounding {
            out.push_str(&format!(
                "\nRounded up from {} to {}: {} per month more.\n",
                r.requested,
                r.priced,
                r.extra_monthly.display_cents()
            ));
        }
        out.push('\n');
    }

    out.push_str("## Prices used\n\n| region | dimension | USD per unit | as of | origin | source |\n|---|---|---:|---|---|---|\n");
    for p in &report.prices {
        let date = if p.stale {
            format!("{} ⚠ over a year old", p.price.as_of)
        } else {
            p.price.as_of.to_string()
        };
        out.push_str(&format!(
            "| {} | {} | {} per {} | {} | {} | {} |\n",
            p.price.region,
            p.price.dimension.id(),
            p.price.usd_per_unit.normalize(),
            p.price.unit,
            date,
            p.price.origin,
            cell(&p.price.source)
        ));
    }
    out.push('\n');
    for n in &report.notes {
        out.push_str(&format!("- {}\n", cell(n)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixture;

    #[test]
    fn markdown_snapshot() {
        insta::assert_snapshot!(render(&fixture::report()));
    }
}
