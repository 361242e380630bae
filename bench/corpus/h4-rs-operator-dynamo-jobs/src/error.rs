use axum::{http::StatusCode, response::{IntoResponse, Response}};

#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    #[error("assume role returned no credentials")]
    NoCredentials,
    #[error("secret has no string value")]
    EmptySecret,
    #[error("aws: {0}")]
    Aws(String),
}

impl<E: std::error::Error> From<aws_sdk_dynamodb::error::SdkError<E>> for OperatorError {
    fn from(err: aws_sdk_dynamodb::error::SdkError<E>) -> Self {
        OperatorError::Aws(err.to_string())
    }
}

impl IntoResponse for OperatorError {
    fn into_response(self) -> Response {
        tracing::error!(error = %self, "request failed");
        (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
    }
}
