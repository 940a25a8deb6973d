//! Pure parsers for the documents AWS publishes prices in: Price List API GetProducts documents,
//! AmazonECS bulk offer files (JSON and CSV), the Fargate Spot feed and Compute Savings Plans
//! offer files, and AWSLambda GetProducts documents ([`lambda`]). Each turns text into priced rows that keep their SKU, effective or publication
//! date and source; none touches the network or the file system.
//!
//! Fargate rows are found by their usage type, matched **exactly** after stripping the region
//! prefix (the AmazonECS offer in the AWS Price List API): substring matching takes `SpotUsage-Fargate-GB-Hours`, the $0
//! `ECS-EC2-*` metering rows or ECS Anywhere's tiers for Fargate prices.

pub mod api;
pub mod detect;
pub mod ec2;
pub mod eks;
pub mod lambda;
pub mod offer;
pub mod savings;
pub mod spot;

use crate::core::pricing::{DIMENSIONS, Dimension, Family, Origin, Price, SavingsRate};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

/// A price document that cannot be trusted, with what is known of where and which row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentError {
    /// The file or response (`GetProducts us-east-1, page 2, item 3`).
    pub at: String,
    pub sku: Option<String>,
    pub usage_type: Option<String>,
    pub message: String,
}

impl DocumentError {
    pub fn new(at: impl Into<String>, message: impl Into<String>) -> Self {
        DocumentError {
            at: at.into(),
            sku: None,
            usage_type: None,
            message: message.into(),
        }
    }

    pub fn row(mut self, sku: Option<&str>, usage_type: Option<&str>) -> Self {
        self.sku = sku.map(str::to_string);
        self.usage_type = usage_type.map(str::to_string);
        self
    }
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.at)?;
        match (&self.sku, &self.usage_type) {
            (Some(sku), Some(u)) => write!(f, ": SKU {sku} ({u})")?,
            (Some(sku), None) => write!(f, ": SKU {sku}")?,
            (None, Some(u)) => write!(f, ": {u}")?,
            (None, None) => {}
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for DocumentError {}

/// What a document yielded.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub prices: Vec<Price>,
    pub savings: Vec<SavingsRate>,
    /// Rows seen that are not Fargate prices (other usage types, other services, decoys).
    pub skipped: usize,
    /// The publication date or version the document states, for the import summary.
    pub published: Option<String>,
    /// What kind of document it was, for messages.
    pub kind: &'static str,
}

impl Parsed {
    /// Every price and rate within the plausible range, or the first that is not, located by
    /// region and dimension.
    pub fn check_plausible(&self) -> Result<(), String> {
        for p in &self.prices {
            super::check_plausible(p.usd_per_unit)
                .map_err(|e| format!("{} {}: {e}", p.region, p.dimension))?;
        }
        for r in &self.savings {
            super::check_plausible(r.usd_per_unit).map_err(|e| {
                format!(
                    "{} {} {} {}: {e}",
                    r.region, r.plan, r.architecture, r.dimension
                )
            })?;
        }
        Ok(())
    }

    /// Regions with at least one price or rate.
    pub fn regions(&self) -> BTreeSet<String> {
        self.prices
            .iter()
            .map(|p| p.region.clone())
            .chain(self.savings.iter().map(|r| r.region.clone()))
            .collect()
    }
}

/// Strips a leading region prefix (`USE1-`, `EU-`, `APS3-`: `^[A-Z0-9]+-`) from a usage type.
pub fn strip_region_prefix(usage_type: &str) -> &str {
    match usage_type.split_once('-') {
        Some((prefix, rest))
            if !prefix.is_empty()
                && prefix
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) =>
        {
            rest
        }
        _ => usage_type,
    }
}

/// The on-demand Fargate dimension a Price List usage type bills, matched exactly after the
/// region prefix; `None` for anything else (Spot-like, ECS-EC2, ECS Anywhere, other services).
pub fn on_demand_dimension(usage_type: &str) -> Option<Dimension> {
    let rest = strip_region_prefix(usage_type);
    DIMENSIONS
        .iter()
        .find(|d| d.dimension.family() == Family::OnDemand && d.usage_type == rest)
        .map(|d| d.dimension)
}

/// The date part of an AWS timestamp (`2022-11-21T18:21:30Z`) or version (`20221121182130`).
pub fn date_of(stamp: &str) -> Option<NaiveDate> {
    let s = stamp.trim();
    if let Some(day) = s.get(..10)
        && let Ok(d) = NaiveDate::parse_from_str(day, "%Y-%m-%d")
    {
        return Some(d);
    }
    s.get(..8)
        .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y%m%d").ok())
}

/// Parses a price string as a positive decimal (never a float).
pub fn positive_price(text: &str) -> Result<Decimal, String> {
    let plain = text.trim();
    if plain.is_empty() || !plain.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(format!(
            "price `{text}` is not a plain decimal like `0.0404800000`"
        ));
    }
    let value = Decimal::from_str(plain).map_err(|e| format!("price `{text}`: {e}"))?;
    if value <= Decimal::ZERO {
        return Err(format!(
            "price `{text}` is not positive; a Fargate usage type is never free"
        ));
    }
    Ok(value)
}

/// The head of one GetProducts document (`PriceList` item): the JSON, its SKU and usage type.
/// The ECS, Lambda and EKS readers share it, so a malformed document gets the same message from
/// each.
pub(crate) struct ProductDoc<'a> {
    at: &'a str,
    pub doc: Value,
    pub sku: String,
    pub usage_type: String,
}

impl<'a> ProductDoc<'a> {
    /// Parses `text`; `at` names the document in errors.
    pub(crate) fn read(at: &'a str, text: &str) -> Result<ProductDoc<'a>, DocumentError> {
        let doc: Value = serde_json::from_str(text).map_err(|e| {
            let start: String = text.chars().take(40).collect();
            DocumentError::new(
                at,
                format!("not a JSON price document ({e}); it starts {start:?}"),
            )
        })?;
        let product = doc
            .get("product")
            .and_then(Value::as_object)
            .ok_or_else(|| DocumentError::new(at, "no `product` object"))?;
        let sku = product.get("sku").and_then(Value::as_str);
        let usage_type = product
            .get("attributes")
            .and_then(|a| a.get("usagetype"))
            .and_then(Value::as_str);
        let Some(sku) = sku else {
            return Err(DocumentError::new(at, "product has no `sku`").row(None, usage_type));
        };
        let Some(usage_type) = usage_type else {
            return Err(
                DocumentError::new(at, "product has no `attributes.usagetype`")
                    .row(Some(sku), None),
            );
        };
        let (sku, usage_type) = (sku.to_string(), usage_type.to_string());
        Ok(ProductDoc {
            at,
            doc,
            sku,
            usage_type,
        })
    }

    /// A product attribute (`regionCode`, `productFamily` is `product.productFamily`).
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.doc
            .get("product")
            .and_then(|p| p.get("attributes"))
            .and_then(|a| a.get(name))
            .and_then(Value::as_str)
    }

    /// An error about this product, located by SKU and usage type.
    pub(crate) fn error(&self, message: String) -> DocumentError {
        DocumentError::new(self.at, message).row(Some(&self.sku), Some(&self.usage_type))
    }

    /// The document's `regionCode`, which must be `want` when one was asked for.
    pub(crate) fn region(&self, want: Option<&str>) -> Result<Option<String>, DocumentError> {
        match (self.attr("regionCode"), want) {
            (Some(r), Some(w)) if r != w => {
                Err(self.error(format!("regionCode `{r}` in a response for region `{w}`")))
            }
            (r, w) => Ok(r.or(w).map(str::to_string)),
        }
    }

    /// `terms.OnDemand`, by term key.
    pub(crate) fn on_demand_terms(&self) -> Result<BTreeMap<String, Value>, DocumentError> {
        match self.doc.get("terms").and_then(|t| t.get("OnDemand")) {
            Some(Value::Object(map)) => Ok(map.clone().into_iter().collect()),
            Some(_) => Err(self.error("`terms.OnDemand` is not an object".to_string())),
            None => Err(self.error("no `terms.OnDemand`".to_string())),
        }
    }
}

/// The one on-demand rate of a product, from its `terms.OnDemand[sku]` map of terms.
pub(crate) struct OnDemandRate {
    pub usd: Decimal,
    pub effective: Option<String>,
}

/// Reads the single, untiered USD rate of a Fargate product's on-demand terms.
pub(crate) fn on_demand_rate(terms: &BTreeMap<String, Value>) -> Result<OnDemandRate, String> {
    let mut found: Option<OnDemandRate> = None;
    if terms.is_empty() {
        return Err("no OnDemand term".to_string());
    }
    for (term_key, term) in terms {
        let effective = term
            .get("effectiveDate")
            .and_then(Value::as_str)
            .map(str::to_string);
        let dims = term
            .get("priceDimensions")
            .and_then(Value::as_object)
            .ok_or_else(|| format!("term `{term_key}` has no priceDimensions object"))?;
        for (dim_key, dim) in dims {
            let field = |name: &str| dim.get(name).and_then(Value::as_str);
            let begin = field("beginRange").unwrap_or("0");
            let end = field("endRange").unwrap_or("Inf");
            if begin != "0" || end != "Inf" {
                return Err(format!(
                    "price dimension `{dim_key}` is tiered ({begin} to {end}); Fargate prices are flat"
                ));
            }
            let unit = field("unit").unwrap_or("");
            check_unit(unit)?;
            let usd = dim
                .get("pricePerUnit")
                .and_then(|p| p.get("USD"))
                .and_then(Value::as_str)
                .ok_or_else(|| format!("price dimension `{dim_key}` has no pricePerUnit.USD"))?;
            let usd = positive_price(usd)?;
            if found.is_some() {
                return Err(
                    "more than one on-demand price dimension; expected exactly one".to_string(),
                );
            }
            found = Some(OnDemandRate {
                usd,
                effective: effective.clone(),
            });
        }
    }
    found.ok_or_else(|| "no on-demand price dimension".to_string())
}

/// Fargate rows are billed per hour (`hours`, `Hrs`, `GB-Hours`).
pub(crate) fn check_unit(unit: &str) -> Result<(), String> {
    let u = unit.to_ascii_lowercase();
    if u.ends_with("hours") || u.ends_with("hrs") || u.ends_with("hour") {
        Ok(())
    } else {
        Err(format!("unit `{unit}` is not per hour"))
    }
}

/// A price found in a document, before it gets its origin.
pub(crate) struct Row {
    pub region: String,
    pub dimension: Dimension,
    pub usd: Decimal,
    pub sku: String,
    pub usage_type: String,
    pub effective: Option<String>,
}

/// Collects rows into prices, rejecting two different prices for one region and dimension.
pub(crate) struct Collector {
    at: String,
    rows: BTreeMap<(String, Dimension), Row>,
}

impl Collector {
    pub fn new(at: impl Into<String>) -> Self {
        Collector {
            at: at.into(),
            rows: BTreeMap::new(),
        }
    }

    pub fn add(&mut self, row: Row) -> Result<(), DocumentError> {
        let key = (row.region.clone(), row.dimension);
        if let Some(old) = self.rows.get(&key) {
            if old.usd != row.usd {
                return Err(DocumentError::new(
                    &self.at,
                    format!(
                        "two prices for {} in {}: {} (SKU {}) and {}",
                        row.dimension, row.region, old.usd, old.sku, row.usd
                    ),
                )
                .row(Some(&row.sku), Some(&row.usage_type)));
            }
            return Ok(());
        }
        self.rows.insert(key, row);
        Ok(())
    }

    /// The prices, each with `origin`, `as_of` and a source naming its SKU and usage type.
    pub fn into_prices(
        self,
        as_of: NaiveDate,
        origin: &Origin,
        describe: impl Fn(&Row) -> String,
    ) -> Vec<Price> {
        self.rows
            .into_values()
            .map(|row| Price {
                source: describe(&row),
                region: row.region,
                dimension: row.dimension,
                usd_per_unit: row.usd,
                unit: row.dimension.info().unit.to_string(),
                as_of,
                origin: origin.clone(),
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn usage_types_match_exactly_after_the_prefix() {
        let cases = [
            (
                "USE1-Fargate-vCPU-Hours:perCPU",
                Some(Dimension::LinuxX86VcpuHour),
            ),
            ("EU-Fargate-GB-Hours", Some(Dimension::LinuxX86GbHour)),
            ("APS3-Fargate-ARM-GB-Hours", Some(Dimension::LinuxArmGbHour)),
            (
                "Fargate-vCPU-Hours:perCPU",
                Some(Dimension::LinuxX86VcpuHour),
            ),
            (
                "USW2-Fargate-Windows-OS-Hours:perCPU",
                Some(Dimension::WindowsOsLicenseVcpuHour),
            ),
            (
                "USE1-Fargate-EphemeralStorage-GB-Hours",
                Some(Dimension::EphemeralStorageGbHour),
            ),
            ("USE1-SpotUsage-Fargate-GB-Hours", None),
            ("USE1-SpotUsage-Fargate-vCPU-Hours:perCPU", None),
            ("USE1-ECS-EC2-GB-Hours", None),
            ("USE1-ECS-EC2-vCPU-Hours", None),
            ("USE1-ECS-Anywhere-Instance-hours", None),
            ("USE1-Fargate-GB-Hours-Extra", None),
            ("USE1-Fargate-vCPU-Hours", None),
            ("use1-Fargate-GB-Hours", None),
            ("", None),
        ];
        for (usage, want) in cases {
            assert_eq!(on_demand_dimension(usage), want, "{usage}");
        }
    }

    #[test]
    fn dates_come_from_timestamps_and_versions() {
        let d = NaiveDate::from_ymd_opt(2022, 11, 21);
        assert_eq!(date_of("2022-11-21T18:21:30Z"), d);
        assert_eq!(date_of("20221121182130"), d);
        assert_eq!(date_of("yesterday"), None);
    }

    #[test]
    fn prices_are_positive_decimals() {
        assert_eq!(
            positive_price("0.0404800000").unwrap().to_string(),
            "0.0404800000"
        );
        assert!(positive_price("0.0000000000").is_err());
        assert!(positive_price("-1").is_err());
        assert!(positive_price("1e-3").is_err());
    }

    proptest! {
        /// Any prefix of capitals and digits is stripped, and a Spot or ECS-EC2 usage type
        /// never matches whatever the prefix.
        #[test]
        fn prefixes_never_change_the_match(prefix in "[A-Z][A-Z0-9]{0,5}") {
            for d in DIMENSIONS {
                let usage = format!("{prefix}-{}", d.usage_type);
                let got = on_demand_dimension(&usage);
                if d.dimension.family() == Family::OnDemand {
                    prop_assert_eq!(got, Some(d.dimension));
                } else {
                    prop_assert_eq!(got, None);
                }
            }
            prop_assert_eq!(on_demand_dimension(&format!("{prefix}-ECS-EC2-GB-Hours")), None);
        }
    }
}
