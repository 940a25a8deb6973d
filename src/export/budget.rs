//! The budget as a tidy CSV: one row per month × service × provider × component.
//!
//! `cost_usd` keeps ten decimals so that a spreadsheet's SUM of the column rounds to the same cents
//! as the report; `usage_quantity` is in `usage_unit`, priced at `rate_usd` from `price_source`.

use super::ExportError;
use crate::core::report::budget::Budget;

pub const HEADER: [&str; 18] = [
    "month",
    "month_hours",
    "service",
    "region",
    "cpu_architecture",
    "operating_system_family",
    "environment",
    "tags",
    "provider",
    "component",
    "usage_quantity",
    "usage_unit",
    "rate_usd",
    "cost_usd",
    "price_dimension",
    "price_as_of",
    "price_origin",
    "price_source",
];

pub fn render(budget: &Budget) -> Result<Vec<u8>, ExportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER)?;
    for l in &budget.lines {
        w.write_record([
            l.month.clone(),
            l.month_hours.normalize().to_string(),
            l.service.clone(),
            l.region.clone(),
            l.cpu_architecture.ecs_name().to_string(),
            l.operating_system_family.clone(),
            l.environment.clone(),
            l.tags.clone(),
            l.provider.name().to_string(),
            l.component.label().to_string(),
            l.usage_quantity.round_dp(6).normalize().to_string(),
            l.usage_unit.clone(),
            l.rate.normalize().to_string(),
            l.cost.0.round_dp(10).normalize().to_string(),
            l.price.dimension.id().to_string(),
            l.price.as_of.to_string(),
            l.price.origin.to_string(),
            l.price.source.clone(),
        ])?;
    }
    w.flush()?;
    w.into_inner()
        .map_err(|e| ExportError::CsvFlush(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::report::budget::{BudgetSpec, MonthLength, build};

    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    fn budget() -> Budget {
        let facts = crate::core::testing::facts();
        let book = crate::core::testing::book();
        let text = "[plan]\nregion = \"us-east-1\"\n[[service]]\nname = \"web\"\ncpu = 512\nmemory = 1024\ndesired_count = 2\ntags = { environment = \"prod\" }\ncapacity_provider_strategy = [{ capacity_provider = \"FARGATE\", base = 1, weight = 0 }, { capacity_provider = \"FARGATE_SPOT\", weight = 1 }]\n[[service.container_definitions]]\nname = \"web\"\nimage = \"x\"\n";
        let plan = crate::core::testing::plan(text);
        let spec = BudgetSpec {
            start: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            months: 2,
            growth: Decimal::new(3, 2),
            month_length: MonthLength::Calendar,
        };
        build(&plan, &book, &facts, &spec).unwrap()
    }

    #[test]
    fn budget_csv_snapshot() {
        insta::assert_snapshot!(String::from_utf8(render(&budget()).unwrap()).unwrap());
    }

    #[test]
    fn column_sum_rounds_to_the_budget_total() {
        let b = budget();
        let bytes = render(&b).unwrap();
        let mut r = csv::Reader::from_reader(bytes.as_slice());
        let col = r
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "cost_usd")
            .unwrap();
        let sum: Decimal = r
            .records()
            .map(|x| x.unwrap()[col].parse::<Decimal>().unwrap())
            .sum();
        assert_eq!(
            crate::core::vocab::money::Usd(sum).display_cents(),
            b.total.display_cents()
        );
        assert_eq!(b.lines.len(), 8, "2 months × 2 providers × (vCPU, memory)");
    }
}
