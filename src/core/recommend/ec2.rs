//! EC2 in `recommend`: for a service whose `[service.recommend] capacity` lists `"ec2"` (the
//! default is Fargate only), the cheapest EC2 on-demand packing ([`crate::core::capacity`])
//! against the Fargate recommendation's expected month. EC2 is proposed when it costs less; it is
//! never written into the plan by `--write` (a plan file describes Fargate services), and the
//! operational costs of instances are named, not priced. See docs/ec2.md.

use super::Recommendation;
use crate::core::capacity::{Ec2Inputs, Ec2Month, Ec2Unpriced, ec2_month};
use crate::core::plan::Plan;
use crate::core::vocab::money::Usd;

/// What EC2 offers one service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ec2Outcome {
    /// EC2 on demand costs less than Fargate's figure: proposed, by this much a month.
    Proposed { saving_monthly: Usd },
    /// Fargate stays cheaper, by this much a month.
    FargateCheaper { extra_monthly: Usd },
    /// No EC2 figure, and why.
    NotPriced(Ec2Unpriced),
}

/// EC2 for one service that allows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ec2Proposal {
    pub service: String,
    /// The Fargate figure compared: the recommendation's expected month (as written when no
    /// candidate meets the target).
    pub fargate_monthly: Usd,
    pub month: Option<Box<Ec2Month>>,
    pub outcome: Ec2Outcome,
}

/// Adds an EC2 proposal to `rec` for every recommended service whose plan allows EC2.
pub fn propose(rec: &mut Recommendation, plan: &Plan, inputs: Ec2Inputs<'_>) {
    for s in &rec.services {
        let Some(service) = plan
            .services
            .iter()
            .find(|p| p.name == s.name && p.tuning.ec2_allowed)
        else {
            continue;
        };
        let fargate_monthly = s
            .recommended
            .as_ref()
            .unwrap_or(&s.as_written)
            .expected_monthly;
        let (month, outcome) = match ec2_month(service, plan.hours_per_month, inputs) {
            Err(why) => (None, Ec2Outcome::NotPriced(why)),
            Ok(m) => {
                let outcome = if m.chosen.monthly < fargate_monthly {
                    Ec2Outcome::Proposed {
                        saving_monthly: fargate_monthly - m.chosen.monthly,
                    }
                } else {
                    Ec2Outcome::FargateCheaper {
                        extra_monthly: m.chosen.monthly - fargate_monthly,
                    }
                };
                (Some(Box::new(m)), outcome)
            }
        };
        rec.ec2.push(Ec2Proposal {
            service: s.name.clone(),
            fargate_monthly,
            month,
            outcome,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::capacity::Ec2Facts;
    use crate::core::pricing::SavingsRates;
    use crate::core::pricing::ec2::Ec2Book;
    use crate::core::recommend::{RecommendOptions, recommend};
    use crate::core::testing::{book, facts, plan};

    fn run(capacity: &str) -> Recommendation {
        let p = plan(&format!(
            "[plan]\nregion = \"us-east-1\"\n[[service]]\nname = \"big\"\ncpu = \"4 vCPU\"\nmemory = \"30 GB\"\ndesired_count = 3\n[service.recommend]\n{capacity}\n[[service.container_definitions]]\nname = \"big\"\nimage = \"x\"\n[[service]]\nname = \"small\"\ncpu = 512\nmemory = 1024\n[[service.container_definitions]]\nname = \"small\"\nimage = \"x\"\n"
        ));
        let opts = RecommendOptions {
            trials: 20,
            seed: 1,
            horizon_minutes: 7 * 24 * 60,
            start: chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        };
        let mut rec = recommend(
            &p,
            &[],
            &book(),
            &SavingsRates::default(),
            &facts(),
            &opts,
            &|_| {},
        )
        .unwrap();
        let ec2 = Ec2Book::embedded().unwrap();
        let ec2_facts = Ec2Facts::embedded().unwrap();
        propose(
            &mut rec,
            &p,
            Ec2Inputs {
                book: &ec2,
                facts: &ec2_facts,
                settings: &p.ec2,
                spot_discount: None,
            },
        );
        rec
    }

    #[test]
    fn ec2_only_where_the_plan_allows_it_and_only_when_cheaper() {
        assert!(run("").ec2.is_empty(), "Fargate only by default");
        let rec = run("capacity = [\"fargate\", \"ec2\"]");
        assert_eq!(rec.ec2.len(), 1, "only `big` allows EC2");
        let p = &rec.ec2[0];
        assert_eq!(p.service, "big");
        // 3 tasks of 4 vCPU / 30 GB: one r6i.xlarge each, 3 × $0.252 × 730 = $551.88 against
        // Fargate's $646.64 a month on demand.
        let m = p.month.as_ref().unwrap();
        assert_eq!(m.chosen.instance_type, "r6i.xlarge");
        assert_eq!(m.chosen.monthly.display_cents(), "$551.88");
        assert!(matches!(p.outcome, Ec2Outcome::Proposed { .. }), "{p:?}");
        // The recommendation itself stays a Fargate one (what --write writes).
        assert!(rec.services.iter().all(|s| s.recommended.is_some()));
    }
}
