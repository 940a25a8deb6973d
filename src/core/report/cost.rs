//! The cost engine: what one task costs per hour on a provider, and a service per month.
//!
//! A task is billed for its task-level vCPU and memory, ephemeral storage above the free 20 GiB,
//! and on Windows an OS licence per vCPU. Which price dimensions apply to which OS, architecture
//! and provider is the table [`RATE_CARD`].

use crate::core::plan::Service;
use crate::core::pricing::{Dimension, MissingPrice, Price, PriceBook};
use crate::core::rules::Facts;
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::{CpuArch, TaskSize};
use crate::core::vocab::strategy::{Provider, Strategy};
use rust_decimal::Decimal;
use serde::Serialize;

/// A billed component of a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    Vcpu,
    Memory,
    Storage,
    OsLicense,
}

impl Component {
    pub fn label(self) -> &'static str {
        match self {
            Component::Vcpu => "vCPU",
            Component::Memory => "memory",
            Component::Storage => "storage",
            Component::OsLicense => "OS licence",
        }
    }
}

/// Which dimensions price a task of an OS kind and architecture on a provider.
pub struct RateCardRow {
    pub windows: bool,
    pub arch: CpuArch,
    pub provider: Provider,
    pub vcpu: Dimension,
    pub memory: Dimension,
    pub os_license: Option<Dimension>,
}

/// Combinations not listed here are not offered by Fargate (Windows on ARM, Windows on Spot).
/// Ephemeral storage is billed at the on-demand storage rate on every provider.
pub const RATE_CARD: &[RateCardRow] = &[
    RateCardRow {
        windows: false,
        arch: CpuArch::X86_64,
        provider: Provider::Fargate,
        vcpu: Dimension::LinuxX86VcpuHour,
        memory: Dimension::LinuxX86GbHour,
        os_license: None,
    },
    RateCardRow {
        windows: false,
        arch: CpuArch::Arm64,
        provider: Provider::Fargate,
        vcpu: Dimension::LinuxArmVcpuHour,
        memory: Dimension::LinuxArmGbHour,
        os_license: None,
    },
    RateCardRow {
        windows: false,
        arch: CpuArch::X86_64,
        provider: Provider::FargateSpot,
        vcpu: Dimension::SpotX86VcpuHour,
        memory: Dimension::SpotX86GbHour,
        os_license: None,
    },
    RateCardRow {
        windows: false,
        arch: CpuArch::Arm64,
        provider: Provider::FargateSpot,
        vcpu: Dimension::SpotArmVcpuHour,
        memory: Dimension::SpotArmGbHour,
        os_license: None,
    },
    RateCardRow {
        windows: true,
        arch: CpuArch::X86_64,
        provider: Provider::Fargate,
        vcpu: Dimension::WindowsVcpuHour,
        memory: Dimension::WindowsGbHour,
        os_license: Some(Dimension::WindowsOsLicenseVcpuHour),
    },
];

/// Why a task cannot be priced.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RateError {
    #[error("{0}")]
    Missing(#[from] MissingPrice),
    #[error("{0}")]
    NotOffered(String),
}

/// One priced component of a task-hour.
#[derive(Clone, Debug, Serialize)]
pub struct RateLine {
    pub component: Component,
    /// vCPU, GB of memory or GB of storage per task.
    pub quantity: Decimal,
    pub price: Price,
    pub per_hour: Usd,
}

/// What one task costs per hour on one provider.
#[derive(Clone, Debug, Serialize)]
pub struct TaskRate {
    pub provider: Provider,
    pub lines: Vec<RateLine>,
}

impl TaskRate {
    pub fn per_hour(&self) -> Usd {
        self.lines.iter().map(|l| l.per_hour).sum()
    }
}

/// What decides a task's hourly rate besides its region and provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskShape {
    pub size: TaskSize,
    pub storage_gib: u32,
    pub windows: bool,
    pub arch: CpuArch,
}

/// What a task of this shape is billed per hour on `provider`.
pub fn task_rate(
    book: &PriceBook,
    facts: &Facts,
    region: &str,
    shape: TaskShape,
    provider: Provider,
) -> Result<TaskRate, RateError> {
    let TaskShape {
        size,
        storage_gib,
        windows,
        arch,
    } = shape;
    let row = RATE_CARD
        .iter()
        .find(|r| r.windows == windows && r.arch == arch && r.provider == provider)
        .ok_or_else(|| {
            RateError::NotOffered(match (windows, arch, provider) {
                (true, CpuArch::Arm64, _) => "Windows runs on X86_64 only".to_string(),
                _ => "no Fargate Spot for Windows".to_string(),
            })
        })?;
    let mut lines = Vec::with_capacity(4);
    let mut line = |component, quantity: Decimal, dimension| -> Result<(), RateError> {
        let price = book.get(region, dimension)?.clone();
        let per_hour = Usd(quantity * price.usd_per_unit);
        lines.push(RateLine {
            component,
            quantity,
            price,
            per_hour,
        });
        Ok(())
    };
    line(Component::Vcpu, size.cpu.vcpu(), row.vcpu)?;
    line(Component::Memory, size.memory.gb(), row.memory)?;
    let billable_storage = storage_gib.saturating_sub(facts.rules.ephemeral_storage.free_gib);
    if billable_storage > 0 {
        line(
            Component::Storage,
            Decimal::from(billable_storage),
            Dimension::EphemeralStorageGbHour,
        )?;
    }
    if let Some(licence) = row.os_license {
        line(Component::OsLicense, size.cpu.vcpu(), licence)?;
    }
    Ok(TaskRate { provider, lines })
}

/// Task-hours per month for `count` tasks over a service's uptime: `count` during the windows and
/// the service's outside count elsewhere, split by `strategy`. Returns one entry per provider
/// that the strategy lists: (provider, tasks in the windows, task-hours).
pub fn monthly_task_hours(
    service: &Service,
    strategy: &Strategy,
    hours_per_month: Decimal,
) -> Vec<(Provider, u32, Decimal)> {
    let minutes = Decimal::from(service.uptime.minutes_per_week());
    let week = Decimal::from(crate::core::vocab::schedule::MINUTES_PER_WEEK);
    let in_hours = hours_per_month * minutes / week;
    let out_hours = hours_per_month - in_hours;
    let inside = strategy.split_by_provider(service.desired_count);
    let outside = strategy.split_by_provider(service.outside_desired_count);
    inside
        .into_iter()
        .zip(outside)
        .map(|((p, n_in), (_, n_out))| {
            (
                p,
                n_in,
                Decimal::from(n_in) * in_hours + Decimal::from(n_out) * out_hours,
            )
        })
        .collect()
}

/// One provider's part of a service's month.
#[derive(Clone, Debug, Serialize)]
pub struct ProviderCost {
    pub provider: Provider,
    /// Tasks on this provider while the service runs its desired count.
    pub tasks: u32,
    pub task_hours: Decimal,
    pub rate: TaskRate,
    pub monthly: Usd,
}

impl ProviderCost {
    /// The month's cost of each component.
    pub fn components(&self) -> Vec<(Component, Usd)> {
        self.rate
            .lines
            .iter()
            .map(|l| (l.component, l.per_hour * self.task_hours))
            .collect()
    }
}

/// A service's month under one architecture and strategy.
#[derive(Clone, Debug, Serialize)]
pub struct ServiceCost {
    pub arch: CpuArch,
    pub size: TaskSize,
    pub providers: Vec<ProviderCost>,
    pub monthly: Usd,
}

impl ServiceCost {
    pub fn task_hours(&self) -> Decimal {
        self.providers.iter().map(|p| p.task_hours).sum()
    }
}

/// Prices a service's month with the given architecture, size and strategy.
pub fn price_service(
    service: &Service,
    arch: CpuArch,
    size: TaskSize,
    strategy: &Strategy,
    hours_per_month: Decimal,
    book: &PriceBook,
    facts: &Facts,
) -> Result<ServiceCost, RateError> {
    let mut providers = Vec::new();
    for (provider, tasks, task_hours) in monthly_task_hours(service, strategy, hours_per_month) {
        let shape = TaskShape {
            size,
            storage_gib: service.ephemeral_storage_gib,
            windows: service.os.is_windows(),
            arch,
        };
        let rate = task_rate(book, facts, &service.region, shape, provider)?;
        let monthly = rate.per_hour() * task_hours;
        providers.push(ProviderCost {
            provider,
            tasks,
            task_hours,
            rate,
            monthly,
        });
    }
    let monthly = providers.iter().map(|p| p.monthly).sum();
    Ok(ServiceCost {
        arch,
        size,
        providers,
        monthly,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::{prop_assert, proptest};

    fn service(extra: &str) -> (Service, Decimal) {
        let text = format!(
            "[plan]\nregion = \"us-east-1\"\n[[service]]\nname = \"web\"\n{extra}\n[[service.container_definitions]]\nname = \"web\"\nimage = \"x\"\n"
        );
        let _facts = crate::core::testing::facts();
        let _book = crate::core::testing::book();
        let plan = crate::core::testing::plan(&text);
        (plan.services[0].clone(), plan.hours_per_month)
    }

    fn monthly(extra: &str, arch: CpuArch, strategy: &Strategy) -> Usd {
        let (s, h) = service(extra);
        price_service(
            &s,
            arch,
            s.size,
            strategy,
            h,
            &crate::core::testing::book(),
            &crate::core::testing::facts(),
        )
        .unwrap()
        .monthly
    }

    #[test]
    fn the_reference_web_server() {
        let x86 = monthly(
            "cpu = 512\nmemory = 1024",
            CpuArch::X86_64,
            &Strategy::on_demand(),
        );
        assert_eq!(x86.exact().to_string(), "18.02005");
        assert_eq!(x86.display_cents(), "$18.02");
        let arm = monthly(
            "cpu = 512\nmemory = 1024",
            CpuArch::Arm64,
            &Strategy::on_demand(),
        );
        assert_eq!(arm.exact().to_string(), "14.4175");
        assert_eq!(arm.display_cents(), "$14.42");
        let spot = monthly(
            "cpu = 512\nmemory = 1024",
            CpuArch::X86_64,
            &Strategy::single(Provider::FargateSpot),
        );
        // 0.5 × 0.01288871 + 1 × 0.00141527 = 0.007859625 per hour.
        assert_eq!(spot.exact().to_string(), "5.73752625");
    }

    #[test]
    fn windows_adds_licence_and_storage_above_20_gib() {
        let (s, h) = service(
            "cpu = 1024\nmemory = 2048\nephemeral_storage = { size_in_gib = 50 }\nruntime_platform = { operating_system_family = \"WINDOWS_SERVER_2022_CORE\" }",
        );
        let cost = price_service(
            &s,
            CpuArch::X86_64,
            s.size,
            &s.strategy,
            h,
            &crate::core::testing::book(),
            &crate::core::testing::facts(),
        )
        .unwrap();
        let rate = &cost.providers[0].rate;
        // 1 × 0.046552 + 2 × 0.00511175 + 30 × 0.000111 + 1 × 0.046 = 0.1061055
        assert_eq!(rate.per_hour().exact().to_string(), "0.1061055");
        let comps: Vec<Component> = rate.lines.iter().map(|l| l.component).collect();
        assert_eq!(
            comps,
            vec![
                Component::Vcpu,
                Component::Memory,
                Component::Storage,
                Component::OsLicense
            ]
        );
        assert_eq!(cost.monthly.exact().to_string(), "77.457015");
    }

    #[test]
    fn weekday_schedule_uses_weekly_hours_times_730_over_168() {
        let (s, h) = service(
            "cpu = 512\nmemory = 1024\ndesired_count = 2\nuptime = { windows = [{ days = \"mon-fri\", start = \"08:00\", end = \"20:00\" }] }",
        );
        let hours = monthly_task_hours(&s, &s.strategy, h);
        // 2 tasks × 60 h/week × 730 / 168
        assert_eq!(
            hours[0].2.round_dp(10),
            (Decimal::from(2 * 60 * 730) / Decimal::from(168)).round_dp(10)
        );
    }

    #[test]
    fn windows_spot_is_not_offered() {
        let book = crate::core::testing::book();
        let facts = crate::core::testing::facts();
        let size = TaskSize {
            cpu: crate::core::vocab::units::CpuUnits(1024),
            memory: crate::core::vocab::units::MemoryMib(2048),
        };
        let err = task_rate(
            &book,
            &facts,
            "us-east-1",
            TaskShape {
                size,
                storage_gib: 20,
                windows: true,
                arch: CpuArch::X86_64,
            },
            Provider::FargateSpot,
        )
        .unwrap_err();
        assert!(matches!(err, RateError::NotOffered(_)));
        let err = task_rate(
            &book,
            &facts,
            "ap-east-2",
            TaskShape {
                size,
                storage_gib: 20,
                windows: true,
                arch: CpuArch::X86_64,
            },
            Provider::Fargate,
        )
        .unwrap_err();
        assert!(matches!(err, RateError::Missing(_)));
    }

    proptest! {
        #[test]
        fn cost_never_falls_when_replicas_or_hours_rise(replicas in 0u32..200, extra in 0u32..50, hours in 1u32..700, more_hours in 0u32..44) {
            let (mut s, _) = service("cpu = 1024\nmemory = 4096");
            let book = crate::core::testing::book();
            let facts = crate::core::testing::facts();
            let strategy = Strategy { items: vec![
                crate::core::vocab::strategy::StrategyItem { provider: Provider::Fargate, base: 1, weight: 1 },
                crate::core::vocab::strategy::StrategyItem { provider: Provider::FargateSpot, base: 0, weight: 3 },
            ]};
            let mut cost = |n: u32, h: u32| { s.desired_count = n; price_service(&s, CpuArch::X86_64, s.size, &strategy, Decimal::from(h), &book, &facts).unwrap().monthly };
            let a = cost(replicas, hours);
            prop_assert!(cost(replicas + extra, hours) >= a);
            prop_assert!(cost(replicas, hours + more_hours) >= a);
        }
    }
}
