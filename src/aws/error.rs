//! AWS errors as users need to see them: the operation, the AWS error code and message
//! (`AccessDeniedException: User ... is not authorized`), never a bare "service error".

use aws_sdk_pricing::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use std::error::Error as StdError;

/// What went wrong, for deciding what to tell the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AwsErrorKind {
    /// No credentials could be found in the standard chain.
    NoCredentials,
    /// Throttled even after the SDK's retries.
    Throttled,
    /// The caller lacks a permission.
    AccessDenied,
    /// Any other error returned by the service.
    Service,
    /// The request never got an answer (network, DNS, timeout, endpoint down).
    Unreachable,
    /// Anything else (building the request, parsing the response).
    Other,
}

#[derive(Clone, Debug, thiserror::Error)]
#[error("{operation} failed: {code}: {message}")]
pub struct AwsError {
    pub operation: String,
    pub code: String,
    pub message: String,
    pub kind: AwsErrorKind,
}

impl AwsError {
    /// Converts any SDK error, keeping the AWS code and message.
    pub fn from_sdk<E, R>(operation: &str, err: SdkError<E, R>) -> AwsError
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
        R: std::fmt::Debug,
    {
        let context = readable_context(&DisplayErrorContext(&err).to_string());
        let (code, message, kind) = match &err {
            SdkError::ServiceError(se) => {
                let e = se.err();
                let code = e.code().unwrap_or("UnknownError").to_string();
                let message = e.message().unwrap_or("(no message)").to_string();
                let kind = if code.contains("Throttl")
                    || code == "TooManyRequestsException"
                    || code == "RequestLimitExceeded"
                {
                    AwsErrorKind::Throttled
                } else if code.contains("AccessDenied")
                    || code == "UnauthorizedOperation"
                    || code.contains("NotAuthorized")
                {
                    AwsErrorKind::AccessDenied
                } else {
                    AwsErrorKind::Service
                };
                (code, message, kind)
            }
            SdkError::TimeoutError(_) => {
                ("Timeout".to_string(), context, AwsErrorKind::Unreachable)
            }
            SdkError::DispatchFailure(d) if d.is_io() || d.is_timeout() => (
                "ConnectionError".to_string(),
                context,
                AwsErrorKind::Unreachable,
            ),
            // One line, not the chain's attempts (environment, profile, web identity, ECS,
            // instance metadata) each with its own sentence.
            _ if is_missing_credentials(&context) => (
                "NoCredentials".to_string(),
                "no AWS credentials in the standard chain (environment, shared config and profile, web identity, ECS container, EC2 instance metadata)".to_string(),
                AwsErrorKind::NoCredentials,
            ),
            SdkError::DispatchFailure(_) => (
                "DispatchFailure".to_string(),
                context,
                AwsErrorKind::Unreachable,
            ),
            _ => ("SdkError".to_string(), context, AwsErrorKind::Other),
        };
        AwsError {
            operation: operation.to_string(),
            code,
            message,
            kind,
        }
    }

    /// An error of ours around an AWS call (building a request, a failed task).
    pub fn other(operation: &str, message: impl Into<String>) -> AwsError {
        AwsError {
            operation: operation.to_string(),
            code: "InternalError".to_string(),
            message: message.into(),
            kind: AwsErrorKind::Other,
        }
    }

    /// A sentence on what to do next, where there is a useful one.
    pub fn hint(&self) -> Option<&'static str> {
        match self.kind {
            AwsErrorKind::NoCredentials => Some(
                "set them up with `aws configure` (or `aws sso login`), then pass --profile NAME or set AWS_PROFILE; \
                 AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY work too",
            ),
            AwsErrorKind::Throttled => {
                Some("AWS throttled the requests even after retries; wait a minute and run again")
            }
            AwsErrorKind::AccessDenied => Some(
                "the credentials lack a permission; docs/prices.md and docs/deploy.md list the IAM permissions each command needs",
            ),
            AwsErrorKind::Unreachable => Some(
                "check the network, the region and any --endpoint-url or AWS_ENDPOINT_URL_* setting",
            ),
            _ => None,
        }
    }
}

/// The readable part of an SDK error's context: its chain of messages (for missing credentials,
/// the chain's attempts) without the SDK's wrapper words and the Debug dump it appends.
fn readable_context(context: &str) -> String {
    // DisplayErrorContext appends the error's Debug form in parentheses: " (DispatchFailure(…",
    // " (TimeoutError(…", " (ResponseError(…"; cut it off.
    let readable = [
        " (DispatchFailure(",
        " (TimeoutError(",
        " (ResponseError(",
        " (ConstructionFailure(",
        " (ServiceError(",
    ]
    .iter()
    .filter_map(|m| context.find(m))
    .min()
    .map_or(context, |i| &context[..i]);
    readable
        .trim_start_matches("dispatch failure: ")
        .trim_start_matches("other: ")
        .to_string()
}

fn is_missing_credentials(context: &str) -> bool {
    let lower = context.to_ascii_lowercase();
    lower.contains("no credentials")
        || lower.contains("credentials provider")
        || lower.contains("failed to load credentials")
        || lower.contains("credentialsnotloaded")
        // aws-config's default chain: CredentialsNotLoaded("no providers in chain provided
        // credentials"), shown as "the credential provider was not enabled".
        || lower.contains("no providers in chain")
        || lower.contains("credential provider was not enabled")
        // Off EC2, the last link of the chain times out on the metadata service.
        || (lower.contains("imds") && lower.contains("credential"))
}
