//! EKS prices: the cluster fee (standard support and the extended-support surcharge on top) and
//! the EKS-on-Fargate pod vCPU and GB-hour rates per region, each with its source and date, so
//! `compare` can price EKS on Fargate in any region offline.
//!
//! The embedded table is `data/eks-prices.csv` (`region,item,usd_per_unit,unit,as_of,source`).
//! Pods are priced from the EKS rows, not from the ECS rows of the Fargate book: they are the
//! same in most regions but not in all (il-central-1). Extended support is not a price of its own
//! in AWS's files: it is the standard fee plus a surcharge, and [`EksPriceBook::cluster_fee`]
//! returns it as that sum with both rows. The pod rules (overhead, storage limit) are not prices
//! and stay in `data/eks-fargate.toml`.

use crate::core::pricing::Origin;
use crate::core::rules::DataError;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

const EMBEDDED_PRICES_CSV: &str = include_str!("../../../data/eks-prices.csv");

/// What an EKS price is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EksItem {
    /// The cluster (control plane) fee under standard Kubernetes version support.
    ClusterStandardHour,
    /// What extended support adds to the standard fee per cluster-hour.
    ClusterExtendedSurchargeHour,
    /// An EKS pod on Fargate, Linux/X86_64, per vCPU-hour.
    PodLinuxX86VcpuHour,
    /// An EKS pod on Fargate, Linux/X86_64, per GB-hour of memory.
    PodLinuxX86GbHour,
}

impl EksItem {
    pub const ALL: [EksItem; 4] = [
        EksItem::ClusterStandardHour,
        EksItem::ClusterExtendedSurchargeHour,
        EksItem::PodLinuxX86VcpuHour,
        EksItem::PodLinuxX86GbHour,
    ];

    /// The item's id in `data/eks-prices.csv`.
    pub fn id(self) -> &'static str {
        match self {
            EksItem::ClusterStandardHour => "cluster_standard_hour",
            EksItem::ClusterExtendedSurchargeHour => "cluster_extended_surcharge_hour",
            EksItem::PodLinuxX86VcpuHour => "pod_linux_x86_vcpu_hour",
            EksItem::PodLinuxX86GbHour => "pod_linux_x86_gb_hour",
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            EksItem::ClusterStandardHour | EksItem::ClusterExtendedSurchargeHour => "cluster-hour",
            EksItem::PodLinuxX86VcpuHour => "vCPU-hour",
            EksItem::PodLinuxX86GbHour => "GB-hour",
        }
    }

    fn parse(s: &str) -> Option<EksItem> {
        EksItem::ALL.into_iter().find(|i| i.id() == s)
    }
}

impl fmt::Display for EksItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// One EKS price with its provenance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EksPrice {
    pub region: String,
    pub item: EksItem,
    #[serde(with = "rust_decimal::serde::str")]
    pub usd_per_unit: Decimal,
    pub unit: String,
    pub as_of: NaiveDate,
    pub source: String,
    pub origin: Origin,
}

impl EksPrice {
    /// Older than a year on `today`.
    pub fn is_stale(&self, today: NaiveDate) -> bool {
        super::is_stale(self.as_of, today)
    }

    /// Positive, with the unit of its item.
    fn check(&self) -> Result<(), String> {
        if self.usd_per_unit <= Decimal::ZERO {
            return Err(format!("price `{}` is not positive", self.usd_per_unit));
        }
        if self.unit != self.item.unit() {
            return Err(format!(
                "unit `{}` for {}, expected `{}`",
                self.unit,
                self.item,
                self.item.unit()
            ));
        }
        Ok(())
    }
}

/// An EKS price the book does not have.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "no EKS `{item}` price for region `{region}`{known}; fetch the region's EKS prices from the AWS \
     Price List (ServiceCode `AmazonEKS`) with `fargate-planner prices fetch --region {region}`, \
     then compare with `--prices auto` (the default) or `--prices cache`"
)]
pub struct MissingEksPrice {
    pub region: String,
    pub item: EksItem,
    /// What the book does have, for the message.
    known: String,
}

/// Kubernetes version support, which sets the cluster fee.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Support {
    Standard,
    /// Standard plus the extended-support surcharge.
    Extended,
}

/// The cluster fee of a region under a support level: for extended support a sum of two rows,
/// not a price AWS publishes as one figure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClusterFee {
    pub region: String,
    pub support: Support,
    pub usd_per_hour: Decimal,
    /// The rows summed: the standard fee, then (extended support) the surcharge.
    pub parts: Vec<EksPrice>,
}

/// EKS prices by region and item.
#[derive(Clone, Debug, Default)]
pub struct EksPriceBook {
    prices: BTreeMap<(String, EksItem), EksPrice>,
}

#[derive(Deserialize)]
struct CsvRow {
    region: String,
    item: String,
    usd_per_unit: String,
    unit: String,
    as_of: String,
    source: String,
}

impl EksPriceBook {
    /// The snapshot embedded in the binary (`data/eks-prices.csv`).
    pub fn embedded() -> Result<EksPriceBook, DataError> {
        EksPriceBook::from_csv("data/eks-prices.csv", EMBEDDED_PRICES_CSV, Origin::Embedded)
    }

    /// Reads `region,item,usd_per_unit,unit,as_of,source` rows, one per region and item.
    pub fn from_csv(file: &str, text: &str, origin: Origin) -> Result<EksPriceBook, DataError> {
        let err = |line: u64, message: String| DataError::at(file, line, message);
        let mut book = EksPriceBook::default();
        for (line, row) in crate::core::rules::csv_rows::<CsvRow>(file, text)? {
            let item = EksItem::parse(row.item.trim()).ok_or_else(|| {
                let ids: Vec<&str> = EksItem::ALL.iter().map(|i| i.id()).collect();
                err(
                    line,
                    format!("item `{}`: use one of {}", row.item, ids.join(", ")),
                )
            })?;
            let usd_per_unit = Decimal::from_str(row.usd_per_unit.trim())
                .map_err(|e| err(line, format!("price `{}`: {e}", row.usd_per_unit)))?;
            let as_of = NaiveDate::parse_from_str(row.as_of.trim(), "%Y-%m-%d")
                .map_err(|e| err(line, format!("date `{}`: {e}", row.as_of)))?;
            let price = EksPrice {
                region: row.region,
                item,
                usd_per_unit,
                unit: row.unit,
                as_of,
                source: row.source,
                origin: origin.clone(),
            };
            price.check().map_err(|m| err(line, m))?;
            if book.prices.contains_key(&(price.region.clone(), item)) {
                return Err(err(
                    line,
                    format!("duplicate price for {} {item}", price.region),
                ));
            }
            book.insert(price);
        }
        Ok(book)
    }

    /// A book of prices from anywhere (a fetch, the cache): each positive with its item's unit.
    pub fn from_prices(prices: impl IntoIterator<Item = EksPrice>) -> Result<EksPriceBook, String> {
        let mut book = EksPriceBook::default();
        for p in prices {
            p.check()
                .map_err(|m| format!("EKS {} {}: {m}", p.region, p.item))?;
            book.insert(p);
        }
        Ok(book)
    }

    pub fn insert(&mut self, price: EksPrice) {
        self.prices
            .insert((price.region.clone(), price.item), price);
    }

    /// Every price, by region and item.
    pub fn iter(&self) -> impl Iterator<Item = &EksPrice> {
        self.prices.values()
    }

    pub fn is_empty(&self) -> bool {
        self.prices.is_empty()
    }

    /// The regions with at least one price.
    pub fn regions(&self) -> Vec<&str> {
        let mut regions: Vec<&str> = self.prices.keys().map(|(r, _)| r.as_str()).collect();
        regions.dedup();
        regions
    }

    pub fn has_region(&self, region: &str) -> bool {
        self.prices.keys().any(|(r, _)| r == region)
    }

    /// Lays `top` over this book region by region: a region `top` has any price for loses all of
    /// this book's prices first, so a newer source replaces an older one whole.
    pub fn overlay(&mut self, top: &EksPriceBook) {
        let covered: Vec<&str> = top.regions();
        self.prices
            .retain(|(r, _), _| !covered.contains(&r.as_str()));
        for p in top.iter() {
            self.insert(p.clone());
        }
    }

    /// This book with `top` laid over it; see [`EksPriceBook::overlay`].
    pub fn overlaid(mut self, top: &EksPriceBook) -> EksPriceBook {
        self.overlay(top);
        self
    }

    /// The oldest retrieval time among the prices (none for an all-embedded book).
    pub fn oldest_retrieval(&self) -> Option<DateTime<Utc>> {
        self.iter().filter_map(|p| p.origin.retrieved_at()).min()
    }

    /// The price of `item` in `region`, or an error naming both and the fetch command.
    pub fn get(&self, region: &str, item: EksItem) -> Result<&EksPrice, MissingEksPrice> {
        self.prices
            .get(&(region.to_string(), item))
            .ok_or_else(|| MissingEksPrice {
                region: region.to_string(),
                item,
                known: if self.has_region(region) {
                    let have: Vec<&str> = self
                        .iter()
                        .filter(|p| p.region == region)
                        .map(|p| p.item.id())
                        .collect();
                    format!(" (the EKS book has only {} there)", have.join(", "))
                } else if self.is_empty() {
                    " (no EKS prices at all)".to_string()
                } else {
                    " (the region is not in the EKS book)".to_string()
                },
            })
    }

    /// The cluster fee per hour: the standard row, or for extended support the standard row plus
    /// the surcharge row.
    pub fn cluster_fee(
        &self,
        region: &str,
        support: Support,
    ) -> Result<ClusterFee, MissingEksPrice> {
        let mut parts = vec![self.get(region, EksItem::ClusterStandardHour)?.clone()];
        if support == Support::Extended {
            parts.push(
                self.get(region, EksItem::ClusterExtendedSurchargeHour)?
                    .clone(),
            );
        }
        Ok(ClusterFee {
            region: region.to_string(),
            support,
            usd_per_hour: parts.iter().map(|p| p.usd_per_unit).sum(),
            parts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "region,item,usd_per_unit,unit,as_of,source\n";

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn usd(book: &EksPriceBook, region: &str, item: EksItem) -> Decimal {
        book.get(region, item).unwrap().usd_per_unit
    }

    #[test]
    fn the_embedded_table_has_every_region_with_a_source_and_date() {
        let book = EksPriceBook::embedded().unwrap();
        let facts = crate::core::rules::Facts::embedded().unwrap();
        assert_eq!(book.regions().len(), 36);
        for region in &facts.rules.regions.fargate {
            assert_eq!(usd(&book, region, EksItem::ClusterStandardHour), d("0.1"));
            assert_eq!(
                usd(&book, region, EksItem::ClusterExtendedSurchargeHour),
                d("0.5")
            );
        }
        // Pods in 34 regions: GovCloud has no EKS-on-Fargate pod rows.
        assert_eq!(book.iter().count(), 36 * 2 + 34 * 2);
        assert!(book.iter().all(|p| !p.source.is_empty()));
        let pod = book.get("eu-west-1", EksItem::PodLinuxX86VcpuHour).unwrap();
        assert_eq!(pod.usd_per_unit, d("0.04048"));
        assert_eq!(pod.as_of.to_string(), "2025-12-06");
        assert!(pod.source.contains("'EU (Ireland)'"), "{}", pod.source);
    }

    #[test]
    fn il_central_1_pods_differ_from_its_ecs_tasks() {
        let book = EksPriceBook::embedded().unwrap();
        // EKS pods: $0.0518 per vCPU-hour and $0.0057 per GB-hour; ECS tasks in il-central-1 are
        // $0.0518144 and $0.0056896 (AmazonECS file of aws.amazon.com/fargate/pricing).
        assert_eq!(
            usd(&book, "il-central-1", EksItem::PodLinuxX86VcpuHour),
            d("0.0518")
        );
        assert_eq!(
            usd(&book, "il-central-1", EksItem::PodLinuxX86GbHour),
            d("0.0057")
        );
        assert_ne!(
            usd(&book, "il-central-1", EksItem::PodLinuxX86VcpuHour),
            d("0.0518144")
        );
    }

    #[test]
    fn extended_support_is_the_standard_fee_plus_the_surcharge() {
        let book = EksPriceBook::embedded().unwrap();
        let standard = book.cluster_fee("us-east-1", Support::Standard).unwrap();
        assert_eq!(standard.usd_per_hour, d("0.10"));
        assert_eq!(standard.parts.len(), 1);
        let extended = book.cluster_fee("us-east-1", Support::Extended).unwrap();
        assert_eq!(extended.usd_per_hour, d("0.60"));
        let items: Vec<EksItem> = extended.parts.iter().map(|p| p.item).collect();
        assert_eq!(
            items,
            [
                EksItem::ClusterStandardHour,
                EksItem::ClusterExtendedSurchargeHour
            ]
        );
        // us-east-1 keeps the newer of its two sources' dates and names both.
        let p = &extended.parts[0];
        assert_eq!(p.as_of.to_string(), "2026-06-13");
        assert!(p.source.contains("meteredUnitMaps/eks") && p.source.contains("Containers Blog"));
    }

    #[test]
    fn a_missing_row_is_located_and_says_how_to_fetch_it() {
        let book = EksPriceBook::embedded().unwrap();
        let err = book
            .get("us-gov-west-1", EksItem::PodLinuxX86VcpuHour)
            .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("pod_linux_x86_vcpu_hour")
                && msg.contains("us-gov-west-1")
                && msg.contains("has only cluster_standard_hour")
                && msg.contains("fargate-planner prices fetch --region us-gov-west-1")
                && msg.contains("AmazonEKS"),
            "{msg}"
        );
        let err = book
            .cluster_fee("mars-north-1", Support::Standard)
            .unwrap_err();
        assert!(err.to_string().contains("not in the EKS book"), "{err}");
        let err = EksPriceBook::default()
            .get("us-east-1", EksItem::ClusterStandardHour)
            .unwrap_err();
        assert!(err.to_string().contains("no EKS prices at all"), "{err}");
    }

    #[test]
    fn rows_are_parsed_and_bad_rows_rejected_with_their_line() {
        let ok = "r,cluster_standard_hour,0.10,cluster-hour,2026-01-01,x\n";
        let book =
            EksPriceBook::from_csv("t.csv", &format!("{HEADER}{ok}"), Origin::Embedded).unwrap();
        assert_eq!(usd(&book, "r", EksItem::ClusterStandardHour), d("0.10"));
        assert_eq!(
            book.get("r", EksItem::ClusterStandardHour).unwrap().origin,
            Origin::Embedded
        );
        for row in [
            "r,pod_linux_x86_vcpu_hour,0,vCPU-hour,2026-01-01,x\n",
            "r,pod_linux_x86_vcpu_hour,abc,vCPU-hour,2026-01-01,x\n",
            "r,pod_linux_x86_vcpu_hour,0.04,GB-hour,2026-01-01,x\n",
            "r,pod_linux_arm_vcpu_hour,0.04,vCPU-hour,2026-01-01,x\n",
            "r,pod_linux_x86_gb_hour,0.004,GB-hour,someday,x\n",
            "r,cluster_standard_hour,0.10,cluster-hour,2026-01-01,again\n",
        ] {
            let err =
                EksPriceBook::from_csv("t.csv", &format!("{HEADER}{ok}{row}"), Origin::Embedded)
                    .unwrap_err();
            assert!(err.to_string().contains("t.csv"), "{row}: {err}");
        }
        // The columns are exactly these (an exporter writes them).
        assert!(
            EksPriceBook::from_csv(
                "t.csv",
                "region,item,usd_per_unit,as_of,source\nr,cluster_standard_hour,0.1,2026-01-01,x\n",
                Origin::Embedded
            )
            .is_err()
        );
    }

    #[test]
    fn an_overlay_replaces_a_region_whole() {
        let at: DateTime<Utc> = "2026-11-26T10:00:00Z".parse().unwrap();
        let top = EksPriceBook::from_csv(
            "t.csv",
            &format!(
                "{HEADER}us-east-1,cluster_standard_hour,0.12,cluster-hour,2026-11-26,fetched\n"
            ),
            Origin::PriceListApi { fetched_at: at },
        )
        .unwrap();
        let book = EksPriceBook::embedded().unwrap().overlaid(&top);
        assert_eq!(
            usd(&book, "us-east-1", EksItem::ClusterStandardHour),
            d("0.12")
        );
        assert!(book.get("us-east-1", EksItem::PodLinuxX86VcpuHour).is_err());
        assert_eq!(
            usd(&book, "eu-west-1", EksItem::ClusterStandardHour),
            d("0.1")
        );
        assert_eq!(book.oldest_retrieval(), Some(at));
    }
}
