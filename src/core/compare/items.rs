//! What a comparison row says, as values rather than sentences: its cost lines, assumptions,
//! disqualifiers and unpriced reasons, and the comparison's notes. The numbers stay exact; the
//! exporters (`crate::export::compare_text`) phrase and round them.

use super::MixSource;
use super::ec2::Ec2Assumption;
use super::eks::EksError;
use crate::core::pricing::MissingPrice;
use crate::core::pricing::lambda::MissingLambdaPrice;
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::{CpuArch, TaskSize};
use crate::core::vocab::schedule::Uptime;
use crate::core::vocab::strategy::{Provider, Strategy};
use crate::core::vocab::units::MemoryMib;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// One priced part of a row's month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CostItem {
    /// Tasks of one capacity provider over the month.
    FargateTasks {
        tasks: u32,
        provider: Provider,
        task_hours: Decimal,
        per_task_hour: Usd,
    },
    /// Lambda requests billed (after the free tier), at the first tier's price per million.
    LambdaRequests { requests: Decimal, per_million: Usd },
    /// Lambda GB-seconds billed (after the free tier).
    LambdaDuration { gb_seconds: Decimal },
    /// EKS pods of the provisioned size.
    EksPods {
        pod_size: TaskSize,
        pod_hours: Decimal,
    },
    /// This service's share of the EKS cluster fee.
    EksClusterFee {
        share: Decimal,
        per_hour: Usd,
        hours: Decimal,
    },
    /// EC2 container instances of one type over the month.
    Ec2Instances {
        instance_type: String,
        instances: u32,
        instance_hours: Decimal,
        per_hour: Usd,
    },
    /// Spot's discount on the instances, as the user gave it (a negative line).
    Ec2SpotDiscount { discount: Decimal },
    /// The ECS Managed Instances fee per instance-hour.
    Ec2ManagedFee {
        instance_hours: Decimal,
        per_hour: Usd,
    },
}

/// What a row's figure takes for granted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Assumption {
    /// The service's tasks over its uptime, and the task-hours they make.
    Tasks {
        tasks: u32,
        size: TaskSize,
        uptime: Uptime,
        task_hours: Decimal,
    },
    /// The Spot mix priced and where it came from.
    Mix {
        strategy: Strategy,
        from: MixSource,
    },
    /// The date of the Spot prices (`None` when no Spot price line was found).
    SpotPricesOf {
        as_of: Option<NaiveDate>,
    },
    SpotWarning,
    SpotNoFallback,
    /// The option runs on another architecture than the plan's.
    NeedsImage {
        arch: CpuArch,
    },
    /// Average Lambda concurrency above the default regional quota.
    LambdaConcurrency {
        concurrency: Decimal,
        quota: u32,
    },
    /// The requests a month priced, each at a duration and memory.
    LambdaRequests {
        requests: Decimal,
        duration_ms: Decimal,
        memory: MemoryMib,
        gb_seconds: Decimal,
    },
    /// No request rate: a request's duration and memory only.
    LambdaPerRequest {
        duration_ms: Decimal,
        memory: MemoryMib,
    },
    LambdaBilledPerMs,
    LambdaFreeTier {
        requests: u64,
        gb_seconds: u64,
    },
    LambdaNoFreeTier,
    LambdaTiersThisService,
    /// EKS on Fargate for an ARM service: the image must run on x86.
    EksNeedsX86Image,
    EksX86OnDemandOnly,
    EksPodSize {
        size: TaskSize,
        overhead_mib: u32,
        pod_size: TaskSize,
    },
    EksClusterFee {
        per_hour: Usd,
        share: Decimal,
        /// Extended support's fee, when the book has the region's surcharge.
        extended: Option<ExtendedFee>,
    },
    /// Pods at the region's EKS-on-Fargate rates (not the ECS task prices).
    EksPodPrices {
        per_vcpu_hour: Usd,
        per_gb_hour: Usd,
    },
    /// Ephemeral storage above the free 20 GiB at the Fargate storage price.
    EksStorageAtFargatePrice {
        gib: Decimal,
    },
    /// What an EC2 row takes for granted (packing, zones, reservation, ...).
    Ec2(Ec2Assumption),
}

/// The cluster fee under extended support: the standard fee plus a surcharge, a sum rather than a
/// price of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExtendedFee {
    pub per_hour: Usd,
    pub surcharge: Usd,
}

/// A hard limit the workload breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Disqualifier {
    /// Fargate does not offer the option (the report's reason).
    NotOffered(String),
    LambdaWindows,
    LambdaMemory {
        memory: MemoryMib,
        max_mib: u32,
    },
    LambdaDuration {
        max_duration_ms: Decimal,
        max_ms: u64,
    },
    LambdaImage {
        image: MemoryMib,
        max_mib: u32,
    },
    EksWindows,
    EksTooLarge {
        size: TaskSize,
        overhead_mib: u32,
    },
    EksStorage {
        needs_gib: u32,
        max_gib: u32,
    },
    /// No instance type of the architectures the images run on holds one task.
    Ec2TooLarge {
        size: TaskSize,
        archs: Vec<CpuArch>,
    },
}

/// Why a row that is not ruled out has no figure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotPriced {
    NoWorkload,
    NoRequestRate,
    FargatePrice(MissingPrice),
    LambdaPrice(MissingLambdaPrice),
    Eks(EksError),
    /// EC2 Windows container instances need a Windows EC2 price source.
    Ec2Windows,
    /// The EC2 book has no price in the region.
    Ec2Region {
        region: String,
    },
    /// ECS Managed Instances without its fee: the EC2 part alone is in the lines.
    Ec2ManagedFee {
        ec2_monthly: Usd,
        example: Usd,
    },
}

/// A note on the whole comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    HoursPerMonth {
        hours: Decimal,
    },
    FlatFargate,
    LambdaCpu,
    SpotRows,
    StalePrices {
        count: usize,
    },
    NotIncluded,
    /// The recommender's trials behind the recommended mixes.
    RecommendedMixes {
        trials: u32,
    },
    /// How the EC2 rows are built, what they leave out, and how to get a Spot figure.
    Ec2 {
        spot_discount: Option<Decimal>,
    },
}
