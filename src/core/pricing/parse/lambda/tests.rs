//! Tests of the Lambda price parser on documents in the Price List API's shape.

use super::*;
use crate::core::pricing::lambda::LambdaPriceBook;

/// An AWSLambda GetProducts document in the real shape: one product, one OnDemand term, one
/// price dimension per tier `(begin, end, usd)`.
pub fn lambda_doc(
    sku: &str,
    region: &str,
    usage_type: &str,
    unit: &str,
    tiers: &[(&str, &str, &str)],
) -> String {
    let dims: Vec<String> = tiers
        .iter()
        .enumerate()
        .map(|(i, (begin, end, usd))| {
            format!(
                r#""{sku}.JRTCKXETXF.RATE{i}":{{"unit":"{unit}","endRange":"{end}","description":"AWS Lambda - Total Compute - tier {i}","appliesTo":[],"rateCode":"{sku}.JRTCKXETXF.RATE{i}","beginRange":"{begin}","pricePerUnit":{{"USD":"{usd}"}}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"product":{{"productFamily":"Serverless","attributes":{{"regionCode":"{region}","servicecode":"AWSLambda","usagetype":"{usage_type}","location":"Somewhere","locationType":"AWS Region","group":"AWS-Lambda-Duration","servicename":"AWS Lambda","operation":""}},"sku":"{sku}"}},"serviceCode":"AWSLambda","terms":{{"OnDemand":{{"{sku}.JRTCKXETXF":{{"priceDimensions":{{{}}},"sku":"{sku}","effectiveDate":"2026-10-01T00:00:00Z","offerTermCode":"JRTCKXETXF","termAttributes":{{}}}}}}}},"version":"20261020143000","publicationDate":"2026-10-20T14:30:00Z"}}"#,
        dims.join(",")
    )
}

pub fn now() -> DateTime<Utc> {
    "2026-11-26T10:00:00Z".parse().unwrap()
}

const X86_TIERS: &[(&str, &str, &str)] = &[
    ("0", "6000000000", "0.0000166667"),
    ("6000000000", "15000000000", "0.0000150000"),
    ("15000000000", "Inf", "0.0000133334"),
];
const ARM_TIERS: &[(&str, &str, &str)] = &[
    ("7500000000", "18750000000", "0.0000120001"),
    ("0", "7500000000", "0.0000133334"),
    ("18750000000", "Inf", "0.0000106667"),
];

/// us-east-1 (no prefix on Lambda usage types) over two pages, with decoys that share words.
pub fn us_east_1_pages() -> Vec<Page> {
    let r = "us-east-1";
    vec![
        Page {
            documents: vec![
                lambda_doc(
                    "DECOY1",
                    r,
                    "Lambda-Provisioned-Concurrency",
                    "Lambda-GB-Second",
                    &[("0", "Inf", "0.0000041667")],
                ),
                lambda_doc(
                    "REQX86",
                    r,
                    "Request",
                    "Requests",
                    &[("0", "Inf", "0.0000002000")],
                ),
                lambda_doc(
                    "DURX86",
                    r,
                    "Lambda-GB-Second",
                    "Lambda-GB-Second",
                    X86_TIERS,
                ),
                lambda_doc(
                    "DECOY2",
                    r,
                    "Lambda-Provisioned-GB-Second-ARM",
                    "Lambda-GB-Second",
                    &[("0", "Inf", "0.0000077778")],
                ),
                lambda_doc(
                    "DECOY3",
                    r,
                    "Lambda-Edge-GB-Second",
                    "Lambda-GB-Second",
                    &[("0", "Inf", "0.0000500100")],
                ),
                lambda_doc(
                    "DECOY4",
                    r,
                    "Lambda-Edge-Request",
                    "Requests",
                    &[("0", "Inf", "0.0000006000")],
                ),
            ],
        },
        Page {
            documents: vec![
                // The free tier, as a $0 band of a `Global-` usage type: never a price.
                lambda_doc(
                    "DECOY5",
                    r,
                    "Global-Request",
                    "Requests",
                    &[
                        ("0", "1000000", "0.0000000000"),
                        ("1000000", "Inf", "0.0000002000"),
                    ],
                ),
                // Ephemeral storage: kept (held for the embedded table and the export).
                lambda_doc(
                    "STORARM",
                    r,
                    "Lambda-Storage-GB-Second-ARM",
                    "GB-Seconds",
                    &[("0", "Inf", "0.0000000309")],
                ),
                lambda_doc(
                    "REQARM",
                    r,
                    "Request-ARM",
                    "Requests",
                    &[("0", "Inf", "0.0000002000")],
                ),
                lambda_doc(
                    "DURARM",
                    r,
                    "Lambda-GB-Second-ARM",
                    "Lambda-GB-Second",
                    ARM_TIERS,
                ),
                lambda_doc(
                    "DECOY7",
                    r,
                    "USE1-Lambda-GB-Second-ARM-Extra",
                    "Lambda-GB-Second",
                    &[("0", "Inf", "1")],
                ),
            ],
        },
    ]
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn usage_types_match_exactly_after_the_prefix() {
    for (usage, want) in [
        ("Request", Some((CpuArch::X86_64, LambdaItem::Request))),
        ("USE1-Request", Some((CpuArch::X86_64, LambdaItem::Request))),
        (
            "EU-Request-ARM",
            Some((CpuArch::Arm64, LambdaItem::Request)),
        ),
        (
            "Lambda-GB-Second",
            Some((CpuArch::X86_64, LambdaItem::Duration)),
        ),
        (
            "APS3-Lambda-GB-Second-ARM",
            Some((CpuArch::Arm64, LambdaItem::Duration)),
        ),
        ("Global-Request", None),
        ("Global-Lambda-GB-Second", None),
        ("USE1-Lambda-Provisioned-Concurrency", None),
        ("USE1-Lambda-Provisioned-GB-Second", None),
        ("Lambda-Edge-Request", None),
        ("Lambda-Edge-GB-Second", None),
        ("Lambda-GB-Second-Arm", None),
        (
            "EUW2-Lambda-Storage-GB-Second",
            Some((CpuArch::X86_64, LambdaItem::EphemeralStorage)),
        ),
        (
            "Lambda-Storage-GB-Second-ARM",
            Some((CpuArch::Arm64, LambdaItem::EphemeralStorage)),
        ),
        ("Lambda-Storage-GB-Second-Arm", None),
        ("Requests", None),
        ("Fargate-GB-Hours", None),
        ("", None),
    ] {
        assert_eq!(lambda_usage(usage), want, "{usage}");
    }
}

#[test]
fn every_page_is_read_tiers_kept_and_decoys_skipped() {
    let parsed = parse_region("us-east-1", &us_east_1_pages(), now()).unwrap();
    assert_eq!(parsed.skipped, 6);
    assert_eq!(parsed.prices.len(), 9);
    let storage: Vec<_> = parsed
        .prices
        .iter()
        .filter(|p| p.item == LambdaItem::EphemeralStorage)
        .map(|p| (p.architecture, p.usd_per_unit.to_string(), p.unit.as_str()))
        .collect();
    assert_eq!(
        storage,
        vec![(CpuArch::Arm64, "0.0000000309".to_string(), "GB-second")]
    );
    let book = LambdaPriceBook::from_prices(parsed.prices.clone()).unwrap();
    let x86 = book.rates("us-east-1", CpuArch::X86_64).unwrap();
    let got: Vec<(String, Option<String>, String)> = x86
        .duration
        .iter()
        .map(|t| {
            (
                t.tier_start.to_string(),
                t.tier_end.map(|e| e.to_string()),
                t.usd_per_unit.normalize().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("0".into(), Some("6000000000".into()), "0.0000166667".into()),
            (
                "6000000000".into(),
                Some("15000000000".into()),
                "0.000015".into()
            ),
            ("15000000000".into(), None, "0.0000133334".into()),
        ]
    );
    // The ARM tiers came out of order in the document; they are sorted.
    let arm = book.rates("us-east-1", CpuArch::Arm64).unwrap();
    assert_eq!(arm.duration[0].tier_end, Some(d("7500000000")));
    assert_eq!(arm.duration[1].usd_per_unit, d("0.0000120001"));
    assert_eq!(arm.duration[2].tier_start, d("18750000000"));
    assert_eq!(arm.request[0].usd_per_unit, d("0.0000002"));
    let r = &x86.request[0];
    assert_eq!((r.unit.as_str(), r.tier_end), ("request", None));
    assert!(
        r.source.contains("SKU REQX86 Request,")
            && r.source.contains("AWSLambda us-east-1")
            && r.source.contains("effective 2026-10-01")
            && r.source.contains("offer version 20261020143000")
            && r.source.contains("fetched 2026-11-26T10:00Z"),
        "{}",
        r.source
    );
    assert_eq!(r.origin.to_string(), "Price List API 2026-11-26T10:00Z");
    assert_eq!(
        r.as_of.to_string(),
        "2026-10-20",
        "the offer's publication date"
    );
    assert!(
        arm.duration[0]
            .source
            .contains("SKU DURARM Lambda-GB-Second-ARM")
    );
}

#[test]
fn region_prefixes_are_stripped_and_a_region_without_lambda_gives_nothing() {
    let r = "eu-west-1";
    let pages = [Page {
        documents: vec![
            lambda_doc(
                "E1",
                r,
                "EU-Request",
                "Requests",
                &[("0", "Inf", "0.0000002000")],
            ),
            lambda_doc(
                "E2",
                r,
                "EU-Lambda-GB-Second",
                "Lambda-GB-Second",
                &[
                    ("0", "6000000000", "0.0000166667"),
                    ("6000000000", "Inf", "0.0000150000"),
                ],
            ),
        ],
    }];
    let parsed = parse_region(r, &pages, now()).unwrap();
    assert_eq!(parsed.prices.len(), 3);
    assert!(
        parsed
            .prices
            .iter()
            .all(|p| p.architecture == CpuArch::X86_64)
    );
    let book = LambdaPriceBook::from_prices(parsed.prices).unwrap();
    assert!(book.rates(r, CpuArch::X86_64).is_ok());
    let err = book.rates(r, CpuArch::Arm64).unwrap_err().to_string();
    assert!(err.contains("prices fetch --region eu-west-1"), "{err}");

    let pages = [Page {
        documents: vec![lambda_doc(
            "D",
            r,
            "EU-Lambda-Edge-Request",
            "Requests",
            &[("0", "Inf", "0.0000006")],
        )],
    }];
    let parsed = parse_region(r, &pages, now()).unwrap();
    assert!(parsed.prices.is_empty());
    assert_eq!(parsed.skipped, 1);
    assert!(parse_region(r, &[], now()).unwrap().prices.is_empty());
}

#[test]
fn malformed_lambda_rows_are_errors_naming_sku_and_usage_type() {
    let r = "us-east-1";
    let cases: Vec<(String, &str)> = vec![
        (
            lambda_doc(
                "G1",
                r,
                "Lambda-GB-Second",
                "Lambda-GB-Second",
                &[
                    ("0", "6000000000", "0.0000166667"),
                    ("7000000000", "Inf", "0.000015"),
                ],
            ),
            "gap or overlap",
        ),
        (
            lambda_doc(
                "G2",
                r,
                "Lambda-GB-Second",
                "Lambda-GB-Second",
                &[("0", "6000000000", "0.0000166667")],
            ),
            "open end",
        ),
        (
            lambda_doc(
                "G3",
                r,
                "Request",
                "Requests",
                &[("0", "Inf", "0.0000000000")],
            ),
            "not positive",
        ),
        (
            lambda_doc("G4", r, "Request", "Requests", &[("0", "Inf", "2e-7")]),
            "plain decimal",
        ),
        (
            lambda_doc(
                "G5",
                r,
                "Request-ARM",
                "Lambda-GB-Second",
                &[("0", "Inf", "0.0000002")],
            ),
            "unit `Lambda-GB-Second`",
        ),
        (
            lambda_doc(
                "G6",
                "eu-west-1",
                "EU-Request",
                "Requests",
                &[("0", "Inf", "0.0000002")],
            ),
            "regionCode `eu-west-1`",
        ),
        (
            lambda_doc("G7", r, "Request", "Requests", &[("0", "Inf", "0.0000002")])
                .replace(r#""USD""#, r#""CNY""#),
            "pricePerUnit.USD",
        ),
    ];
    for (doc, want) in cases {
        let pages = [Page {
            documents: vec![doc],
        }];
        let err = parse_region(r, &pages, now()).unwrap_err().to_string();
        assert!(err.contains(want), "{want}: {err}");
        assert!(err.contains("SKU G"), "{err}");
    }
    let pages = [Page {
        documents: vec!["<html>".to_string()],
    }];
    let err = parse_region(r, &pages, now()).unwrap_err().to_string();
    assert!(
        err.contains("page 1, item 1") && err.contains("not a JSON"),
        "{err}"
    );
}

#[test]
fn a_repeated_product_is_kept_once_and_a_conflicting_one_rejected() {
    let r = "us-east-1";
    let same = lambda_doc("R1", r, "Request", "Requests", &[("0", "Inf", "0.0000002")]);
    let twin = lambda_doc("R2", r, "Request", "Requests", &[("0", "Inf", "0.0000002")]);
    let parsed = parse_region(
        r,
        &[Page {
            documents: vec![same.clone(), twin],
        }],
        now(),
    )
    .unwrap();
    assert_eq!((parsed.prices.len(), parsed.skipped), (1, 1));
    let other = lambda_doc("R3", r, "Request", "Requests", &[("0", "Inf", "0.0000003")]);
    let err = parse_region(
        r,
        &[
            Page {
                documents: vec![same],
            },
            Page {
                documents: vec![other],
            },
        ],
        now(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("two different price lists")
            && err.contains("SKU R1")
            && err.contains("SKU R3"),
        "{err}"
    );
}
