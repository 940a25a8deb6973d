//! `compare`: the seed web server on x86, ARM, Spot, Lambda and EKS, with the break-even rate.

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
