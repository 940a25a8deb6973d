//! EKS on Fargate for the same workload, the Kubernetes way of buying the same Fargate capacity.
//!
//! Fargate gives each pod its requests plus 256 MB for the Kubernetes components (kubelet,
//! kube-proxy, containerd), rounded up to the next valid vCPU / memory size, and bills it at the
//! EKS-on-Fargate Linux/X86_64 prices of the region (the EKS rows, which differ from the ECS task
//! prices in il-central-1); EKS on Fargate has no ARM, no Spot and no Windows (EKS User Guide,
//! "AWS Fargate considerations"). The cluster itself costs a fee per hour. The overhead and the
//! storage limit are data in `data/eks-fargate.toml`; the prices are the EKS price book
//! ([`crate::core::pricing::eks`], `data/eks-prices.csv`), each with its source. `eks_row` turns
//! the price into the comparison's row.

use super::OptionId;
use super::fargate::Used;
use super::{
    Assumption, ComparePrices, CompareRow, CostItem, CostLine, Disqualifier, ExtendedFee, NotPriced,
};
use crate::core::plan::Service;
use crate::core::pricing::eks::{
    ClusterFee, EksItem, EksPrice, EksPriceBook, MissingEksPrice, Support,
};
use crate::core::pricing::{Dimension, MissingPrice, Price, PriceBook};
use crate::core::report::cost::monthly_task_hours;
use crate::core::rules::{DataError, Facts};
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::{CpuArch, TaskSize};
use crate::core::vocab::strategy::Strategy;
use crate::core::vocab::units::MemoryMib;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

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

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEks {
    pod: PodRules,
}

/// What EKS on Fargate adds to the Fargate rules (its prices are the EKS price book).
#[derive(Clone, Debug)]
pub struct EksFacts {
    pub pod: PodRules,
}

impl EksFacts {
    /// The facts embedded in the binary (`data/eks-fargate.toml`).
    pub fn embedded() -> Result<EksFacts, DataError> {
        EksFacts::from_toml("data/eks-fargate.toml", EMBEDDED_TOML)
    }

    pub fn from_toml(file: &str, text: &str) -> Result<EksFacts, DataError> {
        let raw: RawEks = toml::from_str(text).map_err(|e| DataError {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        Ok(EksFacts { pod: raw.pod })
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
    /// A pod rate or the cluster fee is not in the EKS book (GovCloud has no pod rows).
    #[error("{0}")]
    Missing(#[from] MissingEksPrice),
    #[error("the pod does not fit any Fargate size")]
    NoSize,
    /// Storage above the free 20 GiB needs the region's Fargate storage price.
    #[error("{0}")]
    Storage(#[from] MissingPrice),
}

/// A month of EKS on Fargate.
#[derive(Clone, Debug, Serialize)]
pub struct EksMonth {
    /// The size Fargate provisions per pod.
    pub pod_size: TaskSize,
    /// Pods while the service runs its desired count, and their pod-hours over its uptime.
    pub pods: u32,
    pub pod_hours: Decimal,
    /// The region's EKS pod rates per vCPU-hour and per GB-hour.
    pub pod_vcpu: EksPrice,
    pub pod_gb: EksPrice,
    /// Ephemeral storage above the free 20 GiB, in GiB, at the region's Fargate storage price
    /// (the EKS price rows have none; aws.amazon.com/fargate/pricing bills it alike for ECS and EKS).
    pub storage: Option<(Decimal, Price)>,
    pub per_pod_hour: Usd,
    pub pods_monthly: Usd,
    pub cluster_fee: ClusterFee,
    /// The part of the cluster fee charged to this service.
    pub cluster_share: Decimal,
    pub cluster_monthly: Usd,
    pub monthly: Usd,
}

/// The tables EKS is priced from: the EKS book for pods and the cluster fee, the Fargate book
/// for storage above 20 GiB, the rules for sizes.
#[derive(Clone, Copy)]
pub struct EksTables<'a> {
    pub prices: &'a EksPriceBook,
    pub book: &'a PriceBook,
    pub facts: &'a Facts,
    pub eks: &'a EksFacts,
}

/// Prices the service as pods on EKS Fargate in a cluster with standard support, of which it
/// carries `cluster_share` of the fee for the whole month.
pub fn price(
    service: &Service,
    hours_per_month: Decimal,
    tables: EksTables<'_>,
    cluster_share: Decimal,
) -> Result<EksMonth, EksError> {
    let region = service.region.as_str();
    let pod_size = tables
        .eks
        .pod_size(tables.facts, service.size)
        .ok_or(EksError::NoSize)?;
    let pod_vcpu = tables
        .prices
        .get(region, EksItem::PodLinuxX86VcpuHour)?
        .clone();
    let pod_gb = tables
        .prices
        .get(region, EksItem::PodLinuxX86GbHour)?
        .clone();
    let billable = service
        .ephemeral_storage_gib
        .saturating_sub(tables.facts.rules.ephemeral_storage.free_gib);
    let storage = match billable {
        0 => None,
        gib => Some((
            Decimal::from(gib),
            tables
                .book
                .get(region, Dimension::EphemeralStorageGbHour)?
                .clone(),
        )),
    };
    let cluster_fee = tables.prices.cluster_fee(region, Support::Standard)?;
    let per_pod_hour = Usd(pod_size.cpu.vcpu() * pod_vcpu.usd_per_unit
        + pod_size.memory.gb() * pod_gb.usd_per_unit
        + storage
            .as_ref()
            .map_or(Decimal::ZERO, |(gib, p)| gib * p.usd_per_unit));
    let (mut pods, mut pod_hours) = (0, Decimal::ZERO);
    for (_, n, h) in monthly_task_hours(service, &Strategy::on_demand(), hours_per_month) {
        pods += n;
        pod_hours += h;
    }
    let pods_monthly = per_pod_hour * pod_hours;
    let cluster_monthly = Usd(cluster_fee.usd_per_hour * hours_per_month * cluster_share);
    Ok(EksMonth {
        pod_size,
        pods,
        pod_hours,
        pod_vcpu,
        pod_gb,
        storage,
        per_pod_hour,
        pods_monthly,
        monthly: pods_monthly + cluster_monthly,
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
    let tables = EksTables {
        prices: prices.eks_prices,
        book: prices.book,
        facts: prices.facts,
        eks,
    };
    let m = match price(service, hours, tables, share) {
        Ok(m) => m,
        Err(e) => {
            row.not_priced = Some(NotPriced::Eks(e));
            return row;
        }
    };
    used.eks([&m.pod_vcpu, &m.pod_gb]);
    if let Some((_, p)) = &m.storage {
        used.ecs(p);
    }
    used.eks(&m.cluster_fee.parts);
    // Extended support is shown as the sum it is; its surcharge row joins the price list.
    let extended = prices
        .eks_prices
        .cluster_fee(&service.region, Support::Extended)
        .ok();
    if let Some(fee) = &extended {
        used.eks(&fee.parts);
    }
    row.monthly = Some(m.monthly);
    row.lines.push(CostLine {
        item: CostItem::EksPods {
            pod_size: m.pod_size,
            pod_hours: m.pod_hours,
        },
        monthly: m.pods_monthly,
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
        extended: extended.map(|fee| ExtendedFee {
            per_hour: Usd(fee.usd_per_hour),
            surcharge: Usd(fee.usd_per_hour - m.cluster_fee.usd_per_hour),
        }),
    });
    row.assumptions.push(Assumption::EksPodPrices {
        per_vcpu_hour: Usd(m.pod_vcpu.usd_per_unit),
        per_gb_hour: Usd(m.pod_gb.usd_per_unit),
    });
    if let Some((gib, _)) = m.storage {
        row.assumptions
            .push(Assumption::EksStorageAtFargatePrice { gib });
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::vocab::units::CpuUnits;
    use std::str::FromStr;

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

    fn service(region: &str, extra: &str) -> Service {
        let text = format!(
            "[plan]\nregion = \"{region}\"\n[[service]]\nname = \"web\"\ncpu = 512\nmemory = 1024\ndesired_count = 2\n{extra}\n[[service.container_definitions]]\nname = \"web\"\nimage = \"x\"\n"
        );
        crate::core::testing::plan(&text).services[0].clone()
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn month(service: &Service, book: &PriceBook) -> Result<EksMonth, EksError> {
        let (f, e) = facts();
        let prices = EksPriceBook::embedded().unwrap();
        let tables = EksTables {
            prices: &prices,
            book,
            facts: &f,
            eks: &e,
        };
        price(service, d("730"), tables, d("1"))
    }

    #[test]
    fn pods_are_priced_from_the_eks_rows_of_their_region() {
        let book = crate::core::testing::book();
        // il-central-1: EKS pods $0.0518 per vCPU-hour and $0.0057 per GB-hour, not the ECS task
        // prices ($0.0518144, $0.0056896). 0.5 vCPU / 1 GB → a 0.5 vCPU / 2 GB pod.
        let m = month(&service("il-central-1", ""), &book).unwrap();
        assert_eq!(m.pod_vcpu.usd_per_unit, d("0.0518"));
        assert_eq!(m.pod_gb.usd_per_unit, d("0.0057"));
        assert_eq!(
            m.per_pod_hour,
            Usd(d("0.5") * d("0.0518") + d("2") * d("0.0057"))
        );
        // The Fargate book's ECS rows for the region: a task of the pod's size costs more.
        let ecs = |dim| book.get("il-central-1", dim).unwrap().usd_per_unit;
        assert_eq!(ecs(Dimension::LinuxX86VcpuHour), d("0.0518144"));
        assert_eq!(ecs(Dimension::LinuxX86GbHour), d("0.0056896"));
        let ecs_rate =
            d("0.5") * ecs(Dimension::LinuxX86VcpuHour) + d("2") * ecs(Dimension::LinuxX86GbHour);
        assert_ne!(m.per_pod_hour, Usd(ecs_rate));
        // Two pods all month, plus the whole $0.10 cluster fee.
        assert_eq!((m.pods, m.pod_hours), (2, d("1460")));
        assert_eq!(m.pods_monthly, Usd(d("1460") * m.per_pod_hour.0));
        assert_eq!(m.cluster_monthly, Usd(d("73")));
        assert_eq!(m.monthly, m.pods_monthly + m.cluster_monthly);
        assert!(m.pod_vcpu.source.contains("'Israel (Tel Aviv)'"));
        // us-east-1 EKS and ECS rates agree: the month is what the ECS prices give.
        let m = month(&service("us-east-1", ""), &book).unwrap();
        let ecs = d("0.5") * d("0.04048") + d("2") * d("0.004445");
        assert_eq!(m.per_pod_hour, Usd(ecs));
    }

    #[test]
    fn storage_above_20_gib_takes_the_fargate_storage_price() {
        let book = crate::core::testing::book();
        let m = month(
            &service("us-east-1", "ephemeral_storage = { size_in_gib = 50 }"),
            &book,
        )
        .unwrap();
        let (gib, p) = m.storage.clone().unwrap();
        assert_eq!(gib, d("30"));
        assert_eq!(p.dimension, Dimension::EphemeralStorageGbHour);
        assert!(m.per_pod_hour.0 > d("0.5") * d("0.04048") + d("2") * d("0.004445"));
    }

    #[test]
    fn govcloud_has_no_pod_rows_and_says_how_to_fetch_them() {
        let err = month(&service("us-gov-west-1", ""), &crate::core::testing::book()).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("us-gov-west-1")
                && msg.contains("pod_linux_x86_vcpu_hour")
                && msg.contains("fargate-planner prices fetch --region us-gov-west-1"),
            "{msg}"
        );
    }

    #[test]
    fn the_rules_file_holds_no_prices() {
        let text = "[pod]\nkubernetes_overhead_mib = 256\nmax_cpu_units = 16384\nmax_ephemeral_storage_gib = 175\nsource = \"x\"\n";
        assert!(EksFacts::from_toml("t.toml", text).is_ok());
        let old = format!(
            "{text}[[cluster_fee]]\nregion = \"r\"\nsupport = \"standard\"\nusd_per_hour = \"0.1\"\nas_of = \"2026-01-01\"\nsource = \"x\"\n"
        );
        let err = EksFacts::from_toml("t.toml", &old).unwrap_err();
        assert!(err.to_string().contains("cluster_fee"), "{err}");
    }
}
