//! The price books written back as the embedded data files (`prices export --embedded DIR`): each
//! in its file's own layout (same header and column order), one row per key in the book's order,
//! prices exactly as stored (AWS's digits, no rounding), so the file reads back to the same book.

use crate::core::pricing::eks::EksPriceBook;
use crate::core::pricing::lambda::LambdaPriceBook;
use crate::core::pricing::{PriceBook, SavingsRates};

/// `data/prices.csv`: Fargate on-demand, Windows, storage and Spot, by region and dimension.
pub const FARGATE_HEADER: &[&str] = &[
    "region",
    "dimension",
    "usd_per_unit",
    "unit",
    "as_of",
    "source",
];
/// `data/lambda-prices.csv`: request and duration tiers by region, architecture and item.
pub const LAMBDA_HEADER: &[&str] = &[
    "region",
    "architecture",
    "item",
    "tier_start",
    "tier_end",
    "usd_per_unit",
    "unit",
    "as_of",
    "source",
];
/// `data/savings-plans.csv`: Compute Savings Plans rates by region, plan, architecture, dimension.
pub const SAVINGS_HEADER: &[&str] = &[
    "region",
    "plan",
    "architecture",
    "dimension",
    "usd_per_unit",
    "unit",
    "as_of",
    "source",
];
/// `data/eks-prices.csv`: EKS cluster fees and pod rates by region and item.
pub const EKS_HEADER: &[&str] = &["region", "item", "usd_per_unit", "unit", "as_of", "source"];

/// One CSV field, quoted when it must be (a comma, a quote, a line break or edge spaces).
fn field(s: &str) -> String {
    let needs = s.contains([',', '"', '\n', '\r']) || s.trim() != s;
    if needs {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn table(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = header.join(",");
    out.push('\n');
    for row in rows {
        let fields: Vec<String> = row.iter().map(|f| field(f)).collect();
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

/// The Fargate book as `data/prices.csv`.
pub fn fargate_csv(book: &PriceBook) -> String {
    table(
        FARGATE_HEADER,
        book.iter().map(|p| {
            vec![
                p.region.clone(),
                p.dimension.id().to_string(),
                p.usd_per_unit.to_string(),
                p.unit.clone(),
                p.as_of.to_string(),
                p.source.clone(),
            ]
        }),
    )
}

/// The Lambda book as `data/lambda-prices.csv` (the open last tier has an empty `tier_end`).
pub fn lambda_csv(book: &LambdaPriceBook) -> String {
    table(
        LAMBDA_HEADER,
        book.iter().map(|p| {
            vec![
                p.region.clone(),
                p.architecture.ecs_name().to_string(),
                p.item.id().to_string(),
                p.tier_start.to_string(),
                p.tier_end.map(|e| e.to_string()).unwrap_or_default(),
                p.usd_per_unit.to_string(),
                p.unit.clone(),
                p.as_of.to_string(),
                p.source.clone(),
            ]
        }),
    )
}

/// The Savings Plans rates as `data/savings-plans.csv`.
pub fn savings_csv(rates: &SavingsRates) -> String {
    table(
        SAVINGS_HEADER,
        rates.iter().map(|r| {
            vec![
                r.region.clone(),
                r.plan.clone(),
                r.architecture.clone(),
                r.dimension.clone(),
                r.usd_per_unit.to_string(),
                r.unit.clone(),
                r.as_of.to_string(),
                r.source.clone(),
            ]
        }),
    )
}

/// The EKS book as `data/eks-prices.csv`.
pub fn eks_csv(book: &EksPriceBook) -> String {
    table(
        EKS_HEADER,
        book.iter().map(|p| {
            vec![
                p.region.clone(),
                p.item.id().to_string(),
                p.usd_per_unit.to_string(),
                p.unit.clone(),
                p.as_of.to_string(),
                p.source.clone(),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::pricing::Origin;

    /// The header line of an embedded file.
    fn header_of(text: &str) -> &str {
        text.lines().next().unwrap()
    }

    #[test]
    fn headers_are_the_embedded_files_headers() {
        for (path, header) in [
            ("data/prices.csv", FARGATE_HEADER),
            ("data/lambda-prices.csv", LAMBDA_HEADER),
            ("data/savings-plans.csv", SAVINGS_HEADER),
            ("data/eks-prices.csv", EKS_HEADER),
        ] {
            let text =
                std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
            assert_eq!(header_of(&text), header.join(","), "{path}");
        }
    }

    #[test]
    fn the_embedded_books_round_trip() {
        let book = PriceBook::embedded().unwrap();
        let text = fargate_csv(&book);
        let back = PriceBook::from_csv("x", &text, Origin::Embedded).unwrap();
        assert_eq!(
            back.iter().collect::<Vec<_>>(),
            book.iter().collect::<Vec<_>>()
        );
        assert_eq!(fargate_csv(&back), text, "writing is deterministic");

        let lambda = LambdaPriceBook::embedded().unwrap();
        let text = lambda_csv(&lambda);
        let back = LambdaPriceBook::from_csv("x", &text).unwrap();
        assert_eq!(
            back.iter().collect::<Vec<_>>(),
            lambda.iter().collect::<Vec<_>>()
        );
        assert!(text.contains(",0,6000000000,0.0000166667,"), "{text}");

        let eks = EksPriceBook::embedded().unwrap();
        let text = eks_csv(&eks);
        let back = EksPriceBook::from_csv("x", &text, Origin::Embedded).unwrap();
        assert_eq!(
            back.iter().collect::<Vec<_>>(),
            eks.iter().collect::<Vec<_>>()
        );

        let rates = SavingsRates::embedded().unwrap();
        let text = savings_csv(&rates);
        let back = SavingsRates::from_csv("x", &text, Origin::Embedded).unwrap();
        assert_eq!(
            back.iter().collect::<Vec<_>>(),
            rates.iter().collect::<Vec<_>>()
        );
    }

    #[test]
    fn many_digits_quotes_and_tiers_survive_the_round_trip() {
        let fargate = "region,dimension,usd_per_unit,unit,as_of,source\n\
            ap-south-2,linux_x86_vcpu_hour,0.0404800000,vCPU-hour,2026-11-20,\"GetProducts, SKU \"\"A\"\"\"\n\
            ap-south-2,spot_arm_gb_hour,0.000000123456789012,GB-hour,2026-11-25,feed\n";
        let book = PriceBook::from_csv("x", fargate, Origin::Embedded).unwrap();
        let text = fargate_csv(&book);
        assert_eq!(text, fargate);
        let back = PriceBook::from_csv("x", &text, Origin::Embedded).unwrap();
        let p = back
            .get(
                "ap-south-2",
                crate::core::pricing::Dimension::LinuxX86VcpuHour,
            )
            .unwrap();
        assert_eq!(p.usd_per_unit.to_string(), "0.0404800000");
        assert_eq!(p.source, "GetProducts, SKU \"A\"");

        let lambda = "region,architecture,item,tier_start,tier_end,usd_per_unit,unit,as_of,source\n\
            eu-west-1,X86_64,request,0,,0.0000002000,request,2026-10-20,a\n\
            eu-west-1,X86_64,duration,0,6000000000,0.0000166667,GB-second,2026-10-20,b\n\
            eu-west-1,X86_64,duration,6000000000,15000000000,0.0000150000,GB-second,2026-10-20,b\n\
            eu-west-1,X86_64,duration,15000000000,,0.0000133334,GB-second,2026-10-20,b\n";
        let book = LambdaPriceBook::from_csv("x", lambda).unwrap();
        let text = lambda_csv(&book);
        let back = LambdaPriceBook::from_csv("x", &text).unwrap();
        assert_eq!(
            back.iter().collect::<Vec<_>>(),
            book.iter().collect::<Vec<_>>()
        );
        assert_eq!(back.iter().filter(|p| p.tier_end.is_none()).count(), 2);

        let eks = "region,item,usd_per_unit,unit,as_of,source\n\
            il-central-1,cluster_standard_hour,0.1000000000,cluster-hour,2026-11-20,a\n\
            il-central-1,cluster_extended_surcharge_hour,0.5000000000,cluster-hour,2026-11-20,b\n\
            il-central-1,pod_linux_x86_vcpu_hour,0.0518000000,vCPU-hour,2026-11-20,\"c, d\"\n\
            il-central-1,pod_linux_x86_gb_hour,0.0057000000,GB-hour,2026-11-20,e\n";
        let book = EksPriceBook::from_csv("x", eks, Origin::Embedded).unwrap();
        let text = eks_csv(&book);
        assert_eq!(text, eks);
        let back = EksPriceBook::from_csv("x", &text, Origin::Embedded).unwrap();
        assert_eq!(
            back.iter().collect::<Vec<_>>(),
            book.iter().collect::<Vec<_>>()
        );
    }
}
