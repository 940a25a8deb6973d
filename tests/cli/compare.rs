//! `compare`: the seed web server on x86, ARM, Spot, Lambda and EKS, with the break-even rate; the
//! portfolio's eu-west-1 service and a GovCloud plan priced (or not) from the embedded tables.

use super::support::{example, run};

#[test]
fn webserver_shows_every_option_and_the_break_even() {
    let out = run(&["compare", "examples/webserver.toml"])
        .success()
        .stdout;
    for needle in [
        "Fargate x86 on-demand (as planned)",
        "$18.02",
        "Fargate ARM on-demand",
        "$14.42",
        "Fargate x86 Spot",
        "$5.74",
        "Lambda x86",
        "$24.53",
        "Lambda ARM",
        "$20.15",
        "EKS on Fargate x86",
        "3.67 req/s (Lambda x86)",
        "5 req/s while up (13,140,000 requests a month), 100 ms per request",
        "Break-even: Lambda x86 costs as much as Fargate x86 on-demand ($18.02) at 3.67 requests a second",
        "AWSLambda",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    // The report's figures are unchanged by the workload table.
    run(&["report", "examples/webserver.toml"])
        .success()
        .stdout_has("$18.02")
        .stdout_has("$14.42");
}

#[test]
fn csv_is_the_series_and_json_is_exact() {
    let plan = example("webserver.toml");
    let csv = run(&["compare", plan.to_str().unwrap(), "--format", "csv"])
        .success()
        .stdout;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[1], "requests_per_second");
    let lambda = headers
        .iter()
        .position(|h| h == "lambda_x86_monthly_usd")
        .unwrap();
    let fargate = headers
        .iter()
        .position(|h| h == "fargate_x86_on_demand_monthly_usd")
        .unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 21);
    assert_eq!(&rows[0][lambda], "0.00");
    assert!(rows.iter().all(|r| &r[fargate] == "18.02"));

    let json: serde_json::Value = serde_json::from_str(
        &run(&["compare", plan.to_str().unwrap(), "-f", "json"])
            .success()
            .stdout,
    )
    .unwrap();
    assert_eq!(json["services"][0]["rows"][0]["monthly"], "18.02005");
    run(&["compare", plan.to_str().unwrap(), "-f", "markdown"])
        .success()
        .stdout_has("| Lambda x86 | $24.53 |");
}

#[test]
fn disqualified_options_are_marked_and_bad_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("p.toml");
    std::fs::write(&plan, "[plan]\nregion = \"us-east-1\"\n[[service]]\nname = \"batch\"\ncpu = 4096\nmemory = 30720\n[service.workload]\nrequests_per_second = 0.5\nduration_ms = 60000\nmax_duration_ms = 1200000\n[[service.container_definitions]]\nname = \"batch\"\nimage = \"x\"\n").unwrap();
    run(&["compare", plan.to_str().unwrap()])
        .success()
        .stdout_has("ruled out")
        .stdout_has("a Lambda invocation stops at 15 min")
        .stdout_has("a Lambda function has at most 10,240 MB");
    run(&["compare", plan.to_str().unwrap(), "--service", "btach"])
        .code(2)
        .stderr_has("did you mean `batch`?");
    std::fs::write(&plan, "[plan]\nregion = \"us-east-1\"\n[[service]]\nname = \"a\"\ncpu = 512\nmemory = 1024\n[service.workload]\nrequests_per_second = -3\n[[service.container_definitions]]\nname = \"a\"\nimage = \"x\"\n").unwrap();
    run(&["compare", plan.to_str().unwrap()])
        .code(2)
        .stderr_has("service[0].workload.requests_per_second")
        .stderr_has("service[0].workload.duration_ms");
}

/// The prices of one service code in a JSON comparison: (region, item, as_of, source).
fn sources(json: &serde_json::Value, code: &str) -> Vec<(String, String, String, String)> {
    json["prices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["service_code"] == code)
        .map(|p| {
            let s = |k: &str| p[k].as_str().unwrap().to_string();
            (s("region"), s("item"), s("as_of"), s("source"))
        })
        .collect()
}

#[test]
fn portfolio_prices_lambda_and_eks_in_eu_west_1_offline() {
    // No cache (each run gets an empty one) and no credentials: the embedded tables only.
    let out = run(&["compare", "examples/portfolio.toml", "--format", "json"])
        .success()
        .stdout;
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let service = json["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "web-eu")
        .unwrap();
    assert_eq!(service["region"], "eu-west-1");
    let row = |id: &str| {
        service["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
            .clone()
    };
    // 2 req/s × 2,628,000 s = 5,256,000 requests × $0.0000002 = $1.0512; 80 ms at 512 MB =
    // 210,240 GB-s × $0.0000166667 = $3.504007008 (eu-west-1's own rows, same as us-east-1's).
    assert_eq!(row("lambda_x86")["monthly"], "4.555207008");
    // Pods of 0.25 vCPU / 1 GB: 1,460 pod-hours × (0.25 × 0.04048 + 0.004445) = $21.2649, plus
    // the cluster fee 730 × $0.10.
    assert_eq!(row("eks_fargate_x86")["monthly"], "94.2649");
    for id in ["lambda_arm", "eks_fargate_x86"] {
        assert!(row(id)["not_priced"].is_null(), "{id}: {}", row(id));
    }
    let lambda: Vec<_> = sources(&json, "AWSLambda")
        .into_iter()
        .filter(|(region, ..)| region == "eu-west-1")
        .collect();
    assert_eq!(lambda.len(), 8, "{lambda:?}");
    let eks: Vec<_> = sources(&json, "AmazonEKS")
        .into_iter()
        .filter(|(region, ..)| region == "eu-west-1")
        .collect();
    let items: Vec<&str> = eks.iter().map(|(_, item, ..)| item.as_str()).collect();
    assert_eq!(
        items,
        [
            "cluster_extended_surcharge_hour",
            "cluster_standard_hour",
            "pod_linux_x86_gb_hour",
            "pod_linux_x86_vcpu_hour"
        ]
    );
    for (_, _, as_of, source) in lambda.iter().chain(&eks) {
        assert_eq!(as_of, "2025-12-06");
        assert!(source.contains("'EU (Ireland)'"), "{source}");
    }
    let assumptions = row("eks_fargate_x86")["assumptions"].to_string();
    assert!(
        assumptions.contains("extended support costs $0.60/hour, the sum of the $0.10 standard fee and the $0.50 extended-support surcharge"),
        "{assumptions}"
    );
    // The table says the same, with the eu-west-1 prices listed.
    run(&["compare", "examples/portfolio.toml", "--service", "web-eu"])
        .success()
        .stdout_has("$4.56")
        .stdout_has("$94.26")
        .stdout_has("AmazonEKS ┆ eu-west-1 ┆ pod_linux_x86_vcpu_hour");
}

#[test]
fn govcloud_leaves_eks_not_priced_and_says_how_to_fetch_it() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("gov.toml");
    let text = std::fs::read_to_string(example("webserver.toml"))
        .unwrap()
        .replace("region = \"us-east-1\"", "region = \"us-gov-west-1\"");
    std::fs::write(&plan, text).unwrap();
    let out = run(&["compare", plan.to_str().unwrap()]).success().stdout;
    assert!(
        out.contains(
            "not priced: no EKS `pod_linux_x86_vcpu_hour` price for region `us-gov-west-1`"
        ) && out.contains("fargate-planner prices fetch --region us-gov-west-1"),
        "{out}"
    );
    // Lambda is priced from GovCloud's own rows.
    let json: serde_json::Value = serde_json::from_str(
        &run(&["compare", plan.to_str().unwrap(), "-f", "json"])
            .success()
            .stdout,
    )
    .unwrap();
    let rows = json["services"][0]["rows"].as_array().unwrap();
    let eks = rows.iter().find(|r| r["id"] == "eks_fargate_x86").unwrap();
    assert!(eks["monthly"].is_null());
    let lambda = rows.iter().find(|r| r["id"] == "lambda_x86").unwrap();
    assert!(lambda["monthly"].is_string(), "{lambda}");
    assert!(
        sources(&json, "AWSLambda")
            .iter()
            .all(|(r, ..)| r == "us-gov-west-1")
    );
}

/// The keys docs/report-json.md lists for `compare --format json`, read from the document itself.
#[test]
fn compare_json_has_the_documented_shape() {
    let doc = std::fs::read_to_string(super::support::root().join("docs/report-json.md")).unwrap();
    let section = &doc[doc.find("## `compare --format json`").unwrap()..];
    assert!(section.contains("`\"schema_version\": 3`"));
    let plan = example("portfolio.toml");
    let json: serde_json::Value = serde_json::from_str(
        &run(&["compare", plan.to_str().unwrap(), "-f", "json"])
            .success()
            .stdout,
    )
    .unwrap();
    assert_eq!(json["schema_version"], 3);
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    let ec2_row = json["services"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "ec2_on_demand")
        .unwrap();
    let documented =
        |k: &str| section.contains(&format!("`{k}`")) || section.contains(&format!("`{k}[]`"));
    for (what, value) in [
        ("top level", &json),
        ("services[]", &json["services"][0]),
        ("rows[]", &json["services"][0]["rows"][0]),
        ("EC2 rows[]", ec2_row),
        ("ec2", &ec2_row["ec2"]),
        ("public_ipv4", &ec2_row["ec2"]["public_ipv4"]),
        ("runners_up[]", &ec2_row["ec2"]["runners_up"][0]),
        ("clusters[]", &json["clusters"][0]),
        ("prices[]", &json["prices"][0]),
    ] {
        for k in keys(value) {
            assert!(
                documented(&k),
                "{what} key `{k}` is not in docs/report-json.md"
            );
        }
    }
    let eks: Vec<&str> = json["prices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["service_code"] == "AmazonEKS")
        .map(|p| p["item"].as_str().unwrap())
        .collect();
    for item in [
        "pod_linux_x86_vcpu_hour",
        "pod_linux_x86_gb_hour",
        "cluster_standard_hour",
    ] {
        assert!(eks.contains(&item), "{eks:?}");
    }
}
