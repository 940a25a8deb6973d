//! Which price document a file is, decided from its content (not its name), and the one entry
//! point `prices import` uses. A file that is none of them is an error saying what was expected.

use super::{DocumentError, Parsed, api, offer, savings, spot};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// What `prices import` reads, for error messages and the docs.
pub const EXPECTED: &str = "an AmazonECS bulk offer file (index.json or index.csv from \
    offers/v1.0/aws/AmazonECS/current/<region>/ or the all-regions one), a saved Fargate Spot feed \
    (fargate-spot-prices.json), a Compute Savings Plans offer file (savingsPlan/v1.0/aws/\
    AWSComputeSavingsPlan/current/<region>/index.json) or saved `aws pricing get-products` output";

/// Parses any supported document; `file` is the name shown in origins and errors.
pub fn parse_any(
    file: &str,
    text: &str,
    imported_at: DateTime<Utc>,
) -> Result<Parsed, DocumentError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with("\"FormatVersion\"") || trimmed.starts_with("FormatVersion,") {
        return offer::parse_csv(file, trimmed, imported_at);
    }
    let value: Value = match serde_json::from_str(trimmed) {
        Ok(v) => v,
        Err(e) => {
            let what = if trimmed.starts_with('{') || trimmed.starts_with('[') {
                format!("invalid JSON ({e})")
            } else {
                "neither JSON nor an offer CSV".to_string()
            };
            return Err(DocumentError::new(
                file,
                format!("{what}; expected {EXPECTED}"),
            ));
        }
    };
    if value.get("offerCode").is_some() && value.get("products").is_some_and(Value::is_object) {
        return offer::parse_json(file, &value, imported_at);
    }
    if spot::looks_like_feed(&value) {
        return spot::parse(
            &value,
            spot::FeedSource::Imported {
                file,
                at: imported_at,
            },
        );
    }
    if savings::looks_like_offer(&value) {
        return savings::parse(file, &value, imported_at);
    }
    if value.get("PriceList").is_some_and(Value::is_array) {
        return api::parse_saved_output(file, &value, imported_at);
    }
    if value.get("regions").is_some() && value.get("offerCode").is_some() {
        return Err(DocumentError::new(
            file,
            "this is a region index, which lists offer files but holds no prices; download the \
             `currentVersionUrl` of the regions you need and import those",
        ));
    }
    Err(DocumentError::new(
        file,
        format!("JSON of no known price layout; expected {EXPECTED}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> DateTime<Utc> {
        "2026-11-26T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn each_format_is_detected() {
        let cases = [
            (offer::tests::offer_json(), "AmazonECS offer file (JSON)"),
            (offer::tests::offer_csv(), "AmazonECS offer file (CSV)"),
            (spot::tests::feed(), "Fargate Spot feed"),
            (savings::tests::offer(), "Compute Savings Plans offer file"),
        ];
        for (text, kind) in cases {
            assert_eq!(parse_any("f", &text, at()).unwrap().kind, kind);
        }
        let doc = api::tests::doc(
            "A1",
            "us-east-1",
            "USE1-Fargate-GB-Hours",
            "0.0044450000",
            "",
        );
        let saved = serde_json::json!({"FormatVersion": "aws_v1", "PriceList": [doc]}).to_string();
        let parsed = parse_any("out.json", &saved, at()).unwrap();
        assert_eq!(parsed.kind, "saved GetProducts output");
        assert_eq!(parsed.prices[0].region, "us-east-1");
    }

    #[test]
    fn anything_else_says_what_was_expected() {
        for text in ["hello", "{\"a\": 1}", "{broken", "[]"] {
            let err = parse_any("x.txt", text, at()).unwrap_err().to_string();
            assert!(
                err.contains("expected an AmazonECS bulk offer file"),
                "{err}"
            );
        }
        let index = r#"{"formatVersion":"v1.0","offerCode":"AmazonECS","regions":{}}"#;
        let err = parse_any("region_index.json", index, at())
            .unwrap_err()
            .to_string();
        assert!(err.contains("region index"), "{err}");
    }
}
