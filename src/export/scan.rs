//! The summary of `scan` (on stderr): one row per service it put in the plan.

use crate::core::scan::Scan;
use comfy_table::{ContentArrangement, Table, presets};

/// The table on stderr: one row per service in the plan.
pub fn summary(cluster: &str, region: &str, scan: &Scan) -> String {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(vec![
            "service",
            "task definition",
            "task size",
            "platform",
            "desired",
            "strategy / launch type",
            "autoscaling",
        ]);
    for r in &scan.rows {
        t.add_row(vec![
            r.service.clone(),
            r.task_definition.clone(),
            r.size.clone(),
            r.platform.clone(),
            r.desired.clone(),
            r.capacity.clone(),
            r.autoscaling.clone(),
        ]);
    }
    format!(
        "cluster `{cluster}` in {region}: {} service{} in the plan{}\n{t}\n",
        scan.rows.len(),
        if scan.rows.len() == 1 { "" } else { "s" },
        if scan.skipped.is_empty() {
            String::new()
        } else {
            format!(", {} left out", scan.skipped.len())
        }
    )
}
