//! EC2 for `deploy`: the default VPC's subnets and default security group, which a service
//! that names no subnets uses, as the ECS console does.

use super::error::AwsError;
use crate::core::deploy::DefaultVpc;
use aws_config::SdkConfig;
use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::Filter;

#[derive(Clone, Debug)]
pub struct Ec2 {
    client: Client,
}

fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

impl Ec2 {
    pub fn new(config: &SdkConfig) -> Ec2 {
        Ec2 {
            client: Client::new(config),
        }
    }

    /// The default VPC, its default-for-AZ subnets and its `default` security group; `None`
    /// when the region has no default VPC.
    pub async fn default_vpc(&self) -> Result<Option<DefaultVpc>, AwsError> {
        let vpcs = self
            .client
            .describe_vpcs()
            .filters(filter("is-default", "true"))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("DescribeVpcs", e))?;
        let Some(vpc_id) = vpcs.vpcs().iter().find_map(|v| v.vpc_id()) else {
            return Ok(None);
        };
        let mut subnets = Vec::new();
        let mut token = None;
        loop {
            let out = self
                .client
                .describe_subnets()
                .filters(filter("vpc-id", vpc_id))
                .filters(filter("default-for-az", "true"))
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| AwsError::from_sdk("DescribeSubnets", e))?;
            subnets.extend(
                out.subnets()
                    .iter()
                    .filter_map(|s| s.subnet_id())
                    .map(str::to_string),
            );
            match out.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => break,
            }
        }
        subnets.sort();
        let groups = self
            .client
            .describe_security_groups()
            .filters(filter("vpc-id", vpc_id))
            .filters(filter("group-name", "default"))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("DescribeSecurityGroups", e))?;
        let Some(security_group) = groups.security_groups().iter().find_map(|g| g.group_id())
        else {
            return Ok(None);
        };
        Ok(Some(DefaultVpc {
            vpc_id: vpc_id.to_string(),
            subnets,
            security_group: security_group.to_string(),
        }))
    }
}
