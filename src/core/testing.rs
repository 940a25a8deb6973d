//! Test support shared by the unit tests of the analyses and exporters: the embedded rules and
//! prices, and a checked plan from TOML text (panicking with the problems when it is not valid).
//! The plan and pricing floors below do not use it: they may not import what sits above them.

use crate::core::plan::{CheckOptions, Plan, check, parse};
use crate::core::pricing::PriceBook;
use crate::core::rules::Facts;

/// The plan `text` describes, checked with default options against the embedded data.
pub fn plan(text: &str) -> Plan {
    let facts = facts();
    let parsed = parse(text).unwrap_or_else(|e| panic!("{e:?}"));
    check(&parsed.raw, &facts, CheckOptions::default()).unwrap_or_else(|p| panic!("{p:?}"))
}

/// The embedded Fargate rules.
pub fn facts() -> Facts {
    Facts::embedded().unwrap_or_else(|e| panic!("{e}"))
}

/// The embedded price book.
pub fn book() -> PriceBook {
    PriceBook::embedded().unwrap_or_else(|e| panic!("{e}"))
}
