//! `prices export --embedded DIR`: the price cache written as the embedded data files
//! (`prices.csv`, `lambda-prices.csv`, `savings-plans.csv`, `eks-prices.csv`,
//! `ec2-instances.csv`: the embedded instance specs with the cache's prices), for maintainers
//! refreshing `data/` after `prices fetch --all-regions` (docs/prices.md, "Refreshing the
//! embedded books"). The CSV text comes from `core::pricing::csv_out`; this writes the files.
//!
//! Nothing is written unless the cache has every book; the files are all written to temporary
//! files first, and a folder that does not exist yet appears whole with one rename.

use super::super::args::PricesExportArgs;
use super::super::error::CliError;
use super::super::output::print;
use super::super::price_source::{REBUILD, embedded_ec2, locate};
use crate::cache::Contents;
use crate::core::pricing::Family;
use crate::core::pricing::csv_out::{eks_csv, fargate_csv, lambda_csv, savings_csv};
use chrono::NaiveDate;
use std::io::Write as _;
use std::path::Path;

/// One file to write: its name, its text, and a summary line.
struct Book {
    name: &'static str,
    text: String,
    summary: String,
}

pub fn run(args: PricesExportArgs) -> Result<(), CliError> {
    let cache = locate()?;
    let contents = cache.load()?;
    if let Some(reason) = &contents.ignored {
        return Err(CliError::failure(format!(
            "the price cache `{}` is corrupt: {reason}; nothing was written",
            cache.path().display()
        ))
        .detail(REBUILD));
    }
    let missing = missing_books(&contents);
    if !missing.is_empty() {
        let mut err = CliError::failure(format!(
            "the price cache `{}` has no {}; nothing was written to `{}`",
            cache.path().display(),
            missing
                .iter()
                .map(|(what, _)| *what)
                .collect::<Vec<_>>()
                .join(", "),
            args.embedded.display()
        ));
        for (what, how) in missing {
            err = err.detail(format!("{what}: {how}"));
        }
        return Err(err);
    }
    let books = books(&contents, &embedded_ec2()?);
    write_all(&args.embedded, &books)?;
    let mut out = String::new();
    for b in &books {
        out.push_str(&format!(
            "{}: {}\n",
            args.embedded.join(b.name).display(),
            b.summary
        ));
    }
    print(&out)
}

/// The books the cache lacks, each with how to get it.
fn missing_books(c: &Contents) -> Vec<(&'static str, &'static str)> {
    let mut missing = Vec::new();
    let families: std::collections::BTreeSet<Family> =
        c.book.iter().map(|p| p.dimension.family()).collect();
    if !families.contains(&Family::OnDemand) {
        missing.push((
            "Fargate on-demand prices (prices.csv)",
            "fetch them with `fargate-planner prices fetch --all-regions`",
        ));
    }
    if !families.contains(&Family::Spot) {
        missing.push((
            "Fargate Spot prices (prices.csv)",
            "fetch them with `fargate-planner prices fetch --all-regions` (without --no-spot), \
             or import a saved feed with `fargate-planner prices import fargate-spot-prices.json`",
        ));
    }
    if c.lambda.is_empty() {
        missing.push((
            "Lambda prices (lambda-prices.csv)",
            "fetch them with `fargate-planner prices fetch --all-regions` (without --no-lambda)",
        ));
    }
    if c.eks.is_empty() {
        missing.push((
            "EKS prices (eks-prices.csv)",
            "fetch them with `fargate-planner prices fetch --all-regions` (without --no-eks)",
        ));
    }
    if c.ec2.is_empty() {
        missing.push((
            "EC2 instance prices (ec2-instances.csv)",
            "fetch them with `fargate-planner prices fetch --all-regions` (without --no-ec2)",
        ));
    }
    if c.savings.is_empty() {
        missing.push((
            "Compute Savings Plans rates (savings-plans.csv)",
            "fetch them with `fargate-planner prices fetch --all-regions --savings-plans`, or \
             import each region's offer file with `fargate-planner prices import \
             https://pricing.us-east-1.amazonaws.com/savingsPlan/v1.0/aws/AWSComputeSavingsPlan/current/REGION/index.json`",
        ));
    }
    missing
}

fn summary(rows: usize, regions: usize, dates: impl Iterator<Item = NaiveDate>) -> String {
    let dates: Vec<NaiveDate> = dates.collect();
    let span = match (dates.iter().min(), dates.iter().max()) {
        (Some(a), Some(b)) if a == b => format!(", as of {a}"),
        (Some(a), Some(b)) => format!(", as of {a} to {b}"),
        _ => String::new(),
    };
    format!(
        "{rows} row{} for {regions} region{}{span}",
        if rows == 1 { "" } else { "s" },
        if regions == 1 { "" } else { "s" }
    )
}

fn books(c: &Contents, ec2: &crate::core::pricing::ec2::Ec2Book) -> Vec<Book> {
    let ec2 = ec2.clone().with_prices_only(&c.ec2);
    let ec2_regions: std::collections::BTreeSet<&str> =
        c.ec2.iter().map(|p| p.region.as_str()).collect();
    let savings_regions: std::collections::BTreeSet<&str> =
        c.savings.iter().map(|r| r.region.as_str()).collect();
    vec![
        Book {
            name: "prices.csv",
            text: fargate_csv(&c.book),
            summary: summary(
                c.book.len(),
                c.book.regions().len(),
                c.book.iter().map(|p| p.as_of),
            ),
        },
        Book {
            name: "lambda-prices.csv",
            text: lambda_csv(&c.lambda),
            summary: summary(
                c.lambda.iter().count(),
                c.lambda.regions().len(),
                c.lambda.iter().map(|p| p.as_of),
            ),
        },
        Book {
            name: "savings-plans.csv",
            text: savings_csv(&c.savings),
            summary: summary(
                c.savings.len(),
                savings_regions.len(),
                c.savings.iter().map(|r| r.as_of),
            ),
        },
        Book {
            name: "eks-prices.csv",
            text: eks_csv(&c.eks),
            summary: summary(
                c.eks.iter().count(),
                c.eks.regions().len(),
                c.eks.iter().map(|p| p.as_of),
            ),
        },
        Book {
            name: "ec2-instances.csv",
            text: ec2.to_csv(),
            summary: summary(
                ec2.prices().count(),
                ec2_regions.len(),
                ec2.prices().map(|p| p.as_of),
            ),
        },
    ]
}

fn io_error(path: &Path, what: &str, e: impl std::fmt::Display) -> CliError {
    CliError::failure(format!("cannot {what} `{}`: {e}", path.display()))
        .detail("nothing was written: the files are replaced only once all of them are ready")
}

/// Writes every book, or none: a new folder is built beside its place and renamed into it; in an
/// existing folder every file is written to a temporary file first, then each renamed over its
/// name.
fn write_all(dir: &Path, books: &[Book]) -> Result<(), CliError> {
    if !dir.exists() {
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| io_error(&parent, "create", e))?;
        let staging = tempfile::Builder::new()
            .prefix(".prices-export-")
            .tempdir_in(&parent)
            .map_err(|e| io_error(&parent, "write in", e))?;
        for b in books {
            let path = staging.path().join(b.name);
            let mut f = std::fs::File::create(&path).map_err(|e| io_error(&path, "write", e))?;
            f.write_all(b.text.as_bytes())
                .and_then(|()| f.sync_all())
                .map_err(|e| io_error(&path, "write", e))?;
        }
        let staged = staging.keep();
        return std::fs::rename(&staged, dir).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staged);
            io_error(dir, "create", e)
        });
    }
    let mut ready = Vec::new();
    for b in books {
        let mut tmp = tempfile::Builder::new()
            .prefix(".prices-export-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| io_error(dir, "write in", e))?;
        tmp.write_all(b.text.as_bytes())
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(|e| io_error(tmp.path(), "write", e))?;
        ready.push((tmp, dir.join(b.name)));
    }
    for (tmp, path) in ready {
        tmp.persist(&path).map_err(|e| {
            CliError::failure(format!("cannot write `{}`: {}", path.display(), e.error))
        })?;
    }
    Ok(())
}
