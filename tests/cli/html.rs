//! `report --format html` in a real headless browser: it loads without console errors, each chart's
//! SVG has drawn content, and a screenshot is left as an artefact in `target/artifacts/`.

use super::support::{root, run};
use std::path::PathBuf;
use std::process::Command;

/// The browser: `$CHROME`, else Debian's chromium. Missing is a loud failure, never a pass.
fn browser() -> PathBuf {
    let candidates = [
        std::env::var("CHROME").ok(),
        Some("/usr/bin/chromium".into()),
        Some("/usr/bin/chromium-browser".into()),
        Some("/usr/bin/google-chrome".into()),
    ];
    candidates
        .into_iter()
        .flatten()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("NO BROWSER: the HTML report test needs headless Chromium. Install it (`apt-get install chromium`, which scripts/test.sh does) or set CHROME=/path/to/chrome"))
}

fn headless(extra: &[&str], url: &str) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            &format!("--user-data-dir={}", profile.path().display()),
        ])
        .args(extra)
        .arg(url)
        .output()
        .unwrap_or_else(|e| panic!("cannot start the browser: {e}"));
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_html_report_renders_its_charts_in_a_browser() {
    let artifacts = root().join("target").join("artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let page = artifacts.join("report.html");
    run(&[
        "report",
        "examples/portfolio.toml",
        "--format",
        "html",
        "--output",
        page.to_str().unwrap(),
    ])
    .success();
    let url = format!("file://{}", page.display());

    let (dom, log) = headless(&["--dump-dom", "--virtual-time-budget=2000"], &url);
    assert!(
        dom.contains("Fargate cost report: portfolio"),
        "page did not load:\n{dom}\n{log}"
    );
    let console_errors: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") && (l.contains("ERROR") || l.contains("Uncaught")))
        .collect();
    assert!(
        console_errors.is_empty(),
        "console errors: {console_errors:?}"
    );
    let charts: Vec<&str> = dom.split("<svg").skip(1).collect();
    assert_eq!(charts.len(), 2, "two charts expected");
    for (i, chart) in charts.iter().enumerate() {
        let body = chart.split("</svg>").next().unwrap_or("");
        let drawn = body.matches("<rect").count()
            + body.matches("<polyline").count()
            + body.matches("<path").count();
        assert!(drawn > 5, "chart {i} has no drawn content");
        assert!(body.contains("<text"), "chart {i} has no labels");
    }

    let shot = artifacts.join("report.png");
    let _ = std::fs::remove_file(&shot);
    headless(
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,2400",
            "--hide-scrollbars",
        ],
        &url,
    );
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 10_000,
        "screenshot missing or empty ({size} bytes) at {}",
        shot.display()
    );
}

#[test]
fn simulate_adds_a_week_of_tasks_and_the_frontier_per_service() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    run(&[
        "report",
        "examples/portfolio.toml",
        "--format",
        "html",
        "--simulate",
        "--seed",
        "3",
        "--output",
        out.to_str().unwrap(),
    ])
    .success();
    let html = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        html.matches("<svg").count(),
        2 + 4 + 4,
        "two cost charts, one week and one frontier per service"
    );
    assert!(html.contains("<h2>Cost against availability</h2>"));
    assert!(html.contains("api: cost against availability"));
    // In a real browser every chart, the frontiers included, has drawn content.
    let (dom, log) = headless(
        &["--dump-dom", "--virtual-time-budget=2000"],
        &format!("file://{}", out.display()),
    );
    let charts: Vec<&str> = dom.split("<svg").skip(1).collect();
    assert_eq!(charts.len(), 10, "page did not load:\n{log}");
    for (i, chart) in charts.iter().enumerate() {
        let body = chart.split("</svg>").next().unwrap_or("");
        let drawn = body.matches("<circle").count()
            + body.matches("<polyline").count()
            + body.matches("<rect").count();
        assert!(drawn > 2, "chart {i} has no drawn content");
    }
    assert!(
        html.contains("api: one simulated week of tasks")
            && html.contains("healthy on FARGATE_SPOT")
    );
    assert!(html.contains("seed 3"));
    run(&["report", "examples/portfolio.toml", "--simulate"])
        .code(2)
        .stderr_has("--format html only");
}
