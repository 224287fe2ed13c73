//! Renders every error once: handlers' `AppError`s, axum's own rejections (bad form, wrong
//! content type, body too large, unknown method) and unknown routes. Pages get an HTML page in
//! the visitor's language; `/api/` gets the JSON envelope `{"error": {"code", "message", "fields"}}`.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::json;

use super::context::IdentityProblem;
use super::{Ctx, PageCtx};
use crate::error::{AppError, ErrorInfo};
use crate::state::AppState;

pub async fn not_found() -> AppError {
    AppError::NotFound
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    p: PageCtx,
    status: u16,
    message: String,
    fields: Vec<(String, String)>,
    back: String,
}

pub async fn render(State(_state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(ctx) = req.extensions().get::<Ctx>().cloned() else {
        return next.run(req).await;
    };
    let response = match ctx.problem {
        Some(IdentityProblem::InvalidToken) => AppError::InvalidToken.into_response(),
        Some(IdentityProblem::Internal) => {
            AppError::Internal(anyhow::anyhow!("identity lookup failed")).into_response()
        }
        None => next.run(req).await,
    };
    let status = response.status();
    if !status.is_client_error() && !status.is_server_error() {
        return response;
    }
    let info = match response.extensions().get::<ErrorInfo>() {
        Some(info) => info.clone(),
        None => {
            // Responses that handlers rendered themselves (a form with its errors) pass through.
            let content_type = response
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if content_type.starts_with("text/html") || content_type.starts_with("application/json")
            {
                return response;
            }
            ErrorInfo::for_status(status)
        }
    };
    if ctx.is_api {
        api_error(status, &info, &ctx)
    } else {
        page_error(status, &info, &ctx)
    }
}

fn api_error(status: StatusCode, info: &ErrorInfo, ctx: &Ctx) -> Response {
    let lang = ctx.lang;
    let message = match info.retry_after_secs {
        Some(secs) => lang.t_args(
            &info.key,
            &[("minutes", crate::i18n::Arg::Num(minutes(secs)))],
        ),
        None => lang.t(&info.key),
    };
    let fields: Vec<_> = info
        .fields
        .iter()
        .map(|(f, k)| json!({"field": f, "message": lang.t(k)}))
        .collect();
    let body = json!({"error": {"code": info.code, "message": message, "fields": fields}});
    let mut response = (status, axum::Json(body)).into_response();
    decorate(&mut response, status, info);
    response
}

fn minutes(secs: u64) -> i64 {
    i64::try_from(secs.div_ceil(60)).unwrap_or(i64::MAX)
}

fn decorate(response: &mut Response, status: StatusCode, info: &ErrorInfo) {
    if let Some(secs) = info.retry_after_secs
        && let Ok(v) = HeaderValue::from_str(&secs.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
}

fn page_error(status: StatusCode, info: &ErrorInfo, ctx: &Ctx) -> Response {
    let lang = ctx.lang;
    if info.code == "unauthorized" {
        let next: String =
            url::form_urlencoded::byte_serialize(ctx.path_and_query.as_bytes()).collect();
        return Redirect::to(&format!("/{}/login?next={next}", lang.code())).into_response();
    }
    if info.code == "second_factor_required" {
        let to = if info.enrolled == Some(true) {
            "login/2fa"
        } else {
            "account/2fa"
        };
        return Redirect::to(&format!("/{}/{to}", lang.code())).into_response();
    }
    let message = match info.retry_after_secs {
        Some(secs) => lang.t_args(
            &info.key,
            &[("minutes", crate::i18n::Arg::Num(minutes(secs)))],
        ),
        None => lang.t(&info.key),
    };
    let fields = info
        .fields
        .iter()
        .map(|(f, k)| (f.clone(), lang.t(k)))
        .collect();
    let title_key = if status == StatusCode::NOT_FOUND {
        "error-not-found-title"
    } else {
        "error-title"
    };
    let page = ErrorPage {
        p: PageCtx::new(ctx, title_key),
        status: status.as_u16(),
        message,
        fields,
        back: format!("/{}/", lang.code()),
    };
    let html = page.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "error page failed to render");
        "error".to_string()
    });
    let mut response = (status, Html(html)).into_response();
    decorate(&mut response, status, info);
    response
}
