use std::future::Future;

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};

/// Retries an operation while DynamoDB reports throttling.
pub async fn retry_throttled<F, Fut, T, E>(mut op: F) -> Result<T, SdkError<E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, SdkError<E>>>,
    E: ProvideErrorMetadata,
{
    loop { // expect: retry-without-backoff
        match op().await {
            Ok(v) => return Ok(v),
            Err(err) if is_throttle(&err) => {
                tracing::warn!(code = ?err.code(), "dynamodb throttled, retrying");
                continue;
            }
            Err(err) => return Err(err),
        }
    }
}

fn is_throttle<E: ProvideErrorMetadata>(err: &SdkError<E>) -> bool {
    matches!(err.code(), Some("ProvisionedThroughputExceededException" | "ThrottlingException" | "RequestLimitExceeded"))
}
