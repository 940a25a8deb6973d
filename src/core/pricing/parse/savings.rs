//! Compute Savings Plans offer files (`savingsPlan/v1.0/aws/AWSComputeSavingsPlan/...`): the
//! Fargate for ECS rates, kept for the Savings Plans recommender. Plans come from the product's
//! `usageType` (`ComputeSP:1yrNoUpfront`); rates are matched on `discountedServiceCode =
//! AmazonECS` and the exact Linux usage type after the region prefix (EKS shares the usage types,
//! so the service code matters).

use super::{DocumentError, Parsed, date_of, positive_price, strip_region_prefix};
use crate::core::pricing::{Origin, SavingsRate};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeMap;

/// Usage type after the prefix → (architecture, dimension, unit).
const SP_USAGE_TYPES: &[(&str, &str, &str, &str)] = &[
    (
        "Fargate-vCPU-Hours:perCPU",
        "X86_64",
        "vcpu_hour",
        "vCPU-hour",
    ),
    ("Fargate-GB-Hours", "X86_64", "gb_hour", "GB-hour"),
    (
        "Fargate-ARM-vCPU-Hours:perCPU",
        "ARM64",
        "vcpu_hour",
        "vCPU-hour",
    ),
    ("Fargate-ARM-GB-Hours", "ARM64", "gb_hour", "GB-hour"),
];

/// Whether a JSON value looks like a Savings Plans offer file.
pub fn looks_like_offer(value: &Value) -> bool {
    value
        .get("terms")
        .and_then(|t| t.get("savingsPlan"))
        .is_some_and(Value::is_array)
}

/// `ComputeSP:1yrNoUpfront` → `compute_1yr_no_upfront`; `None` for other plan types.
pub fn plan_id(usage_type: &str) -> Option<String> {
    let rest = usage_type.strip_prefix("ComputeSP:")?;
    let (years, option) = rest.split_once("yr")?;
    if !matches!(years, "1" | "3") {
        return None;
    }
    let option = match option {
        "NoUpfront" => "no_upfront",
        "PartialUpfront" => "partial_upfront",
        "AllUpfront" => "all_upfront",
        _ => return None,
    };
    Some(format!("compute_{years}yr_{option}"))
}

pub fn parse(
    file: &str,
    value: &Value,
    imported_at: DateTime<Utc>,
) -> Result<Parsed, DocumentError> {
    let text = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_string);
    let version = text("version");
    let published = text("publicationDate");
    let file_region = text("regionCode");
    let as_of = published
        .as_deref()
        .and_then(date_of)
        .or_else(|| version.as_deref().and_then(date_of))
        .ok_or_else(|| {
            DocumentError::new(file, "no `publicationDate` or `version` to date it by")
        })?;
    let mut plans: BTreeMap<&str, String> = BTreeMap::new();
    for product in value
        .get("products")
        .and_then(Value::as_array)
        .ok_or_else(|| DocumentError::new(file, "no `products` array"))?
    {
        let sku = product.get("sku").and_then(Value::as_str);
        let usage = product.get("usageType").and_then(Value::as_str);
        if let (Some(sku), Some(plan)) = (sku, usage.and_then(plan_id)) {
            plans.insert(sku, plan);
        }
    }
    let origin = Origin::Imported {
        file: file.to_string(),
        published: published.clone(),
        imported_at,
    };
    let mut out: BTreeMap<(String, String, String, String), SavingsRate> = BTreeMap::new();
    let mut skipped = 0;
    let terms = value
        .get("terms")
        .and_then(|t| t.get("savingsPlan"))
        .and_then(Value::as_array)
        .ok_or_else(|| DocumentError::new(file, "no `terms.savingsPlan` array"))?;
    for term in terms {
        let sku = term.get("sku").and_then(Value::as_str).unwrap_or("");
        let rates = term.get("rates").and_then(Value::as_array);
        let Some(plan) = plans.get(sku) else {
            skipped += rates.map_or(0, Vec::len);
            continue;
        };
        for rate in rates.map(Vec::as_slice).unwrap_or_default() {
            let field = |name: &str| rate.get(name).and_then(Value::as_str);
            let usage = field("discountedUsageType").unwrap_or("");
            let matched = SP_USAGE_TYPES
                .iter()
                .find(|(u, ..)| *u == strip_region_prefix(usage));
            let (Some(&(_, arch, dim, unit)), Some("AmazonECS")) =
                (matched, field("discountedServiceCode"))
            else {
                skipped += 1;
                continue;
            };
            let rate_sku = field("discountedSku");
            let err =
                |m: String| DocumentError::new(file, m).row(rate_sku.or(Some(sku)), Some(usage));
            let region = field("discountedRegionCode")
                .map(str::to_string)
                .or_else(|| file_region.clone())
                .ok_or_else(|| {
                    err(
                        "no region: neither `discountedRegionCode` nor a top-level `regionCode`"
                            .into(),
                    )
                })?;
            let money = rate
                .get("discountedRate")
                .ok_or_else(|| err("no `discountedRate`".into()))?;
            let currency = money.get("currency").and_then(Value::as_str).unwrap_or("");
            if currency != "USD" {
                return Err(err(format!("currency `{currency}`, expected USD")));
            }
            let price = money
                .get("price")
                .and_then(Value::as_str)
                .ok_or_else(|| err("no `discountedRate.price` string".into()))?;
            let usd = positive_price(price).map_err(err)?;
            let rate = SavingsRate {
                region: region.clone(),
                plan: plan.clone(),
                architecture: arch.to_string(),
                dimension: dim.to_string(),
                usd_per_unit: usd,
                unit: unit.to_string(),
                as_of,
                source: format!(
                    "AWSComputeSavingsPlan offer file {file}{}, plan SKU {sku}, {usage}{}",
                    published
                        .as_deref()
                        .map(|p| format!(" published {p}"))
                        .unwrap_or_default(),
                    rate_sku
                        .map(|s| format!(", discounted SKU {s}"))
                        .unwrap_or_default()
                ),
                origin: origin.clone(),
            };
            rate.validate().map_err(err)?;
            let key = (region, plan.clone(), arch.to_string(), dim.to_string());
            if let Some(old) = out.get(&key)
                && old.usd_per_unit != usd
            {
                return Err(err(format!(
                    "two {plan} {arch} {dim} rates: {} and {usd}",
                    old.usd_per_unit
                )));
            }
            out.insert(key, rate);
        }
    }
    if out.is_empty() {
        return Err(DocumentError::new(
            file,
            format!(
                "no Compute Savings Plans rates for Fargate (AmazonECS) in it ({skipped} other rates)"
            ),
        ));
    }
    Ok(Parsed {
        prices: Vec::new(),
        savings: out.into_values().collect(),
        skipped,
        published,
        kind: "Compute Savings Plans offer file",
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn offer() -> String {
        let product = |sku: &str, usage: &str, term: &str, option: &str| {
            format!(
                r#"{{"sku":"{sku}","productFamily":"ComputeSavingsPlans","serviceCode":"ComputeSavingsPlans","usageType":"{usage}","operation":"","attributes":{{"purchaseOption":"{option}","granularity":"hourly","purchaseTerm":"{term}","locationType":"AWS Region","location":"Any"}}}}"#
            )
        };
        let rate = |service: &str, usage: &str, price: &str| {
            format!(
                r#"{{"discountedSku":"DS-{usage}-{service}","discountedUsageType":"{usage}","discountedOperation":"","discountedServiceCode":"{service}","rateCode":"rc","unit":"Hrs","discountedRate":{{"price":"{price}","currency":"USD"}}}}"#
            )
        };
        let products = [
            product("P1", "ComputeSP:1yrNoUpfront", "1yr", "No Upfront"),
            product("P3", "ComputeSP:3yrAllUpfront", "3yr", "All Upfront"),
            product("E1", "EC2SP:m5.1yrNoUpfront", "1yr", "No Upfront"),
        ]
        .join(",");
        let p1 = [
            rate(
                "AmazonECS",
                "USE1-Fargate-vCPU-Hours:perCPU",
                "0.0323840000",
            ),
            rate("AmazonECS", "USE1-Fargate-GB-Hours", "0.0035560000"),
            rate(
                "AmazonECS",
                "USE1-Fargate-ARM-vCPU-Hours:perCPU",
                "0.0255000000",
            ),
            rate(
                "AmazonEKS",
                "USE1-Fargate-vCPU-Hours:perCPU",
                "0.0300000000",
            ),
            rate(
                "AmazonECS",
                "USE1-Fargate-Windows-vCPU-Hours:perCPU",
                "0.0400000000",
            ),
            rate("AWSLambda", "USE1-Lambda-GB-Second", "0.0000138890"),
        ]
        .join(",");
        let p3 = rate(
            "AmazonECS",
            "USE1-Fargate-vCPU-Hours:perCPU",
            "0.0194304000",
        );
        let e1 = rate("AmazonEC2", "USE1-BoxUsage:m5.large", "0.06");
        format!(
            r#"{{"version":"20260925000000","publicationDate":"2026-09-25T00:00:00Z","regionCode":"us-east-1","products":[{products}],"terms":{{"savingsPlan":[{{"sku":"P1","description":"1 year No Upfront Compute Savings Plan","effectiveDate":"2026-09-25T00:00:00Z","leaseContractLength":{{"duration":1,"unit":"year"}},"rates":[{p1}]}},{{"sku":"P3","description":"3 year","effectiveDate":"2026-09-25T00:00:00Z","leaseContractLength":{{"duration":3,"unit":"year"}},"rates":[{p3}]}},{{"sku":"E1","description":"EC2","effectiveDate":"2026-09-25T00:00:00Z","leaseContractLength":{{"duration":1,"unit":"year"}},"rates":[{e1}]}}]}}}}"#
        )
    }

    #[test]
    fn fargate_ecs_linux_rates_are_kept() {
        let v: Value = serde_json::from_str(&offer()).unwrap();
        let parsed = parse("sp.json", &v, "2026-11-26T10:00:00Z".parse().unwrap()).unwrap();
        assert_eq!(parsed.savings.len(), 4);
        assert_eq!(parsed.skipped, 4);
        let one = parsed
            .savings
            .iter()
            .find(|r| {
                r.plan == "compute_1yr_no_upfront"
                    && r.architecture == "X86_64"
                    && r.dimension == "vcpu_hour"
            })
            .unwrap();
        assert_eq!(one.usd_per_unit.to_string(), "0.0323840000");
        assert_eq!(one.region, "us-east-1");
        assert_eq!(one.as_of.to_string(), "2026-09-25");
        assert!(
            parsed
                .savings
                .iter()
                .any(|r| r.plan == "compute_3yr_all_upfront")
        );
    }

    #[test]
    fn plan_ids() {
        assert_eq!(
            plan_id("ComputeSP:3yrPartialUpfront").as_deref(),
            Some("compute_3yr_partial_upfront")
        );
        assert_eq!(plan_id("EC2SP:m5.1yrNoUpfront"), None);
        assert_eq!(plan_id("ComputeSP:2yrNoUpfront"), None);
    }
}
