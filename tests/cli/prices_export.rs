//! The maintainers' refresh end to end: `prices fetch --all-regions --savings-plans` from the
//! loopback Price List fake and Spot feed (Savings Plans through ListPriceLists and
//! GetPriceListFileUrl), `prices export --embedded DIR`, and the exported files loaded as the
//! embedded books (`FARGATE_PLANNER_EMBEDDED_DIR`) price the plans exactly as the cache does.

use super::fake_pricing::{
    FakePricing, RegionScript, ec2_pages_us_east_1, eks_pages, lambda_doc, lambda_pages,
    region_pages, spot_feed,
};
use super::support::{Run, example, root, run_in};
use serde_json::Value;
use std::path::Path;

fn run_env(cache: &Path, fake: Option<&FakePricing>, args: &[&str], extra: &[(&str, &str)]) -> Run {
    let mut env: Vec<(String, String)> = fake.map(FakePricing::env).unwrap_or_default();
    env.push((
        "FARGATE_PLANNER_CACHE_DIR".into(),
        cache.display().to_string(),
    ));
    env.push(("AWS_REGION".into(), "us-east-1".into()));
    env.push(("AWS_MAX_ATTEMPTS".into(), "1".into()));
    for (k, v) in extra {
        env.push((k.to_string(), v.to_string()));
    }
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    run_in(&root(), args, &env)
}

/// us-east-1 and eu-west-1 with Fargate, Lambda and EKS rows; ap-east-2 listed but with none.
fn fake() -> FakePricing {
    let fake = FakePricing::start();
    for (region, ecs, lambda, pod) in [
        ("us-east-1", "USE1", "", "0.0404800000"),
        ("eu-west-1", "EU", "EU-", "0.0444800000"),
    ] {
        fake.region(
            region,
            RegionScript {
                pages: region_pages(region, ecs, "9"),
                ..RegionScript::default()
            },
        );
        // Ephemeral storage (held in `lambda-prices.csv`) on a third page.
        let mut pages = lambda_pages(region, lambda, "0.0000166667");
        pages.push(vec![
            lambda_doc(
                "LST1",
                region,
                &format!("{lambda}Lambda-Storage-GB-Second"),
                "GB-Seconds",
                &[("0", "Inf", "0.0000000309")],
            ),
            lambda_doc(
                "LST2",
                region,
                &format!("{lambda}Lambda-Storage-GB-Second-ARM"),
                "GB-Seconds",
                &[("0", "Inf", "0.0000000309")],
            ),
        ]);
        fake.lambda(region, pages);
        fake.eks(region, eks_pages(region, ecs, pod));
    }
    fake.ec2("us-east-1", ec2_pages_us_east_1("0.0770000000"));
    fake.attribute_pages(vec![
        vec!["us-east-1".into()],
        vec!["eu-west-1".into(), "ap-east-2".into()],
    ]);
    fake.spot_feed(&spot_feed(&[("us-east-1", true), ("eu-west-1", true)]));
    let savings =
        std::fs::read_to_string(root().join("tests/fixtures/prices/savings-plans-us-east-1.json"))
            .unwrap_or_else(|e| panic!("fixture: {e}"));
    fake.savings_plans("us-east-1", &savings);
    fake
}

/// The JSON output without the `origin` fields (the cache says "Price List API <time>", the
/// exported books "embedded"): everything else must be identical.
fn without_origins(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.remove("origin");
            map.values_mut().for_each(without_origins);
        }
        Value::Array(items) => items.iter_mut().for_each(without_origins),
        _ => {}
    }
}

fn json(run: Run) -> Value {
    let out = run.success().stdout;
    let mut v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
    without_origins(&mut v);
    v
}

fn first_line(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn fetch_export_and_the_exported_books_price_exactly_as_the_cache() {
    let fake = fake();
    let cache = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let books = work.path().join("books");
    let books_arg = books.display().to_string();

    run_env(
        cache.path(),
        Some(&fake),
        &["prices", "fetch", "--all-regions"],
        &[],
    )
    .success()
    .stdout_has("eu-west-1: 8 on-demand prices")
    .stdout_has("us-east-1: 4 EKS prices")
    .stdout_has("eu-west-1: 4 EKS prices");
    assert_eq!(
        fake.seen("GetProducts AmazonEKS"),
        2 * 2 + 1,
        "two pages a region, and ap-east-2"
    );

    // Without Savings Plans rates in the cache the export refuses, says how, and writes nothing.
    run_env(
        cache.path(),
        None,
        &["prices", "export", "--embedded", &books_arg],
        &[],
    )
    .code(1)
    .stderr_has("Compute Savings Plans rates (savings-plans.csv)")
    .stderr_has("prices import https://pricing.us-east-1.amazonaws.com/savingsPlan/")
    .stderr_has("prices fetch --all-regions --savings-plans");
    assert!(!books.exists(), "nothing written");

    run_env(
        cache.path(),
        Some(&fake),
        &["prices", "fetch", "--all-regions", "--savings-plans"],
        &[],
    )
    .success()
    .stdout_has("us-east-1: 7 Compute Savings Plans rates for Fargate")
    .stdout_has("note: no Compute Savings Plans price list (ListPriceLists ComputeSavingsPlans) for ap-east-2, eu-west-1");
    assert_eq!(fake.seen("ListPriceLists"), 3);
    assert_eq!(fake.seen("GetPriceListFileUrl"), 1);
    assert_eq!(fake.seen("GET /savingsPlan/us-east-1/index.json"), 1);
    run_env(
        cache.path(),
        None,
        &["prices", "export", "--embedded", &books_arg],
        &[],
    )
    .success()
    .stdout_has("prices.csv: 24 rows for 2 regions")
    .stdout_has("eks-prices.csv: 8 rows for 2 regions, as of 2026-11-20")
    .stdout_has("ec2-instances.csv: 2 rows for 1 region, as of 2026-11-25");

    // Each file in its embedded layout, every row dated and sourced by its offer.
    for name in ["prices.csv", "lambda-prices.csv", "savings-plans.csv"] {
        assert_eq!(
            first_line(&books.join(name)),
            first_line(&root().join("data").join(name)),
            "{name}"
        );
    }
    assert_eq!(
        first_line(&books.join("eks-prices.csv")),
        "region,item,usd_per_unit,unit,as_of,source"
    );
    let fargate = std::fs::read_to_string(books.join("prices.csv")).unwrap();
    assert!(fargate.contains(
        "us-east-1,linux_x86_vcpu_hour,0.04049,vCPU-hour,2026-11-20,\"AWS Price List API GetProducts AmazonECS us-east-1, SKU USE1X1 USE1-Fargate-vCPU-Hours:perCPU, effective 2026-11-01T00:00:00Z, offer version 20261120100000 published 2026-11-20T10:00:00Z\"\n"
    ), "{fargate}");
    assert!(
        fargate.contains("eu-west-1,windows_os_license_vcpu_hour,0.04609,"),
        "{fargate}"
    );
    assert!(
        fargate.contains("eu-west-1,ephemeral_storage_gb_hour,0.00019,"),
        "{fargate}"
    );
    assert!(fargate.contains(&format!(
        "eu-west-1,spot_arm_gb_hour,0.00113349,GB-hour,2026-11-25,\"Fargate Spot feed {} source:version 20261125093000, id eu-west-1-ARM-GB-Hours\"",
        fake.spot_url()
    )), "{fargate}");
    let lambda = std::fs::read_to_string(books.join("lambda-prices.csv")).unwrap();
    assert!(
        lambda.contains(
            "eu-west-1,ARM64,duration,7500000000,18750000000,0.0000120001,GB-second,2026-10-20,"
        ),
        "{lambda}"
    );
    assert_eq!(lambda.lines().count(), 1 + 2 * 10, "{lambda}");
    assert!(
        lambda.contains("eu-west-1,ARM64,ephemeral_storage,0,,0.0000000309,GB-second,2026-10-20,"),
        "{lambda}"
    );
    let eks = std::fs::read_to_string(books.join("eks-prices.csv")).unwrap();
    assert!(eks.contains(
        "eu-west-1,cluster_extended_surcharge_hour,0.5000000000,cluster-hour,2026-11-20,\"AWS Price List API GetProducts ServiceCode AmazonEKS eu-west-1, usage type EU-AmazonEKS-Hours:extendedSupport, SKU K2"
    ), "{eks}");
    assert!(
        eks.contains("eu-west-1,pod_linux_x86_vcpu_hour,0.0444800000,vCPU-hour,"),
        "{eks}"
    );
    assert!(
        !eks.contains("Provisioned") && !eks.contains("Hybrid"),
        "{eks}"
    );
    let sp = std::fs::read_to_string(books.join("savings-plans.csv")).unwrap();
    assert_eq!(sp.lines().count(), 1 + 7, "{sp}");
    assert!(sp.contains(&format!(
        "us-east-1,compute_3yr_no_upfront,X86_64,gb_hour,0.0024447500,GB-hour,2026-09-25,\"AWSComputeSavingsPlan offer file ListPriceLists ServiceCode ComputeSavingsPlans us-east-1 (arn:aws:pricing:::price-list/aws/AWSComputeSavingsPlan/USD/20260925000000/us-east-1) {}/savingsPlan/us-east-1/index.json published 2026-09-25T00:00:00Z",
        fake.url
    )), "{sp}");
    assert!(!sp.contains("Signature"), "{sp}");
    let leftovers: Vec<_> = std::fs::read_dir(work.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "books")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Loaded as the embedded books, they price the plans exactly as the cache does.
    let dir = [("FARGATE_PLANNER_EMBEDDED_DIR", books_arg.as_str())];
    for plan in ["portfolio.toml", "webserver.toml"] {
        let plan = example(plan).display().to_string();
        for command in ["report", "compare"] {
            let args = |source| {
                vec![
                    command,
                    plan.as_str(),
                    "--format",
                    "json",
                    "--prices",
                    source,
                ]
            };
            let from_cache = json(run_env(cache.path(), None, &args("cache"), &[]));
            let embedded = json(run_env(cache.path(), None, &args("embedded"), &dir));
            assert_eq!(from_cache, embedded, "{command} {plan}");
            // Not trivially equal: the real embedded snapshot prices differently.
            let snapshot = json(run_env(cache.path(), None, &args("embedded"), &[]));
            assert_ne!(from_cache, snapshot, "{command} {plan}");
            if command == "compare" && plan.ends_with("portfolio.toml") {
                // Lambda and EKS are priced from the fetched (and exported) rows.
                let text = from_cache.to_string();
                for fetched in [
                    "GetProducts ServiceCode AmazonEKS eu-west-1, usage type EU-Fargate-vCPU-Hours:perCPU",
                    "GetProducts AWSLambda eu-west-1, SKU LGB1 EU-Lambda-GB-Second",
                ] {
                    assert!(text.contains(fetched), "{fetched} not in\n{text}");
                }
            }
        }
    }

    // A second export over the folder writes the same bytes.
    let before = std::fs::read_to_string(books.join("prices.csv")).unwrap();
    run_env(
        cache.path(),
        None,
        &["prices", "export", "--embedded", &books_arg],
        &[],
    )
    .success();
    assert_eq!(
        std::fs::read_to_string(books.join("prices.csv")).unwrap(),
        before
    );
}

#[test]
fn an_empty_cache_exports_nothing_and_names_every_missing_book() {
    let cache = tempfile::tempdir().unwrap();
    let out = cache.path().join("out");
    let out_arg = out.display().to_string();
    let run = run_env(
        cache.path(),
        None,
        &["prices", "export", "--embedded", &out_arg],
        &[],
    )
    .code(1)
    .stderr_has("nothing was written");
    for book in [
        "Fargate on-demand prices (prices.csv)",
        "Fargate Spot prices (prices.csv)",
        "Lambda prices (lambda-prices.csv)",
        "EKS prices (eks-prices.csv)",
        "EC2 instance prices (ec2-instances.csv)",
        "Compute Savings Plans rates (savings-plans.csv)",
    ] {
        assert!(run.stderr.contains(book), "{book}\n{}", run.stderr);
    }
    assert!(
        run.stderr.contains("prices fetch --all-regions"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
    // A folder that is not there is refused as an embedded-books folder.
    run_env(
        cache.path(),
        None,
        &[
            "report",
            example("webserver.toml").to_str().unwrap(),
            "--prices",
            "embedded",
        ],
        &[("FARGATE_PLANNER_EMBEDDED_DIR", &out_arg)],
    )
    .code(2)
    .stderr_has("FARGATE_PLANNER_EMBEDDED_DIR");
}
