//! The public Fargate Spot price feed (`fargate-spot-prices.json`, the JSON the pricing page
//! reads; Spot is not in the Price List). Units map exactly to the four Spot dimensions; ARM Spot
//! exists in a region exactly when the feed has ARM prices for it.

use super::{DocumentError, Parsed, date_of, positive_price};
use crate::core::pricing::{Dimension, Origin, Price};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeMap;

/// Feed unit → dimension (the Spot feed behind aws.amazon.com/fargate/pricing).
pub const SPOT_UNITS: &[(&str, Dimension)] = &[
    ("vCPU-Hours", Dimension::SpotX86VcpuHour),
    ("GB-Hours", Dimension::SpotX86GbHour),
    ("ARM-vCPU-Hours", Dimension::SpotArmVcpuHour),
    ("ARM-GB-Hours", Dimension::SpotArmGbHour),
];

/// Where the feed came from, for the origin and source of each price.
pub enum FeedSource<'a> {
    /// Fetched from this URL now.
    Fetched { url: &'a str, at: DateTime<Utc> },
    /// A saved copy imported from this file.
    Imported { file: &'a str, at: DateTime<Utc> },
}

/// Whether a JSON value looks like the Spot feed.
pub fn looks_like_feed(value: &Value) -> bool {
    value.get("prices").is_some_and(Value::is_array)
        && value
            .get("metadata")
            .is_some_and(|m| m.get("source:version").is_some() || m.get("format:version").is_some())
}

/// Parses the feed text.
pub fn parse_text(text: &str, from: FeedSource<'_>) -> Result<Parsed, DocumentError> {
    let at = match &from {
        FeedSource::Fetched { url, .. } => url.to_string(),
        FeedSource::Imported { file, .. } => file.to_string(),
    };
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let start: String = text.chars().take(40).collect();
        DocumentError::new(
            &at,
            format!("not the Fargate Spot feed JSON ({e}); it starts {start:?}"),
        )
    })?;
    parse(&value, from)
}

/// Parses the feed once read as JSON.
pub fn parse(value: &Value, from: FeedSource<'_>) -> Result<Parsed, DocumentError> {
    let at = match &from {
        FeedSource::Fetched { url, .. } => url.to_string(),
        FeedSource::Imported { file, .. } => file.to_string(),
    };
    if !looks_like_feed(value) {
        return Err(DocumentError::new(
            &at,
            "not the Fargate Spot feed: expected `metadata` with `source:version` and a `prices` array",
        ));
    }
    let version = value
        .get("metadata")
        .and_then(|m| m.get("source:version"))
        .and_then(Value::as_str)
        .ok_or_else(|| DocumentError::new(&at, "no `metadata.source:version`"))?
        .to_string();
    let as_of = date_of(&version).ok_or_else(|| {
        DocumentError::new(
            &at,
            format!("`source:version` `{version}` is not yyyymmddhhmmss"),
        )
    })?;
    let (origin, describe) = match &from {
        FeedSource::Fetched { url, at } => (
            Origin::SpotFeed {
                version: version.clone(),
                fetched_at: *at,
            },
            format!("Fargate Spot feed {url} source:version {version}"),
        ),
        FeedSource::Imported { file, at } => (
            Origin::Imported {
                file: file.to_string(),
                published: Some(version.clone()),
                imported_at: *at,
            },
            format!("saved Fargate Spot feed {file} source:version {version}"),
        ),
    };
    let mut prices: BTreeMap<(String, Dimension), Price> = BTreeMap::new();
    let mut skipped = 0;
    let items = value
        .get("prices")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (i, item) in items.iter().enumerate() {
        let id = item.get("id").and_then(Value::as_str);
        let unit = item.get("unit").and_then(Value::as_str).unwrap_or("");
        let Some(&(_, dimension)) = SPOT_UNITS.iter().find(|(u, _)| *u == unit) else {
            skipped += 1;
            continue;
        };
        let name = id.map_or_else(
            || format!("prices[{i}]"),
            |id| format!("prices[{i}] id {id}"),
        );
        let err = |m: String| DocumentError::new(format!("{at}, {name}"), m).row(None, Some(unit));
        let region = item
            .get("attributes")
            .and_then(|a| a.get("aws:region"))
            .and_then(Value::as_str)
            .ok_or_else(|| err("no `attributes.aws:region`".to_string()))?;
        let usd = item
            .get("price")
            .and_then(|p| p.get("USD"))
            .and_then(Value::as_str)
            .ok_or_else(|| err("no `price.USD` string".to_string()))?;
        let usd = positive_price(usd).map_err(err)?;
        let key = (region.to_string(), dimension);
        if let Some(old) = prices.get(&key) {
            if old.usd_per_unit != usd {
                return Err(err(format!(
                    "two {dimension} prices for {region}: {} and {usd}",
                    old.usd_per_unit
                )));
            }
            continue;
        }
        let mut source = describe.clone();
        if let Some(id) = id {
            source.push_str(&format!(", id {id}"));
        }
        prices.insert(
            key,
            Price {
                region: region.to_string(),
                dimension,
                usd_per_unit: usd,
                unit: dimension.info().unit.to_string(),
                as_of,
                source,
                origin: origin.clone(),
            },
        );
    }
    if prices.is_empty() {
        return Err(DocumentError::new(
            &at,
            format!("no Spot prices with a known unit ({skipped} other entries)"),
        ));
    }
    Ok(Parsed {
        prices: prices.into_values().collect(),
        savings: Vec::new(),
        skipped,
        published: Some(version),
        kind: "Fargate Spot feed",
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn feed() -> String {
        let item = |region: &str, unit: &str, usd: &str| {
            format!(
                r#"{{"id":"{region}-{unit}","unit":"{unit}","price":{{"USD":"{usd}"}},"attributes":{{"aws:region":"{region}","aws:label":"x"}}}}"#
            )
        };
        let items = [
            item("us-east-1", "vCPU-Hours", "0.01288871"),
            item("us-east-1", "GB-Hours", "0.00141527"),
            item("us-east-1", "ARM-vCPU-Hours", "0.01030969"),
            item("us-east-1", "ARM-GB-Hours", "0.00113349"),
            item("eu-west-3", "vCPU-Hours", "0.0151"),
            item("eu-west-3", "GB-Hours", "0.0016"),
            item("eu-west-3", "Windows-vCPU-Hours", "0.02"),
        ]
        .join(",");
        format!(
            r#"{{"metadata":{{"format:version":"1.0","source:version":"20260928120000","source:description":"Fargate Spot prices"}},"prices":[{items}]}}"#
        )
    }

    fn at() -> DateTime<Utc> {
        "2026-11-26T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn arm_spot_exists_exactly_where_the_feed_has_it() {
        let parsed = parse_text(
            &feed(),
            FeedSource::Fetched {
                url: "http://feed",
                at: at(),
            },
        )
        .unwrap();
        assert_eq!(parsed.prices.len(), 6);
        assert_eq!(parsed.skipped, 1);
        let has = |r: &str, d: Dimension| {
            parsed
                .prices
                .iter()
                .any(|p| p.region == r && p.dimension == d)
        };
        assert!(has("us-east-1", Dimension::SpotArmVcpuHour));
        assert!(has("eu-west-3", Dimension::SpotX86GbHour));
        assert!(!has("eu-west-3", Dimension::SpotArmVcpuHour));
        let p = &parsed.prices[0];
        assert_eq!(p.origin.to_string(), "Spot feed 20260928120000");
        assert_eq!(p.as_of.to_string(), "2026-09-28");
    }

    #[test]
    fn bad_feeds_are_errors() {
        let bad_price = feed().replace("0.01288871", "cheap");
        let err = parse_text(
            &bad_price,
            FeedSource::Imported {
                file: "f.json",
                at: at(),
            },
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("us-east-1-vCPU-Hours") && err.contains("cheap"),
            "{err}"
        );
        assert!(
            parse_text(
                "{}",
                FeedSource::Imported {
                    file: "f.json",
                    at: at()
                }
            )
            .is_err()
        );
        assert!(
            parse_text(
                "not json",
                FeedSource::Imported {
                    file: "f.json",
                    at: at()
                }
            )
            .is_err()
        );
    }
}
