//! CSV: one row per service and a total row, amounts in cents; empty cells where an option is
//! not available.

use super::ExportError;
use crate::core::report::{OptionKind, Report};
use crate::core::vocab::money::Usd;

pub fn render(report: &Report) -> Result<Vec<u8>, ExportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "service",
        "region",
        "operating_system_family",
        "cpu_architecture",
        "cpu_units",
        "memory_mib",
        "ephemeral_storage_gib",
        "desired_count",
        "uptime",
        "strategy",
        "plan_monthly_usd",
        "plan_vs_x86_on_demand_usd",
    ];
    let option_cols = [
        "x86_on_demand_monthly_usd",
        "arm_on_demand_monthly_usd",
        "x86_spot_monthly_usd",
        "arm_spot_monthly_usd",
    ];
    header.extend(option_cols);
    w.write_record(&header)?;
    let cents = |u: Usd| u.cents().to_string();
    for s in &report.services {
        let mut row = vec![
            s.name.clone(),
            s.region.clone(),
            s.operating_system_family.clone(),
            s.cpu_architecture.ecs_name().to_string(),
            s.cpu_units.to_string(),
            s.memory_mib.to_string(),
            s.ephemeral_storage_gib.to_string(),
            s.desired_count.to_string(),
            s.uptime.clone(),
            s.plan.strategy.clone(),
            cents(s.plan.priced.monthly),
            cents(s.plan.priced.vs_x86_on_demand),
        ];
        for kind in OptionKind::ALL {
            row.push(
                s.option(kind)
                    .and_then(|o| o.priced.as_ref())
                    .map(|p| cents(p.monthly))
                    .unwrap_or_default(),
            );
        }
        w.write_record(&row)?;
    }
    let mut total = vec!["TOTAL".to_string()];
    total.extend(std::iter::repeat_n(String::new(), 9));
    total.push(cents(report.totals.plan_monthly));
    total.push(cents(report.totals.plan_vs_x86_on_demand));
    for kind in OptionKind::ALL {
        total.push(
            report
                .totals
                .options
                .get(&kind)
                .map(|u| cents(*u))
                .unwrap_or_default(),
        );
    }
    w.write_record(&total)?;
    w.flush()?;
    w.into_inner()
        .map_err(|e| ExportError::CsvFlush(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixture;

    #[test]
    fn csv_snapshot() {
        let text = String::from_utf8(render(&fixture::report()).unwrap()).unwrap();
        insta::assert_snapshot!(text);
    }

    #[test]
    fn every_row_has_the_header_width() {
        let bytes = render(&fixture::report()).unwrap();
        let mut r = csv::Reader::from_reader(bytes.as_slice());
        let width = r.headers().unwrap().len();
        let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        assert_eq!(rows.len(), 4);
        assert!(rows.iter().all(|row| row.len() == width));
    }
}
