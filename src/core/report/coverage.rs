//! What a checked plan needs from the price book, asked before anything is priced: located
//! problems, like the plan checks, for what the rules allow but the prices cannot answer.
//!
//! The plan checks read the rules only; this step is where prices come in. Today it covers ARM64
//! on Fargate Spot, which AWS sells only in some regions: the planner takes it as available where
//! the book has ARM Spot prices for the region. A price missing for any other dimension is an
//! error of the pricing step, which names the price and how to get it.

use crate::core::plan::Plan;
use crate::core::pricing::{Dimension, PriceBook};
use crate::core::vocab::platform::CpuArch;
use crate::core::vocab::problem::{FieldPath, Problem};
use crate::core::vocab::strategy::Provider;

/// Every problem the book has with the plan, in service order; empty when it covers the plan.
pub fn coverage(plan: &Plan, book: &PriceBook) -> Vec<Problem> {
    let mut problems = Vec::new();
    for s in &plan.services {
        let region = &s.region;
        if s.arch == CpuArch::Arm64
            && s.strategy.uses(Provider::FargateSpot)
            && !(book.has(region, Dimension::SpotArmVcpuHour)
                && book.has(region, Dimension::SpotArmGbHour))
        {
            let path = FieldPath::root()
                .key("service")
                .index(s.index)
                .key("capacity_provider_strategy");
            problems.push(
                Problem::new(path, format!("the price book has no ARM Spot prices for {region}, so ARM64 on FARGATE_SPOT cannot be priced or assumed available there"))
                    .value("FARGATE_SPOT")
                    .fix(format!("use X86_64 for the Spot tasks, or FARGATE only; `fargate-planner prices show --region {region}` lists what is known")),
            );
        }
    }
    problems
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
        coverage(&plan, &book)
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
                let _ = coverage(&plan, &book);
                let _ = crate::core::report::build(&plan, &book, &facts, chrono::NaiveDate::MIN);
            }
        }
    }
}
