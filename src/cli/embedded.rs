//! The books embedded in the binary (Fargate, Lambda, Savings Plans, EKS, EC2), or the data files
//! of the folder `FARGATE_PLANNER_EMBEDDED_DIR` names instead (what `prices export --embedded DIR`
//! writes), so a regenerated set can be checked before it is committed (docs/prices.md,
//! "Refreshing the embedded books"); and their dates for `--version`.

use super::error::CliError;
use crate::core::pricing::ec2::Ec2Book;
use crate::core::pricing::eks::EksPriceBook;
use crate::core::pricing::lambda::LambdaPriceBook;
use crate::core::pricing::{Origin, PriceBook, SavingsRates};
use crate::core::rules::DataError;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The variable that replaces the embedded books with a folder's data files.
pub const EMBEDDED_DIR_VAR: &str = "FARGATE_PLANNER_EMBEDDED_DIR";

/// `$FARGATE_PLANNER_EMBEDDED_DIR`, when set and not empty.
fn embedded_dir() -> Option<PathBuf> {
    std::env::var_os(EMBEDDED_DIR_VAR)
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
}

/// A data file of the embedded-books folder, parsed by `parse` (path, text).
fn from_dir<T>(
    dir: &std::path::Path,
    name: &str,
    parse: impl FnOnce(&str, &str) -> Result<T, DataError>,
) -> Result<T, CliError> {
    let path = dir.join(name);
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|e| {
        CliError::bad_input(format!("{EMBEDDED_DIR_VAR}: cannot read `{shown}`: {e}")).detail(
            format!("the folder must hold what `fargate-planner prices export --embedded DIR` writes, or unset {EMBEDDED_DIR_VAR}"),
        )
    })?;
    Ok(parse(&shown, &text)?)
}

/// The embedded Fargate book (`data/prices.csv`), or the folder's `prices.csv`.
pub(crate) fn embedded_fargate() -> Result<PriceBook, CliError> {
    match embedded_dir() {
        None => Ok(PriceBook::embedded()?),
        Some(dir) => from_dir(&dir, "prices.csv", |f, t| {
            PriceBook::from_csv(f, t, Origin::Embedded)
        }),
    }
}

/// The embedded Lambda book (`data/lambda-prices.csv`), or the folder's `lambda-prices.csv`.
pub(crate) fn embedded_lambda() -> Result<LambdaPriceBook, CliError> {
    match embedded_dir() {
        None => Ok(LambdaPriceBook::embedded()?),
        Some(dir) => from_dir(&dir, "lambda-prices.csv", LambdaPriceBook::from_csv),
    }
}

/// The embedded Savings Plans rates (`data/savings-plans.csv`), or the folder's.
pub(crate) fn embedded_savings() -> Result<SavingsRates, CliError> {
    match embedded_dir() {
        None => Ok(SavingsRates::embedded()?),
        Some(dir) => from_dir(&dir, "savings-plans.csv", |f, t| {
            SavingsRates::from_csv(f, t, Origin::Embedded)
        }),
    }
}

/// The embedded EKS book (`data/eks-prices.csv`), or the folder's `eks-prices.csv`.
pub(crate) fn embedded_eks() -> Result<EksPriceBook, CliError> {
    match embedded_dir() {
        None => Ok(EksPriceBook::embedded()?),
        Some(dir) => from_dir(&dir, "eks-prices.csv", |f, t| {
            EksPriceBook::from_csv(f, t, Origin::Embedded)
        }),
    }
}

/// The embedded EC2 book (`data/ec2-instances.csv`), or the folder's `ec2-instances.csv`.
pub(crate) fn embedded_ec2() -> Result<Ec2Book, CliError> {
    match embedded_dir() {
        None => Ok(Ec2Book::embedded()?),
        Some(dir) => from_dir(&dir, "ec2-instances.csv", |f, t| {
            Ec2Book::from_csv(f, t, Origin::Embedded)
        }),
    }
}

/// For `--version`: the oldest and newest as-of dates of each embedded book, and its size.
pub(crate) fn embedded_dates() -> String {
    fn span(dates: impl Iterator<Item = chrono::NaiveDate>) -> String {
        let dates: Vec<chrono::NaiveDate> = dates.collect();
        match (dates.iter().min(), dates.iter().max()) {
            (Some(a), Some(b)) => format!("{a} … {b}"),
            _ => "none".to_string(),
        }
    }
    // A book's as-of dates, its size and its regions, or why it cannot be read.
    type Summary = Result<(Vec<chrono::NaiveDate>, usize, BTreeSet<String>), String>;
    fn summary<'a>(rows: impl Iterator<Item = (chrono::NaiveDate, &'a str)>) -> Summary {
        let rows: Vec<(chrono::NaiveDate, &str)> = rows.collect();
        let regions = rows.iter().map(|(_, r)| r.to_string()).collect();
        Ok((rows.iter().map(|(d, _)| *d).collect(), rows.len(), regions))
    }
    let books: [(&str, &str, Summary); 5] = [
        (
            "Fargate and Fargate Spot",
            "prices",
            PriceBook::embedded()
                .map_err(|e| e.to_string())
                .and_then(|b| summary(b.iter().map(|p| (p.as_of, p.region.as_str())))),
        ),
        (
            "Lambda",
            "prices",
            LambdaPriceBook::embedded()
                .map_err(|e| e.to_string())
                .and_then(|b| summary(b.iter().map(|p| (p.as_of, p.region.as_str())))),
        ),
        (
            "EKS",
            "prices",
            EksPriceBook::embedded()
                .map_err(|e| e.to_string())
                .and_then(|b| summary(b.iter().map(|p| (p.as_of, p.region.as_str())))),
        ),
        (
            "EC2 instances",
            "prices",
            Ec2Book::embedded()
                .map_err(|e| e.to_string())
                .and_then(|b| summary(b.prices().map(|p| (p.as_of, p.region.as_str())))),
        ),
        (
            "Compute Savings Plans",
            "rates",
            SavingsRates::embedded()
                .map_err(|e| e.to_string())
                .and_then(|b| summary(b.iter().map(|r| (r.as_of, r.region.as_str())))),
        ),
    ];
    let mut out = String::from("embedded prices (oldest … newest as-of date):");
    for (label, what, book) in books {
        out.push_str(&match book {
            Ok((dates, n, regions)) => format!(
                "\n  {label:<24}  {} ({n} {what}, {} regions)",
                span(dates.into_iter()),
                regions.len()
            ),
            Err(e) => format!("\n  {label}: {e}"),
        });
    }
    out
}
