//! The price book: Fargate list prices by region and dimension, each with its source and date.
//!
//! The embedded snapshot is `data/prices.csv`. A missing price is an error that names the region
//! and dimension and says how to get it; it is never a zero.

pub mod coverage;
pub mod csv_out;
pub mod ec2;
pub mod eks;
pub mod lambda;
pub mod parse;
pub mod savings;

pub use savings::{
    SAVINGS_ARCHITECTURES, SAVINGS_DIMENSIONS, SAVINGS_PLANS, SavingsRate, SavingsRates,
};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use crate::core::rules::DataError;

const EMBEDDED_PRICES_CSV: &str = include_str!("../../../data/prices.csv");

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
/// bills (`SpotUsage-` usage types). See the AmazonECS offer in the AWS Price List API.
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

/// Where a price came from. Every variant but `Embedded` records when it was retrieved, so a
/// cache can say how old it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// The snapshot embedded in this binary (`data/prices.csv`).
    Embedded,
    /// GetProducts on the AWS Price List Query API, at this time.
    PriceListApi { fetched_at: DateTime<Utc> },
    /// The public Fargate Spot price feed, by its `source:version`.
    SpotFeed {
        version: String,
        fetched_at: DateTime<Utc>,
    },
    /// A file the user imported (bulk offer file, saved Spot feed, Savings Plans offer file).
    Imported {
        file: String,
        published: Option<String>,
        imported_at: DateTime<Utc>,
    },
}

impl Origin {
    /// When the price was retrieved; `None` for the embedded snapshot.
    pub fn retrieved_at(&self) -> Option<DateTime<Utc>> {
        match self {
            Origin::Embedded => None,
            Origin::PriceListApi { fetched_at } | Origin::SpotFeed { fetched_at, .. } => {
                Some(*fetched_at)
            }
            Origin::Imported { imported_at, .. } => Some(*imported_at),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Embedded => f.write_str("embedded snapshot"),
            Origin::PriceListApi { fetched_at } => {
                write!(f, "Price List API {}", fetched_at.format("%Y-%m-%dT%H:%MZ"))
            }
            Origin::SpotFeed { version, .. } => write!(f, "Spot feed {version}"),
            Origin::Imported {
                file, published, ..
            } => match published {
                Some(date) => write!(f, "imported {file} (published {date})"),
                None => write!(f, "imported {file}"),
            },
        }
    }
}

/// On-demand and Spot prices come from different sources (the Price List and the Spot feed), so a
/// newer source replaces an older one family by family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    OnDemand,
    Spot,
}

impl Dimension {
    pub fn family(self) -> Family {
        match self {
            Dimension::SpotX86VcpuHour
            | Dimension::SpotX86GbHour
            | Dimension::SpotArmVcpuHour
            | Dimension::SpotArmGbHour => Family::Spot,
            _ => Family::OnDemand,
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
        is_stale(self.as_of, today)
    }
}

/// A price is flagged as old when its as-of date is more than this many days before the report
/// date: the one staleness rule of every book.
pub const STALE_AFTER_DAYS: i64 = 365;

/// Older than [`STALE_AFTER_DAYS`] on `today`.
pub fn is_stale(as_of: NaiveDate, today: NaiveDate) -> bool {
    (today - as_of).num_days() > STALE_AFTER_DAYS
}

/// The most a Fargate, Lambda, EKS or Savings Plans price may be per unit (vCPU-hour, GB-hour,
/// GB-second, request, cluster-hour): about 100 times the dearest real one (Windows vCPU-hours
/// and the EKS extended-support fee are below $1). A price outside (0, this] in an imported or
/// fetched document is refused, so the cache never holds a value that would overflow a budget.
pub const MAX_PLAUSIBLE_USD_PER_UNIT: Decimal = Decimal::from_parts(10, 0, 0, false, 0);

/// `Err` with the reason when `usd` is not a plausible list price (see
/// [`MAX_PLAUSIBLE_USD_PER_UNIT`]).
pub fn check_plausible(usd: Decimal) -> Result<(), String> {
    if usd <= Decimal::ZERO || usd > MAX_PLAUSIBLE_USD_PER_UNIT {
        return Err(format!(
            "price {usd} is outside the plausible range (0, {MAX_PLAUSIBLE_USD_PER_UNIT}] USD per unit"
        ));
    }
    Ok(())
}

/// The command that refreshes the prices of these regions (Price List API and Spot feed), for
/// every message that flags an old or missing price.
pub fn refresh_command<'a>(regions: impl IntoIterator<Item = &'a str>) -> String {
    let mut regions: Vec<&str> = regions.into_iter().collect();
    regions.sort_unstable();
    regions.dedup();
    let mut cmd = String::from("fargate-planner prices fetch");
    for r in regions {
        cmd.push_str(" --region ");
        cmd.push_str(r);
    }
    cmd
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
        let err = |line: u64, message: String| DataError::at(file, line, message);
        let mut book = PriceBook::default();
        for (line, row) in crate::core::rules::csv_rows::<CsvRow>(file, text)? {
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

    /// The (region, family) pairs this book has at least one price for.
    pub fn coverage(&self) -> BTreeSet<(String, Family)> {
        self.prices
            .keys()
            .map(|(r, d)| (r.clone(), d.family()))
            .collect()
    }

    /// Lays `top` over this book. For every region and family that `top` has any price in, this
    /// book's prices of that region and family are dropped first, so a newer source replaces an
    /// older one whole: when a newer Spot feed has no ARM prices for a region, ARM Spot is gone
    /// from that region rather than kept from an older snapshot. Other regions and families are
    /// kept.
    pub fn overlay(&mut self, top: &PriceBook) {
        let covered = top.coverage();
        self.prices
            .retain(|(r, d), _| !covered.contains(&(r.clone(), d.family())));
        for p in top.iter() {
            self.insert(p.clone());
        }
    }

    /// This book with `top` laid over it; see [`PriceBook::overlay`].
    pub fn overlaid(mut self, top: &PriceBook) -> PriceBook {
        self.overlay(top);
        self
    }

    /// The prices outside the plausible range, as `region dimension: reason`.
    pub fn implausible(&self) -> Vec<String> {
        self.prices
            .values()
            .filter_map(|p| {
                check_plausible(p.usd_per_unit)
                    .err()
                    .map(|e| format!("{} {}: {e}", p.region, p.dimension))
            })
            .collect()
    }

    /// The oldest retrieval time among the prices (none for an all-embedded book).
    pub fn oldest_retrieval(&self) -> Option<DateTime<Utc>> {
        self.prices
            .values()
            .filter_map(|p| p.origin.retrieved_at())
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_priced_region_is_a_fargate_region_of_the_rules() {
        let facts = crate::core::rules::Facts::embedded().unwrap();
        let book = PriceBook::embedded().unwrap();
        for region in book.regions() {
            assert!(
                facts.rules.regions.fargate.iter().any(|r| r == region),
                "{region} is priced but not in data/fargate-rules.toml [regions]"
            );
        }
    }

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
        assert_eq!(book.len(), 336);
        assert_eq!(book.regions().len(), 36);
    }

    #[test]
    fn a_missing_price_names_region_and_dimension() {
        let book = PriceBook::embedded().unwrap();
        let err = book
            .get("ap-east-2", Dimension::WindowsVcpuHour)
            .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("windows_vcpu_hour") && msg.contains("ap-east-2"),
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

    fn price(region: &str, d: Dimension, usd: &str, origin: Origin) -> Price {
        Price {
            region: region.to_string(),
            dimension: d,
            usd_per_unit: Decimal::from_str(usd).unwrap(),
            unit: d.info().unit.to_string(),
            as_of: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            source: "test".to_string(),
            origin,
        }
    }

    #[test]
    fn origins_name_source_and_date() {
        let at: DateTime<Utc> = "2026-11-26T10:00:00Z".parse().unwrap();
        assert_eq!(
            Origin::PriceListApi { fetched_at: at }.to_string(),
            "Price List API 2026-11-26T10:00Z"
        );
        assert_eq!(
            Origin::SpotFeed {
                version: "20260928123456".into(),
                fetched_at: at
            }
            .to_string(),
            "Spot feed 20260928123456"
        );
        assert_eq!(
            Origin::Imported {
                file: "index.json".into(),
                published: Some("2026-09-11T12:44:25Z".into()),
                imported_at: at
            }
            .to_string(),
            "imported index.json (published 2026-09-11T12:44:25Z)"
        );
        assert_eq!(Origin::Embedded.retrieved_at(), None);
        let json = serde_json::to_string(&Origin::PriceListApi { fetched_at: at }).unwrap();
        assert_eq!(
            serde_json::from_str::<Origin>(&json).unwrap(),
            Origin::PriceListApi { fetched_at: at }
        );
    }

    #[test]
    fn an_overlay_replaces_each_covered_region_and_family_whole() {
        let at: DateTime<Utc> = "2026-11-26T10:00:00Z".parse().unwrap();
        let mut base = PriceBook::embedded().unwrap();
        let mut top = PriceBook::default();
        let feed = Origin::SpotFeed {
            version: "v".into(),
            fetched_at: at,
        };
        // A feed with x86 Spot only for us-east-1: ARM Spot goes away there.
        top.insert(price(
            "us-east-1",
            Dimension::SpotX86VcpuHour,
            "0.02",
            feed.clone(),
        ));
        top.insert(price("us-east-1", Dimension::SpotX86GbHour, "0.002", feed));
        assert!(base.has("us-east-1", Dimension::SpotArmVcpuHour));
        base.overlay(&top);
        assert!(!base.has("us-east-1", Dimension::SpotArmVcpuHour));
        assert_eq!(
            base.get("us-east-1", Dimension::SpotX86VcpuHour)
                .unwrap()
                .usd_per_unit
                .to_string(),
            "0.02"
        );
        // On-demand prices of the region and other regions are untouched.
        assert_eq!(
            base.get("us-east-1", Dimension::LinuxX86VcpuHour)
                .unwrap()
                .origin,
            Origin::Embedded
        );
        assert!(base.has("eu-west-1", Dimension::SpotArmVcpuHour));
        assert_eq!(base.oldest_retrieval(), Some(at));
    }

    proptest::proptest! {
        /// Whatever the layering, a (region, family) that the top book covers has exactly the
        /// top book's dimensions, and everything else is the base's.
        #[test]
        fn overlay_takes_covered_families_from_the_top(mask in 0u16..4096, pick in 0usize..12) {
            let at: DateTime<Utc> = "2026-11-26T10:00:00Z".parse().unwrap();
            let base = PriceBook::embedded().unwrap();
            let mut top = PriceBook::default();
            let dims: Vec<Dimension> = Dimension::all().collect();
            for (i, d) in dims.iter().enumerate() {
                if mask & (1 << i) != 0 || i == pick {
                    top.insert(price("us-east-1", *d, "1", Origin::PriceListApi { fetched_at: at }));
                }
            }
            let merged = base.clone().overlaid(&top);
            for d in &dims {
                let covered = top.coverage().contains(&("us-east-1".to_string(), d.family()));
                let want = if covered { top.has("us-east-1", *d) } else { base.has("us-east-1", *d) };
                proptest::prop_assert_eq!(merged.has("us-east-1", *d), want);
            }
            proptest::prop_assert_eq!(merged.in_region("eu-west-1").count(), base.in_region("eu-west-1").count());
        }
    }
}
