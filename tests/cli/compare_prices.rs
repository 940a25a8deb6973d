//! `compare` on fetched prices: `prices fetch` stores Lambda prices (ServiceCode `AWSLambda`) from
//! the loopback Price List fake in the cache, and `compare` prices its Lambda rows with them under
//! the `--prices` rules, naming the fetched source, in place of the embedded rows of the region;
//! without any the rows say how to fetch them.

use super::fake_pricing::{
    FakePricing, RegionScript, ec2_pages_us_east_1, lambda_pages, region_pages, spot_feed,
};
use super::support::{Run, example, root, run_in};
use serde_json::Value;
use std::path::Path;

fn run_with(fake: Option<&FakePricing>, cache: &Path, args: &[&str]) -> Run {
    let mut env: Vec<(String, String)> = fake.map(FakePricing::env).unwrap_or_default();
    env.push((
        "FARGATE_PLANNER_CACHE_DIR".into(),
        cache.display().to_string(),
    ));
    env.push(("AWS_REGION".into(), "us-east-1".into()));
    env.push(("AWS_MAX_ATTEMPTS".into(), "1".into()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    run_in(&root(), args, &env)
}

/// A fake with Fargate and Lambda rows for `region`; the first x86 duration tier costs
/// `x86_gb_second` (the embedded us-east-1 price is 0.0000166667).
fn fake_for(
    region: &str,
    ecs_prefix: &str,
    lambda_prefix: &str,
    x86_gb_second: &str,
) -> FakePricing {
    let fake = FakePricing::start();
    fake.region(
        region,
        RegionScript {
            pages: region_pages(region, ecs_prefix, "9"),
            ..RegionScript::default()
        },
    );
    fake.lambda(region, lambda_pages(region, lambda_prefix, x86_gb_second));
    fake.spot_feed(&spot_feed(&[(region, true)]));
    fake
}

/// The webserver example moved to `region`.
fn webserver_in(dir: &Path, region: &str) -> String {
    let text = std::fs::read_to_string(example("webserver.toml"))
        .unwrap()
        .replace("region = \"us-east-1\"", &format!("region = \"{region}\""));
    let path = dir.join(format!("webserver-{region}.toml"));
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn compare_json(fake: Option<&FakePricing>, cache: &Path, plan: &str, prices: &str) -> Value {
    let out = run_with(
        fake,
        cache,
        &["compare", plan, "--format", "json", "--prices", prices],
    )
    .success()
    .stdout;
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}\n{out}"))
}

fn row<'a>(c: &'a Value, id: &str) -> &'a Value {
    c["services"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no row {id}"))
}

fn lambda_sources(c: &Value) -> Vec<(String, String, String)> {
    c["prices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["service_code"] == "AWSLambda")
        .map(|p| {
            (
                p["region"].as_str().unwrap().to_string(),
                p["as_of"].as_str().unwrap().to_string(),
                p["source"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn fetched_lambda_prices_replace_a_regions_embedded_rows() {
    let fake = fake_for("eu-west-1", "EU", "EU-", "0.0000166667");
    let cache = tempfile::tempdir().unwrap();
    let plan = webserver_in(cache.path(), "eu-west-1");

    // Before: the embedded table prices eu-west-1 from its own rows, each with its source.
    let before = compare_json(None, cache.path(), &plan, "auto");
    assert_eq!(row(&before, "lambda_x86")["monthly"], "24.5280438");
    let sources = lambda_sources(&before);
    assert_eq!(sources.len(), 8, "{sources:?}");
    for (region, as_of, text) in &sources {
        assert_eq!(
            (region.as_str(), as_of.as_str()),
            ("eu-west-1", "2025-12-06")
        );
        assert!(text.contains("'EU (Ireland)'"), "{text}");
    }

    let fetched = run_with(
        Some(&fake),
        cache.path(),
        &["prices", "fetch", "--region", "eu-west-1"],
    )
    .success()
    .stdout_has("eu-west-1: 8 on-demand prices")
    .stdout_has("eu-west-1: 8 Lambda prices")
    .stdout;
    assert_eq!(
        fake.seen("GetProducts AWSLambda"),
        2,
        "both pages\n{fetched}"
    );
    let cached = std::fs::read_to_string(cache.path().join("prices.json")).unwrap();
    assert!(cached.contains("\"lambda_prices\""), "{cached}");
    assert!(cached.contains("EU-Lambda-GB-Second-ARM"), "{cached}");
    // Decoys never reach the cache.
    for decoy in ["Provisioned", "Edge", "Global-Request"] {
        assert!(!cached.contains(decoy), "{decoy} in\n{cached}");
    }

    // After: priced from the cache, same figures as us-east-1 (same prices), sources named.
    for source in ["auto", "cache"] {
        let after = compare_json(None, cache.path(), &plan, source);
        assert_eq!(
            row(&after, "lambda_x86")["monthly"],
            "24.5280438",
            "{source}"
        );
        assert_eq!(
            row(&after, "lambda_arm")["monthly"],
            "20.1480876",
            "{source}"
        );
        let sources = lambda_sources(&after);
        assert_eq!(sources.len(), 8, "{sources:?}");
        for (region, as_of, text) in &sources {
            assert_eq!(region, "eu-west-1");
            // The offer's publication date (the fake's documents are published 2026-10-20).
            assert_eq!(as_of, "2026-10-20");
            assert!(
                text.contains("AWS Price List API GetProducts AWSLambda eu-west-1, SKU L")
                    && text.contains("fetched "),
                "{text}"
            );
        }
        assert!(
            sources
                .iter()
                .any(|(_, _, t)| t.contains("SKU LGB2 EU-Lambda-GB-Second-ARM"))
        );
    }
    // `--prices embedded` ignores the cache.
    let embedded = compare_json(None, cache.path(), &plan, "embedded");
    assert_eq!(lambda_sources(&embedded), lambda_sources(&before));
}

#[test]
fn a_different_fetched_price_changes_the_lambda_row_and_its_source() {
    // x86 duration at $0.00002 per GB-second instead of $0.0000166667.
    let fake = fake_for("us-east-1", "USE1", "", "0.0000200000");
    let cache = tempfile::tempdir().unwrap();
    let plan = example("webserver.toml").display().to_string();
    run_with(
        Some(&fake),
        cache.path(),
        &["prices", "fetch", "--region", "us-east-1", "--no-spot"],
    )
    .success()
    .stdout_has("us-east-1: 8 Lambda prices");

    // 13,140,000 requests × $0.0000002 + 1,314,000 GB-s × $0.00002 = 2.628 + 26.28.
    let c = compare_json(None, cache.path(), &plan, "auto");
    assert_eq!(row(&c, "lambda_x86")["monthly"], "28.908");
    assert_eq!(row(&c, "lambda_arm")["monthly"], "20.1480876");
    let sources = lambda_sources(&c);
    assert!(
        sources
            .iter()
            .all(|(_, _, s)| s.contains("AWS Price List API GetProducts AWSLambda us-east-1")),
        "{sources:?}"
    );
    assert!(
        !sources
            .iter()
            .any(|(_, _, s)| s.contains("public pricing note")),
        "{sources:?}"
    );
    // The break-even moves with it. Fargate x86 is the fetched 730 × (0.5 × 0.04049 + 0.00449)
    // = $18.05655; Lambda x86 costs 0.0000002 + 0.1 × 0.00002 per request: 8,207,522.73 a month.
    let be = row(&c, "fargate_x86_on_demand")["break_even"][0]["requests_per_month"]
        .as_str()
        .unwrap()
        .parse::<f64>()
        .unwrap();
    assert!((be - 8_207_522.727).abs() < 1.0, "{be}");
    let table = run_with(None, cache.path(), &["compare", &plan])
        .success()
        .stdout_has("$28.91")
        .stdout_has("AWSLambda us-east-1, SKU LGB1 Lambda-GB-Second")
        .stdout;
    assert!(!table.contains("$24.53"), "{table}");

    // The embedded table is still there for `--prices embedded`.
    let c = compare_json(None, cache.path(), &plan, "embedded");
    assert_eq!(row(&c, "lambda_x86")["monthly"], "24.5280438");
}

#[test]
fn compare_live_fetches_the_plan_regions_lambda_prices_and_caches_them() {
    let fake = fake_for("us-east-1", "USE1", "", "0.0000200000");
    let cache = tempfile::tempdir().unwrap();
    let plan = example("webserver.toml").display().to_string();
    let c = compare_json(Some(&fake), cache.path(), &plan, "live");
    assert_eq!(row(&c, "lambda_x86")["monthly"], "28.908");
    assert_eq!(fake.seen("GetProducts AWSLambda"), 2);
    assert_eq!(fake.seen("GetProducts AmazonECS"), 2);
    let again = compare_json(None, cache.path(), &plan, "cache");
    assert_eq!(row(&again, "lambda_x86")["monthly"], "28.908");
}

#[test]
fn a_cache_without_lambda_prices_leaves_lambda_to_the_embedded_table_or_unpriced() {
    let fake = fake_for("us-east-1", "USE1", "", "0.0000200000");
    let cache = tempfile::tempdir().unwrap();
    let plan = example("webserver.toml").display().to_string();
    let out = run_with(
        Some(&fake),
        cache.path(),
        &["prices", "fetch", "--region", "us-east-1", "--no-lambda"],
    )
    .success()
    .stdout;
    assert!(!out.contains("Lambda prices"), "{out}");
    assert_eq!(fake.seen("GetProducts AWSLambda"), 0);
    let cached = std::fs::read_to_string(cache.path().join("prices.json")).unwrap();
    assert!(
        !cached.contains("lambda_prices"),
        "the old layout: {cached}"
    );

    // auto: Fargate from the cache, Lambda from the embedded table.
    let c = compare_json(None, cache.path(), &plan, "auto");
    assert_eq!(row(&c, "lambda_x86")["monthly"], "24.5280438");
    // cache: only the cache, which has no Lambda prices: not priced (never zero), and how to fetch.
    let c = compare_json(None, cache.path(), &plan, "cache");
    let r = row(&c, "lambda_x86");
    assert!(r["monthly"].is_null(), "{r}");
    let why = r["not_priced"].as_str().unwrap_or_default();
    assert!(why.contains("prices fetch --region us-east-1"), "{why}");
    assert!(row(&c, "fargate_x86_on_demand")["monthly"].is_string());
}

/// Four ARM tasks of 1 vCPU / 2 GB in us-east-1, always on.
fn arm_plan(dir: &Path) -> String {
    let path = dir.join("arm.toml");
    std::fs::write(
        &path,
        "[plan]\nregion = \"us-east-1\"\n[[service]]\nname = \"api\"\ncpu = \"1 vCPU\"\nmemory = \"2 GB\"\ndesired_count = 4\nruntime_platform = { cpu_architecture = \"ARM64\" }\n[[service.container_definitions]]\nname = \"api\"\nimage = \"x\"\n",
    )
    .unwrap();
    path.display().to_string()
}

/// `prices fetch` asks AmazonEC2 for on-demand Linux shared-tenancy rows of the book's types (one
/// query a region, read over both pages), the fake answers with decoys as if it ignored every
/// filter, and only the two real rows are stored; `compare --prices cache` then packs on them.
#[test]
fn fetched_ec2_prices_price_the_ec2_rows_and_decoys_are_never_priced() {
    let fake = fake_for("us-east-1", "USE1", "", "0.0000200000");
    fake.ec2("us-east-1", ec2_pages_us_east_1("0.0700000000"));
    let cache = tempfile::tempdir().unwrap();
    let plan = arm_plan(cache.path());
    run_with(
        Some(&fake),
        cache.path(),
        &["prices", "fetch", "--region", "us-east-1"],
    )
    .success()
    .stdout_has("us-east-1: 2 EC2 instance prices (on-demand Linux, shared tenancy)");
    assert_eq!(
        fake.seen("GetProducts AmazonEC2"),
        2,
        "one query, two pages"
    );
    let filters = fake.state.ec2_filters.lock().unwrap()[0].clone();
    let by_field = |f: &str| {
        filters
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["Field"] == f)
            .unwrap_or_else(|| panic!("no {f} filter in {filters}"))
            .clone()
    };
    for (field, value) in [
        ("regionCode", "us-east-1"),
        ("productFamily", "Compute Instance"),
        ("tenancy", "Shared"),
        ("operatingSystem", "Linux"),
        ("preInstalledSw", "NA"),
        ("capacitystatus", "Used"),
        ("licenseModel", "No License required"),
    ] {
        let f = by_field(field);
        assert_eq!(
            (f["Type"].as_str(), f["Value"].as_str()),
            (Some("TERM_MATCH"), Some(value))
        );
    }
    let types = by_field("instanceType");
    assert_eq!(types["Type"], "ANY_OF");
    let listed: Vec<&str> = types["Value"].as_str().unwrap().split(',').collect();
    assert_eq!(listed.len(), 68);
    assert!(listed.contains(&"m6g.large") && listed.contains(&"c7g.large"));

    let c = compare_json(None, cache.path(), &plan, "cache");
    let ec2 = row(&c, "ec2_on_demand");
    // 4 tasks, 2 zones: m6g.large holds 2 (CPU, ENIs) → 1 a zone → 2 × $0.07 × 730 = $102.20.
    assert_eq!(ec2["ec2"]["instance_type"], "m6g.large");
    assert_eq!(ec2["ec2"]["instances"], 2);
    assert_eq!(ec2["monthly"], "102.2");
    let refs: Vec<&Value> = c["prices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["service_code"] == "AmazonEC2")
        .collect();
    assert_eq!(refs.len(), 1, "{refs:?}");
    assert_eq!(refs[0]["usd_per_unit"], "0.0700000000");
    assert!(
        refs[0]["source"].as_str().unwrap().contains("SKU E1"),
        "{}",
        refs[0]["source"]
    );

    // Under `auto` the fetched region replaces the embedded prices there whole.
    let auto = compare_json(None, cache.path(), &plan, "auto");
    assert_eq!(
        row(&auto, "ec2_on_demand")["ec2"]["instance_type"],
        "m6g.large"
    );
    // Embedded only: the book's own m6g.large price ($0.077), dated 2025-12-06.
    let embedded = compare_json(None, cache.path(), &plan, "embedded");
    assert_eq!(
        row(&embedded, "ec2_on_demand")["ec2"]["usd_per_hour"],
        "0.077"
    );
}
