//! The platform words every floor shares: task size, CPU architecture and OS family, in ECS terms.

use crate::core::vocab::units::{CpuUnits, MemoryMib};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Task-level CPU and memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TaskSize {
    pub cpu: CpuUnits,
    pub memory: MemoryMib,
}

impl fmt::Display for TaskSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.cpu, self.memory)
    }
}

/// `runtimePlatform.operatingSystemFamily`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub enum OsFamily {
    Linux,
    /// One of the `WINDOWS_SERVER_*` families, kept as written.
    Windows(String),
}

impl OsFamily {
    pub fn is_windows(&self) -> bool {
        matches!(self, OsFamily::Windows(_))
    }

    pub fn ecs_name(&self) -> &str {
        match self {
            OsFamily::Linux => "LINUX",
            OsFamily::Windows(name) => name,
        }
    }
}

impl From<OsFamily> for String {
    fn from(os: OsFamily) -> String {
        os.ecs_name().to_string()
    }
}

/// `runtimePlatform.cpuArchitecture`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CpuArch {
    #[serde(rename = "X86_64")]
    X86_64,
    #[serde(rename = "ARM64")]
    Arm64,
}

impl CpuArch {
    pub fn ecs_name(self) -> &'static str {
        match self {
            CpuArch::X86_64 => "X86_64",
            CpuArch::Arm64 => "ARM64",
        }
    }

    pub fn parse(s: &str) -> Option<CpuArch> {
        [CpuArch::X86_64, CpuArch::Arm64]
            .into_iter()
            .find(|a| a.ecs_name() == s)
    }
}

impl fmt::Display for CpuArch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.ecs_name())
    }
}

/// One platform an image was built for, as the OCI spec names it (`linux`, `amd64`, `v8`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub struct ImagePlatform {
    pub os: String,
    pub architecture: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

impl ImagePlatform {
    /// The ECS architecture a Linux build runs on, if Fargate has one.
    pub fn fargate_arch(&self) -> Option<CpuArch> {
        match (self.os.as_str(), self.architecture.as_str()) {
            ("linux", "amd64") => Some(CpuArch::X86_64),
            ("linux", "arm64") => Some(CpuArch::Arm64),
            _ => None,
        }
    }
}

impl fmt::Display for ImagePlatform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}
