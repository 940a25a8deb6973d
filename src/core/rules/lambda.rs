//! Lambda's hard limits and free tier as data (`data/lambda-limits.toml`): what rules a workload
//! out of Lambda, and what AWS gives for free.

use crate::core::rules::DataError;
use serde::{Deserialize, Serialize};

const EMBEDDED_LIMITS_TOML: &str = include_str!("../../../data/lambda-limits.toml");

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct MemoryLimits {
    pub min_mib: u32,
    pub max_mib: u32,
    pub source: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct InvocationLimits {
    pub max_ms: u64,
    pub source: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ImageLimits {
    pub max_mib: u32,
    pub source: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ConcurrencyLimits {
    pub default_quota: u32,
    pub source: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct FreeTier {
    pub requests_per_month: u64,
    pub gb_seconds_per_month: u64,
    pub source: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct BillingRules {
    pub source: String,
}

/// Lambda's limits and free tier, as data.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct LambdaLimits {
    pub memory: MemoryLimits,
    pub invocation: InvocationLimits,
    pub image: ImageLimits,
    pub concurrency: ConcurrencyLimits,
    pub free_tier: FreeTier,
    pub billing: BillingRules,
}

impl LambdaLimits {
    /// The limits embedded in the binary (`data/lambda-limits.toml`).
    pub fn embedded() -> Result<LambdaLimits, DataError> {
        toml::from_str(EMBEDDED_LIMITS_TOML).map_err(|e| DataError {
            file: "data/lambda-limits.toml".into(),
            message: e.to_string(),
        })
    }
}
