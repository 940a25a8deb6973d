//! `prices show|fetch|import` and the price source every pricing command uses
//! (`--prices auto|embedded|cache|live`): the embedded snapshot, the local cache, or a fetch now.

use super::super::args::{
    PriceArgs, PriceSource, PricesFetchArgs, PricesImportArgs, PricesShowArgs,
};
use super::super::error::CliError;
use super::super::load::read_plan;
use super::today;
use crate::aws::http::{DEFAULT_SPOT_FEED_URL, HttpClient};
use crate::aws::pricing::{PricingClient, Products};
use crate::aws::{AwsError, AwsErrorKind, AwsOptions};
use crate::cache::{Cache, CacheError, Contents};
use crate::core::lambda::LambdaPriceBook;
use crate::core::pricelist::{DocumentError, Parsed, api, detect, lambda, spot};
use crate::core::prices::{PriceBook, SavingsRates};
use crate::core::problem::did_you_mean;
use crate::export;
use chrono::Utc;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

/// A cache older than this draws a warning.
const CACHE_MAX_AGE_DAYS: i64 = 30;

pub fn show(args: PricesShowArgs) -> Result<(), CliError> {
    let regions: Vec<String> = args.region.iter().cloned().collect();
    let books = load_books(&args.prices, &regions, true)?;
    for w in &books.warnings {
        eprintln!("warning: {w}");
    }
    let book = books.fargate;
    let prices: Vec<_> = match &args.region {
        None => book.iter().collect(),
        Some(region) => {
            if !book.has_region(region) {
                let known = book.regions();
                let mut err = CliError::bad_input(format!("no prices for region `{region}`"));
                if let Some(best) = did_you_mean(region, known.iter().copied()) {
                    err = err.detail(format!("did you mean `{best}`?"));
                }
                return Err(err.detail(format!("known regions: {}", known.join(", "))));
            }
            book.in_region(region).collect()
        }
    };
    print!("{}", export::prices::render(&prices, today()));
    let lambda: Vec<_> = books
        .lambda
        .iter()
        .filter(|p| args.region.as_ref().is_none_or(|r| &p.region == r))
        .collect();
    if lambda.is_empty() {
        println!(
            "\nLambda prices: none for {} (`fargate-planner prices fetch --region REGION` fetches them)",
            args.region.as_deref().unwrap_or("any region")
        );
    } else {
        print!(
            "\nLambda prices (for `compare`)\n{}",
            export::prices::render_lambda(&lambda, today())
        );
    }
    Ok(())
}

/// The regions a plan file names (plan default and services), for `--prices live`.
pub(crate) fn plan_regions(path: &Path) -> Result<Vec<String>, CliError> {
    let parsed = read_plan(path)?;
    let mut regions: BTreeSet<String> = BTreeSet::new();
    if let Some(r) = parsed.raw.plan.as_ref().and_then(|p| p.region.clone()) {
        regions.insert(r);
    }
    regions.extend(parsed.raw.service.iter().filter_map(|s| s.region.clone()));
    Ok(regions.into_iter().collect())
}

/// The book for `--prices`, with warnings; see [`super::price_book_for`].
pub(crate) fn load_book(
    args: &PriceArgs,
    regions: &[String],
) -> Result<(PriceBook, Vec<String>), CliError> {
    let books = load_books(args, regions, false)?;
    Ok((books.fargate, books.warnings))
}

/// The Fargate and Lambda prices a command prices with.
pub(crate) struct Books {
    pub fargate: PriceBook,
    /// The embedded Lambda table, with the cache's or fetched regions laid over it as `--prices`
    /// says (only the cache's with `--prices cache`).
    pub lambda: LambdaPriceBook,
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
    let embedded = PriceBook::embedded().map_err(|e| CliError::failure(e.to_string()))?;
    let embedded_lambda =
        LambdaPriceBook::embedded().map_err(|e| CliError::failure(e.to_string()))?;
    let books = |fargate: PriceBook, lambda: LambdaPriceBook, warnings: Vec<String>| Books {
        fargate,
        lambda,
        warnings,
    };
    match args.source {
        PriceSource::Embedded => Ok(books(embedded, embedded_lambda, Vec::new())),
        PriceSource::Cache | PriceSource::Auto => {
            let cache = locate()?;
            let contents = cache.load().map_err(cache_error)?;
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
            if args.source == PriceSource::Cache {
                if contents.book.is_empty() {
                    return Err(CliError::failure(format!(
                        "the price cache `{}` has no prices",
                        cache.path().display()
                    ))
                    .detail(REBUILD));
                }
                Ok(books(contents.book, contents.lambda, warnings))
            } else {
                Ok(books(
                    embedded.overlaid(&contents.book),
                    embedded_lambda.overlaid(&contents.lambda),
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
                    profile: None,
                    region: Some(args.pricing_region.clone()),
                    endpoint_url: None,
                },
                spot_feed_url: Some(
                    args.spot_feed_url
                        .clone()
                        .unwrap_or_else(|| DEFAULT_SPOT_FEED_URL.to_string()),
                ),
                concurrency: 8,
                lambda: with_lambda,
            };
            let fetched = run_async(fetch_live(request))??;
            let mut warnings = fetched.notes.clone();
            // Keep what was fetched; a cache that cannot be written does not spoil the report.
            match locate().and_then(|c| {
                c.update_all(|c| {
                    c.book.overlay(&fetched.book);
                    c.lambda.overlay(&fetched.lambda);
                })
                .map_err(cache_error)
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
                warnings,
            ))
        }
    }
}

const REBUILD: &str = "rebuild it with `fargate-planner prices fetch --region REGION` or \
    `fargate-planner prices import FILE`, or use `--prices embedded`";

fn age_warning(cache: &Cache, contents: &Contents) -> Option<String> {
    let oldest = contents
        .book
        .oldest_retrieval()
        .into_iter()
        .chain(contents.lambda.oldest_retrieval())
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
    let mut rates = SavingsRates::embedded().map_err(|e| CliError::failure(e.to_string()))?;
    if args.source != PriceSource::Embedded
        && let Ok(cache) = Cache::locate()
        && let Ok(contents) = cache.load()
    {
        rates.overlay(&contents.savings);
    }
    Ok(rates)
}

fn locate() -> Result<Cache, CliError> {
    Cache::locate().map_err(cache_error)
}

fn cache_error(e: CacheError) -> CliError {
    CliError::failure(e.to_string()).detail(format!(
        "set {} to a writable folder to keep the cache elsewhere",
        crate::cache::CACHE_DIR_VAR
    ))
}

fn run_async<F: std::future::Future>(future: F) -> Result<F::Output, CliError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::failure(format!("cannot start the async runtime: {e}")))?;
    Ok(runtime.block_on(future))
}

pub fn fetch(args: PricesFetchArgs) -> Result<(), CliError> {
    // Fail on a broken cache folder before any network work.
    let cache = locate()?;
    let request = LiveRequest {
        regions: args.regions.clone(),
        all_regions: args.all_regions,
        aws: AwsOptions {
            profile: args.profile.clone(),
            region: Some(args.pricing_region.clone()),
            endpoint_url: args.endpoint_url.clone(),
        },
        spot_feed_url: (!args.no_spot).then(|| {
            args.spot_feed_url
                .clone()
                .unwrap_or_else(|| DEFAULT_SPOT_FEED_URL.to_string())
        }),
        concurrency: usize::from(args.concurrency),
        lambda: !args.no_lambda,
    };
    let fetched = run_async(fetch_live(request))??;
    let replaced = cache
        .update_all(|c| {
            c.book.overlay(&fetched.book);
            c.lambda.overlay(&fetched.lambda);
        })
        .map_err(cache_error)?;
    let mut out = String::new();
    for (region, n) in &fetched.per_region {
        out.push_str(&format!(
            "{region}: {n} on-demand prices from the Price List API\n"
        ));
    }
    for (region, n) in &fetched.lambda_per_region {
        out.push_str(&format!(
            "{region}: {n} Lambda prices (request and duration tiers) from the Price List API (AWSLambda)\n"
        ));
    }
    if let Some(summary) = &fetched.spot_summary {
        out.push_str(summary);
        out.push('\n');
    }
    for note in &fetched.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    out.push_str(&format!("cache updated: {}\n", cache.path().display()));
    print!("{out}");
    if let Some(reason) = replaced {
        eprintln!("warning: the previous cache was corrupt and has been replaced ({reason})");
    }
    Ok(())
}

/// What to fetch live.
struct LiveRequest {
    regions: Vec<String>,
    all_regions: bool,
    aws: AwsOptions,
    spot_feed_url: Option<String>,
    concurrency: usize,
    /// Fetch the regions' Lambda prices (ServiceCode `AWSLambda`) too.
    lambda: bool,
}

/// What a live fetch brought back.
struct Fetched {
    book: PriceBook,
    per_region: Vec<(String, usize)>,
    lambda: LambdaPriceBook,
    /// Regions with Lambda prices, and how many price rows (tiers) each.
    lambda_per_region: Vec<(String, usize)>,
    spot_summary: Option<String>,
    notes: Vec<String>,
}

async fn fetch_live(req: LiveRequest) -> Result<Fetched, CliError> {
    let fetched_at = Utc::now();
    let client = PricingClient::connect(&req.aws).await;
    let spot_task = {
        let url = req.spot_feed_url.clone();
        tokio::spawn(async move {
            match url {
                None => Ok::<Option<Parsed>, CliError>(None),
                Some(url) => {
                    let http = HttpClient::new().map_err(|e| CliError::failure(e.to_string()))?;
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
            }
        })
    };
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
    let bar = progress_bar(queries.len() as u64);
    let on_done: Arc<dyn Fn(&str) + Send + Sync> = {
        let bar = bar.clone();
        Arc::new(move |region: &str| {
            bar.set_message(region.to_string());
            bar.inc(1);
        })
    };
    let results = client.pages_of(&queries, req.concurrency, on_done).await;
    bar.finish_and_clear();
    let mut book = PriceBook::default();
    let mut per_region = Vec::new();
    let mut lambda_prices = Vec::new();
    let mut lambda_per_region = Vec::new();
    let mut without_lambda = Vec::new();
    let mut notes = Vec::new();
    let mut errors: Vec<CliError> = Vec::new();
    let mut without_fargate = Vec::new();
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
        match api::parse_region(&region, &pages, fetched_at) {
            Ok(parsed) => {
                per_region.push((region.clone(), parsed.prices.len()));
                for p in parsed.prices {
                    book.insert(p);
                }
            }
            Err(e) if req.all_regions && e.message.starts_with("no Fargate prices") => {
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
    let lambda = match LambdaPriceBook::from_prices(lambda_prices) {
        Ok(b) => b,
        Err(m) => {
            errors.push(CliError::failure(format!(
                "the fetched Lambda prices break the rules: {m}"
            )));
            LambdaPriceBook::default()
        }
    };
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
    let mut spot_summary = None;
    if let Some(parsed) = spot {
        let wanted: BTreeSet<&str> = regions.iter().map(String::as_str).collect();
        let feed_regions = parsed.regions();
        let spot_book: Vec<_> = parsed
            .prices
            .into_iter()
            .filter(|p| req.all_regions || wanted.contains(p.region.as_str()))
            .collect();
        let version = parsed.published.unwrap_or_default();
        let kept: BTreeSet<String> = spot_book.iter().map(|p| p.region.clone()).collect();
        let arm: BTreeSet<&str> = spot_book
            .iter()
            .filter(|p| p.dimension.id().starts_with("spot_arm"))
            .map(|p| p.region.as_str())
            .collect();
        spot_summary = Some(format!(
            "Spot feed {version}: {} prices for {} region{} (ARM Spot in {}); the feed covers {} regions",
            spot_book.len(),
            kept.len(),
            if kept.len() == 1 { "" } else { "s" },
            arm.len(),
            feed_regions.len()
        ));
        for region in &regions {
            if !req.all_regions && !feed_regions.contains(region) {
                notes.push(format!("the Spot feed has no prices for {region}"));
            }
        }
        for p in spot_book {
            book.insert(p);
        }
    }
    Ok(Fetched {
        book,
        per_region,
        lambda,
        lambda_per_region,
        spot_summary,
        notes,
    })
}

/// A bar on stderr when it is a terminal; silent otherwise.
fn progress_bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() || len < 2 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} price lists {msg}") {
        bar.set_style(style);
    }
    bar
}

fn aws_error(e: AwsError) -> CliError {
    let kind = e.kind;
    let hint = e.hint();
    let mut err = CliError::failure(e.to_string());
    if kind == AwsErrorKind::NoCredentials {
        err = err
            .detail("estimates work offline without credentials: `report` and `prices show` use the embedded prices (`--prices embedded`), and `prices import` reads offer files downloaded without credentials")
            .detail("for live prices, configure credentials: `aws configure`, `aws sso login`, AWS_PROFILE or --profile, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; the permission needed is pricing:GetProducts (and pricing:GetAttributeValues for --all-regions)");
    } else if let Some(h) = hint {
        err = err.detail(h);
    }
    err
}

fn document_error(e: DocumentError) -> CliError {
    CliError::failure(e.to_string()).detail(
        "the price document breaks the layout AWS documents; nothing was written to the cache",
    )
}

pub fn import(args: PricesImportArgs) -> Result<(), CliError> {
    let cache = locate()?;
    let now = Utc::now();
    let mut book = PriceBook::default();
    let mut savings = SavingsRates::default();
    let mut lines = Vec::new();
    for file in &args.files {
        let text = read_source(file)?;
        let parsed: Parsed =
            detect::parse_any(file, &text, now).map_err(|e| CliError::bad_input(e.to_string()))?;
        lines.push(summary(file, &parsed));
        let mut top = PriceBook::default();
        for p in parsed.prices {
            top.insert(p);
        }
        book.overlay(&top);
        let mut top_sav = SavingsRates::default();
        for r in parsed.savings {
            top_sav.insert(r);
        }
        savings.overlay(&top_sav);
    }
    let replaced = cache
        .update(|b, s| {
            b.overlay(&book);
            s.overlay(&savings);
        })
        .map_err(cache_error)?;
    for l in lines {
        println!("{l}");
    }
    println!("cache updated: {}", cache.path().display());
    if let Some(reason) = replaced {
        eprintln!("warning: the previous cache was corrupt and has been replaced ({reason})");
    }
    Ok(())
}

fn summary(file: &str, parsed: &Parsed) -> String {
    let regions = parsed.regions();
    let what = if parsed.savings.is_empty() {
        format!("{} prices", parsed.prices.len())
    } else {
        format!("{} Savings Plans rates", parsed.savings.len())
    };
    let listed: Vec<&str> = regions.iter().map(String::as_str).take(6).collect();
    format!(
        "{file}: {}{}, {what} in {} region{} ({}{}), {} other rows skipped",
        parsed.kind,
        parsed
            .published
            .as_deref()
            .map(|p| format!(" published {p}"))
            .unwrap_or_default(),
        regions.len(),
        if regions.len() == 1 { "" } else { "s" },
        listed.join(", "),
        if regions.len() > listed.len() {
            ", ..."
        } else {
            ""
        },
        parsed.skipped
    )
}

/// A local file, or an https:// URL downloaded without credentials.
fn read_source(file: &str) -> Result<String, CliError> {
    if file.starts_with("https://") || file.starts_with("http://") {
        let url = file.to_string();
        return run_async(async move {
            let http = HttpClient::new().map_err(|e| CliError::failure(e.to_string()))?;
            http.get_text(&url)
                .await
                .map_err(|e| CliError::failure(e.to_string()))
        })?;
    }
    std::fs::read_to_string(file).map_err(|e| {
        let err = CliError::bad_input(format!("cannot read `{file}`: {e}"));
        if e.kind() == std::io::ErrorKind::InvalidData {
            err.detail("price files are UTF-8 JSON or CSV; a .gz download must be unpacked first")
        } else {
            err
        }
    })
}
