//! AWS adapters: the only code that talks to AWS, async, behind domain-shaped methods.
//!
//! Credentials and settings come from the standard chain (environment, profile, SSO, IMDS);
//! `--profile`, `--region` and `--endpoint-url` override it as in the AWS CLI, and the SDK
//! honours `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>` by itself.

pub mod autoscaling;
pub mod ec2;
pub mod ecr;
pub mod ecs;
pub mod error;
pub mod http;
pub mod logs;
pub mod pricing;
pub mod registry;
pub mod scan;

pub use error::{AwsError, AwsErrorKind};

use aws_config::{BehaviorVersion, Region, SdkConfig};

/// Connection settings as the user gave them; `None` means "from the standard chain".
#[derive(Clone, Debug, Default)]
pub struct AwsOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
}

/// Each AWS call (all its retries included) ends within this many seconds unless
/// `FARGATE_PLANNER_AWS_TIMEOUT_SECS` says otherwise: an endpoint that accepts the connection and
/// never answers must not hang a command. Connecting has 5 s, each attempt 10 s.
pub const DEFAULT_OPERATION_TIMEOUT_SECS: u64 = 25;

fn timeouts() -> aws_config::timeout::TimeoutConfig {
    let total = std::env::var("FARGATE_PLANNER_AWS_TIMEOUT_SECS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|s| *s > 0)
        .unwrap_or(DEFAULT_OPERATION_TIMEOUT_SECS);
    aws_config::timeout::TimeoutConfig::builder()
        .connect_timeout(std::time::Duration::from_secs(5))
        .read_timeout(std::time::Duration::from_secs(10))
        .operation_attempt_timeout(std::time::Duration::from_secs(total.min(10)))
        .operation_timeout(std::time::Duration::from_secs(total))
        .build()
}

/// The SDK's HTTP client, as the AWS CLI connects: rustls with the platform's roots plus the
/// certificates of `AWS_CA_BUNDLE` (a PEM file), and `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`
/// from the environment. The SDK crates are built without a client of their own (one TLS stack,
/// rustls on ring, for the SDK and the plain HTTP readers), so every configuration takes this one.
pub fn http_client() -> aws_sdk_pricing::config::SharedHttpClient {
    use aws_smithy_http_client::{Builder, Connector, proxy::ProxyConfig, tls};
    let mut store = tls::TrustStore::default();
    if let Some(path) = std::env::var_os("AWS_CA_BUNDLE")
        && let Ok(pem) = std::fs::read(path)
    {
        store = store.with_pem_certificate(pem);
    }
    let context = tls::TlsContext::builder()
        .with_trust_store(store)
        .build()
        .unwrap_or_default();
    Builder::new().build_with_connector_fn(move |settings, components| {
        let mut builder = Connector::builder().proxy_config(ProxyConfig::from_env());
        builder.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            builder.set_sleep_impl(components.sleep_impl());
        }
        builder
            .tls_provider(tls::Provider::Rustls(
                tls::rustls_provider::CryptoMode::Ring,
            ))
            .tls_context(context.clone())
            .build()
    })
}

/// Loads the SDK configuration from the standard chain with the user's overrides, with bounded
/// timeouts, at most 3 attempts per call, and the proxy and CA bundle of the environment.
pub async fn load_config(opts: &AwsOptions) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(timeouts())
        .http_client(http_client());
    // AWS_MAX_ATTEMPTS (or the profile's max_attempts) wins, as in the AWS CLI.
    if std::env::var_os("AWS_MAX_ATTEMPTS").is_none() {
        loader =
            loader.retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(3));
    }
    if let Some(profile) = &opts.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &opts.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(url) = &opts.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}
