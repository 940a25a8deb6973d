//! AmazonEC2 GetProducts documents: the on-demand Linux, shared-tenancy price per hour of the
//! instance types the EC2 book knows. The query filters on these attributes already
//! (`aws::pricing`), but every document is checked again here, so a decoy (Dedicated tenancy,
//! Windows, RHEL, SQL Server, a capacity reservation, another region) is never priced even if a
//! server ignored the filters: a row must be exactly
//!
//! | attribute | value |
//! |---|---|
//! | `productFamily` | `Compute Instance` |
//! | `instanceType` | a type of the book |
//! | `regionCode` | the region asked for |
//! | `tenancy` | `Shared` |
//! | `operatingSystem` | `Linux` |
//! | `preInstalledSw` | `NA` |
//! | `capacitystatus` | `Used` |
//! | `licenseModel` | `No License required` (when present) |
//! | `operation` | `RunInstances` (when present) |
//! | usage type after the region prefix | `BoxUsage:<instanceType>` |

use super::api::{Page, documents};
use super::{DocumentError, ProductDoc, date_of, on_demand_rate, strip_region_prefix};
use crate::core::pricing::Origin;
use crate::core::pricing::ec2::InstancePrice;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeMap;

/// ServiceCode of EC2 in the Price List.
pub const SERVICE_CODE: &str = "AmazonEC2";

/// The exact attribute values of a priced row, beside `regionCode`, `instanceType` and the
/// usage type (see the module comment). The fetch sends the same ones as TERM_MATCH filters.
pub const REQUIRED: &[(&str, &str)] = &[
    ("tenancy", "Shared"),
    ("operatingSystem", "Linux"),
    ("preInstalledSw", "NA"),
    ("capacitystatus", "Used"),
    ("licenseModel", "No License required"),
];

/// Attributes checked only when present (older captures lack them).
const WHEN_PRESENT: &[&str] = &["licenseModel", "operation"];

/// What the documents of one region yielded.
#[derive(Clone, Debug, Default)]
pub struct Ec2Parsed {
    pub prices: Vec<InstancePrice>,
    /// Documents that are not an on-demand Linux shared-tenancy row of a known type.
    pub skipped: usize,
}

/// Parses every document fetched for `region` with ServiceCode `AmazonEC2`, keeping the rows of
/// `types`. Each price is dated by its offer's `publicationDate` (the fetch date without one).
/// Two different prices for one type, or a matching row that is malformed, are errors.
pub fn parse_region(
    region: &str,
    pages: &[Page],
    types: &[String],
    fetched_at: DateTime<Utc>,
) -> Result<Ec2Parsed, DocumentError> {
    let mut found: BTreeMap<String, InstancePrice> = BTreeMap::new();
    let mut skipped = 0;
    let origin = Origin::PriceListApi { fetched_at };
    for (at, doc) in documents(SERVICE_CODE, region, pages) {
        let Some(price) = parse_document(&at, doc, region, types, fetched_at, &origin)? else {
            skipped += 1;
            continue;
        };
        match found.get(&price.instance_type) {
            Some(old) if old.usd_per_hour == price.usd_per_hour => skipped += 1,
            Some(old) => {
                return Err(DocumentError::new(
                    at,
                    format!(
                        "two on-demand Linux prices for {} in {region}: {} and {}",
                        price.instance_type, old.usd_per_hour, price.usd_per_hour
                    ),
                ));
            }
            None => {
                found.insert(price.instance_type.clone(), price);
            }
        }
    }
    Ok(Ec2Parsed {
        prices: found.into_values().collect(),
        skipped,
    })
}

/// Whether the product is an on-demand Linux shared-tenancy instance row of a known type.
fn is_linux_on_demand(product: &ProductDoc<'_>, types: &[String]) -> Option<String> {
    let family = product
        .doc
        .get("product")
        .and_then(|p| p.get("productFamily"))
        .and_then(Value::as_str);
    if family != Some("Compute Instance") {
        return None;
    }
    let instance_type = product.attr("instanceType")?;
    if !types.iter().any(|t| t == instance_type) {
        return None;
    }
    for (name, want) in REQUIRED {
        match product.attr(name) {
            Some(v) if v == *want => {}
            None if WHEN_PRESENT.contains(name) => {}
            _ => return None,
        }
    }
    if product
        .attr("operation")
        .is_some_and(|o| o != "RunInstances")
    {
        return None;
    }
    if strip_region_prefix(&product.usage_type) != format!("BoxUsage:{instance_type}") {
        return None;
    }
    Some(instance_type.to_string())
}

fn parse_document(
    at: &str,
    text: &str,
    region: &str,
    types: &[String],
    fetched_at: DateTime<Utc>,
    origin: &Origin,
) -> Result<Option<InstancePrice>, DocumentError> {
    let product = ProductDoc::read(at, text)?;
    let Some(instance_type) = is_linux_on_demand(&product, types) else {
        return Ok(None);
    };
    if product.attr("regionCode") != Some(region) {
        // Another region's row (or one without a region) is a decoy, never this region's price.
        return Ok(None);
    }
    let on_demand = product.on_demand_terms()?;
    let rate = on_demand_rate(&on_demand).map_err(|m| product.error(m))?;
    crate::core::pricing::check_plausible(rate.usd).map_err(|m| product.error(m))?;
    let text_of = |name: &str| product.doc.get(name).and_then(Value::as_str);
    let published = text_of("publicationDate");
    let as_of = published
        .and_then(date_of)
        .unwrap_or_else(|| fetched_at.date_naive());
    let mut source = format!(
        "AWS Price List API GetProducts ServiceCode {SERVICE_CODE} {region}, usage type {}, \
         SKU {}, Linux shared tenancy on demand",
        product.usage_type, product.sku
    );
    if let Some(e) = &rate.effective {
        source.push_str(&format!(", effective {e}"));
    }
    if let Some(v) = text_of("version") {
        source.push_str(&format!(", offer version {v}"));
    }
    if let Some(p) = published {
        source.push_str(&format!(" published {p}"));
    }
    Ok(Some(InstancePrice {
        region: region.to_string(),
        instance_type,
        usd_per_hour: rate.usd,
        as_of,
        source,
        origin: origin.clone(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    /// One AmazonEC2 document in the GetProducts shape, with attributes overridden.
    pub(crate) fn doc(
        sku: &str,
        usage: &str,
        family: &str,
        attrs: &[(&str, &str)],
        usd: &str,
    ) -> String {
        let mut a = serde_json::json!({
            "regionCode": "us-east-1", "instanceType": "m7g.large", "tenancy": "Shared",
            "operatingSystem": "Linux", "preInstalledSw": "NA", "capacitystatus": "Used",
            "licenseModel": "No License required", "operation": "RunInstances",
            "usagetype": usage, "location": "US East (N. Virginia)", "servicecode": "AmazonEC2"
        });
        for (k, v) in attrs {
            a[*k] = Value::String((*v).to_string());
        }
        serde_json::json!({
            "product": {"productFamily": family, "sku": sku, "attributes": a},
            "serviceCode": "AmazonEC2",
            "terms": {"OnDemand": {format!("{sku}.JRTCKXETXF"): {
                "sku": sku, "offerTermCode": "JRTCKXETXF", "effectiveDate": "2026-11-01T00:00:00Z",
                "termAttributes": {},
                "priceDimensions": {format!("{sku}.JRTCKXETXF.6YS6EN2CT7"): {
                    "unit": "Hrs", "beginRange": "0", "endRange": "Inf",
                    "description": "On Demand Linux", "pricePerUnit": {"USD": usd}}}}}},
            "version": "20261120", "publicationDate": "2026-11-20T10:00:00Z"
        })
        .to_string()
    }

    #[test]
    fn only_the_linux_shared_on_demand_row_is_priced_among_decoys() {
        let types = vec!["m7g.large".to_string(), "c7g.large".to_string()];
        let docs = vec![
            doc(
                "A",
                "BoxUsage:m7g.large",
                "Compute Instance",
                &[],
                "0.0816000000",
            ),
            doc(
                "B",
                "DedicatedUsage:m7g.large",
                "Compute Instance",
                &[("tenancy", "Dedicated")],
                "0.0900000000",
            ),
            doc(
                "C",
                "BoxUsage:m7g.large",
                "Compute Instance",
                &[
                    ("operatingSystem", "Windows"),
                    ("operation", "RunInstances:0002"),
                ],
                "0.1500000000",
            ),
            doc(
                "D",
                "BoxUsage:m7g.large",
                "Compute Instance",
                &[
                    ("operatingSystem", "RHEL"),
                    ("operation", "RunInstances:0010"),
                ],
                "0.1100000000",
            ),
            doc(
                "E",
                "BoxUsage:m7g.large",
                "Compute Instance",
                &[("preInstalledSw", "SQL Std")],
                "0.5000000000",
            ),
            doc(
                "F",
                "Reservation:m7g.large",
                "Compute Instance",
                &[("capacitystatus", "AllocatedCapacityReservation")],
                "0.0816000000",
            ),
            doc(
                "G",
                "UnusedBox:m7g.large",
                "Compute Instance",
                &[("capacitystatus", "UnusedCapacityReservation")],
                "0.0816000000",
            ),
            doc(
                "H",
                "BoxUsage:m7g.large",
                "Compute Instance",
                &[("licenseModel", "Bring your own license")],
                "0.0700000000",
            ),
            doc(
                "I",
                "EUW1-BoxUsage:m7g.large",
                "Compute Instance",
                &[("regionCode", "eu-west-1")],
                "0.0900000000",
            ),
            doc(
                "J",
                "BoxUsage:x9.huge",
                "Compute Instance",
                &[("instanceType", "x9.huge")],
                "1.0000000000",
            ),
            doc("K", "EBS:VolumeUsage.gp3", "Storage", &[], "0.0800000000"),
            doc(
                "L",
                "BoxUsage:c7g.large",
                "Compute Instance",
                &[("instanceType", "c7g.large")],
                "0.0725000000",
            ),
        ];
        let pages = vec![Page { documents: docs }];
        let at: DateTime<Utc> = "2026-11-30T10:00:00Z".parse().unwrap();
        let parsed = parse_region("us-east-1", &pages, &types, at).unwrap();
        let got: Vec<(&str, Decimal)> = parsed
            .prices
            .iter()
            .map(|p| (p.instance_type.as_str(), p.usd_per_hour))
            .collect();
        assert_eq!(
            got,
            vec![
                ("c7g.large", Decimal::from_str("0.0725").unwrap()),
                ("m7g.large", Decimal::from_str("0.0816").unwrap())
            ]
        );
        assert_eq!(parsed.skipped, 10);
        let p = &parsed.prices[1];
        assert_eq!(p.as_of.to_string(), "2026-11-20");
        assert!(
            p.source.contains("SKU A") && p.source.contains("BoxUsage:m7g.large"),
            "{}",
            p.source
        );
    }

    #[test]
    fn two_prices_for_one_type_are_an_error_and_an_absent_license_is_fine() {
        let types = vec!["m7g.large".to_string()];
        let mut second = doc(
            "Z",
            "BoxUsage:m7g.large",
            "Compute Instance",
            &[],
            "0.0900000000",
        );
        let pages = vec![Page {
            documents: vec![
                doc(
                    "A",
                    "BoxUsage:m7g.large",
                    "Compute Instance",
                    &[],
                    "0.0816000000",
                ),
                second.clone(),
            ],
        }];
        let at: DateTime<Utc> = "2026-11-30T10:00:00Z".parse().unwrap();
        let e = parse_region("us-east-1", &pages, &types, at).unwrap_err();
        assert!(e.to_string().contains("two on-demand Linux prices"), "{e}");
        second = second.replace(",\"licenseModel\":\"No License required\"", "");
        assert!(!second.contains("licenseModel"));
        let pages = vec![Page {
            documents: vec![second],
        }];
        assert_eq!(
            parse_region("us-east-1", &pages, &types, at)
                .unwrap()
                .prices
                .len(),
            1
        );
    }
}
