//! The local price cache: prices fetched or imported, each with its origin, kept in one JSON file
//! in the user's cache directory (`FARGATE_PLANNER_CACHE_DIR` overrides it).
//!
//! Writes go through a temporary file in the same folder and a rename, under an exclusive lock
//! held only for read-merge-write, so two concurrent fetches never leave a torn or mixed file and
//! a killed fetch leaves the previous cache as it was. A cache that does not parse, or holds a
//! price that breaks the book's rules, is reported and ignored, never trusted.
//!
//! Lambda prices fetched from the Price List (ServiceCode `AWSLambda`) sit beside the Fargate
//! prices in `lambda_prices`; a cache written before they existed has no such field and loads
//! with none. EKS prices (ServiceCode `AmazonEKS`) sit in `eks_prices` the same way.

use crate::core::pricing::ec2::InstancePrice;
use crate::core::pricing::eks::{EksPrice, EksPriceBook};
use crate::core::pricing::lambda::{LambdaPrice, LambdaPriceBook};
use crate::core::pricing::{Price, PriceBook, SavingsRate, SavingsRates};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The variable that overrides the cache folder (tests, locked-down users).
pub const CACHE_DIR_VAR: &str = "FARGATE_PLANNER_CACHE_DIR";
const FILE_NAME: &str = "prices.json";
const LOCK_NAME: &str = "prices.lock";
/// Bumped when the layout changes; an older or newer layout is ignored with a warning.
const FORMAT: u32 = 1;

/// A cache problem: the folder or file could not be used.
#[derive(Debug, thiserror::Error)]
#[error("price cache `{path}`: {message}")]
pub struct CacheError {
    pub path: PathBuf,
    pub message: String,
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    updated_at: DateTime<Utc>,
    prices: Vec<Price>,
    #[serde(default)]
    savings_plans: Vec<SavingsRate>,
    /// Absent from caches written before Lambda prices could be fetched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    lambda_prices: Vec<LambdaPrice>,
    /// Absent from caches written before EKS prices could be fetched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    eks_prices: Vec<EksPrice>,
    /// Absent from caches written before EC2 instance prices could be fetched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    ec2_prices: Vec<InstancePrice>,
}

/// What the cache holds.
#[derive(Clone, Debug, Default)]
pub struct Contents {
    pub book: PriceBook,
    pub savings: SavingsRates,
    /// Lambda request and duration prices by region (empty in an older cache).
    pub lambda: LambdaPriceBook,
    /// EKS cluster fees and pod rates by region (empty in an older cache).
    pub eks: EksPriceBook,
    /// EC2 on-demand Linux instance prices by region and type (empty in an older cache).
    pub ec2: Vec<InstancePrice>,
    pub updated_at: Option<DateTime<Utc>>,
    /// Why the file was ignored, when it was.
    pub ignored: Option<String>,
}

/// The cache folder.
#[derive(Clone, Debug)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// `$FARGATE_PLANNER_CACHE_DIR`, else the platform's user cache folder
    /// (`~/.cache/fargate-planner` on Linux, `~/Library/Caches/fargate-planner` on macOS,
    /// `%LOCALAPPDATA%\fargate-planner\cache` on Windows).
    pub fn locate() -> Result<Cache, CacheError> {
        if let Some(dir) = std::env::var_os(CACHE_DIR_VAR).filter(|d| !d.is_empty()) {
            return Ok(Cache::at(PathBuf::from(dir)));
        }
        directories::ProjectDirs::from("", "", "fargate-planner")
            .map(|p| Cache::at(p.cache_dir().to_path_buf()))
            .ok_or_else(|| CacheError {
                path: PathBuf::new(),
                message: format!(
                    "no home folder to put a cache in; set {CACHE_DIR_VAR} to a writable folder"
                ),
            })
    }

    pub fn at(dir: PathBuf) -> Cache {
        Cache { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE_NAME)
    }

    /// Reads the cache. A missing file is an empty cache; a corrupt one is empty with
    /// `ignored` saying why. Only an unreadable file (permissions) is an error.
    pub fn load(&self) -> Result<Contents, CacheError> {
        let path = self.path();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Contents::default()),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                return Ok(ignored(format!("not UTF-8 text ({e})")));
            }
            Err(e) => {
                return Err(CacheError {
                    path,
                    message: format!("cannot read it: {e}"),
                });
            }
        };
        Ok(parse(&text).unwrap_or_else(ignored))
    }

    /// Reads, changes and writes the cache under the lock. A corrupt file is replaced; the
    /// returned string says so when it happened.
    pub fn update(
        &self,
        change: impl FnOnce(&mut PriceBook, &mut SavingsRates),
    ) -> Result<Option<String>, CacheError> {
        self.update_all(|c| change(&mut c.book, &mut c.savings))
    }

    /// Like [`Cache::update`], with every part of the cache (Lambda prices too) to change.
    pub fn update_all(
        &self,
        change: impl FnOnce(&mut Contents),
    ) -> Result<Option<String>, CacheError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| CacheError {
            path: self.dir.clone(),
            message: format!("cannot create the folder: {e}"),
        })?;
        let _lock = self.lock()?;
        let mut contents = self.load()?;
        let ignored = contents.ignored.take();
        change(&mut contents);
        let file = CacheFile {
            format: FORMAT,
            updated_at: Utc::now(),
            prices: contents.book.iter().cloned().collect(),
            savings_plans: contents.savings.iter().cloned().collect(),
            lambda_prices: contents.lambda.iter().cloned().collect(),
            eks_prices: contents.eks.iter().cloned().collect(),
            ec2_prices: contents.ec2.clone(),
        };
        let bytes = serde_json::to_vec_pretty(&file).map_err(|e| CacheError {
            path: self.path(),
            message: format!("cannot serialise: {e}"),
        })?;
        self.write_atomic(&bytes)?;
        Ok(ignored)
    }

    /// An exclusive lock on a side file, released when dropped (or when the process dies).
    fn lock(&self) -> Result<File, CacheError> {
        let path = self.dir.join(LOCK_NAME);
        let fail = |e: std::io::Error| CacheError {
            path: path.clone(),
            message: format!("cannot lock: {e}"),
        };
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(fail)?;
        file.lock().map_err(fail)?;
        Ok(file)
    }

    fn write_atomic(&self, bytes: &[u8]) -> Result<(), CacheError> {
        let path = self.path();
        let fail = |e: std::io::Error| CacheError {
            path: path.clone(),
            message: format!("cannot write: {e}"),
        };
        let mut tmp = tempfile::Builder::new()
            .prefix(".prices-")
            .suffix(".tmp")
            .tempfile_in(&self.dir)
            .map_err(fail)?;
        tmp.write_all(bytes).map_err(fail)?;
        tmp.as_file().sync_all().map_err(fail)?;
        tmp.persist(&path).map_err(|e| fail(e.error))?;
        Ok(())
    }
}

fn ignored(reason: String) -> Contents {
    Contents {
        ignored: Some(reason),
        ..Contents::default()
    }
}

/// Parses and checks the text of a cache file; any broken rule makes the whole file untrusted.
/// Public for the fuzz tests: any text is a value or an error.
pub fn parse(text: &str) -> Result<Contents, String> {
    let file: CacheFile =
        serde_json::from_str(text).map_err(|e| format!("not a price cache ({e})"))?;
    if file.format != FORMAT {
        return Err(format!(
            "cache layout {} where this version reads {FORMAT}",
            file.format
        ));
    }
    let mut book = PriceBook::default();
    for p in file.prices {
        if p.usd_per_unit <= Decimal::ZERO {
            return Err(format!(
                "{} {} is priced {}, not positive",
                p.region, p.dimension, p.usd_per_unit
            ));
        }
        if p.unit != p.dimension.info().unit {
            return Err(format!(
                "{} {} has unit `{}`, expected `{}`",
                p.region,
                p.dimension,
                p.unit,
                p.dimension.info().unit
            ));
        }
        if book.has(&p.region, p.dimension) {
            return Err(format!("{} {} appears twice", p.region, p.dimension));
        }
        book.insert(p);
    }
    let mut savings = SavingsRates::default();
    for r in file.savings_plans {
        r.validate()
            .map_err(|m| format!("Savings Plans rate for {}: {m}", r.region))?;
        savings.insert(r);
    }
    let lambda = LambdaPriceBook::from_prices(file.lambda_prices)?;
    let eks = EksPriceBook::from_prices(file.eks_prices)?;
    for p in &file.ec2_prices {
        crate::core::pricing::check_plausible(p.usd_per_hour)
            .map_err(|m| format!("EC2 {} {}: {m}", p.region, p.instance_type))?;
    }
    Ok(Contents {
        book,
        savings,
        lambda,
        eks,
        ec2: file.ec2_prices,
        updated_at: Some(file.updated_at),
        ignored: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::pricing::{Dimension, Origin};

    fn price(region: &str, d: Dimension, usd: &str) -> Price {
        Price {
            region: region.to_string(),
            dimension: d,
            usd_per_unit: usd.parse().unwrap(),
            unit: d.info().unit.to_string(),
            as_of: "2026-11-26".parse().unwrap(),
            source: "test".to_string(),
            origin: Origin::PriceListApi {
                fetched_at: "2026-11-26T10:00:00Z".parse().unwrap(),
            },
        }
    }

    #[test]
    fn a_round_trip_keeps_every_price_and_origin() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().join("nested"));
        assert!(cache.load().unwrap().book.is_empty());
        let note = cache
            .update(|book, _| {
                book.insert(price("us-east-1", Dimension::LinuxX86VcpuHour, "0.04048"));
            })
            .unwrap();
        assert_eq!(note, None);
        let loaded = cache.load().unwrap();
        let p = loaded
            .book
            .get("us-east-1", Dimension::LinuxX86VcpuHour)
            .unwrap();
        assert_eq!(
            p,
            &price("us-east-1", Dimension::LinuxX86VcpuHour, "0.04048")
        );
        assert!(loaded.updated_at.is_some());
        let leftovers: Vec<_> = std::fs::read_dir(cache.dir())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn a_corrupt_cache_is_ignored_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().to_path_buf());
        for bad in [
            "{\"format\": 1, \"updated_at\": \"2026-11-26T10:00:00Z\", \"prices\": [",
            "garbage",
            "{\"format\": 99, \"updated_at\": \"2026-11-26T10:00:00Z\", \"prices\": []}",
        ] {
            std::fs::write(cache.path(), bad).unwrap();
            let loaded = cache.load().unwrap();
            assert!(loaded.book.is_empty());
            assert!(loaded.ignored.is_some(), "{bad}");
        }
        // A zero price is a broken rule, not a price.
        let mut zero = price("us-east-1", Dimension::LinuxX86GbHour, "1");
        zero.usd_per_unit = Decimal::ZERO;
        let file = CacheFile {
            format: FORMAT,
            updated_at: Utc::now(),
            prices: vec![zero],
            savings_plans: vec![],
            lambda_prices: vec![],
            eks_prices: vec![],
            ec2_prices: vec![],
        };
        std::fs::write(cache.path(), serde_json::to_string(&file).unwrap()).unwrap();
        let loaded = cache.load().unwrap();
        assert!(loaded.ignored.unwrap().contains("not positive"));
        let note = cache
            .update(|book, _| book.insert(price("eu-west-1", Dimension::LinuxX86GbHour, "0.005")))
            .unwrap();
        assert!(note.is_some());
        assert_eq!(cache.load().unwrap().book.len(), 1);
    }

    #[test]
    fn concurrent_updates_never_tear_or_lose_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().to_path_buf());
        let regions: Vec<String> = (0..8).map(|i| format!("test-region-{i}")).collect();
        std::thread::scope(|s| {
            for region in &regions {
                let cache = cache.clone();
                s.spawn(move || {
                    for _ in 0..5 {
                        cache
                            .update(|book, _| {
                                book.insert(price(region, Dimension::LinuxX86VcpuHour, "0.04"))
                            })
                            .unwrap();
                        let loaded = cache.load().unwrap();
                        assert!(loaded.ignored.is_none(), "{:?}", loaded.ignored);
                    }
                });
            }
        });
        // Under the lock each update reads the previous one, so none is lost.
        assert_eq!(cache.load().unwrap().book.len(), regions.len());
    }

    fn lambda_price(region: &str, start: &str, end: Option<&str>, usd: &str) -> LambdaPrice {
        use crate::core::pricing::lambda::LambdaItem;
        use crate::core::vocab::platform::CpuArch;
        LambdaPrice {
            region: region.to_string(),
            architecture: CpuArch::Arm64,
            item: LambdaItem::Duration,
            tier_start: start.parse().unwrap(),
            tier_end: end.map(|e| e.parse().unwrap()),
            usd_per_unit: usd.parse().unwrap(),
            unit: "GB-second".to_string(),
            as_of: "2026-11-26".parse().unwrap(),
            source: "test".to_string(),
            origin: Origin::PriceListApi {
                fetched_at: "2026-11-26T10:00:00Z".parse().unwrap(),
            },
        }
    }

    #[test]
    fn a_cache_without_lambda_prices_still_loads_and_lambda_prices_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().to_path_buf());
        // The layout written before Lambda prices existed: no `lambda_prices` field.
        let old = r#"{"format": 1, "updated_at": "2026-11-20T10:00:00Z", "prices": [{"region": "us-east-1", "dimension": "linux_x86_gb_hour", "usd_per_unit": "0.004445", "unit": "GB-hour", "as_of": "2026-11-20", "source": "old", "origin": {"kind": "price_list_api", "fetched_at": "2026-11-20T10:00:00Z"}}], "savings_plans": []}"#;
        std::fs::write(cache.path(), old).unwrap();
        let loaded = cache.load().unwrap();
        assert_eq!(loaded.ignored, None);
        assert_eq!(loaded.book.len(), 1);
        assert!(loaded.lambda.is_empty());

        cache
            .update_all(|c| {
                let top = LambdaPriceBook::from_prices([
                    lambda_price("eu-west-1", "0", Some("7500000000"), "0.0000133334"),
                    lambda_price("eu-west-1", "7500000000", None, "0.0000120001"),
                ])
                .unwrap();
                c.lambda.overlay(&top);
            })
            .unwrap();
        let loaded = cache.load().unwrap();
        assert_eq!(loaded.book.len(), 1, "the Fargate price is kept");
        let tiers: Vec<&LambdaPrice> = loaded.lambda.iter().collect();
        assert_eq!(tiers.len(), 2);
        assert_eq!(
            tiers[0],
            &lambda_price("eu-west-1", "0", Some("7500000000"), "0.0000133334")
        );
        assert!(
            std::fs::read_to_string(cache.path())
                .unwrap()
                .contains("\"tier_end\": \"7500000000\"")
        );
        // An update of the Fargate prices alone keeps the Lambda prices.
        cache.update(|_, _| {}).unwrap();
        assert_eq!(cache.load().unwrap().lambda.iter().count(), 2);
    }

    #[test]
    fn eks_prices_round_trip_and_an_older_cache_has_none() {
        use crate::core::pricing::eks::EksItem;
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().to_path_buf());
        let fee = EksPrice {
            region: "eu-west-1".to_string(),
            item: EksItem::ClusterStandardHour,
            usd_per_unit: "0.1000000000".parse().unwrap(),
            unit: "cluster-hour".to_string(),
            as_of: "2026-11-20".parse().unwrap(),
            source: "test".to_string(),
            origin: Origin::PriceListApi {
                fetched_at: "2026-11-26T10:00:00Z".parse().unwrap(),
            },
        };
        cache
            .update_all(|c| {
                let top = EksPriceBook::from_prices([fee.clone()]).unwrap();
                c.eks.overlay(&top);
            })
            .unwrap();
        let loaded = cache.load().unwrap();
        assert_eq!(loaded.eks.iter().collect::<Vec<_>>(), vec![&fee]);
        // An update of the other parts keeps them.
        cache.update(|_, _| {}).unwrap();
        assert_eq!(cache.load().unwrap().eks.iter().count(), 1);
        // A zero fee makes the cache untrusted.
        let text = std::fs::read_to_string(cache.path())
            .unwrap()
            .replace("\"0.1000000000\"", "\"0\"");
        std::fs::write(cache.path(), text).unwrap();
        let why = cache.load().unwrap().ignored.unwrap_or_default();
        assert!(why.contains("not positive"), "{why}");
    }

    #[test]
    fn lambda_prices_that_break_the_rules_make_the_cache_untrusted() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().to_path_buf());
        for (tiers, want) in [
            (
                vec![
                    lambda_price("eu-west-1", "0", Some("7500000000"), "0.0000133334"),
                    lambda_price("eu-west-1", "8000000000", None, "0.0000120001"),
                ],
                "gap or overlap",
            ),
            (
                vec![lambda_price("eu-west-1", "0", None, "0")],
                "not positive",
            ),
        ] {
            let file = CacheFile {
                format: FORMAT,
                updated_at: Utc::now(),
                prices: vec![],
                savings_plans: vec![],
                lambda_prices: tiers,
                eks_prices: vec![],
                ec2_prices: vec![],
            };
            std::fs::write(cache.path(), serde_json::to_string(&file).unwrap()).unwrap();
            let loaded = cache.load().unwrap();
            assert!(loaded.lambda.is_empty());
            let why = loaded.ignored.unwrap_or_default();
            assert!(why.contains(want), "{why}");
        }
    }
}
