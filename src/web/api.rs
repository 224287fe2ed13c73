//! Shared parts of the JSON API: paging, the list envelope, the error envelope and the
//! OpenAPI 3.1 document served at `/api/v1/openapi.json`.

use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

use crate::error::AppError;

/// `?limit=&offset=` on every list. `limit` defaults to 50 and may not exceed 500.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::IntoParams)]
pub struct Paging {
    pub limit: Option<i64>,
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

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// One of: bad_request, invalid, unauthorized, invalid_token, second_factor_required,
    /// forbidden, csrf, not_found, method_not_allowed, conflict, payload_too_large,
    /// unsupported_media_type, rate_limited, internal.
    pub code: String,
    pub message: String,
    pub fields: Vec<FieldError>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The errors any operation can answer, whatever its handler does: the middleware in front of
/// every route refuses a bad token (401), a missing CSRF token or role (403), an unknown path
/// (404), a body too large (413) or of the wrong type (415), a body that does not fit (422) and
/// too many attempts (429), all with the [`ErrorEnvelope`]. Documented once here for all, so
/// the document states what a client really gets.
struct CommonErrors;

impl utoipa::Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let errors: &[(&str, &str, bool)] = &[
            (
                "400",
                "The request cannot be read (a bad parameter, control characters).",
                false,
            ),
            (
                "401",
                "No valid credentials: sign in, or send a valid bearer token.",
                false,
            ),
            (
                "403",
                "Not allowed for this account or outside its scope, or no CSRF token.",
                false,
            ),
            (
                "404",
                "No such resource (or not visible to this account).",
                false,
            ),
            ("413", "The body is larger than allowed.", true),
            (
                "415",
                "The body is not of a type the operation takes.",
                true,
            ),
            (
                "422",
                "The body or parameters do not fit; `fields` names each problem.",
                false,
            ),
            ("429", "Too many attempts; see `Retry-After`.", false),
        ];
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                item.get.as_mut(),
                item.put.as_mut(),
                item.post.as_mut(),
                item.delete.as_mut(),
                item.patch.as_mut(),
            ];
            for op in operations.into_iter().flatten() {
                let has_body = op.request_body.is_some();
                for (code, text, needs_body) in errors {
                    if *needs_body && !has_body {
                        continue;
                    }
                    if op.responses.responses.contains_key(*code) {
                        continue;
                    }
                    let response = ResponseBuilder::new()
                        .description(*text)
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
    info(title = "hromada API", description = "The JSON API of hromada. Authenticate with `Authorization: Bearer TOKEN` (see `hromada token create`). Lists take `limit` and `offset` and answer `{\"items\": [...], \"total\": N}`; errors answer the `ErrorEnvelope`."),
    paths(
        crate::auth::api::me,
        crate::auth::api::list_tokens,
        crate::auth::api::create_token,
        crate::auth::api::revoke_token,
        crate::auth::api::list_users,
        crate::auth::api::create_user,
        crate::auth::api::get_user,
        crate::auth::api::grant_role,
        crate::auth::api::revoke_role,
        crate::auth::api::disable_user,
        crate::auth::api::enable_user,
        crate::auth::api::reset_second_factor,
        crate::audit::api::list,
        crate::mail::pages::api_list,
        crate::jobs::api::list,
        crate::jobs::api::retry,
        crate::registry::api::list,
        crate::registry::api::get_unit,
        crate::registry::api::children,
        crate::registry::api::add_status,
        crate::members::api::list,
        crate::members::api::figures,
        crate::members::api::offices,
        crate::members::api::sections,
        crate::people::api::list,
        crate::people::api::get_person,
        crate::club::api::create,
        crate::club::api::list,
        crate::club::api::get_application,
        crate::club::api::review,
        crate::club::api::decide,
        crate::club::api::confirm_match,
        crate::club::api::members,
        crate::sections::api::get_section,
        crate::sections::api::request_join,
        crate::sections::api::leave,
        crate::sections::api::decide,
        crate::sections::api::announce,
        crate::sections::api::add_material,
        crate::sections::api::delete_material,
        crate::sections::api::set_purpose,
        crate::news::api::list,
        crate::news::api::get_item,
        crate::news::api::create,
        crate::news::api::update,
        crate::news::api::publish,
        crate::news::api::withdraw,
        crate::news::api::put_cover,
        crate::news::api::delete_cover,
        crate::digest::api::list,
        crate::digest::api::get_digest,
        crate::digest::api::sending,
        crate::digest::api::send,
        crate::digest::edit_api::draft,
        crate::digest::edit_api::get_draft,
        crate::digest::edit_api::curate,
        crate::digest::edit_api::add_entry,
        crate::digest::edit_api::publish,
        crate::statistics::api::indicators,
        crate::statistics::api::indicator,
        crate::statistics::api::values,
        crate::statistics::export::api,
        crate::statistics::analysis::api::rankings,
        crate::statistics::analysis::api::aggregates_api,
        crate::statistics::analysis::api::series,
        crate::statistics::analysis::releases::list_api,
        crate::statistics::analysis::releases::publish_api,
        crate::statistics::analysis::releases::get_api,
        crate::statistics::analysis::catalog::catalog,
        crate::statistics::collection::api::datasets,
        crate::statistics::collection::api::dataset,
        crate::statistics::collection::api::rules,
        crate::statistics::collection::api::campaigns,
        crate::statistics::collection::api::create,
        crate::statistics::collection::api::campaign,
        crate::statistics::collection::api::report,
        crate::statistics::collection::api::put_report,
        crate::statistics::collection::api::review,
        crate::statistics::import_pages::api_upload,
        crate::statistics::import_pages::api_status,
    ),
    components(schemas(ErrorEnvelope, ErrorBody, FieldError)),
    modifiers(&BearerAuth, &CommonErrors),
    security(("bearer" = [])),
)]
pub struct ApiDoc;

/// The document, built once per process.
pub async fn openapi() -> Json<&'static utoipa::openapi::OpenApi> {
    static DOC: std::sync::OnceLock<utoipa::openapi::OpenApi> = std::sync::OnceLock::new();
    Json(DOC.get_or_init(ApiDoc::openapi))
}
