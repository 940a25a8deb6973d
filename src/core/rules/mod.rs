//! Fargate rules as data: the valid task sizes and platform limits, loaded from `data/`.
//!
//! The tables are embedded at build time (`data/task-sizes.csv`, `data/fargate-rules.toml`) and
//! each carries its source. Code asks questions of them; it does not restate their numbers.

pub mod lambda;

use crate::core::vocab::units::{CpuUnits, MemoryMib};
use rust_decimal::Decimal;
use serde::Deserialize;

const TASK_SIZES_CSV: &str = include_str!("../../../data/task-sizes.csv");
const RULES_TOML: &str = include_str!("../../../data/fargate-rules.toml");

/// The embedded data could not be read: a build defect, reported rather than panicking.
#[derive(Debug, thiserror::Error)]
#[error("embedded data file `{file}` is invalid: {message}")]
pub struct DataError {
    pub file: String,
    pub message: String,
}

impl DataError {
    /// A problem on line `line` of `file`.
    pub fn at(file: &str, line: u64, message: impl std::fmt::Display) -> DataError {
        DataError {
            file: file.to_string(),
            message: format!("line {line}: {message}"),
        }
    }
}

/// The rows of a data CSV with a header row, each with its line number; a row that does not
/// read as `T` is an error naming the file and line. The tables of prices and rates share it.
pub fn csv_rows<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<Vec<(u64, T)>, DataError> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| DataError::at(file, 1, e))?
        .clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record =
            record.map_err(|e| DataError::at(file, e.position().map_or(0, |p| p.line()), &e))?;
        let line = record.position().map_or(0, |p| p.line());
        let row = record
            .deserialize(Some(&headers))
            .map_err(|e| DataError::at(file, line, e))?;
        rows.push((line, row));
    }
    Ok(rows)
}

/// One row of the valid size table: a CPU value and the memory values allowed with it.
#[derive(Clone, Debug, Deserialize)]
pub struct SizeRow {
    pub cpu_units: u32,
    pub memory_min_mib: u32,
    pub memory_max_mib: u32,
    pub memory_step_mib: u32,
    /// An extra allowed value outside the stepped range (0.25 vCPU allows 512 MiB below it;
    /// 32 vCPU allows 244 GB above its 60 and 120 GB).
    pub extra_memory_mib: Option<u32>,
    /// Space-separated `LINUX` / `WINDOWS`.
    pub operating_systems: String,
    pub min_linux_platform_version: String,
    pub source: String,
}

impl SizeRow {
    pub fn allows_windows(&self) -> bool {
        self.operating_systems
            .split_whitespace()
            .any(|o| o == "WINDOWS")
    }

    /// Every memory value allowed with this CPU, ascending.
    pub fn memory_values(&self) -> Vec<MemoryMib> {
        let mut values: Vec<u32> = self.extra_memory_mib.into_iter().collect();
        let mut m = self.memory_min_mib;
        while m <= self.memory_max_mib {
            values.push(m);
            m += self.memory_step_mib.max(1);
        }
        values.sort_unstable();
        values.dedup();
        values.into_iter().map(MemoryMib).collect()
    }

    pub fn allows(&self, memory: MemoryMib) -> bool {
        self.memory_values().contains(&memory)
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct BillingRules {
    pub hours_per_month: u32,
    pub hours_per_month_source: String,
    pub minimum_seconds_linux: u32,
    pub minimum_seconds_windows: u32,
    /// The longest month a plan may price (31 days).
    pub max_hours_per_month: u32,
    pub minimum_source: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct StorageRules {
    pub default_gib: u32,
    pub free_gib: u32,
    pub min_gib: u32,
    pub max_gib: u32,
    pub source: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct PlatformRules {
    pub operating_system_families: Vec<String>,
    pub cpu_architectures_linux: Vec<String>,
    pub cpu_architectures_windows: Vec<String>,
    pub source: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct SpotRules {
    pub operating_system_families: Vec<String>,
    pub source: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct NetworkRules {
    pub network_modes: Vec<String>,
    /// AWS limits on `awsvpcConfiguration`.
    pub max_subnets: usize,
    pub max_security_groups: usize,
    pub source: String,
}

/// ECS limits on a service.
#[derive(Clone, Debug, Deserialize)]
pub struct ServiceRules {
    /// Tasks per service (service quota, not adjustable).
    pub max_tasks: u32,
    pub source: String,
}

/// The log drivers Fargate supports.
#[derive(Clone, Debug, Deserialize)]
pub struct LoggingRules {
    pub log_drivers: Vec<String>,
    pub source: String,
}

/// The regions where Fargate is sold, for hints on a mistyped region.
#[derive(Clone, Debug, Deserialize)]
pub struct RegionRules {
    pub fargate: Vec<String>,
    pub source: String,
    /// Fargate regions where AWS sells no Windows tasks.
    pub windows_not_sold: Vec<String>,
    pub windows_not_sold_source: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct StrategyRules {
    pub providers: Vec<String>,
    pub max_items: usize,
    pub max_base: u32,
    pub max_weight: u32,
    pub source: String,
}

/// The ranges of a container `healthCheck` (ECS API `HealthCheck`).
#[derive(Clone, Debug, Deserialize)]
pub struct HealthCheckRules {
    pub command_prefixes: Vec<String>,
    pub interval_s: [u32; 2],
    pub interval_default_s: u32,
    pub timeout_s: [u32; 2],
    pub timeout_default_s: u32,
    pub retries: [u32; 2],
    pub retries_default: u32,
    pub start_period_s: [u32; 2],
    pub source: String,
}

/// Where the rule that container secrets need an execution role comes from.
#[derive(Clone, Debug, Deserialize)]
pub struct SecretsRules {
    pub source: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Rules {
    pub billing: BillingRules,
    pub ephemeral_storage: StorageRules,
    pub platform: PlatformRules,
    pub spot: SpotRules,
    pub network: NetworkRules,
    pub service: ServiceRules,
    pub logging: LoggingRules,
    pub regions: RegionRules,
    pub strategy: StrategyRules,
    pub health_check: HealthCheckRules,
    pub secrets: SecretsRules,
}

/// All Fargate facts the planner checks against.
#[derive(Clone, Debug)]
pub struct Facts {
    pub sizes: Vec<SizeRow>,
    pub rules: Rules,
}

impl Facts {
    /// The facts embedded in the binary.
    pub fn embedded() -> Result<Facts, DataError> {
        let mut reader = csv::Reader::from_reader(TASK_SIZES_CSV.as_bytes());
        let sizes = reader
            .deserialize::<SizeRow>()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| DataError {
                file: "data/task-sizes.csv".into(),
                message: e.to_string(),
            })?;
        let rules: Rules = toml::from_str(RULES_TOML).map_err(|e| DataError {
            file: "data/fargate-rules.toml".into(),
            message: e.to_string(),
        })?;
        Ok(Facts { sizes, rules })
    }

    pub fn hours_per_month(&self) -> Decimal {
        Decimal::from(self.rules.billing.hours_per_month)
    }

    pub fn size_row(&self, cpu: CpuUnits) -> Option<&SizeRow> {
        self.sizes.iter().find(|r| r.cpu_units == cpu.0)
    }

    /// Is (cpu, memory) a valid Fargate task size for this OS?
    pub fn is_valid_size(&self, cpu: CpuUnits, memory: MemoryMib, windows: bool) -> bool {
        self.size_row(cpu)
            .is_some_and(|r| r.allows(memory) && (!windows || r.allows_windows()))
    }

    /// The smallest valid size with at least the requested CPU and memory: the size ECS would
    /// need. `None` when the request exceeds the largest size.
    pub fn next_valid_size(
        &self,
        cpu: CpuUnits,
        memory: MemoryMib,
        windows: bool,
    ) -> Option<(CpuUnits, MemoryMib)> {
        let mut rows: Vec<&SizeRow> = self
            .sizes
            .iter()
            .filter(|r| r.cpu_units >= cpu.0 && (!windows || r.allows_windows()))
            .collect();
        rows.sort_by_key(|r| r.cpu_units);
        rows.into_iter().find_map(|r| {
            r.memory_values()
                .into_iter()
                .find(|m| *m >= memory)
                .map(|m| (CpuUnits(r.cpu_units), m))
        })
    }

    /// The largest desired count ECS allows on a service.
    pub fn max_tasks(&self) -> u32 {
        self.rules.service.max_tasks
    }

    /// Valid CPU values for an OS, ascending.
    pub fn cpu_values(&self, windows: bool) -> Vec<CpuUnits> {
        let mut v: Vec<CpuUnits> = self
            .sizes
            .iter()
            .filter(|r| !windows || r.allows_windows())
            .map(|r| CpuUnits(r.cpu_units))
            .collect();
        v.sort();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts::embedded().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn embedded_tables_parse_and_match_the_developer_guide() {
        let f = facts();
        assert_eq!(f.sizes.len(), 8);
        let quarter = f.size_row(CpuUnits(256)).map(|r| r.memory_values());
        assert_eq!(
            quarter,
            Some(vec![MemoryMib(512), MemoryMib(1024), MemoryMib(2048)])
        );
        let eight = f.size_row(CpuUnits(8192)).map(|r| r.memory_values().len());
        assert_eq!(eight, Some(12)); // 16..=60 GB in 4 GB steps
        let sixteen = f.size_row(CpuUnits(16384)).map(|r| r.memory_values().len());
        assert_eq!(sixteen, Some(12)); // 32..=120 GB in 8 GB steps
        let thirty_two = f.size_row(CpuUnits(32768)).map(|r| r.memory_values());
        assert_eq!(
            thirty_two,
            Some(vec![
                MemoryMib(61440),
                MemoryMib(122_880),
                MemoryMib(249_856)
            ])
        );
        assert!(
            !f.size_row(CpuUnits(32768))
                .is_some_and(|r| r.allows_windows())
        );
        assert_eq!(f.rules.billing.hours_per_month, 730);
    }

    #[test]
    fn validity() {
        let f = facts();
        assert!(f.is_valid_size(CpuUnits(512), MemoryMib(1024), false));
        assert!(!f.is_valid_size(CpuUnits(256), MemoryMib(4096), false));
        assert!(!f.is_valid_size(CpuUnits(512), MemoryMib(1024), true));
        assert!(f.is_valid_size(CpuUnits(1024), MemoryMib(2048), true));
        assert!(!f.is_valid_size(CpuUnits(8192), MemoryMib(18432), false));
    }

    #[test]
    fn next_valid_size_rounds_up() {
        let f = facts();
        assert_eq!(
            f.next_valid_size(CpuUnits(256), MemoryMib(4096), false),
            Some((CpuUnits(512), MemoryMib(4096)))
        );
        assert_eq!(
            f.next_valid_size(CpuUnits(300), MemoryMib(600), false),
            Some((CpuUnits(512), MemoryMib(1024)))
        );
        assert_eq!(
            f.next_valid_size(CpuUnits(512), MemoryMib(1024), true),
            Some((CpuUnits(1024), MemoryMib(2048)))
        );
        assert_eq!(
            f.next_valid_size(CpuUnits(16384), MemoryMib(200_000), false),
            Some((CpuUnits(32768), MemoryMib(249_856)))
        );
        assert_eq!(
            f.next_valid_size(CpuUnits(16384), MemoryMib(250_000), false),
            None
        );
        assert_eq!(
            f.next_valid_size(CpuUnits(4096), MemoryMib(32768), true),
            None
        );
    }
}
