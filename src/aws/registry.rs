//! Any OCI registry (Docker Hub, public ECR, GHCR, Quay, a registry of your own) for the image
//! architecture check: the Distribution API's manifest and blob reads, with the anonymous or
//! credentialed bearer-token flow its `WWW-Authenticate` challenge asks for, Basic auth, and
//! Docker's credentials (`config.json`, `docker-credential-*` helpers). HTTPS everywhere but on
//! loopback; every document size-capped; every request timed out. What cannot be read is an
//! error saying why, never a guess. References, challenges and manifests are parsed in
//! `core::deploy`.

use super::http::{body_capped, client_builder, describe};
use crate::core::deploy::credentials::{
    Credential, CredentialSource, DockerConfig, parse_docker_config, parse_helper_answer,
};
use crate::core::deploy::image::{
    ACCEPTED_MEDIA_TYPES, Manifest, Platform, parse_config, parse_manifest,
};
use crate::core::deploy::reference::{Challenge, ImageName, parse_challenge, parse_token};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, WWW_AUTHENTICATE};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The largest manifest, index, config blob or token answer read (real ones are a few KB).
pub const MAX_DOCUMENT_BYTES: u64 = 4 * 1024 * 1024;
/// Each registry request (its redirects and body included) ends within this many seconds unless
/// `FARGATE_PLANNER_REGISTRY_TIMEOUT_SECS` says otherwise.
pub const DEFAULT_TIMEOUT_SECS: u64 = 20;
/// How long a credential helper may take.
const HELPER_TIMEOUT: Duration = Duration::from_secs(20);

/// What was read of an image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadImage {
    pub platforms: Vec<Platform>,
    /// The manifest's digest, when the registry said it (`Docker-Content-Digest`).
    pub digest: Option<String>,
}

/// A registry reader.
#[derive(Clone, Debug)]
pub struct Registry {
    http: reqwest::Client,
    timeout: Duration,
}

/// The registry timeout in force.
pub fn timeout() -> Duration {
    Duration::from_secs(
        std::env::var("FARGATE_PLANNER_REGISTRY_TIMEOUT_SECS")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .filter(|s| *s > 0)
            .unwrap_or(DEFAULT_TIMEOUT_SECS),
    )
}

impl Registry {
    pub fn new() -> Result<Registry, String> {
        let timeout = timeout();
        let http = client_builder()
            .map_err(|e| e.message)?
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .read_timeout(timeout)
            .timeout(timeout)
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Registry { http, timeout })
    }

    /// The platforms `image` was built for: an index's list, or a single manifest's config.
    pub async fn read(&self, image: &ImageName) -> Result<ReadImage, String> {
        let mut auth = Auth::None;
        let accept = ACCEPTED_MEDIA_TYPES.join(", ");
        let url = image.manifest_url();
        let (headers, body) = self.get(image, &url, &accept, &mut auth).await?;
        let media_type = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or(v).trim().to_string())
            .filter(|t| t.starts_with("application/vnd."));
        let digest = headers
            .get("docker-content-digest")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let text = String::from_utf8(body).map_err(|_| "the manifest is not UTF-8".to_string())?;
        let platforms = match parse_manifest(media_type.as_deref(), &text)? {
            Manifest::Index(platforms) => platforms,
            Manifest::Single { config_digest } => {
                let url = image.blob_url(&config_digest);
                let (_, bytes) = self
                    .get(image, &url, "application/json, */*", &mut auth)
                    .await
                    .map_err(|e| {
                        format!("a single-architecture image whose config blob {config_digest} could not be read: {e}")
                    })?;
                vec![parse_config(&bytes)?]
            }
        };
        Ok(ReadImage { platforms, digest })
    }

    /// GETs `url`, answering one authentication challenge.
    async fn get(
        &self,
        image: &ImageName,
        url: &str,
        accept: &str,
        auth: &mut Auth,
    ) -> Result<(HeaderMap, Vec<u8>), String> {
        let started = Instant::now();
        let mut response = self.send(url, accept, auth).await?;
        if response.status() == StatusCode::UNAUTHORIZED && matches!(auth, Auth::None) {
            let challenge = response
                .headers()
                .get(WWW_AUTHENTICATE)
                .and_then(|v| v.to_str().ok())
                .and_then(parse_challenge)
                .ok_or("HTTP 401 without a Bearer or Basic challenge")?;
            *auth = self.authenticate(image, challenge).await?;
            response = self.send(url, accept, auth).await?;
        }
        let status = response.status();
        match status {
            s if s.is_success() => {}
            StatusCode::NOT_FOUND => {
                return Err(format!("the registry has no image `{image}` (HTTP 404)"));
            }
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                return Err(format!(
                    "HTTP {} from {}: not allowed to pull it; `docker login {}` stores credentials this tool reads",
                    status.as_u16(),
                    image.registry,
                    image.registry
                ));
            }
            s => return Err(format!("HTTP {} from {}", s.as_u16(), image.registry)),
        }
        let headers = response.headers().clone();
        let left = self.timeout.saturating_sub(started.elapsed());
        let body = tokio::time::timeout(left, body_capped(response, MAX_DOCUMENT_BYTES))
            .await
            .map_err(|_| format!("no complete answer within {} s", self.timeout.as_secs()))??;
        Ok((headers, body))
    }

    async fn send(
        &self,
        url: &str,
        accept: &str,
        auth: &Auth,
    ) -> Result<reqwest::Response, String> {
        let request = self.http.get(url).header(ACCEPT, accept);
        let request = match auth {
            Auth::None => request,
            Auth::Bearer(t) => request.bearer_auth(t),
            Auth::Basic(username, password) => request.basic_auth(username, Some(password)),
        };
        request.send().await.map_err(|e| {
            if e.is_timeout() {
                format!(
                    "no answer within {} s ({})",
                    self.timeout.as_secs(),
                    describe(&e)
                )
            } else {
                describe(&e)
            }
        })
    }

    /// Answers a challenge: Basic with the stored credentials, or a token from the realm
    /// (anonymous when no credentials are stored for the registry).
    async fn authenticate(&self, image: &ImageName, challenge: Challenge) -> Result<Auth, String> {
        let credential = credentials_for(image.credentials_key())?;
        let (realm, service, scope) = match challenge {
            Challenge::Basic => {
                return match credential {
                    Some(Credential::Basic { username, password }) => {
                        Ok(Auth::Basic(username, password))
                    }
                    _ => Err(format!(
                        "{} asks for a user name and password; `docker login {}` stores them",
                        image.registry, image.registry
                    )),
                };
            }
            Challenge::Bearer {
                realm,
                service,
                scope,
            } => (realm, service, scope.unwrap_or_else(|| image.pull_scope())),
        };
        let mut url = reqwest::Url::parse(&realm)
            .map_err(|_| format!("the token realm `{realm}` is not a URL"))?;
        if url.scheme() != "https"
            && !crate::core::deploy::reference::is_loopback(url.host_str().unwrap_or(""))
        {
            return Err(format!(
                "the token realm `{realm}` is not HTTPS; credentials are only sent over HTTPS"
            ));
        }
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if let Some(s) = &service {
            pairs.push(("service", s));
        }
        pairs.push(("scope", &scope));
        let request = match &credential {
            Some(Credential::IdentityToken(refresh)) => {
                let mut form = reqwest::Url::parse("http://form/").map_err(|e| e.to_string())?;
                form.query_pairs_mut()
                    .extend_pairs(pairs.iter().copied())
                    .append_pair("grant_type", "refresh_token")
                    .append_pair("refresh_token", refresh)
                    .append_pair("client_id", "fargate-planner");
                self.http
                    .post(url.clone())
                    .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(form.query().unwrap_or_default().to_string())
            }
            _ => {
                url.query_pairs_mut().extend_pairs(pairs.iter().copied());
                let r = self.http.get(url.clone());
                match &credential {
                    Some(Credential::Basic { username, password }) => {
                        r.basic_auth(username, Some(password))
                    }
                    _ => r,
                }
            }
        };
        let shown = format!("{}{}", url.origin().ascii_serialization(), url.path());
        let response = request
            .send()
            .await
            .map_err(|e| format!("the token server {shown}: {}", describe(&e)))?;
        if !response.status().is_success() {
            return Err(format!(
                "the token server {shown} answered HTTP {}{}",
                response.status().as_u16(),
                if credential.is_some() {
                    " to the stored credentials"
                } else {
                    " to an anonymous request: the image may be private (`docker login` stores credentials this tool reads)"
                }
            ));
        }
        let body = tokio::time::timeout(self.timeout, body_capped(response, MAX_DOCUMENT_BYTES))
            .await
            .map_err(|_| format!("the token server {shown}: no complete answer"))?
            .map_err(|e| format!("the token server {shown}: {e}"))?;
        Ok(Auth::Bearer(parse_token(&body)?))
    }
}

/// What goes with each request.
enum Auth {
    None,
    Bearer(String),
    Basic(String, String),
}

/// Docker's config folder: `$DOCKER_CONFIG`, else `~/.docker`.
fn docker_config_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    directories::BaseDirs::new().map(|b| b.home_dir().join(".docker"))
}

/// The credentials Docker has for the registry filed under `key`; `None`: anonymous.
fn credentials_for(key: &str) -> Result<Option<Credential>, String> {
    let Some(path) = docker_config_dir().map(|d| d.join("config.json")) else {
        return Ok(None);
    };
    let config = match std::fs::read_to_string(&path) {
        Ok(text) => parse_docker_config(&text).map_err(|e| format!("`{}`: {e}", path.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => DockerConfig::default(),
        Err(e) => return Err(format!("cannot read `{}`: {e}", path.display())),
    };
    match config
        .source_for(key)
        .map_err(|e| format!("`{}`: {e}", path.display()))?
    {
        CredentialSource::Anonymous => Ok(None),
        CredentialSource::Inline(c) => Ok(Some(c)),
        CredentialSource::Helper(name) => run_helper(&name, key),
    }
}

/// Runs `docker-credential-<name> get` with `key` on its standard input, as Docker does.
/// "credentials not found" is anonymous, as in Docker; any other failure is an error.
fn run_helper(name: &str, key: &str) -> Result<Option<Credential>, String> {
    let program = format!("docker-credential-{name}");
    let mut child = Command::new(&program)
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run the credential helper `{program}`: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A helper that exits without reading is judged by its exit status below.
        let _ = stdin.write_all(key.as_bytes());
    }
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > HELPER_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "the credential helper `{program}` did not answer within {} s",
                    HELPER_TIMEOUT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("the credential helper `{program}`: {e}")),
        }
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("the credential helper `{program}`: {e}"))?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        if said.to_ascii_lowercase().contains("credentials not found") {
            return Ok(None);
        }
        return Err(format!(
            "the credential helper `{program}` failed ({})",
            out.status
        ));
    }
    parse_helper_answer(&out.stdout)
        .map(Some)
        .map_err(|e| format!("`{program}`: {e}"))
}
