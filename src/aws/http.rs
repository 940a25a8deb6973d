//! Plain HTTPS downloads that need no credentials: the public Fargate Spot feed and AWS bulk
//! offer files. reqwest with rustls; a few retries with backoff on 5xx, 429 and connection
//! errors; errors name the URL and the HTTP status.

use std::time::Duration;

/// The public feed the Fargate pricing page reads (undocumented; the file aws.amazon.com/fargate/pricing loads its Spot prices from).
pub const DEFAULT_SPOT_FEED_URL: &str =
    "https://dftu77xade0tc.cloudfront.net/fargate-spot-prices.json";

/// How many times a download is tried before its error is reported.
const ATTEMPTS: u32 = 3;

/// A failed download.
#[derive(Clone, Debug, thiserror::Error)]
#[error("GET {url} failed: {message}")]
pub struct HttpError {
    pub url: String,
    pub message: String,
    /// The HTTP status, when the server answered.
    pub status: Option<u16>,
}

/// A small HTTP client for public price files.
/// The largest body read from a URL (a region's Savings Plans file is the largest document this
/// tool reads, tens of MB). `FARGATE_PLANNER_MAX_DOWNLOAD_BYTES` overrides it.
pub const MAX_BODY_BYTES: u64 = 1024 * 1024 * 1024;

fn max_body_bytes() -> u64 {
    std::env::var("FARGATE_PLANNER_MAX_DOWNLOAD_BYTES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(MAX_BODY_BYTES)
}

/// The client every plain HTTP reader starts from: rustls with the platform's roots plus
/// `AWS_CA_BUNDLE`'s certificates (as the AWS CLI trusts them), and the tool's user agent.
pub(crate) fn client_builder() -> Result<reqwest::ClientBuilder, HttpError> {
    // reqwest is built without a crypto provider of its own: rustls on ring, as the SDK client.
    // Installing fails only when one is installed already, which is as good.
    let _ = rustls::crypto::ring::default_provider().install_default();
    // AWS_CA_BUNDLE's certificates are trusted beside the platform's, as the AWS CLI does.
    let extra_roots = match std::env::var_os("AWS_CA_BUNDLE") {
        Some(path) => {
            let pem = std::fs::read(&path).map_err(|e| HttpError {
                url: String::new(),
                message: format!(
                    "cannot read AWS_CA_BUNDLE `{}`: {e}",
                    std::path::Path::new(&path).display()
                ),
                status: None,
            })?;
            reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| HttpError {
                url: String::new(),
                message: format!("AWS_CA_BUNDLE is not a PEM certificate bundle: {e}"),
                status: None,
            })?
        }
        None => Vec::new(),
    };
    Ok(reqwest::Client::builder()
        .tls_certs_merge(extra_roots)
        .user_agent(concat!("fargate-planner/", env!("CARGO_PKG_VERSION"))))
}

/// Reads a response's body, never more than `cap` bytes: a larger or endless body is an error.
pub(crate) async fn body_capped(
    mut response: reqwest::Response,
    cap: u64,
) -> Result<Vec<u8>, String> {
    if response.content_length().is_some_and(|n| n > cap) {
        return Err(format!("the body is larger than {cap} bytes"));
    }
    let mut body: Vec<u8> = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() as u64 + chunk.len() as u64 > cap {
                    return Err(format!("the body is larger than {cap} bytes"));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => return Err(format!("reading the body: {}", describe(&e))),
        }
    }
}

#[derive(Clone, Debug)]
pub struct HttpClient {
    client: reqwest::Client,
    backoff: Duration,
}

impl HttpClient {
    pub fn new() -> Result<HttpClient, HttpError> {
        let client = client_builder()?
            .connect_timeout(Duration::from_secs(10))
            // A server that accepts and then says nothing (or drips) is given up on.
            .read_timeout(Duration::from_secs(30))
            // A server that drips bytes never trips the read timeout: the whole request is
            // bounded too (`FARGATE_PLANNER_HTTP_TIMEOUT_SECS`, default 300 s).
            .timeout(Duration::from_secs(
                std::env::var("FARGATE_PLANNER_HTTP_TIMEOUT_SECS")
                    .ok()
                    .and_then(|v| v.trim().parse().ok())
                    .filter(|s| *s > 0)
                    .unwrap_or(300),
            ))
            .build()
            .map_err(|e| HttpError {
                url: String::new(),
                message: format!("cannot build the HTTP client: {e}"),
                status: None,
            })?;
        Ok(HttpClient {
            client,
            backoff: Duration::from_millis(250),
        })
    }

    /// Downloads `url` as text, retrying transient failures.
    pub async fn get_text(&self, url: &str) -> Result<String, HttpError> {
        let mut last = None;
        for attempt in 0..ATTEMPTS {
            if attempt > 0 {
                tokio::time::sleep(self.backoff * 2u32.pow(attempt - 1)).await;
            }
            match self.try_get(url).await {
                Ok(text) => return Ok(text),
                Err((err, transient)) => {
                    last = Some(err);
                    if !transient {
                        break;
                    }
                }
            }
        }
        Err(last.unwrap_or_else(|| HttpError {
            url: url.to_string(),
            message: "no attempt made".to_string(),
            status: None,
        }))
    }

    async fn try_get(&self, url: &str) -> Result<String, (HttpError, bool)> {
        let fail = |message: String, status: Option<u16>| HttpError {
            url: url.to_string(),
            message,
            status,
        };
        let response = self.client.get(url).send().await.map_err(|e| {
            let transient = e.is_connect() || e.is_timeout() || e.is_request();
            (fail(describe(&e), None), transient)
        })?;
        let status = response.status();
        if !status.is_success() {
            let transient = status.is_server_error() || status.as_u16() == 429;
            return Err((
                fail(format!("HTTP {status}"), Some(status.as_u16())),
                transient,
            ));
        }
        // Read the body in chunks, never more than the cap: an endless body is cut off.
        let cap = max_body_bytes();
        if response.content_length().is_some_and(|n| n > cap) {
            return Err((
                fail(format!("the body is larger than {cap} bytes"), None),
                false,
            ));
        }
        let mut response = response;
        let mut body: Vec<u8> = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() as u64 + chunk.len() as u64 > cap {
                        return Err((
                            fail(format!("the body is larger than {cap} bytes"), None),
                            false,
                        ));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    return Err((
                        fail(format!("reading the body: {}", describe(&e)), None),
                        true,
                    ));
                }
            }
        }
        String::from_utf8(body)
            .map_err(|_| (fail("the body is not UTF-8 text".to_string(), None), false))
    }
}

/// The error with its causes, which is where reqwest keeps the useful part.
pub(crate) fn describe(e: &reqwest::Error) -> String {
    let mut s = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        s.push_str(": ");
        s.push_str(&cause.to_string());
        source = cause.source();
    }
    s
}
