//! Lambda prices: request and duration tiers per region and architecture, each with its source
//! and date, so `compare` can price a request workload on Lambda.
//!
//! The embedded table (`data/lambda-prices.csv`) covers the 36 regions of the Fargate book, each
//! row with its source and date; `prices fetch` fetches a region again from the Price List
//! (ServiceCode `AWSLambda`, parsed by [`crate::core::pricing::parse::lambda`]) into the cache,
//! and a [`LambdaPriceBook`] built from the cache is laid over the embedded one region by region.
//! The table also holds the ephemeral-storage price per GB-second, which no plan field uses yet
//! (the comparison prices requests and duration only).

use crate::core::pricing::Origin;
use crate::core::rules::DataError;
use crate::core::vocab::platform::CpuArch;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::str::FromStr;

const EMBEDDED_PRICES_CSV: &str = include_str!("../../../data/lambda-prices.csv");

/// What a Lambda price is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LambdaItem {
    /// Per invocation (usage types `Request`, `Request-ARM`).
    Request,
    /// Per GB-second of billed duration (`Lambda-GB-Second`, `Lambda-GB-Second-ARM`).
    Duration,
    /// Per GB-second of ephemeral storage configured above the free 512 MB (`Lambda Storage-Duration`
    /// on the pricing page). Held, not used: the plan has no field for a function's storage.
    EphemeralStorage,
}

impl LambdaItem {
    pub fn unit(self) -> &'static str {
        match self {
            LambdaItem::Request => "request",
            LambdaItem::Duration | LambdaItem::EphemeralStorage => "GB-second",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            LambdaItem::Request => "request",
            LambdaItem::Duration => "duration",
            LambdaItem::EphemeralStorage => "ephemeral_storage",
        }
    }

    fn parse(s: &str) -> Option<LambdaItem> {
        [
            LambdaItem::Request,
            LambdaItem::Duration,
            LambdaItem::EphemeralStorage,
        ]
        .into_iter()
        .find(|i| i.id() == s)
    }
}

/// One tier of one Lambda price, with its provenance. Quantities are per month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LambdaPrice {
    pub region: String,
    pub architecture: CpuArch,
    pub item: LambdaItem,
    #[serde(with = "rust_decimal::serde::str")]
    pub tier_start: Decimal,
    /// `None`: the open last tier.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub tier_end: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str")]
    pub usd_per_unit: Decimal,
    /// `request` or `GB-second` ([`LambdaItem::unit`]), whatever the source spelt it.
    pub unit: String,
    pub as_of: NaiveDate,
    pub source: String,
    /// Embedded, fetched from the Price List API, ...
    pub origin: Origin,
}

impl LambdaPrice {
    /// Older than a year on `today`.
    pub fn is_stale(&self, today: NaiveDate) -> bool {
        super::is_stale(self.as_of, today)
    }

    /// The rules one price must keep: positive, a sensible tier, the unit of its item.
    fn check(&self) -> Result<(), String> {
        if self.usd_per_unit <= Decimal::ZERO {
            return Err(format!("price `{}` is not positive", self.usd_per_unit));
        }
        if self.tier_start < Decimal::ZERO
            || self.tier_end.is_some_and(|end| end <= self.tier_start)
        {
            return Err("a tier must start at 0 or above and end after it starts".into());
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

/// A Lambda price the book does not have.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "no Lambda {arch} {item} price for region `{region}`{known}; fetch the region's Lambda prices \
     from the AWS Price List (ServiceCode `AWSLambda`) with `fargate-planner prices fetch --region \
     {region}`, then compare with `--prices auto` (the default) or `--prices cache`"
)]
pub struct MissingLambdaPrice {
    pub region: String,
    pub arch: CpuArch,
    pub item: &'static str,
    /// What the book does have, for the message.
    pub known: String,
}

/// The request and duration tiers of one region and architecture, contiguous from 0.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LambdaRates {
    pub request: Vec<LambdaPrice>,
    pub duration: Vec<LambdaPrice>,
}

impl LambdaRates {
    /// Every price row used, for the sources list.
    pub fn prices(&self) -> impl Iterator<Item = &LambdaPrice> {
        self.request.iter().chain(&self.duration)
    }
}

/// Lambda prices by region, architecture and item.
#[derive(Clone, Debug, Default)]
pub struct LambdaPriceBook {
    tiers: BTreeMap<(String, CpuArch, LambdaItem), Vec<LambdaPrice>>,
}

#[derive(Deserialize)]
struct CsvRow {
    region: String,
    architecture: String,
    item: String,
    tier_start: String,
    tier_end: String,
    usd_per_unit: String,
    unit: String,
    as_of: String,
    source: String,
}

impl LambdaPriceBook {
    /// The snapshot embedded in the binary (`data/lambda-prices.csv`).
    pub fn embedded() -> Result<LambdaPriceBook, DataError> {
        LambdaPriceBook::from_csv("data/lambda-prices.csv", EMBEDDED_PRICES_CSV)
    }

    /// Reads `region,architecture,item,tier_start,tier_end,usd_per_unit,unit,as_of,source` rows.
    /// The tiers of each region, architecture and item must run from 0 without gaps to an open end.
    pub fn from_csv(file: &str, text: &str) -> Result<LambdaPriceBook, DataError> {
        let err = |line: u64, message: String| DataError::at(file, line, message);
        let decimal = |line: u64, what: &str, s: &str| {
            Decimal::from_str(s.trim()).map_err(|e| err(line, format!("{what} `{s}`: {e}")))
        };
        let mut prices = Vec::new();
        for (line, row) in crate::core::rules::csv_rows::<CsvRow>(file, text)? {
            let architecture = CpuArch::parse(&row.architecture).ok_or_else(|| {
                err(
                    line,
                    format!("architecture `{}`: use X86_64 or ARM64", row.architecture),
                )
            })?;
            let item = LambdaItem::parse(&row.item).ok_or_else(|| {
                err(
                    line,
                    format!(
                        "item `{}`: use request, duration or ephemeral_storage",
                        row.item
                    ),
                )
            })?;
            let tier_start = decimal(line, "tier_start", &row.tier_start)?;
            let tier_end = match row.tier_end.trim() {
                "" => None,
                s => Some(decimal(line, "tier_end", s)?),
            };
            let usd_per_unit = decimal(line, "price", &row.usd_per_unit)?;
            let as_of = NaiveDate::parse_from_str(&row.as_of, "%Y-%m-%d")
                .map_err(|e| err(line, format!("date `{}`: {e}", row.as_of)))?;
            let price = LambdaPrice {
                region: row.region,
                architecture,
                item,
                tier_start,
                tier_end,
                usd_per_unit,
                unit: row.unit,
                as_of,
                source: row.source,
                origin: Origin::Embedded,
            };
            price.check().map_err(|m| err(line, m))?;
            prices.push(price);
        }
        LambdaPriceBook::from_prices(prices).map_err(|message| DataError {
            file: file.to_string(),
            message,
        })
    }

    /// A book of prices from anywhere (the cache, a fetch): each price must be positive with the
    /// unit of its item, and the tiers of each region, architecture and item must run from 0
    /// without gaps or overlaps to an open end.
    pub fn from_prices(
        prices: impl IntoIterator<Item = LambdaPrice>,
    ) -> Result<LambdaPriceBook, String> {
        let mut book = LambdaPriceBook::default();
        for p in prices {
            p.check().map_err(|m| {
                format!(
                    "Lambda {} {} {}: {m}",
                    p.region,
                    p.architecture,
                    p.item.id()
                )
            })?;
            book.tiers
                .entry((p.region.clone(), p.architecture, p.item))
                .or_default()
                .push(p);
        }
        for ((region, arch, item), tiers) in &mut book.tiers {
            tiers.sort_by_key(|t| t.tier_start);
            let mut expected = Some(Decimal::ZERO);
            for t in tiers.iter() {
                if expected != Some(t.tier_start) {
                    return Err(format!(
                        "{region} {arch} {} tiers leave a gap or overlap at {}",
                        item.id(),
                        t.tier_start
                    ));
                }
                expected = t.tier_end;
            }
            if expected.is_some() {
                return Err(format!(
                    "{region} {arch} {} tiers have no open last tier",
                    item.id()
                ));
            }
        }
        Ok(book)
    }

    /// Every price, by region, architecture, item and tier.
    pub fn iter(&self) -> impl Iterator<Item = &LambdaPrice> {
        self.tiers.values().flatten()
    }

    pub fn is_empty(&self) -> bool {
        self.tiers.is_empty()
    }

    /// The regions with at least one price.
    pub fn regions(&self) -> Vec<&str> {
        let mut regions: Vec<&str> = self.tiers.keys().map(|(r, _, _)| r.as_str()).collect();
        regions.dedup();
        regions
    }

    pub fn has_region(&self, region: &str) -> bool {
        self.tiers.keys().any(|(r, _, _)| r == region)
    }

    /// Lays `top` over this book region by region: a region `top` has any price for loses all of
    /// this book's prices first, so a newer source replaces an older one whole.
    pub fn overlay(&mut self, top: &LambdaPriceBook) {
        let covered: Vec<&str> = top.regions();
        self.tiers
            .retain(|(r, _, _), _| !covered.contains(&r.as_str()));
        for (key, tiers) in &top.tiers {
            self.tiers.insert(key.clone(), tiers.clone());
        }
    }

    /// This book with `top` laid over it; see [`LambdaPriceBook::overlay`].
    pub fn overlaid(mut self, top: &LambdaPriceBook) -> LambdaPriceBook {
        self.overlay(top);
        self
    }

    /// The oldest retrieval time among the prices (none for an all-embedded book).
    pub fn oldest_retrieval(&self) -> Option<DateTime<Utc>> {
        self.iter().filter_map(|p| p.origin.retrieved_at()).min()
    }

    /// The rates of a region and architecture.
    pub fn rates(&self, region: &str, arch: CpuArch) -> Result<LambdaRates, MissingLambdaPrice> {
        let get = |item: LambdaItem| {
            self.tiers
                .get(&(region.to_string(), arch, item))
                .cloned()
                .ok_or_else(|| MissingLambdaPrice {
                    region: region.to_string(),
                    arch,
                    item: item.id(),
                    known: if self.has_region(region) {
                        String::new()
                    } else if self.is_empty() {
                        " (no Lambda prices at all)".to_string()
                    } else {
                        format!(" (Lambda prices known for {})", self.regions().join(", "))
                    },
                })
        };
        Ok(LambdaRates {
            request: get(LambdaItem::Request)?,
            duration: get(LambdaItem::Duration)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// The x86 duration tiers of a region, as strings.
    fn x86_duration(book: &LambdaPriceBook, region: &str) -> Vec<String> {
        book.rates(region, CpuArch::X86_64)
            .unwrap()
            .duration
            .iter()
            .map(|t| t.usd_per_unit.to_string())
            .collect()
    }

    #[test]
    fn the_embedded_table_covers_every_fargate_region_with_sources() {
        let book = LambdaPriceBook::embedded().unwrap();
        let facts = crate::core::rules::Facts::embedded().unwrap();
        assert_eq!(book.regions().len(), 36);
        for region in &facts.rules.regions.fargate {
            for arch in [CpuArch::X86_64, CpuArch::Arm64] {
                let rates = book.rates(region, arch).unwrap();
                assert_eq!((rates.request.len(), rates.duration.len()), (1, 3));
            }
        }
        assert!(book.iter().all(|p| !p.source.is_empty()));
        // One row per key: 36 regions × 2 architectures × (1 request + 3 duration + 1 storage).
        assert_eq!(book.iter().count(), 360);
    }

    #[test]
    fn a_region_other_than_us_east_1_is_priced_from_its_own_rows() {
        let book = LambdaPriceBook::embedded().unwrap();
        assert_eq!(
            x86_duration(&book, "us-east-1"),
            ["0.0000166667", "0.000015", "0.0000133334"]
        );
        // Cape Town costs more per GB-second and per request than N. Virginia.
        assert_eq!(
            x86_duration(&book, "af-south-1"),
            ["0.0000221", "0.00001989", "0.00001768"]
        );
        let cape_town = book.rates("af-south-1", CpuArch::Arm64).unwrap();
        assert_eq!(cape_town.request[0].usd_per_unit, d("0.00000027"));
        assert!(
            cape_town
                .prices()
                .all(|p| p.region == "af-south-1" && p.source.contains("'Africa (Cape Town)'"))
        );
        // Mumbai has the us-east-1 figures, from its own rows.
        assert_eq!(
            x86_duration(&book, "ap-south-1"),
            x86_duration(&book, "us-east-1")
        );
        assert!(
            book.rates("ap-south-1", CpuArch::X86_64)
                .unwrap()
                .prices()
                .all(|p| p.source.contains("'Asia Pacific (Mumbai)'"))
        );
    }

    #[test]
    fn the_us_east_1_rows_name_both_sources_and_the_newer_date() {
        let book = LambdaPriceBook::embedded().unwrap();
        let rates = book.rates("us-east-1", CpuArch::X86_64).unwrap();
        for p in rates.prices() {
            assert_eq!(p.as_of.to_string(), "2025-12-06");
            assert!(
                p.source.contains("meteredUnitMaps/lambda") && p.source.contains("AWSLambda"),
                "{}",
                p.source
            );
        }
    }

    #[test]
    fn ephemeral_storage_is_held_per_region() {
        let book = LambdaPriceBook::embedded().unwrap();
        let storage: Vec<&LambdaPrice> = book
            .iter()
            .filter(|p| p.item == LambdaItem::EphemeralStorage)
            .collect();
        assert_eq!(storage.len(), 72);
        let sao_paulo = storage
            .iter()
            .find(|p| p.region == "sa-east-1" && p.architecture == CpuArch::X86_64)
            .unwrap();
        assert_eq!(sao_paulo.usd_per_unit, d("0.0000000586"));
        assert_eq!(sao_paulo.unit, "GB-second");
        assert_eq!(sao_paulo.tier_end, None);
    }

    #[test]
    fn a_missing_region_names_it_and_the_fetch_command() {
        let header =
            "region,architecture,item,tier_start,tier_end,usd_per_unit,unit,as_of,source\n";
        let text = format!(
            "{header}r,X86_64,request,0,,0.0000002,request,2026-01-01,x\n\
             r,X86_64,duration,0,,0.00001,GB-second,2026-01-01,x\n\
             r,X86_64,ephemeral_storage,0,,0.00000003,GB-second,2026-01-01,x\n"
        );
        let book = LambdaPriceBook::from_csv("t.csv", &text).unwrap();
        assert!(book.rates("r", CpuArch::X86_64).is_ok());
        let err = book.rates("mars-north-1", CpuArch::X86_64).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("mars-north-1")
                && msg.contains("prices fetch --region mars-north-1")
                && msg.contains("known for r"),
            "{msg}"
        );
        // Storage takes GB-seconds, like duration.
        let bad = text.replace("0.00000003,GB-second", "0.00000003,request");
        assert!(LambdaPriceBook::from_csv("t.csv", &bad).is_err());
    }
}
