//! The comparison's unit tests, in a file of their own to keep `mod.rs` short; `compare` and
//! `Tables` are shared with the exporters' tests.

use super::eks::EksFacts;
use super::series::nice_step;
use super::*;
use crate::core::plan::{CheckOptions, check, parse};
use crate::core::pricing::PriceBook;
use crate::core::pricing::eks::EksPriceBook;
use crate::core::pricing::lambda::LambdaPriceBook;
use crate::core::rules::Facts;
use crate::core::rules::lambda::LambdaLimits;
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::CpuArch;
use crate::core::vocab::strategy::{Provider, Strategy};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;

pub(crate) struct Tables {
    pub book: PriceBook,
    pub facts: Facts,
    pub lambda: LambdaPriceBook,
    pub limits: LambdaLimits,
    pub eks: EksFacts,
    pub eks_prices: EksPriceBook,
    pub ec2_book: crate::core::pricing::ec2::Ec2Book,
    pub ec2_facts: crate::core::capacity::Ec2Facts,
}

impl Tables {
    pub fn embedded() -> Tables {
        Tables {
            book: crate::core::testing::book(),
            facts: crate::core::testing::facts(),
            lambda: LambdaPriceBook::embedded().unwrap(),
            limits: LambdaLimits::embedded().unwrap(),
            eks: EksFacts::embedded().unwrap(),
            eks_prices: EksPriceBook::embedded().unwrap(),
            ec2_book: crate::core::pricing::ec2::Ec2Book::embedded().unwrap(),
            ec2_facts: crate::core::capacity::Ec2Facts::embedded().unwrap(),
        }
    }

    pub fn prices(&self) -> ComparePrices<'_> {
        ComparePrices {
            book: &self.book,
            facts: &self.facts,
            lambda: &self.lambda,
            limits: &self.limits,
            eks: &self.eks,
            eks_prices: &self.eks_prices,
            ec2_book: &self.ec2_book,
            ec2_facts: &self.ec2_facts,
            ec2_spot_discount: None,
        }
    }
}

pub(crate) fn compare(text: &str) -> Comparison {
    let t = Tables::embedded();
    let plan = check(
        &parse(text).ok().unwrap().raw,
        &t.facts,
        CheckOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    build(
        &plan,
        t.prices(),
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
    )
}

fn service(extra: &str, workload: &str) -> String {
    format!(
        "[plan]\nregion = \"us-east-1\"\n[[service]]\nname = \"web\"\n{extra}\n{workload}\n[[service.container_definitions]]\nname = \"web\"\nimage = \"x\"\n"
    )
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

const WEB: &str = "cpu = 512\nmemory = 1024";
const WORKLOAD: &str = "[service.workload]\nrequests_per_second = 5\nduration_ms = 100";

#[test]
fn the_web_server_side_by_side() {
    let c = compare(&service(WEB, WORKLOAD));
    let s = &c.services[0];
    let ids: Vec<&str> = s.rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "fargate_x86_on_demand",
            "fargate_arm_on_demand",
            "fargate_x86_spot",
            "fargate_arm_spot",
            "lambda_x86",
            "lambda_arm",
            "eks_fargate_x86",
            "ec2_on_demand",
            "ec2_managed_instances"
        ]
    );
    let monthly = |id: &str| {
        s.row(id)
            .and_then(|r| r.monthly)
            .map(|u| u.exact().to_string())
    };
    assert_eq!(
        monthly("fargate_x86_on_demand").as_deref(),
        Some("18.02005")
    );
    assert_eq!(monthly("fargate_arm_on_demand").as_deref(), Some("14.4175"));
    assert_eq!(monthly("fargate_x86_spot").as_deref(), Some("5.73752625"));
    // 5 req/s × 2,628,000 s = 13,140,000 requests; see lambda::tests::first_tier_by_hand.
    assert_eq!(monthly("lambda_x86").as_deref(), Some("24.5280438"));
    assert_eq!(monthly("lambda_arm").as_deref(), Some("20.1480876"));
    // EKS: 0.5 vCPU / 2 GB pods, 730 × (0.5 × 0.04048 + 2 × 0.004445) = 21.2649, + $73 fee.
    assert_eq!(monthly("eks_fargate_x86").as_deref(), Some("94.2649"));
    assert!(s.row("fargate_x86_on_demand").unwrap().current);
    assert!(!s.row("fargate_arm_on_demand").unwrap().current);

    // Lambda x86 equals $18.02005 at 18.02005 / 0.00000186667 requests a month.
    let be = s
        .row("fargate_x86_on_demand")
        .unwrap()
        .paired_break_even()
        .unwrap();
    assert_eq!(be.lambda, CpuArch::X86_64);
    let rps = be.requests_per_second.unwrap();
    assert_eq!(rps.round_dp(4), d("3.6734"));
    assert_eq!(
        (be.requests_per_month.unwrap() / d("2628000")).round_dp(10),
        rps.round_dp(10)
    );
    let vs = s.row("lambda_x86").unwrap().vs_x86_on_demand.unwrap();
    assert_eq!(vs.exact().to_string(), "6.5079938");
}

#[test]
fn the_series_crosses_at_the_break_even() {
    let c = compare(&service(WEB, WORKLOAD));
    let s = &c.services[0];
    assert_eq!(s.series.points.len(), 21);
    let col = |id: &str| s.series.columns.iter().position(|c| c == id).unwrap();
    let (fx, lx) = (col("fargate_x86_on_demand"), col("lambda_x86"));
    let rps = s
        .row("fargate_x86_on_demand")
        .unwrap()
        .paired_break_even()
        .unwrap()
        .requests_per_second
        .unwrap();
    for p in &s.series.points {
        let (f, l) = (p.monthly[fx].unwrap(), p.monthly[lx].unwrap());
        assert_eq!(l < f, p.requests_per_second < rps, "{p:?}");
    }
    assert_eq!(s.series.points[0].monthly[lx], Some(Usd::ZERO));
    // Up to twice the highest paired break-even (EKS's, 19.2 req/s) in nice steps of 2.
    let last = s.series.points.last().unwrap().requests_per_second;
    assert_eq!(last, d("40"));
}

#[test]
fn disqualified_options_are_marked_not_priced() {
    // 16 vCPU / 120 GB, a 20-minute request, a 12 GB image, on Windows? No: Windows needs
    // another size table; Linux here, Windows below.
    let c = compare(&service(
        "cpu = 16384\nmemory = 122880",
        "[service.workload]\nrequests_per_second = 1\nduration_ms = 1000\nmax_duration_ms = 1200000\nimage_size = \"12 GB\"",
    ));
    let s = &c.services[0];
    for id in ["lambda_x86", "lambda_arm", "eks_fargate_x86"] {
        let r = s.row(id).unwrap();
        assert!(r.is_ruled_out(), "{id}: {r:?}");
        assert_eq!(r.monthly, None, "{id} must not be priced");
        assert!(r.break_even.is_empty());
    }
    let l = s.row("lambda_x86").unwrap();
    assert_eq!(l.disqualifiers.len(), 3, "{:?}", l.disqualifiers);
    // The wording is the exporter's (export::compare_text::tests::rows_read_as_before).
    assert!(matches!(
        s.row("eks_fargate_x86").unwrap().disqualifiers[0],
        Disqualifier::EksTooLarge { .. }
    ));
    assert!(s.row("fargate_x86_on_demand").unwrap().monthly.is_some());
    // No Lambda to compare with: no break-even and no series.
    assert!(
        s.row("fargate_x86_on_demand")
            .unwrap()
            .break_even
            .is_empty()
    );
    assert!(s.series.points.is_empty());

    let c = compare(&service(
        "cpu = 1024\nmemory = 2048\nruntime_platform = { operating_system_family = \"WINDOWS_SERVER_2022_CORE\" }",
        WORKLOAD,
    ));
    let s = &c.services[0];
    for id in [
        "fargate_arm_on_demand",
        "fargate_x86_spot",
        "fargate_arm_spot",
        "lambda_x86",
        "lambda_arm",
        "eks_fargate_x86",
    ] {
        let r = s.row(id).unwrap();
        assert!(r.is_ruled_out() && r.monthly.is_none(), "{id}: {r:?}");
    }
    assert_eq!(
        s.row("lambda_x86").unwrap().disqualifiers[0],
        Disqualifier::LambdaWindows
    );
    assert!(s.row("fargate_x86_on_demand").unwrap().monthly.is_some());
}

/// The reason a row has no figure, as text.
fn why(r: &CompareRow) -> String {
    match &r.not_priced {
        Some(NotPriced::FargatePrice(e)) => e.to_string(),
        Some(NotPriced::LambdaPrice(e)) => e.to_string(),
        Some(NotPriced::Eks(e)) => e.to_string(),
        _ => String::new(),
    }
}

#[test]
fn missing_prices_leave_rows_unpriced_with_a_reason() {
    // GovCloud: no ARM Fargate prices and no EKS pod rows; Lambda has its own rows.
    let c = compare(&service(
        &format!("region = \"us-gov-west-1\"\n{WEB}"),
        WORKLOAD,
    ));
    let s = &c.services[0];
    for id in ["eks_fargate_x86", "fargate_arm_spot"] {
        let r = s.row(id).unwrap();
        assert_eq!(r.monthly, None, "{id}");
        assert!(!r.is_ruled_out(), "{id}: a missing price rules nothing out");
        assert!(why(r).contains("us-gov-west-1"), "{id}: {r:?}");
    }
    assert!(
        why(s.row("eks_fargate_x86").unwrap())
            .contains("fargate-planner prices fetch --region us-gov-west-1")
    );
    assert!(s.row("lambda_x86").unwrap().monthly.is_some());
    assert!(!c.prices.iter().any(|p| p.service_code == "AmazonEKS"));

    // A Lambda book without the region (a `--prices cache` without Lambda prices).
    let mut t = Tables::embedded();
    t.lambda = LambdaPriceBook::default();
    let plan = check(
        &parse(&service(WEB, WORKLOAD)).ok().unwrap().raw,
        &t.facts,
        CheckOptions::default(),
    )
    .unwrap();
    let c = build(
        &plan,
        t.prices(),
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
    );
    let r = c.services[0].row("lambda_x86").unwrap();
    assert_eq!(r.monthly, None);
    assert!(why(r).contains("prices fetch --region us-east-1"), "{r:?}");
}

#[test]
fn regions_outside_us_east_1_price_lambda_and_eks_from_their_own_rows() {
    // Cape Town: Lambda $0.0000221 per GB-second and $0.27 per million requests.
    // 13,140,000 requests × $0.00000027 + 1,314,000 GB-s × $0.0000221 = 3.5478 + 29.0394.
    let c = compare(&service(
        &format!("region = \"af-south-1\"\n{WEB}"),
        WORKLOAD,
    ));
    let s = &c.services[0];
    assert_eq!(
        s.row("lambda_x86").unwrap().monthly,
        Some(Usd(d("32.5872")))
    );
    let eks = s.row("eks_fargate_x86").unwrap();
    assert!(eks.monthly.is_some(), "{eks:?}");
    let eks_items: Vec<&str> = c
        .prices
        .iter()
        .filter(|p| p.service_code == "AmazonEKS")
        .map(|p| p.item.as_str())
        .collect();
    assert_eq!(
        eks_items,
        [
            "cluster_extended_surcharge_hour",
            "cluster_standard_hour",
            "pod_linux_x86_gb_hour",
            "pod_linux_x86_vcpu_hour"
        ]
    );
    assert!(
        c.prices
            .iter()
            .filter(|p| p.service_code != "AmazonECS")
            .all(|p| p.region == "af-south-1" && p.source.contains("'Africa (Cape Town)'")),
        "{:?}",
        c.prices
    );
}

#[test]
fn without_a_workload_lambda_waits_for_one() {
    let c = compare(&service(WEB, ""));
    let s = &c.services[0];
    assert!(s.workload.is_none());
    let r = s.row("lambda_x86").unwrap();
    assert!(r.monthly.is_none() && r.not_priced == Some(NotPriced::NoWorkload));
    assert!(s.row("eks_fargate_x86").unwrap().monthly.is_some());
    assert!(s.series.points.is_empty());
    // A duration without a rate still finds the break-even.
    let c = compare(&service(WEB, "[service.workload]\nduration_ms = 100"));
    let s = &c.services[0];
    assert!(s.row("lambda_x86").unwrap().monthly.is_none());
    assert!(
        s.row("fargate_x86_on_demand")
            .unwrap()
            .paired_break_even()
            .is_some()
    );
    assert_eq!(s.series.points.len(), 21);
}

#[test]
fn the_plans_mix_is_a_row_and_a_recommended_mix_slots_in() {
    let mix = "desired_count = 5\ncapacity_provider_strategy = [{ capacity_provider = \"FARGATE\", base = 1, weight = 1 }, { capacity_provider = \"FARGATE_SPOT\", weight = 4 }]";
    let c = compare(&service(&format!("{WEB}\n{mix}"), WORKLOAD));
    let s = &c.services[0];
    let r = s.row("fargate_x86_mix_plan").unwrap();
    assert!(r.current);
    // 2 FARGATE + 3 FARGATE_SPOT (see strategy): 2 × 18.02005 + 3 × 5.73752625.
    assert_eq!(r.monthly.unwrap().exact().to_string(), "53.25267875");
    assert!(s.row("fargate_arm_mix_plan").unwrap().monthly.is_some());

    let t = Tables::embedded();
    let plan = check(
        &parse(&service(WEB, WORKLOAD)).ok().unwrap().raw,
        &t.facts,
        CheckOptions::default(),
    )
    .unwrap();
    let recommended = SpotMix {
        strategy: Strategy::single(Provider::FargateSpot),
        from: MixSource::Recommender,
    };
    let c = build_with_mixes(
        &plan,
        t.prices(),
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        |_| vec![recommended.clone()],
    );
    let r = c.services[0].row("fargate_arm_mix_recommended").unwrap();
    assert_eq!(
        r.option,
        OptionId::Fargate {
            arch: CpuArch::Arm64,
            capacity: Capacity::Mix(recommended),
        }
    );
    assert!(r.monthly.is_some());
}

#[test]
fn eks_cluster_share_and_prices_are_listed() {
    let c = compare(&service(
        WEB,
        "[service.workload]\nrequests_per_second = 5\nduration_ms = 100\neks_cluster_share = 0.25",
    ));
    let r = c.services[0].row("eks_fargate_x86").unwrap();
    assert_eq!(r.monthly.unwrap().exact().to_string(), "39.5149");
    let codes: Vec<&str> = c.prices.iter().map(|p| p.service_code).collect();
    assert!(
        codes.contains(&"AmazonECS")
            && codes.contains(&"AWSLambda")
            && codes.contains(&"AmazonEKS")
    );
    assert!(c.prices.iter().all(|p| !p.source.is_empty()));
}

#[test]
fn nice_steps() {
    assert_eq!(nice_step(d("0.5")), d("0.5"));
    assert_eq!(nice_step(d("0.37")), d("0.5"));
    assert_eq!(nice_step(d("0.21")), d("0.25"));
    assert_eq!(nice_step(d("13")), d("20"));
    assert_eq!(nice_step(d("1")), d("1"));
}

#[test]
fn ec2_rows_spot_only_with_a_discount_managed_with_a_fee_and_windows_without_a_number() {
    let t = Tables::embedded();
    let text = "[plan]\nregion = \"us-east-1\"\n[plan.ec2]\nmanaged_instances_fee = 0.037\n[[service]]\nname = \"api\"\ncpu = \"1 vCPU\"\nmemory = \"2 GB\"\ndesired_count = 10\nruntime_platform = { cpu_architecture = \"ARM64\" }\n[[service.container_definitions]]\nname = \"api\"\nimage = \"x\"\n";
    let plan = check(
        &parse(text).ok().unwrap().raw,
        &t.facts,
        CheckOptions::default(),
    )
    .unwrap();
    let mut prices = t.prices();
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let c = build(&plan, prices, today);
    assert!(
        c.services[0].row("ec2_spot").is_none(),
        "no Spot row without a discount"
    );
    assert!(c.notes.contains(&Note::Ec2 {
        spot_discount: None
    }));
    prices.ec2_spot_discount = Some(d("0.6"));
    let c = build(&plan, prices, today);
    let s = &c.services[0];
    let od = s.row("ec2_on_demand").unwrap().monthly.unwrap();
    let spot = s.row("ec2_spot").unwrap().monthly.unwrap();
    assert_eq!(spot, Usd::new(od.0 * d("0.4")));
    let managed = s.row("ec2_managed_instances").unwrap();
    let m = managed.ec2.as_ref().unwrap();
    assert_eq!(
        managed.monthly.unwrap(),
        od + Usd::new(d("0.037") * m.chosen.instance_hours)
    );
    assert!(c.prices.iter().any(|p| p.service_code == "AmazonEC2"
        && p.item == format!("{} linux_on_demand", m.chosen.instance_type)
        && p.source.contains("US East (N. Virginia)")));

    let win = compare(&service(
        "cpu = 1024\nmemory = 2048\nruntime_platform = { operating_system_family = \"WINDOWS_SERVER_2022_CORE\" }",
        "",
    ));
    let r = win.services[0].row("ec2_on_demand").unwrap();
    assert_eq!(r.monthly, None);
    assert_eq!(r.not_priced, Some(NotPriced::Ec2Windows));
    assert!(win.services[0].row("ec2_managed_instances").is_none());
}
