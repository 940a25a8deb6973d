//! `prices show`: every dimension with source and date; unknown regions list the known ones.

use super::support::run;

#[test]
fn eu_west_1_lists_each_dimension_with_source_and_date() {
    let out = run(&["prices", "show", "--region", "eu-west-1"])
        .success()
        .stdout;
    for dim in [
        "linux_x86_vcpu_hour",
        "linux_arm_gb_hour",
        "windows_os_license_vcpu_hour",
        "ephemeral_storage_gb_hour",
        "spot_arm_vcpu_hour",
    ] {
        assert!(out.contains(dim), "{dim} missing:\n{out}");
    }
    assert!(
        out.contains("2026-02-10") && out.contains("mcereda/oam"),
        "{out}"
    );
    assert!(!out.contains("us-east-1 "), "{out}");
    // The embedded Lambda table has eu-west-1's own rows, ephemeral storage among them.
    assert!(out.contains("Lambda prices (for `compare`)"), "{out}");
    assert!(out.contains("ephemeral_storage"), "{out}");
    assert!(out.contains("'EU (Ireland)'"), "{out}");
}

#[test]
fn lambda_prices_are_listed_tier_by_tier_with_their_source() {
    let out = run(&["prices", "show", "--region", "us-east-1"])
        .success()
        .stdout;
    for needle in [
        "Lambda prices (for `compare`)",
        "0.0000166667 per GB-second",
        "0 to 6000000000",
        "from 15000000000",
        "0.0000002 per request",
        "ARM64",
    ] {
        assert!(out.contains(needle), "{needle} missing:\n{out}");
    }
}

#[test]
fn old_prices_are_flagged() {
    run(&["prices", "show", "--region", "us-west-2"])
        .success()
        .stdout_has("over a year old");
}

#[test]
fn an_unknown_region_lists_the_known_ones() {
    run(&["prices", "show", "--region", "eu-west-9"])
        .code(2)
        .stderr_has("no prices for region `eu-west-9`")
        .stderr_has("known regions: af-south-1");
    run(&["prices", "show", "--region", "us-est-1"])
        .code(2)
        .stderr_has("did you mean `us-east-1`?");
}

/// `prices show | head -1`: a reader that goes away is a quiet success, never a panic. The
/// reading end is closed before the command writes, so every write meets a closed pipe.
#[test]
fn a_closed_pipe_is_a_quiet_success() {
    use std::process::{Command, Stdio};
    for args in [
        &["prices", "show"][..],
        &["validate", "examples/portfolio.toml"],
        &["report", "examples/webserver.toml"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fargate-planner"))
            .args(args)
            .current_dir(super::support::root())
            .env(
                "FARGATE_PLANNER_CACHE_DIR",
                std::env::temp_dir().join("fp-pipe-test-cache"),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
}

/// Output far larger than a pipe buffer (a 1,000-service report) into a reader that stops after
/// the first line (`| head -1`): exit 0, nothing on stderr.
#[test]
fn a_large_report_into_head_exits_0_with_an_empty_stderr() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let mut plan = String::from("[plan]\nregion = \"us-east-1\"\n");
    for i in 0..1000 {
        plan.push_str(&format!(
            "[[service]]\nname = \"s{i}\"\ncpu = 512\nmemory = 1024\n[[service.container_definitions]]\nname = \"c\"\nimage = \"x\"\n"
        ));
    }
    std::fs::write(dir.path().join("big.toml"), plan).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_fargate-planner"))
        .args(["report", "big.toml", "--prices", "embedded"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    let n = child.stdout.as_mut().unwrap().read(&mut first).unwrap();
    assert!(n > 0);
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

/// Data rows of a file under data/ (its header left out).
fn data_rows(file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(super::support::root().join("data").join(file)).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    rdr.records()
        .map(|r| r.unwrap().iter().collect::<Vec<_>>().join(","))
        .collect()
}

/// The regions of data/prices.csv that have both dimensions.
fn regions_with(rows: &[String], dims: [&str; 2]) -> usize {
    let has = |d: &str| -> std::collections::BTreeSet<String> {
        rows.iter()
            .filter(|r| r.split(',').nth(1) == Some(d))
            .filter_map(|r| r.split(',').next().map(str::to_string))
            .collect()
    };
    has(dims[0]).intersection(&has(dims[1])).count()
}

#[test]
fn the_coverage_matrix_fits_100_columns_and_counts_the_data_files() {
    let out = super::support::run_in(
        &super::support::root(),
        &["prices", "show", "--coverage", "--prices", "embedded"],
        &[("FARGATE_PLANNER_TODAY", "2026-11-30")],
    )
    .success()
    .stdout;
    for line in out.lines() {
        assert!(
            line.chars().count() <= 100,
            "{} wide: {line}",
            line.chars().count()
        );
    }
    let prices = data_rows("prices.csv");
    let lambda = data_rows("lambda-prices.csv");
    let eks = data_rows("eks-prices.csv");
    let savings = data_rows("savings-plans.csv");
    assert!(
        out.contains(&format!(
            "Price rows: {} Fargate (incl. Spot), {} Lambda tiers, {} EKS, {} Savings Plans rates.",
            prices.len(),
            lambda.len(),
            eks.len(),
            savings.len()
        )),
        "{out}"
    );
    // One line per region of the book, each with a cell per column.
    let regions: std::collections::BTreeSet<&str> =
        prices.iter().filter_map(|r| r.split(',').next()).collect();
    for r in &regions {
        assert!(out.lines().any(|l| l.starts_with(&format!("{r} "))), "{r}");
    }
    // Per column: ✓ / old / part / - / n/s, adding up to the regions; priced = ✓ + old.
    let counts = |label: &str| -> Vec<usize> {
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{label}  ")) && l.contains(" / "))
            .unwrap_or_else(|| panic!("no counts for {label}:\n{out}"));
        line.trim_start()[label.len()..]
            .split('/')
            .map(|n| n.trim().parse().unwrap())
            .collect()
    };
    for (label, dims) in [
        ("x86", ["linux_x86_vcpu_hour", "linux_x86_gb_hour"]),
        ("ARM", ["linux_arm_vcpu_hour", "linux_arm_gb_hour"]),
        ("Win", ["windows_vcpu_hour", "windows_gb_hour"]),
        ("Sx86", ["spot_x86_vcpu_hour", "spot_x86_gb_hour"]),
        ("SARM", ["spot_arm_vcpu_hour", "spot_arm_gb_hour"]),
    ] {
        let c = counts(label);
        assert_eq!(c.iter().sum::<usize>(), regions.len(), "{label}: {c:?}");
        assert_eq!(c[0] + c[1], regions_with(&prices, dims), "{label}: {c:?}");
    }
    assert_eq!(
        counts("Win")[4],
        2,
        "Windows is not sold in ap-east-2 and ap-southeast-6"
    );
}

#[test]
fn old_prices_name_the_command_that_refreshes_them() {
    let run = |today: &str| {
        super::support::run_in(
            &super::support::root(),
            &["report", "examples/webserver.toml", "--prices", "embedded"],
            &[("FARGATE_PLANNER_TODAY", today)],
        )
        .success()
        .stdout
    };
    let now = run("2026-11-30");
    assert!(!now.contains("over a year old"), "{now}");
    let later = run("2027-12-01");
    assert!(later.contains("2026-09-11 ⚠ over a year old"), "{later}");
    // compare flags its Fargate, Lambda and EKS prices the same way.
    let compare = super::support::run_in(
        &super::support::root(),
        &["compare", "examples/webserver.toml", "--prices", "embedded"],
        &[("FARGATE_PLANNER_TODAY", "2027-12-31")],
    )
    .success()
    .stdout;
    assert!(
        compare.contains("over a year old on 2027-12-31; refresh them: `fargate-planner prices fetch --region us-east-1`"),
        "{compare}"
    );
    assert!(
        later.contains("Refresh them: `fargate-planner prices fetch --region us-east-1`"),
        "{later}"
    );
}

#[test]
fn version_dates_each_embedded_book() {
    let out = run(&["--version"]).success().stdout;
    let prices = data_rows("prices.csv");
    let dates: Vec<&str> = prices.iter().filter_map(|r| r.split(',').nth(4)).collect();
    let oldest = dates.iter().min().unwrap();
    let newest = dates.iter().max().unwrap();
    assert!(
        out.contains(&format!(
            "Fargate and Fargate Spot  {oldest} … {newest} ({} prices, 36 regions)",
            prices.len()
        )),
        "{out}"
    );
    assert!(
        out.contains("Lambda ") && out.contains("Compute Savings Plans "),
        "{out}"
    );
}

/// Issue 16: an absurd price (1e23) is refused at import, and a cache that holds one anyway (an
/// older cache) is ignored with a warning under `--prices auto` and refused under `cache`.
#[test]
fn an_implausible_price_never_reaches_the_cache_and_a_poisoned_cache_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let cache_s = cache.to_str().unwrap().to_string();
    let env = [("FARGATE_PLANNER_CACHE_DIR", cache_s.as_str())];
    let offer = std::fs::read_to_string(
        super::support::root().join("tests/fixtures/prices/ecs-us-east-1-index.json"),
    )
    .unwrap();
    let poisoned = offer.replace("0.0404900000", "100000000000000000000000");
    assert!(
        offer != poisoned,
        "the fixture has the us-east-1 vCPU price"
    );
    std::fs::write(dir.path().join("bad.json"), &poisoned).unwrap();
    super::support::run_in(dir.path(), &["prices", "import", "bad.json"], &env)
        .code(2)
        .stderr_has("outside the plausible range")
        .stderr_has("nothing was imported");
    assert!(!cache.join("prices.json").exists(), "the cache was written");
    // An older cache with the value: import the good file, then poison the cache itself.
    std::fs::write(dir.path().join("good.json"), &offer).unwrap();
    super::support::run_in(dir.path(), &["prices", "import", "good.json"], &env).success();
    let file = cache.join("prices.json");
    let text = std::fs::read_to_string(&file).unwrap();
    let poisoned_cache = text.replace("\"0.04049", "\"100000000000000000000000");
    assert!(
        poisoned_cache != text,
        "the cache has the imported vCPU price"
    );
    std::fs::write(&file, poisoned_cache).unwrap();
    let plan = super::support::example("webserver.toml");
    let plan = plan.to_str().unwrap();
    for command in ["report", "simulate", "compare", "recommend"] {
        let mut args = vec![command, plan];
        if command == "simulate" || command == "recommend" {
            args.extend(["--trials", "5"]);
        }
        super::support::run_in(dir.path(), &args, &env)
            .success()
            .stderr_has("holds implausible prices");
    }
    super::support::run_in(dir.path(), &["report", plan, "--prices", "cache"], &env)
        .code(1)
        .stderr_has("holds implausible prices");
}
