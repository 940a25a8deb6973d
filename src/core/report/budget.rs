//! The budget: a plan's cost month by month, one line per service, provider and component.
//!
//! Months are real calendar months (28–31 days × 24 hours) unless a fixed number of hours per month
//! is given (730 matches the AWS Pricing Calculator and the report). A scheduled service runs its
//! weekly hours × days / 7 in a month — the same convention as the report's weekly hours × 730 / 168,
//! so a 365-day year of calendar months costs exactly twelve 730-hour months. Growth compounds
//! monthly on usage: month *i* (from 0) uses (1 + growth)^i times the plan's task-hours.

use crate::core::plan::Plan;
use crate::core::pricing::{Price, PriceBook};
use crate::core::report::cost::{Component, RateError, price_service};
use crate::core::rules::Facts;
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::CpuArch;
use crate::core::vocab::strategy::Provider;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

/// How long a budget month is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MonthLength {
    /// Days in the calendar month × 24 hours.
    Calendar,
    /// A fixed number of hours (730 in the AWS calculator).
    FixedHours(Decimal),
}

/// What to budget.
#[derive(Clone, Copy, Debug)]
pub struct BudgetSpec {
    /// The first month (any day in it).
    pub start: NaiveDate,
    pub months: u32,
    /// Monthly growth as a fraction (0.03 for 3%).
    pub growth: Decimal,
    pub month_length: MonthLength,
}

/// One line of the budget.
#[derive(Clone, Debug, Serialize)]
pub struct BudgetLine {
    /// `2027-01`.
    pub month: String,
    pub month_hours: Decimal,
    pub service: String,
    pub region: String,
    pub cpu_architecture: CpuArch,
    pub operating_system_family: String,
    /// The service's `environment` tag, if any.
    pub environment: String,
    /// All tags, `key=value` joined by `;`.
    pub tags: String,
    pub provider: Provider,
    pub component: Component,
    /// vCPU-hours, GB-hours or GB-hours of storage.
    pub usage_quantity: Decimal,
    pub usage_unit: String,
    pub rate: Decimal,
    pub cost: Usd,
    pub price: Price,
}

/// The budget and its total.
#[derive(Clone, Debug, Serialize)]
pub struct Budget {
    pub lines: Vec<BudgetLine>,
    pub total: Usd,
}

/// The budget could not be priced, or its numbers outgrow exact decimals.
#[derive(Debug, thiserror::Error)]
pub enum BudgetError {
    #[error("service `{service}`: {source}")]
    Price {
        service: String,
        #[source]
        source: RateError,
    },
    /// Growth compounded over the months exceeds what a decimal holds (about 7.9 × 10^28).
    #[error(
        "the budget for {month} is too large to compute exactly: the growth compounds beyond 10^28"
    )]
    Overflow { month: String },
}

fn month_start(date: NaiveDate, offset: u32) -> Option<NaiveDate> {
    let index = date.year() * 12 + date.month0() as i32 + offset as i32;
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
}

fn days_in_month(first: NaiveDate) -> Option<i64> {
    let next = month_start(first, 1)?;
    Some((next - first).num_days())
}

/// Builds the budget for a validated plan.
pub fn build(
    plan: &Plan,
    book: &PriceBook,
    facts: &Facts,
    spec: &BudgetSpec,
) -> Result<Budget, BudgetError> {
    let mut lines = Vec::new();
    let mut growth = Decimal::ONE;
    let mut total = Decimal::ZERO;
    for m in 0..spec.months {
        let Some(first) = month_start(spec.start, m) else {
            break;
        };
        let hours = match spec.month_length {
            MonthLength::Calendar => Decimal::from(days_in_month(first).unwrap_or(30) * 24),
            MonthLength::FixedHours(h) => h,
        };
        let month = format!("{:04}-{:02}", first.year(), first.month());
        for service in &plan.services {
            let cost = price_service(
                service,
                service.arch,
                service.size,
                &service.strategy,
                hours,
                book,
                facts,
            )
            .map_err(|source| BudgetError::Price {
                service: service.name.clone(),
                source,
            })?;
            let tags = service
                .tags
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(";");
            let overflow = || BudgetError::Overflow {
                month: month.clone(),
            };
            for p in &cost.providers {
                let task_hours = p.task_hours.checked_mul(growth).ok_or_else(overflow)?;
                if task_hours.is_zero() {
                    continue;
                }
                for line in &p.rate.lines {
                    let usage_quantity =
                        line.quantity.checked_mul(task_hours).ok_or_else(overflow)?;
                    let rate = line.price.usd_per_unit;
                    let cost = usage_quantity.checked_mul(rate).ok_or_else(overflow)?;
                    total = total.checked_add(cost).ok_or_else(overflow)?;
                    lines.push(BudgetLine {
                        month: month.clone(),
                        month_hours: hours,
                        service: service.name.clone(),
                        region: service.region.clone(),
                        cpu_architecture: service.arch,
                        operating_system_family: service.os.ecs_name().to_string(),
                        environment: service.tags.get("environment").cloned().unwrap_or_default(),
                        tags: tags.clone(),
                        provider: p.provider,
                        component: line.component,
                        usage_quantity,
                        usage_unit: line.price.unit.replace("-hour", "-hours"),
                        rate,
                        cost: Usd(cost),
                        price: line.price.clone(),
                    });
                }
            }
        }
        growth = growth
            .checked_mul(Decimal::ONE + spec.growth)
            .ok_or_else(|| BudgetError::Overflow {
                month: month.clone(),
            })?;
    }
    Ok(Budget {
        lines,
        total: Usd(total),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::core::report;
    use proptest::prelude::{prop_assert_eq, proptest};

    const PLAN: &str = r#"
[plan]
region = "us-east-1"
[[service]]
name = "web"
cpu = 512
memory = 1024
desired_count = 3
tags = { environment = "prod", team = "web" }
capacity_provider_strategy = [{ capacity_provider = "FARGATE", base = 1, weight = 1 }, { capacity_provider = "FARGATE_SPOT", weight = 2 }]
[[service.container_definitions]]
name = "web"
image = "x"
[[service]]
name = "worker"
cpu = 1024
memory = 2048
ephemeral_storage = { size_in_gib = 40 }
runtime_platform = { operating_system_family = "WINDOWS_SERVER_2022_CORE" }
uptime = { time_zone = "Europe/Berlin", windows = [{ days = "mon-fri", start = "08:00", end = "20:00" }] }
[[service.container_definitions]]
name = "w"
image = "x"
"#;

    fn fixture(text: &str) -> (Plan, PriceBook, Facts) {
        let facts = crate::core::testing::facts();
        let book = crate::core::testing::book();
        let plan = crate::core::testing::plan(text);
        (plan, book, facts)
    }

    fn spec(start: &str, months: u32, growth: &str, month_length: MonthLength) -> BudgetSpec {
        BudgetSpec {
            start: NaiveDate::parse_from_str(&format!("{start}-01"), "%Y-%m-%d").unwrap(),
            months,
            growth: growth.parse().unwrap(),
            month_length,
        }
    }

    fn report_monthly(plan: &Plan, book: &PriceBook, facts: &Facts) -> Usd {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        report::build(plan, book, facts, today)
            .unwrap()
            .totals
            .plan_monthly
    }

    #[test]
    fn calendar_months_have_their_real_lengths() {
        let (plan, book, facts) = fixture(PLAN);
        let b = build(
            &plan,
            &book,
            &facts,
            &spec("2028-01", 3, "0", MonthLength::Calendar),
        )
        .unwrap();
        let hours: Vec<(String, String)> = b
            .lines
            .iter()
            .map(|l| (l.month.clone(), l.month_hours.to_string()))
            .collect();
        assert!(hours.contains(&("2028-01".into(), "744".into())));
        assert!(
            hours.contains(&("2028-02".into(), "696".into())),
            "2028 is a leap year"
        );
        assert!(hours.contains(&("2028-03".into(), "744".into())));
    }

    #[test]
    fn a_365_day_year_equals_twelve_report_months() {
        let (plan, book, facts) = fixture(PLAN);
        let b = build(
            &plan,
            &book,
            &facts,
            &spec("2027-01", 12, "0", MonthLength::Calendar),
        )
        .unwrap();
        let yearly = report_monthly(&plan, &book, &facts) * Decimal::from(12);
        assert_eq!(b.total.0.round_dp(12), yearly.0.round_dp(12));
        assert_eq!(b.total.display_cents(), yearly.display_cents());
    }

    #[test]
    fn growth_compounds_monthly() {
        let (plan, book, facts) = fixture(PLAN);
        let b = build(
            &plan,
            &book,
            &facts,
            &spec(
                "2027-01",
                3,
                "0.1",
                MonthLength::FixedHours(Decimal::from(730)),
            ),
        )
        .unwrap();
        let month_total = |m: &str| {
            b.lines
                .iter()
                .filter(|l| l.month == m)
                .map(|l| l.cost)
                .sum::<Usd>()
        };
        let base = report_monthly(&plan, &book, &facts);
        assert_eq!(month_total("2027-01").0.round_dp(12), base.0.round_dp(12));
        assert_eq!(
            month_total("2027-03").0.round_dp(12),
            (base.0 * Decimal::new(121, 2)).round_dp(12)
        );
    }

    #[test]
    fn lines_carry_component_unit_rate_and_source() {
        let (plan, book, facts) = fixture(PLAN);
        let b = build(
            &plan,
            &book,
            &facts,
            &spec(
                "2027-01",
                1,
                "0",
                MonthLength::FixedHours(Decimal::from(730)),
            ),
        )
        .unwrap();
        let storage = b
            .lines
            .iter()
            .find(|l| l.component == Component::Storage)
            .unwrap();
        assert_eq!(storage.service, "worker");
        assert_eq!(storage.usage_unit, "GB-hours");
        // 20 billable GB × 60 h/week × 730/168 hours.
        assert_eq!(
            storage.usage_quantity.round_dp(6),
            (Decimal::from(20 * 60 * 730) / Decimal::from(168)).round_dp(6)
        );
        let web = b
            .lines
            .iter()
            .find(|l| l.service == "web" && l.provider == Provider::FargateSpot)
            .unwrap();
        assert_eq!(web.environment, "prod");
        assert_eq!(web.tags, "environment=prod;team=web");
        assert!(web.price.source.contains("fargate-spot-prices.json"));
        // Windows licence is a line of its own.
        assert!(b.lines.iter().any(|l| l.component == Component::OsLicense));
    }

    proptest! {
        #[test]
        fn fixed_730_hour_months_reconcile_with_the_report(desired in 0u32..40, months in 1u32..13, base in 0u32..5, spot_weight in 0u32..5) {
            let text = PLAN.replace("desired_count = 3", &format!("desired_count = {desired}"))
                .replace("base = 1, weight = 1", &format!("base = {base}, weight = 1"))
                .replace("weight = 2", &format!("weight = {spot_weight}"));
            let (plan, book, facts) = fixture(&text);
            let b = build(&plan, &book, &facts, &spec("2027-05", months, "0", MonthLength::FixedHours(Decimal::from(730)))).unwrap();
            let expected = report_monthly(&plan, &book, &facts) * Decimal::from(months);
            prop_assert_eq!(b.total.0.round_dp(12), expected.0.round_dp(12));
            prop_assert_eq!(b.total.display_cents(), expected.display_cents());
        }
    }
}
