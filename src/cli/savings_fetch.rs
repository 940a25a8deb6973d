//! Compute Savings Plans rates for `prices fetch --savings-plans`: each region's price list file
//! found with ListPriceLists (ServiceCode `ComputeSavingsPlans`) and GetPriceListFileUrl, then
//! downloaded (the URL needs no credentials) and read by the same parser as `prices import`.

use super::error::CliError;
use crate::aws::http::HttpClient;
use crate::aws::pricing::{PricingClient, SAVINGS_SERVICE_CODE};
use crate::core::pricing::SavingsRates;
use crate::core::pricing::parse::savings;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// What the Savings Plans fetch brought back.
#[derive(Default)]
pub(crate) struct SavingsFetched {
    pub rates: SavingsRates,
    /// Regions with rates, and how many.
    pub per_region: Vec<(String, usize)>,
    pub notes: Vec<String>,
    pub errors: Vec<CliError>,
}

/// What one region's price list held.
enum Found {
    Rates(crate::core::pricing::parse::Parsed),
    /// AWS lists no Compute Savings Plans file for the region.
    NoFile,
    /// The file has no Fargate (AmazonECS) rates.
    NoFargateRates,
}

type RegionResult = (String, Result<Found, CliError>);

async fn one_region(
    client: PricingClient,
    http: HttpClient,
    region: String,
    fetched_at: DateTime<Utc>,
) -> Result<Found, CliError> {
    let Some((arn, url)) = client.savings_plan_file(&region).await? else {
        return Ok(Found::NoFile);
    };
    let text = http
        .get_text(&url)
        .await
        .map_err(|e| CliError::failure(e.to_string()))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        CliError::failure(format!(
            "the Compute Savings Plans price list {arn} is not JSON: {e}"
        ))
    })?;
    // The presigned URL's query string is a signature: keep the file's address only.
    let address = url.split('?').next().unwrap_or(&url);
    let label =
        format!("ListPriceLists ServiceCode {SAVINGS_SERVICE_CODE} {region} ({arn}) {address}");
    match savings::parse(&label, &value, fetched_at) {
        Ok(parsed) => Ok(Found::Rates(parsed)),
        Err(e)
            if e.message
                .starts_with("no Compute Savings Plans rates for Fargate") =>
        {
            Ok(Found::NoFargateRates)
        }
        Err(e) => Err(CliError::failure(e.to_string()).detail(
            "the price document breaks the layout AWS documents; nothing was written to the cache",
        )),
    }
}

/// Fetches the regions' files at most `concurrency` at a time.
pub(crate) async fn fetch_savings(
    client: &PricingClient,
    regions: &[String],
    concurrency: usize,
    fetched_at: DateTime<Utc>,
) -> SavingsFetched {
    let mut out = SavingsFetched::default();
    let http = match HttpClient::new() {
        Ok(h) => h,
        Err(e) => {
            out.errors.push(CliError::failure(e.to_string()));
            return out;
        }
    };
    let permits = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut set = JoinSet::new();
    for (i, region) in regions.iter().enumerate() {
        let (client, http, region, permits) = (
            client.clone(),
            http.clone(),
            region.clone(),
            permits.clone(),
        );
        set.spawn(async move {
            let result = match permits.acquire_owned().await {
                Ok(_permit) => one_region(client, http, region.clone(), fetched_at).await,
                Err(e) => Err(CliError::failure(e.to_string())),
            };
            (i, (region, result))
        });
    }
    let mut results: Vec<Option<RegionResult>> = (0..regions.len()).map(|_| None).collect();
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok((i, r)) => results[i] = Some(r),
            Err(e) => out.errors.push(CliError::failure(format!(
                "a Savings Plans download failed: {e}"
            ))),
        }
    }
    let (mut no_file, mut no_rates) = (Vec::new(), Vec::new());
    for (region, result) in results.into_iter().flatten() {
        match result {
            Ok(Found::Rates(parsed)) => {
                out.per_region.push((region, parsed.savings.len()));
                let mut top = SavingsRates::default();
                for r in parsed.savings {
                    top.insert(r);
                }
                out.rates.overlay(&top);
            }
            Ok(Found::NoFile) => no_file.push(region),
            Ok(Found::NoFargateRates) => no_rates.push(region),
            Err(e) => out.errors.push(e),
        }
    }
    if !no_file.is_empty() {
        out.notes.push(format!(
            "no Compute Savings Plans price list (ListPriceLists {SAVINGS_SERVICE_CODE}) for {}",
            no_file.join(", ")
        ));
    }
    if !no_rates.is_empty() {
        out.notes.push(format!(
            "no Compute Savings Plans rates for Fargate (AmazonECS) in the price list of {}",
            no_rates.join(", ")
        ));
    }
    out
}
