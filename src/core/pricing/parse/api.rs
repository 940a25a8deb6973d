//! Price List Query API GetProducts documents: each `PriceList` item is a whole JSON document for
//! one product and its terms (AWS Price List API reference, GetProducts). Also reads saved `aws pricing get-products`
//! output.

use super::{
    Collector, DocumentError, Parsed, ProductDoc, Row, date_of, on_demand_dimension, on_demand_rate,
};
use crate::core::pricing::Origin;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// One page of GetProducts, as received.
#[derive(Clone, Debug)]
pub struct Page {
    pub documents: Vec<String>,
}

/// Every document of `pages` with the place errors name it by:
/// `GetProducts <service code> <region>, page P, item I` (both counted from 1).
pub fn documents<'a>(
    code: &'a str,
    region: &'a str,
    pages: &'a [Page],
) -> impl Iterator<Item = (String, &'a str)> + 'a {
    pages.iter().enumerate().flat_map(move |(p, page)| {
        page.documents.iter().enumerate().map(move |(i, doc)| {
            let at = format!(
                "GetProducts {code} {region}, page {}, item {}",
                p + 1,
                i + 1
            );
            (at, doc.as_str())
        })
    })
}

/// Parses every document of every page fetched for `region` (the region asked for in the
/// `regionCode` filter). A region with no Fargate row is an error that says so.
pub fn parse_region(
    region: &str,
    pages: &[Page],
    fetched_at: DateTime<Utc>,
) -> Result<Parsed, DocumentError> {
    let mut collector = Collector::new(format!("GetProducts AmazonECS {region}"));
    let mut skipped = 0;
    let mut published: Option<String> = None;
    let mut version: Option<String> = None;
    let mut seen = 0;
    for (at, doc) in documents("AmazonECS", region, pages) {
        seen += 1;
        match parse_document(&at, doc, Some(region))? {
            Some((row, meta)) => {
                if published.is_none() {
                    published = meta.publication_date;
                    version = meta.version;
                }
                collector.add(row)?;
            }
            None => skipped += 1,
        }
    }
    if collector.is_empty() {
        return Err(DocumentError::new(
            format!("GetProducts AmazonECS {region}"),
            format!(
                "no Fargate prices for region `{region}`: {seen} Compute product{} returned, none \
                 with a Fargate usage type; Fargate may not be offered there",
                if seen == 1 { "" } else { "s" }
            ),
        ));
    }
    let origin = Origin::PriceListApi { fetched_at };
    // Dated by the offer's publication date, as an imported offer file is.
    let as_of = published
        .as_deref()
        .and_then(date_of)
        .unwrap_or_else(|| fetched_at.date_naive());
    let prices = collector.into_prices(as_of, &origin, |row| {
        describe(
            "AWS Price List API GetProducts AmazonECS",
            row,
            version.as_deref(),
            published.as_deref(),
        )
    });
    Ok(Parsed {
        prices,
        savings: Vec::new(),
        skipped,
        published,
        kind: "Price List API GetProducts documents",
    })
}

/// Parses saved `aws pricing get-products` output (`{"PriceList": ["<doc>", ...]}`), any regions.
pub fn parse_saved_output(
    file: &str,
    value: &Value,
    imported_at: DateTime<Utc>,
) -> Result<Parsed, DocumentError> {
    let list = value
        .get("PriceList")
        .and_then(Value::as_array)
        .ok_or_else(|| DocumentError::new(file, "no `PriceList` array"))?;
    let mut collector = Collector::new(file);
    let mut skipped = 0;
    let mut published: Option<String> = None;
    let mut version: Option<String> = None;
    for (i, item) in list.iter().enumerate() {
        let at = format!("{file}, PriceList item {}", i + 1);
        // The CLI prints each document as a string, as the API does; accept objects too.
        let text = match item {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        match parse_document(&at, &text, None)? {
            Some((row, meta)) => {
                if published.is_none() {
                    published = meta.publication_date;
                    version = meta.version;
                }
                collector.add(row)?;
            }
            None => skipped += 1,
        }
    }
    if collector.is_empty() {
        return Err(DocumentError::new(
            file,
            format!("no Fargate prices among its {} products", list.len()),
        ));
    }
    let as_of = published
        .as_deref()
        .and_then(date_of)
        .unwrap_or_else(|| imported_at.date_naive());
    let origin = Origin::Imported {
        file: file.to_string(),
        published: published.clone(),
        imported_at,
    };
    let prices = collector.into_prices(as_of, &origin, |row| {
        describe(
            &format!("saved GetProducts output {file}"),
            row,
            version.as_deref(),
            published.as_deref(),
        )
    });
    Ok(Parsed {
        prices,
        savings: Vec::new(),
        skipped,
        published,
        kind: "saved GetProducts output",
    })
}

pub(crate) fn describe(
    what: &str,
    row: &Row,
    version: Option<&str>,
    published: Option<&str>,
) -> String {
    let mut s = format!("{what} {}, SKU {} {}", row.region, row.sku, row.usage_type);
    if let Some(e) = &row.effective {
        s.push_str(&format!(", effective {e}"));
    }
    if let Some(v) = version {
        s.push_str(&format!(", offer version {v}"));
    }
    if let Some(p) = published {
        s.push_str(&format!(" published {p}"));
    }
    s
}

pub(crate) struct Meta {
    pub version: Option<String>,
    pub publication_date: Option<String>,
}

/// One GetProducts document: `Some` row for a Fargate price, `None` for any other product.
fn parse_document(
    at: &str,
    text: &str,
    region: Option<&str>,
) -> Result<Option<(Row, Meta)>, DocumentError> {
    let product = ProductDoc::read(at, text)?;
    let Some(dimension) = on_demand_dimension(&product.usage_type) else {
        return Ok(None);
    };
    let err = |m: String| product.error(m);
    if let Some(family) = product
        .doc
        .get("product")
        .and_then(|p| p.get("productFamily"))
        .and_then(Value::as_str)
        && family != "Compute"
    {
        return Ok(None);
    }
    let Some(row_region) = product.region(region)? else {
        return Err(err("no `attributes.regionCode`".to_string()));
    };
    let on_demand = product.on_demand_terms()?;
    let (doc, sku, usage_type) = (
        &product.doc,
        product.sku.as_str(),
        product.usage_type.as_str(),
    );
    let rate = on_demand_rate(&on_demand).map_err(err)?;
    let meta = Meta {
        version: doc
            .get("version")
            .and_then(Value::as_str)
            .map(str::to_string),
        publication_date: doc
            .get("publicationDate")
            .and_then(Value::as_str)
            .map(str::to_string),
    };
    Ok(Some((
        Row {
            region: row_region,
            dimension,
            usd: rate.usd,
            sku: sku.to_string(),
            usage_type: usage_type.to_string(),
            effective: rate.effective,
        },
        meta,
    )))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::core::pricing::Dimension;

    /// A GetProducts document in the real shape (AWS Price List API reference, GetProducts).
    pub fn doc(sku: &str, region: &str, usage_type: &str, usd: &str, extra: &str) -> String {
        format!(
            r#"{{"product":{{"productFamily":"Compute","attributes":{{"regionCode":"{region}","servicecode":"AmazonECS","usagetype":"{usage_type}","location":"somewhere","locationType":"AWS Region","tenancy":"Shared","operation":""{extra}}},"sku":"{sku}"}},"serviceCode":"AmazonECS","terms":{{"OnDemand":{{"{sku}.JRTCKXETXF":{{"priceDimensions":{{"{sku}.JRTCKXETXF.6YS6EN2CT7":{{"unit":"hours","endRange":"Inf","description":"AWS Fargate","appliesTo":[],"rateCode":"{sku}.JRTCKXETXF.6YS6EN2CT7","beginRange":"0","pricePerUnit":{{"USD":"{usd}"}}}}}},"sku":"{sku}","effectiveDate":"2026-11-01T00:00:00Z","offerTermCode":"JRTCKXETXF","termAttributes":{{}}}}}}}},"version":"20261120100000","publicationDate":"2026-11-20T10:00:00Z"}}"#
        )
    }

    fn now() -> DateTime<Utc> {
        "2026-11-26T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn fargate_rows_are_kept_and_decoys_skipped() {
        let pages = [
            Page {
                documents: vec![
                    doc(
                        "A1",
                        "us-east-1",
                        "USE1-Fargate-vCPU-Hours:perCPU",
                        "0.0404800000",
                        "",
                    ),
                    doc(
                        "D1",
                        "us-east-1",
                        "USE1-ECS-EC2-GB-Hours",
                        "0.0000000000",
                        "",
                    ),
                    doc(
                        "D2",
                        "us-east-1",
                        "USE1-SpotUsage-Fargate-GB-Hours",
                        "0.0014",
                        "",
                    ),
                ],
            },
            Page {
                documents: vec![
                    doc(
                        "A2",
                        "us-east-1",
                        "USE1-Fargate-GB-Hours",
                        "0.0044450000",
                        "",
                    ),
                    doc(
                        "A3",
                        "us-east-1",
                        "USE1-Fargate-ARM-GB-Hours",
                        "0.0035600000",
                        r#","cpuArchitecture":"ARM""#,
                    ),
                ],
            },
        ];
        let parsed = parse_region("us-east-1", &pages, now()).unwrap();
        assert_eq!(parsed.prices.len(), 3);
        assert_eq!(parsed.skipped, 2);
        let x86 = parsed
            .prices
            .iter()
            .find(|p| p.dimension == Dimension::LinuxX86VcpuHour)
            .unwrap();
        assert_eq!(x86.usd_per_unit.to_string(), "0.0404800000");
        assert!(x86.source.contains("SKU A1"), "{}", x86.source);
        assert!(
            x86.source.contains("effective 2026-11-01"),
            "{}",
            x86.source
        );
        assert_eq!(x86.origin.to_string(), "Price List API 2026-11-26T10:00Z");
        assert_eq!(
            x86.as_of.to_string(),
            "2026-11-20",
            "the offer's publication date"
        );
    }

    #[test]
    fn a_fargate_row_priced_zero_is_an_error_naming_sku_and_usage_type() {
        let pages = [Page {
            documents: vec![doc(
                "Z9",
                "us-east-1",
                "USE1-Fargate-GB-Hours",
                "0.0000000000",
                "",
            )],
        }];
        let err = parse_region("us-east-1", &pages, now())
            .unwrap_err()
            .to_string();
        assert!(err.contains("SKU Z9 (USE1-Fargate-GB-Hours)"), "{err}");
        assert!(err.contains("not positive"), "{err}");
    }

    #[test]
    fn garbage_and_empty_regions_are_errors() {
        let pages = [Page {
            documents: vec!["<html>oops</html>".to_string()],
        }];
        let err = parse_region("us-east-1", &pages, now())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("page 1, item 1") && err.contains("not a JSON"),
            "{err}"
        );

        let pages = [Page {
            documents: vec![doc("D1", "eu-west-3", "EU3-ECS-EC2-GB-Hours", "0.0", "")],
        }];
        let err = parse_region("eu-west-3", &pages, now())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no Fargate prices for region `eu-west-3`"),
            "{err}"
        );
    }

    #[test]
    fn a_row_for_another_region_is_rejected() {
        let pages = [Page {
            documents: vec![doc("A1", "eu-west-1", "EU-Fargate-GB-Hours", "0.1", "")],
        }];
        let err = parse_region("us-east-1", &pages, now())
            .unwrap_err()
            .to_string();
        assert!(err.contains("regionCode `eu-west-1`"), "{err}");
    }

    #[test]
    fn tiered_fargate_rows_are_rejected() {
        let tiered = doc("T1", "us-east-1", "USE1-Fargate-GB-Hours", "0.1", "")
            .replace(r#""endRange":"Inf""#, r#""endRange":"100""#);
        let pages = [Page {
            documents: vec![tiered],
        }];
        let err = parse_region("us-east-1", &pages, now())
            .unwrap_err()
            .to_string();
        assert!(err.contains("tiered") && err.contains("SKU T1"), "{err}");
    }
}
