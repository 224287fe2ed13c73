//! The API twin of the admins' sectors page: the sectors in their order (public), every
//! sector's names and order saved at once, and a new sector; the same use cases
//! (`sectors.rs`).

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::repo;
use super::sectors::{self, NewSector, SectorEdit};
use crate::db::Db;
use crate::error::AppResult;
use crate::web::extract::Json;
use crate::work::Actor;

/// A news sector: a field of work (or a campaign) that news items and the digest's groups
/// are sorted by.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SectorOut {
    pub id: i64,
    pub slug: String,
    pub name_uk: String,
    pub name_en: String,
    /// The order: a smaller number comes first.
    pub position: i64,
    pub campaign: bool,
}

impl From<repo::SectorRow> for SectorOut {
    fn from(s: repo::SectorRow) -> SectorOut {
        SectorOut {
            id: s.id,
            slug: s.slug,
            name_uk: s.name_uk,
            name_en: s.name_en,
            position: s.position,
            campaign: s.is_campaign,
        }
    }
}

/// The sectors, in their order.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SectorsOut {
    pub items: Vec<SectorOut>,
}

fn out(rows: Vec<repo::SectorRow>) -> Json<SectorsOut> {
    Json(SectorsOut {
        items: rows.into_iter().map(SectorOut::from).collect(),
    })
}

/// The news sectors in their order.
#[utoipa::path(get, path = "/api/v1/news-sectors", tag = "news", operation_id = "list_news_sectors",
    security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = SectorsOut)))]
pub async fn list(State(db): State<Db>) -> AppResult<Json<SectorsOut>> {
    Ok(out(repo::sectors(&db).await?))
}

/// What changes of one sector; what is absent stays.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SectorEditIn {
    pub id: i64,
    /// 1 to 120 characters.
    #[schema(min_length = 1, max_length = 120)]
    pub name_uk: Option<String>,
    /// 1 to 120 characters.
    #[schema(min_length = 1, max_length = 120)]
    pub name_en: Option<String>,
    /// 0 to 1,000; a smaller number comes first.
    #[schema(minimum = 0, maximum = 1000)]
    pub position: Option<i64>,
}

/// The sectors to change, all at once.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SectorsIn {
    pub sectors: Vec<SectorEditIn>,
}

/// Saves the names and order of the sectors named (admins); 422 names every problem, an
/// unknown sector as `id`. Answers every sector as they now are.
#[utoipa::path(put, path = "/api/v1/news-sectors", tag = "news", operation_id = "update_news_sectors",
    security(("bearer" = []), ("session" = [])), request_body = SectorsIn,
    responses((status = 200, body = SectorsOut), (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn save(
    State(db): State<Db>,
    actor: Actor,
    Json(body): Json<SectorsIn>,
) -> AppResult<Json<SectorsOut>> {
    let edits: Vec<SectorEdit> = body
        .sectors
        .into_iter()
        .map(|s| SectorEdit {
            id: s.id,
            name_uk: s.name_uk,
            name_en: s.name_en,
            position: s.position,
        })
        .collect();
    Ok(out(sectors::save(&db, actor, &edits).await?))
}

/// A new sector.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewSectorIn {
    /// 2 to 40 of `a-z`, `0-9` and `-`.
    #[schema(pattern = "^[a-z0-9-]{2,40}$")]
    pub slug: String,
    #[schema(min_length = 1, max_length = 120)]
    pub name_uk: String,
    #[schema(min_length = 1, max_length = 120)]
    pub name_en: String,
    /// A campaign's sector rather than a field of work.
    #[serde(default)]
    pub campaign: bool,
}

/// Adds a sector at the end of the order (admins); 409 when the short name is taken.
#[utoipa::path(post, path = "/api/v1/news-sectors", tag = "news", operation_id = "create_news_sector",
    security(("bearer" = []), ("session" = [])), request_body = NewSectorIn,
    responses((status = 201, body = SectorOut), (status = 409, body = crate::web::api::ErrorEnvelope),
              (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn add(
    State(db): State<Db>,
    actor: Actor,
    Json(body): Json<NewSectorIn>,
) -> AppResult<(StatusCode, Json<SectorOut>)> {
    let new = NewSector {
        slug: body.slug,
        name_uk: body.name_uk,
        name_en: body.name_en,
        campaign: body.campaign,
    };
    let row = sectors::add(&db, actor, &new).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}
