//! Terraform plan JSON (`terraform show -json plan.out`, HashiCorp's "JSON Output Format") →
//! plan services, before or after the change.
//!
//! `resource_changes` holds every resource of the root and child modules with its prior
//! (`before`) and planned (`after`) values and, in `after_unknown`, the attributes known only
//! after apply. `aws_ecs_service` resources become services; a service's task definition is found
//! through `configuration` (the `task_definition` expression's references), else by family;
//! `aws_appautoscaling_target` / `_policy` are tied to their service the same way or by
//! `resource_id`. A value known only after apply where a price depends on it is a problem at
//! `<address>.<attribute>`, never a zero. Pure: text in, services or problems out.

mod config;
mod service;
#[cfg(test)]
mod tests;

use crate::core::plan::imported::{Imported, SourceKind};
use crate::core::rules::Facts;
use crate::core::vocab::problem::{FieldPath, Problem};
use serde_json::Value;

/// Which values of the plan to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The prior state (`change.before`).
    Before,
    /// The planned values (`change.after`, with `after_unknown`).
    After,
}

/// One resource's values on a side.
#[derive(Clone, Debug)]
pub(crate) struct Res<'a> {
    pub address: String,
    /// `module.a.module.b` or empty for the root module.
    pub module: String,
    pub ty: String,
    pub values: &'a Value,
    /// `after_unknown` (After side only): `true` where the value is known only after apply.
    pub unknown: Option<&'a Value>,
}

/// Whether a JSON document is Terraform plan or state JSON.
pub fn looks_like(doc: &Value) -> bool {
    doc.get("format_version").is_some()
        && (doc.get("resource_changes").is_some()
            || doc.get("planned_values").is_some()
            || doc.get("values").is_some()
            || doc.get("terraform_version").is_some())
}

/// Reads a plan's `side`. `Err` when the text is not Terraform plan JSON.
pub fn parse(text: &str, side: Side, facts: &Facts) -> Result<Imported, Vec<Problem>> {
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        vec![
            Problem::new(
                FieldPath::root(),
                format!(
                    "not valid JSON (line {}, column {}): {e}",
                    e.line(),
                    e.column()
                ),
            )
            .fix("save the plan as JSON: `terraform plan -out plan.out && terraform show -json plan.out > plan.json`"),
        ]
    })?;
    if !looks_like(&doc) {
        return Err(vec![
            Problem::new(
                FieldPath::root().key("format_version"),
                "not Terraform plan JSON (no `format_version` and `resource_changes`)",
            )
            .fix("give the output of `terraform show -json plan.out`"),
        ]);
    }
    let resources = resources(&doc, side);
    let mut out = service::services(&doc, &resources, side, facts);
    out.region = config::region(&doc);
    Ok(out)
}

/// `module.a.aws_x.y[0]` → `module.a`.
fn module_of(address: &str) -> String {
    let mut parts = Vec::new();
    let mut rest = address;
    while let Some(after) = rest.strip_prefix("module.") {
        let end = after.find('.').unwrap_or(after.len());
        parts.push(format!("module.{}", &after[..end]));
        rest = after.get(end + 1..).unwrap_or("");
    }
    parts.join(".")
}

/// Every managed resource on `side`: from `resource_changes`, else (state JSON, a plan without
/// changes) from `planned_values` / `values`.
fn resources(doc: &Value, side: Side) -> Vec<Res<'_>> {
    let mut out = Vec::new();
    if let Some(changes) = doc.get("resource_changes").and_then(Value::as_array) {
        for rc in changes {
            if rc.get("mode").and_then(Value::as_str) == Some("data") {
                continue;
            }
            let Some(change) = rc.get("change") else {
                continue;
            };
            let (values, unknown) = match side {
                Side::Before => (change.get("before"), None),
                Side::After => (change.get("after"), change.get("after_unknown")),
            };
            let Some(values) = values.filter(|v| v.is_object()) else {
                continue;
            };
            let address = text(rc, "address");
            out.push(Res {
                module: module_of(&address),
                address,
                ty: text(rc, "type"),
                values,
                unknown,
            });
        }
        return out;
    }
    let root = match side {
        Side::After => doc.get("planned_values").or_else(|| doc.get("values")),
        Side::Before => doc.get("prior_state").and_then(|s| s.get("values")),
    }
    .and_then(|v| v.get("root_module"));
    if let Some(m) = root {
        module_resources(m, &mut out);
    }
    out
}

/// A string field of a plan document, empty when absent.
fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn module_resources<'a>(m: &'a Value, out: &mut Vec<Res<'a>>) {
    for r in m
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if r.get("mode").and_then(Value::as_str) == Some("data") {
            continue;
        }
        let address = text(r, "address");
        if let Some(values) = r.get("values") {
            out.push(Res {
                module: module_of(&address),
                address,
                ty: text(r, "type"),
                values,
                unknown: None,
            });
        }
    }
    for c in m
        .get("child_modules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        module_resources(c, out);
    }
}

/// `SourceKind` of this reader.
pub const KIND: SourceKind = SourceKind::Terraform;
