//! The service settings only `deploy` reads: network configuration and circuit breaker.

use crate::core::plan::raw::RawService;
use crate::core::plan::{CircuitBreaker, NetworkConfiguration};
use crate::core::rules::Facts;
use crate::core::vocab::problem::{FieldPath, Problem};
use std::collections::BTreeSet;

fn is_resource_id(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix).is_some_and(|hex| {
        (8..=17).contains(&hex.len()) && hex.chars().all(|c| c.is_ascii_hexdigit())
    })
}

/// Network configuration and circuit breaker, the service settings only `deploy` reads.
pub(super) fn check_deploy_settings(
    svc: &RawService,
    path: &FieldPath,
    facts: &Facts,
    push: &mut impl FnMut(Problem),
) -> (NetworkConfiguration, CircuitBreaker) {
    let mut network = NetworkConfiguration::default();
    if let Some(n) = &svc.network_configuration {
        let np = path.key("network_configuration");
        for (field, ids, prefix, max, example) in [
            (
                "subnets",
                &n.subnets,
                "subnet-",
                facts.rules.network.max_subnets,
                "subnet-0123456789abcdef0",
            ),
            (
                "security_groups",
                &n.security_groups,
                "sg-",
                facts.rules.network.max_security_groups,
                "sg-0123456789abcdef0",
            ),
        ] {
            if ids.len() > max {
                push(
                    Problem::new(
                        np.key(field),
                        format!("ECS takes at most {max} {}", field.replace('_', " ")),
                    )
                    .value(ids.len()),
                );
            }
            let mut seen = BTreeSet::new();
            for (i, id) in ids.iter().enumerate() {
                if !is_resource_id(id, prefix) {
                    push(
                        Problem::new(
                            np.key(field).index(i),
                            format!("not a {} id", prefix.trim_end_matches('-')),
                        )
                        .value(format!("{id:?}"))
                        .fix(format!(
                            "ids look like \"{example}\"; remove {field} to use the default VPC's"
                        )),
                    );
                } else if !seen.insert(id.as_str()) {
                    push(Problem::new(
                        np.key(field).index(i),
                        format!("{id} is listed twice"),
                    ));
                }
            }
        }
        network = NetworkConfiguration {
            subnets: n.subnets.clone(),
            security_groups: n.security_groups.clone(),
            assign_public_ip: n.assign_public_ip,
        };
    }
    let mut breaker = CircuitBreaker::default();
    if let Some(b) = &svc.deployment_circuit_breaker {
        let rollback = b.rollback.unwrap_or(b.enable);
        if rollback && !b.enable {
            push(
                Problem::new(
                    path.key("deployment_circuit_breaker").key("rollback"),
                    "rollback needs the circuit breaker enabled",
                )
                .value(true)
                .fix("set enable = true, or rollback = false"),
            );
        }
        breaker = CircuitBreaker {
            enable: b.enable,
            rollback,
        };
    }
    (network, breaker)
}
