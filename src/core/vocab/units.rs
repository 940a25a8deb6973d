//! Task CPU and memory in ECS units (CPU units, MiB), parsed from the forms ECS accepts.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// CPU units: 1024 units are one vCPU.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CpuUnits(pub u32);

/// Memory in MiB. Fargate prices memory per GB-hour, where 1 GB is 1024 MiB.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MemoryMib(pub u32);

impl CpuUnits {
    pub fn vcpu(self) -> Decimal {
        Decimal::from(self.0) / Decimal::from(1024)
    }
}

impl MemoryMib {
    pub fn gb(self) -> Decimal {
        Decimal::from(self.0) / Decimal::from(1024)
    }
}

impl fmt::Display for CpuUnits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} vCPU", self.vcpu().normalize())
    }
}

impl fmt::Display for MemoryMib {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(1024) {
            write!(f, "{} GB", self.0 / 1024)
        } else {
            write!(f, "{} MiB", self.0)
        }
    }
}

/// A scalar as written in a plan or task definition: `512`, `"512"`, `"0.5 vCPU"`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Scalar {
    Int(i64),
    Float(f64),
    Text(String),
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Int(i) => write!(f, "{i}"),
            Scalar::Float(x) => write!(f, "{x}"),
            Scalar::Text(s) => write!(f, "{s:?}"),
        }
    }
}

const CPU_FORMS: &str =
    "CPU units as an integer (`cpu = 512`) or a string (`\"512\"`, `\"0.5 vCPU\"`)";
const MEMORY_FORMS: &str =
    "MiB as an integer (`memory = 1024`) or a string (`\"1024\"`, `\"1 GB\"`, `\"512 MiB\"`)";

/// Parses task or container CPU: units (`512`, `"512"`) or vCPU (`"0.5 vCPU"`).
pub fn parse_cpu(value: &Scalar) -> Result<CpuUnits, String> {
    match value {
        Scalar::Int(i) => u32::try_from(*i)
            .ok()
            .filter(|v| *v > 0)
            .map(CpuUnits)
            .ok_or_else(|| format!("CPU must be a positive number of units; expected {CPU_FORMS}")),
        Scalar::Float(_) => Err(format!(
            "a bare decimal is ambiguous; expected {CPU_FORMS}, e.g. `cpu = \"0.5 vCPU\"`"
        )),
        Scalar::Text(text) => {
            let t = text.trim();
            let lower = t.to_ascii_lowercase();
            if let Some(number) = lower.strip_suffix("vcpu") {
                let vcpu = Decimal::from_str(number.trim())
                    .map_err(|_| format!("`{t}` is not a number of vCPU; expected {CPU_FORMS}"))?;
                let units = vcpu
                    .checked_mul(Decimal::from(1024))
                    .ok_or_else(|| format!("`{t}` is too large"))?;
                if units <= Decimal::ZERO || !units.fract().is_zero() {
                    return Err(format!(
                        "`{t}` is not a whole number of CPU units; expected {CPU_FORMS}"
                    ));
                }
                units
                    .to_u32()
                    .map(CpuUnits)
                    .ok_or_else(|| format!("`{t}` is too large"))
            } else {
                lower
                    .parse::<u32>()
                    .ok()
                    .filter(|v| *v > 0)
                    .map(CpuUnits)
                    .ok_or_else(|| format!("`{t}` is not a CPU size; expected {CPU_FORMS}"))
            }
        }
    }
}

/// Parses task or container memory: MiB (`1024`, `"1024"`, `"512 MiB"`) or GB (`"1 GB"`, `"1GB"`).
pub fn parse_memory(value: &Scalar) -> Result<MemoryMib, String> {
    match value {
        Scalar::Int(i) => u32::try_from(*i)
            .ok()
            .filter(|v| *v > 0)
            .map(MemoryMib)
            .ok_or_else(|| {
                format!("memory must be a positive number of MiB; expected {MEMORY_FORMS}")
            }),
        Scalar::Float(_) => Err(format!(
            "a bare decimal is ambiguous; expected {MEMORY_FORMS}"
        )),
        Scalar::Text(text) => {
            let t = text.trim();
            let lower = t.to_ascii_lowercase();
            let (number, factor) =
                if let Some(n) = lower.strip_suffix("gib").or(lower.strip_suffix("gb")) {
                    (n, 1024)
                } else if let Some(n) = lower.strip_suffix("mib").or(lower.strip_suffix("mb")) {
                    (n, 1)
                } else {
                    (lower.as_str(), 1)
                };
            let amount = Decimal::from_str(number.trim())
                .map_err(|_| format!("`{t}` is not a memory size; expected {MEMORY_FORMS}"))?;
            let mib = amount
                .checked_mul(Decimal::from(factor))
                .ok_or_else(|| format!("`{t}` is too large"))?;
            if mib <= Decimal::ZERO || !mib.fract().is_zero() {
                return Err(format!(
                    "`{t}` is not a whole number of MiB; expected {MEMORY_FORMS}"
                ));
            }
            mib.to_u32()
                .map(MemoryMib)
                .ok_or_else(|| format!("`{t}` is too large"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Scalar {
        Scalar::Text(s.into())
    }

    #[test]
    fn cpu_forms() {
        assert_eq!(parse_cpu(&Scalar::Int(512)), Ok(CpuUnits(512)));
        assert_eq!(parse_cpu(&text("1024")), Ok(CpuUnits(1024)));
        assert_eq!(parse_cpu(&text("0.5 vCPU")), Ok(CpuUnits(512)));
        assert_eq!(parse_cpu(&text("0.25vcpu")), Ok(CpuUnits(256)));
        assert_eq!(parse_cpu(&text("16 vCPU")), Ok(CpuUnits(16384)));
        assert!(parse_cpu(&Scalar::Float(0.5)).is_err());
        assert!(parse_cpu(&Scalar::Int(-1)).is_err());
        assert!(parse_cpu(&text("0.0001 vCPU")).is_err());
        assert!(parse_cpu(&text("lots")).is_err());
        assert!(parse_cpu(&text("99999999999999 vCPU")).is_err());
    }

    #[test]
    fn memory_forms() {
        assert_eq!(parse_memory(&Scalar::Int(1024)), Ok(MemoryMib(1024)));
        assert_eq!(parse_memory(&text("1 GB")), Ok(MemoryMib(1024)));
        assert_eq!(parse_memory(&text("1GB")), Ok(MemoryMib(1024)));
        assert_eq!(parse_memory(&text("0.5 GB")), Ok(MemoryMib(512)));
        assert_eq!(parse_memory(&text("512 MiB")), Ok(MemoryMib(512)));
        assert_eq!(parse_memory(&text("2048")), Ok(MemoryMib(2048)));
        assert!(parse_memory(&text("1 TB")).is_err());
        assert!(parse_memory(&Scalar::Int(0)).is_err());
    }

    #[test]
    fn display() {
        assert_eq!(CpuUnits(512).to_string(), "0.5 vCPU");
        assert_eq!(CpuUnits(4096).to_string(), "4 vCPU");
        assert_eq!(MemoryMib(1024).to_string(), "1 GB");
        assert_eq!(MemoryMib(512).to_string(), "512 MiB");
    }
}

#[cfg(test)]
mod overflow {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any number with any unit is a value or an error, never an arithmetic panic.
        #[test]
        fn sizes_of_any_magnitude_never_panic(
            digits in "[0-9]{1,40}(\\.[0-9]{1,20})?",
            unit in prop::sample::select(vec!["vCPU", "GB", "GiB", "MiB", "MB", ""]),
        ) {
            let text = Scalar::Text(format!("{digits} {unit}"));
            let _ = parse_cpu(&text);
            let _ = parse_memory(&text);
        }
    }

    #[test]
    fn a_huge_size_is_too_large() {
        let huge = Scalar::Text("100000000000000000000000000 vCPU".into());
        assert!(parse_cpu(&huge).unwrap_err().contains("too large"));
        let huge = Scalar::Text("100000000000000000000000000 GB".into());
        assert!(parse_memory(&huge).unwrap_err().contains("too large"));
    }
}
