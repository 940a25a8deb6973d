//! Compute Savings Plans rates for Fargate, each with its source and date: the discounted rates
//! `recommend` sizes a Savings Plan with, kept apart from the on-demand price book.

use crate::core::pricing::Origin;
use crate::core::rules::DataError;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

const EMBEDDED_SAVINGS_CSV: &str = include_str!("../../../data/savings-plans.csv");

/// One Compute Savings Plans rate for Fargate: what an hour of vCPU or memory costs under a plan.
///
/// Kept beside the price book rather than in it because a plan rate is not a price of its own
/// dimension but a discounted rate of an on-demand one, keyed also by plan and architecture.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavingsRate {
    pub region: String,
    /// `compute_<1|3>yr_<no|partial|all>_upfront`, from the offer's `ComputeSP:1yrNoUpfront`.
    pub plan: String,
    /// `X86_64` or `ARM64` (Linux).
    pub architecture: String,
    /// `vcpu_hour` or `gb_hour`.
    pub dimension: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub usd_per_unit: Decimal,
    pub unit: String,
    pub as_of: NaiveDate,
    pub source: String,
    pub origin: Origin,
}

/// The plans, architectures and dimensions a [`SavingsRate`] may have.
pub const SAVINGS_PLANS: &[&str] = &[
    "compute_1yr_no_upfront",
    "compute_1yr_partial_upfront",
    "compute_1yr_all_upfront",
    "compute_3yr_no_upfront",
    "compute_3yr_partial_upfront",
    "compute_3yr_all_upfront",
];
pub const SAVINGS_ARCHITECTURES: &[&str] = &["X86_64", "ARM64"];
/// (dimension, unit)
pub const SAVINGS_DIMENSIONS: &[(&str, &str)] =
    &[("vcpu_hour", "vCPU-hour"), ("gb_hour", "GB-hour")];

type SavingsKey = (String, String, String, String);

/// Compute Savings Plans rates for Fargate by region, plan, architecture and dimension.
#[derive(Clone, Debug, Default)]
pub struct SavingsRates {
    rates: BTreeMap<SavingsKey, SavingsRate>,
}

#[derive(Deserialize)]
struct SavingsCsvRow {
    region: String,
    plan: String,
    architecture: String,
    dimension: String,
    usd_per_unit: String,
    unit: String,
    as_of: String,
    source: String,
}

impl SavingsRates {
    /// The rates embedded in the binary (`data/savings-plans.csv`).
    pub fn embedded() -> Result<SavingsRates, DataError> {
        SavingsRates::from_csv(
            "data/savings-plans.csv",
            EMBEDDED_SAVINGS_CSV,
            Origin::Embedded,
        )
    }

    /// Reads the `region,plan,architecture,dimension,usd_per_unit,unit,as_of,source` layout.
    pub fn from_csv(file: &str, text: &str, origin: Origin) -> Result<SavingsRates, DataError> {
        let err = |line: u64, message: String| DataError::at(file, line, message);
        let mut rates = SavingsRates::default();
        for (line, row) in crate::core::rules::csv_rows::<SavingsCsvRow>(file, text)? {
            let usd_per_unit = Decimal::from_str(&row.usd_per_unit)
                .map_err(|e| err(line, format!("rate `{}`: {e}", row.usd_per_unit)))?;
            let as_of = NaiveDate::parse_from_str(&row.as_of, "%Y-%m-%d")
                .map_err(|e| err(line, format!("date `{}`: {e}", row.as_of)))?;
            let rate = SavingsRate {
                region: row.region,
                plan: row.plan,
                architecture: row.architecture,
                dimension: row.dimension,
                usd_per_unit,
                unit: row.unit,
                as_of,
                source: row.source,
                origin: origin.clone(),
            };
            rate.validate().map_err(|m| err(line, m))?;
            let key = SavingsRates::key(&rate);
            if rates.rates.contains_key(&key) {
                return Err(err(
                    line,
                    format!("duplicate rate for {} {} {} {}", key.0, key.1, key.2, key.3),
                ));
            }
            rates.rates.insert(key, rate);
        }
        Ok(rates)
    }

    fn key(r: &SavingsRate) -> SavingsKey {
        (
            r.region.clone(),
            r.plan.clone(),
            r.architecture.clone(),
            r.dimension.clone(),
        )
    }

    pub fn insert(&mut self, rate: SavingsRate) {
        self.rates.insert(SavingsRates::key(&rate), rate);
    }

    pub fn get(
        &self,
        region: &str,
        plan: &str,
        architecture: &str,
        dimension: &str,
    ) -> Option<&SavingsRate> {
        self.rates.get(&(
            region.to_string(),
            plan.to_string(),
            architecture.to_string(),
            dimension.to_string(),
        ))
    }

    pub fn iter(&self) -> impl Iterator<Item = &SavingsRate> {
        self.rates.values()
    }

    pub fn len(&self) -> usize {
        self.rates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rates.is_empty()
    }

    /// Lays `top` over these rates: every region `top` has rates for is replaced whole.
    pub fn overlay(&mut self, top: &SavingsRates) {
        let regions: BTreeSet<&str> = top.rates.keys().map(|k| k.0.as_str()).collect();
        self.rates.retain(|k, _| !regions.contains(k.0.as_str()));
        for r in top.iter() {
            self.insert(r.clone());
        }
    }
}

impl SavingsRate {
    /// Checks plan, architecture, dimension, unit and a positive rate.
    pub fn validate(&self) -> Result<(), String> {
        if !SAVINGS_PLANS.contains(&self.plan.as_str()) {
            return Err(format!(
                "plan `{}`; known: {}",
                self.plan,
                SAVINGS_PLANS.join(", ")
            ));
        }
        if !SAVINGS_ARCHITECTURES.contains(&self.architecture.as_str()) {
            return Err(format!(
                "architecture `{}`; expected X86_64 or ARM64",
                self.architecture
            ));
        }
        match SAVINGS_DIMENSIONS
            .iter()
            .find(|(d, _)| *d == self.dimension)
        {
            None => {
                return Err(format!(
                    "dimension `{}`; expected vcpu_hour or gb_hour",
                    self.dimension
                ));
            }
            Some((_, unit)) if *unit != self.unit => {
                return Err(format!(
                    "unit `{}` for {}, expected `{unit}`",
                    self.unit, self.dimension
                ));
            }
            Some(_) => {}
        }
        if self.usd_per_unit <= Decimal::ZERO {
            return Err(format!("rate `{}` is not positive", self.usd_per_unit));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_savings_rates_load_and_overlay_by_region() {
        let mut rates = SavingsRates::embedded().unwrap();
        assert_eq!(rates.len(), 10);
        let r = rates
            .get("us-east-1", "compute_3yr_no_upfront", "X86_64", "gb_hour")
            .unwrap()
            .clone();
        assert_eq!(r.usd_per_unit.to_string(), "0.00244475");
        let mut top = SavingsRates::default();
        let mut new = r.clone();
        new.plan = "compute_1yr_partial_upfront".into();
        top.insert(new);
        rates.overlay(&top);
        assert_eq!(rates.len(), 1);
        let mut bad = r.clone();
        bad.architecture = "RISCV".into();
        assert!(bad.validate().is_err());
    }
}
