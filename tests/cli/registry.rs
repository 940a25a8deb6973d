//! A real OCI registry for the image tests: Debian's `docker-registry` (Distribution), started on
//! loopback by `scripts/test.sh`, and images pushed to it over the plain v2 HTTP API (no docker
//! daemon): a multi-arch OCI index, amd64-only single manifests (Docker v2 and OCI media types)
//! and an arm64-only one. Beside it, loopback fakes of the test's own: a token server in front of
//! the registry (the Bearer challenge, optionally demanding credentials), one that never answers
//! and one that answers garbage.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const HOW: &str = "the image tests need a registry: run scripts/test.sh (it installs Debian's docker-registry, starts it and sets FARGATE_PLANNER_TEST_REGISTRY)";

/// The registry's `host:port`. Fails the test, never skips it, when there is none.
pub fn host() -> String {
    match std::env::var("FARGATE_PLANNER_TEST_REGISTRY") {
        Ok(h) if !h.is_empty() => h,
        _ => panic!("FARGATE_PLANNER_TEST_REGISTRY is not set: {HOW}"),
    }
}

/// One HTTP/1.1 exchange with `Connection: close`: status, headers (lowercase names), body.
pub fn http(
    host: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut s = TcpStream::connect(host).unwrap_or_else(|e| panic!("connect {host}: {e}"));
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let text = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = text.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, raw[(split + 4).min(raw.len())..].to_vec())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `sha256:<hex>` of `bytes` (coreutils' sha256sum).
pub fn digest(bytes: &[u8]) -> String {
    let mut child = Command::new("sha256sum")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("sha256sum: {e}"));
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    format!("sha256:{}", text.split_whitespace().next().unwrap())
}

/// Pushes a blob (POST an upload, PUT it with its digest); returns the digest.
pub fn push_blob(repo: &str, bytes: &[u8]) -> String {
    let h = host();
    let d = digest(bytes);
    let (status, headers, _) = http(&h, "POST", &format!("/v2/{repo}/blobs/uploads/"), &[], b"");
    assert_eq!(status, 202, "start upload to {repo}");
    let location = header(&headers, "location").unwrap().to_string();
    let path = location
        .strip_prefix(&format!("http://{h}"))
        .unwrap_or(&location)
        .to_string();
    let sep = if path.contains('?') { '&' } else { '?' };
    let (status, _, body) = http(
        &h,
        "PUT",
        &format!("{path}{sep}digest={d}"),
        &[("Content-Type", "application/octet-stream")],
        bytes,
    );
    assert_eq!(
        status,
        201,
        "blob upload: {}",
        String::from_utf8_lossy(&body)
    );
    d
}

/// Pushes a manifest or index under `reference` (a tag or its digest); returns its digest.
pub fn push_manifest(repo: &str, reference: &str, media_type: &str, body: &str) -> String {
    let (status, _, answer) = http(
        &host(),
        "PUT",
        &format!("/v2/{repo}/manifests/{reference}"),
        &[("Content-Type", media_type)],
        body.as_bytes(),
    );
    assert_eq!(
        status,
        201,
        "manifest {repo}:{reference}: {}",
        String::from_utf8_lossy(&answer)
    );
    digest(body.as_bytes())
}

pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";

/// A single-platform image's manifest (config blob with `arch`, one small layer), pushed by
/// digest; returns (digest, body, size).
pub fn push_single(repo: &str, arch: &str, media_type: &str) -> (String, String, usize) {
    let config = format!(
        r#"{{"architecture":"{arch}","os":"linux","config":{{}},"rootfs":{{"type":"layers","diff_ids":[]}}}}"#
    );
    let config_digest = push_blob(repo, config.as_bytes());
    let layer = format!("layer of {repo} {arch}");
    let layer_digest = push_blob(repo, layer.as_bytes());
    let (config_type, layer_type) = if media_type == OCI_MANIFEST {
        (
            "application/vnd.oci.image.config.v1+json",
            "application/vnd.oci.image.layer.v1.tar+gzip",
        )
    } else {
        (
            "application/vnd.docker.container.image.v1+json",
            "application/vnd.docker.image.rootfs.diff.tar.gzip",
        )
    };
    let body = format!(
        r#"{{"schemaVersion":2,"mediaType":"{media_type}","config":{{"mediaType":"{config_type}","digest":"{config_digest}","size":{}}},"layers":[{{"mediaType":"{layer_type}","digest":"{layer_digest}","size":{}}}]}}"#,
        config.len(),
        layer.len()
    );
    let d = digest(body.as_bytes());
    push_manifest(repo, &d, media_type, &body);
    let size = body.len();
    (d, body, size)
}

/// Pushes the test images into `repo`: `multi` (OCI index, amd64 + arm64), `amd` (Docker v2,
/// amd64), `amd-oci` (OCI, amd64) and `arm` (OCI, arm64: built on an ARM laptop).
pub fn push_images(repo: &str) {
    let (amd, _, amd_size) = push_single(repo, "amd64", OCI_MANIFEST);
    let (arm, arm_body, arm_size) = push_single(repo, "arm64", OCI_MANIFEST);
    let index = format!(
        r#"{{"schemaVersion":2,"mediaType":"{OCI_INDEX}","manifests":[{{"mediaType":"{OCI_MANIFEST}","digest":"{amd}","size":{amd_size},"platform":{{"architecture":"amd64","os":"linux"}}}},{{"mediaType":"{OCI_MANIFEST}","digest":"{arm}","size":{arm_size},"platform":{{"architecture":"arm64","os":"linux","variant":"v8"}}}}]}}"#
    );
    push_manifest(repo, "multi", OCI_INDEX, &index);
    push_manifest(repo, "arm", OCI_MANIFEST, &arm_body);
    let (_, amd_oci, _) = push_single(repo, "amd64", OCI_MANIFEST);
    push_manifest(repo, "amd-oci", OCI_MANIFEST, &amd_oci);
    let (_, amd_docker, _) = push_single(repo, "amd64", DOCKER_MANIFEST);
    push_manifest(repo, "amd", DOCKER_MANIFEST, &amd_docker);
}

/// A loopback server of the test's own, answering each connection with `answer` on a thread.
pub struct Fake {
    pub host: String,
    pub requests: Arc<AtomicUsize>,
}

impl Fake {
    fn start(answer: impl Fn(TcpStream, &str, &str) + Send + Sync + 'static) -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let host = listener.local_addr().unwrap().to_string();
        let requests = Arc::new(AtomicUsize::new(0));
        let count = requests.clone();
        let answer = Arc::new(answer);
        let me = host.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let answer = answer.clone();
                let count = count.clone();
                let me = me.clone();
                std::thread::spawn(move || {
                    let head = read_head(&stream);
                    count.fetch_add(1, Ordering::SeqCst);
                    answer(stream, &head, &me);
                });
            }
        });
        Fake { host, requests }
    }

    /// Accepts and never answers.
    pub fn hanging() -> Fake {
        Fake::start(|stream, _, _| {
            std::thread::sleep(Duration::from_secs(120));
            drop(stream);
        })
    }

    /// Answers every request 200 with a body that is no manifest.
    pub fn garbage() -> Fake {
        Fake::start(|mut stream, _, _| {
            let body = "<html><body>Welcome to nginx!</body></html>";
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        })
    }

    /// A token server in front of the real registry: `/v2/` requests without the token get the
    /// Bearer challenge; `/token` hands out the token (only to `user:pass` when `credentials`
    /// is set); the rest is relayed to the registry.
    pub fn token_auth(credentials: Option<(&str, &str)>) -> Fake {
        let expected = credentials.map(|(u, p)| format!("Basic {}", base64(&format!("{u}:{p}"))));
        Fake::token_server(move |head, _| {
            expected.is_none() || head_value(head, "authorization") == expected
        })
    }

    /// As [`Fake::token_auth`], but the token is only for an OAuth2 refresh token POSTed as
    /// Docker's identity tokens are (`grant_type=refresh_token&refresh_token=...`).
    pub fn token_refresh(refresh: &str) -> Fake {
        let want = format!("refresh_token={refresh}");
        Fake::token_server(move |head, body| {
            head.starts_with("POST ")
                && body.contains("grant_type=refresh_token")
                && body.split('&').any(|p| p == want)
        })
    }

    fn token_server(grant: impl Fn(&str, &str) -> bool + Send + Sync + 'static) -> Fake {
        Fake::start(move |mut stream, head, me| {
            let path = head.split(' ').nth(1).unwrap_or("/").to_string();
            let auth = head_value(head, "authorization");
            if path.starts_with("/token") {
                let length: usize = head_value(head, "content-length")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                let mut body = vec![0u8; length];
                let _ = stream.read_exact(&mut body);
                if !grant(head, &String::from_utf8_lossy(&body)) {
                    let _ = write!(
                        stream,
                        "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    );
                    return;
                }
                let body = r#"{"token":"t0k3n","expires_in":300}"#;
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                return;
            }
            if auth.as_deref() != Some("Bearer t0k3n") {
                let _ = write!(
                    stream,
                    "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"http://{me}/token\",service=\"test-registry\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
                return;
            }
            relay(stream, head);
        })
    }

    /// Basic auth in front of the real registry: requests without `user:pass` get the Basic
    /// challenge; the rest is relayed.
    pub fn basic_auth(user: &str, pass: &str) -> Fake {
        let expected = format!("Basic {}", base64(&format!("{user}:{pass}")));
        Fake::start(move |mut stream, head, _| {
            if head_value(head, "authorization").as_deref() != Some(expected.as_str()) {
                let _ = write!(
                    stream,
                    "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
                return;
            }
            relay(stream, head);
        })
    }

    /// Answers 200 with a body that never ends (no length; 16 MiB, then the connection closes).
    pub fn endless() -> Fake {
        Fake::start(|mut stream, _, _| {
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: {OCI_INDEX}\r\nConnection: close\r\n\r\n{{\"manifests\":["
            );
            let chunk = vec![b' '; 64 * 1024];
            for _ in 0..256 {
                if stream.write_all(&chunk).is_err() {
                    return;
                }
            }
        })
    }
}

/// Sends the request (method, path, Accept) to the real registry and its answer back.
fn relay(mut stream: TcpStream, head: &str) {
    let path = head.split(' ').nth(1).unwrap_or("/");
    let accept = head_value(head, "accept").unwrap_or_default();
    let method = head.split(' ').next().unwrap_or("GET");
    let mut upstream = TcpStream::connect(host()).unwrap();
    let _ = write!(
        upstream,
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nAccept: {accept}\r\nConnection: close\r\n\r\n",
        host()
    );
    let mut answer = Vec::new();
    let _ = upstream.read_to_end(&mut answer);
    let _ = stream.write_all(&answer);
}

fn read_head(mut stream: &TcpStream) -> String {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).to_string()
}

fn head_value(head: &str, name: &str) -> Option<String> {
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim().to_string())
}

pub fn base64(text: &str) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = text.as_bytes();
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
