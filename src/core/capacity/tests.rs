//! The EC2 model's acceptance tests: hand-computed packings and months against the embedded
//! book, with the reserved memory and the ENI limit applied.

use super::*;
use crate::core::plan::Plan;
use crate::core::pricing::ec2::Ec2Book;
use crate::core::testing::plan;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// `n` tasks of 1 vCPU / 2 GB, ARM64, always on in us-east-1 (730 hours).
fn ten_arm_tasks(extra: &str) -> Plan {
    plan(&format!(
        "[plan]\nregion = \"us-east-1\"\n{extra}\n[[service]]\nname = \"api\"\ncpu = \"1 vCPU\"\nmemory = \"2 GB\"\ndesired_count = 10\nruntime_platform = {{ cpu_architecture = \"ARM64\" }}\n[[service.container_definitions]]\nname = \"api\"\nimage = \"x\"\n"
    ))
}

fn month_on(plan: &Plan, types: &[&str]) -> Vec<(String, u32, Usd)> {
    let book = Ec2Book::embedded().unwrap();
    let s = &plan.services[0];
    types
        .iter()
        .map(|t| {
            let spec = book.spec(t).unwrap();
            let price = book.price(&s.region, t).unwrap();
            let c = candidate(
                s,
                plan.hours_per_month,
                spec,
                Usd::new(price.usd_per_hour),
                &plan.ec2,
            )
            .unwrap();
            (c.instance_type, c.peak.instances, c.monthly)
        })
        .collect()
}

/// The acceptance case: 10 tasks of 1 vCPU / 2 GB (2,048 MiB), 256 MiB reserved per instance, no
/// ENI trunking, 2 zones (5 tasks each), 730 hours, us-east-1 on-demand Linux prices of the book.
///
/// - m7g.large: 2 vCPU, 8,192 MiB, 3 ENIs. CPU 2048/1024 = 2, memory (8192−256)/2048 = 3,
///   ENIs 3−1 = 2 → 2 tasks an instance (CPU and ENIs). ⌈5/2⌉ = 3 a zone → 6 instances.
///   6 × $0.0816 × 730 = $357.408 → $357.41.
/// - c7g.large: 2 vCPU, 4,096 MiB, 3 ENIs. CPU 2, memory (4096−256)/2048 = 1.875 → 1, ENIs 2
///   → 1 task an instance (memory: the reservation makes the second task miss by 256 MiB).
///   5 a zone → 10 instances. 10 × $0.0725 × 730 = $529.25.
/// - m7g.xlarge: 4 vCPU, 16,384 MiB, 4 ENIs. CPU 4, memory (16384−256)/2048 = 7, ENIs 4−1 = 3
///   → 3 tasks an instance (ENIs). ⌈5/3⌉ = 2 a zone → 4 instances.
///   4 × $0.1632 × 730 = $476.544 → $476.54.
///
/// The cheapest of the three is m7g.large, 6 instances, $357.41. Fargate ARM for the same tasks:
/// 10 × ($0.03238 + 2 × $0.00356) × 730 = $288.35, so Fargate wins here.
#[test]
fn ten_one_vcpu_tasks_on_three_graviton_types() {
    let p = ten_arm_tasks("");
    let got = month_on(&p, &["m7g.large", "c7g.large", "m7g.xlarge"]);
    assert_eq!(
        got,
        vec![
            ("m7g.large".to_string(), 6, Usd::new(d("357.408"))),
            ("c7g.large".to_string(), 10, Usd::new(d("529.25"))),
            ("m7g.xlarge".to_string(), 4, Usd::new(d("476.544"))),
        ]
    );
    let cheapest = got.iter().min_by_key(|g| g.2).unwrap();
    assert_eq!(cheapest.0, "m7g.large");
    assert_eq!(cheapest.2.display_cents(), "$357.41");

    let book = Ec2Book::embedded().unwrap();
    let s = &p.services[0];
    let b = bin(book.spec("c7g.large").unwrap(), &p.ec2);
    assert_eq!(
        b.holds(Task {
            cpu_units: 1024,
            memory_mib: 2048
        }),
        (1, Limit::Memory)
    );
    let b = bin(book.spec("m7g.xlarge").unwrap(), &p.ec2);
    assert_eq!(
        b.holds(Task {
            cpu_units: 1024,
            memory_mib: 2048
        }),
        (3, Limit::Enis)
    );
    assert_eq!(peak_tasks(s), (10, false));
}

/// Without the reservation c7g.large holds 2 tasks (memory 4096/2048); with trunking at 10
/// tasks an instance, m7g.xlarge holds 4 (CPU) and needs ⌈5/4⌉ = 2 a zone, still 4 instances;
/// in one zone m7g.large needs ⌈10/2⌉ = 5: 5 × $0.0816 × 730 = $297.84.
#[test]
fn the_reservation_the_trunking_and_the_zones_are_inputs() {
    let p = ten_arm_tasks("[plan.ec2]\nreserved_memory = 0\nawsvpc_tasks_per_instance = 10\n");
    let got = month_on(&p, &["c7g.large", "m7g.xlarge"]);
    assert_eq!(got[0].1, 6); // 2 a zone-instance: ⌈5/2⌉ = 3 a zone.
    assert_eq!(got[1].1, 4);
    let p = ten_arm_tasks("[plan.ec2]\navailability_zones = 1\n");
    let got = month_on(&p, &["m7g.large"]);
    assert_eq!(got[0], ("m7g.large".to_string(), 5, Usd::new(d("297.84"))));
}

#[test]
fn the_cheapest_type_of_the_book_with_graviton_only_for_arm_images() {
    let book = Ec2Book::embedded().unwrap();
    let facts = Ec2Facts::embedded().unwrap();
    let p = ten_arm_tasks("");
    let inputs = Ec2Inputs {
        book: &book,
        facts: &facts,
        settings: &p.ec2,
        spot_discount: None,
    };
    let m = ec2_month(&p.services[0], p.hours_per_month, inputs).unwrap();
    assert_eq!(m.chosen.arch, CpuArch::Arm64);
    assert!(!m.spec.is_burstable());
    assert!(m.chosen.monthly <= m.runners_up[0].monthly);
    // 2 instances per zone hold at least 5 tasks each: never below the lower bound.
    assert!(m.chosen.peak.instances >= m.chosen.peak.lower_bound);
    // The default VPC (no subnets): public addresses on both sides, 10 tasks vs the instances.
    let ip = m.public_ipv4.clone().unwrap();
    assert_eq!(ip.fargate_monthly, Usd::new(d("36.5")));
    assert_eq!(
        ip.ec2_monthly,
        Usd::new(d("0.005") * Decimal::from(m.chosen.peak.instances) * d("730"))
    );

    // An x86 service without image_architectures never gets Graviton.
    let x86 = plan(
        "[plan]\nregion = \"us-east-1\"\n[[service]]\nname = \"a\"\ncpu = 1024\nmemory = 2048\ndesired_count = 4\n[[service.container_definitions]]\nname = \"a\"\nimage = \"x\"\n",
    );
    let m = ec2_month(&x86.services[0], x86.hours_per_month, inputs).unwrap();
    assert_eq!(m.chosen.arch, CpuArch::X86_64);
    assert!(m.runners_up.iter().all(|c| c.arch == CpuArch::X86_64));
    // ... unless its images are multi-arch.
    let multi = plan(
        "[plan]\nregion = \"us-east-1\"\n[[service]]\nname = \"a\"\ncpu = 1024\nmemory = 2048\ndesired_count = 4\n[service.recommend]\nimage_architectures = [\"X86_64\", \"ARM64\"]\n[[service.container_definitions]]\nname = \"a\"\nimage = \"x\"\n",
    );
    assert_eq!(
        allowed_archs(&multi.services[0]),
        vec![CpuArch::X86_64, CpuArch::Arm64]
    );
}

#[test]
fn windows_and_unknown_regions_are_reasons_not_numbers() {
    let book = Ec2Book::embedded().unwrap();
    let facts = Ec2Facts::embedded().unwrap();
    let win = plan(
        "[plan]\nregion = \"us-east-1\"\n[[service]]\nname = \"w\"\ncpu = 1024\nmemory = 2048\nruntime_platform = { operating_system_family = \"WINDOWS_SERVER_2022_CORE\" }\n[[service.container_definitions]]\nname = \"w\"\nimage = \"x\"\n",
    );
    let inputs = Ec2Inputs {
        book: &book,
        facts: &facts,
        settings: &win.ec2,
        spot_discount: None,
    };
    assert_eq!(
        ec2_month(&win.services[0], win.hours_per_month, inputs).unwrap_err(),
        Ec2Unpriced::Windows
    );
    let empty = Ec2Book::default();
    let p = ten_arm_tasks("");
    let inputs = Ec2Inputs {
        book: &empty,
        ..inputs
    };
    assert!(matches!(
        ec2_month(&p.services[0], p.hours_per_month, inputs),
        Err(Ec2Unpriced::NoPrices { .. })
    ));
}

#[test]
fn autoscaling_sizes_for_its_maximum_and_break_even_density_is_a_ratio() {
    let p = ten_arm_tasks("");
    let mut s = p.services[0].clone();
    s.autoscaling = Some(crate::core::plan::sections::autoscaling::Autoscaling {
        min_capacity: 2,
        max_capacity: 14,
        metric: crate::core::plan::sections::autoscaling::ScalingMetric::Cpu,
        target_value: 60.0,
        per_task_capacity: None,
        scale_out_delay_s: 180,
        scale_in_delay_s: 900,
        scale_out_cooldown_s: 300,
        scale_in_cooldown_s: 300,
    });
    assert_eq!(peak_tasks(&s), (14, true));
    // m7g.large at $0.0816 an hour against Fargate ARM 1 vCPU / 2 GB at $0.0395 a task-hour.
    let de = break_even_density(Usd::new(d("0.0816")), Usd::new(d("0.0395"))).unwrap();
    assert_eq!(de.round_dp(4), d("2.0658"));
    assert_eq!(
        Ec2Facts::embedded().unwrap().public_ipv4.usd_per_hour,
        Usd::new(d("0.005"))
    );
}

/// Two services of one region on one shared cluster: 10 tasks of 1 vCPU / 2 GB and 4 of
/// 0.5 vCPU / 1 GB, all ARM64. 7 tasks a zone; the ENI limit (2 a large instance) binds before
/// CPU, so ⌈7/2⌉ = 4 m6g.large a zone, 8 × $0.077 × 730 = $449.68 — dearer than apart ($436.54:
/// 6 m6g.large for the API, 2 c6g.large at $0.068 for the jobs), as one type must serve both.
#[test]
fn a_region_shared_cluster_packs_every_service_together() {
    let p = plan(
        "[plan]\nregion = \"us-east-1\"\n[[service]]\nname = \"api\"\ncpu = \"1 vCPU\"\nmemory = \"2 GB\"\ndesired_count = 10\nruntime_platform = { cpu_architecture = \"ARM64\" }\n[[service.container_definitions]]\nname = \"api\"\nimage = \"x\"\n[[service]]\nname = \"jobs\"\ncpu = 512\nmemory = 1024\ndesired_count = 4\nruntime_platform = { cpu_architecture = \"ARM64\" }\n[[service.container_definitions]]\nname = \"jobs\"\nimage = \"x\"\n",
    );
    let book = Ec2Book::embedded().unwrap();
    let facts = Ec2Facts::embedded().unwrap();
    let inputs = Ec2Inputs {
        book: &book,
        facts: &facts,
        settings: &p.ec2,
        spot_discount: None,
    };
    let services: Vec<&crate::core::plan::Service> = p.services.iter().collect();
    let c = shared_cluster(&services, p.hours_per_month, inputs).unwrap();
    assert_eq!(c.tasks, 14);
    assert_eq!(c.arch, CpuArch::Arm64);
    let apart: Usd = p
        .services
        .iter()
        .map(|s| {
            ec2_month(s, p.hours_per_month, inputs)
                .unwrap()
                .chosen
                .monthly
        })
        .sum();
    assert_eq!(
        (c.instance_type.as_str(), c.packing.instances),
        ("m6g.large", 8)
    );
    assert_eq!(c.monthly.display_cents(), "$449.68");
    assert_eq!(apart.display_cents(), "$436.54");
    assert!(c.packing.instances >= c.packing.lower_bound);
    // An x86-only service keeps the whole cluster on x86.
    let mut x86 = p.services[1].clone();
    x86.arch = CpuArch::X86_64;
    x86.tuning.image_architectures = vec![CpuArch::X86_64];
    let c = shared_cluster(&[&p.services[0], &x86], p.hours_per_month, inputs);
    assert!(matches!(c, Err(Ec2Unpriced::NoFit { ref archs }) if archs.is_empty()));
}
