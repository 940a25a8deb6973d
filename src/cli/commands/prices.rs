//! `prices show|fetch|import`: the price book as the pricing commands see it, a fetch from the
//! Price List API into the cache, and offer or Savings Plans files imported into it. The price
//! source itself is `cli::price_source`.

use super::super::args::{PricesFetchArgs, PricesImportArgs, PricesShowArgs};
use super::super::error::CliError;
use super::super::output::diag;
use super::super::output::{self, print};
use super::super::price_source::{
    LiveRequest, fetch_live, load_books, load_savings, locate, overlay_ec2, run_async,
};
use super::super::session::{facts, today};
use crate::aws::AwsOptions;
use crate::aws::http::{DEFAULT_SPOT_FEED_URL, HttpClient};
use crate::core::pricing::parse::{Parsed, detect};
use crate::core::pricing::{PriceBook, SavingsRates, coverage};
use crate::core::vocab::problem::did_you_mean;
use crate::export;
use chrono::Utc;
use std::fmt::Write as _;

pub fn show(args: PricesShowArgs) -> Result<(), CliError> {
    let regions: Vec<String> = args.region.iter().cloned().collect();
    let books = load_books(&args.prices, &regions, true)?;
    for w in &books.warnings {
        diag!("warning: {w}");
    }
    if args.coverage {
        let savings = load_savings(&args.prices)?;
        let facts = facts()?;
        let matrix = coverage::matrix(
            &coverage::Books {
                fargate: &books.fargate,
                lambda: &books.lambda,
                eks: &books.eks,
                savings: &savings,
            },
            &facts,
            today(),
        );
        return print(&export::prices::render_coverage(&matrix));
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
    let width = output::table_width(&output::Target::Stdout);
    let mut out = export::prices::render(&prices, today(), width);
    let lambda: Vec<_> = books
        .lambda
        .iter()
        .filter(|p| args.region.as_ref().is_none_or(|r| &p.region == r))
        .collect();
    if lambda.is_empty() {
        let _ = writeln!(
            out,
            "\nLambda prices: none for {} (`fargate-planner prices fetch --region REGION` fetches them)",
            args.region.as_deref().unwrap_or("any region")
        );
    } else {
        let _ = write!(
            out,
            "\nLambda prices (for `compare`)\n{}",
            export::prices::render_lambda(&lambda, today(), width)
        );
    }
    out.push_str(&ec2_summary(&books.ec2, args.region.as_deref()));
    print(&export::fit_lines(&out, width))
}

/// The EC2 book's lines in `prices show`: each type's price in the region, or a summary.
fn ec2_summary(book: &crate::core::pricing::ec2::Ec2Book, region: Option<&str>) -> String {
    let mut out = String::new();
    match region {
        Some(r) => {
            let rows: Vec<_> = book.prices().filter(|p| p.region == r).collect();
            if rows.is_empty() {
                let _ = writeln!(
                    out,
                    "\nEC2 instance prices: none for {r} (`fargate-planner prices fetch --region {r}` fetches them)"
                );
                return out;
            }
            let _ = writeln!(
                out,
                "\nEC2 instance prices (for `compare`; on-demand Linux, shared tenancy)"
            );
            for p in rows {
                let spec = book.spec(&p.instance_type);
                let _ = writeln!(
                    out,
                    "  {:<12} {:>3} vCPU {:>4} GiB {:>2} ENIs  ${}/hour  as of {}  ({})",
                    p.instance_type,
                    spec.map_or(0, |s| s.vcpu),
                    spec.map_or(0, |s| s.memory_mib / 1024),
                    spec.map_or(0, |s| s.max_enis),
                    p.usd_per_hour.normalize(),
                    p.as_of,
                    p.origin
                );
            }
        }
        None => {
            let regions = book.regions().len();
            let dates: Vec<_> = book.prices().map(|p| p.as_of).collect();
            let _ = writeln!(
                out,
                "\nEC2 instance prices (for `compare`): {} prices of {} types in {regions} regions, as of {} to {}; `prices show --region REGION` lists a region's",
                dates.len(),
                book.specs().count(),
                dates
                    .iter()
                    .min()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                dates
                    .iter()
                    .max()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            );
        }
    }
    out
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
        eks: !args.no_eks,
        ec2: !args.no_ec2,
        savings_plans: args.savings_plans,
    };
    let fetched = run_async(fetch_live(request))??;
    let replaced = cache.update_all(|c| {
        c.book.overlay(&fetched.book);
        c.lambda.overlay(&fetched.lambda);
        c.eks.overlay(&fetched.eks);
        overlay_ec2(&mut c.ec2, &fetched.ec2);
        c.savings.overlay(&fetched.savings);
    })?;
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
    for (region, n) in &fetched.eks_per_region {
        out.push_str(&format!(
            "{region}: {n} EKS prices (cluster fee, extended support, Fargate pods) from the Price List API (AmazonEKS)\n"
        ));
    }
    for (region, n) in &fetched.ec2_per_region {
        out.push_str(&format!(
            "{region}: {n} EC2 instance prices (on-demand Linux, shared tenancy) from the Price List API (AmazonEC2)\n"
        ));
    }
    for (region, n) in &fetched.savings_per_region {
        out.push_str(&format!(
            "{region}: {n} Compute Savings Plans rates for Fargate from the Price List (ListPriceLists ComputeSavingsPlans)\n"
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
    print(&out)?;
    if let Some(reason) = replaced {
        diag!("warning: the previous cache was corrupt and has been replaced ({reason})");
    }
    Ok(())
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
        parsed.check_plausible().map_err(|e| {
            CliError::bad_input(format!("{file}: {e}"))
                .detail("nothing was imported; a price list never holds such a value, so the file is damaged or not a price list")
        })?;
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
    let replaced = cache.update(|b, s| {
        b.overlay(&book);
        s.overlay(&savings);
    })?;
    let mut out = String::new();
    for l in lines {
        let _ = writeln!(out, "{l}");
    }
    let _ = writeln!(out, "cache updated: {}", cache.path().display());
    print(&out)?;
    if let Some(reason) = replaced {
        diag!("warning: the previous cache was corrupt and has been replaced ({reason})");
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
            let http = HttpClient::new()?;
            Ok(http.get_text(&url).await?)
        })?;
    }
    super::super::files::read_text(std::path::Path::new(file), "price file").map_err(|e| {
        e.detail("price files are UTF-8 JSON or CSV; a .gz download must be unpacked first")
    })
}
