//! A person's page: their name in both languages, their posts, the contacts they made public
//! (all of them for staff and for the person) and a link to their mayor's page. Composed: a
//! club member has a mayor's page too, and the club stands on people.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::people::PostKind;
use crate::people::pages::{PostLine, can_edit_person, post_lines};
use crate::people::repo::{self, Person};
use crate::state::AppState;
use crate::web::extract::Query;
use crate::web::page::{DoneQuery, render};
use crate::web::{Ctx, PageCtx};

#[derive(Deserialize)]
pub struct IdPath {
    id: i64,
}

#[derive(Template)]
#[template(path = "people/person.html")]
struct PersonPage {
    p: PageCtx,
    person: Person,
    name_other: String,
    posts: Vec<PostLine>,
    show_email: bool,
    show_phone: bool,
    can_edit: bool,
    has_mayor_page: bool,
    /// For the person and staff: whether the contact address is verified (or a link is out).
    email_state: Option<String>,
    notice: Option<String>,
}

pub async fn person(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let person = repo::person(&state.db, path.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let posts = repo::posts_of_person(&state.db, person.id).await?;
    let can_edit = can_edit_person(&ctx, &person);
    // Staff see every contact; the public only what the person made public.
    let staff = ctx
        .principal
        .as_ref()
        .is_some_and(|p| p.is_staff() && p.second_factor_ok());
    let (title, other) = match lang {
        Lang::Uk => (person.name_uk.clone(), person.name_en.clone()),
        Lang::En => (person.name_en.clone(), person.name_uk.clone()),
    };
    let has_mayor_page = posts.iter().any(|p| p.kind == PostKind::Head.code())
        || crate::club::repo::member_of_person(&state.db, person.id)
            .await?
            .is_some();
    let email_state = (!person.email.is_empty() && (staff || can_edit)).then(|| {
        lang.t(if person.email_verified_at.is_some() {
            "people-email-verified"
        } else {
            "people-email-unverified"
        })
    });
    let notice = q
        .done
        .as_deref()
        .filter(|d| ["contacts", "contacts-mailed"].contains(d))
        .map(|d| lang.t(&format!("people-done-{d}")));
    Ok(render(&PersonPage {
        p: PageCtx::new(&ctx, "people-title").with_title(title),
        has_mayor_page,
        name_other: other,
        posts: post_lines(&state, &posts, lang).await?,
        email_state,
        notice,
        // The public sees an address only when it is public and its owner proved it.
        show_email: !person.email.is_empty()
            && ((person.is_email_public && person.email_verified_at.is_some())
                || staff
                || can_edit),
        show_phone: !person.phone.is_empty() && (person.is_phone_public || staff || can_edit),
        can_edit,
        person,
    })?
    .into_response())
}
