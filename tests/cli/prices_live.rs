//! Live and imported prices end to end: the real binary and the real `aws-sdk-pricing` client
//! against a loopback fake of the Price List API and the Spot feed; imports of each file layout;
//! the cache's provenance, corruption handling and resistance to a killed fetch.

use super::fake_pricing::{FakePricing, RegionScript, doc, region_pages, spot_feed};
use super::support::{Run, example, root, run_in};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Runs with the fake's environment, the given cache folder and extra variables.
fn run_fake(fake: &FakePricing, cache: &Path, args: &[&str], extra: &[(&str, &str)]) -> Run {
    let mut env: Vec<(String, String)> = fake.env();
    env.push((
        "FARGATE_PLANNER_CACHE_DIR".into(),
        cache.display().to_string(),
    ));
    env.push(("AWS_REGION".into(), "us-east-1".into()));
    for (k, v) in extra {
        env.push((k.to_string(), v.to_string()));
    }
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    run_in(&root(), args, &env)
}

/// `prices fetch --region REGION` against the fake into `cache`.
fn fetch(fake: &FakePricing, cache: &Path, region: &str, extra: &[(&str, &str)]) -> Run {
    run_fake(fake, cache, &["prices", "fetch", "--region", region], extra)
}

/// A fake serving one region as `script`, and a Spot feed of `spot` (region, with ARM prices).
fn fake_with(region: &str, script: RegionScript, spot: &[(&str, bool)]) -> FakePricing {
    let fake = FakePricing::start();
    fake.region(region, script);
    fake.spot_feed(&spot_feed(spot));
    fake
}

fn with_cache(cache: &Path, args: &[&str]) -> Run {
    let dir = cache.display().to_string();
    run_in(
        &root(),
        args,
        &[("FARGATE_PLANNER_CACHE_DIR", dir.as_str())],
    )
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
}

fn fixture(name: &str) -> String {
    root()
        .join("tests/fixtures/prices")
        .join(name)
        .display()
        .to_string()
}

fn cache_file(cache: &Path) -> PathBuf {
    cache.join("prices.json")
}

/// us-east-1 over two pages with decoys, priced 0.04049 (embedded: 0.04048) so a test can tell
/// fetched from embedded; the Spot feed has ARM for us-east-1 only.
fn standard_fake() -> FakePricing {
    fake_with(
        "us-east-1",
        RegionScript {
            pages: region_pages("us-east-1", "USE1", "9"),
            ..RegionScript::default()
        },
        &[("us-east-1", true), ("eu-west-3", false)],
    )
}

#[test]
fn fetch_then_report_from_the_cache_names_the_fetched_source() {
    let fake = standard_fake();
    let cache = tempdir();
    let out = fetch(&fake, cache.path(), "us-east-1", &[])
        .success()
        .stdout_has("us-east-1: 8 on-demand prices from the Price List API")
        .stdout_has("Spot feed 20261125093000: 4 prices for 1 region")
        .stdout_has("cache updated:");
    assert!(
        out.stdout
            .contains(&cache_file(cache.path()).display().to_string())
    );
    // Two pages of GetProducts, and the feed.
    assert_eq!(fake.seen("GetProducts AmazonECS"), 2);
    // Lambda prices are fetched for the same region (the fake has none: an empty PriceList).
    assert_eq!(fake.seen("GetProducts AWSLambda"), 1);
    assert_eq!(fake.seen("GET /fargate-spot-prices.json"), 1);

    let show = with_cache(
        cache.path(),
        &[
            "prices",
            "show",
            "--region",
            "us-east-1",
            "--prices",
            "cache",
        ],
    )
    .success()
    .stdout_has("Price List API 20")
    .stdout_has("Spot feed 20261125093000")
    .stdout_has("SKU USE1X1 USE1-Fargate-vCPU-Hours:perCPU")
    .stdout;
    // The fetched prices, never a decoy's: x86 memory is 0.00449, not 0 (ECS-EC2) or 0.0014 (Spot-like).
    assert!(show.contains("0.04049 per vCPU-hour"), "{show}");
    assert!(show.contains("0.00449 per GB-hour"), "{show}");
    assert!(!show.contains("embedded snapshot"), "{show}");
    assert_eq!(show.matches("Price List API 20").count(), 8, "{show}");

    with_cache(
        cache.path(),
        &[
            "report",
            example("webserver.toml").to_str().unwrap_or_default(),
            "--prices",
            "cache",
        ],
    )
    .success()
    .stdout_has("Price List API 20")
    .stdout_has("SKU USE1X1");

    // `--prices embedded` ignores the cache.
    let embedded = with_cache(
        cache.path(),
        &[
            "prices",
            "show",
            "--region",
            "us-east-1",
            "--prices",
            "embedded",
        ],
    )
    .success()
    .stdout;
    assert!(embedded.contains("embedded snapshot") && !embedded.contains("Price List API 20"));
    assert!(embedded.contains("0.04048 per vCPU-hour"), "{embedded}");

    // auto: the cache where it has the price, embedded elsewhere.
    let auto = with_cache(cache.path(), &["prices", "show"])
        .success()
        .stdout;
    assert!(auto.contains("Price List API 20") && auto.contains("embedded snapshot"));
}

#[test]
fn arm_spot_is_available_exactly_where_the_feed_has_arm_prices() {
    let fake = FakePricing::start();
    fake.region(
        "us-east-1",
        RegionScript {
            pages: region_pages("us-east-1", "USE1", "9"),
            ..RegionScript::default()
        },
    );
    // The embedded snapshot has ARM Spot for us-east-1; this feed does not.
    fake.spot_feed(&spot_feed(&[("us-east-1", false)]));
    let cache = tempdir();
    fetch(&fake, cache.path(), "us-east-1", &[])
        .success()
        .stdout_has("(ARM Spot in 0)");
    let show = with_cache(cache.path(), &["prices", "show", "--region", "us-east-1"])
        .success()
        .stdout;
    assert!(show.contains("spot_x86_vcpu_hour"), "{show}");
    assert!(!show.contains("spot_arm_vcpu_hour"), "{show}");
    assert!(!show.contains("spot_arm_gb_hour"), "{show}");
}

#[test]
fn throttling_is_retried_then_succeeds() {
    let fake = fake_with(
        "us-east-1",
        RegionScript {
            pages: region_pages("us-east-1", "USE1", "9"),
            throttle_first: 1,
            ..RegionScript::default()
        },
        &[("us-east-1", true)],
    );
    let cache = tempdir();
    fetch(&fake, cache.path(), "us-east-1", &[])
        .success()
        .stdout_has("us-east-1: 8 on-demand prices");
    assert_eq!(
        fake.seen("GetProducts AmazonECS"),
        3,
        "one throttled, then two pages"
    );
}

#[test]
fn throttling_that_persists_is_reported_with_code_and_message() {
    let fake = fake_with(
        "us-east-1",
        RegionScript {
            pages: region_pages("us-east-1", "USE1", "9"),
            throttle_first: 100,
            ..RegionScript::default()
        },
        &[("us-east-1", true)],
    );
    let cache = tempdir();
    fetch(
        &fake,
        cache.path(),
        "us-east-1",
        &[("AWS_MAX_ATTEMPTS", "2")],
    )
    .code(1)
    .stderr_has("GetProducts failed: ThrottlingException: Rate exceeded")
    .stderr_has("throttled the requests even after retries")
    .stderr_has("nothing was written to the cache");
    assert_eq!(fake.seen("GetProducts AmazonECS"), 2);
    assert!(!cache_file(cache.path()).exists());
}

#[test]
fn a_server_error_and_access_denied_show_the_aws_code() {
    let fake = FakePricing::start();
    fake.region(
        "us-east-1",
        RegionScript {
            fail_with: Some((500, "InternalErrorException", "the fake broke")),
            ..RegionScript::default()
        },
    );
    fake.region(
        "eu-west-1",
        RegionScript {
            fail_with: Some((
                400,
                "AccessDeniedException",
                "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: pricing:GetProducts",
            )),
            ..RegionScript::default()
        },
    );
    fake.spot_feed(&spot_feed(&[("us-east-1", true)]));
    let cache = tempdir();
    run_fake(
        &fake,
        cache.path(),
        &[
            "prices",
            "fetch",
            "--region",
            "us-east-1",
            "--region",
            "eu-west-1",
        ],
        &[("AWS_MAX_ATTEMPTS", "1")],
    )
    .code(1)
    .stderr_has("InternalErrorException: the fake broke")
    .stderr_has("AccessDeniedException: User: arn:aws:iam::123456789012:user/ci is not authorized")
    .stderr_has("IAM permissions");
    assert!(!cache_file(cache.path()).exists());
}

#[test]
fn a_garbage_document_is_an_error_naming_where_it_was() {
    let fake = FakePricing::start();
    let mut pages = region_pages("us-east-1", "USE1", "9");
    pages[1].insert(1, "<html>Service Unavailable</html>".to_string());
    fake.region(
        "us-east-1",
        RegionScript {
            pages,
            ..RegionScript::default()
        },
    );
    fake.spot_feed(&spot_feed(&[("us-east-1", true)]));
    let cache = tempdir();
    fetch(&fake, cache.path(), "us-east-1", &[])
        .code(1)
        .stderr_has("GetProducts AmazonECS us-east-1, page 2, item 2: not a JSON price document");
    assert!(!cache_file(cache.path()).exists());
}

#[test]
fn a_malformed_fargate_row_names_its_sku_and_usage_type() {
    let fake = fake_with(
        "us-east-1",
        RegionScript {
            pages: vec![vec![doc(
                "BADSKU1",
                "us-east-1",
                "USE1-Fargate-GB-Hours",
                "free",
                "",
            )]],
            ..RegionScript::default()
        },
        &[("us-east-1", true)],
    );
    let cache = tempdir();
    fetch(&fake, cache.path(), "us-east-1", &[])
        .code(1)
        .stderr_has("SKU BADSKU1 (USE1-Fargate-GB-Hours): price `free`");
}

#[test]
fn a_region_without_fargate_rows_says_so() {
    let fake = fake_with(
        "us-gov-east-1",
        RegionScript {
            pages: vec![vec![doc(
                "D1",
                "us-gov-east-1",
                "UGE1-ECS-EC2-GB-Hours",
                "0.0",
                "",
            )]],
            ..RegionScript::default()
        },
        &[("us-east-1", true)],
    );
    let cache = tempdir();
    fetch(&fake, cache.path(), "us-gov-east-1", &[])
        .code(1)
        .stderr_has("no Fargate prices for region `us-gov-east-1`");
}

#[test]
fn no_credentials_say_estimates_work_offline() {
    let fake = standard_fake();
    let cache = tempdir();
    let home = tempdir();
    let home_s = home.path().display().to_string();
    let missing = home.path().join("none").display().to_string();
    let cache_s = cache.path().display().to_string();
    let url = fake.url.clone();
    let out = run_in(
        &root(),
        &["prices", "fetch", "--region", "us-east-1", "--no-spot"],
        &[
            ("AWS_ENDPOINT_URL_PRICING", url.as_str()),
            ("HOME", home_s.as_str()),
            ("AWS_CONFIG_FILE", missing.as_str()),
            ("AWS_SHARED_CREDENTIALS_FILE", missing.as_str()),
            ("FARGATE_PLANNER_CACHE_DIR", cache_s.as_str()),
            ("AWS_MAX_ATTEMPTS", "1"),
        ],
    )
    .code(1)
    .stderr_has("NoCredentials: no AWS credentials in the standard chain")
    .stderr_has("no credentials are needed offline")
    .stderr_has("--prices embedded")
    .stderr_has("`aws configure`")
    .stderr_has("--profile NAME or set AWS_PROFILE");
    // One short message, not the SDK's line per credential provider.
    assert!(!out.stderr.contains("was not enabled"), "{}", out.stderr);
    assert!(out.stderr.lines().count() <= 5, "{}", out.stderr);
    assert_eq!(fake.seen("GetProducts"), 0, "nothing is sent unsigned");
}

#[test]
fn all_regions_are_fetched_concurrently_within_four_seconds() {
    let fake = FakePricing::start();
    let mut regions: Vec<String> = (1..=19).map(|i| format!("xx-test-{i}")).collect();
    for (i, r) in regions.iter().enumerate() {
        let prefix = format!("XT{i}");
        let mut pages = region_pages(r, &prefix, "9");
        // One page per region: the latency is per request.
        let second = pages.remove(1);
        pages[0].extend(second);
        fake.region(
            r,
            RegionScript {
                pages,
                ..RegionScript::default()
            },
        );
    }
    // The 20th region has only decoys: it is skipped with a note, not an error.
    regions.push("xx-nofargate-1".to_string());
    fake.region(
        "xx-nofargate-1",
        RegionScript {
            pages: vec![vec![doc(
                "N1",
                "xx-nofargate-1",
                "XN-ECS-EC2-GB-Hours",
                "0.0",
                "",
            )]],
            ..RegionScript::default()
        },
    );
    fake.attribute_pages(vec![regions.clone()]);
    fake.spot_feed(&spot_feed(&[("xx-test-1", true)]));
    fake.latency(Duration::from_millis(200));
    let cache = tempdir();
    let started = Instant::now();
    let run = run_fake(
        &fake,
        cache.path(),
        &["prices", "fetch", "--all-regions"],
        &[],
    )
    .success()
    .stdout_has("xx-test-19: 8 on-demand prices")
    .stdout_has("no Fargate prices in 1 region (skipped): xx-nofargate-1");
    let elapsed = started.elapsed();
    eprintln!(
        "prices fetch --all-regions: 20 regions at 200 ms a request took {} ms (max {} requests in flight)",
        elapsed.as_millis(),
        fake.state
            .max_in_flight
            .load(std::sync::atomic::Ordering::SeqCst)
    );
    // 20 AmazonECS, 20 AWSLambda and 20 AmazonEKS queries at 200 ms each: 8 at a time take
    // about 1.5 s plus the process; one after another at least 12.2 s.
    assert!(
        elapsed < Duration::from_secs(4),
        "took {elapsed:?}\n{}",
        run.stdout
    );
    let in_flight = fake
        .state
        .max_in_flight
        .load(std::sync::atomic::Ordering::SeqCst);
    assert!((2..=9).contains(&in_flight), "max in flight {in_flight}");
    assert_eq!(fake.seen("GetAttributeValues"), 1);
    assert_eq!(fake.seen("GetProducts AmazonECS"), 20);
    assert_eq!(fake.seen("GetProducts AWSLambda"), 20);
    // No progress bar when stderr is not a terminal.
    assert!(!run.stderr.contains("regions"), "{}", run.stderr);
}

#[test]
fn killing_a_fetch_midway_leaves_the_previous_cache_intact() {
    let fake = standard_fake();
    let cache = tempdir();
    fetch(&fake, cache.path(), "us-east-1", &[]).success();
    let before = std::fs::read(cache_file(cache.path())).unwrap_or_else(|e| panic!("{e}"));

    fake.region(
        "eu-west-1",
        RegionScript {
            hang: true,
            ..RegionScript::default()
        },
    );
    let bin = assert_cmd::cargo::cargo_bin("fargate-planner");
    let mut cmd = std::process::Command::new(bin);
    cmd.args(["prices", "fetch", "--region", "eu-west-1"])
        .env("FARGATE_PLANNER_CACHE_DIR", cache.path())
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    for (k, v) in fake.env() {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("spawn: {e}"));
    let deadline = Instant::now() + Duration::from_secs(30);
    while fake.state.hanging.load(std::sync::atomic::Ordering::SeqCst) == 0 {
        assert!(
            Instant::now() < deadline,
            "the fetch never reached the fake"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap_or_else(|e| panic!("kill: {e}"));
    let _ = child.wait();

    let after = std::fs::read(cache_file(cache.path())).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(before, after, "the cache changed");
    with_cache(
        cache.path(),
        &[
            "prices",
            "show",
            "--region",
            "us-east-1",
            "--prices",
            "cache",
        ],
    )
    .success()
    .stdout_has("Price List API 20");
    let names: Vec<String> = std::fs::read_dir(cache.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| n == "prices.json" || n == "prices.lock"),
        "{names:?}"
    );
}

#[test]
fn two_concurrent_fetches_leave_one_whole_file_with_both() {
    let fake = FakePricing::start();
    fake.region(
        "us-east-1",
        RegionScript {
            pages: region_pages("us-east-1", "USE1", "9"),
            ..RegionScript::default()
        },
    );
    fake.region(
        "eu-west-1",
        RegionScript {
            pages: region_pages("eu-west-1", "EU", "7"),
            ..RegionScript::default()
        },
    );
    fake.spot_feed(&spot_feed(&[("us-east-1", true), ("eu-west-1", true)]));
    let cache = tempdir();
    std::thread::scope(|s| {
        for region in ["us-east-1", "eu-west-1"] {
            let fake = &fake;
            let cache = cache.path();
            s.spawn(move || {
                run_fake(fake, cache, &["prices", "fetch", "--region", region], &[]).success();
            });
        }
    });
    for region in ["us-east-1", "eu-west-1"] {
        with_cache(
            cache.path(),
            &["prices", "show", "--region", region, "--prices", "cache"],
        )
        .success()
        .stdout_has("Price List API 20")
        .stdout_has("Spot feed 20261125093000");
    }
}

#[test]
fn each_offer_layout_imports_with_its_file_and_publication_date() {
    let cache = tempdir();
    let json = fixture("ecs-us-east-1-index.json");
    with_cache(cache.path(), &["prices", "import", &json])
        .success()
        .stdout_has("AmazonECS offer file (JSON) published 2026-11-20T10:00:00Z, 8 prices in 1 region (us-east-1), 3 other rows skipped");
    with_cache(
        cache.path(),
        &[
            "prices",
            "show",
            "--region",
            "us-east-1",
            "--prices",
            "cache",
        ],
    )
    .success()
    .stdout_has(&format!("imported {json} (published 2026-11-20T10:00:00Z)"))
    .stdout_has("0.04049 per vCPU-hour")
    .stdout_has("0.000111 per GB-hour");

    let csv = fixture("ecs-eu-west-1-index.csv");
    with_cache(cache.path(), &["prices", "import", &csv])
        .success()
        .stdout_has("AmazonECS offer file (CSV) published 2026-11-20T10:00:00Z, 8 prices in 1 region (eu-west-1)");
    with_cache(
        cache.path(),
        &[
            "prices",
            "show",
            "--region",
            "eu-west-1",
            "--prices",
            "cache",
        ],
    )
    .success()
    .stdout_has("0.04461 per vCPU-hour")
    .stdout_has(&format!("imported {csv}"));

    let all = fixture("ecs-all-regions-index.json");
    with_cache(cache.path(), &["prices", "import", &all])
        .success()
        .stdout_has("16 prices in 2 regions (eu-west-1, us-east-1), 6 other rows skipped");

    let feed = fixture("fargate-spot-prices.json");
    with_cache(cache.path(), &["prices", "import", &feed])
        .success()
        .stdout_has("Fargate Spot feed published 20261125093000, 10 prices in 3 regions");
    let show = with_cache(
        cache.path(),
        &[
            "prices",
            "show",
            "--region",
            "eu-west-3",
            "--prices",
            "cache",
        ],
    )
    .success()
    .stdout;
    assert!(
        show.contains("spot_x86_vcpu_hour") && !show.contains("spot_arm"),
        "{show}"
    );

    let sp = fixture("savings-plans-us-east-1.json");
    with_cache(cache.path(), &["prices", "import", &sp])
        .success()
        .stdout_has("Compute Savings Plans offer file published 2026-09-25T00:00:00Z, 7 Savings Plans rates in 1 region (us-east-1)");
    let cached = std::fs::read_to_string(cache_file(cache.path())).unwrap_or_default();
    assert!(cached.contains("compute_3yr_no_upfront") && cached.contains("0.0024447500"));
    assert!(!cached.contains("0.0372416000"), "a Windows rate was kept");
}

#[test]
fn a_file_of_no_known_layout_says_what_was_expected() {
    let dir = tempdir();
    let file = dir.path().join("notes.json");
    std::fs::write(&file, "{\"hello\": 1}").unwrap_or_else(|e| panic!("{e}"));
    with_cache(
        dir.path(),
        &["prices", "import", file.to_str().unwrap_or_default()],
    )
    .code(2)
    .stderr_has("JSON of no known price layout")
    .stderr_has("expected an AmazonECS bulk offer file");
    with_cache(dir.path(), &["prices", "import", "missing.json"])
        .code(2)
        .stderr_has("cannot read price file `missing.json`");
    assert!(!cache_file(dir.path()).exists());
}

#[test]
fn a_corrupt_cache_is_reported_and_ignored() {
    let cache = tempdir();
    std::fs::write(cache_file(cache.path()), "{\"format\": 1, \"prices\": [tor")
        .unwrap_or_else(|e| panic!("{e}"));
    with_cache(cache.path(), &["prices", "show", "--region", "us-east-1"])
        .success()
        .stderr_has("is corrupt and was ignored")
        .stdout_has("embedded snapshot");
    with_cache(
        cache.path(),
        &[
            "prices",
            "show",
            "--region",
            "us-east-1",
            "--prices",
            "cache",
        ],
    )
    .code(1)
    .stderr_has("is corrupt and was ignored");
    // An import replaces it.
    with_cache(
        cache.path(),
        &["prices", "import", &fixture("ecs-us-east-1-index.json")],
    )
    .success()
    .stderr_has("previous cache was corrupt");
    with_cache(
        cache.path(),
        &[
            "prices",
            "show",
            "--region",
            "us-east-1",
            "--prices",
            "cache",
        ],
    )
    .success();
}

#[test]
fn an_old_cache_draws_a_warning() {
    let cache = tempdir();
    let old = serde_json::json!({
        "format": 1,
        "updated_at": "2026-01-01T00:00:00Z",
        "prices": [{
            "region": "us-east-1", "dimension": "linux_x86_vcpu_hour", "usd_per_unit": "0.04049",
            "unit": "vCPU-hour", "as_of": "2026-01-01", "source": "test",
            "origin": {"kind": "price_list_api", "fetched_at": "2026-01-01T00:00:00Z"}
        }]
    });
    std::fs::write(cache_file(cache.path()), old.to_string()).unwrap_or_else(|e| panic!("{e}"));
    with_cache(cache.path(), &["prices", "show", "--region", "us-east-1"])
        .success()
        .stderr_has("holds prices retrieved 2026-01-01")
        .stderr_has("prices fetch")
        .stdout_has("Price List API 2026-01-01T00:00Z");
}

#[test]
fn report_live_fetches_the_plan_regions() {
    let fake = standard_fake();
    let cache = tempdir();
    run_fake(
        &fake,
        cache.path(),
        &[
            "report",
            example("webserver.toml").to_str().unwrap_or_default(),
            "--prices",
            "live",
        ],
        &[],
    )
    .success()
    .stdout_has("Price List API 20");
    assert_eq!(fake.seen("GetProducts AmazonECS"), 2);
    // `report` prices no Lambda, so it fetches none.
    assert_eq!(fake.seen("GetProducts AWSLambda"), 0);
    assert!(
        cache_file(cache.path()).exists(),
        "live prices are cached too"
    );
}

/// Against the real Price List API and Spot feed: needs credentials with pricing:GetProducts and
/// the network. Run with `cargo test --test tests cli::prices_live::real_aws -- --ignored`.
#[test]
#[ignore = "reaches real AWS; needs credentials and the network"]
fn real_aws_fetch_us_east_1() {
    let cache = tempdir();
    let bin = assert_cmd::cargo::cargo_bin("fargate-planner");
    let out = std::process::Command::new(bin)
        .args(["prices", "fetch", "--region", "us-east-1"])
        .env("FARGATE_PLANNER_CACHE_DIR", cache.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("us-east-1: 8 on-demand prices"), "{stdout}");
}
