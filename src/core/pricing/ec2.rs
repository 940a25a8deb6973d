//! EC2 instance types for ECS capacity: each type's specs (vCPU, memory, ENIs) and its on-demand
//! Linux shared-tenancy price per hour by region, each with its source and date, so `compare` and
//! `recommend` can price the same tasks on container instances offline.
//!
//! The embedded table is `data/ec2-instances.csv`
//! (`instance_type,region,vcpu,memory_gib,max_enis,ipv4_per_eni,usd_per_hour,as_of,source`): a
//! row with an empty `region` gives a type's specs, a row with a region its price there. A type
//! missing in a region has no on-demand Linux price there; it is never priced from another region.
//! The CPU architecture follows the type's family name (`m7g` is Graviton, ARM64); the specs'
//! sources say the same (a test checks it).

use crate::core::pricing::Origin;
use crate::core::rules::DataError;
use crate::core::vocab::platform::CpuArch;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::str::FromStr;

const EMBEDDED_CSV: &str = include_str!("../../../data/ec2-instances.csv");

/// The columns of `data/ec2-instances.csv`, in order.
pub const EC2_HEADER: &str =
    "instance_type,region,vcpu,memory_gib,max_enis,ipv4_per_eni,usd_per_hour,as_of,source";

/// What an instance type offers a container instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceSpec {
    pub instance_type: String,
    pub vcpu: u32,
    /// Installed memory in MiB (GiB × 1024).
    pub memory_mib: u32,
    /// Network interfaces the type can attach, the primary one included.
    pub max_enis: u32,
    pub ipv4_per_eni: u32,
    pub arch: CpuArch,
    pub as_of: NaiveDate,
    pub source: String,
}

impl InstanceSpec {
    /// `m7g` of `m7g.large`.
    pub fn family(&self) -> &str {
        family(&self.instance_type)
    }

    /// A burstable type (t3, t4g): its CPU runs on credits above a baseline.
    pub fn is_burstable(&self) -> bool {
        self.instance_type.starts_with('t')
    }
}

/// `m7g` of `m7g.large`.
pub fn family(instance_type: &str) -> &str {
    instance_type.split('.').next().unwrap_or(instance_type)
}

/// ARM64 (Graviton) when the family's letters after its generation number hold a `g` (`m7g`,
/// `t4g`, `c6g`), else X86_64 (`m7i`, `m7a`, `t3`).
pub fn arch_of(instance_type: &str) -> CpuArch {
    let fam = family(instance_type);
    let suffix = fam
        .rsplit(|c: char| c.is_ascii_digit())
        .next()
        .unwrap_or("");
    if suffix.contains('g') {
        CpuArch::Arm64
    } else {
        CpuArch::X86_64
    }
}

/// An on-demand Linux price of one type in one region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstancePrice {
    pub region: String,
    pub instance_type: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub usd_per_hour: Decimal,
    pub as_of: NaiveDate,
    pub source: String,
    pub origin: Origin,
}

impl InstancePrice {
    pub fn is_stale(&self, today: NaiveDate) -> bool {
        super::is_stale(self.as_of, today)
    }
}

/// Instance specs and prices.
#[derive(Clone, Debug, Default)]
pub struct Ec2Book {
    specs: BTreeMap<String, InstanceSpec>,
    prices: BTreeMap<(String, String), InstancePrice>,
}

#[derive(Deserialize)]
struct CsvRow {
    instance_type: String,
    region: String,
    vcpu: String,
    memory_gib: String,
    max_enis: String,
    ipv4_per_eni: String,
    usd_per_hour: String,
    as_of: String,
    source: String,
}

fn count(what: &str, s: &str) -> Result<u32, String> {
    s.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("{what} `{s}` is not a positive whole number"))
}

impl Ec2Book {
    /// The snapshot embedded in the binary (`data/ec2-instances.csv`).
    pub fn embedded() -> Result<Ec2Book, DataError> {
        Ec2Book::from_csv("data/ec2-instances.csv", EMBEDDED_CSV, Origin::Embedded)
    }

    /// Reads spec rows (empty region) and price rows; a price row needs its type's spec row.
    pub fn from_csv(file: &str, text: &str, origin: Origin) -> Result<Ec2Book, DataError> {
        let err = |line: u64, message: String| DataError::at(file, line, message);
        let mut book = Ec2Book::default();
        let mut price_rows = Vec::new();
        for (line, row) in crate::core::rules::csv_rows::<CsvRow>(file, text)? {
            let as_of = NaiveDate::parse_from_str(row.as_of.trim(), "%Y-%m-%d")
                .map_err(|e| err(line, format!("date `{}`: {e}", row.as_of)))?;
            let instance_type = row.instance_type.trim().to_string();
            if instance_type.is_empty() || !instance_type.contains('.') {
                return Err(err(
                    line,
                    format!("instance type `{instance_type}` (e.g. m7g.large)"),
                ));
            }
            if row.region.trim().is_empty() {
                let memory_gib = Decimal::from_str(row.memory_gib.trim())
                    .ok()
                    .filter(|m| *m > Decimal::ZERO)
                    .ok_or_else(|| err(line, format!("memory_gib `{}`", row.memory_gib)))?;
                let memory_mib = u32::try_from(
                    (memory_gib * Decimal::from(1024))
                        .trunc()
                        .mantissa()
                        .clamp(0, i128::from(u32::MAX)),
                )
                .unwrap_or(u32::MAX);
                let spec = InstanceSpec {
                    arch: arch_of(&instance_type),
                    instance_type: instance_type.clone(),
                    vcpu: count("vcpu", &row.vcpu).map_err(|m| err(line, m))?,
                    memory_mib,
                    max_enis: count("max_enis", &row.max_enis).map_err(|m| err(line, m))?,
                    ipv4_per_eni: count("ipv4_per_eni", &row.ipv4_per_eni)
                        .map_err(|m| err(line, m))?,
                    as_of,
                    source: row.source,
                };
                if book.specs.insert(instance_type.clone(), spec).is_some() {
                    return Err(err(line, format!("duplicate specs for {instance_type}")));
                }
            } else {
                let usd_per_hour = Decimal::from_str(row.usd_per_hour.trim())
                    .map_err(|e| err(line, format!("price `{}`: {e}", row.usd_per_hour)))?;
                super::check_plausible(usd_per_hour).map_err(|m| err(line, m))?;
                price_rows.push((
                    line,
                    InstancePrice {
                        region: row.region.trim().to_string(),
                        instance_type,
                        usd_per_hour,
                        as_of,
                        source: row.source,
                        origin: origin.clone(),
                    },
                ));
            }
        }
        for (line, p) in price_rows {
            if !book.specs.contains_key(&p.instance_type) {
                return Err(err(
                    line,
                    format!("a price for {} without its specs row", p.instance_type),
                ));
            }
            let key = (p.region.clone(), p.instance_type.clone());
            if book.prices.contains_key(&key) {
                return Err(err(
                    line,
                    format!("duplicate price for {} {}", p.region, p.instance_type),
                ));
            }
            book.prices.insert(key, p);
        }
        Ok(book)
    }

    /// Every type's specs, by name.
    pub fn specs(&self) -> impl Iterator<Item = &InstanceSpec> {
        self.specs.values()
    }

    pub fn spec(&self, instance_type: &str) -> Option<&InstanceSpec> {
        self.specs.get(instance_type)
    }

    /// Every price, by region and type.
    pub fn prices(&self) -> impl Iterator<Item = &InstancePrice> {
        self.prices.values()
    }

    pub fn price(&self, region: &str, instance_type: &str) -> Option<&InstancePrice> {
        self.prices
            .get(&(region.to_string(), instance_type.to_string()))
    }

    pub fn has_region(&self, region: &str) -> bool {
        self.prices.keys().any(|(r, _)| r == region)
    }

    /// The regions with at least one price.
    pub fn regions(&self) -> Vec<&str> {
        let mut regions: Vec<&str> = self.prices.keys().map(|(r, _)| r.as_str()).collect();
        regions.dedup();
        regions
    }

    /// Prices fetched or cached, laid over this book region by region (a region with any
    /// price in `top` loses this book's prices there first). Prices of types this book has no
    /// specs for are dropped: they could not be packed.
    pub fn overlay_prices(&mut self, top: &[InstancePrice]) {
        let mut covered: Vec<&str> = top.iter().map(|p| p.region.as_str()).collect();
        covered.sort_unstable();
        covered.dedup();
        self.prices
            .retain(|(r, _), _| covered.binary_search(&r.as_str()).is_err());
        for p in top {
            if self.specs.contains_key(&p.instance_type) {
                self.prices
                    .insert((p.region.clone(), p.instance_type.clone()), p.clone());
            }
        }
    }

    /// The specs of this book with only `top`'s prices (`--prices cache`: the cache's prices
    /// alone, the embedded specs to pack with).
    pub fn with_prices_only(mut self, top: &[InstancePrice]) -> Ec2Book {
        self.prices.clear();
        self.overlay_prices(top);
        self
    }

    /// This book with `top` laid over it; see [`Ec2Book::overlay_prices`].
    pub fn overlaid(mut self, top: &[InstancePrice]) -> Ec2Book {
        self.overlay_prices(top);
        self
    }

    /// The oldest retrieval time among the prices (none for an all-embedded book).
    pub fn oldest_retrieval(&self) -> Option<DateTime<Utc>> {
        self.prices().filter_map(|p| p.origin.retrieved_at()).min()
    }

    /// The book as `data/ec2-instances.csv`: spec rows, then price rows, by type.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(EC2_HEADER.split(','));
        for s in self.specs.values() {
            let gib = (Decimal::from(s.memory_mib) / Decimal::from(1024)).normalize();
            let _ = w.write_record([
                s.instance_type.as_str(),
                "",
                &s.vcpu.to_string(),
                &gib.to_string(),
                &s.max_enis.to_string(),
                &s.ipv4_per_eni.to_string(),
                "",
                &s.as_of.to_string(),
                &s.source,
            ]);
            for p in self
                .prices
                .values()
                .filter(|p| p.instance_type == s.instance_type)
            {
                let _ = w.write_record([
                    p.instance_type.as_str(),
                    &p.region,
                    "",
                    "",
                    "",
                    "",
                    &p.usd_per_hour.to_string(),
                    &p.as_of.to_string(),
                    &p.source,
                ]);
            }
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn the_embedded_table_has_68_types_in_36_regions_each_with_a_source() {
        let book = Ec2Book::embedded().unwrap();
        assert_eq!(book.specs().count(), 68);
        assert_eq!(book.regions().len(), 36);
        assert_eq!(book.prices().count(), 1988);
        assert!(book.prices().all(|p| !p.source.is_empty()));
        let m7g = book.spec("m7g.large").unwrap();
        assert_eq!(
            (m7g.vcpu, m7g.memory_mib, m7g.max_enis, m7g.arch),
            (2, 8192, 3, CpuArch::Arm64)
        );
        let p = book.price("us-east-1", "m7g.large").unwrap();
        assert_eq!(p.usd_per_hour, d("0.0816"));
        assert_eq!(p.as_of.to_string(), "2025-12-06");
        assert!(p.source.contains("US East (N. Virginia)"), "{}", p.source);
    }

    #[test]
    fn the_architecture_from_the_name_agrees_with_the_specs_source() {
        let book = Ec2Book::embedded().unwrap();
        for s in book.specs() {
            let said = if s.source.contains("(arch arm64)") {
                CpuArch::Arm64
            } else {
                assert!(s.source.contains("(arch amd64)"), "{}", s.instance_type);
                CpuArch::X86_64
            };
            assert_eq!(s.arch, said, "{}", s.instance_type);
        }
        assert_eq!(arch_of("t3.small"), CpuArch::X86_64);
        assert_eq!(arch_of("m7a.large"), CpuArch::X86_64);
        assert_eq!(arch_of("t4g.small"), CpuArch::Arm64);
    }

    #[test]
    fn bad_rows_are_refused_with_their_line_and_the_csv_round_trips() {
        let h = format!("{EC2_HEADER}\n");
        let spec = "x1.large,,2,8,3,10,,2026-07-11,specs\n";
        let ok = "x1.large,r-1,,,,,0.1,2025-12-06,price\n";
        let book = Ec2Book::from_csv("t.csv", &format!("{h}{spec}{ok}"), Origin::Embedded).unwrap();
        assert_eq!(
            book.price("r-1", "x1.large").unwrap().usd_per_hour,
            d("0.1")
        );
        let again = Ec2Book::from_csv("t.csv", &book.to_csv(), Origin::Embedded).unwrap();
        assert_eq!(again.to_csv(), book.to_csv());
        for bad in [
            "x1.large,r-1,,,,,0,2025-12-06,zero\n",
            "x1.large,r-1,,,,,11,2025-12-06,too dear\n",
            "x1.large,r-1,,,,,0.1,someday,date\n",
            "x2.large,r-1,,,,,0.1,2025-12-06,no specs\n",
            "x1.large,r-1,,,,,0.2,2025-12-06,again\n",
            "x3.large,,0,8,3,10,,2026-07-11,no cpu\n",
            "nodot,,2,8,3,10,,2026-07-11,name\n",
        ] {
            let e = Ec2Book::from_csv("t.csv", &format!("{h}{spec}{ok}{bad}"), Origin::Embedded)
                .unwrap_err();
            assert!(e.to_string().contains("t.csv"), "{bad}: {e}");
        }
    }

    #[test]
    fn fetched_prices_replace_a_region_whole() {
        let at: DateTime<Utc> = "2026-11-30T10:00:00Z".parse().unwrap();
        let top = vec![InstancePrice {
            region: "us-east-1".into(),
            instance_type: "m7g.large".into(),
            usd_per_hour: d("0.09"),
            as_of: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            source: "fetched".into(),
            origin: Origin::PriceListApi { fetched_at: at },
        }];
        let book = Ec2Book::embedded().unwrap().overlaid(&top);
        assert_eq!(
            book.price("us-east-1", "m7g.large").unwrap().usd_per_hour,
            d("0.09")
        );
        assert!(book.price("us-east-1", "c7g.large").is_none());
        assert!(book.price("eu-west-1", "c7g.large").is_some());
        assert_eq!(book.oldest_retrieval(), Some(at));
    }
}
