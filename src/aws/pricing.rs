//! The AWS Price List Query API (`aws-sdk-pricing`) behind domain-shaped methods: Fargate
//! (`AmazonECS`), Lambda (`AWSLambda`), EKS (`AmazonEKS`) and EC2 (`AmazonEC2`) GetProducts pages for a region (every page) and the
//! regions AmazonECS is priced in (GetAttributeValues), fetched concurrently with a bound.
//!
//! The client's own region is the Pricing **endpoint** region (us-east-1, eu-central-1 or
//! ap-south-1), never the priced region, which goes in the `regionCode` filter. Retries with
//! backoff (throttling, 5xx, timeouts) are the SDK's standard retry strategy; its attempts follow
//! `AWS_MAX_ATTEMPTS` / the profile's `max_attempts` (default 3). What still fails comes back as an
//! [`AwsError`] with the AWS code and message.

use super::{AwsError, AwsOptions, load_config};
use crate::core::pricing::parse::api::Page;
use aws_sdk_pricing::types::{Filter, FilterType};
use std::sync::Arc;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// ServiceCode of Fargate for ECS in the Price List (AWS Price List API, docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/price-changes.html).
pub const SERVICE_CODE: &str = "AmazonECS";
/// ServiceCode of the Compute Savings Plans price lists (ListPriceLists, GetPriceListFileUrl).
pub const SAVINGS_SERVICE_CODE: &str = "ComputeSavingsPlans";
/// The default Pricing endpoint region.
pub const DEFAULT_PRICING_REGION: &str = "us-east-1";
/// GetProducts accepts at most 100 results a page.
const PAGE_SIZE: i32 = 100;
/// A guard against a server that never stops handing out tokens.
const MAX_PAGES: usize = 1000;

/// The pages fetched for one region, or why not.
pub type RegionPages = (String, Result<Vec<Page>, AwsError>);

/// What a GetProducts query asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Products {
    /// AmazonECS `Compute` products (Fargate, with ECS-EC2 and ECS Anywhere decoys).
    Fargate,
    /// Every AWSLambda product of the region (requests and duration among provisioned
    /// concurrency, Lambda@Edge, storage and the rest).
    Lambda,
    /// Every AmazonEKS product of the region (the cluster fee, extended support, EKS on Fargate
    /// pods among Auto Mode, hybrid nodes and the rest).
    Eks,
    /// AmazonEC2 on-demand Linux shared-tenancy rows of the EC2 book's instance types (one
    /// query a region: `instanceType` ANY_OF the types, the other attributes TERM_MATCH).
    Ec2,
}

impl Products {
    pub fn service_code(self) -> &'static str {
        match self {
            Products::Fargate => SERVICE_CODE,
            Products::Lambda => crate::core::pricing::parse::lambda::SERVICE_CODE,
            Products::Eks => crate::core::pricing::parse::eks::SERVICE_CODE,
            Products::Ec2 => crate::core::pricing::parse::ec2::SERVICE_CODE,
        }
    }
}

/// The pages fetched for one query and region, or why not.
pub type QueryPages = (Products, String, Result<Vec<Page>, AwsError>);

/// A Price List client for one Pricing endpoint.
#[derive(Clone, Debug)]
pub struct PricingClient {
    client: aws_sdk_pricing::Client,
}

impl PricingClient {
    /// Connects with the standard chain; `opts.region` is the Pricing endpoint's region
    /// (us-east-1 when `None`).
    pub async fn connect(opts: &AwsOptions) -> PricingClient {
        let mut opts = opts.clone();
        if opts.region.is_none() {
            opts.region = Some(DEFAULT_PRICING_REGION.to_string());
        }
        let config = load_config(&opts).await;
        PricingClient {
            client: aws_sdk_pricing::Client::new(&config),
        }
    }

    /// Wraps an already built SDK client.
    pub fn from_client(client: aws_sdk_pricing::Client) -> PricingClient {
        PricingClient { client }
    }

    /// Every region code AmazonECS has products in (GetAttributeValues `regionCode`, all pages).
    pub async fn regions(&self) -> Result<Vec<String>, AwsError> {
        let mut regions = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let out = self
                .client
                .get_attribute_values()
                .service_code(SERVICE_CODE)
                .attribute_name("regionCode")
                .max_results(PAGE_SIZE)
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(|e| AwsError::from_sdk("GetAttributeValues", e))?;
            regions.extend(
                out.attribute_values()
                    .iter()
                    .filter_map(|v| v.value())
                    .map(str::to_string),
            );
            match out.next_token() {
                Some(t) if !t.is_empty() && Some(t) != token.as_deref() => {
                    token = Some(t.to_string())
                }
                _ => break,
            }
        }
        regions.sort();
        regions.dedup();
        Ok(regions)
    }

    /// The download URL of `region`'s Compute Savings Plans price list file (JSON), effective
    /// now: ListPriceLists (ServiceCode `ComputeSavingsPlans`, currency USD), then
    /// GetPriceListFileUrl. `None` when AWS lists no such file for the region. Returns the price
    /// list's ARN beside the URL, for the source.
    pub async fn savings_plan_file(
        &self,
        region: &str,
    ) -> Result<Option<(String, String)>, AwsError> {
        let now = aws_smithy_types::DateTime::from_secs(chrono::Utc::now().timestamp());
        let mut arns: Vec<String> = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let out = self
                .client
                .list_price_lists()
                .service_code(SAVINGS_SERVICE_CODE)
                .effective_date(now)
                .region_code(region)
                .currency_code("USD")
                .max_results(PAGE_SIZE)
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(|e| AwsError::from_sdk("ListPriceLists", e))?;
            arns.extend(
                out.price_lists()
                    .iter()
                    .filter(|l| {
                        l.file_formats()
                            .iter()
                            .any(|f| f.eq_ignore_ascii_case("json"))
                    })
                    .filter_map(|l| l.price_list_arn())
                    .map(str::to_string),
            );
            match out.next_token() {
                Some(t) if !t.is_empty() && Some(t) != token.as_deref() => {
                    token = Some(t.to_string())
                }
                _ => break,
            }
        }
        // ComputeSavingsPlans may list other plan files beside it: prefer the Compute one.
        let chosen = arns
            .iter()
            .find(|a| a.to_ascii_lowercase().contains("computesavingsplan"))
            .or(arns.first());
        let Some(arn) = chosen else {
            return Ok(None);
        };
        let out = self
            .client
            .get_price_list_file_url()
            .price_list_arn(arn)
            .file_format("json")
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("GetPriceListFileUrl", e))?;
        Ok(out.url().map(|u| (arn.clone(), u.to_string())))
    }

    /// Every GetProducts page of AmazonECS `Compute` products in `region`.
    pub async fn fargate_pages(&self, region: &str) -> Result<Vec<Page>, AwsError> {
        self.pages(Products::Fargate, region).await
    }

    /// Every GetProducts page of `what` in `region`.
    pub async fn pages(&self, what: Products, region: &str) -> Result<Vec<Page>, AwsError> {
        let filter = |field: &str, value: &str| {
            Filter::builder()
                .r#type(FilterType::TermMatch)
                .field(field)
                .value(value)
                .build()
                .map_err(|e| AwsError::other("GetProducts", e.to_string()))
        };
        let mut filters = vec![filter("regionCode", region)?];
        if what == Products::Fargate {
            filters.push(filter("productFamily", "Compute")?);
        }
        if what == Products::Ec2 {
            filters.push(filter("productFamily", "Compute Instance")?);
            for (field, value) in crate::core::pricing::parse::ec2::REQUIRED {
                filters.push(filter(field, value)?);
            }
            // ANY_OF takes a comma-separated list (Price List API reference, `Filter.Type`).
            let types = crate::core::pricing::ec2::Ec2Book::embedded()
                .map_err(|e| AwsError::other("GetProducts", e.to_string()))?
                .specs()
                .map(|s| s.instance_type.clone())
                .collect::<Vec<_>>()
                .join(",");
            filters.push(
                Filter::builder()
                    .r#type(FilterType::AnyOf)
                    .field("instanceType")
                    .value(types)
                    .build()
                    .map_err(|e| AwsError::other("GetProducts", e.to_string()))?,
            );
        }
        let mut pages = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let out = self
                .client
                .get_products()
                .service_code(what.service_code())
                .set_filters(Some(filters.clone()))
                .format_version("aws_v1")
                .max_results(PAGE_SIZE)
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(|e| AwsError::from_sdk("GetProducts", e))?;
            pages.push(Page {
                documents: out.price_list().to_vec(),
            });
            match out.next_token() {
                Some(t) if !t.is_empty() && Some(t) != token.as_deref() => {
                    token = Some(t.to_string())
                }
                _ => break,
            }
        }
        Ok(pages)
    }

    /// Fetches the regions' Fargate pages at most `concurrency` at a time; `on_done` is called as
    /// each one finishes (for a progress bar). Results come back in the order of `regions`.
    pub async fn fargate_pages_of(
        &self,
        regions: &[String],
        concurrency: usize,
        on_done: Arc<dyn Fn(&str) + Send + Sync>,
    ) -> Vec<RegionPages> {
        let queries: Vec<(Products, String)> = regions
            .iter()
            .map(|r| (Products::Fargate, r.clone()))
            .collect();
        self.pages_of(&queries, concurrency, on_done)
            .await
            .into_iter()
            .map(|(_, region, result)| (region, result))
            .collect()
    }

    /// Runs the queries (each every page of one kind of products in one region) at most
    /// `concurrency` GetProducts queries at a time; `on_done` is called with the region as each
    /// finishes. Results come back in the order of `queries`.
    pub async fn pages_of(
        &self,
        queries: &[(Products, String)],
        concurrency: usize,
        on_done: Arc<dyn Fn(&str) + Send + Sync>,
    ) -> Vec<QueryPages> {
        let permits = Arc::new(Semaphore::new(concurrency.max(1)));
        let mut set = JoinSet::new();
        for (i, (what, region)) in queries.iter().enumerate() {
            let client = self.clone();
            let permits = permits.clone();
            let (what, region) = (*what, region.clone());
            let on_done = on_done.clone();
            set.spawn(async move {
                let result = match permits.acquire_owned().await {
                    Ok(_permit) => client.pages(what, &region).await,
                    Err(e) => Err(AwsError::other("GetProducts", e.to_string())),
                };
                on_done(&region);
                (i, what, region, result)
            });
        }
        let mut results: Vec<Option<QueryPages>> = (0..queries.len()).map(|_| None).collect();
        while let Some(joined) = set.join_next().await {
            match joined {
                Ok((i, what, region, result)) => results[i] = Some((what, region, result)),
                Err(e) => {
                    // A panicked task: report it against no region rather than losing it.
                    results.push(Some((
                        Products::Fargate,
                        String::from("?"),
                        Err(AwsError::other("GetProducts", e.to_string())),
                    )));
                }
            }
        }
        results.into_iter().flatten().collect()
    }
}
