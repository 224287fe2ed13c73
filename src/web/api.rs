//! Shared parts of the JSON API: paging, the list envelope, the error envelope and the
//! OpenAPI 3.1 document served at `/api/v1/openapi.json`.

use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

use crate::error::AppError;

/// `?limit=&offset=` on every list. `limit` defaults to 50 and may not exceed 500.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// How many items to answer with: 1 to 500, 50 when absent.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// How many items to skip first: 0 or more, 0 when absent.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

impl Paging {
    pub const MAX: i64 = 500;

    pub fn resolve(self) -> Result<(i64, i64), AppError> {
        let limit = self.limit.unwrap_or(50);
        let offset = self.offset.unwrap_or(0);
        if !(1..=Self::MAX).contains(&limit) {
            return Err(AppError::field("limit", "error-limit-range"));
        }
        if offset < 0 {
            return Err(AppError::field("offset", "error-offset-range"));
        }
        Ok((limit, offset))
    }
}

/// Every list answers `{"items": [...], "total": N}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ListOf<T: utoipa::ToSchema> {
    pub items: Vec<T>,
    pub total: i64,
}

/// The error envelope: `{"error": {"code", "message", "fields"}}`. `code` is stable; `message`
/// is in the language of `Accept-Language` (Ukrainian by default).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

impl ErrorEnvelope {
    /// A 422 `invalid` answer whose messages are written out already, for a refusal that UI
    /// string keys alone cannot say (an uploaded file's rows, each with its line).
    pub fn invalid(message: String, fields: Vec<(String, String)>) -> ErrorEnvelope {
        ErrorEnvelope {
            error: ErrorBody {
                code: ErrorCode::Invalid,
                message,
                fields: fields
                    .into_iter()
                    .map(|(field, message)| FieldError { field, message })
                    .collect(),
            },
        }
    }

    /// The 422 answer to an uploaded file refused as a whole: one message per problem (each
    /// with its line), all under the field `file`, in the caller's language.
    pub fn file_refused(
        lang: crate::i18n::Lang,
        problems: Vec<String>,
    ) -> axum::response::Response {
        use axum::response::IntoResponse;
        let fields = problems
            .into_iter()
            .map(|message| ("file".to_string(), message))
            .collect();
        let envelope = ErrorEnvelope::invalid(lang.t("statuses-refused"), fields);
        (
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            axum::Json(envelope),
        )
            .into_response()
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable: a client may act on it.
    pub code: ErrorCode,
    /// In the language of `Accept-Language` (Ukrainian by default).
    pub message: String,
    /// The fields that were wrong, each with what is wrong with it (for `invalid`).
    pub fields: Vec<FieldError>,
}

/// Every `code` the error envelope carries (`crate::error` and `web::errors` make them).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the request cannot be read (a malformed path or body, control characters).
    BadRequest,
    /// 422: fields are wrong; `fields` names each.
    Invalid,
    /// 401: no credentials where the operation needs them.
    Unauthorized,
    /// 401: the bearer token sent is unknown or revoked.
    InvalidToken,
    /// 403: a staff account must pass its second factor first.
    SecondFactorRequired,
    /// 403: the account's roles do not allow it.
    Forbidden,
    /// 403: the role allows it, but not outside its office, community or section.
    OutOfScope,
    /// 403: a request with cookies lacks the CSRF token.
    Csrf,
    /// 404.
    NotFound,
    /// 405.
    MethodNotAllowed,
    /// 409: the resource is not in a state that allows it.
    Conflict,
    /// 410: a link that expired or was used.
    Expired,
    /// 413: the body is larger than the server reads.
    PayloadTooLarge,
    /// 413: an upload larger than the operation takes.
    TooLarge,
    /// 415.
    UnsupportedMediaType,
    /// 429: see `Retry-After`.
    RateLimited,
    /// 500: the details went to the server's log.
    Internal,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// The two ways to authenticate: an API token, or the session cookie of a browser that signed
/// in (which must also send its CSRF token with every request that changes something).
struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token (`hromada token create`, or `POST /api/v1/tokens`). \
                         Requests with it need no CSRF token.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                super::context::SESSION_COOKIE,
                "The session cookie of a browser that signed in. A request that changes \
                 something must also send the `hromada_csrf` cookie's value as `X-CSRF-Token` \
                 (403 `csrf` otherwise).",
            ))),
        );
    }
}

/// Whether an operation needs credentials: it declares security, and no requirement of it is
/// the empty one (which makes credentials optional).
fn needs_credentials(op: &utoipa::openapi::path::Operation) -> bool {
    op.security.as_ref().is_some_and(|all| {
        !all.is_empty()
            && all
                .iter()
                .all(|r| serde_json::to_value(r).is_ok_and(|v| v != serde_json::json!({})))
    })
}

/// The errors an operation answers whatever its handler does, because the middleware and the
/// extractors in front of it answer them (each operation documents its own besides):
/// - 400: a path parameter that cannot be read, control characters or malformed JSON (any
///   operation that takes parameters or a body);
/// - 401: a bearer token that is unknown or revoked (every operation), or no credentials
///   (operations that need them);
/// - 403: a missing role, second factor or scope (operations that need credentials) or a
///   missing CSRF token (every operation that changes something);
/// - 404: nothing at the path's ids (operations with path parameters);
/// - 413 and 415: a body too large or of another type (operations that take a body);
/// - 422: a query or a body that does not fit (operations that take either);
/// - 500: a failure on our side.
///
/// All with the [`ErrorEnvelope`]. Rate limits (429) are documented where they apply.
struct CommonErrors;

impl utoipa::Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::{HttpMethod, ParameterIn};
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                (HttpMethod::Get, item.get.as_mut()),
                (HttpMethod::Put, item.put.as_mut()),
                (HttpMethod::Post, item.post.as_mut()),
                (HttpMethod::Delete, item.delete.as_mut()),
                (HttpMethod::Patch, item.patch.as_mut()),
            ];
            for (method, op) in operations {
                let Some(op) = op else { continue };
                let params = op.parameters.as_deref().unwrap_or_default();
                let takes = |place: ParameterIn| {
                    params.iter().any(|p| match p {
                        RefOr::T(p) => p.parameter_in == place,
                        RefOr::Ref(_) => false,
                    })
                };
                let (has_path, has_query) = (takes(ParameterIn::Path), takes(ParameterIn::Query));
                let has_body = op.request_body.is_some();
                let protected = needs_credentials(op);
                let changes = !matches!(method, HttpMethod::Get);
                let errors: [(&str, bool, &str); 8] = [
                    (
                        "400",
                        has_path || has_query || has_body,
                        "The request cannot be read: a malformed path parameter or body, or \
                         control characters.",
                    ),
                    (
                        "401",
                        true,
                        if protected {
                            "No valid credentials: sign in, or send a valid bearer token."
                        } else {
                            "The bearer token sent is unknown or revoked (send none, or a valid one)."
                        },
                    ),
                    (
                        "403",
                        protected || changes,
                        match (protected, changes) {
                            (true, true) => {
                                "Not allowed for this account (role, second factor, scope), or \
                                 no CSRF token with the session cookie."
                            }
                            (true, false) => {
                                "Not allowed for this account (role, second factor, scope)."
                            }
                            _ => "No CSRF token with the session cookie.",
                        },
                    ),
                    (
                        "404",
                        has_path,
                        "Nothing at this path (or nothing this account may see).",
                    ),
                    ("413", has_body, "The body is larger than allowed."),
                    (
                        "415",
                        has_body,
                        "The body is not of a type the operation takes.",
                    ),
                    (
                        "422",
                        has_query || has_body,
                        "The parameters or the body do not fit; `fields` names each problem.",
                    ),
                    (
                        "500",
                        true,
                        "Something failed on the server; the details are in its log.",
                    ),
                ];
                for (code, applies, text) in errors {
                    if !applies || op.responses.responses.contains_key(code) {
                        continue;
                    }
                    let response = ResponseBuilder::new()
                        .description(text)
                        .content(
                            "application/json",
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name("ErrorEnvelope")))
                                .build(),
                        )
                        .build();
                    op.responses
                        .responses
                        .insert(code.to_string(), response.into());
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "hromada API",
        description = "The JSON API of hromada. Public operations need no credentials; the others take `Authorization: Bearer TOKEN` (see `hromada token create`) or a signed-in browser's session cookie with its CSRF token. Lists take `limit` and `offset` and answer `{\"items\": [...], \"total\": N}`; errors answer the `ErrorEnvelope`."
    ),
    components(schemas(ErrorEnvelope, ErrorBody, ErrorCode, FieldError))
)]
pub struct ApiDoc;

/// The whole document: the common part ([`ApiDoc`]: what the API is, its error envelope) joined
/// with every feature's operations, then the security schemes and the errors every operation
/// can answer added to all of them. The composition root passes the features' parts.
pub fn document(
    features: impl IntoIterator<Item = utoipa::openapi::OpenApi>,
) -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    for part in features {
        doc.merge(part);
    }
    utoipa::Modify::modify(&SecuritySchemes, &mut doc);
    utoipa::Modify::modify(&CommonErrors, &mut doc);
    doc
}
