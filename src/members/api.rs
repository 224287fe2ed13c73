//! JSON API of the association: members (with the day's figures), regional offices, sections.

use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::repo;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::api::{ListOf, Paging};
use crate::web::extract::{Json, Query};

/// A member community. Named apart from the club's `MemberOut`: utoipa names a schema after
/// its type alone, so two types of one name share one schema in the document and one of the
/// two answers stops matching it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MemberCommunityOut {
    /// The community's codifier code.
    pub code: String,
    pub name_uk: String,
    pub name_en: String,
    /// The regional office's short name.
    pub regional_office: String,
    pub since: NaiveDate,
    pub decision_number: String,
    pub decision_on: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MembersQuery {
    /// The day (YYYY-MM-DD); today when absent.
    #[param(format = Date)]
    pub on: Option<String>,
    /// Only members of this regional office (its short name).
    pub regional_office: Option<String>,
    /// 1 to 500, 50 when absent.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// 0 or more.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// The communities that were members on a day, in Ukrainian alphabetical order.
#[utoipa::path(get, path = "/api/v1/members", tag = "association", operation_id = "list_members",
    params(MembersQuery), security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = ListOf<MemberCommunityOut>)))]
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<MembersQuery>,
) -> AppResult<Json<ListOf<MemberCommunityOut>>> {
    let (limit, offset) = Paging {
        limit: q.limit,
        offset: q.offset,
    }
    .resolve()?;
    let day = match q.on.as_deref().unwrap_or_default() {
        "" => crate::clock::today(),
        s => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| AppError::field("on", "error-date"))?,
    };
    let snap = crate::registry::snapshot::current(&state).await?;
    let offices = repo::offices(&state.db).await?;
    let office = match q.regional_office.as_deref().unwrap_or_default() {
        "" => None,
        slug => Some(
            offices
                .iter()
                .find(|o| o.slug == slug)
                .ok_or(AppError::field("regional_office", "error-filter"))?,
        ),
    };
    let mut items: Vec<(String, MemberCommunityOut)> = repo::periods(&state.db)
        .await?
        .into_iter()
        .filter(|p| p.active_on(day))
        .filter(|p| office.is_none_or(|o| o.id == p.office_id))
        .filter_map(|p| {
            let n = snap.node(snap.find(&p.unit_code)?);
            let slug = offices.iter().find(|o| o.id == p.office_id)?.slug.clone();
            Some((
                n.sort_key.clone(),
                MemberCommunityOut {
                    code: p.unit_code,
                    name_uk: n.title(crate::i18n::Lang::Uk),
                    name_en: n.title(crate::i18n::Lang::En),
                    regional_office: slug,
                    since: p.since_on,
                    decision_number: p.decision_number,
                    decision_on: p.decision_on,
                },
            ))
        })
        .collect();
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let total = items.len() as i64;
    Ok(Json(ListOf {
        items: items
            .into_iter()
            .skip(offset as usize)
            .take(limit as usize)
            .map(|(_, m)| m)
            .collect(),
        total,
    }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FiguresOut {
    pub on: NaiveDate,
    /// Communities that were members on the day.
    pub members: i64,
    /// People living in member hromadas (1 January 2022).
    pub population: i64,
    /// People in all hromadas with a figure (Ukraine without Crimea and Sevastopol).
    pub total_population: i64,
    /// `population` as a percentage of `total_population`, one decimal.
    pub share_percent: f64,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FiguresQuery {
    /// The day (YYYY-MM-DD); today when absent.
    #[param(format = Date)]
    pub on: Option<String>,
}

/// The association's headline figures on a day, computed from the membership periods.
#[utoipa::path(get, path = "/api/v1/members/figures", tag = "association",
    operation_id = "get_member_figures", params(FiguresQuery), security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = FiguresOut)))]
pub async fn figures(
    State(state): State<AppState>,
    Query(q): Query<FiguresQuery>,
) -> AppResult<Json<FiguresOut>> {
    let day = match q.on.as_deref().unwrap_or_default() {
        "" => crate::clock::today(),
        s => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| AppError::field("on", "error-date"))?,
    };
    let snap = crate::registry::snapshot::current(&state).await?;
    let periods = repo::periods(&state.db).await?;
    let f = super::figures(&periods, &snap, day);
    Ok(Json(FiguresOut {
        on: f.day,
        members: f.members as i64,
        population: f.population,
        total_population: f.total_population,
        share_percent: f.share_percent(),
    }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfficeOut {
    pub slug: String,
    pub name_uk: String,
    pub name_en: String,
    pub head_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    /// Codes of the oblasts (or cities with special status) it covers.
    pub oblasts: Vec<String>,
    /// Demo content, not a real office.
    pub is_demo: bool,
}

impl OfficeOut {
    /// The office `o`, with its oblasts out of every office's.
    pub fn of(o: repo::Office, office_oblasts: &[(String, i64)]) -> OfficeOut {
        OfficeOut {
            oblasts: office_oblasts
                .iter()
                .filter(|(_, id)| *id == o.id)
                .map(|(c, _)| c.clone())
                .collect(),
            slug: o.slug,
            name_uk: o.name_uk,
            name_en: o.name_en,
            head_name: o.head_name,
            email: o.email,
            phone: o.phone,
            address: o.address,
            is_demo: o.is_demo,
        }
    }
}

/// The regional offices.
#[utoipa::path(get, path = "/api/v1/regional-offices", tag = "association",
    operation_id = "list_regional_offices", security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = ListOf<OfficeOut>)))]
pub async fn offices(State(db): State<Db>) -> AppResult<Json<ListOf<OfficeOut>>> {
    let oblasts = repo::office_oblasts(&db).await?;
    let items: Vec<OfficeOut> = repo::offices(&db)
        .await?
        .into_iter()
        .map(|o| OfficeOut::of(o, &oblasts))
        .collect();
    let total = items.len() as i64;
    Ok(Json(ListOf { items, total }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SectionOut {
    pub slug: String,
    pub name_uk: String,
    pub name_en: String,
    pub purpose_uk: String,
    pub purpose_en: String,
}

/// The professional sections.
#[utoipa::path(get, path = "/api/v1/sections", tag = "association",
    operation_id = "list_sections", security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = ListOf<SectionOut>)))]
pub async fn sections(State(db): State<Db>) -> AppResult<Json<ListOf<SectionOut>>> {
    let items: Vec<SectionOut> = repo::sections(&db)
        .await?
        .into_iter()
        .map(|s| SectionOut {
            slug: s.slug,
            name_uk: s.name_uk,
            name_en: s.name_en,
            purpose_uk: s.purpose_uk,
            purpose_en: s.purpose_en,
        })
        .collect();
    let total = items.len() as i64;
    Ok(Json(ListOf { items, total }))
}
