//! JSON API of people: the list and one person with their posts. Contacts appear only where
//! the person made them public.

use axum::extract::{Path, State};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::repo::{self, Person};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::web::api::{ListOf, Paging};
use crate::web::extract::{Json, Query};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PersonOut {
    pub id: i64,
    pub name_uk: String,
    pub name_en: String,
    /// Only when the person made it public and verified it.
    pub email: Option<String>,
    pub phone: Option<String>,
    pub is_demo: bool,
}

fn person_out(p: Person) -> PersonOut {
    PersonOut {
        id: p.id,
        // An address its owner has not proved is nobody's to publish.
        email: (p.is_email_public && p.verified_email().is_some()).then_some(p.email),
        phone: (p.is_phone_public && !p.phone.is_empty()).then_some(p.phone),
        name_uk: p.name_uk,
        name_en: p.name_en,
        is_demo: p.is_demo,
    }
}

/// People who hold or held posts in communities.
#[utoipa::path(get, path = "/api/v1/people", tag = "association", operation_id = "list_people",
    params(Paging), security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = ListOf<PersonOut>)))]
pub async fn list(
    State(db): State<Db>,
    Query(paging): Query<Paging>,
) -> AppResult<Json<ListOf<PersonOut>>> {
    let (limit, offset) = paging.resolve()?;
    let (people, total) = repo::people(&db, limit, offset).await?;
    Ok(Json(ListOf {
        items: people.into_iter().map(person_out).collect(),
        total,
    }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PostOut {
    pub id: i64,
    /// head, starosta, secretary, deputy or executive.
    pub kind: String,
    /// The community's codifier code.
    pub community: String,
    pub since: NaiveDate,
    pub until: Option<NaiveDate>,
    /// term_ended, resigned, dismissed, captured, killed or died.
    pub end_reason: Option<String>,
}

impl From<super::Post> for PostOut {
    fn from(p: super::Post) -> PostOut {
        PostOut {
            id: p.id,
            kind: p.kind,
            community: p.unit_code,
            since: p.since_on,
            until: p.until_on,
            end_reason: p.end_reason,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PersonDetail {
    #[serde(flatten)]
    pub person: PersonOut,
    /// Newest first.
    pub posts: Vec<PostOut>,
    /// The published texts of the mayor's page (drafts are not public).
    pub mayor_page: Vec<MayorTextOut>,
    /// The photo's URL, when there is one.
    pub photo: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MayorTextOut {
    /// bio, vision, social_impact or achievements.
    pub field: String,
    /// uk or en.
    pub lang: String,
    pub text: String,
    pub reviewed_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Deserialize)]
pub struct IdPath {
    id: i64,
}

/// One person with their posts.
#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "association",
    operation_id = "get_person", params(("id" = i64, Path, description = "person id")), security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = PersonDetail)))]
pub async fn get_person(
    State(db): State<Db>,
    Path(path): Path<IdPath>,
) -> AppResult<Json<PersonDetail>> {
    let person = repo::person(&db, path.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let posts = repo::posts_of_person(&db, person.id)
        .await?
        .into_iter()
        .map(PostOut::from)
        .collect();
    let mayor_page = repo::mayor_texts(&db, person.id)
        .await?
        .into_iter()
        .filter(|t| !t.published.is_empty())
        .map(|t| MayorTextOut {
            field: t.field,
            lang: t.lang,
            text: t.published,
            reviewed_at: t.reviewed_at,
        })
        .collect();
    let photo = repo::photo_meta(&db, person.id)
        .await?
        .map(|(_, _, at)| format!("/photos/people/{}?v={}", person.id, at.timestamp()));
    Ok(Json(PersonDetail {
        person: person_out(person),
        posts,
        mayor_page,
        photo,
    }))
}
