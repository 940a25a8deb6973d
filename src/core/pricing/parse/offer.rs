//! AmazonECS bulk offer files, as downloaded from
//! `pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonECS/...`: the JSON (`products` by SKU,
//! `terms.OnDemand` by SKU) and the CSV (5 metadata lines, then a header and one row per price
//! dimension). Per-region and all-regions files have the same layout.

use super::api::describe;
use super::{
    Collector, DocumentError, Parsed, Row, check_unit, date_of, on_demand_dimension,
    on_demand_rate, positive_price,
};
use crate::core::pricing::Origin;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use std::collections::BTreeMap;

/// Reads a bulk offer JSON already parsed into a value.
pub fn parse_json(
    file: &str,
    value: &Value,
    imported_at: DateTime<Utc>,
) -> Result<Parsed, DocumentError> {
    let text = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_string);
    let offer_code = text("offerCode");
    if offer_code.as_deref() != Some("AmazonECS") {
        return Err(DocumentError::new(
            file,
            format!(
                "offerCode is {}, expected `AmazonECS` (Fargate for ECS)",
                offer_code.map_or("missing".to_string(), |c| format!("`{c}`"))
            ),
        ));
    }
    let version = text("version");
    let published = text("publicationDate");
    let products = value
        .get("products")
        .and_then(Value::as_object)
        .ok_or_else(|| DocumentError::new(file, "no `products` object"))?;
    let empty = serde_json::Map::new();
    let on_demand = value
        .get("terms")
        .and_then(|t| t.get("OnDemand"))
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut collector = Collector::new(file);
    let mut skipped = 0;
    for (key, product) in products {
        let sku = product.get("sku").and_then(Value::as_str).unwrap_or(key);
        let attr = |name: &str| {
            product
                .get("attributes")
                .and_then(|a| a.get(name))
                .and_then(Value::as_str)
        };
        let family = product.get("productFamily").and_then(Value::as_str);
        let Some(usage_type) = attr("usagetype") else {
            skipped += 1;
            continue;
        };
        let Some(dimension) = on_demand_dimension(usage_type) else {
            skipped += 1;
            continue;
        };
        if family.is_some_and(|f| f != "Compute") {
            skipped += 1;
            continue;
        }
        let err = |m: String| DocumentError::new(file, m).row(Some(sku), Some(usage_type));
        let region = attr("regionCode").ok_or_else(|| err("no `regionCode` attribute".into()))?;
        let terms: BTreeMap<String, Value> = match on_demand.get(sku) {
            Some(Value::Object(map)) => map.clone().into_iter().collect(),
            _ => return Err(err("no `terms.OnDemand` entry for this SKU".into())),
        };
        let rate = on_demand_rate(&terms).map_err(err)?;
        collector.add(Row {
            region: region.to_string(),
            dimension,
            usd: rate.usd,
            sku: sku.to_string(),
            usage_type: usage_type.to_string(),
            effective: rate.effective,
        })?;
    }
    finish(
        file,
        collector,
        skipped,
        version,
        published,
        imported_at,
        "AmazonECS offer file (JSON)",
    )
}

/// Reads a bulk offer CSV: `"FormatVersion"`, `"Disclaimer"`, `"Publication Date"`, `"Version"`,
/// `"OfferCode"` lines, then the header.
pub fn parse_csv(
    file: &str,
    text: &str,
    imported_at: DateTime<Utc>,
) -> Result<Parsed, DocumentError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let mut meta: BTreeMap<String, String> = BTreeMap::new();
    for n in 1..=5 {
        let rec = records
            .next()
            .ok_or_else(|| {
                DocumentError::new(
                    file,
                    format!("ends at line {n}, inside the 5 metadata lines"),
                )
            })?
            .map_err(|e| DocumentError::new(file, format!("line {n}: {e}")))?;
        let key = rec.get(0).unwrap_or("").to_string();
        meta.insert(key, rec.get(1).unwrap_or("").to_string());
    }
    if !meta.contains_key("FormatVersion") {
        return Err(DocumentError::new(
            file,
            "line 1 is not `\"FormatVersion\",...`; expected the 5 metadata lines of an offer CSV",
        ));
    }
    match meta.get("OfferCode").map(String::as_str) {
        Some("AmazonECS") => {}
        other => {
            return Err(DocumentError::new(
                file,
                format!("OfferCode is {other:?}, expected `AmazonECS` (Fargate for ECS)"),
            ));
        }
    }
    let header = records
        .next()
        .ok_or_else(|| DocumentError::new(file, "no header line after the metadata"))?
        .map_err(|e| DocumentError::new(file, format!("line 6: {e}")))?;
    let col = |name: &str| header.iter().position(|h| h == name);
    let need = |name: &str| {
        col(name)
            .ok_or_else(|| DocumentError::new(file, format!("the header has no `{name}` column")))
    };
    let (c_sku, c_term, c_usage, c_price, c_unit, c_currency, c_region) = (
        need("SKU")?,
        need("TermType")?,
        need("usageType")?,
        need("PricePerUnit")?,
        need("Unit")?,
        need("Currency")?,
        need("Region Code")?,
    );
    let (c_family, c_eff, c_start, c_end) = (
        col("Product Family"),
        col("EffectiveDate"),
        col("StartingRange"),
        col("EndingRange"),
    );
    let mut collector = Collector::new(file);
    let mut skipped = 0;
    for (i, rec) in records.enumerate() {
        let line = i + 7;
        let rec = rec.map_err(|e| DocumentError::new(file, format!("line {line}: {e}")))?;
        let get = |c: usize| rec.get(c).unwrap_or("");
        let opt = |c: Option<usize>| c.map(|c| rec.get(c).unwrap_or("")).unwrap_or("");
        let usage_type = get(c_usage);
        let Some(dimension) = on_demand_dimension(usage_type) else {
            skipped += 1;
            continue;
        };
        if get(c_term) != "OnDemand" || !matches!(opt(c_family), "" | "Compute") {
            skipped += 1;
            continue;
        }
        let sku = get(c_sku);
        let at = format!("{file}, line {line}");
        let err = |m: String| DocumentError::new(&at, m).row(Some(sku), Some(usage_type));
        let (start, end) = (opt(c_start), opt(c_end));
        if !matches!(start, "" | "0") || !matches!(end, "" | "Inf") {
            return Err(err(format!(
                "tiered ({start} to {end}); Fargate prices are flat"
            )));
        }
        if get(c_currency) != "USD" {
            return Err(err(format!("currency `{}`, expected USD", get(c_currency))));
        }
        check_unit(get(c_unit)).map_err(err)?;
        let usd = positive_price(get(c_price)).map_err(err)?;
        let region = get(c_region);
        if region.is_empty() {
            return Err(err("empty `Region Code`".to_string()));
        }
        let effective = Some(opt(c_eff).to_string()).filter(|e| !e.is_empty());
        collector.add(Row {
            region: region.to_string(),
            dimension,
            usd,
            sku: sku.to_string(),
            usage_type: usage_type.to_string(),
            effective,
        })?;
    }
    finish(
        file,
        collector,
        skipped,
        meta.get("Version").cloned(),
        meta.get("Publication Date").cloned(),
        imported_at,
        "AmazonECS offer file (CSV)",
    )
}

fn finish(
    file: &str,
    collector: Collector,
    skipped: usize,
    version: Option<String>,
    published: Option<String>,
    imported_at: DateTime<Utc>,
    kind: &'static str,
) -> Result<Parsed, DocumentError> {
    if collector.is_empty() {
        return Err(DocumentError::new(
            file,
            format!("no Fargate prices in this offer file ({skipped} other rows)"),
        ));
    }
    let as_of: NaiveDate = published
        .as_deref()
        .and_then(date_of)
        .or_else(|| version.as_deref().and_then(date_of))
        .ok_or_else(|| {
            DocumentError::new(
                file,
                "neither a publication date nor a version to date it by",
            )
        })?;
    let origin = Origin::Imported {
        file: file.to_string(),
        published: published.clone(),
        imported_at,
    };
    let prices = collector.into_prices(as_of, &origin, |row| {
        describe(
            &format!("AmazonECS offer file {file}"),
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
        kind,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::core::pricing::Dimension;

    pub fn now() -> DateTime<Utc> {
        "2026-11-26T10:00:00Z".parse().unwrap()
    }

    fn product(sku: &str, region: &str, usage: &str, extra: &str) -> String {
        format!(
            r#""{sku}":{{"sku":"{sku}","productFamily":"Compute","attributes":{{"location":"x","locationType":"AWS Region","usagetype":"{usage}","operation":"","regionCode":"{region}","servicecode":"AmazonECS"{extra}}}}}"#
        )
    }

    fn term(sku: &str, usd: &str, begin: &str, end: &str) -> String {
        format!(
            r#""{sku}":{{"{sku}.JRTCKXETXF":{{"offerTermCode":"JRTCKXETXF","sku":"{sku}","effectiveDate":"2026-09-01T00:00:00Z","priceDimensions":{{"{sku}.JRTCKXETXF.6YS6EN2CT7":{{"rateCode":"r","description":"d","beginRange":"{begin}","endRange":"{end}","unit":"hours","pricePerUnit":{{"USD":"{usd}"}},"appliesTo":[]}}}},"termAttributes":{{}}}}}}"#
        )
    }

    /// An all-regions offer JSON with decoys.
    pub fn offer_json() -> String {
        let products = [
            product("S1", "us-east-1", "USE1-Fargate-vCPU-Hours:perCPU", ""),
            product("S2", "us-east-1", "USE1-Fargate-GB-Hours", ""),
            product(
                "S3",
                "eu-west-1",
                "EU-Fargate-ARM-vCPU-Hours:perCPU",
                r#","cpuArchitecture":"ARM""#,
            ),
            product("D1", "us-east-1", "USE1-ECS-EC2-GB-Hours", ""),
            product("D2", "us-east-1", "USE1-ECS-Anywhere-Instance-hours", ""),
        ]
        .join(",");
        let terms = [
            term("S1", "0.0404800000", "0", "Inf"),
            term("S2", "0.0044450000", "0", "Inf"),
            term("S3", "0.0356100000", "0", "Inf"),
            term("D1", "0.0000000000", "0", "Inf"),
            term("D2", "0.0100000000", "0", "100"),
        ]
        .join(",");
        format!(
            r#"{{"formatVersion":"v1.0","disclaimer":"x","offerCode":"AmazonECS","version":"20260911124425","publicationDate":"2026-09-11T12:44:25Z","products":{{{products}}},"terms":{{"OnDemand":{{{terms}}}}}}}"#
        )
    }

    #[test]
    fn offer_json_yields_fargate_prices_of_every_region() {
        let v: Value = serde_json::from_str(&offer_json()).unwrap();
        let parsed = parse_json("index.json", &v, now()).unwrap();
        assert_eq!(parsed.prices.len(), 3);
        assert_eq!(parsed.skipped, 2);
        let arm = parsed
            .prices
            .iter()
            .find(|p| p.dimension == Dimension::LinuxArmVcpuHour)
            .unwrap();
        assert_eq!(arm.region, "eu-west-1");
        assert_eq!(arm.as_of.to_string(), "2026-09-11");
        assert_eq!(
            arm.origin.to_string(),
            "imported index.json (published 2026-09-11T12:44:25Z)"
        );
        assert!(arm.source.contains("SKU S3"));
    }

    #[test]
    fn another_offer_is_rejected() {
        let v: Value = serde_json::from_str(
            &offer_json().replace("AmazonECS\",\"version", "AmazonEKS\",\"version"),
        )
        .unwrap();
        let err = parse_json("eks.json", &v, now()).unwrap_err().to_string();
        assert!(err.contains("expected `AmazonECS`"), "{err}");
    }

    pub fn offer_csv() -> String {
        let mut s = String::from(
            "\"FormatVersion\",\"v1.0\"\n\"Disclaimer\",\"This pricing list is for informational purposes only.\"\n\"Publication Date\",\"2026-09-11T12:44:25Z\"\n\"Version\",\"20260911124425\"\n\"OfferCode\",\"AmazonECS\"\n",
        );
        s.push_str("\"SKU\",\"OfferTermCode\",\"RateCode\",\"TermType\",\"PriceDescription\",\"EffectiveDate\",\"StartingRange\",\"EndingRange\",\"Unit\",\"PricePerUnit\",\"Currency\",\"Product Family\",\"serviceCode\",\"Location\",\"Location Type\",\"Tenancy\",\"Operating System\",\"usageType\",\"operation\",\"CPU Architecture\",\"CPUType\",\"MemoryType\",\"Region Code\",\"Resource\",\"serviceName\",\"StorageType\"\n");
        let row = |sku: &str,
                   usd: &str,
                   start: &str,
                   end: &str,
                   usage: &str,
                   region: &str,
                   os: &str,
                   arch: &str| {
            format!(
                "\"{sku}\",\"JRTCKXETXF\",\"{sku}.JRTCKXETXF.6YS6EN2CT7\",\"OnDemand\",\"AWS Fargate\",\"2026-09-01\",\"{start}\",\"{end}\",\"hours\",\"{usd}\",\"USD\",\"Compute\",\"AmazonECS\",\"US East (N. Virginia)\",\"AWS Region\",\"Shared\",\"{os}\",\"{usage}\",\"\",\"{arch}\",\"perCPU\",\"\",\"{region}\",\"\",\"Amazon Elastic Container Service\",\"\"\n"
            )
        };
        s.push_str(&row(
            "S1",
            "0.0404800000",
            "0",
            "Inf",
            "USE1-Fargate-vCPU-Hours:perCPU",
            "us-east-1",
            "",
            "",
        ));
        s.push_str(&row(
            "S4",
            "0.0465520000",
            "0",
            "Inf",
            "USE1-Fargate-Windows-vCPU-Hours:perCPU",
            "us-east-1",
            "Windows",
            "",
        ));
        s.push_str(&row(
            "S5",
            "0.0000000000",
            "0",
            "Inf",
            "USE1-ECS-EC2-vCPU-Hours",
            "us-east-1",
            "",
            "",
        ));
        s.push_str(&row(
            "S6",
            "0.0100000000",
            "0",
            "100",
            "USE1-ECS-Anywhere-Instance-hours",
            "us-east-1",
            "",
            "",
        ));
        s.push_str(&row(
            "S7",
            "0.0000000000",
            "100",
            "Inf",
            "USE1-ECS-Anywhere-Instance-hours",
            "us-east-1",
            "",
            "",
        ));
        s
    }

    #[test]
    fn offer_csv_skips_its_metadata_and_decoys() {
        let parsed = parse_csv("index.csv", &offer_csv(), now()).unwrap();
        assert_eq!(parsed.prices.len(), 2);
        assert_eq!(parsed.skipped, 3);
        assert_eq!(parsed.published.as_deref(), Some("2026-09-11T12:44:25Z"));
        let win = parsed
            .prices
            .iter()
            .find(|p| p.dimension == Dimension::WindowsVcpuHour)
            .unwrap();
        assert_eq!(win.usd_per_unit.to_string(), "0.0465520000");
        assert!(win.source.contains("effective 2026-09-01"));
    }

    #[test]
    fn a_bad_price_in_the_csv_names_line_sku_and_usage_type() {
        let csv = offer_csv().replace("\"0.0404800000\"", "\"abc\"");
        let err = parse_csv("index.csv", &csv, now()).unwrap_err().to_string();
        assert!(
            err.contains("line 7") && err.contains("SKU S1 (USE1-Fargate-vCPU-Hours:perCPU)"),
            "{err}"
        );
    }

    #[test]
    fn a_csv_without_metadata_is_rejected() {
        let csv: String = offer_csv().lines().skip(5).collect::<Vec<_>>().join("\n");
        assert!(parse_csv("x.csv", &csv, now()).is_err());
    }
}
