//! `export budget PLAN`: the month-by-month budget CSV.

use super::super::args::BudgetArgs;
use super::super::error::CliError;
use super::super::infra::load_plan;
use super::super::output::{Target, refuse_input_as_output};
use super::super::session::{self, Session, today};
use crate::core::plan::CheckOptions;
use crate::core::report::budget::{self, BudgetSpec, MonthLength};
use crate::core::rules::Facts;
use crate::export;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::str::FromStr;

/// `3%`, `3 %`, `-2%` → 0.03, 0.03, -0.02: a percentage a month, from -100% (exclusive) to
/// +100%. A bare number is refused with its readings spelled out: `3` could be 3% or 300%.
fn parse_growth(text: &str) -> Result<Decimal, CliError> {
    let t = text.trim();
    let Some(number) = t.strip_suffix('%') else {
        let hint = match Decimal::from_str(t) {
            Ok(n) if n.abs() < Decimal::ONE && !n.is_zero() => format!(
                "did you mean {}%? (as a fraction, {t} would be {}% a month)",
                n.normalize(),
                (n * Decimal::ONE_HUNDRED).normalize()
            ),
            Ok(n) => format!(
                "did you mean {}%? (a bare {t} would read as {}% a month)",
                n.normalize(),
                (n * Decimal::ONE_HUNDRED).normalize()
            ),
            Err(_) => "write a percentage such as `3%` or `-2%`".to_string(),
        };
        return Err(CliError::bad_input(format!("--growth `{text}` needs a % sign")).detail(hint));
    };
    let bad = || {
        CliError::bad_input(format!("--growth `{text}` is not a monthly growth rate"))
            .detail("write a percentage from -100% (exclusive) to 100%, such as `3%` or `-2%`")
    };
    let value = Decimal::from_str(number.trim()).map_err(|_| bad())? / Decimal::ONE_HUNDRED;
    if value <= -Decimal::ONE || value > Decimal::ONE {
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
    let target = Target::output(args.output.as_deref())?;
    refuse_input_as_output(&target, &[&args.plan])?;
    target.check()?;
    let loaded = load_plan(&args.plan, &args.taskdef, &facts, CheckOptions::default())?;
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
        assert!(parse_growth("0.03").is_err());
        assert!(parse_growth("3").is_err());
        assert_eq!(parse_growth("100%").ok(), Some(Decimal::ONE));
        assert!(parse_growth("101%").is_err());
        assert!(parse_growth("1000%").is_err());
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
