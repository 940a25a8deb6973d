//! One service compared: its Fargate, Lambda and EKS rows, the savings against x86 on demand, the
//! break-even rates and the series, assembled in steps small enough to read one at a time.

use super::ec2::ec2_rows;
use super::eks::eks_row;
use super::fargate::{Used, fargate_row};
use super::lambda::{self, LambdaShape, LambdaSide, lambda_row};
use super::series::series;
use super::{
    Assumption, BreakEven, Capacity, ComparePrices, CompareRow, OptionId, ServiceComparison,
    SpotMix, WorkloadSummary,
};
use crate::core::capacity::Ec2Inputs;
use crate::core::plan::Service;
use crate::core::plan::sections::workload::Workload;
use crate::core::pricing::lambda::LambdaRates;
use crate::core::report::OptionKind;
use crate::core::report::cost::price_service;
use crate::core::vocab::platform::CpuArch;
use crate::core::vocab::schedule::MINUTES_PER_WEEK;
use crate::core::vocab::strategy::Strategy;
use rust_decimal::Decimal;

pub(super) fn compare_service(
    service: &Service,
    hours: Decimal,
    prices: ComparePrices<'_>,
    ec2: Ec2Inputs<'_>,
    mixes: &[SpotMix],
    used: &mut Used,
) -> ServiceComparison {
    let up_hours =
        hours * Decimal::from(service.uptime.minutes_per_week()) / Decimal::from(MINUTES_PER_WEEK);
    let up_seconds = up_hours * Decimal::from(3600);

    let mut rows = fargate_rows(service, hours, prices, mixes, used);

    // Lambda.
    let w = service.workload.as_ref();
    let side = lambda_side(service, up_seconds);
    let lambda_rates = lambda_rows(&mut rows, &side, service, prices, used);

    // EKS on Fargate.
    let share = w.map_or(Decimal::ONE, |w| w.eks_cluster_share);
    rows.push(eks_row(service, hours, share, prices, used));

    // EC2 container instances.
    let ec2 = ec2_rows(service, hours, ec2, &rows, used);
    rows.extend(ec2);

    savings(&mut rows);
    break_evens(&mut rows, &side, &lambda_rates, prices);

    let series = series(
        &rows,
        &side,
        &lambda_rates,
        w.and_then(|w| w.requests_per_second),
        prices,
    );

    ServiceComparison {
        name: service.name.clone(),
        region: service.region.clone(),
        operating_system_family: service.os.ecs_name().to_string(),
        cpu_architecture: service.arch,
        size: service.size.to_string(),
        desired_count: service.desired_count,
        uptime: service.uptime.to_string(),
        strategy: service.strategy.to_string(),
        seconds_up_per_month: up_seconds,
        workload: w.map(|w| workload_summary(w, &side)),
        rows,
        series,
    }
}

/// Fargate: the report's four options, then each mix on both architectures.
fn fargate_rows(
    service: &Service,
    hours: Decimal,
    prices: ComparePrices<'_>,
    mixes: &[SpotMix],
    used: &mut Used,
) -> Vec<CompareRow> {
    let mut rows = Vec::new();
    for kind in OptionKind::ALL {
        let strategy = Strategy::single(kind.provider());
        let cost = price_service(
            service,
            kind.arch(),
            service.size,
            &strategy,
            hours,
            prices.book,
            prices.facts,
        );
        let capacity = if kind.provider().is_spot() {
            Capacity::Spot
        } else {
            Capacity::OnDemand
        };
        let current = kind.arch() == service.arch && strategy == service.strategy;
        let option = OptionId::Fargate {
            arch: kind.arch(),
            capacity,
        };
        rows.push(fargate_row(option, current, cost, service, used));
    }
    for mix in mixes {
        for arch in [CpuArch::X86_64, CpuArch::Arm64] {
            let cost = price_service(
                service,
                arch,
                service.size,
                &mix.strategy,
                hours,
                prices.book,
                prices.facts,
            );
            let current = arch == service.arch && mix.strategy == service.strategy;
            let option = OptionId::Fargate {
                arch,
                capacity: Capacity::Mix(mix.clone()),
            };
            rows.push(fargate_row(option, current, cost, service, used));
        }
    }
    rows
}

/// The function the service would be, from its workload (defaults where it has none).
fn lambda_side(service: &Service, up_seconds: Decimal) -> LambdaSide {
    let w = service.workload.as_ref();
    let shape = LambdaShape {
        duration_ms: w.map_or(Decimal::ZERO, |w| w.duration_ms),
        max_duration_ms: w.map_or(Decimal::ZERO, |w| {
            w.max_duration_ms.unwrap_or(w.duration_ms)
        }),
        memory: w
            .and_then(|w| w.lambda_memory)
            .unwrap_or(service.size.memory),
        image: w.and_then(|w| w.image_size),
        free_tier: w.is_some_and(|w| w.lambda_free_tier),
        windows: service.os.is_windows(),
    };
    let requests_per_month = w
        .and_then(|w| w.requests_per_second)
        .map(|r| r * up_seconds);
    LambdaSide {
        shape,
        up_seconds,
        requests_per_month,
        has_workload: w.is_some(),
    }
}

/// Pushes a Lambda row per architecture; returns the rates of those that could be priced.
fn lambda_rows(
    rows: &mut Vec<CompareRow>,
    side: &LambdaSide,
    service: &Service,
    prices: ComparePrices<'_>,
    used: &mut Used,
) -> Vec<(CpuArch, LambdaRates)> {
    let w = service.workload.as_ref();
    let mut lambda_rates: Vec<(CpuArch, LambdaRates)> = Vec::new();
    for arch in [CpuArch::X86_64, CpuArch::Arm64] {
        let (mut row, rates) = lambda_row(arch, side, service, prices, used);
        if let (Some(w), Some(rps)) = (w, w.and_then(|w| w.requests_per_second)) {
            let concurrency = rps * w.duration_ms / Decimal::from(1000);
            let quota = prices.limits.concurrency.default_quota;
            if rates.is_some() && concurrency > Decimal::from(quota) {
                row.assumptions
                    .push(Assumption::LambdaConcurrency { concurrency, quota });
            }
        }
        rows.push(row);
        if let Some(r) = rates {
            lambda_rates.push((arch, r));
        }
    }
    lambda_rates
}

/// Savings against x86 on-demand.
fn savings(rows: &mut [CompareRow]) {
    let baseline = rows
        .iter()
        .find(|r| r.id == "fargate_x86_on_demand")
        .and_then(|r| r.monthly);
    for row in rows {
        if let (Some(m), Some(base)) = (row.monthly, baseline) {
            row.vs_x86_on_demand = Some(m - base);
            row.vs_x86_on_demand_percent = (m - base).percent_of(base);
        }
    }
}

/// Break-even with each Lambda architecture that can be priced.
fn break_evens(
    rows: &mut [CompareRow],
    side: &LambdaSide,
    lambda_rates: &[(CpuArch, LambdaRates)],
    prices: ComparePrices<'_>,
) {
    let up_seconds = side.up_seconds;
    for row in rows {
        let (Some(monthly), Some(_)) = (row.monthly, row.option.paired_lambda()) else {
            continue;
        };
        for (arch, rates) in lambda_rates {
            let n = lambda::requests_costing(monthly, &side.shape, rates, prices.limits);
            row.break_even.push(BreakEven {
                lambda: *arch,
                requests_per_second: n
                    .filter(|_| up_seconds > Decimal::ZERO)
                    .map(|n| n / up_seconds),
                requests_per_month: n,
            });
        }
    }
}

/// The workload as read, defaults filled in.
fn workload_summary(w: &Workload, side: &LambdaSide) -> WorkloadSummary {
    WorkloadSummary {
        requests_per_second: w.requests_per_second,
        requests_per_month: side.requests_per_month,
        duration_ms: w.duration_ms,
        max_duration_ms: side.shape.max_duration_ms,
        lambda_memory_mib: side.shape.memory.0,
        lambda_memory_is_task_memory: w.lambda_memory.is_none(),
        image_size_mib: w.image_size.map(|m| m.0),
        lambda_free_tier: w.lambda_free_tier,
        eks_cluster_share: w.eks_cluster_share,
        concurrency: w
            .requests_per_second
            .map(|r| r * w.duration_ms / Decimal::from(1000)),
    }
}
