//! Which regions each book can price, and how fresh: the region × dimension matrix of
//! `prices show --coverage` (Fargate, Spot, Lambda, EKS, Savings Plans), computed here so the exporter only draws it.
//!
//! A cell is fresh (every price it needs is at most a year old on the report date), old (all
//! present, one or more older), partial (some present), missing, or not sold (AWS sells no such
//! task in the region, a rule in `data/fargate-rules.toml`, so there is nothing to fetch).

use super::eks::{EksItem, EksPriceBook};
use super::lambda::LambdaPriceBook;
use super::{Dimension, PriceBook, SavingsRates};
use crate::core::rules::Facts;
use crate::core::vocab::platform::CpuArch;
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// The state of one region in one column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cell {
    Fresh,
    Old,
    Partial,
    Missing,
    NotSold,
}

impl Cell {
    pub const ALL: [Cell; 5] = [
        Cell::Fresh,
        Cell::Old,
        Cell::Partial,
        Cell::Missing,
        Cell::NotSold,
    ];

    /// From the as-of dates of the prices a cell needs (`None`: absent).
    fn of(dates: &[Option<NaiveDate>], today: NaiveDate) -> Cell {
        let present: Vec<NaiveDate> = dates.iter().flatten().copied().collect();
        if present.is_empty() {
            Cell::Missing
        } else if present.len() < dates.len() {
            Cell::Partial
        } else if present.iter().any(|d| super::is_stale(*d, today)) {
            Cell::Old
        } else {
            Cell::Fresh
        }
    }
}

/// A column of the matrix: what it covers, in which book.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// A short heading (the matrix must fit 100 columns).
    pub label: &'static str,
    /// What it means, for the legend.
    pub meaning: &'static str,
}

pub const COLUMNS: &[Column] = &[
    Column {
        label: "x86",
        meaning: "Fargate Linux/X86_64 vCPU and GB (data/prices.csv)",
    },
    Column {
        label: "ARM",
        meaning: "Fargate Linux/ARM64 vCPU and GB",
    },
    Column {
        label: "Win",
        meaning: "Fargate Windows vCPU, GB and OS licence",
    },
    Column {
        label: "disk",
        meaning: "ephemeral storage above 20 GiB",
    },
    Column {
        label: "Sx86",
        meaning: "Fargate Spot X86_64 (the Spot feed)",
    },
    Column {
        label: "SARM",
        meaning: "Fargate Spot ARM64",
    },
    Column {
        label: "Lx86",
        meaning: "Lambda X86_64 requests and duration (data/lambda-prices.csv)",
    },
    Column {
        label: "LARM",
        meaning: "Lambda ARM64 requests and duration",
    },
    Column {
        label: "EKSp",
        meaning: "EKS on Fargate pod vCPU and GB (data/eks-prices.csv)",
    },
    Column {
        label: "EKSc",
        meaning: "EKS cluster fee, standard and extended support",
    },
    Column {
        label: "SPx86",
        meaning: "Compute Savings Plans rates, X86_64 (data/savings-plans.csv)",
    },
    Column {
        label: "SPARM",
        meaning: "Compute Savings Plans rates, ARM64",
    },
];

/// One region's cells, in [`COLUMNS`] order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub region: String,
    pub cells: Vec<Cell>,
}

/// The matrix and the size of each book it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matrix {
    pub today: NaiveDate,
    pub rows: Vec<Row>,
    /// Price rows per book: Fargate (incl. Spot), Lambda tiers, Savings Plans rates.
    pub fargate_prices: usize,
    pub lambda_prices: usize,
    pub eks_prices: usize,
    pub savings_rates: usize,
}

impl Matrix {
    /// How many regions have `cell` in column `col`.
    pub fn count(&self, col: usize, cell: Cell) -> usize {
        self.rows.iter().filter(|r| r.cells[col] == cell).count()
    }
}

/// The books to chart.
pub struct Books<'a> {
    pub fargate: &'a PriceBook,
    pub lambda: &'a LambdaPriceBook,
    pub eks: &'a EksPriceBook,
    pub savings: &'a SavingsRates,
}

/// Every region where Fargate is sold or any book has a price, one row each, sorted.
pub fn matrix(books: &Books<'_>, facts: &Facts, today: NaiveDate) -> Matrix {
    let mut regions: BTreeSet<&str> = facts
        .rules
        .regions
        .fargate
        .iter()
        .map(String::as_str)
        .collect();
    regions.extend(books.fargate.regions());
    regions.extend(books.lambda.regions());
    regions.extend(books.eks.regions());
    regions.extend(books.savings.iter().map(|r| r.region.as_str()));
    let rows = regions
        .into_iter()
        .map(|region| Row {
            region: region.to_string(),
            cells: cells(books, facts, region, today),
        })
        .collect();
    Matrix {
        today,
        rows,
        fargate_prices: books.fargate.len(),
        lambda_prices: books.lambda.iter().count(),
        eks_prices: books.eks.iter().count(),
        savings_rates: books.savings.len(),
    }
}

fn cells(books: &Books<'_>, facts: &Facts, region: &str, today: NaiveDate) -> Vec<Cell> {
    use Dimension as D;
    let fargate = |dims: &[Dimension]| {
        let dates: Vec<Option<NaiveDate>> = dims
            .iter()
            .map(|d| books.fargate.get(region, *d).ok().map(|p| p.as_of))
            .collect();
        Cell::of(&dates, today)
    };
    let lambda = |arch: CpuArch| match books.lambda.rates(region, arch) {
        Ok(rates) => {
            let dates: Vec<Option<NaiveDate>> = rates.prices().map(|p| Some(p.as_of)).collect();
            Cell::of(&dates, today)
        }
        Err(_) => Cell::Missing,
    };
    let eks = |items: &[EksItem]| {
        let dates: Vec<Option<NaiveDate>> = items
            .iter()
            .map(|i| books.eks.get(region, *i).ok().map(|p| p.as_of))
            .collect();
        Cell::of(&dates, today)
    };
    let savings = |arch: &str| {
        let dates: Vec<Option<NaiveDate>> = books
            .savings
            .iter()
            .filter(|r| r.region == region && r.architecture == arch)
            .map(|r| Some(r.as_of))
            .collect();
        Cell::of(&dates, today)
    };
    let windows_not_sold = facts
        .rules
        .regions
        .windows_not_sold
        .iter()
        .any(|r| r == region);
    let windows = match fargate(&[
        D::WindowsVcpuHour,
        D::WindowsGbHour,
        D::WindowsOsLicenseVcpuHour,
    ]) {
        Cell::Missing if windows_not_sold => Cell::NotSold,
        cell => cell,
    };
    vec![
        fargate(&[D::LinuxX86VcpuHour, D::LinuxX86GbHour]),
        fargate(&[D::LinuxArmVcpuHour, D::LinuxArmGbHour]),
        windows,
        fargate(&[D::EphemeralStorageGbHour]),
        fargate(&[D::SpotX86VcpuHour, D::SpotX86GbHour]),
        fargate(&[D::SpotArmVcpuHour, D::SpotArmGbHour]),
        lambda(CpuArch::X86_64),
        lambda(CpuArch::Arm64),
        eks(&[EksItem::PodLinuxX86VcpuHour, EksItem::PodLinuxX86GbHour]),
        eks(&[
            EksItem::ClusterStandardHour,
            EksItem::ClusterExtendedSurchargeHour,
        ]),
        savings("X86_64"),
        savings("ARM64"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_cell_is_fresh_old_partial_or_missing() {
        let today = date("2026-11-30");
        let fresh = Some(date("2026-01-01"));
        let old = Some(date("2025-11-29"));
        assert_eq!(Cell::of(&[fresh, fresh], today), Cell::Fresh);
        assert_eq!(Cell::of(&[fresh, old], today), Cell::Old);
        assert_eq!(Cell::of(&[fresh, None], today), Cell::Partial);
        assert_eq!(Cell::of(&[None, None], today), Cell::Missing);
        assert_eq!(Cell::of(&[], today), Cell::Missing);
        // Exactly a year is still fresh, as `Price::is_stale` says.
        assert_eq!(Cell::of(&[Some(date("2025-11-30"))], today), Cell::Fresh);
    }

    #[test]
    fn the_embedded_books_cover_every_fargate_region() {
        let facts = Facts::embedded().unwrap();
        let fargate = PriceBook::embedded().unwrap();
        let lambda = LambdaPriceBook::embedded().unwrap();
        let eks = EksPriceBook::embedded().unwrap();
        let savings = SavingsRates::embedded().unwrap();
        let books = Books {
            fargate: &fargate,
            lambda: &lambda,
            eks: &eks,
            savings: &savings,
        };
        let m = matrix(&books, &facts, date("2026-11-30"));
        assert_eq!(m.rows.len(), 36);
        assert_eq!(m.fargate_prices, 336);
        let col = |label: &str| COLUMNS.iter().position(|c| c.label == label).unwrap();
        let row = |region: &str| m.rows.iter().find(|r| r.region == region).unwrap();
        // Every region prices Linux on both architectures and storage.
        for label in ["x86", "ARM", "disk"] {
            assert_eq!(
                m.count(col(label), Cell::Missing) + m.count(col(label), Cell::Partial),
                0,
                "{label}"
            );
        }
        assert_eq!(row("ap-east-2").cells[col("Win")], Cell::NotSold);
        assert_eq!(m.count(col("Win"), Cell::NotSold), 2);
        assert_eq!(row("us-east-1").cells[col("SPx86")], Cell::Fresh);
        // Spot rows from 2021 are old on 2026-11-30.
        assert_eq!(row("us-west-2").cells[col("Sx86")], Cell::Old);
        assert_eq!(row("ca-west-1").cells[col("Sx86")], Cell::Missing);
        // Lambda and the EKS fee everywhere; EKS pods everywhere but GovCloud.
        for label in ["Lx86", "LARM", "EKSc"] {
            assert_eq!(m.count(col(label), Cell::Missing), 0, "{label}");
        }
        assert_eq!(row("us-gov-west-1").cells[col("EKSp")], Cell::Missing);
        assert_eq!(m.count(col("EKSp"), Cell::Missing), 2);
    }
}
