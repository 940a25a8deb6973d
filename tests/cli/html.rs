//! `report --format html` in a real headless browser: it loads without console errors, opens with
//! the answer, each chart has drawn content, no legend covers the plot and chart text is at least
//! 12 px at a desktop and a phone width; screenshots at both widths are left in `target/artifacts/`.

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

/// The two widths every page is checked and photographed at: a desktop and a phone.
const WIDTHS: [u32; 2] = [1400, 390];

/// Screenshots `url` at each width into `target/artifacts/{name}-{width}.png` (kept for people
/// to look at), each checked to be a real picture.
fn screenshots(url: &str, name: &str) {
    let artifacts = root().join("target").join("artifacts");
    for width in WIDTHS {
        let shot = artifacts.join(format!("{name}-{width}.png"));
        let _ = std::fs::remove_file(&shot);
        headless(
            &[
                &format!("--screenshot={}", shot.display()),
                &format!("--window-size={width},3200"),
                "--hide-scrollbars",
            ],
            url,
        );
        let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
        assert!(
            size > 10_000,
            "screenshot missing or empty ({size} bytes) at {}",
            shot.display()
        );
    }
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
    // The page opens with the answer, before any chart or table.
    let answer = dom.find("class=\"answer\"").expect("no answer section");
    assert!(answer < dom.find("<svg").unwrap() && answer < dom.find("<table").unwrap());
    assert!(dom.contains("The plan costs <strong>$483.76</strong> a month"));
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
    // Windows has no ARM or Spot: labelled gaps, not zero bars.
    assert_eq!(charts[1].matches("\nn/a\n").count(), 3, "{}", charts[1]);
    screenshots(&url, "report");
}

/// Measures the laid-out page in the browser and writes the result into the DOM (`--dump-dom`
/// then carries it out): per chart figure, whether its legend box overlaps any mark of the
/// plot (bars, points, lines, text), and the smallest on-screen size of any chart text
/// (SVG text scaled by its screen transform; legend and caption text).
const MEASURE: &str = r#"<script>
(function () {
  const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const out = { figures: 0, marks: 0, texts: 0, overlaps: [], min_font: 1e9, smallest: "" };
  const font = (el, scale, what) => {
    const px = parseFloat(getComputedStyle(el).fontSize) * scale;
    out.texts += 1;
    if (px < out.min_font) { out.min_font = px; out.smallest = what + ": " + el.textContent.trim().slice(0, 30); }
  };
  document.querySelectorAll("figure.chart").forEach((fig, i) => {
    out.figures += 1;
    const svg = fig.querySelector("svg");
    const legend = fig.querySelector(".legend").getBoundingClientRect();
    const W = svg.width.baseVal.value, H = svg.height.baseVal.value;
    svg.querySelectorAll("rect, circle, polyline, line, path, text").forEach((m) => {
      if (m.tagName === "rect" && +m.getAttribute("width") >= W - 1 && +m.getAttribute("height") >= H - 1) return;
      const b = m.getBoundingClientRect();
      if (b.width <= 0 && b.height <= 0) return;
      out.marks += 1;
      if (hit(legend, b)) out.overlaps.push("figure " + i + ": " + m.tagName + " " + (m.textContent || "").trim().slice(0, 20));
    });
    svg.querySelectorAll("text").forEach((t) => {
      if (!t.textContent.trim()) return;
      const m = t.getScreenCTM();
      font(t, m ? Math.hypot(m.a, m.b) : 1, "svg text");
    });
    fig.querySelectorAll(".key, figcaption").forEach((k) => font(k, 1, "legend"));
  });
  const pre = document.createElement("pre");
  pre.id = "measure";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"#;

/// Loads `html` with the measuring script at `width` and returns what it measured.
fn measure(html: &str, width: u32, dir: &std::path::Path, name: &str) -> serde_json::Value {
    let page = dir.join(format!("{name}-{width}.html"));
    std::fs::write(
        &page,
        html.replace("</body>", &format!("{MEASURE}\n</body>")),
    )
    .unwrap();
    let (dom, log) = headless(
        &[
            "--dump-dom",
            "--virtual-time-budget=2000",
            &format!("--window-size={width},3200"),
        ],
        &format!("file://{}", page.display()),
    );
    let json = dom
        .split("<pre id=\"measure\">")
        .nth(1)
        .and_then(|r| r.split("</pre>").next())
        .unwrap_or_else(|| panic!("the measuring script did not run:\n{log}"));
    serde_json::from_str(
        &json
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">"),
    )
    .unwrap_or_else(|e| panic!("{e}: {json}"))
}

#[test]
fn simulate_adds_a_week_of_tasks_and_the_frontier_per_service() {
    let artifacts = root().join("target").join("artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let out = artifacts.join("report-simulate.html");
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
    // Two cost charts, one week per service, and per service a frontier chart or, when every
    // candidate reached one availability (an axis of one value), a sentence saying so.
    let frontiers = html
        .matches("cost against availability</figcaption>")
        .count();
    let notes = html.matches("class=\"note frontier-note\"").count();
    assert_eq!(frontiers + notes, 4, "one frontier or note per service");
    assert!(frontiers >= 1, "the api frontier is drawn");
    assert_eq!(html.matches("<svg").count(), 2 + 4 + frontiers);
    assert!(html.contains("<h2>Cost against availability</h2>"));
    assert!(html.contains("api: cost against availability"));
    // The week is labelled by weekday and hour.
    for day in ["Mon 00:00", "Wed 00:00", "Sun 00:00"] {
        assert!(html.contains(&format!("\n{day}\n")), "{day}");
    }
    // In a real browser every chart, the frontiers included, has drawn content.
    let (dom, log) = headless(
        &["--dump-dom", "--virtual-time-budget=2000"],
        &format!("file://{}", out.display()),
    );
    let charts: Vec<&str> = dom.split("<svg").skip(1).collect();
    assert_eq!(charts.len(), 2 + 4 + frontiers, "page did not load:\n{log}");
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
    screenshots(&format!("file://{}", out.display()), "report-simulate");
    run(&["report", "examples/portfolio.toml", "--simulate"])
        .code(2)
        .stderr_has("--format html only");
}

/// Issue 17's acceptance: in the rendered page, at a desktop and a phone width, no legend box
/// overlaps a bar, a point, a line or a label, and chart text is at least 12 px on screen. A
/// control page with the legends pushed onto the plots and the SVG text shrunk must fail both
/// checks, so the measurement is known to see what it checks.
#[test]
fn legends_never_cover_the_plot_and_chart_text_is_at_least_12_px() {
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
    for width in WIDTHS {
        let m = measure(&html, width, dir.path(), "page");
        assert!(m["figures"].as_u64().unwrap() >= 7, "{m}");
        assert!(
            m["marks"].as_u64().unwrap() > 100 && m["texts"].as_u64().unwrap() > 50,
            "{m}"
        );
        assert_eq!(m["overlaps"], serde_json::json!([]), "at {width} px: {m}");
        let min = m["min_font"].as_f64().unwrap();
        assert!(
            min >= 12.0,
            "at {width} px the smallest chart text is {min} px: {m}"
        );
    }
    let broken = html.replace(
        "</style>",
        "figure.chart{position:relative}.legend{position:absolute;top:140px;left:160px}svg text{font-size:8px}</style>",
    );
    let m = measure(&broken, WIDTHS[0], dir.path(), "control");
    assert!(
        m["overlaps"].as_array().is_some_and(|o| !o.is_empty()),
        "control: {m}"
    );
    assert!(m["min_font"].as_f64().unwrap() < 12.0, "control: {m}");
}
