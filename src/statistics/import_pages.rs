//! Importing statistics by upload, from the pages and the API: the file is kept and imported by
//! a job (any instance), its page shows progress while it runs (refreshing itself, no script
//! needed) and the outcome after, with every bad row's line and reason and a CSV report of
//! them to download.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use super::actions::{self, ImportMode, MAX_IMPORT_BYTES};
use super::repo::{self, ImportRow};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::state::AppState;
use crate::web::Ctx;
use crate::web::download::csv_text;
use crate::web::page::{PageCtx, render};
use crate::work::Actor;

/// What an upload form carries.
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub mode: ImportMode,
    pub source: String,
}

/// Reads an upload: the `file` field, `mode` (`good` keeps the good rows; anything else is
/// all-or-nothing) and `source`. Too large a file is a 413; no file a 422.
pub async fn read_upload(mut multipart: Multipart) -> AppResult<Upload> {
    let failed = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge("stat-import-too-large")
        } else {
            AppError::field("file", "upload-error-failed")
        }
    };
    let mut upload = Upload {
        file_name: String::new(),
        bytes: Vec::new(),
        mode: ImportMode::AllOrNothing,
        source: String::new(),
    };
    while let Some(field) = multipart.next_field().await.map_err(failed)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => {
                upload.file_name = field.file_name().unwrap_or("upload").to_string();
                upload.bytes = field.bytes().await.map_err(failed)?.to_vec();
            }
            "mode" => {
                let good = field.text().await.map_err(failed)? == "good";
                upload.mode = if good {
                    ImportMode::GoodRows
                } else {
                    ImportMode::AllOrNothing
                };
            }
            "source" => upload.source = field.text().await.map_err(failed)?,
            _ => {}
        }
    }
    if upload.bytes.is_empty() {
        return Err(AppError::field("file", "upload-error-no-file"));
    }
    if upload.bytes.len() > MAX_IMPORT_BYTES {
        return Err(AppError::TooLarge("stat-import-too-large"));
    }
    if actions::is_xlsx(&upload.bytes) {
        // A workbook's sheet is checked before it is kept (a sheet declaring a vast range is
        // refused now, not when the job reads it), off the async threads since it reads
        // every cell.
        let bytes = std::mem::take(&mut upload.bytes);
        let (bytes, checked) = tokio::task::spawn_blocking(move || {
            let checked = super::import::check_xlsx(&bytes);
            (bytes, checked)
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
        if let Err(refusal) = checked {
            return Err(AppError::field("file", refusal.key));
        }
        upload.bytes = bytes;
    }
    Ok(upload)
}

/// One line of the recent imports.
pub struct ImportLine {
    pub href: String,
    pub file_name: String,
    pub when: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "statistics/import.html")]
struct ImportPage {
    p: PageCtx,
    recent: Vec<ImportLine>,
    max_mb: usize,
}

fn status_text(lang: Lang, row: &ImportRow) -> String {
    lang.t(&format!("stat-import-status-{}", row.status))
}

pub async fn form(State(db): State<Db>, lang: Lang, ctx: Ctx) -> AppResult<Response> {
    let page = PageCtx::new(&ctx, "stat-import-title");
    let recent = repo::recent_imports(&db, 20)
        .await?
        .into_iter()
        .map(|r| ImportLine {
            href: format!("/{}/statistics/imports/{}", lang.code(), r.id),
            when: page.when(&r.created_at),
            status: status_text(lang, &r),
            file_name: r.file_name,
        })
        .collect();
    Ok(render(&ImportPage {
        p: page,
        recent,
        max_mb: MAX_IMPORT_BYTES / (1024 * 1024),
    })?
    .into_response())
}

pub async fn upload(
    State(state): State<AppState>,
    lang: Lang,
    actor: Actor,
    multipart: Multipart,
) -> AppResult<Response> {
    let u = read_upload(multipart).await?;
    let id =
        actions::queue_import(&state, &actor, &u.file_name, &u.bytes, u.mode, &u.source).await?;
    Ok(Redirect::to(&format!("/{}/statistics/imports/{id}", lang.code())).into_response())
}

/// A bad row as the import's record keeps it.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct BadRow {
    pub line: u64,
    /// The UI string key of the reason.
    pub key: String,
    /// What was found there.
    pub found: String,
}

/// The import as its reader should see it: one whose job was quarantined (out of attempts,
/// waiting for an admin) will not finish by itself, so it shows as failed, not running.
async fn settled(db: &Db, mut row: ImportRow) -> AppResult<ImportRow> {
    if row.status.is_busy() {
        let payload = serde_json::json!({ "import": row.id }).to_string();
        let job = crate::jobs::repo::find_by_payload(db, actions::IMPORT_JOB, &payload).await?;
        if job.is_some_and(|j| j.status.is_stopped()) {
            row.status = crate::statistics::ImportStatus::Failed;
        }
    }
    Ok(row)
}

fn bad_rows(row: &ImportRow) -> Vec<BadRow> {
    serde_json::from_str(&row.errors).unwrap_or_default()
}

/// The reason in the reader's language; a broken rule names itself.
fn reason(lang: Lang, e: &BadRow) -> String {
    lang.t(&e.key)
}

#[derive(Template)]
#[template(path = "statistics/import_status.html")]
struct StatusPage {
    p: PageCtx,
    row: ImportRow,
    status: String,
    running: bool,
    written_so_far: Option<u64>,
    summary: String,
    errors: Vec<(u64, String, String)>,
    more_errors: usize,
    report_href: String,
}

#[derive(Deserialize)]
pub struct IdPath {
    id: i64,
}

/// An import's page: progress while it runs (the page reloads itself every two seconds),
/// then its outcome and its bad rows.
pub async fn status(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let row = repo::find_import(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let row = settled(&state.db, row).await?;
    let errors = bad_rows(&row);
    let shown: Vec<(u64, String, String)> = errors
        .iter()
        .take(200)
        .map(|e| (e.line, reason(lang, e), e.found.clone()))
        .collect();
    let summary = lang.t_args(
        if row.is_committed {
            "stat-import-summary"
        } else {
            "stat-import-summary-refused"
        },
        &[
            ("rows", Arg::Num(row.rows_read)),
            ("written", Arg::Num(row.written)),
            ("bad", Arg::Num(row.bad)),
        ],
    );
    let page = PageCtx::new(&ctx, "stat-import-title").with_title(format!(
        "{}: {}",
        lang.t("stat-import-title"),
        row.file_name
    ));
    Ok(render(&StatusPage {
        p: page,
        status: status_text(lang, &row),
        running: row.status.is_busy(),
        written_so_far: state.part::<super::actions::Running>().written(id),
        summary,
        more_errors: errors.len().saturating_sub(shown.len()),
        errors: shown,
        report_href: format!("/{}/statistics/imports/{id}/errors.csv", lang.code()),
        row,
    })?
    .into_response())
}

/// The bad rows as CSV (line, reason in the reader's language, what was found), for a
/// spreadsheet next to the file.
pub async fn errors_csv(
    State(db): State<Db>,
    lang: Lang,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let row = repo::find_import(&db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = [
        lang.t("stat-import-col-line"),
        lang.t("stat-import-col-reason"),
        lang.t("stat-import-col-found"),
    ];
    out.write_record(&header)
        .map_err(|e| AppError::Internal(e.into()))?;
    for e in bad_rows(&row) {
        // `found` is what the uploader wrote: a cell like `=HYPERLINK(…)` must stay text
        // when the errors file is opened in a spreadsheet.
        let reason = reason(lang, &e);
        let cells = [
            e.line.to_string(),
            csv_text(&reason).into_owned(),
            csv_text(&e.found).into_owned(),
        ];
        out.write_record(cells)
            .map_err(|e| AppError::Internal(e.into()))?;
    }
    let body = out
        .into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"import-{id}-errors.csv\""),
            ),
        ],
        body,
    )
        .into_response())
}

// ---- API -------------------------------------------------------------------------------

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportOut {
    #[serde(flatten)]
    pub import: ImportRow,
    /// Rows written so far, while it runs on the instance that answers.
    pub written_so_far: Option<u64>,
    /// The bad rows, each with its line and reason.
    pub errors: Vec<BadRow>,
}

fn import_out(state: &AppState, row: ImportRow) -> ImportOut {
    ImportOut {
        written_so_far: state.part::<super::actions::Running>().written(row.id),
        errors: bad_rows(&row),
        import: row,
    }
}

/// Uploads a CSV or XLSX file to import (multipart: `file`, `mode` = `all` or `good`,
/// `source`); 202 with the import, which a job runs. Follow it at `/api/v1/imports/{id}`.
#[utoipa::path(post, path = "/api/v1/imports", tag = "statistics", operation_id = "upload_import",
    request_body(content_type = "multipart/form-data", description = "file, mode (all or good), source"),
    security(("bearer" = []), ("session" = [])),
    responses((status = 202, body = ImportOut)))]
pub async fn api_upload(
    State(state): State<AppState>,
    actor: Actor,
    multipart: Multipart,
) -> AppResult<(StatusCode, crate::web::extract::Json<ImportOut>)> {
    let u = read_upload(multipart).await?;
    let id =
        actions::queue_import(&state, &actor, &u.file_name, &u.bytes, u.mode, &u.source).await?;
    let row = repo::find_import(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        StatusCode::ACCEPTED,
        crate::web::extract::Json(import_out(&state, row)),
    ))
}

/// An import: its state, counts and bad rows.
#[utoipa::path(get, path = "/api/v1/imports/{id}", tag = "statistics", operation_id = "get_import",
    params(("id" = i64, Path, description = "the import")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ImportOut), (status = 404, body = crate::web::api::ErrorEnvelope)))]
pub async fn api_status(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<crate::web::extract::Json<ImportOut>> {
    let row = repo::find_import(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let row = settled(&state.db, row).await?;
    Ok(crate::web::extract::Json(import_out(&state, row)))
}
