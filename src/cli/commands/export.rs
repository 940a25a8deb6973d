//! `export budget PLAN`: the month-by-month budget CSV.

use super::super::args::BudgetArgs;
use super::super::error::CliError;
use super::super::input::load_plan;
use super::super::output::Target;
use super::super::session::{self, Session, today};
use crate::core::plan::CheckOptions;
use crate::core::report::budget::{self, BudgetSpec, MonthLength};
use crate::core::rules::Facts;
use crate::export;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::str::FromStr;

/// `3%`, `3 %` or `0.03` → 0.03; above -100%.
fn parse_growth(text: &str) -> Result<Decimal, CliError> {
    let bad = || {
        CliError::bad_input(format!("--growth `{text}` is not a growth rate")).detail("write a percentage such as `3%` or a fraction such as `0.03`; negative values shrink usage")
    };
    let t = text.trim();
    let value = match t.strip_suffix('%') {
        Some(p) => Decimal::from_str(p.trim()).map_err(|_| bad())? / Decimal::ONE_HUNDRED,
        None => Decimal::from_str(t).map_err(|_| bad())?,
    };
    if value <= -Decimal::ONE || value > Decimal::from(10) {
        return Err(bad());
    }
    Ok(value)
}

fn parse_start(text: Option<&str>) -> Result<NaiveDate, CliError> {
    match text {
        None => {
            let t = today();
            let (y, m) = if t.month() == 12 {
                (t.year() + 1, 1)
            } else {
                (t.year(), t.month() + 1)
            };
            NaiveDate::from_ymd_opt(y, m, 1)
                .ok_or_else(|| CliError::failure("cannot compute next month"))
        }
        Some(s) => {
            NaiveDate::parse_from_str(&format!("{}-01", s.trim()), "%Y-%m-%d").map_err(|_| {
                CliError::bad_input(format!("--start `{s}` is not a month"))
                    .detail("write the first month as YYYY-MM, e.g. `--start 2027-01`")
            })
        }
    }
}

fn parse_hours(text: Option<&str>, facts: &Facts) -> Result<MonthLength, CliError> {
    let max = facts.rules.billing.max_hours_per_month;
    match text {
        None => Ok(MonthLength::Calendar),
        Some(h) => match Decimal::from_str(h.trim()) {
            Ok(v) if v > Decimal::ZERO && v <= Decimal::from(max) => Ok(MonthLength::FixedHours(v)),
            _ => Err(CliError::bad_input(format!("--hours-per-month `{h}` is not a number of hours")).detail(format!("use a number above 0 and at most {max}, e.g. {} to match the AWS Pricing Calculator", facts.rules.billing.hours_per_month))),
        },
    }
}

pub fn budget(args: BudgetArgs) -> Result<(), CliError> {
    let facts = session::facts()?;
    let spec = BudgetSpec {
        start: parse_start(args.start.as_deref())?,
        months: args.months,
        growth: parse_growth(&args.growth)?,
        month_length: parse_hours(args.hours_per_month.as_deref(), &facts)?,
    };
    let target = Target::from_arg(args.output.as_deref());
    target.check()?;
    let loaded = load_plan(&args.plan, &facts, CheckOptions::default())?;
    let Session { facts, plan, books } = session::priced(facts, loaded, &args.prices, false)?;
    let budget = budget::build(&plan, &books.fargate, &facts, &spec)?;
    let bytes = export::budget::render(&budget)?;
    target.write(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_forms() {
        assert_eq!(parse_growth("3%").ok(), Some(Decimal::new(3, 2)));
        assert_eq!(parse_growth("0.03").ok(), Some(Decimal::new(3, 2)));
        assert_eq!(parse_growth("-2 %").ok(), Some(Decimal::new(-2, 2)));
        assert!(parse_growth("-100%").is_err());
        assert!(parse_growth("fast").is_err());
    }

    #[test]
    fn start_and_hours() {
        assert_eq!(
            parse_start(Some("2027-01")).ok(),
            NaiveDate::from_ymd_opt(2027, 1, 1)
        );
        assert!(parse_start(Some("2027-13")).is_err());
        let facts = Facts::embedded().unwrap();
        assert!(parse_hours(Some("0"), &facts).is_err());
        assert_eq!(
            parse_hours(Some("730"), &facts).ok(),
            Some(MonthLength::FixedHours(Decimal::from(730)))
        );
    }
}
