//! Application Auto Scaling for `deploy`: the service's scalable target (min/max desired count)
//! and its target-tracking policy, read into observed state and written when they differ.

use super::ecs::build_error;
use super::error::AwsError;
use crate::core::deploy::{ObservedScaling, ScalingSpec};
use aws_config::SdkConfig;
use aws_sdk_applicationautoscaling::Client;
use aws_sdk_applicationautoscaling::types::{
    MetricType, PolicyType, PredefinedMetricSpecification, ScalableDimension, ServiceNamespace,
    TargetTrackingScalingPolicyConfiguration,
};
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub struct AutoScaling {
    client: Client,
}

fn capacity(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl AutoScaling {
    pub fn new(config: &SdkConfig) -> AutoScaling {
        AutoScaling {
            client: Client::new(config),
        }
    }

    /// The scalable target of `spec.resource_id` and the policy named `spec.policy_name`.
    pub async fn observe(&self, spec: &ScalingSpec) -> Result<Option<ObservedScaling>, AwsError> {
        let targets = self
            .client
            .describe_scalable_targets()
            .service_namespace(ServiceNamespace::Ecs)
            .resource_ids(&spec.resource_id)
            .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("DescribeScalableTargets", e))?;
        let target = targets
            .scalable_targets()
            .iter()
            .find(|t| t.resource_id() == spec.resource_id);
        let policies = self
            .client
            .describe_scaling_policies()
            .service_namespace(ServiceNamespace::Ecs)
            .resource_id(&spec.resource_id)
            .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
            .policy_names(&spec.policy_name)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("DescribeScalingPolicies", e))?;
        let policy = policies
            .scaling_policies()
            .iter()
            .find(|p| p.policy_name() == spec.policy_name)
            .and_then(|p| p.target_tracking_scaling_policy_configuration())
            .map(|c| {
                (
                    c.predefined_metric_specification()
                        .map_or("(custom)", |m| m.predefined_metric_type().as_str())
                        .to_string(),
                    c.target_value(),
                )
            });
        if target.is_none() && policy.is_none() {
            return Ok(None);
        }
        Ok(Some(ObservedScaling {
            min_capacity: target.and_then(|t| u32::try_from(t.min_capacity()).ok()),
            max_capacity: target.and_then(|t| u32::try_from(t.max_capacity()).ok()),
            policy,
        }))
    }

    pub async fn put_target(
        &self,
        spec: &ScalingSpec,
        tags: &BTreeMap<String, String>,
        new: bool,
    ) -> Result<(), AwsError> {
        let mut req = self
            .client
            .register_scalable_target()
            .service_namespace(ServiceNamespace::Ecs)
            .resource_id(&spec.resource_id)
            .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
            .min_capacity(capacity(spec.min_capacity))
            .max_capacity(capacity(spec.max_capacity));
        // Tags can only be given when the target is registered the first time.
        if new {
            req = req.set_tags(Some(tags.clone().into_iter().collect()));
        }
        req.send()
            .await
            .map_err(|e| AwsError::from_sdk("RegisterScalableTarget", e))?;
        Ok(())
    }

    pub async fn put_policy(&self, spec: &ScalingSpec) -> Result<(), AwsError> {
        const OP: &str = "PutScalingPolicy";
        let config = TargetTrackingScalingPolicyConfiguration::builder()
            .target_value(spec.target_value)
            .predefined_metric_specification(
                PredefinedMetricSpecification::builder()
                    .predefined_metric_type(MetricType::from(spec.metric.as_str()))
                    .build()
                    .map_err(|e| build_error(OP, e))?,
            )
            .build()
            .map_err(|e| build_error(OP, e))?;
        self.client
            .put_scaling_policy()
            .policy_name(&spec.policy_name)
            .service_namespace(ServiceNamespace::Ecs)
            .resource_id(&spec.resource_id)
            .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
            .policy_type(PolicyType::TargetTrackingScaling)
            .target_tracking_scaling_policy_configuration(config)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, e))?;
        Ok(())
    }
}
