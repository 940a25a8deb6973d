//! The recommender against the issue's cases, read through its phrased reasons: targets that
//! need a FARGATE base, relaxed targets that go to Spot, impossible targets, and the platform
//! rules (ARM only when declared, no Spot on Windows). Moved from the core when the reasons
//! became values; the assertions are the same.

use super as text;
use crate::core::plan::Plan;
use crate::core::pricing::SavingsRates;
use crate::core::recommend::{
    Candidate, RecommendOptions, Recommendation, ServiceRecommendation, fargate_base, recommend,
};
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::CpuArch;
use crate::core::vocab::strategy::Provider;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// The candidate as the report labels it.
fn label(c: &Candidate) -> String {
    text::candidate_label(c)
}

/// The service's reasons as the report phrases them.
fn reasons(s: &ServiceRecommendation) -> Vec<String> {
    s.reasons.iter().map(text::reason).collect()
}

fn plan(text: &str) -> Plan {
    crate::core::testing::plan(text)
}

/// Four tasks; Spot is interrupted often (0.1 per task-hour) and has four 3-hour outages a month.
fn web(extra: &str) -> Plan {
    plan(&format!(
        r#"[plan]
region = "us-east-1"
[[service]]
name = "web"
cpu = 512
memory = 1024
desired_count = 4
spot = {{ interruption_rate = 0.1, outages_per_month = 4, outage_duration = "3h" }}
{extra}
[[service.container_definitions]]
name = "web"
image = "x"
"#
    ))
}

fn opts() -> RecommendOptions {
    RecommendOptions {
        trials: 200,
        seed: 11,
        horizon_minutes: 30 * 1440,
        start: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
        today: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
    }
}

fn run(p: &Plan) -> Recommendation {
    recommend(
        p,
        &[],
        &crate::core::testing::book(),
        &SavingsRates::embedded().unwrap(),
        &crate::core::testing::facts(),
        &opts(),
        &|_| {},
    )
    .unwrap()
}

#[test]
fn a_strict_target_gets_a_fargate_base_of_at_least_min_healthy() {
    let p = web(r#"availability = { min_healthy = 2, target = "99.999%", startup = "60s" }"#);
    let r = run(&p);
    let s = &r.services[0];
    let rec = s.recommended.as_ref().unwrap_or_else(|| panic!("{s:#?}"));
    // All Spot misses the target: the frontier says so.
    let all_spot = s
        .frontier
        .iter()
        .chain(std::iter::once(&s.as_written))
        .all(|c| c.strategy.uses(Provider::Fargate) || !c.meets_target);
    assert!(all_spot);
    assert!(
        rec.strategy.uses(Provider::FargateSpot),
        "some Spot should still pay: {}",
        label(rec)
    );
    let split = rec.strategy.split_by_provider(4);
    let on_fargate = split
        .iter()
        .find(|(p, _)| *p == Provider::Fargate)
        .map_or(0, |x| x.1);
    assert!(on_fargate >= 2, "{}", label(rec));
    assert!(fargate_base(&rec.strategy) >= 2, "{}", label(rec));
    assert!(rec.meets_target);
    assert!(
        reasons(s)
            .iter()
            .any(|l| l.contains("all-Spot gives") && l.contains("below"))
    );
    assert!(
        reasons(s).iter().any(|l| l.contains("keeps min_healthy")),
        "{:?}",
        reasons(s)
    );
    // Cheaper than all on FARGATE.
    let od = s.as_written.expected_monthly;
    assert!(rec.expected_monthly < od);
    assert_eq!(s.saving_monthly, Some(od - rec.expected_monthly));
}

#[test]
fn a_relaxed_target_goes_nearly_all_spot() {
    let p = web(r#"availability = { min_healthy = 2, target = "95%", startup = "60s" }"#);
    let r = run(&p);
    let rec = r.services[0].recommended.clone().unwrap();
    assert!(
        rec.spot_percent > 70.0,
        "{} ({}%)",
        label(&rec),
        rec.spot_percent
    );
    assert!(fargate_base(&rec.strategy) <= 1, "{}", label(&rec));
}

#[test]
fn an_impossible_target_is_infeasible_with_the_best_availability() {
    // A task that restarts each day (a daily window) cannot be healthy while it starts; with a
    // 30-minute startup a 100% target is out of reach.
    let p = web(
        r#"availability = { min_healthy = 4, target = "100%", startup = "30m" }
uptime = { windows = [{ days = "mon-sun", start = "08:00", end = "20:00" }] }"#,
    );
    let r = run(&p);
    let s = &r.services[0];
    assert!(!r.feasible());
    assert!(s.recommended.is_none());
    assert!(s.best_availability_percent < 100.0);
    assert!(s.best_availability_percent > 90.0);
    assert!(
        reasons(s)[0].contains("no candidate meets the 100% target"),
        "{:?}",
        reasons(s)
    );
}

#[test]
fn arm_only_when_the_images_declare_it() {
    let r = run(&web(""));
    for c in r.services[0].frontier.iter() {
        assert_eq!(c.arch, CpuArch::X86_64);
    }
    assert_eq!(
        r.services[0].recommended.as_ref().map(|c| c.arch),
        Some(CpuArch::X86_64)
    );
    assert!(
        reasons(&r.services[0])
            .iter()
            .any(|l| l.contains("ARM not considered: image architectures unknown — pass --images"))
    );
    let r = run(&web(
        r#"recommend = { image_architectures = ["X86_64", "ARM64"] }"#,
    ));
    assert_eq!(
        r.services[0].recommended.as_ref().map(|c| c.arch),
        Some(CpuArch::Arm64)
    );
}

/// What `--images` would have read of the web container's image.
fn read(archs: &[&str]) -> crate::core::plan::sections::recommend::ImageRead {
    crate::core::plan::sections::recommend::ImageRead {
        container: "web".into(),
        image: "nginx:1.27".into(),
        platforms: Ok(archs
            .iter()
            .map(|a| crate::core::vocab::platform::ImagePlatform {
                os: "linux".into(),
                architecture: (*a).into(),
                variant: None,
            })
            .collect()),
    }
}

#[test]
fn arm_from_the_images_read_and_the_saving_an_arm64_build_would_bring() {
    let with = |reads: Vec<_>| {
        let mut p = web("");
        crate::core::recommend::images::apply_reads(&mut p.services[0], reads);
        run(&p)
    };
    let r = with(vec![read(&["amd64", "arm64"])]);
    let s = &r.services[0];
    assert_eq!(s.recommended.as_ref().map(|c| c.arch), Some(CpuArch::Arm64));
    let lines = reasons(s);
    assert!(
        lines
            .iter()
            .any(|l| l == "web: image nginx:1.27 has linux/arm64 → ARM considered"),
        "{lines:?}"
    );
    assert_eq!(s.image_architectures.source.id(), "images");

    let r = with(vec![read(&["amd64"])]);
    let s = &r.services[0];
    let rec = s.recommended.as_ref().unwrap();
    assert_eq!(rec.arch, CpuArch::X86_64);
    let forgone = s.image_architectures.arm_saving_forgone.unwrap();
    assert!(forgone.0 > Decimal::ZERO, "{forgone:?}");
    // ARM64 is about 20% cheaper per task-hour than X86_64 on Fargate.
    let share = forgone.0 / rec.expected_monthly.0;
    assert!(
        share > Decimal::new(15, 2) && share < Decimal::new(25, 2),
        "{share}"
    );
    let lines = reasons(s);
    let want = format!(
        "web: image nginx:1.27 has only linux/amd64 → kept on X86_64, the ARM saving of {}/month needs an arm64 build",
        forgone.display_cents()
    );
    assert!(lines.iter().any(|l| l.starts_with(&want)), "{lines:?}");

    // Written ARM64 with an amd64-only image: the recommendation is the fix.
    let mut p = web("runtime_platform = { cpu_architecture = \"ARM64\" }");
    crate::core::recommend::images::apply_reads(&mut p.services[0], vec![read(&["amd64"])]);
    let r = run(&p);
    let s = &r.services[0];
    assert_eq!(
        s.recommended.as_ref().map(|c| c.arch),
        Some(CpuArch::X86_64)
    );
    assert!(
        reasons(s)
            .iter()
            .any(|l| l.contains("has only linux/amd64 → moved to X86_64 (as written, on ARM64")),
        "{:?}",
        reasons(s)
    );

    let mut unreadable = read(&[]);
    unreadable.platforms = Err("HTTP 500 from r".into());
    let r = with(vec![unreadable]);
    let s = &r.services[0];
    assert_eq!(
        s.recommended.as_ref().map(|c| c.arch),
        Some(CpuArch::X86_64)
    );
    assert!(
        reasons(s).iter().any(|l| l
            .contains("could not read image nginx:1.27 (HTTP 500 from r) → ARM not considered")),
        "{:?}",
        reasons(s)
    );
    assert_eq!(s.image_architectures.arm_saving_forgone, None);
}

#[test]
fn windows_gets_no_spot_and_no_arm() {
    let p = plan(
        r#"[plan]
region = "us-east-1"
[[service]]
name = "win"
cpu = "1 vCPU"
memory = "2 GB"
desired_count = 3
runtime_platform = { operating_system_family = "WINDOWS_SERVER_2022_CORE" }
recommend = { image_architectures = ["X86_64", "ARM64"] }
availability = { target = "50%" }
[[service.container_definitions]]
name = "win"
image = "x"
"#,
    );
    let r = run(&p);
    let s = &r.services[0];
    let rec = s.recommended.as_ref().unwrap();
    assert!(!rec.strategy.uses(Provider::FargateSpot));
    assert_eq!(rec.arch, CpuArch::X86_64);
    assert_eq!(s.candidates, 1);
    assert!(
        s.skipped
            .iter()
            .map(text::skipped)
            .any(|l| l.contains("Windows on X86_64 only"))
    );
    // Windows usage is outside the Savings Plans sizing.
    assert!(
        r.savings_plans
            .excluded
            .iter()
            .map(text::excluded)
            .any(|l| l.contains("Windows"))
    );
}

#[test]
fn peak_utilisation_right_sizes_the_task() {
    let r = run(&web(
        r#"recommend = { peak_cpu = "30%", peak_memory = "35%" }
availability = { target = "90%" }"#,
    ));
    let rec = r.services[0].recommended.clone().unwrap();
    // 512 × 0.30 / 0.8 = 192 units, 1024 × 0.35 / 0.8 = 448 MiB: 0.25 vCPU / 512 MiB.
    assert_eq!(rec.size.cpu.0, 256);
    assert_eq!(rec.size.memory.0, 512);
    assert!(
        reasons(&r.services[0])
            .iter()
            .any(|l| l.contains("peak CPU 30%"))
    );
}

#[test]
fn a_p95_ceiling_rules_out_dearer_candidates() {
    let p = web(
        r#"availability = { min_healthy = 2, target = "99.9%", startup = "60s" }
recommend = { p95_cost_ceiling = 20 }"#,
    );
    let r = run(&p);
    let s = &r.services[0];
    // Any candidate meeting 99.9% costs more than $20 at P95 for four 0.5 vCPU tasks.
    assert!(s.recommended.is_none());
    assert!(reasons(s)[0].contains("within the P95 cost ceiling"));
}

#[test]
fn savings_plans_cover_only_on_demand_and_reconcile() {
    let p = web(
        r#"capacity_provider_strategy = [{ capacity_provider = "FARGATE", base = 2, weight = 1 }, { capacity_provider = "FARGATE_SPOT", weight = 1 }]
availability = { min_healthy = 4, target = "100%", task_failure_rate = 0 }"#,
    );
    // Without task failures (the default 0.0005 per task-hour makes 100% unreachable), four
    // FARGATE tasks are the only way to 100%.
    let r = run(&p);
    let sp = &r.savings_plans;
    // Whatever is recommended, the eligible spend is its FARGATE vCPU and memory: compare with
    // the static price of its on-demand tasks.
    let rec = r.services[0].recommended.clone().unwrap();
    let on_demand_tasks = rec
        .strategy
        .split_by_provider(4)
        .iter()
        .find(|(p, _)| *p == Provider::Fargate)
        .map_or(0, |x| x.1);
    // 0.5 vCPU × $0.04048 + 1 GB × $0.004445 per task-hour, 730 hours.
    let per_task = Decimal::new(2024, 5) + Decimal::new(4445, 6);
    let expected = per_task * Decimal::from(on_demand_tasks) * Decimal::from(730);
    assert_eq!(sp.eligible_monthly.cents(), Usd(expected).cents());
    let one_year = sp
        .options
        .iter()
        .find(|o| o.plan == "compute_1yr_no_upfront")
        .unwrap();
    assert_eq!(on_demand_tasks, 4, "{}", label(&rec));
    {
        // A flat floor is covered whole at the 20% discount.
        assert!(one_year.not_sized.is_none());
        assert_eq!(one_year.coverage_percent.round_dp(6), Decimal::ONE_HUNDRED);
        // 4 × (0.5 × $0.032384 + 1 × $0.003556) = $0.078992 an hour of plan rates, committed
        // in AWS's $0.001 steps: $0.079, with $0.000008 an hour unused.
        assert_eq!(one_year.commitment_per_hour.0, Decimal::new(79, 3));
        let unused = Decimal::new(8, 6);
        assert_eq!(
            one_year.unused_percent,
            unused * Decimal::ONE_HUNDRED / Decimal::new(79, 3)
        );
        assert_eq!(
            one_year.net_saving_monthly.cents(),
            Usd(expected * Decimal::new(2, 1) - unused * Decimal::from(730)).cents()
        );
    }
    // All Upfront has no GB-hour rate in the embedded data: not sized, and says why.
    let all_up = sp
        .options
        .iter()
        .find(|o| o.plan == "compute_1yr_all_upfront")
        .unwrap();
    if on_demand_tasks > 0 {
        assert!(
            all_up
                .not_sized
                .as_deref()
                .map(|m| text::not_sized(&all_up.plan, m))
                .is_some_and(|m| m.contains("gb_hour"))
        );
    }
}
