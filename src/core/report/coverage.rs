//! What a checked plan needs from the price book, asked before anything is priced: located
//! problems, like the plan checks, for what the rules allow but the prices cannot answer.
//!
//! The plan checks read the rules only; this step is where prices come in. Each service needs
//! the dimensions of its own strategy (the [`RATE_CARD`] rows of its OS, architecture and
//! providers) and ephemeral storage when it asks for more than the free amount. A gap is the
//! tool's inability to answer, not a fault of the plan (the CLI exits 1), and its fix names the
//! command that fetches the price. ARM64 on Fargate Spot is special: AWS sells it only in some
//! regions, so where the book has no ARM Spot price the planner does not assume it is offered.

use crate::core::plan::{Plan, Service};
use crate::core::pricing::{Dimension, PriceBook};
use crate::core::report::cost::RATE_CARD;
use crate::core::rules::Facts;
use crate::core::vocab::platform::CpuArch;
use crate::core::vocab::problem::{FieldPath, Problem, did_you_mean};
use crate::core::vocab::strategy::Provider;

/// The dimensions a service's own strategy is billed in, in rate-card order.
pub fn needed(service: &Service, facts: &Facts) -> Vec<Dimension> {
    let windows = service.os.is_windows();
    let mut dims = Vec::new();
    for row in RATE_CARD.iter().filter(|r| {
        r.windows == windows && r.arch == service.arch && service.strategy.uses(r.provider)
    }) {
        dims.extend([row.vcpu, row.memory]);
        dims.extend(row.os_license);
    }
    if service.ephemeral_storage_gib > facts.rules.ephemeral_storage.free_gib {
        dims.push(Dimension::EphemeralStorageGbHour);
    }
    dims
}

/// Every problem the book has with the plan, in service order; empty when it covers the plan.
pub fn coverage(plan: &Plan, book: &PriceBook, facts: &Facts) -> Vec<Problem> {
    plan.services
        .iter()
        .filter_map(|s| service_gap(s, book, facts))
        .collect()
}

fn service_gap(s: &Service, book: &PriceBook, facts: &Facts) -> Option<Problem> {
    let region = &s.region;
    let missing: Vec<Dimension> = needed(s, facts)
        .into_iter()
        .filter(|d| !book.has(region, *d))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let path = FieldPath::root().key("service").index(s.index);
    let arm_spot = [Dimension::SpotArmVcpuHour, Dimension::SpotArmGbHour];
    if s.arch == CpuArch::Arm64 && missing.iter().all(|d| arm_spot.contains(d)) {
        return Some(
            Problem::new(
                path.key("capacity_provider_strategy"),
                format!("the price book has no ARM Spot prices for {region}, so ARM64 on FARGATE_SPOT cannot be priced or assumed available there (AWS sells ARM Spot in some regions only)"),
            )
            .value(Provider::FargateSpot.name())
            .fix(format!(
                "use X86_64 for the Spot tasks, or FARGATE only; `fargate-planner prices fetch --region {region}` reads the current Spot feed, which lists ARM Spot where AWS sells it"
            )),
        );
    }
    let ids: Vec<&str> = missing.iter().map(|d| d.id()).collect();
    let known = &facts.rules.regions.fargate;
    let fix = if known.iter().any(|r| r == region) {
        format!(
            "fetch {}: `fargate-planner prices fetch --region {region}` (Price List API and Spot feed; needs AWS credentials), then run again; `fargate-planner prices show --coverage` shows what the book covers",
            if ids.len() == 1 { "it" } else { "them" }
        )
    } else {
        let hint = did_you_mean(region, known.iter().map(String::as_str))
            .map(|b| format!("did you mean `{b}`? "))
            .unwrap_or_default();
        format!(
            "{hint}`{region}` is not among the {} regions where Fargate is sold (data/fargate-rules.toml); if AWS opened it since, `fargate-planner prices fetch --region {region}` fetches its prices",
            known.len()
        )
    };
    Some(
        Problem::new(
            path.key("region"),
            format!(
                "the price book has no {} price for {region}, which this service needs",
                ids.join(", ")
            ),
        )
        .value(format!("{region:?}"))
        .fix(fix),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::plan::check::tests::fuzz::plan_line;
    use crate::core::plan::{CheckOptions, check, parse};

    use proptest::prelude::{ProptestConfig, proptest};

    const BASE: &str = "[plan]\nregion = \"us-east-1\"\n\n[[service]]\nname = \"web\"\n";
    const CONTAINER: &str =
        "\n[[service.container_definitions]]\nname = \"web\"\nimage = \"nginx\"\n";

    /// The plan checks pass; what does the embedded book say?
    fn problems(extra: &str) -> Vec<Problem> {
        let facts = crate::core::testing::facts();
        let book = crate::core::testing::book();
        let parsed = parse(&format!("{BASE}{extra}{CONTAINER}")).unwrap();
        let plan = check(&parsed.raw, &facts, CheckOptions::default()).unwrap();
        coverage(&plan, &book, &facts)
    }

    #[test]
    fn arm_spot_needs_arm_spot_prices() {
        let arm_spot = "cpu = 512\nmemory = 1024\nruntime_platform = { cpu_architecture = \"ARM64\" }\ncapacity_provider_strategy = [{ capacity_provider = \"FARGATE_SPOT\", weight = 1 }]\n";
        assert!(
            problems(arm_spot).is_empty(),
            "us-east-1 has ARM Spot prices"
        );
        let ps = problems(&format!("region = \"us-east-2\"\n{arm_spot}"));
        assert!(
            ps[0].message.contains("no ARM Spot prices for us-east-2"),
            "{ps:?}"
        );
        assert_eq!(
            ps[0].path.to_string(),
            "service[0].capacity_provider_strategy"
        );
    }

    #[test]
    fn a_service_needs_the_dimensions_of_its_own_strategy() {
        let facts = crate::core::testing::facts();
        let book = crate::core::testing::book();
        let parsed = parse(&format!(
            "{BASE}cpu = 1024\nmemory = 2048\nephemeral_storage = {{ size_in_gib = 30 }}\nruntime_platform = {{ operating_system_family = \"WINDOWS_SERVER_2022_CORE\" }}\n{CONTAINER}"
        ))
        .unwrap();
        let plan = check(&parsed.raw, &facts, CheckOptions::default()).unwrap();
        assert_eq!(
            needed(&plan.services[0], &facts),
            vec![
                Dimension::WindowsVcpuHour,
                Dimension::WindowsGbHour,
                Dimension::WindowsOsLicenseVcpuHour,
                Dimension::EphemeralStorageGbHour
            ]
        );
        assert!(coverage(&plan, &book, &facts).is_empty());
    }

    #[test]
    fn spot_in_a_region_without_spot_prices_names_the_fetch_command() {
        let ps = problems(
            "region = \"ca-west-1\"\ncpu = 512\nmemory = 1024\ncapacity_provider_strategy = [{ capacity_provider = \"FARGATE_SPOT\", weight = 1 }]\n",
        );
        assert_eq!(ps.len(), 1, "{ps:?}");
        assert_eq!(ps[0].path.to_string(), "service[0].region");
        assert!(
            ps[0]
                .message
                .contains("spot_x86_vcpu_hour, spot_x86_gb_hour price for ca-west-1"),
            "{ps:?}"
        );
        let fix = ps[0].fix.clone().unwrap_or_default();
        assert!(
            fix.contains("`fargate-planner prices fetch --region ca-west-1`"),
            "{fix}"
        );
        // On-demand only: covered.
        assert!(problems("region = \"ca-west-1\"\ncpu = 512\nmemory = 1024\n").is_empty());
    }

    #[test]
    fn a_region_fargate_is_not_sold_in_gets_did_you_mean() {
        let ps = problems("region = \"us-dast-1\"\ncpu = 512\nmemory = 1024\n");
        let fix = ps[0].fix.clone().unwrap_or_default();
        assert!(fix.contains("did you mean `us-east-1`?"), "{fix}");
        assert!(
            ps[0]
                .message
                .contains("linux_x86_vcpu_hour, linux_x86_gb_hour"),
            "{ps:?}"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Whatever plan-shaped text passes the checks can be asked of the book and priced
        /// without a panic.
        #[test]
        fn plan_shaped_text_never_panics(lines in proptest::collection::vec(plan_line(), 0..25), round_up in proptest::bool::ANY) {
            let text = lines.join("\n");
            let facts = crate::core::testing::facts();
            let book = crate::core::testing::book();
            if let Ok(parsed) = parse(&text)
                && let Ok(plan) = check(&parsed.raw, &facts, CheckOptions { round_up })
            {
                let _ = coverage(&plan, &book, &facts);
                let _ = crate::core::report::build(&plan, &book, &facts, chrono::NaiveDate::MIN);
            }
        }
    }
}
