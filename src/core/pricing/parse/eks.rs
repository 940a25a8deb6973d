//! AmazonEKS GetProducts documents: the cluster fee (`AmazonEKS-Hours:perCluster`), the
//! extended-support surcharge (`AmazonEKS-Hours:extendedSupport`) and the EKS-on-Fargate pod
//! rates (`Fargate-vCPU-Hours:perCPU`, `Fargate-GB-Hours`: the ECS Fargate names, under
//! ServiceCode `AmazonEKS`), matched **exactly** after the region prefix. Everything else (Auto
//! Mode, hybrid nodes, provisioned control plane tiers, capabilities) is skipped.

use super::api::{Page, documents};
use super::{DocumentError, ProductDoc, date_of, on_demand_rate, strip_region_prefix};
use crate::core::pricing::Origin;
use crate::core::pricing::eks::{EksItem, EksPrice};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeMap;

/// ServiceCode of EKS in the Price List.
pub const SERVICE_CODE: &str = "AmazonEKS";

/// The usage types priced (after the region prefix), by item. `AmazonEKS-Hours:extendedSupport`
/// is not named in AWS's documentation; it is the name public Cost and Usage Report rows and Price
/// List captures show for the extended-support surcharge (docs/prices.md, `prices fetch`).
pub const USAGE_TYPES: &[(&str, EksItem)] = &[
    ("AmazonEKS-Hours:perCluster", EksItem::ClusterStandardHour),
    (
        "AmazonEKS-Hours:extendedSupport",
        EksItem::ClusterExtendedSurchargeHour,
    ),
    ("Fargate-vCPU-Hours:perCPU", EksItem::PodLinuxX86VcpuHour),
    ("Fargate-GB-Hours", EksItem::PodLinuxX86GbHour),
];

/// The item a usage type bills, matched exactly after the region prefix.
pub fn eks_item(usage_type: &str) -> Option<EksItem> {
    let rest = strip_region_prefix(usage_type);
    USAGE_TYPES
        .iter()
        .find(|(u, _)| *u == rest)
        .map(|(_, item)| *item)
}

/// What the documents of one region yielded.
#[derive(Clone, Debug, Default)]
pub struct EksParsed {
    /// Every price found; empty when the region has no EKS rows.
    pub prices: Vec<EksPrice>,
    pub skipped: usize,
}

/// Parses every document fetched for `region` with ServiceCode `AmazonEKS`. Each price is dated
/// by its offer's `publicationDate` (the fetch date when the document has none). A region without
/// any of the usage types gives no prices; a matching row that is malformed (tiered, not per
/// hour, not positive, another region, two prices for one item) is an error naming it.
pub fn parse_region(
    region: &str,
    pages: &[Page],
    fetched_at: DateTime<Utc>,
) -> Result<EksParsed, DocumentError> {
    let mut found: BTreeMap<EksItem, EksPrice> = BTreeMap::new();
    let mut skipped = 0;
    let origin = Origin::PriceListApi { fetched_at };
    for (at, doc) in documents(SERVICE_CODE, region, pages) {
        let Some(price) = parse_document(&at, doc, region, fetched_at, &origin)? else {
            skipped += 1;
            continue;
        };
        match found.get(&price.item) {
            Some(old) if old.usd_per_unit == price.usd_per_unit => skipped += 1,
            Some(old) => {
                return Err(DocumentError::new(
                    at,
                    format!(
                        "two prices for EKS {} in {region}: {} and {}",
                        price.item.id(),
                        old.usd_per_unit,
                        price.usd_per_unit
                    ),
                ));
            }
            None => {
                found.insert(price.item, price);
            }
        }
    }
    Ok(EksParsed {
        prices: found.into_values().collect(),
        skipped,
    })
}

fn parse_document(
    at: &str,
    text: &str,
    region: &str,
    fetched_at: DateTime<Utc>,
    origin: &Origin,
) -> Result<Option<EksPrice>, DocumentError> {
    let product = ProductDoc::read(at, text)?;
    let Some(item) = eks_item(&product.usage_type) else {
        return Ok(None);
    };
    let err = |m: String| product.error(m);
    product.region(Some(region))?;
    let on_demand = product.on_demand_terms()?;
    let rate = on_demand_rate(&on_demand).map_err(err)?;
    let text_of = |name: &str| product.doc.get(name).and_then(Value::as_str);
    let (sku, usage_type) = (&product.sku, &product.usage_type);
    let version = text_of("version");
    let published = text_of("publicationDate");
    let as_of = published
        .and_then(date_of)
        .unwrap_or_else(|| fetched_at.date_naive());
    let mut source = format!(
        "AWS Price List API GetProducts ServiceCode {SERVICE_CODE} {region}, usage type \
         {usage_type}, SKU {sku}"
    );
    if let Some(e) = &rate.effective {
        source.push_str(&format!(", effective {e}"));
    }
    if let Some(v) = version {
        source.push_str(&format!(", offer version {v}"));
    }
    if let Some(p) = published {
        source.push_str(&format!(" published {p}"));
    }
    Ok(Some(EksPrice {
        region: region.to_string(),
        item,
        usd_per_unit: rate.usd,
        unit: item.unit().to_string(),
        as_of,
        source,
        origin: origin.clone(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An AmazonEKS GetProducts document in the real shape.
    fn doc(sku: &str, region: &str, usage_type: &str, usd: &str) -> String {
        super::super::api::tests::doc(sku, region, usage_type, usd, "")
            .replace("AmazonECS", "AmazonEKS")
    }

    fn now() -> DateTime<Utc> {
        "2026-11-26T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn usage_types_match_exactly_after_the_prefix() {
        for (usage, want) in [
            (
                "USE1-AmazonEKS-Hours:perCluster",
                Some(EksItem::ClusterStandardHour),
            ),
            (
                "AmazonEKS-Hours:perCluster",
                Some(EksItem::ClusterStandardHour),
            ),
            (
                "EUC1-AmazonEKS-Hours:extendedSupport",
                Some(EksItem::ClusterExtendedSurchargeHour),
            ),
            (
                "ILC1-Fargate-vCPU-Hours:perCPU",
                Some(EksItem::PodLinuxX86VcpuHour),
            ),
            ("EU-Fargate-GB-Hours", Some(EksItem::PodLinuxX86GbHour)),
            ("USE1-AmazonEKS-Hours:XL-ProvisionedTier", None),
            ("USE1-AmazonEKSHybridNodes-Hours:pervCPU", None),
            ("USE1-SpotUsage-Fargate-GB-Hours", None),
            ("USE1-Fargate-ARM-GB-Hours", None),
            ("USE1-Fargate-GB-Hours-Extra", None),
        ] {
            assert_eq!(eks_item(usage), want, "{usage}");
        }
    }

    #[test]
    fn a_region_reads_to_four_prices_dated_by_the_offer() {
        let pages = [
            Page {
                documents: vec![
                    doc(
                        "C1",
                        "il-central-1",
                        "ILC1-AmazonEKS-Hours:perCluster",
                        "0.1000000000",
                    ),
                    doc(
                        "D1",
                        "il-central-1",
                        "ILC1-AmazonEKS-Hours:XL-ProvisionedTier",
                        "1.65",
                    ),
                    doc(
                        "P1",
                        "il-central-1",
                        "ILC1-Fargate-vCPU-Hours:perCPU",
                        "0.0518000000",
                    ),
                ],
            },
            Page {
                documents: vec![
                    doc(
                        "P2",
                        "il-central-1",
                        "ILC1-Fargate-GB-Hours",
                        "0.0057000000",
                    ),
                    doc(
                        "E1",
                        "il-central-1",
                        "ILC1-AmazonEKS-Hours:extendedSupport",
                        "0.5000000000",
                    ),
                ],
            },
        ];
        let parsed = parse_region("il-central-1", &pages, now()).unwrap();
        assert_eq!(parsed.prices.len(), 4);
        assert_eq!(parsed.skipped, 1);
        let pod = &parsed.prices[2];
        assert_eq!(pod.item, EksItem::PodLinuxX86VcpuHour);
        assert_eq!(pod.usd_per_unit.to_string(), "0.0518000000");
        assert_eq!(pod.as_of.to_string(), "2026-11-20");
        assert!(
            pod.source.contains("ServiceCode AmazonEKS il-central-1, usage type ILC1-Fargate-vCPU-Hours:perCPU, SKU P1")
                && pod.source.contains("offer version 20261120100000 published 2026-11-20"),
            "{}",
            pod.source
        );
        let none = parse_region("il-central-1", &[], now()).unwrap();
        assert!(none.prices.is_empty());
    }

    #[test]
    fn malformed_rows_are_errors() {
        let zero = doc("Z1", "us-east-1", "USE1-AmazonEKS-Hours:perCluster", "0.0");
        let other = doc("R1", "eu-west-1", "EU-Fargate-GB-Hours", "0.1");
        for (d, want) in [(zero, "not positive"), (other, "regionCode `eu-west-1`")] {
            let err = parse_region("us-east-1", &[Page { documents: vec![d] }], now())
                .unwrap_err()
                .to_string();
            assert!(err.contains(want), "{err}");
        }
    }
}
