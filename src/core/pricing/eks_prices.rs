//! EKS prices fetched from the Price List (ServiceCode `AmazonEKS`): the cluster fee, the
//! extended-support surcharge and the EKS-on-Fargate pod rates per region, kept in the cache and
//! exported as `eks-prices.csv` (`region,item,usd_per_unit,unit,as_of,source`).
//!
//! A small book of its own until the EKS price book of the Lambda/EKS regions work
//! (`core::pricing::eks`) lands; the file layout, item names and methods used here are that
//! book's, so the switch is a change of imports. Which usage type bills which item is the
//! parser's (`parse::eks`).

use crate::core::pricing::Origin;
use crate::core::rules::DataError;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// What an EKS price is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EksItem {
    /// The cluster fee in standard support (usage type `AmazonEKS-Hours:perCluster`).
    ClusterStandardHour,
    /// What extended support adds to the standard fee (`AmazonEKS-Hours:extendedSupport`).
    ClusterExtendedSurchargeHour,
    /// EKS on Fargate pod vCPU (`Fargate-vCPU-Hours:perCPU` under AmazonEKS).
    PodLinuxX86VcpuHour,
    /// EKS on Fargate pod memory (`Fargate-GB-Hours` under AmazonEKS).
    PodLinuxX86GbHour,
}

impl EksItem {
    pub const ALL: [EksItem; 4] = [
        EksItem::ClusterStandardHour,
        EksItem::ClusterExtendedSurchargeHour,
        EksItem::PodLinuxX86VcpuHour,
        EksItem::PodLinuxX86GbHour,
    ];

    /// The item's id in `eks-prices.csv`.
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
    /// Positive, in the unit of its item.
    pub fn check(&self) -> Result<(), String> {
        if self.usd_per_unit <= Decimal::ZERO {
            return Err(format!("price `{}` is not positive", self.usd_per_unit));
        }
        if self.unit != self.item.unit() {
            return Err(format!(
                "unit `{}` for {}, expected `{}`",
                self.unit,
                self.item.id(),
                self.item.unit()
            ));
        }
        Ok(())
    }
}

/// EKS prices by region and item.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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
    /// Reads `region,item,usd_per_unit,unit,as_of,source` rows.
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
            let usd_per_unit = Decimal::from_str(&row.usd_per_unit)
                .map_err(|e| err(line, format!("price `{}`: {e}", row.usd_per_unit)))?;
            let as_of = NaiveDate::parse_from_str(&row.as_of, "%Y-%m-%d")
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
                    format!("duplicate price for {} {}", price.region, item.id()),
                ));
            }
            book.insert(price);
        }
        Ok(book)
    }

    /// A book of prices from anywhere (the cache, a fetch), each checked.
    pub fn from_prices(prices: impl IntoIterator<Item = EksPrice>) -> Result<EksPriceBook, String> {
        let mut book = EksPriceBook::default();
        for p in prices {
            p.check()
                .map_err(|m| format!("EKS {} {}: {m}", p.region, p.item.id()))?;
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

    /// Lays `top` over this book: every region `top` has a price for is replaced whole.
    pub fn overlay(&mut self, top: &EksPriceBook) {
        let covered = top.regions();
        self.prices
            .retain(|(r, _), _| !covered.contains(&r.as_str()));
        for p in top.iter() {
            self.insert(p.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_reads_back_from_its_id() {
        for item in EksItem::ALL {
            assert_eq!(EksItem::parse(item.id()), Some(item));
            assert_eq!(item.to_string(), item.id());
        }
    }

    #[test]
    fn bad_rows_are_rejected_and_overlay_is_by_region() {
        let header = "region,item,usd_per_unit,unit,as_of,source\n";
        for row in [
            "us-east-1,cluster_standard_hour,0,cluster-hour,2026-01-01,x",
            "us-east-1,cluster_standard_hour,0.1,vCPU-hour,2026-01-01,x",
            "us-east-1,gpu_hour,0.1,cluster-hour,2026-01-01,x",
            "us-east-1,cluster_standard_hour,0.1,cluster-hour,soon,x",
        ] {
            let text = format!("{header}{row}\n");
            assert!(
                EksPriceBook::from_csv("t.csv", &text, Origin::Embedded).is_err(),
                "{row}"
            );
        }
        let text = format!(
            "{header}us-east-1,cluster_standard_hour,0.10,cluster-hour,2026-01-01,a\n\
             us-east-1,pod_linux_x86_gb_hour,0.004445,GB-hour,2026-01-01,a\n\
             eu-west-1,cluster_standard_hour,0.10,cluster-hour,2026-01-01,b\n"
        );
        let mut base = EksPriceBook::from_csv("t.csv", &text, Origin::Embedded).unwrap();
        let top = EksPriceBook::from_csv(
            "t.csv",
            &format!("{header}us-east-1,cluster_standard_hour,0.11,cluster-hour,2026-02-01,c\n"),
            Origin::Embedded,
        )
        .unwrap();
        base.overlay(&top);
        let rows: Vec<(&str, EksItem, String)> = base
            .iter()
            .map(|p| (p.region.as_str(), p.item, p.usd_per_unit.to_string()))
            .collect();
        assert_eq!(
            rows,
            vec![
                (
                    "eu-west-1",
                    EksItem::ClusterStandardHour,
                    "0.10".to_string()
                ),
                (
                    "us-east-1",
                    EksItem::ClusterStandardHour,
                    "0.11".to_string()
                ),
            ]
        );
    }
}
