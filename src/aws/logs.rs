//! CloudWatch Logs for `deploy`: which of the containers' awslogs groups exist, and creating
//! the missing ones (tagged), so the first task does not fail on a missing group.

use super::error::AwsError;
use aws_config::SdkConfig;
use aws_sdk_cloudwatchlogs::Client;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub struct Logs {
    client: Client,
}

impl Logs {
    pub fn new(config: &SdkConfig) -> Logs {
        Logs {
            client: Client::new(config),
        }
    }

    /// Whether a log group of exactly this name exists.
    pub async fn exists(&self, name: &str) -> Result<bool, AwsError> {
        let mut token = None;
        loop {
            let out = self
                .client
                .describe_log_groups()
                .log_group_name_prefix(name)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| AwsError::from_sdk("DescribeLogGroups", e))?;
            if out
                .log_groups()
                .iter()
                .any(|g| g.log_group_name() == Some(name))
            {
                return Ok(true);
            }
            match out.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => return Ok(false),
            }
        }
    }

    pub async fn create(
        &self,
        name: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), AwsError> {
        match self
            .client
            .create_log_group()
            .log_group_name(name)
            .set_tags(Some(tags.clone().into_iter().collect()))
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => {
                let err = AwsError::from_sdk("CreateLogGroup", e);
                // Created meanwhile (another run, or ECS with awslogs-create-group): the goal holds.
                if err.code == "ResourceAlreadyExistsException" {
                    Ok(())
                } else {
                    Err(err)
                }
            }
        }
    }
}
