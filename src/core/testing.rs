//! Test support shared by the unit tests of every module: a checked plan from TOML text on the
//! embedded rules, panicking with the problems when the text is not a valid plan.

use crate::core::plan::{CheckOptions, Plan, check, parse};
use crate::core::rules::Facts;

/// The plan `text` describes, checked with default options against the embedded data.
pub fn plan(text: &str) -> Plan {
    let facts = Facts::embedded().unwrap_or_else(|e| panic!("{e}"));
    let parsed = parse(text).unwrap_or_else(|e| panic!("{e:?}"));
    check(&parsed.raw, &facts, CheckOptions::default()).unwrap_or_else(|p| panic!("{p:?}"))
}
