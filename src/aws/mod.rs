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

/// Loads the SDK configuration from the standard chain with the user's overrides.
pub async fn load_config(opts: &AwsOptions) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
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
