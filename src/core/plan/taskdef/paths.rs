//! Between a plan service and the task definition it came from: plan paths mapped to JSON paths
//! (so a plan check can name the JSON field), and the plan's own fields laid over the JSON's.

use crate::core::plan::raw::RawService;
use crate::core::vocab::problem::{FieldPath, Seg};
use serde_json::Value;
use std::collections::BTreeSet;

/// The plan service fields a task definition provides (the rest come from the plan or the CLI).
const TASKDEF_FIELDS: [&str; 10] = [
    "family",
    "cpu",
    "memory",
    "ephemeral_storage",
    "runtime_platform",
    "network_mode",
    "task_role_arn",
    "execution_role_arn",
    "container_definitions",
    "tags",
];

/// `snake_case` plan key → the ECS JSON name.
fn camel(key: &str) -> String {
    if key == "size_in_gib" {
        return "sizeInGiB".to_string();
    }
    let mut out = String::new();
    for (i, part) in key.split('_').enumerate() {
        if i == 0 {
            out.push_str(part);
        } else {
            let mut chars = part.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        }
    }
    out
}

/// The JSON path of a plan problem's path (`service[i].…`) in a task definition read with
/// `prefix`, or `None` when the field does not come from a task definition (region, desired
/// count, strategy...). The service name maps to `family`.
pub fn json_path(prefix: &FieldPath, plan_path: &FieldPath) -> Option<FieldPath> {
    let rest = match plan_path.0.as_slice() {
        [Seg::Key(s), Seg::Index(_), rest @ ..] if s == "service" => rest,
        _ => return None,
    };
    let mut out = prefix.clone();
    let Some((first, tail)) = rest.split_first() else {
        return Some(out);
    };
    let Seg::Key(first) = first else {
        return None;
    };
    let first = if first == "name" { "family" } else { first };
    if !TASKDEF_FIELDS.contains(&first) {
        return None;
    }
    out = out.key(&camel(first));
    let mut raw_next = first == "tags";
    for seg in tail {
        out = match seg {
            Seg::Index(i) => out.index(*i),
            Seg::Key(k) if raw_next => out.key(k),
            Seg::Key(k) => out.key(&camel(k)),
        };
        raw_next = matches!(seg, Seg::Key(k) if k == "options");
    }
    Some(out)
}

pub(super) fn is_unset(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// The top-level fields a plan service sets itself (not null, not empty).
pub fn fields_set(svc: &RawService) -> BTreeSet<String> {
    match serde_json::to_value(svc) {
        Ok(Value::Object(o)) => o
            .into_iter()
            .filter(|(_, v)| !is_unset(v))
            .map(|(k, _)| k)
            .collect(),
        _ => BTreeSet::new(),
    }
}

/// A plan service over a task definition: every field the plan sets replaces the task
/// definition's whole field (containers included); the rest come from the task definition.
pub fn merge(base: &RawService, over: &RawService) -> Result<RawService, String> {
    let mut merged = serde_json::to_value(base).map_err(|e| e.to_string())?;
    let over = serde_json::to_value(over).map_err(|e| e.to_string())?;
    if let (Value::Object(m), Value::Object(o)) = (&mut merged, over) {
        for (k, v) in o {
            if !is_unset(&v) {
                m.insert(k, v);
            }
        }
    }
    serde_json::from_value(merged).map_err(|e| e.to_string())
}
