//! Fault tests (issue 16): endpoints of our own on loopback that never answer, drip bytes, send
//! an endless body or garbage. Each command ends within its deadline with a clear error (exit 1),
//! never a hang, a panic or a Debug dump, and leaves the cache as it was.

use super::support::{root, run_in};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

/// A server on loopback that handles every connection with `serve` on its own thread.
fn server(serve: fn(std::net::TcpStream)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream));
        }
    });
    format!("http://127.0.0.1:{port}")
}

fn read_request(s: &mut std::net::TcpStream) {
    let mut buf = [0u8; 4096];
    let _ = s.read(&mut buf);
}

fn silent(mut s: std::net::TcpStream) {
    read_request(&mut s);
    std::thread::sleep(Duration::from_secs(120));
}

fn endless(mut s: std::net::TcpStream) {
    read_request(&mut s);
    let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n");
    let chunk = vec![b' '; 64 * 1024];
    while s.write_all(&chunk).is_ok() {}
}

fn garbage_500(mut s: std::net::TcpStream) {
    read_request(&mut s);
    let _ = s.write_all(
        b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 9\r\n\r\n\x00\xffnot{json",
    );
}

fn drip(mut s: std::net::TcpStream) {
    read_request(&mut s);
    let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n{");
    while s.write_all(b" ").is_ok() {
        std::thread::sleep(Duration::from_millis(500));
    }
}

fn reset_mid_body(mut s: std::net::TcpStream) {
    read_request(&mut s);
    let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n{\"metadata\": {");
    // Dropping the stream closes it before the promised body.
}

const CREDS: [(&str, &str); 2] = [
    ("AWS_ACCESS_KEY_ID", "AKIDTEST"),
    ("AWS_SECRET_ACCESS_KEY", "x"),
];

/// `prices fetch --region us-east-1 ARGS` with test credentials, an empty cache of its own and
/// `env` on top: the run, how long it took, and whether the cache is still empty after it.
fn fetch(args: &[&str], env: &[(&str, &str)]) -> (super::support::Run, Duration, bool) {
    let cache = tempfile::tempdir().unwrap();
    let cache_s = cache.path().to_str().unwrap().to_string();
    let mut all = vec!["prices", "fetch", "--region", "us-east-1"];
    all.extend_from_slice(args);
    let mut vars = vec![
        CREDS[0],
        CREDS[1],
        ("FARGATE_PLANNER_CACHE_DIR", cache_s.as_str()),
    ];
    vars.extend_from_slice(env);
    let start = Instant::now();
    let run = run_in(&root(), &all, &vars);
    let took = start.elapsed();
    let untouched = std::fs::read_dir(cache.path()).unwrap().next().is_none();
    (run, took, untouched)
}

#[test]
fn scan_against_a_silent_server_ends_in_under_30_seconds_by_default() {
    let url = server(silent);
    let start = Instant::now();
    let out = run_in(
        &root(),
        &[
            "scan",
            "--cluster",
            "c",
            "--region",
            "us-east-1",
            "--endpoint-url",
            &url,
        ],
        &CREDS,
    )
    .code(1)
    .stderr_has("DescribeClusters failed: Timeout");
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
    assert!(
        !out.stderr.contains("TimeoutError {"),
        "a Debug dump: {}",
        out.stderr
    );
}

#[test]
fn prices_fetch_against_a_silent_price_list_ends_with_its_timeout() {
    let url = server(silent);
    let (run, took, untouched) = fetch(
        &["--no-spot", "--endpoint-url", &url],
        &[("FARGATE_PLANNER_AWS_TIMEOUT_SECS", "3")],
    );
    run.code(1).stderr_has("Timeout");
    assert!(took < Duration::from_secs(15), "{took:?}");
    assert!(untouched, "cache written");
}

#[test]
fn an_endless_spot_feed_is_cut_off_at_the_cap() {
    let feed = format!("{}/feed.json", server(endless));
    let pricing = server(garbage_500);
    let (run, _, untouched) = fetch(
        &["--spot-feed-url", &feed, "--endpoint-url", &pricing],
        &[
            ("AWS_MAX_ATTEMPTS", "1"),
            ("FARGATE_PLANNER_MAX_DOWNLOAD_BYTES", "1000000"),
        ],
    );
    run.code(1)
        .stderr_has("larger than 1000000 bytes")
        .stderr_has("GetProducts failed");
    assert!(untouched, "cache written");
}

/// `HTTP_PROXY` (and `HTTPS_PROXY`, `NO_PROXY`) are honoured by the AWS client as by the AWS CLI:
/// the request for an endpoint goes to the proxy, in absolute form.
#[test]
fn aws_calls_go_through_the_proxy_of_the_environment() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).unwrap_or(0);
            let _ = tx.send(
                String::from_utf8_lossy(&buf[..n])
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_string(),
            );
            let _ = stream.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
        }
    });
    let proxy = format!("http://127.0.0.1:{port}");
    run_in(
        &root(),
        &[
            "scan",
            "--cluster",
            "c",
            "--region",
            "us-east-1",
            "--endpoint-url",
            "http://ecs.example.invalid:4566",
        ],
        &[
            CREDS[0],
            CREDS[1],
            ("HTTP_PROXY", proxy.as_str()),
            ("AWS_MAX_ATTEMPTS", "1"),
            ("FARGATE_PLANNER_AWS_TIMEOUT_SECS", "5"),
        ],
    )
    .code(1);
    let first = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("the proxy saw no request");
    assert!(
        first.starts_with("POST http://ecs.example.invalid:4566/"),
        "{first}"
    );
}

/// A feed that drips a byte every half second never trips the read timeout; the request's own
/// limit ends it. A connection closed mid-body is an error, not half a document.
#[test]
fn a_dripping_or_reset_spot_feed_ends_with_a_clear_error() {
    for (serve, needle) in [
        (drip as fn(std::net::TcpStream), "timed out"),
        (reset_mid_body, "reading the body"),
    ] {
        let feed = format!("{}/f.json", server(serve));
        let pricing = server(garbage_500);
        let (run, took, untouched) = fetch(
            &["--spot-feed-url", &feed, "--endpoint-url", &pricing],
            &[
                ("AWS_MAX_ATTEMPTS", "1"),
                ("FARGATE_PLANNER_HTTP_TIMEOUT_SECS", "2"),
            ],
        );
        run.code(1).stderr_has(needle);
        assert!(took < Duration::from_secs(20), "{took:?}");
        assert!(untouched, "cache written");
    }
}

/// `AWS_CA_BUNDLE` is read for the plain HTTP client too: a missing bundle is said, not ignored.
#[test]
fn the_ca_bundle_of_the_environment_is_read() {
    let pricing = server(garbage_500);
    let (run, _, _) = fetch(
        &[
            "--spot-feed-url",
            "https://feed.example.invalid/f.json",
            "--endpoint-url",
            &pricing,
        ],
        &[
            ("AWS_MAX_ATTEMPTS", "1"),
            ("AWS_CA_BUNDLE", "/nonexistent/ca.pem"),
        ],
    );
    run.code(1)
        .stderr_has("cannot read AWS_CA_BUNDLE `/nonexistent/ca.pem`");
}
