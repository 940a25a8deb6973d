//! EKS on Fargate for the same workload, the Kubernetes way of buying the same Fargate capacity.
//!
//! Fargate gives each pod its requests plus 256 MB for the Kubernetes components (kubelet,
//! kube-proxy, containerd), rounded up to the next valid vCPU / memory size, and bills it at the
//! Fargate Linux/X86_64 prices; EKS on Fargate has no ARM, no Spot and no Windows (EKS User Guide, "AWS Fargate considerations").
//! The cluster itself costs a fee per hour. The overhead, the storage limit and the fee are data in
//! `data/eks-fargate.toml`, each with its source. `eks_row` turns the price into the
//! comparison's row.

use super::OptionId;
use super::fargate::Used;
use super::{Assumption, ComparePrices, CompareRow, CostItem, CostLine, Disqualifier, NotPriced};
use crate::core::plan::Service;
use crate::core::pricing::PriceBook;
use crate::core::report::cost::{RateError, ServiceCost, price_service};
use crate::core::rules::{DataError, Facts};
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::{CpuArch, TaskSize};
use crate::core::vocab::strategy::Strategy;
use crate::core::vocab::units::MemoryMib;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

const EMBEDDED_TOML: &str = include_str!("../../../data/eks-fargate.toml");

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct PodRules {
    /// Memory Fargate adds to every pod's requests.
    pub kubernetes_overhead_mib: u32,
    /// The largest pod CPU EKS on Fargate takes (the ECS-only 32 vCPU sizes are left out).
    pub max_cpu_units: u32,
    pub max_ephemeral_storage_gib: u32,
    pub source: String,
}

/// Kubernetes version support, which sets the cluster fee.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Support {
    Standard,
    Extended,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
struct RawFee {
    region: String,
    support: Support,
    usd_per_hour: String,
    as_of: String,
    source: String,
}

#[derive(Clone, Debug, Deserialize)]
struct RawEks {
    pod: PodRules,
    cluster_fee: Vec<RawFee>,
}

/// The EKS cluster fee of a region, with its provenance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClusterFee {
    pub region: String,
    pub support: Support,
    pub usd_per_hour: Decimal,
    pub as_of: NaiveDate,
    pub source: String,
}

impl ClusterFee {
    /// Older than a year on `today`.
    pub fn is_stale(&self, today: NaiveDate) -> bool {
        (today - self.as_of).num_days() > 365
    }
}

/// What EKS on Fargate adds to the Fargate facts.
#[derive(Clone, Debug)]
pub struct EksFacts {
    pub pod: PodRules,
    pub cluster_fees: Vec<ClusterFee>,
}

impl EksFacts {
    /// The facts embedded in the binary (`data/eks-fargate.toml`).
    pub fn embedded() -> Result<EksFacts, DataError> {
        EksFacts::from_toml("data/eks-fargate.toml", EMBEDDED_TOML)
    }

    pub fn from_toml(file: &str, text: &str) -> Result<EksFacts, DataError> {
        let err = |message: String| DataError {
            file: file.to_string(),
            message,
        };
        let raw: RawEks = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        let mut cluster_fees = Vec::new();
        for f in raw.cluster_fee {
            let usd_per_hour = Decimal::from_str(&f.usd_per_hour)
                .ok()
                .filter(|p| *p > Decimal::ZERO)
                .ok_or_else(|| {
                    err(format!(
                        "cluster fee `{}` is not a positive price",
                        f.usd_per_hour
                    ))
                })?;
            let as_of = NaiveDate::parse_from_str(&f.as_of, "%Y-%m-%d")
                .map_err(|e| err(format!("date `{}`: {e}", f.as_of)))?;
            cluster_fees.push(ClusterFee {
                region: f.region,
                support: f.support,
                usd_per_hour,
                as_of,
                source: f.source,
            });
        }
        Ok(EksFacts {
            pod: raw.pod,
            cluster_fees,
        })
    }

    pub fn cluster_fee(&self, region: &str, support: Support) -> Result<&ClusterFee, EksError> {
        self.cluster_fees
            .iter()
            .find(|f| f.region == region && f.support == support)
            .ok_or_else(|| EksError::MissingFee(region.to_string()))
    }

    /// The size Fargate provisions for a pod that requests `requests`: the requests plus the
    /// Kubernetes overhead, rounded up to the next valid size. `None` above the largest pod size.
    pub fn pod_size(&self, facts: &Facts, requests: TaskSize) -> Option<TaskSize> {
        let memory = MemoryMib(
            requests
                .memory
                .0
                .saturating_add(self.pod.kubernetes_overhead_mib),
        );
        facts
            .next_valid_size(requests.cpu, memory, false)
            .filter(|(cpu, _)| cpu.0 <= self.pod.max_cpu_units)
            .map(|(cpu, memory)| TaskSize { cpu, memory })
    }

    /// Why EKS on Fargate cannot run this service. Empty when it can.
    pub fn disqualifiers(&self, facts: &Facts, service: &Service) -> Vec<Disqualifier> {
        let mut out = Vec::new();
        if service.os.is_windows() {
            out.push(Disqualifier::EksWindows);
        }
        if self.pod_size(facts, service.size).is_none() {
            out.push(Disqualifier::EksTooLarge {
                size: service.size,
                overhead_mib: self.pod.kubernetes_overhead_mib,
            });
        }
        if service.ephemeral_storage_gib > self.pod.max_ephemeral_storage_gib {
            out.push(Disqualifier::EksStorage {
                needs_gib: service.ephemeral_storage_gib,
                max_gib: self.pod.max_ephemeral_storage_gib,
            });
        }
        out
    }
}

/// Why EKS on Fargate could not be priced.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EksError {
    #[error(
        "no EKS cluster fee for region `{0}`; add it to data/eks-fargate.toml from \
         aws.amazon.com/eks/pricing (ServiceCode `AmazonEKS`)"
    )]
    MissingFee(String),
    #[error("the pod does not fit any Fargate size")]
    NoSize,
    #[error("{0}")]
    Rate(#[from] RateError),
}

/// A month of EKS on Fargate.
#[derive(Clone, Debug, Serialize)]
pub struct EksMonth {
    /// The size Fargate provisions per pod.
    pub pod_size: TaskSize,
    /// The pods, priced like tasks on FARGATE (x86) over the service's uptime.
    pub pods: ServiceCost,
    pub cluster_fee: ClusterFee,
    /// The part of the cluster fee charged to this service.
    pub cluster_share: Decimal,
    pub cluster_monthly: Usd,
    pub monthly: Usd,
}

/// Prices the service as pods on EKS Fargate in a cluster with standard support, of which it
/// carries `cluster_share` of the fee for the whole month.
pub fn price(
    service: &Service,
    hours_per_month: Decimal,
    book: &PriceBook,
    facts: &Facts,
    eks: &EksFacts,
    cluster_share: Decimal,
) -> Result<EksMonth, EksError> {
    let pod_size = eks.pod_size(facts, service.size).ok_or(EksError::NoSize)?;
    let pods = price_service(
        service,
        CpuArch::X86_64,
        pod_size,
        &Strategy::on_demand(),
        hours_per_month,
        book,
        facts,
    )?;
    let cluster_fee = eks.cluster_fee(&service.region, Support::Standard)?.clone();
    let cluster_monthly = Usd(cluster_fee.usd_per_hour * hours_per_month * cluster_share);
    Ok(EksMonth {
        pod_size,
        monthly: pods.monthly + cluster_monthly,
        pods,
        cluster_fee,
        cluster_share,
        cluster_monthly,
    })
}

/// The EKS on Fargate row: pods plus this service's share of the cluster fee.
pub(super) fn eks_row(
    service: &Service,
    hours: Decimal,
    share: Decimal,
    prices: ComparePrices<'_>,
    used: &mut Used,
) -> CompareRow {
    let mut row = CompareRow::new(OptionId::EksFargate, false);
    let eks = prices.eks;
    row.disqualifiers = eks.disqualifiers(prices.facts, service);
    row.assumptions.push(if service.arch == CpuArch::Arm64 {
        Assumption::EksNeedsX86Image
    } else {
        Assumption::EksX86OnDemandOnly
    });
    if row.is_ruled_out() {
        return row;
    }
    match price(service, hours, prices.book, prices.facts, eks, share) {
        Ok(m) => {
            used.fargate(&m.pods);
            used.eks(&m.cluster_fee);
            row.monthly = Some(m.monthly);
            row.lines.push(CostLine {
                item: CostItem::EksPods {
                    pod_size: m.pod_size,
                    pod_hours: m.pods.task_hours(),
                },
                monthly: m.pods.monthly,
            });
            let per_hour = Usd(m.cluster_fee.usd_per_hour);
            row.lines.push(CostLine {
                item: CostItem::EksClusterFee {
                    share: m.cluster_share,
                    per_hour,
                    hours,
                },
                monthly: m.cluster_monthly,
            });
            row.assumptions.push(Assumption::EksPodSize {
                size: service.size,
                overhead_mib: eks.pod.kubernetes_overhead_mib,
                pod_size: m.pod_size,
            });
            row.assumptions.push(Assumption::EksClusterFee {
                per_hour,
                share: m.cluster_share,
            });
            row.assumptions.push(Assumption::EksPodPrices);
        }
        Err(EksError::Rate(RateError::NotOffered(why))) => {
            row.disqualifiers.push(Disqualifier::NotOffered(why))
        }
        Err(e) => row.not_priced = Some(NotPriced::Eks(e)),
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::vocab::units::CpuUnits;

    fn size(cpu: u32, memory: u32) -> TaskSize {
        TaskSize {
            cpu: CpuUnits(cpu),
            memory: MemoryMib(memory),
        }
    }

    fn facts() -> (Facts, EksFacts) {
        (crate::core::testing::facts(), EksFacts::embedded().unwrap())
    }

    #[test]
    fn requests_plus_256_mb_round_up_to_the_next_size() {
        let (f, e) = facts();
        assert_eq!(e.pod.kubernetes_overhead_mib, 256);
        // 0.5 vCPU / 1 GB + 256 MB = 1.25 GB → 0.5 vCPU / 2 GB.
        assert_eq!(e.pod_size(&f, size(512, 1024)), Some(size(512, 2048)));
        // The EKS guide's own example: 1 vCPU / 8 GB + 256 MB has no 1 vCPU size → 2 vCPU / 9 GB.
        assert_eq!(e.pod_size(&f, size(1024, 8192)), Some(size(2048, 9216)));
        // 0.25 vCPU / 256 MiB + 256 MB = 512 MiB, a valid size as it is.
        assert_eq!(e.pod_size(&f, size(256, 256)), Some(size(256, 512)));
        // 8 vCPU / 16 GB + 256 MB → 20 GB (4 GB steps).
        assert_eq!(e.pod_size(&f, size(8192, 16384)), Some(size(8192, 20480)));
        // 16 vCPU / 120 GB leaves no room for the overhead.
        assert_eq!(e.pod_size(&f, size(16384, 122_880)), None);
    }

    #[test]
    fn cluster_fee_is_data_with_a_source() {
        let (_, e) = facts();
        let fee = e.cluster_fee("us-east-1", Support::Standard).unwrap();
        assert_eq!(fee.usd_per_hour, Decimal::from_str("0.10").unwrap());
        assert!(!fee.source.is_empty());
        assert_eq!(
            e.cluster_fee("us-east-1", Support::Extended)
                .unwrap()
                .usd_per_hour,
            Decimal::from_str("0.60").unwrap()
        );
        let err = e.cluster_fee("eu-west-3", Support::Standard).unwrap_err();
        assert!(err.to_string().contains("eu-west-3") && err.to_string().contains("AmazonEKS"));
    }

    #[test]
    fn bad_fees_are_rejected() {
        let text = "[pod]\nkubernetes_overhead_mib = 256\nmax_cpu_units = 16384\nmax_ephemeral_storage_gib = 175\nsource = \"x\"\n[[cluster_fee]]\nregion = \"r\"\nsupport = \"standard\"\nusd_per_hour = \"0\"\nas_of = \"2026-01-01\"\nsource = \"x\"\n";
        assert!(EksFacts::from_toml("t.toml", text).is_err());
        assert!(EksFacts::from_toml("t.toml", &text.replace("\"0\"", "\"0.1\"")).is_ok());
        assert!(
            EksFacts::from_toml(
                "t.toml",
                &text
                    .replace("\"0\"", "\"0.1\"")
                    .replace("2026-01-01", "soon")
            )
            .is_err()
        );
    }
}
