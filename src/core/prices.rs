//! The price book: Fargate list prices by region and dimension, each with its source and date.
//!
//! The embedded snapshot is `data/prices.csv`. A missing price is an error that names the region
//! and dimension and says how to get it; it is never a zero.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::core::facts::DataError;

const EMBEDDED_PRICES_CSV: &str = include_str!("../../data/prices.csv");

/// A priced dimension of Fargate usage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    LinuxX86VcpuHour,
    LinuxX86GbHour,
    LinuxArmVcpuHour,
    LinuxArmGbHour,
    WindowsVcpuHour,
    WindowsGbHour,
    WindowsOsLicenseVcpuHour,
    EphemeralStorageGbHour,
    SpotX86VcpuHour,
    SpotX86GbHour,
    SpotArmVcpuHour,
    SpotArmGbHour,
}

/// What each dimension is, as data: its id in price files, its unit and the AWS usage type
/// (after the region prefix) that bills it.
pub struct DimensionInfo {
    pub dimension: Dimension,
    pub id: &'static str,
    pub unit: &'static str,
    pub usage_type: &'static str,
    pub description: &'static str,
}

/// Source: AWS Price List, ServiceCode AmazonECS (usage types), and the Fargate Spot price feed /
/// bills (`SpotUsage-` usage types). See shared facts/fargate.md §2.
pub const DIMENSIONS: &[DimensionInfo] = &[
    DimensionInfo {
        dimension: Dimension::LinuxX86VcpuHour,
        id: "linux_x86_vcpu_hour",
        unit: "vCPU-hour",
        usage_type: "Fargate-vCPU-Hours:perCPU",
        description: "Linux/X86_64 vCPU",
    },
    DimensionInfo {
        dimension: Dimension::LinuxX86GbHour,
        id: "linux_x86_gb_hour",
        unit: "GB-hour",
        usage_type: "Fargate-GB-Hours",
        description: "Linux/X86_64 memory",
    },
    DimensionInfo {
        dimension: Dimension::LinuxArmVcpuHour,
        id: "linux_arm_vcpu_hour",
        unit: "vCPU-hour",
        usage_type: "Fargate-ARM-vCPU-Hours:perCPU",
        description: "Linux/ARM64 vCPU",
    },
    DimensionInfo {
        dimension: Dimension::LinuxArmGbHour,
        id: "linux_arm_gb_hour",
        unit: "GB-hour",
        usage_type: "Fargate-ARM-GB-Hours",
        description: "Linux/ARM64 memory",
    },
    DimensionInfo {
        dimension: Dimension::WindowsVcpuHour,
        id: "windows_vcpu_hour",
        unit: "vCPU-hour",
        usage_type: "Fargate-Windows-vCPU-Hours:perCPU",
        description: "Windows vCPU",
    },
    DimensionInfo {
        dimension: Dimension::WindowsGbHour,
        id: "windows_gb_hour",
        unit: "GB-hour",
        usage_type: "Fargate-Windows-GB-Hours",
        description: "Windows memory",
    },
    DimensionInfo {
        dimension: Dimension::WindowsOsLicenseVcpuHour,
        id: "windows_os_license_vcpu_hour",
        unit: "vCPU-hour",
        usage_type: "Fargate-Windows-OS-Hours:perCPU",
        description: "Windows OS licence",
    },
    DimensionInfo {
        dimension: Dimension::EphemeralStorageGbHour,
        id: "ephemeral_storage_gb_hour",
        unit: "GB-hour",
        usage_type: "Fargate-EphemeralStorage-GB-Hours",
        description: "ephemeral storage above 20 GiB",
    },
    DimensionInfo {
        dimension: Dimension::SpotX86VcpuHour,
        id: "spot_x86_vcpu_hour",
        unit: "vCPU-hour",
        usage_type: "SpotUsage-Fargate-vCPU-Hours:perCPU",
        description: "Spot Linux/X86_64 vCPU",
    },
    DimensionInfo {
        dimension: Dimension::SpotX86GbHour,
        id: "spot_x86_gb_hour",
        unit: "GB-hour",
        usage_type: "SpotUsage-Fargate-GB-Hours",
        description: "Spot Linux/X86_64 memory",
    },
    DimensionInfo {
        dimension: Dimension::SpotArmVcpuHour,
        id: "spot_arm_vcpu_hour",
        unit: "vCPU-hour",
        usage_type: "SpotUsage-Fargate-ARM-vCPU-Hours:perCPU",
        description: "Spot Linux/ARM64 vCPU",
    },
    DimensionInfo {
        dimension: Dimension::SpotArmGbHour,
        id: "spot_arm_gb_hour",
        unit: "GB-hour",
        usage_type: "SpotUsage-Fargate-ARM-GB-Hours",
        description: "Spot Linux/ARM64 memory",
    },
];

impl Dimension {
    pub fn info(self) -> &'static DimensionInfo {
        // DIMENSIONS lists the variants in declaration order; `every_dimension_is_described_once`
        // checks it.
        &DIMENSIONS[self as usize]
    }

    pub fn id(self) -> &'static str {
        self.info().id
    }

    pub fn all() -> impl Iterator<Item = Dimension> {
        DIMENSIONS.iter().map(|d| d.dimension)
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Dimension {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        DIMENSIONS
            .iter()
            .find(|d| d.id == s)
            .map(|d| d.dimension)
            .ok_or_else(|| {
                let ids: Vec<&str> = DIMENSIONS.iter().map(|d| d.id).collect();
                format!("unknown price dimension `{s}`; known: {}", ids.join(", "))
            })
    }
}

/// Where a price came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// The snapshot embedded in this binary (`data/prices.csv`).
    Embedded,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Embedded => f.write_str("embedded snapshot"),
        }
    }
}

/// One price with its provenance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Price {
    pub region: String,
    pub dimension: Dimension,
    #[serde(with = "rust_decimal::serde::str")]
    pub usd_per_unit: Decimal,
    pub unit: String,
    pub as_of: NaiveDate,
    pub source: String,
    pub origin: Origin,
}

impl Price {
    /// Older than a year on `today`.
    pub fn is_stale(&self, today: NaiveDate) -> bool {
        (today - self.as_of).num_days() > 365
    }
}

/// A price the book does not have.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "no `{dimension}` price for region `{region}` in the price book{known}; \
     see `fargate-planner prices show --region {region}` for what is known"
)]
pub struct MissingPrice {
    pub region: String,
    pub dimension: Dimension,
    known: String,
}

/// Prices keyed by region and dimension.
#[derive(Clone, Debug, Default)]
pub struct PriceBook {
    prices: BTreeMap<(String, Dimension), Price>,
}

#[derive(Deserialize)]
struct CsvRow {
    region: String,
    dimension: String,
    usd_per_unit: String,
    unit: String,
    as_of: String,
    source: String,
}

impl PriceBook {
    /// The snapshot embedded in the binary.
    pub fn embedded() -> Result<PriceBook, DataError> {
        PriceBook::from_csv("data/prices.csv", EMBEDDED_PRICES_CSV, Origin::Embedded)
    }

    /// Reads a price table in the `region,dimension,usd_per_unit,unit,as_of,source` layout.
    pub fn from_csv(file: &str, text: &str, origin: Origin) -> Result<PriceBook, DataError> {
        let err = |line: u64, message: String| DataError {
            file: file.to_string(),
            message: format!("line {line}: {message}"),
        };
        let mut book = PriceBook::default();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().map_err(|e| err(1, e.to_string()))?.clone();
        for record in reader.records() {
            let record =
                record.map_err(|e| err(e.position().map_or(0, |p| p.line()), e.to_string()))?;
            let line = record.position().map_or(0, |p| p.line());
            let row: CsvRow = record
                .deserialize(Some(&headers))
                .map_err(|e| err(line, e.to_string()))?;
            let dimension = Dimension::from_str(&row.dimension).map_err(|e| err(line, e))?;
            let usd_per_unit = Decimal::from_str(&row.usd_per_unit)
                .map_err(|e| err(line, format!("price `{}`: {e}", row.usd_per_unit)))?;
            if usd_per_unit <= Decimal::ZERO {
                return Err(err(
                    line,
                    format!("price `{}` is not positive", row.usd_per_unit),
                ));
            }
            let as_of = NaiveDate::parse_from_str(&row.as_of, "%Y-%m-%d")
                .map_err(|e| err(line, format!("date `{}`: {e}", row.as_of)))?;
            if row.unit != dimension.info().unit {
                return Err(err(
                    line,
                    format!(
                        "unit `{}` for {dimension}, expected `{}`",
                        row.unit,
                        dimension.info().unit
                    ),
                ));
            }
            let key = (row.region.clone(), dimension);
            if book.prices.contains_key(&key) {
                return Err(err(
                    line,
                    format!("duplicate price for {} {dimension}", row.region),
                ));
            }
            book.prices.insert(
                key,
                Price {
                    region: row.region,
                    dimension,
                    usd_per_unit,
                    unit: row.unit,
                    as_of,
                    source: row.source,
                    origin: origin.clone(),
                },
            );
        }
        Ok(book)
    }

    pub fn insert(&mut self, price: Price) {
        self.prices
            .insert((price.region.clone(), price.dimension), price);
    }

    pub fn get(&self, region: &str, dimension: Dimension) -> Result<&Price, MissingPrice> {
        self.prices
            .get(&(region.to_string(), dimension))
            .ok_or_else(|| {
                let known: Vec<&str> = self.in_region(region).map(|p| p.dimension.id()).collect();
                MissingPrice {
                    region: region.to_string(),
                    dimension,
                    known: if self.has_region(region) {
                        format!(" (it has {} for this region)", known.join(", "))
                    } else {
                        " (the region is not in it at all)".to_string()
                    },
                }
            })
    }

    pub fn has(&self, region: &str, dimension: Dimension) -> bool {
        self.prices.contains_key(&(region.to_string(), dimension))
    }

    pub fn has_region(&self, region: &str) -> bool {
        self.prices.keys().any(|(r, _)| r == region)
    }

    pub fn regions(&self) -> Vec<&str> {
        let mut regions: Vec<&str> = self.prices.keys().map(|(r, _)| r.as_str()).collect();
        regions.dedup();
        regions
    }

    pub fn in_region<'a>(&'a self, region: &'a str) -> impl Iterator<Item = &'a Price> + 'a {
        self.prices.values().filter(move |p| p.region == region)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Price> {
        self.prices.values()
    }

    pub fn len(&self) -> usize {
        self.prices.len()
    }

    pub fn is_empty(&self) -> bool {
        self.prices.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dimension_is_described_once() {
        for d in Dimension::all() {
            assert_eq!(d.info().dimension, d);
            assert_eq!(Dimension::from_str(d.id()), Ok(d));
        }
        assert_eq!(DIMENSIONS.len(), 12);
    }

    #[test]
    fn embedded_snapshot_has_the_reference_prices() {
        let book = PriceBook::embedded().unwrap();
        let p = book.get("us-east-1", Dimension::LinuxX86VcpuHour).unwrap();
        assert_eq!(p.usd_per_unit.to_string(), "0.04048");
        assert_eq!(p.as_of.to_string(), "2026-09-11");
        assert!(p.source.contains("AmazonECS"));
        assert_eq!(
            book.get("us-east-1", Dimension::LinuxArmGbHour)
                .unwrap()
                .usd_per_unit
                .to_string(),
            "0.00356"
        );
        assert_eq!(book.len(), 141);
    }

    #[test]
    fn a_missing_price_names_region_and_dimension() {
        let book = PriceBook::embedded().unwrap();
        let err = book
            .get("eu-west-3", Dimension::LinuxArmVcpuHour)
            .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("linux_arm_vcpu_hour") && msg.contains("eu-west-3"),
            "{msg}"
        );
        let err = book
            .get("mars-north-1", Dimension::LinuxX86VcpuHour)
            .unwrap_err();
        assert!(err.to_string().contains("not in it at all"));
    }

    #[test]
    fn bad_rows_are_rejected() {
        let header = "region,dimension,usd_per_unit,unit,as_of,source\n";
        for row in [
            "us-east-1,linux_x86_vcpu_hour,0,vCPU-hour,2026-01-01,x",
            "us-east-1,linux_x86_vcpu_hour,abc,vCPU-hour,2026-01-01,x",
            "us-east-1,linux_x86_vcpu_hour,0.1,GB-hour,2026-01-01,x",
            "us-east-1,gpu_hour,0.1,vCPU-hour,2026-01-01,x",
            "us-east-1,linux_x86_vcpu_hour,0.1,vCPU-hour,yesterday,x",
        ] {
            assert!(
                PriceBook::from_csv("t.csv", &format!("{header}{row}\n"), Origin::Embedded)
                    .is_err(),
                "{row}"
            );
        }
    }

    #[test]
    fn staleness_is_one_year() {
        let book = PriceBook::embedded().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert!(
            !book
                .get("us-east-1", Dimension::LinuxX86VcpuHour)
                .unwrap()
                .is_stale(today)
        );
        assert!(
            book.get("us-east-2", Dimension::SpotX86VcpuHour)
                .unwrap()
                .is_stale(today)
        );
    }
}
