//! The AWS emulator for the deploy tests: moto in server mode, started by `scripts/test.sh`,
//! and a recording proxy in front of it that sees every request the binary sends.
//!
//! The proxy is how the tests know what was *sent* (moto drops a service's capacity provider
//! strategy on CreateService, so its state cannot prove the strategy went out) and how they
//! count mutating calls. It can also stop an emulator midway through an apply.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const HOW: &str = "the deploy tests need the AWS emulator: run scripts/test.sh (it installs moto into .venv, starts it and sets FARGATE_PLANNER_TEST_MOTO)";

/// The shared emulator's URL. Fails the test, never skips it, when the emulator is not there.
pub fn url() -> String {
    match std::env::var("FARGATE_PLANNER_TEST_MOTO") {
        Ok(u) if !u.is_empty() => u,
        _ => panic!("FARGATE_PLANNER_TEST_MOTO is not set: {HOW}"),
    }
}

/// A name no other test (or earlier run against the same emulator) uses.
pub fn unique(prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}-{}-{:x}{}",
        std::process::id(),
        nanos,
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// The environment the binary runs with: dummy credentials, one attempt per call.
pub fn env() -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ACCESS_KEY_ID", "testing".into()),
        ("AWS_SECRET_ACCESS_KEY", "testing".into()),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ("AWS_MAX_ATTEMPTS", "1".into()),
    ]
}

/// A moto server of a test's own, stopped when dropped.
pub struct OwnMoto {
    pub url: String,
    child: Option<Child>,
}

impl OwnMoto {
    pub fn start() -> OwnMoto {
        let server = std::env::var("FARGATE_PLANNER_TEST_MOTO_SERVER")
            .unwrap_or_else(|_| panic!("FARGATE_PLANNER_TEST_MOTO_SERVER is not set: {HOW}"));
        // Take a free port, then let moto bind it.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("no free port: {e}"));
        let child = Command::new(&server)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {server}: {e}"));
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if http_get_ok(port, "/moto-api/") {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "moto on port {port} did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        OwnMoto {
            url,
            child: Some(child),
        }
    }

    /// Stops the emulator (by its own PID).
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// A closure that stops this emulator, for [`Proxy::start`].
    pub fn stopper(self) -> impl FnMut() + Send + 'static {
        let mut me = self;
        move || me.stop()
    }
}

impl Drop for OwnMoto {
    fn drop(&mut self) {
        self.stop();
    }
}

fn http_get_ok(port: u16, path: &str) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .is_err()
    {
        return false;
    }
    let mut line = String::new();
    BufReader::new(s).read_line(&mut line).is_ok() && line.contains(" 200 ")
}

/// One request the binary sent.
#[derive(Clone, Debug)]
pub struct Call {
    /// The operation, e.g. `CreateService`.
    pub operation: String,
    pub body: String,
}

impl Call {
    pub fn is_mutating(&self) -> bool {
        [
            "Create",
            "Put",
            "Register",
            "Update",
            "Delete",
            "Deregister",
            "Tag",
            "Untag",
            "Run",
            "Start",
            "Stop",
        ]
        .iter()
        .any(|p| self.operation.starts_with(p))
    }
}

type Fault = Box<dyn FnMut() + Send>;

/// A recording HTTP proxy on loopback in front of an emulator.
pub struct Proxy {
    pub url: String,
    calls: Arc<Mutex<Vec<Call>>>,
}

struct Shared {
    upstream: String,
    calls: Arc<Mutex<Vec<Call>>>,
    mutations: AtomicUsize,
    /// After this many mutating calls, the fault fires and every later request is dropped.
    fault_after: Option<usize>,
    fault: Mutex<Option<Fault>>,
    broken: AtomicBool,
}

impl Proxy {
    pub fn new(upstream: &str) -> Proxy {
        Proxy::start(upstream, None, None)
    }

    /// A proxy whose `(after + 1)`-th mutating request runs `fault` and is then dropped, as
    /// is every request after it.
    pub fn start(upstream: &str, after: Option<usize>, fault: Option<Fault>) -> Proxy {
        let listener =
            TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("cannot bind proxy: {e}"));
        let port = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("no address: {e}"))
            .port();
        let calls = Arc::new(Mutex::new(Vec::new()));
        let shared = Arc::new(Shared {
            upstream: upstream
                .trim_start_matches("http://")
                .trim_end_matches('/')
                .to_string(),
            calls: calls.clone(),
            mutations: AtomicUsize::new(0),
            fault_after: after,
            fault: Mutex::new(fault),
            broken: AtomicBool::new(false),
        });
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let shared = shared.clone();
                std::thread::spawn(move || {
                    let _ = serve(conn, &shared);
                });
            }
        });
        Proxy {
            url: format!("http://127.0.0.1:{port}"),
            calls,
        }
    }

    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }

    pub fn mutating(&self) -> Vec<String> {
        self.calls()
            .into_iter()
            .filter(Call::is_mutating)
            .map(|c| c.operation)
            .collect()
    }

    pub fn operations(&self) -> Vec<String> {
        self.calls().into_iter().map(|c| c.operation).collect()
    }

    pub fn clear(&self) {
        if let Ok(mut c) = self.calls.lock() {
            c.clear();
        }
    }
}

fn operation(head: &str, body: &str) -> String {
    for line in head.lines() {
        if let Some((k, v)) = line.split_once(':')
            && k.trim().eq_ignore_ascii_case("x-amz-target")
        {
            let v = v.trim();
            return v.rsplit('.').next().unwrap_or(v).to_string();
        }
    }
    let path = head.split_whitespace().nth(1).unwrap_or("");
    if let Some((_, op)) = path.rsplit_once("/operation/") {
        return op.to_string();
    }
    for pair in body.split('&') {
        if let Some(action) = pair.strip_prefix("Action=") {
            return action.to_string();
        }
    }
    format!("(unknown {path})")
}

fn serve(mut client: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let mut reader = BufReader::new(client.try_clone()?);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let end = line == "\r\n";
        head.push_str(&line);
        if end {
            break;
        }
    }
    let length = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body)?;
    let text = String::from_utf8_lossy(&body).into_owned();
    let call = Call {
        operation: operation(&head, &text),
        body: text,
    };
    let mutating = call.is_mutating();
    if let Ok(mut calls) = shared.calls.lock() {
        calls.push(call);
    }
    if mutating {
        let n = shared.mutations.fetch_add(1, Ordering::SeqCst);
        if shared.fault_after == Some(n) {
            if let Ok(mut f) = shared.fault.lock()
                && let Some(f) = f.as_mut()
            {
                f();
            }
            shared.broken.store(true, Ordering::SeqCst);
        }
    }
    if shared.broken.load(Ordering::SeqCst) {
        // The emulator is gone: the connection closes without an answer.
        let _ = client.shutdown(Shutdown::Both);
        return Ok(());
    }
    let mut upstream = TcpStream::connect(&shared.upstream)?;
    // Ask for one request per connection so the response ends at EOF.
    let mut out = String::new();
    for line in head.lines() {
        if line
            .split_once(':')
            .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case("connection"))
        {
            continue;
        }
        if line.is_empty() {
            continue;
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str("Connection: close\r\n\r\n");
    upstream.write_all(out.as_bytes())?;
    upstream.write_all(&body)?;
    let mut response = Vec::new();
    upstream.read_to_end(&mut response)?;
    client.write_all(&response)?;
    client.flush()?;
    let _ = client.shutdown(Shutdown::Both);
    Ok(())
}

/// SDK clients straight to an emulator, for setting up and checking state.
pub struct Direct {
    pub ecs: aws_sdk_ecs::Client,
    pub ecr: aws_sdk_ecr::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub scaling: aws_sdk_applicationautoscaling::Client,
    pub rt: tokio::runtime::Runtime,
}

impl Direct {
    pub fn new(url: &str) -> Direct {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("runtime: {e}"));
        let config = rt.block_on(
            aws_config::defaults(aws_config::BehaviorVersion::latest())
                .http_client(fargate_planner::aws::http_client())
                .endpoint_url(url)
                .region(aws_config::Region::new("us-east-1"))
                .credentials_provider(aws_sdk_ecs::config::Credentials::new(
                    "testing", "testing", None, None, "test",
                ))
                .load(),
        );
        Direct {
            ecs: aws_sdk_ecs::Client::new(&config),
            ecr: aws_sdk_ecr::Client::new(&config),
            logs: aws_sdk_cloudwatchlogs::Client::new(&config),
            scaling: aws_sdk_applicationautoscaling::Client::new(&config),
            rt,
        }
    }
}
