//! AWSLambda GetProducts documents: the request and duration prices of Lambda functions per region
//! and architecture, with the duration tiers AWS lists as price dimensions with begin and end
//! ranges (aws.amazon.com/lambda/pricing; the AWSLambda offer in the Price List API).
//!
//! Rows are found by usage type, matched **exactly** after the region prefix (`USE1-`, `EU-`, or
//! none in us-east-1): `Request`, `Request-ARM`, `Lambda-GB-Second`, `Lambda-GB-Second-ARM`, and
//! ephemeral storage `Lambda-Storage-GB-Second`, `Lambda-Storage-GB-Second-ARM` (held, not used
//! by `compare`). Everything else is skipped: provisioned concurrency (`Lambda-Provisioned-*`),
//! Lambda@Edge (`Lambda-Edge-*`), the free tier's `Global-*` rows, other services' rows.

use super::api::{Page, documents};
use super::{DocumentError, ProductDoc, strip_region_prefix};
use crate::core::pricing::Origin;
use crate::core::pricing::lambda::{LambdaItem, LambdaPrice};
use crate::core::vocab::platform::CpuArch;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;
use std::str::FromStr;

/// ServiceCode of Lambda in the Price List.
pub const SERVICE_CODE: &str = "AWSLambda";

/// The usage types priced (after the region prefix), by architecture and item.
pub const USAGE_TYPES: &[(&str, CpuArch, LambdaItem)] = &[
    ("Request", CpuArch::X86_64, LambdaItem::Request),
    ("Request-ARM", CpuArch::Arm64, LambdaItem::Request),
    ("Lambda-GB-Second", CpuArch::X86_64, LambdaItem::Duration),
    ("Lambda-GB-Second-ARM", CpuArch::Arm64, LambdaItem::Duration),
    // Ephemeral storage above the free 512 MB (pricing-page key `Lambda Storage-Duration`),
    // held for the embedded table and `prices export`.
    (
        "Lambda-Storage-GB-Second",
        CpuArch::X86_64,
        LambdaItem::EphemeralStorage,
    ),
    (
        "Lambda-Storage-GB-Second-ARM",
        CpuArch::Arm64,
        LambdaItem::EphemeralStorage,
    ),
];

/// The architecture and item a Lambda usage type bills, matched exactly after the region
/// prefix; `None` for anything else.
pub fn lambda_usage(usage_type: &str) -> Option<(CpuArch, LambdaItem)> {
    let rest = strip_region_prefix(usage_type);
    USAGE_TYPES
        .iter()
        .find(|(u, _, _)| *u == rest)
        .map(|(_, arch, item)| (*arch, *item))
}

/// What the documents of one region yielded.
#[derive(Clone, Debug, Default)]
pub struct LambdaParsed {
    /// Every tier of every price found; empty when the region has no Lambda rows.
    pub prices: Vec<LambdaPrice>,
    /// Documents that are not one of the usage types of `USAGE_TYPES` (or repeat one identically).
    pub skipped: usize,
}

/// What a usage type prices: the architecture and the item.
type Key = (CpuArch, LambdaItem);

/// One product's tiers, before they become prices.
struct Found {
    sku: String,
    usage_type: String,
    /// (begin, end, USD), sorted by begin.
    tiers: Vec<(Decimal, Option<Decimal>, Decimal)>,
    effective: Option<String>,
    version: Option<String>,
    published: Option<String>,
}

/// Parses every document of every page fetched for `region` with ServiceCode `AWSLambda`. A
/// region without any of the usage types gives no prices (not an error); a matching row that
/// is malformed (not USD, unit of another kind, a price of zero or less, tiers with a gap, overlap
/// or no open end, another region) is an error naming its SKU and usage type.
pub fn parse_region(
    region: &str,
    pages: &[Page],
    fetched_at: DateTime<Utc>,
) -> Result<LambdaParsed, DocumentError> {
    let mut found: BTreeMap<(CpuArch, LambdaItem), Found> = BTreeMap::new();
    let mut skipped = 0;
    for (at, doc) in documents(SERVICE_CODE, region, pages) {
        let Some((key, f)) = parse_document(&at, doc, region)? else {
            skipped += 1;
            continue;
        };
        match found.get(&key) {
            Some(old) if old.tiers == f.tiers => skipped += 1,
            Some(old) => {
                return Err(DocumentError::new(
                    at,
                    format!(
                        "two different price lists for Lambda {} {} in {region}: SKU {} and this one",
                        key.0,
                        key.1.id(),
                        old.sku
                    ),
                )
                .row(Some(&f.sku), Some(&f.usage_type)));
            }
            None => {
                found.insert(key, f);
            }
        }
    }
    let origin = Origin::PriceListApi { fetched_at };
    let mut prices = Vec::new();
    for ((arch, item), f) in found {
        // Dated by the offer's publication date (the fetch date when the document has none).
        let as_of = f
            .published
            .as_deref()
            .and_then(super::date_of)
            .unwrap_or_else(|| fetched_at.date_naive());
        let mut source = format!(
            "AWS Price List API GetProducts {SERVICE_CODE} {region}, SKU {} {}",
            f.sku, f.usage_type
        );
        if let Some(e) = &f.effective {
            source.push_str(&format!(", effective {e}"));
        }
        if let Some(v) = &f.version {
            source.push_str(&format!(", offer version {v}"));
        }
        if let Some(p) = &f.published {
            source.push_str(&format!(" published {p}"));
        }
        source.push_str(&format!(
            ", fetched {}",
            fetched_at.format("%Y-%m-%dT%H:%MZ")
        ));
        for (start, end, usd) in f.tiers {
            prices.push(LambdaPrice {
                region: region.to_string(),
                architecture: arch,
                item,
                tier_start: start,
                tier_end: end,
                usd_per_unit: usd,
                unit: item.unit().to_string(),
                as_of,
                source: source.clone(),
                origin: origin.clone(),
            });
        }
    }
    Ok(LambdaParsed { prices, skipped })
}

/// A plain non-negative decimal (`6000000000`, `0.0000166667`), never a float.
fn plain_decimal(what: &str, text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(format!("{what} `{text}` is not a plain decimal"));
    }
    Decimal::from_str(t).map_err(|e| format!("{what} `{text}`: {e}"))
}

fn unit_fits(item: LambdaItem, unit: &str) -> bool {
    let u = unit.to_ascii_lowercase();
    match item {
        LambdaItem::Request => u.starts_with("request"),
        LambdaItem::Duration | LambdaItem::EphemeralStorage => u.contains("second"),
    }
}

/// One document: `Some` for one of the usage types of `USAGE_TYPES`, `None` for anything else.
fn parse_document(
    at: &str,
    text: &str,
    region: &str,
) -> Result<Option<(Key, Found)>, DocumentError> {
    let product = ProductDoc::read(at, text)?;
    let Some((arch, item)) = lambda_usage(&product.usage_type) else {
        return Ok(None);
    };
    let err = |m: String| product.error(m);
    product.region(Some(region))?;
    let terms = product.on_demand_terms()?;
    let (sku, usage_type) = (product.sku.as_str(), product.usage_type.as_str());
    let mut tiers = Vec::new();
    let mut effective = None;
    for (term_key, term) in terms {
        if effective.is_none() {
            effective = term
                .get("effectiveDate")
                .and_then(Value::as_str)
                .map(str::to_string);
        }
        let dims = term
            .get("priceDimensions")
            .and_then(Value::as_object)
            .ok_or_else(|| err(format!("term `{term_key}` has no priceDimensions object")))?;
        for (dim_key, dim) in dims {
            let field = |name: &str| dim.get(name).and_then(Value::as_str);
            let begin = plain_decimal("beginRange", field("beginRange").unwrap_or("0"))
                .map_err(|m| err(format!("price dimension `{dim_key}`: {m}")))?;
            let end = match field("endRange").unwrap_or("Inf") {
                "Inf" => None,
                s => Some(
                    plain_decimal("endRange", s)
                        .map_err(|m| err(format!("price dimension `{dim_key}`: {m}")))?,
                ),
            };
            let unit = field("unit").unwrap_or("");
            if !unit_fits(item, unit) {
                return Err(err(format!(
                    "price dimension `{dim_key}` has unit `{unit}`; a Lambda {} is priced per {}",
                    item.id(),
                    item.unit()
                )));
            }
            let usd = dim
                .get("pricePerUnit")
                .and_then(|p| p.get("USD"))
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    err(format!(
                        "price dimension `{dim_key}` has no pricePerUnit.USD"
                    ))
                })?;
            let usd = plain_decimal("price", usd)
                .map_err(|m| err(format!("price dimension `{dim_key}`: {m}")))?;
            if usd <= Decimal::ZERO {
                return Err(err(format!(
                    "price dimension `{dim_key}` is priced {usd}, not positive; the free tier is \
                     not a price"
                )));
            }
            tiers.push((begin, end, usd));
        }
    }
    tiers.sort_by_key(|t| t.0);
    let mut expected = Some(Decimal::ZERO);
    for (begin, end, _) in &tiers {
        match expected {
            Some(e) if e == *begin => {}
            Some(e) => {
                return Err(err(format!(
                    "tiers leave a gap or overlap: one starts at {begin} where {e} was expected"
                )));
            }
            None => return Err(err(format!("a tier starts at {begin} after the open tier"))),
        }
        if end.is_some_and(|end| end <= *begin) {
            return Err(err(format!("a tier starts at {begin} and ends before it")));
        }
        expected = *end;
    }
    if tiers.is_empty() {
        return Err(err("no on-demand price dimension".to_string()));
    }
    if let Some(e) = expected {
        return Err(err(format!(
            "the last tier ends at {e}; expected an open end (`Inf`)"
        )));
    }
    let meta = |name: &str| {
        product
            .doc
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    Ok(Some((
        (arch, item),
        Found {
            sku: sku.to_string(),
            usage_type: usage_type.to_string(),
            tiers,
            effective,
            version: meta("version"),
            published: meta("publicationDate"),
        },
    )))
}

#[cfg(test)]
pub(crate) mod tests;
