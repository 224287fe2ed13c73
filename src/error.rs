//! One error type for handlers. A handler returns `AppError`; the response carries an
//! [`ErrorInfo`] and `web::errors` renders it once, as an HTML page in the visitor's language or
//! as the JSON error envelope under `/api/`. Details of 5xx errors go to the log only.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// The request cannot be understood; the key names a UI string that explains why.
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// Some fields are wrong: (field, UI string key).
    #[error("invalid input: {0:?}")]
    Invalid(Vec<(String, String)>),
    #[error("login required")]
    LoginRequired,
    /// A staff account must enrol (or confirm) a second factor before it may act.
    #[error("second factor required")]
    SecondFactor { enrolled: bool },
    #[error("forbidden")]
    Forbidden,
    /// The role allows the action, but not here: outside the regional office, community or
    /// section the role is scoped to.
    #[error("outside the role's scope")]
    OutOfScope,
    #[error("CSRF token missing or wrong")]
    Csrf,
    #[error("too many attempts")]
    TooMany { retry_after_secs: u64 },
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// An upload larger than the route takes; the key explains the limit.
    #[error("too large: {0}")]
    TooLarge(&'static str),
    /// A link that has expired or was used already.
    #[error("expired: {0}")]
    Expired(&'static str),
    #[error("invalid or revoked token")]
    InvalidToken,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl AppError {
    pub fn field(field: &str, key: &str) -> AppError {
        AppError::Invalid(vec![(field.to_string(), key.to_string())])
    }
}

/// What went wrong, attached to the response for the renderer.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorInfo {
    /// Stable machine code, documented in the OpenAPI document.
    pub code: &'static str,
    /// UI string key of the human message.
    pub key: String,
    pub fields: Vec<(String, String)>,
    pub retry_after_secs: Option<u64>,
    /// For second-factor errors: whether the account has enrolled already.
    pub enrolled: Option<bool>,
}

impl ErrorInfo {
    pub fn new(code: &'static str, key: &str) -> ErrorInfo {
        ErrorInfo {
            code,
            key: key.to_string(),
            fields: Vec::new(),
            retry_after_secs: None,
            enrolled: None,
        }
    }

    /// The info for a bare status, as axum's own rejections and fallbacks produce them.
    pub fn for_status(status: StatusCode) -> ErrorInfo {
        match status {
            StatusCode::NOT_FOUND => ErrorInfo::new("not_found", "error-not-found"),
            StatusCode::METHOD_NOT_ALLOWED => {
                ErrorInfo::new("method_not_allowed", "error-method-not-allowed")
            }
            StatusCode::PAYLOAD_TOO_LARGE => {
                ErrorInfo::new("payload_too_large", "error-payload-too-large")
            }
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                ErrorInfo::new("unsupported_media_type", "error-unsupported-media-type")
            }
            StatusCode::UNPROCESSABLE_ENTITY => ErrorInfo::new("invalid", "error-invalid-body"),
            StatusCode::UNAUTHORIZED => ErrorInfo::new("unauthorized", "error-login-required"),
            StatusCode::FORBIDDEN => ErrorInfo::new("forbidden", "error-forbidden"),
            StatusCode::TOO_MANY_REQUESTS => ErrorInfo::new("rate_limited", "error-too-many"),
            s if s.is_client_error() => ErrorInfo::new("bad_request", "error-bad-request"),
            _ => ErrorInfo::new("internal", "error-internal"),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, info) = match self {
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                ErrorInfo::new("not_found", "error-not-found"),
            ),
            AppError::BadRequest(key) => {
                (StatusCode::BAD_REQUEST, ErrorInfo::new("bad_request", key))
            }
            AppError::Invalid(fields) => {
                let mut info = ErrorInfo::new("invalid", "error-invalid");
                info.fields = fields;
                (StatusCode::UNPROCESSABLE_ENTITY, info)
            }
            AppError::LoginRequired => (
                StatusCode::UNAUTHORIZED,
                ErrorInfo::new("unauthorized", "error-login-required"),
            ),
            AppError::SecondFactor { enrolled } => {
                let mut info = ErrorInfo::new("second_factor_required", "error-second-factor");
                info.enrolled = Some(enrolled);
                (StatusCode::FORBIDDEN, info)
            }
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                ErrorInfo::new("forbidden", "error-forbidden"),
            ),
            AppError::OutOfScope => (
                StatusCode::FORBIDDEN,
                ErrorInfo::new("out_of_scope", "error-out-of-scope"),
            ),
            AppError::Csrf => (StatusCode::FORBIDDEN, ErrorInfo::new("csrf", "error-csrf")),
            AppError::TooMany { retry_after_secs } => {
                let mut info = ErrorInfo::new("rate_limited", "error-too-many");
                info.retry_after_secs = Some(retry_after_secs);
                (StatusCode::TOO_MANY_REQUESTS, info)
            }
            AppError::Conflict(key) => (StatusCode::CONFLICT, ErrorInfo::new("conflict", key)),
            AppError::TooLarge(key) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorInfo::new("too_large", key),
            ),
            AppError::Expired(key) => (StatusCode::GONE, ErrorInfo::new("expired", key)),
            AppError::InvalidToken => (
                StatusCode::UNAUTHORIZED,
                ErrorInfo::new("invalid_token", "error-invalid-token"),
            ),
            AppError::Internal(err) => {
                tracing::error!(error = ?err, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorInfo::new("internal", "error-internal"),
                )
            }
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(info);
        response
    }
}
