//! The price source every pricing command shares (`--prices auto|embedded|cache|live`): the
//! embedded snapshot (`cli::embedded`), the local cache, or a fetch from the Price List API now;
//! the Savings Plans rates beside them; and the live fetch that `prices fetch` also uses.

use super::args::{PriceArgs, PriceSource};
use super::error::CliError;
use super::output::progress_bar;
use super::savings_fetch::{SavingsFetched, fetch_savings};
use crate::aws::http::{DEFAULT_SPOT_FEED_URL, HttpClient};
use crate::aws::pricing::{PricingClient, Products, QueryPages};
use crate::aws::{AwsError, AwsErrorKind, AwsOptions};
use crate::cache::{Cache, Contents};
use crate::core::pricing::ec2::{Ec2Book, InstancePrice};
use crate::core::pricing::eks::EksPriceBook;
use crate::core::pricing::lambda::LambdaPriceBook;
use crate::core::pricing::parse::{DocumentError, Parsed, api, ec2, eks, lambda, spot};
use crate::core::pricing::{PriceBook, SavingsRates};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;
use std::sync::Arc;

pub(crate) use super::embedded::{
    embedded_dates, embedded_ec2, embedded_eks, embedded_fargate, embedded_lambda, embedded_savings,
};

/// A cache older than this draws a warning.
const CACHE_MAX_AGE_DAYS: i64 = 30;

/// The Fargate, Lambda and EKS prices a command prices with.
pub(crate) struct Books {
    pub fargate: PriceBook,
    /// The embedded Lambda table, with the cache's or fetched regions laid over it as `--prices`
    /// says (only the cache's with `--prices cache`).
    pub lambda: LambdaPriceBook,
    /// The embedded EKS table (`data/eks-prices.csv`), with the cache's or fetched regions laid
    /// over it as `--prices` says, like Lambda.
    pub eks: EksPriceBook,
    /// The embedded EC2 book (specs and prices), with the cache's or fetched regions' prices
    /// laid over it as `--prices` says (only the cache's with `--prices cache`).
    pub ec2: Ec2Book,
    pub warnings: Vec<String>,
}

/// Both books for `--prices` under the same rules: `embedded` ignores the cache; `auto` lays the
/// cache over the embedded tables region by region; `cache` uses only the cache (a cache without
/// Lambda prices leaves Lambda unpriced, saying how to fetch them); `live` fetches `regions` now
/// (their Lambda prices too when `with_lambda`), uses them and refreshes the cache.
pub(crate) fn load_books(
    args: &PriceArgs,
    regions: &[String],
    with_lambda: bool,
) -> Result<Books, CliError> {
    let embedded = embedded_fargate()?;
    let embedded_lambda = embedded_lambda()?;
    let embedded_eks = embedded_eks()?;
    let embedded_ec2 = embedded_ec2()?;
    let books = |fargate: PriceBook,
                 lambda: LambdaPriceBook,
                 eks: EksPriceBook,
                 ec2: Ec2Book,
                 warnings: Vec<String>| Books {
        fargate,
        lambda,
        eks,
        ec2,
        warnings,
    };
    match args.source {
        PriceSource::Embedded => Ok(books(
            embedded,
            embedded_lambda,
            embedded_eks,
            embedded_ec2,
            Vec::new(),
        )),
        PriceSource::Cache | PriceSource::Auto => {
            let cache = locate()?;
            let contents = cache.load().map_err(CliError::from)?;
            let mut warnings = Vec::new();
            if let Some(reason) = &contents.ignored {
                let msg = format!(
                    "the price cache `{}` is corrupt and was ignored: {reason}",
                    cache.path().display()
                );
                if args.source == PriceSource::Cache {
                    return Err(CliError::failure(msg).detail(REBUILD));
                }
                warnings.push(format!("{msg}; {REBUILD}"));
            }
            if let Some(w) = age_warning(&cache, &contents) {
                warnings.push(w);
            }
            // A cache written before imports were checked may hold a poison value.
            let implausible = contents.book.implausible();
            let contents = if implausible.is_empty() {
                contents
            } else {
                let msg = format!(
                    "the price cache `{}` holds implausible prices ({}) and was ignored",
                    cache.path().display(),
                    implausible.join("; ")
                );
                if args.source == PriceSource::Cache {
                    return Err(CliError::failure(msg).detail(REBUILD));
                }
                warnings.push(format!("{msg}; {REBUILD}"));
                crate::cache::Contents::default()
            };
            if args.source == PriceSource::Cache {
                if contents.book.is_empty() {
                    return Err(CliError::failure(format!(
                        "the price cache `{}` has no prices",
                        cache.path().display()
                    ))
                    .detail(REBUILD));
                }
                Ok(books(
                    contents.book,
                    contents.lambda,
                    contents.eks,
                    embedded_ec2.with_prices_only(&contents.ec2),
                    warnings,
                ))
            } else {
                Ok(books(
                    embedded.overlaid(&contents.book),
                    embedded_lambda.overlaid(&contents.lambda),
                    embedded_eks.overlaid(&contents.eks),
                    embedded_ec2.overlaid(&contents.ec2),
                    warnings,
                ))
            }
        }
        PriceSource::Live => {
            if regions.is_empty() {
                return Err(CliError::bad_input(
                    "`--prices live` needs to know which regions to fetch",
                )
                .detail("name a region (`--region`), or give the plan a `region`")
                .detail(
                    "or fetch into the cache first: `fargate-planner prices fetch --region REGION`",
                ));
            }
            let request = LiveRequest {
                regions: regions.to_vec(),
                all_regions: false,
                aws: AwsOptions {
                    profile: args.profile.clone(),
                    region: Some(args.pricing_region.clone()),
                    endpoint_url: args.endpoint_url.clone(),
                },
                spot_feed_url: Some(
                    args.spot_feed_url
                        .clone()
                        .unwrap_or_else(|| DEFAULT_SPOT_FEED_URL.to_string()),
                ),
                concurrency: 8,
                lambda: with_lambda,
                eks: with_lambda,
                ec2: with_lambda,
                savings_plans: false,
            };
            let fetched = run_async(fetch_live(request))??;
            let mut warnings = fetched.notes.clone();
            // Keep what was fetched; a cache that cannot be written does not spoil the report.
            match locate().and_then(|c| {
                c.update_all(|c| {
                    c.book.overlay(&fetched.book);
                    c.lambda.overlay(&fetched.lambda);
                    c.eks.overlay(&fetched.eks);
                    overlay_ec2(&mut c.ec2, &fetched.ec2);
                })
                .map_err(CliError::from)
            }) {
                Ok(_) => {}
                Err(e) => warnings.push(format!(
                    "the fetched prices were used but not cached: {}",
                    e.entries
                        .first()
                        .map(|e| e.headline.as_str())
                        .unwrap_or_default()
                )),
            }
            Ok(books(
                embedded.overlaid(&fetched.book),
                embedded_lambda.overlaid(&fetched.lambda),
                embedded_eks.overlaid(&fetched.eks),
                embedded_ec2.overlaid(&fetched.ec2),
                warnings,
            ))
        }
    }
}

/// Lays fetched EC2 prices over cached ones region by region (a fetched region replaces the
/// cache's prices there whole), as the other books do.
pub(crate) fn overlay_ec2(cached: &mut Vec<InstancePrice>, top: &[InstancePrice]) {
    cached.retain(|p| !top.iter().any(|t| t.region == p.region));
    cached.extend(top.iter().cloned());
    cached.sort_by(|a, b| (&a.region, &a.instance_type).cmp(&(&b.region, &b.instance_type)));
}

pub(crate) const REBUILD: &str = "rebuild it with `fargate-planner prices fetch --region REGION` or \
    `fargate-planner prices import FILE`, or use `--prices embedded`";

fn age_warning(cache: &Cache, contents: &Contents) -> Option<String> {
    let oldest = contents
        .book
        .oldest_retrieval()
        .into_iter()
        .chain(contents.lambda.oldest_retrieval())
        .chain(contents.eks.oldest_retrieval())
        .min()?;
    let days = (Utc::now() - oldest).num_days();
    (days > CACHE_MAX_AGE_DAYS).then(|| {
        format!(
            "the price cache `{}` holds prices retrieved {} ({days} days ago); refresh them with \
             `fargate-planner prices fetch`",
            cache.path().display(),
            oldest.format("%Y-%m-%d")
        )
    })
}

/// Compute Savings Plans rates: the embedded ones, with the cache's laid over them unless
/// `--prices embedded`. A cache that cannot be read adds nothing (the price book load has
/// already said why).
pub(crate) fn load_savings(args: &PriceArgs) -> Result<SavingsRates, CliError> {
    let mut rates = embedded_savings()?;
    if args.source != PriceSource::Embedded
        && let Ok(cache) = Cache::locate()
        && let Ok(contents) = cache.load()
    {
        rates.overlay(&contents.savings);
    }
    Ok(rates)
}

/// The cache folder, or why it cannot be used.
pub(crate) fn locate() -> Result<Cache, CliError> {
    Ok(Cache::locate()?)
}

pub(crate) fn run_async<F: std::future::Future>(future: F) -> Result<F::Output, CliError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::failure(format!("cannot start the async runtime: {e}")))?;
    Ok(runtime.block_on(future))
}

/// What to fetch live.
pub(crate) struct LiveRequest {
    pub regions: Vec<String>,
    pub all_regions: bool,
    pub aws: AwsOptions,
    pub spot_feed_url: Option<String>,
    pub concurrency: usize,
    /// Fetch the regions' Lambda prices (ServiceCode `AWSLambda`) too.
    pub lambda: bool,
    /// Fetch the regions' EKS prices (ServiceCode `AmazonEKS`) too.
    pub eks: bool,
    /// Fetch the regions' EC2 instance prices (ServiceCode `AmazonEC2`) too.
    pub ec2: bool,
    /// Fetch the regions' Compute Savings Plans price list files too (ListPriceLists
    /// `ComputeSavingsPlans`, GetPriceListFileUrl).
    pub savings_plans: bool,
}

/// What a live fetch brought back.
pub(crate) struct Fetched {
    pub book: PriceBook,
    pub per_region: Vec<(String, usize)>,
    pub lambda: LambdaPriceBook,
    /// Regions with Lambda prices, and how many price rows (tiers) each.
    pub lambda_per_region: Vec<(String, usize)>,
    pub eks: EksPriceBook,
    /// Regions with EKS prices, and how many.
    pub eks_per_region: Vec<(String, usize)>,
    /// EC2 on-demand Linux instance prices (empty unless asked for).
    pub ec2: Vec<InstancePrice>,
    /// Regions with EC2 prices, and how many types each.
    pub ec2_per_region: Vec<(String, usize)>,
    /// Compute Savings Plans rates (empty unless asked for).
    pub savings: SavingsRates,
    pub savings_per_region: Vec<(String, usize)>,
    pub spot_summary: Option<String>,
    pub notes: Vec<String>,
}

/// Fetches the Price List (and the Spot feed) for the request; nothing is cached here.
pub(crate) async fn fetch_live(req: LiveRequest) -> Result<Fetched, CliError> {
    let fetched_at = Utc::now();
    let client = PricingClient::connect(&req.aws).await;
    let spot_task = tokio::spawn(fetch_spot(req.spot_feed_url.clone()));
    let regions = if req.all_regions {
        client.regions().await.map_err(aws_error)?
    } else {
        req.regions.clone()
    };
    let mut queries: Vec<(Products, String)> = regions
        .iter()
        .map(|r| (Products::Fargate, r.clone()))
        .collect();
    if req.lambda {
        queries.extend(regions.iter().map(|r| (Products::Lambda, r.clone())));
    }
    if req.eks {
        queries.extend(regions.iter().map(|r| (Products::Eks, r.clone())));
    }
    if req.ec2 {
        queries.extend(regions.iter().map(|r| (Products::Ec2, r.clone())));
    }
    let bar = progress_bar(
        queries.len() as u64,
        2,
        "{bar:30} {pos}/{len} price lists {msg}",
    );
    let on_done: Arc<dyn Fn(&str) + Send + Sync> = {
        let bar = bar.clone();
        Arc::new(move |region: &str| {
            bar.set_message(region.to_string());
            bar.inc(1);
        })
    };
    let results = client.pages_of(&queries, req.concurrency, on_done).await;
    bar.finish_and_clear();
    let Lists {
        mut book,
        per_region,
        lambda,
        lambda_per_region,
        eks,
        eks_per_region,
        ec2,
        ec2_per_region,
        mut notes,
        mut errors,
    } = read_lists(results, req.all_regions, fetched_at);
    let mut savings = SavingsFetched::default();
    if req.savings_plans && errors.is_empty() {
        savings = fetch_savings(&client, &regions, req.concurrency, fetched_at).await;
        notes.append(&mut savings.notes);
        errors.append(&mut savings.errors);
    }
    let spot = match spot_task.await {
        Ok(Ok(parsed)) => parsed,
        Ok(Err(e)) => {
            errors.push(e);
            None
        }
        Err(e) => {
            errors.push(CliError::failure(format!("the Spot feed task failed: {e}")));
            None
        }
    };
    if !errors.is_empty() {
        let mut all = errors.remove(0);
        for e in errors {
            // The Fargate and Lambda queries of a region often fail alike (no credentials, access
            // denied): say it once.
            for entry in e.entries {
                if !all.entries.iter().any(|x| x.headline == entry.headline) {
                    all.entries.push(entry);
                }
            }
        }
        return Err(all.detail("nothing was written to the cache"));
    }
    let spot_summary =
        spot.map(|parsed| add_spot(&mut book, parsed, &regions, req.all_regions, &mut notes));
    let implausible = book.implausible();
    if !implausible.is_empty() {
        return Err(CliError::failure(format!(
            "the answers hold implausible prices: {}",
            implausible.join("; ")
        ))
        .detail("nothing was written to the cache; check --endpoint-url and --spot-feed-url"));
    }
    Ok(Fetched {
        book,
        per_region,
        lambda,
        lambda_per_region,
        eks,
        eks_per_region,
        ec2,
        ec2_per_region,
        savings: savings.rates,
        savings_per_region: savings.per_region,
        spot_summary,
        notes,
    })
}

/// The Spot feed, when asked for.
async fn fetch_spot(url: Option<String>) -> Result<Option<Parsed>, CliError> {
    let Some(url) = url else {
        return Ok(None);
    };
    let http = HttpClient::new()?;
    let text = http.get_text(&url).await.map_err(|e| {
        CliError::failure(e.to_string()).detail(
            "the Spot feed is public; check the network or --spot-feed-url, or \
             skip it with --no-spot",
        )
    })?;
    let parsed = spot::parse_text(
        &text,
        spot::FeedSource::Fetched {
            url: &url,
            at: Utc::now(),
        },
    )
    .map_err(document_error)?;
    Ok(Some(parsed))
}

/// What the Price List pages held, region by region, and what went wrong.
struct Lists {
    book: PriceBook,
    per_region: Vec<(String, usize)>,
    lambda: LambdaPriceBook,
    lambda_per_region: Vec<(String, usize)>,
    eks: EksPriceBook,
    eks_per_region: Vec<(String, usize)>,
    ec2: Vec<InstancePrice>,
    ec2_per_region: Vec<(String, usize)>,
    notes: Vec<String>,
    errors: Vec<CliError>,
}

fn read_lists(results: Vec<QueryPages>, all_regions: bool, fetched_at: DateTime<Utc>) -> Lists {
    let mut book = PriceBook::default();
    let mut per_region = Vec::new();
    let mut lambda_prices = Vec::new();
    let mut lambda_per_region = Vec::new();
    let mut without_lambda = Vec::new();
    let mut notes = Vec::new();
    let mut errors: Vec<CliError> = Vec::new();
    let mut without_fargate = Vec::new();
    let mut eks_prices = Vec::new();
    let mut eks_per_region = Vec::new();
    let mut without_eks = Vec::new();
    let mut ec2 = Vec::new();
    let mut ec2_per_region = Vec::new();
    let mut without_ec2 = Vec::new();
    let ec2_types: Vec<String> = match Ec2Book::embedded() {
        Ok(b) => b.specs().map(|s| s.instance_type.clone()).collect(),
        Err(e) => {
            errors.push(CliError::failure(e.to_string()));
            Vec::new()
        }
    };
    for (what, region, result) in results {
        let pages = match result {
            Ok(p) => p,
            Err(e) => {
                errors.push(aws_error(e));
                continue;
            }
        };
        if what == Products::Lambda {
            match lambda::parse_region(&region, &pages, fetched_at) {
                Ok(parsed) if parsed.prices.is_empty() => without_lambda.push(region),
                Ok(parsed) => {
                    lambda_per_region.push((region, parsed.prices.len()));
                    lambda_prices.extend(parsed.prices);
                }
                Err(e) => errors.push(document_error(e)),
            }
            continue;
        }
        if what == Products::Ec2 {
            match ec2::parse_region(&region, &pages, &ec2_types, fetched_at) {
                Ok(parsed) if parsed.prices.is_empty() => without_ec2.push(region),
                Ok(parsed) => {
                    ec2_per_region.push((region, parsed.prices.len()));
                    ec2.extend(parsed.prices);
                }
                Err(e) => errors.push(document_error(e)),
            }
            continue;
        }
        if what == Products::Eks {
            match eks::parse_region(&region, &pages, fetched_at) {
                Ok(parsed) if parsed.prices.is_empty() => without_eks.push(region),
                Ok(parsed) => {
                    eks_per_region.push((region, parsed.prices.len()));
                    eks_prices.extend(parsed.prices);
                }
                Err(e) => errors.push(document_error(e)),
            }
            continue;
        }
        match api::parse_region(&region, &pages, fetched_at) {
            Ok(parsed) => {
                per_region.push((region.clone(), parsed.prices.len()));
                for p in parsed.prices {
                    book.insert(p);
                }
            }
            Err(e) if all_regions && e.message.starts_with("no Fargate prices") => {
                without_fargate.push(region);
            }
            Err(e) => errors.push(document_error(e)),
        }
    }
    if !without_fargate.is_empty() {
        notes.push(format!(
            "no Fargate prices in {} region{} (skipped): {}",
            without_fargate.len(),
            if without_fargate.len() == 1 { "" } else { "s" },
            without_fargate.join(", ")
        ));
    }
    if !without_lambda.is_empty() {
        notes.push(format!(
            "no Lambda prices (AWSLambda Request, Lambda-GB-Second) in the Price List for {}; \
             `compare` leaves Lambda unpriced there unless the embedded table has the region",
            without_lambda.join(", ")
        ));
    }
    if !without_eks.is_empty() {
        notes.push(format!(
            "no EKS prices (AmazonEKS AmazonEKS-Hours:perCluster, Fargate-vCPU-Hours:perCPU, \
             Fargate-GB-Hours) in the Price List for {}",
            without_eks.join(", ")
        ));
    }
    if !without_ec2.is_empty() {
        notes.push(format!(
            "no EC2 instance prices (AmazonEC2 BoxUsage, Linux, shared tenancy, on demand) in the \
             Price List for {}",
            without_ec2.join(", ")
        ));
    }
    let eks = match EksPriceBook::from_prices(eks_prices) {
        Ok(b) => b,
        Err(m) => {
            errors.push(CliError::failure(format!(
                "the fetched EKS prices break the rules: {m}"
            )));
            EksPriceBook::default()
        }
    };
    let lambda = match LambdaPriceBook::from_prices(lambda_prices) {
        Ok(b) => b,
        Err(m) => {
            errors.push(CliError::failure(format!(
                "the fetched Lambda prices break the rules: {m}"
            )));
            LambdaPriceBook::default()
        }
    };
    Lists {
        book,
        per_region,
        lambda,
        lambda_per_region,
        eks,
        eks_per_region,
        ec2,
        ec2_per_region,
        notes,
        errors,
    }
}

/// Adds the feed's Spot prices for the regions asked for; the summary line of the fetch.
fn add_spot(
    book: &mut PriceBook,
    parsed: Parsed,
    regions: &[String],
    all_regions: bool,
    notes: &mut Vec<String>,
) -> String {
    let wanted: BTreeSet<&str> = regions.iter().map(String::as_str).collect();
    let feed_regions = parsed.regions();
    let spot_book: Vec<_> = parsed
        .prices
        .into_iter()
        .filter(|p| all_regions || wanted.contains(p.region.as_str()))
        .collect();
    let version = parsed.published.unwrap_or_default();
    let kept: BTreeSet<String> = spot_book.iter().map(|p| p.region.clone()).collect();
    let arm: BTreeSet<&str> = spot_book
        .iter()
        .filter(|p| p.dimension.id().starts_with("spot_arm"))
        .map(|p| p.region.as_str())
        .collect();
    let summary = format!(
        "Spot feed {version}: {} prices for {} region{} (ARM Spot in {}); the feed covers {} regions",
        spot_book.len(),
        kept.len(),
        if kept.len() == 1 { "" } else { "s" },
        arm.len(),
        feed_regions.len()
    );
    for region in regions {
        if !all_regions && !feed_regions.contains(region) {
            notes.push(format!("the Spot feed has no prices for {region}"));
        }
    }
    for p in spot_book {
        book.insert(p);
    }
    summary
}

/// An AWS error of the Price List API; without credentials, says what works offline.
fn aws_error(e: AwsError) -> CliError {
    if e.kind != AwsErrorKind::NoCredentials {
        return e.into();
    }
    let hint = e.hint().unwrap_or_default();
    CliError::failure(e.to_string())
        .detail(format!("{hint}; the permission needed is pricing:GetProducts"))
        .detail("no credentials are needed offline: the embedded prices (`--prices embedded`) and `prices import` of downloaded offer files")
}

pub(crate) fn document_error(e: DocumentError) -> CliError {
    CliError::failure(e.to_string()).detail(
        "the price document breaks the layout AWS documents; nothing was written to the cache",
    )
}
